//! Worked examples for each guidance, the plan and the follow-up forms, and
//! properties over both shipped rule sets (and one exempting vaccinated
//! contacts).

use super::*;
use crate::rules::properties::{arb_case, base};
use crate::rules::{assess, assess_with, CaseAssessment};
use crate::situation::{
    CaseSituation, ContactExposure, ExposureKind, Protection, VaccinationStatus,
};
use crate::{RuleSet, RuleSets};
use proptest::prelude::*;
use proptest::sample::subsequence;

fn d(s: &str) -> Date {
    crate::dates::parse_iso(s).expect("test date")
}

const SEPT_2020: &str = "2020-09";
/// The January cases below are assessed under the February 2021 rules
/// (10 days of isolation, a test at once and on day 7), whatever their J0:
/// what is tested here is the guidance, not the selection by date.
const FEB_2021: &str = "2021-02";

/// A case of November 2020 (late-2020 rules): onset 10 Nov, sample 11 Nov.
/// Contagious from 8 to 11 Nov; isolated until 17 Nov.
fn november_case() -> CaseSituation {
    CaseSituation::new(Some(d("2020-11-10")), d("2020-11-11"))
}

/// A case of January 2021 (January 2021 rules): onset 20 Jan, sample 21 Jan.
/// Contagious from 18 to 21 Jan; isolated until 30 Jan.
fn january_case() -> CaseSituation {
    CaseSituation::new(Some(d("2021-01-20")), d("2021-01-21"))
}

/// Met face to face on `on`, and told the same day.
fn face_to_face(on: &str) -> ContactExposure {
    let mut contact = ContactExposure::met_on(d(on));
    contact.exposures.insert(ExposureKind::FaceToFace);
    contact.informed_on = Some(d(on));
    contact
}

/// A household member, last met on `on` and told the same day.
fn household(on: &str) -> ContactExposure {
    let mut contact = ContactExposure::met_on(d(on));
    contact.household = true;
    contact.informed_on = Some(d(on));
    contact
}

fn set(id: &str) -> RuleSet {
    RuleSets::embedded().get(id).expect("shipped set").clone()
}

/// Assessed under the set selected by J0, or [`FEB_2021`]'s for the
/// January 2021 cases.
fn assessed(case: &CaseSituation, contact: &ContactExposure) -> ContactAssessment {
    let sets = RuleSets::embedded();
    if case.j0() >= d("2021-01-01") && case.j0() < d("2021-02-22") {
        return assess_with(&set(FEB_2021), case).assess_contact(contact);
    }
    assess(&sets, case).assess_contact(contact)
}

/// A colleague met face to face on 9 Nov: quarantine until 16 Nov, test on 16 Nov.
fn colleague() -> ContactAssessment {
    let a = assessed(&november_case(), &face_to_face("2020-11-09"));
    let q = a.quarantine.as_ref().expect("at risk");
    assert_eq!(q.last_day, Some(d("2020-11-16")));
    assert_eq!(q.test_days(), [d("2020-11-16")]);
    a
}

fn tests(list: &[(&str, TestResult)]) -> FollowUp {
    FollowUp {
        symptoms_since: None,
        tests: list
            .iter()
            .map(|&(on, result)| TestReport {
                sampled_on: d(on),
                result,
            })
            .collect(),
    }
}

fn report(on: &str, result: TestResult) -> TestReport {
    TestReport {
        sampled_on: d(on),
        result,
    }
}

use TestResult::{Negative, Pending, Positive};

// ---------------------------------------------------------------------------
// Guidance, one example per branch.

#[test]
fn a_non_household_contact_quarantines_until_seven_days_after_meeting() {
    let a = colleague();
    let g = guidance(&a, &FollowUp::default(), d("2020-11-12"));
    assert_eq!(
        g,
        Guidance::Quarantine {
            last_day: Some(d("2020-11-16")),
            next_test: Some(d("2020-11-16")),
            next_test_overdue: false,
            awaiting_test: false,
            latest_test: None,
            reasons: a.quarantine.expect("at risk").reasons,
        }
    );
    assert_eq!(g.code(), "quarantine");
}

#[test]
fn a_household_contact_follows_the_end_of_the_case_isolation() {
    // Late 2020: the case isolates until 17 Nov, so the household contact's
    // last contact counts as 17 Nov: quarantine and test on 24 Nov.
    // Told on 13 Nov, a household member is also tested that day.
    let mut member = household("2020-11-12");
    member.informed_on = Some(d("2020-11-13"));
    let a = assessed(&november_case(), &member);
    let g = guidance(&a, &FollowUp::default(), d("2020-11-13"));
    let Guidance::Quarantine {
        last_day,
        next_test,
        reasons,
        ..
    } = g
    else {
        panic!("quarantine expected, got {g:?}");
    };
    assert_eq!(last_day, Some(d("2020-11-24")));
    assert_eq!(next_test, Some(d("2020-11-13")));
    let tested = tests(&[("2020-11-13", Negative)]);
    let g = guidance(&a, &tested, d("2020-11-14"));
    assert!(
        matches!(g, Guidance::Quarantine { next_test: Some(day), .. } if day == d("2020-11-24")),
        "{g:?}"
    );
    assert!(
        reasons.contains(&Reason::HouseholdLastContactIsEndOfIsolation {
            case_isolation_last_day: d("2020-11-17"),
        })
    );
}

