//! The contact's journey: the SMS link exchanged for a session, the page of
//! each kind of contact against the rules engine's dates, the follow-up
//! reports, the positive test that opens a new case, and never a trace of
//! the case's identity — on SQLite and PostgreSQL.

use crate::common::browser::{main_of, Browser};
use crate::common::citizen::SESSION_COOKIE;
use crate::common::{engine_test, sql, today, TestServer};
use relais::contact_form::{ContactInput, Relationship};
use relais::dates::long_date;
use relais::{ContactExposure, ExposureKind, Lang, Phone, Protection};
use relais_store::declaration::SaveOutcome;
use relais_store::{cases, contacts, follow_up};
use time::{Date, Duration};

/// The case's identity: distinctive strings that must never reach a contact.
const CASE_FIRST: &str = "Wenceslas";
const CASE_LAST: &str = "Qxorzynski";
const CASE_PHONE: &str = "+33639980777";
const CASE_EMAIL: &str = "wenceslas.qxorzynski@example.org";
const CASE_BIRTH: &str = "1957-03-29";
const CASE_PLACE: &str = "Brasserie Zanzibarissime";
const CASE_TOWN: &str = "Vlodrovka-sur-Ourcq";

/// A case tested 2 days ago, symptoms 3 days ago, with an email and a place.
async fn notified_case(server: &TestServer, reference: &str) -> (i64, relais::CaseSituation) {
    let sample = today() - Duration::days(2);
    let onset = today() - Duration::days(3);
    let id = cases::create_case(
        &server.db,
        &cases::NewCase {
            reference: reference.to_owned(),
            lab_reference: None,
            first_name: CASE_FIRST.to_owned(),
            last_name: CASE_LAST.to_owned(),
            birth_date: CASE_BIRTH.to_owned(),
            phone: CASE_PHONE.to_owned(),
            lang: Lang::Fr,
            sample_date: sample.to_string(),
            test_type: "pcr".to_owned(),
            symptom_onset: Some(onset.to_string()),
            departement: Some(relais::territory::DepartementCode::parse("80").unwrap()),
        },
    )
    .await
    .unwrap()
    .get();
    sql::set_case_email(&server.db, id, CASE_EMAIL).await;
    sql::insert_place(
        &server.db,
        id,
        CASE_PLACE,
        CASE_TOWN,
        &(today() - Duration::days(5)).to_string(),
        0,
    )
    .await;
    let situation = relais::CaseSituation::new(Some(onset), sample);
    (id, situation)
}

/// What the case declared of one contact.
struct Declared {
    first: &'static str,
    relationship: Relationship,
    met_days_ago: i64,
    exposures: &'static [ExposureKind],
    protection: &'static [Protection],
    minor: bool,
}

impl Declared {
    fn input(&self) -> ContactInput {
        ContactInput {
            first_name: self.first.to_owned(),
            last_name: "Contact".to_owned(),
            phone: Phone {
                e164: "+33639980150".to_owned(),
                can_receive_sms: true,
            },
            email: None,
            relationship: self.relationship,
            exposure: ContactExposure {
                household: self.relationship == Relationship::Household,
                exposures: self.exposures.iter().copied().collect(),
                protection: self.protection.iter().copied().collect(),
                minor: self.minor,
                ..ContactExposure::met_on(today() - Duration::days(self.met_days_ago))
            },
            guardian_phone: self.minor.then(|| Phone {
                e164: "+33639980151".to_owned(),
                can_receive_sms: true,
            }),
            lang: None,
        }
    }
}

const AT_RISK_COLLEAGUE: Declared = Declared {
    first: "Léa",
    relationship: Relationship::Work,
    met_days_ago: 2,
    exposures: &[ExposureKind::ClosedSpace15Min],
    protection: &[],
    minor: false,
};

