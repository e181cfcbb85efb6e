//! Requests for help during isolation (`support_requests`): asked by the
//! case on their declaration, by an at-risk contact on their page, by the
//! tracer with the case's answer on the call, or opened by a "3" answered
//! to a follow-up text. The département's isolation-support cell sees a
//! request only when the person agreed to share it (`consent`); it sees
//! only what the help needs — a name, a phone, the address given, the
//! needs, the note, the last day of isolation — never a case's contacts,
//! places or tests. Every view and change by the cell is audited. A
//! request is deleted with its case (the purge deletes the case; the rows
//! follow by `ON DELETE CASCADE`).

use crate::audit::{record, record_on, AuditAction, AuditEntry};
use crate::columns::{Flag, OptionalId};
use crate::scope::ScopedCase;
use crate::{Db, StoreError};
use relais::ids::{CaseId, ContactId, OrganisationId, StaffId, SupportRequestId};
use relais::organisation::OrganisationKind;
use relais::support::{BestTime, Needs, SupportInput, SupportOrigin, SupportState};
use relais::territory::DepartementCode;
use time::Date;

/// Who asks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Asker {
    /// The case, on their own declaration.
    Case(CaseId),
    /// An at-risk contact of the case, on their page.
    Contact {
        case_id: CaseId,
        contact_id: ContactId,
    },
}

impl Asker {
    fn ids(self) -> (CaseId, Option<ContactId>, SupportOrigin) {
        match self {
            Asker::Case(case_id) => (case_id, None, SupportOrigin::Case),
            Asker::Contact {
                case_id,
                contact_id,
            } => (case_id, Some(contact_id), SupportOrigin::Contact),
        }
    }
}

/// Writes a request on `conn`; `None` when `dedupe_key` was used before.
#[allow(clippy::too_many_arguments)]
async fn insert(
    conn: &mut sqlx::AnyConnection,
    case_id: CaseId,
    contact_id: Option<ContactId>,
    origin: SupportOrigin,
    input: &SupportInput,
    until: Option<Date>,
    dedupe_key: Option<&str>,
    at: i64,
) -> Result<Option<SupportRequestId>, StoreError> {
    let id: Option<i64> = sqlx::query_scalar(
        "INSERT INTO support_requests (case_id, contact_id, origin, needs, note, \
         callback_phone, address, best_time, consent, departement, until_day, dedupe_key, \
         created_at, updated_at) \
         SELECT id, $2, $3, $4, $5, $6, $7, $8, $9, departement, $10, $11, $12, $12 \
         FROM cases WHERE id = $1 \
         ON CONFLICT (dedupe_key) DO NOTHING RETURNING id",
    )
    .bind(case_id.get())
    .bind(contact_id.map(ContactId::get))
    .bind(origin.as_str())
    .bind(input.needs.to_list())
    .bind(&input.note)
    .bind(input.callback_phone.as_deref())
    .bind(&input.address)
    .bind(input.best_time.as_str())
    .bind(input.consent)
    .bind(until.map(|d| d.to_string()))
    .bind(dedupe_key)
    .bind(at)
    .fetch_optional(&mut *conn)
    .await?;
    Ok(id.map(SupportRequestId))
}

/// The case or one of its contacts asks for help (their isolation or
/// quarantine ends on `until`).
pub async fn ask(
    db: &Db,
    asker: Asker,
    input: &SupportInput,
    until: Option<Date>,
) -> Result<SupportRequestId, StoreError> {
    let (case_id, contact_id, origin) = asker.ids();
    let mut conn = db.write().await?;
    insert(
        &mut conn,
        case_id,
        contact_id,
        origin,
        input,
        until,
        None,
        db.now(),
    )
    .await?
    .ok_or(StoreError::NotFound("case"))
}

