//! Sessions: reading a page moves the idle timer, but writes it at most once
//! a minute (a read stays a read), and an idle session still ends on time.

use crate::common::create_case;
use crate::sql;
use relais_store::sessions::{
    open_session, session_subject, SessionSubject, IDLE_SECONDS, TOUCH_SECONDS,
};
use relais_store::Db;

per_engine! {
    the_idle_timer_is_written_at_most_once_a_minute
        => the_idle_timer_is_written_at_most_once_a_minute_sqlite,
        the_idle_timer_is_written_at_most_once_a_minute_postgres;
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
    // Past it: the timer moves to now.
    db.clock().advance(time::Duration::seconds(11));
    assert_eq!(
        session_subject(&db, &secret).await.unwrap(),
        Some(SessionSubject::Case(case))
    );
    let moved = sql::latest_session_activity(&db).await.unwrap();
    assert_eq!(moved, db.now());
    assert!(moved > opened);
    // Idle from the last write for longer than the idle time: ended, even
    // though a read came within the minute before (not written).
    db.clock().advance(time::Duration::seconds(30));
    assert!(session_subject(&db, &secret).await.unwrap().is_some());
    db.clock()
        .advance(time::Duration::seconds(IDLE_SECONDS - 30));
    assert_eq!(session_subject(&db, &secret).await.unwrap(), None);
}
