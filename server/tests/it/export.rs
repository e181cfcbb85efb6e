//! The export of validated contact lists to the national tracing tool
//! (`/api/v1/cases/{reference}/contacts`, `/api/v1/contacts?since=`), in
//! JSON and CSV, behind an API key with the export right — on SQLite and
//! PostgreSQL. The lists are declared through the case's pages and
//! validated through the store, as a tracer's validation does.

use crate::common::{engine_test, sql, TestServer};
use relais::roles::StaffRole;
use relais_store::api_keys::{create_key, ApiRight};
use relais_store::desk::notify::{validate_list, Decision};
use serde_json::{json, Value};

/// A case whose list (one contact per phone) was sent and, if `validate`,
/// validated with the first contact at risk; its id.
pub(crate) async fn case_with_contacts(
    server: &TestServer,
    reference: &str,
    phones: &[&str],
    validate: bool,
) -> i64 {
    let (case_id, _) = server.case_with_list(reference, phones).await;
    sql::set_lab_reference(&server.db, case_id, &format!("LAB-{reference}")).await;
    if validate {
        let tracer = relais_store::staff::create_staff_user(
            &server.db,
            &format!("t-{}", reference.to_lowercase()),
            "Tracer",
            StaffRole::Tracer,
            relais_store::organisations::NATIONAL,
            "not-a-real-hash",
        )
        .await
        .unwrap();
        let decisions: Vec<Decision> = sql::contact_ids(&server.db, case_id)
            .await
            .into_iter()
            .enumerate()
            .map(|(i, contact_id)| Decision {
                contact_id: contact_id.into(),
                at_risk: i == 0,
                // Nothing scheduled: the export does not look at it.
                schedule: Default::default(),
            })
            .collect();
        let version = sql::case_version(&server.db, case_id).await;
        let done = validate_list(
            &server.db,
            tracer,
            relais_store::scope::case_in_scope(
                &server.db,
                relais_store::scope::Scope::whole_country(),
                relais::ids::CaseId(case_id),
            )
            .await
            .unwrap()
            .expect("a case"),
            version,
            &decisions,
            None,
        )
        .await
        .unwrap()
        .expect("validated");
        assert_eq!(done.contacts as usize, phones.len());
    }
    case_id
}

pub(crate) async fn get(
    server: &TestServer,
    key: &str,
    path: &str,
    accept: Option<&str>,
) -> reqwest::Response {
    let mut request = server
        .browser()
        .request(reqwest::Method::GET, path)
        .bearer_auth(key);
    if let Some(accept) = accept {
        request = request.header("accept", accept);
    }
    request.send().await.expect("export request")
}

/// What the database holds for a contact, as the export should give it.
async fn expected(server: &TestServer, contact_id: i64) -> Value {
    let (
        first,
        last,
        phone,
        relationship,
        last_contact,
        classification,
        notified_at,
        validated_at,
        reference,
        lab,
    ) = sql::exported_contact(&server.db, contact_id).await;
    let instant = |t: i64| {
        time::OffsetDateTime::from_unix_timestamp(t)
            .unwrap()
            .format(&time::format_description::well_known::Rfc3339)
            .unwrap()
    };
    json!({
        "case_reference": reference,
        "lab_reference": lab,
        "contact_id": contact_id,
        "first_name": first,
        "last_name": last,
        "phone": phone,
        "relationship": relationship,
        "last_contact": last_contact,
        "household": false,
        "exposures": ["face_to_face"],
        "protection": [],
        "classification": classification,
        "validated_at": instant(validated_at),
        "notified_at": notified_at.map(instant),
    })
}

fn csv_rows(body: &str) -> (Vec<String>, Vec<Vec<String>>) {
    let mut reader = csv::Reader::from_reader(body.as_bytes());
    let header = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_owned)
        .collect();
    let rows = reader
        .records()
        .map(|r| r.unwrap().iter().map(str::to_owned).collect())
        .collect();
    (header, rows)
}

