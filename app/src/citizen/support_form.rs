//! The request for support during isolation (issue 19): its fields, the
//! messages of its errors, and the list of a person's own requests. The
//! fields come without their `<form>`: the case's page, the contact's page
//! and the tracer's desk each post them to their own server function,
//! which reads them into [`SupportFields`] and checks them with
//! `relais::support::parse_support`.
//!
//! The needs are checkboxes named `needs[]`: a server function's form is
//! read with `serde_qs`, which refuses a name given twice (`needs=a&needs=b`)
//! and reads `needs[]` (`needs%5B%5D` as browsers send it) as a list. The
//! server function takes them as `#[server(default)] needs: Vec<String>`.

use crate::citizen::error_summary::FieldError;
use crate::citizen::fields::{Choice, Choices, TextField};
use crate::tr;
use leptos::prelude::*;
use relais::support::{
    BestTime, Needs, SupportFields, SupportNeed, SupportState, ADDRESS_MAX, NOTE_MAX,
};
use relais::Lang;
use serde::{Deserialize, Serialize};
use time::Date;

/// The ids of the form's fields, as `parse_support` names them in its
/// errors (the error summary links to them).
pub mod field {
    pub const NEEDS: &str = "support-needs";
    pub const NOTE: &str = "support-note";
    pub const ADDRESS: &str = "support-address";
    pub const PHONE: &str = "support-phone";
    pub const TIME: &str = "support-time";
    pub const CONSENT: &str = "support-consent";
}

/// The name of the needs' checkboxes (see the module).
pub const NEEDS_NAME: &str = "needs[]";

/// A refused form: what was typed, and the problems as (field id, code).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SupportDraft {
    pub fields: SupportFields,
    pub errors: Vec<(String, String)>,
}

impl SupportDraft {
    /// What a refused form keeps: the needs that exist, each once, and
    /// the texts cut to a length the form could hold (the page shows them
    /// again; a post from elsewhere may send anything).
    pub fn new(fields: &SupportFields, errors: Vec<(String, String)>) -> SupportDraft {
        let cut = |text: &str, max: usize| text.chars().take(max).collect::<String>();
        let needs: Needs = fields
            .needs
            .iter()
            .filter_map(|name| name.parse::<SupportNeed>().ok())
            .collect();
        SupportDraft {
            fields: SupportFields {
                needs: needs.iter().map(|n| n.as_str().to_owned()).collect(),
                note: cut(&fields.note, 2 * NOTE_MAX),
                address: cut(&fields.address, 2 * ADDRESS_MAX),
                phone: cut(&fields.phone, 40),
                best_time: fields
                    .best_time
                    .parse::<BestTime>()
                    .map(|t| t.as_str().to_owned())
                    .unwrap_or_default(),
                consent: if fields.consent.trim().is_empty() {
                    String::new()
                } else {
                    "oui".to_owned()
                },
            },
            errors,
        }
    }
}

/// The message of an error code of the request form; the service's
/// generic one for a code this version does not know.
pub fn support_error_text(lang: Lang, code: &str) -> &'static str {
    match code {
        "support_needs_missing" => tr!(lang, support.err_needs_missing),
        "support_need_unknown" => tr!(lang, support.err_need_unknown),
        "support_note_too_long" => tr!(lang, support.err_note_too_long),
        "support_address_too_long" => tr!(lang, support.err_address_too_long),
        "support_time_unknown" => tr!(lang, support.err_time_unknown),
        "phone_missing" => tr!(lang, support.err_phone_missing),
        "phone_not_a_number" => tr!(lang, support.err_phone_not_a_number),
        "phone_invalid" => tr!(lang, support.err_phone_invalid),
        _ => tr!(lang, support.err_service),
    }
}

/// The problems of a draft, in words, each tied to its field.
pub fn support_errors(lang: Lang, errors: &[(String, String)]) -> Vec<FieldError> {
    errors
        .iter()
        .map(|(field, code)| FieldError {
            field: field.clone(),
            message: support_error_text(lang, code).to_owned(),
        })
        .collect()
}

/// A need in words, as the form's checkbox says it.
pub fn need_text(lang: Lang, need: SupportNeed) -> &'static str {
    match need {
        SupportNeed::NurseVisit => tr!(lang, support.need_nurse_visit),
        SupportNeed::Groceries => tr!(lang, support.need_groceries),
        SupportNeed::Medicines => tr!(lang, support.need_medicines),
        SupportNeed::Administrative => tr!(lang, support.need_administrative),
        SupportNeed::Connection => tr!(lang, support.need_connection),
        SupportNeed::Listening => tr!(lang, support.need_listening),
        SupportNeed::Childcare => tr!(lang, support.need_childcare),
        SupportNeed::Lodging => tr!(lang, support.need_lodging),
    }
}

