//! The admin's pages: staff accounts (unlock one locked after failed
//! sign-ins) and the access review (who viewed or changed which case, by
//! case, staff member and period).

use super::view::{desk_page, Desk};
use crate::citizen::fields::TextField;
use crate::error::AppError;
use crate::i18n::fill;
use crate::tr;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use relais::roles::StaffRole;
use relais::Lang;
use serde::{Deserialize, Serialize};

/// An account as the admin's list shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountView {
    pub id: relais::ids::StaffId,
    pub username: String,
    pub display_name: String,
    pub role: StaffRole,
    pub organisation: String,
    pub failures: i64,
    pub locked: Option<String>,
    /// A second factor is enrolled.
    pub second_factor: bool,
}

/// Every staff account (admin only).
#[server(endpoint = "staff/accounts")]
pub async fn load_accounts() -> Result<Desk<Vec<AccountView>>, AppError> {
    use super::auth::StaffContext;
    let ctx = StaffContext::require(StaffRole::Admin).await?;
    let accounts = relais_store::staff::list_accounts(&ctx.db, ctx.member.membership).await?;
    Ok(Desk {
        me: ctx.me(),
        data: accounts
            .into_iter()
            .map(|a| AccountView {
                second_factor: a.member.second_factor,
                id: a.member.id,
                username: a.member.username,
                display_name: a.member.display_name,
                role: a.member.role,
                organisation: a.member.organisation_name,
                failures: a.failed_logins,
                locked: a
                    .locked_at
                    .map(|t| relais_store::paris::instant_text(t, ctx.lang)),
            })
            .collect(),
    })
}

/// Lifts the lock of an account (admin only).
#[server(endpoint = "staff/unlock-account")]
pub async fn unlock_account(#[server(default)] account: String) -> Result<(), AppError> {
    use super::actions::{staff_with, Reply};
    use relais_store::audit::{record, AuditAction, AuditEntry};
    let reply = Reply::capture();
    let Some(ctx) = staff_with(&reply, StaffRole::Admin).await? else {
        return Ok(());
    };
    if let Ok(id) = account.parse::<i64>().map(relais::ids::StaffId) {
        if relais_store::staff::unlock_account(&ctx.db, ctx.member.membership, id).await? {
            record(
                &ctx.db,
                &AuditEntry::new(ctx.member.id, AuditAction::UnlockAccount)
                    .detail(format!("account={id}")),
            )
            .await?;
            tracing::info!(
                staff_user_id = ctx.member.id.get(),
                account = id.get(),
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
        StaffRole::Support => tr!(lang, desk.role_support),
    }
}

#[component]
fn AccountsView(lang: Lang, accounts: Vec<AccountView>) -> impl IntoView {
    let done = use_query_map().get_untracked().get("ok");
    let done = done.map(|ok| match ok.as_str() {
        "factor" => tr!(lang, desk.ok_factor_reset),
        _ => tr!(lang, desk.ok_account_unlocked),
    });
    view! {
        <Title text=tr!(lang, desk.accounts_title) />
        <h1>{tr!(lang, desk.accounts_title)}</h1>
        {done.map(|text| view! { <p class="panel panel-ok" role="status">{text}</p> })}
        <table class="table">
            <caption class="visually-hidden">{tr!(lang, desk.accounts_title)}</caption>
            <thead><tr>
                <th scope="col">{tr!(lang, desk.username)}</th>
                <th scope="col">{tr!(lang, desk.name)}</th>
                <th scope="col">{tr!(lang, desk.role)}</th>
                <th scope="col">{tr!(lang, desk.org_col_organisation)}</th>
                <th scope="col">{tr!(lang, desk.failures)}</th>
                <th scope="col">{tr!(lang, desk.lock)}</th>
                <th scope="col">{tr!(lang, desk.factor_col)}</th>
            </tr></thead>
            <tbody>
                {accounts.into_iter().map(|a| { let factor_name = a.username.clone(); view! {
                    <tr>
                        <td>{a.username.clone()}</td>
                        <td>{a.display_name}</td>
                        <td>{role_text(lang, a.role)}</td>
                        <td>{a.organisation}</td>
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
                        <td>{if a.second_factor {
                            view! {
                                {tr!(lang, desk.factor_yes)}
                                <form method="post" action=super::second_factor::ResetSecondFactor::PATH class="inline-form">
                                    <input type="hidden" name="account" value=a.id.to_string() />
                                    <button type="submit" class="button button-secondary">{tr!(lang, desk.factor_reset)}<span class="visually-hidden">" "{factor_name}</span></button>
                                </form>
                            }.into_any()
                        } else {
                            tr!(lang, desk.factor_no).into_any()
                        }}</td>
                    </tr>
                }}).collect_view()}
            </tbody>
        </table>
    }
}

/// A line of the audit trail.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrailView {
    pub at: String,
    pub who: String,
    pub action: String,
    pub case: Option<(relais::ids::CaseId, String)>,
    pub contact: Option<relais::ids::ContactId>,
    pub detail: String,
}

/// The access review's filters as typed (the page's query string).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditFilters {
    pub case: String,
    pub staff: String,
    pub from: String,
    pub to: String,
    /// The next page's cursor (after the last line shown).
    pub before: String,
}

