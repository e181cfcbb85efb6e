//! The rule sets: the shipped files, selection by J0, operator files
//! adding and replacing sets, and every refusal of a bad file naming its
//! field; then properties (no text makes the parser panic).

use super::*;
use crate::situation::{ExposureKind, Protection};
use crate::Lang;
use proptest::prelude::*;

const LATE_2020: &str = include_str!("../../doctrine/2020-11-late-2020.toml");

fn d(s: &str) -> Date {
    crate::dates::parse_iso(s).expect("test date")
}

/// The late-2020 file with one exact line replaced (the line must exist).
fn with(from: &str, to: &str) -> String {
    assert!(LATE_2020.contains(from), "test fixture lacks {from:?}");
    LATE_2020.replacen(from, to, 1)
}

/// A valid operator file: the late-2020 set under another id and date.
fn operator_file(id: &str, effective: &str) -> String {
    with("id = \"2020-11-late-2020\"", &format!("id = \"{id}\"")).replacen(
        "effective = 2020-05-11",
        &format!("effective = {effective}"),
        1,
    )
}

/// Parses `text` as `file.toml`, expecting a refusal of `field`; returns
/// the problem and checks the message names the file and the field.
fn refused(text: &str, field: &str) -> Problem {
    let err = RuleSets::parse_file("file.toml", text).expect_err("must be refused");
    assert_eq!(err.file, "file.toml");
    assert_eq!(err.field.as_deref(), Some(field), "{err}");
    let message = err.to_string();
    assert!(
        message.starts_with(&format!("file.toml: {field}: ")),
        "{message}"
    );
    err.problem
}

#[test]
fn shipped_sets_parse_with_the_domain_values() {
    let sets = RuleSets::embedded();
    let ids: Vec<_> = sets.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(ids, ["2020-11-late-2020", "2021-01"]);

    let late = sets.get("2020-11-late-2020").expect("late 2020");
    assert!(late.embedded);
    assert_eq!(late.file, "2020-11-late-2020.toml");
    assert_eq!(late.effective, d("2020-05-11"));
    assert_eq!(
        (
            late.window.days_before_onset,
            late.window.days_before_sample
        ),
        (2, 7)
    );
    assert_eq!(
        (late.case.isolation_days, late.case.fever_extension_days),
        (7, 2)
    );
    assert_eq!(late.contact.quarantine_days, 7);
    assert_eq!(late.contact.test_days, [7]);
    assert!(!late.contact.fully_vaccinated_skip_quarantine);
    assert_eq!(
        late.contact.at_risk_exposures.len(),
        ExposureKind::ALL.len()
    );
    assert_eq!(
        late.contact.neutralising_protections.len(),
        Protection::ALL.len()
    );
    let rights: Vec<_> = late.rights.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(
        rights,
        ["sick_leave", "free_masks", "free_test", "isolation_support"]
    );
    assert!(late.title.get(Lang::Fr).contains("fin 2020"));

    let jan = sets.get("2021-01").expect("January 2021");
    assert_eq!(jan.effective, d("2021-01-18"));
    assert_eq!(jan.case.isolation_days, 10);
    assert_eq!(jan.contact.test_days, [0, 7]);
    assert!(!jan.contact.fully_vaccinated_skip_quarantine);
    assert_eq!(jan.rights.len(), 4);
    assert!(sets.get("1999").is_none());
}

#[test]
fn rights_are_filtered_by_audience() {
    let sets = RuleSets::embedded();
    let late = sets.select(d("2020-11-10"));
    let ids = |a| {
        late.rights_for(a)
            .map(|r| r.id.as_str())
            .collect::<Vec<_>>()
    };
    assert_eq!(
        ids(Audience::Case),
        ["sick_leave", "free_masks", "isolation_support"]
    );
    assert_eq!(
        ids(Audience::AtRiskContact),
        ["sick_leave", "free_masks", "free_test", "isolation_support"]
    );
    assert_eq!(ids(Audience::NegligibleContact), ["free_test"]);
    for right in &late.rights {
        for lang in Lang::ALL {
            assert!(!right.title.get(lang).is_empty() && !right.how_to.get(lang).is_empty());
        }
    }
}

#[test]
fn selection_is_by_j0_with_the_earliest_as_fallback() {
    let sets = RuleSets::embedded();
    assert_eq!(sets.select(d("2020-03-01")).id, "2020-11-late-2020");
    assert_eq!(sets.select(d("2020-05-11")).id, "2020-11-late-2020");
    assert_eq!(sets.select(d("2021-01-17")).id, "2020-11-late-2020");
    assert_eq!(sets.select(d("2021-01-18")).id, "2021-01");
    assert_eq!(sets.select(d("2023-06-01")).id, "2021-01");
}

