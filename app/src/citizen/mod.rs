//! What the citizen journeys share: the session cookie, form error summaries.

pub mod error_summary;
#[cfg(feature = "ssr")]
pub mod session;
