//! `GET /enhance.js`: the declaration's progressive enhancement, compiled
//! into the binary (`app::enhance`).

use axum::extract::RawQuery;
use axum::http::{header, HeaderValue};
use axum::response::IntoResponse;

/// The script. Asked for at its current version (`?v=` as the pages write
/// it), it may be cached for a year; any other request is revalidated.
pub async fn enhance_script(RawQuery(query): RawQuery) -> impl IntoResponse {
    let current = format!("v={:016x}", app::enhance::VERSION);
    let cache = if query.as_deref() == Some(current.as_str()) {
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    };
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/javascript; charset=utf-8"),
            ),
            (header::CACHE_CONTROL, HeaderValue::from_static(cache)),
        ],
        app::enhance::SCRIPT,
    )
}
