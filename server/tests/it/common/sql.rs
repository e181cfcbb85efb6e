//! Every SQL statement of the integration tests, one named function each.
//!
//! The tests act through HTTP, the CLI and the store's own functions; they
//! come here only to set up what no page or command can (a date in the
//! past, a hand-made dataset, a throw-away database) and to check what the
//! application wrote, column by column, independently of the store's
//! reading code. `scripts/test` fails on SQL written in any other file of
//! the repository outside the store.

use relais_store::{Backend, Db};

/// A value bound to a `$n` placeholder.
enum Bind<'a> {
    Int(i64),
    Text(&'a str),
    /// A NULL integer (an instant or an id).
    Null,
}
use Bind::{Int, Null, Text};

fn int_or_null(value: Option<i64>) -> Bind<'static> {
    value.map_or(Null, Int)
}

/// The one integer `sql` selects, with `binds` in order: the counts and
/// the ids below (`RETURNING id` included).
async fn scalar_i64(db: &Db, sql: &str, binds: &[Bind<'_>]) -> i64 {
    let mut query = sqlx::query_as::<_, (i64,)>(sql);
    for bind in binds {
        query = match bind {
            Int(v) => query.bind(*v),
            Text(v) => query.bind(v.to_string()),
            Null => query.bind(None::<i64>),
        };
    }
    query.fetch_one(db.pool()).await.expect(sql).0
}

/// Runs a statement that returns no row.
async fn execute(db: &Db, sql: &str, binds: &[Bind<'_>]) {
    let mut query = sqlx::query(sql);
    for bind in binds {
        query = match bind {
            Int(v) => query.bind(*v),
            Text(v) => query.bind(v.to_string()),
            Null => query.bind(None::<i64>),
        };
    }
    query.execute(db.pool()).await.expect(sql);
}

// ---------------------------------------------------------------------------
// Throw-away databases and the schema
// ---------------------------------------------------------------------------

/// Creates an empty PostgreSQL database `name` (a test-made identifier).
pub async fn create_database(admin: &Db, name: &str) {
    execute(admin, &format!("CREATE DATABASE {name}"), &[]).await;
}

/// Creates PostgreSQL database `name` as a copy of `template`, which must
/// have no open connection.
pub async fn create_database_from_template(admin: &Db, name: &str, template: &str) {
    execute(
        admin,
        &format!("CREATE DATABASE {name} TEMPLATE {template}"),
        &[],
    )
    .await;
}

/// Whether `table` exists: counting its rows fails on a missing table, on
/// both engines.
pub async fn table_exists(db: &Db, table: &str) -> bool {
    sqlx::query(&format!("SELECT COUNT(*) FROM {table}"))
        .execute(db.pool())
        .await
        .is_ok()
}

/// SQLite's journal mode, `synchronous` level and `foreign_keys` flag, as
/// one pooled connection has them.
pub async fn sqlite_pragmas(db: &Db) -> (String, i64, i64) {
    let mut conn = db.pool().acquire().await.expect("a connection");
    let mode: (String,) = sqlx::query_as("PRAGMA journal_mode")
        .fetch_one(&mut *conn)
        .await
        .expect("journal mode");
    let sync: (i64,) = sqlx::query_as("PRAGMA synchronous")
        .fetch_one(&mut *conn)
        .await
        .expect("synchronous");
    let fk: (i64,) = sqlx::query_as("PRAGMA foreign_keys")
        .fetch_one(&mut *conn)
        .await
        .expect("foreign keys");
    (mode.0, sync.0, fk.0)
}

/// Every text column of every table of the schema, as (table, column).
pub async fn text_columns(db: &Db) -> Vec<(String, String)> {
    match db.backend() {
        Backend::Sqlite => {
            let tables: Vec<(String,)> = sqlx::query_as(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
            )
            .fetch_all(db.pool())
            .await
            .unwrap();
            let mut columns = Vec::new();
            for (table,) in tables {
                let cols: Vec<(String, String)> =
                    sqlx::query_as("SELECT name, type FROM pragma_table_info($1)")
                        .bind(&table)
                        .fetch_all(db.pool())
                        .await
                        .unwrap();
                columns.extend(
                    cols.into_iter()
                        .filter(|(_, ty)| ty.eq_ignore_ascii_case("TEXT"))
                        .map(|(name, _)| (table.clone(), name)),
                );
            }
            columns
        }
        Backend::Postgres => sqlx::query_as(
            "SELECT table_name::text, column_name::text FROM information_schema.columns \
             WHERE table_schema = 'public' AND data_type IN ('text', 'character varying')",
        )
        .fetch_all(db.pool())
        .await
        .unwrap(),
    }
}

/// How many values of `table.column` contain `needle`, in any case.
pub async fn values_containing(db: &Db, table: &str, column: &str, needle: &str) -> i64 {
    let pattern = format!("%{}%", needle.to_lowercase());
    scalar_i64(
        db,
        &format!("SELECT COUNT(*) FROM {table} WHERE lower({column}) LIKE $1"),
        &[Text(&pattern)],
    )
    .await
}

// ---------------------------------------------------------------------------
// Cases
// ---------------------------------------------------------------------------

/// The case's current version.
pub async fn case_version(db: &Db, case_id: i64) -> i64 {
    scalar_i64(
        db,
        "SELECT version FROM cases WHERE id = $1",
        &[Int(case_id)],
    )
    .await
}

pub async fn case_id_by_reference(db: &Db, reference: &str) -> i64 {
    scalar_i64(
        db,
        "SELECT id FROM cases WHERE reference = $1",
        &[Text(reference)],
    )
    .await
}

pub async fn count_cases(db: &Db) -> i64 {
    scalar_i64(db, "SELECT COUNT(*) FROM cases", &[]).await
}

pub async fn count_cases_with_lab_reference(db: &Db, lab_reference: &str) -> i64 {
    scalar_i64(
        db,
        "SELECT COUNT(*) FROM cases WHERE lab_reference = $1",
        &[Text(lab_reference)],
    )
    .await
}

pub async fn count_cases_with_lab_reference_like(db: &Db, pattern: &str) -> i64 {
    scalar_i64(
        db,
        "SELECT COUNT(*) FROM cases WHERE lab_reference LIKE $1",
        &[Text(pattern)],
    )
    .await
}

/// The cases opened by a contact's positive test.
pub async fn count_cases_opened_by(db: &Db, contact_id: i64) -> i64 {
    scalar_i64(
        db,
        "SELECT COUNT(*) FROM cases WHERE source_contact_id = $1",
        &[Int(contact_id)],
    )
    .await
}

/// A case as the intake stored it: (id, reference, first name, phone, lang,
/// test type, status).
pub type IntakeCase = (i64, String, String, String, String, String, String);

pub async fn case_by_lab_reference(db: &Db, lab_reference: &str) -> IntakeCase {
    sqlx::query_as(
        "SELECT id, reference, first_name, phone, lang, test_type, status FROM cases \
         WHERE lab_reference = $1",
    )
    .bind(lab_reference)
    .fetch_one(db.pool())
    .await
    .unwrap()
}

/// The département stored for the case of a lab reference (`None`: the
/// column is NULL).
pub async fn case_departement(db: &Db, lab_reference: &str) -> Option<String> {
    let (departement,): (Option<String>,) =
        sqlx::query_as("SELECT departement FROM cases WHERE lab_reference = $1")
            .bind(lab_reference)
            .fetch_one(db.pool())
            .await
            .unwrap();
    departement
}

/// (reference, département) of the cases whose reference starts with
/// `prefix`, by reference.
pub async fn departements_of_cases(db: &Db, prefix: &str) -> Vec<(String, Option<String>)> {
    sqlx::query_as(
        "SELECT reference, departement FROM cases WHERE reference LIKE $1 ORDER BY reference",
    )
    .bind(format!("{prefix}%"))
    .fetch_all(db.pool())
    .await
    .unwrap()
}

/// (last name, phone, lang) of the case of a lab reference.
pub async fn case_name_phone_lang(db: &Db, lab_reference: &str) -> (String, String, String) {
    sqlx::query_as("SELECT last_name, phone, lang FROM cases WHERE lab_reference = $1")
        .bind(lab_reference)
        .fetch_one(db.pool())
        .await
        .unwrap()
}

/// A case a contact's positive test opened: (id, first name, status,
/// source case, sample date, phone, département).
pub type OpenedCase = (
    i64,
    String,
    String,
    Option<i64>,
    String,
    String,
    Option<String>,
);

pub async fn cases_opened_by(db: &Db, contact_id: i64) -> Vec<OpenedCase> {
    sqlx::query_as(
        "SELECT id, first_name, status, source_case_id, sample_date, phone, departement \
         FROM cases WHERE source_contact_id = $1",
    )
    .bind(contact_id)
    .fetch_all(db.pool())
    .await
    .unwrap()
}

/// The cases a contact's positive test opened: (id, source case, status,
/// reference).
pub async fn case_links_opened_by(
    db: &Db,
    contact_id: i64,
) -> Vec<(i64, Option<i64>, String, String)> {
    sqlx::query_as(
        "SELECT id, source_case_id, status, reference FROM cases WHERE source_contact_id = $1",
    )
    .bind(contact_id)
    .fetch_all(db.pool())
    .await
    .unwrap()
}

/// (status, list submitted at) of a case.
pub async fn case_submission(db: &Db, case_id: i64) -> (String, Option<i64>) {
    sqlx::query_as("SELECT status, list_submitted_at FROM cases WHERE id = $1")
        .bind(case_id)
        .fetch_one(db.pool())
        .await
        .unwrap()
}

pub async fn case_status_by_reference(db: &Db, reference: &str) -> String {
    let (status,): (String,) = sqlx::query_as("SELECT status FROM cases WHERE reference = $1")
        .bind(reference)
        .fetch_one(db.pool())
        .await
        .unwrap();
    status
}

pub async fn symptom_onset_by_reference(db: &Db, reference: &str) -> Option<String> {
    let (onset,): (Option<String>,) =
        sqlx::query_as("SELECT symptom_onset FROM cases WHERE reference = $1")
            .bind(reference)
            .fetch_one(db.pool())
            .await
            .unwrap();
    onset
}

/// The wrong dates of birth counted on the database's only case.
pub async fn dob_failures_of_the_only_case(db: &Db) -> i64 {
    scalar_i64(db, "SELECT dob_failures FROM cases", &[]).await
}

pub async fn set_case_email(db: &Db, case_id: i64, email: &str) {
    execute(
        db,
        "UPDATE cases SET email = $1 WHERE id = $2",
        &[Text(email), Int(case_id)],
    )
    .await;
}

pub async fn set_lab_reference(db: &Db, case_id: i64, lab_reference: &str) {
    execute(
        db,
        "UPDATE cases SET lab_reference = $2 WHERE id = $1",
        &[Int(case_id), Text(lab_reference)],
    )
    .await;
}

/// Overwrites a contact's names (as an older version or a direct write
/// could have stored them).
pub async fn set_contact_names(db: &Db, contact_id: i64, first: &str, last: &str) {
    execute(
        db,
        "UPDATE contacts SET first_name = $2, last_name = $3 WHERE id = $1",
        &[Int(contact_id), Text(first), Text(last)],
    )
    .await;
}

/// The staff sign-in attempts recorded.
pub async fn count_sign_in_attempts(db: &Db) -> i64 {
    scalar_i64(
        db,
        "SELECT COUNT(*) FROM login_attempts WHERE kind = 'staff_sign_in'",
        &[],
    )
    .await
}

/// Files the case under a département (as the intake would have).
pub async fn set_case_departement(db: &Db, case_id: i64, departement: &str) {
    execute(
        db,
        "UPDATE cases SET departement = $2 WHERE id = $1",
        &[Int(case_id), Text(departement)],
    )
    .await;
}

/// The cases whose reference starts with `prefix` that are lent to the
/// organisation `org`.
pub async fn count_cases_lent_to(db: &Db, prefix: &str, org: i64) -> i64 {
    scalar_i64(
        db,
        "SELECT COUNT(*) FROM cases WHERE reference LIKE $1 AND lent_to = $2",
        &[Text(&format!("{prefix}%")), Int(org)],
    )
    .await
}

/// The references of the cases lent to `org`, in reference order.
pub async fn references_lent_to(db: &Db, org: i64) -> Vec<String> {
    sqlx::query_as::<_, (String,)>(
        "SELECT reference FROM cases WHERE lent_to = $1 ORDER BY reference",
    )
    .bind(org)
    .fetch_all(db.pool())
    .await
    .expect("lent cases")
    .into_iter()
    .map(|(r,)| r)
    .collect()
}

/// The audit lines of `action` whose detail starts with `detail`.
pub async fn count_audit_action(db: &Db, action: &str, detail: &str) -> i64 {
    scalar_i64(
        db,
        "SELECT COUNT(*) FROM audit_log WHERE action = $1 AND detail LIKE $2",
        &[Text(action), Text(&format!("{detail}%"))],
    )
    .await
}

pub async fn set_validated_at(db: &Db, case_id: i64, at: i64) {
    execute(
        db,
        "UPDATE cases SET validated_at = $2 WHERE id = $1",
        &[Int(case_id), Int(at)],
    )
    .await;
}

pub async fn set_sample_and_onset(db: &Db, case_id: i64, sample_date: &str, onset: &str) {
    execute(
        db,
        "UPDATE cases SET sample_date = $2, symptom_onset = $3 WHERE id = $1",
        &[Int(case_id), Text(sample_date), Text(onset)],
    )
    .await;
}

/// Closes a case behind the application's back.
pub async fn close_case(db: &Db, case_id: i64) {
    execute(
        db,
        "UPDATE cases SET status = 'closed' WHERE id = $1",
        &[Int(case_id)],
    )
    .await;
}

// ---------------------------------------------------------------------------
// Contacts, their tests, places
// ---------------------------------------------------------------------------

/// The ids of a case's contacts, oldest first.
pub async fn contact_ids(db: &Db, case_id: i64) -> Vec<i64> {
    let rows: Vec<(i64,)> =
        sqlx::query_as("SELECT id FROM contacts WHERE case_id = $1 ORDER BY id")
            .bind(case_id)
            .fetch_all(db.pool())
            .await
            .unwrap();
    rows.into_iter().map(|(id,)| id).collect()
}

/// The id of the case's contact (of the first one the database finds).
pub async fn contact_of_case(db: &Db, case_id: i64) -> i64 {
    scalar_i64(
        db,
        "SELECT id FROM contacts WHERE case_id = $1",
        &[Int(case_id)],
    )
    .await
}

/// The case's smallest contact id.
pub async fn first_contact_of_case(db: &Db, case_id: i64) -> i64 {
    scalar_i64(
        db,
        "SELECT MIN(id) FROM contacts WHERE case_id = $1",
        &[Int(case_id)],
    )
    .await
}

/// (phone, changed after submit, removed at) of a case's contacts, oldest
/// first, booleans read as 0/1 as the store does.
pub async fn contact_rows(db: &Db, case_id: i64) -> Vec<(String, bool, Option<i64>)> {
    let rows: Vec<(String, i64, Option<i64>)> = sqlx::query_as(
        "SELECT phone, CASE WHEN changed_after_submit THEN 1 ELSE 0 END, removed_at \
         FROM contacts WHERE case_id = $1 ORDER BY id",
    )
    .bind(case_id)
    .fetch_all(db.pool())
    .await
    .unwrap();
    rows.into_iter().map(|(p, c, r)| (p, c != 0, r)).collect()
}

/// Whether the case's contact of `phone` can receive SMS, as 0/1.
pub async fn contact_phone_can_sms(db: &Db, case_id: i64, phone: &str) -> i64 {
    scalar_i64(
        db,
        "SELECT CASE WHEN phone_can_sms THEN 1 ELSE 0 END FROM contacts \
         WHERE case_id = $1 AND phone = $2",
        &[Int(case_id), Text(phone)],
    )
    .await
}

/// The guardian's phone of the case's contact.
pub async fn guardian_phone_of_case(db: &Db, case_id: i64) -> Option<String> {
    let (guardian,): (Option<String>,) =
        sqlx::query_as("SELECT guardian_phone FROM contacts WHERE case_id = $1")
            .bind(case_id)
            .fetch_one(db.pool())
            .await
            .unwrap();
    guardian
}

pub async fn contact_phone(db: &Db, contact_id: i64) -> String {
    let (phone,): (String,) = sqlx::query_as("SELECT phone FROM contacts WHERE id = $1")
        .bind(contact_id)
        .fetch_one(db.pool())
        .await
        .unwrap();
    phone
}

/// (phone, staff member who changed it last) of a contact.
pub async fn contact_phone_and_editor(db: &Db, contact_id: i64) -> (String, Option<i64>) {
    sqlx::query_as("SELECT phone, changed_by_staff FROM contacts WHERE id = $1")
        .bind(contact_id)
        .fetch_one(db.pool())
        .await
        .unwrap()
}

/// (first name, phone, phone asked for) of a contact.
pub async fn contact_name_and_phones(db: &Db, contact_id: i64) -> (String, String, Option<String>) {
    sqlx::query_as(
        "SELECT COALESCE(own_first_name, first_name), phone, requested_phone FROM contacts \
         WHERE id = $1",
    )
    .bind(contact_id)
    .fetch_one(db.pool())
    .await
    .unwrap()
}

/// When the contact was flagged for the tracer.
pub async fn follow_up_at(db: &Db, contact_id: i64) -> Option<i64> {
    let (flag,): (Option<i64>,) = sqlx::query_as("SELECT follow_up_at FROM contacts WHERE id = $1")
        .bind(contact_id)
        .fetch_one(db.pool())
        .await
        .unwrap();
    flag
}

/// (flagged at, symptoms since) of a contact.
pub async fn follow_up_and_symptoms(db: &Db, contact_id: i64) -> (Option<i64>, Option<String>) {
    sqlx::query_as("SELECT follow_up_at, symptoms_since FROM contacts WHERE id = $1")
        .bind(contact_id)
        .fetch_one(db.pool())
        .await
        .unwrap()
}

/// (answer by SMS, flagged at) of a contact.
pub async fn sms_answer_and_follow_up(db: &Db, contact_id: i64) -> (Option<String>, Option<i64>) {
    sqlx::query_as("SELECT sms_answer, follow_up_at FROM contacts WHERE id = $1")
        .bind(contact_id)
        .fetch_one(db.pool())
        .await
        .unwrap()
}

pub async fn count_validated_contacts(db: &Db, case_id: i64) -> i64 {
    scalar_i64(
        db,
        "SELECT COUNT(*) FROM contacts WHERE case_id = $1 AND status = 'validated'",
        &[Int(case_id)],
    )
    .await
}

/// The case's contacts not removed.
pub async fn count_live_contacts(db: &Db, case_id: i64) -> i64 {
    scalar_i64(
        db,
        "SELECT COUNT(*) FROM contacts WHERE case_id = $1 AND removed_at IS NULL",
        &[Int(case_id)],
    )
    .await
}

pub async fn set_last_contact_of_case(db: &Db, case_id: i64, day: &str) {
    execute(
        db,
        "UPDATE contacts SET last_contact = $2 WHERE case_id = $1",
        &[Int(case_id), Text(day)],
    )
    .await;
}

/// A contact as the export should give it: (first name, last name, phone,
/// relationship, last contact, classification, notified at, validated at,
/// case reference, lab reference).
pub type ExportedContact = (
    String,
    String,
    String,
    String,
    String,
    Option<String>,
    Option<i64>,
    i64,
    String,
    String,
);

pub async fn exported_contact(db: &Db, contact_id: i64) -> ExportedContact {
    sqlx::query_as(
        "SELECT c.first_name, c.last_name, c.phone, c.relationship, c.last_contact, \
             c.classification, c.notified_at, k.validated_at, k.reference, k.lab_reference \
             FROM contacts c JOIN cases k ON k.id = c.case_id WHERE c.id = $1",
    )
    .bind(contact_id)
    .fetch_one(db.pool())
    .await
    .unwrap()
}

pub async fn count_tests_of_contact(db: &Db, contact_id: i64) -> i64 {
    scalar_i64(
        db,
        "SELECT COUNT(*) FROM contact_tests WHERE contact_id = $1",
        &[Int(contact_id)],
    )
    .await
}

/// (sampled on, result) of a contact's tests.
pub async fn tests_of_contact(db: &Db, contact_id: i64) -> Vec<(String, String)> {
    sqlx::query_as("SELECT sampled_on, result FROM contact_tests WHERE contact_id = $1")
        .bind(contact_id)
        .fetch_all(db.pool())
        .await
        .unwrap()
}

/// Adds a restaurant to a case's places; its id.
pub async fn insert_place(
    db: &Db,
    case_id: i64,
    name: &str,
    town: &str,
    visited_on: &str,
    created_at: i64,
) -> i64 {
    scalar_i64(
        db,
        "INSERT INTO places (case_id, kind, name, town, visited_on, created_at) \
         VALUES ($1, 'restaurant', $2, $3, $4, $5) RETURNING id",
        &[
            Int(case_id),
            Text(name),
            Text(town),
            Text(visited_on),
            Int(created_at),
        ],
    )
    .await
}

pub async fn count_places_of_case(db: &Db, case_id: i64) -> i64 {
    scalar_i64(
        db,
        "SELECT COUNT(*) FROM places WHERE case_id = $1",
        &[Int(case_id)],
    )
    .await
}

/// Deletes every place, behind the application's back.
pub async fn delete_all_places(db: &Db) {
    execute(db, "DELETE FROM places", &[]).await;
}

pub async fn count_recent_clusters(db: &Db) -> i64 {
    scalar_i64(db, "SELECT COUNT(*) FROM recent_clusters", &[]).await
}

// ---------------------------------------------------------------------------
// Staff, sessions, API keys, the audit trail
// ---------------------------------------------------------------------------

pub async fn staff_id(db: &Db, username: &str) -> i64 {
    scalar_i64(
        db,
        "SELECT id FROM staff_users WHERE username = $1",
        &[Text(username)],
    )
    .await
}

/// (failed sign-ins, locked at) of a staff account.
pub async fn failed_logins_and_lock(db: &Db, username: &str) -> (i64, Option<i64>) {
    sqlx::query_as("SELECT failed_logins, locked_at FROM staff_users WHERE username = $1")
        .bind(username)
        .fetch_one(db.pool())
        .await
        .unwrap()
}

/// The latest activity of the staff sessions.
pub async fn last_staff_activity(db: &Db) -> i64 {
    scalar_i64(
        db,
        "SELECT MAX(last_seen_at) FROM sessions WHERE kind = 'staff'",
        &[],
    )
    .await
}

/// The sessions stored under `id_hash`.
pub async fn count_sessions_with_hash(db: &Db, id_hash: &str) -> i64 {
    scalar_i64(
        db,
        "SELECT COUNT(*) FROM sessions WHERE id_hash = $1",
        &[Text(id_hash)],
    )
    .await
}

/// Unsaved staff form fields about a case.
pub async fn insert_staff_draft(db: &Db, staff_user_id: i64, case_id: i64, fields: &str) {
    execute(
        db,
        "INSERT INTO staff_drafts (staff_user_id, case_id, fields, created_at) \
         VALUES ($1, $2, $3, 1)",
        &[Int(staff_user_id), Int(case_id), Text(fields)],
    )
    .await;
}

pub async fn api_key_hash(db: &Db, name: &str) -> String {
    let (hash,): (String,) = sqlx::query_as("SELECT key_hash FROM api_keys WHERE name = $1")
        .bind(name)
        .fetch_one(db.pool())
        .await
        .unwrap();
    hash
}

pub async fn api_key_last_used(db: &Db, name: &str) -> Option<i64> {
    let (used,): (Option<i64>,) =
        sqlx::query_as("SELECT last_used_at FROM api_keys WHERE name = $1")
            .bind(name)
            .fetch_one(db.pool())
            .await
            .unwrap();
    used
}

/// A line of the audit trail: `username` viewed the case at `at`.
pub async fn record_case_view(db: &Db, at: i64, username: &str, case_id: i64) {
    execute(
        db,
        "INSERT INTO audit_log (at, staff_user_id, action, case_id, detail) \
         SELECT $1, id, 'view_case', $2, '' FROM staff_users WHERE username = $3",
        &[Int(at), Int(case_id), Text(username)],
    )
    .await;
}

/// A line of the audit trail at instant 1: the staff member viewed the
/// case's contact.
pub async fn record_contact_view(db: &Db, staff_user_id: i64, case_id: i64, contact_id: i64) {
    execute(
        db,
        "INSERT INTO audit_log (at, staff_user_id, action, case_id, contact_id, detail) \
         VALUES (1, $1, 'view_case', $2, $3, '')",
        &[Int(staff_user_id), Int(case_id), Int(contact_id)],
    )
    .await;
}

/// The looks at the access review recorded with `detail`.
pub async fn count_reviews(db: &Db, detail: &str) -> i64 {
    scalar_i64(
        db,
        "SELECT COUNT(*) FROM audit_log WHERE action = 'view_audit' AND detail = $1",
        &[Text(detail)],
    )
    .await
}

/// The case's audit lines of `action`.
pub async fn count_audit(db: &Db, case_id: i64, action: &str) -> i64 {
    scalar_i64(
        db,
        "SELECT COUNT(*) FROM audit_log WHERE case_id = $1 AND action = $2",
        &[Int(case_id), Text(action)],
    )
    .await
}

/// The audit lines about a case's contact.
pub async fn count_audit_of_contact(db: &Db, case_id: i64, contact_id: i64) -> i64 {
    scalar_i64(
        db,
        "SELECT COUNT(*) FROM audit_log WHERE case_id = $1 AND contact_id = $2",
        &[Int(case_id), Int(contact_id)],
    )
    .await
}

/// The case's audit trail: (action, case, contact, username), in order.
pub async fn audit_trail(db: &Db, case_id: i64) -> Vec<(String, Option<i64>, Option<i64>, String)> {
    sqlx::query_as(
        "SELECT a.action, a.case_id, a.contact_id, s.username FROM audit_log a \
         JOIN staff_users s ON s.id = a.staff_user_id WHERE a.case_id = $1 ORDER BY a.id",
    )
    .bind(case_id)
    .fetch_all(db.pool())
    .await
    .unwrap()
}

/// The detail of every audit line.
pub async fn audit_details(db: &Db) -> Vec<String> {
    let rows: Vec<(String,)> = sqlx::query_as("SELECT detail FROM audit_log")
        .fetch_all(db.pool())
        .await
        .unwrap();
    rows.into_iter().map(|(detail,)| detail).collect()
}

pub async fn count_calls_of_case(db: &Db, case_id: i64) -> i64 {
    scalar_i64(
        db,
        "SELECT COUNT(*) FROM case_calls WHERE case_id = $1",
        &[Int(case_id)],
    )
    .await
}

// ---------------------------------------------------------------------------
// The SMS outbox, inbound messages and replies
// ---------------------------------------------------------------------------

/// Makes every pending message due now (instead of waiting its backoff or
/// its day).
pub async fn make_pending_due(db: &Db) {
    execute(
        db,
        "UPDATE sms_outbox SET next_attempt_at = 0 WHERE status = 'pending'",
        &[],
    )
    .await;
}

pub async fn count_messages(db: &Db) -> i64 {
    scalar_i64(db, "SELECT COUNT(*) FROM sms_outbox", &[]).await
}

pub async fn count_messages_of_kind(db: &Db, kind: &str) -> i64 {
    scalar_i64(
        db,
        "SELECT COUNT(*) FROM sms_outbox WHERE kind = $1",
        &[Text(kind)],
    )
    .await
}

pub async fn count_messages_of_case(db: &Db, case_id: i64) -> i64 {
    scalar_i64(
        db,
        "SELECT COUNT(*) FROM sms_outbox WHERE case_id = $1",
        &[Int(case_id)],
    )
    .await
}

pub async fn count_sent_messages(db: &Db) -> i64 {
    scalar_i64(
        db,
        "SELECT COUNT(*) FROM sms_outbox WHERE status = 'sent'",
        &[],
    )
    .await
}

/// The messages with an id from `first` to `last` not sent yet.
pub async fn count_unsent_between(db: &Db, first: i64, last: i64) -> i64 {
    scalar_i64(
        db,
        "SELECT COUNT(*) FROM sms_outbox WHERE status <> 'sent' AND id BETWEEN $1 AND $2",
        &[Int(first), Int(last)],
    )
    .await
}

/// The ids of the messages of the cases whose reference is LIKE `pattern`.
pub async fn message_ids_of_cases_like(db: &Db, pattern: &str) -> Vec<i64> {
    sqlx::query_scalar(
        "SELECT o.id FROM sms_outbox o JOIN cases c ON c.id = o.case_id \
         WHERE c.reference LIKE $1 ORDER BY o.id",
    )
    .bind(pattern)
    .fetch_all(db.pool())
    .await
    .unwrap()
}

/// (status, attempts, last error) of the case's one message.
pub async fn outbox_row(db: &Db, case_id: i64) -> (String, i64, Option<String>) {
    sqlx::query_as("SELECT status, attempts, last_error FROM sms_outbox WHERE case_id = $1")
        .bind(case_id)
        .fetch_one(db.pool())
        .await
        .unwrap()
}

/// The text kept for the case's one message.
pub async fn outbox_body(db: &Db, case_id: i64) -> Option<String> {
    let (body,): (Option<String>,) =
        sqlx::query_as("SELECT body FROM sms_outbox WHERE case_id = $1")
            .bind(case_id)
            .fetch_one(db.pool())
            .await
            .unwrap();
    body
}

/// When the case's one message is due.
pub async fn next_attempt_of_case(db: &Db, case_id: i64) -> i64 {
    scalar_i64(
        db,
        "SELECT next_attempt_at FROM sms_outbox WHERE case_id = $1",
        &[Int(case_id)],
    )
    .await
}

/// The case's contact notifications: (to, contact, status).
pub async fn notifications_of_case(db: &Db, case_id: i64) -> Vec<(String, i64, String)> {
    sqlx::query_as(
        "SELECT to_phone, contact_id, status FROM sms_outbox \
         WHERE case_id = $1 AND kind = 'contact_notification'",
    )
    .bind(case_id)
    .fetch_all(db.pool())
    .await
    .unwrap()
}

/// The case's invitations: (dedupe key, to, lang, status).
pub async fn invitations_of_case(db: &Db, case_id: i64) -> Vec<(String, String, String, String)> {
    sqlx::query_as(
        "SELECT dedupe_key, to_phone, lang, status FROM sms_outbox \
         WHERE case_id = $1 AND kind = 'case_invitation'",
    )
    .bind(case_id)
    .fetch_all(db.pool())
    .await
    .unwrap()
}

/// The contact's scheduled messages (all but its notification), by due
/// time: (kind, due, status, for day).
pub async fn scheduled_messages(db: &Db, contact_id: i64) -> Vec<(String, i64, String, String)> {
    sqlx::query_as(
        "SELECT kind, next_attempt_at, status, for_day FROM sms_outbox \
         WHERE contact_id = $1 AND kind <> 'contact_notification' ORDER BY next_attempt_at, id",
    )
    .bind(contact_id)
    .fetch_all(db.pool())
    .await
    .unwrap()
}

pub async fn delete_messages_of_contact(db: &Db, contact_id: i64) {
    execute(
        db,
        "DELETE FROM sms_outbox WHERE contact_id = $1",
        &[Int(contact_id)],
    )
    .await;
}

/// The statuses of the case's messages, each once.
pub async fn message_statuses_of_case(db: &Db, case_id: i64) -> Vec<String> {
    let rows: Vec<(String,)> =
        sqlx::query_as("SELECT DISTINCT status FROM sms_outbox WHERE case_id = $1")
            .bind(case_id)
            .fetch_all(db.pool())
            .await
            .unwrap();
    rows.into_iter().map(|(status,)| status).collect()
}

/// Every inbound SMS recorded.
pub async fn count_inbound(db: &Db) -> i64 {
    scalar_i64(db, "SELECT COUNT(*) FROM sms_inbound", &[]).await
}

/// Every free-text reply kept for the tracers.
pub async fn count_replies(db: &Db) -> i64 {
    scalar_i64(db, "SELECT COUNT(*) FROM sms_replies", &[]).await
}

pub async fn count_replies_of_case(db: &Db, case_id: i64) -> i64 {
    scalar_i64(
        db,
        "SELECT COUNT(*) FROM sms_replies WHERE case_id = $1",
        &[Int(case_id)],
    )
    .await
}

/// The id of the case's reply.
pub async fn reply_of_case(db: &Db, case_id: i64) -> i64 {
    scalar_i64(
        db,
        "SELECT id FROM sms_replies WHERE case_id = $1",
        &[Int(case_id)],
    )
    .await
}

// ---------------------------------------------------------------------------
// The rows of the hand-made dataset (common/dataset.rs), every column given
// ---------------------------------------------------------------------------

pub struct CaseRow<'a> {
    pub reference: &'a str,
    pub first_name: &'a str,
    pub last_name: &'a str,
    pub birth_date: &'a str,
    pub phone: &'a str,
    pub email: &'a str,
    pub sample_date: &'a str,
    pub list_submitted_at: Option<i64>,
    pub contact_draft: &'a str,
    pub place_draft: &'a str,
    pub name_key: &'a str,
    /// Also its last update.
    pub created_at: i64,
}

/// Writes a case row; its id.
pub async fn insert_case_row(db: &Db, row: &CaseRow<'_>) -> i64 {
    scalar_i64(
        db,
        "INSERT INTO cases (reference, first_name, last_name, birth_date, phone, email, \
         sample_date, list_submitted_at, contact_draft, place_draft, name_key, \
         created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12) RETURNING id",
        &[
            Text(row.reference),
            Text(row.first_name),
            Text(row.last_name),
            Text(row.birth_date),
            Text(row.phone),
            Text(row.email),
            Text(row.sample_date),
            int_or_null(row.list_submitted_at),
            Text(row.contact_draft),
            Text(row.place_draft),
            Text(row.name_key),
            Int(row.created_at),
        ],
    )
    .await
}

pub struct ContactRow<'a> {
    pub case_id: i64,
    pub first_name: &'a str,
    pub last_name: &'a str,
    pub phone: &'a str,
    pub email: &'a str,
    pub guardian_phone: &'a str,
    pub requested_phone: &'a str,
    pub follow_up_draft: &'a str,
    pub tracer_reason: &'a str,
    pub status: &'a str,
    pub removed_at: Option<i64>,
    /// Also its last update.
    pub created_at: i64,
}

