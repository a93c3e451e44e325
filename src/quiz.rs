//! `recall quiz`: a line-based study session on the same engine as the app,
//! for SSH and scripts. It prints each question (options numbered), reads the
//! answer from a line of input, prints the feedback and the explanation, and
//! stores every answer before asking the next question. When its input is not
//! a terminal it also prints one machine-readable line per stored answer:
//! `answered <deck>/<question> <rating>`. It ends cleanly on end of input and
//! on a closed output; the session is scored and stored either way.

use std::collections::BTreeSet;
use std::io::{self, BufRead, Write};
use std::sync::Arc;

use rand::Rng;

use crate::clock::Timestamp;
use crate::grade::{Answer, Verdict, cloze_parts, expected_answer};
use crate::model::{QuestionKind, Rating};
use crate::session::{Mode, Session, Summary, option_order};
use crate::study::Study;

/// What to study.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuizOptions {
    /// Deck ids to study; empty for all decks.
    pub decks: Vec<String>,
    /// The session's mode.
    pub mode: Mode,
    /// At most this many questions.
    pub limit: Option<usize>,
}

/// Why the quiz stopped early.
#[derive(Debug, thiserror::Error)]
pub enum QuizError {
    /// Studying failed (the database, an unknown deck).
    #[error(transparent)]
    Recall(#[from] crate::Error),
    /// Reading the input or writing the output failed.
    #[error("{0}")]
    Io(#[from] io::Error),
}

/// Runs a quiz, reading answers from `input` and writing to `out`. `machine`
/// adds the `answered ...` lines. Returns the session's summary, or `None`
/// when there was nothing to study.
pub fn run(
    study: &mut Study,
    options: &QuizOptions,
    input: &mut impl BufRead,
    out: &mut impl Write,
    machine: bool,
    clock: &dyn Fn() -> Timestamp,
    rng: &mut impl Rng,
) -> Result<Option<Summary>, QuizError> {
    for id in &options.decks {
        if study.library.deck(id).is_none() {
            return Err(QuizError::Recall(crate::Error::BadFile {
                path: id.into(),
                reason: "no deck has this id (see `recall stats` for the list)".into(),
            }));
        }
    }
    let decks: BTreeSet<String> = options.decks.iter().cloned().collect();
    let now = clock();
    let mut queue = study.queue(options.mode, &decks, now, rng)?;
    if let Some(limit) = options.limit {
        queue.truncate(limit);
    }
    if queue.is_empty() {
        writeln!(
            out,
            "Nothing to study in {} mode right now.",
            options.mode.name()
        )?;
        return Ok(None);
    }
    let mut session = study.start(options.mode, queue, now)?;
    let asked = ask_all(study, &mut session, input, out, machine, clock, rng);
    // Whatever stopped the questions, the answers are stored: score the session.
    let summary = study.finish(&session, clock())?;
    match asked {
        Ok(()) => {}
        Err(QuizError::Io(e)) if e.kind() == io::ErrorKind::BrokenPipe => return Ok(Some(summary)),
        Err(e) => return Err(e),
    }
    let written = write_summary(out, &summary);
    match written {
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => {}
        other => other?,
    }
    Ok(Some(summary))
}

fn write_summary(out: &mut impl Write, summary: &Summary) -> io::Result<()> {
    writeln!(out)?;
    writeln!(
        out,
        "Score: {} of {} right ({}%)",
        summary.correct,
        summary.answered,
        summary.score_percent()
    )?;
    for t in &summary.by_topic {
        writeln!(out, "  {}: {} of {}", t.topic, t.correct, t.answered)?;
    }
    out.flush()
}

/// Asks every question of `session`; `Ok` at the end of the queue or of the input.
fn ask_all(
    study: &mut Study,
    session: &mut Session,
    input: &mut impl BufRead,
    out: &mut impl Write,
    machine: bool,
    clock: &dyn Fn() -> Timestamp,
    rng: &mut impl Rng,
) -> Result<(), QuizError> {
    while let Some(key) = session.current().cloned() {
        let Some(question) = study.question(session).map(Arc::unwrap_or_clone) else {
            return Ok(());
        };
        let deck = study
            .library
            .deck(&key.deck)
            .map_or(key.deck.clone(), |d| d.deck.title.clone());
        let (done, total) = session.progress();
        session.show(clock());
        writeln!(out)?;
        writeln!(out, "[{}/{}] {deck} · {}", done + 1, total, question.topic)?;
        writeln!(out, "{}", question.prompt.trim())?;
        let order = option_order(&question, rng);
        let answer = match &question.kind {
            QuestionKind::Flashcard { .. } => {
                let Some(_) = read(input, out, "Press Enter to show the answer.")? else {
                    return Ok(());
                };
                Answer::Revealed
            }
            QuestionKind::MultipleChoice { options, correct } => {
                for (n, &i) in order.iter().enumerate() {
                    writeln!(out, "  {}. {}", n + 1, options[i])?;
                }
                let hint = if correct.len() > 1 {
                    "Answer with the numbers of every right option, e.g. 1 3."
                } else {
                    "Answer with the option's number."
                };
                let Some(picked) = read_until(input, out, hint, |line| {
                    let numbers: Option<Vec<usize>> = line
                        .split(|c: char| c == ',' || c.is_whitespace())
                        .filter(|s| !s.is_empty())
                        .map(|s| {
                            s.parse::<usize>()
                                .ok()
                                .filter(|n| (1..=order.len()).contains(n))
                        })
                        .collect();
                    numbers
                        .filter(|n| !n.is_empty())
                        .map(|n| n.into_iter().map(|n| order[n - 1]).collect::<Vec<_>>())
                })?
                else {
                    return Ok(());
                };
                Answer::Choices(picked)
            }
            QuestionKind::TrueFalse { .. } => {
                let Some(value) = read_until(
                    input,
                    out,
                    "Answer t (true) or f (false).",
                    |line| match line.to_lowercase().as_str() {
                        "t" | "true" => Some(true),
                        "f" | "false" => Some(false),
                        _ => None,
                    },
                )?
                else {
                    return Ok(());
                };
                Answer::Bool(value)
            }
            QuestionKind::TypedAnswer { .. } => {
                let Some(text) = read_until(input, out, "Type your answer.", |line| {
                    (!line.is_empty()).then(|| line.to_string())
                })?
                else {
                    return Ok(());
                };
                Answer::Text(text)
            }
            QuestionKind::Cloze { text } => {
                let blanks = cloze_parts(text).map_or(0, |parts| {
                    parts
                        .iter()
                        .filter(|p| matches!(p, crate::grade::ClozePart::Blank(_)))
                        .count()
                });
                let mut filled = Vec::new();
                for n in 1..=blanks {
                    let Some(line) = read(input, out, &format!("Blank {n} of {blanks}:"))? else {
                        return Ok(());
                    };
                    filled.push(line);
                }
                Answer::Blanks(filled)
            }
        };
        let now = clock();
        let graded = study.grade(session, &answer, now)?;
        let (rating, correct) = match &answer {
            Answer::Revealed => {
                writeln!(out, "Answer: {}", expected_answer(&question.kind))?;
                let Some(rating) = read_until(
                    input,
                    out,
                    "Rate your recall: 1 Again, 2 Hard, 3 Good, 4 Easy.",
                    |line| line.parse::<u8>().ok().and_then(Rating::from_number),
                )?
                else {
                    return Ok(());
                };
                (rating, rating != Rating::Again)
            }
            _ => {
                let verdict = match &graded.verdict {
                    Verdict::Correct => "Correct.".to_string(),
                    Verdict::CorrectWithTypo(typo) => {
                        format!("Correct (mind the spelling: {typo}).")
                    }
                    Verdict::Wrong | Verdict::SelfGraded => "Wrong.".to_string(),
                };
                writeln!(out, "{verdict}")?;
                if !graded.verdict.is_correct() {
                    writeln!(out, "Answer: {}", expected_answer(&question.kind))?;
                }
                (graded.default_rating, graded.verdict.is_correct())
            }
        };
        writeln!(out, "{}", question.explanation.trim())?;
        if let Some(source) = &question.source {
            writeln!(out, "Source: {source}")?;
        }
        let given = match &answer {
            Answer::Text(t) => t.clone(),
            Answer::Blanks(b) => b.join(" · "),
            _ => String::new(),
        };
        study.answer(session, &graded, rating, correct, given, now)?;
        if machine {
            writeln!(
                out,
                "answered {}/{} {}",
                key.deck,
                key.question,
                rating.label().to_lowercase()
            )?;
        }
        out.flush()?;
    }
    Ok(())
}

/// Prints `hint` and reads one line, trimmed; `None` at the end of the input.
fn read(input: &mut impl BufRead, out: &mut impl Write, hint: &str) -> io::Result<Option<String>> {
    writeln!(out, "{hint}")?;
    write!(out, "> ")?;
    out.flush()?;
    let mut line = String::new();
    if input.read_line(&mut line)? == 0 {
        return Ok(None);
    }
    Ok(Some(line.trim().to_string()))
}

/// Reads lines until `parse` accepts one; `None` at the end of the input.
fn read_until<T>(
    input: &mut impl BufRead,
    out: &mut impl Write,
    hint: &str,
    parse: impl Fn(&str) -> Option<T>,
) -> io::Result<Option<T>> {
    loop {
        let Some(line) = read(input, out, hint)? else {
            return Ok(None);
        };
        if let Some(value) = parse(&line) {
            return Ok(Some(value));
        }
    }
}
