//! The messages a validation schedules for a notified contact, besides the
//! notification itself: a reminder at 09:00 (Paris) on each test day the
//! rules give, and the follow-up question at 10:00 (Paris) on the day the
//! quarantine ends. They wait in the outbox as `pending` with
//! `next_attempt_at` at their due instant, each with a dedupe key, so a
//! second validation schedules nothing twice.
//!
//! Only instants still to come are scheduled: a test day already past (or
//! today after 09:00) gets no reminder, the notification's page says it.
//!
//! A scheduled message can become pointless before it is due: the worker
//! asks [`pointless`] when it claims one and marks it `cancelled` instead of
//! sending it. When the contact's measures change before (the contact
//! states their vaccination), [`reschedule_contact`] cancels at once the
//! messages of days no longer planned and schedules the new ones.

use super::{Db, StoreError};
use crate::columns::Flag;
use relais::ids::{CaseId, ContactId};
use relais::outbox::MessageKind;
use relais::status::ContactStatus;
use time::{Date, PrimitiveDateTime, Time};

/// The hour (Paris) of a test-day reminder.
pub const REMINDER_HOUR: u8 = 9;
/// The hour (Paris) of the follow-up question.
pub const FOLLOW_UP_HOUR: u8 = 10;
/// The hour (Paris) of a "How are you?" text.
pub const CHECK_IN_HOUR: u8 = 11;

/// What the rules say of a notified contact's next days (from the desk's
/// assessment of the contact, with the tracer's decision).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ContactSchedule {
    /// The test days, in any order.
    pub test_days: Vec<Date>,
    /// The quarantine's last day (for a contact exempted from quarantine,
    /// the last test day); `None`: no follow-up question.
    pub quarantine_end: Option<Date>,
    /// The day of the "How are you?" text (day 3 of a quarantine still
    /// running then), and the quarantine's last day it follows.
    pub check_in: Option<(Date, Date)>,
}

impl ContactSchedule {
    /// From the rules' quarantine of a contact told on `told_on` (`None`:
    /// nothing to schedule).
    pub fn of(
        quarantine: Option<&relais::rules::ContactQuarantine>,
        told_on: Date,
    ) -> ContactSchedule {
        let Some(q) = quarantine else {
            return ContactSchedule::default();
        };
        let test_days = q.test_days();
        ContactSchedule {
            quarantine_end: q.last_day.or_else(|| test_days.last().copied()),
            test_days: test_days.to_vec(),
            check_in: q.last_day.and_then(|last| {
                relais::support::contact_check_in_days(told_on, Some(last))
                    .first()
                    .map(|day| (*day, last))
            }),
        }
    }

    /// The day the follow-up question asks about: the last test day, or
    /// the quarantine's end when the rules ask for no test.
    pub fn follow_up_day(&self) -> Option<Date> {
        self.test_days.iter().max().copied().or(self.quarantine_end)
    }
}

/// `hour`:00 (0 to 23; later hours are midnight) in Paris on `day`, as
/// unix seconds (the earlier instant on the night clocks go back; the next
/// valid hour on the night they go forward — neither happens at 09:00 or
/// 10:00).
pub fn paris_instant(day: Date, hour: u8) -> i64 {
    let time = Time::from_hms(hour, 0, 0).unwrap_or(Time::MIDNIGHT);
    crate::paris::instant_of(PrimitiveDateTime::new(day, time))
}

/// The outbox key of a scheduled message: one per case, contact, kind and
/// day.
pub fn scheduled_key(
    kind: MessageKind,
    case_id: CaseId,
    contact_id: ContactId,
    day: Date,
) -> String {
    format!("{}:{case_id}:{contact_id}:{day}", kind.as_str())
}

/// A message to schedule: its kind, the day it is about, its due instant
/// (and, for a "How are you?" text, the last day of the quarantine).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Planned {
    pub kind: MessageKind,
    pub for_day: Date,
    pub due_at: i64,
    pub until: Option<Date>,
}

