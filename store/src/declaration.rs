//! The case's declaration as a whole: where it stands, the drafts of its
//! forms, and sending it to the tracers.

use super::{Db, StoreError};
use relais::ids::{CaseId, StaffId};
use relais::status::CaseStatus;

/// Where the case stands.
pub(crate) async fn status_of_case(
    conn: &mut sqlx::AnyConnection,
    case_id: i64,
) -> Result<CaseStatus, StoreError> {
    let row: Option<(String,)> = sqlx::query_as("SELECT status FROM cases WHERE id = $1")
        .bind(case_id)
        .fetch_optional(&mut *conn)
        .await?;
    case_status(row.ok_or(StoreError::NotFound("case"))?.0)
}

/// Takes the case for a change, as the transaction's first statement: a
/// write, so that SQLite grants the write lock now (waiting its busy
/// timeout) instead of failing a read transaction's upgrade later, and
/// PostgreSQL locks the case's row (two changes of one case queue up, so a
/// full list cannot overflow). Every change bumps the case's version, which
/// a tracer's change must match (optimistic concurrency). Returns the
/// case's status.
pub(crate) async fn lock_case(
    conn: &mut sqlx::AnyConnection,
    case_id: i64,
    at: i64,
) -> Result<CaseStatus, StoreError> {
    let row: Option<(String,)> = sqlx::query_as(
        "UPDATE cases SET updated_at = $2, version = version + 1 WHERE id = $1 \
             RETURNING status",
    )
    .bind(case_id)
    .bind(at)
    .fetch_optional(&mut *conn)
    .await?;
    case_status(row.ok_or(StoreError::NotFound("case"))?.0)
}

/// A `cases.status` as read back.
pub(crate) fn case_status(text: String) -> Result<CaseStatus, StoreError> {
    text.parse()
        .map_err(|_| StoreError::Corrupt("cases.status"))
}

/// After sending, a change is news for the tracer.
pub(crate) fn is_after_submit(status: CaseStatus) -> bool {
    matches!(status, CaseStatus::Submitted | CaseStatus::InProgress)
}

/// The two lists of a declaration, each with its form and its draft.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Item {
    Contact,
    Place,
}

/// The most contacts one case may declare (a tracer can add more).
pub const MAX_CONTACTS: i64 = 100;
/// The most places one case may declare.
pub const MAX_PLACES: i64 = 50;

impl Item {
    fn column(self) -> &'static str {
        match self {
            Item::Contact => "contact_draft",
            Item::Place => "place_draft",
        }
    }

    fn table(self) -> &'static str {
        match self {
            Item::Contact => "contacts",
            Item::Place => "places",
        }
    }

    /// The condition that keeps the items a tracer validated (frozen for
    /// the case) out of the case's changes.
    fn unfrozen(self) -> &'static str {
        match self {
            Item::Contact => " AND status <> 'validated'",
            Item::Place => "",
        }
    }

    /// How many a case may declare.
    pub fn max(self) -> i64 {
        match self {
            Item::Contact => MAX_CONTACTS,
            Item::Place => MAX_PLACES,
        }
    }
}

/// What became of a save; `Id` is the saved item's (a `ContactId`, a
/// `PlaceId`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SaveOutcome<Id> {
    Saved(Id),
    /// The item is not one of this case's (or was removed).
    NotFound,
    /// The case already has [`Item::max`] of them.
    TooMany,
    /// The tracer closed the case: nothing can change any more.
    Closed,
    /// A staff member's change made on a version of the case that is no
    /// longer the current one: someone changed it meanwhile.
    Conflict,
    /// A tracer validated the contact: the case can no longer change it.
    Frozen,
}

/// Who changes one of the case's lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Editor {
    /// The case, from their own space (bounded by [`Item::max`]).
    Case,
    /// A staff member who saw the case at `version`.
    Staff {
        staff_user_id: StaffId,
        version: i64,
    },
}

impl Editor {
    /// The staff member, for the `changed_by_staff` column.
    pub fn staff_user_id(self) -> Option<StaffId> {
        match self {
            Editor::Case => None,
            Editor::Staff { staff_user_id, .. } => Some(staff_user_id),
        }
    }
}

