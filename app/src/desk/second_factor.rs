//! The staff's second factor (issue 21): the code asked after the password
//! once a member enrolled (`/equipe/connexion/code`), the enrolment page
//! with its QR code and recovery codes (`/equipe/securite`), and an
//! admin's reset. Supervisors and admins must enrol before anything else
//! when the service requires it (`RELAIS_SECOND_FACTOR`, required by
//! default behind https).

use super::auth::SIGN_IN_PATH;
use super::view::{desk_page, Desk};
use crate::error::AppError;
use crate::i18n::use_lang;
use crate::tr;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use relais::Lang;
use serde::{Deserialize, Serialize};

pub use super::paths::{CODE_PATH, SECURITY_PATH};

/// Checks the code of a member whose password was right: a full session on
/// success; a failure counts as a failed sign-in (delayed, then locked).
#[server(endpoint = "staff/second-factor")]
pub async fn staff_second_factor(#[server(default)] code: String) -> Result<(), AppError> {
    use super::auth::{
        count_failure, presented_staff_secret, staff_cookie, SignInDelay, STAFF_IP_LIMIT,
    };
    use crate::citizen::session::{client_ip, is_https, server_context};
    use relais_store::attempts::{
        attempt_succeeded, begin_sign_in_attempt, is_rate_limited, AttemptKind,
    };
    use relais_store::audit::{record, AuditAction, AuditEntry};
    use relais_store::second_factor::{verify, Proof};
    use relais_store::{sessions, staff};
    let db = server_context::<relais_store::Db>()?;
    let base_delay = use_context::<SignInDelay>().unwrap_or_default();
    let response = use_context::<leptos_axum::ResponseOptions>();
    let https = is_https();
    let pending = presented_staff_secret();
    let ip = client_ip();
    let key = relais_store::settings::shared_secret(&db, "ip_hash_key").await?;
    let ip = relais_store::security::token::hash_ip(&ip, &key);
    let Some(pending) = pending else {
        leptos_axum::redirect(&format!("{SIGN_IN_PATH}?erreur=expired"));
        return Ok(());
    };
    let Some(id) = sessions::pending_factor_subject(&db, &pending).await? else {
        leptos_axum::redirect(&format!("{SIGN_IN_PATH}?erreur=expired"));
        return Ok(());
    };
    if is_rate_limited(&db, AttemptKind::StaffSignIn, &ip, STAFF_IP_LIMIT).await? {
        leptos_axum::redirect(&format!("{CODE_PATH}?erreur=too_many"));
        return Ok(());
    }
    let attempt = begin_sign_in_attempt(&db, Some(id), &ip).await?;
    if staff::active_member(&db, id).await?.is_none() {
        sessions::close_session(&db, &pending).await?;
        leptos_axum::redirect(&format!("{SIGN_IN_PATH}?erreur=credentials"));
        return Ok(());
    }
    let Some(proof) = verify(&db, id, &code).await? else {
        if count_failure(&db, staff::SignInName::Account(id), base_delay).await? {
            leptos_axum::redirect(&format!("{SIGN_IN_PATH}?erreur=credentials"));
        } else {
            leptos_axum::redirect(&format!("{CODE_PATH}?erreur=code"));
        }
        return Ok(());
    };
    sessions::close_session(&db, &pending).await?;
    staff::record_sign_in_success(&db, id).await?;
    attempt_succeeded(&db, attempt).await?;
    let secret = sessions::open_session(&db, sessions::SessionSubject::Staff(id)).await?;
    let entry = AuditEntry::new(id, AuditAction::SignIn);
    let entry = match proof {
        Proof::Code => entry.detail("second_factor"),
        Proof::RecoveryCode { .. } => entry.detail("recovery_code"),
    };
    record(&db, &entry).await?;
    if let (Some(r), Ok(value)) = (
        response,
        http::HeaderValue::from_str(&staff_cookie(&secret, https)),
    ) {
        r.append_header(http::header::SET_COOKIE, value);
    }
    tracing::info!(
        staff_user_id = id.get(),
        "staff signed in with a second factor"
    );
    match proof {
        // Few codes left: the security page says so.
        Proof::RecoveryCode { left } if left <= 3 => {
            leptos_axum::redirect(&format!("{SECURITY_PATH}?codes={left}"))
        }
        _ => leptos_axum::redirect("/equipe"),
    }
    Ok(())
}

