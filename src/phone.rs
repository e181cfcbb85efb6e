//! Phone numbers as people type them: French by default, international
//! accepted, normalised to E.164 and told whether they can receive a text
//! message. Behind the `phone` feature, so that the browser never carries
//! the numbering-plan metadata.
//!
//! The numbering plans are those of libphonenumber (the `phonenumber`
//! crate), with three corrections for contact tracing:
//!
//! - A number typed the French way (`06 92 12 34 56`) that belongs to an
//!   overseas department or territory sharing the French national plan
//!   (La Réunion and Mayotte +262, Guadeloupe, Saint-Barthélemy and
//!   Saint-Martin +590, Guyane +594, Martinique +596, Saint-Pierre-et-Miquelon
//!   +508) gets its own country code: `+262692123456`, the only form a text
//!   message can be sent to. The same goes for such a number written after
//!   `+33`.
//! - Every well-formed French number of ten digits is accepted, even in a
//!   block libphonenumber does not know as allocated: 06 and 07 are mobiles,
//!   01 to 05 and 09 lines without text messages. This covers the ranges
//!   ARCEP reserves for fiction (06 39 98 xx xx, used by the demo data).
//! - The British drama range +44 7700 900000 to 900999 (Ofcom's numbers for
//!   fiction) is a mobile.
//!
//! Validity and number types are computed here from libphonenumber's
//! metadata, matching each pattern against the whole national number as
//! libphonenumber does: `phonenumber` 0.3 only anchors its patterns at the
//! start, and so takes `06 39 98 01 00` for a Saint-Pierre-et-Miquelon
//! number (`+508 639980100`, which does not exist).

use phonenumber::country::Id;
use phonenumber::metadata::{Descriptor, Metadata, DATABASE};
use phonenumber::{Mode, PhoneNumber, Type};
use regex::{Regex, RegexBuilder};
use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock, PoisonError};

/// The longest input looked at, in characters once trimmed
/// (`+33 (0)6 12 34 56 78` is 20). Anything longer is not a phone number.
pub const MAX_INPUT_CHARS: usize = 30;

/// The longest E.164 number, in digits after the `+`.
const MAX_E164_DIGITS: usize = 15;

/// The French country code.
const FRANCE: u16 = 33;

/// The overseas regions whose numbers are dialled within France with a
/// leading 0, like metropolitan ones, but have their own country code.
const OVERSEAS: &[Id] = &[
    Id::RE, // La Réunion, +262
    Id::YT, // Mayotte, +262
    Id::GP, // Guadeloupe, +590
    Id::BL, // Saint-Barthélemy, +590
    Id::MF, // Saint-Martin, +590
    Id::GF, // Guyane, +594
    Id::MQ, // Martinique, +596
    Id::PM, // Saint-Pierre-et-Miquelon, +508
];

/// Mobile ranges reserved for fiction that libphonenumber refuses:
/// (country code, start of the national number, length of the national number).
const FICTIONAL_MOBILES: &[(u16, &str, usize)] = &[
    // Ofcom: 07700 900000 to 07700 900999, for TV and radio drama.
    (44, "7700900", 10),
];

/// A phone number as typed, normalised.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct Phone {
    /// The number in E.164 form: `+`, the country code and the national
    /// number, digits only (`+33612345678`).
    pub e164: String,
    /// Whether text messages can be sent to it: a mobile, or a number that may
    /// be a mobile (`FixedLineOrMobile`, as in North America).
    pub can_receive_sms: bool,
}

/// Why a phone number was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum PhoneError {
    /// Nothing was typed.
    #[error("the phone number is missing")]
    Missing,
    /// Letters or other signs that are not part of a phone number, or an
    /// input longer than [`MAX_INPUT_CHARS`] once trimmed.
    #[error("this is not a phone number (only digits, spaces, dots, dashes and a leading +)")]
    NotANumber,
    /// Digits that are not a number in use: too short, too long, or in no
    /// country's numbering plan.
    #[error("this phone number does not exist; check the digits")]
    Invalid,
}

impl PhoneError {
    /// A stable code, for forms and translation keys.
    pub fn code(self) -> &'static str {
        match self {
            PhoneError::Missing => "phone_missing",
            PhoneError::NotANumber => "phone_not_a_number",
            PhoneError::Invalid => "phone_invalid",
        }
    }
}

