//! A large, reproducible study corpus for benchmarks and for trying Recall
//! at scale: by default 50 decks of 2 000 questions (all five kinds, with
//! realistic text lengths) and 1 000 000 reviews over three years, imported
//! through the same path as `recall import --reviews`. The same seed and end
//! day give the same files, byte for byte. `examples/gen_corpus.rs` is its
//! command line, and the benchmarks in `benches/` build theirs with it.

use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{RngExt, SeedableRng};

use crate::Result;
use crate::clock::{DAY_MS, Timestamp};
use crate::deck::write::save;
use crate::exchange::write_reviews;
use crate::model::{CardKey, Category, Deck, Question, QuestionKind, Rating};
use crate::store::Review;
use crate::study::{Paths, Study};

/// What to generate.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Spec {
    /// How many decks.
    pub decks: usize,
    /// Questions per deck.
    pub questions: usize,
    /// Reviews in the history.
    pub reviews: usize,
    /// The random seed.
    pub seed: u64,
    /// The end of the history: no review is at or after it.
    pub end: Timestamp,
}

impl Spec {
    /// The full-scale corpus (100 000 questions, 1 000 000 reviews) ending at `end`.
    pub fn full(end: Timestamp) -> Spec {
        Spec {
            decks: 50,
            questions: 2_000,
            reviews: 1_000_000,
            seed: 42,
            end,
        }
    }
}

/// Where [`write`] put things, and how much it wrote.
#[derive(Debug, Clone)]
pub struct Written {
    /// The data folder: `decks/` and the database, ready for `--data-dir`.
    pub data_dir: PathBuf,
    /// The review log as CSV, the format of `recall import --reviews`.
    pub reviews_csv: PathBuf,
    /// Questions written.
    pub questions: usize,
    /// Reviews in the CSV file.
    pub reviews: usize,
    /// Reviews imported into the database.
    pub imported: usize,
}

/// Writes the corpus `spec` under `out`: the decks into `out/data/decks/`,
/// the review log into `out/reviews.csv`, then imports the log into the
/// data folder `out/data` the way `recall import --reviews` does.
pub fn write(out: &Path, spec: &Spec) -> Result<Written> {
    let mut rng = StdRng::seed_from_u64(spec.seed);
    let data_dir = out.join("data");
    let deck_dir = data_dir.join("decks");
    let mut cards = Vec::with_capacity(spec.decks * spec.questions);
    for d in 0..spec.decks {
        let deck = make_deck(&mut rng, d, spec.questions);
        cards.extend(
            deck.questions
                .iter()
                .map(|q| (CardKey::new(deck.id.clone(), q.id.clone()), q.kind.name())),
        );
        save(&deck_dir, &deck)?;
    }
    let reviews = make_history(&mut rng, &cards, spec.reviews, spec.end.0);
    let reviews_csv = out.join("reviews.csv");
    crate::atomic::write_atomically(&reviews_csv, |file| write_reviews(&reviews, file))?;
    let paths = Paths::resolve(Some(data_dir.clone()), Vec::new())?;
    let mut study = Study::open(&paths)?;
    let (imported, _) = study.import_reviews(&reviews_csv, spec.end)?;
    Ok(Written {
        data_dir,
        reviews_csv,
        questions: cards.len(),
        reviews: reviews.len(),
        imported,
    })
}

/// Words the generated text is made of: the field's own vocabulary, so
/// word lengths and the fuzzy matcher's work look like the real decks'.
const WORDS: &str = "\
    gradient descent variance bias regularization matrix vector eigenvalue \
    probability distribution posterior likelihood estimator sample tensor \
    network layer activation attention transformer embedding token batch epoch \
    learning rate loss optimizer momentum feature pipeline model training \
    inference latency throughput partition shuffle cluster drift monitoring \
    deployment container registry experiment metric precision recall accuracy \
    calibration fairness privacy quantization pruning distillation retrieval \
    prompt fine-tuning adapter policy reward value state action convex \
    derivative chain rule kernel margin tree forest boosting ensemble \
    cross-validation leakage imbalance threshold the a of in when which why how \
    does with for and is";

static VOCABULARY: LazyLock<Vec<&str>> = LazyLock::new(|| WORDS.split_whitespace().collect());

const CATEGORIES: [Category; 4] = [
    Category::Coursework,
    Category::Tools,
    Category::Trends,
    Category::Practice,
];

const TOPICS_PER_DECK: usize = 20;

