//! Nurse-visit requests for the nurses' platform (right `support`):
//! `GET /api/v1/support-requests?since=<unix seconds | RFC 3339>`, every
//! request for a nurse's visit shared with a support cell (the person
//! agreed) and changed since then, in pages (`limit`, and the `next`
//! cursor to pass back as `cursor`). Only what the visit needs: the
//! person's name, phone, address, needs, note, best time and the last day
//! of their isolation, never a case's contacts, places or tests. JSON by
//! default; CSV with `?format=csv` or `Accept: text/csv`. A key reaches
//! the requests of its organisation's territories (the national one's:
//! every département). Each call is written in the audit trail.

use super::export::{
    audit_export, bad_query, csv_response, format_of, instant, page_start, with_next_cursor, Format,
};
use super::keys::require;
use super::ApiError;
use crate::http::AppState;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use relais_store::api_keys::ApiRight;
use relais_store::support::CellRequest;
use validator::Validate;

/// Requests of one page when `limit` is not given, and the most allowed.
pub const DEFAULT_LIMIT: i64 = 500;
pub const MAX_LIMIT: i64 = 5_000;

/// The columns of the CSV, in order (also the JSON fields).
pub const CSV_COLUMNS: &[&str] = &[
    "id",
    "departement",
    "name",
    "phone",
    "address",
    "needs",
    "note",
    "best_time",
    "until",
    "state",
    "asked_at",
    "updated_at",
];

/// A nurse-visit request as exported.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct SupportRequestOut {
    pub id: i64,
    /// The département's code (`60`, `2A`, `971`).
    pub departement: Option<String>,
    pub name: String,
    /// E.164: the number to call.
    pub phone: String,
    pub address: String,
    /// The needs' machine names, `nurse_visit` first.
    pub needs: Vec<String>,
    pub note: String,
    /// `any`, `morning`, `afternoon` or `evening`.
    pub best_time: String,
    /// YYYY-MM-DD: the last day of the isolation or quarantine.
    pub until: Option<String>,
    /// `new`, `taken`, `done`, `unreachable` or `refused`.
    pub state: String,
    /// RFC 3339, UTC.
    pub asked_at: String,
    /// RFC 3339, UTC: the last change (the cursor's order).
    pub updated_at: String,
}

impl SupportRequestOut {
    fn of(r: &CellRequest) -> SupportRequestOut {
        SupportRequestOut {
            id: r.id.get(),
            departement: r.departement.clone(),
            name: r.name.clone(),
            phone: r.phone.clone(),
            address: r.address.clone(),
            needs: r.needs.iter().map(|n| n.as_str().to_owned()).collect(),
            note: r.note.clone(),
            best_time: r.best_time.as_str().to_owned(),
            until: r.until.map(|d| d.to_string()),
            state: r.state.as_str().to_owned(),
            asked_at: instant(r.created_at),
            updated_at: instant(r.updated_at),
        }
    }
}

/// A page of requests.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct SupportRequestsPage {
    pub requests: Vec<SupportRequestOut>,
    /// The `cursor` of the next page; null on the last one.
    pub next: Option<String>,
}

#[derive(Debug, serde::Deserialize, utoipa::IntoParams, validator::Validate)]
#[into_params(parameter_in = Query)]
pub struct SupportQuery {
    /// Requests changed from this instant: Unix seconds or RFC 3339.
    /// Required unless `cursor` is given.
    #[param(
        pattern = r"^([0-9]{1,11}|[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2}))$",
        example = "2021-01-31T00:00:00Z"
    )]
    since: Option<String>,
    /// The `next` of the previous page.
    #[param(pattern = r"^-?[0-9]{1,18}\.[0-9]{1,18}$")]
    cursor: Option<String>,
    /// Requests per page, 1 to 5 000 (500).
    #[validate(range(min = 1, max = MAX_LIMIT, code = "invalid_limit"))]
    #[param(minimum = 1, maximum = 5000, example = 100)]
    limit: Option<i64>,
    /// `json` (default) or `csv` (also `Accept: text/csv`).
    #[param(pattern = "^(json|csv)$", example = "json")]
    format: Option<String>,
}

/// A page cursor, `<updated_at>.<id>`.
fn parse_cursor(text: &str) -> Option<(i64, i64)> {
    let (at, id) = text.trim().split_once('.')?;
    Some((at.parse().ok()?, id.parse().ok()?))
}

