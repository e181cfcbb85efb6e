//! The period form and the days it covers: examples, then properties.

use super::*;
use crate::figures::tests::{arb_day, arb_day_figures, day, monday};
use crate::figures::Summary;
use proptest::prelude::*;

fn period(from: &str, to: &str) -> Period {
    Period {
        from: day(from),
        to: day(to),
    }
}

#[test]
fn empty_fields_give_the_fourteen_days_ending_today() {
    let today = day("2026-03-15");
    let default = parse_period("", "  ", today).expect("default");
    assert_eq!(default, period("2026-03-02", "2026-03-15"));
    assert_eq!(default.len(), DEFAULT_PERIOD_DAYS);
    assert_eq!(Period::ending_on(today), default);
    // Only the end given: the 14 days ending then.
    assert_eq!(
        parse_period("", "2026-01-10", today),
        Ok(period("2025-12-28", "2026-01-10"))
    );
    // Only the start given: up to today.
    assert_eq!(
        parse_period("01/03/2026", "", today),
        Ok(period("2026-03-01", "2026-03-15"))
    );
}

#[test]
fn both_date_spellings_are_read() {
    let today = day("2026-03-15");
    assert_eq!(
        parse_period(" 2026-02-01 ", "28/02/2026", today),
        Ok(period("2026-02-01", "2026-02-28"))
    );
    // One day is a period.
    assert_eq!(
        parse_period("2026-02-01", "2026-02-01", today).map(|p| p.len()),
        Ok(1)
    );
}

#[test]
fn every_problem_at_once() {
    let today = day("2026-03-15");
    assert_eq!(
        parse_period("hier", "32/01/2026", today),
        Err(vec![
            PeriodError::NotADate("from"),
            PeriodError::NotADate("to")
        ])
    );
    assert_eq!(
        parse_period("2026-02-30", "", today),
        Err(vec![PeriodError::NotADate("from")])
    );
    assert_eq!(
        parse_period("", "demain", today),
        Err(vec![PeriodError::NotADate("to")])
    );
    assert_eq!(
        parse_period("2026-03-10", "2026-03-09", today),
        Err(vec![PeriodError::EndsBeforeStart])
    );
    // Only the start given, after today.
    assert_eq!(
        parse_period("2026-03-16", "", today),
        Err(vec![PeriodError::EndsBeforeStart])
    );
    // 366 days is the most; 367 too many.
    assert_eq!(
        parse_period("2024-01-01", "2024-12-31", today).map(|p| p.len()),
        Ok(366)
    );
    assert_eq!(
        parse_period("2023-01-01", "2024-01-02", today),
        Err(vec![PeriodError::TooLong])
    );
}

#[test]
fn errors_name_their_field() {
    assert_eq!(PeriodError::NotADate("from").field(), "from");
    assert_eq!(PeriodError::NotADate("to").field(), "to");
    assert_eq!(PeriodError::EndsBeforeStart.field(), "to");
    assert_eq!(PeriodError::TooLong.field(), "to");
}

#[test]
fn the_days_of_a_period() {
    let p = period("2026-02-27", "2026-03-02");
    let days: Vec<Date> = p.days().collect();
    assert_eq!(
        days,
        ["2026-02-27", "2026-02-28", "2026-03-01", "2026-03-02"].map(day)
    );
    assert_eq!(p.len(), 4);
    assert!(!p.is_empty());
    assert!(p.contains(day("2026-02-28")) && !p.contains(day("2026-03-03")));
    let reversed = period("2026-03-02", "2026-02-27");
    assert_eq!((reversed.len(), reversed.is_empty()), (0, true));
    assert_eq!(reversed.days().count(), 0);
}

#[test]
fn every_day_fills_the_gaps() {
    let mut outside = monday();
    outside.day = day("2026-03-09");
    let mut again = DayFigures::empty(day("2026-03-02"));
    again.cases = 1;
    let days = every_day(
        period("2026-03-01", "2026-03-03"),
        &[outside, monday(), again],
    );
    assert_eq!(days.len(), 3);
    assert_eq!(days[0], DayFigures::empty(day("2026-03-01")));
    // Monday's figures, plus the second line of the same day.
    assert_eq!(days[1].cases, 9);
    assert_eq!(days[1].sms_sent, 30);
    assert_eq!(days[2], DayFigures::empty(day("2026-03-03")));
}

