//! The territories in the database: the regions and départements the
//! intake checks each case's département against, read whole, and
//! replaced whole from a checked [`Territories`] (the operator's
//! `relais territories load`) in one transaction. A département that
//! cases use is never removed.

use crate::{Db, StoreError};
use relais::territory::{Departement, DepartementCode, Region, RegionCode, Territories};
use std::collections::BTreeMap;

/// The territories stored (as the migration wrote them, or as last
/// loaded).
pub async fn load_territories(db: &Db) -> Result<Territories, StoreError> {
    let mut conn = db.pool().acquire().await?;
    let (regions, departements) = read(&mut conn).await?;
    Territories::new(
        regions.into_values().collect(),
        departements.into_values().collect(),
    )
    .map_err(|_| StoreError::Corrupt("departements.region_code"))
}

type Stored = (
    BTreeMap<RegionCode, Region>,
    BTreeMap<DepartementCode, Departement>,
);

async fn read(conn: &mut sqlx::AnyConnection) -> Result<Stored, StoreError> {
    let rows: Vec<(String, String)> = sqlx::query_as("SELECT code, name FROM regions")
        .fetch_all(&mut *conn)
        .await?;
    let mut regions = BTreeMap::new();
    for (code, name) in rows {
        let code = RegionCode::parse(&code).map_err(|_| StoreError::Corrupt("regions.code"))?;
        regions.insert(code, Region { code, name });
    }
    let rows: Vec<(String, String, String)> =
        sqlx::query_as("SELECT code, name, region_code FROM departements")
            .fetch_all(&mut *conn)
            .await?;
    let mut departements = BTreeMap::new();
    for (code, name, region) in rows {
        let code =
            DepartementCode::parse(&code).map_err(|_| StoreError::Corrupt("departements.code"))?;
        let region = RegionCode::parse(&region)
            .map_err(|_| StoreError::Corrupt("departements.region_code"))?;
        departements.insert(code, Departement { code, name, region });
    }
    Ok((regions, departements))
}

/// How many rows of each list a replacement added, changed (a name or a
/// département's region) and removed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Changes {
    pub regions_added: usize,
    pub regions_changed: usize,
    pub regions_removed: usize,
    pub departements_added: usize,
    pub departements_changed: usize,
    pub departements_removed: usize,
}

impl Changes {
    /// Nothing differed: the database already held these lists.
    pub fn is_empty(&self) -> bool {
        *self == Changes::default()
    }
}

/// What a replacement did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Replacement {
    /// The database now holds the given lists.
    Replaced(Changes),
    /// Nothing was written: these départements, absent from the given
    /// list, are used by cases (with how many each).
    DepartementsInUse(Vec<(DepartementCode, i64)>),
}

/// Makes the stored lists those of `territories`, in one transaction:
/// new rows added, names and regions updated, rows absent removed —
/// unless a removed département is used by a case, in which case nothing
/// is written.
pub async fn replace_territories(
    db: &Db,
    territories: &Territories,
) -> Result<Replacement, StoreError> {
    let mut tx = db.begin_write().await?;
    let (regions, departements) = read(&mut tx).await?;
    let removed: Vec<DepartementCode> = departements
        .keys()
        .copied()
        .filter(|code| territories.departement(*code).is_none())
        .collect();
    let mut in_use = Vec::new();
    for code in &removed {
        let (used,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM cases WHERE departement = $1")
            .bind(code.as_str())
            .fetch_one(&mut *tx)
            .await?;
        if used > 0 {
            in_use.push((*code, used));
        }
    }
    if !in_use.is_empty() {
        tx.rollback().await?;
        return Ok(Replacement::DepartementsInUse(in_use));
    }

    let mut changes = Changes::default();
    for region in territories.regions() {
        match regions.get(&region.code) {
            Some(stored) if stored == region => continue,
            Some(_) => changes.regions_changed += 1,
            None => changes.regions_added += 1,
        }
        sqlx::query(
            "INSERT INTO regions (code, name) VALUES ($1, $2) \
             ON CONFLICT (code) DO UPDATE SET name = excluded.name",
        )
        .bind(region.code.as_str())
        .bind(&region.name)
        .execute(&mut *tx)
        .await?;
    }
    for departement in territories.departements() {
        match departements.get(&departement.code) {
            Some(stored) if stored == departement => continue,
            Some(_) => changes.departements_changed += 1,
            None => changes.departements_added += 1,
        }
        sqlx::query(
            "INSERT INTO departements (code, name, region_code) VALUES ($1, $2, $3) \
             ON CONFLICT (code) DO UPDATE SET name = excluded.name, \
             region_code = excluded.region_code",
        )
        .bind(departement.code.as_str())
        .bind(&departement.name)
        .bind(departement.region.as_str())
        .execute(&mut *tx)
        .await?;
    }
    for code in &removed {
        sqlx::query("DELETE FROM departements WHERE code = $1")
            .bind(code.as_str())
            .execute(&mut *tx)
            .await?;
        changes.departements_removed += 1;
    }
    // After the départements: none of those left is in a removed region.
    for code in regions.keys().filter(|c| territories.region(**c).is_none()) {
        sqlx::query("DELETE FROM regions WHERE code = $1")
            .bind(code.as_str())
            .execute(&mut *tx)
            .await?;
        changes.regions_removed += 1;
    }
    tx.commit().await?;
    tracing::info!(
        regions = territories.regions().len(),
        departements = territories.departements().len(),
        added = changes.departements_added,
        changed = changes.departements_changed,
        removed = changes.departements_removed,
        "territories replaced"
    );
    Ok(Replacement::Replaced(changes))
}
