//! What a case and a contact say about themselves: the inputs of the rules.

use crate::names::named_enum;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use time::Date;

named_enum! {
    /// A way of meeting the case that may transmit the virus (the criteria of
    /// Santé publique France, late 2020). Which of them count as at risk is
    /// rule-set data (`contact.at_risk_exposures`).
    pub enum ExposureKind: "exposure kind" {
        /// Direct face-to-face contact within 1 metre, whatever the duration
        /// (conversation, meal, hug; not people merely passed in the street).
        FaceToFace = "face_to_face",
        /// Gave or received care or hygiene help.
        CareOrHygiene = "care_or_hygiene",
        /// Shared a closed space (office, meeting room, car) for at least 15
        /// minutes, consecutive or summed over 24 hours.
        ClosedSpace15Min = "closed_space_15min",
        /// Face to face during a bout of coughing or sneezing.
        CoughSneeze = "cough_sneeze",
    }
}

named_enum! {
    /// A protection in place during the whole contact. Which of them
    /// neutralise an exposure is rule-set data
    /// (`contact.neutralising_protections`).
    pub enum Protection: "protection" {
        /// A surgical or FFP2 mask worn by the case.
        CaseMask = "case_mask",
        /// A surgical or FFP2 mask worn by the contact.
        ContactMask = "contact_mask",
        /// A physical screen (glass, hygiaphone) between them.
        PhysicalScreen = "physical_screen",
    }
}

named_enum! {
    /// A contact's vaccination status, used by rule sets that exempt fully
    /// vaccinated contacts from quarantine (`contact.fully_vaccinated_skip_quarantine`).
    #[derive(Default)]
    pub enum VaccinationStatus: "vaccination status" {
        /// Not said (the default: treated like not vaccinated).
        #[default]
        Unknown = "unknown",
        /// Not vaccinated, or not completely.
        NotVaccinated = "not_vaccinated",
        /// Completely vaccinated.
        FullyVaccinated = "fully_vaccinated",
    }
}

named_enum! {
    /// Which date J0 is: the day symptoms began, or, for a case without
    /// symptoms, the day of the positive sample.
    pub enum J0Basis: "J0 basis" {
        /// J0 is the day of symptom onset.
        SymptomOnset = "symptom_onset",
        /// J0 is the day of the positive sample (no symptoms).
        Sample = "sample",
    }
}

/// What the case (P0) says about their illness.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CaseSituation {
    /// The day symptoms began; `None` for a case without symptoms.
    pub symptom_onset: Option<Date>,
    /// The day of the positive sample.
    pub sample_date: Date,
    /// The day the case began isolating, when known. It closes the contagious
    /// window (see [`crate::rules::ContagiousWindow`]).
    #[serde(default)]
    pub isolation_start: Option<Date>,
}

impl CaseSituation {
    /// J0: the day of symptom onset or, without symptoms, of the sample.
    pub fn j0(&self) -> Date {
        self.symptom_onset.unwrap_or(self.sample_date)
    }

    /// Which date J0 is.
    pub fn j0_basis(&self) -> J0Basis {
        match self.symptom_onset {
            Some(_) => J0Basis::SymptomOnset,
            None => J0Basis::Sample,
        }
    }
}

/// What a contact (PC) and the case say about how they met.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContactExposure {
    /// Shares the case's home.
    #[serde(default)]
    pub household: bool,
    /// The ways they met (none for a household member who only shares the home).
    #[serde(default)]
    pub exposures: BTreeSet<ExposureKind>,
    /// The protections in place during the whole contact.
    #[serde(default)]
    pub protection: BTreeSet<Protection>,
    /// The last day they met.
    pub last_contact: Date,
    /// Under 18: a parent acts for them (and may get the sick leave).
    #[serde(default)]
    pub minor: bool,
    /// Vaccination status, used by later rule sets.
    #[serde(default)]
    pub vaccination: VaccinationStatus,
}

impl ContactExposure {
    /// A contact who is not a household member, met on `last_contact`, with
    /// no exposure and no protection yet: the starting point of a form row.
    pub fn met_on(last_contact: Date) -> Self {
        ContactExposure {
            household: false,
            exposures: BTreeSet::new(),
            protection: BTreeSet::new(),
            last_contact,
            minor: false,
            vaccination: VaccinationStatus::Unknown,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_match_serde() {
        for kind in ExposureKind::ALL {
            assert_eq!(kind.as_str().parse::<ExposureKind>(), Ok(*kind));
            let json = serde_json::to_string(kind).expect("serialises");
            assert_eq!(json, format!("\"{}\"", kind.as_str()));
            assert_eq!(
                serde_json::from_str::<ExposureKind>(&json).ok(),
                Some(*kind)
            );
        }
        for p in Protection::ALL {
            assert_eq!(p.as_str().parse::<Protection>(), Ok(*p));
        }
        for v in VaccinationStatus::ALL {
            assert_eq!(v.as_str().parse::<VaccinationStatus>(), Ok(*v));
        }
        assert_eq!(
            ExposureKind::ClosedSpace15Min.as_str(),
            "closed_space_15min"
        );
        assert_eq!(Protection::PhysicalScreen.to_string(), "physical_screen");
    }

    #[test]
    fn unknown_names_list_the_valid_ones() {
        let err = "hug".parse::<ExposureKind>().unwrap_err();
        assert_eq!(
            err.to_string(),
            "unknown exposure kind \"hug\" (expected one of: face_to_face, care_or_hygiene, \
             closed_space_15min, cough_sneeze)"
        );
        let err = serde_json::from_str::<Protection>("\"mask\"").unwrap_err();
        assert!(err
            .to_string()
            .contains("case_mask, contact_mask, physical_screen"));
    }

    #[test]
    fn j0_is_onset_or_sample() {
        let d = |s: &str| crate::dates::parse_iso(s).expect("date");
        let mut case = CaseSituation {
            symptom_onset: Some(d("2020-11-10")),
            sample_date: d("2020-11-12"),
            isolation_start: None,
        };
        assert_eq!(case.j0(), d("2020-11-10"));
        assert_eq!(case.j0_basis(), J0Basis::SymptomOnset);
        case.symptom_onset = None;
        assert_eq!(case.j0(), d("2020-11-12"));
        assert_eq!(case.j0_basis(), J0Basis::Sample);
    }
}
