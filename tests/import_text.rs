//! Reading CSV/TSV files and Anki's *Notes in Plain Text* exports: the
//! fixtures in `tests/fixtures/text/` (the `anki_*` ones written by Anki
//! itself, see its README.md) and some broken files.

use std::path::{Path, PathBuf};

use recall::deck::parse_deck;
use recall::import::text::read_text;
use recall::import::{ImportError, Imported};
use recall::model::{Category, Deck, Question, QuestionKind};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/text")
        .join(name)
}

fn import(name: &str) -> Imported {
    match read_text(&fixture(name), "imported", "Imported deck") {
        Ok(imported) => imported,
        Err(e) => panic!("{name}: {e}"),
    }
}

/// The only deck of a file, after checking what every imported deck shares
/// and that it survives being saved as RON and loaded back.
fn deck(imported: &Imported, file: &str) -> Deck {
    assert_eq!(imported.decks.len(), 1);
    assert!(imported.reviews.is_empty());
    let deck = imported.decks[0].clone();
    assert_eq!(deck.id, "imported");
    assert_eq!(deck.title, "Imported deck");
    assert_eq!(deck.category, Category::Custom);
    assert_eq!(deck.description, format!("Imported from {file}"));
    let ron = ron::ser::to_string_pretty(&deck, ron::ser::PrettyConfig::default())
        .expect("a deck serializes");
    match parse_deck(file, &ron) {
        Ok(loaded) => assert_eq!(loaded, deck),
        Err(errors) => panic!("{file} does not pass validation: {errors:?}\n{ron}"),
    }
    deck
}

fn flashcard(answer: &str) -> QuestionKind {
    QuestionKind::Flashcard {
        answer: answer.to_string(),
    }
}

/// The id a note without a guid gets: FNV-1a of its front, computed here
/// independently of the importer.
fn hashed_id(front: &str) -> String {
    let mut hash: u32 = 0x811c_9dc5;
    for byte in front.bytes() {
        hash ^= u32::from(byte);
        hash = hash.wrapping_mul(0x0100_0193);
    }
    format!("q-{hash:08x}")
}

fn summary(q: &Question) -> (&str, &str, &QuestionKind, Vec<&str>) {
    (
        q.prompt.as_str(),
        q.topic.as_str(),
        &q.kind,
        q.tags.iter().map(String::as_str).collect(),
    )
}

#[test]
fn plain_csv_with_header_quotes_and_tags() {
    let imported = import("plain.csv");
    let deck = deck(&imported, "plain.csv");
    let got: Vec<_> = deck.questions.iter().map(summary).collect();
    let t = "Imported deck";
    assert_eq!(
        got,
        [
            (
                "What does CSV stand for?",
                t,
                &flashcard("Comma-separated values, usually"),
                vec!["formats", "csv"]
            ),
            ("Capital of France", t, &flashcard("Paris"), vec!["geo"]),
            (
                "Quote \"this\"",
                t,
                &flashcard("He said \"hi\", then left"),
                vec![]
            ),
            (
                "A multi-line\nquestion",
                t,
                &flashcard("Its answer"),
                vec![]
            ),
            (
                "#hashtag",
                t,
                &flashcard("A word or phrase after a hash sign"),
                vec!["social"]
            ),
            ("Spaced front", t, &flashcard("spaced back"), vec!["a", "b"]),
        ]
    );
    // The header row is not a card and not a skipped row; line numbers count
    // the quoted line break of the multi-line question.
    assert_eq!(imported.skipped, ["line 8: empty back"]);
    let ids: Vec<&str> = deck.questions.iter().map(|q| q.id.as_str()).collect();
    let fronts: Vec<String> = deck
        .questions
        .iter()
        .map(|q| hashed_id(&q.prompt))
        .collect();
    assert_eq!(ids, fronts);
    for q in &deck.questions {
        assert_eq!(q.explanation, "Imported from plain.csv.");
        assert_eq!(q.source, None);
    }
}

