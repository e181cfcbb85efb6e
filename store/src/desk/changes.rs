//! What a tracer changes on a case, each in one transaction with its audit
//! line. Changes of the list carry the version of the case the tracer saw:
//! if the case (or another tracer) changed it meanwhile, nothing is written
//! and the tracer is shown the fresh data ([`Change::Conflict`]).

use crate::audit::{record_on, AuditAction, AuditEntry};
use crate::declaration::lock_case_at_version;
use crate::scope::ScopedCase;
use crate::{Db, StoreError};
use relais::desk::calls::{after_call, CallOutcome, Queue};
use relais::ids::{CaseId, ContactId, StaffId};
use relais::status::CaseStatus;
use relais::Classification;

/// What became of a tracer's change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    Done,
    /// The case is at another version than the one the tracer saw.
    Conflict,
    /// No such case or contact (or the case is closed).
    NotFound,
}

/// Opens a versioned change: the case is taken (and its version bumped)
/// only if it is still at `version` and not closed.
async fn open_versioned(
    tx: &mut sqlx::AnyConnection,
    case_id: i64,
    version: i64,
    at: i64,
) -> Result<Result<(), Change>, StoreError> {
    match lock_case_at_version(tx, case_id, version, at).await? {
        None => {
            let exists: Option<(i64,)> = sqlx::query_as("SELECT id FROM cases WHERE id = $1")
                .bind(case_id)
                .fetch_optional(&mut *tx)
                .await?;
            Ok(Err(if exists.is_some() {
                Change::Conflict
            } else {
                Change::NotFound
            }))
        }
        Some(CaseStatus::Closed) => Ok(Err(Change::NotFound)),
        Some(_) => Ok(Ok(())),
    }
}

/// Removes a contact from the list (kept, marked removed and rejected, so
/// the trail shows it).
pub async fn remove_contact(
    db: &Db,
    staff_user_id: StaffId,
    case: ScopedCase,
    version: i64,
    contact_id: ContactId,
) -> Result<Change, StoreError> {
    let case_id = case.id();
    let case_id = case_id.get();
    let mut tx = db.begin_write().await?;
    if let Err(refused) = open_versioned(&mut tx, case_id, version, db.now()).await? {
        return Ok(refused);
    }
    let at = db.now();
    let done = sqlx::query(
        "UPDATE contacts SET removed_at = $3, status = 'rejected', updated_at = $3, \
         changed_by_staff = $4 WHERE id = $1 AND case_id = $2 AND removed_at IS NULL",
    )
    .bind(contact_id.get())
    .bind(case_id)
    .bind(at)
    .bind(staff_user_id.get())
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() != 1 {
        return Ok(Change::NotFound);
    }
    let entry = AuditEntry::new(staff_user_id, AuditAction::RemoveContact)
        .case(CaseId(case_id))
        .contact(contact_id);
    record_on(&mut tx, &entry, db.now()).await?;
    tx.commit().await?;
    Ok(Change::Done)
}

/// The tracer's own classification of a contact, with why (`None` goes back
/// to the rules' classification).
pub async fn reclassify_contact(
    db: &Db,
    staff_user_id: StaffId,
    case: ScopedCase,
    version: i64,
    contact_id: ContactId,
    decision: Option<(Classification, &str)>,
) -> Result<Change, StoreError> {
    let case_id = case.id();
    let case_id = case_id.get();
    let mut tx = db.begin_write().await?;
    if let Err(refused) = open_versioned(&mut tx, case_id, version, db.now()).await? {
        return Ok(refused);
    }
    let done = sqlx::query(
        "UPDATE contacts SET tracer_classification = $3, tracer_reason = $4, updated_at = $5, \
         changed_by_staff = $6 WHERE id = $1 AND case_id = $2 AND removed_at IS NULL",
    )
    .bind(contact_id.get())
    .bind(case_id)
    .bind(decision.map(|(c, _)| c.as_str()))
    .bind(decision.map(|(_, reason)| reason.to_owned()))
    .bind(db.now())
    .bind(staff_user_id.get())
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() != 1 {
        return Ok(Change::NotFound);
    }
    let detail = decision.map_or("rules", |(c, _)| c.as_str());
    let entry = AuditEntry::new(staff_user_id, AuditAction::Reclassify)
        .case(CaseId(case_id))
        .contact(contact_id)
        .detail(detail);
    record_on(&mut tx, &entry, db.now()).await?;
    tx.commit().await?;
    Ok(Change::Done)
}

