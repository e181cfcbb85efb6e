//! The declaration's progressive enhancement (`enhance.js`): with
//! JavaScript, links and forms between declaration pages swap the page's
//! `<main>` instead of reloading it (see the script's header). Every page
//! still works without it.
//!
//! The script is compiled into the binary and served at [`script_url`],
//! whose `v` parameter is a hash of its content, so that browsers may cache
//! it for a year and still get a new version at once.

/// The script, as served.
pub const SCRIPT: &str = include_str!("enhance.js");

/// The path the server answers on.
pub const PATH: &str = "/enhance.js";

/// FNV-1a, 64 bits: a content fingerprint for cache busting, not a
/// security measure.
const fn fingerprint(bytes: &[u8]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let mut i = 0;
    while i < bytes.len() {
        hash ^= bytes[i] as u64;
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
        i += 1;
    }
    hash
}

/// The script's version: changes whenever its content does.
pub const VERSION: u64 = fingerprint(SCRIPT.as_bytes());

/// Whether the script acts on the page at `path`: the declaration's pages
/// and its server functions' answers, the scope the script itself checks
/// (`inScope`). Only those pages load it: elsewhere it would do nothing,
/// and the home page's first load (the citizen budget) is 1.8 KB lighter.
pub fn acts_on(path: &str) -> bool {
    path == "/dossier" || path.starts_with("/dossier/") || path.starts_with("/api/case/")
}

/// The URL pages load the script from.
pub fn script_url() -> String {
    format!("{PATH}?v={VERSION:016x}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_version_follows_the_content() {
        assert_ne!(fingerprint(b"a"), fingerprint(b"b"));
        assert_eq!(fingerprint(SCRIPT.as_bytes()), VERSION);
        assert!(script_url().starts_with("/enhance.js?v="));
        assert_eq!(script_url().len(), "/enhance.js?v=".len() + 16);
    }

    #[test]
    fn the_pages_that_load_the_script_are_those_it_acts_on() {
        for path in [
            "/dossier",
            "/dossier/contacts",
            "/dossier/envoi",
            "/api/case/save_contact",
        ] {
            assert!(acts_on(path), "{path}");
        }
        for path in [
            "/",
            "/d/abc",
            "/contact",
            "/dossiers",
            "/equipe",
            "/lang/fr",
            "/api",
        ] {
            assert!(!acts_on(path), "{path}");
        }
        // The script's own scope says the same.
        assert!(SCRIPT.contains(r#"url.pathname === "/dossier""#));
    }

    #[test]
    fn the_script_only_touches_the_declaration() {
        // The scope: the declaration's pages and server functions. Widening
        // it must be a decision, not an accident.
        assert!(SCRIPT.contains(r#"url.pathname.startsWith("/dossier/")"#));
        assert!(SCRIPT.contains(r#"url.pathname.startsWith("/api/case/")"#));
        assert!(
            !SCRIPT.contains("innerHTML"),
            "never build HTML from strings"
        );
    }
}
