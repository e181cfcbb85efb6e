//! Crash safety (issue 21): the real binary, `relais serve`, killed with
//! SIGKILL at random moments while clients write, then started again on the
//! same database — first on SQLite, then on PostgreSQL (when
//! `RELAIS_TEST_POSTGRES_URL` is set).
//!
//! Clients write without pause: lab feeds post intake batches
//! (`POST /api/v1/cases`, each case with a lab reference of its own) and
//! cases declare contacts (their SMS link's date-of-birth form, then
//! `POST /api/case/contact`, each contact with a last name of its own). Each
//! write is filed by what came back:
//!
//! - *acknowledged*: a 2xx batch answer (its items `created`), a sign-in
//!   answered by `/dossier` and a session cookie, a contact answered by the
//!   list with the new contact's anchor. It must be there exactly once after
//!   the last restart: a missing one is *lost*, a second copy *duplicated*.
//! - *unanswered*: sent, but the connection died (the kill) before an
//!   answer; or answered otherwise (an error). It may be there or not, at
//!   most once. Nothing unanswered is sent again: a contact's form posted
//!   again may rightly be a second contact.
//! - *not sent*: the connection was refused (the server was down): it must
//!   not be there.
//!
//! `RELAIS_CHAOS_KILLS` (10) sets the kills per engine and
//! `RELAIS_CHAOS_SEED` the random moments (the seed is printed);
//! `scripts/chaos` runs 100. Each engine prints one line of figures, which
//! `scripts/chaos` collects (`chaos figures [engine]: ...`).

