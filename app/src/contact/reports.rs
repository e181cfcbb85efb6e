//! What a contact reports after the notification, each a plain form:
//! - `/contact/symptomes`: the day symptoms began (the page then switches to
//!   the symptomatic instructions, and the tracer sees a flag);
//! - `/contact/test`: a test's day and result (a positive result opens a
//!   new case in the tracers' queue; a negative one at the right day ends
//!   the quarantine);
//! - `/contact/coordonnees`: the contact's name and email; a new phone
//!   number waits for a tracer;
//! - `/contact/vaccination`: the contact's vaccination, only when the rules
//!   that apply use it (July 2021 on); the page then recomputes the
//!   instructions and says whether they changed (`?vaccination=` on the
//!   redirect), and the SMS reminders follow the new test days.
//!
//! A form that fails validation is kept on the server as the contact's
//! draft and shown again with every error, so nothing typed is lost.
// A form post is one argument per field (the browser's form encoding).
#![allow(clippy::too_many_arguments)]

#[cfg(feature = "ssr")]
use super::file::ContactContext;
use super::file::ContactFile;
use super::page::ContactSessionExpired;
use crate::citizen::error_summary::ErrorSummary;
use crate::citizen::fields::{radios, Choices, DateFields, TextField};
use crate::error::AppError;
use crate::patient::dossier::citizen_page;
use crate::patient::form_text::{error_for, form_errors};
use crate::tr;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;
use relais::contact_guidance::field;
use relais::Lang;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Which follow-up form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FormKind {
    Symptoms,
    Test,
    Details,
    Vaccination,
}

/// What a failed form held: the fields as typed and the problems.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Draft {
    pub form: FormKind,
    pub fields: BTreeMap<String, String>,
    /// (field id, error code)
    pub errors: Vec<(String, String)>,
}

/// A follow-up form to show: the contact's file, and the draft of this form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FollowUpForm {
    pub file: ContactFile,
    pub draft: Option<Draft>,
}

impl FollowUpForm {
    fn typed(&self, name: &str) -> Option<String> {
        self.draft
            .as_ref()
            .and_then(|d| d.fields.get(name).cloned())
    }
}

#[server(endpoint = "contact/form")]
pub async fn load_follow_up_form(form: FormKind) -> Result<Option<FollowUpForm>, AppError> {
    let Some(ctx) = ContactContext::load().await? else {
        return Ok(None);
    };
    let draft = relais_store::follow_up::load_draft(&ctx.db, ctx.contact_id)
        .await?
        .and_then(|json| serde_json::from_str::<Draft>(&json).ok())
        .filter(|d| d.form == form);
    Ok(Some(FollowUpForm {
        file: ctx.file(),
        draft,
    }))
}

/// After a form post: back to `/contact` when saved; otherwise the draft is
/// kept and the person goes back to the form.
#[cfg(feature = "ssr")]
async fn answer(
    ctx: &ContactContext,
    form: FormKind,
    form_url: &str,
    saved_url: &str,
    fields: &[(&str, &str)],
    outcome: Result<Result<bool, relais_store::StoreError>, Vec<relais::FormError>>,
) {
    use leptos_axum::redirect;
    use relais_store::follow_up::{clear_draft, save_draft};
    let errors: Vec<(String, String)> = match outcome {
        Ok(Ok(true)) => {
            if let Err(e) = clear_draft(&ctx.db, ctx.contact_id).await {
                tracing::error!(error = %e, "clearing a follow-up draft failed");
            }
            tracing::info!(
                contact_id = ctx.contact_id.get(),
                ?form,
                "contact follow-up saved"
            );
            redirect(saved_url);
            return;
        }
        Ok(Ok(false)) => {
            redirect("/contact");
            return;
        }
        Ok(Err(e)) => {
            tracing::error!(error = %e, ?form, "contact follow-up: store failed");
            vec![(
                fields.first().map(|f| f.0).unwrap_or("").to_owned(),
                "service".to_owned(),
            )]
        }
        Err(errors) => errors
            .into_iter()
            .map(|e| (e.field.to_owned(), e.code.to_owned()))
            .collect(),
    };
    let draft = Draft {
        form,
        fields: fields
            .iter()
            .map(|(k, v)| ((*k).to_owned(), relais::contact_form::clean_text(v)))
            .collect(),
        errors,
    };
    let json = serde_json::to_string(&draft).unwrap_or_default();
    if let Err(e) = save_draft(&ctx.db, ctx.contact_id, &json).await {
        tracing::error!(error = %e, "saving a follow-up draft failed");
    }
    redirect(form_url);
}

