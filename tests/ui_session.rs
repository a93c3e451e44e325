//! Drives the real app through AccessKit: whole keyboard sessions, undo,
//! settings, and Home's empty and error states.

mod common;

use common::{EVERY_KIND, TestClock, app, db};
use egui::Key;
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use recall::model::{CardKey, Rating};
use recall::store::Store;
use recall::ui::{App, Screen};

fn press(h: &mut Harness<'_, App>, key: Key) {
    h.key_press(key);
    h.run();
}

fn reviews(h: &Harness<'_, App>) -> Vec<(String, Rating, bool)> {
    common::stored_reviews(h)
        .into_iter()
        .map(|r| (r.key.question, r.rating, r.correct))
        .collect()
}

/// A harness over the every-kind deck, on Home, with its data folder (kept
/// alive by the caller) and clock.
fn every_kind() -> (tempfile::TempDir, TestClock, Harness<'static, App>) {
    let dir = tempfile::tempdir().unwrap();
    let clock = TestClock::new();
    let mut h = common::harness(app(dir.path(), &[("t.ron", EVERY_KIND)], &clock), 800.0);
    h.run();
    (dir, clock, h)
}

/// The number shown before the option `text` (options are shuffled).
fn option_number(h: &Harness<'_, App>, text: &str) -> usize {
    let label = h
        .get_by_label_contains(text)
        .accesskit_node()
        .label()
        .unwrap_or_default();
    label.split('.').next().unwrap().trim().parse().unwrap()
}

fn number_key(n: usize) -> Key {
    [Key::Num1, Key::Num2, Key::Num3, Key::Num4, Key::Num5][n - 1]
}

#[test]
fn a_whole_keyboard_session_scores_and_stores_every_answer() {
    let (_dir, clock, mut h) = every_kind();
    h.get_by_label("Study due (5)");

    // Home: Enter starts *Study due*; new cards come in deck order.
    press(&mut h, Key::Enter);
    h.get_by_label("Water is wet.");
    clock.advance_secs(3);
    press(&mut h, Key::T);
    h.get_by_label("Correct");
    press(&mut h, Key::Enter);

    // Multiple choice: options are shuffled, so read the number shown next to "Beta".
    h.get_by_label("Which letter comes second?");
    let number = option_number(&h, "Beta");
    press(&mut h, number_key(number));
    h.get_by_label("Correct");
    h.get_by_label(&format!("✓  {number}.  Beta   (your answer)"));
    press(&mut h, Key::Space);

    // Typed answer with a typo: accepted, then re-rated Easy with 4.
    h.get_by_label("Name the L2 norm.");
    h.get_by_label("Your answer").type_text("euclidian norm");
    h.run();
    press(&mut h, Key::Enter);
    h.get_by_label("Correct — mind the spelling: Euclidean norm");
    press(&mut h, Key::Num4);

    // Cloze: first blank right, second wrong.
    h.get_by_label("Fill in the blanks.");
    h.get_by_label("Blank 1").type_text("gradient");
    h.run();
    h.get_by_label("Blank 2").focus();
    h.run();
    h.get_by_label("Blank 2").type_text("down");
    h.run();
    press(&mut h, Key::Enter);
    h.get_by_label("Not quite");
    h.get_by_label("Your answer: gradient · down");
    press(&mut h, Key::Enter);

    // Flashcard: Space reveals, 1 rates Again.
    h.get_by_label("What is modus ponens?");
    press(&mut h, Key::Space);
    h.get_by_label("From P and P → Q, infer Q.");
    press(&mut h, Key::Num1);

    // Results: 3 of 5, per topic, and the missed questions with their answers.
    assert!(matches!(h.state().screen(), Screen::Results(_)));
    h.get_by_label("60%");
    h.get_by_label_contains("3 of 5 right");
    h.get_by_label("Correct answer: The gradient points uphill.");
    h.get_by_label("Correct answer: From P and P → Q, infer Q.");
    h.get_by_label("0 / 1");
    h.get_by_label("1 / 2");

    assert_eq!(
        reviews(&h),
        vec![
            ("tf".to_string(), Rating::Good, true),
            ("mcq".to_string(), Rating::Good, true),
            ("typed".to_string(), Rating::Easy, true),
            ("cloze".to_string(), Rating::Again, false),
            ("card".to_string(), Rating::Again, false),
        ]
    );
    let store = &h.state().study().unwrap().store;
    let first = &store.reviews_of(&CardKey::new("t", "tf")).unwrap()[0];
    assert_eq!(first.duration_ms, 3000);
    let sessions = store.sessions().unwrap();
    assert_eq!(sessions.len(), 1);
    assert_eq!(
        (sessions[0].question_count, sessions[0].correct_count),
        (5, 3)
    );
    assert_eq!(sessions[0].score, Some(0.6));
    assert_eq!(store.card_states().unwrap().len(), 5);

    // Back Home nothing is due today and every card is learned.
    press(&mut h, Key::Enter);
    h.get_by_label("Nothing due — come back tomorrow, or run a quick quiz.");
    h.get_by_label("5 learned");
}

