//! The weak-areas and statistics screens on a seeded history whose weak topic
//! ("Shaky") and leeches are known by construction.

mod common;

use common::{START, TWO_TOPICS, TestClock, db, library, seeded_reviews_csv};
use egui::Key;
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use recall::stats::history::Scope;
use recall::store::Store;
use recall::study::Study;
use recall::ui::{Action, App, Screen};

/// The app on Home over the two-topic deck with the seeded history imported.
fn seeded() -> (tempfile::TempDir, Harness<'static, App>) {
    let dir = tempfile::tempdir().unwrap();
    let mut study = Study::new(
        library(dir.path(), &[("two.ron", TWO_TOPICS)]),
        Store::open(&db(dir.path())).unwrap(),
    )
    .unwrap();
    let csv = dir.path().join("seed.csv");
    std::fs::write(&csv, seeded_reviews_csv(START)).unwrap();
    assert_eq!(study.import_reviews(&csv, START).unwrap(), (40, 0));
    let clock = TestClock::new();
    let app = App::new(Ok(study), clock.boxed());
    let mut h = common::harness(app, 800.0);
    h.run();
    (dir, h)
}

fn current_topic(h: &Harness<'_, App>) -> Option<String> {
    let app = h.state();
    let Screen::Session(screen) = app.screen() else {
        return None;
    };
    let study = app.study()?;
    Some(study.question(&screen.session)?.topic.clone())
}

#[test]
fn home_names_the_weak_topic_and_weak_areas_drills_it_then_compares_with_its_record() {
    let (_dir, mut h) = seeded();
    h.get_by_label_contains("Weakest topics");
    h.get_by_label("Drill Shaky");
    assert!(h.query_by_label("Drill Solid").is_none());

    h.get_by_label("Weak areas").click();
    h.run();
    let Screen::Session(screen) = h.state().screen() else {
        panic!("Weak areas did not start a session");
    };
    assert_eq!(screen.session.progress(), (0, 4), "the four Shaky cards");
    for _ in 0..4 {
        assert_eq!(current_topic(&h).as_deref(), Some("Shaky"));
        h.key_press(Key::T);
        h.run();
        h.key_press(Key::Enter);
        h.run();
    }
    assert!(matches!(h.state().screen(), Screen::Results(_)));
    // Shaky's record before the session: 8 right of 24.
    h.get_by_label("before: 33% (+67 points)");
}

#[test]
fn the_statistics_screen_draws_each_chart_and_lists_weak_topics_and_leeches() {
    let (_dir, mut h) = seeded();
    h.get_by_label("Statistics").click();
    h.run();
    let Screen::Stats(view) = h.state().screen() else {
        panic!("Statistics did not open");
    };
    assert_eq!(view.per_day.iter().sum::<u32>(), 40);
    // The Shaky cards come back within days; the Solid ones after a month.
    assert_eq!(view.forecast.iter().sum::<u32>(), 4);
    assert!(view.retention.iter().any(|w| w.total > 0));
    let weak: Vec<&str> = view
        .topics
        .iter()
        .filter(|t| t.weak)
        .map(|t| t.topic.as_str())
        .collect();
    assert_eq!(weak, ["Shaky"]);
    assert_eq!((view.leeches.len(), view.leech_count), (4, 4));

    for heading in [
        "Reviews per day",
        "Due in the next 30 days",
        "True retention per week",
        "Mastery by category",
        "Mastery by topic",
        "Session scores",
        "Leeches",
    ] {
        h.get_by_label(heading);
    }
    h.get_by_label_contains("40 reviews on");
    h.get_by_label_contains("1 weak topic marked");
    h.get_by_label("K1 is true.");
    // No session was run yet: its chart says what to do instead.
    h.get_by_label_contains("Each finished session's score");

    // Narrowed to a deck with no reviews, the charts say so.
    h.state_mut().apply(Action::StatsScope(Scope::Category(
        recall::model::Category::Coursework,
    )));
    h.run();
    h.get_by_label_contains("No reviews yet");
    h.get_by_label_contains("No leeches");

    h.key_press(Key::Escape);
    h.run();
    assert!(matches!(h.state().screen(), Screen::Home));
}

