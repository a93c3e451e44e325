//! Pure aggregations over decks and progress: what Home, the statistics
//! screen and `recall stats` show. This file has the deck counts and the
//! streak; [`history`] the charts drawn from the review log; [`mastery`] the
//! mastery, weak topics and leeches.

use std::collections::HashMap;

pub mod history;
pub mod mastery;

use crate::deck::Library;
use crate::scheduler::{CardState, CardStates};

/// How a deck stands today.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct DeckCounts {
    /// Never studied.
    pub new: usize,
    /// Studied and due today or earlier.
    pub due: usize,
    /// Studied and not yet due.
    pub learned: usize,
}

/// The counts of every deck on study day `today`, by deck id.
pub fn deck_counts(
    library: &Library,
    slots: &[Option<CardState>],
    today: i64,
) -> HashMap<String, DeckCounts> {
    let mut counts: HashMap<String, DeckCounts> = HashMap::new();
    for (loaded, slots) in library.by_deck(slots) {
        let entry = counts.entry(loaded.deck.id.clone()).or_default();
        for slot in slots {
            match slot {
                None => entry.new += 1,
                Some(s) if s.due_day <= today => entry.due += 1,
                Some(_) => entry.learned += 1,
            }
        }
    }
    counts
}

/// Splits `states` into each card's state in [`Library::cards`] order
/// (`None`: not studied yet) and the states of cards the library does not
/// hold, as [`crate::study::Study`] keeps them; for tests.
#[cfg(test)]
pub(crate) fn place(library: &Library, states: CardStates) -> (Vec<Option<CardState>>, CardStates) {
    let mut slots = vec![None; library.card_count()];
    let orphans = place_into(library, states, &mut slots);
    (slots, orphans)
}

/// Puts each of `states` into `slots` (in [`Library::cards`] order) at its
/// card's place, and returns those whose card the library does not hold.
/// Kept in library order, the states let the loops over every question
/// index a list instead of hashing each card's key.
pub fn place_into(
    library: &Library,
    states: CardStates,
    slots: &mut [Option<CardState>],
) -> CardStates {
    let mut orphans = CardStates::new();
    for (key, state) in states {
        match library
            .position(key.borrowed())
            .and_then(|p| slots.get_mut(p))
        {
            Some(slot) => *slot = Some(state),
            None => {
                orphans.insert(key, state);
            }
        }
    }
    orphans
}

/// Consecutive study days with at least one review, ending today (or
/// yesterday, when today has no review yet). `studied(day)` tells whether a
/// day has a review; it is asked about one day at a time, from today back,
/// so a long log costs one lookup per day of the streak.
pub fn streak<E>(mut studied: impl FnMut(i64) -> Result<bool, E>, today: i64) -> Result<u32, E> {
    let mut day = if studied(today)? { today } else { today - 1 };
    let mut streak = 0;
    while studied(day)? {
        streak += 1;
        day -= 1;
    }
    Ok(streak)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::Timestamp;
    use crate::deck::Origin;
    use crate::model::CardKey;

    #[test]
    fn counts_new_due_and_learned() {
        let text = r#"(id: "d", title: "D", category: Tools, description: "", questions: [
            (id: "a", topic: "T", prompt: "P", kind: TrueFalse(answer: true), explanation: "E"),
            (id: "b", topic: "T", prompt: "P", kind: TrueFalse(answer: true), explanation: "E"),
            (id: "c", topic: "T", prompt: "P", kind: TrueFalse(answer: true), explanation: "E"),
        ])"#;
        let library =
            Library::from_sources(vec![("d.ron".into(), Origin::Bundled, Ok(text.into()))]);
        let state = |due_day| CardState {
            stability: 1.0,
            difficulty: 5.0,
            due_day,
            last_review: Timestamp(0),
            last_day: 0,
            reps: 1,
            lapses: 0,
        };
        let states = CardStates::from([
            (CardKey::new("d", "a"), state(10)),
            (CardKey::new("d", "b"), state(11)),
        ]);
        let counts = deck_counts(&library, &place(&library, states).0, 10)["d"];
        assert_eq!(
            counts,
            DeckCounts {
                new: 1,
                due: 1,
                learned: 1
            }
        );
    }

    #[test]
    fn streak_counts_back_from_today_or_yesterday() {
        let of = |days: &[i64]| streak(|d| Ok::<_, ()>(days.contains(&d)), 10);
        assert_eq!(of(&[10, 9, 8, 6]), Ok(3));
        assert_eq!(of(&[9, 9, 8]), Ok(2));
        assert_eq!(of(&[8]), Ok(0));
        assert_eq!(of(&[]), Ok(0));
        assert_eq!(streak(|_| Err("unreadable"), 10), Err("unreadable"));
    }
}
