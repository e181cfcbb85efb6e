//! The audit trail: every view and change of a case by staff — who, when,
//! what, which case (and contact). It holds ids and machine names only, no
//! personal data, so it can outlive the data it points to.

use super::{now, Db, StoreError};

/// What a staff member did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuditAction {
    SignIn,
    SignOut,
    ViewQueue,
    ViewCase,
    AddContact,
    ChangeContact,
    RemoveContact,
    Reclassify,
    RecordCall,
    UnlockLink,
    ResendLink,
    ValidateList,
    CloseCase,
    UnlockAccount,
    ViewAudit,
    ReadReply,
}

impl AuditAction {
    pub const ALL: [AuditAction; 16] = [
        AuditAction::SignIn,
        AuditAction::SignOut,
        AuditAction::ViewQueue,
        AuditAction::ViewCase,
        AuditAction::AddContact,
        AuditAction::ChangeContact,
        AuditAction::RemoveContact,
        AuditAction::Reclassify,
        AuditAction::RecordCall,
        AuditAction::UnlockLink,
        AuditAction::ResendLink,
        AuditAction::ValidateList,
        AuditAction::CloseCase,
        AuditAction::UnlockAccount,
        AuditAction::ViewAudit,
        AuditAction::ReadReply,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            AuditAction::SignIn => "sign_in",
            AuditAction::SignOut => "sign_out",
            AuditAction::ViewQueue => "view_queue",
            AuditAction::ViewCase => "view_case",
            AuditAction::AddContact => "add_contact",
            AuditAction::ChangeContact => "change_contact",
            AuditAction::RemoveContact => "remove_contact",
            AuditAction::Reclassify => "reclassify",
            AuditAction::RecordCall => "record_call",
            AuditAction::UnlockLink => "unlock_link",
            AuditAction::ResendLink => "resend_link",
            AuditAction::ValidateList => "validate_list",
            AuditAction::CloseCase => "close_case",
            AuditAction::UnlockAccount => "unlock_account",
            AuditAction::ViewAudit => "view_audit",
            AuditAction::ReadReply => "read_reply",
        }
    }
}

/// One line of the trail. `detail` is a machine word (an outcome, a
/// count), never free text typed by someone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry {
    pub staff_user_id: Option<i64>,
    pub action: AuditAction,
    pub case_id: Option<i64>,
    pub contact_id: Option<i64>,
    pub detail: String,
}

impl AuditEntry {
    pub fn new(staff_user_id: i64, action: AuditAction) -> AuditEntry {
        AuditEntry {
            staff_user_id: Some(staff_user_id),
            action,
            case_id: None,
            contact_id: None,
            detail: String::new(),
        }
    }

    pub fn case(mut self, case_id: i64) -> AuditEntry {
        self.case_id = Some(case_id);
        self
    }

    pub fn contact(mut self, contact_id: i64) -> AuditEntry {
        self.contact_id = Some(contact_id);
        self
    }

    pub fn detail(mut self, detail: impl Into<String>) -> AuditEntry {
        self.detail = detail.into();
        self
    }
}

/// Writes one entry on `conn` (inside the change's transaction when there
/// is one, so a change is never without its line).
pub async fn record_on(
    conn: &mut sqlx::AnyConnection,
    entry: &AuditEntry,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO audit_log (at, staff_user_id, action, case_id, contact_id, detail) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(now())
    .bind(entry.staff_user_id)
    .bind(entry.action.as_str())
    .bind(entry.case_id)
    .bind(entry.contact_id)
    .bind(&entry.detail)
    .execute(conn)
    .await?;
    Ok(())
}

/// Writes one entry (a view, or a change made in one statement).
pub async fn record(db: &Db, entry: &AuditEntry) -> Result<(), StoreError> {
    let mut conn = db.pool().acquire().await?;
    record_on(&mut conn, entry).await
}

/// A line of the trail as the admin page shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrailLine {
    pub at: i64,
    pub username: Option<String>,
    pub action: String,
    pub case_id: Option<i64>,
    pub contact_id: Option<i64>,
    pub detail: String,
}

/// The trail of one case, newest first (at most `limit` lines).
pub async fn case_trail(db: &Db, case_id: i64, limit: i64) -> Result<Vec<TrailLine>, StoreError> {
    type Row = (
        i64,
        Option<String>,
        String,
        Option<i64>,
        Option<i64>,
        String,
    );
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT a.at, s.username, a.action, a.case_id, a.contact_id, a.detail \
         FROM audit_log a LEFT JOIN staff_users s ON s.id = a.staff_user_id \
         WHERE a.case_id = $1 ORDER BY a.at DESC, a.id DESC LIMIT $2",
    )
    .bind(case_id)
    .bind(limit)
    .fetch_all(db.pool())
    .await?;
    Ok(rows
        .into_iter()
        .map(
            |(at, username, action, case_id, contact_id, detail)| TrailLine {
                at,
                username,
                action,
                case_id,
                contact_id,
                detail,
            },
        )
        .collect())
}
