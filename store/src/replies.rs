//! SMS received from the gateway (`POST /api/sms/inbound`): each gateway
//! message id is acted on once (`sms_inbound`, unique), then the text is
//! read as
//! - an answer to the follow-up question ("1" negative, "2" positive, "3"
//!   not tested, spaces and punctuation ignored: the core's [`parse_reply`])
//!   from a number with a follow-up question pending or sent: recorded on
//!   that contact (the latest question's) — a test result through the
//!   contact journey's own [`record_test`] (so a "2" opens the new case
//!   exactly as the contact's page does), "not tested" as
//!   `contacts.sms_answer` with the tracer's follow-up flag;
//! - `STOP` alone (any case, spaces and punctuation around it ignored): the
//!   number is opted out, for good; its waiting messages become
//!   `opted_out` and the worker never sends to it again. No confirmation is
//!   sent from here: the gateway (the operator) confirms opt-outs itself;
//! - anything else: an unread reply for the tracers, on each case the
//!   number belongs to (as a contact or as the case). A text from an
//!   unknown number is dropped: only its gateway id is kept.
//!
//! `sms_inbound` holds no personal data; the phone and text are kept only
//! in `sms_replies`, deleted with the case.

use super::audit::{record, AuditAction, AuditEntry};
use super::columns::OptionalId;
use super::follow_up::{record_test, TestRecorded};
use super::{Db, StoreError};
use relais::contact_guidance::{TestReport, TestResult};
use relais::ids::{CaseId, ContactId, ReplyId, StaffId};
pub use relais::sms_reply::{parse_reply, FollowUpAnswer, ReplyText};

/// The longest reply text kept (characters); a concatenated SMS is shorter.
pub const MAX_REPLY_CHARS: usize = 1000;
/// The most cases or contacts one reply is linked to.
const MAX_LINKS: i64 = 20;

/// An inbound SMS, as the gateway handed it over.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Inbound {
    /// The gateway's own id of the message.
    pub gateway_id: String,
    /// The sender in E.164; `None` when it is not a phone number.
    pub from: Option<String>,
    pub text: String,
}

/// What receiving a message did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Received {
    /// This gateway id was received before: nothing done.
    Duplicate,
    /// An answer to the follow-up question, recorded on the contact; a
    /// positive one opened (or found) `new_case`.
    Answered {
        contact_id: ContactId,
        answer: FollowUpAnswer,
        new_case: Option<CaseId>,
    },
    /// STOP: the number is opted out.
    OptedOut,
    /// A reply for the tracers, linked to this many cases or contacts.
    Reply { linked: u32 },
    /// From no number Relais knows: dropped.
    Unmatched,
}

impl Received {
    /// The machine word stored in `sms_inbound.outcome`.
    pub fn outcome(&self) -> &'static str {
        match self {
            Received::Duplicate => "duplicate",
            Received::Answered { .. } => "answer",
            Received::OptedOut => "stop",
            Received::Reply { .. } => "reply",
            Received::Unmatched => "unmatched",
        }
    }
}

/// Acts on an inbound SMS once per gateway id. The id is claimed first;
/// when acting fails, the claim is taken back so the gateway's retry is
/// acted on.
pub async fn receive(db: &Db, inbound: &Inbound) -> Result<Received, StoreError> {
    let claimed: Option<(i64,)> = sqlx::query_as(
        "INSERT INTO sms_inbound (gateway_id, outcome, received_at) VALUES ($1, 'received', $2) \
         ON CONFLICT (gateway_id) DO NOTHING RETURNING id",
    )
    .bind(&inbound.gateway_id)
    .bind(db.now())
    .fetch_optional(db.pool())
    .await?;
    let Some((inbound_id,)) = claimed else {
        return Ok(Received::Duplicate);
    };
    match act(db, inbound_id, inbound).await {
        Ok(received) => {
            sqlx::query("UPDATE sms_inbound SET outcome = $2 WHERE id = $1")
                .bind(inbound_id)
                .bind(received.outcome())
                .execute(db.pool())
                .await?;
            Ok(received)
        }
        Err(error) => {
            // Best effort: if this fails too, the message stays claimed
            // with outcome 'received' (visible in the table).
            let _ = sqlx::query("DELETE FROM sms_inbound WHERE id = $1")
                .bind(inbound_id)
                .execute(db.pool())
                .await;
            Err(error)
        }
    }
}

