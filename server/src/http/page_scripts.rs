//! A page's inline scripts, allowed by their SHA-256 instead of a nonce.
//!
//! Leptos writes three inline scripts in a page: the islands' bootstrap in
//! the head, and after the document its hydration data (`__RESOLVED_RESOURCES
//! …`, `__INCOMPLETE_CHUNKS…`), these with a random nonce that `leptos_axum`
//! draws for each response. A nonce makes every response unique; the same
//! page is then never the same bytes, and cannot be kept compressed
//! (`http::page_cache`). So the page's nonces are removed and its policy
//! names the hash of each inline script instead: exactly the scripts Leptos
//! wrote, nothing else (CSP level 2, every browser the service supports).
//!
//! Text that a person typed can never open a `<script>`: Leptos escapes `<`
//! in text and in attribute values alike. Every `<script` of a page is
//! Leptos' or ours.

use std::collections::HashMap;
use std::sync::Mutex;

/// The Content-Security-Policy of an HTML page whose inline scripts have the
/// SHA-256 (base64) `script_hashes`. WASM needs `'wasm-unsafe-eval'`;
/// nothing is loaded from another origin, and no page may be framed.
pub fn page_csp<'a>(script_hashes: impl IntoIterator<Item = &'a str>) -> String {
    let mut scripts = String::from("'self'");
    for hash in script_hashes {
        scripts.push_str(" 'sha256-");
        scripts.push_str(hash);
        scripts.push('\'');
    }
    format!(
        "default-src 'none'; script-src {scripts} 'wasm-unsafe-eval'; \
         style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; \
         manifest-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
    )
}

/// The base64 SHA-256 of an inline script's text, as a policy names it.
pub fn script_sha256(script: &str) -> String {
    use base64::Engine;
    use sha2::Digest;
    base64::engine::general_purpose::STANDARD.encode(sha2::Sha256::digest(script.as_bytes()))
}

/// The hashes already computed: a page's scripts are nearly always the same
/// few texts (the bootstrap, empty hydration data).
static KNOWN: Mutex<Option<HashMap<String, String>>> = Mutex::new(None);
/// Beyond this many texts, the memory starts again.
const KNOWN_MAX: usize = 64;

fn hash_of(script: &str) -> String {
    if let Some(hash) = KNOWN
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .as_ref()
        .and_then(|known| known.get(script))
    {
        return hash.clone();
    }
    let hash = script_sha256(script);
    let mut known = KNOWN.lock().unwrap_or_else(|e| e.into_inner());
    let known = known.get_or_insert_with(HashMap::new);
    if known.len() >= KNOWN_MAX {
        known.clear();
    }
    known.insert(script.to_owned(), hash.clone());
    hash
}

/// The searchers of a script's start and end (SIMD, built once).
fn finders() -> &'static (
    memchr::memmem::Finder<'static>,
    memchr::memmem::Finder<'static>,
) {
    static FINDERS: std::sync::OnceLock<(
        memchr::memmem::Finder<'static>,
        memchr::memmem::Finder<'static>,
    )> = std::sync::OnceLock::new();
    FINDERS.get_or_init(|| {
        (
            memchr::memmem::Finder::new(b"<script"),
            memchr::memmem::Finder::new(b"</script>"),
        )
    })
}

/// The page without its scripts' nonces, and its policy.
pub fn seal(page: &str) -> (String, String) {
    let mut out = String::with_capacity(page.len());
    let mut hashes: Vec<String> = Vec::new();
    let mut rest = page;
    let (open, close) = finders();
    while let Some(at) = open.find(rest.as_bytes()) {
        let Some(tag_len) = memchr::memchr(b'>', &rest.as_bytes()[at..]) else {
            break;
        };
        let tag = &rest[at..=at + tag_len];
        let body = at + tag_len + 1;
        let Some(body_len) = close.find(&rest.as_bytes()[body..]) else {
            break;
        };
        out.push_str(&rest[..at]);
        out.push_str(&without_nonce(tag));
        if !tag.contains(" src=") {
            let hash = hash_of(&rest[body..body + body_len]);
            if !hashes.contains(&hash) {
                hashes.push(hash);
            }
        }
        out.push_str(&rest[body..body + body_len]);
        rest = &rest[body + body_len..];
    }
    out.push_str(rest);
    let csp = page_csp(hashes.iter().map(String::as_str));
    (out, csp)
}

