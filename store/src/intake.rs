//! Case intake in batches (the lab feed's API and `relais import`): each new
//! case with its invitation SMS in the outbox, in one transaction a batch.
//!
//! Built for throughput (100 000 cases in well under 10 s): the lab
//! references already known are looked up in bulk, and cases and outbox
//! rows are written with multi-row `INSERT … VALUES (…),(…)` statements,
//! chunked under SQLite's 32 766 bound parameters. The lab reference is the
//! idempotency key (`cases.lab_reference` is UNIQUE): a reference sent again
//! — in a later batch, twice in one batch, or by a concurrent request — is
//! `AlreadyPresent` with the case's reference, never a second case or SMS.

use super::values::{placeholders, row_placeholders};
use super::{Backend, Db, StoreError};
use relais::ids::CaseId;
use relais::intake::ValidCase;
use std::collections::HashMap;

/// What became of one valid item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// A new case, with its reference and its invitation queued.
    Created { case_reference: String },
    /// A case with this lab reference existed already: nothing was written.
    AlreadyPresent { case_reference: String },
}

/// The outbox key of a case's first invitation. A link sent again by a
/// tracer counts the invitations (`case_invitation:<case>:<n>`), so its key
/// follows this one.
pub fn invitation_key(case_id: CaseId) -> String {
    format!("case_invitation:{case_id}:1")
}

/// Columns of one case row in the multi-row insert.
const CASE_COLUMNS: usize = 15;
/// Rows of one insert statement: 15 × 2 000 = 30 000 parameters, under
/// SQLite's 32 766 (and PostgreSQL's 65 535).
const ROWS_PER_INSERT: usize = 2_000;
/// Lab references of one lookup.
const KEYS_PER_LOOKUP: usize = 5_000;
/// How often a clash of generated references is retried (50 random bits:
/// not expected to happen at all).
const REFERENCE_ATTEMPTS: usize = 5;

/// Creates the cases of `cases` that are new, with their invitations, in
/// one transaction; the outcome of each item, in order.
pub async fn intake_batch(db: &Db, cases: &[ValidCase]) -> Result<Vec<Outcome>, StoreError> {
    let mut outcomes: Vec<Option<Outcome>> = vec![None; cases.len()];
    let mut tx = db.begin_write().await?;
    let at = db.now();
    let backend = db.backend();

    // The first item of each lab reference; later ones follow its outcome.
    let mut first_of: HashMap<&str, usize> = HashMap::with_capacity(cases.len());
    for (i, case) in cases.iter().enumerate() {
        first_of.entry(case.lab_reference.as_str()).or_insert(i);
    }
    let keys: Vec<&str> = first_of.keys().copied().collect();
    let known = existing(&mut tx, backend, &keys).await?;
    let mut pending: Vec<usize> = Vec::new();
    for (&key, &i) in &first_of {
        match known.get(key) {
            Some(reference) => {
                outcomes[i] = Some(Outcome::AlreadyPresent {
                    case_reference: reference.clone(),
                })
            }
            None => pending.push(i),
        }
    }
    pending.sort_unstable();

    let mut created: Vec<(i64, usize)> = Vec::with_capacity(pending.len());
    for _ in 0..REFERENCE_ATTEMPTS {
        if pending.is_empty() {
            break;
        }
        let references: Vec<String> = pending.iter().map(|_| new_reference()).collect();
        let mut inserted: HashMap<String, i64> = HashMap::with_capacity(pending.len());
        let rows: Vec<(usize, &String)> = pending.iter().copied().zip(&references).collect();
        for chunk in rows.chunks(ROWS_PER_INSERT) {
            insert_cases(&mut tx, backend, cases, chunk, at, &mut inserted).await?;
        }
        let mut missed = Vec::new();
        for (i, reference) in rows {
            match inserted.get(&cases[i].lab_reference) {
                Some(&id) => {
                    created.push((id, i));
                    outcomes[i] = Some(Outcome::Created {
                        case_reference: reference.clone(),
                    });
                }
                None => missed.push(i),
            }
        }
        // Not inserted: its lab reference arrived meanwhile (a concurrent
        // batch), or its generated reference clashed (tried again).
        let keys: Vec<&str> = missed
            .iter()
            .map(|&i| cases[i].lab_reference.as_str())
            .collect();
        let arrived = existing(&mut tx, backend, &keys).await?;
        pending = missed
            .into_iter()
            .filter(|&i| match arrived.get(cases[i].lab_reference.as_str()) {
                Some(reference) => {
                    outcomes[i] = Some(Outcome::AlreadyPresent {
                        case_reference: reference.clone(),
                    });
                    false
                }
                None => true,
            })
            .collect();
    }
    if !pending.is_empty() {
        return Err(StoreError::AlreadyExists("generated case reference"));
    }

    for chunk in created.chunks(ROWS_PER_INSERT) {
        insert_invitations(&mut tx, backend, cases, chunk, at).await?;
    }
    tx.commit().await?;
    tracing::info!(
        items = cases.len(),
        created = created.len(),
        "case intake batch"
    );

    // Repeats inside the batch take the outcome of their first item.
    let result = cases
        .iter()
        .enumerate()
        .map(|(i, case)| {
            let first = first_of[case.lab_reference.as_str()];
            match &outcomes[first] {
                Some(Outcome::Created { case_reference }) if first != i => {
                    Outcome::AlreadyPresent {
                        case_reference: case_reference.clone(),
                    }
                }
                Some(outcome) => outcome.clone(),
                None => unreachable_outcome(),
            }
        })
        .collect();
    Ok(result)
}

