//! The SMS outbox: messages written in the same transaction as their cause
//! (a validated list, a link sent again), sent by a worker in the server
//! process. A worker claims a batch with a lease: on PostgreSQL with
//! `FOR UPDATE SKIP LOCKED`, so that several nodes never take the same row;
//! on SQLite the single writer serialises claims. A claim whose lease ran
//! out (its node died) is taken again.

use super::columns::OptionalId;
use super::{Backend, Db, StoreError};
use relais::ids::{CaseId, ContactId, MessageId};

/// A message claimed for sending.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Claimed {
    #[sqlx(try_from = "i64")]
    pub id: MessageId,
    pub kind: String,
    pub to_phone: Option<String>,
    pub lang: String,
    #[sqlx(try_from = "OptionalId")]
    pub case_id: Option<CaseId>,
    #[sqlx(try_from = "OptionalId")]
    pub contact_id: Option<ContactId>,
    /// Attempts made, this one included.
    pub attempts: i64,
    /// The day a scheduled message is about (ISO date), if any.
    pub for_day: Option<String>,
}

/// Claims up to `batch` messages that are due, for `lease_seconds`.
pub async fn claim_due(
    db: &Db,
    worker: &str,
    batch: i64,
    lease_seconds: i64,
) -> Result<Vec<Claimed>, StoreError> {
    let at = db.now();
    let lock = match db.backend() {
        Backend::Postgres => " FOR UPDATE SKIP LOCKED",
        Backend::Sqlite => "",
    };
    let mut claimed: Vec<Claimed> = sqlx::query_as(&format!(
        "UPDATE sms_outbox SET status = 'sending', claimed_by = $1, claimed_until = $2, \
         attempts = attempts + 1 \
         WHERE id IN (SELECT id FROM sms_outbox \
           WHERE (status = 'pending' AND next_attempt_at <= $3) \
              OR (status = 'sending' AND claimed_until < $3) \
           ORDER BY next_attempt_at, id LIMIT $4{lock}) \
         RETURNING id, kind, to_phone, lang, case_id, contact_id, attempts, for_day"
    ))
    .bind(worker)
    .bind(at + lease_seconds)
    .bind(at)
    .bind(batch)
    .fetch_all(&mut *db.write().await?)
    .await?;
    claimed.sort_by_key(|c| c.id);
    Ok(claimed)
}

/// The message was accepted by the gateway. Only a claim still held by
/// `worker` is marked (a late answer after the lease moved on changes
/// nothing).
pub async fn mark_sent(db: &Db, id: MessageId, worker: &str) -> Result<bool, StoreError> {
    let done = sqlx::query(
        "UPDATE sms_outbox SET status = 'sent', sent_at = $3, claimed_by = NULL, \
         claimed_until = NULL, last_error = NULL WHERE id = $1 AND claimed_by = $2 \
         AND status = 'sending'",
    )
    .bind(id.get())
    .bind(worker)
    .bind(db.now())
    .execute(&mut *db.write().await?)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Why a claimed message is not sent at all (a final status).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Skipped {
    /// A scheduled message that became pointless (`cancelled`).
    Cancelled,
    /// The number answered STOP (`opted_out`, shown to tracers).
    OptedOut,
}

impl Skipped {
    pub fn status(self) -> &'static str {
        match self {
            Skipped::Cancelled => "cancelled",
            Skipped::OptedOut => "opted_out",
        }
    }
}

/// Whether a claimed message must not be sent: its number opted out, or
/// (a scheduled one) it became pointless.
pub async fn skip_reason(db: &Db, message: &Claimed) -> Result<Option<Skipped>, StoreError> {
    if let Some(phone) = message.to_phone.as_deref() {
        if super::replies::is_opted_out(db, phone).await? {
            return Ok(Some(Skipped::OptedOut));
        }
    }
    let (Some(kind), Some(contact_id)) = (
        relais::outbox::MessageKind::parse(&message.kind),
        message.contact_id,
    ) else {
        return Ok(None);
    };
    let mut conn = db.pool().acquire().await?;
    let for_day = message
        .for_day
        .as_deref()
        .and_then(relais::dates::parse_iso);
    Ok(
        super::schedule::pointless(&mut conn, contact_id, kind, for_day)
            .await?
            .then_some(Skipped::Cancelled),
    )
}

