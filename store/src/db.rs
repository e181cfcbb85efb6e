//! Connecting to the database and migrating it.

use crate::backend::prepare_connection;
pub use crate::backend::Backend;
use crate::clock::Clock;
use crate::error::StoreError;
pub use crate::pool::PING_AFTER_IDLE;
use crate::pool::{Pool, ACQUIRE_TIMEOUT};
use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::pool::PoolConnection;
use sqlx::{Any, AnyConnection, AnyPool, Connection, Executor, Transaction};
use std::ops::{Deref, DerefMut};
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{Mutex, OwnedMutexGuard};

/// How long a writer waits for its turn (see [`Db::begin_write`]) before
/// it gives up with an error: the pool's acquire timeout.
pub const WRITE_TURN_TIMEOUT: Duration = Duration::from_secs(10);

/// The shared database: its connections and the engine behind them.
#[derive(Debug, Clone)]
pub struct Db {
    /// The connections for statements outside a transaction ([`Db::pool`]).
    statements: Pool,
    /// sqlx's pool, for the writing transactions and turns ([`Db::begin_write`]).
    pool: AnyPool,
    backend: Backend,
    clock: Clock,
    /// SQLite's writers of this process, one at a time (see
    /// [`Db::begin_write`]); `None` on PostgreSQL, which locks rows.
    writers: Option<Arc<Mutex<()>>>,
    /// The audit lines waiting to be written together
    /// ([`crate::audit::record`]).
    audit_lines: Arc<crate::audit::lines::Lines>,
    /// The shared secrets read so far ([`crate::settings::shared_secret`]):
    /// written once for the deployment, never changed, so read once.
    secrets: Arc<std::sync::Mutex<std::collections::HashMap<String, String>>>,
}

/// A connection that writes: on SQLite it holds the process's writing
/// turn (see [`Db::begin_write`]) until dropped. It derefs to the
/// connection, as sqlx's transaction and pooled connection do.
pub struct Writing<C> {
    // Declared first, dropped first: a transaction's rollback is queued,
    // and the connection given back, before the turn passes to the next
    // writer.
    conn: C,
    _turn: Option<OwnedMutexGuard<()>>,
}

/// A transaction that writes ([`Db::begin_write`]); dropped without
/// [`WriteTx::commit`], it rolls back.
pub type WriteTx = Writing<Transaction<'static, Any>>;

/// A pooled connection for writes outside a transaction ([`Db::write`]).
pub type WriteConn = Writing<PoolConnection<Any>>;

impl WriteTx {
    pub async fn commit(self) -> Result<(), sqlx::Error> {
        self.conn.commit().await
    }

    pub async fn rollback(self) -> Result<(), sqlx::Error> {
        self.conn.rollback().await
    }
}

impl<C: Deref<Target = AnyConnection>> Deref for Writing<C> {
    type Target = AnyConnection;
    fn deref(&self) -> &AnyConnection {
        &self.conn
    }
}

impl<C: DerefMut<Target = AnyConnection>> DerefMut for Writing<C> {
    fn deref_mut(&mut self) -> &mut AnyConnection {
        &mut self.conn
    }
}

static SQLITE_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("../migrations/sqlite");
static POSTGRES_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("../migrations/postgres");

/// How many connections each of a node's two pools opens at most on
/// PostgreSQL, unless configured otherwise ([`Db::connect_with`]): up to
/// twice this many per node.
pub const DEFAULT_POSTGRES_CONNECTIONS: u32 = 16;

impl Db {
    /// Opens a pool on `url`. An SQLite file (and its directory) is created
    /// when missing, in WAL mode with `synchronous=FULL`, foreign keys on and
    /// a busy timeout so that concurrent writers wait instead of failing.
    pub async fn connect(url: &str) -> Result<Db, StoreError> {
        Db::connect_with(url, DEFAULT_POSTGRES_CONNECTIONS).await
    }

