//! Validated contact lists for the national tracing tool (right `export`):
//! `GET /api/v1/cases/{case_reference}/contacts` (one case) and
//! `GET /api/v1/contacts?since=<unix seconds | RFC 3339>` (every contact
//! validated since then, in pages: `limit`, and the `next` cursor to pass
//! back as `cursor`). JSON by default; CSV with `?format=csv` or
//! `Accept: text/csv` (the next cursor then in the `X-Next-Cursor` header).

use super::keys::require;
use super::ApiError;
use crate::http::AppState;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use relais::ids::ContactId;
use relais_store::api_keys::ApiRight;
use relais_store::export::{case_contacts as load_case, contacts_after, Cursor, ExportedContact};
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;
use validator::Validate;

/// Contacts of one page when `limit` is not given, and the most allowed.
pub const DEFAULT_LIMIT: i64 = 1_000;
pub const MAX_LIMIT: i64 = 10_000;

/// The columns of the CSV export, in order (also the JSON fields).
pub const CSV_COLUMNS: &[&str] = &[
    "case_reference",
    "lab_reference",
    "contact_id",
    "first_name",
    "last_name",
    "phone",
    "relationship",
    "last_contact",
    "household",
    "exposures",
    "protection",
    "classification",
    "validated_at",
    "notified_at",
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Format {
    Json,
    Csv,
}

pub(super) fn format_of(query: Option<&str>, headers: &HeaderMap) -> Result<Format, ApiError> {
    match query.map(str::to_ascii_lowercase).as_deref() {
        Some("json") => Ok(Format::Json),
        Some("csv") => Ok(Format::Csv),
        Some(_) => Err(ApiError::bad_request(
            "invalid_format",
            "format must be json or csv",
        )),
        None => {
            let wants_csv = headers
                .get(header::ACCEPT)
                .and_then(|v| v.to_str().ok())
                .is_some_and(|v| v.contains("text/csv"));
            Ok(if wants_csv { Format::Csv } else { Format::Json })
        }
    }
}

pub(super) fn instant(seconds: i64) -> String {
    relais::dates::utc_text(seconds).unwrap_or_default()
}

fn names(stored: &str) -> Vec<&str> {
    stored.split(',').filter(|n| !n.is_empty()).collect()
}

/// A validated contact as exported (JSON; the CSV has the same columns).
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct ContactOut {
    pub case_reference: String,
    pub lab_reference: Option<String>,
    pub contact_id: i64,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    /// E.164.
    pub phone: Option<String>,
    pub relationship: String,
    /// YYYY-MM-DD: the last day the contact met the case.
    pub last_contact: Option<String>,
    pub household: bool,
    pub exposures: Vec<String>,
    pub protection: Vec<String>,
    pub classification: Option<String>,
    /// RFC 3339, UTC.
    pub validated_at: String,
    /// RFC 3339, UTC: when the notification SMS left.
    pub notified_at: Option<String>,
}

impl ContactOut {
    fn of(c: &ExportedContact) -> ContactOut {
        let owned = |stored: &str| names(stored).into_iter().map(str::to_owned).collect();
        ContactOut {
            case_reference: c.case_reference.clone(),
            lab_reference: c.lab_reference.clone(),
            contact_id: c.contact_id.get(),
            first_name: c.first_name.clone(),
            last_name: c.last_name.clone(),
            phone: c.phone.clone(),
            relationship: c.relationship.clone(),
            last_contact: c.last_contact.clone(),
            household: c.household,
            exposures: owned(&c.exposures),
            protection: owned(&c.protection),
            classification: c.classification.clone(),
            validated_at: instant(c.validated_at),
            notified_at: c.notified_at.map(instant),
        }
    }
}

/// One case's validated list.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct CaseContacts {
    pub case_reference: String,
    pub contacts: Vec<ContactOut>,
}

/// A page of the bulk export.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct ContactsPage {
    pub contacts: Vec<ContactOut>,
    /// The `cursor` of the next page; null on the last one.
    pub next: Option<String>,
}