#[test]
fn operator_files_add_and_replace_by_id() {
    let vaccinated = operator_file("2021-06", "2021-06-01").replacen(
        "fully_vaccinated_skip_quarantine = false",
        "fully_vaccinated_skip_quarantine = true",
        1,
    );
    let replacement = with("isolation_days = 7", "isolation_days = 8");
    let sets = RuleSets::with_files([
        ("2021-06.toml", vaccinated.as_str()),
        ("late.toml", replacement.as_str()),
    ])
    .expect("valid files");
    let ids: Vec<_> = sets.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(ids, ["2020-11-late-2020", "2021-01", "2021-06"]);
    let late = sets.get("2020-11-late-2020").expect("replaced");
    assert_eq!(
        (late.case.isolation_days, late.file.as_str(), late.embedded),
        (8, "late.toml", false)
    );
    assert_eq!(sets.select(d("2021-07-01")).id, "2021-06");
    assert!(
        sets.select(d("2021-07-01"))
            .contact
            .fully_vaccinated_skip_quarantine
    );
}

#[test]
fn duplicate_ids_among_operator_files_are_refused() {
    let a = operator_file("2021-06", "2021-06-01");
    let b = operator_file("2021-06", "2021-07-01");
    let err = RuleSets::with_files([("a.toml", a.as_str()), ("b.toml", b.as_str())]).unwrap_err();
    assert_eq!(
        err.to_string(),
        "b.toml: id: duplicate id \"2021-06\": already defined in a.toml"
    );
}

#[test]
fn two_sets_on_the_same_day_are_refused() {
    let clash = operator_file("2021-01-bis", "2021-01-18");
    let err = RuleSets::with_files([("bis.toml", clash.as_str())]).unwrap_err();
    assert_eq!(err.file, "bis.toml");
    assert_eq!(err.field.as_deref(), Some("effective"));
    assert!(
        matches!(err.problem, Problem::DuplicateEffectiveDate { ref other_id, .. } if other_id == "2021-01")
    );
    assert!(err.to_string().contains("(2021-01.toml)"), "{err}");
}

#[test]
fn invalid_toml_names_the_file_and_the_position() {
    let err = RuleSets::parse_file("bad.toml", "id = \"x\"\ntitle = \n").unwrap_err();
    assert_eq!(err.field, None);
    assert!(matches!(err.problem, Problem::Syntax(_)));
    assert!(
        err.to_string()
            .starts_with("bad.toml: invalid TOML: line 2, column"),
        "{err}"
    );
}

#[test]
fn missing_fields_are_named() {
    let text = with("quarantine_days = 7\n", "");
    assert_eq!(refused(&text, "contact.quarantine_days"), Problem::Missing);
    let text = with(
        "title.en = \"Late-2020 doctrine (Santé publique France)\"\n",
        "",
    );
    assert_eq!(refused(&text, "title.en"), Problem::Missing);
    let text = with("[window]", "[windows]");
    assert!(matches!(
        refused(&text, "windows"),
        Problem::UnknownField { .. }
    ));
    let text = LATE_2020.replace("how_to.en = \"Show this", "how_to.es = \"Show this");
    assert!(matches!(
        refused(&text, "rights[1].how_to.es"),
        Problem::UnknownField { .. }
    ));
}

#[test]
fn wrong_types_are_named() {
    let text = with("quarantine_days = 7", "quarantine_days = \"7\"");
    assert_eq!(
        refused(&text, "contact.quarantine_days"),
        Problem::WrongType {
            expected: "integer (days)",
            found: "string"
        }
    );
    let text = with(
        "fully_vaccinated_skip_quarantine = false",
        "fully_vaccinated_skip_quarantine = 0",
    );
    assert!(matches!(
        refused(&text, "contact.fully_vaccinated_skip_quarantine"),
        Problem::WrongType { .. }
    ));
    let text = with("test_days = [7]", "test_days = 7");
    assert!(matches!(
        refused(&text, "contact.test_days"),
        Problem::WrongType { .. }
    ));
    let text = with("effective = 2020-05-11", "effective = 20200511");
    assert!(matches!(
        refused(&text, "effective"),
        Problem::WrongType {
            expected: "date",
            ..
        }
    ));
    let text = with("isolation_days = 7", "isolation_days = 7.5");
    assert!(matches!(
        refused(&text, "case.isolation_days"),
        Problem::WrongType { found: "float", .. }
    ));
}

#[test]
fn negative_and_huge_durations_are_refused() {
    let text = with("quarantine_days = 7", "quarantine_days = -3");
    assert_eq!(
        refused(&text, "contact.quarantine_days"),
        Problem::Negative(-3)
    );
    let err = RuleSets::parse_file("file.toml", &text).unwrap_err();
    assert_eq!(
        err.to_string(),
        "file.toml: contact.quarantine_days: must not be negative (found -3)"
    );
    let text = with("days_before_onset = 2", "days_before_onset = 200");
    assert_eq!(
        refused(&text, "window.days_before_onset"),
        Problem::TooLarge {
            value: 200,
            max: 60
        }
    );
    let text = with("test_days = [7]", "test_days = [-1, 7]");
    assert_eq!(
        refused(&text, "contact.test_days[0]"),
        Problem::Negative(-1)
    );
}

