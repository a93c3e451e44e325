use super::*;

fn state(due_day: i64, reps: u32) -> CardState {
    CardState {
        stability: 2.5,
        difficulty: 5.0,
        due_day,
        last_review: Timestamp(1_000),
        last_day: 10,
        reps,
        lapses: 0,
    }
}

fn review(question: &str, at: i64, rating: Rating) -> Review {
    Review {
        key: CardKey::new("d", question),
        reviewed_at: Timestamp(at),
        rating,
        correct: rating != Rating::Again,
        duration_ms: 1500,
        kind: "Flashcard".into(),
        session: None,
    }
}

/// The log the statistics would hold of `reviews`, given oldest first.
fn history_of(reviews: &[Review]) -> History {
    let mut history = History::new(DayClock::default());
    for r in reviews {
        history.push(r.key.borrowed(), r.reviewed_at, r.correct, r.session);
    }
    history
}

#[test]
fn answers_round_trip_and_undo_restores_exactly() {
    let mut store = Store::open_in_memory().unwrap();
    let first = review("a", 100, Rating::Good);
    store.record_answer(&first, &state(12, 1)).unwrap();
    let second = review("a", 200, Rating::Hard);
    store.record_answer(&second, &state(14, 2)).unwrap();
    assert_eq!(store.reviews_of(&CardKey::new("d", "a")).unwrap().len(), 2);
    assert_eq!(
        store.card_states().unwrap()[&CardKey::new("d", "a")],
        state(14, 2)
    );

    store.undo_answer(&second, Some(&state(12, 1))).unwrap();
    assert_eq!(
        store.reviews_of(&CardKey::new("d", "a")).unwrap(),
        vec![review("a", 100, Rating::Good)]
    );
    assert_eq!(
        store.card_states().unwrap()[&CardKey::new("d", "a")],
        state(12, 1)
    );

    store.undo_answer(&first, None).unwrap();
    assert!(store.card_states().unwrap().is_empty());
    assert!(store.all_reviews().unwrap().is_empty());
}

#[test]
fn undo_refuses_a_review_that_is_not_stored() {
    let mut store = Store::open_in_memory().unwrap();
    store
        .record_answer(&review("a", 100, Rating::Good), &state(12, 1))
        .unwrap();
    for missing in [
        review("b", 100, Rating::Good),
        review("a", 101, Rating::Good),
    ] {
        assert!(matches!(
            store.undo_answer(&missing, None),
            Err(Error::NothingToUndo)
        ));
    }
    assert_eq!(store.all_reviews().unwrap().len(), 1);
    assert_eq!(store.card_states().unwrap().len(), 1);
}

#[test]
fn a_second_answer_to_a_card_at_the_same_millisecond_is_refused() {
    let mut store = Store::open_in_memory().unwrap();
    store
        .record_answer(&review("a", 100, Rating::Good), &state(12, 1))
        .unwrap();
    assert!(
        store
            .record_answer(&review("a", 100, Rating::Again), &state(1, 2))
            .is_err()
    );
    assert_eq!(
        store.reviews_of(&CardKey::new("d", "a")).unwrap(),
        vec![review("a", 100, Rating::Good)]
    );
    assert_eq!(
        store.card_states().unwrap()[&CardKey::new("d", "a")],
        state(12, 1),
        "the refused answer's state is not stored either"
    );
}

#[test]
fn replacing_a_rating_keeps_one_review() {
    let mut store = Store::open_in_memory().unwrap();
    store
        .record_answer(&review("a", 100, Rating::Good), &state(12, 1))
        .unwrap();
    store
        .replace_answer(None, &review("a", 100, Rating::Easy), &state(20, 1))
        .unwrap();
    let reviews = store.all_reviews().unwrap();
    assert_eq!(reviews.len(), 1);
    assert_eq!(reviews[0].rating, Rating::Easy);
    assert_eq!(
        store.card_states().unwrap()[&CardKey::new("d", "a")].due_day,
        20
    );
}

