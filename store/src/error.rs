//! The store's one error type.

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
    /// What was asked breaks a rule of the data (a support member outside
    /// a support cell).
    #[error("not allowed: {0}")]
    NotAllowed(&'static str),
    /// A stored value the store cannot read back (a date that is not one).
    #[error("unreadable value in {0}")]
    Corrupt(&'static str),
    /// A failure that is nobody's input: a blocking task that panicked or
    /// was cancelled, a hashing failure.
    #[error("internal error: {0}")]
    Internal(String),
}