/// Adds the contact, validates it (as a tracer would) and returns its id
/// and the token of its SMS link.
async fn notified_contact(server: &TestServer, case_id: i64, declared: &Declared) -> (i64, String) {
    let SaveOutcome::Saved(id) = contacts::save_contact(
        &server.db,
        relais::ids::CaseId(case_id),
        None,
        "",
        &declared.input(),
        relais::Classification::AtRisk,
        relais_store::declaration::Editor::Case,
    )
    .await
    .unwrap() else {
        panic!("contact not saved")
    };
    follow_up::mark_validated(&server.db, id).await.unwrap();
    let token = follow_up::issue_contact_link(&server.db, id)
        .await
        .unwrap()
        .token;
    (id.get(), token)
}

/// Posts a follow-up form as a browser would: `day` in the three date
/// fields, then `extra`; returns where the answer redirects.
async fn post_report(contact: &Browser, path: &str, day: Date, extra: &[(&str, &str)]) -> String {
    let (d, m, y) = (
        format!("{:02}", day.day()),
        format!("{:02}", u8::from(day.month())),
        day.year().to_string(),
    );
    let mut form = vec![
        ("day", d.as_str()),
        ("month", m.as_str()),
        ("year", y.as_str()),
    ];
    form.extend_from_slice(extra);
    contact.post_form(path, &form).await
}

fn d(date: Date) -> String {
    long_date(date, Lang::Fr)
}

engine_test!(
    a_contact_link_is_exchanged_for_a_session_and_bad_links_get_one_page,
    |engine| async move {
        let server = TestServer::start(engine).await;
        let (case_id, _) = notified_case(&server, "C-1").await;
        let (_, token) = notified_contact(&server, case_id, &AT_RISK_COLLEAGUE).await;
        let contact = server.browser();
        contact.open_contact_link(&token).await;
        let (status, body) = contact.page("/contact").await;
        assert_eq!(status, 200);
        assert!(
            main_of(&body).contains("Vous êtes contact à risque"),
            "{engine:?}"
        );
        assert!(
            !body.contains(&token),
            "the token never appears in the page"
        );

        // Unknown, malformed and not-yet-validated links: the same 404 page.
        let SaveOutcome::Saved(unvalidated) = contacts::save_contact(
            &server.db,
            relais::ids::CaseId(case_id),
            None,
            "",
            &AT_RISK_COLLEAGUE.input(),
            relais::Classification::AtRisk,
            relais_store::declaration::Editor::Case,
        )
        .await
        .unwrap() else {
            panic!()
        };
        let not_validated = follow_up::issue_contact_link(&server.db, unvalidated)
            .await
            .unwrap()
            .token;
        let mut pages = Vec::new();
        let stranger = server.browser();
        for bad in ["AAAAAAAAAAAAAAAAAAAAAA", "x", not_validated.as_str()] {
            let response = stranger.get(&format!("/c/{bad}")).await;
            assert_eq!(response.status(), 404, "{engine:?} {bad}");
            assert!(response.headers().get("set-cookie").is_none());
            let main = main_of(&response.text().await.unwrap());
            assert!(
                main.contains("Ce lien n&#x27;est pas valable")
                    || main.contains("Ce lien n'est pas valable"),
                "{main}"
            );
            pages.push(main);
        }
        assert!(
            pages.windows(2).all(|w| w[0] == w[1]),
            "one page for all bad links"
        );

        // Without a session: the contact's session-expired page, no data.
        let (_, body) = server.browser().page("/contact").await;
        assert!(
            main_of(&body).contains("Rouvrez le lien reçu par SMS"),
            "{engine:?}"
        );
        // A case's session does not open a contact's page.
        let forged = server.browser();
        forged.set_cookie(SESSION_COOKIE, "forged");
        let (_, body) = forged.page("/contact").await;
        assert!(!main_of(&body).contains("Léa"));
    }
);

