//! `POST /api/v1/cases`: reads a batch of positive results from the lab
//! feed, `{"cases": [...]}`, at most [`MAX_BATCH`] items, and answers each
//! item's outcome in order. The checking and creating is [`crate::intake`],
//! which `relais import` runs too.

use super::keys::require;
use super::ApiError;
use crate::http::AppState;
use crate::intake::{intake, ItemResult, Totals};
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::Json;
use relais::intake::{raw_from_json, RawCase, MAX_BATCH};
use relais_store::api_keys::ApiRight;
use serde::Serialize;
use validator::Validate;

/// Largest request body of the API: a batch of [`relais::intake::MAX_BATCH`]
/// cases of a few hundred bytes each, with room to spare. The API's router
/// applies it to every route (`super::MAX_API_BODY_BYTES`).
pub const MAX_API_BODY_BYTES: usize = 16 * 1024 * 1024;

/// A batch of cases as posted. Each item is read on its own, so that a
/// malformed item is rejected without blocking the others.
#[derive(serde::Deserialize, utoipa::ToSchema, validator::Validate)]
#[serde(deny_unknown_fields)]
pub struct CaseBatch {
    /// At most 10 000 items.
    #[schema(value_type = Vec<RawCase>)]
    #[validate(length(max = BATCH_LIMIT, code = "batch_too_large"))]
    pub cases: Vec<serde_json::Value>,
}

/// [`MAX_BATCH`] as `validator` compares lengths.
const BATCH_LIMIT: u64 = MAX_BATCH as u64;

/// The answer to a batch: the totals, then each item's outcome in order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct IntakeAnswer {
    #[serde(flatten)]
    pub totals: Totals,
    pub results: Vec<ItemResult>,
}

/// Creates the batch's valid cases (each with its invitation SMS) and
/// answers each item's outcome; good items are never blocked by bad ones.
#[utoipa::path(
    post,
    path = "/api/v1/cases",
    tag = "intake",
    security(("api_key" = [])),
    request_body = CaseBatch,
    responses(
        (status = 200, description = "Each item: created, already present (same lab reference) or rejected with its field errors", body = IntakeAnswer),
        (status = 400, description = "The body is not a JSON batch", body = super::openapi::ErrorBody),
        (status = 401, description = "No API key, or an unknown or revoked one", body = super::openapi::ErrorBody),
        (status = 403, description = "The key lacks the intake right", body = super::openapi::ErrorBody),
        (status = 413, description = "More than 10 000 cases, or a body over 16 MiB", body = super::openapi::ErrorBody),
        (status = 500, description = "The database failed; send the batch again (idempotent)", body = super::openapi::ErrorBody)
    )
)]
pub async fn post_cases(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Json<IntakeAnswer>, ApiError> {
    require(&state.db, &headers, ApiRight::Intake).await?;
    let body = body.map_err(|e| match e.status() {
        StatusCode::PAYLOAD_TOO_LARGE => too_large(format!(
            "the request body is over {} MiB; send at most {MAX_BATCH} cases a request",
            MAX_API_BODY_BYTES / (1024 * 1024)
        )),
        _ => ApiError::bad_request("unreadable_body", "the request body could not be read"),
    })?;
    let batch: CaseBatch = serde_json::from_slice(&body).map_err(|e| {
        ApiError::bad_request(
            "invalid_json",
            format!(
                "expected {{\"cases\": [ ... ]}} in JSON (line {}, column {})",
                e.line(),
                e.column()
            ),
        )
    })?;
    batch.validate().map_err(|_| {
        too_large(format!(
            "{} cases in one request; at most {MAX_BATCH}: split the batch",
            batch.cases.len()
        ))
    })?;
    let items = batch.cases.iter().map(raw_from_json).collect();
    let results = intake(
        &state.db,
        items,
        state.db.today_paris(),
        state.territories.get(),
    )
    .await?;
    let totals = Totals::of(&results);
    tracing::info!(
        created = totals.created,
        already_present = totals.already_present,
        rejected = totals.rejected,
        "api: cases received"
    );
    Ok(Json(IntakeAnswer { totals, results }))
}

fn too_large(message: String) -> ApiError {
    ApiError::new(StatusCode::PAYLOAD_TOO_LARGE, "batch_too_large", message)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The batch size at its bound: [`MAX_BATCH`] items accepted, one more
    /// refused (413 `batch_too_large` in the handler).
    #[test]
    fn batch_is_bounded() {
        let batch = |n: usize| CaseBatch {
            cases: vec![serde_json::Value::Null; n],
        };
        assert!(batch(0).validate().is_ok());
        assert!(batch(MAX_BATCH).validate().is_ok());
        let errors = batch(MAX_BATCH + 1).validate().expect_err("refused");
        assert_eq!(errors.field_errors()["cases"][0].code, "batch_too_large");
    }
}
