//! How a contact is classified, and who that makes them.

use crate::doctrine::Audience;
use crate::names::named_enum;

named_enum! {
    /// How a contact is classified.
    pub enum Classification: "classification" {
        /// At risk: quarantine and tests.
        AtRisk = "at_risk",
        /// Negligible risk: general advice only.
        Negligible = "negligible",
        /// Met only outside the case's contagious window: not at risk.
        OutsideWindow = "outside_window",
    }
}

impl Classification {
    /// Whether the contact must quarantine and be tested.
    pub fn is_at_risk(self) -> bool {
        self == Classification::AtRisk
    }

    /// Who the contact is, for the rights shown.
    pub fn audience(self) -> Audience {
        match self {
            Classification::AtRisk => Audience::AtRiskContact,
            Classification::Negligible | Classification::OutsideWindow => {
                Audience::NegligibleContact
            }
        }
    }
}