#[test]
fn plain_tsv_skips_rows_and_numbers_duplicate_fronts() {
    let imported = import("plain.tsv");
    let deck = deck(&imported, "plain.tsv");
    let got: Vec<_> = deck
        .questions
        .iter()
        .map(|q| (q.id.as_str(), q.prompt.as_str(), &q.kind, q.tags.clone()))
        .collect();
    let derivative = hashed_id("derivative");
    assert_eq!(
        got,
        [
            (
                hashed_id("gradient").as_str(),
                "gradient",
                &flashcard("vector of partial derivatives"),
                vec!["calculus".to_string()]
            ),
            (
                derivative.as_str(),
                "derivative",
                &flashcard("rate of change"),
                vec![]
            ),
            (
                format!("{derivative}-2").as_str(),
                "derivative",
                &flashcard("slope of the tangent line"),
                vec![]
            ),
        ]
    );
    assert_eq!(
        imported.skipped,
        ["line 2: empty front", "line 6: empty back"]
    );
}

#[test]
fn semicolon_file_is_sniffed_and_its_header_skipped() {
    let imported = import("semicolon.txt");
    let deck = deck(&imported, "semicolon.txt");
    let got: Vec<_> = deck.questions.iter().map(summary).collect();
    let t = "Imported deck";
    assert_eq!(
        got,
        [
            ("Hund", t, &flashcard("dog"), vec![]),
            (
                "Katze",
                t,
                &flashcard("cat, or \"Mieze\" informally"),
                vec![]
            ),
            ("Maus", t, &flashcard("mouse"), vec!["animals", "german"]),
        ]
    );
    assert!(imported.skipped.is_empty());
}

#[test]
fn anki_export_with_html_becomes_markdown() {
    let imported = import("anki_html.txt");
    let deck = deck(&imported, "anki_html.txt");
    let got: Vec<_> = deck
        .questions
        .iter()
        .map(|q| (q.id.as_str(), summary(q), q.explanation.as_str()))
        .collect();
    let default = "Imported from anki_html.txt.";
    assert_eq!(
        got,
        [
            (
                "BasicHola1",
                (
                    "**Hola**",
                    "Spanish",
                    &flashcard("Hello\n(informal)"),
                    vec!["greeting"]
                ),
                default
            ),
            (
                // The guid has a '/', which question ids may not contain.
                "g-ab3-xy-9",
                (
                    "Tom & Jerry: *gato* y *ratón*?",
                    "Spanish",
                    &flashcard("cat & mouse"),
                    vec!["animals", "spanish::nouns"]
                ),
                default
            ),
            (
                "VerbHablar",
                (
                    "To speak\n- infinitive",
                    "Verbs",
                    &flashcard("`hablar`"),
                    vec!["verbs::ar"]
                ),
                default
            ),
            (
                "ClozeMadrid",
                (
                    "Fill in the blanks.",
                    "Verbs",
                    &QuestionKind::Cloze {
                        text: "{{Madrid}} is the capital of {{Spain}}".to_string()
                    },
                    vec!["geo"]
                ),
                "*Since 1561*"
            ),
            (
                "TypeGracias",
                (
                    "Say \"thank you\"",
                    "Spanish",
                    &QuestionKind::TypedAnswer {
                        accepted: vec!["gracias".to_string()]
                    },
                    vec!["polite"]
                ),
                default
            ),
            (
                // Anki quotes a field that starts with '#', so it is no comment.
                "HashUno",
                ("#1 in Spanish", "Spanish", &flashcard("uno"), vec![]),
                default
            ),
            (
                "TwoLines",
                (
                    "Two lines",
                    "Spanish",
                    &flashcard("first line,\nsecond\tline"),
                    vec!["layout"]
                ),
                default
            ),
        ]
    );
    assert_eq!(imported.skipped, ["line 10: empty back"]);
}