/// Where a request stands, in the asker's words.
pub fn state_text(lang: Lang, state: SupportState) -> &'static str {
    match state {
        SupportState::New => tr!(lang, support.state_new),
        SupportState::Taken => tr!(lang, support.state_taken),
        SupportState::Done => tr!(lang, support.state_done),
        SupportState::Unreachable => tr!(lang, support.state_unreachable),
        SupportState::Refused => tr!(lang, support.state_refused),
    }
}

fn best_time_text(lang: Lang, time: BestTime) -> &'static str {
    match time {
        BestTime::Any => tr!(lang, support.time_any),
        BestTime::Morning => tr!(lang, support.time_morning),
        BestTime::Afternoon => tr!(lang, support.time_afternoon),
        BestTime::Evening => tr!(lang, support.time_evening),
    }
}

/// The first message about the field `id`.
fn error_of(errors: &[FieldError], id: &str) -> Option<String> {
    errors
        .iter()
        .find(|e| e.field == id)
        .map(|e| e.message.clone())
}

fn group_class(error: &Option<String>) -> &'static str {
    if error.is_some() {
        "form-group form-group-error"
    } else {
        "form-group"
    }
}

/// The request form's fields (no `<form>`, no button): the needs, a note,
/// an address, a phone to call back, the best time to call, and the
/// consent to share the request with the département's support cell.
/// `typed` fills them (a refused form, or nothing); `errors` are shown on
/// their fields (the page shows the error summary). The texts speak to the
/// person who asks; the desk may give its own for the phone's hint and the
/// consent (the tracer asks for the case).
#[component]
pub fn SupportRequestFields(
    lang: Lang,
    #[prop(optional)] typed: SupportFields,
    #[prop(optional)] errors: Vec<FieldError>,
    /// The phone's hint; by default "leave empty to be called on the
    /// number we already have".
    #[prop(optional)]
    phone_hint: Option<String>,
    /// The consent checkbox's text; by default the person's own words.
    #[prop(optional)]
    consent_label: Option<String>,
    /// What happens without consent; by default "only the tracer sees
    /// your request".
    #[prop(optional)]
    consent_hint: Option<String>,
) -> impl IntoView {
    let needs_error = error_of(&errors, field::NEEDS);
    let note_error = error_of(&errors, field::NOTE);
    let address_error = error_of(&errors, field::ADDRESS);
    let phone_error = error_of(&errors, field::PHONE);
    let time_error = error_of(&errors, field::TIME);
    let ticked: Needs = typed
        .needs
        .iter()
        .filter_map(|name| name.parse().ok())
        .collect();
    let needs: Vec<Choice> = SupportNeed::ALL
        .iter()
        .enumerate()
        .map(|(i, need)| Choice {
            id: if i == 0 {
                field::NEEDS.to_owned()
            } else {
                format!("support-need-{need}")
            },
            name: NEEDS_NAME.to_owned(),
            value: need.as_str().to_owned(),
            label: need_text(lang, *need).to_owned(),
            checked: ticked.contains(*need),
        })
        .collect();
    let current_time = typed.best_time.parse::<BestTime>().unwrap_or(BestTime::Any);
    let times: Vec<Choice> = BestTime::ALL
        .iter()
        .enumerate()
        .map(|(i, time)| Choice {
            id: if i == 0 {
                field::TIME.to_owned()
            } else {
                format!("support-time-{time}")
            },
            name: "best_time".to_owned(),
            value: time.as_str().to_owned(),
            label: best_time_text(lang, *time).to_owned(),
            checked: *time == current_time,
        })
        .collect();
    let note_class = group_class(&note_error);
    let note_input_class = note_error.as_ref().map(|_| "input-error");
    let consent = !typed.consent.trim().is_empty();
    view! {
        <Choices
            legend=tr!(lang, support.needs_legend).to_owned()
            hint=tr!(lang, support.needs_hint).to_owned()
            choices=needs
            error=needs_error
            multiple=true
        />
        <div class=note_class>
            <label for=field::NOTE>{tr!(lang, support.note_label)}</label>
            <p class="hint" id="support-note-hint">{tr!(lang, support.note_hint)}</p>
            {note_error.map(|e| view! { <p class="error-message">{e}</p> })}
            <textarea
                id=field::NOTE
                name="note"
                rows="4"
                maxlength=NOTE_MAX
                class=note_input_class
                aria-describedby="support-note-hint"
            >{typed.note}</textarea>
        </div>
        <TextField
            id=field::ADDRESS
            name="address"
            label=tr!(lang, support.address_label).to_owned()
            hint=tr!(lang, support.address_hint).to_owned()
            value=typed.address
            error=address_error
            autocomplete="street-address"
            maxlength=ADDRESS_MAX as u32
        />
        <TextField
            id=field::PHONE
            name="phone"
            label=tr!(lang, support.phone_label).to_owned()
            hint=phone_hint.unwrap_or_else(|| tr!(lang, support.phone_hint).to_owned())
            value=typed.phone
            error=phone_error
            kind="tel"
            autocomplete="tel"
            maxlength=30
        />
        <Choices legend=tr!(lang, support.time_legend).to_owned() choices=times error=time_error />
        <div class="form-group">
            <fieldset class="fieldset" aria-describedby="support-consent-hint">
                <legend class="legend-large">{tr!(lang, support.consent_legend)}</legend>
                <p class="hint" id="support-consent-hint">
                    {consent_hint.unwrap_or_else(|| tr!(lang, support.consent_hint).to_owned())}
                </p>
                <div class="radios">
                    <div class="radio">
                        <input id=field::CONSENT type="checkbox" name="consent" value="oui" checked=consent />
                        <label for=field::CONSENT>
                            {consent_label.unwrap_or_else(|| tr!(lang, support.consent_label).to_owned())}
                        </label>
                    </div>
                </div>
            </fieldset>
        </div>
    }
}