/// Takes the case for a staff member's change made on `version`: `None`
/// when the case is at another version (or gone). Bumps the version.
pub(crate) async fn lock_case_at_version(
    conn: &mut sqlx::AnyConnection,
    case_id: i64,
    version: i64,
    at: i64,
) -> Result<Option<CaseStatus>, StoreError> {
    let row: Option<(String,)> = sqlx::query_as(
        "UPDATE cases SET updated_at = $3, version = version + 1 \
         WHERE id = $1 AND version = $2 RETURNING status",
    )
    .bind(case_id)
    .bind(version)
    .bind(at)
    .fetch_optional(&mut *conn)
    .await?;
    row.map(|(s,)| case_status(s)).transpose()
}

/// Opens the change of one item in `tx`: refused when the case is closed,
/// when a staff member's version is stale, or, for the case's addition,
/// when the list is full; otherwise whether the change is news for the
/// tracer (the case changed it after sending). `at` is the change's time.
pub(crate) async fn open_change<Id: From<i64>>(
    tx: &mut sqlx::AnyConnection,
    item: Item,
    case_id: i64,
    adding: Adding<'_>,
    editor: Editor,
    at: i64,
) -> Result<Result<bool, SaveOutcome<Id>>, StoreError> {
    let status = match editor {
        Editor::Case => lock_case(tx, case_id, at).await?,
        Editor::Staff { version, .. } => {
            match lock_case_at_version(tx, case_id, version, at).await? {
                Some(status) => status,
                // The same form posted again is not a conflict: its first
                // post made the version it no longer matches.
                None => {
                    return Ok(Err(
                        match already_added(tx, item, case_id, adding).await? {
                            Some(id) => SaveOutcome::Saved(Id::from(id)),
                            None => SaveOutcome::Conflict,
                        },
                    ))
                }
            }
        }
    };
    if status == CaseStatus::Closed {
        return Ok(Err(SaveOutcome::Closed));
    }
    if let Some(id) = already_added(tx, item, case_id, adding).await? {
        return Ok(Err(SaveOutcome::Saved(Id::from(id))));
    }
    if editor != Editor::Case {
        return Ok(Ok(false));
    }
    if adding.is_adding() {
        let (count,): (i64,) = sqlx::query_as(&format!(
            "SELECT COUNT(*) FROM {} WHERE case_id = $1 AND removed_at IS NULL",
            item.table()
        ))
        .bind(case_id)
        .fetch_one(&mut *tx)
        .await?;
        if count >= item.max() {
            return Ok(Err(SaveOutcome::TooMany));
        }
    }
    Ok(Ok(is_after_submit(status)))
}

/// A fresh key for a new-item form (see [`Adding`]).
pub fn new_form_key() -> String {
    crate::security::token::new_token().token
}

/// Whether a save adds an item, and the key its form was issued with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Adding<'a> {
    /// A change of an item that exists.
    No,
    /// A new item; `form_key` (random, issued with the form) makes a form
    /// posted twice add it once.
    Yes { form_key: Option<&'a str> },
}

impl<'a> Adding<'a> {
    /// A new item from a form issued with `form_key` (blank: none).
    pub fn with_key(form_key: &'a str) -> Adding<'a> {
        let key = form_key.trim();
        Adding::Yes {
            form_key: (!key.is_empty() && key.len() <= 64).then_some(key),
        }
    }

    fn is_adding(self) -> bool {
        matches!(self, Adding::Yes { .. })
    }

    /// The key to store with a new item.
    pub(crate) fn form_key(self) -> Option<&'a str> {
        match self {
            Adding::Yes { form_key } => form_key,
            Adding::No => None,
        }
    }
}

/// The item a form with this key already added (posted before), if any.
async fn already_added(
    tx: &mut sqlx::AnyConnection,
    item: Item,
    case_id: i64,
    adding: Adding<'_>,
) -> Result<Option<i64>, StoreError> {
    let Some(key) = adding.form_key() else {
        return Ok(None);
    };
    let id: Option<i64> = sqlx::query_scalar(&format!(
        "SELECT id FROM {} WHERE case_id = $1 AND form_key = $2",
        item.table()
    ))
    .bind(case_id)
    .bind(key)
    .fetch_optional(&mut *tx)
    .await?;
    Ok(id)
}

