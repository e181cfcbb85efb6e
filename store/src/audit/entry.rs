//! What an audit line says: who did what, on which case (and contact).
//! Ids and machine names only, no personal data.

use relais::ids::{CaseId, ContactId, StaffId};

/// What a staff member did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuditAction {
    SignIn,
    SignOut,
    ViewQueue,
    /// A tracer opened a case's file. Its line also marks the case seen by
    /// them (what changed since shows on their next view), in the same
    /// commit.
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
