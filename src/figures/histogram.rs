//! Delays as histograms of whole hours: days merge by adding counts, and a
//! median over a period is the exact median of every delay in it (a median
//! of daily medians would not be).

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Delays in whole hours, as counts per hour (a histogram), so that days
/// merge and medians over a period stay exact to the hour.
///
/// Serialised (serde) as its [`Histogram::encode`] text, the same as the
/// database column, so that a histogram read from anywhere is well formed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(into = "String", try_from = "String")]
pub struct Histogram {
    /// Observations per hour; never a zero count, so that equal
    /// histograms compare equal.
    counts: BTreeMap<u32, u64>,
}

/// The text of a histogram column or field was not what
/// [`Histogram::encode`] writes.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("malformed delay histogram (expected \"hours:count\" pairs, e.g. \"0:3,26:1\")")]
pub struct MalformedHistogram;

impl Histogram {
    /// A histogram without observations.
    pub fn new() -> Self {
        Self::default()
    }

    /// Records one delay of `hours`.
    pub fn add(&mut self, hours: u32) {
        self.add_many(hours, 1);
    }

    /// Records `count` delays of `hours` each (nothing when `count` is 0).
    /// Counts saturate at `u64::MAX` instead of overflowing.
    pub fn add_many(&mut self, hours: u32, count: u64) {
        if count > 0 {
            let slot = self.counts.entry(hours).or_insert(0);
            *slot = slot.saturating_add(count);
        }
    }

    /// Adds every observation of `other` to this one.
    pub fn merge(&mut self, other: &Histogram) {
        for (&hours, &count) in &other.counts {
            self.add_many(hours, count);
        }
    }

    /// The number of observations.
    pub fn count(&self) -> u64 {
        self.counts
            .values()
            .fold(0_u64, |sum, &count| sum.saturating_add(count))
    }

    /// Whether there is no observation.
    pub fn is_empty(&self) -> bool {
        self.counts.is_empty()
    }

    /// Each observed delay in hours with its count, in increasing hours.
    pub fn bins(&self) -> impl Iterator<Item = (u32, u64)> + '_ {
        self.counts.iter().map(|(&hours, &count)| (hours, count))
    }

    /// Nearest-rank quantile (q in 0..=1, e.g. 0.5, 0.9): the smallest value
    /// v such that at least ceil(q*n) observations are <= v (q=0 → smallest).
    /// None when empty. A `q` outside 0..=1 is clamped; `None` for NaN.
    pub fn quantile(&self, q: f64) -> Option<u32> {
        if q.is_nan() {
            return None;
        }
        let n = self.count();
        if n == 0 {
            return None;
        }
        let rank = nearest_rank(q.clamp(0.0, 1.0), n);
        let mut seen = 0_u64;
        for (&hours, &count) in &self.counts {
            seen = seen.saturating_add(count);
            if seen >= rank {
                return Some(hours);
            }
        }
        self.counts.keys().next_back().copied()
    }

    /// The median delay: [`Histogram::quantile`] at 0.5 (of an even number
    /// of delays, the lower middle one: a whole hour that was observed).
    pub fn median(&self) -> Option<u32> {
        self.quantile(0.5)
    }

    /// The 90th percentile: [`Histogram::quantile`] at 0.9.
    pub fn p90(&self) -> Option<u32> {
        self.quantile(0.9)
    }

    /// Compact text for one database column: "hours:count" pairs joined by
    /// ',' in increasing hours, e.g. "0:3,26:1"; "" when empty.
    pub fn encode(&self) -> String {
        let pairs: Vec<String> = self
            .counts
            .iter()
            .map(|(hours, count)| format!("{hours}:{count}"))
            .collect();
        pairs.join(",")
    }

    /// The inverse of encode; None on malformed text. Only what
    /// [`Histogram::encode`] writes is accepted (no spaces, signs, leading
    /// zeros, zero counts, repeated or unordered hours), so that
    /// `decode(text)` is `Some(h)` exactly when `h.encode() == text`.
    pub fn decode(text: &str) -> Option<Histogram> {
        let mut histogram = Histogram::new();
        if text.is_empty() {
            return Some(histogram);
        }
        for pair in text.split(',') {
            let (hours, count) = pair.split_once(':')?;
            histogram.add_many(digits(hours)?, digits(count)?);
        }
        (histogram.encode() == text).then_some(histogram)
    }
}

/// ceil(q·n) for q in 0..=1, at least 1. A value within a few ulps of a
/// whole number counts as that number: 0.9 is not exactly 9/10 in binary,
/// and 0.9 × 10 must give the rank 9, not 10.
fn nearest_rank(q: f64, n: u64) -> u64 {
    let exact = q * n as f64;
    let rank = (exact * (1.0 - 4.0 * f64::EPSILON)).ceil() as u64;
    rank.clamp(1, n)
}

/// A number written with ASCII digits only (`str::parse` alone would
/// also take a leading `+`).
fn digits<T: std::str::FromStr>(text: &str) -> Option<T> {
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

impl From<Histogram> for String {
    fn from(histogram: Histogram) -> String {
        histogram.encode()
    }
}

impl TryFrom<String> for Histogram {
    type Error = MalformedHistogram;

    fn try_from(text: String) -> Result<Histogram, MalformedHistogram> {
        Histogram::decode(&text).ok_or(MalformedHistogram)
    }
}

impl FromIterator<u32> for Histogram {
    /// One observation per item.
    fn from_iter<I: IntoIterator<Item = u32>>(delays: I) -> Histogram {
        let mut histogram = Histogram::new();
        for hours in delays {
            histogram.add(hours);
        }
        histogram
    }
}

#[cfg(test)]
mod tests;
