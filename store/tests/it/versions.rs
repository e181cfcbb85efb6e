//! Versions and conflicts: a tracer's change carries the version of the
//! case the tracer saw; on any other version nothing is written (and the
//! version stays), on the current one the change is made and the version
//! goes up by one.

use crate::common::{create_case, declare_contact, scoped, tracer, version_of};
use crate::sql;
use relais::ids::ContactId;
use relais::Classification;
use relais_store::contacts::{find_contact, list_contacts, save_contact};
use relais_store::declaration::{Editor, SaveOutcome};
use relais_store::desk::case_file::load_case;
use relais_store::desk::changes::{close_case, reclassify_contact, remove_contact, Change};
use relais_store::desk::notify::{validate_list, Decision};
use relais_store::schedule::ContactSchedule;
use relais_store::Db;
use time::Duration;

per_engine! {
    stale_version_is_refused => stale_version_is_refused_sqlite,
        stale_version_is_refused_postgres;
    staff_contact_save_checks_the_version => staff_contact_save_checks_the_version_sqlite,
        staff_contact_save_checks_the_version_postgres;
    refused_change_leaves_the_version => refused_change_leaves_the_version_sqlite,
        refused_change_leaves_the_version_postgres;
    validation_checks_the_version => validation_checks_the_version_sqlite,
        validation_checks_the_version_postgres;
    answers_of_the_case_bump_the_version => answers_of_the_case_bump_the_version_sqlite,
        answers_of_the_case_bump_the_version_postgres;
    an_answer_draft_is_not_a_change => an_answer_draft_is_not_a_change_sqlite,
        an_answer_draft_is_not_a_change_postgres;
}

