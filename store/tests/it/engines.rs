//! What the two engines store differently (SQLite has no BOOLEAN or DATE
//! type of its own) must read back the same: booleans, unknowns (NULL) and
//! dates, through the store's functions.

use crate::common::{contact_input, create_case, new_case, scoped, today, tracer};
use crate::sql;
use relais::contact_form::Relationship;
use relais::ids::CaseId;
use relais::place_form::{PlaceInput, PlaceKind};
use relais::situation::{ExposureKind, Protection};
use relais::{Classification, Phone};
use relais_store::attempts::{
    is_rate_limited, record_birth_date_attempt, AttemptKind, BIRTH_DATE_LIMIT,
};
use relais_store::cases::{save_symptom_onset, situation_of};
use relais_store::contacts::{find_contact, save_contact};
use relais_store::declaration::{Editor, SaveOutcome};
use relais_store::desk::case_file::{load_staff_draft, save_staff_draft};
use relais_store::places::{list_places, save_place};
use relais_store::staff::{find_for_sign_in, lock_sign_in, SignInName};
use relais_store::Db;
use time::Duration;

per_engine! {
    symptoms_read_back_alike => symptoms_read_back_alike_sqlite,
        symptoms_read_back_alike_postgres;
    contact_flags_read_back_alike => contact_flags_read_back_alike_sqlite,
        contact_flags_read_back_alike_postgres;
    place_flags_read_back_alike => place_flags_read_back_alike_sqlite,
        place_flags_read_back_alike_postgres;
    staff_draft_flag_reads_back_alike => staff_draft_flag_reads_back_alike_sqlite,
        staff_draft_flag_reads_back_alike_postgres;
    staff_account_flags_read_back_alike => staff_account_flags_read_back_alike_sqlite,
        staff_account_flags_read_back_alike_postgres;
    boolean_filters_count_alike => boolean_filters_count_alike_sqlite,
        boolean_filters_count_alike_postgres;
}

/// A case's symptoms: yes with a date, no, or not said yet.
async fn symptoms_read_back_alike(db: Db) {
    let sample = today() - Duration::days(2);
    let onset = today() - Duration::days(4);
    let with = relais_store::cases::create_case(
        &db,
        &relais_store::cases::NewCase {
            symptom_onset: Some(onset.to_string()),
            ..new_case("E-1")
        },
    )
    .await
    .unwrap();
    let unknown = create_case(&db, "E-2").await;

    let situation = situation_of(&db, with).await.unwrap().unwrap();
    assert_eq!(
        (situation.sample_date, situation.symptom_onset),
        (sample, Some(onset))
    );
    assert_eq!(sql::has_symptoms(&db, with).await.unwrap(), Some(true));
    let situation = situation_of(&db, unknown).await.unwrap().unwrap();
    assert_eq!(
        (situation.sample_date, situation.symptom_onset),
        (sample, None)
    );
    assert_eq!(
        sql::has_symptoms(&db, unknown).await.unwrap(),
        None,
        "not said yet: NULL, not false"
    );

    // The case says they have none: false, not unknown.
    assert!(save_symptom_onset(&db, with, None).await.unwrap());
    assert_eq!(sql::has_symptoms(&db, with).await.unwrap(), Some(false));
    assert_eq!(
        situation_of(&db, with)
            .await
            .unwrap()
            .unwrap()
            .symptom_onset,
        None
    );
    // A leap day, and the first day of a year, come back as written.
    for day in ["2028-02-29", "2027-01-01"] {
        let day = relais::dates::parse_iso(day).unwrap();
        assert!(save_symptom_onset(&db, unknown, Some(day)).await.unwrap());
        assert_eq!(
            situation_of(&db, unknown)
                .await
                .unwrap()
                .unwrap()
                .symptom_onset,
            Some(day)
        );
    }
    assert_eq!(sql::has_symptoms(&db, unknown).await.unwrap(), Some(true));
    assert_eq!(
        sql::cases_with_symptoms(&db, true).await.unwrap(),
        vec![unknown]
    );
    assert_eq!(
        sql::cases_with_symptoms(&db, false).await.unwrap(),
        vec![with]
    );
    assert_eq!(situation_of(&db, CaseId(999_999)).await.unwrap(), None);
}

