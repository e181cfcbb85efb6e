//! `/equipe/admin/organisations`: the organisations staff belong to, what
//! each covers and how many active accounts it has. A national admin sees
//! every organisation and may add one (a fund, an agency, a support cell);
//! a local admin sees their own. Accounts are made with `relais user add
//! --org` (README).

use super::view::{desk_page, Desk};
use crate::citizen::fields::TextField;
use crate::error::AppError;
use crate::tr;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use relais::organisation::OrganisationKind;
#[cfg(feature = "ssr")]
use relais::roles::StaffRole;
use relais::Lang;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use super::paths::ORGANISATIONS_PATH;

/// One organisation, as listed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrganisationView {
    pub name: String,
    pub kind: OrganisationKind,
    /// The départements covered ("60, 80"), empty for the national one.
    pub covers: String,
    pub staff: i64,
}

/// The page's data: the organisations, and whether the admin may add one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrganisationsView {
    pub organisations: Vec<OrganisationView>,
    pub may_add: bool,
}

/// The organisations an admin manages (admin only).
#[server(endpoint = "staff/organisations")]
pub async fn load_organisations() -> Result<Desk<OrganisationsView>, AppError> {
    use super::auth::StaffContext;
    let ctx = StaffContext::require(StaffRole::Admin).await?;
    let member = ctx.member.membership;
    let organisations = relais_store::organisations::list(&ctx.db)
        .await?
        .into_iter()
        .filter(|o| member.may_manage(o.id))
        .map(|o| OrganisationView {
            name: o.name,
            kind: o.kind,
            covers: o
                .departements
                .iter()
                .map(|d| d.as_str())
                .collect::<Vec<_>>()
                .join(", "),
            staff: o.staff,
        })
        .collect();
    Ok(Desk {
        me: ctx.me(),
        data: OrganisationsView {
            organisations,
            may_add: member.kind.is_national(),
        },
    })
}

/// Adds an organisation (national admins only): a name, a kind and the
/// départements it covers, typed as codes separated by commas or spaces.
#[server(endpoint = "staff/add-organisation")]
pub async fn add_organisation(
    #[server(default)] name: String,
    #[server(default)] kind: String,
    #[server(default)] departements: String,
) -> Result<(), AppError> {
    use super::actions::{staff_with, Reply};
    use relais::organisation::{NewOrganisation, OrganisationError};
    use relais_store::audit::{record, AuditAction, AuditEntry};
    use relais_store::organisations::CreateError;
    let reply = Reply::capture();
    let Some(ctx) = staff_with(&reply, StaffRole::Admin).await? else {
        return Ok(());
    };
    if !ctx.member.membership.kind.is_national() {
        return Err(AppError::Forbidden.answer());
    }
    let back = |query: &str| format!("{ORGANISATIONS_PATH}?{query}");
    // The national organisation exists once (migration 16): the form adds
    // local ones.
    let Some(kind) = kind
        .parse::<OrganisationKind>()
        .ok()
        .filter(|k| !k.is_national())
    else {
        reply.redirect(&back("erreur=kind"));
        return Ok(());
    };
    let mut codes = Vec::new();
    for part in departements
        .split([',', ' ', ';'])
        .map(str::trim)
        .filter(|p| !p.is_empty())
    {
        match relais::territory::DepartementCode::parse(part) {
            Ok(code) => codes.push(code),
            Err(_) => {
                reply.redirect(&back("erreur=departement"));
                return Ok(());
            }
        }
    }
    let new = match NewOrganisation::new(kind, &name, codes) {
        Ok(new) => new,
        Err(e) => {
            let code = match e {
                OrganisationError::Name => "name",
                OrganisationError::NationalWithTerritories => "national",
                OrganisationError::NoTerritory => "no_territory",
                OrganisationError::SupportCellCoversOne => "support_cell",
            };
            reply.redirect(&back(&format!("erreur={code}")));
            return Ok(());
        }
    };
    match relais_store::organisations::create(&ctx.db, &new).await {
        Ok(id) => {
            record(
                &ctx.db,
                &AuditEntry::new(ctx.member.id, AuditAction::AddOrganisation)
                    .detail(format!("organisation={id} kind={}", new.kind.as_str())),
            )
            .await?;
            reply.redirect(&back("ok=1"));
        }
        Err(CreateError::NameTaken) => reply.redirect(&back("erreur=taken")),
        Err(CreateError::UnknownDepartement(_)) => reply.redirect(&back("erreur=departement")),
        Err(CreateError::Store(e)) => return Err(e.into()),
    }
    Ok(())
}

