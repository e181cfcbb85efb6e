//! Support during isolation (from January 2021): what a case or an at-risk
//! contact may ask for (a nurse's visit, help at home...), the request's
//! life at the département's isolation-support cell, and the follow-up
//! text messages that ask how the person is ("1 all right, 2 worse, 3 I
//! need help") during the isolation or quarantine.
//!
//! - [`SupportNeed`] and [`Needs`]: what is asked, stored as a comma list.
//! - [`SupportState`]: new → taken → done / could not reach / refused,
//!   and which moves are allowed.
//! - `parse_support` (feature `phone`): the request form, every problem at
//!   once, each tied to its field.
//! - [`case_check_in_days`] and [`contact_check_in_days`]: the days of the
//!   follow-up messages, from the rules' isolation or quarantine.

use crate::names::{named_enum, UnknownName};
use crate::sms_reply::FollowUpAnswer;
use time::{Date, Duration};

named_enum! {
    /// One kind of help a person may ask for.
    pub enum SupportNeed: "support need" {
        /// A nurse's visit at home within 24 hours (paid in full).
        NurseVisit = "nurse_visit",
        /// Groceries or meals delivered.
        Groceries = "groceries",
        /// Medicines delivered.
        Medicines = "medicines",
        /// Help with administrative steps.
        Administrative = "administrative",
        /// A phone or access to the internet.
        Connection = "connection",
        /// Someone to talk to (psychological support).
        Listening = "listening",
        /// Childcare.
        Childcare = "childcare",
        /// A place to isolate away from the family (a hotel room).
        Lodging = "lodging",
    }
}

named_enum! {
    /// When the person would rather be called back.
    pub enum BestTime: "best time" {
        /// Any time of the day.
        Any = "any",
        Morning = "morning",
        Afternoon = "afternoon",
        Evening = "evening",
    }
}

named_enum! {
    /// Where a request comes from.
    pub enum SupportOrigin: "support origin" {
        /// The case, on their declaration.
        Case = "case",
        /// An at-risk contact, on their page.
        Contact = "contact",
        /// The tracer, on the call, with the case's answer.
        Tracer = "tracer",
        /// A "3" answered to a follow-up text: no details, the cell calls
        /// back.
        Sms = "sms",
    }
}

named_enum! {
    /// Where a request stands at the support cell.
    pub enum SupportState: "support state" {
        /// Waiting for someone at the cell.
        New = "new",
        /// Someone at the cell took it.
        Taken = "taken",
        /// The help was given.
        Done = "done",
        /// The person could not be reached.
        Unreachable = "unreachable",
        /// The person no longer wants the help.
        Refused = "refused",
    }
}

impl SupportState {
    /// Whether the request still waits for the cell (new or taken).
    pub fn is_open(self) -> bool {
        matches!(self, SupportState::New | SupportState::Taken)
    }

    /// Whether a request in this state may be moved to `next`: a new one
    /// is taken; a taken one is closed (done, could not reach, refused) or
    /// handed back (new); one that could not be reached may be taken
    /// again. Done and refused are final.
    pub fn may_become(self, next: SupportState) -> bool {
        use SupportState::*;
        matches!(
            (self, next),
            (New, Taken)
                | (Taken, Done)
                | (Taken, Unreachable)
                | (Taken, Refused)
                | (Taken, New)
                | (Unreachable, Taken)
        )
    }
}

/// A set of needs. Written as the machine names in [`SupportNeed::ALL`]'s
/// order, joined by commas (`groceries,childcare`): one form whatever the
/// order they were ticked in.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Needs(u16);

impl Needs {
    fn bit(need: SupportNeed) -> u16 {
        let index = SupportNeed::ALL
            .iter()
            .position(|n| *n == need)
            .unwrap_or_default();
        1 << index
    }

    pub fn insert(&mut self, need: SupportNeed) {
        self.0 |= Needs::bit(need);
    }

    pub fn contains(self, need: SupportNeed) -> bool {
        self.0 & Needs::bit(need) != 0
    }

    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    pub fn len(self) -> usize {
        self.0.count_ones() as usize
    }

    /// The needs, in [`SupportNeed::ALL`]'s order.
    pub fn iter(self) -> impl Iterator<Item = SupportNeed> {
        SupportNeed::ALL
            .iter()
            .copied()
            .filter(move |n| self.contains(*n))
    }

    /// The comma list stored in the database.
    pub fn to_list(self) -> String {
        self.iter()
            .map(SupportNeed::as_str)
            .collect::<Vec<_>>()
            .join(",")
    }

    /// Reads a comma list (spaces around names ignored, an empty list is
    /// no need); refuses an unknown name.
    pub fn parse_list(list: &str) -> Result<Needs, UnknownName> {
        let mut needs = Needs::default();
        for name in list.split(',').map(str::trim).filter(|n| !n.is_empty()) {
            needs.insert(name.parse()?);
        }
        Ok(needs)
    }
}

impl FromIterator<SupportNeed> for Needs {
    fn from_iter<I: IntoIterator<Item = SupportNeed>>(iter: I) -> Needs {
        let mut needs = Needs::default();
        for need in iter {
            needs.insert(need);
        }
        needs
    }
}

impl serde::Serialize for Needs {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.iter())
    }
}

impl<'de> serde::Deserialize<'de> for Needs {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let names = <Vec<SupportNeed> as serde::Deserialize>::deserialize(d)?;
        Ok(names.into_iter().collect())
    }
}

/// The longest note kept, in characters.
pub const NOTE_MAX: usize = 500;
/// The longest address kept, in characters.
pub const ADDRESS_MAX: usize = 200;

