//! `relais backup FILE` while the server runs and writes: the copy, opened
//! as a new database, migrates cleanly and holds every write acknowledged
//! before the backup began, and whole transactions only. It never replaces
//! a file, and refuses PostgreSQL (pg_dump's job) with exit code 2.

use crate::common::command::{relais, text};
use crate::common::{postgres_available, Engine, TestServer};
use relais_store::backup::{backup_into, Refusal};
use relais_store::cases::{create_cases, id_of_reference, NewCase};
use relais_store::Db;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Cases created per transaction by the writer.
const BATCH: usize = 5;

fn new_case(batch: usize, i: usize) -> NewCase {
    let n = batch * BATCH + i;
    NewCase {
        reference: format!("BK-{batch:06}-{i}"),
        lab_reference: None,
        first_name: "Camille".into(),
        last_name: format!("Sauvegarde{n}"),
        birth_date: "1980-04-02".into(),
        phone: format!("+3363{:07}", n % 10_000_000),
        lang: relais::Lang::Fr,
        sample_date: "2026-11-30".into(),
        test_type: "pcr".into(),
        symptom_onset: None,
        departement: None,
    }
}

/// Creates cases, a batch per transaction, until told to stop; each
/// batch's references go into `acknowledged` once its commit returned Ok.
/// Returns the errors met (none expected: a backup does not stop writers).
async fn keep_writing(
    db: Db,
    acknowledged: Arc<Mutex<Vec<String>>>,
    stop: Arc<AtomicBool>,
) -> Vec<String> {
    let mut errors = Vec::new();
    let mut batch = 0;
    while !stop.load(Ordering::Relaxed) {
        let cases: Vec<NewCase> = (0..BATCH).map(|i| new_case(batch, i)).collect();
        match create_cases(&db, &cases).await {
            Ok(()) => acknowledged
                .lock()
                .unwrap()
                .extend(cases.into_iter().map(|c| c.reference)),
            Err(e) => errors.push(e.to_string()),
        }
        batch += 1;
    }
    errors
}

