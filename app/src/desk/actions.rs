//! What a tracer does on the case page, as server functions: each checks
//! the staff member's role, parses the form, calls the store (which checks
//! the case's version and writes the audit line) and sends the browser back
//! to the case page with what happened.

#[cfg(feature = "ssr")]
use super::auth::{StaffContext, SIGN_IN_PATH};
use crate::error::AppError;
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
    pub fn refused(&self, refusal: AppError) {
        if refusal == AppError::SignedOut {
            self.redirect(&format!("{SIGN_IN_PATH}?erreur=expired"));
        }
    }
}

/// The staff member for a tracer's action, or the refusal already answered.
#[cfg(feature = "ssr")]
pub async fn tracer(reply: &Reply) -> Result<Option<StaffContext>, AppError> {
    staff_with(reply, relais::roles::StaffRole::Tracer).await
}

/// The staff member for an action needing `role`, or the refusal answered.
#[cfg(feature = "ssr")]
pub async fn staff_with(
    reply: &Reply,
    role: relais::roles::StaffRole,
) -> Result<Option<StaffContext>, AppError> {
    match StaffContext::require(role).await {
        Ok(ctx) => Ok(Some(ctx)),
        Err(refusal @ (AppError::SignedOut | AppError::Forbidden)) => {
            reply.refused(refusal);
            Ok(None)
        }
        Err(e) => Err(e),
    }
}

/// The case page, with a message.
pub fn case_url(case_id: impl std::fmt::Display, query: &str) -> String {
    format!("/equipe/dossiers/{case_id}?{query}")
}

/// A tracer's action on one case: who, which case (and the version of it
/// they saw), and where to answer.
#[cfg(feature = "ssr")]
pub struct CaseAction {
    pub reply: Reply,
    pub ctx: StaffContext,
    pub case_id: relais::ids::CaseId,
    /// The case, checked to be in the member's scope.
    pub case: relais_store::scope::ScopedCase,
    /// Present when the action needs it (a change of the case's lists).
    pub version: i64,
}

#[cfg(feature = "ssr")]
impl CaseAction {
    /// Checks the role and parses the case id and, when `version` is
    /// given, the version; `None` when refused or malformed (answered).
    pub async fn open(
        case_id: &str,
        version: Option<&str>,
    ) -> Result<Option<CaseAction>, AppError> {
        let reply = Reply::capture();
        let Some(ctx) = tracer(&reply).await? else {
            return Ok(None);
        };
        let version = match version {
            None => Some(0),
            Some(v) => v.parse::<i64>().ok(),
        };
        match (case_id.parse::<relais::ids::CaseId>(), version) {
            (Ok(case_id), Some(version)) => {
                // A case outside the scope is "not found" (404).
                let case = ctx.case(case_id).await?;
                Ok(Some(CaseAction {
                    reply,
                    ctx,
                    case_id,
                    case,
                    version,
                }))
            }
            _ => {
                reply.redirect("/equipe");
                Ok(None)
            }
        }
    }

    /// Back to the case page, saying what became of the change.
    pub fn answer(&self, change: relais_store::desk::changes::Change, ok: &str) {
        use relais_store::desk::changes::Change;
        self.reply.redirect(&case_url(
            self.case_id,
            match change {
                Change::Done => ok,
                Change::Conflict => "erreur=conflict",
                Change::NotFound => "erreur=closed",
            },
        ));
    }

    /// A contact id posted with the action; `None` when malformed (answered).
    pub fn contact(&self, contact_id: &str) -> Option<relais::ids::ContactId> {
        let parsed = contact_id.parse::<i64>().ok().map(relais::ids::ContactId);
        if parsed.is_none() {
            self.reply
                .redirect(&case_url(self.case_id, "erreur=closed"));
        }
        parsed
    }
}

/// Records a call and its outcome (with the time to call back).
#[server(endpoint = "staff/call")]
pub async fn record_call(
    #[server(default)] case_id: String,
    #[server(default)] outcome: String,
    #[server(default)] call_back: String,
) -> Result<(), AppError> {
    let Some(a) = CaseAction::open(&case_id, None).await? else {
        return Ok(());
    };
    let report =
        match relais::desk::calls::parse_call_report(&outcome, &call_back, a.ctx.db.now_local()) {
            Ok(report) => report,
            Err(_) => {
                a.reply
                    .redirect(&case_url(a.case_id, "erreur=call_invalid#calls"));
                return Ok(());
            }
        };
    let call_back_at = report.call_back_at.map(relais_store::paris::instant_of);
    let change = relais_store::desk::changes::record_call(
        &a.ctx.db,
        a.ctx.member.id,
        a.case,
        report.outcome,
        call_back_at,
    )
    .await?;
    a.answer(change, "ok=call");
    Ok(())
}

/// Lifts the lock of the case's SMS link.
#[server(endpoint = "staff/unlock-link")]
pub async fn unlock_link(#[server(default)] case_id: String) -> Result<(), AppError> {
    let Some(a) = CaseAction::open(&case_id, None).await? else {
        return Ok(());
    };
    let change =
        relais_store::desk::changes::unlock_link(&a.ctx.db, a.ctx.member.id, a.case).await?;
    a.answer(change, "ok=unlocked");
    Ok(())
}

