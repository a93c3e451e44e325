//! Custom decks in the running app: live reload of deck files changed on
//! disk, and the deck editor.

mod common;

use common::{EVERY_KIND, TestClock};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use recall::study::{Paths, Study};
use recall::ui::App;

/// The app over a fresh data folder, watching its deck folder.
fn open(data: &std::path::Path) -> Harness<'static, App> {
    let paths = Paths::resolve(Some(data.to_path_buf()), Vec::new()).unwrap();
    let study = Study::open(&paths).unwrap();
    let clock = TestClock::new();
    let app = App::new(Ok(study), clock.boxed());
    let mut h = Harness::builder()
        .with_size(egui::vec2(1100.0, 800.0))
        .build_eframe(|cc| {
            recall::ui::setup(&cc.egui_ctx);
            app
        });
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
