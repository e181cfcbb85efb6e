//! The dashboard's period: the two date fields of its form, their
//! defaults and limits, and the days it covers.

use super::cohort::{days_from_to, DayFigures};
use crate::dates::add_days;
use crate::desk::review::parse_day;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use time::Date;

/// The default period: the 14 days ending today.
pub const DEFAULT_PERIOD_DAYS: u32 = 14;
/// The longest period shown at once, in days (a leap year).
pub const MAX_PERIOD_DAYS: u32 = 366;

/// The chosen period of the dashboard, `from` to `to` inclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Period {
    /// The first day.
    pub from: Date,
    /// The last day (inclusive).
    pub to: Date,
}

/// What is wrong with the period as typed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PeriodError {
    /// The field (`"from"` or `"to"`) is not a date (YYYY-MM-DD or
    /// DD/MM/YYYY).
    NotADate(&'static str),
    /// The period ends before it starts.
    EndsBeforeStart,
    /// The period is longer than [`MAX_PERIOD_DAYS`].
    TooLong,
}

impl PeriodError {
    /// The form field the error is about: `"from"` or `"to"` (the end is
    /// the one to move when the period is reversed or too long).
    pub fn field(self) -> &'static str {
        match self {
            PeriodError::NotADate(field) => field,
            PeriodError::EndsBeforeStart | PeriodError::TooLong => "to",
        }
    }
}

impl Period {
    /// The default period: the [`DEFAULT_PERIOD_DAYS`] days ending on `to`.
    pub fn ending_on(to: Date) -> Period {
        Period {
            from: add_days(to, 1 - i64::from(DEFAULT_PERIOD_DAYS)),
            to,
        }
    }

    /// Every day of the period, in order.
    pub fn days(&self) -> impl Iterator<Item = Date> {
        crate::dates::days_from(self.from).take(self.len() as usize)
    }

    /// The number of days, `from` and `to` included; 0 when `to` is before
    /// `from`.
    pub fn len(&self) -> u32 {
        days_from_to(self.from, self.to)
    }

    /// Whether the period has no day (`to` before `from`).
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Whether `day` is within the period.
    pub fn contains(&self, day: Date) -> bool {
        self.from <= day && day <= self.to
    }
}

/// The period as typed in the form (`du`, `au`); empty fields default: `to`
/// = today, `from` = to − 13 days. Errors: every problem at once, `from`'s
/// first.
pub fn parse_period(from: &str, to: &str, today: Date) -> Result<Period, Vec<PeriodError>> {
    let from = date_field(from, "from");
    let to = date_field(to, "to");
    let (from, to) = match (from, to) {
        (Ok(from), Ok(to)) => (from, to.unwrap_or(today)),
        (from, to) => return Err([from.err(), to.err()].into_iter().flatten().collect()),
    };
    let period = from.map_or_else(|| Period::ending_on(to), |from| Period { from, to });
    if period.to < period.from {
        Err(vec![PeriodError::EndsBeforeStart])
    } else if period.len() > MAX_PERIOD_DAYS {
        Err(vec![PeriodError::TooLong])
    } else {
        Ok(period)
    }
}

/// A date field: `None` when left empty.
fn date_field(text: &str, field: &'static str) -> Result<Option<Date>, PeriodError> {
    if text.trim().is_empty() {
        Ok(None)
    } else {
        parse_day(text)
            .map(Some)
            .ok_or(PeriodError::NotADate(field))
    }
}

/// Fills the days of the period that have no figures with empty ones, in
/// day order (the chart and the table show every day). Figures outside
/// the period are left out; two figures of the same day are added up.
pub fn every_day(period: Period, known: &[DayFigures]) -> Vec<DayFigures> {
    let mut by_day: BTreeMap<Date, DayFigures> = period
        .days()
        .map(|day| (day, DayFigures::empty(day)))
        .collect();
    for figures in known {
        if let Some(slot) = by_day.get_mut(&figures.day) {
            slot.absorb(figures);
        }
    }
    by_day.into_values().collect()
}

#[cfg(test)]
mod tests;
