//! The link checker on the home page. Without JavaScript it is a POST form
//! to `/verifier` (a link holds a token: never in an address); with
//! JavaScript the verdict appears as one types.

use leptos::prelude::*;
use relais::link_check::{check_link, LinkVerdict};
use serde::{Deserialize, Serialize};

/// The texts of the checker, translated by the server (the catalogue stays
/// out of the WASM bundle).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LinkCheckerTexts {
    pub label: String,
    pub hint: String,
    pub submit: String,
    pub case_link: String,
    pub contact_link: String,
    pub incomplete: String,
    pub foreign: String,
}

impl LinkCheckerTexts {
    /// The message for a verdict; nothing for an empty field.
    pub fn verdict(&self, verdict: LinkVerdict) -> Option<&str> {
        match verdict {
            LinkVerdict::Empty => None,
            LinkVerdict::CaseLink => Some(&self.case_link),
            LinkVerdict::ContactLink => Some(&self.contact_link),
            LinkVerdict::Incomplete => Some(&self.incomplete),
            LinkVerdict::Foreign => Some(&self.foreign),
        }
    }
}

/// CSS class of the verdict box.
pub fn verdict_class(verdict: LinkVerdict) -> &'static str {
    match verdict {
        LinkVerdict::Empty => "verdict",
        LinkVerdict::CaseLink | LinkVerdict::ContactLink => "verdict verdict-ok",
        LinkVerdict::Incomplete => "verdict verdict-warn",
        LinkVerdict::Foreign => "verdict verdict-danger",
    }
}

#[island]
pub fn LinkChecker(public_url: String, texts: LinkCheckerTexts, initial: String) -> impl IntoView {
    let (link, set_link) = signal(initial.clone());
    let verdict = Memo::new(move |_| link.with(|l| check_link(&public_url, l)));
    let texts = StoredValue::new(texts);
    view! {
        <form method="post" action="/verifier" class="link-checker">
            <label for="link">{texts.with_value(|t| t.label.clone())}</label>
            <p class="hint" id="link-hint">{texts.with_value(|t| t.hint.clone())}</p>
            <input
                id="link"
                name="link"
                type="text"
                inputmode="url"
                autocomplete="off"
                spellcheck="false"
                aria-describedby="link-hint link-verdict"
                value=initial
                on:input=move |ev| set_link.set(event_target_value(&ev))
            />
            <button type="submit" class="button">{texts.with_value(|t| t.submit.clone())}</button>
            <p id="link-verdict" class=move || verdict_class(verdict.get()) role="status" aria-live="polite">
                {move || texts.with_value(|t| t.verdict(verdict.get()).map(str::to_owned))}
            </p>
        </form>
    }
}