/// Writes a contact row; its id.
pub async fn insert_contact_row(db: &Db, row: &ContactRow<'_>) -> i64 {
    scalar_i64(
        db,
        "INSERT INTO contacts (case_id, first_name, last_name, phone, email, guardian_phone, \
         requested_phone, follow_up_draft, tracer_reason, status, removed_at, created_at, \
         updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12) RETURNING id",
        &[
            Int(row.case_id),
            Text(row.first_name),
            Text(row.last_name),
            Text(row.phone),
            Text(row.email),
            Text(row.guardian_phone),
            Text(row.requested_phone),
            Text(row.follow_up_draft),
            Text(row.tracer_reason),
            Text(row.status),
            int_or_null(row.removed_at),
            Int(row.created_at),
        ],
    )
    .await
}

/// Writes a tracer's call to a case; its id.
pub async fn insert_call(db: &Db, case_id: i64, outcome: &str, at: i64) -> i64 {
    scalar_i64(
        db,
        "INSERT INTO case_calls (case_id, outcome, at) VALUES ($1, $2, $3) RETURNING id",
        &[Int(case_id), Text(outcome), Int(at)],
    )
    .await
}

pub struct MessageRow<'a> {
    pub kind: &'a str,
    pub to_phone: &'a str,
    pub body: &'a str,
    pub case_id: i64,
    pub contact_id: Option<i64>,
    pub status: &'a str,
    /// Also its creation.
    pub next_attempt_at: i64,
    pub sent_at: Option<i64>,
    pub last_error: &'a str,
}

