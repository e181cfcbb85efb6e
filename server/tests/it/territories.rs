//! Territories: each case's département from the intake API and `relais
//! import` (given, or found from the postcode; refused when not in the
//! list), shown on the tracer's case page, in the demo; and the operator's
//! `relais territories list | load` — on SQLite and PostgreSQL.

use crate::common::command::{relais, text};
use crate::common::{engine_test, sql, TestServer};
use relais::roles::StaffRole;
use relais_store::api_keys::{create_key, ApiRight};
use serde_json::{json, Value};
use std::path::Path;
use time::Duration;

fn days_ago(days: i64) -> String {
    (crate::common::today() - Duration::days(days)).to_string()
}

/// An item of the lab feed with these extra fields.
fn item(lab_reference: &str, phone_suffix: u32, extra: Value) -> Value {
    let mut item = json!({
        "lab_reference": lab_reference,
        "first_name": "Anaïs",
        "last_name": "Quelquechose",
        "birth_date": "1975-06-30",
        "phone": format!("06 39 98 10 {phone_suffix:02}"),
        "sample_date": days_ago(1),
        "test_type": "pcr",
    });
    for (name, value) in extra.as_object().expect("extra fields") {
        item[name] = value.clone();
    }
    item
}

async fn post_cases(server: &TestServer, body: &Value) -> (u16, Value) {
    let key = create_key(
        &server.db,
        &format!("feed-{}", rand_suffix()),
        &[ApiRight::Intake],
        relais_store::organisations::NATIONAL,
    )
    .await
    .expect("API key");
    let response = server
        .browser()
        .request(reqwest::Method::POST, "/api/v1/cases")
        .bearer_auth(key)
        .json(body)
        .send()
        .await
        .expect("intake request");
    let status = response.status().as_u16();
    (status, response.json().await.expect("JSON answer"))
}

/// A fresh key name per request.
fn rand_suffix() -> u64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static N: AtomicU64 = AtomicU64::new(0);
    N.fetch_add(1, Ordering::Relaxed)
}

/// Each item's status and its errors as (field, reason).
fn outcomes(answer: &Value) -> Vec<(String, Vec<(String, String)>)> {
    answer["results"]
        .as_array()
        .expect("results")
        .iter()
        .map(|r| {
            let errors = r["errors"]
                .as_array()
                .map(|errors| {
                    errors
                        .iter()
                        .map(|e| {
                            assert!(!e["message"].as_str().unwrap().is_empty(), "{e}");
                            (
                                e["field"].as_str().unwrap().to_owned(),
                                e["reason"].as_str().unwrap().to_owned(),
                            )
                        })
                        .collect()
                })
                .unwrap_or_default();
            (r["status"].as_str().unwrap().to_owned(), errors)
        })
        .collect()
}

fn created() -> (String, Vec<(String, String)>) {
    ("created".to_owned(), Vec::new())
}

fn rejected(field: &str, reason: &str) -> (String, Vec<(String, String)>) {
    (
        "rejected".to_owned(),
        vec![(field.to_owned(), reason.to_owned())],
    )
}

engine_test!(
    intake_files_each_case_under_its_departement,
    |engine| async move {
        let server = TestServer::start(engine).await;
        let batch = json!({"cases": [
            item("DEP-1", 1, json!({"departement": "80"})),
            item("DEP-2", 2, json!({"departement": "2a"})),
            item("DEP-3", 3, json!({"postcode": "80000"})),
            item("DEP-4", 4, json!({"postcode": "20090"})),
            item("DEP-5", 5, json!({"postcode": "97200"})),
            item("DEP-6", 6, json!({"departement": "60", "postcode": "80000"})),
            item("DEP-7", 7, json!({})),
            item("DEP-8", 8, json!({"departement": null, "postcode": ""})),
        ]});
        let (status, answer) = post_cases(&server, &batch).await;
        assert_eq!(status, 200, "{engine:?}: {answer}");
        assert_eq!(outcomes(&answer), vec![created(); 8], "{engine:?}");
        for (lab, departement) in [
            ("DEP-1", Some("80")),
            ("DEP-2", Some("2A")),
            ("DEP-3", Some("80")),
            ("DEP-4", Some("2A")),
            ("DEP-5", Some("972")),
            ("DEP-6", Some("60")),
            ("DEP-7", None),
            ("DEP-8", None),
        ] {
            assert_eq!(
                sql::case_departement(&server.db, lab).await.as_deref(),
                departement,
                "{engine:?} {lab}"
            );
        }

        // The tracer's case page names the département (or says none).
        let tracer = server.staff("tracer-dep", StaffRole::Tracer).await;
        let (id, ..) = sql::case_by_lab_reference(&server.db, "DEP-1").await;
        let (status, page) = tracer.open_case(id).await;
        assert_eq!(status.as_u16(), 200);
        assert!(page.contains("Département"), "{engine:?}");
        assert!(page.contains("80 — Somme"), "{engine:?}");
        let (id, ..) = sql::case_by_lab_reference(&server.db, "DEP-7").await;
        let (_, page) = tracer.open_case(id).await;
        assert!(page.contains("non renseigné"), "{engine:?}");
    }
);