#[test]
fn counts_reviews_and_new_cards_since_a_time() {
    let mut store = Store::open_in_memory().unwrap();
    store
        .record_answer(&review("a", 100, Rating::Good), &state(1, 1))
        .unwrap();
    store
        .record_answer(&review("a", 300, Rating::Good), &state(2, 2))
        .unwrap();
    store
        .record_answer(&review("b", 400, Rating::Again), &state(3, 1))
        .unwrap();
    assert_eq!(store.reviews_since(Timestamp(250)).unwrap(), 2);
    assert_eq!(store.new_cards_since(Timestamp(250)).unwrap(), 1);
    assert_eq!(store.new_cards_since(Timestamp(0)).unwrap(), 2);
}

#[test]
fn sessions_and_settings_persist() {
    let mut store = Store::open_in_memory().unwrap();
    assert_eq!(store.settings().unwrap(), Settings::default());
    let changed = Settings {
        new_per_day: 7,
        ..Settings::default()
    };
    store.save_settings(&changed).unwrap();
    assert_eq!(store.settings().unwrap(), changed);

    let id = store.start_session("due", Timestamp(10)).unwrap();
    store.finish_session(id, Timestamp(90), 4, 3).unwrap();
    let sessions = store.sessions().unwrap();
    assert_eq!(sessions.len(), 1);
    assert_eq!(sessions[0].score, Some(0.75));
    assert_eq!(sessions[0].ended_at, Some(Timestamp(90)));
}

#[test]
fn a_file_database_survives_reopening() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(DB_FILE);
    {
        let mut store = Store::open(&path).unwrap();
        store
            .record_answer(&review("a", 100, Rating::Good), &state(12, 1))
            .unwrap();
    }
    let store = Store::open(&path).unwrap();
    assert_eq!(store.all_reviews().unwrap().len(), 1);
}

#[test]
fn garbage_and_newer_databases_are_refused_and_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let garbage = dir.path().join("garbage.sqlite3");
    let junk = b"this is not a database at all, just some bytes that go on for a while".repeat(100);
    std::fs::write(&garbage, &junk).unwrap();
    let err = Store::open(&garbage).err().expect("garbage refused");
    assert!(matches!(err, Error::CorruptDatabase { .. }), "{err}");
    assert!(err.to_string().contains("left untouched"));
    assert_eq!(std::fs::read(&garbage).unwrap(), junk);

    let newer = dir.path().join("newer.sqlite3");
    {
        let conn = Connection::open(&newer).unwrap();
        conn.pragma_update(None, "user_version", 99).unwrap();
    }
    let before = std::fs::read(&newer).unwrap();
    let err = Store::open(&newer).err().expect("newer refused");
    assert!(
        matches!(
            err,
            Error::NewerDatabase {
                found: 99,
                known: SCHEMA_VERSION,
                ..
            }
        ),
        "{err}"
    );
    assert_eq!(std::fs::read(&newer).unwrap(), before);
}

#[test]
fn study_days_follow_the_day_clock_both_sides_of_the_rollover() {
    use crate::clock::{DAY_MS, DayClock};
    let mut store = Store::open_in_memory().unwrap();
    // UTC+2 with a 4 am rollover: 01:59 UTC is still the previous study day.
    let clock = DayClock {
        utc_offset_secs: 7200,
        rollover_hour: 4,
    };
    let base = 20_000 * DAY_MS;
    for (q, at) in [
        ("a", base + 3_600_000),
        ("b", base + 3 * 3_600_000),
        ("c", base + 5 * 3_600_000),
    ] {
        store
            .record_answer(&review(q, at, Rating::Good), &state(1, 1))
            .unwrap();
    }
    let first = clock.day(Timestamp(base + 3_600_000));
    assert_eq!(clock.day(Timestamp(base + 3 * 3_600_000)), first + 1);
    assert_eq!(clock.day(Timestamp(base + 5 * 3_600_000)), first + 1);
    let studied = |day: i64| {
        store
            .reviewed_between(clock.day_start(day), clock.day_start(day + 1))
            .unwrap()
    };
    assert_eq!(
        (first - 1..=first + 2).map(studied).collect::<Vec<_>>(),
        [false, true, true, false]
    );
    // The later day starts at 02:00 UTC: 04:00 local, the rollover.
    assert_eq!(clock.day_start(first + 1), Timestamp(base + 2 * 3_600_000));
    // Before 1970 the days still floor.
    store
        .record_answer(&review("d", -1, Rating::Good), &state(1, 1))
        .unwrap();
    let utc = DayClock {
        utc_offset_secs: 0,
        rollover_hour: 0,
    };
    assert_eq!(utc.day(Timestamp(-1)), -1);
    assert!(
        store
            .reviewed_between(utc.day_start(-1), utc.day_start(0))
            .unwrap()
    );
}

