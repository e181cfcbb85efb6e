//! What a notified contact must do now, for the contact journey page
//! (`/c/<token>`): general advice, quarantine and tests, isolation once
//! symptoms appear, or the steps of a case once a test is positive; and the
//! day-by-day plan of the quarantine.
//!
//! Everything here is computed from the rules engine's output (a
//! [`ContactAssessment`], with its [`ContactQuarantine`]) and from what the
//! contact reported since (a [`FollowUp`]): the quarantine's last day and
//! test days come from [`crate::rules`] and are never recomputed here. A
//! quarantine whose last day is past without the negative test it asks for
//! lasts until the extended last day when the rule set says so (February
//! 2021: 7 more days); otherwise it stays a quarantine "awaiting the test"
//! ([`Guidance::Quarantine`]'s `awaiting_test`), never a longer one.
//!
//! The two follow-up forms (symptoms, a test and its result) are checked
//! here too, each problem tied to the field to fix, as in
//! [`crate::contact_form`].
//!
//! ```
//! use relais::contact_guidance::{guidance, FollowUp, Guidance};
//! use relais::{rules, CaseSituation, ContactExposure, ExposureKind, RuleSets};
//! let d = |s: &str| relais::dates::parse_iso(s).unwrap();
//! let sets = RuleSets::embedded();
//! let case = CaseSituation::new(Some(d("2020-11-10")), d("2020-11-11"));
//! let mut contact = ContactExposure::met_on(d("2020-11-09"));
//! contact.exposures.insert(ExposureKind::FaceToFace);
//! let assessment = rules::assess(&sets, &case).assess_contact(&contact);
//! let now = guidance(&assessment, &FollowUp::default(), d("2020-11-12"));
//! assert!(matches!(now, Guidance::Quarantine { last_day: Some(day), .. } if day == d("2020-11-16")));
//! ```

use crate::contact_form::FormError;
use crate::date_fields::{parse_past_date, DateField};
use crate::dates::add_days;
use crate::rules::{Classification, ContactAssessment, ContactQuarantine, IfSymptoms, Reason};
use crate::validate::earliest_date;
use serde::{Deserialize, Serialize};
use time::Date;

pub use crate::situation::TestResult;

impl TestResult {
    /// How much a result tells, to pick one among tests of the same day:
    /// positive over pending over negative.
    fn weight(self) -> u8 {
        match self {
            TestResult::Negative => 0,
            TestResult::Pending => 1,
            TestResult::Positive => 2,
        }
    }
}

/// A test the contact recorded: the day of the sample and its result.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct TestReport {
    /// The day the sample was taken (not the day of the result).
    pub sampled_on: Date,
    pub result: TestResult,
}

/// What the contact reported after being notified.
///
/// Reports dated after `today` (impossible once the forms have checked
/// them, see [`parse_symptom_report`] and [`parse_test_report`]) are
/// ignored by [`guidance`] and [`timeline`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(default)]
pub struct FollowUp {
    /// The day symptoms began, if the contact has reported symptoms.
    pub symptoms_since: Option<Date>,
    /// The tests recorded, in any order.
    pub tests: Vec<TestReport>,
}

impl FollowUp {
    /// The tests sampled on or before `today`.
    fn tests_until(&self, today: Date) -> impl Iterator<Item = &TestReport> + '_ {
        self.tests.iter().filter(move |t| t.sampled_on <= today)
    }

    /// The day symptoms began, if on or before `today`.
    fn symptoms_until(&self, today: Date) -> Option<Date> {
        self.symptoms_since.filter(|&since| since <= today)
    }

    /// Whether a test sampled on or after `day` (and on or before `today`)
    /// was recorded, whatever its result: the test asked for on `day` is
    /// done, or made pointless by a later one.
    fn tested_since(&self, day: Date, today: Date) -> bool {
        self.tests_until(today).any(|t| t.sampled_on >= day)
    }
}

/// The latest of `tests` by sample day; on the same day, the one that
/// tells most (see [`TestResult::weight`]).
fn latest<'t>(tests: impl Iterator<Item = &'t TestReport>) -> Option<TestReport> {
    tests
        .max_by_key(|t| (t.sampled_on, t.result.weight()))
        .copied()
}

