//! The case intake of the integration API (`POST /api/v1/cases`) and of
//! `relais import`, with API keys — on SQLite and PostgreSQL.

use crate::common::command::{relais, text};
use crate::common::{engine_test, sql, TestServer};
use relais_store::api_keys::{create_key, revoke_key, ApiRight};
use serde_json::{json, Value};
use time::Duration;

fn days_ago(days: i64) -> String {
    (crate::common::today() - Duration::days(days)).to_string()
}

fn item(lab_reference: &str, phone: &str) -> Value {
    json!({
        "lab_reference": lab_reference,
        "first_name": " Anaïs ",
        "last_name": "Quelquechose",
        "birth_date": "1975-06-30",
        "phone": phone,
        "sample_date": days_ago(1),
        "test_type": "antigen",
        "symptom_onset": days_ago(3),
        "lang": "en",
    })
}

async fn key(server: &TestServer, name: &str, rights: &[ApiRight]) -> String {
    create_key(
        &server.db,
        name,
        rights,
        relais_store::organisations::NATIONAL,
    )
    .await
    .expect("API key")
}

async fn post_cases(server: &TestServer, key: Option<&str>, body: &Value) -> (u16, Value) {
    let mut request = server
        .browser()
        .request(reqwest::Method::POST, "/api/v1/cases")
        .json(body);
    if let Some(key) = key {
        request = request.bearer_auth(key);
    }
    let response = request.send().await.expect("intake request");
    let status = response.status().as_u16();
    let content_type = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    assert!(
        content_type.starts_with("application/json"),
        "{status} {content_type}"
    );
    (status, response.json().await.expect("JSON answer"))
}

engine_test!(
    a_batch_sent_twice_creates_each_case_and_invitation_once,
    |engine| async move {
        let server = TestServer::start(engine).await;
        let key = key(&server, "lab-feed", &[ApiRight::Intake]).await;
        let batch = json!({"cases": [
            item("LAB-A-1", "06 39 98 02 01"),
            item("LAB-A-2", "+33 7 00 00 02 02"),
            item("LAB-A-1", "06 39 98 02 01"),
        ]});
        let (status, first) = post_cases(&server, Some(&key), &batch).await;
        assert_eq!(status, 200, "{engine:?}: {first}");
        let results = first["results"].as_array().expect("results");
        let statuses: Vec<&str> = results
            .iter()
            .map(|r| r["status"].as_str().unwrap())
            .collect();
        assert_eq!(
            statuses,
            ["created", "created", "already_present"],
            "{engine:?}"
        );
        assert_eq!(
            (first["created"].as_u64(), first["already_present"].as_u64()),
            (Some(2), Some(1))
        );
        let reference_1 = results[0]["case_reference"].as_str().unwrap().to_owned();
        let reference_2 = results[1]["case_reference"].as_str().unwrap().to_owned();
        assert!(
            reference_1.starts_with("P0-") && reference_1.len() == 14,
            "{reference_1}"
        );
        assert_ne!(reference_1, reference_2);
        assert_eq!(
            results[2]["case_reference"],
            json!(reference_1),
            "a repeat in the batch"
        );
        assert_eq!(results[1]["index"], json!(1));
        assert_eq!(results[1]["lab_reference"], json!("LAB-A-2"));

        let (status, second) = post_cases(&server, Some(&key), &batch).await;
        assert_eq!(status, 200, "{engine:?}: {second}");
        let again: Vec<(&str, &str)> = second["results"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                (
                    r["status"].as_str().unwrap(),
                    r["case_reference"].as_str().unwrap(),
                )
            })
            .collect();
        assert_eq!(
            again,
            [
                ("already_present", reference_1.as_str()),
                ("already_present", reference_2.as_str()),
                ("already_present", reference_1.as_str())
            ],
            "{engine:?}"
        );

        for (lab, reference, phone) in [
            ("LAB-A-1", &reference_1, "+33639980201"),
            ("LAB-A-2", &reference_2, "+33700000202"),
        ] {
            assert_eq!(
                sql::count_cases_with_lab_reference(&server.db, lab).await,
                1
            );
            let (id, stored_reference, first_name, stored_phone, lang, test_type, status) =
                sql::case_by_lab_reference(&server.db, lab).await;
            assert_eq!(
                (
                    stored_reference.as_str(),
                    first_name.as_str(),
                    stored_phone.as_str()
                ),
                (reference.as_str(), "Anaïs", phone)
            );
            assert_eq!(
                (lang.as_str(), test_type.as_str(), status.as_str()),
                ("en", "antigen", "new")
            );
            let invitations = sql::invitations_of_case(&server.db, id).await;
            assert_eq!(
                invitations,
                [(
                    format!("case_invitation:{id}:1"),
                    phone.to_owned(),
                    "en".into(),
                    "pending".into()
                )],
                "{engine:?}"
            );
        }
        assert_eq!(
            sql::count_messages_of_kind(&server.db, "case_invitation").await,
            2
        );
    }
);