/// Closes a saved change in `tx`: the form's draft is done with, and the
/// case is being declared.
pub(crate) async fn close_change(
    tx: &mut sqlx::AnyConnection,
    item: Item,
    case_id: i64,
    at: i64,
) -> Result<(), StoreError> {
    sqlx::query(&format!(
        "UPDATE cases SET {} = NULL, updated_at = $2, \
         status = CASE WHEN status = 'new' THEN 'declaring' ELSE status END WHERE id = $1",
        item.column()
    ))
    .bind(case_id)
    .bind(at)
    .execute(tx)
    .await?;
    Ok(())
}

/// Removes one of the case's items: deleted while the list is a draft,
/// kept and marked removed once it was sent. `false` if it was not theirs
/// (or the case is closed).
pub async fn remove_item(
    db: &Db,
    item: Item,
    case_id: CaseId,
    id: impl Into<i64>,
) -> Result<bool, StoreError> {
    let (case_id, id) = (case_id.get(), id.into());
    let mut tx = db.begin_write().await?;
    let status = lock_case(&mut tx, case_id, db.now()).await?;
    if status == CaseStatus::Closed {
        return Ok(false);
    }
    let done = if is_after_submit(status) {
        sqlx::query(&format!(
            "UPDATE {} SET removed_at = $3, changed_after_submit = TRUE, updated_at = $3 \
             WHERE id = $1 AND case_id = $2 AND removed_at IS NULL{}",
            item.table(),
            item.unfrozen()
        ))
        .bind(id)
        .bind(case_id)
        .bind(db.now())
        .execute(&mut *tx)
        .await?
    } else {
        sqlx::query(&format!(
            "DELETE FROM {} WHERE id = $1 AND case_id = $2{}",
            item.table(),
            item.unfrozen()
        ))
        .bind(id)
        .bind(case_id)
        .execute(&mut *tx)
        .await?
    };
    tx.commit().await?;
    Ok(done.rows_affected() == 1)
}

/// Keeps what was typed in a form that could not be saved yet (JSON).
pub async fn save_draft(
    db: &Db,
    case_id: CaseId,
    kind: Item,
    json: &str,
) -> Result<(), StoreError> {
    let case_id = case_id.get();
    sqlx::query(&format!(
        "UPDATE cases SET {} = $2, updated_at = $3 WHERE id = $1",
        kind.column()
    ))
    .bind(case_id)
    .bind(json)
    .bind(db.now())
    .execute(&mut *db.write().await?)
    .await?;
    Ok(())
}

/// The draft of a form, if one is waiting.
pub async fn load_draft(
    db: &Db,
    case_id: CaseId,
    kind: Item,
) -> Result<Option<String>, StoreError> {
    let case_id = case_id.get();
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
pub async fn clear_draft(db: &Db, case_id: CaseId, kind: Item) -> Result<(), StoreError> {
    let case_id = case_id.get();
    sqlx::query(&format!(
        "UPDATE cases SET {} = NULL WHERE id = $1",
        kind.column()
    ))
    .bind(case_id)
    .execute(&mut *db.write().await?)
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
pub async fn submit_declaration(db: &Db, case_id: CaseId) -> Result<Submission, StoreError> {
    let case_id = case_id.get();
    let at = db.now();
    let done = sqlx::query(
        "UPDATE cases SET status = 'submitted', list_submitted_at = $2, updated_at = $2 \
         WHERE id = $1 AND status IN ('new', 'declaring')",
    )
    .bind(case_id)
    .bind(at)
    .execute(&mut *db.write().await?)
    .await?;
    if done.rows_affected() == 1 {
        return Ok(Submission::Sent);
    }
    let mut conn = db.pool().acquire().await?;
    Ok(match status_of_case(&mut conn, case_id).await? {
        CaseStatus::Closed => Submission::Closed,
        _ => Submission::AlreadySent,
    })
}
