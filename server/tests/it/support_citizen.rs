//! A case or an at-risk contact asks for support during isolation on their
//! own page (`/dossier/aide`, `/contact/aide`, issue 19): the request is
//! stored and listed as received; a refused form comes back with what was
//! typed (kept on the server, never in the address); after the isolation
//! no form is offered and a post is refused; a contact and the case never
//! see each other's requests — on SQLite and PostgreSQL.

use crate::common::browser::{main_of, Browser};
use crate::common::{engine_test, sql, today, TestServer};
use relais::ids::{CaseId, ContactId};
use relais::roles::StaffRole;
use relais::support::{SupportNeed, SupportOrigin, SupportState};
use relais_store::support::{of_asker, Asker};
use relais_store::support_drafts;
use time::Duration;

/// The case's form as a browser posts it, the needs ticked in `needs`
/// (`needs[]`, which the browser sends as `needs%5B%5D`).
fn request<'a>(needs: &[&'a str], extra: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut form: Vec<(&str, &str)> = needs.iter().map(|n| ("needs[]", *n)).collect();
    form.extend([
        ("note", ""),
        ("address", ""),
        ("phone", ""),
        ("best_time", "any"),
    ]);
    for (name, value) in extra {
        form.retain(|(n, _)| n != name);
        form.push((name, value));
    }
    form
}

/// The page's list of the person's own requests (empty when none).
fn requests_of(main: &str) -> &str {
    let Some(start) = main.find("id=\"requests\"") else {
        return "";
    };
    let end = start + main[start..].find("</section>").expect("the section's end");
    &main[start..end]
}

/// The tag of the input whose attributes hold `attribute`.
fn input_of<'a>(html: &'a str, attribute: &str) -> &'a str {
    let at = html
        .find(attribute)
        .unwrap_or_else(|| panic!("{attribute}: {html}"));
    let start = html[..at].rfind("<input").expect("an input");
    let end = at + html[at..].find('>').expect("the tag's end");
    &html[start..end]
}

/// A case tested yesterday (symptoms two days ago) whose one contact, an
/// adult colleague met yesterday, a tracer validated: the case's id and
/// browser, the contact's id and browser.
async fn case_and_contact(server: &TestServer, reference: &str) -> (i64, Browser, i64, Browser) {
    let (case_id, case) = server.case_with_list(reference, &["06 39 98 01 10"]).await;
    let last_contact = today() - Duration::days(1);
    sql::set_sample_and_onset(
        &server.db,
        case_id,
        &last_contact.to_string(),
        &(today() - Duration::days(2)).to_string(),
    )
    .await;
    sql::set_last_contact_of_case(&server.db, case_id, &last_contact.to_string()).await;
    let contact_id = sql::contact_ids(&server.db, case_id).await[0];
    let tracer = server
        .staff(&format!("t-{reference}"), StaffRole::Tracer)
        .await;
    let version = sql::case_version(&server.db, case_id).await;
    let to = tracer.validate(case_id, version).await;
    assert!(to.contains("ok=validated&n=1"), "{to}");
    let contact = server.contact_browser(ContactId(contact_id)).await;
    (case_id, case, contact_id, contact)
}

