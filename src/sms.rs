//! SMS text in the GSM 03.38 alphabet (GSM-7): what the notifications sent
//! by text message may contain, and the parts a gateway splits them into.
//!
//! A message with a single character outside GSM-7 is sent in UCS-2, where
//! a part holds 70 characters instead of 160 (67 instead of 153 when
//! concatenated): one curly apostrophe can double the cost of a message.
//! [`to_gsm7`] writes a text with GSM-7 only — the accented letters GSM-7
//! has (é è à ù Ç …) kept, the others without their accent, typographic
//! punctuation as ASCII — and [`segments`] splits it as the gateway will,
//! so that the number of parts is known before sending.
//!
//! ```
//! use relais::sms::{is_gsm7, parts, segments, septets, to_gsm7};
//! let text = to_gsm7("Vous êtes contact à risque jusqu’au 3 décembre.");
//! assert_eq!(text, "Vous etes contact à risque jusqu'au 3 décembre.");
//! assert!(is_gsm7(&text));
//! assert_eq!((septets('é'), septets('€'), septets('ç')), (Some(1), Some(2), None));
//! assert_eq!(parts(&"a".repeat(160)), 1);
//! assert_eq!(segments(&"a".repeat(161)), ["a".repeat(153), "a".repeat(8)]);
//! ```

use crate::latin::latin_base;
use std::iter;

pub mod encoding;

/// The most septets of a message sent as one part.
const SINGLE_PART_SEPTETS: usize = 160;

/// The most septets of each part of a concatenated message: 160 less the
/// 7 septets the concatenation header (6 bytes, padded) takes.
const CONCATENATED_PART_SEPTETS: usize = 153;

/// The escape to the extension table: a code, not a character.
const ESC: char = '\u{1B}';

/// The GSM 03.38 basic character set, indexed by its 7-bit code (3GPP TS
/// 23.038, 6.2.1). Code 0x1B is the escape to the extension table, which
/// writes no character by itself.
const BASIC: [char; 128] = [
    // 0x00
    '@', '£', '$', '¥', 'è', 'é', 'ù', 'ì', 'ò', 'Ç', '\n', 'Ø', 'ø', '\r', 'Å', 'å',
    // 0x10
    'Δ', '_', 'Φ', 'Γ', 'Λ', 'Ω', 'Π', 'Ψ', 'Σ', 'Θ', 'Ξ', ESC, 'Æ', 'æ', 'ß', 'É',
    // 0x20
    ' ', '!', '"', '#', '¤', '%', '&', '\'', '(', ')', '*', '+', ',', '-', '.', '/',
    // 0x30
    '0', '1', '2', '3', '4', '5', '6', '7', '8', '9', ':', ';', '<', '=', '>', '?',
    // 0x40
    '¡', 'A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'I', 'J', 'K', 'L', 'M', 'N', 'O',
    // 0x50
    'P', 'Q', 'R', 'S', 'T', 'U', 'V', 'W', 'X', 'Y', 'Z', 'Ä', 'Ö', 'Ñ', 'Ü', '§',
    // 0x60
    '¿', 'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k', 'l', 'm', 'n', 'o',
    // 0x70
    'p', 'q', 'r', 's', 't', 'u', 'v', 'w', 'x', 'y', 'z', 'ä', 'ö', 'ñ', 'ü', 'à',
];

/// The characters of the GSM 03.38 default extension table, each with its
/// code after the escape (3GPP TS 23.038, 6.2.1.1): two septets each.
const EXTENSION: [(u8, char); 10] = [
    (0x0A, '\u{C}'), // form feed
    (0x14, '^'),
    (0x28, '{'),
    (0x29, '}'),
    (0x2F, '\\'),
    (0x3C, '['),
    (0x3D, '~'),
    (0x3E, ']'),
    (0x40, '|'),
    (0x65, '€'),
];

/// Septets one character takes in GSM 03.38 (the 7-bit default alphabet):
/// 1 for the basic set, 2 for the extension table (`^ { } \ [ ] ~ | €` and
/// form feed), `None` when GSM-7 cannot write it.
pub fn septets(c: char) -> Option<u8> {
    // Letters, digits and the space first: most of any text.
    let basic = c.is_ascii_alphanumeric() || c == ' ' || (c != ESC && BASIC.contains(&c));
    if basic {
        Some(1)
    } else if EXTENSION.iter().any(|&(_, e)| e == c) {
        Some(2)
    } else {
        None
    }
}

/// True when every character of `text` is GSM-7 (basic or extension).
pub fn is_gsm7(text: &str) -> bool {
    text.chars().all(|c| septets(c).is_some())
}

/// `text` written with GSM-7 only, for an SMS that must not fall back to
/// UCS-2 (70 characters a part):
///
/// - characters GSM-7 has are kept, among them the accented letters
///   é è ù ì ò à É Ç Ä Ö Ñ Ü ä ö ñ ü Å å Ø ø Æ æ ß;
/// - the other letters of Latin-1 Supplement and Latin Extended-A (and
///   Romanian ș ț) lose their accent, keeping their case: ê ë → e, â á → a,
///   î ï í → i, ô ó → o, û ú → u, ç → c (GSM-7 has Ç but not ç),
///   ÿ → y, Ê → E, À → A, ł → l, ž → z; œ → oe, Œ → OE, þ → th;
/// - decomposed accents (a letter followed by a combining mark, as some
///   keyboards send) are joined when GSM-7 has the accented letter
///   (e + ◌́ → é), dropped otherwise (c + ◌̧ → c);
/// - typographic punctuation becomes ASCII: ’ ‘ ` → ', “ ” « » → ",
///   – — − • → -, … → ..., · → .; non-breaking, narrow and other Unicode
///   spaces and the tab → space; line and paragraph separators → line feed;
///   a few Latin-1 signs are spelled out (° → o, © → (c), ½ → 1/2, × → x);
/// - invisible format characters (soft hyphen, zero-width spaces and
///   joiners, byte-order mark, direction marks, variation selectors) are
///   dropped;
/// - anything else (other scripts, emoji, control characters) → `?`.
///
/// The result is always GSM-7, and converting it again changes nothing.
pub fn to_gsm7(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if let Some(joined) = chars.peek().and_then(|&mark| compose(c, mark)) {
            chars.next();
            out.push(joined);
        } else if septets(c).is_some() {
            out.push(c);
        } else if let Some(base) = latin_base(c) {
            if c.is_uppercase() {
                out.extend(base.chars().map(|b| b.to_ascii_uppercase()));
            } else {
                out.push_str(base);
            }
        } else {
            out.push_str(replacement(c));
        }
    }
    out
}

