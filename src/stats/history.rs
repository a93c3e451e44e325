//! The review log as the charts need it, and the charts' numbers: reviews per
//! day, the due forecast, true retention per week and session scores over
//! time. Every figure can be narrowed to a deck or a category with [`Scope`].

use std::collections::HashMap;
use std::hash::BuildHasher;
use std::num::NonZeroU32;

use crate::clock::{DayClock, Timestamp};
use crate::deck::Library;
use crate::model::{CardKey, CardRef, Category, Rating};
use crate::scheduler::CardState;

/// Which decks a figure covers.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Scope {
    /// Every deck, including reviews of decks no longer loaded.
    #[default]
    All,
    /// The decks of one category.
    Category(Category),
    /// One deck, by id.
    Deck(String),
}

impl Scope {
    /// Whether the deck `deck_id` is in scope.
    pub fn includes(&self, library: &Library, deck_id: &str) -> bool {
        match self {
            Scope::All => true,
            Scope::Deck(id) => id == deck_id,
            Scope::Category(category) => library
                .decks
                .iter()
                .any(|d| d.deck.id == deck_id && d.deck.category == *category),
        }
    }

    /// The name shown in the filter.
    pub fn label(&self, library: &Library) -> String {
        match self {
            Scope::All => "All decks".to_string(),
            Scope::Category(category) => category.label().to_string(),
            Scope::Deck(id) => library
                .decks
                .iter()
                .find(|d| &d.deck.id == id)
                .map_or_else(|| id.clone(), |d| d.deck.title.clone()),
        }
    }
}

/// One review in 16 bytes, so a million take 16 MB: its card, its session,
/// and its time packed with its rating and verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LoggedReview {
    /// Index into [`History::cards`].
    pub card: u32,
    /// The study session it belongs to, if any (see [`session_number`]).
    pub session: Option<NonZeroU32>,
    /// The time in milliseconds, shifted up by [`FLAG_BITS`], over the
    /// rating less one (2 bits), whether it was right and whether it was
    /// the card's first review (1 bit each).
    packed: i64,
}

/// How many low bits of [`LoggedReview`]'s packed time hold its flags.
const FLAG_BITS: u32 = 4;

impl LoggedReview {
    /// A review of the card at index `card`, not marked as its first.
    /// Times more than about 18 million years from 1970 are clamped.
    pub fn new(
        card: u32,
        at: Timestamp,
        rating: Rating,
        correct: bool,
        session: Option<NonZeroU32>,
    ) -> LoggedReview {
        let at = at.0.clamp(i64::MIN >> FLAG_BITS, i64::MAX >> FLAG_BITS);
        let mut review = LoggedReview {
            card,
            session,
            packed: at << FLAG_BITS,
        };
        review.set_verdict(rating, correct);
        review
    }

    /// When it was answered.
    pub fn at(&self) -> Timestamp {
        Timestamp(self.packed >> FLAG_BITS)
    }

    /// The rating given.
    pub fn rating(&self) -> Rating {
        match (self.packed >> 2) & 0b11 {
            0 => Rating::Again,
            1 => Rating::Hard,
            2 => Rating::Good,
            _ => Rating::Easy,
        }
    }

    /// Whether the answer was right.
    pub fn correct(&self) -> bool {
        self.packed & 0b10 != 0
    }

    /// Whether this was the card's first review (it was new).
    pub fn first(&self) -> bool {
        self.packed & 1 != 0
    }

    /// Gives the review another rating and verdict.
    pub fn set_verdict(&mut self, rating: Rating, correct: bool) {
        let flags = (i64::from(rating.number()) - 1) << 2 | i64::from(correct) << 1;
        self.packed = self.packed & !0b1110 | flags;
    }

    /// Marks whether this was the card's first review.
    fn set_first(&mut self, first: bool) {
        self.packed = self.packed & !1 | i64::from(first);
    }
}

/// A session id as [`LoggedReview`] keeps it, in 4 bytes instead of 16:
/// session ids count up from 1, so one past `u32::MAX` would take billions of
/// sessions. Such an id, or 0, counts as no session.
pub fn session_number(id: Option<i64>) -> Option<NonZeroU32> {
    id.and_then(|id| u32::try_from(id).ok())
        .and_then(NonZeroU32::new)
}

/// The whole review log, oldest first, with card keys stored once.
#[derive(Debug, Clone, Default)]
pub struct History {
    /// Every card that has a review, indexed by [`LoggedReview::card`].
    pub cards: Vec<CardKey>,
    /// The reviews, oldest first.
    pub reviews: Vec<LoggedReview>,
    /// Each card's index in `cards`, hashed by its key's text; the keys
    /// themselves are kept once, in `cards`.
    index: hashbrown::HashTable<u32>,
    hasher: hashbrown::DefaultHashBuilder,
}

