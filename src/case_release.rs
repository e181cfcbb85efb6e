//! The case's own forms of the rules of January 2022: their vaccination
//! (asked only under a rule set that uses it, see
//! [`crate::doctrine::Fact::CaseVaccination`]) and the test they took to
//! end their isolation early. Pure parsers, like the contact's follow-up
//! forms ([`crate::contact_guidance::parse_test_report`]): every problem
//! at once, in form order, each tied to a field of [`field`].

use crate::contact_form::{date_code, FormError};
use crate::date_fields::{parse_past_date, DateField};
use crate::situation::{ReleaseTest, TestResult, VaccinationStatus};
use time::Date;

/// The HTML ids of the fields, which [`FormError::field`] names.
pub mod field {
    /// The vaccination radio buttons (their first button).
    pub const VACCINATION: &str = "case-vaccination";
    /// Day of the last dose (also for a missing or impossible date, in
    /// the future or too early).
    pub const DOSE_DAY: &str = "dose-day";
    /// Month of the last dose.
    pub const DOSE_MONTH: &str = "dose-month";
    /// Year of the last dose.
    pub const DOSE_YEAR: &str = "dose-year";
    /// Day of the release test's sample.
    pub const RELEASE_DAY: &str = "release-day";
    /// Month of the release test's sample.
    pub const RELEASE_MONTH: &str = "release-month";
    /// Year of the release test's sample.
    pub const RELEASE_YEAR: &str = "release-year";
    /// The result radio buttons (their first button).
    pub const RELEASE_RESULT: &str = "release-result";

    /// Every field, in the order of the forms (the order of the errors).
    pub const ALL: &[&str] = &[
        VACCINATION,
        DOSE_DAY,
        DOSE_MONTH,
        DOSE_YEAR,
        RELEASE_DAY,
        RELEASE_MONTH,
        RELEASE_YEAR,
        RELEASE_RESULT,
    ];
}

/// The first day a last dose may be on: vaccination began in France at
/// the end of December 2020.
pub fn earliest_dose() -> Date {
    crate::dates::ymd(2020, 12, 1).unwrap_or(Date::MIN)
}