/// What applies to the contact today. Serialised with a `code` tag (see
/// [`Guidance::code`]), the key of the page's catalogue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum Guidance {
    /// A contact at negligible risk, or met only outside the case's
    /// contagious window: general advice (barrier gestures, watch for
    /// symptoms, the free test), no quarantine. The classification and the
    /// assessment's reasons say why, for the page to explain.
    GeneralAdvice {
        classification: Classification,
        reasons: Vec<Reason>,
    },
    /// The quarantine runs (or, with `last_day` `None`, the tests of a
    /// contact the rule set exempts from quarantine).
    Quarantine {
        /// The last day of quarantine, inclusive; `None` for a fully
        /// vaccinated contact exempted by the rule set: tests only.
        last_day: Option<Date>,
        /// The next test to get: the first test day with no test recorded
        /// on or after it; `None` when every test asked for is done.
        next_test: Option<Date>,
        /// `next_test` is before today: get tested as soon as possible.
        next_test_overdue: bool,
        /// The quarantine's end is past (the last day or, exempted, the last
        /// test day) but no negative test sampled on or after the last test
        /// day is recorded yet: get tested, or wait for the result. The rule
        /// sets say nothing of a longer quarantine, so none is computed.
        awaiting_test: bool,
        /// The latest test recorded, if any (negative or pending).
        latest_test: Option<TestReport>,
        /// The quarantine's reasons (duration, household, exemption).
        reasons: Vec<Reason>,
    },
    /// Symptoms reported: isolate at once, get tested at once, call a doctor.
    Symptomatic {
        /// The day symptoms began.
        since: Date,
        /// What the rules say to do (the quarantine's `if_symptoms`; the same
        /// advice for a contact without quarantine).
        advice: IfSymptoms,
        /// The latest test sampled on or after `since`, if any (negative or
        /// pending): a test before the symptoms says nothing of them.
        test_since_onset: Option<TestReport>,
    },
    /// A positive test: the contact is now a case, with their own J0, and
    /// follows the case's journey (isolation, declaring their contacts).
    TestedPositive {
        /// The day of the first positive sample.
        sampled_on: Date,
        /// The day symptoms began, if reported (then J0 is that day).
        symptoms_since: Option<Date>,
    },
    /// The quarantine is over: its last day is past and a negative test
    /// was sampled on or after the last test day.
    QuarantineOver {
        /// The last day of quarantine or, for a contact exempted from
        /// quarantine, the last test day (with neither, the counted last
        /// contact).
        ended_on: Date,
        /// The first negative sample on or after the last test day; `None`
        /// when the rule set asks for no test.
        negative_sampled_on: Option<Date>,
    },
}

impl Guidance {
    /// The machine name, as serialised in `code`: the catalogue's key.
    pub fn code(&self) -> &'static str {
        match self {
            Guidance::GeneralAdvice { .. } => "general_advice",
            Guidance::Quarantine { .. } => "quarantine",
            Guidance::Symptomatic { .. } => "symptomatic",
            Guidance::TestedPositive { .. } => "tested_positive",
            Guidance::QuarantineOver { .. } => "quarantine_over",
        }
    }
}

/// The day after which a quarantine may be over: its last day or, for a
/// contact exempted from quarantine, the last test day (with neither, the
/// counted last contact).
fn end_of(quarantine: &ContactQuarantine) -> Date {
    quarantine
        .last_day
        .or_else(|| quarantine.test_days().last().copied())
        .unwrap_or(quarantine.counted_last_contact)
}

