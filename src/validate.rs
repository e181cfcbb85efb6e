//! Refusing impossible scenarios before the rules run: dates in the future,
//! an onset months away from the sample, a last contact before the case was
//! contagious. The rules themselves accept any dates; these checks are what
//! the declaration forms and `relais doctrine evaluate` apply at the edge.

use crate::rules::ContagiousWindow;
use crate::situation::{CaseSituation, ContactExposure};
use time::Date;

/// The largest gap, in days, between symptom onset and the positive sample
/// (either way round). Beyond it, the year or month is almost surely a typo.
pub const MAX_ONSET_SAMPLE_GAP_DAYS: i64 = 30;

/// No date before this one: contact tracing started in 2020.
pub fn earliest_date() -> Date {
    crate::dates::ymd(2020, 1, 1).unwrap_or(Date::MIN)
}

/// A scenario the rules cannot be applied to. The message, in English,
/// names the field and says how to correct it; the app matches on the
/// variant to show its own translated message next to [`ScenarioError::field`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ScenarioError {
    /// The input is not a scenario in JSON (syntax, missing or unknown field,
    /// unknown exposure or protection name).
    #[error("invalid scenario: {0}")]
    Json(String),
    /// The requested rule set does not exist.
    #[error("unknown rule set \"{id}\" (known: {})", .known.join(", "))]
    UnknownRuleSet { id: String, known: Vec<String> },
    /// A date after today.
    #[error("{field}: {date} is in the future (today is {today})")]
    FutureDate {
        field: String,
        date: Date,
        today: Date,
    },
    /// A date before contact tracing existed.
    #[error("{field}: {date} is before {earliest}; check the year")]
    TooEarly {
        field: String,
        date: Date,
        earliest: Date,
    },
    /// Symptom onset and sample far apart.
    #[error(
        "case.symptom_onset: onset {onset} is {gap_days} days from the sample date \
         {sample} (at most {max_days}); check the month and year"
    )]
    OnsetTooFarFromSample {
        onset: Date,
        sample: Date,
        gap_days: i64,
        max_days: i64,
    },
    /// Isolation declared to have begun before the case was contagious.
    #[error(
        "case.isolation_start: {isolation_start} is before the contagious window, \
         which starts on {window_start}; check the date"
    )]
    IsolationBeforeWindow {
        isolation_start: Date,
        window_start: Date,
    },
    /// A contact last met before the case was contagious.
    #[error(
        "{field}: {last_contact} is before the case's contagious window, which \
         starts on {window_start}; someone met only before that day is not a \
         contact to declare"
    )]
    LastContactBeforeWindow {
        field: String,
        last_contact: Date,
        window_start: Date,
    },
    /// The result could not be written as JSON (not expected to happen).
    #[error("could not write the result: {0}")]
    Output(String),
}

impl ScenarioError {
    /// The dotted path of the field at fault (`case.sample_date`,
    /// `contacts[2].last_contact`), when there is one.
    pub fn field(&self) -> Option<&str> {
        match self {
            ScenarioError::FutureDate { field, .. }
            | ScenarioError::TooEarly { field, .. }
            | ScenarioError::LastContactBeforeWindow { field, .. } => Some(field),
            ScenarioError::OnsetTooFarFromSample { .. } => Some("case.symptom_onset"),
            ScenarioError::IsolationBeforeWindow { .. } => Some("case.isolation_start"),
            ScenarioError::UnknownRuleSet { .. } => Some("rule_set"),
            ScenarioError::Json(_) | ScenarioError::Output(_) => None,
        }
    }
}

/// Checks one date: not before [`earliest_date`], not after `today`.
pub fn check_date(field: &str, date: Date, today: Date) -> Result<(), ScenarioError> {
    let earliest = earliest_date();
    if date < earliest {
        return Err(ScenarioError::TooEarly {
            field: field.to_owned(),
            date,
            earliest,
        });
    }
    if date > today {
        return Err(ScenarioError::FutureDate {
            field: field.to_owned(),
            date,
            today,
        });
    }
    Ok(())
}

/// Checks the case's dates, given its contagious window (computed by
/// [`crate::rules::contagious_window`] under the rule set that applies).
pub fn check_case(
    case: &CaseSituation,
    window: &ContagiousWindow,
    today: Date,
) -> Result<(), ScenarioError> {
    check_date("case.sample_date", case.sample_date, today)?;
    if let Some(onset) = case.symptom_onset {
        check_date("case.symptom_onset", onset, today)?;
        let gap_days = (case.sample_date - onset).whole_days().abs();
        if gap_days > MAX_ONSET_SAMPLE_GAP_DAYS {
            return Err(ScenarioError::OnsetTooFarFromSample {
                onset,
                sample: case.sample_date,
                gap_days,
                max_days: MAX_ONSET_SAMPLE_GAP_DAYS,
            });
        }
    }
    if let Some(last_dose) = case.last_dose {
        check_date("case.last_dose", last_dose, today)?;
    }
    if let Some(test) = case.release_test {
        check_date("case.release_test.sampled_on", test.sampled_on, today)?;
    }
    if let Some(isolation_start) = case.isolation_start {
        check_date("case.isolation_start", isolation_start, today)?;
        if isolation_start < window.start {
            return Err(ScenarioError::IsolationBeforeWindow {
                isolation_start,
                window_start: window.start,
            });
        }
    }
    Ok(())
}