/// A refused form of the case is kept as its answer draft (the last one),
/// read back as written, and forgotten when cleared: not a change of the
/// case, whose version stays.
async fn an_answer_draft_is_not_a_change(db: Db) {
    use relais_store::cases::{clear_answer_draft, load_answer_draft, save_answer_draft};
    let case = create_case(&db, "V-draft").await;
    let other = create_case(&db, "V-other").await;
    let seen = version_of(&db, case).await;
    assert_eq!(load_answer_draft(&db, case).await.unwrap(), None);
    save_answer_draft(&db, case, r#"{"form":"situation"}"#)
        .await
        .unwrap();
    save_answer_draft(&db, case, r#"{"form":"release_test","é":"ü"}"#)
        .await
        .unwrap();
    assert_eq!(
        load_answer_draft(&db, case).await.unwrap().as_deref(),
        Some(r#"{"form":"release_test","é":"ü"}"#)
    );
    assert_eq!(load_answer_draft(&db, other).await.unwrap(), None);
    assert_eq!(version_of(&db, case).await, seen);
    clear_answer_draft(&db, case).await.unwrap();
    assert_eq!(load_answer_draft(&db, case).await.unwrap(), None);
}

/// Each answer of the case (their symptoms, their vaccination) is a change
/// of the case: a new version, and a new case starts declaring; a case
/// further on keeps its status.
async fn answers_of_the_case_bump_the_version(db: Db) {
    let anna = tracer(&db, "anna").await;
    let status = |db: Db, case| async move {
        let case = load_case(&db, scoped(&db, case).await)
            .await
            .unwrap()
            .unwrap();
        (case.status.as_str().to_owned(), case.version)
    };
    let dose = crate::common::today() - Duration::days(60);
    for answer in ["vaccination", "symptoms"] {
        let case = create_case(&db, &format!("V-{answer}")).await;
        let (before, seen) = status(db.clone(), case).await;
        assert_eq!(before, "new");
        match answer {
            "vaccination" => relais_store::cases::save_vaccination(
                &db,
                case,
                relais::VaccinationStatus::FullyVaccinated,
                Some(dose),
            )
            .await
            .unwrap(),
            _ => assert!(relais_store::cases::save_symptom_onset(&db, case, None)
                .await
                .unwrap()),
        }
        assert_eq!(
            status(db.clone(), case).await,
            ("declaring".to_owned(), seen + 1),
            "{answer}: a new version, and the case is declaring"
        );
        if answer == "vaccination" {
            let situation = load_case(&db, scoped(&db, case).await)
                .await
                .unwrap()
                .unwrap()
                .situation;
            assert_eq!(
                (situation.vaccination, situation.last_dose),
                (relais::VaccinationStatus::FullyVaccinated, Some(dose))
            );
        }
        // Closed by a tracer, then the case answers again: still closed.
        let v = version_of(&db, case).await;
        assert_eq!(
            close_case(&db, anna, scoped(&db, case).await, v)
                .await
                .unwrap(),
            Change::Done
        );
        let v = version_of(&db, case).await;
        // The vaccination is still taken; the onset no longer (it would move
        // the dates the notified contacts were given).
        let bumped = match answer {
            "vaccination" => {
                relais_store::cases::save_vaccination(
                    &db,
                    case,
                    relais::VaccinationStatus::NotVaccinated,
                    None,
                )
                .await
                .unwrap();
                1
            }
            _ => {
                assert!(
                    !relais_store::cases::save_symptom_onset(&db, case, Some(dose))
                        .await
                        .unwrap(),
                    "a closed case's onset is refused"
                );
                0
            }
        };
        assert_eq!(
            status(db.clone(), case).await,
            ("closed".to_owned(), v + bumped),
            "{answer}: a case further on keeps its status"
        );
    }
}

/// The case changes its own declaration while a tracer has the page open:
/// the tracer's change on what they saw is refused.
async fn stale_version_is_refused(db: Db) {
    let anna = tracer(&db, "anna").await;
    let case = create_case(&db, "V-1").await;
    let contact = declare_contact(&db, case, "Léa", "+33611111111").await;
    let seen = version_of(&db, case).await;

    // The case gives the onset of their symptoms: a change of the case.
    let onset = crate::common::today() - Duration::days(3);
    assert!(
        relais_store::cases::save_symptom_onset(&db, case, Some(onset))
            .await
            .unwrap()
    );
    let current = version_of(&db, case).await;
    assert_eq!(current, seen + 1, "a change of the case bumps its version");

    assert_eq!(
        remove_contact(&db, anna, scoped(&db, case).await, seen, contact)
            .await
            .unwrap(),
        Change::Conflict
    );
    assert_eq!(
        reclassify_contact(
            &db,
            anna,
            scoped(&db, case).await,
            seen,
            contact,
            Some((Classification::Negligible, "masks"))
        )
        .await
        .unwrap(),
        Change::Conflict
    );
    assert_eq!(
        close_case(&db, anna, scoped(&db, case).await, seen)
            .await
            .unwrap(),
        Change::Conflict
    );
    assert_eq!(version_of(&db, case).await, current, "refused: no bump");
    assert_eq!(list_contacts(&db, case).await.unwrap().len(), 1);
    let file = relais_store::desk::case_file::load_contacts(&db, scoped(&db, case).await)
        .await
        .unwrap();
    assert_eq!(file[0].tracer_classification, None);
    assert_ne!(
        load_case(&db, scoped(&db, case).await)
            .await
            .unwrap()
            .unwrap()
            .status
            .as_str(),
        "closed"
    );
    assert_eq!(
        sql::rows_of_case(&db, sql::Of::Audit, case).await.unwrap(),
        0
    );

    // On the version it has now, the same change goes through, once.
    assert_eq!(
        remove_contact(&db, anna, scoped(&db, case).await, current, contact)
            .await
            .unwrap(),
        Change::Done
    );
    assert_eq!(version_of(&db, case).await, current + 1);
    assert!(list_contacts(&db, case).await.unwrap().is_empty());
    assert_eq!(
        sql::rows_of_case(&db, sql::Of::Audit, case).await.unwrap(),
        1
    );
    // `current` is stale in its turn.
    assert_eq!(
        close_case(&db, anna, scoped(&db, case).await, current)
            .await
            .unwrap(),
        Change::Conflict
    );
    assert_eq!(
        close_case(&db, anna, scoped(&db, case).await, current + 1)
            .await
            .unwrap(),
        Change::Done
    );
    let closed = load_case(&db, scoped(&db, case).await)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (closed.status.as_str(), closed.version),
        ("closed", current + 2)
    );
}

/// A tracer adding or changing a contact: refused on a stale version,
/// nothing written; saved and bumped on the current one.
async fn staff_contact_save_checks_the_version(db: Db) {
    let anna = tracer(&db, "anna").await;
    let case = create_case(&db, "V-2").await;
    let contact = declare_contact(&db, case, "Léa", "+33611111111").await;
    let seen = version_of(&db, case).await;
    declare_contact(&db, case, "Noé", "+33622222222").await;
    let current = version_of(&db, case).await;
    assert_eq!(current, seen + 1);

    let stale = Editor::Staff {
        staff_user_id: anna,
        version: seen,
    };
    let mut changed = crate::common::contact_input("Léa-Rose", "+33611111111");
    changed.last_name = "Petit".to_owned();
    let added = crate::common::contact_input("Inès", "+33633333333");
    assert_eq!(
        save_contact(&db, case, None, "", &added, Classification::AtRisk, stale)
            .await
            .unwrap(),
        SaveOutcome::Conflict
    );
    assert_eq!(
        save_contact(
            &db,
            case,
            Some(contact),
            "",
            &changed,
            Classification::AtRisk,
            stale
        )
        .await
        .unwrap(),
        SaveOutcome::Conflict
    );
    assert_eq!(version_of(&db, case).await, current);
    assert_eq!(list_contacts(&db, case).await.unwrap().len(), 2);
    let kept = find_contact(&db, case, contact).await.unwrap().unwrap();
    assert_eq!(kept.input.first_name, "Léa");

    let fresh = Editor::Staff {
        staff_user_id: anna,
        version: current,
    };
    let saved = save_contact(
        &db,
        case,
        Some(contact),
        "",
        &changed,
        Classification::AtRisk,
        fresh,
    )
    .await
    .unwrap();
    assert_eq!(saved, SaveOutcome::Saved(contact));
    assert_eq!(version_of(&db, case).await, current + 1);
    let now_stored = find_contact(&db, case, contact).await.unwrap().unwrap();
    assert_eq!(now_stored.input.first_name, "Léa-Rose");
    assert_eq!(now_stored.input.last_name, "Petit");
    // The same editor again: its version is spent.
    assert_eq!(
        save_contact(&db, case, None, "", &added, Classification::AtRisk, fresh)
            .await
            .unwrap(),
        SaveOutcome::Conflict
    );
    assert_eq!(list_contacts(&db, case).await.unwrap().len(), 2);
}

/// A change refused for another reason than the version (no such contact,
/// no such case, a closed case) leaves the version as it was: the bump of
/// its first statement is rolled back.
async fn refused_change_leaves_the_version(db: Db) {
    let anna = tracer(&db, "anna").await;
    let case = create_case(&db, "V-3").await;
    let other_case = create_case(&db, "V-3b").await;
    let others_contact = declare_contact(&db, other_case, "Léa", "+33611111111").await;
    let v = version_of(&db, case).await;

    assert_eq!(
        remove_contact(&db, anna, scoped(&db, case).await, v, others_contact)
            .await
            .unwrap(),
        Change::NotFound,
        "another case's contact"
    );
    assert_eq!(
        remove_contact(&db, anna, scoped(&db, case).await, v, ContactId(999_999))
            .await
            .unwrap(),
        Change::NotFound
    );
    assert_eq!(
        version_of(&db, case).await,
        v,
        "NotFound rolled back the bump"
    );
    assert_eq!(list_contacts(&db, other_case).await.unwrap().len(), 1);

    assert!(
        relais_store::scope::case_in_scope(
            &db,
            relais_store::scope::Scope::whole_country(),
            999_999_i64.into()
        )
        .await
        .unwrap()
        .is_none(),
        "no such case: not found, before any change"
    );

    assert_eq!(
        close_case(&db, anna, scoped(&db, case).await, v)
            .await
            .unwrap(),
        Change::Done
    );
    let closed_at = version_of(&db, case).await;
    assert_eq!(closed_at, v + 1);
    assert_eq!(
        close_case(&db, anna, scoped(&db, case).await, closed_at)
            .await
            .unwrap(),
        Change::NotFound,
        "a closed case takes no change"
    );
    assert_eq!(version_of(&db, case).await, closed_at);
}

/// Validating a list the case changed meanwhile: nothing validated, no SMS
/// queued.
async fn validation_checks_the_version(db: Db) {
    let anna = tracer(&db, "anna").await;
    let case = create_case(&db, "V-4").await;
    let contact = declare_contact(&db, case, "Léa", "+33611111111").await;
    let seen = version_of(&db, case).await;
    declare_contact(&db, case, "Noé", "+33622222222").await;
    let decision = Decision {
        contact_id: contact,
        at_risk: true,
        schedule: ContactSchedule::default(),
    };

    let refused = validate_list(
        &db,
        anna,
        scoped(&db, case).await,
        seen,
        std::slice::from_ref(&decision),
        None,
    )
    .await
    .unwrap();
    assert_eq!(refused, Err(Change::Conflict));
    assert!(sql::outbox(&db).await.unwrap().is_empty());
    let desk = relais_store::desk::case_file::load_contacts(&db, scoped(&db, case).await)
        .await
        .unwrap();
    assert!(desk.iter().all(|c| c.status.as_str() == "declared"));
    let case_row = load_case(&db, scoped(&db, case).await)
        .await
        .unwrap()
        .unwrap();
    assert_eq!((case_row.validated_at, case_row.version), (None, seen + 1));

    let done = validate_list(
        &db,
        anna,
        scoped(&db, case).await,
        seen + 1,
        &[decision],
        None,
    )
    .await
    .unwrap()
    .expect("validated on the current version");
    assert_eq!((done.contacts, done.queued), (1, 1));
    assert_eq!(version_of(&db, case).await, seen + 2);
    assert_eq!(sql::outbox(&db).await.unwrap().len(), 1);
}
