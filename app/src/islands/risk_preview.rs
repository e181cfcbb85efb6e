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
use relais::rules::{classify_by, ContagiousWindow, RiskCriteria};
use relais::{Classification, ContactExposure, ExposureKind, Protection, Reason};
use serde::{Deserialize, Serialize};
use time::Date;

/// What the island needs, kept flat — strings, numbers, machine names —
/// because every nested type or date deserialised in the browser adds to
/// the WASM every citizen page downloads.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RiskPreviewData {
    /// The rule set's counted exposures and neutralising protections.
    pub at_risk_exposures: Vec<String>,
    pub neutralising_protections: Vec<String>,
    /// The window as days from the common era (start, end), with its bases.
    pub window: (i32, i32),
    pub window_bases: (String, u32, String),
    pub today: i32,
    pub first_year: u32,
    pub title: String,
    /// (classification name, its text)
    pub classes: Vec<(String, String)>,
    /// Each reason this case can produce, by [`reason_key`], with its text.
    pub reasons: Vec<(String, String)>,
    /// The classification of what the form holds when the page is built,
    /// with its reasons' keys.
    pub initial: Option<(String, Vec<String>)>,
}

/// A date as a number of days (its Julian day), and back: the island's
/// props carry numbers, lighter than dates.
pub fn day_number(date: Date) -> i32 {
    date.to_julian_day()
}

fn from_day_number(days: i32) -> Option<Date> {
    Date::from_julian_day(days).ok()
}

impl RiskPreviewData {
    /// The case's window, flattened.
    pub fn flat_window(window: &ContagiousWindow) -> ((i32, i32), (String, u32, String)) {
        (
            (day_number(window.start), day_number(window.end)),
            (
                window.start_basis.as_str().to_owned(),
                window.days_before,
                window.end_basis.as_str().to_owned(),
            ),
        )
    }

    fn window(&self) -> Option<ContagiousWindow> {
        Some(ContagiousWindow {
            start: from_day_number(self.window.0)?,
            end: from_day_number(self.window.1)?,
            start_basis: self.window_bases.0.parse().ok()?,
            days_before: self.window_bases.1,
            end_basis: self.window_bases.2.parse().ok()?,
        })
    }

    /// Classifies a contact under these rules: the classification's name
    /// and its reasons' keys.
    pub fn classify(&self, contact: &ContactExposure) -> Option<(String, Vec<String>)> {
        let exposures = self
            .at_risk_exposures
            .iter()
            .filter_map(|n| n.parse().ok())
            .collect();
        let protections = self
            .neutralising_protections
            .iter()
            .filter_map(|n| n.parse().ok())
            .collect();
        let criteria = RiskCriteria {
            at_risk_exposures: &exposures,
            neutralising_protections: &protections,
        };
        let (classification, reasons) = classify_by(&criteria, &self.window()?, contact);
        Some((
            classification.as_str().to_owned(),
            reasons.iter().map(reason_key).collect(),
        ))
    }
}

/// A reason's stable key: its code and what it is about.
pub fn reason_key(reason: &Reason) -> String {
    match reason {
        Reason::Exposure { kind } => format!("{}:{kind}", reason.code()),
        Reason::NeutralisedBy { kind, protection } => {
            format!("{}:{kind}:{protection}", reason.code())
        }
        other => other.code().to_owned(),
    }
}

/// The tag class of a classification.
pub fn classification_tag(c: Option<Classification>) -> &'static str {
    match c {
        Some(Classification::AtRisk) => "tag tag-danger",
        Some(Classification::Negligible) => "tag tag-ok",
        _ => "tag",
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
        from_day_number(data.today)?,
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
        let assessed = data.with_value(|d| read_form(d).and_then(|contact| d.classify(&contact)));
        set_result.set(assessed);
    };
    let text_of = move |c: &str| {
        data.with_value(|d| {
            d.classes
                .iter()
                .find(|(k, _)| k == c)
                .map(|(_, t)| t.clone())
                .unwrap_or_default()
        })
    };
    let reason_lines = move |reasons: Vec<String>| {
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
                                    <span class=classification_tag(c.parse().ok())>{text_of(&c)}</span>
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
