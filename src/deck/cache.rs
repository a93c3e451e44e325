//! Parsed deck files, kept as JSON in the data folder's `cache/decks/`, so a
//! file that has not changed since (the same size, modification time and
//! inode) is neither parsed nor checked again at the next start: JSON reads
//! about five times faster than RON. Only decks that loaded without errors
//! are kept, each with its file's path and stamp and this build's version.
//! It is only a cache: an entry that is missing, torn, stale or from another
//! version is ignored, and the file is parsed and checked as usual.

use std::hash::{Hash, Hasher};
use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::Stamp;
use crate::model::Deck;

/// Entries written by another build are ignored: its checks may differ.
const FORMAT: &str = concat!("recall ", env!("CARGO_PKG_VERSION"), ", deck cache 1");

#[derive(Serialize)]
struct EntryRef<'a> {
    format: &'a str,
    path: &'a Path,
    stamp: Stamp,
    deck: &'a Deck,
}

#[derive(Deserialize)]
struct Entry {
    format: String,
    path: PathBuf,
    stamp: Stamp,
    deck: Deck,
}

/// The cache file for the deck file `path`, named by a hash of its path.
fn entry_file(dir: &Path, path: &Path) -> PathBuf {
    let mut hasher = std::hash::DefaultHasher::new();
    path.hash(&mut hasher);
    dir.join(format!("{:016x}.json", hasher.finish()))
}

/// The deck kept for the file `path` as it was at `stamp`, if there is one.
pub(super) fn read(dir: &Path, path: &Path, stamp: Stamp) -> Option<Deck> {
    let bytes = std::fs::read(entry_file(dir, path)).ok()?;
    let entry: Entry = serde_json::from_slice(&bytes).ok()?;
    (entry.format == FORMAT && entry.path == path && entry.stamp == stamp).then_some(entry.deck)
}

/// Keeps `deck`, parsed and checked from the file `path` at `stamp`. A
/// failure is logged and otherwise ignored: the file is parsed next time.
pub(super) fn write(dir: &Path, path: &Path, stamp: Stamp, deck: &Deck) {
    let entry = EntryRef {
        format: FORMAT,
        path,
        stamp,
        deck,
    };
    // A new file renamed into place, so a reader never sees half of one; no
    // fsync, since a torn entry only costs a parse.
    let written = std::fs::create_dir_all(dir)
        .and_then(|()| tempfile::NamedTempFile::new_in(dir))
        .and_then(|mut file| {
            let mut out = std::io::BufWriter::new(&mut file);
            serde_json::to_writer(&mut out, &entry)?;
            out.flush()?;
            drop(out);
            file.persist(entry_file(dir, path))
                .map(drop)
                .map_err(|e| e.error)
        });
    if let Err(e) = written {
        log::debug!("cannot keep {} in the deck cache: {e}", path.display());
    }
}