/// Checks a contact's dates (contact number `index`, from 0): the last
/// contact not in the future, not before the case's contagious window; the
/// last dose and the day informed not in the future.
pub fn check_contact(
    index: usize,
    contact: &ContactExposure,
    window: &ContagiousWindow,
    today: Date,
) -> Result<(), ScenarioError> {
    let field = format!("contacts[{index}].last_contact");
    check_date(&field, contact.last_contact, today)?;
    if contact.last_contact < window.start {
        return Err(ScenarioError::LastContactBeforeWindow {
            field,
            last_contact: contact.last_contact,
            window_start: window.start,
        });
    }
    if let Some(last_dose) = contact.last_dose {
        check_date(&format!("contacts[{index}].last_dose"), last_dose, today)?;
    }
    if let Some(informed_on) = contact.informed_on {
        check_date(
            &format!("contacts[{index}].informed_on"),
            informed_on,
            today,
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::contagious_window;
    use crate::RuleSets;

    fn d(s: &str) -> Date {
        crate::dates::parse_iso(s).expect("test date")
    }

    fn case(onset: Option<&str>, sample: &str, isolation: Option<&str>) -> CaseSituation {
        let mut c = CaseSituation::new(onset.map(d), d(sample));
        c.isolation_start = isolation.map(d);
        c
    }

    fn check(c: &CaseSituation, today: &str) -> Result<(), ScenarioError> {
        let sets = RuleSets::embedded();
        let window = contagious_window(sets.select(c.j0()), c);
        check_case(c, &window, d(today))
    }

    #[test]
    fn plausible_case_passes() {
        assert_eq!(
            check(
                &case(Some("2020-11-10"), "2020-11-12", Some("2020-11-12")),
                "2020-11-13"
            ),
            Ok(())
        );
        // Symptoms after a positive sample are possible.
        assert_eq!(
            check(&case(Some("2020-11-14"), "2020-11-12", None), "2020-11-14"),
            Ok(())
        );
    }

    #[test]
    fn future_dates_are_refused_with_the_field() {
        let err = check(&case(None, "2020-11-20", None), "2020-11-19").unwrap_err();
        assert_eq!(err.field(), Some("case.sample_date"));
        assert_eq!(
            err.to_string(),
            "case.sample_date: 2020-11-20 is in the future (today is 2020-11-19)"
        );
        let err = check(&case(Some("2020-11-20"), "2020-11-18", None), "2020-11-19").unwrap_err();
        assert_eq!(err.field(), Some("case.symptom_onset"));
        let err = check(&case(None, "2020-11-18", Some("2020-11-21")), "2020-11-19").unwrap_err();
        assert_eq!(err.field(), Some("case.isolation_start"));
    }

    #[test]
    fn onset_months_from_sample_is_refused() {
        let err = check(&case(Some("2020-08-10"), "2020-11-12", None), "2020-11-13").unwrap_err();
        assert!(matches!(
            err,
            ScenarioError::OnsetTooFarFromSample { gap_days: 94, .. }
        ));
        assert!(
            err.to_string().contains("check the month and year"),
            "{err}"
        );
        // 30 days is still accepted.
        assert_eq!(
            check(&case(Some("2020-10-13"), "2020-11-12", None), "2020-11-13"),
            Ok(())
        );
    }

    #[test]
    fn dates_before_2020_are_refused() {
        let err = check(&case(None, "1920-11-12", None), "2020-11-13").unwrap_err();
        assert!(matches!(err, ScenarioError::TooEarly { .. }));
        assert!(err.to_string().contains("check the year"));
    }

    #[test]
    fn isolation_before_window_is_refused() {
        let err = check(
            &case(Some("2020-11-10"), "2020-11-12", Some("2020-11-07")),
            "2020-11-13",
        )
        .unwrap_err();
        assert_eq!(
            err,
            ScenarioError::IsolationBeforeWindow {
                isolation_start: d("2020-11-07"),
                window_start: d("2020-11-08"),
            }
        );
    }

    #[test]
    fn last_contact_before_window_or_in_future_is_refused() {
        let sets = RuleSets::embedded();
        let c = case(Some("2020-11-10"), "2020-11-12", None);
        let window = contagious_window(sets.select(c.j0()), &c);
        let ok = ContactExposure::met_on(d("2020-11-08"));
        assert_eq!(check_contact(0, &ok, &window, d("2020-11-13")), Ok(()));
        let err = check_contact(
            2,
            &ContactExposure::met_on(d("2020-11-07")),
            &window,
            d("2020-11-13"),
        )
        .unwrap_err();
        assert_eq!(err.field(), Some("contacts[2].last_contact"));
        assert_eq!(
            err.to_string(),
            "contacts[2].last_contact: 2020-11-07 is before the case's contagious window, \
             which starts on 2020-11-08; someone met only before that day is not a contact to declare"
        );
        let err = check_contact(
            0,
            &ContactExposure::met_on(d("2020-11-14")),
            &window,
            d("2020-11-13"),
        )
        .unwrap_err();
        assert!(matches!(err, ScenarioError::FutureDate { .. }));
    }
}
