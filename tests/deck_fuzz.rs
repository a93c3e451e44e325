//! Property tests for bad input: random bytes, broken decks and odd Unicode
//! must never make the deck loader, `recall check` or the grader panic, and
//! every error must say what is wrong and where.
//!
//! About 15 000 cases run in a normal `cargo test`; set `RECALL_FUZZ_CASES`
//! to a number to multiply them (`RECALL_FUZZ_CASES=20 cargo test --test
//! deck_fuzz` runs some 300 000 in about 20 s). Failures are not saved to
//! disk: proptest prints the shrunk input instead.

use std::path::Path;
use std::process::Command;

use proptest::prelude::*;
use proptest::sample::Index;
mod common;

use recall::deck::{
    DeckError, Library, MAX_FILE_BYTES, MAX_NESTING, MAX_TEXT_CHARS, Outline, Pos, parse_deck,
    write::to_ron,
};
use recall::grade::{Answer, Verdict, expected_answer, grade};
use recall::model::{Deck, QuestionKind};

/// A valid deck with one question of each kind. Every `field: "text"` sits
/// on one line.
const VALID: &str = common::EVERY_KIND;

/// `cases` cases, times `RECALL_FUZZ_CASES` when set; nothing written to disk.
fn config(cases: u32) -> ProptestConfig {
    let factor = std::env::var("RECALL_FUZZ_CASES")
        .ok()
        .and_then(|v| v.trim().parse::<u32>().ok())
        .filter(|&f| f > 0)
        .unwrap_or(1);
    ProptestConfig {
        cases: cases.saturating_mul(factor),
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

// ---------------------------------------------------------------- invariants

/// At most 200 characters of `text`, for failure messages about huge input.
fn short(text: &str) -> String {
    text.chars().take(200).collect()
}

/// The loader's promise for `text`: `Ok` only for a deck that survives being
/// written and read again; otherwise errors that each say what and where.
fn holds(text: &str, result: &Result<Deck, Vec<DeckError>>) -> Result<(), TestCaseError> {
    match result {
        Ok(deck) => {
            let written = to_ron(deck);
            let again = parse_deck("again.ron", &written);
            prop_assert!(
                again.as_ref() == Ok(deck),
                "the deck does not read back as itself: {:?}\nwritten as:\n{}",
                again.map_err(|e| e.iter().map(|e| short(&e.to_string())).collect::<Vec<_>>()),
                short(&written)
            );
        }
        Err(errors) => {
            prop_assert!(!errors.is_empty(), "an Err without errors");
            for e in errors {
                placed_in(text, e)?;
            }
        }
    }
    Ok(())
}

/// `e` has a message and, unless it is about the whole file, a position
/// inside `text` (a column may sit just past a line's last character).
fn placed_in(text: &str, e: &DeckError) -> Result<(), TestCaseError> {
    let shown = short(&e.to_string());
    prop_assert!(!e.message.trim().is_empty(), "no message: {}", shown);
    if e.line == 0 {
        prop_assert_eq!(e.col, 0, "a whole-file error with a column: {}", shown);
        // The only whole-file errors are about reading and size, and no
        // input here is unreadable or over the size limit: anything else
        // has lost its position.
        prop_assert!(
            e.message.contains(&MAX_FILE_BYTES.to_string()) || e.message.contains("cannot read"),
            "a whole-file error that should have a position: {}",
            shown
        );
        return Ok(());
    }
    prop_assert!(e.col >= 1, "column 0: {}", shown);
    let line = text.split('\n').nth(e.line - 1);
    prop_assert!(
        line.is_some(),
        "past the last line ({}): {}",
        text.split('\n').count(),
        shown
    );
    let len = line.map_or(0, |l| l.chars().count());
    prop_assert!(
        e.col <= len + 1,
        "past the end of its line ({len} characters): {}",
        shown
    );
    Ok(())
}

/// [`holds`] for `text` given straight to [`parse_deck`].
fn parses_or_explains(text: &str) -> Result<(), TestCaseError> {
    holds(text, &parse_deck("fuzz.ron", text))
}

/// Loads `bytes` as the only file of a folder, the way the app does, and
/// checks the library keeps [`holds`]'s promise for it.
fn loads_or_explains(bytes: &[u8]) -> Result<(), TestCaseError> {
    let dir = tempfile::tempdir().map_err(|e| TestCaseError::fail(e.to_string()))?;
    let file = dir.path().join("fuzz.ron");
    std::fs::write(&file, bytes).map_err(|e| TestCaseError::fail(e.to_string()))?;
    let library = Library::load(false, &[dir.path().to_path_buf()], &[]);
    let text = String::from_utf8_lossy(bytes);
    let label = file.display().to_string();
    match (library.decks.as_slice(), library.errors.is_empty()) {
        ([loaded], true) => holds(&text, &loaded.full().map_err(|e| vec![e]))?,
        ([], false) => {
            for e in &library.errors {
                prop_assert_eq!(&e.path, &label);
                placed_in(&text, e)?;
            }
        }
        (decks, _) => prop_assert!(
            false,
            "{} decks and {} errors from one file",
            decks.len(),
            library.errors.len()
        ),
    }
    Ok(())
}

// ----------------------------------------------------------------- mutations

/// Pieces of RON and of trouble to insert anywhere.
#[rustfmt::skip]
const TOKENS: &[&str] = &[
    "(", ")", "[", "]", "{", "}", "\"", ",", ":", "r#\"", "\"#", "r\"", "#", "//", "/*", "*/", "\\",
    "\\u{0}", "\\u{d800}", "\\u{110000}", "\\x", "{{", "}}", "|", "\n", "\r", "\r\n", "\t", " ",
    "\0", "\u{feff}", "é", "e\u{301}", "👩‍👩‍👧", "\u{202e}", "Some(", "None", "true", "false", "id",
    "kind", "questions", "category", "Custom", "Cloze", "TypedAnswer", "MultipleChoice", "TrueFalse",
    "Flashcard", "r#id", "Deck", "Question", "#![enable(implicit_some)]",
    "#![enable(unwrap_newtypes)]", "b\"x\"", "'c'", "()", "[]", "..", "-", "+", ".", "1e999", "-0",
    "0x1F", "0b102", "18446744073709551616", "1.5", "NaN", "inf", "1_000",
];

/// What replaces a string or a number to give a field the wrong type.
#[rustfmt::skip]
const WRONG_VALUES: &[&str] = &[
    "0", "-1", "1.5", "true", "None", "Some(1)", "[]", "[1, 2]", "()", "(a: 1)", "'c'", "\"1\"",
    "\"\"", "\" \"", "Custom", "{}", "{\"a\": 1}", "b\"x\"", "r#\"x\"#", "18446744073709551616",
];

fn token() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => prop::sample::select(TOKENS).prop_map(String::from),
        1 => any::<i64>().prop_map(|n| n.to_string()),
        1 => "[a-zA-Z_][a-zA-Z0-9_]{0,12}",
    ]
}

