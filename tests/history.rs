//! Review history through the CLI as a user runs it: `import --reviews`,
//! `export --reviews` and `--cards`, and `stats --json` on a seeded history
//! whose weak topic and leeches are known by construction.

mod common;

use std::path::Path;
use std::process::{Command, Output};

use common::{TWO_TOPICS, seeded_reviews_csv};
use recall::clock::Timestamp;

fn recall(args: &[&str], data_dir: &Path, deck: &Path) -> Output {
    let out = Command::new(env!("CARGO_BIN_EXE_recall"))
        .args(args)
        .arg("--decks")
        .arg(deck)
        .env("RECALL_DATA_DIR", data_dir)
        .output()
        .expect("recall runs");
    assert!(
        out.status.success(),
        "recall {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// `recall VERB FLAG FILE` on `data_dir` with `deck` loaded.
fn with_file(verb: &str, flag: &str, file: &Path, data_dir: &Path, deck: &Path) -> Output {
    recall(&[verb, flag, file.to_str().unwrap()], data_dir, deck)
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// A folder with the deck file and the seeded history CSV.
fn seeded() -> (tempfile::TempDir, std::path::PathBuf, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let deck = dir.path().join("two.ron");
    std::fs::write(&deck, TWO_TOPICS).unwrap();
    let csv = dir.path().join("seed.csv");
    std::fs::write(&csv, seeded_reviews_csv(Timestamp::now())).unwrap();
    (dir, deck, csv)
}

#[test]
fn export_import_export_is_byte_identical_and_reimport_adds_nothing() {
    let (dir, deck, csv) = seeded();
    let first = dir.path().join("first");
    let out = with_file("import", "--reviews", &csv, &first, &deck);
    assert_eq!(stdout(&out), "added 40 reviews; 0 already there\n");
    let again = with_file("import", "--reviews", &csv, &first, &deck);
    assert_eq!(stdout(&again), "added 0 reviews; 40 already there\n");

    let exported = dir.path().join("exported.csv");
    with_file("export", "--reviews", &exported, &first, &deck);
    let second = dir.path().join("second");
    with_file("import", "--reviews", &exported, &second, &deck);
    let reexported = dir.path().join("reexported.csv");
    with_file("export", "--reviews", &reexported, &second, &deck);

    let a = std::fs::read(&csv).unwrap();
    let b = std::fs::read(&exported).unwrap();
    let c = std::fs::read(&reexported).unwrap();
    assert_eq!(a, b, "export differs from the imported file");
    assert_eq!(b, c, "export → import → export is not byte-identical");
}

#[test]
fn imported_cards_get_states_rebuilt_from_their_log() {
    let (dir, deck, csv) = seeded();
    let data = dir.path().join("data");
    with_file("import", "--reviews", &csv, &data, &deck);
    let cards = dir.path().join("cards.csv");
    with_file("export", "--cards", &cards, &data, &deck);
    let text = std::fs::read_to_string(&cards).unwrap();
    let mut lines = text.lines();
    assert_eq!(
        lines.next(),
        Some("deck,question,stability,difficulty,due,last_review,reps,lapses,retrievability")
    );
    let rows: Vec<Vec<&str>> = lines.map(|l| l.split(',').collect()).collect();
    assert_eq!(rows.len(), 8);
    let k1 = rows.iter().find(|r| r[1] == "k1").unwrap();
    assert_eq!((k1[6], k1[7]), ("6", "4"), "k1 has 6 reviews and 4 lapses");
    let s1 = rows.iter().find(|r| r[1] == "s1").unwrap();
    assert_eq!((s1[6], s1[7]), ("4", "0"));
    let stability = |r: &Vec<&str>| r[2].parse::<f64>().unwrap();
    assert!(stability(s1) > 20.0 * stability(k1), "{s1:?} vs {k1:?}");
    assert!(
        s1[4].len() == 10 && s1[4].as_bytes()[4] == b'-',
        "due is a date: {}",
        s1[4]
    );
}

#[test]
fn stats_json_ranks_the_seeded_weak_topic_and_lists_its_leeches() {
    let (dir, deck, csv) = seeded();
    let data = dir.path().join("data");
    with_file("import", "--reviews", &csv, &data, &deck);
    let out = recall(&["stats", "--json"], &data, &deck);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["reviews_total"], 40);
    let weakest = json["weakest_topics"].as_array().unwrap();
    assert_eq!(weakest.len(), 1, "{weakest:?}");
    assert_eq!(weakest[0]["topic"], "Shaky");
    assert_eq!(weakest[0]["deck"], "two");
    assert_eq!(weakest[0]["lapses"], 16);
    let leeches: Vec<&str> = json["leeches"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["question"].as_str().unwrap())
        .collect();
    assert_eq!(leeches, ["k1", "k2", "k3", "k4"]);
    // Retention counts repeat reviews only: Shaky's 20 repeats have 4 right,
    // and the 4–8 Solid repeats inside the window are all right.
    let retention = json["retention_30d"].as_f64().unwrap();
    assert!((0.25..0.5).contains(&retention), "{retention}");
    let two = json["decks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["id"] == "two")
        .unwrap();
    assert_eq!(
        two["learned"].as_u64().unwrap() + two["due"].as_u64().unwrap(),
        8
    );

    let text = stdout(&recall(&["stats"], &data, &deck));
    assert!(text.contains("Weakest topics:\n  Shaky (two)"), "{text}");
    assert!(text.contains("Leeches:\n  two/k1"), "{text}");
}

#[test]
fn the_optimizer_fits_a_long_history_and_compares_old_and_new_parameters() {
    use recall::clock::DayClock;
    use recall::scheduler::training::{MIN_TRAINING_ITEMS, optimize, training_items};

    let clock = DayClock {
        utc_offset_secs: 0,
        rollover_hour: 0,
    };
    // Each card numbered in order of its first review, as the database does.
    let mut cards: std::collections::HashMap<recall::model::CardKey, i64> =
        std::collections::HashMap::new();
    let reviews: Vec<_> = common::long_history()
        .into_iter()
        .map(|r| {
            let next = cards.len() as i64;
            let card = *cards.entry(r.key).or_insert(next);
            (card, clock.day(r.reviewed_at), r.rating)
        })
        .collect();
    let (items, card_ids) = training_items(reviews);
    assert!(items.len() >= MIN_TRAINING_ITEMS, "{}", items.len());
    let progress = fsrs::CombinedProgressState::new_shared();
    let outcome = optimize(items, card_ids, &[], 0.9, progress.clone()).unwrap();
    assert_eq!(outcome.parameters.len(), 21);
    let progress = progress.lock().unwrap();
    assert!(progress.finished());
    assert!(
        progress.total() > 0,
        "the optimizer trained rather than returning early"
    );
    for (loss, rmse) in [outcome.before, outcome.after] {
        assert!(loss.is_finite() && loss > 0.0 && rmse.is_finite());
    }
    assert_ne!(outcome.before, outcome.after);
}
