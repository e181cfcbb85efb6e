//! The desk's local time: tracers type and read call-back times in the
//! service's time zone (Europe/Paris), the database keeps Unix seconds.
//! The conversions are the core's ([`relais::paris`], re-exported here);
//! the clock is read here.

pub use relais::paris::{desk_zone, instant_of, instant_text, local};
use time::{Date, OffsetDateTime, PrimitiveDateTime};
use time_tz::OffsetDateTimeExt;

/// The desk's wall-clock time now.
pub fn now_local() -> PrimitiveDateTime {
    let now = OffsetDateTime::now_utc().to_timezone(desk_zone());
    PrimitiveDateTime::new(now.date(), now.time())
}

/// Today in Paris.
pub fn today() -> Date {
    now_local().date()
}