fn wrong_value() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(WRONG_VALUES).prop_map(String::from),
        any::<u64>().prop_map(|n| n.to_string()),
    ]
}

/// One edit of a deck's text, on characters (so always at char boundaries).
#[derive(Debug, Clone)]
enum Mutation {
    /// Keep only the text before a point.
    Truncate(Index),
    /// Delete a span.
    Delete(Index, usize),
    /// Repeat a span in place.
    Duplicate(Index, usize),
    /// Swap two spans of the same length.
    Swap(Index, Index, usize),
    /// Insert a token.
    Insert(Index, String),
    /// Replace a string or a number with a value of another type.
    WrongType(Index, String),
    /// Replace a string or a number with this text, as a RON string.
    Retext(Index, String),
    /// Replace a string with one of `len` copies of `c`.
    Huge(Index, usize, char),
    /// Wrap a value (or put a new one at a point) in `depth` brackets.
    Nest(Index, usize, usize),
}

/// Openers and closers for [`Mutation::Nest`].
const BRACKETS: &[(&str, &str)] = &[
    ("[", "]"),
    ("(", ")"),
    ("Some(", ")"),
    ("{\"a\": ", "}"),
    ("([", "])"),
    ("(a: ", ")"),
];

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        1 => any::<Index>().prop_map(Mutation::Truncate),
        1 => (any::<Index>(), 1..64usize).prop_map(|(i, n)| Mutation::Delete(i, n)),
        1 => (any::<Index>(), 1..64usize).prop_map(|(i, n)| Mutation::Duplicate(i, n)),
        1 => (any::<Index>(), any::<Index>(), 1..32usize)
            .prop_map(|(a, b, n)| Mutation::Swap(a, b, n)),
        3 => (any::<Index>(), token()).prop_map(|(i, t)| Mutation::Insert(i, t)),
        2 => (any::<Index>(), wrong_value()).prop_map(|(i, v)| Mutation::WrongType(i, v)),
        3 => (any::<Index>(), odd_text()).prop_map(|(i, t)| Mutation::Retext(i, t)),
    ]
}

