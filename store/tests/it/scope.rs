//! Scopes: an agency covering two départements, with cases lent to it,
//! reads its queue page by page as the merge of its parts — every case of
//! its scope once, in queue order, none other; its counts are the sum of
//! its parts'; a lend and its taking back move exactly the cases asked.
//! Its search by name and its second-call queue merge the parts too.

use crate::common::{new_case, scoped, tracer};
use relais::desk::calls::{CallOutcome, Queue, NO_ANSWER_RETRY_SECONDS};
use relais::ids::{CaseId, OrganisationId};
use relais::organisation::{Membership, NewOrganisation, OrganisationKind};
use relais_store::desk::changes::{record_call, Change};
use relais_store::desk::queue::{
    queue_counts, queue_page, queue_page_and_counts, Lookup, QueueQuery,
};
use relais_store::lends::{lend, take_back, LendRequest};
use relais_store::scope::{case_in_scope, Scope};
use relais_store::Db;
use time::Duration;

per_engine! {
    a_scope_reads_its_parts_merged_in_queue_order => a_scope_reads_its_parts_merged_in_queue_order_sqlite,
        a_scope_reads_its_parts_merged_in_queue_order_postgres;
}

async fn organisation(
    db: &Db,
    kind: OrganisationKind,
    name: &str,
    deps: &[&str],
) -> OrganisationId {
    let new = NewOrganisation::new(
        kind,
        name,
        deps.iter().map(|d| d.parse().expect("code")).collect(),
    )
    .expect("organisation");
    relais_store::organisations::create(db, &new)
        .await
        .expect("created")
}

/// Cases in `departement`, sampled `days_ago[i]` days ago.
async fn cases_in(db: &Db, prefix: &str, departement: &str, days_ago: &[i64]) -> Vec<CaseId> {
    let mut ids = Vec::new();
    for (i, days) in days_ago.iter().enumerate() {
        let mut case = new_case(&format!("{prefix}-{i:02}"));
        case.sample_date = (crate::common::today() - Duration::days(*days)).to_string();
        case.departement = Some(departement.parse().expect("code"));
        ids.push(
            relais_store::cases::create_case(db, &case)
                .await
                .expect("case"),
        );
    }
    ids
}

/// Every case of the first queue `scope` sees, page by page (`limit` 4).
async fn read_all(db: &Db, scope: Scope) -> Vec<CaseId> {
    let mut query = QueueQuery {
        queue: Queue::First,
        status: None,
        list_ready: None,
        locked_only: false,
        lookup: None,
        after: None,
        limit: 4,
    };
    let mut seen = Vec::new();
    loop {
        let page = queue_page(db, scope, &query).await.expect("page");
        // The desk reads the page with the tabs' counts: the same.
        let (together, counts) = queue_page_and_counts(db, scope, &query)
            .await
            .expect("page and counts");
        assert_eq!(together, page);
        assert_eq!(counts, queue_counts(db, scope).await.expect("counts"));
        seen.extend(page.rows.iter().map(|r| r.id));
        match page.next {
            Some(next) => query.after = Some(next),
            None => return seen,
        }
        assert!(seen.len() < 100, "the pages end");
    }
}

