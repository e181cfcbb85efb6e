//! Support during isolation, from the desks' side: the support cell of a
//! département sees the requests of its département that were shared with
//! it, and nothing else of the case; another département's cell sees none;
//! a request without consent stays with the tracer; the "How are you?"
//! texts and their answers "2" and "3", acted on once each across two
//! nodes; the nurses' platform's export; the purge. On SQLite and
//! PostgreSQL.

use crate::common::browser::{location, Browser};
use crate::common::{engine_test, sql, Engine, TestServer};
use relais::ids::{CaseId, OrganisationId};
use relais::organisation::{NewOrganisation, OrganisationKind};
use relais::roles::StaffRole;
use relais::support::{BestTime, SupportInput, SupportNeed};
use relais_server::sms::provider::Provider;
use relais_server::sms::SmsWorker;
use relais_store::support::{ask, Asker};
use reqwest::{Method, StatusCode};
use serde_json::json;
use time::Duration;

const SECRET: &str = "inbound-secret-for-support-tests";
const CONTACT_NAME: &str = "Zéphyrin Contactsecret";
const ADDRESS: &str = "12 rue des Lilas, 60000 Beauvais";

async fn start(engine: Engine) -> TestServer {
    TestServer::start_with(engine, &[("RELAIS_SMS_INBOUND_SECRET", SECRET)]).await
}

async fn cell(server: &TestServer, name: &str, departement: &str) -> OrganisationId {
    let new = NewOrganisation::new(
        OrganisationKind::SupportCell,
        name,
        vec![departement.parse().unwrap()],
    )
    .unwrap();
    relais_store::organisations::create(&server.db, &new)
        .await
        .unwrap()
}

fn request(needs: &[SupportNeed], note: &str, consent: bool) -> SupportInput {
    SupportInput {
        needs: needs.iter().copied().collect(),
        note: note.to_owned(),
        address: if consent {
            ADDRESS.to_owned()
        } else {
            String::new()
        },
        callback_phone: None,
        best_time: BestTime::Morning,
        consent,
    }
}

/// A case of Oise (60) whose list names one contact, `CONTACT_NAME`.
async fn oise_case(server: &TestServer, reference: &str) -> i64 {
    let (case_id, _) = server.case_with_list(reference, &["06 39 98 01 31"]).await;
    sql::set_case_departement(&server.db, case_id, "60").await;
    let contact = sql::contact_ids(&server.db, case_id).await[0];
    let (first, last) = CONTACT_NAME.split_once(' ').unwrap();
    sql::set_contact_names(&server.db, contact, first, last).await;
    case_id
}

