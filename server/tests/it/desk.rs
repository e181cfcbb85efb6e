//! The tracers' console: roles on every staff function, sign-in lockout,
//! conflicts on concurrent edits, one SMS per contact however often a list
//! is validated, contacts shared between open cases, the audit trail and
//! the queues — on SQLite and PostgreSQL.

use crate::common::browser::{location, main_of, Browser};
use crate::common::staff::{staff_cookie, STAFF_COOKIE};
use crate::common::{engine_test, sql, Engine, TestServer};
use relais::roles::StaffRole;

async fn start(engine: Engine) -> TestServer {
    TestServer::start_with(engine, &[("RELAIS_SIGN_IN_DELAY_MS", "1")]).await
}

/// A staff server function, a form that would do something, the role needed.
pub(crate) type StaffFunction = (&'static str, Vec<(&'static str, String)>, StaffRole);

/// Every staff server function, with a form that would do something, and
/// the role it needs.
pub(crate) fn staff_functions(case: &str, version: &str, contact: &str) -> Vec<StaffFunction> {
    let c = |v: &str| v.to_owned();
    let t = StaffRole::Tracer;
    vec![
        ("/api/staff/queue", vec![], t),
        ("/api/staff/case", vec![("id", c(case))], t),
        (
            "/api/staff/contact-form",
            vec![("case", c(case)), ("contact", c(contact))],
            t,
        ),
        (
            "/api/staff/contact",
            vec![
                ("case_id", c(case)),
                ("version", c(version)),
                ("contact", c(contact)),
                ("first_name", c("Intrus")),
                ("last_name", c("Intrus")),
                ("phone", c("06 39 98 07 77")),
                ("relationship", c("work")),
                ("day", c("15")),
                ("month", c("11")),
                ("year", c("2020")),
                ("exposure_face_to_face", c("on")),
                ("minor", c("non")),
            ],
            t,
        ),
        (
            "/api/staff/call",
            vec![("case_id", c(case)), ("outcome", c("refused"))],
            t,
        ),
        ("/api/staff/unlock-link", vec![("case_id", c(case))], t),
        ("/api/staff/resend-link", vec![("case_id", c(case))], t),
        (
            "/api/staff/close",
            vec![("case_id", c(case)), ("version", c(version))],
            t,
        ),
        (
            "/api/staff/remove-contact",
            vec![
                ("case_id", c(case)),
                ("version", c(version)),
                ("contact_id", c(contact)),
            ],
            t,
        ),
        (
            "/api/staff/reclassify",
            vec![
                ("case_id", c(case)),
                ("version", c(version)),
                ("contact_id", c(contact)),
                ("classification", c("negligible")),
                ("reason", c("test")),
            ],
            t,
        ),
        (
            "/api/staff/validate",
            vec![("case_id", c(case)), ("version", c(version))],
            t,
        ),
        (
            "/api/staff/reply-read",
            vec![("case_id", c(case)), ("reply_id", c("1"))],
            t,
        ),
        ("/api/staff/accounts", vec![], StaffRole::Admin),
        (
            "/api/staff/unlock-account",
            vec![("account", c("1"))],
            StaffRole::Admin,
        ),
        (
            "/api/staff/audit",
            vec![("case", c("DESK-1"))],
            StaffRole::Admin,
        ),
        ("/api/staff/figures", vec![], StaffRole::Supervisor),
        ("/api/staff/clusters", vec![], StaffRole::Supervisor),
        ("/api/staff/mutual-aid", vec![], StaffRole::Supervisor),
        ("/api/staff/organisations", vec![], StaffRole::Admin),
        (
            "/api/staff/add-organisation",
            vec![
                ("name", c("Intrus")),
                ("kind", c("fund")),
                ("departements", c("80")),
            ],
            StaffRole::Admin,
        ),
        (
            "/api/staff/lend",
            vec![
                ("source", c("1:80")),
                ("helper", c("1")),
                ("count", c("10")),
            ],
            StaffRole::Supervisor,
        ),
        (
            "/api/staff/lend-share",
            vec![
                ("source", c("1:80")),
                ("helper", c("1")),
                ("share", c("30")),
                ("days", c("7")),
            ],
            StaffRole::Supervisor,
        ),
        (
            "/api/staff/take-back",
            vec![("lend", c("1"))],
            StaffRole::Supervisor,
        ),
        ("/api/staff/security", vec![], t),
        ("/api/staff/support-desk", vec![], StaffRole::Support),
        (
            "/api/staff/support-change",
            vec![("request", c("1")), ("from", c("new")), ("to", c("taken"))],
            StaffRole::Support,
        ),
        (
            "/api/staff/support-ask",
            vec![("case_id", c(case)), ("needs[]", c("groceries"))],
            t,
        ),
        ("/api/staff/feels-worse-seen", vec![("case_id", c(case))], t),
        (
            "/api/staff/reset-second-factor",
            vec![("account", c("1"))],
            StaffRole::Admin,
        ),
    ]
}

