//! Clusters from backward tracing: a place or gathering declared by several
//! cases within a few days of each other — the same kind of place, in the
//! same town, under names that match once folded ("Le Café de la Gare",
//! "cafe de la gare", "CAFÉ DE LA GARE").
//!
//! ```
//! use relais::dates::ymd;
//! use relais::clusters::{find_clusters, PlaceVisit, MAX_GAP_DAYS, MIN_CASES};
//! let visit = |case_id, name: &str, day| PlaceVisit {
//!     case_id,
//!     kind: "restaurant".into(),
//!     name: name.into(),
//!     town: "Lyon".into(),
//!     visited_on: ymd(2026, 3, day).expect("a date"),
//! };
//! let visits = [
//!     visit(1, "Le Café de la Gare", 2),
//!     visit(2, "cafe de la gare", 4),
//!     visit(3, "Café de la gare", 20),
//! ];
//! let clusters = find_clusters(&visits, MAX_GAP_DAYS, MIN_CASES);
//! assert_eq!(clusters.len(), 1);
//! assert_eq!((clusters[0].cases, clusters[0].visits), (2, 2));
//! ```

use crate::desk::queue::fold_name;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use time::Date;

/// Default: visits at most this many days apart join one cluster.
pub const MAX_GAP_DAYS: i64 = 3;
/// Default: at least this many distinct cases make a cluster.
pub const MIN_CASES: usize = 2;

/// Words dropped at the start of a place's name or town ("Le Café" is
/// "café", "L'Étoile" is "étoile", "The Crown" is "crown").
const LEADING_ARTICLES: [&str; 5] = ["le", "la", "les", "l", "the"];

/// One place a case declared (not removed).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlaceVisit {
    /// The case that declared it.
    pub case_id: i64,
    /// The kind of place, its machine name (see `place_form::PlaceKind`).
    pub kind: String,
    /// The place's name as typed.
    pub name: String,
    /// The town as typed.
    pub town: String,
    /// The day of the visit.
    pub visited_on: Date,
}

/// Places declared by several cases within a few days of each other.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cluster {
    /// The kind of place.
    pub kind: String,
    /// The most frequent spelling as typed (trimmed); ties: the smallest.
    pub name: String,
    /// The most frequent spelling as typed (trimmed); ties: the smallest.
    pub town: String,
    /// The first day a case was there.
    pub first_day: Date,
    /// The last day a case was there.
    pub last_day: Date,
    /// Distinct case ids.
    pub cases: usize,
    /// Visits (a case that went twice counts twice).
    pub visits: usize,
}

/// The key names and towns are matched on: fold_name, then
/// apostrophes/hyphens as spaces, leading French/English articles dropped
/// ("le", "la", "les", "l", "the"; but never the last word, so that a
/// place called "Les" keeps a name), spaces collapsed. "Le Café de la
/// Gare" and "cafe de la gare" match; "L'Étoile" and "etoile" match.
/// Applying it twice changes nothing.
pub fn place_key(text: &str) -> String {
    let folded = fold_name(text).replace(['\'', '-'], " ");
    let all: Vec<&str> = folded.split_whitespace().collect();
    let mut words = all.as_slice();
    while let [first, rest @ ..] = words {
        if rest.is_empty() || !LEADING_ARTICLES.contains(first) {
            break;
        }
        words = rest;
    }
    words.join(" ")
}

/// Groups visits by (kind, place_key(town), place_key(name)); in each
/// group, sorted by day, consecutive visits at most `max_gap_days` apart
/// chain into one cluster (single linkage); keeps clusters with at least
/// `min_cases` distinct cases; visits with an empty name key are ignored.
/// Sorted by cases (desc), then last_day (desc), then name (then town,
/// kind and first day, so that the order never depends on the input's).
pub fn find_clusters(visits: &[PlaceVisit], max_gap_days: i64, min_cases: usize) -> Vec<Cluster> {
    let mut groups: BTreeMap<(&str, String, String), Vec<&PlaceVisit>> = BTreeMap::new();
    for visit in visits {
        let name = place_key(&visit.name);
        if !name.is_empty() {
            let key = (visit.kind.trim(), place_key(&visit.town), name);
            groups.entry(key).or_default().push(visit);
        }
    }
    let mut clusters = Vec::new();
    for ((kind, _, _), mut group) in groups {
        group.sort_by_key(|visit| visit.visited_on);
        let mut start = 0;
        for end in 1..=group.len() {
            let split = group.get(end).is_none_or(|next| {
                (next.visited_on - group[end - 1].visited_on).whole_days() > max_gap_days
            });
            if split {
                clusters.extend(cluster(kind, &group[start..end], min_cases));
                start = end;
            }
        }
    }
    clusters.sort_by(listing_order);
    clusters
}

/// The listing's order: most cases first, then the latest, then by name,
/// town, kind and first day (so that equal clusters always list alike).
pub(crate) fn listing_order(a: &Cluster, b: &Cluster) -> std::cmp::Ordering {
    (b.cases, b.last_day)
        .cmp(&(a.cases, a.last_day))
        .then_with(|| {
            (&a.name, &a.town, &a.kind, a.first_day).cmp(&(&b.name, &b.town, &b.kind, b.first_day))
        })
}

/// The cluster of a chain of visits (sorted by day, not empty), if enough
/// cases made it.
fn cluster(kind: &str, chain: &[&PlaceVisit], min_cases: usize) -> Option<Cluster> {
    let cases = chain
        .iter()
        .map(|v| v.case_id)
        .collect::<BTreeSet<_>>()
        .len();
    let (first, last) = (chain.first()?, chain.last()?);
    (cases >= min_cases).then(|| Cluster {
        kind: kind.to_owned(),
        name: most_frequent(chain.iter().map(|v| v.name.trim())),
        town: most_frequent(chain.iter().map(|v| v.town.trim())),
        first_day: first.visited_on,
        last_day: last.visited_on,
        cases,
        visits: chain.len(),
    })
}

/// The most frequent text; ties: the smallest. Empty for no text.
fn most_frequent<'a>(texts: impl Iterator<Item = &'a str>) -> String {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for text in texts {
        *counts.entry(text).or_insert(0) += 1;
    }
    // The greatest count; between equal counts, the smallest text.
    counts
        .into_iter()
        .max_by(|(a, m), (b, n)| m.cmp(n).then_with(|| b.cmp(a)))
        .map(|(text, _)| text.to_owned())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests;
