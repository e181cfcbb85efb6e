//! Why a result is what it is. Each reason is a structured value with a
//! stable machine name (`code`), which the app translates into French or
//! English from its catalogue, and which `relais doctrine evaluate` prints.

use super::window::ContagiousWindow;
use crate::situation::{ExposureKind, J0Basis, Protection};
use serde::{Deserialize, Serialize};
use time::Date;

/// One reason behind a classification or a computed date.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum Reason {
    /// The rule set that applied (always the last reason of a classification).
    RuleSet { id: String },
    /// The contact shares the case's home: at risk whatever else was said.
    Household,
    /// Masks or screens were declared by a household member; they do not
    /// count at home (see [`super::classify`]).
    ProtectionIgnoredAtHome,
    /// An exposure that makes the contact at risk.
    Exposure { kind: ExposureKind },
    /// An at-risk exposure made negligible by a protection in place.
    NeutralisedBy {
        kind: ExposureKind,
        protection: Protection,
    },
    /// None of the declared exposures counts as at risk in this rule set.
    NoAtRiskExposure,
    /// The last contact falls outside the case's contagious window.
    OutsideWindow { window: ContagiousWindow },
    /// The case isolates until J0 + `days` (J0 being onset or sample).
    IsolationFromJ0 { basis: J0Basis, days: u32 },
    /// The contact's quarantine lasts until the last contact + `days`.
    QuarantineAfterLastContact { days: u32 },
    /// A household member's last contact counts as the last day of the
    /// case's isolation: they cannot stop meeting the case before.
    HouseholdLastContactIsEndOfIsolation { case_isolation_last_day: Date },
    /// The rule set spares this contact the quarantine: tests only.
    NoQuarantine,
    /// The contact profile that applied (`vaccinated`, `child`...).
    ContactProfile { id: String },
    /// The quarantine ends only with the negative result of its last test;
    /// without it, it lasts until `without_test_last_day`.
    QuarantineEndsWithNegativeTest { without_test_last_day: Date },
    /// A tracer classified the contact otherwise than the rules did, after
    /// talking with the case (the first reason when present).
    TracerDecision {
        rules_said: super::classification::Classification,
    },
}

impl Reason {
    /// The machine name, as serialised in `code`: the catalogue's key.
    pub fn code(&self) -> &'static str {
        match self {
            Reason::RuleSet { .. } => "rule_set",
            Reason::Household => "household",
            Reason::ProtectionIgnoredAtHome => "protection_ignored_at_home",
            Reason::Exposure { .. } => "exposure",
            Reason::NeutralisedBy { .. } => "neutralised_by",
            Reason::NoAtRiskExposure => "no_at_risk_exposure",
            Reason::OutsideWindow { .. } => "outside_window",
            Reason::IsolationFromJ0 { .. } => "isolation_from_j0",
            Reason::QuarantineAfterLastContact { .. } => "quarantine_after_last_contact",
            Reason::HouseholdLastContactIsEndOfIsolation { .. } => {
                "household_last_contact_is_end_of_isolation"
            }
            Reason::NoQuarantine => "no_quarantine",
            Reason::ContactProfile { .. } => "contact_profile",
            Reason::QuarantineEndsWithNegativeTest { .. } => "quarantine_ends_with_negative_test",
            Reason::TracerDecision { .. } => "tracer_decision",
        }
    }

    /// Whether this reason is a criterion that makes a contact at risk.
    pub fn is_risk_criterion(&self) -> bool {
        matches!(self, Reason::Household | Reason::Exposure { .. })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_matches_the_serialised_tag() {
        let d = crate::dates::ymd(2020, 11, 17).expect("date");
        let window = ContagiousWindow {
            start: d,
            end: d,
            start_basis: J0Basis::Sample,
            days_before: 7,
            end_basis: super::super::WindowEnd::IsolationStart,
        };
        let all = [
            Reason::RuleSet { id: "x".into() },
            Reason::Household,
            Reason::ProtectionIgnoredAtHome,
            Reason::Exposure {
                kind: ExposureKind::FaceToFace,
            },
            Reason::NeutralisedBy {
                kind: ExposureKind::CoughSneeze,
                protection: Protection::CaseMask,
            },
            Reason::NoAtRiskExposure,
            Reason::OutsideWindow { window },
            Reason::IsolationFromJ0 {
                basis: J0Basis::SymptomOnset,
                days: 7,
            },
            Reason::QuarantineAfterLastContact { days: 7 },
            Reason::HouseholdLastContactIsEndOfIsolation {
                case_isolation_last_day: d,
            },
            Reason::NoQuarantine,
            Reason::ContactProfile {
                id: "vaccinated".into(),
            },
            Reason::QuarantineEndsWithNegativeTest {
                without_test_last_day: d,
            },
            Reason::TracerDecision {
                rules_said: super::super::classification::Classification::Negligible,
            },
        ];
        for reason in all {
            let json = serde_json::to_value(&reason).expect("serialises");
            assert_eq!(json["code"], reason.code(), "{json}");
            let back: Reason = serde_json::from_value(json).expect("deserialises");
            assert_eq!(back, reason);
        }
    }
}
