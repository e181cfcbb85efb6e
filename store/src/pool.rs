//! The connections for statements run outside a transaction: every read,
//! and the few statements that commit on their own without a writing turn.
//!
//! sqlx's pool pings each connection given back to it, whatever its
//! options: one more round trip per statement. On SQLite that is two more
//! thread switches (each statement is handed to the connection's own
//! thread and its answer handed back), on PostgreSQL a message to the
//! server and its answer; a page makes several statements. This pool gives
//! a connection back as it is, and checks one only where a check can find
//! something:
//! - one idle for [`PING_AFTER_IDLE`] or more is pinged before it is handed
//!   out (the database restarted, a firewall cut it), and replaced when the
//!   ping fails;
//! - one whose statement failed on the connection itself (I/O, protocol,
//!   the worker thread gone, the server ending the session) is closed, not
//!   given back;
//! - one given back inside a transaction is closed, which rolls it back
//!   (nothing here begins one, but a connection taken with
//!   [`Pool::acquire`] could).
//!
//! Connections a burst opened are closed once idle for [`CLOSE_AFTER_IDLE`],
//! when another is given back (the last given back is handed out first, so
//! the others stay idle while the load is low).
//!
//! A statement cut short (its future dropped) leaves nothing behind: the
//! connection's next statement waits for the rest of the answer (sqlx does
//! so on both engines).
//!
//! Writing transactions keep sqlx's pool ([`crate::Db::begin_write`]): its
//! check of a connection given back rolls back a transaction whose
//! `BEGIN` was cut short.

use crate::backend::{prepare_connection, Backend};
use futures_util::future::BoxFuture;
use futures_util::stream::BoxStream;
use futures_util::StreamExt;
use sqlx::any::{AnyConnectOptions, AnyQueryResult, AnyRow, AnyStatement, AnyTypeInfo};
use sqlx::{Any, AnyConnection, ConnectOptions, Connection, Describe, Either, Execute, Executor};
use std::fmt;
use std::ops::{Deref, DerefMut};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// A connection idle for this long is pinged before it is handed out (here
/// and by the writers' pool, [`crate::Db::connect`]).
pub const PING_AFTER_IDLE: Duration = Duration::from_secs(5);

/// A connection left idle this long, below one given back since, is closed
/// when a connection is given back: the connections a burst opened end once
/// it is over (sqlx's pool closed them after as long).
pub const CLOSE_AFTER_IDLE: Duration = Duration::from_secs(10 * 60);

/// How long [`Pool::acquire`] waits for a connection before it fails with
/// [`sqlx::Error::PoolTimedOut`] (sqlx's pool waited as long).
pub const ACQUIRE_TIMEOUT: Duration = Duration::from_secs(10);

/// A pool of connections handed out without a check when given back (see
/// the module). Cloning shares it.
#[derive(Clone)]
pub struct Pool {
    shared: Arc<Shared>,
}

struct Shared {
    options: AnyConnectOptions,
    backend: Backend,
    /// One per connection that may be open at once.
    permits: Arc<Semaphore>,
    /// The connections given back, the last one on top: it is handed out
    /// first (its statements prepared, its pages cached), and those below
    /// it stay idle until a burst needs them.
    idle: Mutex<Vec<Idle>>,
    /// Connections open, idle or handed out.
    open: AtomicU32,
    /// [`CLOSE_AFTER_IDLE`] (shorter in tests).
    close_after_idle: Duration,
}

struct Idle {
    conn: AnyConnection,
    since: Instant,
}

impl fmt::Debug for Pool {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Pool")
            .field("backend", &self.shared.backend)
            .field("open", &self.size())
            .field("idle", &self.num_idle())
            .finish()
    }
}

impl Pool {
    /// A pool of at most `max` connections to `options`, opened when first
    /// needed, each prepared by [`prepare_connection`].
    pub(crate) fn new(options: AnyConnectOptions, backend: Backend, max: u32) -> Pool {
        Pool {
            shared: Arc::new(Shared {
                options,
                backend,
                permits: Arc::new(Semaphore::new(max as usize)),
                idle: Mutex::new(Vec::new()),
                open: AtomicU32::new(0),
                close_after_idle: CLOSE_AFTER_IDLE,
            }),
        }
    }