#[test]
fn a_household_contact_in_january_2021_is_tested_at_once_and_at_the_end() {
    // Isolation until 30 Jan; the day-0 test on the declared last contact
    // (21 Jan) is already past when the contact reads the page on 23 Jan.
    let a = assessed(&january_case(), &household("2021-01-21"));
    let q = a.quarantine.clone().expect("at risk");
    assert_eq!(q.last_day, Some(d("2021-02-06")));
    assert_eq!(q.test_days(), [d("2021-01-21"), d("2021-02-06")]);
    let g = guidance(&a, &FollowUp::default(), d("2021-01-23"));
    assert!(
        matches!(
            g,
            Guidance::Quarantine { next_test: Some(day), next_test_overdue: true, awaiting_test: false, .. }
                if day == d("2021-01-21")
        ),
        "{g:?}"
    );
    // Tested on 23 Jan (result pending): the next test is the one of 6 Feb.
    let follow_up = tests(&[("2021-01-23", Pending)]);
    let g = guidance(&a, &follow_up, d("2021-01-24"));
    assert!(
        matches!(
            g,
            Guidance::Quarantine { next_test: Some(day), next_test_overdue: false, latest_test: Some(t), .. }
                if day == d("2021-02-06") && t == report("2021-01-23", Pending)
        ),
        "{g:?}"
    );
}

#[test]
fn a_negligible_contact_gets_general_advice_with_the_reasons() {
    let mut contact = face_to_face("2020-11-09");
    contact.protection.insert(Protection::ContactMask);
    let a = assessed(&november_case(), &contact);
    assert_eq!(a.classification, Classification::Negligible);
    let g = guidance(&a, &FollowUp::default(), d("2020-11-12"));
    assert_eq!(
        g,
        Guidance::GeneralAdvice {
            classification: Classification::Negligible,
            reasons: a.reasons.clone(),
        }
    );
    assert!(a.reasons.contains(&Reason::NeutralisedBy {
        kind: ExposureKind::FaceToFace,
        protection: Protection::ContactMask,
    }));
    assert_eq!(g.code(), "general_advice");
    assert!(timeline(&a, &FollowUp::default(), d("2020-11-12")).is_empty());
    // A negative test changes nothing for them.
    let g2 = guidance(&a, &tests(&[("2020-11-11", Negative)]), d("2020-11-12"));
    assert_eq!(g2, g);
}

#[test]
fn a_contact_met_outside_the_window_gets_general_advice_saying_why() {
    // The window opens on 8 Nov; met on 5 Nov, face to face.
    let a = assessed(&november_case(), &face_to_face("2020-11-05"));
    let g = guidance(&a, &FollowUp::default(), d("2020-11-12"));
    let Guidance::GeneralAdvice {
        classification,
        reasons,
    } = g
    else {
        panic!("general advice expected, got {g:?}");
    };
    assert_eq!(classification, Classification::OutsideWindow);
    assert!(
        matches!(reasons.first(), Some(Reason::OutsideWindow { window }) if window.start == d("2020-11-08")),
        "{reasons:?}"
    );
    assert!(timeline(&a, &FollowUp::default(), d("2020-11-12")).is_empty());
}

/// The February 2021 set, changed to exempt fully vaccinated contacts
/// from quarantine (as July 2021 did), tests kept.
fn exempting_set() -> RuleSet {
    let mut set = set(FEB_2021);
    let mut measures = set.contact.measures.clone();
    measures.quarantine_days = None;
    measures.extension_without_test_days = 0;
    for t in &mut measures.tests {
        t.ends_quarantine = false;
    }
    set.contact.profiles.push(crate::doctrine::ContactProfile {
        id: "vaccinated".into(),
        when: crate::doctrine::Condition {
            vaccinated: Some(true),
            age_band: None,
        },
        measures,
    });
    set
}

/// A quarantine made up from its dates, its tests counted from the last
/// contact, for the bounds of the plan.
fn quarantine_of(counted: Date, last_day: Option<Date>, test_days: Vec<Date>) -> ContactQuarantine {
    ContactQuarantine {
        counted_last_contact: counted,
        last_day,
        last_day_without_test: None,
        tests: test_days
            .into_iter()
            .map(|date| crate::rules::PlannedTest {
                date: Some(date),
                anchor: crate::doctrine::Anchor::LastContact,
                day: u32::try_from((date - counted).whole_days()).unwrap_or(0),
                kind: crate::doctrine::TestKind::Lab,
                ends_quarantine: false,
            })
            .collect(),
        profile: None,
        advice: vec![],
        sworn_statement: false,
        if_symptoms: IfSymptoms::IsolateAndTestAtOnce,
        reasons: vec![],
    }
}