/// The access review page: the filters, their errors, and the lines.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditView {
    pub filters: AuditFilters,
    /// `(field, message code)` of each filter that could not be read.
    pub errors: Vec<(String, String)>,
    /// A case reference that matches no case.
    pub unknown_case: bool,
    pub lines: Vec<TrailView>,
    /// The cursor of the next page, when there are older lines.
    pub more: Option<String>,
}

/// Lines per page of the access review.
pub const AUDIT_PAGE: i64 = 200;

/// Who viewed or changed which case, filtered by case, staff member and
/// period, newest first (admin only). Looking is itself recorded.
#[server(endpoint = "staff/audit")]
pub async fn load_audit(
    #[server(default)] case: String,
    #[server(default)] staff: String,
    #[server(default)] from: String,
    #[server(default)] to: String,
    #[server(default)] before: String,
) -> Result<Desk<AuditView>, AppError> {
    use super::auth::StaffContext;
    use relais::desk::review::{parse_review, ReviewError};
    use relais::desk::Cursor;
    use relais_store::audit::{record, trail, AuditAction, AuditEntry, TrailQuery};
    let ctx = StaffContext::require(StaffRole::Admin).await?;
    let filters = AuditFilters {
        case,
        staff,
        from,
        to,
        before,
    };
    let me = ctx.me();
    let review = match parse_review(&filters.case, &filters.staff, &filters.from, &filters.to) {
        Ok(review) => review,
        Err(errors) => {
            let errors = errors
                .into_iter()
                .map(|e| {
                    let code = match e {
                        ReviewError::NotADate(_) => "bad_date",
                        ReviewError::EndsBeforeStart => "bad_period",
                        ReviewError::Invalid(_) => "bad_filter",
                    };
                    (e.field().to_owned(), code.to_owned())
                })
                .collect();
            return Ok(Desk {
                me,
                data: AuditView {
                    filters,
                    errors,
                    unknown_case: false,
                    lines: Vec::new(),
                    more: None,
                },
            });
        }
    };
    // The desk's keyset cursor, as the queue's second-call pages use it.
    let before = Cursor::decode(&filters.before).and_then(|c| Some((c.key_seconds()?, c.id)));
    let Some(query) = TrailQuery::of_review(&ctx.db, ctx.scope(), &review, before).await? else {
        return Ok(Desk {
            me,
            data: AuditView {
                filters,
                errors: Vec::new(),
                unknown_case: true,
                lines: Vec::new(),
                more: None,
            },
        });
    };
    // The review itself is recorded: on the case, or with its filters.
    let mut entry = AuditEntry::new(ctx.member.id, AuditAction::ViewAudit);
    entry = match query.case_id {
        Some(id) => entry.case(id),
        None => entry.detail(format!(
            "review staff={} from={} to={}",
            review.staff.as_deref().unwrap_or("*"),
            review.from.map_or("*".to_owned(), |d| d.to_string()),
            review.to.map_or("*".to_owned(), |d| d.to_string()),
        )),
    };
    record(&ctx.db, &entry).await?;
    let mut lines = trail(&ctx.db, ctx.scope(), &query, AUDIT_PAGE + 1).await?;
    let more = (lines.len() as i64 > AUDIT_PAGE).then(|| {
        lines.truncate(AUDIT_PAGE as usize);
        lines
            .last()
            .map(|l| Cursor::at_instant(l.at, l.id).encode())
            .unwrap_or_default()
    });
    Ok(Desk {
        me,
        data: AuditView {
            filters,
            errors: Vec::new(),
            unknown_case: false,
            lines: lines
                .into_iter()
                .map(|l| TrailView {
                    at: relais_store::paris::instant_text(l.at, ctx.lang),
                    who: l.username.unwrap_or_default(),
                    action: l.action,
                    case: l
                        .case_id
                        .map(|id| (id, l.case_reference.unwrap_or_default())),
                    contact: l.contact_id,
                    detail: l.detail,
                })
                .collect(),
            more,
        },
    })
}

