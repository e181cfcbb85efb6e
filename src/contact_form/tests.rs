//! Unit tests for every error code, and properties of the contact form.

use super::*;
use proptest::prelude::*;
use proptest::sample::subsequence;

fn today() -> Date {
    crate::dates::ymd(2020, 11, 17).unwrap_or(Date::MIN)
}

const FIRST_YEAR: u32 = 2020;

/// A form that passes: a work colleague met on 2020-11-12, face to face.
fn good() -> ContactFields {
    ContactFields {
        first_name: "Jeanne".into(),
        last_name: "Martin".into(),
        phone: "06 12 34 56 78".into(),
        email: String::new(),
        relationship: "work".into(),
        day: "12".into(),
        month: "11".into(),
        year: "2020".into(),
        exposures: vec!["face_to_face".into()],
        protection: vec![],
        minor: "non".into(),
        guardian_phone: String::new(),
        ..ContactFields::default()
    }
}

/// The errors of `fields`, from the full parse when the phones are compiled
/// in, else from the details.
fn errors(fields: &ContactFields) -> Vec<FormError> {
    #[cfg(feature = "phone")]
    let result = parse_contact(fields, FIRST_YEAR, today()).map(|_| ());
    #[cfg(not(feature = "phone"))]
    let result = parse_details(fields, FIRST_YEAR, today()).map(|_| ());
    result.err().unwrap_or_default()
}

/// The single error of `fields`, as (field, code).
fn only_error(fields: &ContactFields) -> (&'static str, &'static str) {
    let errors = errors(fields);
    assert_eq!(errors.len(), 1, "{errors:?}");
    (errors[0].field, errors[0].code)
}

fn with(change: impl FnOnce(&mut ContactFields)) -> ContactFields {
    let mut fields = good();
    change(&mut fields);
    fields
}

#[test]
fn a_good_form_passes() {
    let details = parse_details(&good(), FIRST_YEAR, today()).expect("valid");
    assert_eq!(details.first_name, "Jeanne");
    assert_eq!(details.last_name, "Martin");
    assert_eq!(details.email, None);
    assert_eq!(details.relationship, Relationship::Work);
    let mut expected = ContactExposure::met_on(crate::dates::ymd(2020, 11, 12).unwrap());
    expected.exposures.insert(ExposureKind::FaceToFace);
    assert_eq!(details.exposure, expected);
    assert_eq!(
        exposure_from_fields(&good(), FIRST_YEAR, today()),
        Ok(expected)
    );
}

#[cfg(feature = "phone")]
#[test]
fn a_good_form_gives_a_contact() {
    let contact = parse_contact(&good(), FIRST_YEAR, today()).expect("valid");
    assert_eq!(contact.phone.e164, "+33612345678");
    assert!(contact.phone.can_receive_sms);
    assert_eq!(contact.guardian_phone, None);
    assert_eq!(contact.relationship, Relationship::Work);
    assert!(!contact.exposure.household);
    assert_eq!(contact.lang, None);
}

#[cfg(feature = "phone")]
#[test]
fn the_contact_s_language_is_one_the_service_speaks_or_not_said() {
    for lang in crate::Lang::ALL {
        let contact = parse_contact(&with(|f| f.lang = lang.code().into()), FIRST_YEAR, today())
            .expect("valid");
        assert_eq!(contact.lang, Some(lang));
    }
    let blank = parse_contact(&with(|f| f.lang = "  ".into()), FIRST_YEAR, today());
    assert_eq!(blank.expect("valid").lang, None);
    assert_eq!(
        only_error(&with(|f| f.lang = "de".into())),
        (field::LANG, "lang_unknown")
    );
}

#[test]
fn names_are_cleaned() {
    let fields = with(|f| {
        f.first_name = "  Jean \t Pierre\u{200B}\u{0} ".into();
        f.last_name = "de\u{a0}la\nFontaine\u{202E}".into();
    });
    let details = parse_details(&fields, FIRST_YEAR, today()).expect("valid");
    assert_eq!(details.first_name, "Jean Pierre");
    assert_eq!(details.last_name, "de la Fontaine");
    assert_eq!(clean_text("\u{7}\t\u{7}"), "");
    assert_eq!(clean_text("a \u{7} b"), "a b");
    assert_eq!(clean_text("Zoë  O'Neil-Smith"), "Zoë O'Neil-Smith");
}

