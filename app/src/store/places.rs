//! Places and gatherings a case declares (backward tracing).

use super::contacts::SaveOutcome;
use super::declaration::{case_status, is_after_submit};
use super::{now, Db, StoreError};
use relais::place_form::{PlaceInput, PlaceKind};

/// The most places one case may declare.
pub const MAX_PLACES: i64 = 50;

/// A place as the case declared it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredPlace {
    pub id: i64,
    pub input: PlaceInput,
    pub changed_after_submit: bool,
}

type PlaceRow = (
    i64,
    String,
    Option<String>,
    Option<String>,
    String,
    Option<i64>,
    Option<i64>,
    Option<i64>,
    i64,
);

// Booleans as 0/1 (see `contacts`); a NULL stays NULL.
const PLACE_COLUMNS: &str = "id, kind, name, town, visited_on, attendance, \
     CASE WHEN indoors IS NULL THEN NULL WHEN indoors THEN 1 ELSE 0 END, \
     CASE WHEN masks IS NULL THEN NULL WHEN masks THEN 1 ELSE 0 END, \
     CASE WHEN changed_after_submit THEN 1 ELSE 0 END";

fn from_row(row: PlaceRow) -> Option<StoredPlace> {
    let (id, kind, name, town, visited_on, attendance, indoors, masks, changed_after_submit) = row;
    Some(StoredPlace {
        id,
        input: PlaceInput {
            kind: kind.parse().unwrap_or(PlaceKind::Other),
            name: name.unwrap_or_default(),
            town: town.unwrap_or_default(),
            visited_on: visited_on.parse().ok()?,
            attendance: attendance.and_then(|n| u32::try_from(n).ok()),
            indoors: indoors.is_none_or(|v| v != 0),
            masks: masks.map(|v| v != 0),
        },
        changed_after_submit: changed_after_submit != 0,
    })
}

/// The places of a case that are not removed, by date.
pub async fn list_places(db: &Db, case_id: i64) -> Result<Vec<StoredPlace>, StoreError> {
    let rows: Vec<PlaceRow> = sqlx::query_as(&format!(
        "SELECT {PLACE_COLUMNS} FROM places \
         WHERE case_id = $1 AND removed_at IS NULL ORDER BY visited_on, id"
    ))
    .bind(case_id)
    .fetch_all(db.pool())
    .await?;
    Ok(rows.into_iter().filter_map(from_row).collect())
}

/// One place of a case, if it is theirs and not removed.
pub async fn find_place(
    db: &Db,
    case_id: i64,
    place_id: i64,
) -> Result<Option<StoredPlace>, StoreError> {
    let row: Option<PlaceRow> = sqlx::query_as(&format!(
        "SELECT {PLACE_COLUMNS} FROM places WHERE id = $1 AND case_id = $2 AND removed_at IS NULL"
    ))
    .bind(place_id)
    .bind(case_id)
    .fetch_optional(db.pool())
    .await?;
    Ok(row.and_then(from_row))
}

/// Adds a place (`place_id` none) or changes one of the case's, and clears
/// the form's draft, in one transaction.
pub async fn save_place(
    db: &Db,
    case_id: i64,
    place_id: Option<i64>,
    input: &PlaceInput,
) -> Result<SaveOutcome, StoreError> {
    let mut tx = db.pool().begin().await?;
    let status = case_status(&mut tx, case_id).await?;
    if status == "closed" {
        return Ok(SaveOutcome::Closed);
    }
    let changed = is_after_submit(&status);
    let at = now();
    let attendance = input.attendance.map(i64::from);
    let id = match place_id {
        None => {
            let (count,): (i64,) = sqlx::query_as(
                "SELECT COUNT(*) FROM places WHERE case_id = $1 AND removed_at IS NULL",
            )
            .bind(case_id)
            .fetch_one(&mut *tx)
            .await?;
            if count >= MAX_PLACES {
                return Ok(SaveOutcome::TooMany);
            }
            let (id,): (i64,) = sqlx::query_as(
                "INSERT INTO places (case_id, kind, name, town, visited_on, attendance, indoors, \
                 masks, changed_after_submit, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10) RETURNING id",
            )
            .bind(case_id)
            .bind(input.kind.as_str())
            .bind(&input.name)
            .bind(&input.town)
            .bind(input.visited_on.to_string())
            .bind(attendance)
            .bind(input.indoors)
            .bind(input.masks)
            .bind(changed)
            .bind(at)
            .fetch_one(&mut *tx)
            .await?;
            id
        }
        Some(id) => {
            let done = sqlx::query(
                "UPDATE places SET kind = $3, name = $4, town = $5, visited_on = $6, \
                 attendance = $7, indoors = $8, masks = $9, \
                 changed_after_submit = (changed_after_submit OR $10), updated_at = $11 \
                 WHERE id = $1 AND case_id = $2 AND removed_at IS NULL",
            )
            .bind(id)
            .bind(case_id)
            .bind(input.kind.as_str())
            .bind(&input.name)
            .bind(&input.town)
            .bind(input.visited_on.to_string())
            .bind(attendance)
            .bind(input.indoors)
            .bind(input.masks)
            .bind(changed)
            .bind(at)
            .execute(&mut *tx)
            .await?;
            if done.rows_affected() == 0 {
                return Ok(SaveOutcome::NotFound);
            }
            id
        }
    };
    sqlx::query(
        "UPDATE cases SET place_draft = NULL, updated_at = $2, \
         status = CASE WHEN status = 'new' THEN 'declaring' ELSE status END WHERE id = $1",
    )
    .bind(case_id)
    .bind(at)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(SaveOutcome::Saved(id))
}

/// Removes one of the case's places (kept, marked removed, once sent).
pub async fn remove_place(db: &Db, case_id: i64, place_id: i64) -> Result<bool, StoreError> {
    let mut tx = db.pool().begin().await?;
    let status = case_status(&mut tx, case_id).await?;
    if status == "closed" {
        return Ok(false);
    }
    let done = if is_after_submit(&status) {
        sqlx::query(
            "UPDATE places SET removed_at = $3, changed_after_submit = TRUE, updated_at = $3 \
             WHERE id = $1 AND case_id = $2 AND removed_at IS NULL",
        )
        .bind(place_id)
        .bind(case_id)
        .bind(now())
        .execute(&mut *tx)
        .await?
    } else {
        sqlx::query("DELETE FROM places WHERE id = $1 AND case_id = $2")
            .bind(place_id)
            .bind(case_id)
            .execute(&mut *tx)
            .await?
    };
    tx.commit().await?;
    Ok(done.rows_affected() == 1)
}
