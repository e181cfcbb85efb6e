//! The attestation page of a contact: the dates of the quarantine to print
//! for an employer; for a contact whom the rules spare the quarantine (a
//! vaccinated adult under the rules of January 2022), a plain "none is
//! needed" with the rules' date, and the free tests they are entitled to —
//! on SQLite and PostgreSQL.

use crate::common::browser::main_of;
use crate::common::{engine_test, january_2022_rules_in_force, TestServer};
use crate::contact_vaccination::{notified_contact, state_vaccinated};
use relais::dates::long_date;
use relais::Lang;
use time::{Date, Duration};

fn d(date: Date) -> String {
    long_date(date, Lang::Fr)
}

/// A page's main landmark, its apostrophes unescaped and without the
/// renderer's `<!>` markers.
async fn main_text(contact: &crate::common::browser::Browser, path: &str) -> String {
    let (status, body) = contact.page(path).await;
    assert_eq!(status, 200, "{path}");
    main_of(&body).replace("&#x27;", "'").replace("<!>", "")
}

engine_test!(
    a_contact_spared_the_quarantine_is_told_no_attestation_is_needed,
    |engine| async move {
        let server = TestServer::start_with_rules(engine, &[], january_2022_rules_in_force()).await;
        let today = server.db.today_paris();
        // The operator's set is in force from a year ago.
        let since = d(today - Duration::days(365));
        let (_, contact) = notified_contact(&server, "ATT-1").await;

        // Not vaccinated as far as anyone knows: a quarantine, and its
        // attestation with its dates.
        let main = main_text(&contact, "/contact").await;
        assert!(
            main.contains("<a href=\"/contact/attestation\">Attestation pour mon employeur</a>"),
            "{engine:?}: {main}"
        );
        let main = main_text(&contact, "/contact/attestation").await;
        assert!(
            main.contains("Cette personne doit rester isolée du"),
            "{main}"
        );
        assert!(!main.contains("aucune attestation"), "{main}");

        // Vaccinated two months ago: no quarantine, tests only.
        let to = state_vaccinated(&contact, today - Duration::days(60)).await;
        assert_eq!(to, "/contact?vaccination=no_quarantine", "{engine:?}");
        let main = main_text(&contact, "/contact").await;
        let link = format!(
            "<a href=\"/contact/attestation\">Pas besoin d'attestation d'isolement selon les \
             règles en vigueur depuis le {since} : vos droits</a>"
        );
        assert!(main.contains(&link), "{engine:?}: {link} in {main}");

        let main = main_text(&contact, "/contact/attestation").await;
        assert!(
            main.contains(&format!(
                "Selon les règles en vigueur depuis le {since}, vous n'avez pas à rester \
                 isolé·e : aucune attestation d'isolement n'est nécessaire"
            )),
            "{engine:?}: {main}"
        );
        assert!(!main.contains("doit rester isolée du"), "{main}");
        // What they are entitled to: the free tests, each with its day and
        // kind (told today, the desk's day in Paris: at once, then
        // self-tests on days 2 and 4).
        let told = server.db.today_paris();
        assert!(main.contains("Ce à quoi vous avez droit"), "{main}");
        assert!(
            main.contains("Des tests gratuits, sans ordonnance"),
            "{main}"
        );
        for (day, kind) in [
            (told, "test antigénique ou PCR"),
            (told + Duration::days(2), "autotest (gratuit"),
            (told + Duration::days(4), "autotest (gratuit"),
        ] {
            let item = format!("<li><strong>{}</strong> — {kind}", d(day));
            assert!(main.contains(&item), "{engine:?}: {item} in {main}");
        }
    }
);
