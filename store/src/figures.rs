//! The supervisors' figures, pre-aggregated: one `daily_figures` row per day
//! and département for the cases created that day (Europe/Paris) and what
//! became of them. The dashboard reads only these rows, so it stays fast
//! whatever the size of the tables (a year is 366 rows per département).
//!
//! The refresh is incremental. Cases keep changing after they are created
//! (called, validated, their contacts notified): every change a case's
//! figures depend on marks the case (triggers on the tables, migration 23);
//! the refresh ([`refresh_recent`], every few minutes) recomputes the marked
//! cases only, keeps each case's share in `case_figures`, and sums again in
//! the database the days whose shares changed. Its work follows what
//! changed, not the size of the tables: at the national peak, the few
//! thousand cases of five minutes, not 14 days of millions. Days the purge
//! removed the cases of are never summed again: their row is all that is
//! left of them.

use super::{settings, Backend, Db, StoreError};
use crate::paris::instant_of;
use crate::scope::Scope;
use futures_util::TryStreamExt;
use relais::figures::{every_day, DayFigures, Histogram, Period};
use sqlx::Row;
use time::{Date, Duration};

/// The recent days (today included) that always have a row after a refresh,
/// zeros for a day without cases.
pub const SETTLE_DAYS: i64 = 14;

/// The setting holding the first day the purge kept (`YYYY-MM-DD`): days
/// before it lost their cases and are never recomputed.
pub const PURGED_BEFORE: &str = "purged_before";

/// The first instant of `day` in Europe/Paris, in Unix seconds.
pub fn day_start(day: Date) -> i64 {
    instant_of(time::PrimitiveDateTime::new(day, time::Time::MIDNIGHT))
}

/// The day (Europe/Paris) of an instant (1 January 1970 for an instant
/// beyond the calendar).
pub fn day_of(at: i64) -> Date {
    crate::paris::local(at)
        .map(|t| t.date())
        .unwrap_or(time::macros::date!(1970 - 01 - 01))
}

/// Whole hours from `from` to `to` (0 when `to` is earlier).
fn hours_between(from: i64, to: i64) -> u32 {
    u32::try_from((to - from).max(0) / 3600).unwrap_or(u32::MAX)
}

/// A count column of `row`.
fn count(row: &sqlx::any::AnyRow, name: &str) -> Result<u64, sqlx::Error> {
    Ok(u64::try_from(row.try_get::<i64, _>(name)?).unwrap_or(0))
}

/// Each case's measures, one row per case, each measure a subquery on an
/// index by case. Completed by a `WHERE` on `c`. A subquery's `WHERE` names
/// the case only, its other conditions being inside the aggregate: the
/// planner can then use nothing but the index by case. (With `kind` in the
/// `WHERE`, PostgreSQL, its statistics taken before a burst of a kind it had
/// seen little of, read every message of that kind for each case through the
/// index by kind: 1.19 s for a batch of 1,000 cases instead of 0.07 s.)
const CASE_MEASURES: &str = "SELECT c.id, c.created_at, c.departement, c.sample_date, \
       c.list_submitted_at, \
       (SELECT MIN(k.at) FROM case_calls k WHERE k.case_id = c.id) AS first_call, \
       (SELECT COUNT(*) FROM case_calls k WHERE k.case_id = c.id) AS calls, \
       (SELECT COALESCE(SUM(CASE WHEN k.outcome = 'reached' THEN 1 ELSE 0 END), 0) \
          FROM case_calls k WHERE k.case_id = c.id) AS reached, \
       (SELECT COALESCE(SUM(CASE WHEN t.removed_at IS NULL THEN 1 ELSE 0 END), 0) \
          FROM contacts t WHERE t.case_id = c.id) AS declared, \
       (SELECT COALESCE(SUM(CASE WHEN t.removed_at IS NULL AND t.status = 'validated' \
          THEN 1 ELSE 0 END), 0) FROM contacts t WHERE t.case_id = c.id) AS validated, \
       (SELECT COALESCE(SUM(CASE WHEN o.kind = 'contact_notification' THEN 1 ELSE 0 END), 0) \
          FROM sms_outbox o WHERE o.case_id = c.id) AS to_notify, \
       (SELECT COALESCE(SUM(CASE WHEN o.kind = 'contact_notification' AND o.status = 'sent' \
          THEN 1 ELSE 0 END), 0) FROM sms_outbox o WHERE o.case_id = c.id) AS notified, \
       (SELECT MAX(CASE WHEN o.kind = 'contact_notification' AND o.status = 'sent' \
          THEN o.sent_at END) FROM sms_outbox o WHERE o.case_id = c.id) AS last_notified, \
       (SELECT COALESCE(SUM(CASE WHEN o.status = 'sent' THEN 1 ELSE 0 END), 0) \
          FROM sms_outbox o WHERE o.case_id = c.id) AS sms_sent, \
       (SELECT COALESCE(SUM(CASE WHEN o.status = 'failed' THEN 1 ELSE 0 END), 0) \
          FROM sms_outbox o WHERE o.case_id = c.id) AS sms_failed, \
       (SELECT COUNT(*) FROM sms_replies r WHERE r.case_id = c.id) \
         + (SELECT COALESCE(SUM(CASE WHEN t.sms_answer IS NOT NULL THEN 1 ELSE 0 END), 0) \
          FROM contacts t WHERE t.case_id = c.id) AS replied \
     FROM cases c";

