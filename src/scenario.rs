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
//! `rule_set` is optional (default: the set selected by J0). The case may
//! also give `isolation_start`, its own `vaccination` and `last_dose`, its
//! `age_band` (`adult`, `12_17`, `under_12`) and a `release_test`
//! (`{"sampled_on": …, "result": "negative", "symptom_free_48h": true}`).
//! A contact may also give `minor`, `vaccination` (`unknown`,
//! `not_vaccinated`, `fully_vaccinated`) with `last_dose`, `single_dose`,
//! `immunocompromised`, `age_band` and `informed_on` (the day told; without
//! it, tests anchored on it have no date: "on the day they are told").
//! Unknown fields are refused, so that a typo never goes unnoticed.
//!
//! Each test is printed with its date (or `null`), `when` in words, its
//! kind, its anchor and whether it ends the quarantine.

use crate::doctrine::{Advice, Anchor, Fact, Localized, RuleSets, TestKind};
use crate::rules::{
    self, Classification, ContagiousWindow, EarlyReleaseOffer, PlannedTest, Reason,
};
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
    /// The facts this set's rules depend on.
    facts_used: Vec<Fact>,
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
    isolation_profile: Option<String>,
    /// The actual last day: the early release's, or the full one.
    isolation_ends_on: Date,
    early_release: Option<EarlyReleaseOffer>,
    rights: Vec<&'a str>,
}

#[derive(Serialize)]
struct TestOutput {
    date: Option<Date>,
    /// The date, or "on the day told" (+ N days) before it is known.
    when: String,
    kind: TestKind,
    anchor: Anchor,
    day: u32,
    ends_quarantine: bool,
}

impl From<&PlannedTest> for TestOutput {
    fn from(t: &PlannedTest) -> Self {
        let when = match (t.date, t.day) {
            (Some(date), _) => crate::dates::iso(date),
            (None, 0) => "on the day told".to_owned(),
            (None, n) => format!("{n} days after the day told"),
        };
        TestOutput {
            date: t.date,
            when,
            kind: t.kind,
            anchor: t.anchor,
            day: t.day,
            ends_quarantine: t.ends_quarantine,
        }
    }
}

