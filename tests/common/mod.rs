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

/// A deck of two topics, "Solid" and "Shaky", with four questions each.
pub const TWO_TOPICS: &str = r#"(
    id: "two",
    title: "Two topics",
    category: Custom,
    description: "A topic learned well and one that keeps slipping",
    questions: [
        (id: "s1", topic: "Solid", prompt: "S1 is true.", kind: TrueFalse(answer: true), explanation: "It is."),
        (id: "s2", topic: "Solid", prompt: "S2 is true.", kind: TrueFalse(answer: true), explanation: "It is."),
        (id: "s3", topic: "Solid", prompt: "S3 is true.", kind: TrueFalse(answer: true), explanation: "It is."),
        (id: "s4", topic: "Solid", prompt: "S4 is true.", kind: TrueFalse(answer: true), explanation: "It is."),
        (id: "k1", topic: "Shaky", prompt: "K1 is true.", kind: TrueFalse(answer: true), explanation: "It is."),
        (id: "k2", topic: "Shaky", prompt: "K2 is true.", kind: TrueFalse(answer: true), explanation: "It is."),
        (id: "k3", topic: "Shaky", prompt: "K3 is true.", kind: TrueFalse(answer: true), explanation: "It is."),
        (id: "k4", topic: "Shaky", prompt: "K4 is true.", kind: TrueFalse(answer: true), explanation: "It is."),
    ],
)"#;

/// Six answers, four of them wrong: a card answered so, three days apart,
/// has 5+ reviews and a stability under a day, so it is a leech.
pub const LEECH_RATINGS: [recall::model::Rating; 6] = {
    use recall::model::Rating::{Again, Good};
    [Good, Again, Again, Good, Again, Again]
};

/// A review log of [`TWO_TOPICS`] ending a day before `end`, oldest first:
/// each Solid card answered right four times at growing gaps, each Shaky
/// card six times, wrong four times of six. Known by construction: Shaky is
/// the weak topic and its cards are leeches (5+ reviews, stability under a day).
pub fn seeded_reviews(end: Timestamp) -> Vec<recall::store::Review> {
    use recall::model::{CardKey, Rating};
    const DAY: i64 = 86_400_000;
    let mut reviews = Vec::new();
    let start = end.0 - 40 * DAY;
    for (i, q) in ["s1", "s2", "s3", "s4"].iter().enumerate() {
        for offset in [0, 2, 9, 30] {
            reviews.push((q, start + (offset + i as i64) * DAY, Rating::Good));
        }
    }
    for (i, q) in ["k1", "k2", "k3", "k4"].iter().enumerate() {
        for (n, rating) in LEECH_RATINGS.into_iter().enumerate() {
            let day = 20 + 3 * n as i64 + i as i64;
            reviews.push((q, start + day * DAY + 1000 * n as i64, rating));
        }
    }
    reviews.sort_by_key(|r| r.1);
    reviews
        .into_iter()
        .map(|(q, at, rating)| recall::store::Review {
            key: CardKey::new("two", *q),
            reviewed_at: Timestamp(at),
            rating,
            correct: rating != Rating::Again,
            duration_ms: 4000,
            kind: "TrueFalse".into(),
            session: None,
        })
        .collect()
}

/// [`seeded_reviews`] as the CSV `recall export --reviews` writes.
pub fn seeded_reviews_csv(end: Timestamp) -> Vec<u8> {
    let mut out = Vec::new();
    recall::exchange::write_reviews(&seeded_reviews(end), &mut out).unwrap();
    out
}

/// A long history for the optimizer: 60 cards of a deck `d` (not loaded),
/// each reviewed 8 times at growing gaps from day 0; a card fails when its gap
/// outgrows what it can hold, so longer gaps fail more often.
pub fn long_history() -> Vec<recall::store::Review> {
    use recall::model::{CardKey, Rating};
    let mut reviews = Vec::new();
    for card in 0..60u32 {
        let strength = 2 + i64::from(card % 9);
        let mut day = i64::from(card % 7);
        let mut gap = 1;
        for n in 0..8 {
            let forgot = n > 0 && gap > strength * 3;
            let rating = if forgot { Rating::Again } else { Rating::Good };
            reviews.push(recall::store::Review {
                key: CardKey::new("d", format!("q{card}")),
                reviewed_at: Timestamp(START.0 - 200 * 86_400_000 + day * 86_400_000),
                rating,
                correct: !forgot,
                duration_ms: 3000,
                kind: "Flashcard".into(),
                session: None,
            });
            gap = if forgot { 1 } else { gap * 2 + 1 };
            day += gap;
        }
    }
    reviews.sort_by_key(|r| (r.reviewed_at, r.key.clone()));
    reviews
}

/// A headless window over `app`, `height` pixels tall (1100 wide), with
/// Recall's fonts. A tall window puts Home's whole deck list on screen.
pub fn harness(app: App, height: f32) -> egui_kittest::Harness<'static, App> {
    harness_of_size(app, egui::vec2(1100.0, height))
}

/// A headless window over `app` of `size` points, with Recall's fonts.
pub fn harness_of_size(app: App, size: egui::Vec2) -> egui_kittest::Harness<'static, App> {
    egui_kittest::Harness::builder()
        .with_size(size)
        .build_eframe(|cc| {
            recall::ui::setup(&cc.egui_ctx);
            app
        })
}

/// Every review the app's database holds, oldest first.
pub fn stored_reviews(h: &egui_kittest::Harness<'_, App>) -> Vec<recall::store::Review> {
    h.state()
        .study()
        .expect("the app has a study open")
        .store
        .all_reviews()
        .expect("the review log reads")
}
