//! The integration API's OpenAPI document: served at
//! `/api/v1/openapi.json`, generated from the handlers, and listing every
//! route the API serves (routes are only added through
//! `relais_server::api::documented`, which describes them as it adds them).

use crate::common::{Engine, TestServer};
use reqwest::Method;
use serde_json::Value;
use std::collections::BTreeSet;

/// Every operation of the API, as `METHOD path`.
const OPERATIONS: &[&str] = &[
    "GET /api/v1/cases/{case_reference}/contacts",
    "GET /api/v1/contacts",
    "GET /api/v1/openapi.json",
    "GET /api/v1/support-requests",
    "POST /api/sms/inbound",
    "POST /api/v1/cases",
];

fn operations(document: &Value) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    for (path, item) in document["paths"].as_object().expect("paths") {
        for method in item.as_object().expect("path item").keys() {
            found.insert(format!("{} {path}", method.to_uppercase()));
        }
    }
    found
}

#[tokio::test]
async fn the_document_lists_every_route_and_each_answers_as_described() {
    let server = TestServer::start(Engine::Sqlite).await;
    let client = server.browser();
    let response = client.get("/api/v1/openapi.json").await;
    assert_eq!(response.status().as_u16(), 200);
    assert!(response.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("application/json"));
    let document: Value = response.json().await.unwrap();
    assert!(document["openapi"].as_str().unwrap().starts_with("3.1"));
    let served = operations(&document);
    let expected: BTreeSet<String> = OPERATIONS.iter().map(|s| s.to_string()).collect();
    assert_eq!(served, expected);

    // The router the server mounts is the one the document comes from.
    let (_, built) = relais_server::api::documented().split_for_parts();
    let built: Value = serde_json::from_str(&built.to_json().unwrap()).unwrap();
    assert_eq!(operations(&built), served);

    // Each documented operation is served: without a key, the documented
    // 401 in JSON (the document itself is public).
    for operation in OPERATIONS {
        let (method, path) = operation.split_once(' ').unwrap();
        let path = path.replace("{case_reference}", "DEMO-0001");
        let request = match method {
            "GET" => client.request(Method::GET, &path),
            _ => client.request(Method::POST, &path).body("{\"cases\": []}"),
        };
        let response = request.send().await.unwrap();
        let status = response.status().as_u16();
        let item = &document["paths"][operation.split_once(' ').unwrap().1][method.to_lowercase()];
        assert!(
            item["responses"][status.to_string()].is_object(),
            "{operation} answered {status}, which its description does not list"
        );
        if path == "/api/sms/inbound" {
            // Signed by the gateway, not keyed; off without its secret.
            assert_eq!(status, 404, "{operation}");
        } else if path != "/api/v1/openapi.json" {
            assert_eq!(status, 401, "{operation}");
            assert_eq!(
                item["security"][0]["api_key"],
                Value::Array(vec![]),
                "{operation} names its key"
            );
            let body: Value = response.json().await.unwrap();
            assert_eq!(body["error"], "missing_key");
        }
    }
    // The schemas the answers use are described.
    for schema in [
        "IntakeAnswer",
        "ItemResult",
        "RawCase",
        "FieldError",
        "ContactOut",
        "ErrorBody",
    ] {
        assert!(
            document["components"]["schemas"][schema].is_object(),
            "{schema} described"
        );
    }
    // A path the API does not have: a JSON 404, not a page.
    let response = client.get("/api/v1/nothing-here").await;
    assert_eq!(response.status().as_u16(), 404);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["error"], "not_found");
}
