//! A day's figures and a period's summary: examples, then properties; the
//! strategies the other figure tests share.

use super::*;
use proptest::prelude::*;
use time::Date;

pub(super) fn day(text: &str) -> Date {
    crate::dates::parse_iso(text).expect("test date")
}

/// A day between 2020 and 2030.
pub(super) fn arb_day() -> impl Strategy<Value = Date> {
    (0_i64..3_650).prop_map(|n| crate::dates::add_days(day("2020-01-01"), n))
}

pub(super) fn arb_histogram() -> impl Strategy<Value = Histogram> {
    prop::collection::vec((0_u32..500, 1_u64..20), 0..6).prop_map(|bins| {
        let mut h = Histogram::new();
        for (hours, count) in bins {
            h.add_many(hours, count);
        }
        h
    })
}

/// Any counts, consistent or not (a part may exceed its whole).
pub(super) fn arb_day_figures() -> impl Strategy<Value = DayFigures> {
    (
        arb_day(),
        prop::array::uniform13(prop_oneof![Just(0_u64), 0_u64..50, 0_u64..100_000]),
        arb_histogram(),
        arb_histogram(),
    )
        .prop_map(|(day, n, sample_to_call, call_to_notified)| DayFigures {
            day,
            cases: n[0],
            contacts_declared: n[1],
            contacts_validated: n[2],
            cases_called: n[3],
            cases_listed_before_call: n[4],
            cases_reached: n[5],
            contacts_to_notify: n[6],
            contacts_reached: n[7],
            cases_without_contact: n[8],
            second_calls: n[9],
            sms_sent: n[10],
            sms_failed: n[11],
            sms_replied: n[12],
            sample_to_call,
            call_to_notified,
        })
}

/// A realistic Monday: 8 cases, 6 called, 5 reached.
pub(super) fn monday() -> DayFigures {
    DayFigures {
        day: day("2026-03-02"),
        cases: 8,
        contacts_declared: 20,
        contacts_validated: 17,
        cases_called: 6,
        cases_listed_before_call: 3,
        cases_reached: 5,
        contacts_to_notify: 12,
        contacts_reached: 9,
        cases_without_contact: 1,
        second_calls: 4,
        sms_sent: 30,
        sms_failed: 2,
        sms_replied: 7,
        sample_to_call: [20, 30, 30, 70].into_iter().collect(),
        call_to_notified: [2, 5].into_iter().collect(),
    }
}

#[test]
fn a_day_without_cases_has_no_ratio() {
    let empty = DayFigures::empty(day("2026-03-01"));
    assert_eq!(empty.day, day("2026-03-01"));
    assert_eq!(empty.cases, 0);
    assert!(empty.sample_to_call.is_empty());
    assert_eq!(
        [
            empty.contacts_per_case(),
            empty.share_listed_before_call(),
            empty.share_cases_reached(),
            empty.share_contacts_reached(),
        ],
        [None; 4]
    );
}

#[test]
fn ratios_of_a_day() {
    let m = monday();
    assert_eq!(m.contacts_per_case(), Some(2.5));
    assert_eq!(m.share_listed_before_call(), Some(0.5));
    assert_eq!(m.share_cases_reached(), Some(0.625));
    assert_eq!(m.share_contacts_reached(), Some(0.75));
}

#[test]
fn a_share_never_exceeds_the_whole() {
    assert_eq!(share(7, 5), Some(1.0));
    assert_eq!(share(0, 5), Some(0.0));
    assert_eq!(share(3, 0), None);
    // A ratio is not a share: 3 contacts a case is 3.
    assert_eq!(ratio(9, 3), Some(3.0));
    assert_eq!(ratio(0, 0), None);
}

#[test]
fn a_summary_sums_the_days_of_its_period_only() {
    let mut tuesday = DayFigures::empty(day("2026-03-03"));
    tuesday.cases = 2;
    tuesday.cases_reached = 2;
    tuesday.contacts_declared = 1;
    tuesday.sample_to_call = [40, 40, 41].into_iter().collect();
    let mut before = monday();
    before.day = day("2026-02-28");
    let mut after = monday();
    after.day = day("2026-03-05");
    let days = [before, monday(), tuesday, after];
    let summary = Summary::of(day("2026-03-01"), day("2026-03-04"), &days);
    assert_eq!(summary.from, day("2026-03-01"));
    assert_eq!(summary.to, day("2026-03-04"));
    assert_eq!(summary.days, 4);
    assert_eq!(summary.totals.day, day("2026-03-01"));
    assert_eq!(summary.totals.cases, 10);
    assert_eq!(summary.totals.cases_reached, 7);
    assert_eq!(summary.totals.sms_sent, 30);
    assert_eq!(summary.totals.sample_to_call.count(), 7);
    // Delays 20, 30, 30, 40, 40, 41, 70: the median of them all.
    assert_eq!(summary.totals.sample_to_call.median(), Some(40));
    assert_eq!(summary.contacts_per_case(), Some(2.1));
    assert_eq!(summary.share_cases_reached(), Some(0.7));
    assert_eq!(summary.share_listed_before_call(), Some(0.5));
    assert_eq!(summary.share_contacts_reached(), Some(0.75));
}

