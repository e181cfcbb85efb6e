//! `relais demo`: demonstration data so that a newcomer can try every
//! journey. The people are invented. Loaded once; every run issues fresh
//! links and fresh staff passwords (only hashes are stored, so the old ones
//! cannot be printed again).

use relais::contact_form::{ContactInput, Relationship};
use relais::ids::CaseId;
use relais::roles::StaffRole;
use relais::Lang;
use relais::{ContactExposure, ExposureKind, Phone, Protection};
use relais_store::cases::{self, NewCase};
use relais_store::security::{password::hash_password, token::new_token};
use relais_store::{contacts, follow_up, staff, Db};
use std::fmt::Write;
use time::Duration;

/// The reference prefix of demonstration cases. Their phones are in the
/// ranges reserved for fiction (ARCEP +33 6 39 98, Ofcom +44 7700 900).
pub const DEMO_PREFIX: &str = "DEMO-";

struct DemoCase {
    first_name: &'static str,
    last_name: &'static str,
    birth_date: &'static str,
    phone: &'static str,
    lang: Lang,
    /// Days before today.
    sample_days_ago: i64,
    onset_days_ago: Option<i64>,
    /// The département whose team handles the case: the demo has two,
    /// Oise (60) and Somme (80).
    departement: &'static str,
    what: &'static str,
}

const CASES: &[DemoCase] = &[
    DemoCase {
        first_name: "Camille",
        last_name: "Martin",
        birth_date: "1988-04-12",
        phone: "+33639980101",
        lang: Lang::Fr,
        sample_days_ago: 1,
        onset_days_ago: Some(2),
        departement: "60",
        what: "symptoms began 2 days ago",
    },
    DemoCase {
        first_name: "Lucas",
        last_name: "Bernard",
        birth_date: "1975-09-30",
        phone: "+33639980102",
        lang: Lang::Fr,
        sample_days_ago: 1,
        onset_days_ago: None,
        departement: "80",
        what: "no symptoms, tested yesterday",
    },
    DemoCase {
        first_name: "Emily",
        last_name: "Walker",
        birth_date: "1992-01-05",
        phone: "+447700900123",
        lang: Lang::En,
        sample_days_ago: 2,
        onset_days_ago: Some(3),
        departement: "60",
        what: "English speaker, British mobile",
    },
    DemoCase {
        first_name: "Noé",
        last_name: "Petit",
        birth_date: "2001-06-21",
        phone: "+33639980104",
        lang: Lang::Fr,
        sample_days_ago: 3,
        onset_days_ago: Some(4),
        departement: "80",
        what: "try five wrong dates of birth to see the lockout",
    },
    DemoCase {
        first_name: "Marie",
        last_name: "Lefèvre",
        birth_date: "1990-03-08",
        phone: "+33639980106",
        lang: Lang::Fr,
        sample_days_ago: 5,
        onset_days_ago: Some(5),
        departement: "60",
        what: "vaccinated, symptoms 5 days ago (January 2022 rules): may end isolation today with a negative test",
    },
];

/// Cases who read another language than French or English: their texts go
/// in it; their links open in the browser's language until they choose one
/// with the switch on the page (right to left for Arabic). Listed
/// after the notified case, so that the first six keep their references.
const READER_CASES: &[DemoCase] = &[
    DemoCase {
        first_name: "Youssef",
        last_name: "Benali",
        birth_date: "1986-02-14",
        phone: "+33639980107",
        lang: Lang::Ar,
        sample_days_ago: 1,
        onset_days_ago: Some(2),
        departement: "60",
        what: "reads Arabic: texts in UCS-2, the switch to العربية turns the pages right to left",
    },
    DemoCase {
        first_name: "Wei",
        last_name: "Zhang",
        birth_date: "1979-07-03",
        phone: "+33639980108",
        lang: Lang::Zh,
        sample_days_ago: 1,
        onset_days_ago: None,
        departement: "80",
        what: "reads Chinese (simplified)",
    },
    DemoCase {
        first_name: "Ayşe",
        last_name: "Yılmaz",
        birth_date: "1994-10-19",
        phone: "+33639980109",
        lang: Lang::Tr,
        sample_days_ago: 2,
        onset_days_ago: Some(2),
        departement: "60",
        what: "reads Turkish",
    },
    DemoCase {
        first_name: "Ioana",
        last_name: "Popescu",
        birth_date: "1997-12-01",
        phone: "+33639980111",
        lang: Lang::Ro,
        sample_days_ago: 1,
        onset_days_ago: None,
        departement: "80",
        what: "reads Romanian",
    },
];

