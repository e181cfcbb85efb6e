//! A tracer's call to a case: its outcome, the queue the case goes to next,
//! and the call-outcome form.
//!
//! A new case waits in the [`Queue::First`] queue for its first call. After
//! each call, [`after_call`] says where it goes: the [`Queue::Second`]
//! queue, to be called again from a given instant (no answer, a call back
//! asked for, or a case who named no contact and is called again the next
//! day to find those they did not think of), or [`Queue::Done`].
//!
//! The form a tracer posts after the call is checked by
//! [`parse_call_report`], each problem tied to the field to fix, as in
//! [`crate::contact_form`]. Its call-back instant is in the desk's local
//! time; converting it to a Unix instant (time zone, daylight saving) is the
//! caller's.
//!
//! ```
//! use relais::desk::calls::{after_call, parse_call_report, CallOutcome, Placement, Queue};
//! let now_local = relais::dates::parse_iso("2020-11-17").unwrap().with_hms(10, 0, 0).unwrap();
//! let report = parse_call_report("call_back", "2020-11-17T16:30", now_local).unwrap();
//! assert_eq!(report.outcome, CallOutcome::CallBack);
//! let at = Some(1_605_630_600);
//! assert_eq!(after_call(report.outcome, 0, at, 1_605_607_200), Placement { queue: Queue::Second, call_back_at: at });
//! ```

use crate::contact_form::FormError;
use crate::names::named_enum;
use time::{Duration, PrimitiveDateTime, Time};

named_enum! {
    /// How a call to a case went.
    pub enum CallOutcome: "call outcome" {
        /// The case answered and the interview took place.
        Reached = "reached",
        /// Nobody answered (or an answering machine).
        NoAnswer = "no_answer",
        /// The number is not the case's.
        WrongNumber = "wrong_number",
        /// The case refused the interview.
        Refused = "refused",
        /// The case asked to be called back at a given time.
        CallBack = "call_back",
    }
}

named_enum! {
    /// Where a case waits on the desk.
    pub enum Queue: "queue" {
        /// Waiting for its first call, oldest sample first.
        First = "first",
        /// To be called again from a given instant.
        Second = "second",
        /// No call to make.
        Done = "done",
    }
}

/// Where a case goes after a call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Placement {
    pub queue: Queue,
    /// Unix seconds from which to call again; `Some` only for
    /// [`Queue::Second`].
    pub call_back_at: Option<i64>,
}

/// Default delay before calling back a case that did not answer (seconds):
/// 2 hours.
pub const NO_ANSWER_RETRY_SECONDS: i64 = 2 * 3600;

/// Delay before the second call of a case reached who declared no contact:
/// 24 hours.
pub const SECOND_CALL_SECONDS: i64 = 24 * 3600;

/// The furthest call-back a case may ask for, in days after now.
pub const MAX_CALL_BACK_DAYS: i64 = 14;

/// Where a case goes after a call made at `now` (Unix seconds):
///
/// - [`CallOutcome::Reached`] with `declared_contacts == 0` →
///   [`Queue::Second`] at `now` + [`SECOND_CALL_SECONDS`] (a second call to
///   find contacts they did not think of);
/// - [`CallOutcome::Reached`] with contacts → [`Queue::Done`];
/// - [`CallOutcome::NoAnswer`] → [`Queue::Second`] at `now` +
///   [`NO_ANSWER_RETRY_SECONDS`];
/// - [`CallOutcome::CallBack`] → [`Queue::Second`] at `call_back_at` (the
///   requested instant, which the form guarantees is in the future; without
///   one, which the form never lets through, like no answer);
/// - [`CallOutcome::WrongNumber`], [`CallOutcome::Refused`] → [`Queue::Done`].
///
/// `call_back_at` is ignored for any other outcome. Instants saturate
/// instead of overflowing.
pub fn after_call(
    outcome: CallOutcome,
    declared_contacts: u32,
    call_back_at: Option<i64>,
    now: i64,
) -> Placement {
    let second = |at: i64| Placement {
        queue: Queue::Second,
        call_back_at: Some(at),
    };
    let done = Placement {
        queue: Queue::Done,
        call_back_at: None,
    };
    match outcome {
        CallOutcome::Reached if declared_contacts == 0 => {
            second(now.saturating_add(SECOND_CALL_SECONDS))
        }
        CallOutcome::Reached => done,
        CallOutcome::CallBack => {
            second(call_back_at.unwrap_or(now.saturating_add(NO_ANSWER_RETRY_SECONDS)))
        }
        CallOutcome::NoAnswer => second(now.saturating_add(NO_ANSWER_RETRY_SECONDS)),
        CallOutcome::WrongNumber | CallOutcome::Refused => done,
    }
}

