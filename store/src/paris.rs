//! The desk's local time: tracers type and read call-back times in the
//! service's time zone (Europe/Paris), the database keeps Unix seconds.
//! The conversions are the core's ([`relais::paris`], re-exported here);
//! the clock is read here.

use chrono::{NaiveDate, NaiveDateTime};
pub use relais::paris::{instant_of, instant_text, local, DESK_ZONE};

/// The desk's wall-clock time now.
pub fn now_local() -> NaiveDateTime {
    chrono::Utc::now().with_timezone(&DESK_ZONE).naive_local()
}

/// Today in Paris.
pub fn today() -> NaiveDate {
    now_local().date()
}
