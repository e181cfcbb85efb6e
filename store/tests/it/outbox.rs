//! The SMS outbox: claims are leases (never two holders of one message), a
//! lease that runs out is taken again, and a dedupe key queues a message
//! once.

use crate::common::{create_case, declare_contact, new_case, scoped, tracer, version_of};
use crate::sql;
use relais::ids::MessageId;
use relais_store::desk::changes::{resend_link, Change};
use relais_store::desk::notify::{notification_key, validate_list, Decision};
use relais_store::intake::invitation_key;
use relais_store::outbox::{claim_due, mark_attempt_failed, mark_sent, queue_invitations};
use relais_store::schedule::ContactSchedule;
use relais_store::Db;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;
use time::Duration;
use tokio::sync::Barrier;

/// Past the 300 s leases the tests' claims take.
const BEYOND_LEASE: Duration = Duration::seconds(301);

per_engine! {
    concurrent_claimers_never_share_a_message
        => concurrent_claimers_never_share_a_message_sqlite,
        concurrent_claimers_never_share_a_message_postgres;
    an_expired_claim_is_taken_again => an_expired_claim_is_taken_again_sqlite,
        an_expired_claim_is_taken_again_postgres;
    a_failed_attempt_waits_then_gives_up => a_failed_attempt_waits_then_gives_up_sqlite,
        a_failed_attempt_waits_then_gives_up_postgres;
    a_dedupe_key_queues_once => a_dedupe_key_queues_once_sqlite,
        a_dedupe_key_queues_once_postgres;
    a_validation_queues_the_cases_check_ins_with_it
        => a_validation_queues_the_cases_check_ins_with_it_sqlite,
        a_validation_queues_the_cases_check_ins_with_it_postgres;
}

/// Queues one invitation, due now, for each of `n` new cases `prefix…`.
async fn queue_messages(db: &Db, prefix: &str, n: usize) -> Vec<MessageId> {
    let cases: Vec<_> = (0..n)
        .map(|i| new_case(&format!("{prefix}{i:04}")))
        .collect();
    relais_store::cases::create_cases(db, &cases).await.unwrap();
    let queued = queue_invitations(db, &format!("{prefix}%")).await.unwrap();
    assert_eq!(queued, n as u64);
    sql::outbox(db)
        .await
        .unwrap()
        .iter()
        .map(|m| m.id)
        .collect()
}

/// Two workers claim small batches at the same time until nothing is left:
/// each message is claimed by one of them, once.
async fn concurrent_claimers_never_share_a_message(db: Db) {
    const MESSAGES: usize = 120;
    const WORKERS: usize = 2;
    let all: BTreeSet<MessageId> = queue_messages(&db, "OB-", MESSAGES)
        .await
        .into_iter()
        .collect();
    let barrier = Arc::new(Barrier::new(WORKERS));
    let tasks: Vec<_> = (0..WORKERS)
        .map(|w| {
            let (db, barrier) = (db.clone(), barrier.clone());
            tokio::spawn(async move {
                let worker = format!("worker-{w}");
                let mut got = Vec::new();
                barrier.wait().await;
                loop {
                    let batch = claim_due(&db, &worker, 3, 300).await.expect("claim");
                    if batch.is_empty() {
                        break;
                    }
                    got.extend(batch.into_iter().map(|m| m.id));
                    tokio::task::yield_now().await;
                }
                (worker, got)
            })
        })
        .collect();
    let mut holder: BTreeMap<MessageId, String> = BTreeMap::new();
    let mut per_worker = Vec::new();
    for task in tasks {
        let (worker, got) = task.await.expect("task");
        per_worker.push(got.len());
        for id in got {
            if let Some(other) = holder.insert(id, worker.clone()) {
                panic!("message {id} claimed by {other} and by {worker}");
            }
        }
    }
    assert_eq!(holder.keys().copied().collect::<BTreeSet<_>>(), all);
    for row in sql::outbox(&db).await.unwrap() {
        assert_eq!(row.status, "sending");
        assert_eq!(row.attempts, 1, "message {} claimed more than once", row.id);
        assert_eq!(row.claimed_by.as_ref(), holder.get(&row.id));
    }
    eprintln!("claims per worker: {per_worker:?}");
    // Nothing is due while the leases hold.
    assert!(claim_due(&db, "late", 50, 300).await.unwrap().is_empty());
}

