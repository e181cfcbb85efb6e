//! The case as a tracer sees it: identity and situation, every contact with
//! what happened to it (removed, reclassified, notified), the calls, the
//! contacts shared with another open case, and what changed since this
//! tracer last looked.

use crate::audit::{AuditAction, AuditEntry};
use crate::columns::{Flag, IsoDate, OptionalId};
use crate::contacts::{from_row, ContactRow, StoredContact, CORRECTED_CONTACT_COLUMNS};
use crate::places::{list_places, StoredPlace};
use relais::desk::calls::Queue;
use relais::ids::{CaseId, ContactId, StaffId};
use relais::status::{CaseStatus, ContactStatus, SmsStatus};
use time::Date;

use crate::scope::ScopedCase;
use crate::{Db, StoreError};

/// A contact shared with another open case within this many days is flagged.
pub const DUPLICATE_DAYS: i64 = 14;

/// The case's own fields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeskCase {
    pub id: CaseId,
    pub reference: String,
    pub first_name: String,
    pub last_name: String,
    pub birth_date: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub lang: relais::Lang,
    pub sample_date: Date,
    pub symptom_onset: Option<Date>,
    /// The case's situation for the rules: the dates above, the case's
    /// vaccination and early-release test.
    pub situation: relais::CaseSituation,
    pub status: CaseStatus,
    pub list_submitted_at: Option<i64>,
    pub locked: bool,
    pub queue: Queue,
    pub call_back_at: Option<i64>,
    pub version: i64,
    pub validated_at: Option<i64>,
    /// When the case changed the symptom onset after sending the list
    /// (the contacts' dates may move), until the next validation.
    pub onset_changed_at: Option<i64>,
    /// When the case (or one of its contacts) answered "2 worse" to a
    /// follow-up text, until a tracer marks it seen.
    pub feels_worse_at: Option<i64>,
    /// The département whose team handles the case, with its name in the
    /// list (`None` when the case has none).
    pub departement: Option<(relais::territory::DepartementCode, String)>,
}

/// A contact with what the tracer needs beyond what the case typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeskContact {
    pub contact: StoredContact,
    pub status: ContactStatus,
    pub added_by: String,
    pub removed_at: Option<i64>,
    pub tracer_classification: Option<String>,
    pub tracer_reason: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
    pub changed_by_staff: Option<StaffId>,
    pub notified_at: Option<i64>,
    /// The notification SMS (or the opt-out that stopped it).
    pub sms_status: Option<SmsStatus>,
    /// The contact reported symptoms or asked for a phone change.
    pub follow_up_at: Option<i64>,
    /// Who said the contact's vaccination (`None`: nobody, or not known).
    pub vaccination_said_by: Option<crate::contacts::VaccinationSaidBy>,
}

/// A call made to the case.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct CallLine {
    pub at: i64,
    pub outcome: String,
    pub call_back_at: Option<i64>,
    #[sqlx(rename = "by_name")]
    pub by: Option<String>,
}

/// A contact of this case who is also a contact of another open case.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct SharedContact {
    #[sqlx(try_from = "i64")]
    pub contact_id: ContactId,
    #[sqlx(try_from = "i64")]
    pub other_case_id: CaseId,
    pub other_reference: String,
}

/// Everything the case page shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseFile {
    pub case: DeskCase,
    pub contacts: Vec<DeskContact>,
    pub places: Vec<StoredPlace>,
    pub calls: Vec<CallLine>,
    pub shared: Vec<SharedContact>,
    /// When this tracer last looked at the case, before this view.
    pub last_seen_at: Option<i64>,
}

