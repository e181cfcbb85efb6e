//! The contagious window's shape: its two days and what set each end.

use crate::names::named_enum;
use crate::situation::J0Basis;
use serde::{Deserialize, Serialize};
use time::Date;

named_enum! {
    /// What closes the contagious window.
    pub enum WindowEnd: "window end" {
        /// The day the case began isolating, as declared.
        IsolationStart = "isolation_start",
        /// Not declared: the later of J0 and the sample date (a case isolates
        /// at the latest when symptoms begin or when tested).
        LaterOfJ0AndSample = "later_of_j0_and_sample",
    }
}

/// The days the case was contagious, both ends inclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ContagiousWindow {
    /// The first day: onset − `days_before` or, without symptoms, sample − `days_before`.
    pub start: Date,
    /// The last day: the day isolation began (see [`WindowEnd`]); never before `start`.
    pub end: Date,
    /// Whether `start` counts from the onset or from the sample.
    pub start_basis: J0Basis,
    /// How many days before J0 the window opens.
    pub days_before: u32,
    /// What closes the window.
    pub end_basis: WindowEnd,
}

impl ContagiousWindow {
    /// Whether `day` is within the window.
    pub fn contains(&self, day: Date) -> bool {
        self.start <= day && day <= self.end
    }
}
