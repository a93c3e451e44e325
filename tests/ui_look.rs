//! Look and feel in the running app: the zoom is remembered, `?` opens the
//! shortcut help on every screen, the welcome shows once, fenced code in a
//! prompt is drawn as code, and a slow start shows that Recall is opening.
//! The window is tall so Home's whole deck list is on screen.

mod common;

use common::TestClock;
use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use recall::settings::Theme;
use recall::study::{Paths, Study};
use recall::ui::{App, Opening, Starting};

fn open(data: &std::path::Path, welcome: bool) -> Harness<'static, App> {
    let paths = Paths::resolve(Some(data.to_path_buf()), Vec::new()).unwrap();
    let clock = TestClock::new();
    let mut app = App::new(Ok(Study::open(&paths).unwrap()), clock.boxed());
    if welcome {
        app.offer_welcome();
    }
    let mut h = common::harness(app, 2200.0);
    h.run();
    h
}

#[test]
fn the_zoom_is_remembered_across_launches() {
    let dir = tempfile::tempdir().unwrap();
    {
        let mut h = open(dir.path(), false);
        assert_eq!(h.ctx.zoom_factor(), 1.0);
        for _ in 0..3 {
            h.key_press_modifiers(Modifiers::COMMAND, Key::Plus);
            h.run();
        }
        h.run();
        assert!((h.ctx.zoom_factor() - 1.3).abs() < 1e-4);
        assert!((h.state().study().unwrap().settings.zoom - 1.3).abs() < 1e-4);
    }
    let mut h = open(dir.path(), false);
    h.run();
    assert!(
        (h.ctx.zoom_factor() - 1.3).abs() < 1e-4,
        "restored on launch"
    );
    h.key_press_modifiers(Modifiers::COMMAND, Key::Num0);
    h.run();
    h.run();
    assert_eq!(h.state().study().unwrap().settings.zoom, 1.0);
}

#[test]
fn question_mark_opens_the_shortcut_help_on_every_screen() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = open(dir.path(), false);
    for (go, screen_key) in [
        (None, "weak areas"),
        (Some("Statistics"), "scroll"),
        (Some("Decks"), "back to Home"),
        (Some("Settings"), "Ctrl+S"),
    ] {
        if let Some(button) = go {
            h.key_press(Key::Escape);
            h.run();
            h.get_by_label(button).click();
            h.run();
        }
        h.key_press(Key::Questionmark);
        h.run();
        h.get_by_label("Keyboard shortcuts");
        h.get_by_label(screen_key);
        h.get_by_label("Everywhere");
        h.key_press(Key::Escape);
        h.run();
        assert!(!h.state().help_open(), "Esc closes the help ({screen_key})");
    }
    // In a session, the help lists the session's keys.
    h.key_press(Key::Escape);
    h.run();
    h.get_by_label("Quick quiz").click();
    h.run();
    h.key_press(Key::F1);
    h.run();
    h.get_by_label("A session");
    h.get_by_label("undo the last answer");
}

#[test]
fn the_welcome_shows_on_the_first_launch_only() {
    let dir = tempfile::tempdir().unwrap();
    {
        let mut h = open(dir.path(), true);
        h.get_by_label("Welcome to Recall");
        h.get_by_label("How spaced repetition works");
        // Keys meant for the dialog do not reach Home below it.
        h.key_press(Key::Q);
        h.run();
        assert!(matches!(h.state().screen(), recall::ui::Screen::Home));
        h.get_by_label("Start with Machine Learning Fundamentals")
            .click();
        h.run();
        assert!(!h.state().welcome_open());
        assert!(h.query_by_label("Welcome to Recall").is_none());
        // The suggested deck is ticked, so Enter starts on it.
        h.get_by_label_contains("Studying 1 of 22 decks");
    }
    let h = open(dir.path(), true);
    assert!(!h.state().welcome_open());
    assert!(h.query_by_label("Welcome to Recall").is_none());
}

#[test]
fn fenced_code_in_a_prompt_is_drawn_as_its_own_code_block() {
    let dir = tempfile::tempdir().unwrap();
    let decks = dir.path().join("decks");
    std::fs::create_dir_all(&decks).unwrap();
    std::fs::write(
        decks.join("code.ron"),
        r#"(id: "code", title: "Code", category: Custom, questions: [
            (id: "q", topic: "T", prompt: r"What does this print?

```python
print(sum(range(4)))
```", kind: TypedAnswer(accepted: ["6"]), explanation: "0+1+2+3."),
        ])"#,
    )
    .unwrap();
    let mut h = open(dir.path(), false);
    h.get_by_label("Code").click();
    h.run();
    h.get_by_label("Study due (1)").click();
    h.run();
    // The paragraph and the code are separate blocks; the code keeps its text.
    h.get_by_label("What does this print?");
    h.get_by_label("print(sum(range(4)))");
}

