//! Audit lines asked for at the same time are written together, each
//! durably before its writer returns; none lost and none written twice
//! when the requests asking for them are cancelled. A case view's line
//! marks the case seen by its tracer in the same write.

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
    case_views_written_together_mark_each_case_seen
        => case_views_written_together_mark_each_case_seen_sqlite,
        case_views_written_together_mark_each_case_seen_postgres;
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

async fn case_views_written_together_mark_each_case_seen(db: Db) {
    use crate::common::{new_case, scoped, tracer};
    use relais::ids::StaffId;
    use relais_store::desk::case_file::load_case_file;
    use relais_store::scope::ScopedCase;
    use relais_store::StoreError;
    // A case page's view: when the tracer looked before.
    async fn mark_seen(
        db: &Db,
        staff: StaffId,
        case: ScopedCase,
    ) -> Result<Option<i64>, StoreError> {
        Ok(load_case_file(db, staff, case)
            .await?
            .expect("the case exists")
            .last_seen_at)
    }
    let anna = tracer(&db, "anna").await;
    let bruno = tracer(&db, "bruno").await;
    let x = relais_store::cases::create_case(&db, &new_case("X"))
        .await
        .expect("case");
    let y = relais_store::cases::create_case(&db, &new_case("Y"))
        .await
        .expect("case");
    let (x, y) = (scoped(&db, x).await, scoped(&db, y).await);
    let viewed_at = db.now();
    let before = line_writes(&db);
    // Twelve views asked for while the trail is held: Anna's of X six
    // times (the same row upserted several times in one write), Bruno's
    // of X and Anna's of Y three times each. None seen before.
    let holding = sql::hold_audit_log(&db)
        .await
        .expect("a writing transaction");
    let views: Vec<_> = [(anna, x); 6]
        .into_iter()
        .chain([(bruno, x); 3])
        .chain([(anna, y); 3])
        .map(|(staff, case)| {
            let db = db.clone();
            tokio::spawn(async move { mark_seen(&db, staff, case).await })
        })
        .collect();
    tokio::time::sleep(Duration::from_millis(300)).await;
    holding.rollback().await.expect("rolled back");
    for view in views {
        let seen_before = tokio::time::timeout(Duration::from_secs(10), view)
            .await
            .expect("every view returns")
            .expect("view")
            .expect("written");
        assert_eq!(seen_before, None, "no case was seen before");
    }
    let after = line_writes(&db);
    assert_eq!(after.lines - before.lines, 12);
    assert!(
        after.writes - before.writes <= 2,
        "{} writes for 12 views",
        after.writes - before.writes
    );
    // Each tracer's next view tells when they saw each case; Bruno never
    // saw Y.
    db.clock().advance(time::Duration::minutes(5));
    let soon_after =
        |seen: Option<i64>| seen.is_some_and(|t| (viewed_at..viewed_at + 10).contains(&t));
    for (staff, case, seen_before) in [
        (anna, x, true),
        (bruno, x, true),
        (anna, y, true),
        (bruno, y, false),
    ] {
        let seen = mark_seen(&db, staff, case).await.expect("view");
        assert_eq!(
            soon_after(seen),
            seen_before,
            "{seen:?}, viewed at {viewed_at}"
        );
        if !seen_before {
            assert_eq!(seen, None);
        }
    }
    let lines = trail(&db, Scope::whole_country(), &TrailQuery::default(), 100)
        .await
        .expect("the trail");
    assert_eq!(
        lines.iter().filter(|l| l.action == "view_case").count(),
        16,
        "one line per view"
    );
    // And the view after that, the time of the one just before.
    let seen = mark_seen(&db, anna, x).await.expect("view");
    assert!(seen.is_some_and(|t| t >= viewed_at + 300), "{seen:?}");
}
