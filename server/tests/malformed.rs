//! Malformed input on every public form and API route (issue 21, "standing
//! proof"): the real binary (`relais demo`, then `relais serve` on a fresh
//! SQLite file), with the demo's cases, contacts and staff for sessions.
//! Each field of each form and API body is sent empty, overlong (10 000 and
//! 300 000 characters), with control characters (NUL, ESC, CR LF, the RTL
//! override), bytes that are not UTF-8 (`%FF%FE`), the wrong type, twice,
//! and beside unknown fields; each body at its limit and one byte over.
//!
//! Asserted for every request: no server error (5xx) and no panic in the
//! server's log; for a form field the form needs, sent missing or
//! malformed, an answer that names the problem (see `malformed/forms.rs`);
//! for the API, a 4xx JSON error or the item rejected naming the field
//! (see `malformed/api.rs`). Prints `malformed: N requests, E server
//! errors`.
//!
//! `cargo test -p server --test malformed` builds and runs only this.

// The dates of the forms are relative to today, as the server's.
#![allow(clippy::disallowed_methods)]

#[path = "malformed/api.rs"]
mod api;
#[path = "malformed/forms.rs"]
mod forms;
#[path = "malformed/server.rs"]
mod server;

use forms::{field, Form, Kind};
use server::{Probe, Server};
use std::time::Instant;

/// `MAX_BODY_BYTES` of `server/src/http/security.rs`: the pages' limit.
const PAGE_LIMIT: usize = 256 * 1024;
/// The link checker reads at most this much (`server/src/http/link_check.rs`).
const LINK_CHECK_LIMIT: usize = 8 * 1024;

/// A day `days` before today, as the three fields of a date.
fn day_fields(days: i64) -> (String, String, String) {
    let day = relais_store::Clock::system().today_paris() - time::Duration::days(days);
    (
        day.day().to_string(),
        (day.month() as u8).to_string(),
        day.year().to_string(),
    )
}

/// Confirms a case's date of birth: the session's secret.
async fn case_session(probe: &Probe, token: &str, birth: &str) -> String {
    let mut parts = birth.split('-');
    let (year, month, day) = (
        parts.next().unwrap_or_default(),
        parts.next().unwrap_or_default(),
        parts.next().unwrap_or_default(),
    );
    let body = format!("token={token}&day={day}&month={month}&year={year}");
    let response = probe
        .form_post("/api/case/identity", None)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body)
        .send()
        .await
        .expect("identity form");
    session_of(&response).expect("a case's session")
}

/// Opens a contact's SMS link: the session's secret.
async fn contact_session(probe: &Probe, token: &str) -> String {
    let response = probe
        .request(reqwest::Method::GET, &format!("/c/{token}"))
        .send()
        .await
        .expect("contact link");
    session_of(&response).expect("a contact's session")
}

fn session_of(response: &reqwest::Response) -> Option<String> {
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|c| c.strip_prefix("relais_session="))
        .and_then(|c| c.split(';').next())
        .map(str::to_owned)
}

fn form(path: &'static str, session: &str, fields: Vec<forms::Field>) -> Form {
    Form {
        path,
        session: Some(session.to_owned()),
        fields,
        limit: PAGE_LIMIT,
        baseline_taken: false,
    }
}

