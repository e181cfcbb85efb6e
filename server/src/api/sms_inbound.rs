//! `POST /api/sms/inbound`: the HTTP side of the SMS gateway's inbound
//! messages — reads the request, has its signature checked and the message
//! received by [`crate::sms::inbound`], and answers.
//!
//! - Body: JSON `{"id": "<gateway message id>", "from": "+33…", "text": "…"}`
//!   (other fields are ignored).
//! - Authentication: `X-Relais-Timestamp` and `X-Relais-Signature` (see
//!   [`crate::sms::inbound`]). A missing or wrong signature, or a stale
//!   timestamp, is refused with 401 and a JSON error.
//! - Without `RELAIS_SMS_INBOUND_SECRET` the route answers 404: the service
//!   takes no inbound SMS (a 503 would make the gateway retry forever).
//! - Replays: each gateway id is acted on once. The same id again answers
//!   200 with `{"status": "duplicate"}`, so that the gateway stops retrying
//!   (a signed message replayed within 5 minutes changes nothing).
//! - `200 {"status": "recorded", "outcome": "answer" | "check_in" | "stop" |
//!   "reply" | "unmatched"}` otherwise; 400 for a body that is not that JSON.

use super::ApiError;
use crate::http::AppState;
use crate::sms::inbound;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use relais_store::replies::Received;
use serde::Deserialize;

/// Where the gateway posts.
pub const PATH: &str = "/api/sms/inbound";
pub const TIMESTAMP_HEADER: &str = "x-relais-timestamp";
pub const SIGNATURE_HEADER: &str = "x-relais-signature";

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
    /// `answer` (to the follow-up question), `check_in` (to "How are
    /// you?"), `stop`, `reply` (shown to tracers) or `unmatched`; absent
    /// for a duplicate.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub outcome: Option<&'static str>,
}

fn error(status: StatusCode, code: &'static str, message: &str) -> Response {
    ApiError::new(status, code, message).into_response()
}

/// The largest inbound body read (an SMS and its envelope are well under
/// 1 KiB): beyond it, 413 before the body is read.
pub const MAX_BODY_BYTES: usize = 64 * 1024;

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
        (status = 400, description = "The body is not the JSON above", body = super::openapi::ErrorBody),
        (status = 401, description = "Missing or wrong signature, or a stale timestamp", body = super::openapi::ErrorBody),
        (status = 404, description = "Inbound SMS are not enabled (no RELAIS_SMS_INBOUND_SECRET)", body = super::openapi::ErrorBody),
        (status = 413, description = "A body over 64 KiB", body = super::openapi::ErrorBody),
        (status = 503, description = "The database failed: send it again", body = super::openapi::ErrorBody)
    )
)]
pub async fn receive(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Response {
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
    // Over the limit (or cut short): the API's JSON error, as every other.
    let body = match body {
        Ok(body) => body,
        Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
            return error(
                StatusCode::PAYLOAD_TOO_LARGE,
                "too_large",
                "the request body is over 64 KiB",
            );
        }
        Err(_) => {
            return error(
                StatusCode::BAD_REQUEST,
                "unreadable_body",
                "the request body could not be read",
            );
        }
    };
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    if let Err(refused) = inbound::verify_signature(
        secret,
        header(TIMESTAMP_HEADER),
        header(SIGNATURE_HEADER),
        &body,
        state.db.now(),
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
    let message = inbound::message(gateway_id, &parsed.from, parsed.text);
    match inbound::receive(&state.db, &message).await {
        Ok(Received::Duplicate) => Json(InboundAnswer {
            status: "duplicate",
            outcome: None,
        })
        .into_response(),
        Ok(received) => Json(InboundAnswer {
            status: "recorded",
            outcome: Some(received.outcome()),
        })
        .into_response(),
        Err(_) => error(
            StatusCode::SERVICE_UNAVAILABLE,
            "unavailable",
            "try again later",
        ),
    }
}
