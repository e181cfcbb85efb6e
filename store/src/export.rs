//! Validated contact lists for the national tracing tool: one case's, or
//! every contact validated since an instant, in pages. A contact is in the
//! export when a tracer validated its case's list (`contacts.status =
//! 'validated'`, see `desk::notify`) and it was not removed; its validation
//! time is the case's `validated_at` (the last validation of the list, so a
//! list validated again comes back in a later page of a bulk export).

use super::columns::Flag;
use super::{Db, StoreError};
use relais::ids::ContactId;

/// One validated contact, with its case's references.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ExportedContact {
    pub case_reference: String,
    pub lab_reference: Option<String>,
    #[sqlx(try_from = "i64")]
    pub contact_id: ContactId,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    /// E.164
    pub phone: Option<String>,
    pub relationship: String,
    /// YYYY-MM-DD
    pub last_contact: Option<String>,
    #[sqlx(try_from = "Flag")]
    pub household: bool,
    /// Exposure machine names, comma-separated.
    pub exposures: String,
    /// Protection machine names, comma-separated.
    pub protection: String,
    /// The tracer's classification when they changed it, else the rules'.
    pub classification: Option<String>,
    /// Unix seconds.
    pub validated_at: i64,
    /// Unix seconds, when the notification was queued.
    pub notified_at: Option<i64>,
}

const SELECT: &str = concat!(
    "SELECT k.reference AS case_reference, k.lab_reference, c.id AS contact_id, \
     COALESCE(c.own_first_name, c.first_name) AS first_name, \
     COALESCE(c.own_last_name, c.last_name) AS last_name, c.phone, c.relationship, c.last_contact, ",
    crate::flag!("c.household", "household"),
    ", c.exposures, c.protection, \
     COALESCE(c.tracer_classification, c.classification) AS classification, \
     k.validated_at, c.notified_at \
     FROM contacts c JOIN cases k ON k.id = c.case_id \
     WHERE c.status = 'validated' AND c.removed_at IS NULL AND k.validated_at IS NOT NULL"
);

/// The validated contacts of the case `case_reference`, by contact id;
/// `None` when there is no such case.
pub async fn case_contacts(
    db: &Db,
    scope: crate::scope::Scope,
    case_reference: &str,
) -> Result<Option<Vec<ExportedContact>>, StoreError> {
    let Some(case_id) = super::cases::id_of_reference(db, case_reference).await? else {
        return Ok(None);
    };
    // A case outside the key's scope is "no such case".
    let Some(case) = crate::scope::case_in_scope(db, scope, case_id).await? else {
        return Ok(None);
    };
    let case_id = case.id();
    let contacts: Vec<ExportedContact> =
        sqlx::query_as(&format!("{SELECT} AND k.id = $1 ORDER BY c.id"))
            .bind(case_id.get())
            .fetch_all(db.pool())
            .await?;
    Ok(Some(contacts))
}

/// Where a page of the bulk export starts: after this (validation time,
/// contact id). The first page of "since T" starts after (T, 0).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cursor {
    pub validated_at: i64,
    pub contact_id: ContactId,
}

/// Up to `limit` contacts validated at or after the cursor's time, in
/// (validation time, contact id) order (keyset pagination: the last page
/// costs the first's), and the cursor of the next page when there may be one.
pub async fn contacts_after(
    db: &Db,
    scope: crate::scope::Scope,
    after: Cursor,
    limit: i64,
) -> Result<(Vec<ExportedContact>, Option<Cursor>), StoreError> {
    let contacts: Vec<ExportedContact> = sqlx::query_as(&format!(
        "{SELECT} AND (k.validated_at > $1 OR (k.validated_at = $1 AND c.id > $2)) AND {} \
         ORDER BY k.validated_at, c.id LIMIT $3",
        scope.cases_where("k")
    ))
    .bind(after.validated_at)
    .bind(after.contact_id.get())
    .bind(limit)
    .fetch_all(db.pool())
    .await?;
    let next = (contacts.len() as i64 == limit)
        .then(|| contacts.last())
        .flatten()
        .map(|last| Cursor {
            validated_at: last.validated_at,
            contact_id: last.contact_id,
        });
    Ok((contacts, next))
}
