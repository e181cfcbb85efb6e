//! The call queues, read with keyset pagination: a page is the next rows
//! after the last one shown, in index order, so that the thousandth page
//! costs what the first does (no OFFSET), with a million cases.

use crate::columns::IsoDate;
use crate::scope::{covered_departements, Scope};
use crate::{Backend, Db, StoreError};
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
/// first rows of their merge, which reads each part only as far as the page
/// needs. The parts give only ids and sort keys; the page's rows (with their
/// contacts counted) are read for the merged page alone.
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
    let Some(sql) = page_sql(parts, q, db.backend()) else {
        // A cursor that is not one of ours: nothing after it.
        return Ok(Vec::new());
    };
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
        .map(QueueRow::from)
        .collect())
}

/// The statement of [`page_rows`]; `None` for a cursor whose key does not
/// parse.
fn page_sql(parts: &[String], q: &QueueQuery, backend: Backend) -> Option<Sql> {
    // The sort key of the queue: the sample date (oldest first) for the
    // first call, the time to call back for the second. A search is read in
    // the order of the index it uses, one page only (a search is refined,
    // not paged): never a sort of many rows.
    let second = q.queue == Queue::Second && q.lookup.is_none();
    // `sort` is the column each arm gives as its key (a queue's, after a
    // cursor too), read with the id in the order of the arm's index.
    let sort = match &q.lookup {
        Some(Lookup::Name(_)) => "name_key",
        Some(Lookup::Phone(_)) => "phone",
        Some(Lookup::Reference(_)) => "reference",
        None if second => "call_back_at",
        None => "sample_date",
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
    // per part, two after a cursor. Their merge stops at the page's last
    // row, each engine its own way:
    // - SQLite merges the arms of a compound as they are read, each in its
    //   index's order (`MERGE (UNION ALL)`, no sort): the page reads about
    //   as many index entries as it shows, whatever the number of parts. An
    //   arm with its own `LIMIT` would be a subquery whose order SQLite
    //   does not know: each sorted, 51 rows read from each.
    // - PostgreSQL merges the arms in order (`Merge Append`) only when each
    //   is a subquery with its own order and `LIMIT`; plain arms, it reads
    //   every row of the scope and sorts them.
    let cursor = q.after.as_ref().filter(|_| q.lookup.is_none());
    let cursor_key = |after: &Cursor| {
        if second {
            after.key.parse::<i64>().ok().map(Param::Int)
        } else {
            Some(Param::Text(after.key.clone()))
        }
    };
    let mut arm = 0;
    let mut push_arm = |sql: &mut Sql, scope: &str, tail: &str, order: &str, values: Vec<Param>| {
        if arm > 0 {
            sql.push(" UNION ALL ", vec![]);
        }
        let select = format!("SELECT id AS pid, {sort} AS pkey FROM cases WHERE ");
        match backend {
            Backend::Sqlite => {
                sql.push(&select, vec![]);
                push_filters(sql, scope, q);
                sql.push(tail, values);
            }
            Backend::Postgres => {
                sql.push(&format!("SELECT pid, pkey FROM ({select}"), vec![]);
                push_filters(sql, scope, q);
                sql.push(
                    &format!("{tail} ORDER BY {order} LIMIT {n}) p{arm}"),
                    values,
                );
            }
        }
        arm += 1;
    };
    let order = format!("{sort}, id");
    for scope in parts {
        match cursor {
            None => push_arm(&mut sql, scope, "", &order, vec![]),
            Some(after) => {
                // Keyset: the rows after the cursor are those of the same key
                // with a greater id, then those of a greater key — two index
                // seeks (a row-value comparison would make SQLite walk every
                // row of the cursor's key before it).
                let (Some(k1), Some(k2)) = (cursor_key(after), cursor_key(after)) else {
                    return None;
                };
                push_arm(
                    &mut sql,
                    scope,
                    &format!(" AND {sort} = ? AND id > ?"),
                    "id",
                    vec![k1, Param::Int(after.id)],
                );
                push_arm(
                    &mut sql,
                    scope,
                    &format!(" AND {sort} > ?"),
                    &order,
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
    Some(sql)
}

impl From<Row> for QueueRow {
    fn from(r: Row) -> QueueRow {
        QueueRow {
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
        }
    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use relais::organisation::{Membership, OrganisationKind};

    /// The plan SQLite makes of a regional agency's page (13 départements and
    /// its lent cases: 14 parts), its queue after a cursor and its search by
    /// name alike: the parts are merged as read, and the only sort
    /// is the page's own (its 51 rows, by key) — not one per arm, which read
    /// 51 rows of each.
    #[tokio::test]
    async fn an_agency_page_merges_its_parts_without_sorting_them() {
        let (_dir, db) = crate::db::temporary_sqlite().await;
        db.migrate().await.expect("migrated");
        let covered: Vec<DepartementCode> = [
            "09", "11", "12", "30", "31", "32", "34", "46", "48", "65", "66", "81", "82",
        ]
        .iter()
        .map(|d| d.parse().expect("code"))
        .collect();
        let scope = Scope::of(Membership {
            organisation: OrganisationId(2),
            kind: OrganisationKind::Agency,
        });
        let parts = scope.parts_where("cases", &covered);
        assert_eq!(parts.len(), 14);
        let query = QueueQuery {
            queue: Queue::First,
            status: None,
            list_ready: None,
            locked_only: false,
            lookup: None,
            after: Some(Cursor {
                key: "2026-11-20".to_owned(),
                id: 500_000,
            }),
            limit: 50,
        };
        let name = QueueQuery {
            lookup: Some(Lookup::Name("dup".to_owned())),
            after: None,
            ..query.clone()
        };
        for q in [&query, &name] {
            let sql = page_sql(&parts, q, Backend::Sqlite).expect("a statement");
            let text = format!("EXPLAIN QUERY PLAN {}", sql.text);
            let mut explain = sqlx::query_as::<_, (i64, i64, i64, String)>(&text);
            for param in sql.params {
                explain = match param {
                    Param::Text(t) => explain.bind(t),
                    Param::Int(i) => explain.bind(i),
                };
            }
            let plan: Vec<String> = explain
                .fetch_all(db.pool())
                .await
                .expect("a plan")
                .into_iter()
                .map(|(_, _, _, detail)| detail)
                .collect();
            // The page's own sort; a search by name also sorts the cases
            // lent to the agency that match (no index of them by name: few).
            let sorts = plan.iter().filter(|d| d.contains("TEMP B-TREE")).count();
            let expected = if q.lookup.is_some() { 2 } else { 1 };
            assert_eq!(sorts, expected, "the page's sort alone: {plan:#?}");
            assert!(
                plan.iter().any(|d| d.contains("MERGE (UNION ALL)")),
                "the parts merged as read: {plan:#?}"
            );
            let arms = plan
                .iter()
                .filter(|d| d.starts_with("SEARCH cases USING") && !d.contains("PRIMARY KEY"))
                .count();
            assert_eq!(arms, if q.after.is_some() { 28 } else { 14 }, "{plan:#?}");
        }
    }
}
