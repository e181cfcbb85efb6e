//! Keys of the other systems calling the integration API (`/api/v1/`): the
//! lab feed (right `intake`), the national tracing tool (right `export`).
//! A key is 256 random bits, shown once when created; only its SHA-256 is
//! stored, so a copy of the database opens nothing.

use super::{Db, StoreError};
use crate::security::token::hash_token;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use rand::RngCore;
use relais::ids::ApiKeyId;

/// What a key may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ApiRight {
    /// Create cases (`POST /api/v1/cases`).
    Intake,
    /// Read validated contact lists (`GET /api/v1/…/contacts`).
    Export,
    /// Read the nurse-visit requests shared with the support cells
    /// (`GET /api/v1/support-requests`): the nurses' platform.
    Support,
}

impl ApiRight {
    pub const ALL: [ApiRight; 3] = [ApiRight::Intake, ApiRight::Export, ApiRight::Support];

    pub fn as_str(self) -> &'static str {
        match self {
            ApiRight::Intake => "intake",
            ApiRight::Export => "export",
            ApiRight::Support => "support",
        }
    }

    /// Parses `intake,export,support` (spaces allowed, no empty list, no
    /// unknown name).
    pub fn parse_list(text: &str) -> Result<Vec<ApiRight>, String> {
        let mut rights = Vec::new();
        for name in text.split(',').map(str::trim).filter(|n| !n.is_empty()) {
            let right = ApiRight::ALL
                .into_iter()
                .find(|r| r.as_str() == name)
                .ok_or_else(|| {
                    format!("unknown right {name:?} (expected intake, export, support)")
                })?;
            if !rights.contains(&right) {
                rights.push(right);
            }
        }
        if rights.is_empty() {
            return Err("at least one right is needed (intake, export, support)".into());
        }
        rights.sort();
        Ok(rights)
    }
}

/// A key as listed (never the key itself).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiKey {
    pub id: ApiKeyId,
    pub name: String,
    pub rights: Vec<ApiRight>,
    pub created_at: i64,
    pub revoked_at: Option<i64>,
    pub last_used_at: Option<i64>,
    /// The organisation the key acts for: its exports hold that
    /// organisation's cases (every case for the national one).
    pub membership: relais::organisation::Membership,
    pub organisation_name: String,
}

impl ApiKey {
    /// The cases the key may export.
    pub fn scope(&self) -> crate::scope::Scope {
        crate::scope::Scope::of(self.membership)
    }

    pub fn has(&self, right: ApiRight) -> bool {
        self.rights.contains(&right)
    }
}

#[derive(sqlx::FromRow)]
struct Row {
    #[sqlx(try_from = "i64")]
    id: ApiKeyId,
    name: String,
    rights: String,
    created_at: i64,
    revoked_at: Option<i64>,
    last_used_at: Option<i64>,
    organisation_id: i64,
    organisation_kind: String,
    organisation_name: String,
}
const COLUMNS: &str = "k.id, k.name, k.rights, k.created_at, k.revoked_at, k.last_used_at, \
     k.organisation_id, o.kind AS organisation_kind, o.name AS organisation_name \
     FROM api_keys k JOIN organisations o ON o.id = k.organisation_id";

fn from_row(row: Row) -> Option<ApiKey> {
    Some(ApiKey {
        id: row.id,
        name: row.name,
        rights: ApiRight::parse_list(&row.rights).unwrap_or_default(),
        created_at: row.created_at,
        revoked_at: row.revoked_at,
        last_used_at: row.last_used_at,
        membership: relais::organisation::Membership {
            organisation: relais::ids::OrganisationId(row.organisation_id),
            kind: row.organisation_kind.parse().ok()?,
        },
        organisation_name: row.organisation_name,
    })
}

/// A new key: `rk_` and 256 random bits in base64url (46 characters).
fn new_key() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    format!("rk_{}", URL_SAFE_NO_PAD.encode(bytes))
}

/// Creates a key named `name` for `organisation` and returns it (to be
/// shown once).
pub async fn create_key(
    db: &Db,
    name: &str,
    rights: &[ApiRight],
    organisation: relais::ids::OrganisationId,
) -> Result<String, StoreError> {
    // SQLite holds no foreign key on the column (see the migration).
    if crate::organisations::get(db, organisation).await?.is_none() {
        return Err(StoreError::NotFound("organisation"));
    }
    let key = new_key();
    let rights = rights
        .iter()
        .map(|r| r.as_str())
        .collect::<Vec<_>>()
        .join(",");
    let inserted: Option<(i64,)> = sqlx::query_as(
        "INSERT INTO api_keys (name, key_hash, rights, created_at, organisation_id) \
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (name) DO NOTHING RETURNING id",
    )
    .bind(name)
    .bind(hash_token(&key))
    .bind(rights)
    .bind(db.now())
    .bind(organisation.get())
    .fetch_optional(&mut *db.write().await?)
    .await?;
    match inserted {
        Some(_) => Ok(key),
        None => Err(StoreError::AlreadyExists("API key")),
    }
}

/// Every key, by name.
pub async fn list_keys(db: &Db) -> Result<Vec<ApiKey>, StoreError> {
    let rows: Vec<Row> = sqlx::query_as(&format!("SELECT {COLUMNS} ORDER BY k.name"))
        .fetch_all(db.pool())
        .await?;
    Ok(rows.into_iter().filter_map(from_row).collect())
}

/// Revokes the key named `name`; `false` when there is no such key still
/// in force.
pub async fn revoke_key(db: &Db, name: &str) -> Result<bool, StoreError> {
    let done =
        sqlx::query("UPDATE api_keys SET revoked_at = $2 WHERE name = $1 AND revoked_at IS NULL")
            .bind(name)
            .bind(db.now())
            .execute(&mut *db.write().await?)
            .await?;
    Ok(done.rows_affected() == 1)
}

/// The key in force whose secret is `presented`, if any, noting its use
/// (at most once a minute, not to write on every request). The lookup is by
/// the SHA-256 of what was presented: an index lookup of a hash reveals
/// nothing of the stored keys through timing.
pub async fn authenticate(db: &Db, presented: &str) -> Result<Option<ApiKey>, StoreError> {
    let row: Option<Row> = sqlx::query_as(&format!(
        "SELECT {COLUMNS} WHERE k.key_hash = $1 AND k.revoked_at IS NULL"
    ))
    .bind(hash_token(presented))
    .fetch_optional(db.pool())
    .await?;
    let Some(key) = row.and_then(from_row) else {
        return Ok(None);
    };
    let at = db.now();
    if key.last_used_at.is_none_or(|last| last < at - 60) {
        sqlx::query("UPDATE api_keys SET last_used_at = $2 WHERE id = $1")
            .bind(key.id.get())
            .bind(at)
            .execute(&mut *db.write().await?)
            .await?;
    }
    Ok(Some(key))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rights_lists() {
        assert_eq!(
            ApiRight::parse_list(" export, intake,export"),
            Ok(vec![ApiRight::Intake, ApiRight::Export])
        );
        assert!(ApiRight::parse_list("").is_err());
        assert!(ApiRight::parse_list("intake,admin").is_err());
    }

    #[test]
    fn keys_are_256_bits() {
        let key = new_key();
        assert_eq!(key.len(), 3 + 43);
        assert_eq!(URL_SAFE_NO_PAD.decode(&key[3..]).unwrap().len(), 32);
        assert_ne!(key, new_key());
    }
}
