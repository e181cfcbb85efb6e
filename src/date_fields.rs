//! A date typed in three fields (day, month, year), as on GOV.UK forms: a
//! date of birth, a symptom onset, a last contact. Parsed into a real date
//! or refused with the field to fix.

use time::Date;

/// The field a problem is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateField {
    Day,
    Month,
    Year,
}

/// Why three fields are not a usable date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum DateFieldsError {
    #[error("the date is missing")]
    Missing,
    #[error("the {0:?} of the date is missing or not a number")]
    Field(DateField),
    #[error("the date does not exist")]
    NotADate,
    #[error("the date is in the future")]
    InFuture,
    #[error("the year must have four digits and be in range")]
    YearOutOfRange,
}

impl DateFieldsError {
    /// A stable code, for forms and translation keys.
    pub fn code(self) -> &'static str {
        match self {
            DateFieldsError::Missing => "missing",
            DateFieldsError::Field(DateField::Day) => "day",
            DateFieldsError::Field(DateField::Month) => "month",
            DateFieldsError::Field(DateField::Year) => "year",
            DateFieldsError::NotADate => "not_a_date",
            DateFieldsError::InFuture => "future",
            DateFieldsError::YearOutOfRange => "year_range",
        }
    }

    /// The field to put the focus on.
    pub fn field(self) -> DateField {
        match self {
            DateFieldsError::Field(field) => field,
            DateFieldsError::YearOutOfRange => DateField::Year,
            _ => DateField::Day,
        }
    }
}

fn number(text: &str, field: DateField, max_digits: usize) -> Result<u32, DateFieldsError> {
    let text = text.trim();
    if text.is_empty() || text.len() > max_digits || !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(DateFieldsError::Field(field));
    }
    text.parse().map_err(|_| DateFieldsError::Field(field))
}

/// Parses the three fields of a date of birth, relative to `today`.
pub fn parse_birth_date(
    day: &str,
    month: &str,
    year: &str,
    today: Date,
) -> Result<Date, DateFieldsError> {
    parse_past_date(day, month, year, 1900, today)
}

/// Parses the three fields of a date on or before `today`, in a year from
/// `first_year` on.
pub fn parse_past_date(
    day: &str,
    month: &str,
    year: &str,
    first_year: u32,
    today: Date,
) -> Result<Date, DateFieldsError> {
    if [day, month, year].iter().all(|f| f.trim().is_empty()) {
        return Err(DateFieldsError::Missing);
    }
    let d = number(day, DateField::Day, 2)?;
    let m = number(month, DateField::Month, 2)?;
    let y = number(year, DateField::Year, 4)?;
    if !(1..=31).contains(&d) {
        return Err(DateFieldsError::Field(DateField::Day));
    }
    if !(1..=12).contains(&m) {
        return Err(DateFieldsError::Field(DateField::Month));
    }
    if y < first_year || y > today.year() as u32 {
        return Err(DateFieldsError::YearOutOfRange);
    }
    let date = crate::dates::ymd(y as i32, m, d).ok_or(DateFieldsError::NotADate)?;
    if date > today {
        return Err(DateFieldsError::InFuture);
    }
    Ok(date)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn today() -> Date {
        crate::dates::ymd(2020, 11, 17).unwrap()
    }

    #[test]
    fn accepts_real_dates_with_or_without_leading_zeros() {
        let expected = crate::dates::ymd(1985, 3, 7).unwrap();
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
            Err(DateFieldsError::Missing)
        );
        assert_eq!(
            parse_birth_date("", "3", "1985", t),
            Err(DateFieldsError::Field(DateField::Day))
        );
        assert_eq!(
            parse_birth_date("x", "3", "1985", t),
            Err(DateFieldsError::Field(DateField::Day))
        );
        assert_eq!(
            parse_birth_date("32", "3", "1985", t),
            Err(DateFieldsError::Field(DateField::Day))
        );
        assert_eq!(
            parse_birth_date("7", "13", "1985", t),
            Err(DateFieldsError::Field(DateField::Month))
        );
        assert_eq!(
            parse_birth_date("7", "3", "85", t),
            Err(DateFieldsError::YearOutOfRange)
        );
        assert_eq!(
            parse_birth_date("7", "3", "19850", t),
            Err(DateFieldsError::Field(DateField::Year))
        );
        assert_eq!(
            parse_birth_date("31", "2", "1985", t),
            Err(DateFieldsError::NotADate)
        );
        assert_eq!(
            parse_birth_date("18", "11", "2020", t),
            Err(DateFieldsError::InFuture)
        );
        assert_eq!(
            parse_birth_date("-1", "3", "1985", t),
            Err(DateFieldsError::Field(DateField::Day))
        );
        assert_eq!(
            parse_birth_date("+7", "3", "1985", t),
            Err(DateFieldsError::Field(DateField::Day))
        );
    }

    proptest! {
        #[test]
        fn never_panics(d in ".{0,8}", m in ".{0,8}", y in ".{0,8}") {
            let _ = parse_birth_date(&d, &m, &y, today());
        }

        #[test]
        fn past_dates_stay_in_their_years(d in 1u32..=31, m in 1u32..=12, y in 1990u32..=2030) {
            if let Ok(date) = parse_past_date(&d.to_string(), &m.to_string(), &y.to_string(), 2020, today()) {
                prop_assert!(date <= today());
                prop_assert!(date.year() >= 2020);
            }
        }

        #[test]
        fn every_past_date_round_trips(days in 0i64..(120 * 366)) {
            let date = today() - time::Duration::days(days);
            let parsed = parse_birth_date(
                &date.day().to_string(), &crate::dates::month_number(date).to_string(), &date.year().to_string(), today());
            prop_assert_eq!(parsed, Ok(date));
        }
    }
}
