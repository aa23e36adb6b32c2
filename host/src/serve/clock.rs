//! Time as the server sees it. Everything that ages (credit periods,
//! retention, webhook retries) reads a [`Clock`], so tests can move time
//! instead of waiting for it.

use std::sync::atomic::{AtomicI64, Ordering};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

/// Milliseconds since the Unix epoch, the unit every stored time uses.
pub type Millis = i64;

/// One day in milliseconds.
pub const DAY_MS: Millis = 86_400_000;

/// A source of the current time.
pub trait Clock: Send + Sync {
    /// Now, in milliseconds since the Unix epoch.
    fn now_ms(&self) -> Millis;
}

/// The operating system's wall clock.
#[derive(Debug, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now_ms(&self) -> Millis {
        (OffsetDateTime::now_utc().unix_timestamp_nanos() / 1_000_000) as Millis
    }
}

/// A clock that only moves when told to (tests of retention and resets).
#[derive(Debug)]
pub struct ManualClock(AtomicI64);

impl ManualClock {
    /// A clock standing at `now_ms`.
    pub fn new(now_ms: Millis) -> Self {
        Self(AtomicI64::new(now_ms))
    }

    /// Moves the clock forward by `ms`.
    pub fn advance(&self, ms: Millis) {
        self.0.fetch_add(ms, Ordering::SeqCst);
    }
}

impl Clock for ManualClock {
    fn now_ms(&self) -> Millis {
        self.0.load(Ordering::SeqCst)
    }
}

/// RFC 3339 text of a stored time (`2026-11-25T12:00:00.000Z`).
pub fn rfc3339(ms: Millis) -> String {
    OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000)
        .ok()
        .and_then(|t| t.format(&Rfc3339).ok())
        .unwrap_or_default()
}

/// The same day-of-month one calendar month after `ms` (clamped to the
/// month's last day): when a monthly credit period that started at `ms` ends.
pub fn one_month_after(ms: Millis) -> Millis {
    let Ok(start) = OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000) else {
        return ms + 30 * DAY_MS;
    };
    let (year, month) = match start.month() {
        time::Month::December => (start.year() + 1, time::Month::January),
        m => (start.year(), m.next()),
    };
    let day = start.day().min(time::util::days_in_month(month, year));
    start
        .replace_day(1)
        .and_then(|t| t.replace_year(year))
        .and_then(|t| t.replace_month(month))
        .and_then(|t| t.replace_day(day))
        .map(|t| (t.unix_timestamp_nanos() / 1_000_000) as Millis)
        .unwrap_or(ms + 30 * DAY_MS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_clamp_to_the_last_day() {
        // 2026-01-31T00:00:00Z -> 2026-02-28T00:00:00Z
        let jan31 = 1_769_817_600_000;
        assert_eq!(rfc3339(jan31), "2026-01-31T00:00:00Z");
        assert_eq!(rfc3339(one_month_after(jan31)), "2026-02-28T00:00:00Z");
        // December rolls the year.
        let dec15 = 1_765_756_800_000;
        assert_eq!(rfc3339(dec15), "2025-12-15T00:00:00Z");
        assert_eq!(rfc3339(one_month_after(dec15)), "2026-01-15T00:00:00Z");
    }

    #[test]
    fn manual_clock_moves_only_when_told() {
        let clock = ManualClock::new(1000);
        assert_eq!(clock.now_ms(), 1000);
        clock.advance(DAY_MS);
        assert_eq!(clock.now_ms(), 1000 + DAY_MS);
    }
}
