//! Staff roles. Every staff page and server function checks the role on the
//! server; the browser is never trusted with it.

use serde::{Deserialize, Serialize};
use std::str::FromStr;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum StaffRole {
    /// Calls cases, reviews and validates their contact lists.
    Tracer,
    /// Watches the figures; can also do a tracer's work.
    Supervisor,
    /// Manages accounts and reads the audit log; can do everything.
    Admin,
}

impl StaffRole {
    pub const ALL: [StaffRole; 3] = [StaffRole::Tracer, StaffRole::Supervisor, StaffRole::Admin];

    pub fn as_str(self) -> &'static str {
        match self {
            StaffRole::Tracer => "tracer",
            StaffRole::Supervisor => "supervisor",
            StaffRole::Admin => "admin",
        }
    }

    /// True when this role may do what `required` may do.
    pub fn includes(self, required: StaffRole) -> bool {
        self.rank() >= required.rank()
    }

    fn rank(self) -> u8 {
        match self {
            StaffRole::Tracer => 0,
            StaffRole::Supervisor => 1,
            StaffRole::Admin => 2,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown role (expected tracer, supervisor or admin)")]
pub struct UnknownRole;

impl FromStr for StaffRole {
    type Err = UnknownRole;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        StaffRole::ALL
            .into_iter()
            .find(|r| r.as_str() == s.trim())
            .ok_or(UnknownRole)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_parse_and_nest() {
        for role in StaffRole::ALL {
            assert_eq!(role.as_str().parse::<StaffRole>(), Ok(role));
            assert!(role.includes(StaffRole::Tracer));
        }
        assert!("root".parse::<StaffRole>().is_err());
        assert!(!StaffRole::Tracer.includes(StaffRole::Admin));
        assert!(!StaffRole::Supervisor.includes(StaffRole::Admin));
        assert!(StaffRole::Admin.includes(StaffRole::Supervisor));
    }
}
