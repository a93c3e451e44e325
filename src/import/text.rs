//! Plain CSV/TSV files and Anki's *Notes in Plain Text* export. A plain file
//! holds `front,back[,tags]` rows; an Anki export starts with `#key:value`
//! header lines (`#separator:tab`, `#html:true`, `#deck column:3`, ...) that
//! say how to read the rows after them. Every row becomes one question of a
//! single deck; rows that cannot become a valid question are listed in
//! [`Imported::skipped`] with their line number.
//!
//! Question ids stay the same when the same file is imported again, so a
//! re-import updates the deck instead of duplicating it: Anki's note guid when
//! the file has a guid column, otherwise a hash of the front field as the
//! file has it (after HTML is turned into markdown).

use std::collections::HashSet;
use std::path::Path;

use super::{ImportError, Imported, html, slug};
use crate::grade::{ClozePart, cloze_parts};
use crate::model::{Category, Deck, Question, QuestionKind};

/// Reads a CSV/TSV file or an Anki plain-text export at `path` into one deck
/// with the given id and title (the caller picks them, from the file name or
/// `--deck`).
pub fn read_text(path: &Path, deck_id: &str, title: &str) -> Result<Imported, ImportError> {
    let file_name = path.file_name().map_or_else(
        || path.display().to_string(),
        |name| name.to_string_lossy().into_owned(),
    );
    let bytes = std::fs::read(path)?;
    let text = decode(&bytes).map_err(|why| format_error(&file_name, why))?;
    let extension = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    let source = Source {
        file_name: &file_name,
        extension: extension.as_deref(),
        deck_id,
        title,
    };
    parse(&text, &source).map_err(|why| format_error(&file_name, why))
}

/// What the caller says about the file besides its text.
struct Source<'a> {
    /// The file's name, for messages and the default explanation.
    file_name: &'a str,
    /// The lower-case extension, which suggests the separator.
    extension: Option<&'a str>,
    deck_id: &'a str,
    title: &'a str,
}

fn format_error(file_name: &str, why: String) -> ImportError {
    ImportError::Format(format!("{file_name}: {why}"))
}

/// The file's text: UTF-8 (with or without a byte-order mark) or UTF-16 with
/// a byte-order mark, which Excel writes for "Unicode Text".
fn decode(bytes: &[u8]) -> Result<String, String> {
    if let Some(units) = bytes.strip_prefix(&[0xFF, 0xFE]) {
        return decode_utf16(units, u16::from_le_bytes);
    }
    if let Some(units) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        return decode_utf16(units, u16::from_be_bytes);
    }
    if bytes.starts_with(b"PK\x03\x04") {
        return Err(
            "is not a text file but a zip archive (an Anki package .apkg is imported as a package)"
                .to_string(),
        );
    }
    if bytes.contains(&0) {
        return Err("is not a text file (it contains binary data)".to_string());
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    String::from_utf8(bytes.to_vec()).map_err(|e| {
        let valid = &bytes[..e.utf8_error().valid_up_to()];
        let line = valid.iter().filter(|&&b| b == b'\n').count() + 1;
        format!("line {line} is not UTF-8 text; save the file as UTF-8 and import it again")
    })
}

fn decode_utf16(bytes: &[u8], unit: fn([u8; 2]) -> u16) -> Result<String, String> {
    if !bytes.len().is_multiple_of(2) {
        return Err("is not valid UTF-16 text (it has an odd number of bytes)".to_string());
    }
    let units = bytes.chunks_exact(2).map(|pair| unit([pair[0], pair[1]]));
    char::decode_utf16(units)
        .collect::<Result<String, _>>()
        .map_err(|_| "is not valid UTF-16 text".to_string())
}

