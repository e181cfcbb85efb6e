//! The server's integration tests, in one test binary: one link instead of
//! one per file, and one process whose tests share the migrated template
//! databases (see `common`). `cargo test -p server --test it NAME` runs the
//! tests whose path contains NAME (a module such as `desk::`, or an engine).

// Tests date their inputs from the system clock (the server's clock is the
// system clock until a test moves it, through `Db::clock`).
#![allow(clippy::disallowed_methods)]

mod common;

mod access_review;
mod backup;
mod case_answers;
mod case_release;
mod cli;
mod contact_attestation;
mod contact_facts;
mod contact_journey;
mod contact_vaccination;
mod desk;
mod export;
mod foundation;
mod hardening;
mod intake;
mod languages;
mod openapi;
mod organisations;
mod patient_declaration;
mod patient_identity;
mod replies;
mod retention;
mod rules_change;
mod second_factor;
mod sms;
mod sms_nodes;
mod supervision;
mod support;
mod support_citizen;
mod territories;
