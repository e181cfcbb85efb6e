//! `relais audit`: the access review from the command line — who viewed or
//! changed which case, filtered by staff member, case and period, newest
//! first, as tab-separated lines (times in UTC, RFC 3339).

use crate::input::InputError;
use relais::desk::review::{parse_review, ReviewError};
use relais_store::audit::{trail, TrailQuery};
use relais_store::Db;
use std::io::Write;

/// The filters of `relais audit`, as typed.
#[derive(Debug, Clone, Default)]
pub struct Filters {
    pub staff: Option<String>,
    pub case: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
    pub limit: i64,
}

/// Writes the lines the filters select to `out`; returns how many.
pub async fn audit(db: &Db, filters: &Filters, out: &mut impl Write) -> anyhow::Result<usize> {
    let text = |v: &Option<String>| v.clone().unwrap_or_default();
    let review = parse_review(
        &text(&filters.case),
        &text(&filters.staff),
        &text(&filters.from),
        &text(&filters.to),
    )
    .map_err(|errors| {
        let why: Vec<String> = errors
            .iter()
            .map(|e| match e {
                ReviewError::NotADate(field) => {
                    format!("--{field}: expected a date like 2026-12-01 or 01/12/2026")
                }
                ReviewError::EndsBeforeStart => "--to comes before --from".to_owned(),
                ReviewError::Invalid(field) => {
                    format!("--{field}: letters, digits and . _ - @ only, 64 characters at most")
                }
            })
            .collect();
        InputError(why.join("; "))
    })?;
    let Some(query) = TrailQuery::of_review(
        db,
        relais_store::scope::Scope::whole_country(),
        &review,
        None,
    )
    .await?
    else {
        return Err(InputError("no case has this reference".to_owned()).into());
    };
    let lines = trail(
        db,
        relais_store::scope::Scope::whole_country(),
        &query,
        filters.limit.max(1),
    )
    .await?;
    writeln!(out, "at\tstaff\taction\tcase\tcase_id\tcontact_id\tdetail")?;
    for l in &lines {
        let at = relais::dates::utc_text(l.at).unwrap_or_default();
        let id = |v: Option<i64>| v.map(|v| v.to_string()).unwrap_or_default();
        writeln!(
            out,
            "{at}\t{}\t{}\t{}\t{}\t{}\t{}",
            l.username.as_deref().unwrap_or(""),
            l.action,
            l.case_reference.as_deref().unwrap_or(""),
            id(l.case_id.map(i64::from)),
            id(l.contact_id.map(i64::from)),
            l.detail.replace(['\t', '\n'], " ")
        )?;
    }
    Ok(lines.len())
}
