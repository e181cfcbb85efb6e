//! The rules applied to one case and its contacts: the contagious window,
//! each contact's classification, the case's isolation, the contact's
//! quarantine and tests, and the rights — every result with its reasons.
//!
//! Pure functions of a [`RuleSet`] and the declared facts. Dates are whole
//! days; every "until" is the last day, inclusive. Validation of the facts
//! (dates in the future, onset months away from the sample...) is in
//! [`crate::validate`]; these functions accept any dates and never panic.
//!
//! ```
//! use relais::{rules, CaseSituation, ContactExposure, ExposureKind, RuleSets};
//! let d = |s: &str| relais::dates::parse_iso(s).unwrap();
//! let sets = RuleSets::embedded();
//! let case = CaseSituation::new(Some(d("2020-11-10")), d("2020-11-11"));
//! let assessment = rules::assess(&sets, &case);
//! assert_eq!(assessment.isolation.last_day, d("2020-11-17"));
//! let mut contact = ContactExposure::met_on(d("2020-11-09"));
//! contact.exposures.insert(ExposureKind::FaceToFace);
//! let result = assessment.assess_contact(&contact);
//! assert!(result.classification.is_at_risk());
//! assert_eq!(result.quarantine.unwrap().last_day, Some(d("2020-11-16")));
//! ```

mod classification;
mod measures;
mod reason;
mod window;

#[cfg(test)]
mod examples;
#[cfg(test)]
pub(crate) mod properties;

pub use classification::Classification;
pub use measures::{
    case_isolation, contact_quarantine, CaseIsolation, ContactQuarantine, EarlyReleaseOffer,
    IfSymptoms, PlannedTest, PlannedTests, ReleaseDecision,
};
pub use reason::Reason;
pub use window::{ContagiousWindow, WindowEnd};

use crate::dates::add_days;
use crate::doctrine::{Audience, Right, RuleSet, RuleSets};
use crate::situation::{CaseSituation, ContactExposure, ExposureKind, J0Basis, Protection};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use time::Date;

/// The case's contagious window. It ends the day isolation began: a meeting
/// that day may have happened before isolating, so it counts. When the case
/// has not said when isolation began, the window ends on the later of J0 and
/// the sample date — the latest day a case is expected to isolate, so the
/// window errs towards tracing more contacts, not fewer.
pub fn contagious_window(rule_set: &RuleSet, case: &CaseSituation) -> ContagiousWindow {
    let basis = case.j0_basis();
    let days_before = match basis {
        J0Basis::SymptomOnset => rule_set.window.days_before_onset,
        J0Basis::Sample => rule_set.window.days_before_sample,
    };
    let start = add_days(case.j0(), -i64::from(days_before));
    let (end, end_basis) = match case.isolation_start {
        Some(day) => (day, WindowEnd::IsolationStart),
        None => (
            case.j0().max(case.sample_date),
            WindowEnd::LaterOfJ0AndSample,
        ),
    };
    ContagiousWindow {
        start,
        end: end.max(start),
        start_basis: basis,
        days_before,
        end_basis,
    }
}

/// Classifies a contact, with the reasons (the rule set's id last).
///
/// - Last contact before the window opened: outside the window, whoever it is.
/// - A household member is at risk whatever the protection declared: one
///   cannot protect oneself within the home (meals, shared rooms, nights),
///   and a household member keeps meeting the case after the window closes,
///   so a last contact after the window's end still counts.
/// - Anyone else met after the window closed is outside the window.
/// - Otherwise at risk when an exposure the rule set counts was declared and
///   no protection the rule set accepts was in place; negligible if not.
///   One accepted protection is enough (a surgical mask worn by the case
///   *or* the contact, or a screen), as in Santé publique France's definition.
pub fn classify(
    rule_set: &RuleSet,
    window: &ContagiousWindow,
    contact: &ContactExposure,
) -> (Classification, Vec<Reason>) {
    let (classification, mut reasons) = classify_by(&rule_set.contact.criteria(), window, contact);
    reasons.push(Reason::RuleSet {
        id: rule_set.id.clone(),
    });
    (classification, reasons)
}

/// What classifying a contact needs of a rule set: which exposures count
/// and which protections neutralise them. The browser carries only this.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RiskCriteria<'r> {
    pub at_risk_exposures: &'r BTreeSet<ExposureKind>,
    pub neutralising_protections: &'r BTreeSet<Protection>,
}

/// [`classify`] under explicit criteria, without the rule set's reason.
pub fn classify_by(
    criteria: &RiskCriteria<'_>,
    window: &ContagiousWindow,
    contact: &ContactExposure,
) -> (Classification, Vec<Reason>) {
    let mut reasons = Vec::new();
    let classification = if contact.last_contact < window.start
        || (!contact.household && contact.last_contact > window.end)
    {
        reasons.push(Reason::OutsideWindow { window: *window });
        Classification::OutsideWindow
    } else if contact.household {
        reasons.push(Reason::Household);
        if !contact.protection.is_empty() {
            reasons.push(Reason::ProtectionIgnoredAtHome);
        }
        Classification::AtRisk
    } else {
        let counted = contact
            .exposures
            .iter()
            .filter(|k| criteria.at_risk_exposures.contains(k));
        let neutraliser = contact
            .protection
            .iter()
            .find(|p| criteria.neutralising_protections.contains(p));
        match neutraliser {
            Some(&protection) => {
                reasons.extend(counted.map(|&kind| Reason::NeutralisedBy { kind, protection }))
            }
            None => reasons.extend(counted.map(|&kind| Reason::Exposure { kind })),
        }
        if reasons.is_empty() {
            reasons.push(Reason::NoAtRiskExposure);
        }
        if reasons.iter().any(Reason::is_risk_criterion) {
            Classification::AtRisk
        } else {
            Classification::Negligible
        }
    };
    (classification, reasons)
}