/// A date in three fields, on or before `today` and not before `earliest`
/// (else `too_early`), errors tied to the fields `[day, month, year]`.
fn parse_date(
    (day, month, year): (&str, &str, &str),
    fields: [&'static str; 3],
    earliest: Date,
    too_early: &'static str,
    today: Date,
) -> Result<Date, FormError> {
    let first_year = u32::try_from(earliest.year()).unwrap_or(0);
    let date = parse_past_date(day, month, year, first_year, today).map_err(|e| {
        let field = match e.field() {
            DateField::Day => fields[0],
            DateField::Month => fields[1],
            DateField::Year => fields[2],
        };
        FormError::new(field, date_code(e))
    })?;
    if date < earliest {
        return Err(FormError::new(fields[0], too_early));
    }
    Ok(date)
}

/// The case's vaccination form: a [`VaccinationStatus`] machine name
/// (required), and, for a complete schedule, the day of the last dose, on
/// or before `today` and not before [`earliest_dose`]. The dose fields
/// are ignored otherwise.
///
/// The codes: `vaccination_missing`, `vaccination_unknown` (on
/// [`field::VACCINATION`]); `date_missing`, `date_day`, `date_month`,
/// `date_year`, `date_not_a_date`, `date_future`, `date_year_range`,
/// `dose_too_early` (on the dose fields).
pub fn parse_case_vaccination(
    status: &str,
    (day, month, year): (&str, &str, &str),
    today: Date,
) -> Result<(VaccinationStatus, Option<Date>), Vec<FormError>> {
    let status = if status.trim().is_empty() {
        return Err(vec![FormError::new(
            field::VACCINATION,
            "vaccination_missing",
        )]);
    } else {
        status
            .trim()
            .parse::<VaccinationStatus>()
            .map_err(|_| vec![FormError::new(field::VACCINATION, "vaccination_unknown")])?
    };
    if status != VaccinationStatus::FullyVaccinated {
        return Ok((status, None));
    }
    let dose = parse_date(
        (day, month, year),
        [field::DOSE_DAY, field::DOSE_MONTH, field::DOSE_YEAR],
        earliest_dose(),
        "dose_too_early",
        today,
    )
    .map_err(|e| vec![e])?;
    Ok((status, Some(dose)))
}

/// The early-release test form: the day of the sample, on or before
/// `today` and not before `j0` (the case's J0), a [`TestResult`] machine
/// name, and the "no symptoms for 48 hours" checkbox.
///
/// The codes: `date_missing`, `date_day`, `date_month`, `date_year`,
/// `date_not_a_date`, `date_future`, `date_year_range`,
/// `release_before_j0` (on the date fields); `release_result_missing`,
/// `release_result_unknown` (on [`field::RELEASE_RESULT`]).
pub fn parse_release_test(
    (day, month, year): (&str, &str, &str),
    result: &str,
    symptom_free_48h: bool,
    j0: Date,
    today: Date,
) -> Result<ReleaseTest, Vec<FormError>> {
    let sampled_on = parse_date(
        (day, month, year),
        [
            field::RELEASE_DAY,
            field::RELEASE_MONTH,
            field::RELEASE_YEAR,
        ],
        j0,
        "release_before_j0",
        today,
    );
    let result = if result.trim().is_empty() {
        Err(FormError::new(
            field::RELEASE_RESULT,
            "release_result_missing",
        ))
    } else {
        result
            .trim()
            .parse::<TestResult>()
            .map_err(|_| FormError::new(field::RELEASE_RESULT, "release_result_unknown"))
    };
    match (sampled_on, result) {
        (Ok(sampled_on), Ok(result)) => Ok(ReleaseTest {
            sampled_on,
            result,
            symptom_free_48h,
        }),
        (sampled_on, result) => Err(sampled_on.err().into_iter().chain(result.err()).collect()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        crate::dates::parse_iso(s).unwrap()
    }

    fn today() -> Date {
        d("2022-01-20")
    }

    fn codes(errors: Vec<FormError>) -> Vec<(&'static str, &'static str)> {
        errors.into_iter().map(|e| (e.field, e.code)).collect()
    }

    type Codes = Vec<(&'static str, &'static str)>;

    fn vaccination(
        status: &str,
        dose: (&str, &str, &str),
    ) -> Result<(VaccinationStatus, Option<Date>), Codes> {
        parse_case_vaccination(status, dose, today()).map_err(codes)
    }

    #[test]
    fn the_status_is_required_and_known() {
        assert_eq!(
            vaccination("", ("", "", "")),
            Err(vec![(field::VACCINATION, "vaccination_missing")])
        );
        assert_eq!(
            vaccination("  ", ("1", "1", "2022")),
            Err(vec![(field::VACCINATION, "vaccination_missing")])
        );
        assert_eq!(
            vaccination("twice", ("", "", "")),
            Err(vec![(field::VACCINATION, "vaccination_unknown")])
        );
    }

    #[test]
    fn not_vaccinated_or_unknown_ignores_the_dose_fields() {
        assert_eq!(
            vaccination("not_vaccinated", ("99", "x", "")),
            Ok((VaccinationStatus::NotVaccinated, None))
        );
        assert_eq!(
            vaccination("unknown", ("", "", "")),
            Ok((VaccinationStatus::Unknown, None))
        );
    }

    #[test]
    fn fully_vaccinated_needs_a_past_dose_from_december_2020() {
        assert_eq!(
            vaccination("fully_vaccinated", ("20", "10", "2021")),
            Ok((VaccinationStatus::FullyVaccinated, Some(d("2021-10-20"))))
        );
        assert_eq!(
            vaccination("fully_vaccinated", ("1", "12", "2020")),
            Ok((VaccinationStatus::FullyVaccinated, Some(d("2020-12-01"))))
        );
        assert_eq!(
            vaccination("fully_vaccinated", ("", "", "")),
            Err(vec![(field::DOSE_DAY, "date_missing")])
        );
        assert_eq!(
            vaccination("fully_vaccinated", ("30", "11", "2020")),
            Err(vec![(field::DOSE_DAY, "dose_too_early")])
        );
        assert_eq!(
            vaccination("fully_vaccinated", ("21", "1", "2022")),
            Err(vec![(field::DOSE_DAY, "date_future")])
        );
        assert_eq!(
            vaccination("fully_vaccinated", ("20", "13", "2021")),
            Err(vec![(field::DOSE_MONTH, "date_month")])
        );
        assert_eq!(
            vaccination("fully_vaccinated", ("31", "2", "2021")),
            Err(vec![(field::DOSE_DAY, "date_not_a_date")])
        );
    }

    fn release(
        date: (&str, &str, &str),
        result: &str,
        symptom_free: bool,
    ) -> Result<ReleaseTest, Codes> {
        parse_release_test(date, result, symptom_free, d("2022-01-12"), today()).map_err(codes)
    }

    #[test]
    fn a_release_test_from_j0_to_today() {
        assert_eq!(
            release(("17", "1", "2022"), "negative", true),
            Ok(ReleaseTest {
                sampled_on: d("2022-01-17"),
                result: TestResult::Negative,
                symptom_free_48h: true,
            })
        );
        assert_eq!(
            release(("12", "01", "2022"), " pending ", false),
            Ok(ReleaseTest {
                sampled_on: d("2022-01-12"),
                result: TestResult::Pending,
                symptom_free_48h: false,
            })
        );
        assert_eq!(
            release(("20", "1", "2022"), "positive", true).map(|t| t.result),
            Ok(TestResult::Positive)
        );
    }

    #[test]
    fn release_test_errors_are_tied_to_their_fields_in_form_order() {
        assert_eq!(
            release(("11", "1", "2022"), "negative", true),
            Err(vec![(field::RELEASE_DAY, "release_before_j0")])
        );
        assert_eq!(
            release(("21", "1", "2022"), "negative", true),
            Err(vec![(field::RELEASE_DAY, "date_future")])
        );
        assert_eq!(
            release(("", "", ""), "", true),
            Err(vec![
                (field::RELEASE_DAY, "date_missing"),
                (field::RELEASE_RESULT, "release_result_missing"),
            ])
        );
        assert_eq!(
            release(("17", "1", "2022"), "maybe", true),
            Err(vec![(field::RELEASE_RESULT, "release_result_unknown")])
        );
        assert_eq!(
            release(("17", "1", "2019"), "negative", true),
            Err(vec![(field::RELEASE_YEAR, "date_year_range")])
        );
    }

    #[test]
    fn every_field_is_listed() {
        for f in [
            field::VACCINATION,
            field::DOSE_DAY,
            field::RELEASE_RESULT,
            field::RELEASE_YEAR,
        ] {
            assert!(field::ALL.contains(&f));
        }
    }
}
