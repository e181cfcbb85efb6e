//! The contact form's instant risk classification. Without JavaScript the
//! form shows the saved contact's classification and the list shows each
//! new one once saved; with JavaScript the same rules engine (the core
//! `relais`, compiled to WASM) classifies as the person ticks and types.
//!
//! The island wraps the form's relationship, date, exposure and protection
//! questions (server-rendered children) and listens to their changes. Every
//! text comes from the server: the classification names and the reason
//! lines this case can produce, already translated.

use leptos::prelude::*;
use relais::rules::{classify, ContagiousWindow};
use relais::{Classification, ContactExposure, ExposureKind, Protection, Reason, RuleSet};
use serde::{Deserialize, Serialize};

/// What the island needs: the case's rule set (without its rights) and
/// window, and every text it may show.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RiskPreviewData {
    pub rule_set: RuleSet,
    pub window: ContagiousWindow,
    pub today: chrono::NaiveDate,
    pub first_year: u32,
    pub title: String,
    pub classes: Vec<(Classification, String)>,
    pub reasons: Vec<(Reason, String)>,
    /// The classification of what the form holds when the page is built.
    pub initial: Option<(Classification, Vec<Reason>)>,
}

/// The tag class of a classification.
pub fn classification_tag(c: Classification) -> &'static str {
    match c {
        Classification::AtRisk => "tag tag-danger",
        Classification::Negligible => "tag tag-ok",
        Classification::OutsideWindow => "tag",
    }
}

/// The id of an exposure's checkbox in the contact form (the first is the
/// target of the error summary's link).
pub fn exposure_input(kind: ExposureKind) -> String {
    match kind {
        ExposureKind::FaceToFace => "exposures".to_owned(),
        other => format!("exposure-{}", other.as_str()),
    }
}

/// The id of a protection's checkbox in the contact form.
pub fn protection_input(p: Protection) -> String {
    match p {
        Protection::CaseMask => "protection".to_owned(),
        other => format!("protection-{}", other.as_str()),
    }
}

/// Reads the form as it is now; `None` while the date is not a valid one.
#[cfg(feature = "hydrate")]
fn read_form(data: &RiskPreviewData) -> Option<ContactExposure> {
    use leptos::wasm_bindgen::JsCast;
    use leptos::web_sys::HtmlInputElement;
    let input = |id: &str| {
        document()
            .get_element_by_id(id)
            .and_then(|e| e.dyn_into::<HtmlInputElement>().ok())
    };
    let checked = |id: &str| input(id).is_some_and(|i| i.checked());
    let value = |id: &str| input(id).map(|i| i.value()).unwrap_or_default();
    let last_contact = relais::date_fields::parse_past_date(
        &value("last-day"),
        &value("last-month"),
        &value("last-year"),
        data.first_year,
        data.today,
    )
    .ok()?;
    Some(ContactExposure {
        household: checked("relationship"),
        exposures: ExposureKind::ALL
            .iter()
            .copied()
            .filter(|k| checked(&exposure_input(*k)))
            .collect(),
        protection: Protection::ALL
            .iter()
            .copied()
            .filter(|p| checked(&protection_input(*p)))
            .collect(),
        ..ContactExposure::met_on(last_contact)
    })
}

#[cfg(not(feature = "hydrate"))]
fn read_form(_: &RiskPreviewData) -> Option<ContactExposure> {
    None
}

#[island]
pub fn RiskPreview(data: RiskPreviewData, children: Children) -> impl IntoView {
    let (result, set_result) = signal(data.initial.clone());
    let data = StoredValue::new(data);
    let update = move || {
        let assessed = data
            .with_value(|d| read_form(d).map(|contact| classify(&d.rule_set, &d.window, &contact)));
        set_result.set(assessed);
    };
    let text_of = move |c: Classification| {
        data.with_value(|d| {
            d.classes
                .iter()
                .find(|(k, _)| *k == c)
                .map(|(_, t)| t.clone())
                .unwrap_or_default()
        })
    };
    let reason_lines = move |reasons: Vec<Reason>| {
        data.with_value(|d| {
            reasons
                .iter()
                .filter_map(|r| {
                    d.reasons
                        .iter()
                        .find(|(k, _)| k == r)
                        .map(|(_, t)| t.clone())
                })
                .collect::<Vec<_>>()
        })
    };
    view! {
        <div on:change=move |_| update() on:input=move |_| update()>
            {children()}
            <div class="risk-preview" role="status" aria-live="polite">
                {move || {
                    result
                        .get()
                        .map(|(c, reasons)| {
                            view! {
                                <p>
                                    {data.with_value(|d| d.title.clone())}" "
                                    <span class=classification_tag(c)>{text_of(c)}</span>
                                </p>
                                <ul class="reasons">
                                    {reason_lines(reasons)
                                        .into_iter()
                                        .map(|line| view! { <li>{line}</li> })
                                        .collect_view()}
                                </ul>
                            }
                        })
                }}
            </div>
        </div>
    }
}
