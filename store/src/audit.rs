//! The audit trail: every view and change of a case by staff — who, when,
//! what, which case (and contact). It holds ids and machine names only, no
//! personal data, so it can outlive the data it points to.

use super::columns::OptionalId;
use super::values::{backend_of, row_placeholders};
use super::{Db, StoreError};
use relais::ids::{CaseId, ContactId, StaffId};

mod entry;
pub(crate) mod lines;

pub use entry::{AuditAction, AuditEntry};
pub use lines::LineWrites;
use tokio::sync::oneshot::error::TryRecvError;

/// Writes one entry on `conn` (inside the change's transaction when there
/// is one, so a change is never without its line), made `at` (the store's
/// clock, Unix seconds).
pub async fn record_on(
    conn: &mut sqlx::AnyConnection,
    entry: &AuditEntry,
    at: i64,
) -> Result<(), StoreError> {
    let lines = [(entry, at)];
    write_entries(conn, &lines, &seen_marks(&lines)).await
}

/// The most lines one statement carries (six values each); more waiting
/// are written by several statements in one transaction.
const LINES_PER_STATEMENT: usize = 64;

/// Writes one entry (a view, or a change made in one statement), durably,
/// before it returns.
///
/// Lines asked for at the same time are written together. Each waits for
/// the turn of this process's line writer; the one whose turn comes takes
/// every line waiting then, its own among them, and writes them with one
/// commit, in a task of its own that tells each waiter how it went. A
/// waiter whose line was written when its turn comes returns at once. Each
/// tracer's view costs a line: under load, one commit (an `fsync` on
/// SQLite, where writers take turns) now carries many instead of one each.
///
/// The write runs in its own task so that a request cancelled (its client
/// gone) never cuts it: the lines it carries are written, and told, once.
pub async fn record(db: &Db, entry: &AuditEntry) -> Result<(), StoreError> {
    let at = db.now();
    let lines = db.audit_lines().clone();
    let mut told = lines.wait(entry.clone(), at);
    let turn = lines.writer.clone().lock_owned().await;
    match told.try_recv() {
        // Written (or failed) with the lines of an earlier turn.
        Ok(outcome) => return outcome.map_err(StoreError::Internal),
        Err(TryRecvError::Closed) => return record_alone(db, entry, at).await,
        // Still waiting, so in the queue (only a turn takes lines, and
        // each takes them all): this turn writes them.
        Err(TryRecvError::Empty) => {}
    }
    let batch = lines.take();
    let (writer_db, writing) = (db.clone(), lines.clone());
    tokio::spawn(async move {
        let lines: Vec<(&AuditEntry, i64)> = batch.iter().map(|w| (&w.entry, w.at)).collect();
        let outcome = write_lines(&writer_db, &lines).await;
        if outcome.is_ok() {
            writing.count(batch.len());
        }
        let outcome = outcome.map_err(|e| e.to_string());
        for line in batch {
            // A waiter gone (its request cancelled) does not need telling.
            let _ = line.done.send(outcome.clone());
        }
        drop(turn);
    });
    match told.await {
        Ok(outcome) => outcome.map_err(StoreError::Internal),
        // The writing task panicked: its lines are not known written.
        Err(_) => record_alone(db, entry, at).await,
    }
}

/// The audit lines this process wrote through [`record`], and the writes
/// that carried them (the metrics show both).
pub fn line_writes(db: &Db) -> LineWrites {
    db.audit_lines().written()
}

async fn record_alone(db: &Db, entry: &AuditEntry, at: i64) -> Result<(), StoreError> {
    write_lines(db, &[(entry, at)]).await?;
    db.audit_lines().count(1);
    Ok(())
}

/// Writes lines with one commit: one statement when they are few and mark
/// no case seen, several in one transaction otherwise.
async fn write_lines(db: &Db, lines: &[(&AuditEntry, i64)]) -> Result<(), StoreError> {
    let marks = seen_marks(lines);
    if lines.len() <= LINES_PER_STATEMENT && marks.is_empty() {
        return insert_lines(&mut *db.write().await?, lines).await;
    }
    let mut tx = db.begin_write().await?;
    write_entries(&mut tx, lines, &marks).await?;
    tx.commit().await?;
    Ok(())
}

