//! The app on a damaged database: it names the file and the problem, and
//! offers to restore the newest backup or start afresh, keeping the damaged
//! file either way. Settings' restore keeps the replaced database too.

mod common;

use common::TestClock;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use recall::clock::Timestamp;
use recall::model::{CardKey, Rating};
use recall::scheduler::CardState;
use recall::store::{Review, Store};
use recall::study::{Paths, Study};
use recall::ui::App;

fn answer(store: &mut Store, question: &str) {
    let review = Review {
        key: CardKey::new("linear-algebra", question),
        reviewed_at: Timestamp(1_780_000_000_000),
        rating: Rating::Good,
        correct: true,
        duration_ms: 1000,
        kind: "Flashcard".into(),
        session: None,
    };
    let state = CardState {
        stability: 2.0,
        difficulty: 5.0,
        due_day: 20_600,
        last_review: review.reviewed_at,
        last_day: 20_598,
        reps: 1,
        lapses: 0,
    };
    store.record_answer(&review, &state).unwrap();
}

/// Opens the app the way `recall` does: with recovery offered when the
/// database is damaged.
fn open(paths: &Paths) -> Harness<'static, App> {
    let opened = Study::open_exclusive(paths);
    let damaged = matches!(opened, Err(recall::Error::CorruptDatabase { .. }));
    let clock = TestClock::new();
    let mut app = App::new(opened.map_err(|e| e.to_string()), clock.boxed());
    if damaged {
        app.offer_recovery(paths.clone());
    }
    let mut h = common::harness(app, 800.0);
    h.run();
    h
}

fn damaged_folder() -> (tempfile::TempDir, Paths, Vec<u8>) {
    let dir = tempfile::tempdir().unwrap();
    let paths = Paths::resolve(Some(dir.path().to_path_buf()), Vec::new()).unwrap();
    {
        let mut store = Store::open(&paths.database()).unwrap();
        answer(&mut store, "rank-definition");
        recall::backup::backup_now(&store, &paths.backups(), Timestamp(1_780_000_100_000)).unwrap();
    }
    let garbage = vec![0x42u8; 16_384];
    std::fs::write(paths.database(), &garbage).unwrap();
    (dir, paths, garbage)
}

fn kept_aside(paths: &Paths, marker: &str) -> Vec<std::path::PathBuf> {
    std::fs::read_dir(&paths.data_dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.to_string_lossy().contains(marker))
        .collect()
}

#[test]
fn a_damaged_database_can_be_replaced_by_the_newest_backup_and_is_kept() {
    let (_dir, paths, garbage) = damaged_folder();
    let mut h = open(&paths);
    h.get_by_label("Recall could not open your data");
    h.get_by_label_contains("is not a readable Recall database");
    h.get_by_label_contains("Restore the newest backup").click();
    h.run();
    h.get_by_label_contains("Restored");
    let study = h
        .state()
        .study()
        .expect("the folder opens after the restore");
    assert_eq!(study.store.all_reviews().unwrap().len(), 1);
    let kept = kept_aside(&paths, ".corrupt-");
    assert_eq!(kept.len(), 1);
    assert_eq!(std::fs::read(&kept[0]).unwrap(), garbage);
}

#[test]
fn a_damaged_database_can_be_set_aside_for_a_fresh_one() {
    let (_dir, paths, garbage) = damaged_folder();
    let mut h = open(&paths);
    h.get_by_label("Start a fresh database").click();
    h.run();
    h.get_by_label_contains("Started a fresh database");
    let study = h.state().study().unwrap();
    assert!(study.store.all_reviews().unwrap().is_empty());
    let kept = kept_aside(&paths, ".corrupt-");
    assert_eq!(std::fs::read(&kept[0]).unwrap(), garbage);
}

#[test]
fn settings_back_up_and_restore_keep_the_replaced_database() {
    let dir = tempfile::tempdir().unwrap();
    let paths = Paths::resolve(Some(dir.path().to_path_buf()), Vec::new()).unwrap();
    let mut h = open(&paths);
    h.get_by_label("Settings").click();
    h.run();
    h.get_by_label("No backups yet.");
    h.get_by_label("Back up now").click();
    h.run();
    h.get_by_label_contains("Backed up to");
    // An answer after the backup, which the restore will take back.
    {
        let study = h.state_mut().study_mut().unwrap();
        answer(&mut study.store, "rank-definition");
    }
    h.get_by_label("Restore").click();
    h.run();
    h.get_by_label("Yes, restore").click();
    h.run();
    h.get_by_label_contains("The previous database is kept as");
    assert!(common::stored_reviews(&h).is_empty());
    let kept = kept_aside(&paths, ".replaced-");
    let old = Store::open(&kept[0]).unwrap();
    assert_eq!(old.all_reviews().unwrap().len(), 1);
}