async fn a_scope_reads_its_parts_merged_in_queue_order(db: Db) {
    let agency = organisation(&db, OrganisationKind::Agency, "ARS", &["60", "80"]).await;
    let oise = organisation(&db, OrganisationKind::Fund, "CPAM 02", &["02"]).await;
    // Interleaved sample dates across the parts, and an outsider.
    let a = cases_in(&db, "A", "60", &[10, 7, 4, 1]).await;
    let b = cases_in(&db, "B", "80", &[9, 6, 3]).await;
    let c = cases_in(&db, "C", "02", &[8, 5, 2, 11, 12]).await;
    let _outside = cases_in(&db, "D", "75", &[13]).await;
    let supervisor = tracer(&db, "sup").await;
    let national = Membership {
        organisation: relais_store::organisations::NATIONAL,
        kind: OrganisationKind::National,
    };
    // The two oldest waiting cases of the 02 fund (12 and 11 days) go to
    // the agency.
    let request = LendRequest {
        from: oise,
        to: agency,
        departement: "02".parse().unwrap(),
        count: 2,
    };
    let (lend_id, moved) = lend(&db, supervisor, national, request)
        .await
        .expect("lend");
    assert_eq!(moved, 2);
    let scope = Scope::of(Membership {
        organisation: agency,
        kind: OrganisationKind::Agency,
    });
    // Oldest first: C-04 (12), C-03 (11), A-00 (10), B-00 (9), A-01 (7)…
    let expected = vec![c[4], c[3], a[0], b[0], a[1], b[1], a[2], b[2], a[3]];
    assert_eq!(read_all(&db, scope).await, expected);
    let counts = queue_counts(&db, scope).await.unwrap();
    assert_eq!(counts.first, 9);
    // The outsider and the fund's other cases are not in the scope.
    for id in [c[0], c[1], c[2], _outside[0]] {
        assert!(case_in_scope(&db, scope, id).await.unwrap().is_none());
    }
    assert!(case_in_scope(&db, scope, c[4]).await.unwrap().is_some());
    // The fund still sees its lent cases; the national scope every case.
    let fund = Scope::of(Membership {
        organisation: oise,
        kind: OrganisationKind::Fund,
    });
    assert_eq!(
        read_all(&db, fund).await,
        vec![c[4], c[3], c[0], c[1], c[2]]
    );
    assert_eq!(read_all(&db, Scope::whole_country()).await.len(), 13);

    // The agency opens C-04 (a national member's look at C-03 is not the
    // helping team's); taking the lend back returns C-03 only.
    relais_store::desk::case_file::load_case_file(&db, supervisor, scoped(&db, c[3]).await)
        .await
        .unwrap();
    let agency_staff = relais_store::staff::create_staff_user(
        &db,
        "agency-tracer",
        "A",
        relais::roles::StaffRole::Tracer,
        agency,
        "$argon2id$v=19$m=19456,t=2,p=1$not-a-real-hash",
    )
    .await
    .unwrap();
    relais_store::desk::case_file::load_case_file(&db, agency_staff, scoped(&db, c[4]).await)
        .await
        .unwrap();
    let back = take_back(&db, supervisor, national, lend_id)
        .await
        .unwrap()
        .expect("the national organisation takes any lend back");
    assert_eq!(back, 1, "the one the agency opened stays");
    assert_eq!(
        read_all(&db, scope).await,
        vec![c[4], a[0], b[0], a[1], b[1], a[2], b[2], a[3]]
    );
    // A fund's member may not take back a lend it did not make.
    let other = Membership {
        organisation: agency,
        kind: OrganisationKind::Agency,
    };
    assert_eq!(
        take_back(&db, supervisor, other, lend_id).await.unwrap(),
        None
    );
}

per_engine! {
    a_scope_searches_and_calls_back_across_its_parts => a_scope_searches_and_calls_back_across_its_parts_sqlite,
        a_scope_searches_and_calls_back_across_its_parts_postgres;
}

/// A case named `last`, in `departement`, sampled `days_ago` days ago.
async fn named(db: &Db, last: &str, departement: &str, days_ago: i64) -> CaseId {
    let mut case = new_case(&format!("N-{last}"));
    case.last_name = last.to_owned();
    case.sample_date = (crate::common::today() - Duration::days(days_ago)).to_string();
    case.departement = Some(departement.parse().expect("code"));
    relais_store::cases::create_case(db, &case)
        .await
        .expect("case")
}

