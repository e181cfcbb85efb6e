//! The admin's pages: staff accounts (unlock one locked after failed
//! sign-ins) and the audit trail of a case.

use super::view::{desk_page, DeskAnswer};
use crate::i18n::fill;
use crate::roles::StaffRole;
use crate::tr;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use relais::Lang;
use serde::{Deserialize, Serialize};

/// An account as the admin's list shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountView {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub role: StaffRole,
    pub failures: i64,
    pub locked: Option<String>,
}

/// Every staff account (admin only).
#[server(endpoint = "staff/accounts")]
pub async fn load_accounts() -> Result<DeskAnswer<Vec<AccountView>>, ServerFnError> {
    use super::auth::{desk_error, Me, StaffContext};
    let ctx = match StaffContext::require(StaffRole::Admin).await? {
        Ok(ctx) => ctx,
        Err(refusal) => return Ok(DeskAnswer::refused(refusal)),
    };
    let accounts = crate::store::staff::list_accounts(&ctx.db)
        .await
        .map_err(desk_error)?;
    Ok(DeskAnswer::Ok {
        me: Me {
            display_name: ctx.member.display_name.clone(),
            role: ctx.member.role,
        },
        data: accounts
            .into_iter()
            .map(|a| AccountView {
                id: a.member.id,
                username: a.member.username,
                display_name: a.member.display_name,
                role: a.member.role,
                failures: a.failed_logins,
                locked: a.locked_at.map(|t| super::time::instant_text(t, ctx.lang)),
            })
            .collect(),
    })
}

/// Lifts the lock of an account (admin only).
#[server(endpoint = "staff/unlock-account")]
pub async fn unlock_account(#[server(default)] account: String) -> Result<(), ServerFnError> {
    use super::actions::{staff_with, Reply};
    use super::auth::desk_error;
    use crate::store::audit::{record, AuditAction, AuditEntry};
    let reply = Reply::capture();
    let Some(ctx) = staff_with(&reply, StaffRole::Admin).await? else {
        return Ok(());
    };
    if let Ok(id) = account.parse::<i64>() {
        if crate::store::staff::unlock_account(&ctx.db, id)
            .await
            .map_err(desk_error)?
        {
            record(
                &ctx.db,
                &AuditEntry::new(ctx.member.id, AuditAction::UnlockAccount)
                    .detail(format!("account={id}")),
            )
            .await
            .map_err(desk_error)?;
            tracing::info!(
                staff_user_id = ctx.member.id,
                account = id,
                "account unlocked"
            );
        }
    }
    reply.redirect("/equipe/admin/comptes?ok=1");
    Ok(())
}

#[component]
pub fn AccountsPage() -> impl IntoView {
    desk_page(
        (),
        |_| load_accounts(),
        |lang, _me, accounts| {
            view! { <AccountsView lang accounts /> }
        },
    )
}

fn role_text(lang: Lang, role: StaffRole) -> &'static str {
    match role {
        StaffRole::Tracer => tr!(lang, desk.role_tracer),
        StaffRole::Supervisor => tr!(lang, desk.role_supervisor),
        StaffRole::Admin => tr!(lang, desk.role_admin),
    }
}