engine_test!(
    one_case_s_validated_list_in_json_and_csv,
    |engine| async move {
        let server = TestServer::start(engine).await;
        let key = create_key(
            &server.db,
            "national-tool",
            &[ApiRight::Export],
            relais_store::organisations::NATIONAL,
        )
        .await
        .unwrap();
        let case_id = case_with_contacts(
            &server,
            "EXP-0001",
            &["06 39 98 01 10", "06 39 98 01 11"],
            true,
        )
        .await;
        case_with_contacts(&server, "EXP-0002", &["06 39 98 01 12"], false).await;
        let ids = sql::contact_ids(&server.db, case_id).await;

        let response = get(&server, &key, "/api/v1/cases/EXP-0001/contacts", None).await;
        assert_eq!(response.status().as_u16(), 200, "{engine:?}");
        let answer: Value = response.json().await.unwrap();
        let want = vec![
            expected(&server, ids[0]).await,
            expected(&server, ids[1]).await,
        ];
        assert_eq!(answer["case_reference"], json!("EXP-0001"));
        assert_eq!(answer["contacts"], json!(want), "{engine:?}");
        // What the store wrote, beyond the database's word for it.
        let first = &answer["contacts"][0];
        assert_eq!(
            (
                first["phone"].as_str(),
                first["first_name"].as_str(),
                first["lab_reference"].as_str()
            ),
            (Some("+33639980110"), Some("Berthe"), Some("LAB-EXP-0001"))
        );
        assert_eq!(first["last_contact"], json!("2020-11-15"));
        assert!(first["notified_at"].is_string(), "at risk: notified");
        assert!(
            answer["contacts"][1]["notified_at"].is_null(),
            "not at risk: not notified"
        );

        for (path, accept) in [
            ("/api/v1/cases/EXP-0001/contacts?format=csv", None),
            ("/api/v1/cases/EXP-0001/contacts", Some("text/csv")),
        ] {
            let response = get(&server, &key, path, accept).await;
            assert_eq!(response.status().as_u16(), 200);
            let content_type = response.headers()["content-type"]
                .to_str()
                .unwrap()
                .to_owned();
            assert!(content_type.starts_with("text/csv"), "{content_type}");
            let (header, rows) = csv_rows(&response.text().await.unwrap());
            assert_eq!(header, relais_server::api::export::CSV_COLUMNS);
            assert_eq!(rows.len(), 2, "{engine:?}");
            assert_eq!(
                rows[0][0..7],
                [
                    "EXP-0001",
                    "LAB-EXP-0001",
                    &ids[0].to_string(),
                    "Berthe",
                    "Quillard",
                    "+33639980110",
                    "work"
                ]
            );
            assert_eq!(rows[1][5], "+33639980111");
            assert_eq!(rows[0][9], "face_to_face");
            assert_eq!(rows[0][12], want[0]["validated_at"].as_str().unwrap());
            assert_eq!(rows[1][13], "", "not notified");
        }

        // A case whose list is not validated exports nothing; an unknown one is a 404.
        let response = get(&server, &key, "/api/v1/cases/EXP-0002/contacts", None).await;
        let answer: Value = response.json().await.unwrap();
        assert_eq!(answer["contacts"], json!([]), "{engine:?}");
        let response = get(&server, &key, "/api/v1/cases/EXP-9999/contacts", None).await;
        assert_eq!(response.status().as_u16(), 404);
        let answer: Value = response.json().await.unwrap();
        assert_eq!(answer["error"], json!("case_not_found"));
        let response = get(
            &server,
            &key,
            "/api/v1/cases/EXP-0001/contacts?format=xml",
            None,
        )
        .await;
        assert_eq!(response.status().as_u16(), 400);
    }
);

