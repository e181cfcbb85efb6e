//! `/equipe/supervision/entraide`: mutual aid between funds. Each fund's
//! first-call backlog and the age of its oldest case waiting (the national
//! supervisor sees every fund's, to see where help is needed), a form to
//! lend the oldest cases of a département not yet called to another
//! organisation, and the lends with their taking back. Supervisors only; a
//! fund's supervisor lends from its own queue.

use super::view::{desk_page, Desk};
use crate::error::AppError;
use crate::i18n::fill;
use crate::tr;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use relais::Lang;
use serde::{Deserialize, Serialize};

/// One fund's backlog, as shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BacklogView {
    pub name: String,
    /// "1234" or "10000+".
    pub waiting: String,
    /// The oldest waiting case's sample date and its age in days.
    pub oldest: Option<(String, i64)>,
}

/// One lend, as listed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LendView {
    pub id: relais::ids::LendId,
    pub from: String,
    pub to: String,
    pub departement: String,
    pub asked: i64,
    pub lent: i64,
    pub still_lent: i64,
    pub taken_back: i64,
    pub made: String,
    /// A share of new cases: the share (per cent) and the end of the period.
    pub share: Option<(i64, String)>,
    /// A share that still lends new cases (its period runs, not taken back).
    pub share_running: bool,
}

/// The mutual-aid page's data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MutualAidView {
    pub backlogs: Vec<BacklogView>,
    pub lends: Vec<LendView>,
    /// What may be lent: `("org id:département", "Fund — 60 Oise")`.
    pub sources: Vec<(String, String)>,
    /// Who may receive: `(org id, name)`.
    pub helpers: Vec<(String, String)>,
}

/// Lends listed at most.
pub const LENDS_SHOWN: i64 = 100;

/// The mutual-aid page (supervisors and admins).
#[server(endpoint = "staff/mutual-aid")]
pub async fn load_mutual_aid() -> Result<Desk<MutualAidView>, AppError> {
    use super::auth::StaffContext;
    use relais::roles::StaffRole;
    use relais_store::lends::{backlogs, list, BACKLOG_CAP};
    let ctx = StaffContext::require(StaffRole::Supervisor).await?;
    let lang = ctx.lang;
    let member = ctx.member.membership;
    let today = ctx.db.today_paris();
    let now = ctx.db.now();
    let backlogs = backlogs(&ctx.db, member)
        .await?
        .into_iter()
        .map(|b| BacklogView {
            name: b.name,
            waiting: if b.waiting >= BACKLOG_CAP {
                format!("{BACKLOG_CAP}+")
            } else {
                b.waiting.to_string()
            },
            oldest: b.oldest.map(|d| {
                (
                    relais::dates::long_date(d, lang),
                    (today - d).whole_days().max(0),
                )
            }),
        })
        .collect();
    let lends = list(&ctx.db, member, LENDS_SHOWN)
        .await?
        .into_iter()
        .map(|l| LendView {
            id: l.id,
            from: l.from_name,
            to: l.to_name,
            departement: l.departement,
            asked: l.asked,
            lent: l.lent,
            still_lent: l.still_lent,
            taken_back: l.taken_back,
            made: relais_store::paris::instant_text(l.created_at, lang),
            share_running: l.share.is_some()
                && l.taken_back_at.is_none()
                && l.until_at.is_some_and(|until| until > now),
            share: l
                .share
                .zip(l.until_at)
                .map(|(share, until)| (share, relais_store::paris::instant_text(until, lang))),
        })
        .collect();
    let organisations = relais_store::organisations::list(&ctx.db).await?;
    let territories = relais_store::territories::load_territories(&ctx.db).await?;
    let mut sources = Vec::new();
    for org in organisations
        .iter()
        .filter(|o| o.kind == relais::organisation::OrganisationKind::Fund)
        .filter(|o| member.kind.is_national() || o.id == member.organisation)
    {
        for code in &org.departements {
            let name = territories
                .departement(*code)
                .map(|d| d.name.clone())
                .unwrap_or_default();
            sources.push((
                format!("{}:{}", org.id, code),
                format!("{} — {} {}", org.name, code, name),
            ));
        }
    }
    let helpers = organisations
        .iter()
        .filter(|o| !o.kind.is_national())
        .map(|o| (o.id.to_string(), o.name.clone()))
        .collect();
    Ok(Desk {
        me: ctx.me(),
        data: MutualAidView {
            backlogs,
            lends,
            sources,
            helpers,
        },
    })
}