/// What to schedule for `schedule`, seen at `at` (unix seconds): only
/// instants after `at`.
pub fn plan(schedule: &ContactSchedule, at: i64) -> Vec<Planned> {
    let mut days = schedule.test_days.clone();
    days.sort_unstable();
    days.dedup();
    let mut planned: Vec<Planned> = days
        .into_iter()
        .map(|day| Planned {
            kind: MessageKind::ContactTestReminder,
            for_day: day,
            due_at: paris_instant(day, REMINDER_HOUR),
            until: None,
        })
        .collect();
    if let Some((day, last)) = schedule.check_in {
        planned.push(Planned {
            kind: MessageKind::ContactCheckIn,
            for_day: day,
            due_at: paris_instant(day, CHECK_IN_HOUR),
            until: Some(last),
        });
    }
    if let (Some(end), Some(about)) = (schedule.quarantine_end, schedule.follow_up_day()) {
        planned.push(Planned {
            kind: MessageKind::ContactFollowUp,
            for_day: about,
            due_at: paris_instant(end, FOLLOW_UP_HOUR),
            until: None,
        });
    }
    planned.retain(|p| p.due_at > at);
    planned
}

/// Writes the planned messages of a contact in the caller's transaction,
/// planned from `at` (the store's clock);
/// how many are new. Nothing when the contact's answer is already known
/// (see [`pointless`]).
pub async fn schedule_contact(
    conn: &mut sqlx::AnyConnection,
    case_id: CaseId,
    contact_id: ContactId,
    phone: &str,
    lang: &str,
    schedule: &ContactSchedule,
    at: i64,
) -> Result<u32, StoreError> {
    let mut queued = 0;
    for p in plan(schedule, at) {
        if pointless(&mut *conn, contact_id, p.kind, Some(p.for_day)).await? {
            continue;
        }
        let inserted: Option<(i64,)> = sqlx::query_as(
            "INSERT INTO sms_outbox (kind, dedupe_key, to_phone, lang, case_id, contact_id, \
             status, next_attempt_at, created_at, for_day, until_day) \
             VALUES ($1, $2, $3, $4, $5, $6, 'pending', $7, $8, $9, $10) \
             ON CONFLICT (dedupe_key) DO NOTHING RETURNING id",
        )
        .bind(p.kind.as_str())
        .bind(scheduled_key(p.kind, case_id, contact_id, p.for_day))
        .bind(phone)
        .bind(lang)
        .bind(case_id.get())
        .bind(contact_id.get())
        .bind(p.due_at)
        .bind(at)
        .bind(p.for_day.to_string())
        .bind(p.until.map(|d| d.to_string()))
        .fetch_optional(&mut *conn)
        .await?;
        if inserted.is_some() {
            queued += 1;
        }
    }
    Ok(queued)
}

/// What rescheduling a contact's messages did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Rescheduled {
    /// Messages newly scheduled (or scheduled again after a cancellation).
    pub scheduled: u32,
    /// Messages still waiting that were cancelled: their day is no longer
    /// in the plan.
    pub cancelled: u32,
}

