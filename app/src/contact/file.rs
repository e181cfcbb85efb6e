//! What a notified contact's pages show, computed on the server by the rules
//! engine from what the case declared and the tracer validated, and from
//! what the contact reported since.
//!
//! **Never who.** [`ContactFile`] is everything a contact's page or server
//! function sends to the browser. It holds the contact's own details and
//! dates, never the case's identity: no name, phone, email, date of birth
//! or place of the case. The only date of the case it carries is the end of
//! the case's isolation, and only for a household contact, whose dates
//! depend on it and who lives with the case anyway.

use crate::error::AppError;
use crate::patient::dossier::RightText;
use leptos::prelude::*;
use relais::contact_guidance::{Guidance, TestReport, TimelineDay};
use serde::{Deserialize, Serialize};
use time::Date;

/// The contact's file, ready to show.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactFile {
    pub first_name: String,
    pub last_name: String,
    pub email: Option<String>,
    /// The phone the SMS go to, written the local way.
    pub phone: String,
    /// A new phone the contact asked for, waiting for a tracer.
    pub requested_phone: Option<String>,
    pub minor: bool,
    pub household: bool,
    /// The last day the contact met the case: the one date of the meeting
    /// the contact is told.
    pub last_contact: Date,
    pub notified_on: Option<Date>,
    pub today: Date,
    pub guidance: Guidance,
    pub timeline: Vec<TimelineDay>,
    /// Why, in the page's language.
    pub reasons: Vec<String>,
    /// What to do if symptoms appear, in the page's language.
    pub if_symptoms: String,
    pub rights: Vec<RightText>,
    /// The case's last day of isolation, for a household contact only.
    pub household_counts_from: Option<Date>,
    pub tests: Vec<TestReport>,
    pub symptoms_since: Option<Date>,
    pub rule_set_title: String,
    /// The day the rules that apply took effect.
    pub rules_since: Date,
    /// A newer rule set in force today that would tell the contact
    /// something else: the day it took effect.
    pub newer_rules_since: Option<Date>,
    /// The tests the rules ask for, with their kind in words.
    pub planned_tests: Vec<PlannedTestText>,
    /// Advice beyond the quarantine (masks, fewer contacts), in words.
    pub advice: Vec<String>,
    /// A child's parents sign a statement that the self-tests were done.
    pub sworn_statement: bool,
    /// The rules that apply use the contact's vaccination: the page offers
    /// the vaccination form.
    pub asks_vaccination: bool,
    /// What the contact stated of their vaccination (the form's values).
    pub vaccination: relais::vaccination_form::VaccinationStatement,
}

/// The values of the contact page's `?vaccination=`.
pub const VACCINATION_UNCHANGED: &str = "unchanged";
pub const VACCINATION_NO_QUARANTINE: &str = "no_quarantine";
pub const VACCINATION_QUARANTINE: &str = "quarantine";
pub const VACCINATION_CHANGED: &str = "changed";

/// A test the rules ask of the contact: its day and its kind in words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlannedTestText {
    pub date: Option<Date>,
    pub kind: String,
    pub self_test: bool,
}

/// The notified contact of the session, with the rules and the language,
/// for a server function.
#[cfg(feature = "ssr")]
pub struct ContactContext {
    pub db: relais_store::Db,
    pub contact_id: relais::ids::ContactId,
    pub notified: relais_store::follow_up::NotifiedContact,
    pub rule_sets: std::sync::Arc<relais::RuleSets>,
    pub lang: relais::Lang,
}

#[cfg(feature = "ssr")]
impl ContactContext {
    /// Takes the contexts (before any `.await`), then finds the session's
    /// contact. `Ok(None)` without a live contact session or when the
    /// contact is no longer validated.
    pub async fn load() -> Result<Option<ContactContext>, AppError> {
        use crate::citizen::session::{current_contact, server_context};
        let db = server_context::<relais_store::Db>()?;
        let rule_sets = server_context::<std::sync::Arc<relais::RuleSets>>()?;
        let lang = crate::i18n::use_lang();
        let Some(contact_id) = current_contact(&db).await else {
            return Ok(None);
        };
        let notified = relais_store::follow_up::load_notified_contact(&db, contact_id).await?;
        Ok(notified.map(|notified| ContactContext {
            db,
            contact_id,
            notified,
            rule_sets,
            lang,
        }))
    }

    /// Today, in the service's time zone (Europe/Paris; the pages show dates only).
    pub fn today(&self) -> Date {
        self.db.today_paris()
    }

