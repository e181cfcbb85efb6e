//! One rule set's contents: the durations, the contact criteria and the
//! rights, with the texts in every language. The parser fills them; the
//! rules engine and the pages read them.

use crate::names::named_enum;
use crate::situation::{AgeBand, ExposureKind, Protection};
use crate::Lang;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use time::Date;

/// The longest duration, in days, any field of a rule set may hold. No
/// doctrine ever asked for more; a larger number is a typo.
pub const MAX_DAYS: u32 = 60;

/// A text in the languages the service speaks: French and English always
/// (the staff console reads them), the citizens' other languages when the
/// rule set has them.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Localized {
    pub fr: String,
    pub en: String,
    /// The other languages' texts, by language.
    #[serde(flatten, default, skip_serializing_if = "BTreeMap::is_empty")]
    pub more: BTreeMap<Lang, String>,
}

impl Localized {
    /// The text in `lang`; French, the reference, when the set lacks it.
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::Fr => &self.fr,
            Lang::En => &self.en,
            other => self.more.get(&other).map_or(&self.fr, String::as_str),
        }
    }

    /// Whether the set has this text in `lang` itself.
    pub fn has(&self, lang: Lang) -> bool {
        matches!(lang, Lang::Fr | Lang::En) || self.more.contains_key(&lang)
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
        /// A contact at risk whom the rule set spares the quarantine
        /// (vaccinated, a child...): tests, no quarantine.
        ContactNoQuarantine = "contact_no_quarantine",
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

/// The case's isolation: the default, then profiles for some cases.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseRules {
    /// Isolation lasts until J0 + this many days, inclusive.
    pub isolation_days: u32,
    /// Days added if fever persists at the end of isolation.
    pub fever_extension_days: u32,
    /// Ending isolation early with a negative test, if the set allows it.
    #[serde(default)]
    pub early_release: Option<EarlyRelease>,
    /// Cases isolating otherwise (vaccinated, children): the first whose
    /// condition holds applies; none: the fields above.
    #[serde(default)]
    pub profiles: Vec<CaseProfile>,
}

/// A case's isolation for the cases a condition selects.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseProfile {
    /// A machine name, e.g. `vaccinated`.
    pub id: String,
    pub when: Condition,
    pub isolation_days: u32,
    #[serde(default)]
    pub early_release: Option<EarlyRelease>,
}

/// Ending isolation early: on day `day` after J0 (or later, before the
/// full end), with a negative antigen or PCR test that day and no symptoms
/// for `symptom_free_hours` hours.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct EarlyRelease {
    pub day: u32,
    pub symptom_free_hours: u32,
}

/// Which people a profile is for. Every given criterion must hold; an
/// empty condition is refused by the parser (it would hide the default).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Condition {
    /// The person's vaccination counts (schedule complete long enough,
    /// not severely immunocompromised), or does not.
    #[serde(default)]
    pub vaccinated: Option<bool>,
    /// The person's age band is one of these.
    #[serde(default)]
    pub age_band: Option<BTreeSet<AgeBand>>,
}

impl Condition {
    /// Whether a person with these facts meets the condition.
    pub fn holds(&self, vaccinated: bool, age_band: AgeBand) -> bool {
        self.vaccinated.is_none_or(|v| v == vaccinated)
            && self.age_band.as_ref().is_none_or(|b| b.contains(&age_band))
    }

    /// Whether no criterion is given.
    pub fn is_empty(&self) -> bool {
        self.vaccinated.is_none() && self.age_band.is_none()
    }
}

named_enum! {
    /// A fact about a person that some rule sets use and others do not:
    /// a form asks for it only under a set that uses it.
    pub enum Fact: "fact" {
        /// The contact's vaccination (with the date of the last dose, a
        /// single-dose vaccine, severe immunodepression).
        ContactVaccination = "contact_vaccination",
        /// The contact's age band.
        ContactAgeBand = "contact_age_band",
        /// The case's vaccination.
        CaseVaccination = "case_vaccination",
        /// The case's age band.
        CaseAgeBand = "case_age_band",
        /// The case's test to end isolation early.
        CaseReleaseTest = "case_release_test",
        /// The day the contact is informed (tests anchored on it).
        InformedOn = "informed_on",
    }
}

named_enum! {
    /// What a test's day counts from.
    pub enum Anchor: "test anchor" {
        /// The last contact counted (for a household member, the last day
        /// of the case's isolation).
        LastContact = "last_contact",
        /// The day the contact is told they are a contact ("at once" is
        /// day 0).
        Informed = "informed",
    }
}

named_enum! {
    /// The kind of test asked for.
    pub enum TestKind: "test kind" {
        /// An antigen or PCR test, at a laboratory, a pharmacy or a
        /// testing centre.
        Lab = "lab",
        /// A self-test.
        SelfTest = "self_test",
        /// Any: antigen, PCR or self-test.
        Any = "any",
    }
}

