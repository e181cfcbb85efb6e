//! `/equipe/dossiers/<id>`: the case as the tracer reviews it on the phone
//! with them — identity and situation, the contagious window and dates, the
//! contacts with their classification and reasons (what changed since this
//! tracer last looked is highlighted), contacts shared with another open
//! case, the places, the calls — and every action on the case.

use super::view::{desk_page, Desk};
use crate::error::AppError;
use crate::i18n::fill;
use crate::tr;
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};
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
    pub removed: bool,
    pub novelty: Option<Novelty>,
    pub added_by_tracer: bool,
    pub validated: bool,
    pub sms_status: Option<SmsStatus>,
    pub shared_with: Vec<(CaseId, String)>,
    pub follow_up: bool,
    pub minor: bool,
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
    pub sample_date: String,
    pub onset: Option<String>,
    pub window: String,
    pub isolation: String,
    pub status: CaseStatus,
    pub closed: bool,
    pub locked: bool,
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
}

/// The case page's data; the view is recorded in the audit trail.
#[server(endpoint = "staff/case")]
pub async fn load_desk_case(id: String) -> Result<Desk<CaseView>, AppError> {
    use super::auth::StaffContext;
    use relais_store::audit::{record, AuditAction, AuditEntry};
    let ctx = StaffContext::require(relais::roles::StaffRole::Tracer).await?;
    let Ok(case_id) = id.parse::<CaseId>() else {
        return Err(AppError::NotFound.answer());
    };
    let Some(file) =
        relais_store::desk::case_file::load_case_file(&ctx.db, ctx.member.id, case_id).await?
    else {
        return Err(AppError::NotFound.answer());
    };
    record(
        &ctx.db,
        &AuditEntry::new(ctx.member.id, AuditAction::ViewCase).case(case_id.get()),
    )
    .await?;
    let Some(mut view) = case_view(&ctx, file) else {
        return Err(AppError::Unavailable);
    };
    view.replies = super::replies::replies_of(&ctx.db, case_id.get(), ctx.lang).await?;
    Ok(Desk {
        me: ctx.me(),
        data: view,
    })
}

/// The rules' assessment of a stored case.
#[cfg(feature = "ssr")]
pub(crate) fn situation_of(
    case: &relais_store::desk::case_file::DeskCase,
) -> Option<relais::CaseSituation> {
    Some(relais::CaseSituation {
        sample_date: case.sample_date,
        symptom_onset: case.symptom_onset,
        isolation_start: None,
    })
}

/// The case a tracer works on, with the context the case's own forms use
/// (situation, rules, language): `None` when there is no such case.
#[cfg(feature = "ssr")]
pub(crate) async fn case_context(
    ctx: &super::auth::StaffContext,
    case_id: CaseId,
) -> Result<
    Option<(
        relais_store::desk::case_file::DeskCase,
        crate::patient::common::CaseContext,
    )>,
    AppError,
> {
    let Some(case) = relais_store::desk::case_file::load_case(&ctx.db, case_id).await? else {
        return Ok(None);
    };
    let Some(situation) = situation_of(&case) else {
        return Err(AppError::Unavailable);
    };
    let case_ctx = crate::patient::common::CaseContext {
        db: ctx.db.clone(),
        case_id,
        situation,
        rule_sets: ctx.rule_sets.clone(),
        lang: ctx.lang,
    };
    Ok(Some((case, case_ctx)))
}

/// The contact's assessment with the tracer's decision, if any.
#[cfg(feature = "ssr")]
pub(crate) fn decided_assessment(
    assessment: &relais::rules::CaseAssessment<'_>,
    contact: &relais_store::desk::case_file::DeskContact,
) -> relais::rules::ContactAssessment {
    let decided = contact
        .tracer_classification
        .as_deref()
        .and_then(|c| c.parse().ok());
    assessment.assess_contact_decided(&contact.contact.input.exposure, decided)
}

