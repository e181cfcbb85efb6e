//! SMS links of cases: resolving a presented token, and the date-of-birth
//! check that proves the holder is the person (links get forwarded). The
//! failure counter lives in the database, so five wrong tries lock the link
//! on every node.

use super::{Db, StoreError};
use crate::security::token::{hash_token, hashes_match, new_token, NewToken};
use relais::ids::{CaseId, ContactId};
use relais::status::CaseStatus;

/// Wrong dates of birth after which a case's link is locked.
pub const MAX_DOB_FAILURES: i64 = 5;

/// What a presented case token leads to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CaseLink {
    /// A valid link of an open case; `locked` after too many wrong dates.
    Open { case_id: CaseId, locked: bool },
    /// Unknown, expired, or of a closed or purged case: one answer for all
    /// three, so that a guesser learns nothing.
    Invalid,
}

/// Resolves a case token presented in a `/d/<token>` link.
pub async fn resolve_case_link(db: &Db, token: &str) -> Result<CaseLink, StoreError> {
    let hash = hash_token(token);
    #[derive(sqlx::FromRow)]
    struct Row {
        token_hash: String,
        #[sqlx(try_from = "i64")]
        id: CaseId,
        status: String,
        locked_at: Option<i64>,
        purged_at: Option<i64>,
    }
    let row: Option<Row> = sqlx::query_as(
        "SELECT l.token_hash, c.id, c.status, c.locked_at, c.purged_at \
         FROM link_tokens l JOIN cases c ON c.id = l.case_id \
         WHERE l.token_hash = $1 AND l.kind = 'case' AND l.expires_at > $2",
    )
    .bind(&hash)
    .bind(db.now())
    .fetch_optional(db.pool())
    .await?;
    Ok(match row {
        Some(row)
            if hashes_match(&row.token_hash, &hash)
                && row.status != CaseStatus::Closed.as_str()
                && row.purged_at.is_none() =>
        {
            CaseLink::Open {
                case_id: row.id,
                locked: row.locked_at.is_some(),
            }
        }
        _ => CaseLink::Invalid,
    })
}

/// The outcome of comparing a date of birth (the first step of [`confirm_birth_date`]).
#[derive(Debug, Clone, PartialEq, Eq)]
enum DobCheck {
    Confirmed,
    /// Wrong date; `tries_left` before the link locks.
    Wrong {
        tries_left: i64,
    },
    /// Locked now or before: a tracer must unlock it.
    Locked,
}

/// What proving one is the case by the date of birth came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Proof {
    /// The right date: a session is open, its secret is for the cookie.
    Confirmed { session: String },
    /// Wrong date; `tries_left` before the link locks.
    Wrong { tries_left: i64 },
    /// Locked now or before: a tracer must unlock it.
    Locked,
}

/// The whole proof of a date of birth typed on the case's link, from the
/// address `ip_hash`, in one write transaction: the address's attempt, the
/// case's count of tries, the count's reset or the link's lock, and on the
/// right date the case's session. One commit carries all of it, before any
/// answer: a request cut short either counted everything or revealed
/// nothing, and SQLite's writers take one turn for it, not five.
pub async fn confirm_birth_date(
    db: &Db,
    case_id: CaseId,
    birth_date: &str,
    ip_hash: &str,
) -> Result<Proof, StoreError> {
    let at = db.now();
    let mut tx = db.begin_write().await?;
    let check = compare_birth_date(&mut tx, at, case_id, birth_date).await?;
    let confirmed = check == DobCheck::Confirmed;
    crate::attempts::insert_attempt(
        &mut tx,
        at,
        crate::attempts::AttemptKind::BirthDate,
        Some(case_id.get()),
        ip_hash,
        confirmed,
    )
    .await?;
    let proof = match check {
        DobCheck::Confirmed => Proof::Confirmed {
            session: crate::sessions::insert_session(
                &mut tx,
                at,
                crate::sessions::SessionSubject::Case(case_id),
            )
            .await?,
        },
        DobCheck::Wrong { tries_left } => Proof::Wrong { tries_left },
        DobCheck::Locked => Proof::Locked,
    };
    tx.commit().await?;
    Ok(proof)
}

