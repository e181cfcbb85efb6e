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
    /// A person's vaccination, as they (or the case, for a contact) say it.
    /// Used by the rule sets from July 2021 only.
    #[derive(Default)]
    pub enum VaccinationStatus: "vaccination status" {
        /// Not said, or "I don't know" (the default: treated like not
        /// vaccinated).
        #[default]
        Unknown = "unknown",
        /// Not vaccinated, or not completely.
        NotVaccinated = "not_vaccinated",
        /// The vaccination schedule is complete (booster included when due).
        FullyVaccinated = "fully_vaccinated",
    }
}

named_enum! {
    /// A person's age band: a rule set may treat children differently.
    #[derive(Default)]
    pub enum AgeBand: "age band" {
        /// An adult (the default).
        #[default]
        Adult = "adult",
        /// From 12 to 17 years old.
        From12To17 = "12_17",
        /// Under 12 years old.
        Under12 = "under_12",
    }
}

named_enum! {
    /// The result of a test, as the person reports it.
    pub enum TestResult: "test result" {
        /// Negative: the virus was not found.
        Negative = "negative",
        /// Positive: the contact becomes a case.
        Positive = "positive",
        /// Not known yet.
        Pending = "pending",
    }
}

/// Days after the last dose before a complete schedule counts: 7, or 28
/// for a single-dose vaccine (the rules of July 2021 on).
pub const VACCINATION_DELAY_DAYS: i64 = 7;
/// [`VACCINATION_DELAY_DAYS`] for a single-dose vaccine.
pub const SINGLE_DOSE_DELAY_DAYS: i64 = 28;

/// Whether a vaccination counts on `day`: a complete schedule whose last
/// dose is old enough (7 days, 28 for a single-dose vaccine), of someone
/// not severely immunocompromised (who is treated as not vaccinated,
/// whatever the doses). A complete schedule without the date of the last
/// dose counts: the date is asked by the forms, not always known by
/// whoever declares (a scenario, a case speaking for a contact).
pub fn vaccination_counts(
    status: VaccinationStatus,
    last_dose: Option<Date>,
    single_dose: bool,
    immunocompromised: bool,
    day: Date,
) -> bool {
    status == VaccinationStatus::FullyVaccinated
        && !immunocompromised
        && last_dose.is_none_or(|dose| day >= vaccination_counts_from(dose, single_dose))
}

/// The first day a complete schedule whose last dose was on `last_dose`
/// counts.
pub fn vaccination_counts_from(last_dose: Date, single_dose: bool) -> Date {
    let delay = if single_dose {
        SINGLE_DOSE_DELAY_DAYS
    } else {
        VACCINATION_DELAY_DAYS
    };
    crate::dates::add_days(last_dose, delay)
}

/// A test the case took to end their isolation early (rules of January
/// 2022): the day of the sample, its result, and whether the case has had
/// no symptoms for 48 hours.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReleaseTest {
    /// The day the antigen or PCR sample was taken.
    pub sampled_on: Date,
    pub result: TestResult,
    /// No symptoms for the last 48 hours, as the case says.
    pub symptom_free_48h: bool,
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
    /// The case's own vaccination (rule sets from January 2022).
    #[serde(default)]
    pub vaccination: VaccinationStatus,
    /// The day of the case's last dose, when said.
    #[serde(default)]
    pub last_dose: Option<Date>,
    /// The case's age band (children under 12 isolate like the vaccinated
    /// from January 2022).
    #[serde(default)]
    pub age_band: AgeBand,
    /// The test the case took to end isolation early, if any.
    #[serde(default)]
    pub release_test: Option<ReleaseTest>,
}

impl CaseSituation {
    /// J0: the day of symptom onset or, without symptoms, of the sample.
    pub fn j0(&self) -> Date {
        self.symptom_onset.unwrap_or(self.sample_date)
    }

    /// A case with these dates and nothing else said.
    pub fn new(symptom_onset: Option<Date>, sample_date: Date) -> Self {
        CaseSituation {
            symptom_onset,
            sample_date,
            isolation_start: None,
            vaccination: VaccinationStatus::Unknown,
            last_dose: None,
            age_band: AgeBand::Adult,
            release_test: None,
        }
    }

    /// Whether the case's vaccination counts at J0.
    pub fn vaccinated(&self) -> bool {
        vaccination_counts(self.vaccination, self.last_dose, false, false, self.j0())
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
    /// Vaccination status, used by the rule sets from July 2021.
    #[serde(default)]
    pub vaccination: VaccinationStatus,
    /// The day of the last dose of a complete schedule, when said.
    #[serde(default)]
    pub last_dose: Option<Date>,
    /// A single-dose vaccine (its schedule counts after 28 days, not 7).
    #[serde(default)]
    pub single_dose: bool,
    /// Severely immunocompromised: treated as not vaccinated.
    #[serde(default)]
    pub immunocompromised: bool,
    /// The contact's age band.
    #[serde(default)]
    pub age_band: AgeBand,
    /// The day the contact was told they are a contact; `None` before
    /// (the case's preview, the tracer's review): tests anchored on it then
    /// read "on the day they are told".
    #[serde(default)]
    pub informed_on: Option<Date>,
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
            last_dose: None,
            single_dose: false,
            immunocompromised: false,
            age_band: AgeBand::Adult,
            informed_on: None,
        }
    }

    /// Whether the contact's vaccination counts, measured at the last
    /// contact (see [`vaccination_counts`]).
    pub fn vaccinated(&self) -> bool {
        vaccination_counts(
            self.vaccination,
            self.last_dose,
            self.single_dose,
            self.immunocompromised,
            self.last_contact,
        )
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
        let mut case = CaseSituation::new(Some(d("2020-11-10")), d("2020-11-12"));
        assert_eq!(case.j0(), d("2020-11-10"));
        assert_eq!(case.j0_basis(), J0Basis::SymptomOnset);
        case.symptom_onset = None;
        assert_eq!(case.j0(), d("2020-11-12"));
        assert_eq!(case.j0_basis(), J0Basis::Sample);
    }
}
