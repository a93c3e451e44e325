//! The command line: `recall` opens the app; `recall check` validates decks;
//! `recall stats` prints a summary of progress; `recall export` and
//! `recall import` move the review history as CSV.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::clock::Timestamp;
use crate::deck::{DeckError, DeckSummary, Library};
use crate::stats::history::{Scope, weekly_retention};
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
    /// Study in the terminal: questions on stdout, answers on stdin.
    ///
    /// Type an option's number, t or f, the answer's text, or Enter to reveal
    /// a flashcard (then rate it 1-4). Every answer is stored before the next
    /// question. When stdin is not a terminal, each stored answer is also
    /// reported as `answered <deck>/<question> <rating>`.
    Quiz {
        /// A deck to study (by id); may be repeated. Default: all decks.
        #[arg(long, value_name = "ID")]
        deck: Vec<String>,
        /// What to study.
        #[arg(long, value_enum, default_value_t = QuizMode::Due)]
        mode: QuizMode,
        /// At most this many questions.
        #[arg(long, value_name = "N")]
        limit: Option<usize>,
    },
    /// Back up the database now, into <data folder>/backups (the newest 7 are kept).
    Backup,
    /// Replace the database with a backup; the current one is moved aside, not deleted.
    Restore {
        /// The backup to restore (see `recall backup`, or <data folder>/backups).
        file: PathBuf,
    },
    /// Print today's numbers, retention, the weakest topics and the leeches.
    Stats {
        /// Print JSON on stdout, for scripts.
        #[arg(long)]
        json: bool,
    },
    /// Write a deck, your review history or card states to a file.
    #[command(group(clap::ArgGroup::new("what").required(true).multiple(true)))]
    Export {
        /// Every review: card_id,deck,question,review_time_ms,rating,duration_ms,correct.
        #[arg(long, value_name = "FILE.csv", group = "what")]
        reviews: Option<PathBuf>,
        /// Every card: deck,question,stability,difficulty,due,last_review,reps,lapses,retrievability.
        #[arg(long, value_name = "FILE.csv", group = "what")]
        cards: Option<PathBuf>,
        /// A deck, by id (with --out, and --format).
        #[arg(long, value_name = "ID", group = "what", requires = "out")]
        deck: Option<String>,
        /// The deck's format: Recall's RON, or CSV (id,topic,kind,prompt,answer,explanation,tags,source).
        #[arg(long, value_enum, default_value_t = DeckFormat::Ron)]
        format: DeckFormat,
        /// Where to write the deck.
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
    /// Import a deck file (.apkg, .csv, .tsv, .txt, .ron) or a review log.
    ///
    /// A deck file becomes a deck in your data folder; an Anki package brings
    /// its review history too. Importing the same file again updates the deck
    /// (after asking, or with --yes). `--reviews FILE.csv` adds the reviews of
    /// a file `export --reviews` wrote and rebuilds the cards' states; reviews
    /// already in the log are skipped, so importing twice adds nothing.
    #[command(group(clap::ArgGroup::new("source").required(true)))]
    Import {
        /// The deck file to import.
        #[arg(value_name = "FILE", group = "source")]
        file: Option<PathBuf>,
        /// The review log to import.
        #[arg(long, value_name = "FILE.csv", group = "source")]
        reviews: Option<PathBuf>,
        /// The id to give the imported deck (the file holds one deck).
        #[arg(long, value_name = "ID", requires = "file")]
        deck: Option<String>,
        /// Replace existing decks without asking.
        #[arg(long)]
        yes: bool,
    },
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
        Command::Stats { json } => stats(&paths, json, &mut out),
        Command::Quiz { deck, mode, limit } => quiz(&paths, deck, mode, limit, &mut out),
        Command::Backup => backup(&paths, &mut out),
        Command::Restore { file } => restore(&paths, &file, &mut out),
        Command::Export {
            reviews,
            cards,
            deck,
            format,
            out: file,
        } => export(&paths, reviews, cards, deck.zip(file), format, &mut out),
        Command::Import {
            file,
            reviews,
            deck,
            yes,
        } => match (file, reviews) {
            (Some(file), _) => import_deck(&paths, &file, deck.as_deref(), yes, &mut out),
            (None, Some(reviews)) => import(&paths, &reviews, &mut out),
            (None, None) => Ok(fail("give a deck FILE or --reviews FILE.csv")),
        },
    };
    match result {
        Ok(code) => code,
        // A closed stdout (`recall check | head`) is not an error worth a message.
        Err(CliError::Io(e)) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(CliError::Recall(e @ crate::Error::CorruptDatabase { .. })) => {
            let hint = match crate::backup::list(&paths.backups()).first() {
                Some(newest) => format!(
                    "\nThe newest backup is {} ({}). Restore it with: recall restore {}",
                    newest.path.display(),
                    newest.label(),
                    newest.path.display()
                ),
                None => "\nThere is no backup. Move the file aside to start afresh; Recall never deletes it.".to_string(),
            };
            fail(&format!("{e}{hint}"))
        }
        Err(e) => fail(&e.to_string()),
    }
}

