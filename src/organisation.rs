//! Organisations: the teams staff belong to, what they cover, and who may
//! manage or lend what. A local health insurance fund covers its
//! département(s), a regional health agency its region's, a prefecture's
//! isolation-support cell one département; the national organisation covers
//! the whole country. Staff see the cases of what their organisation covers,
//! plus the cases lent to it.

use crate::ids::OrganisationId;
use crate::territory::DepartementCode;
use serde::{Deserialize, Serialize};
use std::str::FromStr;

/// What an organisation is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OrganisationKind {
    /// A local health insurance fund (one per département): calls cases.
    Fund,
    /// A regional health agency: clusters of its region.
    Agency,
    /// A prefecture's isolation-support cell (one département).
    SupportCell,
    /// The national organisation: the whole country.
    National,
}

impl OrganisationKind {
    pub const ALL: [OrganisationKind; 4] = [
        OrganisationKind::Fund,
        OrganisationKind::Agency,
        OrganisationKind::SupportCell,
        OrganisationKind::National,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            OrganisationKind::Fund => "fund",
            OrganisationKind::Agency => "agency",
            OrganisationKind::SupportCell => "support_cell",
            OrganisationKind::National => "national",
        }
    }

    /// True for the national organisation, which covers every département.
    pub fn is_national(self) -> bool {
        self == OrganisationKind::National
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown organisation kind (expected fund, agency, support_cell or national)")]
pub struct UnknownKind;

impl FromStr for OrganisationKind {
    type Err = UnknownKind;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.trim();
        OrganisationKind::ALL
            .into_iter()
            .find(|k| k.as_str() == s || (s == "support-cell" && *k == Self::SupportCell))
            .ok_or(UnknownKind)
    }
}

/// Why an organisation cannot be created as asked.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OrganisationError {
    #[error("the name is empty or longer than {max} characters", max = NAME_MAX)]
    Name,
    #[error("a national organisation covers the whole country: give it no territory")]
    NationalWithTerritories,
    #[error("a local organisation covers at least one département")]
    NoTerritory,
    #[error("a support cell covers exactly one département")]
    SupportCellCoversOne,
}

/// The longest organisation name.
pub const NAME_MAX: usize = 120;

/// A checked organisation: name, kind and the départements it covers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewOrganisation {
    pub kind: OrganisationKind,
    pub name: String,
    pub departements: Vec<DepartementCode>,
}

impl NewOrganisation {
    /// Checks the name (trimmed, 1 to [`NAME_MAX`] characters, no control
    /// character) and that the territories fit the kind; the départements are
    /// sorted and deduplicated.
    pub fn new(
        kind: OrganisationKind,
        name: &str,
        mut departements: Vec<DepartementCode>,
    ) -> Result<NewOrganisation, OrganisationError> {
        let name = name.trim();
        if name.is_empty() || name.chars().count() > NAME_MAX || name.chars().any(char::is_control)
        {
            return Err(OrganisationError::Name);
        }
        departements.sort();
        departements.dedup();
        match (kind, departements.len()) {
            (OrganisationKind::National, 0) => {}
            (OrganisationKind::National, _) => {
                return Err(OrganisationError::NationalWithTerritories)
            }
            (_, 0) => return Err(OrganisationError::NoTerritory),
            (OrganisationKind::SupportCell, 1) => {}
            (OrganisationKind::SupportCell, _) => {
                return Err(OrganisationError::SupportCellCoversOne)
            }
            _ => {}
        }
        Ok(NewOrganisation {
            kind,
            name: name.to_owned(),
            departements,
        })
    }
}

/// The organisation a staff member acts for, as access checks need it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Membership {
    pub organisation: OrganisationId,
    pub kind: OrganisationKind,
}

impl Membership {
    /// An admin of `self` may manage the accounts of `target`: a national
    /// admin every organisation, a local admin only their own.
    pub fn may_manage(self, target: OrganisationId) -> bool {
        self.kind.is_national() || self.organisation == target
    }

    /// A supervisor of `self` may lend the cases of `from` (a national
    /// supervisor any organisation's, a fund's supervisor its own queue's)
    /// to `to`, another organisation.
    pub fn may_lend(self, from: OrganisationId, to: OrganisationId) -> bool {
        from != to && (self.kind.is_national() || self.organisation == from)
    }
}

