//! The case's declaration: contacts classified by the rules, places of the
//! days before J0, drafts that keep what was typed, sending once, changes
//! after sending marked for the tracer — on SQLite and PostgreSQL.

use crate::common::browser::main_of;
use crate::common::citizen::{contact_form, SESSION_COOKIE};
use crate::common::{engine_test, sql, Engine, TestServer};

engine_test!(
    a_contact_is_saved_in_e164_and_classified_at_once_with_its_reason,
    |engine| async move {
        let server = TestServer::start(engine).await;
        let (case_id, case) = server.signed_in_case("D-1").await;
        let to = case.add_contact(&[]).await;
        assert!(
            to.starts_with("/dossier/contacts#item-"),
            "{engine:?}: {to}"
        );
        let (_, body) = case.page("/dossier/contacts").await;
        let main = main_of(&body);
        assert!(main.contains("Berthe Quillard"), "{main}");
        assert!(main.contains("Contact à risque<"), "{main}");
        assert!(
            main.contains("À risque : face à face à moins d&#x27;un mètre.")
                || main.contains("À risque : face à face à moins d'un mètre."),
            "{main}"
        );
        assert!(main.contains("06 39 98 01 10"), "{main}");
        let rows = sql::contact_rows(&server.db, case_id).await;
        assert_eq!(rows, vec![("+33639980110".to_owned(), false, None)]);
        // Its form opens with its classification already shown (the island's
        // first state, rendered by the server).
        let id = to.rsplit('-').next().unwrap();
        let (_, body) = case.page(&format!("/dossier/contacts/{id}")).await;
        let preview = &body[body.find("risk-preview").expect("preview")..];
        assert!(preview.contains("tag tag-danger"), "{preview}");
        assert!(body.contains("value=\"Berthe\""));

        // A mask worn by the case makes the same meeting negligible.
        case.add_contact(&[
            ("phone", "+33 6 39 98 01 11"),
            ("protection_case_mask", "on"),
        ])
        .await;
        let (_, body) = case.page("/dossier/contacts").await;
        assert!(body.contains("Contact à risque négligeable"), "{body}");
        assert!(
            body.contains("risque écarté par masque chirurgical"),
            "{body}"
        );
    }
);

engine_test!(
    bad_input_is_kept_as_a_draft_and_explained,
    |engine| async move {
        let server = TestServer::start(engine).await;
        let (case_id, token) = server.new_case("D-2").await;
        let case = server.browser();
        case.sign_in(&token).await;
        let to = case
            .add_contact(&[
                ("first_name", " "),
                ("phone", "06 12"),
                ("day", "31"),
                ("month", "2"),
            ])
            .await;
        assert_eq!(to, "/dossier/contacts/nouveau", "{engine:?}");
        assert!(sql::contact_rows(&server.db, case_id).await.is_empty());
        // The form comes back with every problem and what was typed.
        let (_, body) = case.page("/dossier/contacts/nouveau").await;
        assert!(body.contains("error-summary"), "{body}");
        assert!(body.contains("Indiquez le prénom"), "{body}");
        assert!(
            body.contains("Ce numéro n&#x27;existe pas") || body.contains("Ce numéro n'existe pas"),
            "{body}"
        );
        assert!(
            body.contains("Cette date n&#x27;existe pas")
                || body.contains("Cette date n'existe pas"),
            "{body}"
        );
        assert!(body.contains("value=\"Quillard\""), "{body}");
        assert!(body.contains("href=\"#first-name\""), "{body}");
        // The draft is on the server: after the phone died, the link opened
        // again and the date of birth confirmed again, the form finds it.
        let again = server.browser();
        again.sign_in(&token).await;
        assert_ne!(again.cookie(SESSION_COOKIE), case.cookie(SESSION_COOKIE));
        let (_, body) = again.page("/dossier/contacts/nouveau").await;
        assert!(body.contains("value=\"Quillard\""), "{engine:?}");
        // Cancelling forgets it.
        case.cancel_contact().await;
        let (_, body) = case.page("/dossier/contacts/nouveau").await;
        assert!(!body.contains("Quillard") && !body.contains("error-summary"));
        // Without a session, nothing is written.
        let to = server.browser().add_contact(&[]).await;
        assert_eq!(to, "/dossier");
        assert!(sql::contact_rows(&server.db, case_id).await.is_empty());
    }
);

