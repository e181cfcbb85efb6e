//! The SMS gateway's inbound messages, apart from HTTP: how their signature
//! is checked, and what receiving one does. The route that takes them,
//! `POST /api/sms/inbound`, is in the HTTP layer (`api::sms_inbound`).
//!
//! - The signature: `X-Relais-Timestamp` (unix seconds) and
//!   `X-Relais-Signature`, the lowercase (or uppercase) hex HMAC-SHA256 of
//!   `timestamp + "." + raw body` with `RELAIS_SMS_INBOUND_SECRET`; refused
//!   when missing or wrong, or when the timestamp is more than 5 minutes
//!   from the server's clock. The comparison is constant-time
//!   ([`hmac::Mac::verify_slice`]).
//! - Receiving: each gateway id is acted on once ([`relais_store::replies`]
//!   says what each text does); the log carries the outcome and ids, never
//!   the phone or the text.
//!
//! STOP is not confirmed by Relais: the gateway (the operator) sends the
//! legal confirmation itself.

use hmac::{Hmac, Mac};
use relais_store::replies::{Inbound, Received};
use relais_store::{Db, StoreError};
use sha2::Sha256;

/// The largest difference between the timestamp and the clock (seconds).
pub const MAX_SKEW_SECONDS: i64 = 300;

/// Why a signature is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum SignatureError {
    #[error("missing X-Relais-Timestamp or X-Relais-Signature")]
    Missing,
    #[error("X-Relais-Timestamp is not unix seconds")]
    BadTimestamp,
    #[error("X-Relais-Timestamp is more than 5 minutes from now")]
    Stale,
    #[error("bad signature")]
    BadSignature,
}

/// The hex signature of `body` sent at `timestamp` (what the gateway
/// computes; the tests use it too).
pub fn sign(secret: &str, timestamp: &str, body: &[u8]) -> String {
    mac_of(secret, timestamp, body)
        .finalize()
        .into_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn new_mac(secret: &str) -> Hmac<Sha256> {
    // HMAC takes a key of any length: this cannot fail.
    <Hmac<Sha256> as Mac>::new_from_slice(secret.as_bytes())
        .unwrap_or_else(|_| unreachable!("HMAC accepts any key length"))
}

fn mac_of(secret: &str, timestamp: &str, body: &[u8]) -> Hmac<Sha256> {
    let mut mac = new_mac(secret);
    mac.update(timestamp.as_bytes());
    mac.update(b".");
    mac.update(body);
    mac
}

/// Checks a request's signature at `now` (unix seconds). Pure.
pub fn verify_signature(
    secret: &str,
    timestamp: Option<&str>,
    signature: Option<&str>,
    body: &[u8],
    now: i64,
) -> Result<(), SignatureError> {
    let (Some(timestamp), Some(signature)) = (timestamp, signature) else {
        return Err(SignatureError::Missing);
    };
    let timestamp = timestamp.trim();
    let sent_at: i64 = timestamp
        .parse()
        .map_err(|_| SignatureError::BadTimestamp)?;
    // abs_diff: an extreme timestamp (i64::MIN) must not overflow.
    if now.abs_diff(sent_at) > MAX_SKEW_SECONDS.unsigned_abs() {
        return Err(SignatureError::Stale);
    }
    let given = decode_hex(signature.trim()).ok_or(SignatureError::BadSignature)?;
    mac_of(secret, timestamp, body)
        .verify_slice(&given)
        .map_err(|_| SignatureError::BadSignature)
}

/// Hex to bytes; `None` for an odd length or a non-hex character.
fn decode_hex(text: &str) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) {
        return None;
    }
    text.as_bytes()
        .chunks(2)
        .map(|pair| {
            let pair = std::str::from_utf8(pair).ok()?;
            u8::from_str_radix(pair, 16).ok()
        })
        .collect()
}

/// An inbound SMS as the gateway handed it over: its id (already checked),
/// the sender's number (kept only when it is a phone number) and the text.
pub fn message(gateway_id: String, from: &str, text: String) -> Inbound {
    Inbound {
        gateway_id,
        from: relais::phone::parse_phone(from).ok().map(|p| p.e164),
        text,
    }
}

