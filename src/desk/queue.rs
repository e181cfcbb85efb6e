//! The queues of the desk: what a tracer searches for, and how a queue is
//! paged.
//!
//! One search box takes a case reference, a phone number or a name;
//! [`parse_search`] tells which. Names are compared folded: lower case,
//! without accents, punctuation as spaces ([`fold_name`]), both in the
//! search and in the index the store keeps for each person ([`name_key`]),
//! so that "Le Du", "le dû" and "LE DÛ" find the same case.
//!
//! A queue is paged by keyset, not by offset: a [`Cursor`] holds the sort
//! key and id of the last row shown, and the next page starts after it, so
//! that cases added or removed meanwhile neither repeat nor skip a row.
//!
//! ```
//! use relais::desk::queue::{name_key, parse_search, Cursor, Search};
//! assert_eq!(name_key("Élodie", "Le Dû"), "le du elodie");
//! assert_eq!(parse_search("demo-0001"), Some(Search::Reference("DEMO-0001".into())));
//! assert_eq!(parse_search("06 12 34 56 78"), Some(Search::Phone("0612345678".into())));
//! let cursor = Cursor { key: "2020-11-17".into(), id: 42 };
//! assert_eq!(Cursor::decode(&cursor.encode()), Some(cursor));
//! ```

use crate::latin::latin_base;
use time::Date;

/// What a tracer searches the queue for, from the one search box.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Search {
    /// A case reference as printed, upper-cased, trimmed (e.g. `DEMO-0001`,
    /// `GEN-00000042`, `PC-12`): ASCII letters, digits and `-`, at least one
    /// digit and one letter, 3 to 40 characters, and containing `-`.
    Reference(String),
    /// The digits of a phone number as typed, without spaces, dots, dashes
    /// or parentheses; a leading `+` kept (the server normalises it to
    /// E.164 with the phone parser, which is not in this module). Chosen
    /// when the text has at least [`MIN_PHONE_DIGITS`] digits and only
    /// digits, spaces, `.`, `-`, `(`, `)` and a leading `+`.
    Phone(String),
    /// A name, folded by [`fold_name`], at least 2 characters with at least
    /// one letter or digit.
    Name(String),
}

/// The fewest digits of a phone number search.
pub const MIN_PHONE_DIGITS: usize = 6;

/// The longest case reference, in characters.
const MAX_REFERENCE_CHARS: usize = 40;

/// What the search box's text is: a [`Search::Phone`] (which has no
/// letter, so is never a reference), else a [`Search::Reference`], else a
/// [`Search::Name`]. `None` for empty, too short or only punctuation input.
pub fn parse_search(text: &str) -> Option<Search> {
    let text = text.trim();
    phone(text)
        .map(Search::Phone)
        .or_else(|| reference(text).map(Search::Reference))
        .or_else(|| {
            let name = fold_name(text);
            let enough = name.chars().count() >= 2 && name.chars().any(char::is_alphanumeric);
            enough.then_some(Search::Name(name))
        })
}

/// The digits of `text` (with its leading `+`) if it is written like a
/// phone number.
fn phone(text: &str) -> Option<String> {
    let (plus, rest) = match text.strip_prefix('+') {
        Some(rest) => ("+", rest),
        None => ("", text),
    };
    let written_like_a_phone = rest
        .chars()
        .all(|c| c.is_ascii_digit() || c.is_whitespace() || matches!(c, '.' | '-' | '(' | ')'));
    let digits: String = rest.chars().filter(char::is_ascii_digit).collect();
    (written_like_a_phone && digits.len() >= MIN_PHONE_DIGITS).then(|| format!("{plus}{digits}"))
}

/// `text`, upper-cased, if it is written like a case reference.
fn reference(text: &str) -> Option<String> {
    let shaped = (3..=MAX_REFERENCE_CHARS).contains(&text.len())
        && text.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
        && text.contains('-')
        && text.bytes().any(|b| b.is_ascii_digit())
        && text.bytes().any(|b| b.is_ascii_alphabetic());
    shaped.then(|| text.to_ascii_uppercase())
}

/// The folded form of a person's name, for the search index: last name,
/// a space, first name, folded by [`fold_name`].
/// `name_key("Élodie", "Le Dû") == "le du elodie"`.
pub fn name_key(first_name: &str, last_name: &str) -> String {
    fold_name(&format!("{last_name} {first_name}"))
}