/// The contact says symptoms began on a day.
#[server(endpoint = "contact/symptoms")]
pub async fn report_symptoms(
    #[server(default)] day: String,
    #[server(default)] month: String,
    #[server(default)] year: String,
) -> Result<(), AppError> {
    let Some(ctx) = ContactContext::load().await? else {
        leptos_axum::redirect("/contact");
        return Ok(());
    };
    let last_contact = ctx.notified.contact.input.exposure.last_contact;
    let parsed = relais::contact_guidance::parse_symptom_report(
        &day,
        &month,
        &year,
        ctx.today(),
        last_contact,
    );
    let outcome = match parsed {
        Ok(since) => {
            Ok(relais_store::follow_up::report_symptoms(&ctx.db, ctx.contact_id, since).await)
        }
        Err(errors) => Err(errors),
    };
    let fields = [
        ("day", day.as_str()),
        ("month", month.as_str()),
        ("year", year.as_str()),
    ];
    answer(
        &ctx,
        FormKind::Symptoms,
        "/contact/symptomes",
        "/contact",
        &fields,
        outcome,
    )
    .await;
    Ok(())
}

/// The contact records a test: the day of the sample and the result.
#[server(endpoint = "contact/test")]
pub async fn report_test(
    #[server(default)] day: String,
    #[server(default)] month: String,
    #[server(default)] year: String,
    #[server(default)] result: String,
) -> Result<(), AppError> {
    use relais_store::follow_up::{record_test, TestRecorded};
    let Some(ctx) = ContactContext::load().await? else {
        leptos_axum::redirect("/contact");
        return Ok(());
    };
    let last_contact = ctx.notified.contact.input.exposure.last_contact;
    let parsed = relais::contact_guidance::parse_test_report(
        &day,
        &month,
        &year,
        &result,
        ctx.today(),
        last_contact,
    );
    let outcome = match parsed {
        Ok(report) => Ok(record_test(&ctx.db, ctx.contact_id, &report, ctx.lang)
            .await
            .map(|done| done != TestRecorded::NotFound)),
        Err(errors) => Err(errors),
    };
    let fields = [
        ("day", day.as_str()),
        ("month", month.as_str()),
        ("year", year.as_str()),
        ("result", result.as_str()),
    ];
    answer(
        &ctx,
        FormKind::Test,
        "/contact/test",
        "/contact",
        &fields,
        outcome,
    )
    .await;
    Ok(())
}

/// The contact corrects their details.
#[server(endpoint = "contact/details")]
pub async fn correct_details(
    #[server(default)] first_name: String,
    #[server(default)] last_name: String,
    #[server(default)] email: String,
    #[server(default)] phone: String,
) -> Result<(), AppError> {
    use relais_store::follow_up::{update_details, DetailsChange};
    let Some(ctx) = ContactContext::load().await? else {
        leptos_axum::redirect("/contact");
        return Ok(());
    };
    let parsed = relais::contact_form::parse_own_details(&first_name, &last_name, &email, &phone);
    let outcome = match parsed {
        Ok(details) => {
            let current = &ctx.notified.contact.input.phone.e164;
            let change = DetailsChange {
                first_name: details.first_name,
                last_name: details.last_name,
                email: details.email,
                requested_phone: (details.phone.e164 != *current).then_some(details.phone.e164),
            };
            Ok(update_details(&ctx.db, ctx.contact_id, &change).await)
        }
        Err(errors) => Err(errors),
    };
    let fields = [
        ("first_name", first_name.as_str()),
        ("last_name", last_name.as_str()),
        ("email", email.as_str()),
        ("phone", phone.as_str()),
    ];
    answer(
        &ctx,
        FormKind::Details,
        "/contact/coordonnees",
        "/contact",
        &fields,
        outcome,
    )
    .await;
    Ok(())
}

/// What a vaccination statement did to the contact's instructions, as the
/// contact page's `?vaccination=` says it.
#[cfg(feature = "ssr")]
fn vaccination_notice(
    before: &relais::rules::ContactAssessment,
    after: &relais::rules::ContactAssessment,
) -> &'static str {
    use super::file::{
        VACCINATION_CHANGED, VACCINATION_NO_QUARANTINE, VACCINATION_QUARANTINE,
        VACCINATION_UNCHANGED,
    };
    let measures = |a: &relais::rules::ContactAssessment| {
        (
            a.classification,
            a.quarantine.as_ref().map(|q| (q.last_day, q.tests.clone())),
        )
    };
    if measures(before) == measures(after) {
        return VACCINATION_UNCHANGED;
    }
    match after.quarantine.as_ref().map(|q| q.last_day.is_some()) {
        Some(false) => VACCINATION_NO_QUARANTINE,
        Some(true) => VACCINATION_QUARANTINE,
        None => VACCINATION_CHANGED,
    }
}