engine_test!(
    the_cell_of_the_departement_sees_a_shared_request_and_nothing_else_of_the_case,
    |engine| async move {
        let server = start(engine).await;
        let oise = cell(&server, "Cellule Oise", "60").await;
        let somme = cell(&server, "Cellule Somme", "80").await;
        let case_id = oise_case(&server, "SUP-C1").await;
        let case = CaseId(case_id);
        ask(
            &server.db,
            Asker::Case(case),
            &request(&[SupportNeed::Groceries], "Sonner deux fois", true),
            None,
        )
        .await
        .unwrap();
        ask(
            &server.db,
            Asker::Case(case),
            &request(
                &[SupportNeed::Medicines],
                "seulement-pour-le-traceur",
                false,
            ),
            None,
        )
        .await
        .unwrap();

        let cell_60 = server.staff_in("cell-60", StaffRole::Support, oise).await;
        let (status, page) = cell_60.page("/equipe/soutien").await;
        assert_eq!(status, StatusCode::OK, "{engine:?}");
        for shown in ["Courses ou repas", "Sonner deux fois", ADDRESS] {
            assert!(
                page.contains(shown),
                "{engine:?}: {shown} on the cell's desk"
            );
        }
        for hidden in [
            CONTACT_NAME,
            "Zéphyrin",
            "seulement-pour-le-traceur",
            "SUP-C1",
        ] {
            assert!(
                !page.contains(hidden),
                "{engine:?}: {hidden} shown to the cell"
            );
        }
        assert_eq!(
            sql::count_audit_action(&server.db, "view_support_requests", "departement=60").await,
            1,
            "{engine:?}: the list shown is audited"
        );
        // The console's home sends a support member to their desk; the
        // tracers' pages, the case's among them, stay closed.
        let home = cell_60.get("/equipe").await;
        assert_eq!(location(&home), "/equipe/soutien", "{engine:?}");
        let (status, page) = cell_60.page(&format!("/equipe/dossiers/{case_id}")).await;
        assert_ne!(status, StatusCode::OK, "{engine:?}");
        assert!(!page.contains(CONTACT_NAME), "{engine:?}");

        // Another département's cell sees nothing of it.
        let cell_80 = server.staff_in("cell-80", StaffRole::Support, somme).await;
        let (status, page) = cell_80.page("/equipe/soutien").await;
        assert_eq!(status, StatusCode::OK, "{engine:?}");
        assert!(!page.contains("Sonner deux fois"), "{engine:?}");
        assert!(!page.contains(ADDRESS), "{engine:?}");

        // The tracer sees both, the one without consent marked so.
        let tracer = server.staff("t-sup-c1", StaffRole::Tracer).await;
        let (status, page) = tracer.open_case(case_id).await;
        assert_eq!(status, StatusCode::OK);
        assert!(page.contains("seulement-pour-le-traceur"), "{engine:?}");
        assert!(page.contains("non transmise"), "{engine:?}");
        assert!(page.contains("Sonner deux fois"), "{engine:?}");

        // The cell takes it, then closes it, with a note; each change is
        // audited, and a second "take" of the same request is refused.
        let id = sql::support_request_ids(&server.db, case_id).await[0];
        let id_text = id.to_string();
        let to = change(&cell_60, &id_text, "new", "taken", "").await;
        assert_eq!(
            to,
            format!("/equipe/soutien?ok=taken#request-{id}"),
            "{engine:?}"
        );
        let again = change(&cell_80, &id_text, "new", "taken", "").await;
        assert!(again.contains("erreur=unknown"), "{engine:?}: {again}");
        let stale = change(&cell_60, &id_text, "new", "taken", "").await;
        assert!(stale.contains("erreur=moved"), "{engine:?}: {stale}");
        let (_, page) = cell_60.page("/equipe/soutien").await;
        assert!(page.contains("cell-60"), "{engine:?}: who took it is shown");
        let to = change(&cell_60, &id_text, "taken", "done", "Courses livrées").await;
        assert!(to.contains("ok=done"), "{engine:?}: {to}");
        assert_eq!(
            sql::support_request_state(&server.db, id).await,
            ("done".to_owned(), "Courses livrées".to_owned())
        );
        assert_eq!(
            sql::count_audit(&server.db, case_id, "change_support_request").await,
            2,
            "{engine:?}"
        );
        let (_, page) = cell_60.page("/equipe/soutien?liste=closes").await;
        assert!(page.contains("Courses livrées"), "{engine:?}");
        // The tracer's page shows where it stands, and who at the cell
        // took it.
        let (_, page) = tracer.open_case(case_id).await;
        assert!(page.contains("Aide apportée"), "{engine:?}");
        assert!(page.contains("(cell-60)"), "{engine:?}");

        // The dashboard counts them: two requests today, one of each need
        // asked, one done, one new.
        let supervisor = server.staff("s-sup-c1", StaffRole::Supervisor).await;
        let (status, page) = supervisor.page("/equipe/supervision").await;
        assert_eq!(status, StatusCode::OK, "{engine:?}");
        let page = page.replace("&#x27;", "'").replace("&#39;", "'");
        let table = &page[page
            .find("id=\"support-figures\"")
            .expect("the support table")..];
        let row = |label: &str| -> String {
            let at = table.find(label).unwrap_or_else(|| panic!("{label}"));
            let cell = &table[at..];
            let start = cell.find("<td>").unwrap() + 4;
            cell[start..start + cell[start..].find("</td>").unwrap()].to_owned()
        };
        assert_eq!(row("Demandes d'aide").trim(), "2", "{engine:?}");
        assert_eq!(row("dont : Courses ou repas"), "1", "{engine:?}");
        assert_eq!(row("dont : Médicaments"), "1", "{engine:?}");
        assert_eq!(row("dont : Garde d'enfants"), "0", "{engine:?}");
        assert_eq!(row("État aujourd'hui : Aide apportée"), "1", "{engine:?}");
        assert_eq!(row("État aujourd'hui : Nouvelle"), "1", "{engine:?}");
        // Taken within seconds: 0 or 1 hour, rounded up.
        assert!(
            ["0 h", "1 h"].contains(&row("Délai médian").as_str()),
            "{engine:?}"
        );
    }
);

