//! Proving who one is: the date of birth asked before anything is shown.
//! Plain form posts (they work without JavaScript) answered by a redirect:
//! to `/dossier` with a session cookie on success, back to the link's page
//! with an error code otherwise. The token never outlives the landing page.

use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// What a case link leads to, as the landing page needs it (no personal data).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum LinkStatus {
    Open,
    Locked,
    Invalid,
}

/// The state of the link `token`.
#[server(endpoint = "case/link-status")]
pub async fn case_link_status(token: String) -> Result<LinkStatus, AppError> {
    use relais_store::links::{resolve_case_link, CaseLink};
    let db = crate::citizen::session::server_context::<relais_store::Db>()?;
    if !relais::link_check::is_token(&token) {
        return Ok(LinkStatus::Invalid);
    }
    match resolve_case_link(&db, &token).await {
        Ok(CaseLink::Open { locked: false, .. }) => Ok(LinkStatus::Open),
        Ok(CaseLink::Open { locked: true, .. }) => Ok(LinkStatus::Locked),
        Ok(CaseLink::Invalid) => Ok(LinkStatus::Invalid),
        Err(e) => {
            tracing::error!(error = %e, "case link lookup failed");
            Err(AppError::Unavailable)
        }
    }
}

/// The form's answer: `/d/<token>` with `?erreur=` and what was typed.
pub fn arrival_url(token: &str, error: Option<&str>, typed: Option<(&str, &str, &str)>) -> String {
    let mut url = format!("/d/{token}");
    if let Some(error) = error {
        url.push_str("?erreur=");
        url.push_str(error);
        if let Some((d, m, y)) = typed {
            for (name, value) in [("j", d), ("m", m), ("a", y)] {
                url.push('&');
                url.push_str(name);
                url.push('=');
                url.push_str(&encode(value));
            }
        }
    }
    url
}

fn encode(value: &str) -> String {
    value
        .chars()
        .take(8)
        .filter(|c| c.is_ascii_alphanumeric() || *c == ' ')
        .map(|c| if c == ' ' { '+' } else { c })
        .collect()
}

/// Checks the date of birth typed for the link `token`.
#[server(endpoint = "case/identity")]
pub async fn confirm_identity(
    #[server(default)] token: String,
    #[server(default)] day: String,
    #[server(default)] month: String,
    #[server(default)] year: String,
) -> Result<(), AppError> {
    use crate::citizen::session::{client_ip, CookieJar};
    use leptos_axum::redirect;
    use relais_store::attempts::{is_rate_limited, AttemptKind, BIRTH_DATE_LIMIT};
    use relais_store::links::{confirm_birth_date, resolve_case_link, CaseLink, Proof};
    use relais_store::{settings, Db, StoreError};

    let db = crate::citizen::session::server_context::<Db>()?;
    let (ip, cookies) = (client_ip(), CookieJar::from_context());
    if !relais::link_check::is_token(&token) {
        redirect("/d/invalide");
        return Ok(());
    }
    let typed = (day.as_str(), month.as_str(), year.as_str());
    let outcome: Result<String, StoreError> = async {
        let key = settings::shared_secret(&db, "ip_hash_key").await?;
        let ip_hash = relais_store::security::token::hash_ip(&ip, &key);
        let case_id = match resolve_case_link(&db, &token).await? {
            CaseLink::Open {
                case_id,
                locked: false,
            } => case_id,
            _ => return Ok(arrival_url(&token, None, None)),
        };
        if is_rate_limited(&db, AttemptKind::BirthDate, &ip_hash, BIRTH_DATE_LIMIT).await? {
            return Ok(arrival_url(&token, Some("limite"), Some(typed)));
        }
        let today = db.today_paris();
        let birth_date = match relais::date_fields::parse_birth_date(&day, &month, &year, today) {
            Ok(date) => date,
            Err(e) => return Ok(arrival_url(&token, Some(e.code()), Some(typed))),
        };
        // The address's attempt is committed with the comparison, before
        // any answer.
        let proof = confirm_birth_date(&db, case_id, &birth_date.to_string(), &ip_hash).await?;
        Ok(match proof {
            Proof::Confirmed { session } => {
                cookies.set_session(&session);
                tracing::info!(case_id = case_id.get(), "case identity confirmed");
                "/dossier".to_owned()
            }
            Proof::Wrong { tries_left } => {
                tracing::info!(case_id = case_id.get(), tries_left, "wrong date of birth");
                format!(
                    "{}&essais={tries_left}",
                    arrival_url(&token, Some("wrong"), None)
                )
            }
            Proof::Locked => {
                tracing::warn!(
                    case_id = case_id.get(),
                    "case link locked after wrong dates of birth"
                );
                arrival_url(&token, None, None)
            }
        })
    }
    .await;
    match outcome {
        Ok(location) => redirect(&location),
        Err(e) => {
            tracing::error!(error = %e, "identity check failed");
            redirect(&arrival_url(&token, Some("service"), Some(typed)));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_answer_keeps_what_was_typed_but_nothing_dangerous() {
        assert_eq!(arrival_url("tok", None, None), "/d/tok");
        assert_eq!(
            arrival_url("tok", Some("day"), Some(("3x", "<b>", "19 85\r\n"))),
            "/d/tok?erreur=day&j=3x&m=b&a=19+85"
        );
    }
}