/// The GSM-7 letter that `base` followed by the combining `mark` writes,
/// when GSM-7 has it.
fn compose(base: char, mark: char) -> Option<char> {
    const GRAVE: char = '\u{300}';
    const ACUTE: char = '\u{301}';
    const TILDE: char = '\u{303}';
    const DIAERESIS: char = '\u{308}';
    const RING: char = '\u{30A}';
    const CEDILLA: char = '\u{327}';
    Some(match (base, mark) {
        ('e', ACUTE) => 'é',
        ('E', ACUTE) => 'É',
        ('a', GRAVE) => 'à',
        ('e', GRAVE) => 'è',
        ('i', GRAVE) => 'ì',
        ('o', GRAVE) => 'ò',
        ('u', GRAVE) => 'ù',
        ('C', CEDILLA) => 'Ç',
        ('A', RING) => 'Å',
        ('a', RING) => 'å',
        ('A', DIAERESIS) => 'Ä',
        ('O', DIAERESIS) => 'Ö',
        ('U', DIAERESIS) => 'Ü',
        ('a', DIAERESIS) => 'ä',
        ('o', DIAERESIS) => 'ö',
        ('u', DIAERESIS) => 'ü',
        ('N', TILDE) => 'Ñ',
        ('n', TILDE) => 'ñ',
        _ => return None,
    })
}

/// What a character that GSM-7 does not have and that is not a Latin
/// letter becomes: ASCII punctuation, a space, nothing, or `?`.
fn replacement(c: char) -> &'static str {
    match c {
        '\t' | '\u{A0}' | '\u{2000}'..='\u{200A}' | '\u{202F}' | '\u{205F}' | '\u{3000}' => " ",
        '\u{B}' | '\u{85}' | '\u{2028}' | '\u{2029}' => "\n",
        '\u{AD}'
        | '\u{200B}'..='\u{200F}'
        | '\u{2060}'
        | '\u{FEFF}'
        | '\u{FE00}'..='\u{FE0F}'
        | '\u{300}'..='\u{36F}' => "",
        '`' | '´' | '‘' | '’' | '‚' | '‛' | '′' | '‹' | '›' | '\u{2BC}' => "'",
        '“' | '”' | '„' | '‟' | '«' | '»' | '″' | '¨' => "\"",
        '‐' | '‑' | '‒' | '–' | '—' | '―' | '−' | '•' | '‣' | '⁃' | '¬' | '¯' => {
            "-"
        }
        '…' => "...",
        '·' => ".",
        '¸' => ",",
        '¦' => "|",
        '¢' => "c",
        '©' => "(c)",
        '®' => "(R)",
        '™' => "TM",
        'ª' => "a",
        '°' | 'º' => "o",
        '±' => "+/-",
        '¹' => "1",
        '²' => "2",
        '³' => "3",
        '¼' => "1/4",
        '½' => "1/2",
        '¾' => "3/4",
        'µ' => "u",
        '×' => "x",
        '÷' => "/",
        _ => "?",
    }
}

/// The parts of a GSM-7 text as an SMS gateway splits it: one part when it
/// fits 160 septets, otherwise parts of at most 153 septets each (the 7
/// others carry the concatenation header), never splitting an extension
/// character's two septets across parts. Characters that are not GSM-7
/// count as 1 septet here (callers use [`to_gsm7`] first). An empty text is
/// one empty part.
pub fn segments(text: &str) -> Vec<String> {
    split(text).map(str::to_owned).collect()
}

/// The number of parts of `text` (`segments(text).len()`).
pub fn parts(text: &str) -> usize {
    split(text).count()
}

/// The septets `c` takes in a part: those of [`septets`], 1 for a
/// character GSM-7 does not have.
fn width(c: char) -> usize {
    septets(c).map_or(1, usize::from)
}

/// The septets of `text`, each character counted by [`width`].
fn septet_len(text: &str) -> usize {
    text.chars().map(width).sum()
}

/// The parts of `text`, as slices of it, filled greedily (see
/// [`segments`]).
fn split(text: &str) -> impl Iterator<Item = &str> {
    let single = septet_len(text) <= SINGLE_PART_SEPTETS;
    let mut rest = Some(text);
    iter::from_fn(move || {
        let current = rest?;
        if single {
            rest = None;
            return Some(current);
        }
        let mut used = 0;
        let mut end = current.len();
        for (at, c) in current.char_indices() {
            used += width(c);
            if used > CONCATENATED_PART_SEPTETS {
                end = at;
                break;
            }
        }
        let (part, after) = current.split_at(end);
        rest = (!after.is_empty()).then_some(after);
        Some(part)
    })
}

#[cfg(test)]
mod tests;
