//! The supervisors' figures, pre-aggregated: one `daily_figures` row per day
//! for the cases created that day (Europe/Paris) and what became of them.
//!
//! A day's row is computed from the live tables ([`compute_day`]) and kept;
//! the dashboard reads only these rows, so it stays fast whatever the size of
//! the tables (a year is 366 rows). Cases keep changing for a while after
//! they are created (called, validated, their contacts notified), so the
//! server recomputes the last [`SETTLE_DAYS`] days every few minutes
//! ([`refresh_recent`]); older days are final. Days the purge removed the
//! cases of are never recomputed: their row is all that is left of them.

use super::{settings, Db, StoreError};
use crate::paris::instant_of;
use crate::scope::Scope;
use futures_util::TryStreamExt;
use relais::figures::{every_day, DayFigures, Histogram, Period};
use sqlx::Row;
use time::{Date, Duration};

/// Days recomputed by every refresh (today included): a case is called,
/// validated and its contacts notified within days of its creation.
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

/// Computes the figures of `day` from the live tables, by département (''
/// for the cases without one); a day without cases is one row of zeros
/// under ''.
pub async fn compute_day(db: &Db, day: Date) -> Result<Vec<(String, DayFigures)>, StoreError> {
    let (start, end) = (day_start(day), day_start(day + Duration::days(1)));
    // One row per case of the day, each measure a subquery on an index by
    // case; folded here as they come (a national day is hundreds of
    // thousands of cases: never held in memory at once), where the delays
    // go into their histograms.
    let mut rows = sqlx::query(
        "SELECT c.departement, c.sample_date, c.list_submitted_at, \
           (SELECT MIN(k.at) FROM case_calls k WHERE k.case_id = c.id) AS first_call, \
           (SELECT COUNT(*) FROM case_calls k WHERE k.case_id = c.id) AS calls, \
           (SELECT COUNT(*) FROM case_calls k WHERE k.case_id = c.id \
              AND k.outcome = 'reached') AS reached, \
           (SELECT COUNT(*) FROM contacts t WHERE t.case_id = c.id \
              AND t.removed_at IS NULL) AS declared, \
           (SELECT COUNT(*) FROM contacts t WHERE t.case_id = c.id \
              AND t.removed_at IS NULL AND t.status = 'validated') AS validated, \
           (SELECT COUNT(*) FROM sms_outbox o WHERE o.case_id = c.id \
              AND o.kind = 'contact_notification') AS to_notify, \
           (SELECT COUNT(*) FROM sms_outbox o WHERE o.case_id = c.id \
              AND o.kind = 'contact_notification' AND o.status = 'sent') AS notified, \
           (SELECT MAX(o.sent_at) FROM sms_outbox o WHERE o.case_id = c.id \
              AND o.kind = 'contact_notification' AND o.status = 'sent') AS last_notified, \
           (SELECT COUNT(*) FROM sms_outbox o WHERE o.case_id = c.id \
              AND o.status = 'sent') AS sms_sent, \
           (SELECT COUNT(*) FROM sms_outbox o WHERE o.case_id = c.id \
              AND o.status = 'failed') AS sms_failed, \
           (SELECT COUNT(*) FROM sms_replies r WHERE r.case_id = c.id) \
             + (SELECT COUNT(*) FROM contacts t WHERE t.case_id = c.id \
              AND t.sms_answer IS NOT NULL) AS replied \
         FROM cases c WHERE c.created_at >= $1 AND c.created_at < $2",
    )
    .bind(start)
    .bind(end)
    .fetch(db.pool());
    let mut by_departement: std::collections::BTreeMap<String, DayFigures> =
        std::collections::BTreeMap::new();
    while let Some(row) = rows.try_next().await? {
        let count = |name: &str| count(&row, name);
        let departement: Option<String> = row.try_get("departement")?;
        let f = by_departement
            .entry(departement.unwrap_or_default())
            .or_insert_with(|| DayFigures::empty(day));
        let sample_date: String = row.try_get("sample_date")?;
        let listed_at: Option<i64> = row.try_get("list_submitted_at")?;
        let first_call: Option<i64> = row.try_get("first_call")?;
        let last_notified: Option<i64> = row.try_get("last_notified")?;
        let calls = count("calls")?;
        let declared = count("declared")?;
        f.cases += 1;
        f.contacts_declared += declared;
        f.contacts_validated += count("validated")?;
        f.cases_reached += u64::from(count("reached")? > 0);
        f.contacts_to_notify += count("to_notify")?;
        f.contacts_reached += count("notified")?;
        f.cases_without_contact += u64::from(declared == 0);
        f.second_calls += calls.saturating_sub(1);
        f.sms_sent += count("sms_sent")?;
        f.sms_failed += count("sms_failed")?;
        f.sms_replied += count("replied")?;
        if let Some(first_call) = first_call {
            f.cases_called += 1;
            f.cases_listed_before_call += u64::from(listed_at.is_some_and(|at| at < first_call));
            if let Some(sampled) = relais::dates::parse_iso(&sample_date) {
                f.sample_to_call
                    .add(hours_between(day_start(sampled), first_call));
            }
            if let Some(notified) = last_notified {
                f.call_to_notified.add(hours_between(first_call, notified));
            }
        }
    }
    if by_departement.is_empty() {
        by_departement.insert(String::new(), DayFigures::empty(day));
    }
    Ok(by_departement.into_iter().collect())
}

