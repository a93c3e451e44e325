//! Writes a large, reproducible study corpus (see [`recall::corpus`]) for
//! benchmarks and for trying Recall at scale.
//!
//! ```text
//! cargo run --release --example gen_corpus -- /tmp/corpus
//! cargo run --release -- --data-dir /tmp/corpus/data
//! ```
//!
//! The same seed and end date give the same files, byte for byte.

use std::path::PathBuf;
use std::time::Instant;

use chrono::NaiveDate;
use clap::Parser;

use recall::clock::Timestamp;
use recall::corpus::{Spec, write};

#[derive(Parser)]
#[command(about = "Write a seeded benchmark corpus: decks, a review log, and a data folder")]
struct Args {
    /// Where to write `reviews.csv` and the data folder `data/` (with its `decks/`).
    out: PathBuf,
    /// How many decks.
    #[arg(long, default_value_t = 50)]
    decks: usize,
    /// Questions per deck.
    #[arg(long, default_value_t = 2_000)]
    questions: usize,
    /// Reviews in the history.
    #[arg(long, default_value_t = 1_000_000)]
    reviews: usize,
    /// The random seed.
    #[arg(long, default_value_t = 42)]
    seed: u64,
    /// The last day of the history (YYYY-MM-DD, UTC); today when not given.
    #[arg(long)]
    until: Option<NaiveDate>,
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args = Args::parse();
    let started = Instant::now();
    let until = args
        .until
        .unwrap_or_else(|| chrono::Utc::now().date_naive());
    let end = until
        .and_hms_opt(0, 0, 0)
        .map_or(0, |t| t.and_utc().timestamp_millis());
    let spec = Spec {
        decks: args.decks,
        questions: args.questions,
        reviews: args.reviews,
        seed: args.seed,
        end: Timestamp(end),
    };
    let written = write(&args.out, &spec)?;
    println!(
        "{} questions in {} decks, {} reviews in {} ({} imported into {}) in {:.1} s",
        written.questions,
        spec.decks,
        written.reviews,
        written.reviews_csv.display(),
        written.imported,
        written.data_dir.display(),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}
