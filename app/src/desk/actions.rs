//! What a tracer does on the case page, as server functions: each checks
//! the staff member's role, parses the form, calls the store (which checks
//! the case's version and writes the audit line) and sends the browser back
//! to the case page with what happened.

#[cfg(feature = "ssr")]
use super::auth::{desk_error, Refusal, StaffContext, SIGN_IN_PATH};
use leptos::prelude::*;

/// Where a server function sends the browser, with the response options
/// and the request's `Accept` taken before any `.await`.
#[cfg(feature = "ssr")]
pub struct Reply {
    response: Option<leptos_axum::ResponseOptions>,
    accepts_html: bool,
}

#[cfg(feature = "ssr")]
impl Reply {
    pub fn capture() -> Reply {
        let accepts_html = use_context::<http::request::Parts>().is_some_and(|p| {
            p.headers
                .get(http::header::ACCEPT)
                .and_then(|v| v.to_str().ok())
                .is_some_and(|v| v.contains("text/html"))
        });
        Reply {
            response: use_context::<leptos_axum::ResponseOptions>(),
            accepts_html,
        }
    }

    /// Sends the browser to `path` (a 302 for a plain form post).
    pub fn redirect(&self, path: &str) {
        let Some(response) = &self.response else {
            return;
        };
        if let Ok(value) = http::HeaderValue::from_str(path) {
            response.insert_header(http::header::LOCATION, value);
        }
        if self.accepts_html {
            response.set_status(http::StatusCode::FOUND);
        } else if let Ok(name) = http::HeaderName::from_bytes(b"serverfnredirect") {
            response.insert_header(name, http::HeaderValue::from_static(""));
        }
    }

    /// A refused request: signed out goes to the sign-in page (401 for a
    /// client that is not a browser); forbidden stays a 403 with nothing done.
    pub fn refused(&self, refusal: Refusal) {
        if refusal == Refusal::SignedOut {
            self.redirect(&format!("{SIGN_IN_PATH}?erreur=expired"));
        }
    }
}

/// The staff member for a tracer's action, or the refusal already answered.
#[cfg(feature = "ssr")]
pub async fn tracer(reply: &Reply) -> Result<Option<StaffContext>, ServerFnError> {
    staff_with(reply, crate::roles::StaffRole::Tracer).await
}

/// The staff member for an action needing `role`, or the refusal answered.
#[cfg(feature = "ssr")]
pub async fn staff_with(
    reply: &Reply,
    role: crate::roles::StaffRole,
) -> Result<Option<StaffContext>, ServerFnError> {
    match StaffContext::require(role).await? {
        Ok(ctx) => Ok(Some(ctx)),
        Err(refusal) => {
            reply.refused(refusal);
            Ok(None)
        }
    }
}

/// The case page, with a message.
pub fn case_url(case_id: i64, query: &str) -> String {
    format!("/equipe/dossiers/{case_id}?{query}")
}

#[cfg(feature = "ssr")]
fn answer(reply: &Reply, case_id: i64, change: crate::store::desk::changes::Change, ok: &str) {
    use crate::store::desk::changes::Change;
    reply.redirect(&case_url(
        case_id,
        match change {
            Change::Done => ok,
            Change::Conflict => "erreur=conflict",
            Change::NotFound => "erreur=closed",
        },
    ));
}

#[cfg(feature = "ssr")]
fn ids(case_id: &str, version: &str) -> Option<(i64, i64)> {
    Some((case_id.parse().ok()?, version.parse().ok()?))
}

/// Records a call and its outcome (with the time to call back).
#[server(endpoint = "staff/call")]
pub async fn record_call(
    #[server(default)] case_id: String,
    #[server(default)] outcome: String,
    #[server(default)] call_back: String,
) -> Result<(), ServerFnError> {
    let reply = Reply::capture();
    let Some(ctx) = tracer(&reply).await? else {
        return Ok(());
    };
    let Ok(case_id) = case_id.parse::<i64>() else {
        reply.redirect("/equipe");
        return Ok(());
    };
    let report = match relais::desk::calls::parse_call_report(
        &outcome,
        &call_back,
        super::time::now_local(),
    ) {
        Ok(report) => report,
        Err(_) => {
            reply.redirect(&case_url(case_id, "erreur=call_invalid#calls"));
            return Ok(());
        }
    };
    let call_back_at = report.call_back_at.map(super::time::instant_of);
    let change = crate::store::desk::changes::record_call(
        &ctx.db,
        ctx.member.id,
        case_id,
        report.outcome,
        call_back_at,
    )
    .await
    .map_err(desk_error)?;
    answer(&reply, case_id, change, "ok=call");
    Ok(())
}

/// Lifts the lock of the case's SMS link.
#[server(endpoint = "staff/unlock-link")]
pub async fn unlock_link(#[server(default)] case_id: String) -> Result<(), ServerFnError> {
    let reply = Reply::capture();
    let Some(ctx) = tracer(&reply).await? else {
        return Ok(());
    };
    let Ok(case_id) = case_id.parse::<i64>() else {
        reply.redirect("/equipe");
        return Ok(());
    };
    let change = crate::store::desk::changes::unlock_link(&ctx.db, ctx.member.id, case_id)
        .await
        .map_err(desk_error)?;
    answer(&reply, case_id, change, "ok=unlocked");
    Ok(())
}