/// A worker that claimed a message and vanished: once its lease is over,
/// another worker takes the message; the first one's late answer changes
/// nothing.
async fn an_expired_claim_is_taken_again(db: Db) {
    let ids = queue_messages(&db, "EX-", 1).await;
    let claimed = claim_due(&db, "a", 10, 300).await.unwrap();
    assert_eq!(claimed.iter().map(|m| m.id).collect::<Vec<_>>(), ids);
    assert_eq!(claimed[0].attempts, 1);
    assert!(
        claim_due(&db, "b", 10, 300).await.unwrap().is_empty(),
        "the lease holds"
    );

    // Time passes beyond the lease.
    db.clock().advance(BEYOND_LEASE);
    let again = claim_due(&db, "b", 10, 300).await.unwrap();
    assert_eq!(again.iter().map(|m| m.id).collect::<Vec<_>>(), ids);
    assert_eq!(again[0].attempts, 2);

    assert!(
        !mark_sent(&db, ids[0], "a").await.unwrap(),
        "a lost its lease"
    );
    mark_attempt_failed(&db, ids[0], "a", "late failure", None)
        .await
        .unwrap();
    let row = &sql::outbox(&db).await.unwrap()[0];
    assert_eq!(
        (row.status.as_str(), row.claimed_by.as_deref()),
        ("sending", Some("b"))
    );

    assert!(mark_sent(&db, ids[0], "b").await.unwrap());
    assert!(!mark_sent(&db, ids[0], "b").await.unwrap(), "sent once");
    let row = &sql::outbox(&db).await.unwrap()[0];
    assert_eq!(
        (row.status.as_str(), row.claimed_by.as_deref()),
        ("sent", None)
    );
    // A sent message is never claimed again, even once leases ran out.
    db.clock().advance(BEYOND_LEASE);
    assert!(claim_due(&db, "c", 10, 300).await.unwrap().is_empty());
    let counts = relais_store::outbox::counts(&db).await.unwrap();
    assert_eq!(counts, vec![("sent".to_owned(), 1)]);
}

/// A failed attempt is retried when it says, then given up for good.
async fn a_failed_attempt_waits_then_gives_up(db: Db) {
    let ids = queue_messages(&db, "FA-", 1).await;
    assert_eq!(claim_due(&db, "a", 10, 300).await.unwrap().len(), 1);
    mark_attempt_failed(&db, ids[0], "a", "gateway down", Some(db.now() + 3600))
        .await
        .unwrap();
    let row = &sql::outbox(&db).await.unwrap()[0];
    assert_eq!(
        (row.status.as_str(), row.claimed_by.as_deref()),
        ("pending", None)
    );
    assert!(
        claim_due(&db, "b", 10, 300).await.unwrap().is_empty(),
        "not due before its next attempt"
    );

    // The hour passes.
    db.clock().advance(Duration::seconds(3600));
    let again = claim_due(&db, "b", 10, 300).await.unwrap();
    assert_eq!(again.len(), 1);
    assert_eq!(again[0].attempts, 2);
    mark_attempt_failed(&db, ids[0], "b", "number unknown", None)
        .await
        .unwrap();
    assert_eq!(sql::outbox(&db).await.unwrap()[0].status, "failed");
    db.clock().advance(BEYOND_LEASE);
    assert!(claim_due(&db, "c", 10, 300).await.unwrap().is_empty());
}

