//! `POST /api/v1/cases`: a batch of positive results from the lab feed,
//! `{"cases": [...]}`, at most [`MAX_BATCH`] items. Each item is checked by
//! the core (`relais::intake`), the valid ones go to the store in one
//! transaction (`store::intake::intake_batch`), and the answer gives each
//! item's outcome in order. `relais import` runs the same [`intake`].

use super::keys::require;
use super::ApiError;
use crate::http::AppState;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::Json;
use relais::intake::{parse_case, raw_from_json, FieldError, RawCase, ValidCase, MAX_BATCH};
use relais_store::api_keys::ApiRight;
use relais_store::intake::{intake_batch, Outcome};
use relais_store::{Db, StoreError};
use serde::Serialize;

/// What became of one item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ItemStatus {
    Created,
    AlreadyPresent,
    Rejected,
}

/// One item's outcome, as answered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct ItemResult {
    /// The item's position in the batch, from 0.
    pub index: usize,
    pub lab_reference: Option<String>,
    pub status: ItemStatus,
    /// Relais's reference of the case (created or already present).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub case_reference: Option<String>,
    /// Why the item was rejected, field by field.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
}

/// How many items ended in each status.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Totals {
    pub created: usize,
    pub already_present: usize,
    pub rejected: usize,
}

impl Totals {
    pub fn of(results: &[ItemResult]) -> Totals {
        let mut totals = Totals::default();
        for r in results {
            match r.status {
                ItemStatus::Created => totals.created += 1,
                ItemStatus::AlreadyPresent => totals.already_present += 1,
                ItemStatus::Rejected => totals.rejected += 1,
            }
        }
        totals
    }
}

/// An item checked: its lab reference as sent, and the case or its problems.
type Checked = (Option<String>, Result<ValidCase, Vec<FieldError>>);

/// Checks every item against `today`, creates the valid ones, and returns
/// each item's outcome in order: the one intake of the API and the import.
/// The checks run off the async workers (phone parsing is CPU work).
pub async fn intake(
    db: &Db,
    items: Vec<Result<RawCase, Vec<FieldError>>>,
    today: chrono::NaiveDate,
) -> Result<Vec<ItemResult>, StoreError> {
    let checked: Vec<Checked> = match tokio::task::spawn_blocking(move || {
        items
            .into_iter()
            .map(|item| match item {
                Ok(raw) => (raw.lab_reference_text(), parse_case(&raw, today)),
                Err(errors) => (None, Err(errors)),
            })
            .collect()
    })
    .await
    {
        Ok(checked) => checked,
        Err(e) if e.is_panic() => std::panic::resume_unwind(e.into_panic()),
        // The runtime is shutting down.
        Err(_) => {
            return Err(StoreError::Internal(
                "intake check cancelled (server stopping)".to_owned(),
            ))
        }
    };
    let valid: Vec<ValidCase> = checked
        .iter()
        .filter_map(|(_, c)| c.as_ref().ok().cloned())
        .collect();
    let outcomes = if valid.is_empty() {
        Vec::new()
    } else {
        intake_batch(db, &valid).await?
    };
    let mut outcomes = outcomes.into_iter();
    let mut results = Vec::with_capacity(checked.len());
    for (index, (lab_reference, checked)) in checked.into_iter().enumerate() {
        results.push(match checked {
            Ok(case) => {
                let (status, case_reference) = match outcomes.next() {
                    Some(Outcome::Created { case_reference }) => {
                        (ItemStatus::Created, case_reference)
                    }
                    Some(Outcome::AlreadyPresent { case_reference }) => {
                        (ItemStatus::AlreadyPresent, case_reference)
                    }
                    // intake_batch answers one outcome per valid item.
                    None => {
                        return Err(StoreError::Internal(
                            "intake batch answered fewer outcomes than items".to_owned(),
                        ))
                    }
                };
                ItemResult {
                    index,
                    lab_reference: Some(case.lab_reference),
                    status,
                    case_reference: Some(case_reference),
                    errors: Vec::new(),
                }
            }
            Err(errors) => ItemResult {
                index,
                lab_reference,
                status: ItemStatus::Rejected,
                case_reference: None,
                errors,
            },
        });
    }
    Ok(results)
}

/// A batch of cases as posted. Each item is read on its own, so that a
/// malformed item is rejected without blocking the others.
#[derive(serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CaseBatch {
    /// At most 10 000 items.
    #[schema(value_type = Vec<RawCase>)]
    pub cases: Vec<serde_json::Value>,
}

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
            super::MAX_API_BODY_BYTES / (1024 * 1024)
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
    if batch.cases.len() > MAX_BATCH {
        return Err(too_large(format!(
            "{} cases in one request; at most {MAX_BATCH}: split the batch",
            batch.cases.len()
        )));
    }
    let items = batch.cases.iter().map(raw_from_json).collect();
    let results = intake(&state.db, items, chrono::Utc::now().date_naive()).await?;
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
