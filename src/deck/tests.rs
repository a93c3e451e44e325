use super::*;

fn errors(text: &str) -> Vec<String> {
    match parse_deck("d.ron", text) {
        Ok(_) => vec![],
        Err(errors) => errors.iter().map(ToString::to_string).collect(),
    }
}

const GOOD: &str = r#"(
    id: "d",
    title: "Deck",
    category: Coursework,
    description: "x",
    questions: [
        (
            id: "a",
            topic: "T",
            prompt: "P",
            kind: Flashcard(answer: "A"),
            explanation: "E",
            source: "a book",
        ),
    ],
)"#;

#[test]
fn a_valid_deck_parses_with_implicit_some_source() {
    let deck = parse_deck("d.ron", GOOD).expect("valid deck");
    assert_eq!(deck.questions[0].source.as_deref(), Some("a book"));
    assert_eq!(deck.questions[0].tags, Vec::<String>::new());
}

#[test]
fn syntax_errors_carry_line_and_column() {
    let broken = GOOD.replace("title: \"Deck\",", "title: \"Deck\"");
    assert_eq!(
        errors(&broken),
        vec!["d.ron:4:5: Expected comma".to_string()]
    );
}

#[test]
fn unknown_fields_are_errors_with_positions() {
    let text = GOOD.replace(
        "explanation: \"E\",",
        "explanation: \"E\",\n            hint: \"no\",",
    );
    let errs = errors(&text);
    assert_eq!(errs.len(), 1);
    assert!(errs[0].starts_with("d.ron:13:13: "), "{errs:?}");
    assert!(errs[0].contains("hint"), "{errs:?}");
}

fn deck_with(questions: &str) -> String {
    format!(
        "(\n    id: \"d\",\n    title: \"Deck\",\n    category: Tools,\n    description: \"\",\n    questions: [\n{questions}\n    ],\n)"
    )
}

#[test]
fn semantic_errors_point_at_the_field() {
    let text = deck_with(
        r#"        (id: "q", topic: "T", prompt: "P", kind: TrueFalse(answer: true), explanation: "E"),
        (id: "q", topic: "T", prompt: "  ", kind: TrueFalse(answer: false), explanation: ""),
        (id: "m", topic: "T", prompt: "P", kind: MultipleChoice(options: ["a"], correct: [3]), explanation: "E"),
        (id: "n", topic: "T", prompt: "P", kind: MultipleChoice(options: ["a", "a"], correct: [0]), explanation: "E"),
        (id: "t", topic: "T", prompt: "P", kind: TypedAnswer(accepted: []), explanation: "E"),
        (id: "c", topic: "T", prompt: "P", kind: Cloze(text: "no blanks here"), explanation: "E"),"#,
    );
    assert_eq!(
        errors(&text),
        vec![
            "d.ron:8:10: duplicate question id \"q\" (question 1 already uses it)",
            "d.ron:8:31: question \"q\" has an empty prompt",
            "d.ron:8:77: question \"q\" has an empty explanation",
            "d.ron:9:65: multiple-choice question \"m\" needs at least 2 options, it has 1",
            "d.ron:9:81: multiple-choice question \"m\": correct index 3 is out of range (options are numbered 0 to 0)",
            "d.ron:10:65: multiple-choice question \"n\" lists the option \"a\" twice",
            "d.ron:11:62: typed-answer question \"t\" has no accepted answer",
            "d.ron:12:56: cloze \"c\" has no blank; mark one as {{answer}}",
        ]
    );
}

#[test]
fn unclosed_cloze_blank_is_an_error() {
    let text = deck_with(
        r#"        (id: "c", topic: "T", prompt: "P", kind: Cloze(text: "a {{b"), explanation: "E"),"#,
    );
    assert_eq!(
        errors(&text),
        vec!["d.ron:7:56: cloze \"c\": a blank opened with {{ is never closed"]
    );
}

#[test]
fn duplicate_deck_ids_are_reported_on_the_second_file() {
    let sources = vec![
        ("one.ron".to_string(), Origin::Bundled, Ok(GOOD.to_string())),
        ("two.ron".to_string(), Origin::Bundled, Ok(GOOD.to_string())),
    ];
    let library = Library::from_sources(sources);
    assert_eq!(library.decks.len(), 1);
    assert_eq!(
        library
            .errors
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>(),
        vec!["two.ron:2:5: duplicate deck id \"d\" (already used by one.ron)"]
    );
}

#[test]
fn a_broken_deck_does_not_stop_the_others() {
    let sources = vec![
        (
            "bad.ron".to_string(),
            Origin::Bundled,
            Ok("(id: ".to_string()),
        ),
        (
            "good.ron".to_string(),
            Origin::Bundled,
            Ok(GOOD.to_string()),
        ),
        (
            "gone.ron".to_string(),
            Origin::Bundled,
            Err("cannot read file".to_string()),
        ),
    ];
    let library = Library::from_sources(sources);
    assert_eq!(library.decks.len(), 1);
    assert_eq!(library.errors.len(), 2);
    assert_eq!(library.errors[1].to_string(), "gone.ron: cannot read file");
    let key = CardKey::new("d", "a");
    assert_eq!(library.question(&key).map(|q| q.prompt.as_str()), Some("P"));
}

#[test]
fn summaries_count_kinds_and_topics() {
    let library = Library::from_sources(vec![("d.ron".into(), Origin::Bundled, Ok(GOOD.into()))]);
    let s = &library.summaries()[0];
    assert_eq!(s.questions, 1);
    assert_eq!(s.by_kind.get("Flashcard"), Some(&1));
    assert_eq!(s.topics.get("T"), Some(&1));
    assert_eq!(s.category, "Coursework");
}

#[test]
fn a_users_copy_of_a_bundled_deck_takes_its_place_but_two_user_files_clash() {
    let copy = GOOD.replace("prompt: \"P\"", "prompt: \"My wording\"");
    let file = |name: &str| Origin::File(std::path::PathBuf::from(name));
    let library = Library::from_sources(vec![
        ("decks/d.ron".into(), Origin::Bundled, Ok(GOOD.into())),
        ("mine/d.ron".into(), file("mine/d.ron"), Ok(copy.clone())),
        ("mine/d2.ron".into(), file("mine/d2.ron"), Ok(copy)),
    ]);
    assert_eq!(library.decks.len(), 1);
    let loaded = &library.decks[0];
    assert!(loaded.replaces_bundled);
    assert_eq!(loaded.path, "mine/d.ron");
    let key = CardKey::new("d", "a");
    assert_eq!(
        library.question(&key).map(|q| q.prompt.as_str()),
        Some("My wording")
    );
    assert_eq!(library.errors.len(), 1);
    assert!(library.errors[0].message.contains("duplicate deck id"));
}
