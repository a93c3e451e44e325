//! Crash safety: `recall quiz` killed with SIGKILL at random points, again
//! and again on one data folder, never loses or invents an answer and never
//! damages the database; an export killed mid-write leaves the old file whole.

#![cfg(unix)]

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use rand::{RngExt, SeedableRng};
use recall::clock::{DayClock, Timestamp};
use recall::model::CardKey;
use recall::scheduler::Scheduler;
use recall::store::Store;

/// Thirty true/false questions, so every answer is a plain `t`.
fn deck() -> String {
    let questions: String = (0..30)
        .map(|i| {
            format!(
                r#"(id: "q{i}", topic: "T{}", prompt: "Statement {i}.", kind: TrueFalse(answer: {}), explanation: "Because."),"#,
                i % 3,
                i % 2 == 0
            )
        })
        .collect();
    format!(r#"(id: "crash", title: "Crash", category: Custom, questions: [{questions}])"#)
}

fn quiz(data: &Path, deck: &Path) -> Child {
    Command::new(env!("CARGO_BIN_EXE_recall"))
        .args([
            "quiz", "--mode", "quick", "--deck", "crash", "--limit", "30",
        ])
        .arg("--decks")
        .arg(deck)
        .env("RECALL_DATA_DIR", data)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("recall quiz starts")
}

/// The stdout lines of `child`, as they come.
fn lines(child: &mut Child) -> mpsc::Receiver<String> {
    let (send, receive) = mpsc::channel();
    let stdout = child.stdout.take().expect("stdout is piped");
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            if send.send(line).is_err() {
                break;
            }
        }
    });
    receive
}

/// Waits for the next `answered` line; `None` if none comes within 10 s.
fn next_answered(lines: &mpsc::Receiver<String>) -> Option<CardKey> {
    loop {
        let line = lines.recv_timeout(Duration::from_secs(10)).ok()?;
        if let Some(rest) = line.strip_prefix("answered ") {
            let key = rest.split_whitespace().next()?;
            let (deck, question) = key.split_once('/')?;
            return Some(CardKey::new(deck, question));
        }
    }
}

#[test]
fn sigkill_during_quizzes_never_loses_or_invents_answers() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let deck_file = dir.path().join("crash.ron");
    std::fs::write(&deck_file, deck()).unwrap();
    let mut rng = rand::rngs::StdRng::seed_from_u64(7);
    let mut reported: Vec<CardKey> = Vec::new();
    let mut in_flight: Vec<CardKey> = Vec::new();
    let mut kills = 0;
    for _ in 0..60 {
        let mut child = quiz(&data, &deck_file);
        let lines = lines(&mut child);
        let mut stdin = child.stdin.take().expect("stdin is piped");
        // Answer a few questions, waiting for each to be reported stored.
        for _ in 0..rng.random_range(0..6) {
            if stdin.write_all(b"t\n").is_err() {
                break;
            }
            match next_answered(&lines) {
                Some(key) => reported.push(key),
                None => break,
            }
        }
        // Then, half the time, send one more answer and kill while it is
        // being graded, stored or reported; otherwise kill while it waits.
        let racing = rng.random_bool(0.5);
        if racing {
            let _ = stdin.write_all(b"t\n");
            std::thread::sleep(Duration::from_micros(rng.random_range(0..4000)));
        } else {
            std::thread::sleep(Duration::from_millis(rng.random_range(0..20)));
        }
        child.kill().expect("SIGKILL");
        child.wait().expect("reaped");
        kills += 1;
        // A report that raced the kill still counts: it was stored first.
        while let Ok(line) = lines.try_recv() {
            if let Some(key) = line
                .strip_prefix("answered ")
                .and_then(|r| r.split_whitespace().next())
                .and_then(|k| k.split_once('/'))
            {
                reported.push(CardKey::new(key.0, key.1));
            }
        }
        if racing {
            in_flight.push(CardKey::new("?", "?"));
        }
    }
    assert!(kills >= 50);

    let db = data.join("recall.sqlite3");
    let conn = rusqlite::Connection::open(&db).unwrap();
    let check: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(check, "ok");
    drop(conn);

    let store = Store::open(&db).unwrap();
    let log = store.all_reviews().unwrap();
    let logged: Vec<CardKey> = log.iter().map(|r| r.key.clone()).collect();
    // Every answer reported as stored is in the log...
    let mut missing = logged.clone();
    for key in &reported {
        let i = missing
            .iter()
            .position(|k| k == key)
            .unwrap_or_else(|| panic!("{key} was reported but is not in the log"));
        missing.swap_remove(i);
    }
    // ...and nothing else is, but for answers whose report the kill cut off:
    // at most one per racing kill (stored, then killed before printing).
    assert!(
        missing.len() <= in_flight.len(),
        "{} unreported reviews in the log, only {} answers were in flight",
        missing.len(),
        in_flight.len()
    );
    assert!(!reported.is_empty());

    // Each card's stored state equals its state rebuilt from the log.
    let scheduler = Scheduler::new(&[], 0.9).unwrap();
    let clock = DayClock::local(4, Timestamp::now());
    let states = store.card_states().unwrap();
    let mut keys: Vec<&CardKey> = states.keys().collect();
    keys.sort();
    for key in keys {
        let reviews = store.reviews_of(key).unwrap();
        let days: Vec<_> = reviews
            .iter()
            .map(|r| (r.reviewed_at, clock.day(r.reviewed_at), r.rating))
            .collect();
        let rebuilt = scheduler
            .rebuild(&days)
            .unwrap()
            .expect("a card with a state has reviews");
        let stored = states[key];
        assert_eq!(
            (
                stored.reps,
                stored.lapses,
                stored.due_day,
                stored.last_review
            ),
            (
                rebuilt.reps,
                rebuilt.lapses,
                rebuilt.due_day,
                rebuilt.last_review
            ),
            "{key}"
        );
        assert!((stored.stability - rebuilt.stability).abs() < 1e-3, "{key}");
        assert!(
            (stored.difficulty - rebuilt.difficulty).abs() < 1e-3,
            "{key}"
        );
    }
    // Every reviewed card has a state, and no state lacks reviews.
    let reviewed: std::collections::BTreeSet<&CardKey> = logged.iter().collect();
    assert_eq!(reviewed.len(), states.len());
}