fn backup(paths: &Paths, out: &mut impl Write) -> Result<ExitCode, CliError> {
    let study = Study::open(paths)?;
    let path = crate::backup::backup_now(&study.store, &paths.backups(), Timestamp::now())?;
    writeln!(out, "backed up to {}", path.display())?;
    Ok(ExitCode::SUCCESS)
}

fn restore(paths: &Paths, file: &Path, out: &mut impl Write) -> Result<ExitCode, CliError> {
    // Hold the folder's lock so no window or quiz writes while the file is
    // swapped; the database itself may be damaged, which is what this is for.
    let _lock = paths.lock()?;
    let moved = crate::backup::restore(file, &paths.database(), Timestamp::now())?;
    writeln!(out, "restored {}", file.display())?;
    if let Some(moved) = moved {
        writeln!(out, "the previous database is kept as {}", moved.display())?;
    }
    Ok(ExitCode::SUCCESS)
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
        let questions: usize = library.decks.iter().map(|d| d.deck.len()).sum();
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

/// The study modes `recall quiz` offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum QuizMode {
    /// Today's due reviews and new cards.
    Due,
    /// Random questions, due or not.
    Quick,
    /// The weakest cards of the weakest topics.
    Weak,
}

fn quiz(
    paths: &Paths,
    decks: Vec<String>,
    mode: QuizMode,
    limit: Option<usize>,
    out: &mut impl Write,
) -> Result<ExitCode, CliError> {
    use std::io::IsTerminal;
    let mut study = Study::open_exclusive(paths)?;
    let options = crate::quiz::QuizOptions {
        decks,
        mode: match mode {
            QuizMode::Due => crate::session::Mode::Due,
            QuizMode::Quick => crate::session::Mode::Quick,
            QuizMode::Weak => crate::session::Mode::Weak,
        },
        limit,
    };
    let stdin = std::io::stdin();
    let machine = !stdin.is_terminal();
    let mut rng = rand::rng();
    match crate::quiz::run(
        &mut study,
        &options,
        &mut stdin.lock(),
        out,
        machine,
        &Timestamp::now,
        &mut rng,
    ) {
        Ok(_) => Ok(ExitCode::SUCCESS),
        Err(crate::quiz::QuizError::Recall(e)) => Err(CliError::Recall(e)),
        Err(crate::quiz::QuizError::Io(e)) => Err(CliError::Io(e)),
    }
}

/// The formats `recall export --deck` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum DeckFormat {
    /// Recall's deck format.
    Ron,
    /// One row per question.
    Csv,
}

fn export(
    paths: &Paths,
    reviews: Option<PathBuf>,
    cards: Option<PathBuf>,
    deck: Option<(String, PathBuf)>,
    format: DeckFormat,
    out: &mut impl Write,
) -> Result<ExitCode, CliError> {
    let study = Study::open(paths)?;
    if let Some((id, file)) = deck {
        let n = study.export_deck(&id, format == DeckFormat::Csv, &file)?;
        writeln!(
            out,
            "wrote {n} question{} of {id} to {}",
            plural(n),
            file.display()
        )?;
    }
    if let Some(file) = reviews {
        let n = study.export_reviews(&file)?;
        writeln!(out, "wrote {n} review{} to {}", plural(n), file.display())?;
    }
    if let Some(file) = cards {
        let n = study.export_cards(&file, Timestamp::now())?;
        writeln!(out, "wrote {n} card{} to {}", plural(n), file.display())?;
    }
    Ok(ExitCode::SUCCESS)
}

