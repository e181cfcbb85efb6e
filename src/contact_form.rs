//! The contact form: one person the case met, as typed by the case or by
//! staff. Every field is checked at once and every problem is returned, tied
//! to the HTML id of the field to fix, so that the page can list them all in
//! its error summary and link each to its field (the GOV.UK pattern).
//!
//! Everything but the phone numbers is pure and always compiled, so that the
//! browser can check the fields it shows as they are typed
//! ([`parse_details`], [`exposure_from_fields`]). The phone numbers need the
//! `phone` feature, and with it `ContactInput` and `parse_contact` (which
//! the server runs: it is the authority).

use crate::constraints;
use crate::date_fields::{parse_past_date, DateField, DateFieldsError};
use crate::names::named_enum;
use crate::situation::{AgeBand, ContactExposure, ExposureKind, Protection, VaccinationStatus};
use std::collections::BTreeSet;
use std::str::FromStr;
use time::Date;

#[cfg(feature = "phone")]
use crate::phone::{parse_phone, Phone, PhoneError};

named_enum! {
    /// How the case knows the contact.
    pub enum Relationship: "relationship" {
        /// Lives in the case's home: a household contact, at risk whatever
        /// the exposures.
        Household = "household",
        /// Family living elsewhere.
        Family = "family",
        /// A colleague, a customer.
        Work = "work",
        /// A pupil, a student, a teacher.
        School = "school",
        /// Sport, culture, friends, outings.
        Leisure = "leisure",
        /// Care given or received (health care, home help).
        Care = "care",
        /// None of these.
        Other = "other",
    }
}

/// The HTML ids of the form's fields, used as [`FormError::field`].
pub mod field {
    /// First name.
    pub const FIRST_NAME: &str = "first-name";
    /// Last name.
    pub const LAST_NAME: &str = "last-name";
    /// Phone number.
    pub const PHONE: &str = "phone";
    /// Email address (optional).
    pub const EMAIL: &str = "email";
    /// How the case knows the contact.
    pub const RELATIONSHIP: &str = "relationship";
    /// Day of the last contact (also the field for a date missing or not a date).
    pub const LAST_DAY: &str = "last-day";
    /// Month of the last contact.
    pub const LAST_MONTH: &str = "last-month";
    /// Year of the last contact.
    pub const LAST_YEAR: &str = "last-year";
    /// The exposure checkboxes (their first box).
    pub const EXPOSURES: &str = "exposures";
    /// The protection checkboxes (their first box).
    pub const PROTECTION: &str = "protection";
    /// Whether the contact is under 18 (the "oui" radio button).
    pub const MINOR: &str = "minor";
    /// A parent's phone number, for a minor.
    pub const GUARDIAN_PHONE: &str = "guardian-phone";
    /// The "under 12" checkbox (asked when the rules use the age band).
    pub const UNDER_12: &str = "under-12";
    /// The contact's vaccination, as the case knows it ("I don't know"
    /// allowed; asked when the rules use it).
    pub const VACCINATION: &str = "vaccination";
    /// Day of the last dose, when known.
    pub const DOSE_DAY: &str = "dose-day";
    /// Month of the last dose.
    pub const DOSE_MONTH: &str = "dose-month";
    /// Year of the last dose.
    pub const DOSE_YEAR: &str = "dose-year";
    /// The language the contact reads (their texts and page).
    pub const LANG: &str = "contact-lang";

    /// Every field, in the order of the form (the order of the errors).
    pub const ALL: &[&str] = &[
        FIRST_NAME,
        LAST_NAME,
        PHONE,
        EMAIL,
        LANG,
        RELATIONSHIP,
        LAST_DAY,
        LAST_MONTH,
        LAST_YEAR,
        EXPOSURES,
        PROTECTION,
        MINOR,
        UNDER_12,
        GUARDIAN_PHONE,
        VACCINATION,
        DOSE_DAY,
        DOSE_MONTH,
        DOSE_YEAR,
    ];
}

/// The longest first or last name, in characters, after cleaning.
pub const MAX_NAME_CHARS: usize = 100;