#[test]
fn the_deck_editor_fits_an_800_by_600_window() {
    let dir = tempfile::tempdir().unwrap();
    let paths = Paths::resolve(Some(dir.path().to_path_buf()), Vec::new()).unwrap();
    let clock = TestClock::new();
    let app = App::new(Ok(Study::open(&paths).unwrap()), clock.boxed());
    let mut h = common::harness_of_size(app, egui::vec2(800.0, 600.0));
    h.run();
    h.state_mut().apply(recall::ui::Action::OpenEditor(Some(
        "probability-statistics".into(),
    )));
    h.run();
    // Its first question is a multiple choice: a row per option, each with Remove.
    h.get_by_label("Option 1");
    let controls: Vec<_> = ["Back", "Copy to my decks", "Export RON", "Export CSV"]
        .into_iter()
        .map(|label| h.get_by_label(label))
        .chain(h.query_all_by_label("Remove"))
        .collect();
    assert!(controls.len() > 4);
    for node in controls {
        let rect = node.rect();
        assert!(
            rect.max.x <= 800.0,
            "{:?} runs off the window: {rect:?}",
            node.accesskit_node().label()
        );
    }
    // The read-only note sits below the buttons, not under them.
    let note = h.get_by_label_contains("Bundled and read-only").rect();
    assert!(note.min.y >= h.get_by_label("Back").rect().max.y);
}

const OPENING: &str = "Opening your decks and progress…";

/// A thread opening the data folder `data`, once `go` is told to.
fn opening(data: &std::path::Path, go: std::sync::mpsc::Receiver<()>) -> Opening<Opened> {
    let paths = Paths::resolve(Some(data.to_path_buf()), Vec::new()).unwrap();
    Opening::spawn("open", move || {
        go.recv().unwrap();
        Study::open(&paths).map_err(|e| e.to_string())
    })
    .unwrap()
}

type Opened = Result<Study, String>;

/// The window as `recall` makes it over `opening`, in `look` if given.
fn starting(
    opening: Opening<Opened>,
    look: Option<recall::settings::Settings>,
) -> Harness<'static, Starting<Opened>> {
    let clock = TestClock::new();
    Harness::builder()
        .with_size(egui::vec2(1100.0, 800.0))
        .build_eframe(move |cc| {
            recall::ui::setup(&cc.egui_ctx);
            let starting = Starting::new(
                opening,
                move |opened, _| App::new(opened, clock.boxed()),
                &cc.egui_ctx,
                None,
            );
            match &look {
                Some(settings) => starting.with_look(settings, &cc.egui_ctx),
                None => starting,
            }
        })
}

#[test]
fn a_slow_start_shows_that_recall_is_opening_then_home() {
    let dir = tempfile::tempdir().unwrap();
    let look = recall::settings::Settings {
        theme: Theme::Dark,
        zoom: 1.2,
        ..Default::default()
    };
    let (go, wait) = std::sync::mpsc::channel();
    let mut h = starting(opening(dir.path(), wait), Some(look));
    h.run_steps(3);
    assert!(h.state().app().is_none());
    h.get_by_label(OPENING);
    assert!(h.query_by_label_contains("Study due").is_none());
    assert_eq!(h.ctx.theme(), egui::Theme::Dark, "in the learner's theme");
    assert!((h.ctx.zoom_factor() - 1.2).abs() < 1e-4, "and zoom");
    let why = "Deck files that changed";
    assert!(h.query_by_label_contains(why).is_none());
    // After two seconds it says why a start can take a while.
    std::thread::sleep(std::time::Duration::from_millis(2100));
    h.run_steps(2);
    h.get_by_label_contains(why);

    go.send(()).unwrap();
    let waiting = std::time::Instant::now();
    while h.state().app().is_none() {
        assert!(waiting.elapsed().as_secs() < 60, "the app never took over");
        std::thread::sleep(std::time::Duration::from_millis(10));
        h.step();
    }
    h.run_steps(2);
    h.get_by_label_contains("Study due");
    assert!(h.query_by_label(OPENING).is_none());
    let study = h.state().app().and_then(App::study).unwrap();
    let bundled = recall::deck::Library::load(true, &[], &[]);
    assert_eq!(study.library.question_count(), bundled.question_count());
}

#[test]
fn a_start_already_open_goes_straight_to_home() {
    let dir = tempfile::tempdir().unwrap();
    let (go, wait) = std::sync::mpsc::channel();
    go.send(()).unwrap();
    let opening = opening(dir.path(), wait);
    let waiting = std::time::Instant::now();
    while !opening.is_done() {
        assert!(waiting.elapsed().as_secs() < 60, "the folder never opened");
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    let mut h = starting(opening, None);
    assert!(h.state().app().is_some(), "made with the window");
    h.step();
    h.get_by_label_contains("Study due");
    assert!(h.query_by_label(OPENING).is_none());
}
