//! The command line: `recall` opens the app; `recall check` validates decks;
//! `recall stats` prints a summary of progress.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::clock::Timestamp;
use crate::deck::{DeckError, DeckSummary, Library};
use crate::study::{Paths, Study};

/// Recall: spaced-repetition study for people becoming Machine Learning Architects.
#[derive(Debug, Parser)]
#[command(name = "recall", version, about, long_about = None)]
pub struct Cli {
    /// The data folder (database and your decks). Default: the platform data folder.
    #[arg(long, value_name = "DIR", env = "RECALL_DATA_DIR", global = true)]
    pub data_dir: Option<PathBuf>,
    /// An extra folder (or file) of decks to load. May be repeated.
    #[arg(long = "decks", value_name = "DIR", global = true)]
    pub decks: Vec<PathBuf>,
    /// What to do instead of opening the app, if anything.
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// What to do instead of opening the app.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Validate deck files and folders; with no path, the bundled decks and yours.
    Check {
        /// Deck files (.ron) or folders to check.
        paths: Vec<PathBuf>,
        /// Print a JSON report on stdout instead of one line per error.
        #[arg(long)]
        json: bool,
    },
    /// Print a summary of your decks and progress.
    Stats,
}

/// Runs a subcommand and returns the process exit code.
pub fn run(cli: Cli, command: Command) -> ExitCode {
    let paths = match Paths::resolve(cli.data_dir, cli.decks) {
        Ok(paths) => paths,
        Err(e) => return fail(&e.to_string()),
    };
    let mut out = std::io::stdout().lock();
    let result = match command {
        Command::Check {
            paths: targets,
            json,
        } => check(&paths, &targets, json, &mut out),
        Command::Stats => stats(&paths, &mut out),
    };
    match result {
        Ok(code) => code,
        // A closed stdout (`recall check | head`) is not an error worth a message.
        Err(CliError::Io(e)) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => fail(&e.to_string()),
    }
}

#[derive(Debug, thiserror::Error)]
enum CliError {
    #[error(transparent)]
    Recall(#[from] crate::Error),
    #[error("cannot write output: {0}")]
    Io(#[from] std::io::Error),
    #[error("cannot write JSON: {0}")]
    Json(#[from] serde_json::Error),
}

fn fail(message: &str) -> ExitCode {
    eprintln!("recall: {message}");
    ExitCode::FAILURE
}

#[derive(serde::Serialize)]
struct CheckReport<'a> {
    decks: Vec<DeckSummary>,
    errors: &'a [DeckError],
}

fn check(
    paths: &Paths,
    targets: &[PathBuf],
    json: bool,
    out: &mut impl Write,
) -> Result<ExitCode, CliError> {
    let library = if targets.is_empty() {
        paths.load_library()
    } else {
        Library::load(false, targets, &[])
    };
    if json {
        let report = CheckReport {
            decks: library.summaries(),
            errors: &library.errors,
        };
        serde_json::to_writer(&mut *out, &report)?;
        writeln!(out)?;
    } else {
        for error in &library.errors {
            writeln!(out, "{error}")?;
        }
        let questions: usize = library.decks.iter().map(|d| d.deck.questions.len()).sum();
        let summary = format!(
            "{} deck{} with {questions} questions, {} error{}",
            library.decks.len(),
            plural(library.decks.len()),
            library.errors.len(),
            plural(library.errors.len())
        );
        if library.errors.is_empty() {
            writeln!(out, "ok: {summary}")?;
        } else {
            eprintln!("{summary}");
        }
    }
    Ok(if library.errors.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

fn stats(paths: &Paths, out: &mut impl Write) -> Result<ExitCode, CliError> {
    let study = Study::open(paths)?;
    let now = Timestamp::now();
    let counts = study.counts(now);
    writeln!(out, "Data folder: {}", paths.data_dir.display())?;
    let streak = study.streak(now)?;
    writeln!(
        out,
        "Reviews today: {}   streak: {streak} day{}",
        study.reviews_today(now)?,
        plural(streak as usize)
    )?;
    let all = study.store.reviews_since(Timestamp(i64::MIN))?;
    writeln!(out, "Reviews in all: {all}")?;
    writeln!(out)?;
    writeln!(
        out,
        "{:<36} {:>5} {:>5} {:>8}",
        "deck", "new", "due", "learned"
    )?;
    for loaded in &study.library.decks {
        let c = counts.get(&loaded.deck.id).copied().unwrap_or_default();
        writeln!(
            out,
            "{:<36} {:>5} {:>5} {:>8}",
            loaded.deck.title, c.new, c.due, c.learned
        )?;
    }
    if let Some(last) = study
        .store
        .sessions()?
        .iter()
        .rev()
        .find(|s| s.score.is_some())
    {
        writeln!(out)?;
        writeln!(
            out,
            "Last session: {} questions, {} right ({:.0}%)",
            last.question_count,
            last.correct_count,
            last.score.unwrap_or(0.0) * 100.0
        )?;
    }
    for error in &study.library.errors {
        writeln!(out, "deck with errors: {error}")?;
    }
    Ok(ExitCode::SUCCESS)
}
