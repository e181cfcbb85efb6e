//! The link checker's form posts to `/verifier` (issue 21): a link pasted in
//! it holds a token, which a GET would put in the address — the history,
//! the proxies' logs. The posted link is handed to the page of `/verifier`
//! as a request extension ([`app::pages::link_check::PostedLink`]), never as
//! a query.

use axum::extract::Request;
use axum::http::Method;
use axum::response::Response;
use std::future::Future;

/// The longest form the checker reads (a link, with room to spare).
const MAX_FORM_BYTES: usize = 8 * 1024;

/// Answers `POST /verifier` with the page `render` makes for `GET
/// /verifier`, the posted `link` in the request's extensions.
pub async fn posted_link<R, F>(request: Request, render: R) -> Response
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
    let link = url::form_urlencoded::parse(&bytes)
        .find(|(name, _)| name == "link")
        .map(|(_, value)| value.into_owned())
        .unwrap_or_default();
    parts.method = Method::GET;
    parts.headers.remove(axum::http::header::CONTENT_TYPE);
    parts.headers.remove(axum::http::header::CONTENT_LENGTH);
    parts
        .extensions
        .insert(app::pages::link_check::PostedLink(link));
    render(Request::from_parts(parts, axum::body::Body::empty())).await
}
