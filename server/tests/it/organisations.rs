//! Organisations (issue 18): two funds (Oise, Somme) and the national
//! organisation. Each fund's staff see only their territories' cases in
//! every list, page, search, export and figure; a case outside the scope
//! is "not found" (404) for every staff function that takes a case, and
//! nothing changes; a lend moves 100 cases to the other fund and back; the
//! operator's `relais org` and `--org` — on SQLite and PostgreSQL.

use crate::common::browser::{location, main_of, Browser};
use crate::common::command::{relais, text};
use crate::common::{engine_test, sql, Engine, TestServer};
use crate::desk::{fingerprint, staff_functions};
use crate::export::{case_with_contacts, get};
use relais::ids::OrganisationId;
use relais::organisation::{NewOrganisation, OrganisationKind};
use relais::roles::StaffRole;
use relais_store::api_keys::{create_key, ApiRight};
use serde_json::Value;
use std::process::Command;
use time::Duration;

async fn start(engine: Engine) -> TestServer {
    TestServer::start_with(engine, &[("RELAIS_SIGN_IN_DELAY_MS", "1")]).await
}

/// Creates a fund covering `departement`.
async fn fund(server: &TestServer, name: &str, departement: &str) -> OrganisationId {
    let new = NewOrganisation::new(
        OrganisationKind::Fund,
        name,
        vec![departement.parse().expect("a département")],
    )
    .expect("a fund");
    relais_store::organisations::create(&server.db, &new)
        .await
        .expect("fund created")
}

/// The two funds and a case with a validated list in each.
struct Two {
    server: TestServer,
    oise: OrganisationId,
    somme: OrganisationId,
    oise_case: i64,
    somme_case: i64,
}

async fn two_funds(engine: Engine) -> Two {
    let server = start(engine).await;
    let oise = fund(&server, "CPAM de l'Oise", "60").await;
    let somme = fund(&server, "CPAM de la Somme", "80").await;
    let oise_case = case_with_contacts(&server, "ORG-60-OISE", &["06 39 98 02 10"], true).await;
    sql::set_case_departement(&server.db, oise_case, "60").await;
    let somme_case = case_with_contacts(&server, "ORG-80-SOMME", &["06 39 98 02 11"], true).await;
    sql::set_case_departement(&server.db, somme_case, "80").await;
    Two {
        server,
        oise,
        somme,
        oise_case,
        somme_case,
    }
}

/// The staff functions that take a case, with their forms for `case`.
async fn case_functions(
    server: &TestServer,
    case: i64,
) -> Vec<(&'static str, Vec<(String, String)>)> {
    let contact = sql::contact_ids(&server.db, case).await[0].to_string();
    let version = sql::case_version(&server.db, case).await.to_string();
    staff_functions(&case.to_string(), &version, &contact)
        .into_iter()
        .filter(|(_, form, role)| {
            *role == StaffRole::Tracer
                && form
                    .iter()
                    .any(|(k, _)| matches!(*k, "id" | "case" | "case_id"))
        })
        .map(|(path, form, _)| {
            (
                path,
                form.into_iter().map(|(k, v)| (k.to_owned(), v)).collect(),
            )
        })
        .collect()
}

