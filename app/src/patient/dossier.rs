//! `/dossier`: the case's own space once they proved who they are.

use crate::i18n::use_lang;
use crate::tr;
use leptos::prelude::*;
use leptos_meta::Title;
use relais::Lang;
use serde::{Deserialize, Serialize};

/// What the case sees of their own file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseOverview {
    pub first_name: String,
    pub sample_date: String,
    pub symptom_onset: Option<String>,
}

/// The file of the case whose session this is; `None` without a session.
#[server(endpoint = "case/dossier")]
pub async fn dossier_summary() -> Result<Option<CaseOverview>, ServerFnError> {
    let Some(case_id) = crate::citizen::session::current_case().await else {
        return Ok(None);
    };
    let db = expect_context::<crate::store::Db>();
    let row: Option<(Option<String>, String, Option<String>)> =
        sqlx::query_as("SELECT first_name, sample_date, symptom_onset FROM cases WHERE id = $1")
            .bind(case_id)
            .fetch_optional(db.pool())
            .await
            .map_err(|e| {
                tracing::error!(error = %e, "dossier lookup failed");
                ServerFnError::new("service unavailable")
            })?;
    Ok(
        row.map(|(first_name, sample_date, symptom_onset)| CaseOverview {
            first_name: first_name.unwrap_or_default(),
            sample_date,
            symptom_onset,
        }),
    )
}

fn long_date(lang: Lang, iso: &str) -> String {
    iso.parse::<chrono::NaiveDate>()
        .map(|d| d.format("%d/%m/%Y").to_string())
        .unwrap_or_else(|_| iso.to_owned())
        .replace('/', if lang == Lang::Fr { "/" } else { "/" })
}

#[component]
pub fn DossierPage() -> impl IntoView {
    let lang = use_lang();
    let summary = Resource::new_blocking(|| (), |_| dossier_summary());
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match summary.await {
                    Ok(Some(s)) => view! {
                        <Title text=tr!(lang, dossier.title) />
                        <h1>{tr!(lang, dossier.title)}</h1>
                        <p class="panel panel-ok">{tr!(lang, dossier.confirmed)}</p>
                        <dl class="summary-list">
                            <div>
                                <dt>{tr!(lang, dossier.sample_date)}</dt>
                                <dd>{long_date(lang, &s.sample_date)}</dd>
                            </div>
                            <div>
                                <dt>{tr!(lang, dossier.onset_date)}</dt>
                                <dd>{match s.symptom_onset {
                                    Some(d) => long_date(lang, &d),
                                    None => tr!(lang, dossier.no_symptoms).to_string(),
                                }}</dd>
                            </div>
                        </dl>
                        <p>{tr!(lang, dossier.next)}</p>
                    }
                    .into_any(),
                    _ => view! {
                        <Title text=tr!(lang, dossier.expired_title) />
                        <h1>{tr!(lang, dossier.expired_title)}</h1>
                        <p>{tr!(lang, dossier.expired_body)}</p>
                    }
                    .into_any(),
                }
            })}
        </Suspense>
    }
}
