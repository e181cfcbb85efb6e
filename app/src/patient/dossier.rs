//! `/dossier`: the case's own space once they proved who they are: their
//! situation, contagious window, isolation dates and rights, computed by the
//! rules engine under the rule set of their J0.

use crate::error::AppError;
use crate::i18n::{fill, use_lang};
use crate::pages::unavailable::ServiceUnavailable;
use crate::tr;
use leptos::prelude::*;
use leptos_meta::Title;
use relais::dates::long_date;
use relais::Lang;
use serde::{Deserialize, Serialize};
use time::Date;

/// A right of the case, in the page's language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RightText {
    pub title: String,
    pub how_to: String,
}

/// What the case sees of their own file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseOverview {
    pub sample_date: Date,
    pub symptom_onset: Option<Date>,
    pub window_start: Date,
    pub window_end: Date,
    pub isolation_last_day: Date,
    pub isolation_last_day_if_fever: Date,
    pub rule_set_title: String,
    /// The day the rule set applied came into force.
    pub rules_since: Date,
    /// The last day of isolation, an early release counted.
    pub isolation_ends: Date,
    /// The early release the rule set offers, with what the recorded test
    /// decides; `None` under a set without one.
    pub early_release: Option<relais::rules::EarlyReleaseOffer>,
    /// Whether the situation page asks the case's vaccination.
    pub asks_vaccination: bool,
    pub vaccination: relais::VaccinationStatus,
    pub last_dose: Option<Date>,
    pub rights: Vec<RightText>,
    /// What a refused form of the case's own space held (see
    /// [`super::answer_draft`]); loaded by [`load_case_overview`] only.
    pub draft: Option<super::answer_draft::AnswerDraft>,
}

/// Whether the case is asked their own vaccination: only under a rule set
/// (the one that applies to them `today`) that uses it.
pub fn asks_case_vaccination(
    rule_sets: &relais::RuleSets,
    situation: &relais::CaseSituation,
    today: time::Date,
) -> bool {
    rule_sets
        .select_on(situation.j0(), today)
        .uses(relais::doctrine::Fact::CaseVaccination)
}

/// The file of the case whose session this is; `None` without a session.
#[server(endpoint = "case/overview")]
pub async fn load_case_overview() -> Result<Option<CaseOverview>, AppError> {
    let Some(ctx) = super::common::CaseContext::load().await? else {
        return Ok(None);
    };
    let draft = super::answer_draft::load(&ctx.db, ctx.case_id).await?;
    Ok(Some(CaseOverview {
        draft,
        ..overview_of(&ctx)
    }))
}

/// The case's file, computed by the rules.
#[cfg(feature = "ssr")]
pub(crate) fn overview_of(ctx: &super::common::CaseContext) -> CaseOverview {
    let (lang, situation) = (ctx.lang, &ctx.situation);
    let assessment = ctx.assessment();
    CaseOverview {
        sample_date: situation.sample_date,
        symptom_onset: situation.symptom_onset,
        window_start: assessment.window.start,
        window_end: assessment.window.end,
        isolation_last_day: assessment.isolation.last_day,
        isolation_last_day_if_fever: assessment.isolation.last_day_if_fever,
        rule_set_title: assessment.rule_set().title.get(lang).to_owned(),
        rules_since: assessment.rule_set().effective,
        isolation_ends: assessment.isolation.ends_on(),
        early_release: assessment.isolation.early_release,
        asks_vaccination: asks_case_vaccination(&ctx.rule_sets, situation, ctx.db.today_paris()),
        vaccination: situation.vaccination,
        last_dose: situation.last_dose,
        rights: assessment
            .case_rights()
            .map(|r| RightText {
                title: r.title.get(lang).to_owned(),
                how_to: r.how_to.get(lang).to_owned(),
            })
            .collect(),
        draft: None,
    }
}

/// A page of the case's own space (see [`citizen_page`]), with the
/// case's session-expired page.
pub fn case_page<S, T, Fut, V>(
    source: S,
    load: fn(S) -> Fut,
    render: fn(Lang, T) -> V,
) -> impl IntoView
where
    S: Clone + PartialEq + Send + Sync + 'static,
    T: Serialize + for<'de> Deserialize<'de> + Clone + Send + Sync + 'static,
    Fut: std::future::Future<Output = Result<Option<T>, AppError>> + Send + 'static,
    V: IntoView + 'static,
{
    citizen_page(source, load, render, |lang| {
        view! { <SessionExpired lang /> }.into_any()
    })
}

