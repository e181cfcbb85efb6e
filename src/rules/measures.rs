//! The measures with dates: the case's isolation and a contact's quarantine
//! and tests. Every "last day" is inclusive.

use super::Reason;
use crate::dates::add_days;
use crate::doctrine::{Advice, Anchor, Fact, RuleSet, TestKind};
use crate::names::named_enum;
use crate::situation::{AgeBand, CaseSituation, ContactExposure, ReleaseTest, TestResult};
use serde::{Deserialize, Serialize};
use time::Date;

named_enum! {
    /// What a contact does if symptoms appear during the quarantine.
    pub enum IfSymptoms: "advice" {
        /// Isolate at once, get tested at once, and call a doctor: the
        /// contact becomes a possible case, with their own J0.
        IsolateAndTestAtOnce = "isolate_and_test_at_once",
    }
}

/// The case's isolation.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct CaseIsolation {
    /// The last day of the full isolation: J0 + the rule set's isolation
    /// days (of the case's profile). A household member's last contact
    /// counts as this day.
    pub last_day: Date,
    /// Days to add when fever persists on the last day.
    pub extension_if_fever_days: u32,
    /// The last day when fever persists.
    pub last_day_if_fever: Date,
    /// The case profile that applied (`vaccinated`, `child`...), if any.
    pub profile: Option<String>,
    /// Ending isolation early, when the rule set allows it.
    pub early_release: Option<EarlyReleaseOffer>,
    /// Why: J0's basis and the number of days.
    pub reason: Reason,
}

impl CaseIsolation {
    /// The isolation's actual last day: the day of the negative test that
    /// released the case early, or [`CaseIsolation::last_day`].
    pub fn ends_on(&self) -> Date {
        match self.early_release.as_ref().map(|e| e.decision) {
            Some(Some(ReleaseDecision::Released { on })) => on,
            _ => self.last_day,
        }
    }
}

/// Ending isolation early: from which day, and what the case's test says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct EarlyReleaseOffer {
    /// The first day a negative test may end the isolation (J0 + the
    /// set's day).
    pub from: Date,
    /// Hours without symptoms it asks for.
    pub symptom_free_hours: u32,
    /// What the recorded test decided; `None` before any test is recorded.
    pub decision: Option<ReleaseDecision>,
}

/// What a test recorded to end isolation early decides.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum ReleaseDecision {
    /// A negative test on or after the release day, without symptoms: the
    /// isolation ends that day.
    Released { on: Date },
    /// The test was sampled before the release day: it does not count.
    TooEarly { from: Date },
    /// Positive: the full isolation stays.
    Positive,
    /// The result is not known yet.
    Pending,
    /// Symptoms in the last 48 hours: the full isolation stays.
    Symptoms,
    /// Sampled after the isolation's last day: it was over already.
    AfterEnd,
}

impl ReleaseDecision {
    /// The machine name, as serialised in `code`: the catalogue's key.
    pub fn code(&self) -> &'static str {
        match self {
            ReleaseDecision::Released { .. } => "released",
            ReleaseDecision::TooEarly { .. } => "too_early",
            ReleaseDecision::Positive => "positive",
            ReleaseDecision::Pending => "pending",
            ReleaseDecision::Symptoms => "symptoms",
            ReleaseDecision::AfterEnd => "after_end",
        }
    }
}

/// The case's isolation under `rule_set`: the case's profile (vaccinated,
/// child) picks the length and the early release; a recorded test decides
/// the release.
pub fn case_isolation(rule_set: &RuleSet, case: &CaseSituation) -> CaseIsolation {
    let rules = &rule_set.case;
    // A fact the set does not use never reaches the decision.
    let vaccinated = rule_set.uses(Fact::CaseVaccination) && case.vaccinated();
    let age_band = if rule_set.uses(Fact::CaseAgeBand) {
        case.age_band
    } else {
        AgeBand::Adult
    };
    let (profile, days, release) = rules.isolation_for(vaccinated, age_band);
    let extension = rules.fever_extension_days;
    let last_day = add_days(case.j0(), i64::from(days));
    let early_release = release.map(|r| {
        let from = add_days(case.j0(), i64::from(r.day));
        EarlyReleaseOffer {
            from,
            symptom_free_hours: r.symptom_free_hours,
            decision: case
                .release_test
                .map(|t| release_decision(&t, from, last_day)),
        }
    });
    CaseIsolation {
        last_day,
        extension_if_fever_days: extension,
        last_day_if_fever: add_days(last_day, i64::from(extension)),
        profile: profile.map(|p| p.id.clone()),
        early_release,
        reason: Reason::IsolationFromJ0 {
            basis: case.j0_basis(),
            days,
        },
    }
}

fn release_decision(test: &ReleaseTest, from: Date, last_day: Date) -> ReleaseDecision {
    if test.sampled_on < from {
        ReleaseDecision::TooEarly { from }
    } else if test.sampled_on > last_day {
        ReleaseDecision::AfterEnd
    } else {
        match test.result {
            TestResult::Positive => ReleaseDecision::Positive,
            TestResult::Pending => ReleaseDecision::Pending,
            TestResult::Negative if !test.symptom_free_48h => ReleaseDecision::Symptoms,
            TestResult::Negative => ReleaseDecision::Released {
                on: test.sampled_on,
            },
        }
    }
}