engine_test!(
    contacts_validated_since_an_instant_in_pages,
    |engine| async move {
        let server = TestServer::start(engine).await;
        let key = create_key(
            &server.db,
            "national-tool",
            &[ApiRight::Export],
            relais_store::organisations::NATIONAL,
        )
        .await
        .unwrap();
        let early = case_with_contacts(
            &server,
            "EXP-0011",
            &["06 39 98 01 20", "06 39 98 01 21"],
            true,
        )
        .await;
        let late = case_with_contacts(&server, "EXP-0012", &["06 39 98 01 22"], true).await;
        case_with_contacts(&server, "EXP-0013", &["06 39 98 01 23"], false).await;
        sql::set_validated_at(&server.db, early, 1_700_000_000).await;
        sql::set_validated_at(&server.db, late, 1_700_000_100).await;
        let early_ids = sql::contact_ids(&server.db, early).await;
        let late_ids = sql::contact_ids(&server.db, late).await;
        let all: Vec<i64> = early_ids.iter().chain(&late_ids).copied().collect();

        let ids_of = |answer: &Value| -> Vec<i64> {
            answer["contacts"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| c["contact_id"].as_i64().unwrap())
                .collect()
        };
        // RFC 3339 and Unix seconds; the bound is inclusive.
        for since in [
            "2023-11-14T22:13:20Z",
            "1700000000",
            "2023-11-14T23:13:20%2B01:00",
        ] {
            let response = get(
                &server,
                &key,
                &format!("/api/v1/contacts?since={since}"),
                None,
            )
            .await;
            assert_eq!(response.status().as_u16(), 200, "{engine:?} {since}");
            let answer: Value = response.json().await.unwrap();
            assert_eq!(ids_of(&answer), all, "{engine:?} since {since}");
            assert!(answer["next"].is_null());
        }
        let answer: Value = get(&server, &key, "/api/v1/contacts?since=1700000001", None)
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(ids_of(&answer), late_ids, "{engine:?}");
        assert_eq!(answer["contacts"][0], expected(&server, late_ids[0]).await);
        assert_eq!(
            answer["contacts"][0]["validated_at"],
            json!("2023-11-14T22:15:00Z")
        );

        // One contact a page, following `next` to the end.
        let mut seen = Vec::new();
        let mut path = "/api/v1/contacts?since=1700000000&limit=1".to_owned();
        for _ in 0..10 {
            let answer: Value = get(&server, &key, &path, None).await.json().await.unwrap();
            seen.extend(ids_of(&answer));
            match answer["next"].as_str() {
                Some(next) => path = format!("/api/v1/contacts?cursor={next}&limit=1"),
                None => break,
            }
        }
        assert_eq!(seen, all, "{engine:?}: every contact once, in order");

        // CSV, with the next page's cursor in a header.
        let response = get(
            &server,
            &key,
            "/api/v1/contacts?since=1700000000&limit=2&format=csv",
            None,
        )
        .await;
        assert_eq!(response.status().as_u16(), 200);
        let next = response.headers()["x-next-cursor"]
            .to_str()
            .unwrap()
            .to_owned();
        let (_, rows) = csv_rows(&response.text().await.unwrap());
        let csv_ids: Vec<String> = rows.iter().map(|r| r[2].clone()).collect();
        assert_eq!(
            csv_ids,
            [early_ids[0].to_string(), early_ids[1].to_string()]
        );
        assert_eq!(rows[0][0], "EXP-0011");
        let response = get(
            &server,
            &key,
            &format!("/api/v1/contacts?cursor={next}&format=csv"),
            None,
        )
        .await;
        let (_, rows) = csv_rows(&response.text().await.unwrap());
        assert_eq!(rows.len(), 1);
        assert_eq!(
            (rows[0][0].as_str(), rows[0][2].clone()),
            ("EXP-0012", late_ids[0].to_string())
        );

        for bad in [
            "/api/v1/contacts",
            "/api/v1/contacts?since=yesterday",
            "/api/v1/contacts?since=0&limit=0",
        ] {
            let response = get(&server, &key, bad, None).await;
            assert_eq!(response.status().as_u16(), 400, "{bad}");
            let answer: Value = response.json().await.unwrap();
            assert!(
                answer["error"].is_string() && answer["message"].is_string(),
                "{answer}"
            );
        }
    }
);

engine_test!(
    a_name_that_starts_like_a_formula_is_text_in_the_csv,
    |engine| async move {
        let server = TestServer::start(engine).await;
        let key = create_key(
            &server.db,
            "national-tool",
            &[ApiRight::Export],
            relais_store::organisations::NATIONAL,
        )
        .await
        .unwrap();
        let case_id = case_with_contacts(&server, "EXP-0003", &["06 39 98 01 13"], true).await;
        let contact = sql::contact_ids(&server.db, case_id).await[0];
        let formula = "=HYPERLINK(\"http://example.org\",\"x\")";
        sql::set_contact_names(&server.db, contact, formula, "@SUM(A1)").await;
        sql::set_lab_reference(&server.db, case_id, "-2+3").await;
        let response = get(
            &server,
            &key,
            "/api/v1/cases/EXP-0003/contacts?format=csv",
            None,
        )
        .await;
        let (_, rows) = csv_rows(&response.text().await.unwrap());
        assert_eq!(rows[0][1], "'-2+3", "{engine:?}");
        assert_eq!(rows[0][3], format!("'{formula}"));
        assert_eq!(rows[0][4], "'@SUM(A1)");
        // The JSON keeps the values as they are.
        let response = get(&server, &key, "/api/v1/cases/EXP-0003/contacts", None).await;
        let answer: Value = response.json().await.unwrap();
        assert_eq!(answer["contacts"][0]["first_name"], json!(formula));
        // Each export is in the audit trail: the key, what was asked, how
        // many went out; an unknown case's reference is not written.
        assert_eq!(
            sql::count_audit_action(
                &server.db,
                "api_export",
                "key=national-tool case=EXP-0003 count=1"
            )
            .await,
            2,
            "{engine:?}"
        );
        get(&server, &key, "/api/v1/contacts?since=0", None).await;
        assert_eq!(
            sql::count_audit_action(
                &server.db,
                "api_export",
                "key=national-tool after=0.0 count=1"
            )
            .await,
            1
        );
        get(&server, &key, "/api/v1/cases/=CMD()/contacts", None).await;
        assert_eq!(
            sql::count_audit_action(&server.db, "api_export", "key=national-tool case==").await,
            0
        );
    }
);