// The checks of what was written read through the store's functions and the
// API; the one SQL statement of this file, the throw-away PostgreSQL
// database, is the integration tests' own (`sql.rs`, which `scripts/test`
// allows), included as it is.
#[path = "it/common/sql.rs"]
#[allow(dead_code)]
mod sql;

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use relais::ids::CaseId;
use relais_store::cases::{create_case, issue_case_link, NewCase};
use relais_store::sessions::{session_subject, SessionSubject};
use relais_store::Db;
use serde_json::{json, Value};
use std::collections::{HashMap, VecDeque};
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// The date of birth of every declaring case.
const BIRTH: (&str, &str, &str) = ("14", "7", "1961");
/// Contacts a case declares before the next case takes over (at most 100).
const CONTACTS_PER_CASE: usize = 20;
/// Lab feeds and declaring cases writing at once, per engine.
const FEEDS: usize = 2;
const DECLARERS: usize = 3;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let url = format!("sqlite://{}", dir.path().join("relais.db").display());
    run("sqlite", &url, dir.path()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres() {
    let Some(admin) = std::env::var("RELAIS_TEST_POSTGRES_URL")
        .ok()
        .filter(|v| !v.trim().is_empty())
    else {
        eprintln!("RELAIS_TEST_POSTGRES_URL is not set: crash::postgres skipped");
        return;
    };
    let database = PostgresDatabase::create(&admin).await;
    let dir = tempfile::tempdir().expect("temporary folder");
    run("postgres", &database.url, dir.path()).await;
}

/// A throw-away PostgreSQL database, dropped when the value is, pass or
/// fail (the server is dead by then: `--force` ends any connection left).
struct PostgresDatabase {
    admin: String,
    name: String,
    url: String,
}

impl PostgresDatabase {
    async fn create(admin: &str) -> PostgresDatabase {
        let suffix: u32 = rand::random();
        // `relais_t_`: what CI's clean-up removes should this drop fail.
        let name = format!("relais_t_crash_{}_{suffix}", std::process::id());
        let db = Db::connect(admin).await.expect("PostgreSQL server answers");
        sql::create_database(&db, &name).await;
        db.close().await;
        let url = match admin.rfind('/') {
            Some(slash) if slash > "postgres://".len() => format!("{}/{name}", &admin[..slash]),
            _ => format!("{}/{name}", admin.trim_end_matches('/')),
        };
        PostgresDatabase {
            admin: admin.to_owned(),
            name,
            url,
        }
    }
}

impl Drop for PostgresDatabase {
    fn drop(&mut self) {
        // PostgreSQL's own client: `sql.rs` has no drop, and this file may
        // hold no SQL of its own.
        let dropped = Command::new("dropdb")
            .args(["--if-exists", "--force"])
            .arg(format!("--maintenance-db={}", self.admin))
            .arg(&self.name)
            .status();
        if !matches!(dropped, Ok(s) if s.success()) {
            eprintln!("could not drop database {} ({dropped:?})", self.name);
        }
    }
}

/// One engine's run: start, write and kill `kills` times, check.
async fn run(engine: &str, url: &str, dir: &std::path::Path) {
    let kills: usize = std::env::var("RELAIS_CHAOS_KILLS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10);
    let seed: u64 = std::env::var("RELAIS_CHAOS_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| rand::thread_rng().gen());
    eprintln!("crash [{engine}]: {kills} kills, RELAIS_CHAOS_SEED={seed}");
    let started = Instant::now();
    let deadline = started + Duration::from_secs(120 + 20 * kills as u64);
    let mut rng = StdRng::seed_from_u64(seed);

    // The schema and an intake key, before the first start.
    let db = Db::connect(url).await.expect("database opens");
    db.migrate().await.expect("migrations");
    let key = relais_store::api_keys::create_key(
        &db,
        "crash-feed",
        &[relais_store::api_keys::ApiRight::Intake],
        relais_store::organisations::NATIONAL,
    )
    .await
    .expect("API key");

    let port = free_port();
    let site = Site {
        base: format!("http://127.0.0.1:{port}"),
        key,
    };
    let launch = Launch {
        url: url.to_owned(),
        port,
        dir: dir.to_owned(),
    };
    let mut server = Server::start(&launch);
    server.until_listening(deadline).await;

    let shared = Arc::new(Shared::default());
    let feeds: Vec<_> = (0..FEEDS)
        .map(|w| {
            let (site, shared) = (site.clone(), shared.clone());
            let rng = StdRng::seed_from_u64(rng.gen());
            tokio::spawn(async move { feed(w, site, shared, rng).await })
        })
        .collect();
    let declarers: Vec<_> = (0..DECLARERS)
        .map(|w| {
            let (site, shared, db) = (site.clone(), shared.clone(), db.clone());
            tokio::spawn(async move { declare(w, site, db, shared).await })
        })
        .collect();

    for _ in 0..kills {
        // A quarter of the kills within the first second of a life, while
        // the first requests are read (in a debug build under load they
        // take seconds: the phone numbering plans load on the first number
        // read); the others within 2 s of the first write this life
        // acknowledged, while the writes come fast.
        if rng.gen_bool(0.25) {
            tokio::time::sleep(Duration::from_millis(rng.gen_range(0..1000))).await;
        } else {
            let before = shared.acks.load(Ordering::Relaxed);
            let waited = Instant::now();
            while shared.acks.load(Ordering::Relaxed) == before
                && waited.elapsed() < Duration::from_secs(30)
            {
                tokio::time::sleep(Duration::from_millis(10)).await;
            }
            tokio::time::sleep(Duration::from_millis(rng.gen_range(0..2000))).await;
        }
        server.kill();
        assert!(Instant::now() < deadline, "{engine}: out of time");
        server = Server::start(&launch);
        server.until_listening(deadline).await;
    }
    // A last moment of writing on the restarted server, then the check.
    tokio::time::sleep(Duration::from_millis(500)).await;
    shared.stop.store(true, Ordering::Relaxed);
    let mut batches = Ledger::default();
    let mut cases: HashMap<String, Option<String>> = HashMap::new();
    for handle in feeds {
        let (ledger, references) = handle.await.expect("feed");
        batches.merge(ledger);
        cases.extend(references);
    }
    let mut contacts = Ledger::default();
    let mut sign_ins = Vec::new();
    let mut declaring = Vec::new();
    for handle in declarers {
        let done = handle.await.expect("declarer");
        contacts.merge(done.contacts);
        sign_ins.extend(done.sign_ins);
        declaring.extend(done.cases);
    }

    let intake = check_intake(&site, &db, &batches, &cases).await;
    let declared = check_contacts(&db, &contacts, &declaring).await;
    let sessions_lost = check_sessions(&db, &sign_ins).await;
    server.kill();
    db.close().await;

    let acknowledged = intake.acknowledged + declared.acknowledged + sign_ins.len();
    let lost = intake.lost.len() + declared.lost.len() + sessions_lost.len();
    let duplicated = intake.extra + declared.extra;
    println!(
        "chaos figures [{engine}]: kills={kills} seconds={:.1} acknowledged={acknowledged} \
         lost={lost} duplicated={duplicated} | intake: cases acknowledged={} lost={} \
         duplicated={} unanswered={} (present {}) refused-while-down={} | contacts: \
         acknowledged={} lost={} duplicated={} unanswered={} (present {}) \
         refused-while-down={} | sign-ins: acknowledged={} lost={} | seed={seed}",
        started.elapsed().as_secs_f64(),
        intake.acknowledged,
        intake.lost.len(),
        intake.extra,
        batches.unanswered.len(),
        intake.unanswered_present,
        batches.not_sent.len(),
        declared.acknowledged,
        declared.lost.len(),
        declared.extra,
        contacts.unanswered.len(),
        declared.unanswered_present,
        contacts.not_sent.len(),
        sign_ins.len(),
        sessions_lost.len(),
    );
    eprintln!(
        "crash [{engine}]: not acknowledged, why: intake {:?}; contacts {:?}",
        batches.reasons, contacts.reasons
    );
    let mut findings = Vec::new();
    for (what, list) in [
        ("intake: acknowledged, missing", &intake.lost),
        ("intake: more than once", &intake.duplicated),
        ("intake: never sent, present", &intake.phantoms),
        ("contacts: acknowledged, missing", &declared.lost),
        ("contacts: more than once", &declared.duplicated),
        (
            "contacts: never sent or unknown, present",
            &declared.phantoms,
        ),
        ("sign-ins: acknowledged session gone", &sessions_lost),
    ] {
        if !list.is_empty() {
            let shown: Vec<&String> = list.iter().take(20).collect();
            findings.push(format!("{what} ({}): {shown:?}", list.len()));
        }
    }
    assert!(findings.is_empty(), "{engine}: {findings:#?}");
    assert!(
        intake.acknowledged > 0 && declared.acknowledged > 0,
        "{engine}: the clients wrote nothing acknowledged"
    );
}

/// A port free now, kept across the restarts (the public URL names it).
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port()
}

/// What every start of the server gets.
struct Launch {
    url: String,
    port: u16,
    dir: std::path::PathBuf,
}

/// A `relais serve` process; the end of its log is kept.
struct Server {
    child: Child,
    log: Arc<Mutex<(bool, VecDeque<String>)>>,
}

impl Server {
    fn start(launch: &Launch) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_relais"))
            .arg("serve")
            .current_dir(&launch.dir)
            .env("RELAIS_DATABASE_URL", &launch.url)
            .env("RELAIS_ADDR", format!("127.0.0.1:{}", launch.port))
            .env(
                "RELAIS_PUBLIC_URL",
                format!("http://127.0.0.1:{}", launch.port),
            )
            .env("RELAIS_SMS_PROVIDER", "log")
            .env("RELAIS_SMS_LOG_FILE", launch.dir.join("sms.log"))
            .env("RELAIS_LOG", "info")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("relais serve starts");
        let log: Arc<Mutex<(bool, VecDeque<String>)>> = Arc::default();
        let lines = BufReader::new(child.stderr.take().expect("stderr"));
        let sink = log.clone();
        std::thread::spawn(move || {
            for line in lines.lines().map_while(Result::ok) {
                let mut log = sink.lock().unwrap();
                log.0 |= line.contains("Relais is listening");
                if log.1.len() == 50 {
                    log.1.pop_front();
                }
                log.1.push_back(line);
            }
        });
        Server { child, log }
    }

    /// Waits for the "listening" line; fails if the process ends first.
    async fn until_listening(&mut self, deadline: Instant) {
        loop {
            if self.log.lock().unwrap().0 {
                return;
            }
            if let Ok(Some(status)) = self.child.try_wait() {
                tokio::time::sleep(Duration::from_millis(200)).await;
                panic!(
                    "relais serve ended ({status}) instead of starting after a kill:\n{}",
                    self.tail()
                );
            }
            assert!(
                Instant::now() < deadline,
                "relais serve did not start:\n{}",
                self.tail()
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    fn tail(&self) -> String {
        let log = self.log.lock().unwrap();
        log.1.iter().cloned().collect::<Vec<_>>().join("\n")
    }

    /// SIGKILL (what `Child::kill` sends on Unix), then reaps it.
    fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.kill();
    }
}

/// What the clients and the killer share.
#[derive(Default)]
struct Shared {
    /// Set once the last restart is written to: the clients end.
    stop: AtomicBool,
    /// Writes acknowledged so far.
    acks: AtomicUsize,
}

impl Shared {
    fn stopped(&self) -> bool {
        self.stop.load(Ordering::Relaxed)
    }

    fn ack(&self) {
        self.acks.fetch_add(1, Ordering::Relaxed);
    }
}

/// Where the clients write.
#[derive(Clone)]
struct Site {
    base: String,
    key: String,
}

impl Site {
    /// One connection per request, so that a refused connection means
    /// nothing was sent; redirects not followed; no request outlives 10 s.
    fn client(&self) -> reqwest::Client {
        reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .pool_max_idle_per_host(0)
            .connect_timeout(Duration::from_secs(2))
            .timeout(Duration::from_secs(10))
            .build()
            .expect("HTTP client")
    }
}

/// The writes of one kind, by their marker, filed by what came back.
#[derive(Default)]
struct Ledger {
    acknowledged: Vec<String>,
    /// Sent and not acknowledged: no answer (the kill), or another answer.
    unanswered: Vec<String>,
    /// The connection was refused: nothing sent.
    not_sent: Vec<String>,
    /// Why requests were not acknowledged: an answer's status and where it
    /// led, or the kind of error; how many times.
    reasons: std::collections::BTreeMap<String, usize>,
}

impl Ledger {
    fn merge(&mut self, other: Ledger) {
        self.acknowledged.extend(other.acknowledged);
        self.unanswered.extend(other.unanswered);
        self.not_sent.extend(other.not_sent);
        for (reason, n) in other.reasons {
            *self.reasons.entry(reason).or_default() += n;
        }
    }

    /// Files the markers of one request that did not get its
    /// acknowledgement.
    fn file_failure(
        &mut self,
        markers: Vec<String>,
        why: Result<&reqwest::Response, &reqwest::Error>,
    ) {
        let reason = match why {
            Ok(r) => format!("{} {}", r.status().as_u16(), location(r)),
            Err(e) if e.is_connect() => "refused".to_owned(),
            Err(e) if e.is_timeout() => "timeout".to_owned(),
            Err(e) => format!("no answer ({})", error_kind(e)),
        };
        *self.reasons.entry(reason).or_default() += 1;
        match why {
            Err(e) if e.is_connect() => self.not_sent.extend(markers),
            _ => self.unanswered.extend(markers),
        }
    }
}

/// The innermost cause of a failed request, short.
fn error_kind(error: &reqwest::Error) -> String {
    let mut cause: &dyn std::error::Error = error;
    while let Some(inner) = cause.source() {
        cause = inner;
    }
    cause.to_string().chars().take(60).collect()
}

/// While the server is down, clients wait this long before the next try.
async fn pause() {
    tokio::time::sleep(Duration::from_millis(20)).await;
}

fn days_ago(days: i64) -> time::Date {
    relais_store::Clock::system().today_paris() - time::Duration::days(days)
}

/// A lab feed: batches of 1 to 20 new cases, each lab reference new.
/// Returns its ledger and, for the acknowledged cases, the reference the
/// answer gave (none when the answer's body was cut).
async fn feed(
    w: usize,
    site: Site,
    shared: Arc<Shared>,
    mut rng: StdRng,
) -> (Ledger, HashMap<String, Option<String>>) {
    let client = site.client();
    let mut ledger = Ledger::default();
    let mut references = HashMap::new();
    let mut n = 0;
    while !shared.stopped() {
        let size = rng.gen_range(1..=20);
        let labs: Vec<String> = (0..size)
            .map(|_| {
                n += 1;
                format!("CRASH-{w}-{n}")
            })
            .collect();
        let items: Vec<Value> = labs.iter().map(|lab| intake_item(lab)).collect();
        let sent = client
            .post(format!("{}/api/v1/cases", site.base))
            .bearer_auth(&site.key)
            .json(&json!({ "cases": items }))
            .send()
            .await;
        let response = match sent {
            Ok(r) if r.status().is_success() => r,
            Ok(r) => {
                ledger.file_failure(labs, Ok(&r));
                continue;
            }
            Err(e) => {
                ledger.file_failure(labs, Err(&e));
                pause().await;
                continue;
            }
        };
        // Acknowledged: the status line came after the commit. The body may
        // still be cut by a kill; the lab references are what counts.
        let answer: Option<Value> = response.json().await.ok();
        let results = answer.as_ref().and_then(|a| a["results"].as_array());
        for (i, lab) in labs.into_iter().enumerate() {
            let result = results.and_then(|r| r.get(i));
            if let Some(result) = result {
                assert_eq!(
                    result["status"], "created",
                    "a new lab reference {lab} in a batch: {result}"
                );
            }
            let reference = result.and_then(|r| r["case_reference"].as_str());
            references.insert(lab.clone(), reference.map(str::to_owned));
            ledger.acknowledged.push(lab);
        }
        shared.ack();
    }
    (ledger, references)
}

fn intake_item(lab: &str) -> Value {
    json!({
        "lab_reference": lab,
        "first_name": "Camille",
        "last_name": "Crash",
        "birth_date": "1975-06-30",
        "phone": "06 39 98 02 01",
        "sample_date": days_ago(1).to_string(),
        "test_type": "pcr",
        "symptom_onset": days_ago(3).to_string(),
        "lang": "fr",
    })
}

/// What a declaring case did.
struct Declared {
    contacts: Ledger,
    /// Acknowledged sign-ins: the case and the session's secret.
    sign_ins: Vec<(CaseId, String)>,
    cases: Vec<CaseId>,
}

/// A declaring case after another: opens its SMS link's form, confirms the
/// date of birth (sent again until answered: a second session is no
/// harm), then declares contacts, each once.
async fn declare(w: usize, site: Site, db: Db, shared: Arc<Shared>) -> Declared {
    let client = site.client();
    let mut done = Declared {
        contacts: Ledger::default(),
        sign_ins: Vec::new(),
        cases: Vec::new(),
    };
    let met = days_ago(2);
    let (day, month, year) = (
        met.day().to_string(),
        (met.month() as u8).to_string(),
        met.year().to_string(),
    );
    let mut n = 0;
    'cases: while !shared.stopped() {
        let (case_id, token) = new_case(&db, &format!("CRASHD-{w}-{}", done.cases.len())).await;
        done.cases.push(case_id);
        let mut session: Option<String> = None;
        let mut declared = 0;
        while declared < CONTACTS_PER_CASE {
            if shared.stopped() {
                break 'cases;
            }
            let Some(secret) = session.clone() else {
                session = sign_in(&client, &site, &token).await;
                if let Some(secret) = &session {
                    done.sign_ins.push((case_id, secret.clone()));
                    shared.ack();
                } else {
                    pause().await;
                }
                continue;
            };
            n += 1;
            declared += 1;
            let last_name = format!("Crash-{w}-{n}");
            let sent = client
                .post(format!("{}/api/case/contact", site.base))
                .header("origin", &site.base)
                .header("accept", "text/html,application/xhtml+xml")
                .header("cookie", format!("relais_session={secret}"))
                .form(&[
                    ("contact", "nouveau"),
                    ("first_name", "Berthe"),
                    ("last_name", &last_name),
                    ("phone", "06 39 98 01 10"),
                    ("email", ""),
                    ("relationship", "work"),
                    ("day", &day),
                    ("month", &month),
                    ("year", &year),
                    ("exposure_face_to_face", "on"),
                    ("minor", "non"),
                    ("guardian_phone", ""),
                ])
                .send()
                .await;
            match sent {
                Ok(r) if location(&r).starts_with("/dossier/contacts#item-") => {
                    done.contacts.acknowledged.push(last_name);
                    shared.ack();
                }
                Ok(r) => {
                    done.contacts.file_failure(vec![last_name], Ok(&r));
                    // Sent back to /dossier: the session is not known (any
                    // acknowledged one is checked at the end); sign in again.
                    if location(&r) == "/dossier" {
                        session = None;
                    }
                }
                Err(e) => {
                    done.contacts.file_failure(vec![last_name], Err(&e));
                    pause().await;
                }
            }
        }
    }
    done
}

/// A new case with its SMS link's token (through the store, as the intake
/// would; the server may be down meanwhile: tried again, bounded).
async fn new_case(db: &Db, reference: &str) -> (CaseId, String) {
    let case = NewCase {
        reference: reference.to_owned(),
        lab_reference: None,
        first_name: "Gaspard".into(),
        last_name: "Zyxwvutsky".into(),
        birth_date: "1961-07-14".into(),
        phone: "+33639980001".into(),
        lang: relais::Lang::Fr,
        sample_date: days_ago(1).to_string(),
        test_type: "pcr".into(),
        symptom_onset: Some(days_ago(3).to_string()),
        departement: None,
    };
    for _ in 0..100 {
        let id = match relais_store::cases::id_of_reference(db, reference).await {
            Ok(Some(id)) => Ok(id),
            Ok(None) => create_case(db, &case).await,
            Err(e) => Err(e),
        };
        if let Ok(id) = id {
            if let Ok(link) = issue_case_link(db, id).await {
                return (id, link.token);
            }
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the store could not create case {reference}");
}

/// Posts the date-of-birth form: the session's secret when acknowledged.
async fn sign_in(client: &reqwest::Client, site: &Site, token: &str) -> Option<String> {
    let response = client
        .post(format!("{}/api/case/identity", site.base))
        .header("origin", &site.base)
        .header("accept", "text/html,application/xhtml+xml")
        .form(&[
            ("token", token),
            ("day", BIRTH.0),
            ("month", BIRTH.1),
            ("year", BIRTH.2),
        ])
        .send()
        .await
        .ok()?;
    let to = location(&response);
    assert!(
        !to.contains("erreur=limite"),
        "the sign-ins of the test reached the per-address limit: {to}"
    );
    if to != "/dossier" {
        return None;
    }
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .filter_map(|c| c.split(';').next()?.split_once('='))
        .find(|(name, _)| *name == "relais_session")
        .map(|(_, value)| value.to_owned())
}

fn location(response: &reqwest::Response) -> String {
    response
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned()
}

/// What a check found, by marker.
#[derive(Default)]
struct Found {
    acknowledged: usize,
    lost: Vec<String>,
    duplicated: Vec<String>,
    /// Rows beyond the one each marker may have: the duplicated figure.
    extra: usize,
    /// Not sent (or never written by the test), and there.
    phantoms: Vec<String>,
    unanswered_present: usize,
}

/// The intake's cases, after the last restart. The count of cases comes
/// first (lab references are UNIQUE: a second copy could only be a case
/// more than the references account for); then each batch is sent again,
/// which answers `already_present` for a case that is there.
async fn check_intake(
    site: &Site,
    db: &Db,
    ledger: &Ledger,
    references: &HashMap<String, Option<String>>,
) -> Found {
    let mut found = Found {
        acknowledged: ledger.acknowledged.len(),
        ..Found::default()
    };
    let all = relais_store::cases::case_ids_with_reference_prefix(db, "")
        .await
        .expect("cases");
    let in_database = all
        .iter()
        .filter(|(_, r)| !r.starts_with("CRASHD-"))
        .count();
    let invitations: i64 = relais_store::outbox::counts(db)
        .await
        .expect("outbox")
        .iter()
        .map(|(_, n)| n)
        .sum();

    let present = |labs: Vec<String>| async move {
        let client = site.client();
        let mut present = Vec::new();
        for chunk in labs.chunks(500) {
            let items: Vec<Value> = chunk.iter().map(|lab| intake_item(lab)).collect();
            let answer: Value = client
                .post(format!("{}/api/v1/cases", site.base))
                .bearer_auth(&site.key)
                .json(&json!({ "cases": items }))
                .send()
                .await
                .expect("the check's batch")
                .json()
                .await
                .expect("the check's answer");
            let results = answer["results"].as_array().expect("results");
            for (lab, result) in chunk.iter().zip(results) {
                let there = result["status"] == "already_present";
                present.push((lab.clone(), there, result["case_reference"].clone()));
            }
        }
        present
    };
    let mut acknowledged_present = 0;
    for (lab, there, reference) in present(ledger.acknowledged.clone()).await {
        let answered = references.get(&lab).cloned().flatten();
        acknowledged_present += usize::from(there);
        if !there {
            found.lost.push(lab);
        } else if answered.is_some_and(|r| reference != r.as_str()) {
            found
                .lost
                .push(format!("{lab} (another case: {reference})"));
        }
    }
    for (_, there, _) in present(ledger.unanswered.clone()).await {
        found.unanswered_present += usize::from(there);
    }
    for (lab, there, _) in present(ledger.not_sent.clone()).await {
        if there {
            found.phantoms.push(lab);
        }
    }
    let accounted = acknowledged_present + found.unanswered_present;
    if in_database > accounted {
        found.extra += in_database - accounted;
        found.duplicated.push(format!(
            "{} cases more than the lab references sent",
            in_database - accounted
        ));
    }
    // Each case with its invitation, written in the same transaction.
    let invitations = usize::try_from(invitations).unwrap_or_default();
    if invitations > in_database {
        found.extra += invitations - in_database;
        found
            .duplicated
            .push(format!("{invitations} invitations for {in_database} cases"));
    } else if invitations < in_database {
        found
            .lost
            .push(format!("{invitations} invitations for {in_database} cases"));
    }
    found
}

/// The declared contacts, after the last restart, by last name.
async fn check_contacts(db: &Db, ledger: &Ledger, cases: &[CaseId]) -> Found {
    let mut counts: HashMap<String, usize> = HashMap::new();
    for case in cases {
        let contacts = relais_store::contacts::list_contacts(db, *case)
            .await
            .expect("contacts");
        for contact in contacts {
            *counts.entry(contact.input.last_name).or_default() += 1;
        }
    }
    let mut found = Found {
        acknowledged: ledger.acknowledged.len(),
        ..Found::default()
    };
    let mut take = |name: &String| counts.remove(name).unwrap_or(0);
    for name in &ledger.acknowledged {
        match take(name) {
            0 => found.lost.push(name.clone()),
            1 => {}
            n => {
                found.extra += n - 1;
                found.duplicated.push(format!("{name} ×{n}"));
            }
        }
    }
    for name in &ledger.unanswered {
        match take(name) {
            0 => {}
            1 => found.unanswered_present += 1,
            n => {
                found.extra += n - 1;
                found.duplicated.push(format!("{name} ×{n} (unanswered)"));
            }
        }
    }
    for name in &ledger.not_sent {
        if take(name) > 0 {
            found.phantoms.push(name.clone());
        }
    }
    found
        .phantoms
        .extend(counts.into_iter().map(|(name, n)| format!("{name} ×{n}")));
    found
}

/// The acknowledged sign-ins whose session the store no longer knows.
async fn check_sessions(db: &Db, sign_ins: &[(CaseId, String)]) -> Vec<String> {
    let mut lost = Vec::new();
    for (case, secret) in sign_ins {
        let subject = session_subject(db, secret).await.expect("session");
        if subject != Some(SessionSubject::Case(*case)) {
            lost.push(format!("case {}", case.get()));
        }
    }
    lost
}