/// The longest email address, in characters (RFC 5321's path limit).
pub const MAX_EMAIL_CHARS: usize = 254;

/// The value of the minor radio button for "yes".
pub const MINOR_YES: &str = "oui";

/// The value of the minor radio button for "no".
pub const MINOR_NO: &str = "non";

/// The raw fields of the contact form, exactly as posted (all strings;
/// checkboxes as lists of machine names). A field left out of the post is
/// empty.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct ContactFields {
    /// First name.
    pub first_name: String,
    /// Last name.
    pub last_name: String,
    /// Phone number, as typed.
    pub phone: String,
    /// Email address, may be empty.
    pub email: String,
    /// A [`Relationship`] machine name.
    pub relationship: String,
    /// Day of the last contact.
    pub day: String,
    /// Month of the last contact.
    pub month: String,
    /// Year of the last contact.
    pub year: String,
    /// The [`ExposureKind`] machine names ticked (blank entries are ignored).
    pub exposures: Vec<String>,
    /// The [`Protection`] machine names ticked (blank entries are ignored).
    pub protection: Vec<String>,
    /// Under 18: [`MINOR_YES`], [`MINOR_NO`], or empty when not answered.
    pub minor: String,
    /// A parent's phone number, required for a minor.
    pub guardian_phone: String,
    /// Under 12: [`MINOR_YES`] when ticked (only for a minor).
    pub under_12: String,
    /// A [`VaccinationStatus`] machine name; empty: not asked or "I don't
    /// know" (treated as not vaccinated).
    pub vaccination: String,
    /// Day of the last dose (optional, for a complete schedule).
    pub dose_day: String,
    /// Month of the last dose.
    pub dose_month: String,
    /// Year of the last dose.
    pub dose_year: String,
    /// The code of the language the contact reads ([`crate::Lang`]);
    /// empty: not said (their texts go in the case's language).
    pub lang: String,
}

/// A contact as validated.
#[cfg(feature = "phone")]
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ContactInput {
    /// First name, cleaned (see [`clean_text`]).
    pub first_name: String,
    /// Last name, cleaned (see [`clean_text`]).
    pub last_name: String,
    /// The contact's phone number.
    pub phone: Phone,
    /// Email address, with its domain in lower case.
    pub email: Option<String>,
    /// How the case knows the contact.
    pub relationship: Relationship,
    /// What the rules need: household when the relationship is
    /// [`Relationship::Household`], minor from the form, vaccination unknown.
    pub exposure: ContactExposure,
    /// A parent's phone number, for a minor (ignored for an adult).
    pub guardian_phone: Option<Phone>,
    /// The language the contact reads; `None`: not said.
    #[serde(default)]
    pub lang: Option<crate::Lang>,
}

/// Everything the form says but the phone numbers, validated: what
/// [`parse_details`] returns.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ContactDetails {
    /// First name, cleaned (see [`clean_text`]).
    pub first_name: String,
    /// Last name, cleaned (see [`clean_text`]).
    pub last_name: String,
    /// Email address, with its domain in lower case.
    pub email: Option<String>,
    /// How the case knows the contact.
    pub relationship: Relationship,
    /// What the rules need (see [`exposure_from_fields`]).
    pub exposure: ContactExposure,
}

/// One problem, tied to the form field (the HTML id) to focus.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct FormError {
    /// The HTML id of the field, one of [`field::ALL`].
    pub field: &'static str,
    /// A stable code, for translation keys (`first_name_missing`,
    /// `phone_invalid`, `date_future`...).
    pub code: &'static str,
}

impl FormError {
    /// The problem `code` on `field`.
    pub const fn new(field: &'static str, code: &'static str) -> Self {
        FormError { field, code }
    }
}

impl std::fmt::Display for FormError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.field, self.code)
    }
}

impl std::error::Error for FormError {}

/// Characters that are not seen but change what is stored or shown: control
/// characters, zero-width spaces, direction marks and overrides, the byte
/// order mark. (Joiners, needed by some scripts, are kept.)
fn is_invisible(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{200B}'
                | '\u{200E}'
                | '\u{200F}'
                | '\u{202A}'..='\u{202E}'
                | '\u{2060}'
                | '\u{2066}'..='\u{2069}'
                | '\u{FEFF}'
        )
}

