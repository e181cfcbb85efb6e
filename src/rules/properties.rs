//! Properties the rules keep for every input, checked with proptest over
//! every shipped rule set (cases from mid-2020 to mid-2022).

use super::*;
use crate::dates::add_days;
use crate::doctrine::{Anchor, Fact};
use crate::situation::{
    AgeBand, ExposureKind, Protection, ReleaseTest, TestResult, VaccinationStatus,
};
use crate::RuleSets;
use proptest::prelude::*;
use proptest::sample::subsequence;
use std::collections::BTreeSet;

/// The first day of the generated cases (shared with other modules' proptests).
pub(crate) fn base() -> Date {
    crate::dates::ymd(2020, 6, 1).unwrap_or(Date::MIN)
}

/// Any case: a sample in 25 months from [`base`] (every shipped set),
/// with or without an onset around it, with or without an isolation start,
/// any vaccination, age band and test to end isolation early.
pub(crate) fn arb_case() -> impl Strategy<Value = CaseSituation> {
    (
        (
            0i64..760,
            prop::option::of(-10i64..10),
            prop::option::of(0i64..6),
        ),
        (
            prop::sample::select(VaccinationStatus::ALL.to_vec()),
            prop::option::of(-100i64..10),
            prop::sample::select(AgeBand::ALL.to_vec()),
            prop::option::of((
                0i64..12,
                prop::sample::select(TestResult::ALL.to_vec()),
                any::<bool>(),
            )),
        ),
    )
        .prop_map(
            |((sample, onset_gap, isolation_after_j0), (vaccination, dose, age_band, test))| {
                let sample_date = add_days(base(), sample);
                let symptom_onset = onset_gap.map(|g| add_days(sample_date, g));
                let j0 = symptom_onset.unwrap_or(sample_date);
                CaseSituation {
                    symptom_onset,
                    sample_date,
                    isolation_start: isolation_after_j0.map(|n| add_days(j0, n)),
                    vaccination,
                    last_dose: dose.map(|n| add_days(j0, n)),
                    age_band,
                    release_test: test.map(|(day, result, symptom_free_48h)| ReleaseTest {
                        sampled_on: add_days(j0, day),
                        result,
                        symptom_free_48h,
                    }),
                }
            },
        )
}

/// The facts of a contact that some sets use and others do not.
#[derive(Debug, Clone)]
struct ContactFacts {
    vaccination: VaccinationStatus,
    dose: Option<i64>,
    single_dose: bool,
    immunocompromised: bool,
    age_band: AgeBand,
}

fn arb_facts() -> impl Strategy<Value = ContactFacts> {
    (
        prop::sample::select(VaccinationStatus::ALL.to_vec()),
        prop::option::of(-100i64..10),
        any::<bool>(),
        any::<bool>(),
        prop::sample::select(AgeBand::ALL.to_vec()),
    )
        .prop_map(
            |(vaccination, dose, single_dose, immunocompromised, age_band)| ContactFacts {
                vaccination,
                dose,
                single_dose,
                immunocompromised,
                age_band,
            },
        )
}

fn with_facts(mut c: ContactExposure, f: &ContactFacts) -> ContactExposure {
    c.vaccination = f.vaccination;
    c.last_dose = f.dose.map(|n| add_days(c.last_contact, n));
    c.single_dose = f.single_dose;
    c.immunocompromised = f.immunocompromised;
    c.age_band = f.age_band;
    c
}

fn arb_contact(j0: Date) -> impl Strategy<Value = ContactExposure> {
    (
        any::<bool>(),
        subsequence(ExposureKind::ALL.to_vec(), 0..=ExposureKind::ALL.len()),
        subsequence(Protection::ALL.to_vec(), 0..=Protection::ALL.len()),
        -15i64..15,
        any::<bool>(),
        arb_facts(),
        prop::option::of(0i64..10),
    )
        .prop_map(
            move |(household, exposures, protection, last, minor, facts, informed)| {
                let mut c = ContactExposure::met_on(add_days(j0, last));
                c.household = household;
                c.exposures = exposures.into_iter().collect();
                c.protection = protection.into_iter().collect();
                c.minor = minor;
                c.informed_on = informed.map(|n| add_days(c.last_contact, n));
                with_facts(c, &facts)
            },
        )
}

