//! The contacts a case declares, and the draft of the contact form.
//!
//! Before the case sends their list, changes are plain edits of a draft
//! list. After sending, every change is kept for the tracer: an added or
//! changed contact is marked `changed_after_submit`, a removed one gets
//! `removed_at` instead of disappearing.

use super::columns::{Flag, IsoDate};
use super::declaration::{close_change, open_change, Adding, Editor, Item, SaveOutcome};
use super::{Db, StoreError};
use relais::contact_form::{ContactInput, Relationship};
use relais::ids::{CaseId, ContactId, StaffId};
use relais::phone::Phone;
use relais::{
    AgeBand, Classification, ContactExposure, ExposureKind, Protection, VaccinationStatus,
};
use std::collections::BTreeSet;
use time::Date;

/// A contact as the case declared it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredContact {
    pub id: ContactId,
    pub input: ContactInput,
    /// Added or changed after the list was sent: new for the tracer.
    pub changed_after_submit: bool,
    /// A tracer validated it: the case can no longer change or remove it.
    pub validated: bool,
}

/// Who said a contact's vaccination (`contacts.vaccination_said_by`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VaccinationSaidBy {
    /// The case, on their form (they may not know it).
    Case,
    /// A tracer, on the console's contact form.
    Tracer,
    /// The contact themselves, on their own page.
    Contact,
}

impl VaccinationSaidBy {
    pub fn as_str(self) -> &'static str {
        match self {
            VaccinationSaidBy::Case => "case",
            VaccinationSaidBy::Tracer => "tracer",
            VaccinationSaidBy::Contact => "contact",
        }
    }

    /// The stored name; `None` for a name this version does not know.
    pub fn parse(stored: &str) -> Option<VaccinationSaidBy> {
        [Self::Case, Self::Tracer, Self::Contact]
            .into_iter()
            .find(|by| by.as_str() == stored)
    }
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

/// A `contacts` row as [`CONTACT_COLUMNS`] selects it.
#[derive(sqlx::FromRow)]
pub(crate) struct ContactRow {
    #[sqlx(try_from = "i64")]
    id: ContactId,
    first_name: Option<String>,
    last_name: Option<String>,
    phone: Option<String>,
    #[sqlx(try_from = "Flag")]
    phone_can_sms: bool,
    email: Option<String>,
    relationship: String,
    /// Empty only on a row written by hand: such a contact is skipped.
    last_contact: Option<IsoDate>,
    #[sqlx(try_from = "Flag")]
    household: bool,
    exposures: String,
    protection: String,
    #[sqlx(try_from = "Flag")]
    minor: bool,
    guardian_phone: Option<String>,
    #[sqlx(try_from = "Flag")]
    changed_after_submit: bool,
    /// What the contact stated of their vaccination (NULL: not stated).
    vaccination: Option<String>,
    last_dose: Option<IsoDate>,
    single_dose: Option<Flag>,
    immunocompromised: Option<Flag>,
    /// The age band declared (NULL before it was asked: read from `minor`).
    age_band: Option<String>,
    status: String,
    /// The language the contact reads, as said (NULL: not said).
    lang: Option<String>,
}

/// The columns of a [`ContactRow`] (booleans decoded by [`Flag`], the same
/// on both engines), with the name and email columns given.
macro_rules! contact_columns {
    ($first:literal, $last:literal, $email:literal) => {
        concat!(
            "id, ",
            $first,
            ", ",
            $last,
            ", phone, ",
            crate::flag!("phone_can_sms"),
            ", ",
            $email,
            ", relationship, last_contact, ",
            crate::flag!("household"),
            ", exposures, protection, ",
            crate::flag!("minor"),
            ", guardian_phone, ",
            crate::flag!("changed_after_submit"),
            ", vaccination, last_dose, ",
            crate::flag!(nullable "single_dose"),
            ", ",
            crate::flag!(nullable "immunocompromised"),
            ", age_band, status, lang"
        )
    };
}

/// The columns of a [`ContactRow`] as the case wrote them (or a tracer):
/// what the case sees of the people they listed.
pub(crate) const CONTACT_COLUMNS: &str = contact_columns!("first_name", "last_name", "email");

/// The columns of a [`ContactRow`] with what the contact corrected on their
/// own page (name, email) over what the case wrote: for the contact and the
/// tracers, never for the case (issue 21).
pub(crate) const CORRECTED_CONTACT_COLUMNS: &str = contact_columns!(
    "COALESCE(own_first_name, first_name) AS first_name",
    "COALESCE(own_last_name, last_name) AS last_name",
    "COALESCE(own_email, email) AS email"
);

