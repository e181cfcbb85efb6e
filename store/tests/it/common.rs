//! Databases for the tests, one fresh one each, and the fixtures they share.

use relais::contact_form::{ContactInput, Relationship};
use relais::ids::{CaseId, ContactId, StaffId};
use relais::roles::StaffRole;
use relais::situation::ContactExposure;
use relais::{Classification, Lang, Phone};
use relais_store::cases::NewCase;
use relais_store::declaration::{Editor, SaveOutcome};
use relais_store::Db;
use std::sync::atomic::{AtomicU32, Ordering};
use time::{Date, Duration};

/// The variable naming the PostgreSQL server of the `_postgres` tests
/// (`postgres://user@host:port/db`; the user may create databases).
pub const POSTGRES_URL_VAR: &str = "RELAIS_TEST_POSTGRES_URL";

/// The engine a test runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    Sqlite,
    Postgres,
}

/// The PostgreSQL server of the tests, when there is one.
pub fn postgres_url() -> Option<String> {
    std::env::var(POSTGRES_URL_VAR)
        .ok()
        .filter(|url| !url.trim().is_empty())
}

/// Runs each named body (an `async fn(Db)`) once per engine, as the tests
/// `$sqlite` and `$postgres`, each on a fresh migrated database.
macro_rules! per_engine {
    ($($body:ident => $sqlite:ident, $postgres:ident;)+) => {$(
        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn $sqlite() {
            let (db, _guard) = $crate::common::fresh_db($crate::common::Engine::Sqlite).await;
            $body(db).await;
        }

        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn $postgres() {
            if $crate::common::postgres_url().is_none() {
                eprintln!(
                    "note: {} not run: set {} to a PostgreSQL server",
                    stringify!($postgres),
                    $crate::common::POSTGRES_URL_VAR
                );
                return;
            }
            let (db, _guard) = $crate::common::fresh_db($crate::common::Engine::Postgres).await;
            $body(db).await;
        }
    )+};
}

/// What a test database leaves behind: the SQLite file's directory, or the
/// PostgreSQL database (dropped with the guard, even when the test fails).
pub enum Guard {
    Sqlite { _dir: tempfile::TempDir },
    Postgres { server_url: String, name: String },
}

impl Drop for Guard {
    fn drop(&mut self) {
        let Guard::Postgres { server_url, name } = self else {
            return;
        };
        let (server_url, database) = (server_url.clone(), name.clone());
        // Drop runs inside the test's runtime, which cannot block on a
        // future: the database goes from a thread of its own. Best effort:
        // a database left behind has a unique name and harms no other run.
        let dropped = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .ok()?;
            runtime.block_on(async {
                let server = Db::connect(&server_url).await.ok()?;
                let done = crate::sql::drop_database(&server, &database).await;
                server.close().await;
                done.ok()
            })
        })
        .join();
        if !matches!(dropped, Ok(Some(()))) {
            eprintln!("note: test database {name} was left behind");
        }
    }
}

/// Databases created by this process (with its id: unique names).
static DATABASES: AtomicU32 = AtomicU32::new(0);

/// A fresh, migrated database of `engine`, and what keeps it alive.
pub async fn fresh_db(engine: Engine) -> (Db, Guard) {
    match engine {
        Engine::Sqlite => {
            let dir = tempfile::tempdir().expect("temporary directory");
            let url = format!("sqlite://{}/t.db", dir.path().display());
            let db = Db::connect(&url).await.expect("open the SQLite file");
            db.migrate().await.expect("migrate SQLite");
            (db, Guard::Sqlite { _dir: dir })
        }
        Engine::Postgres => {
            let server_url = postgres_url().expect("RELAIS_TEST_POSTGRES_URL");
            let name = format!(
                "relais_st_{}_{}",
                std::process::id(),
                DATABASES.fetch_add(1, Ordering::SeqCst)
            );
            let server = Db::connect(&server_url)
                .await
                .expect("connect to the PostgreSQL server");
            crate::sql::create_database(&server, &name)
                .await
                .expect("create the test database");
            server.close().await;
            let guard = Guard::Postgres {
                server_url: server_url.clone(),
                name: name.clone(),
            };
            let db = Db::connect(&database_url(&server_url, &name))
                .await
                .expect("connect to the test database");
            db.migrate().await.expect("migrate PostgreSQL");
            (db, guard)
        }
    }
}

