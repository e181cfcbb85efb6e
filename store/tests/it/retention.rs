//! The purge: everything collected before the retention period goes, with
//! all that hangs off it; what is recent stays; the figures of the purged
//! days are kept, frozen; the audit keeps its lines.

use crate::common::{create_case, declare_contact, new_case, scoped, today, tracer, version_of};
use crate::sql::{self, Of};
use relais::desk::calls::CallOutcome;
use relais::place_form::{PlaceInput, PlaceKind};
use relais_store::attempts::record_birth_date_attempt;
use relais_store::desk::case_file::{load_case, load_case_file};
use relais_store::desk::changes::record_call;
use relais_store::desk::notify::{validate_list, Decision};
use relais_store::figures::{self, day_of, day_start, figures_between};
use relais_store::links::{resolve_case_link, CaseLink};
use relais_store::retention::{
    cases_to_purge, first_kept_day, purge, BATCH, DEFAULT_RETENTION_DAYS,
};
use relais_store::schedule::ContactSchedule;
use relais_store::scope::Scope;
use relais_store::sessions::{open_session, session_subject, SessionSubject};
use relais_store::Db;
use time::Duration;

per_engine! {
    purge_deletes_old_cases_and_keeps_recent_ones
        => purge_deletes_old_cases_and_keeps_recent_ones_sqlite,
        purge_deletes_old_cases_and_keeps_recent_ones_postgres;
    purge_cuts_at_the_first_kept_days_midnight
        => purge_cuts_at_the_first_kept_days_midnight_sqlite,
        purge_cuts_at_the_first_kept_days_midnight_postgres;
    purge_goes_in_batches => purge_goes_in_batches_sqlite, purge_goes_in_batches_postgres;
}

use relais::ids::{CaseId, StaffId};

/// What a case collects in its life: a contact, a place, a link, a
/// session, a call, a tracer's look, a validated list (an SMS queued).
struct Lived {
    case: CaseId,
    link: String,
    session: String,
}

async fn live_a_case(db: &Db, reference: &str, staff: StaffId, phone: &str) -> Lived {
    let case = create_case(db, reference).await;
    let contact = declare_contact(db, case, "Léa", phone).await;
    let place = PlaceInput {
        kind: PlaceKind::Restaurant,
        name: "Chez Paul".to_owned(),
        town: "Lyon".to_owned(),
        visited_on: today() - Duration::days(3),
        attendance: Some(20),
        indoors: true,
        masks: Some(false),
    };
    relais_store::places::save_place(db, case, None, "", &place)
        .await
        .unwrap();
    let link = relais_store::cases::issue_case_link(db, case)
        .await
        .unwrap()
        .token;
    let session = open_session(db, SessionSubject::Case(case)).await.unwrap();
    record_call(
        db,
        staff,
        scoped(db, case).await,
        CallOutcome::Reached,
        None,
    )
    .await
    .unwrap();
    load_case_file(db, staff, scoped(db, case).await)
        .await
        .unwrap();
    let v = version_of(db, case).await;
    let decision = Decision {
        contact_id: contact,
        at_risk: true,
        schedule: ContactSchedule::default(),
    };
    let validated = validate_list(db, staff, scoped(db, case).await, v, &[decision], None)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(validated.queued, 1);
    Lived {
        case,
        link,
        session,
    }
}

async fn rows(db: &Db, case: CaseId) -> Vec<(Of, i64)> {
    let mut counts = Vec::new();
    for of in [
        Of::Contacts,
        Of::Places,
        Of::Links,
        Of::Sessions,
        Of::Calls,
        Of::Views,
        Of::Outbox,
        Of::Audit,
    ] {
        counts.push((of, sql::rows_of_case(db, of, case).await.unwrap()));
    }
    counts
}