#[test]
fn anki_export_without_html_keeps_the_text() {
    let imported = import("anki_plain.txt");
    let deck = deck(&imported, "anki_plain.txt");
    let got: Vec<_> = deck
        .questions
        .iter()
        .map(|q| (q.id.as_str(), q.prompt.as_str(), &q.kind, q.topic.as_str()))
        .collect();
    assert_eq!(
        got,
        [
            (
                "BasicHola1",
                "Hola",
                &flashcard("Hello (informal)"),
                "Spanish"
            ),
            (
                "g-ab3-xy-9",
                "Tom & Jerry: gato y ratón?",
                &flashcard("cat & mouse"),
                "Spanish"
            ),
            (
                "VerbHablar",
                "To speakinfinitive",
                &flashcard("hablar"),
                "Verbs"
            ),
            (
                "ClozeMadrid",
                "Fill in the blanks.",
                &QuestionKind::Cloze {
                    text: "{{Madrid}} is the capital of {{Spain}}".to_string()
                },
                "Verbs"
            ),
            (
                "TypeGracias",
                "Say \"thank you\"",
                &QuestionKind::TypedAnswer {
                    accepted: vec!["gracias".to_string()]
                },
                "Spanish"
            ),
            ("HashUno", "#1 in Spanish", &flashcard("uno"), "Spanish"),
            (
                "TwoLines",
                "Two lines",
                &flashcard("first line, second\tline"),
                "Spanish"
            ),
        ]
    );
    assert_eq!(deck.questions[3].explanation, "Since 1561");
    assert_eq!(
        deck.questions[1].tags,
        ["animals".to_string(), "spanish::nouns".to_string()]
    );
    assert_eq!(imported.skipped, ["line 10: empty back"]);

    // The same notes exported with HTML get the same ids, so importing one
    // after the other updates the cards instead of adding new ones.
    let html = import("anki_html.txt");
    let ids = |d: &Deck| d.questions.iter().map(|q| q.id.clone()).collect::<Vec<_>>();
    assert_eq!(ids(&deck), ids(&html.decks[0]));
}

#[test]
fn anki_export_of_fields_only() {
    let imported = import("anki_fields_only.txt");
    let deck = deck(&imported, "anki_fields_only.txt");
    let got: Vec<_> = deck
        .questions
        .iter()
        .map(|q| (q.id.clone(), summary(q), q.explanation.as_str()))
        .collect();
    let cloze = "{{Madrid}} is the capital of {{Spain}}";
    assert_eq!(
        got,
        [
            (
                hashed_id("To speakinfinitive"),
                (
                    "To speakinfinitive",
                    "Imported deck",
                    &flashcard("hablar"),
                    vec![]
                ),
                "Imported from anki_fields_only.txt."
            ),
            (
                // No note type column: the deletion alone marks the cloze.
                // The id hashes the front as the file has it.
                hashed_id("{{c1::Madrid}} is the capital of {{c2::Spain::country}}"),
                (
                    "Fill in the blanks.",
                    "Imported deck",
                    &QuestionKind::Cloze {
                        text: cloze.to_string()
                    },
                    vec![]
                ),
                "Since 1561"
            ),
        ]
    );
    assert_eq!(imported.skipped, ["line 4: empty back"]);
}

#[test]
fn anki_header_lines_anki_documents_but_does_not_write() {
    let imported = import("anki_handwritten.txt");
    let deck = deck(&imported, "anki_handwritten.txt");
    let got: Vec<_> = deck
        .questions
        .iter()
        .map(|q| (summary(q), q.explanation.as_str()))
        .collect();
    assert_eq!(
        got,
        [
            (
                (
                    "Fill in the blanks.",
                    "Mechanics",
                    &QuestionKind::Cloze {
                        text: "{{Force}} equals mass times {{acceleration}}".to_string()
                    },
                    vec!["laws", "physics", "imported"]
                ),
                "Newton's **second** law"
            ),
            (
                (
                    "Fill in the blank.",
                    "Mechanics",
                    &QuestionKind::Cloze {
                        text: "The SI unit of force is the {{newton}}".to_string()
                    },
                    vec!["units", "physics", "imported"]
                ),
                "Imported from anki_handwritten.txt."
            ),
        ]
    );
    assert_eq!(
        imported.skipped,
        ["line 9: cloze text has no {{c1::...}} deletion"]
    );
}

