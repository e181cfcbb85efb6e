//! Staff sign-in and sessions. Passwords are argon2id hashes; a failure
//! never says whether the name or the password was wrong; consecutive
//! failures of one account slow its next answers down, then lock it until
//! an admin unlocks it (counters in the database, so every node agrees);
//! the session id is new at each sign-in and ends after 30 idle minutes.

use crate::error::AppError;
use crate::i18n::use_lang;
use crate::tr;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use relais::roles::StaffRole;
use relais::Lang;

/// Where the sign-in page is.
pub const SIGN_IN_PATH: &str = "/equipe/connexion";

/// The staff cookie's name: `__Host-` prefixed (host-only, path `/`,
/// `Secure`) on HTTPS; distinct from the citizens' session cookie.
pub fn staff_cookie_name(https: bool) -> &'static str {
    if https {
        "__Host-relais_staff"
    } else {
        "relais_staff"
    }
}

/// The `Set-Cookie` value of a staff session (see the citizens' own).
#[cfg(feature = "ssr")]
pub fn staff_cookie(secret: &str, https: bool) -> String {
    crate::citizen::session::cookie_header(staff_cookie_name(https), secret, https)
}

/// Whether supervisors and admins must enrol a second factor before
/// anything else (`RELAIS_SECOND_FACTOR`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SecondFactorRequired(pub bool);

/// Whether `member` must enrol before doing anything else, under the
/// service's `required` setting (read from the context before any await).
#[cfg(feature = "ssr")]
pub fn must_enrol(
    required: Option<SecondFactorRequired>,
    member: &relais_store::staff::StaffMember,
) -> bool {
    required.unwrap_or_default().0
        && member.role.includes(relais::roles::StaffRole::Supervisor)
        && !member.second_factor
}

/// The staff member of the request and what a server function needs.
#[cfg(feature = "ssr")]
pub struct StaffContext {
    pub db: relais_store::Db,
    pub member: relais_store::staff::StaffMember,
    pub lang: Lang,
    pub rule_sets: std::sync::Arc<relais::RuleSets>,
}

#[cfg(feature = "ssr")]
use crate::citizen::session::is_https;

/// The staff session secret the browser sent, if any.
#[cfg(feature = "ssr")]
pub fn presented_staff_secret() -> Option<String> {
    crate::citizen::session::presented_cookie(staff_cookie_name(is_https()))
}

#[cfg(feature = "ssr")]
impl StaffContext {
    /// The staff member as the pages show them.
    pub fn me(&self) -> Me {
        Me {
            organisation: self.member.organisation_name.clone(),
            display_name: self.member.display_name.clone(),
            role: self.member.role,
        }
    }

    /// The cases this member may see.
    pub fn scope(&self) -> relais_store::scope::Scope {
        self.member.scope()
    }

    /// The case `case_id` when it is in this member's scope; otherwise "not
    /// found" (404), the answer for a case that does not exist: a case
    /// outside the scope is not revealed.
    pub async fn case(
        &self,
        case_id: relais::ids::CaseId,
    ) -> Result<relais_store::scope::ScopedCase, AppError> {
        match relais_store::scope::case_in_scope(&self.db, self.scope(), case_id).await? {
            Some(case) => Ok(case),
            None => {
                tracing::info!(
                    staff_user_id = self.member.id.get(),
                    case_id = case_id.get(),
                    "staff request: case not found in scope"
                );
                Err(AppError::NotFound.answer())
            }
        }
    }

    /// Takes the contexts (before any `.await`), then checks that the
    /// request carries a live staff session whose role includes `role`.
    /// A refusal sets the response's status (401 or 403). A supervisor or
    /// admin who must enrol a second factor first is sent to the security
    /// page (a 403 for a client that is not a browser).
    pub async fn require(role: StaffRole) -> Result<StaffContext, AppError> {
        let response = use_context::<leptos_axum::ResponseOptions>();
        let required = use_context::<SecondFactorRequired>();
        let ctx = StaffContext::require_even_unenrolled(role).await?;
        let must_enrol = must_enrol(required, &ctx.member);
        if must_enrol {
            if let Some(r) = &response {
                r.set_status(http::StatusCode::FOUND);
                r.insert_header(
                    http::header::LOCATION,
                    http::HeaderValue::from_static(super::paths::SECURITY_PATH),
                );
            }
            return Err(AppError::Forbidden);
        }
        Ok(ctx)
    }