/// The digits of an input, and whether they start with a country code.
struct Digits {
    international: bool,
    digits: String,
}

/// Keeps the digits of `input`, refusing anything but digits, separators
/// (white space, `.`, `-`, `/`, parentheses) and one leading `+`. A `00`
/// prefix is read as `+`, and `(0)` after a country code is dropped
/// (`+33 (0)6 12 34 56 78`).
fn digits_of(input: &str) -> Result<Digits, PhoneError> {
    let text = input.trim();
    if text.is_empty() {
        return Err(PhoneError::Missing);
    }
    if text.chars().count() > MAX_INPUT_CHARS {
        return Err(PhoneError::NotANumber);
    }
    let (plus, rest) = match text.strip_prefix('+') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let rest = if plus || rest.starts_with("00") {
        rest.replacen("(0)", "", 1)
    } else {
        rest.to_owned()
    };
    let mut digits = String::with_capacity(rest.len());
    for c in rest.chars() {
        if c.is_ascii_digit() {
            digits.push(c);
        } else if !(c.is_whitespace() || matches!(c, '.' | '-' | '/' | '(' | ')')) {
            return Err(PhoneError::NotANumber);
        }
    }
    if digits.is_empty() {
        return Err(PhoneError::NotANumber);
    }
    if plus {
        return Ok(Digits {
            international: true,
            digits,
        });
    }
    match digits.strip_prefix("00") {
        Some(after) => Ok(Digits {
            international: true,
            digits: after.to_owned(),
        }),
        None => Ok(Digits {
            international: false,
            digits,
        }),
    }
}

/// Parses a phone number as typed.
///
/// French numbers by default (`0612345678`, `06 12 34 56 78`,
/// `06.12.34.56.78`), international accepted (`+44 7700 900123`,
/// `0044 7700 900123`, `+33 (0)6 12 34 56 78`). See the [module
/// documentation](self) for overseas France and fictional ranges.
///
/// ```
/// use relais::phone::{parse_phone, PhoneError};
///
/// let phone = parse_phone("06 12 34 56 78").unwrap();
/// assert_eq!(phone.e164, "+33612345678");
/// assert!(phone.can_receive_sms);
/// assert!(!parse_phone("01 45 67 89 10").unwrap().can_receive_sms);
/// assert_eq!(parse_phone("0692 12 34 56").unwrap().e164, "+262692123456");
/// assert_eq!(parse_phone("06 12"), Err(PhoneError::Invalid));
/// ```
pub fn parse_phone(input: &str) -> Result<Phone, PhoneError> {
    let Digits {
        international,
        digits,
    } = digits_of(input)?;
    // Longer than any number: refuse before the parser sees it.
    if digits.is_empty() || digits.len() > MAX_E164_DIGITS + 2 {
        return Err(PhoneError::Invalid);
    }
    let parsed = if international {
        phonenumber::parse(None, format!("+{digits}"))
    } else {
        phonenumber::parse(Some(Id::FR), &digits)
    };
    resolve(&parsed.map_err(|_| PhoneError::Invalid)?)
}

/// Validates a parsed number, with the corrections of the module documentation.
fn resolve(number: &PhoneNumber) -> Result<Phone, PhoneError> {
    if number.extension().is_some() {
        return Err(PhoneError::Invalid);
    }
    let code = number.code().value();
    let national = number.national().to_string();
    if code == FRANCE {
        return french(&national);
    }
    let fictional = FICTIONAL_MOBILES
        .iter()
        .any(|&(c, start, len)| c == code && national.len() == len && national.starts_with(start));
    if fictional {
        return phone(code, &national, true);
    }
    match number_type(code, &national) {
        Type::Unknown => Err(PhoneError::Invalid),
        kind => phone(code, &national, can_receive_sms(kind)),
    }
}

/// Whether numbers of this type can receive text messages.
fn can_receive_sms(kind: Type) -> bool {
    matches!(kind, Type::Mobile | Type::FixedLineOrMobile)
}

