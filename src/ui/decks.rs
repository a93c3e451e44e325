//! The Decks screen: every deck with where it comes from, buttons to edit,
//! copy, create and import decks, a file picker drawn with egui itself (no
//! system dialog libraries), and the import confirmation and report.

use std::path::{Path, PathBuf};

use egui::RichText;

use super::Action;
use crate::deck::{LoadedDeck, Origin};
use crate::study::{ImportPlan, ImportReport, Study};

/// What the Decks screen shows on top of the list.
#[derive(Debug, Clone, Default)]
pub enum DecksDialog {
    /// Nothing: just the list.
    #[default]
    None,
    /// Choosing a file to import.
    Import(FilePicker),
    /// Choosing where to export a deck.
    Export {
        /// The deck's id.
        id: String,
        /// CSV rather than RON.
        csv: bool,
        /// The folder and file name being chosen.
        picker: FilePicker,
    },
    /// An import that would replace existing decks, waiting for a yes.
    Confirm(Box<ImportPlan>),
    /// What the last import or export did.
    Report(Vec<String>),
}

/// The Decks screen's state.
#[derive(Debug, Clone, Default)]
pub struct DecksScreen {
    /// The dialog on top, if any.
    pub dialog: DecksDialog,
}

impl DecksScreen {
    /// The screen with the report of an import shown.
    pub fn reporting(report: &ImportReport) -> DecksScreen {
        DecksScreen {
            dialog: DecksDialog::Report(report.lines()),
        }
    }

    /// Draws the screen.
    pub fn ui(&mut self, ui: &mut egui::Ui, study: &Study, actions: &mut Vec<Action>) {
        if matches!(self.dialog, DecksDialog::None)
            && ui.input_mut(|i| i.consume_key(egui::Modifiers::NONE, egui::Key::Escape))
        {
            actions.push(Action::Home);
        }
        ui.horizontal(|ui| {
            ui.heading(RichText::new("Decks").strong().size(super::theme::TITLE));
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                if ui.button("Back").on_hover_text("Esc").clicked() {
                    actions.push(Action::Home);
                }
                if ui
                    .button("Import…")
                    .on_hover_text("Anki .apkg, Anki text export, CSV/TSV or a .ron deck; or drop a file on the window")
                    .clicked()
                {
                    self.dialog = DecksDialog::Import(FilePicker::open(start_dir(), IMPORTABLE));
                }
                if ui.button("New deck").clicked() {
                    actions.push(Action::OpenEditor(None));
                }
            });
        });
        let folder = study
            .paths()
            .map(|p| p.user_decks().display().to_string())
            .unwrap_or_default();
        ui.label(
            RichText::new(format!(
                "Your decks live in {folder}. Files you change there are reloaded at once. Drop a file on the window to import it."
            ))
            .weak(),
        );
        ui.separator();
        egui::ScrollArea::vertical()
            .auto_shrink([false, false])
            .show(ui, |ui| deck_list(ui, study, actions));
        self.dialog_ui(ui, actions);
    }

    fn dialog_ui(&mut self, ui: &mut egui::Ui, actions: &mut Vec<Action>) {
        let mut close = false;
        match &mut self.dialog {
            DecksDialog::None => {}
            DecksDialog::Import(picker) => {
                modal(ui, "import-picker", |ui| {
                    ui.heading("Import a deck");
                    match picker.ui(ui, "Import") {
                        Some(PickerOutcome::Chosen(path)) => actions.push(Action::ReadImport(path)),
                        Some(PickerOutcome::Cancelled) => close = true,
                        None => {}
                    }
                });
            }
            DecksDialog::Export { id, csv, picker } => {
                let (id, csv) = (id.clone(), *csv);
                modal(ui, "export-picker", |ui| {
                    ui.heading(format!(
                        "Export {id} as {}",
                        if csv { "CSV" } else { "RON" }
                    ));
                    match picker.ui(ui, "Export") {
                        Some(PickerOutcome::Chosen(path)) => {
                            actions.push(Action::WriteExport { id, csv, path })
                        }
                        Some(PickerOutcome::Cancelled) => close = true,
                        None => {}
                    }
                });
            }
            DecksDialog::Confirm(plan) => {
                modal(ui, "import-confirm", |ui| {
                    ui.heading("Replace existing decks?");
                    for id in &plan.existing {
                        ui.label(format!(
                            "“{id}” already exists. Importing replaces its questions with the file's; your progress on questions that keep their ids is kept."
                        ));
                    }
                    ui.horizontal(|ui| {
                        if ui.button("Replace").clicked() {
                            actions.push(Action::ConfirmImport);
                        }
                        if ui.button("Cancel").clicked() {
                            close = true;
                        }
                    });
                });
            }
            DecksDialog::Report(lines) => {
                modal(ui, "import-report", |ui| {
                    ui.heading("Done");
                    for line in lines.iter() {
                        ui.label(line);
                    }
                    if ui.button("OK").clicked()
                        || ui.input(|i| {
                            i.key_pressed(egui::Key::Enter) || i.key_pressed(egui::Key::Escape)
                        })
                    {
                        close = true;
                    }
                });
            }
        }
        if close {
            self.dialog = DecksDialog::None;
        }
    }

    /// Opens the export picker for deck `id`.
    pub fn export(&mut self, id: &str, csv: bool) {
        let extension = if csv { "csv" } else { "ron" };
        let mut picker = FilePicker::open(start_dir(), &[extension]);
        picker.name = format!("{id}.{extension}");
        picker.saving = true;
        self.dialog = DecksDialog::Export {
            id: id.to_string(),
            csv,
            picker,
        };
    }
}

