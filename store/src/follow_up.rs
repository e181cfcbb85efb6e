//! The contact journey (`/c/<token>`): the SMS link of a notified contact,
//! and what the contact reports afterwards: corrected details, symptoms, a
//! test and its result. A positive test opens a new case linked to the
//! contact and to the original case, once.
//!
//! Nothing here returns the case's identity: a contact only ever reads the
//! case's dates (for the rules) through [`NotifiedContact::case_situation`].

use super::contacts::{from_row, ContactRow, StoredContact, CORRECTED_CONTACT_COLUMNS};
use super::{Db, StoreError};
use crate::security::token::{hash_token, hashes_match, NewToken};
use relais::contact_guidance::{FollowUp, TestReport, TestResult};
use relais::ids::{CaseId, ContactId};
use relais::vaccination_form::VaccinationStatement;
use time::Date;

/// How long a contact's SMS link stays valid (days): past any quarantine.
pub const CONTACT_LINK_VALIDITY_DAYS: i64 = 30;

/// A contact who was validated by a tracer, with what the rules need.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotifiedContact {
    pub contact: StoredContact,
    /// The case's dates only: sample, onset. Never the case's identity.
    pub case_situation: relais::CaseSituation,
    pub follow_up: FollowUp,
    /// A phone number the contact asked for, waiting for a tracer.
    pub requested_phone: Option<String>,
    /// The case opened by the contact's positive test, if any.
    pub new_case_reference: Option<String>,
    /// The day a tracer validated the contact (in Paris).
    pub notified_on: Option<Date>,
    /// The tracer's classification, when it differs from the rules'.
    pub decided: Option<relais::Classification>,
}

impl NotifiedContact {
    /// The contact's exposure as the rules read it on `today`: tests
    /// anchored on the day the contact was told count from it (today, if
    /// not told yet).
    pub fn exposure(&self, today: Date) -> relais::ContactExposure {
        let mut exposure = self.contact.input.exposure.clone();
        exposure.informed_on = Some(self.notified_on.unwrap_or(today));
        exposure
    }

    /// The case as the rules assess it on `today`: under the set of its J0,
    /// or the newer one in force when the operator applies newer sets.
    pub fn case_assessment<'r>(
        &self,
        rule_sets: &'r relais::RuleSets,
        today: Date,
    ) -> relais::rules::CaseAssessment<'r> {
        relais::rules::assess_on(rule_sets, &self.case_situation, today)
    }

    /// What the rules say on `today` of the contact with `exposure` (the
    /// tracer's classification, if any, still applies).
    pub fn assess(
        &self,
        rule_sets: &relais::RuleSets,
        exposure: &relais::ContactExposure,
        today: Date,
    ) -> relais::rules::ContactAssessment {
        self.case_assessment(rule_sets, today)
            .assess_contact_decided(exposure, self.decided)
    }
}

/// Issues an SMS link for a contact and returns the token (to be written
/// into the SMS, never stored).
pub async fn issue_contact_link(db: &Db, contact_id: ContactId) -> Result<NewToken, StoreError> {
    super::links::insert_link(
        db,
        super::links::LinkHolder::Contact(contact_id),
        CONTACT_LINK_VALIDITY_DAYS,
    )
    .await
}

/// The contact a presented `/c/<token>` leads to: a validated contact, not
/// removed, of a case not purged. `None` for unknown, expired or any other
/// link: one answer for all.
pub async fn resolve_contact_link(db: &Db, token: &str) -> Result<Option<ContactId>, StoreError> {
    let hash = hash_token(token);
    let row: Option<(String, i64)> = sqlx::query_as(
        "SELECT l.token_hash, k.id FROM link_tokens l \
         JOIN contacts k ON k.id = l.contact_id JOIN cases c ON c.id = k.case_id \
         WHERE l.token_hash = $1 AND l.kind = 'contact' AND l.expires_at > $2 \
         AND k.status = 'validated' AND k.removed_at IS NULL AND c.purged_at IS NULL",
    )
    .bind(&hash)
    .bind(db.now())
    .fetch_optional(db.pool())
    .await?;
    Ok(row
        .filter(|(stored, _)| hashes_match(stored, &hash))
        .map(|(_, id)| ContactId(id)))
}

