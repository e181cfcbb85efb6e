//! Text in both directions: a value (a date, a phone number, a name, a
//! link) put into a right-to-left sentence keeps its own direction, and
//! does not drag the sentence's punctuation or numbers into it.
//!
//! The catalogue's sentences have `{}` holes, filled in order. In a
//! sentence whose script runs right to left, each value is wrapped in a
//! first-strong isolate (U+2068 … U+2069, Unicode's bidirectional
//! algorithm, UAX #9): a phone number or a numeric date is laid out left to
//! right inside Arabic, an Arabic date right to left. Browsers and phones
//! honour these marks; they print nothing.

/// U+2068 FIRST STRONG ISOLATE: the value's direction is its first strong
/// letter's (left to right when it has none, as a phone number).
pub const FIRST_STRONG_ISOLATE: char = '\u{2068}';
/// U+2066 LEFT-TO-RIGHT ISOLATE.
pub const LEFT_TO_RIGHT_ISOLATE: char = '\u{2066}';
/// U+2069 POP DIRECTIONAL ISOLATE: ends an isolate.
pub const POP_DIRECTIONAL_ISOLATE: char = '\u{2069}';

/// Whether a character belongs to a script written right to left (Hebrew,
/// Arabic, Syriac, Thaana, N'Ko and their presentation forms).
pub fn is_rtl_char(c: char) -> bool {
    matches!(u32::from(c),
        0x0590..=0x08FF | 0xFB1D..=0xFDFF | 0xFE70..=0xFEFF | 0x1EE00..=0x1EEFF)
}

/// Whether `text`'s first letter of a strong direction is right to left
/// (what a paragraph's direction would be by UAX #9's rule P2, for the
/// scripts the service writes).
pub fn is_rtl_text(text: &str) -> bool {
    text.chars()
        .find(|c| c.is_alphabetic())
        .is_some_and(is_rtl_char)
}

/// `value` laid out left to right whatever surrounds it: for a phone
/// number, a reference or a link shown in a right-to-left page.
pub fn left_to_right(value: &str) -> String {
    format!("{LEFT_TO_RIGHT_ISOLATE}{value}{POP_DIRECTIONAL_ISOLATE}")
}

/// The `{}` holes of `template` filled in order with `values` (a hole
/// without a value stays; a value without a hole is dropped). In a
/// right-to-left template every value is a first-strong isolate.
pub fn fill(template: &str, values: &[String]) -> String {
    let isolate = is_rtl_text(template);
    fill_with(template, values, |value, out| {
        if isolate {
            out.push(FIRST_STRONG_ISOLATE);
            out.push_str(value);
            out.push(POP_DIRECTIONAL_ISOLATE);
        } else {
            out.push_str(value);
        }
    })
}

/// The `{}` holes of `template` filled in order, the values as they are
/// (an SMS: no invisible marks next to a link a phone must recognise).
pub fn fill_plain(template: &str, values: &[String]) -> String {
    fill_with(template, values, |value, out| out.push_str(value))
}

fn fill_with(template: &str, values: &[String], put: impl Fn(&str, &mut String)) -> String {
    let mut out =
        String::with_capacity(template.len() + values.iter().map(String::len).sum::<usize>() + 8);
    let mut rest = template;
    let mut values = values.iter();
    while let Some(at) = rest.find("{}") {
        out.push_str(&rest[..at]);
        match values.next() {
            Some(value) => put(value, &mut out),
            None => out.push_str("{}"),
        }
        rest = &rest[at + 2..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn a_left_to_right_sentence_is_filled_as_it_is() {
        let text = fill(
            "Until {}, call {}.",
            &["Tuesday 17".into(), "+33 6 12".into()],
        );
        assert_eq!(text, "Until Tuesday 17, call +33 6 12.");
        assert_eq!(fill_plain("a {} b", &["x".into()]), "a x b");
    }

    #[test]
    fn a_right_to_left_sentence_isolates_each_value() {
        let text = fill("ابقَ في المنزل حتى {}.", &["+33 6 12 34 56 78".into()]);
        assert_eq!(text, "ابقَ في المنزل حتى \u{2068}+33 6 12 34 56 78\u{2069}.");
        // The values' order and content are untouched.
        let two = fill("{} و {}", &["1".into(), "2".into()]);
        assert_eq!(two, "\u{2068}1\u{2069} و \u{2068}2\u{2069}");
        // A sentence starting with a Latin brand but written in Arabic:
        // the first strong letter decides, as a phone would.
        assert!(!is_rtl_text("Relais: مرحبا"));
        assert!(is_rtl_text("«مرحبا» Relais"));
        assert!(!is_rtl_text("123 —"));
        assert_eq!(fill_plain("حتى {}", &["x".into()]), "حتى x");
    }

    #[test]
    fn missing_and_extra_values() {
        assert_eq!(fill("{} and {}", &["a".into()]), "a and {}");
        assert_eq!(fill("no hole", &["a".into()]), "no hole");
        assert_eq!(left_to_right("+33"), "\u{2066}+33\u{2069}");
    }

    proptest! {
        #[test]
        fn removing_the_marks_gives_the_plain_fill(
            template in "[a-z ء-ي{}]{0,40}",
            values in proptest::collection::vec("[0-9a-z +/]{0,12}", 0..4),
        ) {
            let isolated = fill(&template, &values);
            let plain = fill_plain(&template, &values);
            let stripped: String = isolated
                .chars()
                .filter(|c| *c != FIRST_STRONG_ISOLATE && *c != POP_DIRECTIONAL_ISOLATE)
                .collect();
            prop_assert_eq!(&stripped, &plain);
            // Marks always come in pairs, one pair per value used.
            let opens = isolated.chars().filter(|c| *c == FIRST_STRONG_ISOLATE).count();
            let closes = isolated.chars().filter(|c| *c == POP_DIRECTIONAL_ISOLATE).count();
            prop_assert_eq!(opens, closes);
            let used = template.matches("{}").count().min(values.len());
            prop_assert_eq!(opens, if is_rtl_text(&template) { used } else { 0 });
        }
    }
}