/// The audit line of an export: the key's name, what was asked and how
/// many contacts went out (the case's reference only once found: nothing
/// typed by a caller goes into the trail).
pub(super) async fn audit_export(
    state: &AppState,
    key: &relais_store::api_keys::ApiKey,
    filter: &str,
) -> Result<(), ApiError> {
    use relais_store::audit::{record, AuditAction, AuditEntry};
    let entry =
        AuditEntry::by_api_key(AuditAction::ApiExport).detail(format!("key={} {filter}", key.name));
    record(&state.db, &entry).await?;
    Ok(())
}

/// The CSV of exported contacts: the JSON fields as columns, lists
/// space-separated, absent values empty; names and the lab reference
/// written so that a spreadsheet never runs them
/// ([`relais::spreadsheet::safe_cell`]).
fn to_csv(contacts: &[ContactOut]) -> Result<Vec<u8>, ApiError> {
    fn write(contacts: &[ContactOut]) -> Result<Vec<u8>, Box<dyn std::error::Error>> {
        let mut out = csv::Writer::from_writer(Vec::new());
        out.write_record(CSV_COLUMNS)?;
        for c in contacts {
            let opt = |v: &Option<String>| v.clone().unwrap_or_default();
            // What people and feeds typed is written so that no spreadsheet
            // runs it as a formula.
            let typed = |v: &Option<String>| {
                relais::spreadsheet::safe_cell(v.as_deref().unwrap_or_default()).into_owned()
            };
            out.write_record([
                c.case_reference.clone(),
                typed(&c.lab_reference),
                c.contact_id.to_string(),
                typed(&c.first_name),
                typed(&c.last_name),
                opt(&c.phone),
                c.relationship.clone(),
                opt(&c.last_contact),
                c.household.to_string(),
                c.exposures.join(" "),
                c.protection.join(" "),
                opt(&c.classification),
                c.validated_at.clone(),
                opt(&c.notified_at),
            ])?;
        }
        Ok(out.into_inner().map_err(|e| e.into_error())?)
    }
    write(contacts).map_err(|_| {
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "the CSV could not be written",
        )
    })
}

pub(super) fn csv_response(body: Vec<u8>) -> Response {
    (
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/csv; charset=utf-8"),
        )],
        body,
    )
        .into_response()
}

#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CaseQuery {
    /// `json` (default) or `csv` (also `Accept: text/csv`).
    #[param(pattern = "^(json|csv)$", example = "json")]
    format: Option<String>,
}

/// A query string that cannot be read, as the API's JSON error.
pub(super) fn bad_query(e: QueryRejection) -> ApiError {
    ApiError::bad_request("invalid_query", e.body_text())
}

/// One case's validated contact list. A key belongs to an organisation: a
/// local one's key reaches the cases of its territories only (another case
/// is answered 404, as if it did not exist); the national one's every case.
#[utoipa::path(
    get,
    path = "/api/v1/cases/{case_reference}/contacts",
    tag = "export",
    security(("api_key" = [])),
    params(("case_reference" = String, Path, description = "Relais's reference of the case", example = "DEMO-0006"), CaseQuery),
    responses(
        (status = 200, description = "The case's validated contacts", content(
            (CaseContacts = "application/json"),
            (String = "text/csv")
        )),
        (status = 400, description = "An unknown format", body = super::openapi::ErrorBody),
        (status = 401, description = "No API key, or an unknown or revoked one", body = super::openapi::ErrorBody),
        (status = 403, description = "The key lacks the export right", body = super::openapi::ErrorBody),
        (status = 404, description = "No case has this reference (among those of the key's organisation)", body = super::openapi::ErrorBody),
        (status = 500, description = "The database failed", body = super::openapi::ErrorBody)
    )
)]
pub async fn case_contacts(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(case_reference): Path<String>,
    query: Result<Query<CaseQuery>, QueryRejection>,
) -> Result<Response, ApiError> {
    let key = require(&state.db, &headers, ApiRight::Export).await?;
    let Query(query) = query.map_err(bad_query)?;
    let format = format_of(query.format.as_deref(), &headers)?;
    // A case outside the key's organisation is "not found", as if it did
    // not exist.
    let Some(contacts) = load_case(&state.db, key.scope(), &case_reference).await? else {
        return Err(ApiError::new(
            StatusCode::NOT_FOUND,
            "case_not_found",
            "no case has this reference",
        ));
    };
    let contacts: Vec<ContactOut> = contacts.iter().map(ContactOut::of).collect();
    tracing::info!(contacts = contacts.len(), "api: case contacts exported");
    audit_export(
        &state,
        &key,
        &format!("case={case_reference} count={}", contacts.len()),
    )
    .await?;
    Ok(match format {
        Format::Csv => csv_response(to_csv(&contacts)?),
        Format::Json => Json(CaseContacts {
            case_reference,
            contacts,
        })
        .into_response(),
    })
}