/// The message is not sent, for good (see [`Skipped`]); only a claim still
/// held by `worker` is marked.
pub async fn mark_skipped(
    db: &Db,
    id: MessageId,
    worker: &str,
    skipped: Skipped,
) -> Result<bool, StoreError> {
    let done = sqlx::query(
        "UPDATE sms_outbox SET status = $3, claimed_by = NULL, claimed_until = NULL \
         WHERE id = $1 AND claimed_by = $2 AND status = 'sending'",
    )
    .bind(id.get())
    .bind(worker)
    .bind(skipped.status())
    .execute(&mut *db.write().await?)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// The attempt failed: try again at `next_attempt_at`, or give up
/// (`failed`, shown to tracers) when `give_up`.
pub async fn mark_attempt_failed(
    db: &Db,
    id: MessageId,
    worker: &str,
    error: &str,
    next_attempt_at: Option<i64>,
) -> Result<(), StoreError> {
    let error: String = error.chars().take(200).collect();
    sqlx::query(
        "UPDATE sms_outbox SET status = CASE WHEN $4 IS NULL THEN 'failed' ELSE 'pending' END, \
         next_attempt_at = COALESCE($4, next_attempt_at), last_error = $3, \
         claimed_by = NULL, claimed_until = NULL \
         WHERE id = $1 AND claimed_by = $2 AND status = 'sending'",
    )
    .bind(id.get())
    .bind(worker)
    .bind(error)
    .bind(next_attempt_at)
    .execute(&mut *db.write().await?)
    .await?;
    Ok(())
}

/// Queues, due now, the invitation of every case whose reference is `LIKE`
/// `reference_pattern` and that has none yet (generated data, to measure
/// the sender). Returns how many were queued.
pub async fn queue_invitations(db: &Db, reference_pattern: &str) -> Result<u64, StoreError> {
    let queued = sqlx::query(
        "INSERT INTO sms_outbox (kind, dedupe_key, to_phone, lang, case_id, status, \
         next_attempt_at, created_at) \
         SELECT 'case_invitation', 'case_invitation:' || id || ':1', phone, lang, id, 'pending', $1, $1 \
         FROM cases WHERE reference LIKE $2 \
         ON CONFLICT (dedupe_key) DO NOTHING",
    )
    .bind(db.now())
    .bind(reference_pattern)
    .execute(&mut *db.write().await?)
    .await?;
    Ok(queued.rows_affected())
}

/// How many messages wait in each status (for the metrics and the tests).
pub async fn counts(db: &Db) -> Result<Vec<(String, i64)>, StoreError> {
    let rows: Vec<(String, i64)> =
        sqlx::query_as("SELECT status, COUNT(*) FROM sms_outbox GROUP BY status ORDER BY status")
            .fetch_all(db.pool())
            .await?;
    Ok(rows)
}

/// A text of a case or of its contacts, to count what they cost.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseText {
    pub kind: relais::outbox::MessageKind,
    pub lang: relais::Lang,
    /// Sent (or being sent); otherwise still to send.
    pub sent: bool,
}

/// The texts of a case and of its contacts, sent or still to send (not the
/// skipped or failed ones: they cost nothing).
pub async fn texts_of_case(
    db: &Db,
    case: crate::scope::ScopedCase,
) -> Result<Vec<CaseText>, StoreError> {
    let rows: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT kind, lang, status FROM sms_outbox \
         WHERE case_id = $1 AND status IN ('pending', 'sending', 'sent') ORDER BY id",
    )
    .bind(case.id().get())
    .fetch_all(db.pool())
    .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(kind, lang, status)| {
            Some(CaseText {
                kind: relais::outbox::MessageKind::parse(&kind)?,
                lang: lang.parse().unwrap_or_default(),
                sent: status != "pending",
            })
        })
        .collect())
}
