//! The desk's local time: tracers type and read call-back times in the
//! service's time zone (Europe/Paris), the database keeps Unix seconds.
//! The conversions are the core's ([`relais::paris`], re-exported here);
//! the clock is the [`Db`](crate::Db)'s ([`crate::Clock`]).

pub use relais::paris::{desk_zone, instant_of, instant_text, local};
