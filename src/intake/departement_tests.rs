//! The département of an intake item through [`parse_case`]: given, found
//! from the postcode, or none; refused on its field when not in the list.

use super::{parse_case, RawCase};
use crate::territory::{DepartementCode, Territories};
use proptest::prelude::*;

fn item(departement: Option<&str>, postcode: Option<&str>) -> RawCase {
    RawCase {
        lab_reference: Some("LAB-1".into()),
        first_name: Some("Jeanne".into()),
        last_name: Some("Martin".into()),
        birth_date: Some("1980-01-02".into()),
        phone: Some("06 39 98 01 23".into()),
        sample_date: Some("2021-03-14".into()),
        test_type: Some("pcr".into()),
        symptom_onset: None,
        lang: None,
        departement: departement.map(Into::into),
        postcode: postcode.map(Into::into),
    }
}

fn today() -> time::Date {
    crate::dates::ymd(2021, 3, 15).unwrap()
}

/// The département kept, or the (field, reason) of each problem.
fn outcome(
    departement: Option<&str>,
    postcode: Option<&str>,
    territories: &Territories,
) -> Result<Option<&'static str>, Vec<(String, String)>> {
    parse_case(&item(departement, postcode), today(), territories)
        .map(|case| case.departement.map(DepartementCode::as_str))
        .map_err(|errors| errors.into_iter().map(|e| (e.field, e.reason)).collect())
}

fn refused(field: &str, reason: &str) -> Result<Option<&'static str>, Vec<(String, String)>> {
    Err(vec![(field.to_owned(), reason.to_owned())])
}

#[test]
fn the_departement_field_wins_over_the_postcode() {
    let t = Territories::shipped();
    assert_eq!(outcome(Some("80"), None, &t), Ok(Some("80")));
    assert_eq!(outcome(Some(" 2a "), None, &t), Ok(Some("2A")));
    assert_eq!(outcome(Some("60"), Some("80000"), &t), Ok(Some("60")));
    // Monaco's postcode does not matter when the département is given.
    assert_eq!(outcome(Some("06"), Some("98000"), &t), Ok(Some("06")));
}

#[test]
fn without_the_field_the_postcode_gives_the_departement() {
    let t = Territories::shipped();
    assert_eq!(outcome(None, Some("80000"), &t), Ok(Some("80")));
    assert_eq!(outcome(None, Some("20090"), &t), Ok(Some("2A")));
    assert_eq!(outcome(None, Some("20200"), &t), Ok(Some("2B")));
    assert_eq!(outcome(None, Some("97200"), &t), Ok(Some("972")));
    assert_eq!(outcome(Some(" "), Some(" 60000 "), &t), Ok(Some("60")));
}

#[test]
fn neither_field_is_no_departement_as_before() {
    let t = Territories::shipped();
    assert_eq!(outcome(None, None, &t), Ok(None));
    assert_eq!(outcome(Some(""), Some("  "), &t), Ok(None));
}

#[test]
fn unknown_codes_and_postcodes_are_refused_on_their_field() {
    let t = Territories::shipped();
    for code in ["20", "99", "975", "1", "Oise", "2C"] {
        assert_eq!(
            outcome(Some(code), None, &t),
            refused("departement", "unknown_departement"),
            "{code}"
        );
    }
    for postcode in ["98000", "97500", "00100", "20800"] {
        assert_eq!(
            outcome(None, Some(postcode), &t),
            refused("postcode", "unknown_postcode"),
            "{postcode}"
        );
    }
    for postcode in ["8000", "80 000", "F-80000", "800000"] {
        assert_eq!(
            outcome(None, Some(postcode), &t),
            refused("postcode", "not_a_postcode"),
            "{postcode}"
        );
        // Malformed, even beside a good département.
        assert_eq!(
            outcome(Some("80"), Some(postcode), &t),
            refused("postcode", "not_a_postcode")
        );
    }
    assert_eq!(
        outcome(Some("99"), Some("8000"), &t),
        Err(vec![
            ("departement".to_owned(), "unknown_departement".to_owned()),
            ("postcode".to_owned(), "not_a_postcode".to_owned()),
        ])
    );
}

#[test]
fn the_list_in_force_decides() {
    let somme_only = Territories::parse(
        "code,name\n32,Hauts-de-France\n",
        "code,name,region\n80,Somme,32\n",
    )
    .unwrap();
    assert_eq!(outcome(Some("80"), None, &somme_only), Ok(Some("80")));
    assert_eq!(
        outcome(Some("60"), None, &somme_only),
        refused("departement", "unknown_departement")
    );
    assert_eq!(
        outcome(None, Some("60000"), &somme_only),
        refused("postcode", "unknown_postcode")
    );
}

#[test]
fn messages_say_what_to_send_without_the_value() {
    let t = Territories::shipped();
    for (departement, postcode) in [
        (Some("20"), None),
        (Some("99"), None),
        (None, Some("98000")),
        (None, Some("8000")),
    ] {
        let errors = parse_case(&item(departement, postcode), today(), &t).unwrap_err();
        let message = &errors[0].message;
        assert!(!message.is_empty());
        for value in [departement, postcode].into_iter().flatten() {
            if value != "20" {
                assert!(!message.contains(value), "{message}");
            }
        }
    }
    let corsica = parse_case(&item(Some("20"), None), today(), &t).unwrap_err();
    assert!(corsica[0].message.contains("2A"), "{}", corsica[0].message);
}

proptest! {
    /// Any département code or five digits: kept when in the list,
    /// refused on its field otherwise — never a panic, never another field.
    #[test]
    fn codes_and_postcodes_are_kept_or_refused_on_their_field(
        departement in proptest::option::of("[0-9A-Ba-b]{0,4}"),
        postcode in proptest::option::of("[0-9]{4,6}"),
    ) {
        let t = Territories::shipped();
        match parse_case(&item(departement.as_deref(), postcode.as_deref()), today(), &t) {
            Ok(case) => {
                if let Some(code) = case.departement {
                    prop_assert!(t.departement(code).is_some());
                }
            }
            Err(errors) => {
                for e in errors {
                    prop_assert!(e.field == "departement" || e.field == "postcode", "{}", e.field);
                }
            }
        }
    }
}