/// The mutations that make big text: kept rarer, as each costs more.
fn big_mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (
            any::<Index>(),
            MAX_TEXT_CHARS - 2..MAX_TEXT_CHARS + 200,
            prop::sample::select(vec!['x', 'é', '"', '\n', '{', '👩'])
        )
            .prop_map(|(i, n, c)| Mutation::Huge(i, n, c)),
        (any::<Index>(), 0..5000usize, 0..BRACKETS.len())
            .prop_map(|(i, depth, b)| Mutation::Nest(i, depth, b)),
    ]
}

/// The string literals (`"..."`, quotes included) and bare numbers and
/// booleans of `chars`, as `start..end` spans. A rough scan is enough here.
fn values(chars: &[char]) -> Vec<(usize, usize)> {
    let mut spans = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let start = i;
        if chars[i] == '"' {
            i += 1;
            while i < chars.len() && chars[i] != '"' {
                i += if chars[i] == '\\' { 2 } else { 1 };
            }
            i = (i + 1).min(chars.len());
            spans.push((start, i));
        } else if chars[i].is_alphanumeric() {
            while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
                i += 1;
            }
            let word: String = chars[start..i].iter().collect();
            if word == "true" || word == "false" || word.chars().all(|c| c.is_ascii_digit()) {
                spans.push((start, i));
            }
        } else {
            i += 1;
        }
    }
    spans
}

/// A point in `0..=len`.
fn point(i: &Index, len: usize) -> usize {
    i.index(len + 1)
}

fn apply(text: &str, mutation: &Mutation) -> String {
    let mut chars: Vec<char> = text.chars().collect();
    let len = chars.len();
    let span = |i: &Index, n: usize| {
        let start = point(i, len);
        (start, (start + n).min(len))
    };
    let splice = |chars: &mut Vec<char>, (start, end): (usize, usize), with: &str| {
        chars.splice(start..end, with.chars());
    };
    match mutation {
        Mutation::Truncate(i) => chars.truncate(point(i, len)),
        Mutation::Delete(i, n) => {
            let (start, end) = span(i, *n);
            chars.drain(start..end);
        }
        Mutation::Duplicate(i, n) => {
            let (start, end) = span(i, *n);
            let copy: Vec<char> = chars[start..end].to_vec();
            chars.splice(end..end, copy);
        }
        Mutation::Swap(a, b, n) => {
            let (a, b) = (point(a, len), point(b, len));
            let (first, second) = (a.min(b), a.max(b));
            let n = (*n).min(second - first).min(len - second);
            let one: Vec<char> = chars[first..first + n].to_vec();
            let two: Vec<char> = chars[second..second + n].to_vec();
            chars.splice(second..second + n, one);
            chars.splice(first..first + n, two);
        }
        Mutation::Insert(i, token) => splice(&mut chars, (point(i, len), point(i, len)), token),
        Mutation::WrongType(i, value) => {
            let spans = values(&chars);
            if !spans.is_empty() {
                splice(&mut chars, *i.get(&spans), value);
            }
        }
        Mutation::Retext(i, text) => {
            let spans = values(&chars);
            if let (false, Ok(quoted)) = (spans.is_empty(), ron::to_string(text)) {
                splice(&mut chars, *i.get(&spans), &quoted);
            }
        }
        Mutation::Huge(i, n, c) => {
            let spans = values(&chars);
            if !spans.is_empty() {
                let huge: String = std::iter::repeat_n(*c, *n).collect();
                splice(&mut chars, *i.get(&spans), &format!("r#\"{huge}\"#"));
            }
        }
        Mutation::Nest(i, depth, b) => {
            let (open, close) = BRACKETS[*b];
            let spans = values(&chars);
            let (start, end) = if spans.is_empty() {
                (point(i, len), point(i, len))
            } else {
                *i.get(&spans)
            };
            let inner: String = chars[start..end].iter().collect();
            let nested = format!("{}{inner}{}", open.repeat(*depth), close.repeat(*depth));
            splice(&mut chars, (start, end), &nested);
        }
    }
    chars.into_iter().collect()
}

/// `VALID` after a few mutations, now and then a big one.
fn mutated_deck() -> impl Strategy<Value = String> {
    let edits = prop_oneof![
        9 => prop::collection::vec(mutation(), 1..5),
        1 => (prop::collection::vec(mutation(), 0..3), big_mutation()).prop_map(|(mut v, m)| {
            v.push(m);
            v
        }),
    ];
    edits.prop_map(|edits| edits.iter().fold(VALID.to_string(), |t, m| apply(&t, m)))
}