/// The demo case whose vaccination is known (isolation of 7 days with the
/// early release on day 5, under the rules of January 2022).
const VACCINATED_CASE: &str = "Marie";

/// The case whose contacts a tracer has validated: their links open the
/// contact journey. Sample 3 days ago, symptoms 4 days ago: the contagious
/// window runs from 6 to 3 days ago, so the contacts met 3 days ago.
const NOTIFIED_CASE: DemoCase = DemoCase {
    first_name: "Inès",
    last_name: "Moreau",
    birth_date: "1983-11-02",
    phone: "+33639980105",
    lang: Lang::Fr,
    sample_days_ago: 3,
    onset_days_ago: Some(4),
    departement: "80",
    what: "a case whose contacts were notified (links below)",
};

/// The notified contacts: (first name, last name, phone, relationship,
/// met days ago, exposures, protection, minor, what it shows).
type DemoContact = (
    &'static str,
    &'static str,
    &'static str,
    Relationship,
    i64,
    &'static [ExposureKind],
    &'static [Protection],
    bool,
    &'static str,
);

const CONTACTS: &[DemoContact] = &[
    (
        "Hugo",
        "Moreau",
        "+33639980111",
        Relationship::Household,
        0,
        &[ExposureKind::FaceToFace],
        &[],
        false,
        "household: dates follow the case's isolation",
    ),
    (
        "Léa",
        "Garnier",
        "+33639980112",
        Relationship::Work,
        3,
        &[ExposureKind::ClosedSpace15Min],
        &[],
        false,
        "at-risk colleague: quarantine, test day, attestation",
    ),
    (
        "Tom",
        "Roux",
        "+33639980113",
        Relationship::Leisure,
        3,
        &[ExposureKind::FaceToFace],
        &[Protection::CaseMask],
        false,
        "negligible risk (masks): general advice",
    ),
    (
        "Jade",
        "Moreau",
        "+33639980114",
        Relationship::School,
        3,
        &[ExposureKind::FaceToFace],
        &[],
        true,
        "a minor: the page speaks to the guardian",
    ),
    (
        "Paul",
        "Fabre",
        "+447700900124",
        Relationship::Other,
        12,
        &[ExposureKind::FaceToFace],
        &[],
        false,
        "met outside the contagious window, explained",
    ),
    (
        "Camille",
        "Girard",
        "+33639980116",
        Relationship::Work,
        3,
        &[ExposureKind::FaceToFace],
        &[],
        false,
        "vaccinated (January 2022 rules): no quarantine, a test and two self-tests",
    ),
    (
        "Lina",
        "Moreau",
        "+33639980117",
        Relationship::Family,
        3,
        &[ExposureKind::FaceToFace],
        &[],
        true,
        "a child under 12 (January 2022 rules): self-tests and the sworn statement",
    ),
];

/// What the case knows of a demo contact beyond the meeting: Camille's
/// vaccination, Lina's age (used by the rules of January 2022 only).
fn demo_facts(first: &str, exposure: &mut ContactExposure, today: time::Date) {
    match first {
        "Camille" => {
            exposure.vaccination = relais::VaccinationStatus::FullyVaccinated;
            exposure.last_dose = Some(today - Duration::days(60));
        }
        "Lina" => exposure.age_band = relais::AgeBand::Under12,
        "Jade" => exposure.age_band = relais::AgeBand::From12To17,
        _ => {}
    }
}

