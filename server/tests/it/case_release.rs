//! The case's vaccination and early release under the rules of January
//! 2022 (made current by an operator file), and a case under the rules of
//! 2020 never asked — on SQLite and PostgreSQL.

use crate::common::browser::main_of;
use crate::common::citizen::BIRTH;
use crate::common::{engine_test, january_2022_rules_in_force, today, TestServer};
use relais::dates::long_date;
use relais::Lang;
use relais_store::cases::{self, NewCase};
use time::{Date, Duration};

fn d(date: Date) -> String {
    long_date(date, Lang::Fr)
}

/// The three fields of a date, as typed.
fn fields(date: Date) -> (String, String, String) {
    (
        date.day().to_string(),
        relais::dates::month_number(date).to_string(),
        date.year().to_string(),
    )
}

engine_test!(
    a_vaccinated_case_may_end_isolation_on_day_5_with_a_negative_test,
    |engine| async move {
        let server = TestServer::start_with_rules(engine, &[], january_2022_rules_in_force()).await;
        // Tested 6 days ago, no symptoms: J0 is the sample.
        let j0 = today() - Duration::days(6);
        let id = cases::create_case(
            &server.db,
            &NewCase {
                reference: "R-1".to_owned(),
                lab_reference: None,
                first_name: "Gaspard".to_owned(),
                last_name: "Zyxwvutsky".to_owned(),
                birth_date: "1961-07-14".to_owned(),
                phone: "+33639980001".to_owned(),
                lang: Lang::Fr,
                sample_date: j0.to_string(),
                test_type: "pcr".to_owned(),
                symptom_onset: None,
                departement: None,
            },
        )
        .await
        .unwrap();
        let token = cases::issue_case_link(&server.db, id).await.unwrap().token;
        let case = server.browser();
        case.sign_in(&token).await;
        assert_eq!(BIRTH.2, "1961");

        // The situation page asks the vaccination under these rules.
        let (_, page) = case.page("/dossier/situation").await;
        assert!(page.contains("name=\"vaccination\""), "{engine:?}");
        // Required: fully vaccinated without the last dose's date.
        let back = case
            .declare_situation(&[
                ("symptoms", "non"),
                ("day", ""),
                ("month", ""),
                ("year", ""),
                ("vaccination", "fully_vaccinated"),
            ])
            .await;
        assert_eq!(back, "/dossier/situation");
        let (_, page) = case.page(&back).await;
        assert!(main_of(&page).contains("Indiquez la date"), "{engine:?}");

        let dose = fields(today() - Duration::days(90));
        let to = case
            .declare_situation(&[
                ("symptoms", "non"),
                ("day", ""),
                ("month", ""),
                ("year", ""),
                ("vaccination", "fully_vaccinated"),
                ("dose_day", &dose.0),
                ("dose_month", &dose.1),
                ("dose_year", &dose.2),
            ])
            .await;
        assert_eq!(to, "/dossier", "{engine:?}");
        let situation = cases::situation_of(&server.db, id).await.unwrap().unwrap();
        assert_eq!(
            situation.vaccination,
            relais::VaccinationStatus::FullyVaccinated
        );
        assert_eq!(situation.last_dose, Some(today() - Duration::days(90)));

        // 7 days (J0 + 7), an early release from J0 + 5, the rules' date.
        let (_, page) = case.page("/dossier").await;
        let main = main_of(&page);
        assert!(main.contains(&d(j0 + Duration::days(7))), "{main}");
        assert!(
            main.contains(&format!(
                "Vous pouvez sortir de l'isolement le {}",
                d(j0 + Duration::days(5))
            )),
            "{main}"
        );
        assert!(main.contains("Règles en vigueur depuis le"), "{main}");
        assert!(main.contains("id=\"release-form\""));

        let post = |date: Date, result: &'static str, symptom_free: bool| {
            let case = &case;
            async move {
                let (day, month, year) = fields(date);
                let mut form = vec![
                    ("day", day.as_str()),
                    ("month", month.as_str()),
                    ("year", year.as_str()),
                    ("result", result),
                ];
                if symptom_free {
                    form.push(("symptom_free", "oui"));
                }
                let to = case.post_form("/api/case/release-test", &form).await;
                let (_, page) = case.page(&to).await;
                (to, main_of(&page))
            }
        };

        // A negative test on day 5 without symptoms: the isolation ends then.
        let day5 = j0 + Duration::days(5);
        let (to, main) = post(day5, "negative", true).await;
        assert_eq!(to, "/dossier#isolation");
        assert!(
            main.contains(&format!("Votre isolement se termine le {} inclus", d(day5))),
            "{engine:?} {main}"
        );
        assert!(main.contains("data-decision=\"released\""));

        // Positive: the full isolation stays, with the reason.
        let (_, main) = post(day5, "positive", true).await;
        assert!(
            main.contains(&format!(
                "Restez isolé jusqu'au {} inclus",
                d(j0 + Duration::days(7))
            )),
            "{main}"
        );
        assert!(
            main.contains(&format!(
                "Votre test est positif : votre isolement continue jusqu'au {} inclus",
                d(j0 + Duration::days(7))
            )),
            "{main}"
        );

        // Negative but with symptoms: stays.
        let (_, main) = post(day5, "negative", false).await;
        assert!(main.contains("data-decision=\"symptoms\""), "{main}");

        // Before day 5: too early, from day 5.
        let (_, main) = post(j0 + Duration::days(4), "negative", true).await;
        assert!(main.contains("data-decision=\"too_early\""), "{main}");
        assert!(main.contains(&format!("à partir du {}", d(day5))), "{main}");

        // Errors tied to their fields; nothing saved.
        let to = case
            .post_form(
                "/api/case/release-test",
                &[
                    ("day", ""),
                    ("month", ""),
                    ("year", ""),
                    ("result", "negative"),
                ],
            )
            .await;
        assert!(
            to.starts_with("/dossier?champ=release-day&erreur=date_missing"),
            "{to}"
        );
        let (_, page) = case.page(&to).await;
        assert!(main_of(&page).contains("Indiquez la date"));
        let before_j0 = fields(j0 - Duration::days(1));
        let to = case
            .post_form(
                "/api/case/release-test",
                &[
                    ("day", &before_j0.0),
                    ("month", &before_j0.1),
                    ("year", &before_j0.2),
                    ("result", "negative"),
                ],
            )
            .await;
        assert!(to.contains("erreur=release_before_j0"), "{to}");
        let situation = cases::situation_of(&server.db, id).await.unwrap().unwrap();
        assert_eq!(
            situation.release_test.map(|t| t.sampled_on),
            Some(j0 + Duration::days(4))
        );
    }
);

