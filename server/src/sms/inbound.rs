//! `POST /api/sms/inbound`: the SMS gateway hands over a message a person
//! sent to the service's number.
//!
//! - Body: JSON `{"id": "<gateway message id>", "from": "+33…", "text": "…"}`
//!   (other fields are ignored).
//! - Authentication: `X-Relais-Timestamp` (unix seconds) and
//!   `X-Relais-Signature`, the lowercase (or uppercase) hex HMAC-SHA256 of
//!   `timestamp + "." + raw body` with `RELAIS_SMS_INBOUND_SECRET`. A missing
//!   or wrong signature, or a timestamp more than 5 minutes from the
//!   server's clock, is refused with 401 and a JSON error. The comparison is
//!   constant-time ([`hmac::Mac::verify_slice`]).
//! - Without `RELAIS_SMS_INBOUND_SECRET` the route answers 404: the service
//!   takes no inbound SMS (a 503 would make the gateway retry forever).
//! - Replays: each gateway id is acted on once. The same id again answers
//!   200 with `{"status": "duplicate"}`, so that the gateway stops retrying
//!   (a signed message replayed within 5 minutes changes nothing).
//! - `200 {"status": "recorded", "outcome": "answer" | "stop" | "reply" |
//!   "unmatched"}` otherwise; 400 for a body that is not that JSON.
//!
//! STOP is not confirmed by Relais: the gateway (the operator) sends the
//! legal confirmation itself. What each text does: [`relais_store::replies`].
//! The log carries the outcome and ids, never the phone or the text.

use crate::http::AppState;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use hmac::{Hmac, Mac};
use serde::Deserialize;
use sha2::Sha256;

/// Where the gateway posts.
pub const PATH: &str = "/api/sms/inbound";
/// The largest difference between the timestamp and the clock (seconds).
pub const MAX_SKEW_SECONDS: i64 = 300;
pub const TIMESTAMP_HEADER: &str = "x-relais-timestamp";
pub const SIGNATURE_HEADER: &str = "x-relais-signature";

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
    if (now - sent_at).abs() > MAX_SKEW_SECONDS {
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

/// The body the gateway sends (other fields are ignored).
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct InboundBody {
    /// The gateway's id of the message (text or number): each is acted on once.
    #[schema(value_type = String)]
    id: serde_json::Value,
    /// The sender's number.
    from: String,
    /// What the person wrote.
    #[serde(default)]
    text: String,
}

/// What became of an inbound SMS.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct InboundAnswer {
    /// `recorded`, or `duplicate` for an id already received.
    pub status: &'static str,
    /// `answer` (to the follow-up question), `stop`, `reply` (shown to
    /// tracers) or `unmatched`; absent for a duplicate.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub outcome: Option<&'static str>,
}

fn error(status: StatusCode, code: &'static str, message: &str) -> Response {
    crate::api::ApiError::new(status, code, message).into_response()
}

/// The handler of [`PATH`].
#[utoipa::path(
    post,
    path = "/api/sms/inbound",
    tag = "sms",
    params(
        ("x-relais-timestamp" = String, Header, description = "Unix seconds; within 5 minutes of the server's clock"),
        ("x-relais-signature" = String, Header, description = "Hex HMAC-SHA256 of `timestamp + \".\" + body` with RELAIS_SMS_INBOUND_SECRET")
    ),
    request_body = InboundBody,
    responses(
        (status = 200, description = "Recorded, or a duplicate of an id already received", body = InboundAnswer),
        (status = 400, description = "The body is not the JSON above", body = crate::api::openapi::ErrorBody),
        (status = 401, description = "Missing or wrong signature, or a stale timestamp", body = crate::api::openapi::ErrorBody),
        (status = 404, description = "Inbound SMS are not enabled (no RELAIS_SMS_INBOUND_SECRET)", body = crate::api::openapi::ErrorBody),
        (status = 503, description = "The database failed: send it again", body = crate::api::openapi::ErrorBody)
    )
)]
pub async fn receive(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> Response {
    let Some(secret) = state
        .config
        .sms
        .inbound_secret
        .as_ref()
        .map(secrecy::ExposeSecret::expose_secret)
    else {
        return error(
            StatusCode::NOT_FOUND,
            "not_enabled",
            "inbound SMS are not enabled",
        );
    };
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    if let Err(refused) = verify_signature(
        secret,
        header(TIMESTAMP_HEADER),
        header(SIGNATURE_HEADER),
        &body,
        relais_store::now(),
    ) {
        tracing::warn!(reason = %refused, "inbound sms refused");
        return error(
            StatusCode::UNAUTHORIZED,
            "bad_signature",
            &refused.to_string(),
        );
    }
    let Ok(parsed) = serde_json::from_slice::<InboundBody>(&body) else {
        return error(
            StatusCode::BAD_REQUEST,
            "invalid_json",
            "expected JSON {\"id\", \"from\", \"text\"}",
        );
    };
    let gateway_id = match &parsed.id {
        serde_json::Value::String(s) => s.trim().to_owned(),
        serde_json::Value::Number(n) => n.to_string(),
        _ => String::new(),
    };
    if gateway_id.is_empty() || gateway_id.len() > 200 {
        return error(
            StatusCode::BAD_REQUEST,
            "invalid_id",
            "id: the gateway's message id",
        );
    }
    let inbound = relais_store::replies::Inbound {
        gateway_id,
        from: relais::phone::parse_phone(&parsed.from)
            .ok()
            .map(|p| p.e164),
        text: parsed.text,
    };
    match relais_store::replies::receive(&state.db, &inbound).await {
        Ok(relais_store::replies::Received::Duplicate) => {
            tracing::info!("inbound sms: duplicate gateway id, ignored");
            Json(InboundAnswer {
                status: "duplicate",
                outcome: None,
            })
            .into_response()
        }
        Ok(received) => {
            let contact_id = match &received {
                relais_store::replies::Received::Answered { contact_id, .. } => Some(*contact_id),
                _ => None,
            };
            tracing::info!(
                outcome = received.outcome(),
                contact_id,
                "inbound sms recorded"
            );
            Json(InboundAnswer {
                status: "recorded",
                outcome: Some(received.outcome()),
            })
            .into_response()
        }
        Err(e) => {
            tracing::error!(error = %e, "inbound sms: store failed");
            error(
                StatusCode::SERVICE_UNAVAILABLE,
                "unavailable",
                "try again later",
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