/// Whether a staff member of `role` may belong to an organisation of
/// `kind`: a support member only to an isolation-support cell, and a
/// support cell holds no tracer or supervisor (its members see none of the
/// cases' tracing; its admin manages its accounts).
pub fn role_fits(kind: OrganisationKind, role: crate::roles::StaffRole) -> bool {
    use crate::roles::StaffRole;
    match role {
        StaffRole::Support => kind == OrganisationKind::SupportCell,
        StaffRole::Tracer | StaffRole::Supervisor => kind != OrganisationKind::SupportCell,
        StaffRole::Admin => true,
    }
}

/// The most cases one lend moves (a page of the form; a bigger peak takes
/// several lends, each audited).
pub const LEND_MAX: u32 = 50_000;

/// Why a number of cases to lend is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("a whole number of cases from 1 to {max}", max = LEND_MAX)]
pub struct BadLendSize;

/// The number of cases to lend, as typed ("2000", "2 000", "2,000").
pub fn parse_lend_size(text: &str) -> Result<u32, BadLendSize> {
    let digits: String = text
        .trim()
        .chars()
        .filter(|c| !matches!(c, ' ' | '\u{a0}' | '\u{202f}' | ',' | '.' | '_'))
        .collect();
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) || digits.len() > 9 {
        return Err(BadLendSize);
    }
    match digits.parse::<u32>() {
        Ok(n) if (1..=LEND_MAX).contains(&n) => Ok(n),
        _ => Err(BadLendSize),
    }
}

/// The most days a share of new cases may be lent for.
pub const SHARE_DAYS_MAX: u32 = 31;

/// Why a share of new cases or its period is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum BadShare {
    #[error("a share from 1 to 100 per cent")]
    Share,
    #[error("a period from 1 to {max} days", max = SHARE_DAYS_MAX)]
    Days,
}

/// A share of new cases as typed ("30", "30 %", "30%"): 1 to 100.
pub fn parse_share(text: &str) -> Result<u8, BadShare> {
    let digits = text.trim().trim_end_matches('%').trim();
    if digits.is_empty() || digits.len() > 3 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(BadShare::Share);
    }
    match digits.parse::<u8>() {
        Ok(n) if (1..=100).contains(&n) => Ok(n),
        _ => Err(BadShare::Share),
    }
}

/// A period in days as typed: 1 to [`SHARE_DAYS_MAX`].
pub fn parse_share_days(text: &str) -> Result<u32, BadShare> {
    let digits = text.trim();
    if digits.is_empty() || digits.len() > 3 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(BadShare::Days);
    }
    match digits.parse::<u32>() {
        Ok(n) if (1..=SHARE_DAYS_MAX).contains(&n) => Ok(n),
        _ => Err(BadShare::Days),
    }
}

