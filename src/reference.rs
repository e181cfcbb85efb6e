//! Case references Relais makes up (for cases not opened from a lab
//! result): `P0-XXXXX-XXXXX`, ten symbols of Crockford's base 32 — 50
//! random bits, easy to read out on the phone, and shaped like the other
//! references for the queue's search box (letters, digits and dashes).
//!
//! The randomness comes from the caller (the store draws it): the same
//! bytes always give the same reference.

/// The alphabet of generated references: Crockford's base 32 (no I, L, O,
/// U: nothing to misread on the phone).
pub const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// What every generated reference starts with.
pub const PREFIX: &str = "P0-";

/// The length of a generated reference: `P0-XXXXX-XXXXX`.
pub const REFERENCE_LEN: usize = 14;

/// The case reference of ten random bytes: the low five bits of each byte
/// pick one symbol of [`ALPHABET`] (so uniform bytes give uniform symbols),
/// the high three are ignored. `P0-` + five symbols + `-` + five symbols.
pub fn case_reference(random: [u8; 10]) -> String {
    let mut out = String::with_capacity(REFERENCE_LEN);
    out.push_str(PREFIX);
    for (n, byte) in random.iter().enumerate() {
        if n == 5 {
            out.push('-');
        }
        out.push(char::from(ALPHABET[usize::from(byte & 31)]));
    }
    out
}

/// Whether `text` is shaped exactly like a generated reference
/// (upper case, as [`case_reference`] writes it).
pub fn is_case_reference(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.len() == REFERENCE_LEN
        && text.starts_with(PREFIX)
        && bytes[8] == b'-'
        && bytes[3..8]
            .iter()
            .chain(&bytes[9..])
            .all(|b| ALPHABET.contains(b))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::desk::queue::{parse_search, Search};
    use proptest::prelude::*;

    /// The 50 bits a reference is made of, back from its text.
    fn bits_of(reference: &str) -> u64 {
        reference
            .bytes()
            .skip(PREFIX.len())
            .filter(|&b| b != b'-')
            .fold(0, |acc, b| {
                let symbol = ALPHABET.iter().position(|&a| a == b).expect("in alphabet");
                (acc << 5) | symbol as u64
            })
    }

    fn bits_of_bytes(random: [u8; 10]) -> u64 {
        random
            .iter()
            .fold(0, |acc, &b| (acc << 5) | u64::from(b & 31))
    }

    #[test]
    fn the_alphabet_is_crockfords() {
        let mut sorted = ALPHABET.to_vec();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(sorted.len(), 32);
        for b in *b"ILOU" {
            assert!(!ALPHABET.contains(&b));
        }
        assert!(ALPHABET
            .iter()
            .all(|b| b.is_ascii_digit() || b.is_ascii_uppercase()));
    }

    #[test]
    fn references_are_written_as_expected() {
        assert_eq!(case_reference([0; 10]), "P0-00000-00000");
        assert_eq!(case_reference([31; 10]), "P0-ZZZZZ-ZZZZZ");
        assert_eq!(
            case_reference([0, 1, 2, 3, 4, 10, 18, 19, 20, 26]),
            "P0-01234-AJKMT"
        );
        // Only the low five bits count.
        assert_eq!(case_reference([32 + 1; 10]), case_reference([1; 10]));
        assert_eq!(case_reference([255; 10]), "P0-ZZZZZ-ZZZZZ");
    }

    #[test]
    fn only_generated_shapes_are_references() {
        assert!(is_case_reference("P0-01234-AJKMT"));
        for text in [
            "",
            "P0-01234-AJKM",
            "P0-01234-AJKMTX",
            "P1-01234-AJKMT",
            "P0-01234AAJKMT",
            "p0-01234-ajkmt",
            "P0-0123I-AJKMT",
            "P0-01234-AJKMU",
            "P0-0123é-AJKM",
        ] {
            assert!(!is_case_reference(text), "{text:?}");
        }
    }

    proptest! {
        #[test]
        fn every_reference_has_the_shape(random: [u8; 10]) {
            let reference = case_reference(random);
            prop_assert_eq!(reference.len(), REFERENCE_LEN);
            prop_assert!(reference.starts_with(PREFIX));
            prop_assert_eq!(&reference[8..9], "-");
            prop_assert!(reference[3..].bytes().all(|b| b == b'-' || ALPHABET.contains(&b)));
            prop_assert!(is_case_reference(&reference));
        }

        #[test]
        fn the_fifty_bits_come_back(random: [u8; 10]) {
            prop_assert_eq!(bits_of(&case_reference(random)), bits_of_bytes(random));
        }

        #[test]
        fn references_differ_when_their_bits_do(a: [u8; 10], b: [u8; 10]) {
            prop_assert_eq!(
                case_reference(a) == case_reference(b),
                bits_of_bytes(a) == bits_of_bytes(b)
            );
        }

        #[test]
        fn every_reference_is_found_by_the_search_box(random: [u8; 10], lower: bool) {
            let reference = case_reference(random);
            let typed = if lower { reference.to_lowercase() } else { reference.clone() };
            prop_assert_eq!(parse_search(&typed), Some(Search::Reference(reference)));
        }
    }
}
