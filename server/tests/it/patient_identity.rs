//! The case's arrival: the SMS token, the date-of-birth check, the lockout
//! held in the database, the per-IP limit and the session that replaces the
//! token — on SQLite and PostgreSQL.

use crate::common::browser::{location, main_of};
use crate::common::citizen::{BIRTH, SESSION_COOKIE};
use crate::common::{engine_test, sql, Engine, TestServer};
use relais_store::links;
use reqwest::{Method, StatusCode};

engine_test!(
    the_landing_page_asks_the_birth_date_and_shows_no_personal_data,
    |engine| async move {
        let server = TestServer::start(engine).await;
        let (_, token) = server.new_case("T-1").await;
        let (status, body) = server.browser().open_case_link(&token).await;
        assert_eq!(status, StatusCode::OK);
        assert!(body.contains("Confirmez votre identité"), "{body}");
        assert!(body.contains("autocomplete=\"bday-day\""));
        assert!(body.contains("autocomplete=\"bday-month\""));
        assert!(body.contains("autocomplete=\"bday-year\""));
        for secret in [
            "Gaspard",
            "Zyxwvutsky",
            "1961",
            "+33639980001",
            "2020-11-16",
        ] {
            assert!(
                !body.contains(secret),
                "{engine:?}: landing page shows {secret}"
            );
        }
    }
);

engine_test!(
    unknown_expired_and_closed_links_get_the_same_page,
    |engine| async move {
        let server = TestServer::start(engine).await;
        let (closed_id, closed) = server.new_case("T-closed").await;
        sql::close_case(&server.db, closed_id).await;
        let (_, expired) = server.new_case("T-expired").await;
        // Time passes beyond the links' validity (the closed case's link
        // expires too: it was refused already).
        server.db.clock().advance(time::Duration::days(
            relais_store::cases::LINK_VALIDITY_DAYS + 1,
        ));
        let unknown = "A".repeat(22);
        let case = server.browser();
        let mut bodies = Vec::new();
        for token in [unknown.as_str(), &expired, &closed, "short"] {
            let (status, body) = case.open_case_link(token).await;
            assert_eq!(status, StatusCode::NOT_FOUND, "{engine:?} {token}");
            assert!(body.contains("Ce lien n'est pas valable"), "{body}");
            assert!(!body.contains("bday-day"));
            bodies.push(main_of(&body.replace(token, "TOKEN")));
        }
        for pair in bodies.windows(2) {
            assert_eq!(pair[0], pair[1], "one page for every unusable link");
        }
        // The form refuses them too, without opening a session.
        let response = case.post_birth_date(&expired, BIRTH).await;
        assert_eq!(location(&response), format!("/d/{expired}"));
        assert!(response.headers().get("set-cookie").is_none());
    }
);

engine_test!(
    the_right_birth_date_opens_a_session_without_the_token_in_the_url,
    |engine| async move {
        let server = TestServer::start(engine).await;
        let (_, token) = server.new_case("T-2").await;
        let case = server.browser();
        let response = case.post_birth_date(&token, (" 14", "07", "1961")).await;
        assert_eq!(response.status(), StatusCode::FOUND);
        assert_eq!(location(&response), "/dossier");
        let cookie = response.headers()["set-cookie"]
            .to_str()
            .unwrap()
            .to_owned();
        assert!(cookie.starts_with("relais_session="), "{cookie}");
        assert!(
            cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"),
            "{cookie}"
        );
        assert!(!cookie.contains(&token));
        let session = cookie.split(';').next().unwrap().to_owned();

        // The browser sends the cookie back.
        let (status, body) = case.page("/dossier").await;
        assert_eq!(status, StatusCode::OK);
        assert!(body.contains("Votre identité est confirmée"), "{body}");
        let (_, body) = server.browser().page("/dossier").await;
        assert!(body.contains("Votre session a expiré"), "{body}");
        let forged = server.browser();
        forged.set_cookie(SESSION_COOKIE, "forged");
        let (_, body) = forged.page("/dossier").await;
        assert!(body.contains("Votre session a expiré"), "{body}");

        // Only the hash of the session secret is stored.
        let secret = session.split('=').nth(1).unwrap();
        let n = sql::count_sessions_with_hash(&server.db, secret).await;
        assert_eq!(n, 0);
    }
);

