use super::*;
use crate::contact_form::MAX_NAME_CHARS;
use proptest::prelude::*;

fn territories() -> Territories {
    Territories::shipped()
}

fn today() -> Date {
    crate::dates::ymd(2021, 3, 15).unwrap()
}

fn good() -> RawCase {
    RawCase {
        lab_reference: Some("LAB-2021-0001".into()),
        first_name: Some("  Élodie ".into()),
        last_name: Some("Le Dû".into()),
        birth_date: Some("1980-02-29".into()),
        phone: Some("06 39 98 01 23".into()),
        sample_date: Some("2021-03-14".into()),
        test_type: Some("PCR".into()),
        symptom_onset: Some("2021-03-12".into()),
        lang: None,
        departement: None,
        postcode: None,
    }
}

fn reasons(raw: &RawCase) -> Vec<(String, String)> {
    parse_case(raw, today(), &territories())
        .expect_err("rejected")
        .into_iter()
        .map(|e| (e.field, e.reason))
        .collect()
}

fn one(field: &str, reason: &str) -> Vec<(String, String)> {
    vec![(field.to_owned(), reason.to_owned())]
}

#[test]
fn a_good_item_is_normalised() {
    let case = parse_case(&good(), today(), &territories()).expect("valid");
    assert_eq!(case.lab_reference, "LAB-2021-0001");
    assert_eq!(case.first_name, "Élodie");
    assert_eq!(case.last_name, "Le Dû");
    assert_eq!(case.phone, "+33639980123");
    assert_eq!(case.test_type, TestType::Pcr);
    assert_eq!(case.lang, Lang::Fr);
    assert_eq!(case.birth_date.to_string(), "1980-02-29");
    assert_eq!(
        case.symptom_onset.map(|d| d.to_string()).as_deref(),
        Some("2021-03-12")
    );
}

#[test]
fn every_problem_is_listed_with_its_field() {
    let raw = RawCase {
        lang: Some("de".into()),
        ..RawCase::default()
    };
    let got = reasons(&raw);
    let fields: Vec<&str> = got.iter().map(|(f, _)| f.as_str()).collect();
    assert_eq!(
        fields,
        [
            "lab_reference",
            "first_name",
            "last_name",
            "birth_date",
            "phone",
            "sample_date",
            "test_type",
            "lang"
        ]
    );
    assert!(got[..7].iter().all(|(_, r)| r == "missing"), "{got:?}");
    assert_eq!(got[7].1, "unknown_lang");
}

#[test]
fn impossible_dates_are_refused() {
    let with = |f: fn(&mut RawCase)| {
        let mut raw = good();
        f(&mut raw);
        reasons(&raw)
    };
    assert_eq!(with(|r| r.sample_date = Some("2021-03-16".into())), {
        // the onset (12th) stays valid against a sample in the future
        one("sample_date", "date_in_future")
    });
    assert_eq!(
        with(|r| {
            r.sample_date = Some("2020-03-01".into());
            r.symptom_onset = None;
        }),
        one("sample_date", "too_old")
    );
    assert_eq!(
        with(|r| r.birth_date = Some("2021-04-01".into())),
        one("birth_date", "date_in_future")
    );
    assert_eq!(
        with(|r| r.birth_date = Some("1899-12-31".into())),
        one("birth_date", "too_old")
    );
    assert_eq!(
        with(|r| r.birth_date = Some("1981-02-29".into())),
        one("birth_date", "not_a_date")
    );
    assert_eq!(
        with(|r| r.birth_date = Some("15/03/1980".into())),
        one("birth_date", "not_a_date")
    );
    assert_eq!(
        with(|r| r.symptom_onset = Some("2021-01-01".into())),
        one("symptom_onset", "onset_too_early")
    );
    assert_eq!(
        with(|r| {
            r.sample_date = Some("2021-02-01".into());
            r.symptom_onset = Some("2021-02-20".into());
        }),
        one("symptom_onset", "onset_too_late")
    );
    assert_eq!(
        with(|r| r.symptom_onset = Some("2021-03-20".into())),
        one("symptom_onset", "date_in_future")
    );
}

