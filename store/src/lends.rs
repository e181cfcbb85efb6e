//! Mutual aid: at a peak, part of a queue is lent to another organisation —
//! the oldest cases of a département not yet called. The lent cases show in
//! the helping team's queue (marked) and stay visible to the lending team;
//! each lend and each taking back is in the audit trail. Taking a lend back
//! returns the cases the helping team has not opened yet.

use crate::audit::{record_on, AuditAction, AuditEntry};
use crate::scope::{covered_departements, Scope};
use crate::{Db, StoreError};
use relais::ids::{LendId, OrganisationId, StaffId};
use relais::organisation::Membership;
use relais::territory::DepartementCode;
use time::Date;

/// A lend as asked: the `count` oldest cases of `departement` not yet called
/// and not already lent, from `from` to `to`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LendRequest {
    pub from: OrganisationId,
    pub to: OrganisationId,
    pub departement: DepartementCode,
    pub count: u32,
}

/// Why a lend is refused.
#[derive(Debug, thiserror::Error)]
pub enum LendError {
    #[error("the lending organisation does not cover this département")]
    NotCovered,
    #[error("no such organisation")]
    UnknownOrganisation,
    #[error("this member may not lend these cases")]
    NotAllowed,
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<sqlx::Error> for LendError {
    fn from(e: sqlx::Error) -> Self {
        LendError::Store(e.into())
    }
}

/// Lends the cases `request` names, in one transaction (with its audit
/// line); returns the lend and how many cases it moved (fewer than asked
/// when fewer wait).
pub async fn lend(
    db: &Db,
    by: StaffId,
    member: Membership,
    request: LendRequest,
) -> Result<(LendId, u64), LendError> {
    if !member.may_lend(request.from, request.to) {
        return Err(LendError::NotAllowed);
    }
    let now = db.now();
    let mut tx = db.begin_write().await?;
    check_lend(&mut tx, request.from, request.to, request.departement).await?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO lends (from_org, to_org, departement, asked, lent, created_by, created_at) \
         VALUES ($1, $2, $3, $4, 0, $5, $6) RETURNING id",
    )
    .bind(request.from.get())
    .bind(request.to.get())
    .bind(request.departement.as_str())
    .bind(i64::from(request.count))
    .bind(by.get())
    .bind(now)
    .fetch_one(&mut *tx)
    .await?;
    // The oldest first, read on the département's queue index.
    let moved = sqlx::query(
        "UPDATE cases SET lend_id = $1, lent_to = $2 WHERE id IN (\
           SELECT id FROM cases WHERE departement = $3 AND queue = 'first' \
           AND lent_to IS NULL ORDER BY sample_date, id LIMIT $4)",
    )
    .bind(id)
    .bind(request.to.get())
    .bind(request.departement.as_str())
    .bind(i64::from(request.count))
    .execute(&mut *tx)
    .await?
    .rows_affected();
    sqlx::query("UPDATE lends SET lent = $2 WHERE id = $1")
        .bind(id)
        .bind(i64::try_from(moved).unwrap_or(i64::MAX))
        .execute(&mut *tx)
        .await?;
    let entry = AuditEntry::new(by, AuditAction::LendCases).detail(format!(
        "lend={id} from={} to={} departement={} asked={} lent={moved}",
        request.from, request.to, request.departement, request.count
    ));
    record_on(&mut tx, &entry, now).await?;
    tx.commit().await?;
    Ok((LendId(id), moved))
}

/// A lend of a share of the new cases: `share` per cent of the cases of
/// `departement` created from now on for `days` days.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ShareRequest {
    pub from: OrganisationId,
    pub to: OrganisationId,
    pub departement: DepartementCode,
    pub share: u8,
    pub days: u32,
}

/// Records a lend of a share of new cases (checked as [`lend`] checks) with
/// its audit line; the cases are lent as they come, by [`apply_shares`].
pub async fn lend_share(
    db: &Db,
    by: StaffId,
    member: Membership,
    request: ShareRequest,
) -> Result<LendId, LendError> {
    if !member.may_lend(request.from, request.to) {
        return Err(LendError::NotAllowed);
    }
    let now = db.now();
    let mut tx = db.begin_write().await?;
    check_lend(&mut tx, request.from, request.to, request.departement).await?;
    let until = now + i64::from(request.days) * 86_400;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO lends (from_org, to_org, departement, asked, lent, created_by, created_at, \
         share, until_at) VALUES ($1, $2, $3, 0, 0, $4, $5, $6, $7) RETURNING id",
    )
    .bind(request.from.get())
    .bind(request.to.get())
    .bind(request.departement.as_str())
    .bind(by.get())
    .bind(now)
    .bind(i64::from(request.share))
    .bind(until)
    .fetch_one(&mut *tx)
    .await?;
    let entry = AuditEntry::new(by, AuditAction::LendCases).detail(format!(
        "lend={id} from={} to={} departement={} share={} days={}",
        request.from, request.to, request.departement, request.share, request.days
    ));
    record_on(&mut tx, &entry, now).await?;
    tx.commit().await?;
    Ok(LendId(id))
}