#[tokio::test]
async fn a_badly_typed_date_is_explained_and_kept() {
    let server = TestServer::start(Engine::Sqlite).await;
    let (_, token) = server.new_case("T-3").await;
    let case = server.browser();
    for (dob, code, message) in [
        (("", "", ""), "missing", "Indiquez votre date de naissance"),
        (
            ("35", "7", "1961"),
            "day",
            "Le jour doit être un nombre entre 1 et 31",
        ),
        (
            ("14", "13", "1961"),
            "month",
            "Le mois doit être un nombre entre 1 et 12",
        ),
        (
            ("14", "7", "61"),
            "year_range",
            "L'année doit avoir 4 chiffres",
        ),
        (("31", "2", "1961"), "not_a_date", "Cette date n'existe pas"),
        (
            ("1", "1", "2999"),
            "year_range",
            "L'année doit avoir 4 chiffres",
        ),
    ] {
        let response = case.post_birth_date(&token, dob).await;
        let to = location(&response);
        assert!(to.starts_with(&format!("/d/{token}?erreur={code}")), "{to}");
        let (status, body) = case.page(&to).await;
        assert_eq!(status, StatusCode::OK);
        assert!(body.contains("error-summary"), "{body}");
        assert!(body.contains(message), "{code}: {body}");
        if !dob.0.is_empty() {
            assert!(
                body.contains(&format!("value=\"{}\"", dob.0)),
                "typed day kept: {body}"
            );
        }
    }
    // Format errors do not count as wrong tries.
    let failures = sql::dob_failures_of_the_only_case(&server.db).await;
    assert_eq!(failures, 0);
}

engine_test!(
    five_wrong_dates_lock_the_link_until_a_tracer_unlocks_it,
    |engine| async move {
        let server = TestServer::start(engine).await;
        let (case_id, token) = server.new_case("T-4").await;
        let case = server.browser();
        for tries_left in (1..=4).rev() {
            let response = case.post_birth_date(&token, ("15", "7", "1961")).await;
            assert_eq!(
                location(&response),
                format!("/d/{token}?erreur=wrong&essais={tries_left}")
            );
        }
        let (_, body) = case
            .page(&format!("/d/{token}?erreur=wrong&essais=1"))
            .await;
        assert!(
            body.contains("Essais restants avant le blocage du lien : 1"),
            "{body}"
        );
        let response = case.post_birth_date(&token, ("15", "7", "1961")).await;
        assert_eq!(location(&response), format!("/d/{token}"));
        let (status, body) = case.open_case_link(&token).await;
        assert_eq!(status, StatusCode::OK);
        assert!(body.contains("Ce lien est bloqué"), "{body}");
        assert!(body.contains("3646"));

        // Locked means locked, even for the right date.
        let response = case.post_birth_date(&token, BIRTH).await;
        assert!(response.headers().get("set-cookie").is_none());
        assert_eq!(location(&response), format!("/d/{token}"));

        links::unlock_case_link(&server.db, case_id.into())
            .await
            .unwrap();
        let response = case.post_birth_date(&token, BIRTH).await;
        assert_eq!(location(&response), "/dossier");
    }
);

engine_test!(
    one_address_cannot_try_dates_without_end,
    |engine| async move {
        let server = TestServer::start(engine).await;
        // Four wrong tries on each of five cases: 20 failures, none locked.
        let mut tokens = Vec::new();
        for i in 0..6 {
            tokens.push(server.new_case(&format!("T-ip-{i}")).await.1);
        }
        let case = server.browser();
        for token in &tokens[..5] {
            for _ in 0..4 {
                case.post_birth_date(token, ("15", "7", "1961")).await;
            }
        }
        let response = case.post_birth_date(&tokens[5], BIRTH).await;
        assert!(
            location(&response).starts_with(&format!("/d/{}?erreur=limite", tokens[5])),
            "{}",
            location(&response)
        );
        assert!(response.headers().get("set-cookie").is_none());
    }
);

