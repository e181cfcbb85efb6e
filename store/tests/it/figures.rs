//! The incremental refresh of the daily figures: what it saves always
//! equals a recount of the live tables, and it recomputes only the cases
//! that changed (each kind of change is seen, by the database's triggers).

use crate::common::{create_case, declare_contact, scoped, today, tracer, version_of};
use crate::sql;
use relais::desk::calls::CallOutcome;
use relais::figures::DayFigures;
use relais::ids::{CaseId, StaffId};
use relais_store::desk::changes::{record_call, remove_contact};
use relais_store::desk::notify::{validate_list, Decision};
use relais_store::figures::{compute_day, day_of, recompute_marked, refresh_recent, sum_day};
use relais_store::schedule::ContactSchedule;
use relais_store::scope::Scope;
use relais_store::Db;
use std::collections::BTreeSet;
use time::{Date, Duration};

per_engine! {
    the_refresh_agrees_with_a_recount_after_every_kind_of_change
        => the_refresh_agrees_with_a_recount_after_every_kind_of_change_sqlite,
        the_refresh_agrees_with_a_recount_after_every_kind_of_change_postgres;
    a_refresh_recomputes_only_the_cases_that_changed
        => a_refresh_recomputes_only_the_cases_that_changed_sqlite,
        a_refresh_recomputes_only_the_cases_that_changed_postgres;
    two_nodes_refreshing_at_once_both_succeed_and_write_each_share_once
        => two_nodes_refreshing_at_once_both_succeed_and_write_each_share_once_sqlite,
        two_nodes_refreshing_at_once_both_succeed_and_write_each_share_once_postgres;
}

/// Checks, for each of `days`, that the saved figures (summed from the
/// cases' shares) equal a recount from the live tables, by département and
/// summed as the dashboard reads them.
async fn assert_agrees(db: &Db, days: &[Date], when: &str) {
    for &day in days {
        let recount = compute_day(db, day).await.unwrap();
        assert_eq!(sum_day(db, day).await.unwrap(), recount, "{when}: {day}");
        let (saved, _) =
            relais_store::figures::figures_between(db, Scope::whole_country(), day, day)
                .await
                .unwrap();
        let mut total = DayFigures::empty(day);
        for (_, f) in &recount {
            total.absorb(f);
        }
        assert_eq!(saved, vec![total], "{when}: the saved row of {day}");
    }
}

async fn call(db: &Db, staff: StaffId, case: CaseId, outcome: CallOutcome) {
    record_call(db, staff, scoped(db, case).await, outcome, None)
        .await
        .unwrap();
}

/// A case created `days_ago`, with `contacts` contacts, called once
/// (reached); its list validated when `validate`.
async fn lived(db: &Db, staff: StaffId, name: &str, days_ago: i64, contacts: usize) -> CaseId {
    let now = db.now();
    db.clock().advance(-Duration::days(days_ago));
    let case = create_case(db, name).await;
    let mut decisions = Vec::new();
    for i in 0..contacts {
        let contact = declare_contact(db, case, "Léa", &format!("+3361234{i:04}")).await;
        decisions.push(Decision {
            contact_id: contact,
            at_risk: true,
            schedule: ContactSchedule::default(),
        });
    }
    db.clock().advance(Duration::hours(30));
    call(db, staff, case, CallOutcome::Reached).await;
    if !decisions.is_empty() {
        let v = version_of(db, case).await;
        validate_list(db, staff, scoped(db, case).await, v, &decisions, None)
            .await
            .unwrap()
            .unwrap();
    }
    db.clock().set(now);
    case
}

