//! Learning FSRS parameters from the learner's own review log: the log turned
//! into the crate's training items, the optimizer run with progress, and the
//! comparison of old and new parameters on the same history.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use crate::Result;
use crate::model::Rating;
use crate::scheduler::Scheduler;

/// The fewest training items (reviews made a day or more after the card's
/// previous review) the crate's optimizer needs to train every parameter;
/// with fewer it only adjusts the first four.
pub const MIN_TRAINING_ITEMS: usize = 64;

/// One card's reviews as FSRS wants them: `(study day, rating)` oldest first
/// become ratings with the whole days since the previous review (0 first).
pub fn fsrs_reviews(days: &[(i64, Rating)]) -> Vec<fsrs::FSRSReview> {
    let mut previous = None;
    days.iter()
        .map(|&(day, rating)| {
            let delta_t = previous.map_or(0, |p: i64| (day - p).max(0));
            previous = Some(day);
            fsrs::FSRSReview {
                rating: u32::from(rating.number()),
                delta_t: u32::try_from(delta_t).unwrap_or(u32::MAX),
            }
        })
        .collect()
}

/// The training set from `reviews`, each a card's number, its study day and
/// its rating, oldest first: for each card, one item per review made at
/// least a day after the one before, holding the card's history up to that
/// review (as Anki builds it). Returns the items and, aligned with them,
/// card numbers.
pub fn training_items(
    reviews: impl IntoIterator<Item = (i64, i64, Rating)>,
) -> (Vec<fsrs::FSRSItem>, Vec<i64>) {
    let mut by_card: HashMap<i64, Vec<(i64, Rating)>> = HashMap::new();
    for (card, day, rating) in reviews {
        by_card.entry(card).or_default().push((day, rating));
    }
    let mut cards: Vec<(i64, Vec<(i64, Rating)>)> = by_card.into_iter().collect();
    cards.sort_by_key(|(card, _)| *card);
    let mut items = Vec::new();
    let mut card_ids = Vec::new();
    for (card, days) in cards {
        let reviews = fsrs_reviews(&days);
        for end in 2..=reviews.len() {
            if reviews[end - 1].delta_t > 0 {
                items.push(fsrs::FSRSItem {
                    reviews: reviews[..end].to_vec(),
                });
                card_ids.push(card);
            }
        }
    }
    (items, card_ids)
}

/// How many items [`training_items`] would make of reviews given one at a
/// time, oldest first, without holding them.
#[derive(Debug, Default)]
pub struct ItemCount {
    /// Each card's latest study day so far.
    last_day: HashMap<i64, i64>,
    /// The items so far.
    pub items: usize,
}

impl ItemCount {
    /// Counts a review of card `card` on study day `day`.
    pub fn add(&mut self, card: i64, day: i64) {
        if self
            .last_day
            .insert(card, day)
            .is_some_and(|last| day > last)
        {
            self.items += 1;
        }
    }
}

/// How far the optimizer has got, shared with the thread running it.
pub type Progress = Arc<Mutex<fsrs::CombinedProgressState>>;

/// The outcome of *Optimize from my history*.
#[derive(Debug, Clone, PartialEq)]
pub struct Optimized {
    /// The parameters found.
    pub parameters: Vec<f32>,
    /// Log loss and RMSE of the parameters in use, on the learner's history.
    pub before: (f32, f32),
    /// Log loss and RMSE of the new parameters, on the same history.
    pub after: (f32, f32),
}

impl Optimized {
    /// Whether the new parameters predict the history better on both measures.
    pub fn is_better(&self) -> bool {
        self.after.0 < self.before.0 && self.after.1 <= self.before.1
    }
}

/// Runs the crate's optimizer on `items` (from [`training_items`]), reporting
/// to `progress`, and evaluates the parameters in `current` (empty for the
/// defaults) and the new ones on the same items. Slow: run it off the UI thread.
pub fn optimize(
    items: Vec<fsrs::FSRSItem>,
    card_ids: Vec<i64>,
    current: &[f32],
    desired_retention: f32,
    progress: Progress,
) -> Result<Optimized> {
    let parameters = fsrs::compute_parameters(fsrs::ComputeParametersInput {
        train_set: items.clone(),
        card_ids: Some(card_ids),
        progress: Some(progress),
        ..Default::default()
    })?;
    let before = Scheduler::new(current, desired_retention)?.evaluate(items.clone())?;
    let after = Scheduler::new(&parameters, desired_retention)?.evaluate(items)?;
    Ok(Optimized {
        parameters,
        before,
        after,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::{DAY_MS, DayClock, Timestamp};

    #[test]
    fn reviews_become_whole_day_gaps() {
        let reviews = fsrs_reviews(&[(10, Rating::Good), (10, Rating::Again), (13, Rating::Hard)]);
        let pairs: Vec<(u32, u32)> = reviews.iter().map(|r| (r.rating, r.delta_t)).collect();
        assert_eq!(pairs, [(3, 0), (1, 0), (2, 3)]);
    }

    #[test]
    fn training_items_are_histories_ending_a_day_or_more_later() {
        let clock = DayClock {
            utc_offset_secs: 0,
            rollover_hour: 0,
        };
        let at = |day: i64| Timestamp(day * DAY_MS + 1000);
        // Card 7: days 1, 1, 4, 9. Card 8: a single review.
        let reviews = [
            (7, at(1), Rating::Good),
            (7, at(1), Rating::Good),
            (8, at(2), Rating::Again),
            (7, at(4), Rating::Hard),
            (7, at(9), Rating::Good),
        ]
        .map(|(card, at, rating)| (card, clock.day(at), rating));
        let (items, ids) = training_items(reviews);
        let lengths: Vec<usize> = items.iter().map(|i| i.reviews.len()).collect();
        assert_eq!(lengths, [3, 4]);
        assert_eq!(ids, [7, 7]);
        assert_eq!(items[1].reviews.last().map(|r| r.delta_t), Some(5));
        let mut count = ItemCount::default();
        for (card, day, _) in reviews {
            count.add(card, day);
        }
        assert_eq!(count.items, items.len());
    }
}