/// The tracer records the case's answer to "do you need support?" (the
/// case's isolation ends on `until`). Audited.
pub async fn ask_for_case(
    db: &Db,
    staff: StaffId,
    case: ScopedCase,
    input: &SupportInput,
    until: Option<Date>,
) -> Result<SupportRequestId, StoreError> {
    let at = db.now();
    let mut tx = db.begin_write().await?;
    let id = insert(
        &mut tx,
        case.id(),
        None,
        SupportOrigin::Tracer,
        input,
        until,
        None,
        at,
    )
    .await?
    .ok_or(StoreError::NotFound("case"))?;
    let entry = AuditEntry::new(staff, AuditAction::AskSupport)
        .case(case.id())
        .detail(format!("request={id} consent={}", input.consent));
    record_on(&mut tx, &entry, at).await?;
    tx.commit().await?;
    Ok(id)
}

/// A "3 I need help" answered to the follow-up text `question`: a request
/// without details, shared with the cell (the text said the cell calls
/// back), once per text however often the answer comes. `None` when this
/// text already opened one.
pub(crate) async fn open_from_text(
    conn: &mut sqlx::AnyConnection,
    case_id: CaseId,
    contact_id: Option<ContactId>,
    question: i64,
    until: Option<Date>,
    at: i64,
) -> Result<Option<SupportRequestId>, StoreError> {
    let input = SupportInput {
        needs: Needs::default(),
        note: String::new(),
        address: String::new(),
        callback_phone: None,
        best_time: BestTime::Any,
        consent: true,
    };
    insert(
        conn,
        case_id,
        contact_id,
        SupportOrigin::Sms,
        &input,
        until,
        Some(&format!("sms:{question}")),
        at,
    )
    .await
}

/// A request as its asker and the tracer see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestSummary {
    pub id: SupportRequestId,
    pub origin: SupportOrigin,
    /// The contact who asked; `None`: the case.
    pub contact_id: Option<ContactId>,
    /// The contact's name, for the tracer; `None` for the case.
    pub contact_name: Option<String>,
    pub needs: Needs,
    pub note: String,
    pub consent: bool,
    pub state: SupportState,
    /// Who at the support cell took it.
    pub taken_by: Option<String>,
    pub state_note: String,
    pub created_at: i64,
}

#[derive(sqlx::FromRow)]
struct SummaryRow {
    id: i64,
    origin: String,
    #[sqlx(try_from = "OptionalId")]
    contact_id: Option<ContactId>,
    first_name: Option<String>,
    last_name: Option<String>,
    needs: String,
    note: String,
    #[sqlx(try_from = "Flag")]
    consent: bool,
    state: String,
    taken_by: Option<String>,
    state_note: String,
    created_at: i64,
}

impl SummaryRow {
    fn read(self) -> Result<RequestSummary, StoreError> {
        Ok(RequestSummary {
            id: SupportRequestId(self.id),
            origin: self
                .origin
                .parse()
                .map_err(|_| StoreError::Corrupt("support_requests.origin"))?,
            contact_name: self
                .contact_id
                .map(|_| full_name(self.first_name.as_deref(), self.last_name.as_deref())),
            contact_id: self.contact_id,
            needs: Needs::parse_list(&self.needs)
                .map_err(|_| StoreError::Corrupt("support_requests.needs"))?,
            note: self.note,
            consent: self.consent,
            state: self
                .state
                .parse()
                .map_err(|_| StoreError::Corrupt("support_requests.state"))?,
            taken_by: self.taken_by,
            state_note: self.state_note,
            created_at: self.created_at,
        })
    }
}

/// A person's name from its two parts, either of which may be missing.
pub(crate) fn full_name(first: Option<&str>, last: Option<&str>) -> String {
    format!("{} {}", first.unwrap_or_default(), last.unwrap_or_default())
        .trim()
        .to_owned()
}

const SUMMARY: &str = concat!(
    "SELECT r.id, r.origin, r.contact_id, \
     COALESCE(k.own_first_name, k.first_name) AS first_name, \
     COALESCE(k.own_last_name, k.last_name) AS last_name, \
     r.needs, r.note, ",
    crate::flag!("r.consent", "consent"),
    ", r.state, s.display_name AS taken_by, r.state_note, r.created_at \
     FROM support_requests r LEFT JOIN contacts k ON k.id = r.contact_id \
     LEFT JOIN staff_users s ON s.id = r.taken_by"
);

/// The most requests listed for one case or person.
const PER_CASE: i64 = 50;