#[test]
fn settings_show_the_parameters_and_say_how_much_history_the_optimizer_needs() {
    let (_dir, mut h) = seeded();
    h.get_by_label("Settings").click();
    h.run();
    h.get_by_label("FSRS-6 with its default parameters.");
    // 40 reviews, of which the 32 repeats a day or more later count.
    h.get_by_label_contains(
        "Needs 64 reviews made a day or more after the card's previous review; you have 32",
    );
    assert!(
        h.get_by_label("Optimize from my history")
            .accesskit_node()
            .is_disabled()
    );
    assert!(
        h.get_by_label("Reset to defaults")
            .accesskit_node()
            .is_disabled()
    );
}

#[test]
fn optimize_runs_in_the_background_and_reports_both_fits() {
    let (dir, mut h) = seeded();
    let csv = dir.path().join("long.csv");
    let mut out = Vec::new();
    recall::exchange::write_reviews(&common::long_history(), &mut out).unwrap();
    std::fs::write(&csv, out).unwrap();
    // Import through the app's study, as `recall import --reviews` would.
    let Some(study) = h.state_mut().study_mut() else {
        panic!("no study");
    };
    study.import_reviews(&csv, START).unwrap();
    h.get_by_label("Settings").click();
    h.run();
    h.get_by_label("Optimize from my history").click();
    h.run();
    let mut done = false;
    for _ in 0..600 {
        std::thread::sleep(std::time::Duration::from_millis(50));
        h.run();
        if h.query_by_label_contains("Lower is better").is_some() {
            done = true;
            break;
        }
    }
    assert!(done, "the optimizer did not finish in 30 s");
    h.get_by_label("log loss");
    h.get_by_label("Optimized");
    let saved = h.state().study().unwrap().settings.parameters.len();
    if h.query_by_label_contains("are now in use").is_some() {
        assert_eq!(saved, 21);
        h.get_by_label("Reset to defaults").click();
        h.run();
        assert!(h.state().study().unwrap().settings.parameters.is_empty());
    } else {
        h.get_by_label_contains("the current ones were kept");
        assert_eq!(saved, 0);
    }
}

#[test]
fn over_many_topics_the_chart_shows_the_weakest_and_the_leech_list_is_capped() {
    use recall::model::{CardKey, Rating};
    let dir = tempfile::tempdir().unwrap();
    let questions: String = (0..40)
        .map(|i| {
            format!(
                r#"(id: "q{i}", topic: "Topic {i}", prompt: "Statement {i}.", kind: TrueFalse(answer: true), explanation: "Because {i}."),"#
            )
        })
        .collect();
    let deck = format!(
        r#"(id: "many", title: "Many topics", category: Coursework, questions: [{questions}])"#
    );
    let mut study = Study::new(
        library(dir.path(), &[("many.ron", &deck)]),
        Store::open(&db(dir.path())).unwrap(),
    )
    .unwrap();
    // Every card forgotten four times in six reviews: 40 started topics, 40 leeches.
    let mut reviews = Vec::new();
    for i in 0..40i64 {
        for (n, rating) in common::LEECH_RATINGS.into_iter().enumerate() {
            reviews.push(recall::store::Review {
                key: CardKey::new("many", format!("q{i}")),
                reviewed_at: recall::clock::Timestamp(
                    START.0 - (20 - 3 * n as i64) * 86_400_000 + i * 1000,
                ),
                rating,
                correct: rating != Rating::Again,
                duration_ms: 4000,
                kind: "TrueFalse".into(),
                session: None,
            });
        }
    }
    reviews.sort_by_key(|r| r.reviewed_at);
    let csv = dir.path().join("many.csv");
    let mut out = Vec::new();
    recall::exchange::write_reviews(&reviews, &mut out).unwrap();
    std::fs::write(&csv, out).unwrap();
    assert_eq!(study.import_reviews(&csv, START).unwrap(), (240, 0));

    let clock = TestClock::new();
    let mut h = common::harness(App::new(Ok(study), clock.boxed()), 800.0);
    h.run();
    h.get_by_label("Statistics").click();
    h.run();
    let Screen::Stats(view) = h.state().screen() else {
        panic!("Statistics did not open");
    };
    assert_eq!((view.leeches.len(), view.leech_count), (25, 40));
    h.get_by_label_contains("The 30 weakest of 40 started topics");
    h.get_by_label_contains("40 leeches in all; the 25 with the most lapses are shown.");
    let listed = h
        .query_all_by_label_contains("Many topics · 4 lapses in 6 reviews")
        .count();
    assert_eq!(listed, 25);

    // One deck shows all of its topics, without the note.
    h.state_mut()
        .apply(Action::StatsScope(Scope::Deck("many".into())));
    h.run();
    assert!(h.query_by_label_contains("weakest of").is_none());
}
