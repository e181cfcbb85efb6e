//! Sessions: reading a page moves the idle timer, but writes it at most once
//! a minute (a read stays a read), and an idle session still ends on time.

use crate::common::create_case;
use crate::sql;
use relais_store::cases::{case_session, save_symptom_onset, situation_of, CaseSession};
use relais_store::sessions::{
    open_session, session_subject, SessionSubject, IDLE_SECONDS, TOUCH_SECONDS,
};
use relais_store::Db;

per_engine! {
    the_idle_timer_is_written_at_most_once_a_minute
        => the_idle_timer_is_written_at_most_once_a_minute_sqlite,
        the_idle_timer_is_written_at_most_once_a_minute_postgres;
    a_case_session_comes_with_its_case_s_situation_in_one_read
        => a_case_session_comes_with_its_case_s_situation_in_one_read_sqlite,
        a_case_session_comes_with_its_case_s_situation_in_one_read_postgres;
    a_staff_session_comes_with_its_member_in_one_read
        => a_staff_session_comes_with_its_member_in_one_read_sqlite,
        a_staff_session_comes_with_its_member_in_one_read_postgres;
}

async fn the_idle_timer_is_written_at_most_once_a_minute(db: Db) {
    let case = create_case(&db, "S-1").await;
    let secret = open_session(&db, SessionSubject::Case(case)).await.unwrap();
    let opened = sql::latest_session_activity(&db).await.unwrap();
    // Within the minute: answered, nothing written. (The clock runs on from
    // the system's: ten seconds of margin for a slow machine.)
    db.clock()
        .advance(time::Duration::seconds(TOUCH_SECONDS - 10));
    assert_eq!(
        session_subject(&db, &secret).await.unwrap(),
        Some(SessionSubject::Case(case))
    );
    assert_eq!(sql::latest_session_activity(&db).await.unwrap(), opened);
    // Past it: the timer moves to the time of the read (between the times
    // before and after it).
    db.clock().advance(time::Duration::seconds(11));
    let before = db.now();
    assert_eq!(
        session_subject(&db, &secret).await.unwrap(),
        Some(SessionSubject::Case(case))
    );
    let moved = sql::latest_session_activity(&db).await.unwrap();
    assert!(
        (before..=db.now()).contains(&moved),
        "{moved} not in {before}..={}",
        db.now()
    );
    assert!(moved > opened);
    // Idle from the last write for longer than the idle time: ended, even
    // though a read came within the minute before (not written).
    db.clock().advance(time::Duration::seconds(30));
    assert!(session_subject(&db, &secret).await.unwrap().is_some());
    db.clock()
        .advance(time::Duration::seconds(IDLE_SECONDS - 30));
    assert_eq!(session_subject(&db, &secret).await.unwrap(), None);
}

/// `case_session` answers as `session_subject` then `situation_of` would:
/// the case with its situation (a fact the case gave included) and when it
/// sent its list, only for a live case session, and the idle timer written at
/// most once a minute.
async fn a_case_session_comes_with_its_case_s_situation_in_one_read(db: Db) {
    let case = create_case(&db, "S-2").await;
    let onset = crate::common::today() - time::Duration::days(3);
    assert!(save_symptom_onset(&db, case, Some(onset)).await.unwrap());
    let secret = open_session(&db, SessionSubject::Case(case)).await.unwrap();
    let expected = situation_of(&db, case).await.unwrap().unwrap();
    assert_eq!(expected.symptom_onset, Some(onset));
    let opened = sql::latest_session_activity(&db).await.unwrap();
    assert_eq!(
        case_session(&db, &secret).await.unwrap(),
        Some(CaseSession {
            case_id: case,
            situation: Some(expected.clone()),
            submitted_at: None,
        })
    );
    assert_eq!(sql::latest_session_activity(&db).await.unwrap(), opened);
    // Another case's session gets its own case.
    let other = create_case(&db, "S-3").await;
    let other_secret = open_session(&db, SessionSubject::Case(other))
        .await
        .unwrap();
    let found = case_session(&db, &other_secret).await.unwrap().unwrap();
    assert_eq!(found.case_id, other);
    assert_eq!(found.situation.unwrap().symptom_onset, None);
    // Once the case sent their list, their session tells when.
    let sent_at = db.now();
    relais_store::declaration::submit_declaration(&db, case)
        .await
        .unwrap();
    let sent = case_session(&db, &secret).await.unwrap().unwrap();
    assert!(
        sent.submitted_at
            .is_some_and(|at| at >= sent_at && at < sent_at + 10),
        "{sent:?}"
    );
    assert_eq!(
        case_session(&db, &other_secret)
            .await
            .unwrap()
            .unwrap()
            .submitted_at,
        None
    );
    // A tracer's session, or an unknown secret: no case.
    let staff = crate::common::tracer(&db, "tracer-s").await;
    let staff_secret = open_session(&db, SessionSubject::Staff(staff))
        .await
        .unwrap();
    assert!(session_subject(&db, &staff_secret).await.unwrap().is_some());
    assert_eq!(case_session(&db, &staff_secret).await.unwrap(), None);
    assert_eq!(case_session(&db, "no-such-secret").await.unwrap(), None);
    // Past the minute, the timer moves to the time of the read, as with any
    // read. (The clock runs on from the system's: between the times before
    // and after it.)
    db.clock()
        .advance(time::Duration::seconds(TOUCH_SECONDS + 1));
    let before = db.now();
    assert!(case_session(&db, &secret).await.unwrap().is_some());
    let moved = sql::latest_session_activity(&db).await.unwrap();
    assert!(
        (before..=db.now()).contains(&moved),
        "{moved} not in {before}..={}",
        db.now()
    );
    assert!(moved > opened + TOUCH_SECONDS);
    // Idle for longer than the idle time: ended.
    db.clock()
        .advance(time::Duration::seconds(IDLE_SECONDS + 1));
    assert_eq!(case_session(&db, &secret).await.unwrap(), None);
}

