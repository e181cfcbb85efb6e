//! Validating a case's list: every contact still on it is validated, and
//! each one at risk with a mobile phone gets one notification SMS in the
//! outbox — written in the same transaction, and at most once per contact
//! and case however often the list is validated (a unique dedupe key).
//! With it, in the same transaction, the contact's scheduled messages (test
//! day reminders, the follow-up question: see [`crate::schedule`]),
//! each once too, and the case's own "How are you?" texts when the desk
//! gives its isolation.

use super::changes::Change;
use crate::audit::{record_on, AuditAction, AuditEntry};
use crate::columns::Flag;
use crate::declaration::lock_case_at_version;
use crate::schedule::{schedule_case_check_ins, schedule_contact, ContactSchedule};
use crate::scope::ScopedCase;
use crate::{Db, StoreError};
use relais::ids::{CaseId, ContactId, StaffId};
use relais::status::CaseStatus;
use time::Date;

/// The tracer's decision on one contact, as the page computed it from the
/// rules and the tracer's own classification.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    pub contact_id: ContactId,
    pub at_risk: bool,
    /// The contact's test days and quarantine end, from the same
    /// assessment: what to schedule.
    pub schedule: ContactSchedule,
}

/// What validation did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Validated {
    /// Contacts validated.
    pub contacts: u32,
    /// Notification SMS newly put into the outbox.
    pub queued: u32,
    /// Scheduled messages (reminders, follow-up questions) newly put into
    /// the outbox.
    pub scheduled: u32,
    /// The case's "How are you?" texts newly put into the outbox.
    pub check_ins: u32,
}

/// The outbox key of a contact's notification: one per case and contact.
pub fn notification_key(case_id: CaseId, contact_id: ContactId) -> String {
    format!("contact_notification:{case_id}:{contact_id}")
}

/// Validates the list as the tracer saw it at `version`, and in the same
/// transaction (one writer's turn on SQLite) the case's "How are you?"
/// texts of an `isolation` from its first to its last day, when given
/// ([`crate::schedule::schedule_case_check_ins`]).
pub async fn validate_list(
    db: &Db,
    staff_user_id: StaffId,
    case: ScopedCase,
    version: i64,
    decisions: &[Decision],
    isolation: Option<(Date, Date)>,
) -> Result<Result<Validated, Change>, StoreError> {
    let case_id = case.id();
    let case_id = case_id.get();
    let mut tx = db.begin_write().await?;
    let at = db.now();
    match lock_case_at_version(&mut tx, case_id, version, at).await? {
        None => return Ok(Err(Change::Conflict)),
        Some(CaseStatus::Closed) => return Ok(Err(Change::NotFound)),
        Some(_) => {}
    }
    let (lang,): (String,) = sqlx::query_as("SELECT lang FROM cases WHERE id = $1")
        .bind(case_id)
        .fetch_one(&mut *tx)
        .await?;
    let mut result = Validated {
        contacts: 0,
        queued: 0,
        scheduled: 0,
        check_ins: 0,
    };
    for decision in decisions {
        let row: Option<(Option<String>, Flag, Option<String>)> = sqlx::query_as(concat!(
            "UPDATE contacts SET status = 'validated', \
             notified_at = CASE WHEN $3 THEN COALESCE(notified_at, $4) ELSE notified_at END \
             WHERE id = $1 AND case_id = $2 AND removed_at IS NULL \
             RETURNING phone, ",
            crate::flag!("phone_can_sms"),
            ", lang"
        ))
        .bind(decision.contact_id.get())
        .bind(case_id)
        .bind(decision.at_risk)
        .bind(at)
        .fetch_optional(&mut *tx)
        .await?;
        let Some((phone, can_sms, contact_lang)) = row else {
            continue;
        };
        // The language the contact reads, else their case's.
        let lang = contact_lang.unwrap_or_else(|| lang.clone());
        result.contacts += 1;
        let Some(phone) = phone.filter(|p| !p.is_empty() && can_sms.0 && decision.at_risk) else {
            continue;
        };
        let inserted: Option<(i64,)> = sqlx::query_as(
            "INSERT INTO sms_outbox (kind, dedupe_key, to_phone, lang, case_id, contact_id, \
             status, next_attempt_at, created_at) \
             VALUES ('contact_notification', $1, $2, $3, $4, $5, 'pending', $6, $6) \
             ON CONFLICT (dedupe_key) DO NOTHING RETURNING id",
        )
        .bind(notification_key(CaseId(case_id), decision.contact_id))
        .bind(&phone)
        .bind(&lang)
        .bind(case_id)
        .bind(decision.contact_id.get())
        .bind(at)
        .fetch_optional(&mut *tx)
        .await?;
        if inserted.is_some() {
            result.queued += 1;
        }
        result.scheduled += schedule_contact(
            &mut tx,
            CaseId(case_id),
            decision.contact_id,
            &phone,
            &lang,
            &decision.schedule,
            at,
        )
        .await?;
    }
    sqlx::query(
        "UPDATE cases SET validated_at = $2, status = 'in_progress', onset_changed_at = NULL, \
         queue = CASE WHEN queue = 'first' THEN 'done' ELSE queue END WHERE id = $1",
    )
    .bind(case_id)
    .bind(at)
    .execute(&mut *tx)
    .await?;
    if let Some((first_day, last_day)) = isolation {
        result.check_ins =
            schedule_case_check_ins(&mut tx, CaseId(case_id), first_day, last_day, at).await?;
    }
    let entry = AuditEntry::new(staff_user_id, AuditAction::ValidateList)
        .case(CaseId(case_id))
        .detail(format!(
            "contacts={} queued={} scheduled={}",
            result.contacts, result.queued, result.scheduled
        ));
    record_on(&mut tx, &entry, db.now()).await?;
    tx.commit().await?;
    Ok(Ok(result))
}
