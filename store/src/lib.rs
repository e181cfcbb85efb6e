//! The store: every read and write of the shared database, on the server
//! only. One code path for SQLite (the embedded default) and PostgreSQL
//! (several app nodes on one database) through sqlx's `Any` driver, with
//! portable SQL (`$1` placeholders, `ON CONFLICT`, `RETURNING`). Dates are
//! ISO text, instants Unix seconds, so that both backends read the same.

pub mod api_keys;
pub mod attempts;
pub mod audit;
pub mod backend;
pub mod backup;
pub mod cases;
pub mod clock;
pub mod clusters;
pub mod columns;
pub mod contacts;
pub mod db;
pub mod declaration;
pub mod desk;
pub mod error;
pub mod export;
pub mod figures;
pub mod follow_up;
pub mod intake;
pub mod languages;
pub mod lends;
pub mod links;
pub mod organisations;
pub mod outbox;
pub mod paris;
pub mod places;
pub mod pool;
pub mod replies;
pub mod retention;
pub mod schedule;
pub mod scope;
pub mod second_factor;
pub mod security;
pub mod sessions;
pub mod settings;
pub mod staff;
pub mod support;
pub mod support_drafts;
pub mod territories;
mod values;

pub use clock::Clock;
pub use db::{Backend, Db};

pub use error::StoreError;