/// Acts on an inbound SMS once per gateway id, and logs what became of it.
pub async fn receive(db: &Db, inbound: &Inbound) -> Result<Received, StoreError> {
    match relais_store::replies::receive(db, inbound).await {
        Ok(Received::Duplicate) => {
            tracing::info!("inbound sms: duplicate gateway id, ignored");
            Ok(Received::Duplicate)
        }
        Ok(received) => {
            let contact_id = match &received {
                Received::Answered { contact_id, .. } => Some(contact_id.get()),
                Received::CheckedIn { contact_id, .. } => contact_id.map(|id| id.get()),
                _ => None,
            };
            tracing::info!(
                outcome = received.outcome(),
                contact_id,
                "inbound sms recorded"
            );
            Ok(received)
        }
        Err(e) => {
            tracing::error!(error = %e, "inbound sms: store failed");
            Err(e)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_extreme_timestamp_is_stale_not_an_overflow() {
        for sent_at in [i64::MIN, i64::MAX] {
            let refused = verify_signature(
                "inbound-secret-0123456789",
                Some(&sent_at.to_string()),
                Some("00"),
                b"{}",
                1_700_000_000,
            );
            assert_eq!(refused, Err(SignatureError::Stale));
        }
    }

    const SECRET: &str = "inbound-secret-0123456789";
    const NOW: i64 = 1_800_000_000;

    #[test]
    fn a_good_signature_is_accepted_in_either_case_of_hex() {
        let body = br#"{"id":"g1","from":"+33639980110","text":"1"}"#;
        let ts = NOW.to_string();
        let sig = sign(SECRET, &ts, body);
        assert_eq!(sig.len(), 64);
        assert_eq!(
            verify_signature(SECRET, Some(&ts), Some(&sig), body, NOW),
            Ok(())
        );
        assert_eq!(
            verify_signature(
                SECRET,
                Some(&ts),
                Some(&sig.to_uppercase()),
                body,
                NOW + 299
            ),
            Ok(())
        );
    }

    #[test]
    fn anything_else_is_refused() {
        let body = br#"{"id":"g1","from":"+33639980110","text":"1"}"#;
        let ts = NOW.to_string();
        let sig = sign(SECRET, &ts, body);
        let check = |ts: Option<&str>, sig: Option<&str>, body: &[u8], now: i64| {
            verify_signature(SECRET, ts, sig, body, now)
        };
        assert_eq!(
            check(None, Some(&sig), body, NOW),
            Err(SignatureError::Missing)
        );
        assert_eq!(
            check(Some(&ts), None, body, NOW),
            Err(SignatureError::Missing)
        );
        assert_eq!(
            check(Some("soon"), Some(&sig), body, NOW),
            Err(SignatureError::BadTimestamp)
        );
        assert_eq!(
            check(Some(&ts), Some(&sig), body, NOW + 301),
            Err(SignatureError::Stale)
        );
        assert_eq!(
            check(Some(&ts), Some(&sig), body, NOW - 301),
            Err(SignatureError::Stale)
        );
        // Another body, another timestamp, another key, a cut signature.
        assert_eq!(
            check(
                Some(&ts),
                Some(&sig),
                br#"{"id":"g1","from":"+33639980110","text":"2"}"#,
                NOW
            ),
            Err(SignatureError::BadSignature)
        );
        let later = (NOW + 1).to_string();
        assert_eq!(
            check(Some(&later), Some(&sig), body, NOW),
            Err(SignatureError::BadSignature)
        );
        assert_eq!(
            verify_signature("another-secret-0123456", Some(&ts), Some(&sig), body, NOW),
            Err(SignatureError::BadSignature)
        );
        assert_eq!(
            check(Some(&ts), Some(&sig[..62]), body, NOW),
            Err(SignatureError::BadSignature)
        );
        assert_eq!(
            check(Some(&ts), Some(&sig[..63]), body, NOW),
            Err(SignatureError::BadSignature)
        );
        assert_eq!(
            check(Some(&ts), Some("zz"), body, NOW),
            Err(SignatureError::BadSignature)
        );
    }
}