/// The forms of a case (DEMO-0001, symptoms two days ago, J0 then).
fn case_forms(session: &str) -> Vec<Form> {
    use Kind::*;
    let (onset_d, onset_m, onset_y) = day_fields(2);
    let (met_d, met_m, met_y) = day_fields(1);
    let (place_d, place_m, place_y) = day_fields(3);
    let mut situation = form(
        "/api/case/situation",
        session,
        vec![
            field("symptoms", "oui", Choice),
            field("day", onset_d, Digits),
            field("month", onset_m, Digits),
            field("year", onset_y, Digits),
            field("vaccination", "not_vaccinated", Free),
            field("dose", "", Free),
        ],
    );
    situation.baseline_taken = true;
    let mut contact = form(
        "/api/case/contact",
        session,
        vec![
            field("contact", "nouveau", Free),
            field("form_key", "malformed-contact", Free),
            field("first_name", "Berthe", Text),
            field("last_name", "Quillard", Text),
            field("phone", "06+39+98+01+10", Digits),
            field("email", "", Free),
            field("relationship", "work", Choice),
            field("day", met_d, Digits),
            field("month", met_m, Digits),
            field("year", met_y, Digits),
            field("exposure_face_to_face", "on", Free),
            field("minor", "non", Choice),
            field("guardian_phone", "", Free),
            field("vaccination", "not_vaccinated", Free),
        ],
    );
    contact.baseline_taken = true;
    let mut place = form(
        "/api/case/place",
        session,
        vec![
            field("place", "nouveau", Free),
            field("form_key", "malformed-place", Free),
            field("kind", "restaurant", Choice),
            field("name", "Le+Central", Text),
            field("town", "Amiens", Text),
            field("day", place_d, Digits),
            field("month", place_m, Digits),
            field("year", place_y, Digits),
            field("attendance", "40", Free),
            field("setting", "indoors", Choice),
            field("masks", "non", Choice),
        ],
    );
    place.baseline_taken = true;
    let mut forms = vec![situation, contact, place];
    for (path, name, value) in [
        ("/api/case/contact/remove", "contact", "999999"),
        ("/api/case/place/remove", "place", "999999"),
        ("/api/case/place-form", "place", "nouveau"),
        ("/api/case/contact-form", "contact", "nouveau"),
    ] {
        forms.push(form(path, session, vec![field(name, value, Free)]));
    }
    for path in [
        "/api/case/contact/cancel",
        "/api/case/place/cancel",
        "/api/case/places",
        "/api/case/contacts",
        "/api/case/check",
        "/api/case/overview",
    ] {
        forms.push(form(path, session, Vec::new()));
    }
    forms
}

