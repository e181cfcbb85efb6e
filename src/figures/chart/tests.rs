//! The charts' geometry: examples, then properties (everything inside the
//! plot, heights in the order of the values).

use super::*;
use crate::figures::tests::{arb_day, day};
use proptest::prelude::*;

/// Floating-point slack for "inside the plot".
const EPSILON: f64 = 1e-9;

fn days_from(first: &str, n: usize) -> Vec<Date> {
    crate::dates::days_from(day(first)).take(n).collect()
}

fn inside(plot: (f64, f64, f64, f64), x: f64, y: f64) -> bool {
    let (left, top, right, bottom) = plot;
    let slack = EPSILON * (1.0 + right.abs() + bottom.abs());
    left - slack <= x && x <= right + slack && top - slack <= y && y <= bottom + slack
}

#[test]
fn nice_maxima() {
    let cases = [
        (0, 1),
        (1, 1),
        (2, 2),
        (3, 5),
        (5, 5),
        (6, 10),
        (11, 20),
        (20, 20),
        (21, 50),
        (99, 100),
        (101, 200),
        (4_999, 5_000),
        (10_u64.pow(19), 10_u64.pow(19)),
        (10_u64.pow(19) + 1, u64::MAX),
        (u64::MAX, u64::MAX),
    ];
    for (max, nice) in cases {
        assert_eq!(nice_max(max), nice, "nice_max({max})");
    }
}

#[test]
fn bars_of_two_series_over_three_days() {
    let days = days_from("2026-03-01", 3);
    let chart = bar_chart(&days, &[vec![4, 8, 0], vec![2]], 336.0, 230.0);
    assert_eq!((chart.width, chart.height), (336.0, 230.0));
    // Plot: 36..328 across (292 wide), 8..208 down (200 high).
    assert_eq!(chart.plot, (36.0, 8.0, 328.0, 208.0));
    assert_eq!(chart.max, 10);
    assert_eq!(chart.bars.len(), 6);
    let first = &chart.bars[0];
    assert_eq!((first.series, first.value, first.day), (0, 4, days[0]));
    assert!((first.height - 80.0).abs() < EPSILON);
    assert!((first.y + first.height - 208.0).abs() < EPSILON);
    // A day's slot is 292 / 3 wide; its bars fill 80 % of it, side by side.
    let slot = 292.0 / 3.0;
    assert!((first.x - (36.0 + slot * 0.1)).abs() < EPSILON);
    assert!((first.width - slot * 0.4).abs() < EPSILON);
    assert!((chart.bars[1].x - (first.x + first.width)).abs() < EPSILON);
    assert_eq!((chart.bars[1].series, chart.bars[1].value), (1, 2));
    // The short series counts its missing days as 0.
    assert_eq!(chart.bars[3].value, 0);
    assert_eq!(chart.bars[3].height, 0.0);
    assert_eq!(chart.bars[2].value, 8);
    assert!((chart.bars[2].height - 160.0).abs() < EPSILON);
    // 0, 5, 10: the quarters 2.5 and 7.5 are not whole numbers.
    let labels: Vec<&str> = chart.ticks.iter().map(|t| t.label.as_str()).collect();
    assert_eq!(labels, ["0", "5", "10"]);
    assert_eq!(chart.ticks[0].y, 208.0);
    assert_eq!(chart.ticks[1].y, 108.0);
    assert_eq!(chart.ticks[2].y, 8.0);
    let days_shown: Vec<&str> = chart.labels.iter().map(|l| l.label.as_str()).collect();
    assert_eq!(days_shown, ["01/03", "02/03", "03/03"]);
    assert!((chart.labels[1].x - (36.0 + 1.5 * slot)).abs() < EPSILON);
}

#[test]
fn five_ticks_when_the_quarters_are_whole() {
    let days = days_from("2026-03-01", 1);
    let chart = bar_chart(&days, &[vec![170]], 300.0, 200.0);
    assert_eq!(chart.max, 200);
    let labels: Vec<&str> = chart.ticks.iter().map(|t| t.label.as_str()).collect();
    assert_eq!(labels, ["0", "50", "100", "150", "200"]);
    let ticks_for = |top: u64| {
        let chart = bar_chart(&days, &[vec![top]], 300.0, 200.0);
        let labels: Vec<String> = chart.ticks.into_iter().map(|t| t.label).collect();
        labels.join(" ")
    };
    assert_eq!(
        [1, 2, 5, 50].map(ticks_for),
        ["0 1", "0 1 2", "0 5", "0 25 50"]
    );
}

