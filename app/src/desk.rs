//! The tracers' console (`/equipe…`): staff sign-in, the call queues, the
//! case page with its changes, validation and notification, and the admin's
//! pages (accounts, audit trail), the supervisors' dashboard and clusters.
//! Desk and tablet pages, plain HTML forms like the citizen ones; every
//! server function checks the staff member's role on the server and writes
//! the audit trail.

pub mod actions;
pub mod admin;
pub mod auth;
#[cfg(feature = "ssr")]
pub mod case_context;
pub mod case_model;
pub mod case_page;
pub mod case_support;
pub mod case_view;
pub mod charts;
pub mod clusters;
pub mod contact_form;
pub mod mutual_aid;
pub mod organisations;
pub mod paths;
pub mod queue;
pub mod replies;
pub mod second_factor;
pub mod sms_cost;
pub mod supervision;
pub mod support;
pub mod support_figures;
pub mod view;
