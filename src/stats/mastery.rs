//! How well the learner knows each topic, deck and category, which topics are
//! weak, and which cards are leeches. Everything comes from the memory model
//! (each card's current retrievability) and the review log, not raw counts.
//!
//! For a group of cards (a topic, a deck or a category):
//!
//! - `R` is the mean current retrievability of the cards studied;
//! - `C` (coverage) is the share of its questions seen at least once;
//! - `A` (recent accuracy) is the share right of its last
//!   [`RECENT_ANSWERS`] answers, or `R` when it has none;
//! - `L` (lapse rate) is its lapses per review: how often a studied card was
//!   forgotten.
//!
//! **Mastery** = `C × (R + A) / 2`, from 0 to 1: all questions seen, well
//! remembered and answered right lately.
//!
//! **Weakness** = `0.5 (1 − R) + 0.3 (1 − A) + 0.2 L`, for groups with a
//! studied card. A topic **is weak** when `R` is more than 0.1 below the
//! desired retention, `A` is below 70% (over 3 or more answers), or `L` is
//! more than twice the forgetting the desired retention allows (above 20% at
//! 90%). Weak topics are ranked by weakness.
//!
//! A card is a **leech** when it has [`LEECH_LAPSES`] lapses (as Anki counts
//! them), or [`LEECH_MIN_REPS`] reviews and a stability still under
//! [`LEECH_MAX_STABILITY`] day: the memory model says it keeps falling below
//! 90% recall within a day, so its retrievability is always low.

use crate::deck::Library;
use crate::model::{CardKey, Category};
use crate::scheduler::CardState;
use crate::stats::history::{History, Scope};

/// How many of a group's latest answers make its recent accuracy.
pub const RECENT_ANSWERS: usize = 20;
/// Lapses that make a card a leech.
pub const LEECH_LAPSES: u32 = 8;
/// Reviews after which a card whose memory never holds is a leech.
pub const LEECH_MIN_REPS: u32 = 5;
/// The stability, in days, that a leech never reaches.
pub const LEECH_MAX_STABILITY: f32 = 1.0;
/// Recent accuracy below this makes a topic weak.
const WEAK_ACCURACY: f64 = 0.7;
/// A topic is weak when its retrievability is this far below the desired retention.
const WEAK_RETRIEVABILITY_MARGIN: f64 = 0.1;

/// The figures behind a group's mastery and weakness.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Standing {
    /// Questions in the group.
    pub total: usize,
    /// Questions reviewed at least once.
    pub studied: usize,
    retrievability_sum: f64,
    /// Right answers among the latest ones.
    pub recent_correct: usize,
    /// The latest answers counted, at most [`RECENT_ANSWERS`].
    pub recent_total: usize,
    /// Lapses of its cards.
    pub lapses: u32,
    /// Reviews of its cards.
    pub reps: u32,
}

impl Standing {
    /// The share of questions studied at least once, 0–1.
    pub fn coverage(&self) -> f64 {
        if self.total == 0 {
            0.0
        } else {
            self.studied as f64 / self.total as f64
        }
    }

    /// The mean current retrievability of the studied cards.
    pub fn retrievability(&self) -> Option<f64> {
        (self.studied > 0).then(|| self.retrievability_sum / self.studied as f64)
    }

    /// The share right of the latest answers.
    pub fn recent_accuracy(&self) -> Option<f64> {
        (self.recent_total > 0).then(|| self.recent_correct as f64 / self.recent_total as f64)
    }

    /// Lapses per review, 0–1.
    pub fn lapse_rate(&self) -> f64 {
        if self.reps == 0 {
            0.0
        } else {
            (f64::from(self.lapses) / f64::from(self.reps)).min(1.0)
        }
    }

    /// Mastery, 0–1 (see the module's documentation).
    pub fn mastery(&self) -> f64 {
        let Some(r) = self.retrievability() else {
            return 0.0;
        };
        let a = self.recent_accuracy().unwrap_or(r);
        self.coverage() * (r + a) / 2.0
    }

    /// Weakness, 0–1, or `None` when nothing has been studied.
    pub fn weakness(&self) -> Option<f64> {
        let r = self.retrievability()?;
        let a = self.recent_accuracy().unwrap_or(r);
        Some(0.5 * (1.0 - r) + 0.3 * (1.0 - a) + 0.2 * self.lapse_rate())
    }