engine_test!(
    unknown_departements_and_postcodes_are_refused_and_nothing_written,
    |engine| async move {
        let server = TestServer::start(engine).await;
        let batch = json!({"cases": [
            item("BAD-1", 11, json!({"departement": "99"})),
            item("BAD-2", 12, json!({"departement": "20"})),
            item("BAD-3", 13, json!({"postcode": "98000"})),
            item("BAD-4", 14, json!({"postcode": "8000"})),
            item("BAD-5", 15, json!({"departement": "Somme", "postcode": "80 000"})),
            item("BAD-6", 16, json!({"departement": 80})),
        ]});
        let (status, answer) = post_cases(&server, &batch).await;
        assert_eq!(status, 200, "{engine:?}: {answer}");
        assert_eq!(
            outcomes(&answer),
            [
                rejected("departement", "unknown_departement"),
                rejected("departement", "unknown_departement"),
                rejected("postcode", "unknown_postcode"),
                rejected("postcode", "not_a_postcode"),
                (
                    "rejected".to_owned(),
                    vec![
                        ("departement".to_owned(), "unknown_departement".to_owned()),
                        ("postcode".to_owned(), "not_a_postcode".to_owned()),
                    ]
                ),
                rejected("departement", "not_a_string"),
            ],
            "{engine:?}"
        );
        assert_eq!(answer["rejected"], json!(6));
        let corsica = &answer["results"][1]["errors"][0]["message"];
        assert!(corsica.as_str().unwrap().contains("2B"), "{corsica}");
        assert_eq!(sql::count_cases(&server.db).await, 0, "{engine:?}");
        assert_eq!(sql::count_messages(&server.db).await, 0, "{engine:?}");
    }
);

engine_test!(
    relais_import_reads_the_departement_and_postcode_columns,
    |engine| async move {
        let server = TestServer::start(engine).await;
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("results.csv");
        let sample = days_ago(2);
        std::fs::write(
            &file,
            format!(
                "lab_reference,first_name,last_name,birth_date,phone,sample_date,test_type,departement,postcode\n\
                 CSV-1,Jeanne,Durand,1950-01-02,06 39 98 11 01,{sample},pcr,60,\n\
                 CSV-2,Paul,Petit,1950-01-02,06 39 98 11 02,{sample},pcr,,20200\n\
                 CSV-3,Luc,Robert,1950-01-02,06 39 98 11 03,{sample},pcr,,\n\
                 CSV-4,Zoé,Bernard,1950-01-02,06 39 98 11 04,{sample},pcr,975,\n\
                 CSV-5,Léo,Simon,1950-01-02,06 39 98 11 05,{sample},pcr,,97500\n"
            ),
        )
        .unwrap();
        let out = relais(
            &["import", file.to_str().unwrap()],
            &server.config.database_url,
        );
        let stdout = text(&out.stdout);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{engine:?}: {stdout} {}",
            text(&out.stderr)
        );
        assert!(stdout.contains("created: 3\n"), "{stdout}");
        assert!(stdout.contains("rejected: 2\n"), "{stdout}");
        assert!(!stdout.contains("ignored columns"), "{stdout}");
        assert!(
            stdout.contains("row 5, field departement: ")
                && stdout.contains("(unknown_departement)"),
            "{stdout}"
        );
        assert!(
            stdout.contains("row 6, field postcode: ") && stdout.contains("(unknown_postcode)"),
            "{stdout}"
        );
        for (lab, departement) in [
            ("CSV-1", Some("60")),
            ("CSV-2", Some("2B")),
            ("CSV-3", None),
        ] {
            assert_eq!(
                sql::case_departement(&server.db, lab).await.as_deref(),
                departement,
                "{engine:?} {lab}"
            );
        }
        assert_eq!(sql::count_cases(&server.db).await, 3);
    }
);

/// The shipped files with the lines of these départements replaced
/// (`None`: removed), written in `dir`: (départements, regions).
fn edited_files(dir: &Path, changed: &[(&str, Option<&str>)]) -> (String, String) {
    let departements: String = relais::territory::SHIPPED_DEPARTEMENTS_CSV
        .lines()
        .filter_map(|line| {
            let code = line.split(',').next().unwrap_or_default();
            match changed.iter().find(|(c, _)| *c == code) {
                Some((_, replacement)) => replacement.map(str::to_owned),
                None => Some(line.to_owned()),
            }
        })
        .map(|line| line + "\n")
        .collect();
    let (d, r) = (dir.join("departements.csv"), dir.join("regions.csv"));
    std::fs::write(&d, departements).unwrap();
    std::fs::write(&r, relais::territory::SHIPPED_REGIONS_CSV).unwrap();
    (d.display().to_string(), r.display().to_string())
}

