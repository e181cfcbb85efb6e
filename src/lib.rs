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
//! - `phone` (feature `phone`, off by default so that the browser does not
//!   carry the numbering plans): phone numbers as typed, normalised to E.164.
//! - `intake` (feature `phone`): the lab feed's positive results, one
//!   item a case, each field checked with a machine reason.
//! - [`contact_form`]: the contact form's fields, validated all at once, each
//!   problem tied to the field to fix.
//! - [`place_form`]: places and gatherings of the days before J0 (backward
//!   tracing), validated the same way.
//! - [`contact_guidance`]: what a notified contact must do today and their
//!   day-by-day plan, from the rules' assessment and what they reported
//!   since (symptoms, tests); the follow-up forms, validated the same way.
//! - [`vaccination_form`]: the vaccination a notified contact states on
//!   their page (rule sets from July 2021), validated the same way.
//! - [`desk`]: the tracers' console — the sign-in failure policy, call
//!   outcomes and the queues they lead to, the queue's search and cursor.
//! - [`sms`]: text messages in the GSM-7 alphabet — transliteration (so that
//!   a message never falls back to UCS-2's 70 characters a part) and the
//!   parts a gateway splits it into.
//! - [`sms_reply`]: what a text received from a contact says — an answer
//!   to the follow-up question, STOP, or a reply for the tracers.
//! - [`support`]: support during isolation — the needs a person may ask
//!   help for, the request's states at the support cell, the days of the
//!   follow-up texts ("how are you?").
//! - [`outbox`]: when the SMS outbox tries a message again (exponential
//!   backoff with jitter).
//! - [`reference`]: the case references Relais makes up, `P0-XXXXX-XXXXX`,
//!   from random bytes the caller draws.
//! - `paris` (feature `paris`, off by default so that the browser does not
//!   carry the time zone database): the desk's wall-clock time
//!   (Europe/Paris) to and from instants.
//! - [`figures`]: the supervisor dashboard — per-day figures and delay
//!   histograms summed over a period, their ratios, the period form, the
//!   CSV export, numbers written the local way and the charts' geometry.
//! - [`roles`]: the staff roles and what each may do.
//! - [`link_check`]: is a pasted text really one of our SMS links?
//! - [`clusters`]: places or gatherings declared by several cases within a
//!   few days (backward tracing), matched on folded names and towns.
//! - [`territory`]: the départements and regions (reference data each case
//!   is filed under), read from CSV, and the département of a postcode.

pub mod bidi;
pub mod case_release;
pub mod client_address;
pub mod clusters;
mod constraints;
pub mod contact_form;
pub mod contact_guidance;
pub mod date_fields;
pub mod dates;
pub mod desk;
pub mod doctrine;
pub mod figures;
pub mod form_bytes;
pub mod ids;
#[cfg(feature = "phone")]
pub mod intake;
pub mod lang;
mod latin;
pub mod link_check;
mod names;
pub mod organisation;
pub mod outbox;
#[cfg(feature = "paris")]
pub mod paris;
#[cfg(feature = "phone")]
pub mod phone;
pub mod place_form;
pub mod reference;
pub mod roles;
pub mod rules;
pub mod scenario;
pub mod situation;
pub mod sms;
pub mod sms_reply;
pub mod spreadsheet;
pub mod status;
pub mod support;
pub mod territory;
pub mod vaccination_form;
pub mod validate;

pub use contact_form::{duplicate_phones, ContactFields, FormError, Relationship};
#[cfg(feature = "phone")]
pub use contact_form::{parse_contact, ContactInput};
pub use doctrine::{Audience, Right, RuleSet, RuleSetError, RuleSets};
pub use lang::Lang;
pub use names::UnknownName;
#[cfg(feature = "phone")]
pub use phone::{display_phone, parse_phone, Phone, PhoneError};
pub use rules::{Classification, Reason};
pub use situation::{
    AgeBand, CaseSituation, ContactExposure, ExposureKind, J0Basis, Protection, ReleaseTest,
    TestResult, VaccinationStatus,
};
pub use validate::ScenarioError;