#[tokio::test]
async fn landlines_duplicates_and_meetings_outside_the_window_are_explained() {
    let server = TestServer::start(Engine::Sqlite).await;
    let (case_id, case) = server.signed_in_case("D-3").await;
    // A French landline: accepted, marked.
    case.add_contact(&[("phone", "01 44 55 66 77")]).await;
    // The same mobile twice.
    case.add_contact(&[("first_name", "Anne")]).await;
    case.add_contact(&[("first_name", "Annie")]).await;
    // Met before the window (12–16 Nov 2020).
    case.add_contact(&[
        ("phone", "+447700900123"),
        ("day", "5"),
        ("first_name", "Old"),
    ])
    .await;
    let rows = sql::contact_rows(&server.db, case_id).await;
    assert_eq!(rows.len(), 4, "{rows:?}");
    let can_sms = sql::contact_phone_can_sms(&server.db, case_id, "+33144556677").await;
    assert_eq!(can_sms, 0);
    let (_, body) = case.page("/dossier/contacts").await;
    assert_eq!(
        body.matches("Ce numéro ne peut pas recevoir de SMS")
            .count(),
        1
    );
    assert_eq!(body.matches("Ce numéro apparaît plusieurs fois").count(), 2);
    assert!(body.contains("Rencontré en dehors de la période contagieuse"));
    assert!(body.contains("+44 7700 900123"), "{body}");
}

#[tokio::test]
async fn a_minor_needs_a_guardian_phone() {
    let server = TestServer::start(Engine::Sqlite).await;
    let (case_id, case) = server.signed_in_case("D-4").await;
    let to = case.add_contact(&[("minor", "oui")]).await;
    assert_eq!(to, "/dossier/contacts/nouveau");
    let (_, body) = case.page("/dossier/contacts/nouveau").await;
    assert!(
        body.contains("Indiquez le téléphone d&#x27;un parent")
            || body.contains("Indiquez le téléphone d'un parent"),
        "{body}"
    );
    let to = case
        .add_contact(&[("minor", "oui"), ("guardian_phone", "0639980112")])
        .await;
    assert!(to.starts_with("/dossier/contacts#item-"), "{to}");
    let guardian = sql::guardian_phone_of_case(&server.db, case_id).await;
    assert_eq!(guardian.as_deref(), Some("+33639980112"));
}

engine_test!(
    one_case_cannot_read_change_or_remove_anothers_contacts,
    |engine| async move {
        let server = TestServer::start(engine).await;
        let (a, case_a) = server.signed_in_case("D-5a").await;
        let (_, case_b) = server.signed_in_case("D-5b").await;
        case_a.add_contact(&[]).await;
        let id = sql::contact_of_case(&server.db, a).await;
        let path = format!("/dossier/contacts/{id}");
        let (_, body) = case_b.page(&path).await;
        assert!(!body.contains("Quillard"), "{engine:?}");
        let id_text = id.to_string();
        case_b
            .add_contact(&[("contact", id_text.as_str()), ("last_name", "Hijack")])
            .await;
        case_b.remove_contact(id).await;
        let (_, body) = case_a.page(&path).await;
        assert!(body.contains("value=\"Quillard\""), "{engine:?}: {body}");
        assert!(!body.contains("Hijack"));
    }
);