/// What applies to the contact today, from the rules' assessment and what
/// the contact reported. Pure; never panics.
///
/// Precedence, first match wins:
///
/// 1. **A positive test** (any test sampled on or before `today`) gives
///    [`Guidance::TestedPositive`], whatever else: the contact is a case,
///    and a case's isolation replaces any quarantine or advice. This holds
///    for a negligible-risk contact too.
/// 2. **Symptoms** (begun on or before `today`) give
///    [`Guidance::Symptomatic`]: they override the quarantine, its end and
///    the general advice, and a negative test does not lift them (a test at
///    the start of symptoms may miss the virus; the doctor decides).
/// 3. **No quarantine** in the assessment (negligible risk, outside the
///    window) gives [`Guidance::GeneralAdvice`] with the assessment's
///    classification and reasons.
/// 4. **The quarantine is over** ([`Guidance::QuarantineOver`]) when
///    `today` is after its last day (exempted: after the last test day) and
///    a negative test was sampled on or after the deciding test's day (the
///    test the rule set says ends the quarantine, else the last one) — a
///    negative result at the right day shows the end of quarantine. A
///    negative test sampled earlier does not end anything. When the rule
///    set asks for no test, the day after the last day is enough.
/// 5. Past its end without that negative test, a quarantine the rule set
///    extends ([`ContactQuarantine::last_day_without_test`]) runs until the
///    extended last day, then is over.
/// 6. Otherwise **the quarantine runs** ([`Guidance::Quarantine`]), with
///    `awaiting_test` once its end is past.
pub fn guidance(assessment: &ContactAssessment, follow_up: &FollowUp, today: Date) -> Guidance {
    let symptoms = follow_up.symptoms_until(today);

    // 1. A positive test wins over everything.
    let first_positive = follow_up
        .tests_until(today)
        .filter(|t| t.result == TestResult::Positive)
        .map(|t| t.sampled_on)
        .min();
    if let Some(sampled_on) = first_positive {
        return Guidance::TestedPositive {
            sampled_on,
            symptoms_since: symptoms,
        };
    }

    // 2. Symptoms override the quarantine and the advice.
    if let Some(since) = symptoms {
        return Guidance::Symptomatic {
            since,
            advice: assessment
                .quarantine
                .as_ref()
                .map_or(IfSymptoms::IsolateAndTestAtOnce, |q| q.if_symptoms),
            test_since_onset: latest(
                follow_up
                    .tests_until(today)
                    .filter(|t| t.sampled_on >= since),
            ),
        };
    }

    // 3. No quarantine: general advice.
    let Some(quarantine) = &assessment.quarantine else {
        return Guidance::GeneralAdvice {
            classification: assessment.classification,
            reasons: assessment.reasons.clone(),
        };
    };

    // 4. Over: the end is past and the last test came back negative.
    let end = end_of(quarantine);
    let last_test_day = quarantine.deciding_test_day();
    let right_negative = match last_test_day {
        None => Some(None),
        Some(day) => follow_up
            .tests_until(today)
            .filter(|t| t.result == TestResult::Negative && t.sampled_on >= day)
            .map(|t| t.sampled_on)
            .min()
            .map(Some),
    };
    if today > end {
        if let Some(negative_sampled_on) = right_negative {
            return Guidance::QuarantineOver {
                ended_on: end,
                negative_sampled_on,
            };
        }
    }
    // Without the negative last test, a rule set may extend the quarantine
    // (February 2021: 7 more days); past that, it is over without a test.
    let mut last_day = quarantine.last_day;
    if let Some(extended) = quarantine.last_day_without_test.filter(|_| today > end) {
        if today > extended {
            return Guidance::QuarantineOver {
                ended_on: extended,
                negative_sampled_on: None,
            };
        }
        last_day = Some(extended);
    }

    // 5. The quarantine runs.
    let next_test = quarantine
        .test_days()
        .iter()
        .copied()
        .find(|&day| !follow_up.tested_since(day, today));
    Guidance::Quarantine {
        last_day,
        next_test,
        next_test_overdue: next_test.is_some_and(|day| day < today),
        awaiting_test: today > end,
        latest_test: latest(follow_up.tests_until(today)),
        reasons: quarantine.reasons.clone(),
    }
}

/// The longest [`timeline`], in days. The longest plan the shipped rule
/// sets give is about 25 days (a household contact whose last declared
/// meeting opens the case's contagious window, 7 days before J0, to 7 days
/// after the end of a 10-day isolation); a month covers it with room, and
/// keeps the page short whatever the data.
pub const MAX_TIMELINE_DAYS: i64 = 31;

/// One day of the contact's plan.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct TimelineDay {
    pub date: Date,
    /// The day the page is read.
    pub is_today: bool,
    /// The day is on or before the last day of quarantine (always false for
    /// a contact exempted from quarantine). The quarantine runs from the
    /// moment the contact knows; the plan never starts before the last
    /// contact, so earlier days are not shown.
    pub in_quarantine: bool,
    /// The last day of quarantine.
    pub last_day: bool,
    /// A day to get tested, from the rules.
    pub test_day: bool,
    /// A test day for which a test sampled on or after it is recorded.
    pub test_done: bool,
    /// A test day before today with no test recorded on or after it: get
    /// tested as soon as possible.
    pub overdue: bool,
    /// The result of the test(s) sampled that day, if any (on the same day,
    /// positive over pending over negative).
    pub recorded_test: Option<TestResult>,
    /// The day symptoms began.
    pub symptoms_began: bool,
}