/// Compares `birth_date` with the case's, on a write transaction. The try
/// is counted first, in one statement that only counts while the link is
/// unlocked and under [`MAX_DOB_FAILURES`] tries: however many tries run at
/// once, on however many nodes, at most that many are ever compared before
/// the lock (a right date among hundreds of parallel wrong ones does not get
/// through once the lock is reached). A right date then resets the count.
async fn compare_birth_date(
    tx: &mut sqlx::AnyConnection,
    at: i64,
    case_id: CaseId,
    birth_date: &str,
) -> Result<DobCheck, StoreError> {
    let case_id = case_id.get();
    let counted: Option<(Option<String>, i64)> = sqlx::query_as(
        "UPDATE cases SET dob_failures = dob_failures + 1 \
         WHERE id = $1 AND locked_at IS NULL AND dob_failures < $2 \
         RETURNING birth_date, dob_failures",
    )
    .bind(case_id)
    .bind(MAX_DOB_FAILURES)
    .fetch_optional(&mut *tx)
    .await?;
    let Some((stored, tries)) = counted else {
        let exists: Option<i64> = sqlx::query_scalar("SELECT id FROM cases WHERE id = $1")
            .bind(case_id)
            .fetch_optional(&mut *tx)
            .await?;
        return match exists {
            Some(_) => {
                lock(tx, at, case_id).await?;
                Ok(DobCheck::Locked)
            }
            None => Err(StoreError::NotFound("case")),
        };
    };
    if stored
        .as_deref()
        .is_some_and(|s| hashes_match(s, birth_date))
    {
        sqlx::query("UPDATE cases SET dob_failures = 0 WHERE id = $1 AND locked_at IS NULL")
            .bind(case_id)
            .execute(&mut *tx)
            .await?;
        return Ok(DobCheck::Confirmed);
    }
    if tries >= MAX_DOB_FAILURES {
        lock(tx, at, case_id).await?;
        return Ok(DobCheck::Locked);
    }
    Ok(DobCheck::Wrong {
        tries_left: MAX_DOB_FAILURES - tries,
    })
}

/// Locks the case's link (kept as the first lock's instant).
async fn lock(tx: &mut sqlx::AnyConnection, at: i64, case_id: i64) -> Result<(), StoreError> {
    sqlx::query("UPDATE cases SET locked_at = $2 WHERE id = $1 AND locked_at IS NULL")
        .bind(case_id)
        .bind(at)
        .execute(tx)
        .await?;
    Ok(())
}

/// Unlocks a case's link (a tracer, after checking who is calling).
pub async fn unlock_case_link(db: &Db, case_id: CaseId) -> Result<(), StoreError> {
    sqlx::query("UPDATE cases SET dob_failures = 0, locked_at = NULL WHERE id = $1")
        .bind(case_id.get())
        .execute(&mut *db.write().await?)
        .await?;
    Ok(())
}

/// Makes every case link issued up to `at` expire at `at` (a link sent
/// again replaces them). Sessions already opened stay: their holder proved
/// the date of birth.
pub(crate) async fn revoke_case_links(
    conn: &mut sqlx::AnyConnection,
    case_id: CaseId,
    at: i64,
) -> Result<(), StoreError> {
    sqlx::query(
        "UPDATE link_tokens SET expires_at = $2 \
         WHERE kind = 'case' AND case_id = $1 AND expires_at > $2 AND created_at <= $2",
    )
    .bind(case_id.get())
    .bind(at)
    .execute(conn)
    .await?;
    Ok(())
}

/// Whom an SMS link opens the service to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum LinkHolder {
    Case(CaseId),
    Contact(ContactId),
}

/// Stores a new SMS link (its hash only) valid for `validity_days` and
/// returns the token to write into the SMS.
pub(crate) async fn insert_link(
    db: &Db,
    holder: LinkHolder,
    validity_days: i64,
) -> Result<NewToken, StoreError> {
    let token = new_token();
    let at = db.now();
    let (kind, case_id, contact_id) = match holder {
        LinkHolder::Case(id) => ("case", Some(id.get()), None),
        LinkHolder::Contact(id) => ("contact", None, Some(id.get())),
    };
    sqlx::query(
        "INSERT INTO link_tokens (token_hash, kind, case_id, contact_id, created_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(&token.hash)
    .bind(kind)
    .bind(case_id)
    .bind(contact_id)
    .bind(at)
    .bind(at + validity_days * 86_400)
    .execute(&mut *db.write().await?)
    .await?;
    Ok(token)
}