    /// [`StaffContext::require`] without the enrolment of a second factor
    /// (the security page, where one enrols).
    pub async fn require_even_unenrolled(role: StaffRole) -> Result<StaffContext, AppError> {
        StaffContext::open(Some(role)).await
    }

    /// Any active staff member, whatever their role, without the enrolment
    /// of a second factor: the member's own security page.
    pub async fn require_member_even_unenrolled() -> Result<StaffContext, AppError> {
        StaffContext::open(None).await
    }

    /// The member of the request's staff session, whose role includes
    /// `role` (any role when `None`).
    async fn open(role: Option<StaffRole>) -> Result<StaffContext, AppError> {
        use crate::citizen::session::server_context;
        let db = server_context::<relais_store::Db>()?;
        let rule_sets = server_context::<std::sync::Arc<relais::RuleSets>>()?;
        // Read before any `.await`: the reactive owner may be gone after.
        let lang = use_lang();
        let secret = presented_staff_secret();
        let response = use_context::<leptos_axum::ResponseOptions>();
        let refuse = |e: AppError| {
            if let Some(r) = &response {
                r.set_status(e.status());
            }
            Err(e)
        };
        let Some(secret) = secret else {
            return refuse(AppError::SignedOut);
        };
        let member = match active_member_of(&db, &secret).await {
            Ok(member) => member,
            Err(e @ (AppError::SignedOut | AppError::Forbidden)) => return refuse(e),
            Err(e) => return Err(e),
        };
        if role.is_some_and(|role| lacks_role(&member, role)) {
            // A support cell's member reaching a tracer's page (the
            // console's home after signing in) goes to their own desk.
            if let (StaffRole::Support, Some(r)) = (member.role, &response) {
                r.set_status(http::StatusCode::FOUND);
                r.insert_header(
                    http::header::LOCATION,
                    http::HeaderValue::from_static(super::paths::SUPPORT_PATH),
                );
                return Err(AppError::Forbidden);
            }
            return refuse(AppError::Forbidden);
        }
        Ok(StaffContext {
            db,
            member,
            lang,
            rule_sets,
        })
    }
}

/// The active staff member whose session secret is `secret`, when their
/// role includes `role`; otherwise `SignedOut` (no live session, an
/// inactive account) or `Forbidden` (the role does not allow it). Server
/// functions reach it through [`StaffContext::require`], plain HTTP
/// handlers (the figures' CSV) directly.
#[cfg(feature = "ssr")]
pub async fn staff_member_of(
    db: &relais_store::Db,
    secret: &str,
    role: StaffRole,
) -> Result<relais_store::staff::StaffMember, AppError> {
    let member = active_member_of(db, secret).await?;
    if lacks_role(&member, role) {
        return Err(AppError::Forbidden);
    }
    Ok(member)
}

/// Whether `member`'s role falls short of `role` (logged when it does).
#[cfg(feature = "ssr")]
fn lacks_role(member: &relais_store::staff::StaffMember, role: StaffRole) -> bool {
    let lacks = !member.role.includes(role);
    if lacks {
        tracing::warn!(
            staff_user_id = member.id.get(),
            ?role,
            "staff request refused: role"
        );
    }
    lacks
}

/// The active staff member whose session secret is `secret`, whatever
/// their role; `SignedOut` without a live session or for an inactive
/// account.
#[cfg(feature = "ssr")]
async fn active_member_of(
    db: &relais_store::Db,
    secret: &str,
) -> Result<relais_store::staff::StaffMember, AppError> {
    relais_store::staff::session_member(db, secret)
        .await?
        .ok_or(AppError::SignedOut)
}

/// The staff member as the pages show them.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Me {
    pub display_name: String,
    /// The organisation they act for.
    pub organisation: String,
    pub role: StaffRole,
}

