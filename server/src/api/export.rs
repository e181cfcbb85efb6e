//! Validated contact lists for the national tracing tool (right `export`):
//! `GET /api/v1/cases/{case_reference}/contacts` (one case) and
//! `GET /api/v1/contacts?since=<unix seconds | RFC 3339>` (every contact
//! validated since then, in pages: `limit`, and the `next` cursor to pass
//! back as `cursor`). JSON by default; CSV with `?format=csv` or
//! `Accept: text/csv` (the next cursor then in the `X-Next-Cursor` header).

use super::keys::require;
use super::ApiError;
use crate::http::AppState;
use app::store::api_keys::ApiRight;
use app::store::export::{case_contacts as load_case, contacts_after, Cursor, ExportedContact};
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use chrono::{DateTime, Utc};

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
enum Format {
    Json,
    Csv,
}

fn format_of(query: Option<&str>, headers: &HeaderMap) -> Result<Format, ApiError> {
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

fn instant(seconds: i64) -> String {
    DateTime::<Utc>::from_timestamp(seconds, 0)
        .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
        .unwrap_or_default()
}

fn names(stored: &str) -> Vec<&str> {
    stored.split(',').filter(|n| !n.is_empty()).collect()
}

fn to_json(c: &ExportedContact) -> serde_json::Value {
    serde_json::json!({
        "case_reference": c.case_reference,
        "lab_reference": c.lab_reference,
        "contact_id": c.contact_id,
        "first_name": c.first_name,
        "last_name": c.last_name,
        "phone": c.phone,
        "relationship": c.relationship,
        "last_contact": c.last_contact,
        "household": c.household,
        "exposures": names(&c.exposures),
        "protection": names(&c.protection),
        "classification": c.classification,
        "validated_at": instant(c.validated_at),
        "notified_at": c.notified_at.map(instant),
    })
}

fn to_csv(contacts: &[ExportedContact]) -> Result<Vec<u8>, ApiError> {
    let mut out = csv::Writer::from_writer(Vec::new());
    let failed = |_| {
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "the CSV could not be written",
        )
    };
    out.write_record(CSV_COLUMNS).map_err(failed)?;
    for c in contacts {
        let opt = |v: &Option<String>| v.clone().unwrap_or_default();
        out.write_record([
            c.case_reference.clone(),
            opt(&c.lab_reference),
            c.contact_id.to_string(),
            opt(&c.first_name),
            opt(&c.last_name),
            opt(&c.phone),
            c.relationship.clone(),
            opt(&c.last_contact),
            c.household.to_string(),
            names(&c.exposures).join(" "),
            names(&c.protection).join(" "),
            opt(&c.classification),
            instant(c.validated_at),
            c.notified_at.map(instant).unwrap_or_default(),
        ])
        .map_err(failed)?;
    }
    out.into_inner().map_err(|_| {
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "the CSV could not be written",
        )
    })
}

fn csv_response(body: Vec<u8>) -> Response {
    (
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/csv; charset=utf-8"),
        )],
        body,
    )
        .into_response()
}

#[derive(Debug, serde::Deserialize)]
pub struct CaseQuery {
    format: Option<String>,
}

pub async fn case_contacts(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(case_reference): Path<String>,
    Query(query): Query<CaseQuery>,
) -> Result<Response, ApiError> {
    require(&state.db, &headers, ApiRight::Export).await?;
    let format = format_of(query.format.as_deref(), &headers)?;
    let Some(contacts) = load_case(&state.db, &case_reference).await? else {
        return Err(ApiError::new(
            StatusCode::NOT_FOUND,
            "case_not_found",
            "no case has this reference",
        ));
    };
    tracing::info!(contacts = contacts.len(), "api: case contacts exported");
    Ok(match format {
        Format::Csv => csv_response(to_csv(&contacts)?),
        Format::Json => Json(serde_json::json!({
            "case_reference": case_reference,
            "contacts": contacts.iter().map(to_json).collect::<Vec<_>>(),
        }))
        .into_response(),
    })
}

#[derive(Debug, serde::Deserialize)]
pub struct BulkQuery {
    since: Option<String>,
    cursor: Option<String>,
    limit: Option<i64>,
    format: Option<String>,
}

/// `since` as Unix seconds or an RFC 3339 instant.
pub fn parse_since(text: &str) -> Option<i64> {
    let text = text.trim();
    text.parse::<i64>().ok().or_else(|| {
        DateTime::parse_from_rfc3339(text)
            .ok()
            .map(|t| t.timestamp())
    })
}

/// A page cursor, `<validated_at>.<contact_id>`.
fn parse_cursor(text: &str) -> Option<Cursor> {
    let (at, id) = text.trim().split_once('.')?;
    Some(Cursor {
        validated_at: at.parse().ok()?,
        contact_id: id.parse().ok()?,
    })
}

fn write_cursor(cursor: Cursor) -> String {
    format!("{}.{}", cursor.validated_at, cursor.contact_id)
}

pub async fn contacts_since(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(query): Query<BulkQuery>,
) -> Result<Response, ApiError> {
    require(&state.db, &headers, ApiRight::Export).await?;
    let format = format_of(query.format.as_deref(), &headers)?;
    let after = match (&query.cursor, &query.since) {
        (Some(cursor), _) => parse_cursor(cursor).ok_or_else(|| {
            ApiError::bad_request(
                "invalid_cursor",
                "cursor must be a `next` value as answered",
            )
        })?,
        (None, Some(since)) => Cursor {
            validated_at: parse_since(since).ok_or_else(|| {
                ApiError::bad_request(
                    "invalid_since",
                    "since must be Unix seconds or an RFC 3339 instant (2021-01-31T00:00:00Z)",
                )
            })?,
            contact_id: 0,
        },
        (None, None) => {
            return Err(ApiError::bad_request(
                "missing_since",
                "give since=<Unix seconds or RFC 3339 instant>, or a cursor",
            ))
        }
    };
    let limit = query.limit.unwrap_or(DEFAULT_LIMIT);
    if !(1..=MAX_LIMIT).contains(&limit) {
        return Err(ApiError::bad_request(
            "invalid_limit",
            format!("limit must be from 1 to {MAX_LIMIT}"),
        ));
    }
    let (contacts, next) = contacts_after(&state.db, after, limit).await?;
    tracing::info!(contacts = contacts.len(), "api: contacts exported");
    let next = next.map(write_cursor);
    let mut response = match format {
        Format::Csv => csv_response(to_csv(&contacts)?),
        Format::Json => Json(serde_json::json!({
            "contacts": contacts.iter().map(to_json).collect::<Vec<_>>(),
            "next": next,
        }))
        .into_response(),
    };
    if let Some(value) = next.and_then(|n| HeaderValue::from_str(&n).ok()) {
        response.headers_mut().insert("x-next-cursor", value);
    }
    Ok(response)
}

#[cfg(test)]
mod tests {
    use super::*;

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
            contact_id: 34,
        };
        assert_eq!(parse_cursor(&write_cursor(c)), Some(c));
        assert_eq!(parse_cursor("12"), None);
    }
}
