//! `/dossier/envoi`: check your answers, then send (GOV.UK "check answers"
//! pattern); `/dossier/envoyee`: what happens next. Sending is idempotent:
//! a double tap or a resent form gives one submission.

use super::contact_form_view::relationship_text;
use super::contacts::ContactList;
use super::dossier::{
    case_page, load_case_overview, CaseOverview, IsolationPanel, RightsSection, SessionExpired,
    SituationSummary,
};
use super::places::{place_kind_text, PlaceList};
use crate::error::AppError;
use crate::i18n::use_lang;
use crate::pages::unavailable::ServiceUnavailable;
use crate::rules_text::classification_text;
use crate::tr;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;
use relais::dates::long_date;
use relais::Lang;
use time::Date;

/// Sends the declaration to the tracers, then to the confirmation page.
#[server(endpoint = "case/submit")]
pub async fn submit_declaration() -> Result<(), AppError> {
    use leptos_axum::redirect;
    use relais_store::declaration::{submit_declaration, Submission};
    let db = crate::citizen::session::server_context::<relais_store::Db>()?;
    let Some(case_id) = crate::citizen::session::current_case(&db).await else {
        redirect("/dossier");
        return Ok(());
    };
    match submit_declaration(&db, case_id).await {
        Ok(Submission::Sent) => {
            tracing::info!(case_id = %case_id, "declaration sent");
            redirect("/dossier/envoyee");
        }
        Ok(Submission::AlreadySent) => redirect("/dossier/envoyee"),
        Ok(Submission::Closed) => redirect("/dossier/envoi?erreur=closed"),
        Err(e) => {
            tracing::error!(error = %e, case_id = %case_id, "sending the declaration failed");
            redirect("/dossier/envoi?erreur=service");
        }
    }
    Ok(())
}

type Everything = (CaseOverview, ContactList, PlaceList);

/// Everything the check page shows, loaded with one session lookup.
#[server(endpoint = "case/check")]
pub async fn load_everything() -> Result<Option<Everything>, AppError> {
    let Some(ctx) = super::common::CaseContext::load().await? else {
        return Ok(None);
    };
    Ok(Some((
        super::dossier::overview_of(&ctx),
        super::contacts::contact_list(&ctx).await?,
        super::places::place_list(&ctx).await?,
    )))
}

#[component]
pub fn CheckPage() -> impl IntoView {
    let lang = use_lang();
    let data = Resource::new_blocking(|| (), |_| load_everything());
    let error = leptos_router::hooks::use_query_map()
        .get_untracked()
        .get("erreur");
    // One `Suspend`, built once: see `super::dossier::citizen_page`.
    view! {
        <Suspense fallback=|| ()>
            {
                Suspend::new(async move {
                    match data.await {
                        Ok(Some((o, c, p))) => view! { <Check lang o c p error /> }.into_any(),
                        Ok(None) => view! { <SessionExpired lang /> }.into_any(),
                    Err(_) => view! { <ServiceUnavailable lang /> }.into_any(),
                    }
                })
            }
        </Suspense>
    }
}

#[component]
fn Check(
    lang: Lang,
    o: CaseOverview,
    c: ContactList,
    p: PlaceList,
    error: Option<String>,
) -> impl IntoView {
    let d = move |date: Date| long_date(date, lang);
    let submitted = c.submitted;
    let error = error.map(|code| crate::patient::form_text::form_error_text(lang, &code));
    view! {
        <Title text=tr!(lang, check.title) />
        <p><a href="/dossier">{tr!(lang, contacts.back)}</a></p>
        {error.map(|message| view! { <div class="error-summary" role="alert" tabindex="-1"><p>{message}</p></div> })}
        <h1>{tr!(lang, check.title)}</h1>
        <h2>{tr!(lang, situation.title)}</h2>
        <SituationSummary lang sample_date=o.sample_date symptom_onset=o.symptom_onset change_link=true />
        <h2>{tr!(lang, contacts.title)}" ("{c.contacts.len()}")"</h2>
        {c.contacts.is_empty().then(|| view! { <p>{tr!(lang, check.no_contacts)}</p> })}
        <dl class="summary-list">
            {c.contacts
                .into_iter()
                .map(|contact| {
                    let href = format!("/dossier/contacts/{}", contact.id);
                    view! {
                        <div>
                            <dt>{contact.name.clone()}</dt>
                            <dd>
                                {classification_text(lang, contact.classification)}<br />
                                {relationship_text(lang, contact.relationship)}" · "{d(contact.last_contact)}
                            </dd>
                            <dd><a href=href>{tr!(lang, contacts.change)}<span class="visually-hidden">" "{contact.name}</span></a></dd>
                        </div>
                    }
                })
                .collect_view()}
        </dl>
        <p><a href="/dossier/contacts/nouveau">{tr!(lang, contacts.add)}</a></p>
        <h2>{tr!(lang, places.title)}" ("{p.places.len()}")"</h2>
        {p.places.is_empty().then(|| view! { <p>{tr!(lang, check.no_places)}</p> })}
        <dl class="summary-list">
            {p.places
                .into_iter()
                .map(|(id, place, _)| {
                    let href = format!("/dossier/lieux/{id}");
                    view! {
                        <div>
                            <dt>{place.name.clone()}</dt>
                            <dd>{place_kind_text(lang, place.kind)}" · "{place.town.clone()}" · "{d(place.visited_on)}</dd>
                            <dd><a href=href>{tr!(lang, contacts.change)}<span class="visually-hidden">" "{place.name}</span></a></dd>
                        </div>
                    }
                })
                .collect_view()}
        </dl>
        <p><a href="/dossier/lieux/nouveau">{tr!(lang, places.add)}</a></p>
        {if submitted {
            view! {
                <p class="panel">{tr!(lang, contacts.after_submit)}</p>
                <p><a href="/dossier/envoyee">{tr!(lang, check.see_confirmation)}</a></p>
            }
            .into_any()
        } else {
            view! {
                <h2>{tr!(lang, check.send_title)}</h2>
                <p>{tr!(lang, check.send_body)}</p>
                <form method="post" action={<SubmitDeclaration as ServerFn>::PATH}>
                    <button type="submit" class="button">{tr!(lang, check.send)}</button>
                </form>
            }
            .into_any()
        }}
    }
}

#[component]
pub fn ConfirmationPage() -> impl IntoView {
    case_page(
        (),
        |_| load_case_overview(),
        |lang, o| view! { <Confirmation lang o /> },
    )
}

#[component]
fn Confirmation(lang: Lang, o: CaseOverview) -> impl IntoView {
    view! {
        <Title text=tr!(lang, confirmation.title) />
        <div class="panel panel-ok confirmation">
            <h1>{tr!(lang, confirmation.title)}</h1>
        </div>
        <h2>{tr!(lang, confirmation.next_title)}</h2>
        <p>{tr!(lang, confirmation.next_call)}</p>
        <p>{tr!(lang, confirmation.next_contacts)}</p>
        <p>{tr!(lang, confirmation.changes)}" "<a href="/dossier">{tr!(lang, confirmation.back)}</a></p>
        <IsolationPanel lang o=o.clone() />
        <RightsSection lang rights=o.rights />
    }
}