/// The requests of a case, its contacts' included, newest first: what the
/// tracer's case page shows.
pub async fn of_case(db: &Db, case: ScopedCase) -> Result<Vec<RequestSummary>, StoreError> {
    let rows: Vec<SummaryRow> = sqlx::query_as(&format!(
        "{SUMMARY} WHERE r.case_id = $1 ORDER BY r.created_at DESC, r.id DESC LIMIT $2"
    ))
    .bind(case.id().get())
    .bind(PER_CASE)
    .fetch_all(db.pool())
    .await?;
    rows.into_iter().map(SummaryRow::read).collect()
}

/// The requests the asker made themselves, newest first: what their own
/// page shows (a case never sees a contact's, nor a contact the case's).
pub async fn of_asker(db: &Db, asker: Asker) -> Result<Vec<RequestSummary>, StoreError> {
    let (case_id, contact_id, _) = asker.ids();
    let rows: Vec<SummaryRow> = sqlx::query_as(&format!(
        "{SUMMARY} WHERE r.case_id = $1 AND COALESCE(r.contact_id, 0) = $2 \
         ORDER BY r.created_at DESC, r.id DESC LIMIT $3"
    ))
    .bind(case_id.get())
    .bind(contact_id.map_or(0, ContactId::get))
    .bind(PER_CASE)
    .fetch_all(db.pool())
    .await?;
    rows.into_iter().map(SummaryRow::read).collect()
}

/// The département a support cell works, when `organisation` is one.
pub async fn cell_departement(
    db: &Db,
    organisation: OrganisationId,
) -> Result<Option<DepartementCode>, StoreError> {
    let Some(org) = crate::organisations::get(db, organisation).await? else {
        return Ok(None);
    };
    Ok(match org.kind {
        OrganisationKind::SupportCell => org.departements.into_iter().next(),
        _ => None,
    })
}

/// A request as the support cell sees it: only what the help needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CellRequest {
    pub id: SupportRequestId,
    /// The person's name (a contact's own correction first).
    pub name: String,
    /// The phone to call: the one given for it, else the person's.
    pub phone: String,
    pub address: String,
    /// Empty for a request made by text: ask on the phone.
    pub needs: Needs,
    pub note: String,
    pub best_time: BestTime,
    /// The last day of the isolation or quarantine.
    pub until: Option<Date>,
    pub state: SupportState,
    /// Who at the cell took it.
    pub taken_by: Option<String>,
    pub state_note: String,
    pub created_at: i64,
    /// The département whose cell it is shared with.
    pub departement: Option<String>,
    /// The last change (the nurses' export follows it).
    pub updated_at: i64,
}

#[derive(sqlx::FromRow)]
struct CellRow {
    id: i64,
    first_name: Option<String>,
    last_name: Option<String>,
    phone: Option<String>,
    address: String,
    needs: String,
    note: String,
    best_time: String,
    until_day: Option<String>,
    state: String,
    taken_by: Option<String>,
    state_note: String,
    created_at: i64,
    departement: Option<String>,
    updated_at: i64,
}

impl CellRow {
    fn read(self) -> Result<CellRequest, StoreError> {
        Ok(CellRequest {
            id: SupportRequestId(self.id),
            name: full_name(self.first_name.as_deref(), self.last_name.as_deref()),
            phone: self.phone.unwrap_or_default(),
            address: self.address,
            needs: Needs::parse_list(&self.needs)
                .map_err(|_| StoreError::Corrupt("support_requests.needs"))?,
            note: self.note,
            best_time: self.best_time.parse().unwrap_or(BestTime::Any),
            until: self.until_day.as_deref().and_then(relais::dates::parse_iso),
            state: self
                .state
                .parse()
                .map_err(|_| StoreError::Corrupt("support_requests.state"))?,
            taken_by: self.taken_by,
            state_note: self.state_note,
            created_at: self.created_at,
            departement: self.departement,
            updated_at: self.updated_at,
        })
    }
}

