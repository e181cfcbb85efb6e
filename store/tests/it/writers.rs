//! Writers' turns: on SQLite, which admits one writer at a time, the
//! process's writers wait for their turn in order and are woken when the
//! writer before them is done (not left asleep in SQLite's busy handler);
//! PostgreSQL's writers do not wait for each other. Many writers at once all
//! succeed on both.

use crate::common::create_case;
use crate::sql;
use relais_store::sessions::{close_session, open_session, SessionSubject};
use relais_store::{Backend, Db};
use std::sync::{Arc, Mutex};
use std::time::Duration;

per_engine! {
    writes_cancelled_anywhere_leave_no_transaction_open
        => writes_cancelled_anywhere_leave_no_transaction_open_sqlite,
        writes_cancelled_anywhere_leave_no_transaction_open_postgres;
    writers_wait_for_the_one_writing_on_sqlite_only
        => writers_wait_for_the_one_writing_on_sqlite_only_sqlite,
        writers_wait_for_the_one_writing_on_sqlite_only_postgres;
    many_writers_at_once_all_succeed
        => many_writers_at_once_all_succeed_sqlite,
        many_writers_at_once_all_succeed_postgres;
    one_inbound_sms_acted_on_once_however_many_deliveries
        => one_inbound_sms_acted_on_once_however_many_deliveries_sqlite,
        one_inbound_sms_acted_on_once_however_many_deliveries_postgres;
}

/// How many writers queue behind the one writing.
const QUEUED: usize = 6;

async fn writers_wait_for_the_one_writing_on_sqlite_only(db: Db) {
    let case = create_case(&db, "W-1").await;
    let secret = open_session(&db, SessionSubject::Case(case)).await.unwrap();
    // A transaction that has written and is still open.
    let mut writing = db.begin_write().await.unwrap();
    sqlx::query("UPDATE cases SET updated_at = updated_at WHERE id = $1")
        .bind(case.get())
        .execute(&mut *writing)
        .await
        .unwrap();

    // Writers that arrive one after the other; each notes when it got its
    // connection to write on.
    let order = Arc::new(Mutex::new(Vec::new()));
    let mut writers = Vec::new();
    for i in 0..QUEUED {
        let (db, order) = (db.clone(), order.clone());
        writers.push(tokio::spawn(async move {
            let _turn = db.write().await.expect("a writing connection");
            order.lock().unwrap().push(i);
        }));
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    // A store function that writes (a sign-out), behind them.
    let signing_out = tokio::spawn({
        let db = db.clone();
        async move { close_session(&db, &secret).await }
    });
    tokio::time::sleep(Duration::from_millis(300)).await;

    match db.backend() {
        Backend::Sqlite => {
            assert!(
                order.lock().unwrap().is_empty(),
                "a writer got a connection while another was writing"
            );
            assert!(!signing_out.is_finished(), "signed out during a write");
            writing.commit().await.unwrap();
            for writer in writers {
                tokio::time::timeout(Duration::from_secs(5), writer)
                    .await
                    .expect("a writer still waits after the write ended")
                    .unwrap();
            }
            // In the order they came.
            assert_eq!(*order.lock().unwrap(), (0..QUEUED).collect::<Vec<_>>());
        }
        Backend::Postgres => {
            // Row locks: none of them needed the row being written.
            assert_eq!(order.lock().unwrap().len(), QUEUED);
            assert!(signing_out.is_finished(), "a sign-out waited for a write");
            writing.commit().await.unwrap();
        }
    }
    tokio::time::timeout(Duration::from_secs(5), signing_out)
        .await
        .expect("the sign-out still waits")
        .unwrap()
        .expect("signed out");
    assert_eq!(sql::sessions(&db).await.unwrap(), 0);
}

/// How many writers at once (more than the pool's connections).
const AT_ONCE: usize = 40;

async fn many_writers_at_once_all_succeed(db: Db) {
    let case = create_case(&db, "W-2").await;
    let mut writers = Vec::new();
    for _ in 0..AT_ONCE {
        let db = db.clone();
        writers.push(tokio::spawn(async move {
            open_session(&db, SessionSubject::Case(case)).await
        }));
    }
    for writer in writers {
        writer.await.unwrap().expect("a session opened");
    }
    assert_eq!(sql::sessions(&db).await.unwrap(), AT_ONCE as i64);
}

/// An inbound SMS is claimed, acted on and its outcome written in one
/// transaction: the same gateway id delivered eight times at once (the
/// gateway's retries racing) is acted on once, the others answered as
/// duplicates, on both engines; the number is opted out once.
async fn one_inbound_sms_acted_on_once_however_many_deliveries(db: Db) {
    use relais_store::replies::{is_opted_out, receive, Inbound, Received};
    const DELIVERIES: usize = 8;
    let barrier = Arc::new(tokio::sync::Barrier::new(DELIVERIES));
    let tasks: Vec<_> = (0..DELIVERIES)
        .map(|_| {
            let (db, barrier) = (db.clone(), barrier.clone());
            tokio::spawn(async move {
                barrier.wait().await;
                let inbound = Inbound {
                    gateway_id: "gw-race".to_owned(),
                    from: Some("+33612345678".to_owned()),
                    text: "STOP".to_owned(),
                };
                receive(&db, &inbound).await.expect("received")
            })
        })
        .collect();
    let mut outcomes = Vec::new();
    for task in tasks {
        outcomes.push(task.await.expect("task"));
    }
    let acted = outcomes
        .iter()
        .filter(|r| **r == Received::OptedOut)
        .count();
    let duplicates = outcomes
        .iter()
        .filter(|r| **r == Received::Duplicate)
        .count();
    assert_eq!((acted, duplicates), (1, DELIVERIES - 1), "{outcomes:?}");
    assert!(is_opted_out(&db, "+33612345678").await.unwrap());
}

/// Writes cancelled at every point of their course, as a request's future
/// is dropped when its client goes away, leave no transaction open in the
/// pool: afterwards, writes on every connection commit at once. sqlx's
/// SQLite `BEGIN IMMEDIATE`, dropped after SQLite began and before sqlx
/// made its `Transaction`, gave back a connection holding the write lock:
/// every later writer failed with "database is locked" (the route benchmark
/// stalled after its identity POSTs).
async fn writes_cancelled_anywhere_leave_no_transaction_open(db: Db) {
    use relais_store::links::confirm_birth_date;
    use std::future::Future;
    let case = create_case(&db, "W-CANCEL").await;
    for i in 0..600u64 {
        let mut write = std::pin::pin!(confirm_birth_date(&db, case, "1999-09-09", "ip-cancel"));
        // Polled a few times, a few microseconds apart, then dropped: each
        // round is cut a little further along.
        for _ in 0..=(i % 7) {
            let done = std::future::poll_fn(|cx| {
                std::task::Poll::Ready(write.as_mut().poll(cx).is_ready())
            })
            .await;
            if done {
                break;
            }
            std::thread::sleep(Duration::from_micros(15 * (i / 7 % 12)));
        }
    }
    let writers: Vec<_> = (0..24)
        .map(|_| {
            let db = db.clone();
            tokio::spawn(async move {
                tokio::time::timeout(
                    Duration::from_secs(3),
                    confirm_birth_date(&db, case, "1999-09-09", "ip-after"),
                )
                .await
            })
        })
        .collect();
    for writer in writers {
        writer
            .await
            .expect("writer")
            .expect("no writer waits behind a transaction left open")
            .expect("the write commits");
    }
}
