//! The contact states their vaccination on their own page, under rules
//! that use it (January 2022, made current): the page recomputes the
//! instructions and says what changed, and the SMS reminders follow the
//! new test days, never twice; under today's rules (March 2022) the form
//! is not offered and a post is refused politely — on SQLite and
//! PostgreSQL.

use crate::common::browser::{location, main_of, Browser};
use crate::common::{engine_test, january_2022_rules_in_force, sql, today, TestServer};
use relais::dates::long_date;
use relais::roles::StaffRole;
use relais::Lang;
use relais_store::{cases, follow_up};
use time::{Date, Duration};

/// `hour`:00 in Paris on `day`, computed with time-tz directly.
fn paris(day: Date, hour: u8) -> i64 {
    use time_tz::PrimitiveDateTimeExt;
    time::PrimitiveDateTime::new(day, time::Time::from_hms(hour, 0, 0).unwrap())
        .assume_timezone(time_tz::timezones::db::europe::PARIS)
        .take_first()
        .unwrap()
        .unix_timestamp()
}

fn d(date: Date) -> String {
    long_date(date, Lang::Fr)
}

/// A case tested yesterday (symptoms two days ago) whose one contact, an
/// adult colleague met face to face yesterday, is validated by a tracer
/// now; the contact's browser, signed in from the SMS link. Returns the
/// contact's id and browser.
pub(crate) async fn notified_contact(server: &TestServer, reference: &str) -> (i64, Browser) {
    let (case_id, _) = server.case_with_list(reference, &["06 39 98 01 10"]).await;
    let last_contact = today() - Duration::days(1);
    sql::set_sample_and_onset(
        &server.db,
        case_id,
        &last_contact.to_string(),
        &(today() - Duration::days(2)).to_string(),
    )
    .await;
    sql::set_last_contact_of_case(&server.db, case_id, &last_contact.to_string()).await;
    let contact_id = sql::contact_ids(&server.db, case_id).await[0];
    let tracer = server
        .staff(&format!("t-{reference}"), StaffRole::Tracer)
        .await;
    let version = sql::case_version(&server.db, case_id).await;
    let to = tracer.validate(case_id, version).await;
    assert!(to.contains("ok=validated&n=1"), "{to}");
    let contact = server
        .contact_browser(relais::ids::ContactId(contact_id))
        .await;
    (contact_id, contact)
}

/// The vaccination form as a browser posts it: a complete schedule whose
/// last dose was on `dose`.
pub(crate) async fn state_vaccinated(contact: &Browser, dose: Date) -> String {
    let (day, month, year) = (
        dose.day().to_string(),
        u8::from(dose.month()).to_string(),
        dose.year().to_string(),
    );
    contact
        .post_form(
            "/api/contact/vaccination",
            &[
                ("status", "fully_vaccinated"),
                ("day", &day),
                ("month", &month),
                ("year", &year),
            ],
        )
        .await
}

