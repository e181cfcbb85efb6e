//! Anonymous pages kept whole, compressed. The home page and the link
//! checker's page show the same thing to everyone who reads them in one
//! language without a session: the same bytes (a page's policy allows its
//! inline script by hash, not by a per-response nonce: `app::shell`). They
//! are the pages an SMS campaign sends crowds to ("is this message
//! genuine?"), so they are rendered and compressed once per language and
//! then served from memory for [`TTL`].
//!
//! Only when nothing personal can be in the page or its answer:
//! - a `GET` of one of [`CACHEABLE`], without a query (the checker's old
//!   `?link=` address, a `?langue=` switch);
//! - no cookie but the language's (a citizen's session shows its "quit"
//!   form in the footer; any other cookie may matter to some page);
//! - a client that takes brotli (every browser): one encoding, one copy;
//! - an answer `200`, HTML, in brotli, that sets no cookie.
//!
//! Entries are per path and language: at most `CACHEABLE × Lang::ALL`.

use super::compress::accepts_brotli;
use axum::body::{Body, Bytes};
use axum::extract::Request;
use axum::http::header::{CONTENT_ENCODING, CONTENT_TYPE, COOKIE, SET_COOKIE};
use axum::http::{HeaderMap, Method, StatusCode};
use axum::middleware::Next;
use axum::response::Response;
use relais::Lang;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// The pages kept: the same for every anonymous reader of a language.
pub const CACHEABLE: [&str; 2] = ["/", app::pages::link_check::PATH];

/// How long a page is served from memory before it is rendered again.
pub const TTL: Duration = Duration::from_secs(60);

/// The largest page kept (ours are a few kilobytes).
const MAX_BYTES: usize = 256 * 1024;

type Key = (&'static str, Lang);

/// A rendered page: its head's fields and its compressed body.
#[derive(Clone)]
struct Entry {
    headers: HeaderMap,
    body: Bytes,
    made: Instant,
}

/// The pages of one router (one server: its public URL is in the pages).
#[derive(Clone, Default)]
pub struct PageCache {
    entries: Arc<Mutex<HashMap<Key, Entry>>>,
}

impl PageCache {
    fn get(&self, key: &Key) -> Option<Entry> {
        let entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        entries.get(key).filter(|e| e.made.elapsed() < TTL).cloned()
    }

    fn put(&self, key: Key, entry: Entry) {
        self.entries
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(key, entry);
    }
}

/// The key of a request whose answer may be kept, else `None`.
fn key_of(request: &Request) -> Option<Key> {
    if request.method() != Method::GET || request.uri().query().is_some() {
        return None;
    }
    let path = CACHEABLE.into_iter().find(|p| *p == request.uri().path())?;
    let headers = request.headers();
    if !accepts_brotli(headers) || !only_language_cookie(headers) {
        return None;
    }
    Some((path, super::lang::request_lang(headers)))
}

/// True when every cookie of the request is the language's (or there is
/// none).
fn only_language_cookie(headers: &HeaderMap) -> bool {
    headers
        .get_all(COOKIE)
        .iter()
        .all(|value| match value.to_str() {
            Ok(value) => value
                .split(';')
                .map(str::trim)
                .filter(|pair| !pair.is_empty())
                .all(|pair| {
                    pair.split_once('=')
                        .is_some_and(|(name, _)| name == app::i18n::LANG_COOKIE)
                }),
            Err(_) => false,
        })
}

/// True when the answer is the same for every reader of the key.
fn keepable(response: &Response) -> bool {
    let headers = response.headers();
    response.status() == StatusCode::OK
        && !headers.contains_key(SET_COOKIE)
        && headers.get(CONTENT_ENCODING).is_some_and(|v| v == "br")
        && headers
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|t| t.starts_with("text/html"))
}

