//! Scheduled SMS (test-day reminder, follow-up question) and inbound
//! replies (`POST /api/sms/inbound`): the signature, replays, answers to
//! the question, STOP, free text for the tracers — on SQLite and
//! PostgreSQL, with the real worker and a fake gateway on loopback.

use crate::common::browser::{main_of, Browser};
use crate::common::inbound::signature;
use crate::common::{engine_test, sql, today, Engine, TestServer};
use relais::contact_guidance::{TestReport, TestResult};
use relais::roles::StaffRole;
use relais_server::sms::provider::Provider;
use relais_server::sms::SmsWorker;
use reqwest::{Method, StatusCode};
use serde_json::json;
use std::sync::{Arc, Mutex};
use time::{Date, Duration};

const SECRET: &str = "inbound-secret-for-tests-0123";
const PHONE: &str = "+33639980110";

async fn start(engine: Engine) -> TestServer {
    TestServer::start_with(engine, &[("RELAIS_SMS_INBOUND_SECRET", SECRET)]).await
}

/// Posts an inbound SMS signed `offset` seconds away from now.
async fn post_inbound_at(server: &TestServer, body: &str, offset: i64) -> reqwest::Response {
    crate::common::inbound::post_signed(&server.browser(), SECRET, body, offset).await
}

/// Posts a signed inbound SMS; the JSON answer, which must be a 200.
async fn sms_in(server: &TestServer, id: &str, from: &str, text: &str) -> serde_json::Value {
    let body = json!({ "id": id, "from": from, "text": text }).to_string();
    let response = post_inbound_at(server, &body, 0).await;
    assert_eq!(response.status(), StatusCode::OK, "{id}");
    response.json().await.unwrap()
}

/// What the fake gateway received: the JSON bodies.
type Received = Arc<Mutex<Vec<serde_json::Value>>>;

