//! Every SQL statement of the tests, in one place: creating and dropping
//! the throw-away PostgreSQL databases, moving rows back in time (the store
//! reads the wall clock), and looking at what the store's API does not show.
//! Everything else goes through the store's public functions.

use relais_store::Db;

type Result<T> = std::result::Result<T, sqlx::Error>;

/// A name safe to splice into `CREATE DATABASE` (ours: `relais_st_…`).
fn checked(name: &str) -> &str {
    assert!(
        !name.is_empty()
            && name
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_'),
        "unexpected database name {name:?}"
    );
    name
}

/// Creates the database `name` on a PostgreSQL server.
pub async fn create_database(server: &Db, name: &str) -> Result<()> {
    let name = checked(name);
    sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        .execute(server.pool())
        .await?;
    sqlx::query(&format!("CREATE DATABASE {name}"))
        .execute(server.pool())
        .await?;
    Ok(())
}

/// Drops the database `name`, closing the connections still open on it.
pub async fn drop_database(server: &Db, name: &str) -> Result<()> {
    sqlx::query(&format!(
        "DROP DATABASE IF EXISTS {} WITH (FORCE)",
        checked(name)
    ))
    .execute(server.pool())
    .await?;
    Ok(())
}

/// How many opt-outs, inbound messages and sign-in attempts are kept.
pub async fn other_rows(db: &Db) -> Result<i64> {
    let (n,): (i64,) = sqlx::query_as(
        "SELECT (SELECT COUNT(*) FROM sms_opt_outs) + (SELECT COUNT(*) FROM sms_inbound) \
         + (SELECT COUNT(*) FROM login_attempts)",
    )
    .fetch_one(db.pool())
    .await?;
    Ok(n)
}

/// An outbox message as stored: status, who holds it, attempts made.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct OutboxRow {
    #[sqlx(try_from = "i64")]
    pub id: relais::ids::MessageId,
    pub status: String,
    pub claimed_by: Option<String>,
    pub attempts: i64,
    pub dedupe_key: Option<String>,
}

/// Every outbox message, by id.
pub async fn outbox(db: &Db) -> Result<Vec<OutboxRow>> {
    sqlx::query_as(
        "SELECT id, status, claimed_by, attempts, dedupe_key FROM sms_outbox ORDER BY id",
    )
    .fetch_all(db.pool())
    .await
}

/// Writes an outbox message by hand, with `dedupe_key`.
pub async fn insert_message(db: &Db, dedupe_key: &str) -> Result<()> {
    sqlx::query(
        "INSERT INTO sms_outbox (kind, dedupe_key, to_phone, lang, status, next_attempt_at, \
         created_at) VALUES ('case_invitation', $1, '+33600000000', 'fr', 'pending', 0, 0)",
    )
    .bind(dedupe_key)
    .execute(db.pool())
    .await?;
    Ok(())
}

/// The tables holding rows of a case.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Of {
    Contacts,
    Places,
    Links,
    Sessions,
    Calls,
    Views,
    Outbox,
    Audit,
}

/// How many rows of `table` belong to the case.
pub async fn rows_of_case(db: &Db, table: Of, case_id: relais::ids::CaseId) -> Result<i64> {
    let statement = match table {
        Of::Contacts => "SELECT COUNT(*) FROM contacts WHERE case_id = $1",
        Of::Places => "SELECT COUNT(*) FROM places WHERE case_id = $1",
        Of::Links => "SELECT COUNT(*) FROM link_tokens WHERE case_id = $1",
        Of::Sessions => "SELECT COUNT(*) FROM sessions WHERE case_id = $1",
        Of::Calls => "SELECT COUNT(*) FROM case_calls WHERE case_id = $1",
        Of::Views => "SELECT COUNT(*) FROM staff_case_views WHERE case_id = $1",
        Of::Outbox => "SELECT COUNT(*) FROM sms_outbox WHERE case_id = $1",
        Of::Audit => "SELECT COUNT(*) FROM audit_log WHERE case_id = $1",
    };
    let (n,): (i64,) = sqlx::query_as(statement)
        .bind(case_id.get())
        .fetch_one(db.pool())
        .await?;
    Ok(n)
}

