//! Anki packages (`.apkg`): a zip holding a collection (an SQLite database)
//! and media files. [`read_apkg`] reads the collection — current Anki's
//! zstd-compressed `collection.anki21b` when present, else the plain
//! `collection.anki21` or `collection.anki2` of older ones — and makes one
//! Recall deck per top-level Anki deck, with subdecks as topics, plus the
//! review history. Media is counted, not imported.

mod collection;
mod protobuf;
mod template;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fs::File;
use std::io::{Read, Write};
use std::path::Path;

use super::{ImportError, Imported, slug};
use crate::clock::Timestamp;
use crate::grade::{ClozePart, cloze_parts};
use crate::model::{CardKey, Category, Deck, Question, QuestionKind, Rating};
use crate::store::Review;
use collection::{Card, Collection, Note, Notetype};
use template::Reference;

/// The collection files a package may hold, best first. Current Anki writes
/// `collection.anki21b` and adds a `collection.anki2` whose only note asks
/// the user to update Anki, so the order matters.
const COLLECTIONS: [&str; 3] = [
    "collection.anki21b",
    "collection.anki21",
    "collection.anki2",
];

/// The prompt of every imported cloze question; the blanks carry the content.
const CLOZE_PROMPT: &str = "Fill in the blanks.";

/// Reads an Anki package: its decks, as Recall decks of category
/// [`Category::Custom`], and its review history. What cannot be imported
/// (media, unsupported note types, empty cards, manual reschedules) is listed
/// in [`Imported::skipped`]. Reading the same file twice gives the same
/// result, question ids included (`n<note id>` for a cloze note,
/// `n<note id>-c<card ord>` for a card of any other note).
pub fn read_apkg(path: &Path) -> Result<Imported, ImportError> {
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string());
    let not_a_package =
        |why: String| ImportError::Format(format!("{file_name} is not an Anki package: {why}"));
    let mut zip = zip::ZipArchive::new(File::open(path)?)
        .map_err(|e| not_a_package(format!("it is not a zip archive ({e})")))?;
    let media = zip
        .file_names()
        .filter(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
        .count();
    let Some(entry) = COLLECTIONS
        .into_iter()
        .find(|name| zip.index_for_name(name).is_some())
    else {
        return Err(not_a_package(format!(
            "it holds no Anki collection ({})",
            COLLECTIONS.join(", ")
        )));
    };
    let unreadable = |why: String| {
        ImportError::Format(format!(
            "{file_name}: the Anki collection inside ({entry}) cannot be read: {why}"
        ))
    };
    let mut bytes = Vec::new();
    zip.by_name(entry)
        .and_then(|mut f| Ok(f.read_to_end(&mut bytes)?))
        .map_err(|e| unreadable(e.to_string()))?;
    if entry.ends_with(".anki21b") {
        bytes = unzstd(&bytes).map_err(unreadable)?;
    }
    let mut db = tempfile::NamedTempFile::new()?;
    db.write_all(&bytes)?;
    db.flush()?;
    let collection = Collection::read(db.path()).map_err(unreadable)?;
    let mut imported = convert(&collection, &file_name);
    if media > 0 {
        imported.skipped.push(format!(
            "{} skipped",
            count(media, "media file", "media files")
        ));
    }
    Ok(imported)
}

/// Decompresses zstd data, which may hold several frames.
fn unzstd(mut input: &[u8]) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    while !input.is_empty() {
        let mut frame = ruzstd::decoding::StreamingDecoder::new(&mut input)
            .map_err(|e| format!("not valid zstd data ({e})"))?;
        frame
            .read_to_end(&mut out)
            .map_err(|e| format!("not valid zstd data ({e})"))?;
    }
    Ok(out)
}

/// `n` and the noun, singular or plural: "1 media file", "3 media files".
fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// One question made from a note, with its Anki deck and the cards it stands for.
struct Mapped {
    question: Question,
    deck: i64,
    cards: Vec<i64>,
}