/// `session_member` answers as `session_subject` then `active_member` would:
/// the member of a live staff session whose account may act now, nobody for
/// a citizen's session, an unknown secret, a locked or disabled account, and
/// the idle timer written at most once a minute.
async fn a_staff_session_comes_with_its_member_in_one_read(db: Db) {
    use relais_store::staff::{active_member, lock_sign_in, session_member, SignInName};
    let staff = crate::common::tracer(&db, "tracer-m").await;
    let secret = open_session(&db, SessionSubject::Staff(staff))
        .await
        .unwrap();
    let opened = sql::latest_session_activity(&db).await.unwrap();
    let member = session_member(&db, &secret).await.unwrap();
    assert_eq!(member.as_ref().map(|m| m.id), Some(staff));
    assert_eq!(member, active_member(&db, staff).await.unwrap());
    assert_eq!(sql::latest_session_activity(&db).await.unwrap(), opened);
    // A case's session, an unknown secret: nobody.
    let case = create_case(&db, "S-M").await;
    let case_secret = open_session(&db, SessionSubject::Case(case)).await.unwrap();
    assert_eq!(session_member(&db, &case_secret).await.unwrap(), None);
    assert_eq!(session_member(&db, "no-such-secret").await.unwrap(), None);
    // Past the minute, the timer moves to the time of the read. (The clock
    // runs on from the system's: between the times before and after it.)
    db.clock()
        .advance(time::Duration::seconds(TOUCH_SECONDS + 1));
    let before = db.now();
    assert!(session_member(&db, &secret).await.unwrap().is_some());
    let moved = sql::latest_session_activity(&db).await.unwrap();
    assert!(
        (before..=db.now()).contains(&moved),
        "{moved} not in {before}..={}",
        db.now()
    );
    // A locked account: nobody, until the lock runs out.
    lock_sign_in(&db, SignInName::Account(staff)).await.unwrap();
    assert_eq!(session_member(&db, &secret).await.unwrap(), None);
    db.clock().advance(time::Duration::seconds(
        relais::desk::sign_in::FIRST_LOCK_SECONDS + 1,
    ));
    assert!(session_member(&db, &secret).await.unwrap().is_some());
    // A disabled account: nobody.
    sql::disable_account(&db, staff).await.unwrap();
    assert_eq!(session_member(&db, &secret).await.unwrap(), None);
    // Idle for longer than a staff session may be: ended.
    let other = crate::common::tracer(&db, "tracer-n").await;
    let other_secret = open_session(&db, SessionSubject::Staff(other))
        .await
        .unwrap();
    db.clock().advance(time::Duration::seconds(
        relais_store::sessions::STAFF_IDLE_SECONDS + 1,
    ));
    assert_eq!(session_member(&db, &other_secret).await.unwrap(), None);
}
