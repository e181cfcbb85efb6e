//! Choosing the language of a request, and the switch that remembers it.

use super::state::AppState;
use app::i18n::LANG_COOKIE;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use relais::Lang;
use relais_store::Db;
use serde::Deserialize;

/// The language of a request: the `relais_lang` cookie, else the browser's
/// `Accept-Language`, else French.
pub fn request_lang(headers: &HeaderMap) -> Lang {
    cookie_lang(headers).unwrap_or_else(|| {
        headers
            .get(header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok())
            .map(Lang::from_accept_language)
            .unwrap_or_default()
    })
}

fn cookie_lang(headers: &HeaderMap) -> Option<Lang> {
    app::citizen::session::cookie_in(headers, LANG_COOKIE).and_then(|value| value.parse().ok())
}

/// The cookie that remembers `lang` for a year.
fn lang_cookie(lang: Lang) -> String {
    format!(
        "{LANG_COOKIE}={}; Path=/; Max-Age=31536000; SameSite=Lax",
        lang.code()
    )
}

/// The token of a page whose address holds an SMS link's (`/d/…`, `/c/…`).
fn link_token(path: &str) -> Option<&str> {
    path.strip_prefix("/d/")
        .or_else(|| path.strip_prefix("/c/"))
        .filter(|token| relais::link_check::is_token(token))
}

/// Remembers `lang` on the citizen the request speaks for: the holder of
/// the session cookie, or of the link in the address. Nothing for a
/// visitor or a staff member. A store failure only loses the memory: the
/// cookie still carries the choice.
async fn remember(db: &Db, headers: &HeaderMap, path: &str, lang: Lang) {
    use relais_store::languages::{reader_of_link, reader_of_session, set_reader_lang};
    let secret =
        app::citizen::session::cookie_in(headers, app::citizen::session::cookie_name(true))
            .or_else(|| {
                app::citizen::session::cookie_in(headers, app::citizen::session::cookie_name(false))
            });
    let reader = match (secret, link_token(path)) {
        (Some(secret), _) => reader_of_session(db, &secret).await,
        (None, Some(token)) => reader_of_link(db, token)
            .await
            .map(|r| r.map(|(reader, _)| reader)),
        (None, None) => Ok(None),
    };
    let result = match reader {
        Ok(Some(reader)) => set_reader_lang(db, reader, lang).await,
        Ok(None) => Ok(()),
        Err(e) => Err(e),
    };
    if let Err(e) = result {
        tracing::warn!(error = %e, "language: could not remember the choice");
    }
}

/// `GET <a page>?langue=en` (the switch on a page whose address holds a
/// link's token, `/d/…` and `/c/…`: the token never goes into another
/// address, issue 21): remembers the language and sends the browser back to
/// the same page without the parameter.
///
/// And a link's page opened without a chosen language (no cookie) opens
/// in the language stored for its person (see
/// [`relais_store::languages::reader_of_link`]) and remembers it in the
/// cookie: the browser's `Accept-Language` only decides when nothing is.
pub async fn language_parameter(
    State(state): State<AppState>,
    mut request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let is_get = request.method() == axum::http::Method::GET;
    let asked = is_get
        .then(|| request.uri().query())
        .flatten()
        .and_then(|q| {
            q.split('&')
                .find_map(|pair| pair.strip_prefix("langue="))
                .and_then(|code| code.parse::<Lang>().ok())
        });
    let path = request.uri().path().to_owned();
    let Some(lang) = asked else {
        if !is_get || cookie_lang(request.headers()).is_some() {
            return next.run(request).await;
        }
        let Some(token) = link_token(&path) else {
            return next.run(request).await;
        };
        let stored = match relais_store::languages::reader_of_link(&state.db, token).await {
            Ok(found) => found.and_then(|(_, lang)| lang),
            Err(e) => {
                tracing::warn!(error = %e, "language: could not read the link's");
                None
            }
        };
        let Some(lang) = stored else {
            return next.run(request).await;
        };
        // This page in that language, and the next ones.
        if let Ok(value) = HeaderValue::from_str(&format!("{LANG_COOKIE}={}", lang.code())) {
            request.headers_mut().append(header::COOKIE, value);
        }
        let mut response = next.run(request).await;
        if let Ok(cookie) = HeaderValue::from_str(&lang_cookie(lang)) {
            response.headers_mut().append(header::SET_COOKIE, cookie);
        }
        return response;
    };
    remember(&state.db, request.headers(), &path, lang).await;
    let mut response = StatusCode::SEE_OTHER.into_response();
    if let (Ok(location), Ok(cookie)) = (
        HeaderValue::from_str(&path),
        HeaderValue::from_str(&lang_cookie(lang)),
    ) {
        response.headers_mut().insert(header::LOCATION, location);
        response.headers_mut().insert(header::SET_COOKIE, cookie);
        response
            .headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    response
}

#[derive(Debug, Deserialize)]
pub struct SwitchQuery {
    next: Option<String>,
}

/// `GET /lang/{code}?next=/path`: remembers the language for a year (and on
/// the citizen's case or contact, when one is signed in) and goes back to
/// the page (only a path of this site, never another site).
pub async fn switch_language(
    State(state): State<AppState>,
    Path(code): Path<String>,
    Query(query): Query<SwitchQuery>,
    headers: HeaderMap,
) -> Response {
    let Ok(lang) = code.parse::<Lang>() else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let next = query
        .next
        .filter(|n| is_local_path(n))
        .unwrap_or_else(|| "/".to_owned());
    remember(&state.db, &headers, "/", lang).await;
    let cookie = lang_cookie(lang);
    let mut response = StatusCode::SEE_OTHER.into_response();
    if let (Ok(location), Ok(cookie)) =
        (HeaderValue::from_str(&next), HeaderValue::from_str(&cookie))
    {
        response.headers_mut().insert(header::LOCATION, location);
        response.headers_mut().insert(header::SET_COOKIE, cookie);
    }
    response
}

/// A path on this site: starts with one `/`, not `//` nor `/\` (which
/// browsers read as another host), no control characters.
pub fn is_local_path(path: &str) -> bool {
    path.starts_with('/')
        && !path.starts_with("//")
        && !path.starts_with("/\\")
        && path.len() <= 2048
        && !path.chars().any(|c| c.is_control())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookie_wins_over_accept_language() {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::ACCEPT_LANGUAGE,
            HeaderValue::from_static("en-GB,en"),
        );
        assert_eq!(request_lang(&headers), Lang::En);
        headers.insert(
            header::COOKIE,
            HeaderValue::from_static("a=b; relais_lang=fr"),
        );
        assert_eq!(request_lang(&headers), Lang::Fr);
        headers.insert(header::COOKIE, HeaderValue::from_static("relais_lang=xx"));
        assert_eq!(request_lang(&headers), Lang::En);
    }

    #[test]
    fn only_local_paths_are_followed() {
        assert!(is_local_path("/"));
        assert!(is_local_path("/verifier?link=x"));
        assert!(!is_local_path("//evil.example"));
        assert!(!is_local_path("/\\evil.example"));
        assert!(!is_local_path("https://evil.example"));
        assert!(!is_local_path("/a\nb"));
    }
}
