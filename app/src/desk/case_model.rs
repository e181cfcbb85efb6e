//! The case page's view model: what the tracer's case page shows, already
//! worded for the page (dates written out, statuses as enums), the call
//! outcomes' names and the message shown after an action. Shared by the
//! page's loader (`case_page`) and its view (`case_view`).

use crate::i18n::fill;
use crate::tr;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use relais::ids::{CaseId, ContactId};
use relais::status::{CaseStatus, SmsStatus};
use relais::{Classification, Lang};
use serde::{Deserialize, Serialize};

/// Since this tracer last looked at the case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Novelty {
    Added,
    Changed,
    Removed,
}

/// A contact as the case page shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeskContactView {
    pub id: ContactId,
    pub name: String,
    pub phone: String,
    pub can_sms: bool,
    pub relationship: String,
    pub last_contact: String,
    /// The classification in force: the tracer's if any, else the rules'
    /// (the reasons then say what the rules said).
    pub classification: Classification,
    /// The tracer decided the classification.
    pub overridden: bool,
    pub tracer_reason: Option<String>,
    pub reasons: Vec<String>,
    /// What the contact will be told to do (at risk only): dates anchored on
    /// the day they are told read so until then.
    pub measures: Option<String>,
    pub removed: bool,
    pub novelty: Option<Novelty>,
    pub added_by_tracer: bool,
    pub validated: bool,
    pub sms_status: Option<SmsStatus>,
    pub shared_with: Vec<(CaseId, String)>,
    pub follow_up: bool,
    pub minor: bool,
    /// The contact's vaccination and who said it (the contact on their own
    /// page, or the case's answer), when the rules use it or it was said.
    pub vaccination: Option<String>,
    /// The language of their texts and page, named in itself, and whether
    /// it was said for them (else it is the case's).
    #[serde(default)]
    pub reads: String,
}

/// A place as the case page shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeskPlaceView {
    pub kind: String,
    pub name: String,
    pub details: String,
    pub date: String,
    pub changed: bool,
}

/// A call as the case page shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CallView {
    pub at: String,
    pub outcome: String,
    pub by: String,
    pub call_back: Option<String>,
}

/// Everything the case page shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseView {
    pub id: CaseId,
    pub reference: String,
    pub version: i64,
    pub name: String,
    pub birth_date: String,
    pub phone: String,
    pub email: String,
    pub lang: String,
    /// The département's code and name (`60 — Oise`), when the case has one.
    pub departement: Option<String>,
    pub sample_date: String,
    pub onset: Option<String>,
    pub window: String,
    pub isolation: String,
    pub status: CaseStatus,
    pub closed: bool,
    pub locked: bool,
    /// When the case changed the symptom onset after sending the list.
    pub onset_changed: Option<String>,
    pub list_submitted: Option<String>,
    pub validated: Option<String>,
    pub call_back: Option<String>,
    pub contacts: Vec<DeskContactView>,
    pub places: Vec<DeskPlaceView>,
    pub calls: Vec<CallView>,
    pub first_visit: bool,
    pub admin: bool,
    /// Unread SMS replies of the case and its contacts.
    pub replies: Vec<super::replies::ReplyView>,
    /// When the case or a contact answered "2 worse" to a follow-up
    /// text, until a tracer marks it seen.
    pub feels_worse: Option<String>,
    /// The requests for help of the case and its contacts.
    pub support: Vec<super::case_support::CaseSupportView>,
    /// The texts of the case and its contacts, by language and alphabet.
    #[serde(default)]
    pub sms_cost: Vec<super::sms_cost::SmsCostRow>,
}

/// The name of a call outcome, for the page.
pub fn outcome_text(lang: Lang, outcome: &str) -> &'static str {
    match outcome {
        "reached" => tr!(lang, desk.outcome_reached),
        "no_answer" => tr!(lang, desk.outcome_no_answer),
        "wrong_number" => tr!(lang, desk.outcome_wrong_number),
        "refused" => tr!(lang, desk.outcome_refused),
        _ => tr!(lang, desk.outcome_call_back),
    }
}

/// The message a case page shows after an action (`?ok=` / `?erreur=`).
pub fn flash(lang: Lang) -> Option<(bool, String)> {
    let query = use_query_map().get_untracked();
    if let Some(code) = query.get("ok") {
        let n = query.get("n").unwrap_or_default();
        let text = match code.as_str() {
            "validated" => fill(tr!(lang, desk.ok_validated), &[n]),
            "call" => tr!(lang, desk.ok_call).to_owned(),
            "unlocked" => tr!(lang, desk.ok_unlocked).to_owned(),
            "resent" => tr!(lang, desk.ok_resent).to_owned(),
            "closed" => tr!(lang, desk.ok_closed).to_owned(),
            "saved" => tr!(lang, desk.ok_saved).to_owned(),
            "removed" => tr!(lang, desk.ok_removed).to_owned(),
            "reclassified" => tr!(lang, desk.ok_reclassified).to_owned(),
            "reply_read" => tr!(lang, desk.ok_reply_read).to_owned(),
            "support_asked" => tr!(lang, desk.ok_support_asked).to_owned(),
            "worse_seen" => tr!(lang, desk.ok_worse_seen).to_owned(),
            _ => return None,
        };
        return Some((true, text));
    }
    let code = query.get("erreur")?;
    let text = match code.as_str() {
        "conflict" => tr!(lang, desk.error_conflict),
        "call_invalid" => tr!(lang, desk.error_call),
        "reason" => tr!(lang, desk.error_reason),
        "closed" => tr!(lang, desk.error_closed),
        "support_needs" => tr!(lang, desk.error_support_needs),
        _ => tr!(lang, desk.error_service),
    };
    Some((false, text.to_owned()))
}
