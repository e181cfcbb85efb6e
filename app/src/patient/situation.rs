//! `/dossier/situation`: symptoms or not, and the day they began. The sample
//! date comes from the laboratory and is shown, not asked.

use super::dossier::{load_case_overview, SessionExpired};
use crate::citizen::error_summary::{ErrorSummary, FieldError};
use crate::error::AppError;
use crate::i18n::use_lang;
use crate::pages::unavailable::ServiceUnavailable;
use crate::tr;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use relais::Lang;
use time::Date;

/// Saves the case's situation, then back to `/dossier` — or to this page
/// with an error code and what was typed.
#[server(endpoint = "case/situation")]
pub async fn save_situation(
    #[server(default)] symptoms: Option<String>,
    day: String,
    month: String,
    year: String,
) -> Result<(), AppError> {
    use leptos_axum::redirect;
    let db = crate::citizen::session::server_context::<relais_store::Db>()?;
    let rule_sets = crate::citizen::session::server_context::<std::sync::Arc<relais::RuleSets>>()?;
    let Some(case_id) = crate::citizen::session::current_case(&db).await else {
        redirect("/dossier");
        return Ok(());
    };
    let back = |code: &str| {
        format!(
            "/dossier/situation?erreur={code}&symptomes={}&j={}&m={}&a={}",
            symptoms
                .as_deref()
                .filter(|choice| matches!(*choice, "oui" | "non"))
                .unwrap_or_default(),
            keep(&day),
            keep(&month),
            keep(&year)
        )
    };
    let Some(mut situation) = super::common::load_situation(&db, case_id).await else {
        redirect(&back("service"));
        return Ok(());
    };
    let today = relais_store::today_utc();
    situation.symptom_onset = match symptoms.as_deref() {
        Some("non") => None,
        Some("oui") => {
            let first_year = super::common::first_year(&situation);
            match relais::date_fields::parse_past_date(&day, &month, &year, first_year, today) {
                Ok(onset) => Some(onset),
                Err(e) => {
                    redirect(&back(e.code()));
                    return Ok(());
                }
            }
        }
        _ => {
            redirect(&back("choose"));
            return Ok(());
        }
    };
    let window = relais::rules::assess(&rule_sets, &situation).window;
    if relais::validate::check_case(&situation, &window, today).is_err() {
        redirect(&back("onset_far"));
        return Ok(());
    }
    let saved =
        relais_store::cases::save_symptom_onset(&db, case_id, situation.symptom_onset).await;
    match saved {
        Ok(_) => redirect("/dossier"),
        Err(e) => {
            tracing::error!(error = %e, case_id = %case_id, "saving the situation failed");
            redirect(&back("service"));
        }
    }
    Ok(())
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
        _ => return None,
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
    let query = use_query_map().get_untracked();
    let q = move |name: &str| query.get(name).unwrap_or_default();
    let error = situation_error(lang, &q("erreur"));
    let typed = (q("symptomes"), q("j"), q("m"), q("a"));
    view! {
        <Suspense fallback=|| ()>
            {move || {
                let error = error.clone();
                let typed = typed.clone();
                Suspend::new(async move {
                    match overview.await {
                        Ok(Some(o)) => {
                            let typed = if error.is_some() {
                                typed
                            } else {
                                prefill(o.symptom_onset)
                            };
                            view! { <SituationForm lang sample_date=o.sample_date error typed /> }.into_any()
                        }
                        Ok(None) => view! { <SessionExpired lang /> }.into_any(),
                    Err(_) => view! { <ServiceUnavailable lang /> }.into_any(),
                    }
                })
            }}
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

#[component]
fn SituationForm(
    lang: Lang,
    sample_date: Date,
    error: Option<FieldError>,
    typed: (String, String, String, String),
) -> impl IntoView {
    let action = <SaveSituation as ServerFn>::PATH;
    let (symptoms, day, month, year) = typed;
    let onset_error = error.clone().filter(|e| e.field.starts_with("onset"));
    let choose_error = error.clone().filter(|e| e.field.starts_with("symptoms"));
    let group = |failed: bool| {
        if failed {
            "form-group form-group-error"
        } else {
            "form-group"
        }
    };
    let (choose_class, onset_class) = (group(choose_error.is_some()), group(onset_error.is_some()));
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
            <div class=onset_class>
                <fieldset class="fieldset" role="group" aria-describedby="onset-hint">
                    <legend class="legend-large">{tr!(lang, situation.onset_legend)}</legend>
                    <p class="hint" id="onset-hint">{tr!(lang, situation.onset_hint)}</p>
                    {onset_error.map(|e| view! { <p class="error-message">{e.message}</p> })}
                    <div class="date-input">
                        <div class="date-item">
                            <label for="onset-day">{tr!(lang, arrival.day)}</label>
                            <input id="onset-day" name="day" type="text" inputmode="numeric" size="2" maxlength="2" value=day />
                        </div>
                        <div class="date-item">
                            <label for="onset-month">{tr!(lang, arrival.month)}</label>
                            <input id="onset-month" name="month" type="text" inputmode="numeric" size="2" maxlength="2" value=month />
                        </div>
                        <div class="date-item date-item-year">
                            <label for="onset-year">{tr!(lang, arrival.year)}</label>
                            <input id="onset-year" name="year" type="text" inputmode="numeric" size="4" maxlength="4" value=year />
                        </div>
                    </div>
                </fieldset>
            </div>
            <button type="submit" class="button">{tr!(lang, situation.submit)}</button>
        </form>
    }
}
