//! The audit trail: every view and change of a case by staff — who, when,
//! what, which case (and contact). It holds ids and machine names only, no
//! personal data, so it can outlive the data it points to.

use super::columns::OptionalId;
use super::{Db, StoreError};
use relais::ids::{CaseId, ContactId, StaffId};

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
    ViewClusters,
    LendCases,
    TakeBackCases,
    AddOrganisation,
    ViewContactForm,
    ApiExport,
    EnrolSecondFactor,
    ResetSecondFactor,
    /// A support member listed their cell's requests for help.
    ViewSupportRequests,
    /// A support member took, handed back or closed a request.
    ChangeSupportRequest,
    /// A tracer recorded the case's answer to "do you need support?".
    AskSupport,
    /// A tracer saw that the case (or a contact) feels worse.
    SeeFeelsWorse,
}

impl AuditAction {
    pub const ALL: [AuditAction; 28] = [
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
        AuditAction::ViewClusters,
        AuditAction::LendCases,
        AuditAction::TakeBackCases,
        AuditAction::AddOrganisation,
        AuditAction::ViewContactForm,
        AuditAction::ApiExport,
        AuditAction::EnrolSecondFactor,
        AuditAction::ResetSecondFactor,
        AuditAction::ViewSupportRequests,
        AuditAction::ChangeSupportRequest,
        AuditAction::AskSupport,
        AuditAction::SeeFeelsWorse,
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
            AuditAction::ViewClusters => "view_clusters",
            AuditAction::LendCases => "lend_cases",
            AuditAction::TakeBackCases => "take_back_cases",
            AuditAction::AddOrganisation => "add_organisation",
            AuditAction::ViewContactForm => "view_contact_form",
            AuditAction::ApiExport => "api_export",
            AuditAction::EnrolSecondFactor => "enrol_second_factor",
            AuditAction::ResetSecondFactor => "reset_second_factor",
            AuditAction::ViewSupportRequests => "view_support_requests",
            AuditAction::ChangeSupportRequest => "change_support_request",
            AuditAction::AskSupport => "ask_support",
            AuditAction::SeeFeelsWorse => "see_feels_worse",
        }
    }
}

/// One line of the trail. `detail` is a machine word (an outcome, a
/// count), never free text typed by someone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry {
    pub staff_user_id: Option<StaffId>,
    pub action: AuditAction,
    pub case_id: Option<CaseId>,
    pub contact_id: Option<ContactId>,
    pub detail: String,
}

impl AuditEntry {
    pub fn new(staff_user_id: StaffId, action: AuditAction) -> AuditEntry {
        AuditEntry {
            staff_user_id: Some(staff_user_id),
            action,
            case_id: None,
            contact_id: None,
            detail: String::new(),
        }
    }

    /// A line written for an integration API key (no staff member): its
    /// name goes in the detail.
    pub fn by_api_key(action: AuditAction) -> AuditEntry {
        AuditEntry {
            staff_user_id: None,
            action,
            case_id: None,
            contact_id: None,
            detail: String::new(),
        }
    }

    pub fn case(mut self, case_id: CaseId) -> AuditEntry {
        self.case_id = Some(case_id);
        self
    }

    pub fn contact(mut self, contact_id: ContactId) -> AuditEntry {
        self.contact_id = Some(contact_id);
        self
    }

    pub fn detail(mut self, detail: impl Into<String>) -> AuditEntry {
        self.detail = detail.into();
        self
    }
}

/// Writes one entry on `conn` (inside the change's transaction when there
/// is one, so a change is never without its line), made `at` (the store's
/// clock, Unix seconds).
pub async fn record_on(
    conn: &mut sqlx::AnyConnection,
    entry: &AuditEntry,
    at: i64,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO audit_log (at, staff_user_id, action, case_id, contact_id, detail) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(at)
    .bind(entry.staff_user_id.map(StaffId::get))
    .bind(entry.action.as_str())
    .bind(entry.case_id.map(CaseId::get))
    .bind(entry.contact_id.map(ContactId::get))
    .bind(&entry.detail)
    .execute(conn)
    .await?;
    Ok(())
}

/// Writes one entry (a view, or a change made in one statement).
pub async fn record(db: &Db, entry: &AuditEntry) -> Result<(), StoreError> {
    let mut conn = db.write().await?;
    record_on(&mut conn, entry, db.now()).await
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
