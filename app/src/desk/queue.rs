//! `/equipe`: the cases waiting for a call. The first-call queue is ordered
//! by sample date, oldest first, each ready list marked; the second-call
//! queue holds cases reached once with no contact declared and calls not
//! answered, by the time to call back. Filters and a search (reference,
//! phone, name) are a plain GET form; pages follow a keyset cursor.

use super::view::{desk_page, Desk};
use crate::error::AppError;
use crate::i18n::fill;
use crate::tr;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use relais::status::CaseStatus;
use relais::Lang;
use serde::{Deserialize, Serialize};

/// The query of the queue page, as in its URL.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct QueueParams {
    /// `premier` (default) or `second`.
    pub file: String,
    pub statut: String,
    /// `prete`, `attente` or empty.
    pub liste: String,
    /// `1` for locked links only.
    pub verrou: String,
    pub q: String,
    pub apres: String,
}

/// One case as the queue shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueueItem {
    pub id: relais::ids::CaseId,
    pub reference: String,
    pub name: String,
    pub phone: String,
    pub sample_date: String,
    pub status: CaseStatus,
    pub list_ready: bool,
    pub locked: bool,
    pub call_back: Option<String>,
    pub due: bool,
    pub contacts: i64,
    /// Mutual aid: "lent to your team" or "lent to <organisation>".
    pub lent: Option<String>,
}

/// A page of the queue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueueView {
    pub params: QueueParams,
    pub second: bool,
    pub items: Vec<QueueItem>,
    pub next: Option<String>,
    /// First queue, second queue, second calls due: "1000+" past the cap.
    pub counts: (String, String, String),
    pub search_invalid: bool,
    /// The search found more than a page: refine it.
    pub more_found: bool,
}

/// A page of a queue, for a tracer (or any staff member).
#[server(endpoint = "staff/queue")]
pub async fn load_queue(
    #[server(default)] params: QueueParams,
) -> Result<Desk<QueueView>, AppError> {
    use super::auth::StaffContext;
    use relais::desk::calls::Queue;
    use relais::desk::queue::{parse_search, Cursor, Search, PAGE_SIZE};
    use relais_store::audit::{record, AuditAction, AuditEntry};
    use relais_store::desk::queue::{queue_page_and_counts, Lookup, QueueQuery};
    let ctx = StaffContext::require(relais::roles::StaffRole::Tracer).await?;
    let second = params.file == "second";
    let search = params.q.trim();
    let lookup = match parse_search(search) {
        Some(Search::Reference(r)) => Some(Lookup::Reference(r)),
        Some(Search::Phone(p)) => relais::phone::parse_phone(&p)
            .ok()
            .map(|p| Lookup::Phone(p.e164)),
        Some(Search::Name(n)) => Some(Lookup::Name(n)),
        None => None,
    };
    let search_invalid = !search.is_empty() && lookup.is_none();
    let query = QueueQuery {
        queue: if second { Queue::Second } else { Queue::First },
        status: params.statut.parse().ok(),
        list_ready: match params.liste.as_str() {
            "prete" => Some(true),
            "attente" => Some(false),
            _ => None,
        },
        locked_only: params.verrou == "1",
        lookup,
        after: Cursor::decode(&params.apres),
        limit: PAGE_SIZE,
    };
    let scope = ctx.scope();
    let (page, counts) = queue_page_and_counts(&ctx.db, scope, &query).await?;
    record(
        &ctx.db,
        &AuditEntry::new(ctx.member.id, AuditAction::ViewQueue).detail(if search.is_empty() {
            "list"
        } else {
            "search"
        }),
    )
    .await?;
    let now = ctx.db.now();
    let lang = ctx.lang;
    Ok(Desk {
        me: ctx.me(),
        data: QueueView {
            second,
            items: page
                .rows
                .into_iter()
                .map(|r| QueueItem {
                    id: r.id,
                    reference: r.reference,
                    name: r.name,
                    phone: relais::phone::display_phone(&r.phone),
                    sample_date: relais::dates::long_date(r.sample_date, lang),
                    status: r.status,
                    list_ready: r.list_ready,
                    locked: r.locked,
                    due: r.call_back_at.is_some_and(|t| t <= now),
                    call_back: r
                        .call_back_at
                        .filter(|_| r.queue == Queue::Second)
                        .map(|t| relais_store::paris::instant_text(t, lang)),
                    contacts: r.contacts,
                    lent: r.lent_to.map(|(to, name)| {
                        if to == scope.organisation() {
                            tr!(lang, desk.lent_to_us).to_owned()
                        } else {
                            fill(tr!(lang, desk.lent_to), &[name])
                        }
                    }),
                })
                .collect(),
            next: page.next.map(|c| c.encode()),
            more_found: page.more_found,
            counts: (
                count_text(counts.first),
                count_text(counts.second),
                count_text(counts.second_due),
            ),
            params,
            search_invalid,
        },
    })
}