/// `/equipe/connexion/code`: the code after the password.
#[component]
pub fn CodePage() -> impl IntoView {
    let lang = use_lang();
    let code = use_query_map()
        .get_untracked()
        .get("erreur")
        .unwrap_or_default();
    let message = match code.as_str() {
        "code" => Some(tr!(lang, desk.factor_wrong)),
        "too_many" => Some(tr!(lang, desk.error_too_many)),
        _ => None,
    };
    let errors = message
        .map(|m| {
            vec![crate::citizen::error_summary::FieldError {
                field: "code".into(),
                message: m.to_owned(),
            }]
        })
        .unwrap_or_default();
    view! {
        <Title text=tr!(lang, desk.factor_title) />
        <crate::citizen::error_summary::ErrorSummary title=tr!(lang, arrival.errors_title).to_string() errors />
        <h1>{tr!(lang, desk.factor_title)}</h1>
        <p>{tr!(lang, desk.factor_intro)}</p>
        <form method="post" action={<StaffSecondFactor as leptos::server_fn::ServerFn>::PATH} class="form" novalidate>
            <div class="form-group">
                <label class="label" for="code">{tr!(lang, desk.factor_code)}</label>
                <p class="hint" id="code-hint">{tr!(lang, desk.factor_code_hint)}</p>
                <input class="input input-short" id="code" name="code" type="text" inputmode="numeric" autocomplete="one-time-code" autocapitalize="none" spellcheck="false" aria-describedby="code-hint" required />
            </div>
            <button type="submit" class="button">{tr!(lang, desk.sign_in)}</button>
        </form>
        <p><a href=SIGN_IN_PATH>{tr!(lang, desk.factor_restart)}</a></p>
    }
}

/// What the security page shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Security {
    /// The second factor is on.
    pub enrolled: bool,
    /// The service requires it of this member before anything else.
    pub required: bool,
    /// Not enrolled: the secret (grouped for typing) and its QR code (SVG).
    pub enrolment: Option<(String, String)>,
    /// Just enrolled: the recovery codes, shown this once.
    pub new_codes: Vec<String>,
    /// The code typed to confirm the enrolment was wrong.
    pub wrong_code: bool,
}

/// The member's security page; a code posted to it (the enrolment's
/// confirmation, handed over by the server as a posted form) enables the
/// second factor, and the page then shows the recovery codes once.
#[server(endpoint = "staff/security")]
pub async fn load_security() -> Result<Desk<Security>, AppError> {
    use super::auth::{must_enrol, SecondFactorRequired, StaffContext};
    use relais_store::audit::{record, AuditAction, AuditEntry};
    use relais_store::second_factor::{confirm_enrolment, enrolment};
    let posted = crate::posted::posted_field("code");
    let required = use_context::<SecondFactorRequired>();
    let ctx = StaffContext::require_member_even_unenrolled().await?;
    let required = must_enrol(required, &ctx.member);
    let (mut new_codes, mut wrong_code) = (Vec::new(), false);
    if let (Some(code), false) = (posted, ctx.member.second_factor) {
        match confirm_enrolment(&ctx.db, ctx.member.id, &code).await? {
            Some(codes) => {
                record(
                    &ctx.db,
                    &AuditEntry::new(ctx.member.id, AuditAction::EnrolSecondFactor),
                )
                .await?;
                tracing::info!(
                    staff_user_id = ctx.member.id.get(),
                    "second factor enrolled"
                );
                new_codes = codes;
            }
            None => wrong_code = true,
        }
    }
    let enrolled = ctx.member.second_factor || !new_codes.is_empty();
    let enrolment = match enrolled {
        true => None,
        false => enrolment(&ctx.db, ctx.member.id, &ctx.member.username)
            .await?
            .map(|e| (grouped(&e.secret), e.qr_svg)),
    };
    Ok(Desk {
        me: ctx.me(),
        data: Security {
            enrolled,
            required: required && !enrolled,
            enrolment,
            new_codes,
            wrong_code,
        },
    })
}

