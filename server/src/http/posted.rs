//! Plain forms posted to a page's own address (issue 21): the link checker
//! (a pasted link holds a token, which a GET would put in the address — the
//! history, the proxies' logs) and the enrolment of a second factor (its
//! answer shows the recovery codes once, which nothing stores in clear).
//! The page is rendered as for a GET, the posted fields handed over in the
//! request's extensions ([`app::posted::PostedForm`]), never in the address.

use axum::extract::Request;
use axum::http::Method;
use axum::response::Response;
use std::future::Future;

/// The longest form read here (a link or a code, with room to spare).
const MAX_FORM_BYTES: usize = 8 * 1024;

/// Answers a form posted to a page with the page `render` makes for a GET
/// of the same address, the posted fields in the request's extensions.
pub async fn render_posted<R, F>(request: Request, render: R) -> Response
where
    R: FnOnce(Request) -> F,
    F: Future<Output = Response>,
{
    let (mut parts, body) = request.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, MAX_FORM_BYTES).await else {
        let lang = super::lang::request_lang(&parts.headers);
        return super::errors::error_page(
            axum::http::StatusCode::PAYLOAD_TOO_LARGE,
            lang,
            super::errors::ErrorKind::TooLarge,
        );
    };
    let fields = url::form_urlencoded::parse(&bytes)
        .map(|(name, value)| (name.into_owned(), value.into_owned()))
        .collect();
    parts.method = Method::GET;
    parts.headers.remove(axum::http::header::CONTENT_TYPE);
    parts.headers.remove(axum::http::header::CONTENT_LENGTH);
    parts.extensions.insert(app::posted::PostedForm(fields));
    render(Request::from_parts(parts, axum::body::Body::empty())).await
}