/// What both lending forms share: the supervisor, the queue lent from
/// (`source`) and the organisation that helps.
#[cfg(feature = "ssr")]
struct LendForm {
    reply: super::actions::Reply,
    ctx: super::auth::StaffContext,
    from: relais::ids::OrganisationId,
    departement: relais::territory::DepartementCode,
    to: relais::ids::OrganisationId,
}

#[cfg(feature = "ssr")]
impl LendForm {
    /// Checks the role and reads `source` and `helper`; `None` when refused
    /// or unreadable (answered).
    async fn open(source: &str, helper: &str) -> Result<Option<LendForm>, AppError> {
        use super::actions::{staff_with, Reply};
        let reply = Reply::capture();
        let Some(ctx) = staff_with(&reply, relais::roles::StaffRole::Supervisor).await? else {
            return Ok(None);
        };
        let Some((from, departement)) = parse_source(source) else {
            reply.redirect(&back("erreur=source"));
            return Ok(None);
        };
        let Ok(to) = helper.parse() else {
            reply.redirect(&back("erreur=helper"));
            return Ok(None);
        };
        Ok(Some(LendForm {
            reply,
            ctx,
            from,
            departement,
            to,
        }))
    }

    /// Back to the page, saying what became of the lend.
    fn answer(
        &self,
        outcome: Result<String, relais_store::lends::LendError>,
    ) -> Result<(), AppError> {
        use relais_store::lends::LendError;
        match outcome {
            Ok(ok) => self.reply.redirect(&back(&ok)),
            Err(LendError::NotAllowed) if self.from == self.to => {
                self.reply.redirect(&back("erreur=same"))
            }
            Err(LendError::NotAllowed | LendError::NotCovered | LendError::UnknownOrganisation) => {
                self.reply.redirect(&back("erreur=source"))
            }
            Err(LendError::Store(e)) => return Err(e.into()),
        }
        Ok(())
    }
}

/// The mutual-aid page with `query`.
#[cfg(feature = "ssr")]
fn back(query: &str) -> String {
    format!("{}?{query}", super::paths::MUTUAL_AID_PATH)
}

/// Lends the oldest cases not yet called of a fund's département to another
/// organisation (supervisors: a national one any fund's, a fund's its own).
#[server(endpoint = "staff/lend")]
pub async fn lend_cases(
    #[server(default)] source: String,
    #[server(default)] helper: String,
    #[server(default)] count: String,
) -> Result<(), AppError> {
    use relais_store::lends::{lend, LendRequest};
    let Some(form) = LendForm::open(&source, &helper).await? else {
        return Ok(());
    };
    let Ok(count) = relais::organisation::parse_lend_size(&count) else {
        form.reply.redirect(&back("erreur=count"));
        return Ok(());
    };
    let request = LendRequest {
        from: form.from,
        to: form.to,
        departement: form.departement,
        count,
    };
    let ctx = &form.ctx;
    let outcome = lend(&ctx.db, ctx.member.id, ctx.member.membership, request)
        .await
        .map(|(id, moved)| {
            tracing::info!(
                staff_user_id = ctx.member.id.get(),
                lend = id.get(),
                moved,
                "cases lent"
            );
            format!("ok=lent&n={moved}")
        });
    form.answer(outcome)
}

/// Lends a share of the new cases of a fund's département to another
/// organisation for a number of days (supervisors, as for a lend of the
/// backlog).
#[server(endpoint = "staff/lend-share")]
pub async fn lend_share_cases(
    #[server(default)] source: String,
    #[server(default)] helper: String,
    #[server(default)] share: String,
    #[server(default)] days: String,
) -> Result<(), AppError> {
    use relais_store::lends::{lend_share, ShareRequest};
    let Some(form) = LendForm::open(&source, &helper).await? else {
        return Ok(());
    };
    let Ok(share) = relais::organisation::parse_share(&share) else {
        form.reply.redirect(&back("erreur=share"));
        return Ok(());
    };
    let Ok(days) = relais::organisation::parse_share_days(&days) else {
        form.reply.redirect(&back("erreur=days"));
        return Ok(());
    };
    let request = ShareRequest {
        from: form.from,
        to: form.to,
        departement: form.departement,
        share,
        days,
    };
    let ctx = &form.ctx;
    let outcome = lend_share(&ctx.db, ctx.member.id, ctx.member.membership, request)
        .await
        .map(|id| {
            tracing::info!(
                staff_user_id = ctx.member.id.get(),
                lend = id.get(),
                share,
                days,
                "share of new cases lent"
            );
            format!("ok=share&n={share}")
        });
    form.answer(outcome)
}

/// A lending form's `source`: `<organisation id>:<département>`.
#[cfg(feature = "ssr")]
fn parse_source(
    source: &str,
) -> Option<(
    relais::ids::OrganisationId,
    relais::territory::DepartementCode,
)> {
    source.split_once(':').and_then(|(org, dep)| {
        Some((
            org.parse().ok()?,
            relais::territory::DepartementCode::parse(dep).ok()?,
        ))
    })
}