#[derive(Serialize)]
struct ContactOutput {
    classification: Classification,
    reasons: Vec<Reason>,
    quarantine_last_day: Option<Date>,
    quarantine_last_day_without_test: Option<Date>,
    profile: Option<String>,
    tests: Vec<TestOutput>,
    test_days: Vec<Date>,
    advice: Vec<Advice>,
    sworn_statement: bool,
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
                quarantine_last_day_without_test: q.as_ref().and_then(|q| q.last_day_without_test),
                profile: q.as_ref().and_then(|q| q.profile.clone()),
                tests: q
                    .as_ref()
                    .map(|q| q.tests.iter().map(TestOutput::from).collect())
                    .unwrap_or_default(),
                advice: q.as_ref().map(|q| q.advice.clone()).unwrap_or_default(),
                sworn_statement: q.as_ref().is_some_and(|q| q.sworn_statement),
                counted_last_contact: q.as_ref().map(|q| q.counted_last_contact),
                if_symptoms: q.as_ref().map(|q| q.if_symptoms),
                test_days: q
                    .as_ref()
                    .map(|q| q.test_days().to_vec())
                    .unwrap_or_default(),
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
            facts_used: rule_set.facts_used().collect(),
        },
        case: CaseOutput {
            j0: case.j0,
            j0_basis: case.j0_basis,
            window: case.window,
            isolation_last_day: case.isolation.last_day,
            isolation_extension_if_fever_days: case.isolation.extension_if_fever_days,
            isolation_last_day_if_fever: case.isolation.last_day_if_fever,
            isolation_reason: case.isolation.reason.clone(),
            isolation_profile: case.isolation.profile.clone(),
            isolation_ends_on: case.isolation.ends_on(),
            early_release: case.isolation.early_release,
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
        assert_eq!(out["rule_set"]["id"], "2020-09");
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
            json!({"code": "rule_set", "id": "2020-09"})
        );
        assert_eq!(c[0]["quarantine_last_day"], "2020-11-16");
        assert_eq!(c[0]["test_days"], json!(["2020-11-16"]));
        assert_eq!(
            c[0]["tests"],
            json!([{"date": "2020-11-16", "when": "2020-11-16", "kind": "lab",
                    "anchor": "last_contact", "day": 7, "ends_quarantine": true}])
        );
        assert_eq!(c[1]["classification"], "negligible");
        assert_eq!(c[1]["reasons"][0]["code"], "neutralised_by");
        assert_eq!(c[1]["quarantine_last_day"], json!(null));
        assert_eq!(c[1]["rights"], json!(["free_test"]));
        assert_eq!(c[2]["classification"], "at_risk");
        assert_eq!(c[2]["counted_last_contact"], "2020-11-17");
        assert_eq!(c[2]["quarantine_last_day"], "2020-11-24");
        // A household member is also tested at once: "on the day told".
        assert_eq!(c[2]["tests"][0]["date"], json!(null));
        assert_eq!(c[2]["tests"][0]["when"], "on the day told");
        assert_eq!(c[3]["classification"], "outside_window");
    }

    #[test]
    fn a_requested_rule_set_is_used_or_refused() {
        let input =
            r#"{"rule_set": "2021-02", "case": {"sample_date": "2020-11-12"}, "contacts": []}"#;
        let out = run(input).expect("valid");
        assert_eq!(out["rule_set"]["selected_by"], "requested");
        assert_eq!(out["case"]["isolation_last_day"], "2020-11-22");
        let err =
            run(r#"{"rule_set": "2019", "case": {"sample_date": "2020-11-12"}}"#).unwrap_err();
        assert_eq!(
            err.to_string(),
            "unknown rule set \"2019\" (known: 2020-09, 2021-02, 2021-07, 2022-01, 2022-03)"
        );
    }

    fn run_at(input: &str, today: &str) -> serde_json::Value {
        evaluate_json(&RuleSets::embedded(), input, d(today)).expect("valid scenario")
    }

    #[test]
    fn the_new_facts_are_read_and_each_test_printed() {
        // January 2022: a vaccinated case released on day 5; a vaccinated
        // adult, a child and an unvaccinated adult, all told on 12 Jan.
        let out = run_at(
            r#"{"case": {"symptom_onset": "2022-01-10", "sample_date": "2022-01-11",
                 "vaccination": "fully_vaccinated", "last_dose": "2021-12-01",
                 "release_test": {"sampled_on": "2022-01-15", "result": "negative", "symptom_free_48h": true}},
                "contacts": [
                  {"exposures": ["face_to_face"], "last_contact": "2022-01-10", "informed_on": "2022-01-12",
                   "vaccination": "fully_vaccinated", "last_dose": "2021-12-01"},
                  {"exposures": ["face_to_face"], "last_contact": "2022-01-10", "informed_on": "2022-01-12",
                   "age_band": "under_12"},
                  {"exposures": ["face_to_face"], "last_contact": "2022-01-10",
                   "vaccination": "fully_vaccinated", "last_dose": "2021-12-01", "immunocompromised": true}
                ]}"#,
            "2022-02-01",
        );
        assert_eq!(out["rule_set"]["id"], "2022-01");
        assert_eq!(out["rule_set"]["facts_used"][0], "contact_vaccination");
        assert_eq!(out["case"]["isolation_last_day"], "2022-01-17");
        assert_eq!(out["case"]["isolation_ends_on"], "2022-01-15");
        assert_eq!(out["case"]["isolation_profile"], "vaccinated");
        assert_eq!(out["case"]["early_release"]["from"], "2022-01-15");
        assert_eq!(
            out["case"]["early_release"]["decision"],
            json!({"code": "released", "on": "2022-01-15"})
        );
        let c = &out["contacts"];
        assert_eq!(c[0]["profile"], "vaccinated");
        assert_eq!(c[0]["quarantine_last_day"], json!(null));
        let tests: Vec<_> = c[0]["tests"]
            .as_array()
            .expect("tests")
            .iter()
            .map(|t| {
                format!(
                    "{} {} {}",
                    t["when"].as_str().unwrap_or(""),
                    t["kind"].as_str().unwrap_or(""),
                    t["anchor"].as_str().unwrap_or("")
                )
            })
            .collect();
        assert_eq!(
            tests,
            [
                "2022-01-12 lab informed",
                "2022-01-14 self_test informed",
                "2022-01-16 self_test informed"
            ]
        );
        assert_eq!(c[0]["rights"], json!(["free_masks", "free_test"]));
        assert_eq!(c[1]["profile"], "child");
        assert_eq!(c[1]["sworn_statement"], true);
        assert_eq!(c[2]["profile"], json!(null));
        assert_eq!(c[2]["quarantine_last_day"], "2022-01-17");
        // A vaccination that does not count yet, and the 2021-02 extension.
        let out = run_at(
            r#"{"case": {"symptom_onset": "2021-03-01", "sample_date": "2021-03-02"},
                "contacts": [{"exposures": ["face_to_face"], "last_contact": "2021-03-01"}]}"#,
            "2021-04-01",
        );
        let c = &out["contacts"][0];
        assert_eq!(c["quarantine_last_day_without_test"], "2021-03-15");
        assert_eq!(c["tests"][0]["when"], "on the day told");
        assert_eq!(c["tests"][1]["when"], "2021-03-08");
        // Future dates in the new fields are refused, naming the field.
        let err = evaluate_json(
            &RuleSets::embedded(),
            r#"{"case": {"sample_date": "2022-01-11"},
                "contacts": [{"last_contact": "2022-01-10", "informed_on": "2022-03-01"}]}"#,
            d("2022-02-01"),
        )
        .unwrap_err();
        assert_eq!(err.field(), Some("contacts[0].informed_on"));
        let err = evaluate_json(
            &RuleSets::embedded(),
            r#"{"case": {"sample_date": "2022-01-11", "vaccination": "maybe"}}"#,
            d("2022-02-01"),
        )
        .unwrap_err();
        assert!(
            err.to_string()
                .contains("unknown vaccination status \"maybe\""),
            "{err}"
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