fn to_csv(requests: &[SupportRequestOut]) -> Result<Vec<u8>, ApiError> {
    fn write(requests: &[SupportRequestOut]) -> Result<Vec<u8>, Box<dyn std::error::Error>> {
        let mut out = csv::Writer::from_writer(Vec::new());
        out.write_record(CSV_COLUMNS)?;
        for r in requests {
            // What people typed is written so that no spreadsheet runs it.
            let typed = |v: &str| relais::spreadsheet::safe_cell(v).into_owned();
            out.write_record([
                r.id.to_string(),
                r.departement.clone().unwrap_or_default(),
                typed(&r.name),
                r.phone.clone(),
                typed(&r.address),
                r.needs.join(" "),
                typed(&r.note),
                r.best_time.clone(),
                r.until.clone().unwrap_or_default(),
                r.state.clone(),
                r.asked_at.clone(),
                r.updated_at.clone(),
            ])?;
        }
        Ok(out.into_inner().map_err(|e| e.into_error())?)
    }
    write(requests).map_err(|_| {
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "the CSV could not be written",
        )
    })
}

/// The nurse-visit requests shared with the support cells of the key's
/// organisation's territories, changed since an instant, in the order of
/// change.
#[utoipa::path(
    get,
    path = "/api/v1/support-requests",
    tag = "support",
    security(("api_key" = [])),
    params(SupportQuery),
    responses(
        (status = 200, description = "A page of nurse-visit requests; in CSV, the next cursor is in X-Next-Cursor",
            headers(("x-next-cursor" = String, description = "The next page's cursor (absent on the last page)")),
            content(
                (SupportRequestsPage = "application/json"),
                (String = "text/csv")
            )),
        (status = 400, description = "since, cursor, limit or format cannot be read", body = super::openapi::ErrorBody),
        (status = 401, description = "No API key, or an unknown or revoked one", body = super::openapi::ErrorBody),
        (status = 403, description = "The key lacks the support right", body = super::openapi::ErrorBody),
        (status = 500, description = "The database failed", body = super::openapi::ErrorBody)
    )
)]
pub async fn nurse_visits(
    State(state): State<AppState>,
    headers: HeaderMap,
    query: Result<Query<SupportQuery>, QueryRejection>,
) -> Result<Response, ApiError> {
    let key = require(&state.db, &headers, ApiRight::Support).await?;
    let Query(query) = query.map_err(bad_query)?;
    let format = format_of(query.format.as_deref(), &headers)?;
    let (since, after_id) = page_start(
        query.cursor.as_deref(),
        query.since.as_deref(),
        parse_cursor,
        |since| (since, 0),
    )?;
    query.validate().map_err(|_| {
        ApiError::bad_request(
            "invalid_limit",
            format!("limit must be from 1 to {MAX_LIMIT}"),
        )
    })?;
    let limit = query.limit.unwrap_or(DEFAULT_LIMIT);
    // One more than the page tells whether another page follows.
    let mut visits = relais_store::support::nurse_visits_since(
        &state.db,
        key.scope(),
        since,
        after_id,
        limit + 1,
    )
    .await?;
    let more = visits.len() as i64 > limit;
    visits.truncate(usize::try_from(limit).unwrap_or(0));
    let next = more
        .then(|| visits.last().map(|v| format!("{}.{}", v.updated_at, v.id)))
        .flatten();
    let requests: Vec<SupportRequestOut> = visits.iter().map(SupportRequestOut::of).collect();
    tracing::info!(
        requests = requests.len(),
        "api: nurse-visit requests exported"
    );
    audit_export(
        &state,
        &key,
        &format!(
            "support_requests after={since}.{after_id} count={}",
            requests.len()
        ),
    )
    .await?;
    let response = match format {
        Format::Csv => csv_response(to_csv(&requests)?),
        Format::Json => Json(SupportRequestsPage {
            requests,
            next: next.clone(),
        })
        .into_response(),
    };
    Ok(with_next_cursor(response, next.as_deref()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_read_back_and_the_limit_is_bounded() {
        assert_eq!(parse_cursor("1700000000.42"), Some((1_700_000_000, 42)));
        assert_eq!(parse_cursor("12"), None);
        let query = |limit| SupportQuery {
            since: Some("0".into()),
            cursor: None,
            limit,
            format: None,
        };
        assert!(query(Some(MAX_LIMIT)).validate().is_ok());
        assert!(query(Some(MAX_LIMIT + 1)).validate().is_err());
        assert!(query(Some(0)).validate().is_err());
    }
}