#[test]
fn phones_must_be_mobiles() {
    let with_phone = |p: &str| {
        let mut raw = good();
        raw.phone = Some(p.into());
        raw
    };
    assert_eq!(
        reasons(&with_phone("01 23 45 67 89")),
        one("phone", "phone_not_mobile")
    );
    assert_eq!(reasons(&with_phone("06 12")), one("phone", "phone_invalid"));
    assert_eq!(
        reasons(&with_phone("call me")),
        one("phone", "phone_not_a_number")
    );
    assert_eq!(reasons(&with_phone(" ")), one("phone", "missing"));
    let case =
        parse_case(&with_phone("+33 7 00 00 00 00"), today(), &territories()).expect("valid");
    assert_eq!(case.phone, "+33700000000");
}

#[test]
fn test_type_lang_and_reference_have_fixed_values() {
    let mut raw = good();
    raw.test_type = Some("antigen".into());
    raw.lang = Some("EN".into());
    let case = parse_case(&raw, today(), &territories()).expect("valid");
    assert_eq!((case.test_type, case.lang), (TestType::Antigen, Lang::En));
    raw.test_type = Some("serology".into());
    assert_eq!(reasons(&raw), one("test_type", "unknown_test_type"));
    let mut raw = good();
    raw.lab_reference = Some("LAB 1".into());
    assert_eq!(reasons(&raw), one("lab_reference", "invalid_characters"));
    raw.lab_reference = Some("X".repeat(65));
    assert_eq!(reasons(&raw), one("lab_reference", "too_long"));
}

/// The length limits, at the boundary: counted in characters (not bytes)
/// on the trimmed reference and the cleaned names, each failure on its own
/// field with the limit in its message.
#[test]
fn lengths_are_bounded_in_characters() {
    let messages = |raw: &RawCase| -> Vec<(String, String, String)> {
        parse_case(raw, today(), &territories())
            .expect_err("rejected")
            .into_iter()
            .map(|e| (e.field, e.reason, e.message))
            .collect()
    };
    let mut raw = good();
    raw.lab_reference = Some(format!(" {} ", "R".repeat(MAX_LAB_REFERENCE_CHARS)));
    raw.first_name = Some("é".repeat(MAX_NAME_CHARS));
    raw.last_name = Some(format!(" {}  ", "ü".repeat(MAX_NAME_CHARS)));
    let case = parse_case(&raw, today(), &territories()).expect("at the limits");
    assert_eq!(case.lab_reference.chars().count(), MAX_LAB_REFERENCE_CHARS);
    assert_eq!(case.first_name.chars().count(), MAX_NAME_CHARS);
    assert_eq!(case.last_name.chars().count(), MAX_NAME_CHARS);
    // Inner white space is cleaned before counting: 50 + 1 + 49.
    raw.first_name = Some(format!("{} \t\n {}", "a".repeat(50), "b".repeat(49)));
    assert!(parse_case(&raw, today(), &territories()).is_ok());

    raw.lab_reference = Some("R".repeat(MAX_LAB_REFERENCE_CHARS + 1));
    raw.first_name = Some("é".repeat(MAX_NAME_CHARS + 1));
    raw.last_name = Some("ü".repeat(MAX_NAME_CHARS + 1));
    let too_long = |field: &str, max: usize| {
        (
            field.to_owned(),
            "too_long".to_owned(),
            format!("at most {max} characters"),
        )
    };
    assert_eq!(
        messages(&raw),
        vec![
            too_long("lab_reference", MAX_LAB_REFERENCE_CHARS),
            too_long("first_name", MAX_NAME_CHARS),
            too_long("last_name", MAX_NAME_CHARS),
        ]
    );
    // Too long is reported before invalid characters; missing before too long.
    let mut raw = good();
    raw.lab_reference = Some(" ".repeat(MAX_LAB_REFERENCE_CHARS + 1));
    assert_eq!(reasons(&raw), one("lab_reference", "missing"));
    raw.lab_reference = Some("é".repeat(MAX_LAB_REFERENCE_CHARS + 1));
    assert_eq!(reasons(&raw), one("lab_reference", "too_long"));
    raw.lab_reference = Some("é".repeat(MAX_LAB_REFERENCE_CHARS));
    assert_eq!(reasons(&raw), one("lab_reference", "invalid_characters"));
}

#[test]
fn json_items_must_be_objects_of_strings_with_known_fields() {
    let ok = serde_json::json!({"lab_reference": "A-1", "symptom_onset": null});
    let raw = raw_from_json(&ok).expect("read");
    assert_eq!(raw.lab_reference.as_deref(), Some("A-1"));
    assert_eq!(raw.symptom_onset, None);
    let bad = serde_json::json!({"phone": 612345678, "symptoms_onset": "2021-03-01"});
    let errors = raw_from_json(&bad).expect_err("refused");
    let got: Vec<(&str, &str)> = errors
        .iter()
        .map(|e| (e.field.as_str(), e.reason.as_str()))
        .collect();
    assert_eq!(
        got,
        [
            ("phone", "not_a_string"),
            ("symptoms_onset", "unknown_field")
        ]
    );
    let errors = raw_from_json(&serde_json::json!([1])).expect_err("refused");
    assert_eq!(errors[0].reason, "not_an_object");
}

