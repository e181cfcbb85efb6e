//! What an SMS received from a contact or a case says: an answer to the
//! follow-up question ("1" negative, "2" positive, "3" not tested, spaces
//! and punctuation ignored), `STOP` alone (the number opts out), or
//! anything else (a reply for the tracers). The store acts on it.

/// The answer to the follow-up question.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FollowUpAnswer {
    /// "1"
    Negative,
    /// "2"
    Positive,
    /// "3"
    NotTested,
}

impl FollowUpAnswer {
    /// The machine word stored in `contacts.sms_answer`.
    pub fn as_str(self) -> &'static str {
        match self {
            FollowUpAnswer::Negative => "negative",
            FollowUpAnswer::Positive => "positive",
            FollowUpAnswer::NotTested => "not_tested",
        }
    }
}

/// What a text says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReplyText {
    Answer(FollowUpAnswer),
    Stop,
    Other,
}

/// The punctuation a Chinese or Arabic keyboard types, dropped around an
/// answer as ASCII punctuation is ("３。", "(١)").
const WIDE_PUNCTUATION: &[char] = &[
    '。', '．', '，', '、', '！', '？', '（', '）', '：', '；', '،', '؟', '؛', '٫', '٬',
];

/// The digits 1 to 3 as other keyboards type them, read as the ASCII
/// digit the question names: Arabic-Indic (١٢٣, Arabic phones), Extended
/// Arabic-Indic (۱۲۳) and full-width (１２３, Chinese input methods). Any
/// other character is itself.
fn answer_digit(c: char) -> char {
    match c {
        '\u{0661}' | '\u{06F1}' | '\u{FF11}' => '1',
        '\u{0662}' | '\u{06F2}' | '\u{FF12}' => '2',
        '\u{0663}' | '\u{06F3}' | '\u{FF13}' => '3',
        other => other,
    }
}

