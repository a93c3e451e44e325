//! `recall check` and `recall stats` as a user runs them.

use std::process::{Command, Output};

fn recall(args: &[&str], data_dir: &std::path::Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_recall"))
        .args(args)
        .env("RECALL_DATA_DIR", data_dir)
        .output()
        .expect("recall runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

const BROKEN: &str = r#"(
    id: "broken",
    title: "Broken",
    category: Custom,
    description: "",
    questions: [
        (id: "a", topic: "T", prompt: "", kind: TrueFalse(answer: true), explanation: "E"),
        (id: "a", topic: "T", prompt: "P", kind: MultipleChoice(options: ["x", "y"], correct: [2]), explanation: "E"),
    ],
)"#;

#[test]
fn check_passes_on_the_bundled_decks() {
    let dir = tempfile::tempdir().unwrap();
    let out = recall(&["check"], dir.path());
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout(&out).starts_with("ok: "), "{}", stdout(&out));
}

#[test]
fn check_reports_each_error_with_its_position_and_fails() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("broken.ron");
    std::fs::write(&file, BROKEN).unwrap();
    let out = recall(&["check", file.to_str().unwrap()], dir.path());
    assert_eq!(out.status.code(), Some(1));
    let path = file.display().to_string();
    assert_eq!(
        stdout(&out),
        format!(
            "{path}:7:31: question \"a\" has an empty prompt\n\
             {path}:8:10: duplicate question id \"a\" (question 1 already uses it)\n\
             {path}:8:86: multiple-choice question \"a\": correct index 2 is out of range (options are numbered 0 to 1)\n"
        )
    );
}

#[test]
fn check_finds_syntax_errors_in_a_folder_and_user_decks_by_default() {
    let dir = tempfile::tempdir().unwrap();
    let decks = dir.path().join("decks");
    std::fs::create_dir_all(&decks).unwrap();
    std::fs::write(
        decks.join("typo.ron"),
        "(id: \"x\", title: \"X\" category: Custom)",
    )
    .unwrap();
    let out = recall(&["check", decks.to_str().unwrap()], dir.path());
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout(&out).contains("typo.ron:1:22: "), "{}", stdout(&out));
    // With no path, the data folder's decks/ is checked along with the bundled ones.
    let out = recall(&["check"], dir.path());
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout(&out).contains("typo.ron:1:22: "), "{}", stdout(&out));
}

#[test]
fn check_json_describes_decks_and_errors() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("broken.ron");
    std::fs::write(&file, BROKEN).unwrap();
    let out = recall(&["check", "--json"], dir.path());
    assert!(out.status.success());
    let report: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let decks = report["decks"].as_array().unwrap();
    assert!(decks.len() >= 4);
    let first = &decks[0];
    for field in [
        "id",
        "title",
        "category",
        "path",
        "questions",
        "by_kind",
        "topics",
    ] {
        assert!(!first[field].is_null(), "missing {field} in {first}");
    }
    assert_eq!(report["errors"].as_array().unwrap().len(), 0);

    let out = recall(&["check", "--json", file.to_str().unwrap()], dir.path());
    assert_eq!(out.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let errors = report["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 3);
    assert_eq!(errors[0]["line"], 7);
    assert_eq!(errors[0]["col"], 31);
    assert_eq!(errors[0]["path"], file.display().to_string());
    assert_eq!(errors[0]["message"], "question \"a\" has an empty prompt");
}

#[test]
fn stats_summarizes_a_fresh_data_folder() {
    let dir = tempfile::tempdir().unwrap();
    let out = recall(&["stats"], dir.path());
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = stdout(&out);
    assert!(text.contains("reviews today: 0"), "{text}");
    assert!(text.contains("Weakest topics: none yet"), "{text}");
    assert!(text.contains("Leeches: none"), "{text}");
    assert!(text.contains("Linear Algebra"), "{text}");
    assert!(dir.path().join("recall.sqlite3").exists());
}

#[test]
fn a_corrupt_database_is_refused_with_a_clear_message() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("recall.sqlite3");
    let junk = vec![0x42u8; 8192];
    std::fs::write(&db, &junk).unwrap();
    let out = recall(&["stats"], dir.path());
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("is not a readable Recall database"), "{err}");
    assert_eq!(std::fs::read(&db).unwrap(), junk);
}