/// A `cases` row as the console reads it (a struct: more columns than sqlx
/// decodes into a tuple).
#[derive(sqlx::FromRow)]
struct CaseRow {
    #[sqlx(try_from = "i64")]
    id: CaseId,
    reference: String,
    first_name: Option<String>,
    last_name: Option<String>,
    birth_date: Option<String>,
    phone: Option<String>,
    email: Option<String>,
    lang: String,
    #[sqlx(try_from = "IsoDate")]
    sample_date: Date,
    symptom_onset: Option<IsoDate>,
    #[sqlx(try_from = "String")]
    status: CaseStatus,
    list_submitted_at: Option<i64>,
    locked_at: Option<i64>,
    #[sqlx(try_from = "String")]
    queue: Queue,
    call_back_at: Option<i64>,
    version: i64,
    validated_at: Option<i64>,
    onset_changed_at: Option<i64>,
    feels_worse_at: Option<i64>,
    departement: Option<String>,
    departement_name: Option<String>,
    /// When the viewer last looked at the case (none asked: NULL).
    seen_at: Option<i64>,
    #[sqlx(flatten)]
    facts: crate::cases::CaseFacts,
}

/// The case's own fields (`None` once the case is gone).
pub async fn load_case(db: &Db, case: ScopedCase) -> Result<Option<DeskCase>, StoreError> {
    Ok(read_case(db, case, None).await?.map(|(case, _)| case))
}

/// The case's own fields and, for `viewer`, when they last looked at it
/// (read in the same statement; `None` once the case is gone).
async fn read_case(
    db: &Db,
    case: ScopedCase,
    viewer: Option<StaffId>,
) -> Result<Option<(DeskCase, Option<i64>)>, StoreError> {
    let case_id = case.id();
    let row: Option<CaseRow> = sqlx::query_as(&format!(
        "SELECT id, reference, first_name, last_name, birth_date, phone, email, lang, \
         sample_date, symptom_onset, status, list_submitted_at, locked_at, queue, call_back_at, \
         version, validated_at, onset_changed_at, \
         CASE WHEN feels_worse_seen_at IS NULL THEN feels_worse_at END AS feels_worse_at, \
         departement, (SELECT d.name FROM departements d \
         WHERE d.code = cases.departement) AS departement_name, \
         (SELECT v.seen_at FROM staff_case_views v \
         WHERE v.staff_user_id = $2 AND v.case_id = cases.id) AS seen_at, \
         {} FROM cases WHERE id = $1",
        crate::cases::CASE_FACTS
    ))
    .bind(case_id.get())
    .bind(viewer.map(StaffId::get))
    .fetch_optional(db.pool())
    .await?;
    Ok(row.map(|r| {
        let seen_at = r.seen_at;
        let mut situation =
            relais::CaseSituation::new(r.symptom_onset.map(Date::from), r.sample_date);
        r.facts.apply(&mut situation);
        let case = DeskCase {
            situation,
            id: r.id,
            reference: r.reference,
            first_name: r.first_name.unwrap_or_default(),
            last_name: r.last_name.unwrap_or_default(),
            birth_date: r.birth_date,
            phone: r.phone,
            email: r.email,
            lang: r.lang.parse().unwrap_or_default(),
            sample_date: r.sample_date,
            symptom_onset: r.symptom_onset.map(Date::from),
            status: r.status,
            list_submitted_at: r.list_submitted_at,
            locked: r.locked_at.is_some(),
            queue: r.queue,
            call_back_at: r.call_back_at,
            version: r.version,
            validated_at: r.validated_at,
            onset_changed_at: r.onset_changed_at,
            feels_worse_at: r.feels_worse_at,
            departement: r
                .departement
                .and_then(|code| relais::territory::DepartementCode::parse(&code).ok())
                .map(|code| (code, r.departement_name.unwrap_or_default())),
        };
        (case, seen_at)
    }))
}

/// What the console reads of a contact beyond what the case typed (its
/// `status` read from the [`ContactRow`]'s columns).
#[derive(sqlx::FromRow)]
struct ExtraRow {
    #[sqlx(try_from = "String")]
    status: ContactStatus,
    added_by: String,
    removed_at: Option<i64>,
    tracer_classification: Option<String>,
    tracer_reason: Option<String>,
    created_at: i64,
    updated_at: i64,
    #[sqlx(try_from = "OptionalId")]
    changed_by_staff: Option<StaffId>,
    notified_at: Option<i64>,
    sms_status: Option<String>,
    follow_up_at: Option<i64>,
    vaccination_said_by: Option<String>,
}