/// The case's `has_symptoms` as stored: yes, no, or unknown (NULL). Read as
/// 0/1 like the store does: the `Any` driver cannot decode SQLite's BOOLEAN.
pub async fn has_symptoms(db: &Db, case_id: relais::ids::CaseId) -> Result<Option<bool>> {
    let (flag,): (Option<i64>,) = sqlx::query_as(
        "SELECT CASE WHEN has_symptoms IS NULL THEN NULL WHEN has_symptoms THEN 1 ELSE 0 END \
         FROM cases WHERE id = $1",
    )
    .bind(case_id.get())
    .fetch_one(db.pool())
    .await?;
    Ok(flag.map(|f| f != 0))
}

/// The ids of the cases whose `has_symptoms` equals a bound boolean (the
/// comparison the store makes with `succeeded = $n`).
pub async fn cases_with_symptoms(db: &Db, flag: bool) -> Result<Vec<relais::ids::CaseId>> {
    let rows: Vec<(i64,)> =
        sqlx::query_as("SELECT id FROM cases WHERE has_symptoms = $1 ORDER BY id")
            .bind(flag)
            .fetch_all(db.pool())
            .await?;
    Ok(rows
        .into_iter()
        .map(|(id,)| relais::ids::CaseId(id))
        .collect())
}

/// The latest activity recorded on any session.
pub async fn latest_session_activity(db: &Db) -> Result<i64> {
    let (n,): (Option<i64>,) = sqlx::query_as("SELECT MAX(last_seen_at) FROM sessions")
        .fetch_one(db.pool())
        .await?;
    Ok(n.unwrap_or(0))
}

/// How many sessions are open.
pub async fn sessions(db: &Db) -> Result<i64> {
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM sessions")
        .fetch_one(db.pool())
        .await?;
    Ok(n)
}

/// Disables a staff account behind the store's back (the admin's page does
/// it in the server).
pub async fn disable_account(db: &Db, id: relais::ids::StaffId) -> Result<()> {
    sqlx::query("UPDATE staff_users SET disabled = TRUE WHERE id = $1")
        .bind(id.get())
        .execute(db.pool())
        .await?;
    Ok(())
}

/// Rewrites the setting `name` behind the store's back.
pub async fn set_setting(db: &Db, name: &str, value: &str) -> Result<()> {
    sqlx::query("UPDATE settings SET value = $2 WHERE name = $1")
        .bind(name)
        .bind(value)
        .execute(db.pool())
        .await?;
    Ok(())
}

/// Deletes a case outright (with what hangs off it), as no store function
/// does outside the purge: what the figures' triggers must follow too.
pub async fn delete_case(db: &Db, case_id: relais::ids::CaseId) -> Result<()> {
    sqlx::query("DELETE FROM cases WHERE id = $1")
        .bind(case_id.get())
        .execute(db.pool())
        .await?;
    Ok(())
}

/// Moves a case to another département behind the store's back.
pub async fn set_departement(db: &Db, case_id: relais::ids::CaseId, code: &str) -> Result<()> {
    sqlx::query("UPDATE cases SET departement = $2 WHERE id = $1")
        .bind(case_id.get())
        .bind(code)
        .execute(db.pool())
        .await?;
    Ok(())
}

/// Cases marked for the figures' next refresh.
pub async fn marked_for_figures(db: &Db) -> Result<i64> {
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM figures_dirty")
        .fetch_one(db.pool())
        .await?;
    Ok(n)
}

/// Ends every other connection to `db`'s database, from one taken out of its
/// pool for good: what a restart of the server does to the pool's idle
/// connections. The number of connections ended.
pub async fn cut_the_pools_connections(db: &Db) -> Result<i64> {
    let mut own = db.pool().acquire().await?.detach();
    let (cut,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM (SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
         WHERE datname = current_database() AND pid <> pg_backend_pid()) AS ended",
    )
    .fetch_one(&mut own)
    .await?;
    sqlx::Connection::close(own).await?;
    Ok(cut)
}

/// A writing transaction that keeps every other writer of `audit_log`
/// waiting until it ends: on SQLite, the process's writing turn; on
/// PostgreSQL, which lets writers of other rows go on, the table's lock.
pub async fn hold_audit_log(
    db: &Db,
) -> std::result::Result<relais_store::db::WriteTx, relais_store::StoreError> {
    let mut tx = db.begin_write().await?;
    if db.backend() == relais_store::Backend::Postgres {
        sqlx::query("LOCK TABLE audit_log IN EXCLUSIVE MODE")
            .execute(&mut *tx)
            .await?;
    }
    Ok(tx)
}
