//! A newer rule set comes into force during a contact's follow-up. By
//! default (`RELAIS_RULES_ON_CHANGE=keep`) the contact keeps the set of the
//! case's J0 and their page says a newer set would change the
//! instructions; with `apply`, the page follows the newer set from the day
//! it takes effect, and the periodic job plans the reminders again under
//! it, once — on SQLite and PostgreSQL.

use crate::common::browser::main_of;
use crate::common::{engine_test, sql, today, TestServer};
use crate::contact_vaccination::notified_contact;
use relais::dates::{iso, long_date};
use relais::doctrine::OnNewerRules;
use relais::{Lang, RuleSets};
use relais_server::jobs::apply_newer_rules;
use time::Duration;

/// January 2022 in force from a year ago (an unvaccinated adult contact
/// quarantines), then March 2022 (no quarantine, one test) from `days`
/// days after today.
fn rules_changing_in(days: i64) -> RuleSets {
    let before = include_str!("../../../doctrine/2022-01.toml")
        .replacen("id = \"2022-01\"", "id = \"test-before\"", 1)
        .replacen(
            "effective = 2022-01-03",
            &format!("effective = {}", iso(today() - Duration::days(365))),
            1,
        );
    let after = include_str!("../../../doctrine/2022-03.toml")
        .replacen("id = \"2022-03\"", "id = \"test-after\"", 1)
        .replacen(
            "effective = 2022-03-21",
            &format!("effective = {}", iso(today() + Duration::days(days))),
            1,
        );
    RuleSets::with_files([("test-before.toml", before), ("test-after.toml", after)])
        .expect("valid operator sets")
}

const STAY_HOME: &str = "Restez chez vous jusqu";

/// The contact's page, read with a new link (the clock moved: the first
/// session is over).
async fn contact_page(server: &TestServer, contact_id: i64) -> String {
    let browser = server
        .contact_browser(relais::ids::ContactId(contact_id))
        .await;
    let (status, body) = browser.page("/contact").await;
    assert_eq!(status, 200);
    main_of(&body).to_owned()
}

engine_test!(
    by_default_a_follow_up_keeps_the_rules_of_j0_and_names_the_newer_set,
    |engine| async move {
        let rules = rules_changing_in(3);
        let server = TestServer::start_with_rules(engine, &[], rules.clone()).await;
        let (contact_id, _) = notified_contact(&server, "RC-KEEP").await;
        let planned = sql::scheduled_messages(&server.db, contact_id).await;
        assert!(!planned.is_empty(), "{engine:?}");
        server.db.clock().advance(Duration::days(4));
        let main = contact_page(&server, contact_id).await;
        assert!(main.contains(STAY_HOME), "{engine:?}: {main}");
        let since = long_date(today() + Duration::days(3), Lang::Fr);
        assert!(main.contains("Des règles plus récentes"), "{main}");
        assert!(main.contains(&since), "{since} in {main}");
        // The job does nothing under "keep".
        assert_eq!(apply_newer_rules(&server.db, &rules).await.unwrap(), 0);
        assert_eq!(
            sql::scheduled_messages(&server.db, contact_id).await,
            planned
        );
    }
);

engine_test!(
    applied_a_newer_set_changes_the_page_and_the_reminders_once,
    |engine| async move {
        let rules = rules_changing_in(3);
        let server = TestServer::start_with_rules(
            engine,
            &[("RELAIS_RULES_ON_CHANGE", "apply")],
            rules.clone(),
        )
        .await;
        let applied = rules.with_on_newer(OnNewerRules::Apply);
        let (contact_id, _) = notified_contact(&server, "RC-APPLY").await;
        // Before the newer set: January 2022's quarantine, as under "keep".
        let main = contact_page(&server, contact_id).await;
        assert!(main.contains(STAY_HOME), "{engine:?}: {main}");
        let planned = sql::scheduled_messages(&server.db, contact_id).await;
        assert!(planned.iter().all(|m| m.2 == "pending"), "{planned:?}");
        assert_eq!(
            apply_newer_rules(&server.db, &applied).await.unwrap(),
            0,
            "same set"
        );

        // From the day March 2022 takes effect: no quarantine; the page says
        // which rules apply, with no notice of a newer set.
        server.db.clock().advance(Duration::days(4));
        let main = contact_page(&server, contact_id).await;
        assert!(!main.contains(STAY_HOME), "{engine:?}: {main}");
        let since = long_date(today() + Duration::days(3), Lang::Fr);
        assert!(
            main.contains(&format!("Règles en vigueur depuis le {since}")),
            "{since} in {main}"
        );
        assert!(!main.contains("Des règles plus récentes"), "{main}");

        // The job plans the reminders again, once: those of the quarantine's
        // days still to come are cancelled.
        assert_eq!(apply_newer_rules(&server.db, &applied).await.unwrap(), 1);
        let after = sql::scheduled_messages(&server.db, contact_id).await;
        let now = server.db.now();
        let cancelled: Vec<_> = after.iter().filter(|m| m.2 == "cancelled").collect();
        let still_to_come = planned.iter().filter(|m| m.1 > now).count();
        assert!(still_to_come > 0, "{planned:?}");
        assert!(cancelled.len() >= still_to_come, "{engine:?}: {after:?}");
        assert_eq!(apply_newer_rules(&server.db, &applied).await.unwrap(), 0);
        assert_eq!(sql::scheduled_messages(&server.db, contact_id).await, after);
    }
);
