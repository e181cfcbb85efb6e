//! One scenario in JSON, evaluated end to end: what `relais doctrine
//! evaluate` reads on stdin and prints.
//!
//! Input:
//! ```json
//! {"rule_set": "2021-01",
//!  "case": {"symptom_onset": "2020-11-10", "sample_date": "2020-11-12"},
//!  "contacts": [{"household": false, "exposures": ["face_to_face"],
//!                "protection": [], "last_contact": "2020-11-09"}]}
//! ```
//! `rule_set` is optional (default: the set selected by J0); the case may
//! also give `isolation_start`; a contact may also give `minor` and
//! `vaccination` (`unknown`, `not_vaccinated`, `fully_vaccinated`). Unknown
//! fields are refused, so that a typo never goes unnoticed.

use crate::doctrine::{Localized, RuleSets};
use crate::rules::{self, Classification, ContagiousWindow, Reason};
use crate::situation::{CaseSituation, ContactExposure, J0Basis};
use crate::validate::{check_case, check_contact, ScenarioError};
use serde::{Deserialize, Serialize};
use time::Date;

/// A case and its contacts, as read from JSON.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// The rule set to apply; by default the one selected by the case's J0.
    #[serde(default)]
    pub rule_set: Option<String>,
    pub case: CaseSituation,
    #[serde(default)]
    pub contacts: Vec<ContactExposure>,
}

#[derive(Serialize)]
struct Output<'a> {
    rule_set: RuleSetOutput<'a>,
    case: CaseOutput<'a>,
    contacts: Vec<ContactOutput>,
}

#[derive(Serialize)]
struct RuleSetOutput<'a> {
    id: &'a str,
    title: &'a Localized,
    effective: Date,
    /// `requested` or `j0`.
    selected_by: &'static str,
}

#[derive(Serialize)]
struct CaseOutput<'a> {
    j0: Date,
    j0_basis: J0Basis,
    window: ContagiousWindow,
    isolation_last_day: Date,
    isolation_extension_if_fever_days: u32,
    isolation_last_day_if_fever: Date,
    isolation_reason: Reason,
    rights: Vec<&'a str>,
}

#[derive(Serialize)]
struct ContactOutput {
    classification: Classification,
    reasons: Vec<Reason>,
    quarantine_last_day: Option<Date>,
    test_days: Vec<Date>,
    counted_last_contact: Option<Date>,
    if_symptoms: Option<rules::IfSymptoms>,
    quarantine_reasons: Vec<Reason>,
    rights: Vec<String>,
}

/// Parses a JSON scenario, checks its dates against `today`, applies the
/// rules and returns the result as JSON. Never panics; every refusal is a
/// [`ScenarioError`] with a clear English message.
pub fn evaluate_json(
    rule_sets: &RuleSets,
    input: &str,
    today: Date,
) -> Result<serde_json::Value, ScenarioError> {
    let scenario: Scenario =
        serde_json::from_str(input).map_err(|e| ScenarioError::Json(e.to_string()))?;
    evaluate(rule_sets, &scenario, today)
}