fn arb_case_and_contact() -> impl Strategy<Value = (CaseSituation, ContactExposure)> {
    arb_case().prop_flat_map(|case| {
        let j0 = case.j0();
        (Just(case), arb_contact(j0))
    })
}

/// Every shipped set, plus an operator's set in the format of 2020
/// exempting vaccinated contacts (legacy `test_days` with day 0).
fn sets_to_test() -> Vec<RuleSet> {
    let sets = RuleSets::embedded();
    let mut all: Vec<RuleSet> = sets.iter().cloned().collect();
    let feb = include_str!("../../doctrine/2021-02.toml");
    let (start, end) = (
        feb.find("[contact]").unwrap_or(0),
        feb.find("# Without effective protection").unwrap_or(0),
    );
    let mut legacy = feb.to_owned();
    legacy.replace_range(
        start..end,
        "[contact]\nquarantine_days = 7\ntest_days = [0, 7]\nfully_vaccinated_skip_quarantine = true\n",
    );
    if let Ok(set) = RuleSets::parse_file("legacy.toml", &legacy) {
        all.push(set);
    }
    all
}

proptest! {
    /// The set that applies on a day: under "keep", always the J0's; under
    /// "apply", the J0's or a newer one, never an older one, and the one in
    /// force that day when it is newer.
    #[test]
    fn the_set_of_a_day_is_never_older_than_the_j0s(
        (case, _contact) in arb_case_and_contact(),
        days_later in -400i64..1200,
    ) {
        use crate::doctrine::OnNewerRules;
        let today = add_days(case.j0(), days_later);
        let kept = RuleSets::embedded();
        prop_assert_eq!(&assess_on(&kept, &case, today).rule_set().id, &assess(&kept, &case).rule_set().id);
        let applied = RuleSets::embedded().with_on_newer(OnNewerRules::Apply);
        let of_j0 = applied.select(case.j0());
        let on = applied.select_on(case.j0(), today);
        prop_assert!(on.effective >= of_j0.effective);
        let current = applied.select(today);
        if current.effective > of_j0.effective {
            prop_assert_eq!(&on.id, &current.id);
        } else {
            prop_assert_eq!(&on.id, &of_j0.id);
        }
    }

    #[test]
    fn a_tracer_decision_wins_and_says_what_the_rules_said(
        (case, contact) in arb_case_and_contact(),
        decided in prop::option::of(prop::sample::select(Classification::ALL.to_vec())),
    ) {
        for set in sets_to_test() {
            let a = assess_with(&set, &case);
            let rules = a.assess_contact(&contact);
            let result = a.assess_contact_decided(&contact, decided);
            match decided.filter(|d| *d != rules.classification) {
                None => prop_assert_eq!(&result, &rules),
                Some(d) => {
                    prop_assert_eq!(result.classification, d);
                    prop_assert_eq!(
                        &result.reasons[0],
                        &Reason::TracerDecision { rules_said: rules.classification }
                    );
                    prop_assert_eq!(&result.reasons[1..], &rules.reasons[..]);
                    // Quarantine and tests exactly when at risk.
                    prop_assert_eq!(result.quarantine.is_some(), d.is_at_risk());
                }
            }
        }
    }

    #[test]
    fn a_contact_met_outside_the_window_is_never_at_risk((case, contact) in arb_case_and_contact()) {
        for set in sets_to_test() {
            let a = assess_with(&set, &case);
            let result = a.assess_contact(&contact);
            let before = contact.last_contact < a.window.start;
            let after = contact.last_contact > a.window.end;
            if before || (after && !contact.household) {
                prop_assert_eq!(result.classification, Classification::OutsideWindow);
                prop_assert!(result.quarantine.is_none());
            } else {
                prop_assert_ne!(result.classification, Classification::OutsideWindow);
            }
        }
    }

    #[test]
    fn adding_protection_never_raises_the_risk(
        (case, contact) in arb_case_and_contact(),
        added in prop::sample::select(Protection::ALL.to_vec()),
    ) {
        for set in sets_to_test() {
            let a = assess_with(&set, &case);
            let without = a.assess_contact(&contact);
            let mut protected = contact.clone();
            protected.protection.insert(added);
            let with = a.assess_contact(&protected);
            if with.classification.is_at_risk() {
                prop_assert!(without.classification.is_at_risk());
            }
            if contact.household {
                // One cannot protect oneself at home: masks change nothing.
                prop_assert_eq!(with.classification, without.classification);
                prop_assert_eq!(with.quarantine, without.quarantine);
            }
        }
    }

    #[test]
    fn quarantine_and_tests_keep_their_anchors((case, contact) in arb_case_and_contact()) {
        for set in sets_to_test() {
            let a = assess_with(&set, &case);
            let result = a.assess_contact(&contact);
            prop_assert_eq!(result.quarantine.is_some(), result.classification.is_at_risk());
            if let Some(q) = result.quarantine {
                prop_assert!(q.counted_last_contact >= contact.last_contact.min(a.isolation.last_day));
                if !contact.household {
                    prop_assert_eq!(q.counted_last_contact, contact.last_contact);
                }
                if let Some(last_day) = q.last_day {
                    prop_assert!(last_day >= q.counted_last_contact);
                    prop_assert!(last_day >= contact.last_contact || contact.household);
                }
                // An extension only lengthens a quarantine.
                if let Some(extended) = q.last_day_without_test {
                    prop_assert!(q.last_day.is_some_and(|l| extended > l));
                }
                for t in &q.tests {
                    match (t.anchor, t.date, contact.informed_on) {
                        // No test before the day informed when anchored on it,
                        // and no date before that day is known.
                        (Anchor::Informed, Some(date), Some(informed)) => {
                            prop_assert_eq!(date, add_days(informed, i64::from(t.day)));
                            prop_assert!(date >= informed);
                        }
                        (Anchor::Informed, None, None) => {}
                        (Anchor::LastContact, Some(date), _) => {
                            prop_assert!(date >= q.counted_last_contact);
                            // No quarantine ends before its tests counted from the last contact.
                            if let Some(last_day) = q.last_day {
                                prop_assert!(date <= last_day);
                            }
                        }
                        other => prop_assert!(false, "test dated wrongly: {:?}", other),
                    }
                    // The test that ends the quarantine falls on its last day.
                    if t.ends_quarantine {
                        prop_assert_eq!(t.date, q.last_day);
                    }
                }
                let days = q.test_days();
                for pair in days.windows(2) {
                    prop_assert!(pair[0] < pair[1]);
                }
            }
        }
    }

    #[test]
    fn a_set_never_depends_on_a_fact_it_does_not_use(
        (case, contact) in arb_case_and_contact(),
        other_case in arb_case(),
        other in arb_facts(),
        informed in prop::option::of(0i64..10),
    ) {
        for set in sets_to_test() {
            let mut case2 = case.clone();
            if !set.uses(Fact::CaseVaccination) {
                case2.vaccination = other_case.vaccination;
                case2.last_dose = other_case.last_dose;
            }
            if !set.uses(Fact::CaseAgeBand) {
                case2.age_band = other_case.age_band;
            }
            if !set.uses(Fact::CaseReleaseTest) {
                case2.release_test = other_case.release_test;
            }
            let mut contact2 = contact.clone();
            let mut facts = ContactFacts {
                vaccination: contact.vaccination,
                dose: contact.last_dose.map(|d| (d - contact.last_contact).whole_days()),
                single_dose: contact.single_dose,
                immunocompromised: contact.immunocompromised,
                age_band: contact.age_band,
            };
            if !set.uses(Fact::ContactVaccination) {
                facts.vaccination = other.vaccination;
                facts.dose = other.dose;
                facts.single_dose = other.single_dose;
                facts.immunocompromised = other.immunocompromised;
            }
            if !set.uses(Fact::ContactAgeBand) {
                facts.age_band = other.age_band;
            }
            contact2 = with_facts(contact2, &facts);
            if !set.uses(Fact::InformedOn) {
                contact2.informed_on = informed.map(|n| add_days(contact.last_contact, n));
            }
            let a = assess_with(&set, &case);
            let b = assess_with(&set, &case2);
            prop_assert_eq!(&a.isolation, &b.isolation);
            prop_assert_eq!(a.assess_contact(&contact), b.assess_contact(&contact2));
        }
    }

    #[test]
    fn an_early_release_only_shortens_the_isolation(case in arb_case()) {
        for set in sets_to_test() {
            let i = assess_with(&set, &case).isolation;
            prop_assert!(i.ends_on() <= i.last_day);
            match i.early_release {
                None => prop_assert_eq!(i.ends_on(), i.last_day),
                Some(offer) => {
                    prop_assert!(offer.from < i.last_day);
                    prop_assert_eq!(offer.decision.is_some(), case.release_test.is_some());
                    if i.ends_on() < i.last_day {
                        let test = case.release_test.expect("a test released the case");
                        prop_assert_eq!(test.result, TestResult::Negative);
                        prop_assert!(test.symptom_free_48h);
                        prop_assert!(i.ends_on() >= offer.from);
                        prop_assert_eq!(i.ends_on(), test.sampled_on);
                    }
                }
            }
        }
    }

    #[test]
    fn a_household_contact_quarantines_beyond_the_case_isolation((case, mut contact) in arb_case_and_contact()) {
        contact.household = true;
        contact.last_contact = contact.last_contact.max(case.j0());
        for set in sets_to_test() {
            let a = assess_with(&set, &case);
            let result = a.assess_contact(&contact);
            prop_assert!(result.classification.is_at_risk());
            let q = result.quarantine.expect("at risk has a quarantine");
            prop_assert_eq!(q.counted_last_contact, a.isolation.last_day);
            if let Some(last_day) = q.last_day {
                prop_assert!(last_day > a.isolation.last_day);
            }
        }
    }

    #[test]
    fn every_result_carries_its_reasons((case, contact) in arb_case_and_contact()) {
        for set in sets_to_test() {
            let result = assess_with(&set, &case).assess_contact(&contact);
            if result.classification.is_at_risk() {
                prop_assert!(result.reasons.iter().any(Reason::is_risk_criterion));
            } else {
                prop_assert!(!result.reasons.iter().any(Reason::is_risk_criterion));
            }
            prop_assert!(result.reasons.len() >= 2);
            prop_assert_eq!(result.reasons.last(), Some(&Reason::RuleSet { id: set.id.clone() }));
        }
    }

    #[test]
    fn results_do_not_depend_on_the_order_of_contacts(
        (case, contacts, keys) in arb_case().prop_flat_map(|case| {
            let j0 = case.j0();
            (Just(case), prop::collection::vec(arb_contact(j0), 0..12))
        }).prop_flat_map(|(case, contacts)| {
            let n = contacts.len();
            (Just(case), Just(contacts), prop::collection::vec(any::<u32>(), n))
        })
    ) {
        let sets = RuleSets::embedded();
        let a = assess(&sets, &case);
        let in_order: Vec<_> = contacts.iter().map(|c| a.assess_contact(c)).collect();
        let mut order: Vec<usize> = (0..contacts.len()).collect();
        order.sort_by_key(|&i| (keys[i], i));
        let shuffled: Vec<_> = order.iter().map(|&i| contacts[i].clone()).collect();
        let b = assess(&sets, &case);
        for (pos, contact) in shuffled.iter().enumerate() {
            prop_assert_eq!(&b.assess_contact(contact), &in_order[order[pos]]);
        }

        // The same through the JSON scenario, which the CLI uses.
        let today = add_days(case.sample_date, 60);
        let scenario = |cs: &[ContactExposure]| crate::scenario::Scenario {
            rule_set: None,
            case: case.clone(),
            contacts: cs.to_vec(),
        };
        let first = crate::scenario::evaluate(&sets, &scenario(&contacts), today);
        let second = crate::scenario::evaluate(&sets, &scenario(&shuffled), today);
        match (first, second) {
            (Ok(x), Ok(y)) => {
                prop_assert_eq!(&x["case"], &y["case"]);
                let xs: BTreeSet<String> = x["contacts"].as_array().into_iter().flatten().map(|v| v.to_string()).collect();
                let ys: BTreeSet<String> = y["contacts"].as_array().into_iter().flatten().map(|v| v.to_string()).collect();
                prop_assert_eq!(xs, ys);
                for (pos, &i) in order.iter().enumerate() {
                    prop_assert_eq!(&y["contacts"][pos], &x["contacts"][i]);
                }
            }
            // A refusal names one contact; only its index may differ.
            (Err(e1), Err(e2)) => prop_assert_eq!(
                std::mem::discriminant(&e1),
                std::mem::discriminant(&e2)
            ),
            (x, y) => prop_assert!(false, "one order accepted, the other refused: {:?} / {:?}", x, y),
        }
    }
}