/// Lends the new cases that fall in a share lend in force (its period, not
/// taken back): those of its département created since the lend, waiting
/// for their first call, not lent yet, whose id is in the share
/// ([`relais::organisation::in_share`]). The background job runs it at each
/// turn; returns how many cases it lent.
pub async fn apply_shares(db: &Db) -> Result<u64, StoreError> {
    let active: Vec<(i64, i64, String, i64, i64, i64)> = sqlx::query_as(
        "SELECT id, to_org, departement, created_at, until_at, share FROM lends \
         WHERE share IS NOT NULL AND taken_back_at IS NULL AND until_at > $1",
    )
    .bind(db.now() - 86_400)
    .fetch_all(db.pool())
    .await?;
    let mut total = 0;
    for (id, to, departement, from_at, until_at, share) in active {
        let moved = sqlx::query(
            "UPDATE cases SET lend_id = $1, lent_to = $2 WHERE departement = $3 \
             AND queue = 'first' AND lent_to IS NULL AND created_at >= $4 AND created_at < $5 \
             AND (id % 100) < $6",
        )
        .bind(id)
        .bind(to)
        .bind(&departement)
        .bind(from_at)
        .bind(until_at)
        .bind(share)
        .execute(&mut *db.write().await?)
        .await?
        .rows_affected();
        if moved > 0 {
            sqlx::query("UPDATE lends SET lent = lent + $2 WHERE id = $1")
                .bind(id)
                .bind(i64::try_from(moved).unwrap_or(i64::MAX))
                .execute(&mut *db.write().await?)
                .await?;
        }
        total += moved;
    }
    Ok(total)
}

/// Checks that both organisations exist and that `from` covers the
/// département.
async fn check_lend(
    tx: &mut sqlx::AnyConnection,
    from: OrganisationId,
    to: OrganisationId,
    departement: DepartementCode,
) -> Result<(), LendError> {
    let known: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM organisations WHERE id IN ($1, $2)")
        .bind(from.get())
        .bind(to.get())
        .fetch_one(&mut *tx)
        .await?;
    if known != 2 {
        return Err(LendError::UnknownOrganisation);
    }
    let covers: Option<i64> = sqlx::query_scalar(
        "SELECT organisation_id FROM organisation_departements \
         WHERE organisation_id = $1 AND departement = $2",
    )
    .bind(from.get())
    .bind(departement.as_str())
    .fetch_optional(&mut *tx)
    .await?;
    if covers.is_none() {
        return Err(LendError::NotCovered);
    }
    Ok(())
}

/// Takes a lend back: the cases of the lend that the helping team has not
/// opened (no one of it viewed the case) and that wait for their first call
/// go back to the lending team; a share of new cases stops. Returns how many; `None` when the lend is
/// not one `member` may take back (a national supervisor any, a local one
/// those their organisation made).
pub async fn take_back(
    db: &Db,
    by: StaffId,
    member: Membership,
    lend: LendId,
) -> Result<Option<u64>, StoreError> {
    let now = db.now();
    let mut tx = db.begin_write().await?;
    let from: Option<i64> = sqlx::query_scalar("SELECT from_org FROM lends WHERE id = $1")
        .bind(lend.get())
        .fetch_optional(&mut *tx)
        .await?;
    let Some(from) = from else {
        return Ok(None);
    };
    if !(member.kind.is_national() || member.organisation.get() == from) {
        return Ok(None);
    }
    let back = sqlx::query(
        "UPDATE cases SET lend_id = NULL, lent_to = NULL WHERE lend_id = $1 \
         AND queue = 'first' AND NOT EXISTS (SELECT 1 FROM staff_case_views v \
           JOIN staff_users s ON s.id = v.staff_user_id \
           WHERE v.case_id = cases.id AND s.organisation_id = cases.lent_to)",
    )
    .bind(lend.get())
    .execute(&mut *tx)
    .await?
    .rows_affected();
    sqlx::query("UPDATE lends SET taken_back_at = $2, taken_back = taken_back + $3 WHERE id = $1")
        .bind(lend.get())
        .bind(now)
        .bind(i64::try_from(back).unwrap_or(i64::MAX))
        .execute(&mut *tx)
        .await?;
    let entry =
        AuditEntry::new(by, AuditAction::TakeBackCases).detail(format!("lend={lend} back={back}"));
    record_on(&mut tx, &entry, now).await?;
    tx.commit().await?;
    Ok(Some(back))
}