/// Sends the case a new SMS link (through the outbox).
#[server(endpoint = "staff/resend-link")]
pub async fn resend_link(#[server(default)] case_id: String) -> Result<(), AppError> {
    let Some(a) = CaseAction::open(&case_id, None).await? else {
        return Ok(());
    };
    let change =
        relais_store::desk::changes::resend_link(&a.ctx.db, a.ctx.member.id, a.case).await?;
    a.answer(change, "ok=resent");
    Ok(())
}

/// Closes the case.
#[server(endpoint = "staff/close")]
pub async fn close_case(
    #[server(default)] case_id: String,
    #[server(default)] version: String,
) -> Result<(), AppError> {
    let Some(a) = CaseAction::open(&case_id, Some(&version)).await? else {
        return Ok(());
    };
    let change =
        relais_store::desk::changes::close_case(&a.ctx.db, a.ctx.member.id, a.case, a.version)
            .await?;
    a.answer(change, "ok=closed");
    Ok(())
}

/// Takes a contact off the list.
#[server(endpoint = "staff/remove-contact")]
pub async fn remove_contact(
    #[server(default)] case_id: String,
    #[server(default)] version: String,
    #[server(default)] contact_id: String,
) -> Result<(), AppError> {
    let Some(a) = CaseAction::open(&case_id, Some(&version)).await? else {
        return Ok(());
    };
    let Some(contact_id) = a.contact(&contact_id) else {
        return Ok(());
    };
    let change = relais_store::desk::changes::remove_contact(
        &a.ctx.db,
        a.ctx.member.id,
        a.case,
        a.version,
        contact_id,
    )
    .await?;
    a.answer(change, "ok=removed#contacts");
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
) -> Result<(), AppError> {
    let Some(a) = CaseAction::open(&case_id, Some(&version)).await? else {
        return Ok(());
    };
    let Some(contact_id) = a.contact(&contact_id) else {
        return Ok(());
    };
    let reason: String = reason.trim().chars().take(200).collect();
    let decision = match classification.parse::<relais::Classification>() {
        Ok(_) if reason.is_empty() => {
            a.reply.redirect(&case_url(
                a.case_id,
                &format!("erreur=reason#contact-{contact_id}"),
            ));
            return Ok(());
        }
        Ok(c) => Some((c, reason.as_str())),
        Err(_) => None,
    };
    let change = relais_store::desk::changes::reclassify_contact(
        &a.ctx.db,
        a.ctx.member.id,
        a.case,
        a.version,
        contact_id,
        decision,
    )
    .await?;
    a.answer(change, &format!("ok=reclassified#contact-{contact_id}"));
    Ok(())
}

/// Validates the list as the tracer saw it and queues one notification
/// SMS per at-risk contact with a mobile phone (never twice).
#[server(endpoint = "staff/validate")]
pub async fn validate_list(
    #[server(default)] case_id: String,
    #[server(default)] version: String,
) -> Result<(), AppError> {
    use relais_store::desk::notify::Decision;
    let Some(a) = CaseAction::open(&case_id, Some(&version)).await? else {
        return Ok(());
    };
    let (db, case_id) = (&a.ctx.db, a.case_id);
    let Some((_, case_ctx)) = super::case_context::case_context(&a.ctx, a.case).await? else {
        a.reply.redirect("/equipe");
        return Ok(());
    };
    let assessment = case_ctx.assessment();
    let contacts = relais_store::desk::case_file::load_contacts(db, a.case).await?;
    // The contacts are told now: their tests anchored on that day get dates.
    let told_on = db.today_paris();
    let decisions: Vec<Decision> = contacts
        .iter()
        .filter(|c| c.removed_at.is_none())
        .map(|c| {
            let decided = super::case_context::decided_assessment(&assessment, c, Some(told_on));
            // A contact told before keeps the day they were told.
            let first_told = c
                .notified_at
                .and_then(relais_store::paris::local)
                .map_or(told_on, |t| t.date());
            Decision {
                contact_id: c.contact.id,
                at_risk: decided.classification.is_at_risk(),
                schedule: relais_store::schedule::ContactSchedule::of(
                    decided.quarantine.as_ref(),
                    first_told,
                ),
            }
        })
        .collect();
    // The decisions were computed from what is stored now; the store
    // refuses them if the case is no longer at the version the tracer saw.
    // With them, the case's own "How are you?" texts, day 2 and day 5 of the
    // isolation the rules in force give (each once: a second validation adds
    // none), in the same transaction.
    let isolation = (case_ctx.situation.j0(), assessment.isolation.last_day);
    match relais_store::desk::notify::validate_list(
        db,
        a.ctx.member.id,
        a.case,
        a.version,
        &decisions,
        Some(isolation),
    )
    .await?
    {
        Ok(done) => {
            tracing::info!(
                case_id = %case_id,
                contacts = done.contacts,
                queued = done.queued,
                scheduled = done.scheduled,
                check_ins = done.check_ins,
                "list validated"
            );
            a.reply.redirect(&case_url(
                case_id,
                &format!("ok=validated&n={}", done.queued),
            ));
        }
        Err(change) => a.answer(change, ""),
    }
    Ok(())
}
