//! Delay histograms: examples, then properties against the plain
//! definition (a sorted list of every delay).

use super::*;
use proptest::prelude::*;

#[test]
fn quantiles_by_nearest_rank() {
    // 10 delays: 2, 2, 5, 7, 7, 7, 30, 30, 48, 100.
    let h: Histogram = [7, 2, 30, 5, 7, 100, 2, 48, 30, 7].into_iter().collect();
    assert_eq!(h.count(), 10);
    assert_eq!(h.quantile(0.0), Some(2));
    assert_eq!(h.quantile(0.1), Some(2)); // rank 1
    assert_eq!(h.quantile(0.2), Some(2)); // rank 2
    assert_eq!(h.quantile(0.21), Some(5)); // rank 3
    assert_eq!(h.median(), Some(7)); // rank 5
    assert_eq!(h.quantile(0.6), Some(7)); // rank 6
    assert_eq!(h.quantile(0.61), Some(30)); // rank 7
    assert_eq!(h.p90(), Some(48)); // rank 9, not 10: 0.9 × 10 is 9
    assert_eq!(h.quantile(1.0), Some(100));
    // Outside 0..=1: clamped; NaN: no answer.
    assert_eq!(h.quantile(-3.0), Some(2));
    assert_eq!(h.quantile(7.0), Some(100));
    assert_eq!(h.quantile(f64::NAN), None);
}

#[test]
fn binary_rounding_does_not_shift_the_rank() {
    // 0.07 × 100 is 7.000000000000001 in binary: the rank is still 7.
    let h: Histogram = (1..=100).collect();
    assert_eq!(h.quantile(0.07), Some(7));
    assert_eq!(h.quantile(0.29), Some(29));
    assert_eq!(h.p90(), Some(90));
    assert_eq!(h.quantile(0.071), Some(8));
}

#[test]
fn an_even_count_has_the_lower_middle_as_median() {
    let h: Histogram = [10, 20].into_iter().collect();
    assert_eq!(h.median(), Some(10));
    assert_eq!(h.p90(), Some(20));
    let one: Histogram = [36].into_iter().collect();
    assert_eq!(
        (one.median(), one.p90(), one.quantile(0.0)),
        (Some(36), Some(36), Some(36))
    );
}

#[test]
fn empty_histograms_have_no_quantile() {
    let h = Histogram::new();
    assert!(h.is_empty());
    assert_eq!(h.count(), 0);
    assert_eq!((h.median(), h.p90(), h.quantile(0.0)), (None, None, None));
    assert_eq!(h.encode(), "");
    assert_eq!(Histogram::decode(""), Some(Histogram::new()));
}

#[test]
fn a_zero_count_adds_nothing() {
    let mut h = Histogram::new();
    h.add_many(12, 0);
    assert_eq!(h, Histogram::new());
    assert_eq!(h.encode(), "");
}

#[test]
fn counts_saturate() {
    let mut h = Histogram::new();
    h.add_many(1, u64::MAX);
    h.add_many(1, 5);
    h.add_many(2, u64::MAX);
    assert_eq!(h.count(), u64::MAX);
    assert_eq!(h.encode(), format!("1:{m},2:{m}", m = u64::MAX));
    assert_eq!(h.median(), Some(1));
}

#[test]
fn merging_days_gives_the_exact_median_of_the_period() {
    // Median of the daily medians would be 5; of every delay, it is 40.
    let mut monday: Histogram = [4, 5, 6].into_iter().collect();
    let tuesday: Histogram = [40, 41, 42, 43].into_iter().collect();
    monday.merge(&tuesday);
    assert_eq!(monday.count(), 7);
    assert_eq!(monday.median(), Some(40));
    assert_eq!(
        monday.bins().collect::<Vec<_>>(),
        [(4, 1), (5, 1), (6, 1), (40, 1), (41, 1), (42, 1), (43, 1)]
    );
}

#[test]
fn encodes_in_increasing_hours() {
    let mut h = Histogram::new();
    h.add(26);
    h.add_many(0, 3);
    assert_eq!(h.encode(), "0:3,26:1");
    assert_eq!(Histogram::decode("0:3,26:1"), Some(h));
}

#[test]
fn decode_accepts_only_what_encode_writes() {
    for text in [
        " ",
        ",",
        "0:3,",
        ",0:3",
        "0:3,,1:1",
        "3",
        ":3",
        "3:",
        "a:1",
        "1:a",
        "1:1:1",
        "+1:1",
        "1:+1",
        "-1:1",
        "01:1",
        "1:01",
        "1:0",
        "1 :1",
        "1: 1",
        "1:1 ",
        "2:1,1:1",
        "1:1,1:1",
        "4294967296:1",
        "1:18446744073709551616",
        "1\u{ff11}:1",
        "1;1",
    ] {
        assert_eq!(Histogram::decode(text), None, "{text:?}");
    }
    assert_eq!(
        Histogram::decode("4294967295:18446744073709551615").map(|h| h.count()),
        Some(u64::MAX)
    );
}

#[test]
fn serde_uses_the_column_text() {
    let h: Histogram = [3, 3, 50].into_iter().collect();
    let json = serde_json::to_string(&h).expect("serialise");
    assert_eq!(json, "\"3:2,50:1\"");
    assert_eq!(serde_json::from_str::<Histogram>(&json).expect("parse"), h);
    let error = serde_json::from_str::<Histogram>("\"3:0\"").expect_err("zero count");
    assert!(
        error.to_string().contains("malformed delay histogram"),
        "{error}"
    );
}

/// Delays: few distinct values, so that ranks land on ties.
fn arb_delays() -> impl Strategy<Value = Vec<u32>> {
    prop::collection::vec(prop_oneof![0_u32..10, 0_u32..200, any::<u32>()], 0..60)
}

