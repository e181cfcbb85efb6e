//! Rule sets ("doctrine") as data: durations, test days, exposure criteria
//! and rights, each set with an effective date, selected by the case's J0.
//!
//! The shipped sets live in `doctrine/*.toml` at the root of the repository
//! and are embedded in the binary. An operator adds or replaces a set without
//! a rebuild: the server reads its `RELAIS_DOCTRINE_DIR` and hands the files'
//! names and contents to [`RuleSets::with_files`] — the core itself never
//! touches the file system.

mod error;
mod parse;
#[cfg(test)]
mod tests;

pub use error::{Problem, RuleSetError};

use crate::names::named_enum;
use crate::situation::{ExposureKind, Protection};
use crate::Lang;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

/// The longest duration, in days, any field of a rule set may hold. No
/// doctrine ever asked for more; a larger number is a typo.
pub const MAX_DAYS: u32 = 60;

/// The shipped rule sets: (file name, contents).
const EMBEDDED: [(&str, &str); 2] = [
    (
        "2020-11-late-2020.toml",
        include_str!("../../doctrine/2020-11-late-2020.toml"),
    ),
    ("2021-01.toml", include_str!("../../doctrine/2021-01.toml")),
];

/// A text in every language the service speaks.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Localized {
    pub fr: String,
    pub en: String,
}

impl Localized {
    /// The text in `lang`.
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::Fr => &self.fr,
            Lang::En => &self.en,
        }
    }
}

named_enum! {
    /// Who a right is shown to.
    pub enum Audience: "audience" {
        /// The index case (P0).
        Case = "case",
        /// A contact at risk.
        AtRiskContact = "at_risk_contact",
        /// A contact at negligible risk (or met outside the contagious window).
        NegligibleContact = "negligible_contact",
    }
}

/// A right, with how to use it (sick leave, free masks, free test...).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Right {
    /// A stable machine name, e.g. `sick_leave`.
    pub id: String,
    pub title: Localized,
    /// How to use it, in a sentence or two.
    pub how_to: Localized,
    /// Who it applies to.
    pub applies_to: BTreeSet<Audience>,
}

/// When the case was contagious, in days around J0.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WindowRules {
    /// The window opens this many days before symptom onset.
    pub days_before_onset: u32,
    /// Without symptoms, the window opens this many days before the sample.
    pub days_before_sample: u32,
    /// Backward tracing: the case lists the places and gatherings of this
    /// many days before J0 (optional in a file; [`DEFAULT_PLACES_DAYS`]).
    #[serde(default = "default_places_days")]
    pub places_days_before_j0: u32,
}

/// Places and gatherings asked for, in days before J0, when a rule set
/// does not say.
pub const DEFAULT_PLACES_DAYS: u32 = 7;

fn default_places_days() -> u32 {
    DEFAULT_PLACES_DAYS
}

/// The case's isolation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseRules {
    /// Isolation lasts until J0 + this many days, inclusive.
    pub isolation_days: u32,
    /// Days added if fever persists at the end of isolation.
    pub fever_extension_days: u32,
}

/// Who is a contact at risk, and the contact's quarantine.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactRules {
    /// Quarantine lasts until the last contact + this many days, inclusive.
    pub quarantine_days: u32,
    /// Test days, in days after the last contact, sorted, without repeats,
    /// none after the quarantine's end. Day 0 means "at once".
    pub test_days: Vec<u32>,
    /// Fully vaccinated contacts have tests but no quarantine.
    pub fully_vaccinated_skip_quarantine: bool,
    /// The exposures that make a (non-household) contact at risk.
    pub at_risk_exposures: BTreeSet<ExposureKind>,
    /// The protections that, when in place, make those exposures negligible.
    pub neutralising_protections: BTreeSet<Protection>,
}

/// One version of the doctrine. Only [`RuleSets::parse_file`] builds one
/// from text, and it validates every field; a `RuleSet` received as JSON
/// (e.g. an island's props) comes from the server, which validated it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuleSet {
    /// A stable machine name, e.g. `2021-01`: lowercase letters, digits, `-`.
    pub id: String,
    pub title: Localized,
    /// The first J0 this set applies to.
    pub effective: NaiveDate,
    pub window: WindowRules,
    pub case: CaseRules,
    pub contact: ContactRules,
    pub rights: Vec<Right>,
    /// The file it came from.
    pub file: String,
    /// Whether it is one of the sets shipped in the binary.
    pub embedded: bool,
}

