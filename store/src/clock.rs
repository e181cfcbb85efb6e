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

    /// Today's date in UTC.
    pub fn today_utc(&self) -> Date {
        self.now_utc().date()
    }

    /// The desk's wall-clock time now (Europe/Paris).
    pub fn now_local(&self) -> PrimitiveDateTime {
        let now = self.now_utc().to_timezone(crate::paris::desk_zone());
        PrimitiveDateTime::new(now.date(), now.time())
    }

    /// Today in Paris.
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
        assert_eq!(other.today_utc(), relais::dates::ymd(1970, 1, 12).unwrap());
    }
}