/// Every first item got an outcome above; kept total without a panic.
fn unreachable_outcome() -> Outcome {
    Outcome::AlreadyPresent {
        case_reference: String::new(),
    }
}

/// The case references of the lab references that exist already.
async fn existing(
    conn: &mut sqlx::AnyConnection,
    backend: Backend,
    keys: &[&str],
) -> Result<HashMap<String, String>, StoreError> {
    let mut found = HashMap::new();
    for chunk in keys.chunks(KEYS_PER_LOOKUP) {
        let sql = format!(
            "SELECT lab_reference, reference FROM cases WHERE lab_reference IN ({})",
            placeholders(backend, 1, chunk.len())
        );
        // Shaped by the batch's size, as the inserts below: kept in the
        // connection's statement cache only at the chunk's full size; any
        // other is prepared for this batch and dropped (a cache of a hundred
        // statements of thousands of placeholders each weighed tens of MiB).
        let mut query =
            sqlx::query_as::<_, (String, String)>(&sql).persistent(chunk.len() == KEYS_PER_LOOKUP);
        for key in chunk {
            query = query.bind(*key);
        }
        found.extend(query.fetch_all(&mut *conn).await?);
    }
    Ok(found)
}

async fn insert_cases(
    conn: &mut sqlx::AnyConnection,
    backend: Backend,
    cases: &[ValidCase],
    rows: &[(usize, &String)],
    at: i64,
    inserted: &mut HashMap<String, i64>,
) -> Result<(), StoreError> {
    let sql = format!(
        "INSERT INTO cases (reference, lab_reference, first_name, last_name, birth_date, phone, \
         lang, sample_date, test_type, symptom_onset, has_symptoms, created_at, updated_at, \
         name_key, departement) VALUES {} ON CONFLICT DO NOTHING RETURNING id, lab_reference",
        row_placeholders(backend, rows.len(), CASE_COLUMNS)
    );
    let mut query =
        sqlx::query_as::<_, (i64, String)>(&sql).persistent(rows.len() == ROWS_PER_INSERT);
    for &(i, reference) in rows {
        let case = &cases[i];
        query = query
            .bind(reference.clone())
            .bind(case.lab_reference.clone())
            .bind(case.first_name.clone())
            .bind(case.last_name.clone())
            .bind(case.birth_date.to_string())
            .bind(case.phone.clone())
            .bind(case.lang.code())
            .bind(case.sample_date.to_string())
            .bind(case.test_type.as_str())
            .bind(case.symptom_onset.map(|d| d.to_string()))
            .bind(case.symptom_onset.map(|_| true))
            .bind(at)
            .bind(at)
            .bind(relais::desk::queue::name_key(
                &case.first_name,
                &case.last_name,
            ))
            .bind(case.departement.map(|d| d.as_str()));
    }
    for (id, lab_reference) in query.fetch_all(&mut *conn).await? {
        inserted.insert(lab_reference, id);
    }
    Ok(())
}

async fn insert_invitations(
    conn: &mut sqlx::AnyConnection,
    backend: Backend,
    cases: &[ValidCase],
    rows: &[(i64, usize)],
    at: i64,
) -> Result<(), StoreError> {
    const COLUMNS: usize = 6;
    let sql = format!(
        "INSERT INTO sms_outbox (kind, dedupe_key, to_phone, lang, case_id, status, \
         next_attempt_at, created_at) VALUES {} ON CONFLICT (dedupe_key) DO NOTHING",
        (0..rows.len())
            .map(|r| format!(
                "('case_invitation', {}, 'pending', {})",
                placeholders(backend, 1 + r * COLUMNS, 4),
                placeholders(backend, 5 + r * COLUMNS, 2)
            ))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let mut query = sqlx::query(&sql).persistent(rows.len() == ROWS_PER_INSERT);
    for &(case_id, i) in rows {
        let case = &cases[i];
        query = query
            .bind(invitation_key(CaseId(case_id)))
            .bind(case.phone.clone())
            .bind(case.lang.code())
            .bind(case_id)
            .bind(at)
            .bind(at);
    }
    query.execute(&mut *conn).await?;
    Ok(())
}

/// A new case reference, `P0-XXXXX-XXXXX` (see
/// [`relais::reference::case_reference`]): 50 random bits.
pub fn new_reference() -> String {
    relais::reference::case_reference(rand::random())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_are_readable_and_searchable() {
        let a = new_reference();
        assert!(relais::reference::is_case_reference(&a), "{a}");
        assert_ne!(a, new_reference());
        assert_eq!(
            relais::desk::queue::parse_search(&a.to_lowercase()),
            Some(relais::desk::queue::Search::Reference(a))
        );
    }
}