    /// [`Db::connect`], each pool opening at most `postgres_connections` on
    /// PostgreSQL (at least 1): the nodes of a deployment share the
    /// server's connections (`max_connections`, 100 by default), each node
    /// up to twice this many. SQLite's pools keep their sizes (one writer
    /// at a time).
    pub async fn connect_with(url: &str, postgres_connections: u32) -> Result<Db, StoreError> {
        let postgres_connections = postgres_connections.max(1);
        sqlx::any::install_default_drivers();
        let backend = Backend::from_url(url).ok_or_else(|| {
            StoreError::InvalidUrl("expected sqlite://PATH or postgres://…".to_owned())
        })?;
        let url = match backend {
            Backend::Sqlite => prepare_sqlite_url(url)?,
            Backend::Postgres => url.to_owned(),
        };
        let options =
            AnyConnectOptions::from_str(&url).map_err(|e| StoreError::InvalidUrl(e.to_string()))?;
        // On SQLite, 6 and the writers' 2: the 8 connections there were
        // before the statements had a pool of their own. Each is a thread
        // with its page cache and its statements: with 8 and 2, the route
        // benchmark's peak RSS at 1,000,000 cases was 152 MiB, with 6 and 2
        // 143 MiB (`bench/README.md`, twelfth part).
        let statements = Pool::new(
            options.clone(),
            backend,
            match backend {
                Backend::Sqlite => 6,
                Backend::Postgres => postgres_connections,
            },
        );
        let pool = AnyPoolOptions::new()
            .max_connections(match backend {
                // One writer at a time (`turn`), and one being checked as
                // it comes back.
                Backend::Sqlite => 2,
                Backend::Postgres => postgres_connections,
            })
            .min_connections(1)
            .acquire_timeout(ACQUIRE_TIMEOUT)
            // sqlx pings every connection it hands out, on top of the ping
            // with which it checks every connection given back: a round trip
            // per query for nothing on a connection used a moment ago (a
            // page makes several queries). One idle for a while may have been
            // cut (the server restarted, a firewall's idle timeout): it is
            // still pinged, and a dead one replaced before the query.
            .test_before_acquire(false)
            .before_acquire(|conn, meta| {
                Box::pin(async move {
                    if meta.idle_for >= PING_AFTER_IDLE {
                        conn.ping().await?;
                    }
                    Ok(true)
                })
            })
            // A connection must come back without a transaction. sqlx's
            // SQLite `BEGIN IMMEDIATE`, its future dropped (a client gone:
            // hyper drops the request's) after SQLite began and before sqlx
            // made the `Transaction`, leaves one open that nobody will roll
            // back: the connection went back to the pool holding SQLite's
            // write lock, every writer after it failed with "database is
            // locked", and the statements run on it were never committed.
            // A dropped `Transaction`'s rollback is queued on the
            // connection: the ping runs it first. One still open after it
            // is closed, which rolls it back.
            .after_release(|conn, _meta| {
                Box::pin(async move {
                    if conn.is_in_transaction() {
                        conn.ping().await?;
                        if conn.is_in_transaction() {
                            tracing::warn!(
                                "a connection came back in a transaction left open \
                                 (a request cancelled as it began): closed, rolled back"
                            );
                            return Ok(false);
                        }
                    }
                    Ok(true)
                })
            })
            .after_connect(move |conn, _meta| Box::pin(prepare_connection(conn, backend)))
            .connect_with(options)
            .await?;
        Ok(Db {
            statements,
            pool,
            backend,
            clock: Clock::system(),
            writers: (backend == Backend::Sqlite).then(|| Arc::new(Mutex::new(()))),
            audit_lines: Arc::default(),
            secrets: Arc::default(),
        })
    }

    /// Begins a transaction that will write.
    ///
    /// SQLite admits one writer at a time. A connection that finds the
    /// write lock taken sleeps in SQLite's busy handler, 1, 2, 5 … 100 ms
    /// however soon the lock frees: under load, writers spent their time
    /// asleep (measured in `bench/README.md`). So this process's writers
    /// take their turn here first, in order, woken the moment the previous
    /// one is done, and then take SQLite's lock at once (`BEGIN
    /// IMMEDIATE`: a deferred transaction that reads, then writes, fails
    /// when another writer commits in between). The busy timeout still
    /// covers another process (a command run beside the server).
    ///
    /// A store function holding a writing turn must not ask for another:
    /// that waits for itself, and fails after [`WRITE_TURN_TIMEOUT`].
    pub async fn begin_write(&self) -> Result<WriteTx, StoreError> {
        let turn = self.turn().await?;
        let tx = match self.backend {
            Backend::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await?,
            Backend::Postgres => self.pool.begin().await?,
        };
        Ok(Writing {
            conn: tx,
            _turn: turn,
        })
    }

    /// A connection for writing statements outside a transaction, each
    /// committed on its own, after this process's other writers (see
    /// [`Db::begin_write`]).
    pub async fn write(&self) -> Result<WriteConn, StoreError> {
        let turn = self.turn().await?;
        let conn = self.pool.acquire().await?;
        Ok(Writing { conn, _turn: turn })
    }

    /// This process's writing turn on SQLite (none on PostgreSQL).
    async fn turn(&self) -> Result<Option<OwnedMutexGuard<()>>, StoreError> {
        let Some(writers) = &self.writers else {
            return Ok(None);
        };
        match tokio::time::timeout(WRITE_TURN_TIMEOUT, writers.clone().lock_owned()).await {
            Ok(turn) => Ok(Some(turn)),
            Err(_) => Err(StoreError::Database(sqlx::Error::PoolTimedOut)),
        }
    }