engine_test!(
    places_of_the_days_before_j0_are_listed_and_checked,
    |engine| async move {
        let server = TestServer::start(engine).await;
        let (case_id, case) = server.signed_in_case("D-6").await;
        let place = |day: &'static str| {
            vec![
                ("place", "nouveau"),
                ("kind", "restaurant"),
                ("name", "Le Central"),
                ("town", "Lyon"),
                ("day", day),
                ("month", "11"),
                ("year", "2020"),
                ("attendance", "40"),
                ("setting", "indoors"),
                ("masks", "non"),
            ]
        };
        // J0 = 14 Nov 2020: places from 7 to 14 Nov.
        let (_, body) = case.page("/dossier/lieux").await;
        assert!(
            body.contains("7 novembre 2020") && body.contains("14 novembre 2020"),
            "{body}"
        );
        let to = case.add_place(&place("3")).await;
        assert_eq!(to, "/dossier/lieux/nouveau", "{engine:?}");
        let (_, body) = case.page("/dossier/lieux/nouveau").await;
        assert!(
            body.contains("La date doit être dans la période indiquée"),
            "{body}"
        );
        let to = case.add_place(&place("8")).await;
        assert!(to.starts_with("/dossier/lieux#item-"), "{to}");
        let (_, body) = case.page("/dossier/lieux").await;
        assert!(
            body.contains("Le Central") && body.contains("environ 40 personnes"),
            "{body}"
        );
        let n = sql::count_places_of_case(&server.db, case_id).await;
        assert_eq!(n, 1);
    }
);

engine_test!(
    sending_twice_is_one_submission_and_later_changes_are_marked,
    |engine| async move {
        let server = TestServer::start(engine).await;
        let (case_id, case) = server.signed_in_case("D-7").await;
        case.add_contact(&[]).await;
        let (_, body) = case.page("/dossier/envoi").await;
        assert!(body.contains("Berthe Quillard") && body.contains("Envoyer ma déclaration"));
        let first = case.submit().await;
        assert_eq!(first, "/dossier/envoyee", "{engine:?}");
        let read = || sql::case_submission(&server.db, case_id);
        let (status, at) = read().await;
        assert_eq!(status, "submitted");
        assert!(at.is_some());
        tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
        let again = case.submit().await;
        assert_eq!(again, "/dossier/envoyee");
        assert_eq!(read().await, ("submitted".to_owned(), at), "one submission");
        let (_, body) = case.page("/dossier/envoyee").await;
        assert!(body.contains("Votre déclaration est envoyée"), "{body}");
        assert!(body.contains("Restez isolé jusqu"), "{body}");

        // After sending: an addition is new for the tracer, a removal is kept.
        case.add_contact(&[("phone", "0639980113")]).await;
        let rows = sql::contact_rows(&server.db, case_id).await;
        assert!(!rows[0].1);
        assert!(rows[1].1, "{rows:?}");
        let first_id = sql::first_contact_of_case(&server.db, case_id).await;
        case.remove_contact(first_id).await;
        let rows = sql::contact_rows(&server.db, case_id).await;
        assert_eq!(rows.len(), 2);
        assert!(rows[0].1 && rows[0].2.is_some(), "{rows:?}");
        let (_, body) = case.page("/dossier/contacts").await;
        assert!(
            !body.contains("06 39 98 01 10"),
            "a removed contact leaves the case's list"
        );

        // A closed case changes no more.
        sql::close_case(&server.db, case_id).await;
        case.add_contact(&[("phone", "0639980114")]).await;
        assert_eq!(sql::contact_rows(&server.db, case_id).await.len(), 2);
    }
);

#[tokio::test]
async fn before_sending_a_removal_deletes_the_draft_contact() {
    let server = TestServer::start(Engine::Sqlite).await;
    let (case_id, case) = server.signed_in_case("D-8").await;
    case.add_contact(&[]).await;
    let id = sql::contact_of_case(&server.db, case_id).await;
    let to = case.remove_contact(id).await;
    assert_eq!(to, "/dossier/contacts");
    assert!(sql::contact_rows(&server.db, case_id).await.is_empty());
}

