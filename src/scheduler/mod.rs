//! The FSRS-6 scheduler, through the `fsrs` crate. It turns a card's state and
//! a rating into the next state and a whole-day interval, and previews the
//! interval of each rating before the learner picks one. `today` is a study day
//! from [`crate::clock::DayClock`].

use serde::{Deserialize, Serialize};

pub mod training;

use crate::Result;
use crate::clock::Timestamp;
use crate::model::Rating;

/// The longest interval, in days (100 years).
pub const MAX_INTERVAL_DAYS: i64 = 36_500;

/// Every studied card's state, by card. Look a card up with its
/// [`CardKey`](crate::model::CardKey) or, without allocating, with a
/// [`CardRef`](crate::model::CardRef).
pub type CardStates = hashbrown::HashMap<crate::model::CardKey, CardState>;

/// What Recall remembers about one card between reviews.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct CardState {
    /// FSRS stability: how many days until the chance of recall falls to 90%.
    pub stability: f32,
    /// FSRS difficulty, from 1 (easy) to 10 (hard).
    pub difficulty: f32,
    /// The study day it is due on.
    pub due_day: i64,
    /// When it was last reviewed.
    pub last_review: Timestamp,
    /// The study day of `last_review`.
    pub last_day: i64,
    /// How many times the card has been reviewed.
    pub reps: u32,
    /// How many times it was forgotten (rated *Again*) after its first review.
    pub lapses: u32,
}

impl CardState {
    fn memory(&self) -> fsrs::MemoryState {
        fsrs::MemoryState {
            stability: self.stability,
            difficulty: self.difficulty,
        }
    }
}

/// The outcome of one rating: the new state and its interval in days.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Outcome {
    /// The rating this outcome follows.
    pub rating: Rating,
    /// The card's state after that rating.
    pub state: CardState,
    /// Days until the card is due again, between 1 and [`MAX_INTERVAL_DAYS`].
    pub interval_days: i64,
}

/// The four possible outcomes of a review, in button order.
#[derive(Debug, Clone, PartialEq)]
pub struct Preview(pub [Outcome; 4]);

impl Preview {
    /// The outcome of `rating`.
    pub fn outcome(&self, rating: Rating) -> Outcome {
        self.0[usize::from(rating.number() - 1)]
    }
}

/// FSRS with the learner's parameters and desired retention.
#[derive(Debug, Clone)]
pub struct Scheduler {
    fsrs: fsrs::FSRS,
    decay: f32,
    desired_retention: f32,
}

/// The interval FSRS gives for `item`, rounded to whole days and capped.
fn whole_days(interval: f32) -> i64 {
    (interval.round() as i64).clamp(1, MAX_INTERVAL_DAYS)
}

impl Scheduler {
    /// A scheduler with `parameters` (empty for the crate's defaults).
    pub fn new(parameters: &[f32], desired_retention: f32) -> Result<Scheduler> {
        let fsrs = fsrs::FSRS::new(parameters)?;
        let decay = parameters
            .get(20)
            .copied()
            .unwrap_or(fsrs::FSRS6_DEFAULT_DECAY);
        Ok(Scheduler {
            fsrs,
            decay,
            desired_retention,
        })
    }

    /// What each rating would do to a card (`None` when it is new) reviewed at `now` on study day `today`.
    pub fn preview(
        &self,
        previous: Option<&CardState>,
        now: Timestamp,
        today: i64,
    ) -> Result<Preview> {
        let days_elapsed = previous.map_or(0, |s| (today - s.last_day).max(0));
        let next = self.fsrs.next_states(
            previous.map(CardState::memory),
            self.desired_retention,
            u32::try_from(days_elapsed).unwrap_or(u32::MAX),
        )?;
        let outcome = |rating: Rating, item: &fsrs::ItemState| {
            let interval_days = whole_days(item.interval);
            let lapsed = rating == Rating::Again && previous.is_some();
            Outcome {
                rating,
                interval_days,
                state: CardState {
                    stability: item.memory.stability,
                    difficulty: item.memory.difficulty,
                    due_day: today + interval_days,
                    last_review: now,
                    last_day: today,
                    reps: previous.map_or(0, |s| s.reps) + 1,
                    lapses: previous.map_or(0, |s| s.lapses) + u32::from(lapsed),
                },
            }
        };
        Ok(Preview([
            outcome(Rating::Again, &next.again),
            outcome(Rating::Hard, &next.hard),
            outcome(Rating::Good, &next.good),
            outcome(Rating::Easy, &next.easy),
        ]))
    }

