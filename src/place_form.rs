//! Places and gatherings (backward tracing): where the case was in the days
//! before J0, when they may have caught the virus. The form's raw fields,
//! parsed into a [`PlaceInput`] or refused with every problem at once.

use crate::constraints;
use crate::contact_form::{clean_text, FormError};
use crate::date_fields::{parse_past_date, DateField};
use crate::names::named_enum;
use serde::{Deserialize, Serialize};
use time::{Date, Duration};
use validator::Validate;

named_enum! {
    /// The kind of place or event.
    pub enum PlaceKind: "place kind" {
        /// A private gathering: a party, a family meal, a wedding.
        PrivateGathering = "private_gathering",
        /// A restaurant, a café or a bar.
        Restaurant = "restaurant",
        /// A workplace (office, site, shop floor).
        Workplace = "workplace",
        /// A school, a nursery, a university.
        School = "school",
        /// A sports club or gym.
        Sport = "sport",
        /// A place of worship or a ceremony.
        Worship = "worship",
        /// A shop or a market.
        Shop = "shop",
        /// Public transport, a shared car.
        Transport = "transport",
        /// A hospital, a care home, a medical practice.
        Health = "health",
        /// A public event: concert, show, match.
        Event = "event",
        /// Anything else.
        Other = "other",
    }
}

/// Longest name or town kept, in characters.
pub const MAX_TEXT: usize = 100;
/// Largest attendance accepted (a stadium).
pub const MAX_ATTENDANCE: u32 = 100_000;

/// The raw fields of the place form, as posted.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlaceFields {
    pub kind: String,
    pub name: String,
    pub town: String,
    pub day: String,
    pub month: String,
    pub year: String,
    /// About how many people; may be left empty.
    pub attendance: String,
    /// `indoors` or `outdoors`.
    pub setting: String,
    /// `oui`, `non` or `ne_sait_pas`.
    pub masks: String,
}

/// A place or gathering as validated.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlaceInput {
    pub kind: PlaceKind,
    pub name: String,
    pub town: String,
    pub visited_on: Date,
    pub attendance: Option<u32>,
    pub indoors: bool,
    /// Whether people wore masks; `None` when the case does not know.
    pub masks: Option<bool>,
}

/// The days asked for: from `j0 − days_before` to `j0`, inclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlacePeriod {
    pub first: Date,
    pub last: Date,
}

impl PlacePeriod {
    /// The period of backward tracing for a case whose J0 is `j0`.
    pub fn before(j0: Date, days_before: u32) -> PlacePeriod {
        PlacePeriod {
            first: j0 - Duration::days(days_before.into()),
            last: j0,
        }
    }

    /// Whether `day` is in the period.
    pub fn contains(&self, day: Date) -> bool {
        (self.first..=self.last).contains(&day)
    }
}

/// [`MAX_TEXT`] as `validator` compares lengths.
const TEXT_LIMIT: u64 = MAX_TEXT as u64;

/// The field constraints of the form, once the texts are cleaned and the
/// attendance read as a number: lengths in characters, the attendance's
/// range. The fields are the form's ids, so that a failure names its field.
#[derive(validator::Validate)]
struct PlaceConstraints<'a> {
    #[validate(length(max = TEXT_LIMIT, code = "text_too_long"))]
    name: &'a str,
    #[validate(length(max = TEXT_LIMIT, code = "text_too_long"))]
    town: &'a str,
    #[validate(range(min = 1, max = MAX_ATTENDANCE, code = "attendance_invalid"))]
    attendance: Option<u32>,
}

/// A required text, cleaned: `missing` when empty, else the code of the
/// constraint it failed (`failure`), if any.
fn required_text(
    text: &str,
    field: &'static str,
    missing: &'static str,
    failure: Option<&'static str>,
    errors: &mut Vec<FormError>,
) {
    let code = if text.is_empty() {
        Some(missing)
    } else {
        failure
    };
    if let Some(code) = code {
        errors.push(FormError { field, code });
    }
}

