//! Reading decks written for other tools: Anki packages (`.apkg`), Anki's
//! *Notes in Plain Text* export and plain CSV/TSV files. Each reader turns a
//! file into [`Imported`] decks (and, for Anki, the review history) without
//! touching the learner's data; [`crate::study::Study`] saves them.

pub mod anki;
pub mod html;
pub mod text;

use crate::model::Deck;
use crate::store::Review;

/// What a reader found in one file.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Imported {
    /// The decks, in the order they appear in the file. Each has a valid id,
    /// a title, category [`crate::model::Category::Custom`] and at least one
    /// question; every question passes `recall check`.
    pub decks: Vec<Deck>,
    /// Review history keyed by the imported decks' ids and question ids,
    /// oldest first (Anki packages only).
    pub reviews: Vec<Review>,
    /// One line per thing left out, with the reason, for the import report
    /// (for example "3 media files skipped" or "note 1712: empty front").
    pub skipped: Vec<String>,
}

/// Why a file could not be imported at all.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// The file could not be read.
    #[error("cannot read the file: {0}")]
    Io(#[from] std::io::Error),
    /// The file is not in the format its name or content says.
    #[error("{0}")]
    Format(String),
}

/// A deck or question id made from free text: lower case ASCII letters,
/// digits and single dashes (`"Spanish::Verbs 101"` → `"spanish-verbs-101"`);
/// `fallback` when nothing usable is left.
pub fn slug(text: &str, fallback: &str) -> String {
    let mut out = String::new();
    for c in text.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    let trimmed = out.trim_end_matches('-');
    if trimmed.is_empty() {
        fallback.to_string()
    } else {
        trimmed.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::slug;

    #[test]
    fn slugs_keep_letters_and_digits() {
        assert_eq!(slug("Spanish::Verbs 101", "deck"), "spanish-verbs-101");
        assert_eq!(slug("  ¿Qué?  ", "deck"), "qu");
        assert_eq!(slug("日本語", "deck"), "deck");
    }
}