    /// Whether the group is weak for a learner aiming at `desired_retention`.
    pub fn is_weak(&self, desired_retention: f64) -> bool {
        let Some(r) = self.retrievability() else {
            return false;
        };
        let inaccurate =
            self.recent_total >= 3 && self.recent_accuracy().is_some_and(|a| a < WEAK_ACCURACY);
        let forgetful = self.lapse_rate() > 2.0 * (1.0 - desired_retention);
        r < desired_retention - WEAK_RETRIEVABILITY_MARGIN || inaccurate || forgetful
    }
}

/// A topic of one deck and how it stands.
#[derive(Debug, Clone, PartialEq)]
pub struct TopicStanding {
    /// The deck's id.
    pub deck: String,
    /// The deck's title.
    pub deck_title: String,
    /// The topic's name.
    pub topic: String,
    /// Its figures.
    pub standing: Standing,
    /// Whether it counts as weak.
    pub weak: bool,
}

/// Mastery for every topic, deck and category in a scope.
#[derive(Debug, Clone, Default)]
pub struct MasteryReport {
    /// Every topic with questions, in deck and file order.
    pub topics: Vec<TopicStanding>,
    /// Each deck's figures, by deck id, in library order.
    pub decks: Vec<(String, Standing)>,
    /// Each category's figures, in [`Category::ALL`] order.
    pub categories: Vec<(Category, Standing)>,
}

impl MasteryReport {
    /// The weak topics, weakest first.
    pub fn weakest(&self) -> Vec<&TopicStanding> {
        let mut weak: Vec<&TopicStanding> = self.topics.iter().filter(|t| t.weak).collect();
        weak.sort_by(|a, b| {
            let w = |t: &TopicStanding| t.standing.weakness().unwrap_or(0.0);
            w(b).total_cmp(&w(a))
        });
        weak
    }

    /// Every studied topic, weakest first (weak or not).
    pub fn ranked(&self) -> Vec<&TopicStanding> {
        let mut studied: Vec<&TopicStanding> = self
            .topics
            .iter()
            .filter(|t| t.standing.studied > 0)
            .collect();
        studied.sort_by(|a, b| {
            let w = |t: &TopicStanding| t.standing.weakness().unwrap_or(0.0);
            w(b).total_cmp(&w(a))
        });
        studied
    }
}

/// Builds the mastery report over `scope`. `retrievability` gives a studied
/// card's current retrievability.
pub fn mastery(
    library: &Library,
    slots: &[Option<CardState>],
    history: &History,
    retrievability: impl Fn(&CardState) -> f32,
    desired_retention: f64,
    scope: &Scope,
) -> MasteryReport {
    let mut topics: Vec<TopicStanding> = Vec::new();
    // hashbrown's default hasher: these maps see every question, and std's
    // DoS-resistant hasher was a third of the time.
    let mut topic_index: hashbrown::HashMap<(&str, &str), usize> = hashbrown::HashMap::new();
    let mut decks: Vec<(String, Standing)> = Vec::new();
    let mut categories: Vec<(Category, Standing)> = Category::ALL
        .iter()
        .map(|&c| (c, Standing::default()))
        .collect();
    // For each card in scope, by its position in the library: (topic,
    // deck, category) indexes.
    let mut groups: Vec<Option<(usize, usize, usize)>> = vec![None; slots.len()];
    let mut position = 0;
    for (loaded, slots) in library.by_deck(slots) {
        let deck = &loaded.deck;
        let first = position;
        position += slots.len();
        if !scope.includes(library, &deck.id) {
            continue;
        }
        let d = decks.len();
        decks.push((deck.id.clone(), Standing::default()));
        let c = Category::ALL
            .iter()
            .position(|&c| c == deck.category)
            .unwrap_or(0);
        for (i, (q, slot)) in deck.questions().zip(slots).enumerate() {
            let t = *topic_index
                .entry((deck.id.as_str(), q.topic))
                .or_insert_with(|| {
                    topics.push(TopicStanding {
                        deck: deck.id.clone(),
                        deck_title: deck.title.clone(),
                        topic: q.topic.to_string(),
                        standing: Standing::default(),
                        weak: false,
                    });
                    topics.len() - 1
                });
            let studied = slot
                .as_ref()
                .map(|state| (state, f64::from(retrievability(state))));
            for s in [
                &mut topics[t].standing,
                &mut decks[d].1,
                &mut categories[c].1,
            ] {
                s.total += 1;
                if let Some((state, r)) = studied {
                    s.studied += 1;
                    s.retrievability_sum += r;
                    s.lapses += state.lapses;
                    s.reps += state.reps;
                }
            }
            groups[first + i] = Some((t, d, c));
        }
    }
    // The latest answers, newest first, until every group has its share.
    for (position, right) in history.newest_first(library) {
        let Some(Some((t, d, c))) = position.and_then(|p| groups.get(p)) else {
            continue;
        };
        for s in [
            &mut topics[*t].standing,
            &mut decks[*d].1,
            &mut categories[*c].1,
        ] {
            if s.recent_total < RECENT_ANSWERS {
                s.recent_total += 1;
                s.recent_correct += usize::from(right);
            }
        }
    }
    for topic in &mut topics {
        topic.weak = topic.standing.is_weak(desired_retention);
    }
    categories.retain(|(_, s)| s.total > 0);
    MasteryReport {
        topics,
        decks,
        categories,
    }
}