/// Every boolean of a contact, each way round, reads back as it was saved.
async fn contact_flags_read_back_alike(db: Db) {
    let case = create_case(&db, "E-3").await;
    let mut minor = contact_input("Jules", "+33611111111");
    minor.phone = Phone {
        e164: "+33411111111".to_owned(),
        can_receive_sms: false,
    };
    minor.relationship = Relationship::School;
    minor.email = Some("jules@example.org".to_owned());
    minor.exposure.household = false;
    minor.exposure.minor = true;
    minor.exposure.exposures = [ExposureKind::FaceToFace, ExposureKind::CoughSneeze].into();
    minor.exposure.protection = [Protection::ContactMask].into();
    minor.guardian_phone = Some(Phone {
        e164: "+33622222222".to_owned(),
        can_receive_sms: true,
    });
    let adult = contact_input("Léa", "+33633333333");
    for input in [&minor, &adult] {
        let saved = save_contact(
            &db,
            case,
            None,
            "",
            input,
            Classification::AtRisk,
            Editor::Case,
        )
        .await
        .unwrap();
        let SaveOutcome::Saved(id) = saved else {
            panic!("not saved: {saved:?}");
        };
        let stored = find_contact(&db, case, id).await.unwrap().unwrap();
        assert_eq!(&stored.input, input);
        assert!(!stored.changed_after_submit);
    }
}

/// A place's indoors (yes/no) and masks (yes/no/unknown) read back as saved.
async fn place_flags_read_back_alike(db: Db) {
    let case = create_case(&db, "E-4").await;
    let mut places = Vec::new();
    for (i, (indoors, masks)) in [(true, None), (false, Some(true)), (true, Some(false))]
        .into_iter()
        .enumerate()
    {
        let place = PlaceInput {
            kind: PlaceKind::PrivateGathering,
            name: format!("Fête {i}"),
            town: "Nantes".to_owned(),
            visited_on: today() - Duration::days(5 - i as i64),
            attendance: (i > 0).then_some(30),
            indoors,
            masks,
        };
        save_place(&db, case, None, "", &place).await.unwrap();
        places.push(place);
    }
    let stored: Vec<PlaceInput> = list_places(&db, case)
        .await
        .unwrap()
        .into_iter()
        .map(|p| p.input)
        .collect();
    assert_eq!(stored, places);
}

/// A tracer's draft remembers whether it was refused for a conflict.
async fn staff_draft_flag_reads_back_alike(db: Db) {
    let case = create_case(&db, "E-5").await;
    let anna = tracer(&db, "anna").await;
    for conflict in [true, false] {
        save_staff_draft(&db, anna, scoped(&db, case).await, "{}", conflict)
            .await
            .unwrap();
        let draft = load_staff_draft(&db, anna, scoped(&db, case).await)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(draft.conflict, conflict);
    }
}

/// A staff account as sign-in reads it: not disabled, locked or not.
async fn staff_account_flags_read_back_alike(db: Db) {
    let anna = tracer(&db, "anna").await;
    let account = find_for_sign_in(&db, "anna").await.unwrap().unwrap();
    assert_eq!(
        (account.id, account.locked, account.disabled),
        (anna, false, false)
    );
    lock_sign_in(&db, SignInName::Account(anna)).await.unwrap();
    let account = find_for_sign_in(&db, "anna").await.unwrap().unwrap();
    assert_eq!((account.locked, account.disabled), (true, false));
    assert!(find_for_sign_in(&db, "nobody").await.unwrap().is_none());
}

/// A filter on a boolean bound as a parameter (the per-address limit of
/// failed attempts) counts the same rows on both engines.
async fn boolean_filters_count_alike(db: Db) {
    let limit = BIRTH_DATE_LIMIT;
    let kind = AttemptKind::BirthDate;
    for _ in 0..limit.max_failures - 1 {
        record_birth_date_attempt(&db, None, "failing", false)
            .await
            .unwrap();
        record_birth_date_attempt(&db, None, "succeeding", true)
            .await
            .unwrap();
    }
    record_birth_date_attempt(&db, None, "succeeding", true)
        .await
        .unwrap();
    assert!(!is_rate_limited(&db, kind, "failing", limit).await.unwrap());
    assert!(!is_rate_limited(&db, kind, "succeeding", limit)
        .await
        .unwrap());
    record_birth_date_attempt(&db, None, "failing", false)
        .await
        .unwrap();
    assert!(is_rate_limited(&db, kind, "failing", limit).await.unwrap());
    assert!(
        !is_rate_limited(&db, AttemptKind::StaffSignIn, "failing", limit)
            .await
            .unwrap(),
        "another kind of attempt"
    );
}