async fn act(db: &Db, inbound_id: i64, inbound: &Inbound) -> Result<Received, StoreError> {
    let Some(from) = inbound.from.as_deref() else {
        return Ok(Received::Unmatched);
    };
    match parse_reply(&inbound.text) {
        ReplyText::Stop => {
            opt_out(db, from).await?;
            Ok(Received::OptedOut)
        }
        ReplyText::Answer(answer) => match answer_follow_up(db, from, answer).await? {
            Some(received) => Ok(received),
            None => keep_reply(db, inbound_id, from, &inbound.text).await,
        },
        ReplyText::Other => keep_reply(db, inbound_id, from, &inbound.text).await,
    }
}

/// Opts `phone` out: nothing is ever sent to it again.
pub async fn opt_out(db: &Db, phone: &str) -> Result<(), StoreError> {
    let mut tx = db.pool().begin().await?;
    sqlx::query(
        "INSERT INTO sms_opt_outs (phone, created_at) VALUES ($1, $2) \
         ON CONFLICT (phone) DO NOTHING",
    )
    .bind(phone)
    .bind(db.now())
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "UPDATE sms_outbox SET status = 'opted_out' WHERE to_phone = $1 AND status = 'pending'",
    )
    .bind(phone)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Whether `phone` answered STOP.
pub async fn is_opted_out(db: &Db, phone: &str) -> Result<bool, StoreError> {
    let row: Option<(String,)> = sqlx::query_as("SELECT phone FROM sms_opt_outs WHERE phone = $1")
        .bind(phone)
        .fetch_optional(db.pool())
        .await?;
    Ok(row.is_some())
}

/// Records an answer on the contact whose follow-up question (pending or
/// sent) to `from` is the latest; `None` when there is none.
async fn answer_follow_up(
    db: &Db,
    from: &str,
    answer: FollowUpAnswer,
) -> Result<Option<Received>, StoreError> {
    let question: Option<(i64, String)> = sqlx::query_as(
        "SELECT contact_id, lang FROM sms_outbox WHERE kind = 'contact_follow_up' \
         AND to_phone = $1 AND contact_id IS NOT NULL \
         AND status IN ('pending', 'sending', 'sent') ORDER BY id DESC LIMIT 1",
    )
    .bind(from)
    .fetch_optional(db.pool())
    .await?;
    let Some((contact_id, lang)) = question else {
        return Ok(None);
    };
    let contact_id = ContactId(contact_id);
    let at = db.now();
    // "Not tested" needs a tracer; a result is flagged by record_test.
    let updated = sqlx::query(
        "UPDATE contacts SET sms_answer = $2, sms_answer_at = $3, \
         follow_up_at = CASE WHEN $4 THEN $3 ELSE follow_up_at END \
         WHERE id = $1 AND status = 'validated' AND removed_at IS NULL",
    )
    .bind(contact_id.get())
    .bind(answer.as_str())
    .bind(at)
    .bind(answer == FollowUpAnswer::NotTested)
    .execute(db.pool())
    .await?;
    if updated.rows_affected() == 0 {
        return Ok(None);
    }
    let result = match answer {
        FollowUpAnswer::Negative => TestResult::Negative,
        FollowUpAnswer::Positive => TestResult::Positive,
        FollowUpAnswer::NotTested => {
            return Ok(Some(Received::Answered {
                contact_id,
                answer,
                new_case: None,
            }))
        }
    };
    // Sampled today in Paris: the SMS does not say; the tracer corrects it
    // on the call if needed.
    let report = TestReport {
        sampled_on: db.today_paris(),
        result,
    };
    let recorded = record_test(db, contact_id, &report, lang.parse().unwrap_or_default()).await?;
    Ok(Some(Received::Answered {
        contact_id,
        answer,
        new_case: match recorded {
            TestRecorded::NewCase { case_id } => Some(case_id),
            _ => None,
        },
    }))
}

