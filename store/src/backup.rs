//! A consistent copy of the SQLite database while the server runs
//! (`relais backup FILE`): `VACUUM INTO` reads one snapshot — every write
//! committed before it began, none after — without stopping the writers
//! (WAL). PostgreSQL is refused: `pg_dump` does this job there.
//!
//! The copy is written under a temporary name beside FILE, flushed to disk
//! (SQLite does not sync what `VACUUM INTO` writes), then linked to FILE,
//! which must not exist: a backup never replaces a file, and a copy cut
//! short (a full disk, a crash) is never left under the name the operator
//! asked for.

use crate::db::{Backend, Db};
use crate::error::StoreError;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

/// A backup written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Backup {
    /// The file, as an absolute path.
    pub path: PathBuf,
    /// Its size.
    pub bytes: u64,
    /// From the start of the copy to the file synced under its name.
    pub elapsed: Duration,
    /// The newest migration applied to the copied database: a restored
    /// backup needs a `relais` that knows it.
    pub schema_version: i64,
}

/// Why a backup was not even tried: the operator's request, not a failure.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    #[error(
        "the database is PostgreSQL: back it up with pg_dump (pg_dump -Fc, restore with \
         pg_restore; see \"Backups\" in the README)"
    )]
    Postgres,
    #[error("{} already exists: a backup never replaces a file, choose a new name", .0.display())]
    FileExists(PathBuf),
    #[error("the folder {} does not exist", .0.display())]
    NoFolder(PathBuf),
    #[error("the backup file name is empty")]
    NoName,
    #[error("the backup file name contains a NUL character")]
    Nul,
    #[error("the backup file name is not valid UTF-8")]
    NotUtf8,
    #[error(
        "the database has no tables (no migration applied): nothing to back up; check \
         RELAIS_DATABASE_URL"
    )]
    EmptyDatabase,
}

/// Writes a consistent copy of the SQLite database `db` to `path`, which
/// must not exist (its folder must). The outer error is a failure (the
/// database, the disk); the inner one a refusal of the request.
pub async fn backup_into(db: &Db, path: &Path) -> Result<Result<Backup, Refusal>, StoreError> {
    if db.backend() == Backend::Postgres {
        return Ok(Err(Refusal::Postgres));
    }
    let target = match target_of(path) {
        Ok(target) => target,
        Err(refusal) => return Ok(Err(refusal)),
    };
    let Some(schema_version) = schema_version(db).await? else {
        return Ok(Err(Refusal::EmptyDatabase));
    };
    let started = Instant::now();
    let partial = partial_name(&target.path);
    let statement = format!("VACUUM INTO {}", sql_literal(&partial.to_string_lossy()));
    if let Err(e) = sqlx::raw_sql(&statement).execute(db.pool()).await {
        // A copy cut short is ours to remove: the partial name is this
        // process's own.
        let _ = std::fs::remove_file(&partial);
        return Err(e.into());
    }
    let (target_path, folder) = (target.path.clone(), target.folder.clone());
    let placed = tokio::task::spawn_blocking(move || place(&partial, &target_path, &folder))
        .await
        .map_err(|e| StoreError::Internal(format!("backup task: {e}")))??;
    if let Err(refusal) = placed {
        return Ok(Err(refusal));
    }
    let elapsed = started.elapsed();
    let bytes = std::fs::metadata(&target.path)
        .map_err(|e| io_error("cannot read the size of", &target.path, e))?
        .len();
    tracing::info!(
        bytes,
        ms = elapsed.as_millis() as u64,
        "database backup written"
    );
    Ok(Ok(Backup {
        path: target.path,
        bytes,
        elapsed,
        schema_version,
    }))
}

/// Where the backup goes: an absolute path, and its folder.
struct Target {
    path: PathBuf,
    folder: PathBuf,
}

fn target_of(path: &Path) -> Result<Target, Refusal> {
    let text = path.to_str().ok_or(Refusal::NotUtf8)?;
    if text.contains('\0') {
        return Err(Refusal::Nul);
    }
    if text.is_empty() {
        return Err(Refusal::NoName);
    }
    // Absolute: the SQLite library would read a name starting with
    // `file:` as a URI, and the operator is told where the copy is.
    let path = std::path::absolute(path).map_err(|_| Refusal::NoName)?;
    let folder = path
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("/"));
    if std::fs::symlink_metadata(&path).is_ok() {
        return Err(Refusal::FileExists(path));
    }
    if !folder.is_dir() {
        return Err(Refusal::NoFolder(folder));
    }
    Ok(Target { path, folder })
}

