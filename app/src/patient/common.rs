//! What the declaration's server functions share: the case of the session
//! with its assessment, and the answer to a form post.

use crate::error::AppError;
use crate::i18n::use_lang;
use leptos_axum::redirect;
use relais::Lang;
use relais_store::declaration::{clear_draft, remove_item, save_draft, Item, SaveOutcome};
use relais_store::{Db, StoreError};

/// The case, their assessment and today's date, for a server function.
pub struct CaseContext {
    pub db: Db,
    pub case_id: relais::ids::CaseId,
    pub situation: relais::CaseSituation,
    /// When the case sent their list, if they did.
    pub submitted_at: Option<i64>,
    pub rule_sets: std::sync::Arc<relais::RuleSets>,
    pub lang: Lang,
}

impl CaseContext {
    /// Takes the contexts (before any `.await`), then finds the session's
    /// case. `Ok(None)` without a live session.
    pub async fn load() -> Result<Option<CaseContext>, AppError> {
        let db = crate::citizen::session::server_context::<relais_store::Db>()?;
        let rule_sets =
            crate::citizen::session::server_context::<std::sync::Arc<relais::RuleSets>>()?;
        let lang = use_lang();
        let Some(secret) = crate::citizen::session::presented_secret() else {
            return Ok(None);
        };
        // The session, the case's situation and when they sent their list,
        // in one statement.
        let session = match relais_store::cases::case_session(&db, &secret).await {
            Ok(Some(session)) => session,
            Ok(None) => return Ok(None),
            Err(e) => {
                tracing::error!(error = %e, "case session lookup failed");
                return Err(AppError::Unavailable);
            }
        };
        let (case_id, Some(situation)) = (session.case_id, session.situation) else {
            return Err(AppError::Unavailable);
        };
        Ok(Some(CaseContext {
            db,
            case_id,
            situation,
            submitted_at: session.submitted_at,
            rule_sets,
            lang,
        }))
    }

    /// The case as the rules assess it today (the set of its J0, or the
    /// newer one in force when the operator applies newer sets).
    pub fn assessment(&self) -> relais::rules::CaseAssessment<'_> {
        relais::rules::assess_on(&self.rule_sets, &self.situation, self.db.today_paris())
    }

    /// The first year a date of this case may be in.
    pub fn first_year(&self) -> u32 {
        first_year(&self.situation)
    }
}

/// The first year a date typed about a case may be in: the year before its
/// sample, and never before 2019.
pub fn first_year(situation: &relais::CaseSituation) -> u32 {
    (situation.sample_date.year() - 1).max(2019) as u32
}

/// Answers a form post that saved (or not) one item of the declaration:
/// back to the list when saved; otherwise what was typed is kept as the
/// form's draft and the person goes back to the form, which shows what to
/// fix. `outcome` is `None` when the fields did not validate.
pub async fn answer_save<Id: Copy + Into<i64> + std::fmt::Display>(
    ctx: &CaseContext,
    kind: Item,
    list_url: &str,
    form_url: &str,
    draft: &str,
    outcome: Option<Result<SaveOutcome<Id>, StoreError>>,
) {
    let code = match outcome {
        None => None,
        Some(Ok(SaveOutcome::Saved(id))) => {
            tracing::info!(
                case_id = %ctx.case_id,
                item_id = Into::<i64>::into(id),
                ?kind,
                "declaration item saved"
            );
            redirect(&format!("{list_url}#item-{id}"));
            return;
        }
        Some(Ok(SaveOutcome::Closed)) => {
            redirect(&format!("{list_url}?erreur=closed"));
            return;
        }
        Some(Ok(SaveOutcome::Frozen)) => {
            redirect(&format!("{list_url}?erreur=frozen"));
            return;
        }
        // Only a staff member's change can be stale; never the case's own.
        Some(Ok(SaveOutcome::NotFound | SaveOutcome::Conflict)) => {
            redirect(list_url);
            return;
        }
        Some(Ok(SaveOutcome::TooMany)) => Some("too_many"),
        Some(Err(e)) => {
            tracing::error!(error = %e, ?kind, "saving a declaration item failed");
            Some("service")
        }
    };
    if let Err(e) = save_draft(&ctx.db, ctx.case_id, kind, draft).await {
        tracing::error!(error = %e, "saving a draft failed");
    }
    redirect(&match code {
        Some(code) => format!("{form_url}?erreur={code}"),
        None => form_url.to_owned(),
    });
}

/// Answers the removal of one of the case's items: back to the list.
pub async fn answer_remove(item: Item, id: &str, list_url: &str) -> Result<(), AppError> {
    let Some(ctx) = CaseContext::load().await? else {
        redirect("/dossier");
        return Ok(());
    };
    if let Ok(id) = id.parse::<i64>() {
        match remove_item(&ctx.db, item, ctx.case_id, id).await {
            Ok(_) => tracing::info!(case_id = %ctx.case_id, item_id = id, ?item, "item removed"),
            Err(e) => {
                tracing::error!(error = %e, ?item, "removing an item failed");
                redirect(&format!("{list_url}/{id}?erreur=service"));
                return Ok(());
            }
        }
    }
    redirect(list_url);
    Ok(())
}

/// Answers "cancel" on a form: its draft is forgotten, back to the list.
pub async fn answer_cancel(item: Item, list_url: &str) -> Result<(), AppError> {
    if let Some(ctx) = CaseContext::load().await? {
        if let Err(e) = clear_draft(&ctx.db, ctx.case_id, item).await {
            tracing::error!(error = %e, ?item, "clearing a draft failed");
        }
    }
    redirect(list_url);
    Ok(())
}

/// The case's situation as stored, for the pages and the rules.
pub async fn load_situation(
    db: &relais_store::Db,
    case_id: relais::ids::CaseId,
) -> Option<relais::CaseSituation> {
    relais_store::cases::situation_of(db, case_id)
        .await
        .map_err(|e| tracing::error!(error = %e, "case lookup failed"))
        .ok()
        .flatten()
}