async fn change(browser: &Browser, id: &str, from: &str, to: &str, note: &str) -> String {
    browser
        .post_form(
            "/api/staff/support-change",
            &[("request", id), ("from", from), ("to", to), ("note", note)],
        )
        .await
}

engine_test!(
    a_tracer_records_the_case_answer_on_the_call,
    |engine| async move {
        let server = start(engine).await;
        let oise = cell(&server, "Cellule Oise", "60").await;
        let case_id = oise_case(&server, "SUP-T1").await;
        let tracer = server.staff("t-sup-t1", StaffRole::Tracer).await;
        let nothing = tracer
            .post_form(
                "/api/staff/support-ask",
                &[("case_id", &case_id.to_string())],
            )
            .await;
        assert!(
            nothing.contains("erreur=support_needs"),
            "{engine:?}: {nothing}"
        );
        let to = tracer
            .post_form(
                "/api/staff/support-ask",
                &[
                    ("case_id", &case_id.to_string()),
                    ("needs[]", "childcare"),
                    ("needs[]", "lodging"),
                    ("note", "Trois enfants"),
                    ("consent", "oui"),
                ],
            )
            .await;
        assert!(to.contains("ok=support_asked"), "{engine:?}: {to}");
        assert_eq!(
            sql::count_audit(&server.db, case_id, "ask_support").await,
            1
        );
        let cell_60 = server.staff_in("cell-t1", StaffRole::Support, oise).await;
        let (_, page) = cell_60.page("/equipe/soutien").await;
        assert!(
            page.contains("Garde d&#x27;enfants") || page.contains("Garde d'enfants"),
            "{engine:?}"
        );
        assert!(page.contains("Trois enfants"), "{engine:?}");
        // A support member cannot record one: it is a tracer's action.
        let refused = cell_60
            .post(
                "/api/staff/support-ask",
                &[("case_id", &case_id.to_string()), ("needs[]", "groceries")],
            )
            .await;
        assert!(
            refused.status() == StatusCode::FORBIDDEN || location(&refused) == "/equipe/soutien",
            "{engine:?}: {}",
            refused.status()
        );
        assert_eq!(sql::support_request_ids(&server.db, case_id).await.len(), 1);
    }
);

/// Posts a signed inbound SMS to the node `node` talks to; its JSON answer.
async fn sms_in(node: &Browser, id: &str, from: &str, text: &str) -> serde_json::Value {
    let body = json!({ "id": id, "from": from, "text": text }).to_string();
    let response = crate::common::inbound::post_signed(node, SECRET, &body, 0).await;
    assert_eq!(response.status(), StatusCode::OK, "{id}");
    response.json().await.unwrap()
}

/// A fake gateway on loopback: its URL and what it was handed.
async fn fake_gateway() -> (String, crate::common::gateway::Received) {
    crate::common::gateway::start(Default::default()).await
}

/// A second node: the same app, its own pool, state and port, on the same
/// database.
async fn second_node(server: &TestServer) -> Browser {
    use relais_server::http::{build_router, AppState};
    let db = relais_server::database::open_database(&server.config)
        .await
        .expect("a second pool on the database");
    let state = AppState::new(
        db.clone(),
        server.config.clone(),
        relais::RuleSets::embedded(),
    );
    state.territories.refresh(&db).await.unwrap();
    let app = build_router(state);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let limits = relais_server::listener::Limits::from_config(&server.config);
    tokio::spawn(async move {
        relais_server::listener::serve(listener, app, limits, std::future::pending())
            .await
            .unwrap();
    });
    server.browser().at_node(&format!("http://{addr}"))
}