/// A tracer validated the contact (the tracer console calls this; the demo
/// and the tests too).
pub async fn mark_validated(db: &Db, contact_id: ContactId) -> Result<(), StoreError> {
    sqlx::query(
        "UPDATE contacts SET status = 'validated', notified_at = COALESCE(notified_at, $2) \
         WHERE id = $1",
    )
    .bind(contact_id.get())
    .bind(db.now())
    .execute(&mut *db.write().await?)
    .await?;
    Ok(())
}

/// Everything the contact's pages need, if the contact is still validated.
pub async fn load_notified_contact(
    db: &Db,
    contact_id: ContactId,
) -> Result<Option<NotifiedContact>, StoreError> {
    let row: Option<ContactRow> = sqlx::query_as(&format!(
        "SELECT {CORRECTED_CONTACT_COLUMNS} FROM contacts \
         WHERE id = $1 AND status = 'validated' AND removed_at IS NULL"
    ))
    .bind(contact_id.get())
    .fetch_optional(db.pool())
    .await?;
    let Some(contact) = row.and_then(from_row) else {
        return Ok(None);
    };
    #[derive(sqlx::FromRow)]
    struct Extra {
        sample_date: String,
        symptom_onset: Option<String>,
        symptoms_since: Option<String>,
        requested_phone: Option<String>,
        notified_at: Option<i64>,
        tracer_classification: Option<String>,
        #[sqlx(flatten)]
        case_facts: crate::cases::CaseFacts,
    }
    let extra: Option<Extra> = sqlx::query_as(&format!(
        "SELECT c.sample_date, c.symptom_onset, k.symptoms_since, k.requested_phone, \
         k.notified_at, k.tracer_classification, {} \
         FROM contacts k JOIN cases c ON c.id = k.case_id WHERE k.id = $1",
        crate::cases::CASE_FACTS_OF_C
    ))
    .bind(contact_id.get())
    .fetch_optional(db.pool())
    .await?;
    let Some(Extra {
        sample_date: sample,
        symptom_onset: onset,
        symptoms_since,
        requested_phone,
        notified_at,
        tracer_classification: decided,
        case_facts,
    }) = extra
    else {
        return Ok(None);
    };
    let Some(sample_date) = relais::dates::parse_iso(&sample) else {
        return Ok(None);
    };
    let tests: Vec<(String, String)> = sqlx::query_as(
        "SELECT sampled_on, result FROM contact_tests WHERE contact_id = $1 ORDER BY sampled_on, id",
    )
    .bind(contact_id.get())
    .fetch_all(db.pool())
    .await?;
    let new_case: Option<(String,)> =
        sqlx::query_as("SELECT reference FROM cases WHERE source_contact_id = $1")
            .bind(contact_id.get())
            .fetch_optional(db.pool())
            .await?;
    let mut case_situation = relais::CaseSituation::new(
        onset.and_then(|o| relais::dates::parse_iso(&o)),
        sample_date,
    );
    case_facts.apply(&mut case_situation);
    Ok(Some(NotifiedContact {
        contact,
        case_situation,
        follow_up: FollowUp {
            symptoms_since: symptoms_since.and_then(|s| relais::dates::parse_iso(&s)),
            tests: tests
                .into_iter()
                .filter_map(|(day, result)| {
                    Some(TestReport {
                        sampled_on: relais::dates::parse_iso(&day)?,
                        result: result.parse::<TestResult>().ok()?,
                    })
                })
                .collect(),
        },
        requested_phone,
        new_case_reference: new_case.map(|(r,)| r),
        // The day in the service's time zone: the day the desk told them
        // (`validate_list`'s schedules count from it, as a contact's
        // schedule planned again must).
        notified_on: notified_at
            .and_then(crate::paris::local)
            .map(|at| at.date()),
        decided: decided.and_then(|d| d.parse().ok()),
    }))
}

