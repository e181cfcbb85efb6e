//! Relais core: the tracing rules ("doctrine"), the domain types and their
//! validation. Pure Rust — no I/O, no Leptos, no sqlx — so that the same
//! code runs on the server (the authority) and in the browser (instant
//! feedback), and is tested exhaustively on its own.
//!
//! - [`situation`]: what a case and a contact declare.
//! - [`doctrine`]: rule sets as data files, selected by the case's J0.
//! - [`rules`]: the contagious window, classification, isolation,
//!   quarantine and rights, each with its [`Reason`]s.
//! - [`validate`]: refusing impossible dates before the rules run.
//! - [`scenario`]: one JSON scenario in, one JSON result out (the CLI).
//! - [`dates`]: dates written the local way.

pub mod date_fields;
pub mod dates;
pub mod doctrine;
pub mod lang;
mod names;
pub mod rules;
pub mod scenario;
pub mod situation;
pub mod validate;

pub use doctrine::{Audience, Right, RuleSet, RuleSetError, RuleSets};
pub use lang::Lang;
pub use names::UnknownName;
pub use rules::{Classification, Reason};
pub use situation::{
    CaseSituation, ContactExposure, ExposureKind, J0Basis, Protection, VaccinationStatus,
};
pub use validate::ScenarioError;
