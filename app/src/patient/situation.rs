//! `/dossier/situation`: symptoms or not, and the day they began. The sample
//! date comes from the laboratory and is shown, not asked. A refused form
//! is kept as the case's answer draft (see [`super::answer_draft`]).
// A form post is one argument per field (the browser's form encoding).
#![allow(clippy::too_many_arguments)]

use super::answer_draft::AnswerForm;
use super::dossier::{load_case_overview, SessionExpired};
use crate::citizen::error_summary::{ErrorSummary, FieldError};
use crate::citizen::fields::DateFields;
use crate::error::AppError;
use crate::i18n::use_lang;
use crate::pages::unavailable::ServiceUnavailable;
use crate::tr;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;
use relais::Lang;
use time::Date;

/// Saves the case's situation, then back to `/dossier` — or to this page
/// with an error code and what was typed.
#[server(endpoint = "case/situation")]
pub async fn save_situation(
    #[server(default)] symptoms: Option<String>,
    #[server(default)] day: String,
    #[server(default)] month: String,
    #[server(default)] year: String,
    #[server(default)] vaccination: Option<String>,
    #[server(default)] dose_day: String,
    #[server(default)] dose_month: String,
    #[server(default)] dose_year: String,
    #[server(default)] dose: String,
) -> Result<(), AppError> {
    // The page's one date field (jj/mm/aaaa), in its three parts.
    let (dose_day, dose_month, dose_year) = if dose.trim().is_empty() {
        (dose_day, dose_month, dose_year)
    } else {
        split_date(&dose)
    };
    use leptos_axum::redirect;
    let db = crate::citizen::session::server_context::<relais_store::Db>()?;
    let rule_sets = crate::citizen::session::server_context::<std::sync::Arc<relais::RuleSets>>()?;
    let Some(case_id) = crate::citizen::session::current_case(&db).await else {
        redirect("/dossier");
        return Ok(());
    };
    let vaccination_typed = vaccination
        .as_deref()
        .filter(|v| v.parse::<relais::VaccinationStatus>().is_ok())
        .unwrap_or_default();
    // Refused: what was typed is kept on the server as the case's draft,
    // and the page shows it again; no answer travels in the address.
    let refuse = async |code: &str| -> Result<(), AppError> {
        let symptoms = symptoms
            .as_deref()
            .filter(|choice| matches!(*choice, "oui" | "non"))
            .unwrap_or_default();
        let typed = [
            ("symptoms", symptoms.to_owned()),
            ("day", keep(&day)),
            ("month", keep(&month)),
            ("year", keep(&year)),
            ("vaccination", vaccination_typed.to_owned()),
            ("dose_day", keep(&dose_day)),
            ("dose_month", keep(&dose_month)),
            ("dose_year", keep(&dose_year)),
        ];
        let draft = super::answer_draft::AnswerDraft::new(AnswerForm::Situation, &typed, code);
        super::answer_draft::keep(&db, case_id, &draft).await;
        redirect("/dossier/situation");
        Ok(())
    };
    let Some(mut situation) = super::common::load_situation(&db, case_id).await else {
        return refuse("service").await;
    };
    let today = db.today_paris();
    situation.symptom_onset = match symptoms.as_deref() {
        Some("non") => None,
        Some("oui") => {
            let first_year = super::common::first_year(&situation);
            match relais::date_fields::parse_past_date(&day, &month, &year, first_year, today) {
                Ok(onset) => Some(onset),
                Err(e) => return refuse(e.code()).await,
            }
        }
        _ => return refuse("choose").await,
    };
    let window = relais::rules::assess_on(&rule_sets, &situation, today).window;
    if relais::validate::check_case(&situation, &window, today).is_err() {
        return refuse("onset_far").await;
    }
    // Asked only under the rule set of the (new) J0: a case under older
    // rules is never asked, and what they post is ignored.
    let vaccination_said = if super::dossier::asks_case_vaccination(&rule_sets, &situation, today) {
        match relais::case_release::parse_case_vaccination(
            vaccination.as_deref().unwrap_or_default(),
            (&dose_day, &dose_month, &dose_year),
            today,
        ) {
            Ok(said) => Some(said),
            Err(errors) => return refuse(&format!("v_{}", errors[0].code)).await,
        }
    } else {
        None
    };
    let mut saved = match relais_store::cases::save_symptom_onset(
        &db,
        case_id,
        situation.symptom_onset,
    )
    .await
    {
        Ok(true) => Ok(()),
        // Closed: the dates the contacts were given stay as they are.
        Ok(false) => return refuse("closed").await,
        Err(e) => Err(e),
    };
    if let (Ok(()), Some((status, last_dose))) = (&saved, vaccination_said) {
        saved = relais_store::cases::save_vaccination(&db, case_id, status, last_dose).await;
    }
    match saved {
        Ok(_) => {
            super::answer_draft::clear(&db, case_id).await;
            redirect("/dossier");
            Ok(())
        }
        Err(e) => {
            tracing::error!(error = %e, case_id = %case_id, "saving the situation failed");
            refuse("service").await
        }
    }
}

