//! The case's contact form asks what the rules in force use: under the
//! rules of January 2022 (made current), a child's age band and a contact's
//! vaccination as the case knows it are stored, read back into the form,
//! and change what the list says each contact will be told; under the rules
//! of 2020 they are not asked — on SQLite and PostgreSQL.

use crate::common::{engine_test, january_2022_rules_in_force, sql, TestServer};
use relais::ids::CaseId;
use relais::{AgeBand, VaccinationStatus};
use time::Duration;

engine_test!(
    a_childs_age_and_a_contacts_vaccination_are_asked_and_kept_under_rules_that_use_them,
    |engine| async move {
        let server = TestServer::start_with_rules(engine, &[], january_2022_rules_in_force()).await;
        let (case_id, case) = server.signed_in_case("FACTS-1").await;
        let today = server.db.today_paris();
        let yesterday = today - Duration::days(1);
        sql::set_sample_and_onset(
            &server.db,
            case_id,
            &yesterday.to_string(),
            &(today - Duration::days(2)).to_string(),
        )
        .await;
        let (day, month, year) = (
            yesterday.day().to_string(),
            relais::dates::month_number(yesterday).to_string(),
            yesterday.year().to_string(),
        );
        // The form asks both facts under these rules.
        let (_, body) = case.page("/dossier/contacts/nouveau").await;
        assert!(body.contains(r#"name="under_12""#), "{engine:?}");
        assert!(body.contains(r#"name="vaccination""#), "{engine:?}");
        // The last dose is left to the contact's own page.
        assert!(!body.contains(r#"name="dose_day""#), "{engine:?}");
        // A child under 12, and a vaccinated colleague (last dose 60 days ago).
        let child = [
            ("first_name", "Lina"),
            ("relationship", "family"),
            ("day", day.as_str()),
            ("month", month.as_str()),
            ("year", year.as_str()),
            ("minor", "oui"),
            ("under_12", "oui"),
            ("guardian_phone", "06 39 98 01 19"),
            ("phone", "06 39 98 01 18"),
        ];
        let to = case.add_contact(&child).await;
        assert!(
            to.starts_with("/dossier/contacts#item-"),
            "{engine:?}: {to}"
        );
        let dose = today - Duration::days(60);
        let (dd, dm, dy) = (
            dose.day().to_string(),
            relais::dates::month_number(dose).to_string(),
            dose.year().to_string(),
        );
        let colleague = [
            ("first_name", "Camille"),
            ("day", day.as_str()),
            ("month", month.as_str()),
            ("year", year.as_str()),
            ("vaccination", "fully_vaccinated"),
            ("dose_day", dd.as_str()),
            ("dose_month", dm.as_str()),
            ("dose_year", dy.as_str()),
            ("phone", "06 39 98 01 17"),
        ];
        let to = case.add_contact(&colleague).await;
        assert!(
            to.starts_with("/dossier/contacts#item-"),
            "{engine:?}: {to}"
        );
        // A date of a dose in the future is refused on its field.
        let tomorrow = today + Duration::days(1);
        let (td, tm, ty) = (
            tomorrow.day().to_string(),
            relais::dates::month_number(tomorrow).to_string(),
            tomorrow.year().to_string(),
        );
        let mut bad = colleague.to_vec();
        bad.retain(|(k, _)| !k.starts_with("dose_"));
        bad.extend([
            ("dose_day", td.as_str()),
            ("dose_month", tm.as_str()),
            ("dose_year", ty.as_str()),
        ]);
        bad.push(("first_name", "Zoé"));
        let to = case.add_contact(&bad).await;
        assert_eq!(to, "/dossier/contacts/nouveau", "{engine:?}: refused, kept");
        let (_, refused) = case.page(&to).await;
        assert!(
            refused.contains("#dose-day"),
            "{engine:?}: the error names the field"
        );

        let stored = relais_store::contacts::list_contacts(&server.db, CaseId(case_id))
            .await
            .unwrap();
        assert_eq!(stored.len(), 2, "{engine:?}");
        let lina = stored
            .iter()
            .find(|c| c.input.first_name == "Lina")
            .unwrap();
        assert_eq!(lina.input.exposure.age_band, AgeBand::Under12);
        assert!(lina.input.exposure.minor);
        let camille = stored
            .iter()
            .find(|c| c.input.first_name == "Camille")
            .unwrap();
        assert_eq!(
            camille.input.exposure.vaccination,
            VaccinationStatus::FullyVaccinated
        );
        assert_eq!(camille.input.exposure.last_dose, Some(dose));
        assert_eq!(camille.input.exposure.age_band, AgeBand::Adult);
        // Both are spared the quarantine, and the list says so, with the
        // tests "on the day they are told" (not told yet).
        let (_, list) = case.page("/dossier/contacts").await;
        assert_eq!(
            list.matches("Pas de quarantaine.").count(),
            2,
            "{engine:?}: {list}"
        );
        assert!(
            list.contains("le jour où la personne est prévenue"),
            "{engine:?}"
        );
        // The form shows what was stored.
        let (_, form) = case.page(&format!("/dossier/contacts/{}", lina.id)).await;
        let at = form.find(r#"id="under-12""#).expect("the under-12 box");
        let start = form[..at].rfind('<').unwrap_or(0);
        let end = at + form[at..].find('>').unwrap_or(0);
        assert!(
            form[start..end].contains("checked"),
            "{engine:?}: {}",
            &form[start..=end]
        );
    }
);

engine_test!(
    the_rules_of_2020_never_ask_a_contacts_vaccination_or_age_band,
    |engine| async move {
        let server = TestServer::start(engine).await;
        let (_, case) = server.signed_in_case("FACTS-2").await;
        let (_, body) = case.page("/dossier/contacts/nouveau").await;
        assert!(body.contains(r#"name="minor""#), "{engine:?}");
        assert!(!body.contains(r#"name="under_12""#), "{engine:?}");
        assert!(!body.contains(r#"name="vaccination""#), "{engine:?}");
    }
);