/// The HTML ids (and post names) of the call-outcome form's fields, used as
/// [`FormError::field`].
pub mod field {
    /// The outcome radio buttons (their first button).
    pub const OUTCOME: &str = "outcome";
    /// The call-back instant (`<input type="datetime-local">`).
    pub const CALL_BACK: &str = "call_back";

    /// Every field, in the order of the form (the order of the errors).
    pub const ALL: &[&str] = &[OUTCOME, CALL_BACK];
}

/// The call-outcome form, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallReport {
    pub outcome: CallOutcome,
    /// The requested call-back instant, in the desk's local time, to the
    /// second; `Some` only for [`CallOutcome::CallBack`].
    pub call_back_at: Option<PrimitiveDateTime>,
}

/// Checks the call-outcome form as posted: `outcome` (a [`CallOutcome`]
/// machine name) and, for [`CallOutcome::CallBack`] only, `call_back`, an
/// HTML `datetime-local` value `YYYY-MM-DDTHH:MM` (seconds and their
/// fraction optional, dropped) in the desk's local time, like `now_local`.
/// For other outcomes `call_back` is ignored (`None`).
///
/// Returns every problem at once, in form order, on the fields of
/// [`field`], with the codes: `required` (no outcome; no call-back for
/// [`CallOutcome::CallBack`]), `invalid` (an unknown outcome, a call-back
/// that is not a date and time), `past` (a call-back not after
/// `now_local`), `too_far` (more than [`MAX_CALL_BACK_DAYS`] days after
/// `now_local`).
pub fn parse_call_report(
    outcome: &str,
    call_back: &str,
    now_local: PrimitiveDateTime,
) -> Result<CallReport, Vec<FormError>> {
    let outcome = if outcome.trim().is_empty() {
        return Err(vec![FormError::new(field::OUTCOME, "required")]);
    } else {
        outcome
            .parse::<CallOutcome>()
            .map_err(|_| vec![FormError::new(field::OUTCOME, "invalid")])?
    };
    if outcome != CallOutcome::CallBack {
        return Ok(CallReport {
            outcome,
            call_back_at: None,
        });
    }
    let call_back = call_back.trim();
    let error = |code| Err(vec![FormError::new(field::CALL_BACK, code)]);
    if call_back.is_empty() {
        return error("required");
    }
    let Some(at) = parse_datetime_local(call_back) else {
        return error("invalid");
    };
    if at <= now_local {
        return error("past");
    }
    let latest = now_local.checked_add(Duration::days(MAX_CALL_BACK_DAYS));
    if latest.is_some_and(|latest| at > latest) {
        return error("too_far");
    }
    Ok(CallReport {
        outcome,
        call_back_at: Some(at),
    })
}

/// The value of an `<input type="datetime-local">` for `at`, as
/// [`parse_call_report`] reads it back: `YYYY-MM-DDTHH:MM`, with `:SS`
/// only when the seconds are not zero (the HTML normalised form). For
/// years 0 to 9999.
pub fn format_call_back(at: PrimitiveDateTime) -> String {
    let minutes = format!(
        "{}T{:02}:{:02}",
        crate::dates::iso(at.date()),
        at.hour(),
        at.minute()
    );
    if at.second() == 0 {
        minutes
    } else {
        format!("{minutes}:{:02}", at.second())
    }
}

/// A `datetime-local` value: `YYYY-MM-DD`, `T` (or a space, which the HTML
/// parser also accepts), `HH:MM`, then optionally `:SS` and optionally a
/// fraction of 1 to 3 digits, which is dropped. Anything else is `None`:
/// a hand parser, because general-purpose date parsers accept signs, more
/// digits and spaces.
pub(crate) fn parse_datetime_local(text: &str) -> Option<PrimitiveDateTime> {
    let b = text.as_bytes();
    let digits = |range: std::ops::Range<usize>| -> Option<u32> {
        let part = b.get(range)?;
        part.iter()
            .all(u8::is_ascii_digit)
            .then(|| part.iter().fold(0, |n, &d| n * 10 + u32::from(d - b'0')))
    };
    let at = |i: usize, c: u8| b.get(i) == Some(&c);
    if !((at(10, b'T') || at(10, b' ')) && at(13, b':')) {
        return None;
    }
    let date = crate::dates::parse_iso(text.get(..10)?)?;
    let (hour, minute) = (digits(11..13)?, digits(14..16)?);
    let second = match b.len() {
        16 => 0,
        19 | 21..=23 if at(16, b':') => {
            if b.len() > 19 && !(at(19, b'.') && digits(20..b.len()).is_some()) {
                return None;
            }
            digits(17..19)?
        }
        _ => return None,
    };
    let time = Time::from_hms(
        u8::try_from(hour).ok()?,
        u8::try_from(minute).ok()?,
        u8::try_from(second).ok()?,
    )
    .ok()?;
    Some(PrimitiveDateTime::new(date, time))
}

#[cfg(test)]
mod tests;
