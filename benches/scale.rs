//! Recall at full scale: 100 000 questions in 50 decks and 1 000 000
//! reviews (see `recall::corpus`). Each benchmark is one step a learner
//! waits for. `cargo bench --bench scale`; the README's "Performance"
//! section lists the medians against their targets.

mod support;

use std::collections::BTreeSet;
use std::path::Path;
use std::time::Duration;

use criterion::measurement::{Measurement, WallTime};
use criterion::{BatchSize, Criterion, criterion_group, criterion_main};

use recall::clock::{DayClock, Timestamp};
use recall::deck::Library;
use recall::grade::Answer;
use recall::model::{CardKey, QuestionKind};
use recall::session::{Mode, Session};
use recall::settings::Settings;
use recall::stats::history::Scope;
use recall::store::Store;
use recall::study::Study;
use recall::ui::{HomeView, StatsView};

use support::{NOW, ThreadCpu};

/// The bundled decks and the corpus's 100 000 questions.
fn library() -> Library {
    support::paths().load_library()
}

/// A study of a copy of the corpus's database in `dir`, so benchmarks that
/// answer questions leave the corpus as it was.
fn study_of_copy(dir: &Path) -> Study {
    let copy = dir.join("recall.sqlite3");
    std::fs::copy(support::paths().database(), &copy).expect("the database can be copied");
    Study::new(library(), Store::open(&copy).expect("the copy opens")).expect("the study opens")
}

fn every_deck() -> BTreeSet<String> {
    BTreeSet::new()
}

/// A study of the corpus with the review log already read and the mastery
/// report worked out, as the app has it once Home is on screen.
fn warm_study() -> Study {
    let mut study = Study::open(&support::paths()).expect("the corpus opens");
    study
        .mastery(&Scope::All, NOW)
        .expect("the review log reads");
    study
}

fn loading(c: &mut Criterion) {
    let mut group = c.benchmark_group("load");
    group.sample_size(10);
    group.bench_function("load and check the decks (100 707 questions)", |b| {
        let paths = support::paths();
        b.iter(|| Library::load(true, &paths.extra_decks, &[paths.user_decks()]))
    });
    group.bench_function("load the decks, unchanged files from the cache", |b| {
        b.iter(library)
    });
    let library = library();
    let database = support::paths().database();
    group.bench_function("open the database and build today's due queue", |b| {
        b.iter_batched(
            || library.clone(),
            |library| {
                let store = Store::open(&database).expect("the corpus database opens");
                let study = Study::new(library, store).expect("the study opens");
                let due = study.due(&every_deck(), NOW).expect("the queue builds");
                (study, due)
            },
            BatchSize::PerIteration,
        )
    });
    group.bench_function(
        "reload the decks, nothing changed (a return to the window)",
        |b| {
            let mut study = Study::open(&support::paths()).expect("the corpus opens");
            b.iter(|| study.reload_decks())
        },
    );
    group.bench_function("read the review log (1M reviews)", |b| {
        let store = Store::open(&database).expect("the corpus database opens");
        let clock = DayClock::local(Settings::default().rollover_hour, NOW);
        b.iter(|| store.history(clock).expect("the review log reads"))
    });
    group.finish();
}

fn screens(c: &mut Criterion) {
    let mut study = warm_study();
    let mut group = c.benchmark_group("screens");
    group.sample_size(20);
    group.bench_function("home counts (new, due, learned per deck)", |b| {
        b.iter(|| study.counts(NOW))
    });
    group.bench_function("mastery report, worked out again (a new day)", |b| {
        let mut day = 0;
        b.iter(|| {
            day += 1;
            let now = Timestamp(NOW.0 + day * 86_400_000);
            study.mastery(&Scope::All, now).expect("mastery works out")
        })
    });
    // The rest see the report Home worked out, as the app does.
    study.mastery(&Scope::All, NOW).expect("mastery works out");
    group.bench_function("weak areas ranking and queue", |b| {
        let mut rng = rand::make_rng::<rand::rngs::StdRng>();
        b.iter(|| {
            study
                .queue(Mode::Weak, &every_deck(), NOW, &mut rng)
                .expect("the queue builds")
        })
    });
    group.bench_function("home, all of it (review log read)", |b| {
        b.iter(|| HomeView::build(&mut study, &every_deck(), NOW, false).expect("home builds"))
    });
    group.bench_function("statistics aggregates (review log read)", |b| {
        b.iter(|| StatsView::build(&mut study, Scope::All, NOW).expect("statistics build"))
    });
    group.finish();
}

/// An answer to `kind`, right or wrong, as a learner might give it.
fn answer_to(kind: &QuestionKind) -> Answer {
    match kind {
        QuestionKind::Flashcard { .. } => Answer::Revealed,
        QuestionKind::MultipleChoice { .. } => Answer::Choices(vec![0]),
        QuestionKind::TrueFalse { .. } => Answer::Bool(true),
        QuestionKind::TypedAnswer { .. } => Answer::Text("gradient descent".to_string()),
        QuestionKind::Cloze { .. } => Answer::Blanks(vec!["variance".to_string()]),
    }
}

/// Grades, schedules and stores one answer of a *Study due* session,
/// measured with `clock`; starting a new session when one runs out is not
/// measured.
fn answer_one<M: Measurement<Value = Duration>>(
    study: &mut Study,
    session: &mut Option<Session>,
    queue: &[CardKey],
    at: &mut Timestamp,
    clock: &M,
) -> Duration {
    if session.as_ref().is_none_or(|s| s.current().is_none()) {
        *session = Some(
            study
                .start(Mode::Due, queue.to_vec(), *at)
                .expect("a session starts"),
        );
    }
    let Some(session) = session else {
        unreachable!("a session was just started")
    };
    at.0 += 1_000;
    let started = clock.start();
    let kind = &study.question(session).expect("a current question").kind;
    let graded = study
        .grade(session, &answer_to(kind), *at)
        .expect("the answer grades");
    let correct = graded.verdict.is_correct();
    study
        .answer(
            session,
            &graded,
            graded.default_rating,
            correct,
            String::new(),
            *at,
        )
        .expect("the answer is stored");
    clock.end(started)
}

fn answering<M: Measurement<Value = Duration>>(c: &mut Criterion<M>, name: &str, clock: M) {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let mut study = study_of_copy(dir.path());
    let queue = study.due(&every_deck(), NOW).expect("the queue builds");
    let mut session = None;
    let mut at = NOW;
    c.benchmark_group("answer").bench_function(name, |b| {
        b.iter_custom(|iters| {
            (0..iters)
                .map(|_| answer_one(&mut study, &mut session, &queue, &mut at, &clock))
                .sum()
        })
    });
}

fn answer_wall(c: &mut Criterion) {
    answering(
        c,
        "grade, schedule and store one answer (wall, synchronous=FULL)",
        WallTime,
    );
}

fn answer_cpu(c: &mut Criterion<ThreadCpu>) {
    answering(c, "grade, schedule and store one answer (CPU)", ThreadCpu);
}

criterion_group!(wall, loading, screens, answer_wall);
criterion_group! {
    name = cpu;
    config = Criterion::default().with_measurement(ThreadCpu);
    targets = answer_cpu
}
criterion_main!(wall, cpu);
