//! `/equipe/soutien`: the isolation-support cell's desk. Its members (role
//! `support`, in a `support_cell` organisation) see the requests for help
//! of their département that the person agreed to share, oldest first,
//! with only what the help needs (see [`relais_store::support`]), and move
//! each one: new → taken (by whom) → done / could not reach / refused,
//! with a note. Every list shown and every change is audited.

use super::view::{desk_page, Desk};
use crate::error::AppError;
use crate::i18n::fill;
use crate::tr;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use relais::support::{BestTime, SupportNeed, SupportState};
use relais::Lang;
use serde::{Deserialize, Serialize};

/// One request as the cell's desk shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CellRequestView {
    pub id: relais::ids::SupportRequestId,
    pub name: String,
    /// As written for a person (`06 12 34 56 78`), and as dialled.
    pub phone: (String, String),
    pub address: String,
    pub needs: Vec<SupportNeed>,
    pub note: String,
    pub best_time: BestTime,
    /// The last day of the isolation or quarantine, written out.
    pub until: Option<String>,
    pub state: SupportState,
    pub taken_by: Option<String>,
    pub state_note: String,
    pub asked_at: String,
}

/// The desk's data: the cell's département and the requests listed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SupportDeskView {
    pub departement: String,
    /// The closed requests rather than the open ones.
    pub closed: bool,
    pub requests: Vec<CellRequestView>,
}

/// The desk's list: `liste=closes` for the closed requests.
#[server(endpoint = "staff/support-desk")]
pub async fn load_support_desk(
    #[server(default)] liste: String,
) -> Result<Desk<SupportDeskView>, AppError> {
    use super::auth::StaffContext;
    use relais::roles::StaffRole;
    use relais_store::support::{cell_departement, cell_queue, CellList};
    let ctx = StaffContext::require(StaffRole::Support).await?;
    let lang = ctx.lang;
    let Some(departement) = cell_departement(&ctx.db, ctx.member.membership.organisation).await?
    else {
        return Err(AppError::Forbidden);
    };
    let closed = liste == "closes";
    let list = if closed {
        CellList::Closed
    } else {
        CellList::Open
    };
    let requests = cell_queue(&ctx.db, ctx.member.id, &departement, list)
        .await?
        .into_iter()
        .map(|r| CellRequestView {
            id: r.id,
            name: r.name,
            phone: (relais::phone::display_phone(&r.phone), r.phone),
            address: r.address,
            needs: r.needs.iter().collect(),
            note: r.note,
            best_time: r.best_time,
            until: r.until.map(|d| relais::dates::long_date(d, lang)),
            state: r.state,
            taken_by: r.taken_by,
            state_note: r.state_note,
            asked_at: relais_store::paris::instant_text(r.created_at, lang),
        })
        .collect();
    let name = relais_store::territories::load_territories(&ctx.db)
        .await?
        .departement(departement)
        .map(|d| d.name.clone())
        .unwrap_or_default();
    Ok(Desk {
        me: ctx.me(),
        data: SupportDeskView {
            departement: format!("{} {name}", departement.as_str()),
            closed,
            requests,
        },
    })
}

/// The desk with `query`.
#[cfg(feature = "ssr")]
fn back(query: &str) -> String {
    format!("{}?{query}", super::paths::SUPPORT_PATH)
}

