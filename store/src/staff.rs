//! Staff accounts.

use super::columns::Flag;
use super::{Db, StoreError};
use relais::ids::{OrganisationId, StaffId};
use relais::organisation::Membership;
use relais::roles::StaffRole;

/// Creates a staff account in `organisation`. `password_hash` is an
/// argon2id PHC string.
pub async fn create_staff_user(
    db: &Db,
    username: &str,
    display_name: &str,
    role: StaffRole,
    organisation: OrganisationId,
    password_hash: &str,
) -> Result<StaffId, StoreError> {
    // SQLite holds no foreign key on the column (see the migration).
    let Some(org) = crate::organisations::get(db, organisation).await? else {
        return Err(StoreError::NotFound("organisation"));
    };
    if !relais::organisation::role_fits(org.kind, role) {
        return Err(StoreError::NotAllowed(
            "a support member belongs to a support cell, which has no tracer or supervisor",
        ));
    }
    let inserted: Option<i64> = sqlx::query_scalar(
        "INSERT INTO staff_users (username, display_name, role, password_hash, created_at, \
         organisation_id) \
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (username) DO NOTHING RETURNING id",
    )
    .bind(username)
    .bind(display_name)
    .bind(role.as_str())
    .bind(password_hash)
    .bind(db.now())
    .bind(organisation.get())
    .fetch_optional(&mut *db.write().await?)
    .await?;
    inserted
        .map(StaffId)
        .ok_or(StoreError::AlreadyExists("staff account"))
}

/// Number of staff accounts (the demo loads its own only into an empty base).
pub async fn count_staff_users(db: &Db) -> Result<i64, StoreError> {
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM staff_users")
        .fetch_one(db.pool())
        .await?;
    Ok(n)
}

/// Replaces the password of an account (demo accounts get a fresh one at
/// every `relais demo`); returns false when there is no such account.
pub async fn set_password(
    db: &Db,
    username: &str,
    password_hash: &str,
) -> Result<bool, StoreError> {
    let done = sqlx::query(
        "UPDATE staff_users SET password_hash = $1, failed_logins = 0, locked_at = NULL \
         WHERE username = $2",
    )
    .bind(password_hash)
    .bind(username)
    .execute(&mut *db.write().await?)
    .await?;
    Ok(done.rows_affected() > 0)
}

/// What lifting an account's lock sets: no lock, no failures (an admin's
/// unlock, the operator's, a successful sign-in).
const UNLOCKED: &str = "locked_at = NULL, locked_until = NULL, locks = 0, failed_logins = 0, \
     last_failed_at = NULL";

/// An account's lock instant if it holds at `$3` (a lock with an end
/// that passed no longer does).
const LOCKED_NOW: &str =
    "CASE WHEN s.locked_until IS NOT NULL AND s.locked_until <= $3 THEN NULL ELSE s.locked_at END";

/// A staff account as sign-in needs it.
#[derive(Debug, Clone)]
pub struct SignInAccount {
    pub id: StaffId,
    pub password_hash: String,
    /// Locked now (a lock whose time ran out no longer counts).
    pub locked: bool,
    pub disabled: bool,
    /// An enabled second factor: the password alone opens no session.
    pub second_factor: bool,
}

/// The account named `username`, if any.
pub async fn find_for_sign_in(
    db: &Db,
    username: &str,
) -> Result<Option<SignInAccount>, StoreError> {
    #[derive(sqlx::FromRow)]
    struct Row {
        #[sqlx(try_from = "i64")]
        id: StaffId,
        password_hash: String,
        locked_at: Option<i64>,
        locked_until: Option<i64>,
        #[sqlx(try_from = "Flag")]
        disabled: bool,
        totp_enabled_at: Option<i64>,
    }
    let row: Option<Row> = sqlx::query_as(concat!(
        "SELECT id, password_hash, locked_at, locked_until, totp_enabled_at, ",
        crate::flag!("disabled"),
        " \
         FROM staff_users WHERE username = $1"
    ))
    .bind(username)
    .fetch_optional(db.pool())
    .await?;
    let now = db.now();
    Ok(row.map(|row| SignInAccount {
        id: row.id,
        password_hash: row.password_hash,
        locked: row.locked_at.is_some() && row.locked_until.is_none_or(|until| until > now),
        disabled: row.disabled,
        second_factor: row.totp_enabled_at.is_some(),
    }))
}

/// Whose failed sign-ins are counted: an account, or a name that is no
/// account (its keyed hash, [`crate::security::token::hash_sign_in_name`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignInName<'a> {
    Account(StaffId),
    Unknown(&'a str),
}

/// Whether a name that is no account is locked now, as an account would be.
pub async fn unknown_name_locked(db: &Db, name_hash: &str) -> Result<bool, StoreError> {
    let until: Option<Option<i64>> =
        sqlx::query_scalar("SELECT locked_until FROM sign_in_names WHERE name_hash = $1")
            .bind(name_hash)
            .fetch_optional(db.pool())
            .await?;
    Ok(until.flatten().is_some_and(|until| until > db.now()))
}

