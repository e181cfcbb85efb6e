//! Clear pages for the errors that happen outside the Leptos pages: a body
//! too large, a malformed request, a refused origin, a crash. Never a stack
//! trace, always the right status code, in the person's language.

use super::lang::request_lang;
use app::tr;
use axum::body::Body;
use axum::extract::Request;
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use relais::Lang;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ErrorKind {
    BadRequest,
    /// A form field whose value is not readable text (not UTF-8): its name.
    NotText(String),
    TooLarge,
    ForeignOrigin,
    Internal,
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A small self-contained HTML page for an error.
pub fn error_page(status: StatusCode, lang: Lang, kind: ErrorKind) -> Response {
    let title = tr!(lang, error.title).to_string();
    let detail = match kind {
        ErrorKind::BadRequest => tr!(lang, error.bad_request).to_string(),
        ErrorKind::NotText(field) => {
            app::i18n::fill(tr!(lang, error.not_text), std::slice::from_ref(&field))
        }
        ErrorKind::TooLarge => tr!(lang, error.too_large).to_string(),
        ErrorKind::ForeignOrigin => tr!(lang, error.foreign_origin).to_string(),
        ErrorKind::Internal => tr!(lang, error.body).to_string(),
    };
    let home = tr!(lang, not_found.home_link).to_string();
    let html = format!(
        "<!DOCTYPE html><html lang=\"{code}\" dir=\"{dir}\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{title}</title></head><body><main><h1>{title}</h1><p>{detail}</p>\
         <p><a href=\"/\">{home}</a></p></main></body></html>",
        code = lang.html_code(),
        dir = lang.dir(),
        title = escape(&title),
        detail = escape(&detail),
        home = escape(&home),
    );
    (
        status,
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/html; charset=utf-8"),
        )],
        html,
    )
        .into_response()
}

/// Replaces the bare error responses of lower layers and extractors (413 of
/// the body limit, 400 of a malformed query, 405, 500) by a clear page when
/// a browser asked for a page. API paths keep their own answers.
pub async fn friendly_errors(request: Request, next: Next) -> Response {
    let lang = request_lang(request.headers());
    let path = request.uri().path().to_owned();
    let response = next.run(request).await;
    let status = response.status();
    let is_html = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    if !status.is_client_error() && !status.is_server_error()
        || is_html
        || path.starts_with("/api/")
        || path == "/healthz"
    {
        return response;
    }
    let kind = match status {
        StatusCode::PAYLOAD_TOO_LARGE => ErrorKind::TooLarge,
        s if s.is_server_error() => ErrorKind::Internal,
        StatusCode::NOT_FOUND => return crate::http::errors::not_found_fallback(lang, response),
        _ => ErrorKind::BadRequest,
    };
    error_page(status, lang, kind)
}

/// A bare 404 (for example a missing static file) keeps its status with a
/// plain page.
fn not_found_fallback(lang: Lang, response: Response) -> Response {
    let has_body = response
        .headers()
        .get(header::CONTENT_LENGTH)
        .is_some_and(|v| v != "0");
    if has_body {
        return response;
    }
    let title = escape(tr!(lang, not_found.title));
    let body = escape(tr!(lang, not_found.body));
    let html = format!(
        "<!DOCTYPE html><html lang=\"{}\" dir=\"{}\"><head><meta charset=\"utf-8\"><title>{title}</title></head>\
         <body><main><h1>{title}</h1><p>{body}</p></main></body></html>",
        lang.html_code(),
        lang.dir()
    );
    (
        StatusCode::NOT_FOUND,
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/html; charset=utf-8"),
        )],
        html,
    )
        .into_response()
}

/// The answer to a panic inside a handler: logged without request data, and
/// a 500 page for the person.
pub fn panic_response(_panic: Box<dyn std::any::Any + Send + 'static>) -> Response<Body> {
    tracing::error!("a request handler panicked");
    error_page(
        StatusCode::INTERNAL_SERVER_ERROR,
        Lang::Fr,
        ErrorKind::Internal,
    )
}