/// Replaces the rows of a day with `rows` (by département), in one
/// transaction.
pub async fn save_day(db: &Db, day: Date, rows: &[(String, DayFigures)]) -> Result<(), StoreError> {
    let mut tx = db.pool().begin().await?;
    sqlx::query("DELETE FROM daily_figures WHERE day = $1")
        .bind(day.to_string())
        .execute(&mut *tx)
        .await?;
    for (departement, figures) in rows {
        save_row(&mut tx, departement, figures, db.now()).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Writes (or replaces) the row of `figures.day` and `departement`.
async fn save_row(
    conn: &mut sqlx::AnyConnection,
    departement: &str,
    figures: &DayFigures,
    now: i64,
) -> Result<(), StoreError> {
    let n = |v: u64| i64::try_from(v).unwrap_or(i64::MAX);
    sqlx::query(
        "INSERT INTO daily_figures (day, cases, contacts_declared, contacts_validated, \
           cases_called, cases_listed_before_call, cases_reached, contacts_to_notify, \
           contacts_reached, cases_without_contact, second_calls, sms_sent, sms_failed, \
           sms_replied, sample_to_call, call_to_notified, computed_at, departement) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, \
           $18) \
         ON CONFLICT (day, departement) DO UPDATE SET cases = excluded.cases, \
           contacts_declared = excluded.contacts_declared, \
           contacts_validated = excluded.contacts_validated, \
           cases_called = excluded.cases_called, \
           cases_listed_before_call = excluded.cases_listed_before_call, \
           cases_reached = excluded.cases_reached, \
           contacts_to_notify = excluded.contacts_to_notify, \
           contacts_reached = excluded.contacts_reached, \
           cases_without_contact = excluded.cases_without_contact, \
           second_calls = excluded.second_calls, sms_sent = excluded.sms_sent, \
           sms_failed = excluded.sms_failed, sms_replied = excluded.sms_replied, \
           sample_to_call = excluded.sample_to_call, \
           call_to_notified = excluded.call_to_notified, computed_at = excluded.computed_at",
    )
    .bind(figures.day.to_string())
    .bind(n(figures.cases))
    .bind(n(figures.contacts_declared))
    .bind(n(figures.contacts_validated))
    .bind(n(figures.cases_called))
    .bind(n(figures.cases_listed_before_call))
    .bind(n(figures.cases_reached))
    .bind(n(figures.contacts_to_notify))
    .bind(n(figures.contacts_reached))
    .bind(n(figures.cases_without_contact))
    .bind(n(figures.second_calls))
    .bind(n(figures.sms_sent))
    .bind(n(figures.sms_failed))
    .bind(n(figures.sms_replied))
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

/// Recomputes and saves each of `days`, except those the purge emptied.
/// Returns how many days were saved.
pub async fn refresh_days(
    db: &Db,
    days: impl IntoIterator<Item = Date>,
) -> Result<usize, StoreError> {
    let purged = purged_before(db).await?;
    let mut saved = 0;
    for day in days {
        if purged.is_some_and(|first_kept| day < first_kept) {
            continue;
        }
        let rows = compute_day(db, day).await?;
        save_day(db, day, &rows).await?;
        saved += 1;
    }
    Ok(saved)
}

/// Days from the first case's to `until` (included) that have no row yet,
/// and were not purged.
pub async fn missing_days(db: &Db, until: Date) -> Result<Vec<Date>, StoreError> {
    let (first,): (Option<i64>,) = sqlx::query_as("SELECT MIN(created_at) FROM cases")
        .fetch_one(db.pool())
        .await?;
    let Some(first) = first else {
        return Ok(Vec::new());
    };
    let known: std::collections::HashSet<String> =
        sqlx::query_as::<_, (String,)>("SELECT day FROM daily_figures WHERE day >= $1")
            .bind(day_of(first).to_string())
            .fetch_all(db.pool())
            .await?
            .into_iter()
            .map(|(d,)| d)
            .collect();
    Ok(relais::dates::days_from(day_of(first))
        .take_while(|d| *d <= until)
        .filter(|d| !known.contains(&d.to_string()))
        .collect())
}

/// The periodic refresh: the last [`SETTLE_DAYS`] days up to `today`, and
/// any older day that has no row yet. Returns how many days were saved.
pub async fn refresh_recent(db: &Db, today: Date) -> Result<usize, StoreError> {
    let first_recent = today - Duration::days(SETTLE_DAYS - 1);
    let mut days = missing_days(db, first_recent - Duration::days(1)).await?;
    days.extend(relais::dates::days_from(first_recent).take_while(|d| *d <= today));
    refresh_days(db, days).await
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
        let count = |name: &str| count(&row, name);
        let histogram = |name: &str| -> Result<Histogram, sqlx::Error> {
            Ok(Histogram::decode(&row.try_get::<String, _>(name)?).unwrap_or_default())
        };
        let Some(day) = relais::dates::parse_iso(&row.try_get::<String, _>("day")?) else {
            continue;
        };
        let at: i64 = row.try_get("computed_at")?;
        computed_at = computed_at.max(Some(at));
        let figures = DayFigures {
            day,
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
            sample_to_call: histogram("sample_to_call")?,
            call_to_notified: histogram("call_to_notified")?,
        };
        // The départements of one day, summed.
        match days.last_mut() {
            Some(last) if last.day == day => last.absorb(&figures),
            _ => days.push(figures),
        }
    }
    Ok((days, computed_at))
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
