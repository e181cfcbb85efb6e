//! Who holds what. The store gives a tracer no exclusive lease on a case:
//! two tracers may open the same case, and the case's version decides
//! which change wins (the other is refused, see `versions`). A call takes a
//! case out of the first-call queue. A daily job is claimed by one node per
//! day through a setting; the outbox's claims are leases proper (see
//! `outbox`). A case's link locks after too many wrong dates of birth,
//! however many tries arrive at once, until a tracer unlocks it.

use crate::common::{create_case, declare_contact, scoped, tracer, version_of};
use relais::desk::calls::{CallOutcome, Queue, NO_ANSWER_RETRY_SECONDS};
use relais::ids::CaseId;
use relais::Classification;
use relais_store::attempts::{is_rate_limited, AttemptKind, RateLimit};
use relais_store::contacts::{list_contacts, save_contact};
use relais_store::declaration::{Editor, SaveOutcome};
use relais_store::desk::changes::{close_case, record_call, resend_link, unlock_link, Change};
use relais_store::desk::queue::{queue_counts, queue_page, QueueQuery};
use relais_store::links::{confirm_birth_date, resolve_case_link, CaseLink, Proof};
use relais_store::scope::Scope;
use relais_store::sessions::{session_subject, SessionSubject};
use relais_store::{settings, Db};
use std::sync::Arc;
use tokio::sync::Barrier;

per_engine! {
    concurrent_tracers_one_change_wins => concurrent_tracers_one_change_wins_sqlite,
        concurrent_tracers_one_change_wins_postgres;
    a_call_takes_the_case_out_of_the_first_queue
        => a_call_takes_the_case_out_of_the_first_queue_sqlite,
        a_call_takes_the_case_out_of_the_first_queue_postgres;
    tracers_call_different_cases_at_once => tracers_call_different_cases_at_once_sqlite,
        tracers_call_different_cases_at_once_postgres;
    a_double_click_on_resend_queues_two_links
        => a_double_click_on_resend_queues_two_links_sqlite,
        a_double_click_on_resend_queues_two_links_postgres;
    one_node_claims_a_days_job => one_node_claims_a_days_job_sqlite,
        one_node_claims_a_days_job_postgres;
    wrong_birth_dates_lock_the_link_until_a_tracer_unlocks
        => wrong_birth_dates_lock_the_link_until_a_tracer_unlocks_sqlite,
        wrong_birth_dates_lock_the_link_until_a_tracer_unlocks_postgres;
    a_right_date_among_parallel_wrong_ones_does_not_pass_the_lock
        => a_right_date_among_parallel_wrong_ones_does_not_pass_the_lock_sqlite,
        a_right_date_among_parallel_wrong_ones_does_not_pass_the_lock_postgres;
    a_birth_date_is_proven_in_one_commit => a_birth_date_is_proven_in_one_commit_sqlite,
        a_birth_date_is_proven_in_one_commit_postgres;
}

fn first_queue() -> QueueQuery {
    QueueQuery {
        queue: Queue::First,
        status: None,
        list_ready: None,
        locked_only: false,
        lookup: None,
        after: None,
        limit: 50,
    }
}

/// Two tracers on the same case, same version, at the same instant: exactly
/// one change is written, the other is refused, round after round.
async fn concurrent_tracers_one_change_wins(db: Db) {
    const ROUNDS: usize = 8;
    let tracers = [tracer(&db, "anna").await, tracer(&db, "bruno").await];
    let case = create_case(&db, "L-1").await;
    let start = version_of(&db, case).await;
    for round in 0..ROUNDS {
        let version = version_of(&db, case).await;
        let barrier = Arc::new(Barrier::new(tracers.len()));
        let tasks: Vec<_> = tracers
            .iter()
            .enumerate()
            .map(|(i, &staff_user_id)| {
                let (db, barrier) = (db.clone(), barrier.clone());
                tokio::spawn(async move {
                    let input = crate::common::contact_input(
                        &format!("R{round}T{i}"),
                        &format!("+336{:02}{:06}", round, i),
                    );
                    barrier.wait().await;
                    save_contact(
                        &db,
                        case,
                        None,
                        "",
                        &input,
                        Classification::AtRisk,
                        Editor::Staff {
                            staff_user_id,
                            version,
                        },
                    )
                    .await
                    .expect("save")
                })
            })
            .collect();
        let mut outcomes = Vec::new();
        for task in tasks {
            outcomes.push(task.await.expect("task"));
        }
        let saved = outcomes
            .iter()
            .filter(|o| matches!(o, SaveOutcome::Saved(_)))
            .count();
        let refused = outcomes
            .iter()
            .filter(|o| **o == SaveOutcome::Conflict)
            .count();
        assert_eq!((saved, refused), (1, 1), "round {round}: {outcomes:?}");
        assert_eq!(version_of(&db, case).await, version + 1);
    }
    assert_eq!(list_contacts(&db, case).await.unwrap().len(), ROUNDS);
    assert_eq!(version_of(&db, case).await, start + ROUNDS as i64);
}

