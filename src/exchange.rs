//! The review log and card states as CSV, for backups, scripts and moving
//! history between machines.
//!
//! Reviews: `card_id,deck,question,review_time_ms,rating,duration_ms,correct`,
//! one row per review, oldest first. `card_id` is a stable number for the
//! card (a 63-bit FNV-1a hash of `deck` and `question`), so the same card has
//! the same id in every database; `rating` is 1–4 (Again, Hard, Good, Easy);
//! `correct` is 0 or 1.
//!
//! Cards: `deck,question,stability,difficulty,due,last_review,reps,lapses,retrievability`,
//! with `due` as a local date (`YYYY-MM-DD`) and `last_review` in milliseconds
//! since the Unix epoch, like `review_time_ms`.

use std::collections::HashMap;
use std::io::{Read, Write};

use crate::clock::{DayClock, Timestamp};
use crate::model::{CardKey, CardRef, Rating};
use crate::scheduler::CardState;
use crate::store::Review;

/// The header of a review log export.
pub const REVIEW_COLUMNS: [&str; 7] = [
    "card_id",
    "deck",
    "question",
    "review_time_ms",
    "rating",
    "duration_ms",
    "correct",
];

/// The header of a card export.
pub const CARD_COLUMNS: [&str; 9] = [
    "deck",
    "question",
    "stability",
    "difficulty",
    "due",
    "last_review",
    "reps",
    "lapses",
    "retrievability",
];

/// The kind recorded for an imported review whose question is not loaded.
pub const IMPORTED_KIND: &str = "Imported";

