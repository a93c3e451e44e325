//! Parsed deck files, kept in the data folder's `cache/decks/`, so a file
//! that has not changed since (the same size, modification time and inode)
//! is neither parsed nor checked again at the next start. Only decks that
//! loaded without errors are kept, each with its file's path and stamp and
//! this build's version. It is only a cache: an entry that is missing, torn,
//! stale or from another version is ignored, and the file is parsed and
//! checked as usual.
//!
//! An entry is JSON lines. The first line is the deck's [`IndexedDeck`]
//! with the byte range of each question's line; each line after it is one
//! question. A start reads the first line only, and a question's text is
//! read from its line when it is needed (see [`Lines`]).

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::io::{BufRead, Read, Seek, Write};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::Stamp;
use super::index::IndexedDeck;
use crate::model::{Category, Deck, Question, QuestionKind};

/// Entries written by another build are ignored: its checks may differ.
const FORMAT: &str = concat!("recall ", env!("CARGO_PKG_VERSION"), ", deck cache 2");

/// An entry's first line. Each question is its id, its topic's index in
/// `topics`, its kind's index in [`QuestionKind::NAMES`], and where its line
/// ends, counted from the start of the first question's line.
#[derive(Serialize, Deserialize)]
struct Head<S> {
    format: S,
    path: PathBuf,
    stamp: Stamp,
    id: S,
    title: S,
    category: Category,
    description: S,
    topics: Vec<S>,
    questions: Vec<(S, u32, u8, u32)>,
}

/// Where a cached deck's questions are: the entry file, its own stamp when
/// it was read or written (an entry replaced since is not read), where the
/// questions' lines start, and where each one ends.
#[derive(Debug, Clone)]
pub(super) struct Lines {
    file: PathBuf,
    stamp: Stamp,
    start: u64,
    ends: Box<[u32]>,
}

impl Lines {
    /// The byte range of question `i`'s line in the file, newline excluded.
    fn range(&self, i: usize) -> Option<(u64, usize)> {
        let end = *self.ends.get(i)?;
        let begin = match i {
            0 => 0,
            _ => self.ends[i - 1].checked_add(1)?,
        };
        let len = end.checked_sub(begin)?;
        Some((self.start + u64::from(begin), len as usize))
    }

    /// The entry file, if it is still the one these lines describe.
    fn open(&self) -> Option<std::fs::File> {
        let file = std::fs::File::open(&self.file).ok()?;
        (Stamp::of_file(&file)? == self.stamp).then_some(file)
    }

    /// Question `i`, if its line still holds the question `id`.
    pub(super) fn question(&self, i: usize, id: &str) -> Option<Question> {
        let (at, len) = self.range(i)?;
        let mut file = self.open()?;
        file.seek(std::io::SeekFrom::Start(at)).ok()?;
        let mut line = vec![0; len];
        file.read_exact(&mut line).ok()?;
        let question: Question = serde_json::from_slice(&line).ok()?;
        (question.id == id).then_some(question)
    }

    /// Every question, if the lines still hold the questions of `index`.
    pub(super) fn questions(&self, index: &IndexedDeck) -> Option<Vec<Question>> {
        let mut file = self.open()?;
        file.seek(std::io::SeekFrom::Start(self.start)).ok()?;
        let mut text = Vec::new();
        file.read_to_end(&mut text).ok()?;
        let mut questions = Vec::with_capacity(index.len());
        for (line, indexed) in text.split(|&b| b == b'\n').zip(index.questions()) {
            let question: Question = serde_json::from_slice(line).ok()?;
            if question.id != indexed.id {
                return None;
            }
            questions.push(question);
        }
        (questions.len() == index.len()).then_some(questions)
    }
}

/// The cache file for the deck file `path`, named by a hash of its path.
fn entry_file(dir: &Path, path: &Path) -> PathBuf {
    let mut hasher = std::hash::DefaultHasher::new();
    path.hash(&mut hasher);
    dir.join(format!("{:016x}.json", hasher.finish()))
}