/// The contact's plan, day by day, for the page: the quarantine and its
/// test days, with today and what the contact recorded.
///
/// It runs from the earliest of today, the day after the counted last
/// contact (the first full day of quarantine) and the first test day (a
/// day-0 test falls on the last contact), to the later of the last day of
/// quarantine and the last test day. Beyond [`MAX_TIMELINE_DAYS`], days
/// before today are dropped first, then days at the end, so that today
/// stays in the plan when it is not past its end.
///
/// Empty without a quarantine (negligible risk, outside the window), and
/// when the quarantine has neither a last day nor a test day. The plan
/// does not change with the [`guidance`]: once symptomatic or positive,
/// the page shows the guidance first and may hide the plan.
pub fn timeline(
    assessment: &ContactAssessment,
    follow_up: &FollowUp,
    today: Date,
) -> Vec<TimelineDay> {
    let Some(quarantine) = &assessment.quarantine else {
        return Vec::new();
    };
    let test_days = quarantine.test_days();
    let first_test = test_days.first().copied();
    let last_test = test_days.last().copied();
    let Some(end) = quarantine.last_day.max(last_test) else {
        return Vec::new();
    };
    let mut start = today.min(add_days(quarantine.counted_last_contact, 1));
    if let Some(first_test) = first_test {
        start = start.min(first_test);
    }
    if start > end {
        return Vec::new();
    }
    let room = MAX_TIMELINE_DAYS - 1;
    if (end - start).whole_days() > room {
        start = start.max(today.min(add_days(end, -room)));
    }
    let end = end.min(add_days(start, room));

    let symptoms = follow_up.symptoms_until(today);
    crate::dates::days_from(start)
        .take_while(|&date| date <= end)
        .map(|date| {
            let test_day = test_days.contains(&date);
            let test_done = test_day && follow_up.tested_since(date, today);
            TimelineDay {
                date,
                is_today: date == today,
                in_quarantine: quarantine.last_day.is_some_and(|last| date <= last),
                last_day: quarantine.last_day == Some(date),
                test_day,
                test_done,
                overdue: test_day && !test_done && date < today,
                recorded_test: latest(
                    follow_up
                        .tests_until(today)
                        .filter(|t| t.sampled_on == date),
                )
                .map(|t| t.result),
                symptoms_began: symptoms == Some(date),
            }
        })
        .collect()
}

/// The HTML ids of the follow-up forms' fields, used as [`FormError::field`].
pub mod field {
    /// Day symptoms began (also the field for a date missing, not a date,
    /// in the future or too early).
    pub const SYMPTOMS_DAY: &str = "symptoms-day";
    /// Month symptoms began.
    pub const SYMPTOMS_MONTH: &str = "symptoms-month";
    /// Year symptoms began.
    pub const SYMPTOMS_YEAR: &str = "symptoms-year";
    /// Day of the test's sample (also the field for a date missing, not a
    /// date, in the future or too early).
    pub const TEST_DAY: &str = "test-day";
    /// Month of the test's sample.
    pub const TEST_MONTH: &str = "test-month";
    /// Year of the test's sample.
    pub const TEST_YEAR: &str = "test-year";
    /// The result radio buttons (their first button).
    pub const TEST_RESULT: &str = "test-result";

    /// Every field, in the order of the forms (the order of the errors).
    pub const ALL: &[&str] = &[
        SYMPTOMS_DAY,
        SYMPTOMS_MONTH,
        SYMPTOMS_YEAR,
        TEST_DAY,
        TEST_MONTH,
        TEST_YEAR,
        TEST_RESULT,
    ];
}

/// How many days before the last contact symptoms may have begun. Symptoms
/// older than the contact are still worth reporting (the contact may have
/// been ill first), but a month before it the month or year is almost
/// surely a typo — the same bound as between a case's onset and sample
/// ([`crate::validate::MAX_ONSET_SAMPLE_GAP_DAYS`]).
pub const MAX_SYMPTOMS_BEFORE_LAST_CONTACT_DAYS: i64 = 30;