/// The demo's two local funds: (name, département). The demo cases are in
/// these two départements.
pub const DEMO_FUNDS: [(&str, &str); 2] = [
    ("CPAM de l'Oise (démo)", "60"),
    ("CPAM de la Somme (démo)", "80"),
];

/// The demo accounts: (username, name, role, fund — `None` for the national
/// organisation, which sees every case).
const STAFF: &[(&str, &str, StaffRole, Option<usize>)] = &[
    (
        "demo-tracer",
        "Dominique Traceur (démo)",
        StaffRole::Tracer,
        None,
    ),
    (
        "demo-supervisor",
        "Sacha Superviseur (démo)",
        StaffRole::Supervisor,
        None,
    ),
    ("demo-admin", "Alex Admin (démo)", StaffRole::Admin, None),
    (
        "demo-oise-tracer",
        "Olivia Traceuse, Oise (démo)",
        StaffRole::Tracer,
        Some(0),
    ),
    (
        "demo-oise-supervisor",
        "Octave Superviseur, Oise (démo)",
        StaffRole::Supervisor,
        Some(0),
    ),
    (
        "demo-somme-tracer",
        "Samuel Traceur, Somme (démo)",
        StaffRole::Tracer,
        Some(1),
    ),
    (
        "demo-oise-support",
        "Sophie Soutien, Oise (démo)",
        StaffRole::Support,
        Some(DEMO_FUNDS.len()),
    ),
];

/// The demo's isolation-support cell: (name, département), after the funds
/// in the organisations' order (index `DEMO_FUNDS.len()`).
pub const DEMO_SUPPORT_CELL: (&str, &str) =
    ("Cellule d'appui à l'isolement de l'Oise (démo)", "60");

/// The demo funds' ids, then the support cell's, created when absent.
async fn demo_funds(db: &Db) -> anyhow::Result<Vec<relais::ids::OrganisationId>> {
    use relais::organisation::{NewOrganisation, OrganisationKind};
    use relais_store::organisations;
    let mut ids = Vec::new();
    let orgs = DEMO_FUNDS
        .iter()
        .map(|org| (OrganisationKind::Fund, org))
        .chain([(OrganisationKind::SupportCell, &DEMO_SUPPORT_CELL)]);
    for (kind, (name, departement)) in orgs {
        let id = match organisations::find(db, name).await? {
            Some(org) => org.id,
            None => {
                let new = NewOrganisation::new(kind, name, vec![departement.parse()?])?;
                organisations::create(db, &new).await?
            }
        };
        ids.push(id);
    }
    Ok(ids)
}

/// The demo's open request for help: the first case (Oise) asks for a
/// nurse's visit and groceries, and agrees that the cell gets it.
async fn demo_support_request(db: &Db, case_id: CaseId, case: &NewCase) -> anyhow::Result<()> {
    use relais::support::{BestTime, SupportInput, SupportNeed};
    let situation = relais::CaseSituation::new(
        case.symptom_onset.as_deref().map(iso_date).transpose()?,
        iso_date(&case.sample_date)?,
    );
    let until = relais::rules::assess(&relais::RuleSets::embedded(), &situation)
        .isolation
        .last_day;
    let input = SupportInput {
        needs: [SupportNeed::NurseVisit, SupportNeed::Groceries]
            .into_iter()
            .collect(),
        note: "Vit seule au 3e étage sans ascenseur.".to_owned(),
        address: "12 rue des Lilas, 60000 Beauvais".to_owned(),
        callback_phone: None,
        best_time: BestTime::Morning,
        consent: true,
    };
    relais_store::support::ask(
        db,
        relais_store::support::Asker::Case(case_id),
        &input,
        Some(until),
    )
    .await?;
    Ok(())
}

