//! The call queues, read with keyset pagination: a page is the next rows
//! after the last one shown, in index order, so that the thousandth page
//! costs what the first does (no OFFSET), with a million cases.

use crate::columns::IsoDate;
use crate::scope::{covered_departements, Scope};
use crate::{Db, StoreError};
use relais::desk::calls::Queue;
use relais::desk::queue::Cursor;
use relais::ids::{CaseId, OrganisationId};
use relais::status::CaseStatus;
use relais::territory::DepartementCode;
use time::Date;

/// What a tracer searches for, ready for the database (a phone in E.164).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Lookup {
    Reference(String),
    Phone(String),
    /// The folded prefix of "last first".
    Name(String),
}

/// One page of a queue, as asked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueueQuery {
    /// `First` or `Second` (a search looks in every queue).
    pub queue: Queue,
    pub status: Option<CaseStatus>,
    /// Only cases whose list is ready (true) or not (false).
    pub list_ready: Option<bool>,
    /// Only cases whose link is locked.
    pub locked_only: bool,
    pub lookup: Option<Lookup>,
    pub after: Option<Cursor>,
    pub limit: u32,
}

/// One case in a queue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueueRow {
    pub id: CaseId,
    pub reference: String,
    pub name: String,
    pub phone: String,
    pub sample_date: Date,
    pub status: CaseStatus,
    pub list_ready: bool,
    pub locked: bool,
    pub call_back_at: Option<i64>,
    pub last_call_outcome: Option<String>,
    pub contacts: i64,
    pub queue: Queue,
    /// The organisation the case is lent to, with its name (mutual aid).
    pub lent_to: Option<(OrganisationId, String)>,
    /// The folded "last first" the search by name reads (the merge's order).
    pub name_key: String,
}

/// A page of a queue and the cursor of the next one, if any.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueuePage {
    pub rows: Vec<QueueRow>,
    pub next: Option<Cursor>,
    /// A search found more than one page: refine it.
    pub more_found: bool,
}

enum Param {
    Text(String),
    Int(i64),
}

/// A `cases` row as the queue selects it.
#[derive(sqlx::FromRow)]
struct Row {
    #[sqlx(try_from = "i64")]
    id: CaseId,
    reference: String,
    first_name: Option<String>,
    last_name: Option<String>,
    phone: Option<String>,
    #[sqlx(try_from = "IsoDate")]
    sample_date: Date,
    #[sqlx(try_from = "String")]
    status: CaseStatus,
    list_submitted_at: Option<i64>,
    locked_at: Option<i64>,
    call_back_at: Option<i64>,
    last_call_outcome: Option<String>,
    contacts: i64,
    #[sqlx(try_from = "String")]
    queue: Queue,
    lent_to: Option<i64>,
    lent_to_name: Option<String>,
    name_key: Option<String>,
}

/// SQL text with `?` for each value, numbered `$1…` when rendered, so that
/// one clause can appear twice (each time with its own values).
struct Sql {
    text: String,
    params: Vec<Param>,
}

impl Sql {
    fn new() -> Sql {
        Sql {
            text: String::new(),
            params: Vec::new(),
        }
    }

    fn push(&mut self, text: &str, values: Vec<Param>) -> &mut Sql {
        let mut values = values.into_iter();
        for (i, part) in text.split('?').enumerate() {
            if i > 0 {
                if let Some(value) = values.next() {
                    self.params.push(value);
                }
                self.text.push_str(&format!("${}", self.params.len()));
            }
            self.text.push_str(part);
        }
        self
    }
}

