//! The GSM 03.38 tables, transliteration and segmentation: examples, then
//! properties.

use super::*;
use proptest::prelude::*;

#[test]
fn basic_table_follows_the_spec() {
    // A few codes of each row of 3GPP TS 23.038, 6.2.1.
    let codes = [
        (0x00, '@'),
        (0x01, '£'),
        (0x02, '$'),
        (0x03, '¥'),
        (0x04, 'è'),
        (0x09, 'Ç'),
        (0x0A, '\n'),
        (0x0D, '\r'),
        (0x0F, 'å'),
        (0x10, 'Δ'),
        (0x11, '_'),
        (0x12, 'Φ'),
        (0x1A, 'Ξ'),
        (0x1C, 'Æ'),
        (0x1E, 'ß'),
        (0x1F, 'É'),
        (0x20, ' '),
        (0x24, '¤'),
        (0x27, '\''),
        (0x2F, '/'),
        (0x30, '0'),
        (0x39, '9'),
        (0x3F, '?'),
        (0x40, '¡'),
        (0x41, 'A'),
        (0x5A, 'Z'),
        (0x5B, 'Ä'),
        (0x5E, 'Ü'),
        (0x5F, '§'),
        (0x60, '¿'),
        (0x61, 'a'),
        (0x7A, 'z'),
        (0x7B, 'ä'),
        (0x7D, 'ñ'),
        (0x7F, 'à'),
    ];
    for (code, c) in codes {
        assert_eq!(BASIC[code], c, "code {code:#04x}");
        assert_eq!(septets(c), Some(1), "{c:?}");
    }
    assert_eq!(BASIC[0x1B], ESC);
    assert_eq!(septets(ESC), None);
    let greek = "ΔΦΓΛΩΠΨΣΘΞ";
    assert_eq!(&BASIC[0x10..0x1B].iter().collect::<String>(), "Δ_ΦΓΛΩΠΨΣΘΞ");
    assert!(greek.chars().all(|c| septets(c) == Some(1)));
    // The table has no duplicate: 127 characters and the escape.
    let mut sorted = BASIC.to_vec();
    sorted.sort_unstable();
    sorted.dedup();
    assert_eq!(sorted.len(), 128);
}

#[test]
fn extension_table_follows_the_spec() {
    for c in ['^', '{', '}', '\\', '[', ']', '~', '|', '€', '\u{C}'] {
        assert_eq!(septets(c), Some(2), "{c:?}");
    }
    assert_eq!(EXTENSION.len(), 10);
    assert!(EXTENSION.iter().all(|&(_, c)| !BASIC.contains(&c)));
}

#[test]
fn counts_every_character() {
    let mut basic = 0;
    let mut extension = 0;
    for c in (0..=u32::from(char::MAX)).filter_map(char::from_u32) {
        match septets(c) {
            Some(1) => basic += 1,
            Some(2) => extension += 1,
            None => {}
            Some(n) => panic!("{c:?} takes {n} septets"),
        }
    }
    assert_eq!((basic, extension), (127, 10));
}

#[test]
fn counts_printable_ascii() {
    // Each printable ASCII character, 0x20 to 0x7E, and its septets:
    // 1 but for the extension (2) and the backtick (none).
    let printable: String = (0x20u8..=0x7E).map(char::from).collect();
    let expected = " !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~";
    assert_eq!(printable, expected);
    for c in printable.chars() {
        let spec = match c {
            '[' | '\\' | ']' | '^' | '{' | '|' | '}' | '~' => Some(2),
            '`' => None,
            _ => Some(1),
        };
        assert_eq!(septets(c), spec, "{c:?}");
    }
    assert!(!is_gsm7("a`b"));
    assert!(is_gsm7("Restez chez vous, 3 [4] {5} ~ 10 €."));
    assert!(is_gsm7(""));
    assert!(!is_gsm7("ça"));
    assert!(!is_gsm7("tab\there"));
}

