//! Retention: the personal data of a case — the case, its contacts, places,
//! calls, links, sessions, tests, replies and messages — is deleted once the
//! retention period after its collection (its creation) is over.
//!
//! Before anything is deleted, the figures of the days concerned are computed
//! one last time and the first kept day is recorded ([`figures::PURGED_BEFORE`]),
//! so that those rows are never recomputed from the emptied tables: the
//! dashboard still shows the past. The audit log keeps its lines: they hold
//! ids and machine words only, never personal data.
//!
//! Whole days (Europe/Paris) go at once, in batches of cases, each batch in
//! one transaction: an interrupted purge leaves no half-deleted case and
//! the next run continues where it stopped.

use super::figures::{self, day_start, PURGED_BEFORE};
use super::{settings, Db, StoreError};
use time::{Date, Duration};

/// The default retention period: three months.
pub const DEFAULT_RETENTION_DAYS: u32 = 90;

/// Cases deleted per transaction.
pub const BATCH: i64 = 500;

/// What a purge did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PurgeReport {
    /// The first day kept: everything collected before it is gone.
    pub first_kept: Option<Date>,
    pub cases: u64,
    pub messages: u64,
    /// Opt-outs, inbound message ids and sign-in attempts older than the
    /// period.
    pub other_rows: u64,
}

/// The first day kept when purging on `today` with `retention_days`.
pub fn first_kept_day(today: Date, retention_days: u32) -> Date {
    today - Duration::days(i64::from(retention_days))
}

/// How many cases were collected before `first_kept`.
pub async fn cases_to_purge(db: &Db, first_kept: Date) -> Result<u64, StoreError> {
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM cases WHERE created_at < $1")
        .bind(day_start(first_kept))
        .fetch_one(db.pool())
        .await?;
    Ok(u64::try_from(n).unwrap_or(0))
}

/// Deletes everything collected before `first_kept`, calling `progress`
/// with the number of cases deleted so far after each batch.
pub async fn purge(
    db: &Db,
    first_kept: Date,
    mut progress: impl FnMut(u64),
) -> Result<PurgeReport, StoreError> {
    let cutoff = day_start(first_kept);
    let mut report = PurgeReport {
        first_kept: Some(first_kept),
        ..PurgeReport::default()
    };
    // 1. The last figures of the days about to be emptied, then the mark
    //    that freezes them (it only moves forward).
    let previous = figures::purged_before(db).await?;
    if previous.is_none_or(|p| p < first_kept) {
        let (oldest,): (Option<i64>,) =
            sqlx::query_as("SELECT MIN(created_at) FROM cases WHERE created_at < $1")
                .bind(cutoff)
                .fetch_one(db.pool())
                .await?;
        if let Some(oldest) = oldest {
            let days =
                relais::dates::days_from(figures::day_of(oldest)).take_while(|d| *d < first_kept);
            figures::refresh_days(db, days).await?;
        }
        settings::write(db, PURGED_BEFORE, &first_kept.to_string()).await?;
    }
    // 2. The cases, a batch per transaction. Everything that points at a
    //    case or a contact goes with it (ON DELETE CASCADE), except the
    //    outbox, which keeps no foreign key (a message outlives a failed
    //    transaction of its cause's): deleted first, by case.
    loop {
        let mut tx = db.begin_write().await?;
        let last: Option<(i64,)> = sqlx::query_as(
            "SELECT id FROM cases WHERE created_at < $1 ORDER BY id LIMIT 1 OFFSET $2",
        )
        .bind(cutoff)
        .bind(BATCH - 1)
        .fetch_optional(&mut *tx)
        .await?;
        let bound = match last {
            Some((id,)) => id,
            None => i64::MAX,
        };
        let messages = sqlx::query(
            "DELETE FROM sms_outbox WHERE case_id IN \
             (SELECT id FROM cases WHERE created_at < $1 AND id <= $2)",
        )
        .bind(cutoff)
        .bind(bound)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        let cases = sqlx::query("DELETE FROM cases WHERE created_at < $1 AND id <= $2")
            .bind(cutoff)
            .bind(bound)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        tx.commit().await?;
        report.messages += messages;
        report.cases += cases;
        progress(report.cases);
        if cases == 0 || last.is_none() {
            break;
        }
    }
    // 3. What was kept by number or time rather than by case.
    report.messages += sqlx::query("DELETE FROM sms_outbox WHERE created_at < $1")
        .bind(cutoff)
        .execute(&mut *db.write().await?)
        .await?
        .rows_affected();
    for sql in [
        "DELETE FROM sms_opt_outs WHERE created_at < $1",
        "DELETE FROM sms_inbound WHERE received_at < $1",
        "DELETE FROM login_attempts WHERE at < $1",
        "DELETE FROM sign_in_names WHERE last_failed_at < $1",
        "DELETE FROM sessions WHERE expires_at < $1",
    ] {
        report.other_rows += sqlx::query(sql)
            .bind(cutoff)
            .execute(&mut *db.write().await?)
            .await?
            .rows_affected();
    }
    // The clusters kept for the page name places: computed again from what
    // is left at the next refresh.
    super::clusters::forget_recent(db).await?;
    Ok(report)
}
