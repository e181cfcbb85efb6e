//! The case's declaration as a whole: where it stands, the drafts of its
//! forms, and sending it to the tracers.

use super::{now, Db, StoreError};

/// Where the case stands: `new`, `declaring`, `submitted`, `in_progress`
/// or `closed`.
pub(crate) async fn case_status(
    conn: &mut sqlx::AnyConnection,
    case_id: i64,
) -> Result<String, StoreError> {
    let row: Option<(String,)> = sqlx::query_as("SELECT status FROM cases WHERE id = $1")
        .bind(case_id)
        .fetch_optional(&mut *conn)
        .await?;
    row.map(|(s,)| s).ok_or(StoreError::NotFound("case"))
}

/// After sending, a change is news for the tracer.
pub(crate) fn is_after_submit(status: &str) -> bool {
    matches!(status, "submitted" | "in_progress")
}

/// Which of the case's forms a draft belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DraftKind {
    Contact,
    Place,
}

impl DraftKind {
    fn column(self) -> &'static str {
        match self {
            DraftKind::Contact => "contact_draft",
            DraftKind::Place => "place_draft",
        }
    }
}

/// Keeps what was typed in a form that could not be saved yet (JSON).
pub async fn save_draft(
    db: &Db,
    case_id: i64,
    kind: DraftKind,
    json: &str,
) -> Result<(), StoreError> {
    sqlx::query(&format!(
        "UPDATE cases SET {} = $2, updated_at = $3 WHERE id = $1",
        kind.column()
    ))
    .bind(case_id)
    .bind(json)
    .bind(now())
    .execute(db.pool())
    .await?;
    Ok(())
}

/// The draft of a form, if one is waiting.
pub async fn load_draft(
    db: &Db,
    case_id: i64,
    kind: DraftKind,
) -> Result<Option<String>, StoreError> {
    let row: Option<(Option<String>,)> = sqlx::query_as(&format!(
        "SELECT {} FROM cases WHERE id = $1",
        kind.column()
    ))
    .bind(case_id)
    .fetch_optional(db.pool())
    .await?;
    Ok(row.and_then(|(draft,)| draft))
}

/// Forgets a form's draft (the person cancelled it).
pub async fn clear_draft(db: &Db, case_id: i64, kind: DraftKind) -> Result<(), StoreError> {
    sqlx::query(&format!(
        "UPDATE cases SET {} = NULL WHERE id = $1",
        kind.column()
    ))
    .bind(case_id)
    .execute(db.pool())
    .await?;
    Ok(())
}

/// Whether sending gave a new submission or repeated an earlier one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Submission {
    /// This request sent the list.
    Sent,
    /// It was already sent (a double tap, a resent form): nothing changed.
    AlreadySent,
    /// The tracer closed the case.
    Closed,
}

/// Sends the case's declaration to the tracers. Idempotent: one statement
/// moves the case from drafting to submitted, so a repeated request finds
/// nothing to move and changes nothing.
pub async fn submit_declaration(db: &Db, case_id: i64) -> Result<Submission, StoreError> {
    let at = now();
    let done = sqlx::query(
        "UPDATE cases SET status = 'submitted', list_submitted_at = $2, updated_at = $2 \
         WHERE id = $1 AND status IN ('new', 'declaring')",
    )
    .bind(case_id)
    .bind(at)
    .execute(db.pool())
    .await?;
    if done.rows_affected() == 1 {
        return Ok(Submission::Sent);
    }
    let mut conn = db.pool().acquire().await?;
    Ok(match case_status(&mut conn, case_id).await?.as_str() {
        "closed" => Submission::Closed,
        _ => Submission::AlreadySent,
    })
}

/// When the case sent their list, if they did.
pub async fn submitted_at(db: &Db, case_id: i64) -> Result<Option<i64>, StoreError> {
    let row: Option<(Option<i64>,)> =
        sqlx::query_as("SELECT list_submitted_at FROM cases WHERE id = $1")
            .bind(case_id)
            .fetch_optional(db.pool())
            .await?;
    Ok(row.and_then(|(at,)| at))
}
