//! Progress survives a restart, and cards come back when FSRS says they are due.

mod common;

use std::collections::BTreeSet;

use common::{EVERY_KIND, START, db, library};
use rand::SeedableRng;
use recall::clock::Timestamp;
use recall::grade::Answer;
use recall::model::{CardKey, Rating};
use recall::session::{Mode, Session};
use recall::store::Store;
use recall::study::{Paths, Study};

const DAY_MS: i64 = 86_400_000;

fn open(dir: &std::path::Path) -> Study {
    Study::new(
        library(dir, &[("t.ron", EVERY_KIND)]),
        Store::open(&db(dir)).unwrap(),
    )
    .unwrap()
}

/// Answers the current question and stores it with the rating its verdict implies.
fn answer(study: &mut Study, session: &mut Session, given: Answer) -> Rating {
    let graded = study.grade(session, &given, START).unwrap();
    let rating = graded.default_rating;
    let correct = graded.verdict.is_correct();
    study
        .answer(
            session,
            &graded,
            rating,
            correct,
            format!("{given:?}"),
            START,
        )
        .unwrap();
    rating
}

#[test]
fn progress_and_due_cards_survive_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let mut rng = rand::rngs::StdRng::seed_from_u64(1);
    let all = BTreeSet::new();
    {
        let mut study = open(dir.path());
        let queue = study.queue(Mode::Due, &all, START, &mut rng).unwrap();
        assert_eq!(queue.len(), 5);
        let mut session = study.start(Mode::Due, queue, START).unwrap();
        // Answer the true/false card right and the multiple-choice card wrong.
        assert_eq!(
            answer(&mut study, &mut session, Answer::Bool(true)),
            Rating::Good
        );
        assert_eq!(
            answer(&mut study, &mut session, Answer::Choices(vec![0])),
            Rating::Again
        );
        // No finish: the process "dies" here; both answers are already stored.
    }

    let study = open(dir.path());
    assert_eq!(study.store.all_reviews().unwrap().len(), 2);
    let tf = *study.state(&CardKey::new("t", "tf")).unwrap();
    let mcq = *study.state(&CardKey::new("t", "mcq")).unwrap();
    assert_eq!((tf.reps, tf.lapses), (1, 0));
    assert_eq!(
        tf.due_day - tf.last_day,
        2,
        "a new card rated Good comes back in 2 days"
    );
    assert_eq!(mcq.due_day - mcq.last_day, 1);

    // Same day: only the three unseen cards are left.
    let today = study.due(&all, Timestamp(START.0 + 60_000)).unwrap();
    assert_eq!(today.len(), 3);
    assert!(!today.contains(&CardKey::new("t", "tf")));

    // Tomorrow the missed card is due; in two days both are.
    let tomorrow = study.due(&all, Timestamp(START.0 + DAY_MS)).unwrap();
    assert!(tomorrow.contains(&CardKey::new("t", "mcq")));
    assert!(!tomorrow.contains(&CardKey::new("t", "tf")));
    let later = study.due(&all, Timestamp(START.0 + 2 * DAY_MS)).unwrap();
    assert_eq!(later.len(), 5);
    assert_eq!(
        later[0],
        CardKey::new("t", "mcq"),
        "the weaker review comes first"
    );
    assert!(later.contains(&CardKey::new("t", "tf")));
}

#[test]
fn the_daily_new_card_limit_counts_cards_already_started_today() {
    let dir = tempfile::tempdir().unwrap();
    let mut rng = rand::rngs::StdRng::seed_from_u64(1);
    let all = BTreeSet::new();
    let mut study = open(dir.path());
    let mut settings = study.settings.clone();
    settings.new_per_day = 2;
    study.save_settings(settings).unwrap();
    let queue = study.queue(Mode::Due, &all, START, &mut rng).unwrap();
    assert_eq!(queue.len(), 2);
    let mut session = study.start(Mode::Due, queue, START).unwrap();
    answer(&mut study, &mut session, Answer::Bool(true));
    assert_eq!(study.due(&all, START).unwrap().len(), 1);
}