/// The assessment of one contact.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactAssessment {
    pub classification: Classification,
    /// Why: the criteria matched or neutralised, then the rule set.
    pub reasons: Vec<Reason>,
    /// Quarantine and tests, for a contact at risk only.
    pub quarantine: Option<ContactQuarantine>,
}

impl ContactAssessment {
    /// Who the contact is, for the rights shown: a contact at risk whom
    /// the rule set spares the quarantine has the rights of
    /// [`Audience::ContactNoQuarantine`].
    pub fn audience(&self) -> Audience {
        match &self.quarantine {
            Some(q) if q.last_day.is_none() => Audience::ContactNoQuarantine,
            _ => self.classification.audience(),
        }
    }
}

/// A case assessed under one rule set; assess its contacts with
/// [`CaseAssessment::assess_contact`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseAssessment<'r> {
    rule_set: &'r RuleSet,
    /// J0: the day of onset or, without symptoms, of the sample.
    pub j0: Date,
    pub j0_basis: J0Basis,
    pub window: ContagiousWindow,
    pub isolation: CaseIsolation,
}

/// Assesses a case under the rule set selected by its J0.
pub fn assess<'r>(rule_sets: &'r RuleSets, case: &CaseSituation) -> CaseAssessment<'r> {
    assess_with(rule_sets.select(case.j0()), case)
}

/// Assesses a case on `today`: under the set of its J0, or under a newer
/// set in force `today` when the operator chose to apply newer sets to
/// follow-ups in progress ([`RuleSets::select_on`]).
pub fn assess_on<'r>(
    rule_sets: &'r RuleSets,
    case: &CaseSituation,
    today: Date,
) -> CaseAssessment<'r> {
    assess_with(rule_sets.select_on(case.j0(), today), case)
}

/// Assesses a case under a given rule set.
pub fn assess_with<'r>(rule_set: &'r RuleSet, case: &CaseSituation) -> CaseAssessment<'r> {
    CaseAssessment {
        rule_set,
        j0: case.j0(),
        j0_basis: case.j0_basis(),
        window: contagious_window(rule_set, case),
        isolation: case_isolation(rule_set, case),
    }
}

impl<'r> CaseAssessment<'r> {
    /// The rule set applied.
    pub fn rule_set(&self) -> &'r RuleSet {
        self.rule_set
    }

    /// Classifies a contact and, if at risk, computes their quarantine.
    pub fn assess_contact(&self, contact: &ContactExposure) -> ContactAssessment {
        let (classification, reasons) = classify(self.rule_set, &self.window, contact);
        let quarantine = classification
            .is_at_risk()
            .then(|| contact_quarantine(self.rule_set, &self.isolation, contact));
        ContactAssessment {
            classification,
            reasons,
            quarantine,
        }
    }

    /// The contact's assessment when a tracer decided the classification
    /// (`None`: the rules' stands). A different decision comes first among
    /// the reasons, and brings or removes the quarantine and tests with it.
    pub fn assess_contact_decided(
        &self,
        contact: &ContactExposure,
        decided: Option<Classification>,
    ) -> ContactAssessment {
        let mut assessment = self.assess_contact(contact);
        if let Some(decided) = decided.filter(|d| *d != assessment.classification) {
            assessment.reasons.insert(
                0,
                Reason::TracerDecision {
                    rules_said: assessment.classification,
                },
            );
            assessment.classification = decided;
            assessment.quarantine = decided
                .is_at_risk()
                .then(|| contact_quarantine(self.rule_set, &self.isolation, contact));
        }
        assessment
    }

    /// The rights of the case.
    pub fn case_rights(&self) -> impl Iterator<Item = &'r Right> + 'r {
        self.rule_set.rights_for(Audience::Case)
    }

    /// The rights of an assessed contact.
    pub fn contact_rights(
        &self,
        contact: &ContactAssessment,
    ) -> impl Iterator<Item = &'r Right> + 'r {
        self.rule_set.rights_for(contact.audience())
    }
}

/// The rule set in force on `today`, when it is not the one the case's J0
/// selected and would tell `contact` something else (another
/// classification, quarantine or tests). A contact keeps the set of the
/// case's J0, as the published rules did, and the contact's page says that a
/// newer set differs; when the operator applies newer sets
/// ([`OnNewerRules::Apply`](crate::doctrine::OnNewerRules)), the contact
/// already follows it and there is nothing to say.
pub fn newer_set_would_change<'r>(
    rule_sets: &'r RuleSets,
    case: &CaseSituation,
    contact: &ContactExposure,
    today: Date,
) -> Option<&'r RuleSet> {
    let of_j0 = rule_sets.select_on(case.j0(), today);
    let current = rule_sets.select(today);
    if current.id == of_j0.id || current.effective < of_j0.effective {
        return None;
    }
    let measures = |set: &RuleSet| {
        let a = assess_with(set, case).assess_contact(contact);
        (
            a.classification,
            a.quarantine.map(|q| {
                let tests: Vec<_> = q.tests.iter().map(|t| (t.date, t.kind)).collect();
                (q.last_day, tests)
            }),
        )
    };
    (measures(of_j0) != measures(current)).then_some(current)
}

impl crate::doctrine::ContactRules {
    /// What classification needs of these rules.
    pub fn criteria(&self) -> RiskCriteria<'_> {
        RiskCriteria {
            at_risk_exposures: &self.at_risk_exposures,
            neutralising_protections: &self.neutralising_protections,
        }
    }
}