/// Validating a list twice, queuing invitations twice, sending a link
/// again: each message once per key; the key is unique on both engines.
async fn a_dedupe_key_queues_once(db: Db) {
    let anna = tracer(&db, "anna").await;
    let case = create_case(&db, "DK-1").await;
    let contact = declare_contact(&db, case, "Léa", "+33611111111").await;
    let decision = Decision {
        contact_id: contact,
        at_risk: true,
        schedule: ContactSchedule::default(),
    };
    for (round, expected) in [(0, 1), (1, 0)] {
        let v = version_of(&db, case).await;
        let done = validate_list(
            &db,
            anna,
            scoped(&db, case).await,
            v,
            std::slice::from_ref(&decision),
            None,
        )
        .await
        .unwrap()
        .unwrap_or_else(|c| panic!("round {round}: {c:?}"));
        assert_eq!(done.queued, expected, "round {round}");
    }

    assert_eq!(queue_invitations(&db, "DK-%").await.unwrap(), 1);
    assert_eq!(queue_invitations(&db, "DK-%").await.unwrap(), 0);
    assert_eq!(
        resend_link(&db, anna, scoped(&db, case).await)
            .await
            .unwrap(),
        Change::Done
    );

    let keys: Vec<String> = sql::outbox(&db)
        .await
        .unwrap()
        .into_iter()
        .filter_map(|m| m.dedupe_key)
        .collect();
    let mut expected = vec![
        notification_key(case, contact),
        invitation_key(case),
        format!("case_invitation:{case}:2"),
    ];
    assert_eq!(keys, expected);

    sql::insert_message(&db, "by-hand").await.unwrap();
    let err = sql::insert_message(&db, "by-hand")
        .await
        .expect_err("a second message with the same key");
    let kind = err.as_database_error().map(|e| e.kind());
    assert_eq!(kind, Some(sqlx::error::ErrorKind::UniqueViolation), "{err}");
    expected.push("by-hand".to_owned());
    let keys: Vec<String> = sql::outbox(&db)
        .await
        .unwrap()
        .into_iter()
        .filter_map(|m| m.dedupe_key)
        .collect();
    assert_eq!(keys, expected);
}

/// The case's "How are you?" texts are queued by the list's validation, in
/// its transaction (issue 22: one writer's turn): both days of an isolation
/// from today, once however often the list is validated, and none when the
/// validation is refused (the tracer saw an older version).
async fn a_validation_queues_the_cases_check_ins_with_it(db: Db) {
    use relais_store::schedule::case_check_in_key;
    let anna = tracer(&db, "anna").await;
    let first_day = crate::common::today();
    let isolation = (first_day, first_day + Duration::days(7));
    let check_in_keys = |case| -> Vec<String> {
        relais::support::case_check_in_days(isolation.0, isolation.1)
            .into_iter()
            .map(|day| case_check_in_key(case, day))
            .collect()
    };
    let queued_keys = |db: Db| async move {
        sql::outbox(&db)
            .await
            .unwrap()
            .into_iter()
            .filter_map(|m| m.dedupe_key)
            .filter(|k| k.starts_with("case_check_in:"))
            .collect::<Vec<_>>()
    };

    let refused = create_case(&db, "CI-1").await;
    let stale = version_of(&db, refused).await - 1;
    let answer = validate_list(
        &db,
        anna,
        scoped(&db, refused).await,
        stale,
        &[],
        Some(isolation),
    )
    .await
    .unwrap();
    assert_eq!(answer, Err(Change::Conflict));
    assert!(
        queued_keys(db.clone()).await.is_empty(),
        "a refused validation queues nothing"
    );

    let case = create_case(&db, "CI-2").await;
    for (round, expected) in [(0, 2), (1, 0)] {
        let v = version_of(&db, case).await;
        let done = validate_list(&db, anna, scoped(&db, case).await, v, &[], Some(isolation))
            .await
            .unwrap()
            .unwrap_or_else(|c| panic!("round {round}: {c:?}"));
        assert_eq!(done.check_ins, expected, "round {round}");
    }
    assert_eq!(queued_keys(db.clone()).await, check_in_keys(case));
}