#[test]
fn writes_french_with_gsm7() {
    assert_eq!(
        to_gsm7("Vous êtes contact à risque. Restez chez vous jusqu’au 3 décembre."),
        "Vous etes contact à risque. Restez chez vous jusqu'au 3 décembre."
    );
    assert_eq!(
        to_gsm7("« Ça va ? » — Oui… l’isolement dure 7 jours\u{a0}!"),
        "\" Ça va ? \" - Oui... l'isolement dure 7 jours !"
    );
    assert_eq!(
        to_gsm7("Fête, naïf, cœur, Œuvre, où, île, hôpital, Noël, L’HÔPITAL, À BIENTÔT"),
        "Fete, naif, coeur, OEuvre, où, ile, hopital, Noel, L'HOPITAL, A BIENTOT"
    );
    assert_eq!(
        to_gsm7("Français, FRANÇAIS, garçon, été, ÉTÉ, Ève, déjà"),
        "Francais, FRANÇAIS, garcon, été, ÉTÉ, Eve, déjà"
    );
    assert_eq!(
        to_gsm7("“Test” 10\u{202f}h\u{2009}30 – 12 h • appelez le 3\u{a0}114"),
        "\"Test\" 10 h 30 - 12 h - appelez le 3 114"
    );
}

#[test]
fn keeps_the_accented_letters_gsm7_has() {
    let kept = "é è ù ì ò Ç Ø ø Å å Ä Ö Ñ Ü ä ö ñ ü à É ß Æ æ £ ¥ ¤ § ¡ ¿ Δ Ω €";
    assert_eq!(to_gsm7(kept), kept);
}

#[test]
fn strips_other_latin_accents() {
    let cases = [
        ("ê ë â î ï ô û ç", "e e a i i o u c"),
        ("á í ó ú ý ÿ ã õ", "a i o u y y a o"),
        ("Ê Ë Â Î Ï Ô Û À È Ì Ò Ù", "E E A I I O U A E I O U"),
        ("Á Í Ó Ú Ý Ÿ Ã Õ", "A I O U Y Y A O"),
        ("œ Œ þ Þ ð Ð", "oe OE th TH d D"),
        ("Łódź Ščepánek Dvořák", "Lodz Scepanek Dvorak"),
        ("ı İ ĳ Ĳ ŉ ſ ẞ", "i I ij IJ 'n s SS"),
        ("Ștefan Țară", "Stefan Tara"),
    ];
    for (text, expected) in cases {
        assert_eq!(to_gsm7(text), expected, "{text:?}");
    }
}

#[test]
fn joins_or_drops_decomposed_accents() {
    assert_eq!(to_gsm7("E\u{301}te\u{301}"), "Été");
    assert_eq!(to_gsm7("fe\u{302}te"), "fete");
    assert_eq!(
        to_gsm7("franc\u{327}ais FRANC\u{327}AIS"),
        "francais FRANÇAIS"
    );
    assert_eq!(to_gsm7("a\u{300} u\u{308} n\u{303}"), "à ü ñ");
    assert_eq!(to_gsm7("e\u{301}\u{302}"), "é");
    assert_eq!(to_gsm7("\u{301}"), "");
}

#[test]
fn replaces_punctuation_spaces_and_the_rest() {
    let cases = [
        ("‘a’ `b` “c” «d» „e“", "'a' 'b' \"c\" \"d\" \"e\""),
        ("a–b—c−d‐e", "a-b-c-d-e"),
        ("wait…", "wait..."),
        ("a\tb\u{a0}c\u{202f}d\u{2003}e", "a b c d e"),
        ("a\u{2028}b", "a\nb"),
        ("co\u{ad}vid\u{200b} \u{feff}ok\u{200d}", "covid ok"),
        ("n° 3 ½ 5×2 ±1 m²", "no 3 1/2 5x2 +/-1 m2"),
        ("© ® ™", "(c) (R) TM"),
        ("contact·e·s", "contact.e.s"),
        ("日本 Привет 😀 ❤\u{fe0f}", "?? ?????? ? ?"),
        ("a\u{0}b\u{1b}c\u{7f}", "a?b?c?"),
    ];
    for (text, expected) in cases {
        assert_eq!(to_gsm7(text), expected, "{text:?}");
    }
    // Line breaks, form feed and the extension are GSM-7: kept.
    assert_eq!(
        to_gsm7("a\r\nb\u{c}[c]{d}\\^~|€"),
        "a\r\nb\u{c}[c]{d}\\^~|€"
    );
}