/// What a refused request must have left untouched.
pub(crate) async fn fingerprint(server: &TestServer, case_id: i64) -> (i64, i64, i64, i64) {
    (
        sql::case_version(&server.db, case_id).await,
        sql::count_messages_of_case(&server.db, case_id).await,
        sql::count_calls_of_case(&server.db, case_id).await,
        sql::count_live_contacts(&server.db, case_id).await,
    )
}

engine_test!(
    every_staff_function_checks_the_role_on_the_server,
    |engine| async move {
        // The list above must name every staff function the app registers.
        let registered: Vec<String> = leptos::server_fn::axum::server_fn_paths()
            .map(|(path, _)| path.to_owned())
            .filter(|p| p.starts_with("/api/staff/"))
            .collect();
        let listed: Vec<&str> = staff_functions("1", "1", "1").iter().map(|f| f.0).collect();
        for path in &registered {
            // The sign-in's steps: no session yet.
            if path == "/api/staff/sign-in"
                || path == "/api/staff/sign-out"
                || path == "/api/staff/second-factor"
            {
                continue;
            }
            assert!(
                listed.contains(&path.as_str()),
                "{path} is not covered by this test"
            );
        }
        let server = start(engine).await;
        let (case_id, _) = server.case_with_list("DESK-1", &["06 39 98 01 10"]).await;
        let contact = sql::contact_ids(&server.db, case_id).await[0].to_string();
        let version = sql::case_version(&server.db, case_id).await.to_string();
        let tracer = server.staff("tracer1", StaffRole::Tracer).await;
        let supervisor = server.staff("super1", StaffRole::Supervisor).await;
        let cell = relais_store::organisations::create(
            &server.db,
            &relais::organisation::NewOrganisation::new(
                relais::organisation::OrganisationKind::SupportCell,
                "Cellule",
                vec!["80".parse().unwrap()],
            )
            .unwrap(),
        )
        .await
        .unwrap();
        let support = server.staff_in("support1", StaffRole::Support, cell).await;
        let signed_out = server.browser();
        let forged = server.browser();
        let before = fingerprint(&server, case_id).await;
        for (path, form, role) in staff_functions(&case_id.to_string(), &version, &contact) {
            let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
            // Signed out: sent to sign in, nothing done.
            let response = signed_out.post(path, &form).await;
            let status = response.status().as_u16();
            assert!(
                status == 401
                    || (status == 302 && location(&response).starts_with("/equipe/connexion")),
                "{engine:?} {path} signed out: {status}"
            );
            let body = response.text().await.unwrap();
            assert!(
                !body.contains("Zyxwvutsky") && !body.contains("Berthe"),
                "{path}: {body}"
            );
            // A forged cookie is no session.
            forged.set_cookie(STAFF_COOKIE, "forged");
            let response = forged.post(path, &form).await;
            assert!(
                matches!(response.status().as_u16(), 401 | 302),
                "{path} forged"
            );
            // A citizen's session is no staff session.
            let below: &[(&Browser, &str)] = match role {
                StaffRole::Admin => &[(&tracer, "tracer"), (&supervisor, "supervisor")],
                StaffRole::Supervisor => &[(&tracer, "tracer")],
                StaffRole::Tracer => &[],
                // No tracing role does a support cell's work.
                StaffRole::Support => &[(&tracer, "tracer"), (&supervisor, "supervisor")],
            };
            // A support cell's member does no tracer's work: refused, or
            // sent to their own desk, and nothing done.
            if role != StaffRole::Support && path != "/api/staff/security" {
                let response = support.post(path, &form).await;
                let status = response.status().as_u16();
                assert!(
                    status == 403 || (status == 302 && location(&response) == "/equipe/soutien"),
                    "{engine:?} {path} as support: {status}"
                );
                let body = response.text().await.unwrap();
                assert!(!body.contains("Zyxwvutsky"), "{path}: {body}");
            }
            for (staff, who) in below {
                let response = staff.post(path, &form).await;
                assert_eq!(
                    response.status().as_u16(),
                    403,
                    "{engine:?} {path} as {who}"
                );
                let body = response.text().await.unwrap();
                assert!(
                    !body.contains("tracer1") && !body.contains("DESK-1\""),
                    "{path}: {body}"
                );
            }
        }
        assert_eq!(
            fingerprint(&server, case_id).await,
            before,
            "{engine:?}: a refused request changed something"
        );
        // The pages refuse the same way.
        let (status, body) = signed_out.open_case(case_id).await;
        assert_eq!(status.as_u16(), 401, "{engine:?}");
        assert!(!body.contains("Zyxwvutsky"));
        let (status, _) = tracer.page("/equipe/admin/comptes").await;
        assert_eq!(status.as_u16(), 403);
        let admin = server.staff("admin1", StaffRole::Admin).await;
        let (status, body) = admin.page("/equipe/admin/comptes").await;
        assert_eq!(status.as_u16(), 200);
        assert!(body.contains("tracer1"));
    }
);

