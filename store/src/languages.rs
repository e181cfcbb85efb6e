//! The language each person reads: a case's (`cases.lang`, from the intake
//! or their own choice, `cases.lang_chosen` telling which), a contact's
//! (`contacts.lang`, as the case or a tracer said it, or their own choice;
//! else their case's). A change reaches every text not sent yet, and only
//! those: what went stays as it went.

use super::columns::OptionalId;
use super::{Db, StoreError};
use crate::security::token::{hash_token, hashes_match};
use crate::sessions::{session_subject, SessionSubject};
use relais::ids::{CaseId, ContactId};
use relais::Lang;

/// Whose language it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reader {
    Case(CaseId),
    Contact(ContactId),
}

/// Records the language `reader` reads, and moves their texts not sent yet
/// to it (a contact who said nothing follows their case: so do theirs).
pub async fn set_reader_lang(db: &Db, reader: Reader, lang: Lang) -> Result<(), StoreError> {
    let mut tx = db.begin_write().await?;
    match reader {
        Reader::Contact(id) => set_contact_lang_on(&mut tx, id, lang).await?,
        Reader::Case(id) => {
            sqlx::query("UPDATE cases SET lang = $1, lang_chosen = TRUE WHERE id = $2")
                .bind(lang.code())
                .bind(id.get())
                .execute(&mut *tx)
                .await?;
            sqlx::query(
                "UPDATE sms_outbox SET lang = $1 WHERE status = 'pending' AND case_id = $2 \
                 AND (contact_id IS NULL OR contact_id IN \
                 (SELECT id FROM contacts WHERE case_id = $2 AND lang IS NULL))",
            )
            .bind(lang.code())
            .bind(id.get())
            .execute(&mut *tx)
            .await?;
        }
    }
    tx.commit().await?;
    Ok(())
}

/// The contact's language, and their texts not sent yet, in the caller's
/// transaction.
pub(crate) async fn set_contact_lang_on(
    conn: &mut sqlx::AnyConnection,
    id: ContactId,
    lang: Lang,
) -> Result<(), StoreError> {
    sqlx::query("UPDATE contacts SET lang = $1 WHERE id = $2")
        .bind(lang.code())
        .bind(id.get())
        .execute(&mut *conn)
        .await?;
    sqlx::query("UPDATE sms_outbox SET lang = $1 WHERE status = 'pending' AND contact_id = $2")
        .bind(lang.code())
        .bind(id.get())
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// The citizen whose session `secret` opens, if any (a staff session is
/// nobody's reader: the console's language is the browser's).
pub async fn reader_of_session(db: &Db, secret: &str) -> Result<Option<Reader>, StoreError> {
    Ok(match session_subject(db, secret).await? {
        Some(SessionSubject::Case(id)) => Some(Reader::Case(id)),
        Some(SessionSubject::Contact(id)) => Some(Reader::Contact(id)),
        Some(SessionSubject::Staff(_)) | None => None,
    })
}

/// The person an SMS link (`/d/…` or `/c/…`) leads to, and the language
/// stored for them, if one was said: a contact's as the case, a tracer or
/// they themselves said it; a case's only when they chose it on the site
/// (the intake's language says which language their SMS go in, and the
/// browser's which language their pages open in, as before). `None`
/// for an unknown or expired link (whatever the link's state otherwise:
/// its page says what it must). Without a stored language, the browser's
/// decides.
pub async fn reader_of_link(
    db: &Db,
    token: &str,
) -> Result<Option<(Reader, Option<Lang>)>, StoreError> {
    let hash = hash_token(token);
    #[derive(sqlx::FromRow)]
    struct Row {
        token_hash: String,
        #[sqlx(try_from = "OptionalId")]
        case_id: Option<CaseId>,
        #[sqlx(try_from = "OptionalId")]
        contact_id: Option<ContactId>,
        lang: Option<String>,
    }
    let row: Option<Row> = sqlx::query_as(
        "SELECT l.token_hash, l.case_id, l.contact_id, \
         CASE WHEN l.contact_id IS NOT NULL THEN k.lang \
         WHEN c.lang_chosen THEN c.lang END AS lang \
         FROM link_tokens l \
         LEFT JOIN cases c ON c.id = l.case_id \
         LEFT JOIN contacts k ON k.id = l.contact_id \
         WHERE l.token_hash = $1 AND l.expires_at > $2",
    )
    .bind(&hash)
    .bind(db.now())
    .fetch_optional(db.pool())
    .await?;
    let Some(row) = row.filter(|r| hashes_match(&r.token_hash, &hash)) else {
        return Ok(None);
    };
    let reader = match (row.contact_id, row.case_id) {
        (Some(contact), _) => Reader::Contact(contact),
        (None, Some(case)) => Reader::Case(case),
        (None, None) => return Ok(None),
    };
    Ok(Some((reader, row.lang.and_then(|l| l.parse().ok()))))
}