engine_test!(
    each_fund_sees_only_its_cases_and_others_are_not_found,
    |engine| async move {
        let Two {
            server,
            oise,
            somme,
            oise_case,
            somme_case,
        } = two_funds(engine).await;
        let oise_tracer = server.staff_in("oise-t", StaffRole::Tracer, oise).await;
        let somme_tracer = server.staff_in("somme-t", StaffRole::Tracer, somme).await;
        let national = server.staff("nat-t", StaffRole::Tracer).await;

        // The queues (cases waiting for their first call) and the search
        // (every queue, the validated cases included).
        for (reference, departement) in [("ORG-OQ", "60"), ("ORG-SQ", "80")] {
            let (id, _) = server.new_case(reference).await;
            sql::set_case_departement(&server.db, id, departement).await;
        }
        for (browser, mine, theirs) in [
            (&oise_tracer, "ORG-OQ", "ORG-SQ"),
            (&somme_tracer, "ORG-SQ", "ORG-OQ"),
        ] {
            let (_, queue) = browser.page("/equipe").await;
            assert!(
                queue.contains(mine) && !queue.contains(theirs),
                "{engine:?}: {}",
                main_of(&queue)
            );
        }
        let (_, queue) = national.page("/equipe").await;
        assert!(
            queue.contains("ORG-OQ") && queue.contains("ORG-SQ"),
            "{engine:?}"
        );
        let (_, found) = oise_tracer.page("/equipe?q=ORG-80-SOMME").await;
        assert!(!found.contains(&format!("/equipe/dossiers/{somme_case}")));
        let (_, found) = oise_tracer.page("/equipe?q=ORG-60-OISE").await;
        assert!(
            found.contains(&format!("/equipe/dossiers/{oise_case}")),
            "{engine:?}"
        );
        let (_, found) = somme_tracer.page("/equipe?q=ORG-80-SOMME").await;
        assert!(found.contains(&format!("/equipe/dossiers/{somme_case}")));
        let (_, found) = somme_tracer.page("/equipe?q=Zyxwvutsky").await;
        assert!(
            !found.contains("ORG-60-OISE") && !found.contains("ORG-OQ") && found.contains("ORG-SQ"),
            "{engine:?}: a search by name stays in the scope"
        );

        // Every staff function that takes a case: 404 for the other fund's
        // case, nothing done; the same function works on one's own.
        for (who, browser, theirs) in [
            ("oise", &oise_tracer, somme_case),
            ("somme", &somme_tracer, oise_case),
        ] {
            let before = fingerprint(&server, theirs).await;
            let functions = case_functions(&server, theirs).await;
            assert!(functions.len() >= 11, "{}", functions.len());
            for (path, form) in functions {
                let form: Vec<(&str, &str)> =
                    form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
                let response = browser.post(path, &form).await;
                assert_eq!(
                    response.status().as_u16(),
                    404,
                    "{engine:?} {who} {path} on the other fund's case"
                );
                let body = response.text().await.unwrap();
                assert!(!body.contains("ORG-"), "{path}: {body}");
            }
            assert_eq!(
                fingerprint(&server, theirs).await,
                before,
                "{engine:?} {who}"
            );
            let (status, body) = browser.open_case(theirs).await;
            assert_eq!(status.as_u16(), 404, "{engine:?} {who}");
            assert!(!body.contains("ORG-"), "{body}");
            let (status, _) = browser
                .page(&format!("/equipe/dossiers/{theirs}/contacts/nouveau"))
                .await;
            assert_eq!(status.as_u16(), 404, "{engine:?} {who}");
        }
        let (status, _) = oise_tracer
            .page(&format!("/equipe/dossiers/{oise_case}/contacts/nouveau"))
            .await;
        assert_eq!(status.as_u16(), 200);
        assert_eq!(
            sql::count_audit(&server.db, oise_case, "view_contact_form").await,
            1,
            "{engine:?}: the contact form's view is audited"
        );
        let (status, body) = oise_tracer.open_case(oise_case).await;
        assert_eq!(status.as_u16(), 200);
        assert!(body.contains("ORG-60-OISE"));
        let (status, _) = national.open_case(somme_case).await;
        assert_eq!(status.as_u16(), 200, "{engine:?}: national sees every case");

        // The export: a key of the Oise fund exports Oise's cases only.
        let key = create_key(&server.db, "oise-tool", &[ApiRight::Export], oise)
            .await
            .unwrap();
        let response = get(&server, &key, "/api/v1/cases/ORG-80-SOMME/contacts", None).await;
        assert_eq!(response.status().as_u16(), 404, "{engine:?}");
        let response = get(&server, &key, "/api/v1/cases/ORG-60-OISE/contacts", None).await;
        assert_eq!(response.status().as_u16(), 200, "{engine:?}");
        let response = get(&server, &key, "/api/v1/contacts?since=0", None).await;
        let answer: Value = response.json().await.unwrap();
        let references: Vec<&str> = answer["contacts"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["case_reference"].as_str().unwrap())
            .collect();
        assert_eq!(references, vec!["ORG-60-OISE"], "{engine:?}");

        // The access review: a local admin does not find the other's case.
        let admin = server.staff_in("oise-a", StaffRole::Admin, oise).await;
        let (_, review) = admin.page("/equipe/admin/journal?case=ORG-80-SOMME").await;
        assert!(!review.contains("somme-t"), "{engine:?}");
        let (_, review) = admin.page("/equipe/admin/journal").await;
        assert!(
            review.contains("oise-t") && !review.contains("somme-t") && !review.contains("nat-t")
        );
        // … and manages only its organisation's accounts.
        let (_, accounts) = admin.page("/equipe/admin/comptes").await;
        assert!(accounts.contains("oise-t") && !accounts.contains("somme-t"));
    }
);