    /// The contact's exposure as the rules read it: tests anchored on the
    /// day the contact was told count from it.
    pub fn exposure(&self) -> relais::ContactExposure {
        self.notified.exposure(self.today())
    }

    /// What the rules say of the contact with `exposure` (the tracer's
    /// classification, if any, still applies).
    pub fn assess(&self, exposure: &relais::ContactExposure) -> relais::rules::ContactAssessment {
        self.notified
            .assess(&self.rule_sets, exposure, self.today())
    }

    /// Whether the rules that apply use the contact's vaccination.
    pub fn asks_vaccination(&self) -> bool {
        self.notified
            .case_assessment(&self.rule_sets, self.today())
            .rule_set()
            .uses(relais::doctrine::Fact::ContactVaccination)
    }

    /// The file, computed by the rules engine.
    pub fn file(&self) -> ContactFile {
        use relais::contact_guidance::{guidance, timeline};
        let lang = self.lang;
        let today = self.today();
        let contact = &self.notified.contact;
        let case = self.notified.case_assessment(&self.rule_sets, today);
        let exposure = self.exposure();
        let assessment = case.assess_contact_decided(&exposure, self.notified.decided);
        let follow_up = &self.notified.follow_up;
        let household_counts_from = assessment
            .quarantine
            .as_ref()
            .filter(|_| contact.input.exposure.household)
            .map(|q| q.counted_last_contact);
        let if_symptoms = assessment
            .quarantine
            .as_ref()
            .map(|q| q.if_symptoms)
            .unwrap_or(relais::rules::IfSymptoms::IsolateAndTestAtOnce);
        ContactFile {
            first_name: contact.input.first_name.clone(),
            last_name: contact.input.last_name.clone(),
            email: contact.input.email.clone(),
            phone: relais::display_phone(&contact.input.phone.e164),
            requested_phone: self
                .notified
                .requested_phone
                .as_deref()
                .map(relais::display_phone),
            minor: contact.input.exposure.minor,
            household: contact.input.exposure.household,
            last_contact: contact.input.exposure.last_contact,
            notified_on: self.notified.notified_on,
            today,
            guidance: guidance(&assessment, follow_up, today),
            timeline: timeline(&assessment, follow_up, today),
            reasons: assessment
                .reasons
                .iter()
                .map(|r| crate::rules_text::contact_reason_text(lang, r, &self.rule_sets))
                .collect(),
            if_symptoms: crate::rules_text::if_symptoms_text(lang, if_symptoms).to_owned(),
            rights: case
                .contact_rights(&assessment)
                .map(|r| RightText {
                    title: r.title.get(lang).to_owned(),
                    how_to: r.how_to.get(lang).to_owned(),
                })
                .collect(),
            household_counts_from,
            tests: follow_up.tests.clone(),
            symptoms_since: follow_up.symptoms_since,
            rule_set_title: case.rule_set().title.get(lang).to_owned(),
            rules_since: case.rule_set().effective,
            newer_rules_since: relais::rules::newer_set_would_change(
                &self.rule_sets,
                &self.notified.case_situation,
                &exposure,
                today,
            )
            .map(|set| set.effective),
            planned_tests: assessment
                .quarantine
                .as_ref()
                .map(|q| {
                    q.tests
                        .iter()
                        .map(|t| PlannedTestText {
                            date: t.date,
                            kind: crate::rules_text::test_kind_text(lang, t.kind).to_owned(),
                            self_test: t.kind == relais::doctrine::TestKind::SelfTest,
                        })
                        .collect()
                })
                .unwrap_or_default(),
            advice: assessment
                .quarantine
                .as_ref()
                .map(|q| {
                    q.advice
                        .iter()
                        .map(|a| crate::rules_text::advice_text(lang, *a).to_owned())
                        .collect()
                })
                .unwrap_or_default(),
            sworn_statement: assessment
                .quarantine
                .as_ref()
                .is_some_and(|q| q.sworn_statement),
            asks_vaccination: case
                .rule_set()
                .uses(relais::doctrine::Fact::ContactVaccination),
            vaccination: relais::vaccination_form::VaccinationStatement::of(&exposure),
        }
    }
}

/// The file of the contact whose session this is; `None` without one.
#[server(endpoint = "contact/file")]
pub async fn load_contact_file() -> Result<Option<ContactFile>, AppError> {
    Ok(ContactContext::load().await?.map(|ctx| ctx.file()))
}
