//! What follows a failed staff sign-in: a growing delay before the answer,
//! then a lock.
//!
//! A tracer who mistypes a password once or twice is answered at once.
//! From the third consecutive failure of one account, the answer waits a
//! delay that doubles with each failure (1, 2, 4, 8, 16 times the base
//! delay, then [`MAX_DELAY_FACTOR`] times), which makes guessing slow
//! without locking out someone who merely forgot. From the
//! [`LOCK_AFTER`]-th consecutive failure, the account is locked for
//! [`lock_seconds`] (15 minutes, doubling with each lock in a row, at most a
//! day) or until an administrator unlocks it: guessing stops there, and a
//! stranger who knows a name cannot keep its owner out for long.
//!
//! The count is per name and kept by the caller in the database (never in
//! memory: several nodes serve the desk); a successful sign-in resets it.
//! A name that is no account is counted, delayed and locked the same way,
//! so that the answers do not tell which names exist.
//!
//! ```
//! use relais::desk::sign_in::{after_failure, delay_ms, AfterFailure, LOCK_AFTER};
//! assert_eq!(after_failure(2), AfterFailure::Delay { factor: 0 });
//! assert_eq!(after_failure(5), AfterFailure::Delay { factor: 4 });
//! assert_eq!(delay_ms(5, 250), 1_000);
//! assert_eq!(after_failure(LOCK_AFTER), AfterFailure::Lock);
//! ```

/// Consecutive failures after which an account is locked until an admin
/// unlocks it.
pub const LOCK_AFTER: u32 = 10;

/// The first lock's length, in seconds.
pub const FIRST_LOCK_SECONDS: i64 = 15 * 60;

/// The longest lock, in seconds.
pub const MAX_LOCK_SECONDS: i64 = 24 * 3600;

/// How long the `locks`-th lock in a row lasts (1 = the first): 15 minutes,
/// doubling with each, at most a day.
pub fn lock_seconds(locks: u32) -> i64 {
    let doublings = locks.saturating_sub(1);
    1i64.checked_shl(doublings)
        .filter(|factor| *factor > 0 && *factor <= MAX_LOCK_SECONDS / FIRST_LOCK_SECONDS)
        .map_or(MAX_LOCK_SECONDS, |factor| FIRST_LOCK_SECONDS * factor)
}

/// The longest delay, in multiples of the base delay.
pub const MAX_DELAY_FACTOR: u64 = 30;

/// Consecutive failures answered at once: typos.
const FREE_FAILURES: u32 = 2;

/// What follows one failed sign-in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AfterFailure {
    /// Answer only after `factor` × the base delay.
    Delay { factor: u64 },
    /// The account is now locked.
    Lock,
}

/// What follows the `consecutive`-th consecutive failed sign-in of one
/// account (1 = first failure).
///
/// No delay (factor 0) for 1 and 2 failures (typos), then doubling:
/// 3 → 1, 4 → 2, 5 → 4, ... capped at [`MAX_DELAY_FACTOR`]; [`AfterFailure::Lock`]
/// from [`LOCK_AFTER`] on. `0` (no failure) is answered like a typo.
pub fn after_failure(consecutive: u32) -> AfterFailure {
    if consecutive >= LOCK_AFTER {
        return AfterFailure::Lock;
    }
    let factor = match consecutive.checked_sub(FREE_FAILURES + 1) {
        None => 0,
        Some(doublings) => 1u64
            .checked_shl(doublings)
            .unwrap_or(u64::MAX)
            .min(MAX_DELAY_FACTOR),
    };
    AfterFailure::Delay { factor }
}

/// The delay in milliseconds for the `consecutive`-th consecutive failure
/// (see [`after_failure`]) with the given base delay: `factor × base_ms`,
/// saturating at `u64::MAX`. `0` when the account is locked: a lock is
/// answered at once, since waiting no longer slows any guessing.
pub fn delay_ms(consecutive: u32, base_ms: u64) -> u64 {
    match after_failure(consecutive) {
        AfterFailure::Delay { factor } => factor.saturating_mul(base_ms),
        AfterFailure::Lock => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn locks_last_15_minutes_doubling_up_to_a_day() {
        let minutes: Vec<i64> = (0..=9).map(|n| lock_seconds(n) / 60).collect();
        assert_eq!(minutes, [15, 15, 30, 60, 120, 240, 480, 960, 1440, 1440]);
        assert_eq!(lock_seconds(u32::MAX), MAX_LOCK_SECONDS);
        assert_eq!(lock_seconds(64), MAX_LOCK_SECONDS);
    }

    proptest! {
        #[test]
        fn a_lock_is_never_shorter_than_the_one_before_nor_over_a_day(n in 0u32..200) {
            prop_assert!(lock_seconds(n + 1) >= lock_seconds(n));
            prop_assert!(lock_seconds(n) >= FIRST_LOCK_SECONDS);
            prop_assert!(lock_seconds(n) <= MAX_LOCK_SECONDS);
        }
    }

    #[test]
    fn the_sequence_of_factors() {
        let factors: Vec<AfterFailure> = (0..=11).map(after_failure).collect();
        let delay = |factor| AfterFailure::Delay { factor };
        assert_eq!(
            factors,
            vec![
                delay(0),
                delay(0),
                delay(0),
                delay(1),
                delay(2),
                delay(4),
                delay(8),
                delay(16),
                delay(30),
                delay(30),
                AfterFailure::Lock,
                AfterFailure::Lock,
            ]
        );
    }

    #[test]
    fn delays_in_milliseconds() {
        assert_eq!(delay_ms(1, 500), 0);
        assert_eq!(delay_ms(3, 500), 500);
        assert_eq!(delay_ms(9, 500), 15_000);
        assert_eq!(delay_ms(LOCK_AFTER, 500), 0);
        assert_eq!(delay_ms(9, u64::MAX), u64::MAX);
        assert_eq!(delay_ms(u32::MAX, u64::MAX), 0);
    }

    proptest! {
        #[test]
        fn never_decreases_until_the_lock(a in 0u32..LOCK_AFTER, b in 0u32..LOCK_AFTER, base in any::<u64>()) {
            let (fewer, more) = (a.min(b), a.max(b));
            prop_assert!(delay_ms(fewer, base) <= delay_ms(more, base));
        }

        #[test]
        fn capped(consecutive in any::<u32>(), base in any::<u64>()) {
            if let AfterFailure::Delay { factor } = after_failure(consecutive) {
                prop_assert!(factor <= MAX_DELAY_FACTOR);
            }
            prop_assert!(delay_ms(consecutive, base) <= MAX_DELAY_FACTOR.saturating_mul(base));
        }

        #[test]
        fn locked_exactly_from_lock_after(consecutive in any::<u32>()) {
            let locked = after_failure(consecutive) == AfterFailure::Lock;
            prop_assert_eq!(locked, consecutive >= LOCK_AFTER);
        }

        #[test]
        fn never_overflows(consecutive in any::<u32>(), base in any::<u64>()) {
            let delay = delay_ms(consecutive, base);
            if let AfterFailure::Delay { factor } = after_failure(consecutive) {
                prop_assert_eq!(delay, factor.saturating_mul(base));
            } else {
                prop_assert_eq!(delay, 0);
            }
        }
    }
}