engine_test!(
    a_sample_taken_today_in_paris_is_not_in_the_future_before_utc_midnight,
    |engine| async move {
        let server = TestServer::start(engine).await;
        let key = key(&server, "lab-feed", &[ApiRight::Intake]).await;
        // 23:30 UTC, the next one: already the next day in Paris (UTC+1 or +2).
        let clock = server.db.clock();
        let now = clock.now_utc();
        let late = now.replace_time(time::macros::time!(23:30));
        let late = if late > now {
            late
        } else {
            late + Duration::days(1)
        };
        clock.set(late.unix_timestamp());
        let paris_today = server.db.today_paris();
        assert_eq!(paris_today, late.date() + Duration::days(1));
        let mut today = item("LAB-P-1", "06 12 34 56 78");
        today["sample_date"] = json!(paris_today.to_string());
        today["symptom_onset"] = json!(paris_today.to_string());
        let mut tomorrow = item("LAB-P-2", "06 12 34 56 79");
        tomorrow["sample_date"] = json!((paris_today + Duration::days(1)).to_string());
        let (status, answer) =
            post_cases(&server, Some(&key), &json!({ "cases": [today, tomorrow] })).await;
        assert_eq!(status, 200, "{engine:?} {answer}");
        let results = answer["results"].as_array().expect("results");
        assert_eq!(
            results[0]["status"],
            json!("created"),
            "{engine:?} {answer}"
        );
        assert_eq!(
            results[1]["status"],
            json!("rejected"),
            "{engine:?} {answer}"
        );
        assert_eq!(
            results[1]["errors"][0]["reason"],
            json!("date_in_future"),
            "{engine:?}"
        );
    }
);

engine_test!(
    bad_items_are_listed_and_never_block_the_good_ones,
    |engine| async move {
        let server = TestServer::start(engine).await;
        let key = key(&server, "lab-feed", &[ApiRight::Intake]).await;
        let mut landline = item("LAB-B-2", "01 23 45 67 89");
        landline["sample_date"] = json!((crate::common::today() + Duration::days(2)).to_string());
        landline["symptom_onset"] = Value::Null;
        let mut no_name = item("LAB-B-3", "06 39 98 03 03");
        no_name.as_object_mut().unwrap().remove("last_name");
        no_name["birth_date"] = json!("1890-01-01");
        let batch = json!({"cases": [
            item("LAB-B-1", "06 39 98 03 01"),
            landline,
            no_name,
            "not an object",
            {"lab_reference": "LAB-B-5", "phone": 612345678},
            item("LAB-B-6", "06 39 98 03 06"),
        ]});
        let (status, answer) = post_cases(&server, Some(&key), &batch).await;
        assert_eq!(status, 200, "{engine:?}: {answer}");
        let results = answer["results"].as_array().unwrap();
        let summary: Vec<(&str, Vec<(String, String)>)> = results
            .iter()
            .map(|r| {
                let errors = r["errors"]
                    .as_array()
                    .map(|errors| {
                        errors
                            .iter()
                            .map(|e| {
                                assert!(!e["message"].as_str().unwrap().is_empty());
                                (
                                    e["field"].as_str().unwrap().to_owned(),
                                    e["reason"].as_str().unwrap().to_owned(),
                                )
                            })
                            .collect()
                    })
                    .unwrap_or_default();
                (r["status"].as_str().unwrap(), errors)
            })
            .collect();
        let e = |f: &str, r: &str| (f.to_owned(), r.to_owned());
        assert_eq!(
            summary,
            [
                ("created", vec![]),
                (
                    "rejected",
                    vec![
                        e("phone", "phone_not_mobile"),
                        e("sample_date", "date_in_future")
                    ]
                ),
                (
                    "rejected",
                    vec![e("last_name", "missing"), e("birth_date", "too_old")]
                ),
                ("rejected", vec![e("item", "not_an_object")]),
                ("rejected", vec![e("phone", "not_a_string")]),
                ("created", vec![]),
            ],
            "{engine:?}"
        );
        assert_eq!(results[1]["lab_reference"], json!("LAB-B-2"));
        assert!(results[1].get("case_reference").is_none());
        assert_eq!(answer["rejected"], json!(4));
        let n = sql::count_cases(&server.db).await;
        assert_eq!(n, 2, "{engine:?}");
        let n = sql::count_messages(&server.db).await;
        assert_eq!(n, 2, "{engine:?}");
    }
);

