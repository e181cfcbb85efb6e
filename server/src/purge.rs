//! `relais purge` and `relais figures`: the retention purge and the
//! dashboard's figures, by hand (the server runs both on its own).

use indicatif::{ProgressBar, ProgressStyle};
use relais_store::{figures, retention, Db};
use std::io::IsTerminal;
use std::time::Instant;

/// Deletes the personal data collected more than `retention_days` days ago,
/// with a progress bar on a terminal; returns the summary to print.
pub async fn purge(db: &Db, retention_days: u32) -> anyhow::Result<String> {
    let today = db.today_paris();
    let first_kept = retention::first_kept_day(today, retention_days);
    let total = retention::cases_to_purge(db, first_kept).await?;
    let bar = if std::io::stderr().is_terminal() {
        let bar = ProgressBar::new(total);
        if let Ok(style) =
            ProgressStyle::with_template("{bar:40} {percent:>3}% {pos}/{len} cases ({eta} left)")
        {
            bar.set_style(style);
        }
        bar
    } else {
        ProgressBar::hidden()
    };
    let started = Instant::now();
    let report = retention::purge(db, first_kept, |done| bar.set_position(done)).await?;
    bar.finish_and_clear();
    Ok(format!(
        "kept what was collected from {first_kept} on ({retention_days} days)\n\
         deleted {} cases with their contacts, places and replies, {} messages, \
         {} other rows in {:.1} s\n",
        report.cases,
        report.messages,
        report.other_rows,
        started.elapsed().as_secs_f64()
    ))
}

/// Recomputes the figures of the recent days and of any day without them,
/// and the clusters of the last 14 days.
pub async fn refresh_figures(db: &Db) -> anyhow::Result<String> {
    let today = db.today_paris();
    let started = Instant::now();
    let refreshed = figures::refresh_recent(db, today).await?;
    let figures_took = started.elapsed();
    let clusters = relais_store::clusters::refresh_recent(db, today).await?;
    Ok(format!(
        "figures: {} changed cases recomputed, {} days saved in {:.2} s\n\
         clusters: {clusters} of the last 14 days computed in {:.2} s\n",
        refreshed.cases,
        refreshed.days,
        figures_took.as_secs_f64(),
        (started.elapsed() - figures_took).as_secs_f64()
    ))
}

/// Recomputes every case of the last `days` days (today included) and
/// their figures, whatever changed: an operator's recount.
pub async fn recount_figures(db: &Db, days: u32) -> anyhow::Result<String> {
    let today = db.today_paris();
    let started = Instant::now();
    let first = today - time::Duration::days(i64::from(days.max(1)) - 1);
    let saved = figures::refresh_days(
        db,
        relais::dates::days_from(first).take_while(|d| *d <= today),
    )
    .await?;
    Ok(format!(
        "figures of the last {days} days recounted ({saved} days with cases) in {:.2} s\n",
        started.elapsed().as_secs_f64()
    ))
}
