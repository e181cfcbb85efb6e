//! Starts the real application on a random port against a fresh database:
//! an SQLite file in a temporary folder, or a throw-away PostgreSQL database
//! when `RELAIS_TEST_POSTGRES_URL` is set. Each fresh database is a copy of
//! a template migrated once per engine and per process, so that the tests
//! do not each run every migration.
#![allow(dead_code)]

pub mod browser;
pub mod citizen;
pub mod command;
pub mod dataset;
pub mod gateway;
pub mod inbound;
pub mod sql;
pub mod staff;

use relais_server::config::Config;
use relais_server::http::{build_router, AppState};
use relais_store::Db;
use std::net::SocketAddr;
use std::path::Path;
use tokio::sync::OnceCell;

/// Which database a test runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    Sqlite,
    Postgres,
}

/// Declares a test that runs once per engine:
///
/// ```ignore
/// engine_test!(a_name, |engine| async move {
///     let server = TestServer::start(engine).await;
///     …
/// });
/// ```
///
/// gives the tests `a_name::sqlite` and `a_name::postgres`: they run in
/// parallel, and a failure names its engine. The PostgreSQL one returns at
/// once, saying so, when `RELAIS_TEST_POSTGRES_URL` is not set (CI always
/// sets it). The body is compiled once, into `async fn a_name(engine)`.
macro_rules! engine_test {
    ($name:ident, |$engine:ident| $body:expr) => {
        #[allow(unused_variables)]
        async fn $name($engine: $crate::common::Engine) {
            $body.await
        }

        mod $name {
            #[tokio::test]
            async fn sqlite() {
                super::$name($crate::common::Engine::Sqlite).await
            }

            #[tokio::test]
            async fn postgres() {
                if !$crate::common::postgres_available() {
                    eprintln!(
                        "RELAIS_TEST_POSTGRES_URL is not set: {}::postgres skipped",
                        module_path!()
                    );
                    return;
                }
                super::$name($crate::common::Engine::Postgres).await
            }
        }
    };
}
pub(crate) use engine_test;

/// Today by the service's day (Paris): what the server compares a date
/// typed today with. Between 23:00 and midnight UTC the machine's UTC day is
/// already over in Paris.
pub fn today() -> time::Date {
    relais_store::Clock::system().today_paris()
}

/// True when `RELAIS_TEST_POSTGRES_URL` names a PostgreSQL server.
pub fn postgres_available() -> bool {
    postgres_admin_url().is_some()
}

fn postgres_admin_url() -> Option<String> {
    std::env::var("RELAIS_TEST_POSTGRES_URL")
        .ok()
        .filter(|v| !v.trim().is_empty())
}

/// The URL of database `name` on the server of the admin URL.
fn postgres_url(admin: &str, name: &str) -> String {
    match admin.rfind('/') {
        Some(slash) if slash > "postgres://".len() => format!("{}/{name}", &admin[..slash]),
        _ => format!("{}/{name}", admin.trim_end_matches('/')),
    }
}

/// A fresh database of `engine`, migrated and empty: a copy of the
/// process's template. The value keeps the temporary folder alive as long
/// as the test needs it.
pub struct FreshDatabase {
    pub url: String,
    _dir: Option<tempfile::TempDir>,
}

pub async fn fresh_database(engine: Engine) -> FreshDatabase {
    match engine {
        Engine::Sqlite => {
            let template = sqlite_template().await;
            let dir = tempfile::tempdir().expect("temporary folder");
            let path = dir.path().join("nested/relais.db");
            std::fs::create_dir_all(path.parent().unwrap()).expect("database folder");
            template.copy_to(&path);
            FreshDatabase {
                url: format!("sqlite://{}", path.display()),
                _dir: Some(dir),
            }
        }
        Engine::Postgres => {
            let admin = postgres_admin_url().expect("RELAIS_TEST_POSTGRES_URL");
            let template = postgres_template(&admin).await;
            let name = format!("relais_t_{}", unique_suffix());
            let db = Db::connect(&admin)
                .await
                .expect("PostgreSQL server answers");
            sql::create_database_from_template(&db, &name, template).await;
            db.close().await;
            FreshDatabase {
                url: postgres_url(&admin, &name),
                _dir: None,
            }
        }
    }
}

