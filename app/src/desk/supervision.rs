//! The supervisors' dashboard (`/equipe/supervision`): the figures of a
//! chosen period, by day and in total, as SVG charts, an accessible table
//! and a CSV download. It reads only the pre-aggregated daily rows
//! (`store::figures`), never the cases themselves: no personal data, and
//! the same speed with a million cases.

use super::charts::{BarSvg, ChartHead, LineSvg};
use super::view::{desk_page, href_with, Desk};
use crate::citizen::fields::TextField;
use crate::error::AppError;
use crate::i18n::fill;
use crate::tr;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use relais::figures::{
    bar_chart, decimal_text, hours_text, percent_text, share_chart, DayFigures, Summary,
};
use relais::Lang;
use serde::{Deserialize, Serialize};

pub const CSV_PATH: &str = "/equipe/supervision/chiffres.csv";

/// The period as typed (`du`, `au`), and the part of the country (`zone`:
/// empty for all the scope covers, `r32` a région, `80` a département).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PeriodFilters {
    pub from: String,
    pub to: String,
    #[serde(default)]
    pub zone: String,
}

impl PeriodFilters {
    /// The filters naming `period` (and `zone`), as the form shows dates
    /// (01/12/2026).
    pub fn of(period: relais::figures::Period, zone: &str) -> PeriodFilters {
        PeriodFilters {
            from: relais::dates::dmy(period.from),
            to: relais::dates::dmy(period.to),
            zone: zone.to_owned(),
        }
    }
}

/// The zones a member may narrow the figures to, as `(value, label)`:
/// the régions and départements for the national organisation, the
/// départements covered for an organisation covering more than one, none
/// otherwise.
#[cfg(feature = "ssr")]
pub async fn zone_choices(
    ctx: &super::auth::StaffContext,
) -> Result<Vec<(String, String)>, AppError> {
    use relais::territory::Zone;
    let lang = ctx.lang;
    let territories = relais_store::territories::load_territories(&ctx.db).await?;
    let departement = |d: &relais::territory::Departement| {
        (
            Zone::Departement(d.code).param(),
            format!("{} — {}", d.code, d.name),
        )
    };
    if ctx.member.membership.kind.is_national() {
        let mut zones = Vec::new();
        for region in territories.regions() {
            zones.push((
                Zone::Region(region.code).param(),
                fill(
                    tr!(lang, desk.zone_region),
                    std::slice::from_ref(&region.name),
                ),
            ));
        }
        zones.extend(territories.departements().iter().map(departement));
        return Ok(zones);
    }
    let covered = relais_store::scope::covered_departements(&ctx.db, ctx.scope()).await?;
    if covered.len() < 2 {
        return Ok(Vec::new());
    }
    Ok(covered
        .into_iter()
        .filter_map(|code| territories.departement(code).map(departement))
        .collect())
}

/// The member's scope narrowed to the zone typed, or the error code of a
/// zone that names nothing.
#[cfg(feature = "ssr")]
pub fn scope_of(
    ctx: &super::auth::StaffContext,
    zone: &str,
) -> Result<relais_store::scope::Scope, Vec<(String, String)>> {
    relais::territory::Zone::parse(zone)
        .map(|zone| ctx.scope().narrowed(zone))
        .map_err(|_| vec![("zone".to_owned(), "bad_zone".to_owned())])
}

/// The dashboard's data.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DashboardView {
    pub filters: PeriodFilters,
    /// The zones the figures may be narrowed to (none: the form has no
    /// choice of zone).
    pub zones: Vec<(String, String)>,
    /// `(field, message code)` of each part of the period that is wrong.
    pub errors: Vec<(String, String)>,
    /// Every day of the period, in order (days without figures are zeros).
    pub days: Vec<DayFigures>,
    pub summary: Option<Summary>,
    /// When the freshest figure shown was computed.
    pub computed_at: Option<String>,
    /// Support during isolation, in the same period and zone.
    pub support: Option<super::support_figures::SupportFiguresView>,
}

/// The period's error as a message code.
pub fn period_error_code(error: relais::figures::PeriodError) -> &'static str {
    use relais::figures::PeriodError;
    match error {
        PeriodError::NotADate(_) => "bad_date",
        PeriodError::EndsBeforeStart => "bad_period",
        PeriodError::TooLong => "too_long",
    }
}

