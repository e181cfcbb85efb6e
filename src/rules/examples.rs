//! Worked examples for every shipped rule set, from the published rules
//! (domain.md, "The rules over time"). Every expected date was computed by
//! hand (J0 + isolation days, last contact + 7, day informed + 2...), not
//! by the code under test. Each set has household, vaccinated, not
//! vaccinated, immunocompromised, child and informed-late examples, and the
//! case's early release where the set has one.

use super::*;
use crate::situation::{AgeBand, ReleaseTest, TestResult, VaccinationStatus};
use crate::RuleSets;

fn d(s: &str) -> Date {
    crate::dates::parse_iso(s).expect("example date")
}

/// A case with symptoms from `onset`, sampled the next day... or as given.
fn case(onset: Option<&str>, sample: &str) -> CaseSituation {
    CaseSituation::new(onset.map(d), d(sample))
}

fn vaccinated_case(onset: &str, sample: &str, last_dose: &str) -> CaseSituation {
    let mut c = case(Some(onset), sample);
    c.vaccination = VaccinationStatus::FullyVaccinated;
    c.last_dose = Some(d(last_dose));
    c
}

/// A face-to-face contact met on `last_contact`, told on `informed`.
fn contact(last_contact: &str, informed: Option<&str>) -> ContactExposure {
    let mut c = ContactExposure::met_on(d(last_contact));
    c.exposures.insert(crate::ExposureKind::FaceToFace);
    c.informed_on = informed.map(d);
    c
}

fn household(last_contact: &str, informed: Option<&str>) -> ContactExposure {
    let mut c = ContactExposure::met_on(d(last_contact));
    c.household = true;
    c.informed_on = informed.map(d);
    c
}

fn vaccinated(mut c: ContactExposure, last_dose: &str) -> ContactExposure {
    c.vaccination = VaccinationStatus::FullyVaccinated;
    c.last_dose = Some(d(last_dose));
    c
}

fn child(mut c: ContactExposure) -> ContactExposure {
    c.age_band = AgeBand::Under12;
    c.minor = true;
    c
}

fn immunocompromised(mut c: ContactExposure) -> ContactExposure {
    c.immunocompromised = true;
    c
}

/// What a contact at risk is told.
struct Expect {
    profile: Option<&'static str>,
    quarantine: Option<&'static str>,
    without_test: Option<&'static str>,
    /// `"2021-03-03 lab"`, or `"told+2 self_test"` before the day informed
    /// is known.
    tests: &'static [&'static str],
    sworn: bool,
}