#[cfg(feature = "ssr")]
fn case_view(
    ctx: &super::auth::StaffContext,
    file: relais_store::desk::case_file::CaseFile,
) -> Option<CaseView> {
    use relais::dates::long_date;
    use relais_store::paris::instant_text;
    let lang = ctx.lang;
    let situation = situation_of(&file.case)?;
    let assessment = relais::rules::assess(&ctx.rule_sets, &situation);
    let seen = file.last_seen_at;
    let me = ctx.member.id;
    let date = |d: &str| d.parse().map(|d| long_date(d, lang)).unwrap_or_default();
    let c = &file.case;
    let contacts = file
        .contacts
        .iter()
        .map(|k| {
            let result = decided_assessment(&assessment, k);
            let by_someone_else = k.changed_by_staff != Some(me);
            let novelty = seen.filter(|_| by_someone_else).and_then(|seen| {
                if k.removed_at.is_some_and(|t| t > seen) {
                    Some(Novelty::Removed)
                } else if k.created_at > seen {
                    Some(Novelty::Added)
                } else if k.updated_at > seen {
                    Some(Novelty::Changed)
                } else {
                    None
                }
            });
            let input = &k.contact.input;
            DeskContactView {
                id: k.contact.id,
                name: format!("{} {}", input.first_name, input.last_name),
                phone: relais::phone::display_phone(&input.phone.e164),
                can_sms: input.phone.can_receive_sms,
                relationship: crate::patient::contacts::relationship_text(lang, input.relationship)
                    .to_owned(),
                last_contact: long_date(input.exposure.last_contact, lang),
                classification: result.classification,
                overridden: k.tracer_classification.is_some(),
                tracer_reason: k.tracer_reason.clone(),
                reasons: result
                    .reasons
                    .iter()
                    .filter(|r| !matches!(r, relais::Reason::RuleSet { .. }))
                    .map(|r| crate::rules_text::reason_text(lang, r, &ctx.rule_sets))
                    .collect(),
                removed: k.removed_at.is_some(),
                novelty,
                added_by_tracer: k.added_by == "tracer",
                validated: k.status == relais::status::ContactStatus::Validated,
                sms_status: k.sms_status,
                shared_with: file
                    .shared
                    .iter()
                    .filter(|s| s.contact_id == k.contact.id)
                    .map(|s| (s.other_case_id, s.other_reference.clone()))
                    .collect(),
                follow_up: k.follow_up_at.is_some(),
                minor: input.exposure.minor,
            }
        })
        .collect();
    Some(CaseView {
        id: c.id,
        reference: c.reference.clone(),
        version: c.version,
        name: format!("{} {}", c.first_name, c.last_name.to_uppercase()),
        birth_date: c.birth_date.as_deref().map(date).unwrap_or_default(),
        phone: c
            .phone
            .as_deref()
            .map(relais::phone::display_phone)
            .unwrap_or_default(),
        email: c.email.clone().unwrap_or_default(),
        lang: c.lang.code().to_owned(),
        sample_date: long_date(c.sample_date, lang),
        onset: c.symptom_onset.map(|d| long_date(d, lang)),
        window: fill(
            tr!(lang, desk.window_value),
            &[
                long_date(assessment.window.start, lang),
                long_date(assessment.window.end, lang),
            ],
        ),
        isolation: long_date(assessment.isolation.last_day, lang),
        status: c.status,
        closed: c.status == CaseStatus::Closed,
        locked: c.locked,
        list_submitted: c.list_submitted_at.map(|t| instant_text(t, lang)),
        validated: c.validated_at.map(|t| instant_text(t, lang)),
        call_back: c
            .call_back_at
            .filter(|_| c.queue == relais::desk::calls::Queue::Second)
            .map(|t| instant_text(t, lang)),
        contacts,
        places: file
            .places
            .iter()
            .map(|p| DeskPlaceView {
                kind: crate::patient::places::place_kind_text(lang, p.input.kind).to_owned(),
                name: p.input.name.clone(),
                details: crate::patient::places::place_details(lang, &p.input),
                date: long_date(p.input.visited_on, lang),
                changed: p.changed_after_submit,
            })
            .collect(),
        calls: file
            .calls
            .iter()
            .map(|call| CallView {
                at: instant_text(call.at, lang),
                outcome: outcome_text(lang, &call.outcome).to_owned(),
                by: call.by.clone().unwrap_or_default(),
                call_back: call.call_back_at.map(|t| instant_text(t, lang)),
            })
            .collect(),
        first_visit: seen.is_none(),
        admin: ctx.member.role.includes(relais::roles::StaffRole::Admin),
        replies: Vec::new(),
    })
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

#[component]
pub fn DeskCasePage() -> impl IntoView {
    let id = use_params_map()
        .get_untracked()
        .get("id")
        .unwrap_or_default();
    desk_page(id, load_desk_case, |lang, _me, case| {
        view! { <super::case_view::CaseFileView lang case /> }
    })
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
        _ => tr!(lang, desk.error_service),
    };
    Some((false, text.to_owned()))
}