    /// A card's state rebuilt from its whole review log, `(when, study day,
    /// rating)` oldest first, through the crate's `memory_state`; `None` for
    /// an empty log. The same history gives the same state as answering the
    /// reviews one by one.
    pub fn rebuild(&self, reviews: &[(Timestamp, i64, Rating)]) -> Result<Option<CardState>> {
        let Some(&(last_review, last_day, _)) = reviews.last() else {
            return Ok(None);
        };
        let days: Vec<(i64, Rating)> = reviews.iter().map(|&(_, d, r)| (d, r)).collect();
        let item = fsrs::FSRSItem {
            reviews: training::fsrs_reviews(&days),
        };
        let memory = self.fsrs.memory_state(item, None)?;
        let interval = self
            .fsrs
            .next_interval(Some(memory.stability), self.desired_retention, 1);
        let lapses = reviews
            .iter()
            .skip(1)
            .filter(|(_, _, r)| *r == Rating::Again)
            .count();
        Ok(Some(CardState {
            stability: memory.stability,
            difficulty: memory.difficulty,
            due_day: last_day + whole_days(interval),
            last_review,
            last_day,
            reps: u32::try_from(reviews.len()).unwrap_or(u32::MAX),
            lapses: u32::try_from(lapses).unwrap_or(u32::MAX),
        }))
    }

    /// How well these parameters predict `items`: `(log loss, RMSE)`, lower is better.
    pub fn evaluate(&self, items: Vec<fsrs::FSRSItem>) -> Result<(f32, f32)> {
        let evaluation = self.fsrs.evaluate(items, |_| true)?;
        Ok((evaluation.log_loss, evaluation.rmse_bins))
    }

    /// The probability of recalling the card on study day `today`.
    pub fn retrievability(&self, state: &CardState, today: i64) -> f32 {
        let elapsed = (today - state.last_day).max(0) as f32;
        fsrs::current_retrievability(state.memory(), elapsed, self.decay)
    }
}

