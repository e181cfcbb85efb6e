//! Worked examples for both shipped rule sets. Every expected date was
//! computed by hand from domain.md (J0 + isolation days, last contact + 7...),
//! not by the code under test.

use super::*;
use crate::RuleSets;

struct Example {
    name: &'static str,
    onset: Option<&'static str>,
    sample: &'static str,
    isolation_start: Option<&'static str>,
    household: bool,
    exposures: &'static [&'static str],
    protection: &'static [&'static str],
    last_contact: &'static str,
    vaccination: &'static str,
    // Expected:
    rule_set: &'static str,
    window: (&'static str, &'static str),
    isolation_last_day: &'static str,
    isolation_if_fever: &'static str,
    classification: &'static str,
    reasons: &'static [&'static str],
    quarantine_last_day: Option<&'static str>,
    test_days: &'static [&'static str],
}

const LATE: &str = "2020-11-late-2020";
const JAN: &str = "2021-01";

/// Case A (late 2020): onset Tue 10 Nov 2020, sample 12 Nov, isolation not
/// given → window 8 Nov (10 − 2) .. 12 Nov (later of J0 and sample);
/// isolation until 17 Nov (10 + 7), 19 Nov with fever.
/// Case B (late 2020): no symptoms, sample 1 Dec 2020, isolated from 2 Dec →
/// window 24 Nov (1 Dec − 7) .. 2 Dec; isolation until 8 Dec, 10 Dec with fever.
/// Case C (late 2020 across the new year): onset 30 Dec 2020, sample 2 Jan
/// 2021 → window 28 Dec .. 2 Jan; isolation until 6 Jan 2021.
/// Case D (January 2021): onset Wed 20 Jan 2021, sample 21 Jan → window
/// 18 Jan .. 21 Jan; isolation until 30 Jan (20 + 10), 1 Feb with fever.
/// Case E (January 2021): no symptoms, sample 26 Feb 2021 → window
/// 19 Feb .. 26 Feb; isolation until 8 Mar (February 2021 has 28 days).
/// Cases F and G straddle the switch day, 18 Jan 2021.
#[rustfmt::skip]
const EXAMPLES: &[Example] = &[
    Example { name: "A: face to face, no protection",
        onset: Some("2020-11-10"), sample: "2020-11-12", isolation_start: None,
        household: false, exposures: &["face_to_face"], protection: &[], last_contact: "2020-11-09", vaccination: "unknown",
        rule_set: LATE, window: ("2020-11-08", "2020-11-12"), isolation_last_day: "2020-11-17", isolation_if_fever: "2020-11-19",
        classification: "at_risk", reasons: &["exposure", "rule_set"],
        quarantine_last_day: Some("2020-11-16"), test_days: &["2020-11-16"] },
    Example { name: "A: closed space, contact wore a mask",
        onset: Some("2020-11-10"), sample: "2020-11-12", isolation_start: None,
        household: false, exposures: &["closed_space_15min"], protection: &["contact_mask"], last_contact: "2020-11-10", vaccination: "unknown",
        rule_set: LATE, window: ("2020-11-08", "2020-11-12"), isolation_last_day: "2020-11-17", isolation_if_fever: "2020-11-19",
        classification: "negligible", reasons: &["neutralised_by", "rule_set"],
        quarantine_last_day: None, test_days: &[] },
    Example { name: "A: household, masks ignored at home",
        onset: Some("2020-11-10"), sample: "2020-11-12", isolation_start: None,
        household: true, exposures: &[], protection: &["case_mask"], last_contact: "2020-11-12", vaccination: "unknown",
        rule_set: LATE, window: ("2020-11-08", "2020-11-12"), isolation_last_day: "2020-11-17", isolation_if_fever: "2020-11-19",
        classification: "at_risk", reasons: &["household", "protection_ignored_at_home", "rule_set"],
        quarantine_last_day: Some("2020-11-24"), test_days: &["2020-11-24"] },
    Example { name: "A: met the day before the window opened",
        onset: Some("2020-11-10"), sample: "2020-11-12", isolation_start: None,
        household: false, exposures: &["cough_sneeze"], protection: &[], last_contact: "2020-11-07", vaccination: "unknown",
        rule_set: LATE, window: ("2020-11-08", "2020-11-12"), isolation_last_day: "2020-11-17", isolation_if_fever: "2020-11-19",
        classification: "outside_window", reasons: &["outside_window", "rule_set"],
        quarantine_last_day: None, test_days: &[] },
    Example { name: "B: care on the window's first day",
        onset: None, sample: "2020-12-01", isolation_start: Some("2020-12-02"),
        household: false, exposures: &["care_or_hygiene"], protection: &[], last_contact: "2020-11-24", vaccination: "unknown",
        rule_set: LATE, window: ("2020-11-24", "2020-12-02"), isolation_last_day: "2020-12-08", isolation_if_fever: "2020-12-10",
        classification: "at_risk", reasons: &["exposure", "rule_set"],
        quarantine_last_day: Some("2020-12-01"), test_days: &["2020-12-01"] },
    Example { name: "B: met after isolation began",
        onset: None, sample: "2020-12-01", isolation_start: Some("2020-12-02"),
        household: false, exposures: &["face_to_face"], protection: &[], last_contact: "2020-12-03", vaccination: "unknown",
        rule_set: LATE, window: ("2020-11-24", "2020-12-02"), isolation_last_day: "2020-12-08", isolation_if_fever: "2020-12-10",
        classification: "outside_window", reasons: &["outside_window", "rule_set"],
        quarantine_last_day: None, test_days: &[] },
    Example { name: "C: across the new year",
        onset: Some("2020-12-30"), sample: "2021-01-02", isolation_start: None,
        household: false, exposures: &["face_to_face", "cough_sneeze"], protection: &[], last_contact: "2020-12-31", vaccination: "unknown",
        rule_set: LATE, window: ("2020-12-28", "2021-01-02"), isolation_last_day: "2021-01-06", isolation_if_fever: "2021-01-08",
        classification: "at_risk", reasons: &["exposure", "exposure", "rule_set"],
        quarantine_last_day: Some("2021-01-07"), test_days: &["2021-01-07"] },
    Example { name: "C: no exposure declared",
        onset: Some("2020-12-30"), sample: "2021-01-02", isolation_start: None,
        household: false, exposures: &[], protection: &[], last_contact: "2020-12-31", vaccination: "unknown",
        rule_set: LATE, window: ("2020-12-28", "2021-01-02"), isolation_last_day: "2021-01-06", isolation_if_fever: "2021-01-08",
        classification: "negligible", reasons: &["no_at_risk_exposure", "rule_set"],
        quarantine_last_day: None, test_days: &[] },
    Example { name: "D: face to face, tested at once and at day 7",
        onset: Some("2021-01-20"), sample: "2021-01-21", isolation_start: None,
        household: false, exposures: &["face_to_face"], protection: &[], last_contact: "2021-01-19", vaccination: "unknown",
        rule_set: JAN, window: ("2021-01-18", "2021-01-21"), isolation_last_day: "2021-01-30", isolation_if_fever: "2021-02-01",
        classification: "at_risk", reasons: &["exposure", "rule_set"],
        quarantine_last_day: Some("2021-01-26"), test_days: &["2021-01-19", "2021-01-26"] },
    Example { name: "D: household: day-0 test at once, quarantine after the case's isolation",
        onset: Some("2021-01-20"), sample: "2021-01-21", isolation_start: None,
        household: true, exposures: &["face_to_face"], protection: &[], last_contact: "2021-01-22", vaccination: "unknown",
        rule_set: JAN, window: ("2021-01-18", "2021-01-21"), isolation_last_day: "2021-01-30", isolation_if_fever: "2021-02-01",
        classification: "at_risk", reasons: &["household", "rule_set"],
        quarantine_last_day: Some("2021-02-06"), test_days: &["2021-01-22", "2021-02-06"] },
    Example { name: "D: behind a screen",
        onset: Some("2021-01-20"), sample: "2021-01-21", isolation_start: None,
        household: false, exposures: &["face_to_face"], protection: &["physical_screen"], last_contact: "2021-01-20", vaccination: "unknown",
        rule_set: JAN, window: ("2021-01-18", "2021-01-21"), isolation_last_day: "2021-01-30", isolation_if_fever: "2021-02-01",
        classification: "negligible", reasons: &["neutralised_by", "rule_set"],
        quarantine_last_day: None, test_days: &[] },
    Example { name: "D: fully vaccinated still quarantines in January 2021",
        onset: Some("2021-01-20"), sample: "2021-01-21", isolation_start: None,
        household: false, exposures: &["face_to_face"], protection: &[], last_contact: "2021-01-21", vaccination: "fully_vaccinated",
        rule_set: JAN, window: ("2021-01-18", "2021-01-21"), isolation_last_day: "2021-01-30", isolation_if_fever: "2021-02-01",
        classification: "at_risk", reasons: &["exposure", "rule_set"],
        quarantine_last_day: Some("2021-01-28"), test_days: &["2021-01-21", "2021-01-28"] },
    Example { name: "E: no symptoms, end of February",
        onset: None, sample: "2021-02-26", isolation_start: None,
        household: false, exposures: &["closed_space_15min"], protection: &[], last_contact: "2021-02-26", vaccination: "unknown",
        rule_set: JAN, window: ("2021-02-19", "2021-02-26"), isolation_last_day: "2021-03-08", isolation_if_fever: "2021-03-10",
        classification: "at_risk", reasons: &["exposure", "rule_set"],
        quarantine_last_day: Some("2021-03-05"), test_days: &["2021-02-26", "2021-03-05"] },
    Example { name: "F: J0 on the switch day takes the January set",
        onset: Some("2021-01-18"), sample: "2021-01-19", isolation_start: None,
        household: false, exposures: &["cough_sneeze"], protection: &[], last_contact: "2021-01-16", vaccination: "unknown",
        rule_set: JAN, window: ("2021-01-16", "2021-01-19"), isolation_last_day: "2021-01-28", isolation_if_fever: "2021-01-30",
        classification: "at_risk", reasons: &["exposure", "rule_set"],
        quarantine_last_day: Some("2021-01-23"), test_days: &["2021-01-16", "2021-01-23"] },
    Example { name: "G: J0 the day before keeps the late-2020 set",
        onset: Some("2021-01-17"), sample: "2021-01-18", isolation_start: None,
        household: false, exposures: &["face_to_face"], protection: &[], last_contact: "2021-01-15", vaccination: "unknown",
        rule_set: LATE, window: ("2021-01-15", "2021-01-18"), isolation_last_day: "2021-01-24", isolation_if_fever: "2021-01-26",
        classification: "at_risk", reasons: &["exposure", "rule_set"],
        quarantine_last_day: Some("2021-01-22"), test_days: &["2021-01-22"] },
];

