//! `relais generate --cases N`: synthetic cases for benchmarks and load
//! tests. Invented names and numbers in the reserved fictional ranges
//! (+33 6 39 98 xx xx is reserved by ARCEP for fiction), never real people.

use relais::territory::DepartementCode;
use relais::Lang;
use relais_store::cases::{self, NewCase};
use relais_store::Db;
use time::Duration;

/// Reference prefix of generated cases.
pub const GENERATED_PREFIX: &str = "GEN-";
const BATCH: usize = 1_000;
const FIRST_NAMES: [&str; 8] = [
    "Camille",
    "Dominique",
    "Claude",
    "Alix",
    "Sacha",
    "Lou",
    "Eden",
    "Noa",
];
const LAST_NAMES: [&str; 8] = [
    "Martin", "Bernard", "Thomas", "Petit", "Robert", "Richard", "Durand", "Dubois",
];

/// The `i`-th generated case, deterministic so that runs compare.
pub fn generated_case(i: usize, today: time::Date) -> NewCase {
    let sample_days_ago = (i % 10) as i64;
    NewCase {
        reference: format!("{GENERATED_PREFIX}{i:08}"),
        lab_reference: None,
        first_name: FIRST_NAMES[i % FIRST_NAMES.len()].to_owned(),
        last_name: LAST_NAMES[(i / FIRST_NAMES.len()) % LAST_NAMES.len()].to_owned(),
        birth_date: generated_birth_date(i),
        phone: format!("+3363998{:04}", i % 10_000),
        lang: if i.is_multiple_of(5) {
            Lang::En
        } else {
            Lang::Fr
        },
        sample_date: (today - Duration::days(sample_days_ago)).to_string(),
        test_type: "pcr".to_owned(),
        symptom_onset: i
            .is_multiple_of(2)
            .then(|| (today - Duration::days(sample_days_ago + 2)).to_string()),
        departement: DepartementCode::all().nth(i % DEPARTEMENTS),
    }
}

/// The date of birth of the `i`-th generated case (`YYYY-MM-DD`).
fn generated_birth_date(i: usize) -> String {
    format!("19{:02}-{:02}-{:02}", 40 + i % 60, 1 + i % 12, 1 + i % 28)
}

/// How many départements the generated cases spread over, in turn.
const DEPARTEMENTS: usize = 101;

/// Inserts `count` generated cases after those already generated, in
/// batches of one transaction each, printing progress; with `invitations`,
/// each new case's invitation SMS waits in the outbox, due now (to measure
/// the sender). Returns the total.
pub async fn generate(db: &Db, count: usize, invitations: bool) -> anyhow::Result<usize> {
    let start = cases::case_ids_with_reference_prefix(db, GENERATED_PREFIX)
        .await?
        .len();
    let today = db.today_paris();
    let mut done = 0;
    while done < count {
        let n = BATCH.min(count - done);
        let batch: Vec<NewCase> = (start + done..start + done + n)
            .map(|i| generated_case(i, today))
            .collect();
        cases::create_cases(db, &batch).await?;
        done += n;
        if done.is_multiple_of(10_000) || done == count {
            eprintln!("generated {done}/{count} cases");
        }
    }
    if invitations {
        let queued =
            relais_store::outbox::queue_invitations(db, &format!("{GENERATED_PREFIX}%")).await?;
        eprintln!("{} invitations queued", queued);
    }
    Ok(start + done)
}

/// Gives each generated case from the `first`-th on a link, and writes one
/// `LINK<TAB>BIRTH DATE` line per case to `file` (a load test's case
/// journeys: the link and the date of birth that opens it). Returns how
/// many were written.
pub async fn write_links(
    db: &Db,
    public_url: &str,
    first: usize,
    file: &std::path::Path,
) -> anyhow::Result<usize> {
    use std::io::Write;
    let generated = cases::case_ids_with_reference_prefix(db, GENERATED_PREFIX).await?;
    let mut out = std::io::BufWriter::new(std::fs::File::create(file)?);
    let mut written = 0;
    for (id, reference) in generated.iter().skip(first) {
        let Some(i) = reference
            .strip_prefix(GENERATED_PREFIX)
            .and_then(|n| n.parse::<usize>().ok())
        else {
            continue;
        };
        let token = cases::issue_case_link(db, *id).await?;
        writeln!(
            out,
            "{public_url}/d/{}\t{}",
            token.token,
            generated_birth_date(i)
        )?;
        written += 1;
    }
    out.flush()?;
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_cases_are_distinct_and_fictional() {
        let today = relais::dates::ymd(2020, 11, 17).unwrap();
        let a = generated_case(1, today);
        let b = generated_case(2, today);
        assert_ne!(a.reference, b.reference);
        assert!(a.phone.starts_with("+3363998"));
        assert_eq!(a.phone.len(), 12);
        assert!(a.sample_date <= today.to_string());
    }

    #[test]
    fn generated_cases_spread_over_every_departement() {
        let today = relais::dates::ymd(2020, 11, 17).unwrap();
        assert_eq!(DepartementCode::all().count(), DEPARTEMENTS);
        let spread: std::collections::BTreeSet<_> = (0..DEPARTEMENTS)
            .map(|i| generated_case(i, today).departement)
            .collect();
        assert_eq!(spread.len(), DEPARTEMENTS);
        assert!(spread.iter().all(Option::is_some));
    }
}
