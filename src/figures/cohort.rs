//! A day's figures (the *cohort* of the cases created that day) and their
//! sum over a period, with the ratios and shares the page shows. The
//! period form, the text and the charts build on these.

use super::histogram::Histogram;
use serde::{Deserialize, Serialize};
use time::Date;

/// One day's figures: the cases created that day and what became of them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DayFigures {
    /// The day the cases were created (Europe/Paris).
    pub day: Date,
    /// New cases.
    pub cases: u64,
    /// Contacts listed (not removed), by the case or the tracer.
    pub contacts_declared: u64,
    /// Contacts the tracer validated.
    pub contacts_validated: u64,
    /// Cases with at least one call.
    pub cases_called: u64,
    /// Cases whose list was sent before their first call.
    pub cases_listed_before_call: u64,
    /// Cases reached by phone (a call with outcome "reached").
    pub cases_reached: u64,
    /// Validated at-risk contacts with an SMS notification queued.
    pub contacts_to_notify: u64,
    /// Of those, the ones whose notification SMS was sent.
    pub contacts_reached: u64,
    /// Cases with no contact declared.
    pub cases_without_contact: u64,
    /// Calls after the first one.
    pub second_calls: u64,
    /// Text messages sent.
    pub sms_sent: u64,
    /// Text messages that failed for good.
    pub sms_failed: u64,
    /// Text messages answered.
    pub sms_replied: u64,
    /// Hours from the sample day (00:00 local) to the first call.
    pub sample_to_call: Histogram,
    /// Hours from the first call to the last contact notification sent.
    pub call_to_notified: Histogram,
}

impl DayFigures {
    /// The figures of a day without any case.
    pub fn empty(day: Date) -> Self {
        DayFigures {
            day,
            cases: 0,
            contacts_declared: 0,
            contacts_validated: 0,
            cases_called: 0,
            cases_listed_before_call: 0,
            cases_reached: 0,
            contacts_to_notify: 0,
            contacts_reached: 0,
            cases_without_contact: 0,
            second_calls: 0,
            sms_sent: 0,
            sms_failed: 0,
            sms_replied: 0,
            sample_to_call: Histogram::default(),
            call_to_notified: Histogram::default(),
        }
    }

    /// Contacts declared per new case.
    pub fn contacts_per_case(&self) -> Option<f64> {
        ratio(self.contacts_declared, self.cases)
    }

    /// The share of called cases whose list was sent before their first
    /// call, in 0..=1.
    pub fn share_listed_before_call(&self) -> Option<f64> {
        share(self.cases_listed_before_call, self.cases_called)
    }

    /// The share of new cases reached by phone, in 0..=1.
    pub fn share_cases_reached(&self) -> Option<f64> {
        share(self.cases_reached, self.cases)
    }

    /// The share of contacts to notify whose notification was sent, in 0..=1.
    pub fn share_contacts_reached(&self) -> Option<f64> {
        share(self.contacts_reached, self.contacts_to_notify)
    }

    /// Adds `other`'s counts and delays to these (the day is kept). Counts
    /// saturate instead of overflowing.
    pub fn absorb(&mut self, other: &DayFigures) {
        let pairs = [
            (&mut self.cases, other.cases),
            (&mut self.contacts_declared, other.contacts_declared),
            (&mut self.contacts_validated, other.contacts_validated),
            (&mut self.cases_called, other.cases_called),
            (
                &mut self.cases_listed_before_call,
                other.cases_listed_before_call,
            ),
            (&mut self.cases_reached, other.cases_reached),
            (&mut self.contacts_to_notify, other.contacts_to_notify),
            (&mut self.contacts_reached, other.contacts_reached),
            (&mut self.cases_without_contact, other.cases_without_contact),
            (&mut self.second_calls, other.second_calls),
            (&mut self.sms_sent, other.sms_sent),
            (&mut self.sms_failed, other.sms_failed),
            (&mut self.sms_replied, other.sms_replied),
        ];
        for (total, more) in pairs {
            *total = total.saturating_add(more);
        }
        self.sample_to_call.merge(&other.sample_to_call);
        self.call_to_notified.merge(&other.call_to_notified);
    }
}

/// The figures of a period: the days summed, histograms merged.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    /// The first day of the period.
    pub from: Date,
    /// The last day of the period (inclusive).
    pub to: Date,
    /// The number of days of the period, `from` to `to` inclusive (0 when
    /// `to` is before `from`), whether or not each has figures.
    pub days: u32,
    /// The sums; `totals.day` is `from`.
    pub totals: DayFigures,
}

impl Summary {
    /// Sums the figures of the days within `from..=to` (the others are
    /// ignored; a day given twice counts twice).
    pub fn of(from: Date, to: Date, days: &[DayFigures]) -> Summary {
        let mut totals = DayFigures::empty(from);
        for figures in days.iter().filter(|f| from <= f.day && f.day <= to) {
            totals.absorb(figures);
        }
        Summary {
            from,
            to,
            days: days_from_to(from, to),
            totals,
        }
    }

    /// Contacts declared per new case over the period.
    pub fn contacts_per_case(&self) -> Option<f64> {
        self.totals.contacts_per_case()
    }

    /// See [`DayFigures::share_listed_before_call`].
    pub fn share_listed_before_call(&self) -> Option<f64> {
        self.totals.share_listed_before_call()
    }

    /// See [`DayFigures::share_cases_reached`].
    pub fn share_cases_reached(&self) -> Option<f64> {
        self.totals.share_cases_reached()
    }

    /// See [`DayFigures::share_contacts_reached`].
    pub fn share_contacts_reached(&self) -> Option<f64> {
        self.totals.share_contacts_reached()
    }
}

/// `part / whole`; `None` when `whole` is 0 (nothing to divide: the page
/// shows "—", not 0).
pub fn ratio(part: u64, whole: u64) -> Option<f64> {
    (whole > 0).then(|| part as f64 / whole as f64)
}

/// The share `part / whole` of something `part` counts a subset of, in
/// 0..=1: a part larger than the whole (counts that disagree, e.g. taken
/// at different instants) reads as 100 %, never more. `None` when `whole`
/// is 0.
pub fn share(part: u64, whole: u64) -> Option<f64> {
    ratio(part.min(whole), whole)
}

/// The number of days from `from` to `to` inclusive; 0 when `to` is before
/// `from`.
pub(super) fn days_from_to(from: Date, to: Date) -> u32 {
    let span = (to - from).whole_days();
    if span < 0 {
        0
    } else {
        u32::try_from(span + 1).unwrap_or(u32::MAX)
    }
}