/// Whether `pattern`, a libphonenumber pattern, matches the whole of `value`.
/// The anchored regexes are compiled once and kept, behind an `Arc`: a
/// cloned `Regex` starts with an empty match cache, which costs more to
/// build than the match itself (it made a batch of 10 000 phones take over
/// a second).
fn full_match(pattern: &str, value: &str) -> bool {
    static ANCHORED: OnceLock<Mutex<HashMap<String, Option<Arc<Regex>>>>> = OnceLock::new();
    let regex = {
        let mut anchored = ANCHORED
            .get_or_init(Default::default)
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        match anchored.get(pattern) {
            Some(regex) => regex.clone(),
            None => {
                let regex = RegexBuilder::new(&format!("^(?:{pattern})$"))
                    .ignore_whitespace(true)
                    .build()
                    .ok()
                    .map(Arc::new);
                anchored.insert(pattern.to_owned(), regex.clone());
                regex
            }
        }
    };
    regex.is_some_and(|regex| regex.is_match(value))
}

/// Whether a descriptor of the metadata matches the whole national number.
fn matches(descriptor: Option<&Descriptor>, national: &str) -> bool {
    descriptor.is_some_and(|d| {
        let lengths = d.possible_length();
        (lengths.is_empty() || lengths.iter().any(|&l| usize::from(l) == national.len()))
            && full_match(d.national_number().as_str(), national)
    })
}

/// The type of a national number in one region, as libphonenumber's
/// `getNumberType`: `Unknown` when the number is not valid there.
fn type_in(meta: &Metadata, national: &str) -> Type {
    let d = meta.descriptors();
    if !matches(Some(d.general()), national) {
        return Type::Unknown;
    }
    let special = [
        (d.premium_rate(), Type::PremiumRate),
        (d.toll_free(), Type::TollFree),
        (d.shared_cost(), Type::SharedCost),
        (d.voip(), Type::Voip),
        (d.personal_number(), Type::PersonalNumber),
        (d.pager(), Type::Pager),
        (d.uan(), Type::Uan),
        (d.voicemail(), Type::Voicemail),
    ];
    if let Some((_, kind)) = special.into_iter().find(|(d, _)| matches(*d, national)) {
        return kind;
    }
    let mobile = matches(d.mobile(), national);
    if matches(d.fixed_line(), national) {
        let same = d.fixed_line().map(|d| d.national_number().as_str())
            == d.mobile().map(|d| d.national_number().as_str());
        if same || mobile {
            return Type::FixedLineOrMobile;
        }
        return Type::FixedLine;
    }
    if mobile {
        return Type::Mobile;
    }
    Type::Unknown
}

/// The type of a number in the first region of its country code where it
/// is valid; `Unknown` when it is valid in none.
fn number_type(code: u16, national: &str) -> Type {
    DATABASE
        .by_code(&code)
        .unwrap_or_default()
        .into_iter()
        .map(|meta| type_in(meta, national))
        .find(|&kind| kind != Type::Unknown)
        .unwrap_or(Type::Unknown)
}

/// The type of a national number in one region only.
fn type_in_region(region: Id, national: &str) -> Type {
    DATABASE
        .by_id(region.as_ref())
        .map_or(Type::Unknown, |meta| type_in(meta, national))
}

/// A French national number (nine digits, without the leading 0).
fn french(national: &str) -> Result<Phone, PhoneError> {
    if national.len() != 9 || !national.bytes().all(|b| b.is_ascii_digit()) {
        return Err(PhoneError::Invalid);
    }
    let mobile = national.starts_with(['6', '7']);
    let kind = type_in_region(Id::FR, national);
    if kind != Type::Unknown {
        return phone(FRANCE, national, mobile || can_receive_sms(kind));
    }
    for &region in OVERSEAS {
        let kind = type_in_region(region, national);
        if kind != Type::Unknown {
            let code = DATABASE
                .by_id(region.as_ref())
                .map_or(FRANCE, Metadata::country_code);
            return phone(code, national, can_receive_sms(kind));
        }
    }
    if national.starts_with(['1', '2', '3', '4', '5', '6', '7', '9']) {
        return phone(FRANCE, national, mobile);
    }
    Err(PhoneError::Invalid)
}

/// Builds the [`Phone`], checking the E.164 length.
fn phone(code: u16, national: &str, can_receive_sms: bool) -> Result<Phone, PhoneError> {
    let e164 = format!("+{code}{national}");
    if e164.len() > MAX_E164_DIGITS + 1 {
        return Err(PhoneError::Invalid);
    }
    Ok(Phone {
        e164,
        can_receive_sms,
    })
}

