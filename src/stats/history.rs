//! The review log as the charts need it, and the charts' numbers: reviews per
//! day, the due forecast, true retention per week and session scores over
//! time. Every figure can be narrowed to a deck or a category with [`Scope`].

use std::collections::HashMap;
use std::num::NonZeroU32;

use crate::clock::{DayClock, Timestamp};
use crate::deck::Library;
use crate::model::{CardKey, CardRef, Category};
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

/// One card with reviews: its key's [`CardRef::key_hash`], its deck's index
/// in [`History::decks`], and how many reviews it has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct LoggedCard {
    hash: u64,
    deck: u32,
    reviews: u32,
}

/// What was answered in one deck on one study day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
struct DayCounts {
    /// Every review.
    reviews: u32,
    /// The reviews that were not their card's first.
    later: u32,
    /// Of those, the ones answered right.
    later_right: u32,
}

/// One session's answers in one deck: the time of the first, and how many
/// were right of how many.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct SessionCounts {
    first: Timestamp,
    right: u32,
    total: u32,
}

/// The review log in the form the statistics and mastery read, without one
/// record per review: a million reviews take about 4 MB.
///
/// - Each answer, oldest first, as its card and whether it was right: what
///   recent accuracy and the topic records read.
/// - Per deck and study day (counted with [`History::clock`]): reviews, and
///   right answers among those that were not a card's first.
/// - Per session and deck: the first answer's time, right answers, answers.
///
/// Cards are known by their key's 64-bit hash, so two keys of the same hash
/// (almost surely none) would share their figures. Answers, undos and
/// re-ratings change it in place; anything else reads it again.
#[derive(Debug, Clone, Default)]
pub struct History {
    /// The day clock the days are counted with.
    clock: DayClock,
    /// Every card with a review, in the order of their first.
    cards: Vec<LoggedCard>,
    /// Each card's index in `cards`, by its key's hash.
    index: hashbrown::HashTable<u32>,
    /// The decks of the cards, by id.
    decks: Vec<String>,
    /// Each answer, oldest first: its card's index in `cards` shifted left
    /// once, with the lowest bit set when it was right.
    answers: Vec<u32>,
    /// Per deck (its index in `decks`) and study day; a map, not a list of
    /// days, so a damaged time far from the others costs one entry.
    days: hashbrown::HashMap<(u32, i64), DayCounts>,
    /// Per session number and deck.
    sessions: hashbrown::HashMap<(NonZeroU32, u32), SessionCounts>,
}

impl History {
    /// An empty log whose days are counted with `clock`.
    pub fn new(clock: DayClock) -> History {
        History {
            clock,
            ..History::default()
        }
    }

    /// The day clock the days are counted with.
    pub fn clock(&self) -> DayClock {
        self.clock
    }

    /// How many answers it holds.
    pub fn len(&self) -> usize {
        self.answers.len()
    }

    /// Whether it holds no answer.
    pub fn is_empty(&self) -> bool {
        self.answers.is_empty()
    }

    /// Makes room for `answers` more answers.
    pub fn reserve(&mut self, answers: usize) {
        self.answers.reserve_exact(answers);
    }

    /// The number by which [`History::push_card`] knows the card `key`.
    pub fn card_index(&mut self, key: CardRef<'_>) -> u32 {
        let hash = key.key_hash();
        if let Some(&card) = self.find(hash) {
            return card;
        }
        let deck = match self.decks.iter().rposition(|d| d == key.deck) {
            Some(d) => d,
            None => {
                self.decks.push(key.deck.to_string());
                self.decks.len() - 1
            }
        };
        let card = u32::try_from(self.cards.len()).unwrap_or(u32::MAX);
        self.cards.push(LoggedCard {
            hash,
            deck: u32::try_from(deck).unwrap_or(u32::MAX),
            reviews: 0,
        });
        let cards = &self.cards;
        self.index
            .insert_unique(hash, card, |&c| cards.get(c as usize).map_or(0, |c| c.hash));
        card
    }

    fn find(&self, hash: u64) -> Option<&u32> {
        let cards = &self.cards;
        self.index.find(hash, |&c| {
            cards.get(c as usize).is_some_and(|c| c.hash == hash)
        })
    }

    /// Appends an answer to `key` made at `at`, right or not, in `session`.
    /// Answers must come oldest first.
    pub fn push(&mut self, key: CardRef<'_>, at: Timestamp, right: bool, session: Option<i64>) {
        let card = self.card_index(key);
        self.push_card(card, at, right, session);
    }

