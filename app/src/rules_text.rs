//! The rules engine's results in words: every classification, reason,
//! exposure and protection from the catalogue, dates written the local way.

use crate::i18n::fill;
use crate::tr;
use relais::dates::long_date;
use relais::rules::IfSymptoms;
use relais::{Classification, ExposureKind, J0Basis, Lang, Protection, Reason, RuleSets};

pub fn exposure_text(lang: Lang, kind: ExposureKind) -> &'static str {
    match kind {
        ExposureKind::FaceToFace => tr!(lang, rules.exposure_face_to_face),
        ExposureKind::CareOrHygiene => tr!(lang, rules.exposure_care_or_hygiene),
        ExposureKind::ClosedSpace15Min => tr!(lang, rules.exposure_closed_space_15min),
        ExposureKind::CoughSneeze => tr!(lang, rules.exposure_cough_sneeze),
    }
}

pub fn protection_text(lang: Lang, protection: Protection) -> &'static str {
    match protection {
        Protection::CaseMask => tr!(lang, rules.protection_case_mask),
        Protection::ContactMask => tr!(lang, rules.protection_contact_mask),
        Protection::PhysicalScreen => tr!(lang, rules.protection_physical_screen),
    }
}

pub fn classification_text(lang: Lang, classification: Classification) -> &'static str {
    match classification {
        Classification::AtRisk => tr!(lang, rules.class_at_risk),
        Classification::Negligible => tr!(lang, rules.class_negligible),
        Classification::OutsideWindow => tr!(lang, rules.class_outside_window),
    }
}

pub fn if_symptoms_text(lang: Lang, advice: IfSymptoms) -> &'static str {
    match advice {
        IfSymptoms::IsolateAndTestAtOnce => tr!(lang, rules.if_symptoms),
    }
}

/// A reason a person can read. `rule_sets` names a rule set by its title.
pub fn reason_text(lang: Lang, reason: &Reason, rule_sets: &RuleSets) -> String {
    let date = |d| long_date(d, lang);
    match reason {
        Reason::RuleSet { id } => {
            let title = rule_sets.get(id).map_or(id.as_str(), |s| s.title.get(lang));
            fill(tr!(lang, rules.reason_rule_set), &[title.to_owned()])
        }
        Reason::Household => tr!(lang, rules.reason_household).to_owned(),
        Reason::ProtectionIgnoredAtHome => {
            tr!(lang, rules.reason_protection_ignored_at_home).to_owned()
        }
        Reason::Exposure { kind } => fill(
            tr!(lang, rules.reason_exposure),
            &[exposure_text(lang, *kind).to_owned()],
        ),
        Reason::NeutralisedBy { kind, protection } => capitalised(fill(
            tr!(lang, rules.reason_neutralised_by),
            &[
                exposure_text(lang, *kind).to_owned(),
                protection_text(lang, *protection).to_owned(),
            ],
        )),
        Reason::NoAtRiskExposure => tr!(lang, rules.reason_no_at_risk_exposure).to_owned(),
        Reason::OutsideWindow { window } => fill(
            tr!(lang, rules.reason_outside_window),
            &[date(window.start), date(window.end)],
        ),
        Reason::IsolationFromJ0 { basis, days } => fill(
            match basis {
                J0Basis::SymptomOnset => tr!(lang, rules.reason_isolation_from_symptom_onset),
                J0Basis::Sample => tr!(lang, rules.reason_isolation_from_sample),
            },
            &[days.to_string()],
        ),
        Reason::QuarantineAfterLastContact { days } => fill(
            tr!(lang, rules.reason_quarantine_after_last_contact),
            &[days.to_string()],
        ),
        Reason::HouseholdLastContactIsEndOfIsolation {
            case_isolation_last_day,
        } => fill(
            tr!(lang, rules.reason_household_last_contact),
            &[date(*case_isolation_last_day)],
        ),
        Reason::NoQuarantine => tr!(lang, rules.reason_no_quarantine).to_owned(),
        Reason::ContactProfile { id } => fill(
            tr!(lang, rules.reason_contact_profile),
            &[profile_text(lang, id)],
        ),
        Reason::QuarantineEndsWithNegativeTest {
            without_test_last_day,
        } => fill(
            tr!(lang, rules.reason_quarantine_ends_with_negative_test),
            &[date(*without_test_last_day)],
        ),
        Reason::TracerDecision { rules_said } => fill(
            tr!(lang, rules.reason_tracer_decision),
            &[classification_text(lang, *rules_said).to_lowercase()],
        ),
    }
}