/// A card that keeps being forgotten.
#[derive(Debug, Clone, PartialEq)]
pub struct Leech {
    /// The card.
    pub key: CardKey,
    /// Its lapses.
    pub lapses: u32,
    /// Its reviews.
    pub reps: u32,
    /// Its stability, in days.
    pub stability: f32,
    /// Its current retrievability.
    pub retrievability: f32,
}

/// Whether a card with `state` is a leech (see the module's documentation).
pub fn is_leech(state: &CardState) -> bool {
    state.lapses >= LEECH_LAPSES
        || (state.reps >= LEECH_MIN_REPS && state.stability < LEECH_MAX_STABILITY)
}

/// The leeches in `scope`, most lapses first.
pub fn leeches(
    library: &Library,
    slots: &[Option<CardState>],
    retrievability: impl Fn(&CardState) -> f32,
    scope: &Scope,
) -> Vec<Leech> {
    let mut out: Vec<Leech> = library
        .by_deck(slots)
        .filter(|(loaded, _)| scope.includes(library, &loaded.deck.id))
        .flat_map(|(loaded, slots)| {
            let deck = &loaded.deck;
            deck.questions().zip(slots).filter_map(|(q, slot)| {
                let state = slot.as_ref()?;
                is_leech(state).then(|| Leech {
                    lapses: state.lapses,
                    reps: state.reps,
                    stability: state.stability,
                    retrievability: retrievability(state),
                    key: CardKey::new(&deck.id, &*q.id),
                })
            })
        })
        .collect();
    out.sort_by(|a, b| {
        b.lapses
            .cmp(&a.lapses)
            .then(a.retrievability.total_cmp(&b.retrievability))
            .then_with(|| a.key.cmp(&b.key))
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::Timestamp;
    use crate::deck::Origin;
    use crate::scheduler::CardStates;
    use crate::stats::place;

    /// Deck `d` has topics A (a1, a2) and B (b1, b2, b3); deck `e` has topic C (c1).
    fn library() -> Library {
        let q = |id: &str, topic: &str| {
            format!(
                r#"(id: "{id}", topic: "{topic}", prompt: "{id}?", kind: TrueFalse(answer: true), explanation: "E")"#
            )
        };
        let d = format!(
            r#"(id: "d", title: "D", category: Coursework, questions: [{}, {}, {}, {}, {}])"#,
            q("a1", "A"),
            q("a2", "A"),
            q("b1", "B"),
            q("b2", "B"),
            q("b3", "B")
        );
        let e = format!(
            r#"(id: "e", title: "E", category: Tools, questions: [{}])"#,
            q("c1", "C")
        );
        Library::from_sources(vec![
            ("d.ron".into(), Origin::Bundled, Ok(d)),
            ("e.ron".into(), Origin::Bundled, Ok(e)),
        ])
    }

    /// A state whose retrievability the test's closure reads from `stability`.
    fn state(retrievability: f32, reps: u32, lapses: u32) -> CardState {
        CardState {
            stability: retrievability,
            difficulty: 5.0,
            due_day: 0,
            last_review: Timestamp(0),
            last_day: 0,
            reps,
            lapses,
        }
    }

    fn report(states: &CardStates, history: &History, scope: &Scope) -> MasteryReport {
        let library = library();
        let slots = place(&library, states.clone()).0;
        mastery(&library, &slots, history, |s| s.stability, 0.9, scope)
    }

    #[test]
    fn mastery_combines_coverage_retrievability_and_recent_accuracy() {
        // Topic A: both cards studied at R 0.9 and 0.7, last answers 3 right of 4.
        let states = CardStates::from([
            (CardKey::new("d", "a1"), state(0.9, 2, 0)),
            (CardKey::new("d", "a2"), state(0.7, 2, 0)),
        ]);
        let mut history = History::default();
        for (q, correct) in [("a1", false), ("a2", true), ("a1", true), ("a2", true)] {
            history.push(CardKey::new("d", q).borrowed(), Timestamp(0), correct, None);
        }
        let report = report(&states, &history, &Scope::All);
        let a = &report.topics[0];
        assert_eq!((a.topic.as_str(), a.standing.studied), ("A", 2));
        assert!((a.standing.retrievability().unwrap() - 0.8).abs() < 1e-6);
        assert_eq!(a.standing.recent_accuracy(), Some(0.75));
        assert!((a.standing.mastery() - (0.8 + 0.75) / 2.0).abs() < 1e-6);
        // Deck d: 2 of 5 studied, so coverage 0.4 scales the same figures.
        let (_, d) = &report.decks[0];
        assert!((d.mastery() - 0.4 * (0.8 + 0.75) / 2.0).abs() < 1e-6);
        // Topic B has nothing studied: mastery 0, not weak, no weakness.
        let b = &report.topics[1];
        assert_eq!(b.standing.mastery(), 0.0);
        assert_eq!(b.standing.weakness(), None);
        assert!(!b.weak);
        assert_eq!(report.categories.len(), 2);
    }

    #[test]
    fn weak_topics_are_the_forgotten_the_lapsed_and_the_wrong_ranked_by_weakness() {
        let states = CardStates::from([
            // A: well remembered, answered right.
            (CardKey::new("d", "a1"), state(0.95, 3, 0)),
            (CardKey::new("d", "a2"), state(0.95, 3, 0)),
            // B: low retrievability and lapses.
            (CardKey::new("d", "b1"), state(0.5, 6, 3)),
            (CardKey::new("d", "b2"), state(0.6, 4, 1)),
            // C: remembered, but its recent answers were wrong.
            (CardKey::new("e", "c1"), state(0.92, 4, 0)),
        ]);
        let mut history = History::default();
        for _ in 0..3 {
            history.push(
                CardKey::new("e", "c1").borrowed(),
                Timestamp(0),
                false,
                None,
            );
            history.push(CardKey::new("d", "a1").borrowed(), Timestamp(0), true, None);
        }
        let report = report(&states, &history, &Scope::All);
        let weakest: Vec<&str> = report.weakest().iter().map(|t| t.topic.as_str()).collect();
        assert_eq!(weakest, ["B", "C"]);
        let ranked: Vec<&str> = report.ranked().iter().map(|t| t.topic.as_str()).collect();
        assert_eq!(ranked, ["B", "C", "A"]);
        // Narrowed to deck e, only C is left.
        let only_e = self::report(&states, &history, &Scope::Deck("e".into()));
        assert_eq!(only_e.topics.len(), 1);
        assert_eq!(only_e.weakest()[0].topic, "C");
    }

    #[test]
    fn leeches_have_many_lapses_or_a_memory_that_never_holds() {
        let states = CardStates::from([
            (CardKey::new("d", "a1"), state(0.95, 12, 8)),
            (CardKey::new("d", "a2"), state(0.4, 5, 2)),
            (CardKey::new("d", "b1"), state(0.4, 4, 2)),
            (CardKey::new("d", "b2"), state(3.0, 14, 7)),
        ]);
        let library = library();
        let slots = place(&library, states.clone()).0;
        let found: Vec<String> = leeches(&library, &slots, |s| s.stability, &Scope::All)
            .into_iter()
            .map(|l| l.key.question)
            .collect();
        assert_eq!(found, ["a1", "a2"]);
    }
}