    /// Appends an answer like [`History::push`], to the card numbered `card`
    /// by [`History::card_index`].
    pub fn push_card(&mut self, card: u32, at: Timestamp, right: bool, session: Option<i64>) {
        let Some(logged) = self.cards.get_mut(card as usize) else {
            return;
        };
        let first = logged.reviews == 0;
        logged.reviews += 1;
        let deck = logged.deck;
        self.answers.push(card << 1 | u32::from(right));
        let counts = self.days.entry((deck, self.clock.day(at))).or_default();
        counts.reviews += 1;
        if !first {
            counts.later += 1;
            counts.later_right += u32::from(right);
        }
        if let Some(session) = session_number(session) {
            let counts = self
                .sessions
                .entry((session, deck))
                .or_insert(SessionCounts {
                    first: at,
                    right: 0,
                    total: 0,
                });
            counts.total += 1;
            counts.right += u32::from(right);
        }
    }

    /// The newest answer to `key`, as its index in `answers`, with its card.
    fn newest(&self, key: &CardKey) -> Option<(usize, u32)> {
        let card = *self.find(key.borrowed().key_hash())?;
        let i = self.answers.iter().rposition(|&a| a >> 1 == card)?;
        Some((i, card))
    }

    /// Takes back the log's newest answer, to `key`, made at `at` in
    /// `session` (an undone answer). Returns `false`, changing nothing, when
    /// the newest answer is not to `key`: only reading the log again can
    /// take back an older one, since a session's first answer may go with it.
    pub fn remove(&mut self, key: &CardKey, at: Timestamp, session: Option<i64>) -> bool {
        let Some((i, card)) = self.newest(key) else {
            return false;
        };
        if i + 1 != self.answers.len() {
            return false;
        }
        let right = self.answers.remove(i) & 1 == 1;
        let Some(logged) = self.cards.get_mut(card as usize) else {
            return false;
        };
        logged.reviews = logged.reviews.saturating_sub(1);
        let (first, deck) = (logged.reviews == 0, logged.deck);
        let day = (deck, self.clock.day(at));
        if let Some(counts) = self.days.get_mut(&day) {
            counts.reviews = counts.reviews.saturating_sub(1);
            if !first {
                counts.later = counts.later.saturating_sub(1);
                counts.later_right = counts.later_right.saturating_sub(u32::from(right));
            }
            if counts.reviews == 0 {
                self.days.remove(&day);
            }
        }
        if let Some(session) = session_number(session)
            && let Some(counts) = self.sessions.get_mut(&(session, deck))
        {
            counts.total = counts.total.saturating_sub(1);
            counts.right = counts.right.saturating_sub(u32::from(right));
            if counts.total == 0 {
                self.sessions.remove(&(session, deck));
            }
        }
        true
    }

    /// Marks the newest answer to `key`, made at `at` in `session`, right or
    /// not (a re-rated answer). Returns whether the card had an answer.
    pub fn rerate(
        &mut self,
        key: &CardKey,
        at: Timestamp,
        session: Option<i64>,
        right: bool,
    ) -> bool {
        let Some((i, card)) = self.newest(key) else {
            return false;
        };
        let was = self.answers[i] & 1 == 1;
        if was == right {
            return true;
        }
        self.answers[i] = card << 1 | u32::from(right);
        let Some(&LoggedCard { deck, reviews, .. }) = self.cards.get(card as usize) else {
            return false;
        };
        let change = |n: &mut u32| *n = if right { *n + 1 } else { n.saturating_sub(1) };
        if reviews > 1
            && let Some(counts) = self.days.get_mut(&(deck, self.clock.day(at)))
        {
            change(&mut counts.later_right);
        }
        if let Some(session) = session_number(session)
            && let Some(counts) = self.sessions.get_mut(&(session, deck))
        {
            change(&mut counts.right);
        }
        true
    }

    /// For each of its decks, whether it is in `scope`.
    pub fn in_scope(&self, library: &Library, scope: &Scope) -> Vec<bool> {
        self.decks
            .iter()
            .map(|deck| scope.includes(library, deck))
            .collect()
    }

