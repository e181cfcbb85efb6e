//! The staff's second factor (issue 21): enrolment with a QR code and
//! recovery codes, the code asked after the password, codes never accepted
//! twice, recovery codes spent once, failures locking as passwords do,
//! supervisors made to enrol first where it is required, an admin's
//! audited reset.

use crate::common::browser::{location, main_of, Browser};
use crate::common::staff::staff_cookie;
use crate::common::{engine_test, sql, TestServer};
use relais::roles::StaffRole;
use relais_store::second_factor::code_at;

const SECURITY: &str = "/equipe/securite";
const CODE: &str = "/equipe/connexion/code";

/// The text between `start` and the next `end` in `page`.
fn between<'a>(page: &'a str, start: &str, end: &str) -> &'a str {
    let at = page
        .find(start)
        .unwrap_or_else(|| panic!("{start} in {page}"))
        + start.len();
    &page[at..at + page[at..].find(end).unwrap()]
}

/// Enrols the signed-in member of `browser`: returns the secret (base32)
/// and the recovery codes.
async fn enrol(server: &TestServer, browser: &Browser) -> (String, Vec<String>) {
    let (status, page) = browser.page(SECURITY).await;
    assert_eq!(status, 200);
    assert!(page.contains("<svg"), "a QR code drawn as SVG: {page}");
    let secret = between(&page, r#"id="factor-secret">"#, "<").replace(' ', "");
    assert!(secret.len() >= 26, "{secret}");
    // The page shows the same pending secret until it is confirmed.
    let (_, again) = browser.page(SECURITY).await;
    assert!(again.contains(between(&page, r#"id="factor-secret">"#, "<")));
    // A wrong code: the error, no codes, not enrolled.
    let wrong = browser.post(SECURITY, &[("code", "000000")]).await;
    assert_eq!(wrong.status(), 200);
    let wrong = wrong.text().await.unwrap();
    assert!(wrong.contains("Ce code n'est pas bon"), "{wrong}");
    assert!(!wrong.contains("recovery-codes"));
    let code = code_at(&secret, server.db.now()).unwrap();
    let done = browser.post(SECURITY, &[("code", code.as_str())]).await;
    assert_eq!(done.status(), 200);
    let done = done.text().await.unwrap();
    let list = between(&done, r#"<ul class="recovery-codes">"#, "</ul>");
    let codes: Vec<String> = list
        .split("<code>")
        .skip(1)
        .map(|c| c[..c.find('<').unwrap()].to_owned())
        .collect();
    assert_eq!(codes.len(), 10, "{list}");
    assert!(codes.iter().all(|c| c.len() == 11), "{codes:?}");
    // Shown once: the page no longer shows them.
    let (_, after) = browser.page(SECURITY).await;
    assert!(!after.contains(&codes[0]) && after.contains("Le second facteur est activé"));
    (secret, codes)
}

/// Signs in with the password: where it leads.
async fn password(browser: &Browser, username: &str, password: &str) -> String {
    location(&browser.staff_sign_in(username, password).await)
}

engine_test!(
    a_member_enrols_then_needs_the_code_after_the_password,
    |engine| async move {
        let server = TestServer::start_with(engine, &[("RELAIS_SIGN_IN_DELAY_MS", "1")]).await;
        let pass = server.staff_account("anouk", StaffRole::Tracer).await;
        let browser = server.browser();
        assert_eq!(password(&browser, "anouk", &pass).await, "/equipe");
        let (secret, codes) = enrol(&server, &browser).await;
        let id = sql::staff_id(&server.db, "anouk").await;
        assert_eq!(
            sql::count_audit_of(&server.db, id, "enrol_second_factor").await,
            1
        );
        // The secret is kept, the recovery codes only as hashes.
        for code in &codes {
            assert_eq!(
                sql::values_containing(&server.db, "staff_recovery_codes", "code_hash", &code[..5])
                    .await,
                0
            );
        }

        // Signed in again: the password alone opens nothing.
        let browser = server.browser();
        assert_eq!(password(&browser, "anouk", &pass).await, CODE);
        assert_eq!(browser.open_queue("").await.0.as_u16(), 401, "{engine:?}");
        // The code of the enrolment was used: not twice.
        let used = code_at(&secret, server.db.now()).unwrap();
        let to = browser
            .post_form("/api/staff/second-factor", &[("code", &used)])
            .await;
        assert_eq!(
            to,
            format!("{CODE}?erreur=code"),
            "{engine:?}: a code is spent"
        );
        server.db.clock().advance(time::Duration::seconds(30));
        let fresh = code_at(&secret, server.db.now()).unwrap();
        let ok = browser
            .post("/api/staff/second-factor", &[("code", &fresh)])
            .await;
        assert_eq!(location(&ok), "/equipe", "{engine:?}");
        assert!(staff_cookie(&ok).is_some());
        assert_eq!(browser.open_queue("").await.0.as_u16(), 200);

        // A recovery code opens once.
        let other = server.browser();
        assert_eq!(password(&other, "anouk", &pass).await, CODE);
        let to = other
            .post_form(
                "/api/staff/second-factor",
                &[("code", &codes[3].to_lowercase())],
            )
            .await;
        assert_eq!(to, "/equipe", "{engine:?}: a recovery code, typed loosely");
        let third = server.browser();
        assert_eq!(password(&third, "anouk", &pass).await, CODE);
        let to = third
            .post_form("/api/staff/second-factor", &[("code", &codes[3])])
            .await;
        assert_eq!(to, format!("{CODE}?erreur=code"), "{engine:?}: spent");

        // Without a pending session the form sends back to the password.
        let stranger = server.browser();
        let to = stranger
            .post_form("/api/staff/second-factor", &[("code", &fresh)])
            .await;
        assert_eq!(to, "/equipe/connexion?erreur=expired");
        // The page waiting for the code expires in minutes.
        server.db.clock().advance(time::Duration::minutes(6));
        let to = third
            .post_form("/api/staff/second-factor", &[("code", &codes[4])])
            .await;
        assert_eq!(to, "/equipe/connexion?erreur=expired", "{engine:?}");
    }
);

engine_test!(
    wrong_codes_lock_the_account_as_wrong_passwords_do,
    |engine| async move {
        let server = TestServer::start_with(engine, &[("RELAIS_SIGN_IN_DELAY_MS", "1")]).await;
        let pass = server.staff_account("basile", StaffRole::Tracer).await;
        let browser = server.browser();
        password(&browser, "basile", &pass).await;
        enrol(&server, &browser).await;
        let browser = server.browser();
        let mut last = String::new();
        for _ in 0..relais::desk::sign_in::LOCK_AFTER {
            // A right password between wrong codes does not reset the count.
            assert_eq!(password(&browser, "basile", &pass).await, CODE);
            last = browser
                .post_form("/api/staff/second-factor", &[("code", "123456")])
                .await;
        }
        assert_eq!(last, "/equipe/connexion?erreur=credentials", "{engine:?}");
        let (failures, locked) = sql::failed_logins_and_lock(&server.db, "basile").await;
        assert_eq!(failures, i64::from(relais::desk::sign_in::LOCK_AFTER));
        assert!(locked.is_some(), "{engine:?}");
        // Locked: even the right password and code open nothing.
        server.db.clock().advance(time::Duration::seconds(60));
        assert_eq!(
            password(&browser, "basile", &pass).await,
            "/equipe/connexion?erreur=credentials"
        );
    }
);

engine_test!(
    where_it_is_required_a_supervisor_enrols_before_anything_else,
    |engine| async move {
        let server = TestServer::start_with(
            engine,
            &[
                ("RELAIS_SIGN_IN_DELAY_MS", "1"),
                ("RELAIS_SECOND_FACTOR", "required"),
            ],
        )
        .await;
        let supervisor = server.staff("celeste", StaffRole::Supervisor).await;
        let response = supervisor.get("/equipe/supervision").await;
        assert_eq!(response.status().as_u16(), 302, "{engine:?}");
        assert_eq!(location(&response), SECURITY);
        let (_, page) = supervisor.page(SECURITY).await;
        assert!(page.contains("Avant toute autre action"), "{page}");
        // An action is refused too, and the figures' file.
        let csv = supervisor.get("/equipe/supervision/chiffres.csv").await;
        assert_eq!(csv.status().as_u16(), 403, "{engine:?}");
        enrol(&server, &supervisor).await;
        let (status, _) = supervisor.page("/equipe/supervision").await;
        assert_eq!(
            status.as_u16(),
            200,
            "{engine:?}: enrolled, the dashboard opens"
        );
        // A tracer is not made to enrol.
        let tracer = server.staff("denis", StaffRole::Tracer).await;
        assert_eq!(tracer.open_queue("").await.0.as_u16(), 200);
    }
);

engine_test!(
    an_admin_resets_a_second_factor_and_it_is_audited,
    |engine| async move {
        let server = TestServer::start_with(engine, &[("RELAIS_SIGN_IN_DELAY_MS", "1")]).await;
        let pass = server.staff_account("emile", StaffRole::Tracer).await;
        let emile = server.browser();
        password(&emile, "emile", &pass).await;
        enrol(&server, &emile).await;
        let admin = server.staff("fanny", StaffRole::Admin).await;
        let (_, accounts) = admin.page("/equipe/admin/comptes").await;
        assert!(main_of(&accounts).contains("Réinitialiser le second facteur"));
        let id = sql::staff_id(&server.db, "emile").await;
        let to = admin
            .post_form(
                "/api/staff/reset-second-factor",
                &[("account", &id.to_string())],
            )
            .await;
        assert_eq!(to, "/equipe/admin/comptes?ok=factor");
        let admin_id = sql::staff_id(&server.db, "fanny").await;
        assert_eq!(
            sql::count_audit_of(&server.db, admin_id, "reset_second_factor").await,
            1,
            "{engine:?}"
        );
        // Emile's sessions ended; the password alone opens again.
        assert_eq!(emile.open_queue("").await.0.as_u16(), 401);
        assert_eq!(password(&server.browser(), "emile", &pass).await, "/equipe");
        // A tracer cannot reset anyone's.
        let tracer = server.staff("gaston", StaffRole::Tracer).await;
        tracer
            .post_form(
                "/api/staff/reset-second-factor",
                &[("account", &admin_id.to_string())],
            )
            .await;
        assert_eq!(
            sql::count_audit_of(&server.db, admin_id, "reset_second_factor").await,
            1
        );
    }
);
