//! Reliability from the command line: `recall quiz` on pipes, end of input
//! and a closed output; backups and restores; a damaged database; two
//! writers on one data folder.

mod common;

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Command, Output, Stdio};

use common::EVERY_KIND;

fn recall(args: &[&str], data: &Path, decks: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_recall"));
    command
        .args(args)
        .arg("--decks")
        .arg(decks)
        .env("RECALL_DATA_DIR", data);
    command
}

fn run_with_input(mut command: Command, input: &str) -> Output {
    let mut child = command
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // A process that exits at once (refused, say) closes its input: fine.
    let _ = child.stdin.take().unwrap().write_all(input.as_bytes());
    child.wait_with_output().unwrap()
}

/// A data folder and the every-kind deck file.
fn setup() -> (tempfile::TempDir, std::path::PathBuf, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let deck = dir.path().join("t.ron");
    std::fs::write(&deck, EVERY_KIND).unwrap();
    let data = dir.path().join("data");
    (dir, data, deck)
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn quiz_answers_every_kind_from_a_pipe_and_reports_each_stored_answer() {
    let (_dir, data, deck) = setup();
    let mut child = spawn_quiz(&data, &deck);
    let mut stdin = child.stdin.take().unwrap();
    let stdout = BufReader::new(child.stdout.take().unwrap());
    let mut transcript = Vec::new();
    let mut beta = String::new();
    // Answer each prompt as it comes: the options are shuffled, so the
    // number for "Beta" is read from the listing.
    for line in stdout.lines() {
        let line = line.unwrap();
        let line = line.trim_start_matches("> ").to_string();
        if let Some(n) = line.trim().strip_suffix(". Beta") {
            beta = n.trim().to_string();
        }
        let reply = match line.as_str() {
            "Answer t (true) or f (false)." => Some("t".to_string()),
            "Answer with the option's number." => Some(beta.clone()),
            "Type your answer." => Some("euclidian norm".to_string()),
            "Blank 1 of 2:" => Some("gradient".to_string()),
            "Blank 2 of 2:" => Some("up".to_string()),
            "Press Enter to show the answer." => Some(String::new()),
            l if l.starts_with("Rate your recall") => Some("3".to_string()),
            _ => None,
        };
        if let Some(reply) = reply {
            writeln!(stdin, "{reply}").unwrap();
        }
        transcript.push(line);
    }
    drop(stdin);
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = transcript.join("\n");
    let answered: Vec<&str> = transcript
        .iter()
        .map(String::as_str)
        .filter(|l| l.starts_with("answered "))
        .collect();
    assert_eq!(
        answered,
        [
            "answered t/tf good",
            "answered t/mcq good",
            "answered t/typed good",
            "answered t/cloze good",
            "answered t/card good"
        ],
        "{stdout}"
    );
    assert!(
        stdout.contains("Correct (mind the spelling"),
        "a typo is forgiven: {stdout}"
    );
    assert!(stdout.contains("Score: 5 of 5 right (100%)"), "{stdout}");
    let stats = recall(&["stats", "--json"], &data, &deck).output().unwrap();
    let json: serde_json::Value = serde_json::from_slice(&stats.stdout).unwrap();
    assert_eq!(json["reviews_total"], 5);
}

#[test]
fn quiz_ends_cleanly_at_the_end_of_input_and_scores_what_was_answered() {
    let (_dir, data, deck) = setup();
    let out = run_with_input(recall(&["quiz", "--deck", "t"], &data, &deck), "f\n");
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(stdout.contains("answered t/tf again"), "{stdout}");
    assert!(stdout.contains("Score: 0 of 1 right (0%)"), "{stdout}");
    assert!(!text(&out.stderr).contains("panicked"));
}

/// `recall quiz` on the every-kind deck, with all three streams piped.
fn spawn_quiz(data: &Path, deck: &Path) -> std::process::Child {
    recall(&["quiz", "--deck", "t"], data, deck)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

/// Starts `recall quiz` on the every-kind deck and answers its first
/// question, waiting until the answer is reported stored.
fn quiz_after_one_answer(
    data: &Path,
    deck: &Path,
) -> (
    std::process::Child,
    std::process::ChildStdin,
    BufReader<std::process::ChildStdout>,
) {
    let mut child = spawn_quiz(data, deck);
    let mut stdin = child.stdin.take().unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    stdin.write_all(b"t\n").unwrap();
    let mut line = String::new();
    while !line.starts_with("answered") {
        line.clear();
        stdout.read_line(&mut line).unwrap();
    }
    (child, stdin, stdout)
}

#[test]
fn quiz_survives_a_closed_stdout_and_keeps_the_answers() {
    let (_dir, data, deck) = setup();
    let (child, mut stdin, stdout) = quiz_after_one_answer(&data, &deck);
    drop(stdout); // the reader goes away, like `recall quiz | head`
    let _ = stdin.write_all(b"2\n");
    drop(stdin);
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(!text(&out.stderr).contains("panicked"));
    let stats = recall(&["stats", "--json"], &data, &deck).output().unwrap();
    let json: serde_json::Value = serde_json::from_slice(&stats.stdout).unwrap();
    assert!(json["reviews_total"].as_i64().unwrap() >= 1);
}

#[test]
fn a_second_writer_is_told_recall_is_already_open_and_no_write_is_lost() {
    let (_dir, data, deck) = setup();
    let (first, mut stdin, _stdout) = quiz_after_one_answer(&data, &deck);
    // While the first quiz runs, a second one on the same folder is refused.
    let second = run_with_input(recall(&["quiz", "--deck", "t"], &data, &deck), "t\n");
    assert_eq!(second.status.code(), Some(1));
    assert!(
        text(&second.stderr).contains("Recall is already open"),
        "{}",
        text(&second.stderr)
    );
    // Reading stays possible.
    let stats = recall(&["stats"], &data, &deck).output().unwrap();
    assert!(stats.status.success());
    stdin.write_all(b"2\n").unwrap();
    drop(stdin);
    let rest = first.wait_with_output().unwrap();
    assert!(rest.status.success());
    let stats = recall(&["stats", "--json"], &data, &deck).output().unwrap();
    let json: serde_json::Value = serde_json::from_slice(&stats.stdout).unwrap();
    assert_eq!(
        json["reviews_total"], 2,
        "both of the first quiz's answers are stored"
    );
}

#[test]
fn backup_then_restore_from_the_cli_keeps_the_replaced_database() {
    let (_dir, data, deck) = setup();
    run_with_input(recall(&["quiz", "--deck", "t"], &data, &deck), "t\n");
    let out = recall(&["backup"], &data, &deck).output().unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    let backup = stdout
        .trim()
        .strip_prefix("backed up to ")
        .unwrap()
        .to_string();
    assert!(Path::new(&backup).starts_with(data.join("backups")));
    run_with_input(recall(&["quiz", "--deck", "t"], &data, &deck), "t\n2\n");

    let out = recall(&["restore", &backup], &data, &deck)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("the previous database is kept as"));
    let stats = recall(&["stats", "--json"], &data, &deck).output().unwrap();
    let json: serde_json::Value = serde_json::from_slice(&stats.stdout).unwrap();
    assert_eq!(json["reviews_total"], 1);
    let kept: Vec<_> = std::fs::read_dir(&data)
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().contains(".replaced-"))
        .collect();
    assert!(!kept.is_empty(), "the replaced database is kept");
}

#[test]
fn a_damaged_database_is_refused_with_the_newest_backup_named_and_left_untouched() {
    let (_dir, data, deck) = setup();
    run_with_input(recall(&["quiz", "--deck", "t"], &data, &deck), "t\n");
    assert!(
        recall(&["backup"], &data, &deck)
            .status()
            .unwrap()
            .success()
    );
    let db = data.join("recall.sqlite3");
    // Damage: overwrite the header and the first pages.
    let mut bytes = std::fs::read(&db).unwrap();
    for b in bytes.iter_mut().take(4096) {
        *b = 0x5a;
    }
    std::fs::write(&db, &bytes).unwrap();
    let out = recall(&["stats"], &data, &deck).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(err.contains("is not a readable Recall database"), "{err}");
    assert!(err.contains("Restore it with: recall restore"), "{err}");
    assert_eq!(
        std::fs::read(&db).unwrap(),
        bytes,
        "the damaged file is untouched"
    );
}