/// Loads the demo data if absent, issues fresh links and passwords, and
/// returns the text to print.
pub async fn load(db: &Db, public_url: &str) -> anyhow::Result<String> {
    let mut existing = cases::case_ids_with_reference_prefix(db, DEMO_PREFIX).await?;
    if existing.is_empty() {
        let today = db.today_paris();
        let every = CASES.iter().chain([&NOTIFIED_CASE]).chain(READER_CASES);
        for (i, demo) in every.enumerate() {
            let case = NewCase {
                reference: format!("{DEMO_PREFIX}{:04}", i + 1),
                lab_reference: None,
                first_name: demo.first_name.to_owned(),
                last_name: demo.last_name.to_owned(),
                birth_date: demo.birth_date.to_owned(),
                phone: demo.phone.to_owned(),
                lang: demo.lang,
                sample_date: (today - Duration::days(demo.sample_days_ago)).to_string(),
                test_type: "pcr".to_owned(),
                symptom_onset: demo
                    .onset_days_ago
                    .map(|d| (today - Duration::days(d)).to_string()),
                departement: Some(demo.departement.parse()?),
            };
            let case_id = cases::create_case(db, &case).await?;
            if demo.first_name == VACCINATED_CASE {
                cases::save_vaccination(
                    db,
                    case_id,
                    relais::VaccinationStatus::FullyVaccinated,
                    Some(today - Duration::days(90)),
                )
                .await?;
            }
            // The last two cases went to the same café within days: a
            // cluster on the supervisors' page.
            if i + 1 == CASES.len() || i == CASES.len() {
                let place = relais::place_form::PlaceInput {
                    kind: relais::place_form::PlaceKind::Restaurant,
                    name: ["Café de la Gare", "Le cafe de la gare"][i % 2].to_owned(),
                    town: "Lyon".to_owned(),
                    visited_on: today - Duration::days(5 + i as i64 % 2),
                    attendance: Some(40),
                    indoors: true,
                    masks: Some(false),
                };
                relais_store::places::save_place(db, case_id, None, "", &place).await?;
            }
            if i == 0 {
                demo_support_request(db, case_id, &case).await?;
            }
            if std::ptr::eq(demo, &NOTIFIED_CASE) {
                add_notified_contacts(db, case_id, &case).await?;
                // The case sent their list before the tracer validated it:
                // the console's queue shows it ready.
                relais_store::declaration::submit_declaration(db, case_id).await?;
            }
        }
        existing = cases::case_ids_with_reference_prefix(db, DEMO_PREFIX).await?;
    }

    let mut out = String::new();
    writeln!(
        out,
        "Relais demo — invented people, for trying every journey."
    )?;
    writeln!(out)?;
    writeln!(out, "Case links (confirm the date of birth shown):")?;
    let every = CASES.iter().chain([&NOTIFIED_CASE]).chain(READER_CASES);
    for ((id, reference), demo) in existing.iter().zip(every) {
        let token = cases::issue_case_link(db, *id).await?;
        writeln!(
            out,
            "  {reference}  {public_url}/d/{}   born {} — {}",
            token.token, demo.birth_date, demo.what
        )?;
    }
    if let Some((case_id, _)) = existing.get(CASES.len()) {
        writeln!(out)?;
        writeln!(
            out,
            "Contact links (notified contacts of {}):",
            existing[CASES.len()].1
        )?;
        for (stored, demo) in contacts::list_contacts(db, *case_id)
            .await?
            .iter()
            .zip(CONTACTS)
        {
            let token = follow_up::issue_contact_link(db, stored.id).await?;
            writeln!(
                out,
                "  {public_url}/c/{}   {} {} — {}",
                token.token, demo.0, demo.1, demo.8
            )?;
        }
    }
    writeln!(out)?;
    writeln!(
        out,
        "Staff accounts (tracers' console: {public_url}/equipe/connexion):"
    )?;
    let funds = demo_funds(db).await?;
    for (username, name, role, fund) in STAFF {
        let password = new_token().token;
        let hash = hash_password(&password)?;
        let org = fund
            .and_then(|i| funds.get(i).copied())
            .unwrap_or(relais_store::organisations::NATIONAL);
        if !staff::set_password(db, username, &hash).await? {
            staff::create_staff_user(db, username, name, *role, org, &hash).await?;
        }
        writeln!(
            out,
            "  {:<16} {:<11} password: {password}",
            username,
            role.as_str()
        )?;
    }
    writeln!(out)?;
    writeln!(
        out,
        "Organisations: demo-tracer, demo-supervisor and demo-admin are national (every case);"
    )?;
    for (i, (fund, departement)) in DEMO_FUNDS.iter().enumerate() {
        let members: Vec<&str> = STAFF
            .iter()
            .filter(|s| s.3 == Some(i))
            .map(|s| s.0)
            .collect();
        writeln!(
            out,
            "  {fund} (département {departement}): {}",
            members.join(", ")
        )?;
    }
    writeln!(
        out,
        "  {} (département {}): demo-oise-support — requests for help: {public_url}/equipe/soutien",
        DEMO_SUPPORT_CELL.0, DEMO_SUPPORT_CELL.1
    )?;
    writeln!(out)?;
    writeln!(
        out,
        "Supervisors' dashboard (demo-supervisor, demo-admin): {public_url}/equipe/supervision"
    )?;
    writeln!(
        out,
        "Mutual aid (lend part of a queue to another fund; demo-supervisor, or \
         demo-oise-supervisor for Oise's): {public_url}/equipe/supervision/entraide"
    )?;
    writeln!(out, "Link checker on the home page: {public_url}/")?;
    writeln!(
        out,
        "SMS the service sends (a validated list, a link sent again) are written to its log \
         and, with the default log provider, to data/sms.log (RELAIS_SMS_LOG_FILE)."
    )?;
    Ok(out)
}

