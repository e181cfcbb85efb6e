//! The search box, name folding, cursors and page sizes: examples, then
//! properties.

use super::*;
use proptest::prelude::*;

fn name(text: &str) -> Option<Search> {
    Some(Search::Name(text.to_owned()))
}

#[test]
fn tells_references_phones_and_names_apart() {
    let reference = |text: &str| Some(Search::Reference(text.to_owned()));
    let phone = |text: &str| Some(Search::Phone(text.to_owned()));
    assert_eq!(parse_search(" demo-0001 "), reference("DEMO-0001"));
    assert_eq!(parse_search("GEN-00000042"), reference("GEN-00000042"));
    assert_eq!(parse_search("pc-12"), reference("PC-12"));
    assert_eq!(parse_search("06 12 34 56 78"), phone("0612345678"));
    assert_eq!(parse_search("+33 (0)6.12.34.56.78"), phone("+330612345678"));
    assert_eq!(parse_search("06-12-34"), phone("061234"));
    assert_eq!(parse_search("06\u{a0}12\u{202f}34"), phone("061234"));
    assert_eq!(parse_search("Le Dû"), name("le du"));
    assert_eq!(parse_search("Jean-Pierre"), name("jean-pierre"));
    assert_eq!(
        parse_search("  D’Artagnan,  Charles "),
        name("d'artagnan charles")
    );
    // Not a reference: no letter, no digit, no dash, a space, too long.
    assert_eq!(parse_search("12-34"), name("12-34"));
    assert_eq!(parse_search("DEMO0001"), name("demo0001"));
    assert_eq!(parse_search("DEMO 0001"), name("demo 0001"));
    assert_eq!(
        parse_search(&format!("A-{}", "1".repeat(39))),
        name(&format!("a-{}", "1".repeat(39)))
    );
    // Not a phone: too few digits, a plus inside, a letter.
    assert_eq!(parse_search("06 12"), name("06 12"));
    assert_eq!(parse_search("06+123456"), name("06 123456"));
    assert_eq!(parse_search("0612345678x"), name("0612345678x"));
}

#[test]
fn refuses_empty_short_and_punctuation() {
    for text in [
        "",
        "   ",
        "é",
        "a",
        "--",
        "' -",
        "...",
        "+",
        "(  )",
        "\u{301}\u{301}",
    ] {
        assert_eq!(parse_search(text), None, "{text:?}");
    }
}

#[test]
fn folds_french_names() {
    assert_eq!(name_key("Élodie", "Le Dû"), "le du elodie");
    assert_eq!(
        name_key("François", "Lætitia-Œuvray"),
        "laetitia-oeuvray francois"
    );
    assert_eq!(name_key("Noël", "D'Aubigné"), "d'aubigne noel");
    assert_eq!(name_key("", "Müller"), "muller");
    assert_eq!(name_key("Gérard", ""), "gerard");
    assert_eq!(name_key("Ÿves", "GROßE"), "grosse yves");
    assert_eq!(fold_name("STRAẞE"), "strasse");
    assert_eq!(
        name_key("Zoë", "Łukasiewicz Ščepánek"),
        "lukasiewicz scepanek zoe"
    );
    // Decomposed accents (NFD), as some keyboards send them.
    assert_eq!(name_key("E\u{301}lodie", "Le Du\u{302}"), "le du elodie");
    // Other scripts kept, lower-cased.
    assert_eq!(fold_name("Ωμέγα ΣΟΦΊΑ"), "ωμέγα σοφία");
    assert_eq!(
        fold_name(" Saint-Exupéry\t(Antoine) "),
        "saint-exupery antoine"
    );
}

#[test]
fn cursors() {
    let cursor = |key: &str, id| {
        Some(Cursor {
            key: key.to_owned(),
            id,
        })
    };
    assert_eq!(Cursor::decode("2020-11-17~42"), cursor("2020-11-17", 42));
    assert_eq!(Cursor::decode("1605607200~7"), cursor("1605607200", 7));
    assert_eq!(Cursor::decode("-3600~1"), cursor("-3600", 1));
    for malformed in [
        "",
        "~",
        "2020-11-17",
        "2020-11-17~",
        "~42",
        "2020-11-17~0",
        "2020-11-17~-1",
        "2020-11-17~+1",
        "+5~1",
        "2020-02-30~1",
        "2020-1-17~1",
        "20201117x~1",
        "1~2~3",
        "1 ~2",
        "99999999999999999999~1",
        "1~99999999999999999999",
    ] {
        assert_eq!(Cursor::decode(malformed), None, "{malformed:?}");
    }
    let long = format!("{}~1", "1".repeat(63));
    assert_eq!(Cursor::decode(&long), None);
    let date: Date = crate::dates::parse_iso("2020-11-17").expect("test date");
    assert_eq!(Cursor::on_date(date, 3).key_date(), Some(date));
    assert_eq!(Cursor::at_instant(-5, 3).key_seconds(), Some(-5));
    assert_eq!(Cursor::at_instant(-5, 3).key_date(), None);
    assert_eq!(Cursor::on_date(date, 3).encode(), "2020-11-17~3");
}

