//! Each outcome's placement and the form's codes: examples, then
//! properties.

use super::*;
use proptest::prelude::*;

fn now_local() -> PrimitiveDateTime {
    parse_datetime_local("2020-11-17T10:00:00").expect("test instant")
}

fn dt(text: &str) -> PrimitiveDateTime {
    parse_datetime_local(text).expect("test instant")
}

fn errors(outcome: &str, call_back: &str) -> Vec<(&'static str, &'static str)> {
    match parse_call_report(outcome, call_back, now_local()) {
        Ok(report) => panic!("accepted: {report:?}"),
        Err(errors) => errors.iter().map(|e| (e.field, e.code)).collect(),
    }
}

#[test]
fn places_each_outcome() {
    let now = 1_000_000;
    let second = |at| Placement {
        queue: Queue::Second,
        call_back_at: Some(at),
    };
    let done = Placement {
        queue: Queue::Done,
        call_back_at: None,
    };
    use CallOutcome::*;
    assert_eq!(
        after_call(Reached, 0, None, now),
        second(now + SECOND_CALL_SECONDS)
    );
    assert_eq!(after_call(Reached, 3, Some(5), now), done);
    assert_eq!(
        after_call(NoAnswer, 0, Some(5), now),
        second(now + NO_ANSWER_RETRY_SECONDS)
    );
    assert_eq!(
        after_call(CallBack, 0, Some(now + 60), now),
        second(now + 60)
    );
    assert_eq!(
        after_call(CallBack, 0, None, now),
        second(now + NO_ANSWER_RETRY_SECONDS)
    );
    assert_eq!(after_call(WrongNumber, 0, None, now), done);
    assert_eq!(after_call(Refused, 2, Some(5), now), done);
    assert_eq!(after_call(NoAnswer, 0, None, i64::MAX), second(i64::MAX));
}

#[test]
fn reads_the_form() {
    let report = |outcome, call_back| parse_call_report(outcome, call_back, now_local());
    assert_eq!(
        report(" reached ", "garbage"),
        Ok(CallReport {
            outcome: CallOutcome::Reached,
            call_back_at: None
        })
    );
    let call_back = |at| {
        Ok(CallReport {
            outcome: CallOutcome::CallBack,
            call_back_at: Some(dt(at)),
        })
    };
    assert_eq!(
        report("call_back", "2020-11-17T16:30"),
        call_back("2020-11-17T16:30:00")
    );
    assert_eq!(
        report("call_back", " 2020-11-17T16:30:45 "),
        call_back("2020-11-17T16:30:45")
    );
    assert_eq!(
        report("call_back", "2020-11-17 16:30:45.123"),
        call_back("2020-11-17T16:30:45")
    );
    assert_eq!(
        report("call_back", "2020-12-01T10:00"),
        call_back("2020-12-01T10:00:00")
    );
}

#[test]
fn names_the_field_to_fix() {
    assert_eq!(errors("", ""), [("outcome", "required")]);
    assert_eq!(errors("answered", ""), [("outcome", "invalid")]);
    assert_eq!(errors("call_back", " "), [("call_back", "required")]);
    for garbage in [
        "tomorrow",
        "2020-11-17",
        "2020-11-17T16",
        "2020-11-17T25:00",
        "2020-02-30T10:00",
        "+2020-11-17T16:30",
        "20201-11-17T16:30",
        "2020-11-17T16:30:",
        "2020-11-17T16:30:00.",
        "2020-11-17T16:30:00.1234",
        "2020-11-17T16:30Z",
        "2020-11-17T16:3é",
    ] {
        assert_eq!(
            errors("call_back", garbage),
            [("call_back", "invalid")],
            "{garbage}"
        );
    }
    assert_eq!(
        errors("call_back", "2020-11-17T10:00"),
        [("call_back", "past")]
    );
    assert_eq!(
        errors("call_back", "2020-11-01T10:00"),
        [("call_back", "past")]
    );
    assert_eq!(
        errors("call_back", "2020-12-01T10:01"),
        [("call_back", "too_far")]
    );
}

#[test]
fn formats_the_html_value() {
    assert_eq!(
        format_call_back(dt("2020-11-17T16:30:00")),
        "2020-11-17T16:30"
    );
    assert_eq!(
        format_call_back(dt("2020-11-17T16:30:05")),
        "2020-11-17T16:30:05"
    );
}

proptest! {
    #[test]
    fn second_queue_exactly_with_an_instant(
        index in 0..CallOutcome::ALL.len(),
        contacts in any::<u32>(),
        call_back_at in any::<Option<i64>>(),
        now in any::<i64>(),
    ) {
        let placement = after_call(CallOutcome::ALL[index], contacts, call_back_at, now);
        prop_assert_ne!(placement.queue, Queue::First);
        prop_assert_eq!(placement.queue == Queue::Second, placement.call_back_at.is_some());
    }

    #[test]
    fn future_call_backs_round_trip(seconds in 1i64..=MAX_CALL_BACK_DAYS * 86_400) {
        let at = now_local() + time::Duration::seconds(seconds);
        let parsed = parse_call_report("call_back", &format_call_back(at), now_local());
        prop_assert_eq!(parsed, Ok(CallReport { outcome: CallOutcome::CallBack, call_back_at: Some(at) }));
    }

    #[test]
    fn garbage_never_panics(outcome in ".{0,12}", call_back in ".{0,30}") {
        let _ = parse_call_report(&outcome, &call_back, now_local());
        let _ = parse_call_report("call_back", &call_back, now_local());
        let _ = parse_datetime_local(&call_back);
    }

    #[test]
    fn near_datetimes_never_panic(call_back in "[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\\.[0-9]{0,4})?)?") {
        let _ = parse_call_report("call_back", &call_back, now_local());
    }
}
