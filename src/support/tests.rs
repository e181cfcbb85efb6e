use super::*;
use proptest::prelude::*;

fn d(s: &str) -> Date {
    crate::dates::parse_iso(s).unwrap()
}

#[test]
fn needs_are_written_in_one_order_whatever_the_order_ticked() {
    let needs: Needs = [SupportNeed::Childcare, SupportNeed::Groceries]
        .into_iter()
        .collect();
    assert_eq!(needs.to_list(), "groceries,childcare");
    assert_eq!(Needs::parse_list("childcare, groceries"), Ok(needs));
    assert_eq!(Needs::parse_list(""), Ok(Needs::default()));
    assert!(Needs::parse_list("groceries,caviar").is_err());
    assert_eq!(needs.len(), 2);
    assert!(needs.contains(SupportNeed::Groceries));
    assert!(!needs.contains(SupportNeed::NurseVisit));
    assert_eq!(
        serde_json::to_string(&needs).unwrap(),
        r#"["groceries","childcare"]"#
    );
}

#[test]
fn a_request_moves_only_forward_and_closes_for_good() {
    use SupportState::*;
    assert!(New.may_become(Taken));
    assert!(!New.may_become(Done), "nobody took it");
    assert!(Taken.may_become(Done));
    assert!(Taken.may_become(Unreachable));
    assert!(Taken.may_become(Refused));
    assert!(Taken.may_become(New), "handed back");
    assert!(Unreachable.may_become(Taken), "tried again");
    for closed in [Done, Refused] {
        assert!(!closed.is_open());
        for next in SupportState::ALL {
            assert!(!closed.may_become(*next), "{closed} → {next}");
        }
    }
    for state in SupportState::ALL {
        assert!(!state.may_become(*state), "{state} stays {state}");
    }
    assert!(New.is_open() && Taken.is_open() && !Unreachable.is_open());
}

#[test]
fn the_case_is_asked_on_day_2_and_day_5_of_its_isolation() {
    // Late 2020: 7 full days from J0.
    assert_eq!(
        case_check_in_days(d("2020-11-02"), d("2020-11-09")),
        [d("2020-11-04"), d("2020-11-07")]
    );
    // An isolation ending on day 4 has no day 5.
    assert_eq!(
        case_check_in_days(d("2020-11-02"), d("2020-11-06")),
        [d("2020-11-04")]
    );
    // Day 5 is the last day: still in isolation.
    assert_eq!(
        case_check_in_days(d("2020-11-02"), d("2020-11-07")),
        [d("2020-11-04"), d("2020-11-07")]
    );
}

#[test]
fn a_contact_is_asked_on_day_3_of_a_quarantine_still_running() {
    assert_eq!(
        contact_check_in_days(d("2021-01-10"), Some(d("2021-01-17"))),
        [d("2021-01-13")]
    );
    assert_eq!(
        contact_check_in_days(d("2021-01-10"), Some(d("2021-01-13"))),
        [d("2021-01-13")]
    );
    assert!(contact_check_in_days(d("2021-01-10"), Some(d("2021-01-12"))).is_empty());
    assert!(
        contact_check_in_days(d("2021-01-10"), None).is_empty(),
        "no quarantine, no question"
    );
}

#[test]
fn a_digit_means_the_same_choice_as_on_the_test_question() {
    assert_eq!(
        WellbeingAnswer::of_digit(FollowUpAnswer::Negative),
        WellbeingAnswer::AllRight
    );
    assert_eq!(
        WellbeingAnswer::of_digit(FollowUpAnswer::Positive),
        WellbeingAnswer::Worse
    );
    assert_eq!(
        WellbeingAnswer::of_digit(FollowUpAnswer::NotTested),
        WellbeingAnswer::NeedHelp
    );
}

#[cfg(feature = "phone")]
mod form {
    use super::*;

    fn fields(needs: &[&str]) -> SupportFields {
        SupportFields {
            needs: needs.iter().map(|n| (*n).to_owned()).collect(),
            ..SupportFields::default()
        }
    }

    fn codes(fields: &SupportFields) -> Vec<(&'static str, &'static str)> {
        parse_support(fields)
            .err()
            .unwrap_or_default()
            .into_iter()
            .map(|e| (e.field, e.code))
            .collect()
    }

    #[test]
    fn a_request_with_consent_keeps_its_details() {
        let input = parse_support(&SupportFields {
            needs: vec!["groceries".into(), "nurse_visit".into()],
            note: "  3e étage,\n sonner fort  ".into(),
            address: " 12 rue des Lilas\n60000 Beauvais ".into(),
            phone: "06 12 34 56 78".into(),
            best_time: "morning".into(),
            consent: "oui".into(),
        })
        .unwrap();
        assert_eq!(input.needs.to_list(), "nurse_visit,groceries");
        assert_eq!(input.note, "3e étage, sonner fort");
        assert_eq!(input.address, "12 rue des Lilas 60000 Beauvais");
        assert_eq!(input.callback_phone.as_deref(), Some("+33612345678"));
        assert_eq!(input.best_time, BestTime::Morning);
        assert!(input.consent);
    }