/// Writes a message of the outbox; its id.
pub async fn insert_message_row(db: &Db, row: &MessageRow<'_>) -> i64 {
    scalar_i64(
        db,
        "INSERT INTO sms_outbox (kind, to_phone, body, case_id, contact_id, status, \
         next_attempt_at, created_at, sent_at, last_error) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $7, $8, $9) RETURNING id",
        &[
            Text(row.kind),
            Text(row.to_phone),
            Text(row.body),
            Int(row.case_id),
            int_or_null(row.contact_id),
            Text(row.status),
            Int(row.next_attempt_at),
            int_or_null(row.sent_at),
            Text(row.last_error),
        ],
    )
    .await
}

/// The contact answered "1" (negative) by SMS at `at`.
pub async fn set_negative_sms_answer(db: &Db, contact_id: i64, at: i64) {
    sqlx::query("UPDATE contacts SET sms_answer = 'negative', sms_answer_at = $2 WHERE id = $1")
        .bind(contact_id)
        .bind(at)
        .execute(db.pool())
        .await
        .expect("answer");
}

/// Writes an inbound SMS that was a reply; its id.
pub async fn insert_inbound_reply(db: &Db, gateway_id: &str, received_at: i64) -> i64 {
    scalar_i64(
        db,
        "INSERT INTO sms_inbound (gateway_id, outcome, received_at) VALUES ($1, 'reply', $2) \
         RETURNING id",
        &[Text(gateway_id), Int(received_at)],
    )
    .await
}