/// Turns the whole text into the imported deck.
fn parse(text: &str, source: &Source) -> Result<Imported, String> {
    if !is_valid_id(source.deck_id) {
        return Err(format!(
            "the deck id \"{}\" must be non-empty, without spaces or '/'",
            source.deck_id
        ));
    }
    if source.title.trim().is_empty() {
        return Err("the deck title is empty".to_string());
    }
    if text.trim().is_empty() {
        return Err("the file is empty".to_string());
    }
    let header = Header::read(text)?;
    let body = &text[header.body_start..];
    if body.trim().is_empty() {
        return Err("has only header lines, no notes".to_string());
    }
    let separator = header
        .separator
        .unwrap_or_else(|| sniff_separator(body, source.extension));
    let columns = Columns::new(&header, separator)?;
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(separator)
        // Anki's writer quotes every field that starts with '#', so in an Anki
        // export such a line can only be a comment; in a plain file it is data.
        .comment(header.anki.then_some(b'#'))
        .from_reader(body.as_bytes());

    let mut imported = Imported::default();
    let mut questions = Vec::new();
    let mut ids = Ids::default();
    let mut widest = 0;
    let mut rows = 0;
    let mut named_columns = false;
    for (index, record) in reader.records().enumerate() {
        let record = record.map_err(|e| {
            let line = e.position().map_or(0, |p| p.line() as usize) + header.lines;
            format!("line {line}: {e}")
        })?;
        let line = record.position().map_or(0, |p| p.line() as usize) + header.lines;
        if index == 0 && !header.anki && is_column_names(&record) {
            named_columns = true;
            continue;
        }
        rows += 1;
        widest = widest.max(record.len());
        let note = columns.note(&record, &header);
        match note_to_question(&note, source) {
            Ok(question) => {
                let id = ids.assign(note.guid, &note.front);
                questions.push(Question { id, ..question });
            }
            Err(why) => imported.skipped.push(format!("line {line}: {why}")),
        }
    }
    if questions.is_empty() {
        let why = if rows == 0 && named_columns {
            "has only a header row, no cards".to_string()
        } else if rows == 0 {
            "has only header lines and comments, no notes".to_string()
        } else if widest < 2 {
            "no row has two columns; separate front and back with a tab, comma or semicolon"
                .to_string()
        } else {
            let shown: Vec<&str> = imported
                .skipped
                .iter()
                .take(3)
                .map(String::as_str)
                .collect();
            let more = imported.skipped.len() - shown.len();
            let more = if more > 0 {
                format!(" and {more} more")
            } else {
                String::new()
            };
            format!("no usable row ({}{more})", shown.join("; "))
        };
        return Err(why);
    }
    imported.decks.push(Deck {
        id: source.deck_id.to_string(),
        title: source.title.trim().to_string(),
        category: Category::Custom,
        description: format!("Imported from {}", source.file_name),
        questions,
    });
    Ok(imported)
}

/// What Anki's header lines say. All column indexes are 0-based here
/// (the file counts from 1).
#[derive(Debug, Default)]
struct Header {
    /// Whether the file starts with Anki header lines.
    anki: bool,
    /// How many lines the header takes, to number the rows as the file does.
    lines: usize,
    /// The byte where the rows start.
    body_start: usize,
    separator: Option<u8>,
    html: bool,
    deck: Option<String>,
    notetype: Option<String>,
    tags: Vec<String>,
    /// The `#columns:` line, split once the separator is known.
    column_names: Option<String>,
    tags_column: Option<usize>,
    deck_column: Option<usize>,
    notetype_column: Option<usize>,
    guid_column: Option<usize>,
}

/// The header keys Anki reads; a leading `#` line with another key is data
/// in a plain file.
const HEADER_KEYS: [&str; 10] = [
    "separator",
    "html",
    "deck",
    "notetype",
    "tags",
    "columns",
    "tags column",
    "deck column",
    "notetype column",
    "guid column",
];

impl Header {
    fn read(text: &str) -> Result<Header, String> {
        let mut header = Header::default();
        for (index, raw) in text.split_inclusive('\n').enumerate() {
            let number = index + 1;
            let line = raw.trim_end_matches(['\n', '\r']);
            if index == 0
                && let Some(tags) = line.strip_prefix("tags:")
            {
                // Anki still accepts a first line `tags:...` from older versions.
                header.tags = tags.split_whitespace().map(str::to_string).collect();
            } else if let Some(rest) = line.strip_prefix('#') {
                let known = rest.split_once(':').filter(|(key, _)| {
                    HEADER_KEYS.contains(&key.trim().to_ascii_lowercase().as_str())
                });
                match known {
                    Some((key, value)) => {
                        header.set(&key.trim().to_ascii_lowercase(), value, number)?
                    }
                    // Anki skips any other `#` line in its header as a comment.
                    None if header.anki => {}
                    None => break,
                }
            } else {
                break;
            }
            header.anki = true;
            header.lines = number;
            header.body_start += raw.len();
        }
        Ok(header)
    }