/// The rules changed a notified contact's measures (the contact stated
/// something the rules use): in one transaction, cancels the contact's
/// reminders and question still waiting whose day is no longer in
/// `schedule`, and schedules what `schedule` plans that is not scheduled
/// yet (a message cancelled earlier by a change is scheduled again, under
/// its key). The messages go where validation sends them: the contact's
/// mobile phone, in the case's language; a contact never notified as at
/// risk, or without a mobile phone, gets none.
pub async fn reschedule_contact(
    db: &Db,
    contact_id: ContactId,
    schedule: &ContactSchedule,
) -> Result<Rescheduled, StoreError> {
    let at = db.now();
    let mut tx = db.begin_write().await?;
    // The write first: on PostgreSQL it locks the contact's row until the
    // commit (SQLite's lock is the transaction's).
    let row: Option<(i64, Option<String>, Flag, Option<i64>)> = sqlx::query_as(concat!(
        "UPDATE contacts SET updated_at = $2 \
         WHERE id = $1 AND status = 'validated' AND removed_at IS NULL \
         RETURNING case_id, phone, ",
        crate::flag!("phone_can_sms"),
        ", notified_at"
    ))
    .bind(contact_id.get())
    .bind(at)
    .fetch_optional(&mut *tx)
    .await?;
    let Some((case_id, phone, can_sms, Some(_notified))) = row else {
        return Ok(Rescheduled::default());
    };
    let Some(phone) = phone.filter(|p| !p.is_empty() && can_sms.0) else {
        return Ok(Rescheduled::default());
    };
    let (lang,): (String,) = sqlx::query_as(
        "SELECT COALESCE(k.lang, c.lang) FROM contacts k JOIN cases c ON c.id = k.case_id \
         WHERE k.id = $1",
    )
    .bind(contact_id.get())
    .fetch_one(&mut *tx)
    .await?;
    let mut done = Rescheduled::default();
    // Every message of the plan, past instants included: one already due
    // but not sent yet stays.
    let kept: Vec<String> = plan(schedule, i64::MIN)
        .into_iter()
        .map(|p| scheduled_key(p.kind, CaseId(case_id), contact_id, p.for_day))
        .collect();
    let waiting: Vec<(i64, Option<String>)> = sqlx::query_as(
        "SELECT id, dedupe_key FROM sms_outbox WHERE contact_id = $1 AND status = 'pending' \
         AND kind IN ($2, $3, $4)",
    )
    .bind(contact_id.get())
    .bind(MessageKind::ContactTestReminder.as_str())
    .bind(MessageKind::ContactFollowUp.as_str())
    .bind(MessageKind::ContactCheckIn.as_str())
    .fetch_all(&mut *tx)
    .await?;
    for (id, key) in waiting {
        if key.is_some_and(|k| kept.contains(&k)) {
            continue;
        }
        sqlx::query(
            "UPDATE sms_outbox SET status = 'cancelled' WHERE id = $1 AND status = 'pending'",
        )
        .bind(id)
        .execute(&mut *tx)
        .await?;
        done.cancelled += 1;
    }
    // Planned again after a cancellation: waiting again, at its instant.
    for p in plan(schedule, at) {
        if pointless(&mut tx, contact_id, p.kind, Some(p.for_day)).await? {
            continue;
        }
        let revived = sqlx::query(
            "UPDATE sms_outbox SET status = 'pending', next_attempt_at = $2, attempts = 0, \
             last_error = NULL WHERE dedupe_key = $1 AND status = 'cancelled'",
        )
        .bind(scheduled_key(
            p.kind,
            CaseId(case_id),
            contact_id,
            p.for_day,
        ))
        .bind(p.due_at)
        .execute(&mut *tx)
        .await?;
        done.scheduled += u32::try_from(revived.rows_affected()).unwrap_or(0);
    }
    done.scheduled += schedule_contact(
        &mut tx,
        CaseId(case_id),
        contact_id,
        &phone,
        &lang,
        schedule,
        at,
    )
    .await?;
    tx.commit().await?;
    Ok(done)
}