fn import_deck(
    paths: &Paths,
    file: &Path,
    deck: Option<&str>,
    yes: bool,
    out: &mut impl Write,
) -> Result<ExitCode, CliError> {
    let mut study = Study::open_exclusive(paths)?;
    let plan = study.read_import(file, deck)?;
    if !plan.existing.is_empty() && !yes {
        use std::io::IsTerminal;
        let names = plan.existing.join(", ");
        if !std::io::stdin().is_terminal() {
            eprintln!("recall: {names} exists already; run again with --yes to replace it");
            return Ok(ExitCode::FAILURE);
        }
        write!(out, "Replace the existing deck {names}? [y/N] ")?;
        out.flush()?;
        let mut answer = String::new();
        std::io::stdin().read_line(&mut answer)?;
        if !matches!(answer.trim(), "y" | "Y" | "yes") {
            writeln!(out, "nothing imported")?;
            return Ok(ExitCode::FAILURE);
        }
    }
    let report = study.apply_import(plan, Timestamp::now())?;
    for line in report.lines() {
        writeln!(out, "{line}")?;
    }
    Ok(ExitCode::SUCCESS)
}

fn import(paths: &Paths, file: &Path, out: &mut impl Write) -> Result<ExitCode, CliError> {
    let mut study = Study::open_exclusive(paths)?;
    let (added, present) = study.import_reviews(file, Timestamp::now())?;
    writeln!(
        out,
        "added {added} review{}; {present} already there",
        plural(added)
    )?;
    Ok(ExitCode::SUCCESS)
}

/// `recall stats --json`.
#[derive(serde::Serialize)]
struct StatsReport {
    data_dir: String,
    due_today: usize,
    reviews_today: i64,
    reviews_total: i64,
    streak: u32,
    /// Non-new reviews answered right over the last 30 days, when there were any.
    retention_30d: Option<f64>,
    desired_retention: f32,
    decks: Vec<DeckStats>,
    weakest_topics: Vec<TopicStats>,
    leeches: Vec<LeechStats>,
    errors: Vec<String>,
}

#[derive(serde::Serialize)]
struct DeckStats {
    id: String,
    title: String,
    new: usize,
    due: usize,
    learned: usize,
    mastery: f64,
}

#[derive(serde::Serialize)]
struct TopicStats {
    deck: String,
    topic: String,
    weakness: f64,
    mastery: f64,
    retrievability: Option<f64>,
    recent_accuracy: Option<f64>,
    lapses: u32,
    studied: usize,
    questions: usize,
}

#[derive(serde::Serialize)]
struct LeechStats {
    deck: String,
    question: String,
    lapses: u32,
    reps: u32,
    stability: f32,
    retrievability: f32,
    explanation: String,
}