/// What the cell reads of a request: the person's name and phone from the
/// case or the contact, nothing else of either.
const CELL_SELECT: &str = "SELECT r.id, \
     CASE WHEN r.contact_id IS NULL THEN c.first_name \
          ELSE COALESCE(k.own_first_name, k.first_name) END AS first_name, \
     CASE WHEN r.contact_id IS NULL THEN c.last_name \
          ELSE COALESCE(k.own_last_name, k.last_name) END AS last_name, \
     COALESCE(r.callback_phone, CASE WHEN r.contact_id IS NULL THEN c.phone \
          ELSE COALESCE(k.requested_phone, k.phone) END) AS phone, \
     r.address, r.needs, r.note, r.best_time, r.until_day, r.state, \
     s.display_name AS taken_by, r.state_note, r.created_at, r.departement, r.updated_at \
     FROM support_requests r JOIN cases c ON c.id = r.case_id \
     LEFT JOIN contacts k ON k.id = r.contact_id \
     LEFT JOIN staff_users s ON s.id = r.taken_by";

/// The SQL list of the states that are open (new, taken) or, with
/// `open` false, closed: `('new', 'taken')`. Machine names only.
fn states_where(open: bool) -> String {
    let names: Vec<String> = SupportState::ALL
        .iter()
        .filter(|state| state.is_open() == open)
        .map(|state| format!("'{}'", state.as_str()))
        .collect();
    format!("({})", names.join(", "))
}

/// The condition that a request (`r`) asks for `need`, wherever it stands
/// in the stored list. Machine names only.
fn asks_for(need: relais::support::SupportNeed) -> String {
    format!("',' || r.needs || ',' LIKE '%,{},%'", need.as_str())
}

/// The requests shown at once on the cell's desk.
pub const QUEUE_PAGE: i64 = 100;

/// Which of the cell's requests to list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CellList {
    /// New and taken, oldest first: the work.
    Open,
    /// Done, could not reach, refused: the most recently closed first.
    Closed,
}

/// The requests of the cell of `departement` shared with it, audited as
/// viewed by `staff`.
pub async fn cell_queue(
    db: &Db,
    staff: StaffId,
    departement: &DepartementCode,
    list: CellList,
) -> Result<Vec<CellRequest>, StoreError> {
    let (open, order) = match list {
        CellList::Open => (true, "r.created_at, r.id"),
        CellList::Closed => (false, "r.updated_at DESC, r.id DESC"),
    };
    let rows: Vec<CellRow> = sqlx::query_as(&format!(
        "{CELL_SELECT} WHERE r.departement = $1 AND r.consent AND r.state IN {} \
         ORDER BY {order} LIMIT $2",
        states_where(open)
    ))
    .bind(departement.as_str())
    .bind(QUEUE_PAGE)
    .fetch_all(db.pool())
    .await?;
    let requests = rows
        .into_iter()
        .map(CellRow::read)
        .collect::<Result<Vec<_>, _>>()?;
    let shown: Vec<String> = requests.iter().map(|r| r.id.to_string()).collect();
    record(
        db,
        &AuditEntry::new(staff, AuditAction::ViewSupportRequests).detail(format!(
            "departement={} list={} requests={}",
            departement.as_str(),
            match list {
                CellList::Open => "open",
                CellList::Closed => "closed",
            },
            shown.join(",")
        )),
    )
    .await?;
    Ok(requests)
}

/// Why a change of state was not made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refused {
    /// No such request shared with this cell.
    NotFound,
    /// The request is no longer in the state the page showed.
    Moved,
    /// The move is not allowed from that state.
    NotAllowed,
}

/// The longest note kept with a change of state, in characters.
pub const STATE_NOTE_MAX: usize = 500;