#[test]
fn undo_takes_back_an_answer_and_escape_keeps_what_was_answered() {
    let (_dir, _clock, mut h) = every_kind();
    press(&mut h, Key::Enter);
    // Nothing answered yet: undo says so and changes nothing.
    press(&mut h, Key::U);
    h.get_by_label("nothing to undo");
    h.get_by_label("Water is wet.");
    press(&mut h, Key::F);
    h.get_by_label("Not quite");
    assert!(h.query_by_label("nothing to undo").is_none());
    assert_eq!(reviews(&h).len(), 1);

    press(&mut h, Key::U);
    h.get_by_label("Water is wet.");
    h.get_by_label("True");
    assert!(reviews(&h).is_empty());
    assert!(
        h.state()
            .study()
            .unwrap()
            .store
            .card_states()
            .unwrap()
            .is_empty()
    );

    press(&mut h, Key::T);
    press(&mut h, Key::Enter);
    h.get_by_label("Which letter comes second?");
    press(&mut h, Key::Escape);
    assert!(matches!(h.state().screen(), Screen::Results(_)));
    h.get_by_label("100%");
    assert_eq!(reviews(&h), vec![("tf".to_string(), Rating::Good, true)]);
}

#[test]
fn changing_the_rating_after_feedback_replaces_the_review() {
    let (_dir, _clock, mut h) = every_kind();
    press(&mut h, Key::Enter);
    press(&mut h, Key::T);
    // The rating buttons show each rating's interval for a new card.
    h.get_by_label("3 Good · 2d");
    h.get_by_label("4 Easy · 8d");
    press(&mut h, Key::Num2);
    assert_eq!(reviews(&h), vec![("tf".to_string(), Rating::Hard, true)]);
}

#[test]
fn a_wrong_typed_answer_can_be_counted_as_correct() {
    let dir = tempfile::tempdir().unwrap();
    let clock = TestClock::new();
    let deck = EVERY_KIND.replace("(id: \"tf\"", "(id: \"zz\"");
    let mut h = common::harness(app(dir.path(), &[("t.ron", &deck)], &clock), 800.0);
    h.run();
    press(&mut h, Key::Enter);
    press(&mut h, Key::T);
    press(&mut h, Key::Enter);
    press(&mut h, Key::Escape);
    // Start a new session: the typed question is now first among the new cards.
    press(&mut h, Key::Enter);
    press(&mut h, Key::Enter);
    let number = option_number(&h, "Beta");
    press(&mut h, number_key(number));
    press(&mut h, Key::Enter);
    h.get_by_label("Your answer").type_text("L2 length");
    h.run();
    press(&mut h, Key::Enter);
    h.get_by_label("Not quite");
    h.get_by_label("Count as correct").click();
    h.run();
    h.get_by_label("Counted as correct");
    let typed = reviews(&h).into_iter().find(|r| r.0 == "typed").unwrap();
    assert_eq!(typed, ("typed".to_string(), Rating::Good, true));
}

#[test]
fn settings_are_saved_and_survive_a_restart() {
    let (dir, _clock, mut h) = every_kind();
    h.get_by_label("Settings").click();
    h.run();
    h.get_by_label("Dark").click();
    h.run();
    h.get_by_label("Save").click();
    h.run();
    h.get_by_label("Study due (5)");
    drop(h);
    let store = Store::open(&db(dir.path())).unwrap();
    assert_eq!(
        store.settings().unwrap().theme,
        recall::settings::Theme::Dark
    );
}

