//! `/dossier/aide`: the case asks for support during their isolation (a
//! nurse's visit, groceries, someone to talk to…), sees the requests they
//! made and where each stands. The form is offered until the last day of
//! the isolation; the server function refuses after it too.
//!
//! The page itself is shared with the at-risk contact's (`/contact/aide`,
//! `contact::support`): [`SupportPage`] is what either shows,
//! [`support_page_view`] draws it, [`submit`] answers either's post.
// A form post is one argument per field (the browser's form encoding).
#![allow(clippy::too_many_arguments)]

use super::dossier::case_page;
use crate::citizen::error_summary::ErrorSummary;
use crate::citizen::support_form::{
    need_text, support_errors, OwnRequest, OwnRequests, SupportDraft, SupportRequestFields,
};
use crate::error::AppError;
use crate::i18n::fill;
use crate::tr;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;
use relais::dates::long_date;
#[cfg(feature = "ssr")]
use relais::support::SupportFields;
use relais::support::SupportNeed;
use relais::Lang;
use serde::{Deserialize, Serialize};
use time::Date;

/// The case's page.
pub const CASE_PAGE: &str = "/dossier/aide";

/// Whether the person may ask.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Availability {
    /// The form is offered, until this day inclusive (`None`: the rules
    /// give no last day, as for a contact spared the quarantine).
    Open { until: Option<Date> },
    /// The isolation or quarantine ended on this day.
    Ended { on: Date },
    /// The person is neither isolated nor in quarantine.
    NotConcerned,
}

/// What a support page shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SupportPage {
    pub availability: Availability,
    /// The person's own requests, newest first.
    pub requests: Vec<OwnRequest>,
    /// A refused form, to show again.
    pub draft: Option<SupportDraft>,
}

/// Whose page: the texts and addresses differ.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Asking {
    Case,
    Contact,
}

/// The page of `asker`, whose form is `availability`.
#[cfg(feature = "ssr")]
pub(crate) async fn page_of(
    db: &relais_store::Db,
    asker: relais_store::support::Asker,
    availability: Availability,
) -> Result<SupportPage, AppError> {
    let requests = relais_store::support::of_asker(db, asker).await?;
    let draft = relais_store::support_drafts::load(db, asker)
        .await?
        .and_then(|json| serde_json::from_str::<SupportDraft>(&json).ok());
    Ok(SupportPage {
        availability,
        requests: requests.into_iter().map(OwnRequest::from).collect(),
        draft,
    })
}

/// Answers a request's post: sent, back to `page` (`?ok=1#requests`) with
/// the draft forgotten; refused, what was typed is kept as the asker's
/// draft and the page shows it with its errors (`?erreur=form`); asked
/// after the end, back to the page, which says so. Nothing typed goes in
/// an address.
#[cfg(feature = "ssr")]
pub(crate) async fn submit(
    db: &relais_store::Db,
    asker: relais_store::support::Asker,
    availability: Availability,
    fields: SupportFields,
    page: &str,
) {
    use crate::citizen::support_form::field;
    use leptos_axum::redirect;
    use relais_store::support_drafts;
    let Availability::Open { until } = availability else {
        redirect(page);
        return;
    };
    let errors = match relais::support::parse_support(&fields) {
        Ok(input) => match relais_store::support::ask(db, asker, &input, until).await {
            Ok(id) => {
                tracing::info!(request_id = %id, consent = input.consent, "support requested");
                if let Err(e) = support_drafts::clear(db, asker).await {
                    tracing::error!(error = %e, "clearing a support draft failed");
                }
                redirect(&format!("{page}?ok=1#requests"));
                return;
            }
            Err(e) => {
                tracing::error!(error = %e, "saving a support request failed");
                vec![(field::NEEDS.to_owned(), "service".to_owned())]
            }
        },
        Err(errors) => errors
            .into_iter()
            .map(|e| (e.field.to_owned(), e.code.to_owned()))
            .collect(),
    };
    let draft = SupportDraft::new(&fields, errors);
    let json = serde_json::to_string(&draft).unwrap_or_default();
    if let Err(e) = support_drafts::save(db, asker, &json).await {
        tracing::error!(error = %e, "saving a support draft failed");
    }
    redirect(&format!("{page}?erreur=form"));
}

/// The case may ask until the last day of their isolation (an early
/// release counted), in Paris.
#[cfg(feature = "ssr")]
fn case_availability(ctx: &super::common::CaseContext) -> Availability {
    let last_day = ctx.assessment().isolation.ends_on();
    if ctx.db.today_paris() > last_day {
        Availability::Ended { on: last_day }
    } else {
        Availability::Open {
            until: Some(last_day),
        }
    }
}

/// The case's support page; `None` without a session.
#[server(endpoint = "case/support-page")]
pub async fn load_case_support() -> Result<Option<SupportPage>, AppError> {
    let Some(ctx) = super::common::CaseContext::load().await? else {
        return Ok(None);
    };
    let asker = relais_store::support::Asker::Case(ctx.case_id);
    Ok(Some(
        page_of(&ctx.db, asker, case_availability(&ctx)).await?,
    ))
}

