//! Dates written the local way, and day arithmetic that never panics.
//!
//! chrono's `unstable-locales` feature would pull a large locale table into
//! the WASM islands; two languages need only these few names.

use crate::Lang;
use chrono::{Datelike, Days, NaiveDate, Weekday};

const WEEKDAYS_FR: [&str; 7] = [
    "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche",
];
const WEEKDAYS_EN: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];
const MONTHS_FR: [&str; 12] = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
];
const MONTHS_EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// The name of a weekday in `lang` ("mardi", "Tuesday").
pub fn weekday_name(day: Weekday, lang: Lang) -> &'static str {
    let i = day.num_days_from_monday() as usize;
    match lang {
        Lang::Fr => WEEKDAYS_FR[i],
        Lang::En => WEEKDAYS_EN[i],
    }
}

/// The name of a month (1 to 12) in `lang`; `None` outside 1..=12.
pub fn month_name(month: u32, lang: Lang) -> Option<&'static str> {
    let i = usize::try_from(month.checked_sub(1)?).ok()?;
    match lang {
        Lang::Fr => MONTHS_FR.get(i).copied(),
        Lang::En => MONTHS_EN.get(i).copied(),
    }
}

/// A date in full, as written in `lang`: "mardi 17 novembre 2020",
/// "dimanche 1er novembre 2020" (French writes the first of the month as an
/// ordinal), "Tuesday 17 November 2020".
pub fn long_date(date: NaiveDate, lang: Lang) -> String {
    let weekday = weekday_name(date.weekday(), lang);
    // `month()` is always 1..=12 for a valid NaiveDate.
    let month = month_name(date.month(), lang).unwrap_or("");
    let day = date.day();
    match (lang, day) {
        (Lang::Fr, 1) => format!("{weekday} 1er {month} {}", date.year()),
        _ => format!("{weekday} {day} {month} {}", date.year()),
    }
}

/// `date` moved by `days` (negative: earlier), saturating at the ends of
/// chrono's calendar instead of panicking. Rule sets bound every duration,
/// so saturation only matters for absurd inputs, which the validation layer
/// refuses anyway.
pub fn add_days(date: NaiveDate, days: i64) -> NaiveDate {
    let moved = if days >= 0 {
        date.checked_add_days(Days::new(days.unsigned_abs()))
    } else {
        date.checked_sub_days(Days::new(days.unsigned_abs()))
    };
    moved.unwrap_or(if days >= 0 {
        NaiveDate::MAX
    } else {
        NaiveDate::MIN
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().expect("test date")
    }

    #[test]
    fn long_dates_in_both_languages() {
        assert_eq!(
            long_date(d("2020-11-17"), Lang::Fr),
            "mardi 17 novembre 2020"
        );
        assert_eq!(
            long_date(d("2020-11-17"), Lang::En),
            "Tuesday 17 November 2020"
        );
        assert_eq!(
            long_date(d("2020-11-01"), Lang::Fr),
            "dimanche 1er novembre 2020"
        );
        assert_eq!(
            long_date(d("2020-11-01"), Lang::En),
            "Sunday 1 November 2020"
        );
        assert_eq!(
            long_date(d("2021-02-28"), Lang::Fr),
            "dimanche 28 février 2021"
        );
        assert_eq!(long_date(d("2020-08-15"), Lang::Fr), "samedi 15 août 2020");
        assert_eq!(
            long_date(d("2020-12-31"), Lang::En),
            "Thursday 31 December 2020"
        );
    }

    #[test]
    fn month_names_out_of_range_are_none() {
        assert_eq!(month_name(0, Lang::Fr), None);
        assert_eq!(month_name(13, Lang::En), None);
        assert_eq!(month_name(12, Lang::Fr), Some("décembre"));
    }

    #[test]
    fn add_days_moves_and_saturates() {
        assert_eq!(add_days(d("2020-12-30"), 7), d("2021-01-06"));
        assert_eq!(add_days(d("2020-03-01"), -2), d("2020-02-28"));
        assert_eq!(add_days(d("2020-02-28"), 1), d("2020-02-29"));
        assert_eq!(add_days(NaiveDate::MAX, 1), NaiveDate::MAX);
        assert_eq!(add_days(NaiveDate::MIN, -1), NaiveDate::MIN);
        assert_eq!(add_days(d("2020-01-01"), i64::MIN), NaiveDate::MIN);
    }

    proptest! {
        #[test]
        fn long_date_never_panics_and_ends_with_the_year(days in -1_000_000i64..1_000_000) {
            let date = add_days(d("2020-01-01"), days);
            for lang in Lang::ALL {
                let text = long_date(date, lang);
                prop_assert!(text.ends_with(&date.year().to_string()));
            }
        }
    }
}
