//! The places and gatherings of recent days, for backward tracing's
//! clusters (`relais::clusters`), and the clusters of the last 14 days,
//! kept for the supervisors' page.

use super::{settings, Db, StoreError};
use crate::columns::IsoDate;
use crate::scope::Scope;
use relais::clusters::{find_clusters, Cluster, PlaceVisit, MAX_GAP_DAYS, MIN_CASES};
use relais::figures::Period;
use time::Date;

/// Most places read for one listing: beyond, the oldest days are left out
/// (the listing says so).
pub const MAX_VISITS: i64 = 200_000;

/// A place a case visited, as read for the clusters.
#[derive(sqlx::FromRow)]
struct VisitRow {
    case_id: i64,
    kind: String,
    name: Option<String>,
    town: Option<String>,
    #[sqlx(try_from = "IsoDate")]
    visited_on: Date,
}

/// The places cases of `scope` declared (and did not remove) visited from
/// `from` to `to` (included), newest first, at most [`MAX_VISITS`]; and
/// whether more were left out.
pub async fn visits_between(
    db: &Db,
    scope: Scope,
    from: Date,
    to: Date,
) -> Result<(Vec<PlaceVisit>, bool), StoreError> {
    // The places of the period, each case looked up by its key: the cost
    // follows the places read, not the number of cases.
    let in_scope = if scope.is_national() && scope.narrow().is_none() {
        String::new()
    } else {
        format!(
            " AND EXISTS (SELECT 1 FROM cases WHERE cases.id = p.case_id AND {})",
            scope.cases_where("cases")
        )
    };
    let rows: Vec<VisitRow> = sqlx::query_as(&format!(
        "SELECT p.case_id, p.kind, p.name, p.town, p.visited_on FROM places p \
         WHERE p.visited_on >= $1 AND p.visited_on <= $2 AND p.removed_at IS NULL{in_scope} \
         ORDER BY p.visited_on DESC LIMIT $3"
    ))
    .bind(from.to_string())
    .bind(to.to_string())
    .bind(MAX_VISITS + 1)
    .fetch_all(db.pool())
    .await?;
    let more = rows.len() as i64 > MAX_VISITS;
    let visits = rows
        .into_iter()
        .take(MAX_VISITS as usize)
        .map(|row| PlaceVisit {
            case_id: row.case_id,
            kind: row.kind,
            name: row.name.unwrap_or_default(),
            town: row.town.unwrap_or_default(),
            visited_on: row.visited_on,
        })
        .collect();
    Ok((visits, more))
}

/// The clusters of `period` among the cases of `scope`, from the places
/// themselves; and whether the period held more places than one listing
/// reads.
pub async fn compute(
    db: &Db,
    scope: Scope,
    period: Period,
) -> Result<(Vec<Cluster>, bool), StoreError> {
    let (visits, truncated) = visits_between(db, scope, period.from, period.to).await?;
    Ok((find_clusters(&visits, MAX_GAP_DAYS, MIN_CASES), truncated))
}

/// The setting describing the stored clusters: `from,to,truncated,computed_at`.
const RECENT: &str = "recent_clusters";

/// The clusters of the default period (the 14 days ending `today`),
/// computed and stored for the page: the background job calls this with
/// the figures, so that the page does not read every place at each visit.
/// Returns how many clusters were stored.
pub async fn refresh_recent(db: &Db, today: Date) -> Result<usize, StoreError> {
    let period = Period::ending_on(today);
    let (clusters, truncated) = compute(db, Scope::whole_country(), period).await?;
    let mut tx = db.begin_write().await?;
    sqlx::query("DELETE FROM recent_clusters")
        .execute(&mut *tx)
        .await?;
    for (order, c) in clusters.iter().enumerate() {
        sqlx::query(
            "INSERT INTO recent_clusters (listing_order, kind, name, town, first_day, last_day, cases, \
             visits) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(order as i64)
        .bind(&c.kind)
        .bind(&c.name)
        .bind(&c.town)
        .bind(c.first_day.to_string())
        .bind(c.last_day.to_string())
        .bind(c.cases as i64)
        .bind(c.visits as i64)
        .execute(&mut *tx)
        .await?;
    }
    let described = format!("{},{},{},{}", period.from, period.to, truncated, db.now());
    settings::write_on(&mut tx, RECENT, &described).await?;
    tx.commit().await?;
    Ok(clusters.len())
}

/// Forgets the stored clusters (the purge: they name places it deleted);
/// the next refresh computes them again.
pub async fn forget_recent(db: &Db) -> Result<(), StoreError> {
    let mut tx = db.begin_write().await?;
    sqlx::query("DELETE FROM recent_clusters")
        .execute(&mut *tx)
        .await?;
    sqlx::query("DELETE FROM settings WHERE name = $1")
        .bind(RECENT)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(())
}

/// The stored clusters when they are those of `period` and `scope` is the
/// whole country (they are computed for it): the clusters, whether places
/// were left out, and when they were computed. A narrower scope computes
/// its own ([`compute`]), from fewer places.
pub async fn stored(
    db: &Db,
    scope: Scope,
    period: Period,
) -> Result<Option<(Vec<Cluster>, bool, i64)>, StoreError> {
    if !scope.is_national() || scope.narrow().is_some() {
        return Ok(None);
    }
    let Some(value) = settings::read(db, RECENT).await? else {
        return Ok(None);
    };
    let parts: Vec<&str> = value.split(',').collect();
    let [from, to, truncated, at] = parts[..] else {
        return Ok(None);
    };
    if from != period.from.to_string() || to != period.to.to_string() {
        return Ok(None);
    }
    let rows: Vec<ClusterRow> = sqlx::query_as(
        "SELECT kind, name, town, first_day, last_day, cases, visits FROM recent_clusters \
         ORDER BY listing_order",
    )
    .fetch_all(db.pool())
    .await?;
    let clusters = rows
        .into_iter()
        .filter_map(|row| {
            Some(Cluster {
                kind: row.kind,
                name: row.name,
                town: row.town,
                first_day: row.first_day,
                last_day: row.last_day,
                cases: usize::try_from(row.cases).ok()?,
                visits: usize::try_from(row.visits).ok()?,
            })
        })
        .collect();
    Ok(Some((
        clusters,
        truncated == "true",
        at.parse().unwrap_or_default(),
    )))
}

/// A stored cluster, as [`refresh_recent`] wrote it.
#[derive(sqlx::FromRow)]
struct ClusterRow {
    kind: String,
    name: String,
    town: String,
    #[sqlx(try_from = "IsoDate")]
    first_day: Date,
    #[sqlx(try_from = "IsoDate")]
    last_day: Date,
    cases: i64,
    visits: i64,
}