/// The newest migration applied (0 when the table is empty), or None for
/// a database without the migrations table.
async fn schema_version(db: &Db) -> Result<Option<i64>, StoreError> {
    let tables: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = '_sqlx_migrations'",
    )
    .fetch_one(db.pool())
    .await?;
    if tables == 0 {
        return Ok(None);
    }
    let newest: Option<i64> = sqlx::query_scalar("SELECT MAX(version) FROM _sqlx_migrations")
        .fetch_one(db.pool())
        .await?;
    Ok(Some(newest.unwrap_or(0)))
}

/// A name beside `target` that no other backup of this process or of
/// another one uses at the same time (hidden, marked partial).
fn partial_name(target: &Path) -> PathBuf {
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    target.with_file_name(format!(
        ".{name}.partial-{}-{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    ))
}

/// Flushes the copy, links it under its name if that name is still free,
/// removes the temporary name and flushes the folder. Blocking.
fn place(partial: &Path, target: &Path, folder: &Path) -> Result<Result<(), Refusal>, StoreError> {
    let result = sync_and_link(partial, target);
    let _ = std::fs::remove_file(partial);
    match result? {
        Ok(()) => {}
        Err(refusal) => return Ok(Err(refusal)),
    }
    std::fs::File::open(folder)
        .and_then(|dir| dir.sync_all())
        .map_err(|e| io_error("cannot sync the folder", folder, e))?;
    Ok(Ok(()))
}

fn sync_and_link(partial: &Path, target: &Path) -> Result<Result<(), Refusal>, StoreError> {
    std::fs::File::open(partial)
        .and_then(|file| file.sync_all())
        .map_err(|e| io_error("cannot sync", partial, e))?;
    // A hard link never replaces an existing file, atomically; a file
    // system without links gets a rename after one more look.
    match std::fs::hard_link(partial, target) {
        Ok(()) => Ok(Ok(())),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            Ok(Err(Refusal::FileExists(target.to_path_buf())))
        }
        Err(_) if std::fs::symlink_metadata(target).is_ok() => {
            Ok(Err(Refusal::FileExists(target.to_path_buf())))
        }
        Err(_) => std::fs::rename(partial, target)
            .map(Ok)
            .map_err(|e| io_error("cannot write", target, e)),
    }
}

fn io_error(what: &str, path: &Path, e: std::io::Error) -> StoreError {
    StoreError::Internal(format!("backup: {what} {}: {e}", path.display()))
}

/// `text` as an SQL string literal. `VACUUM INTO` takes its file name as an
/// expression, and the `Any` driver does not bind a parameter there; the
/// name comes from the operator's command line, and quoting doubles the
/// single quotes (a NUL was refused before).
fn sql_literal(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_literal_doubles_single_quotes() {
        assert_eq!(sql_literal("/tmp/a.db"), "'/tmp/a.db'");
        assert_eq!(sql_literal("/tmp/it's.db"), "'/tmp/it''s.db'");
        assert_eq!(
            sql_literal("'; DROP TABLE cases; --"),
            "'''; DROP TABLE cases; --'"
        );
    }

    #[test]
    fn a_name_with_nul_is_refused() {
        assert!(matches!(
            target_of(Path::new("/tmp/a\0b.db")),
            Err(Refusal::Nul)
        ));
    }

    #[test]
    fn an_existing_file_or_missing_folder_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let taken = dir.path().join("taken.db");
        std::fs::write(&taken, b"").unwrap();
        assert_eq!(
            target_of(&taken).err(),
            Some(Refusal::FileExists(taken.clone()))
        );
        let missing = dir.path().join("no/such/folder/x.db");
        assert_eq!(
            target_of(&missing).err(),
            Some(Refusal::NoFolder(dir.path().join("no/such/folder")))
        );
        let free = dir.path().join("free.db");
        assert_eq!(target_of(&free).map(|t| t.path).ok(), Some(free));
    }

    #[test]
    fn the_partial_name_is_hidden_beside_the_target() {
        let partial = partial_name(Path::new("/backups/relais.db"));
        assert_eq!(partial.parent(), Some(Path::new("/backups")));
        let name = partial.file_name().unwrap().to_string_lossy().into_owned();
        assert!(name.starts_with(".relais.db.partial-"), "{name}");
    }
}
