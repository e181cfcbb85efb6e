//! The access review: an admin lists who viewed or changed which case, by
//! staff member, case and period, on the admin page and with `relais audit`
//! — on SQLite and PostgreSQL.

use crate::common::browser::main_of;
use crate::common::{engine_test, sql, Engine, TestServer};
use relais::roles::StaffRole;
use std::process::Command;

/// 15 January 2026 at 10:00 in Paris (UTC+1).
const LAST_WINTER: i64 = 1_768_467_600;

async fn start(engine: Engine) -> TestServer {
    TestServer::start_with(engine, &[("RELAIS_SIGN_IN_DELAY_MS", "1")]).await
}

fn relais_audit(server: &TestServer, args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_relais"))
        .arg("audit")
        .args(args)
        .env("RELAIS_DATABASE_URL", &server.config.database_url)
        .env("RELAIS_LOG", "warn")
        .output()
        .expect("relais audit runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

engine_test!(
    an_admin_lists_who_looked_at_which_case_by_staff_case_and_period,
    |engine| async move {
        let server = start(engine).await;
        let (first, _) = server.new_case("REV-1").await;
        let (second, _) = server.new_case("REV-2").await;
        let alice = server.staff("alice", StaffRole::Tracer).await;
        let bruno = server.staff("bruno", StaffRole::Tracer).await;
        let admin = server.staff("admin-rev", StaffRole::Admin).await;
        let (status, _) = alice.open_case(first).await;
        assert_eq!(status.as_u16(), 200);
        bruno.open_case(second).await;
        // A view by alice last winter.
        sql::record_case_view(&server.db, LAST_WINTER, "alice", second).await;

        let journal = |query: &str| {
            let admin = &admin;
            let query = query.to_owned();
            async move {
                let (status, body) = admin.open_journal(&query).await;
                assert_eq!(status.as_u16(), 200, "/equipe/admin/journal{query}");
                main_of(&body)
            }
        };
        let rows = |main: &str| main.matches("<tr>").count() - 1;

        // By staff member: alice's sign-in and two views, not bruno's.
        let main = journal("?agent=Alice").await;
        assert_eq!(rows(&main), 3, "{engine:?}: {main}");
        assert!(main.contains("sign_in"));
        assert!(main.contains("REV-1") && main.contains("REV-2"));
        assert!(!main.contains("bruno"));
        // By case and staff: only bruno's view of the second case.
        let main = journal("?dossier=rev-2&agent=bruno").await;
        assert_eq!(rows(&main), 1, "{engine:?}: {main}");
        assert!(main.contains("view_case") && main.contains("bruno"));
        // By period: only last winter's line.
        let main = journal("?du=01/01/2026&au=2026-01-31").await;
        assert_eq!(rows(&main), 1, "{engine:?}: {main}");
        assert!(main.contains("15 janvier 2026, 10:00"), "{main}");
        // A period that ends the day before: nothing.
        let main = journal("?du=2026-01-16&au=2026-01-31").await;
        assert!(main.contains("Aucune ligne ne correspond"), "{main}");

        // Filters that cannot be read are explained, field by field.
        let main = journal("?du=hier&au=2026-01-01").await;
        assert!(
            main.contains("Saisissez une date comme 01/12/2026."),
            "{main}"
        );
        let main = journal("?du=2026-02-01&au=2026-01-01").await;
        assert!(main.contains("La fin de la période doit venir après son début."));
        let main = journal("?dossier=NOPE-9").await;
        assert!(main.contains("Aucun dossier ne porte cette référence."));

        // Every look at the review is itself recorded, with its filters.
        let reviews = sql::count_reviews(&server.db, "review staff=alice from=* to=*").await;
        assert_eq!(reviews, 1, "{engine:?}");

        // A tracer cannot read it.
        let (_, body) = alice.open_journal("?agent=bruno").await;
        assert!(!main_of(&body).contains("REV-2"), "{engine:?}");

        // The same review from the command line.
        let (code, out, err) = relais_audit(&server, &["--staff", "alice"]);
        assert_eq!(code, 0, "{err}");
        let lines: Vec<&str> = out.lines().skip(1).collect();
        assert_eq!(lines.len(), 3, "{out}");
        assert!(lines.iter().all(|l| l.split('\t').nth(1) == Some("alice")));
        assert!(lines[2].starts_with("2026-01-15T09:00:00Z\talice\tview_case\tREV-2\t"));
        let (code, out, _) = relais_audit(&server, &["--case", "REV-1", "--from", "2026-01-01"]);
        assert_eq!(code, 0);
        assert!(
            out.lines().skip(1).all(|l| l.contains("\tREV-1\t")),
            "{out}"
        );
        assert!(out.lines().count() >= 2, "{out}");
        let (code, _, err) = relais_audit(&server, &["--from", "2026-13-01"]);
        assert_eq!(code, 2, "{err}");
        assert!(err.contains("--from"), "{err}");
        let (code, _, err) = relais_audit(&server, &["--case", "NOPE-9"]);
        assert_eq!(code, 2);
        assert!(err.contains("no case has this reference"), "{err}");
    }
);