/// Text that looks a little like RON.
fn ron_like() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::collection::vec(token(), 0..60).prop_map(|v| v.concat()),
        "[(){}\\[\\]\",:#r a-z0-9_\n\\\\./*{}|-]{0,300}",
        any::<String>(),
    ]
}

/// Bytes: random, or a valid deck with a few bytes changed (invalid UTF-8,
/// NULs, cut multi-byte characters).
fn deck_bytes() -> impl Strategy<Value = Vec<u8>> {
    let edit = (
        any::<Index>(),
        prop::sample::select(vec![0x00u8, 0xFF, 0xC3, 0xE2, 0x80, 0xFE, 0x22, 0x0A]),
    );
    prop_oneof![
        prop::collection::vec(any::<u8>(), 0..1024),
        prop::collection::vec(edit, 1..4).prop_map(|edits| {
            let mut bytes = VALID.as_bytes().to_vec();
            for (i, b) in edits {
                let at = i.index(bytes.len());
                bytes[at] = b;
            }
            bytes
        }),
        mutated_deck().prop_map(String::into_bytes),
    ]
}

proptest! {
    #![proptest_config(config(2000))]

    #[test]
    fn random_bytes_never_panic_the_parser(bytes in prop::collection::vec(any::<u8>(), 0..2048)) {
        parses_or_explains(&String::from_utf8_lossy(&bytes))?;
    }

    #[test]
    fn ron_like_text_never_panics_the_parser(text in ron_like()) {
        parses_or_explains(&text)?;
    }
}

proptest! {
    #![proptest_config(config(5000))]

    #[test]
    fn a_mutated_deck_parses_or_says_where_it_is_wrong(text in mutated_deck()) {
        parses_or_explains(&text)?;
    }
}

proptest! {
    #![proptest_config(config(1000))]

    #[test]
    fn any_file_loads_or_says_where_it_is_wrong(bytes in deck_bytes()) {
        loads_or_explains(&bytes)?;
    }
}

proptest! {
    #![proptest_config(config(300))]

    /// Every text field is limited, and the error sits on the field's line.
    #[test]
    fn a_string_over_the_limit_is_refused_on_its_line(
        i in any::<Index>(),
        extra in 1..100usize,
        c in prop::sample::select(vec!['x', 'é', '"', '👩']),
    ) {
        let chars: Vec<char> = VALID.chars().collect();
        let strings: Vec<(usize, usize)> =
            values(&chars).into_iter().filter(|&(s, _)| chars[s] == '"').collect();
        let (start, end) = *i.get(&strings);
        let line = 1 + chars[..start].iter().filter(|&&c| c == '\n').count();
        let huge: String = std::iter::repeat_n(c, MAX_TEXT_CHARS + extra).collect();
        let before: String = chars[..start].iter().collect();
        let after: String = chars[end..].iter().collect();
        let text = format!("{before}r#\"{huge}\"#{after}");
        let result = parse_deck("fuzz.ron", &text);
        holds(&text, &result)?;
        let errors = result.err().unwrap_or_default();
        let limit = format!(
            "is {} characters long, over the limit of {MAX_TEXT_CHARS}",
            MAX_TEXT_CHARS + extra
        );
        prop_assert!(
            errors.iter().any(|e| e.line == line && e.message.contains(&limit)),
            "no limit error on line {line}: {:?}",
            errors.iter().map(|e| short(&e.to_string())).collect::<Vec<_>>()
        );
    }

    /// Thousands of brackets where a value goes fail at once, with a position.
    #[test]
    fn deep_nesting_fails_fast_with_a_position(
        i in any::<Index>(),
        depth in MAX_NESTING..20_000,
        b in 0..BRACKETS.len(),
    ) {
        let text = apply(VALID, &Mutation::Nest(i, depth, b));
        let result = parse_deck("fuzz.ron", &text);
        holds(&text, &result)?;
        prop_assert!(result.is_err());
    }
}