pub(crate) fn from_row(row: ContactRow) -> Option<StoredContact> {
    let last_contact = row.last_contact?.0;
    let exposure = ContactExposure {
        household: row.household,
        exposures: split_names::<ExposureKind>(&row.exposures),
        protection: split_names::<Protection>(&row.protection),
        minor: row.minor,
        // A name a newer version wrote and this one does not know: not said.
        vaccination: row
            .vaccination
            .and_then(|v| v.parse().ok())
            .unwrap_or_default(),
        last_dose: row.last_dose.map(Date::from),
        single_dose: row.single_dose.is_some_and(bool::from),
        immunocompromised: row.immunocompromised.is_some_and(bool::from),
        age_band: row
            .age_band
            .and_then(|b| b.parse().ok())
            .unwrap_or(if row.minor {
                AgeBand::From12To17
            } else {
                AgeBand::Adult
            }),
        ..ContactExposure::met_on(last_contact)
    };
    Some(StoredContact {
        id: row.id,
        input: ContactInput {
            first_name: row.first_name.unwrap_or_default(),
            last_name: row.last_name.unwrap_or_default(),
            phone: Phone {
                e164: row.phone.unwrap_or_default(),
                can_receive_sms: row.phone_can_sms,
            },
            email: row.email,
            relationship: row.relationship.parse().unwrap_or(Relationship::Other),
            exposure,
            guardian_phone: row.guardian_phone.map(|e164| Phone {
                can_receive_sms: true,
                e164,
            }),
            lang: row.lang.and_then(|l| l.parse().ok()),
        },
        changed_after_submit: row.changed_after_submit,
        validated: row.status == relais::status::ContactStatus::Validated.as_str(),
    })
}

/// The contacts of a case that are not removed, in the order they were added.
pub async fn list_contacts(db: &Db, case_id: CaseId) -> Result<Vec<StoredContact>, StoreError> {
    let rows: Vec<ContactRow> = sqlx::query_as(&format!(
        "SELECT {CONTACT_COLUMNS} FROM contacts \
         WHERE case_id = $1 AND removed_at IS NULL ORDER BY id"
    ))
    .bind(case_id.get())
    .fetch_all(db.pool())
    .await?;
    Ok(rows.into_iter().filter_map(from_row).collect())
}

/// One contact of a case, if it is theirs and not removed, as the case (or
/// a tracer) wrote it: what the forms edit.
pub async fn find_contact(
    db: &Db,
    case_id: CaseId,
    contact_id: ContactId,
) -> Result<Option<StoredContact>, StoreError> {
    let row: Option<ContactRow> = sqlx::query_as(&format!(
        "SELECT {CONTACT_COLUMNS} FROM contacts \
         WHERE id = $1 AND case_id = $2 AND removed_at IS NULL"
    ))
    .bind(contact_id.get())
    .bind(case_id.get())
    .fetch_optional(db.pool())
    .await?;
    Ok(row.and_then(from_row))
}

// A validated contact is frozen for the case ($17 NULL): only a tracer
// changes it. What the contact corrected themselves (`own_*`) stays apart.
// One parameter list for both statements: $1 the case, $2–$14 the fields,
// $15 changed after submit, $16 the instant, $17 the staff member making the
// change (NULL: the case), $18 who added it (insert) or the contact (update),
// $19 the age band, $20 the vaccination as the form says it (NULL: "I don't
// know", which keeps what the contact may have stated on their own page),
// $21 the last dose, $22 who says it ([`VaccinationSaidBy`]: the editor),
// and for an insert only $23 the key of the form that adds it.
// The same vaccination and dose written again (a form shows what is
// stored) keep who said it first: the contact's statement stays theirs.
const INSERT_CONTACT: &str = "INSERT INTO contacts (case_id, first_name, last_name, phone, \
     phone_can_sms, email, relationship, last_contact, household, exposures, protection, minor, \
     guardian_phone, classification, changed_after_submit, created_at, updated_at, \
     changed_by_staff, added_by, age_band, vaccination, last_dose, vaccination_said_by, form_key) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $16, $17, $18, \
     $19, $20, $21, CASE WHEN CAST($20 AS TEXT) IS NULL THEN NULL ELSE CAST($22 AS TEXT) END, $23) \
     RETURNING id";
const UPDATE_CONTACT: &str = "UPDATE contacts SET first_name = $2, last_name = $3, phone = $4, \
     phone_can_sms = $5, email = $6, relationship = $7, last_contact = $8, household = $9, \
     exposures = $10, protection = $11, minor = $12, guardian_phone = $13, classification = $14, \
     changed_after_submit = (changed_after_submit OR $15), updated_at = $16, \
     changed_by_staff = $17, age_band = $19, vaccination = COALESCE($20, vaccination), \
     last_dose = CASE WHEN CAST($20 AS TEXT) IS NULL THEN last_dose ELSE $21 END, \
     vaccination_said_by = CASE WHEN CAST($20 AS TEXT) IS NULL THEN vaccination_said_by \
     WHEN vaccination = CAST($20 AS TEXT) \
     AND COALESCE(last_dose, '') = COALESCE(CAST($21 AS TEXT), '') \
     THEN COALESCE(vaccination_said_by, CAST($22 AS TEXT)) ELSE CAST($22 AS TEXT) END \
     WHERE id = $18 AND case_id = $1 AND removed_at IS NULL \
     AND ($17 IS NOT NULL OR status <> 'validated') RETURNING id";

