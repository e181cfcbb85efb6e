//! Exactly once across nodes: two `relais serve` processes share one
//! PostgreSQL database and one fake gateway. Their workers claim messages
//! with `FOR UPDATE SKIP LOCKED`, so that no message is sent by both; when a
//! node is killed mid-batch, the other sends its claimed batch once the lease
//! runs out. Messages a dead node may already have handed over are sent again
//! with the same id, which the gateway contract dedupes (see
//! `server/src/sms/provider.rs`): each message is delivered once.
//!
//! PostgreSQL only (SQLite has one writer and one node).

use crate::common::gateway::{self, Behaviour, Received};
use crate::common::{fresh_database, postgres_available, sql, Engine};
use relais_store::cases::{create_cases, NewCase};
use relais_store::Db;
use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const MESSAGES: i64 = 1_000;

/// A `relais serve` process sending through `gateway`; its log lines are
/// collected.
struct Node {
    child: Child,
    log: Arc<Mutex<Vec<String>>>,
}

impl Node {
    fn start(database_url: &str, gateway: &str) -> Node {
        let mut child = Command::new(env!("CARGO_BIN_EXE_relais"))
            .arg("serve")
            .env("RELAIS_DATABASE_URL", database_url)
            .env("RELAIS_ADDR", "127.0.0.1:0")
            .env("RELAIS_SMS_PROVIDER", "http")
            .env("RELAIS_SMS_GATEWAY_URL", gateway)
            .env("RELAIS_SMS_GATEWAY_SECRET", "a-gateway-secret-for-tests")
            .env("RELAIS_SMS_LEASE_SECONDS", "2")
            .env("RELAIS_LOG", "info")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("relais serve starts");
        let log: Arc<Mutex<Vec<String>>> = Arc::default();
        let lines = BufReader::new(child.stderr.take().unwrap());
        let sink = log.clone();
        std::thread::spawn(move || {
            for line in lines.lines().map_while(Result::ok) {
                sink.lock().unwrap().push(line);
            }
        });
        Node { child, log }
    }

    /// How many messages this node logged as sent.
    fn sent(&self) -> usize {
        self.log
            .lock()
            .unwrap()
            .iter()
            .filter(|l| l.contains("sms sent"))
            .count()
    }
}

impl Drop for Node {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `MESSAGES` new cases, each with its invitation due now; returns their
/// message ids.
async fn invitations(db: &Db, prefix: &str) -> Vec<i64> {
    let cases: Vec<NewCase> = (0..MESSAGES)
        .map(|i| NewCase {
            reference: format!("{prefix}{i:05}"),
            lab_reference: None,
            first_name: "Camille".into(),
            last_name: format!("Noeud{i}"),
            birth_date: "1980-04-02".into(),
            phone: format!("+336399{:05}", i),
            lang: relais::Lang::Fr,
            sample_date: "2026-11-30".into(),
            test_type: "pcr".into(),
            symptom_onset: None,
            departement: None,
        })
        .collect();
    create_cases(db, &cases).await.unwrap();
    let queued = relais_store::outbox::queue_invitations(db, &format!("{prefix}%"))
        .await
        .unwrap();
    assert_eq!(queued, MESSAGES as u64);
    sql::message_ids_of_cases_like(db, &format!("{prefix}%")).await
}

/// How many times the gateway received each message id.
fn receipts(received: &Received) -> BTreeMap<i64, usize> {
    let mut counts = BTreeMap::new();
    for (auth, body) in received.lock().unwrap().iter() {
        assert_eq!(auth, "Bearer a-gateway-secret-for-tests");
        let id: i64 = body["id"].as_str().unwrap().parse().unwrap();
        *counts.entry(id).or_default() += 1;
    }
    counts
}

/// Waits until no message of `ids` is left to send, or fails after 3 min.
async fn until_all_sent(db: &Db, ids: &[i64]) {
    let started = Instant::now();
    loop {
        let waiting = sql::count_unsent_between(db, ids[0], ids[ids.len() - 1]).await;
        if waiting == 0 {
            return;
        }
        assert!(
            started.elapsed() < Duration::from_secs(180),
            "{waiting} messages still not sent after 3 minutes"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_nodes_deliver_each_message_once_also_when_one_is_killed() {
    if !postgres_available() {
        eprintln!("two nodes need PostgreSQL: skipped");
        return;
    }
    let database = fresh_database(Engine::Postgres).await;
    let db = Db::connect(&database.url).await.unwrap();
    db.migrate().await.unwrap();
    // The gateway takes a little while per message, as a real one does, so
    // that both nodes have work in hand at once.
    let (gateway, received) = gateway::start(Behaviour {
        failures: 0,
        delay: Duration::from_millis(4),
    })
    .await;

    // Both nodes alive: every message is posted exactly once, by one of them.
    let first = invitations(&db, "NODE-A-").await;
    let a = Node::start(&database.url, &gateway);
    let mut b = Node::start(&database.url, &gateway);
    until_all_sent(&db, &first).await;
    let counts = receipts(&received);
    assert_eq!(
        counts.len(),
        first.len(),
        "every message reached the gateway"
    );
    assert!(
        first.iter().all(|id| counts.get(id) == Some(&1)),
        "none twice"
    );
    // Their logs arrive through pipes: give them a moment.
    let started = Instant::now();
    while a.sent() + b.sent() < first.len() && started.elapsed() < Duration::from_secs(10) {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(
        a.sent() > 0 && b.sent() > 0,
        "both nodes sent: {} and {}",
        a.sent(),
        b.sent()
    );
    assert_eq!(a.sent() + b.sent(), first.len());

    // One node killed in the middle of the second thousand.
    let second = invitations(&db, "NODE-B-").await;
    let started = Instant::now();
    while receipts(&received).len() < first.len() + 300 {
        assert!(started.elapsed() < Duration::from_secs(60), "no progress");
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    b.child.kill().unwrap();
    b.child.wait().unwrap();
    until_all_sent(&db, &second).await;
    let counts = receipts(&received);
    let posted_twice: Vec<i64> = second
        .iter()
        .copied()
        .filter(|id| counts.get(id).copied().unwrap_or(0) > 1)
        .collect();
    assert!(
        second.iter().all(|id| counts.contains_key(id)),
        "every message of the killed node's batch was sent by the other"
    );
    // Only what the killed node had claimed and not yet recorded as sent
    // (one batch at most) is posted again, under the same id.
    eprintln!(
        "killed node: {} sent before; {} of its claimed messages posted again by the other",
        b.sent(),
        posted_twice.len()
    );
    assert!(posted_twice.len() <= 50, "{posted_twice:?}");
    assert!(counts.values().all(|n| *n <= 2), "never more than twice");
    let sent = sql::count_sent_messages(&db).await;
    assert_eq!(sent, 2 * MESSAGES);
    drop(a);
    db.close().await;
}
