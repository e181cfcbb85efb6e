//! The `relais` command as health staff and operators use it: doctrine
//! list, check and evaluate, and refusals with exit code 2, never a panic.

use std::io::Write;
use std::process::{Command, Output, Stdio};

fn relais(args: &[&str], env: &[(&str, &str)], stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_relais"))
        .args(args)
        .envs(env.iter().copied())
        .env("RELAIS_LOG", "warn")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("relais starts");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    child.wait_with_output().expect("relais ends")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn doctrine_list_shows_every_shipped_set() {
    let out = relais(&["doctrine", "list"], &[], "");
    assert!(out.status.success(), "{}", text(&out.stderr));
    let listing = text(&out.stdout);
    for (id, effective) in [
        ("2020-09", "2020-09-11"),
        ("2021-02", "2021-02-22"),
        ("2021-07", "2021-07-27"),
        ("2022-01", "2022-01-03"),
        ("2022-03", "2022-03-21"),
    ] {
        assert!(listing.contains(id), "{listing}");
        assert!(
            listing.contains(&format!("effective {effective}")),
            "{listing}"
        );
    }
    assert_eq!(listing.lines().count(), 5, "{listing}");
}

#[test]
fn doctrine_evaluate_prints_each_test_with_its_date_kind_and_anchor() {
    // January 2022: a vaccinated adult told 2 days after the last contact.
    let scenario = r#"{"case": {"symptom_onset": "2022-01-10", "sample_date": "2022-01-11"},
        "contacts": [{"exposures": ["face_to_face"], "last_contact": "2022-01-10",
                      "informed_on": "2022-01-12", "vaccination": "fully_vaccinated",
                      "last_dose": "2021-12-01"}]}"#;
    let out = relais(&["doctrine", "evaluate"], &[], scenario);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let result: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON result");
    assert_eq!(result["rule_set"]["id"], "2022-01");
    let tests = &result["contacts"][0]["tests"];
    assert_eq!(tests[0]["date"], "2022-01-12");
    assert_eq!(tests[0]["kind"], "lab");
    assert_eq!(tests[0]["anchor"], "informed");
    assert_eq!(tests[2]["date"], "2022-01-16");
    assert_eq!(tests[2]["kind"], "self_test");
    assert_eq!(
        result["contacts"][0]["quarantine_last_day"],
        serde_json::Value::Null
    );
}

#[test]
fn doctrine_evaluate_prints_the_dates_of_a_scenario() {
    let scenario = r#"{"case": {"symptom_onset": "2020-11-14", "sample_date": "2020-11-16"},
        "contacts": [{"household": false, "exposures": ["face_to_face"], "protection": [],
                      "last_contact": "2020-11-13"}]}"#;
    let out = relais(&["doctrine", "evaluate"], &[], scenario);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let result: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON result");
    let printed = result.to_string();
    // Late 2020: window from onset − 2; isolation until J0 + 7; quarantine until last contact + 7.
    assert!(printed.contains("2020-11-12"), "window start: {printed}");
    assert!(printed.contains("2020-11-21"), "isolation end: {printed}");
    assert!(
        printed.contains("2020-11-20"),
        "quarantine end and test day: {printed}"
    );
    assert!(printed.contains("at_risk"), "{printed}");
}

#[test]
fn doctrine_evaluate_refuses_bad_input_with_exit_code_2() {
    for input in [
        "not json",
        "{}",
        r#"{"case": {"sample_date": "2020-02-30"}, "contacts": []}"#,
        r#"{"case": {"sample_date": "2999-01-01"}, "contacts": []}"#,
        r#"{"case": {"symptom_onset": "2020-03-01", "sample_date": "2020-11-16"}, "contacts": []}"#,
        r#"{"case": {"sample_date": "2020-11-16"}, "contacts": [{"household": false,
            "exposures": ["hug"], "protection": [], "last_contact": "2020-11-15"}]}"#,
    ] {
        let out = relais(&["doctrine", "evaluate"], &[], input);
        assert_eq!(
            out.status.code(),
            Some(2),
            "input {input}: {}",
            text(&out.stderr)
        );
        let message = text(&out.stderr);
        assert!(message.starts_with("error: "), "{message}");
        assert!(!message.contains("panicked"), "{message}");
    }
}

