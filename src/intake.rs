//! Case intake: the positive results a lab feed (or a CSV file) sends, one
//! item a case. Every field is checked at once and every problem returned
//! with the field, a machine reason and a message a person can act on, so
//! that a batch's good items are created and its bad ones listed — never
//! one bad item blocking the others.
//!
//! Pure: `today` and the territories in force are given, the phone
//! numbering plans come from [`crate::phone`] (the same parsing as the
//! contacts' phones), so this module needs the `phone` feature.

use crate::constraints;
use crate::contact_form::clean_text;
use crate::contact_form::NAME_LIMIT;
use crate::names::named_enum;
use crate::phone::{parse_phone, PhoneError};
use crate::territory::{DepartementCode, Territories};
use crate::Lang;
use serde::{Deserialize, Serialize};
use time::{Date, Duration};
use validator::{Validate, ValidationErrors};

/// The most items one batch may carry (API request or CSV chunk).
pub const MAX_BATCH: usize = 10_000;

/// The longest lab reference, in characters.
pub const MAX_LAB_REFERENCE_CHARS: usize = 64;

/// How old a sample may be, in days: older than this, the case is no
/// longer contagious and its data would already be due for deletion.
pub const MAX_SAMPLE_AGE_DAYS: i64 = 366;

/// The oldest a person can be, in years.
pub const MAX_AGE_YEARS: i32 = 120;

/// How long before the sample symptoms may have begun, in days (the same
/// bound as the declaration's, [`crate::validate::MAX_ONSET_SAMPLE_GAP_DAYS`]).
pub const MAX_ONSET_BEFORE_SAMPLE_DAYS: i64 = crate::validate::MAX_ONSET_SAMPLE_GAP_DAYS;

/// How long after the sample symptoms may have begun, in days: a case
/// tested before symptoms shows them within the incubation period (14 days).
pub const MAX_ONSET_AFTER_SAMPLE_DAYS: i64 = 14;

named_enum! {
    /// The kind of test that was positive.
    pub enum TestType: "test type" {
        /// RT-PCR, in a lab.
        Pcr = "pcr",
        /// Rapid antigen test.
        Antigen = "antigen",
    }
}

/// The field names of an item, as in the JSON API and the CSV header.
pub mod field {
    pub const LAB_REFERENCE: &str = "lab_reference";
    pub const FIRST_NAME: &str = "first_name";
    pub const LAST_NAME: &str = "last_name";
    pub const BIRTH_DATE: &str = "birth_date";
    pub const PHONE: &str = "phone";
    pub const SAMPLE_DATE: &str = "sample_date";
    pub const TEST_TYPE: &str = "test_type";
    pub const SYMPTOM_ONSET: &str = "symptom_onset";
    pub const LANG: &str = "lang";
    pub const DEPARTEMENT: &str = super::departement::DEPARTEMENT;
    pub const POSTCODE: &str = super::departement::POSTCODE;

    /// Every field, in the order problems are listed.
    pub const ALL: &[&str] = &[
        LAB_REFERENCE,
        FIRST_NAME,
        LAST_NAME,
        BIRTH_DATE,
        PHONE,
        SAMPLE_DATE,
        TEST_TYPE,
        SYMPTOM_ONSET,
        LANG,
        DEPARTEMENT,
        POSTCODE,
    ];

    /// The fields an item must have (a CSV file must have these columns).
    pub const REQUIRED: &[&str] = &[
        LAB_REFERENCE,
        FIRST_NAME,
        LAST_NAME,
        BIRTH_DATE,
        PHONE,
        SAMPLE_DATE,
        TEST_TYPE,
    ];
}

/// One item as received: every field optional text, nothing checked yet.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct RawCase {
    /// The lab's reference of the result: the idempotency key (the same
    /// reference twice creates one case). Required.
    pub lab_reference: Option<String>,
    /// Required.
    pub first_name: Option<String>,
    /// Required.
    pub last_name: Option<String>,
    /// YYYY-MM-DD. Required.
    pub birth_date: Option<String>,
    /// A mobile number, national or international (+33…). Required.
    pub phone: Option<String>,
    /// YYYY-MM-DD. Required.
    pub sample_date: Option<String>,
    /// `pcr` or `antigen`. Required.
    pub test_type: Option<String>,
    /// YYYY-MM-DD, when the person had symptoms.
    pub symptom_onset: Option<String>,
    /// The language the case reads, their SMS and pages: `fr` (default),
    /// `en`, `ar`, `es`, `pt`, `tr`, `ro` or `zh`.
    pub lang: Option<String>,
    /// The code of the département whose team handles the case: `01` to
    /// `95`, `2A`, `2B`, `971` to `974` or `976`. When absent, the
    /// département of `postcode`; when both are absent, none.
    pub departement: Option<String>,
    /// The postcode of the person's address (5 digits), for the département
    /// when `departement` is absent. Not stored.
    pub postcode: Option<String>,
}