/// A member of the cell of `departement` moves a request from `from` (the
/// state their page showed) to `to`, with a note. Taking a request names
/// its taker; handing it back forgets them. Audited with the change.
pub async fn change_state(
    db: &Db,
    staff: StaffId,
    departement: &DepartementCode,
    id: SupportRequestId,
    from: SupportState,
    to: SupportState,
    note: &str,
) -> Result<Result<(), Refused>, StoreError> {
    if !from.may_become(to) {
        return Ok(Err(Refused::NotAllowed));
    }
    let note: String = note.chars().take(STATE_NOTE_MAX).collect();
    let at = db.now();
    let mut tx = db.begin_write().await?;
    let changed: Option<i64> = sqlx::query_scalar(&format!(
        "UPDATE support_requests SET state = $4, state_note = $5, updated_at = $6, \
         taken_by = CASE WHEN $4 = 'taken' THEN $7 WHEN $4 = 'new' THEN NULL ELSE taken_by END, \
         taken_at = CASE WHEN $4 = 'taken' THEN COALESCE(taken_at, $6) ELSE taken_at END, \
         closed_at = CASE WHEN $4 IN {} THEN $6 ELSE NULL END \
         WHERE id = $1 AND departement = $2 AND consent AND state = $3 RETURNING case_id",
        states_where(false)
    ))
    .bind(id.get())
    .bind(departement.as_str())
    .bind(from.as_str())
    .bind(to.as_str())
    .bind(&note)
    .bind(at)
    .bind(staff.get())
    .fetch_optional(&mut *tx)
    .await?;
    let Some(case_id) = changed else {
        let exists: Option<i64> = sqlx::query_scalar(
            "SELECT id FROM support_requests WHERE id = $1 AND departement = $2 AND consent",
        )
        .bind(id.get())
        .bind(departement.as_str())
        .fetch_optional(&mut *tx)
        .await?;
        return Ok(Err(match exists {
            Some(_) => Refused::Moved,
            None => Refused::NotFound,
        }));
    };
    let entry = AuditEntry::new(staff, AuditAction::ChangeSupportRequest)
        .case(CaseId(case_id))
        .detail(format!("request={id} from={from} to={to}"));
    record_on(&mut tx, &entry, at).await?;
    tx.commit().await?;
    Ok(Ok(()))
}

/// The tracer saw that the case (or a contact) answered "2 worse": the
/// flag goes from the case page. `false` when there was none to see.
pub async fn see_feels_worse(
    db: &Db,
    staff: StaffId,
    case: ScopedCase,
) -> Result<bool, StoreError> {
    let at = db.now();
    let mut tx = db.begin_write().await?;
    let done = sqlx::query(
        "UPDATE cases SET feels_worse_seen_at = $2 \
         WHERE id = $1 AND feels_worse_at IS NOT NULL AND feels_worse_seen_at IS NULL",
    )
    .bind(case.id().get())
    .bind(at)
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() == 0 {
        return Ok(false);
    }
    record_on(
        &mut tx,
        &AuditEntry::new(staff, AuditAction::SeeFeelsWorse).case(case.id()),
        at,
    )
    .await?;
    tx.commit().await?;
    Ok(true)
}

/// The nurse-visit requests shared with the cells (consent given) of the
/// scope's départements, changed after (`since`, `after_id`) — the change's
/// instant in unix seconds, then the id — in the order of change, at most
/// `limit`.
pub async fn nurse_visits_since(
    db: &Db,
    scope: crate::scope::Scope,
    since: i64,
    after_id: i64,
    limit: i64,
) -> Result<Vec<CellRequest>, StoreError> {
    let rows: Vec<CellRow> = sqlx::query_as(&format!(
        "{CELL_SELECT} WHERE r.consent AND {} \
         AND (r.updated_at > $1 OR (r.updated_at = $1 AND r.id > $2)) AND {} \
         ORDER BY r.updated_at, r.id LIMIT $3",
        asks_for(relais::support::SupportNeed::NurseVisit),
        scope.cases_where("c")
    ))
    .bind(since)
    .bind(after_id)
    .bind(limit)
    .fetch_all(db.pool())
    .await?;
    rows.into_iter().map(CellRow::read).collect()
}

/// The support figures of a period, for the dashboard.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SupportFigures {
    /// Requests asked in the period.
    pub requests: u64,
    /// Requests asking for each need, in [`relais::support::SupportNeed::ALL`]'s
    /// order (a request may ask for several).
    pub by_need: Vec<(relais::support::SupportNeed, u64)>,
    /// Requests in each state now, in [`SupportState::ALL`]'s order.
    pub by_state: Vec<(SupportState, u64)>,
    /// The median time from a request to its being taken, in seconds, of
    /// the requests taken.
    pub median_to_taken: Option<i64>,
    /// Cases sent a "How are you?" text in the period.
    pub cases_asked: u64,
    /// Of these, the cases that answered one.
    pub cases_answering: u64,
}

