//! The server's periodic work besides SMS: the dashboard's figures of recent
//! days and the clusters of the last 14 days are recomputed every
//! `RELAIS_FIGURES_REFRESH_SECONDS`, and once a
//! day, from 03:00 Paris time, personal data older than
//! `RELAIS_RETENTION_DAYS` is purged. Several nodes may run this: a day's
//! purge is claimed in the database by one of them; recomputing figures
//! twice writes the same rows.

use relais_store::{figures, retention, settings, Db};
use std::time::{Duration, Instant};
use tokio::task::JoinHandle;

/// The setting holding the last day a purge was started.
const PURGE_DAY: &str = "purge_day";
/// The purge starts once the local clock passes this hour.
const PURGE_HOUR: u8 = 3;

/// Starts the periodic jobs.
pub fn spawn(db: Db, retention_days: u32, refresh_every: Duration) -> JoinHandle<()> {
    tokio::spawn(async move {
        loop {
            run_once(&db, retention_days).await;
            tokio::time::sleep(refresh_every).await;
        }
    })
}

async fn run_once(db: &Db, retention_days: u32) {
    let now = db.now_local();
    let today = now.date();
    // The purge first: it forgets the kept clusters (they name places), and
    // the refresh below computes them again from what is left.
    if now.hour() >= PURGE_HOUR {
        daily_purge(db, today, retention_days).await;
    }
    let started = Instant::now();
    match figures::refresh_recent(db, today).await {
        Ok(days) => tracing::debug!(
            days,
            ms = started.elapsed().as_millis() as u64,
            "figures refreshed"
        ),
        Err(e) => tracing::error!(error = %e, "figures refresh failed"),
    }
    match relais_store::clusters::refresh_recent(db, today).await {
        Ok(clusters) => tracing::debug!(clusters, "clusters refreshed"),
        Err(e) => tracing::error!(error = %e, "clusters refresh failed"),
    }
}

/// The day's purge, when this node is the first to claim the day.
async fn daily_purge(db: &Db, today: time::Date, retention_days: u32) {
    match settings::claim(db, PURGE_DAY, &today.to_string()).await {
        Ok(true) => {}
        Ok(false) => return,
        Err(e) => {
            tracing::error!(error = %e, "purge: could not claim the day");
            return;
        }
    }
    let first_kept = retention::first_kept_day(today, retention_days);
    let started = Instant::now();
    match retention::purge(db, first_kept, |_| {}).await {
        Ok(report) => tracing::info!(
            first_kept = %first_kept,
            cases = report.cases,
            messages = report.messages,
            other_rows = report.other_rows,
            seconds = started.elapsed().as_secs(),
            "daily purge done"
        ),
        Err(e) => {
            tracing::error!(error = %e, "daily purge failed; it runs again tomorrow or with relais purge")
        }
    }
}