#[test]
fn page_sizes() {
    assert_eq!(page_size(None), PAGE_SIZE);
    assert_eq!(page_size(Some("")), PAGE_SIZE);
    assert_eq!(page_size(Some("abc")), PAGE_SIZE);
    assert_eq!(page_size(Some("-5")), PAGE_SIZE);
    assert_eq!(page_size(Some("+20")), PAGE_SIZE);
    assert_eq!(page_size(Some(" 20 ")), 20);
    assert_eq!(page_size(Some("0")), MIN_PAGE_SIZE);
    assert_eq!(page_size(Some("1000")), MAX_PAGE_SIZE);
    assert_eq!(page_size(Some("99999999999999999999999")), MAX_PAGE_SIZE);
}

/// Valid cursor keys: a date of years 0 to 9999, or any `i64`.
fn arb_key() -> impl Strategy<Value = String> {
    prop_oneof![
        (0i32..=9999, 1u16..=366).prop_filter_map("a real day", |(year, day)| {
            Date::from_ordinal_date(year, day)
                .ok()
                .map(|d| d.to_string())
        }),
        any::<i64>().prop_map(|n| n.to_string()),
    ]
}

/// French first and last names, with their accents and ligatures.
fn arb_french_name() -> impl Strategy<Value = String> {
    "[A-Za-zÀÂÄÇÉÈÊËÎÏÔÖÙÛÜŸàâäçéèêëîïôöùûüÿŒœÆæ' -]{0,30}"
}

proptest! {
    #[test]
    fn cursors_round_trip(key in arb_key(), id in 1..=i64::MAX) {
        let cursor = Cursor { key, id };
        prop_assert_eq!(Cursor::decode(&cursor.encode()), Some(cursor));
    }

    #[test]
    fn decode_never_panics(text in ".{0,80}") {
        if let Some(cursor) = Cursor::decode(&text) {
            prop_assert!(cursor.id > 0);
            prop_assert!(cursor.key_date().is_some() || cursor.key_seconds().is_some());
            prop_assert_eq!(cursor.encode().len() <= text.len(), true);
        }
    }

    #[test]
    fn near_cursors_never_panic(text in "-?[0-9-]{0,25}~[0-9+-]{0,22}") {
        let _ = Cursor::decode(&text);
    }

    #[test]
    fn search_never_panics_and_names_are_folded(text in ".{0,60}") {
        match parse_search(&text) {
            Some(Search::Name(name)) => prop_assert_eq!(name, fold_name(&text)),
            Some(Search::Reference(reference)) => {
                prop_assert_eq!(reference.clone(), reference.to_ascii_uppercase());
                prop_assert!(reference.contains('-'));
            }
            Some(Search::Phone(phone)) => {
                let digits = phone.strip_prefix('+').unwrap_or(&phone);
                prop_assert!(digits.len() >= MIN_PHONE_DIGITS);
                prop_assert!(digits.bytes().all(|b| b.is_ascii_digit()));
            }
            None => {}
        }
    }

    #[test]
    fn folding_twice_is_folding_once(first in ".{0,30}", last in ".{0,30}") {
        let key = name_key(&first, &last);
        prop_assert_eq!(fold_name(&key), key.clone());
        prop_assert_eq!(name_key(&key, ""), key);
    }

    #[test]
    fn french_names_fold_to_ascii(first in arb_french_name(), last in arb_french_name()) {
        let key = name_key(&first, &last);
        prop_assert!(key.bytes().all(|b| b.is_ascii_lowercase() || b" -'".contains(&b)), "{}", key);
        prop_assert!(!key.starts_with(' ') && !key.ends_with(' ') && !key.contains("  "));
    }

    #[test]
    fn page_sizes_stay_in_bounds(text in proptest::option::of(".{0,12}")) {
        let size = page_size(text.as_deref());
        prop_assert!((MIN_PAGE_SIZE..=MAX_PAGE_SIZE).contains(&size));
    }
}
