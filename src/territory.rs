//! Territories: the départements (mainland and overseas) and the regions
//! they belong to — the reference data each case is filed under.
//!
//! - [`DepartementCode`]: the 101 codes, `01` to `95` (without `20`), `2A`
//!   and `2B` (Corsica), `971` to `974` and `976`; nothing else parses.
//! - [`Territories`]: the lists themselves (names and regions), read from
//!   two CSV texts ([`Territories::parse`], every problem with its file and
//!   line) or built from stored rows ([`Territories::new`]). The shipped
//!   lists ([`Territories::shipped`], `territories/*.csv`) are what the
//!   database starts with; an operator replaces them without a rebuild.
//! - [`departement_of_postcode`]: the département a postcode belongs to.
//!
//! Pure: no I/O. The server keeps the lists of its database.

mod parse;
#[cfg(test)]
mod tests;

pub use parse::{Problem, TerritoryError, TerritoryErrors, TerritoryFile};

/// The shipped regions file (`territories/regions.csv`): `code,name`.
pub const SHIPPED_REGIONS_CSV: &str = include_str!("../territories/regions.csv");

/// The shipped départements file (`territories/departements.csv`):
/// `code,name,region`.
pub const SHIPPED_DEPARTEMENTS_CSV: &str = include_str!("../territories/departements.csv");

/// The longest name of a département or region, in characters.
pub const MAX_NAME_CHARS: usize = 100;

/// Every département code, in the official (INSEE) order: Corsica's two
/// between 19 and 21, the overseas ones last.
const CODES: [&str; 101] = [
    "01", "02", "03", "04", "05", "06", "07", "08", "09", "10", "11", "12", "13", "14", "15", "16",
    "17", "18", "19", "2A", "2B", "21", "22", "23", "24", "25", "26", "27", "28", "29", "30", "31",
    "32", "33", "34", "35", "36", "37", "38", "39", "40", "41", "42", "43", "44", "45", "46", "47",
    "48", "49", "50", "51", "52", "53", "54", "55", "56", "57", "58", "59", "60", "61", "62", "63",
    "64", "65", "66", "67", "68", "69", "70", "71", "72", "73", "74", "75", "76", "77", "78", "79",
    "80", "81", "82", "83", "84", "85", "86", "87", "88", "89", "90", "91", "92", "93", "94", "95",
    "971", "972", "973", "974", "976",
];

/// The code of a département: one of the 101, upper case (`2A`, never
/// `2a`). Ordered as INSEE lists them.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DepartementCode(u8);

/// A text that is not a département code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("not a département code (01 to 95, 2A, 2B, 971 to 974 or 976)")]
pub struct NotADepartementCode;

impl DepartementCode {
    /// Every code, in order.
    pub fn all() -> impl Iterator<Item = DepartementCode> {
        (0..CODES.len() as u8).map(DepartementCode)
    }

    /// Reads a code as written, trimmed, letters in either case: `"2a"` is
    /// `2A`. A leading zero is required (`"1"` is not `01`), and `20` —
    /// Corsica before 1976 — is no longer a code.
    pub fn parse(text: &str) -> Result<DepartementCode, NotADepartementCode> {
        let text = text.trim();
        if text.len() > 3 {
            return Err(NotADepartementCode);
        }
        CODES
            .iter()
            .position(|code| code.eq_ignore_ascii_case(text))
            .map(|i| DepartementCode(i as u8))
            .ok_or(NotADepartementCode)
    }

    /// The code as written: `01`, `2A`, `971`.
    pub fn as_str(self) -> &'static str {
        CODES[usize::from(self.0)]
    }

    /// An overseas département (971 to 976).
    pub fn is_overseas(self) -> bool {
        self.as_str().len() == 3
    }
}

impl std::fmt::Display for DepartementCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.pad(self.as_str())
    }
}

impl std::fmt::Debug for DepartementCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "DepartementCode({})", self.as_str())
    }
}

impl std::str::FromStr for DepartementCode {
    type Err = NotADepartementCode;
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        DepartementCode::parse(text)
    }
}

/// A database column holding a code (the store decodes rows through it).
impl TryFrom<String> for DepartementCode {
    type Error = NotADepartementCode;
    fn try_from(text: String) -> Result<Self, Self::Error> {
        DepartementCode::parse(&text)
    }
}

