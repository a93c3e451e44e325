//! The learner's own decks: saving from the editor, copying a bundled deck,
//! importing files (Anki packages, Anki text exports, CSV/TSV, RON) and
//! exporting a deck as RON or CSV. Every write is atomic, and an import that
//! would replace an existing deck waits for the learner's yes.

use std::path::{Path, PathBuf};

use super::Study;
use crate::atomic::write_atomically;
use crate::clock::Timestamp;
use crate::deck::{Origin, parse_deck, write};
use crate::grade::expected_answer;
use crate::import::{Imported, anki, text};
use crate::model::{CardKey, Deck};
use crate::{Error, Result};

/// A file read for import, before anything is saved.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportPlan {
    /// The file read.
    pub file: PathBuf,
    /// What it holds.
    pub imported: Imported,
    /// Ids of imported decks that already exist (they would be replaced).
    pub existing: Vec<String>,
}

/// What an import did, for the report.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ImportReport {
    /// Decks written for the first time: `(id, questions)`.
    pub created: Vec<(String, usize)>,
    /// Decks that replaced an existing one: `(id, questions)`.
    pub updated: Vec<(String, usize)>,
    /// Reviews added to the log (Anki packages).
    pub reviews_added: usize,
    /// Reviews already in the log.
    pub reviews_present: usize,
    /// What was left out, with the reason.
    pub skipped: Vec<String>,
}

impl ImportReport {
    /// One line per fact, as the app and the CLI print them.
    pub fn lines(&self) -> Vec<String> {
        let mut lines = Vec::new();
        for (id, n) in &self.created {
            lines.push(format!("created deck {id} ({n} questions)"));
        }
        for (id, n) in &self.updated {
            lines.push(format!("updated deck {id} ({n} questions)"));
        }
        if self.reviews_added + self.reviews_present > 0 {
            lines.push(format!(
                "added {} review{} to your history ({} already there)",
                self.reviews_added,
                if self.reviews_added == 1 { "" } else { "s" },
                self.reviews_present
            ));
        }
        for reason in &self.skipped {
            lines.push(format!("skipped: {reason}"));
        }
        lines
    }
}

impl Study {
    /// The folder the learner's decks are saved in.
    pub fn user_decks_dir(&self) -> Result<PathBuf> {
        self.paths().map(|p| p.user_decks()).ok_or(Error::NoDataDir)
    }

    /// Saves `deck` (checked, atomically) and reloads the decks: over its own
    /// file when it is one of the learner's decks, else as a new file in their
    /// deck folder. `is_new` refuses an id that another deck already has.
    /// Returns the file written.
    pub fn save_deck(&mut self, deck: &Deck, is_new: bool) -> Result<PathBuf> {
        let existing = self.library.deck(&deck.id).map(|d| d.origin.clone());
        let path = match existing {
            Some(_) if is_new => {
                return Err(Error::BadFile {
                    path: self.user_decks_dir()?.join(format!("{}.ron", deck.id)),
                    reason: format!(
                        "a deck with the id \"{}\" exists already; pick another id",
                        deck.id
                    ),
                });
            }
            Some(Origin::File(path)) => {
                write::save_at(&path, deck)?;
                path
            }
            Some(Origin::Bundled) | None => write::save(&self.user_decks_dir()?, deck)?,
        };
        self.reload_decks();
        Ok(path)
    }

    /// Copies bundled deck `id` into the learner's folder under the same id,
    /// so the copy takes its place and keeps its progress.
    pub fn copy_deck(&mut self, id: &str) -> Result<PathBuf> {
        let deck = self.full_deck(id)?;
        self.save_deck(&deck, false)
    }

    /// Deck `id` with its questions' text, as the editor and exports need it.
    pub fn full_deck(&self, id: &str) -> Result<Deck> {
        self.library
            .deck(id)
            .ok_or_else(|| Error::UnknownCard(CardKey::new(id, "")))?
            .full()
            .map_err(Error::DeckText)
    }

