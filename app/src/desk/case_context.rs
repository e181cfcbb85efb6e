//! The case a tracer works on, as the rules see it: its situation, the
//! context the case's own forms use, and a contact's assessment with the
//! tracer's decision. Used by the case page and by the tracer's actions and
//! contact form (server only).

use crate::error::AppError;

/// The rules' assessment of a stored case.
pub(crate) fn situation_of(
    case: &relais_store::desk::case_file::DeskCase,
) -> Option<relais::CaseSituation> {
    Some(case.situation.clone())
}

/// The case a tracer works on, with the context the case's own forms use
/// (situation, rules, language): `None` when there is no such case.
pub(crate) async fn case_context(
    ctx: &super::auth::StaffContext,
    case: relais_store::scope::ScopedCase,
) -> Result<
    Option<(
        relais_store::desk::case_file::DeskCase,
        crate::patient::common::CaseContext,
    )>,
    AppError,
> {
    let case_id = case.id();
    let Some(case) = relais_store::desk::case_file::load_case(&ctx.db, case).await? else {
        return Ok(None);
    };
    let Some(situation) = situation_of(&case) else {
        return Err(AppError::Unavailable);
    };
    let case_ctx = crate::patient::common::CaseContext {
        db: ctx.db.clone(),
        case_id,
        situation,
        submitted_at: case.list_submitted_at,
        rule_sets: ctx.rule_sets.clone(),
        lang: ctx.lang,
    };
    Ok(Some((case, case_ctx)))
}

/// The contact's assessment with the tracer's decision, if any, for a
/// contact told on `informed_on` (`None` before: tests anchored on that day
/// read "on the day they are told").
pub(crate) fn decided_assessment(
    assessment: &relais::rules::CaseAssessment<'_>,
    contact: &relais_store::desk::case_file::DeskContact,
    informed_on: Option<time::Date>,
) -> relais::rules::ContactAssessment {
    let decided = contact
        .tracer_classification
        .as_deref()
        .and_then(|c| c.parse().ok());
    let mut exposure = contact.contact.input.exposure.clone();
    exposure.informed_on = informed_on;
    assessment.assess_contact_decided(&exposure, decided)
}
