//! Cases (index cases, "P0") and their SMS links.

use super::{Db, StoreError};
use crate::security::token::NewToken;
use relais::ids::CaseId;

/// What is known of a new case when it is created (by the lab feed, an
/// import or the demo).
#[derive(Debug, Clone)]
pub struct NewCase {
    pub reference: String,
    pub lab_reference: Option<String>,
    pub first_name: String,
    pub last_name: String,
    /// YYYY-MM-DD
    pub birth_date: String,
    /// E.164
    pub phone: String,
    pub lang: relais::Lang,
    /// YYYY-MM-DD
    pub sample_date: String,
    pub test_type: String,
    /// YYYY-MM-DD, when known
    pub symptom_onset: Option<String>,
    /// The département whose team handles the case, when known (it must be
    /// in the `departements` list).
    pub departement: Option<relais::territory::DepartementCode>,
}

/// How long an SMS link stays valid when it is not used (days).
pub const LINK_VALIDITY_DAYS: i64 = 30;

const INSERT_CASE: &str = "INSERT INTO cases (reference, lab_reference, first_name, last_name, \
     birth_date, phone, lang, sample_date, test_type, symptom_onset, has_symptoms, created_at, \
     updated_at, name_key, departement) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, \
     $12, $13, $14) RETURNING id";

/// Inserts a case and returns its id.
pub async fn create_case(db: &Db, case: &NewCase) -> Result<CaseId, StoreError> {
    let mut conn = db.write().await?;
    insert_case(&mut conn, case, db.now()).await.map(CaseId)
}