/// A citizen page: loads `load(source)` on the server, then shows
/// `render(lang, data)`, `expired(lang)` without a session, or the
/// service-unavailable page when loading failed.
pub fn citizen_page<S, T, Fut, V>(
    source: S,
    load: fn(S) -> Fut,
    render: fn(Lang, T) -> V,
    expired: fn(Lang) -> AnyView,
) -> impl IntoView
where
    S: Clone + PartialEq + Send + Sync + 'static,
    T: Serialize + for<'de> Deserialize<'de> + Clone + Send + Sync + 'static,
    Fut: std::future::Future<Output = Result<Option<T>, AppError>> + Send + 'static,
    V: IntoView + 'static,
{
    let lang = use_lang();
    let data = Resource::new_blocking(move || source.clone(), load);
    // One `Suspend`, not a closure that makes one: on the server, Suspense
    // walks its children once more when its resources have loaded, then
    // renders them, and a closure would build the page anew on each walk
    // (two or three times a request, the islands' props serialised each
    // time). The page's body is not reactive (only islands hydrate).
    view! {
        <Suspense fallback=|| ()>
            {Suspend::new(async move {
                match data.await {
                    Ok(Some(data)) => render(lang, data).into_any(),
                    Ok(None) => expired(lang),
                    Err(_) => view! { <ServiceUnavailable lang /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
pub fn DossierPage() -> impl IntoView {
    case_page(
        (),
        |_| load_case_overview(),
        |lang, o| view! { <Overview lang o /> },
    )
}

/// The page for a request without a live case session.
#[component]
pub fn SessionExpired(lang: Lang) -> impl IntoView {
    view! {
        <Title text=tr!(lang, dossier.expired_title) />
        <h1>{tr!(lang, dossier.expired_title)}</h1>
        <p>{tr!(lang, dossier.expired_body)}</p>
    }
}

/// The case's own dates: isolation, fever extension, contagious window.
#[component]
pub fn IsolationPanel(lang: Lang, o: CaseOverview) -> impl IntoView {
    let d = move |date: Date| long_date(date, lang);
    view! {
        <section class="panel" aria-labelledby="isolation">
            <h2 id="isolation">{if o.isolation_ends < o.isolation_last_day {
                fill(tr!(lang, case_release.released), &[d(o.isolation_ends)])
            } else {
                fill(tr!(lang, dossier.isolation), &[d(o.isolation_last_day)])
            }}</h2>
            <p>{fill(tr!(lang, dossier.fever), &[d(o.isolation_last_day_if_fever)])}</p>
            <p>{fill(tr!(lang, dossier.window), &[d(o.window_start), d(o.window_end)])}</p>
        </section>
    }
}

/// The case's rights, each with how to use it.
#[component]
pub fn RightsSection(lang: Lang, rights: Vec<RightText>) -> impl IntoView {
    view! {
        <section aria-labelledby="rights">
            <h2 id="rights">{tr!(lang, dossier.rights_title)}</h2>
            {rights
                .into_iter()
                .map(|r| view! { <h3>{r.title}</h3><p>{r.how_to}</p> })
                .collect_view()}
        </section>
    }
}

/// The test date and the symptom onset, with a change link when asked.
#[component]
pub fn SituationSummary(
    lang: Lang,
    sample_date: Date,
    symptom_onset: Option<Date>,
    change_link: bool,
) -> impl IntoView {
    let d = move |date: Date| long_date(date, lang);
    view! {
        <dl class="summary-list">
            <div>
                <dt>{tr!(lang, dossier.sample_date)}</dt>
                <dd>{d(sample_date)}</dd>
            </div>
            <div>
                <dt>{tr!(lang, dossier.onset_date)}</dt>
                <dd>{match symptom_onset {
                    Some(onset) => d(onset),
                    None => tr!(lang, dossier.no_symptoms).to_string(),
                }}</dd>
                {change_link.then(|| view! {
                    <dd><a href="/dossier/situation">{tr!(lang, contacts.change)}<span class="visually-hidden">" "{tr!(lang, dossier.onset_date)}</span></a></dd>
                })}
            </div>
        </dl>
    }
}

#[component]
fn Overview(lang: Lang, o: CaseOverview) -> impl IntoView {
    view! {
        <Title text=tr!(lang, dossier.title) />
        <h1>{tr!(lang, dossier.title)}</h1>
        <p class="panel panel-ok">{tr!(lang, dossier.confirmed)}</p>
        <IsolationPanel lang o=o.clone() />
        <EarlyReleaseSection lang o=o.clone() />
        <SituationSummary lang sample_date=o.sample_date symptom_onset=o.symptom_onset change_link=false />
        <p><a href="/dossier/situation">{tr!(lang, dossier.change_situation)}</a></p>
        <h2>{tr!(lang, dossier.steps_title)}</h2>
        <ol class="task-list">
            <li><a href="/dossier/contacts">{tr!(lang, dossier.step_contacts)}</a></li>
            <li><a href="/dossier/lieux">{tr!(lang, dossier.step_places)}</a></li>
            <li><a href="/dossier/envoi">{tr!(lang, dossier.step_check)}</a></li>
        </ol>
        <p>{tr!(lang, dossier.next)}</p>
        <RightsSection lang rights=o.rights.clone() />
        <p><a href="/dossier/aide">{tr!(lang, support.link_case)}</a></p>
        <p class="hint">{tr!(lang, dossier.rule_set)}" "{o.rule_set_title.clone()}</p>
        <p class="hint">{fill(tr!(lang, case_release.rules_since), &[long_date(o.rules_since, lang)])}</p>
    }
}

/// The message of a form error code of the case's vaccination and
/// release-test forms (see [`relais::case_release`]).
pub fn case_form_message(lang: Lang, code: &str) -> Option<&'static str> {
    Some(match code {
        "vaccination_missing" | "vaccination_unknown" => {
            tr!(lang, case_release.err_vaccination_missing)
        }
        "date_missing" => tr!(lang, case_release.err_date_missing),
        "date_day" => tr!(lang, case_release.err_date_day),
        "date_month" => tr!(lang, case_release.err_date_month),
        "date_year" | "date_year_range" => tr!(lang, case_release.err_date_year),
        "date_not_a_date" => tr!(lang, case_release.err_date_not_a_date),
        "date_future" => tr!(lang, case_release.err_date_future),
        "dose_too_early" => tr!(lang, case_release.err_dose_too_early),
        "release_before_j0" => tr!(lang, case_release.err_release_before_j0),
        "release_result_missing" | "release_result_unknown" => {
            tr!(lang, case_release.err_release_result_missing)
        }
        "service" => tr!(lang, case_release.err_service),
        _ => return None,
    })
}

/// Records the test the case took to end isolation early, then back to
/// `/dossier` — with the error's field and code, and what was typed, when
/// the form does not validate.
#[server(endpoint = "case/release-test")]
pub async fn record_release_test(
    #[server(default)] day: String,
    #[server(default)] month: String,
    #[server(default)] year: String,
    #[server(default)] result: String,
    #[server(default)] symptom_free: Option<String>,
) -> Result<(), AppError> {
    use leptos_axum::redirect;
    let Some(ctx) = super::common::CaseContext::load().await? else {
        redirect("/dossier");
        return Ok(());
    };
    let symptom_free_48h = symptom_free.as_deref() == Some("oui");
    let keep = |v: &str| {
        v.chars()
            .filter(char::is_ascii_alphanumeric)
            .take(16)
            .collect::<String>()
    };
    // Only the date typed comes back in the address: a test result or the
    // symptoms are health data, never put in a URL (access logs, history):
    // they are kept as the case's answer draft.
    let back = async |field: &str, code: &str| {
        use super::answer_draft::{AnswerDraft, AnswerForm};
        let typed = [
            ("result", keep(&result)),
            (
                "symptom_free",
                if symptom_free_48h { "oui" } else { "" }.to_owned(),
            ),
        ];
        let draft = AnswerDraft::new(AnswerForm::ReleaseTest, &typed, code);
        super::answer_draft::keep(&ctx.db, ctx.case_id, &draft).await;
        format!(
            "/dossier?champ={field}&erreur={code}&j={}&m={}&a={}#release-form",
            keep(&day),
            keep(&month),
            keep(&year),
        )
    };
    let parsed = relais::case_release::parse_release_test(
        (&day, &month, &year),
        &result,
        symptom_free_48h,
        ctx.situation.j0(),
        ctx.db.today_paris(),
    );
    match parsed {
        Err(errors) => {
            let first = &errors[0];
            redirect(&back(first.field, first.code).await);
        }
        Ok(test) => match relais_store::cases::save_release_test(&ctx.db, ctx.case_id, &test).await
        {
            Ok(()) => {
                tracing::info!(case_id = %ctx.case_id, "release test recorded");
                super::answer_draft::clear(&ctx.db, ctx.case_id).await;
                redirect("/dossier#isolation");
            }
            Err(e) => {
                tracing::error!(error = %e, "saving the release test failed");
                redirect(&back(relais::case_release::field::RELEASE_DAY, "service").await);
            }
        },
    }
    Ok(())
}

/// The early release the rules offer, what the recorded test decides, and
/// the form to record it.
#[component]
fn EarlyReleaseSection(lang: Lang, o: CaseOverview) -> Option<impl IntoView> {
    use leptos::server_fn::ServerFn;
    use relais::rules::ReleaseDecision;
    let offer = o.early_release?;
    let d = move |date: Date| long_date(date, lang);
    let query = leptos_router::hooks::use_query_map().get_untracked();
    let q = move |name: &str| query.get(name).unwrap_or_default();
    let error = case_form_message(lang, &q("erreur")).map(|message| {
        crate::citizen::error_summary::FieldError {
            field: q("champ"),
            message: message.to_owned(),
        }
    });
    let hours = offer.symptom_free_hours.to_string();
    let decision = offer.decision.map(|decision| {
        let (class, text) = match decision {
            ReleaseDecision::Released { on } => (
                "panel panel-ok",
                fill(tr!(lang, case_release.decision_released), &[d(on)]),
            ),
            ReleaseDecision::TooEarly { from } => (
                "panel",
                fill(tr!(lang, case_release.decision_too_early), &[d(from)]),
            ),
            ReleaseDecision::Positive => (
                "panel",
                fill(
                    tr!(lang, case_release.decision_positive),
                    &[d(o.isolation_last_day)],
                ),
            ),
            ReleaseDecision::Pending => (
                "panel",
                fill(
                    tr!(lang, case_release.decision_pending),
                    &[d(o.isolation_last_day)],
                ),
            ),
            ReleaseDecision::Symptoms => (
                "panel",
                fill(
                    tr!(lang, case_release.decision_symptoms),
                    &[hours.clone(), d(o.isolation_last_day)],
                ),
            ),
            ReleaseDecision::AfterEnd => (
                "panel",
                fill(
                    tr!(lang, case_release.decision_after_end),
                    &[d(o.isolation_last_day)],
                ),
            ),
        };
        view! { <p class=class id="release-decision" data-decision=decision.code()>{text}</p> }
    });
    // The date typed comes back in the address, the rest from the draft.
    let draft = o
        .draft
        .filter(|d| d.form == super::answer_draft::AnswerForm::ReleaseTest);
    let (day, month, year, result, symptom_free) = match (&error, draft) {
        (Some(_), Some(d)) => (
            q("j"),
            q("m"),
            q("a"),
            d.field("result"),
            d.field("symptom_free") == "oui",
        ),
        (Some(_), None) => (q("j"), q("m"), q("a"), String::new(), false),
        (None, _) => Default::default(),
    };
    let date_error = error
        .clone()
        .filter(|e| e.field.starts_with("release-") && e.field != "release-result");
    let result_error = error.clone().filter(|e| e.field == "release-result");
    let group = |failed: bool| {
        if failed {
            "form-group form-group-error"
        } else {
            "form-group"
        }
    };
    let result_class = group(result_error.is_some());
    let action = <RecordReleaseTest as ServerFn>::PATH;
    let radio = move |value: &'static str, label: &'static str| {
        let id = if value == "negative" {
            "release-result".to_owned()
        } else {
            format!("release-result-{value}")
        };
        view! {
            <div class="radio">
                <input id=id.clone() type="radio" name="result" value=value checked=result == value />
                <label for=id>{label}</label>
            </div>
        }
    };
    Some(view! {
        <section class="panel" aria-labelledby="release" id="early-release">
            <h2 id="release">{tr!(lang, case_release.offer_title)}</h2>
            <p>{fill(tr!(lang, case_release.offer), &[d(offer.from), hours.clone()])}</p>
            {decision}
            <h3 id="release-form">{tr!(lang, case_release.form_title)}</h3>
            <crate::citizen::error_summary::ErrorSummary title=tr!(lang, arrival.errors_title).to_string() errors=error.into_iter().collect() />
            <form method="post" action=action class="form" novalidate>
                <crate::citizen::fields::DateFields
                    prefix="release"
                    legend=tr!(lang, case_release.date_legend).to_owned()
                    plain_legend=true
                    hint=tr!(lang, case_release.date_hint).to_owned()
                    day
                    month
                    year
                    error=date_error.map(|e| e.message)
                    day_label=tr!(lang, arrival.day)
                    month_label=tr!(lang, arrival.month)
                    year_label=tr!(lang, arrival.year)
                />
                <div class=result_class>
                    <fieldset class="fieldset">
                        <legend>{tr!(lang, case_release.result_legend)}</legend>
                        {result_error.map(|e| view! { <p class="error-message">{e.message}</p> })}
                        <div class="radios">
                            {radio("negative", tr!(lang, case_release.result_negative))}
                            {radio("positive", tr!(lang, case_release.result_positive))}
                            {radio("pending", tr!(lang, case_release.result_pending))}
                        </div>
                    </fieldset>
                </div>
                <div class="form-group">
                    <div class="checkbox">
                        <input id="release-symptom-free" type="checkbox" name="symptom_free" value="oui" checked=symptom_free />
                        <label for="release-symptom-free">{tr!(lang, case_release.symptom_free)}</label>
                    </div>
                </div>
                <button type="submit" class="button">{tr!(lang, case_release.submit)}</button>
            </form>
        </section>
    })
}
