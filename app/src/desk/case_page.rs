//! `/equipe/dossiers/<id>`: the case as the tracer reviews it on the phone
//! with them — identity and situation, the contagious window and dates, the
//! contacts with their classification and reasons (what changed since this
//! tracer last looked is highlighted), contacts shared with another open
//! case, the places, the calls — and every action on the case.

use super::case_model::CaseView;
use super::view::{desk_page, Desk};
use crate::error::AppError;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
#[cfg(feature = "ssr")]
use {
    super::case_context::{decided_assessment, situation_of},
    super::case_model::{outcome_text, CallView, DeskContactView, DeskPlaceView, Novelty},
    crate::i18n::fill,
    crate::patient::contact_form_view::relationship_text,
    crate::tr,
    relais::ids::CaseId,
    relais::status::CaseStatus,
};

/// The case page's data; the view is recorded in the audit trail (by
/// `load_case_file`, which marks the case seen with the same line).
#[server(endpoint = "staff/case")]
pub async fn load_desk_case(id: String) -> Result<Desk<CaseView>, AppError> {
    use super::auth::StaffContext;
    // Taken before any `.await`, like every context.
    let public_url = use_context::<crate::PublicUrl>()
        .map(|u| u.0)
        .unwrap_or_default();
    let ctx = StaffContext::require(relais::roles::StaffRole::Tracer).await?;
    let Ok(case_id) = id.parse::<CaseId>() else {
        return Err(AppError::NotFound.answer());
    };
    let case = ctx.case(case_id).await?;
    let Some(file) =
        relais_store::desk::case_file::load_case_file(&ctx.db, ctx.member.id, case).await?
    else {
        return Err(AppError::NotFound.answer());
    };
    let Some(mut view) = case_view(&ctx, file) else {
        return Err(AppError::Unavailable);
    };
    view.replies = super::replies::replies_of(&ctx.db, case, ctx.lang).await?;
    view.support = super::case_support::support_of(&ctx.db, case, ctx.lang).await?;
    view.sms_cost = super::sms_cost::sms_cost_of(&ctx.db, case, &public_url).await?;
    Ok(Desk {
        me: ctx.me(),
        data: view,
    })
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
    let assessment = relais::rules::assess_on(&ctx.rule_sets, &situation, ctx.db.today_paris());
    let seen = file.last_seen_at;
    let me = ctx.member.id;
    let date = |d: &str| {
        relais::dates::parse_iso(d)
            .map(|d| long_date(d, lang))
            .unwrap_or_default()
    };
    let c = &file.case;
    let asks_vaccination = assessment
        .rule_set()
        .uses(relais::doctrine::Fact::ContactVaccination);
    let contacts = file
        .contacts
        .iter()
        .map(|k| {
            let result = decided_assessment(&assessment, k, None);
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
                relationship: relationship_text(lang, input.relationship).to_owned(),
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
                measures: result
                    .quarantine
                    .as_ref()
                    .map(|q| crate::rules_text::measures_summary(lang, q)),
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
                reads: match input.lang {
                    Some(said) => said.native_name().to_owned(),
                    None => fill(
                        tr!(lang, desk.contact_lang_as_case),
                        &[c.lang.native_name().to_owned()],
                    ),
                },
                vaccination: vaccination_text(
                    lang,
                    &input.exposure,
                    k.vaccination_said_by,
                    asks_vaccination,
                ),
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
        departement: c
            .departement
            .as_ref()
            .map(|(code, name)| format!("{code} — {name}")),
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
        onset_changed: c.onset_changed_at.map(|t| instant_text(t, lang)),
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
        feels_worse: c.feels_worse_at.map(|t| instant_text(t, lang)),
        support: Vec::new(),
        sms_cost: Vec::new(),
    })
}

/// A contact's vaccination for the tracer, with who said it: shown when
/// the rules of the case use it (`asked`) or when someone said it.
#[cfg(feature = "ssr")]
fn vaccination_text(
    lang: relais::Lang,
    exposure: &relais::ContactExposure,
    said_by: Option<relais_store::contacts::VaccinationSaidBy>,
    asked: bool,
) -> Option<String> {
    use relais::VaccinationStatus;
    use relais_store::contacts::VaccinationSaidBy;
    if !asked && said_by.is_none() && exposure.vaccination == VaccinationStatus::Unknown {
        return None;
    }
    let mut status = match (exposure.vaccination, exposure.last_dose) {
        (VaccinationStatus::FullyVaccinated, Some(dose)) => fill(
            tr!(lang, desk.vaccination_full_since),
            &[relais::dates::long_date(dose, lang)],
        ),
        (VaccinationStatus::FullyVaccinated, None) => tr!(lang, desk.vaccination_full).to_owned(),
        (VaccinationStatus::NotVaccinated, _) => tr!(lang, desk.vaccination_not).to_owned(),
        (VaccinationStatus::Unknown, _) => tr!(lang, desk.vaccination_unknown).to_owned(),
    };
    if exposure.immunocompromised {
        status = fill(tr!(lang, desk.vaccination_immunocompromised), &[status]);
    }
    let by = match said_by {
        Some(VaccinationSaidBy::Contact) => tr!(lang, desk.vaccination_by_contact),
        Some(VaccinationSaidBy::Case) => tr!(lang, desk.vaccination_by_case),
        Some(VaccinationSaidBy::Tracer) => tr!(lang, desk.vaccination_by_tracer),
        None => return Some(status),
    };
    Some(fill(
        tr!(lang, desk.vaccination_said),
        &[status, by.to_owned()],
    ))
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
