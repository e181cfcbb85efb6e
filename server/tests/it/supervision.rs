//! The supervisors' dashboard and clusters: the figures of a hand-made
//! dataset (common/dataset.rs) on the page and in the CSV, on SQLite and
//! PostgreSQL; who may see them.

use crate::common::browser::main_of;
use crate::common::{dataset, engine_test, sql, Engine, TestServer};
use relais::roles::StaffRole;
use time::Duration;

async fn start(engine: Engine) -> TestServer {
    TestServer::start_with(engine, &[("RELAIS_SIGN_IN_DELAY_MS", "1")]).await
}

/// The cells of the CSV line that starts with `first`.
fn csv_line<'a>(csv: &'a str, first: &str) -> Vec<&'a str> {
    csv.lines()
        .find(|l| l.split(',').next() == Some(first))
        .unwrap_or_else(|| panic!("no line {first} in\n{csv}"))
        .split(',')
        .collect()
}

engine_test!(
    the_dashboard_counts_a_hand_made_dataset_by_day_and_over_the_period,
    |engine| async move {
        let server = start(engine).await;
        let today = server.db.today_paris();
        let d = today - Duration::days(3);
        dataset::write(&server.db, d, "Figures", 11).await;
        let saved = relais_store::figures::refresh_recent(&server.db, today)
            .await
            .expect("refresh");
        assert_eq!(saved.days, 14, "{engine:?}: the 14 recent days");
        let (known, _) = relais_store::figures::figures_between(
            &server.db,
            relais_store::scope::Scope::whole_country(),
            d,
            d + Duration::days(1),
        )
        .await
        .unwrap();
        let (expected_d, expected_next) = dataset::expected(d);
        assert_eq!(known, vec![expected_d, expected_next], "{engine:?}");

        let supervisor = server.staff("sup-fig", StaffRole::Supervisor).await;
        let period = format!("?du={}&au={}", relais::dates::dmy(d), d + Duration::days(1));
        // The CSV: one line per day and the total.
        let response = supervisor
            .get(&format!("/equipe/supervision/chiffres.csv{period}"))
            .await;
        assert_eq!(response.status().as_u16(), 200);
        assert!(response.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/csv"));
        let csv = response.text().await.unwrap();
        assert_eq!(csv.lines().count(), 4, "{csv}");
        let header: Vec<&str> = csv.lines().next().unwrap().split(',').collect();
        let cell = |line: &[&str], name: &str| {
            let i = header.iter().position(|h| *h == name).expect(name);
            line[i].to_owned()
        };
        let line = csv_line(&csv, &d.to_string());
        // 38 and 57 hours, but for a change of the clocks in between.
        let (expected_d, _) = dataset::expected(d);
        let median = expected_d.sample_to_call.median().unwrap().to_string();
        let p90 = expected_d.sample_to_call.p90().unwrap().to_string();
        for (name, value) in [
            ("cases", "3"),
            ("contacts_declared", "4"),
            ("contacts_validated", "2"),
            ("cases_called", "3"),
            ("cases_listed_before_call", "1"),
            ("cases_reached", "2"),
            ("contacts_to_notify", "2"),
            ("contacts_reached", "1"),
            ("cases_without_contact", "1"),
            ("second_calls", "1"),
            ("sms_sent", "3"),
            ("sms_failed", "1"),
            ("sms_replied", "2"),
            ("sample_to_call_median_h", median.as_str()),
            ("sample_to_call_p90_h", p90.as_str()),
            ("call_to_notified_median_h", "4"),
        ] {
            assert_eq!(cell(&line, name), value, "{engine:?}: {name}");
        }
        let total = csv_line(&csv, "total");
        assert_eq!(cell(&total, "cases"), "4");
        assert_eq!(cell(&total, "contacts_declared"), "5");
        assert_eq!(cell(&total, "cases_without_contact"), "1");
        assert_eq!(cell(&total, "contacts_per_case"), "1.25");

        // The page: totals, charts and the table by day.
        let (status, body) = supervisor
            .page(&format!("/equipe/supervision{period}"))
            .await;
        assert_eq!(status.as_u16(), 200);
        let main = main_of(&body);
        assert_eq!(main.matches("<svg").count(), 4, "{main}");
        assert!(main.contains(&format!("{median} h / {p90} h")), "{main}");
        // 1 of the 3 cases called had sent their list before the call.
        assert!(main.contains("33,3 %"), "{main}");
        assert!(
            !main.contains("Figures"),
            "no personal data on the dashboard"
        );

        // Clusters: the café three cases declared, over the default period
        // (the last 14 days), computed now from the places…
        let clusters = |path: &'static str| {
            let supervisor = &supervisor;
            async move {
                let (status, body) = supervisor.page(path).await;
                assert_eq!(status.as_u16(), 200);
                main_of(&body)
            }
        };
        let default_period = "/equipe/supervision/foyers";
        let main = clusters(default_period).await;
        assert_eq!(main.matches("<tr>").count(), 2, "{engine:?}: {main}");
        assert!(main.contains("Café de la Gare Figures"), "{main}");
        assert!(!main.contains("Chez un ami"), "{main}");
        // …or kept by the background job: the page then reads them, not the
        // places (here deleted behind its back); another period reads them.
        let kept = relais_store::clusters::refresh_recent(&server.db, today)
            .await
            .unwrap();
        assert_eq!(kept, 1);
        sql::delete_all_places(&server.db).await;
        let main = clusters(default_period).await;
        assert_eq!(main.matches("<tr>").count(), 2, "{engine:?}: {main}");
        assert!(main.contains("Café de la Gare Figures") && main.contains("calculés le"));
        let main = clusters("/equipe/supervision/foyers?du=01/11/2026").await;
        assert!(main.contains("Aucun foyer"), "{engine:?}: {main}");
        relais_store::clusters::forget_recent(&server.db)
            .await
            .unwrap();
        assert!(clusters(default_period).await.contains("Aucun foyer"));

        // A tracer may see neither; without a session, the CSV says so.
        let tracer = server.staff("tra-fig", StaffRole::Tracer).await;
        let (status, _) = tracer.page("/equipe/supervision").await;
        assert_eq!(status.as_u16(), 403);
        let status = tracer
            .get("/equipe/supervision/chiffres.csv")
            .await
            .status();
        assert_eq!(status.as_u16(), 403);
        let status = server
            .browser()
            .get("/equipe/supervision/chiffres.csv")
            .await
            .status();
        assert_eq!(status.as_u16(), 401);
        // A wrong period is explained on the page, refused by the CSV.
        let (status, body) = supervisor
            .page("/equipe/supervision?du=2026-12-10&au=2026-12-01")
            .await;
        assert_eq!(status.as_u16(), 200);
        assert!(main_of(&body).contains("La fin de la période"), "{body}");
        let status = supervisor
            .get("/equipe/supervision/chiffres.csv?du=hier")
            .await
            .status();
        assert_eq!(status.as_u16(), 400);
    }
);

