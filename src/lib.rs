//! Recall: a spaced-repetition study app for people becoming Machine Learning
//! Architects. The core (`model`, `deck`, `grade`, `scheduler`, `store`,
//! `session`, `stats`) never sees egui and takes the time as an argument; `ui`
//! draws it and `cli` drives it from a terminal.

#![warn(missing_docs)]

pub mod atomic;
pub mod backup;
pub mod cli;
pub mod clock;
pub mod corpus;
pub mod deck;
pub mod exchange;
pub mod grade;
pub mod import;
pub mod model;
pub mod quiz;
pub mod scheduler;
pub mod session;
pub mod settings;
pub mod stats;
pub mod store;
pub mod study;
pub mod ui;

use std::path::PathBuf;

/// Everything that can go wrong in Recall, worded for the person reading it.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A file or folder could not be read or written.
    #[error("{}: {source}", path.display())]
    File {
        /// The file or folder concerned.
        path: PathBuf,
        /// What the operating system reported.
        source: std::io::Error,
    },
    /// SQLite refused an operation.
    #[error("database error: {0}")]
    Database(#[from] rusqlite::Error),
    /// The database file is not a Recall database or is damaged.
    #[error("{} is not a readable Recall database ({reason}); it was left untouched", path.display())]
    CorruptDatabase {
        /// The database file.
        path: PathBuf,
        /// What SQLite said is wrong with it.
        reason: String,
    },
    /// The database was written by a newer Recall.
    #[error(
        "{} was written by a newer version of Recall (schema {found}, this build knows up to {known}); it was left untouched",
        path.display()
    )]
    NewerDatabase {
        /// The database file.
        path: PathBuf,
        /// The schema version the file was written with.
        found: i64,
        /// The newest schema version this build can read.
        known: i64,
    },
    /// The FSRS scheduler rejected its input.
    #[error("scheduler error: {0:?}")]
    Scheduler(fsrs::FSRSError),
    /// A file to import or export could not be read or written as expected.
    #[error("{}: {reason}", path.display())]
    BadFile {
        /// The file concerned.
        path: PathBuf,
        /// What is wrong with it.
        reason: String,
    },
    /// Another Recall (a window or `recall quiz`) is studying this data folder.
    #[error(
        "Recall is already open on {} (another window or `recall quiz`); close it first",
        .0.display()
    )]
    AlreadyOpen(PathBuf),
    /// No platform data folder exists and none was given.
    #[error(
        "no data folder could be found for this user; pass --data-dir DIR or set RECALL_DATA_DIR"
    )]
    NoDataDir,
    /// A deck's questions could not be read again, from the deck cache or
    /// from its file.
    #[error("{0}")]
    DeckText(deck::DeckError),
    /// A card the session refers to is not in any loaded deck.
    #[error("unknown card {0}")]
    UnknownCard(model::CardKey),
    /// The session has no question left.
    #[error("the session is over")]
    SessionOver,
    /// There is nothing left to undo.
    #[error("nothing to undo")]
    NothingToUndo,
}

impl From<fsrs::FSRSError> for Error {
    fn from(e: fsrs::FSRSError) -> Self {
        Error::Scheduler(e)
    }
}

/// The crate's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Attaches a path to an I/O error.
pub(crate) fn file_error(path: impl Into<PathBuf>) -> impl FnOnce(std::io::Error) -> Error {
    let path = path.into();
    move |source| Error::File { path, source }
}

/// Runs `work` and logs how long it took at debug level (`RUST_LOG=recall=debug`),
/// so a slow start can be traced to its phase.
pub fn timed<T>(phase: &str, work: impl FnOnce() -> T) -> T {
    let started = std::time::Instant::now();
    let value = work();
    log::debug!(
        "{phase}: {:.1} ms",
        started.elapsed().as_secs_f64() * 1000.0
    );
    value
}
