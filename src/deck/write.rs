//! Writing decks: pretty-printed RON with a stable field order (the order of
//! [`Deck`] and [`crate::model::Question`]), raw strings where text has
//! quotes, so a deck diffs cleanly in git; saved atomically.

use std::path::{Path, PathBuf};

use super::{DeckError, parse_deck};
use crate::atomic::write_atomically;
use crate::model::Deck;
use crate::{Error, Result};

/// The RON text of `deck`, as Recall writes it.
pub fn to_ron(deck: &Deck) -> String {
    let config = ron::ser::PrettyConfig::new()
        .indentor("    ")
        .escape_strings(false)
        .extensions(ron::extensions::Extensions::IMPLICIT_SOME);
    match ron::ser::to_string_pretty(deck, config) {
        Ok(text) => text + "\n",
        // Serializing plain strings, numbers and lists into a String cannot fail.
        Err(e) => unreachable!("a deck always serializes: {e}"),
    }
}

/// Checks `deck` by the rules of `recall check`, on the text it would be saved as.
pub fn check(deck: &Deck) -> std::result::Result<(), Vec<DeckError>> {
    let label = format!("{}.ron", deck.id);
    parse_deck(&label, &to_ron(deck)).map(|_| ())
}

/// Saves `deck` as `<dir>/<id>.ron` (see [`save_at`]) and returns the path.
pub fn save(dir: &Path, deck: &Deck) -> Result<PathBuf> {
    let path = dir.join(format!("{}.ron", deck.id));
    save_at(&path, deck)?;
    Ok(path)
}

/// Saves `deck` at `path` (temp file, fsync, rename) after checking it. An
/// invalid deck is refused and nothing is written.
pub fn save_at(path: &Path, deck: &Deck) -> Result<()> {
    if let Err(errors) = check(deck) {
        let reasons: Vec<String> = errors.iter().map(|e| e.message.clone()).collect();
        return Err(Error::BadFile {
            path: path.to_path_buf(),
            reason: reasons.join("; "),
        });
    }
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(crate::file_error(dir))?;
    }
    let text = to_ron(deck);
    write_atomically(path, |out| {
        use std::io::Write;
        out.write_all(text.as_bytes())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Category, Question, QuestionKind};

    fn question(id: &str, kind: QuestionKind) -> Question {
        Question {
            id: id.into(),
            topic: "Topic".into(),
            prompt: format!("What about \"{id}\"?\n\n```python\nprint('hi')\n```"),
            kind,
            explanation: "Because.".into(),
            tags: vec!["t1".into()],
            source: Some("A book, 2020".into()),
        }
    }

    fn every_kind() -> Deck {
        Deck {
            id: "mine".into(),
            title: "My deck".into(),
            category: Category::Custom,
            description: "Written by the editor".into(),
            questions: vec![
                question(
                    "card",
                    QuestionKind::Flashcard {
                        answer: "Yes".into(),
                    },
                ),
                question(
                    "mcq",
                    QuestionKind::MultipleChoice {
                        options: vec!["a".into(), "b".into(), "c".into()],
                        correct: vec![0, 2],
                    },
                ),
                question("tf", QuestionKind::TrueFalse { answer: false }),
                question(
                    "typed",
                    QuestionKind::TypedAnswer {
                        accepted: vec!["one".into(), "1".into()],
                    },
                ),
                Question {
                    tags: Vec::new(),
                    source: None,
                    ..question(
                        "cloze",
                        QuestionKind::Cloze {
                            text: "The {{gradient|grad}} points {{uphill}}.".into(),
                        },
                    )
                },
            ],
        }
    }

    #[test]
    fn every_kind_round_trips_exactly() {
        let deck = every_kind();
        let text = to_ron(&deck);
        assert_eq!(parse_deck("mine.ron", &text).unwrap(), deck);
        // Stable: writing what was read gives the same text.
        assert_eq!(to_ron(&parse_deck("mine.ron", &text).unwrap()), text);
    }

    #[test]
    fn the_text_is_pretty_in_field_order_with_raw_strings() {
        let text = to_ron(&every_kind());
        let id = text.find("id: \"mine\"").unwrap();
        let title = text.find("title:").unwrap();
        let questions = text.find("questions:").unwrap();
        assert!(id < title && title < questions, "{text}");
        assert!(
            text.contains("source: \"A book, 2020\""),
            "no Some(..): {text}"
        );
        assert!(
            text.contains("r#\"What about"),
            "quotes use raw strings: {text}"
        );
        assert!(text.contains("correct: [\n"), "{text}");
        assert!(
            !text.contains("tags: []"),
            "empty tags are left out: {text}"
        );
    }

    #[test]
    fn saving_refuses_an_invalid_deck_and_writes_a_valid_one() {
        let dir = tempfile::tempdir().unwrap();
        let mut bad = every_kind();
        bad.questions[1].kind = QuestionKind::MultipleChoice {
            options: vec!["a".into(), "b".into()],
            correct: vec![5],
        };
        let err = save(dir.path(), &bad).unwrap_err().to_string();
        assert!(err.contains("out of range"), "{err}");
        assert!(!dir.path().join("mine.ron").exists());

        let path = save(dir.path(), &every_kind()).unwrap();
        assert_eq!(path, dir.path().join("mine.ron"));
        let text = std::fs::read_to_string(&path).unwrap();
        assert_eq!(parse_deck("mine.ron", &text).unwrap(), every_kind());
    }
}