fn iso_date(text: &str) -> anyhow::Result<time::Date> {
    relais::dates::parse_iso(text).ok_or_else(|| anyhow::anyhow!("not a date: {text:?}"))
}

/// The contacts of the notified case, classified by the embedded rules and
/// validated as a tracer would.
async fn add_notified_contacts(db: &Db, case_id: CaseId, case: &NewCase) -> anyhow::Result<()> {
    let rule_sets = relais::RuleSets::embedded();
    let situation = relais::CaseSituation::new(
        case.symptom_onset.as_deref().map(iso_date).transpose()?,
        iso_date(&case.sample_date)?,
    );
    let assessment = relais::rules::assess(&rule_sets, &situation);
    let today = db.today_paris();
    for (first, last, phone, relationship, days_ago, exposures, protection, minor, _) in CONTACTS {
        let mut exposure = ContactExposure {
            household: *relationship == Relationship::Household,
            exposures: exposures.iter().copied().collect(),
            protection: protection.iter().copied().collect(),
            minor: *minor,
            ..ContactExposure::met_on(today - Duration::days(*days_ago))
        };
        demo_facts(first, &mut exposure, today);
        let input = ContactInput {
            first_name: (*first).to_owned(),
            last_name: (*last).to_owned(),
            phone: Phone {
                e164: (*phone).to_owned(),
                can_receive_sms: true,
            },
            email: None,
            relationship: *relationship,
            guardian_phone: minor.then(|| Phone {
                e164: "+33639980115".to_owned(),
                can_receive_sms: true,
            }),
            lang: None,
            exposure,
        };
        let classification = assessment.assess_contact(&input.exposure).classification;
        if let relais_store::declaration::SaveOutcome::Saved(id) = contacts::save_contact(
            db,
            case_id,
            None,
            "",
            &input,
            classification,
            relais_store::declaration::Editor::Case,
        )
        .await?
        {
            follow_up::mark_validated(db, id).await?;
        }
    }
    Ok(())
}
