//! Random tokens for SMS links and session cookies: 128 bits from the OS
//! generator, written in unpadded base64url (22 characters). Only their
//! SHA-256 is stored; a presented token is hashed and the stored hash is
//! compared in constant time.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use rand::RngCore;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

/// A freshly drawn token and the hash to store for it.
#[derive(Debug, Clone)]
pub struct NewToken {
    /// The secret, given once to its holder (in an SMS link or a cookie).
    pub token: String,
    /// What the database keeps.
    pub hash: String,
}

/// Draws a new 128-bit token.
pub fn new_token() -> NewToken {
    let mut bytes = [0u8; 16];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    let token = URL_SAFE_NO_PAD.encode(bytes);
    let hash = hash_token(&token);
    NewToken { token, hash }
}

/// The SHA-256 of a token, in lowercase hexadecimal.
pub fn hash_token(token: &str) -> String {
    let digest = Sha256::digest(token.as_bytes());
    let mut out = String::with_capacity(64);
    for byte in digest {
        out.push_str(&format!("{byte:02x}"));
    }
    out
}

/// Compares two stored hashes without leaking where they differ.
pub fn hashes_match(a: &str, b: &str) -> bool {
    a.len() == b.len() && bool::from(a.as_bytes().ct_eq(b.as_bytes()))
}

/// A one-way, keyed fingerprint of an IP address for rate limits: the
/// address itself is personal data and is never stored.
pub fn hash_ip(ip: &str, key: &str) -> String {
    hash_token(&format!("{key}\u{1f}{ip}"))
}

/// A one-way, keyed fingerprint of a name typed at sign-in that is no
/// account (kept to count its failures; the name itself is not stored).
pub fn hash_sign_in_name(name: &str, key: &str) -> String {
    hash_token(&format!(
        "{key}\u{1f}name\u{1f}{}",
        name.trim().to_lowercase()
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use relais::link_check::is_token;

    #[test]
    fn tokens_are_128_bit_base64url_and_distinct() {
        let a = new_token();
        let b = new_token();
        assert!(is_token(&a.token), "{}", a.token);
        assert_eq!(URL_SAFE_NO_PAD.decode(&a.token).unwrap().len(), 16);
        assert_ne!(a.token, b.token);
        assert_eq!(a.hash, hash_token(&a.token));
        assert_eq!(a.hash.len(), 64);
        assert!(!a.hash.contains(&a.token));
    }

    #[test]
    fn hash_comparison() {
        let h = hash_token("abc");
        assert_eq!(
            h,
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert!(hashes_match(&h, &hash_token("abc")));
        assert!(!hashes_match(&h, &hash_token("abd")));
        assert!(!hashes_match(&h, "short"));
    }
}
