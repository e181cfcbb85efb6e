//! Issue 21's review findings that belong to no other journey: a form
//! posted twice, a contact frozen once validated, a symptom onset changed
//! after the list was sent, names that are no account, and locks that end.

use crate::common::browser::{location, main_of, Browser};
use crate::common::citizen::contact_form;
use crate::common::staff::staff_cookie;
use crate::common::{engine_test, sql, TestServer};
use relais::roles::StaffRole;
use std::time::{Duration, Instant};

/// The value of the hidden `form_key` field of the form at `path`.
async fn form_key(browser: &Browser, path: &str) -> String {
    let (status, body) = browser.page(path).await;
    assert_eq!(status, 200, "{path}");
    let at = body
        .find(r#"name="form_key""#)
        .unwrap_or_else(|| panic!("a form key in {path}: {body}"));
    let value = &body[at..];
    let start = value.find(r#"value=""#).unwrap() + 7;
    let end = start + value[start..].find('"').unwrap();
    let key = value[start..end].to_owned();
    assert!(key.len() >= 16, "{key}");
    key
}

engine_test!(
    a_contact_or_place_form_posted_twice_adds_it_once,
    |engine| async move {
        let server = TestServer::start(engine).await;
        let (case_id, case) = server.signed_in_case("H-TWICE").await;
        // A double tap on a bad network: the same form, twice at once.
        let key = form_key(&case, "/dossier/contacts/nouveau").await;
        let mut form = contact_form(&[]);
        form.push(("form_key", &key));
        let (first, second) = tokio::join!(
            case.post("/api/case/contact", &form),
            case.post("/api/case/contact", &form)
        );
        let (first, second) = (location(&first), location(&second));
        assert!(first.starts_with("/dossier/contacts#item-"), "{first}");
        assert_eq!(
            first, second,
            "{engine:?}: both answered with the one contact"
        );
        // A third time, later: still one.
        let third = case.post_form("/api/case/contact", &form).await;
        assert_eq!(third, first);
        assert_eq!(
            sql::count_contacts_and_places(&server.db, case_id).await.0,
            1
        );
        // A new form has a new key: a second contact is added.
        let other = form_key(&case, "/dossier/contacts/nouveau").await;
        assert_ne!(other, key);
        let mut form = contact_form(&[("first_name", "Octave")]);
        form.push(("form_key", &other));
        let to = case.post_form("/api/case/contact", &form).await;
        assert_ne!(to, first);
        assert_eq!(
            sql::count_contacts_and_places(&server.db, case_id).await.0,
            2
        );

        // The same for a place.
        let key = form_key(&case, "/dossier/lieux/nouveau").await;
        let place = [
            ("place", "nouveau"),
            ("form_key", key.as_str()),
            ("kind", "restaurant"),
            ("name", "Le Central"),
            ("town", "Lyon"),
            ("day", "13"),
            ("month", "11"),
            ("year", "2020"),
            ("attendance", "40"),
            ("setting", "indoors"),
            ("masks", "non"),
        ];
        let (first, second) = tokio::join!(
            case.post("/api/case/place", &place),
            case.post("/api/case/place", &place)
        );
        let (first, second) = (location(&first), location(&second));
        assert!(
            first.starts_with("/dossier/lieux#item-"),
            "{engine:?}: {first}"
        );
        assert_eq!(first, second);
        assert_eq!(
            sql::count_contacts_and_places(&server.db, case_id).await.1,
            1
        );
    }
);

engine_test!(
    a_tracer_form_posted_twice_adds_the_contact_once,
    |engine| async move {
        let server = TestServer::start(engine).await;
        let (case_id, _case) = server.case_with_list("H-DESK", &["06 39 98 01 10"]).await;
        let tracer = server.staff("h-tracer", StaffRole::Tracer).await;
        let path = format!("/equipe/dossiers/{case_id}/contacts/nouveau");
        let key = form_key(&tracer, &path).await;
        let version = sql::case_version(&server.db, case_id).await.to_string();
        let case_text = case_id.to_string();
        let mut form = contact_form(&[("first_name", "Octave"), ("phone", "06 39 98 01 11")]);
        form.extend([
            ("form_key", key.as_str()),
            ("case_id", case_text.as_str()),
            ("version", version.as_str()),
        ]);
        let first = tracer.save_contact(&form).await;
        // Posted again with the version it was opened on: not a conflict,
        // the contact it added.
        let second = tracer.save_contact(&form).await;
        assert_eq!(first, second, "{engine:?}");
        assert!(!first.contains("conflit"), "{first}");
        assert_eq!(sql::contact_ids(&server.db, case_id).await.len(), 2);
    }
);

engine_test!(
    a_validated_contact_is_frozen_for_the_case_and_its_own_corrections_stay_apart,
    |engine| async move {
        let server = TestServer::start(engine).await;
        let (case_id, case) = server.case_with_list("H-FROZEN", &["06 39 98 01 10"]).await;
        let contact_id = sql::contact_ids(&server.db, case_id).await[0];
        let tracer = server.staff("h-tracer2", StaffRole::Tracer).await;
        let version = sql::case_version(&server.db, case_id).await;
        assert!(tracer
            .validate(case_id, version)
            .await
            .contains("ok=validated"));
        // The contact corrects their name and email on their own page.
        let contact = server
            .contact_browser(relais::ids::ContactId(contact_id))
            .await;
        let to = contact
            .update_details(&[
                ("first_name", "Bertille"),
                ("last_name", "Quillard-Neuve"),
                ("email", "bertille@example.fr"),
                ("phone", "06 39 98 01 10"),
            ])
            .await;
        assert_eq!(to, "/contact");
        let (as_written, own) = sql::contact_names_as_written(&server.db, contact_id).await;
        assert_eq!(
            (as_written.as_str(), own.as_deref()),
            ("Berthe", Some("Bertille"))
        );
        // The case sees what they wrote, never the contact's corrections.
        let (_, list) = case.page("/dossier/contacts").await;
        let list = main_of(&list);
        assert!(list.contains("Berthe Quillard"), "{list}");
        assert!(
            !list.contains("Bertille") && !list.contains("bertille@example.fr"),
            "{engine:?}: {list}"
        );
        let (_, form) = case.page(&format!("/dossier/contacts/{contact_id}")).await;
        assert!(
            !form.contains("Bertille") && !form.contains("bertille@"),
            "{form}"
        );
        // Checked by the tracer: the case can no longer change it nor
        // remove it, and is told why.
        assert!(list.contains("Vérifié par l'enquêteur"), "{list}");
        let id = contact_id.to_string();
        let to = case
            .post_form(
                "/api/case/contact",
                &contact_form(&[("contact", &id), ("first_name", "Autre")]),
            )
            .await;
        assert_eq!(to, "/dossier/contacts?erreur=frozen", "{engine:?}");
        let (_, list) = case.page(&to).await;
        assert!(list.contains("déjà été vérifiée par l'enquêteur"), "{list}");
        case.remove_contact(contact_id).await;
        assert_eq!(sql::contact_ids(&server.db, case_id).await, [contact_id]);
        let (as_written, _) = sql::contact_names_as_written(&server.db, contact_id).await;
        assert_eq!(as_written, "Berthe");
        // The tracer and the contact see the corrections.
        let (_, page) = tracer.open_case(case_id).await;
        assert!(page.contains("Bertille"), "{engine:?}: the tracer sees it");
        let (_, page) = contact.page("/contact/coordonnees").await;
        assert!(page.contains("bertille@example.fr"), "{page}");
    }
);

engine_test!(
    an_onset_changed_after_the_list_was_sent_is_flagged_for_the_tracer,
    |engine| async move {
        let server = TestServer::start(engine).await;
        let (case_id, case) = server.case_with_list("H-ONSET", &["06 39 98 01 10"]).await;
        let tracer = server.staff("h-tracer3", StaffRole::Tracer).await;
        let (_, page) = tracer.open_case(case_id).await;
        assert!(!page.contains("onset-changed"), "no flag yet");
        // The same onset again changes nothing.
        let same = [
            ("symptoms", "oui"),
            ("day", "14"),
            ("month", "11"),
            ("year", "2020"),
        ];
        assert_eq!(case.declare_situation(&same).await, "/dossier");
        let (_, page) = tracer.open_case(case_id).await;
        assert!(
            !page.contains("onset-changed"),
            "{engine:?}: same date, no flag"
        );
        let moved = [
            ("symptoms", "oui"),
            ("day", "13"),
            ("month", "11"),
            ("year", "2020"),
        ];
        assert_eq!(case.declare_situation(&moved).await, "/dossier");
        let (_, page) = tracer.open_case(case_id).await;
        assert!(page.contains("onset-changed"), "{engine:?}: flagged");
        assert!(page.contains("a changé la date de début des symptômes"));
        // The tracer checks and validates again: the flag goes.
        let version = sql::case_version(&server.db, case_id).await;
        assert!(tracer
            .validate(case_id, version)
            .await
            .contains("ok=validated"));
        let (_, page) = tracer.open_case(case_id).await;
        assert!(!page.contains("onset-changed"), "{engine:?}: cleared");
    }
);

/// A server whose sign-in delay base is `ms`.
async fn server_with_delay(engine: crate::common::Engine, ms: &str) -> TestServer {
    TestServer::start_with(engine, &[("RELAIS_SIGN_IN_DELAY_MS", ms)]).await
}

engine_test!(
    a_name_that_is_no_account_is_slowed_and_locked_as_an_account_is,
    |engine| async move {
        let server = server_with_delay(engine, "400").await;
        let browser = server.browser();
        let mut took = Vec::new();
        for _ in 0..3 {
            let started = Instant::now();
            let to = browser
                .staff_sign_in("nobody-here", "a-wrong-password")
                .await;
            took.push(started.elapsed());
            assert_eq!(location(&to), "/equipe/connexion?erreur=credentials");
        }
        // The third failure waits the base delay, as an account's does.
        assert!(
            took[2] >= Duration::from_millis(400),
            "{engine:?}: {took:?}"
        );
        assert_eq!(sql::unknown_name_failures(&server.db).await, [(3, 0)]);
        // The name is not stored: only its keyed hash.
        assert_eq!(
            sql::values_containing(&server.db, "sign_in_names", "name_hash", "nobody").await,
            0
        );

        // With a short delay, ten failures lock the unknown name too.
        let server = server_with_delay(engine, "1").await;
        let browser = server.browser();
        for _ in 0..relais::desk::sign_in::LOCK_AFTER {
            browser
                .staff_sign_in("Nobody-Else", "a-wrong-password")
                .await;
        }
        assert_eq!(
            sql::unknown_name_failures(&server.db).await,
            [(i64::from(relais::desk::sign_in::LOCK_AFTER), 1)],
            "{engine:?}"
        );
        // Locked: answered at once, not counted, the same answer.
        let to = browser
            .staff_sign_in(" nobody-else ", "a-wrong-password")
            .await;
        assert_eq!(location(&to), "/equipe/connexion?erreur=credentials");
        assert_eq!(
            sql::unknown_name_failures(&server.db).await[0].0,
            i64::from(relais::desk::sign_in::LOCK_AFTER)
        );
    }
);

engine_test!(
    an_account_lock_ends_after_15_minutes_then_doubles,
    |engine| async move {
        let server = server_with_delay(engine, "1").await;
        let password = server.staff_account("lucien", StaffRole::Tracer).await;
        let browser = server.browser();
        let lock = || async {
            for _ in 0..relais::desk::sign_in::LOCK_AFTER {
                browser.staff_sign_in("lucien", "wrong-password-123").await;
            }
        };
        lock().await;
        let refused = browser.staff_sign_in("lucien", &password).await;
        assert!(staff_cookie(&refused).is_none(), "{engine:?}: locked");
        server.db.clock().advance(time::Duration::minutes(14));
        assert!(staff_cookie(&browser.staff_sign_in("lucien", &password).await).is_none());
        // After 15 minutes the right password opens; the count starts again.
        server.db.clock().advance(time::Duration::minutes(2));
        let ok = browser.staff_sign_in("lucien", &password).await;
        assert!(staff_cookie(&ok).is_some(), "{engine:?}: the lock ended");
        assert_eq!(
            sql::failed_logins_and_lock(&server.db, "lucien").await,
            (0, None)
        );
        // Locked again; when it ends, one more wrong password locks it for
        // twice as long.
        lock().await;
        server.db.clock().advance(time::Duration::minutes(16));
        browser.staff_sign_in("lucien", "wrong-password-123").await;
        server.db.clock().advance(time::Duration::minutes(16));
        let refused = browser.staff_sign_in("lucien", &password).await;
        assert!(
            staff_cookie(&refused).is_none(),
            "{engine:?}: 30 minutes this time"
        );
        server.db.clock().advance(time::Duration::minutes(15));
        let ok = browser.staff_sign_in("lucien", &password).await;
        assert!(staff_cookie(&ok).is_some(), "{engine:?}");
    }
);
