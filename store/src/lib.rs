//! The store: every read and write of the shared database, on the server
//! only. One code path for SQLite (the embedded default) and PostgreSQL
//! (several app nodes on one database) through sqlx's `Any` driver, with
//! portable SQL (`$1` placeholders, `ON CONFLICT`, `RETURNING`). Dates are
//! ISO text, instants Unix seconds, so that both backends read the same.

pub mod api_keys;
pub mod attempts;
pub mod audit;
pub mod cases;
pub mod clusters;
pub mod columns;
pub mod contacts;
pub mod db;
pub mod declaration;
pub mod desk;
pub mod export;
pub mod figures;
pub mod follow_up;
pub mod intake;
pub mod links;
pub mod outbox;
pub mod paris;
pub mod places;
pub mod replies;
pub mod retention;
pub mod schedule;
pub mod security;
pub mod sessions;
pub mod settings;
pub mod staff;

pub use db::{Backend, Db};

/// What can go wrong in the store. The messages never contain personal data.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    #[error("migration error: {0}")]
    Migration(#[from] sqlx::migrate::MigrateError),
    #[error("invalid database URL: {0}")]
    InvalidUrl(String),
    #[error("could not create the database directory {path}: {source}")]
    Directory {
        path: String,
        source: std::io::Error,
    },
    #[error("{0} already exists")]
    AlreadyExists(&'static str),
    #[error("{0} not found")]
    NotFound(&'static str),
    /// A stored value the store cannot read back (a date that is not one).
    #[error("unreadable value in {0}")]
    Corrupt(&'static str),
    /// A failure that is nobody's input: a blocking task that panicked or
    /// was cancelled, a hashing failure.
    #[error("internal error: {0}")]
    Internal(String),
}

/// The current instant, in Unix seconds (UTC).
pub fn now() -> i64 {
    chrono::Utc::now().timestamp()
}