/// Builds the decks and review history from a read collection.
fn convert(col: &Collection, file_name: &str) -> Imported {
    let mut cards_of: HashMap<i64, Vec<&Card>> = HashMap::new();
    for card in &col.cards {
        cards_of.entry(card.note).or_default().push(card);
    }
    let deck_name = |id: i64| col.decks.get(&id).map_or("Default", String::as_str);
    let mut skipped = Vec::new();
    // Note types Recall cannot map: name → (reason, notes skipped).
    let mut unsupported: BTreeMap<&str, (&str, usize)> = BTreeMap::new();
    // Top-level deck, ordered as Anki lists them → its questions.
    let mut groups: BTreeMap<(String, String), Vec<Question>> = BTreeMap::new();
    // Card id → (top-level deck, question id, kind name), for the review log.
    let mut targets: HashMap<i64, (String, String, &'static str)> = HashMap::new();
    for note in &col.notes {
        let Some(cards) = cards_of.get(&note.id) else {
            continue;
        };
        let Some(notetype) = col.notetypes.get(&note.notetype) else {
            skipped.push(format!("note {}: its note type is missing", note.id));
            continue;
        };
        if let Some(reason) = unsupported_reason(notetype) {
            unsupported.entry(&notetype.name).or_insert((reason, 0)).1 += 1;
            continue;
        }
        let mapped = if notetype.cloze {
            vec![cloze_question(note, notetype, cards, &deck_name)]
        } else {
            cards
                .iter()
                .map(|card| card_question(note, notetype, card, &deck_name))
                .collect()
        };
        for result in mapped {
            match result {
                Ok(Mapped {
                    question,
                    deck,
                    cards,
                }) => {
                    let (top, _) = split_deck(deck_name(deck));
                    for card in cards {
                        targets.insert(
                            card,
                            (top.to_string(), question.id.clone(), question.kind.name()),
                        );
                    }
                    groups
                        .entry((top.to_lowercase(), top.to_string()))
                        .or_default()
                        .push(question);
                }
                Err(reason) => skipped.push(reason),
            }
        }
    }
    for (name, (reason, notes)) in unsupported {
        skipped.push(format!(
            "note type \"{name}\": {} skipped, {reason}",
            count(notes, "note", "notes")
        ));
    }

    let mut deck_ids: HashMap<String, String> = HashMap::new();
    let mut used = HashSet::new();
    let decks = groups
        .into_iter()
        .map(|((_, title), questions)| {
            let base = slug(&title, "anki-deck");
            let mut id = base.clone();
            for n in 2.. {
                if used.insert(id.clone()) {
                    break;
                }
                id = format!("{base}-{n}");
            }
            deck_ids.insert(title.clone(), id.clone());
            Deck {
                id,
                title,
                category: Category::Custom,
                description: format!("Imported from {file_name}"),
                questions,
            }
        })
        .collect();

    let (mut manual, mut orphaned) = (0, 0);
    let mut reviews = Vec::new();
    for entry in &col.revlog {
        let rating = u8::try_from(entry.ease).ok().and_then(Rating::from_number);
        // Types 4 (manual) and 5 (rescheduled) record a changed due date, not an answer.
        let Some(rating) = rating.filter(|_| entry.kind < 4) else {
            manual += 1;
            continue;
        };
        let Some((top, question, kind)) = targets.get(&entry.card) else {
            orphaned += 1;
            continue;
        };
        let Some(deck) = deck_ids.get(top) else {
            orphaned += 1;
            continue;
        };
        reviews.push(Review {
            key: CardKey::new(deck, question),
            reviewed_at: Timestamp(entry.at),
            rating,
            correct: rating != Rating::Again,
            duration_ms: entry.duration_ms.max(0),
            kind: kind.to_string(),
            session: None,
        });
    }
    if manual > 0 {
        skipped.push(format!(
            "{} skipped (manual due-date changes, not answers)",
            count(manual, "review log entry", "review log entries")
        ));
    }
    if orphaned > 0 {
        skipped.push(format!(
            "{} skipped (their cards were not imported)",
            count(orphaned, "review", "reviews")
        ));
    }
    Imported {
        decks,
        reviews,
        skipped,
    }
}

/// Why a whole note type cannot be imported, if it cannot.
fn unsupported_reason(notetype: &Notetype) -> Option<&'static str> {
    if notetype.cloze {
        if notetype
            .templates
            .iter()
            .any(|t| t.question.contains("image-occlusion"))
        {
            return Some("image occlusion is not supported");
        }
        if notetype.fields.is_empty() {
            return Some("it has no fields");
        }
    } else if notetype.fields.len() < 2 {
        return Some("it has fewer than 2 fields, so no separate question and answer");
    }
    None
}

/// The top-level deck and the topic: `A::B::C` → (`A`, `B::C`); a top-level
/// deck's own cards take its name as their topic.
fn split_deck(name: &str) -> (&str, &str) {
    name.split_once("::").unwrap_or((name, name))
}

/// Whether a field holds extra notes rather than the question or the answer.
fn is_extra(name: &str) -> bool {
    let name = name.trim();
    name.eq_ignore_ascii_case("extra") || name.eq_ignore_ascii_case("back extra")
}