proptest! {
    #![proptest_config(config(1000))]

    /// The outline scanner sees every text that parses badly or well.
    #[test]
    fn the_outline_never_panics_and_stays_in_the_text(text in prop_oneof![ron_like(), mutated_deck()]) {
        let outline = Outline::scan(&text);
        let lines: Vec<usize> = text.split('\n').map(|l| l.chars().count()).collect();
        let inside = |p: &Pos| p.line >= 1 && p.col >= 1
            && lines.get(p.line - 1).is_some_and(|&len| p.col <= len + 1);
        for q in &outline.questions {
            prop_assert!(inside(&q.start));
            prop_assert!(q.fields.values().chain(q.kind_fields.values()).all(inside));
        }
        prop_assert!(outline.fields.values().all(inside));
    }
}

proptest! {
    #![proptest_config(config(30))]

    /// `recall check` on a broken file exits 0 or 1, never panics.
    #[test]
    fn recall_check_never_panics(bytes in deck_bytes()) {
        let dir = tempfile::tempdir().map_err(|e| TestCaseError::fail(e.to_string()))?;
        let file = dir.path().join("fuzz.ron");
        std::fs::write(&file, &bytes).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let out = check(&file, dir.path());
        let stderr = String::from_utf8_lossy(&out.stderr);
        prop_assert!(matches!(out.status.code(), Some(0 | 1)), "{:?}: {}", out.status, short(&stderr));
        prop_assert!(!stderr.contains("panicked"), "{}", short(&stderr));
    }
}

/// The hand-made files in `tests/fixtures/malformed`, one kind of damage
/// each, as `recall check` reports them.
#[test]
fn each_malformed_fixture_gets_one_error_with_a_position() {
    let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/malformed");
    let data = tempfile::tempdir().expect("temp dir");
    let out = check(&folder, data.path());
    assert_eq!(out.status.code(), Some(1));
    let at = |file: &str| folder.join(file).display().to_string();
    let expected = [
        format!("{}:7:67: Expected string", at("deep.ron")),
        format!(
            "{}:7:43: the file is not UTF-8 text (found the byte 0xE9); save it as UTF-8",
            at("latin1.ron")
        ),
        format!(
            "{}:7:31: question \"q\": the prompt is 20005 characters long, over the limit of 20000",
            at("long-prompt.ron")
        ),
        format!(
            "{}:7:89: the file contains a NUL character; it is not a text file",
            at("nul.ron")
        ),
        format!(
            "{}:7:50: Unexpected variant named `Flashc` in enum `QuestionKind`, expected one of \
             `Flashcard`, `MultipleChoice`, `TrueFalse`, `TypedAnswer`, or `Cloze` instead",
            at("truncated.ron")
        ),
        format!(
            "{}:1:1: the file is not UTF-8 text (found the byte 0xFF); save it as UTF-8",
            at("utf16.ron")
        ),
        format!("{}:7:38: Expected string", at("wrong-type.ron")),
    ];
    assert_eq!(
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .collect::<Vec<_>>(),
        expected
    );
}

fn check(file: &Path, data_dir: &Path) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_recall"))
        .arg("check")
        .arg(file)
        .env("RECALL_DATA_DIR", data_dir)
        .output()
        .expect("recall runs")
}

// ------------------------------------------------------------------- grading

/// Right-to-left scripts and marks, emoji sequences, combining marks,
/// zero-width characters, compatibility forms, symbols alone.
#[rustfmt::skip]
const ODD_PIECES: &[&str] = &[
    "שלום", "مرحبا", "\u{202e}", "\u{200f}", "👩‍👩‍👧", "🏳️‍🌈", "e\u{301}", "\u{301}", "\u{200d}",
    "\u{200c}", "\u{200b}", "\u{feff}", "ﬁ", "ß", "İ", "ǅ", "Ⅻ", "²", "١٢٣", "ＡＢＣ", "…", "—", "→",
    "++", "C#", ".", "'", "’", " ", "\t", "\n", "42", "3.14", "x", "Euclidean", "ﷺ", "\u{0}",
    "\u{10FFFF}", "a", "{", "}", "|", "*", "**kwargs",
];

/// Text a learner or a deck author might write: [`ODD_PIECES`] strung
/// together, or any Unicode at all.
fn odd_text() -> impl Strategy<Value = String> {
    let pieces = prop::sample::select(ODD_PIECES);
    prop_oneof![
        prop::collection::vec(pieces, 0..12).prop_map(|v| v.concat()),
        any::<String>(),
        "\\PC{0,40}",
    ]
}

/// A cloze blank's alternative: odd text without braces or bars, not blank.
fn alternative() -> impl Strategy<Value = String> {
    odd_text()
        .prop_map(|s| s.replace(['{', '}', '|'], ""))
        .prop_filter("a blank needs an answer", |s| !s.trim().is_empty())
}

