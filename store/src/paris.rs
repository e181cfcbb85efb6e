//! The desk's local time: tracers type and read call-back times in the
//! service's time zone (Europe/Paris), the database keeps Unix seconds.

use chrono::{NaiveDateTime, TimeZone};
use chrono_tz::Tz;
use relais::Lang;

/// The time zone of the desk.
pub const DESK_ZONE: Tz = chrono_tz::Europe::Paris;

/// An instant as the desk's wall-clock time.
pub fn local(at: i64) -> Option<NaiveDateTime> {
    chrono::DateTime::from_timestamp(at, 0).map(|t| t.with_timezone(&DESK_ZONE).naive_local())
}

/// The desk's wall-clock time now.
pub fn now_local() -> NaiveDateTime {
    chrono::Utc::now().with_timezone(&DESK_ZONE).naive_local()
}

/// A wall-clock time as an instant (the earlier one when the clock goes
/// back; the next valid minute when it jumps forward).
pub fn instant_of(local: NaiveDateTime) -> i64 {
    match DESK_ZONE.from_local_datetime(&local) {
        chrono::LocalResult::Single(t) | chrono::LocalResult::Ambiguous(t, _) => t.timestamp(),
        chrono::LocalResult::None => instant_of(local + chrono::Duration::hours(1)),
    }
}

/// An instant written for the page: "lundi 30 novembre 2026, 14:05".
pub fn instant_text(at: i64, lang: Lang) -> String {
    local(at)
        .map(|t| {
            format!(
                "{}, {}",
                relais::dates::long_date(t.date(), lang),
                t.format("%H:%M")
            )
        })
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paris_wall_clock_round_trips_through_instants() {
        let t = NaiveDateTime::parse_from_str("2026-12-01T14:05", "%Y-%m-%dT%H:%M").unwrap();
        let at = instant_of(t);
        assert_eq!(local(at), Some(t));
        // Winter: UTC+1.
        assert_eq!(at, 1_796_130_300);
        // The missing hour of the spring change maps to the next valid one.
        let gap = NaiveDateTime::parse_from_str("2026-03-29T02:30", "%Y-%m-%dT%H:%M").unwrap();
        assert_eq!(
            local(instant_of(gap)).map(|t| t.format("%H:%M").to_string()),
            Some("03:30".into())
        );
        assert!(instant_text(at, Lang::Fr).ends_with(", 14:05"));
    }
}