#[test]
fn name_codes() {
    assert_eq!(
        only_error(&with(|f| f.first_name = "  ".into())),
        ("first-name", "first_name_missing")
    );
    assert_eq!(
        only_error(&with(|f| f.first_name = "\u{0}\u{200B}".into())),
        ("first-name", "first_name_missing")
    );
    assert_eq!(
        only_error(&with(|f| f.last_name = String::new())),
        ("last-name", "last_name_missing")
    );
    let long = "é".repeat(MAX_NAME_CHARS + 1);
    assert_eq!(
        only_error(&with(|f| f.first_name = long.clone())),
        ("first-name", "name_too_long")
    );
    assert_eq!(
        only_error(&with(|f| f.last_name = long.clone())),
        ("last-name", "name_too_long")
    );
    // The limit is on the cleaned name.
    let just = format!("  {}   ", "é".repeat(MAX_NAME_CHARS));
    assert_eq!(errors(&with(|f| f.last_name = just)), vec![]);
}

/// The name limit at its boundary, in characters after cleaning: the
/// contact form and a contact's own details refuse one more with the same
/// code.
#[test]
fn name_length_boundary() {
    let at_limit = "ß".repeat(MAX_NAME_CHARS);
    let over = "ß".repeat(MAX_NAME_CHARS + 1);
    let details = parse_details(
        &with(|f| {
            f.first_name = at_limit.clone();
            f.last_name = format!("{}\u{200B} {}", "a".repeat(50), "b".repeat(49));
        }),
        FIRST_YEAR,
        today(),
    )
    .expect("at the limit");
    assert_eq!(details.first_name, at_limit);
    assert_eq!(details.last_name.chars().count(), MAX_NAME_CHARS);
    assert_eq!(
        errors(&with(|f| {
            f.first_name = over.clone();
            f.last_name = over.clone();
        })),
        vec![
            FormError::new("first-name", "name_too_long"),
            FormError::new("last-name", "name_too_long"),
        ]
    );
    #[cfg(feature = "phone")]
    {
        let phone = "06 12 34 56 78";
        assert!(parse_own_details(&at_limit, &at_limit, "", phone).is_ok());
        assert_eq!(
            parse_own_details(&over, "Martin", "", phone),
            Err(vec![FormError::new("first-name", "name_too_long")])
        );
        assert_eq!(
            parse_own_details("Jeanne", &over, "", phone),
            Err(vec![FormError::new("last-name", "name_too_long")])
        );
    }
}

#[cfg(feature = "phone")]
#[test]
fn phone_codes() {
    assert_eq!(
        only_error(&with(|f| f.phone = " ".into())),
        ("phone", "phone_missing")
    );
    assert_eq!(
        only_error(&with(|f| f.phone = "call me".into())),
        ("phone", "phone_not_a_number")
    );
    assert_eq!(
        only_error(&with(|f| f.phone = "06 12 34".into())),
        ("phone", "phone_invalid")
    );
    // A landline is a valid phone; the flag says it cannot get texts.
    let contact = parse_contact(
        &with(|f| f.phone = "01 45 67 89 10".into()),
        FIRST_YEAR,
        today(),
    )
    .expect("valid");
    assert!(!contact.phone.can_receive_sms);
}

