//! The tracers' console: the call queues, the case as a tracer sees it, and
//! what a tracer changes (contacts, calls, links, validation, closing).
//! Every change is checked against the case's version and written with its
//! audit line in one transaction.

pub mod case_file;
pub mod changes;
pub mod notify;
pub mod queue;