/// Text as it should be stored: trimmed, each run of white space (tabs,
/// line breaks, non-breaking spaces) made one space, control and invisible
/// formatting characters removed.
pub fn clean_text(input: &str) -> String {
    let mut out = String::with_capacity(input.len());
    for word in input.split(char::is_whitespace) {
        let start = out.len();
        if start > 0 {
            out.push(' ');
        }
        let before = out.len();
        out.extend(word.chars().filter(|&c| !is_invisible(c)));
        if out.len() == before {
            out.truncate(start);
        }
    }
    out
}

/// [`MAX_NAME_CHARS`] and [`MAX_EMAIL_CHARS`] as `validator` compares lengths.
pub(crate) const NAME_LIMIT: u64 = MAX_NAME_CHARS as u64;
const EMAIL_LIMIT: u64 = MAX_EMAIL_CHARS as u64;

/// The constraint on a first or last name, once cleaned (characters, as
/// `validator` counts a string's length).
#[derive(validator::Validate)]
struct NameConstraints<'a> {
    #[validate(length(max = NAME_LIMIT, code = "name_too_long"))]
    name: &'a str,
}

/// A first or last name: cleaned, not empty (`missing`), at most
/// [`MAX_NAME_CHARS`] (`name_too_long`).
fn name(input: &str, field: &'static str, missing: &'static str) -> Result<String, FormError> {
    use validator::Validate;
    let name = clean_text(input);
    if name.is_empty() {
        return Err(FormError::new(field, missing));
    }
    let constraints = NameConstraints { name: &name };
    match constraints.validate() {
        Ok(()) => Ok(name),
        Err(errors) => Err(FormError::new(
            field,
            constraints::failed(&errors, "name").unwrap_or("name_too_long"),
        )),
    }
}

/// The constraints on an email address: its syntax as typed (the HTML
/// standard's, RFC 5321's lengths of its parts), and the length of the
/// address as stored (domain lower-cased).
#[derive(validator::Validate)]
struct EmailConstraints<'a> {
    #[validate(email(code = "email_invalid"))]
    typed: &'a str,
    #[validate(length(max = EMAIL_LIMIT, code = "email_invalid"))]
    stored: &'a str,
}

/// An optional email address: trimmed, empty is `None`. Refused
/// (`email_invalid`) unless `validator` finds it a valid address (the HTML
/// standard's syntax, RFC 5321's lengths) whose domain has a dot (an
/// address at `localhost` reaches no one), and it is at most
/// [`MAX_EMAIL_CHARS`]. The domain is lower-cased; the part before the `@`
/// is kept as typed.
pub fn parse_email(input: &str) -> Result<Option<String>, FormError> {
    use validator::Validate;
    let text = input.trim();
    if text.is_empty() {
        return Ok(None);
    }
    let invalid = FormError::new(field::EMAIL, "email_invalid");
    let Some((local, domain)) = text.rsplit_once('@') else {
        return Err(invalid);
    };
    if !domain.contains('.') {
        return Err(invalid);
    }
    let email = format!("{local}@{}", domain.to_lowercase());
    let constraints = EmailConstraints {
        typed: text,
        stored: &email,
    };
    if constraints.validate().is_err() {
        return Err(invalid);
    }
    Ok(Some(email))
}

/// The form code of a date problem: `date_` and [`DateFieldsError::code`].
pub(crate) fn date_code(error: DateFieldsError) -> &'static str {
    match error {
        DateFieldsError::Missing => "date_missing",
        DateFieldsError::Field(DateField::Day) => "date_day",
        DateFieldsError::Field(DateField::Month) => "date_month",
        DateFieldsError::Field(DateField::Year) => "date_year",
        DateFieldsError::NotADate => "date_not_a_date",
        DateFieldsError::InFuture => "date_future",
        DateFieldsError::YearOutOfRange => "date_year_range",
    }
}

