//! Sessions of cases, contacts and staff. The cookie holds a random 128-bit
//! id; the database keeps only its SHA-256, with an idle and an absolute
//! expiry, so that every node sees the same sessions.

use super::columns::OptionalId;
use super::{Db, StoreError};
use crate::security::token::{hash_token, new_token};
use relais::ids::{CaseId, ContactId, StaffId};

/// A citizen's session ends after this long without a request (seconds).
pub const IDLE_SECONDS: i64 = 2 * 3600;
/// A staff session ends sooner: a desk left unattended shows personal data.
pub const STAFF_IDLE_SECONDS: i64 = 30 * 60;
/// And in any case after this long (seconds).
pub const ABSOLUTE_SECONDS: i64 = 12 * 3600;

/// Whose session it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionSubject {
    Case(CaseId),
    Contact(ContactId),
    Staff(StaffId),
}

/// Opens a session and returns the secret for the cookie.
pub async fn open_session(db: &Db, subject: SessionSubject) -> Result<String, StoreError> {
    let at = db.now();
    let mut conn = db.write().await?;
    insert_session(&mut conn, at, subject).await
}

/// Opens a session at `at` on a writing connection; the cookie's secret.
pub(crate) async fn insert_session(
    conn: &mut sqlx::AnyConnection,
    at: i64,
    subject: SessionSubject,
) -> Result<String, StoreError> {
    let token = new_token();
    let (kind, staff, case, contact) = match subject {
        SessionSubject::Case(id) => ("case", None, Some(id.get()), None),
        SessionSubject::Contact(id) => ("contact", None, None, Some(id.get())),
        SessionSubject::Staff(id) => ("staff", Some(id.get()), None, None),
    };
    sqlx::query(
        "INSERT INTO sessions (id_hash, kind, staff_user_id, case_id, contact_id, created_at, \
         last_seen_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $6, $7)",
    )
    .bind(&token.hash)
    .bind(kind)
    .bind(staff)
    .bind(case)
    .bind(contact)
    .bind(at)
    .bind(at + ABSOLUTE_SECONDS)
    .execute(conn)
    .await?;
    Ok(token.token)
}

/// A session's idle timer is moved at most this often (seconds): reading a
/// page is then a read, not a durable write, for all but one request a
/// minute. A session may thus end up to this long before its idle time.
pub const TOUCH_SECONDS: i64 = 60;

/// The condition that a row of `sessions` is a live, signed-in session, for
/// every read of one ([`session_subject`], `cases::case_session`,
/// `staff::session_member`): `$1` the secret's hash, `$2` now, `$3` and `$4`
/// the oldest last activity allowed to a citizen's and to a staff member's
/// session, as [`bind_live_session`] binds them.
macro_rules! live_session {
    () => {
        "sessions.id_hash = $1 AND sessions.expires_at > $2 \
         AND sessions.factor_pending = FALSE AND sessions.last_seen_at > \
         CASE WHEN sessions.kind = 'staff' THEN $4 ELSE $3 END"
    };
}
pub(crate) use live_session;

/// Binds the values of [`live_session!`] for the secret hashed `id_hash`,
/// read `at`.
fn bind_live_session<'q, O>(
    query: sqlx::query::QueryAs<'q, sqlx::Any, O, sqlx::any::AnyArguments<'q>>,
    id_hash: &'q str,
    at: i64,
) -> sqlx::query::QueryAs<'q, sqlx::Any, O, sqlx::any::AnyArguments<'q>> {
    query
        .bind(id_hash)
        .bind(at)
        .bind(at - IDLE_SECONDS)
        .bind(at - STAFF_IDLE_SECONDS)
}

/// The subject of a live session, refreshing its idle timer when it is older
/// than [`TOUCH_SECONDS`].
pub async fn session_subject(db: &Db, secret: &str) -> Result<Option<SessionSubject>, StoreError> {
    const SQL: &str = concat!(
        "SELECT kind, staff_user_id, case_id, contact_id, last_seen_at FROM sessions WHERE ",
        live_session!()
    );
    #[derive(sqlx::FromRow)]
    struct Row {
        kind: String,
        #[sqlx(try_from = "OptionalId")]
        staff_user_id: Option<StaffId>,
        #[sqlx(try_from = "OptionalId")]
        case_id: Option<CaseId>,
        #[sqlx(try_from = "OptionalId")]
        contact_id: Option<ContactId>,
        last_seen_at: i64,
    }
    let Some(row) = read_live_session(db, secret, SQL, |row: &Row| row.last_seen_at).await? else {
        return Ok(None);
    };
    Ok(match row.kind.as_str() {
        "case" => row.case_id.map(SessionSubject::Case),
        "contact" => row.contact_id.map(SessionSubject::Contact),
        "staff" => row.staff_user_id.map(SessionSubject::Staff),
        _ => None,
    })
}

