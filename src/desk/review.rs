//! The access review: who viewed or changed which case, filtered by staff
//! member, by case and by period. The filters come from the admin page's
//! form and from `relais audit`'s options; both go through [`parse_review`].

use time::Date;

/// The longest username or case reference a filter accepts.
pub const MAX_FILTER_LEN: usize = 64;

/// What to list. Empty filters list everything (newest first).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Review {
    /// A case reference, upper-cased (`DEMO-0002`).
    pub case_reference: Option<String>,
    /// A staff member's username, lower-cased.
    pub staff: Option<String>,
    /// The first day of the period, included.
    pub from: Option<Date>,
    /// The last day of the period, included.
    pub to: Option<Date>,
}

/// What is wrong with a filter; the field is the form's name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReviewError {
    /// `from` or `to` is not a date (YYYY-MM-DD or DD/MM/YYYY).
    NotADate(&'static str),
    /// The period ends before it starts.
    EndsBeforeStart,
    /// A case reference or username too long or with unexpected characters.
    Invalid(&'static str),
}

impl ReviewError {
    /// The form field the error is about.
    pub fn field(self) -> &'static str {
        match self {
            ReviewError::NotADate(field) | ReviewError::Invalid(field) => field,
            ReviewError::EndsBeforeStart => "to",
        }
    }
}

/// A date as typed: `2026-12-01` (a date input) or `01/12/2026`.
pub fn parse_day(text: &str) -> Option<Date> {
    let text = text.trim();
    crate::dates::parse_iso(text).or_else(|| crate::dates::parse_dmy(text))
}

fn word(text: &str, field: &'static str) -> Result<Option<String>, ReviewError> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    let fine = text.chars().count() <= MAX_FILTER_LEN
        && text
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.' | '@'));
    if fine {
        Ok(Some(text.to_owned()))
    } else {
        Err(ReviewError::Invalid(field))
    }
}

fn day(text: &str, field: &'static str) -> Result<Option<Date>, ReviewError> {
    if text.trim().is_empty() {
        Ok(None)
    } else {
        parse_day(text)
            .map(Some)
            .ok_or(ReviewError::NotADate(field))
    }
}

/// The filters as typed (`case`, `staff`, `from`, `to`), or every error.
pub fn parse_review(
    case: &str,
    staff: &str,
    from: &str,
    to: &str,
) -> Result<Review, Vec<ReviewError>> {
    let case = word(case, "case").map(|c| c.map(|c| c.to_uppercase()));
    let staff = word(staff, "staff").map(|s| s.map(|s| s.to_lowercase()));
    let (from, to) = (day(from, "from"), day(to, "to"));
    let mut errors: Vec<ReviewError> = [
        case.as_ref().err(),
        staff.as_ref().err(),
        from.as_ref().err(),
        to.as_ref().err(),
    ]
    .into_iter()
    .flatten()
    .copied()
    .collect();
    if let (Ok(Some(from)), Ok(Some(to))) = (from, to) {
        if to < from {
            errors.push(ReviewError::EndsBeforeStart);
        }
    }
    match (case, staff, from, to) {
        (Ok(case_reference), Ok(staff), Ok(from), Ok(to)) if errors.is_empty() => Ok(Review {
            case_reference,
            staff,
            from,
            to,
        }),
        _ => Err(errors),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(text: &str) -> Date {
        crate::dates::parse_iso(text).unwrap()
    }

    #[test]
    fn empty_filters_list_everything() {
        assert_eq!(parse_review("", " ", "", ""), Ok(Review::default()));
    }

    #[test]
    fn filters_are_normalised() {
        assert_eq!(
            parse_review(" demo-0002 ", "Tracer.Un", "2026-11-01", "30/11/2026"),
            Ok(Review {
                case_reference: Some("DEMO-0002".into()),
                staff: Some("tracer.un".into()),
                from: Some(d("2026-11-01")),
                to: Some(d("2026-11-30")),
            })
        );
    }

    #[test]
    fn every_error_is_reported_with_its_field() {
        let errors = parse_review("a b", "x;y", "hier", "2026-02-30").unwrap_err();
        let fields: Vec<_> = errors.iter().map(|e| e.field()).collect();
        assert_eq!(fields, ["case", "staff", "from", "to"]);
        assert_eq!(
            parse_review("", "", "2026-12-02", "2026-12-01"),
            Err(vec![ReviewError::EndsBeforeStart])
        );
        assert!(parse_review(&"A".repeat(MAX_FILTER_LEN + 1), "", "", "").is_err());
    }

    proptest! {
        #[test]
        fn any_text_is_parsed_or_refused_without_panicking(
            case in ".{0,80}", staff in ".{0,80}", from in ".{0,12}", to in ".{0,12}"
        ) {
            let _ = parse_review(&case, &staff, &from, &to);
        }

        #[test]
        fn a_period_is_accepted_exactly_when_it_does_not_end_before_it_starts(
            a in 0i64..3_000, b in 0i64..3_000, slashes in any::<bool>()
        ) {
            let base = d("2020-01-01");
            let (from, to) = (base + time::Duration::days(a), base + time::Duration::days(b));
            let write = |day: Date| if slashes {
                crate::dates::dmy(day)
            } else {
                day.to_string()
            };
            let parsed = parse_review("", "", &write(from), &write(to));
            if to < from {
                prop_assert_eq!(parsed, Err(vec![ReviewError::EndsBeforeStart]));
            } else {
                let review = parsed.unwrap();
                prop_assert_eq!((review.from, review.to), (Some(from), Some(to)));
            }
        }

        #[test]
        fn usernames_and_references_of_the_allowed_characters_are_kept(
            name in "[a-z0-9._@-]{1,64}"
        ) {
            let review = parse_review(&name, &name, "", "").unwrap();
            prop_assert_eq!(review.staff, Some(name.clone()));
            prop_assert_eq!(review.case_reference, Some(name.to_uppercase()));
        }
    }
}
