//! The figures as text: the CSV export, and numbers written the local way
//! for the page.

use super::cohort::{DayFigures, Summary};
use crate::Lang;

/// What the page writes for a figure that is not defined (no case that
/// day, no delay measured).
const UNDEFINED: &str = "—";

/// The CSV export's columns, in order (snake_case English, stable for
/// spreadsheets and scripts).
pub const CSV_COLUMNS: [&str; 19] = [
    "day",
    "cases",
    "contacts_declared",
    "contacts_validated",
    "contacts_per_case",
    "cases_called",
    "cases_listed_before_call",
    "cases_reached",
    "contacts_to_notify",
    "contacts_reached",
    "cases_without_contact",
    "second_calls",
    "sms_sent",
    "sms_failed",
    "sms_replied",
    "sample_to_call_median_h",
    "sample_to_call_p90_h",
    "call_to_notified_median_h",
    "call_to_notified_p90_h",
];

/// CSV of the days (header line, one line per day, "\r\n" line ends, the
/// last line included): the [`CSV_COLUMNS`], days as YYYY-MM-DD, ratios
/// with '.' and 2 decimals, delays in whole hours; an empty cell when
/// undefined. Then a last line "total" for the period (from a Summary).
/// No cell holds a comma, a quote or a line break, so none is quoted.
pub fn csv(days: &[DayFigures], summary: &Summary) -> String {
    let mut out = String::new();
    push_line(&mut out, CSV_COLUMNS.map(str::to_owned));
    for figures in days {
        push_line(&mut out, row(crate::dates::iso(figures.day), figures));
    }
    push_line(&mut out, row("total".to_owned(), &summary.totals));
    out
}

fn push_line(out: &mut String, cells: [String; CSV_COLUMNS.len()]) {
    out.push_str(&cells.join(","));
    out.push_str("\r\n");
}

fn row(label: String, f: &DayFigures) -> [String; CSV_COLUMNS.len()] {
    let hours = |value: Option<u32>| value.map(|h| h.to_string()).unwrap_or_default();
    [
        label,
        f.cases.to_string(),
        f.contacts_declared.to_string(),
        f.contacts_validated.to_string(),
        f.contacts_per_case()
            .filter(|r| r.is_finite())
            .map(|r| format!("{r:.2}"))
            .unwrap_or_default(),
        f.cases_called.to_string(),
        f.cases_listed_before_call.to_string(),
        f.cases_reached.to_string(),
        f.contacts_to_notify.to_string(),
        f.contacts_reached.to_string(),
        f.cases_without_contact.to_string(),
        f.second_calls.to_string(),
        f.sms_sent.to_string(),
        f.sms_failed.to_string(),
        f.sms_replied.to_string(),
        hours(f.sample_to_call.median()),
        hours(f.sample_to_call.p90()),
        hours(f.call_to_notified.median()),
        hours(f.call_to_notified.p90()),
    ]
}

/// A share (0..=1) as a percentage with one decimal, written the local
/// way: fr "12,5 %" (a plain space before the sign: the page keeps the
/// number on one line with CSS), en "12.5%"; "—" for None (or a number
/// that is not finite).
pub fn percent_text(share: Option<f64>, lang: Lang) -> String {
    match share.filter(|s| s.is_finite()) {
        None => UNDEFINED.to_owned(),
        Some(share) => {
            let number = one_decimal(share * 100.0, lang);
            match lang {
                Lang::Fr => format!("{number} %"),
                _ => format!("{number}%"),
            }
        }
    }
}

/// A number with one decimal, written the local way: fr "2,1", en "2.1";
/// "—" for None (or a number that is not finite).
pub fn decimal_text(value: Option<f64>, lang: Lang) -> String {
    match value.filter(|v| v.is_finite()) {
        None => UNDEFINED.to_owned(),
        Some(value) => one_decimal(value, lang),
    }
}

/// A delay in hours: "36 h" in both languages; "—" for None.
pub fn hours_text(hours: Option<u32>, _lang: Lang) -> String {
    match hours {
        None => UNDEFINED.to_owned(),
        Some(hours) => format!("{hours} h"),
    }
}

/// `value` rounded to one decimal, with the language's decimal separator;
/// never "-0.0".
fn one_decimal(value: f64, lang: Lang) -> String {
    let text = format!("{value:.1}");
    let text = match text.strip_prefix('-') {
        Some(positive) if positive.bytes().all(|b| b == b'0' || b == b'.') => positive.to_owned(),
        _ => text,
    };
    match lang {
        Lang::Fr | Lang::Es | Lang::Pt | Lang::Tr | Lang::Ro => text.replace('.', ","),
        Lang::En | Lang::Ar | Lang::Zh => text,
    }
}

#[cfg(test)]
mod tests;