/// Records a call and its outcome; the case moves to the queue the outcome
/// calls for. A call is not a change of the list: no version needed.
pub async fn record_call(
    db: &Db,
    staff_user_id: StaffId,
    case: ScopedCase,
    outcome: CallOutcome,
    call_back_at: Option<i64>,
) -> Result<Change, StoreError> {
    let case_id = case.id();
    let case_id = case_id.get();
    let mut tx = db.begin_write().await?;
    let at = db.now();
    // A write first: on PostgreSQL it locks the case's row until the
    // commit (SQLite's lock is the transaction's).
    let row: Option<(String, i64)> = sqlx::query_as(
        "UPDATE cases SET updated_at = $2 WHERE id = $1 \
         RETURNING status, (SELECT COUNT(*) FROM contacts k WHERE k.case_id = cases.id \
         AND k.removed_at IS NULL)",
    )
    .bind(case_id)
    .bind(at)
    .fetch_optional(&mut *tx)
    .await?;
    let Some((status, contacts)) = row.filter(|(s, _)| s != "closed") else {
        return Ok(Change::NotFound);
    };
    let placement = after_call(
        outcome,
        u32::try_from(contacts).unwrap_or(u32::MAX),
        call_back_at,
        at,
    );
    let status = if outcome == CallOutcome::Reached {
        "in_progress"
    } else {
        status.as_str()
    };
    sqlx::query(
        "UPDATE cases SET queue = $2, call_back_at = $3, last_call_at = $4, \
         last_call_outcome = $5, status = $6, updated_at = $4 WHERE id = $1",
    )
    .bind(case_id)
    .bind(placement.queue.as_str())
    .bind(placement.call_back_at)
    .bind(at)
    .bind(outcome.as_str())
    .bind(status)
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "INSERT INTO case_calls (case_id, staff_user_id, outcome, call_back_at, at) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(case_id)
    .bind(staff_user_id.get())
    .bind(outcome.as_str())
    .bind(placement.call_back_at)
    .bind(at)
    .execute(&mut *tx)
    .await?;
    let entry = AuditEntry::new(staff_user_id, AuditAction::RecordCall)
        .case(CaseId(case_id))
        .detail(outcome.as_str());
    record_on(&mut tx, &entry, db.now()).await?;
    tx.commit().await?;
    Ok(Change::Done)
}

/// Lifts the lock of the case's SMS link (too many wrong dates of birth).
pub async fn unlock_link(
    db: &Db,
    staff_user_id: StaffId,
    case: ScopedCase,
) -> Result<Change, StoreError> {
    let case_id = case.id();
    let case_id = case_id.get();
    let mut tx = db.begin_write().await?;
    let done = sqlx::query("UPDATE cases SET dob_failures = 0, locked_at = NULL WHERE id = $1")
        .bind(case_id)
        .execute(&mut *tx)
        .await?;
    if done.rows_affected() != 1 {
        return Ok(Change::NotFound);
    }
    let entry = AuditEntry::new(staff_user_id, AuditAction::UnlockLink).case(CaseId(case_id));
    record_on(&mut tx, &entry, db.now()).await?;
    tx.commit().await?;
    Ok(Change::Done)
}

/// Puts a new invitation SMS for the case into the outbox and revokes the
/// links sent before. The sender writes the text and a fresh link when it
/// sends it, so no usable link waits in the table.
pub async fn resend_link(
    db: &Db,
    staff_user_id: StaffId,
    case: ScopedCase,
) -> Result<Change, StoreError> {
    let case_id = case.id();
    let case_id = case_id.get();
    let mut tx = db.begin_write().await?;
    let at = db.now();
    // A write that changes nothing, first: it takes the case's row (and
    // SQLite's write lock) so that two resends of one case queue up and
    // count the invitations one after the other (a double click must not
    // compute the same dedupe key twice and fail).
    let row: Option<(Option<String>, String)> = sqlx::query_as(
        "UPDATE cases SET updated_at = updated_at WHERE id = $1 AND status <> 'closed' \
         RETURNING phone, lang",
    )
    .bind(case_id)
    .fetch_optional(&mut *tx)
    .await?;
    let Some((Some(phone), lang)) = row else {
        return Ok(Change::NotFound);
    };
    // The links sent before stop opening the file: a resend is asked for
    // when the old text went astray (a lost or shared phone). Only links
    // issued before this instant: the new text's link, written by the
    // sender later, and a retry of it after a crash mid-send, both open.
    crate::links::revoke_case_links(&mut tx, CaseId(case_id), at).await?;
    let (count,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM sms_outbox WHERE case_id = $1 AND kind = 'case_invitation'",
    )
    .bind(case_id)
    .fetch_one(&mut *tx)
    .await?;
    sqlx::query(
        "INSERT INTO sms_outbox (kind, dedupe_key, to_phone, lang, case_id, status, \
         next_attempt_at, created_at) VALUES ('case_invitation', $1, $2, $3, $4, 'pending', $5, $5)",
    )
    .bind(format!("case_invitation:{case_id}:{}", count + 1))
    .bind(phone)
    .bind(lang)
    .bind(case_id)
    .bind(at)
    .execute(&mut *tx)
    .await?;
    let entry = AuditEntry::new(staff_user_id, AuditAction::ResendLink).case(CaseId(case_id));
    record_on(&mut tx, &entry, db.now()).await?;
    tx.commit().await?;
    Ok(Change::Done)
}

/// Closes the case: out of every queue, its list frozen.
pub async fn close_case(
    db: &Db,
    staff_user_id: StaffId,
    case: ScopedCase,
    version: i64,
) -> Result<Change, StoreError> {
    let case_id = case.id();
    let case_id = case_id.get();
    let mut tx = db.begin_write().await?;
    if let Err(refused) = open_versioned(&mut tx, case_id, version, db.now()).await? {
        return Ok(refused);
    }
    sqlx::query(
        "UPDATE cases SET status = 'closed', queue = $2, closed_at = $3, call_back_at = NULL \
         WHERE id = $1",
    )
    .bind(case_id)
    .bind(Queue::Done.as_str())
    .bind(db.now())
    .execute(&mut *tx)
    .await?;
    let entry = AuditEntry::new(staff_user_id, AuditAction::CloseCase).case(CaseId(case_id));
    record_on(&mut tx, &entry, db.now()).await?;
    tx.commit().await?;
    Ok(Change::Done)
}
