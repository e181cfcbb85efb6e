//! Is this really a Relais link? People receive SMS that pretend to come from
//! the health insurer. The home page lets anyone paste a link and learn,
//! before opening it, whether it leads to this service. Pure logic, used by
//! the server (form without JavaScript) and by the island (as one types).

use serde::{Deserialize, Serialize};

/// Length of a link token: 128 random bits in unpadded base64url.
pub const TOKEN_LEN: usize = 22;

/// What a pasted text turned out to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum LinkVerdict {
    /// Nothing to check yet.
    Empty,
    /// A complete link to a case's declaration (`/d/…`).
    CaseLink,
    /// A complete link to a contact's instructions (`/c/…`).
    ContactLink,
    /// Our address, but the link is cut or altered.
    Incomplete,
    /// Another site: not ours.
    Foreign,
}

/// Classifies `text` against the service's public base URL (for example
/// `https://relais.example.fr`). Comparison ignores the scheme's case,
/// surrounding spaces and a trailing slash of the base.
pub fn check_link(public_url: &str, text: &str) -> LinkVerdict {
    let text = text.trim();
    if text.is_empty() {
        return LinkVerdict::Empty;
    }
    let base = public_url.trim().trim_end_matches('/');
    let Some(rest) = strip_prefix_ignore_ascii_case(text, base) else {
        return LinkVerdict::Foreign;
    };
    // The base must end at a path boundary: `https://relais.fr.evil.com`
    // starts with `https://relais.fr` but is another site.
    let Some(path) = rest.strip_prefix('/') else {
        return if rest.is_empty() {
            LinkVerdict::Incomplete
        } else {
            LinkVerdict::Foreign
        };
    };
    let (kind, token) = match path.split_at_checked(2) {
        Some(("d/", token)) => (LinkVerdict::CaseLink, token),
        Some(("c/", token)) => (LinkVerdict::ContactLink, token),
        _ => return LinkVerdict::Incomplete,
    };
    if is_token(token) {
        kind
    } else {
        LinkVerdict::Incomplete
    }
}

/// True when `token` has the exact shape of a link token.
pub fn is_token(token: &str) -> bool {
    token.len() == TOKEN_LEN
        && token
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

fn strip_prefix_ignore_ascii_case<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
    let head = text.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &text[prefix.len()..])
}

#[cfg(test)]
mod tests {
    use super::*;

    const BASE: &str = "https://relais.example.fr";
    const TOKEN: &str = "AbCdEfGhIjKlMnOpQrSt_-";

    #[test]
    fn recognises_complete_links() {
        assert_eq!(
            check_link(BASE, &format!("{BASE}/d/{TOKEN}")),
            LinkVerdict::CaseLink
        );
        assert_eq!(
            check_link(BASE, &format!(" {BASE}/c/{TOKEN} ")),
            LinkVerdict::ContactLink
        );
        assert_eq!(
            check_link(
                "https://relais.example.fr/",
                &format!("HTTPS://RELAIS.example.fr/c/{TOKEN}")
            ),
            LinkVerdict::ContactLink
        );
    }

    #[test]
    fn flags_cut_or_altered_links() {
        assert_eq!(
            check_link(BASE, &format!("{BASE}/d/{}", &TOKEN[..10])),
            LinkVerdict::Incomplete
        );
        assert_eq!(
            check_link(BASE, &format!("{BASE}/x/{TOKEN}")),
            LinkVerdict::Incomplete
        );
        assert_eq!(check_link(BASE, BASE), LinkVerdict::Incomplete);
        assert_eq!(
            check_link(BASE, &format!("{BASE}/d/{TOKEN}!")),
            LinkVerdict::Incomplete
        );
    }

    #[test]
    fn flags_other_sites() {
        assert_eq!(
            check_link(
                BASE,
                &format!("https://relais.example.fr.evil.com/d/{TOKEN}")
            ),
            LinkVerdict::Foreign
        );
        assert_eq!(
            check_link(BASE, &format!("http://relais.example.fr/d/{TOKEN}")),
            LinkVerdict::Foreign
        );
        assert_eq!(
            check_link(BASE, "https://ameli-remboursement.info/d/x"),
            LinkVerdict::Foreign
        );
        assert_eq!(check_link(BASE, "é"), LinkVerdict::Foreign);
        assert_eq!(check_link(BASE, "   "), LinkVerdict::Empty);
    }
}
