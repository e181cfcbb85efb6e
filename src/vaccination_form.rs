//! The vaccination a notified contact states on their own page
//! (`/contact/vaccination`), for the rule sets that use it (July 2021 on:
//! [`crate::doctrine::Fact::ContactVaccination`]): the status, the day of
//! the last dose of a complete schedule, a single-dose vaccine, a severe
//! immunodeficiency. Checked here, each problem tied to the field to fix,
//! as the follow-up forms of [`crate::contact_guidance`].
//!
//! ```
//! use relais::vaccination_form::parse_vaccination;
//! use relais::VaccinationStatus;
//! let today = relais::dates::parse_iso("2022-01-20").unwrap();
//! let stated = parse_vaccination("fully_vaccinated", "12", "11", "2021", "", "", today).unwrap();
//! assert_eq!(stated.status, VaccinationStatus::FullyVaccinated);
//! assert_eq!(stated.last_dose, relais::dates::parse_iso("2021-11-12"));
//! ```

use crate::contact_form::FormError;
use crate::situation::{ContactExposure, VaccinationStatus};
use serde::{Deserialize, Serialize};
use time::Date;

/// What the contact states.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct VaccinationStatement {
    pub status: VaccinationStatus,
    /// The day of the last dose; always set for a complete schedule, never
    /// otherwise.
    pub last_dose: Option<Date>,
    /// A single-dose vaccine (only with a complete schedule).
    pub single_dose: bool,
    pub immunocompromised: bool,
}

impl VaccinationStatement {
    /// The contact's exposure with this statement in place of what was
    /// known before.
    pub fn apply_to(&self, exposure: &ContactExposure) -> ContactExposure {
        ContactExposure {
            vaccination: self.status,
            last_dose: self.last_dose,
            single_dose: self.single_dose,
            immunocompromised: self.immunocompromised,
            ..exposure.clone()
        }
    }

    /// What an exposure says (the form's starting values).
    pub fn of(exposure: &ContactExposure) -> Self {
        VaccinationStatement {
            status: exposure.vaccination,
            last_dose: exposure.last_dose,
            single_dose: exposure.single_dose,
            immunocompromised: exposure.immunocompromised,
        }
    }
}

/// The HTML ids of the form's fields, used as [`FormError::field`].
pub mod field {
    /// The status radio buttons (their first button).
    pub const STATUS: &str = "vaccination-status";
    /// Day of the last dose (also the field for a date missing, not a
    /// date, in the future or too early).
    pub const DOSE_DAY: &str = "dose-day";
    /// Month of the last dose.
    pub const DOSE_MONTH: &str = "dose-month";
    /// Year of the last dose.
    pub const DOSE_YEAR: &str = "dose-year";
    /// The single-dose checkbox.
    pub const SINGLE_DOSE: &str = "single-dose";
    /// The immunodeficiency checkbox.
    pub const IMMUNOCOMPROMISED: &str = "immunocompromised";

    /// Every field, in the order of the form (the order of the errors).
    pub const ALL: &[&str] = &[
        STATUS,
        DOSE_DAY,
        DOSE_MONTH,
        DOSE_YEAR,
        SINGLE_DOSE,
        IMMUNOCOMPROMISED,
    ];
}

/// The first day a dose can have been given: vaccination against COVID-19
/// began in December 2020 (in France on 27 December).
pub fn earliest_dose() -> Date {
    crate::dates::ymd(2020, 12, 1).unwrap_or(Date::MIN)
}

/// A checkbox as a browser posts it: present (any value but "non",
/// "false", "off", "0") or absent.
fn checked(value: &str) -> bool {
    let v = value.trim();
    !v.is_empty() && !["non", "no", "false", "off", "0"].contains(&v.to_ascii_lowercase().as_str())
}