async fn the_refresh_agrees_with_a_recount_after_every_kind_of_change(db: Db) {
    let anna = tracer(&db, "anna").await;
    let a = lived(&db, anna, "FIG-A", 3, 2).await;
    let b = lived(&db, anna, "FIG-B", 2, 0).await;
    let c = lived(&db, anna, "FIG-C", 2, 1).await;
    let days: Vec<Date> = (0..5).map(|n| today() - Duration::days(n)).collect();

    let saved = refresh_recent(&db, today()).await.unwrap();
    assert_eq!(saved.cases, 3, "each case computed once");
    assert_eq!(
        saved.days, 14,
        "the 14 recent days have a row, two with cases"
    );
    assert_eq!(sql::marked_for_figures(&db).await.unwrap(), 0);
    assert_agrees(&db, &days, "first refresh").await;

    // A second call, a contact removed, a message sent, a case moved to a
    // département, a case deleted: each seen by the next refresh.
    call(&db, anna, b, CallOutcome::NoAnswer).await;
    let v = version_of(&db, a).await;
    let first_contact =
        relais_store::desk::case_file::load_case_file(&db, anna, scoped(&db, a).await)
            .await
            .unwrap()
            .expect("the case's file")
            .contacts[0]
            .contact
            .id;
    let removed = remove_contact(&db, anna, scoped(&db, a).await, v, first_contact)
        .await
        .unwrap();
    assert!(matches!(removed, relais_store::desk::changes::Change::Done));
    let marked = sql::marked_for_figures(&db).await.unwrap();
    let claimed = relais_store::outbox::claim_due(&db, "w", 100, 60)
        .await
        .unwrap();
    assert!(!claimed.is_empty(), "the validated lists queued messages");
    assert_eq!(
        sql::marked_for_figures(&db).await.unwrap(),
        marked,
        "claiming messages changes no figure: it marks no case"
    );
    for message in &claimed {
        relais_store::outbox::mark_sent(&db, message.id, "w")
            .await
            .unwrap();
    }
    sql::set_departement(&db, c, "69").await.unwrap();
    refresh_recent(&db, today()).await.unwrap();
    assert_agrees(&db, &days, "after the changes").await;
    let by_departement = sum_day(&db, today() - Duration::days(2)).await.unwrap();
    assert!(
        by_departement
            .iter()
            .any(|(d, f)| d == "69" && f.cases == 1),
        "{by_departement:?}"
    );

    sql::delete_case(&db, c).await.unwrap();
    refresh_recent(&db, today()).await.unwrap();
    assert_agrees(&db, &days, "after a case was deleted").await;
}

async fn a_refresh_recomputes_only_the_cases_that_changed(db: Db) {
    let anna = tracer(&db, "anna").await;
    let old = lived(&db, anna, "FIG-OLD", 20, 1).await;
    let recent = lived(&db, anna, "FIG-NEW", 1, 1).await;
    refresh_recent(&db, today()).await.unwrap();

    // Nothing changed: nothing recomputed, no day summed again.
    let mut touched = BTreeSet::new();
    assert_eq!(recompute_marked(&db, &mut touched).await.unwrap(), 0);
    assert!(touched.is_empty());
    let refreshed = refresh_recent(&db, today()).await.unwrap();
    assert_eq!((refreshed.cases, refreshed.days), (0, 0));

    // A call to the 20-day-old case: that case only, on its own day (an old
    // day too: no window to fall out of).
    let old_day = day_of(db.now() - 20 * 86_400);
    call(&db, anna, old, CallOutcome::Reached).await;
    assert_eq!(sql::marked_for_figures(&db).await.unwrap(), 1);
    let refreshed = refresh_recent(&db, today()).await.unwrap();
    assert_eq!((refreshed.cases, refreshed.days), (1, 1));
    assert_agrees(&db, &[old_day], "the old case called again").await;
    let (figures, _) =
        relais_store::figures::figures_between(&db, Scope::whole_country(), old_day, old_day)
            .await
            .unwrap();
    assert_eq!(figures[0].second_calls, 1);

    // A contact added to the recent case: its day only.
    declare_contact(&db, recent, "Noé", "+33698765432").await;
    let mut touched = BTreeSet::new();
    assert_eq!(recompute_marked(&db, &mut touched).await.unwrap(), 1);
    assert_eq!(touched, BTreeSet::from([day_of(db.now() - 86_400)]));
}

/// Two nodes' refreshes at the same time (each node runs one every five
/// minutes, and all start together after an upgrade): neither fails, each
/// case's share is written once, and the figures equal a recount.
async fn two_nodes_refreshing_at_once_both_succeed_and_write_each_share_once(db: Db) {
    let anna = tracer(&db, "anna").await;
    let cases = 120;
    for i in 0..cases {
        let case = create_case(&db, &format!("FIG-TWO-{i}")).await;
        if i % 3 == 0 {
            declare_contact(&db, case, "Léa", &format!("+3361200{i:04}")).await;
            call(&db, anna, case, CallOutcome::Reached).await;
        }
    }
    for round in 0..3 {
        let (first, second) =
            tokio::join!(refresh_recent(&db, today()), refresh_recent(&db, today()));
        let (first, second) = (first.unwrap(), second.unwrap());
        if round == 0 {
            assert_eq!(
                first.cases + second.cases,
                cases,
                "each case's share written by one of them"
            );
        }
        assert_eq!(sql::marked_for_figures(&db).await.unwrap(), 0);
        assert_agrees(&db, &[today()], "two refreshes at once").await;
        // Another change for the next round.
        let case = create_case(&db, &format!("FIG-TWO-NEXT-{round}")).await;
        call(&db, anna, case, CallOutcome::NoAnswer).await;
    }
}