#[test]
fn rewording_a_question_keeps_its_progress() {
    let dir = tempfile::tempdir().unwrap();
    {
        let mut study = open(dir.path());
        let queue = vec![CardKey::new("t", "tf")];
        let mut session = study.start(Mode::Retry, queue, START).unwrap();
        answer(&mut study, &mut session, Answer::Bool(true));
    }
    let reworded = EVERY_KIND.replace("Water is wet.", "Liquid water wets glass.");
    let study = Study::new(
        library(dir.path(), &[("t.ron", &reworded)]),
        Store::open(&db(dir.path())).unwrap(),
    )
    .unwrap();
    let key = CardKey::new("t", "tf");
    assert_eq!(
        study.library.question(&key).unwrap().prompt,
        "Liquid water wets glass."
    );
    assert_eq!(study.state(&key).unwrap().reps, 1);
    assert_eq!(study.counts(START)["t"].learned, 1);
}

/// Today's (new, due, learned) counts of deck "t", as `Study::counts` gives
/// them and as worked out afresh from the states in the database, which must
/// agree.
fn counts_both_ways(study: &Study) -> ((usize, usize, usize), (usize, usize, usize)) {
    let c = study.counts(START)["t"];
    let today = study.today(START);
    let stored = study.store.card_states().unwrap();
    let mut fresh = (0, 0, 0);
    for (key, _) in study.library.cards().filter(|(k, _)| k.deck == "t") {
        assert_eq!(study.state(&key.to_key()), stored.get(&key.to_key()));
        match stored.get(&key.to_key()) {
            None => fresh.0 += 1,
            Some(s) if s.due_day <= today => fresh.1 += 1,
            Some(_) => fresh.2 += 1,
        }
    }
    ((c.new, c.due, c.learned), fresh)
}

/// The data folder `dir` holding deck "t" (the bundled decks load too),
/// opened as the app opens it, so reloads and the background log read happen.
fn data_folder(dir: &std::path::Path) -> Paths {
    library(dir, &[("t.ron", EVERY_KIND)]);
    Paths::resolve(Some(dir.to_path_buf()), Vec::new()).unwrap()
}

#[test]
fn counts_and_queues_follow_answers_undo_and_rerating_without_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let mut rng = rand::rngs::StdRng::seed_from_u64(3);
    let deck_t = BTreeSet::from(["t".to_string()]);
    let mut study = Study::open(&data_folder(dir.path())).unwrap();
    let check = |study: &Study, new: usize| {
        let (counts, fresh) = counts_both_ways(study);
        assert_eq!(counts, fresh);
        assert_eq!(counts.0, new);
        let queue = study.due(&deck_t, START).unwrap();
        assert_eq!(queue.len(), new + counts.1, "new and due cards are queued");
    };
    check(&study, 5);

    let queue = study.queue(Mode::Due, &deck_t, START, &mut rng).unwrap();
    let mut session = study.start(Mode::Due, queue, START).unwrap();
    let first = session.current().unwrap().clone();
    answer(&mut study, &mut session, Answer::Bool(false));
    check(&study, 4);
    let wrong = *study.state(&first).unwrap();

    study.rerate(&mut session, Rating::Easy, true).unwrap();
    check(&study, 4);
    assert!(study.state(&first).unwrap().stability > wrong.stability);

    study.undo(&mut session, START).unwrap();
    check(&study, 5);
    assert!(study.state(&first).is_none());

    answer(&mut study, &mut session, Answer::Bool(false));
    study.reload_decks();
    check(&study, 4);
}