fn arb_histogram() -> impl Strategy<Value = Histogram> {
    prop::collection::vec((any::<u32>(), 0_u64..1_000), 0..12).prop_map(|bins| {
        let mut h = Histogram::new();
        for (hours, count) in bins {
            h.add_many(hours, count);
        }
        h
    })
}

proptest! {
    #[test]
    fn quantile_is_the_nearest_rank_of_the_sorted_delays(
        delays in arb_delays(),
        percent in 0_u64..=100,
    ) {
        let h: Histogram = delays.iter().copied().collect();
        let mut sorted = delays.clone();
        sorted.sort_unstable();
        let n = sorted.len() as u64;
        // ceil(percent × n / 100) in integers, at least 1.
        let rank = (percent * n).div_ceil(100).max(1);
        let expected = (n > 0).then(|| sorted[(rank - 1) as usize]);
        prop_assert_eq!(h.quantile(percent as f64 / 100.0), expected);
        prop_assert_eq!(h.count(), n);
        let median_rank = n.div_ceil(2).max(1);
        prop_assert_eq!(h.median(), (n > 0).then(|| sorted[(median_rank - 1) as usize]));
        let p90_rank = (9 * n).div_ceil(10).max(1);
        prop_assert_eq!(h.p90(), (n > 0).then(|| sorted[(p90_rank - 1) as usize]));
    }

    #[test]
    fn quantile_is_the_nearest_rank_for_large_counts(
        bins in prop::collection::vec((0_u32..1_000, 1_u64..300), 0..10),
        percent in 0_u64..=100,
    ) {
        let mut h = Histogram::new();
        let mut sorted = Vec::new();
        for &(hours, count) in &bins {
            h.add_many(hours, count);
            sorted.extend(std::iter::repeat_n(hours, count as usize));
        }
        sorted.sort_unstable();
        let n = sorted.len() as u64;
        let rank = (percent * n).div_ceil(100).max(1);
        let expected = (n > 0).then(|| sorted[(rank - 1) as usize]);
        prop_assert_eq!(h.quantile(percent as f64 / 100.0), expected);
    }

    #[test]
    fn quantiles_grow_with_q(h in arb_histogram(), a in 0.0_f64..=1.0, b in 0.0_f64..=1.0) {
        let (low, high) = if a <= b { (a, b) } else { (b, a) };
        prop_assert!(h.quantile(low) <= h.quantile(high));
        prop_assert_eq!(h.quantile(0.0), h.bins().next().map(|(hours, _)| hours));
        prop_assert_eq!(h.quantile(1.0), h.bins().last().map(|(hours, _)| hours));
    }

    #[test]
    fn merge_is_commutative_and_counts_add(a in arb_histogram(), b in arb_histogram(), c in arb_histogram()) {
        let mut ab = a.clone();
        ab.merge(&b);
        let mut ba = b.clone();
        ba.merge(&a);
        prop_assert_eq!(&ab, &ba);
        prop_assert_eq!(ab.count(), a.count() + b.count());
        // Associative too, and the empty histogram changes nothing.
        let mut ab_c = ab.clone();
        ab_c.merge(&c);
        let mut bc = b.clone();
        bc.merge(&c);
        let mut a_bc = a.clone();
        a_bc.merge(&bc);
        prop_assert_eq!(ab_c, a_bc);
        let mut same = a.clone();
        same.merge(&Histogram::new());
        prop_assert_eq!(same, a);
    }

    #[test]
    fn merging_equals_collecting_both_lists(a in arb_delays(), b in arb_delays()) {
        let mut merged: Histogram = a.iter().copied().collect();
        merged.merge(&b.iter().copied().collect());
        let both: Histogram = a.iter().chain(&b).copied().collect();
        prop_assert_eq!(merged, both);
    }

    #[test]
    fn encode_and_decode_round_trip(h in arb_histogram()) {
        let text = h.encode();
        prop_assert_eq!(Histogram::decode(&text), Some(h.clone()));
        let json = serde_json::to_string(&h).expect("serialise");
        prop_assert_eq!(serde_json::from_str::<Histogram>(&json).ok(), Some(h));
    }

    #[test]
    fn decode_accepts_only_canonical_texts(text in "[0-9:,+ a-]{0,24}") {
        if let Some(h) = Histogram::decode(&text) {
            prop_assert_eq!(h.encode(), text);
        }
    }

    #[test]
    fn decode_rejects_a_damaged_text(
        h in arb_histogram().prop_filter("not empty", |h| !h.is_empty()),
        at in any::<prop::sample::Index>(),
        damage in prop_oneof![
            prop::sample::select(vec![" ", "+", "-", "a", ";", "\u{e9}"]).prop_map(Some),
            Just(None),
        ],
    ) {
        let text = h.encode();
        let damaged = match damage {
            // A character encode never writes, anywhere.
            Some(extra) => {
                let i = at.index(text.len() + 1);
                format!("{}{extra}{}", &text[..i], &text[i..])
            }
            // A separator (':' or ',') removed.
            None => {
                let separators: Vec<usize> = text.match_indices([':', ',']).map(|(i, _)| i).collect();
                let i = separators[at.index(separators.len())];
                format!("{}{}", &text[..i], &text[i + 1..])
            }
        };
        prop_assert_eq!(Histogram::decode(&damaged), None, "{:?}", damaged);
    }

    #[test]
    fn decode_never_panics(text in "\\PC{0,40}") {
        if let Some(h) = Histogram::decode(&text) {
            prop_assert_eq!(h.encode(), text);
        }
    }
}
