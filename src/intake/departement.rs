//! The département of an intake item: its `departement` field when given
//! (it wins), else the département of its `postcode`, each checked against
//! the territories in force; neither given is no département (as every
//! item was before the fields existed).

use crate::territory::{is_postcode, DepartementCode, Territories};

/// The field of the département's code, as in the API and the CSV header.
pub const DEPARTEMENT: &str = "departement";
/// The field of the address's postcode.
pub const POSTCODE: &str = "postcode";

/// A problem of one of the two fields: the field, a stable machine reason
/// and an English message that says what to send (never the value).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Problem {
    pub field: &'static str,
    pub reason: &'static str,
    pub message: &'static str,
}

fn unknown_departement(text: &str) -> Problem {
    Problem {
        field: DEPARTEMENT,
        reason: "unknown_departement",
        message: if text == "20" {
            // Corsica's code before 1976: still typed.
            "Corsica is two départements: 2A (Corse-du-Sud) or 2B (Haute-Corse)"
        } else {
            "expected the code of a département of the list: 01 to 95, 2A, 2B, 971 to 974 or \
             976 (with the leading zero)"
        },
    }
}

const NOT_A_POSTCODE: Problem = Problem {
    field: POSTCODE,
    reason: "not_a_postcode",
    message: "expected a French postcode of 5 digits (with the leading zero: 01000)",
};

const UNKNOWN_POSTCODE: Problem = Problem {
    field: POSTCODE,
    reason: "unknown_postcode",
    message: "this postcode is in no département of the list (Saint-Pierre-et-Miquelon, \
              Monaco and the overseas collectivities of the Pacific are not served); give the \
              departement field",
};

/// The item's département from the two fields as sent, trimmed (`None`:
/// absent or blank): `Ok(None)` when neither is given; the problems, in
/// field order, otherwise. A postcode is checked for its form even when
/// the département is given; it is not kept.
pub fn departement(
    departement: Option<&str>,
    postcode: Option<&str>,
    territories: &Territories,
) -> Result<Option<DepartementCode>, Vec<Problem>> {
    let given = departement.map(|text| {
        DepartementCode::parse(text)
            .ok()
            .filter(|code| territories.departement(*code).is_some())
            .ok_or_else(|| unknown_departement(text))
    });
    let well_formed = postcode.filter(|text| is_postcode(text));
    let mut problems = Vec::new();
    let found = match given {
        Some(Ok(code)) => Some(code),
        Some(Err(problem)) => {
            problems.push(problem);
            None
        }
        None => match well_formed {
            Some(text) => match territories.departement_of_postcode(text) {
                Some(d) => Some(d.code),
                None => {
                    problems.push(UNKNOWN_POSTCODE);
                    None
                }
            },
            None => None,
        },
    };
    if postcode.is_some() && well_formed.is_none() {
        problems.push(NOT_A_POSTCODE);
    }
    if problems.is_empty() {
        Ok(found)
    } else {
        Err(problems)
    }
}
