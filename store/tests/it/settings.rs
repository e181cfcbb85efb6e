//! Shared secrets: created once for the deployment by the first who needs
//! one, then the same for everyone, read from the database once per
//! process.

use crate::sql;
use relais_store::settings::{read, shared_secret};
use relais_store::Db;

per_engine! {
    a_shared_secret_is_created_once_and_read_once
        => a_shared_secret_is_created_once_and_read_once_sqlite,
        a_shared_secret_is_created_once_and_read_once_postgres;
}

async fn a_shared_secret_is_created_once_and_read_once(db: Db) {
    let first = shared_secret(&db, "test_key").await.expect("created");
    assert!(first.len() >= 16, "a random secret: {first:?}");
    assert_eq!(read(&db, "test_key").await.unwrap(), Some(first.clone()));
    // Asked again, by this handle or another of the process: the same.
    assert_eq!(shared_secret(&db, "test_key").await.unwrap(), first);
    assert_eq!(shared_secret(&db.clone(), "test_key").await.unwrap(), first);
    // Another name: another secret.
    let other = shared_secret(&db, "other_key").await.expect("created");
    assert_ne!(other, first);
    // Kept in memory: the row changed behind the store's back (nothing
    // does) is not read again.
    sql::set_setting(&db, "test_key", "changed").await.unwrap();
    assert_eq!(shared_secret(&db, "test_key").await.unwrap(), first);
}