/// A queue's count as the tab shows it: "1000+" once the store stops
/// counting.
#[cfg(feature = "ssr")]
fn count_text(n: i64) -> String {
    use relais_store::desk::queue::COUNT_CAP;
    if n >= COUNT_CAP {
        format!("{COUNT_CAP}+")
    } else {
        n.to_string()
    }
}

#[component]
pub fn QueuePage() -> impl IntoView {
    let query = use_query_map().get_untracked();
    let get = |k: &str| query.get(k).unwrap_or_default();
    let params = QueueParams {
        file: get("file"),
        statut: get("statut"),
        liste: get("liste"),
        verrou: get("verrou"),
        q: get("q"),
        apres: get("apres"),
    };
    desk_page(params, load_queue, |lang, _me, view| {
        view! { <QueueView lang view /> }
    })
}

/// The name of a case status, for the page.
pub fn status_text(lang: Lang, status: CaseStatus) -> &'static str {
    match status {
        CaseStatus::New => tr!(lang, desk.status_new),
        CaseStatus::Declaring => tr!(lang, desk.status_declaring),
        CaseStatus::Submitted => tr!(lang, desk.status_submitted),
        CaseStatus::InProgress => tr!(lang, desk.status_in_progress),
        CaseStatus::Closed => tr!(lang, desk.status_closed),
    }
}