#[test]
fn no_day_or_no_series_draws_no_bar() {
    let empty = bar_chart(&[], &[vec![3]], 300.0, 200.0);
    assert!(empty.bars.is_empty() && empty.labels.is_empty());
    assert_eq!(empty.max, 1);
    let days = days_from("2026-03-01", 2);
    let none = bar_chart(&days, &[], 300.0, 200.0);
    assert!(none.bars.is_empty());
    assert_eq!(none.labels.len(), 2);
    // A drawing too small for its margins: a plot of no size, no panic.
    let tiny = bar_chart(&days, &[vec![1, 2]], 10.0, f64::NAN);
    assert_eq!(tiny.plot, (10.0, 0.0, 10.0, 0.0));
    assert!(tiny.bars.iter().all(|b| b.width == 0.0 && b.height == 0.0));
}

#[test]
fn day_labels_are_thinned_to_ten_at_most() {
    let two_weeks = bar_chart(&days_from("2026-03-01", 14), &[vec![1; 14]], 600.0, 200.0);
    let shown: Vec<&str> = two_weeks.labels.iter().map(|l| l.label.as_str()).collect();
    assert_eq!(
        shown,
        ["01/03", "03/03", "05/03", "07/03", "09/03", "11/03", "13/03"]
    );
    let year = bar_chart(&days_from("2024-01-01", 366), &[], 600.0, 200.0);
    assert_eq!(year.labels.len(), 10);
    assert_eq!(year.labels[1].label, "07/02");
}

#[test]
fn share_lines_break_at_undefined_days() {
    let days = days_from("2026-03-01", 5);
    let series = vec![
        vec![Some(0.5), Some(1.0), None, Some(0.0), Some(2.0)],
        vec![None, Some(f64::NAN), Some(0.25)],
    ];
    let chart = share_chart(&days, &series, 336.0, 230.0);
    assert_eq!(chart.plot, (36.0, 8.0, 328.0, 208.0));
    let slot = 292.0 / 5.0;
    let x = |d: f64| 36.0 + (d + 0.5) * slot;
    assert_eq!(chart.lines.len(), 2);
    assert_eq!(
        chart.lines[0],
        vec![
            vec![(x(0.0), 108.0), (x(1.0), 8.0)],
            vec![(x(3.0), 208.0), (x(4.0), 8.0)]
        ]
    );
    assert_eq!(chart.lines[1], vec![vec![(x(2.0), 158.0)]]);
    let ticks: Vec<(f64, &str)> = chart
        .ticks
        .iter()
        .map(|t| (t.y, t.label.as_str()))
        .collect();
    assert_eq!(
        ticks,
        [
            (208.0, "0"),
            (158.0, "25"),
            (108.0, "50"),
            (58.0, "75"),
            (8.0, "100")
        ]
    );
    assert_eq!(chart.labels.len(), 5);
}

fn arb_series(max_days: usize) -> impl Strategy<Value = Vec<Vec<u64>>> {
    let value = prop_oneof![0_u64..10, 0_u64..1_000, any::<u64>()];
    prop::collection::vec(prop::collection::vec(value, 0..=max_days), 0..4)
}

fn arb_size() -> impl Strategy<Value = f64> {
    prop_oneof![
        1.0_f64..2_000.0,
        0.0_f64..60.0,
        Just(f64::INFINITY),
        Just(-5.0)
    ]
}