#[test]
fn ids_are_stable_across_reads_and_reordering() {
    for name in [
        "plain.csv",
        "plain.tsv",
        "semicolon.txt",
        "anki_html.txt",
        "anki_plain.txt",
        "anki_fields_only.txt",
        "anki_handwritten.txt",
    ] {
        assert_eq!(import(name), import(name), "{name}");
    }

    // Reordering the rows keeps each card's id.
    let dir = tempfile::tempdir().expect("temporary folder");
    let text = std::fs::read_to_string(fixture("semicolon.txt")).expect("fixture");
    let mut lines: Vec<&str> = text.lines().collect();
    lines[1..].reverse();
    let reordered = dir.path().join("semicolon.txt");
    std::fs::write(&reordered, lines.join("\n")).expect("write");
    let by_prompt = |imported: &Imported| {
        let mut pairs: Vec<(String, String)> = imported.decks[0]
            .questions
            .iter()
            .map(|q| (q.prompt.clone(), q.id.clone()))
            .collect();
        pairs.sort();
        pairs
    };
    let again = read_text(&reordered, "imported", "Imported deck").expect("reordered file");
    assert_eq!(by_prompt(&again), by_prompt(&import("semicolon.txt")));
}

fn error_for(name: &str, bytes: &[u8]) -> String {
    let dir = tempfile::tempdir().expect("temporary folder");
    let path = dir.path().join(name);
    std::fs::write(&path, bytes).expect("write");
    match read_text(&path, "imported", "Imported deck") {
        Err(ImportError::Format(message)) => message,
        other => panic!("{name}: expected a format error, got {other:?}"),
    }
}

#[test]
fn bad_files_fail_with_a_clear_message() {
    assert_eq!(error_for("empty.csv", b""), "empty.csv: the file is empty");
    assert_eq!(
        error_for("blank.txt", b"\n \n"),
        "blank.txt: the file is empty"
    );
    assert_eq!(
        error_for("deck.apkg.txt", b"PK\x03\x04\x14\0\0\0"),
        "deck.apkg.txt: is not a text file but a zip archive (an Anki package .apkg is imported as a package)"
    );
    assert_eq!(
        error_for("image.csv", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"),
        "image.csv: is not a text file (it contains binary data)"
    );
    assert_eq!(
        error_for("latin1.csv", b"front,back\ncaf\xe9,coffee\n"),
        "latin1.csv: line 2 is not UTF-8 text; save the file as UTF-8 and import it again"
    );
    assert_eq!(
        error_for("header.txt", b"#separator:tab\n#html:false\n"),
        "header.txt: has only header lines, no notes"
    );
    assert_eq!(
        error_for("names.csv", b"question,answer\n"),
        "names.csv: has only a header row, no cards"
    );
    assert_eq!(
        error_for("words.txt", b"one\ntwo\n"),
        "words.txt: no row has two columns; separate front and back with a tab, comma or semicolon"
    );
    assert_eq!(
        error_for("fronts.csv", b"a,\nb,\n"),
        "fronts.csv: no usable row (line 1: empty back; line 2: empty back)"
    );
    assert_eq!(
        error_for("sep.txt", b"#separator:dash\na-b\n"),
        "sep.txt: line 1: unknown separator \"dash\"; use tab, comma, semicolon, pipe, space, colon or a single character"
    );

    let missing = read_text(&fixture("no-such-file.csv"), "imported", "Imported deck");
    assert!(matches!(missing, Err(ImportError::Io(_))), "{missing:?}");
}

#[test]
fn utf16_text_from_excel_is_read() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let path = dir.path().join("unicode.txt");
    let mut bytes = vec![0xFF, 0xFE];
    for unit in "Katze\tcat\r\nBär\tbear\r\n".encode_utf16() {
        bytes.extend(unit.to_le_bytes());
    }
    std::fs::write(&path, bytes).expect("write");
    let imported = read_text(&path, "imported", "Imported deck").expect("UTF-16 file");
    let deck = deck(&imported, "unicode.txt");
    let got: Vec<_> = deck
        .questions
        .iter()
        .map(|q| (q.prompt.as_str(), &q.kind))
        .collect();
    assert_eq!(
        got,
        [("Katze", &flashcard("cat")), ("Bär", &flashcard("bear"))]
    );
}