    fn set(&mut self, key: &str, value: &str, line: usize) -> Result<(), String> {
        let name = || value.trim().to_string();
        match key {
            "separator" => self.separator = Some(separator_named(value, line)?),
            "html" => {
                self.html = match value.trim().to_ascii_lowercase().as_str() {
                    "true" => true,
                    "false" => false,
                    other => {
                        return Err(format!(
                            "line {line}: #html must be true or false, not \"{other}\""
                        ));
                    }
                }
            }
            "deck" => self.deck = Some(name()),
            "notetype" => self.notetype = Some(name()),
            "tags" => self.tags = value.split_whitespace().map(str::to_string).collect(),
            "columns" => self.column_names = Some(value.to_string()),
            _ => {
                let column = column_number(key, value, line)?;
                match key {
                    "tags column" => self.tags_column = Some(column),
                    "deck column" => self.deck_column = Some(column),
                    "notetype column" => self.notetype_column = Some(column),
                    _ => self.guid_column = Some(column),
                }
            }
        }
        Ok(())
    }
}

/// The separator a `#separator:` value names: one of Anki's names or a
/// single character.
fn separator_named(value: &str, line: usize) -> Result<u8, String> {
    let named = match value.trim().to_ascii_lowercase().as_str() {
        "tab" => Some(b'\t'),
        "comma" => Some(b','),
        "semicolon" => Some(b';'),
        "pipe" => Some(b'|'),
        "space" => Some(b' '),
        "colon" => Some(b':'),
        _ => None,
    };
    match (named, value.as_bytes()) {
        (Some(byte), _) => Ok(byte),
        (None, &[byte]) if byte.is_ascii() && !matches!(byte, b'"' | b'\r' | b'\n') => Ok(byte),
        _ => Err(format!(
            "line {line}: unknown separator \"{value}\"; use tab, comma, semicolon, pipe, space, colon or a single character"
        )),
    }
}

/// A 1-based column number from the header, as a 0-based index.
fn column_number(key: &str, value: &str, line: usize) -> Result<usize, String> {
    match value.trim().parse::<usize>() {
        Ok(n) if n >= 1 => Ok(n - 1),
        _ => Err(format!(
            "line {line}: #{key} needs a column number from 1, not \"{}\"",
            value.trim()
        )),
    }
}

/// The separator of a file whose header does not name one: the extension's
/// (`.csv` comma, `.tsv`/`.txt` tab) when the first lines use it, otherwise
/// whichever of tab, comma and semicolon most of them use.
fn sniff_separator(body: &str, extension: Option<&str>) -> u8 {
    const CANDIDATES: [u8; 3] = [b'\t', b',', b';'];
    let preferred = match extension {
        Some("csv") => Some(b','),
        Some("tsv" | "tab" | "txt") => Some(b'\t'),
        _ => None,
    };
    let sample: Vec<&str> = body
        .lines()
        .filter(|l| !l.trim().is_empty())
        .take(10)
        .collect();
    let lines_using = |separator: u8| {
        sample
            .iter()
            .filter(|line| contains_unquoted(line, separator))
            .count()
    };
    if let Some(separator) = preferred.filter(|&s| lines_using(s) > 0) {
        return separator;
    }
    let mut best = preferred.unwrap_or(b'\t');
    let mut best_count = 0;
    for separator in CANDIDATES {
        let count = lines_using(separator);
        if count > best_count {
            best = separator;
            best_count = count;
        }
    }
    best
}

fn contains_unquoted(line: &str, separator: u8) -> bool {
    let mut quoted = false;
    for byte in line.bytes() {
        if byte == b'"' {
            quoted = !quoted;
        } else if byte == separator && !quoted {
            return true;
        }
    }
    false
}

/// Whether a plain file's first row names its columns rather than a card.
fn is_column_names(record: &csv::StringRecord) -> bool {
    let name = |i: usize| {
        record
            .get(i)
            .unwrap_or_default()
            .trim()
            .to_ascii_lowercase()
    };
    matches!(
        (name(0).as_str(), name(1).as_str()),
        ("front", "back") | ("question", "answer")
    )
}

/// Which column holds what.
struct Columns {
    /// The first field (front, or a cloze's text), if the column names say.
    front: Option<usize>,
    /// The second field (back, or a cloze's extra), if the column names say.
    back: Option<usize>,
    tags: Option<usize>,
    /// Columns that hold something other than a note field.
    meta: Vec<usize>,
    /// A plain file: `front,back[,tags]`.
    plain: bool,
}