engine_test!(
    repeated_failures_slow_down_then_lock_an_account_until_an_admin_unlocks_it,
    |engine| async move {
        let server = start(engine).await;
        let password = server.staff_account("lucie", StaffRole::Tracer).await;
        let lucie = server.browser();
        // The same answer for an unknown name and a wrong password.
        let unknown = lucie.staff_sign_in("nobody", &password).await;
        let wrong = lucie.staff_sign_in("lucie", "wrong-password-123").await;
        assert_eq!(location(&unknown), location(&wrong));
        assert_eq!(location(&wrong), "/equipe/connexion?erreur=credentials");
        assert!(staff_cookie(&wrong).is_none());
        for _ in 1..relais::desk::sign_in::LOCK_AFTER {
            lucie.staff_sign_in("lucie", "wrong-password-123").await;
        }
        let (failures, locked) = sql::failed_logins_and_lock(&server.db, "lucie").await;
        assert_eq!(
            failures,
            i64::from(relais::desk::sign_in::LOCK_AFTER),
            "{engine:?}"
        );
        assert!(
            locked.is_some(),
            "{engine:?}: locked after {failures} failures"
        );
        // Locked: the right password is refused, with the same message.
        let refused = lucie.staff_sign_in("lucie", &password).await;
        assert_eq!(location(&refused), "/equipe/connexion?erreur=credentials");
        assert!(staff_cookie(&refused).is_none());
        // An admin lifts the lock.
        let admin = server.staff("root1", StaffRole::Admin).await;
        let id = sql::staff_id(&server.db, "lucie").await;
        let to = admin.unlock_account(id).await;
        assert_eq!(to, "/equipe/admin/comptes?ok=1");
        let ok = lucie.staff_sign_in("lucie", &password).await;
        assert_eq!(location(&ok), "/equipe");
        let first = staff_cookie(&ok).expect("cookie");
        // A new session id at each sign-in; the one presented is ended
        // (the browser presents the first one).
        assert_eq!(
            lucie
                .cookie(STAFF_COOKIE)
                .map(|v| format!("{STAFF_COOKIE}={v}")),
            Some(first.clone())
        );
        let again = lucie.staff_sign_in("lucie", &password).await;
        let second = staff_cookie(&again).expect("cookie");
        assert_ne!(first, second);
        // A browser that kept the first cookie.
        let stale = server.browser();
        let (name, value) = first.split_once('=').unwrap();
        stale.set_cookie(name, value);
        assert_eq!(stale.open_queue("").await.0.as_u16(), 401);
        assert_eq!(lucie.open_queue("").await.0.as_u16(), 200);
        // A request moves the idle timer.
        server.db.clock().advance(time::Duration::minutes(10));
        assert_eq!(lucie.open_queue("").await.0.as_u16(), 200);
        let seen = sql::last_staff_activity(&server.db).await;
        assert!(seen >= server.db.now() - 5, "{engine:?}: idle timer moved");
        // 30 idle minutes end a staff session.
        server.db.clock().advance(time::Duration::seconds(1801));
        assert_eq!(lucie.open_queue("").await.0.as_u16(), 401);
        // Sign-out ends the session (on the server, not only in the browser).
        let third = staff_cookie(&lucie.staff_sign_in("lucie", &password).await).unwrap();
        lucie.staff_sign_out().await;
        let kept = server.browser();
        let (name, value) = third.split_once('=').unwrap();
        kept.set_cookie(name, value);
        assert_eq!(kept.open_queue("").await.0.as_u16(), 401);
    }
);