/// A reason as the contact reads it on their own page: the same words,
/// except that no date derived from the case's own facts shows (the
/// contagious window's dates would reveal when the case fell ill; issue
/// 21). Their own instructions keep their dates.
pub fn contact_reason_text(lang: Lang, reason: &Reason, rule_sets: &RuleSets) -> String {
    match reason {
        Reason::OutsideWindow { .. } => tr!(lang, rules.reason_outside_window_contact).to_owned(),
        other => reason_text(lang, other, rule_sets),
    }
}

/// What a contact at risk will be told to do, in one line for the case's
/// list and the tracer's review: the quarantine or none, then each test
/// with its day — "on the day they are told" before that day is known.
pub fn measures_summary(lang: Lang, q: &relais::rules::ContactQuarantine) -> String {
    use relais::doctrine::TestKind;
    let day = |d: time::Date| relais::dates::long_date(d, lang);
    let mut text = match q.last_day {
        Some(last) => fill(tr!(lang, rules.measures_quarantine_until), &[day(last)]),
        None => tr!(lang, rules.measures_no_quarantine).to_owned(),
    };
    let tests: Vec<String> = q
        .tests
        .iter()
        .map(|t| {
            let when = match (t.date, t.day) {
                (Some(d), _) => day(d),
                (None, 0) => tr!(lang, rules.test_when_told).to_owned(),
                (None, n) => fill(tr!(lang, rules.test_days_after_told), &[n.to_string()]),
            };
            let kind = match t.kind {
                TestKind::Lab => tr!(lang, rules.kind_short_lab),
                TestKind::SelfTest => tr!(lang, rules.kind_short_self_test),
                TestKind::Any => tr!(lang, rules.kind_short_any),
            };
            format!("{when} ({kind})")
        })
        .collect();
    if !tests.is_empty() {
        text.push(' ');
        text.push_str(&fill(tr!(lang, rules.measures_tests), &[tests.join(", ")]));
    }
    text
}

/// The kind of a test asked for, in words.
pub fn test_kind_text(lang: Lang, kind: relais::doctrine::TestKind) -> &'static str {
    use relais::doctrine::TestKind;
    match kind {
        TestKind::Lab => tr!(lang, rules.test_kind_lab),
        TestKind::SelfTest => tr!(lang, rules.test_kind_self_test),
        TestKind::Any => tr!(lang, rules.test_kind_any),
    }
}

/// Advice beyond the quarantine, in words.
pub fn advice_text(lang: Lang, advice: relais::doctrine::Advice) -> &'static str {
    use relais::doctrine::Advice;
    match advice {
        Advice::MaskInPublic => tr!(lang, rules.advice_mask_in_public),
        Advice::FewerContacts => tr!(lang, rules.advice_fewer_contacts),
        Advice::MaskIndoors7Days => tr!(lang, rules.advice_mask_indoors_7_days),
    }
}

/// A rule set's profile (`vaccinated`, `child`...) in words; an operator's
/// own profile keeps its machine name.
pub fn profile_text(lang: Lang, id: &str) -> String {
    match id {
        "vaccinated" => tr!(lang, rules.profile_vaccinated).to_owned(),
        "child" => tr!(lang, rules.profile_child).to_owned(),
        "moderate_risk" => tr!(lang, rules.profile_moderate_risk).to_owned(),
        other => other.replace('_', " "),
    }
}