named_enum! {
    /// Advice for a contact, beyond the quarantine and the tests; the app
    /// words each from its catalogue.
    pub enum Advice: "advice" {
        /// Wear a mask in public places.
        MaskInPublic = "mask_in_public",
        /// See fewer people, avoid vulnerable people.
        FewerContacts = "fewer_contacts",
        /// Wear a mask indoors for 7 days.
        MaskIndoors7Days = "mask_indoors_7_days",
    }
}

/// A test a contact is asked to take.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct TestRule {
    pub anchor: Anchor,
    /// Days after the anchor (0: that day).
    pub day: u32,
    pub kind: TestKind,
    /// The negative result of this test ends the quarantine (it falls on
    /// the quarantine's last day).
    #[serde(default)]
    pub ends_quarantine: bool,
    /// Asked of household members only.
    #[serde(default)]
    pub household_only: bool,
}

/// What a contact at risk does: quarantine or not, tests, advice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactMeasures {
    /// Quarantine until the counted last contact + this many days,
    /// inclusive; `None`: no quarantine.
    pub quarantine_days: Option<u32>,
    /// The tests, in the file's order.
    pub tests: Vec<TestRule>,
    /// Without the negative result of the test that ends it, the quarantine
    /// lasts this many more days (0: the rule says nothing).
    #[serde(default)]
    pub extension_without_test_days: u32,
    #[serde(default)]
    pub advice: BTreeSet<Advice>,
    /// The parents sign a sworn statement that a child's self-tests were
    /// done.
    #[serde(default)]
    pub sworn_statement: bool,
}

/// Contact measures for the contacts a condition selects.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactProfile {
    /// A machine name, e.g. `vaccinated` or `child`.
    pub id: String,
    pub when: Condition,
    pub measures: ContactMeasures,
}

/// Who is a contact at risk, and what a contact at risk does.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactRules {
    /// The measures of a contact no profile selects.
    pub measures: ContactMeasures,
    /// Contacts treated otherwise (vaccinated, children): the first whose
    /// condition holds applies.
    #[serde(default)]
    pub profiles: Vec<ContactProfile>,
    /// The exposures that make a (non-household) contact at risk.
    pub at_risk_exposures: BTreeSet<ExposureKind>,
    /// The protections that, when in place, make those exposures negligible.
    pub neutralising_protections: BTreeSet<Protection>,
}

/// The first of `profiles` whose condition holds for a person with these
/// facts.
fn first_holding<P>(
    profiles: &[P],
    when: impl Fn(&P) -> &Condition,
    vaccinated: bool,
    age_band: AgeBand,
) -> Option<&P> {
    profiles
        .iter()
        .find(|p| when(p).holds(vaccinated, age_band))
}

impl ContactRules {
    /// The profile for a contact with these facts (`None`: the default
    /// measures) and its measures.
    pub fn measures_for(
        &self,
        vaccinated: bool,
        age_band: AgeBand,
    ) -> (Option<&ContactProfile>, &ContactMeasures) {
        match first_holding(&self.profiles, |p| &p.when, vaccinated, age_band) {
            Some(p) => (Some(p), &p.measures),
            None => (None, &self.measures),
        }
    }
}

impl CaseRules {
    /// The profile for a case with these facts (`None`: the default),
    /// its isolation days and early release.
    pub fn isolation_for(
        &self,
        vaccinated: bool,
        age_band: AgeBand,
    ) -> (Option<&CaseProfile>, u32, Option<EarlyRelease>) {
        match first_holding(&self.profiles, |p| &p.when, vaccinated, age_band) {
            Some(p) => (Some(p), p.isolation_days, p.early_release),
            None => (None, self.isolation_days, self.early_release),
        }
    }
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
    /// Whether this set uses `fact`: a form asks for it only then, and the
    /// set's results never depend on a fact it does not use.
    pub fn uses(&self, fact: Fact) -> bool {
        let contact_conditions = || self.contact.profiles.iter().map(|p| &p.when);
        let case_conditions = || self.case.profiles.iter().map(|p| &p.when);
        match fact {
            Fact::ContactVaccination => contact_conditions().any(|c| c.vaccinated.is_some()),
            Fact::ContactAgeBand => contact_conditions().any(|c| c.age_band.is_some()),
            Fact::CaseVaccination => case_conditions().any(|c| c.vaccinated.is_some()),
            Fact::CaseAgeBand => case_conditions().any(|c| c.age_band.is_some()),
            Fact::CaseReleaseTest => {
                self.case.early_release.is_some()
                    || self.case.profiles.iter().any(|p| p.early_release.is_some())
            }
            Fact::InformedOn => std::iter::once(&self.contact.measures)
                .chain(self.contact.profiles.iter().map(|p| &p.measures))
                .any(|m| m.tests.iter().any(|t| t.anchor == Anchor::Informed)),
        }
    }

    /// Every fact this set uses.
    pub fn facts_used(&self) -> impl Iterator<Item = Fact> + '_ {
        Fact::ALL.iter().copied().filter(|f| self.uses(*f))
    }

    /// The rights shown to `audience`, in the file's order.
    pub fn rights_for(&self, audience: Audience) -> impl Iterator<Item = &Right> + '_ {
        self.rights
            .iter()
            .filter(move |r| r.applies_to.contains(&audience))
    }
}