pub struct ReplyRow<'a> {
    pub inbound_id: i64,
    pub case_id: i64,
    pub contact_id: i64,
    pub from_phone: &'a str,
    pub body: &'a str,
    pub received_at: i64,
}

/// Writes a free-text reply; its id.
pub async fn insert_reply_row(db: &Db, row: &ReplyRow<'_>) -> i64 {
    scalar_i64(
        db,
        "INSERT INTO sms_replies (inbound_id, case_id, contact_id, from_phone, body, received_at) \
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        &[
            Int(row.inbound_id),
            Int(row.case_id),
            Int(row.contact_id),
            Text(row.from_phone),
            Text(row.body),
            Int(row.received_at),
        ],
    )
    .await
}

/// Writes an opt-out (STOP) of `phone`.
pub async fn insert_opt_out(db: &Db, phone: &str, created_at: i64) {
    scalar_i64(
        db,
        "INSERT INTO sms_opt_outs (phone, created_at) VALUES ($1, $2) RETURNING created_at",
        &[Text(phone), Int(created_at)],
    )
    .await;
}

/// The name the case wrote for a contact, and the one the contact corrected
/// on their own page (if any).
pub async fn contact_names_as_written(db: &Db, contact_id: i64) -> (String, Option<String>) {
    sqlx::query_as("SELECT first_name, own_first_name FROM contacts WHERE id = $1")
        .bind(contact_id)
        .fetch_one(db.pool())
        .await
        .unwrap()
}

