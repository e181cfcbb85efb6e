//! Properties the rules keep for every input, checked with proptest over
//! both shipped rule sets (cases from mid-2020 to late 2021).

use super::*;
use crate::dates::add_days;
use crate::situation::{ExposureKind, Protection, VaccinationStatus};
use crate::RuleSets;
use proptest::prelude::*;
use proptest::sample::subsequence;
use std::collections::BTreeSet;

/// The first day of the generated cases (shared with other modules' proptests).
pub(crate) fn base() -> Date {
    crate::dates::ymd(2020, 6, 1).unwrap_or(Date::MIN)
}

/// Any case: a sample in 20 months from [`base`], with or without an onset
/// around it, with or without an isolation start.
pub(crate) fn arb_case() -> impl Strategy<Value = CaseSituation> {
    (
        0i64..600,
        prop::option::of(-10i64..10),
        prop::option::of(0i64..6),
    )
        .prop_map(|(sample, onset_gap, isolation_after_j0)| {
            let sample_date = add_days(base(), sample);
            let symptom_onset = onset_gap.map(|g| add_days(sample_date, g));
            let j0 = symptom_onset.unwrap_or(sample_date);
            CaseSituation {
                symptom_onset,
                sample_date,
                isolation_start: isolation_after_j0.map(|n| add_days(j0, n)),
            }
        })
}

fn arb_contact(j0: Date) -> impl Strategy<Value = ContactExposure> {
    (
        any::<bool>(),
        subsequence(ExposureKind::ALL.to_vec(), 0..=ExposureKind::ALL.len()),
        subsequence(Protection::ALL.to_vec(), 0..=Protection::ALL.len()),
        -15i64..15,
        any::<bool>(),
        prop::sample::select(VaccinationStatus::ALL.to_vec()),
    )
        .prop_map(
            move |(household, exposures, protection, last, minor, vaccination)| ContactExposure {
                household,
                exposures: exposures.into_iter().collect(),
                protection: protection.into_iter().collect(),
                last_contact: add_days(j0, last),
                minor,
                vaccination,
            },
        )
}

fn arb_case_and_contact() -> impl Strategy<Value = (CaseSituation, ContactExposure)> {
    arb_case().prop_flat_map(|case| {
        let j0 = case.j0();
        (Just(case), arb_contact(j0))
    })
}

/// A rule set exempting vaccinated contacts, so that the properties also
/// cover quarantines without a last day.
fn sets_to_test() -> Vec<RuleSet> {
    let sets = RuleSets::embedded();
    let mut all: Vec<RuleSet> = sets.iter().cloned().collect();
    if let Some(mut exempting) = sets.get("2021-01").cloned() {
        exempting.contact.fully_vaccinated_skip_quarantine = true;
        all.push(exempting);
    }
    all
}

proptest! {
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
    fn quarantine_ends_on_or_after_the_last_contact((case, contact) in arb_case_and_contact()) {
        for set in sets_to_test() {
            let a = assess_with(&set, &case);
            let result = a.assess_contact(&contact);
            prop_assert_eq!(result.quarantine.is_some(), result.classification.is_at_risk());
            if let Some(q) = result.quarantine {
                prop_assert!(q.counted_last_contact >= contact.last_contact.min(a.isolation.last_day));
                if !contact.household {
                    prop_assert_eq!(q.counted_last_contact, contact.last_contact);
                }
                let end = add_days(q.counted_last_contact, i64::from(set.contact.quarantine_days));
                if let Some(last_day) = q.last_day {
                    prop_assert_eq!(last_day, end);
                    prop_assert!(last_day >= q.counted_last_contact);
                    prop_assert!(last_day >= contact.last_contact || contact.household);
                }
                prop_assert_eq!(q.test_days.len(), set.contact.test_days.len());
                for pair in q.test_days.windows(2) {
                    prop_assert!(pair[0] < pair[1]);
                }
                for day in &q.test_days {
                    prop_assert!(*day <= end);
                    prop_assert!(*day >= contact.last_contact.min(q.counted_last_contact));
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
