//! The page for an address that leads nowhere, with a 404 status.

use crate::i18n::use_lang;
use crate::tr;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn NotFoundPage() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(http::StatusCode::NOT_FOUND);
    }
    let lang = use_lang();
    view! {
        <Title text=tr!(lang, not_found.title) />
        <h1>{tr!(lang, not_found.title)}</h1>
        <p>{tr!(lang, not_found.body)}</p>
        <p>
            <a href="/">{tr!(lang, not_found.home_link)}</a>
        </p>
    }
}