/// The contacts told on or after `since` (Unix seconds) who are still on
/// their case's list: those whose follow-up may still run, by id.
pub async fn contacts_notified_since(db: &Db, since: i64) -> Result<Vec<ContactId>, StoreError> {
    let ids: Vec<i64> = sqlx::query_scalar(
        "SELECT id FROM contacts WHERE notified_at >= $1 AND status = 'validated' \
         AND removed_at IS NULL ORDER BY id",
    )
    .bind(since)
    .fetch_all(db.pool())
    .await?;
    Ok(ids.into_iter().map(ContactId).collect())
}

/// The details a contact may correct themselves. A new phone number is not
/// applied: it waits for a tracer (`requested_phone`), since SMS go there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DetailsChange {
    pub first_name: String,
    pub last_name: String,
    pub email: Option<String>,
    /// E.164, when different from the current number.
    pub requested_phone: Option<String>,
}

/// Saves the contact's corrected details; flags the contact for the tracer
/// when a phone change is asked.
pub async fn update_details(
    db: &Db,
    contact_id: ContactId,
    change: &DetailsChange,
) -> Result<bool, StoreError> {
    let at = db.now();
    let done = sqlx::query(
        "UPDATE contacts SET own_first_name = $2, own_last_name = $3, own_email = $4, \
         requested_phone = COALESCE($5, requested_phone), \
         follow_up_at = CASE WHEN $5 IS NULL THEN follow_up_at ELSE $6 END, updated_at = $6 \
         WHERE id = $1 AND status = 'validated' AND removed_at IS NULL",
    )
    .bind(contact_id.get())
    .bind(&change.first_name)
    .bind(&change.last_name)
    .bind(&change.email)
    .bind(&change.requested_phone)
    .bind(at)
    .execute(&mut *db.write().await?)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Records the day symptoms started; the tracer sees the flag.
pub async fn report_symptoms(
    db: &Db,
    contact_id: ContactId,
    since: Date,
) -> Result<bool, StoreError> {
    let at = db.now();
    let done = sqlx::query(
        "UPDATE contacts SET symptoms_since = $2, follow_up_at = $3, updated_at = $3 \
         WHERE id = $1 AND status = 'validated' AND removed_at IS NULL",
    )
    .bind(contact_id.get())
    .bind(since.to_string())
    .bind(at)
    .execute(&mut *db.write().await?)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Records the vaccination the contact states (the values are health
/// data: never logged). `false` when the contact is no longer validated.
pub async fn record_vaccination(
    db: &Db,
    contact_id: ContactId,
    statement: &VaccinationStatement,
) -> Result<bool, StoreError> {
    let at = db.now();
    let done = sqlx::query(
        "UPDATE contacts SET vaccination = $2, last_dose = $3, single_dose = $4, \
         immunocompromised = $5, updated_at = $6, vaccination_said_by = 'contact' \
         WHERE id = $1 AND status = 'validated' AND removed_at IS NULL",
    )
    .bind(contact_id.get())
    .bind(statement.status.as_str())
    .bind(statement.last_dose.map(|d| d.to_string()))
    .bind(statement.single_dose)
    .bind(statement.immunocompromised)
    .bind(at)
    .execute(&mut *db.write().await?)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// What recording a test did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TestRecorded {
    Recorded,
    /// Positive: the contact is now a case, in the tracers' queue (opened
    /// now, or by an earlier positive report).
    NewCase {
        case_id: CaseId,
    },
    NotFound,
}

/// Records a test. A positive one opens a new case from the contact's own
/// details and in the language they read the page in, linked to the
/// original case and to the contact, in the same transaction; a second positive report finds that case again.
pub async fn record_test(
    db: &Db,
    contact_id: ContactId,
    report: &TestReport,
    lang: relais::Lang,
) -> Result<TestRecorded, StoreError> {
    let at = db.now();
    let mut tx = db.begin_write().await?;
    let recorded = record_test_in(&mut tx, at, contact_id, report, lang).await?;
    tx.commit().await?;
    if let TestRecorded::NewCase { case_id } = recorded {
        log_case_opened(contact_id, case_id);
    }
    Ok(recorded)
}

/// Says a positive test opened (or found) the contact's case, once its
/// transaction is committed.
pub(crate) fn log_case_opened(contact_id: ContactId, case_id: CaseId) {
    tracing::info!(
        contact_id = contact_id.get(),
        case_id = case_id.get(),
        "contact tested positive: case opened"
    );
}

/// [`record_test`] at `at` on a write transaction, for the caller to commit.
pub(crate) async fn record_test_in(
    tx: &mut sqlx::AnyConnection,
    at: i64,
    contact_id: ContactId,
    report: &TestReport,
    lang: relais::Lang,
) -> Result<TestRecorded, StoreError> {
    // The write first: on PostgreSQL it locks the contact's row until the
    // commit, so two reports at once cannot both open a case.
    let row: Option<(i64,)> = sqlx::query_as(
        "UPDATE contacts SET follow_up_at = $2, updated_at = $2 \
         WHERE id = $1 AND status = 'validated' AND removed_at IS NULL RETURNING case_id",
    )
    .bind(contact_id.get())
    .bind(at)
    .fetch_optional(&mut *tx)
    .await?;
    let Some((source_case,)) = row else {
        return Ok(TestRecorded::NotFound);
    };
    sqlx::query(
        "INSERT INTO contact_tests (contact_id, sampled_on, result, recorded_at) \
         VALUES ($1, $2, $3, $4)",
    )
    .bind(contact_id.get())
    .bind(report.sampled_on.to_string())
    .bind(report.result.as_str())
    .bind(at)
    .execute(&mut *tx)
    .await?;
    if report.result != TestResult::Positive {
        return Ok(TestRecorded::Recorded);
    }
    let existing: Option<(i64,)> =
        sqlx::query_as("SELECT id FROM cases WHERE source_contact_id = $1")
            .bind(contact_id.get())
            .fetch_optional(&mut *tx)
            .await?;
    let case_id = match existing {
        Some((id,)) => id,
        None => {
            let (id,): (i64,) = sqlx::query_as(
                "INSERT INTO cases (reference, first_name, last_name, phone, email, lang, \
                 sample_date, test_type, has_symptoms, symptom_onset, status, source_case_id, \
                 source_contact_id, created_at, updated_at, departement) \
                 SELECT $1, COALESCE(own_first_name, first_name), \
                 COALESCE(own_last_name, last_name), phone, COALESCE(own_email, email), $6, $3, \
                 'reported', \
                 CASE WHEN symptoms_since IS NULL THEN NULL ELSE TRUE END, symptoms_since, \
                 'new', $2, id, $4, $4, (SELECT departement FROM cases WHERE id = $2) \
                 FROM contacts WHERE id = $5 RETURNING id",
            )
            .bind(format!("PC-{contact_id}"))
            .bind(source_case)
            .bind(report.sampled_on.to_string())
            .bind(at)
            .bind(contact_id.get())
            .bind(lang.code())
            .fetch_one(&mut *tx)
            .await?;
            super::cases::index_name(tx, id).await?;
            id
        }
    };
    Ok(TestRecorded::NewCase {
        case_id: CaseId(case_id),
    })
}

/// Keeps what a follow-up form held when it failed validation (JSON), so
/// that the form shows it again; one draft per contact.
pub async fn save_draft(db: &Db, contact_id: ContactId, json: &str) -> Result<(), StoreError> {
    sqlx::query("UPDATE contacts SET follow_up_draft = $2 WHERE id = $1")
        .bind(contact_id.get())
        .bind(json)
        .execute(&mut *db.write().await?)
        .await?;
    Ok(())
}

/// The contact's follow-up draft, if any.
pub async fn load_draft(db: &Db, contact_id: ContactId) -> Result<Option<String>, StoreError> {
    let row: Option<(Option<String>,)> =
        sqlx::query_as("SELECT follow_up_draft FROM contacts WHERE id = $1")
            .bind(contact_id.get())
            .fetch_optional(db.pool())
            .await?;
    Ok(row.and_then(|(d,)| d))
}

/// Forgets the follow-up draft (the form was saved).
pub async fn clear_draft(db: &Db, contact_id: ContactId) -> Result<(), StoreError> {
    sqlx::query("UPDATE contacts SET follow_up_draft = NULL WHERE id = $1")
        .bind(contact_id.get())
        .execute(&mut *db.write().await?)
        .await?;
    Ok(())
}