/// How many days before the last contact a test may have been sampled. A
/// test before the contact says nothing of it, but the last contact's date
/// is often declared by the case and may be a day or two off, and a
/// household contact is often tested with the case, before the day the
/// case names; 3 days allows for that without accepting old tests.
pub const MAX_TEST_BEFORE_LAST_CONTACT_DAYS: i64 = 3;

/// The first year accepted in the date fields: contact tracing began in
/// 2020 ([`earliest_date`]).
fn first_year() -> u32 {
    u32::try_from(earliest_date().year()).unwrap_or(0)
}

/// A date in three fields, on or before `today` and not before `earliest`
/// (else `too_early`), errors tied to the fields `[day, month, year]`.
pub(crate) fn parse_report_date(
    (day, month, year): (&str, &str, &str),
    fields: [&'static str; 3],
    earliest: Date,
    too_early: &'static str,
    today: Date,
) -> Result<Date, FormError> {
    let date = parse_past_date(day, month, year, first_year(), today).map_err(|e| {
        let field = match e.field() {
            DateField::Day => fields[0],
            DateField::Month => fields[1],
            DateField::Year => fields[2],
        };
        FormError::new(field, crate::contact_form::date_code(e))
    })?;
    if date < earliest {
        return Err(FormError::new(fields[0], too_early));
    }
    Ok(date)
}

/// The symptoms form: the day symptoms began, on or before `today`, and at
/// most [`MAX_SYMPTOMS_BEFORE_LAST_CONTACT_DAYS`] before `last_contact`
/// (the day the contact last met the case, as declared). Returns every
/// problem (here at most one), like [`crate::contact_form::parse_details`].
///
/// The codes, on the fields of [`field`]: `date_missing`, `date_day`,
/// `date_month`, `date_year`, `date_not_a_date`, `date_future`,
/// `date_year_range` (before 2020), `symptoms_too_early`.
pub fn parse_symptom_report(
    day: &str,
    month: &str,
    year: &str,
    today: Date,
    last_contact: Date,
) -> Result<Date, Vec<FormError>> {
    parse_report_date(
        (day, month, year),
        [
            field::SYMPTOMS_DAY,
            field::SYMPTOMS_MONTH,
            field::SYMPTOMS_YEAR,
        ],
        add_days(last_contact, -MAX_SYMPTOMS_BEFORE_LAST_CONTACT_DAYS),
        "symptoms_too_early",
        today,
    )
    .map_err(|e| vec![e])
}

/// The test form: the day of the sample, on or before `today` and at most
/// [`MAX_TEST_BEFORE_LAST_CONTACT_DAYS`] before `last_contact` (the day the
/// contact last met the case, as declared), and a [`TestResult`] machine
/// name. Returns every problem at once, in form order.
///
/// The codes, on the fields of [`field`]: `date_missing`, `date_day`,
/// `date_month`, `date_year`, `date_not_a_date`, `date_future`,
/// `date_year_range` (before 2020), `test_too_early`,
/// `test_result_missing`, `test_result_unknown`.
pub fn parse_test_report(
    day: &str,
    month: &str,
    year: &str,
    result: &str,
    today: Date,
    last_contact: Date,
) -> Result<TestReport, Vec<FormError>> {
    let sampled_on = parse_report_date(
        (day, month, year),
        [field::TEST_DAY, field::TEST_MONTH, field::TEST_YEAR],
        add_days(last_contact, -MAX_TEST_BEFORE_LAST_CONTACT_DAYS),
        "test_too_early",
        today,
    );
    let result = if result.trim().is_empty() {
        Err(FormError::new(field::TEST_RESULT, "test_result_missing"))
    } else {
        result
            .parse::<TestResult>()
            .map_err(|_| FormError::new(field::TEST_RESULT, "test_result_unknown"))
    };
    match (sampled_on, result) {
        (Ok(sampled_on), Ok(result)) => Ok(TestReport { sampled_on, result }),
        (sampled_on, result) => Err(sampled_on.err().into_iter().chain(result.err()).collect()),
    }
}

#[cfg(test)]
mod tests;