#[component]
fn QueueView(lang: Lang, view: QueueView) -> impl IntoView {
    let p = view.params.clone();
    let tab = |second: bool| {
        let href = if second {
            "/equipe?file=second"
        } else {
            "/equipe"
        };
        let current = (second == view.second).then_some("page");
        let label = if second {
            fill(
                tr!(lang, desk.second_tab),
                &[view.counts.1.clone(), view.counts.2.clone()],
            )
        } else {
            fill(
                tr!(lang, desk.first_tab),
                std::slice::from_ref(&view.counts.0),
            )
        };
        view! { <li><a href=href aria-current=current>{label}</a></li> }
    };
    let next_href = view.next.clone().map(|cursor| {
        super::view::href_with(
            "/equipe",
            &[
                ("apres", &cursor),
                ("file", &p.file),
                ("statut", &p.statut),
                ("liste", &p.liste),
                ("verrou", &p.verrou),
                ("q", &p.q),
            ],
        )
    });

    let title = tr!(lang, desk.queue_title);
    view! {
        <Title text=title />
        <h1>{title}</h1>
        <ul class="tabs">{tab(false)}{tab(true)}</ul>
        <form method="get" action="/equipe" class="filters" role="search">
            {view.second.then(|| view! { <input type="hidden" name="file" value="second" /> })}
            <div class="form-group">
                <label class="label" for="q">{tr!(lang, desk.search_label)}</label>
                <p class="hint" id="q-hint">{tr!(lang, desk.search_hint)}</p>
                <input class="input" id="q" name="q" type="search" value=p.q.clone() aria-describedby="q-hint" />
            </div>
            <div class="form-group">
                <label class="label" for="statut">{tr!(lang, desk.filter_status)}</label>
                <select class="select" id="statut" name="statut">
                    <option value="" selected=p.statut.is_empty()>{tr!(lang, desk.filter_any)}</option>
                    {CaseStatus::ALL.iter().map(|&s| {
                        view! { <option value=s.as_str() selected=p.statut == s.as_str()>{status_text(lang, s)}</option> }
                    }).collect_view()}
                </select>
            </div>
            <div class="form-group">
                <label class="label" for="liste">{tr!(lang, desk.filter_list)}</label>
                <select class="select" id="liste" name="liste">
                    <option value="" selected=p.liste.is_empty()>{tr!(lang, desk.filter_any)}</option>
                    <option value="prete" selected=p.liste == "prete">{tr!(lang, desk.list_ready)}</option>
                    <option value="attente" selected=p.liste == "attente">{tr!(lang, desk.list_not_ready)}</option>
                </select>
            </div>
            <div class="checkbox">
                <input type="checkbox" id="verrou" name="verrou" value="1" checked=p.verrou == "1" />
                <label for="verrou">{tr!(lang, desk.filter_locked)}</label>
            </div>
            <button type="submit" class="button">{tr!(lang, desk.filter_apply)}</button>
        </form>
        {view.search_invalid.then(|| view! { <p class="warning" role="alert">{tr!(lang, desk.search_invalid)}</p> })}
        {view.more_found.then(|| view! { <p class="warning" role="status">{tr!(lang, desk.search_more)}</p> })}
        {if view.items.is_empty() {
            view! { <p class="panel">{tr!(lang, desk.queue_empty)}</p> }.into_any()
        } else {
            view! {
                <table class="table queue-table">
                    <caption class="visually-hidden">{title}</caption>
                    <thead><tr>
                        <th scope="col">{tr!(lang, desk.col_case)}</th>
                        <th scope="col">{tr!(lang, desk.col_sample)}</th>
                        <th scope="col">{tr!(lang, desk.col_phone)}</th>
                        <th scope="col">{tr!(lang, desk.col_list)}</th>
                        <th scope="col">{tr!(lang, desk.col_status)}</th>
                        {view.second.then(|| view! { <th scope="col">{tr!(lang, desk.col_call_back)}</th> })}
                    </tr></thead>
                    <tbody>
                        {view.items.into_iter().map(|c| view! {
                            <tr class:row-ready=c.list_ready>
                                <td><a href=format!("/equipe/dossiers/{}", c.id)>{c.reference.clone()}</a><br />{c.name}</td>
                                <td>{c.sample_date}</td>
                                <td>{c.phone}</td>
                                <td>
                                    {if c.list_ready {
                                        view! { <span class="tag tag-ok">{fill(tr!(lang, desk.list_ready_count), &[c.contacts.to_string()])}</span> }.into_any()
                                    } else {
                                        view! { <span class="tag">{tr!(lang, desk.list_not_ready)}</span> }.into_any()
                                    }}
                                    {c.locked.then(|| view! { " "<span class="tag tag-danger">{tr!(lang, desk.link_locked)}</span> })}
                                    {c.lent.map(|lent| view! { " "<span class="tag">{lent}</span> })}
                                </td>
                                <td>{status_text(lang, c.status)}</td>
                                {view.second.then(|| view! {
                                    <td>{c.call_back.unwrap_or_default()}{c.due.then(|| view! { " "<span class="tag tag-danger">{tr!(lang, desk.due)}</span> })}</td>
                                })}
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            }.into_any()
        }}
        {next_href.map(|href| view! { <p><a class="button button-secondary" href=href>{tr!(lang, desk.next_page)}</a></p> })}
    }
}