/// A secret in groups of four, easier to type.
#[cfg(feature = "ssr")]
fn grouped(secret: &str) -> String {
    secret
        .as_bytes()
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join(" ")
}

#[component]
pub fn SecurityPage() -> impl IntoView {
    desk_page(
        (),
        |_| load_security(),
        |lang, _, data| view! { <SecurityView lang data /> },
    )
}

#[component]
fn SecurityView(lang: Lang, data: Security) -> impl IntoView {
    let query = use_query_map().get_untracked();
    let codes_left = query.get("codes");
    let errors = if data.wrong_code {
        vec![crate::citizen::error_summary::FieldError {
            field: "code".into(),
            message: tr!(lang, desk.factor_wrong).to_owned(),
        }]
    } else {
        Vec::new()
    };
    view! {
        <Title text=tr!(lang, desk.security_title) />
        <crate::citizen::error_summary::ErrorSummary title=tr!(lang, arrival.errors_title).to_string() errors />
        <h1>{tr!(lang, desk.security_title)}</h1>
        {data.required.then(|| view! { <p class="warning" role="alert">{tr!(lang, desk.factor_required)}</p> })}
        {codes_left.map(|n| view! { <p class="warning">{crate::i18n::fill(tr!(lang, desk.factor_codes_left), &[n])}</p> })}
        {(!data.new_codes.is_empty()).then(|| view! {
            <div class="panel" role="status">
                <h2>{tr!(lang, desk.factor_enrolled)}</h2>
                <p>{tr!(lang, desk.factor_codes_intro)}</p>
                <ul class="recovery-codes">
                    {data.new_codes.iter().map(|c| view! { <li><code>{c.clone()}</code></li> }).collect_view()}
                </ul>
                <p><a class="button" href="/equipe">{tr!(lang, desk.factor_continue)}</a></p>
            </div>
        })}
        {(data.enrolled && data.new_codes.is_empty()).then(|| view! { <p>{tr!(lang, desk.factor_on)}</p> })}
        {data.enrolment.map(|(secret, svg)| view! {
            <h2>{tr!(lang, desk.factor_enrol_title)}</h2>
            <p>{tr!(lang, desk.factor_enrol_intro)}</p>
            <figure class="qr-code">
                <div inner_html=svg role="img" aria-label=tr!(lang, desk.factor_qr_label)></div>
                <figcaption>{tr!(lang, desk.factor_secret)}" "<code id="factor-secret">{secret}</code></figcaption>
            </figure>
            <form method="post" action=SECURITY_PATH class="form" novalidate>
                <div class="form-group">
                    <label class="label" for="code">{tr!(lang, desk.factor_code)}</label>
                    <p class="hint" id="code-hint">{tr!(lang, desk.factor_code_hint)}</p>
                    <input class="input input-short" id="code" name="code" type="text" inputmode="numeric" autocomplete="one-time-code" aria-describedby="code-hint" required />
                </div>
                <button type="submit" class="button">{tr!(lang, desk.factor_confirm)}</button>
            </form>
        })}
    }
}

/// Removes a member's second factor (admin only, audited): they enrol again.
#[server(endpoint = "staff/reset-second-factor")]
pub async fn reset_second_factor(#[server(default)] account: String) -> Result<(), AppError> {
    use super::actions::{staff_with, Reply};
    use relais_store::audit::{record, AuditAction, AuditEntry};
    let reply = Reply::capture();
    let Some(ctx) = staff_with(&reply, relais::roles::StaffRole::Admin).await? else {
        return Ok(());
    };
    if let Ok(id) = account.parse::<i64>().map(relais::ids::StaffId) {
        if relais_store::second_factor::reset(&ctx.db, ctx.member.membership, id).await? {
            record(
                &ctx.db,
                &AuditEntry::new(ctx.member.id, AuditAction::ResetSecondFactor)
                    .detail(format!("account={id}")),
            )
            .await?;
            tracing::info!(
                staff_user_id = ctx.member.id.get(),
                account = id.get(),
                "second factor reset"
            );
        }
    }
    reply.redirect("/equipe/admin/comptes?ok=factor");
    Ok(())
}
