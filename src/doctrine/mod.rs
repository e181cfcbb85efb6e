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
mod rule_set;
#[cfg(test)]
mod tests;

pub use error::{Problem, RuleSetError};
pub use rule_set::{
    Advice, Anchor, Audience, CaseProfile, CaseRules, Condition, ContactMeasures, ContactProfile,
    ContactRules, EarlyRelease, Fact, Localized, Right, RuleSet, TestKind, TestRule, WindowRules,
    DEFAULT_PLACES_DAYS, MAX_DAYS,
};

use time::Date;

/// The shipped rule sets: (file name, contents).
const EMBEDDED: [(&str, &str); 5] = [
    ("2020-09.toml", include_str!("../../doctrine/2020-09.toml")),
    ("2021-02.toml", include_str!("../../doctrine/2021-02.toml")),
    ("2021-07.toml", include_str!("../../doctrine/2021-07.toml")),
    ("2022-01.toml", include_str!("../../doctrine/2022-01.toml")),
    ("2022-03.toml", include_str!("../../doctrine/2022-03.toml")),
];

/// Every rule set known to this process, ordered by effective date.
/// Never empty: it starts from the embedded sets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleSets {
    sets: Vec<RuleSet>,
    on_newer: OnNewerRules,
}

/// What a follow-up in progress does when a newer rule set comes into
/// force: the operator's choice (`RELAIS_RULES_ON_CHANGE`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum OnNewerRules {
    /// Keep the set of the case's J0, as the published rules did: the
    /// contact's page says when a newer set would change the instructions.
    #[default]
    Keep,
    /// Apply the set in force today when it is newer than the J0's:
    /// instructions, dates and reminders follow it.
    Apply,
}

impl std::str::FromStr for OnNewerRules {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "keep" => Ok(OnNewerRules::Keep),
            "apply" => Ok(OnNewerRules::Apply),
            other => Err(format!("{other:?}: expected keep or apply")),
        }
    }
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
        let mut sets = RuleSets {
            sets,
            on_newer: OnNewerRules::default(),
        };
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
    pub fn select(&self, j0: Date) -> &RuleSet {
        let earliest = &self.sets[0];
        self.sets
            .iter()
            .rev()
            .find(|s| s.effective <= j0)
            .unwrap_or(earliest)
    }

    /// The same sets, with the operator's choice for follow-ups in
    /// progress when a newer set comes into force.
    pub fn with_on_newer(mut self, on_newer: OnNewerRules) -> RuleSets {
        self.on_newer = on_newer;
        self
    }

    /// The operator's choice for follow-ups when a newer set comes into force.
    pub fn on_newer(&self) -> OnNewerRules {
        self.on_newer
    }

    /// The set that applies on `today` to a case whose J0 is `j0`: the J0's
    /// ([`select`](Self::select)), or, when the operator chose
    /// [`OnNewerRules::Apply`], the set in force `today` if it is newer.
    pub fn select_on(&self, j0: Date, today: Date) -> &RuleSet {
        let of_j0 = self.select(j0);
        match self.on_newer {
            OnNewerRules::Keep => of_j0,
            OnNewerRules::Apply => {
                let current = self.select(today);
                if current.effective > of_j0.effective {
                    current
                } else {
                    of_j0
                }
            }
        }
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