#[test]
fn an_import_adds_each_review_once_and_the_history_comes_out_in_time_order() {
    let mut store = Store::open_in_memory().unwrap();
    store
        .record_answer(&review("a", 100, Rating::Good), &state(1, 1))
        .unwrap();
    // Interleaved in time, repeated, and overlapping what is stored: the
    // import writes card by card, so row order is not time order.
    let file = [
        review("b", 200, Rating::Again),
        review("a", 300, Rating::Hard),
        review("a", 100, Rating::Good),
        review("b", 400, Rating::Good),
        review("a", 300, Rating::Hard),
        review("a", 50, Rating::Easy),
    ];
    let rebuilt = std::cell::RefCell::new(Vec::new());
    let added = store
        .import_reviews(&file, |log| {
            let times: Vec<i64> = log.iter().map(|r| r.reviewed_at.0).collect();
            rebuilt
                .borrow_mut()
                .push((log[0].key.question.clone(), times));
            Ok(Some(state(9, log.len() as u32)))
        })
        .unwrap();
    assert_eq!(added, 4);
    assert_eq!(
        rebuilt.into_inner(),
        [
            ("b".to_string(), vec![200, 400]),
            ("a".to_string(), vec![50, 100, 300]),
        ]
    );
    assert_eq!(store.import_reviews(&file, |_| Ok(None)).unwrap(), 0);

    let history = store.history(DayClock::default()).unwrap();
    let expected = history_of(&[
        review("a", 50, Rating::Easy),
        review("a", 100, Rating::Good),
        review("b", 200, Rating::Again),
        review("a", 300, Rating::Hard),
        review("b", 400, Rating::Good),
    ]);
    assert_eq!(history.digest(), expected.digest());
    assert_eq!(history.len(), 5);
    assert_eq!(store.card_states().unwrap().len(), 2);
}

/// A new, empty database at `path`, as Recall's schema `version` made it.
fn database_at_schema(path: &std::path::Path, version: usize) -> Connection {
    let conn = Connection::open(path).unwrap();
    let steps = [
        include_str!("schema1.sql"),
        include_str!("schema2.sql"),
        include_str!("schema3.sql"),
        concat!(include_str!("schema4.sql"), include_str!("schema4_end.sql")),
    ];
    for step in &steps[..version] {
        conn.execute_batch(step).unwrap();
    }
    conn.pragma_update(None, "user_version", i64::try_from(version).unwrap())
        .unwrap();
    conn
}