/// Signs a staff member in: a fresh session on success (any session the
/// browser had is ended), the same answer for every failure.
#[server(endpoint = "staff/sign-in")]
pub async fn staff_sign_in(
    #[server(default)] username: String,
    #[server(default)] password: String,
) -> Result<(), AppError> {
    use crate::citizen::session::{client_ip, server_context};
    use relais_store::attempts::{
        attempt_succeeded, begin_sign_in_attempt, is_rate_limited, AttemptKind,
    };
    use relais_store::audit::{record, AuditAction, AuditEntry};
    use relais_store::security::password::{dummy_hash, PasswordChecks};
    use relais_store::{sessions, staff};
    let db = server_context::<relais_store::Db>()?;
    let base_delay = use_context::<SignInDelay>().unwrap_or_default();
    let checks = use_context::<PasswordChecks>().unwrap_or_default();
    let response = use_context::<leptos_axum::ResponseOptions>();
    let https = is_https();
    let old_secret = presented_staff_secret();
    let ip = client_ip();
    let key = relais_store::settings::shared_secret(&db, "ip_hash_key").await?;
    let ip = relais_store::security::token::hash_ip(&ip, &key);
    let fail = |code: &'static str| {
        leptos_axum::redirect(&format!("{SIGN_IN_PATH}?erreur={code}"));
        Ok(())
    };
    if is_rate_limited(&db, AttemptKind::StaffSignIn, &ip, STAFF_IP_LIMIT).await? {
        return fail("too_many");
    }
    let account = staff::find_for_sign_in(&db, username.trim()).await?;
    let hash = account
        .as_ref()
        .map_or(dummy_hash().to_owned(), |a| a.password_hash.clone());
    // The attempt counts before the password is checked (as a failure until
    // it succeeds): a flood of checks cut short still counts.
    let attempt = begin_sign_in_attempt(&db, account.as_ref().map(|a| a.id), &ip).await?;
    // Verify even for an unknown name, so both cost the same time; at most
    // RELAIS_PASSWORD_CHECKS at once, beyond which the answer is 503 with
    // Retry-After (nothing is counted against the account).
    let Ok(matches) = checks.verify(password, hash).await else {
        tracing::warn!("staff sign-in refused: every password check is busy");
        if let Some(r) = &response {
            r.insert_header(
                http::header::RETRY_AFTER,
                http::HeaderValue::from_static("2"),
            );
        }
        return Err(AppError::Unavailable.answer());
    };
    // A name that is no account is counted, delayed and locked as an
    // account is: the answers do not tell which names exist.
    let unknown_name = relais_store::security::token::hash_sign_in_name(&username, &key);
    let (name, locked) = match &account {
        Some(account) => (
            staff::SignInName::Account(account.id),
            account.locked || account.disabled,
        ),
        None => (
            staff::SignInName::Unknown(&unknown_name),
            staff::unknown_name_locked(&db, &unknown_name).await?,
        ),
    };
    let account = match account {
        Some(account) if matches && !locked => account,
        _ => {
            if !locked {
                count_failure(&db, name, base_delay).await?;
            }
            return fail("credentials");
        }
    };
    if let Some(old) = old_secret {
        sessions::close_session(&db, &old).await?;
    }
    attempt_succeeded(&db, attempt).await?;
    if account.second_factor {
        // The password alone opens nothing: a session waiting for the code
        // (the failures are reset only once the code is right, or guessing
        // codes between right passwords would never lock).
        let pending = sessions::open_factor_pending_session(&db, account.id).await?;
        if let (Some(r), Ok(value)) = (
            response,
            http::HeaderValue::from_str(&staff_cookie(&pending, https)),
        ) {
            r.append_header(http::header::SET_COOKIE, value);
        }
        leptos_axum::redirect(super::paths::CODE_PATH);
        return Ok(());
    }
    staff::record_sign_in_success(&db, account.id).await?;
    let secret = sessions::open_session(&db, sessions::SessionSubject::Staff(account.id)).await?;
    record(&db, &AuditEntry::new(account.id, AuditAction::SignIn)).await?;
    if let (Some(r), Ok(value)) = (
        response,
        http::HeaderValue::from_str(&staff_cookie(&secret, https)),
    ) {
        r.append_header(http::header::SET_COOKIE, value);
    }
    tracing::info!(staff_user_id = account.id.get(), "staff signed in");
    leptos_axum::redirect("/equipe");
    Ok(())
}

/// Failed staff sign-ins (passwords and codes) from one address within an
/// hour before its sign-ins are refused.
#[cfg(feature = "ssr")]
pub const STAFF_IP_LIMIT: relais_store::attempts::RateLimit = relais_store::attempts::RateLimit {
    max_failures: 50,
    window_seconds: 3600,
};