/// Counts one more consecutive failed sign-in under `name`; returns the
/// count (the database holds it, so every node sees the same).
pub async fn record_sign_in_failure(db: &Db, name: SignInName<'_>) -> Result<u32, StoreError> {
    let n: i64 = match name {
        SignInName::Account(id) => {
            sqlx::query_scalar(
                "UPDATE staff_users SET failed_logins = failed_logins + 1, last_failed_at = $2 \
             WHERE id = $1 RETURNING failed_logins",
            )
            .bind(id.get())
            .bind(db.now())
            .fetch_one(&mut *db.write().await?)
            .await?
        }
        SignInName::Unknown(hash) => sqlx::query_scalar(
            "INSERT INTO sign_in_names (name_hash, failures, last_failed_at) VALUES ($1, 1, $2) \
             ON CONFLICT (name_hash) DO UPDATE SET failures = sign_in_names.failures + 1, \
             last_failed_at = $2 RETURNING failures",
        )
        .bind(hash)
        .bind(db.now())
        .fetch_one(&mut *db.write().await?)
        .await?,
    };
    Ok(u32::try_from(n).unwrap_or(u32::MAX))
}

/// Locks `name` for [`relais::desk::sign_in::lock_seconds`] of its locks
/// in a row (an admin can lift an account's lock before).
pub async fn lock_sign_in(db: &Db, name: SignInName<'_>) -> Result<(), StoreError> {
    let now = db.now();
    let mut tx = db.begin_write().await?;
    let locks: i64 =
        match name {
            SignInName::Account(id) => {
                sqlx::query_scalar(
                    "UPDATE staff_users SET locks = locks + 1, locked_at = $2 WHERE id = $1 \
                 RETURNING locks",
                )
                .bind(id.get())
                .bind(now)
                .fetch_one(&mut *tx)
                .await?
            }
            SignInName::Unknown(hash) => sqlx::query_scalar(
                "UPDATE sign_in_names SET locks = locks + 1 WHERE name_hash = $1 RETURNING locks",
            )
            .bind(hash)
            .fetch_one(&mut *tx)
            .await?,
        };
    let until = now + relais::desk::sign_in::lock_seconds(u32::try_from(locks).unwrap_or(u32::MAX));
    match name {
        SignInName::Account(id) => {
            sqlx::query("UPDATE staff_users SET locked_until = $2 WHERE id = $1")
                .bind(id.get())
                .bind(until)
                .execute(&mut *tx)
                .await?
        }
        SignInName::Unknown(hash) => {
            sqlx::query("UPDATE sign_in_names SET locked_until = $2 WHERE name_hash = $1")
                .bind(hash)
                .bind(until)
                .execute(&mut *tx)
                .await?
        }
    };
    tx.commit().await?;
    Ok(())
}

/// Lifts the lock of the account named `username` and clears its failures
/// (the operator's `relais user unlock`); false when there is no such
/// account.
pub async fn unlock_by_username(db: &Db, username: &str) -> Result<bool, StoreError> {
    let done = sqlx::query(&format!(
        "UPDATE staff_users SET {UNLOCKED} WHERE username = $1"
    ))
    .bind(username)
    .execute(&mut *db.write().await?)
    .await?;
    Ok(done.rows_affected() > 0)
}

/// A successful sign-in clears the failures.
pub async fn record_sign_in_success(db: &Db, id: StaffId) -> Result<(), StoreError> {
    sqlx::query(&format!("UPDATE staff_users SET {UNLOCKED} WHERE id = $1"))
        .bind(id.get())
        .execute(&mut *db.write().await?)
        .await?;
    Ok(())
}

/// Lifts the lock of an account and clears its failures; false when there
/// is no such account among those an admin of `viewer` manages.
pub async fn unlock_account(db: &Db, viewer: Membership, id: StaffId) -> Result<bool, StoreError> {
    let done = sqlx::query(&format!(
        "UPDATE staff_users SET {UNLOCKED} WHERE id = $1 AND ($2 OR organisation_id = $3)"
    ))
    .bind(id.get())
    .bind(viewer.kind.is_national())
    .bind(viewer.organisation.get())
    .execute(&mut *db.write().await?)
    .await?;
    Ok(done.rows_affected() > 0)
}

/// A staff member as the pages know them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaffMember {
    pub id: StaffId,
    pub username: String,
    pub display_name: String,
    pub role: StaffRole,
    /// The organisation they act for.
    pub membership: Membership,
    /// Its name, as the pages show it.
    pub organisation_name: String,
    /// An enabled second factor.
    pub second_factor: bool,
}