/// A contact's row as the console reads it: what the case typed (with what
/// the contact corrected) and the rest, in one statement.
#[derive(sqlx::FromRow)]
struct DeskContactRow {
    #[sqlx(flatten)]
    contact: ContactRow,
    #[sqlx(flatten)]
    extra: ExtraRow,
}

/// Every contact of the case, removed ones included (the tracer sees what
/// the case took back), in the order they were added.
pub async fn load_contacts(db: &Db, case: ScopedCase) -> Result<Vec<DeskContact>, StoreError> {
    let case_id = case.id();
    let rows: Vec<DeskContactRow> = sqlx::query_as(&format!(
        "SELECT {CORRECTED_CONTACT_COLUMNS}, added_by, removed_at, tracer_classification, \
         tracer_reason, created_at, updated_at, changed_by_staff, notified_at, \
         (SELECT o.status FROM sms_outbox o WHERE o.contact_id = contacts.id \
          AND (o.kind = 'contact_notification' OR o.status = 'opted_out') \
          ORDER BY CASE WHEN o.status = 'opted_out' THEN 0 ELSE 1 END, o.id DESC LIMIT 1) \
         AS sms_status, follow_up_at, vaccination_said_by \
         FROM contacts WHERE case_id = $1 ORDER BY id"
    ))
    .bind(case_id.get())
    .fetch_all(db.pool())
    .await?;
    Ok(rows
        .into_iter()
        .filter_map(|DeskContactRow { contact, extra: e }| {
            let contact = from_row(contact)?;
            Some(DeskContact {
                contact,
                status: e.status,
                added_by: e.added_by,
                removed_at: e.removed_at,
                tracer_classification: e.tracer_classification,
                tracer_reason: e.tracer_reason,
                created_at: e.created_at,
                updated_at: e.updated_at,
                changed_by_staff: e.changed_by_staff,
                notified_at: e.notified_at,
                // A status a newer version wrote is shown as waiting.
                sms_status: e.sms_status.and_then(|s| s.parse().ok()),
                follow_up_at: e.follow_up_at,
                vaccination_said_by: e
                    .vaccination_said_by
                    .as_deref()
                    .and_then(crate::contacts::VaccinationSaidBy::parse),
            })
        })
        .collect())
}

/// The calls made to the case, newest first.
pub async fn load_calls(db: &Db, case: ScopedCase) -> Result<Vec<CallLine>, StoreError> {
    let case_id = case.id();
    let calls: Vec<CallLine> = sqlx::query_as(
        "SELECT c.at, c.outcome, c.call_back_at, s.display_name AS by_name FROM case_calls c \
         LEFT JOIN staff_users s ON s.id = c.staff_user_id \
         WHERE c.case_id = $1 ORDER BY c.at DESC, c.id DESC",
    )
    .bind(case_id.get())
    .fetch_all(db.pool())
    .await?;
    Ok(calls)
}

/// This case's contacts whose phone is also a contact of another case that
/// is not closed, both declared in the last [`DUPLICATE_DAYS`] days. The
/// same query from the other case finds this one: the flag is on both.
pub async fn shared_contacts(db: &Db, case: ScopedCase) -> Result<Vec<SharedContact>, StoreError> {
    let case_id = case.id();
    let since = db.now() - DUPLICATE_DAYS * 86_400;
    // The other case shows only when it is in the tracer's scope too: a
    // case outside it is not revealed.
    let mut shared: Vec<SharedContact> = sqlx::query_as(&format!(
        "SELECT c.id AS contact_id, o.case_id AS other_case_id, k.reference AS other_reference \
         FROM contacts c \
         JOIN contacts o ON o.phone = c.phone AND o.case_id <> c.case_id \
         JOIN cases k ON k.id = o.case_id \
         WHERE c.case_id = $1 AND c.removed_at IS NULL AND o.removed_at IS NULL \
         AND k.status <> 'closed' AND c.created_at > $2 AND o.created_at > $2 AND {} \
         ORDER BY c.id, o.case_id",
        case.scope().cases_where("k")
    ))
    .bind(case_id.get())
    .bind(since)
    .fetch_all(db.pool())
    .await?;
    shared.dedup_by_key(|s| (s.contact_id, s.other_case_id));
    Ok(shared)
}

