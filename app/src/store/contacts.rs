//! The contacts a case declares, and the draft of the contact form.
//!
//! Before the case sends their list, changes are plain edits of a draft
//! list. After sending, every change is kept for the tracer: an added or
//! changed contact is marked `changed_after_submit`, a removed one gets
//! `removed_at` instead of disappearing.

use super::declaration::{case_status, is_after_submit};
use super::{now, Db, StoreError};
use relais::contact_form::{ContactInput, Relationship};
use relais::phone::Phone;
use relais::{Classification, ContactExposure, ExposureKind, Protection};
use std::collections::BTreeSet;

/// The most contacts one case may declare (a tracer can add more).
pub const MAX_CONTACTS: i64 = 100;

/// A contact as the case declared it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredContact {
    pub id: i64,
    pub input: ContactInput,
    /// Added or changed after the list was sent: new for the tracer.
    pub changed_after_submit: bool,
}

/// What became of a save.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SaveOutcome {
    Saved(i64),
    /// The contact is not one of this case's (or was removed).
    NotFound,
    /// The case already has [`MAX_CONTACTS`] contacts.
    TooMany,
    /// The tracer closed the case: nothing can change any more.
    Closed,
}

/// Machine names joined by commas, as stored.
pub(crate) fn join_names<'a>(names: impl IntoIterator<Item = &'a str>) -> String {
    names.into_iter().collect::<Vec<_>>().join(",")
}

/// Parses a stored list of machine names, skipping any a newer version
/// might have written and this one does not know.
pub(crate) fn split_names<T: std::str::FromStr + Ord>(stored: &str) -> BTreeSet<T> {
    stored
        .split(',')
        .filter(|s| !s.is_empty())
        .filter_map(|s| s.parse().ok())
        .collect()
}

type ContactRow = (
    i64,
    Option<String>,
    Option<String>,
    Option<String>,
    i64,
    Option<String>,
    String,
    Option<String>,
    i64,
    String,
    String,
    i64,
    Option<String>,
    i64,
);

// Booleans are read as 0/1: sqlx's `Any` driver cannot decode SQLite's
// BOOLEAN, and both engines agree on integers.
const CONTACT_COLUMNS: &str = "id, first_name, last_name, phone, \
     CASE WHEN phone_can_sms THEN 1 ELSE 0 END, email, relationship, last_contact, \
     CASE WHEN household THEN 1 ELSE 0 END, exposures, protection, \
     CASE WHEN minor THEN 1 ELSE 0 END, guardian_phone, \
     CASE WHEN changed_after_submit THEN 1 ELSE 0 END";

fn from_row(row: ContactRow) -> Option<StoredContact> {
    let (
        id,
        first_name,
        last_name,
        phone,
        can_sms,
        email,
        relationship,
        last_contact,
        household,
        exposures,
        protection,
        minor,
        guardian_phone,
        changed_after_submit,
    ) = row;
    let last_contact = last_contact?.parse().ok()?;
    let exposure = ContactExposure {
        household: household != 0,
        exposures: split_names::<ExposureKind>(&exposures),
        protection: split_names::<Protection>(&protection),
        minor: minor != 0,
        ..ContactExposure::met_on(last_contact)
    };
    Some(StoredContact {
        id,
        input: ContactInput {
            first_name: first_name.unwrap_or_default(),
            last_name: last_name.unwrap_or_default(),
            phone: Phone {
                e164: phone.unwrap_or_default(),
                can_receive_sms: can_sms != 0,
            },
            email,
            relationship: relationship.parse().unwrap_or(Relationship::Other),
            exposure,
            guardian_phone: guardian_phone.map(|e164| Phone {
                can_receive_sms: true,
                e164,
            }),
        },
        changed_after_submit: changed_after_submit != 0,
    })
}

/// The contacts of a case that are not removed, in the order they were added.
pub async fn list_contacts(db: &Db, case_id: i64) -> Result<Vec<StoredContact>, StoreError> {
    let rows: Vec<ContactRow> = sqlx::query_as(&format!(
        "SELECT {CONTACT_COLUMNS} FROM contacts \
         WHERE case_id = $1 AND removed_at IS NULL ORDER BY id"
    ))
    .bind(case_id)
    .fetch_all(db.pool())
    .await?;
    Ok(rows.into_iter().filter_map(from_row).collect())
}

/// One contact of a case, if it is theirs and not removed.
pub async fn find_contact(
    db: &Db,
    case_id: i64,
    contact_id: i64,
) -> Result<Option<StoredContact>, StoreError> {
    let row: Option<ContactRow> = sqlx::query_as(&format!(
        "SELECT {CONTACT_COLUMNS} FROM contacts \
         WHERE id = $1 AND case_id = $2 AND removed_at IS NULL"
    ))
    .bind(contact_id)
    .bind(case_id)
    .fetch_optional(db.pool())
    .await?;
    Ok(row.and_then(from_row))
}

