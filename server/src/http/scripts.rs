//! `GET /enhance.js`: the declaration's progressive enhancement, compiled
//! into the binary (`app::enhance`). The script never changes while the
//! server runs: it is compressed once, at brotli's best quality (11), the
//! first time a client that takes brotli asks for it — 5,772 B become
//! 1,816 B instead of the generic layer's 2,171 B at quality 4, on every
//! citizen's first visit — and the other clients get it as it is (the
//! generic layer compresses it for them, gzip).

use axum::extract::RawQuery;
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};
use std::sync::OnceLock;

/// The script at brotli quality 11, once (`None` if the encoder failed:
/// the script then goes as it is).
fn script_brotli() -> Option<&'static [u8]> {
    static COMPRESSED: OnceLock<Option<Vec<u8>>> = OnceLock::new();
    COMPRESSED
        .get_or_init(|| super::compress::brotli_once(app::enhance::SCRIPT.as_bytes(), 11))
        .as_deref()
}

/// The script. Asked for at its current version (`?v=` as the pages write
/// it), it may be cached for a year; any other request is revalidated.
pub async fn enhance_script(RawQuery(query): RawQuery, request: HeaderMap) -> Response {
    let current = format!("v={:016x}", app::enhance::VERSION);
    let cache = if query.as_deref() == Some(current.as_str()) {
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    };
    let headers = [
        (
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/javascript; charset=utf-8"),
        ),
        (header::CACHE_CONTROL, HeaderValue::from_static(cache)),
        (header::VARY, HeaderValue::from_static("accept-encoding")),
    ];
    match script_brotli().filter(|_| super::compress::accepts_brotli(&request)) {
        Some(compressed) => (
            headers,
            [(header::CONTENT_ENCODING, HeaderValue::from_static("br"))],
            compressed,
        )
            .into_response(),
        None => (headers, app::enhance::SCRIPT).into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_script_compressed_once_reads_back_whole_and_smaller() {
        let compressed = script_brotli().expect("compressed");
        assert!(compressed.len() < app::enhance::SCRIPT.len() / 2);
        let mut out = Vec::new();
        std::io::Read::read_to_end(&mut brotli::Decompressor::new(compressed, 4096), &mut out)
            .unwrap();
        assert_eq!(out, app::enhance::SCRIPT.as_bytes());
        assert!(
            std::ptr::eq(script_brotli().unwrap(), compressed),
            "made once"
        );
    }
}