impl Columns {
    fn new(header: &Header, separator: u8) -> Result<Columns, String> {
        let names: Vec<String> = match &header.column_names {
            Some(line) => {
                let mut reader = csv::ReaderBuilder::new()
                    .has_headers(false)
                    .delimiter(separator)
                    .from_reader(line.as_bytes());
                let record = reader
                    .records()
                    .next()
                    .transpose()
                    .map_err(|e| format!("#columns cannot be read: {e}"))?;
                record.map_or_else(Vec::new, |r| {
                    r.iter().map(|n| n.trim().to_ascii_lowercase()).collect()
                })
            }
            None => Vec::new(),
        };
        let named = |wanted: &[&str]| names.iter().position(|n| wanted.contains(&n.as_str()));
        let tags = header.tags_column.or_else(|| named(&["tags"]));
        let meta = [
            tags,
            header.deck_column,
            header.notetype_column,
            header.guid_column,
        ]
        .into_iter()
        .flatten()
        .collect();
        Ok(Columns {
            front: named(&["front", "text", "question"]),
            back: named(&["back", "extra", "back extra", "answer"]),
            tags,
            meta,
            plain: !header.anki,
        })
    }

    /// The row's note, with its fields converted to markdown when the file
    /// is HTML.
    fn note<'r>(&self, record: &'r csv::StringRecord, header: &'r Header) -> Note<'r> {
        let cell = |i: Option<usize>| {
            i.and_then(|i| record.get(i))
                .map(str::trim)
                .filter(|v| !v.is_empty())
        };
        let mut fields = (0..record.len()).filter(|i| !self.meta.contains(i));
        let (front, back, tags) = if self.plain {
            (Some(0), Some(1), Some(2))
        } else {
            let front = self.front.or_else(|| fields.next());
            let back = self.back.or_else(|| fields.find(|&i| Some(i) != front));
            (front, back, self.tags)
        };
        let field = |i: Option<usize>| {
            let raw = cell(i).unwrap_or_default();
            if header.html {
                html::to_markdown(raw)
            } else {
                raw.to_string()
            }
        };
        let mut note_tags: Vec<String> = Vec::new();
        let row_tags = cell(tags).unwrap_or_default().split_whitespace();
        for tag in row_tags.chain(header.tags.iter().map(String::as_str)) {
            if !note_tags.iter().any(|t| t == tag) {
                note_tags.push(tag.to_string());
            }
        }
        Note {
            front: field(front),
            back: field(back),
            tags: note_tags,
            deck: cell(header.deck_column).or(header.deck.as_deref()),
            notetype: cell(header.notetype_column).or(header.notetype.as_deref()),
            guid: cell(header.guid_column),
        }
    }
}

/// One row, read.
#[derive(Debug)]
struct Note<'r> {
    front: String,
    back: String,
    tags: Vec<String>,
    deck: Option<&'r str>,
    notetype: Option<&'r str>,
    guid: Option<&'r str>,
}

/// The question a note becomes (its id is set later), or why it cannot be one.
fn note_to_question(note: &Note, source: &Source) -> Result<Question, String> {
    let notetype = note.notetype.unwrap_or_default().to_lowercase();
    let default_explanation = || format!("Imported from {}.", source.file_name);
    let (prompt, kind, explanation) =
        if notetype.contains("cloze") || find_cloze(&note.front, 0).is_some() {
            if note.front.is_empty() {
                return Err("empty cloze text".to_string());
            }
            let text = convert_cloze(&note.front)?;
            let blanks = match cloze_parts(&text) {
                Ok(parts) => parts
                    .iter()
                    .filter(|p| matches!(p, ClozePart::Blank(_)))
                    .count(),
                Err(problem) => return Err(format!("cloze text: {problem}")),
            };
            let prompt = match blanks {
                0 => return Err("cloze text has no {{c1::...}} deletion".to_string()),
                1 => "Fill in the blank.",
                _ => "Fill in the blanks.",
            };
            let explanation = if note.back.is_empty() {
                default_explanation()
            } else {
                note.back.clone()
            };
            (
                prompt.to_string(),
                QuestionKind::Cloze { text },
                explanation,
            )
        } else {
            if note.front.is_empty() {
                return Err("empty front".to_string());
            }
            if note.back.is_empty() {
                return Err("empty back".to_string());
            }
            let kind = if notetype.contains("type in") {
                QuestionKind::TypedAnswer {
                    accepted: vec![strip_emphasis(&note.back).to_string()],
                }
            } else {
                QuestionKind::Flashcard {
                    answer: note.back.clone(),
                }
            };
            (note.front.clone(), kind, default_explanation())
        };
    Ok(Question {
        id: String::new(),
        topic: topic(note.deck, source.title),
        prompt,
        kind,
        explanation,
        tags: note.tags.clone(),
        source: None,
    })
}

