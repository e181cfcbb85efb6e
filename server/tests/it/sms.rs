//! The SMS outbox's sender: the texts with working links, the log provider
//! of the demo, retries then success, and giving up — against a fake
//! gateway on loopback, on SQLite and PostgreSQL.

use crate::common::browser::{location, main_of};
use crate::common::gateway::{self, Behaviour, Received};
use crate::common::{engine_test, sql, TestServer};
use relais::roles::StaffRole;
use relais_server::sms::provider::Provider;
use relais_server::sms::{Pass, SmsWorker};

/// A gateway that answers 500 to its first `failures` requests (or to all
/// of them when `failures` is `u32::MAX`), then 202.
async fn fake_gateway(failures: u32) -> (String, Received) {
    gateway::start(Behaviour {
        failures,
        ..Behaviour::default()
    })
    .await
}

/// A case whose list of one at-risk contact was validated: one message in
/// the outbox. Returns the case id.
async fn one_notification(server: &TestServer, reference: &str) -> i64 {
    let (case_id, _) = server.case_with_list(reference, &["06 39 98 01 10"]).await;
    let tracer = server
        .staff(&format!("t-{reference}"), StaffRole::Tracer)
        .await;
    let version = sql::case_version(&server.db, case_id).await;
    let to = tracer.validate(case_id, version).await;
    assert!(to.ends_with("ok=validated&n=1"), "{to}");
    case_id
}

engine_test!(
    the_log_provider_writes_the_text_with_a_link_that_opens_the_contact_page,
    |engine| async move {
        let server = TestServer::start(engine).await;
        let case_id = one_notification(&server, "SMS-1").await;
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("data/sms.log");
        let worker = SmsWorker::new(
            server.db.clone(),
            Provider::log(file.clone()),
            &server.base,
            3,
        );
        assert_eq!(
            worker.pass().await.unwrap(),
            Pass {
                sent: 1,
                retried: 0,
                failed: 0,
                skipped: 0
            }
        );
        assert_eq!(worker.pass().await.unwrap(), Pass::default(), "sent once");
        let log = std::fs::read_to_string(&file).unwrap();
        assert_eq!(log.lines().count(), 1, "{log}");
        assert!(
            log.contains("to +33639980110: Relais : vous avez ete en contact")
                || log.contains("to +33639980110: Relais : vous avez été en contact"),
            "{log}"
        );
        assert!(
            relais::sms::is_gsm7(log.lines().next().unwrap().split(": ").nth(1).unwrap()),
            "{log}"
        );
        let link = log.split_whitespace().find(|w| w.contains("/c/")).unwrap();
        let path = link.strip_prefix(&server.base).unwrap();
        let response = server.browser().get(path).await;
        assert_eq!(
            location(&response),
            "/contact",
            "{engine:?}: the link works"
        );
        let (status, attempts, _) = sql::outbox_row(&server.db, case_id).await;
        assert_eq!((status.as_str(), attempts), ("sent", 1));
        // No usable link is kept in the outbox.
        let body = sql::outbox_body(&server.db, case_id).await;
        assert_eq!(body, None);
    }
);

engine_test!(
    a_failing_gateway_is_retried_with_backoff_then_accepts,
    |engine| async move {
        let server = TestServer::start(engine).await;
        let case_id = one_notification(&server, "SMS-2").await;
        let (url, received) = fake_gateway(2).await;
        let worker = SmsWorker::new(
            server.db.clone(),
            Provider::http(&url, "gateway-secret-0123456789"),
            &server.base,
            5,
        );
        assert_eq!(worker.pass().await.unwrap().retried, 1);
        let (status, attempts, error) = sql::outbox_row(&server.db, case_id).await;
        assert_eq!((status.as_str(), attempts), ("pending", 1), "{engine:?}");
        assert_eq!(error.as_deref(), Some("gateway answered 500"));
        // Not due yet: the backoff holds it.
        let next = sql::next_attempt_of_case(&server.db, case_id).await;
        assert!(next >= server.db.now() + 14, "backoff of at least 15 s");
        assert_eq!(worker.pass().await.unwrap(), Pass::default());
        sql::make_pending_due(&server.db).await;
        assert_eq!(worker.pass().await.unwrap().retried, 1);
        sql::make_pending_due(&server.db).await;
        assert_eq!(worker.pass().await.unwrap().sent, 1);
        let (status, attempts, error) = sql::outbox_row(&server.db, case_id).await;
        assert_eq!((status.as_str(), attempts, error), ("sent", 3, None));
        let received = received.lock().unwrap().clone();
        assert_eq!(received.len(), 3);
        for (auth, body) in &received {
            assert_eq!(auth, "Bearer gateway-secret-0123456789");
            assert_eq!(body["to"], "+33639980110");
            assert!(body["text"].as_str().unwrap().contains("/c/"));
            // The same message id each time: the gateway can recognise it.
            assert_eq!(body["id"], received[0].1["id"]);
        }
    }
);

