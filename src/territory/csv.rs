//! Reading the territories' two CSV files into rows, each with its line:
//! the header, the cells (quotes as a spreadsheet writes them), each
//! code and name checked. Whether the rows agree with one another (no
//! code twice, every region known) is the lists' check (`lists`).

use super::entry::{Departement, DepartementCode, Region, RegionCode, MAX_NAME_CHARS};
use super::error::{Problem, TerritoryError, TerritoryFile};

/// A row read, with the line it was on.
pub type Numbered<T> = (Option<usize>, T);

/// The rows of the two files that read well, and the problems of the
/// others (in file then line order).
pub struct Read {
    pub regions: Vec<Numbered<Region>>,
    pub departements: Vec<Numbered<Departement>>,
    pub errors: Vec<TerritoryError>,
}

/// Reads both files.
pub fn read(regions_csv: &str, departements_csv: &str) -> Read {
    let mut errors = Vec::new();
    let mut regions = Vec::new();
    let file = TerritoryFile::Regions;
    for (line, cells) in rows(file, regions_csv, &mut errors) {
        let code = RegionCode::parse(&cells[0]).map_err(|_| Problem::RegionCode(cells[0].clone()));
        match (code, name(&cells[1])) {
            (Ok(code), Ok(name)) => regions.push((Some(line), Region { code, name })),
            (code, name) => errors.extend(at(file, line, [code.err(), name.err()])),
        }
    }
    let mut departements = Vec::new();
    let file = TerritoryFile::Departements;
    for (line, cells) in rows(file, departements_csv, &mut errors) {
        let code = DepartementCode::parse(&cells[0])
            .map_err(|_| Problem::DepartementCode(cells[0].clone()));
        let region =
            RegionCode::parse(&cells[2]).map_err(|_| Problem::RegionCode(cells[2].clone()));
        match (code, name(&cells[1]), region) {
            (Ok(code), Ok(name), Ok(region)) => {
                departements.push((Some(line), Departement { code, name, region }))
            }
            (code, name, region) => {
                errors.extend(at(file, line, [code.err(), name.err(), region.err()]))
            }
        }
    }
    Read {
        regions,
        departements,
        errors,
    }
}

/// The problems found, on their line.
fn at<const N: usize>(
    file: TerritoryFile,
    line: usize,
    problems: [Option<Problem>; N],
) -> impl Iterator<Item = TerritoryError> {
    problems
        .into_iter()
        .flatten()
        .map(move |problem| TerritoryError {
            file,
            line: Some(line),
            problem,
        })
}

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

/// A name as written, trimmed: not empty, at most [`MAX_NAME_CHARS`], no
/// control character.
pub fn name(text: &str) -> Result<String, Problem> {
    let text = text.trim();
    if text.is_empty() {
        Err(Problem::EmptyName)
    } else if text.chars().count() > MAX_NAME_CHARS {
        Err(Problem::LongName {
            max: MAX_NAME_CHARS,
        })
    } else if text.chars().any(char::is_control) {
        Err(Problem::ControlInName)
    } else {
        Ok(text.to_owned())
    }
}