engine_test!(
    a_change_made_on_a_stale_version_is_a_conflict_that_keeps_both_sides,
    |engine| async move {
        let server = start(engine).await;
        let (case_id, case) = server.case_with_list("DESK-2", &["06 39 98 01 10"]).await;
        let contact = sql::contact_ids(&server.db, case_id).await[0];
        let tracer = server.staff("tracer2", StaffRole::Tracer).await;
        let (_, body) = tracer
            .page(&format!("/equipe/dossiers/{case_id}/contacts/{contact}"))
            .await;
        let seen = sql::case_version(&server.db, case_id).await;
        assert!(
            body.contains(&format!("name=\"version\" value=\"{seen}\"")),
            "{body}"
        );
        // Meanwhile the case changes the same contact's phone.
        let to = case
            .add_contact(&[
                ("contact", &contact.to_string()),
                ("phone", "06 39 98 02 22"),
            ])
            .await;
        assert!(to.contains("#item-"), "{to}");
        // The tracer's correction, made on what they saw, is refused and kept.
        let form_url = format!("/equipe/dossiers/{case_id}/contacts/{contact}");
        let tracer_form = |version: String| {
            vec![
                ("case_id", case_id.to_string()),
                ("version", version),
                ("contact", contact.to_string()),
                ("first_name", "Berthe".to_owned()),
                ("last_name", "Quillard".to_owned()),
                ("phone", "06 39 98 03 33".to_owned()),
                ("relationship", "work".to_owned()),
                ("day", "15".to_owned()),
                ("month", "11".to_owned()),
                ("year", "2020".to_owned()),
                ("exposure_face_to_face", "on".to_owned()),
                ("minor", "non".to_owned()),
            ]
        };
        let form = tracer_form(seen.to_string());
        let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let to = tracer.save_contact(&form).await;
        assert_eq!(to, form_url, "{engine:?}");
        let phone = sql::contact_phone(&server.db, contact).await;
        assert_eq!(
            phone, "+33639980222",
            "{engine:?}: the case's change stands"
        );
        // The form shows the conflict with the fresh values, and what the
        // tracer typed, on the fresh version.
        let (_, body) = tracer.page(&form_url).await;
        let main = main_of(&body);
        assert!(main.contains("Le cas a modifié ce contact"), "{main}");
        assert!(main.contains("06 39 98 02 22"), "fresh value shown: {main}");
        assert!(
            main.contains("value=\"06 39 98 03 33\""),
            "typed value kept: {main}"
        );
        let fresh = sql::case_version(&server.db, case_id).await;
        assert!(main.contains(&format!("name=\"version\" value=\"{fresh}\"")));
        // Saved again on the fresh version, it lands.
        let form = tracer_form(fresh.to_string());
        let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let to = tracer.save_contact(&form).await;
        assert_eq!(
            to,
            format!("/equipe/dossiers/{case_id}?ok=saved#contact-{contact}")
        );
        let (phone, by) = sql::contact_phone_and_editor(&server.db, contact).await;
        assert_eq!(phone, "+33639980333");
        assert!(by.is_some());
        // Validating on a stale version is refused too, nothing queued.
        let to = tracer.validate(case_id, seen).await;
        assert_eq!(to, format!("/equipe/dossiers/{case_id}?erreur=conflict"));
        assert_eq!(sql::count_messages_of_case(&server.db, case_id).await, 0);
        // A tracer's own mistake keeps the draft with its message.
        let mut bad = tracer_form(sql::case_version(&server.db, case_id).await.to_string());
        bad[5].1 = "123".to_owned();
        let bad: Vec<(&str, &str)> = bad.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let to = tracer.save_contact(&bad).await;
        assert_eq!(to, form_url);
        let (_, body) = tracer.page(&form_url).await;
        assert!(main_of(&body).contains("value=\"123\""), "{engine:?}");
        assert!(main_of(&body).contains("error-summary"));
    }
);