    /// Reads `file` for import: a `.apkg` Anki package, a `.ron` deck, or a
    /// CSV/TSV/Anki text export. `deck_id` renames a single imported deck.
    pub fn read_import(&self, file: &Path, deck_id: Option<&str>) -> Result<ImportPlan> {
        let bad = |reason: String| Error::BadFile {
            path: file.to_path_buf(),
            reason,
        };
        let extension = file
            .extension()
            .map(|e| e.to_string_lossy().to_lowercase())
            .unwrap_or_default();
        let stem = file
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_else(|| "imported".into());
        let mut imported = match extension.as_str() {
            "apkg" | "colpkg" => anki::read_apkg(file).map_err(|e| bad(e.to_string()))?,
            "ron" => {
                let content = std::fs::read_to_string(file).map_err(crate::file_error(file))?;
                let label = file.display().to_string();
                let deck = parse_deck(&label, &content).map_err(|errors| {
                    bad(errors
                        .iter()
                        .map(ToString::to_string)
                        .collect::<Vec<_>>()
                        .join("\n"))
                })?;
                Imported {
                    decks: vec![deck],
                    ..Imported::default()
                }
            }
            _ => {
                let id =
                    deck_id.map_or_else(|| crate::import::slug(&stem, "imported"), str::to_string);
                text::read_text(file, &id, &stem).map_err(|e| bad(e.to_string()))?
            }
        };
        if let Some(id) = deck_id {
            match imported.decks.as_mut_slice() {
                [deck] => {
                    let old = std::mem::replace(&mut deck.id, id.to_string());
                    for review in &mut imported.reviews {
                        if review.key.deck == old {
                            review.key.deck = id.to_string();
                        }
                    }
                }
                decks => {
                    return Err(bad(format!(
                        "--deck names one deck, but the file holds {}",
                        decks.len()
                    )));
                }
            }
        }
        if imported.decks.is_empty() {
            return Err(bad("the file holds no deck with questions".into()));
        }
        let existing = imported
            .decks
            .iter()
            .filter(|d| self.library.deck(&d.id).is_some())
            .map(|d| d.id.clone())
            .collect();
        Ok(ImportPlan {
            file: file.to_path_buf(),
            imported,
            existing,
        })
    }

    /// Saves the decks of `plan` (replacing existing ones: ask first) and
    /// adds its review history, then reloads the decks.
    pub fn apply_import(&mut self, plan: ImportPlan, now: Timestamp) -> Result<ImportReport> {
        let dir = self.user_decks_dir()?;
        let mut report = ImportReport {
            skipped: plan.imported.skipped.clone(),
            ..ImportReport::default()
        };
        for deck in &plan.imported.decks {
            match self.library.deck(&deck.id).map(|d| &d.origin) {
                Some(Origin::File(path)) => write::save_at(path, deck)?,
                _ => {
                    write::save(&dir, deck)?;
                }
            }
            let entry = (deck.id.clone(), deck.questions.len());
            if plan.existing.contains(&deck.id) {
                report.updated.push(entry);
            } else {
                report.created.push(entry);
            }
        }
        if !plan.imported.reviews.is_empty() {
            let added = self.add_reviews(&plan.imported.reviews, now)?;
            report.reviews_added = added;
            report.reviews_present = plan.imported.reviews.len() - added;
        }
        self.reload_decks();
        Ok(report)
    }

    /// Writes deck `id` to `path`, as Recall's RON or as CSV with one row per
    /// question: `id,topic,kind,prompt,answer,explanation,tags,source`.
    pub fn export_deck(&self, id: &str, csv: bool, path: &Path) -> Result<usize> {
        let deck = self.full_deck(id)?;
        if !csv {
            let text = write::to_ron(&deck);
            write_atomically(path, |out| {
                use std::io::Write;
                out.write_all(text.as_bytes())
            })?;
            return Ok(deck.questions.len());
        }
        write_atomically(path, |out| -> std::result::Result<usize, csv::Error> {
            let mut writer = csv::Writer::from_writer(out);
            writer.write_record([
                "id",
                "topic",
                "kind",
                "prompt",
                "answer",
                "explanation",
                "tags",
                "source",
            ])?;
            for q in &deck.questions {
                writer.write_record([
                    q.id.as_str(),
                    q.topic.as_str(),
                    q.kind.name(),
                    q.prompt.as_str(),
                    expected_answer(&q.kind).as_str(),
                    q.explanation.as_str(),
                    q.tags.join(" ").as_str(),
                    q.source.as_deref().unwrap_or(""),
                ])?;
            }
            writer.flush()?;
            Ok(deck.questions.len())
        })
    }
}
