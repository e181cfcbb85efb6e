//! Attempts to prove who one is (date of birth, staff sign-in), kept in the
//! database for per-IP rate limits that hold across nodes. The IP is stored
//! only as a keyed hash.

use super::{Db, StoreError};
use relais::ids::{CaseId, StaffId};

/// What was attempted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AttemptKind {
    BirthDate,
    StaffSignIn,
}

impl AttemptKind {
    fn as_str(self) -> &'static str {
        match self {
            AttemptKind::BirthDate => "birth_date",
            AttemptKind::StaffSignIn => "staff_sign_in",
        }
    }
}

/// A per-IP limit: at most `max_failures` failed attempts in `window_seconds`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimit {
    pub max_failures: i64,
    pub window_seconds: i64,
}

/// Date-of-birth checks: 20 failures an hour from one address (a shared
/// connection may serve a family or a care home, but never hundreds).
pub const BIRTH_DATE_LIMIT: RateLimit = RateLimit {
    max_failures: 20,
    window_seconds: 3600,
};

/// Records an attempt to prove one is the case `case` (unknown when the
/// link led nowhere) by the date of birth.
pub async fn record_birth_date_attempt(
    db: &Db,
    case: Option<CaseId>,
    ip_hash: &str,
    succeeded: bool,
) -> Result<(), StoreError> {
    record(
        db,
        AttemptKind::BirthDate,
        case.map(CaseId::get),
        ip_hash,
        succeeded,
    )
    .await
}

/// Records a staff sign-in attempt before the password is checked, as a
/// failure (so that a request cut short, during the slow hash, still counts
/// against the address), and returns it to mark it succeeded
/// ([`attempt_succeeded`]). A date of birth is counted with its comparison,
/// in one transaction (`links::confirm_birth_date`).
pub async fn begin_sign_in_attempt(
    db: &Db,
    member: Option<StaffId>,
    ip_hash: &str,
) -> Result<i64, StoreError> {
    begin(
        db,
        AttemptKind::StaffSignIn,
        member.map(StaffId::get),
        ip_hash,
    )
    .await
}

async fn begin(
    db: &Db,
    kind: AttemptKind,
    subject_id: Option<i64>,
    ip_hash: &str,
) -> Result<i64, StoreError> {
    insert(db, kind, subject_id, ip_hash, false).await
}

/// Writes one attempt; its id.
async fn insert(
    db: &Db,
    kind: AttemptKind,
    subject_id: Option<i64>,
    ip_hash: &str,
    succeeded: bool,
) -> Result<i64, StoreError> {
    let at = db.now();
    let mut conn = db.write().await?;
    insert_attempt(&mut conn, at, kind, subject_id, ip_hash, succeeded).await
}

/// Writes one attempt made at `at` on a writing connection; its id.
pub(crate) async fn insert_attempt(
    conn: &mut sqlx::AnyConnection,
    at: i64,
    kind: AttemptKind,
    subject_id: Option<i64>,
    ip_hash: &str,
    succeeded: bool,
) -> Result<i64, StoreError> {
    Ok(sqlx::query_scalar(
        "INSERT INTO login_attempts (kind, subject_id, ip_hash, succeeded, at) \
         VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(kind.as_str())
    .bind(subject_id)
    .bind(ip_hash)
    .bind(succeeded)
    .bind(at)
    .fetch_one(conn)
    .await?)
}

/// The attempt `id` ([`begin_sign_in_attempt`]) succeeded.
pub async fn attempt_succeeded(db: &Db, id: i64) -> Result<(), StoreError> {
    sqlx::query("UPDATE login_attempts SET succeeded = $2 WHERE id = $1")
        .bind(id)
        .bind(true)
        .execute(&mut *db.write().await?)
        .await?;
    Ok(())
}

/// Records an attempt to sign in as the staff member `member` (unknown
/// when no account has the name given).
pub async fn record_sign_in_attempt(
    db: &Db,
    member: Option<StaffId>,
    ip_hash: &str,
    succeeded: bool,
) -> Result<(), StoreError> {
    record(
        db,
        AttemptKind::StaffSignIn,
        member.map(StaffId::get),
        ip_hash,
        succeeded,
    )
    .await
}

/// Records an attempt of `kind` on the case or staff member `subject_id`.
async fn record(
    db: &Db,
    kind: AttemptKind,
    subject_id: Option<i64>,
    ip_hash: &str,
    succeeded: bool,
) -> Result<(), StoreError> {
    insert(db, kind, subject_id, ip_hash, succeeded).await?;
    Ok(())
}

/// True when the address has used up its failures for `kind`.
pub async fn is_rate_limited(
    db: &Db,
    kind: AttemptKind,
    ip_hash: &str,
    limit: RateLimit,
) -> Result<bool, StoreError> {
    let (failures,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM login_attempts \
         WHERE kind = $1 AND ip_hash = $2 AND succeeded = $3 AND at > $4",
    )
    .bind(kind.as_str())
    .bind(ip_hash)
    .bind(false)
    .bind(db.now() - limit.window_seconds)
    .fetch_one(db.pool())
    .await?;
    Ok(failures >= limit.max_failures)
}