#[component]
pub fn OrganisationsPage() -> impl IntoView {
    desk_page(
        (),
        |()| load_organisations(),
        |lang, _me, data| {
            view! { <OrganisationsList lang data /> }
        },
    )
}

/// An organisation kind as the page names it.
pub fn kind_text(lang: Lang, kind: OrganisationKind) -> &'static str {
    match kind {
        OrganisationKind::Fund => tr!(lang, desk.org_kind_fund),
        OrganisationKind::Agency => tr!(lang, desk.org_kind_agency),
        OrganisationKind::SupportCell => tr!(lang, desk.org_kind_support_cell),
        OrganisationKind::National => tr!(lang, desk.org_kind_national),
    }
}

#[component]
fn OrganisationsList(lang: Lang, data: OrganisationsView) -> impl IntoView {
    let query = use_query_map().get_untracked();
    let done = query.get("ok").is_some();
    let error = query.get("erreur").map(|e| match e.as_str() {
        "kind" => tr!(lang, desk.org_error_kind),
        "departement" => tr!(lang, desk.org_error_departement),
        "national" => tr!(lang, desk.org_error_national),
        "no_territory" => tr!(lang, desk.org_error_no_territory),
        "support_cell" => tr!(lang, desk.org_error_support_cell),
        "taken" => tr!(lang, desk.org_error_taken),
        _ => tr!(lang, desk.org_error_name),
    });
    view! {
        <Title text=tr!(lang, desk.org_title) />
        <h1>{tr!(lang, desk.org_title)}</h1>
        {done.then(|| view! { <p class="panel panel-ok" role="status">{tr!(lang, desk.org_ok)}</p> })}
        {error.map(|e| view! { <p class="warning" role="alert">{e}</p> })}
        <table class="table" id="organisations">
            <caption class="visually-hidden">{tr!(lang, desk.org_title)}</caption>
            <thead><tr>
                <th scope="col">{tr!(lang, desk.org_col_name)}</th>
                <th scope="col">{tr!(lang, desk.org_col_kind)}</th>
                <th scope="col">{tr!(lang, desk.org_col_covers)}</th>
                <th scope="col">{tr!(lang, desk.org_col_staff)}</th>
            </tr></thead>
            <tbody>
                {data.organisations.into_iter().map(|o| {
                    let covers = if o.covers.is_empty() { tr!(lang, desk.org_whole_country).to_owned() } else { o.covers };
                    view! {
                        <tr>
                            <th scope="row">{o.name}</th>
                            <td>{kind_text(lang, o.kind)}</td>
                            <td>{covers}</td>
                            <td>{o.staff}</td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
        <p class="hint">{tr!(lang, desk.org_accounts_hint)}</p>
        {data.may_add.then(|| view! {
            <h2>{tr!(lang, desk.org_add_title)}</h2>
            <form method="post" action=AddOrganisation::PATH class="filters">
                <TextField id="org-name" name="name" label=tr!(lang, desk.org_col_name).into() hint=tr!(lang, desk.org_name_hint).into() value=String::new() error=None maxlength=120 />
                <div class="form-group">
                    <label class="label" for="org-kind">{tr!(lang, desk.org_col_kind)}</label>
                    <select class="select" id="org-kind" name="kind">
                        {[OrganisationKind::Fund, OrganisationKind::Agency, OrganisationKind::SupportCell].into_iter().map(|k| view! {
                            <option value=k.as_str()>{kind_text(lang, k)}</option>
                        }).collect_view()}
                    </select>
                </div>
                <TextField id="org-departements" name="departements" label=tr!(lang, desk.org_col_covers).into() hint=tr!(lang, desk.org_departements_hint).into() value=String::new() error=None maxlength=400 />
                <button type="submit" class="button">{tr!(lang, desk.org_add_button)}</button>
            </form>
        })}
    }
}
