//! The case's journey: from the SMS link (`/d/<token>`), through the date
//! of birth, to their declaration (`/dossier`).

pub mod arrival;
pub mod dossier;
pub mod identity;
pub mod situation;
