//! The plain data a deck author writes and the learner studies: decks,
//! questions, their kinds, and the keys and ratings the scheduler works with.
//! Pure data and serde; no I/O.

use std::fmt;

use serde::{Deserialize, Serialize};

/// Where a deck sits in the curriculum.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Category {
    Coursework,
    Tools,
    Trends,
    Practice,
    Custom,
}

impl Category {
    /// Every category, in the order Home shows them.
    pub const ALL: [Category; 5] = [
        Category::Coursework,
        Category::Tools,
        Category::Trends,
        Category::Practice,
        Category::Custom,
    ];

    /// The name shown to the learner.
    pub fn label(self) -> &'static str {
        match self {
            Category::Coursework => "Coursework",
            Category::Tools => "Tools & skills",
            Category::Trends => "Trends",
            Category::Practice => "Practice",
            Category::Custom => "My decks",
        }
    }
}

/// One deck: a RON file with a header and its questions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Deck {
    pub id: String,
    pub title: String,
    pub category: Category,
    #[serde(default)]
    pub description: String,
    pub questions: Vec<Question>,
}

/// One question. Its `id` is stable, so progress survives edits to the wording.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Question {
    pub id: String,
    pub topic: String,
    /// Markdown; fenced code blocks render monospaced.
    pub prompt: String,
    pub kind: QuestionKind,
    pub explanation: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

/// How a question is answered and graded.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub enum QuestionKind {
    /// Reveal the answer, then rate yourself.
    Flashcard { answer: String },
    /// Pick the option(s) at the 0-based `correct` indexes.
    MultipleChoice {
        options: Vec<String>,
        correct: Vec<usize>,
    },
    /// A statement that is true or false.
    TrueFalse { answer: bool },
    /// Type the answer; any of `accepted` counts, forgiving small typos.
    TypedAnswer { accepted: Vec<String> },
    /// A sentence with `{{blanks}}`; `{{a|b}}` accepts either `a` or `b`.
    Cloze { text: String },
}

impl QuestionKind {
    /// The kind's name as deck authors write it.
    pub fn name(&self) -> &'static str {
        match self {
            QuestionKind::Flashcard { .. } => "Flashcard",
            QuestionKind::MultipleChoice { .. } => "MultipleChoice",
            QuestionKind::TrueFalse { .. } => "TrueFalse",
            QuestionKind::TypedAnswer { .. } => "TypedAnswer",
            QuestionKind::Cloze { .. } => "Cloze",
        }
    }

    /// Whether the app grades the answer (all kinds but flashcards).
    pub fn is_auto_graded(&self) -> bool {
        !matches!(self, QuestionKind::Flashcard { .. })
    }
}

/// Identifies a card across decks: the deck id plus the question id.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct CardKey {
    pub deck: String,
    pub question: String,
}

impl CardKey {
    /// A key for `question` in `deck`.
    pub fn new(deck: impl Into<String>, question: impl Into<String>) -> Self {
        CardKey {
            deck: deck.into(),
            question: question.into(),
        }
    }
}

impl fmt::Display for CardKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.deck, self.question)
    }
}

/// The four FSRS answer buttons.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Rating {
    Again = 1,
    Hard = 2,
    Good = 3,
    Easy = 4,
}

impl Rating {
    /// All ratings, in button order.
    pub const ALL: [Rating; 4] = [Rating::Again, Rating::Hard, Rating::Good, Rating::Easy];

    /// The rating's number, 1–4, as FSRS and the keyboard use it.
    pub fn number(self) -> u8 {
        self as u8
    }

    /// The rating for a number 1–4.
    pub fn from_number(n: u8) -> Option<Rating> {
        Rating::ALL.get(usize::from(n).checked_sub(1)?).copied()
    }

    /// The button label.
    pub fn label(self) -> &'static str {
        match self {
            Rating::Again => "Again",
            Rating::Hard => "Hard",
            Rating::Good => "Good",
            Rating::Easy => "Easy",
        }
    }
}

impl fmt::Display for Rating {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rating_numbers_round_trip() {
        for r in Rating::ALL {
            assert_eq!(Rating::from_number(r.number()), Some(r));
        }
        assert_eq!(Rating::from_number(0), None);
        assert_eq!(Rating::from_number(5), None);
    }

    #[test]
    fn card_key_displays_as_path() {
        assert_eq!(CardKey::new("la", "rank").to_string(), "la/rank");
    }
}
