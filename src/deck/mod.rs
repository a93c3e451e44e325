//! Loading and validating decks. Every problem becomes a [`DeckError`] that
//! carries `path:line:col`, so `recall check` and the app report the same
//! thing. A broken deck never stops the others from loading.

mod bundled;
mod cache;
mod index;
mod outline;
pub mod write;

use std::cell::LazyCell;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};

use serde::Serialize;

pub use bundled::BUNDLED;
pub use index::{IndexedDeck, IndexedQuestion};
pub use outline::{Outline, Pos};

use crate::grade::{ClozePart, cloze_parts};
use crate::model::{CardKey, CardRef, Deck, Question, QuestionKind};

/// The largest deck file Recall reads, in bytes (50 MB). A bigger file is
/// refused before it is read, so a stray dump in the decks folder cannot eat
/// the memory.
pub const MAX_FILE_BYTES: u64 = 50_000_000;

/// The most questions one deck may hold; a bigger collection belongs in
/// several decks.
pub const MAX_QUESTIONS: usize = 50_000;

/// The longest text one field may hold, in characters: a prompt, an
/// explanation, an answer, one option, one accepted answer, a cloze text, and
/// likewise every id, title, topic, tag and source.
pub const MAX_TEXT_CHARS: usize = 20_000;

/// How deeply RON values may nest, as RON counts them (every struct, list,
/// enum and field value is a level). The deepest real path, deck → questions
/// → question → kind → options → option, takes 11; anything much deeper is
/// refused before it can exhaust the stack.
pub const MAX_NESTING: usize = 16;

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
    let text = without_bom(text);
    if text.len() as u64 > MAX_FILE_BYTES {
        return Err(vec![DeckError::whole_file(
            path,
            too_big(text.len() as u64),
        )]);
    }
    if let Some(nul) = text.find('\0') {
        return Err(vec![DeckError::at(
            path,
            pos_at(text, nul),
            "the file contains a NUL character; it is not a text file",
        )]);
    }
    let options = ron::Options::default()
        .with_default_extension(ron::extensions::Extensions::IMPLICIT_SOME)
        .with_recursion_limit(MAX_NESTING);
    let deck: Deck = options
        .from_str(text)
        .map_err(|e| vec![syntax_error(path, e)])?;
    // Positions are only needed for errors, and scanning a big file costs.
    let outline = LazyCell::new(|| Outline::scan(text));
    let errors = validate(path, &deck, &outline);
    if errors.is_empty() {
        Ok(deck)
    } else {
        Err(errors)
    }
}

/// `text` without the byte-order mark some editors start UTF-8 files with.
fn without_bom(text: &str) -> &str {
    text.strip_prefix('\u{feff}').unwrap_or(text)
}

/// A RON error as a [`DeckError`], worded for the deck author.
fn syntax_error(path: &str, e: ron::error::SpannedError) -> DeckError {
    let pos = Pos {
        line: e.span.start.line.max(1),
        col: e.span.start.col.max(1),
    };
    let message = match e.code {
        ron::Error::ExceededRecursionLimit => {
            format!("values are nested deeper than the limit of {MAX_NESTING} levels")
        }
        code => code.to_string(),
    };
    DeckError::at(path, pos, message)
}

/// The message for a file over [`MAX_FILE_BYTES`].
fn too_big(bytes: u64) -> String {
    format!(
        "the file is {bytes} bytes, over the limit of {MAX_FILE_BYTES} bytes ({} MB) for a deck",
        MAX_FILE_BYTES / 1_000_000
    )
}

/// The position of the byte at `offset` in `text`, counted as [`Pos`] does.
fn pos_at(text: &str, offset: usize) -> Pos {
    let before = text.get(..offset).unwrap_or(text);
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    Pos {
        line: 1 + before.matches('\n').count(),
        col: 1 + before[line_start..].chars().count(),
    }
}