/// Opens and migrates the template at `url` exactly as a server starting
/// on an empty database does (a missing SQLite folder included), then
/// closes every connection to it.
async fn migrate_template(url: &str) {
    let config = Config::from_lookup(|name| match name {
        "RELAIS_DATABASE_URL" => Some(url.to_owned()),
        "RELAIS_ADDR" => Some("127.0.0.1:0".to_owned()),
        _ => None,
    })
    .expect("valid template configuration");
    let db = relais_server::database::open_database(&config)
        .await
        .expect("open and migrate the template database");
    db.close().await;
}

/// The migrated SQLite database every SQLite test starts from: its file
/// (and write-ahead log, if the close left one), kept in memory so that
/// nothing is left behind in the temporary folder when the process ends
/// (statics are never dropped).
struct SqliteTemplate {
    main: Vec<u8>,
    wal: Option<Vec<u8>>,
}

impl SqliteTemplate {
    fn copy_to(&self, path: &Path) {
        std::fs::write(path, &self.main).expect("copy of the template database");
        if let Some(wal) = &self.wal {
            std::fs::write(wal_of(path), wal).expect("copy of the template's log");
        }
    }
}

fn wal_of(path: &Path) -> std::path::PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push("-wal");
    name.into()
}

/// Migrated once per process; later callers (on other test runtimes) wait
/// for the first.
async fn sqlite_template() -> &'static SqliteTemplate {
    static TEMPLATE: OnceCell<SqliteTemplate> = OnceCell::const_new();
    TEMPLATE
        .get_or_init(|| async {
            let dir = tempfile::tempdir().expect("temporary folder");
            let path = dir.path().join("nested/template.db");
            migrate_template(&format!("sqlite://{}", path.display())).await;
            SqliteTemplate {
                main: std::fs::read(&path).expect("the migrated template"),
                wal: std::fs::read(wal_of(&path)).ok().filter(|w| !w.is_empty()),
            }
        })
        .await
}

/// The name of this process's migrated PostgreSQL template database,
/// created once. `CREATE DATABASE … TEMPLATE` refuses a template that has
/// a connection open, so none stays open after the migration.
async fn postgres_template(admin: &str) -> &'static str {
    static TEMPLATE: OnceCell<String> = OnceCell::const_new();
    TEMPLATE
        .get_or_init(|| async {
            let name = format!("relais_tpl_{}", unique_suffix());
            let db = Db::connect(admin).await.expect("PostgreSQL server answers");
            sql::create_database(&db, &name).await;
            db.close().await;
            migrate_template(&postgres_url(admin, &name)).await;
            name
        })
        .await
}

/// The process id, the clock and a counter: unique across the processes
/// that share a PostgreSQL server and across the tests of this one.
fn unique_suffix() -> String {
    use std::sync::atomic::{AtomicU32, Ordering};
    use std::time::{SystemTime, UNIX_EPOCH};
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default();
    format!(
        "{}_{}_{}",
        std::process::id(),
        nanos % 1_000_000_000,
        COUNTER.fetch_add(1, Ordering::Relaxed)
    )
}

/// A running server and what a test needs to talk to it.
pub struct TestServer {
    pub base: String,
    pub addr: SocketAddr,
    pub db: Db,
    pub config: Config,
    pub engine: Engine,
    _database: FreshDatabase,
}

impl TestServer {
    /// Starts the app on `engine` with the given extra configuration.
    pub async fn start_with(engine: Engine, extra: &[(&str, &str)]) -> TestServer {
        TestServer::start_with_rules(engine, extra, relais::RuleSets::embedded()).await
    }