#[test]
fn email() {
    let parse = |s: &str| parse_email(s);
    assert_eq!(parse(""), Ok(None));
    assert_eq!(parse("   "), Ok(None));
    assert_eq!(
        parse(" Jeanne.Martin@Example.FR "),
        Ok(Some("Jeanne.Martin@example.fr".into()))
    );
    assert_eq!(
        parse("a+tag@sub.example.org"),
        Ok(Some("a+tag@sub.example.org".into()))
    );
    for bad in [
        "jeanne",
        "jeanne@",
        "@example.fr",
        "jeanne@example",
        "jeanne@@example.fr",
        "jeanne@exa@mple.fr",
        "jeanne martin@example.fr",
        "jeanne@example .fr",
        "jeanne@.example.fr",
        "jeanne@example.fr.",
        "jeanne@example..fr",
        "jeanne\u{0}@example.fr",
    ] {
        assert_eq!(
            parse(bad),
            Err(FormError::new("email", "email_invalid")),
            "{bad:?}"
        );
    }
    // RFC 5321: 64 characters before the `@`, 254 in all.
    let domain = format!(
        "{}.{}.{}.fr",
        "b".repeat(63),
        "c".repeat(63),
        "d".repeat(58)
    );
    let at_limit = format!("{}@{domain}", "a".repeat(64));
    assert_eq!(at_limit.chars().count(), MAX_EMAIL_CHARS);
    assert!(parse(&at_limit).is_ok());
    assert!(parse(&format!("a{at_limit}")).is_err());
    assert!(parse(&format!("{}@example.fr", "a".repeat(65))).is_err());
    assert_eq!(
        only_error(&with(|f| f.email = "not an email".into())),
        ("email", "email_invalid")
    );
    let details =
        parse_details(&with(|f| f.email = " x@Y.FR ".into()), FIRST_YEAR, today()).expect("valid");
    assert_eq!(details.email.as_deref(), Some("x@y.fr"));
}

#[test]
fn relationship_codes() {
    assert_eq!(
        only_error(&with(|f| f.relationship = String::new())),
        ("relationship", "relationship_missing")
    );
    assert_eq!(
        only_error(&with(|f| f.relationship = "neighbour".into())),
        ("relationship", "relationship_unknown")
    );
    for r in Relationship::ALL {
        let details = parse_details(
            &with(|f| f.relationship = r.as_str().into()),
            FIRST_YEAR,
            today(),
        )
        .expect("valid");
        assert_eq!(details.relationship, *r);
        assert_eq!(details.exposure.household, *r == Relationship::Household);
    }
}

#[test]
fn relationship_names_round_trip() {
    for r in Relationship::ALL {
        assert_eq!(r.as_str().parse::<Relationship>(), Ok(*r));
        let json = serde_json::to_string(r).expect("serialises");
        assert_eq!(json, format!("\"{}\"", r.as_str()));
    }
    assert_eq!(Relationship::Household.to_string(), "household");
}

#[test]
fn date_codes_on_their_fields() {
    let date = |d: &str, m: &str, y: &str| {
        only_error(&with(|f| {
            f.day = d.into();
            f.month = m.into();
            f.year = y.into();
        }))
    };
    assert_eq!(date("", "", ""), ("last-day", "date_missing"));
    assert_eq!(date("x", "11", "2020"), ("last-day", "date_day"));
    assert_eq!(date("12", "13", "2020"), ("last-month", "date_month"));
    assert_eq!(date("12", "11", "20x0"), ("last-year", "date_year"));
    assert_eq!(date("31", "9", "2020"), ("last-day", "date_not_a_date"));
    assert_eq!(date("18", "11", "2020"), ("last-day", "date_future"));
    assert_eq!(date("12", "11", "2019"), ("last-year", "date_year_range"));
}

#[test]
fn date_codes_are_the_date_fields_codes_prefixed() {
    let all = [
        DateFieldsError::Missing,
        DateFieldsError::Field(DateField::Day),
        DateFieldsError::Field(DateField::Month),
        DateFieldsError::Field(DateField::Year),
        DateFieldsError::NotADate,
        DateFieldsError::InFuture,
        DateFieldsError::YearOutOfRange,
    ];
    for e in all {
        assert_eq!(date_code(e), format!("date_{}", e.code()));
    }
}

#[test]
fn checkbox_codes() {
    assert_eq!(
        only_error(&with(|f| f.exposures = vec!["hug".into(), "kiss".into()])),
        ("exposures", "exposure_unknown")
    );
    assert_eq!(
        only_error(&with(
            |f| f.protection = vec!["case_mask".into(), "gloves".into()]
        )),
        ("protection", "protection_unknown")
    );
    // Blank entries (hidden inputs) are ignored, names are trimmed, doubles merged.
    let details = parse_details(
        &with(|f| {
            f.exposures = vec!["".into(), " cough_sneeze ".into(), "cough_sneeze".into()];
            f.protection = vec!["case_mask".into(), "contact_mask".into(), " ".into()];
        }),
        FIRST_YEAR,
        today(),
    )
    .expect("valid");
    assert_eq!(
        details.exposure.exposures,
        BTreeSet::from([ExposureKind::CoughSneeze])
    );
    assert_eq!(
        details.exposure.protection,
        BTreeSet::from([Protection::CaseMask, Protection::ContactMask])
    );
}