/// The field of the last-contact date to focus for a date problem.
fn date_field(error: DateFieldsError) -> &'static str {
    match error.field() {
        DateField::Day => field::LAST_DAY,
        DateField::Month => field::LAST_MONTH,
        DateField::Year => field::LAST_YEAR,
    }
}

/// The relationship: `relationship_missing` when empty, `relationship_unknown`
/// when not a [`Relationship`] machine name.
fn relationship(input: &str) -> Result<Relationship, FormError> {
    if input.trim().is_empty() {
        return Err(FormError::new(field::RELATIONSHIP, "relationship_missing"));
    }
    input
        .parse()
        .map_err(|_| FormError::new(field::RELATIONSHIP, "relationship_unknown"))
}

/// The machine names ticked, blank entries ignored; one error (`code` on
/// `field`) however many are unknown.
fn ticked<T: FromStr + Ord>(
    names: &[String],
    field: &'static str,
    code: &'static str,
) -> Result<BTreeSet<T>, FormError> {
    names
        .iter()
        .filter(|n| !n.trim().is_empty())
        .map(|n| n.parse().map_err(|_| FormError::new(field, code)))
        .collect()
}

/// The answer to "under 18?": [`MINOR_YES`] or [`MINOR_NO`] (trimmed, any
/// case), `None` otherwise.
pub fn minor_answer(input: &str) -> Option<bool> {
    let text = input.trim();
    if text.eq_ignore_ascii_case(MINOR_YES) {
        Some(true)
    } else if text.eq_ignore_ascii_case(MINOR_NO) {
        Some(false)
    } else {
        None
    }
}

/// Puts errors in the order of the form's fields.
fn in_form_order(errors: &mut [FormError]) {
    errors.sort_by_key(|e| {
        field::ALL
            .iter()
            .position(|f| *f == e.field)
            .unwrap_or(field::ALL.len())
    });
}

/// Keeps the value, or records the error.
fn keep<T>(result: Result<T, FormError>, errors: &mut Vec<FormError>) -> Option<T> {
    result.map_err(|e| errors.push(e)).ok()
}

/// What the rules need from the form: relationship (household or not), the
/// last contact's date (on or before `today`, from `first_year` on), the
/// exposures and protections ticked, and whether the contact is a minor.
/// Only these fields are checked; all their problems are returned, in form
/// order. A contact who is not in the household may have no exposure
/// ticked: the rules then find a negligible risk.
pub fn exposure_from_fields(
    fields: &ContactFields,
    first_year: u32,
    today: Date,
) -> Result<ContactExposure, Vec<FormError>> {
    let mut errors = Vec::new();
    let exposure = exposure_parts(fields, first_year, today, &mut errors);
    match exposure {
        Some((_, exposure)) if errors.is_empty() => Ok(exposure),
        _ => {
            in_form_order(&mut errors);
            Err(errors)
        }
    }
}

/// The relationship and the exposure, errors recorded in `errors`.
fn exposure_parts(
    fields: &ContactFields,
    first_year: u32,
    today: Date,
    errors: &mut Vec<FormError>,
) -> Option<(Relationship, ContactExposure)> {
    let relationship = keep(relationship(&fields.relationship), errors);
    let last_contact = keep(
        parse_past_date(&fields.day, &fields.month, &fields.year, first_year, today)
            .map_err(|e| FormError::new(date_field(e), date_code(e))),
        errors,
    );
    let exposures = keep(
        ticked::<ExposureKind>(&fields.exposures, field::EXPOSURES, "exposure_unknown"),
        errors,
    );
    let protection = keep(
        ticked::<Protection>(&fields.protection, field::PROTECTION, "protection_unknown"),
        errors,
    );
    let minor = keep(
        minor_answer(&fields.minor).ok_or(FormError::new(field::MINOR, "minor_missing")),
        errors,
    );
    let under_12 = minor_answer(&fields.under_12) == Some(true);
    if under_12 && minor == Some(false) {
        errors.push(FormError::new(field::UNDER_12, "under_12_not_minor"));
    }
    let vaccination = keep(vaccination(fields), errors);
    let last_dose = keep(last_dose(fields, vaccination, today), errors);
    let relationship = relationship?;
    let minor = minor?;
    let age_band = match (minor, under_12) {
        (true, true) => AgeBand::Under12,
        (true, false) => AgeBand::From12To17,
        (false, _) => AgeBand::Adult,
    };
    Some((
        relationship,
        ContactExposure {
            household: relationship == Relationship::Household,
            exposures: exposures?,
            protection: protection?,
            last_contact: last_contact?,
            minor,
            age_band,
            vaccination: vaccination?,
            last_dose: last_dose?,
            ..ContactExposure::met_on(last_contact?)
        },
    ))
}