engine_test!(
    a_vaccinated_contact_without_quarantine_counts_among_the_contacts,
    |engine| async move {
        let server = TestServer::start_with_rules(
            engine,
            &[("RELAIS_SIGN_IN_DELAY_MS", "1")],
            crate::common::january_2022_rules_in_force(),
        )
        .await;
        let today = server.db.today_paris();
        // Sampled two days ago without symptoms (J0); a colleague met face
        // to face the day before, fully vaccinated as the case says: under
        // the rules of January 2022, at risk, no quarantine, tests only.
        let (case_id, case) = server
            .signed_in_case_sampled_on("NQ-1", today - Duration::days(2))
            .await;
        let met = today - Duration::days(3);
        let (day, month, year) = (
            met.day().to_string(),
            relais::dates::month_number(met).to_string(),
            met.year().to_string(),
        );
        let to = case
            .add_contact(&[
                ("day", &day),
                ("month", &month),
                ("year", &year),
                ("vaccination", "fully_vaccinated"),
            ])
            .await;
        assert!(to.starts_with("/dossier/contacts#item-"), "{to}");
        assert_eq!(case.submit().await, "/dossier/envoyee");
        let stored = relais_store::contacts::list_contacts(&server.db, case_id)
            .await
            .unwrap();
        assert_eq!(stored.len(), 1);
        let situation = relais_store::cases::situation_of(&server.db, case_id)
            .await
            .unwrap()
            .unwrap();
        let rules = crate::common::january_2022_rules_in_force();
        let assessed =
            relais::rules::assess(&rules, &situation).assess_contact(&stored[0].input.exposure);
        assert!(assessed.classification.is_at_risk(), "{assessed:?}");
        let quarantine = assessed.quarantine.expect("measures");
        assert_eq!(quarantine.last_day, None, "no quarantine: {quarantine:?}");
        assert!(!quarantine.tests.is_empty(), "tests, dated once told");

        // A tracer validates the list: the contact is told.
        let tracer = server.staff("tra-nq", StaffRole::Tracer).await;
        let version = sql::case_version(&server.db, case_id.get()).await;
        let to = tracer.validate(case_id.get(), version).await;
        assert!(to.contains("ok=validated&n=1"), "{engine:?}: {to}");

        // The day's figures count them: declared, validated, to notify.
        relais_store::figures::refresh_recent(&server.db, today)
            .await
            .expect("refresh");
        let supervisor = server.staff("sup-nq", StaffRole::Supervisor).await;
        let period = format!("?du={}&au={}", relais::dates::dmy(today), today);
        let csv = supervisor
            .get(&format!("/equipe/supervision/chiffres.csv{period}"))
            .await
            .text()
            .await
            .unwrap();
        let header: Vec<&str> = csv.lines().next().unwrap().split(',').collect();
        let line = csv_line(&csv, &today.to_string());
        let cell = |name: &str| {
            let i = header.iter().position(|h| *h == name).expect(name);
            line[i].to_owned()
        };
        for (name, value) in [
            ("cases", "1"),
            ("contacts_declared", "1"),
            ("contacts_validated", "1"),
            ("contacts_to_notify", "1"),
            ("cases_without_contact", "0"),
        ] {
            assert_eq!(cell(name), value, "{engine:?}: {name}\n{csv}");
        }
        let (status, body) = supervisor
            .page(&format!("/equipe/supervision{period}"))
            .await;
        assert_eq!(status.as_u16(), 200);
        let main = main_of(&body);
        let row = format!(
            "<th scope=\"row\">{}</th><td>1</td><td>1</td><td>1</td>",
            relais::dates::dmy(today)
        );
        assert!(main.contains(&row), "{engine:?}: {row} in {main}");
    }
);

