//! The pool's connections: one cut while idle (the database restarted) is
//! replaced before a query runs on it, and one found cut by a statement is
//! not used again. PostgreSQL only: an SQLite connection is a file in the
//! process, which nothing cuts.

use crate::common::{fresh_db, postgres_url, Engine, POSTGRES_URL_VAR};
use crate::sql;
use relais_store::db::PING_AFTER_IDLE;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_connection_cut_while_idle_is_replaced_before_the_query_postgres() {
    if postgres_url().is_none() {
        eprintln!("note: not run: set {POSTGRES_URL_VAR} to a PostgreSQL server");
        return;
    }
    let (db, _guard) = fresh_db(Engine::Postgres).await;
    // Several connections in the pool, all idle.
    let held = hold_three(&db).await;
    drop(held);
    let cut = sql::cut_the_pools_connections(&db).await.expect("cut");
    assert!(cut >= 1, "no connection of the pool was cut");
    // Idle long enough to be checked before it is handed out.
    tokio::time::sleep(PING_AFTER_IDLE + std::time::Duration::from_secs(1)).await;
    for _ in 0..3 {
        sql::other_rows(&db)
            .await
            .expect("a query after the pool's connections were cut");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_connection_found_cut_by_a_statement_is_not_used_again_postgres() {
    if postgres_url().is_none() {
        eprintln!("note: not run: set {POSTGRES_URL_VAR} to a PostgreSQL server");
        return;
    }
    let (db, _guard) = fresh_db(Engine::Postgres).await;
    // A connection that has run a statement, held while the others are
    // cut, then given back.
    let mut held = db.pool().acquire().await.expect("a connection");
    sqlx::Executor::execute(&mut *held, "SELECT 1")
        .await
        .expect("a first statement");
    let cut = sql::cut_the_pools_connections(&db).await.expect("cut");
    assert!(cut >= 1, "no connection of the pool was cut");
    drop(held);
    assert_eq!((db.pool().size(), db.pool().num_idle()), (1, 1));
    // Used again at once (not idle long enough to be checked first): the
    // statement on the cut connection may fail, and that connection is
    // closed rather than given back, so every query after it works.
    let first = sql::other_rows(&db).await;
    for _ in 0..3 {
        sql::other_rows(&db)
            .await
            .unwrap_or_else(|e| panic!("a query after the cut (the first: {first:?}): {e}"));
    }
    assert_eq!(db.pool().size(), 1, "the cut connection is still counted");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_node_opens_no_more_connections_than_configured_postgres() {
    use std::time::Duration;
    let Some(url) = postgres_url() else {
        eprintln!("note: not run: set {POSTGRES_URL_VAR} to a PostgreSQL server");
        return;
    };
    // The server's own database: only connections are taken, nothing read.
    let db = relais_store::Db::connect_with(&url, 2)
        .await
        .expect("connect");
    let wait = Duration::from_millis(300);
    // The statements' pool: two connections, the third waits for one.
    let first = db.pool().acquire().await.expect("a connection");
    let second = db.pool().acquire().await.expect("a second connection");
    assert!(
        tokio::time::timeout(wait, db.pool().acquire())
            .await
            .is_err(),
        "a third connection was opened"
    );
    drop(first);
    let third = tokio::time::timeout(wait, db.pool().acquire())
        .await
        .expect("the connection given back is handed out")
        .expect("a connection");
    // The writers' pool alike.
    let w1 = db.write().await.expect("a writing connection");
    let w2 = db.write().await.expect("a second writing connection");
    assert!(
        tokio::time::timeout(wait, db.write()).await.is_err(),
        "a third writing connection was opened"
    );
    assert_eq!(db.connections().0, 4);
    drop((second, third, w1, w2));
    db.close().await;
}

/// Three connections of the pool taken at once.
async fn hold_three(db: &relais_store::Db) -> Vec<relais_store::pool::PooledConnection> {
    let mut held = Vec::new();
    for _ in 0..3 {
        held.push(db.pool().acquire().await.expect("a connection"));
    }
    held
}