#[test]
fn a_card_whose_deck_breaks_keeps_its_state_and_has_it_again_once_the_deck_is_mended() {
    let dir = tempfile::tempdir().unwrap();
    let mut rng = rand::rngs::StdRng::seed_from_u64(4);
    let deck_t = BTreeSet::from(["t".to_string()]);
    let paths = data_folder(dir.path());
    let mut study = Study::open(&paths).unwrap();
    let queue = study.queue(Mode::Due, &deck_t, START, &mut rng).unwrap();
    let mut session = study.start(Mode::Due, queue, START).unwrap();
    let first = session.current().unwrap().clone();
    answer(&mut study, &mut session, Answer::Bool(false));
    let state = *study.state(&first).unwrap();
    let studied =
        |study: &Study| -> Vec<CardKey> { study.studied().map(|(key, _)| key.to_key()).collect() };
    assert_eq!(studied(&study), std::slice::from_ref(&first));

    let file = paths.user_decks().join("t.ron");
    std::fs::write(&file, "( broken").unwrap();
    study.reload_decks();
    assert!(study.library.deck("t").is_none());
    assert_eq!(study.state(&first), Some(&state));
    assert_eq!(studied(&study), std::slice::from_ref(&first));
    assert!(!study.counts(START).contains_key("t"));
    // Opened afresh while the deck is broken, the state is kept too.
    drop(study);
    let mut study = Study::open(&paths).unwrap();
    assert_eq!(study.state(&first), Some(&state));

    std::fs::write(&file, EVERY_KIND).unwrap();
    study.reload_decks();
    assert_eq!(study.state(&first), Some(&state));
    assert_eq!(studied(&study), std::slice::from_ref(&first));
    let (counts, fresh) = counts_both_ways(&study);
    assert_eq!(counts, fresh);
    assert_eq!(
        counts.0, 4,
        "the mended deck's studied card is not new again"
    );

    // A new deck file sorted before it moves its cards along, states and all.
    let other = EVERY_KIND
        .replace("id: \"t\"", "id: \"a\"")
        .replace("Test deck", "Another deck");
    std::fs::write(paths.user_decks().join("a.ron"), other).unwrap();
    study.reload_decks();
    assert!(study.library.deck("a").is_some());
    assert_eq!(study.state(&first), Some(&state));
    assert_eq!(studied(&study), std::slice::from_ref(&first));
    let (counts, fresh) = counts_both_ways(&study);
    assert_eq!((counts, counts.0), (fresh, 4));
}

#[test]
fn the_review_log_read_while_the_decks_load_is_whole_and_keeps_new_answers() {
    let dir = tempfile::tempdir().unwrap();
    let mut rng = rand::rngs::StdRng::seed_from_u64(5);
    let deck_t = BTreeSet::from(["t".to_string()]);
    let paths = data_folder(dir.path());
    let answer_one = |study: &mut Study, rng: &mut rand::rngs::StdRng| {
        let queue = study.queue(Mode::Due, &deck_t, START, rng).unwrap();
        let mut session = study.start(Mode::Due, queue, START).unwrap();
        answer(study, &mut session, Answer::Revealed);
    };
    {
        let mut study = Study::open(&paths).unwrap();
        answer_one(&mut study, &mut rng);
        answer_one(&mut study, &mut rng);
    }

    // Opening starts reading the log on another thread; what it read is
    // what the store holds.
    let mut study = Study::open(&paths).unwrap();
    let stored = study.store.history(study.day_clock(START)).unwrap();
    let read = study.with_history(START, |_, h| h.clone()).unwrap();
    assert_eq!(read.digest(), stored.digest());
    assert_eq!(read.len(), 2);

    // An answer stored right after opening, while that read may still be
    // running, is in the log Home and Statistics see.
    let mut study = Study::open(&paths).unwrap();
    answer_one(&mut study, &mut rng);
    let read = study.with_history(START, |_, h| h.len()).unwrap();
    assert_eq!(read, 3);
    assert_eq!(study.store.all_reviews().unwrap().len(), 3);
}

