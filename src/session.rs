//! The quiz engine: builds the queue for a study mode, grades answers into
//! FSRS ratings, and keeps what is needed to undo. Pure: no I/O, no egui; the
//! caller passes `now`, stores each answer and hands back its review id.

use std::collections::{BTreeMap, HashMap};

use rand::Rng;
use rand::seq::SliceRandom;

use crate::Result;
use crate::clock::Timestamp;
use crate::deck::Library;
use crate::grade::{Answer, Verdict, grade};
use crate::model::{CardKey, CardRef, Question, QuestionKind, Rating};
use crate::scheduler::{CardState, Preview, Scheduler};
use crate::store::Review;

/// What a session studies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Due reviews, most at risk first, with new cards mixed in.
    Due,
    /// A few random questions, due or not.
    Quick,
    /// Questions picked by the learner (for example the ones just missed).
    Retry,
    /// The weakest cards of the weakest topics, due or not.
    Weak,
}

impl Mode {
    /// The name stored with the session.
    pub fn name(self) -> &'static str {
        match self {
            Mode::Due => "due",
            Mode::Quick => "quick",
            Mode::Retry => "retry",
            Mode::Weak => "weak",
        }
    }

    /// The title shown to the learner.
    pub fn title(self) -> &'static str {
        match self {
            Mode::Due => "Study due",
            Mode::Quick => "Quick quiz",
            Mode::Retry => "Missed questions",
            Mode::Weak => "Weak areas",
        }
    }
}

/// How many more cards today's limits allow.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Allowance {
    /// New cards still allowed today.
    pub new: usize,
    /// Reviews of due cards still allowed today.
    pub reviews: usize,
}

