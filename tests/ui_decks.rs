//! Custom decks in the running app: live reload of deck files changed on
//! disk, and the deck editor.

mod common;

use common::{EVERY_KIND, TestClock};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use recall::study::{Paths, Study};
use recall::ui::App;

/// The app over a fresh data folder, watching its deck folder, in a window
/// tall enough that Home's whole deck list is on screen.
fn open(data: &std::path::Path) -> Harness<'static, App> {
    let paths = Paths::resolve(Some(data.to_path_buf()), Vec::new()).unwrap();
    let study = Study::open(&paths).unwrap();
    let clock = TestClock::new();
    let app = App::new(Ok(study), clock.boxed());
    let mut h = common::harness(app, 2200.0);
    let ctx = h.ctx.clone();
    h.state_mut().watch_decks(&ctx);
    h.run();
    h
}

/// Runs frames until `label` is shown (true) or 10 s pass (false).
fn wait_for(h: &mut Harness<'_, App>, label: &str, shown: bool) -> bool {
    for _ in 0..200 {
        h.run();
        if h.query_by_label(label).is_some() == shown {
            return true;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    false
}

#[test]
fn deck_files_changed_on_disk_reload_while_the_app_runs() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = open(dir.path());
    assert!(h.query_by_label("Test deck").is_none());

    let file = dir.path().join("decks").join("t.ron");
    std::fs::write(&file, EVERY_KIND).unwrap();
    assert!(
        wait_for(&mut h, "Test deck", true),
        "a new deck file shows up"
    );

    std::fs::write(&file, EVERY_KIND.replace("Test deck", "Renamed deck")).unwrap();
    assert!(
        wait_for(&mut h, "Renamed deck", true),
        "an edited deck reloads"
    );

    std::fs::write(&file, "(id: \"t\", title: ").unwrap();
    assert!(
        wait_for(&mut h, "Renamed deck", false),
        "a broken file leaves the list"
    );
    h.get_by_label_contains("Decks with errors (1)");

    std::fs::remove_file(&file).unwrap();
    assert!(wait_for(&mut h, "Decks with errors (1)", false));
}

/// Focuses the field labelled `label` and types `text` into it.
fn type_into(h: &mut Harness<'_, App>, label: &str, text: &str) {
    h.get_by_label(label).focus();
    h.run();
    h.get_by_label(label).type_text(text);
    h.run();
}

fn click(h: &mut Harness<'_, App>, label: &str) {
    h.get_by_label(label).click();
    h.run();
}

#[test]
fn a_deck_made_in_the_editor_is_saved_studied_and_its_reviews_stored() {
    use egui::Key;
    use recall::model::QuestionKind;
    let dir = tempfile::tempdir().unwrap();
    let mut h = open(dir.path());
    click(&mut h, "Decks");
    click(&mut h, "New deck");
    type_into(&mut h, "Title", "Interview Prep");
    // The id follows the title.
    h.get_by_label_contains("1 problem to fix");

    click(&mut h, "+ Multiple choice");
    type_into(
        &mut h,
        "Prompt",
        "Which norm is the straight-line distance?",
    );
    type_into(&mut h, "Option 1", "L1");
    type_into(&mut h, "Option 2", "L2");
    // No option is marked right yet: the problem is shown and Save is off.
    h.get_by_label_contains("has no correct option");
    click(&mut h, "Correct 2");
    type_into(&mut h, "Explanation", "L2 is the Euclidean norm.");

    click(&mut h, "+ Typed answer");
    type_into(&mut h, "Prompt", "What does PCA stand for?");
    type_into(&mut h, "Accepted answer 1", "principal component analysis");
    type_into(
        &mut h,
        "Explanation",
        "It projects onto directions of most variance.",
    );
    assert!(
        h.query_by_label_contains("problem").is_none(),
        "no problems left"
    );

    h.key_press_modifiers(egui::Modifiers::COMMAND, Key::S);
    h.run();
    let file = dir.path().join("decks").join("interview-prep.ron");
    let saved = recall::deck::parse_deck("x", &std::fs::read_to_string(&file).unwrap()).unwrap();
    assert_eq!(saved.title, "Interview Prep");
    assert_eq!(saved.questions.len(), 2);
    assert_eq!(
        saved.questions[0].kind,
        QuestionKind::MultipleChoice {
            options: vec!["L1".into(), "L2".into()],
            correct: vec![1]
        }
    );

    click(&mut h, "Back");
    click(&mut h, "Back");
    // Study only the new deck (the bundled ones are there too).
    click(&mut h, "Interview Prep");
    click(&mut h, "Study due (2)");
    // The MCQ first: options are shuffled, so pick "L2" by its label.
    h.get_by_label_contains("L2").click();
    h.run();
    h.key_press(Key::Enter);
    h.run();
    type_into(&mut h, "Your answer", "principal component analysis");
    h.key_press(Key::Enter);
    h.run();
    h.key_press(Key::Enter);
    h.run();

    let reviews = common::stored_reviews(&h);
    let keys: Vec<(String, String, bool)> = reviews
        .into_iter()
        .map(|r| (r.key.deck, r.key.question, r.correct))
        .collect();
    assert_eq!(
        keys,
        [
            ("interview-prep".to_string(), "q1".to_string(), true),
            ("interview-prep".to_string(), "q2".to_string(), true)
        ]
    );
}

/// A file dropped on the window, as the windowing backend hands it over.
#[derive(Debug)]
struct Dropped(std::path::PathBuf);

impl egui::DroppedFile for Dropped {
    fn path(&self) -> &std::path::Path {
        &self.0
    }

    fn bytes(&self) -> Result<Vec<u8>, String> {
        std::fs::read(&self.0).map_err(|e| e.to_string())
    }
}

fn drop_file(h: &mut Harness<'_, App>, path: &std::path::Path) {
    h.input_mut()
        .dropped_files
        .push(std::sync::Arc::new(Dropped(path.to_path_buf())));
    h.run();
    h.run();
}

#[test]
fn an_anki_package_dropped_on_the_decks_screen_is_imported_then_updated_after_asking() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = open(dir.path());
    click(&mut h, "Decks");
    let package =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/anki/current.apkg");
    drop_file(&mut h, &package);
    h.get_by_label("created deck recall-fixture (6 questions)");
    h.get_by_label_contains("media files skipped");
    h.get_by_label_contains("added 8 reviews");
    click(&mut h, "OK");
    h.get_by_label("Recall Fixture");
    let study = h.state().study().unwrap();
    assert_eq!(study.store.all_reviews().unwrap().len(), 8);

    // The same file again: it asks before replacing, then updates.
    drop_file(&mut h, &package);
    h.get_by_label("Replace existing decks?");
    click(&mut h, "Replace");
    h.get_by_label("updated deck recall-fixture (6 questions)");
    h.get_by_label_contains("added 0 reviews");
    let decks = dir.path().join("decks");
    let files: Vec<_> = std::fs::read_dir(&decks).unwrap().collect();
    assert_eq!(
        files.len(),
        2,
        "recall-fixture.ron and spanish.ron, not duplicates"
    );
}

