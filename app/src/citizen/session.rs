//! Citizen sessions on the server: the cookie that replaces the SMS token
//! once the person has proved who they are, and its lookup.

use crate::PublicUrl;
use http::header::{COOKIE, SET_COOKIE};
use http::HeaderValue;
use leptos::prelude::*;
use relais_store::sessions::{self, SessionSubject};
use relais_store::Db;

/// The session cookie's name: `__Host-` prefixed (locked to this host, path
/// `/`, secure) when the service is on HTTPS.
pub fn cookie_name(https: bool) -> &'static str {
    if https {
        "__Host-relais_session"
    } else {
        "relais_session"
    }
}

/// The `Set-Cookie` value that opens a session: HttpOnly, SameSite=Strict,
/// Secure on HTTPS, no Max-Age (it ends with the browser; the database
/// bounds it anyway).
pub fn session_cookie(secret: &str, https: bool) -> String {
    cookie_header(cookie_name(https), secret, https)
}

/// A session cookie named `name`: HttpOnly, SameSite=Strict, Secure on
/// HTTPS, no Max-Age (the database bounds the session).
pub fn cookie_header(name: &str, secret: &str, https: bool) -> String {
    let secure = if https { "; Secure" } else { "" };
    format!("{name}={secret}; Path=/; HttpOnly; SameSite=Strict{secure}")
}

pub(crate) fn is_https() -> bool {
    use_context::<PublicUrl>().is_some_and(|u| u.0.starts_with("https://"))
}

/// A context the server provides to every request (the database, the rule
/// sets). Missing only when the request was cancelled by its client: an
/// error then, never a panic.
pub fn server_context<T: Clone + Send + Sync + 'static>() -> Result<T, crate::error::AppError> {
    use_context::<T>().ok_or(crate::error::AppError::Unavailable)
}

/// Where a server function writes its cookie; take it before any `.await`.
#[derive(Clone)]
pub struct CookieJar {
    response: Option<leptos_axum::ResponseOptions>,
    https: bool,
}

impl CookieJar {
    pub fn from_context() -> CookieJar {
        CookieJar {
            response: use_context::<leptos_axum::ResponseOptions>(),
            https: is_https(),
        }
    }

    /// Sets the session cookie on the response being built.
    pub fn set_session(&self, secret: &str) {
        if let (Some(response), Ok(value)) = (
            self.response.as_ref(),
            HeaderValue::from_str(&session_cookie(secret, self.https)),
        ) {
            response.append_header(SET_COOKIE, value);
        }
    }
}

/// The session secret sent by the browser, if any.
pub fn presented_secret() -> Option<String> {
    presented_cookie(cookie_name(is_https()))
}

/// The value of the cookie `name` the browser sent, if any.
pub fn presented_cookie(name: &str) -> Option<String> {
    let parts = use_context::<http::request::Parts>()?;
    cookie_in(&parts.headers, name)
}

/// The value of the cookie `name` among request headers, if any.
pub fn cookie_in(headers: &http::HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(n, _)| *n == name)
        .map(|(_, v)| v.to_owned())
}

/// The subject of the session this request carries, if it is alive. Reads
/// the cookie before awaiting: a server function takes every context it
/// needs before its first `.await` (a request cancelled by its client drops
/// them).
async fn current_subject(db: &Db) -> Option<SessionSubject> {
    let secret = presented_secret()?;
    match sessions::session_subject(db, &secret).await {
        Ok(subject) => subject,
        Err(e) => {
            tracing::error!(error = %e, "session lookup failed");
            None
        }
    }
}

/// The case whose session this request carries, if it is alive.
pub async fn current_case(db: &Db) -> Option<relais::ids::CaseId> {
    match current_subject(db).await? {
        SessionSubject::Case(id) => Some(id),
        _ => None,
    }
}

/// The notified contact whose session this request carries, if it is alive.
pub async fn current_contact(db: &Db) -> Option<relais::ids::ContactId> {
    match current_subject(db).await? {
        SessionSubject::Contact(id) => Some(id),
        _ => None,
    }
}

/// The client's address, to be hashed before it is stored (rate limits
/// never store an IP).
pub fn client_ip() -> String {
    let Some(parts) = use_context::<http::request::Parts>() else {
        return String::new();
    };
    let Some(peer) = parts
        .extensions
        .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
        .map(|info| info.0.ip())
    else {
        return String::new();
    };
    // Behind the operator's proxies (RELAIS_TRUSTED_PROXIES), the client
    // they forwarded; IPv6 by its /64.
    let trusted = use_context::<relais::client_address::TrustedProxies>().unwrap_or_default();
    let forwarded: Vec<&str> = parts
        .headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .collect();
    relais::client_address::rate_key(trusted.client(peer, &forwarded))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookies_are_http_only_strict_and_secure_on_https() {
        let c = session_cookie("s3cr3t", true);
        assert!(
            c.starts_with("__Host-relais_session=s3cr3t; Path=/;"),
            "{c}"
        );
        assert!(c.contains("HttpOnly") && c.contains("SameSite=Strict") && c.contains("Secure"));
        let c = session_cookie("s3cr3t", false);
        assert!(
            c.starts_with("relais_session=s3cr3t;") && !c.contains("Secure"),
            "{c}"
        );
    }
}
