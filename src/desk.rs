//! The tracers' console (the staff side): what the desk decides without
//! touching the database, so that the browser and the server agree on it
//! and it is tested on its own.
//!
//! - [`sign_in`]: what follows a failed staff sign-in — no delay for a
//!   typo or two, then a delay doubling up to a cap, then a lock that only
//!   an administrator lifts.
//! - [`calls`]: the outcome of a call to a case and the queue the case goes
//!   to next (first call, second call at a given instant, done); the
//!   call-outcome form, validated like the citizen forms.
//! - [`queue`]: the queue's one search box (a case reference, a phone
//!   number or a name), the folding of names for the search index, and
//!   keyset pagination (a cursor and a page size).
//! - [`review`]: the access review's filters (case, staff member, period).
//!
//! ```
//! use relais::desk::calls::{after_call, CallOutcome, Queue, SECOND_CALL_SECONDS};
//! use relais::desk::queue::{parse_search, Search};
//! let placement = after_call(CallOutcome::Reached, 0, None, 1_000);
//! assert_eq!(placement.queue, Queue::Second);
//! assert_eq!(placement.call_back_at, Some(1_000 + SECOND_CALL_SECONDS));
//! assert_eq!(parse_search(" Le Dû "), Some(Search::Name("le du".into())));
//! ```

pub mod calls;
pub mod queue;
pub mod review;
pub mod sign_in;

pub use calls::{after_call, parse_call_report, CallOutcome, CallReport, Placement, Queue};
pub use queue::{name_key, page_size, parse_search, Cursor, Search};
pub use sign_in::AfterFailure;