/// The period the filters name (today's in Europe/Paris by default), or
/// each problem as `(field, message code)`.
#[cfg(feature = "ssr")]
pub fn period_of(
    db: &relais_store::Db,
    filters: &PeriodFilters,
) -> Result<relais::figures::Period, Vec<(String, String)>> {
    let today = db.today_paris();
    relais::figures::parse_period(&filters.from, &filters.to, today).map_err(|errors| {
        errors
            .into_iter()
            .map(|e| (e.field().to_owned(), period_error_code(e).to_owned()))
            .collect()
    })
}

/// The figures of the chosen period (supervisors and admins).
#[server(endpoint = "staff/figures")]
pub async fn load_dashboard(
    #[server(default)] from: String,
    #[server(default)] to: String,
    #[server(default)] zone: String,
) -> Result<Desk<DashboardView>, AppError> {
    use super::auth::StaffContext;
    use relais::roles::StaffRole;
    let ctx = StaffContext::require(StaffRole::Supervisor).await?;
    let me = ctx.me();
    let zones = zone_choices(&ctx).await?;
    let filters = PeriodFilters { from, to, zone };
    let found = period_of(&ctx.db, &filters).and_then(|p| Ok((p, scope_of(&ctx, &filters.zone)?)));
    let (period, scope) = match found {
        Ok(found) => found,
        Err(errors) => {
            return Ok(Desk {
                me,
                data: DashboardView {
                    filters,
                    zones,
                    errors,
                    days: Vec::new(),
                    summary: None,
                    computed_at: None,
                    support: None,
                },
            });
        }
    };
    // The form shows the period in force (the default one when it was left
    // empty), the French way.
    let filters = PeriodFilters::of(period, &filters.zone);
    let (days, computed_at) = relais_store::figures::of_period(&ctx.db, scope, period).await?;
    let summary = Summary::of(period.from, period.to, &days);
    let support = relais_store::support::figures(&ctx.db, scope, period.from, period.to).await?;
    Ok(Desk {
        me,
        data: DashboardView {
            filters,
            zones,
            errors: Vec::new(),
            days,
            summary: Some(summary),
            computed_at: computed_at.map(|at| relais_store::paris::instant_text(at, ctx.lang)),
            support: Some(super::support_figures::SupportFiguresView::of(support)),
        },
    })
}

#[component]
pub fn DashboardPage() -> impl IntoView {
    let query = use_query_map().get_untracked();
    let filters = PeriodFilters {
        from: query.get("du").unwrap_or_default(),
        to: query.get("au").unwrap_or_default(),
        zone: query.get("zone").unwrap_or_default(),
    };
    desk_page(
        filters,
        |f: PeriodFilters| load_dashboard(f.from, f.to, f.zone),
        |lang, _me, data| view! { <DashboardView lang data /> },
    )
}

/// The message of a period error's code.
pub fn period_error_text(lang: Lang, code: &str) -> &'static str {
    match code {
        "bad_date" => tr!(lang, desk.audit_bad_date),
        "bad_period" => tr!(lang, desk.audit_bad_period),
        "bad_zone" => tr!(lang, desk.zone_bad),
        _ => tr!(lang, desk.fig_too_long),
    }
}

/// The period form, shared by the dashboard and the clusters.
#[component]
pub fn PeriodForm(
    lang: Lang,
    action: &'static str,
    filters: PeriodFilters,
    zones: Vec<(String, String)>,
    errors: Vec<(String, String)>,
) -> impl IntoView {
    let error_of = |field: &str| {
        errors
            .iter()
            .find(|(f, _)| f == field)
            .map(|(_, code)| period_error_text(lang, code).to_owned())
    };
    view! {
        <form method="get" action=action class="filters" role="search">
            <TextField id="du" name="du" label=tr!(lang, desk.audit_from).into() hint=tr!(lang, desk.audit_date_hint).into() value=filters.from.clone() error=error_of("from") maxlength=10 />
            <TextField id="au" name="au" label=tr!(lang, desk.audit_to).into() hint=tr!(lang, desk.audit_date_hint).into() value=filters.to.clone() error=error_of("to") maxlength=10 />
            {(!zones.is_empty()).then(|| {
                let zone_error = error_of("zone");
                let has_error = zone_error.is_some();
                view! {
                    <div class="form-group" class:form-group-error=has_error>
                        <label class="label" for="zone">{tr!(lang, desk.zone_label)}</label>
                        {zone_error.map(|e| view! { <p class="error-message" id="zone-error">{e}</p> })}
                        <select class="select" id="zone" name="zone">
                            <option value="" selected=filters.zone.is_empty()>{tr!(lang, desk.zone_all)}</option>
                            {zones.into_iter().map(|(value, label)| {
                                let selected = value == filters.zone;
                                view! { <option value=value selected=selected>{label}</option> }
                            }).collect_view()}
                        </select>
                    </div>
                }
            })}
            <button type="submit" class="button">{tr!(lang, desk.audit_show)}</button>
        </form>
    }
}