/// Writes lines on `conn` (in the caller's transaction), with the seen
/// marks of their case views (`marks`: [`seen_marks`] of the lines).
async fn write_entries(
    conn: &mut sqlx::AnyConnection,
    lines: &[(&AuditEntry, i64)],
    marks: &[(StaffId, CaseId, i64)],
) -> Result<(), StoreError> {
    for chunk in lines.chunks(LINES_PER_STATEMENT) {
        insert_lines(conn, chunk).await?;
    }
    for chunk in marks.chunks(LINES_PER_STATEMENT) {
        mark_seen(conn, chunk).await?;
    }
    Ok(())
}

/// What the case views among `lines` mark ([`AuditAction::ViewCase`]): the
/// case seen by its staff member at the line's instant, the latest of each
/// (staff member, case) only (one row cannot be upserted twice in one
/// statement on PostgreSQL).
fn seen_marks(lines: &[(&AuditEntry, i64)]) -> Vec<(StaffId, CaseId, i64)> {
    let mut marks: Vec<(StaffId, CaseId, i64)> = lines
        .iter()
        .filter_map(
            |(entry, at)| match (entry.action, entry.staff_user_id, entry.case_id) {
                (AuditAction::ViewCase, Some(staff), Some(case)) => Some((staff, case, *at)),
                _ => None,
            },
        )
        .collect();
    marks.sort_by_key(|&(staff, case, at)| (staff, case, std::cmp::Reverse(at)));
    marks.dedup_by_key(|&mut (staff, case, _)| (staff, case));
    marks
}

/// One upsert of seen marks.
async fn mark_seen(
    conn: &mut sqlx::AnyConnection,
    marks: &[(StaffId, CaseId, i64)],
) -> Result<(), StoreError> {
    let mut sql =
        "INSERT INTO staff_case_views (staff_user_id, case_id, seen_at) VALUES ".to_owned();
    sql.push_str(&row_placeholders(backend_of(conn), marks.len(), 3));
    sql.push_str(" ON CONFLICT (staff_user_id, case_id) DO UPDATE SET seen_at = excluded.seen_at");
    let mut query = sqlx::query(&sql).persistent(marks.len() == 1);
    for (staff, case, at) in marks {
        query = query.bind(staff.get()).bind(case.get()).bind(*at);
    }
    query.execute(conn).await?;
    Ok(())
}

/// The `INSERT` of lines, before its rows of values.
const INSERT_LINES: &str =
    "INSERT INTO audit_log (at, staff_user_id, action, case_id, contact_id, detail) VALUES ";

/// One line's `INSERT`.
const INSERT_LINE: &str = "INSERT INTO audit_log (at, staff_user_id, action, case_id, contact_id, \
                           detail) VALUES ($1, $2, $3, $4, $5, $6)";

/// One `INSERT` of lines, each made at its instant (Unix seconds).
async fn insert_lines(
    conn: &mut sqlx::AnyConnection,
    lines: &[(&AuditEntry, i64)],
) -> Result<(), StoreError> {
    let sql: std::borrow::Cow<'static, str> = match lines.len() {
        1 => INSERT_LINE.into(),
        n => {
            let mut sql = INSERT_LINES.to_owned();
            sql.push_str(&row_placeholders(backend_of(conn), n, 6));
            sql.into()
        }
    };
    // One line's text is always the same, kept prepared on the connection;
    // several lines' changes with their number and is not kept, where it
    // would push other statements out.
    let mut query = sqlx::query(&sql).persistent(lines.len() == 1);
    for (entry, at) in lines {
        query = query
            .bind(*at)
            .bind(entry.staff_user_id.map(StaffId::get))
            .bind(entry.action.as_str())
            .bind(entry.case_id.map(CaseId::get))
            .bind(entry.contact_id.map(ContactId::get))
            .bind(&entry.detail);
    }
    query.execute(conn).await?;
    Ok(())
}

/// A line of the trail as the admin page and `relais audit` show it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrailLine {
    pub id: i64,
    pub at: i64,
    pub username: Option<String>,
    pub action: String,
    pub case_id: Option<CaseId>,
    pub case_reference: Option<String>,
    pub contact_id: Option<ContactId>,
    pub detail: String,
}

/// Which lines of the audit log to list (every filter optional).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TrailQuery {
    pub case_id: Option<CaseId>,
    /// A staff member's username.
    pub staff: Option<String>,
    /// From this instant, included (Unix seconds).
    pub from: Option<i64>,
    /// Before this instant, excluded.
    pub until: Option<i64>,
    /// Only lines older than this one, `(at, id)`: the next page.
    pub before: Option<(i64, i64)>,
}

