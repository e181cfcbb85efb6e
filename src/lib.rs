//! Relais core: the tracing rules ("doctrine"), the domain types and their
//! validation. Pure Rust — no I/O, no Leptos, no sqlx — so that the same
//! code runs on the server (the authority) and in the browser (instant
//! feedback), and is tested exhaustively on its own.

pub mod lang;

pub use lang::Lang;
