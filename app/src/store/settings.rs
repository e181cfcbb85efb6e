//! Settings shared by every node, kept in the database.

use super::{Db, StoreError};
use crate::security::token::new_token;

/// A random secret named `name`, created on first use; every node reads the
/// same one (the first writer wins).
pub async fn shared_secret(db: &Db, name: &str) -> Result<String, StoreError> {
    sqlx::query("INSERT INTO settings (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING")
        .bind(name)
        .bind(new_token().token)
        .execute(db.pool())
        .await?;
    let (value,): (String,) = sqlx::query_as("SELECT value FROM settings WHERE name = $1")
        .bind(name)
        .fetch_one(db.pool())
        .await?;
    Ok(value)
}