/// The schema version and review count of the copy kept in `dir` before
/// an upgrade.
fn copy_before_upgrade(dir: &std::path::Path) -> (i64, i64) {
    Connection::open(dir.join(BEFORE_UPGRADE))
        .unwrap()
        .query_row(
            "SELECT (SELECT user_version FROM pragma_user_version), COUNT(*) FROM review_log",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap()
}

#[test]
fn a_schema_1_database_is_upgraded_in_place_with_a_copy_kept() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(DB_FILE);
    {
        let conn = Connection::open(&path).unwrap();
        conn.execute_batch(include_str!("schema1.sql")).unwrap();
        conn.execute_batch(
            "PRAGMA user_version = 1;
             INSERT INTO sessions (id, mode, started_at, ended_at, question_count, correct_count, score)
                 VALUES (7, 'due', 1000, 9000, 3, 2, 0.6667);
             INSERT INTO review_log (id, deck_id, question_id, reviewed_at, rating, correct, duration_ms, kind, session_id) VALUES
                 (1, 'd', 'a', 2000, 3, 1, 1500, 'Flashcard', 7),
                 (2, 'd', 'b', 3000, 1, 0, 2500, 'Cloze', 7),
                 (5, 'd', 'a', 4000, 4, 1, 900, 'MultipleChoice', 7),
                 (6, 'e', 'a', 1500, 2, 1, 700, 'Flashcard', NULL);
             INSERT INTO card_state VALUES
                 ('d', 'a', 9.5, 4.0, 30, 4000, 12, 2, 0),
                 ('d', 'b', 0.5, 8.0, 13, 3000, 12, 1, 1),
                 ('e', 'a', 2.0, 5.0, 14, 1500, 11, 1, 0),
                 ('gone', 'x', 1.0, 5.0, 9, 500, 8, 1, 0);",
        )
        .unwrap();
    }
    let mut store = Store::open(&path).unwrap();
    let version: i64 = store
        .conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(version, SCHEMA_VERSION);

    let reviews = store.all_reviews().unwrap();
    let seen: Vec<String> = reviews
        .iter()
        .map(|r| {
            format!(
                "{} {} {} {} {} {} {:?}",
                r.key,
                r.reviewed_at.0,
                r.rating.number(),
                r.correct,
                r.duration_ms,
                r.kind,
                r.session
            )
        })
        .collect();
    assert_eq!(
        seen,
        [
            "e/a 1500 2 true 700 Flashcard None",
            "d/a 2000 3 true 1500 Flashcard Some(7)",
            "d/b 3000 1 false 2500 Cloze Some(7)",
            "d/a 4000 4 true 900 MultipleChoice Some(7)",
        ]
    );
    let states = store.card_states().unwrap();
    assert_eq!(states.len(), 4, "a state without reviews is kept too");
    let a = states[&CardKey::new("d", "a")];
    assert_eq!(
        (
            a.stability,
            a.difficulty,
            a.due_day,
            a.last_review.0,
            a.last_day,
            a.reps,
            a.lapses
        ),
        (9.5, 4.0, 30, 4000, 12, 2, 0)
    );
    assert_eq!(states[&CardKey::new("gone", "x")].due_day, 9);
    assert_eq!(store.sessions().unwrap()[0].score, Some(0.6667));
    let history = store.history(DayClock::default()).unwrap();
    let reviews = store.all_reviews().unwrap();
    assert_eq!(reviews[0].key, CardKey::new("e", "a"));
    assert_eq!(history.len(), 4);
    assert_eq!(history.digest(), history_of(&reviews).digest());

    // An answer given before the upgrade can still be taken back.
    store.undo_answer(&reviews[3], Some(&state(20, 1))).unwrap();
    assert_eq!(store.reviews_of(&CardKey::new("d", "a")).unwrap().len(), 1);
    assert_eq!(
        store.card_states().unwrap()[&CardKey::new("d", "a")].due_day,
        20
    );

    // The schema-1 file was copied first, and opening again changes nothing.
    assert_eq!(copy_before_upgrade(dir.path()), (1, 4));
    drop(store);
    let store = Store::open(&path).unwrap();
    assert_eq!(store.all_reviews().unwrap().len(), 3);
}

#[test]
fn a_schema_2_log_is_kept_in_time_order_with_one_copy_of_each_review() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(DB_FILE);
    {
        let conn = Connection::open(&path).unwrap();
        conn.execute_batch(include_str!("schema1.sql")).unwrap();
        conn.execute_batch(include_str!("schema2.sql")).unwrap();
        // Review 4 repeats review 2: the same card at the same millisecond.
        conn.execute_batch(
            "PRAGMA user_version = 2;
             INSERT INTO cards (id, deck_id, question_id) VALUES (1, 'd', 'a'), (2, 'd', 'b');
             INSERT INTO kinds (id, name) VALUES (1, 'Flashcard'), (2, 'Cloze');
             INSERT INTO review_log (id, card, reviewed_at, rating, correct, duration_ms, kind, session_id) VALUES
                 (1, 2, 3000, 1, 0, 2500, 2, NULL),
                 (2, 1, 2000, 3, 1, 1500, 1, NULL),
                 (3, 1, 4000, 4, 1, 900, 1, NULL),
                 (4, 1, 2000, 1, 0, 800, 1, NULL);
             INSERT INTO card_state VALUES (1, 9.5, 4.0, 30, 4000, 12, 2, 0);",
        )
        .unwrap();
    }
    let store = Store::open(&path).unwrap();
    let seen: Vec<(String, i64, u8, i64)> = store
        .all_reviews()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r.key.to_string(),
                r.reviewed_at.0,
                r.rating.number(),
                r.duration_ms,
            )
        })
        .collect();
    assert_eq!(
        seen,
        [
            ("d/a".to_string(), 2000, 3, 1500),
            ("d/b".to_string(), 3000, 1, 2500),
            ("d/a".to_string(), 4000, 4, 900),
        ],
        "time order, and the first of two copies of a review"
    );
    assert_eq!(store.reviews_of(&CardKey::new("d", "a")).unwrap().len(), 2);
    assert_eq!(
        store.card_states().unwrap()[&CardKey::new("d", "a")].due_day,
        30
    );
    let history = store.history(DayClock::default()).unwrap();
    assert_eq!(history.len(), 3);
    assert_eq!(
        history.digest(),
        history_of(&store.all_reviews().unwrap()).digest()
    );
    let without_rowid: bool = store
        .conn
        .query_row(
            "SELECT sql LIKE '%WITHOUT ROWID%' FROM sqlite_master WHERE name = 'review_log'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(without_rowid);

    // The schema-2 file, with both copies, was kept first.
    assert_eq!(copy_before_upgrade(dir.path()), (2, 4));
}