/// One case's share of its day's figures: [`DayFigures`] of this one case
/// (its delays are histograms of at most one observation).
#[derive(Debug, Clone, PartialEq)]
pub struct CaseShare {
    pub case_id: i64,
    pub departement: String,
    pub figures: DayFigures,
}

/// The share of the case of `row` (a row of [`CASE_MEASURES`]).
fn case_share(row: &sqlx::any::AnyRow) -> Result<CaseShare, sqlx::Error> {
    let count = |name: &str| count(row, name);
    let created_at: i64 = row.try_get("created_at")?;
    let mut f = DayFigures::empty(day_of(created_at));
    let sample_date: String = row.try_get("sample_date")?;
    let listed_at: Option<i64> = row.try_get("list_submitted_at")?;
    let first_call: Option<i64> = row.try_get("first_call")?;
    let last_notified: Option<i64> = row.try_get("last_notified")?;
    let calls = count("calls")?;
    let declared = count("declared")?;
    f.cases = 1;
    f.contacts_declared = declared;
    f.contacts_validated = count("validated")?;
    f.cases_reached = u64::from(count("reached")? > 0);
    f.contacts_to_notify = count("to_notify")?;
    f.contacts_reached = count("notified")?;
    f.cases_without_contact = u64::from(declared == 0);
    f.second_calls = calls.saturating_sub(1);
    f.sms_sent = count("sms_sent")?;
    f.sms_failed = count("sms_failed")?;
    f.sms_replied = count("replied")?;
    if let Some(first_call) = first_call {
        f.cases_called = 1;
        f.cases_listed_before_call = u64::from(listed_at.is_some_and(|at| at < first_call));
        if let Some(sampled) = relais::dates::parse_iso(&sample_date) {
            f.sample_to_call
                .add(hours_between(day_start(sampled), first_call));
        }
        if let Some(notified) = last_notified {
            f.call_to_notified.add(hours_between(first_call, notified));
        }
    }
    Ok(CaseShare {
        case_id: row.try_get("id")?,
        departement: row
            .try_get::<Option<String>, _>("departement")?
            .unwrap_or_default(),
        figures: f,
    })
}

/// The figures of `day` whose counts are the columns of `row` named as the
/// fields (`cases`, `contacts_declared`, …), without delays.
fn counts_of_row(row: &sqlx::any::AnyRow, day: Date) -> Result<DayFigures, sqlx::Error> {
    let count = |name: &str| count(row, name);
    Ok(DayFigures {
        cases: count("cases")?,
        contacts_declared: count("contacts_declared")?,
        contacts_validated: count("contacts_validated")?,
        cases_called: count("cases_called")?,
        cases_listed_before_call: count("cases_listed_before_call")?,
        cases_reached: count("cases_reached")?,
        contacts_to_notify: count("contacts_to_notify")?,
        contacts_reached: count("contacts_reached")?,
        cases_without_contact: count("cases_without_contact")?,
        second_calls: count("second_calls")?,
        sms_sent: count("sms_sent")?,
        sms_failed: count("sms_failed")?,
        sms_replied: count("sms_replied")?,
        ..DayFigures::empty(day)
    })
}

