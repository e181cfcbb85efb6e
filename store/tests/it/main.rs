//! The store's integration tests: what only the store knows (concurrency of
//! tracers' changes and of the outbox's claims, the purge, what the two
//! engines store), run against a real database of each engine.
//!
//! Every test exists twice, `<name>_sqlite` (a file in a temporary
//! directory) and `<name>_postgres` (a throw-away database on the server
//! `RELAIS_TEST_POSTGRES_URL` names; without it the test says so and
//! passes). The raw SQL the tests need to set up or inspect rows lives in
//! [`sql`] only.

// Tests date their inputs from the system clock (the server's clock is the
// system clock until a test moves it, through `Db::clock`).
#![allow(clippy::disallowed_methods)]

#[macro_use]
mod common;
mod audit_lines;
mod engines;
mod figures;
mod leases;
mod outbox;
mod pool;
mod retention;
mod scope;
mod sessions;
mod settings;
mod sql;
mod territories;
mod vaccination;
mod versions;
mod writers;
