use super::*;
use crate::model::Category;

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

/// Every error of `library`, as `recall check` prints it.
fn messages(library: &Library) -> Vec<String> {
    library.errors.iter().map(ToString::to_string).collect()
}

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
        messages(&library),
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
            Err(DeckError::whole_file("gone.ron", "cannot read file")),
        ),
    ];
    let library = Library::from_sources(sources);
    assert_eq!(library.decks.len(), 1);
    assert_eq!(library.errors.len(), 2);
    assert_eq!(library.errors[1].to_string(), "gone.ron: cannot read file");
    let key = CardKey::new("d", "a");
    assert_eq!(
        library.question(&key).map(|q| q.prompt.clone()).as_deref(),
        Some("P")
    );
}

#[test]
fn a_card_is_found_by_its_keys_hash_unless_two_keys_share_it() {
    let other = GOOD.replace("id: \"d\"", "id: \"e\"");
    let mut library = Library::from_sources(vec![
        ("d.ron".into(), Origin::Bundled, Ok(GOOD.into())),
        ("e.ron".into(), Origin::Bundled, Ok(other)),
    ]);
    let e = CardRef {
        deck: "e",
        question: "a",
    };
    assert_eq!(library.position_of_hash(e.key_hash()), Some(1));
    assert_eq!(library.position(e), Some(1));
    let unknown = CardRef {
        deck: "e",
        question: "b",
    };
    assert_eq!(library.position_of_hash(unknown.key_hash()), None);
    // Were two keys to share a hash, only their text would tell them apart.
    library.shared_hashes.push(e.key_hash());
    assert_eq!(library.position_of_hash(e.key_hash()), None);
    assert_eq!(library.position(e), Some(1));
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
        library.question(&key).map(|q| q.prompt.clone()).as_deref(),
        Some("My wording")
    );
    assert_eq!(library.errors.len(), 1);
    assert!(library.errors[0].message.contains("duplicate deck id"));
}

/// A deck with one question, `(id: "q", ...)`, of kind `kind`, whose
/// `field: "P"` text is replaced by `value` when given.
fn one_question(kind: &str, field: Option<(&str, &str)>) -> String {
    let question = format!(
        r#"        (id: "q", topic: "T", prompt: "P", kind: {kind}, explanation: "E", tags: ["t"], source: "S"),"#
    );
    let question = match field {
        Some((from, to)) => question.replacen(from, to, 1),
        None => question,
    };
    deck_with(&question)
}