/// Whether a scheduled message of `kind` about `for_day` has become
/// pointless for the contact: the contact is no longer validated (or was
/// removed); a positive test is recorded; a test (whatever its result for
/// a reminder, negative or positive for the question) sampled on or after
/// `for_day` is recorded; or the contact already answered the question by
/// SMS. A "How are you?" text to a contact is pointless when the contact is
/// no longer validated or tested positive (they are a case then). Other
/// kinds are never pointless.
pub async fn pointless(
    conn: &mut sqlx::AnyConnection,
    contact_id: ContactId,
    kind: MessageKind,
    for_day: Option<Date>,
) -> Result<bool, StoreError> {
    if !matches!(
        kind,
        MessageKind::ContactTestReminder
            | MessageKind::ContactFollowUp
            | MessageKind::ContactCheckIn
    ) {
        return Ok(false);
    }
    #[derive(sqlx::FromRow)]
    struct ContactRow {
        status: String,
        removed_at: Option<i64>,
        sms_answer: Option<String>,
    }
    let contact: Option<ContactRow> =
        sqlx::query_as("SELECT status, removed_at, sms_answer FROM contacts WHERE id = $1")
            .bind(contact_id.get())
            .fetch_optional(&mut *conn)
            .await?;
    let Some(contact) = contact else {
        return Ok(true);
    };
    if contact.status != ContactStatus::Validated.as_str() || contact.removed_at.is_some() {
        return Ok(true);
    }
    if contact.sms_answer.is_some() && kind != MessageKind::ContactCheckIn {
        return Ok(true);
    }
    let tests: Vec<(String, String)> =
        sqlx::query_as("SELECT sampled_on, result FROM contact_tests WHERE contact_id = $1")
            .bind(contact_id.get())
            .fetch_all(&mut *conn)
            .await?;
    Ok(tests.iter().any(|(day, result)| {
        let after = match (for_day, relais::dates::parse_iso(day)) {
            (Some(about), Some(day)) => day >= about,
            _ => true,
        };
        result == "positive"
            || (kind != MessageKind::ContactCheckIn
                && after
                && (kind == MessageKind::ContactTestReminder || result != "pending"))
    }))
}

/// The outbox key of a case's "How are you?" text on `day`.
pub fn case_check_in_key(case_id: CaseId, day: Date) -> String {
    format!("{}:{case_id}:{day}", MessageKind::CaseCheckIn.as_str())
}