#[test]
fn no_exposure_is_valid_outside_the_household() {
    let fields = with(|f| f.exposures.clear());
    let exposure = exposure_from_fields(&fields, FIRST_YEAR, today()).expect("valid");
    assert!(exposure.exposures.is_empty());
    assert!(!exposure.household);
    // The rules see a negligible risk, not an error.
    let sets = crate::RuleSets::embedded();
    let case = crate::CaseSituation::new(
        crate::dates::ymd(2020, 11, 13),
        crate::dates::ymd(2020, 11, 14).unwrap_or(Date::MIN),
    );
    let assessment = crate::rules::assess(&sets, &case);
    assert_eq!(
        assessment.assess_contact(&exposure).classification,
        crate::Classification::Negligible
    );
    // And a household member with none is at risk.
    let fields = with(|f| {
        f.exposures.clear();
        f.relationship = "household".into();
    });
    let exposure = exposure_from_fields(&fields, FIRST_YEAR, today()).expect("valid");
    assert!(exposure.household);
    assert_eq!(
        assessment.assess_contact(&exposure).classification,
        crate::Classification::AtRisk
    );
}

#[test]
fn minor_codes() {
    assert_eq!(
        only_error(&with(|f| f.minor = String::new())),
        ("minor", "minor_missing")
    );
    assert_eq!(
        only_error(&with(|f| f.minor = "peut-être".into())),
        ("minor", "minor_missing")
    );
    assert_eq!(minor_answer(" OUI "), Some(true));
    assert_eq!(minor_answer("non"), Some(false));
    assert_eq!(minor_answer("yes"), None);
}

#[cfg(feature = "phone")]
#[test]
fn guardian_phone_codes() {
    assert_eq!(
        only_error(&with(|f| f.minor = "oui".into())),
        ("guardian-phone", "guardian_phone_missing")
    );
    assert_eq!(
        only_error(&with(|f| {
            f.minor = "oui".into();
            f.guardian_phone = "parent".into();
        })),
        ("guardian-phone", "guardian_phone_invalid")
    );
    assert_eq!(
        only_error(&with(|f| {
            f.minor = "oui".into();
            f.guardian_phone = "06 12".into();
        })),
        ("guardian-phone", "guardian_phone_invalid")
    );
    let contact = parse_contact(
        &with(|f| {
            f.minor = "oui".into();
            f.guardian_phone = "07 81 23 45 67".into();
        }),
        FIRST_YEAR,
        today(),
    )
    .expect("valid");
    assert!(contact.exposure.minor);
    assert_eq!(
        contact.guardian_phone.map(|p| p.e164),
        Some("+33781234567".to_owned())
    );
    // An adult's guardian phone is ignored, even when wrong.
    let contact = parse_contact(
        &with(|f| f.guardian_phone = "nonsense".into()),
        FIRST_YEAR,
        today(),
    )
    .expect("valid");
    assert_eq!(contact.guardian_phone, None);
    // Minor not answered: a wrong guardian phone is still pointed out.
    let errors = errors(&with(|f| {
        f.minor = String::new();
        f.guardian_phone = "x".into();
    }));
    assert_eq!(
        errors,
        vec![
            FormError::new("minor", "minor_missing"),
            FormError::new("guardian-phone", "guardian_phone_invalid"),
        ]
    );
}

#[test]
fn an_empty_form_lists_every_problem_in_form_order() {
    let errors = errors(&ContactFields::default());
    let mut expected = vec![
        FormError::new("first-name", "first_name_missing"),
        FormError::new("last-name", "last_name_missing"),
        FormError::new("relationship", "relationship_missing"),
        FormError::new("last-day", "date_missing"),
        FormError::new("minor", "minor_missing"),
    ];
    if cfg!(feature = "phone") {
        expected.insert(2, FormError::new("phone", "phone_missing"));
    }
    assert_eq!(errors, expected);
}

