//! What the citizen journeys share: the session cookie, form error summaries,
//! quitting, the request for support during isolation.

pub mod error_summary;
pub mod fields;
pub mod quit;
#[cfg(feature = "ssr")]
pub mod session;
pub mod support_form;
