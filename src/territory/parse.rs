//! Reading the territories' two CSV files (and checking stored rows the
//! same way): every problem found, each with its file and line, so that
//! an operator corrects a file in one pass.

use super::{Departement, DepartementCode, Region, RegionCode, Territories, MAX_NAME_CHARS};
use std::collections::HashMap;

/// Which of the two files a problem is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TerritoryFile {
    Regions,
    Departements,
}

impl TerritoryFile {
    /// The header row the file must start with.
    pub fn header(self) -> &'static str {
        match self {
            TerritoryFile::Regions => "code,name",
            TerritoryFile::Departements => "code,name,region",
        }
    }

    fn columns(self) -> usize {
        self.header().split(',').count()
    }
}

impl std::fmt::Display for TerritoryFile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            TerritoryFile::Regions => "regions",
            TerritoryFile::Departements => "départements",
        })
    }
}

/// What is wrong with a line (or a whole file).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Problem {
    #[error("the file is empty: the first line must be the header row `{0}`")]
    Empty(&'static str),
    #[error("the first line must be the header row `{0}`")]
    Header(&'static str),
    #[error("no rows after the header")]
    NoRows,
    #[error("{found} cells where the header has {expected}")]
    Cells { expected: usize, found: usize },
    #[error("a quoted cell is not closed on its line")]
    UnclosedQuote,
    #[error("`{0}` is not a département code (01 to 95, 2A, 2B, 971 to 974 or 976, with the leading zero)")]
    DepartementCode(String),
    #[error("`{0}` is not a region code (two digits, with the leading zero)")]
    RegionCode(String),
    #[error("the name is empty")]
    EmptyName,
    #[error("the name has more than {MAX_NAME_CHARS} characters")]
    LongName,
    #[error("the name contains a control character")]
    ControlInName,
    #[error("code {code} appears twice (first on line {first})")]
    Duplicate { code: String, first: usize },
    #[error("code {0} appears twice")]
    DuplicateRow(String),
    #[error("region {0} is not in the regions file")]
    UnknownRegion(String),
}

/// One problem: the file, the line (from 1, the header's; none for a
/// stored row) and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TerritoryError {
    pub file: TerritoryFile,
    pub line: Option<usize>,
    pub problem: Problem,
}

impl std::fmt::Display for TerritoryError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.line {
            Some(line) => write!(f, "{} file, line {line}: {}", self.file, self.problem),
            None => write!(f, "{}: {}", self.file, self.problem),
        }
    }
}

/// Every problem of a pair of files, in file then line order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TerritoryErrors(pub Vec<TerritoryError>);

impl std::fmt::Display for TerritoryErrors {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for (i, e) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("\n")?;
            }
            write!(f, "{e}")?;
        }
        Ok(())
    }
}

impl std::error::Error for TerritoryErrors {}

