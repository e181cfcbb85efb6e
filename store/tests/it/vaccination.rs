//! Who said a contact's vaccination: the case on their form, a tracer, or
//! the contact on their own page — what the tracer's console shows beside
//! it. The contact's statement stays theirs when a form writes the same
//! again, and "I don't know" keeps it.

use crate::common::{contact_input, create_case, scoped, today, tracer, version_of};
use relais::ids::{CaseId, ContactId};
use relais::vaccination_form::VaccinationStatement;
use relais::{Classification, VaccinationStatus};
use relais_store::contacts::{save_contact, VaccinationSaidBy};
use relais_store::declaration::{Editor, SaveOutcome};
use relais_store::desk::case_file::load_contacts;
use relais_store::desk::notify::{validate_list, Decision};
use relais_store::schedule::ContactSchedule;
use relais_store::Db;
use time::{Date, Duration};

per_engine! {
    who_said_the_vaccination_is_kept => who_said_the_vaccination_is_kept_sqlite,
        who_said_the_vaccination_is_kept_postgres;
}

/// The case saves their contact `contact_id` (none: a new one) saying
/// `vaccination` (and the last dose).
async fn case_says(
    db: &Db,
    case: CaseId,
    contact_id: Option<ContactId>,
    vaccination: VaccinationStatus,
    last_dose: Option<Date>,
) -> ContactId {
    let mut input = contact_input("Léa", "+33611111111");
    input.exposure.vaccination = vaccination;
    input.exposure.last_dose = last_dose;
    match save_contact(
        db,
        case,
        contact_id,
        "",
        &input,
        Classification::AtRisk,
        Editor::Case,
    )
    .await
    .unwrap()
    {
        SaveOutcome::Saved(id) => id,
        other => panic!("not saved: {other:?}"),
    }
}

async fn said(
    db: &Db,
    case: CaseId,
) -> (VaccinationStatus, Option<Date>, Option<VaccinationSaidBy>) {
    let contact = load_contacts(db, scoped(db, case).await)
        .await
        .unwrap()
        .remove(0);
    let e = &contact.contact.input.exposure;
    (e.vaccination, e.last_dose, contact.vaccination_said_by)
}

async fn who_said_the_vaccination_is_kept(db: Db) {
    let anna = tracer(&db, "anna").await;
    let dose = today() - Duration::days(60);
    let case = create_case(&db, "W-1").await;

    // "I don't know": nothing said, by nobody.
    let contact = case_says(&db, case, None, VaccinationStatus::Unknown, None).await;
    assert_eq!(
        said(&db, case).await,
        (VaccinationStatus::Unknown, None, None)
    );
    // The case's answer.
    case_says(
        &db,
        case,
        Some(contact),
        VaccinationStatus::NotVaccinated,
        None,
    )
    .await;
    assert_eq!(
        said(&db, case).await,
        (
            VaccinationStatus::NotVaccinated,
            None,
            Some(VaccinationSaidBy::Case)
        )
    );

    // The contact, once told, states theirs on their own page.
    let decision = Decision {
        contact_id: contact,
        at_risk: true,
        schedule: ContactSchedule::default(),
    };
    let version = version_of(&db, case).await;
    validate_list(
        &db,
        anna,
        scoped(&db, case).await,
        version,
        &[decision],
        None,
    )
    .await
    .unwrap()
    .expect("validated");
    let statement = VaccinationStatement {
        status: VaccinationStatus::FullyVaccinated,
        last_dose: Some(dose),
        single_dose: false,
        immunocompromised: false,
    };
    assert!(
        relais_store::follow_up::record_vaccination(&db, contact, &statement)
            .await
            .unwrap()
    );
    let theirs = (
        VaccinationStatus::FullyVaccinated,
        Some(dose),
        Some(VaccinationSaidBy::Contact),
    );
    assert_eq!(said(&db, case).await, theirs);

    // Validated, the contact is frozen for the case (issue 21): a save by
    // the case is refused and the statement stays the contact's.
    let mut input = contact_input("Léa", "+33611111112");
    input.exposure.vaccination = VaccinationStatus::Unknown;
    let refused = save_contact(
        &db,
        case,
        Some(contact),
        "",
        &input,
        Classification::AtRisk,
        Editor::Case,
    )
    .await
    .unwrap();
    assert_eq!(refused, SaveOutcome::Frozen);
    assert_eq!(said(&db, case).await, theirs);

    // A tracer writes another answer: now the tracer's.
    let mut input = contact_input("Léa", "+33611111111");
    input.exposure.vaccination = VaccinationStatus::NotVaccinated;
    let editor = Editor::Staff {
        staff_user_id: anna,
        version: version_of(&db, case).await,
    };
    let saved = save_contact(
        &db,
        case,
        Some(contact),
        "",
        &input,
        Classification::AtRisk,
        editor,
    )
    .await
    .unwrap();
    assert_eq!(saved, SaveOutcome::Saved(contact));
    assert_eq!(
        said(&db, case).await,
        (
            VaccinationStatus::NotVaccinated,
            None,
            Some(VaccinationSaidBy::Tracer)
        )
    );
}