/// Computes the figures of `day` from the live tables, by département (''
/// for the cases without one); a day without cases is one row of zeros
/// under ''. The rows are folded as they come (a national day is hundreds
/// of thousands of cases: never held in memory at once). What the
/// incremental refresh must always agree with (a store test checks it).
pub async fn compute_day(db: &Db, day: Date) -> Result<Vec<(String, DayFigures)>, StoreError> {
    let (start, end) = (day_start(day), day_start(day + Duration::days(1)));
    let query = format!("{CASE_MEASURES} WHERE c.created_at >= $1 AND c.created_at < $2");
    let mut rows = sqlx::query(&query).bind(start).bind(end).fetch(db.pool());
    let mut by_departement: std::collections::BTreeMap<String, DayFigures> =
        std::collections::BTreeMap::new();
    while let Some(row) = rows.try_next().await? {
        let share = case_share(&row)?;
        by_departement
            .entry(share.departement)
            .or_insert_with(|| DayFigures::empty(day))
            .absorb(&share.figures);
    }
    if by_departement.is_empty() {
        by_departement.insert(String::new(), DayFigures::empty(day));
    }
    Ok(by_departement.into_iter().collect())
}

/// Cases recomputed per batch of the incremental refresh: what it holds in
/// memory at once.
pub const BATCH_CASES: i64 = 1_000;

/// Columns of `case_figures` after `case_id`, `day` and `departement`.
const SHARE_COUNTS: [&str; 12] = [
    "contacts_declared",
    "contacts_validated",
    "cases_called",
    "cases_listed_before_call",
    "cases_reached",
    "contacts_to_notify",
    "contacts_reached",
    "cases_without_contact",
    "second_calls",
    "sms_sent",
    "sms_failed",
    "sms_replied",
];

/// The counts of `f` in the order of [`SHARE_COUNTS`].
fn share_counts(f: &DayFigures) -> [u64; 12] {
    [
        f.contacts_declared,
        f.contacts_validated,
        f.cases_called,
        f.cases_listed_before_call,
        f.cases_reached,
        f.contacts_to_notify,
        f.contacts_reached,
        f.cases_without_contact,
        f.second_calls,
        f.sms_sent,
        f.sms_failed,
        f.sms_replied,
    ]
}

/// The one delay of a case's histogram, if measured.
fn only_delay(histogram: &Histogram) -> Option<i64> {
    histogram.bins().next().map(|(hours, _)| i64::from(hours))
}

