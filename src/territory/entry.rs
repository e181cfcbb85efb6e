//! One row of each list: the codes of départements and regions (only
//! valid ones exist), a region and a département.

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
