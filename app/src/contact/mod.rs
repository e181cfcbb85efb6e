//! The contact's journey: from the SMS link (`/c/<token>`) to the page that
//! says what applies to them (`/contact`), their rights, a printable
//! attestation, and what they report afterwards. A contact never learns
//! who the case is (see [`file`]).

pub mod arrival;
pub mod attestation;
pub mod file;
pub mod page;
pub mod reports;
pub mod support;