engine_test!(
    validating_twice_queues_one_sms_per_at_risk_mobile_contact,
    |engine| async move {
        let server = start(engine).await;
        // At risk with a mobile, at risk on a landline, negligible (mask).
        let (case_id, case) = server
            .case_with_list("DESK-3", &["06 39 98 01 10", "01 44 55 66 77"])
            .await;
        case.add_contact(&[("phone", "06 39 98 01 12"), ("protection_case_mask", "on")])
            .await;
        let tracer = server.staff("tracer3", StaffRole::Tracer).await;
        let validate = |version: i64| tracer.validate(case_id, version);
        let to = validate(sql::case_version(&server.db, case_id).await).await;
        assert_eq!(
            to,
            format!("/equipe/dossiers/{case_id}?ok=validated&n=1"),
            "{engine:?}"
        );
        let to = validate(sql::case_version(&server.db, case_id).await).await;
        assert_eq!(
            to,
            format!("/equipe/dossiers/{case_id}?ok=validated&n=0"),
            "{engine:?}"
        );
        let rows = sql::notifications_of_case(&server.db, case_id).await;
        assert_eq!(rows.len(), 1, "{engine:?}: {rows:?}");
        assert_eq!(rows[0].0, "+33639980110");
        assert_eq!(rows[0].2, "pending");
        // Every contact is validated; the page says the SMS is queued.
        assert_eq!(sql::count_validated_contacts(&server.db, case_id).await, 3);
        let (_, body) = tracer.open_case(case_id).await;
        assert!(
            main_of(&body).contains("SMS en file d&#x27;envoi")
                || main_of(&body).contains("SMS en file d'envoi")
        );
        // A tracer reclassifying the negligible contact as at risk (with a
        // reason) makes the next validation queue its SMS, once.
        let negligible = sql::contact_ids(&server.db, case_id).await[2];
        let version = sql::case_version(&server.db, case_id).await;
        let to = tracer
            .reclassify(case_id, version, negligible, "at_risk", "masque mal porté")
            .await;
        assert!(to.contains("ok=reclassified"), "{to}");
        let to = validate(sql::case_version(&server.db, case_id).await).await;
        assert!(to.ends_with("n=1"), "{engine:?}: {to}");
        validate(sql::case_version(&server.db, case_id).await).await;
        assert_eq!(sql::count_messages_of_case(&server.db, case_id).await, 2);
        // The contact's own page follows the tracer's decision: at risk,
        // with its quarantine.
        let contact = server.contact_browser(negligible.into()).await;
        let (_, body) = contact.page("/contact").await;
        let main = main_of(&body);
        assert!(
            main.contains("Vous êtes contact à risque<"),
            "{engine:?}: {main}"
        );
        assert!(main.contains("/contact/attestation"), "{engine:?}");
    }
);