/// A file's data rows: (line number, cells), after its header was checked.
fn rows(
    file: TerritoryFile,
    text: &str,
    errors: &mut Vec<TerritoryError>,
) -> Vec<(usize, Vec<String>)> {
    let mut error = |line: usize, problem| {
        errors.push(TerritoryError {
            file,
            line: Some(line),
            problem,
        })
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut lines = text
        .split('\n')
        .enumerate()
        .map(|(i, line)| (i + 1, line.strip_suffix('\r').unwrap_or(line)))
        .filter(|(_, line)| !line.trim().is_empty());
    let Some((number, header)) = lines.next() else {
        error(1, Problem::Empty(file.header()));
        return Vec::new();
    };
    let expected: Vec<&str> = file.header().split(',').collect();
    match cells(header) {
        Some(found)
            if found
                .iter()
                .map(|c| c.to_lowercase())
                .eq(expected.iter().copied()) => {}
        _ => {
            error(number, Problem::Header(file.header()));
            return Vec::new();
        }
    }
    let mut rows = Vec::new();
    for (number, line) in lines {
        match cells(line) {
            None => error(number, Problem::UnclosedQuote),
            Some(found) if found.len() != file.columns() => error(
                number,
                Problem::Cells {
                    expected: file.columns(),
                    found: found.len(),
                },
            ),
            Some(found) => rows.push((number, found)),
        }
    }
    if rows.is_empty() {
        error(number, Problem::NoRows);
    }
    rows
}

/// The cells of one line, trimmed: comma-separated, a cell may be quoted
/// (`"…"`, a quote inside doubled). `None` for a quote left open.
fn cells(line: &str) -> Option<Vec<String>> {
    let mut out = Vec::new();
    let mut cell = String::new();
    let mut chars = line.chars().peekable();
    let mut quoted = false;
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                cell.push('"');
            }
            (true, '"') => quoted = false,
            (false, '"') if cell.trim().is_empty() => {
                cell.clear();
                quoted = true;
            }
            (false, ',') => out.push(std::mem::take(&mut cell).trim().to_owned()),
            (_, c) => cell.push(c),
        }
    }
    if quoted {
        return None;
    }
    out.push(cell.trim().to_owned());
    Some(out)
}

fn name(text: &str) -> Result<String, Problem> {
    let text = text.trim();
    if text.is_empty() {
        Err(Problem::EmptyName)
    } else if text.chars().count() > MAX_NAME_CHARS {
        Err(Problem::LongName)
    } else if text.chars().any(char::is_control) {
        Err(Problem::ControlInName)
    } else {
        Ok(text.to_owned())
    }
}

pub(super) fn parse(
    regions_csv: &str,
    departements_csv: &str,
) -> Result<Territories, TerritoryErrors> {
    let mut errors = Vec::new();
    let mut regions = Vec::new();
    for (line, cells) in rows(TerritoryFile::Regions, regions_csv, &mut errors) {
        let code = RegionCode::parse(&cells[0]).map_err(|_| Problem::RegionCode(cells[0].clone()));
        match (code, name(&cells[1])) {
            (Ok(code), Ok(name)) => regions.push((Some(line), Region { code, name })),
            (code, name) => errors.extend([code.err(), name.err()].into_iter().flatten().map(
                |problem| TerritoryError {
                    file: TerritoryFile::Regions,
                    line: Some(line),
                    problem,
                },
            )),
        }
    }
    let mut departements = Vec::new();
    for (line, cells) in rows(TerritoryFile::Departements, departements_csv, &mut errors) {
        let code = DepartementCode::parse(&cells[0])
            .map_err(|_| Problem::DepartementCode(cells[0].clone()));
        let region =
            RegionCode::parse(&cells[2]).map_err(|_| Problem::RegionCode(cells[2].clone()));
        match (code, name(&cells[1]), region) {
            (Ok(code), Ok(name), Ok(region)) => {
                departements.push((Some(line), Departement { code, name, region }))
            }
            (code, name, region) => errors.extend(
                [code.err(), name.err(), region.err()]
                    .into_iter()
                    .flatten()
                    .map(|problem| TerritoryError {
                        file: TerritoryFile::Departements,
                        line: Some(line),
                        problem,
                    }),
            ),
        }
    }
    match from_rows(regions, departements) {
        Ok(territories) if errors.is_empty() => Ok(territories),
        Ok(_) => Err(TerritoryErrors(errors)),
        Err(TerritoryErrors(more)) => {
            errors.extend(more);
            errors.sort_by_key(|e| (e.file == TerritoryFile::Departements, e.line));
            Err(TerritoryErrors(errors))
        }
    }
}

/// The lists of rows read (with their line, when from a file): codes
/// unique, every département's region in the list; sorted by code.
pub(super) fn from_rows(
    regions: Vec<(Option<usize>, Region)>,
    departements: Vec<(Option<usize>, Departement)>,
) -> Result<Territories, TerritoryErrors> {
    let mut errors = Vec::new();
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
