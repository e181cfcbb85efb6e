//! Quitting: a case or a contact ends their session on this device (a
//! shared phone, a computer at a library). The button sits in the footer of
//! every page while the browser holds a citizen session cookie.

use crate::error::AppError;
use crate::tr;
use leptos::prelude::*;
use relais::Lang;

/// Ends the case's or the contact's session on this device (a shared
/// phone, a computer at a library): the session is closed on the server and
/// its cookie removed; back to the home page.
#[server(endpoint = "citizen/quit")]
pub async fn citizen_quit() -> Result<(), AppError> {
    use crate::citizen::session::{is_https, presented_secret, server_context};
    let db = server_context::<relais_store::Db>()?;
    let response = use_context::<leptos_axum::ResponseOptions>();
    let https = is_https();
    if let Some(secret) = presented_secret() {
        relais_store::sessions::close_session(&db, &secret).await?;
    }
    if let (Some(r), Ok(value)) = (
        response,
        http::HeaderValue::from_str(&format!(
            "{}; Max-Age=0",
            crate::citizen::session::session_cookie("", https)
        )),
    ) {
        r.append_header(http::header::SET_COOKIE, value);
    }
    leptos_axum::redirect("/");
    Ok(())
}

/// The button that ends the session.
#[component]
pub fn QuitForm(lang: Lang) -> impl IntoView {
    use leptos::server_fn::ServerFn;
    view! {
        <form method="post" action=CitizenQuit::PATH class="quit-form">
            <p class="hint">{tr!(lang, citizen.quit_hint)}</p>
            <button type="submit" class="button button-secondary">{tr!(lang, citizen.quit)}</button>
        </form>
    }
}

/// Whether the browser holds a citizen session cookie (the footer then
/// offers to quit); never on the staff's pages.
pub fn holds_citizen_session() -> bool {
    #[cfg(feature = "ssr")]
    {
        let staff_page = use_context::<http::request::Parts>()
            .is_some_and(|p| p.uri.path().starts_with("/equipe"));
        !staff_page && crate::citizen::session::presented_secret().is_some()
    }
    #[cfg(not(feature = "ssr"))]
    {
        false
    }
}