/// Whether the case `id` falls in a share of `share` per cent: the cases
/// whose id modulo 100 is below the share, so that any 100 consecutive new
/// cases give exactly `share` of them.
pub fn in_share(id: i64, share: u8) -> bool {
    id.rem_euclid(100) < i64::from(share)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn dep(code: &str) -> DepartementCode {
        DepartementCode::parse(code).expect("a département")
    }

    #[test]
    fn kinds_parse_back() {
        for kind in OrganisationKind::ALL {
            assert_eq!(kind.as_str().parse::<OrganisationKind>(), Ok(kind));
        }
        assert_eq!(
            "support-cell".parse::<OrganisationKind>(),
            Ok(OrganisationKind::SupportCell)
        );
        assert!("prefecture".parse::<OrganisationKind>().is_err());
        assert!(OrganisationKind::National.is_national());
        assert!(!OrganisationKind::Fund.is_national());
    }

    #[test]
    fn territories_fit_the_kind() {
        use OrganisationKind::*;
        assert!(NewOrganisation::new(National, "National", vec![]).is_ok());
        assert_eq!(
            NewOrganisation::new(National, "National", vec![dep("80")]),
            Err(OrganisationError::NationalWithTerritories)
        );
        assert_eq!(
            NewOrganisation::new(Fund, "CPAM de la Somme", vec![]),
            Err(OrganisationError::NoTerritory)
        );
        assert_eq!(
            NewOrganisation::new(SupportCell, "Cellule", vec![dep("80"), dep("60")]),
            Err(OrganisationError::SupportCellCoversOne)
        );
        let agency = NewOrganisation::new(
            Agency,
            " ARS Hauts-de-France ",
            vec![dep("80"), dep("60"), dep("80")],
        )
        .expect("an agency");
        assert_eq!(agency.name, "ARS Hauts-de-France");
        assert_eq!(agency.departements, vec![dep("60"), dep("80")]);
        assert_eq!(
            NewOrganisation::new(Fund, "  ", vec![dep("80")]),
            Err(OrganisationError::Name)
        );
        assert_eq!(
            NewOrganisation::new(Fund, "a\u{7}b", vec![dep("80")]),
            Err(OrganisationError::Name)
        );
        assert_eq!(
            NewOrganisation::new(Fund, &"x".repeat(NAME_MAX + 1), vec![dep("80")]),
            Err(OrganisationError::Name)
        );
    }

    #[test]
    fn who_manages_and_lends_what() {
        let national = Membership {
            organisation: OrganisationId(1),
            kind: OrganisationKind::National,
        };
        let oise = Membership {
            organisation: OrganisationId(2),
            kind: OrganisationKind::Fund,
        };
        let somme = OrganisationId(3);
        assert!(national.may_manage(somme));
        assert!(oise.may_manage(OrganisationId(2)));
        assert!(!oise.may_manage(somme));
        assert!(national.may_lend(OrganisationId(2), somme));
        assert!(oise.may_lend(OrganisationId(2), somme));
        assert!(!oise.may_lend(somme, OrganisationId(2)));
        assert!(!national.may_lend(somme, somme));
    }

    #[test]
    fn lend_sizes() {
        assert_eq!(parse_lend_size("2000"), Ok(2000));
        assert_eq!(parse_lend_size(" 2 000 "), Ok(2000));
        assert_eq!(parse_lend_size("2,000"), Ok(2000));
        assert_eq!(parse_lend_size("2\u{202f}000"), Ok(2000));
        for bad in ["", "0", "-5", "abc", "50001", "99999999999", "1e3"] {
            assert_eq!(parse_lend_size(bad), Err(BadLendSize), "{bad}");
        }
    }

    #[test]
    fn shares_and_days() {
        assert_eq!(parse_share("30"), Ok(30));
        assert_eq!(parse_share(" 30 % "), Ok(30));
        assert_eq!(parse_share("100%"), Ok(100));
        for bad in ["", "0", "101", "-3", "3.5", "%", "1000"] {
            assert_eq!(parse_share(bad), Err(BadShare::Share), "{bad}");
        }
        assert_eq!(parse_share_days("7"), Ok(7));
        for bad in ["", "0", "32", "x", "-1"] {
            assert_eq!(parse_share_days(bad), Err(BadShare::Days), "{bad}");
        }
    }

    proptest! {
        #[test]
        fn any_100_consecutive_ids_give_exactly_the_share(start in 0i64..1_000_000_000, share in 1u8..=100) {
            let n = (start..start + 100).filter(|id| in_share(*id, share)).count();
            prop_assert_eq!(n, usize::from(share));
        }

        #[test]
        fn every_size_in_range_parses_back(n in 1u32..=LEND_MAX) {
            prop_assert_eq!(parse_lend_size(&n.to_string()), Ok(n));
        }

        #[test]
        fn parsing_never_panics_and_stays_in_range(s in ".{0,20}") {
            if let Ok(n) = parse_lend_size(&s) {
                prop_assert!((1..=LEND_MAX).contains(&n));
            }
        }
    }

    #[test]
    fn support_members_belong_to_support_cells_and_tracers_do_not() {
        use crate::roles::StaffRole;
        for kind in OrganisationKind::ALL {
            let cell = kind == OrganisationKind::SupportCell;
            assert_eq!(role_fits(kind, StaffRole::Support), cell, "{kind:?}");
            assert_eq!(role_fits(kind, StaffRole::Tracer), !cell, "{kind:?}");
            assert_eq!(role_fits(kind, StaffRole::Supervisor), !cell, "{kind:?}");
            assert!(role_fits(kind, StaffRole::Admin), "{kind:?}");
        }
    }
}