/// A lend as the mutual-aid page lists it.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct LendLine {
    #[sqlx(try_from = "i64")]
    pub id: LendId,
    pub from_name: String,
    pub to_name: String,
    pub departement: String,
    pub asked: i64,
    pub lent: i64,
    /// Cases of the lend still lent.
    pub still_lent: i64,
    pub taken_back: i64,
    pub created_at: i64,
    pub taken_back_at: Option<i64>,
    /// A share of new cases (per cent), with the end of its period.
    pub share: Option<i64>,
    pub until_at: Option<i64>,
}

/// The lends `member` sees (every lend for the national organisation, those
/// from or to their organisation otherwise), newest first, at most `limit`.
pub async fn list(db: &Db, member: Membership, limit: i64) -> Result<Vec<LendLine>, StoreError> {
    Ok(sqlx::query_as(
        "SELECT l.id, f.name AS from_name, t.name AS to_name, l.departement, l.asked, l.lent, \
         (SELECT COUNT(*) FROM cases c WHERE c.lend_id = l.id) AS still_lent, \
         l.taken_back, l.created_at, l.taken_back_at, l.share, l.until_at \
         FROM lends l JOIN organisations f ON f.id = l.from_org \
         JOIN organisations t ON t.id = l.to_org \
         WHERE $1 OR l.from_org = $2 OR l.to_org = $2 \
         ORDER BY l.id DESC LIMIT $3",
    )
    .bind(member.kind.is_national())
    .bind(member.organisation.get())
    .bind(limit)
    .fetch_all(db.pool())
    .await?)
}

/// Counts of a backlog stop here (the page says "10000+").
pub const BACKLOG_CAP: i64 = 10_000;

/// An organisation's first-call backlog: the cases of its départements
/// waiting for their first call and not lent away, plus those lent to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Backlog {
    pub organisation: OrganisationId,
    pub name: String,
    /// Up to [`BACKLOG_CAP`].
    pub waiting: i64,
    /// The sample date of its oldest case waiting (the age of the backlog).
    pub oldest: Option<Date>,
}

/// The backlog of each fund `member` sees (every fund for the national
/// organisation; their own otherwise), by name. Read département by
/// département on the queue's indexes: a few small queries per fund, never
/// a scan of the national queue.
pub async fn backlogs(db: &Db, member: Membership) -> Result<Vec<Backlog>, StoreError> {
    let funds: Vec<(i64, String)> = sqlx::query_as(
        "SELECT id, name FROM organisations WHERE kind = 'fund' AND ($1 OR id = $2) \
         ORDER BY name",
    )
    .bind(member.kind.is_national())
    .bind(member.organisation.get())
    .fetch_all(db.pool())
    .await?;
    let mut out = Vec::with_capacity(funds.len());
    for (id, name) in funds {
        let organisation = OrganisationId(id);
        let scope = Scope::of(Membership {
            organisation,
            kind: relais::organisation::OrganisationKind::Fund,
        });
        let mut waiting = 0;
        let mut oldest: Option<Date> = None;
        let mut older = |date: Option<Date>| {
            oldest = match (oldest, date) {
                (Some(a), Some(b)) => Some(a.min(b)),
                (a, b) => a.or(b),
            }
        };
        for part in scope.parts_where("c", &covered_departements(db, scope).await?) {
            // Within a part, the cases lent to another organisation are not
            // this fund's to call (they are few: the lent_to index).
            let mine = format!("{part} AND (c.lent_to IS NULL OR c.lent_to = {id})");
            let all: i64 = sqlx::query_scalar(&format!(
                "SELECT COUNT(*) FROM (SELECT 1 FROM cases c WHERE c.queue = 'first' AND {part} \
                 LIMIT $1) w"
            ))
            .bind(BACKLOG_CAP)
            .fetch_one(db.pool())
            .await?;
            // On the (département, queue, lent_to) index: only the lent rows.
            let away: i64 = sqlx::query_scalar(&format!(
                "SELECT COUNT(*) FROM cases c WHERE c.lent_to IS NOT NULL AND c.lent_to <> {id} \
                 AND c.queue = 'first' AND {part}"
            ))
            .fetch_one(db.pool())
            .await?;
            waiting += (all - away).max(0);
            let first: Option<crate::columns::IsoDate> = sqlx::query_scalar(&format!(
                "SELECT c.sample_date FROM cases c WHERE c.queue = 'first' AND {mine} \
                 ORDER BY c.sample_date, c.id LIMIT 1"
            ))
            .fetch_optional(db.pool())
            .await?;
            older(first.map(Date::from));
        }
        out.push(Backlog {
            organisation,
            name,
            waiting: waiting.min(BACKLOG_CAP),
            oldest,
        });
    }
    Ok(out)
}
