//! `/verifier?link=…`: the link checker's answer without JavaScript.

use crate::i18n::use_lang;
use crate::islands::link_checker::LinkChecker;
use crate::pages::home::{link_checker_texts, use_public_url};
use crate::tr;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn LinkCheckPage() -> impl IntoView {
    let lang = use_lang();
    let link = use_query_map()
        .with_untracked(|q| q.get("link"))
        .unwrap_or_default();
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