/// Moves a request of the cell from the state the page showed (`from`) to
/// `to`, with a note.
#[server(endpoint = "staff/support-change")]
pub async fn change_support_request(
    #[server(default)] request: String,
    #[server(default)] from: String,
    #[server(default)] to: String,
    #[server(default)] note: String,
) -> Result<(), AppError> {
    use super::actions::{staff_with, Reply};
    use relais_store::support::{cell_departement, change_state, Refused};
    let reply = Reply::capture();
    let Some(ctx) = staff_with(&reply, relais::roles::StaffRole::Support).await? else {
        return Ok(());
    };
    let Some(departement) = cell_departement(&ctx.db, ctx.member.membership.organisation).await?
    else {
        return Err(AppError::Forbidden);
    };
    let (Ok(id), Ok(from), Ok(to)) = (
        request.parse::<relais::ids::SupportRequestId>(),
        from.parse::<SupportState>(),
        to.parse::<SupportState>(),
    ) else {
        reply.redirect(&back("erreur=unknown"));
        return Ok(());
    };
    let note = relais::contact_form::clean_text(&note);
    match change_state(&ctx.db, ctx.member.id, &departement, id, from, to, &note).await? {
        Ok(()) => {
            tracing::info!(
                staff_user_id = ctx.member.id.get(),
                request = id.get(),
                %to,
                "support request moved"
            );
            reply.redirect(&back(&format!("ok={to}#request-{id}")));
        }
        Err(Refused::Moved) => reply.redirect(&back(&format!("erreur=moved#request-{id}"))),
        Err(Refused::NotAllowed | Refused::NotFound) => reply.redirect(&back("erreur=unknown")),
    }
    Ok(())
}

#[component]
pub fn SupportDeskPage() -> impl IntoView {
    let liste = use_query_map()
        .get_untracked()
        .get("liste")
        .unwrap_or_default();
    desk_page(liste, load_support_desk, |lang, _me, desk| {
        view! { <SupportDesk lang desk /> }
    })
}

/// What a need is called on the desk.
pub fn need_text(lang: Lang, need: SupportNeed) -> &'static str {
    match need {
        SupportNeed::NurseVisit => tr!(lang, desk.support_need_nurse_visit),
        SupportNeed::Groceries => tr!(lang, desk.support_need_groceries),
        SupportNeed::Medicines => tr!(lang, desk.support_need_medicines),
        SupportNeed::Administrative => tr!(lang, desk.support_need_administrative),
        SupportNeed::Connection => tr!(lang, desk.support_need_connection),
        SupportNeed::Listening => tr!(lang, desk.support_need_listening),
        SupportNeed::Childcare => tr!(lang, desk.support_need_childcare),
        SupportNeed::Lodging => tr!(lang, desk.support_need_lodging),
    }
}

/// What a state is called on the desk.
pub fn state_text(lang: Lang, state: SupportState) -> &'static str {
    match state {
        SupportState::New => tr!(lang, desk.support_state_new),
        SupportState::Taken => tr!(lang, desk.support_state_taken),
        SupportState::Done => tr!(lang, desk.support_state_done),
        SupportState::Unreachable => tr!(lang, desk.support_state_unreachable),
        SupportState::Refused => tr!(lang, desk.support_state_refused),
    }
}

fn best_time_text(lang: Lang, time: BestTime) -> &'static str {
    match time {
        BestTime::Any => tr!(lang, desk.support_time_any),
        BestTime::Morning => tr!(lang, desk.support_time_morning),
        BestTime::Afternoon => tr!(lang, desk.support_time_afternoon),
        BestTime::Evening => tr!(lang, desk.support_time_evening),
    }
}

/// The needs, written out; a request made by text has none yet.
pub fn needs_text(lang: Lang, needs: &[SupportNeed]) -> String {
    if needs.is_empty() {
        return tr!(lang, desk.support_needs_by_sms).to_owned();
    }
    needs
        .iter()
        .map(|n| need_text(lang, *n))
        .collect::<Vec<_>>()
        .join(", ")
}

#[component]
fn SupportDesk(lang: Lang, desk: SupportDeskView) -> impl IntoView {
    let query = use_query_map().get_untracked();
    let ok = query.get("ok").and_then(|s| s.parse::<SupportState>().ok());
    let error = query.get("erreur").map(|e| match e.as_str() {
        "moved" => tr!(lang, desk.support_error_moved),
        _ => tr!(lang, desk.support_error_unknown),
    });
    let title = fill(
        tr!(lang, desk.support_title),
        std::slice::from_ref(&desk.departement),
    );
    let empty = desk.requests.is_empty();
    view! {
        <Title text=title.clone() />
        <h1>{title}</h1>
        <p>{tr!(lang, desk.support_intro)}</p>
        {ok.map(|state| view! { <p class="panel panel-ok" role="status">{fill(tr!(lang, desk.support_moved), &[state_text(lang, state).to_owned()])}</p> })}
        {error.map(|e| view! { <p class="warning" role="alert">{e}</p> })}
        <nav class="tabs" aria-label=tr!(lang, desk.support_lists)>
            <a href=super::paths::SUPPORT_PATH aria-current=(!desk.closed).then_some("page")>{tr!(lang, desk.support_open)}</a>
            " "
            <a href=format!("{}?liste=closes", super::paths::SUPPORT_PATH) aria-current=desk.closed.then_some("page")>{tr!(lang, desk.support_closed)}</a>
        </nav>
        {empty.then(|| view! { <p>{tr!(lang, desk.support_none)}</p> })}
        <ul class="card-list">
            {desk.requests.into_iter().map(|r| view! { <RequestCard lang r /> }).collect_view()}
        </ul>
    }
}

