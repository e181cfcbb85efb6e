//! Brotli for the pages rendered per request, cheaper than the generic
//! layer's stream. A page is whole once rendered, so it is compressed in one
//! call: the encoder then sizes its window and hash table to the page
//! instead of preparing its 4 MiB default window (the stream's cost on every
//! response).
//!
//! A page rendered for one reader is compressed at quality 1
//! ([`PAGE_QUALITY`]): quality 3 made the home page 5 % smaller (2,987 B
//! against 3,155 B) but cost 2.5 times the CPU, and was two thirds of a
//! signed-in page's instructions (`bench/README.md`), most of it the
//! preparation of its larger hash table. The pages the same for everyone
//! (`http::page_cache`) are compressed once at the best quality
//! ([`KEPT_PAGE_QUALITY`]): the home page, the citizens' first load, is
//! smaller than ever. Static files keep their precompressed `.br`; other
//! responses (the API's JSON, CSV exports) and clients without brotli keep
//! the generic layer, which skips what is already encoded.

use axum::body::Body;
use axum::extract::Request;
use axum::http::header::{
    ACCEPT_ENCODING, CONTENT_ENCODING, CONTENT_LENGTH, CONTENT_SECURITY_POLICY, CONTENT_TYPE, VARY,
};
use axum::http::{HeaderMap, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;

/// The quality of a page rendered for one reader (0–11).
pub const PAGE_QUALITY: u32 = 1;
/// The quality of a page kept for every reader (`http::page_cache`).
pub const KEPT_PAGE_QUALITY: u32 = 11;

/// Put in a request's extensions by the page cache: its page will be kept,
/// so it is worth the best compression.
#[derive(Debug, Clone, Copy)]
pub struct KeptPage;

/// The largest page read whole for compression: far beyond any of ours.
const MAX_BYTES: usize = 8 * 1024 * 1024;

/// True when the client takes brotli (`br`, with no `q=0`).
pub fn accepts_brotli(headers: &HeaderMap) -> bool {
    headers
        .get_all(ACCEPT_ENCODING)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|coding| {
            let mut parts = coding.split(';').map(str::trim);
            let name = parts.next().unwrap_or("");
            let refused = parts.any(|p| {
                p.strip_prefix("q=")
                    .and_then(|q| q.trim().parse::<f32>().ok())
                    .is_some_and(|q| q <= 0.0)
            });
            name.eq_ignore_ascii_case("br") && !refused
        })
}

fn is_page(response: &Response) -> bool {
    !response.headers().contains_key(CONTENT_ENCODING)
        && response
            .headers()
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|t| t.starts_with("text/html"))
}

/// `input` compressed as one brotli stream at `quality`, the window fitted
/// to its size, by the reference encoder (Google's C library, through
/// `brotlic`). The Rust port of the same algorithm took 2.7 times its
/// instructions for a 29 KB page at quality 1 (2.72 M against 1.0 M,
/// callgrind): bounds checks in its inner loops, and its buffers zeroed on
/// every allocation where the C encoder only clears its hash table.
pub fn brotli_once(input: &[u8], quality: u32) -> Option<Vec<u8>> {
    let quality = brotlic::Quality::new(u8::try_from(quality).ok()?).ok()?;
    let window = (usize::BITS - input.len().max(1).leading_zeros()).clamp(10, 22);
    let window = brotlic::WindowSize::new(u8::try_from(window).ok()?).ok()?;
    // The bound for a stream that is not flushed, whatever the quality
    // (`compress_bound` names quality only to refuse the streaming encoder's
    // 0 and 1, which may flush): with room for it, the one-call encoder
    // always succeeds, falling back to stored blocks.
    let bound = brotlic::compress_bound(input.len(), brotlic::Quality::best())?;
    let mut output = vec![0u8; bound];
    let written = brotlic::compress(
        input,
        &mut output,
        quality,
        window,
        brotlic::CompressionMode::Text,
    )
    .ok()?;
    output.truncate(written);
    Some(output)
}

