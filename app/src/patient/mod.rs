//! The case's journey: from the SMS link (`/d/<token>`), through the date
//! of birth, to their declaration (`/dossier`).

pub mod answer_draft;
pub mod arrival;
#[cfg(feature = "ssr")]
pub mod common;
pub mod contact_form_view;
pub mod contacts;
pub mod dossier;
pub mod form_text;
pub mod identity;
pub mod places;
pub mod situation;
pub mod submit;
pub mod support;