engine_test!(
    a_case_under_the_rules_of_2020_is_never_asked_its_vaccination,
    |engine| async move {
        // Today's shipped sets; the test case's J0 is in November 2020.
        let server = TestServer::start(engine).await;
        let (id, case) = server.signed_in_case("R-2020").await;
        let (_, page) = case.page("/dossier/situation").await;
        assert!(main_of(&page).contains("name=\"symptoms\""));
        assert!(!page.contains("name=\"vaccination\""), "{engine:?}");
        let (_, page) = case.page("/dossier").await;
        assert!(!page.contains("release-form"), "no early release in 2020");
        // What is posted anyway is ignored.
        let to = case
            .declare_situation(&[
                ("symptoms", "oui"),
                ("day", "14"),
                ("month", "11"),
                ("year", "2020"),
                ("vaccination", "fully_vaccinated"),
            ])
            .await;
        assert_eq!(to, "/dossier", "{engine:?}");
        let situation = cases::situation_of(&server.db, relais::ids::CaseId(id))
            .await
            .unwrap()
            .unwrap();
        assert_eq!(situation.vaccination, relais::VaccinationStatus::Unknown);
    }
);

/// The group of date fields `prefix` of a page, as rendered: from its
/// fieldset to the end of it.
fn date_group(page: &str, prefix: &str) -> String {
    let start = page
        .find(&format!(
            "<fieldset role=\"group\" aria-describedby=\"{prefix}-hint\""
        ))
        .unwrap_or_else(|| panic!("no date fields {prefix}: {page}"));
    let end = start + page[start..].find("</fieldset>").expect("closed");
    page[start..end].to_owned()
}