/// The total `cases` of a figures CSV.
async fn csv_cases(browser: &Browser, query: &str) -> (u16, String) {
    let response = browser
        .get(&format!("/equipe/supervision/chiffres.csv{query}"))
        .await;
    let status = response.status().as_u16();
    let csv = response.text().await.unwrap();
    if status != 200 {
        return (status, csv);
    }
    let header: Vec<&str> = csv.lines().next().unwrap().split(',').collect();
    let i = header.iter().position(|h| *h == "cases").expect("cases");
    let total = csv
        .lines()
        .last()
        .unwrap()
        .split(',')
        .nth(i)
        .unwrap()
        .to_owned();
    (status, total)
}

engine_test!(
    figures_and_clusters_are_those_of_the_territories,
    |engine| async move {
        let Two { server, oise, .. } = two_funds(engine).await;
        let today = server.db.today_paris();
        relais_store::figures::refresh_recent(&server.db, today)
            .await
            .unwrap();
        let oise_sup = server.staff_in("oise-s", StaffRole::Supervisor, oise).await;
        let national = server.staff("nat-s", StaffRole::Supervisor).await;
        assert_eq!(
            csv_cases(&oise_sup, "").await,
            (200, "1".into()),
            "{engine:?}"
        );
        assert_eq!(
            csv_cases(&national, "").await,
            (200, "2".into()),
            "{engine:?}"
        );
        assert_eq!(csv_cases(&national, "?zone=80").await, (200, "1".into()));
        assert_eq!(csv_cases(&national, "?zone=r32").await, (200, "2".into()));
        assert_eq!(csv_cases(&national, "?zone=r84").await, (200, "0".into()));
        assert_eq!(csv_cases(&national, "?zone=99").await.0, 400);
        // A fund narrowed to another's département sees nothing of it.
        assert_eq!(csv_cases(&oise_sup, "?zone=80").await, (200, "0".into()));
        // The page offers the national supervisor the régions and
        // départements; a one-département fund no choice.
        let (_, page) = national.page("/equipe/supervision?zone=80").await;
        assert!(page.contains("Hauts-de-France") && page.contains("80 — Somme"));
        let (_, page) = oise_sup.page("/equipe/supervision").await;
        assert!(!page.contains("name=\"zone\""), "{engine:?}");
        let (status, page) = national.page("/equipe/supervision?zone=xx").await;
        assert_eq!(status.as_u16(), 200);
        assert!(
            page.contains("Choisissez une région ou un département"),
            "{engine:?}"
        );
        let (status, _) = oise_sup.page("/equipe/supervision/foyers").await;
        assert_eq!(status.as_u16(), 200);
    }
);

