//! One rule set's contents: the durations, the contact criteria and the
//! rights, with the texts in every language. The parser fills them; the
//! rules engine and the pages read them.

use crate::names::named_enum;
use crate::situation::{ExposureKind, Protection};
use crate::Lang;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use time::Date;

/// The longest duration, in days, any field of a rule set may hold. No
/// doctrine ever asked for more; a larger number is a typo.
pub const MAX_DAYS: u32 = 60;

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

/// One version of the doctrine. Only
/// [`RuleSets::parse_file`](super::RuleSets::parse_file) builds one from
/// text, and it validates every field; a `RuleSet` received as JSON (e.g.
/// an island's props) comes from the server, which validated it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuleSet {
    /// A stable machine name, e.g. `2021-01`: lowercase letters, digits, `-`.
    pub id: String,
    pub title: Localized,
    /// The first J0 this set applies to.
    pub effective: Date,
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