    /// A connection of the pool, waiting at most [`ACQUIRE_TIMEOUT`] for
    /// one to be given back when all are taken. Given back when dropped.
    pub async fn acquire(&self) -> Result<PooledConnection, sqlx::Error> {
        let deadline = tokio::time::Instant::now() + ACQUIRE_TIMEOUT;
        let permit = tokio::time::timeout_at(deadline, self.shared.permits.clone().acquire_owned())
            .await
            .map_err(|_| sqlx::Error::PoolTimedOut)?
            .map_err(|_| sqlx::Error::PoolClosed)?;
        let mut permit = Some(permit);
        loop {
            let idle = self.shared.idle_connections().pop();
            let Some(Idle { conn, since }) = idle else {
                break;
            };
            // Held by the guard from here: a ping cut short (the caller
            // gone) gives the connection back.
            let mut pooled = self.hand_out(conn, permit.take());
            if since.elapsed() < PING_AFTER_IDLE {
                return Ok(pooled);
            }
            match pooled.ping().await {
                Ok(()) => return Ok(pooled),
                Err(e) => {
                    tracing::debug!(error = %e, "an idle connection did not answer: replaced");
                    pooled.broken = true;
                    permit = pooled.permit.take();
                }
            }
        }
        let conn = tokio::time::timeout_at(deadline, self.connect())
            .await
            .map_err(|_| sqlx::Error::PoolTimedOut)??;
        Ok(self.hand_out(conn, permit))
    }

    fn hand_out(
        &self,
        conn: AnyConnection,
        permit: Option<OwnedSemaphorePermit>,
    ) -> PooledConnection {
        PooledConnection {
            conn: Some(conn),
            shared: self.shared.clone(),
            broken: false,
            permit,
        }
    }

    async fn connect(&self) -> Result<AnyConnection, sqlx::Error> {
        let mut conn = self.shared.options.connect().await?;
        if let Err(e) = prepare_connection(&mut conn, self.shared.backend).await {
            let _ = conn.close_hard().await;
            return Err(e);
        }
        self.shared.open.fetch_add(1, Ordering::Relaxed);
        Ok(conn)
    }

    /// Connections open, idle or handed out.
    pub fn size(&self) -> u32 {
        self.shared.open.load(Ordering::Relaxed)
    }

    /// Connections open and waiting in the pool.
    pub fn num_idle(&self) -> usize {
        self.shared.idle_connections().len()
    }

    /// Closes the idle connections; those handed out are closed when given
    /// back, and every later [`Pool::acquire`] fails.
    pub async fn close(&self) {
        self.shared.permits.close();
        let idle = std::mem::take(&mut *self.shared.idle_connections());
        self.shared.close_idle(idle).await;
    }
}

impl Shared {
    /// Counts `idle` out of the pool at once, and closes those connections
    /// as a client leaves (PostgreSQL is told, and logs no connection lost)
    /// when the future runs; dropped without running, it ends them too.
    fn close_idle(
        &self,
        idle: Vec<Idle>,
    ) -> impl std::future::Future<Output = ()> + Send + 'static {
        self.open.fetch_sub(idle.len() as u32, Ordering::Relaxed);
        async move {
            for Idle { conn, .. } in idle {
                let _ = conn.close().await;
            }
        }
    }

    fn idle_connections(&self) -> std::sync::MutexGuard<'_, Vec<Idle>> {
        // A panic while the list was held (none can: push and pop) leaves
        // it whole.
        self.idle
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// A connection taken from a [`Pool`], given back when dropped.
pub struct PooledConnection {
    conn: Option<AnyConnection>,
    shared: Arc<Shared>,
    /// Closed instead of given back (see [`breaks_the_connection`]).
    broken: bool,
    /// The pool's room for this connection, freed after the connection is
    /// given back (a field drops after `drop`).
    permit: Option<OwnedSemaphorePermit>,
}