#[test]
fn fields_deserialise_with_missing_keys() {
    let fields: ContactFields =
        serde_json::from_str(r#"{"first_name":"Jeanne","exposures":["face_to_face"]}"#)
            .expect("deserialises");
    assert_eq!(fields.first_name, "Jeanne");
    assert_eq!(fields.exposures, vec!["face_to_face".to_owned()]);
    assert_eq!(fields.phone, "");
}

#[test]
fn form_error_displays_field_and_code() {
    assert_eq!(
        FormError::new("phone", "phone_invalid").to_string(),
        "phone: phone_invalid"
    );
}

#[test]
fn duplicates() {
    let found = duplicate_phones(["+33612345678", "+447700900123", " +33612345678", "", " "]);
    assert_eq!(found, BTreeSet::from(["+33612345678".to_owned()]));
    assert!(duplicate_phones(Vec::<&str>::new()).is_empty());
    assert!(duplicate_phones(["", ""]).is_empty());
}

// ---------------------------------------------------------------------------
// Properties

/// Text from anywhere, or one of the values the form expects.
fn arb_text(good: &'static [&'static str]) -> impl Strategy<Value = String> {
    prop_oneof![
        ".{0,24}",
        prop::sample::select(good).prop_map(str::to_owned),
        "[0-9 +]{0,14}",
    ]
}

fn arb_names(good: &'static [&'static str]) -> impl Strategy<Value = Vec<String>> {
    prop::collection::vec(arb_text(good), 0..5)
}

const EXPOSURE_NAMES: &[&str] = &[
    "face_to_face",
    "care_or_hygiene",
    "closed_space_15min",
    "cough_sneeze",
    "",
];
const PROTECTION_NAMES: &[&str] = &["case_mask", "contact_mask", "physical_screen", ""];

fn arb_fields() -> impl Strategy<Value = ContactFields> {
    (
        (
            arb_text(&["Jeanne", "", " "]),
            arb_text(&["Martin", ""]),
            arb_text(&["06 12 34 56 78", "+44 7700 900123", "", "0"]),
            arb_text(&["a@b.fr", "", "@"]),
            arb_text(&["work", "household", "", "x"]),
            arb_text(&["12", "31", "0", ""]),
        ),
        (
            arb_text(&["11", "2", "13", ""]),
            arb_text(&["2020", "2019", "2021", ""]),
            arb_names(EXPOSURE_NAMES),
            arb_names(PROTECTION_NAMES),
            arb_text(&["oui", "non", ""]),
            arb_text(&["07 81 23 45 67", "", "x"]),
        ),
    )
        .prop_map(
            |(
                (first_name, last_name, phone, email, relationship, day),
                (month, year, exposures, protection, minor, guardian_phone),
            )| ContactFields {
                first_name,
                last_name,
                phone,
                email,
                relationship,
                day,
                month,
                year,
                exposures,
                protection,
                minor,
                guardian_phone,
                ..ContactFields::default()
            },
        )
}

/// A name as typed: words of letters, with stray white space around.
fn arb_name() -> impl Strategy<Value = (String, String)> {
    (
        prop::collection::vec("[A-Za-zÀ-ÖØ-öø-ÿ'\\-]{1,12}", 1..4),
        prop::sample::select(vec![" ", "  ", "\t", "\u{a0}", " \n "]),
        prop::sample::select(vec!["", " ", "  \t"]),
    )
        .prop_map(|(words, sep, pad)| (format!("{pad}{}{pad}", words.join(sep)), words.join(" ")))
}

/// A well-formed form, and what it should parse to.
#[derive(Debug, Clone)]
struct Generated {
    fields: ContactFields,
    first_name: String,
    last_name: String,
    relationship: Relationship,
    date: Date,
    exposures: BTreeSet<ExposureKind>,
    protection: BTreeSet<Protection>,
    minor: bool,
}