impl RawCase {
    /// Sets a field by its name; `false` for a name that is not a field.
    pub fn set(&mut self, name: &str, value: Option<String>) -> bool {
        let slot = match name {
            field::LAB_REFERENCE => &mut self.lab_reference,
            field::FIRST_NAME => &mut self.first_name,
            field::LAST_NAME => &mut self.last_name,
            field::BIRTH_DATE => &mut self.birth_date,
            field::PHONE => &mut self.phone,
            field::SAMPLE_DATE => &mut self.sample_date,
            field::TEST_TYPE => &mut self.test_type,
            field::SYMPTOM_ONSET => &mut self.symptom_onset,
            field::LANG => &mut self.lang,
            field::DEPARTEMENT => &mut self.departement,
            field::POSTCODE => &mut self.postcode,
            _ => return false,
        };
        *slot = value;
        true
    }

    /// The lab reference as sent, trimmed (to report it beside a rejection).
    pub fn lab_reference_text(&self) -> Option<String> {
        self.lab_reference
            .as_deref()
            .map(str::trim)
            .filter(|r| !r.is_empty())
            .map(str::to_owned)
    }
}

/// One problem of an item: the field, a stable machine reason and an
/// English message that says what to correct. Never echoes the value (it
/// may be personal data).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FieldError {
    pub field: String,
    pub reason: String,
    pub message: String,
}

impl FieldError {
    fn new(field: &str, reason: &str, message: impl Into<String>) -> Self {
        FieldError {
            field: field.to_owned(),
            reason: reason.to_owned(),
            message: message.into(),
        }
    }
}

impl std::fmt::Display for FieldError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "field {}: {} ({})",
            self.field, self.message, self.reason
        )
    }
}

/// A case ready to be created.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ValidCase {
    /// The lab's own reference of the result: the idempotency key.
    pub lab_reference: String,
    pub first_name: String,
    pub last_name: String,
    pub birth_date: Date,
    /// E.164, a mobile (the invitation is an SMS).
    pub phone: String,
    pub sample_date: Date,
    pub test_type: TestType,
    pub symptom_onset: Option<Date>,
    pub lang: Lang,
    /// Given, or found from the postcode; `None` when the item had neither.
    pub departement: Option<DepartementCode>,
}

/// Reads one JSON item: an object whose known fields are strings or null.
/// Anything else (not an object, a number where a string is expected, an
/// unknown field — a misspelt optional field must not be dropped silently)
/// is a [`FieldError`].
pub fn raw_from_json(item: &serde_json::Value) -> Result<RawCase, Vec<FieldError>> {
    let Some(object) = item.as_object() else {
        return Err(vec![FieldError::new(
            "item",
            "not_an_object",
            "each case must be a JSON object of text fields",
        )]);
    };
    let mut raw = RawCase::default();
    let mut errors = Vec::new();
    for (name, value) in object {
        let text = match value {
            serde_json::Value::Null => None,
            serde_json::Value::String(s) => Some(s.clone()),
            _ => {
                errors.push(FieldError::new(
                    name,
                    "not_a_string",
                    "this field must be text (a JSON string) or null",
                ));
                continue;
            }
        };
        if !raw.set(name, text) {
            errors.push(FieldError::new(
                name,
                "unknown_field",
                format!("unknown field (expected: {})", field::ALL.join(", ")),
            ));
        }
    }
    if errors.is_empty() {
        Ok(raw)
    } else {
        Err(errors)
    }
}