/// The field's value as markdown ("" if the note lacks it).
fn field_markdown(note: &Note, index: usize) -> String {
    note.fields
        .get(index)
        .map(|html| template::markdown(html))
        .unwrap_or_default()
}

/// The note's Extra field when it has one with text, else where it came from.
fn explanation(note: &Note, notetype: &Notetype, deck: &str) -> String {
    notetype
        .fields
        .iter()
        .enumerate()
        .filter(|(_, name)| is_extra(name))
        .map(|(i, _)| field_markdown(note, i))
        .find(|text| !text.is_empty())
        .unwrap_or_else(|| format!("Imported from Anki (deck \"{deck}\")."))
}

/// The question parts every kind shares.
fn question(
    note: &Note,
    id: String,
    deck: &str,
    prompt: String,
    kind: QuestionKind,
    explanation: String,
) -> Question {
    Question {
        id,
        topic: split_deck(deck).1.to_string(),
        prompt,
        kind,
        explanation,
        tags: note.tags.clone(),
        source: None,
    }
}

/// A cloze note as one cloze question, whichever of its cards was reviewed.
fn cloze_question<'a>(
    note: &Note,
    notetype: &Notetype,
    cards: &[&Card],
    deck_name: &impl Fn(i64) -> &'a str,
) -> Result<Mapped, String> {
    let field = notetype
        .templates
        .iter()
        .flat_map(|t| template::references(&t.question))
        .find_map(|r| match r {
            Reference::Cloze(name) => notetype.fields.iter().position(|f| f == name),
            _ => None,
        })
        .unwrap_or(0);
    let text = template::cloze_to_blanks(&field_markdown(note, field));
    match cloze_parts(&text) {
        Err(problem) => return Err(format!("note {}: {problem}", note.id)),
        Ok(parts) if !parts.iter().any(|p| matches!(p, ClozePart::Blank(_))) => {
            return Err(format!("note {}: no cloze deletion", note.id));
        }
        Ok(_) => {}
    }
    // Cards come in template order; the first one's deck is the note's (and
    // a note always has a card, else 1, Anki's Default deck).
    let deck = cards.first().map_or(1, |c| c.deck);
    let name = deck_name(deck);
    Ok(Mapped {
        question: question(
            note,
            format!("n{}", note.id),
            name,
            CLOZE_PROMPT.to_string(),
            QuestionKind::Cloze { text },
            explanation(note, notetype, name),
        ),
        deck,
        cards: cards.iter().map(|c| c.id).collect(),
    })
}