    /// Each answer, newest first, as its card's position in
    /// [`Library::cards`] order (`None` for a card the library lacks) and
    /// whether it was right.
    pub fn newest_first<'a>(
        &'a self,
        library: &Library,
    ) -> impl Iterator<Item = (Option<usize>, bool)> + 'a {
        let positions: Vec<Option<usize>> = self
            .cards
            .iter()
            .map(|c| library.position_of_hash(c.hash))
            .collect();
        self.answers.iter().rev().map(move |&a| {
            let position = positions.get((a >> 1) as usize).copied().flatten();
            (position, a & 1 == 1)
        })
    }

    /// A form of the log that two reads of the same reviews share, whatever
    /// order their cards came in and whatever undos left empty: for tests
    /// that compare the log in memory with the one in the database.
    pub fn digest(&self) -> String {
        use std::fmt::Write;
        let mut out = format!("{:?}\n", self.clock);
        for &a in &self.answers {
            let card = self.cards[(a >> 1) as usize];
            let _ = writeln!(out, "{:016x} {}", card.hash, a & 1);
        }
        let mut days: Vec<String> = self
            .days
            .iter()
            .map(|((deck, day), c)| format!("{} day {day} {c:?}", self.decks[*deck as usize]))
            .collect();
        days.sort();
        let mut sessions: Vec<String> = self
            .sessions
            .iter()
            .map(|((session, deck), c)| format!("{} {session} {c:?}", self.decks[*deck as usize]))
            .collect();
        sessions.sort();
        out.push_str(&days.join("\n"));
        out.push('\n');
        out.push_str(&sessions.join("\n"));
        out
    }
}

/// A session id as the log keeps it: `None` for no session, and for an id
/// that is not a positive 32-bit number.
pub fn session_number(id: Option<i64>) -> Option<NonZeroU32> {
    id.and_then(|id| u32::try_from(id).ok())
        .and_then(NonZeroU32::new)
}

/// The [`DayCounts`] of each of `days` study days ending with `today`, summed
/// over the decks in `mask` (from [`History::in_scope`]).
fn day_counts(history: &History, mask: &[bool], today: i64, days: usize) -> Vec<DayCounts> {
    let first_day = today - days as i64 + 1;
    let mut out = vec![DayCounts::default(); days];
    let decks = (0..history.decks.len() as u32).filter(|&d| mask.get(d as usize) == Some(&true));
    for deck in decks {
        for (day, sum) in (first_day..).zip(out.iter_mut()) {
            if let Some(counts) = history.days.get(&(deck, day)) {
                sum.reviews += counts.reviews;
                sum.later += counts.later;
                sum.later_right += counts.later_right;
            }
        }
    }
    out
}

