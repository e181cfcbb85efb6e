//! Retention: `relais purge` deletes the personal data collected before the
//! period and nothing younger; the daily figures survive unchanged — on
//! SQLite and PostgreSQL. Every text column of every table is searched for
//! what the old dataset held.

use crate::common::{dataset, engine_test, fresh_database, sql};
use relais_store::{figures, Db};
use std::collections::BTreeMap;
use std::process::Command;
use time::{Date, Duration};

const OLD: &str = "Zancien";
const OLD_PHONES: &str = "+3363912";
const RECENT: &str = "Zrecent";
const RECENT_PHONES: &str = "+3363934";

/// How many values of each text column contain `needle` (any case); only
/// the columns where some do.
async fn occurrences(db: &Db, needle: &str) -> BTreeMap<String, i64> {
    let mut found = BTreeMap::new();
    for (table, column) in sql::text_columns(db).await {
        let n = sql::values_containing(db, &table, &column, needle).await;
        if n > 0 {
            found.insert(format!("{table}.{column}"), n);
        }
    }
    found
}

fn relais_purge(url: &str) -> (i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_relais"))
        .arg("purge")
        .env("RELAIS_DATABASE_URL", url)
        .env("RELAIS_RETENTION_DAYS", "90")
        .env("RELAIS_LOG", "warn")
        .output()
        .expect("relais purge runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

async fn all_figures(db: &Db, today: Date) -> Vec<relais::figures::DayFigures> {
    figures::figures_between(
        db,
        relais_store::scope::Scope::whole_country(),
        today - Duration::days(400),
        today,
    )
    .await
    .unwrap()
    .0
}

engine_test!(
    the_purge_leaves_no_personal_data_older_than_the_period_and_keeps_the_figures,
    |engine| async move {
        let fresh = fresh_database(engine).await;
        let db = Db::connect(&fresh.url).await.unwrap();
        db.migrate().await.unwrap();
        let today = db.today_paris();
        let old_day = today - Duration::days(120);
        let recent_day = today - Duration::days(3);
        let old = dataset::write(&db, old_day, OLD, 12).await;
        dataset::write(&db, recent_day, RECENT, 34).await;
        // Staff traces of an old case: a draft, a view, the audit trail.
        let hash = relais_store::security::password::hash_password("retention-password-1").unwrap();
        let staff = relais_store::staff::create_staff_user(
            &db,
            "ret",
            "ret",
            relais::roles::StaffRole::Tracer,
            relais_store::organisations::NATIONAL,
            &hash,
        )
        .await
        .unwrap()
        .get();
        sql::insert_staff_draft(&db, staff, old.cases[0], &format!("{{\"note\":\"{OLD}\"}}")).await;
        sql::record_contact_view(&db, staff, old.cases[0], old.contacts[0]).await;
        figures::refresh_recent(&db, today).await.unwrap();
        let figures_before = all_figures(&db, today).await;
        let (old_figures, _) = dataset::expected(old_day);
        assert!(
            figures_before.contains(&old_figures),
            "{engine:?}: the old day was aggregated"
        );
        let recent_before = occurrences(&db, RECENT).await;
        let recent_phones_before = occurrences(&db, RECENT_PHONES).await;
        // The clusters kept for the page (derived from the places).
        relais_store::clusters::refresh_recent(&db, today)
            .await
            .unwrap();
        for table in [
            "cases",
            "contacts",
            "places",
            "sms_outbox",
            "sms_replies",
            "sms_opt_outs",
            "staff_drafts",
        ] {
            assert!(
                occurrences(&db, OLD)
                    .await
                    .keys()
                    .chain(occurrences(&db, OLD_PHONES).await.keys())
                    .any(|k| k.starts_with(&format!("{table}."))),
                "{engine:?}: the old dataset has personal data in {table}"
            );
        }

        let (code, out) = relais_purge(&fresh.url);
        assert_eq!(code, 0, "{out}");
        assert!(out.contains("deleted 4 cases"), "{out}");

        // Nothing of the old dataset is left in any text column.
        assert_eq!(occurrences(&db, OLD).await, BTreeMap::new(), "{engine:?}");
        assert_eq!(
            occurrences(&db, OLD_PHONES).await,
            BTreeMap::new(),
            "{engine:?}"
        );
        assert_eq!(
            occurrences(&db, "1961-02-03-zancien").await,
            BTreeMap::new()
        );
        // The clusters kept for the page are forgotten until the next refresh.
        let kept = sql::count_recent_clusters(&db).await;
        assert_eq!(kept, 0);
        // The recent dataset is untouched.
        assert_eq!(occurrences(&db, RECENT).await, recent_before, "{engine:?}");
        assert_eq!(occurrences(&db, RECENT_PHONES).await, recent_phones_before);
        // The figures, the old days' included, are the same.
        assert_eq!(all_figures(&db, today).await, figures_before, "{engine:?}");
        // The audit trail keeps who looked at which record, by id.
        let lines = sql::count_audit_of_contact(&db, old.cases[0], old.contacts[0]).await;
        assert_eq!(lines, 1);

        // Again: nothing more to delete; refreshing never recomputes the
        // emptied days (their figures would become zeros).
        let (code, out) = relais_purge(&fresh.url);
        assert_eq!(code, 0, "{out}");
        assert!(out.contains("deleted 0 cases"), "{out}");
        let saved = figures::refresh_days(&db, relais::dates::days_from(old_day).take(3))
            .await
            .unwrap();
        assert_eq!(saved, 0);
        figures::refresh_recent(&db, today).await.unwrap();
        assert_eq!(all_figures(&db, today).await, figures_before, "{engine:?}");
        db.close().await;
    }
);
