//! Parsed deck files, kept in the data folder's `cache/decks/`, so a file
//! that has not changed since (the same size, modification time and inode)
//! is neither parsed nor checked again at the next start. Only decks that
//! loaded without errors are kept, each with its file's path and stamp and
//! this build's version. It is only a cache: an entry that is missing, torn,
//! stale or from another version is ignored, and the file is parsed and
//! checked as usual.
//!
//! An entry is JSON lines: one line per question, then the deck's
//! [`IndexedDeck`] with where each question's line ends, then the offset of
//! that index line as 16 hexadecimal digits. A start reads the last two
//! lines only, and a question's text is read from its line when it is
//! needed (see [`Lines`]). The questions come first so an entry is written
//! as it is serialised, without the whole deck's JSON in memory.

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::Stamp;
use super::index::IndexedDeck;
use crate::model::{Category, Deck, Question, QuestionKind};

/// Entries written by another build are ignored: its checks may differ.
const FORMAT: &str = concat!("recall ", env!("CARGO_PKG_VERSION"), ", deck cache 3");

/// The length of an entry's last line: the index line's offset in hex, and
/// a newline.
const TRAILER: u64 = 17;

/// An entry's index line. Each question is its id, its topic's index in
/// `topics`, its kind's index in [`QuestionKind::NAMES`], and where its line
/// ends (the offset of its newline).
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
/// it was read or written (an entry replaced since is not read), and where
/// each question's line ends.
#[derive(Debug, Clone)]
pub(super) struct Lines {
    file: PathBuf,
    stamp: Stamp,
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
        Some((u64::from(begin), len as usize))
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
        file.seek(SeekFrom::Start(at)).ok()?;
        let mut line = vec![0; len];
        file.read_exact(&mut line).ok()?;
        let question: Question = serde_json::from_slice(&line).ok()?;
        (question.id == id).then_some(question)
    }

    /// Every question, if the lines still hold the questions of `index`.
    pub(super) fn questions(&self, index: &IndexedDeck) -> Option<Vec<Question>> {
        let file = self.open()?;
        let body = u64::from(*self.ends.last()?);
        let mut text = Vec::with_capacity(usize::try_from(body).ok()?);
        file.take(body).read_to_end(&mut text).ok()?;
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
    let mut file = std::fs::File::open(&file_path).ok()?;
    let entry_stamp = Stamp::of_file(&file)?;
    file.seek(SeekFrom::Start(entry_stamp.len.checked_sub(TRAILER)?))
        .ok()?;
    let mut trailer = [0; TRAILER as usize];
    file.read_exact(&mut trailer).ok()?;
    let (hex, newline) = trailer.split_at(16);
    let head_at = u64::from_str_radix(std::str::from_utf8(hex).ok()?, 16).ok()?;
    let head_len = (entry_stamp.len - TRAILER).checked_sub(head_at)?;
    if newline != b"\n" {
        return None;
    }
    file.seek(SeekFrom::Start(head_at)).ok()?;
    let mut line = vec![0; usize::try_from(head_len).ok()?];
    file.read_exact(&mut line).ok()?;
    // An index line that does not start where the last line says it does
    // means the entry was torn or edited.
    if line.first() != Some(&b'{') {
        return None;
    }
    let head: Head<String> = serde_json::from_slice(&line).ok()?;
    if head.format != FORMAT || head.path != path || head.stamp != stamp {
        return None;
    }
    // The questions' lines end where the index line starts.
    let last = head.questions.last()?.3;
    if u64::from(last) + 1 != head_at {
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
        ends: ends.into_boxed_slice(),
    };
    Some((index, lines))
}

/// Keeps `deck`, parsed and checked from the file `path` at `stamp`, and
/// returns where its questions now are. A failure is logged, and gives
/// `None`: the file is parsed next time.
pub(super) fn write(dir: &Path, path: &Path, stamp: Stamp, deck: &Deck) -> Option<Lines> {
    let file_path = entry_file(dir, path);
    // A new file renamed into place, so a reader never sees half of one; no
    // fsync, since a torn entry only costs a parse.
    let written = std::fs::create_dir_all(dir)
        .and_then(|()| tempfile::NamedTempFile::new_in(dir))
        .and_then(|file| {
            let mut out = Counted {
                inner: std::io::BufWriter::new(file.as_file()),
                written: 0,
            };
            let ends = write_entry(&mut out, path, stamp, deck)?;
            out.flush()?;
            drop(out);
            let stamp = Stamp::of_file(file.as_file());
            file.persist(&file_path).map_err(|e| e.error)?;
            Ok((ends, stamp))
        });
    match written {
        Ok((ends, Some(stamp))) => Some(Lines {
            file: file_path,
            stamp,
            ends,
        }),
        Ok((_, None)) => None,
        Err(e) => {
            log::debug!("cannot keep {} in the deck cache: {e}", path.display());
            None
        }
    }
}

/// Writes the entry of `deck` to `out`, and returns where each question's
/// line ends.
fn write_entry(
    out: &mut Counted<impl Write>,
    path: &Path,
    stamp: Stamp,
    deck: &Deck,
) -> std::io::Result<Box<[u32]>> {
    let too_big = || std::io::Error::other("the entry would pass 4 GB");
    let mut ends = Vec::with_capacity(deck.questions.len());
    let mut topic_index: HashMap<&str, u32> = HashMap::new();
    let mut topics: Vec<&str> = Vec::new();
    let mut questions = Vec::with_capacity(deck.questions.len());
    for question in &deck.questions {
        serde_json::to_writer(&mut *out, question)?;
        let end = u32::try_from(out.written).map_err(|_| too_big())?;
        out.write_all(b"\n")?;
        ends.push(end);
        let topic = *topic_index
            .entry(question.topic.as_str())
            .or_insert_with(|| {
                topics.push(&question.topic);
                topics.len() as u32 - 1
            });
        let kind = QuestionKind::NAMES
            .iter()
            .position(|&k| k == question.kind.name())
            .unwrap_or(0);
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
        topics,
        questions,
    };
    let head_at = out.written;
    serde_json::to_writer(&mut *out, &head)?;
    writeln!(out)?;
    writeln!(out, "{head_at:016x}")?;
    Ok(ends.into_boxed_slice())
}

/// A writer that counts the bytes written through it.
struct Counted<W> {
    inner: W,
    written: u64,
}

impl<W: Write> Write for Counted<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.written += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}