/// A call that did not reach the case moves it from the first queue to the
/// second, due later; a closed case takes no call.
async fn a_call_takes_the_case_out_of_the_first_queue(db: Db) {
    let anna = tracer(&db, "anna").await;
    let unreached = create_case(&db, "L-2a").await;
    let reached = create_case(&db, "L-2b").await;
    declare_contact(&db, reached, "Léa", "+33611111111").await;
    let ids = |page: relais_store::desk::queue::QueuePage| {
        page.rows.iter().map(|r| r.id).collect::<Vec<_>>()
    };
    let page = queue_page(&db, Scope::whole_country(), &first_queue())
        .await
        .unwrap();
    assert_eq!(ids(page), vec![unreached, reached]);

    let before = db.now();
    assert_eq!(
        record_call(
            &db,
            anna,
            scoped(&db, unreached).await,
            CallOutcome::NoAnswer,
            None
        )
        .await
        .unwrap(),
        Change::Done
    );
    let page = queue_page(&db, Scope::whole_country(), &first_queue())
        .await
        .unwrap();
    assert_eq!(ids(page), vec![reached]);
    let second = queue_page(
        &db,
        Scope::whole_country(),
        &QueueQuery {
            queue: Queue::Second,
            ..first_queue()
        },
    )
    .await
    .unwrap();
    assert_eq!(second.rows.len(), 1);
    let row = &second.rows[0];
    assert_eq!((row.id, row.queue.as_str()), (unreached, "second"));
    assert_eq!(row.last_call_outcome.as_deref(), Some("no_answer"));
    let due = row.call_back_at.expect("a time to call back");
    assert!(
        (before + NO_ANSWER_RETRY_SECONDS..=db.now() + NO_ANSWER_RETRY_SECONDS).contains(&due),
        "call back at {due}, called at {before}"
    );
    let counts = queue_counts(&db, Scope::whole_country()).await.unwrap();
    assert_eq!((counts.first, counts.second, counts.second_due), (1, 1, 0));

    assert_eq!(
        record_call(
            &db,
            anna,
            scoped(&db, reached).await,
            CallOutcome::Reached,
            None
        )
        .await
        .unwrap(),
        Change::Done
    );
    assert!(queue_page(&db, Scope::whole_country(), &first_queue())
        .await
        .unwrap()
        .rows
        .is_empty());
    let case = relais_store::desk::case_file::load_case(&db, scoped(&db, reached).await)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (case.queue.as_str(), case.status.as_str()),
        ("done", "in_progress")
    );

    let v = version_of(&db, unreached).await;
    assert_eq!(
        close_case(&db, anna, scoped(&db, unreached).await, v)
            .await
            .unwrap(),
        Change::Done
    );
    assert_eq!(
        record_call(
            &db,
            anna,
            scoped(&db, unreached).await,
            CallOutcome::Reached,
            None
        )
        .await
        .unwrap(),
        Change::NotFound
    );
    assert_eq!(
        queue_counts(&db, Scope::whole_country())
            .await
            .unwrap()
            .second,
        0
    );
}