/// Takes a lend back: its cases not yet opened by the helping team return.
#[server(endpoint = "staff/take-back")]
pub async fn take_back_lend(#[server(default)] lend: String) -> Result<(), AppError> {
    use super::actions::{staff_with, Reply};
    let reply = Reply::capture();
    let Some(ctx) = staff_with(&reply, relais::roles::StaffRole::Supervisor).await? else {
        return Ok(());
    };
    let Ok(lend) = lend.parse::<relais::ids::LendId>() else {
        reply.redirect(&back("erreur=lend"));
        return Ok(());
    };
    match relais_store::lends::take_back(&ctx.db, ctx.member.id, ctx.member.membership, lend)
        .await?
    {
        Some(n) => reply.redirect(&back(&format!("ok=back&n={n}"))),
        None => reply.redirect(&back("erreur=lend")),
    }
    Ok(())
}

#[component]
pub fn MutualAidPage() -> impl IntoView {
    desk_page(
        (),
        |()| load_mutual_aid(),
        |lang, _me, data| {
            view! { <MutualAidView lang data /> }
        },
    )
}

/// The message of what the last action did (`ok=…&n=…` or `erreur=…`).
fn outcome(lang: Lang) -> Option<(bool, String)> {
    let query = use_query_map().get_untracked();
    let n = query.get("n").unwrap_or_default();
    if let Some(ok) = query.get("ok") {
        let text = match ok.as_str() {
            "lent" => fill(tr!(lang, desk.aid_ok_lent), &[n]),
            "share" => fill(tr!(lang, desk.aid_ok_share), &[n]),
            _ => fill(tr!(lang, desk.aid_ok_back), &[n]),
        };
        return Some((true, text));
    }
    query.get("erreur").map(|e| {
        let text = match e.as_str() {
            "count" => tr!(lang, desk.aid_error_count),
            "share" => tr!(lang, desk.aid_error_share),
            "days" => tr!(lang, desk.aid_error_days),
            "same" => tr!(lang, desk.aid_error_same),
            "helper" => tr!(lang, desk.aid_error_helper),
            "lend" => tr!(lang, desk.aid_error_lend),
            _ => tr!(lang, desk.aid_error_source),
        };
        (false, text.to_owned())
    })
}