engine_test!(
    a_batch_over_the_limit_is_refused_whole_with_413,
    |engine| async move {
        let server = TestServer::start(engine).await;
        let key = key(&server, "lab-feed", &[ApiRight::Intake]).await;
        let mut items = vec![item("LAB-C-1", "06 39 98 04 01")];
        items.extend(std::iter::repeat_n(json!({}), relais::intake::MAX_BATCH));
        let (status, answer) = post_cases(&server, Some(&key), &json!({ "cases": items })).await;
        assert_eq!(status, 413, "{engine:?}: {answer}");
        assert_eq!(answer["error"], json!("batch_too_large"));
        assert!(
            answer["message"].as_str().unwrap().contains("10000"),
            "{answer}"
        );
        let n = sql::count_cases(&server.db).await;
        assert_eq!(n, 0, "{engine:?}");

        // Exactly the limit is accepted (every empty item rejected).
        items.pop();
        let (status, answer) = post_cases(&server, Some(&key), &json!({ "cases": items })).await;
        assert_eq!(status, 200, "{engine:?}");
        assert_eq!(
            (answer["created"].as_u64(), answer["rejected"].as_u64()),
            (Some(1), Some(9_999))
        );

        let (status, answer) = post_cases(&server, Some(&key), &json!({"items": []})).await;
        assert_eq!(
            (status, answer["error"].as_str()),
            (400, Some("invalid_json"))
        );
    }
);

engine_test!(
    keys_missing_unknown_revoked_or_without_the_right_are_refused,
    |engine| async move {
        let server = TestServer::start(engine).await;
        let intake = key(&server, "lab-feed", &[ApiRight::Intake]).await;
        let export = key(&server, "national-tool", &[ApiRight::Export]).await;
        let revoked = key(&server, "old-feed", &[ApiRight::Intake, ApiRight::Export]).await;
        assert!(revoke_key(&server.db, "old-feed").await.unwrap());
        let batch = json!({"cases": [item("LAB-D-1", "06 39 98 05 01")]});

        let wrong = format!("{}x", &intake[..intake.len() - 1]);
        for (key, status, code) in [
            (None, 401, "missing_key"),
            (Some(wrong.as_str()), 401, "invalid_key"),
            (Some(revoked.as_str()), 401, "invalid_key"),
            (Some(export.as_str()), 403, "forbidden"),
        ] {
            let (got, answer) = post_cases(&server, key, &batch).await;
            assert_eq!(
                (got, answer["error"].as_str()),
                (status, Some(code)),
                "{engine:?} {answer}"
            );
            assert!(!answer["message"].as_str().unwrap().is_empty());
        }
        // The export routes want the export right.
        let feed = server.browser();
        let response = feed
            .request(reqwest::Method::GET, "/api/v1/contacts?since=0")
            .bearer_auth(&intake)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status().as_u16(), 403);
        let answer: Value = response.json().await.unwrap();
        assert_eq!(answer["error"], json!("forbidden"));
        let response = feed.get("/api/v1/cases/P0-XXXXX-XXXXX/contacts").await;
        assert_eq!(response.status().as_u16(), 401);
        assert_eq!(response.headers()["www-authenticate"], "Bearer");
        // Unknown endpoints and methods answer JSON too.
        for (method, path, status) in [
            (reqwest::Method::GET, "/api/v1/nothing-here", 404),
            (reqwest::Method::GET, "/api/v1/cases", 405),
        ] {
            let response = feed.request(method, path).send().await.unwrap();
            assert_eq!(response.status().as_u16(), status, "{path}");
            let answer: Value = response.json().await.expect("JSON");
            assert!(answer["error"].is_string(), "{answer}");
        }

        let n = sql::count_cases(&server.db).await;
        assert_eq!(n, 0, "{engine:?}: nothing created by a refused key");
        let (status, _) = post_cases(&server, Some(&intake), &batch).await;
        assert_eq!(status, 200);
        let used = sql::api_key_last_used(&server.db, "lab-feed").await;
        assert!(used.is_some(), "{engine:?}: last use noted");
    }
);