proptest! {
    #[test]
    fn a_valid_period_round_trips_from_its_text(
        from in arb_day(),
        length in 1_u32..=MAX_PERIOD_DAYS,
        today in arb_day(),
    ) {
        let to = crate::dates::add_days(from, i64::from(length) - 1);
        let text = |d: Date| d.to_string();
        let parsed = parse_period(&text(from), &text(to), today);
        prop_assert_eq!(parsed, Ok(Period { from, to }));
        prop_assert_eq!(Period { from, to }.len(), length);
        // The other spelling too.
        let french = |d: Date| crate::dates::dmy(d);
        prop_assert_eq!(parse_period(&french(from), &french(to), today), Ok(Period { from, to }));
    }

    #[test]
    fn errors_name_the_field(
        from in prop_oneof![arb_day().prop_map(Some), Just(None)],
        to in prop_oneof![arb_day().prop_map(Some), Just(None)],
        from_garbage in "[a-z]{1,8}|[0-9]{1,3}|",
        to_garbage in "[a-z]{1,8}|[0-9]{1,3}|",
        today in arb_day(),
    ) {
        let text = |d: Option<Date>, garbage: &str| {
            d.map_or_else(|| garbage.to_owned(), |d| d.to_string())
        };
        let (from_text, to_text) = (text(from, &from_garbage), text(to, &to_garbage));
        match parse_period(&from_text, &to_text, today) {
            Ok(p) => {
                prop_assert!(p.from <= p.to && p.len() <= MAX_PERIOD_DAYS && !p.is_empty());
                prop_assert_eq!(p.to, to.unwrap_or(today));
                if let Some(from) = from {
                    prop_assert_eq!(p.from, from);
                }
            }
            Err(errors) => {
                prop_assert!(!errors.is_empty() && errors.len() <= 2);
                for error in &errors {
                    prop_assert!(["from", "to"].contains(&error.field()));
                    let bad_from = from.is_none() && !from_garbage.is_empty();
                    let bad_to = to.is_none() && !to_garbage.is_empty();
                    match error {
                        PeriodError::NotADate("from") => prop_assert!(bad_from),
                        PeriodError::NotADate(field) => {
                            prop_assert_eq!(*field, "to");
                            prop_assert!(bad_to);
                        }
                        PeriodError::EndsBeforeStart | PeriodError::TooLong => {
                            prop_assert!(!bad_from && !bad_to && errors.len() == 1);
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn every_day_has_each_day_once_in_order(
        from in arb_day(),
        length in 0_i64..60,
        known in prop::collection::vec(arb_day_figures(), 0..10),
    ) {
        let p = Period { from, to: crate::dates::add_days(from, length) };
        // Half the known days moved into the period.
        let known: Vec<DayFigures> = known
            .into_iter()
            .enumerate()
            .map(|(i, mut f)| {
                if i % 2 == 0 {
                    f.day = crate::dates::add_days(from, (i as i64 * 7) % (length + 1));
                }
                f
            })
            .collect();
        let days = every_day(p, &known);
        prop_assert_eq!(days.len(), p.len() as usize);
        prop_assert!(days.iter().map(|f| f.day).eq(p.days()));
        for figures in &days {
            let same_day: Vec<&DayFigures> = known.iter().filter(|k| k.day == figures.day).collect();
            match same_day.as_slice() {
                [] => prop_assert_eq!(figures, &DayFigures::empty(figures.day)),
                [only] => prop_assert_eq!(figures, *only),
                several => prop_assert_eq!(
                    figures.cases,
                    several.iter().map(|k| k.cases).sum::<u64>()
                ),
            }
        }
        // Nothing from inside the period is lost.
        let summary = Summary::of(p.from, p.to, &known);
        prop_assert_eq!(Summary::of(p.from, p.to, &days), summary);
    }
}