/// The index of the deck kept for the file `path` as it was at `stamp`, and
/// where its questions are, if there is such an entry.
pub(super) fn read(dir: &Path, path: &Path, stamp: Stamp) -> Option<(IndexedDeck, Lines)> {
    let file_path = entry_file(dir, path);
    let file = std::fs::File::open(&file_path).ok()?;
    let entry_stamp = Stamp::of_file(&file)?;
    let mut reader = std::io::BufReader::new(file);
    let mut first = Vec::new();
    reader.read_until(b'\n', &mut first).ok()?;
    let head: Head<String> = serde_json::from_slice(&first).ok()?;
    if head.format != FORMAT || head.path != path || head.stamp != stamp {
        return None;
    }
    let start = first.len() as u64;
    // The last line ends where the file does: a torn entry is not read.
    let size = u64::from(head.questions.last().map_or(0, |q| q.3));
    if head.questions.is_empty() || start + size != entry_stamp.len {
        return None;
    }
    let mut index = IndexedDeck::new(head.id, head.title, head.category, head.description);
    index.reserve(
        head.questions.len(),
        head.questions.iter().map(|q| q.0.len()).sum(),
    );
    for topic in &head.topics {
        index.add_topic(topic);
    }
    let mut ends = Vec::with_capacity(head.questions.len());
    for (id, topic, kind, end) in &head.questions {
        index.push(id, *topic, *kind)?;
        ends.push(*end);
    }
    let lines = Lines {
        file: file_path,
        stamp: entry_stamp,
        start,
        ends: ends.into_boxed_slice(),
    };
    Some((index, lines))
}

/// Keeps `deck`, parsed and checked from the file `path` at `stamp`, and
/// returns where its questions now are. A failure is logged, and gives
/// `None`: the file is parsed next time.
pub(super) fn write(dir: &Path, path: &Path, stamp: Stamp, deck: &Deck) -> Option<Lines> {
    let mut body = Vec::new();
    let mut ends = Vec::with_capacity(deck.questions.len());
    let mut topic_index: HashMap<&str, u32> = HashMap::new();
    let mut topic_list: Vec<&str> = Vec::new();
    let mut questions = Vec::with_capacity(deck.questions.len());
    for question in &deck.questions {
        if !body.is_empty() {
            body.push(b'\n');
        }
        serde_json::to_writer(&mut body, question).ok()?;
        let end = u32::try_from(body.len()).ok()?;
        ends.push(end);
        let topic = *topic_index
            .entry(question.topic.as_str())
            .or_insert_with(|| {
                topic_list.push(&question.topic);
                topic_list.len() as u32 - 1
            });
        let kind = QuestionKind::NAMES
            .iter()
            .position(|&k| k == question.kind.name())?;
        questions.push((question.id.as_str(), topic, kind as u8, end));
    }
    let head = Head {
        format: FORMAT,
        path: path.to_path_buf(),
        stamp,
        id: deck.id.as_str(),
        title: deck.title.as_str(),
        category: deck.category,
        description: deck.description.as_str(),
        topics: topic_list,
        questions,
    };
    let file_path = entry_file(dir, path);
    // A new file renamed into place, so a reader never sees half of one; no
    // fsync, since a torn entry only costs a parse.
    let written = std::fs::create_dir_all(dir)
        .and_then(|()| tempfile::NamedTempFile::new_in(dir))
        .and_then(|mut file| {
            let mut first = serde_json::to_vec(&head)?;
            first.push(b'\n');
            file.write_all(&first)?;
            file.write_all(&body)?;
            let stamp = Stamp::of_file(file.as_file());
            file.persist(&file_path).map_err(|e| e.error)?;
            Ok((first.len() as u64, stamp))
        });
    match written {
        Ok((start, Some(stamp))) => Some(Lines {
            file: file_path,
            stamp,
            start,
            ends: ends.into_boxed_slice(),
        }),
        Ok((_, None)) => None,
        Err(e) => {
            log::debug!("cannot keep {} in the deck cache: {e}", path.display());
            None
        }
    }
}
