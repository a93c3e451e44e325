//! The learner's preferences, with their defaults and allowed ranges. They
//! are stored as key/value rows by [`crate::store::Store`]; a missing or
//! unreadable value falls back to its default.

use std::collections::HashMap;

/// Light, dark, or follow the system.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Theme {
    /// Follow the operating system's light or dark setting.
    #[default]
    System,
    /// Always light.
    Light,
    /// Always dark.
    Dark,
}

impl Theme {
    /// All themes, in the order Settings lists them.
    pub const ALL: [Theme; 3] = [Theme::System, Theme::Light, Theme::Dark];

    /// The name shown and stored.
    pub fn label(self) -> &'static str {
        match self {
            Theme::System => "System",
            Theme::Light => "Light",
            Theme::Dark => "Dark",
        }
    }
}

/// Everything the learner can set.
#[derive(Debug, Clone, PartialEq)]
pub struct Settings {
    /// The recall probability FSRS aims for, 0.70–0.97.
    pub desired_retention: f32,
    /// New cards introduced per study day.
    pub new_per_day: u32,
    /// Reviews of due cards per study day.
    pub reviews_per_day: u32,
    /// Questions in a quick quiz.
    pub quick_quiz_len: u32,
    /// The local hour (0–23) at which a new study day starts.
    pub rollover_hour: u8,
    /// The colour scheme of the window.
    pub theme: Theme,
    /// FSRS parameters from *Optimize from my history*; empty for the crate's defaults.
    pub parameters: Vec<f32>,
    /// The interface zoom (Ctrl + / Ctrl − / Ctrl 0), 0.5–3.
    pub zoom: f32,
    /// Whether the first-launch welcome has been seen.
    pub welcome_seen: bool,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            desired_retention: 0.90,
            new_per_day: 20,
            reviews_per_day: 200,
            quick_quiz_len: 10,
            rollover_hour: 4,
            theme: Theme::System,
            parameters: Vec::new(),
            zoom: 1.0,
            welcome_seen: false,
        }
    }
}

/// The allowed range of the interface zoom.
pub const ZOOM_RANGE: std::ops::RangeInclusive<f32> = 0.5..=3.0;

/// How many parameters FSRS-6 has.
pub const PARAMETER_COUNT: usize = 21;

/// The allowed range of desired retention.
pub const RETENTION_RANGE: std::ops::RangeInclusive<f32> = 0.70..=0.97;

impl Settings {
    /// Brings every value into its allowed range.
    pub fn clamped(mut self) -> Settings {
        self.desired_retention = self
            .desired_retention
            .clamp(*RETENTION_RANGE.start(), *RETENTION_RANGE.end());
        self.new_per_day = self.new_per_day.min(9999);
        self.reviews_per_day = self.reviews_per_day.min(9999);
        self.quick_quiz_len = self.quick_quiz_len.clamp(1, 500);
        self.rollover_hour = self.rollover_hour.min(23);
        self.zoom = if self.zoom.is_finite() {
            self.zoom.clamp(*ZOOM_RANGE.start(), *ZOOM_RANGE.end())
        } else {
            1.0
        };
        let usable = self.parameters.len() == PARAMETER_COUNT
            && self.parameters.iter().all(|p| p.is_finite());
        if !usable {
            self.parameters.clear();
        }
        self
    }

    /// The settings as key/value pairs for storage.
    pub fn to_pairs(&self) -> Vec<(&'static str, String)> {
        vec![
            (
                "desired_retention",
                format!("{:.2}", self.desired_retention),
            ),
            ("new_per_day", self.new_per_day.to_string()),
            ("reviews_per_day", self.reviews_per_day.to_string()),
            ("quick_quiz_len", self.quick_quiz_len.to_string()),
            ("rollover_hour", self.rollover_hour.to_string()),
            ("theme", self.theme.label().to_string()),
            (
                "fsrs_parameters",
                self.parameters
                    .iter()
                    .map(f32::to_string)
                    .collect::<Vec<_>>()
                    .join(" "),
            ),
            ("zoom", format!("{:.2}", self.zoom)),
            ("welcome_seen", self.welcome_seen.to_string()),
        ]
    }

    /// The stored keys whose values could not be read as written (damaged or
    /// out of range), so the learner can be told they fell back.
    pub fn unreadable(pairs: &HashMap<String, String>) -> Vec<String> {
        let read: HashMap<&str, String> =
            Settings::from_pairs(pairs).to_pairs().into_iter().collect();
        let mut keys: Vec<String> = pairs
            .iter()
            .filter(|(k, v)| read.get(k.as_str()).is_some_and(|r| r != *v))
            .map(|(k, _)| k.clone())
            .collect();
        keys.sort();
        keys
    }

    /// Settings from stored pairs; anything missing or unreadable keeps its default.
    pub fn from_pairs(pairs: &HashMap<String, String>) -> Settings {
        fn read<T: std::str::FromStr>(pairs: &HashMap<String, String>, key: &str, default: T) -> T {
            pairs
                .get(key)
                .and_then(|v| v.parse().ok())
                .unwrap_or(default)
        }
        let d = Settings::default();
        let theme = pairs
            .get("theme")
            .and_then(|v| Theme::ALL.into_iter().find(|t| t.label() == v))
            .unwrap_or(d.theme);
        let parameters = pairs
            .get("fsrs_parameters")
            .and_then(|v| v.split_whitespace().map(|p| p.parse().ok()).collect())
            .unwrap_or_default();
        Settings {
            desired_retention: read(pairs, "desired_retention", d.desired_retention),
            new_per_day: read(pairs, "new_per_day", d.new_per_day),
            reviews_per_day: read(pairs, "reviews_per_day", d.reviews_per_day),
            quick_quiz_len: read(pairs, "quick_quiz_len", d.quick_quiz_len),
            rollover_hour: read(pairs, "rollover_hour", d.rollover_hour),
            theme,
            parameters,
            zoom: read(pairs, "zoom", d.zoom),
            welcome_seen: read(pairs, "welcome_seen", d.welcome_seen),
        }
        .clamped()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pairs_round_trip_and_bad_values_fall_back() {
        let s = Settings {
            desired_retention: 0.85,
            new_per_day: 5,
            reviews_per_day: 50,
            quick_quiz_len: 7,
            rollover_hour: 2,
            theme: Theme::Dark,
            parameters: (0..PARAMETER_COUNT).map(|i| 0.1 + i as f32 / 7.0).collect(),
            zoom: 1.25,
            welcome_seen: true,
        };
        let pairs: HashMap<String, String> = s
            .to_pairs()
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect();
        assert_eq!(Settings::from_pairs(&pairs), s);

        let mut bad = pairs.clone();
        bad.insert("new_per_day".into(), "lots".into());
        bad.insert("desired_retention".into(), "0.5".into());
        bad.insert("theme".into(), "Neon".into());
        bad.insert("fsrs_parameters".into(), "0.2 1.3 nan".into());
        let read = Settings::from_pairs(&bad);
        assert_eq!(
            Settings::unreadable(&bad),
            [
                "desired_retention",
                "fsrs_parameters",
                "new_per_day",
                "theme"
            ]
        );
        assert!(Settings::unreadable(&pairs).is_empty());
        assert_eq!(read.new_per_day, 20);
        assert_eq!(read.desired_retention, 0.70);
        assert_eq!(read.theme, Theme::System);
        assert!(read.parameters.is_empty());
    }
}