/// Validates every field of the place form under the case's `period`.
pub fn parse_place(
    fields: &PlaceFields,
    period: PlacePeriod,
    today: Date,
) -> Result<PlaceInput, Vec<FormError>> {
    let mut errors = Vec::new();
    let kind = match fields.kind.trim() {
        "" => {
            errors.push(FormError {
                field: "place-kind",
                code: "place_kind_missing",
            });
            None
        }
        text => text.parse::<PlaceKind>().ok().or_else(|| {
            errors.push(FormError {
                field: "place-kind",
                code: "place_kind_unknown",
            });
            None
        }),
    };
    let name = clean_text(&fields.name);
    let town = clean_text(&fields.town);
    // Written but not a whole number: refused as out of range would be.
    let attendance = match fields.attendance.trim() {
        "" => Ok(None),
        text => text.parse::<u32>().map(Some),
    };
    let failures = PlaceConstraints {
        name: &name,
        town: &town,
        attendance: attendance.clone().unwrap_or_default(),
    }
    .validate()
    .err();
    let failed = |key| failures.as_ref().and_then(|f| constraints::failed(f, key));
    required_text(
        &name,
        "place-name",
        "place_name_missing",
        failed("name"),
        &mut errors,
    );
    required_text(
        &town,
        "place-town",
        "place_town_missing",
        failed("town"),
        &mut errors,
    );
    let first_year = u32::try_from(period.first.year()).unwrap_or(2020);
    let visited_on =
        match parse_past_date(&fields.day, &fields.month, &fields.year, first_year, today) {
            Ok(day) if period.contains(day) => Some(day),
            Ok(_) => {
                errors.push(FormError {
                    field: "visit-day",
                    code: "date_outside_period",
                });
                None
            }
            Err(e) => {
                errors.push(FormError {
                    field: match e.field() {
                        DateField::Day => "visit-day",
                        DateField::Month => "visit-month",
                        DateField::Year => "visit-year",
                    },
                    code: date_code(e.code()),
                });
                None
            }
        };
    let attendance = match (attendance, failed("attendance")) {
        (Ok(attendance), None) => attendance,
        (Ok(_), Some(code)) => {
            errors.push(FormError {
                field: "attendance",
                code,
            });
            None
        }
        (Err(_), _) => {
            errors.push(FormError {
                field: "attendance",
                code: "attendance_invalid",
            });
            None
        }
    };
    let indoors = match fields.setting.trim() {
        "indoors" => Some(true),
        "outdoors" => Some(false),
        _ => {
            errors.push(FormError {
                field: "setting-indoors",
                code: "setting_missing",
            });
            None
        }
    };
    let masks = match fields.masks.trim() {
        "oui" => Some(Some(true)),
        "non" => Some(Some(false)),
        "ne_sait_pas" => Some(None),
        _ => {
            errors.push(FormError {
                field: "masks-yes",
                code: "masks_missing",
            });
            None
        }
    };
    match (kind, visited_on, indoors, masks) {
        (Some(kind), Some(visited_on), Some(indoors), Some(masks)) if errors.is_empty() => {
            Ok(PlaceInput {
                kind,
                name,
                town,
                visited_on,
                attendance,
                indoors,
                masks,
            })
        }
        _ => Err(errors),
    }
}

/// The code of a date problem, as the forms name it (`date_…`).
fn date_code(code: &str) -> &'static str {
    match code {
        "missing" => "date_missing",
        "day" => "date_day",
        "month" => "date_month",
        "year" => "date_year",
        "not_a_date" => "date_not_a_date",
        "future" => "date_future",
        _ => "date_year_range",
    }
}

