//! `/contact/aide`: an at-risk contact asks for support during their
//! quarantine, as a case does on `/dossier/aide` (the page is the case's,
//! [`crate::patient::support`]). Only a contact at risk may ask, until the
//! quarantine ends; a contact sees only their own requests, never the
//! case's nor another contact's.
// A form post is one argument per field (the browser's form encoding).
#![allow(clippy::too_many_arguments)]

use super::page::ContactSessionExpired;
use crate::error::AppError;
use crate::patient::dossier::citizen_page;
use crate::patient::support::{support_page_view, Asking, SupportPage};
use leptos::prelude::*;
#[cfg(feature = "ssr")]
use relais::support::SupportFields;

/// The contact's page.
pub const CONTACT_PAGE: &str = "/contact/aide";

/// Whether the contact may ask: at risk, until the quarantine's last day
/// (the rules give none to a contact spared the quarantine), not once it
/// is over.
#[cfg(feature = "ssr")]
fn contact_availability(
    ctx: &super::file::ContactContext,
) -> crate::patient::support::Availability {
    use crate::patient::support::Availability;
    use relais::contact_guidance::{guidance, Guidance};
    let assessment = ctx.assess(&ctx.exposure());
    let Some(quarantine) = assessment.quarantine.as_ref() else {
        return Availability::NotConcerned;
    };
    let until = quarantine.last_day;
    match guidance(&assessment, &ctx.notified.follow_up, ctx.today()) {
        Guidance::QuarantineOver { ended_on, .. } => Availability::Ended { on: ended_on },
        Guidance::GeneralAdvice { .. } => Availability::NotConcerned,
        _ => Availability::Open { until },
    }
}

/// The session's contact as an asker, and whether they may ask.
#[cfg(feature = "ssr")]
async fn contact_asker(
    ctx: &super::file::ContactContext,
) -> Result<
    Option<(
        relais_store::support::Asker,
        crate::patient::support::Availability,
    )>,
    AppError,
> {
    let asker = relais_store::support_drafts::contact_asker(&ctx.db, ctx.contact_id).await?;
    Ok(asker.map(|asker| (asker, contact_availability(ctx))))
}

/// The contact's support page; `None` without a contact session.
#[server(endpoint = "contact/support-page")]
pub async fn load_contact_support() -> Result<Option<SupportPage>, AppError> {
    let Some(ctx) = super::file::ContactContext::load().await? else {
        return Ok(None);
    };
    let Some((asker, availability)) = contact_asker(&ctx).await? else {
        return Ok(None);
    };
    Ok(Some(
        crate::patient::support::page_of(&ctx.db, asker, availability).await?,
    ))
}

/// The contact asks for support (the fields of
/// [`crate::citizen::support_form::SupportRequestFields`]).
#[server(endpoint = "contact/support")]
pub async fn ask_contact_support(
    #[server(default)] needs: Vec<String>,
    #[server(default)] note: String,
    #[server(default)] address: String,
    #[server(default)] phone: String,
    #[server(default)] best_time: String,
    #[server(default)] consent: String,
) -> Result<(), AppError> {
    let ctx = super::file::ContactContext::load().await?;
    let asker = match &ctx {
        Some(ctx) => contact_asker(ctx).await?,
        None => None,
    };
    let (Some(ctx), Some((asker, availability))) = (ctx, asker) else {
        leptos_axum::redirect(CONTACT_PAGE);
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
    crate::patient::support::submit(&ctx.db, asker, availability, fields, CONTACT_PAGE).await;
    Ok(())
}

#[component]
pub fn ContactSupportPage() -> impl IntoView {
    citizen_page(
        (),
        |_| load_contact_support(),
        |lang, page| {
            support_page_view(
                lang,
                Asking::Contact,
                <AskContactSupport as leptos::server_fn::ServerFn>::PATH,
                page,
            )
        },
        |lang| view! { <ContactSessionExpired lang /> }.into_any(),
    )
}
