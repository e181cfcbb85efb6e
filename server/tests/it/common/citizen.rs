//! The citizen side of the tests: a case with its SMS link, the forms a
//! browser posts, the pages it reads.

use super::{client, TestServer};
use relais_store::cases::{self, NewCase};
use reqwest::StatusCode;

pub const BIRTH: (&str, &str, &str) = ("14", "7", "1961");

pub async fn new_case(server: &TestServer, reference: &str) -> (i64, String) {
    let id = cases::create_case(
        &server.db,
        &NewCase {
            reference: reference.to_owned(),
            lab_reference: None,
            first_name: "Gaspard".to_owned(),
            last_name: "Zyxwvutsky".to_owned(),
            birth_date: "1961-07-14".to_owned(),
            phone: "+33639980001".to_owned(),
            lang: relais::Lang::Fr,
            sample_date: "2020-11-16".to_owned(),
            test_type: "pcr".to_owned(),
            symptom_onset: Some("2020-11-14".to_owned()),
        },
    )
    .await
    .expect("case");
    let token = cases::issue_case_link(&server.db, id)
        .await
        .expect("link")
        .token;
    (id, token)
}

/// Posts the date-of-birth form as a browser would (same origin, HTML).
pub async fn post_birth_date(
    server: &TestServer,
    token: &str,
    dob: (&str, &str, &str),
) -> reqwest::Response {
    client()
        .post(server.url("/api/case/identity"))
        .header("origin", server.config.public_origin())
        .header("accept", "text/html,application/xhtml+xml")
        .form(&[
            ("token", token),
            ("day", dob.0),
            ("month", dob.1),
            ("year", dob.2),
        ])
        .send()
        .await
        .expect("identity form")
}

pub fn location(response: &reqwest::Response) -> String {
    response
        .headers()
        .get("location")
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default()
}

pub async fn page(server: &TestServer, path: &str, cookie: Option<&str>) -> (StatusCode, String) {
    let mut request = client().get(server.url(path));
    if let Some(cookie) = cookie {
        request = request.header("cookie", cookie);
    }
    let response = request.send().await.expect("page");
    (response.status(), response.text().await.unwrap())
}

/// The main landmark of a page (the head carries per-response nonces).
pub fn main_of(body: &str) -> String {
    let start = body.find("<main").unwrap_or(0);
    let end = body.find("</main>").unwrap_or(body.len());
    body[start..end].to_owned()
}

/// Confirms the test case's identity and returns the session cookie.
pub async fn sign_in(server: &TestServer, token: &str) -> String {
    let response = post_birth_date(server, token, BIRTH).await;
    assert_eq!(location(&response), "/dossier");
    let cookie = response.headers()["set-cookie"].to_str().unwrap();
    cookie.split(';').next().unwrap().to_owned()
}

/// Posts a form as a browser would (same origin, HTML) and returns where
/// the answer redirects.
pub async fn post_form(
    server: &TestServer,
    path: &str,
    session: Option<&str>,
    form: &[(&str, &str)],
) -> String {
    let mut request = client()
        .post(server.url(path))
        .header("origin", server.config.public_origin())
        .header("accept", "text/html");
    if let Some(session) = session {
        request = request.header("cookie", session);
    }
    location(&request.form(form).send().await.expect("form post"))
}

/// A contact form as a browser posts it; `extra` overrides or adds fields.
pub fn contact_form<'a>(extra: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut form = vec![
        ("contact", "nouveau"),
        ("first_name", "Berthe"),
        ("last_name", "Quillard"),
        ("phone", "06 39 98 01 10"),
        ("email", ""),
        ("relationship", "work"),
        ("day", "15"),
        ("month", "11"),
        ("year", "2020"),
        ("exposure_face_to_face", "on"),
        ("minor", "non"),
        ("guardian_phone", ""),
    ];
    for (name, value) in extra {
        form.retain(|(n, _)| n != name);
        form.push((name, value));
    }
    form
}

pub async fn add_contact(server: &TestServer, session: &str, extra: &[(&str, &str)]) -> String {
    post_form(
        server,
        "/api/case/contact",
        Some(session),
        &contact_form(extra),
    )
    .await
}
