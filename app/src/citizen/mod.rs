//! What the citizen journeys share: the session cookie, form error summaries,
//! quitting.

pub mod error_summary;
pub mod fields;
pub mod quit;
#[cfg(feature = "ssr")]
pub mod session;