fn arb_good_form() -> impl Strategy<Value = Generated> {
    (
        (arb_name(), arb_name()),
        prop::sample::select(Relationship::ALL.to_vec()),
        0i64..=321,
        subsequence(ExposureKind::ALL.to_vec(), 0..=ExposureKind::ALL.len()),
        subsequence(Protection::ALL.to_vec(), 0..=Protection::ALL.len()),
        any::<bool>(),
        ("0[67][0-9]{8}", "0[67][0-9]{8}"),
        any::<bool>(),
        prop::option::of("[a-z0-9.]{1,10}@[A-Za-z]{1,8}\\.(fr|COM|org)"),
    )
        .prop_map(
            |(
                ((first_typed, first_name), (last_typed, last_name)),
                relationship,
                days_back,
                exposures,
                protection,
                minor,
                (phone, guardian),
                zero_padded,
                email,
            )| {
                let date = today() - time::Duration::days(days_back);
                let (day, month) = if zero_padded {
                    (
                        format!("{:02}", date.day()),
                        format!("{:02}", crate::dates::month_number(date)),
                    )
                } else {
                    (
                        date.day().to_string(),
                        crate::dates::month_number(date).to_string(),
                    )
                };
                let fields = ContactFields {
                    first_name: first_typed,
                    last_name: last_typed,
                    phone,
                    email: email.unwrap_or_default(),
                    relationship: relationship.as_str().to_owned(),
                    day,
                    month,
                    year: date.year().to_string(),
                    exposures: exposures.iter().map(|e| e.as_str().to_owned()).collect(),
                    protection: protection.iter().map(|p| p.as_str().to_owned()).collect(),
                    minor: if minor { "oui" } else { "non" }.to_owned(),
                    guardian_phone: if minor { guardian } else { String::new() },
                    ..ContactFields::default()
                };
                Generated {
                    fields,
                    first_name,
                    last_name,
                    relationship,
                    date,
                    exposures: exposures.into_iter().collect(),
                    protection: protection.into_iter().collect(),
                    minor,
                }
            },
        )
}