/// An Oise case with symptoms since yesterday, tested today, met its
/// contact today, its list validated by a tracer now (the contact notified):
/// day 2 and day 5 of its isolation are still to come. The case and the
/// tracer's browser.
async fn validated_oise_case(server: &TestServer, reference: &str) -> (i64, Browser) {
    let case_id = oise_case(server, reference).await;
    let today = server.db.today_paris();
    sql::set_sample_and_onset(
        &server.db,
        case_id,
        &today.to_string(),
        &(today - Duration::days(1)).to_string(),
    )
    .await;
    sql::set_last_contact_of_case(&server.db, case_id, &today.to_string()).await;
    let tracer = server
        .staff(&format!("t-{reference}"), StaffRole::Tracer)
        .await;
    let version = sql::case_version(&server.db, case_id).await;
    let to = tracer.validate(case_id, version).await;
    assert!(to.contains("ok=validated&n=1"), "{reference}: {to}");
    (case_id, tracer)
}

/// The SMS worker, sending through the gateway at `url`.
fn worker(server: &TestServer, url: &str) -> SmsWorker {
    SmsWorker::new(
        server.db.clone(),
        Provider::http(url, "gateway-secret-0123456789"),
        &server.base,
        3,
    )
}

engine_test!(
    the_answers_2_and_3_to_how_are_you_act_once_each_on_two_nodes,
    |engine| async move {
        let server = start(engine).await;
        let oise = cell(&server, "Cellule Oise", "60").await;
        let (case_id, tracer) = validated_oise_case(&server, "SUP-R1").await;
        let today = server.db.today_paris();
        let days = sql::case_check_ins(&server.db, case_id).await;
        let j0 = today - Duration::days(1);
        // The last day as the rules in force give it (10 days for a case
        // not vaccinated, since January 2022).
        let last = relais::rules::assess(
            &relais::RuleSets::embedded(),
            &relais::CaseSituation::new(Some(j0), today),
        )
        .isolation
        .last_day;
        assert!(last >= j0 + Duration::days(5), "{last}");
        assert_eq!(
            days,
            vec![
                ((j0 + Duration::days(2)).to_string(), last.to_string()),
                ((j0 + Duration::days(5)).to_string(), last.to_string()),
            ],
            "{engine:?}: day 2 and day 5, each following the isolation's last day"
        );
        // A second validation schedules none again.
        let version = sql::case_version(&server.db, case_id).await;
        tracer.validate(case_id, version).await;
        assert_eq!(sql::case_check_ins(&server.db, case_id).await.len(), 2);

        // The texts go out (made due now).
        sql::make_pending_due(&server.db).await;
        let (url, received) = fake_gateway().await;
        let worker = worker(&server, &url);
        worker.pass().await.unwrap();
        let phone = sql::case_phone(&server.db, case_id).await;
        let asked: Vec<String> = received
            .lock()
            .unwrap()
            .iter()
            .filter(|(_, m)| m["to"] == phone.as_str())
            .map(|(_, m)| m["text"].as_str().unwrap().to_owned())
            .collect();
        assert_eq!(asked.len(), 2, "{engine:?}: {asked:?}");
        assert!(
            asked
                .iter()
                .all(|t| t.contains("Répondez 1") || t.contains("Repondez 1")),
            "{asked:?}"
        );

        let node_a = server.browser();
        let node_b = second_node(&server).await;
        // "2", received twice under two gateway ids, by each node: acted on
        // once.
        let first = sms_in(&node_a, "gw-2a", &phone, "2").await;
        assert_eq!(first["outcome"], "check_in", "{engine:?}");
        sms_in(&node_b, "gw-2b", &phone, " 2 ").await;
        assert_eq!(
            sql::count_messages_of_kind(&server.db, "worse_advice").await,
            1,
            "{engine:?}"
        );
        assert_eq!(sql::count_wellbeing_answers(&server.db, case_id).await, 1);
        // The tracer sees it on the case, which is back in the second-call
        // queue, due now.
        let (_, page) = tracer.open_case(case_id).await;
        assert!(page.contains("id=\"feels-worse\""), "{engine:?}");
        assert_eq!(sql::case_queue(&server.db, case_id).await, "second");
        let seen = tracer
            .post_form(
                "/api/staff/feels-worse-seen",
                &[("case_id", &case_id.to_string())],
            )
            .await;
        assert!(seen.contains("ok=worse_seen"), "{seen}");
        let (_, page) = tracer.open_case(case_id).await;
        assert!(!page.contains("id=\"feels-worse\""), "{engine:?}");

        // "3", twice, on both nodes: one request, shared with the cell.
        let third = sms_in(&node_b, "gw-3a", &phone, "3").await;
        assert_eq!(third["outcome"], "check_in");
        sms_in(&node_a, "gw-3b", &phone, "3.").await;
        assert_eq!(
            sql::support_request_ids(&server.db, case_id).await.len(),
            1,
            "{engine:?}"
        );
        assert_eq!(
            sql::count_messages_of_kind(&server.db, "help_opened").await,
            1
        );
        let cell_60 = server.staff_in("cell-r1", StaffRole::Support, oise).await;
        let (_, page) = cell_60.page("/equipe/soutien").await;
        assert!(page.contains("Demande par SMS"), "{engine:?}");
        // The same gateway id again changes nothing; free text stays a
        // reply for the tracers.
        let duplicate = sms_in(&node_a, "gw-3a", &phone, "3").await;
        assert_eq!(duplicate["status"], "duplicate");
        let reply = sms_in(&node_b, "gw-text", &phone, "merci beaucoup").await;
        assert_eq!(reply["outcome"], "reply");
        // The advice and the confirmation go out, each once, to the case.
        worker.pass().await.unwrap();
        let texts: Vec<String> = received
            .lock()
            .unwrap()
            .iter()
            .filter(|(_, m)| m["to"] == phone.as_str())
            .map(|(_, m)| m["text"].as_str().unwrap().to_owned())
            .collect();
        assert_eq!(
            texts.iter().filter(|t| t.contains("15")).count(),
            1,
            "{texts:?}"
        );
        assert_eq!(
            texts.iter().filter(|t| t.contains("cellule")).count(),
            1,
            "{texts:?}"
        );
        // Their parts are counted for the operator, by language and alphabet.
        let metrics = server.browser().get("/metrics").await.text().await.unwrap();
        assert!(
            metrics
                .lines()
                .any(|l| l.starts_with("relais_sms_segments_sent_total{")
                    && l.contains("lang=\"fr\"")
                    && l.contains("encoding=\"gsm7\"")),
            "{metrics}"
        );
    }
);