#[test]
fn a_vaccinated_contact_exempted_from_quarantine_still_gets_the_tests() {
    let set = exempting_set();
    let mut contact = face_to_face("2021-01-19");
    contact.vaccination = VaccinationStatus::FullyVaccinated;
    let a = assess_with(&set, &january_case()).assess_contact(&contact);
    let q = a.quarantine.clone().expect("at risk");
    assert_eq!(q.last_day, None);
    assert_eq!(q.test_days(), [d("2021-01-19"), d("2021-01-26")]);

    let g = guidance(&a, &FollowUp::default(), d("2021-01-22"));
    assert!(
        matches!(
            g,
            Guidance::Quarantine { last_day: None, next_test: Some(day), next_test_overdue: true, .. }
                if day == d("2021-01-19")
        ),
        "{g:?}"
    );
    let first = tests(&[("2021-01-22", Negative)]);
    let g = guidance(&a, &first, d("2021-01-23"));
    assert!(
        matches!(
            g,
            Guidance::Quarantine { last_day: None, next_test: Some(day), next_test_overdue: false, awaiting_test: false, .. }
                if day == d("2021-01-26")
        ),
        "{g:?}"
    );
    // After the last test day without its test: still awaiting it.
    let g = guidance(&a, &first, d("2021-01-27"));
    assert!(
        matches!(
            g,
            Guidance::Quarantine {
                awaiting_test: true,
                next_test_overdue: true,
                ..
            }
        ),
        "{g:?}"
    );
    // The negative test of the last test day ends the follow-up.
    let both = tests(&[("2021-01-22", Negative), ("2021-01-26", Negative)]);
    assert_eq!(
        guidance(&a, &both, d("2021-01-27")),
        Guidance::QuarantineOver {
            ended_on: d("2021-01-26"),
            negative_sampled_on: Some(d("2021-01-26")),
        }
    );

    let plan = timeline(&a, &both, d("2021-01-22"));
    assert_eq!(plan.first().map(|t| t.date), Some(d("2021-01-19")));
    assert_eq!(plan.last().map(|t| t.date), Some(d("2021-01-26")));
    assert!(plan.iter().all(|t| !t.in_quarantine && !t.last_day));
    let test_days: Vec<_> = plan.iter().filter(|t| t.test_day).map(|t| t.date).collect();
    assert_eq!(test_days, [d("2021-01-19"), d("2021-01-26")]);
}

#[test]
fn symptoms_override_the_quarantine() {
    let a = colleague();
    let follow_up = FollowUp {
        symptoms_since: Some(d("2020-11-13")),
        tests: vec![report("2020-11-12", Negative)],
    };
    let g = guidance(&a, &follow_up, d("2020-11-14"));
    // The negative test before the symptoms says nothing of them.
    assert_eq!(
        g,
        Guidance::Symptomatic {
            since: d("2020-11-13"),
            advice: IfSymptoms::IsolateAndTestAtOnce,
            test_since_onset: None,
        }
    );
    assert_eq!(g.code(), "symptomatic");

    let mut tested = follow_up.clone();
    tested.tests.push(report("2020-11-14", Pending));
    assert!(matches!(
        guidance(&a, &tested, d("2020-11-14")),
        Guidance::Symptomatic { test_since_onset: Some(t), .. } if t == report("2020-11-14", Pending)
    ));
}

#[test]
fn symptoms_override_the_end_of_quarantine_and_a_negative_test() {
    let a = colleague();
    let follow_up = FollowUp {
        symptoms_since: Some(d("2020-11-18")),
        tests: vec![
            report("2020-11-16", Negative),
            report("2020-11-19", Negative),
        ],
    };
    assert!(matches!(
        guidance(&a, &tests(&[("2020-11-16", Negative)]), d("2020-11-20")),
        Guidance::QuarantineOver { .. }
    ));
    assert_eq!(
        guidance(&a, &follow_up, d("2020-11-20")),
        Guidance::Symptomatic {
            since: d("2020-11-18"),
            advice: IfSymptoms::IsolateAndTestAtOnce,
            test_since_onset: Some(report("2020-11-19", Negative)),
        }
    );
}

#[test]
fn symptoms_of_a_negligible_contact_still_call_for_isolation_and_a_test() {
    let a = assessed(&november_case(), &ContactExposure::met_on(d("2020-11-09")));
    assert_eq!(a.classification, Classification::Negligible);
    let follow_up = FollowUp {
        symptoms_since: Some(d("2020-11-12")),
        tests: vec![],
    };
    assert!(matches!(
        guidance(&a, &follow_up, d("2020-11-12")),
        Guidance::Symptomatic { since, .. } if since == d("2020-11-12")
    ));
}

#[test]
fn symptoms_or_tests_dated_after_today_are_ignored() {
    let a = colleague();
    let follow_up = FollowUp {
        symptoms_since: Some(d("2020-11-20")),
        tests: vec![report("2020-11-21", Positive)],
    };
    assert!(matches!(
        guidance(&a, &follow_up, d("2020-11-14")),
        Guidance::Quarantine { .. }
    ));
}

#[test]
fn a_positive_test_makes_the_contact_a_case() {
    let a = colleague();
    let follow_up = FollowUp {
        symptoms_since: Some(d("2020-11-13")),
        tests: vec![
            report("2020-11-16", Negative),
            report("2020-11-15", Positive),
            report("2020-11-14", Positive),
        ],
    };
    let g = guidance(&a, &follow_up, d("2020-11-17"));
    assert_eq!(
        g,
        Guidance::TestedPositive {
            sampled_on: d("2020-11-14"),
            symptoms_since: Some(d("2020-11-13")),
        }
    );
    assert_eq!(g.code(), "tested_positive");
}

#[test]
fn a_positive_test_wins_even_for_a_negligible_contact() {
    let a = assessed(&november_case(), &ContactExposure::met_on(d("2020-11-09")));
    assert_eq!(
        guidance(&a, &tests(&[("2020-11-12", Positive)]), d("2020-11-12")),
        Guidance::TestedPositive {
            sampled_on: d("2020-11-12"),
            symptoms_since: None,
        }
    );
}

