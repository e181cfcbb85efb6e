//! Organisations and the départements they cover.

use crate::{Db, StoreError};
use relais::ids::OrganisationId;
use relais::organisation::{Membership, NewOrganisation, OrganisationKind};
use relais::territory::DepartementCode;

/// The national organisation the migration creates: the accounts made before
/// organisations existed belong to it.
pub const NATIONAL: OrganisationId = OrganisationId(1);

/// An organisation as the lists show it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Organisation {
    pub id: OrganisationId,
    pub kind: OrganisationKind,
    pub name: String,
    pub departements: Vec<DepartementCode>,
    /// Active staff accounts.
    pub staff: i64,
}

impl Organisation {
    pub fn membership(&self) -> Membership {
        Membership {
            organisation: self.id,
            kind: self.kind,
        }
    }
}

/// Why an organisation cannot be stored.
#[derive(Debug, thiserror::Error)]
pub enum CreateError {
    #[error("an organisation of that name exists")]
    NameTaken,
    #[error("unknown département {0}")]
    UnknownDepartement(DepartementCode),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<sqlx::Error> for CreateError {
    fn from(e: sqlx::Error) -> Self {
        CreateError::Store(e.into())
    }
}

/// Stores a checked organisation with its départements, in one transaction.
pub async fn create(db: &Db, new: &NewOrganisation) -> Result<OrganisationId, CreateError> {
    let mut tx = db.begin_write().await?;
    for code in &new.departements {
        let known: Option<String> =
            sqlx::query_scalar("SELECT code FROM departements WHERE code = $1")
                .bind(code.as_str())
                .fetch_optional(&mut *tx)
                .await?;
        if known.is_none() {
            return Err(CreateError::UnknownDepartement(*code));
        }
    }
    let id: Option<i64> = sqlx::query_scalar(
        "INSERT INTO organisations (kind, name, created_at) VALUES ($1, $2, $3) \
         ON CONFLICT (name) DO NOTHING RETURNING id",
    )
    .bind(new.kind.as_str())
    .bind(&new.name)
    .bind(db.now())
    .fetch_optional(&mut *tx)
    .await?;
    let Some(id) = id else {
        return Err(CreateError::NameTaken);
    };
    for code in &new.departements {
        sqlx::query(
            "INSERT INTO organisation_departements (organisation_id, departement) VALUES ($1, $2)",
        )
        .bind(id)
        .bind(code.as_str())
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(OrganisationId(id))
}

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    kind: String,
    name: String,
    staff: i64,
}

async fn with_departements(db: &Db, rows: Vec<Row>) -> Result<Vec<Organisation>, StoreError> {
    let covered: Vec<(i64, String)> = sqlx::query_as(
        "SELECT organisation_id, departement FROM organisation_departements \
         ORDER BY organisation_id, departement",
    )
    .fetch_all(db.pool())
    .await?;
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        let kind = row
            .kind
            .parse()
            .map_err(|_| StoreError::Corrupt("organisations.kind"))?;
        let mut departements = covered
            .iter()
            .filter(|(org, _)| *org == row.id)
            .map(|(_, code)| {
                DepartementCode::parse(code)
                    .map_err(|_| StoreError::Corrupt("organisation_departements.departement"))
            })
            .collect::<Result<Vec<_>, _>>()?;
        departements.sort();
        out.push(Organisation {
            id: OrganisationId(row.id),
            kind,
            name: row.name,
            departements,
            staff: row.staff,
        });
    }
    Ok(out)
}

const SELECT: &str = "SELECT o.id, o.kind, o.name, \
     (SELECT COUNT(*) FROM staff_users s WHERE s.organisation_id = o.id AND s.disabled = $1) \
     AS staff FROM organisations o";

/// Every organisation, the national one first, then by name.
pub async fn list(db: &Db) -> Result<Vec<Organisation>, StoreError> {
    let rows: Vec<Row> = sqlx::query_as(&format!(
        "{SELECT} ORDER BY CASE WHEN o.kind = 'national' THEN 0 ELSE 1 END, o.name"
    ))
    .bind(false)
    .fetch_all(db.pool())
    .await?;
    with_departements(db, rows).await
}

/// The organisation named `name` (exactly, or by its id written in digits).
pub async fn find(db: &Db, name_or_id: &str) -> Result<Option<Organisation>, StoreError> {
    let name_or_id = name_or_id.trim();
    let id = name_or_id.parse::<OrganisationId>().ok().map(|id| id.get());
    let rows: Vec<Row> = sqlx::query_as(&format!("{SELECT} WHERE o.name = $2 OR o.id = $3"))
        .bind(false)
        .bind(name_or_id)
        .bind(id.unwrap_or(-1))
        .fetch_all(db.pool())
        .await?;
    Ok(with_departements(db, rows).await?.into_iter().next())
}

/// The organisation `id`.
pub async fn get(db: &Db, id: OrganisationId) -> Result<Option<Organisation>, StoreError> {
    let rows: Vec<Row> = sqlx::query_as(&format!("{SELECT} WHERE o.id = $2"))
        .bind(false)
        .bind(id.get())
        .fetch_all(db.pool())
        .await?;
    Ok(with_departements(db, rows).await?.into_iter().next())
}
