//! The staff side of the tests: accounts, and the steps of the console in a
//! staff member's browser.

use super::browser::{location, Browser};
use super::TestServer;
use relais::roles::StaffRole;
use relais_store::security::password::hash_password;
use reqwest::{Response, StatusCode};

/// The name of the staff session's cookie (the server is on http).
pub const STAFF_COOKIE: &str = "relais_staff";

impl TestServer {
    /// Creates an account of the national organisation and returns its
    /// password.
    pub async fn staff_account(&self, username: &str, role: StaffRole) -> String {
        self.staff_account_in(username, role, relais_store::organisations::NATIONAL)
            .await
    }

    /// Creates an account of `organisation` and returns its password.
    pub async fn staff_account_in(
        &self,
        username: &str,
        role: StaffRole,
        organisation: relais::ids::OrganisationId,
    ) -> String {
        let password = format!("{username}-correct-horse-battery");
        let hash = hash_password(&password).expect("hash");
        relais_store::staff::create_staff_user(
            &self.db,
            username,
            username,
            role,
            organisation,
            &hash,
        )
        .await
        .expect("account");
        password
    }

    /// Creates an account with `role` (national organisation) and signs it
    /// in, in its own browser.
    pub async fn staff(&self, username: &str, role: StaffRole) -> Browser {
        self.staff_in(username, role, relais_store::organisations::NATIONAL)
            .await
    }

    /// Creates an account with `role` in `organisation` and signs it in, in
    /// its own browser.
    pub async fn staff_in(
        &self,
        username: &str,
        role: StaffRole,
        organisation: relais::ids::OrganisationId,
    ) -> Browser {
        let password = self.staff_account_in(username, role, organisation).await;
        let browser = self.browser();
        let response = browser.staff_sign_in(username, &password).await;
        assert_eq!(location(&response), "/equipe");
        assert!(browser.cookie(STAFF_COOKIE).is_some(), "a staff cookie");
        browser
    }

    /// A case whose list of contacts (one per phone) was sent; its id and
    /// the case's browser, signed in.
    pub async fn case_with_list(&self, reference: &str, phones: &[&str]) -> (i64, Browser) {
        let (case_id, case) = self.signed_in_case(reference).await;
        for phone in phones {
            let to = case.add_contact(&[("phone", phone)]).await;
            assert!(to.starts_with("/dossier/contacts#item-"), "{to}");
        }
        assert_eq!(case.submit().await, "/dossier/envoyee");
        (case_id, case)
    }
}

/// The staff cookie a response set, if any (not one that ends a session).
pub fn staff_cookie(response: &Response) -> Option<String> {
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("relais_staff=") && !v.starts_with("relais_staff=;"))
        .map(|v| v.split(';').next().unwrap_or_default().to_owned())
}

/// The console's steps: sign-in, the queue and a case's page, the calls,
/// the changes to a case's list, its validation, the admin's work.
impl Browser {
    /// Posts the sign-in form: the response, not followed.
    pub async fn staff_sign_in(&self, username: &str, password: &str) -> Response {
        self.post(
            "/api/staff/sign-in",
            &[("username", username), ("password", password)],
        )
        .await
    }

    pub async fn staff_sign_out(&self) -> String {
        self.post_form("/api/staff/sign-out", &[]).await
    }

    /// The queue of cases to call: `/equipe` then `query` (a search, the
    /// second queue, the next page).
    pub async fn open_queue(&self, query: &str) -> (StatusCode, String) {
        self.page(&format!("/equipe{query}")).await
    }

    /// The admin's audit journal: `/equipe/admin/journal` then `query`
    /// (its filters).
    pub async fn open_journal(&self, query: &str) -> (StatusCode, String) {
        self.page(&format!("/equipe/admin/journal{query}")).await
    }

    /// A case's page in the console.
    pub async fn open_case(&self, case_id: i64) -> (StatusCode, String) {
        self.page(&format!("/equipe/dossiers/{case_id}")).await
    }

    /// Records a call to the case: `outcome`, then `extra` fields.
    pub async fn record_call(&self, case_id: i64, outcome: &str, extra: &[(&str, &str)]) -> String {
        let case = case_id.to_string();
        let mut form = vec![("case_id", case.as_str()), ("outcome", outcome)];
        form.extend_from_slice(extra);
        self.post_form("/api/staff/call", &form).await
    }

    /// Saves the console's contact form (`/api/staff/contact`).
    pub async fn save_contact(&self, form: &[(&str, &str)]) -> String {
        self.post_form("/api/staff/contact", form).await
    }

    /// Removes a contact from a case's list, as seen at `version`.
    pub async fn remove_case_contact(&self, case_id: i64, version: i64, contact_id: i64) -> String {
        self.post_form(
            "/api/staff/remove-contact",
            &[
                ("case_id", &case_id.to_string()),
                ("version", &version.to_string()),
                ("contact_id", &contact_id.to_string()),
            ],
        )
        .await
    }

    /// Changes a contact's classification, with the reason.
    pub async fn reclassify(
        &self,
        case_id: i64,
        version: i64,
        contact_id: i64,
        classification: &str,
        reason: &str,
    ) -> String {
        self.post_form(
            "/api/staff/reclassify",
            &[
                ("case_id", &case_id.to_string()),
                ("version", &version.to_string()),
                ("contact_id", &contact_id.to_string()),
                ("classification", classification),
                ("reason", reason),
            ],
        )
        .await
    }

    /// Validates the case's list as seen at `version` (which notifies the
    /// contacts at risk).
    pub async fn validate(&self, case_id: i64, version: i64) -> String {
        self.post_form(
            "/api/staff/validate",
            &[
                ("case_id", &case_id.to_string()),
                ("version", &version.to_string()),
            ],
        )
        .await
    }

    /// Closes the case, as seen at `version`.
    pub async fn close_case(&self, case_id: i64, version: i64) -> String {
        self.post_form(
            "/api/staff/close",
            &[
                ("case_id", &case_id.to_string()),
                ("version", &version.to_string()),
            ],
        )
        .await
    }

    /// Sends the case a new SMS link.
    pub async fn resend_link(&self, case_id: i64) -> String {
        self.post_form(
            "/api/staff/resend-link",
            &[("case_id", &case_id.to_string())],
        )
        .await
    }

    /// Marks an SMS reply of the case as read.
    pub async fn mark_reply_read(&self, case_id: i64, reply_id: i64) -> String {
        self.post_form(
            "/api/staff/reply-read",
            &[
                ("case_id", &case_id.to_string()),
                ("reply_id", &reply_id.to_string()),
            ],
        )
        .await
    }

    /// Lifts the lock of a staff account (an admin's step).
    pub async fn unlock_account(&self, account_id: i64) -> String {
        self.post_form(
            "/api/staff/unlock-account",
            &[("account", &account_id.to_string())],
        )
        .await
    }
}