/// An agency covering two départements, with a case lent to it: its search
/// by name is one page of its parts merged in name order, its second-call
/// queue their merge in call-back order, page after page, and its counts
/// add up every part (and no other case).
async fn a_scope_searches_and_calls_back_across_its_parts(db: Db) {
    let agency = organisation(&db, OrganisationKind::Agency, "ARS", &["60", "80"]).await;
    let fund = organisation(&db, OrganisationKind::Fund, "CPAM 02", &["02"]).await;
    let supervisor = tracer(&db, "sup").await;
    let national = Membership {
        organisation: relais_store::organisations::NATIONAL,
        kind: OrganisationKind::National,
    };
    let durand = named(&db, "Durand", "60", 2).await;
    let dupont = named(&db, "Dupont", "60", 3).await;
    let dubois = named(&db, "Dubois", "80", 2).await;
    let dufour = named(&db, "Dufour", "80", 4).await;
    let dumas = named(&db, "Dumas", "02", 5).await;
    let _duval = named(&db, "Duval", "02", 1).await;
    let _outsider = named(&db, "Dubost", "75", 1).await;
    let request = LendRequest {
        from: fund,
        to: agency,
        departement: "02".parse().unwrap(),
        count: 1,
    };
    assert_eq!(
        lend(&db, supervisor, national, request)
            .await
            .expect("lend")
            .1,
        1,
        "the oldest of the 02 (Dumas) is lent"
    );
    let scope = Scope::of(Membership {
        organisation: agency,
        kind: OrganisationKind::Agency,
    });
    let search = |limit| QueueQuery {
        queue: Queue::First,
        status: None,
        list_ready: None,
        locked_only: false,
        lookup: Some(Lookup::Name("du".to_owned())),
        after: None,
        limit,
    };
    let ids = |page: &relais_store::desk::queue::QueuePage| {
        page.rows.iter().map(|r| r.id).collect::<Vec<_>>()
    };
    let page = queue_page(&db, scope, &search(3)).await.unwrap();
    assert_eq!(ids(&page), vec![dubois, dufour, dumas]);
    assert!(page.more_found, "two more match: refine");
    assert_eq!(page.next, None, "a search is not paged");
    let page = queue_page(&db, scope, &search(10)).await.unwrap();
    assert_eq!(ids(&page), vec![dubois, dufour, dumas, dupont, durand]);
    assert!(!page.more_found);

    // No answer from four of them, ten seconds apart: the second call's
    // queue, in the order they are to be called back.
    for case in [durand, dubois, dumas, dupont] {
        assert_eq!(
            record_call(
                &db,
                supervisor,
                scoped(&db, case).await,
                CallOutcome::NoAnswer,
                None
            )
            .await
            .unwrap(),
            Change::Done
        );
        db.clock().advance(Duration::seconds(10));
    }
    let mut query = QueueQuery {
        queue: Queue::Second,
        lookup: None,
        ..search(3)
    };
    let first = queue_page(&db, scope, &query).await.unwrap();
    assert_eq!(ids(&first), vec![durand, dubois, dumas]);
    query.after = Some(first.next.expect("a next page"));
    let rest = queue_page(&db, scope, &query).await.unwrap();
    assert_eq!(ids(&rest), vec![dupont]);
    assert_eq!(rest.next, None);

    // Fifteen seconds after the first one is due: two are due.
    db.clock()
        .advance(Duration::seconds(NO_ANSWER_RETRY_SECONDS - 40 + 15));
    let counts = queue_counts(&db, scope).await.unwrap();
    assert_eq!(
        (counts.first, counts.second, counts.second_due),
        (1, 4, 2),
        "Dufour waits for a first call; Durand and Dubois are due"
    );
}

per_engine! {
    a_share_of_new_cases_is_lent_until_taken_back => a_share_of_new_cases_is_lent_until_taken_back_sqlite,
        a_share_of_new_cases_is_lent_until_taken_back_postgres;
}

async fn a_share_of_new_cases_is_lent_until_taken_back(db: Db) {
    use relais_store::lends::{apply_shares, lend_share, ShareRequest};
    let oise = organisation(&db, OrganisationKind::Fund, "CPAM 60", &["60"]).await;
    let somme = organisation(&db, OrganisationKind::Fund, "CPAM 80", &["80"]).await;
    let supervisor = tracer(&db, "sup").await;
    let fund = Membership {
        organisation: oise,
        kind: OrganisationKind::Fund,
    };
    let before = cases_in(&db, "OLD", "60", &[3; 10]).await;
    db.clock().advance(Duration::seconds(1));
    let request = ShareRequest {
        from: oise,
        to: somme,
        departement: "60".parse().unwrap(),
        share: 30,
        days: 2,
    };
    let lend_id = lend_share(&db, supervisor, fund, request)
        .await
        .expect("share lent");
    // 100 new cases of the Oise, and some of the Somme: 30 of the Oise's are lent.
    let new: Vec<CaseId> = cases_in(&db, "NEW", "60", &[1; 100]).await;
    cases_in(&db, "SOM", "80", &[1; 5]).await;
    assert_eq!(apply_shares(&db).await.unwrap(), 30);
    assert_eq!(apply_shares(&db).await.unwrap(), 0, "once");
    let somme_scope = Scope::of(Membership {
        organisation: somme,
        kind: OrganisationKind::Fund,
    });
    let lent: Vec<CaseId> = read_all(&db, somme_scope)
        .await
        .into_iter()
        .filter(|id| new.contains(id))
        .collect();
    assert_eq!(lent.len(), 30);
    assert!(lent
        .iter()
        .all(|id| relais::organisation::in_share(id.get(), 30)));
    for id in &before {
        assert!(case_in_scope(&db, somme_scope, *id)
            .await
            .unwrap()
            .is_none());
    }
    // Taken back: the unopened return, and new cases are no longer lent.
    let back = take_back(&db, supervisor, fund, lend_id).await.unwrap();
    assert_eq!(back, Some(30));
    cases_in(&db, "LATER", "60", &[1; 100]).await;
    assert_eq!(apply_shares(&db).await.unwrap(), 0, "stopped");
    // A share lent for 2 days ends with them.
    let request = ShareRequest { days: 2, ..request };
    lend_share(&db, supervisor, fund, request).await.unwrap();
    db.clock().advance(Duration::days(3));
    cases_in(&db, "AFTER", "60", &[1; 100]).await;
    assert_eq!(apply_shares(&db).await.unwrap(), 0, "the period is over");
}