fn kind() -> impl Strategy<Value = QuestionKind> {
    let texts = || prop::collection::vec(odd_text(), 0..4);
    prop_oneof![
        odd_text().prop_map(|answer| QuestionKind::Flashcard { answer }),
        (texts(), prop::collection::vec(0..6usize, 0..4))
            .prop_map(|(options, correct)| QuestionKind::MultipleChoice { options, correct }),
        any::<bool>().prop_map(|answer| QuestionKind::TrueFalse { answer }),
        texts().prop_map(|accepted| QuestionKind::TypedAnswer { accepted }),
        odd_text().prop_map(|text| QuestionKind::Cloze { text }),
    ]
}

fn answer() -> impl Strategy<Value = Answer> {
    prop_oneof![
        Just(Answer::Revealed),
        prop::collection::vec(0..6usize, 0..4).prop_map(Answer::Choices),
        any::<bool>().prop_map(Answer::Bool),
        odd_text().prop_map(Answer::Text),
        prop::collection::vec(odd_text(), 0..4).prop_map(Answer::Blanks),
    ]
}

proptest! {
    #![proptest_config(config(1500))]

    #[test]
    fn typing_an_accepted_answer_is_always_correct(
        accepted in prop::collection::vec(odd_text(), 1..4),
        i in any::<Index>(),
        other in odd_text(),
    ) {
        let kind = QuestionKind::TypedAnswer { accepted: accepted.clone() };
        let given = i.get(&accepted);
        if !given.trim().is_empty() {
            prop_assert_eq!(grade(&kind, &Answer::Text(given.clone())), Verdict::Correct);
        }
        let _ = grade(&kind, &Answer::Text(other));
        let _ = expected_answer(&kind);
    }

    #[test]
    fn filling_every_blank_with_an_alternative_is_correct(
        blanks in prop::collection::vec(
            (odd_text(), prop::collection::vec(alternative(), 1..3), any::<Index>()),
            1..4,
        ),
        tail in odd_text(),
    ) {
        let clean = |s: &str| s.replace(['{', '}'], "");
        let mut text = String::new();
        let mut given = Vec::new();
        for (before, alternatives, pick) in &blanks {
            text += &format!("{}{{{{{}}}}}", clean(before), alternatives.join("|"));
            given.push(pick.get(alternatives).clone());
        }
        text += &clean(&tail);
        let kind = QuestionKind::Cloze { text };
        prop_assert_eq!(grade(&kind, &Answer::Blanks(given)), Verdict::Correct);
        let _ = expected_answer(&kind);
    }
}

proptest! {
    #![proptest_config(config(1000))]

    #[test]
    fn grading_anything_never_panics(kind in kind(), answer in answer()) {
        let verdict = grade(&kind, &answer);
        let _ = expected_answer(&kind);
        match (&kind, &answer) {
            (QuestionKind::MultipleChoice { correct, .. }, _) => {
                let right = grade(&kind, &Answer::Choices(correct.iter().rev().copied().collect()));
                prop_assert_eq!(right, Verdict::Correct);
            }
            (QuestionKind::TrueFalse { answer: truth }, Answer::Bool(given)) => {
                prop_assert_eq!(verdict.is_correct(), truth == given);
            }
            (QuestionKind::Flashcard { .. }, _) => prop_assert_eq!(verdict, Verdict::SelfGraded),
            _ => {}
        }
    }
}

proptest! {
    #![proptest_config(config(20))]

    #[test]
    fn very_long_answers_grade_without_panic(
        piece in odd_text().prop_filter("something to repeat", |s| !s.is_empty()),
        len in 1000..3000usize,
        typo in any::<Index>(),
    ) {
        let long: String = piece.chars().cycle().take(len).collect();
        let kind = QuestionKind::TypedAnswer { accepted: vec![long.clone()] };
        if !long.trim().is_empty() {
            prop_assert_eq!(grade(&kind, &Answer::Text(long.clone())), Verdict::Correct);
        }
        let mut chars: Vec<char> = long.chars().collect();
        if !chars.is_empty() {
            chars.remove(typo.index(chars.len()));
        }
        let _ = grade(&kind, &Answer::Text(chars.into_iter().collect()));
        let cloze = QuestionKind::Cloze { text: format!("{{{{{}}}}}", long.replace(['{', '}', '|'], "")) };
        let _ = grade(&cloze, &Answer::Blanks(vec![long]));
        let _ = expected_answer(&cloze);
    }
}