proptest! {
    #[test]
    fn never_panics_and_names_only_known_fields(fields in arb_fields()) {
        let mut all = Vec::new();
        if let Err(errors) = parse_details(&fields, FIRST_YEAR, today()) {
            prop_assert!(!errors.is_empty());
            all.extend(errors);
        }
        if let Err(errors) = exposure_from_fields(&fields, FIRST_YEAR, today()) {
            prop_assert!(!errors.is_empty());
            all.extend(errors);
        }
        #[cfg(feature = "phone")]
        if let Err(errors) = parse_contact(&fields, FIRST_YEAR, today()) {
            prop_assert!(!errors.is_empty());
            // In form order.
            let positions: Vec<usize> = errors
                .iter()
                .filter_map(|e| field::ALL.iter().position(|f| *f == e.field))
                .collect();
            prop_assert!(positions.windows(2).all(|w| w[0] <= w[1]), "{:?}", errors);
            all.extend(errors);
        }
        for error in all {
            prop_assert!(field::ALL.contains(&error.field), "{:?}", error);
            prop_assert!(!error.code.is_empty());
        }
    }

    #[test]
    fn well_formed_forms_parse_and_round_trip(g in arb_good_form()) {
        let details = parse_details(&g.fields, FIRST_YEAR, today())
            .map_err(|e| TestCaseError::fail(format!("{e:?}")))?;
        prop_assert_eq!(&details.first_name, &g.first_name);
        prop_assert_eq!(&details.last_name, &g.last_name);
        prop_assert_eq!(details.relationship, g.relationship);
        prop_assert_eq!(details.exposure.household, g.relationship == Relationship::Household);
        prop_assert_eq!(details.exposure.last_contact, g.date);
        prop_assert_eq!(&details.exposure.exposures, &g.exposures);
        prop_assert_eq!(&details.exposure.protection, &g.protection);
        prop_assert_eq!(details.exposure.minor, g.minor);
        prop_assert_eq!(
            details.email.as_deref().map(|e| e.split('@').nth(1).unwrap_or("").to_owned()),
            (!g.fields.email.is_empty()).then(|| g.fields.email.split('@').nth(1).unwrap_or("").to_lowercase())
        );
        prop_assert_eq!(
            exposure_from_fields(&g.fields, FIRST_YEAR, today()),
            Ok(details.exposure.clone())
        );
        #[cfg(feature = "phone")]
        {
            let contact = parse_contact(&g.fields, FIRST_YEAR, today())
                .map_err(|e| TestCaseError::fail(format!("{e:?}")))?;
            prop_assert_eq!(&contact.first_name, &details.first_name);
            prop_assert_eq!(&contact.last_name, &details.last_name);
            prop_assert_eq!(&contact.exposure, &details.exposure);
            prop_assert_eq!(contact.relationship, details.relationship);
            prop_assert_eq!(&contact.email, &details.email);
            prop_assert!(contact.phone.can_receive_sms);
            prop_assert_eq!(contact.guardian_phone.is_some(), g.minor);
            // The validated contact survives JSON.
            let json = serde_json::to_string(&contact).map_err(|e| TestCaseError::fail(e.to_string()))?;
            let back: ContactInput = serde_json::from_str(&json).map_err(|e| TestCaseError::fail(e.to_string()))?;
            prop_assert_eq!(back, contact);
        }
    }

    #[test]
    fn cleaned_text_is_clean_and_stable(input in ".{0,40}") {
        let clean = clean_text(&input);
        prop_assert_eq!(clean.trim(), clean.as_str());
        prop_assert!(!clean.contains("  "));
        prop_assert!(!clean.chars().any(|c| is_invisible(c) || (c.is_whitespace() && c != ' ')));
        prop_assert_eq!(clean_text(&clean), clean);
    }

    #[test]
    fn duplicates_are_exactly_the_phones_seen_twice(
        phones in prop::collection::vec(prop::sample::select(vec!["+33612345678", "+33781234567", "+447700900123", "+262692123456", " ", ""]), 0..12),
    ) {
        let found = duplicate_phones(phones.iter().copied());
        for phone in ["+33612345678", "+33781234567", "+447700900123", "+262692123456"] {
            let count = phones.iter().filter(|p| p.trim() == phone).count();
            prop_assert_eq!(found.contains(phone), count >= 2, "{} seen {} times", phone, count);
        }
        prop_assert!(found.iter().all(|p| !p.trim().is_empty()));
        // Order does not matter.
        let mut reversed = phones.clone();
        reversed.reverse();
        prop_assert_eq!(duplicate_phones(reversed.iter().copied()), found.clone());
        // Listing every phone twice makes each a duplicate.
        let doubled: Vec<&str> = phones.iter().chain(phones.iter()).copied().collect();
        let distinct: BTreeSet<String> = phones.iter().map(|p| p.trim()).filter(|p| !p.is_empty()).map(str::to_owned).collect();
        prop_assert_eq!(duplicate_phones(doubled), distinct.clone());
        // Distinct phones have no duplicate.
        prop_assert!(duplicate_phones(distinct.iter().map(String::as_str)).is_empty());
    }

    #[test]
    fn duplicates_of_arbitrary_text_are_a_subset_of_the_input(phones in prop::collection::vec("[+0-9 ]{0,4}", 0..20)) {
        let found = duplicate_phones(phones.iter().map(String::as_str));
        for phone in &found {
            prop_assert!(phones.iter().filter(|p| p.trim() == phone).count() >= 2);
        }
    }
}

#[cfg(feature = "phone")]
mod own_details {
    use super::*;

    #[test]
    fn a_contact_corrects_their_name_email_and_phone() {
        let d =
            parse_own_details(" Aimée ", "Vasseur", "Aimee@Example.FR", "06 12 34 56 78").unwrap();
        assert_eq!(
            (d.first_name.as_str(), d.last_name.as_str()),
            ("Aimée", "Vasseur")
        );
        assert_eq!(d.email.as_deref(), Some("Aimee@example.fr"));
        assert_eq!(d.phone.e164, "+33612345678");
        assert_eq!(
            parse_own_details("A", "B", "", "+44 7700 900123")
                .unwrap()
                .email,
            None
        );
    }