/// Checks the rules serde cannot: ids, empty text, limits, and each kind's
/// own rules. `outline` is only scanned when there is an error to place.
fn validate(
    path: &str,
    deck: &Deck,
    outline: &LazyCell<Outline, impl FnOnce() -> Outline>,
) -> Vec<DeckError> {
    if deck.questions.len() > MAX_QUESTIONS {
        // Past the limit, one clear error beats thousands about the rest.
        let pos = match outline.questions.get(MAX_QUESTIONS) {
            Some(q) => q.start,
            None => outline.field("questions"),
        };
        return vec![DeckError::at(
            path,
            pos,
            format!(
                "the deck has {} questions, over the limit of {MAX_QUESTIONS}; split it into several decks",
                deck.questions.len()
            ),
        )];
    }
    let mut errors = Vec::new();
    let mut deck_error = |field: &str, message: String| {
        errors.push(DeckError::at(path, outline.field(field), message))
    };
    check_id(&deck.id, "deck", |m| deck_error("id", m));
    if deck.title.trim().is_empty() {
        deck_error("title", "the deck title is empty".to_string());
    }
    for (field, value) in [("title", &deck.title), ("description", &deck.description)] {
        if let Some(m) = text_problem(&format!("the deck {field}"), value) {
            deck_error(field, m);
        }
    }
    let empty = outline::QuestionOutline::default();
    let mut seen: HashMap<&str, usize> = HashMap::new();
    for (i, q) in deck.questions.iter().enumerate() {
        let at = || outline.questions.get(i).unwrap_or(&empty);
        for problem in question_problems(q) {
            let pos = match problem.field {
                Field::Question(name) => at().field(name),
                Field::Kind(name) => at().kind_field(name),
            };
            errors.push(DeckError::at(path, pos, problem.message));
        }
        if let Some(first) = seen.insert(q.id.as_str(), i) {
            errors.push(DeckError::at(
                path,
                at().field("id"),
                format!(
                    "duplicate question id \"{}\" (question {} already uses it)",
                    shown_id(&q.id),
                    first + 1
                ),
            ));
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
    let id = shown_id(&q.id);
    for (field, value) in [
        ("topic", &q.topic),
        ("prompt", &q.prompt),
        ("explanation", &q.explanation),
    ] {
        if value.trim().is_empty() {
            push(
                Field::Question(field),
                format!("question \"{id}\" has an empty {field}"),
            );
        } else if let Some(m) = text_problem(&format!("question \"{id}\": the {field}"), value) {
            push(Field::Question(field), m);
        }
    }
    for (n, tag) in q.tags.iter().enumerate() {
        if let Some(m) = text_problem(&format!("question \"{id}\": tag {}", n + 1), tag) {
            push(Field::Question("tags"), m);
        }
    }
    if let Some(source) = &q.source
        && let Some(m) = text_problem(&format!("question \"{id}\": the source"), source)
    {
        push(Field::Question("source"), m);
    }
    kind_problems(q, &mut push);
    problems
}

/// What is wrong with one piece of text, if anything: it is longer than
/// [`MAX_TEXT_CHARS`], or holds a NUL (which no deck file may contain).
/// `what` names the text, as in `question "q": the prompt`.
fn text_problem(what: &str, text: &str) -> Option<String> {
    // Counting stops just past the limit, so a huge text costs no more.
    if text.chars().nth(MAX_TEXT_CHARS).is_some() {
        Some(format!(
            "{what} is {} characters long, over the limit of {MAX_TEXT_CHARS}",
            text.chars().count()
        ))
    } else if text.contains('\0') {
        Some(format!("{what} contains a NUL character"))
    } else {
        None
    }
}

/// An id as messages quote it: one over the length limit is cut short, so
/// the error about it does not drown the others.
fn shown_id(id: &str) -> String {
    const SHOWN: usize = 40;
    match id.char_indices().nth(SHOWN) {
        Some((end, _)) => format!("{}…", &id[..end]),
        None => id.to_string(),
    }
}

fn check_id(id: &str, what: &str, mut report: impl FnMut(String)) {
    if id.chars().nth(MAX_TEXT_CHARS).is_some() {
        report(format!(
            "the {what} id is {} characters long, over the limit of {MAX_TEXT_CHARS}",
            id.chars().count()
        ));
    } else if id.trim().is_empty() {
        report(format!("the {what} id is empty"));
    } else if id.contains('\0') {
        report(format!("the {what} id contains a NUL character"));
    } else if id.contains('/') || id.chars().any(char::is_whitespace) {
        report(format!(
            "the {what} id \"{id}\" must not contain spaces or '/'"
        ));
    }
}

fn kind_problems(q: &Question, push: &mut impl FnMut(Field, String)) {
    let id = shown_id(&q.id);
    match &q.kind {
        QuestionKind::Flashcard { answer } => {
            if answer.trim().is_empty() {
                push(
                    Field::Kind("answer"),
                    format!("flashcard \"{id}\" has an empty answer"),
                );
            }
            if let Some(m) = text_problem(&format!("flashcard \"{id}\": the answer"), answer) {
                push(Field::Kind("answer"), m);
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
            for (n, option) in options.iter().enumerate() {
                if let Some(m) = text_problem(
                    &format!("multiple-choice question \"{id}\": option {}", n + 1),
                    option,
                ) {
                    push(Field::Kind("options"), m);
                } else if option.trim().is_empty() {
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
            for (n, answer) in accepted.iter().enumerate() {
                if let Some(m) = text_problem(
                    &format!("typed-answer question \"{id}\": accepted answer {}", n + 1),
                    answer,
                ) {
                    push(Field::Kind("accepted"), m);
                }
            }
        }
        QuestionKind::Cloze { text } => {
            if let Some(m) = text_problem(&format!("cloze \"{id}\": the text"), text) {
                push(Field::Kind("text"), m);
                return;
            }
            match cloze_parts(text) {
                Err(problem) => push(Field::Kind("text"), format!("cloze \"{id}\": {problem}")),
                Ok(parts) if !parts.iter().any(|p| matches!(p, ClozePart::Blank(_))) => push(
                    Field::Kind("text"),
                    format!("cloze \"{id}\" has no blank; mark one as {{{{answer}}}}"),
                ),
                Ok(_) => {}
            }
        }
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
    /// The deck as written, after validation, without its questions' text
    /// (see [`LoadedDeck::full`]).
    pub deck: IndexedDeck,
    /// The label used in messages: `decks/<file>` for bundled decks.
    pub path: String,
    /// Whether it ships with Recall or is one of the user's files.
    pub origin: Origin,
    /// Whether it is the user's copy of a bundled deck, shown in its place.
    pub replaces_bundled: bool,
    /// The file's stamp when it was read; `None` for bundled decks.
    stamp: Option<Stamp>,
    /// Where its questions' text is.
    text: Text,
}

/// Where a loaded deck's questions' text is.
#[derive(Debug, Clone)]
enum Text {
    /// In memory: bundled decks, decks loaded without a cache folder, and
    /// decks whose cache entry could not be written.
    Held(Vec<Question>),
    /// In the deck cache, read when needed.
    Cached(cache::Lines),
}

impl LoadedDeck {
    /// The whole deck, its questions' text included. Text kept in the deck
    /// cache is read from there; if the entry has gone or been replaced
    /// since, the deck's file is parsed again, as long as it is unchanged.
    pub fn full(&self) -> Result<Deck, DeckError> {
        let questions = match &self.text {
            Text::Held(questions) => questions.clone(),
            Text::Cached(lines) => match lines.questions(&self.deck) {
                Some(questions) => questions,
                None => self.parse_again()?.questions,
            },
        };
        Ok(self.deck.with_text(questions))
    }

    /// The text of the deck's question `i`.
    fn question(&self, i: usize) -> Option<Question> {
        match &self.text {
            Text::Held(questions) => questions.get(i).cloned(),
            Text::Cached(lines) => {
                let id = self.deck.question(i)?.id;
                lines.question(i, id).or_else(|| {
                    let mut deck = self.parse_again().ok()?;
                    (i < deck.questions.len()).then(|| deck.questions.swap_remove(i))
                })
            }
        }
    }

    /// The deck parsed from its file again, if the file is as it was when
    /// the deck was loaded.
    fn parse_again(&self) -> Result<Deck, DeckError> {
        let gone = |why: &str| DeckError::whole_file(&self.path, why);
        let (Origin::File(path), Some(stamp)) = (&self.origin, self.stamp) else {
            return Err(gone("the deck's text is no longer in memory"));
        };
        if Stamp::of(path) != Some(stamp) {
            return Err(gone(
                "the file has changed since it was loaded; it will be loaded again",
            ));
        }
        let text = read_deck_file(&self.path, path)?;
        let deck = parse_deck(&self.path, &text).map_err(|mut errors| errors.swap_remove(0))?;
        if IndexedDeck::of(&deck) != self.deck {
            return Err(gone(
                "the file has changed since it was loaded; it will be loaded again",
            ));
        }
        Ok(deck)
    }
}

/// A deck file's size, modification time and (on Unix) inode. A reload
/// parses again only the files whose stamp changed, so a big library reloads
/// in milliseconds. Recall writes decks by renaming a new file into place, so
/// its own saves always get a new inode, even where the clock is coarse.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
struct Stamp {
    len: u64,
    modified: Option<std::time::SystemTime>,
    inode: u64,
}

impl Stamp {
    fn of(path: &Path) -> Option<Stamp> {
        Some(Stamp::of_metadata(&std::fs::metadata(path).ok()?))
    }

    /// The stamp of the open file `file`.
    fn of_file(file: &std::fs::File) -> Option<Stamp> {
        Some(Stamp::of_metadata(&file.metadata().ok()?))
    }

    fn of_metadata(meta: &std::fs::Metadata) -> Stamp {
        #[cfg(unix)]
        let inode = std::os::unix::fs::MetadataExt::ino(meta);
        #[cfg(not(unix))]
        let inode = 0;
        Stamp {
            len: meta.len(),
            modified: meta.modified().ok(),
            inode,
        }
    }
}

/// A deck found bundled or on disk, before it is checked against the others.
struct Found {
    label: String,
    origin: Origin,
    stamp: Option<Stamp>,
    content: Result<Content, DeckError>,
}

/// A found deck's text, the file to read it from, or the deck itself when
/// it was parsed before and its file has not changed since.
enum Content {
    Text(String),
    /// Read by the thread that parses it, so the text of every file is
    /// never in memory at once.
    File(PathBuf),
    /// A deck taken over from the library being reloaded, with its index there.
    Parsed(usize, Box<Indexed>),
}

/// A loaded deck's index and where its text is.
type Indexed = (IndexedDeck, Text);

/// Decks parsed before, to be taken again when their file is unchanged.
#[derive(Default)]
struct Parsed {
    bundled: HashMap<String, (usize, Indexed)>,
    files: HashMap<PathBuf, (Stamp, usize, Indexed)>,
    /// Decks of the old library that cannot be taken over, with their index.
    retired: Vec<(usize, IndexedDeck)>,
}

impl Parsed {
    fn from(library: Library) -> Parsed {
        let mut parsed = Parsed::default();
        for (i, loaded) in library.decks.into_iter().enumerate() {
            let indexed = (loaded.deck, loaded.text);
            match (loaded.origin, loaded.stamp) {
                (Origin::Bundled, _) => {
                    parsed.bundled.insert(loaded.path, (i, indexed));
                }
                (Origin::File(path), Some(stamp)) => {
                    parsed.files.insert(path, (stamp, i, indexed));
                }
                (Origin::File(_), None) => parsed.retired.push((i, indexed.0)),
            }
        }
        parsed
    }

    /// The decks that were not taken over.
    fn into_retired(mut self) -> Vec<(usize, IndexedDeck)> {
        self.retired
            .extend(self.bundled.into_values().map(|(i, (deck, _))| (i, deck)));
        self.retired
            .extend(self.files.into_values().map(|(_, i, (deck, _))| (i, deck)));
        self.retired
    }
}

/// How a reloaded library's decks relate to the library it replaced (see
/// [`Library::reload_tracked`]).
#[derive(Debug, Default)]
pub struct Reloaded {
    /// For each deck of the new library, its index in the old one when it
    /// was taken over unchanged (the same deck, with the same questions).
    pub kept: Vec<Option<usize>>,
    /// The old library's decks that were not taken over (changed, gone, or
    /// now shadowed), each with its index there.
    pub retired: Vec<(usize, IndexedDeck)>,
}

impl Reloaded {
    /// Whether the new library holds the old one's decks, all of them, in
    /// the same order: then its cards are the same, in the same order.
    pub fn unchanged(&self) -> bool {
        self.retired.is_empty() && self.kept.iter().enumerate().all(|(i, &old)| old == Some(i))
    }
}

/// Where a card is: its position in [`Library::cards`] order, with its
/// key's [`CardRef::key_hash`]. [`Library::locate`] finds its deck.
#[derive(Debug, Clone, Copy)]
struct Place {
    hash: u64,
    position: u32,
}

/// Every deck Recall knows about, plus the ones that failed to load.
#[derive(Debug, Clone, Default)]
pub struct Library {
    /// The decks that loaded, bundled ones first.
    pub decks: Vec<LoadedDeck>,
    /// The problems in the files that did not load, listed under *Decks with errors*.
    pub errors: Vec<DeckError>,
    /// Each card's position in [`Library::cards`] order, by its key's
    /// stable hash; the text is the decks' own, so the ids are not held twice.
    questions: hashbrown::HashTable<Place>,
    /// Where each deck's first card is in [`Library::cards`] order.
    starts: Vec<usize>,
    /// The hashes that two different keys here share (almost surely none):
    /// only the text tells those cards apart.
    shared_hashes: Vec<u64>,
    /// Where parsed deck files are kept between runs, if anywhere.
    cache: Option<PathBuf>,
    /// Questions read lately.
    recent: Recent,
}

/// The questions read lately, each with its position in [`Library::cards`]
/// order, so a card shown on many frames is read once. Oldest first.
#[derive(Debug, Default)]
struct Recent(Mutex<Vec<(usize, Arc<Question>)>>);

impl Recent {
    /// How many questions are kept.
    const LEN: usize = 64;
}

impl Clone for Recent {
    fn clone(&self) -> Recent {
        Recent::default()
    }
}

impl Library {
    /// Loads the bundled decks (when `bundled`) and every `.ron` file found in
    /// `paths` (files, or folders searched recursively). Missing folders are
    /// skipped silently only when `optional_dirs` says so.
    pub fn load(bundled: bool, paths: &[PathBuf], optional_dirs: &[PathBuf]) -> Library {
        Library::load_reusing(Parsed::default(), bundled, paths, optional_dirs, None).0
    }

    /// Loads like [`Library::load`], taking the decks of unchanged files
    /// from the cache folder `cache` and keeping newly parsed ones there (see
    /// the `cache` module). Reloads of the library use the same folder.
    pub fn load_cached(
        bundled: bool,
        paths: &[PathBuf],
        optional_dirs: &[PathBuf],
        cache: &Path,
    ) -> Library {
        Library::load_reusing(
            Parsed::default(),
            bundled,
            paths,
            optional_dirs,
            Some(cache.to_path_buf()),
        )
        .0
    }

    /// Loads the decks again, like [`Library::load`], but takes the decks of
    /// files that have not changed (the same size, modification time and
    /// inode) from this library instead of reading and checking them again.
    pub fn reload(self, bundled: bool, paths: &[PathBuf], optional_dirs: &[PathBuf]) -> Library {
        self.reload_tracked(bundled, paths, optional_dirs).0
    }

    /// Reloads like [`Library::reload`], and tells which decks were taken
    /// over and which were not, so what is kept per card can follow them.
    pub fn reload_tracked(
        self,
        bundled: bool,
        paths: &[PathBuf],
        optional_dirs: &[PathBuf],
    ) -> (Library, Reloaded) {
        let cache = self.cache.clone();
        Library::load_reusing(Parsed::from(self), bundled, paths, optional_dirs, cache)
    }

    fn load_reusing(
        mut parsed: Parsed,
        bundled: bool,
        paths: &[PathBuf],
        optional_dirs: &[PathBuf],
        cache: Option<PathBuf>,
    ) -> (Library, Reloaded) {
        let mut found: Vec<Found> = Vec::new();
        if bundled {
            for (name, text) in BUNDLED {
                let label = format!("decks/{name}");
                let content = match parsed.bundled.remove(&label) {
                    Some((i, deck)) => Content::Parsed(i, Box::new(deck)),
                    None => Content::Text(text.to_string()),
                };
                found.push(Found {
                    label,
                    origin: Origin::Bundled,
                    stamp: None,
                    content: Ok(content),
                });
            }
        }
        let mut seen = HashSet::new();
        for path in paths {
            collect_files(path, false, &mut seen, &mut parsed, &mut found);
        }
        for path in optional_dirs {
            collect_files(path, true, &mut seen, &mut parsed, &mut found);
        }
        let (library, mut reloaded) = Library::from_found(found, cache);
        reloaded.retired.extend(parsed.into_retired());
        (library, reloaded)
    }

    /// A library of in-memory sources, for tests.
    #[cfg(test)]
    pub(crate) fn from_sources(sources: Vec<Source>) -> Library {
        Library::from_found(
            sources
                .into_iter()
                .map(|(label, origin, text)| Found {
                    label,
                    origin,
                    stamp: None,
                    content: text.map(Content::Text),
                })
                .collect(),
            None,
        )
        .0
    }

    fn from_found(found: Vec<Found>, cache: Option<PathBuf>) -> (Library, Reloaded) {
        let mut library = Library {
            cache,
            ..Library::default()
        };
        let mut reloaded = Reloaded::default();
        let cache = library.cache.as_deref();
        let mut ids: HashMap<String, String> = HashMap::new();
        // Parsing and checking is nearly all of the work: the files are
        // parsed on every core, then put together in order on this thread.
        let checked = in_parallel(found, |f| {
            let old = match &f.content {
                Ok(Content::Parsed(i, _)) => Some(*i),
                _ => None,
            };
            let deck = match f.content {
                Ok(Content::Parsed(_, indexed)) => Ok((*indexed, None)),
                Ok(Content::Text(text)) => parse_deck(&f.label, &text).map(|deck| {
                    (
                        (IndexedDeck::of(&deck), Text::Held(deck.questions)),
                        Some(text),
                    )
                }),
                // The text goes once parsed; an error about the deck's id
                // reads the file again (see `id_position`).
                Ok(Content::File(path)) => {
                    load_file(&f.label, &path, f.stamp, cache).map(|deck| (deck, None))
                }
                Err(error) => Err(vec![error]),
            };
            (f.label, f.origin, f.stamp, deck, old)
        });
        for (path, origin, stamp, deck, old) in checked {
            let ((deck, questions), text) = match deck {
                Ok(deck) => deck,
                Err(errors) => {
                    library.errors.extend(errors);
                    continue;
                }
            };
            // A file of the user's with a bundled deck's id is their copy of
            // it: it takes the bundled deck's place.
            let bundled = library
                .decks
                .iter()
                .position(|d| d.deck.id == deck.id && d.origin == Origin::Bundled);
            if let (Some(i), Origin::File(_)) = (bundled, &origin) {
                ids.insert(deck.id.clone(), path.clone());
                let copy = LoadedDeck {
                    deck,
                    path,
                    origin,
                    replaces_bundled: true,
                    stamp,
                    text: questions,
                };
                let shadowed = std::mem::replace(&mut library.decks[i], copy);
                if let Some(slot) = reloaded.kept.get_mut(i)
                    && let Some(was) = std::mem::replace(slot, old)
                {
                    reloaded.retired.push((was, shadowed.deck));
                }
                continue;
            }
            if let Some(first) = ids.get(&deck.id) {
                library.errors.push(DeckError::at(
                    &path,
                    id_position(text, &origin),
                    format!(
                        "duplicate deck id \"{}\" (already used by {first})",
                        deck.id
                    ),
                ));
                if let Some(was) = old {
                    reloaded.retired.push((was, deck));
                }
                continue;
            }
            ids.insert(deck.id.clone(), path.clone());
            library.decks.push(LoadedDeck {
                deck,
                path,
                origin,
                replaces_bundled: false,
                stamp,
                text: questions,
            });
            reloaded.kept.push(old);
        }
        library.index_questions();
        (library, reloaded)
    }

    /// Fills the index of questions by key. A key seen twice keeps its
    /// first place (a deck with repeated question ids does not load anyway).
    fn index_questions(&mut self) {
        let mut index: hashbrown::HashTable<Place> =
            hashbrown::HashTable::with_capacity(self.card_count());
        let mut shared = Vec::new();
        let mut position = 0;
        self.starts = Vec::with_capacity(self.decks.len());
        let mut start = 0;
        for loaded in &self.decks {
            self.starts.push(start);
            start += loaded.deck.len();
        }
        for loaded in &self.decks {
            let deck_hash = crate::model::deck_hash(&loaded.deck.id);
            for question in loaded.deck.questions() {
                let key = CardRef {
                    deck: &loaded.deck.id,
                    question: question.id,
                };
                let hash = crate::model::question_hash(deck_hash, question.id);
                // Past 4 billion cards (never), the rest go unindexed.
                let Ok(at) = u32::try_from(position) else {
                    break;
                };
                let place = Place { hash, position: at };
                position += 1;
                match index.find(hash, |p| p.hash == hash) {
                    None => {}
                    Some(first) if self.key_at(first) == key => continue,
                    Some(_) => {
                        // Two keys, one hash; a third key of the same hash
                        // is told apart by its text too.
                        if self.find(hash, key, &index).is_some() {
                            continue;
                        }
                        shared.push(hash);
                    }
                }
                index.insert_unique(hash, place, |p| p.hash);
            }
        }
        self.questions = index;
        self.shared_hashes = shared;
    }

    /// The deck (its index in [`Library::decks`]) and the index in that
    /// deck's questions of the card at `position` in [`Library::cards`] order.
    fn locate(&self, position: usize) -> Option<(usize, usize)> {
        let deck = self
            .starts
            .partition_point(|&s| s <= position)
            .checked_sub(1)?;
        Some((deck, position - self.starts[deck]))
    }

    /// The key of the card at `place`.
    fn key_at(&self, place: &Place) -> CardRef<'_> {
        let (deck, question) = self.locate(place.position as usize).unwrap_or_default();
        let deck = &self.decks[deck].deck;
        CardRef {
            deck: &deck.id,
            question: deck.question(question).map_or("", |q| q.id),
        }
    }

    /// The place of the card `key`, whose hash is `hash`, in `index`.
    fn find(
        &self,
        hash: u64,
        key: CardRef<'_>,
        index: &hashbrown::HashTable<Place>,
    ) -> Option<Place> {
        index
            .find(hash, |p| p.hash == hash && self.key_at(p) == key)
            .copied()
    }

    /// The place of the card `key`.
    fn place(&self, key: CardRef<'_>) -> Option<Place> {
        self.find(key.key_hash(), key, &self.questions)
    }

    /// How many questions the loaded decks hold.
    pub fn question_count(&self) -> usize {
        self.questions.len()
    }

    /// How many entries [`Library::cards`] yields: every question of every
    /// loaded deck.
    pub fn card_count(&self) -> usize {
        self.decks.iter().map(|d| d.deck.len()).sum()
    }

    /// The deck with this id.
    pub fn deck(&self, id: &str) -> Option<&LoadedDeck> {
        self.decks.iter().find(|d| d.deck.id == id)
    }

    /// The question a card key names, with its text: `None` when no card
    /// has that key, or when its text can no longer be read (see
    /// [`LoadedDeck::full`]).
    pub fn question(&self, key: &CardKey) -> Option<Arc<Question>> {
        let position = self.position(key.borrowed())?;
        let mut recent = self.recent.0.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some((_, question)) = recent.iter().find(|(at, _)| *at == position) {
            return Some(question.clone());
        }
        let (deck, i) = self.locate(position)?;
        let question = Arc::new(self.decks[deck].question(i)?);
        if recent.len() == Recent::LEN {
            recent.remove(0);
        }
        recent.push((position, question.clone()));
        Some(question)
    }

    /// What the library indexes of the question a card key names.
    pub fn indexed(&self, key: CardRef<'_>) -> Option<IndexedQuestion<'_>> {
        self.indexed_at(self.position(key)?)
    }

    /// What the library indexes of the card at `position` in
    /// [`Library::cards`] order.
    pub fn indexed_at(&self, position: usize) -> Option<IndexedQuestion<'_>> {
        let (deck, i) = self.locate(position)?;
        self.decks[deck].deck.question(i)
    }

    /// A card's position in [`Library::cards`] order.
    pub fn position(&self, key: CardRef<'_>) -> Option<usize> {
        self.place(key).map(|p| p.position as usize)
    }

    /// The position in [`Library::cards`] order of the card whose key's
    /// [`CardRef::key_hash`] is `hash`, without the key's text: `None` when
    /// no card's key has that hash, or when two do (then only the text can
    /// tell, through [`Library::position`]).
    pub fn position_of_hash(&self, hash: u64) -> Option<usize> {
        if self.shared_hashes.contains(&hash) {
            return None;
        }
        let place = self.questions.find(hash, |p| p.hash == hash)?;
        Some(place.position as usize)
    }

    /// Each deck with its questions' share of `per_card`, a list in
    /// [`Library::cards`] order (one entry per card). A list too short
    /// leaves the last decks' shares short or empty.
    pub fn by_deck<'a, T>(
        &'a self,
        per_card: &'a [T],
    ) -> impl Iterator<Item = (&'a LoadedDeck, &'a [T])> {
        let mut rest = per_card;
        self.decks.iter().map(move |loaded| {
            let (mine, others) = rest.split_at(loaded.deck.len().min(rest.len()));
            rest = others;
            (loaded, mine)
        })
    }

    /// Every card in the library, deck by deck, in file order.
    pub fn cards(&self) -> impl Iterator<Item = (CardRef<'_>, IndexedQuestion<'_>)> {
        self.decks.iter().flat_map(|d| {
            d.deck.questions().map(move |q| {
                let key = CardRef {
                    deck: &d.deck.id,
                    question: q.id,
                };
                (key, q)
            })
        })
    }

    /// A summary of each deck, as `recall check --json` prints it.
    pub fn summaries(&self) -> Vec<DeckSummary> {
        self.decks.iter().map(DeckSummary::of).collect()
    }
}

/// `work` applied to each of `items`, in order, spread over the machine's
/// cores: each thread takes the next item left until none are.
fn in_parallel<T: Send, R: Send>(items: Vec<T>, work: impl Fn(T) -> R + Sync) -> Vec<R> {
    let threads = std::thread::available_parallelism()
        .map_or(1, std::num::NonZero::get)
        .min(items.len());
    if threads <= 1 {
        return items.into_iter().map(work).collect();
    }
    let queue = std::sync::Mutex::new(items.into_iter().enumerate());
    let take = || {
        queue
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .next()
    };
    let mut done: Vec<(usize, R)> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(|| {
                    let mut mine = Vec::new();
                    while let Some((i, item)) = take() {
                        mine.push((i, work(item)));
                    }
                    mine
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|worker| {
                worker
                    .join()
                    .unwrap_or_else(|e| std::panic::resume_unwind(e))
            })
            .collect()
    });
    done.sort_unstable_by_key(|(i, _)| *i);
    done.into_iter().map(|(_, r)| r).collect()
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
        for q in deck.questions() {
            *by_kind.entry(q.kind.to_string()).or_insert(0) += 1;
            *topics.entry(q.topic.to_string()).or_insert(0) += 1;
        }
        DeckSummary {
            id: deck.id.clone(),
            title: deck.title.clone(),
            category: format!("{:?}", deck.category),
            path: loaded.path.clone(),
            questions: deck.len(),
            by_kind,
            topics,
        }
    }
}

/// One deck file to load: its label, where it came from, and its text or
/// why it could not be read.
#[cfg(test)]
pub(crate) type Source = (String, Origin, Result<String, DeckError>);

/// Where a deck's `id` is written, for an error about it: found in `text`,
/// or in the file read again when the deck was taken from an earlier load.
fn id_position(text: Option<String>, origin: &Origin) -> Pos {
    let text = match (text, origin) {
        (Some(text), _) => text,
        (None, Origin::File(path)) => std::fs::read_to_string(path).unwrap_or_default(),
        (None, Origin::Bundled) => String::new(),
    };
    Outline::scan(without_bom(&text)).field("id")
}

/// Adds the deck file `path`, or every `.ron` file under the folder `path`,
/// to `out`, taking a file's deck from `parsed` when the file is unchanged.
/// `seen` holds the folders already searched: a symbolic link back up the
/// tree would otherwise be followed again and again.
fn collect_files(
    path: &Path,
    optional: bool,
    seen: &mut HashSet<PathBuf>,
    parsed: &mut Parsed,
    out: &mut Vec<Found>,
) {
    let label = path.display().to_string();
    let origin = Origin::File(path.to_path_buf());
    if path.is_dir() {
        if !seen.insert(path.canonicalize().unwrap_or_else(|_| path.to_path_buf())) {
            return;
        }
        let mut entries: Vec<PathBuf> = match std::fs::read_dir(path) {
            Ok(rd) => rd.filter_map(|e| e.ok().map(|e| e.path())).collect(),
            Err(e) => {
                let error = DeckError::whole_file(&label, format!("cannot read folder: {e}"));
                out.push(Found {
                    label,
                    origin,
                    stamp: None,
                    content: Err(error),
                });
                return;
            }
        };
        entries.sort();
        for entry in entries {
            if entry.is_dir() || entry.extension().is_some_and(|e| e == "ron") {
                collect_files(&entry, true, seen, parsed, out);
            }
        }
    } else if path.exists() {
        // Stamped before reading: a file changed meanwhile is read again next time.
        let stamp = Stamp::of(path);
        let content = match (parsed.files.remove(path), stamp) {
            (Some((before, i, deck)), Some(now)) if before == now => {
                Ok(Content::Parsed(i, Box::new(deck)))
            }
            (old, _) => {
                if let Some((_, i, deck)) = old {
                    parsed.retired.push((i, deck.0));
                }
                Ok(Content::File(path.to_path_buf()))
            }
        };
        out.push(Found {
            label,
            origin,
            stamp,
            content,
        });
    } else if !optional {
        let error = DeckError::whole_file(&label, "no such file or folder");
        out.push(Found {
            label,
            origin,
            stamp: None,
            content: Err(error),
        });
    }
}

/// The deck in the file `path`, stamped `stamp` before it was read: from the
/// cache folder `cache` when it holds the file as it is, or else parsed and
/// checked (and then kept there).
fn load_file(
    label: &str,
    path: &Path,
    stamp: Option<Stamp>,
    cache: Option<&Path>,
) -> Result<Indexed, Vec<DeckError>> {
    let cache = cache.zip(stamp);
    if let Some((index, lines)) = cache.and_then(|(dir, stamp)| cache::read(dir, path, stamp)) {
        return Ok((index, Text::Cached(lines)));
    }
    let text = read_deck_file(label, path).map_err(|e| vec![e])?;
    let deck = parse_deck(label, &text)?;
    drop(text);
    let index = IndexedDeck::of(&deck);
    // The text stays in memory only when it cannot be kept in the cache.
    let text = match cache.and_then(|(dir, stamp)| cache::write(dir, path, stamp, &deck)) {
        Some(lines) => Text::Cached(lines),
        None => Text::Held(deck.questions),
    };
    Ok((index, text))
}

/// Reads a deck file as UTF-8 text, refusing one over [`MAX_FILE_BYTES`]
/// before reading it. Bytes that are not UTF-8 are reported where they are.
fn read_deck_file(label: &str, path: &Path) -> Result<String, DeckError> {
    let cannot_read =
        |e: std::io::Error| DeckError::whole_file(label, format!("cannot read file: {e}"));
    let file = std::fs::File::open(path).map_err(cannot_read)?;
    let size = file.metadata().map_err(cannot_read)?.len();
    if size > MAX_FILE_BYTES {
        return Err(DeckError::whole_file(label, too_big(size)));
    }
    // The file may grow after the check, or be a device that reports no size.
    let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0).saturating_add(1));
    file.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(cannot_read)?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(DeckError::whole_file(
            label,
            format!(
                "the file is over the limit of {MAX_FILE_BYTES} bytes ({} MB) for a deck",
                MAX_FILE_BYTES / 1_000_000
            ),
        ));
    }
    String::from_utf8(bytes).map_err(|e| {
        let valid = e.utf8_error().valid_up_to();
        let bytes = e.as_bytes();
        let before = String::from_utf8_lossy(&bytes[..valid]);
        let message = match (e.utf8_error().error_len(), bytes.get(valid)) {
            (Some(_), Some(byte)) => {
                format!(
                    "the file is not UTF-8 text (found the byte 0x{byte:02X}); save it as UTF-8"
                )
            }
            _ => "the file ends in the middle of a UTF-8 character".to_string(),
        };
        DeckError::at(label, pos_at(&before, before.len()), message)
    })
}

#[cfg(test)]
mod tests;