#[derive(Debug, serde::Deserialize, utoipa::IntoParams, validator::Validate)]
#[into_params(parameter_in = Query)]
pub struct BulkQuery {
    /// Contacts validated from this instant: Unix seconds or RFC 3339.
    /// Required unless `cursor` is given.
    #[param(
        pattern = r"^([0-9]{1,11}|[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2}))$",
        example = "2021-01-31T00:00:00Z"
    )]
    since: Option<String>,
    /// The `next` of the previous page.
    #[param(pattern = r"^-?[0-9]{1,18}\.[0-9]{1,18}$")]
    cursor: Option<String>,
    /// Contacts per page, 1 to 10 000 (1 000).
    #[validate(range(min = 1, max = MAX_LIMIT, code = "invalid_limit"))]
    #[param(minimum = 1, maximum = 10000, example = 100)]
    limit: Option<i64>,
    /// `json` (default) or `csv` (also `Accept: text/csv`).
    #[param(pattern = "^(json|csv)$", example = "json")]
    format: Option<String>,
}

/// `since` as Unix seconds or an RFC 3339 instant.
pub fn parse_since(text: &str) -> Option<i64> {
    let text = text.trim();
    text.parse::<i64>().ok().or_else(|| {
        OffsetDateTime::parse(text, &Rfc3339)
            .ok()
            .map(|t| t.unix_timestamp())
    })
}

/// Where a page of a bulk export starts: after `cursor` (a `next` as
/// answered, read by `read_cursor`), or else at `since` (Unix seconds or
/// RFC 3339, made a start by `at`); a 400 when neither can be read.
pub(super) fn page_start<C>(
    cursor: Option<&str>,
    since: Option<&str>,
    read_cursor: fn(&str) -> Option<C>,
    at: fn(i64) -> C,
) -> Result<C, ApiError> {
    match (cursor, since) {
        (Some(cursor), _) => read_cursor(cursor).ok_or_else(|| {
            ApiError::bad_request(
                "invalid_cursor",
                "cursor must be a `next` value as answered",
            )
        }),
        (None, Some(since)) => parse_since(since).map(at).ok_or_else(|| {
            ApiError::bad_request(
                "invalid_since",
                "since must be Unix seconds or an RFC 3339 instant (2021-01-31T00:00:00Z)",
            )
        }),
        (None, None) => Err(ApiError::bad_request(
            "missing_since",
            "give since=<Unix seconds or RFC 3339 instant>, or a cursor",
        )),
    }
}

/// `response` with the next page's cursor, if any, in `X-Next-Cursor`.
pub(super) fn with_next_cursor(mut response: Response, next: Option<&str>) -> Response {
    if let Some(value) = next.and_then(|n| HeaderValue::from_str(n).ok()) {
        response.headers_mut().insert("x-next-cursor", value);
    }
    response
}

/// A page cursor, `<validated_at>.<contact_id>`.
fn parse_cursor(text: &str) -> Option<Cursor> {
    let (at, id) = text.trim().split_once('.')?;
    Some(Cursor {
        validated_at: at.parse().ok()?,
        contact_id: ContactId(id.parse().ok()?),
    })
}

fn write_cursor(cursor: Cursor) -> String {
    format!("{}.{}", cursor.validated_at, cursor.contact_id)
}