/// The vaccination as the case knows it: empty is "I don't know".
fn vaccination(fields: &ContactFields) -> Result<VaccinationStatus, FormError> {
    let text = fields.vaccination.trim();
    if text.is_empty() {
        return Ok(VaccinationStatus::Unknown);
    }
    text.parse::<VaccinationStatus>()
        .map_err(|_| FormError::new(field::VACCINATION, "vaccination_unknown"))
}

/// The last dose of a complete schedule, when given (the case may not know
/// it: then the schedule counts as complete). Ignored for any other answer.
fn last_dose(
    fields: &ContactFields,
    vaccination: Option<VaccinationStatus>,
    today: Date,
) -> Result<Option<Date>, FormError> {
    let given = [&fields.dose_day, &fields.dose_month, &fields.dose_year]
        .iter()
        .any(|f| !f.trim().is_empty());
    if vaccination != Some(VaccinationStatus::FullyVaccinated) || !given {
        return Ok(None);
    }
    parse_past_date(
        &fields.dose_day,
        &fields.dose_month,
        &fields.dose_year,
        FIRST_DOSE_YEAR,
        today,
    )
    .map(Some)
    .map_err(|e| {
        let f = match e.field() {
            DateField::Day => field::DOSE_DAY,
            DateField::Month => field::DOSE_MONTH,
            DateField::Year => field::DOSE_YEAR,
        };
        FormError::new(f, date_code(e))
    })
}

/// No vaccine was given before 2020 (the first doses in France: December 2020).
pub const FIRST_DOSE_YEAR: u32 = 2020;

/// Details and errors, the errors not yet sorted.
fn details_parts(
    fields: &ContactFields,
    first_year: u32,
    today: Date,
    errors: &mut Vec<FormError>,
) -> Option<ContactDetails> {
    let first_name = keep(
        name(&fields.first_name, field::FIRST_NAME, "first_name_missing"),
        errors,
    );
    let last_name = keep(
        name(&fields.last_name, field::LAST_NAME, "last_name_missing"),
        errors,
    );
    let email = keep(parse_email(&fields.email), errors);
    let exposure = exposure_parts(fields, first_year, today, errors);
    let (relationship, exposure) = exposure?;
    Some(ContactDetails {
        first_name: first_name?,
        last_name: last_name?,
        email: email?,
        relationship,
        exposure,
    })
}

/// Validates every field but the two phone numbers (which need the `phone`
/// feature) and returns all problems, in form order.
pub fn parse_details(
    fields: &ContactFields,
    first_year: u32,
    today: Date,
) -> Result<ContactDetails, Vec<FormError>> {
    let mut errors = Vec::new();
    let details = details_parts(fields, first_year, today, &mut errors);
    match details {
        Some(details) if errors.is_empty() => Ok(details),
        _ => {
            in_form_order(&mut errors);
            Err(errors)
        }
    }
}

