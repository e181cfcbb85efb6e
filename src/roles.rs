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
    /// Manages accounts and reads the audit log; can do everything a
    /// tracer or a supervisor can.
    Admin,
    /// A member of an isolation-support cell: works the cell's requests
    /// for help, and nothing else (never a case's contacts, places or
    /// tests). No other role does a support member's work.
    Support,
}

impl StaffRole {
    pub const ALL: [StaffRole; 4] = [
        StaffRole::Tracer,
        StaffRole::Supervisor,
        StaffRole::Admin,
        StaffRole::Support,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            StaffRole::Tracer => "tracer",
            StaffRole::Supervisor => "supervisor",
            StaffRole::Admin => "admin",
            StaffRole::Support => "support",
        }
    }

    /// True when this role may do what `required` may do: the tracing
    /// roles nest (admin ⊃ supervisor ⊃ tracer); support stands apart.
    pub fn includes(self, required: StaffRole) -> bool {
        match (self.rank(), required.rank()) {
            (Some(mine), Some(needed)) => mine >= needed,
            _ => self == required,
        }
    }

    /// The place in the tracing roles' chain; `None` for support.
    fn rank(self) -> Option<u8> {
        match self {
            StaffRole::Tracer => Some(0),
            StaffRole::Supervisor => Some(1),
            StaffRole::Admin => Some(2),
            StaffRole::Support => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown role (expected tracer, supervisor, admin or support)")]
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
            assert!(role.includes(role));
            assert_eq!(role.includes(StaffRole::Tracer), role != StaffRole::Support);
            assert_eq!(
                role.includes(StaffRole::Support),
                role == StaffRole::Support,
                "no one else works a support cell's requests"
            );
        }
        assert!("root".parse::<StaffRole>().is_err());
        assert!(!StaffRole::Tracer.includes(StaffRole::Admin));
        assert!(!StaffRole::Supervisor.includes(StaffRole::Admin));
        assert!(StaffRole::Admin.includes(StaffRole::Supervisor));
    }
}