/// The contact states their vaccination. Refused (back to the page, which
/// says so) when the rules that apply do not use it. Once saved, the
/// instructions are computed again: when the measures changed, the SMS
/// reminders follow the new test days.
#[server(endpoint = "contact/vaccination")]
pub async fn state_vaccination(
    #[server(default)] status: String,
    #[server(default)] day: String,
    #[server(default)] month: String,
    #[server(default)] year: String,
    #[server(default)] single_dose: String,
    #[server(default)] immunocompromised: String,
) -> Result<(), AppError> {
    use relais_store::follow_up::record_vaccination;
    use relais_store::schedule::{reschedule_contact, ContactSchedule};
    let Some(ctx) = ContactContext::load().await? else {
        leptos_axum::redirect("/contact");
        return Ok(());
    };
    if !ctx.asks_vaccination() {
        leptos_axum::redirect("/contact/vaccination");
        return Ok(());
    }
    let parsed = relais::vaccination_form::parse_vaccination(
        &status,
        &day,
        &month,
        &year,
        &single_dose,
        &immunocompromised,
        ctx.today(),
    );
    let mut saved_url = "/contact".to_owned();
    let outcome = match parsed {
        Ok(statement) => {
            let before = ctx.exposure();
            let after = statement.apply_to(&before);
            let (old, new) = (ctx.assess(&before), ctx.assess(&after));
            let saved = record_vaccination(&ctx.db, ctx.contact_id, &statement).await;
            if let Ok(true) = saved {
                let notice = vaccination_notice(&old, &new);
                if notice != super::file::VACCINATION_UNCHANGED {
                    let told_on = ctx.notified.notified_on.unwrap_or(ctx.today());
                    let schedule = ContactSchedule::of(new.quarantine.as_ref(), told_on);
                    match reschedule_contact(&ctx.db, ctx.contact_id, &schedule).await {
                        Ok(done) => tracing::info!(
                            contact_id = ctx.contact_id.get(),
                            scheduled = done.scheduled,
                            cancelled = done.cancelled,
                            "contact's measures changed: reminders rescheduled"
                        ),
                        Err(e) => tracing::error!(error = %e, "rescheduling reminders failed"),
                    }
                }
                saved_url = format!("/contact?vaccination={notice}");
            }
            Ok(saved)
        }
        Err(errors) => Err(errors),
    };
    let fields = [
        ("status", status.as_str()),
        ("day", day.as_str()),
        ("month", month.as_str()),
        ("year", year.as_str()),
        ("single_dose", single_dose.as_str()),
        ("immunocompromised", immunocompromised.as_str()),
    ];
    answer(
        &ctx,
        FormKind::Vaccination,
        "/contact/vaccination",
        &saved_url,
        &fields,
        outcome,
    )
    .await;
    Ok(())
}

/// A follow-up form page: the form's draft, or the session-expired page.
fn form_page<V: IntoView + 'static>(
    form: FormKind,
    render: fn(Lang, FollowUpForm) -> V,
) -> impl IntoView {
    citizen_page(form, load_follow_up_form, render, |lang| {
        view! { <ContactSessionExpired lang /> }.into_any()
    })
}

fn draft_errors(
    lang: Lang,
    form: &FollowUpForm,
    first: &str,
) -> Vec<crate::citizen::error_summary::FieldError> {
    let errors = form
        .draft
        .as_ref()
        .map(|d| d.errors.clone())
        .unwrap_or_default();
    form_errors(lang, &errors, first)
}

#[component]
pub fn SymptomsPage() -> impl IntoView {
    form_page(
        FormKind::Symptoms,
        |lang, form| view! { <SymptomsForm lang form /> },
    )
}

#[component]
fn SymptomsForm(lang: Lang, form: FollowUpForm) -> impl IntoView {
    let errors = draft_errors(lang, &form, field::SYMPTOMS_DAY);
    let date_error = error_for(
        &errors,
        &[
            field::SYMPTOMS_DAY,
            field::SYMPTOMS_MONTH,
            field::SYMPTOMS_YEAR,
        ],
    );
    let t = |name: &str| form.typed(name).unwrap_or_default();
    view! {
        <Title text=tr!(lang, contact.symptoms_title) />
        <p><a href="/contact">{tr!(lang, contact.back)}</a></p>
        <ErrorSummary title=tr!(lang, arrival.errors_title).to_string() errors=errors.clone() />
        <h1>{tr!(lang, contact.symptoms_title)}</h1>
        <p>{form.file.if_symptoms.clone()}</p>
        <form method="post" action={<ReportSymptoms as ServerFn>::PATH} class="form" novalidate>
            <DateFields
                prefix="symptoms"
                legend=tr!(lang, contact.symptoms_legend).to_string()
                hint=tr!(lang, contact.date_hint).to_string()
                day=t("day") month=t("month") year=t("year")
                error=date_error
                day_label=tr!(lang, arrival.day) month_label=tr!(lang, arrival.month) year_label=tr!(lang, arrival.year)
            />
            <button type="submit" class="button">{tr!(lang, contact.save)}</button>
        </form>
    }
}