/// The topic for an Anki deck name: its last part (`Top::Sub` → `Sub`), or
/// the deck title when the row names no deck (or only a deck id).
fn topic(deck: Option<&str>, title: &str) -> String {
    deck.filter(|d| !d.chars().all(|c| c.is_ascii_digit()))
        .and_then(|d| d.rsplit("::").next())
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .unwrap_or(title.trim())
        .to_string()
}

/// Where the next Anki cloze deletion `{{c<n>::` at or after `from` starts,
/// and where its content starts.
fn find_cloze(text: &str, from: usize) -> Option<(usize, usize)> {
    let mut at = from;
    while let Some(found) = text[at..].find("{{c") {
        let start = at + found;
        let after = &text[start + 3..];
        let digits = after.bytes().take_while(u8::is_ascii_digit).count();
        if digits > 0 && after[digits..].starts_with("::") {
            return Some((start, start + 3 + digits + 2));
        }
        at = start + 3;
    }
    None
}

/// Anki's `{{c1::answer}}` and `{{c1::answer::hint}}` as Recall's
/// `{{answer}}`; nested deletions keep only their answers.
fn convert_cloze(text: &str) -> Result<String, String> {
    rewrite_clozes(text, true)
}

fn rewrite_clozes(text: &str, as_blank: bool) -> Result<String, String> {
    let mut out = String::new();
    let mut rest = 0;
    while let Some((start, content)) = find_cloze(text, rest) {
        out.push_str(&text[rest..start]);
        let Some(len) = matching_close(&text[content..]) else {
            return Err("a cloze deletion opened with {{c..:: is never closed".to_string());
        };
        let inner = &text[content..content + len];
        let answer = rewrite_clozes(&inner[..top_level_hint(inner)], false)?;
        let answer = strip_emphasis(answer.trim());
        if answer.is_empty() {
            return Err("a cloze deletion has no answer".to_string());
        }
        if as_blank {
            out.push_str("{{");
            out.push_str(answer);
            out.push_str("}}");
        } else {
            out.push_str(answer);
        }
        rest = content + len + 2;
    }
    out.push_str(&text[rest..]);
    Ok(out)
}

/// The length of a deletion's content: up to the `}}` that closes it,
/// skipping nested `{{...}}`.
fn matching_close(content: &str) -> Option<usize> {
    let bytes = content.as_bytes();
    let mut depth = 0usize;
    let mut i = 0;
    while i + 1 < bytes.len() {
        match &bytes[i..i + 2] {
            b"{{" => {
                depth += 1;
                i += 2;
            }
            b"}}" if depth == 0 => return Some(i),
            b"}}" => {
                depth -= 1;
                i += 2;
            }
            _ => i += 1,
        }
    }
    None
}

/// Where a deletion's answer ends: at its `::hint`, or the whole content.
fn top_level_hint(content: &str) -> usize {
    let bytes = content.as_bytes();
    let mut depth = 0usize;
    let mut i = 0;
    while i + 1 < bytes.len() {
        match &bytes[i..i + 2] {
            b"{{" => depth += 1,
            b"}}" => depth = depth.saturating_sub(1),
            b"::" if depth == 0 => return i,
            _ => {
                i += 1;
                continue;
            }
        }
        i += 2;
    }
    content.len()
}

/// An answer the learner types, without the emphasis that wraps it
/// (`**hablar**` → `hablar`): nobody types the markdown.
fn strip_emphasis(text: &str) -> &str {
    let mut text = text.trim();
    loop {
        let inner = ["**", "*", "`"].iter().find_map(|mark| {
            text.strip_prefix(mark)
                .and_then(|t| t.strip_suffix(mark))
                .filter(|t| !t.trim().is_empty())
        });
        match inner {
            Some(inner) => text = inner.trim(),
            None => return text,
        }
    }
}

/// Question ids within one file, unique and stable across re-imports.
#[derive(Debug, Default)]
struct Ids {
    taken: HashSet<String>,
}