engine_test!(
    a_contact_of_two_open_cases_is_flagged_on_both_with_a_link,
    |engine| async move {
        let server = start(engine).await;
        let (first, _) = server.case_with_list("DESK-4", &["06 39 98 01 10"]).await;
        let (second, _) = server
            .case_with_list("DESK-5", &["06 39 98 01 10", "06 39 98 01 55"])
            .await;
        let tracer = server.staff("tracer4", StaffRole::Tracer).await;
        let (_, a) = tracer.open_case(first).await;
        let (_, b) = tracer.open_case(second).await;
        assert!(
            main_of(&a).contains(&format!("href=\"/equipe/dossiers/{second}\">DESK-5")),
            "{engine:?}"
        );
        assert!(
            main_of(&b).contains(&format!("href=\"/equipe/dossiers/{first}\">DESK-4")),
            "{engine:?}"
        );
        assert_eq!(main_of(&b).matches("Aussi contact d").count(), 1);
        // A closed case no longer flags its contacts elsewhere.
        let version = sql::case_version(&server.db, first).await;
        tracer.close_case(first, version).await;
        let (_, b) = tracer.open_case(second).await;
        assert!(!main_of(&b).contains("Aussi contact d"), "{engine:?}");
    }
);

engine_test!(
    every_view_and_change_by_staff_is_in_the_audit_trail,
    |engine| async move {
        let server = start(engine).await;
        let (case_id, _) = server.case_with_list("DESK-6", &["06 39 98 01 10"]).await;
        let contact = sql::contact_ids(&server.db, case_id).await[0];
        let tracer = server.staff("tracer5", StaffRole::Tracer).await;
        tracer.open_case(case_id).await;
        tracer.record_call(case_id, "reached", &[]).await;
        let version = sql::case_version(&server.db, case_id).await;
        tracer.remove_case_contact(case_id, version, contact).await;
        tracer.resend_link(case_id).await;
        let rows = sql::audit_trail(&server.db, case_id).await;
        let actions: Vec<&str> = rows.iter().map(|r| r.0.as_str()).collect();
        assert_eq!(
            actions,
            ["view_case", "record_call", "remove_contact", "resend_link"],
            "{engine:?}"
        );
        assert!(rows.iter().all(|r| r.3 == "tracer5"));
        assert_eq!(rows[2].2, Some(contact));
        // The admin's page lists the trail; reading it is recorded too.
        let admin = server.staff("admin6", StaffRole::Admin).await;
        let (status, body) = admin.open_journal("?dossier=desk-6").await;
        assert_eq!(status.as_u16(), 200);
        let main = main_of(&body);
        for action in ["view_case", "record_call", "remove_contact", "resend_link"] {
            assert!(main.contains(action), "{engine:?}: {action} in {main}");
        }
        assert!(main.contains("tracer5"));
        assert_eq!(sql::count_audit(&server.db, case_id, "view_audit").await, 1);
        // No personal data in the trail.
        let details = sql::audit_details(&server.db).await;
        assert!(details
            .iter()
            .all(|d| !d.contains("Zyxwvutsky") && !d.contains("+336")));
    }
);

