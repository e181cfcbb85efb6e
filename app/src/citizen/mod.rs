//! What the citizen journeys share: the session cookie, form error summaries.

pub mod error_summary;
pub mod fields;
#[cfg(feature = "ssr")]
pub mod session;
