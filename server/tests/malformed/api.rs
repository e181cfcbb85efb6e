//! The integration API: the intake (`POST /api/v1/cases`), the exports
//! (`GET /api/v1/cases/{case_reference}/contacts`, `GET /api/v1/contacts`)
//! and the inbound SMS (`POST /api/sms/inbound`, signed), each field of
//! each body or query malformed in turn, the bodies at their limits, the
//! keys and signatures wrong.
//!
//! Every answer must be below 500; a batch item with a malformed field is
//! rejected naming the field; a query or body that cannot be read is a 4xx
//! JSON error (`{"error": code, ...}`).

use super::server::{Answer, Demo, Probe, INBOUND_SECRET};
use hmac::{Hmac, Mac};
use reqwest::header::HeaderValue;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use sha2::Sha256;
use std::sync::atomic::{AtomicUsize, Ordering};

/// How many API routes are probed (for the summary).
pub const ROUTES: usize = 4;

/// The API's body limit (`MAX_API_BODY_BYTES` of `server/src/api/intake.rs`).
const API_LIMIT: usize = 16 * 1024 * 1024;
/// The inbound SMS route's (`server/src/api/sms_inbound.rs`).
const INBOUND_LIMIT: usize = 64 * 1024;

pub async fn probe(probe: &Probe, demo: &Demo) {
    let before = probe.sent();
    intake(probe, demo).await;
    eprintln!(
        "malformed: /api/v1/cases — {} requests",
        probe.sent() - before
    );
    let before = probe.sent();
    export(probe, demo).await;
    eprintln!(
        "malformed: /api/v1 exports — {} requests",
        probe.sent() - before
    );
    let before = probe.sent();
    inbound(probe).await;
    eprintln!(
        "malformed: /api/sms/inbound — {} requests",
        probe.sent() - before
    );
}

/// The JSON values a field of a body is sent with; whether each is of the
/// wrong type for a text field.
fn json_values() -> Vec<(&'static str, Value, bool)> {
    vec![
        ("empty", json!(""), false),
        ("10k chars", json!("a".repeat(10_000)), false),
        ("300k chars", json!("a".repeat(300_000)), false),
        ("NUL", json!("1\u{0}2"), false),
        ("ESC", json!("\u{1b}[31m1"), false),
        ("CR LF", json!("1\r\n2"), false),
        ("RTL override", json!("\u{202e}abc"), false),
        ("replacement chars", json!("\u{fffd}\u{fffd}"), false),
        ("letters", json!("abc"), false),
        ("number", json!(12345), true),
        ("float", json!(1.5e300), true),
        ("negative", json!(-1), true),
        ("boolean", json!(true), true),
        ("array", json!(["a"]), true),
        ("object", json!({"a": 1}), true),
        ("null", Value::Null, false),
    ]
}

static LAB: AtomicUsize = AtomicUsize::new(0);

fn item() -> serde_json::Map<String, Value> {
    let today = relais_store::Clock::system().today_paris();
    let lab = LAB.fetch_add(1, Ordering::Relaxed);
    let item = json!({
        "lab_reference": format!("MALFORMED-{lab}"),
        "first_name": "Camille",
        "last_name": "Malforme",
        "birth_date": "1975-06-30",
        "phone": "06 39 98 02 01",
        "sample_date": (today - time::Duration::days(1)).to_string(),
        "test_type": "pcr",
        "symptom_onset": (today - time::Duration::days(2)).to_string(),
        "lang": "fr",
        "departement": "80",
        "postcode": "80000",
    });
    match item {
        Value::Object(map) => map,
        _ => unreachable!(),
    }
}

fn is_json_error(answer: &Answer) -> bool {
    answer.status.is_client_error()
        && serde_json::from_str::<Value>(&answer.body).is_ok_and(|v| v["error"].is_string())
}

async fn post_cases(probe: &Probe, key: &str, what: &str, body: Vec<u8>) -> Option<Answer> {
    let oversized = body.len() > API_LIMIT;
    let request = probe
        .request(Method::POST, "/api/v1/cases")
        .bearer_auth(key)
        .header("content-type", "application/json")
        .body(body);
    probe
        .send(&format!("POST /api/v1/cases ({what})"), request, oversized)
        .await
}