    /// Starts the app on `engine` under the rules of February 2021 (a
    /// quarantine, a test at once and one on day 7), as if in force today:
    /// the shipped sets give today's cases the rules of March 2022, which
    /// have no quarantine. Returns the rules too, for the expected dates.
    pub async fn start_under_quarantine_rules(engine: Engine) -> (TestServer, relais::RuleSets) {
        let rules = quarantine_rules_in_force();
        let server = TestServer::start_with_rules(engine, &[], rules.clone()).await;
        (server, rules)
    }

    /// Starts the app on `engine` with extra configuration and rule sets.
    pub async fn start_with_rules(
        engine: Engine,
        extra: &[(&str, &str)],
        rule_sets: relais::RuleSets,
    ) -> TestServer {
        let database = fresh_database(engine).await;
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("a free port");
        let addr = listener.local_addr().expect("local address");
        let mut vars: Vec<(String, String)> = vec![
            ("RELAIS_DATABASE_URL".into(), database.url.clone()),
            ("RELAIS_ADDR".into(), addr.to_string()),
        ];
        vars.extend(
            extra
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned())),
        );
        let config = Config::from_lookup(|name| {
            vars.iter()
                .rev()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.clone())
        })
        .expect("valid test configuration");
        // The copy is migrated already: this checks it, as a second node
        // starting on a live database does.
        let db = relais_server::database::open_database(&config)
            .await
            .expect("open and migrate the database");
        // As `relais serve` does: the territories of the database.
        let state = AppState::new(db.clone(), config.clone(), rule_sets);
        state
            .territories
            .refresh(&db)
            .await
            .expect("read the territories");
        let app = build_router(state);
        // As `relais serve` does: its listener, with its header-read timeout.
        let limits = relais_server::listener::Limits::from_config(&config);
        tokio::spawn(async move {
            relais_server::listener::serve(listener, app, limits, std::future::pending())
                .await
                .expect("server runs");
        });
        TestServer {
            base: format!("http://{addr}"),
            addr,
            db,
            config,
            engine,
            _database: database,
        }
    }

    pub async fn start(engine: Engine) -> TestServer {
        TestServer::start_with(engine, &[]).await
    }
}

/// The shipped sets plus the shipped set `file` (id `id`, effective
/// `effective`) under the id `as_id`, in force from a year before today
/// (an operator's file, as `RELAIS_DOCTRINE_DIR` would add it): the shipped
/// sets give today's cases the rules of March 2022 (no quarantine).
fn shipped_rules_in_force(text: &str, id: &str, effective: &str, as_id: &str) -> relais::RuleSets {
    let from = today() - time::Duration::days(365);
    let current = text
        .replacen(&format!("id = \"{id}\""), &format!("id = \"{as_id}\""), 1)
        .replacen(
            &format!("effective = {effective}"),
            &format!("effective = {}", relais::dates::iso(from)),
            1,
        );
    assert_ne!(current, text, "the set's id and date were replaced");
    relais::RuleSets::with_files([(format!("{as_id}.toml"), current)])
        .expect("a valid operator set")
}

/// The rules of February 2021 (a quarantine, a test at once and one on
/// day 7) in force today.
pub fn quarantine_rules_in_force() -> relais::RuleSets {
    let text = include_str!("../../../../doctrine/2021-02.toml");
    shipped_rules_in_force(text, "2021-02", "2021-02-22", "test-current")
}

/// The rules of January 2022 in force today: the case's isolation by
/// vaccination with the early release on day 5 or 7; contacts by
/// vaccination and age (a vaccinated contact has no quarantine, a test at
/// once and self-tests on days 2 and 4 after being told).
pub fn january_2022_rules_in_force() -> relais::RuleSets {
    let text = include_str!("../../../../doctrine/2022-01.toml");
    shipped_rules_in_force(text, "2022-01", "2022-01-03", "test-january-2022")
}

impl TestServer {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }
}