engine_test!(
    queues_sort_search_page_and_send_unanswered_calls_to_the_second_queue,
    |engine| async move {
        use relais_store::cases::{create_cases, NewCase};
        let server = start(engine).await;
        let cases: Vec<NewCase> = (0..120)
            .map(|i| NewCase {
                reference: format!("Q-{i:04}"),
                lab_reference: None,
                first_name: "Élodie".to_owned(),
                last_name: if i == 7 {
                    "Le Dû".to_owned()
                } else {
                    format!("Nom{i}")
                },
                birth_date: "1980-01-01".to_owned(),
                phone: format!("+3363998{i:04}"),
                lang: relais::Lang::Fr,
                // Oldest first: Q-0119 has the oldest sample.
                sample_date: (relais::dates::ymd(2026, 11, 1).unwrap()
                    - time::Duration::days(i / 10))
                .to_string(),
                test_type: "pcr".to_owned(),
                symptom_onset: None,
                departement: None,
            })
            .collect();
        create_cases(&server.db, &cases).await.unwrap();
        let tracer = server.staff("tracer7", StaffRole::Tracer).await;
        // Walk every page through its cursor: each case once, in order.
        let mut seen: Vec<String> = Vec::new();
        let mut url = "/equipe".to_owned();
        loop {
            let (status, body) = tracer.page(&url).await;
            assert_eq!(status.as_u16(), 200, "{engine:?} {url}");
            let main = main_of(&body);
            seen.extend(
                main.match_indices(">Q-")
                    .map(|(at, _)| main[at + 1..at + 7].to_owned()),
            );
            match main.find("href=\"/equipe?apres=") {
                Some(at) => {
                    let rest = &main[at + 6..];
                    url = rest[..rest.find('"').unwrap()].replace("&amp;", "&");
                }
                None => break,
            }
        }
        assert_eq!(seen.len(), 120, "{engine:?}: {seen:?}");
        let mut unique = seen.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), 120);
        assert!(
            seen[0].starts_with("Q-011"),
            "oldest sample first: {}",
            seen[0]
        );
        // Search by reference, phone (as typed), and name without accents.
        for (q, expect) in [
            ("q-0042", "Q-0042"),
            ("06 39 98 00 42", "Q-0042"),
            ("le du", "Q-0007"),
        ] {
            let (_, body) = tracer
                .open_queue(&format!("?q={}", app::desk::paths::urlencode(q)))
                .await;
            let main = main_of(&body);
            assert_eq!(main.matches(">Q-").count(), 1, "{engine:?} {q}: {main}");
            assert!(main.contains(&format!(">{expect}<")), "{q}");
        }
        // A search finding more than a page says to refine it (no paging).
        let (_, body) = tracer.open_queue("?q=nom").await;
        let main = main_of(&body);
        assert_eq!(main.matches(">Q-").count(), 50, "{engine:?}");
        assert!(main.contains("Plus de 50 dossiers correspondent"));
        assert!(!main.contains("apres="));
        // No answer: the case moves to the second queue with a time to call back.
        let id = sql::case_id_by_reference(&server.db, "Q-0003").await;
        let to = tracer.record_call(id, "no_answer", &[]).await;
        assert_eq!(to, format!("/equipe/dossiers/{id}?ok=call"));
        let (_, body) = tracer.open_queue("?file=second").await;
        assert!(main_of(&body).contains(">Q-0003<"), "{engine:?}");
        let (_, body) = tracer.open_queue("").await;
        assert!(!main_of(&body).contains(">Q-0003<"));
        // A call-back time in the past is refused with its message.
        let to = tracer
            .record_call(id, "call_back", &[("call_back", "2020-01-01T10:00")])
            .await;
        assert!(to.contains("erreur=call_invalid"), "{to}");
    }
);

engine_test!(
    password_checks_beyond_the_node_s_slots_are_answered_503,
    |engine| async move {
        let server = TestServer::start_with(
            engine,
            &[
                ("RELAIS_SIGN_IN_DELAY_MS", "1"),
                ("RELAIS_PASSWORD_CHECKS", "1"),
            ],
        )
        .await;
        server.staff_account("busy1", StaffRole::Tracer).await;
        // Twelve sign-ins at once with one slot: the first checks run, the
        // others are refused at once with 503 and Retry-After — never a 500.
        let tries: Vec<_> = (0..12)
            .map(|i| {
                let browser = server.browser();
                tokio::spawn(async move {
                    let password = format!("wrong-password-{i:02}-abcdef");
                    let response = browser.staff_sign_in("busy1", &password).await;
                    let retry = response
                        .headers()
                        .get("retry-after")
                        .map(|v| v.to_str().unwrap().to_owned());
                    (response.status().as_u16(), retry)
                })
            })
            .collect();
        let mut busy = 0;
        for task in tries {
            let (status, retry) = task.await.unwrap();
            match status {
                503 => {
                    busy += 1;
                    assert_eq!(retry.as_deref(), Some("2"), "{engine:?}");
                }
                302 | 303 => {}
                other => panic!("{engine:?}: {other}"),
            }
        }
        assert!(busy > 0, "{engine:?}: one slot cannot check twelve at once");
        // Each try was counted before its check, the refused ones too.
        assert_eq!(
            sql::count_sign_in_attempts(&server.db).await,
            12,
            "{engine:?}"
        );
    }
);