/// Recomputes the share of every case marked in `figures_dirty` (by the
/// triggers of migration 23, on any change a case's figures depend on), in
/// batches of [`BATCH_CASES`], one pass in the order of case ids: a case
/// marked again while the pass runs waits for the next refresh. A mark is
/// cleared, in the transaction that writes the share, only if no change
/// marked the case again since it was read; several nodes may run this at
/// once, each share being written by the one that cleared its mark. Returns
/// how many cases' shares this call wrote, and adds the days whose sums
/// changed (the cases' days before and after) to `touched`.
pub async fn recompute_marked(
    db: &Db,
    touched: &mut std::collections::BTreeSet<Date>,
) -> Result<u64, StoreError> {
    let mut after = i64::MIN;
    let mut recomputed = 0;
    loop {
        let marks: Vec<(i64, i64)> = sqlx::query_as(
            "SELECT case_id, version FROM figures_dirty WHERE case_id > $1 \
             ORDER BY case_id LIMIT $2",
        )
        .bind(after)
        .bind(BATCH_CASES)
        .fetch_all(db.pool())
        .await?;
        let Some(&(last, _)) = marks.last() else {
            break;
        };
        after = last;
        // Integers read from the database, written out: no text of anyone's.
        let ids = id_list(marks.iter().map(|(id, _)| *id));
        // Each batch's statements name their own ids: prepared once and
        // dropped (`persistent(false)`), not kept in each connection's cache
        // of statements, where a thousand literals a statement weighed tens
        // of MiB across the pool after a refresh of every case.
        let before: Vec<(String,)> = sqlx::query_as(&format!(
            "SELECT DISTINCT day FROM case_figures WHERE case_id IN ({ids})"
        ))
        .persistent(false)
        .fetch_all(db.pool())
        .await?;
        touched.extend(before.iter().filter_map(|(d,)| relais::dates::parse_iso(d)));
        let mut shares: Vec<CaseShare> = Vec::with_capacity(marks.len());
        let measures = format!("{CASE_MEASURES} WHERE c.id IN ({ids})");
        let mut rows = sqlx::query(&measures).persistent(false).fetch(db.pool());
        while let Some(row) = rows.try_next().await? {
            shares.push(case_share(&row)?);
        }
        drop(rows);
        touched.extend(shares.iter().map(|s| s.figures.day));
        let unchanged = marks
            .iter()
            .map(|(id, version)| format!("({id}, {version})"))
            .collect::<Vec<_>>()
            .join(",");
        // The marks first: only the cases whose mark this transaction clears
        // get their share written. A mark changed since it was read (a
        // change came after the measures), or taken by another node's
        // refresh running at the same time, or held by a writer (PostgreSQL
        // skips it rather than wait: no deadlock with either) stays, for the
        // next refresh; no older share ever overwrites a newer one.
        let cleared_sql = match db.backend() {
            Backend::Postgres => format!(
                "DELETE FROM figures_dirty WHERE case_id IN (SELECT case_id FROM figures_dirty \
                 WHERE (case_id, version) IN (VALUES {unchanged}) FOR UPDATE SKIP LOCKED) \
                 RETURNING case_id"
            ),
            Backend::Sqlite => format!(
                "DELETE FROM figures_dirty WHERE (case_id, version) IN (VALUES {unchanged}) \
                 RETURNING case_id"
            ),
        };
        let mut tx = db.begin_write().await?;
        let cleared: std::collections::HashSet<i64> = sqlx::query_as::<_, (i64,)>(&cleared_sql)
            .persistent(false)
            .fetch_all(&mut *tx)
            .await?
            .into_iter()
            .map(|(id,)| id)
            .collect();
        if !cleared.is_empty() {
            sqlx::query(&format!(
                "DELETE FROM case_figures WHERE case_id IN ({})",
                id_list(cleared.iter().copied())
            ))
            .persistent(false)
            .execute(&mut *tx)
            .await?;
            shares.retain(|share| cleared.contains(&share.case_id));
            for chunk in shares.chunks(SHARES_PER_INSERT) {
                insert_shares(&mut tx, chunk).await?;
            }
        }
        tx.commit().await?;
        recomputed += cleared.len() as u64;
    }
    Ok(recomputed)
}

/// `ids` written out for an `IN (…)` list: integers only.
fn id_list(ids: impl Iterator<Item = i64>) -> String {
    ids.map(|id| id.to_string()).collect::<Vec<_>>().join(",")
}

/// The shares written by one statement.
const SHARES_PER_INSERT: usize = 100;

/// Writes the rows of `shares` into `case_figures`, in one statement.
async fn insert_shares(
    conn: &mut sqlx::AnyConnection,
    shares: &[CaseShare],
) -> Result<(), StoreError> {
    if shares.is_empty() {
        return Ok(());
    }
    let per_row = 3 + SHARE_COUNTS.len() + 2;
    let mut sql = format!(
        "INSERT INTO case_figures (case_id, day, departement, {}, sample_to_call, \
           call_to_notified) VALUES ",
        SHARE_COUNTS.join(", ")
    );
    sql.push_str(&crate::values::row_placeholders(
        crate::values::backend_of(conn),
        shares.len(),
        per_row,
    ));
    // Its shape follows the number of rows: a full chunk's statement is
    // prepared once a connection and kept (parsing its placeholders again for
    // each chunk doubled a refresh of every case); a shorter one is not kept.
    let mut query = sqlx::query(&sql).persistent(shares.len() == SHARES_PER_INSERT);
    for share in shares {
        query = query
            .bind(share.case_id)
            .bind(share.figures.day.to_string())
            .bind(share.departement.clone());
        for n in share_counts(&share.figures) {
            query = query.bind(i64::try_from(n).unwrap_or(i64::MAX));
        }
        query = query
            .bind(only_delay(&share.figures.sample_to_call))
            .bind(only_delay(&share.figures.call_to_notified));
    }
    query.execute(conn).await?;
    Ok(())
}