engine_test!(
    the_nurses_platform_reads_the_shared_nurse_visits_and_the_purge_removes_requests,
    |engine| async move {
        let server = start(engine).await;
        let case_id = oise_case(&server, "SUP-E1").await;
        let case = CaseId(case_id);
        ask(
            &server.db,
            Asker::Case(case),
            &request(
                &[SupportNeed::NurseVisit, SupportNeed::Groceries],
                "Digicode 1234",
                true,
            ),
            Some(server.db.today_paris() + Duration::days(5)),
        )
        .await
        .unwrap();
        ask(
            &server.db,
            Asker::Case(case),
            &request(&[SupportNeed::NurseVisit], "pas-d-accord", false),
            None,
        )
        .await
        .unwrap();
        ask(
            &server.db,
            Asker::Case(case),
            &request(&[SupportNeed::Groceries], "pas-une-visite", true),
            None,
        )
        .await
        .unwrap();
        let key = relais_store::api_keys::create_key(
            &server.db,
            "nurses",
            &[relais_store::api_keys::ApiRight::Support],
            relais_store::organisations::NATIONAL,
        )
        .await
        .unwrap();
        let export_only = relais_store::api_keys::create_key(
            &server.db,
            "tracing-tool",
            &[relais_store::api_keys::ApiRight::Export],
            relais_store::organisations::NATIONAL,
        )
        .await
        .unwrap();
        let api = server.browser();
        let get = |key: String, query: &'static str| {
            let api = api.clone();
            async move {
                api.request(Method::GET, &format!("/api/v1/support-requests?{query}"))
                    .header("authorization", format!("Bearer {key}"))
                    .send()
                    .await
                    .unwrap()
            }
        };
        let refused = get(export_only, "since=0").await;
        assert_eq!(refused.status(), StatusCode::FORBIDDEN, "{engine:?}");
        let page: serde_json::Value = get(key.clone(), "since=0").await.json().await.unwrap();
        let requests = page["requests"].as_array().unwrap();
        assert_eq!(requests.len(), 1, "{engine:?}: {page}");
        assert_eq!(requests[0]["needs"], json!(["nurse_visit", "groceries"]));
        assert_eq!(requests[0]["note"], "Digicode 1234");
        assert_eq!(requests[0]["address"], ADDRESS);
        assert_eq!(requests[0]["departement"], "60");
        assert_eq!(requests[0]["state"], "new");
        assert!(page["next"].is_null());
        let csv = get(key.clone(), "since=0&format=csv")
            .await
            .text()
            .await
            .unwrap();
        assert!(
            csv.starts_with("id,departement,name,phone,address,needs"),
            "{csv}"
        );
        assert!(
            csv.contains("Digicode 1234") && !csv.contains("pas-d-accord"),
            "{csv}"
        );
        // Paged: one a page, then the cursor.
        let first: serde_json::Value = get(key.clone(), "since=0&limit=1")
            .await
            .json()
            .await
            .unwrap();
        assert!(first["next"].is_null(), "a single request: one page");
        assert_eq!(
            sql::count_audit_action(&server.db, "api_export", "key=nurses support_requests").await,
            3,
            "{engine:?}: each answered call is audited, not the refused one"
        );

        // The purge deletes the requests with their case.
        relais_store::retention::purge(
            &server.db,
            server.db.today_paris() + Duration::days(1),
            |_| {},
        )
        .await
        .unwrap();
        assert!(
            sql::support_request_ids(&server.db, case_id)
                .await
                .is_empty(),
            "{engine:?}"
        );
        assert_eq!(
            sql::count_support_requests(&server.db).await,
            0,
            "{engine:?}"
        );
    }
);