/// File types the importer reads.
const IMPORTABLE: &[&str] = &["apkg", "csv", "tsv", "txt", "ron"];

fn start_dir() -> PathBuf {
    directories::UserDirs::new()
        .map(|d| d.home_dir().to_path_buf())
        .or_else(|| std::env::current_dir().ok())
        .unwrap_or_else(|| PathBuf::from("/"))
}

fn modal(ui: &mut egui::Ui, id: &str, add: impl FnOnce(&mut egui::Ui)) {
    super::help::dialog(id, ui.ctx()).show(ui.ctx(), |ui| {
        ui.set_width(560.0);
        add(ui);
    });
}

fn deck_list(ui: &mut egui::Ui, study: &Study, actions: &mut Vec<Action>) {
    let (bundled, mine): (Vec<_>, Vec<_>) = study
        .library
        .decks
        .iter()
        .partition(|d| d.origin == Origin::Bundled);
    ui.label(
        RichText::new("Your decks")
            .strong()
            .size(super::theme::SECTION),
    );
    if mine.is_empty() {
        ui.label(
            RichText::new("None yet. Make one with New deck, import a file, or copy a bundled deck to change it.")
                .italics()
                .weak(),
        );
    } else {
        deck_grid(ui, "my-decks", &mine, actions);
    }
    ui.add_space(12.0);
    ui.label(
        RichText::new("Bundled decks")
            .strong()
            .size(super::theme::SECTION),
    );
    deck_grid(ui, "bundled-decks", &bundled, actions);
    if !study.library.errors.is_empty() {
        ui.add_space(12.0);
        ui.label(
            RichText::new(format!(
                "{} problem(s) in deck files; see Home's list.",
                study.library.errors.len()
            ))
            .color(ui.visuals().error_fg_color),
        );
    }
}

fn deck_grid(ui: &mut egui::Ui, id: &str, decks: &[&LoadedDeck], actions: &mut Vec<Action>) {
    egui::Grid::new(id)
        .num_columns(4)
        .min_col_width(80.0)
        .spacing([20.0, 8.0])
        .striped(true)
        .show(ui, |ui| {
            for loaded in decks {
                let deck = &loaded.deck;
                ui.label(RichText::new(&deck.title).size(16.0))
                    .on_hover_text(&deck.description);
                let origin = match &loaded.origin {
                    Origin::Bundled => "bundled".to_string(),
                    Origin::File(path) if loaded.replaces_bundled => {
                        format!("your copy · {}", short(path))
                    }
                    Origin::File(path) => short(path),
                };
                ui.label(RichText::new(origin).weak());
                ui.label(format!("{} questions", deck.len()));
                ui.horizontal(|ui| {
                    let bundled = loaded.origin == Origin::Bundled;
                    let open = if bundled { "View" } else { "Edit" };
                    if ui
                        .button(open)
                        .on_hover_text(format!("{open} {}", deck.title))
                        .clicked()
                    {
                        actions.push(Action::OpenEditor(Some(deck.id.clone())));
                    }
                    if bundled
                        && ui
                            .button("Copy to my decks")
                            .on_hover_text("An editable copy that keeps your progress")
                            .clicked()
                    {
                        actions.push(Action::CopyDeck(deck.id.clone()));
                    }
                });
                ui.end_row();
            }
        });
}