engine_test!(
    a_case_asks_for_groceries_and_a_nurse_and_sees_it_received,
    |engine| async move {
        let server = TestServer::start(engine).await;
        let (case_id, case) = server.signed_in_case_sampled_on("AIDE-1", today()).await;

        // The case's overview links to the page, which offers the form.
        let (_, body) = case.page("/dossier").await;
        assert!(main_of(&body).contains("href=\"/dossier/aide\""), "{body}");
        let (status, body) = case.page("/dossier/aide").await;
        assert_eq!(status, 200);
        assert!(body.contains("lang=\"fr\""), "{body}");
        let main = main_of(&body);
        assert!(
            main.contains("action=\"/api/case/support\""),
            "{engine:?}: {main}"
        );
        assert!(main.contains("name=\"needs[]\""), "{main}");
        assert!(main.contains("jusqu'à la fin de votre isolement"), "{main}");
        assert!(main.contains("dans les 24 heures"), "{main}");
        assert!(!main.contains("id=\"requests\""), "no request yet: {main}");

        let to = case
            .post_form(
                "/api/case/support",
                &request(
                    &["groceries", "nurse_visit"],
                    &[
                        ("note", "Pour deux personnes"),
                        ("best_time", "morning"),
                        ("consent", "oui"),
                    ],
                ),
            )
            .await;
        assert_eq!(to, "/dossier/aide?ok=1#requests", "{engine:?}");

        let asked = of_asker(&server.db, Asker::Case(case_id)).await.unwrap();
        assert_eq!(asked.len(), 1, "{asked:?}");
        let request = &asked[0];
        assert_eq!(request.origin, SupportOrigin::Case);
        assert!(request.needs.contains(SupportNeed::Groceries));
        assert!(request.needs.contains(SupportNeed::NurseVisit));
        assert_eq!(request.needs.len(), 2);
        assert_eq!(request.note, "Pour deux personnes");
        assert!(request.consent);
        assert_eq!(request.state, SupportState::New);

        let (status, body) = case.page(&to).await;
        assert_eq!(status, 200);
        let main = main_of(&body);
        assert!(
            main.contains("La cellule d'appui de votre département va vous appeler"),
            "{main}"
        );
        let requests = requests_of(&main);
        assert!(requests.contains("reçue"), "{main}");
        assert!(
            requests.contains("<li>Des courses ou des repas</li>"),
            "{main}"
        );
        assert!(
            requests.contains("<li>La visite d'un infirmier à domicile</li>"),
            "{main}"
        );
        assert!(!requests.contains("<li>Des médicaments</li>"), "{main}");
        assert!(requests.contains("Pour deux personnes"), "{main}");
        // The form is still there, empty, for another request.
        assert!(main.contains("action=\"/api/case/support\""), "{main}");
    }
);

engine_test!(
    a_request_without_a_need_comes_back_with_what_was_typed,
    |engine| async move {
        let server = TestServer::start(engine).await;
        let (case_id, case) = server.signed_in_case_sampled_on("AIDE-2", today()).await;
        let asker = Asker::Case(case_id);

        let to = case
            .post_form(
                "/api/case/support",
                &request(
                    &[],
                    &[
                        ("note", "Mon code de porte 4521"),
                        ("phone", "06 39 98 01 77"),
                    ],
                ),
            )
            .await;
        // Nothing typed in the address.
        assert_eq!(to, "/dossier/aide?erreur=form", "{engine:?}");
        assert!(of_asker(&server.db, asker).await.unwrap().is_empty());

        let (status, body) = case.page(&to).await;
        assert_eq!(status, 200);
        let main = main_of(&body);
        assert!(main.contains("class=\"error-summary\""), "{main}");
        assert!(main.contains("href=\"#support-needs\""), "{main}");
        assert!(main.contains("Cochez au moins une aide."), "{main}");
        assert!(
            main.contains(">Mon code de porte 4521</textarea>"),
            "{main}"
        );
        assert!(main.contains("value=\"06 39 98 01 77\""), "{main}");

        // A wrong phone: its own error, the ticked need kept.
        let to = case
            .post_form(
                "/api/case/support",
                &request(&["medicines"], &[("phone", "06 12")]),
            )
            .await;
        assert_eq!(to, "/dossier/aide?erreur=form");
        let (_, body) = case.page(&to).await;
        let main = main_of(&body);
        assert!(main.contains("href=\"#support-phone\""), "{main}");
        assert!(!main.contains("href=\"#support-needs\""), "{main}");
        assert!(
            input_of(&main, "value=\"medicines\"").contains("checked"),
            "the need ticked again: {main}"
        );
        assert!(!input_of(&main, "value=\"groceries\"").contains("checked"));
        assert!(of_asker(&server.db, asker).await.unwrap().is_empty());

        // Sent: the draft is forgotten.
        let to = case
            .post_form("/api/case/support", &request(&["medicines"], &[]))
            .await;
        assert_eq!(to, "/dossier/aide?ok=1#requests");
        assert_eq!(support_drafts::load(&server.db, asker).await.unwrap(), None);
        let asked = of_asker(&server.db, asker).await.unwrap();
        assert_eq!(asked.len(), 1);
        assert!(!asked[0].consent);
        let (_, body) = case.page(&to).await;
        let main = main_of(&body);
        assert!(!main.contains("error-summary"), "{main}");
        assert!(
            main.contains("seul l'enquêteur sanitaire") && main.contains("Sans votre accord"),
            "{main}"
        );
    }
);