impl History {
    /// The index in [`History::cards`] of the card `deck`/`question`, and
    /// whether it was added just now. Only a new card allocates.
    pub fn card_index(&mut self, deck: &str, question: &str) -> (u32, bool) {
        let wanted = CardRef { deck, question };
        let hash = self.hasher.hash_one(wanted);
        if let Some(card) = self.find_card(hash, wanted) {
            return (card, false);
        }
        let card = u32::try_from(self.cards.len()).unwrap_or(u32::MAX);
        let (cards, hasher) = (&self.cards, &self.hasher);
        self.index.insert_unique(hash, card, |&card| {
            cards
                .get(card as usize)
                .map_or(0, |key| hasher.hash_one(key.borrowed()))
        });
        self.cards.push(CardKey::new(deck, question));
        (card, true)
    }

    /// Appends a review; reviews must come oldest first.
    pub fn push(
        &mut self,
        key: CardKey,
        at: Timestamp,
        rating: Rating,
        correct: bool,
        session: Option<i64>,
    ) {
        let (card, first) = self.card_index(&key.deck, &key.question);
        let mut review = LoggedReview::new(card, at, rating, correct, session_number(session));
        review.set_first(first);
        self.reviews.push(review);
    }

    /// The index in [`History::cards`] of the card `key`, whose hash is
    /// `hash`, if it has one.
    fn find_card(&self, hash: u64, key: CardRef<'_>) -> Option<u32> {
        let cards = &self.cards;
        self.index
            .find(hash, |&card| {
                cards
                    .get(card as usize)
                    .is_some_and(|k| k.borrowed() == key)
            })
            .copied()
    }

    /// The newest review of `key` made at `at`, searched from the end,
    /// where answers of the running session are.
    fn newest_review(&mut self, key: &CardKey, at: Timestamp) -> Option<usize> {
        let card = self.find_card(self.hasher.hash_one(key.borrowed()), key.borrowed())?;
        self.reviews
            .iter()
            .rposition(|r| r.card == card && r.at() == at)
    }

    /// Takes back the review of `key` made at `at` (an undone answer).
    /// Returns whether it was in the log.
    pub fn remove(&mut self, key: &CardKey, at: Timestamp) -> bool {
        let Some(i) = self.newest_review(key, at) else {
            return false;
        };
        self.reviews.remove(i);
        true
    }

    /// Gives the review of `key` made at `at` another rating and verdict (a
    /// re-rated answer). Returns whether it was in the log.
    pub fn rerate(&mut self, key: &CardKey, at: Timestamp, rating: Rating, correct: bool) -> bool {
        let Some(i) = self.newest_review(key, at) else {
            return false;
        };
        if let Some(review) = self.reviews.get_mut(i) {
            review.set_verdict(rating, correct);
        }
        true
    }

    /// This history's cards (see [`History::card_index`]) with `reviews` in
    /// place of its own. The reviews may come in any order: they are put
    /// oldest first, keeping the given order between reviews made at the same
    /// millisecond, and each card's first review is marked. A review whose
    /// card index is out of range is dropped.
    pub fn with_reviews(mut self, mut reviews: Vec<LoggedReview>) -> History {
        reviews.retain(|r| (r.card as usize) < self.cards.len());
        if !reviews.is_sorted_by_key(LoggedReview::at) {
            reviews.sort_by_key(LoggedReview::at);
        }
        let mut seen = vec![false; self.cards.len()];
        for review in &mut reviews {
            if let Some(seen) = seen.get_mut(review.card as usize) {
                review.set_first(!*seen);
                *seen = true;
            }
        }
        self.reviews = reviews;
        self
    }

    /// For each of [`History::cards`], whether its deck is in `scope`.
    pub fn in_scope(&self, library: &Library, scope: &Scope) -> Vec<bool> {
        let mut by_deck: HashMap<&str, bool> = HashMap::new();
        self.cards
            .iter()
            .map(|key| {
                *by_deck
                    .entry(key.deck.as_str())
                    .or_insert_with(|| scope.includes(library, &key.deck))
            })
            .collect()
    }

    /// The reviews whose card is in `mask` (from [`History::in_scope`]).
    pub fn reviews_in<'a>(&'a self, mask: &'a [bool]) -> impl Iterator<Item = &'a LoggedReview> {
        self.reviews
            .iter()
            .filter(|r| mask.get(r.card as usize).copied().unwrap_or(false))
    }
}