/// How many contacts and places a case has (removed ones included).
pub async fn count_contacts_and_places(db: &Db, case_id: i64) -> (i64, i64) {
    let contacts = scalar_i64(
        db,
        "SELECT COUNT(*) FROM contacts WHERE case_id = $1",
        &[Int(case_id)],
    )
    .await;
    let places = scalar_i64(
        db,
        "SELECT COUNT(*) FROM places WHERE case_id = $1",
        &[Int(case_id)],
    )
    .await;
    (contacts, places)
}

/// The failures counted under a name that is no account, and whether it is
/// locked now.
pub async fn unknown_name_failures(db: &Db) -> Vec<(i64, i64)> {
    sqlx::query_as("SELECT failures, locks FROM sign_in_names ORDER BY failures")
        .fetch_all(db.pool())
        .await
        .unwrap()
}

/// How many audit rows of `action` a staff member wrote.
pub async fn count_audit_of(db: &Db, staff_user_id: i64, action: &str) -> i64 {
    scalar_i64(
        db,
        "SELECT COUNT(*) FROM audit_log WHERE staff_user_id = $1 AND action = $2",
        &[Int(staff_user_id), Text(action)],
    )
    .await
}

// ---------------------------------------------------------------------------
// Support during isolation
// ---------------------------------------------------------------------------