proptest! {
    #[test]
    fn nice_max_is_an_upper_bound_of_the_1_2_5_form(max in prop_oneof![0_u64..1_000, any::<u64>()]) {
        let nice = nice_max(max);
        prop_assert!(nice >= max && nice >= 1);
        if nice != u64::MAX {
            let mut mantissa = nice;
            while mantissa.is_multiple_of(10) {
                mantissa /= 10;
            }
            prop_assert!([1, 2, 5].contains(&mantissa), "{}", nice);
            // The smallest: the 1/2/5 number below it is below max.
            let below = match mantissa { 1 => nice / 2, 2 => nice / 2, _ => nice / 5 * 2 };
            prop_assert!(nice == 1 || below < max, "{} for {}", nice, max);
        } else {
            prop_assert!(max > 10_u64.pow(19));
        }
    }

    #[test]
    fn bars_lie_in_the_plot_and_grow_with_their_value(
        first in arb_day(),
        n in 0_usize..40,
        series in arb_series(45),
        width in arb_size(),
        height in arb_size(),
    ) {
        let days: Vec<Date> = crate::dates::days_from(first).take(n).collect();
        let chart = bar_chart(&days, &series, width, height);
        let (left, top, right, bottom) = chart.plot;
        prop_assert!(0.0 <= left && left <= right && right <= chart.width);
        prop_assert!(0.0 <= top && top <= bottom && bottom <= chart.height);
        prop_assert_eq!(chart.bars.len(), n * series.len());
        let largest = chart.bars.iter().map(|b| b.value).max().unwrap_or(0);
        prop_assert_eq!(chart.max, nice_max(largest));
        for bar in &chart.bars {
            prop_assert!(bar.width >= 0.0 && bar.height >= 0.0);
            prop_assert!(inside(chart.plot, bar.x, bar.y), "{:?} in {:?}", bar, chart.plot);
            prop_assert!(inside(chart.plot, bar.x + bar.width, bar.y + bar.height));
            prop_assert!((bar.y + bar.height - bottom).abs() <= EPSILON * (1.0 + bottom));
            let expected = series[bar.series].get(days.iter().position(|d| *d == bar.day).unwrap_or(0)).copied().unwrap_or(0);
            prop_assert_eq!(bar.value, expected);
        }
        for a in &chart.bars {
            for b in &chart.bars {
                if a.value <= b.value {
                    prop_assert!(a.height <= b.height, "{:?} {:?}", a, b);
                }
            }
        }
        prop_assert!(!chart.ticks.is_empty() && chart.ticks.len() <= 5);
        prop_assert_eq!(chart.ticks[0].label.as_str(), "0");
        prop_assert_eq!(chart.ticks.last().map(|t| t.label.clone()), Some(chart.max.to_string()));
        for tick in &chart.ticks {
            prop_assert!(tick.label.parse::<u64>().is_ok());
            prop_assert!(inside(chart.plot, left, tick.y));
        }
        prop_assert!(chart.labels.len() <= 10 && (n == 0 || !chart.labels.is_empty()));
        prop_assert!(chart.labels.windows(2).all(|w| w[0].x <= w[1].x));
        for label in &chart.labels {
            prop_assert!(inside(chart.plot, label.x, bottom));
        }
    }

    #[test]
    fn share_points_lie_in_the_plot(
        first in arb_day(),
        n in 0_usize..40,
        series in prop::collection::vec(
            prop::collection::vec(prop_oneof![
                3 => (0.0_f64..=1.0).prop_map(Some),
                1 => Just(None),
                1 => prop_oneof![Just(f64::NAN), Just(-0.5), Just(1.5), Just(f64::INFINITY)].prop_map(Some),
            ], 0..45),
            0..4,
        ),
        width in arb_size(),
        height in arb_size(),
    ) {
        let days: Vec<Date> = crate::dates::days_from(first).take(n).collect();
        let chart = share_chart(&days, &series, width, height);
        prop_assert_eq!(chart.lines.len(), series.len());
        for (runs, shares) in chart.lines.iter().zip(&series) {
            let defined = shares.iter().take(n).filter(|s| s.is_some_and(f64::is_finite)).count();
            prop_assert_eq!(runs.iter().map(Vec::len).sum::<usize>(), defined);
            for run in runs {
                prop_assert!(!run.is_empty());
                prop_assert!(run.windows(2).all(|w| w[0].0 < w[1].0 || chart.plot.0 == chart.plot.2));
                for &(x, y) in run {
                    prop_assert!(inside(chart.plot, x, y), "({}, {}) in {:?}", x, y, chart.plot);
                }
            }
        }
        prop_assert_eq!(chart.ticks.len(), 5);
        prop_assert!(chart.ticks.windows(2).all(|w| w[0].y >= w[1].y));
    }
}