engine_test!(
    after_the_last_attempt_the_message_is_failed_and_tracers_see_it,
    |engine| async move {
        let server = TestServer::start(engine).await;
        let case_id = one_notification(&server, "SMS-3").await;
        let (url, received) = fake_gateway(u32::MAX).await;
        let worker = SmsWorker::new(
            server.db.clone(),
            Provider::http(&url, "gateway-secret-0123456789"),
            &server.base,
            3,
        );
        for _ in 0..2 {
            assert_eq!(worker.pass().await.unwrap().retried, 1);
            sql::make_pending_due(&server.db).await;
        }
        assert_eq!(worker.pass().await.unwrap().failed, 1, "{engine:?}");
        sql::make_pending_due(&server.db).await;
        assert_eq!(
            worker.pass().await.unwrap(),
            Pass::default(),
            "given up for good"
        );
        assert_eq!(received.lock().unwrap().len(), 3);
        let (status, attempts, error) = sql::outbox_row(&server.db, case_id).await;
        assert_eq!((status.as_str(), attempts), ("failed", 3));
        assert_eq!(error.as_deref(), Some("gateway answered 500"));
        let tracer = server.staff("t-sms3-view", StaffRole::Tracer).await;
        let (_, body) = tracer.open_case(case_id).await;
        assert!(main_of(&body).contains("SMS en échec"), "{engine:?}");
        // An unreachable gateway is an attempt failed too, with its reason.
        let case_id = one_notification(&server, "SMS-4").await;
        let worker = SmsWorker::new(
            server.db.clone(),
            Provider::http("http://127.0.0.1:9/sms", "gateway-secret-0123456789"),
            &server.base,
            3,
        );
        assert_eq!(worker.pass().await.unwrap().retried, 1);
        let (_, _, error) = sql::outbox_row(&server.db, case_id).await;
        assert_eq!(
            error.as_deref(),
            Some("gateway unreachable: connection refused or failed")
        );
    }
);

engine_test!(
    two_workers_never_claim_the_same_message,
    |engine| async move {
        let server = TestServer::start(engine).await;
        for i in 0..6 {
            one_notification(&server, &format!("SMS-P{i}")).await;
        }
        let (url, received) = fake_gateway(0).await;
        let worker = |_: u8| {
            SmsWorker::new(
                server.db.clone(),
                Provider::http(&url, "gateway-secret-0123456789"),
                &server.base,
                3,
            )
        };
        let (a, b) = (worker(1), worker(2));
        let (pa, pb) = tokio::join!(a.pass(), b.pass());
        let total = pa.unwrap().sent + pb.unwrap().sent;
        assert_eq!(total, 6, "{engine:?}");
        let mut ids: Vec<String> = received
            .lock()
            .unwrap()
            .iter()
            .map(|(_, b)| b["id"].as_str().unwrap().to_owned())
            .collect();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), 6, "each message delivered once");
    }
);

/// The link in each text the gateway received for `message`.
fn links_in(received: &Received, base: &str) -> Vec<String> {
    received
        .lock()
        .unwrap()
        .iter()
        .map(|(_, body)| {
            let text = body["text"].as_str().unwrap();
            let link = text.split_whitespace().find(|w| w.contains("/d/")).unwrap();
            link.strip_prefix(base).unwrap().to_owned()
        })
        .collect()
}

engine_test!(
    a_resend_revokes_the_old_links_and_a_text_sent_twice_after_a_crash_opens_with_either_link,
    |engine| async move {
        use axum::http::StatusCode;
        let server = TestServer::start(engine).await;
        let (case_id, first) = server.new_case("SMS-RESEND").await;
        let case = server.browser();
        assert_eq!(case.open_case_link(&first).await.0, StatusCode::OK);
        let tracer = server.staff("t-resend", StaffRole::Tracer).await;
        tracer.resend_link(case_id).await;
        let (status, body) = case.open_case_link(&first).await;
        assert_eq!(
            status,
            StatusCode::NOT_FOUND,
            "{engine:?}: the old link is revoked"
        );
        assert!(body.contains("Ce lien n'est pas valable"));
        // The node sending the new text dies after the gateway took it and
        // before it marked it sent (its claim runs out while the gateway
        // holds the request): another worker sends it again, with the same
        // id and a new link. Both texts' links open the file.
        let (url, received) = gateway::start(Behaviour {
            failures: 0,
            delay: std::time::Duration::from_millis(1_500),
        })
        .await;
        let worker = || {
            SmsWorker::new(
                server.db.clone(),
                Provider::http(&url, "gateway-secret-0123456789"),
                &server.base,
                3,
            )
            .with_lease(1)
        };
        let first_worker = worker();
        let dying = tokio::spawn(async move { first_worker.pass().await.unwrap() });
        tokio::time::sleep(std::time::Duration::from_millis(400)).await;
        server.db.clock().advance(time::Duration::seconds(5));
        let second = worker().pass().await.unwrap();
        assert_eq!(second.sent, 1, "{engine:?}: the claim was taken over");
        dying.await.unwrap();
        let links = links_in(&received, &server.base);
        assert_eq!(links.len(), 2, "{engine:?}: the gateway got the text twice");
        assert_ne!(links[0], links[1]);
        let ids: Vec<String> = received
            .lock()
            .unwrap()
            .iter()
            .map(|(_, b)| b["id"].to_string())
            .collect();
        assert_eq!(ids[0], ids[1], "the same message id: the gateway keeps one");
        for link in &links {
            let (status, body) = case.page(link).await;
            assert_eq!(status, StatusCode::OK, "{engine:?}: {link} opens");
            assert!(body.contains("bday-day"), "{body}");
        }
        // Sent again: those links stop opening too.
        tracer.resend_link(case_id).await;
        for link in &links {
            assert_eq!(case.page(link).await.0, StatusCode::NOT_FOUND, "{engine:?}");
        }
    }
);