/// The row `sql` reads of the live session `secret` opens (`sql`'s
/// condition is [`live_session!`], bound as [`bind_live_session`] binds
/// it), the session's idle timer moved ([`touch`]) from the last activity
/// `seen_at` reads in the row. `None` without a live session.
pub(crate) async fn read_live_session<R>(
    db: &Db,
    secret: &str,
    sql: &str,
    seen_at: impl FnOnce(&R) -> i64,
) -> Result<Option<R>, StoreError>
where
    R: for<'r> sqlx::FromRow<'r, sqlx::any::AnyRow> + Send + Unpin,
{
    let at = db.now();
    let id_hash = hash_token(secret);
    let row: Option<R> = bind_live_session(sqlx::query_as(sql), &id_hash, at)
        .fetch_optional(db.pool())
        .await?;
    if let Some(row) = &row {
        touch(db, &id_hash, seen_at(row), at).await?;
    }
    Ok(row)
}

/// Moves a live session's idle timer to `at` when it was last written
/// [`TOUCH_SECONDS`] or more before.
pub(crate) async fn touch(
    db: &Db,
    id_hash: &str,
    last_seen_at: i64,
    at: i64,
) -> Result<(), StoreError> {
    if last_seen_at <= at - TOUCH_SECONDS {
        // Another request of the same session may have moved it meanwhile:
        // the condition keeps the latest time.
        sqlx::query(
            "UPDATE sessions SET last_seen_at = $2 WHERE id_hash = $1 AND last_seen_at < $2",
        )
        .bind(id_hash)
        .bind(at)
        .execute(&mut *db.write().await?)
        .await?;
    }
    Ok(())
}

/// How long a session waiting for its second factor lasts.
pub const FACTOR_PENDING_SECONDS: i64 = 5 * 60;

/// Opens a staff session that waits for the member's second factor: no
/// page opens with it, only the code's form ([`pending_factor_subject`]).
pub async fn open_factor_pending_session(
    db: &Db,
    staff_user_id: StaffId,
) -> Result<String, StoreError> {
    let token = new_token();
    let at = db.now();
    sqlx::query(
        "INSERT INTO sessions (id_hash, kind, staff_user_id, created_at, last_seen_at, \
         expires_at, factor_pending) VALUES ($1, 'staff', $2, $3, $3, $4, TRUE)",
    )
    .bind(&token.hash)
    .bind(staff_user_id.get())
    .bind(at)
    .bind(at + FACTOR_PENDING_SECONDS)
    .execute(&mut *db.write().await?)
    .await?;
    Ok(token.token)
}

/// The member of a live session that waits for its second factor.
pub async fn pending_factor_subject(db: &Db, secret: &str) -> Result<Option<StaffId>, StoreError> {
    let id: Option<i64> = sqlx::query_scalar(
        "SELECT staff_user_id FROM sessions WHERE id_hash = $1 AND expires_at > $2 \
         AND factor_pending = TRUE AND kind = 'staff'",
    )
    .bind(hash_token(secret))
    .bind(db.now())
    .fetch_optional(db.pool())
    .await?
    .flatten();
    Ok(id.map(StaffId))
}

/// Ends every session of a staff member (an account locked or disabled).
pub async fn close_staff_sessions(db: &Db, staff_user_id: StaffId) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM sessions WHERE staff_user_id = $1")
        .bind(staff_user_id.get())
        .execute(&mut *db.write().await?)
        .await?;
    Ok(())
}

/// Ends a session (sign-out).
pub async fn close_session(db: &Db, secret: &str) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM sessions WHERE id_hash = $1")
        .bind(hash_token(secret))
        .execute(&mut *db.write().await?)
        .await?;
    Ok(())
}

/// Removes expired sessions; returns how many.
pub async fn purge_expired_sessions(db: &Db) -> Result<u64, StoreError> {
    let at = db.now();
    let done = sqlx::query(
        "DELETE FROM sessions WHERE expires_at <= $1 OR last_seen_at <= $2 \
         OR (kind = 'staff' AND last_seen_at <= $3)",
    )
    .bind(at)
    .bind(at - IDLE_SECONDS)
    .bind(at - STAFF_IDLE_SECONDS)
    .execute(&mut *db.write().await?)
    .await?;
    Ok(done.rows_affected())
}