/// The figures of `day` by département, summed from the cases' shares
/// (`case_figures`) in the database; one row of zeros under '' for a day
/// without cases, as [`compute_day`].
pub async fn sum_day(db: &Db, day: Date) -> Result<Vec<(String, DayFigures)>, StoreError> {
    sum_day_on(&mut *db.pool().acquire().await?, day).await
}

/// [`sum_day`] on `conn` (a save's transaction: see [`save_sums`]).
async fn sum_day_on(
    conn: &mut sqlx::AnyConnection,
    day: Date,
) -> Result<Vec<(String, DayFigures)>, StoreError> {
    let sums = SHARE_COUNTS
        .iter()
        .map(|c| format!("CAST(SUM({c}) AS BIGINT) AS {c}"))
        .collect::<Vec<_>>()
        .join(", ");
    let rows = sqlx::query(&format!(
        "SELECT departement, COUNT(*) AS cases, {sums} FROM case_figures WHERE day = $1 \
         GROUP BY departement"
    ))
    .bind(day.to_string())
    .fetch_all(&mut *conn)
    .await?;
    let mut by_departement: std::collections::BTreeMap<String, DayFigures> =
        std::collections::BTreeMap::new();
    for row in rows {
        by_departement.insert(row.try_get("departement")?, counts_of_row(&row, day)?);
    }
    for column in ["sample_to_call", "call_to_notified"] {
        let bins: Vec<(String, i64, i64)> = sqlx::query_as(&format!(
            "SELECT departement, {column}, COUNT(*) FROM case_figures \
             WHERE day = $1 AND {column} IS NOT NULL GROUP BY departement, {column}"
        ))
        .bind(day.to_string())
        .fetch_all(&mut *conn)
        .await?;
        for (departement, hours, n) in bins {
            let Some(f) = by_departement.get_mut(&departement) else {
                continue;
            };
            let histogram = match column {
                "sample_to_call" => &mut f.sample_to_call,
                _ => &mut f.call_to_notified,
            };
            histogram.add_many(
                u32::try_from(hours).unwrap_or(u32::MAX),
                u64::try_from(n).unwrap_or(0),
            );
        }
    }
    if by_departement.is_empty() {
        by_departement.insert(String::new(), DayFigures::empty(day));
    }
    Ok(by_departement.into_iter().collect())
}

/// Replaces the rows of a day with `rows` (by département), computed at
/// `at`, on a write transaction.
async fn replace_day(
    tx: &mut sqlx::AnyConnection,
    day: Date,
    rows: &[(String, DayFigures)],
    at: i64,
) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM daily_figures WHERE day = $1")
        .bind(day.to_string())
        .execute(&mut *tx)
        .await?;
    for (departement, figures) in rows {
        save_row(&mut *tx, departement, figures, at).await?;
    }
    Ok(())
}

/// The key of the PostgreSQL lock that one save of `day` holds at a time.
fn day_lock_key(day: Date) -> i64 {
    // "FIGS" in the high bytes, the Julian day in the low ones.
    (0x4649_4753_i64 << 32) | i64::from(day.to_julian_day())
}

