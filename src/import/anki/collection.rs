//! Reads the parts of an Anki collection Recall uses from its SQLite file,
//! whichever schema wrote it: 11 (note types and decks as JSON in the `col`
//! row) or 18 (`notetypes`, `fields`, `templates` and `decks` tables whose
//! settings are protobuf blobs). Everything else is left unread.

use std::collections::HashMap;
use std::path::Path;

use rusqlite::Connection;
use serde::Deserialize;

use super::protobuf::Message;

const NOTES: &str = "SELECT id, mid, tags, flds FROM notes ORDER BY id";
/// A card in a filtered deck keeps its home deck in `odid`.
const CARDS: &str = "SELECT id, nid, CASE WHEN odid != 0 THEN odid ELSE did END, ord
     FROM cards ORDER BY nid, ord, id";
const REVLOG: &str = "SELECT id, cid, ease, type, time FROM revlog ORDER BY id";
const LEGACY_MODELS_AND_DECKS: &str = "SELECT models, decks FROM col";
const NOTETYPES: &str = "SELECT id, name, config FROM notetypes";
const FIELDS: &str = "SELECT ntid, name FROM fields ORDER BY ntid, ord";
const TEMPLATES: &str = "SELECT ntid, config FROM templates ORDER BY ntid, ord";
const DECKS: &str = "SELECT id, name FROM decks";
const HAS_NOTETYPES_TABLE: &str =
    "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'notetypes'";

/// Note types by id.
pub(super) type Notetypes = HashMap<i64, Notetype>;

/// Full deck names (`Parent::Child`) by id.
pub(super) type DeckNames = HashMap<i64, String>;

/// What Recall reads from a collection.
#[derive(Debug)]
pub(super) struct Collection {
    /// Note types by id.
    pub notetypes: Notetypes,
    /// Full deck names (`Parent::Child`) by id.
    pub decks: DeckNames,
    /// Notes, oldest first.
    pub notes: Vec<Note>,
    /// Cards, grouped by note and in template order.
    pub cards: Vec<Card>,
    /// The review log, oldest first.
    pub revlog: Vec<RevlogEntry>,
}

/// A note type: its fields and card templates.
#[derive(Debug)]
pub(super) struct Notetype {
    /// The name the user gave it.
    pub name: String,
    /// A cloze note type: one card per deletion, from one template.
    pub cloze: bool,
    /// Field names, in field order.
    pub fields: Vec<String>,
    /// Card templates, in order; a card's `ord` indexes them.
    pub templates: Vec<Template>,
}

/// One card template's two sides.
#[derive(Debug)]
pub(super) struct Template {
    /// The front's format (`{{Front}}`).
    pub question: String,
    /// The back's format (`{{FrontSide}}<hr id=answer>{{Back}}`).
    pub answer: String,
}

/// A note: its note type, tags and field values.
#[derive(Debug)]
pub(super) struct Note {
    /// The note's id, its creation time in ms.
    pub id: i64,
    /// The note type's id.
    pub notetype: i64,
    /// Its tags.
    pub tags: Vec<String>,
    /// Field values (HTML), in field order.
    pub fields: Vec<String>,
}

/// A card: which note and template it shows, and its deck.
#[derive(Debug)]
pub(super) struct Card {
    /// The card's id.
    pub id: i64,
    /// The note's id.
    pub note: i64,
    /// The card's home deck.
    pub deck: i64,
    /// The template (or, for cloze, the deletion number minus one).
    pub ord: i64,
}

/// One row of the review log.
#[derive(Debug)]
pub(super) struct RevlogEntry {
    /// When the card was answered, in ms since the epoch.
    pub at: i64,
    /// The card's id.
    pub card: i64,
    /// The button: 1–4, or 0 for a manual change.
    pub ease: i64,
    /// 0 learn, 1 review, 2 relearn, 3 filtered, 4 manual, 5 rescheduled.
    pub kind: i64,
    /// How long the answer took, in ms.
    pub duration_ms: i64,
}