#[test]
fn an_export_killed_mid_write_leaves_the_old_file_whole() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let decks = data.join("decks");
    std::fs::create_dir_all(&decks).unwrap();
    // A deck big enough that writing it takes a while.
    let questions: String = (0..20_000)
        .map(|i| {
            format!(
                r#"(id: "q{i}", topic: "T", prompt: "{}", kind: Flashcard(answer: "A"), explanation: "E"),"#,
                "long prompt text ".repeat(8)
            )
        })
        .collect();
    std::fs::write(
        decks.join("big.ron"),
        format!(r#"(id: "big", title: "Big", category: Custom, questions: [{questions}])"#),
    )
    .unwrap();
    let out = dir.path().join("out");
    std::fs::create_dir_all(&out).unwrap();
    let target = out.join("big.ron");
    std::fs::write(&target, "the previous export").unwrap();
    let mut interrupted_writes = 0;
    for _ in 0..10 {
        let mut child = Command::new(env!("CARGO_BIN_EXE_recall"))
            .args(["export", "--deck", "big", "--out"])
            .arg(&target)
            .env("RECALL_DATA_DIR", &data)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        // Kill as soon as the temporary file appears: the export is then
        // between writing it and renaming it over the target.
        loop {
            let temp_exists = std::fs::read_dir(&out)
                .unwrap()
                .flatten()
                .any(|e| e.path() != target);
            if temp_exists || child.try_wait().unwrap().is_some() {
                break;
            }
            std::thread::sleep(Duration::from_micros(100));
        }
        let _ = child.kill();
        child.wait().unwrap();
        let text = std::fs::read_to_string(&target).unwrap();
        // Either the old file or a complete new one, never a piece.
        if text != "the previous export" {
            recall::deck::parse_deck("big.ron", &text).expect("a complete, valid export");
        }
        let leftovers: Vec<_> = std::fs::read_dir(&out)
            .unwrap()
            .flatten()
            .filter(|e| e.path() != target)
            .collect();
        if !leftovers.is_empty() {
            assert_eq!(text, "the previous export", "killed before the rename");
            interrupted_writes += 1;
            for e in leftovers {
                std::fs::remove_file(e.path()).unwrap();
            }
        }
        std::fs::write(&target, "the previous export").unwrap();
    }
    assert!(
        interrupted_writes >= 5,
        "only {interrupted_writes} of 10 kills landed between the temp file and the rename"
    );
}
