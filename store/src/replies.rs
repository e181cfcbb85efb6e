//! SMS received from the gateway (`POST /api/sms/inbound`): each gateway
//! message id is acted on once (`sms_inbound`, unique), then the text is
//! read as
//! - an answer to the follow-up question ("1" negative, "2" positive, "3"
//!   not tested, spaces and punctuation ignored: the core's [`parse_reply`])
//!   from a number with a follow-up question pending or sent: recorded on
//!   that contact (the latest question's) — a test result through the
//!   contact journey's own [`record_test`](crate::follow_up::record_test)
//!   (so a "2" opens the new case exactly as the contact's page does), in
//!   the message's own transaction; "not tested" as `contacts.sms_answer`
//!   with the tracer's follow-up flag;
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
use super::follow_up::{log_case_opened, record_test_in, TestRecorded};
use super::{Db, StoreError};
use relais::contact_guidance::{TestReport, TestResult};
use relais::ids::{CaseId, ContactId, ReplyId, StaffId};
use relais::outbox::MessageKind;
pub use relais::sms_reply::{parse_reply, FollowUpAnswer, ReplyText};
pub use relais::support::WellbeingAnswer;

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
    /// An answer to a "How are you?" text; `acted` is false when this
    /// answer to that text was acted on before (from any node).
    CheckedIn {
        case_id: CaseId,
        contact_id: Option<ContactId>,
        answer: WellbeingAnswer,
        acted: bool,
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
            Received::CheckedIn { .. } => "check_in",
            Received::OptedOut => "stop",
            Received::Reply { .. } => "reply",
            Received::Unmatched => "unmatched",
        }
    }
}

/// Acts on an inbound SMS once per gateway id, in one write transaction:
/// the id's claim, the action and its outcome are committed together (one
/// writer's turn on SQLite). When acting fails, the transaction is rolled
/// back, the claim with it, so the gateway's retry is acted on.
pub async fn receive(db: &Db, inbound: &Inbound) -> Result<Received, StoreError> {
    let at = db.now();
    let mut tx = db.begin_write().await?;
    let claimed: Option<(i64,)> = sqlx::query_as(
        "INSERT INTO sms_inbound (gateway_id, outcome, received_at) VALUES ($1, 'received', $2) \
         ON CONFLICT (gateway_id) DO NOTHING RETURNING id",
    )
    .bind(&inbound.gateway_id)
    .bind(at)
    .fetch_optional(&mut *tx)
    .await?;
    let Some((inbound_id,)) = claimed else {
        return Ok(Received::Duplicate);
    };
    let now = Now {
        at,
        today: db.today_paris(),
    };
    let received = act(&mut tx, now, inbound_id, inbound).await?;
    sqlx::query("UPDATE sms_inbound SET outcome = $2 WHERE id = $1")
        .bind(inbound_id)
        .bind(received.outcome())
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    if let Received::Answered {
        contact_id,
        new_case: Some(case_id),
        ..
    } = received
    {
        log_case_opened(contact_id, case_id);
    }
    Ok(received)
}

/// The instant an inbound SMS is acted on, and that day in Paris.
#[derive(Clone, Copy)]
struct Now {
    at: i64,
    today: time::Date,
}

async fn act(
    tx: &mut sqlx::AnyConnection,
    now: Now,
    inbound_id: i64,
    inbound: &Inbound,
) -> Result<Received, StoreError> {
    let Some(from) = inbound.from.as_deref() else {
        return Ok(Received::Unmatched);
    };
    match parse_reply(&inbound.text) {
        ReplyText::Stop => {
            opt_out_in(tx, now.at, from).await?;
            Ok(Received::OptedOut)
        }
        ReplyText::Answer(answer) => match answer_follow_up(tx, now, from, answer).await? {
            Some(received) => Ok(received),
            None => keep_reply(tx, now.at, inbound_id, from, &inbound.text).await,
        },
        ReplyText::Other => keep_reply(tx, now.at, inbound_id, from, &inbound.text).await,
    }
}

/// Opts `phone` out: nothing is ever sent to it again.
pub async fn opt_out(db: &Db, phone: &str) -> Result<(), StoreError> {
    let at = db.now();
    let mut tx = db.begin_write().await?;
    opt_out_in(&mut tx, at, phone).await?;
    tx.commit().await?;
    Ok(())
}

/// [`opt_out`] at `at` on a write transaction.
async fn opt_out_in(tx: &mut sqlx::AnyConnection, at: i64, phone: &str) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO sms_opt_outs (phone, created_at) VALUES ($1, $2) \
         ON CONFLICT (phone) DO NOTHING",
    )
    .bind(phone)
    .bind(at)
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "UPDATE sms_outbox SET status = 'opted_out' WHERE to_phone = $1 AND status = 'pending'",
    )
    .bind(phone)
    .execute(&mut *tx)
    .await?;
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

/// The latest question texted to a number that a digit answers.
#[derive(sqlx::FromRow)]
struct Question {
    id: i64,
    kind: String,
    #[sqlx(try_from = "OptionalId")]
    case_id: Option<i64>,
    #[sqlx(try_from = "OptionalId")]
    contact_id: Option<i64>,
    lang: String,
    until_day: Option<String>,
}