async fn purge_deletes_old_cases_and_keeps_recent_ones(db: Db) {
    let anna = tracer(&db, "anna").await;
    // The old case lived ten days beyond the retention period: the clock
    // goes back for it, then forward again for the recent one.
    let back = Duration::days(i64::from(DEFAULT_RETENTION_DAYS) + 10);
    db.clock().advance(-back);
    let old_at = db.now();
    let old = live_a_case(&db, "OLD-1", anna, "+33611111111").await;
    relais_store::replies::opt_out(&db, "+33699999999")
        .await
        .unwrap();
    record_birth_date_attempt(&db, Some(old.case), "ip-old", false)
        .await
        .unwrap();
    db.clock().advance(back);
    let recent = live_a_case(&db, "NEW-1", anna, "+33622222222").await;
    record_birth_date_attempt(&db, Some(recent.case), "ip-new", false)
        .await
        .unwrap();
    let recent_rows = rows(&db, recent.case).await;
    assert!(recent_rows.iter().all(|(_, n)| *n > 0), "{recent_rows:?}");
    let old_audit = sql::rows_of_case(&db, Of::Audit, old.case).await.unwrap();

    let first_kept = first_kept_day(today(), DEFAULT_RETENTION_DAYS);
    assert_eq!(cases_to_purge(&db, first_kept).await.unwrap(), 1);
    let mut progress = Vec::new();
    let report = purge(&db, first_kept, |n| progress.push(n)).await.unwrap();
    assert_eq!(report.first_kept, Some(first_kept));
    assert_eq!(report.cases, 1);
    assert_eq!(report.messages, 1, "the old case's notification");
    assert_eq!(report.other_rows, 2, "the old opt-out and attempt");
    assert_eq!(progress.last(), Some(&1));

    // The old case and everything of it are gone, but its audit lines.
    assert!(
        relais_store::scope::case_in_scope(&db, Scope::whole_country(), old.case)
            .await
            .unwrap()
            .is_none()
    );
    for (of, n) in rows(&db, old.case).await {
        let expected = if of == Of::Audit { old_audit } else { 0 };
        assert_eq!(n, expected, "{of:?} of the purged case");
    }
    assert_eq!(
        resolve_case_link(&db, &old.link).await.unwrap(),
        CaseLink::Invalid
    );
    assert_eq!(session_subject(&db, &old.session).await.unwrap(), None);
    assert!(!relais_store::replies::is_opted_out(&db, "+33699999999")
        .await
        .unwrap());

    // The recent one is whole.
    assert_eq!(rows(&db, recent.case).await, recent_rows);
    assert!(matches!(
        resolve_case_link(&db, &recent.link).await.unwrap(),
        CaseLink::Open { case_id, .. } if case_id == recent.case
    ));
    assert_eq!(
        session_subject(&db, &recent.session).await.unwrap(),
        Some(SessionSubject::Case(recent.case))
    );
    assert_eq!(sql::other_rows(&db).await.unwrap(), 1);
    assert_eq!(relais_store::cases::count_cases(&db).await.unwrap(), 1);

    // The purged day's figures were computed before, and stay frozen.
    assert_eq!(figures::purged_before(&db).await.unwrap(), Some(first_kept));
    let old_day = day_of(old_at);
    let (days, _) = figures_between(
        &db,
        relais_store::scope::Scope::whole_country(),
        old_day,
        old_day,
    )
    .await
    .unwrap();
    assert_eq!(days.len(), 1);
    assert_eq!(
        (
            days[0].cases,
            days[0].contacts_declared,
            days[0].contacts_validated
        ),
        (1, 1, 1)
    );
    assert_eq!(figures::refresh_days(&db, [old_day]).await.unwrap(), 0);
    let (days, _) = figures_between(
        &db,
        relais_store::scope::Scope::whole_country(),
        old_day,
        old_day,
    )
    .await
    .unwrap();
    assert_eq!(days[0].cases, 1, "not recomputed from the emptied tables");

    // Again: nothing more to do.
    let again = purge(&db, first_kept, |_| {}).await.unwrap();
    assert_eq!((again.cases, again.messages, again.other_rows), (0, 0, 0));
    assert_eq!(relais_store::cases::count_cases(&db).await.unwrap(), 1);
}

/// Collected one second before the first kept day (Paris midnight): gone;
/// at that midnight: kept.
async fn purge_cuts_at_the_first_kept_days_midnight(db: Db) {
    let first_kept = first_kept_day(today(), DEFAULT_RETENTION_DAYS);
    let midnight = day_start(first_kept);
    let now = db.now();
    db.clock().set(midnight - 1);
    let before = create_case(&db, "EDGE-A").await;
    db.clock().set(midnight);
    let at = create_case(&db, "EDGE-B").await;
    db.clock().set(now);
    assert_eq!(cases_to_purge(&db, first_kept).await.unwrap(), 1);
    let report = purge(&db, first_kept, |_| {}).await.unwrap();
    assert_eq!(report.cases, 1);
    assert!(
        relais_store::scope::case_in_scope(&db, Scope::whole_country(), before)
            .await
            .unwrap()
            .is_none()
    );
    assert!(load_case(&db, scoped(&db, at).await)
        .await
        .unwrap()
        .is_some());
}

/// More old cases than one batch: two transactions, progress after each.
async fn purge_goes_in_batches(db: Db) {
    let n = usize::try_from(BATCH).unwrap() + 1;
    let cases: Vec<_> = (0..n).map(|i| new_case(&format!("B-{i:04}"))).collect();
    db.clock().advance(Duration::days(-200));
    relais_store::cases::create_cases(&db, &cases)
        .await
        .unwrap();
    db.clock().advance(Duration::days(200));
    let kept = create_case(&db, "KEEP-1").await;
    let first_kept = first_kept_day(today(), DEFAULT_RETENTION_DAYS);
    let mut progress = Vec::new();
    let report = purge(&db, first_kept, |done| progress.push(done))
        .await
        .unwrap();
    assert_eq!(report.cases, n as u64);
    assert_eq!(progress, vec![BATCH as u64, n as u64]);
    assert_eq!(relais_store::cases::count_cases(&db).await.unwrap(), 1);
    assert!(load_case(&db, scoped(&db, kept).await)
        .await
        .unwrap()
        .is_some());
}