/// The ids of the case's requests for help, oldest first.
pub async fn support_request_ids(db: &Db, case_id: i64) -> Vec<i64> {
    let rows: Vec<(i64,)> =
        sqlx::query_as("SELECT id FROM support_requests WHERE case_id = $1 ORDER BY id")
            .bind(case_id)
            .fetch_all(db.pool())
            .await
            .unwrap();
    rows.into_iter().map(|(id,)| id).collect()
}

pub async fn count_support_requests(db: &Db) -> i64 {
    scalar_i64(db, "SELECT COUNT(*) FROM support_requests", &[]).await
}

/// A request's state and the cell's note.
pub async fn support_request_state(db: &Db, id: i64) -> (String, String) {
    sqlx::query_as("SELECT state, state_note FROM support_requests WHERE id = $1")
        .bind(id)
        .fetch_one(db.pool())
        .await
        .unwrap()
}

/// The case's "How are you?" texts: (day sent, last day of isolation).
pub async fn case_check_ins(db: &Db, case_id: i64) -> Vec<(String, String)> {
    sqlx::query_as(
        "SELECT for_day, until_day FROM sms_outbox WHERE case_id = $1 \
         AND kind = 'case_check_in' ORDER BY for_day",
    )
    .bind(case_id)
    .fetch_all(db.pool())
    .await
    .unwrap()
}