/// What was typed, reduced to what a date field may hold.
#[cfg(feature = "ssr")]
fn keep(value: &str) -> String {
    value.chars().filter(char::is_ascii_digit).take(4).collect()
}

fn situation_error(lang: Lang, code: &str) -> Option<FieldError> {
    let (field, message) = match code {
        "choose" => ("symptoms-yes", tr!(lang, situation.err_choose)),
        "missing" => ("onset-day", tr!(lang, arrival.err_missing)),
        "day" => ("onset-day", tr!(lang, arrival.err_day)),
        "month" => ("onset-month", tr!(lang, arrival.err_month)),
        "year" | "year_range" => ("onset-year", tr!(lang, situation.err_onset_far)),
        "not_a_date" => ("onset-day", tr!(lang, arrival.err_not_a_date)),
        "future" => ("onset-day", tr!(lang, situation.err_future)),
        "onset_far" => ("onset-day", tr!(lang, situation.err_onset_far)),
        "service" => ("onset-day", tr!(lang, arrival.err_service)),
        "closed" => ("symptoms-yes", tr!(lang, situation.err_closed)),
        code => {
            let code = code.strip_prefix("v_")?;
            let field = match code {
                "vaccination_missing" | "vaccination_unknown" => {
                    relais::case_release::field::VACCINATION
                }
                "date_month" => relais::case_release::field::DOSE_MONTH,
                "date_year" | "date_year_range" => relais::case_release::field::DOSE_YEAR,
                _ => relais::case_release::field::DOSE_DAY,
            };
            (field, super::dossier::case_form_message(lang, code)?)
        }
    };
    Some(FieldError {
        field: field.to_owned(),
        message: message.to_owned(),
    })
}

#[component]
pub fn SituationPage() -> impl IntoView {
    let lang = use_lang();
    let overview = Resource::new_blocking(|| (), |_| load_case_overview());
    // One `Suspend`, built once: see `super::dossier::citizen_page`.
    view! {
        <Suspense fallback=|| ()>
            {
                Suspend::new(async move {
                    match overview.await {
                        Ok(Some(o)) => {
                            // A refused form comes back as typed, with its
                            // error; otherwise what the case said.
                            let draft = o.draft.filter(|d| d.form == AnswerForm::Situation);
                            let error = draft.as_ref().and_then(|d| situation_error(lang, &d.error));
                            let (typed, typed_vaccination) = match draft {
                                Some(d) => (
                                    (d.field("symptoms"), d.field("day"), d.field("month"), d.field("year")),
                                    (d.field("vaccination"), d.field("dose_day"), d.field("dose_month"), d.field("dose_year")),
                                ),
                                None => (prefill(o.symptom_onset), prefill_vaccination(o.vaccination, o.last_dose)),
                            };
                            let vaccination = o.asks_vaccination.then_some(typed_vaccination);
                            view! { <SituationForm lang sample_date=o.sample_date error typed vaccination /> }.into_any()
                        }
                        Ok(None) => view! { <SessionExpired lang /> }.into_any(),
                    Err(_) => view! { <ServiceUnavailable lang /> }.into_any(),
                    }
                })
            }
        </Suspense>
    }
}

fn prefill(onset: Option<Date>) -> (String, String, String, String) {
    match onset {
        Some(d) => (
            "oui".into(),
            d.day().to_string(),
            relais::dates::month_number(d).to_string(),
            d.year().to_string(),
        ),
        None => ("non".into(), String::new(), String::new(), String::new()),
    }
}

fn prefill_vaccination(
    status: relais::VaccinationStatus,
    last_dose: Option<Date>,
) -> (String, String, String, String) {
    let (day, month, year) = match last_dose {
        Some(d) => (
            d.day().to_string(),
            relais::dates::month_number(d).to_string(),
            d.year().to_string(),
        ),
        None => Default::default(),
    };
    (status.as_str().to_owned(), day, month, year)
}