#[component]
fn AccountsView(lang: Lang, accounts: Vec<AccountView>) -> impl IntoView {
    let done = use_query_map().get_untracked().get("ok").is_some();
    view! {
        <Title text=tr!(lang, desk.accounts_title) />
        <h1>{tr!(lang, desk.accounts_title)}</h1>
        {done.then(|| view! { <p class="panel panel-ok" role="status">{tr!(lang, desk.ok_account_unlocked)}</p> })}
        <table class="table">
            <caption class="visually-hidden">{tr!(lang, desk.accounts_title)}</caption>
            <thead><tr>
                <th scope="col">{tr!(lang, desk.username)}</th>
                <th scope="col">{tr!(lang, desk.name)}</th>
                <th scope="col">{tr!(lang, desk.role)}</th>
                <th scope="col">{tr!(lang, desk.failures)}</th>
                <th scope="col">{tr!(lang, desk.lock)}</th>
            </tr></thead>
            <tbody>
                {accounts.into_iter().map(|a| view! {
                    <tr>
                        <td>{a.username.clone()}</td>
                        <td>{a.display_name}</td>
                        <td>{role_text(lang, a.role)}</td>
                        <td>{a.failures}</td>
                        <td>{match a.locked {
                            Some(at) => view! {
                                {fill(tr!(lang, desk.locked_since), &[at])}
                                <form method="post" action=UnlockAccount::PATH class="inline-form">
                                    <input type="hidden" name="account" value=a.id.to_string() />
                                    <button type="submit" class="button button-secondary">{tr!(lang, desk.unlock_account)}<span class="visually-hidden">" "{a.username}</span></button>
                                </form>
                            }.into_any(),
                            None => tr!(lang, desk.not_locked).into_any(),
                        }}</td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
    }
}

/// A line of a case's audit trail.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrailView {
    pub at: String,
    pub who: String,
    pub action: String,
    pub contact: Option<i64>,
    pub detail: String,
}

/// The audit trail page: the case asked for, if found, and its lines.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditView {
    pub reference: String,
    pub case_id: Option<i64>,
    pub lines: Vec<TrailView>,
}

/// The audit trail of a case, by its reference (admin only).
#[server(endpoint = "staff/audit")]
pub async fn load_audit(reference: String) -> Result<DeskAnswer<AuditView>, ServerFnError> {
    use super::auth::{desk_error, Me, StaffContext};
    use crate::store::audit::{case_trail, record, AuditAction, AuditEntry};
    let ctx = match StaffContext::require(StaffRole::Admin).await? {
        Ok(ctx) => ctx,
        Err(refusal) => return Ok(DeskAnswer::refused(refusal)),
    };
    let reference = reference.trim().to_uppercase();
    let case_id = if reference.is_empty() {
        None
    } else {
        let row: Option<(i64,)> = sqlx::query_as("SELECT id FROM cases WHERE reference = $1")
            .bind(&reference)
            .fetch_optional(ctx.db.pool())
            .await
            .map_err(|e| desk_error(e.into()))?;
        row.map(|(id,)| id)
    };
    let lines = match case_id {
        Some(id) => {
            record(
                &ctx.db,
                &AuditEntry::new(ctx.member.id, AuditAction::ViewAudit).case(id),
            )
            .await
            .map_err(desk_error)?;
            case_trail(&ctx.db, id, 500).await.map_err(desk_error)?
        }
        None => Vec::new(),
    };
    Ok(DeskAnswer::Ok {
        me: Me {
            display_name: ctx.member.display_name.clone(),
            role: ctx.member.role,
        },
        data: AuditView {
            reference,
            case_id,
            lines: lines
                .into_iter()
                .map(|l| TrailView {
                    at: super::time::instant_text(l.at, ctx.lang),
                    who: l.username.unwrap_or_default(),
                    action: l.action,
                    contact: l.contact_id,
                    detail: l.detail,
                })
                .collect(),
        },
    })
}

#[component]
pub fn AuditPage() -> impl IntoView {
    let reference = use_query_map()
        .get_untracked()
        .get("dossier")
        .unwrap_or_default();
    desk_page(reference, load_audit, |lang, _me, audit| {
        view! { <AuditTrailView lang audit /> }
    })
}

#[component]
fn AuditTrailView(lang: Lang, audit: AuditView) -> impl IntoView {
    view! {
        <Title text=tr!(lang, desk.audit_title) />
        <h1>{tr!(lang, desk.audit_title)}</h1>
        <form method="get" action="/equipe/admin/journal" class="filters" role="search">
            <div class="form-group">
                <label class="label" for="dossier">{tr!(lang, desk.audit_case)}</label>
                <input class="input" id="dossier" name="dossier" type="search" value=audit.reference.clone() />
            </div>
            <button type="submit" class="button">{tr!(lang, desk.audit_show)}</button>
        </form>
        {match audit.case_id {
            None if !audit.reference.is_empty() => view! { <p class="warning" role="alert">{tr!(lang, desk.audit_unknown)}</p> }.into_any(),
            None => ().into_any(),
            Some(id) => view! {
                <p><a href=format!("/equipe/dossiers/{id}")>{fill(tr!(lang, desk.case_title), std::slice::from_ref(&audit.reference))}</a></p>
                <table class="table">
                    <caption>{fill(tr!(lang, desk.audit_of), std::slice::from_ref(&audit.reference))}</caption>
                    <thead><tr>
                        <th scope="col">{tr!(lang, desk.col_when)}</th>
                        <th scope="col">{tr!(lang, desk.col_by)}</th>
                        <th scope="col">{tr!(lang, desk.audit_action)}</th>
                        <th scope="col">{tr!(lang, desk.audit_contact)}</th>
                        <th scope="col">{tr!(lang, desk.audit_detail)}</th>
                    </tr></thead>
                    <tbody>
                        {audit.lines.into_iter().map(|l| view! {
                            <tr>
                                <td>{l.at}</td>
                                <td>{l.who}</td>
                                <td><code>{l.action}</code></td>
                                <td>{l.contact.map(|c| c.to_string()).unwrap_or_default()}</td>
                                <td>{l.detail}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            }.into_any(),
        }}
    }
}
