use super::*;
use crate::deck::Origin;
use crate::scheduler::CardStates;
use crate::stats::place;
use rand::SeedableRng;

fn library(n: usize) -> Library {
    let questions: String = (0..n)
        .map(|i| {
            format!(
                "(id: \"q{i}\", topic: \"T{}\", prompt: \"P\", kind: TrueFalse(answer: true), explanation: \"E\"),",
                i % 2
            )
        })
        .collect();
    let text = format!(
        "(id: \"d\", title: \"D\", category: Tools, description: \"\", questions: [{questions}])"
    );
    let other = "(id: \"e\", title: \"E\", category: Tools, description: \"\", questions: [(id: \"x\", topic: \"T\", prompt: \"P\", kind: TrueFalse(answer: true), explanation: \"E\")])";
    let lib = Library::from_sources(vec![
        ("d.ron".into(), Origin::Bundled, Ok(text)),
        ("e.ron".into(), Origin::Bundled, Ok(other.into())),
    ]);
    assert!(lib.errors.is_empty(), "{:?}", lib.errors);
    lib
}

fn reviewed(stability: f32, last_day: i64, due_day: i64) -> CardState {
    CardState {
        stability,
        difficulty: 5.0,
        due_day,
        last_review: Timestamp(0),
        last_day,
        reps: 1,
        lapses: 0,
    }
}

fn key(q: &str) -> CardKey {
    CardKey::new("d", q)
}

fn names(queue: &[CardKey]) -> Vec<&str> {
    queue.iter().map(|k| k.question.as_str()).collect()
}

#[test]
fn due_reviews_come_lowest_retrievability_first_with_new_cards_interleaved() {
    let lib = library(8);
    let scheduler = Scheduler::new(&[], 0.9).unwrap();
    let mut states = CardStates::new();
    states.insert(key("q0"), reviewed(10.0, 95, 100)); // due today, half its stability elapsed: strongest
    states.insert(key("q1"), reviewed(2.0, 90, 92)); // long overdue, weakest
    states.insert(key("q2"), reviewed(5.0, 90, 100)); // due, middling
    states.insert(key("q3"), reviewed(3.0, 99, 101)); // not due yet
    states.insert(key("q4"), reviewed(30.0, 70, 99)); // due, exactly its stability elapsed
    let queue = due_queue(
        &lib,
        &place(&lib, states.clone()).0,
        &scheduler,
        100,
        |d| d == "d",
        Allowance {
            new: 2,
            reviews: 200,
        },
    );
    assert_eq!(names(&queue), vec!["q1", "q2", "q5", "q4", "q0", "q6"]);
}

#[test]
fn a_review_limit_keeps_the_weakest_due_cards_in_order() {
    let lib = library(8);
    let scheduler = Scheduler::new(&[], 0.9).unwrap();
    let mut states = CardStates::new();
    states.insert(key("q0"), reviewed(10.0, 95, 100));
    states.insert(key("q1"), reviewed(2.0, 90, 92));
    states.insert(key("q2"), reviewed(5.0, 90, 100));
    states.insert(key("q3"), reviewed(3.0, 99, 101));
    states.insert(key("q4"), reviewed(30.0, 70, 99));
    states.insert(key("q5"), reviewed(5.0, 90, 100)); // ties with q2: by key
    let slots = place(&lib, states).0;
    let weakest_first = ["q1", "q2", "q5", "q4", "q0"];
    for reviews in 0..=6 {
        let queue = due_queue(
            &lib,
            &slots,
            &scheduler,
            100,
            |_| true,
            Allowance { new: 0, reviews },
        );
        assert_eq!(
            names(&queue),
            weakest_first[..reviews.min(5)],
            "limit {reviews}"
        );
    }
}

#[test]
fn daily_limits_cap_the_queue() {
    let lib = library(8);
    let scheduler = Scheduler::new(&[], 0.9).unwrap();
    let mut states = CardStates::new();
    states.insert(key("q0"), reviewed(1.0, 90, 92));
    states.insert(key("q1"), reviewed(2.0, 90, 92));
    let queue = due_queue(
        &lib,
        &place(&lib, states.clone()).0,
        &scheduler,
        100,
        |_| true,
        Allowance { new: 1, reviews: 1 },
    );
    assert_eq!(names(&queue), vec!["q0", "q2"]);
    let none = due_queue(
        &lib,
        &place(&lib, states.clone()).0,
        &scheduler,
        100,
        |_| true,
        Allowance { new: 0, reviews: 0 },
    );
    assert!(none.is_empty());
}

#[test]
fn quick_queue_draws_distinct_cards_from_the_chosen_decks() {
    let lib = library(20);
    let mut rng = rand::rngs::StdRng::seed_from_u64(7);
    let queue = quick_queue(&lib, |d| d == "d", 10, &mut rng);
    assert_eq!(queue.len(), 10);
    let distinct: std::collections::HashSet<_> = queue.iter().collect();
    assert_eq!(distinct.len(), 10);
    assert!(queue.iter().all(|k| k.deck == "d"));
    assert_eq!(quick_queue(&lib, |d| d == "e", 10, &mut rng).len(), 1);
}

#[test]
fn grading_defaults_ratings_and_undo_rewinds() {
    let lib = library(3);
    let scheduler = Scheduler::new(&[], 0.9).unwrap();
    let mut session = Session::new(Mode::Quick, 1, vec![key("q0"), key("q1")], Timestamp(0));
    let q = lib.question(&key("q0")).unwrap();
    let graded = session
        .grade(
            &q,
            None,
            &Answer::Bool(false),
            &scheduler,
            Timestamp(4_000),
            0,
        )
        .unwrap();
    assert_eq!(graded.verdict, Verdict::Wrong);
    assert_eq!(graded.default_rating, Rating::Again);
    let (review, state) = session
        .review(&q, &graded, Rating::Again, false, Timestamp(4_000))
        .unwrap();
    assert_eq!(review.duration_ms, 4_000);
    assert_eq!(review.kind, "TrueFalse");
    assert_eq!(review.session, Some(1));
    session.commit(Answered {
        key: key("q0"),
        topic: q.topic.clone(),
        verdict: graded.verdict.clone(),
        correct: false,
        rating: Rating::Again,
        given: "False".into(),
        previous: None,
        state,
        review,
        preview: graded.preview.clone(),
    });
    assert_eq!(session.current(), Some(&key("q1")));
    assert_eq!(session.progress(), (1, 2));

    let rerated = session.rerated(Rating::Good, true).unwrap();
    assert_eq!(rerated.state, graded.preview.outcome(Rating::Good).state);
    assert_eq!(rerated.review.reviewed_at, Timestamp(4_000));
    assert_eq!(rerated.review.rating, Rating::Good);
    session.replace_last(rerated);
    let summary = session.summary(Timestamp(10_000));
    assert_eq!(
        (summary.answered, summary.correct, summary.score_percent()),
        (1, 1, 100)
    );
    assert_eq!(
        summary.by_topic,
        vec![TopicScore {
            topic: "T0".to_string(),
            correct: 1,
            answered: 1,
            before: None
        }]
    );
    assert_eq!(summary.duration_ms, 10_000);

    let undone = session.undo(Timestamp(11_000)).unwrap();
    assert_eq!(undone.review.rating, Rating::Good);
    assert_eq!(session.current(), Some(&key("q0")));
    assert!(session.undo(Timestamp(12_000)).is_none());
}
