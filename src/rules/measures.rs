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

/// The tests asked of a contact, in order: the undated ones (anchored on a
/// day not known yet) first, by their day, then the others by date; with
/// the days of the dated ones, computed once when the plan is made (every
/// page reads them several times).
///
/// It reads as a slice of [`PlannedTest`] and serialises as a list of
/// them: the days are recomputed when it is read back, so they cannot
/// disagree with the tests.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(from = "Vec<PlannedTest>", into = "Vec<PlannedTest>")]
pub struct PlannedTests {
    tests: Vec<PlannedTest>,
    days: Vec<Date>,
}

impl PlannedTests {
    /// The days of the tests whose date is known, in order, each once.
    pub fn days(&self) -> &[Date] {
        &self.days
    }
}

impl From<Vec<PlannedTest>> for PlannedTests {
    fn from(mut tests: Vec<PlannedTest>) -> Self {
        tests.sort_by_key(|t| (t.date.is_some(), t.date, t.day));
        let mut days: Vec<Date> = tests.iter().filter_map(|t| t.date).collect();
        // Sorted already: the dated tests come last, by date.
        days.dedup();
        Self { tests, days }
    }
}

impl From<PlannedTests> for Vec<PlannedTest> {
    fn from(plan: PlannedTests) -> Self {
        plan.tests
    }
}

impl FromIterator<PlannedTest> for PlannedTests {
    fn from_iter<I: IntoIterator<Item = PlannedTest>>(iter: I) -> Self {
        Self::from(iter.into_iter().collect::<Vec<_>>())
    }
}

impl std::ops::Deref for PlannedTests {
    type Target = [PlannedTest];
    fn deref(&self) -> &[PlannedTest] {
        &self.tests
    }
}

impl<'a> IntoIterator for &'a PlannedTests {
    type Item = &'a PlannedTest;
    type IntoIter = std::slice::Iter<'a, PlannedTest>;
    fn into_iter(self) -> Self::IntoIter {
        self.tests.iter()
    }
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
    pub tests: PlannedTests,
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
    /// The dates of the tests whose date is known, in order, each once
    /// (computed with the plan). A day already past when the contact reads
    /// it means "as soon as possible".
    pub fn test_days(&self) -> &[Date] {
        self.tests.days()
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
    let tests: PlannedTests = measures
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::situation::VaccinationStatus;

    fn d(s: &str) -> Date {
        crate::dates::parse_iso(s).expect("test date")
    }

    fn planned(date: Option<&str>, day: u32) -> PlannedTest {
        PlannedTest {
            date: date.map(d),
            anchor: Anchor::Informed,
            day,
            kind: TestKind::SelfTest,
            ends_quarantine: false,
        }
    }

    /// January 2022, a vaccinated contact told three days after the last
    /// contact: three dated tests, whose days are made with the plan and
    /// lent, not rebuilt, at each reading.
    #[test]
    fn test_days_are_made_once_with_the_plan() {
        let set = crate::RuleSets::embedded()
            .get("2022-01")
            .expect("shipped set")
            .clone();
        let case = CaseSituation::new(Some(d("2022-01-10")), d("2022-01-11"));
        let mut contact = ContactExposure::met_on(d("2022-01-10"));
        contact.exposures.insert(crate::ExposureKind::FaceToFace);
        contact.informed_on = Some(d("2022-01-13"));
        contact.vaccination = VaccinationStatus::FullyVaccinated;
        contact.last_dose = Some(d("2021-12-01"));
        let q = contact_quarantine(&set, &case_isolation(&set, &case), &contact);
        assert_eq!(q.last_day, None, "vaccinated: no quarantine");
        assert_eq!(
            q.test_days(),
            [d("2022-01-13"), d("2022-01-15"), d("2022-01-17")]
        );
        assert!(std::ptr::eq(q.test_days(), q.test_days()));
        assert!(std::ptr::eq(q.test_days(), q.tests.days()));
    }

    /// However the tests come, the plan puts them in order (undated first,
    /// by their day), and their days in order, each once; read back from
    /// its list, it makes them again.
    #[test]
    fn a_plan_orders_its_tests_and_days() {
        let plan: PlannedTests = vec![
            planned(Some("2022-01-17"), 4),
            planned(Some("2022-01-13"), 0),
            planned(None, 2),
            planned(Some("2022-01-17"), 7),
            planned(None, 0),
        ]
        .into();
        let order: Vec<_> = plan.iter().map(|t| (t.date, t.day)).collect();
        assert_eq!(
            order,
            [
                (None, 0),
                (None, 2),
                (Some(d("2022-01-13")), 0),
                (Some(d("2022-01-17")), 4),
                (Some(d("2022-01-17")), 7),
            ]
        );
        assert_eq!(plan.days(), [d("2022-01-13"), d("2022-01-17")]);

        let json = serde_json::to_value(&plan).expect("serialise");
        assert!(json.is_array(), "a list of tests, as before: {json}");
        let mut list: Vec<PlannedTest> = plan.clone().into();
        list.reverse();
        let read: PlannedTests =
            serde_json::from_value(serde_json::to_value(&list).expect("serialise"))
                .expect("read back");
        assert_eq!(read, plan);
        assert_eq!(PlannedTests::default().days(), [] as [Date; 0]);
    }
}