#[test]
fn a_negative_test_before_the_last_test_day_ends_nothing() {
    let a = colleague();
    let early = tests(&[("2020-11-14", Negative)]);
    let g = guidance(&a, &early, d("2020-11-17"));
    assert_eq!(
        g,
        Guidance::Quarantine {
            last_day: Some(d("2020-11-16")),
            next_test: Some(d("2020-11-16")),
            next_test_overdue: true,
            awaiting_test: true,
            latest_test: Some(report("2020-11-14", Negative)),
            reasons: a.quarantine.clone().expect("at risk").reasons,
        }
    );
}

#[test]
fn a_negative_test_at_the_right_day_ends_the_quarantine_after_its_last_day() {
    let a = colleague();
    let right = tests(&[("2020-11-16", Negative)]);
    // On the last day itself the quarantine still runs.
    assert!(matches!(
        guidance(&a, &right, d("2020-11-16")),
        Guidance::Quarantine {
            next_test: None,
            awaiting_test: false,
            ..
        }
    ));
    let over = Guidance::QuarantineOver {
        ended_on: d("2020-11-16"),
        negative_sampled_on: Some(d("2020-11-16")),
    };
    assert_eq!(guidance(&a, &right, d("2020-11-17")), over);
    assert_eq!(over.code(), "quarantine_over");
    // A late test ends it too, and the quarantine is not made longer.
    let late = tests(&[("2020-11-18", Negative)]);
    assert_eq!(
        guidance(&a, &late, d("2020-11-19")),
        Guidance::QuarantineOver {
            ended_on: d("2020-11-16"),
            negative_sampled_on: Some(d("2020-11-18")),
        }
    );
}

#[test]
fn without_the_test_the_past_quarantine_awaits_it() {
    let a = colleague();
    let g = guidance(&a, &FollowUp::default(), d("2020-11-25"));
    assert!(
        matches!(
            g,
            Guidance::Quarantine { last_day: Some(last), awaiting_test: true, next_test_overdue: true, .. }
                if last == d("2020-11-16")
        ),
        "{g:?}"
    );
}

#[test]
fn a_pending_test_at_the_right_day_awaits_its_result() {
    let a = colleague();
    let pending = tests(&[("2020-11-16", Pending)]);
    let g = guidance(&a, &pending, d("2020-11-17"));
    assert!(
        matches!(
            g,
            Guidance::Quarantine { next_test: None, next_test_overdue: false, awaiting_test: true, latest_test: Some(t), .. }
                if t == report("2020-11-16", Pending)
        ),
        "{g:?}"
    );
    // The result comes: the contact records it as negative.
    let negative = tests(&[("2020-11-16", Pending), ("2020-11-16", Negative)]);
    assert!(matches!(
        guidance(&a, &negative, d("2020-11-17")),
        Guidance::QuarantineOver { .. }
    ));
}

#[test]
fn guidance_serialises_with_its_code() {
    let all = [
        Guidance::GeneralAdvice {
            classification: Classification::Negligible,
            reasons: vec![Reason::NoAtRiskExposure],
        },
        guidance(&colleague(), &FollowUp::default(), d("2020-11-12")),
        Guidance::Symptomatic {
            since: d("2020-11-12"),
            advice: IfSymptoms::IsolateAndTestAtOnce,
            test_since_onset: Some(report("2020-11-12", Pending)),
        },
        Guidance::TestedPositive {
            sampled_on: d("2020-11-12"),
            symptoms_since: None,
        },
        Guidance::QuarantineOver {
            ended_on: d("2020-11-16"),
            negative_sampled_on: None,
        },
    ];
    for g in all {
        let json = serde_json::to_value(&g).expect("serialises");
        assert_eq!(json["code"], g.code(), "{json}");
        let back: Guidance = serde_json::from_value(json).expect("deserialises");
        assert_eq!(back, g);
    }
}

#[test]
fn test_results_have_stable_codes() {
    let codes: Vec<_> = TestResult::ALL.iter().map(|r| r.as_str()).collect();
    assert_eq!(codes, ["negative", "positive", "pending"]);
    assert_eq!(
        serde_json::to_string(&report("2020-11-12", Positive)).expect("serialises"),
        r#"{"sampled_on":"2020-11-12","result":"positive"}"#
    );
    let follow_up: FollowUp = serde_json::from_str("{}").expect("defaults");
    assert_eq!(follow_up, FollowUp::default());
}

// ---------------------------------------------------------------------------
// The plan.

#[test]
fn the_plan_of_a_non_household_contact() {
    let a = colleague();
    let plan = timeline(&a, &FollowUp::default(), d("2020-11-12"));
    let dates: Vec<_> = plan.iter().map(|t| t.date).collect();
    let expected: Vec<_> = crate::dates::days_from(d("2020-11-10"))
        .take_while(|&day| day <= d("2020-11-16"))
        .collect();
    assert_eq!(dates, expected);
    let today: Vec<_> = plan.iter().filter(|t| t.is_today).map(|t| t.date).collect();
    assert_eq!(today, [d("2020-11-12")]);
    assert!(plan.iter().all(|t| t.in_quarantine));
    let last = plan.last().expect("not empty");
    assert!(last.last_day && last.test_day && !last.overdue && !last.test_done);
    assert_eq!(plan.iter().filter(|t| t.test_day || t.last_day).count(), 1);
}

