//! The home page: what the service is, for whom, how to recognise a genuine
//! message, and the link checker.

use crate::i18n::use_lang;
use crate::islands::link_checker::{LinkChecker, LinkCheckerTexts};
use crate::tr;
use crate::PublicUrl;
use leptos::prelude::*;
use leptos_meta::Title;
use relais::Lang;

/// The translated texts of the link checker.
pub fn link_checker_texts(lang: Lang) -> LinkCheckerTexts {
    LinkCheckerTexts {
        label: tr!(lang, link_check.label).to_string(),
        hint: tr!(lang, link_check.hint).to_string(),
        submit: tr!(lang, link_check.submit).to_string(),
        case_link: tr!(lang, link_check.case_link).to_string(),
        contact_link: tr!(lang, link_check.contact_link).to_string(),
        incomplete: tr!(lang, link_check.incomplete).to_string(),
        foreign: tr!(lang, link_check.foreign).to_string(),
    }
}

/// The public URL provided by the server.
pub fn use_public_url() -> String {
    use_context::<PublicUrl>().map(|u| u.0).unwrap_or_default()
}

#[component]
pub fn HomePage() -> impl IntoView {
    let lang = use_lang();
    view! {
        <Title text=tr!(lang, home.title) />
        <h1>{tr!(lang, home.title)}</h1>
        <p class="lead">{tr!(lang, home.lead)}</p>
        <section aria-labelledby="for-cases">
            <h2 id="for-cases">{tr!(lang, home.cases_title)}</h2>
            <p>{tr!(lang, home.cases_body)}</p>
        </section>
        <section aria-labelledby="for-contacts">
            <h2 id="for-contacts">{tr!(lang, home.contacts_title)}</h2>
            <p>{tr!(lang, home.contacts_body)}</p>
        </section>
        <section aria-labelledby="genuine" class="panel">
            <h2 id="genuine">{tr!(lang, home.genuine_title)}</h2>
            <ul>
                <li>{tr!(lang, home.genuine_sender)}</li>
                <li>{tr!(lang, home.genuine_never_pay)}</li>
                <li>{tr!(lang, home.genuine_birth_date)}</li>
            </ul>
            <LinkChecker public_url=use_public_url() texts=link_checker_texts(lang) initial=String::new() />
        </section>
        <section aria-labelledby="staff">
            <h2 id="staff">{tr!(lang, home.staff_title)}</h2>
            <p>{tr!(lang, home.staff_body)}</p>
        </section>
    }
}
