//! The SMS outbox's rules: what a message is for ([`MessageKind`]) and when
//! the outbox tries a message again: exponential backoff with
//! jitter, so that a gateway that is down is not hammered, and many
//! messages failed together do not all come back at the same second.

/// The first retry waits about this long (seconds).
pub const FIRST_RETRY_SECONDS: i64 = 30;
/// No retry waits longer than this (seconds): one hour.
pub const MAX_RETRY_SECONDS: i64 = 3600;

/// The wait before the attempt after `attempts` failed ones (1 = the first
/// attempt failed): 30 s, 60 s, 120 s … capped at an hour, each multiplied
/// by a factor between 0.5 and 1.5 drawn from `jitter` (a number in [0, 1),
/// clamped). Never less than one second.
pub fn retry_delay_seconds(attempts: u32, jitter: f64) -> i64 {
    let exponent = attempts.saturating_sub(1).min(20);
    let base = FIRST_RETRY_SECONDS
        .saturating_mul(1_i64 << exponent)
        .min(MAX_RETRY_SECONDS);
    let jitter = if jitter.is_finite() {
        jitter.clamp(0.0, 1.0)
    } else {
        0.5
    };
    ((base as f64) * (0.5 + jitter)).round().max(1.0) as i64
}

/// What a message is for (`sms_outbox.kind`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MessageKind {
    /// A new case: the link to prepare their list before the call.
    CaseInvitation,
    /// A validated at-risk contact: the link to what to do and until when.
    ContactNotification,
    /// Scheduled at validation: 09:00 (Paris) on one of the contact's test
    /// days, with the link to their page (where to record the result).
    ContactTestReminder,
    /// Scheduled at validation: 10:00 (Paris) on the day the quarantine
    /// ends, the question answered by SMS (1 negative, 2 positive, 3 not
    /// tested); no link.
    ContactFollowUp,
    /// Scheduled at validation: 11:00 (Paris) on day 2 and day 5 of the
    /// case's isolation, "How are you? 1 all right, 2 worse, 3 I need
    /// help", answered by SMS; no link.
    CaseCheckIn,
    /// The same question to an at-risk contact on day 3 of quarantine.
    ContactCheckIn,
    /// The answer "2 worse", at once: the emergency advice (difficulty
    /// breathing: call 15); no link.
    WorseAdvice,
    /// The answer "3 I need help", at once: the support cell will call;
    /// no link.
    HelpOpened,
}

impl MessageKind {
    pub fn as_str(self) -> &'static str {
        match self {
            MessageKind::CaseInvitation => "case_invitation",
            MessageKind::ContactNotification => "contact_notification",
            MessageKind::ContactTestReminder => "contact_test_reminder",
            MessageKind::ContactFollowUp => "contact_follow_up",
            MessageKind::CaseCheckIn => "case_check_in",
            MessageKind::ContactCheckIn => "contact_check_in",
            MessageKind::WorseAdvice => "worse_advice",
            MessageKind::HelpOpened => "help_opened",
        }
    }

    pub const ALL: [MessageKind; 8] = [
        MessageKind::CaseInvitation,
        MessageKind::ContactNotification,
        MessageKind::ContactTestReminder,
        MessageKind::ContactFollowUp,
        MessageKind::CaseCheckIn,
        MessageKind::ContactCheckIn,
        MessageKind::WorseAdvice,
        MessageKind::HelpOpened,
    ];

    pub fn parse(kind: &str) -> Option<MessageKind> {
        MessageKind::ALL.into_iter().find(|k| k.as_str() == kind)
    }

    /// Whether the text carries a link (written fresh by the worker).
    pub fn has_link(self) -> bool {
        matches!(
            self,
            MessageKind::CaseInvitation
                | MessageKind::ContactNotification
                | MessageKind::ContactTestReminder
        )
    }

    /// Whether the text asks "How are you?" (answered 1, 2 or 3 by SMS).
    pub fn is_check_in(self) -> bool {
        matches!(self, MessageKind::CaseCheckIn | MessageKind::ContactCheckIn)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn doubles_from_thirty_seconds_up_to_an_hour() {
        let middle: Vec<i64> = (1..=9).map(|n| retry_delay_seconds(n, 0.5)).collect();
        assert_eq!(middle, [30, 60, 120, 240, 480, 960, 1920, 3600, 3600]);
        assert_eq!(retry_delay_seconds(1, 0.0), 15);
        assert_eq!(retry_delay_seconds(1, 1.0), 45);
        assert_eq!(retry_delay_seconds(0, 0.5), 30);
        assert_eq!(retry_delay_seconds(3, f64::NAN), 120);
    }

    proptest! {
        #[test]
        fn the_wait_stays_within_half_and_one_and_a_half_of_its_base(
            attempts in any::<u32>(),
            jitter in any::<f64>(),
        ) {
            let wait = retry_delay_seconds(attempts, jitter);
            prop_assert!(wait >= 1);
            prop_assert!(wait <= MAX_RETRY_SECONDS * 3 / 2);
            prop_assert!(wait >= FIRST_RETRY_SECONDS / 2);
        }

        #[test]
        fn more_failures_never_wait_less_for_the_same_jitter(
            attempts in 1u32..40,
            jitter in 0.0f64..1.0,
        ) {
            prop_assert!(retry_delay_seconds(attempts + 1, jitter) >= retry_delay_seconds(attempts, jitter));
        }
    }
}