#[test]
fn a_schema_3_database_gets_packed_states_found_by_their_keys_hash() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(DB_FILE);
    {
        let conn = database_at_schema(&path, 3);
        conn.execute_batch(
            "INSERT INTO cards (id, deck_id, question_id) VALUES (1, 'd', 'a'), (2, 'gone', 'x');
             INSERT INTO card_state VALUES
                 (1, 9.5, 4.0, 30, 4000, 12, 2, 1),
                 (2, 1.25, 5.5, -3, -500, 8, 4294967295, 0);",
        )
        .unwrap();
    }
    let store = Store::open(&path).unwrap();
    assert_eq!(stored_blocks(&store), [(0, 3080)]);
    let hash = |deck, question| CardRef { deck, question }.key_hash();
    assert_eq!(
        stored_hashes(&store),
        [(1, hash("d", "a")), (2, hash("gone", "x"))]
    );
    let states = store.card_states().unwrap();
    let gone = states[&CardKey::new("gone", "x")];
    assert_eq!(
        (
            gone.stability,
            gone.difficulty,
            gone.due_day,
            gone.last_review.0,
            gone.last_day
        ),
        (1.25, 5.5, -3, -500, 8)
    );
    assert_eq!((gone.reps, gone.lapses), (u32::MAX, 0));
    let a = states[&CardKey::new("d", "a")];
    assert_eq!((a.stability, a.due_day, a.reps, a.lapses), (9.5, 30, 2, 1));
    assert_eq!(copy_before_upgrade(dir.path()).0, 3);
}

/// A library of one deck `d` with questions `a`, `b` and `c`.
fn library_abc() -> Library {
    let question = |id| {
        format!(
            r#"(id: "{id}", topic: "T", prompt: "P", kind: TrueFalse(answer: true), explanation: "E")"#
        )
    };
    let text = format!(
        r#"(id: "d", title: "D", category: Tools, description: "", questions: [{}, {}, {}])"#,
        question("a"),
        question("b"),
        question("c")
    );
    Library::from_sources(vec![(
        "d.ron".into(),
        crate::deck::Origin::Bundled,
        Ok(text),
    )])
}

/// Each stored block's number and length in bytes.
fn stored_blocks(store: &Store) -> Vec<(i64, i64)> {
    store
        .conn
        .prepare("SELECT block, length(cards) FROM card_states ORDER BY block")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap()
}

/// Each stored card's database id and its key's hash as stored.
fn stored_hashes(store: &Store) -> Vec<(i64, u64)> {
    let mut seen = Vec::new();
    for_each_stored_state(&store.conn, |card, hash, _| seen.push((card, hash))).unwrap();
    seen
}

/// Stores `state` for the card `key` with database id `card`, its key's hash
/// given as `hash`.
fn put_state(store: &Store, card: i64, key: CardRef<'_>, hash: u64, state: &CardState) {
    store
        .conn
        .execute(
            "INSERT INTO cards (id, deck_id, question_id) VALUES (?1, ?2, ?3)",
            params![card, key.deck, key.question],
        )
        .unwrap();
    put_in_block(&store.conn, card, Some((hash, state))).unwrap();
}