    #[test]
    fn every_problem_is_reported_in_form_order() {
        let errors = parse_own_details("", " ", "not an email", "12").unwrap_err();
        let got: Vec<(&str, &str)> = errors.iter().map(|e| (e.field, e.code)).collect();
        assert_eq!(
            got,
            vec![
                (field::FIRST_NAME, "first_name_missing"),
                (field::LAST_NAME, "last_name_missing"),
                (field::PHONE, "phone_invalid"),
                (field::EMAIL, "email_invalid"),
            ]
        );
        let long = "x".repeat(MAX_NAME_CHARS + 1);
        let errors = parse_own_details(&long, "B", "", "").unwrap_err();
        assert_eq!(errors[0].code, "name_too_long");
        assert_eq!(errors[1].code, "phone_missing");
    }

    proptest! {
        #[test]
        fn never_panics_and_a_success_is_clean(first in ".{0,120}", last in ".{0,120}", email in ".{0,40}", phone in "[+0-9 ]{0,20}") {
            if let Ok(d) = parse_own_details(&first, &last, &email, &phone) {
                prop_assert!(!d.first_name.is_empty() && d.first_name.chars().count() <= MAX_NAME_CHARS);
                prop_assert!(!d.last_name.is_empty());
                prop_assert!(d.phone.e164.starts_with('+'));
            }
        }
    }
}

#[test]
fn age_band_from_the_minor_answer_and_the_under_12_box() {
    let band = |f: &ContactFields| {
        exposure_from_fields(f, FIRST_YEAR, today())
            .map(|e| (e.minor, e.age_band))
            .map_err(|e| e[0].code)
    };
    assert_eq!(band(&good()), Ok((false, AgeBand::Adult)));
    let teen = with(|f| {
        f.minor = "oui".into();
        f.guardian_phone = "06 98 76 54 32".into();
    });
    assert_eq!(band(&teen), Ok((true, AgeBand::From12To17)));
    let child = with(|f| {
        f.minor = "oui".into();
        f.guardian_phone = "06 98 76 54 32".into();
        f.under_12 = "oui".into();
    });
    assert_eq!(band(&child), Ok((true, AgeBand::Under12)));
    let adult_child = with(|f| f.under_12 = "oui".into());
    assert_eq!(
        only_error(&adult_child),
        (field::UNDER_12, "under_12_not_minor")
    );
}

#[test]
fn vaccination_as_the_case_knows_it() {
    let parsed = |f: &ContactFields| {
        exposure_from_fields(f, FIRST_YEAR, today()).map(|e| (e.vaccination, e.last_dose))
    };
    // Not asked, or "I don't know": unknown (treated as not vaccinated).
    assert_eq!(parsed(&good()), Ok((VaccinationStatus::Unknown, None)));
    let full = with(|f| f.vaccination = "fully_vaccinated".into());
    assert_eq!(
        parsed(&full),
        Ok((VaccinationStatus::FullyVaccinated, None))
    );
    let dated = with(|f| {
        f.vaccination = "fully_vaccinated".into();
        f.dose_day = "2".into();
        f.dose_month = "10".into();
        f.dose_year = "2020".into();
    });
    assert_eq!(
        parsed(&dated),
        Ok((
            VaccinationStatus::FullyVaccinated,
            crate::dates::ymd(2020, 10, 2)
        ))
    );
    // A date given for another answer is ignored.
    let ignored = with(|f| {
        f.vaccination = "not_vaccinated".into();
        f.dose_day = "99".into();
    });
    assert_eq!(
        parsed(&ignored),
        Ok((VaccinationStatus::NotVaccinated, None))
    );
    assert_eq!(
        only_error(&with(|f| f.vaccination = "maybe".into())),
        (field::VACCINATION, "vaccination_unknown")
    );
    let future = with(|f| {
        f.vaccination = "fully_vaccinated".into();
        f.dose_day = "18".into();
        f.dose_month = "11".into();
        f.dose_year = "2020".into();
    });
    assert_eq!(only_error(&future), (field::DOSE_DAY, "date_future"));
    let bad_month = with(|f| {
        f.vaccination = "fully_vaccinated".into();
        f.dose_day = "1".into();
        f.dose_month = "13".into();
        f.dose_year = "2020".into();
    });
    assert_eq!(only_error(&bad_month), (field::DOSE_MONTH, "date_month"));
}
