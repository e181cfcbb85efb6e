//! `/d/<token>`: the landing page of a case's SMS link. It shows no personal
//! data: only the date-of-birth question, or why the link cannot be used.

use super::identity::{case_link_status, ConfirmIdentity, LinkStatus};
use crate::citizen::error_summary::{ErrorSummary, FieldError};
use crate::i18n::use_lang;
use crate::tr;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};
use relais::Lang;

/// The message and the field of an error code of the identity form.
fn identity_error(lang: Lang, code: &str, tries_left: &str) -> Option<FieldError> {
    let (field, message) = match code {
        "missing" => ("dob-day", tr!(lang, arrival.err_missing).to_string()),
        "day" | "not_a_date" | "future" => (
            "dob-day",
            match code {
                "day" => tr!(lang, arrival.err_day),
                "not_a_date" => tr!(lang, arrival.err_not_a_date),
                _ => tr!(lang, arrival.err_future),
            }
            .to_string(),
        ),
        "month" => ("dob-month", tr!(lang, arrival.err_month).to_string()),
        "year" => ("dob-year", tr!(lang, arrival.err_year).to_string()),
        "year_range" => ("dob-year", tr!(lang, arrival.err_year_range).to_string()),
        "wrong" => {
            let count: u8 = tries_left.parse().unwrap_or(0);
            let message = format!(
                "{} {} {count}",
                tr!(lang, arrival.err_wrong),
                tr!(lang, arrival.tries_left)
            );
            ("dob-day", message)
        }
        "limite" => ("dob-day", tr!(lang, arrival.err_rate_limited).to_string()),
        "service" => ("dob-day", tr!(lang, arrival.err_service).to_string()),
        _ => return None,
    };
    Some(FieldError {
        field: field.to_owned(),
        message,
    })
}

#[component]
pub fn CaseArrivalPage() -> impl IntoView {
    let lang = use_lang();
    let token = use_params_map()
        .with_untracked(|p| p.get("token"))
        .unwrap_or_default();
    let query = use_query_map().get_untracked();
    let status = Resource::new_blocking(move || token.clone(), case_link_status);
    let q = move |name: &str| query.get(name).unwrap_or_default();
    let error = identity_error(lang, &q("erreur"), &q("essais"));
    let typed = (q("j"), q("m"), q("a"));

    view! {
        <Suspense fallback=|| ()>
            {move || {
                let error = error.clone();
                let typed = typed.clone();
                Suspend::new(async move {
                    match status.await {
                        Ok(LinkStatus::Open) => {
                            let token = use_params_map()
                                .with_untracked(|p| p.get("token"))
                                .unwrap_or_default();
                            view! { <IdentityForm lang token error typed /> }.into_any()
                        }
                        Ok(LinkStatus::Locked) => {
                            view! { <Unusable lang title=tr!(lang, arrival.locked_title).to_string() body=tr!(lang, arrival.locked_body).to_string() /> }
                                .into_any()
                        }
                        Ok(LinkStatus::Invalid) => {
                            set_status(http_status::NOT_FOUND);
                            view! { <Unusable lang title=tr!(lang, arrival.invalid_title).to_string() body=tr!(lang, arrival.invalid_body).to_string() /> }
                                .into_any()
                        }
                        Err(_) => {
                            set_status(http_status::SERVICE_UNAVAILABLE);
                            view! { <Unusable lang title=tr!(lang, error.title).to_string() body=tr!(lang, error.body).to_string() /> }
                                .into_any()
                        }
                    }
                })
            }}
        </Suspense>
    }
}

pub(crate) mod http_status {
    pub const NOT_FOUND: u16 = 404;
    pub const SERVICE_UNAVAILABLE: u16 = 503;
}

/// Sets the status of the page being rendered (server only).
pub(crate) fn set_status(code: u16) {
    #[cfg(feature = "ssr")]
    if let (Some(response), Ok(status)) = (
        use_context::<leptos_axum::ResponseOptions>(),
        http::StatusCode::from_u16(code),
    ) {
        response.set_status(status);
    }
    #[cfg(not(feature = "ssr"))]
    let _ = code;
}

#[component]
pub(crate) fn Unusable(lang: Lang, title: String, body: String) -> impl IntoView {
    view! {
        <Title text=title.clone() />
        <h1>{title}</h1>
        <p>{body}</p>
        <p>{tr!(lang, arrival.help)}</p>
    }
}

#[component]
fn IdentityForm(
    lang: Lang,
    token: String,
    error: Option<FieldError>,
    typed: (String, String, String),
) -> impl IntoView {
    let invalid = error.is_some();
    let error_id = invalid.then_some("dob-error");
    let described = if invalid {
        "dob-hint dob-error"
    } else {
        "dob-hint"
    };
    let title = if invalid {
        format!(
            "{} — {}",
            tr!(lang, arrival.errors_title),
            tr!(lang, arrival.title)
        )
    } else {
        tr!(lang, arrival.title).to_string()
    };
    let action = <ConfirmIdentity as ServerFn>::PATH;
    let field_class = if invalid {
        "input input-error"
    } else {
        "input"
    };
    view! {
        <Title text=title />
        <ErrorSummary title=tr!(lang, arrival.errors_title).to_string() errors=error.clone().into_iter().collect() />
        <h1>{tr!(lang, arrival.title)}</h1>
        <p>{tr!(lang, arrival.intro)}</p>
        <form method="post" action=action class="form" novalidate>
            <input type="hidden" name="token" value=token />
            <div class=if invalid { "form-group form-group-error" } else { "form-group" }>
                <fieldset class="fieldset" role="group" aria-describedby=described>
                    <legend class="legend-large">{tr!(lang, arrival.legend)}</legend>
                    <p class="hint" id="dob-hint">{tr!(lang, arrival.hint)}</p>
                    {error.map(|e| view! { <p class="error-message" id=error_id>{e.message}</p> })}
                    <div class="date-input">
                        <div class="date-item">
                            <label for="dob-day">{tr!(lang, arrival.day)}</label>
                            <input class=field_class id="dob-day" name="day" type="text" inputmode="numeric" autocomplete="bday-day" size="2" maxlength="2" value=typed.0 />
                        </div>
                        <div class="date-item">
                            <label for="dob-month">{tr!(lang, arrival.month)}</label>
                            <input class=field_class id="dob-month" name="month" type="text" inputmode="numeric" autocomplete="bday-month" size="2" maxlength="2" value=typed.1 />
                        </div>
                        <div class="date-item date-item-year">
                            <label for="dob-year">{tr!(lang, arrival.year)}</label>
                            <input class=field_class id="dob-year" name="year" type="text" inputmode="numeric" autocomplete="bday-year" size="4" maxlength="4" value=typed.2 />
                        </div>
                    </div>
                </fieldset>
            </div>
            <button type="submit" class="button">{tr!(lang, arrival.submit)}</button>
        </form>
    }
}