#[component]
fn RequestCard(lang: Lang, r: CellRequestView) -> impl IntoView {
    let id = r.id.to_string();
    let anchor = format!("request-{id}");
    let note_id = format!("note-{id}");
    let state = r.state;
    let moves: Vec<(SupportState, &'static str)> = [
        (SupportState::Taken, tr!(lang, desk.support_take)),
        (SupportState::Done, tr!(lang, desk.support_done)),
        (
            SupportState::Unreachable,
            tr!(lang, desk.support_unreachable),
        ),
        (SupportState::Refused, tr!(lang, desk.support_refused)),
        (SupportState::New, tr!(lang, desk.support_hand_back)),
    ]
    .into_iter()
    .filter(|(to, _)| state.may_become(*to))
    .collect();
    let closing = state == SupportState::Taken;
    view! {
        <li class="card" id=anchor>
            <h2 class="card-title">{r.name.clone()}</h2>
            <dl class="summary-list">
                <div><dt>{tr!(lang, desk.support_col_needs)}</dt><dd>{needs_text(lang, &r.needs)}</dd></div>
                <div><dt>{tr!(lang, desk.phone)}</dt><dd><a href=format!("tel:{}", r.phone.1)>{r.phone.0.clone()}</a>" ("{best_time_text(lang, r.best_time)}")"</dd></div>
                {(!r.address.is_empty()).then(|| view! { <div><dt>{tr!(lang, desk.support_col_address)}</dt><dd>{r.address.clone()}</dd></div> })}
                {(!r.note.is_empty()).then(|| view! { <div><dt>{tr!(lang, desk.support_col_note)}</dt><dd>{r.note.clone()}</dd></div> })}
                {r.until.clone().map(|until| view! { <div><dt>{tr!(lang, desk.support_col_until)}</dt><dd>{until}</dd></div> })}
                <div><dt>{tr!(lang, desk.support_col_asked)}</dt><dd>{r.asked_at.clone()}</dd></div>
                <div><dt>{tr!(lang, desk.support_col_state)}</dt><dd>
                    {state_text(lang, state)}
                    {r.taken_by.clone().map(|who| view! { " — "{who} })}
                </dd></div>
                {(!r.state_note.is_empty()).then(|| view! { <div><dt>{tr!(lang, desk.support_col_state_note)}</dt><dd>{r.state_note.clone()}</dd></div> })}
            </dl>
            {(!moves.is_empty()).then(|| view! {
                <form method="post" action=ChangeSupportRequest::PATH class="support-move">
                    <input type="hidden" name="request" value=id.clone() />
                    <input type="hidden" name="from" value=state.as_str() />
                    {closing.then(|| view! {
                        <div class="form-group">
                            <label for=note_id.clone()>{tr!(lang, desk.support_note_label)}</label>
                            <textarea id=note_id.clone() name="note" rows="2" maxlength="500"></textarea>
                        </div>
                    })}
                    <div class="support-moves">
                        {moves.into_iter().map(|(to, label)| view! {
                            <button type="submit" name="to" value=to.as_str() class=if to == SupportState::Taken || to == SupportState::Done { "button" } else { "button button-secondary" }>{label}</button>
                        }).collect_view()}
                    </div>
                </form>
            })}
        </li>
    }
}