/// Inserts many cases in one transaction (imports, generated benchmark data).
pub async fn create_cases(db: &Db, cases: &[NewCase]) -> Result<(), StoreError> {
    let mut tx = db.begin_write().await?;
    for case in cases {
        insert_case(&mut tx, case, db.now()).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Inserts a case created `at` (Unix seconds).
async fn insert_case(
    conn: &mut sqlx::AnyConnection,
    case: &NewCase,
    at: i64,
) -> Result<i64, StoreError> {
    let (id,): (i64,) = sqlx::query_as(INSERT_CASE)
        .bind(&case.reference)
        .bind(&case.lab_reference)
        .bind(&case.first_name)
        .bind(&case.last_name)
        .bind(&case.birth_date)
        .bind(&case.phone)
        .bind(case.lang.code())
        .bind(&case.sample_date)
        .bind(&case.test_type)
        .bind(&case.symptom_onset)
        .bind(case.symptom_onset.as_ref().map(|_| true))
        .bind(at)
        .bind(relais::desk::queue::name_key(
            &case.first_name,
            &case.last_name,
        ))
        .bind(case.departement.map(|d| d.as_str()))
        .fetch_one(conn)
        .await?;
    Ok(id)
}

/// The id of the case with this reference, if any.
pub async fn id_of_reference(db: &Db, reference: &str) -> Result<Option<CaseId>, StoreError> {
    let id: Option<i64> = sqlx::query_scalar("SELECT id FROM cases WHERE reference = $1")
        .bind(reference)
        .fetch_optional(db.pool())
        .await?;
    Ok(id.map(CaseId))
}

/// Writes the name-search key of a case inserted from other rows (a
/// contact who tested positive).
pub(crate) async fn index_name(
    conn: &mut sqlx::AnyConnection,
    case_id: i64,
) -> Result<(), StoreError> {
    let (first, last): (Option<String>, Option<String>) =
        sqlx::query_as("SELECT first_name, last_name FROM cases WHERE id = $1")
            .bind(case_id)
            .fetch_one(&mut *conn)
            .await?;
    sqlx::query("UPDATE cases SET name_key = $2 WHERE id = $1")
        .bind(case_id)
        .bind(relais::desk::queue::name_key(
            first.as_deref().unwrap_or_default(),
            last.as_deref().unwrap_or_default(),
        ))
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Issues a new SMS link for a case and returns the token (to be written
/// into the SMS, never stored).
pub async fn issue_case_link(db: &Db, case_id: CaseId) -> Result<NewToken, StoreError> {
    super::links::insert_link(
        db,
        super::links::LinkHolder::Case(case_id),
        LINK_VALIDITY_DAYS,
    )
    .await
}

/// Number of cases (the demo loads its data only into an empty base).
pub async fn count_cases(db: &Db) -> Result<i64, StoreError> {
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM cases")
        .fetch_one(db.pool())
        .await?;
    Ok(n)
}

/// Ids of the cases whose reference starts with `prefix` (the demo's).
pub async fn case_ids_with_reference_prefix(
    db: &Db,
    prefix: &str,
) -> Result<Vec<(CaseId, String)>, StoreError> {
    let rows: Vec<(i64, String)> = sqlx::query_as(
        "SELECT id, reference FROM cases WHERE reference LIKE $1 ORDER BY reference",
    )
    .bind(format!("{prefix}%"))
    .fetch_all(db.pool())
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, reference)| (CaseId(id), reference))
        .collect())
}

/// The columns of [`CaseFacts`], from `cases` whose columns are written
/// `$table` + name: `case_facts!("")`, or `case_facts!("c.")` when `cases`
/// is aliased `c`.
macro_rules! case_facts {
    ($table:literal) => {
        concat!(
            $table,
            "vaccination AS case_vaccination, ",
            $table,
            "last_dose AS case_last_dose, ",
            $table,
            "release_sampled_on AS case_release_sampled_on, ",
            $table,
            "release_result AS case_release_result, ",
            crate::flag!(
                nullable concat!($table, "release_symptom_free"),
                "case_release_symptom_free"
            )
        )
    };
}

/// The case's situation as stored (dates of the sample and of the first
/// symptoms), for the pages and the rules; `None` when there is no such case.
pub async fn situation_of(
    db: &Db,
    case_id: CaseId,
) -> Result<Option<relais::CaseSituation>, StoreError> {
    #[derive(sqlx::FromRow)]
    struct Row {
        sample_date: String,
        symptom_onset: Option<String>,
        #[sqlx(flatten)]
        facts: CaseFacts,
    }
    let row: Option<Row> = sqlx::query_as(concat!(
        "SELECT sample_date, symptom_onset, ",
        case_facts!(""),
        " FROM cases WHERE id = $1"
    ))
    .bind(case_id.get())
    .fetch_optional(db.pool())
    .await?;
    row.map(|row| situation_from(&row.sample_date, row.symptom_onset, row.facts))
        .transpose()
}

/// A case's situation from its columns (`sample_date`, `symptom_onset` and
/// [`CASE_FACTS`]).
pub(crate) fn situation_from(
    sample_date: &str,
    symptom_onset: Option<String>,
    facts: CaseFacts,
) -> Result<relais::CaseSituation, StoreError> {
    let Some(sample_date) = relais::dates::parse_iso(sample_date) else {
        return Err(StoreError::Corrupt("cases.sample_date"));
    };
    let mut situation = relais::CaseSituation::new(
        symptom_onset.and_then(|o| relais::dates::parse_iso(&o)),
        sample_date,
    );
    facts.apply(&mut situation);
    Ok(situation)
}

/// A live case session: its case, and the case's situation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseSession {
    pub case_id: CaseId,
    /// `None` when the case is no longer there.
    pub situation: Option<relais::CaseSituation>,
    /// When the case sent their list, if they did (the lists' pages say
    /// what changes after it).
    pub submitted_at: Option<i64>,
}

