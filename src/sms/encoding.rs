//! Which alphabet a text message goes in, and how many parts it costs.
//!
//! A text whose every character is GSM-7 is sent in GSM-7: 160 septets in
//! one part, 153 a part when concatenated (see [`super::segments`]). One
//! character outside it — an Arabic or Chinese letter, an emoji — and the
//! whole message goes in UCS-2 (UTF-16 on today's networks): 70 code units
//! in one part, 67 a part when concatenated (3GPP TS 23.040: the 6-byte
//! concatenation header takes 3 of the 70). A character beyond the Basic
//! Multilingual Plane (most emoji) takes two code units, a surrogate pair,
//! which a gateway never splits across parts.
//!
//! ```
//! use relais::sms::encoding::{cost, Encoding};
//! assert_eq!(cost("Bonjour"), (Encoding::Gsm7, 1));
//! assert_eq!(cost(&"é".repeat(161)), (Encoding::Gsm7, 2));
//! assert_eq!(cost(&"ش".repeat(70)), (Encoding::Ucs2, 1));
//! assert_eq!(cost(&"ش".repeat(71)), (Encoding::Ucs2, 2));
//! ```

/// The alphabet of a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Encoding {
    /// GSM 03.38, 7 bits a character (two for the extension table).
    Gsm7,
    /// UCS-2 / UTF-16, 16 bits a code unit.
    Ucs2,
}

impl Encoding {
    pub fn as_str(self) -> &'static str {
        match self {
            Encoding::Gsm7 => "gsm7",
            Encoding::Ucs2 => "ucs2",
        }
    }
}

/// UTF-16 code units in one part of a message sent alone.
pub const UCS2_SINGLE_PART_UNITS: usize = 70;
/// UTF-16 code units in each part of a concatenated message.
pub const UCS2_CONCATENATED_PART_UNITS: usize = 67;

/// Whether the texts of `lang` are folded to GSM-7 before sending
/// ([`super::to_gsm7`]): French and English lose nothing a reader needs
/// when "ê" becomes "e", and stay at 160 characters a part. Every other
/// language is sent as written — a Turkish "ı", a Romanian "ș", an Arabic
/// or Chinese letter carries meaning — in UCS-2 when GSM-7 cannot carry it.
pub fn folds_to_gsm7(lang: crate::Lang) -> bool {
    matches!(lang, crate::Lang::Fr | crate::Lang::En)
}

/// The alphabet `text` is sent in: GSM-7 when every character is GSM-7.
pub fn encoding(text: &str) -> Encoding {
    if super::is_gsm7(text) {
        Encoding::Gsm7
    } else {
        Encoding::Ucs2
    }
}

/// The parts of `text` as sent in UCS-2: one when it fits 70 code units,
/// otherwise parts of at most 67, a surrogate pair never split. An empty
/// text is one empty part.
pub fn ucs2_segments(text: &str) -> Vec<&str> {
    if text.encode_utf16().count() <= UCS2_SINGLE_PART_UNITS {
        return vec![text];
    }
    let mut parts = Vec::new();
    let (mut start, mut used) = (0, 0);
    for (at, c) in text.char_indices() {
        let units = c.len_utf16();
        if used + units > UCS2_CONCATENATED_PART_UNITS {
            parts.push(&text[start..at]);
            (start, used) = (at, 0);
        }
        used += units;
    }
    parts.push(&text[start..]);
    parts
}

/// The alphabet `text` goes in and the number of parts it costs.
pub fn cost(text: &str) -> (Encoding, usize) {
    match encoding(text) {
        Encoding::Gsm7 => (Encoding::Gsm7, super::parts(text)),
        Encoding::Ucs2 => (Encoding::Ucs2, ucs2_segments(text).len()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn the_part_sizes_are_those_of_the_standard() {
        for (text, expected) in [
            ("a".repeat(160), (Encoding::Gsm7, 1)),
            ("a".repeat(161), (Encoding::Gsm7, 2)),
            ("€".repeat(80), (Encoding::Gsm7, 1)),
            ("€".repeat(81), (Encoding::Gsm7, 2)),
            ("中".repeat(70), (Encoding::Ucs2, 1)),
            ("中".repeat(71), (Encoding::Ucs2, 2)),
            ("中".repeat(134), (Encoding::Ucs2, 2)),
            ("中".repeat(135), (Encoding::Ucs2, 3)),
            (String::new(), (Encoding::Gsm7, 1)),
        ] {
            assert_eq!(cost(&text), expected, "{} characters", text.chars().count());
        }
        // One character outside GSM-7 sends the whole text in UCS-2.
        assert_eq!(cost(&format!("{}ç", "a".repeat(69))), (Encoding::Ucs2, 1));
        assert_eq!(cost(&format!("{}ç", "a".repeat(70))), (Encoding::Ucs2, 2));
        assert_eq!(Encoding::Ucs2.as_str(), "ucs2");
    }

    #[test]
    fn a_surrogate_pair_stays_whole() {
        // 66 units then an emoji (2 units): it opens the second part.
        let text = format!("{}😷{}", "ش".repeat(66), "ش".repeat(10));
        let parts = ucs2_segments(&text);
        assert_eq!(parts.len(), 2);
        assert_eq!(parts[0], "ش".repeat(66));
        assert!(parts[1].starts_with('😷'));
    }

    proptest! {
        #[test]
        fn ucs2_parts_hold_the_text_within_their_size(text in "\\PC{0,400}") {
            let parts = ucs2_segments(&text);
            prop_assert_eq!(parts.concat(), text.clone());
            let units = text.encode_utf16().count();
            if units <= UCS2_SINGLE_PART_UNITS {
                prop_assert_eq!(parts.len(), 1);
            } else {
                for part in &parts {
                    let n = part.encode_utf16().count();
                    prop_assert!(n <= UCS2_CONCATENATED_PART_UNITS && n > 0);
                }
                // Greedy: every part but the last is full but for at most
                // the one unit a surrogate pair could not take.
                prop_assert!(parts.len() <= units.div_ceil(UCS2_CONCATENATED_PART_UNITS - 1));
            }
        }

        #[test]
        fn the_alphabet_is_gsm7_exactly_for_gsm7_texts(text in "\\PC{0,200}") {
            let (alphabet, parts) = cost(&text);
            prop_assert_eq!(alphabet == Encoding::Gsm7, super::super::is_gsm7(&text));
            prop_assert!(parts >= 1);
            // What `to_gsm7` writes always goes in GSM-7.
            let gsm = super::super::to_gsm7(&text);
            prop_assert_eq!(encoding(&gsm), Encoding::Gsm7);
        }
    }
}