/// The intake: each field of an item malformed, then the batch itself.
async fn intake(probe: &Probe, demo: &Demo) {
    let key = &demo.full_key;
    // Fields whose value, when blank or missing, rejects the item; and
    // those that take any letters.
    const REQUIRED: &[&str] = &[
        "lab_reference",
        "first_name",
        "last_name",
        "birth_date",
        "phone",
        "sample_date",
        "test_type",
    ];
    const ANY_LETTERS: &[&str] = &["lab_reference", "first_name", "last_name"];
    let fields: Vec<String> = item().keys().cloned().collect();
    let well_formed = json!({ "cases": [Value::Object(item())] });
    if let Some(answer) = post_cases(
        probe,
        key,
        "as a feed sends it",
        well_formed.to_string().into_bytes(),
    )
    .await
    {
        let created = serde_json::from_str::<Value>(&answer.body)
            .is_ok_and(|v| v["results"][0]["status"] == "created");
        if !created {
            probe.problem(format!(
                "the well-formed intake item was not created: {}",
                answer.excerpt()
            ));
        }
    }
    for name in &fields {
        let mut variants: Vec<(String, Option<Value>, bool)> = json_values()
            .into_iter()
            .map(|(label, value, wrong_type)| {
                let blank = matches!(label, "empty" | "null");
                let refused = wrong_type
                    || label.ends_with("k chars")
                    || (blank && REQUIRED.contains(&name.as_str()))
                    || (label == "letters" && !ANY_LETTERS.contains(&name.as_str()));
                (label.to_owned(), Some(value), refused)
            })
            .collect();
        variants.push(("missing".into(), None, REQUIRED.contains(&name.as_str())));
        for (label, value, refused) in variants {
            let mut item = item();
            match value {
                Some(value) => item.insert(name.clone(), value),
                None => item.remove(name),
            };
            let what = format!("{name} {label}");
            let body = json!({ "cases": [Value::Object(item)] }).to_string();
            let Some(answer) = post_cases(probe, key, &what, body.into_bytes()).await else {
                continue;
            };
            let result = serde_json::from_str::<Value>(&answer.body)
                .map(|v| v["results"][0].clone())
                .unwrap_or_default();
            if answer.status != StatusCode::OK {
                probe.problem(format!("POST /api/v1/cases ({what}): {}", answer.excerpt()));
            } else if refused {
                let named = result["errors"]
                    .as_array()
                    .is_some_and(|errors| errors.iter().any(|e| e["field"] == name.as_str()));
                if result["status"] != "rejected" || !named {
                    probe.problem(format!(
                        "POST /api/v1/cases ({what}): not rejected naming {name}: {result}"
                    ));
                }
            }
        }
        // The field twice in the item (the JSON text written by hand).
        let item = Value::Object(item()).to_string();
        let twice = item.replacen('{', &format!("{{\"{name}\":\"x\","), 1);
        let body = format!("{{\"cases\":[{twice}]}}");
        post_cases(probe, key, &format!("{name} twice"), body.into_bytes()).await;
    }
    // An unknown field: the item rejected, naming it.
    let mut unknown = item();
    unknown.insert("zz_unknown".into(), json!("1"));
    let body = json!({ "cases": [Value::Object(unknown)] }).to_string();
    if let Some(answer) = post_cases(probe, key, "an unknown field", body.into_bytes()).await {
        if !answer.body.contains("zz_unknown") {
            probe.problem(format!(
                "an unknown intake field not named: {}",
                answer.excerpt()
            ));
        }
    }
    intake_batches(probe, demo).await;
}

