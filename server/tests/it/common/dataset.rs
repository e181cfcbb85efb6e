//! A hand-made dataset for the dashboard and the retention: four cases
//! around a day `d`, written row by row with known instants, each personal
//! field carrying `marker` so that a test can look for it in every column.
//!
//! | case | created (Paris) | sample | list sent | calls                      | contacts (removed) | messages                                  |
//! |------|-----------------|--------|-----------|----------------------------|--------------------|-------------------------------------------|
//! | A    | d 10:00         | d−1    | d 11:00   | d 14:00 no answer, 16:00 reached | 3 (+1), 2 validated | invitation sent, notifications: 1 sent d 18:00, 1 failed |
//! | B    | d 12:00         | d      | —         | d 15:00 reached            | 0                  | invitation sent                           |
//! | C    | d+1 00:30       | d      | d+1 01:00 | —                          | 1                  | —                                         |
//! | D    | d 08:00         | d−2    | d 10:00   | d 09:00 wrong number       | 1                  | —                                         |
//!
//! A's first contact answered "1" by SMS and sent a free-text reply; A and
//! D declared "Café de la Gare" in Lyon, B "Le cafe de la gare" (a cluster
//! of three cases), C a place of its own.

use super::sql::{self, CaseRow, ContactRow, MessageRow, ReplyRow};
use relais_store::figures::day_start;
use relais_store::Db;
use time::{Date, Duration};

/// The expected figures of day `d` and of `d + 1` (see the table above).
pub fn expected(d: Date) -> (relais::figures::DayFigures, relais::figures::DayFigures) {
    let mut day = relais::figures::DayFigures::empty(d);
    day.cases = 3;
    day.contacts_declared = 4;
    day.contacts_validated = 2;
    day.cases_called = 3;
    day.cases_listed_before_call = 1;
    day.cases_reached = 2;
    day.contacts_to_notify = 2;
    day.contacts_reached = 1;
    day.cases_without_contact = 1;
    day.second_calls = 1;
    day.sms_sent = 3;
    day.sms_failed = 1;
    day.sms_replied = 2;
    // A: sample d−1 00:00 → call d 14:00; B: d 00:00 → d 15:00; D: d−2 → d 09:00
    // (38, 15 and 57 hours, but for a change of the clocks in between).
    let hours = |sample: i64, call_hour: i64| {
        ((day_start(d) + call_hour * 3600 - day_start(d + Duration::days(sample))) / 3600) as u32
    };
    for (sample, call_hour) in [(-1, 14), (0, 15), (-2, 9)] {
        day.sample_to_call.add(hours(sample, call_hour));
    }
    // A: first call d 14:00 → last notification sent d 18:00.
    day.call_to_notified.add(4);
    let mut next = relais::figures::DayFigures::empty(d + Duration::days(1));
    next.cases = 1;
    next.contacts_declared = 1;
    next.cases_without_contact = 0;
    (day, next)
}

/// The ids the dataset created.
pub struct Dataset {
    pub cases: Vec<i64>,
    pub contacts: Vec<i64>,
}