/// Every field id [`parse_place`] may name.
pub const PLACE_FIELDS: &[&str] = &[
    "place-kind",
    "place-name",
    "place-town",
    "visit-day",
    "visit-month",
    "visit-year",
    "attendance",
    "setting-indoors",
    "masks-yes",
];

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(s: &str) -> Date {
        crate::dates::parse_iso(s).expect("test date")
    }

    fn period() -> PlacePeriod {
        PlacePeriod::before(d("2020-11-10"), 7)
    }

    fn good() -> PlaceFields {
        PlaceFields {
            kind: "restaurant".into(),
            name: "  Chez   Paul ".into(),
            town: "Lyon".into(),
            day: "7".into(),
            month: "11".into(),
            year: "2020".into(),
            attendance: "30".into(),
            setting: "indoors".into(),
            masks: "non".into(),
        }
    }

    fn codes(fields: &PlaceFields) -> Vec<&'static str> {
        match parse_place(fields, period(), d("2020-11-12")) {
            Ok(_) => vec![],
            Err(errors) => errors.into_iter().map(|e| e.code).collect(),
        }
    }

    #[test]
    fn a_complete_form_parses_and_cleans_its_text() {
        let place = parse_place(&good(), period(), d("2020-11-12")).expect("valid");
        assert_eq!(place.kind, PlaceKind::Restaurant);
        assert_eq!(place.name, "Chez Paul");
        assert_eq!(place.visited_on, d("2020-11-07"));
        assert_eq!(place.attendance, Some(30));
        assert!(place.indoors);
        assert_eq!(place.masks, Some(false));
    }

    #[test]
    fn the_period_is_j0_minus_n_to_j0_inclusive() {
        let p = period();
        assert_eq!(p.first, d("2020-11-03"));
        assert!(p.contains(d("2020-11-03")) && p.contains(d("2020-11-10")));
        assert!(!p.contains(d("2020-11-02")) && !p.contains(d("2020-11-11")));
        let mut before = good();
        before.day = "2".into();
        assert_eq!(codes(&before), vec!["date_outside_period"]);
        let mut after = good();
        after.day = "11".into();
        assert_eq!(codes(&after), vec!["date_outside_period"]);
    }

    #[test]
    fn every_problem_is_reported_at_once() {
        let empty = PlaceFields::default();
        assert_eq!(
            codes(&empty),
            vec![
                "place_kind_missing",
                "place_name_missing",
                "place_town_missing",
                "date_missing",
                "setting_missing",
                "masks_missing"
            ]
        );
    }

    #[test]
    fn unknown_kind_bad_attendance_long_text_future_date() {
        let mut f = good();
        f.kind = "casino".into();
        f.attendance = "0".into();
        f.name = "x".repeat(MAX_TEXT + 1);
        f.day = "20".into();
        assert_eq!(
            codes(&f),
            vec![
                "place_kind_unknown",
                "text_too_long",
                "date_future",
                "attendance_invalid"
            ]
        );
        f = good();
        f.attendance = "many".into();
        assert_eq!(codes(&f), vec!["attendance_invalid"]);
        f.attendance = "100001".into();
        assert_eq!(codes(&f), vec!["attendance_invalid"]);
        f.attendance = String::new();
        assert_eq!(codes(&f), Vec::<&str>::new());
    }

    /// The limits at their boundaries: names and towns in characters after
    /// cleaning, the attendance from 1 to [`MAX_ATTENDANCE`].
    #[test]
    fn lengths_and_attendance_at_their_bounds() {
        let mut f = good();
        f.name = "é".repeat(MAX_TEXT);
        f.town = format!(" {}  {} ", "a".repeat(50), "b".repeat(49));
        f.attendance = MAX_ATTENDANCE.to_string();
        let place = parse_place(&f, period(), d("2020-11-12")).expect("at the limits");
        assert_eq!(place.name.chars().count(), MAX_TEXT);
        assert_eq!(place.town.chars().count(), MAX_TEXT);
        assert_eq!(place.attendance, Some(MAX_ATTENDANCE));
        f.attendance = "1".into();
        assert_eq!(
            parse_place(&f, period(), d("2020-11-12"))
                .expect("one person")
                .attendance,
            Some(1)
        );
        f.name = "é".repeat(MAX_TEXT + 1);
        f.town = "b".repeat(MAX_TEXT + 1);
        f.attendance = (MAX_ATTENDANCE + 1).to_string();
        let errors = parse_place(&f, period(), d("2020-11-12")).expect_err("over");
        assert_eq!(
            errors,
            vec![
                FormError {
                    field: "place-name",
                    code: "text_too_long"
                },
                FormError {
                    field: "place-town",
                    code: "text_too_long"
                },
                FormError {
                    field: "attendance",
                    code: "attendance_invalid"
                },
            ]
        );
        f = good();
        f.attendance = "0".into();
        assert_eq!(codes(&f), vec!["attendance_invalid"]);
        f.attendance = "-1".into();
        assert_eq!(codes(&f), vec!["attendance_invalid"]);
        f.attendance = "1.5".into();
        assert_eq!(codes(&f), vec!["attendance_invalid"]);
    }

    #[test]
    fn masks_may_be_unknown() {
        let mut f = good();
        f.masks = "ne_sait_pas".into();
        let place = parse_place(&f, period(), d("2020-11-12")).expect("valid");
        assert_eq!(place.masks, None);
        f.setting = "outdoors".into();
        assert!(
            !parse_place(&f, period(), d("2020-11-12"))
                .expect("valid")
                .indoors
        );
    }

    proptest! {
        #[test]
        fn never_panics_and_names_only_known_fields(
            kind in ".{0,20}", name in ".{0,120}", town in ".{0,20}",
            day in "[0-9a-z ]{0,3}", month in "[0-9]{0,3}", year in "[0-9]{0,5}",
            attendance in ".{0,8}", setting in "(indoors|outdoors|.{0,5})",
            masks in "(oui|non|ne_sait_pas|.{0,4})",
        ) {
            let fields = PlaceFields { kind, name, town, day, month, year, attendance, setting, masks };
            if let Err(errors) = parse_place(&fields, period(), d("2020-11-12")) {
                prop_assert!(!errors.is_empty());
                for e in errors {
                    prop_assert!(PLACE_FIELDS.contains(&e.field), "{}", e.field);
                }
            }
        }

        #[test]
        fn a_well_formed_form_in_the_period_always_parses(
            offset in 0i64..=7, kind in prop::sample::select(PlaceKind::ALL.to_vec()),
            name in "[A-Za-zéè' -]{1,40}", attendance in prop::option::of(1u32..=MAX_ATTENDANCE),
            indoors: bool, masks in prop::option::of(any::<bool>()),
        ) {
            prop_assume!(!clean_text(&name).is_empty());
            let day = d("2020-11-10") - Duration::days(offset);
            let fields = PlaceFields {
                kind: kind.as_str().into(),
                name: name.clone(),
                town: "Lille".into(),
                day: format!("{:02}", day.day()),
                month: format!("{:02}", crate::dates::month_number(day)),
                year: day.year().to_string(),
                attendance: attendance.map(|n| n.to_string()).unwrap_or_default(),
                setting: if indoors { "indoors" } else { "outdoors" }.into(),
                masks: match masks { Some(true) => "oui", Some(false) => "non", None => "ne_sait_pas" }.into(),
            };
            let place = parse_place(&fields, period(), d("2020-11-12")).expect("valid");
            prop_assert_eq!(place.kind, kind);
            prop_assert_eq!(place.name, clean_text(&name));
            prop_assert_eq!(place.visited_on, day);
            prop_assert_eq!(place.attendance, attendance);
            prop_assert_eq!(place.indoors, indoors);
            prop_assert_eq!(place.masks, masks);
        }
    }
}
