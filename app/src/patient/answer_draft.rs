//! A refused answer of the case about themselves (their situation, their
//! early-release test) is kept on the server as the case's draft, and the
//! form shows it again: what the case typed never travels in an address
//! (access logs, browser history). One draft a case, the last one; a form
//! saved forgets it.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Which form of the case's own space.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AnswerForm {
    /// `/dossier/situation`: symptoms, their onset, the case's vaccination.
    Situation,
    /// The early-release test on `/dossier`.
    ReleaseTest,
}

/// What a refused form held: its fields as typed and why it was refused.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnswerDraft {
    pub form: AnswerForm,
    pub fields: BTreeMap<String, String>,
    /// The error code of the refusal (the form's own codes).
    pub error: String,
}

impl AnswerDraft {
    pub fn new(form: AnswerForm, fields: &[(&str, String)], error: &str) -> AnswerDraft {
        AnswerDraft {
            form,
            fields: fields
                .iter()
                .map(|(name, value)| ((*name).to_owned(), value.clone()))
                .collect(),
            error: error.to_owned(),
        }
    }

    /// What was typed in `name` (empty when nothing).
    pub fn field(&self, name: &str) -> String {
        self.fields.get(name).cloned().unwrap_or_default()
    }
}

/// Keeps `draft` as the case's answer draft (a failure is logged: the form
/// then shows only its error).
#[cfg(feature = "ssr")]
pub async fn keep(db: &relais_store::Db, case_id: relais::ids::CaseId, draft: &AnswerDraft) {
    let json = serde_json::to_string(draft).unwrap_or_default();
    if let Err(e) = relais_store::cases::save_answer_draft(db, case_id, &json).await {
        tracing::error!(error = %e, %case_id, "saving the case's answer draft failed");
    }
}

/// The case's answer draft, if one waits (each form shows only its own).
#[cfg(feature = "ssr")]
pub async fn load(
    db: &relais_store::Db,
    case_id: relais::ids::CaseId,
) -> Result<Option<AnswerDraft>, relais_store::StoreError> {
    Ok(relais_store::cases::load_answer_draft(db, case_id)
        .await?
        .and_then(|json| serde_json::from_str::<AnswerDraft>(&json).ok()))
}

/// Forgets the case's answer draft: the form was saved.
#[cfg(feature = "ssr")]
pub async fn clear(db: &relais_store::Db, case_id: relais::ids::CaseId) {
    if let Err(e) = relais_store::cases::clear_answer_draft(db, case_id).await {
        tracing::error!(error = %e, %case_id, "clearing the case's answer draft failed");
    }
}