#[test]
fn states_find_their_cards_by_hash_and_by_text_when_the_hash_does_not() {
    let store = Store::open_in_memory().unwrap();
    let library = library_abc();
    let key = |question| CardRef {
        deck: "d",
        question,
    };
    put_state(&store, 1, key("c"), key("c").key_hash(), &state(5, 1));
    // A wrong hash (say, from a tool that wrote the row by hand) falls back
    // to the key's text; a card the library lacks is kept aside.
    put_state(&store, 2, key("a"), 7, &state(6, 2));
    let gone = CardRef {
        deck: "gone",
        question: "x",
    };
    put_state(&store, 3, gone, gone.key_hash(), &state(7, 3));

    let (slots, orphans) = store.card_states_in(&library).unwrap();
    let due: Vec<Option<i64>> = slots.iter().map(|s| s.map(|s| s.due_day)).collect();
    assert_eq!(due, [Some(6), None, Some(5)]);
    assert_eq!(orphans.len(), 1);
    assert_eq!(orphans[&CardKey::new("gone", "x")].reps, 3);
}

#[test]
fn states_in_many_blocks_are_all_found() {
    let store = Store::open_in_memory().unwrap();
    let library = library_abc();
    let key = |question| CardRef {
        deck: "d",
        question,
    };
    // Card 64 opens the second block, 127 closes it, and 200 sits alone in
    // the fourth; `c`'s hash is wrong there, so it is found by its text.
    put_state(&store, 1, key("a"), key("a").key_hash(), &state(5, 1));
    put_state(&store, 64, key("b"), key("b").key_hash(), &state(6, 2));
    let gone = CardRef {
        deck: "gone",
        question: "x",
    };
    put_state(&store, 127, gone, gone.key_hash(), &state(8, 4));
    put_state(&store, 200, key("c"), 0, &state(7, 3));
    assert_eq!(stored_blocks(&store), [(0, 3080), (1, 3080), (3, 3080)]);

    let (slots, orphans) = store.card_states_in(&library).unwrap();
    let due: Vec<Option<i64>> = slots.iter().map(|s| s.map(|s| s.due_day)).collect();
    assert_eq!(due, [Some(5), Some(6), Some(7)]);
    assert_eq!(orphans[&CardKey::new("gone", "x")].due_day, 8);
    assert_eq!(orphans.len(), 1);
}

#[test]
fn taking_a_card_out_keeps_its_neighbours_and_drops_an_empty_block() {
    let store = Store::open_in_memory().unwrap();
    let key = |question| CardRef {
        deck: "d",
        question,
    };
    put_state(&store, 1, key("a"), key("a").key_hash(), &state(5, 1));
    put_state(&store, 2, key("b"), key("b").key_hash(), &state(6, 2));
    put_state(&store, 70, key("c"), key("c").key_hash(), &state(7, 3));

    put_in_block(&store.conn, 70, None).unwrap();
    assert_eq!(stored_blocks(&store), [(0, 3080)]);
    put_in_block(&store.conn, 1, None).unwrap();
    let states = store.card_states().unwrap();
    assert_eq!(states.len(), 1);
    assert_eq!(states[&CardKey::new("d", "b")].due_day, 6);
    put_in_block(&store.conn, 2, None).unwrap();
    assert!(stored_blocks(&store).is_empty());
}

