//! `relais import FILE`: the case intake from a CSV file (header row with
//! the API's field names, `relais::intake::field`), in batches of
//! [`MAX_BATCH`] rows — the same checks and the same store function as
//! `POST /api/v1/cases` ([`crate::intake::intake`]). Importing a file
//! again creates nothing twice (the lab reference is the key).
//!
//! Rows are numbered as in a spreadsheet: the header is row 1.

use crate::input::InputError;
use crate::intake::{intake, ItemResult, ItemStatus, Totals};
use indicatif::{ProgressBar, ProgressStyle};
use relais::intake::{field, FieldError, RawCase, MAX_BATCH};
use relais_store::territories::load_territories;
use relais_store::Db;
use std::fmt::Write as _;
use std::io::IsTerminal;
use std::path::Path;

/// What an import did: the totals, and each rejected row with its problems.
#[derive(Debug, Default)]
pub struct ImportReport {
    pub totals: Totals,
    /// (row number, problems)
    pub rejected: Vec<(u64, Vec<FieldError>)>,
    /// Columns of the header that are not fields (ignored).
    pub ignored_columns: Vec<String>,
}

impl std::fmt::Display for ImportReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if !self.ignored_columns.is_empty() {
            writeln!(f, "ignored columns: {}", self.ignored_columns.join(", "))?;
        }
        writeln!(f, "created: {}", self.totals.created)?;
        writeln!(f, "already present: {}", self.totals.already_present)?;
        writeln!(f, "rejected: {}", self.totals.rejected)?;
        for (row, errors) in &self.rejected {
            for e in errors {
                writeln!(
                    f,
                    "row {row}, field {}: {} ({})",
                    e.field, e.message, e.reason
                )?;
            }
        }
        Ok(())
    }
}

/// Imports `path`. An unreadable file or a header without the required
/// columns is an [`InputError`] (exit code 2) and imports nothing.
pub async fn import(db: &Db, path: &Path) -> anyhow::Result<ImportReport> {
    let file = std::fs::File::open(path)
        .map_err(|e| InputError(format!("cannot read {}: {e}", path.display())))?;
    let size = file.metadata().map(|m| m.len()).unwrap_or(0);
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(std::io::BufReader::new(file));
    let header = reader
        .headers()
        .map_err(|e| {
            InputError(format!(
                "cannot read the header row of {}: {e}",
                path.display()
            ))
        })?
        .clone();
    // A spreadsheet's UTF-8 export may start with a byte-order mark.
    let columns: Vec<String> = header
        .iter()
        .map(|h| h.trim_start_matches('\u{feff}').trim().to_ascii_lowercase())
        .collect();
    let missing: Vec<&str> = field::REQUIRED
        .iter()
        .copied()
        .filter(|f| !columns.iter().any(|c| c == f))
        .collect();
    if columns.iter().all(String::is_empty) {
        return Err(InputError(format!("{} is empty: no header row", path.display())).into());
    }
    if !missing.is_empty() {
        return Err(InputError(format!(
            "{}: missing column(s) {} in the header row (expected: {})",
            path.display(),
            missing.join(", "),
            field::ALL.join(", ")
        ))
        .into());
    }
    let mut report = ImportReport {
        ignored_columns: columns
            .iter()
            .filter(|c| !field::ALL.contains(&c.as_str()))
            .cloned()
            .collect(),
        ..ImportReport::default()
    };

    let progress = if std::io::stderr().is_terminal() {
        let bar = ProgressBar::new(size);
        if let Ok(style) = ProgressStyle::with_template(
            "{bar:40} {percent:>3}% {bytes}/{total_bytes} {msg} ({eta} left)",
        ) {
            bar.set_style(style);
        }
        bar
    } else {
        ProgressBar::hidden()
    };
    let today = db.today_paris();
    let territories = std::sync::Arc::new(load_territories(db).await?);
    let mut rows: Vec<u64> = Vec::with_capacity(MAX_BATCH);
    let mut items: Vec<Result<RawCase, Vec<FieldError>>> = Vec::with_capacity(MAX_BATCH);
    let mut record = csv::StringRecord::new();
    loop {
        let row = reader.position().line();
        let more = match reader.read_record(&mut record) {
            Ok(more) => more,
            Err(e) if matches!(e.kind(), csv::ErrorKind::Utf8 { .. }) => {
                rows.push(row);
                items.push(Err(vec![FieldError {
                    field: "row".into(),
                    reason: "not_utf8".into(),
                    message: "the row is not valid UTF-8 text".into(),
                }]));
                true
            }
            Err(e) => {
                return Err(anyhow::anyhow!(
                    "reading {} stopped at row {row}: {e}",
                    path.display()
                ))
            }
        };
        if more && !record.iter().all(|v| v.trim().is_empty()) {
            rows.push(record.position().map_or(row, |p| p.line()));
            items.push(raw_case(&columns, &record));
        }
        if items.len() == MAX_BATCH || (!more && !items.is_empty()) {
            let results =
                intake(db, std::mem::take(&mut items), today, territories.clone()).await?;
            add(&mut report, &std::mem::take(&mut rows), results);
            progress.set_position(reader.position().byte());
            progress.set_message(format!("{} created", report.totals.created));
        }
        if !more {
            break;
        }
    }
    progress.finish_and_clear();
    Ok(report)
}

/// One row as an item: empty cells are absent fields; a row with another
/// number of cells than the header is refused as a whole.
fn raw_case(columns: &[String], record: &csv::StringRecord) -> Result<RawCase, Vec<FieldError>> {
    if record.len() != columns.len() {
        let mut message = String::new();
        let _ = write!(
            message,
            "the row has {} cells, the header {}",
            record.len(),
            columns.len()
        );
        return Err(vec![FieldError {
            field: "row".into(),
            reason: "wrong_cell_count".into(),
            message,
        }]);
    }
    let mut raw = RawCase::default();
    for (name, value) in columns.iter().zip(record.iter()) {
        let value = Some(value.to_owned()).filter(|v| !v.trim().is_empty());
        raw.set(name, value);
    }
    Ok(raw)
}

fn add(report: &mut ImportReport, rows: &[u64], results: Vec<ItemResult>) {
    let totals = Totals::of(&results);
    report.totals.created += totals.created;
    report.totals.already_present += totals.already_present;
    report.totals.rejected += totals.rejected;
    for (result, &row) in results.into_iter().zip(rows) {
        if result.status == ItemStatus::Rejected {
            report.rejected.push((row, result.errors));
        }
    }
}