/// Folds a name for comparison: lower case, accents removed (é → e,
/// ç → c, œ → oe, æ → ae, ß → ss, and the rest of Latin-1 and Latin
/// Extended-A; combining accents of decomposed text dropped), letters and
/// digits of other scripts kept lower-cased, `-` and `'` kept (typographic
/// apostrophes and hyphens written as these), anything else a space; spaces
/// collapsed and trimmed. Folding a folded name changes nothing.
pub fn fold_name(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut space = false;
    let mut buffer = [0; 4];
    for lower in text.chars().flat_map(char::to_lowercase) {
        let piece: &str = if let Some(ascii) = latin_base(lower) {
            ascii
        } else if is_combining_accent(lower) {
            // The accent of the letter before it, decomposed: dropped.
            continue;
        } else if matches!(lower, '-' | '\u{2010}' | '\u{2011}') {
            "-"
        } else if matches!(lower, '\'' | '\u{2018}' | '\u{2019}' | '\u{02BC}') {
            "'"
        } else if lower.is_alphanumeric() && is_lowercase_fixed(lower) {
            lower.encode_utf8(&mut buffer)
        } else {
            space = true;
            continue;
        };
        if space && !out.is_empty() {
            out.push(' ');
        }
        space = false;
        out.push_str(piece);
    }
    out
}

/// `c` lower-cases to itself (so that folding twice is folding once).
fn is_lowercase_fixed(c: char) -> bool {
    let mut lower = c.to_lowercase();
    lower.next() == Some(c) && lower.next().is_none()
}

/// A combining diacritical mark (U+0300 to U+036F), as in decomposed (NFD)
/// text, which some keyboards send: "e" followed by a combining acute.
fn is_combining_accent(c: char) -> bool {
    ('\u{0300}'..='\u{036F}').contains(&c)
}

/// The end of a page of a queue, for keyset pagination: the sort key of the
/// last row shown and its id.
///
/// The sort key is either an ISO date `YYYY-MM-DD` (first queue: sample
/// date) or a Unix-seconds integer as text (second queue: call-back
/// instant). A cursor built by hand with any other key encodes to a text
/// that [`Cursor::decode`] refuses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cursor {
    pub key: String,
    pub id: i64,
}

/// The longest encoded cursor, in bytes.
const MAX_CURSOR_LEN: usize = 64;

impl Cursor {
    /// The cursor after the row of `id` sorted on the day `date` (first
    /// queue).
    pub fn on_date(date: Date, id: i64) -> Cursor {
        Cursor {
            key: date.to_string(),
            id,
        }
    }

    /// The cursor after the row of `id` sorted on the instant `seconds`
    /// (Unix seconds, second queue).
    pub fn at_instant(seconds: i64, id: i64) -> Cursor {
        Cursor {
            key: seconds.to_string(),
            id,
        }
    }

    /// The key as a date, if it is one.
    pub fn key_date(&self) -> Option<Date> {
        crate::dates::parse_iso(&self.key)
    }

    /// The key as Unix seconds, if it is an integer.
    pub fn key_seconds(&self) -> Option<i64> {
        integer(&self.key)
    }

    /// URL-safe text: `<key>~<id>` (the key has no `~`).
    pub fn encode(&self) -> String {
        format!("{}~{}", self.key, self.id)
    }

    /// The cursor encoded in `text`; `None` for anything malformed: the key
    /// must be an ISO date or an integer (optionally negative) that fits an
    /// `i64`, the id a positive `i64` in decimal digits, and the whole at
    /// most 64 bytes.
    pub fn decode(text: &str) -> Option<Cursor> {
        if text.len() > MAX_CURSOR_LEN {
            return None;
        }
        let (key, id) = text.split_once('~')?;
        if crate::dates::parse_iso(key).is_none() && integer(key).is_none() {
            return None;
        }
        let id = integer(id).filter(|&id| id > 0)?;
        Some(Cursor {
            key: key.to_owned(),
            id,
        })
    }
}

/// `text` as an integer: an optional `-` then decimal digits (no `+`, no
/// spaces), fitting an `i64`.
fn integer(text: &str) -> Option<i64> {
    let digits = text.strip_prefix('-').unwrap_or(text);
    let shaped = !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit());
    shaped.then(|| text.parse().ok()).flatten()
}

/// Page size of the queue, and the bounds of a requested size.
pub const PAGE_SIZE: u32 = 50;
/// The smallest page a request may ask for.
pub const MIN_PAGE_SIZE: u32 = 10;
/// The largest page a request may ask for.
pub const MAX_PAGE_SIZE: u32 = 200;

/// The page size asked for (a query parameter), clamped to
/// [`MIN_PAGE_SIZE`]`..=`[`MAX_PAGE_SIZE`]; [`PAGE_SIZE`] when absent or
/// not a number of decimal digits.
pub fn page_size(requested: Option<&str>) -> u32 {
    let Some(text) = requested.map(str::trim) else {
        return PAGE_SIZE;
    };
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return PAGE_SIZE;
    }
    // Only digits: the one failure left is a number too large, a large page.
    let size = text.parse::<u32>().unwrap_or(u32::MAX);
    size.clamp(MIN_PAGE_SIZE, MAX_PAGE_SIZE)
}

#[cfg(test)]
mod tests;
