//! Shared fixtures: a small deck of every kind, an app over an in-memory or
//! temporary database, and a clock the test moves by hand.

#![allow(dead_code)] // each test binary uses its own part of these fixtures

use std::cell::Cell;
use std::path::{Path, PathBuf};
use std::rc::Rc;

use recall::clock::Timestamp;
use recall::deck::Library;
use recall::store::Store;
use recall::study::Study;
use recall::ui::App;

/// A deck with one question of each kind, in this order:
/// true/false, multiple choice, typed answer, cloze, flashcard.
pub const EVERY_KIND: &str = r#"(
    id: "t",
    title: "Test deck",
    category: Custom,
    description: "One of each kind",
    questions: [
        (id: "tf", topic: "Logic", prompt: "Water is wet.", kind: TrueFalse(answer: true), explanation: "It is."),
        (id: "mcq", topic: "Greek", prompt: "Which letter comes second?",
         kind: MultipleChoice(options: ["Alpha", "Beta", "Gamma"], correct: [1]), explanation: "Alpha, Beta, Gamma."),
        (id: "typed", topic: "Norms", prompt: "Name the L2 norm.", kind: TypedAnswer(accepted: ["Euclidean norm"]),
         explanation: "The straight-line length."),
        (id: "cloze", topic: "Optimization", prompt: "Fill in the blanks.",
         kind: Cloze(text: "The {{gradient}} points {{uphill|up}}."), explanation: "Descent goes the other way."),
        (id: "card", topic: "Logic", prompt: "What is modus ponens?", kind: Flashcard(answer: "From P and P → Q, infer Q."),
         explanation: "A rule of inference."),
    ],
)"#;

/// 2026-03-10 12:00 UTC.
pub const START: Timestamp = Timestamp(1_773_144_000_000);

/// A clock the test sets.
#[derive(Clone)]
pub struct TestClock(pub Rc<Cell<Timestamp>>);

impl TestClock {
    pub fn new() -> TestClock {
        TestClock(Rc::new(Cell::new(START)))
    }

    pub fn advance_secs(&self, secs: i64) {
        self.0.set(Timestamp(self.0.get().0 + secs * 1000));
    }

    pub fn boxed(&self) -> Box<dyn Fn() -> Timestamp> {
        let cell = self.0.clone();
        Box::new(move || cell.get())
    }
}

/// Writes `files` (name, text) into a new folder and loads them (no bundled decks).
pub fn library(dir: &Path, files: &[(&str, &str)]) -> Library {
    let decks = dir.join("decks");
    std::fs::create_dir_all(&decks).unwrap();
    for (name, text) in files {
        std::fs::write(decks.join(name), text).unwrap();
    }
    Library::load(false, &[decks], &[])
}

/// The database path inside `dir`.
pub fn db(dir: &Path) -> PathBuf {
    dir.join("recall.sqlite3")
}

/// An app over `files` with its database in `dir`.
pub fn app(dir: &Path, files: &[(&str, &str)], clock: &TestClock) -> App {
    let study = Study::new(library(dir, files), Store::open(&db(dir)).unwrap()).unwrap();
    App::new(Ok(study), clock.boxed())
}
