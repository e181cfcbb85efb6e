//! The staff side of the tests: accounts, sign-in, the console's forms.

use super::citizen::{add_contact, location, new_case, post_form, sign_in};
use super::{client, TestServer};
use relais::roles::StaffRole;
use relais_store::security::password::hash_password;

/// Creates an account and returns its password.
pub async fn staff_account(server: &TestServer, username: &str, role: StaffRole) -> String {
    let password = format!("{username}-correct-horse-battery");
    let hash = hash_password(&password).expect("hash");
    relais_store::staff::create_staff_user(&server.db, username, username, role, &hash)
        .await
        .expect("account");
    password
}

/// Posts the sign-in form as a browser would.
pub async fn post_sign_in(
    server: &TestServer,
    username: &str,
    password: &str,
    cookie: Option<&str>,
) -> reqwest::Response {
    let mut request = client()
        .post(server.url("/api/staff/sign-in"))
        .header("origin", server.config.public_origin())
        .header("accept", "text/html");
    if let Some(cookie) = cookie {
        request = request.header("cookie", cookie);
    }
    request
        .form(&[("username", username), ("password", password)])
        .send()
        .await
        .expect("sign-in form")
}

/// The staff cookie a sign-in set, if any.
pub fn staff_cookie(response: &reqwest::Response) -> Option<String> {
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("relais_staff=") && !v.starts_with("relais_staff=;"))
        .map(|v| v.split(';').next().unwrap_or_default().to_owned())
}

/// Creates an account with `role` and signs it in: its cookie.
pub async fn staff_session(server: &TestServer, username: &str, role: StaffRole) -> String {
    let password = staff_account(server, username, role).await;
    let response = post_sign_in(server, username, &password, None).await;
    assert_eq!(location(&response), "/equipe");
    staff_cookie(&response).expect("a staff cookie")
}

/// Posts a console form as a browser would; the response (not followed).
pub async fn post_staff(
    server: &TestServer,
    path: &str,
    cookie: Option<&str>,
    form: &[(&str, &str)],
) -> reqwest::Response {
    let mut request = client()
        .post(server.url(path))
        .header("origin", server.config.public_origin())
        .header("accept", "text/html");
    if let Some(cookie) = cookie {
        request = request.header("cookie", cookie);
    }
    request.form(form).send().await.expect("staff form")
}

/// A case whose list of contacts (one per phone) was sent; its id and the
/// case's own session.
pub async fn case_with_list(
    server: &TestServer,
    reference: &str,
    phones: &[&str],
) -> (i64, String) {
    let (case_id, token) = new_case(server, reference).await;
    let session = sign_in(server, &token).await;
    for phone in phones {
        let to = add_contact(server, &session, &[("phone", phone)]).await;
        assert!(to.starts_with("/dossier/contacts#item-"), "{to}");
    }
    let sent = post_form(server, "/api/case/submit", Some(&session), &[]).await;
    assert_eq!(sent, "/dossier/envoyee");
    (case_id, session)
}
