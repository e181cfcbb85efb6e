//! The rule sets: the shipped files, selection by J0, operator files
//! adding and replacing sets, the format of 2020–2021 still read, and every
//! refusal of a bad file naming its field; then properties (no text makes
//! the parser panic).

use super::*;
use crate::situation::{AgeBand, ExposureKind, Protection};
use crate::Lang;
use proptest::prelude::*;

const FEB_2021: &str = include_str!("../../doctrine/2021-02.toml");
const JAN_2022: &str = include_str!("../../doctrine/2022-01.toml");

fn d(s: &str) -> Date {
    crate::dates::parse_iso(s).expect("test date")
}

/// The February 2021 file with one exact text replaced (it must exist).
fn with(from: &str, to: &str) -> String {
    assert!(FEB_2021.contains(from), "test fixture lacks {from:?}");
    FEB_2021.replacen(from, to, 1)
}

/// The January 2022 file with one exact text replaced (it must exist).
fn jan_with(from: &str, to: &str) -> String {
    assert!(JAN_2022.contains(from), "test fixture lacks {from:?}");
    JAN_2022.replacen(from, to, 1)
}

/// A valid operator file: the February 2021 set under another id and date.
fn operator_file(id: &str, effective: &str) -> String {
    with("id = \"2021-02\"", &format!("id = \"{id}\"")).replacen(
        "effective = 2021-02-22",
        &format!("effective = {effective}"),
        1,
    )
}

