//! A refused answer of the case about themselves comes back filled in from
//! the server (the case's answer draft), never through the address: the
//! situation form (symptoms, onset, vaccination) and the early-release
//! form's result and symptoms — on SQLite and PostgreSQL.

use crate::common::browser::main_of;
use crate::common::{engine_test, january_2022_rules_in_force, TestServer};
use relais_store::cases;
use time::Duration;

engine_test!(
    a_refused_situation_comes_back_filled_in_without_its_answers_in_the_address,
    |engine| async move {
        let server = TestServer::start_with_rules(engine, &[], january_2022_rules_in_force()).await;
        let today = server.db.today_paris();
        // Sampled 6 days ago: the rules of January 2022 ask the vaccination.
        let (id, case) = server
            .signed_in_case_sampled_on("A-1", today - Duration::days(6))
            .await;
        let onset = today - Duration::days(7);
        let (day, month, year) = (
            onset.day().to_string(),
            relais::dates::month_number(onset).to_string(),
            onset.year().to_string(),
        );

        // A day that does not exist: refused, everything typed kept.
        let to = case
            .declare_situation(&[
                ("symptoms", "oui"),
                ("day", "40"),
                ("month", &month),
                ("year", &year),
                ("vaccination", "fully_vaccinated"),
                ("dose", "15/10/2021"),
            ])
            .await;
        assert_eq!(
            to, "/dossier/situation",
            "{engine:?}: nothing in the address"
        );
        let (_, page) = case.page(&to).await;
        let main = main_of(&page);
        assert!(main.contains("error-summary"), "{main}");
        assert!(
            main.contains("Le jour doit être un nombre entre 1 et 31"),
            "{main}"
        );
        for filled in [
            "<input id=\"symptoms-yes\" type=\"radio\" name=\"symptoms\" value=\"oui\" checked>",
            "<input id=\"onset-day\" name=\"day\" type=\"text\" inputmode=\"numeric\" size=\"2\" maxlength=\"2\" value=\"40\">",
            &format!("name=\"month\" type=\"text\" inputmode=\"numeric\" size=\"2\" maxlength=\"2\" value=\"{month}\">"),
            &format!("name=\"year\" type=\"text\" inputmode=\"numeric\" size=\"4\" maxlength=\"4\" value=\"{year}\">"),
            "<input id=\"case-vaccination\" type=\"radio\" name=\"vaccination\" value=\"fully_vaccinated\" checked>",
            "value=\"15/10/2021\"",
        ] {
            assert!(main.contains(filled), "{engine:?} {filled}: {main}");
        }
        let draft = cases::load_answer_draft(&server.db, id).await.unwrap();
        assert!(
            draft
                .as_deref()
                .is_some_and(|d| d.contains("fully_vaccinated")),
            "{draft:?}"
        );
        let situation = cases::situation_of(&server.db, id).await.unwrap().unwrap();
        assert_eq!(situation.symptom_onset, None, "nothing saved");
        assert_eq!(situation.vaccination, relais::VaccinationStatus::Unknown);

        // The vaccination without its date: refused on it, still nothing in
        // the address, the onset kept as typed.
        let to = case
            .declare_situation(&[
                ("symptoms", "oui"),
                ("day", &day),
                ("month", &month),
                ("year", &year),
                ("vaccination", "fully_vaccinated"),
                ("dose", ""),
            ])
            .await;
        assert_eq!(to, "/dossier/situation");
        let (_, page) = case.page(&to).await;
        let main = main_of(&page);
        assert!(main.contains("Indiquez la date"), "{main}");
        assert!(
            main.contains(&format!("id=\"onset-day\" name=\"day\" type=\"text\" inputmode=\"numeric\" size=\"2\" maxlength=\"2\" value=\"{day}\"")),
            "{main}"
        );
        assert!(
            main.contains("value=\"fully_vaccinated\" checked"),
            "{main}"
        );

        // Saved: the draft is gone, the page shows what was said, no error.
        let to = case
            .declare_situation(&[
                ("symptoms", "oui"),
                ("day", &day),
                ("month", &month),
                ("year", &year),
                ("vaccination", "not_vaccinated"),
                ("dose", ""),
            ])
            .await;
        assert_eq!(to, "/dossier", "{engine:?}");
        assert_eq!(
            cases::load_answer_draft(&server.db, id).await.unwrap(),
            None
        );
        let situation = cases::situation_of(&server.db, id).await.unwrap().unwrap();
        assert_eq!(situation.symptom_onset, Some(onset));
        assert_eq!(
            situation.vaccination,
            relais::VaccinationStatus::NotVaccinated
        );
        let (_, page) = case.page("/dossier/situation").await;
        let main = main_of(&page);
        assert!(!main.contains("error-summary"), "{main}");
        assert!(main.contains("value=\"not_vaccinated\" checked"), "{main}");
        assert!(!main.contains("value=\"40\""), "{main}");
    }
);

engine_test!(
    a_refused_release_test_keeps_its_result_and_symptoms_on_the_server,
    |engine| async move {
        let server = TestServer::start_with_rules(engine, &[], january_2022_rules_in_force()).await;
        let today = server.db.today_paris();
        let (id, case) = server
            .signed_in_case_sampled_on("A-2", today - Duration::days(6))
            .await;
        // No date: refused; the result and the symptoms come back from the
        // draft, the address carries only the error and the date typed.
        let to = case
            .post_form(
                "/api/case/release-test",
                &[
                    ("day", ""),
                    ("month", ""),
                    ("year", ""),
                    ("result", "positive"),
                    ("symptom_free", "oui"),
                ],
            )
            .await;
        assert!(
            to.starts_with("/dossier?champ=release-day&erreur=date_missing"),
            "{to}"
        );
        for answer in ["positive", "symptom", "oui", "sans", "resultat"] {
            assert!(!to.contains(answer), "{engine:?}: {answer} in {to}");
        }
        let (_, page) = case.page(&to).await;
        let main = main_of(&page);
        assert!(main.contains("Indiquez la date"), "{main}");
        assert!(
            main.contains("<input id=\"release-result-positive\" type=\"radio\" name=\"result\" value=\"positive\" checked>"),
            "{engine:?}: {main}"
        );
        assert!(
            main.contains("<input id=\"release-symptom-free\" type=\"checkbox\" name=\"symptom_free\" value=\"oui\" checked>"),
            "{engine:?}: {main}"
        );
        // Recorded: the draft is forgotten.
        let day5 = today - Duration::days(1);
        let to = case
            .post_form(
                "/api/case/release-test",
                &[
                    ("day", &day5.day().to_string()),
                    ("month", &relais::dates::month_number(day5).to_string()),
                    ("year", &day5.year().to_string()),
                    ("result", "negative"),
                    ("symptom_free", "oui"),
                ],
            )
            .await;
        assert_eq!(to, "/dossier#isolation");
        assert_eq!(
            cases::load_answer_draft(&server.db, id).await.unwrap(),
            None
        );
    }
);
