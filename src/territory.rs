//! Territories: the départements (mainland and overseas) and the regions
//! they belong to — the reference data each case is filed under.
//!
//! - [`DepartementCode`]: the 101 codes, `01` to `95` (without `20`), `2A`
//!   and `2B` (Corsica), `971` to `974` and `976`; nothing else parses.
//!   [`RegionCode`]: two digits.
//! - [`Territories`]: the lists themselves (names and regions), read from
//!   two CSV texts ([`Territories::parse`], every problem with its file and
//!   line) or built from stored rows ([`Territories::new`]). The shipped
//!   lists ([`Territories::shipped`], `territories/*.csv`) are what the
//!   database starts with; an operator replaces them without a rebuild.
//! - [`departement_of_postcode`]: the département a postcode belongs to.
//!
//! Pure: no I/O. The server keeps the lists of its database.

mod csv;
mod entry;
mod error;
mod lists;
mod postcode;
#[cfg(test)]
mod tests;
mod zone;

pub use entry::{
    Departement, DepartementCode, NotADepartementCode, NotARegionCode, Region, RegionCode,
    MAX_NAME_CHARS,
};
pub use error::{Problem, TerritoryError, TerritoryErrors, TerritoryFile};
pub use lists::{Territories, SHIPPED_DEPARTEMENTS_CSV, SHIPPED_REGIONS_CSV};
pub use postcode::{departement_of_postcode, is_postcode};
pub use zone::{BadZone, Zone};