impl serde::Serialize for DepartementCode {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> serde::Deserialize<'de> for DepartementCode {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        DepartementCode::parse(&text).map_err(serde::de::Error::custom)
    }
}

/// The code of a region: two digits (INSEE: `84` Auvergne-Rhône-Alpes, `01`
/// Guadeloupe…).
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RegionCode([u8; 2]);

/// A text that is not a region code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("not a region code (two digits)")]
pub struct NotARegionCode;

impl RegionCode {
    /// Reads a code as written, trimmed: exactly two digits.
    pub fn parse(text: &str) -> Result<RegionCode, NotARegionCode> {
        match text.trim().as_bytes() {
            &[a, b] if a.is_ascii_digit() && b.is_ascii_digit() => Ok(RegionCode([a, b])),
            _ => Err(NotARegionCode),
        }
    }

    /// The code as written: `84`, `01`.
    pub fn as_str(&self) -> &str {
        // Two ASCII digits, by construction.
        std::str::from_utf8(&self.0).unwrap_or_default()
    }
}

impl std::fmt::Display for RegionCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.pad(self.as_str())
    }
}

impl std::fmt::Debug for RegionCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "RegionCode({})", self.as_str())
    }
}

impl std::str::FromStr for RegionCode {
    type Err = NotARegionCode;
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        RegionCode::parse(text)
    }
}

impl TryFrom<String> for RegionCode {
    type Error = NotARegionCode;
    fn try_from(text: String) -> Result<Self, Self::Error> {
        RegionCode::parse(&text)
    }
}

/// A region.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Region {
    pub code: RegionCode,
    pub name: String,
}

/// A département and its region.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Departement {
    pub code: DepartementCode,
    pub name: String,
    pub region: RegionCode,
}

/// The lists of regions and départements, consistent: codes unique, names
/// given, every département's region in the list. Each list is in code
/// order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Territories {
    regions: Vec<Region>,
    departements: Vec<Departement>,
}

impl Territories {
    /// The lists of two CSV texts: `code,name` for the regions,
    /// `code,name,region` for the départements (header rows required, as
    /// a spreadsheet exports them: quotes, a byte-order mark and CRLF line
    /// ends are fine). Every problem is returned with its file and line.
    pub fn parse(
        regions_csv: &str,
        departements_csv: &str,
    ) -> Result<Territories, TerritoryErrors> {
        parse::parse(regions_csv, departements_csv)
    }

    /// The lists of stored rows (the database's), checked as a file's are.
    pub fn new(
        regions: Vec<Region>,
        departements: Vec<Departement>,
    ) -> Result<Territories, TerritoryErrors> {
        parse::from_rows(
            regions.into_iter().map(|r| (None, r)).collect(),
            departements.into_iter().map(|d| (None, d)).collect(),
        )
    }

    /// The lists shipped with Relais (`territories/`): the 18 regions and
    /// the 101 départements, as the first migration stores them.
    pub fn shipped() -> Territories {
        Territories::parse(SHIPPED_REGIONS_CSV, SHIPPED_DEPARTEMENTS_CSV)
            // The shipped files are part of the source; a test parses them.
            .unwrap_or_else(|e| panic!("the shipped territories are invalid: {e}"))
    }

    /// Every region, in code order.
    pub fn regions(&self) -> &[Region] {
        &self.regions
    }

    /// Every département, in code order.
    pub fn departements(&self) -> &[Departement] {
        &self.departements
    }

    /// The département of this code, if in the list.
    pub fn departement(&self, code: DepartementCode) -> Option<&Departement> {
        self.departements
            .binary_search_by_key(&code, |d| d.code)
            .ok()
            .map(|i| &self.departements[i])
    }

    /// The region of this code, if in the list.
    pub fn region(&self, code: RegionCode) -> Option<&Region> {
        self.regions
            .binary_search_by_key(&code, |r| r.code)
            .ok()
            .map(|i| &self.regions[i])
    }

    /// The départements of a region, in code order.
    pub fn departements_of(&self, region: RegionCode) -> impl Iterator<Item = &Departement> {
        self.departements.iter().filter(move |d| d.region == region)
    }

    /// The département of a postcode, if it is in the list
    /// ([`departement_of_postcode`]).
    pub fn departement_of_postcode(&self, postcode: &str) -> Option<&Departement> {
        departement_of_postcode(postcode).and_then(|code| self.departement(code))
    }
}

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