impl PooledConnection {
    /// The connection, out of the pool for good: the pool may open another
    /// in its place.
    pub fn detach(mut self) -> AnyConnection {
        self.shared.open.fetch_sub(1, Ordering::Relaxed);
        self.conn.take().expect("a connection until dropped")
    }

    /// Notes `result`'s error when it means the connection cannot be used
    /// again.
    fn note<T>(&mut self, result: &Result<T, sqlx::Error>) {
        if let Err(e) = result {
            if breaks_the_connection(e) {
                self.broken = true;
            }
        }
    }
}

impl Deref for PooledConnection {
    type Target = AnyConnection;
    fn deref(&self) -> &AnyConnection {
        self.conn.as_ref().expect("a connection until dropped")
    }
}

impl DerefMut for PooledConnection {
    fn deref_mut(&mut self) -> &mut AnyConnection {
        self.conn.as_mut().expect("a connection until dropped")
    }
}

impl Drop for PooledConnection {
    fn drop(&mut self) {
        let Some(conn) = self.conn.take() else {
            return;
        };
        if self.broken || conn.is_in_transaction() || self.shared.permits.is_closed() {
            // Dropped, the connection ends: SQLite's thread closes the file
            // (rolling back what it held), PostgreSQL's socket is closed,
            // which ends the server's session and its transaction.
            self.shared.open.fetch_sub(1, Ordering::Relaxed);
            return;
        }
        // The list runs from the connection idle the longest to the one
        // given back last (each taken from the top): those at the bottom
        // idle too long are closed, outside the lock.
        let stale: Vec<Idle> = {
            let mut idle = self.shared.idle_connections();
            let stale = idle
                .iter()
                .take_while(|i| i.since.elapsed() >= self.shared.close_after_idle)
                .count();
            let stale = idle.drain(..stale).collect();
            idle.push(Idle {
                conn,
                since: Instant::now(),
            });
            stale
        };
        if stale.is_empty() {
            return;
        }
        // Closed on the runtime when there is one; dropped otherwise.
        let closing = self.shared.close_idle(stale);
        if let Ok(runtime) = tokio::runtime::Handle::try_current() {
            runtime.spawn(closing);
        }
    }
}

/// True when `error` comes from the connection itself rather than from the
/// statement: it is not given back to the pool.
pub fn breaks_the_connection(error: &sqlx::Error) -> bool {
    match error {
        sqlx::Error::Io(_)
        | sqlx::Error::Tls(_)
        | sqlx::Error::Protocol(_)
        | sqlx::Error::WorkerCrashed => true,
        // PostgreSQL's classes 08 (connection exception) and 57P
        // (the server shutting down, the session terminated).
        sqlx::Error::Database(e) => e
            .code()
            .is_some_and(|code| code.starts_with("08") || code.starts_with("57P")),
        _ => false,
    }
}

