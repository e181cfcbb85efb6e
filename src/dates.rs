//! Calendar days: written the local way, written and read as ISO 8601
//! (`2020-11-17`), built from numbers, moved by days without panicking.
//!
//! The dates are `time::Date`. `time`'s own formatting and parsing are not
//! used here: a locale table or format-description machinery would weigh on
//! the WASM islands, and eight languages need only these few names.

use crate::Lang;
use time::{Date, Duration, Month, Weekday};

/// Weekdays from Monday, months from January, in each language.
struct Names {
    weekdays: [&'static str; 7],
    months: [&'static str; 12],
}

const FR: Names = Names {
    weekdays: [
        "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche",
    ],
    months: [
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
    ],
};
const EN: Names = Names {
    weekdays: [
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
        "Sunday",
    ],
    months: [
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
    ],
};
const AR: Names = Names {
    weekdays: [
        "الاثنين",
        "الثلاثاء",
        "الأربعاء",
        "الخميس",
        "الجمعة",
        "السبت",
        "الأحد",
    ],
    months: [
        "يناير",
        "فبراير",
        "مارس",
        "أبريل",
        "مايو",
        "يونيو",
        "يوليو",
        "أغسطس",
        "سبتمبر",
        "أكتوبر",
        "نوفمبر",
        "ديسمبر",
    ],
};
const ES: Names = Names {
    weekdays: [
        "lunes",
        "martes",
        "miércoles",
        "jueves",
        "viernes",
        "sábado",
        "domingo",
    ],
    months: [
        "enero",
        "febrero",
        "marzo",
        "abril",
        "mayo",
        "junio",
        "julio",
        "agosto",
        "septiembre",
        "octubre",
        "noviembre",
        "diciembre",
    ],
};
const PT: Names = Names {
    weekdays: [
        "segunda-feira",
        "terça-feira",
        "quarta-feira",
        "quinta-feira",
        "sexta-feira",
        "sábado",
        "domingo",
    ],
    months: [
        "janeiro",
        "fevereiro",
        "março",
        "abril",
        "maio",
        "junho",
        "julho",
        "agosto",
        "setembro",
        "outubro",
        "novembro",
        "dezembro",
    ],
};
const TR: Names = Names {
    weekdays: [
        "Pazartesi",
        "Salı",
        "Çarşamba",
        "Perşembe",
        "Cuma",
        "Cumartesi",
        "Pazar",
    ],
    months: [
        "Ocak", "Şubat", "Mart", "Nisan", "Mayıs", "Haziran", "Temmuz", "Ağustos", "Eylül", "Ekim",
        "Kasım", "Aralık",
    ],
};
const RO: Names = Names {
    weekdays: [
        "luni",
        "marți",
        "miercuri",
        "joi",
        "vineri",
        "sâmbătă",
        "duminică",
    ],
    months: [
        "ianuarie",
        "februarie",
        "martie",
        "aprilie",
        "mai",
        "iunie",
        "iulie",
        "august",
        "septembrie",
        "octombrie",
        "noiembrie",
        "decembrie",
    ],
};
const ZH: Names = Names {
    weekdays: [
        "星期一",
        "星期二",
        "星期三",
        "星期四",
        "星期五",
        "星期六",
        "星期日",
    ],
    months: [
        "1月", "2月", "3月", "4月", "5月", "6月", "7月", "8月", "9月", "10月", "11月", "12月",
    ],
};

fn names(lang: Lang) -> &'static Names {
    match lang {
        Lang::Fr => &FR,
        Lang::En => &EN,
        Lang::Ar => &AR,
        Lang::Es => &ES,
        Lang::Pt => &PT,
        Lang::Tr => &TR,
        Lang::Ro => &RO,
        Lang::Zh => &ZH,
    }
}

/// The name of a weekday in `lang` ("mardi", "Tuesday").
pub fn weekday_name(day: Weekday, lang: Lang) -> &'static str {
    names(lang).weekdays[usize::from(day.number_days_from_monday())]
}

/// The name of a month (1 to 12) in `lang`; `None` outside 1..=12.
pub fn month_name(month: u32, lang: Lang) -> Option<&'static str> {
    let i = usize::try_from(month.checked_sub(1)?).ok()?;
    names(lang).months.get(i).copied()
}