impl TrailQuery {
    /// The query of an access review's filters (days in the desk's time
    /// zone, the period's last day included), or `None` when the case
    /// reference matches no case in `scope` (a case outside it is not
    /// revealed).
    pub async fn of_review(
        db: &Db,
        scope: crate::scope::Scope,
        review: &relais::desk::review::Review,
        before: Option<(i64, i64)>,
    ) -> Result<Option<TrailQuery>, StoreError> {
        let case_id = match &review.case_reference {
            None => None,
            Some(reference) => match super::cases::id_of_reference(db, reference).await? {
                Some(id) if crate::scope::case_in_scope(db, scope, id).await?.is_some() => Some(id),
                _ => return Ok(None),
            },
        };
        let midnight = |day: time::Date| {
            crate::paris::instant_of(time::PrimitiveDateTime::new(day, time::Time::MIDNIGHT))
        };
        Ok(Some(TrailQuery {
            case_id,
            staff: review.staff.clone(),
            from: review.from.map(midnight),
            until: review.to.map(|day| midnight(day + time::Duration::days(1))),
            before,
        }))
    }
}

/// The lines `query` asks for, newest first (at most `limit`), of those
/// `scope` may read: every line for the national organisation; for a local
/// one, the lines of its own staff on no case or on a case in the scope.
pub async fn trail(
    db: &Db,
    scope: crate::scope::Scope,
    query: &TrailQuery,
    limit: i64,
) -> Result<Vec<TrailLine>, StoreError> {
    #[derive(sqlx::FromRow)]
    struct Row {
        id: i64,
        at: i64,
        username: Option<String>,
        action: String,
        #[sqlx(try_from = "OptionalId")]
        case_id: Option<CaseId>,
        reference: Option<String>,
        #[sqlx(try_from = "OptionalId")]
        contact_id: Option<ContactId>,
        detail: String,
    }
    let (before_at, before_id) = query.before.unzip();
    let in_scope = if scope.is_national() {
        "1 = 1".to_owned()
    } else {
        format!(
            "s.organisation_id = {} AND (a.case_id IS NULL OR {})",
            scope.organisation().get(),
            scope.cases_where("c")
        )
    };
    let rows: Vec<Row> = sqlx::query_as(&format!(
        "SELECT a.id, a.at, s.username, a.action, a.case_id, c.reference, a.contact_id, a.detail \
         FROM audit_log a LEFT JOIN staff_users s ON s.id = a.staff_user_id \
         LEFT JOIN cases c ON c.id = a.case_id \
         WHERE {in_scope} AND ($1 IS NULL OR a.case_id = $1) \
           AND ($2 IS NULL OR a.staff_user_id = (SELECT id FROM staff_users WHERE username = $2)) \
           AND ($3 IS NULL OR a.at >= $3) AND ($4 IS NULL OR a.at < $4) \
           AND ($5 IS NULL OR a.at < $5 OR (a.at = $5 AND a.id < $6)) \
         ORDER BY a.at DESC, a.id DESC LIMIT $7"
    ))
    .bind(query.case_id.map(CaseId::get))
    .bind(query.staff.as_deref())
    .bind(query.from)
    .bind(query.until)
    .bind(before_at)
    .bind(before_id)
    .bind(limit)
    .fetch_all(db.pool())
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| TrailLine {
            id: r.id,
            at: r.at,
            username: r.username,
            action: r.action,
            case_id: r.case_id,
            case_reference: r.reference,
            contact_id: r.contact_id,
            detail: r.detail,
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_case_view_marks_its_case_seen_at_the_latest_view() {
        let view =
            |staff, case| AuditEntry::new(StaffId(staff), AuditAction::ViewCase).case(CaseId(case));
        let lines = [
            view(1, 10),
            view(2, 10),
            view(1, 10),
            AuditEntry::new(StaffId(1), AuditAction::ViewQueue),
            AuditEntry::new(StaffId(1), AuditAction::RecordCall).case(CaseId(11)),
            view(1, 11),
            view(1, 10),
        ];
        let at = [100, 101, 105, 106, 107, 103, 102];
        let lines: Vec<(&AuditEntry, i64)> = lines.iter().zip(at).collect();
        assert_eq!(
            seen_marks(&lines),
            vec![
                (StaffId(1), CaseId(10), 105),
                (StaffId(1), CaseId(11), 103),
                (StaffId(2), CaseId(10), 101),
            ]
        );
    }
}