/// The markup of a date group, with its legend (`<legend>` or
/// `<legend class="legend-large">`), its hint, and what was typed.
fn expected_date_group(
    prefix: &str,
    legend: &str,
    hint: &str,
    error: &str,
    typed: (&str, &str, &str),
) -> String {
    let (day, month, year) = typed;
    format!(
        "<fieldset role=\"group\" aria-describedby=\"{prefix}-hint\" class=\"fieldset\">\
         {legend}<p id=\"{prefix}-hint\" class=\"hint\">{hint}</p>{error}\
         <div class=\"date-input\">\
         <div class=\"date-item\"><label for=\"{prefix}-day\">Jour</label>\
         <input id=\"{prefix}-day\" name=\"day\" type=\"text\" inputmode=\"numeric\" size=\"2\" maxlength=\"2\" value=\"{day}\"></div>\
         <div class=\"date-item\"><label for=\"{prefix}-month\">Mois</label>\
         <input id=\"{prefix}-month\" name=\"month\" type=\"text\" inputmode=\"numeric\" size=\"2\" maxlength=\"2\" value=\"{month}\"></div>\
         <div class=\"date-item date-item-year\"><label for=\"{prefix}-year\">Année</label>\
         <input id=\"{prefix}-year\" name=\"year\" type=\"text\" inputmode=\"numeric\" size=\"4\" maxlength=\"4\" value=\"{year}\"></div>\
         </div>"
    )
}

engine_test!(
    the_case_date_fields_keep_their_labels_names_and_ids,
    |engine| async move {
        let server = TestServer::start_with_rules(engine, &[], january_2022_rules_in_force()).await;
        let (_, case) = server.signed_in_case("R-3").await;
        // The case's J0 is in 2020; the situation page asks its onset, and
        // shows it again, refused, as typed.
        let to = case
            .declare_situation(&[
                ("symptoms", "oui"),
                ("day", "40"),
                ("month", "1"),
                ("year", "2022"),
            ])
            .await;
        let (_, page) = case.page(&to).await;
        let main = main_of(&page);
        assert_eq!(
            date_group(&main, "onset"),
            expected_date_group(
                "onset",
                "<legend class=\"legend-large\">Si oui, quel jour les symptômes ont-ils commencé ?</legend>",
                "Par exemple : 14 11 2020. Si vous ne savez pas exactement, donnez le jour le plus probable.",
                "<p class=\"error-message\">Le jour doit être un nombre entre 1 et 31</p>",
                ("40", "1", "2022"),
            ),
            "{engine:?}"
        );
        assert_eq!(main.matches(">Jour</label>").count(), 1, "one date a page");

        // Under the rules of January 2022, a case sampled 6 days ago sees
        // the early-release form: its legend is a plain one.
        let j0 = today() - Duration::days(6);
        let (_, case) = server.signed_in_case_sampled_on("R-4", j0).await;
        for (path, error, typed) in [
            ("/dossier", "<!>", ("", "", "")),
            (
                "/dossier?champ=release-day&erreur=date_missing&j=&m=3&a=2022",
                "<p class=\"error-message\">Indiquez la date</p>",
                ("", "3", "2022"),
            ),
        ] {
            let (_, page) = case.page(path).await;
            let main = main_of(&page);
            assert_eq!(
                date_group(&main, "release"),
                expected_date_group(
                    "release",
                    "<legend>Quel jour avez-vous fait le prélèvement ?</legend>",
                    "Par exemple : 12 1 2022",
                    error,
                    typed,
                ),
                "{engine:?} {path}"
            );
            assert_eq!(main.matches(">Jour</label>").count(), 1, "one date a page");
        }
    }
);