engine_test!(
    one_node_refreshes_the_figures_of_each_period,
    |engine| async move {
        let database = crate::common::fresh_database(engine).await;
        let every = std::time::Duration::from_secs(300);
        // Two nodes on one database, their clocks 20 s into a period.
        let start = 1_800_000_000 / 300 * 300 + 20;
        let mut nodes = Vec::new();
        for _ in 0..2 {
            let clock = relais_store::Clock::system();
            clock.set(start);
            let db = relais_store::Db::connect(&database.url)
                .await
                .expect("a node's pool")
                .with_clock(clock);
            nodes.push(db);
        }
        let claim = |node: usize| {
            let db = nodes[node].clone();
            async move {
                relais_server::jobs::claim_refresh(&db, every)
                    .await
                    .expect("claim")
            }
        };
        assert!(claim(0).await, "{engine:?}: the first node of the period");
        assert!(!claim(1).await, "{engine:?}: the period is taken");
        nodes[0].clock().advance(Duration::seconds(250));
        assert!(!claim(0).await, "{engine:?}: a period is refreshed once");
        // The next period: the first to come refreshes.
        for node in &nodes {
            node.clock().set(start + 300);
        }
        assert!(claim(1).await, "{engine:?}: the next period");
        assert!(!claim(0).await, "{engine:?}: the next period is taken");
        for node in &nodes {
            node.close().await;
        }
    }
);