engine_test!(
    a_vaccinated_contact_states_it_and_gets_tests_instead_of_quarantine,
    |engine| async move {
        let server = TestServer::start_with_rules(engine, &[], january_2022_rules_in_force()).await;
        let (contact_id, contact) = notified_contact(&server, "VAX-1").await;

        // Before: a quarantine; the page offers the vaccination form.
        let (status, body) = contact.page("/contact").await;
        assert_eq!(status, 200);
        let main = main_of(&body);
        assert!(
            main.contains("Restez chez vous jusqu"),
            "{engine:?}: {main}"
        );
        assert!(main.contains("href=\"/contact/vaccination\""), "{main}");
        let before = sql::scheduled_messages(&server.db, contact_id).await;
        assert!(
            !before.is_empty() && before.iter().all(|m| m.2 == "pending"),
            "{before:?}"
        );
        let (status, form) = contact.page("/contact/vaccination").await;
        assert_eq!(status, 200);
        assert!(main_of(&form).contains("name=\"status\""), "{form}");

        // A date in the future is refused, tied to its field, and kept.
        let to = state_vaccinated(&contact, today() + Duration::days(3)).await;
        assert_eq!(to, "/contact/vaccination");
        let (_, form) = contact.page("/contact/vaccination").await;
        assert!(main_of(&form).contains("href=\"#dose-day\""), "{form}");
        assert!(sql::scheduled_messages(&server.db, contact_id).await == before);

        // Fully vaccinated two months ago: no quarantine, three tests.
        let to = state_vaccinated(&contact, today() - Duration::days(60)).await;
        assert_eq!(to, "/contact?vaccination=no_quarantine", "{engine:?}");
        let (_, body) = contact.page(&to).await;
        let main = main_of(&body);
        assert!(
            main.contains("Vos consignes ont changé : pas de quarantaine"),
            "{main}"
        );
        assert!(!main.contains("Restez chez vous jusqu"), "{main}");
        assert!(
            main.contains("vous n&#x27;avez pas à rester chez vous")
                || main.contains("vous n'avez pas à rester chez vous"),
            "{main}"
        );
        let told = today();
        let (day2, day4) = (told + Duration::days(2), told + Duration::days(4));
        assert!(main.contains("test antigénique ou PCR"), "{main}");
        assert_eq!(main.matches("autotest (gratuit").count(), 2, "{main}");
        for day in [told, day2, day4] {
            assert!(main.contains(&d(day)), "{} in {main}", d(day));
        }

        // The reminders follow: the self-test days (and today's test, if
        // its 09:00 is still to come), the question on day 4; those of the
        // old test day are cancelled.
        let now = time::OffsetDateTime::now_utc().unix_timestamp();
        let mut expected: Vec<(String, i64, String, String)> = Vec::new();
        if paris(told, 9) > now {
            expected.push(reminder(told));
        }
        expected.push(reminder(day2));
        expected.push(reminder(day4));
        expected.push((
            "contact_follow_up".to_owned(),
            paris(day4, 10),
            "pending".to_owned(),
            day4.to_string(),
        ));
        let after = sql::scheduled_messages(&server.db, contact_id).await;
        let pending: Vec<_> = after.iter().filter(|m| m.2 == "pending").cloned().collect();
        assert_eq!(pending, expected, "{engine:?}");
        let cancelled: Vec<_> = after
            .iter()
            .filter(|m| m.2 == "cancelled")
            .cloned()
            .collect();
        assert_eq!(cancelled.len(), before.len(), "{after:?}");
        for old in &before {
            assert!(
                cancelled.iter().any(|c| c.0 == old.0 && c.3 == old.3),
                "{old:?} cancelled: {after:?}"
            );
        }

        // Stated a second time: nothing changes, nothing is scheduled twice.
        let to = state_vaccinated(&contact, today() - Duration::days(60)).await;
        assert_eq!(to, "/contact?vaccination=unchanged");
        let (_, body) = contact.page(&to).await;
        assert!(
            main_of(&body).contains("Vos consignes n&#x27;ont pas changé")
                || main_of(&body).contains("Vos consignes n'ont pas changé"),
            "{body}"
        );
        assert_eq!(sql::scheduled_messages(&server.db, contact_id).await, after);

        // Not vaccinated after all: the quarantine is back, and its
        // reminders with it (scheduled again, not twice).
        let to = contact
            .post_form("/api/contact/vaccination", &[("status", "not_vaccinated")])
            .await;
        assert_eq!(to, "/contact?vaccination=quarantine");
        let again = sql::scheduled_messages(&server.db, contact_id).await;
        let pending: Vec<_> = again.iter().filter(|m| m.2 == "pending").cloned().collect();
        let future_before: Vec<_> = before.iter().filter(|m| m.1 > now).cloned().collect();
        assert_eq!(pending, future_before, "{engine:?}");
        assert_eq!(again.len(), after.len(), "no row twice: {again:?}");
    }
);

fn reminder(day: Date) -> (String, i64, String, String) {
    (
        "contact_test_reminder".to_owned(),
        paris(day, 9),
        "pending".to_owned(),
        day.to_string(),
    )
}