#[test]
fn every_text_field_is_limited_and_the_error_points_at_it() {
    let flashcard = r#"Flashcard(answer: "A")"#;
    let mcq = r#"MultipleChoice(options: ["a", "b"], correct: [0])"#;
    let typed = r#"TypedAnswer(accepted: ["a", "b"])"#;
    let cloze = r#"Cloze(text: "a {{b}}")"#;
    // (kind, text to replace, its replacement with `@` standing for the long
    // text, expected `line:col: message` start)
    let cases = [
        (
            flashcard,
            r#"prompt: "P""#,
            r#"prompt: "@""#,
            "7:31: question \"q\": the prompt is 20001 characters long, over the limit of 20000",
        ),
        (
            flashcard,
            r#"explanation: "E""#,
            r#"explanation: "@""#,
            "7:74: question \"q\": the explanation is 20001",
        ),
        (
            flashcard,
            r#"topic: "T""#,
            r#"topic: "@""#,
            "7:19: question \"q\": the topic is 20001",
        ),
        (
            flashcard,
            r#"tags: ["t"]"#,
            r#"tags: ["t", "@"]"#,
            "7:92: question \"q\": tag 2 is 20001",
        ),
        (
            flashcard,
            r#"source: "S""#,
            r#"source: "@""#,
            "7:105: question \"q\": the source is 20001",
        ),
        (
            flashcard,
            r#"answer: "A""#,
            r#"answer: "@""#,
            "7:60: flashcard \"q\": the answer is 20001",
        ),
        (
            mcq,
            r#""b""#,
            r#""@""#,
            "7:65: multiple-choice question \"q\": option 2 is 20001",
        ),
        (
            typed,
            r#""a""#,
            r#""@""#,
            "7:62: typed-answer question \"q\": accepted answer 1 is 20001",
        ),
        (
            cloze,
            r#""a {{b}}""#,
            r#""{{b}}@""#,
            "7:56: cloze \"q\": the text is 20001",
        ),
        (
            flashcard,
            r#"id: "q""#,
            r#"id: "@""#,
            "7:10: the question id is 20001",
        ),
    ];
    for (kind, from, to, expected) in cases {
        // A field of `n` characters; the cloze's `{{b}}` counts too.
        let blank = if to.contains("{{b}}") { 5 } else { 0 };
        let fill = |n: usize| to.replace('@', &"é".repeat(n - blank));
        let errs = errors(&one_question(kind, Some((from, &fill(MAX_TEXT_CHARS + 1)))));
        assert_eq!(errs.len(), 1, "{expected}: {errs:.200?}");
        assert!(
            errs[0].starts_with(&format!("d.ron:{expected}")),
            "{expected}: {:.200}",
            errs[0]
        );
        // At the limit, the same text is fine.
        let at_limit = one_question(kind, Some((from, &fill(MAX_TEXT_CHARS))));
        assert_eq!(errors(&at_limit), Vec::<String>::new(), "{expected}");
    }
    let long = "é".repeat(MAX_TEXT_CHARS + 1);
    let long_title = GOOD.replace(r#"title: "Deck""#, &format!(r#"title: "{long}""#));
    assert_eq!(
        errors(&long_title),
        vec!["d.ron:3:5: the deck title is 20001 characters long, over the limit of 20000"]
    );
}

#[test]
fn a_deck_over_the_question_limit_gets_one_error_at_the_first_question_too_many() {
    let question =
        r#"(id: "q", topic: "T", prompt: "P", kind: TrueFalse(answer: true), explanation: "E"),"#;
    let text = deck_with(&format!("{question}\n").repeat(MAX_QUESTIONS + 1));
    // Line 7 holds question 1.
    assert_eq!(
        errors(&text),
        vec![format!(
            "d.ron:{}:1: the deck has 50001 questions, over the limit of 50000; split it into several decks",
            7 + MAX_QUESTIONS
        )]
    );
}

#[test]
fn nul_characters_are_refused_where_they_are() {
    let text = GOOD.replace("prompt: \"P\"", "prompt: \"P\0\"");
    assert_eq!(
        errors(&text),
        vec!["d.ron:10:23: the file contains a NUL character; it is not a text file"]
    );
    // Written as an escape, it would come back as a raw NUL when saved.
    let escaped = GOOD.replace("prompt: \"P\"", r#"prompt: "P\u{0}""#);
    assert_eq!(
        errors(&escaped),
        vec!["d.ron:10:13: question \"a\": the prompt contains a NUL character"]
    );
}

#[test]
fn text_over_the_file_limit_is_refused_whole() {
    let text = " ".repeat(MAX_FILE_BYTES as usize + 1);
    assert_eq!(
        errors(&text),
        vec![
            "d.ron: the file is 50000001 bytes, over the limit of 50000000 bytes (50 MB) for a deck"
        ]
    );
}

#[test]
fn absurd_nesting_fails_fast_with_a_position() {
    let deep = format!("{}\"x\"{}", "[".repeat(10_000), "]".repeat(10_000));
    let text = GOOD.replace("prompt: \"P\"", &format!("prompt: {deep}"));
    assert_eq!(errors(&text), vec!["d.ron:10:20: Expected string"]);
    // RON's own wording names its API; the deck author gets the limit instead.
    let error = syntax_error(
        "d.ron",
        ron::error::SpannedError {
            code: ron::Error::ExceededRecursionLimit,
            span: ron::error::Span {
                start: ron::error::Position { line: 3, col: 9 },
                end: ron::error::Position { line: 3, col: 10 },
            },
        },
    );
    assert_eq!(
        error.to_string(),
        "d.ron:3:9: values are nested deeper than the limit of 16 levels"
    );
}

#[test]
fn the_nesting_limit_leaves_room_for_real_decks() {
    let mcq = one_question(
        r#"MultipleChoice(options: ["a", "b"], correct: [0])"#,
        Some((r#"source: "S""#, r#"source: Some("S")"#)),
    );
    let named = mcq
        .replacen('(', "Deck(", 1)
        .replace("        (id", "        Question(id");
    for text in [mcq, named] {
        assert_eq!(errors(&text), Vec::<String>::new(), "{text}");
    }
}

#[test]
fn files_are_checked_for_size_and_encoding_as_they_are_read() {
    let dir = tempfile::tempdir().expect("temp dir");
    let big = dir.path().join("big.ron");
    // Sparse: the check must refuse it from its size alone.
    std::fs::File::create(&big)
        .and_then(|f| f.set_len(MAX_FILE_BYTES + 1))
        .expect("big file");
    std::fs::write(dir.path().join("latin1.ron"), b"(\n  id: \"caf\xe9\",\n)").expect("write");
    std::fs::write(dir.path().join("cut.ron"), b"(id: \"\xe2\x82").expect("write");
    let library = Library::load(false, &[dir.path().to_path_buf()], &[]);
    let label = |name: &str| dir.path().join(name).display().to_string();
    assert_eq!(
        messages(&library),
        vec![
            format!(
                "{}: the file is 50000001 bytes, over the limit of 50000000 bytes (50 MB) for a deck",
                label("big.ron")
            ),
            format!(
                "{}:1:7: the file ends in the middle of a UTF-8 character",
                label("cut.ron")
            ),
            format!(
                "{}:2:11: the file is not UTF-8 text (found the byte 0xE9); save it as UTF-8",
                label("latin1.ron")
            ),
        ]
    );
}

#[test]
fn a_byte_order_mark_is_skipped() {
    let text = format!(
        "\u{feff}{}",
        GOOD.replace("title: \"Deck\"", "title: \" \"")
    );
    assert_eq!(errors(&text), vec!["d.ron:3:5: the deck title is empty"]);
    assert!(parse_deck("d.ron", &format!("\u{feff}{GOOD}")).is_ok());
}

#[test]
fn an_overlong_id_is_cut_short_in_the_other_messages() {
    let id = "q".repeat(MAX_TEXT_CHARS + 1);
    let text = one_question(
        r#"Flashcard(answer: "A")"#,
        Some((
            r#"id: "q", topic: "T""#,
            &format!(r#"id: "{id}", topic: """#),
        )),
    );
    assert_eq!(
        errors(&text),
        vec![
            "d.ron:7:10: the question id is 20001 characters long, over the limit of 20000"
                .to_string(),
            format!(
                "d.ron:7:20019: question \"{}…\" has an empty topic",
                "q".repeat(40)
            ),
        ]
    );
}

#[cfg(unix)]
#[test]
fn links_back_up_the_folder_tree_are_searched_once() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("d.ron"), GOOD).expect("write");
    // Two loops made 2^40 paths before the kernel gave up: a hang.
    for name in ["loop", "again"] {
        std::os::unix::fs::symlink(".", dir.path().join(name)).expect("symlink");
    }
    let library = Library::load(false, &[dir.path().to_path_buf()], &[]);
    assert_eq!(library.errors, Vec::<DeckError>::new());
    assert_eq!(library.decks.len(), 1);
}

#[test]
fn a_reload_reads_again_only_the_files_that_changed() {
    let dir = tempfile::tempdir().expect("temp dir");
    let kept = dir.path().join("kept.ron");
    let edited = dir.path().join("edited.ron");
    std::fs::write(&kept, GOOD.replace("title: \"Deck\"", "title: \"Kept\"")).expect("write");
    std::fs::write(&edited, GOOD.replace("id: \"d\"", "id: \"e\"")).expect("write");
    let folders = [dir.path().to_path_buf()];
    let library = Library::load(false, &folders, &[]);
    let titles = |library: &Library| -> Vec<String> {
        library.decks.iter().map(|d| d.deck.title.clone()).collect()
    };
    assert_eq!(titles(&library), ["Deck", "Kept"]);

    // Same length and the same modification time: the reload keeps the
    // parsed deck instead of reading the file, which proves it was reused.
    let modified = std::fs::metadata(&kept)
        .and_then(|m| m.modified())
        .expect("mtime");
    std::fs::write(&kept, GOOD.replace("title: \"Deck\"", "title: \"Same\"")).expect("write");
    std::fs::File::options()
        .write(true)
        .open(&kept)
        .and_then(|f| f.set_modified(modified))
        .expect("set mtime");
    // A real edit changes the stamp and is read again.
    std::fs::write(
        &edited,
        GOOD.replace("id: \"d\"", "id: \"e\"")
            .replace("title: \"Deck\"", "title: \"Edited deck\""),
    )
    .expect("write");
    let library = library.reload(false, &folders, &[]);
    assert_eq!(titles(&library), ["Edited deck", "Kept"]);
    assert!(library.question(&CardKey::new("e", "a")).is_some());

    // A removed file's deck goes; a new file with a taken id is an error.
    std::fs::remove_file(&edited).expect("remove");
    std::fs::write(dir.path().join("twin.ron"), GOOD).expect("write");
    let library = library.reload(false, &folders, &[]);
    assert_eq!(titles(&library), ["Kept"]);
    assert_eq!(
        messages(&library),
        [format!(
            "{}:2:5: duplicate deck id \"d\" (already used by {})",
            dir.path().join("twin.ron").display(),
            kept.display()
        )]
    );
}

#[test]
fn a_tracked_reload_tells_which_decks_were_taken_over_and_which_were_retired() {
    let dir = tempfile::tempdir().expect("temp dir");
    let deck = |id: &str, title: &str| {
        GOOD.replace("id: \"d\"", &format!("id: \"{id}\""))
            .replace("title: \"Deck\"", &format!("title: \"{title}\""))
    };
    let write =
        |name: &str, text: String| std::fs::write(dir.path().join(name), text).expect("write");
    write("a.ron", deck("a", "A"));
    write("b.ron", deck("b", "B"));
    let folders = [dir.path().to_path_buf()];
    let retired = |reloaded: &Reloaded| -> Vec<(usize, String)> {
        let mut retired: Vec<(usize, String)> = reloaded
            .retired
            .iter()
            .map(|(i, deck)| (*i, deck.title.clone()))
            .collect();
        retired.sort();
        retired
    };
    let library = Library::load(false, &folders, &[]);

    let (library, reloaded) = library.reload_tracked(false, &folders, &[]);
    assert!(reloaded.unchanged());
    assert_eq!(reloaded.kept, [Some(0), Some(1)]);

    // A new file sorted first moves the others along.
    write("0.ron", deck("z", "Z"));
    let (library, reloaded) = library.reload_tracked(false, &folders, &[]);
    assert!(!reloaded.unchanged());
    assert_eq!(reloaded.kept, [None, Some(0), Some(1)]);
    assert_eq!(retired(&reloaded), []);

    // An edited file's old deck and a removed file's deck are retired.
    write("b.ron", deck("b", "B, edited"));
    std::fs::remove_file(dir.path().join("0.ron")).expect("remove");
    let (library, reloaded) = library.reload_tracked(false, &folders, &[]);
    assert_eq!(reloaded.kept, [Some(1), None]);
    assert_eq!(
        retired(&reloaded),
        [(0, "Z".to_string()), (2, "B".to_string())]
    );

    // A deck that could be taken over but is now shadowed by a file with
    // its id, sorted first, is retired too.
    write("0.ron", deck("a", "Twin"));
    let (library, reloaded) = library.reload_tracked(false, &folders, &[]);
    assert_eq!(library.decks[0].deck.title, "Twin");
    assert_eq!(reloaded.kept, [None, Some(1)]);
    assert_eq!(retired(&reloaded), [(0, "A".to_string())]);
}

#[test]
fn a_deck_saved_by_recall_is_read_again_even_with_the_same_size_and_time() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut deck = parse_deck("d.ron", GOOD).expect("valid deck");
    let path = write::save(dir.path(), &deck).expect("save");
    let folders = [dir.path().to_path_buf()];
    let library = Library::load(false, &folders, &[]);
    let modified = std::fs::metadata(&path)
        .and_then(|m| m.modified())
        .expect("mtime");
    // A one-letter fix saved within the clock's resolution: same size, same time.
    deck.title = "Dock".into();
    write::save(dir.path(), &deck).expect("save");
    std::fs::File::options()
        .write(true)
        .open(&path)
        .and_then(|f| f.set_modified(modified))
        .expect("set mtime");
    let library = library.reload(false, &folders, &[]);
    assert_eq!(library.decks[0].deck.title, "Dock");
}

#[test]
fn work_in_parallel_keeps_the_order_and_does_every_item() {
    let items: Vec<u64> = (0..1_000).collect();
    let doubled = in_parallel(items, |n| {
        // Uneven work, so threads finish their items out of order.
        if n % 7 == 0 {
            std::thread::yield_now();
        }
        n * 2
    });
    assert_eq!(doubled, (0..1_000).map(|n| n * 2).collect::<Vec<u64>>());
    assert_eq!(in_parallel(Vec::<u8>::new(), |n| n), Vec::<u8>::new());
}

#[test]
fn errors_from_many_files_come_in_file_order() {
    let dir = tempfile::tempdir().unwrap();
    for i in 0..12 {
        let text = if i % 3 == 0 {
            format!("(id: \"d{i}\", title: oops)")
        } else {
            GOOD.replace("id: \"d\"", &format!("id: \"d{i}\""))
        };
        std::fs::write(dir.path().join(format!("{i:02}.ron")), text).unwrap();
    }
    let library = Library::load(false, &[dir.path().to_path_buf()], &[]);
    let ids: Vec<&str> = library.decks.iter().map(|d| d.deck.id.as_str()).collect();
    assert_eq!(ids, ["d1", "d2", "d4", "d5", "d7", "d8", "d10", "d11"]);
    let failed: Vec<&str> = library.errors.iter().map(|e| e.path.as_str()).collect();
    let names: Vec<String> = failed
        .iter()
        .map(|p| {
            Path::new(p)
                .file_name()
                .unwrap()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    assert_eq!(names, ["00.ron", "03.ron", "06.ron", "09.ron"]);
}

#[test]
fn positions_follow_card_order_and_split_by_deck() {
    let deck = |id: &str, n: usize| {
        let questions: String = (0..n)
            .map(|i| format!("(id: \"q{i}\", topic: \"T\", prompt: \"P\", kind: TrueFalse(answer: true), explanation: \"E\"),"))
            .collect();
        format!("(id: \"{id}\", title: \"D\", category: Tools, questions: [{questions}])")
    };
    let library = Library::from_sources(vec![
        ("a.ron".into(), Origin::Bundled, Ok(deck("a", 2))),
        ("b.ron".into(), Origin::Bundled, Ok(deck("b", 3))),
    ]);
    let order: Vec<Option<usize>> = library
        .cards()
        .map(|(key, _)| library.position(key))
        .collect();
    assert_eq!(order, [Some(0), Some(1), Some(2), Some(3), Some(4)]);
    let missing = CardRef {
        deck: "b",
        question: "q9",
    };
    assert_eq!(library.position(missing), None);
    let per_card = [10, 11, 20, 21, 22];
    let split: Vec<(&str, &[i32])> = library
        .by_deck(&per_card)
        .map(|(d, part)| (d.deck.id.as_str(), part))
        .collect();
    assert_eq!(split, [("a", &[10, 11][..]), ("b", &[20, 21, 22][..])]);
    let short: Vec<usize> = library
        .by_deck(&per_card[..3])
        .map(|(_, p)| p.len())
        .collect();
    assert_eq!(short, [2, 1]);
}

/// A folder `decks/` in `dir` with the deck `GOOD` as `d.ron`, and the cache
/// folder beside it.
fn cached_setup(dir: &Path) -> (Vec<PathBuf>, PathBuf, PathBuf) {
    let decks = dir.join("decks");
    std::fs::create_dir_all(&decks).unwrap();
    let file = decks.join("d.ron");
    std::fs::write(&file, GOOD).unwrap();
    (vec![decks], file, dir.join("cache"))
}

#[test]
fn an_unchanged_file_comes_from_the_cache_and_a_changed_one_is_parsed_again() {
    let dir = tempfile::tempdir().unwrap();
    let (folders, file, cache_dir) = cached_setup(dir.path());
    let first = Library::load_cached(false, &folders, &[], &cache_dir);
    assert_eq!(
        first.decks[0].deck,
        Library::load(false, &folders, &[]).decks[0].deck
    );
    let entries: Vec<PathBuf> = std::fs::read_dir(&cache_dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(entries.len(), 1, "one entry per deck file");

    // Proof the cache is read: an entry edited by hand is what loads, as
    // long as the file it stands for is unchanged.
    let text = std::fs::read_to_string(&entries[0]).unwrap();
    std::fs::write(&entries[0], text.replace("\"Deck\"", "\"From the cache\"")).unwrap();
    let second = Library::load_cached(false, &folders, &[], &cache_dir);
    assert_eq!(second.decks[0].deck.title, "From the cache");

    // Saving the file (a new inode, as Recall's own saves make) parses it again.
    let edited = GOOD.replace("title: \"Deck\"", "title: \"Edited\"");
    std::fs::remove_file(&file).unwrap();
    std::fs::write(&file, edited).unwrap();
    let third = Library::load_cached(false, &folders, &[], &cache_dir);
    assert_eq!(third.decks[0].deck.title, "Edited");
    let reloaded = third.reload(false, &folders, &[]);
    assert_eq!(reloaded.decks[0].deck.title, "Edited");
}

#[test]
fn a_torn_cache_entry_is_ignored_and_a_broken_deck_is_never_cached() {
    let dir = tempfile::tempdir().unwrap();
    let (folders, file, cache_dir) = cached_setup(dir.path());
    Library::load_cached(false, &folders, &[], &cache_dir);
    let entry = std::fs::read_dir(&cache_dir)
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    let text = std::fs::read(&entry).unwrap();
    std::fs::write(&entry, &text[..text.len() / 2]).unwrap();
    let library = Library::load_cached(false, &folders, &[], &cache_dir);
    assert_eq!(library.decks[0].deck.title, "Deck");
    assert_eq!(
        std::fs::read(&entry).unwrap(),
        text,
        "the entry is written again whole"
    );

    std::fs::remove_file(&file).unwrap();
    std::fs::write(&file, "(id: \"d\", title: oops)").unwrap();
    for _ in 0..2 {
        let library = Library::load_cached(false, &folders, &[], &cache_dir);
        assert!(library.decks.is_empty());
        assert_eq!(library.errors.len(), 1, "the error is reported every time");
    }
}

/// A deck of three questions of different kinds, as RON.
fn three_questions() -> Deck {
    let question = |id: &str, topic: &str, kind| Question {
        id: id.into(),
        topic: topic.into(),
        prompt: format!("What is {id}?"),
        kind,
        explanation: format!("Because of {id}."),
        tags: vec!["t".into()],
        source: Some("a paper".into()),
    };
    Deck {
        id: "three".into(),
        title: "Three".into(),
        category: Category::Tools,
        description: "three questions".into(),
        questions: vec![
            question("a", "first", QuestionKind::TrueFalse { answer: true }),
            question(
                "b",
                "second",
                QuestionKind::MultipleChoice {
                    options: vec!["x".into(), "y".into()],
                    correct: vec![1],
                },
            ),
            question(
                "c",
                "first",
                QuestionKind::Cloze {
                    text: "a {{blank}} here".into(),
                },
            ),
        ],
    }
}

/// The folder `decks/` in `dir` with [`three_questions`] as `three.ron`, the
/// file, and the cache folder beside it.
fn three_setup(dir: &Path) -> (Vec<PathBuf>, PathBuf, PathBuf) {
    let decks = dir.join("decks");
    std::fs::create_dir_all(&decks).unwrap();
    let file = decks.join("three.ron");
    std::fs::write(&file, write::to_ron(&three_questions())).unwrap();
    (vec![decks], file, dir.join("cache"))
}

/// The only file in the cache folder `dir`.
fn only_entry(dir: &Path) -> PathBuf {
    let entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(entries.len(), 1);
    entries[0].clone()
}

#[test]
fn a_cached_deck_keeps_its_text_on_disk_and_reads_each_question_when_asked() {
    let dir = tempfile::tempdir().unwrap();
    let (folders, _, cache_dir) = three_setup(dir.path());
    let expected = three_questions();
    // The first load parses the file and keeps it; the second reads the
    // entry's first line only. Neither holds the text in memory.
    for _ in 0..2 {
        let library = Library::load_cached(false, &folders, &[], &cache_dir);
        assert!(library.errors.is_empty(), "{:?}", messages(&library));
        let loaded = &library.decks[0];
        assert!(matches!(loaded.text, Text::Cached(_)));
        assert_eq!(loaded.deck, IndexedDeck::of(&expected));
        for q in &expected.questions {
            let read = library.question(&CardKey::new("three", &q.id)).unwrap();
            assert_eq!(*read, *q);
        }
        assert_eq!(loaded.full().unwrap(), expected);
    }
    // Decks loaded without a cache folder, and bundled ones, keep their text.
    let uncached = Library::load(true, &folders, &[]);
    assert!(
        uncached
            .decks
            .iter()
            .all(|d| matches!(d.text, Text::Held(_)))
    );
    assert_eq!(uncached.deck("three").unwrap().full().unwrap(), expected);
}

#[test]
fn a_question_whose_entry_is_gone_or_replaced_is_read_from_its_unchanged_file() {
    let dir = tempfile::tempdir().unwrap();
    let (folders, file, cache_dir) = three_setup(dir.path());
    let expected = three_questions();
    let library = Library::load_cached(false, &folders, &[], &cache_dir);
    let entry = only_entry(&cache_dir);

    // Another process replaced the entry with other text: its stamp no
    // longer matches, so the file is parsed again instead.
    let text = std::fs::read_to_string(&entry).unwrap();
    let forged = text.replace("What is a?", "Forged?");
    assert_ne!(forged, text);
    std::fs::remove_file(&entry).unwrap();
    std::fs::write(&entry, forged).unwrap();
    let a = library.question(&CardKey::new("three", "a")).unwrap();
    assert_eq!(a.prompt, "What is a?");

    // With the entry gone, the file still gives the text.
    std::fs::remove_file(&entry).unwrap();
    assert_eq!(library.deck("three").unwrap().full().unwrap(), expected);
    let b = library.question(&CardKey::new("three", "b")).unwrap();
    assert_eq!(*b, expected.questions[1]);

    // With the file changed too, the text is no longer to be had, and the
    // error says why; a question read lately is still at hand.
    std::fs::remove_file(&file).unwrap();
    std::fs::write(
        &file,
        write::to_ron(&three_questions()).replace("Three", "Other"),
    )
    .unwrap();
    let error = library.deck("three").unwrap().full().unwrap_err();
    assert!(
        error.message.contains("changed since it was loaded"),
        "{error}"
    );
    assert!(library.question(&CardKey::new("three", "c")).is_none());
    assert_eq!(library.question(&CardKey::new("three", "a")).unwrap(), a);
}

#[test]
fn an_entry_whose_lines_do_not_match_its_first_line_is_not_read() {
    let dir = tempfile::tempdir().unwrap();
    let (folders, _, cache_dir) = three_setup(dir.path());
    Library::load_cached(false, &folders, &[], &cache_dir);
    let entry = only_entry(&cache_dir);
    let text = std::fs::read_to_string(&entry).unwrap();
    // One question's line longer than its first line says: a torn or edited
    // entry, which is parsed again from the file and written whole.
    std::fs::write(&entry, text.replace("Because of b.", "Because of bb.")).unwrap();
    let library = Library::load_cached(false, &folders, &[], &cache_dir);
    assert_eq!(
        *library.question(&CardKey::new("three", "b")).unwrap(),
        three_questions().questions[1]
    );
    assert_eq!(std::fs::read_to_string(&entry).unwrap(), text);
}
