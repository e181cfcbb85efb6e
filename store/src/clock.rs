//! The store's clock: what "now" is for every instant the store writes or
//! compares. The system clock in production; tests move it forward (a
//! shared offset, so every clone of the [`Db`](crate::Db) — the server's
//! included — sees the same time) instead of back-dating rows by hand.

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;
use time::{Date, Duration, OffsetDateTime, PrimitiveDateTime};
use time_tz::OffsetDateTimeExt;

/// The system clock, plus an offset that only tests change.
#[derive(Debug, Clone, Default)]
pub struct Clock {
    /// Seconds added to the system clock.
    offset: Arc<AtomicI64>,
}

impl Clock {
    /// The system clock.
    pub fn system() -> Clock {
        Clock::default()
    }

    /// The current instant.
    #[allow(clippy::disallowed_methods)] // The one reader of the system clock.
    pub fn now_utc(&self) -> OffsetDateTime {
        OffsetDateTime::now_utc() + Duration::seconds(self.offset.load(Ordering::Relaxed))
    }

    /// The current instant, in Unix seconds (UTC).
    pub fn now(&self) -> i64 {
        self.now_utc().unix_timestamp()
    }

    /// The desk's wall-clock time now (Europe/Paris).
    pub fn now_local(&self) -> PrimitiveDateTime {
        let now = self.now_utc().to_timezone(crate::paris::desk_zone());
        PrimitiveDateTime::new(now.date(), now.time())
    }

    /// Today in Paris: the service's one day, for every date it compares
    /// or prints (a case's J0, a contact's last day, the intake's sample
    /// dates, the figures' days, the retention's ages).
    pub fn today_paris(&self) -> Date {
        self.now_local().date()
    }

    /// Moves the clock forward (or back, with a negative duration), for
    /// every holder of this clock (tests).
    pub fn advance(&self, by: Duration) {
        self.offset.fetch_add(by.whole_seconds(), Ordering::Relaxed);
    }

    /// Sets the clock to `at` (Unix seconds); it runs on from there (tests).
    pub fn set(&self, at: i64) {
        #[allow(clippy::disallowed_methods)] // The system clock the offset is from.
        let system = OffsetDateTime::now_utc().unix_timestamp();
        self.offset.store(at - system, Ordering::Relaxed);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_advanced_clock_is_ahead_for_every_clone() {
        let clock = Clock::system();
        let other = clock.clone();
        let before = other.now();
        clock.advance(Duration::days(3));
        let after = other.now();
        assert!((after - before - 3 * 86_400).abs() <= 1, "{before} {after}");
        clock.set(1_000_000);
        assert!((other.now() - 1_000_000).abs() <= 1);
        assert_eq!(
            other.today_paris(),
            relais::dates::ymd(1970, 1, 12).unwrap()
        );
    }

    #[test]
    fn the_services_day_is_the_paris_day_not_the_utc_one() {
        let clock = Clock::system();
        let day = |y, m, d| relais::dates::ymd(y, m, d).unwrap();
        // 2026-12-04 23:30 UTC is already 00:30 on the 5th in Paris (UTC+1).
        clock.set(day(2026, 12, 4).midnight().assume_utc().unix_timestamp() + 23 * 3600 + 1800);
        assert_eq!(clock.now_utc().date(), day(2026, 12, 4));
        assert_eq!(clock.today_paris(), day(2026, 12, 5));
        // In summer (UTC+2) the Paris day turns at 22:00 UTC.
        clock.set(day(2026, 7, 14).midnight().assume_utc().unix_timestamp() + 22 * 3600 + 60);
        assert_eq!(clock.today_paris(), day(2026, 7, 15));
        clock.set(day(2026, 7, 14).midnight().assume_utc().unix_timestamp() + 21 * 3600 + 3540);
        assert_eq!(clock.today_paris(), day(2026, 7, 14));
    }
}