#[test]
fn the_plan_starts_today_when_the_contact_reads_it_early() {
    // A household contact notified during the case's isolation: the plan
    // starts today, not on the day after the counted last contact.
    let mut member = household("2020-11-12");
    member.informed_on = Some(d("2020-11-13"));
    let a = assessed(&november_case(), &member);
    let plan = timeline(&a, &FollowUp::default(), d("2020-11-13"));
    assert_eq!(
        plan.first().map(|t| (t.date, t.is_today)),
        Some((d("2020-11-13"), true))
    );
    assert_eq!(plan.last().map(|t| t.date), Some(d("2020-11-24")));
    assert_eq!(plan.len(), 12);
}

#[test]
fn the_plan_shows_the_day_0_test_overdue_until_done() {
    let a = assessed(&january_case(), &household("2021-01-21"));
    let plan = timeline(&a, &FollowUp::default(), d("2021-01-23"));
    assert_eq!(plan.first().map(|t| t.date), Some(d("2021-01-21")));
    assert_eq!(plan.last().map(|t| t.date), Some(d("2021-02-06")));
    let first = &plan[0];
    assert!(first.test_day && first.overdue && !first.test_done);
    let overdue: Vec<_> = plan.iter().filter(|t| t.overdue).map(|t| t.date).collect();
    assert_eq!(overdue, [d("2021-01-21")]);

    let follow_up = FollowUp {
        symptoms_since: Some(d("2021-01-22")),
        tests: vec![
            report("2021-01-23", Pending),
            report("2021-01-23", Negative),
        ],
    };
    let plan = timeline(&a, &follow_up, d("2021-01-23"));
    assert!(plan[0].test_done && !plan[0].overdue);
    assert_eq!(plan[1].date, d("2021-01-22"));
    assert!(plan[1].symptoms_began);
    assert_eq!(plan[2].recorded_test, Some(Pending));
    assert_eq!(plan.iter().filter(|t| t.recorded_test.is_some()).count(), 1);
    assert_eq!(plan.iter().filter(|t| t.symptoms_began).count(), 1);
}

#[test]
fn the_plan_read_after_its_end_has_no_today() {
    let a = colleague();
    let plan = timeline(&a, &FollowUp::default(), d("2021-03-01"));
    assert_eq!(plan.len(), 7);
    assert!(plan.iter().all(|t| !t.is_today));
    assert!(plan.last().is_some_and(|t| t.test_day && t.overdue));
}

/// An assessment with a quarantine made up, for the bounds of the plan.
fn made_up(counted: &str, last_day: Option<&str>, test_days: &[&str]) -> ContactAssessment {
    ContactAssessment {
        classification: Classification::AtRisk,
        reasons: vec![Reason::Household],
        quarantine: Some(quarantine_of(
            d(counted),
            last_day.map(d),
            test_days.iter().map(|t| d(t)).collect(),
        )),
    }
}

#[test]
fn a_long_plan_is_cut_keeping_today() {
    let a = made_up(
        "2020-11-01",
        Some("2020-12-31"),
        &["2020-11-01", "2020-12-31"],
    );
    let plan = timeline(&a, &FollowUp::default(), d("2020-11-05"));
    assert_eq!(plan.len(), 31);
    assert_eq!(
        plan.first().map(|t| (t.date, t.is_today)),
        Some((d("2020-11-05"), true))
    );
    assert_eq!(plan.last().map(|t| t.date), Some(d("2020-12-05")));
    // Read late: the days before today go first, the end stays.
    let plan = timeline(&a, &FollowUp::default(), d("2020-12-20"));
    assert_eq!(plan.len(), 31);
    assert_eq!(plan.first().map(|t| t.date), Some(d("2020-12-01")));
    assert_eq!(
        plan.last().map(|t| (t.date, t.last_day)),
        Some((d("2020-12-31"), true))
    );
}

#[test]
fn a_quarantine_with_nothing_to_plan_has_an_empty_plan() {
    let a = made_up("2020-11-01", None, &[]);
    assert!(timeline(&a, &FollowUp::default(), d("2020-11-05")).is_empty());
    assert_eq!(
        guidance(&a, &FollowUp::default(), d("2020-11-05")),
        Guidance::QuarantineOver {
            ended_on: d("2020-11-01"),
            negative_sampled_on: None,
        }
    );
    // No test asked for: the day after the last day is enough.
    let a = made_up("2020-11-01", Some("2020-11-08"), &[]);
    assert!(matches!(
        guidance(&a, &FollowUp::default(), d("2020-11-08")),
        Guidance::Quarantine {
            next_test: None,
            awaiting_test: false,
            ..
        }
    ));
    assert!(matches!(
        guidance(&a, &FollowUp::default(), d("2020-11-09")),
        Guidance::QuarantineOver {
            negative_sampled_on: None,
            ..
        }
    ));
}

// ---------------------------------------------------------------------------
// The follow-up forms.

fn today() -> Date {
    d("2020-11-17")
}

fn symptoms(day: &str, month: &str, year: &str) -> Result<Date, Vec<FormError>> {
    parse_symptom_report(day, month, year, today(), d("2020-11-09"))
}

fn test_report(
    day: &str,
    month: &str,
    year: &str,
    result: &str,
) -> Result<TestReport, Vec<FormError>> {
    parse_test_report(day, month, year, result, today(), d("2020-11-09"))
}