async fn relais_async(args: Vec<String>, url: String) -> std::process::Output {
    tokio::task::spawn_blocking(move || {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        relais(&args, &url)
    })
    .await
    .expect("relais ran")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_backup_taken_under_write_load_restores_every_acknowledged_write() {
    let server = TestServer::start(Engine::Sqlite).await;
    let url = server.config.database_url.clone();
    let acknowledged = Arc::new(Mutex::new(Vec::new()));
    let stop = Arc::new(AtomicBool::new(false));
    let writer = tokio::spawn(keep_writing(
        server.db.clone(),
        acknowledged.clone(),
        stop.clone(),
    ));
    let waited = Instant::now();
    while acknowledged.lock().unwrap().len() < 200 {
        assert!(
            waited.elapsed() < Duration::from_secs(60),
            "the writer is too slow"
        );
        tokio::time::sleep(Duration::from_millis(5)).await;
    }

    // Everything acknowledged now was committed before the backup began.
    let before: Vec<String> = acknowledged.lock().unwrap().clone();
    let dir = tempfile::tempdir().unwrap();
    // A quote and a space: the name goes into the SQL as a literal.
    let file = dir.path().join("relais's backup.db");
    let started = Instant::now();
    let out = relais_async(
        vec!["backup".into(), file.display().to_string()],
        url.clone(),
    )
    .await;
    let took = started.elapsed();
    let during = acknowledged.lock().unwrap().len() - before.len();
    stop.store(true, Ordering::Relaxed);
    let errors = writer.await.unwrap();
    let all: Vec<String> = acknowledged.lock().unwrap().clone();

    assert!(out.status.success(), "{}", text(&out.stderr));
    let printed = text(&out.stdout);
    assert!(
        printed.starts_with(&format!("backup written to {}: ", file.display())),
        "{printed}"
    );
    assert!(
        printed.contains(" bytes") && printed.contains(" s "),
        "{printed}"
    );
    assert!(
        errors.is_empty(),
        "writes refused during the backup: {errors:?}"
    );
    assert!(during > 0, "the writer kept writing while the backup ran");
    let names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        names,
        ["relais's backup.db"],
        "no temporary file left beside it"
    );
    eprintln!(
        "backup of {} acknowledged cases ({} more during it) in {took:?}: {printed}",
        before.len(),
        during
    );

    // Restored: opened as a new database, it migrates cleanly…
    let restored = Db::connect(&format!("sqlite://{}", file.display()))
        .await
        .expect("the backup opens");
    restored.migrate().await.expect("the backup migrates");
    // …holds every case acknowledged before the backup began…
    let mut missing = Vec::new();
    for reference in &before {
        if id_of_reference(&restored, reference)
            .await
            .unwrap()
            .is_none()
        {
            missing.push(reference.clone());
        }
    }
    assert!(
        missing.is_empty(),
        "{} of {} acknowledged cases missing from the backup, e.g. {:?}",
        missing.len(),
        before.len(),
        &missing[..missing.len().min(5)]
    );
    // …and of the later ones, whole transactions only.
    let mut present = 0;
    for batch in all[before.len()..].chunks(BATCH) {
        let mut found = 0;
        for reference in batch {
            if id_of_reference(&restored, reference)
                .await
                .unwrap()
                .is_some()
            {
                found += 1;
            }
        }
        assert!(
            found == 0 || found == batch.len(),
            "half a transaction in the backup: {found} of {batch:?}"
        );
        present += found;
    }
    eprintln!(
        "{present} of the {} cases written during the backup are in it",
        all.len() - before.len()
    );
    restored.close().await;

    // A second backup to the same name is refused and changes nothing.
    let kept = std::fs::read(&file).unwrap();
    let again = relais_async(
        vec!["backup".into(), file.display().to_string()],
        url.clone(),
    )
    .await;
    assert_eq!(again.status.code(), Some(2), "{}", text(&again.stderr));
    let message = text(&again.stderr);
    assert!(
        message.starts_with("error: ") && message.contains("already exists"),
        "{message}"
    );
    assert_eq!(
        std::fs::read(&file).unwrap(),
        kept,
        "the backup is untouched"
    );

    // A folder that does not exist: exit 2 naming it, nothing created.
    let nowhere = dir.path().join("no-such-folder/relais.db");
    let out = relais_async(
        vec!["backup".into(), nowhere.display().to_string()],
        url.clone(),
    )
    .await;
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    assert!(
        text(&out.stderr).contains("no-such-folder"),
        "{}",
        text(&out.stderr)
    );
    assert!(!dir.path().join("no-such-folder").exists());

    // A NUL cannot come from a command line; the store refuses it anyway.
    assert_eq!(
        backup_into(&server.db, Path::new("/tmp/a\0b.db"))
            .await
            .unwrap(),
        Err(Refusal::Nul)
    );
}

#[tokio::test]
async fn a_backup_of_postgresql_is_refused_naming_pg_dump() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("relais.db");
    // Refused from the URL alone, the server up or not.
    let unreachable = "postgres://nobody@127.0.0.1:9/none";
    let out = relais(&["backup", &file.display().to_string()], unreachable);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    assert!(
        text(&out.stderr).contains("pg_dump"),
        "{}",
        text(&out.stderr)
    );
    assert!(!file.exists());

    if !postgres_available() {
        eprintln!("RELAIS_TEST_POSTGRES_URL is not set: the refusal on a live PostgreSQL skipped");
        return;
    }
    let url = std::env::var("RELAIS_TEST_POSTGRES_URL").unwrap();
    let out = relais(&["backup", &file.display().to_string()], &url);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    let message = text(&out.stderr);
    assert!(
        message.starts_with("error: ") && message.contains("pg_dump"),
        "{message}"
    );
    assert!(!file.exists());
    // The store function refuses it too, whoever calls it.
    let db = Db::connect(&url).await.expect("PostgreSQL answers");
    assert_eq!(
        backup_into(&db, &file).await.unwrap(),
        Err(Refusal::Postgres)
    );
    db.close().await;
    assert!(!file.exists());
}