engine_test!(
    each_kind_of_contact_gets_the_rules_engines_dates,
    |engine| async move {
        let kinds = [
            (AT_RISK_COLLEAGUE, "colleague"),
            (
                Declared {
                    first: "Hugo",
                    relationship: Relationship::Household,
                    met_days_ago: 0,
                    exposures: &[ExposureKind::FaceToFace],
                    protection: &[],
                    minor: false,
                },
                "household",
            ),
            (
                Declared {
                    first: "Tom",
                    relationship: Relationship::Leisure,
                    met_days_ago: 2,
                    exposures: &[ExposureKind::FaceToFace],
                    protection: &[Protection::CaseMask],
                    minor: false,
                },
                "negligible",
            ),
            (
                Declared {
                    first: "Jade",
                    relationship: Relationship::School,
                    met_days_ago: 1,
                    exposures: &[ExposureKind::FaceToFace],
                    protection: &[],
                    minor: true,
                },
                "minor",
            ),
            (
                Declared {
                    first: "Paul",
                    relationship: Relationship::Other,
                    met_days_ago: 12,
                    exposures: &[ExposureKind::FaceToFace],
                    protection: &[],
                    minor: false,
                },
                "outside the window",
            ),
        ];
        let (server, rule_sets) = TestServer::start_under_quarantine_rules(engine).await;
        let (case_id, situation) = notified_case(&server, "C-2").await;
        let assessment = relais::rules::assess(&rule_sets, &situation);
        for (declared, kind) in &kinds {
            let (_, token) = notified_contact(&server, case_id, declared).await;
            let contact = server.browser();
            contact.open_contact_link(&token).await;
            let (_, body) = contact.page("/contact").await;
            let main = main_of(&body);
            let mut exposure = declared.input().exposure;
            exposure.informed_on = Some(today());
            let expected = assessment.assess_contact(&exposure);
            match &expected.quarantine {
                Some(q) => {
                    assert!(
                        main.contains("Vous êtes contact à risque<"),
                        "{engine:?} {kind}: {main}"
                    );
                    let last = q.last_day.expect("February 2021 sets a last day");
                    assert!(
                        main.contains(&format!(
                            "Restez chez vous jusqu&#x27;au {} inclus",
                            d(last)
                        )) || main
                            .contains(&format!("Restez chez vous jusqu'au {} inclus", d(last))),
                        "{engine:?} {kind}: {main}"
                    );
                    for test_day in q.test_days().iter().filter(|t| **t >= today()) {
                        assert!(main.contains(&d(*test_day)), "{kind}: test day {test_day}");
                    }
                    assert!(
                        main.contains(r#"aria-current="date""#),
                        "{kind}: today marked"
                    );
                    assert!(main.contains("/contact/attestation"), "{kind}");
                }
                None => {
                    assert!(
                        main.contains("Vous êtes contact à risque négligeable"),
                        "{engine:?} {kind}: {main}"
                    );
                    assert!(!main.contains("Restez chez vous"), "{kind}");
                    assert!(!main.contains("/contact/attestation"), "{kind}");
                }
            }
            match *kind {
                "household" => {
                    let end = assessment.isolation.last_day;
                    assert!(
                        main.contains(&format!("la fin de son isolement, le {}", d(end))),
                        "{main}"
                    );
                    // Dates counted from the end of the case's isolation.
                    assert_eq!(
                        expected.quarantine.as_ref().unwrap().counted_last_contact,
                        end
                    );
                }
                "minor" => assert!(main.contains("parent ou au tuteur de Jade"), "{main}"),
                "outside the window" => {
                    assert!(expected.quarantine.is_none());
                    assert!(
                        main.contains("hors de la période"),
                        "the window is explained: {main}"
                    );
                }
                "negligible" => assert!(main.contains("masque"), "{main}"),
                _ => {}
            }
            assert!(
                main.contains(&d(today() - Duration::days(declared.met_days_ago))),
                "{kind}: last contact date"
            );
        }
    }
);

engine_test!(
    follow_up_reports_change_the_page_and_flag_the_contact,
    |engine| async move {
        let server = TestServer::start(engine).await;
        let (case_id, _) = notified_case(&server, "C-3").await;
        let (contact_id, token) = notified_contact(&server, case_id, &AT_RISK_COLLEAGUE).await;
        let contact = server.browser();
        contact.open_contact_link(&token).await;
        let t = today();
        let year = t.year().to_string();

        // A bad date: the form again, with the message and what was typed.
        let to = contact
            .post_form(
                "/api/contact/symptoms",
                &[("day", "31"), ("month", "2"), ("year", &year)],
            )
            .await;
        assert_eq!(to, "/contact/symptomes", "{engine:?}");
        let (_, body) = contact.page("/contact/symptomes").await;
        let main = main_of(&body);
        assert!(
            main.contains("error-summary") && main.contains(r#"value="31""#),
            "{main}"
        );
        // In the future: refused.
        let tomorrow = t + Duration::days(1);
        post_report(&contact, "/api/contact/symptoms", tomorrow, &[]).await;
        let flag = sql::follow_up_at(&server.db, contact_id).await;
        assert!(flag.is_none(), "nothing recorded from bad input");

        // Symptoms today: the page switches, the tracer sees the flag.
        let to = post_report(&contact, "/api/contact/symptoms", t, &[]).await;
        assert_eq!(to, "/contact");
        let (_, body) = contact.page("/contact").await;
        assert!(
            main_of(&body).contains("Vous avez des symptômes : isolez-vous"),
            "{engine:?}"
        );
        let (flag, since) = sql::follow_up_and_symptoms(&server.db, contact_id).await;
        assert!(flag.is_some());
        assert_eq!(since.as_deref(), Some(t.to_string().as_str()));
        // The draft is gone once saved.
        let (_, body) = contact.page("/contact/symptomes").await;
        assert!(!main_of(&body).contains("error-summary"));

        // A test without a result: refused with its message.
        post_report(&contact, "/api/contact/test", t, &[]).await;
        let (_, body) = contact.page("/contact/test").await;
        assert!(
            main_of(&body).contains("Choisissez le résultat du test"),
            "{engine:?}"
        );
        // A negative test is recorded and listed.
        let to = post_report(&contact, "/api/contact/test", t, &[("result", "negative")]).await;
        assert_eq!(to, "/contact");
        let (_, body) = contact.page("/contact").await;
        assert!(main_of(&body).contains("Négatif"), "{engine:?}");

        // Details: a name spelling is applied; a phone change waits for a tracer.
        let to = contact
            .update_details(&[
                ("first_name", "Léah"),
                ("last_name", "Contact"),
                ("email", "lea@example.fr"),
                ("phone", "06 39 98 01 99"),
            ])
            .await;
        assert_eq!(to, "/contact");
        let (first, phone, requested) = sql::contact_name_and_phones(&server.db, contact_id).await;
        assert_eq!(
            (first.as_str(), phone.as_str(), requested.as_deref()),
            ("Léah", "+33639980150", Some("+33639980199"))
        );
        // Bad details: every error, nothing applied.
        contact
            .update_details(&[
                ("first_name", ""),
                ("last_name", "Contact"),
                ("email", "nope"),
                ("phone", "12"),
            ])
            .await;
        let (_, body) = contact.page("/contact/coordonnees").await;
        let main = main_of(&body);
        assert!(
            main.contains("Indiquez le prénom") && main.contains(r#"value="nope""#),
            "{main}"
        );
    }
);

engine_test!(
    a_positive_test_opens_one_new_case_linked_to_the_first,
    |engine| async move {
        let server = TestServer::start(engine).await;
        let (case_id, _) = notified_case(&server, "C-4").await;
        let (contact_id, token) = notified_contact(&server, case_id, &AT_RISK_COLLEAGUE).await;
        let contact = server.browser();
        contact.open_contact_link(&token).await;
        let t = today();
        let positive = [("result", "positive")];
        assert_eq!(
            post_report(&contact, "/api/contact/test", t, &positive).await,
            "/contact"
        );
        // Reported twice (a double tap, a second test): still one case.
        assert_eq!(
            post_report(&contact, "/api/contact/test", t, &positive).await,
            "/contact"
        );
        let rows = sql::cases_opened_by(&server.db, contact_id).await;
        assert_eq!(rows.len(), 1, "{engine:?}");
        let (_, first, status, source, sample, phone, departement) = &rows[0];
        assert_eq!(
            (first.as_str(), status.as_str(), *source),
            ("Léa", "new", Some(case_id))
        );
        assert_eq!(sample, &t.to_string());
        assert_eq!(phone, "+33639980150");
        // Filed under the source case's département, until a tracer says
        // otherwise.
        assert_eq!(departement.as_deref(), Some("80"), "{engine:?}");
        let (_, body) = contact.page("/contact").await;
        let main = main_of(&body);
        assert!(
            main.contains("Votre test est positif")
                && main.contains("enquêteur sanitaire va vous appeler"),
            "{main}"
        );
        let tests = sql::count_tests_of_contact(&server.db, contact_id).await;
        assert_eq!(tests, 2);
    }
);

// Every page and server-function response a contact can reach, for a case
// with distinctive personal data: none of it appears anywhere.
engine_test!(
    nothing_a_contact_can_reach_holds_the_cases_identity,
    |engine| async move {
        let forbidden = [
            CASE_FIRST,
            CASE_LAST,
            CASE_PHONE,
            "06 39 98 07 77",
            "639980777",
            CASE_EMAIL,
            CASE_BIRTH,
            "29 mars 1957",
            "1957",
            CASE_PLACE,
            CASE_TOWN,
        ];
        let server = TestServer::start(engine).await;
        let (case_id, _) = notified_case(&server, "C-5").await;
        let household = Declared {
            first: "Hugo",
            relationship: Relationship::Household,
            met_days_ago: 0,
            exposures: &[ExposureKind::FaceToFace],
            protection: &[],
            minor: false,
        };
        let mut seen = Vec::new();
        for declared in [&AT_RISK_COLLEAGUE, &household] {
            let (_, token) = notified_contact(&server, case_id, declared).await;
            let arrival = server.browser().get(&format!("/c/{token}")).await;
            seen.push(format!(
                "{:?}{}",
                arrival.headers().clone(),
                arrival.text().await.unwrap()
            ));
            let contact = server.browser();
            contact.open_contact_link(&token).await;
            // A failed form first, so that the draft pages are seen too.
            contact
                .post_form("/api/contact/test", &[("day", "99")])
                .await;
            contact
                .update_details(&[("first_name", ""), ("last_name", ""), ("phone", "")])
                .await;
            for path in [
                "/contact",
                "/contact/attestation",
                "/contact/symptomes",
                "/contact/test",
                "/contact/coordonnees",
            ] {
                let (status, body) = contact.page(path).await;
                assert_eq!(status, 200, "{path}");
                seen.push(body);
            }
            for (endpoint, body) in [
                ("/api/contact/file", ""),
                ("/api/contact/form", "form=details"),
                ("/api/contact/form", "form=test"),
            ] {
                let response = contact.call(endpoint, body).await;
                assert_eq!(response.status(), 200, "{endpoint}");
                let text = response.text().await.unwrap();
                assert!(
                    text.contains("Contact"),
                    "{endpoint} answers the contact's own file: {text}"
                );
                seen.push(text);
            }
            for (path, form) in [
                (
                    "/api/contact/symptoms",
                    vec![("day", "1"), ("month", "1"), ("year", "2020")],
                ),
                (
                    "/api/contact/test",
                    vec![
                        ("day", "1"),
                        ("month", "1"),
                        ("year", "2020"),
                        ("result", "negative"),
                    ],
                ),
            ] {
                let response = contact.post(path, &form).await;
                seen.push(format!(
                    "{:?}{}",
                    response.headers().clone(),
                    response.text().await.unwrap()
                ));
            }
        }
        for text in &seen {
            for secret in forbidden {
                assert!(
                    !text.contains(secret),
                    "{engine:?}: the case's {secret:?} reached a contact:\n{text}"
                );
            }
        }
        assert!(seen.len() >= 20);
    }
);

engine_test!(
    a_negative_test_on_the_last_test_day_ends_the_quarantine,
    |engine| async move {
        let (server, rule_sets) = TestServer::start_under_quarantine_rules(engine).await;
        // A case tested 12 days ago, without symptoms; a colleague met that
        // day: the quarantine's last day and last test day are long past.
        let sample = today() - Duration::days(12);
        let case_id = cases::create_case(
            &server.db,
            &cases::NewCase {
                reference: "C-6".to_owned(),
                lab_reference: None,
                first_name: CASE_FIRST.to_owned(),
                last_name: CASE_LAST.to_owned(),
                birth_date: CASE_BIRTH.to_owned(),
                phone: CASE_PHONE.to_owned(),
                lang: Lang::Fr,
                sample_date: sample.to_string(),
                test_type: "pcr".to_owned(),
                symptom_onset: None,
                departement: None,
            },
        )
        .await
        .unwrap()
        .get();
        let met = Declared {
            met_days_ago: 12,
            ..AT_RISK_COLLEAGUE
        };
        let (_, token) = notified_contact(&server, case_id, &met).await;
        let contact = server.browser();
        contact.open_contact_link(&token).await;
        let situation = relais::CaseSituation::new(None, sample);
        let mut exposure = met.input().exposure;
        exposure.informed_on = Some(today());
        let q = relais::rules::assess(&rule_sets, &situation)
            .assess_contact(&exposure)
            .quarantine
            .expect("at risk");
        // The test on day 7 ends the quarantine (the one at once is today).
        let last_test = q.deciding_test_day().unwrap();
        assert!(last_test < today());
        // Past the end without the test: still at home, waiting for it.
        let (_, body) = contact.page("/contact").await;
        assert!(
            main_of(&body).contains("résultat négatif d&#x27;un test")
                || main_of(&body).contains("résultat négatif d'un test"),
            "{engine:?}"
        );
        // A negative test the day before the last test day ends nothing.
        let early = last_test - Duration::days(1);
        let negative = [("result", "negative")];
        let post = |day: Date| post_report(&contact, "/api/contact/test", day, &negative);
        assert_eq!(post(early).await, "/contact");
        let (_, body) = contact.page("/contact").await;
        assert!(
            !main_of(&body).contains("Votre quarantaine est terminée"),
            "{engine:?}"
        );
        // On the last test day: over, since the last day.
        assert_eq!(post(last_test).await, "/contact");
        let (_, body) = contact.page("/contact").await;
        let main = main_of(&body);
        assert!(
            main.contains("Votre quarantaine est terminée"),
            "{engine:?}: {main}"
        );
        assert!(main.contains(&d(q.last_day.unwrap())), "{main}");
    }
);

engine_test!(
    malformed_follow_up_posts_never_cause_a_server_error,
    |engine| async move {
        let server = TestServer::start(engine).await;
        let (case_id, _) = notified_case(&server, "C-7").await;
        let (_, token) = notified_contact(&server, case_id, &AT_RISK_COLLEAGUE).await;
        let contact = server.browser();
        contact.open_contact_link(&token).await;
        let stranger = server.browser();
        let bodies = [
            "",
            "day=1",
            "%%%",
            "day=%FF%FE&month=\u{0}&year=9999999999999",
            "result=maybe&day=1&month=1&year=2020&x=y",
        ];
        for endpoint in [
            "/api/contact/symptoms",
            "/api/contact/test",
            "/api/contact/details",
            "/api/contact/form",
            "/api/contact/open",
        ] {
            for body in bodies {
                // With the contact's session, and without any.
                for browser in [&contact, &stranger] {
                    let status = browser.post_raw(endpoint, body).await.status();
                    assert!(
                        status.as_u16() < 500,
                        "{engine:?} {endpoint} {body:?}: {status}"
                    );
                }
            }
        }
    }
);
