//! Loading and validating decks. Every problem becomes a [`DeckError`] that
//! carries `path:line:col`, so `recall check` and the app report the same
//! thing. A broken deck never stops the others from loading.

mod bundled;
mod outline;
pub mod write;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt;
use std::path::{Path, PathBuf};

use serde::Serialize;

pub use bundled::BUNDLED;
pub use outline::{Outline, Pos};

use crate::grade::{ClozePart, cloze_parts};
use crate::model::{CardKey, Deck, Question, QuestionKind};

/// One problem in one deck file. `line` and `col` are 1-based; both are 0 when
/// the problem concerns the whole file (it could not be read, say).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DeckError {
    /// The deck file, as given (`decks/<file>` for bundled decks).
    pub path: String,
    /// The line of the problem, or 0 for the whole file.
    pub line: usize,
    /// The column of the problem, counting characters, or 0 for the whole file.
    pub col: usize,
    /// What is wrong, worded for the deck author.
    pub message: String,
}

impl DeckError {
    fn at(path: &str, pos: Pos, message: impl Into<String>) -> Self {
        DeckError {
            path: path.to_string(),
            line: pos.line,
            col: pos.col,
            message: message.into(),
        }
    }

    fn whole_file(path: &str, message: impl Into<String>) -> Self {
        DeckError::at(path, Pos::default(), message)
    }
}

impl fmt::Display for DeckError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line == 0 {
            write!(f, "{}: {}", self.path, self.message)
        } else {
            write!(
                f,
                "{}:{}:{}: {}",
                self.path, self.line, self.col, self.message
            )
        }
    }
}

/// Parses and validates one deck's text. `path` only labels the errors.
pub fn parse_deck(path: &str, text: &str) -> Result<Deck, Vec<DeckError>> {
    let options =
        ron::Options::default().with_default_extension(ron::extensions::Extensions::IMPLICIT_SOME);
    let deck: Deck = options.from_str(text).map_err(|e| {
        let pos = Pos {
            line: e.span.start.line,
            col: e.span.start.col,
        };
        vec![DeckError::at(path, pos, e.code.to_string())]
    })?;
    let errors = validate(path, &deck, &Outline::scan(text));
    if errors.is_empty() {
        Ok(deck)
    } else {
        Err(errors)
    }
}

/// Checks the rules serde cannot: ids, empty text, and each kind's own rules.
fn validate(path: &str, deck: &Deck, outline: &Outline) -> Vec<DeckError> {
    let mut errors = Vec::new();
    check_id(&deck.id, "deck", |m| {
        errors.push(DeckError::at(path, outline.field("id"), m))
    });
    if deck.title.trim().is_empty() {
        errors.push(DeckError::at(
            path,
            outline.field("title"),
            "the deck title is empty",
        ));
    }
    let empty = outline::QuestionOutline::default();
    let mut seen: HashMap<&str, usize> = HashMap::new();
    for (i, q) in deck.questions.iter().enumerate() {
        let at = outline.questions.get(i).unwrap_or(&empty);
        let mut push = |pos: Pos, message: String| errors.push(DeckError::at(path, pos, message));
        for problem in question_problems(q) {
            let pos = match problem.field {
                Field::Question(name) => at.field(name),
                Field::Kind(name) => at.kind_field(name),
            };
            push(pos, problem.message);
        }
        if let Some(first) = seen.insert(q.id.as_str(), i) {
            push(
                at.field("id"),
                format!(
                    "duplicate question id \"{}\" (question {} already uses it)",
                    q.id,
                    first + 1
                ),
            );
        }
    }
    if deck.questions.is_empty() {
        errors.push(DeckError::at(
            path,
            outline.field("questions"),
            "the deck has no questions",
        ));
    }
    // In file order, as an editor's error list expects.
    errors.sort_by_key(|e| (e.line, e.col));
    errors
}

/// Which field of a question a problem is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    /// A field of the question itself (`id`, `topic`, `prompt`, `explanation`).
    Question(&'static str),
    /// A field inside its `kind` (`answer`, `options`, `correct`, `accepted`, `text`).
    Kind(&'static str),
}

/// A rule one question breaks, for the editor to show beside the field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The field at fault.
    pub field: Field,
    /// What is wrong, as `recall check` words it.
    pub message: String,
}

/// Every rule of `recall check` that `q` breaks on its own (uniqueness of
/// ids within a deck is the deck's business).
pub fn question_problems(q: &Question) -> Vec<Problem> {
    let mut problems = Vec::new();
    let mut push = |field: Field, message: String| problems.push(Problem { field, message });
    check_id(&q.id, "question", |m| push(Field::Question("id"), m));
    for (field, value) in [
        ("topic", &q.topic),
        ("prompt", &q.prompt),
        ("explanation", &q.explanation),
    ] {
        if value.trim().is_empty() {
            push(
                Field::Question(field),
                format!("question \"{}\" has an empty {field}", q.id),
            );
        }
    }
    kind_problems(q, &mut push);
    problems
}