/// The vaccination form: a [`VaccinationStatus`] machine name (required);
/// for a complete schedule, the day of the last dose (required, on or
/// before `today`, not before [`earliest_dose`]) and whether the vaccine
/// had a single dose; whether the contact is severely immunocompromised.
/// A date typed with another status is ignored. Returns every problem at
/// once, in form order.
///
/// The codes, on the fields of [`field`]: `vaccination_missing`,
/// `vaccination_unknown`, `date_missing`, `date_day`, `date_month`,
/// `date_year`, `date_not_a_date`, `date_future`, `date_year_range`
/// (before 2020), `dose_too_early`.
pub fn parse_vaccination(
    status: &str,
    day: &str,
    month: &str,
    year: &str,
    single_dose: &str,
    immunocompromised: &str,
    today: Date,
) -> Result<VaccinationStatement, Vec<FormError>> {
    let status = if status.trim().is_empty() {
        Err(FormError::new(field::STATUS, "vaccination_missing"))
    } else {
        status
            .trim()
            .parse::<VaccinationStatus>()
            .map_err(|_| FormError::new(field::STATUS, "vaccination_unknown"))
    };
    let last_dose = match status {
        Ok(VaccinationStatus::FullyVaccinated) => crate::contact_guidance::parse_report_date(
            (day, month, year),
            [field::DOSE_DAY, field::DOSE_MONTH, field::DOSE_YEAR],
            earliest_dose(),
            "dose_too_early",
            today,
        )
        .map(Some),
        _ => Ok(None),
    };
    match (status, last_dose) {
        (Ok(status), Ok(last_dose)) => Ok(VaccinationStatement {
            status,
            last_dose,
            single_dose: status == VaccinationStatus::FullyVaccinated && checked(single_dose),
            immunocompromised: checked(immunocompromised),
        }),
        (status, last_dose) => Err(status.err().into_iter().chain(last_dose.err()).collect()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        crate::dates::parse_iso(s).unwrap()
    }

    const TODAY: &str = "2022-01-20";

    fn parse(
        status: &str,
        (day, month, year): (&str, &str, &str),
        single: &str,
        immuno: &str,
    ) -> Result<VaccinationStatement, Vec<(&'static str, &'static str)>> {
        parse_vaccination(status, day, month, year, single, immuno, d(TODAY))
            .map_err(|errors| errors.into_iter().map(|e| (e.field, e.code)).collect())
    }

    #[test]
    fn a_complete_schedule_needs_its_last_dose() {
        let stated = parse("fully_vaccinated", ("2", "12", "2021"), "on", "").unwrap();
        assert_eq!(
            stated,
            VaccinationStatement {
                status: VaccinationStatus::FullyVaccinated,
                last_dose: Some(d("2021-12-02")),
                single_dose: true,
                immunocompromised: false,
            }
        );
        assert_eq!(
            parse("fully_vaccinated", ("", "", ""), "", ""),
            Err(vec![(field::DOSE_DAY, "date_missing")])
        );
        assert_eq!(
            parse("fully_vaccinated", ("31", "11", "2021"), "", ""),
            Err(vec![(field::DOSE_DAY, "date_not_a_date")])
        );
        assert_eq!(
            parse("fully_vaccinated", ("2", "13", "2021"), "", ""),
            Err(vec![(field::DOSE_MONTH, "date_month")])
        );
    }

    #[test]
    fn the_last_dose_is_neither_in_the_future_nor_before_december_2020() {
        assert_eq!(
            parse("fully_vaccinated", ("21", "1", "2022"), "", ""),
            Err(vec![(field::DOSE_DAY, "date_future")])
        );
        assert_eq!(
            parse("fully_vaccinated", ("30", "11", "2020"), "", ""),
            Err(vec![(field::DOSE_DAY, "dose_too_early")])
        );
        assert_eq!(
            parse("fully_vaccinated", ("1", "12", "2020"), "", "")
                .unwrap()
                .last_dose,
            Some(d("2020-12-01"))
        );
        assert_eq!(
            parse("fully_vaccinated", ("20", "1", "2022"), "", "")
                .unwrap()
                .last_dose,
            Some(d(TODAY)),
            "today is accepted"
        );
    }

    #[test]
    fn the_status_is_required_and_known() {
        assert_eq!(
            parse("", ("", "", ""), "", ""),
            Err(vec![(field::STATUS, "vaccination_missing")])
        );
        assert_eq!(
            parse("twice", ("1", "1", "2021"), "", ""),
            Err(vec![(field::STATUS, "vaccination_unknown")])
        );
    }

    #[test]
    fn without_a_complete_schedule_the_date_and_single_dose_are_ignored() {
        for status in ["not_vaccinated", "unknown"] {
            let stated = parse(status, ("99", "99", "1"), "on", "on").unwrap();
            assert_eq!(stated.last_dose, None);
            assert!(!stated.single_dose);
            assert!(stated.immunocompromised, "{status}");
            assert_eq!(stated.status.as_str(), status);
        }
    }

    #[test]
    fn checkboxes_read_like_a_browser_posts_them() {
        for (value, expected) in [("on", true), ("oui", true), ("", false), ("off", false)] {
            let stated = parse("not_vaccinated", ("", "", ""), "", value).unwrap();
            assert_eq!(stated.immunocompromised, expected, "{value:?}");
        }
    }

    #[test]
    fn a_statement_replaces_the_exposures_vaccination_only() {
        let mut exposure = ContactExposure::met_on(d("2022-01-18"));
        exposure.household = true;
        let stated = parse("fully_vaccinated", ("2", "12", "2021"), "", "").unwrap();
        let changed = stated.apply_to(&exposure);
        assert!(changed.household);
        assert!(changed.vaccinated());
        assert!(!exposure.vaccinated());
        assert_eq!(VaccinationStatement::of(&changed), stated);
    }
}