impl Collection {
    /// Reads the collection in the SQLite file at `path` (a temporary copy
    /// of the package's), read-only.
    pub(super) fn read(path: &Path) -> Result<Collection, String> {
        let sql = |e: rusqlite::Error| e.to_string();
        let conn = Connection::open_with_flags(path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .map_err(sql)?;
        // Schema 18 declares names `COLLATE unicase`, Anki's own collation, and
        // SQLite refuses to read those tables without it: a case-insensitive
        // comparison like Anki's.
        conn.create_collation("unicase", |a, b| {
            a.chars()
                .flat_map(char::to_lowercase)
                .cmp(b.chars().flat_map(char::to_lowercase))
        })
        .map_err(sql)?;
        Collection::from_connection(&conn).map_err(|e| match e {
            Problem::Sql(e) => e.to_string(),
            Problem::Data(message) => message,
        })
    }

    fn from_connection(conn: &Connection) -> Result<Collection, Problem> {
        let schema18: i64 = conn.query_row(HAS_NOTETYPES_TABLE, [], |r| r.get(0))?;
        let (notetypes, decks) = if schema18 > 0 {
            (notetypes(conn)?, decks(conn)?)
        } else {
            legacy_notetypes_and_decks(conn)?
        };
        let notes = conn
            .prepare(NOTES)?
            .query_map([], |r| {
                Ok(Note {
                    id: r.get(0)?,
                    notetype: r.get(1)?,
                    tags: r
                        .get::<_, String>(2)?
                        .split_whitespace()
                        .map(str::to_string)
                        .collect(),
                    fields: r
                        .get::<_, String>(3)?
                        .split('\x1f')
                        .map(str::to_string)
                        .collect(),
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        let cards = conn
            .prepare(CARDS)?
            .query_map([], |r| {
                Ok(Card {
                    id: r.get(0)?,
                    note: r.get(1)?,
                    deck: r.get(2)?,
                    ord: r.get(3)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        let revlog = conn
            .prepare(REVLOG)?
            .query_map([], |r| {
                Ok(RevlogEntry {
                    at: r.get(0)?,
                    card: r.get(1)?,
                    ease: r.get(2)?,
                    kind: r.get(3)?,
                    duration_ms: r.get(4)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(Collection {
            notetypes,
            decks,
            notes,
            cards,
            revlog,
        })
    }
}

/// Why reading failed: SQLite refused, or a value made no sense.
enum Problem {
    Sql(rusqlite::Error),
    Data(String),
}

impl From<rusqlite::Error> for Problem {
    fn from(e: rusqlite::Error) -> Self {
        Problem::Sql(e)
    }
}

/// Schema 18: `notetypes` rows with their `fields` and `templates`.
fn notetypes(conn: &Connection) -> Result<Notetypes, Problem> {
    let mut notetypes = HashMap::new();
    let mut stmt = conn.prepare(NOTETYPES)?;
    let mut rows = stmt.query([])?;
    while let Some(row) = rows.next()? {
        let name: String = row.get(1)?;
        let config: Vec<u8> = row.get(2)?;
        let config = Message::decode(&config).map_err(|e| {
            Problem::Data(format!(
                "the note type \"{name}\" has unreadable settings ({e})"
            ))
        })?;
        // Field 1 is the kind: 0 normal, 1 cloze.
        let cloze = config.varint(1) == 1;
        notetypes.insert(
            row.get(0)?,
            Notetype {
                name,
                cloze,
                fields: Vec::new(),
                templates: Vec::new(),
            },
        );
    }
    let mut stmt = conn.prepare(FIELDS)?;
    let mut rows = stmt.query([])?;
    while let Some(row) = rows.next()? {
        if let Some(notetype) = notetypes.get_mut(&row.get(0)?) {
            notetype.fields.push(row.get(1)?);
        }
    }
    let mut stmt = conn.prepare(TEMPLATES)?;
    let mut rows = stmt.query([])?;
    while let Some(row) = rows.next()? {
        let Some(notetype) = notetypes.get_mut(&row.get(0)?) else {
            continue;
        };
        let config: Vec<u8> = row.get(1)?;
        let config = Message::decode(&config).map_err(|e| {
            Problem::Data(format!(
                "a card template of \"{}\" has unreadable settings ({e})",
                notetype.name
            ))
        })?;
        // Fields 1 and 2 are the question and answer formats.
        notetype.templates.push(Template {
            question: config.string(1),
            answer: config.string(2),
        });
    }
    Ok(notetypes)
}

/// Schema 18 deck names separate levels with 0x1f where Anki shows `::`.
fn decks(conn: &Connection) -> Result<DeckNames, Problem> {
    let mut stmt = conn.prepare(DECKS)?;
    let rows = stmt.query_map([], |r| {
        Ok((r.get(0)?, r.get::<_, String>(1)?.replace('\x1f', "::")))
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

#[derive(Deserialize)]
struct LegacyNotetype {
    name: String,
    /// 0 normal, 1 cloze.
    #[serde(rename = "type", default)]
    kind: i64,
    flds: Vec<LegacyField>,
    tmpls: Vec<LegacyTemplate>,
}

#[derive(Deserialize)]
struct LegacyField {
    name: String,
}

#[derive(Deserialize)]
struct LegacyTemplate {
    qfmt: String,
    afmt: String,
}

#[derive(Deserialize)]
struct LegacyDeck {
    name: String,
}

/// Schema 11: note types and decks are JSON objects keyed by id in `col`.
fn legacy_notetypes_and_decks(conn: &Connection) -> Result<(Notetypes, DeckNames), Problem> {
    let (models, decks): (String, String) =
        conn.query_row(LEGACY_MODELS_AND_DECKS, [], |r| Ok((r.get(0)?, r.get(1)?)))?;
    let models: HashMap<String, LegacyNotetype> = serde_json::from_str(&models)
        .map_err(|e| Problem::Data(format!("the note types are unreadable ({e})")))?;
    let decks: HashMap<String, LegacyDeck> = serde_json::from_str(&decks)
        .map_err(|e| Problem::Data(format!("the decks are unreadable ({e})")))?;
    let id = |key: &str| {
        key.parse::<i64>()
            .map_err(|_| Problem::Data(format!("\"{key}\" is not an id")))
    };
    let notetypes = models
        .into_iter()
        .map(|(key, m)| {
            let notetype = Notetype {
                name: m.name,
                cloze: m.kind == 1,
                fields: m.flds.into_iter().map(|f| f.name).collect(),
                templates: m
                    .tmpls
                    .into_iter()
                    .map(|t| Template {
                        question: t.qfmt,
                        answer: t.afmt,
                    })
                    .collect(),
            };
            Ok((id(&key)?, notetype))
        })
        .collect::<Result<_, Problem>>()?;
    let decks = decks
        .into_iter()
        .map(|(key, d)| Ok((id(&key)?, d.name)))
        .collect::<Result<_, Problem>>()?;
    Ok((notetypes, decks))
}