/// Keeps a free-text reply for the tracers of every case `from` belongs to.
async fn keep_reply(
    db: &Db,
    inbound_id: i64,
    from: &str,
    text: &str,
) -> Result<Received, StoreError> {
    let mut links: Vec<(i64, Option<i64>)> = sqlx::query_as(
        "SELECT k.case_id, k.id FROM contacts k JOIN cases c ON c.id = k.case_id \
         WHERE k.phone = $1 AND k.removed_at IS NULL AND c.purged_at IS NULL \
         ORDER BY k.id DESC LIMIT $2",
    )
    .bind(from)
    .bind(MAX_LINKS)
    .fetch_all(db.pool())
    .await?;
    let cases: Vec<(i64,)> = sqlx::query_as(
        "SELECT id FROM cases WHERE phone = $1 AND purged_at IS NULL ORDER BY id DESC LIMIT $2",
    )
    .bind(from)
    .bind(MAX_LINKS)
    .fetch_all(db.pool())
    .await?;
    links.extend(cases.into_iter().map(|(id,)| (id, None)));
    if links.is_empty() {
        return Ok(Received::Unmatched);
    }
    let body: String = text.chars().take(MAX_REPLY_CHARS).collect();
    let at = db.now();
    let mut tx = db.pool().begin().await?;
    for (case_id, contact_id) in &links {
        sqlx::query(
            "INSERT INTO sms_replies (inbound_id, case_id, contact_id, from_phone, body, \
             received_at) VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(inbound_id)
        .bind(case_id)
        .bind(contact_id)
        .bind(from)
        .bind(&body)
        .bind(at)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(Received::Reply {
        linked: u32::try_from(links.len()).unwrap_or(u32::MAX),
    })
}

/// An unread reply, as the case page lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnreadReply {
    pub id: ReplyId,
    /// The contact who wrote, `None` when it is the case.
    pub contact_id: Option<ContactId>,
    pub contact_name: Option<String>,
    pub from_phone: String,
    pub body: String,
    pub received_at: i64,
}

/// The case's unread replies, oldest first.
pub async fn unread_for_case(
    db: &Db,
    case: crate::scope::ScopedCase,
) -> Result<Vec<UnreadReply>, StoreError> {
    let case_id = case.id();
    #[derive(sqlx::FromRow)]
    struct Row {
        #[sqlx(try_from = "i64")]
        id: ReplyId,
        #[sqlx(try_from = "OptionalId")]
        contact_id: Option<ContactId>,
        first_name: Option<String>,
        last_name: Option<String>,
        from_phone: String,
        body: String,
        received_at: i64,
    }
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT r.id, r.contact_id, k.first_name, k.last_name, r.from_phone, r.body, \
         r.received_at FROM sms_replies r LEFT JOIN contacts k ON k.id = r.contact_id \
         WHERE r.case_id = $1 AND r.read_at IS NULL ORDER BY r.received_at, r.id",
    )
    .bind(case_id.get())
    .fetch_all(db.pool())
    .await?;
    Ok(rows
        .into_iter()
        .map(|row| UnreadReply {
            id: row.id,
            contact_id: row.contact_id,
            contact_name: row.contact_id.map(|_| {
                format!(
                    "{} {}",
                    row.first_name.unwrap_or_default(),
                    row.last_name.unwrap_or_default()
                )
                .trim()
                .to_owned()
            }),
            from_phone: row.from_phone,
            body: row.body,
            received_at: row.received_at,
        })
        .collect())
}

/// A tracer read the reply; `false` when it is not an unread reply of
/// that case. Written in the audit trail.
pub async fn mark_read(
    db: &Db,
    staff_user_id: StaffId,
    case: crate::scope::ScopedCase,
    reply_id: ReplyId,
) -> Result<bool, StoreError> {
    let case_id = case.id();
    let done = sqlx::query(
        "UPDATE sms_replies SET read_at = $3, read_by = $4 \
         WHERE id = $1 AND case_id = $2 AND read_at IS NULL",
    )
    .bind(reply_id.get())
    .bind(case_id.get())
    .bind(db.now())
    .bind(staff_user_id.get())
    .execute(db.pool())
    .await?;
    if done.rows_affected() == 0 {
        return Ok(false);
    }
    record(
        db,
        &AuditEntry::new(staff_user_id, AuditAction::ReadReply)
            .case(case_id)
            .detail(format!("reply={reply_id}")),
    )
    .await?;
    Ok(true)
}