/// The whole file of a case for `staff_user_id`, with when they looked at
/// it before this view (None the first time), and the view recorded: its
/// audit line, which marks the case seen, written with the other lines of
/// the moment ([`crate::audit::record`]). None when there is no such case.
pub async fn load_case_file(
    db: &Db,
    staff_user_id: StaffId,
    case: ScopedCase,
) -> Result<Option<CaseFile>, StoreError> {
    let case_id = case.id();
    let Some((found, last_seen_at)) = read_case(db, case, Some(staff_user_id)).await? else {
        return Ok(None);
    };
    let contacts = load_contacts(db, case).await?;
    let places = list_places(db, case_id).await?;
    let calls = load_calls(db, case).await?;
    let shared = shared_contacts(db, case).await?;
    crate::audit::record(
        db,
        &AuditEntry::new(staff_user_id, AuditAction::ViewCase).case(case_id),
    )
    .await?;
    Ok(Some(CaseFile {
        case: found,
        contacts,
        places,
        calls,
        shared,
        last_seen_at,
    }))
}

/// What a tracer typed in a contact form that could not be saved: the
/// fields (JSON) and whether it was refused for a conflict.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaffDraft {
    pub fields: String,
    pub conflict: bool,
}

/// Keeps a tracer's draft for one case (one per tracer and case).
pub async fn save_staff_draft(
    db: &Db,
    staff_user_id: StaffId,
    case: ScopedCase,
    fields: &str,
    conflict: bool,
) -> Result<(), StoreError> {
    let case_id = case.id();
    sqlx::query(
        "INSERT INTO staff_drafts (staff_user_id, case_id, fields, conflict, created_at) \
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (staff_user_id, case_id) \
         DO UPDATE SET fields = excluded.fields, conflict = excluded.conflict, \
         created_at = excluded.created_at",
    )
    .bind(staff_user_id.get())
    .bind(case_id.get())
    .bind(fields)
    .bind(conflict)
    .bind(db.now())
    .execute(&mut *db.write().await?)
    .await?;
    Ok(())
}

/// The tracer's draft for the case, if any.
pub async fn load_staff_draft(
    db: &Db,
    staff_user_id: StaffId,
    case: ScopedCase,
) -> Result<Option<StaffDraft>, StoreError> {
    let case_id = case.id();
    let row: Option<(String, Flag)> = sqlx::query_as(concat!(
        "SELECT fields, ",
        crate::flag!("conflict"),
        " FROM staff_drafts \
         WHERE staff_user_id = $1 AND case_id = $2"
    ))
    .bind(staff_user_id.get())
    .bind(case_id.get())
    .fetch_optional(db.pool())
    .await?;
    Ok(row.map(|(fields, conflict)| StaffDraft {
        fields,
        conflict: conflict.into(),
    }))
}

/// Forgets the tracer's draft for the case.
pub async fn clear_staff_draft(
    db: &Db,
    staff_user_id: StaffId,
    case: ScopedCase,
) -> Result<(), StoreError> {
    let case_id = case.id();
    sqlx::query("DELETE FROM staff_drafts WHERE staff_user_id = $1 AND case_id = $2")
        .bind(staff_user_id.get())
        .bind(case_id.get())
        .execute(&mut *db.write().await?)
        .await?;
    Ok(())
}
