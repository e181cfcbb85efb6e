//! The supervisor dashboard's figures, the pure part: per-day counts and
//! delay histograms, summed over a period, their ratios, the period form,
//! the CSV export, numbers written the local way and the charts' geometry.
//!
//! A day's figures are a *cohort*: the cases created that day (Europe/Paris)
//! and what became of them since. The store computes them; this module only
//! does the arithmetic and the shapes, so that the page and the export agree.
//!
//! ```
//! use relais::dates::ymd;
//! use relais::figures::{percent_text, DayFigures, Histogram, Summary};
//! use relais::Lang;
//! let day = ymd(2026, 3, 2).expect("a date");
//! let mut monday = DayFigures::empty(day);
//! monday.cases = 8;
//! monday.cases_reached = 6;
//! monday.sample_to_call = Histogram::decode("20:1,30:2,70:1").expect("canonical");
//! let summary = Summary::of(day, day, &[monday]);
//! assert_eq!(summary.totals.sample_to_call.median(), Some(30));
//! assert_eq!(percent_text(summary.share_cases_reached(), Lang::Fr), "75,0 %");
//! ```

pub mod chart;
mod cohort;
mod histogram;
mod period;
mod text;

pub use chart::{bar_chart, nice_max, share_chart, Bar, BarChart, DayLabel, LineChart, Tick};
pub use cohort::{ratio, share, DayFigures, Summary};
pub use histogram::{Histogram, MalformedHistogram};
pub use period::{
    every_day, parse_period, Period, PeriodError, DEFAULT_PERIOD_DAYS, MAX_PERIOD_DAYS,
};
pub use text::{csv, decimal_text, hours_text, percent_text, CSV_COLUMNS};

#[cfg(test)]
mod tests;