/// Formats an interval the way the rating buttons show it: `1d`, `3w`, `4mo`, `1.5y`.
pub fn format_interval(days: i64) -> String {
    match days {
        d if d < 14 => format!("{d}d"),
        d if d < 60 => format!("{}w", (d as f64 / 7.0).round()),
        d if d < 365 => format!("{}mo", (d as f64 / 30.4).round()),
        d => {
            let years = d as f64 / 365.25;
            if years < 10.0 {
                format!("{:.1}y", years).replace(".0y", "y")
            } else {
                format!("{}y", years.round())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn default_scheduler() -> Scheduler {
        Scheduler::new(&[], 0.9).expect("default parameters are valid")
    }

    #[test]
    fn a_new_cards_first_review_matches_the_crate_defaults() {
        let preview = default_scheduler()
            .preview(None, Timestamp(0), 100)
            .unwrap();
        let stabilities: Vec<f32> = preview.0.iter().map(|o| o.state.stability).collect();
        assert_eq!(stabilities, vec![0.212, 1.2931, 2.3065, 8.2956]);
        let difficulties: Vec<f32> = preview.0.iter().map(|o| o.state.difficulty).collect();
        assert_eq!(difficulties, vec![6.4133, 5.1121707, 2.118104, 1.0]);
        let intervals: Vec<i64> = preview.0.iter().map(|o| o.interval_days).collect();
        assert_eq!(intervals, vec![1, 1, 2, 8]);
        let good = preview.outcome(Rating::Good).state;
        assert_eq!(
            (good.due_day, good.last_day, good.reps, good.lapses),
            (102, 100, 1, 0)
        );
    }

    #[test]
    fn a_second_review_grows_stability_and_counts_lapses() {
        let s = default_scheduler();
        let first = s
            .preview(None, Timestamp(0), 100)
            .unwrap()
            .outcome(Rating::Good)
            .state;
        let second = s.preview(Some(&first), Timestamp(1), 102).unwrap();
        let good = second.outcome(Rating::Good);
        assert!(good.state.stability > first.stability * 2.0, "{good:?}");
        assert_eq!(good.state.reps, 2);
        assert_eq!(good.interval_days, 11);
        let again = second.outcome(Rating::Again);
        assert_eq!(again.state.lapses, 1);
        assert!(again.state.stability < first.stability);
        assert_eq!(again.interval_days, 1);
    }

    #[test]
    fn same_day_reviews_are_real_reviews() {
        let s = default_scheduler();
        let first = s
            .preview(None, Timestamp(0), 100)
            .unwrap()
            .outcome(Rating::Good)
            .state;
        let again_today = s.preview(Some(&first), Timestamp(1), 100).unwrap();
        assert_eq!(again_today.outcome(Rating::Good).state.reps, 2);
        assert!(again_today.outcome(Rating::Good).interval_days >= 1);
    }

    #[test]
    fn retention_shapes_intervals_and_retrievability_decays() {
        let low = Scheduler::new(&[], 0.7).unwrap();
        let high = Scheduler::new(&[], 0.97).unwrap();
        let easy_low = low
            .preview(None, Timestamp(0), 0)
            .unwrap()
            .outcome(Rating::Easy);
        let easy_high = high
            .preview(None, Timestamp(0), 0)
            .unwrap()
            .outcome(Rating::Easy);
        assert!(easy_low.interval_days > easy_high.interval_days);
        let state = easy_low.state;
        let r0 = low.retrievability(&state, 0);
        let r30 = low.retrievability(&state, 30);
        assert!((r0 - 1.0).abs() < 1e-6);
        assert!(r30 < r0);
    }

    #[test]
    fn intervals_are_capped() {
        let s = default_scheduler();
        let huge = CardState {
            stability: 1.0e6,
            difficulty: 1.0,
            due_day: 0,
            last_review: Timestamp(0),
            last_day: 0,
            reps: 50,
            lapses: 0,
        };
        let easy = s
            .preview(Some(&huge), Timestamp(0), 10_000)
            .unwrap()
            .outcome(Rating::Easy);
        assert_eq!(easy.interval_days, MAX_INTERVAL_DAYS);
    }

    #[test]
    fn rebuilding_from_the_log_gives_the_state_answering_gave() {
        let s = default_scheduler();
        let log = [
            (100, Rating::Good),
            (100, Rating::Again),
            (102, Rating::Good),
            (110, Rating::Hard),
            (131, Rating::Again),
            (132, Rating::Easy),
        ];
        let mut state: Option<CardState> = None;
        let mut reviews = Vec::new();
        for (i, &(day, rating)) in log.iter().enumerate() {
            let at = Timestamp(i as i64 * 1000);
            state = Some(
                s.preview(state.as_ref(), at, day)
                    .unwrap()
                    .outcome(rating)
                    .state,
            );
            reviews.push((at, day, rating));
        }
        let answered = state.unwrap();
        let rebuilt = s.rebuild(&reviews).unwrap().unwrap();
        assert!(
            (rebuilt.stability - answered.stability).abs() < 1e-3,
            "{rebuilt:?} vs {answered:?}"
        );
        assert!((rebuilt.difficulty - answered.difficulty).abs() < 1e-4);
        assert_eq!(
            (
                rebuilt.due_day,
                rebuilt.last_day,
                rebuilt.last_review,
                rebuilt.reps,
                rebuilt.lapses
            ),
            (
                answered.due_day,
                answered.last_day,
                answered.last_review,
                answered.reps,
                answered.lapses
            )
        );
        assert_eq!((rebuilt.reps, rebuilt.lapses), (6, 2));
        assert_eq!(s.rebuild(&[]).unwrap(), None);
    }

    #[test]
    fn intervals_format_like_anki() {
        let shown: Vec<String> = [1, 13, 21, 90, 400, 5000]
            .into_iter()
            .map(format_interval)
            .collect();
        assert_eq!(
            shown,
            ["1d", "13d", "3w", "3mo", "1.1y", "14y"]
                .iter()
                .map(|s| s.to_string())
                .collect::<Vec<_>>()
        );
    }
}
