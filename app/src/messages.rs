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
}

impl MessageKind {
    pub fn as_str(self) -> &'static str {
        match self {
            MessageKind::CaseInvitation => "case_invitation",
            MessageKind::ContactNotification => "contact_notification",
        }
    }

    pub fn parse(kind: &str) -> Option<MessageKind> {
        [
            MessageKind::CaseInvitation,
            MessageKind::ContactNotification,
        ]
        .into_iter()
        .find(|k| k.as_str() == kind)
    }
}

/// The text of a message carrying `link`, GSM-7 only.
pub fn sms_text(kind: MessageKind, lang: Lang, link: &str) -> String {
    let template = match kind {
        MessageKind::CaseInvitation => tr!(lang, sms.case_invitation),
        MessageKind::ContactNotification => tr!(lang, sms.contact_notification),
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
            for kind in [
                MessageKind::CaseInvitation,
                MessageKind::ContactNotification,
            ] {
                let text = sms_text(kind, lang, link);
                assert!(relais::sms::is_gsm7(&text), "{text}");
                assert!(text.ends_with(link), "{text}");
                assert!(relais::sms::parts(&text) <= 2, "{text}");
                assert_eq!(MessageKind::parse(kind.as_str()), Some(kind));
            }
        }
        assert_eq!(MessageKind::parse("other"), None);
    }
}
