//! The Anki package importer on packages made by Anki's own library (see
//! `tests/fixtures/anki/README.md`): the current layout (`collection.anki21b`),
//! the legacy one (`collection.anki21`) and Anki 2.0's (`collection.anki2`)
//! all give the same decks and history; broken files fail with a clear message.

use std::io::Write;
use std::path::{Path, PathBuf};

use recall::clock::Timestamp;
use recall::import::anki::read_apkg;
use recall::import::{ImportError, Imported};
use recall::model::{Category, QuestionKind, Rating};

const LAYOUTS: [&str; 3] = ["current.apkg", "legacy.apkg", "anki2.apkg"];

// Note ids in the fixtures (the notes' creation times).
const SGD: &str = "n1795772944056";
const EPOCH: &str = "n1795772944058";
const ADAM: &str = "n1795772944059";
const PARIS: &str = "n1795772944066";
const ROC: &str = "n1795772944067";
const HOLA: &str = "n1795772944073";
const SER: &str = "n1795772944074";

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/anki")
        .join(name)
}

fn read(name: &str) -> Imported {
    read_apkg(&fixture(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn flashcard(answer: &str) -> QuestionKind {
    QuestionKind::Flashcard {
        answer: answer.to_string(),
    }
}

fn format_error(path: &Path) -> String {
    match read_apkg(path) {
        Err(ImportError::Format(message)) => message,
        other => panic!("expected a format error, got {other:?}"),
    }
}

#[test]
fn every_layout_gives_one_deck_per_top_level_deck() {
    for name in LAYOUTS {
        let imported = read(name);
        let decks: Vec<(&str, &str, Category, &str)> = imported
            .decks
            .iter()
            .map(|d| {
                (
                    d.id.as_str(),
                    d.title.as_str(),
                    d.category,
                    d.description.as_str(),
                )
            })
            .collect();
        let description = format!("Imported from {name}");
        assert_eq!(
            decks,
            [
                (
                    "recall-fixture",
                    "Recall Fixture",
                    Category::Custom,
                    description.as_str()
                ),
                ("spanish", "Spanish", Category::Custom, description.as_str()),
            ],
            "{name}"
        );
    }
}

#[test]
fn every_layout_maps_notes_to_questions() {
    for name in LAYOUTS {
        let imported = read(name);
        let fixture_deck = &imported.decks[0];
        let questions: Vec<(&str, &str, &str, &QuestionKind)> = fixture_deck
            .questions
            .iter()
            .map(|q| (q.id.as_str(), q.topic.as_str(), q.prompt.as_str(), &q.kind))
            .collect();
        let (sgd, epoch_front, epoch_back, adam, paris, roc) = (
            format!("{SGD}-c0"),
            format!("{EPOCH}-c0"),
            format!("{EPOCH}-c1"),
            ADAM.to_string(),
            format!("{PARIS}-c0"),
            format!("{ROC}-c0"),
        );
        let expected = [
            (
                sgd.as_str(),
                "Recall Fixture",
                "What does **SGD** stand for?",
                &flashcard("Stochastic gradient descent"),
            ),
            (
                epoch_front.as_str(),
                "Recall Fixture",
                "Epoch",
                &flashcard("One full pass over the *training* data"),
            ),
            // The reversed card swaps front and back.
            (
                epoch_back.as_str(),
                "Recall Fixture",
                "One full pass over the *training* data",
                &flashcard("Epoch"),
            ),
            // One question per cloze note, whatever its number of deletions.
            (
                adam.as_str(),
                "Sub",
                "Fill in the blanks.",
                &QuestionKind::Cloze {
                    text: "{{Adam}} combines momentum with {{RMSProp}}.".to_string(),
                },
            ),
            (
                paris.as_str(),
                "Sub",
                "Capital of *France*?",
                &QuestionKind::TypedAnswer {
                    accepted: vec!["Paris".to_string()],
                },
            ),
            // The image and the sound are dropped; the HTML list becomes markdown.
            (
                roc.as_str(),
                "Recall Fixture",
                "Which curve is this?",
                &flashcard("A **ROC** curve:\n- true positives\n- false positives"),
            ),
        ];
        assert_eq!(questions, expected, "{name}");

        let spanish: Vec<(&str, &str, &str, &QuestionKind)> = imported.decks[1]
            .questions
            .iter()
            .map(|q| (q.id.as_str(), q.topic.as_str(), q.prompt.as_str(), &q.kind))
            .collect();
        let (hola, ser) = (format!("{HOLA}-c0"), format!("{SER}-c0"));
        assert_eq!(
            spanish,
            [
                (hola.as_str(), "Spanish", "hola", &flashcard("hello")),
                (
                    ser.as_str(),
                    "Verbs::Irregular",
                    "ser (yo)",
                    &flashcard("soy")
                ),
            ],
            "{name}"
        );
    }
}

#[test]
fn tags_and_explanations_carry_over() {
    for name in LAYOUTS {
        let imported = read(name);
        let by_id = |id: &str| {
            imported
                .decks
                .iter()
                .flat_map(|d| &d.questions)
                .find(|q| q.id == id)
                .unwrap_or_else(|| panic!("{name}: no question {id}"))
        };
        let sgd = by_id(&format!("{SGD}-c0"));
        assert_eq!(sgd.tags, ["ml", "optimisation"], "{name}");
        assert_eq!(
            sgd.explanation, "Imported from Anki (deck \"Recall Fixture\").",
            "{name}"
        );
        // The cloze note's Back Extra field is the explanation, entities decoded.
        let adam = by_id(ADAM);
        assert_eq!(adam.tags, ["ml::optimizers"], "{name}");
        assert_eq!(adam.explanation, "Kingma & Ba, 2014", "{name}");
        let paris = by_id(&format!("{PARIS}-c0"));
        assert!(paris.tags.is_empty(), "{name}");
        assert_eq!(
            paris.explanation, "Imported from Anki (deck \"Recall Fixture::Sub\").",
            "{name}"
        );
        assert_eq!(by_id(&format!("{SER}-c0")).tags, ["spanish", "verbs"]);
        assert!(
            imported
                .decks
                .iter()
                .flat_map(|d| &d.questions)
                .all(|q| q.source.is_none())
        );
    }
}

#[test]
fn every_layout_brings_the_review_history() {
    for name in LAYOUTS {
        let imported = read(name);
        let reviews: Vec<(String, Timestamp, Rating, bool, i64, &str)> = imported
            .reviews
            .iter()
            .map(|r| {
                assert_eq!(r.session, None);
                (
                    r.key.to_string(),
                    r.reviewed_at,
                    r.rating,
                    r.correct,
                    r.duration_ms,
                    r.kind.as_str(),
                )
            })
            .collect();
        // The fixture answers a minute apart from 2024-01-01 09:00 UTC.
        let at = |minute: i64| Timestamp(1_704_099_600_000 + minute * 60_000);
        let fixture = |question: String| format!("recall-fixture/{question}");
        assert_eq!(
            reviews,
            [
                (
                    fixture(format!("{SGD}-c0")),
                    at(0),
                    Rating::Good,
                    true,
                    4200,
                    "Flashcard"
                ),
                (
                    fixture(format!("{EPOCH}-c0")),
                    at(1),
                    Rating::Again,
                    false,
                    8000,
                    "Flashcard"
                ),
                (
                    fixture(format!("{EPOCH}-c0")),
                    at(2),
                    Rating::Good,
                    true,
                    3100,
                    "Flashcard"
                ),
                (
                    fixture(format!("{EPOCH}-c1")),
                    at(3),
                    Rating::Hard,
                    true,
                    6500,
                    "Flashcard"
                ),
                // Both cloze cards map to the note's one question.
                (
                    fixture(ADAM.to_string()),
                    at(4),
                    Rating::Easy,
                    true,
                    2000,
                    "Cloze"
                ),
                (
                    fixture(ADAM.to_string()),
                    at(5),
                    Rating::Again,
                    false,
                    9000,
                    "Cloze"
                ),
                (
                    fixture(format!("{PARIS}-c0")),
                    at(6),
                    Rating::Good,
                    true,
                    5000,
                    "TypedAnswer"
                ),
                (
                    format!("spanish/{SER}-c0"),
                    at(7),
                    Rating::Easy,
                    true,
                    1500,
                    "Flashcard"
                ),
            ],
            "{name}"
        );
    }
}

#[test]
fn what_is_left_out_is_reported() {
    for name in LAYOUTS {
        assert_eq!(
            read(name).skipped,
            [
                "note 1795772944068: empty front",
                "note type \"Front only\": 1 note skipped, it has fewer than 2 fields, so no separate question and answer",
                "note type \"Image Occlusion\": 1 note skipped, image occlusion is not supported",
                "1 review log entry skipped (manual due-date changes, not answers)",
                "2 reviews skipped (their cards were not imported)",
                "3 media files skipped",
            ],
            "{name}"
        );
    }
}

#[test]
fn the_layouts_agree_and_reading_twice_is_identical() {
    let mut reference = read("current.apkg");
    assert_eq!(read("current.apkg"), reference);
    for deck in &mut reference.decks {
        deck.description.clear();
    }
    for name in ["legacy.apkg", "anki2.apkg"] {
        let first = read(name);
        assert_eq!(read(name), first, "{name}");
        let mut same = first;
        for deck in &mut same.decks {
            deck.description.clear();
        }
        assert_eq!(same, reference, "{name}");
    }
}

#[test]
fn imported_decks_pass_deck_validation() {
    for name in LAYOUTS {
        for deck in read(name).decks {
            let text = ron::ser::to_string_pretty(&deck, ron::ser::PrettyConfig::default())
                .expect("a deck serializes");
            let parsed = recall::deck::parse_deck(&format!("{name}/{}", deck.id), &text)
                .unwrap_or_else(|errors| panic!("{name}: {errors:?}\n{text}"));
            assert_eq!(parsed, deck);
        }
    }
}

#[test]
fn a_file_that_is_not_a_zip_is_refused() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("notes.apkg");
    std::fs::write(&path, "front\tback\n").expect("write");
    let message = format_error(&path);
    assert!(
        message.starts_with("notes.apkg is not an Anki package: it is not a zip archive"),
        "{message}"
    );
}

fn zip_with(dir: &Path, entries: &[(&str, &[u8])]) -> PathBuf {
    let path = dir.join("deck.apkg");
    let mut zip = zip::ZipWriter::new(std::fs::File::create(&path).expect("create"));
    for (name, bytes) in entries {
        zip.start_file(*name, zip::write::SimpleFileOptions::default())
            .expect("start file");
        zip.write_all(bytes).expect("write");
    }
    zip.finish().expect("finish");
    path
}

#[test]
fn a_zip_without_a_collection_is_refused() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = zip_with(dir.path(), &[("media", b"{}"), ("0", b"png")]);
    assert_eq!(
        format_error(&path),
        "deck.apkg is not an Anki package: it holds no Anki collection \
         (collection.anki21b, collection.anki21, collection.anki2)"
    );
}

#[test]
fn an_unreadable_collection_is_refused() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = zip_with(dir.path(), &[("collection.anki2", b"not a database")]);
    let message = format_error(&path);
    assert!(
        message.starts_with(
            "deck.apkg: the Anki collection inside (collection.anki2) cannot be read:"
        ),
        "{message}"
    );
    let path = zip_with(dir.path(), &[("collection.anki21b", b"not zstd")]);
    let message = format_error(&path);
    assert!(
        message.starts_with(
            "deck.apkg: the Anki collection inside (collection.anki21b) cannot be read: not valid zstd data"
        ),
        "{message}"
    );
}

#[test]
fn a_missing_file_is_an_io_error() {
    let result = read_apkg(&fixture("no-such-package.apkg"));
    assert!(matches!(result, Err(ImportError::Io(_))), "{result:?}");
}
