//! `/contact/attestation`: a page to print for an employer, stating that
//! the person was identified as an at-risk contact and the dates of their
//! quarantine — without the case's identity or any health detail. The
//! print stylesheet drops the header, footer and links. A contact whom the
//! rules spare the quarantine is told that none is needed, and what they
//! are entitled to.

use super::file::ContactFile;
use super::page::contact_page;
use crate::i18n::fill;
use crate::tr;
use leptos::prelude::*;
use leptos_meta::Title;
use relais::contact_guidance::Guidance;
use relais::dates::long_date;
use relais::Lang;

#[component]
pub fn AttestationPage() -> impl IntoView {
    contact_page(|lang, file| view! { <Attestation lang file /> })
}

/// The quarantine's first and last day, when the contact is in quarantine.
fn quarantine_dates(file: &ContactFile) -> Option<(time::Date, time::Date)> {
    let Guidance::Quarantine {
        last_day: Some(last),
        ..
    } = file.guidance
    else {
        return None;
    };
    let first = file
        .timeline
        .iter()
        .find(|d| d.in_quarantine)
        .map(|d| d.date)
        .unwrap_or(file.today);
    Some((first, last))
}

#[component]
fn Attestation(lang: Lang, file: ContactFile) -> impl IntoView {
    let d = move |date: time::Date| long_date(date, lang);
    if matches!(file.guidance, Guidance::Quarantine { last_day: None, .. }) {
        return view! { <NotNeeded lang file /> }.into_any();
    }
    let Some((first, last)) = quarantine_dates(&file) else {
        return view! {
            <Title text=tr!(lang, contact.attestation_title) />
            <h1>{tr!(lang, contact.attestation_title)}</h1>
            <p>{tr!(lang, contact.attestation_none)}</p>
            <p><a href="/contact">{tr!(lang, contact.back)}</a></p>
        }
        .into_any();
    };
    let name = format!("{} {}", file.first_name, file.last_name);
    let identified_on = file.notified_on.unwrap_or(file.today);
    view! {
        <Title text=tr!(lang, contact.attestation_title) />
        <p class="no-print"><a href="/contact">{tr!(lang, contact.back)}</a></p>
        <article class="attestation">
            <h1>{tr!(lang, contact.attestation_title)}</h1>
            <p>{fill(tr!(lang, contact.attestation_identified), &[name, d(identified_on)])}</p>
            <p class="lead">{fill(tr!(lang, contact.attestation_dates), &[d(first), d(last)])}</p>
            <p>{tr!(lang, contact.attestation_leave)}</p>
            <p class="hint">{tr!(lang, contact.attestation_privacy)}</p>
            <p class="hint">{fill(tr!(lang, contact.attestation_issued), &[d(file.today)])}</p>
        </article>
        <p class="no-print hint">{tr!(lang, contact.attestation_print)}</p>
    }
    .into_any()
}

/// For a contact at risk whom the rules spare the quarantine: no isolation
/// attestation is needed, and what they are entitled to (free tests, with
/// their days and kinds).
#[component]
fn NotNeeded(lang: Lang, file: ContactFile) -> impl IntoView {
    view! {
        <Title text=tr!(lang, contact.attestation_title) />
        <h1>{tr!(lang, contact.attestation_title)}</h1>
        <p class="lead" id="attestation-not-needed">
            {fill(tr!(lang, contact.attestation_not_needed), &[long_date(file.rules_since, lang)])}
        </p>
        {(!file.planned_tests.is_empty()).then(|| view! {
            <section aria-labelledby="entitled">
                <h2 id="entitled">{tr!(lang, contact.attestation_entitled_title)}</h2>
                <p>{tr!(lang, contact.attestation_free_tests)}</p>
                {super::page::planned_tests_list(lang, &file.planned_tests)}
            </section>
        })}
        <p><a href="/contact">{tr!(lang, contact.back)}</a></p>
    }
}