/// An operator's file in the format of 2020–2021 (`test_days`,
/// `fully_vaccinated_skip_quarantine`), which must still load.
fn legacy_file(test_days: &str, skip: bool) -> String {
    let contact = format!(
        "[contact]\nquarantine_days = 7\ntest_days = {test_days}\n\
         fully_vaccinated_skip_quarantine = {skip}\n"
    );
    let start = FEB_2021.find("[contact]").expect("contact table");
    let end = FEB_2021
        .find("# Without effective protection")
        .expect("criteria");
    let mut text = FEB_2021.to_owned();
    text.replace_range(start..end, &contact);
    text.replacen("id = \"2021-02\"", "id = \"legacy\"", 1)
        .replacen("effective = 2021-02-22", "effective = 2021-06-01", 1)
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

fn test(anchor: Anchor, day: u32, kind: TestKind, ends: bool) -> TestRule {
    TestRule {
        anchor,
        day,
        kind,
        ends_quarantine: ends,
        household_only: false,
    }
}

#[test]
fn shipped_sets_parse_with_the_published_values() {
    let sets = RuleSets::embedded();
    let ids: Vec<_> = sets.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(ids, ["2020-09", "2021-02", "2021-07", "2022-01", "2022-03"]);
    let effective: Vec<_> = sets.iter().map(|s| s.effective).collect();
    assert_eq!(
        effective,
        [
            d("2020-09-11"),
            d("2021-02-22"),
            d("2021-07-27"),
            d("2022-01-03"),
            d("2022-03-21")
        ]
    );
    for set in &sets {
        assert!(set.embedded);
        assert_eq!(set.file, format!("{}.toml", set.id));
        assert_eq!(
            (set.window.days_before_onset, set.window.days_before_sample),
            (2, 7)
        );
        assert_eq!(set.contact.at_risk_exposures.len(), ExposureKind::ALL.len());
        assert_eq!(
            set.contact.neutralising_protections.len(),
            Protection::ALL.len()
        );
        assert_eq!(set.case.fever_extension_days, 2);
        for lang in Lang::ALL {
            assert!(!set.title.get(lang).is_empty());
            // The embedded sets speak every citizen's language themselves.
            assert!(set.title.has(lang), "{} lacks {lang}", set.id);
        }
    }

    let sep = sets.get("2020-09").expect("September 2020");
    assert_eq!(sep.case.isolation_days, 7);
    assert_eq!(sep.contact.measures.quarantine_days, Some(7));
    assert_eq!(sep.contact.measures.tests.len(), 2);
    assert!(sep.contact.measures.tests[0].household_only);
    assert_eq!(sep.contact.measures.extension_without_test_days, 0);
    assert!(sep.title.get(Lang::En).contains("11 September 2020"));

    let feb = sets.get("2021-02").expect("February 2021");
    assert_eq!(feb.case.isolation_days, 10);
    assert_eq!(
        feb.contact.measures.tests,
        [
            test(Anchor::Informed, 0, TestKind::Lab, false),
            test(Anchor::LastContact, 7, TestKind::Lab, true)
        ]
    );
    assert_eq!(feb.contact.measures.extension_without_test_days, 7);
    assert!(feb.contact.profiles.is_empty());

    let jul = sets.get("2021-07").expect("July 2021");
    assert_eq!(jul.contact.profiles.len(), 1);
    assert_eq!(jul.contact.profiles[0].id, "moderate_risk");
    assert_eq!(jul.contact.profiles[0].measures.quarantine_days, None);
    assert!(jul.contact.profiles[0]
        .measures
        .advice
        .contains(&Advice::MaskInPublic));

    let jan = sets.get("2022-01").expect("January 2022");
    assert_eq!(jan.case.isolation_days, 10);
    assert_eq!(
        jan.case.early_release,
        Some(EarlyRelease {
            day: 7,
            symptom_free_hours: 48
        })
    );
    assert_eq!(jan.case.isolation_for(true, AgeBand::Adult).1, 7);
    assert_eq!(jan.case.isolation_for(false, AgeBand::Under12).1, 7);
    assert_eq!(
        jan.case.isolation_for(true, AgeBand::Adult).2,
        Some(EarlyRelease {
            day: 5,
            symptom_free_hours: 48
        })
    );
    let (child, measures) = jan.contact.measures_for(false, AgeBand::Under12);
    assert_eq!(child.map(|p| p.id.as_str()), Some("child"));
    assert!(measures.sworn_statement);
    assert_eq!(
        measures.tests,
        [
            test(Anchor::Informed, 0, TestKind::Lab, false),
            test(Anchor::Informed, 2, TestKind::SelfTest, false),
            test(Anchor::Informed, 4, TestKind::SelfTest, false)
        ]
    );
    let (none, adult) = jan.contact.measures_for(false, AgeBand::From12To17);
    assert!(none.is_none());
    assert_eq!(adult.quarantine_days, Some(7));

    let mar = sets.get("2022-03").expect("March 2022");
    assert_eq!(mar.contact.measures.quarantine_days, None);
    assert_eq!(
        mar.contact.measures.tests,
        [test(Anchor::Informed, 2, TestKind::Any, false)]
    );
    assert!(mar.contact.profiles.is_empty());
    assert!(sets.get("2021-01").is_none());
}

#[test]
fn each_set_uses_only_the_facts_its_rules_depend_on() {
    let sets = RuleSets::embedded();
    let facts = |id: &str| -> Vec<Fact> { sets.get(id).expect("set").facts_used().collect() };
    assert_eq!(facts("2020-09"), [Fact::InformedOn]);
    assert_eq!(facts("2021-02"), [Fact::InformedOn]);
    assert_eq!(
        facts("2021-07"),
        [Fact::ContactVaccination, Fact::InformedOn]
    );
    assert_eq!(
        facts("2022-01"),
        [
            Fact::ContactVaccination,
            Fact::ContactAgeBand,
            Fact::CaseVaccination,
            Fact::CaseAgeBand,
            Fact::CaseReleaseTest,
            Fact::InformedOn
        ]
    );
    assert_eq!(
        facts("2022-03"),
        [
            Fact::CaseVaccination,
            Fact::CaseAgeBand,
            Fact::CaseReleaseTest,
            Fact::InformedOn
        ]
    );
}

#[test]
fn rights_are_filtered_by_audience() {
    let sets = RuleSets::embedded();
    let feb = sets.select(d("2021-03-10"));
    fn ids(set: &RuleSet, a: Audience) -> Vec<&str> {
        set.rights_for(a).map(|r| r.id.as_str()).collect()
    }
    assert_eq!(
        ids(feb, Audience::Case),
        ["sick_leave", "free_masks", "isolation_support"]
    );
    assert_eq!(
        ids(feb, Audience::AtRiskContact),
        ["sick_leave", "free_masks", "free_test", "isolation_support"]
    );
    assert_eq!(ids(feb, Audience::NegligibleContact), ["free_test"]);
    assert!(ids(feb, Audience::ContactNoQuarantine).is_empty());
    let jan = sets.select(d("2022-01-10"));
    assert_eq!(
        ids(jan, Audience::ContactNoQuarantine),
        ["free_masks", "free_test"]
    );
    for set in &sets {
        for right in &set.rights {
            for lang in Lang::ALL {
                assert!(!right.title.get(lang).is_empty() && !right.how_to.get(lang).is_empty());
                assert!(
                    right.title.has(lang) && right.how_to.has(lang),
                    "{} {lang}",
                    right.id
                );
            }
        }
    }
}

#[test]
fn selection_is_by_j0_with_the_earliest_as_fallback() {
    let sets = RuleSets::embedded();
    assert_eq!(sets.select(d("2020-03-01")).id, "2020-09");
    assert_eq!(sets.select(d("2020-09-11")).id, "2020-09");
    assert_eq!(sets.select(d("2021-02-21")).id, "2020-09");
    assert_eq!(sets.select(d("2021-02-22")).id, "2021-02");
    assert_eq!(sets.select(d("2021-07-26")).id, "2021-02");
    assert_eq!(sets.select(d("2021-07-27")).id, "2021-07");
    assert_eq!(sets.select(d("2022-01-02")).id, "2021-07");
    assert_eq!(sets.select(d("2022-01-03")).id, "2022-01");
    assert_eq!(sets.select(d("2022-03-20")).id, "2022-01");
    assert_eq!(sets.select(d("2022-03-21")).id, "2022-03");
    assert_eq!(sets.select(d("2023-06-01")).id, "2022-03");
}

#[test]
fn operator_files_add_and_replace_by_id() {
    let replacement = with("isolation_days = 10", "isolation_days = 11");
    let sets = RuleSets::with_files([
        (
            "2021-06.toml",
            operator_file("2021-06", "2021-06-01").as_str(),
        ),
        ("feb.toml", replacement.as_str()),
    ])
    .expect("valid files");
    let ids: Vec<_> = sets.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(
        ids,
        ["2020-09", "2021-02", "2021-06", "2021-07", "2022-01", "2022-03"]
    );
    let feb = sets.get("2021-02").expect("replaced");
    assert_eq!(
        (feb.case.isolation_days, feb.file.as_str(), feb.embedded),
        (11, "feb.toml", false)
    );
    assert_eq!(sets.select(d("2021-07-01")).id, "2021-06");
}

#[test]
fn the_format_of_2020_still_loads() {
    let set = RuleSets::parse_file("old.toml", &legacy_file("[7, 0]", false)).expect("valid");
    // Day 0 was "at once": it is anchored on the day the contact is told.
    assert_eq!(
        set.contact.measures.tests,
        [
            test(Anchor::Informed, 0, TestKind::Lab, false),
            test(Anchor::LastContact, 7, TestKind::Lab, false)
        ]
    );
    assert!(set.contact.profiles.is_empty());
    let set = RuleSets::parse_file("old.toml", &legacy_file("[7]", true)).expect("valid");
    assert_eq!(set.contact.profiles.len(), 1);
    let (profile, measures) = set.contact.measures_for(true, AgeBand::Adult);
    assert_eq!(profile.map(|p| p.id.as_str()), Some("vaccinated"));
    assert_eq!(measures.quarantine_days, None);
    assert_eq!(
        measures.tests,
        [test(Anchor::LastContact, 7, TestKind::Lab, false)]
    );
    assert!(set.uses(Fact::ContactVaccination));
    // The old keys keep their checks.
    let problem = refused(&legacy_file("[0, 9]", false), "contact.test_days[1]");
    assert_eq!(
        problem,
        Problem::TestDayAfterQuarantineEnd {
            day: 9,
            quarantine_days: 7
        }
    );
    assert_eq!(
        refused(&legacy_file("[7, 7]", false), "contact.test_days[1]"),
        Problem::Duplicate("7".into())
    );
    assert_eq!(
        refused(&legacy_file("[-1]", false), "contact.test_days[0]"),
        Problem::Negative(-1)
    );
    // Mixing both formats is refused.
    let mixed = legacy_file("[7]", false).replacen(
        "fully_vaccinated_skip_quarantine = false\n",
        "fully_vaccinated_skip_quarantine = false\ntests = []\n",
        1,
    );
    assert!(matches!(
        refused(&mixed, "contact.test_days"),
        Problem::Inconsistent(_)
    ));
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
    let clash = operator_file("2021-02-bis", "2021-02-22");
    let err = RuleSets::with_files([("bis.toml", clash.as_str())]).unwrap_err();
    assert_eq!(err.file, "bis.toml");
    assert_eq!(err.field.as_deref(), Some("effective"));
    assert!(
        matches!(err.problem, Problem::DuplicateEffectiveDate { ref other_id, .. } if other_id == "2021-02")
    );
    assert!(err.to_string().contains("(2021-02.toml)"), "{err}");
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
        "title.en = \"Rules of 22 February 2021: 10-day isolation, contacts tested at once\"\n",
        "",
    );
    assert_eq!(refused(&text, "title.en"), Problem::Missing);
    let text = with("[window]", "[windows]");
    assert!(matches!(
        refused(&text, "windows"),
        Problem::UnknownField { .. }
    ));
    let text = FEB_2021.replace("how_to.en = \"Show this", "how_to.de = \"Show this");
    assert!(matches!(
        refused(&text, "rights[1].how_to.de"),
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
    let text = legacy_file("[7]", false).replacen(
        "fully_vaccinated_skip_quarantine = false",
        "fully_vaccinated_skip_quarantine = 0",
        1,
    );
    assert!(matches!(
        refused(&text, "contact.fully_vaccinated_skip_quarantine"),
        Problem::WrongType { .. }
    ));
    let text = with(
        "extension_without_test_days = 7",
        "extension_without_test_days = \"7\"",
    );
    assert!(matches!(
        refused(&text, "contact.extension_without_test_days"),
        Problem::WrongType { .. }
    ));
    let text = with(
        "{ anchor = \"informed\", day = 0, kind = \"lab\" }",
        "\"at once\"",
    );
    assert!(matches!(
        refused(&text, "contact.tests[0]"),
        Problem::WrongType {
            expected: "table",
            ..
        }
    ));
    let text = jan_with(
        "when = { vaccinated = true }",
        "when = { vaccinated = \"yes\" }",
    );
    assert!(matches!(
        refused(&text, "case.profiles[1].when.vaccinated"),
        Problem::WrongType {
            expected: "boolean",
            ..
        }
    ));
    let text = with("effective = 2021-02-22", "effective = 20210222");
    assert!(matches!(
        refused(&text, "effective"),
        Problem::WrongType {
            expected: "date",
            ..
        }
    ));
    let text = with("isolation_days = 10", "isolation_days = 7.5");
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
    let text = with(
        "anchor = \"informed\", day = 0",
        "anchor = \"informed\", day = -1",
    );
    assert_eq!(
        refused(&text, "contact.tests[0].day"),
        Problem::Negative(-1)
    );
    let text = jan_with(
        "symptom_free_hours = 48 }\n\n#",
        "symptom_free_hours = 4800 }\n\n#",
    );
    assert!(matches!(
        refused(&text, "case.early_release.symptom_free_hours"),
        Problem::TooLarge { value: 4800, .. }
    ));
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
    let text = with("anchor = \"informed\"", "anchor = \"notified\"");
    let problem = refused(&text, "contact.tests[0].anchor");
    assert!(
        problem
            .to_string()
            .contains("expected one of: last_contact, informed"),
        "{problem}"
    );
    let text = with("kind = \"lab\" }", "kind = \"pcr\" }");
    let problem = refused(&text, "contact.tests[0].kind");
    assert!(
        problem.to_string().contains("lab, self_test, any"),
        "{problem}"
    );
    let text = jan_with(
        "age_band = [\"under_12\"] }\nisolation",
        "age_band = [\"child\"] }\nisolation",
    );
    assert!(matches!(
        refused(&text, "case.profiles[0].when.age_band[0]"),
        Problem::UnknownName(_)
    ));
    let text = jan_with(
        "when = { vaccinated = true }",
        "when = { vaccinated = true, booster = true }",
    );
    assert!(matches!(
        refused(&text, "case.profiles[1].when.booster"),
        Problem::UnknownField { .. }
    ));
    let text = JAN_2022.replacen("sworn_statement = true", "sworn_statment = true", 1);
    assert!(matches!(
        refused(&text, "contact.profiles[0].sworn_statment"),
        Problem::UnknownField { .. }
    ));
}

#[test]
fn test_day_after_quarantine_end_is_refused() {
    let text = with(
        "anchor = \"last_contact\", day = 7",
        "anchor = \"last_contact\", day = 9",
    );
    assert_eq!(
        refused(&text, "contact.tests[1].day"),
        Problem::TestDayAfterQuarantineEnd {
            day: 9,
            quarantine_days: 7
        }
    );
    // Anchored on the day informed, a test may come after: the contact may
    // be told late.
    let late = with(
        "{ anchor = \"informed\", day = 0, kind = \"lab\" }",
        "{ anchor = \"informed\", day = 9, kind = \"lab\" }",
    );
    assert!(RuleSets::parse_file("f.toml", &late).is_ok());
}

#[test]
fn the_new_fields_explain_every_mistake() {
    // The ending test must fall on the quarantine's last day, from the last contact.
    let text = with(
        "day = 7, kind = \"lab\", ends_quarantine = true",
        "day = 6, kind = \"lab\", ends_quarantine = true",
    );
    let problem = refused(&text, "contact.tests[1].ends_quarantine");
    assert_eq!(
        problem.to_string(),
        "a test that ends the quarantine must be anchored on the last contact, on the \
         quarantine's last day (day 7); this one is last_contact + 6"
    );
    let text = with(
        "{ anchor = \"informed\", day = 0, kind = \"lab\" }",
        "{ anchor = \"informed\", day = 0, kind = \"lab\", ends_quarantine = true }",
    );
    assert!(matches!(
        refused(&text, "contact.tests[0].ends_quarantine"),
        Problem::EndingTestNotOnLastDay {
            anchor: "informed",
            day: 0,
            quarantine_days: 7
        }
    ));
    // Without an ending test, an extension means nothing.
    let text = with(
        "kind = \"lab\", ends_quarantine = true }",
        "kind = \"lab\" }",
    );
    assert!(matches!(
        refused(&text, "contact.extension_without_test_days"),
        Problem::Inconsistent(_)
    ));
    // No quarantine: no length, no ending test.
    let text = JAN_2022.replacen(
        "quarantine = false\n",
        "quarantine = false\nquarantine_days = 7\n",
        1,
    );
    assert!(matches!(
        refused(&text, "contact.profiles[0].quarantine_days"),
        Problem::Inconsistent(_)
    ));
    let text = JAN_2022.replacen(
        "{ anchor = \"informed\", day = 4, kind = \"self_test\" },",
        "{ anchor = \"informed\", day = 4, kind = \"self_test\", ends_quarantine = true },",
        1,
    );
    assert_eq!(
        refused(&text, "contact.profiles[0].tests[2].ends_quarantine"),
        Problem::EndingTestWithoutQuarantine
    );
    // A sworn statement attests self-tests.
    let text = JAN_2022
        .replacen("kind = \"self_test\" },\n  { anchor = \"informed\", day = 4, kind = \"self_test\" },\n]\nsworn", "kind = \"lab\" },\n]\nsworn", 1);
    assert!(matches!(
        refused(&text, "contact.profiles[0].sworn_statement"),
        Problem::Inconsistent(_)
    ));
    // Early release must be early.
    let text = jan_with("early_release = { day = 7,", "early_release = { day = 10,");
    assert_eq!(
        refused(&text, "case.early_release.day"),
        Problem::ReleaseNotEarly {
            day: 10,
            isolation_days: 10
        }
    );
    let text = jan_with(
        "early_release = { day = 7, symptom_free_hours = 48 }",
        "early_release = { day = 7 }",
    );
    assert_eq!(
        refused(&text, "case.early_release.symptom_free_hours"),
        Problem::Missing
    );
    // Profiles: a condition, a unique id, reachable.
    let text = jan_with("when = { vaccinated = true }", "when = {}");
    assert_eq!(refused(&text, "case.profiles[1].when"), Problem::Empty);
    let text = jan_with("id = \"vaccinated\"", "id = \"child\"");
    assert_eq!(
        refused(&text, "case.profiles[1].id"),
        Problem::Duplicate("child".into())
    );
    let text = jan_with(
        "when = { vaccinated = true }",
        "when = { age_band = [\"under_12\"], vaccinated = true }",
    );
    assert_eq!(
        refused(&text, "case.profiles[1].when"),
        Problem::Unreachable {
            earlier: "child".into()
        }
    );
    assert!(Problem::Unreachable {
        earlier: "child".into()
    }
    .to_string()
    .contains("never applies"));
    let text = with(
        "{ anchor = \"last_contact\", day = 7, kind = \"lab\", ends_quarantine = true },",
        "{ anchor = \"last_contact\", day = 7, kind = \"lab\", ends_quarantine = true },\n  { anchor = \"last_contact\", day = 7, kind = \"self_test\" },",
    );
    assert_eq!(
        refused(&text, "contact.tests[2]"),
        Problem::Duplicate("last_contact + 7".into())
    );
}

#[test]
fn duplicates_and_empty_lists_are_refused() {
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
        "title.fr = \"Règles du 22 février 2021 : isolement de 10 jours, contacts testés immédiatement\"",
        "title.fr = \"  \"",
    );
    assert_eq!(refused(&text, "title.fr"), Problem::Empty);
    // A top-level key goes before the first table.
    let before_rights = FEB_2021.split("[[rights]]").next().unwrap_or_default();
    let no_rights = format!("rights = []\n{before_rights}");
    assert_eq!(refused(&no_rights, "rights"), Problem::Empty);
}

#[test]
fn bad_ids_and_dates_are_refused() {
    let text = with("id = \"2021-02\"", "id = \"Late 2020!\"");
    assert_eq!(
        refused(&text, "id"),
        Problem::InvalidId("Late 2020!".into())
    );
    let text = with("effective = 2021-02-22", "effective = \"11/05/2020\"");
    assert_eq!(
        refused(&text, "effective"),
        Problem::InvalidDate("11/05/2020".into())
    );
    let text = with("effective = 2021-02-22", "effective = 2021-02-22T08:00:00");
    assert!(matches!(
        refused(&text, "effective"),
        Problem::InvalidDate(_)
    ));
    let text = with("effective = 2021-02-22", "effective = \"2021-02-22\"");
    assert_eq!(
        RuleSets::parse_file("f.toml", &text).map(|s| s.effective),
        Ok(d("2021-02-22"))
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
    assert_eq!(sets.iter().count(), 6);
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
        let mut text: Vec<char> = JAN_2022.chars().collect();
        let at = at.min(text.len());
        let end = (at + len).min(text.len());
        text.splice(at..end, insert.chars());
        let text: String = text.into_iter().collect();
        match RuleSets::parse_file("damaged.toml", &text) {
            Ok(set) => {
                let all = std::iter::once(&set.contact.measures)
                    .chain(set.contact.profiles.iter().map(|p| &p.measures));
                for m in all {
                    for t in &m.tests {
                        if let (Anchor::LastContact, Some(q)) = (t.anchor, m.quarantine_days) {
                            prop_assert!(t.day <= q);
                        }
                        prop_assert!(!t.ends_quarantine || m.quarantine_days == Some(t.day));
                    }
                }
            }
            Err(e) => prop_assert!(e.to_string().starts_with("damaged.toml: ")),
        }
    }
}

#[test]
fn a_text_in_a_citizen_language_is_optional_and_falls_back_to_french() {
    let set = RuleSets::parse_file("file.toml", FEB_2021).expect("the embedded set");
    assert!(set.title.has(Lang::Tr));
    assert_ne!(set.title.get(Lang::Tr), set.title.get(Lang::Fr));
    // Without its Turkish line, the title reads French, and says so.
    let turkish_line = FEB_2021
        .lines()
        .find(|l| l.starts_with("title.tr = "))
        .expect("the set's Turkish title");
    let text = FEB_2021.replacen(&format!("{turkish_line}\n"), "", 1);
    let set = RuleSets::parse_file("file.toml", &text).expect("still valid");
    assert!(!set.title.has(Lang::Tr));
    assert_eq!(set.title.get(Lang::Tr), set.title.get(Lang::Fr));
    // A language's text, when given, must say something.
    let empty = FEB_2021.replacen(turkish_line, "title.tr = \" \"", 1);
    assert_eq!(refused(&empty, "title.tr"), Problem::Empty);
}
