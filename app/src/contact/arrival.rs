//! `/c/<token>`: the landing of a contact's SMS link. A valid token is
//! exchanged at once for a session cookie and the browser goes to
//! `/contact`, a URL without the token. Any other link (unknown, expired,
//! of a contact no longer validated) gets the same page as the case's.

use crate::error::AppError;
use crate::i18n::use_lang;
use crate::patient::arrival::{http_status, set_status, Unusable};
use crate::tr;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

/// Exchanges a contact's link token for a session: `true` (and a redirect
/// to `/contact`) when the link is valid.
#[server(endpoint = "contact/open")]
pub async fn open_contact_link(token: String) -> Result<bool, AppError> {
    use crate::citizen::session::{server_context, CookieJar};
    use relais_store::sessions::{open_session, SessionSubject};
    let db = server_context::<relais_store::Db>()?;
    let jar = CookieJar::from_context();
    // Taken before any `.await`, like every context (see `server_context`).
    let response = use_context::<leptos_axum::ResponseOptions>();
    let fail = |e: relais_store::StoreError| {
        tracing::error!(error = %e, "contact link: store failed");
        AppError::Unavailable
    };
    // Anything that is not a token's shape is not worth a query.
    if !relais::link_check::is_token(&token) {
        return Ok(false);
    }
    let Some(contact_id) = relais_store::follow_up::resolve_contact_link(&db, &token)
        .await
        .map_err(fail)?
    else {
        return Ok(false);
    };
    let secret = open_session(&db, SessionSubject::Contact(contact_id))
        .await
        .map_err(fail)?;
    jar.set_session(&secret);
    tracing::info!(contact_id = contact_id.get(), "contact link opened");
    if let Some(response) = response {
        response.insert_header(
            http::header::LOCATION,
            http::HeaderValue::from_static("/contact"),
        );
        response.set_status(http::StatusCode::FOUND);
    }
    Ok(true)
}

#[component]
pub fn ContactArrivalPage() -> impl IntoView {
    let lang = use_lang();
    let token = use_params_map()
        .with_untracked(|p| p.get("token"))
        .unwrap_or_default();
    let opened = Resource::new_blocking(move || token.clone(), open_contact_link);
    // One `Suspend`, built once: see `patient::dossier::citizen_page`.
    view! {
        <Suspense fallback=|| ()>
            {Suspend::new(async move {
                match opened.await {
                    // The redirect to /contact is on its way; a browser
                    // that does not follow it gets a link.
                    Ok(true) => {
                        view! { <p><a href="/contact">{tr!(lang, contact.continue_link)}</a></p> }.into_any()
                    }
                    Ok(false) => {
                        set_status(http_status::NOT_FOUND);
                        view! { <Unusable lang title=tr!(lang, arrival.invalid_title).to_string() body=tr!(lang, contact.invalid_body).to_string() /> }.into_any()
                    }
                    Err(_) => {
                        set_status(http_status::SERVICE_UNAVAILABLE);
                        view! { <Unusable lang title=tr!(lang, error.title).to_string() body=tr!(lang, error.body).to_string() /> }.into_any()
                    }
                }
            })}
        </Suspense>
    }
}
