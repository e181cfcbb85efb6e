//! Choosing the language of a request, and the switch that remembers it.

use app::i18n::LANG_COOKIE;
use axum::extract::{Path, Query};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use relais::Lang;
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

/// `GET <a page>?langue=en` (the switch on a page whose address holds a
/// link's token, `/d/…` and `/c/…`: the token never goes into another
/// address, issue 21): remembers the language and sends the browser back to
/// the same page without the parameter.
pub async fn language_parameter(
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let asked = (request.method() == axum::http::Method::GET)
        .then(|| request.uri().query())
        .flatten()
        .and_then(|q| {
            q.split('&')
                .find_map(|pair| pair.strip_prefix("langue="))
                .and_then(|code| code.parse::<Lang>().ok())
        });
    let Some(lang) = asked else {
        return next.run(request).await;
    };
    let path = request.uri().path().to_owned();
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

/// `GET /lang/{fr|en}?next=/path`: remembers the language for a year and
/// goes back to the page (only a path of this site, never another site).
pub async fn switch_language(
    Path(code): Path<String>,
    Query(query): Query<SwitchQuery>,
) -> Response {
    let Ok(lang) = code.parse::<Lang>() else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let next = query
        .next
        .filter(|n| is_local_path(n))
        .unwrap_or_else(|| "/".to_owned());
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
