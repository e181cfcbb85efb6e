//! The département of a postcode (the intake's way of finding a case's
//! département when the feed gives only the address).

use super::entry::DepartementCode;

/// Whether `text` is written as a French postcode: exactly five digits.
pub fn is_postcode(text: &str) -> bool {
    text.len() == 5 && text.bytes().all(|b| b.is_ascii_digit())
}

/// The département a postcode (five digits, as [`is_postcode`]) belongs to:
/// its first two digits, except
///
/// - Corsica: 20000 to 20199 are Corse-du-Sud (`2A`), 20200 to 20699
///   Haute-Corse (`2B`), the rest of 20xxx nothing;
/// - overseas: 971xx to 974xx and 976xx are the départements 971 to 974
///   and 976 (971xx includes Saint-Barthélemy and Saint-Martin, which the
///   Guadeloupe health insurance fund serves); 975xx (Saint-Pierre-et-
///   Miquelon), the other 97xxx and 98xxx (Monaco, the Pacific) are no
///   département;
/// - 00xxx and 96xxx to 99xxx are nothing.
///
/// A postcode is a delivery area, not a commune: a few straddle a
/// boundary (a village of one département served from a post office of the
/// next). The intake's explicit `departement` field wins for that reason.
pub fn departement_of_postcode(postcode: &str) -> Option<DepartementCode> {
    if !is_postcode(postcode) {
        return None;
    }
    let number: u32 = postcode.parse().ok()?;
    let code = match number / 1000 {
        20 => match number {
            20_000..=20_199 => "2A",
            20_200..=20_699 => "2B",
            _ => return None,
        },
        97 => match number / 100 {
            971..=974 | 976 => &postcode[..3],
            _ => return None,
        },
        1..=95 => &postcode[..2],
        _ => return None,
    };
    DepartementCode::parse(code).ok()
}