/// The case of a live case session (the rules of
/// [`crate::sessions::session_subject`], and its idle timer refreshed alike)
/// with the case's situation and when they sent their list, in one
/// statement: every page of a case needs them, and each statement is a round
/// trip to the database (on SQLite, to its worker thread and back). `None`
/// for no live session, or one that is not a case's.
pub async fn case_session(db: &Db, secret: &str) -> Result<Option<CaseSession>, StoreError> {
    #[derive(sqlx::FromRow)]
    struct Row {
        #[sqlx(try_from = "crate::columns::OptionalId")]
        case_id: Option<CaseId>,
        last_seen_at: i64,
        sample_date: Option<String>,
        symptom_onset: Option<String>,
        list_submitted_at: Option<i64>,
        #[sqlx(flatten)]
        facts: CaseFacts,
    }
    const SQL: &str = concat!(
        "SELECT sessions.case_id, sessions.last_seen_at, c.sample_date, c.symptom_onset, \
         c.list_submitted_at, ",
        case_facts!("c."),
        " FROM sessions LEFT JOIN cases c ON c.id = sessions.case_id \
         WHERE sessions.kind = 'case' AND ",
        crate::sessions::live_session!()
    );
    let row = crate::sessions::read_live_session(db, secret, SQL, |row: &Row| row.last_seen_at);
    let Some(Row {
        case_id: Some(case_id),
        sample_date,
        symptom_onset,
        list_submitted_at,
        facts,
        ..
    }) = row.await?
    else {
        return Ok(None);
    };
    let situation = sample_date
        .map(|sample_date| situation_from(&sample_date, symptom_onset, facts))
        .transpose()?;
    Ok(Some(CaseSession {
        case_id,
        situation,
        submitted_at: list_submitted_at,
    }))
}

/// The UPDATE that records an answer of the case: `$set` writes the answer
/// from `$2` on, and then, as for every answer, the time of the change
/// (`$4`) and a new version of case `$1`; a new case starts declaring.
macro_rules! answer_of_the_case {
    ($set:literal) => {
        concat!(
            "UPDATE cases SET ",
            $set,
            ", updated_at = $4, version = version + 1, \
             status = CASE WHEN status = 'new' THEN 'declaring' ELSE status END \
             WHERE id = $1"
        )
    };
}

/// Records what the case said of their symptoms (the onset, or none); a new
/// case starts declaring. Refused once the case is closed (`Ok(false)`):
/// the onset moves the dates its notified contacts were given (issue 21).
/// A change after the list was sent is flagged for the tracer
/// (`onset_changed_at`, until the next validation).
pub async fn save_symptom_onset(
    db: &Db,
    case_id: CaseId,
    onset: Option<time::Date>,
) -> Result<bool, StoreError> {
    let done = sqlx::query(concat!(
        answer_of_the_case!(
            "has_symptoms = $2, symptom_onset = $3, onset_changed_at = CASE \
             WHEN status IN ('submitted', 'in_progress') \
             AND COALESCE(symptom_onset, '') <> COALESCE($3, '') THEN $4 \
             ELSE onset_changed_at END"
        ),
        " AND status <> 'closed'"
    ))
    .bind(case_id.get())
    .bind(onset.is_some())
    .bind(onset.map(|d| d.to_string()))
    .bind(db.now())
    .execute(&mut *db.write().await?)
    .await?;
    Ok(done.rows_affected() > 0)
}

/// What the case said of their vaccination and of their early-release
/// test, as selected by [`CASE_FACTS`].
#[derive(Debug, Clone, sqlx::FromRow)]
pub(crate) struct CaseFacts {
    case_vaccination: Option<String>,
    case_last_dose: Option<String>,
    case_release_sampled_on: Option<String>,
    case_release_result: Option<String>,
    case_release_symptom_free: Option<crate::columns::Flag>,
}

/// The columns of [`CaseFacts`], from `cases`.
pub(crate) const CASE_FACTS: &str = case_facts!("");

/// The columns of [`CaseFacts`], from `cases` aliased `c`.
pub(crate) const CASE_FACTS_OF_C: &str = case_facts!("c.");