engine_test!(
    a_case_whose_isolation_ended_gets_no_form_and_a_post_is_refused,
    |engine| async move {
        let server = TestServer::start(engine).await;
        // Sampled in November 2020: the isolation ended long ago.
        let (case_id, case) = server.signed_in_case("AIDE-3").await;

        let (status, body) = case.page("/dossier/aide").await;
        assert_eq!(status, 200);
        let main = main_of(&body);
        assert!(
            main.contains("Votre isolement s'est terminé le"),
            "{engine:?}: {main}"
        );
        assert!(!main.contains("<form"), "{main}");

        let to = case
            .post_form(
                "/api/case/support",
                &request(&["groceries"], &[("consent", "oui")]),
            )
            .await;
        assert_eq!(to, "/dossier/aide");
        let asker = Asker::Case(CaseId(case_id));
        assert!(of_asker(&server.db, asker).await.unwrap().is_empty());
        assert_eq!(support_drafts::load(&server.db, asker).await.unwrap(), None);
    }
);

engine_test!(
    an_at_risk_contact_asks_and_neither_sees_the_others_requests,
    |engine| async move {
        let (server, _) = TestServer::start_under_quarantine_rules(engine).await;
        let (case_id, case, contact_id, contact) = case_and_contact(&server, "AIDE-4").await;

        // The case asks first.
        let to = case
            .post_form(
                "/api/case/support",
                &request(
                    &["groceries"],
                    &[("note", "Note du cas"), ("consent", "oui")],
                ),
            )
            .await;
        assert_eq!(to, "/dossier/aide?ok=1#requests", "{engine:?}");

        // The contact's page links to theirs, which offers the form.
        let (_, body) = contact.page("/contact").await;
        assert!(main_of(&body).contains("href=\"/contact/aide\""), "{body}");
        let (status, body) = contact.page("/contact/aide").await;
        assert_eq!(status, 200);
        let main = main_of(&body);
        assert!(
            main.contains("action=\"/api/contact/support\""),
            "{engine:?}: {main}"
        );
        assert!(
            main.contains("jusqu'à la fin de votre quarantaine"),
            "{main}"
        );
        assert!(!main.contains("id=\"requests\""), "{main}");
        assert!(!main.contains("Note du cas"), "{main}");

        let to = contact
            .post_form(
                "/api/contact/support",
                &request(&["childcare"], &[("note", "Note du contact")]),
            )
            .await;
        assert_eq!(to, "/contact/aide?ok=1#requests");
        let asked = of_asker(
            &server.db,
            Asker::Contact {
                case_id: CaseId(case_id),
                contact_id: ContactId(contact_id),
            },
        )
        .await
        .unwrap();
        assert_eq!(asked.len(), 1, "{asked:?}");
        assert_eq!(asked[0].origin, SupportOrigin::Contact);
        assert_eq!(asked[0].contact_id, Some(ContactId(contact_id)));
        assert!(asked[0].needs.contains(SupportNeed::Childcare));
        assert!(!asked[0].consent);

        // The contact sees their own request only, and nothing of the case.
        let (_, body) = contact.page(&to).await;
        let main = main_of(&body);
        let requests = requests_of(&main);
        assert!(requests.contains("Note du contact"), "{main}");
        assert!(
            requests.contains("<li>La garde de vos enfants</li>"),
            "{main}"
        );
        assert!(!main.contains("Note du cas"), "{main}");
        assert!(
            !requests.contains("<li>Des courses ou des repas</li>"),
            "{main}"
        );
        assert_eq!(requests.matches("class=\"card\"").count(), 1, "{main}");
        assert!(
            !main.contains("Gaspard") && !main.contains("Zyxwvutsky"),
            "{main}"
        );

        // The case sees theirs only.
        let (_, body) = case.page("/dossier/aide").await;
        let main = main_of(&body);
        let requests = requests_of(&main);
        assert!(requests.contains("Note du cas"), "{main}");
        assert!(!main.contains("Note du contact"), "{main}");
        assert!(
            !requests.contains("<li>La garde de vos enfants</li>"),
            "{main}"
        );
        assert_eq!(requests.matches("class=\"card\"").count(), 1, "{main}");
    }
);