/// A test asked of a contact, with its date when it can be known.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct PlannedTest {
    /// The day to get tested; `None` for a test anchored on the day the
    /// contact is informed, before they are: "on the day they are told"
    /// (plus `day`).
    pub date: Option<Date>,
    pub anchor: Anchor,
    /// Days after the anchor.
    pub day: u32,
    pub kind: TestKind,
    /// Its negative result ends the quarantine.
    pub ends_quarantine: bool,
}

/// An at-risk contact's quarantine and tests.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ContactQuarantine {
    /// The last contact the dates count from: the declared one or, for a
    /// household member, the last day of the case's isolation.
    pub counted_last_contact: Date,
    /// The last day of quarantine; `None` when the rule set spares this
    /// contact the quarantine (vaccinated, a child...): tests only.
    pub last_day: Option<Date>,
    /// The last day of quarantine without the negative result of the test
    /// that ends it, when the rule set extends it (February 2021: 7 more
    /// days).
    pub last_day_without_test: Option<Date>,
    /// The tests, by date (undated ones, anchored on a day not known yet,
    /// first, by their day).
    pub tests: Vec<PlannedTest>,
    /// The contact profile that applied (`vaccinated`, `child`...), if any.
    pub profile: Option<String>,
    /// Advice beyond the quarantine (masks, fewer contacts).
    pub advice: Vec<Advice>,
    /// The parents sign a sworn statement that the child's self-tests were
    /// done.
    pub sworn_statement: bool,
    /// What to do if symptoms appear.
    pub if_symptoms: IfSymptoms,
    /// Why: the duration, the household rule, the profile.
    pub reasons: Vec<Reason>,
}

impl ContactQuarantine {
    /// The dates of the tests whose date is known, in order. A day already
    /// past when the contact reads it means "as soon as possible".
    pub fn test_days(&self) -> Vec<Date> {
        let mut days: Vec<Date> = self.tests.iter().filter_map(|t| t.date).collect();
        days.sort_unstable();
        days.dedup();
        days
    }

    /// The day of the test whose negative result ends the quarantine: the
    /// one the rule set marks so, or else the last dated test.
    pub fn deciding_test_day(&self) -> Option<Date> {
        self.tests
            .iter()
            .find(|t| t.ends_quarantine)
            .and_then(|t| t.date)
            .or_else(|| self.test_days().last().copied())
    }
}

/// The quarantine and tests of a contact at risk (the caller has classified
/// the contact; [`super::CaseAssessment::assess_contact`] does both).
///
/// A household member cannot stop meeting the case, so their last contact
/// counts as the last day of the case's (full) isolation. Tests count from
/// that counted last contact, or from the day the contact is informed;
/// before that day is known, the latter have no date.
pub fn contact_quarantine(
    rule_set: &RuleSet,
    isolation: &CaseIsolation,
    contact: &ContactExposure,
) -> ContactQuarantine {
    let rules = &rule_set.contact;
    // A fact the set does not use never reaches the decision.
    let vaccinated = rule_set.uses(Fact::ContactVaccination) && contact.vaccinated();
    let age_band = if rule_set.uses(Fact::ContactAgeBand) {
        contact.age_band
    } else {
        AgeBand::Adult
    };
    let (profile, measures) = rules.measures_for(vaccinated, age_band);
    let mut reasons = Vec::new();
    if let Some(p) = profile {
        reasons.push(Reason::ContactProfile { id: p.id.clone() });
    }
    match measures.quarantine_days {
        Some(days) => reasons.push(Reason::QuarantineAfterLastContact { days }),
        None => reasons.push(Reason::NoQuarantine),
    }
    let counted = if contact.household {
        reasons.push(Reason::HouseholdLastContactIsEndOfIsolation {
            case_isolation_last_day: isolation.last_day,
        });
        isolation.last_day
    } else {
        contact.last_contact
    };
    let last_day = measures
        .quarantine_days
        .map(|days| add_days(counted, i64::from(days)));
    let last_day_without_test = last_day
        .filter(|_| measures.extension_without_test_days > 0)
        .map(|day| add_days(day, i64::from(measures.extension_without_test_days)));
    if let Some(extended) = last_day_without_test {
        reasons.push(Reason::QuarantineEndsWithNegativeTest {
            without_test_last_day: extended,
        });
    }
    let mut tests: Vec<PlannedTest> = measures
        .tests
        .iter()
        .filter(|t| contact.household || !t.household_only)
        .map(|t| PlannedTest {
            date: match t.anchor {
                Anchor::LastContact => Some(add_days(counted, i64::from(t.day))),
                Anchor::Informed => contact
                    .informed_on
                    .map(|informed| add_days(informed, i64::from(t.day))),
            },
            anchor: t.anchor,
            day: t.day,
            kind: t.kind,
            ends_quarantine: t.ends_quarantine,
        })
        .collect();
    tests.sort_by_key(|t| (t.date.is_some(), t.date, t.day));
    ContactQuarantine {
        counted_last_contact: counted,
        last_day,
        last_day_without_test,
        tests,
        profile: profile.map(|p| p.id.clone()),
        advice: measures.advice.iter().copied().collect(),
        sworn_statement: measures.sworn_statement,
        if_symptoms: IfSymptoms::IsolateAndTestAtOnce,
        reasons,
    }
}