#[component]
pub fn TestPage() -> impl IntoView {
    form_page(
        FormKind::Test,
        |lang, form| view! { <TestForm lang form /> },
    )
}

#[component]
fn TestForm(lang: Lang, form: FollowUpForm) -> impl IntoView {
    let errors = draft_errors(lang, &form, field::TEST_DAY);
    let date_error = error_for(
        &errors,
        &[field::TEST_DAY, field::TEST_MONTH, field::TEST_YEAR],
    );
    let result_error = error_for(&errors, &[field::TEST_RESULT]);
    let t = |name: &str| form.typed(name).unwrap_or_default();
    let choices = radios(
        "result",
        field::TEST_RESULT,
        &[
            ("negative", tr!(lang, contact.result_negative)),
            ("positive", tr!(lang, contact.result_positive)),
            ("pending", tr!(lang, contact.result_pending)),
        ],
        &t("result"),
    );
    view! {
        <Title text=tr!(lang, contact.test_title) />
        <p><a href="/contact">{tr!(lang, contact.back)}</a></p>
        <ErrorSummary title=tr!(lang, arrival.errors_title).to_string() errors=errors.clone() />
        <h1>{tr!(lang, contact.test_title)}</h1>
        <form method="post" action={<ReportTest as ServerFn>::PATH} class="form" novalidate>
            <DateFields
                prefix="test"
                legend=tr!(lang, contact.test_legend).to_string()
                hint=tr!(lang, contact.date_hint).to_string()
                day=t("day") month=t("month") year=t("year")
                error=date_error
                day_label=tr!(lang, arrival.day) month_label=tr!(lang, arrival.month) year_label=tr!(lang, arrival.year)
            />
            <Choices legend=tr!(lang, contact.result_legend).to_string() choices error=result_error />
            <button type="submit" class="button">{tr!(lang, contact.save)}</button>
        </form>
    }
}

#[component]
pub fn DetailsPage() -> impl IntoView {
    form_page(
        FormKind::Details,
        |lang, form| view! { <DetailsForm lang form /> },
    )
}

#[component]
fn DetailsForm(lang: Lang, form: FollowUpForm) -> impl IntoView {
    use relais::contact_form::field as f;
    let errors = draft_errors(lang, &form, f::FIRST_NAME);
    let e = |ids: &[&str]| error_for(&errors, ids);
    let file = &form.file;
    let v = |name: &str, current: &str| form.typed(name).unwrap_or_else(|| current.to_owned());
    let pending = file.requested_phone.clone();
    view! {
        <Title text=tr!(lang, contact.details_title) />
        <p><a href="/contact">{tr!(lang, contact.back)}</a></p>
        <ErrorSummary title=tr!(lang, arrival.errors_title).to_string() errors=errors.clone() />
        <h1>{tr!(lang, contact.details_title)}</h1>
        <form method="post" action={<CorrectDetails as ServerFn>::PATH} class="form" novalidate>
            <TextField id=f::FIRST_NAME name="first_name" label=tr!(lang, contacts.first_name).to_string()
                value=v("first_name", &file.first_name) error=e(&[f::FIRST_NAME]) autocomplete="given-name" />
            <TextField id=f::LAST_NAME name="last_name" label=tr!(lang, contacts.last_name).to_string()
                value=v("last_name", &file.last_name) error=e(&[f::LAST_NAME]) autocomplete="family-name" />
            <TextField id=f::PHONE name="phone" label=tr!(lang, contacts.phone).to_string()
                value=v("phone", &file.phone) error=e(&[f::PHONE]) kind="tel" autocomplete="tel"
                hint=tr!(lang, contact.phone_review).to_string() maxlength=30 />
            <TextField id=f::EMAIL name="email" label=tr!(lang, contacts.email).to_string()
                value=v("email", file.email.as_deref().unwrap_or_default()) error=e(&[f::EMAIL]) kind="email" autocomplete="email" maxlength=254 />
            <button type="submit" class="button">{tr!(lang, contact.save)}</button>
        </form>
        {pending.map(|p| view! { <p class="panel">{crate::i18n::fill(tr!(lang, contact.phone_pending), &[p])}</p> })}
    }
}