/// Counts a failed sign-in step (a password, a second factor's code) of
/// `name`: locks it at the limit (ending an account's sessions), and waits
/// the growing delay. Returns whether it is now locked.
#[cfg(feature = "ssr")]
pub async fn count_failure(
    db: &relais_store::Db,
    name: relais_store::staff::SignInName<'_>,
    base_delay: SignInDelay,
) -> Result<bool, AppError> {
    use relais::desk::sign_in::{after_failure, delay_ms, AfterFailure};
    use relais_store::{sessions, staff};
    let failures = staff::record_sign_in_failure(db, name).await?;
    let locked = after_failure(failures) == AfterFailure::Lock;
    if locked {
        staff::lock_sign_in(db, name).await?;
        if let staff::SignInName::Account(id) = name {
            sessions::close_staff_sessions(db, id).await?;
            tracing::warn!(
                staff_user_id = id.get(),
                "staff account locked after failures"
            );
        }
    }
    let wait = delay_ms(failures, base_delay.0);
    if wait > 0 {
        tokio::time::sleep(std::time::Duration::from_millis(wait)).await;
    }
    Ok(locked)
}

/// The base of the increasing delay after failed sign-ins, in milliseconds
/// (`RELAIS_SIGN_IN_DELAY_MS`, 1000 by default).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SignInDelay(pub u64);

impl Default for SignInDelay {
    fn default() -> Self {
        SignInDelay(1000)
    }
}

/// Ends the staff session.
#[server(endpoint = "staff/sign-out")]
pub async fn staff_sign_out() -> Result<(), AppError> {
    use relais_store::audit::{record, AuditAction, AuditEntry};
    let db = crate::citizen::session::server_context::<relais_store::Db>()?;
    let https = is_https();
    let response = use_context::<leptos_axum::ResponseOptions>();
    let secret = presented_staff_secret();
    if let Some(secret) = secret {
        if let Ok(Some(relais_store::sessions::SessionSubject::Staff(id))) =
            relais_store::sessions::session_subject(&db, &secret).await
        {
            record(&db, &AuditEntry::new(id, AuditAction::SignOut)).await?;
        }
        relais_store::sessions::close_session(&db, &secret).await?;
    }
    if let (Some(r), Ok(value)) = (
        response,
        http::HeaderValue::from_str(&format!("{}; Max-Age=0", staff_cookie("", https))),
    ) {
        r.append_header(http::header::SET_COOKIE, value);
    }
    leptos_axum::redirect(&format!("{SIGN_IN_PATH}?erreur=signed_out"));
    Ok(())
}

/// `/equipe/connexion`: the sign-in form.
#[component]
pub fn SignInPage() -> impl IntoView {
    let lang = use_lang();
    let code = use_query_map()
        .get_untracked()
        .get("erreur")
        .unwrap_or_default();
    let message = sign_in_message(lang, &code);
    let is_error = code != "signed_out" && message.is_some();
    let errors = if is_error {
        message
            .clone()
            .map(|m| {
                vec![crate::citizen::error_summary::FieldError {
                    field: "username".into(),
                    message: m,
                }]
            })
            .unwrap_or_default()
    } else {
        Vec::new()
    };
    view! {
        <Title text=tr!(lang, desk.sign_in_title) />
        <crate::citizen::error_summary::ErrorSummary title=tr!(lang, arrival.errors_title).to_string() errors />
        <h1>{tr!(lang, desk.sign_in_title)}</h1>
        {(!is_error).then(|| message.map(|m| view! { <p class="panel" role="status">{m}</p> }))}
        <form method="post" action={<StaffSignIn as leptos::server_fn::ServerFn>::PATH} class="form" novalidate>
            <div class="form-group">
                <label class="label" for="username">{tr!(lang, desk.username)}</label>
                <input class="input" id="username" name="username" type="text" autocomplete="username" autocapitalize="none" spellcheck="false" required />
            </div>
            <div class="form-group">
                <label class="label" for="password">{tr!(lang, desk.password)}</label>
                <input class="input" id="password" name="password" type="password" autocomplete="current-password" required />
            </div>
            <button type="submit" class="button">{tr!(lang, desk.sign_in)}</button>
        </form>
    }
}

fn sign_in_message(lang: Lang, code: &str) -> Option<String> {
    Some(
        match code {
            "credentials" => tr!(lang, desk.error_credentials),
            "too_many" => tr!(lang, desk.error_too_many),
            "signed_out" => tr!(lang, desk.signed_out),
            "expired" => tr!(lang, desk.expired),
            _ => return None,
        }
        .to_owned(),
    )
}