/// Reviews on each of the `days` study days ending with `today`, oldest first.
pub fn reviews_per_day(history: &History, mask: &[bool], today: i64, days: usize) -> Vec<u32> {
    day_counts(history, mask, today, days)
        .iter()
        .map(|c| c.reviews)
        .collect()
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
    today: i64,
    weeks: usize,
) -> Vec<WeekRetention> {
    let first_day = today - 7 * weeks as i64 + 1;
    day_counts(history, mask, today, 7 * weeks)
        .chunks(7)
        .enumerate()
        .map(|(w, week)| WeekRetention {
            start_day: first_day + 7 * w as i64,
            correct: week.iter().map(|c| c.later_right).sum(),
            total: week.iter().map(|c| c.later).sum(),
        })
        .collect()
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
    let mut by_session: HashMap<NonZeroU32, SessionScore> = HashMap::new();
    for (&(session, deck), counts) in &history.sessions {
        if !mask.get(deck as usize).copied().unwrap_or(false) {
            continue;
        }
        let score = by_session.entry(session).or_insert(SessionScore {
            session: i64::from(session.get()),
            at: counts.first,
            correct: 0,
            total: 0,
        });
        score.at = score.at.min(counts.first);
        score.total += counts.total;
        score.correct += counts.right;
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
        let mut h = History::new(UTC);
        let a = CardRef {
            deck: "d1",
            question: "a",
        };
        let b = CardRef {
            deck: "d2",
            question: "b",
        };
        h.push(a, at(1), true, Some(1));
        h.push(a, at(3), false, Some(2));
        h.push(b, at(3), false, Some(2));
        h.push(a, at(10), true, Some(3));
        h.push(b, at(10), true, Some(3));
        h
    }

    #[test]
    fn each_card_and_deck_is_kept_once_and_each_answer_in_4_bytes() {
        let h = history();
        assert_eq!((h.cards.len(), h.decks.len(), h.len()), (2, 2, 5));
        let reviews: Vec<u32> = h.cards.iter().map(|c| c.reviews).collect();
        assert_eq!(reviews, [3, 2]);
        assert_eq!(std::mem::size_of_val(&h.answers[0]), 4);
        let library = Library::default();
        let answers: Vec<bool> = h.newest_first(&library).map(|(_, right)| right).collect();
        assert_eq!(answers, [true, true, false, false, true]);
    }

    #[test]
    fn a_damaged_time_far_from_the_others_costs_one_day_entry() {
        let mut h = history();
        let far = CardRef {
            deck: "d1",
            question: "far",
        };
        h.push(far, Timestamp(i64::MAX), true, Some(4));
        h.push(far, Timestamp(i64::MIN), false, Some(4));
        assert_eq!(h.len(), 7);
        // The three days of d1 and the two of d2, and one for each far time.
        assert_eq!(h.days.len(), 7);
        assert_eq!(
            reviews_per_day(&h, &[true, true], 10, 10),
            [1, 0, 2, 0, 0, 0, 0, 0, 0, 2]
        );
        assert!(h.remove(&far.to_key(), Timestamp(i64::MIN), Some(4)));
        assert_eq!(h.days.len(), 6);
    }

    #[test]
    fn reviews_per_day_counts_the_window_ending_today() {
        let h = history();
        let counts = reviews_per_day(&h, &[true, true], 10, 10);
        assert_eq!(counts, [1, 0, 2, 0, 0, 0, 0, 0, 0, 2]);
        let only_d2 = reviews_per_day(&h, &[false, true], 10, 3);
        assert_eq!(only_d2, [0, 0, 1]);
        assert_eq!(reviews_per_day(&h, &[true, true], 30, 5), [0; 5]);
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
        let weeks = weekly_retention(&h, &[true, true], 14, 2);
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
        assert_eq!(all[1].at, at(3));
        let d1 = session_scores(&h, &[true, false]);
        assert_eq!(d1.len(), 3);
        assert_eq!(d1[1].total, 1);
    }

    /// One answer of the model: the card (of three, over two decks), its
    /// day, whether it was right, and its session.
    type Answer = (usize, i64, bool, Option<i64>);

    const KEYS: [(&str, &str); 3] = [("d1", "a"), ("d1", "b"), ("d2", "c")];

    fn key(card: usize) -> CardRef<'static> {
        CardRef {
            deck: KEYS[card].0,
            question: KEYS[card].1,
        }
    }

    /// An operation on the log: an answer (card, days after the last one,
    /// right, session), an undo of the newest answer (which must be to the
    /// card named), or a re-rating of a card's newest answer.
    #[derive(Debug, Clone)]
    enum Op {
        Answer(usize, i64, bool, Option<i64>),
        Undo(usize),
        Rerate(usize, bool),
    }

    fn op() -> impl proptest::strategy::Strategy<Value = Op> {
        use proptest::prelude::*;
        prop_oneof![
            3 => (0..3usize, 0..3i64, any::<bool>(), proptest::option::of(1..4i64))
                .prop_map(|(c, d, r, s)| Op::Answer(c, d, r, s)),
            1 => (0..3usize).prop_map(Op::Undo),
            1 => (0..3usize, any::<bool>()).prop_map(|(c, r)| Op::Rerate(c, r)),
        ]
    }

    proptest::proptest! {
        #[test]
        fn undos_and_re_ratings_leave_the_log_as_if_read_again(
            ops in proptest::collection::vec(op(), 0..40),
        ) {
            let mut held = History::new(UTC);
            let mut model: Vec<Answer> = Vec::new();
            let mut day = 0;
            for op in ops {
                let newest = |model: &Vec<Answer>, card: usize| {
                    model.iter().rposition(|a| a.0 == card)
                };
                match op {
                    Op::Answer(card, later, right, session) => {
                        day += later;
                        held.push(key(card), at(day), right, session);
                        model.push((card, day, right, session));
                    }
                    Op::Undo(card) => {
                        let last = model.last().copied().unwrap_or_default();
                        let newest_is_its = !model.is_empty() && last.0 == card;
                        if newest_is_its {
                            model.pop();
                        }
                        let removed = held.remove(&key(card).to_key(), at(last.1), last.3);
                        proptest::prop_assert_eq!(removed, newest_is_its);
                    }
                    Op::Rerate(card, right) => {
                        let found = newest(&model, card);
                        let (d, s) = found.map_or((0, None), |i| (model[i].1, model[i].3));
                        if let Some(i) = found {
                            model[i].2 = right;
                        }
                        let rerated = held.rerate(&key(card).to_key(), at(d), s, right);
                        proptest::prop_assert_eq!(rerated, found.is_some());
                    }
                }
            }
            let mut read = History::new(UTC);
            for &(card, d, right, session) in &model {
                read.push(key(card), at(d), right, session);
            }
            proptest::prop_assert_eq!(held.digest(), read.digest());
            proptest::prop_assert_eq!(
                reviews_per_day(&held, &[true, true], day, 10),
                reviews_per_day(&read, &[true, true], day, 10)
            );
        }
    }
}
