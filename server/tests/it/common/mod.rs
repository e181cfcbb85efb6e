//! Starts the real application on a random port against a fresh database:
//! an SQLite file in a temporary folder, or a throw-away PostgreSQL database
//! when `RELAIS_TEST_POSTGRES_URL` is set.
#![allow(dead_code)]

pub mod citizen;
pub mod dataset;
pub mod gateway;
pub mod staff;

use relais_server::config::Config;
use relais_server::http::{build_router, AppState};
use relais_store::Db;
use std::net::SocketAddr;

/// Which database a test runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    Sqlite,
    Postgres,
}

/// The engines available to this run: SQLite always, PostgreSQL when
/// `RELAIS_TEST_POSTGRES_URL` names a server (CI always sets it).
pub fn engines() -> Vec<Engine> {
    let mut engines = vec![Engine::Sqlite];
    if postgres_admin_url().is_some() {
        engines.push(Engine::Postgres);
    } else {
        eprintln!("RELAIS_TEST_POSTGRES_URL is not set: PostgreSQL tests skipped");
    }
    engines
}

fn postgres_admin_url() -> Option<String> {
    std::env::var("RELAIS_TEST_POSTGRES_URL")
        .ok()
        .filter(|v| !v.trim().is_empty())
}

/// A fresh, empty database of `engine` (not yet migrated). The value keeps
/// the temporary folder alive as long as the test needs it.
pub struct FreshDatabase {
    pub url: String,
    _dir: Option<tempfile::TempDir>,
}

pub async fn fresh_database(engine: Engine) -> FreshDatabase {
    match engine {
        Engine::Sqlite => {
            let dir = tempfile::tempdir().expect("temporary folder");
            let url = format!("sqlite://{}/nested/relais.db", dir.path().display());
            FreshDatabase {
                url,
                _dir: Some(dir),
            }
        }
        Engine::Postgres => {
            let admin = postgres_admin_url().expect("RELAIS_TEST_POSTGRES_URL");
            let name = format!("relais_t_{}", random_suffix());
            let db = Db::connect(&admin)
                .await
                .expect("PostgreSQL server answers");
            sqlx::query(&format!("CREATE DATABASE {name}"))
                .execute(db.pool())
                .await
                .expect("create a throw-away database");
            db.close().await;
            let url = match admin.rfind('/') {
                Some(slash) if slash > "postgres://".len() => format!("{}/{name}", &admin[..slash]),
                _ => format!("{}/{name}", admin.trim_end_matches('/')),
            };
            FreshDatabase { url, _dir: None }
        }
    }
}

fn random_suffix() -> String {
    use std::time::{SystemTime, UNIX_EPOCH};
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default();
    format!("{}_{}", std::process::id(), nanos % 1_000_000_000)
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
        let db = relais_server::serve::open_database(&config)
            .await
            .expect("open and migrate the database");
        let app = build_router(AppState::new(
            db.clone(),
            config.clone(),
            relais::RuleSets::embedded(),
        ));
        tokio::spawn(async move {
            axum::serve(
                listener,
                app.into_make_service_with_connect_info::<SocketAddr>(),
            )
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

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }
}

/// An HTTP client that does not follow redirects (tests look at them).
pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        // A server that never answers fails the test instead of hanging it.
        .timeout(std::time::Duration::from_secs(60))
        .build()
        .expect("HTTP client")
}