/// Like [`evaluate_json`], for a scenario already parsed.
pub fn evaluate(
    rule_sets: &RuleSets,
    scenario: &Scenario,
    today: Date,
) -> Result<serde_json::Value, ScenarioError> {
    let (rule_set, selected_by) = match &scenario.rule_set {
        Some(id) => match rule_sets.get(id) {
            Some(set) => (set, "requested"),
            None => {
                return Err(ScenarioError::UnknownRuleSet {
                    id: id.clone(),
                    known: rule_sets.iter().map(|s| s.id.clone()).collect(),
                })
            }
        },
        None => (rule_sets.select(scenario.case.j0()), "j0"),
    };
    let case = rules::assess_with(rule_set, &scenario.case);
    check_case(&scenario.case, &case.window, today)?;
    for (index, contact) in scenario.contacts.iter().enumerate() {
        check_contact(index, contact, &case.window, today)?;
    }

    let contacts = scenario
        .contacts
        .iter()
        .map(|contact| {
            let assessment = case.assess_contact(contact);
            let rights = case
                .contact_rights(&assessment)
                .map(|r| r.id.clone())
                .collect();
            let q = assessment.quarantine;
            ContactOutput {
                classification: assessment.classification,
                reasons: assessment.reasons,
                quarantine_last_day: q.as_ref().and_then(|q| q.last_day),
                counted_last_contact: q.as_ref().map(|q| q.counted_last_contact),
                if_symptoms: q.as_ref().map(|q| q.if_symptoms),
                test_days: q.as_ref().map(|q| q.test_days.clone()).unwrap_or_default(),
                quarantine_reasons: q.map(|q| q.reasons).unwrap_or_default(),
                rights,
            }
        })
        .collect();

    let output = Output {
        rule_set: RuleSetOutput {
            id: &rule_set.id,
            title: &rule_set.title,
            effective: rule_set.effective,
            selected_by,
        },
        case: CaseOutput {
            j0: case.j0,
            j0_basis: case.j0_basis,
            window: case.window,
            isolation_last_day: case.isolation.last_day,
            isolation_extension_if_fever_days: case.isolation.extension_if_fever_days,
            isolation_last_day_if_fever: case.isolation.last_day_if_fever,
            isolation_reason: case.isolation.reason.clone(),
            rights: case.case_rights().map(|r| r.id.as_str()).collect(),
        },
        contacts,
    };
    serde_json::to_value(output).map_err(|e| ScenarioError::Output(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde_json::json;

    fn d(s: &str) -> Date {
        crate::dates::parse_iso(s).expect("test date")
    }

    fn run(input: &str) -> Result<serde_json::Value, ScenarioError> {
        evaluate_json(&RuleSets::embedded(), input, d("2021-02-01"))
    }

    #[test]
    fn evaluates_the_issue_example() {
        let out = run(r#"{"case": {"symptom_onset": "2020-11-10", "sample_date": "2020-11-12"},
            "contacts": [
              {"household": false, "exposures": ["face_to_face"], "protection": [], "last_contact": "2020-11-09"},
              {"household": false, "exposures": ["face_to_face"], "protection": ["case_mask"], "last_contact": "2020-11-09"},
              {"household": true, "last_contact": "2020-11-12"},
              {"household": false, "exposures": ["closed_space_15min"], "last_contact": "2020-11-13"}
            ]}"#)
        .expect("valid scenario");
        assert_eq!(out["rule_set"]["id"], "2020-11-late-2020");
        assert_eq!(out["rule_set"]["selected_by"], "j0");
        assert_eq!(out["case"]["window"]["start"], "2020-11-08");
        assert_eq!(out["case"]["window"]["end"], "2020-11-12");
        assert_eq!(out["case"]["isolation_last_day"], "2020-11-17");
        assert_eq!(out["case"]["isolation_last_day_if_fever"], "2020-11-19");
        assert_eq!(
            out["case"]["rights"],
            json!(["sick_leave", "free_masks", "isolation_support"])
        );
        let c = &out["contacts"];
        assert_eq!(c[0]["classification"], "at_risk");
        assert_eq!(
            c[0]["reasons"][0],
            json!({"code": "exposure", "kind": "face_to_face"})
        );
        assert_eq!(
            c[0]["reasons"][1],
            json!({"code": "rule_set", "id": "2020-11-late-2020"})
        );
        assert_eq!(c[0]["quarantine_last_day"], "2020-11-16");
        assert_eq!(c[0]["test_days"], json!(["2020-11-16"]));
        assert_eq!(c[1]["classification"], "negligible");
        assert_eq!(c[1]["reasons"][0]["code"], "neutralised_by");
        assert_eq!(c[1]["quarantine_last_day"], json!(null));
        assert_eq!(c[1]["rights"], json!(["free_test"]));
        assert_eq!(c[2]["classification"], "at_risk");
        assert_eq!(c[2]["counted_last_contact"], "2020-11-17");
        assert_eq!(c[2]["quarantine_last_day"], "2020-11-24");
        assert_eq!(c[3]["classification"], "outside_window");
    }

    #[test]
    fn a_requested_rule_set_is_used_or_refused() {
        let input =
            r#"{"rule_set": "2021-01", "case": {"sample_date": "2020-11-12"}, "contacts": []}"#;
        let out = run(input).expect("valid");
        assert_eq!(out["rule_set"]["selected_by"], "requested");
        assert_eq!(out["case"]["isolation_last_day"], "2020-11-22");
        let err =
            run(r#"{"rule_set": "2019", "case": {"sample_date": "2020-11-12"}}"#).unwrap_err();
        assert_eq!(
            err.to_string(),
            "unknown rule set \"2019\" (known: 2020-11-late-2020, 2021-01)"
        );
    }

    #[test]
    fn bad_input_gives_clear_messages() {
        let err = run("{").unwrap_err();
        assert!(
            err.to_string().starts_with("invalid scenario: EOF"),
            "{err}"
        );
        let err = run(r#"{"case": {"sample_date": "2020-13-01"}}"#).unwrap_err();
        assert!(
            err.to_string()
                .contains("the 'month' component could not be parsed"),
            "{err}"
        );
        let err = run(r#"{"case": {"sample_date": "2020-11-12"},
            "contacts": [{"exposures": ["hug"], "last_contact": "2020-11-10"}]}"#)
        .unwrap_err();
        assert!(
            err.to_string()
                .contains("unknown exposure kind \"hug\" (expected one of: face_to_face"),
            "{err}"
        );
        let err =
            run(r#"{"case": {"sample_date": "2020-11-12", "onset": "2020-11-10"}}"#).unwrap_err();
        assert!(err.to_string().contains("unknown field `onset`"), "{err}");
        let err = run(r#"{"case": {"sample_date": "2020-11-12"},
            "contacts": [{"last_contact": "2020-10-01"}]}"#)
        .unwrap_err();
        assert!(
            matches!(err, ScenarioError::LastContactBeforeWindow { .. }),
            "{err}"
        );
        let err = run(r#"{"case": {"symptom_onset": "2020-05-01", "sample_date": "2020-11-12"}}"#)
            .unwrap_err();
        assert!(
            matches!(err, ScenarioError::OnsetTooFarFromSample { .. }),
            "{err}"
        );
        let err = run(r#"{"case": {"sample_date": "2022-11-12"}}"#).unwrap_err();
        assert!(matches!(err, ScenarioError::FutureDate { .. }), "{err}");
    }

    proptest! {
        #[test]
        fn evaluate_json_never_panics_on_any_text(input in ".{0,300}") {
            let _ = run(&input);
        }

        #[test]
        fn evaluate_json_never_panics_on_json_shaped_input(
            onset in proptest::option::of(-400i64..400),
            sample in -400i64..400,
            contacts in proptest::collection::vec((any::<bool>(), -400i64..400, 0usize..6), 0..5),
        ) {
            let base = d("2020-11-15");
            let day = |n: i64| crate::dates::add_days(base, n).to_string();
            let names = ["face_to_face", "cough_sneeze", "case_mask", "bogus", "care_or_hygiene", ""];
            let contacts: Vec<_> = contacts.iter().map(|(h, last, name)| json!({
                "household": h, "exposures": [names[*name]], "last_contact": day(*last),
            })).collect();
            let input = json!({
                "case": {"symptom_onset": onset.map(day), "sample_date": day(sample)},
                "contacts": contacts,
            });
            if let Ok(out) = run(&input.to_string()) {
                prop_assert!(out["contacts"].as_array().is_some());
            }
        }
    }
}
