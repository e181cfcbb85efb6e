//! The CSV export and numbers written the local way: examples, then
//! properties.

use super::*;
use crate::figures::tests::{arb_day, arb_day_figures, day, monday};
use proptest::prelude::*;

#[test]
fn csv_of_a_period() {
    let mut tuesday = DayFigures::empty(day("2026-03-03"));
    tuesday.cases = 3;
    tuesday.contacts_declared = 1;
    let days = [monday(), tuesday];
    let summary = Summary::of(day("2026-03-02"), day("2026-03-03"), &days);
    let text = csv(&days, &summary);
    let lines: Vec<&str> = text.split("\r\n").collect();
    assert_eq!(
        lines,
        [
            "day,cases,contacts_declared,contacts_validated,contacts_per_case,cases_called,\
             cases_listed_before_call,cases_reached,contacts_to_notify,contacts_reached,\
             cases_without_contact,second_calls,sms_sent,sms_failed,sms_replied,\
             sample_to_call_median_h,sample_to_call_p90_h,call_to_notified_median_h,\
             call_to_notified_p90_h",
            "2026-03-02,8,20,17,2.50,6,3,5,12,9,1,4,30,2,7,30,70,2,5",
            "2026-03-03,3,1,0,0.33,0,0,0,0,0,0,0,0,0,0,,,,",
            "total,11,21,17,1.91,6,3,5,12,9,1,4,30,2,7,30,70,2,5",
            "",
        ]
    );
}

#[test]
fn csv_of_days_without_cases() {
    let days = [DayFigures::empty(day("2026-03-01"))];
    let summary = Summary::of(day("2026-03-01"), day("2026-03-01"), &days);
    let text = csv(&days, &summary);
    assert!(text.ends_with(
        "\r\n2026-03-01,0,0,0,,0,0,0,0,0,0,0,0,0,0,,,,\r\ntotal,0,0,0,,0,0,0,0,0,0,0,0,0,0,,,,\r\n"
    ));
    // No day at all: the header and the total.
    let none = csv(&[], &Summary::of(day("2026-03-01"), day("2026-03-01"), &[]));
    assert_eq!(none.lines().count(), 2);
    assert!(none
        .lines()
        .nth(1)
        .is_some_and(|l| l.starts_with("total,0,")));
}

#[test]
fn percentages_the_local_way() {
    assert_eq!(percent_text(Some(0.125), Lang::Fr), "12,5 %");
    assert_eq!(percent_text(Some(0.125), Lang::En), "12.5%");
    assert_eq!(percent_text(Some(1.0), Lang::Fr), "100,0 %");
    assert_eq!(percent_text(Some(0.0), Lang::En), "0.0%");
    assert_eq!(percent_text(Some(2.0 / 3.0), Lang::En), "66.7%");
    assert_eq!(percent_text(Some(-0.0001), Lang::En), "0.0%");
    assert_eq!(percent_text(None, Lang::Fr), "—");
    assert_eq!(percent_text(Some(f64::NAN), Lang::En), "—");
}

#[test]
fn decimals_the_local_way() {
    assert_eq!(decimal_text(Some(2.1), Lang::Fr), "2,1");
    assert_eq!(decimal_text(Some(2.1), Lang::En), "2.1");
    assert_eq!(decimal_text(Some(2.0), Lang::Fr), "2,0");
    assert_eq!(decimal_text(Some(2.46), Lang::En), "2.5");
    assert_eq!(decimal_text(Some(-1.25), Lang::Fr), "-1,2");
    assert_eq!(decimal_text(Some(-0.01), Lang::Fr), "0,0");
    assert_eq!(decimal_text(None, Lang::En), "—");
    assert_eq!(decimal_text(Some(f64::INFINITY), Lang::Fr), "—");
}

#[test]
fn hours_in_both_languages() {
    assert_eq!(hours_text(Some(36), Lang::Fr), "36 h");
    assert_eq!(hours_text(Some(0), Lang::En), "0 h");
    assert_eq!(hours_text(None, Lang::Fr), "—");
}

proptest! {
    #[test]
    fn csv_has_a_line_a_day_and_the_header_s_cells(
        days in prop::collection::vec(arb_day_figures(), 0..10),
        from in arb_day(),
    ) {
        let summary = Summary::of(from, crate::dates::add_days(from, 30), &days);
        let text = csv(&days, &summary);
        prop_assert!(text.ends_with("\r\n"));
        let lines: Vec<&str> = text.split_terminator("\r\n").collect();
        prop_assert_eq!(lines.len(), days.len() + 2);
        prop_assert!(!lines.iter().any(|l| l.contains(['\r', '\n', '"'])));
        let header: Vec<&str> = lines[0].split(',').collect();
        prop_assert_eq!(header.as_slice(), CSV_COLUMNS.as_slice());
        for (line, figures) in lines[1..].iter().zip(&days) {
            let cells: Vec<&str> = line.split(',').collect();
            prop_assert_eq!(cells.len(), CSV_COLUMNS.len());
            prop_assert_eq!(cells[0], crate::dates::iso(figures.day));
            prop_assert_eq!(cells[1], figures.cases.to_string());
            let per_case = cells[4];
            prop_assert_eq!(per_case.is_empty(), figures.cases == 0);
            if let Ok(value) = per_case.parse::<f64>() {
                let exact = figures.contacts_per_case().unwrap_or(f64::NAN);
                prop_assert!((value - exact).abs() <= 0.005 + 1e-9);
                prop_assert_eq!(per_case.split('.').nth(1).map(str::len), Some(2));
            }
            prop_assert_eq!(cells[15], figures.sample_to_call.median().map(|h| h.to_string()).unwrap_or_default());
            prop_assert_eq!(cells[18], figures.call_to_notified.p90().map(|h| h.to_string()).unwrap_or_default());
        }
        let total: Vec<&str> = lines[lines.len() - 1].split(',').collect();
        prop_assert_eq!(total.len(), CSV_COLUMNS.len());
        prop_assert_eq!(total[0], "total");
        prop_assert_eq!(total[1], summary.totals.cases.to_string());
    }

    #[test]
    fn numbers_read_back(value in -1.0e6_f64..1.0e6, share in 0.0_f64..=1.0) {
        let en = decimal_text(Some(value), Lang::En);
        let fr = decimal_text(Some(value), Lang::Fr);
        prop_assert_eq!(fr.replace(',', "."), en.clone());
        let read: f64 = en.parse().expect("a number");
        prop_assert!((read - value).abs() <= 0.05 + 1e-9);
        prop_assert_eq!(en.split('.').nth(1).map(str::len), Some(1));
        let percent = percent_text(Some(share), Lang::En);
        let read: f64 = percent.trim_end_matches('%').parse().expect("a percentage");
        prop_assert!((read - share * 100.0).abs() <= 0.05 + 1e-9);
        prop_assert_eq!(percent_text(Some(share), Lang::Fr), format!("{} %", percent.trim_end_matches('%').replace('.', ",")));
    }
}