/// The form of a number for people: the French national format for +33
/// numbers (`06 12 34 56 78`), the international format otherwise
/// (`+44 7700 900123`, `+262 692 12 34 56`). Anything that is not an E.164
/// number is returned as given, trimmed.
///
/// ```
/// use relais::phone::display_phone;
///
/// assert_eq!(display_phone("+33612345678"), "06 12 34 56 78");
/// assert_eq!(display_phone("+447700900123"), "+44 7700 900123");
/// ```
pub fn display_phone(e164: &str) -> String {
    let text = e164.trim();
    let Some(digits) = text.strip_prefix('+') else {
        return text.to_owned();
    };
    if digits.is_empty()
        || digits.len() > MAX_E164_DIGITS
        || !digits.bytes().all(|b| b.is_ascii_digit())
    {
        return text.to_owned();
    }
    if let Some(national) = digits.strip_prefix("33") {
        if national.len() == 9 {
            let (a, rest) = national.split_at(1);
            let pairs: Vec<&str> = (0..4).map(|i| &rest[2 * i..2 * i + 2]).collect();
            return format!("0{a} {}", pairs.join(" "));
        }
    }
    match phonenumber::parse(None, text) {
        Ok(number) => number.format().mode(Mode::International).to_string(),
        Err(_) => text.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn ok(input: &str) -> Phone {
        parse_phone(input).unwrap_or_else(|e| panic!("{input:?}: {e}"))
    }

    fn mobile(e164: &str) -> Phone {
        Phone {
            e164: e164.to_owned(),
            can_receive_sms: true,
        }
    }

    fn line(e164: &str) -> Phone {
        Phone {
            e164: e164.to_owned(),
            can_receive_sms: false,
        }
    }

    #[test]
    fn french_mobiles_in_every_usual_form() {
        for input in [
            "0612345678",
            "06 12 34 56 78",
            "06.12.34.56.78",
            "06-12-34-56-78",
            "06/12/34/56/78",
            "  06 12 34 56 78  ",
            "06\u{a0}12\u{a0}34\u{a0}56\u{a0}78",
            "06\u{202f}12\u{202f}34\u{202f}56\u{202f}78",
            "06 1234 5678",
            "(06) 12 34 56 78",
            "612345678",
            "+33612345678",
            "+33 6 12 34 56 78",
            "+33 (0)6 12 34 56 78",
            "+33 06 12 34 56 78",
            "0033 6 12 34 56 78",
            "0033612345678",
            "0033 (0)6 12 34 56 78",
        ] {
            assert_eq!(ok(input), mobile("+33612345678"), "{input:?}");
        }
        assert_eq!(ok("07 81 23 45 67"), mobile("+33781234567"));
    }

    #[test]
    fn french_lines_are_valid_without_text_messages() {
        assert_eq!(ok("01 45 67 89 10"), line("+33145678910"));
        assert_eq!(ok("02 98 12 34 56"), line("+33298123456"));
        assert_eq!(ok("03 20 12 34 56"), line("+33320123456"));
        assert_eq!(ok("04 91 12 34 56"), line("+33491123456"));
        assert_eq!(ok("05 56 12 34 56"), line("+33556123456"));
        assert_eq!(ok("09 72 12 34 56"), line("+33972123456"));
        assert_eq!(ok("08 00 12 34 56"), line("+33800123456"));
        assert_eq!(ok("08 99 99 99 99"), line("+33899999999"));
        // ARCEP's fictional landline range.
        assert_eq!(ok("01 99 00 12 34"), line("+33199001234"));
    }

    #[test]
    fn fictional_ranges_are_mobiles() {
        // ARCEP's range for fiction, used by the demo data.
        for n in 0..100 {
            let e164 = format!("+336399801{n:02}");
            assert_eq!(ok(&e164), mobile(&e164));
            assert_eq!(ok(&format!("06 39 98 01 {n:02}")), mobile(&e164));
        }
        // Ofcom's range for drama.
        assert_eq!(ok("+44 7700 900123"), mobile("+447700900123"));
        assert_eq!(ok("0044 7700 900123"), mobile("+447700900123"));
        assert_eq!(ok("+44 (0)7700 900123"), mobile("+447700900123"));
        assert_eq!(ok("+44 7700 900000"), mobile("+447700900000"));
        assert_eq!(ok("+44 7700 900999"), mobile("+447700900999"));
        assert_eq!(parse_phone("+44 7700 90012"), Err(PhoneError::Invalid));
    }

    #[test]
    fn overseas_france_gets_its_own_country_code() {
        // La Réunion.
        assert_eq!(ok("0692 12 34 56"), mobile("+262692123456"));
        assert_eq!(ok("+262 692 12 34 56"), mobile("+262692123456"));
        assert_eq!(ok("+33 6 92 12 34 56"), mobile("+262692123456"));
        assert_eq!(ok("0262 21 34 56"), line("+262262213456"));
        // Mayotte.
        assert_eq!(ok("0639 01 23 45"), mobile("+262639012345"));
        assert_eq!(ok("+262 269 61 23 45"), line("+262269612345"));
        // Guadeloupe (and Saint-Martin, Saint-Barthélemy).
        assert_eq!(ok("0690 12 34 56"), mobile("+590690123456"));
        assert_eq!(ok("+590 590 12 34 56"), line("+590590123456"));
        // Guyane.
        assert_eq!(ok("0694 20 12 34"), mobile("+594694201234"));
        // Martinique.
        assert_eq!(ok("0696 12 34 56"), mobile("+596696123456"));
        assert_eq!(ok("+596 696 12 34 56"), mobile("+596696123456"));
        // Comoros (+269) is another country, with its own plan.
        assert_eq!(ok("+269 321 23 45"), mobile("+2693212345"));
    }

    #[test]
    fn other_countries() {
        assert_eq!(ok("+44 20 7946 0958"), line("+442079460958"));
        assert_eq!(ok("+49 151 23456789"), mobile("+4915123456789"));
        assert_eq!(ok("+32 470 12 34 56"), mobile("+32470123456"));
        // Italian numbers keep their leading 0.
        assert_eq!(ok("+39 06 1234 5678"), line("+390612345678"));
        // North America: fixed line or mobile, cannot tell.
        assert_eq!(ok("+1 650-253-0000"), mobile("+16502530000"));
    }

    #[test]
    fn refusals() {
        assert_eq!(parse_phone(""), Err(PhoneError::Missing));
        assert_eq!(parse_phone("  \t "), Err(PhoneError::Missing));
        for input in [
            "abc",
            "06 12 34 56 7a",
            "06 12 34 56 78 ext 2",
            "tel:+33612345678",
            "+",
            "++33612345678",
            "06+12345678",
            "--",
            "06_12_34_56_78",
            "0６12345678",
            "06 12 34 56 78 00 00 00 00 00 00",
        ] {
            assert_eq!(parse_phone(input), Err(PhoneError::NotANumber), "{input:?}");
        }
        for input in [
            "06 12 34 56",
            "06 12 34 56 78 9",
            "12345",
            "0",
            "00",
            "0000000000",
            "08 70 12 34 56",
            "+33 6 12 34 56",
            "+999 123456789",
            "+44 1",
            "+1234567890123456",
            "123456789012345678",
        ] {
            assert_eq!(parse_phone(input), Err(PhoneError::Invalid), "{input:?}");
        }
        // The length is that of the trimmed input.
        let padded = format!("06 12 34 56 78{}", " ".repeat(MAX_INPUT_CHARS));
        assert_eq!(ok(&padded), mobile("+33612345678"));
        let long = format!("06{}12 34 56 78", " ".repeat(MAX_INPUT_CHARS));
        assert_eq!(parse_phone(&long), Err(PhoneError::NotANumber));
    }

    #[test]
    fn codes_are_stable() {
        assert_eq!(PhoneError::Missing.code(), "phone_missing");
        assert_eq!(PhoneError::NotANumber.code(), "phone_not_a_number");
        assert_eq!(PhoneError::Invalid.code(), "phone_invalid");
    }

    #[test]
    fn display() {
        assert_eq!(display_phone("+33612345678"), "06 12 34 56 78");
        assert_eq!(display_phone("+33145678910"), "01 45 67 89 10");
        assert_eq!(display_phone("+33639980123"), "06 39 98 01 23");
        assert_eq!(display_phone("+447700900123"), "+44 7700 900123");
        assert_eq!(display_phone("+262692123456"), "+262 692 12 34 56");
        assert_eq!(display_phone("+4915123456789"), "+49 1512 3456789");
        assert_eq!(display_phone(" 06 12 "), "06 12");
        assert_eq!(display_phone("+33abc"), "+33abc");
        assert_eq!(display_phone("+"), "+");
        assert_eq!(display_phone(""), "");
    }

    #[test]
    fn phone_serialises_as_a_plain_record() {
        let json = serde_json::to_string(&mobile("+33612345678")).expect("serialises");
        assert_eq!(json, r#"{"e164":"+33612345678","can_receive_sms":true}"#);
    }

    /// A French mobile number: 0, 6 or 7, eight digits.
    fn arb_mobile_digits() -> impl Strategy<Value = String> {
        "0[67][0-9]{8}"
    }

    /// A metropolitan mobile: in the blocks libphonenumber knows for
    /// metropolitan France, or in ARCEP's fictional range.
    fn arb_metropolitan_mobile() -> impl Strategy<Value = String> {
        prop_oneof![
            "06[0-24-8][0-9]{7}",
            "063[0-8][0-9]{6}",
            "069[589][0-9]{6}",
            "07[3-9][0-9]{7}",
            "06399801[0-9]{2}",
        ]
    }

    /// The ten digits `d` written the way people do.
    fn written(d: &str, style: usize) -> String {
        let national = &d[1..];
        let pairs: Vec<&str> = (0..5).map(|i| &d[2 * i..2 * i + 2]).collect();
        match style {
            0 => d.to_owned(),
            1 => pairs.join(" "),
            2 => pairs.join("."),
            3 => pairs.join("-"),
            4 => pairs.join("/"),
            5 => format!("+33{national}"),
            6 => format!("+33 {} {}", &national[..1], pairs[1..].join(" ")),
            7 => format!("0033 {national}"),
            8 => format!("+33 (0){national}"),
            9 => format!("  {}\t", pairs.join("\u{a0}")),
            _ => national.to_owned(),
        }
    }

    proptest! {
        #[test]
        fn metropolitan_mobiles_parse_in_any_form(d in arb_metropolitan_mobile(), style in 0usize..11) {
            let phone = parse_phone(&written(&d, style));
            prop_assert_eq!(phone, Ok(mobile(&format!("+33{}", &d[1..]))));
        }

        #[test]
        fn every_06_07_number_is_a_mobile(d in arb_mobile_digits(), style in 0usize..11) {
            let phone = parse_phone(&written(&d, style)).map_err(|e| TestCaseError::fail(format!("{d}: {e}")))?;
            prop_assert!(phone.can_receive_sms);
            let national = &d[1..];
            // Metropolitan, or an overseas mobile with its own country code.
            let overseas = ["+262", "+508", "+590", "+594", "+596"]
                .iter()
                .any(|cc| phone.e164 == format!("{cc}{national}"));
            prop_assert!(phone.e164 == format!("+33{national}") || overseas, "{} -> {}", d, phone.e164);
        }

        #[test]
        fn parsing_e164_is_idempotent(d in arb_mobile_digits(), style in 0usize..11) {
            let phone = parse_phone(&written(&d, style)).map_err(|e| TestCaseError::fail(e.to_string()))?;
            prop_assert_eq!(parse_phone(&phone.e164), Ok(phone.clone()));
            // The display form reads back as the same number.
            prop_assert_eq!(parse_phone(&display_phone(&phone.e164)), Ok(phone));
        }

        #[test]
        fn any_accepted_number_reparses_to_itself(input in "\\+?[0-9 ]{1,20}") {
            if let Ok(phone) = parse_phone(&input) {
                prop_assert!(phone.e164.starts_with('+'));
                prop_assert!(phone.e164[1..].bytes().all(|b| b.is_ascii_digit()));
                prop_assert!(phone.e164.len() <= MAX_E164_DIGITS + 1);
                prop_assert_eq!(parse_phone(&phone.e164), Ok(phone.clone()));
                prop_assert_eq!(parse_phone(&display_phone(&phone.e164)), Ok(phone));
            }
        }

        #[test]
        fn never_panics(input in ".{0,40}") {
            let _ = parse_phone(&input);
            let _ = display_phone(&input);
        }

        #[test]
        fn never_panics_on_number_like_text(input in "[+0-9 ().\\-/]{0,32}") {
            let _ = parse_phone(&input);
            let _ = display_phone(&input);
        }
    }
}