#[test]
fn doctrine_check_names_the_file_and_field_of_a_mistake() {
    let dir = tempfile::tempdir().unwrap();
    let good = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../doctrine/2021-02.toml"
    ))
    .unwrap();
    let path = dir.path().join("2021-03.toml");
    std::fs::write(
        &path,
        good.replace("id = \"2021-02\"", "id = \"2021-03\"")
            .replace("effective = 2021-02-22", "effective = 2021-03-01")
            .replace("quarantine_days = 7", "quarantine_days = -3"),
    )
    .unwrap();
    let out = relais(&["doctrine", "check", path.to_str().unwrap()], &[], "");
    assert_eq!(out.status.code(), Some(2));
    let message = text(&out.stderr);
    assert!(message.contains("2021-03.toml"), "{message}");
    assert!(message.contains("quarantine_days"), "{message}");

    // The server does not start on it either.
    let out = relais(
        &["serve"],
        &[
            ("RELAIS_DOCTRINE_DIR", dir.path().to_str().unwrap()),
            (
                "RELAIS_DATABASE_URL",
                &format!("sqlite://{}/db.sqlite", dir.path().display()),
            ),
            ("RELAIS_ADDR", "127.0.0.1:0"),
        ],
        "",
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("2021-03.toml"));

    // Fixed, it is listed beside the shipped sets.
    std::fs::write(
        &path,
        good.replace("id = \"2021-02\"", "id = \"2021-03\"")
            .replace("effective = 2021-02-22", "effective = 2021-03-01"),
    )
    .unwrap();
    let out = relais(&["doctrine", "check", path.to_str().unwrap()], &[], "");
    assert!(out.status.success(), "{}", text(&out.stderr));
    let out = relais(
        &["doctrine", "list"],
        &[("RELAIS_DOCTRINE_DIR", dir.path().to_str().unwrap())],
        "",
    );
    assert!(
        text(&out.stdout).contains("2021-03"),
        "{}",
        text(&out.stdout)
    );
}

#[test]
fn a_wrong_configuration_value_names_the_variable() {
    let out = relais(&["migrate"], &[("RELAIS_ADDR", "nowhere")], "");
    assert_eq!(out.status.code(), Some(2));
    let message = text(&out.stderr);
    assert!(message.contains("RELAIS_ADDR"), "{message}");
    assert!(message.contains("expected"), "{message}");
}

#[test]
fn user_add_reads_the_password_from_stdin_and_refuses_short_ones() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}/db.sqlite", dir.path().display());
    let env = [("RELAIS_DATABASE_URL", db.as_str())];
    let args = [
        "user",
        "add",
        "--username",
        "t.dupont",
        "--name",
        "T. Dupont",
        "--role",
        "tracer",
        "--password-stdin",
    ];
    let out = relais(&args, &env, "short\n");
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    let out = relais(&args, &env, "a long enough passphrase\n");
    assert!(out.status.success(), "{}", text(&out.stderr));
    let out = relais(&args, &env, "a long enough passphrase\n");
    assert_eq!(
        out.status.code(),
        Some(2),
        "duplicate: {}",
        text(&out.stderr)
    );
    assert!(text(&out.stderr).contains("already exists"));
}

#[tokio::test]
async fn generate_writes_a_link_and_its_birth_date_for_each_new_case() {
    use relais_store::links::{confirm_birth_date, resolve_case_link, CaseLink, Proof};
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}/relais.db", dir.path().display());
    let env = [
        ("RELAIS_DATABASE_URL", url.as_str()),
        ("RELAIS_PUBLIC_URL", "https://relais.example"),
    ];
    // Two runs: the second writes the links of its own new cases only.
    let (first, again) = (dir.path().join("first.tsv"), dir.path().join("again.tsv"));
    for (file, count) in [(&first, "3"), (&again, "2")] {
        let file = file.to_str().unwrap();
        let out = relais(&["generate", "--cases", count, "--links", file], &env, "");
        assert!(out.status.success(), "{}", text(&out.stderr));
    }
    let db = relais_store::Db::connect(&url).await.unwrap();
    // Only the new cases of each run, each link opening with its date.
    for (file, count) in [(first, 3), (again, 2)] {
        let lines = std::fs::read_to_string(file).unwrap();
        assert_eq!(lines.lines().count(), count, "{lines}");
        for line in lines.lines() {
            let (link, born) = line.split_once('\t').unwrap();
            let token = link.strip_prefix("https://relais.example/d/").unwrap();
            let CaseLink::Open { case_id, locked } = resolve_case_link(&db, token).await.unwrap()
            else {
                panic!("{line}: not an open link");
            };
            assert!(!locked);
            assert!(matches!(
                confirm_birth_date(&db, case_id, born, "ip-cli")
                    .await
                    .unwrap(),
                Proof::Confirmed { .. }
            ));
        }
    }
}
