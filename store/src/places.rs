//! Places and gatherings a case declares (backward tracing).

use super::columns::{Flag, IsoDate};
use super::declaration::{close_change, open_change, Adding, Editor, Item, SaveOutcome};
use super::{Db, StoreError};
use relais::ids::{CaseId, PlaceId};
use relais::place_form::{PlaceInput, PlaceKind};

/// A place as the case declared it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredPlace {
    pub id: PlaceId,
    pub input: PlaceInput,
    pub changed_after_submit: bool,
}

/// A `places` row as [`PLACE_COLUMNS`] selects it.
#[derive(sqlx::FromRow)]
struct PlaceRow {
    #[sqlx(try_from = "i64")]
    id: PlaceId,
    kind: String,
    name: Option<String>,
    town: Option<String>,
    #[sqlx(try_from = "IsoDate")]
    visited_on: time::Date,
    attendance: Option<i64>,
    indoors: Option<Flag>,
    masks: Option<Flag>,
    #[sqlx(try_from = "Flag")]
    changed_after_submit: bool,
}

const PLACE_COLUMNS: &str = concat!(
    "id, kind, name, town, visited_on, attendance, ",
    crate::flag!(nullable "indoors"),
    ", ",
    crate::flag!(nullable "masks"),
    ", ",
    crate::flag!("changed_after_submit")
);

fn from_row(row: PlaceRow) -> StoredPlace {
    StoredPlace {
        id: row.id,
        input: PlaceInput {
            kind: row.kind.parse().unwrap_or(PlaceKind::Other),
            name: row.name.unwrap_or_default(),
            town: row.town.unwrap_or_default(),
            visited_on: row.visited_on,
            attendance: row.attendance.and_then(|n| u32::try_from(n).ok()),
            indoors: row.indoors.is_none_or(bool::from),
            masks: row.masks.map(bool::from),
        },
        changed_after_submit: row.changed_after_submit,
    }
}

/// The places of a case that are not removed, by date.
pub async fn list_places(db: &Db, case_id: CaseId) -> Result<Vec<StoredPlace>, StoreError> {
    let rows: Vec<PlaceRow> = sqlx::query_as(&format!(
        "SELECT {PLACE_COLUMNS} FROM places \
         WHERE case_id = $1 AND removed_at IS NULL ORDER BY visited_on, id"
    ))
    .bind(case_id.get())
    .fetch_all(db.pool())
    .await?;
    Ok(rows.into_iter().map(from_row).collect())
}

/// One place of a case, if it is theirs and not removed.
pub async fn find_place(
    db: &Db,
    case_id: CaseId,
    place_id: PlaceId,
) -> Result<Option<StoredPlace>, StoreError> {
    let row: Option<PlaceRow> = sqlx::query_as(&format!(
        "SELECT {PLACE_COLUMNS} FROM places WHERE id = $1 AND case_id = $2 AND removed_at IS NULL"
    ))
    .bind(place_id.get())
    .bind(case_id.get())
    .fetch_optional(db.pool())
    .await?;
    Ok(row.map(from_row))
}

// One parameter list for both statements: $1 the case, $2–$8 the fields,
// $9 changed after submit, $10 the instant, $11 the place (update only).
const INSERT_PLACE: &str = "INSERT INTO places (case_id, kind, name, town, visited_on, \
     attendance, indoors, masks, changed_after_submit, created_at, updated_at, form_key) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10, $11) RETURNING id";
const UPDATE_PLACE: &str = "UPDATE places SET kind = $2, name = $3, town = $4, visited_on = $5, \
     attendance = $6, indoors = $7, masks = $8, \
     changed_after_submit = (changed_after_submit OR $9), updated_at = $10 \
     WHERE id = $11 AND case_id = $1 AND removed_at IS NULL RETURNING id";

/// Adds a place (`place_id` none) or changes one of the case's, and clears
/// the form's draft, in one transaction. A new place's `form_key` (issued
/// with its form; blank for none) makes the form posted twice add it once.
pub async fn save_place(
    db: &Db,
    case_id: CaseId,
    place_id: Option<PlaceId>,
    form_key: &str,
    input: &PlaceInput,
) -> Result<SaveOutcome<PlaceId>, StoreError> {
    let (case_id, place_id) = (case_id.get(), place_id.map(PlaceId::get));
    let mut tx = db.begin_write().await?;
    let new_item = match place_id {
        None => Adding::with_key(form_key),
        Some(_) => Adding::No,
    };
    let changed = match open_change(
        &mut tx,
        Item::Place,
        case_id,
        new_item,
        Editor::Case,
        db.now(),
    )
    .await?
    {
        Ok(changed) => changed,
        Err(refused) => return Ok(refused),
    };
    let at = db.now();
    let query = sqlx::query_as(if place_id.is_some() {
        UPDATE_PLACE
    } else {
        INSERT_PLACE
    })
    .bind(case_id)
    .bind(input.kind.as_str())
    .bind(&input.name)
    .bind(&input.town)
    .bind(input.visited_on.to_string())
    .bind(input.attendance.map(i64::from))
    .bind(input.indoors)
    .bind(input.masks)
    .bind(changed)
    .bind(at);
    let query = match place_id {
        Some(id) => query.bind(id),
        None => query.bind(new_item.form_key()),
    };
    let row: Option<(i64,)> = query.fetch_optional(&mut *tx).await?;
    let Some((id,)) = row else {
        return Ok(SaveOutcome::NotFound);
    };
    close_change(&mut tx, Item::Place, case_id, at).await?;
    tx.commit().await?;
    Ok(SaveOutcome::Saved(PlaceId(id)))
}