/// Reads a text: "1", " 2 ", "3.", "(1)" are answers, and so are the same
/// digits from an Arabic or Chinese keyboard ("٣", "２。"); "STOP", "stop.",
/// " Stop " opt out; anything else ("12", "1 2", "STOP SMS", "ok") is a
/// reply for the tracers.
pub fn parse_reply(text: &str) -> ReplyText {
    let kept: String = text
        .chars()
        .filter(|c| {
            !c.is_whitespace() && !c.is_ascii_punctuation() && !WIDE_PUNCTUATION.contains(c)
        })
        .map(answer_digit)
        .collect();
    // "STOP" must be one word: "STOP SMS" or "S T O P" is not it.
    let word = text
        .trim()
        .trim_matches(|c: char| c.is_ascii_punctuation() || c.is_whitespace());
    if word.eq_ignore_ascii_case("stop") {
        return ReplyText::Stop;
    }
    match kept.as_str() {
        "1" => ReplyText::Answer(FollowUpAnswer::Negative),
        "2" => ReplyText::Answer(FollowUpAnswer::Positive),
        "3" => ReplyText::Answer(FollowUpAnswer::NotTested),
        _ => ReplyText::Other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn arabic_and_full_width_digits_are_the_same_answers() {
        for (text, answer) in [
            ("١", FollowUpAnswer::Negative),
            ("٢", FollowUpAnswer::Positive),
            (" ٣ ", FollowUpAnswer::NotTested),
            ("۱", FollowUpAnswer::Negative),
            ("１", FollowUpAnswer::Negative),
            ("２。", FollowUpAnswer::Positive),
            ("（３）", FollowUpAnswer::NotTested),
            ("٣،", FollowUpAnswer::NotTested),
        ] {
            assert_eq!(parse_reply(text), ReplyText::Answer(answer), "{text:?}");
        }
        for other in ["٤", "٠", "１２", "٣٣", "٫", "。"] {
            assert_eq!(parse_reply(other), ReplyText::Other, "{other:?}");
        }
    }

    #[test]
    fn answers_tolerate_spaces_and_punctuation() {
        for (text, answer) in [
            ("1", FollowUpAnswer::Negative),
            (" 2 ", FollowUpAnswer::Positive),
            ("3.", FollowUpAnswer::NotTested),
            ("(1)", FollowUpAnswer::Negative),
            ("2 !", FollowUpAnswer::Positive),
            ("\n3\n", FollowUpAnswer::NotTested),
        ] {
            assert_eq!(parse_reply(text), ReplyText::Answer(answer), "{text:?}");
        }
        for text in ["12", "1 2", "4", "0", "", "un", "1 merci", "４"] {
            assert_eq!(parse_reply(text), ReplyText::Other, "{text:?}");
        }
    }

    #[test]
    fn stop_is_the_word_alone() {
        for text in ["STOP", "stop", " Stop ", "stop.", "STOP!"] {
            assert_eq!(parse_reply(text), ReplyText::Stop, "{text:?}");
        }
        for text in ["STOP SMS", "stopper", "please stop", "S T O P", "non stop"] {
            assert_eq!(parse_reply(text), ReplyText::Other, "{text:?}");
        }
    }

    #[test]
    fn answers_have_their_machine_words() {
        assert_eq!(FollowUpAnswer::Negative.as_str(), "negative");
        assert_eq!(FollowUpAnswer::Positive.as_str(), "positive");
        assert_eq!(FollowUpAnswer::NotTested.as_str(), "not_tested");
    }

    /// Whitespace (ASCII and not) and ASCII punctuation: what `parse_reply`
    /// ignores around an answer or STOP.
    fn noise() -> impl Strategy<Value = String> {
        "[ \t\r\n\u{a0}\u{2009}\u{3000}!-/:-@\\[-`{-~]{0,8}"
    }

    /// `text` with each ASCII letter's case flipped or not by `flips`.
    fn with_cases(text: &str, flips: &[bool]) -> String {
        text.chars()
            .zip(flips.iter().chain(std::iter::repeat(&false)))
            .map(|(c, &flip)| {
                if flip {
                    c.to_ascii_uppercase()
                } else {
                    c.to_ascii_lowercase()
                }
            })
            .collect()
    }

    proptest! {
        #[test]
        fn one_digit_in_noise_is_that_answer(
            before in noise(), digit in 1u8..=3, after in noise(),
        ) {
            let text = format!("{before}{digit}{after}");
            let answer = match digit {
                1 => FollowUpAnswer::Negative,
                2 => FollowUpAnswer::Positive,
                _ => FollowUpAnswer::NotTested,
            };
            prop_assert_eq!(parse_reply(&text), ReplyText::Answer(answer));
        }

        #[test]
        fn two_digits_are_never_an_answer(
            a in ".{0,10}", x in 0u8..=9, b in ".{0,10}", y in 0u8..=9, c in ".{0,10}",
        ) {
            let text = format!("{a}{x}{b}{y}{c}");
            prop_assert_eq!(parse_reply(&text), ReplyText::Other);
        }

        #[test]
        fn stop_in_any_case_in_noise_opts_out(
            before in noise(), flips in prop::collection::vec(any::<bool>(), 4), after in noise(),
        ) {
            let text = format!("{before}{}{after}", with_cases("stop", &flips));
            prop_assert_eq!(parse_reply(&text), ReplyText::Stop);
        }

        #[test]
        fn stop_with_another_word_is_a_reply(
            before in noise(), word in "[a-zA-Z0-9]{1,8}", after in noise(), first: bool,
        ) {
            let text = if first {
                format!("{before}STOP {word}{after}")
            } else {
                format!("{before}{word} stop{after}")
            };
            prop_assert_eq!(parse_reply(&text), ReplyText::Other);
        }

        #[test]
        fn any_text_is_read_without_panicking(text in "\\PC{0,60}", raw in any::<String>()) {
            let _ = parse_reply(&text);
            let _ = parse_reply(&raw);
        }

        #[test]
        fn letters_and_digits_beyond_ascii_are_never_an_answer(
            before in noise(), c in "[\\p{L}\\p{N}]", after in noise(),
        ) {
            // A lone non-ASCII letter or digit ("４", "٧", "é") is not
            // "1"-"3", but for the three digits' own forms (see below).
            prop_assume!(!c.is_ascii());
            prop_assume!(c.chars().all(|d| answer_digit(d) == d));
            let text = format!("{before}{c}{after}");
            prop_assert_eq!(parse_reply(&text), ReplyText::Other);
        }
    }
}