/// Why a CSV file could not be read.
#[derive(Debug, thiserror::Error)]
pub enum CsvError {
    /// The file is not CSV, or cannot be read.
    #[error("{0}")]
    Csv(#[from] csv::Error),
    /// A row has a value that does not fit its column.
    #[error("line {line}: {message}")]
    Row {
        /// The line number, 1-based, counting the header.
        line: u64,
        /// What is wrong.
        message: String,
    },
    /// The header is not the one Recall writes.
    #[error("the header must be {expected}")]
    Header {
        /// The expected header.
        expected: String,
    },
}

/// A card's stable id in exports: a 63-bit FNV-1a hash of its deck and question.
pub fn card_id(key: &CardKey) -> i64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in key
        .deck
        .bytes()
        .chain(std::iter::once(0x1f))
        .chain(key.question.bytes())
    {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    (hash >> 1) as i64
}

/// Writes `reviews` (oldest first) as CSV. Returns how many rows were written.
pub fn write_reviews(reviews: &[Review], out: impl Write) -> Result<usize, CsvError> {
    let mut writer = csv::Writer::from_writer(out);
    writer.write_record(REVIEW_COLUMNS)?;
    for r in reviews {
        writer.write_record([
            card_id(&r.key).to_string(),
            r.key.deck.clone(),
            r.key.question.clone(),
            r.reviewed_at.0.to_string(),
            r.rating.number().to_string(),
            r.duration_ms.to_string(),
            u8::from(r.correct).to_string(),
        ])?;
    }
    writer.flush().map_err(csv::Error::from)?;
    Ok(reviews.len())
}

/// Reads a review log written by [`write_reviews`]. `kinds` gives the kind
/// of each known question; others are recorded as [`IMPORTED_KIND`]. A
/// `card_id` that does not match its deck and question is refused, so a
/// hand-edited file cannot attach reviews to the wrong card.
pub fn read_reviews(
    input: impl Read,
    kinds: &HashMap<CardKey, &str>,
) -> Result<Vec<Review>, CsvError> {
    let mut reader = csv::Reader::from_reader(input);
    let header = reader.headers()?.clone();
    if header.iter().ne(REVIEW_COLUMNS) {
        return Err(CsvError::Header {
            expected: REVIEW_COLUMNS.join(","),
        });
    }
    let mut reviews = Vec::new();
    for record in reader.records() {
        let record = record?;
        let line = record.position().map_or(0, |p| p.line());
        let bad = |message: String| CsvError::Row { line, message };
        let field = |i: usize| record.get(i).unwrap_or("");
        let number = |i: usize| -> Result<i64, CsvError> {
            field(i).trim().parse().map_err(|_| {
                bad(format!(
                    "{} must be a whole number, not {:?}",
                    REVIEW_COLUMNS[i],
                    field(i)
                ))
            })
        };
        let key = CardKey::new(field(1), field(2));
        if key.deck.is_empty() || key.question.is_empty() {
            return Err(bad("deck and question must not be empty".into()));
        }
        if number(0)? != card_id(&key) {
            return Err(bad(format!(
                "card_id {} does not belong to {key}",
                field(0)
            )));
        }
        let rating = u8::try_from(number(4)?)
            .ok()
            .and_then(Rating::from_number)
            .ok_or_else(|| bad(format!("rating must be 1–4, not {:?}", field(4))))?;
        let correct = match number(6)? {
            0 => false,
            1 => true,
            _ => return Err(bad(format!("correct must be 0 or 1, not {:?}", field(6)))),
        };
        let duration_ms = number(5)?;
        if duration_ms < 0 {
            return Err(bad("duration_ms must not be negative".into()));
        }
        reviews.push(Review {
            kind: kinds.get(&key).unwrap_or(&IMPORTED_KIND).to_string(),
            key,
            reviewed_at: Timestamp(number(3)?),
            rating,
            correct,
            duration_ms,
            session: None,
        });
    }
    Ok(reviews)
}

/// Writes every card's state as CSV, sorted by deck and question, with its
/// retrievability on study day `today` from `retrievability`.
pub fn write_cards<'a>(
    states: impl IntoIterator<Item = (CardRef<'a>, &'a CardState)>,
    clock: &DayClock,
    today: i64,
    retrievability: impl Fn(&CardState, i64) -> f32,
    out: impl Write,
) -> Result<usize, CsvError> {
    let mut cards: Vec<(CardRef<'a>, &CardState)> = states.into_iter().collect();
    cards.sort_by(|a, b| a.0.cmp(&b.0));
    let mut writer = csv::Writer::from_writer(out);
    writer.write_record(CARD_COLUMNS)?;
    for (key, s) in &cards {
        let due = clock.day_start(s.due_day).0 + i64::from(clock.utc_offset_secs) * 1000;
        let due = chrono::DateTime::from_timestamp_millis(due)
            .map_or_else(String::new, |d| d.format("%Y-%m-%d").to_string());
        writer.write_record([
            key.deck.to_string(),
            key.question.to_string(),
            format!("{:.4}", s.stability),
            format!("{:.4}", s.difficulty),
            due,
            s.last_review.0.to_string(),
            s.reps.to_string(),
            s.lapses.to_string(),
            format!("{:.4}", retrievability(s, today)),
        ])?;
    }
    writer.flush().map_err(csv::Error::from)?;
    Ok(cards.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn review(question: &str, at: i64, rating: Rating) -> Review {
        Review {
            key: CardKey::new("deck, with comma", question),
            reviewed_at: Timestamp(at),
            rating,
            correct: rating != Rating::Again,
            duration_ms: 2500,
            kind: "Cloze".into(),
            session: Some(4),
        }
    }

    #[test]
    fn card_ids_are_stable_and_distinct() {
        let a = card_id(&CardKey::new("d", "q1"));
        assert_eq!(a, card_id(&CardKey::new("d", "q1")));
        assert_ne!(a, card_id(&CardKey::new("d", "q2")));
        assert_ne!(
            card_id(&CardKey::new("ab", "c")),
            card_id(&CardKey::new("a", "bc"))
        );
        assert!(a >= 0);
    }

    #[test]
    fn reviews_round_trip_through_csv() {
        let reviews = vec![
            review("a", 1_000, Rating::Good),
            review("b \"quoted\"", 2_000, Rating::Again),
        ];
        let mut out = Vec::new();
        assert_eq!(write_reviews(&reviews, &mut out).unwrap(), 2);
        let text = String::from_utf8(out.clone()).unwrap();
        assert!(
            text.starts_with("card_id,deck,question,review_time_ms,rating,duration_ms,correct\n")
        );
        let kinds = HashMap::from([(CardKey::new("deck, with comma", "a"), "Cloze")]);
        let back = read_reviews(out.as_slice(), &kinds).unwrap();
        assert_eq!(back.len(), 2);
        assert_eq!(back[0].kind, "Cloze");
        assert_eq!(back[1].kind, IMPORTED_KIND);
        assert_eq!(back[1].key.question, "b \"quoted\"");
        assert_eq!((back[1].rating, back[1].correct), (Rating::Again, false));
        assert_eq!(back[0].session, None);
    }

    #[test]
    fn bad_rows_are_refused_with_their_line() {
        let id = card_id(&CardKey::new("d", "q"));
        let header = REVIEW_COLUMNS.join(",");
        let cases = [
            (
                format!("{header}\n{id},d,q,100,5,10,1\n"),
                "line 2: rating must be 1–4",
            ),
            (
                format!("{header}\n{id},d,q,100,3,10,1\n{id},d,q,abc,3,10,1\n"),
                "line 3: review_time_ms",
            ),
            (
                format!("{header}\n42,d,q,100,3,10,1\n"),
                "does not belong to d/q",
            ),
            (
                format!("{header}\n{id},d,q,100,3,10,2\n"),
                "correct must be 0 or 1",
            ),
            ("id,when\n1,2\n".to_string(), "the header must be"),
        ];
        for (text, expected) in cases {
            let err = read_reviews(text.as_bytes(), &HashMap::new())
                .unwrap_err()
                .to_string();
            assert!(
                err.contains(expected),
                "{err:?} should contain {expected:?}"
            );
        }
    }
}
