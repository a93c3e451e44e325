//! What the library keeps in memory of each deck: its header and, for each
//! question, the id, topic and kind that queues, counts and mastery read.
//! The questions' text is most of a deck's size, so a deck file's text stays
//! in the deck cache on disk (see the `cache` module) and is read when a card
//! is shown, edited or exported; bundled decks, and decks loaded without a
//! cache folder, keep their text in memory.
//!
//! A question takes 8 bytes here plus its id's text: ids are kept one after
//! another in one string, and each topic's text once per deck.

use std::collections::HashMap;

use crate::model::{Category, Deck, Question, QuestionKind};

/// A deck as the library indexes it: everything but the questions' text.
#[derive(Debug, Clone, PartialEq)]
pub struct IndexedDeck {
    /// Unique across decks; progress is keyed by it.
    pub id: String,
    /// The name shown on Home.
    pub title: String,
    /// Where Home lists the deck.
    pub category: Category,
    /// A short summary, shown when hovering over the deck on Home.
    pub description: String,
    /// The questions' ids, one after another.
    ids: String,
    /// Each question, in file order.
    entries: Vec<Entry>,
    /// Each distinct topic, in order of first use.
    topics: Vec<Box<str>>,
}

/// One question: where its id ends in [`IndexedDeck::ids`], its topic's
/// index in [`IndexedDeck::topics`], and its kind's in [`QuestionKind::NAMES`].
#[derive(Debug, Clone, Copy, PartialEq)]
struct Entry {
    id_end: u32,
    topic: u16,
    kind: u8,
}

/// A question as the library indexes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IndexedQuestion<'a> {
    /// Unique within its deck.
    pub id: &'a str,
    /// The subject it tests.
    pub topic: &'a str,
    /// Its kind's name, as [`QuestionKind::name`] gives it.
    pub kind: &'static str,
}

impl IndexedDeck {
    /// A deck with this header and no questions yet (see [`IndexedDeck::push`]).
    pub(super) fn new(id: String, title: String, category: Category, description: String) -> Self {
        IndexedDeck {
            id,
            title,
            category,
            description,
            ids: String::new(),
            entries: Vec::new(),
            topics: Vec::new(),
        }
    }

    /// The index of `deck`.
    pub fn of(deck: &Deck) -> IndexedDeck {
        let mut index = IndexedDeck::new(
            deck.id.clone(),
            deck.title.clone(),
            deck.category,
            deck.description.clone(),
        );
        let mut topics: HashMap<&str, u32> = HashMap::new();
        index.reserve(
            deck.questions.len(),
            deck.questions.iter().map(|q| q.id.len()).sum(),
        );
        for q in &deck.questions {
            let next = topics.len() as u32;
            let topic = *topics.entry(q.topic.as_str()).or_insert_with(|| {
                index.topics.push(q.topic.as_str().into());
                next
            });
            let kind = QuestionKind::NAMES
                .iter()
                .position(|&k| k == q.kind.name())
                .unwrap_or(0);
            index.push(&q.id, topic, kind as u8);
        }
        index
    }

    /// Makes room for `questions` more questions whose ids take `id_bytes`.
    pub(super) fn reserve(&mut self, questions: usize, id_bytes: usize) {
        self.entries.reserve_exact(questions);
        self.ids.reserve_exact(id_bytes);
    }

    /// Adds topic `topic` (its text, in order of first use) for
    /// [`IndexedDeck::push`] to name by its index.
    pub(super) fn add_topic(&mut self, topic: &str) {
        self.topics.push(topic.into());
    }

