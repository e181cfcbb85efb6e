//! Settings shared by every node, kept in the database.

use super::{Db, StoreError};
use crate::security::token::new_token;

/// A random secret named `name`, created on first use; every node reads the
/// same one (the first writer wins). It never changes once written, so
/// each process reads it once and keeps it.
pub async fn shared_secret(db: &Db, name: &str) -> Result<String, StoreError> {
    let kept = db.secrets().get(name).cloned();
    if let Some(value) = kept {
        return Ok(value);
    }
    // Read first: creating it is a write, needed once per deployment.
    let value = match read(db, name).await? {
        Some(value) => value,
        None => {
            sqlx::query(
                "INSERT INTO settings (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING",
            )
            .bind(name)
            .bind(new_token().token)
            .execute(&mut *db.write().await?)
            .await?;
            read(db, name)
                .await?
                .ok_or(StoreError::NotFound("setting"))?
        }
    };
    db.secrets().insert(name.to_owned(), value.clone());
    Ok(value)
}

/// The setting `name`, when it was ever written.
pub async fn read(db: &Db, name: &str) -> Result<Option<String>, StoreError> {
    let row: Option<(String,)> = sqlx::query_as("SELECT value FROM settings WHERE name = $1")
        .bind(name)
        .fetch_optional(db.pool())
        .await?;
    Ok(row.map(|(value,)| value))
}

/// Writes the setting `name`.
pub async fn write(db: &Db, name: &str, value: &str) -> Result<(), StoreError> {
    let mut conn = db.write().await?;
    write_on(&mut conn, name, value).await
}

/// Writes the setting `name` on `conn` (inside a transaction when there is
/// one).
pub async fn write_on(
    conn: &mut sqlx::AnyConnection,
    name: &str,
    value: &str,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO settings (name, value) VALUES ($1, $2) \
         ON CONFLICT (name) DO UPDATE SET value = excluded.value",
    )
    .bind(name)
    .bind(value)
    .execute(conn)
    .await?;
    Ok(())
}

/// Sets `name` to `value` unless it already holds it; true for the one node
/// that changed it (the others, racing for the same value, get false). A
/// daily job claims its day this way so that one node runs it.
pub async fn claim(db: &Db, name: &str, value: &str) -> Result<bool, StoreError> {
    let done = sqlx::query(
        "INSERT INTO settings (name, value) VALUES ($1, $2) \
         ON CONFLICT (name) DO UPDATE SET value = excluded.value \
         WHERE settings.value <> excluded.value",
    )
    .bind(name)
    .bind(value)
    .execute(&mut *db.write().await?)
    .await?;
    Ok(done.rows_affected() == 1)
}