#[test]
fn messages_never_echo_the_value() {
    let mut raw = good();
    raw.phone = Some("01 23 45 67 89".into());
    raw.birth_date = Some("1899-12-31".into());
    for e in parse_case(&raw, today(), &territories()).expect_err("rejected") {
        assert!(!e.message.contains("23 45"), "{e}");
        assert!(!e.message.contains("1899"), "{e}");
    }
}

fn date_between(from: Date, days: i64) -> impl Strategy<Value = Date> {
    (0..=days).prop_map(move |d| from + Duration::days(d))
}

proptest! {
    /// Any item whose fields are in range is accepted, and what comes out
    /// is what went in (trimmed, normalised).
    #[test]
    fn items_in_range_are_accepted(
        birth in date_between(crate::dates::ymd(1901, 1, 1).unwrap(), 43_000),
        sample_ago in 0..=MAX_SAMPLE_AGE_DAYS,
        onset_shift in proptest::option::of(-MAX_ONSET_BEFORE_SAMPLE_DAYS..=MAX_ONSET_AFTER_SAMPLE_DAYS),
        digits in 0u32..10_000,
        reference in "[A-Za-z0-9][A-Za-z0-9_./:-]{0,63}",
        first in "[\\p{L}][\\p{L} '-]{0,40}",
        antigen in any::<bool>(),
    ) {
        let today = today();
        let birth = birth.min(today);
        let sample = today - Duration::days(sample_ago);
        let onset = onset_shift.map(|s| sample + Duration::days(s)).filter(|o| *o <= today);
        let raw = RawCase {
            lab_reference: Some(format!(" {reference} ")),
            first_name: Some(first.clone()),
            last_name: Some("Martin".into()),
            birth_date: Some(birth.to_string()),
            // The fiction range (06 39 98 xx xx), typed the French way.
            phone: Some(format!("06 39 98 {:02} {:02}", digits / 100, digits % 100)),
            sample_date: Some(sample.to_string()),
            test_type: Some(if antigen { "antigen" } else { "pcr" }.into()),
            symptom_onset: onset.map(|o| o.to_string()),
            lang: Some("en".into()),
            departement: None,
            postcode: None,
        };
        let case = parse_case(&raw, today, &territories()).map_err(|e| TestCaseError::fail(format!("{e:?}")))?;
        prop_assert_eq!(case.lab_reference, reference);
        prop_assert_eq!(case.first_name, clean_text(&first));
        prop_assert_eq!(case.birth_date, birth);
        prop_assert_eq!(case.sample_date, sample);
        prop_assert_eq!(case.symptom_onset, onset);
        prop_assert_eq!(case.phone, format!("+3363998{digits:04}"));
    }

    /// A sample date after today or older than the limit is always refused
    /// on that field, whatever the rest.
    #[test]
    fn samples_out_of_range_are_refused(days in prop_oneof![1i64..5_000, -5_000i64..-MAX_SAMPLE_AGE_DAYS]) {
        let mut raw = good();
        raw.symptom_onset = None;
        raw.sample_date = Some((today() + Duration::days(days)).to_string());
        let errors = parse_case(&raw, today(), &territories()).expect_err("rejected");
        prop_assert_eq!(errors.len(), 1);
        prop_assert_eq!(errors[0].field.as_str(), "sample_date");
        let expected = if days > 0 { "date_in_future" } else { "too_old" };
        prop_assert_eq!(errors[0].reason.as_str(), expected);
    }

    /// Arbitrary text never panics, and a refusal always names known fields.
    #[test]
    fn arbitrary_text_never_panics(fields in proptest::collection::vec(proptest::option::of(".{0,40}"), 11)) {
        let mut raw = RawCase::default();
        for (name, value) in field::ALL.iter().zip(fields) {
            raw.set(name, value);
        }
        if let Err(errors) = parse_case(&raw, today(), &territories()) {
            prop_assert!(!errors.is_empty());
            for e in errors {
                prop_assert!(field::ALL.contains(&e.field.as_str()), "{}", e.field);
            }
        }
    }
}