#[tokio::test]
async fn every_validation_rule_refuses_its_bad_value_with_its_message() {
    let server = TestServer::start(Engine::Sqlite).await;
    let (case_id, case) = server.signed_in_case("D-9").await;
    let long = "x".repeat(101);
    let cases: Vec<(Vec<(&str, &str)>, &str)> = vec![
        (vec![("first_name", "")], "Indiquez le prénom"),
        (vec![("last_name", " ")], "Indiquez le nom"),
        (
            vec![("first_name", long.as_str())],
            "Ce texte est trop long",
        ),
        (vec![("phone", "")], "Indiquez un numéro de téléphone"),
        (
            vec![("phone", "06 AB 12")],
            "ne doit contenir que des chiffres",
        ),
        (vec![("phone", "06 12")], "Ce numéro n"),
        (vec![("email", "berthe@")], "adresse e-mail n"),
        (
            vec![("relationship", "")],
            "Indiquez comment vous connaissez",
        ),
        (
            vec![("relationship", "boss")],
            "Indiquez comment vous connaissez",
        ),
        (
            vec![("day", ""), ("month", ""), ("year", "")],
            "Indiquez la date",
        ),
        (
            vec![("day", "32")],
            "Le jour doit être un nombre entre 1 et 31",
        ),
        (
            vec![("month", "13")],
            "Le mois doit être un nombre entre 1 et 12",
        ),
        (vec![("year", "20")], "Vérifiez l'année"),
        (vec![("day", "31"), ("month", "11")], "Cette date n"),
        (vec![("year", "2099")], "ni dans le futur"),
        (
            vec![("day", "21"), ("month", "11"), ("year", "2099")],
            "ni dans le futur",
        ),
        (
            vec![("minor", "")],
            "Indiquez si cette personne a moins de 18 ans",
        ),
        (vec![("minor", "oui")], "Indiquez le téléphone d"),
        (
            vec![("minor", "oui"), ("guardian_phone", "12")],
            "Le téléphone du parent n",
        ),
    ];
    for (overrides, message) in cases {
        let to = case.add_contact(&overrides).await;
        assert_eq!(to, "/dossier/contacts/nouveau", "{overrides:?}");
        let (status, body) = case.page("/dossier/contacts/nouveau").await;
        assert_eq!(status, reqwest::StatusCode::OK);
        let apostrophes = body.replace("&#x27;", "'");
        let wanted = message.replace("&#x27;", "'");
        assert!(
            apostrophes.contains(&wanted),
            "{overrides:?}: no «{message}» in {}",
            main_of(&body)
        );
        assert!(
            sql::contact_rows(&server.db, case_id).await.is_empty(),
            "{overrides:?}"
        );
    }
    // Forms no browser sends never cause a server error.
    for body in [
        "%%%",
        "contact=1&contact=2",
        "first_name=a&exposure_face_to_face=x&exposure_face_to_face=y",
        "",
    ] {
        let response = case.post_raw("/api/case/contact", body).await;
        assert!(
            !response.status().is_server_error(),
            "{body:?} gave {}",
            response.status()
        );
    }
}

engine_test!(
    concurrent_changes_of_one_case_all_land,
    |engine| async move {
        let server = TestServer::start(engine).await;
        let (case_id, case) = server.signed_in_case("D-10").await;
        let phones: Vec<String> = (20..36).map(|n| format!("06399801{n}")).collect();
        let mut tasks = tokio::task::JoinSet::new();
        for phone in phones {
            // Another tab of the case's browser.
            let case = case.clone();
            tasks.spawn(async move {
                let form = contact_form(&[("phone", phone.as_str())]);
                let response = case.post("/api/case/contact", &form).await;
                response.headers()["location"].to_str().unwrap().to_owned()
            });
        }
        while let Some(location) = tasks.join_next().await {
            let location = location.unwrap();
            assert!(
                location.starts_with("/dossier/contacts#item-"),
                "{engine:?}: {location}"
            );
        }
        assert_eq!(
            sql::contact_rows(&server.db, case_id).await.len(),
            16,
            "{engine:?}"
        );
    }
);