pub async fn case_phone(db: &Db, case_id: i64) -> String {
    let (phone,): (String,) = sqlx::query_as("SELECT phone FROM cases WHERE id = $1")
        .bind(case_id)
        .fetch_one(db.pool())
        .await
        .unwrap();
    phone
}

pub async fn case_queue(db: &Db, case_id: i64) -> String {
    let (queue,): (String,) = sqlx::query_as("SELECT queue FROM cases WHERE id = $1")
        .bind(case_id)
        .fetch_one(db.pool())
        .await
        .unwrap();
    queue
}

pub async fn count_wellbeing_answers(db: &Db, case_id: i64) -> i64 {
    scalar_i64(
        db,
        "SELECT COUNT(*) FROM wellbeing_answers WHERE case_id = $1",
        &[Int(case_id)],
    )
    .await
}

/// Takes the case's "How are you?" texts out of the outbox.
pub async fn delete_case_check_ins(db: &Db, case_id: i64) {
    execute(
        db,
        "DELETE FROM sms_outbox WHERE case_id = $1 AND kind = 'case_check_in'",
        &[Int(case_id)],
    )
    .await;
}

/// Makes the waiting messages of `kind` due now.
pub async fn make_pending_due_of_kind(db: &Db, kind: &str) {
    execute(
        db,
        "UPDATE sms_outbox SET next_attempt_at = 0 WHERE status = 'pending' AND kind = $1",
        &[Text(kind)],
    )
    .await;
}