/// Adds a contact (`contact_id` none) or changes one of the case's, with
/// the classification the rules gave, and clears the case's form draft — in
/// one transaction. `editor` says who: the case, or a staff member whose
/// version of the case must still be the current one. A new contact's
/// `form_key` (issued with its form; blank for none) is claimed by the row:
/// the same form posted again answers the contact it added.
pub async fn save_contact(
    db: &Db,
    case_id: CaseId,
    contact_id: Option<ContactId>,
    form_key: &str,
    input: &ContactInput,
    classification: Classification,
    editor: Editor,
) -> Result<SaveOutcome<ContactId>, StoreError> {
    let (case_id, contact_id) = (case_id.get(), contact_id.map(ContactId::get));
    let mut tx = db.begin_write().await?;
    let adding = contact_id.is_none();
    let new_item = match adding {
        true => Adding::with_key(form_key),
        false => Adding::No,
    };
    let changed =
        match open_change(&mut tx, Item::Contact, case_id, new_item, editor, db.now()).await? {
            Ok(changed) => changed,
            Err(refused) => return Ok(refused),
        };
    let at = db.now();
    let e = &input.exposure;
    let query = sqlx::query_as(if contact_id.is_some() {
        UPDATE_CONTACT
    } else {
        INSERT_CONTACT
    })
    .bind(case_id)
    .bind(&input.first_name)
    .bind(&input.last_name)
    .bind(&input.phone.e164)
    .bind(input.phone.can_receive_sms)
    .bind(&input.email)
    .bind(input.relationship.as_str())
    .bind(e.last_contact.to_string())
    .bind(e.household)
    .bind(join_names(e.exposures.iter().map(|k| k.as_str())))
    .bind(join_names(e.protection.iter().map(|p| p.as_str())))
    .bind(e.minor)
    .bind(input.guardian_phone.as_ref().map(|p| p.e164.clone()))
    .bind(classification.as_str())
    .bind(changed)
    .bind(at)
    .bind(editor.staff_user_id().map(StaffId::get));
    let query = match contact_id {
        Some(id) => query.bind(id),
        None => query.bind(match editor {
            Editor::Case => "case",
            Editor::Staff { .. } => "tracer",
        }),
    };
    let stated = (e.vaccination != VaccinationStatus::Unknown).then(|| e.vaccination.as_str());
    let said_by = match editor {
        Editor::Case => VaccinationSaidBy::Case,
        Editor::Staff { .. } => VaccinationSaidBy::Tracer,
    };
    let query = query
        .bind(e.age_band.as_str())
        .bind(stated)
        .bind(stated.and(e.last_dose).map(|d| d.to_string()))
        .bind(said_by.as_str());
    let query = match adding {
        true => query.bind(new_item.form_key()),
        false => query,
    };
    let row: Option<(i64,)> = query.fetch_optional(&mut *tx).await?;
    let Some((id,)) = row else {
        let frozen: Option<i64> = sqlx::query_scalar(
            "SELECT id FROM contacts WHERE id = $1 AND case_id = $2 AND removed_at IS NULL \
             AND status = 'validated'",
        )
        .bind(contact_id)
        .bind(case_id)
        .fetch_optional(&mut *tx)
        .await?;
        return Ok(match frozen {
            Some(_) => SaveOutcome::Frozen,
            None => SaveOutcome::NotFound,
        });
    };
    let id = ContactId(id);
    if let Some(lang) = input.lang {
        super::languages::set_contact_lang_on(&mut tx, id, lang).await?;
    }
    match editor {
        Editor::Case => close_change(&mut tx, Item::Contact, case_id, at).await?,
        Editor::Staff { staff_user_id, .. } => {
            use super::audit::{record_on, AuditAction, AuditEntry};
            let action = if adding {
                AuditAction::AddContact
            } else {
                AuditAction::ChangeContact
            };
            let entry = AuditEntry::new(staff_user_id, action)
                .case(CaseId(case_id))
                .contact(id);
            record_on(&mut tx, &entry, db.now()).await?;
            sqlx::query("DELETE FROM staff_drafts WHERE staff_user_id = $1 AND case_id = $2")
                .bind(staff_user_id.get())
                .bind(case_id)
                .execute(&mut *tx)
                .await?;
        }
    }
    tx.commit().await?;
    Ok(SaveOutcome::Saved(id))
}