fn errors<T: std::fmt::Debug>(
    result: Result<T, Vec<FormError>>,
) -> Vec<(&'static str, &'static str)> {
    result
        .expect_err("refused")
        .into_iter()
        .map(|e| (e.field, e.code))
        .collect()
}

#[test]
fn symptoms_are_dated() {
    assert_eq!(symptoms("13", "11", "2020"), Ok(d("2020-11-13")));
    assert_eq!(symptoms(" 17 ", "11", "2020"), Ok(d("2020-11-17")));
    // 30 days before the last contact is still accepted, 31 is not.
    assert_eq!(symptoms("10", "10", "2020"), Ok(d("2020-10-10")));
    assert_eq!(
        errors(symptoms("9", "10", "2020")),
        [(field::SYMPTOMS_DAY, "symptoms_too_early")]
    );
}

#[test]
fn symptom_date_problems_name_the_field() {
    assert_eq!(
        errors(symptoms("", "", "")),
        [(field::SYMPTOMS_DAY, "date_missing")]
    );
    assert_eq!(
        errors(symptoms("x", "11", "2020")),
        [(field::SYMPTOMS_DAY, "date_day")]
    );
    assert_eq!(
        errors(symptoms("1", "13", "2020")),
        [(field::SYMPTOMS_MONTH, "date_month")]
    );
    assert_eq!(
        errors(symptoms("1", "11", "20x0")),
        [(field::SYMPTOMS_YEAR, "date_year")]
    );
    assert_eq!(
        errors(symptoms("1", "11", "2019")),
        [(field::SYMPTOMS_YEAR, "date_year_range")]
    );
    assert_eq!(
        errors(symptoms("31", "11", "2020")),
        [(field::SYMPTOMS_DAY, "date_not_a_date")]
    );
    assert_eq!(
        errors(symptoms("18", "11", "2020")),
        [(field::SYMPTOMS_DAY, "date_future")]
    );
}

#[test]
fn tests_are_dated_with_a_result() {
    assert_eq!(
        test_report("16", "11", "2020", "negative"),
        Ok(report("2020-11-16", Negative))
    );
    assert_eq!(
        test_report("17", "11", "2020", " pending "),
        Ok(report("2020-11-17", Pending))
    );
    // Three days before the last contact (9 Nov) is accepted, four are not.
    assert_eq!(
        test_report("6", "11", "2020", "positive"),
        Ok(report("2020-11-06", Positive))
    );
    assert_eq!(
        errors(test_report("5", "11", "2020", "positive")),
        [(field::TEST_DAY, "test_too_early")]
    );
}

#[test]
fn test_form_problems_are_all_returned_in_form_order() {
    assert_eq!(
        errors(test_report("", "", "", "")),
        [
            (field::TEST_DAY, "date_missing"),
            (field::TEST_RESULT, "test_result_missing")
        ]
    );
    assert_eq!(
        errors(test_report("16", "14", "2020", "Positif")),
        [
            (field::TEST_MONTH, "date_month"),
            (field::TEST_RESULT, "test_result_unknown")
        ]
    );
    assert_eq!(
        errors(test_report("18", "11", "2020", "negative")),
        [(field::TEST_DAY, "date_future")]
    );
    assert_eq!(
        errors(test_report("16", "11", "2020", " ")),
        [(field::TEST_RESULT, "test_result_missing")]
    );
}

// ---------------------------------------------------------------------------
// Properties.

fn arb_contact(j0: Date) -> impl Strategy<Value = ContactExposure> {
    (
        any::<bool>(),
        subsequence(ExposureKind::ALL.to_vec(), 0..=ExposureKind::ALL.len()),
        subsequence(Protection::ALL.to_vec(), 0..=1),
        -10i64..15,
        prop::sample::select(VaccinationStatus::ALL.to_vec()),
        // A contact reads their page once told, on or after the last contact.
        prop::option::of(0i64..5).prop_map(|n| Some(n.unwrap_or(0))),
    )
        .prop_map(
            move |(household, exposures, protection, last, vaccination, informed)| {
                let mut c = ContactExposure::met_on(add_days(j0, last));
                c.household = household;
                c.exposures = exposures.into_iter().collect();
                c.protection = protection.into_iter().collect();
                c.vaccination = vaccination;
                c.informed_on = informed.map(|n| add_days(c.last_contact, n));
                c
            },
        )
}

/// A follow-up around `from`: symptoms and up to four tests within 25 days.
fn arb_follow_up(from: Date) -> impl Strategy<Value = FollowUp> {
    (
        prop::option::of(-5i64..25),
        prop::collection::vec(
            (-3i64..25, prop::sample::select(TestResult::ALL.to_vec())),
            0..5,
        ),
    )
        .prop_map(move |(symptoms, tests)| FollowUp {
            symptoms_since: symptoms.map(|n| add_days(from, n)),
            tests: tests
                .into_iter()
                .map(|(n, result)| TestReport {
                    sampled_on: add_days(from, n),
                    result,
                })
                .collect(),
        })
}

/// A contact, what they reported, and the day they read the page (on or
/// after their last contact: they are notified after meeting the case).
fn arb_journey() -> impl Strategy<Value = (CaseSituation, ContactExposure, FollowUp, Date)> {
    arb_case()
        .prop_flat_map(|case| {
            let j0 = case.j0();
            (Just(case), arb_contact(j0))
        })
        .prop_flat_map(|(case, contact)| {
            let met = contact.last_contact;
            (Just(case), Just(contact), arb_follow_up(met), 0i64..30)
        })
        .prop_map(|(case, contact, follow_up, read)| {
            let today = add_days(contact.last_contact, read);
            (case, contact, follow_up, today)
        })
}