/// The raw fields of the request form, as posted.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct SupportFields {
    /// The ticked needs' machine names (`need` checkboxes).
    #[serde(default)]
    pub needs: Vec<String>,
    #[serde(default)]
    pub note: String,
    /// Where the help goes, if the person gives it.
    #[serde(default)]
    pub address: String,
    /// A phone to call back; empty: the person's own.
    #[serde(default)]
    pub phone: String,
    /// [`BestTime`]'s machine name; empty: any time.
    #[serde(default)]
    pub best_time: String,
    /// `oui` when the person agrees to share these details with the
    /// support cell; absent otherwise.
    #[serde(default)]
    pub consent: String,
}

/// A request as validated.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct SupportInput {
    pub needs: Needs,
    /// Cleaned; may be empty.
    pub note: String,
    /// Cleaned; may be empty.
    pub address: String,
    /// A phone to call back in E.164; `None`: the person's own.
    pub callback_phone: Option<String>,
    pub best_time: BestTime,
    /// Whether the details may go to the support cell. Without it the
    /// request stays with the tracer.
    pub consent: bool,
}

/// Whether a checkbox's value means "ticked".
#[cfg(feature = "phone")]
fn ticked(value: &str) -> bool {
    matches!(
        value.trim().to_ascii_lowercase().as_str(),
        "oui" | "on" | "yes" | "true" | "1"
    )
}

/// Validates the request form: at least one known need, a note of at most
/// [`NOTE_MAX`] characters, an address of at most [`ADDRESS_MAX`], a phone that is a number if one is given, a
/// known best time. Every problem at once, each with its field's id.
#[cfg(feature = "phone")]
pub fn parse_support(
    fields: &SupportFields,
) -> Result<SupportInput, Vec<crate::contact_form::FormError>> {
    use crate::contact_form::{clean_text, FormError};
    let mut errors = Vec::new();
    let mut needs = Needs::default();
    for name in &fields.needs {
        match name.parse::<SupportNeed>() {
            Ok(need) => needs.insert(need),
            Err(_) => {
                errors.push(FormError::new("support-needs", "support_need_unknown"));
                break;
            }
        }
    }
    if needs.is_empty() && errors.is_empty() {
        errors.push(FormError::new("support-needs", "support_needs_missing"));
    }
    let note = clean_text(&fields.note);
    if note.chars().count() > NOTE_MAX {
        errors.push(FormError::new("support-note", "support_note_too_long"));
    }
    let address = clean_text(&fields.address);
    if address.chars().count() > ADDRESS_MAX {
        errors.push(FormError::new(
            "support-address",
            "support_address_too_long",
        ));
    }
    let callback_phone = match fields.phone.trim() {
        "" => None,
        typed => match crate::phone::parse_phone(typed) {
            Ok(phone) => Some(phone.e164),
            Err(e) => {
                errors.push(FormError::new("support-phone", e.code()));
                None
            }
        },
    };
    let best_time = match fields.best_time.trim() {
        "" => BestTime::Any,
        text => text.parse().unwrap_or_else(|_| {
            errors.push(FormError::new("support-time", "support_time_unknown"));
            BestTime::Any
        }),
    };
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(SupportInput {
        needs,
        note,
        address,
        callback_phone,
        best_time,
        consent: ticked(&fields.consent),
    })
}

/// The days of the case's isolation the follow-up text is sent on, counted
/// as the rules count: J0, the isolation's first day, is day 0.
pub const CASE_CHECK_IN_DAYS: [i64; 2] = [2, 5];
/// The day of an at-risk contact's quarantine the follow-up text is sent
/// on, the day the contact was told being day 0.
pub const CONTACT_CHECK_IN_DAY: i64 = 3;

/// The follow-up days of a case isolated from `first_day` (J0) to
/// `last_day` inclusive (the rule set's length): day 2 and day 5, each only
/// if the isolation still runs that day. In order, each once.
pub fn case_check_in_days(first_day: Date, last_day: Date) -> Vec<Date> {
    CASE_CHECK_IN_DAYS
        .iter()
        .map(|&n| first_day + Duration::days(n))
        .filter(|day| *day <= last_day)
        .collect()
}

/// The follow-up day of an at-risk contact told on `told_on`: day 3 if the
/// quarantine (ending on `quarantine_last_day`) still runs then; none for a
/// contact the rules spare the quarantine (`None`).
pub fn contact_check_in_days(told_on: Date, quarantine_last_day: Option<Date>) -> Vec<Date> {
    let day = told_on + Duration::days(CONTACT_CHECK_IN_DAY);
    match quarantine_last_day {
        Some(last) if day <= last => vec![day],
        _ => Vec::new(),
    }
}

named_enum! {
    /// The answer to "How are you?".
    pub enum WellbeingAnswer: "wellbeing answer" {
        /// "1": all right.
        AllRight = "all_right",
        /// "2": worse; the emergency advice is sent at once and the tracer
        /// is told.
        Worse = "worse",
        /// "3": I need help; a support request is opened.
        NeedHelp = "need_help",
    }
}

impl WellbeingAnswer {
    /// The answer a digit reply means, the reply being read by
    /// [`crate::sms_reply::parse_reply`] as for the test question.
    pub fn of_digit(digit: FollowUpAnswer) -> WellbeingAnswer {
        match digit {
            FollowUpAnswer::Negative => WellbeingAnswer::AllRight,
            FollowUpAnswer::Positive => WellbeingAnswer::Worse,
            FollowUpAnswer::NotTested => WellbeingAnswer::NeedHelp,
        }
    }
}

#[cfg(test)]
mod tests;
