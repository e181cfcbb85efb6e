//! Clusters from backward tracing (`/equipe/supervision/foyers`): places
//! and gatherings several cases declared — same town and kind, names that
//! match once normalised, days close together — with how many cases, for
//! the supervisor to act on. Only the places are shown, never who declared
//! them; looking is recorded in the audit trail.

use super::supervision::{PeriodFilters, PeriodForm};
use super::view::{desk_page, Desk};
use crate::error::AppError;
use crate::i18n::fill;
use crate::tr;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use relais::clusters::Cluster;
use relais::Lang;
use serde::{Deserialize, Serialize};

/// The clusters of a period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClustersView {
    pub filters: PeriodFilters,
    /// The zones the clusters may be narrowed to.
    pub zones: Vec<(String, String)>,
    pub errors: Vec<(String, String)>,
    pub clusters: Vec<Cluster>,
    /// The period held more places than one listing reads: the oldest days
    /// were left out.
    pub truncated: bool,
    /// When the clusters shown were computed, if not just now.
    pub computed_at: Option<String>,
}

/// The clusters among the places visited in the period (supervisors and
/// admins).
#[server(endpoint = "staff/clusters")]
pub async fn load_clusters(
    #[server(default)] from: String,
    #[server(default)] to: String,
    #[server(default)] zone: String,
) -> Result<Desk<ClustersView>, AppError> {
    use super::auth::StaffContext;
    use relais::roles::StaffRole;
    use relais_store::audit::{record, AuditAction, AuditEntry};
    let ctx = StaffContext::require(StaffRole::Supervisor).await?;
    let me = ctx.me();
    let zones = super::supervision::zone_choices(&ctx).await?;
    let filters = PeriodFilters { from, to, zone };
    let found = super::supervision::period_of(&ctx.db, &filters)
        .and_then(|p| Ok((p, super::supervision::scope_of(&ctx, &filters.zone)?)));
    let (period, scope) = match found {
        Ok(found) => found,
        Err(errors) => {
            return Ok(Desk {
                me,
                data: ClustersView {
                    filters,
                    zones,
                    errors,
                    clusters: Vec::new(),
                    truncated: false,
                    computed_at: None,
                },
            });
        }
    };
    // The form shows the period in force (the default one when it was left
    // empty), the French way.
    let filters = PeriodFilters::of(period, &filters.zone);
    // The default period's clusters are kept by the background job; any
    // other period is computed from the places now.
    let stored = relais_store::clusters::stored(&ctx.db, scope, period).await?;
    let (clusters, truncated, computed_at) = match stored {
        Some((clusters, truncated, at)) => (clusters, truncated, Some(at)),
        None => {
            let (clusters, truncated) =
                relais_store::clusters::compute(&ctx.db, scope, period).await?;
            (clusters, truncated, None)
        }
    };
    let entry = AuditEntry::new(ctx.member.id, AuditAction::ViewClusters)
        .detail(format!("from={} to={}", period.from, period.to));
    record(&ctx.db, &entry).await?;
    Ok(Desk {
        me,
        data: ClustersView {
            filters,
            zones,
            errors: Vec::new(),
            clusters,
            truncated,
            computed_at: computed_at.map(|at| relais_store::paris::instant_text(at, ctx.lang)),
        },
    })
}

#[component]
pub fn ClustersPage() -> impl IntoView {
    let query = use_query_map().get_untracked();
    let filters = PeriodFilters {
        from: query.get("du").unwrap_or_default(),
        to: query.get("au").unwrap_or_default(),
        zone: query.get("zone").unwrap_or_default(),
    };
    desk_page(
        filters,
        |f: PeriodFilters| load_clusters(f.from, f.to, f.zone),
        |lang, _me, data| view! { <ClustersList lang data /> },
    )
}

/// A place kind as the page names it (the case's own words for it).
fn kind_text(lang: Lang, kind: &str) -> String {
    kind.parse::<relais::place_form::PlaceKind>()
        .map(|k| crate::patient::places::place_kind_text(lang, k).to_owned())
        .unwrap_or_else(|_| kind.to_owned())
}

#[component]
fn ClustersList(lang: Lang, data: ClustersView) -> impl IntoView {
    let count = data.clusters.len().to_string();
    let filtered = data.errors.is_empty();
    view! {
        <Title text=tr!(lang, desk.clusters_title) />
        <h1>{tr!(lang, desk.clusters_title)}</h1>
        <p class="supervision-nav"><a href=super::paths::DASHBOARD_PATH>{tr!(lang, desk.fig_title)}</a></p>
        <p class="hint">{tr!(lang, desk.clusters_rule)}" "{data.computed_at.map(|at| fill(tr!(lang, desk.fig_computed), &[at]))}</p>
        <PeriodForm lang action=super::paths::CLUSTERS_PATH filters=data.filters.clone() zones=data.zones.clone() errors=data.errors.clone() />
        {data.truncated.then(|| view! { <p class="warning" role="status">{tr!(lang, desk.clusters_truncated)}</p> })}
        {(filtered && data.clusters.is_empty()).then(|| view! { <p>{tr!(lang, desk.clusters_none)}</p> })}
        {(!data.clusters.is_empty()).then(|| view! {
            <table class="table clusters">
                <caption>{fill(tr!(lang, desk.clusters_count), &[count])}</caption>
                <thead><tr>
                    <th scope="col">{tr!(lang, desk.clusters_place)}</th>
                    <th scope="col">{tr!(lang, desk.clusters_kind)}</th>
                    <th scope="col">{tr!(lang, desk.clusters_town)}</th>
                    <th scope="col">{tr!(lang, desk.clusters_days)}</th>
                    <th scope="col">{tr!(lang, desk.clusters_cases)}</th>
                    <th scope="col">{tr!(lang, desk.clusters_visits)}</th>
                </tr></thead>
                <tbody>
                    {data.clusters.into_iter().map(|c| {
                        let days = if c.first_day == c.last_day {
                            relais::dates::dmy(c.first_day)
                        } else {
                            format!("{} – {}", relais::dates::dmy(c.first_day), relais::dates::dmy(c.last_day))
                        };
                        view! {
                            <tr>
                                <th scope="row">{c.name}</th>
                                <td>{kind_text(lang, &c.kind)}</td>
                                <td>{c.town}</td>
                                <td>{days}</td>
                                <td>{c.cases}</td>
                                <td>{c.visits}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        })}
    }
}