#[component]
fn DashboardView(lang: Lang, data: DashboardView) -> impl IntoView {
    let csv_href = href_with(
        CSV_PATH,
        &[
            ("du", &data.filters.from),
            ("au", &data.filters.to),
            ("zone", &data.filters.zone),
        ],
    );
    view! {
        <Title text=tr!(lang, desk.fig_title) />
        <h1>{tr!(lang, desk.fig_title)}</h1>
        <p class="supervision-nav"><a href=super::paths::CLUSTERS_PATH>{tr!(lang, desk.clusters_title)}</a>" · "<a href=super::paths::MUTUAL_AID_PATH>{tr!(lang, desk.aid_title)}</a></p>
        <PeriodForm lang action=super::paths::DASHBOARD_PATH filters=data.filters.clone() zones=data.zones.clone() errors=data.errors.clone() />
        <p class="hint">{tr!(lang, desk.fig_cohort)}" "{data.computed_at.map(|at| fill(tr!(lang, desk.fig_computed), &[at]))}</p>
        {data.summary.map(|summary| view! {
            <SummaryTable lang summary />
            <p><a class="button button-secondary" href=csv_href download="relais-chiffres.csv">{tr!(lang, desk.fig_csv)}</a></p>
            {data.support.clone().map(|figures| view! { <super::support_figures::SupportFiguresTable lang figures /> })}
            <Charts lang days=data.days.clone() />
            <DaysTable lang days=data.days />
        })}
    }
}

/// The totals of the period.
#[component]
fn SummaryTable(lang: Lang, summary: Summary) -> impl IntoView {
    let t = &summary.totals;
    let n = |v: u64| v.to_string();
    let rows: Vec<(&'static str, String)> = vec![
        (tr!(lang, desk.fig_cases), n(t.cases)),
        (tr!(lang, desk.fig_declared), n(t.contacts_declared)),
        (tr!(lang, desk.fig_validated), n(t.contacts_validated)),
        (
            tr!(lang, desk.fig_per_case),
            decimal_text(summary.contacts_per_case(), lang),
        ),
        (
            tr!(lang, desk.fig_listed_before),
            percent_text(summary.share_listed_before_call(), lang),
        ),
        (
            tr!(lang, desk.fig_cases_reached),
            percent_text(summary.share_cases_reached(), lang),
        ),
        (
            tr!(lang, desk.fig_contacts_reached),
            percent_text(summary.share_contacts_reached(), lang),
        ),
        (
            tr!(lang, desk.fig_sample_to_call),
            format!(
                "{} / {}",
                hours_text(t.sample_to_call.median(), lang),
                hours_text(t.sample_to_call.p90(), lang)
            ),
        ),
        (
            tr!(lang, desk.fig_call_to_notified),
            format!(
                "{} / {}",
                hours_text(t.call_to_notified.median(), lang),
                hours_text(t.call_to_notified.p90(), lang)
            ),
        ),
        (tr!(lang, desk.fig_no_contact), n(t.cases_without_contact)),
        (tr!(lang, desk.fig_second_calls), n(t.second_calls)),
        (tr!(lang, desk.fig_sms_sent), n(t.sms_sent)),
        (tr!(lang, desk.fig_sms_failed), n(t.sms_failed)),
        (tr!(lang, desk.fig_sms_replied), n(t.sms_replied)),
    ];
    let caption = fill(
        tr!(lang, desk.fig_period),
        &[
            relais::dates::long_date(summary.from, lang),
            relais::dates::long_date(summary.to, lang),
        ],
    );
    view! {
        <table class="table figures-summary" id="period-figures">
            <caption>{caption}</caption>
            <tbody>
                {rows.into_iter().map(|(label, value)| view! {
                    <tr><th scope="row">{label}</th><td>{value}</td></tr>
                }).collect_view()}
            </tbody>
        </table>
    }
}