/// Every contact validated since an instant, oldest first, in pages: the
/// contacts of the cases of the key's organisation (every case for the
/// national one).
#[utoipa::path(
    get,
    path = "/api/v1/contacts",
    tag = "export",
    security(("api_key" = [])),
    params(BulkQuery),
    responses(
        (status = 200, description = "A page of validated contacts (of the key's organisation's cases); in CSV, the next cursor is in X-Next-Cursor",
            headers(("x-next-cursor" = String, description = "The next page's cursor (absent on the last page)")),
            content(
                (ContactsPage = "application/json"),
                (String = "text/csv")
            )),
        (status = 400, description = "since, cursor, limit or format cannot be read", body = super::openapi::ErrorBody),
        (status = 401, description = "No API key, or an unknown or revoked one", body = super::openapi::ErrorBody),
        (status = 403, description = "The key lacks the export right", body = super::openapi::ErrorBody),
        (status = 500, description = "The database failed", body = super::openapi::ErrorBody)
    )
)]
pub async fn contacts_since(
    State(state): State<AppState>,
    headers: HeaderMap,
    query: Result<Query<BulkQuery>, QueryRejection>,
) -> Result<Response, ApiError> {
    let key = require(&state.db, &headers, ApiRight::Export).await?;
    let Query(query) = query.map_err(bad_query)?;
    let format = format_of(query.format.as_deref(), &headers)?;
    let after = page_start(
        query.cursor.as_deref(),
        query.since.as_deref(),
        parse_cursor,
        |validated_at| Cursor {
            validated_at,
            contact_id: ContactId(0),
        },
    )?;
    query.validate().map_err(|_| {
        ApiError::bad_request(
            "invalid_limit",
            format!("limit must be from 1 to {MAX_LIMIT}"),
        )
    })?;
    let limit = query.limit.unwrap_or(DEFAULT_LIMIT);
    let (contacts, next) = contacts_after(&state.db, key.scope(), after, limit).await?;
    let contacts: Vec<ContactOut> = contacts.iter().map(ContactOut::of).collect();
    tracing::info!(contacts = contacts.len(), "api: contacts exported");
    audit_export(
        &state,
        &key,
        &format!(
            "after={}.{} count={}",
            after.validated_at,
            after.contact_id,
            contacts.len()
        ),
    )
    .await?;
    let next = next.map(write_cursor);
    let response = match format {
        Format::Csv => csv_response(to_csv(&contacts)?),
        Format::Json => Json(ContactsPage {
            contacts,
            next: next.clone(),
        })
        .into_response(),
    };
    Ok(with_next_cursor(response, next.as_deref()))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The page size at its bounds: 1 and [`MAX_LIMIT`] accepted, 0 and one
    /// more refused; left out, the default applies.
    #[test]
    fn limit_is_bounded() {
        let query = |limit: Option<i64>| BulkQuery {
            since: Some("0".into()),
            cursor: None,
            limit,
            format: None,
        };
        for ok in [None, Some(1), Some(DEFAULT_LIMIT), Some(MAX_LIMIT)] {
            assert!(query(ok).validate().is_ok(), "{ok:?}");
        }
        for bad in [Some(0), Some(-1), Some(MAX_LIMIT + 1), Some(i64::MAX)] {
            let errors = query(bad).validate().expect_err("refused");
            assert_eq!(
                errors.field_errors()["limit"][0].code,
                "invalid_limit",
                "{bad:?}"
            );
        }
    }

    #[test]
    fn since_and_cursors() {
        assert_eq!(parse_since("1700000000"), Some(1_700_000_000));
        assert_eq!(
            parse_since("2021-01-31T01:00:00+01:00"),
            Some(1_612_051_200)
        );
        assert_eq!(parse_since("yesterday"), None);
        let c = Cursor {
            validated_at: 12,
            contact_id: ContactId(34),
        };
        assert_eq!(parse_cursor(&write_cursor(c)), Some(c));
        assert_eq!(parse_cursor("12"), None);
    }
}
