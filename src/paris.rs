//! The desk's local time: tracers type and read call-back times in the
//! service's time zone (Europe/Paris), the database keeps Unix seconds.
//! The conversions only — the clock (`now`) stays in the store.
//!
//! Feature `paris`, off by default: the time zone database (`time-tz`) is
//! for the server, never in the browser bundle.

use crate::Lang;
use time::{Duration, OffsetDateTime, PrimitiveDateTime};
use time_tz::{OffsetDateTimeExt, OffsetResult, PrimitiveDateTimeExt, Tz};

/// The time zone of the desk.
pub fn desk_zone() -> &'static Tz {
    time_tz::timezones::db::europe::PARIS
}

/// An instant as the desk's wall-clock time; `None` outside the calendar
/// (years -9999 to 9999).
pub fn local(at: i64) -> Option<PrimitiveDateTime> {
    let utc = OffsetDateTime::from_unix_timestamp(at).ok()?;
    // The offset could carry a date past the calendar's end: checked.
    let offset = utc.to_timezone(desk_zone()).offset();
    let shifted = utc.checked_to_offset(offset)?;
    Some(PrimitiveDateTime::new(shifted.date(), shifted.time()))
}

/// A wall-clock time as an instant (the earlier one when the clock goes
/// back; an hour later when it jumps forward, so 02:30 on the day of the
/// spring change is 03:30).
pub fn instant_of(local: PrimitiveDateTime) -> i64 {
    match local.assume_timezone(desk_zone()) {
        OffsetResult::Some(t) | OffsetResult::Ambiguous(t, _) => t.unix_timestamp(),
        OffsetResult::None => match local.checked_add(Duration::hours(1)) {
            Some(later) => instant_of(later),
            None => local.assume_utc().unix_timestamp(),
        },
    }
}

/// An instant written for the page: "lundi 30 novembre 2026, 14:05".
pub fn instant_text(at: i64, lang: Lang) -> String {
    local(at)
        .map(|t| {
            format!(
                "{}, {:02}:{:02}",
                crate::dates::long_date(t.date(), lang),
                t.hour(),
                t.minute()
            )
        })
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::desk::calls::{format_call_back, parse_datetime_local};
    use proptest::prelude::*;

    fn wall(text: &str) -> PrimitiveDateTime {
        parse_datetime_local(text).expect("test time")
    }

    fn hm(t: PrimitiveDateTime) -> String {
        format_call_back(t)[11..].to_string()
    }

    /// 2020-01-01T00:00Z and 2030-01-01T00:00Z.
    const FROM: i64 = 1_577_836_800;
    const UNTIL: i64 = 1_893_456_000;

    #[test]
    fn paris_wall_clock_round_trips_through_instants() {
        let t = wall("2026-12-01T14:05");
        let at = instant_of(t);
        assert_eq!(local(at), Some(t));
        // Winter: UTC+1.
        assert_eq!(at, 1_796_130_300);
        // The missing hour of the spring change maps to the next valid one.
        let gap = wall("2026-03-29T02:30");
        assert_eq!(local(instant_of(gap)).map(hm), Some("03:30".into()));
        assert!(instant_text(at, Lang::Fr).ends_with(", 14:05"));
    }

    #[test]
    fn the_repeated_autumn_hour_is_its_first_pass() {
        // 2026-10-25: 03:00 CEST becomes 02:00 CET, so 02:30 happens twice,
        // at 00:30Z (UTC+2) and at 01:30Z (UTC+1).
        let first = 1_792_888_200;
        assert_eq!(local(first), Some(wall("2026-10-25T02:30")));
        assert_eq!(local(first + 3600), Some(wall("2026-10-25T02:30")));
        assert_eq!(instant_of(wall("2026-10-25T02:30")), first);
        // Summer: UTC+2.
        assert_eq!(instant_of(wall("2026-07-14T12:00")), 1_784_023_200);
    }

    #[test]
    fn instants_are_written_in_each_language() {
        let at = instant_of(wall("2026-11-30T14:05"));
        assert_eq!(instant_text(at, Lang::Fr), "lundi 30 novembre 2026, 14:05");
        assert!(instant_text(at, Lang::En).ends_with(", 14:05"));
        // Beyond the calendar: nothing to write.
        assert_eq!(local(i64::MAX), None);
        assert_eq!(instant_text(i64::MAX, Lang::Fr), "");
    }

    /// The instant Paris changes its clocks in `year`: 01:00Z on the last
    /// Sunday of March (spring) or of October (autumn).
    fn change(year: i32, autumn: bool) -> i64 {
        let last = crate::dates::ymd(year, if autumn { 10 } else { 3 }, 31).expect("test date");
        let sunday = last - Duration::days(i64::from(last.weekday().number_days_from_sunday()));
        PrimitiveDateTime::new(sunday, time::Time::from_hms(1, 0, 0).expect("test time"))
            .assume_utc()
            .unix_timestamp()
    }

    /// Any instant of 2020–2029, half of them within three hours of a
    /// change of the clocks (where the conversions have their cases).
    fn instants() -> impl Strategy<Value = i64> {
        prop_oneof![
            FROM..UNTIL,
            (2020i32..2030, any::<bool>(), -3 * 3600i64..3 * 3600)
                .prop_map(|(year, autumn, offset)| change(year, autumn) + offset),
        ]
    }

    #[test]
    fn the_changes_are_where_the_offset_changes() {
        for year in 2020..2030 {
            for autumn in [false, true] {
                let at = change(year, autumn);
                let elapsed = local(at).expect("in range") - local(at - 1).expect("in range");
                let jump = elapsed.whole_seconds() - 1;
                assert_eq!(jump, if autumn { -3600 } else { 3600 }, "{year}");
            }
        }
    }

    proptest! {
        #[test]
        fn every_instant_comes_back_but_the_second_pass_of_an_autumn_hour(
            at in instants(),
        ) {
            let wall_clock = local(at).expect("in the calendar");
            let back = instant_of(wall_clock);
            match wall_clock.assume_timezone(desk_zone()) {
                OffsetResult::Some(_) => prop_assert_eq!(back, at),
                // The repeated hour: the earlier of its two instants.
                OffsetResult::Ambiguous(earlier, later) => {
                    let (earlier, later) = (earlier.unix_timestamp(), later.unix_timestamp());
                    prop_assert!(at == earlier || at == later);
                    prop_assert_eq!(back, earlier);
                    prop_assert_eq!(later - back, 3600);
                }
                OffsetResult::None => prop_assert!(false, "an instant's own wall clock exists"),
            }
            prop_assert_eq!(local(back), Some(wall_clock));
        }

        #[test]
        fn every_wall_clock_minute_has_its_instant(at in instants()) {
            // Whole minutes, read as Paris wall-clock times (two hours on:
            // near a change, the night from midnight to 06:00).
            let minute = at - at.rem_euclid(60);
            let utc = OffsetDateTime::from_unix_timestamp(minute + 7200).expect("in range");
            let wall_clock = PrimitiveDateTime::new(utc.date(), utc.time());
            let at = instant_of(wall_clock);
            let skipped = wall_clock.assume_timezone(desk_zone()).is_none();
            let expected = if skipped {
                wall_clock + Duration::hours(1)
            } else {
                wall_clock
            };
            prop_assert_eq!(local(at), Some(expected));
            prop_assert_eq!(at % 60, 0);
        }
    }
}
