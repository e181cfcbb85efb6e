//! What every console page shares: the staff navigation, the page for a
//! refused request, and loading a page's data with the role it needs.

use super::auth::{Me, SIGN_IN_PATH};
use crate::error::AppError;
use crate::i18n::use_lang;
use crate::tr;
use leptos::prelude::*;
use leptos_meta::Title;
use relais::roles::StaffRole;
use relais::Lang;
use serde::{Deserialize, Serialize};

/// What a console page's server function answers: the staff member and the
/// page's data (a refusal is an [`AppError`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Desk<T> {
    pub me: Me,
    pub data: T,
}

/// A console page: loads `load(source)` on the server, then shows
/// `render(lang, me, data)`, or the sign-in invitation, the refusal, the
/// not-found or the service-unavailable page.
pub fn desk_page<S, T, Fut, V>(
    source: S,
    load: fn(S) -> Fut,
    render: fn(Lang, Me, T) -> V,
) -> impl IntoView
where
    S: Clone + PartialEq + Send + Sync + 'static,
    T: Serialize + for<'de> Deserialize<'de> + Clone + Send + Sync + 'static,
    Fut: std::future::Future<Output = Result<Desk<T>, AppError>> + Send + 'static,
    V: IntoView + 'static,
{
    let lang = use_lang();
    let data = Resource::new_blocking(move || source.clone(), load);
    // One `Suspend`, built once: see `patient::dossier::citizen_page`.
    view! {
        <Suspense fallback=|| ()>
            {Suspend::new(async move {
                match data.await {
                    Ok(Desk { me, data }) => view! {
                        <StaffNav lang me=me.clone() />
                        {render(lang, me, data)}
                    }.into_any(),
                    Err(AppError::SignedOut) => view! { <SignedOut lang /> }.into_any(),
                    Err(AppError::Forbidden) => view! { <Forbidden lang /> }.into_any(),
                    Err(AppError::NotFound) => view! { <crate::pages::not_found::NotFoundPage /> }.into_any(),
                    Err(_) => view! { <crate::pages::unavailable::ServiceUnavailable lang /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// `path` with a query string of the pairs whose value is not empty.
pub fn href_with(path: &str, pairs: &[(&str, &str)]) -> String {
    let query: Vec<String> = pairs
        .iter()
        .filter(|(_, value)| !value.is_empty())
        .map(|(name, value)| format!("{name}={}", super::paths::urlencode(value)))
        .collect();
    if query.is_empty() {
        path.to_owned()
    } else {
        format!("{path}?{}", query.join("&"))
    }
}

/// The console's navigation: the queue, the admin's pages, sign-out.
#[component]
pub fn StaffNav(lang: Lang, me: Me) -> impl IntoView {
    let admin = me.role.includes(StaffRole::Admin);
    let supervisor = me.role.includes(StaffRole::Supervisor);
    let support = me.role == StaffRole::Support;
    view! {
        <nav class="staff-nav" aria-label=tr!(lang, desk.nav_label)>
            <ul>
                {if support {
                    view! { <li><a href=super::paths::SUPPORT_PATH>{tr!(lang, desk.support_nav)}</a></li> }.into_any()
                } else {
                    view! { <li><a href="/equipe">{tr!(lang, desk.queue_title)}</a></li> }.into_any()
                }}
                {supervisor.then(|| view! {
                    <li><a href=super::paths::DASHBOARD_PATH>{tr!(lang, desk.fig_title)}</a></li>
                    <li><a href=super::paths::CLUSTERS_PATH>{tr!(lang, desk.clusters_title)}</a></li>
                    <li><a href=super::paths::MUTUAL_AID_PATH>{tr!(lang, desk.aid_title)}</a></li>
                })}
                {admin.then(|| view! {
                    <li><a href="/equipe/admin/comptes">{tr!(lang, desk.accounts_title)}</a></li>
                    <li><a href="/equipe/admin/journal">{tr!(lang, desk.audit_title)}</a></li>
                    <li><a href=super::paths::ORGANISATIONS_PATH>{tr!(lang, desk.org_title)}</a></li>
                })}
            </ul>
            <p class="staff-me">{me.display_name}<span class="staff-org">" — "{me.organisation}</span>" "<a href=super::paths::SECURITY_PATH>{tr!(lang, desk.security_nav)}</a></p>
            <form method="post" action={<super::auth::StaffSignOut as leptos::server_fn::ServerFn>::PATH} class="inline-form">
                <button type="submit" class="button button-secondary">{tr!(lang, desk.sign_out)}</button>
            </form>
        </nav>
    }
}

#[component]
fn SignedOut(lang: Lang) -> impl IntoView {
    view! {
        <Title text=tr!(lang, desk.expired_title) />
        <h1>{tr!(lang, desk.expired_title)}</h1>
        <p>{tr!(lang, desk.expired)}</p>
        <p><a class="button" href=SIGN_IN_PATH>{tr!(lang, desk.sign_in)}</a></p>
    }
}

#[component]
fn Forbidden(lang: Lang) -> impl IntoView {
    view! {
        <Title text=tr!(lang, desk.forbidden_title) />
        <h1>{tr!(lang, desk.forbidden_title)}</h1>
        <p>{tr!(lang, desk.forbidden)}</p>
        <p><a href="/equipe">{tr!(lang, desk.queue_title)}</a></p>
    }
}