fn capitalised(text: String) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use relais::rules::ContagiousWindow;

    fn every_reason() -> Vec<Reason> {
        let d = relais::dates::ymd(2020, 11, 17).unwrap();
        let rule_sets = RuleSets::embedded();
        let case = relais::CaseSituation::new(Some(d), d);
        let window: ContagiousWindow = relais::rules::assess(&rule_sets, &case).window;
        let mut reasons = vec![
            Reason::RuleSet {
                id: rule_sets.select(d).id.clone(),
            },
            Reason::Household,
            Reason::ProtectionIgnoredAtHome,
            Reason::NoAtRiskExposure,
            Reason::OutsideWindow { window },
            Reason::QuarantineAfterLastContact { days: 7 },
            Reason::HouseholdLastContactIsEndOfIsolation {
                case_isolation_last_day: d,
            },
            Reason::NoQuarantine,
            Reason::ContactProfile {
                id: "vaccinated".into(),
            },
            Reason::ContactProfile { id: "child".into() },
            Reason::ContactProfile {
                id: "moderate_risk".into(),
            },
            Reason::QuarantineEndsWithNegativeTest {
                without_test_last_day: d,
            },
        ];
        for &rules_said in relais::Classification::ALL {
            reasons.push(Reason::TracerDecision { rules_said });
        }
        for basis in [J0Basis::SymptomOnset, J0Basis::Sample] {
            reasons.push(Reason::IsolationFromJ0 { basis, days: 7 });
        }
        for &kind in ExposureKind::ALL {
            reasons.push(Reason::Exposure { kind });
            for &protection in Protection::ALL {
                reasons.push(Reason::NeutralisedBy { kind, protection });
            }
        }
        reasons
    }

    #[test]
    fn a_contact_reads_no_date_of_the_case_s_window() {
        let rule_sets = RuleSets::embedded();
        for &lang in Lang::ALL.iter() {
            for reason in every_reason() {
                let text = contact_reason_text(lang, &reason, &rule_sets);
                if let Reason::OutsideWindow { window } = reason {
                    for day in [window.start, window.end] {
                        let shown = relais::dates::long_date(day, lang);
                        assert!(!text.contains(&shown), "{lang:?}: {text}");
                        assert!(reason_text(lang, &reason, &rule_sets).contains(&shown));
                    }
                    assert!(!text.chars().any(|c| c.is_ascii_digit()), "{text}");
                } else {
                    assert_eq!(text, reason_text(lang, &reason, &rule_sets));
                }
            }
        }
    }

    #[test]
    fn every_reason_reads_differently_in_both_languages() {
        let rule_sets = RuleSets::embedded();
        for &lang in Lang::ALL.iter() {
            let texts: Vec<String> = every_reason()
                .iter()
                .map(|r| reason_text(lang, r, &rule_sets))
                .collect();
            for text in &texts {
                assert!(!text.contains("{}"), "{text}");
                // A sentence starts with a capital where the script has
                // them (Arabic and Chinese have none), or a number.
                assert!(
                    text.chars().next().is_some_and(|c| !c.is_lowercase()),
                    "{text}"
                );
            }
            let distinct: std::collections::BTreeSet<_> = texts.iter().collect();
            assert_eq!(
                distinct.len(),
                texts.len(),
                "{lang:?}: two reasons read the same"
            );
        }
    }

    #[test]
    fn dates_and_names_are_written_the_local_way() {
        let rule_sets = RuleSets::embedded();
        let d = relais::dates::ymd(2020, 11, 17).unwrap();
        let reason = Reason::HouseholdLastContactIsEndOfIsolation {
            case_isolation_last_day: d,
        };
        assert!(reason_text(Lang::Fr, &reason, &rule_sets).ends_with("le mardi 17 novembre 2020."));
        assert!(reason_text(Lang::En, &reason, &rule_sets).ends_with("Tuesday 17 November 2020."));
        let set = rule_sets.select(d);
        let text = reason_text(
            Lang::Fr,
            &Reason::RuleSet { id: set.id.clone() },
            &rule_sets,
        );
        assert!(text.contains(set.title.get(Lang::Fr)), "{text}");
        let masked = Reason::NeutralisedBy {
            kind: ExposureKind::FaceToFace,
            protection: Protection::ContactMask,
        };
        assert_eq!(
            reason_text(Lang::Fr, &masked, &rule_sets),
            "Face à face à moins d'un mètre : risque écarté par masque chirurgical ou FFP2 porté par la personne contact."
        );
    }

    #[test]
    fn measures_read_the_day_told_until_it_is_known() {
        let d = |s: &str| relais::dates::parse_iso(s).unwrap();
        let sets = RuleSets::embedded();
        let case = relais::CaseSituation::new(Some(d("2022-01-10")), d("2022-01-11"));
        let mut contact = relais::ContactExposure::met_on(d("2022-01-10"));
        contact.exposures.insert(ExposureKind::FaceToFace);
        contact.vaccination = relais::VaccinationStatus::FullyVaccinated;
        contact.last_dose = Some(d("2021-12-01"));
        let assessment = relais::rules::assess(&sets, &case);
        let q = assessment.assess_contact(&contact).quarantine.unwrap();
        let fr = measures_summary(Lang::Fr, &q);
        assert!(fr.starts_with("Pas de quarantaine. Tests : le jour où la personne est prévenue (antigénique ou PCR), 2 jours après"), "{fr}");
        assert!(fr.contains("(autotest)"), "{fr}");
        contact.informed_on = Some(d("2022-01-12"));
        let q = assessment.assess_contact(&contact).quarantine.unwrap();
        let en = measures_summary(Lang::En, &q);
        assert!(!en.contains("told"), "{en}");
        assert!(en.starts_with("No quarantine. Tests: "), "{en}");
        contact.vaccination = relais::VaccinationStatus::NotVaccinated;
        let q = assessment.assess_contact(&contact).quarantine.unwrap();
        assert!(measures_summary(Lang::En, &q).starts_with("Quarantine until "));
    }
}