// ---------------------------------------------------------------------------
// Languages (issue 20)
// ---------------------------------------------------------------------------

/// The language a case reads.
pub async fn case_lang(db: &Db, case_id: i64) -> String {
    let (lang,): (String,) = sqlx::query_as("SELECT lang FROM cases WHERE id = $1")
        .bind(case_id)
        .fetch_one(db.pool())
        .await
        .expect("case lang");
    lang
}

/// A case's language as the intake would set it (not their own choice).
pub async fn set_case_intake_lang(db: &Db, case_id: i64, lang: &str) {
    execute(
        db,
        "UPDATE cases SET lang = $2 WHERE id = $1",
        &[Int(case_id), Text(lang)],
    )
    .await;
}

/// The language said for a contact (None: not said).
pub async fn contact_lang(db: &Db, contact_id: i64) -> Option<String> {
    let (lang,): (Option<String>,) = sqlx::query_as("SELECT lang FROM contacts WHERE id = $1")
        .bind(contact_id)
        .fetch_one(db.pool())
        .await
        .expect("contact lang");
    lang
}

/// A contact's texts: (kind, language, status), in the order queued.
pub async fn contact_texts(db: &Db, contact_id: i64) -> Vec<(String, String, String)> {
    sqlx::query_as("SELECT kind, lang, status FROM sms_outbox WHERE contact_id = $1 ORDER BY id")
        .bind(contact_id)
        .fetch_all(db.pool())
        .await
        .expect("contact texts")
}