#[component]
pub fn AuditPage() -> impl IntoView {
    let query = use_query_map().get_untracked();
    let get = |name: &str| query.get(name).unwrap_or_default();
    let filters = AuditFilters {
        case: get("dossier"),
        staff: get("agent"),
        from: get("du"),
        to: get("au"),
        before: get("avant"),
    };
    desk_page(
        filters,
        |f: AuditFilters| load_audit(f.case, f.staff, f.from, f.to, f.before),
        |lang, _me, audit| view! { <AuditTrailView lang audit /> },
    )
}

/// The message of a filter's error code.
fn filter_error_text(lang: Lang, code: &str) -> &'static str {
    match code {
        "bad_date" => tr!(lang, desk.audit_bad_date),
        "bad_period" => tr!(lang, desk.audit_bad_period),
        _ => tr!(lang, desk.audit_bad_filter),
    }
}

#[component]
fn AuditTrailView(lang: Lang, audit: AuditView) -> impl IntoView {
    let error_of = |field: &str| {
        audit
            .errors
            .iter()
            .find(|(f, _)| f == field)
            .map(|(_, code)| filter_error_text(lang, code).to_owned())
    };
    let f = audit.filters.clone();
    let next_page = audit.more.clone().map(|cursor| {
        super::view::href_with(
            "/equipe/admin/journal",
            &[
                ("dossier", &f.case),
                ("agent", &f.staff),
                ("du", &f.from),
                ("au", &f.to),
                ("avant", &cursor),
            ],
        )
    });
    let filtered = audit.errors.is_empty() && !audit.unknown_case;
    let count = audit.lines.len().to_string();
    view! {
        <Title text=tr!(lang, desk.audit_title) />
        <h1>{tr!(lang, desk.audit_title)}</h1>
        <form method="get" action="/equipe/admin/journal" class="filters" role="search">
            <TextField id="dossier" name="dossier" kind="search" label=tr!(lang, desk.audit_case).into() value=f.case.clone() error=error_of("case") maxlength=64 />
            <TextField id="agent" name="agent" kind="search" label=tr!(lang, desk.audit_staff).into() value=f.staff.clone() error=error_of("staff") maxlength=64 />
            <TextField id="du" name="du" label=tr!(lang, desk.audit_from).into() hint=tr!(lang, desk.audit_date_hint).into() value=f.from.clone() error=error_of("from") maxlength=10 />
            <TextField id="au" name="au" label=tr!(lang, desk.audit_to).into() hint=tr!(lang, desk.audit_date_hint).into() value=f.to.clone() error=error_of("to") maxlength=10 />
            <button type="submit" class="button">{tr!(lang, desk.audit_show)}</button>
        </form>
        {audit.unknown_case.then(|| view! { <p class="warning" role="alert">{tr!(lang, desk.audit_unknown)}</p> })}
        {(filtered && audit.lines.is_empty()).then(|| view! { <p>{tr!(lang, desk.audit_none)}</p> })}
        {(!audit.lines.is_empty()).then(|| view! {
            <table class="table">
                <caption>{fill(tr!(lang, desk.audit_lines), &[count])}</caption>
                <thead><tr>
                    <th scope="col">{tr!(lang, desk.col_when)}</th>
                    <th scope="col">{tr!(lang, desk.col_by)}</th>
                    <th scope="col">{tr!(lang, desk.audit_action)}</th>
                    <th scope="col">{tr!(lang, desk.audit_case_col)}</th>
                    <th scope="col">{tr!(lang, desk.audit_contact)}</th>
                    <th scope="col">{tr!(lang, desk.audit_detail)}</th>
                </tr></thead>
                <tbody>
                    {audit.lines.into_iter().map(|l| view! {
                        <tr>
                            <td>{l.at}</td>
                            <td>{l.who}</td>
                            <td><code>{l.action}</code></td>
                            <td>{l.case.map(|(id, reference)| view! { <a href=format!("/equipe/dossiers/{id}")>{reference}</a> })}</td>
                            <td>{l.contact.map(|c| c.to_string()).unwrap_or_default()}</td>
                            <td>{l.detail}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        })}
        {next_page.map(|href| view! { <p><a href=href>{tr!(lang, desk.audit_more)}</a></p> })}
    }
}