/// Writes (or replaces) the row of `figures.day` and `departement`.
async fn save_row(
    conn: &mut sqlx::AnyConnection,
    departement: &str,
    figures: &DayFigures,
    now: i64,
) -> Result<(), StoreError> {
    // Written out once: the columns are those of SHARE_COUNTS.
    static SQL: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    let sql = SQL.get_or_init(|| {
        // day, cases, the counts, the two histograms, computed_at, departement.
        let values = (1..=SHARE_COUNTS.len() + 6)
            .map(|i| format!("${i}"))
            .collect::<Vec<_>>()
            .join(", ");
        let updates = std::iter::once("cases")
            .chain(SHARE_COUNTS)
            .chain(["sample_to_call", "call_to_notified", "computed_at"])
            .map(|c| format!("{c} = excluded.{c}"))
            .collect::<Vec<_>>()
            .join(", ");
        format!(
            "INSERT INTO daily_figures (day, cases, {}, sample_to_call, call_to_notified, \
               computed_at, departement) VALUES ({values}) \
             ON CONFLICT (day, departement) DO UPDATE SET {updates}",
            SHARE_COUNTS.join(", ")
        )
    });
    let n = |v: u64| i64::try_from(v).unwrap_or(i64::MAX);
    let mut query = sqlx::query(sql)
        .bind(figures.day.to_string())
        .bind(n(figures.cases));
    for count in share_counts(figures) {
        query = query.bind(n(count));
    }
    query
        .bind(figures.sample_to_call.encode())
        .bind(figures.call_to_notified.encode())
        .bind(now)
        .bind(departement)
        .execute(conn)
        .await?;
    Ok(())
}

/// The first day whose cases the purge kept, if it ever ran.
pub async fn purged_before(db: &Db) -> Result<Option<Date>, StoreError> {
    Ok(settings::read(db, PURGED_BEFORE)
        .await?
        .and_then(|d| relais::dates::parse_iso(&d)))
}

/// Whether the purge emptied `day` (`purged`: the first day it kept).
fn was_purged(day: Date, purged: Option<Date>) -> bool {
    purged.is_some_and(|first_kept| day < first_kept)
}

/// Sums and saves the figures of each of `days` from the cases' shares,
/// except the days the purge emptied. Returns how many days were saved.
async fn save_sums(
    db: &Db,
    days: impl IntoIterator<Item = Date>,
    purged: Option<Date>,
) -> Result<usize, StoreError> {
    let mut saved = 0;
    for day in days {
        if was_purged(day, purged) {
            continue;
        }
        let at = db.now();
        let mut tx = db.begin_write().await?;
        // One save of a day at a time (SQLite's writers take turns; on
        // PostgreSQL the day's lock): the sum is read once the day's last
        // save is committed, so a refresh beside another (two nodes, or
        // `relais figures` beside a node) never writes back a sum that
        // misses a share committed before its save began — and each
        // refresh saves the days of the shares it wrote, after them.
        if db.backend() == Backend::Postgres {
            sqlx::query("SELECT pg_advisory_xact_lock($1)")
                .bind(day_lock_key(day))
                .execute(&mut *tx)
                .await?;
        }
        let rows = sum_day_on(&mut tx, day).await?;
        replace_day(&mut tx, day, &rows, at).await?;
        tx.commit().await?;
        saved += 1;
    }
    Ok(saved)
}

/// Recomputes every case of each of `days` and saves the figures of the
/// days that have cases (or had, since the last refresh), except the days the
/// purge emptied (the retention's last count, an operator's recount). A day
/// without a row reads as zeros. Returns how many days were saved.
pub async fn refresh_days(
    db: &Db,
    days: impl IntoIterator<Item = Date>,
) -> Result<usize, StoreError> {
    let purged = purged_before(db).await?;
    let days: Vec<Date> = days
        .into_iter()
        .filter(|day| !was_purged(*day, purged))
        .collect();
    for day in &days {
        let (start, end) = (day_start(*day), day_start(*day + Duration::days(1)));
        sqlx::query(
            "INSERT INTO figures_dirty (case_id) SELECT id FROM cases \
             WHERE created_at >= $1 AND created_at < $2 \
             ON CONFLICT (case_id) DO UPDATE SET version = figures_dirty.version + 1",
        )
        .bind(start)
        .bind(end)
        .execute(&mut *db.write().await?)
        .await?;
    }
    let mut touched = std::collections::BTreeSet::new();
    recompute_marked(db, &mut touched).await?;
    save_sums(db, touched, purged).await
}