/// Validates every field at once and returns all problems (not just the
/// first), in form order. The last contact must be on or before `today`,
/// in a year from `first_year` on.
///
/// The codes, on the field ids of [`field`]: `first_name_missing`,
/// `last_name_missing`, `name_too_long`, `phone_missing`,
/// `phone_not_a_number`, `phone_invalid`, `email_invalid`,
/// `relationship_missing`, `relationship_unknown`, `date_missing`,
/// `date_day`, `date_month`, `date_year`, `date_not_a_date`,
/// `date_future`, `date_year_range`, `exposure_unknown`,
/// `protection_unknown`, `minor_missing`, `guardian_phone_missing`,
/// `guardian_phone_invalid`, `lang_unknown`.
#[cfg(feature = "phone")]
pub fn parse_contact(
    fields: &ContactFields,
    first_year: u32,
    today: Date,
) -> Result<ContactInput, Vec<FormError>> {
    let mut errors = Vec::new();
    let details = details_parts(fields, first_year, today, &mut errors);
    let phone = keep(
        parse_phone(&fields.phone).map_err(|e| FormError::new(field::PHONE, e.code())),
        &mut errors,
    );
    let lang = match fields.lang.trim() {
        "" => None,
        code => keep(
            code.parse::<crate::Lang>()
                .map_err(|_| FormError::new(field::LANG, "lang_unknown")),
            &mut errors,
        ),
    };
    let minor = minor_answer(&fields.minor);
    let guardian_phone = match (minor, parse_phone(&fields.guardian_phone)) {
        (Some(false), _) | (None, Err(PhoneError::Missing)) => None,
        (_, Ok(phone)) => Some(phone),
        (Some(true), Err(PhoneError::Missing)) => {
            errors.push(FormError::new(
                field::GUARDIAN_PHONE,
                "guardian_phone_missing",
            ));
            None
        }
        (_, Err(_)) => {
            errors.push(FormError::new(
                field::GUARDIAN_PHONE,
                "guardian_phone_invalid",
            ));
            None
        }
    };
    match (details, phone) {
        (Some(details), Some(phone)) if errors.is_empty() => Ok(ContactInput {
            first_name: details.first_name,
            last_name: details.last_name,
            phone,
            email: details.email,
            relationship: details.relationship,
            exposure: details.exposure,
            guardian_phone,
            lang,
        }),
        _ => {
            in_form_order(&mut errors);
            Err(errors)
        }
    }
}

/// What a notified contact may correct of their own details: their name,
/// email and phone number (a new number goes to a tracer for review).
#[cfg(feature = "phone")]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OwnDetails {
    pub first_name: String,
    pub last_name: String,
    pub email: Option<String>,
    pub phone: Phone,
}

/// Validates a contact's own details form (the contact journey), with the
/// same rules and codes as the case's contact form: `first_name_missing`,
/// `last_name_missing`, `name_too_long`, `email_invalid`, `phone_missing`,
/// `phone_not_a_number`, `phone_invalid`. Every problem, in form order.
#[cfg(feature = "phone")]
pub fn parse_own_details(
    first_name: &str,
    last_name: &str,
    email: &str,
    phone: &str,
) -> Result<OwnDetails, Vec<FormError>> {
    let mut errors = Vec::new();
    let first_name = keep(
        name(first_name, field::FIRST_NAME, "first_name_missing"),
        &mut errors,
    );
    let last_name = keep(
        name(last_name, field::LAST_NAME, "last_name_missing"),
        &mut errors,
    );
    let email = keep(parse_email(email), &mut errors);
    let phone = keep(
        parse_phone(phone).map_err(|e| FormError::new(field::PHONE, e.code())),
        &mut errors,
    );
    match (first_name, last_name, email, phone) {
        (Some(first_name), Some(last_name), Some(email), Some(phone)) => Ok(OwnDetails {
            first_name,
            last_name,
            email,
            phone,
        }),
        _ => {
            in_form_order(&mut errors);
            Err(errors)
        }
    }
}

/// The phone numbers (E.164, as in `Phone::e164`) that occur
/// more than once, e.g. among the contacts of one case. Each is trimmed;
/// blank ones are ignored.
pub fn duplicate_phones<'a>(phones: impl IntoIterator<Item = &'a str>) -> BTreeSet<String> {
    let mut seen = BTreeSet::new();
    let mut duplicates = BTreeSet::new();
    for phone in phones {
        let phone = phone.trim();
        if !phone.is_empty() && !seen.insert(phone) {
            duplicates.insert(phone.to_owned());
        }
    }
    duplicates
}

#[cfg(test)]
mod tests;
