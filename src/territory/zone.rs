//! A part of the country a national (or regional) view narrows to: a
//! région or a département, as a dashboard's `zone` parameter writes it
//! (`r32` for the région Hauts-de-France, `80` for the Somme).

use super::entry::{DepartementCode, RegionCode};

/// A région or a département.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Zone {
    Region(RegionCode),
    Departement(DepartementCode),
}

impl Zone {
    /// Reads a zone parameter: empty is the whole country (`Ok(None)`),
    /// `r` + two digits a région, a département code a département; any
    /// other text is refused.
    pub fn parse(text: &str) -> Result<Option<Zone>, BadZone> {
        let text = text.trim();
        if text.is_empty() {
            return Ok(None);
        }
        if let Some(region) = text.strip_prefix(['r', 'R']) {
            return RegionCode::parse(region)
                .map(|r| Some(Zone::Region(r)))
                .map_err(|_| BadZone);
        }
        DepartementCode::parse(text)
            .map(|d| Some(Zone::Departement(d)))
            .map_err(|_| BadZone)
    }

    /// The parameter that reads back as this zone.
    pub fn param(self) -> String {
        match self {
            Zone::Region(r) => format!("r{}", r.as_str()),
            Zone::Departement(d) => d.as_str().to_owned(),
        }
    }
}

/// A zone parameter that names no région or département.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("not a région (r32) or a département (80)")]
pub struct BadZone;

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn zones_parse() {
        assert_eq!(Zone::parse(""), Ok(None));
        assert_eq!(Zone::parse("  "), Ok(None));
        let somme = DepartementCode::parse("80").expect("80");
        assert_eq!(Zone::parse("80"), Ok(Some(Zone::Departement(somme))));
        let hdf = RegionCode::parse("32").expect("32");
        assert_eq!(Zone::parse("r32"), Ok(Some(Zone::Region(hdf))));
        assert_eq!(Zone::parse("R32"), Ok(Some(Zone::Region(hdf))));
        for bad in ["20", "r", "r3", "r321", "x80", "80'", "'; DROP"] {
            assert_eq!(Zone::parse(bad), Err(BadZone), "{bad}");
        }
    }

    #[test]
    fn every_departement_reads_back() {
        for d in DepartementCode::all() {
            let zone = Zone::Departement(d);
            assert_eq!(Zone::parse(&zone.param()), Ok(Some(zone)));
        }
    }

    proptest! {
        #[test]
        fn parsing_never_panics_and_reads_back(s in ".{0,8}") {
            if let Ok(Some(zone)) = Zone::parse(&s) {
                prop_assert_eq!(Zone::parse(&zone.param()), Ok(Some(zone)));
            }
        }
    }
}