/// The case asks for support (the fields of [`SupportRequestFields`]).
#[server(endpoint = "case/support")]
pub async fn ask_case_support(
    #[server(default)] needs: Vec<String>,
    #[server(default)] note: String,
    #[server(default)] address: String,
    #[server(default)] phone: String,
    #[server(default)] best_time: String,
    #[server(default)] consent: String,
) -> Result<(), AppError> {
    let Some(ctx) = super::common::CaseContext::load().await? else {
        leptos_axum::redirect(CASE_PAGE);
        return Ok(());
    };
    let fields = SupportFields {
        needs,
        note,
        address,
        phone,
        best_time,
        consent,
    };
    let asker = relais_store::support::Asker::Case(ctx.case_id);
    submit(&ctx.db, asker, case_availability(&ctx), fields, CASE_PAGE).await;
    Ok(())
}

#[component]
pub fn CaseSupportPage() -> impl IntoView {
    case_page(
        (),
        |_| load_case_support(),
        |lang, page| {
            support_page_view(lang, Asking::Case, <AskCaseSupport as ServerFn>::PATH, page)
        },
    )
}

/// The page of a case or of a contact, whose form posts to `action`.
pub(crate) fn support_page_view(
    lang: Lang,
    asking: Asking,
    action: &'static str,
    page: SupportPage,
) -> impl IntoView {
    let query = leptos_router::hooks::use_query_map().get_untracked();
    let sent = query.get("ok").is_some();
    // A refused form's fields are always shown again (nothing typed is
    // lost); its errors only right after the refusal.
    let refused = query.get("erreur").is_some();
    let d = move |date: Date| long_date(date, lang);
    let (title, back, back_text) = match asking {
        Asking::Case => (
            tr!(lang, support.title_case),
            "/dossier",
            tr!(lang, support.back_case),
        ),
        Asking::Contact => (
            tr!(lang, support.title_contact),
            "/contact",
            tr!(lang, contact.back),
        ),
    };
    let status = match (page.availability, asking) {
        (Availability::Open { until: Some(day) }, Asking::Case) => {
            fill(tr!(lang, support.open_case), &[d(day)])
        }
        (Availability::Open { until: Some(day) }, Asking::Contact) => {
            fill(tr!(lang, support.open_contact), &[d(day)])
        }
        (Availability::Open { until: None }, _) => tr!(lang, support.open_no_end).to_owned(),
        (Availability::Ended { on }, Asking::Case) => fill(tr!(lang, support.ended_case), &[d(on)]),
        (Availability::Ended { on }, Asking::Contact) => {
            fill(tr!(lang, support.ended_contact), &[d(on)])
        }
        (Availability::NotConcerned, _) => tr!(lang, support.not_concerned).to_owned(),
    };
    let open = matches!(page.availability, Availability::Open { .. });
    // The confirmation says where the newest request went.
    let confirmation = sent.then(|| match page.requests.first() {
        Some(r) if r.consent => tr!(lang, support.sent_shared),
        _ => tr!(lang, support.sent_not_shared),
    });
    let draft = page.draft.filter(|_| open).unwrap_or_default();
    let errors = if refused {
        support_errors(lang, &draft.errors)
    } else {
        Vec::new()
    };
    let show_requests = !page.requests.is_empty() || sent;
    view! {
        <Title text=title />
        <p><a href=back>{back_text}</a></p>
        {open.then(|| view! {
            <ErrorSummary title=tr!(lang, arrival.errors_title).to_owned() errors=errors.clone() />
        })}
        <h1>{title}</h1>
        <p class="lead">{status}</p>
        {open.then(|| view! { <SupportOffer lang /> })}
        {show_requests.then(|| view! {
            <section aria-labelledby="requests-title" id="requests">
                {confirmation.map(|text| view! { <p class="panel panel-ok" role="status">{text}</p> })}
                <h2 id="requests-title">{tr!(lang, support.requests_title)}</h2>
                <OwnRequests lang requests=page.requests.clone() />
            </section>
        })}
        {open.then(|| view! {
            <section aria-labelledby="support-form-title">
                <h2 id="support-form-title">{tr!(lang, support.form_title)}</h2>
                <form method="post" action=action class="form" novalidate>
                    <SupportRequestFields lang typed=draft.fields.clone() errors=errors.clone() />
                    <button type="submit" class="button">{tr!(lang, support.submit)}</button>
                </form>
            </section>
        })}
    }
}

/// What help exists: the nurse's visit, and what the département's
/// support cell does.
#[component]
fn SupportOffer(lang: Lang) -> impl IntoView {
    view! {
        <section aria-labelledby="support-offer">
            <h2 id="support-offer">{tr!(lang, support.offer_title)}</h2>
            <p>{tr!(lang, support.offer_nurse)}</p>
            <p>{tr!(lang, support.offer_cell)}</p>
            <ul>
                {SupportNeed::ALL
                    .iter()
                    .filter(|n| **n != SupportNeed::NurseVisit)
                    .map(|n| view! { <li>{need_text(lang, *n)}</li> })
                    .collect_view()}
            </ul>
            <p>{tr!(lang, support.offer_how)}</p>
        </section>
    }
}