#[test]
fn every_character_transliterates_to_gsm7() {
    for c in (0..=u32::from(char::MAX)).filter_map(char::from_u32) {
        let once = to_gsm7(c.encode_utf8(&mut [0; 4]));
        assert!(is_gsm7(&once), "{c:?} → {once:?}");
        assert_eq!(to_gsm7(&once), once, "{c:?}");
        if septets(c).is_some() {
            assert_eq!(once, c.to_string());
        }
    }
}

#[test]
fn splits_at_160_then_153() {
    assert_eq!(segments(""), [""]);
    assert_eq!(parts(""), 1);
    assert_eq!(segments("Bonjour"), ["Bonjour"]);
    let full = "a".repeat(160);
    assert_eq!(segments(&full), [full.as_str()]);
    assert_eq!(segments(&"a".repeat(161)), ["a".repeat(153), "a".repeat(8)]);
    assert_eq!(parts(&"a".repeat(306)), 2);
    assert_eq!(parts(&"a".repeat(307)), 3);
    // Extension characters count two septets.
    assert_eq!(parts(&"€".repeat(80)), 1);
    assert_eq!(
        segments(&format!("{}a", "€".repeat(80))),
        ["€".repeat(76), format!("{}a", "€".repeat(4))]
    );
    // Not GSM-7: one septet each.
    assert_eq!(parts(&"ç".repeat(160)), 1);
    assert_eq!(parts(&"ç".repeat(161)), 2);
}

#[test]
fn moves_an_extension_character_whole_to_the_next_part() {
    let text = format!("{}€{}", "a".repeat(152), "b".repeat(10));
    assert_eq!(
        segments(&text),
        ["a".repeat(152), format!("€{}", "b".repeat(10))]
    );
    // When it fits exactly, it stays.
    let text = format!("{}€{}", "a".repeat(151), "b".repeat(10));
    assert_eq!(
        segments(&text),
        [format!("{}€", "a".repeat(151)), "b".repeat(10)]
    );
}

/// Text mixing basic, extension and non-GSM-7 characters, long enough to
/// take several parts.
fn arb_mixed() -> impl Strategy<Value = String> {
    let alphabet = prop::sample::select(vec!['a', 'é', ' ', '€', '[', '\n', 'ç', '’', '😀']);
    prop::collection::vec(alphabet, 0..500).prop_map(|chars| chars.into_iter().collect())
}

/// Any text: arbitrary Unicode, or mostly GSM-7.
fn arb_text() -> impl Strategy<Value = String> {
    prop_oneof![any::<String>(), ".{0,300}", arb_mixed()]
}

proptest! {
    #[test]
    fn to_gsm7_is_gsm7_and_idempotent(text in arb_text()) {
        let once = to_gsm7(&text);
        prop_assert!(is_gsm7(&once), "{:?}", once);
        prop_assert_eq!(to_gsm7(&once), once.clone());
        if is_gsm7(&text) {
            prop_assert_eq!(once, text);
        }
    }

    #[test]
    fn segments_cover_the_text(text in arb_text()) {
        let segments = segments(&text);
        prop_assert_eq!(segments.concat(), text.clone());
        prop_assert_eq!(parts(&text), segments.len());
        let total = septet_len(&text);
        if total <= SINGLE_PART_SEPTETS {
            prop_assert_eq!(segments.len(), 1);
        } else {
            prop_assert!(segments.len() >= 2);
            for part in &segments {
                prop_assert!(!part.is_empty());
                prop_assert!(septet_len(part) <= CONCATENATED_PART_SEPTETS, "{:?}", part);
            }
            // Filled greedily: the next part's first character did not fit.
            for pair in segments.windows(2) {
                let next = pair[1].chars().next().map_or(0, width);
                prop_assert!(septet_len(&pair[0]) + next > CONCATENATED_PART_SEPTETS);
            }
        }
    }

    #[test]
    fn transliterated_segments_are_gsm7(text in arb_text()) {
        let text = to_gsm7(&text);
        for part in segments(&text) {
            prop_assert!(is_gsm7(&part));
        }
    }
}