impl Ids {
    /// The id for a note: from its Anki guid when it has one, otherwise from
    /// a hash of its front; `-2`, `-3`, ... when already taken in this file.
    fn assign(&mut self, guid: Option<&str>, front: &str) -> String {
        let base = match guid {
            Some(guid) if is_valid_id(guid) => guid.to_string(),
            Some(guid) => format!("g-{}", slug(guid, "note")),
            None => format!("q-{:08x}", fnv1a(front)),
        };
        let mut id = base.clone();
        let mut n = 1;
        while self.taken.contains(&id) {
            n += 1;
            id = format!("{base}-{n}");
        }
        self.taken.insert(id.clone());
        id
    }
}

/// Whether Recall accepts `id` as a question id as it is.
fn is_valid_id(id: &str) -> bool {
    !id.is_empty() && !id.contains('/') && !id.chars().any(char::is_whitespace)
}

/// The 32-bit FNV-1a hash: small, and the same on every platform and release.
fn fnv1a(text: &str) -> u32 {
    text.bytes().fold(0x811c_9dc5, |hash, byte| {
        (hash ^ u32::from(byte)).wrapping_mul(0x0100_0193)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn source(extension: Option<&'static str>) -> Source<'static> {
        Source {
            file_name: "cards.txt",
            extension,
            deck_id: "cards",
            title: "Cards",
        }
    }

    fn read(text: &str) -> Result<Imported, String> {
        parse(text, &source(Some("txt")))
    }

    fn questions(text: &str) -> Vec<Question> {
        match read(text) {
            Ok(imported) => imported
                .decks
                .into_iter()
                .flat_map(|d| d.questions)
                .collect(),
            Err(e) => panic!("{e}"),
        }
    }

    fn kinds(text: &str) -> Vec<QuestionKind> {
        questions(text).into_iter().map(|q| q.kind).collect()
    }

    #[test]
    fn fnv1a_matches_the_published_test_vectors() {
        assert_eq!(fnv1a(""), 0x811c_9dc5);
        assert_eq!(fnv1a("a"), 0xe40c_292c);
        assert_eq!(fnv1a("foobar"), 0xbf9c_f968);
    }

    #[test]
    fn ids_come_from_the_guid_or_the_front() {
        let mut ids = Ids::default();
        assert_eq!(ids.assign(Some("Ab3xY{9"), "x"), "Ab3xY{9");
        assert_eq!(ids.assign(Some("Ab3/xY{9"), "x"), "g-ab3-xy-9");
        assert_eq!(ids.assign(Some("ab3 xy 9"), "x"), "g-ab3-xy-9-2");
        assert_eq!(ids.assign(None, "a"), "q-e40c292c");
        assert_eq!(ids.assign(None, "a"), "q-e40c292c-2");
        assert_eq!(ids.assign(None, "a"), "q-e40c292c-3");
        assert_eq!(ids.assign(Some("/"), "a"), "g-note");
    }

    #[test]
    fn separator_follows_the_extension_then_the_lines() {
        assert_eq!(sniff_separator("a,b\tc\n", Some("csv")), b',');
        assert_eq!(sniff_separator("a,b\tc\n", Some("tsv")), b'\t');
        assert_eq!(sniff_separator("a;b\nc;d\n", Some("csv")), b';');
        assert_eq!(sniff_separator("a;b, c\nd;e\n", None), b';');
        assert_eq!(sniff_separator("\"a;b\",c\n\"d;e\",f\n", None), b',');
        assert_eq!(sniff_separator("a\tb\n", Some("csv")), b'\t');
        assert_eq!(sniff_separator("nothing here\n", Some("csv")), b',');
        assert_eq!(sniff_separator("nothing here\n", None), b'\t');
    }

    #[test]
    fn plain_rows_become_flashcards_with_tags() {
        let qs = questions("front\tback\nsine\tsin\ttrig  calculus\n");
        assert_eq!(qs.len(), 1);
        assert_eq!(qs[0].id, format!("q-{:08x}", fnv1a("sine")));
        assert_eq!(qs[0].topic, "Cards");
        assert_eq!(qs[0].prompt, "sine");
        assert_eq!(
            qs[0].kind,
            QuestionKind::Flashcard {
                answer: "sin".into()
            }
        );
        assert_eq!(qs[0].tags, ["trig", "calculus"]);
        assert_eq!(qs[0].explanation, "Imported from cards.txt.");
    }

    #[test]
    fn column_names_are_skipped_only_in_the_first_row() {
        let qs = questions("Question\tAnswer\nfront\tback\n");
        assert_eq!(qs.len(), 1);
        assert_eq!(qs[0].prompt, "front");
        let only = read("FRONT\tBACK\n").map(|_| ()).unwrap_err();
        assert_eq!(only, "has only a header row, no cards");
    }

    #[test]
    fn a_hash_line_is_data_in_a_plain_file_and_a_comment_in_an_anki_one() {
        assert_eq!(questions("#1\tone\n")[0].prompt, "#1");
        let qs = questions("#separator:tab\n#1\tone\n\"#2\"\ttwo\n");
        assert_eq!(qs.len(), 1);
        assert_eq!(qs[0].prompt, "#2");
    }

    #[test]
    fn anki_header_names_separator_html_deck_notetype_and_tags() {
        let text = "#separator:Pipe\n#html:TRUE\n#deck:Physics::Mechanics\n#notetype:Basic (type in the answer)\n#tags:physics  imported\n#tags column:3\nUnit of <b>force</b>?|<i>newton</i>|units physics\n";
        let qs = questions(text);
        assert_eq!(qs.len(), 1);
        assert_eq!(qs[0].prompt, "Unit of **force**?");
        assert_eq!(
            qs[0].kind,
            QuestionKind::TypedAnswer {
                accepted: vec!["newton".into()]
            }
        );
        assert_eq!(qs[0].topic, "Mechanics");
        assert_eq!(qs[0].tags, ["units", "physics", "imported"]);
    }

    #[test]
    fn any_single_character_can_separate() {
        let qs = questions("#separator:!\nfront!back\n");
        assert_eq!(
            qs[0].kind,
            QuestionKind::Flashcard {
                answer: "back".into()
            }
        );
        let qs = questions("#separator: \nfront back\n");
        assert_eq!(qs[0].prompt, "front");
    }

    #[test]
    fn legacy_tags_line_and_unknown_comments_in_a_header() {
        let qs = questions("tags:old new\n#separator:comma\n#exported by hand\na,b\n");
        assert_eq!(qs[0].tags, ["old", "new"]);
        assert_eq!(qs[0].prompt, "a");
    }

    #[test]
    fn column_names_pick_the_fields_and_tags() {
        let text = "#separator:comma\n#columns:Tags,Back,Front\nt1 t2,answer,question\n";
        let qs = questions(text);
        assert_eq!(qs[0].prompt, "question");
        assert_eq!(
            qs[0].kind,
            QuestionKind::Flashcard {
                answer: "answer".into()
            }
        );
        assert_eq!(qs[0].tags, ["t1", "t2"]);
    }

    #[test]
    fn anki_deck_names_give_topics() {
        assert_eq!(topic(Some("Top::Sub"), "Title"), "Sub");
        assert_eq!(topic(Some("Top"), "Title"), "Top");
        assert_eq!(topic(Some("Top::"), "Title"), "Title");
        assert_eq!(topic(Some("1712345678"), "Title"), "Title");
        assert_eq!(topic(None, "Title"), "Title");
    }

    #[test]
    fn anki_clozes_become_recall_blanks() {
        assert_eq!(
            convert_cloze("{{c1::Madrid}} is in {{c2::Spain::country}}"),
            Ok("{{Madrid}} is in {{Spain}}".to_string())
        );
        assert_eq!(
            convert_cloze("{{c1::outer {{c2::inner::hint}} part}} end"),
            Ok("{{outer inner part}} end".to_string())
        );
        assert_eq!(
            convert_cloze("a {{c10::**bold**}}"),
            Ok("a {{bold}}".to_string())
        );
        assert_eq!(convert_cloze("no deletion"), Ok("no deletion".to_string()));
        assert!(convert_cloze("{{c1::open").is_err());
        assert!(convert_cloze("{{c1::  ::hint}}").is_err());
    }

    #[test]
    fn cloze_notes_use_their_extra_as_explanation() {
        let qs = questions("#notetype:Cloze\n{{c1::Paris}} is in France\tCapital since 987\n");
        assert_eq!(
            qs[0].kind,
            QuestionKind::Cloze {
                text: "{{Paris}} is in France".into()
            }
        );
        assert_eq!(qs[0].prompt, "Fill in the blank.");
        assert_eq!(qs[0].explanation, "Capital since 987");
        // A deletion marks a cloze even without a note type.
        let qs = questions("{{c1::a}} and {{c2::b}}\t\n");
        assert_eq!(qs[0].prompt, "Fill in the blanks.");
        assert_eq!(qs[0].explanation, "Imported from cards.txt.");
    }

    #[test]
    fn rows_that_cannot_be_questions_are_skipped_with_the_reason() {
        let text = "#separator:tab\n#notetype column:1\nBasic\t\tb\nBasic\ta\t\nCloze\tno blank\nCloze\t{{c1::x}} {{y\nBasic\tok\tfine\n";
        let imported = read(text).unwrap();
        assert_eq!(
            imported.skipped,
            [
                "line 3: empty front",
                "line 4: empty back",
                "line 5: cloze text has no {{c1::...}} deletion",
                "line 6: cloze text: a blank opened with {{ is never closed",
            ]
        );
        assert_eq!(imported.decks[0].questions.len(), 1);
    }

    #[test]
    fn kinds_follow_the_note_type() {
        let text = "#separator:comma\n#notetype column:1\nBasic,a,b\nBasic (type in the answer),c,d\nCloze,{{c1::e}},\nMy cloze,{{c1::f}}\n";
        assert_eq!(
            kinds(text),
            [
                QuestionKind::Flashcard { answer: "b".into() },
                QuestionKind::TypedAnswer {
                    accepted: vec!["d".into()]
                },
                QuestionKind::Cloze {
                    text: "{{e}}".into()
                },
                QuestionKind::Cloze {
                    text: "{{f}}".into()
                },
            ]
        );
    }

    #[test]
    fn bad_headers_and_files_fail_clearly() {
        let err = |text: &str| read(text).map(|_| ()).unwrap_err();
        assert_eq!(err(""), "the file is empty");
        assert_eq!(err("  \n\n"), "the file is empty");
        assert_eq!(
            err("#separator:tab\n#html:true\n"),
            "has only header lines, no notes"
        );
        assert_eq!(
            err("#separator:tab\n#html:true\n\n#a comment\n"),
            "has only header lines and comments, no notes"
        );
        assert_eq!(
            err("#html:maybe\na\tb\n"),
            "line 1: #html must be true or false, not \"maybe\""
        );
        assert_eq!(
            err("#separator:tab\n#separator:dash\na\tb\n"),
            "line 2: unknown separator \"dash\"; use tab, comma, semicolon, pipe, space, colon or a single character"
        );
        assert_eq!(
            err("#tags column:0\na\tb\n"),
            "line 1: #tags column needs a column number from 1, not \"0\""
        );
        assert_eq!(
            err("just one column\nand another\n"),
            "no row has two columns; separate front and back with a tab, comma or semicolon"
        );
        assert_eq!(
            err("a\t\nb\t\nc\t\nd\t\n"),
            "no usable row (line 1: empty back; line 2: empty back; line 3: empty back and 1 more)"
        );
    }

    #[test]
    fn the_callers_deck_id_and_title_are_checked() {
        let with = |deck_id, title| {
            let source = Source {
                deck_id,
                title,
                ..source(None)
            };
            parse("a\tb\n", &source).map(|i| i.decks[0].id.clone())
        };
        assert_eq!(with("my-deck", "Mine"), Ok("my-deck".to_string()));
        assert!(with("my deck", "Mine").is_err());
        assert!(with("my/deck", "Mine").is_err());
        assert_eq!(with("d", " "), Err("the deck title is empty".to_string()));
    }

    #[test]
    fn text_encodings() {
        assert_eq!(decode(b"\xEF\xBB\xBFa,b"), Ok("a,b".to_string()));
        assert_eq!(decode(b"\xFF\xFEa\0,\0b\0"), Ok("a,b".to_string()));
        assert_eq!(decode(b"\xFE\xFF\0a\0,\0b"), Ok("a,b".to_string()));
        assert_eq!(
            decode(b"ok\nok\nbad \xE9t\xE9\n"),
            Err("line 3 is not UTF-8 text; save the file as UTF-8 and import it again".to_string())
        );
        assert_eq!(
            decode(b"a\0b"),
            Err("is not a text file (it contains binary data)".to_string())
        );
        assert!(decode(b"PK\x03\x04rest").is_err_and(|e| e.contains("zip archive")));
    }

    #[test]
    fn emphasis_is_stripped_from_typed_answers() {
        assert_eq!(strip_emphasis(" **`hablar`** "), "hablar");
        assert_eq!(strip_emphasis("2*3*4"), "2*3*4");
        assert_eq!(strip_emphasis("**"), "**");
    }
}
