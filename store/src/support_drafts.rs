//! What a case or a contact typed in the support request form, kept when
//! the form comes back with a problem to fix (`cases.support_draft`,
//! `contacts.support_draft`: JSON written by the app): the page shows it
//! again, and nothing typed travels in an address. One draft a person, the
//! last one; a request sent forgets it. Also who a contact asks as (the
//! contact's case), for [`crate::support::ask`].

use crate::support::Asker;
use crate::{Db, StoreError};
use relais::ids::{CaseId, ContactId};

/// Keeps `json` as the asker's draft, replacing the one before.
pub async fn save(db: &Db, asker: Asker, json: &str) -> Result<(), StoreError> {
    write(db, asker, Some(json)).await
}

/// Writes the asker's draft column (`None`: no draft).
async fn write(db: &Db, asker: Asker, json: Option<&str>) -> Result<(), StoreError> {
    let query = match asker {
        Asker::Case(case_id) => sqlx::query("UPDATE cases SET support_draft = $2 WHERE id = $1")
            .bind(case_id.get())
            .bind(json),
        Asker::Contact {
            case_id,
            contact_id,
        } => sqlx::query("UPDATE contacts SET support_draft = $3 WHERE id = $1 AND case_id = $2")
            .bind(contact_id.get())
            .bind(case_id.get())
            .bind(json),
    };
    query.execute(&mut *db.write().await?).await?;
    Ok(())
}

/// The asker's draft, if one waits.
pub async fn load(db: &Db, asker: Asker) -> Result<Option<String>, StoreError> {
    let row: Option<(Option<String>,)> = match asker {
        Asker::Case(case_id) => {
            sqlx::query_as("SELECT support_draft FROM cases WHERE id = $1")
                .bind(case_id.get())
                .fetch_optional(db.pool())
                .await?
        }
        Asker::Contact {
            case_id,
            contact_id,
        } => {
            sqlx::query_as("SELECT support_draft FROM contacts WHERE id = $1 AND case_id = $2")
                .bind(contact_id.get())
                .bind(case_id.get())
                .fetch_optional(db.pool())
                .await?
        }
    };
    Ok(row.and_then(|(draft,)| draft))
}

/// Forgets the asker's draft (the request was sent).
pub async fn clear(db: &Db, asker: Asker) -> Result<(), StoreError> {
    write(db, asker, None).await
}

/// Who the contact `contact_id` asks as: the contact of their case.
/// `None` for a contact that does not exist.
pub async fn contact_asker(db: &Db, contact_id: ContactId) -> Result<Option<Asker>, StoreError> {
    let row: Option<(i64,)> = sqlx::query_as("SELECT case_id FROM contacts WHERE id = $1")
        .bind(contact_id.get())
        .fetch_optional(db.pool())
        .await?;
    Ok(row.map(|(case_id,)| Asker::Contact {
        case_id: CaseId(case_id),
        contact_id,
    }))
}