#[test]
fn unknown_names_list_the_valid_ones() {
    let text = with("\"cough_sneeze\"]", "\"sneeze\"]");
    let problem = refused(&text, "contact.at_risk_exposures[3]");
    assert!(matches!(problem, Problem::UnknownName(ref u) if u.given == "sneeze"));
    assert!(problem
        .to_string()
        .contains("expected one of: face_to_face, care_or_hygiene"));
    let text = with("\"physical_screen\"]", "\"screen\"]");
    assert!(matches!(
        refused(&text, "contact.neutralising_protections[2]"),
        Problem::UnknownName(_)
    ));
    let text = with(
        "applies_to = [\"case\", \"at_risk_contact\"]",
        "applies_to = [\"patient\"]",
    );
    assert!(matches!(
        refused(&text, "rights[0].applies_to[0]"),
        Problem::UnknownName(_)
    ));
}

#[test]
fn test_day_after_quarantine_end_is_refused() {
    let text = with("test_days = [7]", "test_days = [0, 9]");
    assert_eq!(
        refused(&text, "contact.test_days[1]"),
        Problem::TestDayAfterQuarantineEnd {
            day: 9,
            quarantine_days: 7
        }
    );
}

#[test]
fn duplicates_and_empty_lists_are_refused() {
    let text = with("test_days = [7]", "test_days = [7, 7]");
    assert_eq!(
        refused(&text, "contact.test_days[1]"),
        Problem::Duplicate("7".into())
    );
    let text = with("[\"case_mask\", ", "[\"case_mask\", \"case_mask\", ");
    assert_eq!(
        refused(&text, "contact.neutralising_protections[1]"),
        Problem::Duplicate("case_mask".into())
    );
    let text = with("id = \"free_masks\"", "id = \"sick_leave\"");
    assert_eq!(
        refused(&text, "rights[1].id"),
        Problem::Duplicate("sick_leave".into())
    );
    let text = with(
        "at_risk_exposures = [\"face_to_face\", \"care_or_hygiene\", \"closed_space_15min\", \"cough_sneeze\"]",
        "at_risk_exposures = []",
    );
    assert_eq!(refused(&text, "contact.at_risk_exposures"), Problem::Empty);
    let text = with(
        "title.fr = \"Doctrine de fin 2020 (Santé publique France)\"",
        "title.fr = \"  \"",
    );
    assert_eq!(refused(&text, "title.fr"), Problem::Empty);
    // A top-level key goes before the first table.
    let before_rights = LATE_2020.split("[[rights]]").next().unwrap_or_default();
    let no_rights = format!("rights = []\n{before_rights}");
    assert_eq!(refused(&no_rights, "rights"), Problem::Empty);
}

#[test]
fn bad_ids_and_dates_are_refused() {
    let text = with("id = \"2020-11-late-2020\"", "id = \"Late 2020!\"");
    assert_eq!(
        refused(&text, "id"),
        Problem::InvalidId("Late 2020!".into())
    );
    let text = with("effective = 2020-05-11", "effective = \"11/05/2020\"");
    assert_eq!(
        refused(&text, "effective"),
        Problem::InvalidDate("11/05/2020".into())
    );
    let text = with("effective = 2020-05-11", "effective = 2020-05-11T08:00:00");
    assert!(matches!(
        refused(&text, "effective"),
        Problem::InvalidDate(_)
    ));
    let text = with("effective = 2020-05-11", "effective = \"2020-05-11\"");
    assert_eq!(
        RuleSets::parse_file("f.toml", &text).map(|s| s.effective),
        Ok(d("2020-05-11"))
    );
}

#[test]
fn rule_sets_round_trip_through_json_for_islands() {
    let sets = RuleSets::embedded();
    for set in &sets {
        let json = serde_json::to_string(set).expect("serialises");
        let back: RuleSet = serde_json::from_str(&json).expect("deserialises");
        assert_eq!(&back, set);
    }
}

#[test]
fn with_files_takes_owned_pairs_as_read_from_a_directory() {
    let files = vec![(
        "2021-06.toml".to_owned(),
        operator_file("2021-06", "2021-06-01"),
    )];
    let sets = RuleSets::with_files(files).expect("valid");
    assert_eq!(sets.iter().count(), 3);
    let none: [(&str, &str); 0] = [];
    assert_eq!(RuleSets::with_files(none), Ok(RuleSets::embedded()));
}

proptest! {
    #[test]
    fn parsing_never_panics_on_any_text(text in ".{0,400}") {
        let _ = RuleSets::parse_file("any.toml", &text);
    }

    #[test]
    fn a_damaged_file_is_refused_or_valid_never_a_panic(
        at in 0usize..3000,
        len in 0usize..20,
        insert in "[-0-9a-z_\"=\\[\\]., \n]{0,12}",
    ) {
        let mut text: Vec<char> = LATE_2020.chars().collect();
        let at = at.min(text.len());
        let end = (at + len).min(text.len());
        text.splice(at..end, insert.chars());
        let text: String = text.into_iter().collect();
        match RuleSets::parse_file("damaged.toml", &text) {
            Ok(set) => prop_assert!(set.contact.test_days.iter().all(|d| *d <= set.contact.quarantine_days)),
            Err(e) => prop_assert!(e.to_string().starts_with("damaged.toml: ")),
        }
    }
}