/// Writes the dataset around day `d`; every personal text contains `marker`,
/// every phone number starts with `+33639` and `block` (two digits).
pub async fn write(db: &Db, d: Date, marker: &str, block: u32) -> Dataset {
    let at = |days: i64, hour: i64, minute: i64| {
        day_start(d + Duration::days(days)) + hour * 3600 + minute * 60
    };
    let day = |days: i64| (d + Duration::days(days)).to_string();
    let m = |what: &str| format!("{what}-{marker}");
    let phone = |n: i64| format!("+33639{block:02}{n:04}");
    let mut cases = Vec::new();
    let mut contacts = Vec::new();
    for (letter, created, sample, listed) in [
        ("A", at(0, 10, 0), day(-1), Some(at(0, 11, 0))),
        ("B", at(0, 12, 0), day(0), None),
        ("C", at(1, 0, 30), day(0), Some(at(1, 1, 0))),
        ("D", at(0, 8, 0), day(-2), Some(at(0, 10, 0))),
    ] {
        let first = m(&format!("Prénom{letter}"));
        let last = m(&format!("Nom{letter}"));
        let case_id = sql::insert_case_row(
            db,
            &CaseRow {
                reference: &format!("DS-{marker}-{letter}"),
                first_name: &first,
                last_name: &last,
                birth_date: &m("1961-02-03"),
                phone: &phone(cases.len() as i64),
                email: &m("case@example.org"),
                sample_date: &sample,
                list_submitted_at: listed,
                contact_draft: &m("{\"draft\":\"brouillon\"}"),
                place_draft: &m("{\"place\":\"brouillon\"}"),
                name_key: &m("nom prenom"),
                created_at: created,
            },
        )
        .await;
        cases.push(case_id);
    }
    let (a, b, c, dd) = (cases[0], cases[1], cases[2], cases[3]);
    // Contacts: A has 3 (+1 removed), 2 validated; C and D one each.
    for (case_id, n, status, removed) in [
        (a, 0, "validated", false),
        (a, 1, "validated", false),
        (a, 2, "declared", false),
        (a, 3, "declared", true),
        (c, 4, "declared", false),
        (dd, 5, "declared", false),
    ] {
        let contact_id = sql::insert_contact_row(
            db,
            &ContactRow {
                case_id,
                first_name: &m(&format!("ContactPrénom{n}")),
                last_name: &m(&format!("ContactNom{n}")),
                phone: &phone(10 + n),
                email: &m("contact@example.org"),
                guardian_phone: &phone(20 + n),
                requested_phone: &phone(30 + n),
                follow_up_draft: &m("{\"suivi\":1}"),
                tracer_reason: &m("raison du traceur"),
                status,
                removed_at: removed.then(|| at(0, 12, 0)),
                created_at: at(0, 11, 0),
            },
        )
        .await;
        contacts.push(contact_id);
    }
    // Calls.
    for (case_id, outcome, when) in [
        (a, "no_answer", at(0, 14, 0)),
        (a, "reached", at(0, 16, 0)),
        (b, "reached", at(0, 15, 0)),
        (dd, "wrong_number", at(0, 9, 0)),
    ] {
        sql::insert_call(db, case_id, outcome, when).await;
    }
    // Messages: invitations of A and B sent; A's two notifications, one
    // sent at d 18:00, one failed.
    for (kind, case_id, contact, status, sent) in [
        ("case_invitation", a, None, "sent", Some(at(0, 10, 1))),
        ("case_invitation", b, None, "sent", Some(at(0, 12, 1))),
        (
            "contact_notification",
            a,
            Some(contacts[0]),
            "sent",
            Some(at(0, 18, 0)),
        ),
        ("contact_notification", a, Some(contacts[1]), "failed", None),
    ] {
        sql::insert_message_row(
            db,
            &MessageRow {
                kind,
                to_phone: &phone(40),
                body: &m("Bonjour, votre lien"),
                case_id,
                contact_id: contact,
                status,
                next_attempt_at: at(0, 10, 0),
                sent_at: sent,
                last_error: &m("gateway error"),
            },
        )
        .await;
    }
    // Replies: A's first contact answered "1", then a free text.
    sql::set_negative_sms_answer(db, contacts[0], at(1, 9, 0)).await;
    let inbound = sql::insert_inbound_reply(db, &format!("gw-{marker}"), at(1, 9, 5)).await;
    sql::insert_reply_row(
        db,
        &ReplyRow {
            inbound_id: inbound,
            case_id: a,
            contact_id: contacts[0],
            from_phone: &phone(10),
            body: &m("je suis malade"),
            received_at: at(1, 9, 5),
        },
    )
    .await;
    sql::insert_opt_out(db, &phone(99), at(1, 9, 6)).await;
    // Places: one cluster of three cases, and C's own place.
    for (case_id, name, visited) in [
        (a, format!("Café de la Gare {marker}"), day(-2)),
        (
            dd,
            format!("cafe de la gare {}", marker.to_lowercase()),
            day(-4),
        ),
        (b, format!("Le cafe de la gare {marker}"), day(-1)),
        (c, m("Chez un ami"), day(-1)),
    ] {
        sql::insert_place(
            db,
            case_id,
            &name,
            &format!("Lyon {marker}"),
            &visited,
            at(0, 11, 0),
        )
        .await;
    }
    Dataset { cases, contacts }
}