#[test]
fn home_lists_broken_decks_and_keeps_the_good_ones() {
    let dir = tempfile::tempdir().unwrap();
    let clock = TestClock::new();
    let broken = "(id: \"b\", title: \"Broken\", category: Custom, questions: [(id: \"x\")])";
    let mut h = common::harness(
        app(
            dir.path(),
            &[("a-broken.ron", broken), ("t.ron", EVERY_KIND)],
            &clock,
        ),
        800.0,
    );
    h.run();
    h.get_by_label("Decks with errors (1)");
    h.get_by_label_contains("a-broken.ron:1:");
    h.get_by_label("Study due (5)");
    // Hovering a deck shows its description and, for your own decks, its file.
    h.get_by_label("Test deck").hover();
    h.run();
    h.get_by_label_contains("One of each kind");
    h.get_by_label_contains("Your deck: ");
    h.get_by_label_contains("t.ron");
}

#[test]
fn a_quick_quiz_draws_from_the_ticked_decks_only() {
    let dir = tempfile::tempdir().unwrap();
    let clock = TestClock::new();
    let other = EVERY_KIND
        .replace("id: \"t\"", "id: \"u\"")
        .replace("Test deck", "Other deck");
    let mut h = common::harness(
        app(
            dir.path(),
            &[("t.ron", EVERY_KIND), ("u.ron", &other)],
            &clock,
        ),
        800.0,
    );
    h.run();
    h.get_by_label("Other deck").click();
    h.run();
    h.get_by_label("Studying 1 of 2 decks.");
    h.get_by_label("Quick quiz").click();
    h.run();
    let Screen::Session(screen) = h.state().screen() else {
        panic!("no session")
    };
    assert_eq!(screen.session.progress(), (0, 5));
    let study = h.state().study().unwrap();
    assert_eq!(
        study
            .question(&screen.session)
            .map(|_| screen.session.current().unwrap().deck.as_str()),
        Some("u")
    );
}

#[test]
fn a_data_folder_that_cannot_open_gets_an_error_screen() {
    let clock = TestClock::new();
    let message = "/data/recall.sqlite3 is not a readable Recall database (file is not a database); it was left untouched";
    let mut h = common::harness(App::new(Err(message.to_string()), clock.boxed()), 800.0);
    h.run();
    h.get_by_label("Recall could not open your data");
    h.get_by_label(message);
    press(&mut h, Key::Enter);
    assert!(h.state().study().is_none());
}

#[test]
fn the_missed_questions_can_be_reviewed_again_at_once() {
    let (_dir, clock, mut h) = every_kind();
    press(&mut h, Key::Enter);
    press(&mut h, Key::F);
    press(&mut h, Key::Enter);
    press(&mut h, Key::Escape);
    h.get_by_label("0%");
    h.get_by_label("Review the missed ones now");
    press(&mut h, Key::R);
    let Screen::Session(screen) = h.state().screen() else {
        panic!("no session")
    };
    assert_eq!(screen.session.progress(), (0, 1));
    h.get_by_label("Water is wet.");
    clock.advance_secs(5);
    press(&mut h, Key::T);
    press(&mut h, Key::Enter);
    h.get_by_label("100%");
    // Both answers are real reviews of the same card.
    assert_eq!(
        reviews(&h),
        vec![
            ("tf".to_string(), Rating::Again, false),
            ("tf".to_string(), Rating::Good, true),
        ]
    );
    let sessions = h.state().study().unwrap().store.sessions().unwrap();
    let modes: Vec<&str> = sessions.iter().map(|s| s.mode.as_str()).collect();
    assert_eq!(modes, vec!["due", "retry"]);
}

#[test]
fn closing_the_window_mid_session_scores_what_was_answered() {
    let (_dir, _clock, mut h) = every_kind();
    press(&mut h, Key::Enter);
    press(&mut h, Key::T);
    press(&mut h, Key::Enter);
    h.get_by_label("Which letter comes second?");
    h.state_mut().close();
    let sessions = h.state().study().unwrap().store.sessions().unwrap();
    assert_eq!(sessions.len(), 1);
    assert_eq!(
        (sessions[0].question_count, sessions[0].correct_count),
        (1, 1)
    );
    assert!(sessions[0].ended_at.is_some());
}