/// The batch as a whole: not JSON, not the shape, too many items, at and
/// over the body limit, without a key or with a wrong one.
async fn intake_batches(probe: &Probe, demo: &Demo) {
    let key = &demo.full_key;
    let mut refused: Vec<(&str, Vec<u8>)> = vec![
        ("empty body", Vec::new()),
        ("null", b"null".to_vec()),
        ("an array", b"[]".to_vec()),
        ("an empty object", b"{}".to_vec()),
        ("cases null", br#"{"cases": null}"#.to_vec()),
        ("cases a string", br#"{"cases": "x"}"#.to_vec()),
        ("cases a number", br#"{"cases": 1}"#.to_vec()),
        ("cases an object", br#"{"cases": {}}"#.to_vec()),
        ("an unknown field", br#"{"cases": [], "zz": 1}"#.to_vec()),
        ("cases twice", br#"{"cases": [], "cases": []}"#.to_vec()),
        ("cut short", br#"{"cases": [{"first_name": "Ca"#.to_vec()),
        (
            "not UTF-8",
            b"{\"cases\": [{\"first_name\": \"\xff\xfe\"}]}".to_vec(),
        ),
        ("a NUL byte", b"{\"cases\": [\x00]}".to_vec()),
        (
            "a lone surrogate",
            br#"{"cases": [{"first_name": "\ud800"}]}"#.to_vec(),
        ),
        (
            "deep nesting",
            format!(
                "{{\"cases\": [{}{}]}}",
                "[".repeat(10_000),
                "]".repeat(10_000)
            )
            .into_bytes(),
        ),
        (
            "10 001 items",
            format!("{{\"cases\": [{}null]}}", "null,".repeat(10_000)).into_bytes(),
        ),
    ];
    let pad = |len: usize| {
        let mut body = br#"{"cases": []}"#.to_vec();
        body.resize(len, b' ');
        body
    };
    refused.push(("one byte over the limit", pad(API_LIMIT + 1)));
    for (what, body) in refused {
        if let Some(answer) = post_cases(probe, key, what, body).await {
            if !is_json_error(&answer) {
                probe.problem(format!(
                    "POST /api/v1/cases ({what}): not a 4xx JSON error: {}",
                    answer.excerpt()
                ));
            }
        }
    }
    for (what, body) in [
        (
            "items of every type",
            br#"{"cases": [1, "x", null, [], true, {}]}"#.to_vec(),
        ),
        ("at the limit", pad(API_LIMIT)),
    ] {
        if let Some(answer) = post_cases(probe, key, what, body).await {
            if answer.status != StatusCode::OK {
                probe.problem(format!("POST /api/v1/cases ({what}): {}", answer.excerpt()));
            }
        }
    }
    let body = br#"{"cases": []}"#;
    for (what, authorization) in authorizations(&demo.export_key) {
        let mut request = probe
            .request(Method::POST, "/api/v1/cases")
            .header("content-type", "application/json")
            .body(body.to_vec());
        if let Some(value) = authorization {
            request = request.header("authorization", value);
        }
        let what = format!("POST /api/v1/cases ({what})");
        if let Some(answer) = probe.send(&what, request, false).await {
            if !is_json_error(&answer) {
                probe.problem(format!(
                    "{what}: not a 4xx JSON error: {}",
                    answer.excerpt()
                ));
            }
        }
    }
}

/// Authorization headers that do not open the intake: none, empty, wrong,
/// not text, overlong, another scheme, a key without the right.
fn authorizations(export_key: &str) -> Vec<(&'static str, Option<HeaderValue>)> {
    let text = |s: &str| Some(HeaderValue::from_str(s).expect("a header value"));
    vec![
        ("no key", None),
        ("an empty key", text("Bearer ")),
        ("a wrong key", text("Bearer rk_not-a-key")),
        (
            "a key not UTF-8",
            Some(HeaderValue::from_bytes(b"Bearer rk_\xff\xfe").expect("obs-text")),
        ),
        ("a 10k key", text(&format!("Bearer {}", "a".repeat(10_000)))),
        ("basic auth", text("Basic YTpi")),
        ("the export key", text(&format!("Bearer {export_key}"))),
    ]
}

/// Query values (urlencoded), each refused by every export parameter
/// except where noted.
fn query_values() -> Vec<(&'static str, String)> {
    vec![
        ("empty", String::new()),
        ("10k chars", "a".repeat(10_000)),
        ("NUL", "1%00".into()),
        ("ESC", "%1B1".into()),
        ("CR LF", "1%0D%0A2".into()),
        ("RTL override", "%E2%80%AE1".into()),
        ("not UTF-8", "%FF%FE".into()),
        ("letters", "abc".into()),
        ("huge number", "99999999999999999999999".into()),
        ("negative", "-1".into()),
        ("zero", "0".into()),
    ]
}

async fn get(probe: &Probe, key: &str, path: &str, what: &str) -> Option<Answer> {
    let request = probe.request(Method::GET, path).bearer_auth(key);
    probe.send(&format!("GET {what}"), request, false).await
}

/// The exports: the case reference in the path, the query parameters.
async fn export(probe: &Probe, demo: &Demo) {
    let key = &demo.export_key;
    let case_path = "/api/v1/cases/DEMO-0006/contacts";
    if let Some(answer) = get(probe, key, case_path, case_path).await {
        if answer.status != StatusCode::OK {
            probe.problem(format!("GET {case_path}: {}", answer.excerpt()));
        }
    }
    for (label, value) in query_values().into_iter().chain([
        ("a dot-dot", "..%2F..".to_owned()),
        ("60k chars", "a".repeat(60_000)),
    ]) {
        let path = format!("/api/v1/cases/{value}/contacts");
        get(
            probe,
            key,
            &path,
            &format!("/api/v1/cases/{{{label}}}/contacts"),
        )
        .await;
        let path = format!("{case_path}?format={value}");
        if let Some(answer) = get(
            probe,
            key,
            &path,
            &format!("{case_path}?format={{{label}}}"),
        )
        .await
        {
            if !is_json_error(&answer) {
                probe.problem(format!(
                    "GET {case_path}?format={{{label}}}: not a JSON 400: {}",
                    answer.excerpt()
                ));
            }
        }
    }
    for query in [
        "format=json&format=csv",
        "format=csv&zz=1",
        "format[]=csv",
        "%FF=1",
    ] {
        get(
            probe,
            key,
            &format!("{case_path}?{query}"),
            &format!("{case_path}?{query}"),
        )
        .await;
    }

    let base = [
        ("since", "0"),
        ("cursor", ""),
        ("limit", "10"),
        ("format", "json"),
    ];
    for (name, _) in base {
        for (label, value) in query_values() {
            let query: Vec<String> = base
                .iter()
                .filter(|(n, v)| *n == name || (*n != "cursor" && !v.is_empty()))
                .map(|(n, v)| format!("{n}={}", if *n == name { value.as_str() } else { v }))
                .collect();
            let path = format!("/api/v1/contacts?{}", query.join("&"));
            let what = format!("/api/v1/contacts {name}={{{label}}}");
            let Some(answer) = get(probe, key, &path, &what).await else {
                continue;
            };
            let taken = name == "since" && matches!(label, "negative" | "zero");
            if !taken && !is_json_error(&answer) {
                probe.problem(format!("GET {what}: not a JSON 400: {}", answer.excerpt()));
            }
        }
    }
    for query in [
        "",
        "since=0&since=1",
        "since=0&limit=1&limit=2",
        "since=0&zz=1",
        "since[]=0",
        "since=2021-01-31T00:00:00Z&limit=10000",
        "since=2021-13-45T99:99:99Z",
        "cursor=1.2.3",
        "cursor=-9223372036854775808.-1",
        "cursor=9223372036854775807.9223372036854775807",
    ] {
        let path = format!("/api/v1/contacts?{query}");
        get(probe, key, &path, &path).await;
    }
    for (what, authorization) in authorizations(&demo.full_key)
        .into_iter()
        .filter(|(what, _)| *what != "the export key")
    {
        let mut request = probe.request(Method::GET, "/api/v1/contacts?since=0");
        if let Some(value) = authorization {
            request = request.header("authorization", value);
        }
        let what = format!("GET /api/v1/contacts ({what})");
        probe.send(&what, request, false).await;
    }
}

fn signature(timestamp: &str, body: &[u8]) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(INBOUND_SECRET.as_bytes()).expect("a key");
    mac.update(timestamp.as_bytes());
    mac.update(b".");
    mac.update(body);
    mac.finalize()
        .into_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

static GATEWAY_ID: AtomicUsize = AtomicUsize::new(0);

async fn post_inbound(probe: &Probe, what: &str, body: Vec<u8>) -> Option<Answer> {
    let timestamp = time::OffsetDateTime::now_utc().unix_timestamp().to_string();
    let oversized = body.len() > INBOUND_LIMIT;
    let request = probe
        .request(Method::POST, "/api/sms/inbound")
        .header("content-type", "application/json")
        .header("x-relais-timestamp", &timestamp)
        .header("x-relais-signature", signature(&timestamp, &body))
        .body(body);
    probe
        .send(
            &format!("POST /api/sms/inbound ({what})"),
            request,
            oversized,
        )
        .await
}

/// The inbound SMS: each field malformed, the body's shape, its limit, the
/// signature.
async fn inbound(probe: &Probe) {
    let message = || {
        let id = GATEWAY_ID.fetch_add(1, Ordering::Relaxed);
        json!({ "id": format!("malformed-{id}"), "from": "+33639980101", "text": "OUI" })
    };
    for name in ["id", "from", "text"] {
        for (label, value, wrong_type) in json_values() {
            let mut body = message();
            body[name] = value;
            let what = format!("{name} {label}");
            let Some(answer) = post_inbound(probe, &what, body.to_string().into_bytes()).await
            else {
                continue;
            };
            // An id may be a number; a text or a sender must be text.
            let refused = match name {
                "id" => {
                    !matches!(label, "number" | "float" | "negative")
                        && (wrong_type
                            || matches!(label, "empty" | "null" | "10k chars" | "300k chars"))
                }
                _ => wrong_type || label == "null" || label == "300k chars",
            };
            if refused && !is_json_error(&answer) {
                probe.problem(format!(
                    "POST /api/sms/inbound ({what}): not a 4xx JSON error: {}",
                    answer.excerpt()
                ));
            }
        }
        let mut body = message();
        if let Some(object) = body.as_object_mut() {
            object.remove(name);
        }
        post_inbound(
            probe,
            &format!("{name} missing"),
            body.to_string().into_bytes(),
        )
        .await;
        let twice = message()
            .to_string()
            .replacen('{', &format!("{{\"{name}\":\"x\","), 1);
        post_inbound(probe, &format!("{name} twice"), twice.into_bytes()).await;
    }
    let mut unknown = message();
    unknown["zz_unknown"] = json!([1, 2]);
    post_inbound(probe, "an unknown field", unknown.to_string().into_bytes()).await;
    let pad = |len: usize| {
        let mut body = message().to_string().into_bytes();
        body.resize(len, b' ');
        body
    };
    for (what, body) in [
        ("empty body", Vec::new()),
        ("null", b"null".to_vec()),
        ("an array", b"[]".to_vec()),
        (
            "not UTF-8",
            b"{\"id\": \"1\", \"from\": \"\xff\", \"text\": \"\xfe\"}".to_vec(),
        ),
        ("cut short", br#"{"id": "1", "from"#.to_vec()),
        ("one byte over the limit", pad(INBOUND_LIMIT + 1)),
    ] {
        if let Some(answer) = post_inbound(probe, what, body).await {
            if !is_json_error(&answer) {
                probe.problem(format!(
                    "POST /api/sms/inbound ({what}): not a 4xx JSON error: {}",
                    answer.excerpt()
                ));
            }
        }
    }
    if let Some(answer) = post_inbound(probe, "at the limit", pad(INBOUND_LIMIT)).await {
        if answer.status != StatusCode::OK {
            probe.problem(format!(
                "POST /api/sms/inbound (at the limit): {}",
                answer.excerpt()
            ));
        }
    }
    // Signatures: none, wrong, not hex, a timestamp that is not one.
    let body = message().to_string();
    let now = time::OffsetDateTime::now_utc().unix_timestamp().to_string();
    let signed = |timestamp: &str| {
        (
            Some(timestamp.to_owned()),
            Some(signature(timestamp, body.as_bytes())),
        )
    };
    let mut signatures = vec![
        ("no signature", Some(now.clone()), None),
        (
            "a wrong signature",
            Some(now.clone()),
            Some("00".repeat(32)),
        ),
        (
            "a signature not hex",
            Some(now.clone()),
            Some("zz".repeat(32)),
        ),
        ("no timestamp", None, Some(signature(&now, body.as_bytes()))),
    ];
    for (what, timestamp) in [
        ("a timestamp in letters", "abc"),
        ("a huge timestamp", "99999999999999999999"),
        ("the largest timestamp", "9223372036854775807"),
        ("a negative timestamp", "-1"),
        // Found by this test: the skew check overflowed (a 500 in debug).
        ("the smallest timestamp", "-9223372036854775808"),
    ] {
        let (timestamp, signature) = signed(timestamp);
        signatures.push((what, timestamp, signature));
    }
    for (what, timestamp, signature) in signatures {
        let mut request = probe
            .request(Method::POST, "/api/sms/inbound")
            .header("content-type", "application/json")
            .body(body.clone());
        if let Some(timestamp) = timestamp {
            request = request.header("x-relais-timestamp", timestamp);
        }
        if let Some(signature) = signature {
            if let Ok(value) = HeaderValue::from_str(&signature) {
                request = request.header("x-relais-signature", value);
            }
        }
        let what = format!("POST /api/sms/inbound ({what})");
        if let Some(answer) = probe.send(&what, request, false).await {
            if answer.status != StatusCode::UNAUTHORIZED {
                probe.problem(format!("{what}: not a 401: {}", answer.excerpt()));
            }
        }
    }
}
