//! The citizen side of the tests: a case with its SMS link, and the steps
//! of a case's and of a contact's journey in their browser.

use super::browser::{location, Browser};
use super::TestServer;
use relais_store::cases::{self, NewCase};
use reqwest::{Response, StatusCode};

pub const BIRTH: (&str, &str, &str) = ("14", "7", "1961");

/// The name of a case's or a contact's session cookie (the server is on
/// http).
pub const SESSION_COOKIE: &str = "relais_session";

impl TestServer {
    /// A browser signed in as the validated contact `contact_id`, through a
    /// new SMS link (as a tracer's "send the link again" issues one).
    pub async fn contact_browser(&self, contact_id: relais::ids::ContactId) -> Browser {
        let token = relais_store::follow_up::issue_contact_link(&self.db, contact_id)
            .await
            .unwrap()
            .token;
        let browser = self.browser();
        browser.open_contact_link(&token).await;
        browser
    }

    /// A new case (born on `BIRTH`) and the token of its SMS link.
    pub async fn new_case(&self, reference: &str) -> (i64, String) {
        let (id, token) = self
            .case_with_link(&gaspard(reference, "2020-11-16", Some("2020-11-14")))
            .await;
        (id.get(), token)
    }

    /// A new case without symptoms sampled on `sample` (its J0), signed in
    /// from its SMS link in its own browser.
    pub async fn signed_in_case_sampled_on(
        &self,
        reference: &str,
        sample: time::Date,
    ) -> (relais::ids::CaseId, Browser) {
        let (id, token) = self
            .case_with_link(&gaspard(reference, &sample.to_string(), None))
            .await;
        let case = self.browser();
        case.sign_in(&token).await;
        (id, case)
    }

    /// Creates `case` and issues its SMS link: the case and the link's token.
    async fn case_with_link(&self, case: &NewCase) -> (relais::ids::CaseId, String) {
        let id = cases::create_case(&self.db, case).await.expect("case");
        let token = cases::issue_case_link(&self.db, id)
            .await
            .expect("link")
            .token;
        (id, token)
    }

    /// A new case, signed in from its SMS link in its own browser.
    pub async fn signed_in_case(&self, reference: &str) -> (i64, Browser) {
        let (case_id, token) = self.new_case(reference).await;
        let case = self.browser();
        case.sign_in(&token).await;
        (case_id, case)
    }
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

/// The case's journey: the SMS link, the date of birth, the situation, the
/// contacts and places, the submission.
impl Browser {
    /// Opens the case's SMS link: the landing page.
    pub async fn open_case_link(&self, token: &str) -> (StatusCode, String) {
        self.page(&format!("/d/{token}")).await
    }

    /// Posts the date-of-birth form of the link's landing page.
    pub async fn post_birth_date(&self, token: &str, dob: (&str, &str, &str)) -> Response {
        self.post(
            "/api/case/identity",
            &[
                ("token", token),
                ("day", dob.0),
                ("month", dob.1),
                ("year", dob.2),
            ],
        )
        .await
    }

    /// Confirms the test case's identity (`BIRTH`): the browser holds the
    /// case's session.
    pub async fn sign_in(&self, token: &str) {
        let response = self.post_birth_date(token, BIRTH).await;
        assert_eq!(location(&response), "/dossier");
        assert!(
            response.headers().get("set-cookie").is_some(),
            "a session cookie"
        );
    }

    /// Declares whether the case had symptoms, and since when; where the
    /// answer redirects.
    pub async fn declare_situation(&self, form: &[(&str, &str)]) -> String {
        self.post_form("/api/case/situation", form).await
    }

    /// Adds (or, with a `contact` id in `extra`, changes) a contact:
    /// `contact_form(extra)`.
    pub async fn add_contact(&self, extra: &[(&str, &str)]) -> String {
        self.post_form("/api/case/contact", &contact_form(extra))
            .await
    }

    /// Removes one of the case's contacts.
    pub async fn remove_contact(&self, contact_id: i64) -> String {
        self.post_form(
            "/api/case/contact/remove",
            &[("contact", &contact_id.to_string())],
        )
        .await
    }

    /// Cancels the contact form (forgets its draft).
    pub async fn cancel_contact(&self) -> String {
        self.post_form("/api/case/contact/cancel", &[]).await
    }

    /// Adds a place the case went to.
    pub async fn add_place(&self, form: &[(&str, &str)]) -> String {
        self.post_form("/api/case/place", form).await
    }

    /// Sends the declaration to the tracers.
    pub async fn submit(&self) -> String {
        self.post_form("/api/case/submit", &[]).await
    }
}

/// The contact's journey: the SMS link, the reports, the details.
impl Browser {
    /// Opens the contact's SMS link: sent to `/contact` with a session
    /// cookie (HttpOnly, SameSite=Strict), which the browser keeps.
    pub async fn open_contact_link(&self, token: &str) {
        let response = self.get(&format!("/c/{token}")).await;
        assert!(response.status().is_redirection(), "{}", response.status());
        assert_eq!(location(&response), "/contact");
        let cookie = response.headers()["set-cookie"].to_str().unwrap();
        assert!(
            cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"),
            "{cookie}"
        );
    }

    /// Corrects the contact's own details.
    pub async fn update_details(&self, form: &[(&str, &str)]) -> String {
        self.post_form("/api/contact/details", form).await
    }
}

/// Gaspard's case (born on `BIRTH`), sampled on `sample` (ISO), with
/// symptoms since `onset` when given.
fn gaspard(reference: &str, sample: &str, onset: Option<&str>) -> NewCase {
    NewCase {
        reference: reference.to_owned(),
        lab_reference: None,
        first_name: "Gaspard".to_owned(),
        last_name: "Zyxwvutsky".to_owned(),
        birth_date: "1961-07-14".to_owned(),
        phone: "+33639980001".to_owned(),
        lang: relais::Lang::Fr,
        sample_date: sample.to_owned(),
        test_type: "pcr".to_owned(),
        symptom_onset: onset.map(str::to_owned),
        departement: None,
    }
}