const fn quarantine(last_day: &'static str, tests: &'static [&'static str]) -> Expect {
    Expect {
        profile: None,
        quarantine: Some(last_day),
        without_test: None,
        tests,
        sworn: false,
    }
}

const fn no_quarantine(profile: Option<&'static str>, tests: &'static [&'static str]) -> Expect {
    Expect {
        profile,
        quarantine: None,
        without_test: None,
        tests,
        sworn: false,
    }
}

fn written(t: &PlannedTest) -> String {
    match t.date {
        Some(date) => format!("{} {}", crate::dates::iso(date), t.kind),
        None => format!("told+{} {}", t.day, t.kind),
    }
}

#[track_caller]
fn check(set: &str, case: &CaseSituation, contact: &ContactExposure, expect: Expect) {
    let sets = RuleSets::embedded();
    let assessment = assess(&sets, case);
    assert_eq!(assessment.rule_set().id, set);
    let result = assessment.assess_contact(contact);
    assert_eq!(result.classification, Classification::AtRisk);
    let q = result.quarantine.clone().expect("at risk: measures");
    assert_eq!(q.profile.as_deref(), expect.profile, "profile");
    assert_eq!(
        q.last_day,
        expect.quarantine.map(d),
        "quarantine's last day"
    );
    assert_eq!(
        q.last_day_without_test,
        expect.without_test.map(d),
        "without the test"
    );
    let tests: Vec<String> = q.tests.iter().map(written).collect();
    assert_eq!(tests, expect.tests, "tests");
    assert_eq!(q.sworn_statement, expect.sworn, "sworn statement");
    let audience = if expect.quarantine.is_some() {
        Audience::AtRiskContact
    } else {
        Audience::ContactNoQuarantine
    };
    assert_eq!(result.audience(), audience);
}

/// September 2020. Case: onset Tue 10 Nov 2020, sample 12 Nov → window
/// 8..12 Nov, isolation until 17 Nov (J0 + 7), 19 Nov with fever.
#[test]
fn september_2020() {
    let sets = RuleSets::embedded();
    let c = case(Some("2020-11-10"), "2020-11-12");
    let a = assess(&sets, &c);
    assert_eq!(
        (a.window.start, a.window.end),
        (d("2020-11-08"), d("2020-11-12"))
    );
    assert_eq!(
        (a.isolation.last_day, a.isolation.last_day_if_fever),
        (d("2020-11-17"), d("2020-11-19"))
    );
    assert_eq!(a.isolation.early_release, None);
    const PLAIN: Expect = quarantine("2020-11-16", &["2020-11-16 lab"]);
    // Face to face on 9 Nov: until 16 Nov, tested that day.
    check(
        "2020-09",
        &c,
        &contact("2020-11-09", Some("2020-11-13")),
        PLAIN,
    );
    // Household: last contact counts as 17 Nov → until 24 Nov; also tested at once.
    check(
        "2020-09",
        &c,
        &household("2020-11-12", Some("2020-11-13")),
        quarantine("2020-11-24", &["2020-11-13 lab", "2020-11-24 lab"]),
    );
    // The same before being told (the case's preview).
    check(
        "2020-09",
        &c,
        &household("2020-11-12", None),
        quarantine("2020-11-24", &["told+0 lab", "2020-11-24 lab"]),
    );
    // Informed late (3 days after the last contact): the same dates.
    check(
        "2020-09",
        &c,
        &contact("2020-11-09", Some("2020-11-12")),
        PLAIN,
    );
    // Vaccination, immunodepression and age are not in this set's rules.
    check(
        "2020-09",
        &c,
        &vaccinated(contact("2020-11-09", Some("2020-11-13")), "2020-09-01"),
        PLAIN,
    );
    check(
        "2020-09",
        &c,
        &immunocompromised(contact("2020-11-09", Some("2020-11-13"))),
        PLAIN,
    );
    check(
        "2020-09",
        &c,
        &child(contact("2020-11-09", Some("2020-11-13"))),
        PLAIN,
    );
    // No early release in this set, whatever the case records.
    let mut released = c.clone();
    released.release_test = Some(ReleaseTest {
        sampled_on: d("2020-11-15"),
        result: TestResult::Negative,
        symptom_free_48h: true,
    });
    let a = assess(&sets, &released);
    assert_eq!(
        (a.isolation.ends_on(), a.isolation.early_release),
        (d("2020-11-17"), None)
    );
    // Before 11 September 2020 (14 days then), the earliest set still applies.
    assert_eq!(
        assess(&sets, &case(None, "2020-08-01")).rule_set().id,
        "2020-09"
    );
}

/// February 2021. Case: onset Mon 1 Mar 2021, sample 2 Mar → window
/// 27 Feb..2 Mar, isolation until 11 Mar (J0 + 10), 13 Mar with fever.
#[test]
fn february_2021() {
    let sets = RuleSets::embedded();
    let c = case(Some("2021-03-01"), "2021-03-02");
    let a = assess(&sets, &c);
    assert_eq!(
        (a.window.start, a.window.end),
        (d("2021-02-27"), d("2021-03-02"))
    );
    assert_eq!(
        (a.isolation.last_day, a.isolation.last_day_if_fever),
        (d("2021-03-11"), d("2021-03-13"))
    );
    const PLAIN: Expect = Expect {
        profile: None,
        quarantine: Some("2021-03-08"),
        without_test: Some("2021-03-15"),
        tests: &["2021-03-03 lab", "2021-03-08 lab"],
        sworn: false,
    };
    // Tested at once when told (3 Mar) and on day 7 (8 Mar); without a
    // negative last test, 7 more days (J14 of the last contact).
    check(
        "2021-02",
        &c,
        &contact("2021-03-01", Some("2021-03-03")),
        PLAIN,
    );
    // Household: J17 (18 Mar) and, without the test, J24 (25 Mar).
    check(
        "2021-02",
        &c,
        &household("2021-03-02", Some("2021-03-03")),
        Expect {
            profile: None,
            quarantine: Some("2021-03-18"),
            without_test: Some("2021-03-25"),
            tests: &["2021-03-03 lab", "2021-03-18 lab"],
            sworn: false,
        },
    );
    // Told 3 days after the last contact (28 Feb → 3 Mar): the test at
    // once is on the day told, never in the past.
    check(
        "2021-02",
        &c,
        &contact("2021-02-28", Some("2021-03-03")),
        Expect {
            profile: None,
            quarantine: Some("2021-03-07"),
            without_test: Some("2021-03-14"),
            tests: &["2021-03-03 lab", "2021-03-07 lab"],
            sworn: false,
        },
    );
    // Before being told.
    check(
        "2021-02",
        &c,
        &contact("2021-03-01", None),
        Expect {
            tests: &["told+0 lab", "2021-03-08 lab"],
            ..PLAIN
        },
    );
    // Vaccination, immunodepression and age are not in this set's rules.
    check(
        "2021-02",
        &c,
        &vaccinated(contact("2021-03-01", Some("2021-03-03")), "2021-01-20"),
        PLAIN,
    );
    check(
        "2021-02",
        &c,
        &immunocompromised(contact("2021-03-01", Some("2021-03-03"))),
        PLAIN,
    );
    check(
        "2021-02",
        &c,
        &child(contact("2021-03-01", Some("2021-03-03"))),
        PLAIN,
    );
}

/// July 2021. Case: no symptoms, sample Fri 10 Sep 2021 → window
/// 3..10 Sep, isolation until 20 Sep.
#[test]
fn july_2021() {
    let sets = RuleSets::embedded();
    let c = case(None, "2021-09-10");
    let a = assess(&sets, &c);
    assert_eq!(
        (a.window.start, a.window.end),
        (d("2021-09-03"), d("2021-09-10"))
    );
    assert_eq!(a.isolation.last_day, d("2021-09-20"));
    const HIGH: Expect = Expect {
        profile: None,
        quarantine: Some("2021-09-15"),
        without_test: Some("2021-09-22"),
        tests: &["2021-09-11 lab", "2021-09-15 lab"],
        sworn: false,
    };
    const MODERATE: Expect =
        no_quarantine(Some("moderate_risk"), &["2021-09-11 lab", "2021-09-15 lab"]);
    let met = || contact("2021-09-08", Some("2021-09-11"));
    // Not vaccinated, or not said: high risk, quarantine as in February.
    check("2021-07", &c, &met(), HIGH);
    let mut refused = met();
    refused.vaccination = VaccinationStatus::NotVaccinated;
    check("2021-07", &c, &refused, HIGH);
    // Schedule complete since June: moderate risk, no quarantine, the
    // same tests, a mask in public places.
    check("2021-07", &c, &vaccinated(met(), "2021-06-01"), MODERATE);
    let sets2 = RuleSets::embedded();
    let advice = assess(&sets2, &c)
        .assess_contact(&vaccinated(met(), "2021-06-01"))
        .quarantine
        .expect("measures")
        .advice;
    assert_eq!(
        advice,
        [
            crate::doctrine::Advice::MaskInPublic,
            crate::doctrine::Advice::FewerContacts
        ]
    );
    // Last dose 3 Sep: counts from 10 Sep, after the last contact (8 Sep).
    check("2021-07", &c, &vaccinated(met(), "2021-09-03"), HIGH);
    check("2021-07", &c, &vaccinated(met(), "2021-09-01"), MODERATE);
    // A single-dose vaccine counts after 28 days: 20 Aug → 17 Sep; 10 Aug → 7 Sep.
    let mut single = vaccinated(met(), "2021-08-20");
    single.single_dose = true;
    check("2021-07", &c, &single, HIGH);
    single.last_dose = Some(d("2021-08-10"));
    check("2021-07", &c, &single, MODERATE);
    // Severely immunocompromised: high risk, whatever the doses.
    check(
        "2021-07",
        &c,
        &immunocompromised(vaccinated(met(), "2021-06-01")),
        HIGH,
    );
    // Household: tests at once and 7 days after the end of the case's
    // isolation (27 Sep); quarantine until then unless vaccinated.
    check(
        "2021-07",
        &c,
        &vaccinated(household("2021-09-10", Some("2021-09-11")), "2021-06-01"),
        no_quarantine(Some("moderate_risk"), &["2021-09-11 lab", "2021-09-27 lab"]),
    );
    check(
        "2021-07",
        &c,
        &household("2021-09-10", Some("2021-09-11")),
        Expect {
            profile: None,
            quarantine: Some("2021-09-27"),
            without_test: Some("2021-10-04"),
            tests: &["2021-09-11 lab", "2021-09-27 lab"],
            sworn: false,
        },
    );
    // A child: age is not in this set's rules.
    check("2021-07", &c, &child(met()), HIGH);
    // Told 3 days after the last contact (6 → 9 Sep).
    check(
        "2021-07",
        &c,
        &contact("2021-09-06", Some("2021-09-09")),
        Expect {
            profile: None,
            quarantine: Some("2021-09-13"),
            without_test: Some("2021-09-20"),
            tests: &["2021-09-09 lab", "2021-09-13 lab"],
            sworn: false,
        },
    );
}

/// January 2022. Case: onset Mon 10 Jan 2022, sample 11 Jan. Not
/// vaccinated: until 20 Jan (J0 + 10), out on day 7 (17 Jan) with a
/// negative test; vaccinated or under 12: until 17 Jan, out on day 5 (15 Jan).
#[test]
fn january_2022() {
    let sets = RuleSets::embedded();
    let c = case(Some("2022-01-10"), "2022-01-11");
    let a = assess(&sets, &c);
    assert_eq!(a.isolation.last_day, d("2022-01-20"));
    assert_eq!(a.isolation.profile, None);
    assert_eq!(
        a.isolation.early_release.map(|e| e.from),
        Some(d("2022-01-17"))
    );
    const TOLD_TESTS: &[&str] = &[
        "2022-01-12 lab",
        "2022-01-14 self_test",
        "2022-01-16 self_test",
    ];
    const VACCINATED: Expect = no_quarantine(Some("vaccinated"), TOLD_TESTS);
    const ADULT: Expect = Expect {
        profile: None,
        quarantine: Some("2022-01-17"),
        without_test: None,
        tests: &["2022-01-17 lab"],
        sworn: false,
    };
    let met = || contact("2022-01-10", Some("2022-01-12"));
    // Vaccinated adult: no quarantine; antigen or PCR at once, self-tests
    // on day 2 and day 4 after it.
    check("2022-01", &c, &vaccinated(met(), "2021-12-01"), VACCINATED);
    // Not vaccinated (or not said), from 12: quarantine until 17 Jan, a test that day.
    check("2022-01", &c, &met(), ADULT);
    let mut teen = met();
    teen.age_band = AgeBand::From12To17;
    check("2022-01", &c, &teen, ADULT);
    // Immunocompromised: treated as not vaccinated.
    check(
        "2022-01",
        &c,
        &immunocompromised(vaccinated(met(), "2021-12-01")),
        ADULT,
    );
    // A child under 12: no quarantine, the same tests, a sworn statement.
    check(
        "2022-01",
        &c,
        &child(met()),
        Expect {
            profile: Some("child"),
            sworn: true,
            ..VACCINATED
        },
    );
    // Household, not vaccinated: 7 days after the case's isolation (20 → 27 Jan).
    check(
        "2022-01",
        &c,
        &household("2022-01-11", Some("2022-01-12")),
        quarantine("2022-01-27", &["2022-01-27 lab"]),
    );
    // Told 3 days after the last contact (9 → 12 Jan): tests from the day told.
    check(
        "2022-01",
        &c,
        &vaccinated(contact("2022-01-09", Some("2022-01-12")), "2021-12-01"),
        VACCINATED,
    );
    // Before being told: "on the day told", then 2 and 4 days after.
    check(
        "2022-01",
        &c,
        &vaccinated(contact("2022-01-10", None), "2021-12-01"),
        no_quarantine(
            Some("vaccinated"),
            &["told+0 lab", "told+2 self_test", "told+4 self_test"],
        ),
    );
    // Household of a vaccinated case (isolation until 17 Jan): until 24 Jan.
    let vc = vaccinated_case("2022-01-10", "2022-01-11", "2021-12-01");
    check(
        "2022-01",
        &vc,
        &household("2022-01-11", Some("2022-01-12")),
        quarantine("2022-01-24", &["2022-01-24 lab"]),
    );
}

fn release(
    c: &CaseSituation,
    sampled: &str,
    result: TestResult,
    symptom_free: bool,
) -> CaseIsolation {
    let mut c = c.clone();
    c.release_test = Some(ReleaseTest {
        sampled_on: d(sampled),
        result,
        symptom_free_48h: symptom_free,
    });
    assess(&RuleSets::embedded(), &c).isolation
}

#[test]
fn january_2022_early_release_of_the_case() {
    use ReleaseDecision::{AfterEnd, Released, Symptoms, TooEarly};
    use TestResult::{Negative, Pending, Positive};
    let vc = vaccinated_case("2022-01-10", "2022-01-11", "2021-12-01");
    let full = assess(&RuleSets::embedded(), &vc).isolation;
    assert_eq!(
        (full.last_day, full.profile.as_deref()),
        (d("2022-01-17"), Some("vaccinated"))
    );
    let offer = full.early_release.expect("early release");
    assert_eq!(
        (offer.from, offer.symptom_free_hours, offer.decision),
        (d("2022-01-15"), 48, None)
    );
    // Negative on day 5, no symptoms for 48 h: out that day.
    let i = release(&vc, "2022-01-15", Negative, true);
    assert_eq!(
        (i.ends_on(), i.early_release.and_then(|e| e.decision)),
        (
            d("2022-01-15"),
            Some(Released {
                on: d("2022-01-15")
            })
        )
    );
    // Day 6 is fine too.
    assert_eq!(
        release(&vc, "2022-01-16", Negative, true).ends_on(),
        d("2022-01-16")
    );
    // Too early, positive, pending, symptoms: the full length stays.
    let kept = |i: CaseIsolation| (i.ends_on(), i.early_release.and_then(|e| e.decision));
    assert_eq!(
        kept(release(&vc, "2022-01-14", Negative, true)),
        (
            d("2022-01-17"),
            Some(TooEarly {
                from: d("2022-01-15")
            })
        )
    );
    assert_eq!(
        kept(release(&vc, "2022-01-15", Positive, true)),
        (d("2022-01-17"), Some(ReleaseDecision::Positive))
    );
    assert_eq!(
        kept(release(&vc, "2022-01-15", Pending, true)),
        (d("2022-01-17"), Some(ReleaseDecision::Pending))
    );
    assert_eq!(
        kept(release(&vc, "2022-01-15", Negative, false)),
        (d("2022-01-17"), Some(Symptoms))
    );
    assert_eq!(
        kept(release(&vc, "2022-01-18", Negative, true)),
        (d("2022-01-17"), Some(AfterEnd))
    );
    // Not vaccinated: day 7 (17 Jan) of 10.
    let c = case(Some("2022-01-10"), "2022-01-11");
    assert_eq!(
        kept(release(&c, "2022-01-15", Negative, true)),
        (
            d("2022-01-20"),
            Some(TooEarly {
                from: d("2022-01-17")
            })
        )
    );
    assert_eq!(
        release(&c, "2022-01-17", Negative, true).ends_on(),
        d("2022-01-17")
    );
    // A child under 12 isolates like the vaccinated.
    let mut kid = c.clone();
    kid.age_band = AgeBand::Under12;
    let i = release(&kid, "2022-01-15", Negative, true);
    assert_eq!(
        (i.last_day, i.profile.as_deref(), i.ends_on()),
        (d("2022-01-17"), Some("child"), d("2022-01-15"))
    );
    // A last dose after J0 - 7 does not count yet: 10 days.
    let recent = vaccinated_case("2022-01-10", "2022-01-11", "2022-01-05");
    assert_eq!(
        assess(&RuleSets::embedded(), &recent).isolation.last_day,
        d("2022-01-20")
    );
}

/// March 2022. Case: onset Mon 4 Apr 2022, sample 5 Apr: until 14 Apr,
/// out on 11 Apr with a negative test (not vaccinated).
#[test]
fn march_2022() {
    let sets = RuleSets::embedded();
    let c = case(Some("2022-04-04"), "2022-04-05");
    let a = assess(&sets, &c);
    assert_eq!(a.isolation.last_day, d("2022-04-14"));
    const ONE_TEST: Expect = no_quarantine(None, &["2022-04-08 any"]);
    // No quarantine for anyone; one test on day 2 after being told.
    check(
        "2022-03",
        &c,
        &contact("2022-04-04", Some("2022-04-06")),
        ONE_TEST,
    );
    check(
        "2022-03",
        &c,
        &household("2022-04-05", Some("2022-04-06")),
        ONE_TEST,
    );
    check(
        "2022-03",
        &c,
        &vaccinated(contact("2022-04-04", Some("2022-04-06")), "2022-01-01"),
        ONE_TEST,
    );
    check(
        "2022-03",
        &c,
        &immunocompromised(contact("2022-04-04", Some("2022-04-06"))),
        ONE_TEST,
    );
    check(
        "2022-03",
        &c,
        &child(contact("2022-04-04", Some("2022-04-06"))),
        ONE_TEST,
    );
    // Told 3 days after (3 → 6 Apr): still day 2 after being told.
    check(
        "2022-03",
        &c,
        &contact("2022-04-03", Some("2022-04-06")),
        ONE_TEST,
    );
    check(
        "2022-03",
        &c,
        &contact("2022-04-04", None),
        no_quarantine(None, &["told+2 any"]),
    );
    let q = a
        .assess_contact(&contact("2022-04-04", None))
        .quarantine
        .expect("measures");
    assert_eq!(q.advice, [crate::doctrine::Advice::MaskIndoors7Days]);
    // The case's early release, as in January.
    let vc = vaccinated_case("2022-04-04", "2022-04-05", "2022-01-01");
    assert_eq!(
        release(&vc, "2022-04-09", TestResult::Negative, true).ends_on(),
        d("2022-04-09")
    );
}

#[test]
fn classification_reasons_name_the_rule_set_last() {
    let sets = RuleSets::embedded();
    let c = case(Some("2020-11-10"), "2020-11-12");
    let a = assess(&sets, &c);
    let codes = |contact: &ContactExposure| {
        a.assess_contact(contact)
            .reasons
            .iter()
            .map(Reason::code)
            .collect::<Vec<_>>()
    };
    assert_eq!(
        codes(&contact("2020-11-09", None)),
        ["exposure", "rule_set"]
    );
    let mut masked = contact("2020-11-10", None);
    masked.protection.insert(crate::Protection::ContactMask);
    assert_eq!(codes(&masked), ["neutralised_by", "rule_set"]);
    let mut home = household("2020-11-12", None);
    home.protection.insert(crate::Protection::CaseMask);
    assert_eq!(
        codes(&home),
        ["household", "protection_ignored_at_home", "rule_set"]
    );
    assert_eq!(
        codes(&contact("2020-11-07", None)),
        ["outside_window", "rule_set"]
    );
    assert_eq!(
        codes(&ContactExposure::met_on(d("2020-11-10"))),
        ["no_at_risk_exposure", "rule_set"]
    );
    // The measures' reasons say the profile and the missing quarantine.
    let jan = case(Some("2022-01-10"), "2022-01-11");
    let q = assess(&sets, &jan)
        .assess_contact(&vaccinated(contact("2022-01-10", None), "2021-12-01"))
        .quarantine
        .expect("measures");
    let codes: Vec<_> = q.reasons.iter().map(Reason::code).collect();
    assert_eq!(codes, ["contact_profile", "no_quarantine"]);
}

#[test]
fn rights_follow_the_classification_and_the_quarantine() {
    let sets = RuleSets::embedded();
    let ids = |c: &CaseSituation, contact: &ContactExposure| {
        let assessment = assess(&sets, c);
        let result = assessment.assess_contact(contact);
        assessment
            .contact_rights(&result)
            .map(|r| r.id.as_str())
            .collect::<Vec<_>>()
    };
    let c = case(None, "2020-11-12");
    assert_eq!(
        ids(&c, &ContactExposure::met_on(d("2020-11-10"))),
        ["free_test"]
    );
    assert_eq!(
        ids(&c, &household("2020-11-10", None)),
        ["sick_leave", "free_masks", "free_test", "isolation_support"]
    );
    // No quarantine: no sick leave, still the free test and masks.
    let jan = case(Some("2022-01-10"), "2022-01-11");
    assert_eq!(
        ids(&jan, &vaccinated(contact("2022-01-10", None), "2021-12-01")),
        ["free_masks", "free_test"]
    );
    let case_rights: Vec<_> = assess(&sets, &c)
        .case_rights()
        .map(|r| r.id.as_str())
        .collect();
    assert_eq!(
        case_rights,
        ["sick_leave", "free_masks", "isolation_support"]
    );
}

#[test]
fn a_newer_set_that_would_change_the_instructions_is_named() {
    let sets = RuleSets::embedded();
    // July 2021: an unvaccinated colleague quarantines; under March 2022 (in
    // force from 21 March 2022) nobody does.
    let c = case(None, "2021-09-10");
    let met = contact("2021-09-08", Some("2021-09-11"));
    let newer = newer_set_would_change(&sets, &c, &met, d("2022-04-01"));
    assert_eq!(newer.map(|s| s.id.as_str()), Some("2022-03"));
    // Still under the set of J0: nothing to say.
    assert!(newer_set_would_change(&sets, &c, &met, d("2021-09-20")).is_none());
    // A negligible contact is told the same under both: nothing to say.
    let mut masked = met.clone();
    masked.protection.insert(crate::Protection::ContactMask);
    assert!(newer_set_would_change(&sets, &c, &masked, d("2022-04-01")).is_none());
}

#[test]
fn the_operator_may_apply_a_newer_set_to_follow_ups_in_progress() {
    use crate::doctrine::OnNewerRules;
    use crate::rules::assess_on;
    let c = case(None, "2021-09-10");
    let met = contact("2021-09-08", Some("2021-09-11"));
    let later = d("2022-04-01");
    // The default keeps the set of J0, whatever the day.
    let kept = RuleSets::embedded();
    assert_eq!(kept.on_newer(), OnNewerRules::Keep);
    assert_eq!(assess_on(&kept, &c, later).rule_set().id, "2021-07");
    let under_j0 = assess_on(&kept, &c, later).assess_contact(&met);
    assert!(under_j0
        .quarantine
        .as_ref()
        .is_some_and(|q| q.last_day.is_some()));
    // Applied: from the day March 2022 is in force, its instructions (no
    // quarantine) replace July 2021's; the page has no newer set to name.
    let applied = RuleSets::embedded().with_on_newer(OnNewerRules::Apply);
    assert_eq!(assess_on(&applied, &c, later).rule_set().id, "2022-03");
    let now = assess_on(&applied, &c, later).assess_contact(&met);
    assert!(now
        .quarantine
        .as_ref()
        .is_some_and(|q| q.last_day.is_none()));
    assert!(newer_set_would_change(&applied, &c, &met, later).is_none());
    // Before the newer set takes effect, nothing changes.
    assert_eq!(
        assess_on(&applied, &c, d("2021-09-20")).rule_set().id,
        "2021-07"
    );
    // An older set in force "today" (a J0 in the future of today) never
    // replaces the J0's.
    assert_eq!(
        assess_on(&applied, &c, d("2021-01-01")).rule_set().id,
        "2021-07"
    );
    assert_eq!("apply".parse::<OnNewerRules>(), Ok(OnNewerRules::Apply));
    assert_eq!("keep".parse::<OnNewerRules>(), Ok(OnNewerRules::Keep));
    assert!("latest".parse::<OnNewerRules>().is_err());
}
