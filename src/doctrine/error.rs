//! Why a rule-set file was refused: the file, the field, the problem.

use crate::names::UnknownName;
use std::fmt;
use time::Date;

/// A rule-set file that cannot be used. The server refuses to start on it,
/// and `relais doctrine check FILE` prints it, e.g.
/// `2021-03.toml: contact.quarantine_days: must not be negative (found -3)`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct RuleSetError {
    /// The file name, as given by whoever read it.
    pub file: String,
    /// The dotted path of the field (`contact.test_days[1]`,
    /// `rights[0].title.fr`); `None` when the file is not valid TOML at all.
    pub field: Option<String>,
    /// What is wrong.
    pub problem: Problem,
}

impl fmt::Display for RuleSetError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.field {
            Some(field) => write!(f, "{}: {}: {}", self.file, field, self.problem),
            None => write!(f, "{}: {}", self.file, self.problem),
        }
    }
}

/// What is wrong with one field of a rule-set file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Problem {
    /// The text is not TOML (the message says where).
    #[error("invalid TOML: {0}")]
    Syntax(String),
    /// A required field is absent.
    #[error("missing")]
    Missing,
    /// A field has the wrong TOML type.
    #[error("wrong type: expected {expected}, found {found}")]
    WrongType {
        expected: &'static str,
        found: &'static str,
    },
    /// A number of days below zero.
    #[error("must not be negative (found {0})")]
    Negative(i64),
    /// A number of days beyond what any doctrine ever asked.
    #[error("too large: {value} (at most {max})")]
    TooLarge { value: i64, max: u32 },
    /// An exposure, protection or audience name that does not exist.
    #[error("{0}")]
    UnknownName(UnknownName),
    /// A key the format does not have (often a typo).
    #[error("unknown field (expected one of: {})", .valid.join(", "))]
    UnknownField { valid: &'static [&'static str] },
    /// A text or list that must not be empty.
    #[error("must not be empty")]
    Empty,
    /// The same value listed twice in one list.
    #[error("\"{0}\" is listed twice")]
    Duplicate(String),
    /// Another file already defines this rule-set id.
    #[error("duplicate id \"{id}\": already defined in {other_file}")]
    DuplicateId { id: String, other_file: String },
    /// Another rule set takes effect the same day: selection would be ambiguous.
    #[error(
        "same effective date {date} as rule set \"{other_id}\" ({other_file}): \
         selection by date would be ambiguous"
    )]
    DuplicateEffectiveDate {
        date: Date,
        other_id: String,
        other_file: String,
    },
    /// A test day falls after the last day of quarantine.
    #[error("test day {day} is after the end of quarantine (day {quarantine_days})")]
    TestDayAfterQuarantineEnd { day: u32, quarantine_days: u32 },
    /// A date that is not a plain `YYYY-MM-DD` calendar date.
    #[error("invalid date \"{0}\" (expected a date such as 2021-01-18)")]
    InvalidDate(String),
    /// A test ending the quarantine that is not on its last day.
    #[error(
        "a test that ends the quarantine must be anchored on the last contact, on the \
         quarantine's last day (day {quarantine_days}); this one is {anchor} + {day}"
    )]
    EndingTestNotOnLastDay {
        anchor: &'static str,
        day: u32,
        quarantine_days: u32,
    },
    /// A test ending a quarantine, for measures without quarantine.
    #[error("a test cannot end the quarantine of measures without quarantine")]
    EndingTestWithoutQuarantine,
    /// Two tests end the same quarantine.
    #[error("only one test can end the quarantine")]
    SeveralEndingTests,
    /// A field that means nothing with the value of another.
    #[error("{0}")]
    Inconsistent(&'static str),
    /// A profile that can never apply: an earlier profile catches every
    /// person it would.
    #[error("never applies: profile \"{earlier}\" before it catches every person it would")]
    Unreachable { earlier: String },
    /// The early release falls on or after the full isolation's last day.
    #[error(
        "early release on day {day} is not before the end of isolation (day {isolation_days})"
    )]
    ReleaseNotEarly { day: u32, isolation_days: u32 },
    /// An id with characters unfit for a command line or a URL.
    #[error("invalid id \"{0}\" (use lowercase letters, digits and '-', at most 64)")]
    InvalidId(String),
}