#[component]
fn Charts(lang: Lang, days: Vec<DayFigures>) -> impl IntoView {
    let dates: Vec<_> = days.iter().map(|d| d.day).collect();
    let column = |f: fn(&DayFigures) -> u64| days.iter().map(f).collect::<Vec<u64>>();
    let (w, h) = (640.0, 240.0);
    let cases = bar_chart(&dates, &[column(|d| d.cases)], w, h);
    let contacts = bar_chart(
        &dates,
        &[
            column(|d| d.contacts_declared),
            column(|d| d.contacts_validated),
        ],
        w,
        h,
    );
    let sms = bar_chart(
        &dates,
        &[
            column(|d| d.sms_sent),
            column(|d| d.sms_failed),
            column(|d| d.sms_replied),
        ],
        w,
        h,
    );
    let shares = share_chart(
        &dates,
        &[
            days.iter().map(DayFigures::share_cases_reached).collect(),
            days.iter()
                .map(DayFigures::share_contacts_reached)
                .collect(),
            days.iter()
                .map(DayFigures::share_listed_before_call)
                .collect(),
        ],
        w,
        h,
    );
    let head = |id: &'static str, title: &'static str, names: &[&'static str]| ChartHead {
        id,
        title: title.to_owned(),
        description: tr!(lang, desk.fig_chart_desc).to_owned(),
        names: names.iter().map(|n| (*n).to_owned()).collect(),
    };
    let (cases_head, contacts_head, shares_head, sms_head) = (
        head(
            "chart-cases",
            tr!(lang, desk.fig_chart_cases),
            &[tr!(lang, desk.fig_cases)],
        ),
        head(
            "chart-contacts",
            tr!(lang, desk.fig_chart_contacts),
            &[tr!(lang, desk.fig_declared), tr!(lang, desk.fig_validated)],
        ),
        head(
            "chart-shares",
            tr!(lang, desk.fig_chart_shares),
            &[
                tr!(lang, desk.fig_cases_reached),
                tr!(lang, desk.fig_contacts_reached),
                tr!(lang, desk.fig_listed_before),
            ],
        ),
        head(
            "chart-sms",
            tr!(lang, desk.fig_chart_sms),
            &[
                tr!(lang, desk.fig_sms_sent),
                tr!(lang, desk.fig_sms_failed),
                tr!(lang, desk.fig_sms_replied),
            ],
        ),
    );
    view! {
        <section class="charts" aria-label=tr!(lang, desk.fig_charts)>
            <BarSvg head=cases_head chart=cases />
            <BarSvg head=contacts_head chart=contacts />
            <LineSvg head=shares_head chart=shares />
            <BarSvg head=sms_head chart=sms />
        </section>
    }
}

/// The figures of each day, the charts' numbers.
#[component]
fn DaysTable(lang: Lang, days: Vec<DayFigures>) -> impl IntoView {
    let headers = [
        tr!(lang, desk.fig_day),
        tr!(lang, desk.fig_cases),
        tr!(lang, desk.fig_declared),
        tr!(lang, desk.fig_validated),
        tr!(lang, desk.fig_per_case),
        tr!(lang, desk.fig_listed_before),
        tr!(lang, desk.fig_cases_reached),
        tr!(lang, desk.fig_contacts_reached),
        tr!(lang, desk.fig_no_contact),
        tr!(lang, desk.fig_second_calls),
        tr!(lang, desk.fig_sample_to_call),
        tr!(lang, desk.fig_call_to_notified),
        tr!(lang, desk.fig_sms_sent),
        tr!(lang, desk.fig_sms_failed),
        tr!(lang, desk.fig_sms_replied),
    ];
    view! {
        <div class="table-scroll" tabindex="0" role="region" aria-labelledby="days-caption">
            <table class="table figures-days">
                <caption id="days-caption">{tr!(lang, desk.fig_by_day)}</caption>
                <thead><tr>
                    {headers.into_iter().map(|h| view! { <th scope="col">{h}</th> }).collect_view()}
                </tr></thead>
                <tbody>
                    {days.into_iter().map(|d| {
                        let delay = |h: &relais::figures::Histogram| format!("{} / {}", hours_text(h.median(), lang), hours_text(h.p90(), lang));
                        view! {
                            <tr>
                                <th scope="row">{relais::dates::dmy(d.day)}</th>
                                <td>{d.cases}</td>
                                <td>{d.contacts_declared}</td>
                                <td>{d.contacts_validated}</td>
                                <td>{decimal_text(d.contacts_per_case(), lang)}</td>
                                <td>{percent_text(d.share_listed_before_call(), lang)}</td>
                                <td>{percent_text(d.share_cases_reached(), lang)}</td>
                                <td>{percent_text(d.share_contacts_reached(), lang)}</td>
                                <td>{d.cases_without_contact}</td>
                                <td>{d.second_calls}</td>
                                <td>{delay(&d.sample_to_call)}</td>
                                <td>{delay(&d.call_to_notified)}</td>
                                <td>{d.sms_sent}</td>
                                <td>{d.sms_failed}</td>
                                <td>{d.sms_replied}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}