fn stats_report(paths: &Paths, study: &mut Study, now: Timestamp) -> crate::Result<StatsReport> {
    let counts = study.counts(now);
    let report = study.mastery(&Scope::All, now)?;
    let clock = study.day_clock(now);
    let today = clock.day(now);
    let retention = study.with_history(now, |library, history| {
        let mask = history.in_scope(library, &Scope::All);
        let weeks = weekly_retention(history, &mask, today, 5);
        let (right, total) = weeks
            .iter()
            .filter(|w| w.start_day > today - 30)
            .fold((0, 0), |(c, n), w| (c + w.correct, n + w.total));
        (total > 0).then(|| f64::from(right) / f64::from(total))
    })?;
    let decks = report
        .decks
        .iter()
        .map(|(id, standing)| {
            let c = counts.get(id).copied().unwrap_or_default();
            let title = study
                .library
                .decks
                .iter()
                .find(|d| &d.deck.id == id)
                .map_or_else(String::new, |d| d.deck.title.clone());
            DeckStats {
                id: id.clone(),
                title,
                new: c.new,
                due: c.due,
                learned: c.learned,
                mastery: standing.mastery(),
            }
        })
        .collect();
    let weakest_topics = report
        .weakest()
        .into_iter()
        .map(|t| TopicStats {
            deck: t.deck.clone(),
            topic: t.topic.clone(),
            weakness: t.standing.weakness().unwrap_or(0.0),
            mastery: t.standing.mastery(),
            retrievability: t.standing.retrievability(),
            recent_accuracy: t.standing.recent_accuracy(),
            lapses: t.standing.lapses,
            studied: t.standing.studied,
            questions: t.standing.total,
        })
        .collect();
    let leeches = study
        .leeches(&Scope::All, now)
        .into_iter()
        .map(|l| LeechStats {
            explanation: study
                .library
                .question(&l.key)
                .map_or_else(String::new, |q| q.explanation.clone()),
            deck: l.key.deck,
            question: l.key.question,
            lapses: l.lapses,
            reps: l.reps,
            stability: l.stability,
            retrievability: l.retrievability,
        })
        .collect();
    Ok(StatsReport {
        data_dir: paths.data_dir.display().to_string(),
        due_today: study.due(&Default::default(), now)?.len(),
        reviews_today: study.reviews_today(now)?,
        reviews_total: study.store.reviews_since(Timestamp(i64::MIN))?,
        streak: study.streak(now)?,
        retention_30d: retention,
        desired_retention: study.settings.desired_retention,
        decks,
        weakest_topics,
        leeches,
        errors: study
            .library
            .errors
            .iter()
            .map(ToString::to_string)
            .collect(),
    })
}

fn stats(paths: &Paths, json: bool, out: &mut impl Write) -> Result<ExitCode, CliError> {
    let mut study = Study::open(paths)?;
    let r = stats_report(paths, &mut study, Timestamp::now())?;
    if json {
        serde_json::to_writer(&mut *out, &r)?;
        writeln!(out)?;
        return Ok(ExitCode::SUCCESS);
    }
    writeln!(out, "Data folder: {}", r.data_dir)?;
    writeln!(
        out,
        "Due today: {}   reviews today: {}   in all: {}   streak: {} day{}",
        r.due_today,
        r.reviews_today,
        r.reviews_total,
        r.streak,
        plural(r.streak as usize)
    )?;
    match r.retention_30d {
        Some(share) => writeln!(
            out,
            "True retention, last 30 days: {:.0}% (desired {:.0}%)",
            share * 100.0,
            r.desired_retention * 100.0
        )?,
        None => writeln!(
            out,
            "True retention: no reviews of seen cards in the last 30 days"
        )?,
    }
    writeln!(out)?;
    writeln!(
        out,
        "{:<38} {:>5} {:>5} {:>8} {:>8}",
        "deck", "new", "due", "learned", "mastery"
    )?;
    for d in &r.decks {
        writeln!(
            out,
            "{:<38} {:>5} {:>5} {:>8} {:>7.0}%",
            d.title,
            d.new,
            d.due,
            d.learned,
            d.mastery * 100.0
        )?;
    }
    writeln!(out)?;
    if r.weakest_topics.is_empty() {
        writeln!(out, "Weakest topics: none yet")?;
    } else {
        writeln!(out, "Weakest topics:")?;
        for t in r.weakest_topics.iter().take(10) {
            writeln!(
                out,
                "  {} ({}): recall {:.0}%, recent {}, {} lapse{}",
                t.topic,
                t.deck,
                t.retrievability.unwrap_or(0.0) * 100.0,
                t.recent_accuracy
                    .map_or_else(|| "-".to_string(), |a| format!("{:.0}% right", a * 100.0)),
                t.lapses,
                plural(t.lapses as usize)
            )?;
        }
    }
    if r.leeches.is_empty() {
        writeln!(out, "Leeches: none")?;
    } else {
        writeln!(out, "Leeches:")?;
        for l in &r.leeches {
            writeln!(
                out,
                "  {}/{}: {} lapses in {} reviews",
                l.deck, l.question, l.lapses, l.reps
            )?;
        }
    }
    for error in &r.errors {
        writeln!(out, "deck with errors: {error}")?;
    }
    Ok(ExitCode::SUCCESS)
}
