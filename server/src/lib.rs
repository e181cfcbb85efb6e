//! The `relais` binary's library: configuration, command line, HTTP server
//! and jobs. `main.rs` only calls [`cli::run`]; tests start the real router.

pub mod api;
pub mod cli;
pub mod config;
pub mod database;
pub mod demo;
pub mod doctrine;
pub mod generate;
pub mod http;
pub mod import;
pub mod input;
pub mod intake;
pub mod jobs;
pub mod languages;
pub mod listener;
pub mod organisations;
pub mod purge;
pub mod review;
pub mod serve;
pub mod sms;
pub mod territories;
