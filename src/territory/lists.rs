//! The lists of regions and départements: read from the two CSV files
//! or from stored rows, checked as a whole (no code twice, every
//! département's region in the list), looked up by code; and the lists
//! shipped with Relais.

use super::csv::{self, Numbered};
use super::entry::{Departement, DepartementCode, Region, RegionCode};
use super::error::{Problem, TerritoryError, TerritoryErrors, TerritoryFile};
use super::postcode::departement_of_postcode;
use std::collections::HashMap;

/// The shipped regions file (`territories/regions.csv`): `code,name`.
pub const SHIPPED_REGIONS_CSV: &str = include_str!("../../territories/regions.csv");

/// The shipped départements file (`territories/departements.csv`):
/// `code,name,region`.
pub const SHIPPED_DEPARTEMENTS_CSV: &str = include_str!("../../territories/departements.csv");

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
        let read = csv::read(regions_csv, departements_csv);
        let mut errors = read.errors;
        match from_rows(read.regions, read.departements) {
            Ok(territories) if errors.is_empty() => Ok(territories),
            Ok(_) => Err(TerritoryErrors(errors)),
            Err(TerritoryErrors(more)) => {
                errors.extend(more);
                errors.sort_by_key(|e| (e.file == TerritoryFile::Departements, e.line));
                Err(TerritoryErrors(errors))
            }
        }
    }

    /// The lists of stored rows (the database's), checked as a file's are.
    pub fn new(
        regions: Vec<Region>,
        departements: Vec<Departement>,
    ) -> Result<Territories, TerritoryErrors> {
        from_rows(
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
    /// ([`super::departement_of_postcode`]).
    pub fn departement_of_postcode(&self, postcode: &str) -> Option<&Departement> {
        departement_of_postcode(postcode).and_then(|code| self.departement(code))
    }
}

/// The lists of rows read (with their line, when from a file): codes
/// unique, every département's region in the list; sorted by code.
fn from_rows(
    regions: Vec<Numbered<Region>>,
    departements: Vec<Numbered<Departement>>,
) -> Result<Territories, TerritoryErrors> {
    let mut errors = Vec::new();
    // Names of stored rows are checked as a file's (those of a file were).
    let mut check_name = |file, line, name: &str| {
        if let Err(problem) = csv::name(name) {
            errors.push(TerritoryError {
                file,
                line,
                problem,
            });
        }
    };
    for (line, region) in &regions {
        check_name(TerritoryFile::Regions, *line, &region.name);
    }
    for (line, departement) in &departements {
        check_name(TerritoryFile::Departements, *line, &departement.name);
    }
    let duplicate = |file, line: Option<usize>, first: Option<usize>, code: String| {
        let problem = match first {
            Some(first) => Problem::Duplicate { code, first },
            None => Problem::DuplicateRow(code),
        };
        TerritoryError {
            file,
            line,
            problem,
        }
    };
    let mut seen: HashMap<RegionCode, Option<usize>> = HashMap::new();
    let mut kept_regions = Vec::with_capacity(regions.len());
    for (line, region) in regions {
        if let Some(&first) = seen.get(&region.code) {
            errors.push(duplicate(
                TerritoryFile::Regions,
                line,
                first,
                region.code.to_string(),
            ));
            continue;
        }
        seen.insert(region.code, line);
        kept_regions.push(region);
    }
    let mut seen_departements: HashMap<DepartementCode, Option<usize>> = HashMap::new();
    let mut kept = Vec::with_capacity(departements.len());
    for (line, departement) in departements {
        if let Some(&first) = seen_departements.get(&departement.code) {
            errors.push(duplicate(
                TerritoryFile::Departements,
                line,
                first,
                departement.code.to_string(),
            ));
            continue;
        }
        seen_departements.insert(departement.code, line);
        if !seen.contains_key(&departement.region) {
            errors.push(TerritoryError {
                file: TerritoryFile::Departements,
                line,
                problem: Problem::UnknownRegion(departement.region.to_string()),
            });
        }
        kept.push(departement);
    }
    if !errors.is_empty() {
        return Err(TerritoryErrors(errors));
    }
    kept_regions.sort_by_key(|r| r.code);
    kept.sort_by_key(|d| d.code);
    Ok(Territories {
        regions: kept_regions,
        departements: kept,
    })
}