engine_test!(
    relais_territories_load_updates_a_name_and_refuses_bad_files,
    |engine| async move {
        let server = TestServer::start(engine).await;
        let url = server.config.database_url.clone();
        let out = relais(&["territories", "list"], &url);
        let listing = text(&out.stdout);
        assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
        assert!(
            listing.starts_with("18 regions, 101 départements\n"),
            "{listing}"
        );
        assert!(listing.contains("\n80           Somme "), "{listing}");
        assert!(listing.contains("32 Hauts-de-France"), "{listing}");

        // A new name: loaded, listed, and read by a node's next refresh.
        let dir = tempfile::tempdir().unwrap();
        let (departements, regions) =
            edited_files(dir.path(), &[("80", Some("80,Somme (Amiens),32"))]);
        let load = [
            "territories",
            "load",
            "--departements",
            &departements,
            "--regions",
            &regions,
        ];
        let out = relais(&load, &url);
        let printed = text(&out.stdout);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{engine:?}: {}",
            text(&out.stderr)
        );
        assert!(
            printed.contains("101 départements (0 added, 1 changed, 0 removed)"),
            "{printed}"
        );
        let listing = text(&relais(&["territories", "list"], &url).stdout);
        assert!(listing.contains("Somme (Amiens)"), "{listing}");
        let cache = relais_server::territories::TerritoryCache::default();
        let code = relais::territory::DepartementCode::parse("80").unwrap();
        assert_eq!(cache.get().departement(code).unwrap().name, "Somme");
        cache.refresh(&server.db).await.unwrap();
        assert_eq!(
            cache.get().departement(code).unwrap().name,
            "Somme (Amiens)"
        );

        // A malformed file: every problem with its file and line, exit
        // code 2, nothing changed.
        let (departements, regions) = edited_files(
            dir.path(),
            &[
                ("80", Some("80,Somme renamed again,32")),
                ("02", Some("20,Corse,94")),
                ("05", Some("05,Hautes-Alpes")),
            ],
        );
        let load = [
            "territories",
            "load",
            "--departements",
            &departements,
            "--regions",
            &regions,
        ];
        let out = relais(&load, &url);
        let stderr = text(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{engine:?}: {stderr}");
        assert!(stderr.contains("nothing was changed"), "{stderr}");
        assert!(
            stderr.contains(&format!(
                "{departements}, line 3: `20` is not a département code"
            )),
            "{stderr}"
        );
        assert!(
            stderr.contains(&format!(
                "{departements}, line 6: 2 cells where the header has 3"
            )),
            "{stderr}"
        );
        let listing = text(&relais(&["territories", "list"], &url).stdout);
        assert!(listing.contains("Somme (Amiens)"), "{listing}");

        // A département that cases use stays.
        let (status, _) = post_cases(
            &server,
            &json!({"cases": [item("USE-1", 21, json!({"departement": "60"}))]}),
        )
        .await;
        assert_eq!(status, 200);
        let (departements, regions) = edited_files(dir.path(), &[("60", None)]);
        let load = [
            "territories",
            "load",
            "--departements",
            &departements,
            "--regions",
            &regions,
        ];
        let out = relais(&load, &url);
        let stderr = text(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{engine:?}: {stderr}");
        assert!(stderr.contains("60 (1 cases)"), "{stderr}");
        let listing = text(&relais(&["territories", "list"], &url).stdout);
        assert!(listing.contains("101 départements"), "{listing}");
        assert!(
            listing.contains("Somme (Amiens)"),
            "the earlier load stays: {listing}"
        );
    }
);

engine_test!(demo_cases_are_in_oise_and_somme, |engine| async move {
    let server = TestServer::start(engine).await;
    relais_server::demo::load(&server.db, "http://relais.test")
        .await
        .expect("demo loaded");
    let departements: Vec<Option<String>> =
        sql::departements_of_cases(&server.db, relais_server::demo::DEMO_PREFIX)
            .await
            .into_iter()
            .map(|(_, d)| d)
            .collect();
    assert!(!departements.is_empty());
    assert!(
        departements
            .iter()
            .all(|d| matches!(d.as_deref(), Some("60") | Some("80"))),
        "{engine:?}: {departements:?}"
    );
    assert!(departements.iter().any(|d| d.as_deref() == Some("60")));
    assert!(departements.iter().any(|d| d.as_deref() == Some("80")));
});

/// The intake item's schema in the OpenAPI document names the two fields.
#[tokio::test]
async fn the_api_document_describes_the_departement_and_postcode() {
    let server = TestServer::start(crate::common::Engine::Sqlite).await;
    let document: Value = server
        .browser()
        .get("/api/v1/openapi.json")
        .await
        .json()
        .await
        .unwrap();
    let properties = &document["components"]["schemas"]["RawCase"]["properties"];
    for field in ["departement", "postcode"] {
        let description = properties[field]["description"]
            .as_str()
            .unwrap_or_default();
        assert!(!description.is_empty(), "{field}: {properties}");
    }
    assert!(
        properties["departement"]["description"]
            .as_str()
            .unwrap()
            .contains("2A"),
        "{properties}"
    );
}