impl StaffMember {
    /// The cases this member may see.
    pub fn scope(&self) -> crate::scope::Scope {
        crate::scope::Scope::of(self.membership)
    }
}

/// A staff member's row, joined with their organisation.
#[derive(sqlx::FromRow)]
struct MemberRow {
    #[sqlx(try_from = "i64")]
    id: StaffId,
    username: String,
    display_name: String,
    role: String,
    organisation_id: i64,
    organisation_kind: String,
    organisation_name: String,
    totp_enabled_at: Option<i64>,
}

/// The columns of a [`MemberRow`], from `staff_users s JOIN organisations o`.
const MEMBER_COLUMNS: &str = "s.id, s.username, s.display_name, s.role, \
     s.organisation_id, o.kind AS organisation_kind, o.name AS organisation_name, \
     s.totp_enabled_at";

impl MemberRow {
    /// `None` when the stored role is unknown.
    fn member(self) -> Option<StaffMember> {
        Some(StaffMember {
            id: self.id,
            username: self.username,
            display_name: self.display_name,
            role: self.role.parse().ok()?,
            membership: Membership {
                organisation: OrganisationId(self.organisation_id),
                kind: self.organisation_kind.parse().ok()?,
            },
            organisation_name: self.organisation_name,
            second_factor: self.totp_enabled_at.is_some(),
        })
    }
}

/// The condition that the account `s` may act now: not locked (or its lock
/// ran out, `$2` being now) and not disabled.
const ACTIVE_ACCOUNT: &str = "(s.locked_at IS NULL OR s.locked_until <= $2) AND s.disabled = FALSE";

/// The member behind a live staff session: none when the account was
/// locked or disabled since.
pub async fn active_member(db: &Db, id: StaffId) -> Result<Option<StaffMember>, StoreError> {
    let row: Option<MemberRow> = sqlx::query_as(&format!(
        "SELECT {MEMBER_COLUMNS} FROM staff_users s JOIN organisations o \
         ON o.id = s.organisation_id WHERE s.id = $1 AND {ACTIVE_ACCOUNT}"
    ))
    .bind(id.get())
    .bind(db.now())
    .fetch_optional(db.pool())
    .await?;
    Ok(row.and_then(MemberRow::member))
}

/// The active member whose live staff session `secret` opens, read with the
/// session in one statement (every page of the console asks it), the
/// session's idle timer moved as [`crate::sessions::session_subject`] moves
/// it. `None` without a live staff session (none, ended, idle too long, a
/// citizen's), or when the account was locked or disabled since.
pub async fn session_member(db: &Db, secret: &str) -> Result<Option<StaffMember>, StoreError> {
    #[derive(sqlx::FromRow)]
    struct Row {
        #[sqlx(flatten)]
        member: MemberRow,
        session_seen_at: i64,
    }
    let sql = format!(
        "SELECT {MEMBER_COLUMNS}, sessions.last_seen_at AS session_seen_at FROM sessions \
         JOIN staff_users s ON s.id = sessions.staff_user_id \
         JOIN organisations o ON o.id = s.organisation_id \
         WHERE {} AND sessions.kind = 'staff' AND {ACTIVE_ACCOUNT}",
        crate::sessions::live_session!()
    );
    let Some(row) =
        crate::sessions::read_live_session(db, secret, &sql, |row: &Row| row.session_seen_at)
            .await?
    else {
        return Ok(None);
    };
    Ok(row.member.member())
}

/// An account as the admin's list shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountRow {
    pub member: StaffMember,
    pub failed_logins: i64,
    pub locked_at: Option<i64>,
}

/// The accounts an admin of `viewer` manages (every account for a national
/// admin, their organisation's for a local one), locked ones first, then by
/// name. A lock whose time ran out shows as none.
pub async fn list_accounts(db: &Db, viewer: Membership) -> Result<Vec<AccountRow>, StoreError> {
    #[derive(sqlx::FromRow)]
    struct Row {
        #[sqlx(flatten)]
        member: MemberRow,
        failed_logins: i64,
        locked_at: Option<i64>,
    }
    let rows: Vec<Row> = sqlx::query_as(&format!(
        "SELECT {MEMBER_COLUMNS}, s.failed_logins, {LOCKED_NOW} AS locked_at \
         FROM staff_users s JOIN organisations o ON o.id = s.organisation_id \
         WHERE $1 OR s.organisation_id = $2 \
         ORDER BY CASE WHEN {LOCKED_NOW} IS NULL THEN 1 ELSE 0 END, s.username"
    ))
    .bind(viewer.kind.is_national())
    .bind(viewer.organisation.get())
    .bind(db.now())
    .fetch_all(db.pool())
    .await?;
    Ok(rows
        .into_iter()
        .filter_map(|row| {
            Some(AccountRow {
                member: row.member.member()?,
                failed_logins: row.failed_logins,
                locked_at: row.locked_at,
            })
        })
        .collect())
}