/// `server_url` with its database replaced by `name` (its query kept).
fn database_url(server_url: &str, name: &str) -> String {
    let (base, query) = match server_url.split_once('?') {
        Some((base, query)) => (base, format!("?{query}")),
        None => (server_url, String::new()),
    };
    let authority_start = base.find("://").map_or(0, |i| i + 3);
    let server = match base[authority_start..].find('/') {
        Some(slash) => &base[..authority_start + slash],
        None => base,
    };
    format!("{server}/{name}{query}")
}

#[test]
fn database_urls() {
    assert_eq!(
        database_url("postgres://postgres@127.0.0.1:5432/postgres", "x"),
        "postgres://postgres@127.0.0.1:5432/x"
    );
    assert_eq!(
        database_url("postgresql://u:p@h/db?sslmode=disable", "x"),
        "postgresql://u:p@h/x?sslmode=disable"
    );
    assert_eq!(
        database_url("postgres://h:5432", "x"),
        "postgres://h:5432/x"
    );
}

/// Today in the desk's time zone (the day the store files cases under).
pub fn today() -> Date {
    relais_store::Clock::system().today_paris()
}

/// A case as the lab feed would send it, sampled two days ago, without
/// symptoms.
pub fn new_case(reference: &str) -> NewCase {
    NewCase {
        reference: reference.to_owned(),
        lab_reference: None,
        first_name: "Camille".to_owned(),
        last_name: "Martin".to_owned(),
        birth_date: "1980-01-02".to_owned(),
        phone: "+33612345678".to_owned(),
        lang: Lang::Fr,
        sample_date: (today() - Duration::days(2)).to_string(),
        test_type: "pcr".to_owned(),
        symptom_onset: None,
        departement: None,
    }
}

/// Creates a case and returns its id.
pub async fn create_case(db: &Db, reference: &str) -> CaseId {
    relais_store::cases::create_case(db, &new_case(reference))
        .await
        .expect("create a case")
}

/// The case as a national staff member reaches it (every case is in that
/// scope): what the desk's store functions take.
pub async fn scoped(db: &Db, case_id: CaseId) -> relais_store::scope::ScopedCase {
    relais_store::scope::case_in_scope(db, relais_store::scope::Scope::whole_country(), case_id)
        .await
        .expect("read the case")
        .expect("the case exists")
}

/// Creates a tracer's account and returns its id.
pub async fn tracer(db: &Db, username: &str) -> StaffId {
    relais_store::staff::create_staff_user(
        db,
        username,
        username,
        StaffRole::Tracer,
        relais_store::organisations::NATIONAL,
        "$argon2id$v=19$m=19456,t=2,p=1$not-a-real-hash",
    )
    .await
    .expect("create a tracer")
}

/// A contact met yesterday, at home, with a mobile phone.
pub fn contact_input(first_name: &str, phone: &str) -> ContactInput {
    ContactInput {
        first_name: first_name.to_owned(),
        last_name: "Durand".to_owned(),
        phone: Phone {
            e164: phone.to_owned(),
            can_receive_sms: true,
        },
        email: None,
        relationship: Relationship::Household,
        exposure: ContactExposure {
            household: true,
            ..ContactExposure::met_on(today() - Duration::days(1))
        },
        guardian_phone: None,
        lang: None,
    }
}

/// The case declares a contact; returns its id.
pub async fn declare_contact(db: &Db, case_id: CaseId, first_name: &str, phone: &str) -> ContactId {
    let saved = relais_store::contacts::save_contact(
        db,
        case_id,
        None,
        "",
        &contact_input(first_name, phone),
        Classification::AtRisk,
        Editor::Case,
    )
    .await
    .expect("save a contact");
    match saved {
        SaveOutcome::Saved(id) => id,
        other => panic!("the case could not declare a contact: {other:?}"),
    }
}

/// The case's current version, as a tracer's page would show it.
pub async fn version_of(db: &Db, case_id: CaseId) -> i64 {
    relais_store::desk::case_file::load_case(db, scoped(db, case_id).await)
        .await
        .expect("load the case")
        .expect("the case exists")
        .version
}