/// A `<script …>` tag without its `nonce="…"` attribute.
fn without_nonce(tag: &str) -> std::borrow::Cow<'_, str> {
    let Some(at) = tag.find(" nonce=\"") else {
        return tag.into();
    };
    let value = at + " nonce=\"".len();
    match tag[value..].find('"') {
        Some(len) => format!("{}{}", &tag[..at], &tag[value + len + 1..]).into(),
        None => tag.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn the_hash_is_the_script_s_sha256_in_base64() {
        // echo -n 'go()' | openssl dgst -sha256 -binary | base64
        assert_eq!(
            script_sha256("go()"),
            "5KYv+PUboo5h+0+YAtGRPbwv5d/QxzHslP4YGnUaxRw="
        );
    }

    #[test]
    fn nonces_are_removed_and_each_inline_script_is_named_once() {
        let page = concat!(
            "<html><head><script type=\"module\">boot()</script>",
            "<script src=\"/enhance.js?v=1\" defer></script></head><body>a &lt;script&gt;</body></html>",
            "<script nonce=\"abc123\">__RESOLVED_RESOURCES=[];</script>",
            "<script nonce=\"abc123\">__INCOMPLETE_CHUNKS=[];</script>",
            "<script nonce=\"abc123\">boot()</script>",
        );
        let (sealed, csp) = seal(page);
        assert_eq!(
            sealed,
            concat!(
                "<html><head><script type=\"module\">boot()</script>",
                "<script src=\"/enhance.js?v=1\" defer></script></head><body>a &lt;script&gt;</body></html>",
                "<script>__RESOLVED_RESOURCES=[];</script>",
                "<script>__INCOMPLETE_CHUNKS=[];</script>",
                "<script>boot()</script>",
            )
        );
        let expected = page_csp(
            [
                script_sha256("boot()"),
                script_sha256("__RESOLVED_RESOURCES=[];"),
                script_sha256("__INCOMPLETE_CHUNKS=[];"),
            ]
            .iter()
            .map(String::as_str),
        );
        assert_eq!(csp, expected);
        assert!(csp.starts_with("default-src 'none'; script-src 'self' 'sha256-"));
        assert!(!csp.contains("nonce") && !csp.contains("unsafe-inline"));
    }

    #[test]
    fn a_page_without_inline_script_allows_none() {
        let (sealed, csp) = seal("<p>x</p><script src=\"/a.js\"></script>");
        assert_eq!(sealed, "<p>x</p><script src=\"/a.js\"></script>");
        assert!(
            csp.contains("script-src 'self' 'wasm-unsafe-eval'"),
            "{csp}"
        );
    }

    proptest! {
        /// Whatever the text around them, sealing keeps every byte but the
        /// nonces, and names exactly the inline scripts.
        #[test]
        fn sealing_keeps_the_page_but_its_nonces(
            parts in proptest::collection::vec(("[a-z <>&;=\"/]{0,30}", "[a-z();=\\[\\]]{0,20}", any::<bool>()), 0..6),
        ) {
            let text = |t: &str| t.replace('<', "&lt;");
            let mut page = String::new();
            let mut expected = String::new();
            let mut hashes = Vec::new();
            for (around, script, nonce) in &parts {
                page.push_str(&text(around));
                expected.push_str(&text(around));
                page.push_str(if *nonce { "<script nonce=\"n0Nce\">" } else { "<script>" });
                expected.push_str("<script>");
                page.push_str(script);
                expected.push_str(script);
                page.push_str("</script>");
                expected.push_str("</script>");
                let hash = script_sha256(script);
                if !hashes.contains(&hash) {
                    hashes.push(hash);
                }
            }
            let (sealed, csp) = seal(&page);
            prop_assert_eq!(sealed, expected);
            prop_assert_eq!(csp, page_csp(hashes.iter().map(String::as_str)));
        }
    }
}