/// The text of a field, trimmed; `None` when absent or blank.
fn present(value: &Option<String>) -> Option<&str> {
    value.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

fn missing(name: &str) -> FieldError {
    FieldError::new(name, "missing", "this field is required")
}

/// A date written YYYY-MM-DD, exactly.
fn iso_date(name: &str, text: &str) -> Result<Date, FieldError> {
    crate::dates::parse_iso(text).ok_or_else(|| {
        FieldError::new(
            name,
            "not_a_date",
            "expected a date written YYYY-MM-DD that exists",
        )
    })
}

fn not_in_future(name: &str, date: Date, today: Date) -> Result<Date, FieldError> {
    if date > today {
        Err(FieldError::new(
            name,
            "date_in_future",
            format!("the date is after today ({today})"),
        ))
    } else {
        Ok(date)
    }
}

/// [`MAX_LAB_REFERENCE_CHARS`] as `validator` compares lengths (names:
/// the contact form's limit).
const LAB_REFERENCE_LIMIT: u64 = MAX_LAB_REFERENCE_CHARS as u64;

/// The length constraints of an item's texts, once trimmed (the lab
/// reference) or cleaned (the names), in characters. The fields are named
/// as in the API ([`field`]), so that a failure names its field.
#[derive(validator::Validate)]
struct TextConstraints<'a> {
    #[validate(length(max = LAB_REFERENCE_LIMIT, code = "too_long"))]
    lab_reference: &'a str,
    #[validate(length(max = NAME_LIMIT, code = "too_long"))]
    first_name: &'a str,
    #[validate(length(max = NAME_LIMIT, code = "too_long"))]
    last_name: &'a str,
}

/// The failure of field `name` among `failures`, as a [`FieldError`].
fn constraint(failures: Option<&ValidationErrors>, name: &str) -> Result<(), FieldError> {
    match failures.and_then(|f| constraints::failure(f, name)) {
        None => Ok(()),
        Some(failure) => Err(FieldError::new(
            name,
            constraints::code(failure),
            format!(
                "at most {} characters",
                constraints::max_of(failure).unwrap_or_default()
            ),
        )),
    }
}

fn person_name(
    cleaned: &str,
    name: &str,
    failures: Option<&ValidationErrors>,
) -> Result<String, FieldError> {
    if cleaned.is_empty() {
        return Err(missing(name));
    }
    constraint(failures, name)?;
    Ok(cleaned.to_owned())
}

fn lab_reference(
    raw: &Option<String>,
    failures: Option<&ValidationErrors>,
) -> Result<String, FieldError> {
    let name = field::LAB_REFERENCE;
    let text = present(raw).ok_or_else(|| missing(name))?;
    constraint(failures, name)?;
    if !text
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '/' | ':'))
    {
        return Err(FieldError::new(
            name,
            "invalid_characters",
            "only letters A-Z, digits and - _ . / : are allowed",
        ));
    }
    Ok(text.to_owned())
}

fn birth_date(raw: &Option<String>, today: Date) -> Result<Date, FieldError> {
    let name = field::BIRTH_DATE;
    let date = iso_date(name, present(raw).ok_or_else(|| missing(name))?)?;
    let date = not_in_future(name, date, today)?;
    let oldest = crate::dates::ymd(today.year() - MAX_AGE_YEARS, 1, 1).unwrap_or(date);
    if date < oldest {
        return Err(FieldError::new(
            name,
            "too_old",
            format!("a person born before {oldest} would be over {MAX_AGE_YEARS}; check the year"),
        ));
    }
    Ok(date)
}

fn sample_date(raw: &Option<String>, today: Date) -> Result<Date, FieldError> {
    let name = field::SAMPLE_DATE;
    let date = iso_date(name, present(raw).ok_or_else(|| missing(name))?)?;
    let date = not_in_future(name, date, today)?;
    if (today - date).whole_days() > MAX_SAMPLE_AGE_DAYS {
        return Err(FieldError::new(
            name,
            "too_old",
            format!("the sample is more than {MAX_SAMPLE_AGE_DAYS} days old; check the year"),
        ));
    }
    Ok(date)
}

fn phone(raw: &Option<String>) -> Result<String, FieldError> {
    let name = field::PHONE;
    match parse_phone(raw.as_deref().unwrap_or_default()) {
        Ok(phone) if phone.can_receive_sms => Ok(phone.e164),
        Ok(_) => Err(FieldError::new(
            name,
            "phone_not_mobile",
            "this number cannot receive text messages; a mobile number is needed",
        )),
        Err(PhoneError::Missing) => Err(missing(name)),
        Err(e) => Err(FieldError::new(name, e.code(), e.to_string())),
    }
}

