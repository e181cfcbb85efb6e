//! A date of birth typed in three fields (day, month, year), as on GOV.UK
//! forms. Parsed into a real date or refused with the field to fix.

use chrono::{Datelike, NaiveDate};

/// The field a problem is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateField {
    Day,
    Month,
    Year,
}

/// Why three fields are not a date of birth.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum BirthDateError {
    #[error("the date of birth is missing")]
    Missing,
    #[error("the {0:?} of the date of birth is missing or not a number")]
    Field(DateField),
    #[error("the date of birth does not exist")]
    NotADate,
    #[error("the date of birth is in the future")]
    InFuture,
    #[error("the year of birth must have four digits and be after 1900")]
    YearOutOfRange,
}

impl BirthDateError {
    /// A stable code, for forms and translation keys.
    pub fn code(self) -> &'static str {
        match self {
            BirthDateError::Missing => "missing",
            BirthDateError::Field(DateField::Day) => "day",
            BirthDateError::Field(DateField::Month) => "month",
            BirthDateError::Field(DateField::Year) => "year",
            BirthDateError::NotADate => "not_a_date",
            BirthDateError::InFuture => "future",
            BirthDateError::YearOutOfRange => "year_range",
        }
    }

    /// The field to put the focus on.
    pub fn field(self) -> DateField {
        match self {
            BirthDateError::Field(field) => field,
            BirthDateError::YearOutOfRange => DateField::Year,
            _ => DateField::Day,
        }
    }
}

fn number(text: &str, field: DateField, max_digits: usize) -> Result<u32, BirthDateError> {
    let text = text.trim();
    if text.is_empty() || text.len() > max_digits || !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(BirthDateError::Field(field));
    }
    text.parse().map_err(|_| BirthDateError::Field(field))
}

/// Parses the three fields of a date of birth, relative to `today`.
pub fn parse_birth_date(
    day: &str,
    month: &str,
    year: &str,
    today: NaiveDate,
) -> Result<NaiveDate, BirthDateError> {
    if [day, month, year].iter().all(|f| f.trim().is_empty()) {
        return Err(BirthDateError::Missing);
    }
    let d = number(day, DateField::Day, 2)?;
    let m = number(month, DateField::Month, 2)?;
    let y = number(year, DateField::Year, 4)?;
    if !(1..=31).contains(&d) {
        return Err(BirthDateError::Field(DateField::Day));
    }
    if !(1..=12).contains(&m) {
        return Err(BirthDateError::Field(DateField::Month));
    }
    if y < 1900 || y > today.year() as u32 {
        return Err(BirthDateError::YearOutOfRange);
    }
    let date = NaiveDate::from_ymd_opt(y as i32, m, d).ok_or(BirthDateError::NotADate)?;
    if date > today {
        return Err(BirthDateError::InFuture);
    }
    Ok(date)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2020, 11, 17).unwrap()
    }

    #[test]
    fn accepts_real_dates_with_or_without_leading_zeros() {
        let expected = NaiveDate::from_ymd_opt(1985, 3, 7).unwrap();
        assert_eq!(parse_birth_date("7", "3", "1985", today()), Ok(expected));
        assert_eq!(parse_birth_date("07", "03", "1985", today()), Ok(expected));
        assert_eq!(
            parse_birth_date(" 07 ", "3 ", "1985", today()),
            Ok(expected)
        );
    }

    #[test]
    fn names_the_field_to_fix() {
        let t = today();
        assert_eq!(
            parse_birth_date("", "", "", t),
            Err(BirthDateError::Missing)
        );
        assert_eq!(
            parse_birth_date("", "3", "1985", t),
            Err(BirthDateError::Field(DateField::Day))
        );
        assert_eq!(
            parse_birth_date("x", "3", "1985", t),
            Err(BirthDateError::Field(DateField::Day))
        );
        assert_eq!(
            parse_birth_date("32", "3", "1985", t),
            Err(BirthDateError::Field(DateField::Day))
        );
        assert_eq!(
            parse_birth_date("7", "13", "1985", t),
            Err(BirthDateError::Field(DateField::Month))
        );
        assert_eq!(
            parse_birth_date("7", "3", "85", t),
            Err(BirthDateError::YearOutOfRange)
        );
        assert_eq!(
            parse_birth_date("7", "3", "19850", t),
            Err(BirthDateError::Field(DateField::Year))
        );
        assert_eq!(
            parse_birth_date("31", "2", "1985", t),
            Err(BirthDateError::NotADate)
        );
        assert_eq!(
            parse_birth_date("18", "11", "2020", t),
            Err(BirthDateError::InFuture)
        );
        assert_eq!(
            parse_birth_date("-1", "3", "1985", t),
            Err(BirthDateError::Field(DateField::Day))
        );
        assert_eq!(
            parse_birth_date("+7", "3", "1985", t),
            Err(BirthDateError::Field(DateField::Day))
        );
    }

    proptest! {
        #[test]
        fn never_panics(d in ".{0,8}", m in ".{0,8}", y in ".{0,8}") {
            let _ = parse_birth_date(&d, &m, &y, today());
        }

        #[test]
        fn every_past_date_round_trips(days in 0i64..(120 * 366)) {
            let date = today() - chrono::Duration::days(days);
            let parsed = parse_birth_date(
                &date.day().to_string(), &date.month().to_string(), &date.year().to_string(), today());
            prop_assert_eq!(parsed, Ok(date));
        }
    }
}