#[test]
fn a_reversed_summary_is_empty() {
    let summary = Summary::of(day("2026-03-04"), day("2026-03-01"), &[monday()]);
    assert_eq!(summary.days, 0);
    assert_eq!(summary.totals, DayFigures::empty(day("2026-03-04")));
    assert_eq!(summary.share_cases_reached(), None);
}

#[test]
fn figures_travel_as_json() {
    let m = monday();
    let json = serde_json::to_value(&m).expect("serialise");
    assert_eq!(json["day"], "2026-03-02");
    assert_eq!(json["sample_to_call"], "20:1,30:2,70:1");
    let back: DayFigures = serde_json::from_value(json).expect("parse");
    assert_eq!(back, m);
}

proptest! {
    #[test]
    fn summary_totals_are_the_sums_of_the_days_within(
        days in prop::collection::vec(arb_day_figures(), 0..12),
        from in arb_day(),
        length in 0_i64..4_000,
    ) {
        let to = crate::dates::add_days(from, length);
        let summary = Summary::of(from, to, &days);
        let within: Vec<&DayFigures> =
            days.iter().filter(|d| from <= d.day && d.day <= to).collect();
        let sum = |field: fn(&DayFigures) -> u64| within.iter().map(|d| field(d)).sum::<u64>();
        let t = &summary.totals;
        prop_assert_eq!(t.day, from);
        prop_assert_eq!(summary.days as i64, length + 1);
        prop_assert_eq!(t.cases, sum(|d| d.cases));
        prop_assert_eq!(t.contacts_declared, sum(|d| d.contacts_declared));
        prop_assert_eq!(t.contacts_validated, sum(|d| d.contacts_validated));
        prop_assert_eq!(t.cases_called, sum(|d| d.cases_called));
        prop_assert_eq!(t.cases_listed_before_call, sum(|d| d.cases_listed_before_call));
        prop_assert_eq!(t.cases_reached, sum(|d| d.cases_reached));
        prop_assert_eq!(t.contacts_to_notify, sum(|d| d.contacts_to_notify));
        prop_assert_eq!(t.contacts_reached, sum(|d| d.contacts_reached));
        prop_assert_eq!(t.cases_without_contact, sum(|d| d.cases_without_contact));
        prop_assert_eq!(t.second_calls, sum(|d| d.second_calls));
        prop_assert_eq!(t.sms_sent, sum(|d| d.sms_sent));
        prop_assert_eq!(t.sms_failed, sum(|d| d.sms_failed));
        prop_assert_eq!(t.sms_replied, sum(|d| d.sms_replied));
        let delays = |field: fn(&DayFigures) -> &Histogram| {
            let mut all = Histogram::new();
            for d in &within {
                all.merge(field(d));
            }
            all
        };
        prop_assert_eq!(&t.sample_to_call, &delays(|d| &d.sample_to_call));
        prop_assert_eq!(&t.call_to_notified, &delays(|d| &d.call_to_notified));
    }

    #[test]
    fn shares_are_within_zero_and_one(days in prop::collection::vec(arb_day_figures(), 0..8)) {
        let summary = Summary::of(day("2020-01-01"), day("2030-12-31"), &days);
        let figures = days.iter().chain([&summary.totals]);
        for f in figures {
            let shares = [
                f.share_listed_before_call(),
                f.share_cases_reached(),
                f.share_contacts_reached(),
            ];
            for share in shares.into_iter().flatten() {
                prop_assert!((0.0..=1.0).contains(&share), "{}", share);
            }
            prop_assert_eq!(f.share_cases_reached().is_some(), f.cases > 0);
            prop_assert_eq!(f.contacts_per_case().is_some(), f.cases > 0);
            if let Some(r) = f.contacts_per_case() {
                prop_assert!(r >= 0.0 && r.is_finite());
            }
        }
        prop_assert_eq!(summary.share_cases_reached(), summary.totals.share_cases_reached());
        prop_assert_eq!(summary.contacts_per_case(), summary.totals.contacts_per_case());
    }

    #[test]
    fn consistent_counts_give_the_plain_quotient(whole in 1_u64..1_000_000, part in any::<prop::sample::Index>()) {
        let part = part.index(whole as usize + 1) as u64;
        prop_assert_eq!(share(part, whole), Some(part as f64 / whole as f64));
        prop_assert_eq!(share(part, whole), ratio(part, whole));
    }

    #[test]
    fn splitting_a_period_in_two_adds_up(
        days in prop::collection::vec(arb_day_figures(), 0..12),
        from in arb_day(),
        first in 0_i64..400,
        second in 1_i64..400,
    ) {
        let middle = crate::dates::add_days(from, first);
        let to = crate::dates::add_days(middle, second);
        let whole = Summary::of(from, to, &days);
        let a = Summary::of(from, middle, &days);
        let b = Summary::of(crate::dates::add_days(middle, 1), to, &days);
        prop_assert_eq!(whole.days, a.days + b.days);
        let mut joined = a.totals.clone();
        joined.absorb(&b.totals);
        prop_assert_eq!(joined, whole.totals);
    }
}