    /// Adds the question `id` of the topic at index `topic` and the kind at
    /// index `kind` in [`QuestionKind::NAMES`]. Returns `None`, and adds
    /// nothing, when an index is out of range or the ids grow past 4 GB.
    pub(super) fn push(&mut self, id: &str, topic: u32, kind: u8) -> Option<()> {
        let topic = u16::try_from(topic)
            .ok()
            .filter(|&t| usize::from(t) < self.topics.len())?;
        QuestionKind::NAMES.get(usize::from(kind))?;
        let id_end = u32::try_from(self.ids.len() + id.len()).ok()?;
        self.ids.push_str(id);
        self.entries.push(Entry {
            id_end,
            topic,
            kind,
        });
        Some(())
    }

    /// How many questions the deck has.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether the deck has no questions (a loaded deck always has some).
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Question `i`.
    pub fn question(&self, i: usize) -> Option<IndexedQuestion<'_>> {
        let entry = self.entries.get(i)?;
        let start = match i {
            0 => 0,
            _ => self.entries[i - 1].id_end as usize,
        };
        Some(IndexedQuestion {
            id: self.ids.get(start..entry.id_end as usize)?,
            topic: self.topics.get(usize::from(entry.topic))?,
            kind: QuestionKind::NAMES.get(usize::from(entry.kind))?,
        })
    }

    /// The questions, in file order.
    pub fn questions(&self) -> impl ExactSizeIterator<Item = IndexedQuestion<'_>> + Clone {
        let mut start = 0;
        self.entries.iter().map(move |entry| {
            let end = entry.id_end as usize;
            let id = self.ids.get(start..end).unwrap_or_default();
            start = end;
            IndexedQuestion {
                id,
                topic: self.topics.get(usize::from(entry.topic)).map_or("", |t| t),
                kind: QuestionKind::NAMES
                    .get(usize::from(entry.kind))
                    .copied()
                    .unwrap_or_default(),
            }
        })
    }

    /// The whole deck, with `questions` as its questions' text.
    pub fn with_text(&self, questions: Vec<Question>) -> Deck {
        Deck {
            id: self.id.clone(),
            title: self.title.clone(),
            category: self.category,
            description: self.description.clone(),
            questions,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_index_keeps_ids_kinds_and_one_text_per_topic() {
        let question = |id: &str, topic: &str, kind| Question {
            id: id.into(),
            topic: topic.into(),
            prompt: format!("prompt of {id}"),
            kind,
            explanation: String::new(),
            tags: Vec::new(),
            source: None,
        };
        let deck = Deck {
            id: "d".into(),
            title: "D".into(),
            category: Category::Tools,
            description: "about d".into(),
            questions: vec![
                question("a", "sql", QuestionKind::TrueFalse { answer: true }),
                question(
                    "bb",
                    "joins",
                    QuestionKind::Flashcard { answer: "x".into() },
                ),
                question(
                    "ccc",
                    "sql",
                    QuestionKind::Cloze {
                        text: "{{y}}".into(),
                    },
                ),
            ],
        };
        let index = IndexedDeck::of(&deck);
        assert_eq!(index.len(), 3);
        let read: Vec<(&str, &str, &str)> =
            index.questions().map(|q| (q.id, q.topic, q.kind)).collect();
        assert_eq!(
            read,
            [
                ("a", "sql", "TrueFalse"),
                ("bb", "joins", "Flashcard"),
                ("ccc", "sql", "Cloze")
            ]
        );
        assert_eq!(index.question(1), index.questions().nth(1));
        assert_eq!(index.question(3), None);
        assert_eq!(index.topics.len(), 2, "each topic's text is kept once");
        assert_eq!(index.with_text(deck.questions.clone()), deck);
    }

    #[test]
    fn push_refuses_an_index_out_of_range() {
        let mut index = IndexedDeck::new("d".into(), "D".into(), Category::Tools, String::new());
        assert_eq!(index.push("a", 0, 0), None, "no topic yet");
        index.add_topic("t");
        assert_eq!(index.push("a", 0, 5), None, "five kinds");
        assert_eq!(index.push("a", 0, 4), Some(()));
        assert_eq!(index.question(0).map(|q| q.kind), Some("Cloze"));
    }
}