fn d(s: &str) -> Date {
    crate::dates::parse_iso(s).expect("example date")
}

#[test]
fn worked_examples_for_both_shipped_rule_sets() {
    let sets = RuleSets::embedded();
    let mut used = std::collections::BTreeSet::new();
    for ex in EXAMPLES {
        let case = CaseSituation {
            symptom_onset: ex.onset.map(d),
            sample_date: d(ex.sample),
            isolation_start: ex.isolation_start.map(d),
        };
        let contact = ContactExposure {
            household: ex.household,
            exposures: ex
                .exposures
                .iter()
                .map(|e| e.parse().expect("exposure"))
                .collect(),
            protection: ex
                .protection
                .iter()
                .map(|p| p.parse().expect("protection"))
                .collect(),
            last_contact: d(ex.last_contact),
            minor: false,
            vaccination: ex.vaccination.parse().expect("vaccination"),
        };
        let case_result = assess(&sets, &case);
        let n = ex.name;
        assert_eq!(case_result.rule_set().id, ex.rule_set, "{n}");
        used.insert(ex.rule_set);
        assert_eq!(
            (case_result.window.start, case_result.window.end),
            (d(ex.window.0), d(ex.window.1)),
            "{n}"
        );
        assert_eq!(
            case_result.isolation.last_day,
            d(ex.isolation_last_day),
            "{n}"
        );
        assert_eq!(
            case_result.isolation.last_day_if_fever,
            d(ex.isolation_if_fever),
            "{n}"
        );

        let result = case_result.assess_contact(&contact);
        assert_eq!(result.classification.as_str(), ex.classification, "{n}");
        let codes: Vec<_> = result.reasons.iter().map(Reason::code).collect();
        assert_eq!(codes, ex.reasons, "{n}");
        assert_eq!(
            result.reasons.last(),
            Some(&Reason::RuleSet {
                id: ex.rule_set.into()
            }),
            "{n}"
        );
        let quarantine_last_day = result.quarantine.as_ref().and_then(|q| q.last_day);
        assert_eq!(quarantine_last_day, ex.quarantine_last_day.map(d), "{n}");
        let test_days = result.quarantine.map(|q| q.test_days).unwrap_or_default();
        assert_eq!(
            test_days,
            ex.test_days.iter().map(|t| d(t)).collect::<Vec<_>>(),
            "{n}"
        );
    }
    assert_eq!(used.len(), 2, "both shipped sets are exercised");
}