engine_test!(
    relais_import_creates_the_good_rows_and_lists_the_bad_ones,
    |engine| async move {
        let server = TestServer::start(engine).await;
        let url = server.config.database_url.clone();
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("results.csv");
        let (sample, onset) = (days_ago(2), days_ago(4));
        std::fs::write(
        &file,
        format!(
            "lab_reference,first_name,last_name,birth_date,phone,sample_date,test_type,symptom_onset,lang,ward\n\
             IMP-1,Jeanne,\"Durand, née Martin\",1950-01-02,06 39 98 06 01,{sample},pcr,{onset},,B\n\
             IMP-2,Paul,Petit,1950-01-02,01 23 45 67 89,{sample},pcr,,,B\n\
             IMP-3,Luc,Robert,1950-13-02,06 39 98 06 03,{sample},elisa,,fr,B\n\
             IMP-4,Zoé,Bernard,2001-05-06,+33 6 39 98 06 04,{sample},antigen,,en,C\n"
        ),
    )
    .unwrap();
        let out = relais(&["import", file.to_str().unwrap()], &url);
        let stdout = text(&out.stdout);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{engine:?}: {stdout} {}",
            text(&out.stderr)
        );
        assert!(stdout.contains("created: 2\n"), "{stdout}");
        assert!(stdout.contains("already present: 0\n"), "{stdout}");
        assert!(stdout.contains("rejected: 2\n"), "{stdout}");
        assert!(stdout.contains("ignored columns: ward"), "{stdout}");
        assert!(stdout.contains("row 3, field phone: "), "{stdout}");
        assert!(stdout.contains("(phone_not_mobile)"), "{stdout}");
        assert!(stdout.contains("row 4, field birth_date: "), "{stdout}");
        assert!(stdout.contains("row 4, field test_type: "), "{stdout}");
        assert!(
            !stdout.contains("row 2,") && !stdout.contains("row 5,"),
            "{stdout}"
        );
        assert!(
            !stdout.contains("01 23 45"),
            "no personal data echoed: {stdout}"
        );
        let (last, phone, lang) = sql::case_name_phone_lang(&server.db, "IMP-1").await;
        assert_eq!(
            (last.as_str(), phone.as_str(), lang.as_str()),
            ("Durand, née Martin", "+33639980601", "fr")
        );
        assert_eq!(
            sql::count_messages_of_kind(&server.db, "case_invitation").await,
            2
        );

        // Again: nothing twice.
        let out = relais(&["import", file.to_str().unwrap()], &url);
        let stdout = text(&out.stdout);
        assert_eq!(out.status.code(), Some(0), "{stdout}");
        assert!(
            stdout.contains("created: 0\nalready present: 2\nrejected: 2\n"),
            "{stdout}"
        );
        assert_eq!(
            sql::count_cases_with_lab_reference_like(&server.db, "IMP-%").await,
            2
        );

        // A header without a required column, or no file: exit code 2, nothing read.
        let partial = dir.path().join("partial.csv");
        std::fs::write(&partial, "lab_reference,first_name,last_name,birth_date,sample_date\nX-1,A,B,1950-01-01,2020-01-01\n").unwrap();
        let out = relais(&["import", partial.to_str().unwrap()], &url);
        let stderr = text(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{stderr}");
        assert!(
            stderr.contains("missing column(s) phone, test_type"),
            "{stderr}"
        );
        let out = relais(
            &["import", dir.path().join("absent.csv").to_str().unwrap()],
            &url,
        );
        let stderr = text(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{stderr}");
        assert!(stderr.contains("cannot read"), "{stderr}");
        assert_eq!(
            sql::count_cases_with_lab_reference(&server.db, "X-1").await,
            0
        );
    }
);

engine_test!(relais_apikey_add_list_and_revoke, |engine| async move {
    let server = TestServer::start(engine).await;
    let url = server.config.database_url.clone();
    let out = relais(&["apikey", "add", "lab-feed", "--rights", "intake"], &url);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let printed = text(&out.stdout);
    let key = printed.lines().last().unwrap().trim().to_owned();
    assert!(key.starts_with("rk_") && key.len() == 46, "{printed}");
    let hash = sql::api_key_hash(&server.db, "lab-feed").await;
    assert_eq!(
        hash,
        relais_store::security::token::hash_token(&key),
        "only the hash is kept"
    );

    let batch = json!({"cases": [item("LAB-E-1", "06 39 98 07 01")]});
    assert_eq!(post_cases(&server, Some(&key), &batch).await.0, 200);

    let out = relais(&["apikey", "add", "lab-feed", "--rights", "export"], &url);
    assert_eq!(out.status.code(), Some(2), "a second key of the same name");
    let out = relais(&["apikey", "add", "other", "--rights", "admin"], &url);
    assert_eq!(out.status.code(), Some(2), "an unknown right");

    let out = relais(&["apikey", "list"], &url);
    let listing = text(&out.stdout);
    assert!(
        listing.contains("lab-feed") && listing.contains("intake"),
        "{listing}"
    );
    assert!(!listing.contains(&key), "{listing}");

    let out = relais(&["apikey", "revoke", "lab-feed"], &url);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(
        post_cases(&server, Some(&key), &batch).await.0,
        401,
        "{engine:?}"
    );
    let out = relais(&["apikey", "revoke", "lab-feed"], &url);
    assert_eq!(out.status.code(), Some(2));
});