/// The filters of a queue query, as a conjunction: the scope (or a part of
/// it) first.
fn filters(scope: &str, q: &QueueQuery) -> Vec<(std::borrow::Cow<'static, str>, Vec<Param>)> {
    let mut all: Vec<(std::borrow::Cow<'static, str>, Vec<Param>)> = Vec::new();
    all.push((scope.to_owned().into(), vec![]));
    match &q.lookup {
        Some(Lookup::Reference(r)) => {
            all.push(("reference = ?".into(), vec![Param::Text(r.clone())]))
        }
        Some(Lookup::Phone(p)) => all.push(("phone = ?".into(), vec![Param::Text(p.clone())])),
        Some(Lookup::Name(prefix)) => all.push((
            "name_key >= ? AND name_key < ?".into(),
            vec![
                Param::Text(prefix.clone()),
                Param::Text(format!("{prefix}\u{10FFFF}")),
            ],
        )),
        None => all.push((
            "queue = ?".into(),
            vec![Param::Text(q.queue.as_str().to_owned())],
        )),
    }
    if let Some(status) = q.status {
        all.push((
            "status = ?".into(),
            vec![Param::Text(status.as_str().to_owned())],
        ));
    }
    match q.list_ready {
        Some(true) => all.push(("list_submitted_at IS NOT NULL".into(), vec![])),
        Some(false) => all.push(("list_submitted_at IS NULL".into(), vec![])),
        None => {}
    }
    if q.locked_only {
        all.push(("locked_at IS NOT NULL".into(), vec![]));
    }
    all
}

fn push_filters(sql: &mut Sql, scope: &str, q: &QueueQuery) {
    for (i, (clause, values)) in filters(scope, q).into_iter().enumerate() {
        if i > 0 {
            sql.push(" AND ", vec![]);
        }
        sql.push(&clause, values);
    }
}

/// Reads one page of a queue (`limit` + 1 rows, to know if there is more)
/// among the cases of `scope`, in one statement. A search reads the index it
/// uses filtered by the whole scope (few rows match a reference, a phone or a
/// name); a queue reads each part of the scope ([`Scope::parts_where`]: a
/// fund's départements, the cases lent to it) in queue order and keeps the
/// first rows of their merge. Each part gives only its first ids and sort
/// keys; the page's rows (with their contacts counted) are read for the
/// merged page alone, never for every part's.
pub async fn queue_page(db: &Db, scope: Scope, q: &QueueQuery) -> Result<QueuePage, StoreError> {
    let covered = match q.lookup {
        Some(Lookup::Reference(_) | Lookup::Phone(_)) => Vec::new(),
        Some(Lookup::Name(_)) | None => covered_departements(db, scope).await?,
    };
    page_in(db, scope, &covered, q).await
}

/// A page of a queue ([`queue_page`]) and the counts of its tabs
/// ([`queue_counts`]), the départements the scope covers read once for both.
pub async fn queue_page_and_counts(
    db: &Db,
    scope: Scope,
    q: &QueueQuery,
) -> Result<(QueuePage, QueueCounts), StoreError> {
    let covered = covered_departements(db, scope).await?;
    let page = page_in(db, scope, &covered, q).await?;
    let counts = counts_in(db, scope, &covered).await?;
    Ok((page, counts))
}

/// [`queue_page`], given the départements `scope` covers.
async fn page_in(
    db: &Db,
    scope: Scope,
    covered: &[DepartementCode],
    q: &QueueQuery,
) -> Result<QueuePage, StoreError> {
    // A name's prefix may match thousands of cases of other départements:
    // it is searched part by part too, on the (département, name) index.
    let parts = match q.lookup {
        Some(Lookup::Reference(_) | Lookup::Phone(_)) => vec![scope.cases_where("cases")],
        Some(Lookup::Name(_)) | None => scope.parts_where("cases", covered),
    };
    let second = q.queue == Queue::Second && q.lookup.is_none();
    let mut rows = page_rows(db, &parts, q).await?;
    let more = rows.len() > q.limit as usize;
    rows.truncate(q.limit as usize);
    let next = if more && q.lookup.is_none() {
        rows.last().map(|last| Cursor {
            key: if second {
                last.call_back_at.unwrap_or_default().to_string()
            } else {
                last.sample_date.to_string()
            },
            id: last.id.get(),
        })
    } else {
        None
    };
    Ok(QueuePage {
        rows,
        next,
        more_found: more && q.lookup.is_some(),
    })
}

/// The first `limit` + 1 rows of the queue (or search) among the cases the
/// `parts` (disjoint SQL conditions) select, in queue order.
async fn page_rows(db: &Db, parts: &[String], q: &QueueQuery) -> Result<Vec<QueueRow>, StoreError> {
    // The sort key of the queue: the sample date (oldest first) for the
    // first call, the time to call back for the second. A search is read in
    // the order of the index it uses, one page only (a search is refined,
    // not paged): never a sort of many rows.
    let second = q.queue == Queue::Second && q.lookup.is_none();
    // `sort` is the column each arm gives as its key (a queue's, after a
    // cursor too); `order` the index order it is read in.
    let (sort, order) = match &q.lookup {
        Some(Lookup::Name(_)) => ("name_key", "name_key, id"),
        Some(Lookup::Phone(_)) => ("phone", "phone, id"),
        Some(Lookup::Reference(_)) => ("reference", "reference"),
        None if second => ("call_back_at", "call_back_at, id"),
        None => ("sample_date", "sample_date, id"),
    };
    let n = q.limit + 1;
    let mut sql = Sql::new();
    sql.push(
        "SELECT id, reference, first_name, last_name, phone, sample_date, status, \
         list_submitted_at, locked_at, call_back_at, last_call_outcome, \
         (SELECT COUNT(*) FROM contacts k WHERE k.case_id = cases.id AND k.removed_at IS NULL) \
         AS contacts, queue, lent_to, name_key, \
         (SELECT o.name FROM organisations o WHERE o.id = cases.lent_to) AS lent_to_name \
         FROM (SELECT pid, pkey FROM (",
        vec![],
    );
    // Each arm reads one index in order, covering (ids and keys only): one
    // per part, two after a cursor.
    let cursor = q.after.as_ref().filter(|_| q.lookup.is_none());
    let cursor_key = |after: &Cursor| {
        if second {
            after.key.parse::<i64>().ok().map(Param::Int)
        } else {
            Some(Param::Text(after.key.clone()))
        }
    };
    let mut arm = 0;
    let mut push_arm = |sql: &mut Sql, scope: &str, tail: &str, values: Vec<Param>| {
        if arm > 0 {
            sql.push(" UNION ALL ", vec![]);
        }
        sql.push(
            &format!("SELECT pid, pkey FROM (SELECT id AS pid, {sort} AS pkey FROM cases WHERE "),
            vec![],
        );
        push_filters(sql, scope, q);
        sql.push(&format!("{tail} LIMIT {n}) p{arm}"), values);
        arm += 1;
    };
    for scope in parts {
        match cursor {
            None => push_arm(&mut sql, scope, &format!(" ORDER BY {order}"), vec![]),
            Some(after) => {
                // Keyset: the rows after the cursor are those of the same key
                // with a greater id, then those of a greater key — two index
                // seeks (a row-value comparison would make SQLite walk every
                // row of the cursor's key before it).
                let (Some(k1), Some(k2)) = (cursor_key(after), cursor_key(after)) else {
                    return Ok(Vec::new());
                };
                push_arm(
                    &mut sql,
                    scope,
                    &format!(" AND {sort} = ? AND id > ? ORDER BY id"),
                    vec![k1, Param::Int(after.id)],
                );
                push_arm(
                    &mut sql,
                    scope,
                    &format!(" AND {sort} > ? ORDER BY {order}"),
                    vec![k2],
                );
            }
        }
    }
    // The merged page, then its rows: SQLite's CROSS JOIN keeps the page as
    // the outer loop (never a walk of `cases` in the page's order).
    sql.push(
        &format!(
            ") m ORDER BY pkey, pid LIMIT {n}) page CROSS JOIN cases \
             WHERE cases.id = page.pid ORDER BY page.pkey, page.pid"
        ),
        vec![],
    );
    let mut query = sqlx::query_as::<_, Row>(&sql.text);
    for param in sql.params {
        query = match param {
            Param::Text(t) => query.bind(t),
            Param::Int(i) => query.bind(i),
        };
    }
    Ok(query
        .fetch_all(db.pool())
        .await?
        .into_iter()
        .map(|r| QueueRow {
            id: r.id,
            reference: r.reference,
            name: format!(
                "{} {}",
                r.first_name.unwrap_or_default(),
                r.last_name.unwrap_or_default().to_uppercase()
            )
            .trim()
            .to_owned(),
            phone: r.phone.unwrap_or_default(),
            sample_date: r.sample_date,
            status: r.status,
            list_ready: r.list_submitted_at.is_some(),
            locked: r.locked_at.is_some(),
            call_back_at: r.call_back_at,
            last_call_outcome: r.last_call_outcome,
            contacts: r.contacts,
            queue: r.queue,
            lent_to: r
                .lent_to
                .map(|id| (OrganisationId(id), r.lent_to_name.unwrap_or_default())),
            name_key: r.name_key.unwrap_or_default(),
        })
        .collect())
}

/// Counts stop here: the tabs say "1000+" rather than count a million rows.
pub const COUNT_CAP: i64 = 1000;

/// How many cases wait in each queue (up to [`COUNT_CAP`]), and how many
/// second calls are due now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, sqlx::FromRow)]
pub struct QueueCounts {
    pub first: i64,
    pub second: i64,
    pub second_due: i64,
}

/// The counts shown on the queue's tabs, of the cases in `scope`, in one
/// statement: each count reads its parts ([`Scope::parts_where`]) one after
/// the other, each on its index, and stops at [`COUNT_CAP`] rows in all.
pub async fn queue_counts(db: &Db, scope: Scope) -> Result<QueueCounts, StoreError> {
    counts_in(db, scope, &covered_departements(db, scope).await?).await
}

/// [`queue_counts`], given the départements `scope` covers.
async fn counts_in(
    db: &Db,
    scope: Scope,
    covered: &[DepartementCode],
) -> Result<QueueCounts, StoreError> {
    let parts = scope.parts_where("cases", covered);
    let count = |condition: &str| {
        let arms: Vec<String> = parts
            .iter()
            .map(|part| format!("SELECT 1 AS one FROM cases WHERE {condition} AND {part}"))
            .collect();
        format!(
            "(SELECT COUNT(*) FROM ({} LIMIT $2) c)",
            arms.join(" UNION ALL ")
        )
    };
    Ok(sqlx::query_as(&format!(
        "SELECT {} AS first, {} AS second, {} AS second_due",
        count("queue = 'first'"),
        count("queue = 'second'"),
        count("queue = 'second' AND call_back_at <= $1"),
    ))
    .bind(db.now())
    .bind(COUNT_CAP)
    .fetch_one(db.pool())
    .await?)
}