/// Tracers recording calls on different cases at the same instant (a
/// morning at the peak): every call is recorded, none is refused for the
/// others' writes.
async fn tracers_call_different_cases_at_once(db: Db) {
    const TRACERS: usize = 8;
    let mut pairs = Vec::new();
    for i in 0..TRACERS {
        let staff = tracer(&db, &format!("tracer{i}")).await;
        pairs.push((staff, create_case(&db, &format!("L-5-{i}")).await));
    }
    let barrier = Arc::new(Barrier::new(TRACERS));
    let tasks: Vec<_> = pairs
        .iter()
        .map(|&(staff, case)| {
            let (db, barrier) = (db.clone(), barrier.clone());
            tokio::spawn(async move {
                barrier.wait().await;
                record_call(
                    &db,
                    staff,
                    scoped(&db, case).await,
                    CallOutcome::NoAnswer,
                    None,
                )
                .await
            })
        })
        .collect();
    let mut failures = Vec::new();
    for task in tasks {
        match task.await.expect("task") {
            Ok(Change::Done) => {}
            other => failures.push(format!("{other:?}")),
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {TRACERS} calls not recorded: {:?}",
        failures.len(),
        failures.first()
    );
    let counts = queue_counts(&db, Scope::whole_country()).await.unwrap();
    assert_eq!((counts.first, counts.second), (0, TRACERS as i64));
}

/// Several nodes start the same daily job at once: one claims the day.
async fn one_node_claims_a_days_job(db: Db) {
    const NODES: usize = 6;
    let barrier = Arc::new(Barrier::new(NODES));
    let tasks: Vec<_> = (0..NODES)
        .map(|_| {
            let (db, barrier) = (db.clone(), barrier.clone());
            tokio::spawn(async move {
                barrier.wait().await;
                settings::claim(&db, "test_job_day", "2026-12-01")
                    .await
                    .expect("claim")
            })
        })
        .collect();
    let mut won = 0;
    for task in tasks {
        won += usize::from(task.await.expect("task"));
    }
    assert_eq!(won, 1, "exactly one node runs the day's job");
    assert!(!settings::claim(&db, "test_job_day", "2026-12-01")
        .await
        .unwrap());
    assert!(settings::claim(&db, "test_job_day", "2026-12-02")
        .await
        .unwrap());
    assert_eq!(
        settings::read(&db, "test_job_day")
            .await
            .unwrap()
            .as_deref(),
        Some("2026-12-02")
    );
}

/// One try of `date` on `case`, as the link's page makes it, from an
/// address no other try of these tests uses.
async fn try_date(db: &Db, case: CaseId, date: &str) -> Proof {
    confirm_birth_date(db, case, date, "ip-try")
        .await
        .expect("try")
}

/// An attacker holding a link posts 200 dates at once, the right one
/// among them (issue 21): at most five tries are ever compared before the
/// lock, so the right date gets through only when it is among the first
/// five counted (1 chance in 40), never after the lock. Ten rounds: when it
/// does not get through, exactly four were told how many tries are left
/// and the link ends locked.
async fn a_right_date_among_parallel_wrong_ones_does_not_pass_the_lock(db: Db) {
    const TRIES: usize = 200;
    let mut confirmed_rounds = 0;
    for round in 0..10 {
        let case = create_case(&db, &format!("RACE-{round}")).await;
        let barrier = Arc::new(Barrier::new(TRIES));
        let tasks: Vec<_> = (0..TRIES)
            .map(|i| {
                let (db, barrier) = (db.clone(), barrier.clone());
                // new_case's date of birth is 1980-01-02.
                let date = if i == TRIES / 2 {
                    "1980-01-02"
                } else {
                    "1999-09-09"
                };
                tokio::spawn(async move {
                    barrier.wait().await;
                    confirm_birth_date(&db, case, date, &format!("ip-{i}"))
                        .await
                        .expect("check")
                })
            })
            .collect();
        let (mut wrong, mut confirmed) = (0, 0);
        for task in tasks {
            match task.await.expect("task") {
                Proof::Wrong { .. } => wrong += 1,
                Proof::Confirmed { .. } => confirmed += 1,
                Proof::Locked => {}
            }
        }
        assert!(confirmed <= 1);
        if confirmed == 0 {
            assert_eq!(wrong, 4, "round {round}: four compared before the lock");
            assert_eq!(try_date(&db, case, "1980-01-02").await, Proof::Locked);
        }
        confirmed_rounds += confirmed;
    }
    assert!(
        confirmed_rounds <= 3,
        "the right date passed {confirmed_rounds} times in 10 rounds"
    );
}

/// The proof of a date of birth (issue 22: one commit, one writer's turn on
/// SQLite): each try counts against its address with the case's count, a
/// right date opens the case's session and counts as no failure, and a try
/// that ends in an error (its case gone) is answered by no verdict and
/// counts nothing.
async fn a_birth_date_is_proven_in_one_commit(db: Db) {
    let case = create_case(&db, "L-ONE").await;
    let one = RateLimit {
        max_failures: 1,
        window_seconds: 3600,
    };
    let two = RateLimit {
        max_failures: 2,
        ..one
    };
    let limited = |ip: &'static str, limit| {
        let db = db.clone();
        async move {
            is_rate_limited(&db, AttemptKind::BirthDate, ip, limit)
                .await
                .unwrap()
        }
    };
    assert!(!limited("ip-a", one).await);

    assert_eq!(
        confirm_birth_date(&db, case, "1999-09-09", "ip-a")
            .await
            .unwrap(),
        Proof::Wrong { tries_left: 4 }
    );
    assert!(limited("ip-a", one).await, "the wrong try counts");
    assert!(!limited("ip-b", one).await, "against its address only");

    // new_case's date of birth is 1980-01-02.
    let Proof::Confirmed { session } = confirm_birth_date(&db, case, "1980-01-02", "ip-a")
        .await
        .unwrap()
    else {
        panic!("the right date is confirmed");
    };
    assert_eq!(
        session_subject(&db, &session).await.unwrap(),
        Some(SessionSubject::Case(case))
    );
    assert!(!limited("ip-a", two).await, "the right try is no failure");
    assert_eq!(
        try_date(&db, case, "1999-09-09").await,
        Proof::Wrong { tries_left: 4 },
        "the right date reset the case's count"
    );

    let gone = create_case(&db, "L-GONE").await;
    crate::sql::delete_case(&db, gone).await.unwrap();
    assert!(confirm_birth_date(&db, gone, "1980-01-02", "ip-c")
        .await
        .is_err());
    assert!(!limited("ip-c", one).await, "an error counts no try");
    assert_eq!(
        crate::sql::sessions(&db).await.unwrap(),
        1,
        "one session only, the confirmed one"
    );
}