#[test]
fn a_rule_set_exempting_vaccinated_contacts_keeps_their_tests() {
    let mut set = RuleSets::embedded().get(JAN).expect("January 2021").clone();
    set.contact.fully_vaccinated_skip_quarantine = true;
    let case = CaseSituation {
        symptom_onset: Some(d("2021-01-20")),
        sample_date: d("2021-01-21"),
        isolation_start: None,
    };
    let mut contact = ContactExposure::met_on(d("2021-01-19"));
    contact.exposures.insert(crate::ExposureKind::FaceToFace);
    contact.vaccination = crate::VaccinationStatus::FullyVaccinated;
    let result = assess_with(&set, &case).assess_contact(&contact);
    let q = result.quarantine.expect("at risk");
    assert_eq!(q.last_day, None);
    assert_eq!(q.test_days, [d("2021-01-19"), d("2021-01-26")]);
    assert!(q.reasons.contains(&Reason::FullyVaccinatedNoQuarantine));
    contact.vaccination = crate::VaccinationStatus::NotVaccinated;
    let q = assess_with(&set, &case)
        .assess_contact(&contact)
        .quarantine
        .expect("at risk");
    assert_eq!(q.last_day, Some(d("2021-01-26")));
}

#[test]
fn rights_follow_the_classification() {
    let sets = RuleSets::embedded();
    let case = CaseSituation {
        symptom_onset: None,
        sample_date: d("2020-11-12"),
        isolation_start: None,
    };
    let assessment = assess(&sets, &case);
    let mut contact = ContactExposure::met_on(d("2020-11-10"));
    let ids = |c: &ContactExposure| {
        let result = assessment.assess_contact(c);
        assessment
            .contact_rights(&result)
            .map(|r| r.id.as_str())
            .collect::<Vec<_>>()
    };
    assert_eq!(ids(&contact), ["free_test"]);
    contact.household = true;
    assert_eq!(
        ids(&contact),
        ["sick_leave", "free_masks", "free_test", "isolation_support"]
    );
    let case_rights: Vec<_> = assessment.case_rights().map(|r| r.id.as_str()).collect();
    assert_eq!(
        case_rights,
        ["sick_leave", "free_masks", "isolation_support"]
    );
}