/// Some number of words in `words`, joined by spaces, starting with a capital.
fn sentence(rng: &mut StdRng, words: Range<usize>) -> String {
    let n = rng.random_range(words);
    let mut text = String::new();
    for i in 0..n {
        if i > 0 {
            text.push(' ');
        }
        text.push_str(VOCABULARY[rng.random_range(0..VOCABULARY.len())]);
    }
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => text,
    }
}

fn make_deck(rng: &mut StdRng, d: usize, questions: usize) -> Deck {
    let topics: Vec<String> = (0..TOPICS_PER_DECK)
        .map(|t| format!("{} {}", sentence(rng, 2..3), t + 1))
        .collect();
    Deck {
        id: format!("corpus-{:02}", d + 1),
        title: format!("Corpus {:02}: {}", d + 1, sentence(rng, 3..4)),
        category: CATEGORIES[d % CATEGORIES.len()],
        description: sentence(rng, 14..15),
        questions: (0..questions)
            .map(|i| make_question(rng, i, &topics[i % topics.len()]))
            .collect(),
    }
}

fn make_question(rng: &mut StdRng, i: usize, topic: &str) -> Question {
    let mut prompt = format!("{} (#{i})?", sentence(rng, 8..30));
    let kind = match rng.random_range(0..100) {
        0..40 => {
            let options: Vec<String> = (0..4)
                .map(|o| format!("{} {}", sentence(rng, 2..7), o + 1))
                .collect();
            QuestionKind::MultipleChoice {
                options,
                correct: vec![rng.random_range(0..4)],
            }
        }
        40..55 => QuestionKind::TrueFalse {
            answer: rng.random_bool(0.5),
        },
        55..70 => QuestionKind::TypedAnswer {
            accepted: (0..rng.random_range(1..4))
                .map(|_| sentence(rng, 1..3))
                .collect(),
        },
        70..85 => {
            prompt = "Fill in the blanks.".to_string();
            QuestionKind::Cloze {
                text: format!(
                    "{} {{{{{}}}}} {} (#{i}).",
                    sentence(rng, 4..12),
                    VOCABULARY[rng.random_range(0..VOCABULARY.len())],
                    sentence(rng, 3..10).to_lowercase()
                ),
            }
        }
        _ => QuestionKind::Flashcard {
            answer: sentence(rng, 6..40),
        },
    };
    Question {
        id: format!("q{i:05}"),
        topic: topic.to_string(),
        prompt,
        kind,
        explanation: format!("{}.", sentence(rng, 15..60)),
        tags: Vec::new(),
        source: i
            .is_multiple_of(3)
            .then(|| format!("{}, {}", sentence(rng, 4..5), 1990 + i % 35)),
    }
}

/// About `total` reviews over the three years before `end`, oldest first.
/// Each studied card is introduced on a random day and then reviewed at
/// growing intervals, like a learner following the schedule; a card is
/// forgotten about one time in eight, most often while still young.
fn make_history(
    rng: &mut StdRng,
    cards: &[(CardKey, &'static str)],
    total: usize,
    end: i64,
) -> Vec<Review> {
    let start = end - 3 * 365 * DAY_MS;
    let mut reviews = Vec::with_capacity(total + 64);
    // Learners study some decks more than others, and never all of a deck.
    let mut order: Vec<usize> = (0..cards.len()).collect();
    order.shuffle(rng);
    for (key, kind) in order.into_iter().map(|i| &cards[i]) {
        if reviews.len() >= total {
            break;
        }
        let mut at = start + rng.random_range(0..3 * 365 * DAY_MS);
        let mut interval_days = 1.0_f64;
        let mut reps = 0;
        while at < end && reviews.len() < total {
            let lapse_chance = if reps < 3 { 0.2 } else { 0.08 };
            let rating = if rng.random_bool(lapse_chance) {
                Rating::Again
            } else {
                match rng.random_range(0..100) {
                    0..12 => Rating::Hard,
                    12..92 => Rating::Good,
                    _ => Rating::Easy,
                }
            };
            reviews.push(Review {
                key: key.clone(),
                reviewed_at: Timestamp(at),
                rating,
                correct: rating != Rating::Again,
                duration_ms: rng.random_range(1_500..40_000),
                kind: kind.to_string(),
                session: None,
            });
            reps += 1;
            interval_days = match rating {
                Rating::Again => 1.0,
                Rating::Hard => interval_days * 1.2,
                Rating::Good => interval_days * rng.random_range(1.6..2.4),
                Rating::Easy => interval_days * 3.0,
            };
            at += (interval_days * DAY_MS as f64) as i64 + rng.random_range(0..DAY_MS / 2);
        }
    }
    reviews.sort_by_key(|r| r.reviewed_at.0);
    reviews
}