    #[test]
    fn without_consent_or_details_the_request_is_still_valid() {
        let input = parse_support(&fields(&["medicines"])).unwrap();
        assert!(!input.consent);
        assert_eq!(input.callback_phone, None);
        assert_eq!(input.best_time, BestTime::Any);
        assert_eq!(input.note, "");
    }

    #[test]
    fn every_problem_is_named_at_once() {
        assert_eq!(
            codes(&fields(&[])),
            [("support-needs", "support_needs_missing")]
        );
        let mut bad = fields(&["caviar"]);
        bad.note = "x".repeat(NOTE_MAX + 1);
        bad.address = "y".repeat(ADDRESS_MAX + 1);
        bad.phone = "not a phone".into();
        bad.best_time = "midnight".into();
        assert_eq!(
            codes(&bad),
            [
                ("support-needs", "support_need_unknown"),
                ("support-note", "support_note_too_long"),
                ("support-address", "support_address_too_long"),
                ("support-phone", "phone_not_a_number"),
                ("support-time", "support_time_unknown"),
            ]
        );
        let mut long = fields(&["childcare"]);
        long.note = "é".repeat(NOTE_MAX);
        assert!(parse_support(&long).is_ok(), "the limit counts characters");
    }

    proptest! {
        #[test]
        fn any_form_is_parsed_or_refused_without_panic(
            needs in proptest::collection::vec(".{0,20}", 0..10),
            note in ".{0,600}",
            address in ".{0,250}",
            phone in ".{0,30}",
            best_time in ".{0,12}",
            consent in ".{0,5}",
        ) {
            let fields = SupportFields { needs, note, address, phone, best_time, consent };
            match parse_support(&fields) {
                Ok(input) => {
                    prop_assert!(!input.needs.is_empty());
                    prop_assert!(input.note.chars().count() <= NOTE_MAX);
                    prop_assert!(!input.note.chars().any(char::is_control));
                    prop_assert!(input.address.chars().count() <= ADDRESS_MAX);
                    if let Some(phone) = input.callback_phone {
                        prop_assert!(phone.starts_with('+'));
                    }
                }
                Err(errors) => prop_assert!(!errors.is_empty()),
            }
        }

        #[test]
        fn ticked_needs_are_exactly_what_is_kept(
            picked in proptest::collection::vec(proptest::sample::select(SupportNeed::ALL), 1..12),
        ) {
            let names: Vec<&str> = picked.iter().map(|n| n.as_str()).collect();
            let input = parse_support(&fields(&names)).unwrap();
            for need in SupportNeed::ALL {
                prop_assert_eq!(input.needs.contains(*need), picked.contains(need));
            }
        }
    }
}

proptest! {
    #[test]
    fn a_needs_list_reads_back_as_itself(bits in 0u16..(1 << SupportNeed::ALL.len())) {
        let needs: Needs = SupportNeed::ALL
            .iter()
            .enumerate()
            .filter(|(i, _)| bits & (1 << i) != 0)
            .map(|(_, n)| *n)
            .collect();
        prop_assert_eq!(Needs::parse_list(&needs.to_list()), Ok(needs));
        prop_assert_eq!(needs.len(), bits.count_ones() as usize);
        let json = serde_json::to_string(&needs).unwrap();
        prop_assert_eq!(serde_json::from_str::<Needs>(&json).unwrap(), needs);
    }

    #[test]
    fn case_messages_fall_inside_the_isolation_in_order(
        start in 0i64..20_000,
        length in 0i64..30,
    ) {
        let first = d("1970-01-01") + Duration::days(start);
        let last = first + Duration::days(length);
        let days = case_check_in_days(first, last);
        prop_assert!(days.len() <= 2);
        prop_assert!(days.windows(2).all(|w| w[0] < w[1]));
        for day in &days {
            prop_assert!(first < *day && *day <= last);
        }
        for n in CASE_CHECK_IN_DAYS {
            let day = first + Duration::days(n);
            prop_assert_eq!(days.contains(&day), n <= length);
        }
    }

    #[test]
    fn a_contact_message_falls_inside_the_quarantine(
        told in 0i64..20_000,
        length in proptest::option::of(-5i64..30),
    ) {
        let told_on = d("1970-01-01") + Duration::days(told);
        let last = length.map(|n| told_on + Duration::days(n));
        let days = contact_check_in_days(told_on, last);
        prop_assert!(days.len() <= 1);
        for day in &days {
            prop_assert_eq!(*day, told_on + Duration::days(CONTACT_CHECK_IN_DAY));
            prop_assert!(last.is_some_and(|l| *day <= l));
        }
        prop_assert_eq!(days.is_empty(), length.is_none_or(|n| n < CONTACT_CHECK_IN_DAY));
    }
}