impl RuleSet {
    /// The rights shown to `audience`, in the file's order.
    pub fn rights_for(&self, audience: Audience) -> impl Iterator<Item = &Right> + '_ {
        self.rights
            .iter()
            .filter(move |r| r.applies_to.contains(&audience))
    }
}

/// Every rule set known to this process, ordered by effective date.
/// Never empty: it starts from the embedded sets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleSets {
    sets: Vec<RuleSet>,
}

impl RuleSets {
    /// The rule sets shipped in the binary.
    pub fn embedded() -> RuleSets {
        let sets = EMBEDDED
            .iter()
            .map(|(name, text)| {
                let mut set = RuleSets::parse_file(name, text)
                    // The embedded files are part of the source; a test parses them.
                    .unwrap_or_else(|e| panic!("embedded rule set is invalid: {e}"));
                set.embedded = true;
                set
            })
            .collect();
        let mut sets = RuleSets { sets };
        sets.sort();
        sets
    }

    /// The embedded sets plus an operator's files, given as
    /// `(file name, contents)` pairs. A file whose id is that of an embedded
    /// set replaces it; two given files with the same id, or two sets taking
    /// effect the same day, are refused.
    ///
    /// `relais doctrine check FILE` is `RuleSets::with_files([(name, text)])`:
    /// the file alone, and together with the shipped sets.
    pub fn with_files<I, N, T>(files: I) -> Result<RuleSets, RuleSetError>
    where
        I: IntoIterator<Item = (N, T)>,
        N: AsRef<str>,
        T: AsRef<str>,
    {
        let mut all = RuleSets::embedded();
        let mut given: Vec<RuleSet> = Vec::new();
        for (name, text) in files {
            let set = RuleSets::parse_file(name.as_ref(), text.as_ref())?;
            if let Some(other) = given.iter().find(|g| g.id == set.id) {
                return Err(set.error(
                    "id",
                    Problem::DuplicateId {
                        id: set.id.clone(),
                        other_file: other.file.clone(),
                    },
                ));
            }
            given.push(set);
        }
        for set in given {
            all.sets.retain(|s| s.id != set.id);
            all.sets.push(set);
        }
        all.sort();
        for pair in all.sets.windows(2) {
            if let [a, b] = pair {
                if a.effective == b.effective {
                    // Blame the operator's file, not the shipped one.
                    let (blamed, other) = if b.embedded { (a, b) } else { (b, a) };
                    return Err(blamed.error(
                        "effective",
                        Problem::DuplicateEffectiveDate {
                            date: other.effective,
                            other_id: other.id.clone(),
                            other_file: other.file.clone(),
                        },
                    ));
                }
            }
        }
        Ok(all)
    }

    /// Reads one rule-set file, checking every field (see the files in
    /// `doctrine/` for the format).
    pub fn parse_file(file_name: &str, text: &str) -> Result<RuleSet, RuleSetError> {
        parse::parse_rule_set(file_name, text)
    }

    /// The set for a case whose J0 is `j0`: the latest taking effect on or
    /// before J0, or the earliest if J0 precedes them all.
    pub fn select(&self, j0: NaiveDate) -> &RuleSet {
        let earliest = &self.sets[0];
        self.sets
            .iter()
            .rev()
            .find(|s| s.effective <= j0)
            .unwrap_or(earliest)
    }

    /// The set with this id.
    pub fn get(&self, id: &str) -> Option<&RuleSet> {
        self.sets.iter().find(|s| s.id == id)
    }

    /// Every set, by effective date.
    pub fn iter(&self) -> impl Iterator<Item = &RuleSet> + '_ {
        self.sets.iter()
    }

    fn sort(&mut self) {
        self.sets
            .sort_by(|a, b| (a.effective, &a.id).cmp(&(b.effective, &b.id)));
    }
}

impl RuleSet {
    fn error(&self, field: &str, problem: Problem) -> RuleSetError {
        RuleSetError {
            file: self.file.clone(),
            field: Some(field.to_owned()),
            problem,
        }
    }
}

impl<'a> IntoIterator for &'a RuleSets {
    type Item = &'a RuleSet;
    type IntoIter = std::slice::Iter<'a, RuleSet>;
    fn into_iter(self) -> Self::IntoIter {
        self.sets.iter()
    }
}
