//! Audit lines asked for at the same time are written together, each
//! durably before its writer returns; none lost and none written twice
//! when the requests asking for them are cancelled.

use crate::sql;
use relais_store::audit::{line_writes, record, trail, AuditAction, AuditEntry, TrailQuery};
use relais_store::scope::Scope;
use relais_store::Db;
use std::collections::HashMap;
use std::future::Future;
use std::time::Duration;

per_engine! {
    lines_asked_at_once_share_one_write
        => lines_asked_at_once_share_one_write_sqlite,
        lines_asked_at_once_share_one_write_postgres;
    lines_survive_their_writers_cancelled_anywhere
        => lines_survive_their_writers_cancelled_anywhere_sqlite,
        lines_survive_their_writers_cancelled_anywhere_postgres;
}

/// A line told apart from the others by its detail.
fn line(tag: &str, i: usize) -> AuditEntry {
    AuditEntry::by_api_key(AuditAction::ApiExport).detail(format!("{tag}-{i}"))
}

/// How many times each detail starting with `tag` is in the trail.
async fn written(db: &Db, tag: &str) -> HashMap<String, usize> {
    let lines = trail(db, Scope::whole_country(), &TrailQuery::default(), 10_000)
        .await
        .expect("the trail");
    let mut seen = HashMap::new();
    for line in lines
        .into_iter()
        .filter(|l| l.detail.starts_with(&format!("{tag}-")))
    {
        *seen.entry(line.detail).or_default() += 1;
    }
    seen
}

async fn lines_asked_at_once_share_one_write(db: Db) {
    const ASKED: usize = 20;
    let before = line_writes(&db);
    // Every writer of the trail waits behind this transaction: the lines
    // asked for meanwhile all wait.
    let holding = sql::hold_audit_log(&db)
        .await
        .expect("a writing transaction");
    let writers: Vec<_> = (0..ASKED)
        .map(|i| {
            let db = db.clone();
            tokio::spawn(async move { record(&db, &line("together", i)).await })
        })
        .collect();
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(
        writers.iter().all(|w| !w.is_finished()),
        "no line is written while the trail is held"
    );
    holding.rollback().await.expect("rolled back");
    for writer in writers {
        tokio::time::timeout(Duration::from_secs(10), writer)
            .await
            .expect("every writer returns")
            .expect("writer")
            .expect("its line is written");
    }
    let seen = written(&db, "together").await;
    assert_eq!(seen.len(), ASKED, "every line: {seen:?}");
    assert!(seen.values().all(|&n| n == 1), "each once: {seen:?}");
    let after = line_writes(&db);
    assert_eq!(after.lines - before.lines, ASKED as u64);
    // The first turn's own line, then all the others at once.
    assert!(
        after.writes - before.writes <= 2,
        "{} writes for {ASKED} lines",
        after.writes - before.writes
    );

    // A line alone is written at once, in a write of its own.
    let before = line_writes(&db);
    record(&db, &line("alone", 0)).await.expect("written");
    assert_eq!(written(&db, "alone").await.get("alone-0"), Some(&1));
    let after = line_writes(&db);
    assert_eq!(
        (after.lines - before.lines, after.writes - before.writes),
        (1, 1)
    );
}

async fn lines_survive_their_writers_cancelled_anywhere(db: Db) {
    const ROUNDS: usize = 300;
    // Writers started together, some of them cut after a few polls, a few
    // microseconds apart: each round cuts them a little further along.
    let mut finished = Vec::new();
    for round in 0..ROUNDS / 6 {
        let mut tasks = Vec::new();
        for k in 0..6 {
            let i = round * 6 + k;
            let db = db.clone();
            let cut_after = (k % 3 == 0).then_some(1 + (i % 5));
            tasks.push(tokio::spawn(async move {
                let entry = line("cut", i);
                let mut write = std::pin::pin!(record(&db, &entry));
                let Some(polls) = cut_after else {
                    return write.await.map(|()| Some(i));
                };
                for _ in 0..polls {
                    let done = std::future::poll_fn(|cx| {
                        std::task::Poll::Ready(match write.as_mut().poll(cx) {
                            std::task::Poll::Ready(r) => Some(r),
                            std::task::Poll::Pending => None,
                        })
                    })
                    .await;
                    if let Some(outcome) = done {
                        return outcome.map(|()| Some(i));
                    }
                    tokio::time::sleep(Duration::from_micros(20 * (i as u64 % 9))).await;
                }
                Ok(None)
            }));
        }
        for task in tasks {
            let outcome = tokio::time::timeout(Duration::from_secs(10), task)
                .await
                .expect("no writer waits for ever")
                .expect("task");
            if let Some(i) = outcome.expect("no write fails") {
                finished.push(i);
            }
        }
    }
    // The writer's turn is free again: a line after all that is written.
    tokio::time::timeout(Duration::from_secs(10), record(&db, &line("after", 0)))
        .await
        .expect("the turn is not held by a cancelled writer")
        .expect("written");
    let seen = written(&db, "cut").await;
    for i in &finished {
        assert!(
            seen.contains_key(&format!("cut-{i}")),
            "the line of writer {i}, which returned, is written"
        );
    }
    // A line once asked for is written, even when its writer was cut
    // before its turn: the next turn (the line after) took it.
    assert_eq!(seen.len(), ROUNDS, "every line");
    assert!(seen.values().all(|&n| n == 1), "each once: {seen:?}");
    let cut = ROUNDS - finished.len();
    assert!(cut > 0 && cut <= ROUNDS / 2, "{cut} writers cut");
}