/// `count` Oise cases waiting for their first call, sampled on successive
/// days (LEND-000 the oldest).
async fn waiting_cases(server: &TestServer, count: usize, departement: &str, prefix: &str) {
    let today = server.db.today_paris();
    let cases: Vec<relais_store::cases::NewCase> = (0..count)
        .map(|i| relais_store::cases::NewCase {
            reference: format!("{prefix}{i:03}"),
            lab_reference: None,
            first_name: "Prêt".to_owned(),
            last_name: "Entraide".to_owned(),
            birth_date: "1970-01-01".to_owned(),
            phone: format!("+336399830{:02}", i % 100),
            lang: relais::Lang::Fr,
            sample_date: (today - Duration::days(200 - i as i64)).to_string(),
            test_type: "pcr".to_owned(),
            symptom_onset: None,
            departement: Some(departement.parse().unwrap()),
        })
        .collect();
    relais_store::cases::create_cases(&server.db, &cases)
        .await
        .unwrap();
}

engine_test!(a_lend_moves_100_cases_and_back, |engine| async move {
    let server = start(engine).await;
    let oise = fund(&server, "CPAM de l'Oise", "60").await;
    let somme = fund(&server, "CPAM de la Somme", "80").await;
    waiting_cases(&server, 150, "60", "LEND-").await;
    waiting_cases(&server, 3, "80", "SOM-").await;
    let national = server.staff("nat-sup", StaffRole::Supervisor).await;
    let oise_sup = server
        .staff_in("oise-sup", StaffRole::Supervisor, oise)
        .await;
    let oise_tracer = server.staff_in("oise-tr", StaffRole::Tracer, oise).await;
    let somme_tracer = server.staff_in("somme-tr", StaffRole::Tracer, somme).await;

    // The backlogs: 150 Oise cases, the oldest 200 days old.
    let (_, page) = national.page("/equipe/supervision/entraide").await;
    let backlogs = main_of(&page);
    assert!(backlogs.contains("CPAM de l&#x27;Oise") || backlogs.contains("CPAM de l'Oise"));
    assert!(backlogs.contains("150"), "{engine:?}: {backlogs}");
    assert!(backlogs.contains("il y a 20"), "200 days: {backlogs}");

    // A tracer may not lend; a fund's supervisor not another fund's queue.
    let form_to = |source: String, helper: OrganisationId| {
        vec![
            ("source".to_owned(), source),
            ("helper".to_owned(), helper.to_string()),
            ("count".to_owned(), "100".to_owned()),
        ]
    };
    let form = |source: String| form_to(source, somme);
    let oise_source = format!("{oise}:60");
    let response = post(&oise_tracer, "/api/staff/lend", form(oise_source.clone())).await;
    assert_eq!(response.status().as_u16(), 403);
    let response = post(
        &oise_sup,
        "/api/staff/lend",
        form_to(format!("{somme}:80"), oise),
    )
    .await;
    assert!(
        location(&response).ends_with("erreur=source"),
        "{}",
        location(&response)
    );
    let response = post(&national, "/api/staff/lend", form(format!("{oise}:80"))).await;
    assert!(
        location(&response).ends_with("erreur=source"),
        "Oise does not cover 80"
    );
    let mut bad = form(oise_source.clone());
    bad[2].1 = "0".into();
    let response = post(&national, "/api/staff/lend", bad).await;
    assert!(location(&response).ends_with("erreur=count"));
    assert_eq!(
        sql::count_cases_lent_to(&server.db, "", somme.get()).await,
        0
    );

    // The national supervisor lends the 100 oldest to Somme.
    let response = post(&national, "/api/staff/lend", form(oise_source.clone())).await;
    assert_eq!(
        location(&response),
        "/equipe/supervision/entraide?ok=lent&n=100",
        "{engine:?}"
    );
    let lent = sql::references_lent_to(&server.db, somme.get()).await;
    let oldest: Vec<String> = (0..100).map(|i| format!("LEND-{i:03}")).collect();
    assert_eq!(lent, oldest, "{engine:?}: the 100 oldest");
    assert_eq!(
        sql::count_audit_action(&server.db, "lend_cases", "lend=").await,
        1
    );

    // Somme's tracers see them, marked; Oise's still do.
    let (_, queue) = somme_tracer.page("/equipe").await;
    assert!(
        queue.contains("LEND-000") && queue.contains("prêté à votre équipe"),
        "{engine:?}"
    );
    assert!(!queue.contains("LEND-149"), "not lent: not Somme's");
    let (_, queue) = oise_tracer.page("/equipe").await;
    assert!(queue.contains("LEND-000") && queue.contains("prêté à CPAM de la Somme"));
    let opened = sql::case_id_by_reference(&server.db, "LEND-000").await;
    let (status, _) = somme_tracer.open_case(opened).await;
    assert_eq!(status.as_u16(), 200, "{engine:?}: a lent case opens");
    let (status, _) = oise_tracer.open_case(opened).await;
    assert_eq!(status.as_u16(), 200, "the lending team keeps it");
    let unlent = sql::case_id_by_reference(&server.db, "LEND-120").await;
    let (status, _) = somme_tracer.open_case(unlent).await;
    assert_eq!(status.as_u16(), 404);

    // The page lists the lend; taking it back returns the 99 not opened.
    let (_, page) = oise_sup.page("/equipe/supervision/entraide").await;
    assert!(page.contains("100 prêtés sur 100 demandés"), "{engine:?}");
    let lend = "1";
    let response = post(
        &oise_sup,
        "/api/staff/take-back",
        vec![("lend".to_owned(), lend.to_owned())],
    )
    .await;
    assert_eq!(
        location(&response),
        "/equipe/supervision/entraide?ok=back&n=99",
        "{engine:?}"
    );
    assert_eq!(
        sql::references_lent_to(&server.db, somme.get()).await,
        vec!["LEND-000".to_owned()]
    );
    let back = sql::case_id_by_reference(&server.db, "LEND-001").await;
    let (status, _) = somme_tracer.open_case(back).await;
    assert_eq!(status.as_u16(), 404, "{engine:?}: returned");
    let (status, _) = somme_tracer.open_case(opened).await;
    assert_eq!(status.as_u16(), 200, "the opened one stays lent");
    assert_eq!(
        sql::count_audit_action(&server.db, "take_back_cases", "lend=1 back=99").await,
        1
    );
    // Somme's supervisor may not take back Oise's lend.
    let somme_sup = server
        .staff_in("somme-sup", StaffRole::Supervisor, somme)
        .await;
    let response = post(
        &somme_sup,
        "/api/staff/take-back",
        vec![("lend".to_owned(), lend.to_owned())],
    )
    .await;
    assert!(location(&response).ends_with("erreur=lend"));

    // A share of the new cases: the form's answers, then new cases lent as
    // the job sees them.
    let share = |share: &str, days: &str| {
        vec![
            ("source".to_owned(), oise_source.clone()),
            ("helper".to_owned(), somme.to_string()),
            ("share".to_owned(), share.to_owned()),
            ("days".to_owned(), days.to_owned()),
        ]
    };
    for (form, error) in [(share("0", "7"), "share"), (share("50", "40"), "days")] {
        let response = post(&national, "/api/staff/lend-share", form).await;
        assert!(location(&response).ends_with(&format!("erreur={error}")));
    }
    let response = post(&national, "/api/staff/lend-share", share("50 %", "7")).await;
    assert_eq!(
        location(&response),
        "/equipe/supervision/entraide?ok=share&n=50",
        "{engine:?}"
    );
    server.db.clock().advance(Duration::seconds(1));
    waiting_cases(&server, 100, "60", "NEWS-").await;
    relais_store::lends::apply_shares(&server.db).await.unwrap();
    assert_eq!(
        sql::count_cases_lent_to(&server.db, "NEWS-", somme.get()).await,
        50,
        "{engine:?}"
    );
    let (_, page) = national.page("/equipe/supervision/entraide").await;
    assert!(page.contains("50 % des nouveaux cas jusqu"), "{engine:?}");
});

