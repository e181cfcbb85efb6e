//! Anonymous pages kept whole, compressed. The home page and the link
//! checker's page show the same thing to everyone who reads them in one
//! language without a session: the same bytes (a page's policy allows its
//! inline scripts by hash, not by a per-response nonce:
//! `http::page_scripts`). They
//! are the pages an SMS campaign sends crowds to ("is this message
//! genuine?"), so they are rendered once per language, compressed at
//! brotli's best quality (`http::compress::KEPT_PAGE_QUALITY`), and then
//! served from memory for [`TTL`]. One request makes a page; those that
//! arrive meanwhile are answered as usual.
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

use super::compress::{accepts_brotli, KeptPage};
use axum::body::{Body, Bytes};
use axum::extract::Request;
use axum::http::header::{CONTENT_ENCODING, CONTENT_TYPE, COOKIE, SET_COOKIE};
use axum::http::{HeaderMap, Method, StatusCode};
use axum::middleware::Next;
use axum::response::Response;
use relais::Lang;
use std::collections::{HashMap, HashSet};
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
#[derive(Debug, Clone)]
struct Entry {
    headers: HeaderMap,
    body: Bytes,
    made: Instant,
}

/// The pages of one router (one server: its public URL is in the pages).
#[derive(Clone, Default)]
pub struct PageCache {
    inner: Arc<Mutex<Inner>>,
}

#[derive(Default)]
struct Inner {
    entries: HashMap<Key, Entry>,
    /// The keys a request is rendering for the cache right now: the others
    /// are answered as usual meanwhile, so that one request only pays for
    /// the best compression.
    making: HashSet<Key>,
}

impl PageCache {
    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The kept page, or the right to make it (`Err(Some)`), or neither
    /// (`Err(None)`: another request is making it).
    fn get_or_claim(&self, key: Key) -> Result<Entry, Option<Making>> {
        let mut inner = self.lock();
        if let Some(entry) = inner.entries.get(&key).filter(|e| e.made.elapsed() < TTL) {
            return Ok(entry.clone());
        }
        if inner.making.insert(key) {
            Err(Some(Making {
                cache: self.clone(),
                key,
            }))
        } else {
            Err(None)
        }
    }
}

/// The right to make a key's page, given back when dropped (the page kept
/// or not, the request finished or cancelled).
struct Making {
    cache: PageCache,
    key: Key,
}

impl Making {
    fn keep(self, entry: Entry) {
        self.cache.lock().entries.insert(self.key, entry);
    }
}

impl Drop for Making {
    fn drop(&mut self) {
        self.cache.lock().making.remove(&self.key);
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
/// compressing. The request that makes it asks for the best compression
/// ([`KeptPage`]).
pub async fn serve(cache: PageCache, mut request: Request, next: Next) -> Response {
    let Some(key) = key_of(&request) else {
        return next.run(request).await;
    };
    let making = match cache.get_or_claim(key) {
        Ok(entry) => {
            metrics::counter!("relais_page_cache_hits_total").increment(1);
            let mut response = Response::new(Body::from(entry.body));
            *response.headers_mut() = entry.headers;
            return response;
        }
        Err(None) => return next.run(request).await,
        Err(Some(making)) => making,
    };
    request.extensions_mut().insert(KeptPage);
    let response = next.run(request).await;
    if !keepable(&response) {
        return response;
    }
    let (parts, body) = response.into_parts();
    match axum::body::to_bytes(body, MAX_BYTES).await {
        Ok(bytes) => {
            making.keep(Entry {
                headers: parts.headers.clone(),
                body: bytes.clone(),
                made: Instant::now(),
            });
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

    /// An empty cache, the home page's key, and the right to make it.
    fn claimed() -> (PageCache, Key, Making) {
        let cache = PageCache::default();
        let key = ("/", Lang::default());
        let making = cache
            .get_or_claim(key)
            .expect_err("nothing kept")
            .expect("claimed");
        (cache, key, making)
    }

    fn entry() -> Entry {
        Entry {
            headers: HeaderMap::new(),
            body: Bytes::from_static(b"page"),
            made: Instant::now(),
        }
    }

    #[test]
    fn one_request_makes_a_page_the_others_meanwhile_render_their_own() {
        let (cache, key, making) = claimed();
        assert!(matches!(cache.get_or_claim(key), Err(None)), "being made");
        making.keep(entry());
        assert_eq!(
            cache.get_or_claim(key).ok().map(|e| e.body),
            Some(Bytes::from_static(b"page"))
        );
    }

    #[test]
    fn a_request_cancelled_while_making_gives_its_right_back() {
        let (cache, key, making) = claimed();
        drop(making);
        assert!(
            matches!(cache.get_or_claim(key), Err(Some(_))),
            "claimable again"
        );
    }

    #[test]
    fn a_page_older_than_its_time_is_made_again() {
        let (cache, key, making) = claimed();
        let old = Instant::now().checked_sub(TTL + Duration::from_secs(1));
        let Some(made) = old else { return };
        making.keep(Entry { made, ..entry() });
        assert!(matches!(cache.get_or_claim(key), Err(Some(_))), "expired");
    }
}
