//! What can be wrong with the territories' files (or stored rows): each
//! problem with its file and line, all of them at once, so that an
//! operator corrects a file in one pass.

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

    /// How many cells each row has.
    pub fn columns(self) -> usize {
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
    #[error(
        "`{0}` is not a département code (01 to 95, 2A, 2B, 971 to 974 or 976, with the \
         leading zero)"
    )]
    DepartementCode(String),
    #[error("`{0}` is not a region code (two digits, with the leading zero)")]
    RegionCode(String),
    #[error("the name is empty")]
    EmptyName,
    #[error("the name has more than {max} characters")]
    LongName { max: usize },
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