/// A date in full, as written in `lang`: "mardi 17 novembre 2020",
/// "dimanche 1er novembre 2020" (French writes the first of the month as an
/// ordinal), "Tuesday 17 November 2020", "martes, 17 de noviembre de 2020",
/// "17 Kasım 2020 Salı", "2020年11月17日星期二", "الثلاثاء 17 نوفمبر 2020"
/// (digits stay 0–9 in every language, as the rest of the service writes
/// them).
pub fn long_date(date: Date, lang: Lang) -> String {
    let weekday = weekday_name(date.weekday(), lang);
    let month = month_name(month_number(date), lang).unwrap_or("");
    let (day, year) = (date.day(), date.year());
    match (lang, day) {
        (Lang::Fr, 1) => format!("{weekday} 1er {month} {year}"),
        (Lang::Fr | Lang::En | Lang::Ar, _) => format!("{weekday} {day} {month} {year}"),
        (Lang::Es | Lang::Pt, _) => format!("{weekday}, {day} de {month} de {year}"),
        (Lang::Ro, _) => format!("{weekday}, {day} {month} {year}"),
        (Lang::Tr, _) => format!("{day} {month} {year} {weekday}"),
        (Lang::Zh, _) => format!("{year}年{month}{day}日{weekday}"),
    }
}

/// `date` moved by `days` (negative: earlier), saturating at the ends of
/// the calendar instead of panicking. Rule sets bound every duration,
/// so saturation only matters for absurd inputs, which the validation layer
/// refuses anyway.
pub fn add_days(date: Date, days: i64) -> Date {
    // The whole calendar (years -9999 to 9999) is under 7.4 million days:
    // any move beyond that saturates, and `Duration::days` cannot overflow.
    const BEYOND_THE_CALENDAR: i64 = 8_000_000;
    date.checked_add(Duration::days(
        days.clamp(-BEYOND_THE_CALENDAR, BEYOND_THE_CALENDAR),
    ))
    .unwrap_or(if days >= 0 { Date::MAX } else { Date::MIN })
}

/// The month of `date` as a number, 1 to 12.
pub fn month_number(date: Date) -> u32 {
    u32::from(u8::from(date.month()))
}

/// The date of a year, month (1 to 12) and day (1 to 31); `None` when there
/// is no such day (31 April, 29 February 2021, month 13).
pub fn ymd(year: i32, month: u32, day: u32) -> Option<Date> {
    let month = Month::try_from(u8::try_from(month).ok()?).ok()?;
    Date::from_calendar_date(year, month, u8::try_from(day).ok()?).ok()
}

/// Every day from `first` on, in order (to the end of the calendar).
pub fn days_from(first: Date) -> impl Iterator<Item = Date> {
    std::iter::successors(Some(first), |day| day.next_day())
}

/// `date` as ISO 8601, `2020-11-17` (what `<input type="date">` sends and
/// what the database keeps).
pub fn iso(date: Date) -> String {
    format!(
        "{:04}-{:02}-{:02}",
        date.year(),
        month_number(date),
        date.day()
    )
}

/// `date` the French way with digits, `17/11/2020`.
pub fn dmy(date: Date) -> String {
    format!(
        "{:02}/{:02}/{:04}",
        date.day(),
        month_number(date),
        date.year()
    )
}

/// `date` as day and month, `17/11`.
pub fn dm(date: Date) -> String {
    format!("{:02}/{:02}", date.day(), month_number(date))
}

/// An instant (Unix seconds) as RFC 3339 in UTC to the second,
/// `2026-12-03T08:05:09Z`; `None` beyond the calendar (years 0 to 9999
/// only, as RFC 3339 has four-digit years).
pub fn utc_text(at: i64) -> Option<String> {
    let t = time::OffsetDateTime::from_unix_timestamp(at).ok()?;
    (0..=9999).contains(&t.year()).then(|| {
        format!(
            "{}T{:02}:{:02}:{:02}Z",
            iso(t.date()),
            t.hour(),
            t.minute(),
            t.second()
        )
    })
}

/// A date written `YYYY-MM-DD` (exactly: four, two and two ASCII digits),
/// or `None`, including for a day that does not exist.
pub fn parse_iso(text: &str) -> Option<Date> {
    let b = text.as_bytes();
    let shaped = b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
    if !shaped {
        return None;
    }
    ymd(
        text[0..4].parse().ok()?,
        text[5..7].parse().ok()?,
        text[8..10].parse().ok()?,
    )
}

