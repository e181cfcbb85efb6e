//! Security on every response and every state-changing request: headers,
//! and the refusal of cross-site POSTs (server functions do no CSRF check
//! of their own).

use super::AppState;
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderName, HeaderValue, Method};
use axum::middleware::Next;
use axum::response::Response;

/// The policy of responses that are not HTML pages (a page's, which allows
/// its inline scripts by their hash, is set by `http::compress::pages`).
const DEFAULT_CSP: &str =
    "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

/// Adds the security headers the response does not already have.
pub async fn headers(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let h = response.headers_mut();
    set_default(h, header::CONTENT_SECURITY_POLICY, DEFAULT_CSP);
    set_default(h, header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    // Pages carry personal data (a case's file, a contact's plan, the
    // console): never kept by a shared or back-button cache. Static files
    // set their own caching.
    set_default(h, header::CACHE_CONTROL, "no-store");
    set_default(h, header::REFERRER_POLICY, "no-referrer");
    set_default(h, header::X_FRAME_OPTIONS, "DENY");
    set_default(
        h,
        HeaderName::from_static("permissions-policy"),
        "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()",
    );
    set_default(
        h,
        HeaderName::from_static("cross-origin-opener-policy"),
        "same-origin",
    );
    set_default(
        h,
        HeaderName::from_static("cross-origin-resource-policy"),
        "same-origin",
    );
    if state.config.is_https() {
        set_default(
            h,
            header::STRICT_TRANSPORT_SECURITY,
            "max-age=63072000; includeSubDomains",
        );
    }
    response
}

fn set_default(headers: &mut HeaderMap, name: HeaderName, value: &'static str) {
    headers
        .entry(name)
        .or_insert_with(|| HeaderValue::from_static(value));
}

/// Why a state-changing request was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OriginVerdict {
    Allowed,
    Refused,
}

/// Decides whether a request may change state: safe methods always; others
/// only from this site — `Sec-Fetch-Site: same-origin` (or `none`, typed by
/// the person), or an `Origin` equal to the public URL's origin. A request
/// that shows neither is refused: every browser sends one of them.
pub fn check_origin(method: &Method, headers: &HeaderMap, public_origin: &str) -> OriginVerdict {
    if matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS) {
        return OriginVerdict::Allowed;
    }
    let fetch_site = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok());
    if let Some(site) = fetch_site {
        return if site == "same-origin" || site == "none" {
            OriginVerdict::Allowed
        } else {
            OriginVerdict::Refused
        };
    }
    match headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) {
        Some(origin) if origin.eq_ignore_ascii_case(public_origin) => OriginVerdict::Allowed,
        _ => OriginVerdict::Refused,
    }
}

/// Paths called by other systems, authenticated by their own means (API
/// keys, signatures) rather than by a browser's cookie: no origin check.
pub fn is_machine_api(path: &str) -> bool {
    path.starts_with("/api/v1/") || path.starts_with("/api/sms/")
}

/// Refuses cross-site state-changing requests with 403 and a clear message.
pub async fn origin_guard(State(state): State<AppState>, request: Request, next: Next) -> Response {
    if !is_machine_api(request.uri().path())
        && check_origin(
            request.method(),
            request.headers(),
            &state.config.public_origin(),
        ) == OriginVerdict::Refused
    {
        tracing::warn!(method = %request.method(), "cross-site request refused");
        let lang = super::lang::request_lang(request.headers());
        return super::errors::error_page(
            axum::http::StatusCode::FORBIDDEN,
            lang,
            super::errors::ErrorKind::ForeignOrigin,
        );
    }
    next.run(request).await
}

/// Largest request body a page or server function accepts.
pub const MAX_BODY_BYTES: usize = 256 * 1024;

/// Refuses a posted form whose fields are not UTF-8 once decoded (400, the
/// field named), before any page reads it: otherwise the bytes would be
/// read as replacement characters and stored.
pub async fn form_text_guard(request: Request, next: Next) -> Response {
    let is_form = request.method() == axum::http::Method::POST
        && !is_machine_api(request.uri().path())
        && request
            .headers()
            .get(axum::http::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    if !is_form {
        return next.run(request).await;
    }
    let (parts, body) = request.into_parts();
    let bytes = match axum::body::to_bytes(body, MAX_BODY_BYTES).await {
        Ok(bytes) => bytes,
        Err(_) => {
            let lang = super::lang::request_lang(&parts.headers);
            return super::errors::error_page(
                axum::http::StatusCode::PAYLOAD_TOO_LARGE,
                lang,
                super::errors::ErrorKind::TooLarge,
            );
        }
    };
    if let Some(field) = relais::form_bytes::first_field_not_utf8(&bytes) {
        tracing::info!(field = %field, "form refused: a field is not UTF-8");
        let lang = super::lang::request_lang(&parts.headers);
        return super::errors::error_page(
            axum::http::StatusCode::BAD_REQUEST,
            lang,
            super::errors::ErrorKind::NotText(field),
        );
    }
    next.run(Request::from_parts(parts, axum::body::Body::from(bytes)))
        .await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, HeaderValue::from_static(v));
        }
        h
    }

    const ORIGIN: &str = "https://relais.example.fr";

    #[test]
    fn safe_methods_pass() {
        assert_eq!(
            check_origin(
                &Method::GET,
                &headers(&[("sec-fetch-site", "cross-site")]),
                ORIGIN
            ),
            OriginVerdict::Allowed
        );
    }

    #[test]
    fn posts_must_come_from_this_site() {
        let post = Method::POST;
        assert_eq!(
            check_origin(
                &post,
                &headers(&[("sec-fetch-site", "same-origin")]),
                ORIGIN
            ),
            OriginVerdict::Allowed
        );
        assert_eq!(
            check_origin(&post, &headers(&[("sec-fetch-site", "cross-site")]), ORIGIN),
            OriginVerdict::Refused
        );
        assert_eq!(
            check_origin(&post, &headers(&[("sec-fetch-site", "same-site")]), ORIGIN),
            OriginVerdict::Refused
        );
        assert_eq!(
            check_origin(
                &post,
                &headers(&[("origin", "https://relais.example.fr")]),
                ORIGIN
            ),
            OriginVerdict::Allowed
        );
        assert_eq!(
            check_origin(
                &post,
                &headers(&[("origin", "https://evil.example")]),
                ORIGIN
            ),
            OriginVerdict::Refused
        );
        assert_eq!(
            check_origin(&post, &headers(&[("origin", "null")]), ORIGIN),
            OriginVerdict::Refused
        );
        assert_eq!(
            check_origin(&post, &headers(&[]), ORIGIN),
            OriginVerdict::Refused
        );
        assert_eq!(
            check_origin(
                &Method::DELETE,
                &headers(&[("origin", "https://evil.example")]),
                ORIGIN
            ),
            OriginVerdict::Refused
        );
    }
}
