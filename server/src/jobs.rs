//! The server's periodic work besides SMS: the dashboard's figures of recent
//! days and the clusters of the last 14 days are recomputed every
//! `RELAIS_FIGURES_REFRESH_SECONDS`, and once a
//! day, from 03:00 Paris time, personal data older than
//! `RELAIS_RETENTION_DAYS` is purged. Several nodes may run this: a day's
//! purge is claimed in the database by one of them; two refreshes of the
//! figures at once may both compute a changed case, but its share is
//! written once, by the one that clears its mark
//! (`figures::recompute_marked`); so each period of the refresh is claimed
//! in the database too, and only the node that claims it refreshes (the
//! others would compute the same cases for nothing). When the operator
//! applies newer rule sets to follow-ups in progress (`RELAIS_RULES_ON_CHANGE=apply`), the day a newer
//! set comes into force the reminders of the contacts still followed are
//! planned again under it, once (claimed like the purge). The territories
//! are read again from the database at each turn, so that an operator's
//! `relais territories load` reaches every node. The new cases that fall in
//! a share lent for mutual aid are lent at each turn.

use relais::doctrine::OnNewerRules;
use relais::RuleSets;
use relais_store::{figures, follow_up, retention, schedule, settings, Db, StoreError};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::task::JoinHandle;

/// The setting holding the last day a purge was started.
const PURGE_DAY: &str = "purge_day";
/// The purge starts once the local clock passes this hour.
const PURGE_HOUR: u8 = 3;

/// The setting holding the last period of the refresh a node claimed.
const REFRESH_PERIOD: &str = "refresh_period";

/// The setting naming the rule set whose reminders were last planned for
/// the follow-ups in progress.
const RULES_APPLIED: &str = "rules_applied";
/// How long after being told a contact may still be followed: the longest
/// quarantine of any published set (14 days) and its extensions, with room.
const FOLLOW_UP_DAYS: i64 = 30;

/// Starts the periodic jobs.
pub fn spawn(
    db: Db,
    rule_sets: Arc<RuleSets>,
    territories: crate::territories::TerritoryCache,
    retention_days: u32,
    refresh_every: Duration,
) -> JoinHandle<()> {
    tokio::spawn(async move {
        loop {
            if let Err(e) = territories.refresh(&db).await {
                tracing::error!(error = %e, "reading the territories failed; the last read stay in force");
            }
            run_once(&db, &rule_sets, retention_days, refresh_every).await;
            tokio::time::sleep(refresh_every).await;
        }
    })
}

async fn run_once(db: &Db, rule_sets: &RuleSets, retention_days: u32, refresh_every: Duration) {
    let now = db.now_local();
    let today = now.date();
    if let Err(e) = apply_newer_rules(db, rule_sets).await {
        tracing::error!(error = %e, "planning reminders under the newer rules failed");
    }
    // The purge first: it forgets the kept clusters (they name places), and
    // the refresh below computes them again from what is left.
    if now.hour() >= PURGE_HOUR {
        daily_purge(db, today, retention_days).await;
    }
    if !claimed(claim_refresh(db, refresh_every).await, REFRESH_PERIOD) {
        return;
    }
    match relais_store::lends::apply_shares(db).await {
        Ok(0) => {}
        Ok(lent) => tracing::info!(lent, "new cases lent under shares of mutual aid"),
        Err(e) => tracing::error!(error = %e, "lending the shares of new cases failed"),
    }
    let started = Instant::now();
    match figures::refresh_recent(db, today).await {
        Ok(refreshed) => tracing::debug!(
            cases = refreshed.cases,
            days = refreshed.days,
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

/// When the operator applies newer sets to follow-ups in progress and the
/// set in force today was not applied yet (claimed by one node): plans
/// again the reminders of every contact told in the last
/// [`FOLLOW_UP_DAYS`] whose case's J0 falls under an older set. Returns how
/// many contacts were planned again.
pub async fn apply_newer_rules(db: &Db, rule_sets: &RuleSets) -> anyhow::Result<usize> {
    if rule_sets.on_newer() != OnNewerRules::Apply {
        return Ok(0);
    }
    let today = db.today_paris();
    let current = rule_sets.select(today);
    if settings::read(db, RULES_APPLIED).await?.as_deref() == Some(current.id.as_str()) {
        return Ok(0);
    }
    let since = db.now() - FOLLOW_UP_DAYS * 86_400;
    let (mut looked_at, mut scheduled, mut cancelled) = (0, 0, 0);
    for contact_id in follow_up::contacts_notified_since(db, since).await? {
        let Some(notified) = follow_up::load_notified_contact(db, contact_id).await? else {
            continue;
        };
        if rule_sets.select(notified.case_situation.j0()).id == current.id {
            continue;
        }
        looked_at += 1;
        let assessment = notified.assess(rule_sets, &notified.exposure(today), today);
        let plan = schedule::ContactSchedule::of(
            assessment.quarantine.as_ref(),
            notified.notified_on.unwrap_or(today),
        );
        let done = schedule::reschedule_contact(db, contact_id, &plan).await?;
        scheduled += done.scheduled;
        cancelled += done.cancelled;
    }
    // Written once done: a pass cut short runs again at the next turn (what
    // it did is not done twice: planning is idempotent).
    settings::claim(db, RULES_APPLIED, &current.id).await?;
    tracing::info!(
        rule_set = %current.id,
        contacts = looked_at,
        scheduled,
        cancelled,
        "reminders planned again under the rules now in force"
    );
    Ok(looked_at)
}

/// True for the one node that claims the current period of the refresh
/// (periods of `refresh_every`, counted from the Unix epoch by the
/// database's clock). A node's turns come at least `refresh_every` apart,
/// so a node alone claims each of its turns; of several nodes, the first in
/// each period does. A node that stops halfway leaves its marks for the
/// next period's.
pub async fn claim_refresh(db: &Db, refresh_every: Duration) -> Result<bool, StoreError> {
    let period = db.now().div_euclid(refresh_every.as_secs().max(1) as i64);
    settings::claim(db, REFRESH_PERIOD, &period.to_string()).await
}

/// Whether a job claimed through `setting` (its day, its period) is this
/// node's to run: not when another node claimed it first, nor when the
/// database could not be asked (said in the log).
fn claimed(claim: Result<bool, StoreError>, setting: &str) -> bool {
    claim.unwrap_or_else(|e| {
        tracing::error!(error = %e, setting, "a periodic job could not claim its turn");
        false
    })
}

/// The day's purge, when this node is the first to claim the day.
async fn daily_purge(db: &Db, today: time::Date, retention_days: u32) {
    if !claimed(
        settings::claim(db, PURGE_DAY, &today.to_string()).await,
        PURGE_DAY,
    ) {
        return;
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