#[component]
fn MutualAidView(lang: Lang, data: MutualAidView) -> impl IntoView {
    let (share_sources, share_helpers) = (data.sources.clone(), data.helpers.clone());
    let message = outcome(lang).map(|(ok, text)| {
        if ok {
            view! { <p class="panel panel-ok" role="status">{text}</p> }.into_any()
        } else {
            view! { <p class="warning" role="alert">{text}</p> }.into_any()
        }
    });
    view! {
        <Title text=tr!(lang, desk.aid_title) />
        <h1>{tr!(lang, desk.aid_title)}</h1>
        <p class="supervision-nav"><a href=super::paths::DASHBOARD_PATH>{tr!(lang, desk.fig_title)}</a></p>
        {message}
        <h2>{tr!(lang, desk.aid_backlog_title)}</h2>
        {if data.backlogs.is_empty() {
            view! { <p>{tr!(lang, desk.aid_no_fund)}</p> }.into_any()
        } else {
            view! {
                <table class="table" id="backlogs">
                    <caption class="visually-hidden">{tr!(lang, desk.aid_backlog_title)}</caption>
                    <thead><tr>
                        <th scope="col">{tr!(lang, desk.aid_col_fund)}</th>
                        <th scope="col">{tr!(lang, desk.aid_col_waiting)}</th>
                        <th scope="col">{tr!(lang, desk.aid_col_oldest)}</th>
                    </tr></thead>
                    <tbody>
                        {data.backlogs.into_iter().map(|b| view! {
                            <tr>
                                <th scope="row">{b.name}</th>
                                <td>{b.waiting}</td>
                                <td>{match b.oldest {
                                    Some((date, days)) => fill(tr!(lang, desk.aid_oldest), &[date, days.to_string()]),
                                    None => tr!(lang, desk.aid_none_waiting).to_owned(),
                                }}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            }.into_any()
        }}
        {(!data.sources.is_empty()).then(|| view! {
            <h2>{tr!(lang, desk.aid_lend_title)}</h2>
            <p class="hint">{tr!(lang, desk.aid_lend_hint)}</p>
            <form method="post" action=LendCases::PATH class="filters">
                <div class="form-group">
                    <label class="label" for="source">{tr!(lang, desk.aid_source)}</label>
                    <select class="select" id="source" name="source">
                        {data.sources.into_iter().map(|(value, label)| view! { <option value=value>{label}</option> }).collect_view()}
                    </select>
                </div>
                <div class="form-group">
                    <label class="label" for="helper">{tr!(lang, desk.aid_helper)}</label>
                    <select class="select" id="helper" name="helper">
                        {data.helpers.into_iter().map(|(value, label)| view! { <option value=value>{label}</option> }).collect_view()}
                    </select>
                </div>
                <div class="form-group">
                    <label class="label" for="count">{tr!(lang, desk.aid_count)}</label>
                    <p class="hint" id="count-hint">{tr!(lang, desk.aid_count_hint)}</p>
                    <input class="input input-short" id="count" name="count" inputmode="numeric" required aria-describedby="count-hint" />
                </div>
                <button type="submit" class="button">{tr!(lang, desk.aid_lend_button)}</button>
            </form>
            <h2>{tr!(lang, desk.aid_share_title)}</h2>
            <p class="hint">{tr!(lang, desk.aid_share_hint)}</p>
            <form method="post" action=LendShareCases::PATH class="filters">
                <div class="form-group">
                    <label class="label" for="share-source">{tr!(lang, desk.aid_share_source)}</label>
                    <select class="select" id="share-source" name="source">
                        {share_sources.into_iter().map(|(value, label)| view! { <option value=value>{label}</option> }).collect_view()}
                    </select>
                </div>
                <div class="form-group">
                    <label class="label" for="share-helper">{tr!(lang, desk.aid_share_helper)}</label>
                    <select class="select" id="share-helper" name="helper">
                        {share_helpers.into_iter().map(|(value, label)| view! { <option value=value>{label}</option> }).collect_view()}
                    </select>
                </div>
                <div class="form-group">
                    <label class="label" for="share">{tr!(lang, desk.aid_share)}</label>
                    <p class="hint" id="share-hint">{tr!(lang, desk.aid_share_field_hint)}</p>
                    <input class="input input-short" id="share" name="share" inputmode="numeric" required aria-describedby="share-hint" />
                </div>
                <div class="form-group">
                    <label class="label" for="days">{tr!(lang, desk.aid_days)}</label>
                    <p class="hint" id="days-hint">{tr!(lang, desk.aid_days_hint)}</p>
                    <input class="input input-short" id="days" name="days" inputmode="numeric" required aria-describedby="days-hint" />
                </div>
                <button type="submit" class="button">{tr!(lang, desk.aid_share_button)}</button>
            </form>
        })}
        <h2>{tr!(lang, desk.aid_lends_title)}</h2>
        {if data.lends.is_empty() {
            view! { <p>{tr!(lang, desk.aid_no_lend)}</p> }.into_any()
        } else {
            view! {
                <table class="table" id="lends">
                    <caption class="visually-hidden">{tr!(lang, desk.aid_lends_title)}</caption>
                    <thead><tr>
                        <th scope="col">{tr!(lang, desk.aid_col_made)}</th>
                        <th scope="col">{tr!(lang, desk.aid_col_from)}</th>
                        <th scope="col">{tr!(lang, desk.aid_col_to)}</th>
                        <th scope="col">{tr!(lang, desk.aid_col_cases)}</th>
                        <th scope="col">{tr!(lang, desk.aid_col_action)}</th>
                    </tr></thead>
                    <tbody>
                        {data.lends.into_iter().map(|l| {
                            let cases = match &l.share {
                                Some((share, until)) => fill(
                                    tr!(lang, desk.aid_share_cases),
                                    &[share.to_string(), until.clone(), l.lent.to_string(), l.still_lent.to_string(), l.taken_back.to_string()],
                                ),
                                None => fill(
                                    tr!(lang, desk.aid_cases),
                                    &[l.lent.to_string(), l.asked.to_string(), l.still_lent.to_string(), l.taken_back.to_string()],
                                ),
                            };
                            let open = l.still_lent > 0 || l.share_running;
                            view! {
                                <tr>
                                    <td>{l.made}</td>
                                    <td>{format!("{} ({})", l.from, l.departement)}</td>
                                    <td>{l.to.clone()}</td>
                                    <td>{cases}</td>
                                    <td>{open.then(|| view! {
                                        <form method="post" action=TakeBackLend::PATH class="inline-form">
                                            <input type="hidden" name="lend" value=l.id.to_string() />
                                            <button type="submit" class="button button-secondary">{tr!(lang, desk.aid_take_back)}<span class="visually-hidden">" "{l.to}</span></button>
                                        </form>
                                    })}</td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            }.into_any()
        }}
    }
}