/// Posts a form of owned pairs.
async fn post(browser: &Browser, path: &str, form: Vec<(String, String)>) -> reqwest::Response {
    let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    browser.post(path, &pairs).await
}

engine_test!(relais_org_add_list_and_user_add_org, |engine| async move {
    let server = TestServer::start(engine).await;
    let url = server.config.database_url.clone();
    let out = relais(
        &[
            "org",
            "add",
            "--name",
            "CPAM de la Somme",
            "--kind",
            "fund",
            "--departements",
            "80",
        ],
        &url,
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{engine:?}: {}",
        text(&out.stderr)
    );
    let out = relais(
        &[
            "org",
            "add",
            "--name",
            "ARS Hauts-de-France",
            "--kind",
            "agency",
            "--region",
            "32",
        ],
        &url,
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    // Refusals: exit code 2 and a message, nothing created.
    for (args, says) in [
        (vec!["--name", "X", "--kind", "fund"], "--departements"),
        (
            vec!["--name", "X", "--kind", "fund", "--departements", "20"],
            "not a département",
        ),
        (
            vec![
                "--name",
                "X",
                "--kind",
                "prefecture",
                "--departements",
                "80",
            ],
            "kind",
        ),
        (
            vec![
                "--name",
                "CPAM de la Somme",
                "--kind",
                "fund",
                "--departements",
                "80",
            ],
            "already exists",
        ),
        (
            vec!["--name", "X", "--kind", "national", "--departements", "80"],
            "whole country",
        ),
        (
            vec!["--name", "X", "--kind", "support_cell", "--region", "32"],
            "exactly one",
        ),
    ] {
        let mut all = vec!["org", "add"];
        all.extend(args.iter().copied());
        let out = relais(&all, &url);
        assert_eq!(out.status.code(), Some(2), "{all:?}: {}", text(&out.stdout));
        assert!(
            text(&out.stderr).contains(says),
            "{all:?}: {}",
            text(&out.stderr)
        );
    }
    let listing = text(&relais(&["org", "list"], &url).stdout);
    assert!(
        listing.contains("national") && listing.contains("the whole country"),
        "{listing}"
    );
    assert!(
        listing.contains("CPAM de la Somme") && listing.contains("80"),
        "{listing}"
    );
    assert!(
        listing.contains("02,59,60,62,80"),
        "the region's départements: {listing}"
    );
    assert_eq!(listing.lines().count(), 4, "{listing}");

    let mut add = Command::new(env!("CARGO_BIN_EXE_relais"));
    add.args([
        "user",
        "add",
        "--username",
        "somme-cli",
        "--name",
        "Somme",
        "--role",
        "tracer",
        "--org",
        "CPAM de la Somme",
        "--password-stdin",
    ])
    .env("RELAIS_DATABASE_URL", &url)
    .env("RELAIS_LOG", "warn")
    .stdin(std::process::Stdio::piped())
    .stdout(std::process::Stdio::piped())
    .stderr(std::process::Stdio::piped());
    let mut child = add.spawn().unwrap();
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"a-long-enough-password-1\n")
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("CPAM de la Somme"));
    let out = relais(
        &[
            "user",
            "add",
            "--username",
            "x-cli",
            "--name",
            "X",
            "--role",
            "tracer",
            "--org",
            "Nowhere",
            "--password-stdin",
        ],
        &url,
    );
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    let listing = text(&relais(&["org", "list"], &url).stdout);
    let somme_line = listing
        .lines()
        .find(|l| l.contains("CPAM de la Somme"))
        .unwrap();
    assert!(somme_line.contains(" 1  "), "one account: {somme_line}");
    // An API key scoped to the fund.
    let out = relais(
        &[
            "apikey",
            "add",
            "somme-export",
            "--rights",
            "export",
            "--org",
            "CPAM de la Somme",
        ],
        &url,
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let listing = text(&relais(&["apikey", "list"], &url).stdout);
    assert!(
        listing.contains("somme-export") && listing.contains("CPAM de la Somme"),
        "{listing}"
    );
    // The operator lifts a lock (issue 21): `relais user unlock`.
    let account = relais_store::staff::find_for_sign_in(&server.db, "somme-cli")
        .await
        .unwrap()
        .expect("the account");
    relais_store::staff::lock_sign_in(
        &server.db,
        relais_store::staff::SignInName::Account(account.id),
    )
    .await
    .unwrap();
    let out = relais(&["user", "unlock", "somme-cli"], &url);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let account = relais_store::staff::find_for_sign_in(&server.db, "somme-cli")
        .await
        .unwrap()
        .unwrap();
    assert!(!account.locked, "{engine:?}: unlocked");
    let out = relais(&["user", "unlock", "nobody-here"], &url);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
});