engine_test!(
    an_at_risk_contact_in_quarantine_is_asked_on_day_3_and_its_3_opens_a_request,
    |engine| async move {
        // February 2021's rules in force: a quarantine of 7 days after the
        // last contact.
        let server = TestServer::start_with_rules(
            engine,
            &[("RELAIS_SMS_INBOUND_SECRET", SECRET)],
            crate::common::quarantine_rules_in_force(),
        )
        .await;
        let oise = cell(&server, "Cellule Oise", "60").await;
        let (case_id, _) = validated_oise_case(&server, "SUP-K1").await;
        let contact_id = sql::contact_ids(&server.db, case_id).await[0];
        // Told today (Paris): day 3 is in three days, inside a quarantine
        // that ends 7 days after the last contact.
        let told = server.db.today_paris();
        let check_ins: Vec<(String, i64, String, String)> =
            sql::scheduled_messages(&server.db, contact_id)
                .await
                .into_iter()
                .filter(|(kind, ..)| kind == "contact_check_in")
                .collect();
        assert_eq!(check_ins.len(), 1, "{engine:?}: {check_ins:?}");
        assert_eq!(check_ins[0].3, (told + Duration::days(3)).to_string());
        // Sent on day 3 (the notification too; the test-day question
        // comes days later), then answered "3" by the contact: a request of
        // the contact, shared with the case's cell, the case's own page not
        // showing it.
        sql::make_pending_due_of_kind(&server.db, "contact_check_in").await;
        let (url, _received) = fake_gateway().await;
        worker(&server, &url).pass().await.unwrap();
        let phone = sql::contact_phone(&server.db, contact_id).await;
        let answer = sms_in(&server.browser(), "gw-k3", &phone, "3").await;
        assert_eq!(answer["outcome"], "check_in", "{engine:?}");
        let asked = relais_store::support::of_asker(
            &server.db,
            Asker::Contact {
                case_id: CaseId(case_id),
                contact_id: relais::ids::ContactId(contact_id),
            },
        )
        .await
        .unwrap();
        assert_eq!(asked.len(), 1, "{engine:?}");
        assert!(
            relais_store::support::of_asker(&server.db, Asker::Case(CaseId(case_id)))
                .await
                .unwrap()
                .is_empty()
        );
        let cell_60 = server.staff_in("cell-k1", StaffRole::Support, oise).await;
        let (_, page) = cell_60.page("/equipe/soutien").await;
        assert!(
            page.contains(CONTACT_NAME),
            "{engine:?}: the contact's own name, for the call"
        );
    }
);
