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
    pub rights: Vec<RightText>,
}

/// The file of the case whose session this is; `None` without a session.
#[server(endpoint = "case/overview")]
pub async fn load_case_overview() -> Result<Option<CaseOverview>, AppError> {
    let Some(ctx) = super::common::CaseContext::load().await? else {
        return Ok(None);
    };
    Ok(Some(overview_of(&ctx)))
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
        rights: assessment
            .case_rights()
            .map(|r| RightText {
                title: r.title.get(lang).to_owned(),
                how_to: r.how_to.get(lang).to_owned(),
            })
            .collect(),
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
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
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
            <h2 id="isolation">{fill(tr!(lang, dossier.isolation), &[d(o.isolation_last_day)])}</h2>
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
        <SituationSummary lang sample_date=o.sample_date symptom_onset=o.symptom_onset change_link=false />
        <p><a href="/dossier/situation">{tr!(lang, dossier.change_situation)}</a></p>
        <h2>{tr!(lang, dossier.steps_title)}</h2>
        <ol class="task-list">
            <li><a href="/dossier/contacts">{tr!(lang, dossier.step_contacts)}</a></li>
            <li><a href="/dossier/lieux">{tr!(lang, dossier.step_places)}</a></li>
            <li><a href="/dossier/envoi">{tr!(lang, dossier.step_check)}</a></li>
        </ol>
        <p>{tr!(lang, dossier.next)}</p>
        <RightsSection lang rights=o.rights />
        <p class="hint">{tr!(lang, dossier.rule_set)}" "{o.rule_set_title}</p>
    }
}
