//! Staff accounts.

use super::{now, Db, StoreError};
use crate::roles::StaffRole;

/// Creates a staff account. `password_hash` is an argon2id PHC string.
pub async fn create_staff_user(
    db: &Db,
    username: &str,
    display_name: &str,
    role: StaffRole,
    password_hash: &str,
) -> Result<i64, StoreError> {
    let inserted: Option<(i64,)> = sqlx::query_as(
        "INSERT INTO staff_users (username, display_name, role, password_hash, created_at) \
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (username) DO NOTHING RETURNING id",
    )
    .bind(username)
    .bind(display_name)
    .bind(role.as_str())
    .bind(password_hash)
    .bind(now())
    .fetch_optional(db.pool())
    .await?;
    inserted
        .map(|(id,)| id)
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
    .execute(db.pool())
    .await?;
    Ok(done.rows_affected() > 0)
}
