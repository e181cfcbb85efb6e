//! The case intake, shared by `POST /api/v1/cases` (its handler is in
//! `api::intake`) and `relais import` ([`crate::import`]): checks each item
//! with the core (`relais::intake`), creates the valid ones in one store
//! transaction (`relais_store::intake::intake_batch`), and gives each item's
//! outcome in order, with the totals.

use relais::intake::{parse_case, FieldError, RawCase, ValidCase};
use relais::territory::Territories;
use relais_store::intake::{intake_batch, Outcome};
use relais_store::{Db, StoreError};
use serde::Serialize;
use std::sync::Arc;

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

/// Checks every item against `today` and the territories in force, creates
/// the valid ones, and returns each item's outcome in order: the one intake
/// of the API and the import. The checks run off the async workers (phone
/// parsing is CPU work).
pub async fn intake(
    db: &Db,
    items: Vec<Result<RawCase, Vec<FieldError>>>,
    today: time::Date,
    territories: Arc<Territories>,
) -> Result<Vec<ItemResult>, StoreError> {
    let checked: Vec<Checked> = match tokio::task::spawn_blocking(move || {
        items
            .into_iter()
            .map(|item| match item {
                Ok(raw) => (
                    raw.lab_reference_text(),
                    parse_case(&raw, today, &territories),
                ),
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