/// Reviews on each of the `days` study days ending with `today`, oldest first.
pub fn reviews_per_day(
    history: &History,
    mask: &[bool],
    clock: &DayClock,
    today: i64,
    days: usize,
) -> Vec<u32> {
    let mut counts = vec![0u32; days];
    let first_day = today - days as i64 + 1;
    for review in history.reviews_in(mask) {
        let day = clock.day(review.at());
        if let Some(slot) = usize::try_from(day - first_day)
            .ok()
            .and_then(|i| counts.get_mut(i))
        {
            *slot += 1;
        }
    }
    counts
}

/// Cards falling due on each of the next `days` study days; the first entry
/// (today) includes every overdue card.
pub fn due_forecast<'a>(
    states: impl IntoIterator<Item = (CardRef<'a>, &'a CardState)>,
    in_scope: impl Fn(&str) -> bool,
    today: i64,
    days: usize,
) -> Vec<u32> {
    let mut counts = vec![0u32; days];
    for (key, state) in states {
        if !in_scope(key.deck) {
            continue;
        }
        let offset = (state.due_day - today).max(0);
        if let Some(slot) = usize::try_from(offset).ok().and_then(|i| counts.get_mut(i)) {
            *slot += 1;
        }
    }
    counts
}

/// True retention over one week: reviews of cards already studied before.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WeekRetention {
    /// The study day the week starts on.
    pub start_day: i64,
    /// Non-new reviews answered right.
    pub correct: u32,
    /// Non-new reviews in all.
    pub total: u32,
}

impl WeekRetention {
    /// The share answered right, or `None` for a week without reviews.
    pub fn share(&self) -> Option<f64> {
        (self.total > 0).then(|| f64::from(self.correct) / f64::from(self.total))
    }
}

/// True retention in each of the `weeks` seven-day weeks ending with `today`,
/// oldest first: the share of non-new reviews answered right.
pub fn weekly_retention(
    history: &History,
    mask: &[bool],
    clock: &DayClock,
    today: i64,
    weeks: usize,
) -> Vec<WeekRetention> {
    let first_day = today - 7 * weeks as i64 + 1;
    let mut out: Vec<WeekRetention> = (0..weeks)
        .map(|w| WeekRetention {
            start_day: first_day + 7 * w as i64,
            correct: 0,
            total: 0,
        })
        .collect();
    for review in history.reviews_in(mask).filter(|r| !r.first()) {
        let offset = clock.day(review.at()) - first_day;
        if let Some(week) = usize::try_from(offset)
            .ok()
            .and_then(|o| out.get_mut(o / 7))
        {
            week.total += 1;
            week.correct += u32::from(review.correct());
        }
    }
    out
}

/// One session's score, from the reviews it stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SessionScore {
    /// The session's id.
    pub session: i64,
    /// Its first answer.
    pub at: Timestamp,
    /// Answers right.
    pub correct: u32,
    /// Answers in all.
    pub total: u32,
}

impl SessionScore {
    /// The share answered right, 0–1.
    pub fn share(&self) -> f64 {
        f64::from(self.correct) / f64::from(self.total.max(1))
    }
}

