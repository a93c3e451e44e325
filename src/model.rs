//! The plain data a deck author writes and the learner studies: decks,
//! questions, their kinds, and the keys and ratings the scheduler works with.
//! Pure data and serde; no I/O.

use std::fmt;

use serde::{Deserialize, Serialize};

/// Where a deck sits in the curriculum.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Category {
    /// Mathematics and machine-learning theory.
    Coursework,
    /// Programming languages, libraries and platforms.
    Tools,
    /// Current and emerging practice in the field, such as MLOps.
    Trends,
    /// Applying what was learned, such as designing ML systems.
    Practice,
    /// The learner's own decks, listed as *My decks*.
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
    /// Unique across decks; progress is keyed by it, so keep it stable.
    pub id: String,
    /// The name shown on Home.
    pub title: String,
    /// Where Home lists the deck.
    pub category: Category,
    /// A short summary, shown when hovering over the deck on Home.
    #[serde(default)]
    pub description: String,
    /// The questions, in the order new cards are introduced.
    pub questions: Vec<Question>,
}

/// One question. Its `id` is stable, so progress survives edits to the wording.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Question {
    /// Unique within its deck; keep it when rewording, so progress is kept.
    pub id: String,
    /// The subject it tests; results show the score by topic.
    pub topic: String,
    /// Markdown; fenced code blocks render monospaced.
    pub prompt: String,
    /// The answer format and the right answer.
    pub kind: QuestionKind,
    /// Why the answer is right, shown after answering.
    pub explanation: String,
    /// Optional labels for the deck author's own grouping.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    /// Where the fact comes from (a book, a paper), shown with the explanation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

/// How a question is answered and graded.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub enum QuestionKind {
    /// Reveal the answer, then rate yourself.
    Flashcard {
        /// The answer revealed to the learner.
        answer: String,
    },
    /// Pick the option(s) at the 0-based `correct` indexes.
    MultipleChoice {
        /// The choices, shown in a random order.
        options: Vec<String>,
        /// The 0-based indexes of the right options; several mean "select all that apply".
        correct: Vec<usize>,
    },
    /// A statement that is true or false.
    TrueFalse {
        /// Whether the statement is true.
        answer: bool,
    },
    /// Type the answer; any of `accepted` counts, forgiving small typos.
    TypedAnswer {
        /// Every wording that counts as right.
        accepted: Vec<String>,
    },
    /// A sentence with `{{blanks}}`; `{{a|b}}` accepts either `a` or `b`.
    Cloze {
        /// The sentence, with its blanks in `{{...}}`.
        text: String,
    },
}

impl QuestionKind {
    /// Every kind's name, as [`QuestionKind::name`] gives it.
    pub const NAMES: [&'static str; 5] = [
        "Flashcard",
        "MultipleChoice",
        "TrueFalse",
        "TypedAnswer",
        "Cloze",
    ];

    /// The kind's name as deck authors write it.
    pub fn name(&self) -> &'static str {
        match self {
            QuestionKind::Flashcard { .. } => Self::NAMES[0],
            QuestionKind::MultipleChoice { .. } => Self::NAMES[1],
            QuestionKind::TrueFalse { .. } => Self::NAMES[2],
            QuestionKind::TypedAnswer { .. } => Self::NAMES[3],
            QuestionKind::Cloze { .. } => Self::NAMES[4],
        }
    }

    /// Whether a wrong verdict may be overridden by the learner: typed text
    /// and cloze blanks, where the grader can miss a valid wording.
    pub fn accepts_override(&self) -> bool {
        matches!(
            self,
            QuestionKind::TypedAnswer { .. } | QuestionKind::Cloze { .. }
        )
    }
}

/// Identifies a card across decks: the deck id plus the question id.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct CardKey {
    /// The deck's id.
    pub deck: String,
    /// The question's id within that deck.
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

    /// This key as borrowed text.
    pub fn borrowed(&self) -> CardRef<'_> {
        CardRef {
            deck: &self.deck,
            question: &self.question,
        }
    }
}

/// A card key of borrowed text: looks a card up in a [`CardStates`] map
/// (or the library's index) without allocating. It hashes as the
/// [`CardKey`] of the same text does.
///
/// [`CardStates`]: crate::scheduler::CardStates
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CardRef<'a> {
    /// The deck's id.
    pub deck: &'a str,
    /// The question's id within that deck.
    pub question: &'a str,
}

impl CardRef<'_> {
    /// An owned key of the same text.
    pub fn to_key(self) -> CardKey {
        CardKey::new(self.deck, self.question)
    }

    /// The key's stable 64-bit hash, [`question_hash`] of the question id
    /// under [`deck_hash`] of the deck id. The database keeps it beside each
    /// card's state, so every state finds its card without the key's text.
    pub fn key_hash(self) -> u64 {
        question_hash(deck_hash(self.deck), self.question)
    }
}

/// The part of a card key's hash that depends on its deck id only: the
/// XXH3 64-bit hash of the id's UTF-8 bytes. Stored in databases (through
/// [`CardRef::key_hash`]), so it must never change.
pub fn deck_hash(deck: &str) -> u64 {
    xxhash_rust::xxh3::xxh3_64(deck.as_bytes())
}

/// The hash of the key of `question` in the deck whose [`deck_hash`] is
/// `deck`: the XXH3 64-bit hash of the question id's UTF-8 bytes, seeded
/// with the deck's. Stored in databases, so it must never change.
pub fn question_hash(deck: u64, question: &str) -> u64 {
    xxhash_rust::xxh3::xxh3_64_with_seed(question.as_bytes(), deck)
}

impl hashbrown::Equivalent<CardKey> for CardRef<'_> {
    fn equivalent(&self, key: &CardKey) -> bool {
        self.deck == key.deck && self.question == key.question
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
    /// Forgotten or wrong; the card comes back soon.
    Again = 1,
    /// Recalled, but with real effort.
    Hard = 2,
    /// Recalled after some thought; the default for a right answer.
    Good = 3,
    /// Recalled without effort.
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
    fn key_hashes_are_pinned_and_tell_keys_apart() {
        // Databases store these, so a change would lose every card's state.
        // The values are the reference XXH3's (Python's `xxhash` agrees).
        let key = |deck, question| CardRef { deck, question }.key_hash();
        assert_eq!(key("statistics", "bayes-1"), 0x1538_626a_e90d_4bdd);
        assert_eq!(key("", ""), 0x412f_1275_e100_17f3);
        assert_ne!(key("ab", "c"), key("a", "bc"));
    }

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

    #[test]
    fn a_borrowed_key_finds_the_owned_one() {
        let mut map: hashbrown::HashMap<CardKey, u8> = hashbrown::HashMap::new();
        map.insert(CardKey::new("stats", "q1"), 1);
        map.insert(CardKey::new("stat", "sq1"), 2);
        let find = |deck, question| map.get(&CardRef { deck, question }).copied();
        assert_eq!(find("stats", "q1"), Some(1));
        assert_eq!(find("stat", "sq1"), Some(2));
        assert_eq!(find("stats", "q2"), None);
        assert_eq!(find("statsq", "1"), None);
        let key = CardKey::new("d", "q");
        assert_eq!(key.borrowed().to_key(), key);
    }
}