/// The case's vaccination questions (status, last dose), with what was
/// typed.
#[component]
fn VaccinationFields(
    lang: Lang,
    error: Option<FieldError>,
    typed: (String, String, String, String),
) -> impl IntoView {
    use relais::case_release::field;
    let (status, day, month, year) = typed;
    let dose_typed = if [&day, &month, &year].iter().all(|p| p.is_empty()) {
        String::new()
    } else {
        format!("{day}/{month}/{year}")
    };
    let status_error = error.clone().filter(|e| e.field == field::VACCINATION);
    let dose_error = error.filter(|e| e.field.starts_with("dose-"));
    let group = |failed: bool| {
        if failed {
            "form-group form-group-error"
        } else {
            "form-group"
        }
    };
    let (status_class, dose_class) = (group(status_error.is_some()), group(dose_error.is_some()));
    let radio = move |value: &'static str, id: &'static str, label: &'static str| {
        view! {
            <div class="radio">
                <input id=id type="radio" name="vaccination" value=value checked=status == value />
                <label for=id>{label}</label>
            </div>
        }
    };
    view! {
        <div class=status_class>
            <fieldset class="fieldset" aria-describedby="vaccination-hint">
                <legend class="legend-large">{tr!(lang, case_release.vaccination_legend)}</legend>
                <p class="hint" id="vaccination-hint">{tr!(lang, case_release.vaccination_hint)}</p>
                {status_error.map(|e| view! { <p class="error-message">{e.message}</p> })}
                <div class="radios">
                    {radio("fully_vaccinated", "case-vaccination", tr!(lang, case_release.vaccination_full))}
                    {radio("not_vaccinated", "case-vaccination-not", tr!(lang, case_release.vaccination_not))}
                    {radio("unknown", "case-vaccination-unknown", tr!(lang, case_release.vaccination_unknown))}
                </div>
            </fieldset>
        </div>
        <div class=dose_class>
            // One field for the date (jj/mm/aaaa): the page's date of onset
            // keeps the only "Jour", "Mois", "Année" fields.
            <label class="label" for="dose-day">{tr!(lang, case_release.dose_legend)}</label>
            <p class="hint" id="dose-hint">{tr!(lang, case_release.dose_hint)}</p>
            {dose_error.map(|e| view! { <p class="error-message">{e.message}</p> })}
            <input id="dose-day" class="input" name="dose" type="text" inputmode="numeric" size="10" maxlength="10" aria-describedby="dose-hint" value=dose_typed />
        </div>
    }
}

/// "15/10/2021", "15 10 2021" or "15-10-2021" in its three parts (what is
/// missing is empty: the parser says which part is wrong).
#[cfg(feature = "ssr")]
fn split_date(text: &str) -> (String, String, String) {
    let mut parts = text
        .split(|c: char| !c.is_ascii_digit())
        .filter(|p| !p.is_empty())
        .map(str::to_owned);
    (
        parts.next().unwrap_or_default(),
        parts.next().unwrap_or_default(),
        parts.next().unwrap_or_default(),
    )
}

#[component]
fn SituationForm(
    lang: Lang,
    sample_date: Date,
    error: Option<FieldError>,
    typed: (String, String, String, String),
    /// What was typed of the vaccination; `None` when it is not asked.
    vaccination: Option<(String, String, String, String)>,
) -> impl IntoView {
    let action = <SaveSituation as ServerFn>::PATH;
    let (symptoms, day, month, year) = typed;
    let onset_error = error.clone().filter(|e| e.field.starts_with("onset"));
    let choose_error = error.clone().filter(|e| e.field.starts_with("symptoms"));
    let vaccination_error = error.clone();
    let group = |failed: bool| {
        if failed {
            "form-group form-group-error"
        } else {
            "form-group"
        }
    };
    let choose_class = group(choose_error.is_some());
    view! {
        <Title text=tr!(lang, situation.title) />
        <ErrorSummary title=tr!(lang, arrival.errors_title).to_string() errors=error.into_iter().collect() />
        <h1>{tr!(lang, situation.title)}</h1>
        <p>{tr!(lang, situation.sample_date)}" "<strong>{relais::dates::long_date(sample_date, lang)}</strong></p>
        <form method="post" action=action class="form" novalidate>
            <div class=choose_class>
                <fieldset class="fieldset" aria-describedby="symptoms-hint">
                    <legend class="legend-large">{tr!(lang, situation.symptoms_legend)}</legend>
                    <p class="hint" id="symptoms-hint">{tr!(lang, situation.symptoms_hint)}</p>
                    {choose_error.map(|e| view! { <p class="error-message">{e.message}</p> })}
                    <div class="radios">
                        <div class="radio">
                            <input id="symptoms-yes" type="radio" name="symptoms" value="oui" checked=symptoms == "oui" />
                            <label for="symptoms-yes">{tr!(lang, situation.yes)}</label>
                        </div>
                        <div class="radio">
                            <input id="symptoms-no" type="radio" name="symptoms" value="non" checked=symptoms == "non" />
                            <label for="symptoms-no">{tr!(lang, situation.no)}</label>
                        </div>
                    </div>
                </fieldset>
            </div>
            <DateFields
                prefix="onset"
                legend=tr!(lang, situation.onset_legend).to_owned()
                hint=tr!(lang, situation.onset_hint).to_owned()
                day
                month
                year
                error=onset_error.map(|e| e.message)
                day_label=tr!(lang, arrival.day)
                month_label=tr!(lang, arrival.month)
                year_label=tr!(lang, arrival.year)
            />
            {vaccination.map(|typed| view! { <VaccinationFields lang error=vaccination_error.clone() typed /> })}
            <button type="submit" class="button">{tr!(lang, situation.submit)}</button>
        </form>
    }
}