#[tokio::test]
async fn a_foreign_site_cannot_post_the_form() {
    let server = TestServer::start(Engine::Sqlite).await;
    let (_, token) = server.new_case("T-5").await;
    let response = server
        .browser()
        .request(Method::POST, "/api/case/identity")
        .header("origin", "https://evil.example")
        .form(&[
            ("token", token.as_str()),
            ("day", "14"),
            ("month", "7"),
            ("year", "1961"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert!(response.headers().get("set-cookie").is_none());
}

engine_test!(
    the_file_shows_the_dates_of_the_rules_and_the_situation_can_change,
    |engine| async move {
        let server = TestServer::start(engine).await;
        let (_, case) = server.signed_in_case("T-6").await;

        // Onset 14 Nov 2020, sample 16 Nov: late-2020 rules, J0 = onset.
        let (_, body) = case.page("/dossier").await;
        assert!(
            body.contains("Restez isolé jusqu'au samedi 21 novembre 2020 inclus."),
            "{body}"
        );
        assert!(
            body.contains("jusqu'au lundi 23 novembre 2020 inclus"),
            "fever extension: {body}"
        );
        assert!(
            body.contains("du jeudi 12 novembre 2020 au lundi 16 novembre 2020 inclus"),
            "{body}"
        );
        assert!(body.contains("Arrêt de travail"), "rights: {body}");

        // No symptoms after all: J0 becomes the sample date.
        let to = case
            .declare_situation(&[
                ("symptoms", "non"),
                ("day", ""),
                ("month", ""),
                ("year", ""),
            ])
            .await;
        assert_eq!(to, "/dossier");
        let (_, body) = case.page("/dossier").await;
        assert!(body.contains("Pas de symptômes déclarés"), "{body}");
        assert!(
            body.contains("Restez isolé jusqu'au lundi 23 novembre 2020 inclus."),
            "{body}"
        );
        assert!(
            body.contains("du lundi 9 novembre 2020"),
            "window from sample − 7: {body}"
        );

        // Symptoms from 13 Nov.
        let to = case
            .declare_situation(&[
                ("symptoms", "oui"),
                ("day", "13"),
                ("month", "11"),
                ("year", "2020"),
            ])
            .await;
        assert_eq!(to, "/dossier");
        let (_, body) = case.page("/dossier").await;
        assert!(
            body.contains("Restez isolé jusqu'au vendredi 20 novembre 2020 inclus."),
            "{body}"
        );
        let status = sql::case_status_by_reference(&server.db, "T-6").await;
        assert_eq!(status, "declaring");
    }
);

#[tokio::test]
async fn a_wrong_situation_is_explained_and_nothing_is_saved() {
    let server = TestServer::start(Engine::Sqlite).await;
    let (id, case) = server.signed_in_case("T-7").await;
    for (form, code, message) in [
        (
            vec![("day", ""), ("month", ""), ("year", "")],
            "choose",
            "Indiquez si vous avez eu des symptômes",
        ),
        (
            vec![
                ("symptoms", "oui"),
                ("day", "1"),
                ("month", "9"),
                ("year", "2020"),
            ],
            "onset_far",
            "moins de 30 jours",
        ),
        (
            vec![
                ("symptoms", "oui"),
                ("day", "40"),
                ("month", "11"),
                ("year", "2020"),
            ],
            "day",
            "Le jour doit être",
        ),
        (
            vec![
                ("symptoms", "oui"),
                ("day", "1"),
                ("month", "1"),
                ("year", "2999"),
            ],
            "year_range",
            "moins de 30 jours",
        ),
        (
            vec![
                ("symptoms", "peut-être"),
                ("day", "1"),
                ("month", "1"),
                ("year", "2020"),
            ],
            "choose",
            "Indiquez si",
        ),
    ] {
        // Back to the form; what was typed and the error wait on the
        // server, as the case's draft.
        let to = case.declare_situation(&form).await;
        assert_eq!(to, "/dossier/situation");
        let draft = relais_store::cases::load_answer_draft(&server.db, relais::ids::CaseId(id))
            .await
            .unwrap()
            .expect("a draft");
        assert!(draft.contains(&format!("\"error\":\"{code}\"")), "{draft}");
        let (status, body) = case.page(&to).await;
        assert_eq!(status, StatusCode::OK);
        assert!(
            body.contains("error-summary") && body.contains(message),
            "{code}: {body}"
        );
    }
    let onset = sql::symptom_onset_by_reference(&server.db, "T-7").await;
    assert_eq!(onset.as_deref(), Some("2020-11-14"), "unchanged");

    // Without a session nothing is saved and the person is sent to sign in again.
    let to = server
        .browser()
        .declare_situation(&[
            ("symptoms", "non"),
            ("day", ""),
            ("month", ""),
            ("year", ""),
        ])
        .await;
    assert_eq!(to, "/dossier");
    let (_, body) = server.browser().page("/dossier/situation").await;
    assert!(body.contains("Votre session a expiré"));
}

engine_test!(
    an_identity_form_with_a_field_missing_comes_back_with_its_error,
    |engine| async move {
        let server = TestServer::start(engine).await;
        let (_, token) = server.new_case("ID-MISSING").await;
        let browser = server.browser();
        // No day, no month, no year (a form cut short, or a forged post),
        // without a Referer: back to the same page, the error said.
        let response = browser
            .post_raw("/api/case/identity", &format!("token={token}&day=14"))
            .await;
        let to = location(&response);
        assert!(
            to.starts_with(&format!("/d/{token}?erreur=")),
            "{engine:?}: {to}"
        );
        let (status, page) = browser.page(&to).await;
        assert_eq!(status, StatusCode::OK);
        assert!(main_of(&page).contains("class=\"error-summary\""), "{page}");
        // Nothing counted against the link: the form never reached a check.
        assert_eq!(sql::dob_failures_of_the_only_case(&server.db).await, 0);
    }
);

/// Posts a date of birth as a browser behind the proxy at 127.0.0.1 whose
/// client is `client` (`X-Forwarded-For`).
async fn birth_date_from(
    browser: &crate::common::browser::Browser,
    token: &str,
    dob: (&str, &str, &str),
    client: &str,
) -> reqwest::Response {
    browser
        .request(Method::POST, "/api/case/identity")
        .header("origin", browser.origin())
        .header("accept", "text/html")
        .header("x-forwarded-for", format!("198.51.100.99, {client}"))
        .form(&[
            ("token", token),
            ("day", dob.0),
            ("month", dob.1),
            ("year", dob.2),
        ])
        .send()
        .await
        .unwrap()
}

engine_test!(
    behind_a_trusted_proxy_each_client_has_its_own_limit,
    |engine| async move {
        // The tests' requests come from 127.0.0.1: here, the operator's proxy.
        let server =
            TestServer::start_with(engine, &[("RELAIS_TRUSTED_PROXIES", "127.0.0.1, ::1")]).await;
        let mut tokens = Vec::new();
        for i in 0..6 {
            tokens.push(server.new_case(&format!("T-xff-{i}")).await.1);
        }
        let browser = server.browser();
        // 20 failures from one client behind the proxy (four on each of five
        // cases, none locked)…
        for token in &tokens[..5] {
            for _ in 0..4 {
                birth_date_from(&browser, token, ("15", "7", "1961"), "203.0.113.5").await;
            }
        }
        let refused = birth_date_from(&browser, &tokens[5], BIRTH, "203.0.113.5").await;
        assert!(
            location(&refused).starts_with(&format!("/d/{}?erreur=limite", tokens[5])),
            "{engine:?}: {}",
            location(&refused)
        );
        // … do not block another client of the same proxy.
        let other = birth_date_from(&browser, &tokens[5], BIRTH, "203.0.113.6").await;
        assert_eq!(location(&other), "/dossier", "{engine:?}");
    }
);

engine_test!(quit_ends_the_session_on_this_device, |engine| async move {
    let server = TestServer::start(engine).await;
    let (_, case) = server.signed_in_case("QUIT-1").await;
    let (status, page) = case.page("/dossier").await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("action=\"/api/citizen/quit\""), "{engine:?}");
    // In the footer, outside the page's own content.
    assert!(!main_of(&page).contains("citizen/quit"));
    let secret = case.cookie(SESSION_COOKIE).expect("a session");
    let response = case.post("/api/citizen/quit", &[]).await;
    assert_eq!(location(&response), "/", "{engine:?}");
    let cleared = response
        .headers()
        .get_all("set-cookie")
        .iter()
        .any(|v| v.to_str().unwrap().contains("Max-Age=0"));
    assert!(cleared, "the cookie is removed");
    // The session is over on the server too: the old cookie opens nothing.
    let replay = server.browser();
    replay.set_cookie(SESSION_COOKIE, &secret);
    let (_, page) = replay.page("/dossier").await;
    assert!(
        main_of(&page).contains("Votre session a expiré"),
        "{engine:?}: {}",
        main_of(&page)
    );
});

engine_test!(
    the_language_switch_never_puts_a_token_in_another_address,
    |engine| async move {
        let server = TestServer::start(engine).await;
        let (_, token) = server.new_case("LANG-1").await;
        let browser = server.browser();
        let (_, page) = browser.page(&format!("/d/{token}")).await;
        assert!(
            !page.contains("next=/d/") && !page.contains("next=%2Fd%2F"),
            "{engine:?}"
        );
        assert!(
            page.contains(&format!("href=\"/d/{token}?langue=en\"")),
            "{page}"
        );
        let response = browser.get(&format!("/d/{token}?langue=en")).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        assert_eq!(location(&response), format!("/d/{token}"));
        let cookie = response.headers()["set-cookie"]
            .to_str()
            .unwrap()
            .to_owned();
        assert!(cookie.starts_with("relais_lang=en;"), "{cookie}");
        let (_, page) = browser.page(&format!("/d/{token}")).await;
        assert!(page.contains("lang=\"en\""), "{engine:?}: now in English");
    }
);