/// The review log as `study` holds it and as read again from the database,
/// each as [`History::digest`] gives it (one line per answer after the
/// clock's, then the days and sessions), and how many answers it holds.
///
/// [`History::digest`]: recall::stats::history::History::digest
fn logs_both_ways(study: &mut Study) -> (usize, String, String) {
    let (len, held) = study
        .with_history(START, |_, h| (h.len(), h.digest()))
        .unwrap();
    let stored = study.store.history(study.day_clock(START)).unwrap();
    (len, held, stored.digest())
}

#[test]
fn the_review_log_in_memory_follows_answers_re_ratings_and_undos() {
    let dir = tempfile::tempdir().unwrap();
    let mut rng = rand::rngs::StdRng::seed_from_u64(8);
    let deck_t = BTreeSet::from(["t".to_string()]);
    let mut study = open(dir.path());
    let queue = study.queue(Mode::Due, &deck_t, START, &mut rng).unwrap();
    let mut session = study.start(Mode::Due, queue, START).unwrap();
    // The log is loaded before the answers, so they change it in place.
    assert!(study.with_history(START, |_, h| h.is_empty()).unwrap());
    answer(&mut study, &mut session, Answer::Bool(false));
    answer(&mut study, &mut session, Answer::Revealed);
    let (len, held, stored) = logs_both_ways(&mut study);
    assert_eq!(len, 2);
    assert!(
        held.lines().nth(2).is_some_and(|l| l.ends_with(" 0")),
        "{held}"
    );
    assert_eq!(held, stored);

    // Re-rated as known: the second answer is now right, in its session's
    // count too.
    study.rerate(&mut session, Rating::Easy, true).unwrap();
    let (len, held, stored) = logs_both_ways(&mut study);
    assert_eq!(len, 2);
    assert!(
        held.lines().nth(2).is_some_and(|l| l.ends_with(" 1")),
        "{held}"
    );
    assert!(held.contains("right: 1, total: 2"), "{held}");
    assert_eq!(held, stored);

    study.undo(&mut session, START).unwrap();
    let (len, held, stored) = logs_both_ways(&mut study);
    assert_eq!(len, 1);
    assert_eq!(held, stored);
}

#[test]
fn mastery_is_worked_out_again_after_each_change_it_depends_on() {
    use recall::stats::history::Scope;
    let dir = tempfile::tempdir().unwrap();
    let mut rng = rand::rngs::StdRng::seed_from_u64(9);
    let mut study = open(dir.path());
    let deck_t = |study: &mut Study, now: Timestamp| {
        let report = study.mastery(&Scope::All, now).unwrap();
        let (_, t) = report.decks.iter().find(|(id, _)| id == "t").unwrap();
        (t.studied, t.reps, t.recent_total)
    };
    assert_eq!(deck_t(&mut study, START), (0, 0, 0));

    let queue = study
        .queue(Mode::Due, &BTreeSet::new(), START, &mut rng)
        .unwrap();
    let mut session = study.start(Mode::Due, queue, START).unwrap();
    answer(&mut study, &mut session, Answer::Revealed);
    assert_eq!(deck_t(&mut study, START), (1, 1, 1), "after an answer");

    // Retrievability falls day by day, so a new study day means a new report.
    let retrievability = |study: &mut Study, now: Timestamp| {
        let report = study.mastery(&Scope::All, now).unwrap();
        let (_, t) = report.decks.iter().find(|(id, _)| id == "t").unwrap();
        t.retrievability().unwrap()
    };
    let later = Timestamp(START.0 + 20 * DAY_MS);
    let today = retrievability(&mut study, START);
    let good = retrievability(&mut study, later);
    assert!(good < today, "{good} should be below {today}");

    // Easy instead of Good: a longer memory, so more of it is left later.
    study.rerate(&mut session, Rating::Easy, true).unwrap();
    let easy = retrievability(&mut study, later);
    assert!(easy > good, "{easy} should be above {good}");

    study.undo(&mut session, START).unwrap();
    assert_eq!(deck_t(&mut study, START), (0, 0, 0), "after an undo");
}
