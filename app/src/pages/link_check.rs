//! `/verifier`: the link checker's answer without JavaScript. Its form
//! posts the link (a token must not sit in an address: the history, the
//! proxies' logs); the server hands it over as a [`crate::posted::PostedForm`]. An address
//! `/verifier?link=…` made before is still answered.

use crate::i18n::use_lang;
use crate::islands::link_checker::LinkChecker;
use crate::pages::home::{link_checker_texts, use_public_url};
use crate::tr;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// The checker's address.
pub const PATH: &str = "/verifier";

/// The posted link, or the `link` of an older address.
fn checked_link() -> String {
    #[cfg(feature = "ssr")]
    if let Some(link) = crate::posted::posted_field("link") {
        return link;
    }
    use_query_map()
        .with_untracked(|q| q.get("link"))
        .unwrap_or_default()
}

#[component]
pub fn LinkCheckPage() -> impl IntoView {
    let lang = use_lang();
    let link = checked_link();
    let link: String = link.chars().take(2000).collect();
    view! {
        <Title text=tr!(lang, link_check.page_title) />
        <h1>{tr!(lang, link_check.page_title)}</h1>
        <LinkChecker public_url=use_public_url() texts=link_checker_texts(lang) initial=link />
        <p>
            <a href="/">{tr!(lang, not_found.home_link)}</a>
        </p>
    }
}