fn test_type(raw: &Option<String>) -> Result<TestType, FieldError> {
    let name = field::TEST_TYPE;
    let text = present(raw).ok_or_else(|| missing(name))?;
    text.to_ascii_lowercase().parse().map_err(|_| {
        FieldError::new(
            name,
            "unknown_test_type",
            format!(
                "expected one of: {}",
                TestType::ALL
                    .iter()
                    .map(|t| t.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        )
    })
}

fn lang(raw: &Option<String>) -> Result<Lang, FieldError> {
    match present(raw) {
        None => Ok(Lang::default()),
        Some(text) => text.to_ascii_lowercase().parse().map_err(|_| {
            FieldError::new(
                field::LANG,
                "unknown_lang",
                "expected one of fr, en, ar, es, pt, tr, ro, zh",
            )
        }),
    }
}

fn symptom_onset(
    raw: &Option<String>,
    sample: Option<Date>,
    today: Date,
) -> Result<Option<Date>, FieldError> {
    let name = field::SYMPTOM_ONSET;
    let Some(text) = present(raw) else {
        return Ok(None);
    };
    let onset = not_in_future(name, iso_date(name, text)?, today)?;
    if let Some(sample) = sample {
        if onset < sample - Duration::days(MAX_ONSET_BEFORE_SAMPLE_DAYS) {
            return Err(FieldError::new(
                name,
                "onset_too_early",
                format!(
                    "symptoms began more than {MAX_ONSET_BEFORE_SAMPLE_DAYS} days before the \
                     sample; check the month and year"
                ),
            ));
        }
        if onset > sample + Duration::days(MAX_ONSET_AFTER_SAMPLE_DAYS) {
            return Err(FieldError::new(
                name,
                "onset_too_late",
                format!(
                    "symptoms began more than {MAX_ONSET_AFTER_SAMPLE_DAYS} days after the \
                     sample; check the month and year"
                ),
            ));
        }
    }
    Ok(Some(onset))
}

/// Checks one item against `today` and the territories in force: the case
/// to create, or every problem found, in the order of [`field::ALL`].
pub fn parse_case(
    raw: &RawCase,
    today: Date,
    territories: &Territories,
) -> Result<ValidCase, Vec<FieldError>> {
    let mut errors = Vec::new();
    fn keep<T>(errors: &mut Vec<FieldError>, result: Result<T, FieldError>) -> Option<T> {
        result.map_err(|e| errors.push(e)).ok()
    }
    let cleaned = |text: &Option<String>| text.as_deref().map(clean_text).unwrap_or_default();
    let (first, last) = (cleaned(&raw.first_name), cleaned(&raw.last_name));
    let texts = TextConstraints {
        lab_reference: present(&raw.lab_reference).unwrap_or_default(),
        first_name: &first,
        last_name: &last,
    };
    let failures = texts.validate().err();
    let failures = failures.as_ref();
    let lab_reference = keep(&mut errors, lab_reference(&raw.lab_reference, failures));
    let first_name = keep(
        &mut errors,
        person_name(&first, field::FIRST_NAME, failures),
    );
    let last_name = keep(&mut errors, person_name(&last, field::LAST_NAME, failures));
    let birth_date = keep(&mut errors, birth_date(&raw.birth_date, today));
    let phone = keep(&mut errors, phone(&raw.phone));
    let sample_date = keep(&mut errors, sample_date(&raw.sample_date, today));
    let test_type = keep(&mut errors, test_type(&raw.test_type));
    let symptom_onset = keep(
        &mut errors,
        symptom_onset(&raw.symptom_onset, sample_date, today),
    );
    let lang = keep(&mut errors, lang(&raw.lang));
    let departement = departement::departement(
        present(&raw.departement),
        present(&raw.postcode),
        territories,
    )
    .map_err(|problems| {
        errors.extend(
            problems
                .into_iter()
                .map(|p| FieldError::new(p.field, p.reason, p.message)),
        )
    })
    .ok();
    match (
        lab_reference,
        first_name,
        last_name,
        birth_date,
        phone,
        sample_date,
        test_type,
        symptom_onset,
        lang,
        departement,
    ) {
        (
            Some(lab_reference),
            Some(first_name),
            Some(last_name),
            Some(birth_date),
            Some(phone),
            Some(sample_date),
            Some(test_type),
            Some(symptom_onset),
            Some(lang),
            Some(departement),
        ) if errors.is_empty() => Ok(ValidCase {
            lab_reference,
            first_name,
            last_name,
            birth_date,
            phone,
            sample_date,
            test_type,
            symptom_onset,
            lang,
            departement,
        }),
        _ => Err(errors),
    }
}

mod departement;
#[cfg(test)]
mod departement_tests;
#[cfg(test)]
mod tests;