/// The forms of a notified contact (Léa: quarantine, tests) and of a
/// vaccinated one under the January 2022 rules (Camille: the vaccination
/// form).
fn contact_forms(lea: &str, camille: &str) -> Vec<Form> {
    use Kind::*;
    let (d, m, y) = day_fields(0);
    let (dose_d, dose_m, dose_y) = day_fields(40);
    vec![
        form(
            "/api/contact/details",
            lea,
            vec![
                field("first_name", "L%C3%A9a", Text),
                field("last_name", "Garnier", Text),
                field("email", "", Free),
                field("phone", "06+39+98+01+10", Digits),
            ],
        ),
        form(
            "/api/contact/test",
            lea,
            vec![
                field("day", d.clone(), Digits),
                field("month", m.clone(), Digits),
                field("year", y.clone(), Digits),
                field("result", "pending", Choice),
            ],
        ),
        form(
            "/api/contact/symptoms",
            lea,
            vec![
                field("day", d, Digits),
                field("month", m, Digits),
                field("year", y, Digits),
            ],
        ),
        form(
            "/api/contact/vaccination",
            camille,
            vec![
                field("status", "fully_vaccinated", Choice),
                field("day", dose_d, Digits),
                field("month", dose_m, Digits),
                field("year", dose_y, Digits),
                field("single_dose", "", Free),
                field("immunocompromised", "", Free),
            ],
        ),
        form("/api/contact/form", lea, vec![field("form", "test", Free)]),
        form("/api/contact/file", lea, Vec::new()),
    ]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_public_route_answers_malformed_input_without_a_server_error() {
    let started = Instant::now();
    let server = Server::start().await;
    let probe = Probe::new(&server.base);
    let demo = &server.demo;
    eprintln!(
        "malformed: server up with the demo in {:.1} s",
        started.elapsed().as_secs_f64()
    );

    let (token, birth) = demo.case("DEMO-0001");
    let case = case_session(&probe, token, birth).await;
    let (token, birth) = demo.case("DEMO-0005");
    let releasing = case_session(&probe, token, birth).await;
    let (token, birth) = demo.case("DEMO-0002");
    let leaving = case_session(&probe, token, birth).await;
    let lea = contact_session(&probe, demo.contact("Léa")).await;
    let camille = contact_session(&probe, demo.contact("Camille")).await;

    let mut forms = case_forms(&case);
    let (d, m, y) = day_fields(0);
    forms.push(form(
        "/api/case/release-test",
        &releasing,
        vec![
            field("day", d, Kind::Digits),
            field("month", m, Kind::Digits),
            field("year", y, Kind::Digits),
            field("result", "negative", Kind::Choice),
            field("symptom_free", "oui", Kind::Free),
        ],
    ));
    forms.extend(contact_forms(&lea, &camille));
    // The identity form of a case whose link is not used above (a wrong
    // date of birth counts against it; none of the values below is one).
    let (token, birth) = demo.case("DEMO-0003");
    let mut birth = birth.split('-').map(str::to_owned);
    let (year, month, day) = (
        birth.next().unwrap_or_default(),
        birth.next().unwrap_or_default(),
        birth.next().unwrap_or_default(),
    );
    forms.push(Form {
        path: "/api/case/identity",
        session: None,
        fields: vec![
            field("token", token, Kind::Free),
            field("day", day, Kind::Digits),
            field("month", month, Kind::Digits),
            field("year", year, Kind::Digits),
        ],
        limit: PAGE_LIMIT,
        baseline_taken: false,
    });
    forms.push(Form {
        path: "/api/case/link-status",
        session: None,
        fields: vec![field("token", token, Kind::Free)],
        limit: PAGE_LIMIT,
        baseline_taken: false,
    });
    forms.push(Form {
        path: "/api/contact/open",
        session: None,
        fields: vec![field("token", demo.contact("Tom"), Kind::Free)],
        limit: PAGE_LIMIT,
        baseline_taken: false,
    });
    let (username, password) = &demo.staff[0];
    forms.push(Form {
        path: "/api/staff/sign-in",
        session: None,
        fields: vec![
            field("username", username, Kind::Text),
            field("password", password, Kind::Text),
        ],
        limit: PAGE_LIMIT,
        baseline_taken: false,
    });
    forms.push(Form {
        path: "/verifier",
        session: None,
        fields: vec![field(
            "link",
            format!("{}/c/{}", server.base, demo.contact("Tom")),
            Kind::Free,
        )],
        limit: LINK_CHECK_LIMIT,
        baseline_taken: false,
    });
    // Last: the forms that end what they are posted for (the declaration
    // sent, the session ended), on a case of their own.
    forms.push(form("/api/case/submit", &leaving, Vec::new()));
    forms.push(form("/api/citizen/quit", &leaving, Vec::new()));

    for form in &forms {
        let before = probe.sent();
        form.probe(&probe).await;
        eprintln!(
            "malformed: {} — {} requests",
            form.path,
            probe.sent() - before
        );
    }
    api::probe(&probe, demo).await;

    // The log arrives through a pipe: a moment for its last lines.
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let panics = server.panics();
    let summary = format!(
        "malformed: {} requests, {} server errors ({} forms and API routes, {} oversized \
         bodies cut short by the server after its 413, {:.1} s)",
        probe.sent(),
        probe.server_errors(),
        forms.len() + api::ROUTES,
        probe.cut_short(),
        started.elapsed().as_secs_f64()
    );
    println!("{summary}");
    eprintln!("{summary}");
    let mut problems = probe.problems();
    problems.extend(
        panics
            .iter()
            .map(|line| format!("the server's log: {line}")),
    );
    assert!(
        problems.is_empty(),
        "{} problems:\n{}",
        problems.len(),
        problems.join("\n")
    );
}