impl CaseFacts {
    /// Adds what the case said to `situation`; values that do not parse
    /// (never written so) are left unsaid.
    pub(crate) fn apply(self, situation: &mut relais::CaseSituation) {
        let date = |s: Option<String>| s.and_then(|s| relais::dates::parse_iso(&s));
        situation.vaccination = self
            .case_vaccination
            .and_then(|v| v.parse().ok())
            .unwrap_or_default();
        situation.last_dose = date(self.case_last_dose);
        let result = self
            .case_release_result
            .and_then(|r| r.parse::<relais::situation::TestResult>().ok());
        situation.release_test = match (date(self.case_release_sampled_on), result) {
            (Some(sampled_on), Some(result)) => Some(relais::situation::ReleaseTest {
                sampled_on,
                result,
                symptom_free_48h: self.case_release_symptom_free.is_some_and(|f| f.0),
            }),
            _ => None,
        };
    }
}

/// Records the case's vaccination (the last dose's day, when said); a new
/// case starts declaring.
pub async fn save_vaccination(
    db: &Db,
    case_id: CaseId,
    vaccination: relais::VaccinationStatus,
    last_dose: Option<time::Date>,
) -> Result<(), StoreError> {
    sqlx::query(answer_of_the_case!("vaccination = $2, last_dose = $3"))
        .bind(case_id.get())
        .bind(vaccination.as_str())
        .bind(last_dose.map(|d| d.to_string()))
        .bind(db.now())
        .execute(&mut *db.write().await?)
        .await?;
    Ok(())
}

/// Records the test the case took to end their isolation early (it
/// replaces any earlier one).
pub async fn save_release_test(
    db: &Db,
    case_id: CaseId,
    test: &relais::situation::ReleaseTest,
) -> Result<(), StoreError> {
    sqlx::query(
        "UPDATE cases SET release_sampled_on = $2, release_result = $3, \
         release_symptom_free = $4, updated_at = $5, version = version + 1 WHERE id = $1",
    )
    .bind(case_id.get())
    .bind(test.sampled_on.to_string())
    .bind(test.result.as_str())
    .bind(test.symptom_free_48h)
    .bind(db.now())
    .execute(&mut *db.write().await?)
    .await?;
    Ok(())
}

/// Keeps what the case typed in a form about themselves that could not be
/// saved yet (JSON, as the app writes it); one draft a case, the last.
pub async fn save_answer_draft(db: &Db, case_id: CaseId, json: &str) -> Result<(), StoreError> {
    sqlx::query("UPDATE cases SET answer_draft = $2 WHERE id = $1")
        .bind(case_id.get())
        .bind(json)
        .execute(&mut *db.write().await?)
        .await?;
    Ok(())
}

/// The case's answer draft, if one waits.
pub async fn load_answer_draft(db: &Db, case_id: CaseId) -> Result<Option<String>, StoreError> {
    let row: Option<(Option<String>,)> =
        sqlx::query_as("SELECT answer_draft FROM cases WHERE id = $1")
            .bind(case_id.get())
            .fetch_optional(db.pool())
            .await?;
    Ok(row.and_then(|(draft,)| draft))
}

/// Forgets the case's answer draft (the form was saved).
pub async fn clear_answer_draft(db: &Db, case_id: CaseId) -> Result<(), StoreError> {
    sqlx::query("UPDATE cases SET answer_draft = NULL WHERE id = $1")
        .bind(case_id.get())
        .execute(&mut *db.write().await?)
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::{CASE_FACTS, CASE_FACTS_OF_C};

    /// The two column lists are one: every column of `cases` (four, and
    /// the flag's twice) read through the alias `c`, named alike.
    #[test]
    fn case_facts_of_c_are_case_facts_through_the_alias() {
        assert_eq!(CASE_FACTS_OF_C.matches("c.").count(), 6);
        assert_eq!(CASE_FACTS_OF_C.replace("c.", ""), CASE_FACTS);
        assert!(CASE_FACTS.starts_with("vaccination AS case_vaccination, "));
        assert!(CASE_FACTS_OF_C.ends_with(
            "WHEN c.release_symptom_free THEN 1 ELSE 0 END AS case_release_symptom_free"
        ));
    }
}