/// Sends the case a new SMS link (through the outbox).
#[server(endpoint = "staff/resend-link")]
pub async fn resend_link(#[server(default)] case_id: String) -> Result<(), ServerFnError> {
    let reply = Reply::capture();
    let Some(ctx) = tracer(&reply).await? else {
        return Ok(());
    };
    let Ok(case_id) = case_id.parse::<i64>() else {
        reply.redirect("/equipe");
        return Ok(());
    };
    let change = crate::store::desk::changes::resend_link(&ctx.db, ctx.member.id, case_id)
        .await
        .map_err(desk_error)?;
    answer(&reply, case_id, change, "ok=resent");
    Ok(())
}

/// Closes the case.
#[server(endpoint = "staff/close")]
pub async fn close_case(
    #[server(default)] case_id: String,
    #[server(default)] version: String,
) -> Result<(), ServerFnError> {
    let reply = Reply::capture();
    let Some(ctx) = tracer(&reply).await? else {
        return Ok(());
    };
    let Some((case_id, version)) = ids(&case_id, &version) else {
        reply.redirect("/equipe");
        return Ok(());
    };
    let change = crate::store::desk::changes::close_case(&ctx.db, ctx.member.id, case_id, version)
        .await
        .map_err(desk_error)?;
    answer(&reply, case_id, change, "ok=closed");
    Ok(())
}

/// Takes a contact off the list.
#[server(endpoint = "staff/remove-contact")]
pub async fn remove_contact(
    #[server(default)] case_id: String,
    #[server(default)] version: String,
    #[server(default)] contact_id: String,
) -> Result<(), ServerFnError> {
    let reply = Reply::capture();
    let Some(ctx) = tracer(&reply).await? else {
        return Ok(());
    };
    let (Some((case_id, version)), Ok(contact_id)) =
        (ids(&case_id, &version), contact_id.parse::<i64>())
    else {
        reply.redirect("/equipe");
        return Ok(());
    };
    let change = crate::store::desk::changes::remove_contact(
        &ctx.db,
        ctx.member.id,
        case_id,
        version,
        contact_id,
    )
    .await
    .map_err(desk_error)?;
    answer(&reply, case_id, change, "ok=removed#contacts");
    Ok(())
}

/// The tracer's classification of a contact, with a reason (required when
/// it departs from the rules).
#[server(endpoint = "staff/reclassify")]
pub async fn reclassify_contact(
    #[server(default)] case_id: String,
    #[server(default)] version: String,
    #[server(default)] contact_id: String,
    #[server(default)] classification: String,
    #[server(default)] reason: String,
) -> Result<(), ServerFnError> {
    let reply = Reply::capture();
    let Some(ctx) = tracer(&reply).await? else {
        return Ok(());
    };
    let (Some((case_id, version)), Ok(contact_id)) =
        (ids(&case_id, &version), contact_id.parse::<i64>())
    else {
        reply.redirect("/equipe");
        return Ok(());
    };
    let reason: String = reason.trim().chars().take(200).collect();
    let decision = match classification.parse::<relais::Classification>() {
        Ok(_) if reason.is_empty() => {
            reply.redirect(&case_url(
                case_id,
                &format!("erreur=reason#contact-{contact_id}"),
            ));
            return Ok(());
        }
        Ok(c) => Some((c, reason.as_str())),
        Err(_) => None,
    };
    let change = crate::store::desk::changes::reclassify_contact(
        &ctx.db,
        ctx.member.id,
        case_id,
        version,
        contact_id,
        decision,
    )
    .await
    .map_err(desk_error)?;
    answer(
        &reply,
        case_id,
        change,
        &format!("ok=reclassified#contact-{contact_id}"),
    );
    Ok(())
}

/// Validates the list as the tracer saw it and queues one notification
/// SMS per at-risk contact with a mobile phone (never twice).
#[server(endpoint = "staff/validate")]
pub async fn validate_list(
    #[server(default)] case_id: String,
    #[server(default)] version: String,
) -> Result<(), ServerFnError> {
    use crate::store::desk::notify::{validate_list, Decision};
    let reply = Reply::capture();
    let Some(ctx) = tracer(&reply).await? else {
        return Ok(());
    };
    let Some((case_id, version)) = ids(&case_id, &version) else {
        reply.redirect("/equipe");
        return Ok(());
    };
    let Some(case) = crate::store::desk::case_file::load_case(&ctx.db, case_id)
        .await
        .map_err(desk_error)?
    else {
        reply.redirect("/equipe");
        return Ok(());
    };
    let Some(situation) = super::case_page::situation_of(&case) else {
        return Err(ServerFnError::new("service unavailable"));
    };
    let assessment = relais::rules::assess(&ctx.rule_sets, &situation);
    let contacts = crate::store::desk::case_file::load_contacts(&ctx.db, case_id)
        .await
        .map_err(desk_error)?;
    let decisions: Vec<Decision> = contacts
        .iter()
        .filter(|c| c.removed_at.is_none())
        .map(|c| Decision {
            contact_id: c.contact.id,
            at_risk: super::case_page::effective_classification(&assessment, c)
                .0
                .is_at_risk(),
        })
        .collect();
    // The decisions were computed from what is stored now; the store
    // refuses them if the case is no longer at the version the tracer saw.
    match validate_list(&ctx.db, ctx.member.id, case_id, version, &decisions)
        .await
        .map_err(desk_error)?
    {
        Ok(done) => {
            tracing::info!(
                case_id,
                contacts = done.contacts,
                queued = done.queued,
                "list validated"
            );
            reply.redirect(&case_url(
                case_id,
                &format!("ok=validated&n={}", done.queued),
            ));
        }
        Err(change) => answer(&reply, case_id, change, ""),
    }
    Ok(())
}