/// One card of a standard note: a flashcard showing the fields on the
/// template's front and answering with those only its back adds, or a
/// typed-answer question when the front has `{{type:Field}}`.
fn card_question<'a>(
    note: &Note,
    notetype: &Notetype,
    card: &Card,
    deck_name: &impl Fn(i64) -> &'a str,
) -> Result<Mapped, String> {
    let label = if notetype.templates.len() > 1 {
        format!("note {} card {}", note.id, card.ord + 1)
    } else {
        format!("note {}", note.id)
    };
    let Some(tmpl) = usize::try_from(card.ord)
        .ok()
        .and_then(|ord| notetype.templates.get(ord))
    else {
        return Err(format!("{label}: its card template is missing"));
    };
    let field = |name: &str| {
        notetype
            .fields
            .iter()
            .position(|f| f == name)
            .filter(|&i| !is_extra(&notetype.fields[i]))
    };
    let mut front = Vec::new();
    let mut typed = None;
    for r in template::references(&tmpl.question) {
        match r {
            Reference::Show(name) => front.extend(field(name)),
            Reference::TypeIn(name) => typed = typed.or(field(name)),
            Reference::Cloze(_) => {}
        }
    }
    let render = |indexes: &[usize]| {
        let mut seen = HashSet::new();
        indexes
            .iter()
            .filter(|&&i| seen.insert(i))
            .map(|&i| field_markdown(note, i))
            .filter(|text| !text.is_empty())
            .collect::<Vec<_>>()
            .join("\n\n")
    };
    let prompt = render(&front);
    if prompt.is_empty() {
        return Err(format!("{label}: empty front"));
    }
    let kind = match typed {
        Some(i) => {
            let accepted = template::plain(&field_markdown(note, i));
            if accepted.is_empty() {
                return Err(format!("{label}: empty answer to type"));
            }
            QuestionKind::TypedAnswer {
                accepted: vec![accepted],
            }
        }
        None => {
            let back: Vec<usize> = template::references(&tmpl.answer)
                .into_iter()
                .filter_map(|r| match r {
                    Reference::Show(name) => field(name),
                    _ => None,
                })
                .filter(|i| !front.contains(i))
                .collect();
            let answer = render(&back);
            if answer.is_empty() {
                return Err(format!("{label}: empty back"));
            }
            QuestionKind::Flashcard { answer }
        }
    };
    let name = deck_name(card.deck);
    Ok(Mapped {
        question: question(
            note,
            format!("n{}-c{}", note.id, card.ord),
            name,
            prompt,
            kind,
            explanation(note, notetype, name),
        ),
        deck: card.deck,
        cards: vec![card.id],
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use collection::{RevlogEntry, Template};

    fn notetype(name: &str, cloze: bool, fields: &[&str], templates: &[(&str, &str)]) -> Notetype {
        Notetype {
            name: name.to_string(),
            cloze,
            fields: fields.iter().map(|f| f.to_string()).collect(),
            templates: templates
                .iter()
                .map(|(q, a)| Template {
                    question: q.to_string(),
                    answer: a.to_string(),
                })
                .collect(),
        }
    }

    fn note(id: i64, notetype: i64, fields: &[&str]) -> Note {
        Note {
            id,
            notetype,
            tags: vec!["t".to_string()],
            fields: fields.iter().map(|f| f.to_string()).collect(),
        }
    }

    fn card(id: i64, note: i64, deck: i64, ord: i64) -> Card {
        Card {
            id,
            note,
            deck,
            ord,
        }
    }

    /// A collection with a reversed note, a cloze note and a one-field note.
    fn sample() -> Collection {
        Collection {
            notetypes: HashMap::from([
                (
                    10,
                    notetype(
                        "Basic (and reversed card)",
                        false,
                        &["Front", "Back", "Extra"],
                        &[
                            (
                                "{{Front}}",
                                "{{FrontSide}}<hr id=answer>{{Back}}<br>{{Extra}}",
                            ),
                            ("{{Back}}", "{{FrontSide}}<hr id=answer>{{Front}}"),
                        ],
                    ),
                ),
                (
                    11,
                    notetype(
                        "Cloze",
                        true,
                        &["Text", "Back Extra"],
                        &[("{{cloze:Text}}", "{{cloze:Text}}<br>{{Back Extra}}")],
                    ),
                ),
                (
                    12,
                    notetype("Lone", false, &["Front"], &[("{{Front}}", "{{Front}}")]),
                ),
            ]),
            decks: HashMap::from([
                (1, "Default".to_string()),
                (2, "Lang".to_string()),
                (3, "Lang::Verbs::Irregular".to_string()),
            ]),
            notes: vec![
                note(100, 10, &["<b>uno</b>", "one", "a numeral"]),
                note(101, 11, &["{{c1::dos}} y {{c2::tres::number}}", ""]),
                note(102, 12, &["solo"]),
                note(103, 10, &["", "empty front"]),
            ],
            cards: vec![
                card(1000, 100, 2, 0),
                card(1001, 100, 3, 1),
                card(1010, 101, 3, 0),
                card(1011, 101, 3, 1),
                card(1020, 102, 2, 0),
                card(1030, 103, 2, 0),
                card(1031, 103, 2, 1),
            ],
            revlog: vec![
                RevlogEntry {
                    at: 5,
                    card: 1000,
                    ease: 3,
                    kind: 0,
                    duration_ms: 700,
                },
                RevlogEntry {
                    at: 6,
                    card: 1011,
                    ease: 1,
                    kind: 1,
                    duration_ms: 900,
                },
                RevlogEntry {
                    at: 7,
                    card: 1010,
                    ease: 0,
                    kind: 4,
                    duration_ms: 0,
                },
                RevlogEntry {
                    at: 8,
                    card: 1020,
                    ease: 2,
                    kind: 1,
                    duration_ms: 100,
                },
                RevlogEntry {
                    at: 9,
                    card: 1001,
                    ease: 4,
                    kind: 5,
                    duration_ms: 0,
                },
            ],
        }
    }

    #[test]
    fn notes_become_questions_in_their_top_level_deck() {
        let imported = convert(&sample(), "x.apkg");
        assert_eq!(imported.decks.len(), 1);
        let deck = &imported.decks[0];
        assert_eq!((deck.id.as_str(), deck.title.as_str()), ("lang", "Lang"));
        assert_eq!(deck.description, "Imported from x.apkg");
        let q: Vec<(&str, &str, &str)> = deck
            .questions
            .iter()
            .map(|q| (q.id.as_str(), q.topic.as_str(), q.prompt.as_str()))
            .collect();
        assert_eq!(
            q,
            [
                ("n100-c0", "Lang", "**uno**"),
                ("n100-c1", "Verbs::Irregular", "one"),
                ("n101", "Verbs::Irregular", CLOZE_PROMPT),
            ]
        );
        assert_eq!(
            deck.questions[0].kind,
            QuestionKind::Flashcard {
                answer: "one".to_string()
            }
        );
        assert_eq!(deck.questions[0].explanation, "a numeral");
        assert_eq!(
            deck.questions[1].kind,
            QuestionKind::Flashcard {
                answer: "**uno**".to_string()
            }
        );
        assert_eq!(
            deck.questions[2].kind,
            QuestionKind::Cloze {
                text: "{{dos}} y {{tres}}".to_string()
            }
        );
        assert_eq!(
            deck.questions[2].explanation,
            "Imported from Anki (deck \"Lang::Verbs::Irregular\")."
        );
    }

    #[test]
    fn what_cannot_be_mapped_is_listed() {
        let imported = convert(&sample(), "x.apkg");
        assert_eq!(
            imported.skipped,
            [
                "note 103 card 1: empty front",
                "note 103 card 2: empty back",
                "note type \"Lone\": 1 note skipped, it has fewer than 2 fields, so no separate question and answer",
                "2 review log entries skipped (manual due-date changes, not answers)",
                "1 review skipped (their cards were not imported)",
            ]
        );
    }

    #[test]
    fn reviews_follow_their_cards() {
        let imported = convert(&sample(), "x.apkg");
        let reviews: Vec<(String, i64, Rating, bool, i64, &str)> = imported
            .reviews
            .iter()
            .map(|r| {
                (
                    r.key.to_string(),
                    r.reviewed_at.0,
                    r.rating,
                    r.correct,
                    r.duration_ms,
                    r.kind.as_str(),
                )
            })
            .collect();
        assert_eq!(
            reviews,
            [
                (
                    "lang/n100-c0".to_string(),
                    5,
                    Rating::Good,
                    true,
                    700,
                    "Flashcard"
                ),
                (
                    "lang/n101".to_string(),
                    6,
                    Rating::Again,
                    false,
                    900,
                    "Cloze"
                ),
            ]
        );
        assert!(imported.reviews.iter().all(|r| r.session.is_none()));
    }

    #[test]
    fn clashing_deck_slugs_get_a_suffix() {
        let mut col = sample();
        col.decks.insert(4, "lang!".to_string());
        col.cards.push(card(1040, 104, 4, 0));
        col.notes.push(note(104, 10, &["front", "back", ""]));
        col.cards.push(card(1041, 104, 4, 1));
        let imported = convert(&col, "x.apkg");
        let ids: Vec<(&str, &str)> = imported
            .decks
            .iter()
            .map(|d| (d.id.as_str(), d.title.as_str()))
            .collect();
        assert_eq!(ids, [("lang", "Lang"), ("lang-2", "lang!")]);
        let q = &imported.decks[1].questions[0];
        assert_eq!(q.explanation, "Imported from Anki (deck \"lang!\").");
        assert_eq!(q.topic, "lang!");
    }

    #[test]
    fn typed_answers_and_bad_clozes() {
        let col = Collection {
            notetypes: HashMap::from([
                (
                    1,
                    notetype(
                        "Typed",
                        false,
                        &["Front", "Back"],
                        &[("{{Front}}\n{{type:Back}}", "{{Front}}<hr>{{type:Back}}")],
                    ),
                ),
                (
                    2,
                    notetype(
                        "Cloze",
                        true,
                        &["Text"],
                        &[("{{cloze:Text}}", "{{cloze:Text}}")],
                    ),
                ),
            ]),
            decks: HashMap::from([(1, "Default".to_string())]),
            notes: vec![
                note(1, 1, &["Capital of <i>France</i>?", "<b>Paris</b>"]),
                note(2, 2, &["no deletion here"]),
                note(3, 2, &["{{c1::ok}} but }} stray"]),
            ],
            cards: vec![card(10, 1, 1, 0), card(20, 2, 1, 0), card(30, 3, 1, 0)],
            revlog: Vec::new(),
        };
        let imported = convert(&col, "x.apkg");
        let q = &imported.decks[0].questions;
        assert_eq!(q.len(), 1);
        assert_eq!(q[0].prompt, "Capital of *France*?");
        assert_eq!(
            q[0].kind,
            QuestionKind::TypedAnswer {
                accepted: vec!["Paris".to_string()]
            }
        );
        assert_eq!(
            imported.skipped,
            [
                "note 2: no cloze deletion",
                "note 3: a blank is closed with }} but never opened",
            ]
        );
    }
}