fn check_id(id: &str, what: &str, mut report: impl FnMut(String)) {
    if id.trim().is_empty() {
        report(format!("the {what} id is empty"));
    } else if id.contains('/') || id.chars().any(char::is_whitespace) {
        report(format!(
            "the {what} id \"{id}\" must not contain spaces or '/'"
        ));
    }
}

fn kind_problems(q: &Question, push: &mut impl FnMut(Field, String)) {
    let id = &q.id;
    match &q.kind {
        QuestionKind::Flashcard { answer } => {
            if answer.trim().is_empty() {
                push(
                    Field::Kind("answer"),
                    format!("flashcard \"{id}\" has an empty answer"),
                );
            }
        }
        QuestionKind::MultipleChoice { options, correct } => {
            if options.len() < 2 {
                push(
                    Field::Kind("options"),
                    format!(
                        "multiple-choice question \"{id}\" needs at least 2 options, it has {}",
                        options.len()
                    ),
                );
            }
            let mut distinct = HashSet::new();
            for option in options {
                if option.trim().is_empty() {
                    push(
                        Field::Kind("options"),
                        format!("multiple-choice question \"{id}\" has an empty option"),
                    );
                } else if !distinct.insert(option.trim()) {
                    push(
                        Field::Kind("options"),
                        format!(
                            "multiple-choice question \"{id}\" lists the option \"{option}\" twice"
                        ),
                    );
                }
            }
            if correct.is_empty() {
                push(
                    Field::Kind("correct"),
                    format!("multiple-choice question \"{id}\" has no correct option"),
                );
            }
            for &index in correct {
                if index >= options.len() {
                    push(
                        Field::Kind("correct"),
                        format!(
                            "multiple-choice question \"{id}\": correct index {index} is out of range (options are numbered 0 to {})",
                            options.len().saturating_sub(1)
                        ),
                    );
                }
            }
            if correct.iter().collect::<HashSet<_>>().len() != correct.len() {
                push(
                    Field::Kind("correct"),
                    format!("multiple-choice question \"{id}\" lists a correct index twice"),
                );
            }
        }
        QuestionKind::TrueFalse { .. } => {}
        QuestionKind::TypedAnswer { accepted } => {
            if accepted.iter().all(|a| a.trim().is_empty()) {
                push(
                    Field::Kind("accepted"),
                    format!("typed-answer question \"{id}\" has no accepted answer"),
                );
            }
        }
        QuestionKind::Cloze { text } => match cloze_parts(text) {
            Err(problem) => push(Field::Kind("text"), format!("cloze \"{id}\": {problem}")),
            Ok(parts) if !parts.iter().any(|p| matches!(p, ClozePart::Blank(_))) => push(
                Field::Kind("text"),
                format!("cloze \"{id}\" has no blank; mark one as {{{{answer}}}}"),
            ),
            Ok(_) => {}
        },
    }
}

/// Where a loaded deck came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// Shipped inside the binary; read-only.
    Bundled,
    /// A file of the user's.
    File(PathBuf),
}

/// A deck that loaded and validated, with where it came from.
#[derive(Debug, Clone)]
pub struct LoadedDeck {
    /// The deck as written, after validation.
    pub deck: Deck,
    /// The label used in messages: `decks/<file>` for bundled decks.
    pub path: String,
    /// Whether it ships with Recall or is one of the user's files.
    pub origin: Origin,
    /// Whether it is the user's copy of a bundled deck, shown in its place.
    pub replaces_bundled: bool,
}

/// Every deck Recall knows about, plus the ones that failed to load.
#[derive(Debug, Clone, Default)]
pub struct Library {
    /// The decks that loaded, bundled ones first.
    pub decks: Vec<LoadedDeck>,
    /// The problems in the files that did not load, listed under *Decks with errors*.
    pub errors: Vec<DeckError>,
    questions: HashMap<CardKey, (usize, usize)>,
}

impl Library {
    /// Loads the bundled decks (when `bundled`) and every `.ron` file found in
    /// `paths` (files, or folders searched recursively). Missing folders are
    /// skipped silently only when `optional_dirs` says so.
    pub fn load(bundled: bool, paths: &[PathBuf], optional_dirs: &[PathBuf]) -> Library {
        let mut sources: Vec<(String, Origin, Result<String, String>)> = Vec::new();
        if bundled {
            for (name, text) in BUNDLED {
                sources.push((
                    format!("decks/{name}"),
                    Origin::Bundled,
                    Ok(text.to_string()),
                ));
            }
        }
        for path in paths {
            collect_files(path, false, &mut sources);
        }
        for path in optional_dirs {
            collect_files(path, true, &mut sources);
        }
        Library::from_sources(sources)
    }

