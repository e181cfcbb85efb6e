//! A person's browser on the test server: one HTTP client with its own
//! cookie jar, so that the cookies the server sets (a case's or a contact's
//! session, a staff session, the language) come back on the next request,
//! as they would in a browser. One per person in a test: a case, a
//! contact, a tracer, a supervisor (and one per machine client of the
//! integration API, which keeps no cookie). Redirects are not followed
//! (the tests look at them).
//!
//! Without a session is a new browser (`server.browser()`); a forged or an
//! old session is a cookie put in a browser's jar by hand (`set_cookie`).
//!
//! The generic steps live here; the journey steps of each side live in
//! `citizen.rs` and `staff.rs` (more `impl Browser` blocks).

use super::TestServer;
use reqwest::header::HeaderValue;
use reqwest::{Method, RequestBuilder, Response, StatusCode, Url};
use std::sync::{Arc, Mutex};

/// What a browser navigating to a page or posting a form accepts: the
/// server answers a form post with a redirect rather than data.
pub const ACCEPT_HTML: &str = "text/html,application/xhtml+xml";

/// The cookies of one browser, by name, for the one server it talks to
/// (every cookie of the app is `Path=/`, host-only): a cookie set again
/// replaces the old one, a cookie set with `Max-Age=0` (sign-out) goes.
#[derive(Debug, Default)]
pub struct CookieJar(Mutex<Vec<(String, String)>>);

impl CookieJar {
    fn get(&self, name: &str) -> Option<String> {
        let cookies = self.0.lock().unwrap();
        cookies
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.clone())
    }

    fn set(&self, name: &str, value: &str) {
        let mut cookies = self.0.lock().unwrap();
        cookies.retain(|(n, _)| n != name);
        cookies.push((name.to_owned(), value.to_owned()));
    }

    fn remove(&self, name: &str) {
        self.0.lock().unwrap().retain(|(n, _)| n != name);
    }
}

impl reqwest::cookie::CookieStore for CookieJar {
    fn set_cookies(&self, headers: &mut dyn Iterator<Item = &HeaderValue>, _: &Url) {
        for header in headers {
            let Ok(header) = header.to_str() else {
                continue;
            };
            let mut parts = header.split(';').map(str::trim);
            let Some((name, value)) = parts.next().and_then(|p| p.split_once('=')) else {
                continue;
            };
            let expired = parts.any(|a| a.eq_ignore_ascii_case("max-age=0"));
            if expired {
                self.remove(name);
            } else {
                self.set(name, value);
            }
        }
    }

    fn cookies(&self, _: &Url) -> Option<HeaderValue> {
        let cookies = self.0.lock().unwrap();
        if cookies.is_empty() {
            return None;
        }
        let header: Vec<String> = cookies.iter().map(|(n, v)| format!("{n}={v}")).collect();
        HeaderValue::from_str(&header.join("; ")).ok()
    }
}

/// One person's browser (see the module). A clone is another tab of the
/// same browser: it shares the cookies.
#[derive(Clone)]
pub struct Browser {
    base: String,
    origin: String,
    client: reqwest::Client,
    jar: Arc<CookieJar>,
}

impl TestServer {
    /// A new browser, without any cookie: a new person.
    pub fn browser(&self) -> Browser {
        Browser::new(&self.base, &self.config.public_origin())
    }
}

impl Browser {
    /// A new browser, without any cookie, talking to the node at `base`
    /// of the site whose origin is `origin`.
    fn new(base: &str, origin: &str) -> Browser {
        let jar = Arc::new(CookieJar::default());
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .cookie_provider(jar.clone())
            // A server that never answers fails the test instead of hanging it.
            .timeout(std::time::Duration::from_secs(60))
            .build()
            .expect("HTTP client");
        Browser {
            base: base.to_owned(),
            origin: origin.to_owned(),
            client,
            jar,
        }
    }

    /// A new browser, without any cookie, talking to another node of the
    /// same site at `base` (same public origin).
    pub fn at_node(&self, base: &str) -> Browser {
        Browser::new(base, &self.origin)
    }

    /// The site's origin, as this browser writes it in `Origin`.
    pub fn origin(&self) -> &str {
        &self.origin
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// The value of the cookie `name` the browser holds.
    pub fn cookie(&self, name: &str) -> Option<String> {
        self.jar.get(name)
    }

    /// Puts a cookie in the jar by hand (a forged or an old session).
    pub fn set_cookie(&self, name: &str, value: &str) {
        self.jar.set(name, value);
    }

    /// A request with the browser's cookies and nothing else: for the tests
    /// that set their own headers (a foreign origin, an encoding, a key).
    pub fn request(&self, method: Method, path: &str) -> RequestBuilder {
        self.client.request(method, self.url(path))
    }

    /// Follows a link: the response, not followed if it redirects.
    pub async fn get(&self, path: &str) -> Response {
        self.request(Method::GET, path)
            .send()
            .await
            .unwrap_or_else(|e| panic!("GET {path}: {e}"))
    }

    /// Opens a page: its status and body.
    pub async fn page(&self, path: &str) -> (StatusCode, String) {
        let response = self.get(path).await;
        (response.status(), response.text().await.expect("page body"))
    }

    /// A POST from one of the site's own pages: the origin the server's
    /// guard demands.
    fn same_origin_post(&self, path: &str) -> RequestBuilder {
        self.request(Method::POST, path)
            .header("origin", &self.origin)
    }

    /// Posts a form as a browser does without JavaScript (same origin,
    /// HTML): the response, not followed.
    pub async fn post(&self, path: &str, form: &[(&str, &str)]) -> Response {
        self.same_origin_post(path)
            .header("accept", ACCEPT_HTML)
            .form(form)
            .send()
            .await
            .unwrap_or_else(|e| panic!("form post {path}: {e}"))
    }

    /// Posts a form as a browser does; where the answer redirects.
    pub async fn post_form(&self, path: &str, form: &[(&str, &str)]) -> String {
        location(&self.post(path, form).await)
    }

    /// Posts an urlencoded body as it is (forms no browser sends), as a
    /// form post (same origin, HTML).
    pub async fn post_raw(&self, path: &str, body: &str) -> Response {
        self.same_origin_post(path)
            .header("accept", ACCEPT_HTML)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body.to_owned())
            .send()
            .await
            .unwrap_or_else(|e| panic!("post {path}: {e}"))
    }

    /// Calls a server function as the page's script does (same origin, no
    /// HTML asked for): the function's own answer.
    pub async fn call(&self, path: &str, body: &str) -> Response {
        self.same_origin_post(path)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body.to_owned())
            .send()
            .await
            .unwrap_or_else(|e| panic!("server function {path}: {e}"))
    }
}

/// Where a response redirects (empty if it does not).
pub fn location(response: &Response) -> String {
    response
        .headers()
        .get("location")
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default()
}

/// The main landmark of a page (the head carries per-response nonces).
pub fn main_of(body: &str) -> String {
    let start = body.find("<main").unwrap_or(0);
    let end = body.find("</main>").unwrap_or(body.len());
    body[start..end].to_owned()
}
