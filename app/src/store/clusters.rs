//! The places and gatherings of recent days, for backward tracing's
//! clusters (`relais::clusters`).

use super::{Db, StoreError};
use chrono::NaiveDate;
use relais::clusters::PlaceVisit;

/// Most places read for one listing: beyond, the oldest days are left out
/// (the listing says so).
pub const MAX_VISITS: i64 = 200_000;

/// case id, kind, name, town, day visited.
type VisitRow = (i64, String, Option<String>, Option<String>, String);

/// The places cases declared (and did not remove) visited from `from` to
/// `to` (included), newest first, at most [`MAX_VISITS`]; and whether more
/// were left out.
pub async fn visits_between(
    db: &Db,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<(Vec<PlaceVisit>, bool), StoreError> {
    let rows: Vec<VisitRow> = sqlx::query_as(
        "SELECT case_id, kind, name, town, visited_on FROM places \
         WHERE visited_on >= $1 AND visited_on <= $2 AND removed_at IS NULL \
         ORDER BY visited_on DESC LIMIT $3",
    )
    .bind(from.to_string())
    .bind(to.to_string())
    .bind(MAX_VISITS + 1)
    .fetch_all(db.pool())
    .await?;
    let more = rows.len() as i64 > MAX_VISITS;
    let visits = rows
        .into_iter()
        .take(MAX_VISITS as usize)
        .filter_map(|(case_id, kind, name, town, visited_on)| {
            Some(PlaceVisit {
                case_id,
                kind,
                name: name.unwrap_or_default(),
                town: town.unwrap_or_default(),
                visited_on: visited_on.parse().ok()?,
            })
        })
        .collect();
    Ok((visits, more))
}