async fn fake_gateway() -> (String, Received) {
    let received: Received = Arc::default();
    let seen = received.clone();
    let app = axum::Router::new().route(
        "/sms",
        axum::routing::post(move |body: axum::Json<serde_json::Value>| {
            let seen = seen.clone();
            async move {
                seen.lock().unwrap().push(body.0);
                axum::http::StatusCode::ACCEPTED
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/sms", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (url, received)
}

fn worker(server: &TestServer, url: &str) -> SmsWorker {
    SmsWorker::new(
        server.db.clone(),
        Provider::http(url, "gateway-secret-0123456789"),
        &server.base,
        3,
    )
}

/// A case sampled yesterday with one contact (`PHONE`) met yesterday: the
/// rules in force (2021-01) ask for tests on days 0 and 7 after the last
/// contact and a quarantine until day 7. Returns (case id, contact id,
/// last contact).
async fn current_case(server: &TestServer, reference: &str) -> (i64, i64, Date) {
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
    (case_id, contact_id, last_contact)
}

/// Validates the case's list, as it is now, as a tracer; where the answer
/// redirects.
/// These tests follow the contact's messages: the case's own "How are
/// you?" texts, which validation schedules too (see `support.rs`), are
/// taken out.
async fn validate(server: &TestServer, tracer: &Browser, case_id: i64) -> String {
    let version = sql::case_version(&server.db, case_id).await;
    let to = tracer.validate(case_id, version).await;
    sql::delete_case_check_ins(&server.db, case_id).await;
    to
}

/// `hour`:00 in Paris on `day`, computed with time-tz directly.
fn paris(day: Date, hour: u8) -> i64 {
    use time_tz::PrimitiveDateTimeExt;
    time::PrimitiveDateTime::new(day, time::Time::from_hms(hour, 0, 0).unwrap())
        .assume_timezone(time_tz::timezones::db::europe::PARIS)
        .take_first()
        .unwrap()
        .unix_timestamp()
}

/// A case validated now, with its follow-up question scheduled.
async fn validated_case(server: &TestServer, reference: &str) -> (i64, i64) {
    let (case_id, contact_id, _) = current_case(server, reference).await;
    let tracer = server
        .staff(&format!("t-{reference}"), StaffRole::Tracer)
        .await;
    let to = validate(server, &tracer, case_id).await;
    assert!(to.contains("ok=validated&n=1"), "{to}");
    assert!(sql::scheduled_messages(&server.db, contact_id)
        .await
        .iter()
        .any(|(kind, ..)| kind == "contact_follow_up"));
    (case_id, contact_id)
}

engine_test!(
    validating_schedules_the_test_day_reminder_and_the_follow_up_question_once,
    |engine| async move {
        let server = start(engine).await;
        let (case_id, contact_id, last_contact) = current_case(&server, "REP-S1").await;
        let tracer = server.staff("t-rep-s1", StaffRole::Tracer).await;
        let to = validate(&server, &tracer, case_id).await;
        assert!(to.ends_with("ok=validated&n=1"), "{engine:?}: {to}");
        // Today's cases are under the rules of March 2022: no quarantine,
        // one test on day 2 after being told (validation tells them today).
        let _ = last_contact;
        let day2 = server.db.today_paris() + Duration::days(2);
        let expected = vec![
            (
                "contact_test_reminder".to_owned(),
                paris(day2, 9),
                "pending".to_owned(),
                day2.to_string(),
            ),
            (
                "contact_follow_up".to_owned(),
                paris(day2, 10),
                "pending".to_owned(),
                day2.to_string(),
            ),
        ];
        assert_eq!(
            sql::scheduled_messages(&server.db, contact_id).await,
            expected,
            "{engine:?}"
        );
        // A second validation schedules nothing more.
        let to = validate(&server, &tracer, case_id).await;
        assert!(to.ends_with("ok=validated&n=0"), "{to}");
        assert_eq!(
            sql::scheduled_messages(&server.db, contact_id).await,
            expected
        );
        // Not due: the worker sends only the notification now.
        let (url, received) = fake_gateway().await;
        let pass = worker(&server, &url).pass().await.unwrap();
        assert_eq!((pass.sent, pass.skipped), (1, 0), "{engine:?}");
        assert!(received.lock().unwrap()[0]["text"]
            .as_str()
            .unwrap()
            .contains("/c/"));
        // When due: the reminder carries a link to the contact's page, the
        // question the three answers, both in GSM-7 and in one or two parts.
        sql::make_pending_due(&server.db).await;
        let pass = worker(&server, &url).pass().await.unwrap();
        assert_eq!(pass.sent, 2, "{engine:?}");
        let texts: Vec<String> = received.lock().unwrap()[1..]
            .iter()
            .map(|b| b["text"].as_str().unwrap().to_owned())
            .collect();
        assert!(
            texts[0].contains("test COVID") && texts[0].contains("/c/"),
            "{texts:?}"
        );
        assert!(
            texts[1].contains("Répondez 1 si négatif, 2 si positif, 3 si pas testé"),
            "{texts:?}"
        );
        for text in &texts {
            assert!(relais::sms::is_gsm7(text), "{text}");
            assert!(relais::sms::parts(text) <= 2, "{text}");
        }
    }
);

/// Whether the store finds a scheduled message of `kind` about `day`
/// pointless now.
async fn pointless(server: &TestServer, contact_id: i64, kind: &str, day: Date) -> bool {
    let mut conn = server.db.pool().acquire().await.unwrap();
    relais_store::schedule::pointless(
        &mut conn,
        contact_id.into(),
        relais::outbox::MessageKind::parse(kind).unwrap(),
        Some(day),
    )
    .await
    .unwrap()
}

async fn record(server: &TestServer, contact_id: i64, day: Date, result: TestResult) {
    relais_store::follow_up::record_test(
        &server.db,
        contact_id.into(),
        &TestReport {
            sampled_on: day,
            result,
        },
        relais::Lang::Fr,
    )
    .await
    .unwrap();
}

engine_test!(
    a_contact_who_recorded_a_result_is_not_reminded_nor_asked,
    |engine| async move {
        let server = start(engine).await;
        let (case_id, contact_id, last_contact) = current_case(&server, "REP-S2").await;
        let tracer = server.staff("t-rep-s2", StaffRole::Tracer).await;
        validate(&server, &tracer, case_id).await;
        let day7 = last_contact + Duration::days(7);
        // A negative test before day 7 does not replace the day-7 test the
        // rules ask for: the reminder and the question still stand.
        record(&server, contact_id, today(), TestResult::Negative).await;
        for kind in ["contact_test_reminder", "contact_follow_up"] {
            assert!(
                !pointless(&server, contact_id, kind, day7).await,
                "{engine:?}"
            );
        }
        // A result for day 7 recorded on the contact's page (sampled on
        // day 7: the page itself takes it on that day) answers both.
        record(&server, contact_id, day7, TestResult::Negative).await;
        let (url, received) = fake_gateway().await;
        sql::make_pending_due(&server.db).await;
        let pass = worker(&server, &url).pass().await.unwrap();
        // The notification goes; the reminder and the question do not.
        assert_eq!((pass.sent, pass.skipped), (1, 2), "{engine:?}");
        assert_eq!(received.lock().unwrap().len(), 1);
        let statuses: Vec<String> = sql::scheduled_messages(&server.db, contact_id)
            .await
            .into_iter()
            .map(|(_, _, status, _)| status)
            .collect();
        assert_eq!(statuses, vec!["cancelled", "cancelled"], "{engine:?}");
        // Scheduling again (say the rows were lost) asks nothing of a
        // contact whose answer is known.
        sql::delete_messages_of_contact(&server.db, contact_id).await;
        let to = validate(&server, &tracer, case_id).await;
        assert!(to.ends_with("n=1"), "{to}");
        assert!(
            sql::scheduled_messages(&server.db, contact_id)
                .await
                .is_empty(),
            "{engine:?}"
        );
        // A positive test, whenever sampled, makes both pointless.
        let (_, other) = validated_case(&server, "REP-S3").await;
        record(&server, other, today(), TestResult::Positive).await;
        for kind in ["contact_test_reminder", "contact_follow_up"] {
            assert!(pointless(&server, other, kind, day7).await, "{engine:?}");
        }
    }
);

engine_test!(
    the_signature_is_required_fresh_and_each_gateway_id_counts_once,
    |engine| async move {
        let server = start(engine).await;
        let (case_id, _) = validated_case(&server, "REP-H1").await;
        let body = json!({ "id": "gw-1", "from": PHONE, "text": "Bonjour, j'ai une question" })
            .to_string();
        let refused = |response: reqwest::Response| async move {
            assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
            let answer: serde_json::Value = response.json().await.unwrap();
            assert!(answer["error"].is_string(), "{answer}");
        };
        let gateway = server.browser();
        // Missing headers.
        refused(
            gateway
                .request(Method::POST, "/api/sms/inbound")
                .body(body.clone())
                .send()
                .await
                .unwrap(),
        )
        .await;
        // A wrong signature (another secret), and one of another body.
        let ts = time::OffsetDateTime::now_utc().unix_timestamp().to_string();
        for sig in [
            signature("another-secret-0123456789", &ts, &body),
            signature(SECRET, &ts, &body.replace("question", "questions")),
            "00".repeat(32),
        ] {
            refused(
                gateway
                    .request(Method::POST, "/api/sms/inbound")
                    .header("x-relais-timestamp", &ts)
                    .header("x-relais-signature", sig)
                    .body(body.clone())
                    .send()
                    .await
                    .unwrap(),
            )
            .await;
        }
        // Stale: more than 5 minutes before or after now.
        refused(post_inbound_at(&server, &body, -330).await).await;
        refused(post_inbound_at(&server, &body, 330).await).await;
        assert_eq!(
            sql::count_inbound(&server.db).await,
            0,
            "{engine:?}: nothing refused was recorded"
        );
        // Good, a little off the clock: recorded.
        let response = post_inbound_at(&server, &body, -200).await;
        assert_eq!(response.status(), StatusCode::OK);
        let answer: serde_json::Value = response.json().await.unwrap();
        assert_eq!(answer, json!({ "status": "recorded", "outcome": "reply" }));
        // The same id again (a replay, or the gateway's retry): 200, once.
        let response = post_inbound_at(&server, &body, 0).await;
        assert_eq!(response.status(), StatusCode::OK);
        let answer: serde_json::Value = response.json().await.unwrap();
        assert_eq!(answer, json!({ "status": "duplicate" }), "{engine:?}");
        assert_eq!(sql::count_inbound(&server.db).await, 1);
        assert_eq!(
            sql::count_replies_of_case(&server.db, case_id).await,
            1,
            "{engine:?}: the reply is kept once"
        );
        // Not JSON: 400.
        let response = post_inbound_at(&server, "not json", 0).await;
        assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    }
);

engine_test!(
    without_a_secret_the_route_is_not_there,
    |engine| async move {
        let server = TestServer::start(engine).await;
        let body = json!({ "id": "gw-1", "from": PHONE, "text": "1" }).to_string();
        let response = post_inbound_at(&server, &body, 0).await;
        assert_eq!(response.status(), StatusCode::NOT_FOUND, "{engine:?}");
    }
);

engine_test!(
    answering_2_records_a_positive_test_and_opens_the_case_like_the_contact_page,
    |engine| async move {
        let server = start(engine).await;
        let (case_id, contact_id) = validated_case(&server, "REP-A2").await;
        let answer = sms_in(&server, "gw-a2", "06 39 98 01 10", " 2. ").await;
        assert_eq!(answer, json!({ "status": "recorded", "outcome": "answer" }));
        let tests = sql::tests_of_contact(&server.db, contact_id).await;
        assert_eq!(tests.len(), 1, "{engine:?}");
        assert_eq!(tests[0].1, "positive");
        // The chain of the contact journey: a new case in the queue, linked
        // to the contact and to the original case.
        let opened = sql::case_links_opened_by(&server.db, contact_id).await;
        assert_eq!(opened.len(), 1, "{engine:?}");
        assert_eq!(opened[0].1, Some(case_id));
        assert_eq!(opened[0].2, "new");
        assert_eq!(opened[0].3, format!("PC-{contact_id}"));
        // The question and reminder still waiting are now pointless.
        let (url, received) = fake_gateway().await;
        sql::make_pending_due(&server.db).await;
        let pass = worker(&server, &url).pass().await.unwrap();
        assert_eq!((pass.sent, pass.skipped), (1, 2), "{engine:?}");
        assert_eq!(received.lock().unwrap().len(), 1, "only the notification");
        // Answering again (another gateway id) opens no second case.
        sms_in(&server, "gw-a2-bis", PHONE, "2").await;
        assert_eq!(sql::count_cases_opened_by(&server.db, contact_id).await, 1);
    }
);

engine_test!(
    answering_1_records_a_negative_test_and_3_flags_the_contact_for_the_tracer,
    |engine| async move {
        let server = start(engine).await;
        let (_, contact_id) = validated_case(&server, "REP-A1").await;
        let answer = sms_in(&server, "gw-a1", PHONE, "1").await;
        assert_eq!(answer["outcome"], "answer", "{engine:?}");
        let tests = sql::tests_of_contact(&server.db, contact_id).await;
        assert_eq!(tests.len(), 1);
        assert_eq!(tests[0].1, "negative");
        assert_eq!(sql::count_cases_opened_by(&server.db, contact_id).await, 0);

        let (_, other) = validated_case(&server, "REP-A3").await;
        // Same phone: the latest question is the one answered.
        let answer = sms_in(&server, "gw-a3", PHONE, "3").await;
        assert_eq!(answer["outcome"], "answer");
        let (answer, follow_up_at) = sql::sms_answer_and_follow_up(&server.db, other).await;
        assert_eq!(answer.as_deref(), Some("not_tested"), "{engine:?}");
        assert!(follow_up_at.is_some());
        assert_eq!(sql::count_tests_of_contact(&server.db, other).await, 0);
    }
);

engine_test!(stop_opts_the_number_out_for_good, |engine| async move {
    let server = start(engine).await;
    let (case_id, _) = validated_case(&server, "REP-STOP").await;
    let answer = sms_in(&server, "gw-stop", PHONE, " Stop. ").await;
    assert_eq!(answer["outcome"], "stop", "{engine:?}");
    // A later message to the same number: another case lists it.
    let (later_case, _) = validated_case(&server, "REP-STOP2").await;
    let (url, received) = fake_gateway().await;
    sql::make_pending_due(&server.db).await;
    let pass = worker(&server, &url).pass().await.unwrap();
    assert_eq!(pass.sent, 0, "{engine:?}");
    assert!(received.lock().unwrap().is_empty(), "nothing delivered");
    for case in [case_id, later_case] {
        let statuses = sql::message_statuses_of_case(&server.db, case).await;
        assert_eq!(statuses, vec!["opted_out".to_owned()], "{engine:?}");
    }
    // Tracers see the opt-out on the contact.
    let tracer = server.staff("t-rep-stop-view", StaffRole::Tracer).await;
    let (_, body) = tracer.open_case(case_id).await;
    assert!(main_of(&body).contains("SMS refusés (STOP)"), "{engine:?}");
    // "STOP SMS" is not an opt-out: a reply for the tracers.
    let answer = sms_in(&server, "gw-stop-sms", PHONE, "STOP SMS").await;
    assert_eq!(answer["outcome"], "reply");
});

engine_test!(
    other_text_is_an_unread_reply_on_the_case_page_until_marked_read,
    |engine| async move {
        let server = start(engine).await;
        let (case_id, _) = validated_case(&server, "REP-R1").await;
        let answer = sms_in(
            &server,
            "gw-r1",
            PHONE,
            "Je travaille de nuit, rappelez-moi",
        )
        .await;
        assert_eq!(answer["outcome"], "reply", "{engine:?}");
        // From a number Relais does not know: dropped.
        let answer = sms_in(&server, "gw-r2", "+33639980999", "qui êtes-vous ?").await;
        assert_eq!(answer["outcome"], "unmatched");
        assert_eq!(sql::count_replies(&server.db).await, 1);
        let tracer = server.staff("t-rep-r1", StaffRole::Tracer).await;
        let (status, body) = tracer.open_case(case_id).await;
        assert_eq!(status, StatusCode::OK);
        let main = main_of(&body);
        assert!(main.contains("Réponses par SMS"), "{engine:?}");
        assert!(
            main.contains("Je travaille de nuit, rappelez-moi"),
            "{main}"
        );
        assert!(main.contains("Berthe Quillard"), "the contact who wrote");
        let reply_id = sql::reply_of_case(&server.db, case_id).await;
        // Signed out: refused, still unread.
        let to = server.browser().mark_reply_read(case_id, reply_id).await;
        assert!(to.starts_with("/equipe/connexion"));
        let to = tracer.mark_reply_read(case_id, reply_id).await;
        assert!(to.contains("ok=reply_read"), "{engine:?}: {to}");
        let (_, body) = tracer.open_case(case_id).await;
        let main = main_of(&body);
        assert!(!main.contains("Je travaille de nuit"), "{engine:?}");
        assert!(main.contains("Aucune réponse non lue."));
        assert_eq!(sql::count_audit(&server.db, case_id, "read_reply").await, 1);
    }
);

engine_test!(
    an_inbound_body_over_64_kib_is_refused_before_it_is_read,
    |engine| async move {
        let server = start(engine).await;
        let text = "x".repeat(70 * 1024);
        let body = json!({ "id": "gw-big", "from": PHONE, "text": text }).to_string();
        let response = post_inbound_at(&server, &body, 0).await;
        assert_eq!(
            response.status(),
            StatusCode::PAYLOAD_TOO_LARGE,
            "{engine:?}"
        );
        assert_eq!(sql::count_inbound(&server.db).await, 0);
        // Under the limit, the same route takes it (a 200, recorded).
        sms_in(&server, "gw-small", PHONE, "Bonjour").await;
        assert_eq!(sql::count_inbound(&server.db).await, 1, "{engine:?}");
    }
);