#[test]
fn a_session_keeps_its_questions_when_its_deck_file_changes_and_reloads_after() {
    use egui::Key;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("decks").join("t.ron");
    std::fs::create_dir_all(file.parent().unwrap()).unwrap();
    std::fs::write(&file, EVERY_KIND).unwrap();
    let mut h = open(dir.path());
    click(&mut h, "Test deck");
    click(&mut h, "Study due (5)");
    // Mid-session, the file loses four of its five questions.
    let first_only = EVERY_KIND
        .lines()
        .filter(|l| !l.contains("id: \"mcq\"") && !l.contains("kind: MultipleChoice"))
        .collect::<Vec<_>>()
        .join("\n")
        .replace("Test deck", "Shrunk deck");
    std::fs::write(&file, first_only).unwrap();
    for _ in 0..20 {
        h.run();
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    // The session still shows its questions: answer the true/false one.
    h.get_by_label("Water is wet.");
    h.key_press(Key::T);
    h.run();
    h.key_press(Key::Enter);
    h.run();
    h.get_by_label("Which letter comes second?");
    h.key_press(Key::Escape);
    h.run();
    // Ending it applies the pending reload.
    for _ in 0..5 {
        h.run();
    }
    assert!(matches!(h.state().screen(), recall::ui::Screen::Results(_)));
    h.key_press(Key::Enter);
    h.run();
    assert!(wait_for(&mut h, "Shrunk deck", true));
}

#[test]
fn a_long_deck_lists_only_the_rows_in_view_and_search_narrows_it() {
    let dir = tempfile::tempdir().unwrap();
    let questions: String = (1..=2000)
        .map(|i| {
            format!(
                r#"(id: "q{i}", topic: "T{}", prompt: "Fact number {i}", kind: Flashcard(answer: "A{i}"), explanation: "E"),"#,
                i % 5
            )
        })
        .collect();
    let deck =
        format!(r#"(id: "long", title: "Long deck", category: Custom, questions: [{questions}])"#);
    std::fs::create_dir_all(dir.path().join("decks")).unwrap();
    std::fs::write(dir.path().join("decks").join("long.ron"), deck).unwrap();
    let mut h = open(dir.path());
    h.state_mut()
        .apply(recall::ui::Action::OpenEditor(Some("long".into())));
    h.run();
    h.get_by_label("2000 of 2000 questions");
    h.get_by_label("1. Fact number 1");
    // The list is virtual: rows far below the view are not laid out at all.
    assert!(h.query_by_label("2000. Fact number 2000").is_none());

    type_into(&mut h, "Search", "number 2000");
    h.get_by_label("1 of 2000 questions");
    click(&mut h, "2000. Fact number 2000");
    let recall::ui::Screen::Editor(editor) = h.state().screen() else {
        panic!("the editor closed");
    };
    assert_eq!(editor.selected, Some(1999));
    h.get_by_label("Not studied yet.");
}

#[test]
fn returning_to_the_window_reloads_changed_decks() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("decks").join("t.ron");
    std::fs::create_dir_all(file.parent().unwrap()).unwrap();
    std::fs::write(&file, EVERY_KIND).unwrap();
    let paths = Paths::resolve(Some(dir.path().to_path_buf()), Vec::new()).unwrap();
    let study = Study::open(&paths).unwrap();
    // No watcher: only a return to the window makes the app look at the files.
    let mut h = common::harness(App::new(Ok(study), TestClock::new().boxed()), 2200.0);
    h.run();
    std::fs::write(&file, EVERY_KIND.replace("Test deck", "Edited deck")).unwrap();
    h.run();
    h.get_by_label("Test deck");

    h.input_mut().focused = false;
    h.run();
    h.get_by_label("Test deck");
    h.input_mut().focused = true;
    h.run();
    h.get_by_label("Edited deck");
    assert!(h.query_by_label("Test deck").is_none());
}
