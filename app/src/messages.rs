//! The SMS texts, from the translation catalogue (`sms.*`), in the person's
//! language. French and English are folded to GSM-7 (160 characters a
//! part); the other languages go as written, in UCS-2 when GSM-7 cannot
//! carry them (70 characters a part, 67 when concatenated): see
//! [`relais::sms::encoding`].

use crate::tr;
use relais::outbox::MessageKind;
use relais::Lang;

/// The text of a message carrying `link` (ignored by a kind without one,
/// see [`MessageKind::has_link`]), in `lang`.
pub fn sms_text(kind: MessageKind, lang: Lang, link: &str) -> String {
    let template = match kind {
        MessageKind::CaseInvitation => tr!(lang, sms.case_invitation),
        MessageKind::ContactNotification => tr!(lang, sms.contact_notification),
        MessageKind::ContactTestReminder => tr!(lang, sms.contact_test_reminder),
        MessageKind::ContactFollowUp => tr!(lang, sms.contact_follow_up),
        MessageKind::CaseCheckIn => tr!(lang, sms.case_check_in),
        MessageKind::ContactCheckIn => tr!(lang, sms.contact_check_in),
        MessageKind::WorseAdvice => tr!(lang, sms.worse_advice),
        MessageKind::HelpOpened => tr!(lang, sms.help_opened),
    };
    let text = relais::bidi::fill_plain(template, &[link.to_owned()]);
    if relais::sms::encoding::folds_to_gsm7(lang) {
        relais::sms::to_gsm7(&text)
    } else {
        text
    }
}

/// The most parts any text may cost, in any language, with its link.
pub const MAX_PARTS: usize = 3;

#[cfg(test)]
mod tests {
    use super::*;
    use relais::sms::encoding::{cost, Encoding};

    #[test]
    fn every_text_of_every_language_fits_its_budget_and_carries_its_link() {
        // A link as long as the service's own, on a long public address.
        let link = "https://relais.sante-publique.example.fr/c/AAAAAAAAAAAAAAAAAAAAAA";
        for lang in Lang::ALL {
            for kind in MessageKind::ALL {
                let text = sms_text(kind, lang, link);
                let (encoding, parts) = cost(&text);
                assert!(parts <= MAX_PARTS, "{lang} {kind:?}: {parts} parts: {text}");
                assert_eq!(text.contains(link), kind.has_link(), "{lang}: {text}");
                assert!(text.starts_with("Relais"), "{lang}: {text}");
                if relais::sms::encoding::folds_to_gsm7(lang) {
                    assert_eq!(encoding, Encoding::Gsm7, "{lang}: {text}");
                }
                if kind.is_check_in() || kind == MessageKind::ContactFollowUp {
                    // The person answers with these digits, in every script.
                    for answer in ['1', '2', '3'] {
                        assert!(text.contains(answer), "{lang} {kind:?}: {text}");
                    }
                }
                if kind == MessageKind::WorseAdvice {
                    assert!(text.contains("15"), "{lang}: {text}");
                }
            }
        }
        // The scripts GSM-7 lacks go in UCS-2.
        for lang in [Lang::Ar, Lang::Zh, Lang::Tr, Lang::Ro] {
            let text = sms_text(MessageKind::ContactNotification, lang, link);
            assert_eq!(cost(&text).0, Encoding::Ucs2, "{lang}: {text}");
        }
    }

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

    #[test]
    fn the_check_in_question_names_its_three_answers_and_the_advice_names_15() {
        for lang in [Lang::Fr, Lang::En] {
            for kind in [MessageKind::CaseCheckIn, MessageKind::ContactCheckIn] {
                let text = sms_text(kind, lang, "");
                for answer in ["1 ", "2 ", "3 "] {
                    assert!(text.contains(answer), "{text}");
                }
                assert!(kind.is_check_in());
            }
            let advice = sms_text(MessageKind::WorseAdvice, lang, "");
            assert!(advice.contains("15"), "{advice}");
            for kind in MessageKind::ALL {
                let text = sms_text(kind, lang, "");
                if !kind.has_link() {
                    assert_eq!(relais::sms::parts(&text), 1, "{text}");
                }
            }
        }
    }
}