engine_test!(
    the_admin_page_lists_and_adds_organisations,
    |engine| async move {
        let server = start(engine).await;
        let oise = fund(&server, "CPAM de l'Oise", "60").await;
        let national = server.staff("nat-admin", StaffRole::Admin).await;
        let local = server.staff_in("oise-admin", StaffRole::Admin, oise).await;
        let add = |name: &str, kind: &str, departements: &str| {
            vec![
                ("name".to_owned(), name.to_owned()),
                ("kind".to_owned(), kind.to_owned()),
                ("departements".to_owned(), departements.to_owned()),
            ]
        };
        let response = post(
            &national,
            "/api/staff/add-organisation",
            add("ARS Hauts-de-France", "agency", "02, 59 60,62;80"),
        )
        .await;
        assert_eq!(
            location(&response),
            "/equipe/admin/organisations?ok=1",
            "{engine:?}"
        );
        let ars = relais_store::organisations::find(&server.db, "ARS Hauts-de-France")
            .await
            .unwrap()
            .expect("added");
        assert_eq!(ars.departements.len(), 5);
        assert_eq!(
            sql::count_audit_action(&server.db, "add_organisation", "organisation=").await,
            1
        );
        for (form, error) in [
            (add("X", "fund", "20"), "departement"),
            (add("X", "fund", ""), "no_territory"),
            (add("X", "support_cell", "60 80"), "support_cell"),
            (add("X", "national", ""), "kind"),
            (add("CPAM de l'Oise", "fund", "60"), "taken"),
            (add("", "fund", "60"), "name"),
        ] {
            let response = post(&national, "/api/staff/add-organisation", form).await;
            assert!(
                location(&response).ends_with(&format!("erreur={error}")),
                "{engine:?} {error}: {}",
                location(&response)
            );
        }
        // A local admin may not add one, and sees only their own.
        let response = post(
            &local,
            "/api/staff/add-organisation",
            add("Intrus", "fund", "75"),
        )
        .await;
        assert_eq!(response.status().as_u16(), 403, "{engine:?}");
        assert!(relais_store::organisations::find(&server.db, "Intrus")
            .await
            .unwrap()
            .is_none());
        let (_, page) = local.page("/equipe/admin/organisations").await;
        let main = main_of(&page);
        assert!(
            main.contains("Oise") && !main.contains("ARS Hauts"),
            "{main}"
        );
        assert!(!main.contains("Ajouter l"), "no form for a local admin");
        let (_, page) = national.page("/equipe/admin/organisations").await;
        let main = main_of(&page);
        assert!(main.contains("ARS Hauts-de-France") && main.contains("02, 59, 60, 62, 80"));
        assert!(
            main.contains("toute la France") && main.contains("Ajouter l"),
            "{main}"
        );
    }
);