/// Today's *Study due* queue: due reviews with the lowest retrievability
/// first, and new cards (in deck order) spread evenly among them.
pub fn due_queue(
    library: &Library,
    slots: &[Option<CardState>],
    scheduler: &Scheduler,
    today: i64,
    in_scope: impl Fn(&str) -> bool,
    allowance: Allowance,
) -> Vec<CardKey> {
    let mut due: Vec<(f32, CardRef<'_>)> = Vec::new();
    let mut new = Vec::new();
    // Deck by deck, so a question's key is read only when its card goes in.
    for (loaded, slots) in library.by_deck(slots) {
        let deck = &loaded.deck;
        if !in_scope(&deck.id) {
            continue;
        }
        for (question, slot) in deck.questions().zip(slots) {
            let key = || CardRef {
                deck: &deck.id,
                question: question.id,
            };
            match slot {
                Some(state) if state.due_day <= today => {
                    due.push((scheduler.retrievability(state, today), key()));
                }
                Some(_) => {}
                None if new.len() < allowance.new => new.push(key()),
                None => {}
            }
        }
    }
    // The least likely to be recalled first; only the ones that fit today
    // are put in order.
    let order = |a: &(f32, CardRef<'_>), b: &(f32, CardRef<'_>)| {
        a.0.total_cmp(&b.0).then_with(|| a.1.cmp(&b.1))
    };
    if allowance.reviews < due.len() {
        due.select_nth_unstable_by(allowance.reviews, order);
        due.truncate(allowance.reviews);
    }
    due.sort_unstable_by(order);
    interleave(
        due.into_iter().map(|(_, k)| k.to_key()).collect(),
        new.into_iter().map(CardRef::to_key).collect(),
    )
}

/// Spreads `new` evenly through `reviews`, reviews first.
fn interleave(reviews: Vec<CardKey>, new: Vec<CardKey>) -> Vec<CardKey> {
    let total = reviews.len() + new.len();
    let mut reviews = reviews.into_iter();
    let mut new_iter = new.iter().cloned();
    let mut placed = 0;
    let mut queue = Vec::with_capacity(total);
    for i in 0..total {
        let want_new = (i + 1) * new.len() / total.max(1) > placed;
        let next = if want_new {
            new_iter.next()
        } else {
            reviews.next()
        };
        match next {
            Some(key) => {
                placed += usize::from(want_new);
                queue.push(key);
            }
            None => queue.extend(reviews.by_ref().chain(new_iter.by_ref())),
        }
    }
    queue
}

/// `len` random questions from the decks in scope.
pub fn quick_queue(
    library: &Library,
    in_scope: impl Fn(&str) -> bool,
    len: usize,
    rng: &mut impl Rng,
) -> Vec<CardKey> {
    let mut keys: Vec<CardRef<'_>> = library
        .cards()
        .map(|(k, _)| k)
        .filter(|k| in_scope(k.deck))
        .collect();
    keys.shuffle(rng);
    keys.truncate(len);
    keys.into_iter().map(CardRef::to_key).collect()
}

/// The *Weak areas* queue: from each topic in `topics` (weakest first), its
/// studied cards with the lowest retrievability (then the most lapses), due or
/// not, up to `len` cards. A first pass takes at most a third of the session
/// from each topic, so several weak topics share it; a second pass fills up.
pub fn weak_queue(
    library: &Library,
    slots: &[Option<CardState>],
    topics: &[(&str, &str)],
    retrievability: impl Fn(&CardState) -> f32,
    len: usize,
) -> Vec<CardKey> {
    // One pass over the library, however many topics are asked for.
    let mut wanted: hashbrown::HashMap<(&str, &str), usize> = hashbrown::HashMap::new();
    for (i, &topic) in topics.iter().enumerate() {
        wanted.entry(topic).or_insert(i);
    }
    let mut per_topic: Vec<Vec<(f32, u32, CardRef<'_>)>> = vec![Vec::new(); topics.len()];
    for (loaded, slots) in library.by_deck(slots) {
        let deck = loaded.deck.id.as_str();
        for (q, slot) in loaded.deck.questions().zip(slots) {
            let Some(state) = slot else { continue };
            let Some(&i) = wanted.get(&(deck, q.topic)) else {
                continue;
            };
            let key = CardRef {
                deck,
                question: q.id,
            };
            per_topic[i].push((retrievability(state), state.lapses, key));
        }
    }
    let per_topic: Vec<Vec<CardRef<'_>>> = per_topic
        .into_iter()
        .map(|mut cards| {
            cards.sort_by(|a, b| {
                a.0.total_cmp(&b.0)
                    .then(b.1.cmp(&a.1))
                    .then_with(|| a.2.cmp(&b.2))
            });
            // No topic gives more than the whole session.
            cards.truncate(len);
            cards.into_iter().map(|(_, _, k)| k).collect()
        })
        .collect();
    let share = len.div_ceil(3).max(3);
    let mut queue: Vec<CardRef<'_>> = Vec::with_capacity(len);
    for cards in &per_topic {
        queue.extend(cards.iter().take(share).take(len - queue.len()));
    }
    for cards in &per_topic {
        let rest = cards.iter().skip(share).take(len - queue.len());
        queue.extend(rest);
    }
    queue.into_iter().map(CardRef::to_key).collect()
}

/// A random display order for a question's options (identity for other kinds).
pub fn option_order(question: &Question, rng: &mut impl Rng) -> Vec<usize> {
    match &question.kind {
        QuestionKind::MultipleChoice { options, .. } => {
            let mut order: Vec<usize> = (0..options.len()).collect();
            order.shuffle(rng);
            order
        }
        _ => Vec::new(),
    }
}

/// One committed answer.
#[derive(Debug, Clone, PartialEq)]
pub struct Answered {
    /// The card that was answered.
    pub key: CardKey,
    /// The question's topic, for the score by topic.
    pub topic: String,
    /// What the grader decided.
    pub verdict: Verdict,
    /// Counted as right: the verdict, the learner's override, or (flashcards) not *Again*.
    pub correct: bool,
    /// The FSRS rating the answer was given.
    pub rating: Rating,
    /// What the learner answered, as text for the results screen.
    pub given: String,
    /// The card's state before this answer (`None`: it was new).
    pub previous: Option<CardState>,
    /// The card's state after this answer.
    pub state: CardState,
    /// The answer as the review log stores it; its card and time pick out
    /// the stored review, to undo or re-rate it.
    pub review: Review,
    /// What each rating would have done, so the rating can still change.
    pub preview: Preview,
}

/// A graded answer, not yet stored.
#[derive(Debug, Clone, PartialEq)]
pub struct Graded {
    /// What the grader decided.
    pub verdict: Verdict,
    /// What each rating would do to the card.
    pub preview: Preview,
    /// The rating the verdict implies: *Good* if right, *Again* if wrong.
    pub default_rating: Rating,
}

/// A study session in progress.
#[derive(Debug, Clone)]
pub struct Session {
    /// What the session studies.
    pub mode: Mode,
    /// The store's id for this session.
    pub id: i64,
    /// When the session began.
    pub started_at: Timestamp,
    queue: Vec<CardKey>,
    answered: Vec<Answered>,
    /// Each topic's share right before the session, for the results screen.
    baseline: HashMap<String, f64>,
    /// When the current question was first shown.
    shown_at: Timestamp,
}

impl Session {
    /// A session over `queue`, started at `now`.
    pub fn new(mode: Mode, id: i64, queue: Vec<CardKey>, now: Timestamp) -> Session {
        Session {
            mode,
            id,
            started_at: now,
            queue,
            answered: Vec::new(),
            baseline: HashMap::new(),
            shown_at: now,
        }
    }

    /// Sets each topic's share right before the session, so the results can
    /// compare (used by *Weak areas*).
    pub fn set_baseline(&mut self, baseline: HashMap<String, f64>) {
        self.baseline = baseline;
    }

    /// The card to answer now, or `None` when the queue is done.
    pub fn current(&self) -> Option<&CardKey> {
        self.queue.get(self.answered.len())
    }

    /// Questions answered and questions in all.
    pub fn progress(&self) -> (usize, usize) {
        (self.answered.len(), self.queue.len())
    }

    /// The answers so far, in order.
    pub fn answered(&self) -> &[Answered] {
        &self.answered
    }

    /// Grades `answer` to the current question (`question`, whose card was in `previous`).
    pub fn grade(
        &self,
        question: &Question,
        previous: Option<&CardState>,
        answer: &Answer,
        scheduler: &Scheduler,
        now: Timestamp,
        today: i64,
    ) -> Result<Graded> {
        let verdict = grade(&question.kind, answer);
        let default_rating = if verdict.is_correct() {
            Rating::Good
        } else {
            Rating::Again
        };
        Ok(Graded {
            verdict,
            preview: scheduler.preview(previous, now, today)?,
            default_rating,
        })
    }

    /// The review and new state for answering the current card with `rating`
    /// at `now`, or `None` when the session is over.
    pub fn review(
        &self,
        question: &Question,
        graded: &Graded,
        rating: Rating,
        correct: bool,
        now: Timestamp,
    ) -> Option<(Review, CardState)> {
        let review = Review {
            key: self.current()?.clone(),
            reviewed_at: now,
            rating,
            correct,
            duration_ms: now.millis_since(self.shown_at),
            kind: question.kind.name().to_string(),
            session: Some(self.id),
        };
        Some((review, graded.preview.outcome(rating).state))
    }

    /// Adds a stored answer to the current card, which moves the session on.
    pub fn commit(&mut self, answered: Answered) {
        self.answered.push(answered);
    }

    /// Marks the current question as shown at `now`, for timing.
    pub fn show(&mut self, now: Timestamp) {
        self.shown_at = now;
    }

    /// The last answer as it would be with another rating (and verdict), for
    /// the caller to store and then pass to [`Session::replace_last`].
    pub fn rerated(&self, rating: Rating, correct: bool) -> Option<Answered> {
        let mut answer = self.answered.last()?.clone();
        answer.rating = rating;
        answer.correct = correct;
        answer.state = answer.preview.outcome(rating).state;
        answer.review.rating = rating;
        answer.review.correct = correct;
        Some(answer)
    }

    /// Replaces the last answer with its stored re-rating.
    pub fn replace_last(&mut self, answered: Answered) {
        if let Some(last) = self.answered.last_mut() {
            *last = answered;
        }
    }

    /// Takes back the last answer, making its card current again.
    pub fn undo(&mut self, now: Timestamp) -> Option<Answered> {
        let last = self.answered.pop()?;
        self.shown_at = now;
        Some(last)
    }

    /// The score and breakdown so far.
    pub fn summary(&self, now: Timestamp) -> Summary {
        let mut by_topic: BTreeMap<String, (usize, usize)> = BTreeMap::new();
        for a in &self.answered {
            let entry = by_topic.entry(a.topic.clone()).or_insert((0, 0));
            entry.0 += usize::from(a.correct);
            entry.1 += 1;
        }
        Summary {
            mode: self.mode,
            answered: self.answered.len(),
            correct: self.answered.iter().filter(|a| a.correct).count(),
            duration_ms: now.millis_since(self.started_at),
            by_topic: by_topic
                .into_iter()
                .map(|(topic, (correct, answered))| TopicScore {
                    before: self.baseline.get(&topic).copied(),
                    topic,
                    correct,
                    answered,
                })
                .collect(),
            missed: self
                .answered
                .iter()
                .filter(|a| !a.correct)
                .cloned()
                .collect(),
        }
    }
}

/// The outcome of a session, for the results screen.
#[derive(Debug, Clone, PartialEq)]
pub struct Summary {
    /// What the session studied.
    pub mode: Mode,
    /// How many questions were answered.
    pub answered: usize,
    /// How many of them were right.
    pub correct: usize,
    /// Time from the start of the session to the summary, in milliseconds.
    pub duration_ms: i64,
    /// The score of each topic, by topic name.
    pub by_topic: Vec<TopicScore>,
    /// The answers that were wrong, in order, for *Review the missed ones now*.
    pub missed: Vec<Answered>,
}

/// How one topic went in a session.
#[derive(Debug, Clone, PartialEq)]
pub struct TopicScore {
    /// The topic's name.
    pub topic: String,
    /// Answers right.
    pub correct: usize,
    /// Answers in all.
    pub answered: usize,
    /// The topic's share right before the session, when the mode compares.
    pub before: Option<f64>,
}

impl Summary {
    /// The share answered right, 0–100.
    pub fn score_percent(&self) -> u32 {
        if self.answered == 0 {
            0
        } else {
            ((self.correct * 100) as f64 / self.answered as f64).round() as u32
        }
    }
}

#[cfg(test)]
mod tests;
