//! The SMS texts, from the translation catalogue (`sms.*`), in the person's
//! language, written in GSM-7 only (a text with one character GSM-7 lacks
//! would be sent as UCS-2, 70 characters a part instead of 160).

use crate::tr;
use relais::Lang;

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
}

impl MessageKind {
    pub fn as_str(self) -> &'static str {
        match self {
            MessageKind::CaseInvitation => "case_invitation",
            MessageKind::ContactNotification => "contact_notification",
            MessageKind::ContactTestReminder => "contact_test_reminder",
            MessageKind::ContactFollowUp => "contact_follow_up",
        }
    }

    pub const ALL: [MessageKind; 4] = [
        MessageKind::CaseInvitation,
        MessageKind::ContactNotification,
        MessageKind::ContactTestReminder,
        MessageKind::ContactFollowUp,
    ];

    pub fn parse(kind: &str) -> Option<MessageKind> {
        MessageKind::ALL.into_iter().find(|k| k.as_str() == kind)
    }

    /// Whether the text carries a link (written fresh by the worker).
    pub fn has_link(self) -> bool {
        !matches!(self, MessageKind::ContactFollowUp)
    }
}

/// The text of a message carrying `link` (ignored by a kind without one,
/// see [`MessageKind::has_link`]), GSM-7 only.
pub fn sms_text(kind: MessageKind, lang: Lang, link: &str) -> String {
    let template = match kind {
        MessageKind::CaseInvitation => tr!(lang, sms.case_invitation),
        MessageKind::ContactNotification => tr!(lang, sms.contact_notification),
        MessageKind::ContactTestReminder => tr!(lang, sms.contact_test_reminder),
        MessageKind::ContactFollowUp => tr!(lang, sms.contact_follow_up),
    };
    relais::sms::to_gsm7(&crate::i18n::fill(template, &[link.to_owned()]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_text_is_gsm7_carries_its_link_and_fits_two_parts() {
        let link = "https://relais.example.fr/c/AAAAAAAAAAAAAAAAAAAAAA";
        for lang in [Lang::Fr, Lang::En] {
            for kind in MessageKind::ALL {
                let text = sms_text(kind, lang, link);
                assert!(relais::sms::is_gsm7(&text), "{text}");
                assert_eq!(text.ends_with(link), kind.has_link(), "{text}");
                assert_eq!(text.contains(link), kind.has_link(), "{text}");
                assert!(relais::sms::parts(&text) <= 2, "{text}");
                assert_eq!(MessageKind::parse(kind.as_str()), Some(kind));
            }
        }
        assert_eq!(MessageKind::parse("other"), None);
    }

    #[test]
    fn the_follow_up_question_names_the_three_answers_in_one_part() {
        let fr = sms_text(MessageKind::ContactFollowUp, Lang::Fr, "");
        assert!(
            fr.contains("1 si négatif") || fr.contains("1 si negatif"),
            "{fr}"
        );
        assert!(
            fr.contains("2 si positif") && fr.contains("3 si pas test"),
            "{fr}"
        );
        let en = sms_text(MessageKind::ContactFollowUp, Lang::En, "");
        assert!(
            en.contains("Reply 1 tested negative, 2 tested positive, 3 not tested"),
            "{en}"
        );
        for text in [fr, en] {
            assert_eq!(relais::sms::parts(&text), 1, "{text}");
            assert!(relais::sms::is_gsm7(&text));
        }
    }
}