/// Both shipped sets and one exempting vaccinated contacts.
fn sets_to_test() -> Vec<RuleSet> {
    let mut all: Vec<RuleSet> = RuleSets::embedded().iter().cloned().collect();
    all.push(exempting_set());
    assert!(all.iter().any(|s| s.id == SEPT_2020));
    all
}

fn each_assessment(case: &CaseSituation, contact: &ContactExposure) -> Vec<ContactAssessment> {
    sets_to_test()
        .iter()
        .map(|set| {
            let a: CaseAssessment<'_> = assess_with(set, case);
            a.assess_contact(contact)
        })
        .collect()
}

proptest! {
    #[test]
    fn the_plan_is_contiguous_sorted_and_holds_today(
        (case, contact, follow_up, today) in arb_journey()
    ) {
        for a in each_assessment(&case, &contact) {
            let plan = timeline(&a, &follow_up, today);
            prop_assert_eq!(plan.is_empty(), a.quarantine.is_none());
            prop_assert!(plan.len() as i64 <= MAX_TIMELINE_DAYS);
            for pair in plan.windows(2) {
                prop_assert_eq!(add_days(pair[0].date, 1), pair[1].date);
            }
            if let (Some(first), Some(last)) = (plan.first(), plan.last()) {
                let inside = first.date <= today && today <= last.date;
                let todays = plan.iter().filter(|t| t.is_today).count();
                prop_assert_eq!(todays, usize::from(inside));
                // Read before its end, the plan always shows today.
                let q = a.quarantine.as_ref().expect("a plan has a quarantine");
                let end = q.last_day.max(q.test_days().last().copied()).expect("an end");
                prop_assert_eq!(inside, today <= end);
            }
        }
    }

    #[test]
    fn every_test_day_and_the_last_day_appear_flagged(
        (case, contact, follow_up, today) in arb_journey()
    ) {
        for a in each_assessment(&case, &contact) {
            let Some(q) = &a.quarantine else { continue };
            let plan = timeline(&a, &follow_up, today);
            let flagged: Vec<_> = plan.iter().filter(|t| t.test_day).map(|t| t.date).collect();
            prop_assert_eq!(&flagged, &q.test_days());
            let last: Vec<_> = plan.iter().filter(|t| t.last_day).map(|t| t.date).collect();
            prop_assert_eq!(last, q.last_day.into_iter().collect::<Vec<_>>());
            for t in &plan {
                prop_assert_eq!(t.in_quarantine, q.last_day.is_some_and(|l| t.date <= l));
                prop_assert!(!t.overdue || (t.test_day && t.date < today && !t.test_done));
                prop_assert!(!t.test_done || t.test_day);
            }
        }
    }

    #[test]
    fn a_positive_test_always_wins((case, contact, follow_up, today) in arb_journey()) {
        for a in each_assessment(&case, &contact) {
            let g = guidance(&a, &follow_up, today);
            let first_positive = follow_up
                .tests
                .iter()
                .filter(|t| t.result == Positive && t.sampled_on <= today)
                .map(|t| t.sampled_on)
                .min();
            match first_positive {
                Some(sampled_on) => prop_assert!(
                    matches!(g, Guidance::TestedPositive { sampled_on: s, .. } if s == sampled_on),
                    "{:?}", g
                ),
                None => prop_assert!(!matches!(g, Guidance::TestedPositive { .. }), "{:?}", g),
            }
        }
    }

    #[test]
    fn symptoms_win_over_all_but_a_positive_test((case, contact, follow_up, today) in arb_journey()) {
        for a in each_assessment(&case, &contact) {
            let g = guidance(&a, &follow_up, today);
            let symptomatic = follow_up.symptoms_since.is_some_and(|s| s <= today);
            match g {
                Guidance::TestedPositive { .. } => {}
                Guidance::Symptomatic { since, .. } => {
                    prop_assert!(symptomatic);
                    prop_assert_eq!(Some(since), follow_up.symptoms_since);
                }
                _ => prop_assert!(!symptomatic),
            }
        }
    }

    #[test]
    fn the_quarantine_is_never_over_before_its_last_day_and_the_right_test(
        (case, contact, follow_up, today) in arb_journey()
    ) {
        for a in each_assessment(&case, &contact) {
            let g = guidance(&a, &follow_up, today);
            if let Guidance::QuarantineOver { ended_on, negative_sampled_on } = g {
                let q = a.quarantine.as_ref().expect("over means there was a quarantine");
                prop_assert!(today > ended_on);
                let last_test = q.deciding_test_day().expect("shipped sets have tests");
                match negative_sampled_on {
                    // Without the negative test, only a quarantine the rule
                    // set extends is over, after the extension.
                    None => prop_assert_eq!(Some(ended_on), q.last_day_without_test),
                    Some(negative) => {
                        if let Some(last_day) = q.last_day {
                            prop_assert_eq!(ended_on, last_day);
                        }
                        prop_assert!(today > last_test);
                        prop_assert!(negative >= last_test && negative <= today);
                        let recorded = TestReport { sampled_on: negative, result: Negative };
                        prop_assert!(follow_up.tests.contains(&recorded), "{:?}", recorded);
                    }
                }
            }
        }
    }

    #[test]
    fn without_symptoms_or_positive_the_classification_decides(
        (case, contact, mut follow_up, today) in arb_journey()
    ) {
        follow_up.symptoms_since = None;
        follow_up.tests.retain(|t| t.result != Positive);
        for a in each_assessment(&case, &contact) {
            let g = guidance(&a, &follow_up, today);
            match &a.quarantine {
                None => prop_assert_eq!(g, Guidance::GeneralAdvice {
                    classification: a.classification,
                    reasons: a.reasons.clone(),
                }),
                Some(q) => match g {
                    Guidance::Quarantine { last_day, next_test, next_test_overdue, awaiting_test, .. } => {
                        // The last day, or the extended one once it is past
                        // without the negative test that ends it.
                        let extended = q.last_day.is_some_and(|l| today > l)
                            && last_day == q.last_day_without_test;
                        prop_assert!(last_day == q.last_day || extended);
                        if let Some(next) = next_test {
                            prop_assert!(q.test_days().contains(&next));
                            prop_assert!(!follow_up.tests.iter().any(|t| t.sampled_on >= next && t.sampled_on <= today));
                            prop_assert_eq!(next_test_overdue, next < today);
                        } else {
                            prop_assert!(!next_test_overdue);
                        }
                        let end = q.last_day.or(q.test_days().last().copied()).expect("an end");
                        prop_assert_eq!(awaiting_test, today > end);
                    }
                    Guidance::QuarantineOver { .. } => {}
                    other => prop_assert!(false, "unexpected {:?}", other),
                },
            }
        }
    }

    #[test]
    fn arbitrary_quarantines_give_bounded_plans(
        counted in 0i64..400,
        last in prop::option::of(-5i64..200),
        test_days in prop::collection::vec(-10i64..200, 0..4),
        read in -100i64..400,
        follow_up in arb_follow_up(base()),
    ) {
        let counted = add_days(base(), counted);
        let a = ContactAssessment {
            classification: Classification::AtRisk,
            reasons: vec![],
            quarantine: Some(quarantine_of(
                counted,
                last.map(|n| add_days(counted, n)),
                test_days.iter().map(|&n| add_days(counted, n)).collect(),
            )),
        };
        let today = add_days(base(), read);
        let plan = timeline(&a, &follow_up, today);
        prop_assert!(plan.len() as i64 <= MAX_TIMELINE_DAYS);
        for pair in plan.windows(2) {
            prop_assert_eq!(add_days(pair[0].date, 1), pair[1].date);
        }
        let q = a.quarantine.as_ref().expect("made with one");
        let end = q.last_day.max(q.test_days().iter().max().copied());
        if let (Some(end), false) = (end, plan.is_empty()) {
            let todays = plan.iter().filter(|t| t.is_today).count();
            prop_assert_eq!(todays, usize::from(today <= end));
        }
        // And the guidance never panics, nor ends before the end.
        if let Guidance::QuarantineOver { ended_on, .. } = guidance(&a, &follow_up, today) {
            prop_assert!(today > ended_on);
        }
    }

    #[test]
    fn the_forms_never_panic_and_name_known_fields(
        day in ".{0,6}", month in ".{0,6}", year in ".{0,6}", result in ".{0,10}",
        read in 0i64..60,
    ) {
        let last_contact = d("2020-11-09");
        let today = add_days(last_contact, read);
        match parse_symptom_report(&day, &month, &year, today, last_contact) {
            Ok(date) => prop_assert!(date <= today && date >= add_days(last_contact, -MAX_SYMPTOMS_BEFORE_LAST_CONTACT_DAYS)),
            Err(errors) => {
                prop_assert_eq!(errors.len(), 1);
                prop_assert!(errors.iter().all(|e| field::ALL[..3].contains(&e.field)));
            }
        }
        match parse_test_report(&day, &month, &year, &result, today, last_contact) {
            Ok(t) => {
                prop_assert!(t.sampled_on <= today && t.sampled_on >= add_days(last_contact, -MAX_TEST_BEFORE_LAST_CONTACT_DAYS));
                prop_assert_eq!(t.result.as_str(), result.trim());
            }
            Err(errors) => {
                prop_assert!(!errors.is_empty() && errors.len() <= 2);
                prop_assert!(errors.iter().all(|e| field::ALL[3..].contains(&e.field)));
            }
        }
    }

    #[test]
    fn every_date_in_the_bounds_is_accepted(
        back in 0i64..=(MAX_TEST_BEFORE_LAST_CONTACT_DAYS + 20),
        read in 0i64..20,
        result in prop::sample::select(TestResult::ALL.to_vec()),
    ) {
        let last_contact = d("2020-12-30");
        let today = add_days(last_contact, read);
        let date = add_days(today, -back);
        let (dd, mm, yy) = (date.day().to_string(), crate::dates::month_number(date).to_string(), date.year().to_string());
        let parsed = parse_test_report(&dd, &mm, &yy, result.as_str(), today, last_contact);
        if date >= add_days(last_contact, -MAX_TEST_BEFORE_LAST_CONTACT_DAYS) {
            prop_assert_eq!(parsed, Ok(TestReport { sampled_on: date, result }));
        } else {
            prop_assert_eq!(parsed, Err(vec![FormError::new(field::TEST_DAY, "test_too_early")]));
        }
        prop_assert_eq!(parse_symptom_report(&dd, &mm, &yy, today, last_contact), Ok(date));
    }
}