/// One of the person's own requests, as their page shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OwnRequest {
    /// Empty for a request opened by a text message answered "3".
    pub needs: Needs,
    pub note: String,
    /// Shared with the support cell.
    pub consent: bool,
    pub state: SupportState,
    /// The day it was made, in Paris.
    pub asked_on: Option<Date>,
}

#[cfg(feature = "ssr")]
impl From<relais_store::support::RequestSummary> for OwnRequest {
    fn from(r: relais_store::support::RequestSummary) -> OwnRequest {
        OwnRequest {
            needs: r.needs,
            note: r.note,
            consent: r.consent,
            state: r.state,
            asked_on: relais_store::paris::local(r.created_at).map(|at| at.date()),
        }
    }
}

fn state_class(state: SupportState) -> &'static str {
    match state {
        SupportState::New => "tag",
        SupportState::Taken => "tag tag-new",
        SupportState::Done => "tag tag-ok",
        SupportState::Unreachable => "tag tag-danger",
        SupportState::Refused => "tag",
    }
}

/// The person's own requests, newest first, each with where it stands in
/// plain words.
#[component]
pub fn OwnRequests(lang: Lang, requests: Vec<OwnRequest>) -> impl IntoView {
    if requests.is_empty() {
        return view! { <p>{tr!(lang, support.requests_none)}</p> }.into_any();
    }
    view! {
        <ul class="card-list">
            {requests
                .into_iter()
                .map(|r| {
                    let title = match r.asked_on {
                        Some(day) => crate::i18n::fill(
                            tr!(lang, support.asked_on),
                            &[relais::dates::long_date(day, lang)],
                        ),
                        None => tr!(lang, support.request).to_owned(),
                    };
                    let needs = if r.needs.is_empty() {
                        view! { <p>{tr!(lang, support.by_text)}</p> }.into_any()
                    } else {
                        view! {
                            <ul>
                                {r.needs.iter().map(|n| view! { <li>{need_text(lang, n)}</li> }).collect_view()}
                            </ul>
                        }
                        .into_any()
                    };
                    let shared = if r.consent {
                        tr!(lang, support.shared)
                    } else {
                        tr!(lang, support.not_shared)
                    };
                    view! {
                        <li class="card">
                            <h3 class="card-title">{title}</h3>
                            <p>
                                {tr!(lang, support.state_label)}" "
                                <strong class=state_class(r.state)>{state_text(lang, r.state)}</strong>
                            </p>
                            {needs}
                            {(!r.note.is_empty()).then(|| view! { <p>{r.note.clone()}</p> })}
                            <p class="hint">{shared}</p>
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_has_its_own_message_in_both_languages() {
        let codes = [
            "support_needs_missing",
            "support_need_unknown",
            "support_note_too_long",
            "support_address_too_long",
            "support_time_unknown",
            "phone_missing",
            "phone_not_a_number",
            "phone_invalid",
        ];
        for lang in Lang::ALL {
            let generic = support_error_text(lang, "no such code");
            for code in codes {
                assert_ne!(
                    support_error_text(lang, code),
                    generic,
                    "{code} has no message of its own"
                );
            }
        }
        assert!(
            support_error_text(Lang::Fr, "support_note_too_long").contains(&NOTE_MAX.to_string())
        );
        assert!(support_error_text(Lang::En, "support_address_too_long")
            .contains(&ADDRESS_MAX.to_string()));
    }

    #[test]
    fn a_draft_keeps_known_needs_once_and_cuts_long_texts() {
        let fields = SupportFields {
            needs: vec!["groceries".into(), "bogus".into(), "groceries".into()],
            note: "x".repeat(5 * NOTE_MAX),
            best_time: "midnight".into(),
            consent: "on".into(),
            ..SupportFields::default()
        };
        let draft = SupportDraft::new(&fields, vec![]);
        assert_eq!(draft.fields.needs, vec!["groceries".to_owned()]);
        assert_eq!(draft.fields.note.chars().count(), 2 * NOTE_MAX);
        assert_eq!(draft.fields.best_time, "");
        assert_eq!(draft.fields.consent, "oui");
        let json = serde_json::to_string(&draft).unwrap();
        assert_eq!(serde_json::from_str::<SupportDraft>(&json).unwrap(), draft);
    }
}
