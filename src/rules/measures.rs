//! The measures with dates: the case's isolation and a contact's quarantine
//! and tests. Every "last day" is inclusive.

use super::Reason;
use crate::dates::add_days;
use crate::doctrine::RuleSet;
use crate::names::named_enum;
use crate::situation::{CaseSituation, ContactExposure, VaccinationStatus};
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
    /// The last day of isolation: J0 + the rule set's isolation days.
    pub last_day: Date,
    /// Days to add when fever persists on the last day.
    pub extension_if_fever_days: u32,
    /// The last day when fever persists.
    pub last_day_if_fever: Date,
    /// Why: J0's basis and the number of days.
    pub reason: Reason,
}

/// The case's isolation under `rule_set`.
pub fn case_isolation(rule_set: &RuleSet, case: &CaseSituation) -> CaseIsolation {
    let days = rule_set.case.isolation_days;
    let extension = rule_set.case.fever_extension_days;
    let last_day = add_days(case.j0(), i64::from(days));
    CaseIsolation {
        last_day,
        extension_if_fever_days: extension,
        last_day_if_fever: add_days(last_day, i64::from(extension)),
        reason: Reason::IsolationFromJ0 {
            basis: case.j0_basis(),
            days,
        },
    }
}

/// An at-risk contact's quarantine and tests.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ContactQuarantine {
    /// The last contact the dates count from: the declared one or, for a
    /// household member, the last day of the case's isolation.
    pub counted_last_contact: Date,
    /// The last day of quarantine; `None` when the rule set exempts this
    /// contact (fully vaccinated), who still gets the tests.
    pub last_day: Option<Date>,
    /// The days to get tested, in order. A day already past when the contact
    /// reads it means "as soon as possible".
    pub test_days: Vec<Date>,
    /// What to do if symptoms appear.
    pub if_symptoms: IfSymptoms,
    /// Why: the duration, the household rule, a vaccination exemption.
    pub reasons: Vec<Reason>,
}

/// The quarantine and tests of a contact at risk (the caller has classified
/// the contact; [`super::CaseAssessment::assess_contact`] does both).
///
/// A household member cannot stop meeting the case, so their last contact
/// counts as the last day of the case's isolation. Their day-0 test (the
/// "test at once" of January 2021), though, is at once: it counts from the
/// declared last contact, not from the end of the case's isolation.
pub fn contact_quarantine(
    rule_set: &RuleSet,
    isolation: &CaseIsolation,
    contact: &ContactExposure,
) -> ContactQuarantine {
    let rules = &rule_set.contact;
    let mut reasons = vec![Reason::QuarantineAfterLastContact {
        days: rules.quarantine_days,
    }];
    let counted = if contact.household {
        reasons.push(Reason::HouseholdLastContactIsEndOfIsolation {
            case_isolation_last_day: isolation.last_day,
        });
        isolation.last_day
    } else {
        contact.last_contact
    };
    let exempt = rules.fully_vaccinated_skip_quarantine
        && contact.vaccination == VaccinationStatus::FullyVaccinated;
    if exempt {
        reasons.push(Reason::FullyVaccinatedNoQuarantine);
    }
    let mut test_days: Vec<Date> = rules
        .test_days
        .iter()
        .map(|&day| match day {
            0 => contact.last_contact.min(counted),
            d => add_days(counted, i64::from(d)),
        })
        .collect();
    test_days.sort_unstable();
    test_days.dedup();
    ContactQuarantine {
        counted_last_contact: counted,
        last_day: (!exempt).then(|| add_days(counted, i64::from(rules.quarantine_days))),
        test_days,
        if_symptoms: IfSymptoms::IsolateAndTestAtOnce,
        reasons,
    }
}