    pub(crate) fn from_sources(sources: Vec<(String, Origin, Result<String, String>)>) -> Library {
        let mut library = Library::default();
        let mut ids: HashMap<String, String> = HashMap::new();
        for (path, origin, text) in sources {
            let text = match text {
                Ok(text) => text,
                Err(message) => {
                    library.errors.push(DeckError::whole_file(&path, message));
                    continue;
                }
            };
            match parse_deck(&path, &text) {
                Ok(deck) => {
                    // A file of the user's with a bundled deck's id is their
                    // copy of it: it takes the bundled deck's place.
                    let bundled = library
                        .decks
                        .iter()
                        .position(|d| d.deck.id == deck.id && d.origin == Origin::Bundled);
                    if let (Some(i), Origin::File(_)) = (bundled, &origin) {
                        ids.insert(deck.id.clone(), path.clone());
                        library.decks[i] = LoadedDeck {
                            deck,
                            path,
                            origin,
                            replaces_bundled: true,
                        };
                        continue;
                    }
                    if let Some(first) = ids.get(&deck.id) {
                        library.errors.push(DeckError::at(
                            &path,
                            Outline::scan(&text).field("id"),
                            format!(
                                "duplicate deck id \"{}\" (already used by {first})",
                                deck.id
                            ),
                        ));
                        continue;
                    }
                    ids.insert(deck.id.clone(), path.clone());
                    library.decks.push(LoadedDeck {
                        deck,
                        path,
                        origin,
                        replaces_bundled: false,
                    });
                }
                Err(errors) => library.errors.extend(errors),
            }
        }
        for (d, loaded) in library.decks.iter().enumerate() {
            for (q, question) in loaded.deck.questions.iter().enumerate() {
                library
                    .questions
                    .insert(CardKey::new(&loaded.deck.id, &question.id), (d, q));
            }
        }
        library
    }

    /// The deck with this id.
    pub fn deck(&self, id: &str) -> Option<&LoadedDeck> {
        self.decks.iter().find(|d| d.deck.id == id)
    }

    /// The question a card key names.
    pub fn question(&self, key: &CardKey) -> Option<&Question> {
        let &(d, q) = self.questions.get(key)?;
        Some(&self.decks[d].deck.questions[q])
    }

    /// Every card in the library, deck by deck, in file order.
    pub fn cards(&self) -> impl Iterator<Item = (CardKey, &Question)> {
        self.decks.iter().flat_map(|d| {
            d.deck
                .questions
                .iter()
                .map(move |q| (CardKey::new(&d.deck.id, &q.id), q))
        })
    }

    /// A summary of each deck, as `recall check --json` prints it.
    pub fn summaries(&self) -> Vec<DeckSummary> {
        self.decks.iter().map(DeckSummary::of).collect()
    }
}

/// Counts for one deck, for `recall check --json`.
#[derive(Debug, Clone, Serialize)]
pub struct DeckSummary {
    /// The deck's id.
    pub id: String,
    /// The deck's title.
    pub title: String,
    /// The category as the deck names it (`Coursework`, `Tools`, ...).
    pub category: String,
    /// The file label used in messages.
    pub path: String,
    /// How many questions the deck has.
    pub questions: usize,
    /// How many questions of each kind (`Flashcard`, `Cloze`, ...).
    pub by_kind: BTreeMap<String, usize>,
    /// How many questions on each topic.
    pub topics: BTreeMap<String, usize>,
}

impl DeckSummary {
    fn of(loaded: &LoadedDeck) -> DeckSummary {
        let deck = &loaded.deck;
        let mut by_kind = BTreeMap::new();
        let mut topics = BTreeMap::new();
        for q in &deck.questions {
            *by_kind.entry(q.kind.name().to_string()).or_insert(0) += 1;
            *topics.entry(q.topic.clone()).or_insert(0) += 1;
        }
        DeckSummary {
            id: deck.id.clone(),
            title: deck.title.clone(),
            category: format!("{:?}", deck.category),
            path: loaded.path.clone(),
            questions: deck.questions.len(),
            by_kind,
            topics,
        }
    }
}

fn collect_files(
    path: &Path,
    optional: bool,
    out: &mut Vec<(String, Origin, Result<String, String>)>,
) {
    let label = path.display().to_string();
    if path.is_dir() {
        let mut entries: Vec<PathBuf> = match std::fs::read_dir(path) {
            Ok(rd) => rd.filter_map(|e| e.ok().map(|e| e.path())).collect(),
            Err(e) => {
                out.push((
                    label,
                    Origin::File(path.to_path_buf()),
                    Err(format!("cannot read folder: {e}")),
                ));
                return;
            }
        };
        entries.sort();
        for entry in entries {
            if entry.is_dir() || entry.extension().is_some_and(|e| e == "ron") {
                collect_files(&entry, true, out);
            }
        }
    } else if path.exists() {
        let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read file: {e}"));
        out.push((label, Origin::File(path.to_path_buf()), text));
    } else if !optional {
        out.push((
            label,
            Origin::File(path.to_path_buf()),
            Err("no such file or folder".to_string()),
        ));
    }
}

#[cfg(test)]
mod tests;