    /// Applies the migrations of this engine that are not applied yet.
    ///
    /// SQLite's run on a connection of their own with foreign keys off
    /// (sqlx runs each in a transaction, where the pragma cannot change):
    /// a migration that copies a table others reference (SQLite changes a
    /// constraint only so) would otherwise run their `ON DELETE` actions
    /// when it drops the old table. Every foreign key is checked once the
    /// migrations are done, and the connection is closed, not returned.
    pub async fn migrate(&self) -> Result<(), StoreError> {
        match self.backend {
            Backend::Sqlite => {
                let mut conn = self.pool.acquire().await?.detach();
                let migrated = async {
                    conn.execute("PRAGMA foreign_keys = OFF").await?;
                    SQLITE_MIGRATIONS.run(&mut conn).await?;
                    let broken: Vec<(String,)> =
                        sqlx::query_as("SELECT \"table\" FROM pragma_foreign_key_check")
                            .fetch_all(&mut conn)
                            .await?;
                    match broken.first() {
                        Some((table,)) => Err(StoreError::Internal(format!(
                            "after the migrations, rows of {table} point to nothing"
                        ))),
                        None => Ok(()),
                    }
                }
                .await;
                let _ = conn.close().await;
                migrated?
            }
            Backend::Postgres => POSTGRES_MIGRATIONS.run(&self.pool).await?,
        }
        Ok(())
    }

    /// True when the database answers a trivial query.
    pub async fn is_reachable(&self) -> bool {
        sqlx::query("SELECT 1")
            .execute(&self.statements)
            .await
            .is_ok()
    }

    /// The connections for statements outside a transaction (see
    /// [`crate::pool`]): `sqlx::query(…).fetch_one(db.pool())`.
    pub fn pool(&self) -> &Pool {
        &self.statements
    }

    /// Connections open and, of them, idle: the statements' pool's and the
    /// writers'.
    pub fn connections(&self) -> (u32, usize) {
        (
            self.statements.size() + self.pool.size(),
            self.statements.num_idle() + self.pool.num_idle(),
        )
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// This process's audit lines waiting to be written together.
    pub(crate) fn audit_lines(&self) -> &Arc<crate::audit::lines::Lines> {
        &self.audit_lines
    }

    /// The shared secrets this process has read, locked. (A panic while
    /// they were held, none can in a lookup or an insert, leaves them whole.)
    pub(crate) fn secrets(
        &self,
    ) -> std::sync::MutexGuard<'_, std::collections::HashMap<String, String>> {
        self.secrets
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The same database read with `clock` (tests: a clock they move).
    pub fn with_clock(mut self, clock: Clock) -> Db {
        self.clock = clock;
        self
    }

    /// The clock every store function reads (shared by every clone).
    pub fn clock(&self) -> &Clock {
        &self.clock
    }

    /// The current instant by this database's clock, in Unix seconds.
    pub fn now(&self) -> i64 {
        self.clock.now()
    }

    /// The desk's wall-clock time (Europe/Paris) by this database's clock.
    pub fn now_local(&self) -> time::PrimitiveDateTime {
        self.clock.now_local()
    }

    /// Today in Paris by this database's clock: the service's day.
    pub fn today_paris(&self) -> time::Date {
        self.clock.today_paris()
    }

    /// Closes every connection (at shutdown).
    pub async fn close(&self) {
        self.statements.close().await;
        self.pool.close().await;
    }
}

/// Makes sure the SQLite file's directory exists and that the file is
/// created when missing (`mode=rwc`).
fn prepare_sqlite_url(url: &str) -> Result<String, StoreError> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))
        .unwrap_or_default();
    let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
    if path.is_empty() {
        return Err(StoreError::InvalidUrl(
            "sqlite URL without a file path".to_owned(),
        ));
    }
    if path != ":memory:" {
        if let Some(dir) = std::path::Path::new(path).parent() {
            if !dir.as_os_str().is_empty() {
                std::fs::create_dir_all(dir).map_err(|source| StoreError::Directory {
                    path: dir.display().to_string(),
                    source,
                })?;
            }
        }
    }
    let mode = if query.split('&').any(|p| p.starts_with("mode=")) {
        String::new()
    } else if query.is_empty() {
        "?mode=rwc".to_owned()
    } else {
        "&mode=rwc".to_owned()
    };
    let query = if query.is_empty() {
        String::new()
    } else {
        format!("?{query}")
    };
    Ok(format!("sqlite://{path}{query}{mode}"))
}

/// A database in a temporary folder, for the store's unit tests: SQLite,
/// not migrated. Keep the folder as long as the database.
#[cfg(test)]
pub(crate) async fn temporary_sqlite() -> (tempfile::TempDir, Db) {
    let dir = tempfile::tempdir().expect("temporary folder");
    let db = Db::connect(&format!("sqlite://{}/t.db", dir.path().display()))
        .await
        .expect("SQLite opens");
    (dir, db)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sqlite_urls_get_create_mode() {
        let dir = std::env::temp_dir().join("relais-url-test");
        let url = format!("sqlite://{}/x.db", dir.display());
        assert_eq!(prepare_sqlite_url(&url).unwrap(), format!("{url}?mode=rwc"));
        assert!(dir.is_dir());
        assert_eq!(
            prepare_sqlite_url("sqlite::memory:").unwrap(),
            "sqlite://:memory:?mode=rwc"
        );
        assert!(prepare_sqlite_url("sqlite://").is_err());
        assert_eq!(Backend::from_url("mysql://x"), None);
        assert_eq!(Backend::from_url("postgresql://x"), Some(Backend::Postgres));
    }
}