/// Acts on a digit from `from`, as an answer to the latest question texted
/// to that number (sent first, by the instant it went; a follow-up question
/// still waiting counts when none was sent): the test question's answer on
/// its contact, or "How are you?"'s. `None` when no question was asked.
async fn answer_follow_up(
    tx: &mut sqlx::AnyConnection,
    now: Now,
    from: &str,
    answer: FollowUpAnswer,
) -> Result<Option<Received>, StoreError> {
    let question: Option<Question> = sqlx::query_as(
        "SELECT id, kind, case_id, contact_id, lang, until_day FROM sms_outbox \
         WHERE to_phone = $1 AND kind IN ($2, $3, $4) \
         AND (status IN ('sending', 'sent') OR (kind = $2 AND status = 'pending')) \
         ORDER BY CASE WHEN status = 'pending' THEN 0 ELSE 1 END DESC, \
         COALESCE(sent_at, 0) DESC, id DESC LIMIT 1",
    )
    .bind(from)
    .bind(MessageKind::ContactFollowUp.as_str())
    .bind(MessageKind::CaseCheckIn.as_str())
    .bind(MessageKind::ContactCheckIn.as_str())
    .fetch_optional(&mut *tx)
    .await?;
    let Some(question) = question else {
        return Ok(None);
    };
    if MessageKind::parse(&question.kind).is_some_and(MessageKind::is_check_in) {
        return check_in(tx, now.at, &question, WellbeingAnswer::of_digit(answer)).await;
    }
    let (Some(contact_id), lang) = (question.contact_id, question.lang) else {
        return Ok(None);
    };
    let contact_id = ContactId(contact_id);
    let at = now.at;
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
    .execute(&mut *tx)
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
        sampled_on: now.today,
        result,
    };
    let lang = lang.parse().unwrap_or_default();
    let recorded = record_test_in(tx, at, contact_id, &report, lang).await?;
    Ok(Some(Received::Answered {
        contact_id,
        answer,
        new_case: match recorded {
            TestRecorded::NewCase { case_id } => Some(case_id),
            _ => None,
        },
    }))
}

/// The outbox key of the message answering `answer` to the question
/// `question_id`: one per question and answer.
fn answer_key(kind: MessageKind, question_id: i64) -> String {
    format!("{}:{question_id}", kind.as_str())
}

/// Acts on an answer to a "How are you?" text, once per text and answer
/// whichever node receives it: "2 worse" texts the emergency advice at
/// once and puts the case back in the tracers' second-call queue, due now,
/// flagged; "3 I need help" opens a support request shared with the cell
/// and texts that the cell will call. "1 all right" is recorded.
async fn check_in(
    tx: &mut sqlx::AnyConnection,
    at: i64,
    question: &Question,
    answer: WellbeingAnswer,
) -> Result<Option<Received>, StoreError> {
    let Some(case_id) = question.case_id else {
        return Ok(None);
    };
    let contact_id = question.contact_id;
    let first: Option<(i64,)> = sqlx::query_as(
        "INSERT INTO wellbeing_answers (question_id, case_id, contact_id, answer, received_at) \
         SELECT $1, id, $3, $4, $5 FROM cases WHERE id = $2 \
         ON CONFLICT (question_id, answer) DO NOTHING RETURNING id",
    )
    .bind(question.id)
    .bind(case_id)
    .bind(contact_id)
    .bind(answer.as_str())
    .bind(at)
    .fetch_optional(&mut *tx)
    .await?;
    let received = Received::CheckedIn {
        case_id: CaseId(case_id),
        contact_id: contact_id.map(ContactId),
        answer,
        acted: first.is_some(),
    };
    if first.is_none() {
        return Ok(Some(received));
    }
    let reply = match answer {
        WellbeingAnswer::AllRight => None,
        WellbeingAnswer::Worse => {
            sqlx::query(
                "UPDATE cases SET feels_worse_at = $2, feels_worse_seen_at = NULL, \
                 call_back_at = CASE WHEN queue = 'done' OR call_back_at IS NULL \
                   OR call_back_at > $2 THEN $2 ELSE call_back_at END, \
                 queue = CASE WHEN queue = 'done' THEN 'second' ELSE queue END \
                 WHERE id = $1",
            )
            .bind(case_id)
            .bind(at)
            .execute(&mut *tx)
            .await?;
            Some(MessageKind::WorseAdvice)
        }
        WellbeingAnswer::NeedHelp => {
            let until = question
                .until_day
                .as_deref()
                .and_then(relais::dates::parse_iso);
            crate::support::open_from_text(
                &mut *tx,
                CaseId(case_id),
                contact_id.map(ContactId),
                question.id,
                until,
                at,
            )
            .await?;
            Some(MessageKind::HelpOpened)
        }
    };
    if let Some(kind) = reply {
        sqlx::query(
            "INSERT INTO sms_outbox (kind, dedupe_key, to_phone, lang, case_id, contact_id, \
             status, next_attempt_at, created_at) \
             SELECT $1, $2, to_phone, lang, case_id, contact_id, 'pending', $3, $3 \
             FROM sms_outbox WHERE id = $4 \
             ON CONFLICT (dedupe_key) DO NOTHING",
        )
        .bind(kind.as_str())
        .bind(answer_key(kind, question.id))
        .bind(at)
        .bind(question.id)
        .execute(&mut *tx)
        .await?;
    }
    Ok(Some(received))
}

/// Keeps a free-text reply for the tracers of every case `from` belongs to.
async fn keep_reply(
    tx: &mut sqlx::AnyConnection,
    at: i64,
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
    .fetch_all(&mut *tx)
    .await?;
    let cases: Vec<(i64,)> = sqlx::query_as(
        "SELECT id FROM cases WHERE phone = $1 AND purged_at IS NULL ORDER BY id DESC LIMIT $2",
    )
    .bind(from)
    .bind(MAX_LINKS)
    .fetch_all(&mut *tx)
    .await?;
    links.extend(cases.into_iter().map(|(id,)| (id, None)));
    if links.is_empty() {
        return Ok(Received::Unmatched);
    }
    let body: String = text.chars().take(MAX_REPLY_CHARS).collect();
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
                crate::support::full_name(row.first_name.as_deref(), row.last_name.as_deref())
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
    .execute(&mut *db.write().await?)
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