/// A date written `DD/MM/YYYY` as people type it: the day and the month in
/// one or two ASCII digits, the year in four; or `None`.
pub fn parse_dmy(text: &str) -> Option<Date> {
    let mut parts = text.split('/');
    let (day, month, year) = (parts.next()?, parts.next()?, parts.next()?);
    let digits = |part: &str, widths: std::ops::RangeInclusive<usize>| {
        widths.contains(&part.len()) && part.bytes().all(|c| c.is_ascii_digit())
    };
    if parts.next().is_some()
        || !digits(day, 1..=2)
        || !digits(month, 1..=2)
        || !digits(year, 4..=4)
    {
        return None;
    }
    ymd(year.parse().ok()?, month.parse().ok()?, day.parse().ok()?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(s: &str) -> Date {
        parse_iso(s).expect("test date")
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
    fn long_dates_in_the_other_languages() {
        let day = d("2020-11-17");
        for (lang, expected) in [
            (Lang::Ar, "الثلاثاء 17 نوفمبر 2020"),
            (Lang::Es, "martes, 17 de noviembre de 2020"),
            (Lang::Pt, "terça-feira, 17 de novembro de 2020"),
            (Lang::Tr, "17 Kasım 2020 Salı"),
            (Lang::Ro, "marți, 17 noiembrie 2020"),
            (Lang::Zh, "2020年11月17日星期二"),
        ] {
            assert_eq!(long_date(day, lang), expected);
        }
        assert_eq!(long_date(d("2021-01-03"), Lang::Zh), "2021年1月3日星期日");
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
        assert_eq!(add_days(Date::MAX, 1), Date::MAX);
        assert_eq!(add_days(Date::MIN, -1), Date::MIN);
        assert_eq!(add_days(d("2020-01-01"), i64::MIN), Date::MIN);
    }

    #[test]
    fn iso_and_dmy_read_what_they_write_and_nothing_else() {
        assert_eq!(parse_iso("2020-11-17"), ymd(2020, 11, 17));
        assert_eq!(parse_dmy("17/11/2020"), ymd(2020, 11, 17));
        for bad in [
            "",
            "2020-11-1",
            "2020-11-170",
            "2020/11/17",
            "2021-02-29",
            "2020-13-01",
            "2020-00-10",
            "+020-11-17",
            "2020-1a-17",
            " 2020-11-17",
            "２０２０-11-17",
        ] {
            assert_eq!(parse_iso(bad), None, "{bad:?}");
        }
        assert_eq!(parse_dmy("1/2/2021"), ymd(2021, 2, 1));
        for bad in [
            "17/11/20",
            "31/04/2021",
            "17-11-2020",
            "001/11/2020",
            "1/11/2020/",
            "+1/11/2020",
        ] {
            assert_eq!(parse_dmy(bad), None, "{bad:?}");
        }
        assert_eq!(iso(d("0999-01-05")), "0999-01-05");
        assert_eq!(dmy(d("2021-03-05")), "05/03/2021");
        assert_eq!(dm(d("2021-03-05")), "05/03");
        assert_eq!(ymd(2021, 2, 29), None);
        assert_eq!(ymd(2020, 2, 29), Some(d("2020-02-29")));
        assert_eq!(utc_text(0).as_deref(), Some("1970-01-01T00:00:00Z"));
        assert_eq!(
            utc_text(1_796_130_309).as_deref(),
            Some("2026-12-01T13:05:09Z")
        );
        assert_eq!(utc_text(-62_167_219_201), None);
        assert_eq!(utc_text(i64::MAX), None);
    }

    proptest! {
        #[test]
        fn iso_round_trips_and_agrees_with_serde(days in -700_000i64..700_000) {
            let date = add_days(d("2020-01-01"), days);
            prop_assert_eq!(parse_iso(&iso(date)), Some(date));
            prop_assert_eq!(parse_dmy(&dmy(date)), Some(date));
            // The same text as the dates the forms and the API exchange.
            prop_assert_eq!(serde_json::to_string(&date).unwrap(), format!("\"{}\"", iso(date)));
            prop_assert_eq!(date.to_string(), iso(date));
        }

        #[test]
        fn parse_iso_never_panics(text in "\\PC{0,12}") {
            if let Some(date) = parse_iso(&text) {
                prop_assert_eq!(iso(date), text);
            }
        }

        #[test]
        fn long_date_never_panics_and_names_day_month_and_year(days in -1_000_000i64..1_000_000) {
            let date = add_days(d("2020-01-01"), days);
            for lang in Lang::ALL {
                let text = long_date(date, lang);
                prop_assert!(text.contains(&date.year().to_string()));
                prop_assert!(text.contains(weekday_name(date.weekday(), lang)));
                let month = month_name(month_number(date), lang).unwrap_or("?");
                prop_assert!(text.contains(month), "{} {}", text, month);
                if matches!(lang, Lang::Fr | Lang::En) {
                    prop_assert!(text.ends_with(&date.year().to_string()));
                }
            }
        }
    }
}
