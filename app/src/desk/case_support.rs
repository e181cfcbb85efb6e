//! The case page's "Support during isolation": the requests for help of the
//! case and its contacts with where each stands at the support cell, the
//! form where the tracer records the case's answer to "do you need
//! support?" on the call, and the flag of an answer "2 worse" to a
//! follow-up text, which the tracer marks seen once they called.

use crate::error::AppError;
use crate::i18n::fill;
use crate::tr;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use relais::support::{SupportNeed, SupportOrigin, SupportState};
use relais::Lang;
use serde::{Deserialize, Serialize};

/// A request as the tracer sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseSupportView {
    pub id: relais::ids::SupportRequestId,
    /// The contact who asked; `None`: the case.
    pub who: Option<String>,
    pub origin: SupportOrigin,
    pub needs: Vec<SupportNeed>,
    pub note: String,
    /// Shared with the support cell.
    pub consent: bool,
    pub state: SupportState,
    /// Who at the support cell took it.
    pub taken_by: Option<String>,
    pub state_note: String,
    pub asked_at: String,
}

/// The requests of the case and its contacts, ready to show.
#[cfg(feature = "ssr")]
pub async fn support_of(
    db: &relais_store::Db,
    case: relais_store::scope::ScopedCase,
    lang: Lang,
) -> Result<Vec<CaseSupportView>, relais_store::StoreError> {
    Ok(relais_store::support::of_case(db, case)
        .await?
        .into_iter()
        .map(|r| CaseSupportView {
            id: r.id,
            who: r.contact_name,
            origin: r.origin,
            needs: r.needs.iter().collect(),
            note: r.note,
            consent: r.consent,
            state: r.state,
            taken_by: r.taken_by,
            state_note: r.state_note,
            asked_at: relais_store::paris::instant_text(r.created_at, lang),
        })
        .collect())
}

/// Records the case's answer to "do you need support?": the needs ticked
/// (posted as the citizens' form posts them, `needs[]`), a note, and
/// whether the case agrees that the cell gets the details.
#[server(endpoint = "staff/support-ask")]
pub async fn record_support_answer(
    #[server(default)] case_id: String,
    #[server(default)] needs: Vec<String>,
    #[server(default)] note: String,
    #[server(default)] consent: String,
) -> Result<(), AppError> {
    use super::actions::{case_url, CaseAction};
    let Some(a) = CaseAction::open(&case_id, None).await? else {
        return Ok(());
    };
    let fields = relais::support::SupportFields {
        needs,
        note,
        consent,
        ..Default::default()
    };
    let Ok(input) = relais::support::parse_support(&fields) else {
        a.reply
            .redirect(&case_url(a.case_id, "erreur=support_needs#support"));
        return Ok(());
    };
    let Some((_, case_ctx)) = super::case_context::case_context(&a.ctx, a.case).await? else {
        a.reply.redirect("/equipe");
        return Ok(());
    };
    let until = case_ctx.assessment().isolation.ends_on();
    let id = relais_store::support::ask_for_case(
        &a.ctx.db,
        a.ctx.member.id,
        a.case,
        &input,
        Some(until),
    )
    .await?;
    tracing::info!(case_id = %a.case_id, request = id.get(), consent = input.consent, "support asked on the call");
    a.reply
        .redirect(&case_url(a.case_id, "ok=support_asked#support"));
    Ok(())
}

/// The tracer saw the "2 worse" answer (and called).
#[server(endpoint = "staff/feels-worse-seen")]
pub async fn see_feels_worse(#[server(default)] case_id: String) -> Result<(), AppError> {
    use super::actions::{case_url, CaseAction};
    let Some(a) = CaseAction::open(&case_id, None).await? else {
        return Ok(());
    };
    relais_store::support::see_feels_worse(&a.ctx.db, a.ctx.member.id, a.case).await?;
    a.reply.redirect(&case_url(a.case_id, "ok=worse_seen"));
    Ok(())
}

/// The flag of an answer "2 worse", with its button.
#[component]
pub fn FeelsWorse(lang: Lang, case_id: relais::ids::CaseId, at: String) -> impl IntoView {
    view! {
        <div class="warning" id="feels-worse" role="alert">
            <p>{fill(tr!(lang, desk.feels_worse), &[at])}</p>
            <form method="post" action=SeeFeelsWorse::PATH class="inline-form">
                <input type="hidden" name="case_id" value=case_id.to_string() />
                <button type="submit" class="button button-secondary">{tr!(lang, desk.feels_worse_seen)}</button>
            </form>
        </div>
    }
}

#[component]
pub fn SupportSection(
    lang: Lang,
    case_id: relais::ids::CaseId,
    closed: bool,
    requests: Vec<CaseSupportView>,
) -> impl IntoView {
    view! {
        <section aria-labelledby="support" class="panel">
            <h2 id="support">{tr!(lang, desk.case_support_title)}</h2>
            {requests.is_empty().then(|| view! { <p>{tr!(lang, desk.case_support_none)}</p> })}
            <ul class="card-list">
                {requests.into_iter().map(|r| {
                    let who = r.who.clone().unwrap_or_else(|| tr!(lang, desk.reply_of_case).to_owned());
                    let shared = if r.consent { tr!(lang, desk.case_support_shared) } else { tr!(lang, desk.case_support_not_shared) };
                    view! {
                        <li class="card">
                            <p><strong>{super::support::needs_text(lang, &r.needs)}</strong></p>
                            <p class="hint">{fill(tr!(lang, desk.case_support_asked), &[who, r.asked_at.clone()])}" — "{shared}</p>
                            {(!r.note.is_empty()).then(|| view! { <p>{r.note.clone()}</p> })}
                            <p>{tr!(lang, desk.support_col_state)}" : "{super::support::state_text(lang, r.state)}
                                {r.taken_by.clone().map(|who| format!(" ({who})"))}
                                {(!r.state_note.is_empty()).then(|| view! { " — "{r.state_note.clone()} })}</p>
                        </li>
                    }
                }).collect_view()}
            </ul>
            {(!closed).then(|| view! {
                <form method="post" action=RecordSupportAnswer::PATH>
                    <input type="hidden" name="case_id" value=case_id.to_string() />
                    <fieldset class="form-group">
                        <legend>{tr!(lang, desk.case_support_question)}</legend>
                        <div class="checkboxes">
                            {SupportNeed::ALL.iter().map(|need| {
                                let id = format!("support-{}", need.as_str());
                                view! {
                                    <div class="checkbox">
                                        <input type="checkbox" id=id.clone() name=crate::citizen::support_form::NEEDS_NAME value=need.as_str() />
                                        <label for=id>{super::support::need_text(lang, *need)}</label>
                                    </div>
                                }
                            }).collect_view()}
                        </div>
                    </fieldset>
                    <div class="form-group">
                        <label for="support-note">{tr!(lang, desk.support_col_note)}</label>
                        <textarea id="support-note" name="note" rows="2" maxlength="500"></textarea>
                    </div>
                    <div class="form-group checkbox">
                        <input type="checkbox" id="support-consent" name="consent" value="oui" />
                        <label for="support-consent">{tr!(lang, desk.case_support_consent)}</label>
                    </div>
                    <button type="submit" class="button">{tr!(lang, desk.case_support_record)}</button>
                </form>
            })}
        </section>
    }
}