#[test]
fn a_schema_4_database_gets_its_states_in_blocks_with_their_hashes() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(DB_FILE);
    let hash = |deck, question| CardRef { deck, question }.key_hash();
    {
        let conn = database_at_schema(&path, 4);
        conn.execute_batch(
            "INSERT INTO cards (id, deck_id, question_id) VALUES (1, 'd', 'a'), (2, 'd', 'b'), (70, 'gone', 'x');",
        )
        .unwrap();
        // `b`'s stored hash is wrong; the upgrade keeps it as it is.
        for (card, stored, s) in [
            (1, hash("d", "a"), state(5, 1)),
            (2, 7, state(6, u32::MAX)),
            (70, hash("gone", "x"), state(-3, 4)),
        ] {
            conn.execute(
                "INSERT INTO card_state (card, key_hash, state) VALUES (?1, ?2, ?3)",
                params![card, stored.cast_signed(), encode_state(&s)],
            )
            .unwrap();
        }
    }
    let store = Store::open(&path).unwrap();
    assert_eq!(stored_blocks(&store), [(0, 3080), (1, 3080)]);
    assert_eq!(
        stored_hashes(&store),
        [(1, hash("d", "a")), (2, 7), (70, hash("gone", "x"))]
    );
    let (slots, orphans) = store.card_states_in(&library_abc()).unwrap();
    let kept: Vec<Option<(i64, u32)>> = slots
        .iter()
        .map(|s| s.map(|s| (s.due_day, s.reps)))
        .collect();
    assert_eq!(kept, [Some((5, 1)), Some((6, u32::MAX)), None]);
    assert_eq!(orphans[&CardKey::new("gone", "x")].due_day, -3);
    let old_table: i64 = store
        .conn
        .query_row(
            "SELECT COUNT(*) FROM sqlite_master WHERE name = 'card_state'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(old_table, 0);
    assert_eq!(copy_before_upgrade(dir.path()).0, 4);
}

#[test]
fn a_damaged_state_is_a_clear_error() {
    let store = Store::open_in_memory().unwrap();
    let key = CardRef {
        deck: "d",
        question: "a",
    };
    put_state(&store, 1, key, key.key_hash(), &state(5, 1));
    store
        .conn
        .execute("UPDATE card_states SET cards = x'0102'", [])
        .unwrap();
    let error = store
        .card_states_in(&library_abc())
        .unwrap_err()
        .to_string();
    assert!(
        error.contains("card states block 0 has 2 bytes, not 3080"),
        "{error}"
    );
}

proptest::proptest! {
    #[test]
    fn card_states_pack_and_unpack_exactly(
        stability in proptest::num::f32::ANY,
        difficulty in proptest::num::f32::NORMAL,
        due_day: i64,
        last_review: i64,
        last_day: i64,
        reps: u32,
        lapses: u32,
    ) {
        let state = CardState {
            stability,
            difficulty,
            due_day,
            last_review: Timestamp(last_review),
            last_day,
            reps,
            lapses,
        };
        let bytes = encode_state(&state);
        let back = decode_state(&bytes).unwrap();
        proptest::prop_assert_eq!(back.stability.to_bits(), stability.to_bits());
        proptest::prop_assert_eq!(back.difficulty, difficulty);
        proptest::prop_assert_eq!(
            (back.due_day, back.last_review, back.last_day, back.reps, back.lapses),
            (due_day, Timestamp(last_review), last_day, reps, lapses)
        );
        proptest::prop_assert!(decode_state(&bytes[1..]).is_none());
        proptest::prop_assert!(decode_state(&[&bytes[..], &[0]].concat()).is_none());
    }

    #[test]
    fn blocks_keep_exactly_the_states_put_in_and_no_empty_block(
        steps in proptest::collection::vec((1i64..300, proptest::option::of(0i64..50)), 0..60),
    ) {
        let store = Store::open_in_memory().unwrap();
        let mut model = std::collections::BTreeMap::new();
        for (card, due) in steps {
            let entry = due.map(|due| state(due, 1));
            // The card's number stands in for its key's hash.
            put_in_block(&store.conn, card, entry.as_ref().map(|s| (card as u64, s))).unwrap();
            match entry {
                Some(s) => model.insert(card, s.due_day),
                None => model.remove(&card),
            };
        }
        let mut seen = Vec::new();
        for_each_stored_state(&store.conn, |card, hash, s| seen.push((card, hash, s.due_day))).unwrap();
        let expected: Vec<(i64, u64, i64)> =
            model.iter().map(|(&card, &due)| (card, card as u64, due)).collect();
        proptest::prop_assert_eq!(seen, expected);
        let mut blocks: Vec<i64> = model.keys().map(|&card| card / 64).collect();
        blocks.dedup();
        let stored: Vec<i64> = stored_blocks(&store).into_iter().map(|(block, _)| block).collect();
        proptest::prop_assert_eq!(stored, blocks);
    }
}