/// The score of every session with answers in scope, oldest first. Counting
/// from the log lets a deck or category filter score only its own answers.
pub fn session_scores(history: &History, mask: &[bool]) -> Vec<SessionScore> {
    let mut by_session: HashMap<i64, SessionScore> = HashMap::new();
    for review in history.reviews_in(mask) {
        let Some(session) = review.session.map(|s| i64::from(s.get())) else {
            continue;
        };
        let score = by_session.entry(session).or_insert(SessionScore {
            session,
            at: review.at(),
            correct: 0,
            total: 0,
        });
        score.total += 1;
        score.correct += u32::from(review.correct());
    }
    let mut scores: Vec<SessionScore> = by_session.into_values().collect();
    scores.sort_by_key(|s| (s.at, s.session));
    scores
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::DAY_MS;

    const UTC: DayClock = DayClock {
        utc_offset_secs: 0,
        rollover_hour: 0,
    };

    fn at(day: i64) -> Timestamp {
        Timestamp(day * DAY_MS + 3_600_000)
    }

    /// Card `a` studied on days 1, 3 and 10 (wrong on 3); card `b` on days 3 and 10.
    fn history() -> History {
        let mut h = History::default();
        let a = || CardKey::new("d1", "a");
        let b = || CardKey::new("d2", "b");
        h.push(a(), at(1), Rating::Good, true, Some(1));
        h.push(a(), at(3), Rating::Again, false, Some(2));
        h.push(b(), at(3), Rating::Again, false, Some(2));
        h.push(a(), at(10), Rating::Good, true, Some(3));
        h.push(b(), at(10), Rating::Good, true, Some(3));
        h
    }

    #[test]
    fn first_reviews_are_marked_and_keys_stored_once() {
        let h = history();
        assert_eq!(h.cards.len(), 2);
        let firsts: Vec<bool> = h.reviews.iter().map(|r| r.first()).collect();
        assert_eq!(firsts, [true, false, true, false, false]);
    }

    #[test]
    fn reviews_per_day_counts_the_window_ending_today() {
        let h = history();
        let counts = reviews_per_day(&h, &[true, true], &UTC, 10, 10);
        assert_eq!(counts, [1, 0, 2, 0, 0, 0, 0, 0, 0, 2]);
        let only_d2 = reviews_per_day(&h, &[false, true], &UTC, 10, 3);
        assert_eq!(only_d2, [0, 0, 1]);
    }

    #[test]
    fn forecast_puts_overdue_cards_today() {
        let state = |due_day| CardState {
            stability: 3.0,
            difficulty: 5.0,
            due_day,
            last_review: Timestamp(0),
            last_day: 0,
            reps: 1,
            lapses: 0,
        };
        let cards = [
            (CardKey::new("d", "a"), state(5)),
            (CardKey::new("d", "b"), state(10)),
            (CardKey::new("d", "c"), state(12)),
            (CardKey::new("x", "d"), state(12)),
            (CardKey::new("d", "e"), state(99)),
        ];
        let forecast = due_forecast(
            cards.iter().map(|(k, s)| (k.borrowed(), s)),
            |d| d == "d",
            10,
            5,
        );
        assert_eq!(forecast, [2, 0, 1, 0, 0]);
    }

    #[test]
    fn true_retention_ignores_first_reviews() {
        let h = history();
        let weeks = weekly_retention(&h, &[true, true], &UTC, 14, 2);
        // Week one: days 1–7, with a's wrong review on day 3 (b's day-3 review was its first).
        assert_eq!(
            weeks[0],
            WeekRetention {
                start_day: 1,
                correct: 0,
                total: 1
            }
        );
        assert_eq!(weeks[1].total, 2);
        assert_eq!(weeks[1].share(), Some(1.0));
    }

    #[test]
    fn session_scores_follow_the_filter() {
        let h = history();
        let all = session_scores(&h, &[true, true]);
        let shares: Vec<(i64, u32, u32)> = all
            .iter()
            .map(|s| (s.session, s.correct, s.total))
            .collect();
        assert_eq!(shares, [(1, 1, 1), (2, 0, 2), (3, 2, 2)]);
        let d1 = session_scores(&h, &[true, false]);
        assert_eq!(d1.len(), 3);
        assert_eq!(d1[1].total, 1);
    }

    #[test]
    fn a_logged_review_takes_16_bytes_and_clamps_far_times() {
        assert_eq!(std::mem::size_of::<LoggedReview>(), 16);
        let far = LoggedReview::new(0, Timestamp(i64::MAX), Rating::Easy, true, None);
        assert_eq!(far.at(), Timestamp(i64::MAX >> FLAG_BITS));
        assert_eq!((far.rating(), far.correct()), (Rating::Easy, true));
    }

    proptest::proptest! {
        #[test]
        fn a_logged_review_keeps_every_field_apart(
            card: u32,
            at in (i64::MIN >> FLAG_BITS)..=(i64::MAX >> FLAG_BITS),
            rating in proptest::sample::select(Rating::ALL.to_vec()),
            correct: bool,
            first: bool,
            session: Option<NonZeroU32>,
            rerated in proptest::sample::select(Rating::ALL.to_vec()),
            now_correct: bool,
        ) {
            let mut review = LoggedReview::new(card, Timestamp(at), rating, correct, session);
            proptest::prop_assert!(!review.first());
            review.set_first(first);
            let fields = |r: &LoggedReview| (r.card, r.at(), r.rating(), r.correct(), r.first(), r.session);
            proptest::prop_assert_eq!(
                fields(&review),
                (card, Timestamp(at), rating, correct, first, session)
            );
            review.set_verdict(rerated, now_correct);
            proptest::prop_assert_eq!(
                fields(&review),
                (card, Timestamp(at), rerated, now_correct, first, session)
            );
        }
    }
}