/// The middleware: a page is read whole, its inline scripts allowed by
/// hash instead of its nonce (`http::page_scripts`), and, for a client that
/// takes brotli, compressed in one call.
pub async fn pages(request: Request, next: Next) -> Response {
    let brotli = accepts_brotli(request.headers());
    let quality = match request.extensions().get::<KeptPage>() {
        Some(KeptPage) => KEPT_PAGE_QUALITY,
        None => PAGE_QUALITY,
    };
    let response = next.run(request).await;
    if !is_page(&response) {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let bytes = match axum::body::to_bytes(body, MAX_BYTES).await {
        Ok(bytes) => bytes,
        Err(e) => {
            // A page cut short (its renderer failed mid-way) or over the
            // limit: nothing whole to send, and an empty page must not pass
            // for a success.
            tracing::error!(error = %e, "a page could not be read whole");
            parts.status = axum::http::StatusCode::INTERNAL_SERVER_ERROR;
            parts.headers.remove(CONTENT_LENGTH);
            return Response::from_parts(parts, Body::empty());
        }
    };
    let bytes = match std::str::from_utf8(&bytes) {
        Ok(page) => {
            let (page, csp) = super::page_scripts::seal(page);
            // (Always a valid value: base64 and ASCII. Otherwise the
            // policy of non-pages stays: no script at all.)
            if let Ok(csp) = HeaderValue::from_str(&csp) {
                parts.headers.insert(CONTENT_SECURITY_POLICY, csp);
            }
            axum::body::Bytes::from(page)
        }
        // Never ours (Leptos writes a String): the page goes as it is, with
        // the policy of non-pages (no script at all).
        Err(_) => bytes,
    };
    parts.headers.remove(CONTENT_LENGTH);
    if !brotli {
        return Response::from_parts(parts, Body::from(bytes));
    }
    parts
        .headers
        .append(VARY, HeaderValue::from_static("accept-encoding"));
    let Some(compressed) = brotli_once(&bytes, quality) else {
        return Response::from_parts(parts, Body::from(bytes));
    };
    parts
        .headers
        .insert(CONTENT_ENCODING, HeaderValue::from_static("br"));
    parts
        .headers
        .insert(CONTENT_LENGTH, HeaderValue::from(compressed.len()));
    Response::from_parts(parts, Body::from(compressed))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::io::Read;

    fn decompress(bytes: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        brotli::Decompressor::new(bytes, 4096)
            .read_to_end(&mut out)
            .unwrap();
        out
    }

    #[test]
    fn brotli_is_taken_unless_refused() {
        let with = |v: &str| {
            let mut h = HeaderMap::new();
            h.insert(ACCEPT_ENCODING, HeaderValue::from_str(v).unwrap());
            accepts_brotli(&h)
        };
        assert!(with("gzip, deflate, br, zstd"));
        assert!(with("BR;q=0.5"));
        assert!(!with("gzip, deflate"));
        assert!(!with("br;q=0, gzip"));
        assert!(!with("brotli"));
        assert!(!accepts_brotli(&HeaderMap::new()));
    }

    #[test]
    fn a_page_comes_back_whole() {
        let page =
            "<!DOCTYPE html><html lang=\"fr\"><body><p>Déclarez vos contacts</p></body></html>"
                .repeat(200);
        let compressed = brotli_once(page.as_bytes(), PAGE_QUALITY).unwrap();
        assert!(compressed.len() < page.len() / 10);
        assert_eq!(decompress(&compressed), page.as_bytes());
        let kept = brotli_once(page.as_bytes(), KEPT_PAGE_QUALITY).unwrap();
        assert!(
            kept.len() < compressed.len(),
            "{} B, {} B",
            kept.len(),
            compressed.len()
        );
        assert_eq!(decompress(&kept), page.as_bytes());
    }

    proptest! {
        #[test]
        fn any_bytes_come_back_whole(input in proptest::collection::vec(any::<u8>(), 0..70_000)) {
            let compressed = brotli_once(&input, PAGE_QUALITY).unwrap();
            prop_assert_eq!(decompress(&compressed), input);
        }
    }

    proptest! {
        // The best quality is slow (more so unoptimised): fewer, smaller inputs.
        #![proptest_config(ProptestConfig::with_cases(24))]
        #[test]
        fn any_bytes_come_back_whole_at_the_best_quality(input in proptest::collection::vec(any::<u8>(), 0..8_000)) {
            let compressed = brotli_once(&input, KEPT_PAGE_QUALITY).unwrap();
            prop_assert_eq!(decompress(&compressed), input);
        }
    }
}