#[component]
pub fn VaccinationPage() -> impl IntoView {
    form_page(
        FormKind::Vaccination,
        |lang, form| view! { <VaccinationForm lang form /> },
    )
}

#[component]
fn VaccinationForm(lang: Lang, form: FollowUpForm) -> impl IntoView {
    use relais::vaccination_form::field as f;
    use relais::VaccinationStatus;
    let errors = draft_errors(lang, &form, f::STATUS);
    let status_error = error_for(&errors, &[f::STATUS]);
    let date_error = error_for(&errors, &[f::DOSE_DAY, f::DOSE_MONTH, f::DOSE_YEAR]);
    let stated = form.file.vaccination;
    // What was typed (a draft), else what was stated before.
    let dose = stated.last_dose;
    let stated_value = |name: &str| match name {
        "status" if stated.status != VaccinationStatus::Unknown || dose.is_some() => {
            stated.status.as_str().to_owned()
        }
        "day" => dose.map(|d| d.day().to_string()).unwrap_or_default(),
        "month" => dose
            .map(|d| u8::from(d.month()).to_string())
            .unwrap_or_default(),
        "year" => dose.map(|d| d.year().to_string()).unwrap_or_default(),
        "single_dose" if stated.single_dose => "on".to_owned(),
        "immunocompromised" if stated.immunocompromised => "on".to_owned(),
        _ => String::new(),
    };
    let t = |name: &str| match &form.draft {
        Some(draft) => draft.fields.get(name).cloned().unwrap_or_default(),
        None => stated_value(name),
    };
    if !form.file.asks_vaccination {
        return view! {
            <Title text=tr!(lang, contact.vaccination_title) />
            <p><a href="/contact">{tr!(lang, contact.back)}</a></p>
            <h1>{tr!(lang, contact.vaccination_title)}</h1>
            <p class="panel">{tr!(lang, contact.vaccination_not_asked)}</p>
        }
        .into_any();
    }
    let choices = radios(
        "status",
        f::STATUS,
        &[
            ("fully_vaccinated", tr!(lang, contact.vaccination_full)),
            ("not_vaccinated", tr!(lang, contact.vaccination_none)),
            ("unknown", tr!(lang, contact.vaccination_unknown)),
        ],
        &t("status"),
    );
    let single = !t("single_dose").is_empty();
    let immuno = !t("immunocompromised").is_empty();
    view! {
        <Title text=tr!(lang, contact.vaccination_title) />
        <p><a href="/contact">{tr!(lang, contact.back)}</a></p>
        <ErrorSummary title=tr!(lang, arrival.errors_title).to_string() errors=errors.clone() />
        <h1>{tr!(lang, contact.vaccination_title)}</h1>
        <p>{tr!(lang, contact.vaccination_intro)}</p>
        <form method="post" action={<StateVaccination as ServerFn>::PATH} class="form" novalidate>
            <Choices legend=tr!(lang, contact.vaccination_legend).to_string() choices error=status_error />
            <DateFields
                prefix="dose"
                legend=tr!(lang, contact.dose_legend).to_string()
                hint=tr!(lang, contact.dose_hint).to_string()
                day=t("day") month=t("month") year=t("year")
                error=date_error
                day_label=tr!(lang, arrival.day) month_label=tr!(lang, arrival.month) year_label=tr!(lang, arrival.year)
            />
            <div class="radios">
                <div class="radio">
                    <input id=f::SINGLE_DOSE type="checkbox" name="single_dose" value="on" checked=single />
                    <label for=f::SINGLE_DOSE>{tr!(lang, contact.single_dose)}</label>
                </div>
                <div class="radio">
                    <input id=f::IMMUNOCOMPROMISED type="checkbox" name="immunocompromised" value="on" checked=immuno />
                    <label for=f::IMMUNOCOMPROMISED>{tr!(lang, contact.immunocompromised)}</label>
                </div>
            </div>
            <button type="submit" class="button">{tr!(lang, contact.save)}</button>
        </form>
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_draft_survives_its_json() {
        let draft = Draft {
            form: FormKind::Test,
            fields: [("day".to_owned(), "31".to_owned())].into_iter().collect(),
            errors: vec![("test-day".to_owned(), "date_not_a_date".to_owned())],
        };
        let json = serde_json::to_string(&draft).unwrap();
        assert!(json.contains(r#""form":"test""#), "{json}");
        assert_eq!(serde_json::from_str::<Draft>(&json).unwrap(), draft);
    }
}
