//! Time as data. The core never reads the clock: callers pass a [`Timestamp`]
//! and a [`DayClock`] that says when study days roll over.

use serde::{Deserialize, Serialize};

/// Milliseconds since the Unix epoch, UTC.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Timestamp(pub i64);

impl Timestamp {
    /// The current time (for the app and the CLI; the core takes it as an argument).
    pub fn now() -> Timestamp {
        Timestamp(chrono::Utc::now().timestamp_millis())
    }

    /// Milliseconds from `earlier` to `self`, never negative.
    pub fn millis_since(self, earlier: Timestamp) -> i64 {
        (self.0 - earlier.0).max(0)
    }
}

/// Milliseconds in a day.
pub const DAY_MS: i64 = 86_400_000;

/// Turns timestamps into study days: day `n` starts at the rollover hour,
/// local time. The default is UTC, with days starting at midnight.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct DayClock {
    /// Seconds east of UTC.
    pub utc_offset_secs: i32,
    /// The local hour (0–23) at which a new study day starts.
    pub rollover_hour: u8,
}

impl DayClock {
    /// The clock for this machine's time zone at `now`.
    pub fn local(rollover_hour: u8, now: Timestamp) -> DayClock {
        use chrono::{Local, Offset, TimeZone};
        let offset = Local
            .timestamp_millis_opt(now.0)
            .single()
            .map(|t| t.offset().fix().local_minus_utc())
            .unwrap_or(0);
        DayClock {
            utc_offset_secs: offset,
            rollover_hour: rollover_hour.min(23),
        }
    }

    /// What to add to a timestamp before dividing by a day's milliseconds to get its study day.
    pub fn shift_ms(&self) -> i64 {
        i64::from(self.utc_offset_secs) * 1000 - i64::from(self.rollover_hour) * 3_600_000
    }

    /// The study day that `t` falls in.
    pub fn day(&self, t: Timestamp) -> i64 {
        // Saturating: a damaged time near the ends of i64 stays far away.
        t.0.saturating_add(self.shift_ms()).div_euclid(DAY_MS)
    }

    /// When study day `day` starts.
    pub fn day_start(&self, day: i64) -> Timestamp {
        Timestamp(day * DAY_MS - self.shift_ms())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_roll_over_at_the_set_local_hour() {
        // UTC+2, rollover at 4 am local = 02:00 UTC.
        let clock = DayClock {
            utc_offset_secs: 7200,
            rollover_hour: 4,
        };
        let midnight_utc = Timestamp(20_000 * DAY_MS);
        let before = Timestamp(midnight_utc.0 + 3_600_000 + 59 * 60_000); // 01:59 UTC = 03:59 local
        let after = Timestamp(midnight_utc.0 + 2 * 3_600_000); // 02:00 UTC = 04:00 local
        assert_eq!(clock.day(after), clock.day(before) + 1);
        assert_eq!(clock.day_start(clock.day(after)), after);
        assert!(clock.day_start(clock.day(before)) <= before);
    }
}