fn short(path: &Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

/// What the picker decided.
#[derive(Debug, Clone, PartialEq)]
pub enum PickerOutcome {
    /// A file (to read, or to write when saving).
    Chosen(PathBuf),
    /// The learner closed it.
    Cancelled,
}

/// A small file browser drawn with egui: folders to walk, files with the
/// wanted extensions, a path field, and (when saving) a file name.
#[derive(Debug, Clone)]
pub struct FilePicker {
    /// The folder shown.
    pub dir: PathBuf,
    /// The file name typed or picked.
    pub name: String,
    /// Whether the picker chooses a file to write.
    pub saving: bool,
    extensions: Vec<String>,
    entries: Vec<(String, bool)>,
    error: Option<String>,
}

impl FilePicker {
    /// A picker in `dir` listing folders and files ending in `extensions`.
    pub fn open(dir: PathBuf, extensions: &[&str]) -> FilePicker {
        let mut picker = FilePicker {
            dir,
            name: String::new(),
            saving: false,
            extensions: extensions.iter().map(|e| e.to_string()).collect(),
            entries: Vec::new(),
            error: None,
        };
        picker.list();
        picker
    }

    fn list(&mut self) {
        self.entries.clear();
        match std::fs::read_dir(&self.dir) {
            Ok(read) => {
                self.error = None;
                for entry in read.flatten() {
                    let name = entry.file_name().to_string_lossy().into_owned();
                    if name.starts_with('.') {
                        continue;
                    }
                    let is_dir = entry.path().is_dir();
                    let wanted = entry
                        .path()
                        .extension()
                        .is_some_and(|e| self.extensions.iter().any(|w| e.eq_ignore_ascii_case(w)));
                    if is_dir || wanted {
                        self.entries.push((name, is_dir));
                    }
                }
                self.entries.sort_by(|a, b| {
                    b.1.cmp(&a.1)
                        .then_with(|| a.0.to_lowercase().cmp(&b.0.to_lowercase()))
                });
            }
            Err(e) => self.error = Some(format!("cannot open {}: {e}", self.dir.display())),
        }
    }

    fn go(&mut self, dir: PathBuf) {
        self.dir = dir;
        self.list();
    }

    /// Draws the picker; `verb` labels the confirm button.
    pub fn ui(&mut self, ui: &mut egui::Ui, verb: &str) -> Option<PickerOutcome> {
        let mut outcome = None;
        ui.horizontal(|ui| {
            if ui.button("Up").clicked()
                && let Some(parent) = self.dir.parent()
            {
                let parent = parent.to_path_buf();
                self.go(parent);
            }
            let label = ui.label("Folder");
            let mut typed = self.dir.display().to_string();
            let response = ui
                .add(egui::TextEdit::singleline(&mut typed).desired_width(400.0))
                .labelled_by(label.id);
            if response.lost_focus() && typed != self.dir.display().to_string() {
                self.go(PathBuf::from(typed));
            }
        });
        if let Some(error) = &self.error {
            ui.colored_label(ui.visuals().error_fg_color, error);
        }
        egui::ScrollArea::vertical()
            .max_height(300.0)
            .auto_shrink([false, true])
            .show(ui, |ui| {
                let mut open = None;
                for (name, is_dir) in &self.entries {
                    let text = if *is_dir {
                        format!("{name}/")
                    } else {
                        name.clone()
                    };
                    let response = ui.add(
                        egui::Button::selectable(&self.name == name, text)
                            .frame_when_inactive(false),
                    );
                    if response.clicked() {
                        if *is_dir {
                            open = Some(self.dir.join(name));
                        } else {
                            self.name = name.clone();
                        }
                    }
                    if response.double_clicked() && !is_dir {
                        outcome = Some(PickerOutcome::Chosen(self.dir.join(name)));
                    }
                }
                if self.entries.is_empty() {
                    ui.label(RichText::new("No matching files here.").weak());
                }
                if let Some(dir) = open {
                    self.go(dir);
                }
            });
        ui.horizontal(|ui| {
            let label = ui.label("File name");
            ui.add(egui::TextEdit::singleline(&mut self.name).desired_width(300.0))
                .labelled_by(label.id);
            let ready = !self.name.trim().is_empty();
            if ui.add_enabled(ready, egui::Button::new(verb)).clicked() {
                outcome = Some(PickerOutcome::Chosen(self.dir.join(self.name.trim())));
            }
            if ui.button("Cancel").clicked() {
                outcome = Some(PickerOutcome::Cancelled);
            }
        });
        outcome
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_picker_lists_folders_first_then_wanted_files() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("sub")).unwrap();
        for name in ["b.apkg", "a.csv", "notes.pdf", ".hidden.csv"] {
            std::fs::write(dir.path().join(name), "x").unwrap();
        }
        let picker = FilePicker::open(dir.path().to_path_buf(), IMPORTABLE);
        let names: Vec<&str> = picker.entries.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["sub", "a.csv", "b.apkg"]);
    }
}