/// Schedules the case's "How are you?" texts (11:00 Paris, on day 2 and
/// day 5 of an isolation from `first_day` to `last_day`, the rule set's),
/// to the case's phone in its language: only days still to come, each
/// once however often it is asked. How many are new. Written at `at` on the
/// list's validation's transaction
/// ([`crate::desk::notify::validate_list`]).
pub(crate) async fn schedule_case_check_ins(
    conn: &mut sqlx::AnyConnection,
    case_id: CaseId,
    first_day: Date,
    last_day: Date,
    at: i64,
) -> Result<u32, StoreError> {
    let mut queued = 0;
    for day in relais::support::case_check_in_days(first_day, last_day) {
        let due_at = paris_instant(day, CHECK_IN_HOUR);
        if due_at <= at {
            continue;
        }
        let inserted: Option<(i64,)> = sqlx::query_as(
            "INSERT INTO sms_outbox (kind, dedupe_key, to_phone, lang, case_id, status, \
             next_attempt_at, created_at, for_day, until_day) \
             SELECT $1, $2, phone, lang, id, 'pending', $3, $4, $5, $6 FROM cases \
             WHERE id = $7 AND phone IS NOT NULL AND phone <> '' \
             ON CONFLICT (dedupe_key) DO NOTHING RETURNING id",
        )
        .bind(MessageKind::CaseCheckIn.as_str())
        .bind(case_check_in_key(case_id, day))
        .bind(due_at)
        .bind(at)
        .bind(day.to_string())
        .bind(last_day.to_string())
        .bind(case_id.get())
        .fetch_optional(&mut *conn)
        .await?;
        if inserted.is_some() {
            queued += 1;
        }
    }
    Ok(queued)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        relais::dates::parse_iso(s).unwrap()
    }

    fn utc(s: &str) -> i64 {
        time::OffsetDateTime::parse(s, &time::format_description::well_known::Rfc3339)
            .unwrap()
            .unix_timestamp()
    }

    #[test]
    fn due_instants_are_paris_local_hours_in_winter_and_summer() {
        // Winter: UTC+1; summer: UTC+2.
        assert_eq!(
            paris_instant(d("2026-12-09"), 9),
            utc("2026-12-09T08:00:00Z")
        );
        assert_eq!(
            paris_instant(d("2026-07-01"), 10),
            utc("2026-07-01T08:00:00Z")
        );
        // The Sunday clocks go forward (29 March 2026) still has a 09:00.
        assert_eq!(
            paris_instant(d("2026-03-29"), 9),
            utc("2026-03-29T07:00:00Z")
        );
    }

    #[test]
    fn the_plan_has_one_reminder_per_future_test_day_and_one_question() {
        let schedule = ContactSchedule {
            test_days: vec![d("2026-12-10"), d("2026-12-03"), d("2026-12-10")],
            quarantine_end: Some(d("2026-12-10")),
            check_in: None,
        };
        let at = paris_instant(d("2026-12-02"), 12);
        let planned = plan(&schedule, at);
        assert_eq!(
            planned
                .iter()
                .map(|p| (p.kind, p.for_day, p.due_at))
                .collect::<Vec<_>>(),
            vec![
                (
                    MessageKind::ContactTestReminder,
                    d("2026-12-03"),
                    paris_instant(d("2026-12-03"), 9)
                ),
                (
                    MessageKind::ContactTestReminder,
                    d("2026-12-10"),
                    paris_instant(d("2026-12-10"), 9)
                ),
                (
                    MessageKind::ContactFollowUp,
                    d("2026-12-10"),
                    paris_instant(d("2026-12-10"), 10)
                ),
            ]
        );
        // Seen later: what is past is not scheduled.
        let later = plan_kinds(&schedule, paris_instant(d("2026-12-10"), 9) + 1);
        assert_eq!(later, vec![MessageKind::ContactFollowUp]);
        assert!(plan(&ContactSchedule::default(), at).is_empty());
    }

    #[test]
    fn a_contact_in_quarantine_is_asked_how_they_are_at_11_on_day_3() {
        let schedule = ContactSchedule {
            test_days: vec![d("2026-12-10")],
            quarantine_end: Some(d("2026-12-10")),
            check_in: Some((d("2026-12-05"), d("2026-12-10"))),
        };
        let planned = plan(&schedule, paris_instant(d("2026-12-02"), 12));
        let check_in = planned
            .iter()
            .find(|p| p.kind == MessageKind::ContactCheckIn)
            .expect("planned");
        assert_eq!(check_in.for_day, d("2026-12-05"));
        assert_eq!(
            check_in.due_at,
            paris_instant(d("2026-12-05"), CHECK_IN_HOUR)
        );
        assert_eq!(check_in.until, Some(d("2026-12-10")));
        // Once day 3 has passed, it is not sent late.
        let later = plan_kinds(&schedule, paris_instant(d("2026-12-05"), 12));
        assert!(!later.contains(&MessageKind::ContactCheckIn));
    }

    fn plan_kinds(schedule: &ContactSchedule, at: i64) -> Vec<MessageKind> {
        plan(schedule, at).into_iter().map(|p| p.kind).collect()
    }

    #[test]
    fn keys_differ_by_kind_contact_and_day() {
        let a = scheduled_key(
            MessageKind::ContactTestReminder,
            CaseId(1),
            ContactId(2),
            d("2026-12-03"),
        );
        assert_eq!(a, "contact_test_reminder:1:2:2026-12-03");
        assert_ne!(
            a,
            scheduled_key(
                MessageKind::ContactTestReminder,
                CaseId(1),
                ContactId(2),
                d("2026-12-10")
            )
        );
        assert_ne!(
            a,
            scheduled_key(
                MessageKind::ContactFollowUp,
                CaseId(1),
                ContactId(2),
                d("2026-12-03")
            )
        );
    }
}