/// The support figures of the requests asked, and the "How are you?" texts
/// sent, from `first` to `last` (Paris days, inclusive), of the cases in
/// `scope`.
pub async fn figures(
    db: &Db,
    scope: crate::scope::Scope,
    first: Date,
    last: Date,
) -> Result<SupportFigures, StoreError> {
    use relais::support::SupportNeed;
    let from = crate::figures::day_start(first);
    let to = crate::figures::day_start(last.next_day().unwrap_or(last));
    let in_scope = scope.cases_where("c");
    let mut sums: Vec<String> = SupportNeed::ALL
        .iter()
        .map(|n| format!("SUM(CASE WHEN {} THEN 1 ELSE 0 END)", asks_for(*n)))
        .collect();
    sums.extend(SupportState::ALL.iter().map(|st| {
        format!(
            "SUM(CASE WHEN r.state = '{}' THEN 1 ELSE 0 END)",
            st.as_str()
        )
    }));
    sums.push("COUNT(*)".to_owned());
    sums.push("SUM(CASE WHEN r.taken_at IS NOT NULL THEN 1 ELSE 0 END)".to_owned());
    let row = sqlx::query(&format!(
        "SELECT {} FROM support_requests r JOIN cases c ON c.id = r.case_id \
         WHERE r.created_at >= $1 AND r.created_at < $2 AND {in_scope}",
        sums.join(", ")
    ))
    .bind(from)
    .bind(to)
    .fetch_one(db.pool())
    .await?;
    use sqlx::Row;
    let count = |i: usize| -> Result<u64, StoreError> {
        let v: Option<i64> = row.try_get(i)?;
        Ok(u64::try_from(v.unwrap_or(0)).unwrap_or(0))
    };
    let needs = SupportNeed::ALL.len();
    let states = SupportState::ALL.len();
    let mut figures = SupportFigures {
        requests: count(needs + states)?,
        ..SupportFigures::default()
    };
    for (i, need) in SupportNeed::ALL.iter().enumerate() {
        figures.by_need.push((*need, count(i)?));
    }
    for (i, state) in SupportState::ALL.iter().enumerate() {
        figures.by_state.push((*state, count(needs + i)?));
    }
    let taken = count(needs + states + 1)?;
    if taken > 0 {
        let middle: Option<i64> = sqlx::query_scalar(&format!(
            "SELECT r.taken_at - r.created_at FROM support_requests r \
             JOIN cases c ON c.id = r.case_id \
             WHERE r.created_at >= $1 AND r.created_at < $2 AND r.taken_at IS NOT NULL \
             AND {in_scope} ORDER BY r.taken_at - r.created_at LIMIT 1 OFFSET $3"
        ))
        .bind(from)
        .bind(to)
        .bind(i64::try_from(taken / 2).unwrap_or(0))
        .fetch_optional(db.pool())
        .await?;
        figures.median_to_taken = middle;
    }
    let (asked, answering): (Option<i64>, Option<i64>) = sqlx::query_as(&format!(
        "SELECT COUNT(DISTINCT o.case_id), COUNT(DISTINCT w.case_id) FROM sms_outbox o \
         JOIN cases c ON c.id = o.case_id \
         LEFT JOIN wellbeing_answers w ON w.case_id = o.case_id AND w.contact_id IS NULL \
         WHERE o.kind = 'case_check_in' AND o.status = 'sent' \
         AND o.sent_at >= $1 AND o.sent_at < $2 AND {in_scope}"
    ))
    .bind(from)
    .bind(to)
    .fetch_one(db.pool())
    .await?;
    figures.cases_asked = u64::try_from(asked.unwrap_or(0)).unwrap_or(0);
    figures.cases_answering = u64::try_from(answering.unwrap_or(0)).unwrap_or(0);
    Ok(figures)
}