/// The setting holding when the figures were last brought up to date (Unix
/// seconds): a day no change touched keeps the time its row was computed.
pub const REFRESHED_AT: &str = "figures_refreshed_at";

/// The periodic refresh: recomputes the cases changed since the last one
/// ([`recompute_marked`]), then sums again the days they belong to, and the
/// last [`SETTLE_DAYS`] days up to `today` that have no row yet. Its work
/// grows with what changed, not with the size of the tables.
pub async fn refresh_recent(db: &Db, today: Date) -> Result<Refreshed, StoreError> {
    let purged = purged_before(db).await?;
    let mut touched = std::collections::BTreeSet::new();
    let cases = recompute_marked(db, &mut touched).await?;
    let first_recent = today - Duration::days(SETTLE_DAYS - 1);
    let known: std::collections::HashSet<String> =
        sqlx::query_as::<_, (String,)>("SELECT DISTINCT day FROM daily_figures WHERE day >= $1")
            .bind(first_recent.to_string())
            .fetch_all(db.pool())
            .await?
            .into_iter()
            .map(|(d,)| d)
            .collect();
    touched.extend(
        relais::dates::days_from(first_recent)
            .take_while(|d| *d <= today)
            .filter(|d| !known.contains(&d.to_string())),
    );
    let days = save_sums(db, touched, purged).await?;
    settings::write(db, REFRESHED_AT, &db.now().to_string()).await?;
    Ok(Refreshed { cases, days })
}

/// What a refresh did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Refreshed {
    /// Cases whose share was recomputed.
    pub cases: u64,
    /// Days whose figures were summed and saved again.
    pub days: usize,
}

/// The saved figures of the days from `from` to `to` (included) for the
/// départements of `scope` (summed), in order, and when the freshest of them
/// was computed.
pub async fn figures_between(
    db: &Db,
    scope: Scope,
    from: Date,
    to: Date,
) -> Result<(Vec<DayFigures>, Option<i64>), StoreError> {
    let rows = sqlx::query(&format!(
        "SELECT day, cases, contacts_declared, contacts_validated, cases_called, \
           cases_listed_before_call, cases_reached, contacts_to_notify, contacts_reached, \
           cases_without_contact, second_calls, sms_sent, sms_failed, sms_replied, \
           sample_to_call, call_to_notified, computed_at \
         FROM daily_figures WHERE day >= $1 AND day <= $2 AND {} ORDER BY day",
        scope.departements_where("departement")
    ))
    .bind(from.to_string())
    .bind(to.to_string())
    .fetch_all(db.pool())
    .await?;
    let mut days: Vec<DayFigures> = Vec::with_capacity(rows.len());
    let mut computed_at = None;
    for row in rows {
        let histogram = |name: &str| -> Result<Histogram, sqlx::Error> {
            Ok(Histogram::decode(&row.try_get::<String, _>(name)?).unwrap_or_default())
        };
        let Some(day) = relais::dates::parse_iso(&row.try_get::<String, _>("day")?) else {
            continue;
        };
        let at: i64 = row.try_get("computed_at")?;
        computed_at = computed_at.max(Some(at));
        let figures = DayFigures {
            sample_to_call: histogram("sample_to_call")?,
            call_to_notified: histogram("call_to_notified")?,
            ..counts_of_row(&row, day)?
        };
        // The départements of one day, summed.
        match days.last_mut() {
            Some(last) if last.day == day => last.absorb(&figures),
            _ => days.push(figures),
        }
    }
    // The last refresh brought every row up to date, changed or not.
    let refreshed = settings::read(db, REFRESHED_AT)
        .await?
        .and_then(|at| at.parse::<i64>().ok());
    Ok((days, computed_at.max(refreshed)))
}

/// Every day of `period`, in order (a day without a row is zeros), and when
/// the freshest row was computed: what the dashboard and its CSV show.
pub async fn of_period(
    db: &Db,
    scope: Scope,
    period: Period,
) -> Result<(Vec<DayFigures>, Option<i64>), StoreError> {
    let (known, computed_at) = figures_between(db, scope, period.from, period.to).await?;
    Ok((every_day(period, &known), computed_at))
}
