//! What the library keeps in memory of each deck: its header and, for each
//! question, the id, topic and kind that queues, counts and mastery read.
//! The questions' text is most of a deck's size, so a deck file's text stays
//! in the deck cache on disk (see the `cache` module) and is read when a card
//! is shown, edited or exported; bundled decks, and decks loaded without a
//! cache folder, keep their text in memory.

use std::collections::HashMap;
use std::sync::Arc;

use crate::model::{Category, Deck, Question};

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
    /// Its questions, in file order.
    pub questions: Vec<IndexedQuestion>,
}

/// A question as the library indexes it.
#[derive(Debug, Clone, PartialEq)]
pub struct IndexedQuestion {
    /// Unique within its deck.
    pub id: Box<str>,
    /// The subject it tests; the deck's questions of one topic share the text.
    pub topic: Arc<str>,
    /// Its kind's name, as [`QuestionKind::name`](crate::model::QuestionKind::name) gives it.
    pub kind: &'static str,
}

impl IndexedDeck {
    /// The index of `deck`.
    pub fn of(deck: &Deck) -> IndexedDeck {
        let mut topics = Topics::default();
        IndexedDeck {
            id: deck.id.clone(),
            title: deck.title.clone(),
            category: deck.category,
            description: deck.description.clone(),
            questions: deck
                .questions
                .iter()
                .map(|q| IndexedQuestion {
                    id: q.id.as_str().into(),
                    topic: topics.get(&q.topic),
                    kind: q.kind.name(),
                })
                .collect(),
        }
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

/// One shared text per distinct topic.
#[derive(Default)]
struct Topics(HashMap<String, Arc<str>>);

impl Topics {
    /// The shared text of `topic`.
    fn get(&mut self, topic: &str) -> Arc<str> {
        if let Some(shared) = self.0.get(topic) {
            return shared.clone();
        }
        let shared: Arc<str> = topic.into();
        self.0.insert(topic.to_string(), shared.clone());
        shared
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::QuestionKind;

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
                question("b", "joins", QuestionKind::Flashcard { answer: "x".into() }),
                question(
                    "c",
                    "sql",
                    QuestionKind::Cloze {
                        text: "{{y}}".into(),
                    },
                ),
            ],
        };
        let index = IndexedDeck::of(&deck);
        let ids: Vec<&str> = index.questions.iter().map(|q| &*q.id).collect();
        assert_eq!(ids, ["a", "b", "c"]);
        let kinds: Vec<&str> = index.questions.iter().map(|q| q.kind).collect();
        assert_eq!(kinds, ["TrueFalse", "Flashcard", "Cloze"]);
        assert_eq!(&*index.questions[1].topic, "joins");
        assert!(Arc::ptr_eq(
            &index.questions[0].topic,
            &index.questions[2].topic
        ));
        assert_eq!(index.with_text(deck.questions.clone()), deck);
    }
}