/// Adds a contact (`contact_id` none) or changes one of the case's, with
/// the classification the rules gave, and clears the form's draft — in one
/// transaction.
pub async fn save_contact(
    db: &Db,
    case_id: i64,
    contact_id: Option<i64>,
    input: &ContactInput,
    classification: Classification,
) -> Result<SaveOutcome, StoreError> {
    let mut tx = db.pool().begin().await?;
    let status = case_status(&mut tx, case_id).await?;
    if status == "closed" {
        return Ok(SaveOutcome::Closed);
    }
    let changed = is_after_submit(&status);
    let at = now();
    let e = &input.exposure;
    let exposures = join_names(e.exposures.iter().map(|k| k.as_str()));
    let protection = join_names(e.protection.iter().map(|p| p.as_str()));
    let id = match contact_id {
        None => {
            let (count,): (i64,) = sqlx::query_as(
                "SELECT COUNT(*) FROM contacts WHERE case_id = $1 AND removed_at IS NULL",
            )
            .bind(case_id)
            .fetch_one(&mut *tx)
            .await?;
            if count >= MAX_CONTACTS {
                return Ok(SaveOutcome::TooMany);
            }
            let (id,): (i64,) = sqlx::query_as(
                "INSERT INTO contacts (case_id, first_name, last_name, phone, phone_can_sms, \
                 email, relationship, last_contact, household, exposures, protection, minor, \
                 guardian_phone, classification, changed_after_submit, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, \
                 $16) RETURNING id",
            )
            .bind(case_id)
            .bind(&input.first_name)
            .bind(&input.last_name)
            .bind(&input.phone.e164)
            .bind(input.phone.can_receive_sms)
            .bind(&input.email)
            .bind(input.relationship.as_str())
            .bind(e.last_contact.to_string())
            .bind(e.household)
            .bind(&exposures)
            .bind(&protection)
            .bind(e.minor)
            .bind(input.guardian_phone.as_ref().map(|p| p.e164.clone()))
            .bind(classification.as_str())
            .bind(changed)
            .bind(at)
            .fetch_one(&mut *tx)
            .await?;
            id
        }
        Some(id) => {
            let done = sqlx::query(
                "UPDATE contacts SET first_name = $3, last_name = $4, phone = $5, \
                 phone_can_sms = $6, email = $7, relationship = $8, last_contact = $9, \
                 household = $10, exposures = $11, protection = $12, minor = $13, \
                 guardian_phone = $14, classification = $15, \
                 changed_after_submit = (changed_after_submit OR $16), updated_at = $17 \
                 WHERE id = $1 AND case_id = $2 AND removed_at IS NULL",
            )
            .bind(id)
            .bind(case_id)
            .bind(&input.first_name)
            .bind(&input.last_name)
            .bind(&input.phone.e164)
            .bind(input.phone.can_receive_sms)
            .bind(&input.email)
            .bind(input.relationship.as_str())
            .bind(e.last_contact.to_string())
            .bind(e.household)
            .bind(&exposures)
            .bind(&protection)
            .bind(e.minor)
            .bind(input.guardian_phone.as_ref().map(|p| p.e164.clone()))
            .bind(classification.as_str())
            .bind(changed)
            .bind(at)
            .execute(&mut *tx)
            .await?;
            if done.rows_affected() == 0 {
                return Ok(SaveOutcome::NotFound);
            }
            id
        }
    };
    sqlx::query(
        "UPDATE cases SET contact_draft = NULL, updated_at = $2, \
         status = CASE WHEN status = 'new' THEN 'declaring' ELSE status END WHERE id = $1",
    )
    .bind(case_id)
    .bind(at)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(SaveOutcome::Saved(id))
}

/// Removes one of the case's contacts: deleted while the list is a draft,
/// kept and marked removed once it was sent. `false` if it was not theirs.
pub async fn remove_contact(db: &Db, case_id: i64, contact_id: i64) -> Result<bool, StoreError> {
    let mut tx = db.pool().begin().await?;
    let status = case_status(&mut tx, case_id).await?;
    if status == "closed" {
        return Ok(false);
    }
    let done = if is_after_submit(&status) {
        sqlx::query(
            "UPDATE contacts SET removed_at = $3, changed_after_submit = TRUE, updated_at = $3 \
             WHERE id = $1 AND case_id = $2 AND removed_at IS NULL",
        )
        .bind(contact_id)
        .bind(case_id)
        .bind(now())
        .execute(&mut *tx)
        .await?
    } else {
        sqlx::query("DELETE FROM contacts WHERE id = $1 AND case_id = $2")
            .bind(contact_id)
            .bind(case_id)
            .execute(&mut *tx)
            .await?
    };
    tx.commit().await?;
    Ok(done.rows_affected() == 1)
}