/// The middleware, outside the compression: a kept page skips rendering and
/// compressing.
pub async fn serve(cache: PageCache, request: Request, next: Next) -> Response {
    let Some(key) = key_of(&request) else {
        return next.run(request).await;
    };
    if let Some(entry) = cache.get(&key) {
        metrics::counter!("relais_page_cache_hits_total").increment(1);
        let mut response = Response::new(Body::from(entry.body));
        *response.headers_mut() = entry.headers;
        return response;
    }
    let response = next.run(request).await;
    if !keepable(&response) {
        return response;
    }
    let (parts, body) = response.into_parts();
    match axum::body::to_bytes(body, MAX_BYTES).await {
        Ok(bytes) => {
            cache.put(
                key,
                Entry {
                    headers: parts.headers.clone(),
                    body: bytes.clone(),
                    made: Instant::now(),
                },
            );
            Response::from_parts(parts, Body::from(bytes))
        }
        Err(e) => {
            // Not reached with our pages (compressed whole, a few KB).
            tracing::error!(error = %e, "a page could not be kept");
            let mut response = Response::new(Body::empty());
            *response.status_mut() = StatusCode::INTERNAL_SERVER_ERROR;
            response
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn request(path: &str, headers: &[(&str, &str)]) -> Request {
        let mut builder = Request::builder().uri(path);
        for (name, value) in headers {
            builder = builder.header(*name, *value);
        }
        builder.body(Body::empty()).unwrap()
    }

    const BR: (&str, &str) = ("accept-encoding", "gzip, deflate, br");

    #[test]
    fn only_anonymous_gets_of_the_listed_pages_in_brotli_are_kept() {
        assert_eq!(key_of(&request("/", &[BR])).map(|k| k.0), Some("/"));
        assert_eq!(
            key_of(&request("/verifier", &[BR])).map(|k| k.0),
            Some("/verifier")
        );
        assert!(key_of(&request("/", &[])).is_none(), "no brotli");
        assert!(key_of(&request("/?langue=en", &[BR])).is_none(), "a query");
        assert!(key_of(&request("/verifier?link=x", &[BR])).is_none());
        assert!(key_of(&request("/dossier", &[BR])).is_none(), "not listed");
        assert!(key_of(&request("/d/abc", &[BR])).is_none());
        let session = ("cookie", "relais_session=abc");
        assert!(key_of(&request("/", &[BR, session])).is_none(), "a session");
        let both = ("cookie", "relais_lang=en; relais_session=abc");
        assert!(key_of(&request("/", &[BR, both])).is_none());
        let mut post = request("/", &[BR]);
        *post.method_mut() = Method::POST;
        assert!(key_of(&post).is_none(), "not a GET");
    }

    #[test]
    fn the_language_is_part_of_the_key() {
        let lang = format!("{}=en", app::i18n::LANG_COOKIE);
        let english = key_of(&request("/", &[BR, ("cookie", &lang)])).expect("kept");
        let french = key_of(&request("/", &[BR])).expect("kept");
        assert_ne!(english, french);
        let browser = key_of(&request("/", &[BR, ("accept-language", "en-GB,en")])).unwrap();
        assert_eq!(browser, english);
    }

    #[test]
    fn an_answer_that_sets_a_cookie_or_is_not_a_compressed_page_is_not_kept() {
        let page = || {
            let mut r = Response::new(Body::empty());
            r.headers_mut().insert(
                CONTENT_TYPE,
                HeaderValue::from_static("text/html; charset=utf-8"),
            );
            r.headers_mut()
                .insert(CONTENT_ENCODING, HeaderValue::from_static("br"));
            r
        };
        assert!(keepable(&page()));
        let mut cookie = page();
        cookie
            .headers_mut()
            .insert(SET_COOKIE, HeaderValue::from_static("a=b"));
        assert!(!keepable(&cookie));
        let mut plain = page();
        plain.headers_mut().remove(CONTENT_ENCODING);
        assert!(!keepable(&plain));
        let mut missing = page();
        *missing.status_mut() = StatusCode::NOT_FOUND;
        assert!(!keepable(&missing));
    }
}