engine_test!(
    under_rules_without_vaccination_the_form_is_not_offered,
    |engine| async move {
        let server = TestServer::start(engine).await;
        let sample = today() - Duration::days(1);
        let case_id = cases::create_case(
            &server.db,
            &cases::NewCase {
                reference: "VAX-2".to_owned(),
                lab_reference: None,
                first_name: "Gaspard".to_owned(),
                last_name: "Zyxwvutsky".to_owned(),
                birth_date: "1961-07-14".to_owned(),
                phone: "+33639980001".to_owned(),
                lang: Lang::Fr,
                sample_date: sample.to_string(),
                test_type: "pcr".to_owned(),
                symptom_onset: None,
                departement: None,
            },
        )
        .await
        .unwrap();
        let mut exposure = relais::ContactExposure::met_on(sample);
        exposure.exposures.insert(relais::ExposureKind::FaceToFace);
        let input = relais::ContactInput {
            first_name: "Léa".to_owned(),
            last_name: "Contact".to_owned(),
            phone: relais::Phone {
                e164: "+33639980150".to_owned(),
                can_receive_sms: true,
            },
            email: None,
            relationship: relais::Relationship::Work,
            exposure,
            guardian_phone: None,
            lang: None,
        };
        let relais_store::declaration::SaveOutcome::Saved(id) =
            relais_store::contacts::save_contact(
                &server.db,
                case_id,
                None,
                "",
                &input,
                relais::Classification::AtRisk,
                relais_store::declaration::Editor::Case,
            )
            .await
            .unwrap()
        else {
            panic!("contact not saved")
        };
        follow_up::mark_validated(&server.db, id).await.unwrap();
        let contact = server.contact_browser(id).await;
        let (status, body) = contact.page("/contact").await;
        assert_eq!(status, 200);
        assert!(!body.contains("/contact/vaccination"), "{engine:?}");

        let response = contact
            .post(
                "/api/contact/vaccination",
                &[
                    ("status", "fully_vaccinated"),
                    ("day", "1"),
                    ("month", "12"),
                    ("year", "2021"),
                ],
            )
            .await;
        assert!(response.status().is_redirection(), "{}", response.status());
        assert_eq!(location(&response), "/contact/vaccination");
        let (status, body) = contact.page("/contact/vaccination").await;
        assert_eq!(status, 200);
        let main = main_of(&body);
        assert!(
            main.contains("ne tiennent pas compte de la vaccination"),
            "{main}"
        );
        assert!(!main.contains("<form"), "{main}");
        // Nothing was stored.
        let loaded = follow_up::load_notified_contact(&server.db, id)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            loaded.contact.input.exposure.vaccination,
            relais::VaccinationStatus::Unknown
        );
    }
);

engine_test!(
    the_tracer_sees_the_vaccination_the_contact_stated,
    |engine| async move {
        let server = TestServer::start_with_rules(engine, &[], january_2022_rules_in_force()).await;
        let (_, contact) = notified_contact(&server, "VAX-T").await;
        let case_id = sql::case_id_by_reference(&server.db, "VAX-T").await;
        let tracer = server.staff("t2-VAX-T", StaffRole::Tracer).await;

        // The rules of the case use it; nobody said it yet.
        let (status, page) = tracer.open_case(case_id).await;
        assert_eq!(status, 200);
        let main = main_of(&page);
        assert!(
            main.contains("<dt>Vaccination</dt><dd class=\"vaccination\">Non précisée</dd>"),
            "{engine:?}: {main}"
        );

        // The contact states theirs on their own page: the tracer sees it,
        // with its last dose, as the contact's own statement.
        let dose = today() - Duration::days(60);
        let to = state_vaccinated(&contact, dose).await;
        assert_eq!(to, "/contact?vaccination=no_quarantine", "{engine:?}");
        let (_, page) = tracer.open_case(case_id).await;
        let main = main_of(&page);
        let shown = format!(
            "<dd class=\"vaccination\">Schéma vaccinal complet, dernière dose le {} \
             (déclarée par le contact sur sa page)</dd>",
            d(dose)
        );
        assert!(main.contains(&shown), "{engine:?}: {shown} in {main}");
        assert!(!main.contains("réponse du cas"), "{main}");
    }
);