/// Ten wrong dates of birth at once: four are told how many tries are
/// left (4, 3, 2, 1), the others find the link locked; then even the
/// right date is refused until a tracer unlocks the link.
async fn wrong_birth_dates_lock_the_link_until_a_tracer_unlocks(db: Db) {
    const TRIES: usize = 10;
    let anna = tracer(&db, "anna").await;
    let case = create_case(&db, "L-4").await;
    let token = relais_store::cases::issue_case_link(&db, case)
        .await
        .unwrap();
    let barrier = Arc::new(Barrier::new(TRIES));
    let tasks: Vec<_> = (0..TRIES)
        .map(|_| {
            let (db, barrier) = (db.clone(), barrier.clone());
            tokio::spawn(async move {
                barrier.wait().await;
                try_date(&db, case, "1999-09-09").await
            })
        })
        .collect();
    let mut left = Vec::new();
    let mut locked = 0;
    for task in tasks {
        match task.await.expect("task") {
            Proof::Wrong { tries_left } => left.push(tries_left),
            Proof::Locked => locked += 1,
            Proof::Confirmed { .. } => panic!("a wrong date was confirmed"),
        }
    }
    left.sort_unstable();
    assert_eq!(left, vec![1, 2, 3, 4]);
    assert_eq!(locked, TRIES - 4);
    assert_eq!(try_date(&db, case, "1980-01-02").await, Proof::Locked);
    assert_eq!(
        resolve_case_link(&db, &token.token).await.unwrap(),
        CaseLink::Open {
            case_id: case,
            locked: true
        }
    );

    assert_eq!(
        unlock_link(&db, anna, scoped(&db, case).await)
            .await
            .unwrap(),
        Change::Done
    );
    assert_eq!(
        resolve_case_link(&db, &token.token).await.unwrap(),
        CaseLink::Open {
            case_id: case,
            locked: false
        }
    );
    assert_eq!(
        try_date(&db, case, "1999-09-09").await,
        Proof::Wrong { tries_left: 4 },
        "the count starts again"
    );
    assert!(matches!(
        try_date(&db, case, "1980-01-02").await,
        Proof::Confirmed { .. }
    ));
}

/// Two "resend the link" of one case at the same moment (a double click, two
/// tracers): both are done, each with its own invitation, none refused.
async fn a_double_click_on_resend_queues_two_links(db: Db) {
    const CLICKS: usize = 4;
    let staff = tracer(&db, "tracer-resend").await;
    let case = create_case(&db, "L-6").await;
    let before = crate::sql::outbox(&db).await.unwrap().len();
    let barrier = Arc::new(Barrier::new(CLICKS));
    let tasks: Vec<_> = (0..CLICKS)
        .map(|_| {
            let (db, barrier) = (db.clone(), barrier.clone());
            tokio::spawn(async move {
                barrier.wait().await;
                resend_link(&db, staff, scoped(&db, case).await).await
            })
        })
        .collect();
    for task in tasks {
        assert!(
            matches!(task.await.expect("task"), Ok(Change::Done)),
            "every resend is done"
        );
    }
    let keys: std::collections::BTreeSet<String> = crate::sql::outbox(&db)
        .await
        .unwrap()
        .into_iter()
        .filter_map(|m| m.dedupe_key)
        .filter(|k| k.starts_with("case_invitation:"))
        .collect();
    assert_eq!(
        crate::sql::outbox(&db).await.unwrap().len(),
        before + CLICKS,
        "one invitation per click"
    );
    assert_eq!(
        keys.len(),
        before + CLICKS,
        "distinct dedupe keys: {keys:?}"
    );
}