impl<'p> Executor<'p> for &'_ Pool {
    type Database = Any;

    fn fetch_many<'e, 'q: 'e, E>(
        self,
        query: E,
    ) -> BoxStream<'e, Result<Either<AnyQueryResult, AnyRow>, sqlx::Error>>
    where
        E: 'q + Execute<'q, Any>,
    {
        let pool = self.clone();
        Box::pin(async_stream::try_stream! {
            let mut conn = pool.acquire().await?;
            let mut failed = None;
            {
                let mut items = (&mut *conn).fetch_many(query);
                while let Some(item) = items.next().await {
                    match item {
                        Ok(item) => yield item,
                        Err(e) => {
                            failed = Some(e);
                            break;
                        }
                    }
                }
            }
            if let Some(e) = failed {
                let failed: Result<(), sqlx::Error> = Err(e);
                conn.note(&failed);
                failed?;
            }
        })
    }

    fn fetch_optional<'e, 'q: 'e, E>(
        self,
        query: E,
    ) -> BoxFuture<'e, Result<Option<AnyRow>, sqlx::Error>>
    where
        E: 'q + Execute<'q, Any>,
    {
        let pool = self.clone();
        Box::pin(async move {
            let mut conn = pool.acquire().await?;
            let row = (&mut *conn).fetch_optional(query).await;
            conn.note(&row);
            row
        })
    }

    fn prepare_with<'e, 'q: 'e>(
        self,
        sql: &'q str,
        parameters: &'e [AnyTypeInfo],
    ) -> BoxFuture<'e, Result<AnyStatement<'q>, sqlx::Error>> {
        let pool = self.clone();
        Box::pin(async move {
            let mut conn = pool.acquire().await?;
            let prepared = (&mut *conn).prepare_with(sql, parameters).await;
            conn.note(&prepared);
            prepared
        })
    }

    fn describe<'e, 'q: 'e>(
        self,
        sql: &'q str,
    ) -> BoxFuture<'e, Result<Describe<Any>, sqlx::Error>> {
        let pool = self.clone();
        Box::pin(async move {
            let mut conn = pool.acquire().await?;
            let described = (&mut *conn).describe(sql).await;
            conn.note(&described);
            described
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use futures_util::TryStreamExt;
    use std::str::FromStr;

    /// A pool of at most `max` connections to a new SQLite file.
    fn sqlite_pool(dir: &tempfile::TempDir, max: u32) -> Pool {
        sqlx::any::install_default_drivers();
        let url = format!("sqlite://{}/p.db?mode=rwc", dir.path().display());
        let options = AnyConnectOptions::from_str(&url).expect("an SQLite URL");
        Pool::new(options, Backend::Sqlite, max)
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn connections_idle_too_long_are_closed_when_one_is_given_back() {
        let dir = folder();
        let mut pool = sqlite_pool(&dir, 4);
        Arc::get_mut(&mut pool.shared)
            .expect("the only handle")
            .close_after_idle = Duration::from_secs(2);
        // A burst: three connections at once, given back.
        let burst: Vec<_> = futures_util::future::try_join_all((0..3).map(|_| pool.acquire()))
            .await
            .expect("three connections");
        drop(burst);
        assert_eq!((pool.size(), pool.num_idle()), (3, 3));
        // Within the time: kept, the one on top handed out and given back.
        assert_eq!(count(&pool, "SELECT 1").await, 1);
        assert_eq!((pool.size(), pool.num_idle()), (3, 3));
        // Past it: the two below the one in use are closed when it comes
        // back; it stays.
        tokio::time::sleep(Duration::from_millis(2_200)).await;
        assert_eq!(count(&pool, "SELECT 2").await, 2);
        assert_eq!((pool.size(), pool.num_idle()), (1, 1));
        // And the pool opens others when needed.
        let again = futures_util::future::try_join_all((0..4).map(|_| pool.acquire()))
            .await
            .expect("four connections");
        assert_eq!(pool.size(), 4);
        drop(again);
    }

    fn folder() -> tempfile::TempDir {
        tempfile::tempdir().expect("temporary folder")
    }

    async fn count(pool: &Pool, sql: &str) -> i64 {
        sqlx::query_scalar(sql)
            .fetch_one(pool)
            .await
            .expect("a count")
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_connection_given_back_is_handed_out_again() {
        let dir = folder();
        let pool = sqlite_pool(&dir, 4);
        for n in 1..=10 {
            assert_eq!(count(&pool, &format!("SELECT {n}")).await, n);
        }
        assert_eq!((pool.size(), pool.num_idle()), (1, 1));
        // Prepared as the pool's connections are.
        assert_eq!(count(&pool, "PRAGMA foreign_keys").await, 1);
        assert_eq!(count(&pool, "PRAGMA busy_timeout").await, 5000);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn no_more_connections_are_open_than_the_pool_holds() {
        let dir = folder();
        let pool = sqlite_pool(&dir, 2);
        let first = pool.acquire().await.expect("a first connection");
        let _second = pool.acquire().await.expect("a second connection");
        let waiting = tokio::spawn({
            let pool = pool.clone();
            async move { pool.acquire().await.map(|_| ()) }
        });
        tokio::time::sleep(Duration::from_millis(300)).await;
        assert!(!waiting.is_finished(), "a third connection was handed out");
        drop(first);
        tokio::time::timeout(Duration::from_secs(5), waiting)
            .await
            .expect("the connection given back is handed out")
            .expect("the task ran")
            .expect("a connection");
        assert_eq!(pool.size(), 2);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_connection_given_back_inside_a_transaction_is_closed() {
        let dir = folder();
        let pool = sqlite_pool(&dir, 4);
        let mut holder = pool.acquire().await.expect("a connection");
        let mut other = pool.acquire().await.expect("another connection");
        // A transaction begun and never ended (its `Transaction` forgotten,
        // so nothing rolls it back): SQLite's write lock is held.
        let open = Connection::begin_with(&mut *holder, "BEGIN IMMEDIATE")
            .await
            .expect("BEGIN IMMEDIATE");
        std::mem::forget(open);
        assert!(holder.is_in_transaction());
        drop(holder);
        assert_eq!((pool.size(), pool.num_idle()), (1, 0));
        // The lock went with the connection: another one writes at once.
        let wrote = tokio::time::timeout(
            Duration::from_secs(2),
            (&mut *other).execute("CREATE TABLE t (x INTEGER)"),
        )
        .await
        .expect("the write lock is free");
        wrote.expect("the table is created");
        drop(other);
        assert_eq!(count(&pool, "SELECT COUNT(*) FROM t").await, 0);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_read_cut_short_leaves_its_connection_ready_for_the_next() {
        let dir = folder();
        let pool = sqlite_pool(&dir, 1);
        sqlx::raw_sql(
            "CREATE TABLE n (x INTEGER); \
             WITH RECURSIVE s(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM s WHERE x < 2000) \
             INSERT INTO n SELECT x FROM s;",
        )
        .execute(&pool)
        .await
        .expect("2,000 rows");
        {
            let mut rows = sqlx::query_scalar::<_, i64>("SELECT x FROM n ORDER BY x").fetch(&pool);
            assert_eq!(rows.try_next().await.expect("a row"), Some(1));
            assert_eq!(rows.try_next().await.expect("a row"), Some(2));
        }
        // The one connection, given back mid-read, answers the next one.
        assert_eq!(count(&pool, "SELECT SUM(x) FROM n").await, 2000 * 2001 / 2);
        let all: Vec<i64> = sqlx::query_scalar::<_, i64>("SELECT x FROM n ORDER BY x")
            .fetch(&pool)
            .try_collect()
            .await
            .expect("every row, streamed");
        assert_eq!(all.len(), 2000);
        assert_eq!(all.last(), Some(&2000));
        assert_eq!(pool.size(), 1);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_statement_that_fails_leaves_its_connection_in_the_pool() {
        let dir = folder();
        let pool = sqlite_pool(&dir, 4);
        let error = sqlx::query("SELECT * FROM nowhere")
            .execute(&pool)
            .await
            .expect_err("no such table");
        assert!(!breaks_the_connection(&error), "{error}");
        assert_eq!((pool.size(), pool.num_idle()), (1, 1));
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_closed_pool_hands_out_nothing_and_keeps_nothing() {
        let dir = folder();
        let pool = sqlite_pool(&dir, 4);
        let held = pool.acquire().await.expect("a connection");
        assert_eq!(count(&pool, "SELECT 1").await, 1);
        pool.close().await;
        assert!(matches!(pool.acquire().await, Err(sqlx::Error::PoolClosed)));
        drop(held);
        assert_eq!((pool.size(), pool.num_idle()), (0, 0));
    }

    #[test]
    fn errors_of_the_connection_are_told_from_the_statements() {
        let io = sqlx::Error::Io(std::io::Error::from(std::io::ErrorKind::ConnectionReset));
        assert!(breaks_the_connection(&io));
        assert!(breaks_the_connection(&sqlx::Error::WorkerCrashed));
        assert!(breaks_the_connection(&sqlx::Error::Protocol("x".into())));
        assert!(!breaks_the_connection(&sqlx::Error::RowNotFound));
        assert!(!breaks_the_connection(&sqlx::Error::PoolTimedOut));
        assert!(!breaks_the_connection(&sqlx::Error::ColumnNotFound(
            "x".into()
        )));
    }
}
