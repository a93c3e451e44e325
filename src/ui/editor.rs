//! The deck editor: a deck's header (title, id, category, description), its
//! questions with a search box and topic and kind filters, each question's
//! statistics, and a form suited to each kind. Problems are shown beside their
//! field with the same rules as `recall check`, and a deck with problems
//! cannot be saved. The screen edits a draft; *Save* hands it to the app.

use std::collections::{BTreeSet, HashSet};

use egui::RichText;

use super::Action;
use crate::deck::{Field, Problem, question_problems};
use crate::grade::{ClozePart, cloze_parts};
use crate::import::slug;
use crate::model::{CardKey, Category, Deck, Question, QuestionKind};
use crate::scheduler::format_interval;
use crate::study::Study;

/// Room left beside a list field for its *Remove* button.
const REMOVE_WIDTH: f32 = 100.0;

/// The kinds, as the editor names them.
const KINDS: [(&str, &str); 5] = [
    ("Flashcard", "Flashcard"),
    ("MultipleChoice", "Multiple choice"),
    ("TrueFalse", "True/false"),
    ("TypedAnswer", "Typed answer"),
    ("Cloze", "Cloze"),
];

/// The deck being edited and the editor's view of it.
#[derive(Debug, Clone)]
pub struct EditorScreen {
    /// The draft.
    pub deck: Deck,
    /// Whether the deck is new: then its id follows the title until edited.
    pub is_new: bool,
    id_edited: bool,
    /// A bundled deck: shown, not edited (copy it first).
    pub read_only: bool,
    /// The question shown in the form, as an index into the draft.
    pub selected: Option<usize>,
    search: String,
    topic_filter: Option<String>,
    kind_filter: Option<&'static str>,
    /// A question waiting for the learner to confirm its deletion.
    pub confirm_delete: Option<usize>,
    /// Whether the draft differs from what was loaded or last saved.
    pub dirty: bool,
    confirm_leave: bool,
    /// Bumped on every edit, so the problems are checked once per change
    /// rather than every frame.
    revision: u64,
    /// The problems of the draft at `checked_revision`.
    problems: Vec<(Option<usize>, Problem)>,
    checked_revision: Option<u64>,
    /// The questions the list shows, worked out once per search, filter or
    /// edit: a big imported deck would otherwise be searched every frame.
    listed: Option<Listed>,
}

/// The question list's rows for one search, filter and revision.
#[derive(Debug, Clone)]
struct Listed {
    search: String,
    topic: Option<String>,
    kind: Option<&'static str>,
    revision: u64,
    /// The matching questions, as indexes into the draft.
    rows: Vec<usize>,
}

impl EditorScreen {
    /// An editor over a copy of `deck`.
    pub fn open(deck: Deck, read_only: bool) -> EditorScreen {
        let selected = (!deck.questions.is_empty()).then_some(0);
        EditorScreen {
            deck,
            is_new: false,
            id_edited: true,
            read_only,
            selected,
            search: String::new(),
            topic_filter: None,
            kind_filter: None,
            confirm_delete: None,
            dirty: false,
            confirm_leave: false,
            revision: 0,
            problems: Vec::new(),
            checked_revision: None,
            listed: None,
        }
    }

    /// An editor over a new, empty deck of the learner's.
    pub fn new_deck() -> EditorScreen {
        EditorScreen {
            is_new: true,
            id_edited: false,
            ..EditorScreen::open(
                Deck {
                    id: String::new(),
                    title: String::new(),
                    category: Category::Custom,
                    description: String::new(),
                    questions: Vec::new(),
                },
                false,
            )
        }
    }

    /// Marks the draft as saved (after the app wrote it).
    pub fn saved(&mut self) {
        self.dirty = false;
        self.is_new = false;
        self.id_edited = true;
    }

    /// Notes an edit when `changed`: the draft is unsaved and its problems
    /// are checked again.
    fn edited(&mut self, changed: bool) {
        if changed {
            self.dirty = true;
            self.revision += 1;
        }
    }

    /// Every problem in the draft: deck-level ones, then each question's,
    /// as `(question index or None, problem)`.
    pub fn problems(&self) -> Vec<(Option<usize>, Problem)> {
        let mut out = Vec::new();
        let deck = &self.deck;
        let deck_problem = |field, message: &str| Problem {
            field: Field::Question(field),
            message: message.to_string(),
        };
        if deck.title.trim().is_empty() {
            out.push((None, deck_problem("title", "the deck needs a title")));
        }
        if deck.id.trim().is_empty()
            || deck.id.contains('/')
            || deck.id.contains(char::is_whitespace)
        {
            out.push((
                None,
                deck_problem("deck-id", "the id must be non-empty, without spaces or '/'"),
            ));
        }
        if deck.questions.is_empty() {
            out.push((None, deck_problem("questions", "add at least one question")));
        }
        let mut seen = BTreeSet::new();
        for (i, q) in deck.questions.iter().enumerate() {
            for p in question_problems(q) {
                out.push((Some(i), p));
            }
            if !seen.insert(q.id.as_str()) {
                out.push((
                    Some(i),
                    Problem {
                        field: Field::Question("id"),
                        message: format!("another question already has the id \"{}\"", q.id),
                    },
                ));
            }
        }
        out
    }

    fn matches(&self, q: &Question) -> bool {
        let needle = self.search.trim().to_lowercase();
        let found = needle.is_empty()
            || [&q.prompt, &q.topic, &q.explanation]
                .iter()
                .any(|t| t.to_lowercase().contains(&needle))
            || q.tags.iter().any(|t| t.to_lowercase().contains(&needle))
            || answers(&q.kind).to_lowercase().contains(&needle);
        found
            && self.topic_filter.as_ref().is_none_or(|t| &q.topic == t)
            && self.kind_filter.is_none_or(|k| q.kind.name() == k)
    }

    /// Draws the editor.
    pub fn ui(&mut self, ui: &mut egui::Ui, study: &Study, today: i64, actions: &mut Vec<Action>) {
        if self.checked_revision != Some(self.revision) {
            self.problems = self.problems();
            self.checked_revision = Some(self.revision);
        }
        // Lent out for the frame, so the drawing methods can borrow `self`.
        let problems = std::mem::take(&mut self.problems);
        let can_save = problems.is_empty() && !self.read_only;
        if ui.input_mut(|i| i.consume_key(egui::Modifiers::COMMAND, egui::Key::S)) && can_save {
            actions.push(Action::SaveDeck(self.deck.clone()));
        }
        if ui.input_mut(|i| i.consume_key(egui::Modifiers::NONE, egui::Key::Escape)) {
            self.leave(actions);
        }
        self.toolbar(ui, study, &problems, can_save, actions);
        if self.confirm_leave {
            ui.horizontal(|ui| {
                ui.colored_label(
                    ui.visuals().warn_fg_color,
                    "Leave without saving your changes?",
                );
                if ui.button("Discard changes").clicked() {
                    actions.push(Action::OpenDecks);
                }
                if ui.button("Keep editing").clicked() {
                    self.confirm_leave = false;
                }
            });
        }
        ui.separator();
        self.header(ui, &problems);
        ui.separator();
        let height = ui.available_height();
        // Narrower in a small window, so the form keeps room for its fields.
        let list_width = (ui.available_width() * 0.32).clamp(280.0, 340.0);
        ui.horizontal_top(|ui| {
            ui.vertical(|ui| {
                ui.set_width(list_width);
                ui.set_min_height(height);
                self.question_list(ui, &problems);
            });
            ui.separator();
            ui.vertical(|ui| {
                egui::ScrollArea::vertical()
                    .id_salt("question-form")
                    .auto_shrink([false, false])
                    .show(ui, |ui| self.question_form(ui, study, today, &problems));
            });
        });
        self.problems = problems;
    }

    fn leave(&mut self, actions: &mut Vec<Action>) {
        if self.dirty && !self.read_only {
            self.confirm_leave = true;
        } else {
            actions.push(Action::OpenDecks);
        }
    }

    fn toolbar(
        &mut self,
        ui: &mut egui::Ui,
        study: &Study,
        problems: &[(Option<usize>, Problem)],
        can_save: bool,
        actions: &mut Vec<Action>,
    ) {
        ui.horizontal(|ui| {
            let title = if self.deck.title.trim().is_empty() {
                "New deck".to_string()
            } else {
                self.deck.title.clone()
            };
            ui.heading(RichText::new(title).strong().size(24.0));
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                if ui.button("Back").on_hover_text("Esc").clicked() {
                    self.leave(actions);
                }
                if self.read_only {
                    if ui
                        .button("Copy to my decks")
                        .on_hover_text("An editable copy that keeps your progress")
                        .clicked()
                    {
                        actions.push(Action::CopyDeck(self.deck.id.clone()));
                    }
                } else {
                    let hint = if can_save {
                        "Ctrl+S".to_string()
                    } else {
                        format!("Fix {} problem(s) first", problems.len())
                    };
                    if ui
                        .add_enabled(can_save, egui::Button::new("Save"))
                        .on_hover_text(&hint)
                        .on_disabled_hover_text(&hint)
                        .clicked()
                    {
                        actions.push(Action::SaveDeck(self.deck.clone()));
                    }
                }
                if !self.is_new && study.library.deck(&self.deck.id).is_some() {
                    if ui.button("Export CSV").clicked() {
                        actions.push(Action::ExportDeck {
                            id: self.deck.id.clone(),
                            csv: true,
                        });
                    }
                    if ui.button("Export RON").clicked() {
                        actions.push(Action::ExportDeck {
                            id: self.deck.id.clone(),
                            csv: false,
                        });
                    }
                }
                if !problems.is_empty() && !self.read_only {
                    ui.colored_label(
                        ui.visuals().error_fg_color,
                        format!(
                            "{} problem{} to fix before saving",
                            problems.len(),
                            if problems.len() == 1 { "" } else { "s" }
                        ),
                    );
                }
            });
        });
        // Below the title, so it never runs under the buttons in a narrow window.
        if self.read_only {
            ui.label(
                RichText::new("Bundled and read-only: copy it to your decks to change it.").weak(),
            );
        } else if self.dirty {
            ui.label(RichText::new("Unsaved changes").weak());
        }
    }

    fn header(&mut self, ui: &mut egui::Ui, problems: &[(Option<usize>, Problem)]) {
        let deck_problem = |field: &'static str| {
            problems
                .iter()
                .find(|(q, p)| q.is_none() && p.field == Field::Question(field))
                .map(|(_, p)| p.message.clone())
        };
        let read_only = self.read_only;
        let mut changed = false;
        egui::Grid::new("deck-header")
            .num_columns(2)
            .spacing([16.0, 8.0])
            .show(ui, |ui| {
                let label = ui.label("Title");
                let title = ui.add_enabled(
                    !read_only,
                    egui::TextEdit::singleline(&mut self.deck.title).desired_width(420.0),
                );
                let title = title.labelled_by(label.id);
                if title.changed() {
                    changed = true;
                    if self.is_new && !self.id_edited {
                        self.deck.id = slug(&self.deck.title, "");
                    }
                }
                ui.end_row();
                if let Some(problem) = deck_problem("title") {
                    ui.label("");
                    field_problem(ui, Some(problem));
                    ui.end_row();
                }

                let label = ui.label("Deck id");
                ui.horizontal(|ui| {
                    let id = ui
                        .add_enabled(
                            self.is_new && !read_only,
                            egui::TextEdit::singleline(&mut self.deck.id).desired_width(260.0),
                        )
                        .labelled_by(label.id);
                    if id.changed() {
                        self.id_edited = true;
                        changed = true;
                    }
                    ui.label(
                        RichText::new(if self.is_new {
                            "made from the title; progress is kept by it"
                        } else {
                            "fixed: progress is kept by it"
                        })
                        .weak(),
                    );
                });
                ui.end_row();
                if let Some(problem) = deck_problem("deck-id") {
                    ui.label("");
                    field_problem(ui, Some(problem));
                    ui.end_row();
                }

                let label = ui.label("Category");
                ui.add_enabled_ui(!read_only, |ui| {
                    egui::ComboBox::from_id_salt("category")
                        .selected_text(self.deck.category.label())
                        .show_ui(ui, |ui| {
                            for c in Category::ALL {
                                changed |= ui
                                    .selectable_value(&mut self.deck.category, c, c.label())
                                    .changed();
                            }
                        })
                        .response
                        .labelled_by(label.id);
                });
                ui.end_row();

                let label = ui.label("Description");
                changed |= ui
                    .add_enabled(
                        !read_only,
                        egui::TextEdit::singleline(&mut self.deck.description).desired_width(620.0),
                    )
                    .labelled_by(label.id)
                    .changed();
                ui.end_row();
            });
        self.edited(changed);
    }

    fn question_list(&mut self, ui: &mut egui::Ui, problems: &[(Option<usize>, Problem)]) {
        ui.horizontal(|ui| {
            let label = ui.label("Search");
            ui.add(
                egui::TextEdit::singleline(&mut self.search)
                    .hint_text("prompts, answers, topics, tags")
                    .desired_width(ui.available_width().min(250.0)),
            )
            .labelled_by(label.id);
        });
        ui.horizontal(|ui| {
            let label = ui.label("Topic");
            egui::ComboBox::from_id_salt("topic-filter")
                .selected_text(self.topic_filter.clone().unwrap_or_else(|| "All".into()))
                .width(100.0)
                .show_ui(ui, |ui| {
                    ui.selectable_value(&mut self.topic_filter, None, "All");
                    let topics: BTreeSet<&str> = self
                        .deck
                        .questions
                        .iter()
                        .map(|q| q.topic.as_str())
                        .collect();
                    for t in topics {
                        ui.selectable_value(&mut self.topic_filter, Some(t.to_string()), t);
                    }
                })
                .response
                .labelled_by(label.id);
            let kind_label = self
                .kind_filter
                .and_then(|k| KINDS.iter().find(|(n, _)| *n == k))
                .map_or("All", |(_, l)| l);
            let label = ui.label("Kind");
            egui::ComboBox::from_id_salt("kind-filter")
                .selected_text(kind_label)
                .width(80.0)
                .show_ui(ui, |ui| {
                    ui.selectable_value(&mut self.kind_filter, None, "All");
                    for (name, label) in KINDS {
                        ui.selectable_value(&mut self.kind_filter, Some(name), label);
                    }
                })
                .response
                .labelled_by(label.id);
        });
        if !self.read_only {
            ui.horizontal_wrapped(|ui| {
                ui.label("Add:");
                for (name, label) in KINDS {
                    if ui
                        .small_button(format!("+ {label}"))
                        .on_hover_text(format!("Add a {} question", label.to_lowercase()))
                        .clicked()
                    {
                        self.add_question(name);
                    }
                }
            });
        }
        let fresh = self.listed.as_ref().is_some_and(|l| {
            l.revision == self.revision
                && l.search == self.search
                && l.topic == self.topic_filter
                && l.kind == self.kind_filter
        });
        if !fresh {
            self.listed = Some(Listed {
                search: self.search.clone(),
                topic: self.topic_filter.clone(),
                kind: self.kind_filter,
                revision: self.revision,
                rows: (0..self.deck.questions.len())
                    .filter(|&i| self.matches(&self.deck.questions[i]))
                    .collect(),
            });
        }
        let rows = self.listed.as_ref().map_or(&[][..], |l| &l.rows[..]);
        ui.label(
            RichText::new(format!(
                "{} of {} questions",
                rows.len(),
                self.deck.questions.len()
            ))
            .weak(),
        );
        let broken: HashSet<usize> = problems.iter().filter_map(|(qi, _)| *qi).collect();
        let row_height =
            ui.text_style_height(&egui::TextStyle::Button) + 2.0 * ui.spacing().button_padding.y;
        let mut clicked = None;
        // Only the rows in view are laid out, however long the deck.
        egui::ScrollArea::vertical()
            .id_salt("question-list")
            .auto_shrink([false, false])
            .show_rows(ui, row_height, rows.len(), |ui, range| {
                for &i in &rows[range] {
                    let q = &self.deck.questions[i];
                    let mut text =
                        RichText::new(format!("{}. {}", i + 1, first_line(&q.prompt, 60)));
                    if broken.contains(&i) {
                        text = text.color(ui.visuals().error_fg_color);
                    }
                    let response = ui
                        .add(
                            egui::Button::selectable(self.selected == Some(i), text)
                                .frame_when_inactive(false)
                                .truncate(),
                        )
                        .on_hover_text(format!("{} · {}", q.topic, kind_label_of(&q.kind)));
                    if response.clicked() {
                        clicked = Some(i);
                    }
                }
            });
        if let Some(i) = clicked {
            self.selected = Some(i);
            self.confirm_delete = None;
        }
    }

    fn add_question(&mut self, kind: &str) {
        let topic = self
            .selected
            .and_then(|i| self.deck.questions.get(i))
            .map_or_else(|| "General".to_string(), |q| q.topic.clone());
        let mut n = self.deck.questions.len() + 1;
        while self.deck.questions.iter().any(|q| q.id == format!("q{n}")) {
            n += 1;
        }
        self.deck.questions.push(Question {
            id: format!("q{n}"),
            topic,
            prompt: String::new(),
            kind: empty_kind(kind),
            explanation: String::new(),
            tags: Vec::new(),
            source: None,
        });
        self.selected = Some(self.deck.questions.len() - 1);
        self.search.clear();
        self.topic_filter = None;
        self.kind_filter = None;
        self.edited(true);
    }

    fn question_form(
        &mut self,
        ui: &mut egui::Ui,
        study: &Study,
        today: i64,
        problems: &[(Option<usize>, Problem)],
    ) {
        let Some(i) = self.selected.filter(|&i| i < self.deck.questions.len()) else {
            ui.label(
                RichText::new(if self.read_only {
                    "Pick a question on the left to see it."
                } else {
                    "Add a question with one of the + buttons, or pick one on the left."
                })
                .italics()
                .weak(),
            );
            return;
        };
        let read_only = self.read_only;
        let problem = |field: Field| {
            problems
                .iter()
                .filter(|(q, p)| *q == Some(i) && p.field == field)
                .map(|(_, p)| p.message.clone())
                .next()
        };
        // Progress is kept by id: the statistics follow the saved id.
        let key = CardKey::new(&self.deck.id, &self.deck.questions[i].id);
        question_stats(ui, study, today, &key);
        if !read_only {
            ui.horizontal(|ui| {
                if ui.button("Duplicate").clicked() {
                    let mut copy = self.deck.questions[i].clone();
                    let mut n = 2;
                    while self
                        .deck
                        .questions
                        .iter()
                        .any(|q| q.id == format!("{}-{n}", copy.id))
                    {
                        n += 1;
                    }
                    copy.id = format!("{}-{n}", copy.id);
                    self.deck.questions.insert(i + 1, copy);
                    self.selected = Some(i + 1);
                    self.edited(true);
                }
                if self.confirm_delete == Some(i) {
                    ui.colored_label(
                        ui.visuals().warn_fg_color,
                        "Delete this question? Its review history stays in the database.",
                    );
                    if ui.button("Yes, delete").clicked() {
                        self.deck.questions.remove(i);
                        self.selected = if self.deck.questions.is_empty() {
                            None
                        } else {
                            Some(i.min(self.deck.questions.len() - 1))
                        };
                        self.confirm_delete = None;
                        self.edited(true);
                    }
                    if ui.button("Cancel").clicked() {
                        self.confirm_delete = None;
                    }
                } else if ui.button("Delete").clicked() {
                    self.confirm_delete = Some(i);
                }
            });
        }
        if self.selected != Some(i) || i >= self.deck.questions.len() {
            return;
        }
        let mut changed = false;
        let q = &mut self.deck.questions[i];
        ui.add_enabled_ui(!read_only, |ui| {
            egui::Grid::new("question-form")
                .num_columns(2)
                .spacing([16.0, 6.0])
                .show(ui, |ui| {
                    changed |= text_row(
                        ui,
                        "Question id",
                        &mut q.id,
                        false,
                        problem(Field::Question("id")),
                    );
                    changed |= text_row(
                        ui,
                        "Topic",
                        &mut q.topic,
                        false,
                        problem(Field::Question("topic")),
                    );
                    let kind_label = ui.label("Kind");
                    let mut kind = q.kind.name();
                    egui::ComboBox::from_id_salt("kind")
                        .selected_text(kind_label_of(&q.kind))
                        .show_ui(ui, |ui| {
                            for (name, label) in KINDS {
                                ui.selectable_value(&mut kind, name, label);
                            }
                        })
                        .response
                        .labelled_by(kind_label.id);
                    if kind != q.kind.name() {
                        q.kind = converted(&q.kind, kind);
                        changed = true;
                    }
                    ui.end_row();
                    changed |= text_row(
                        ui,
                        "Prompt",
                        &mut q.prompt,
                        true,
                        problem(Field::Question("prompt")),
                    );
                });
            ui.add_space(6.0);
            changed |= kind_form(ui, &mut q.kind, &problem);
            ui.add_space(6.0);
            egui::Grid::new("question-form-end")
                .num_columns(2)
                .spacing([16.0, 6.0])
                .show(ui, |ui| {
                    changed |= text_row(
                        ui,
                        "Explanation",
                        &mut q.explanation,
                        true,
                        problem(Field::Question("explanation")),
                    );
                    let mut tags = q.tags.join(", ");
                    if text_row(ui, "Tags", &mut tags, false, None) {
                        q.tags = tags
                            .split(',')
                            .map(|t| t.trim().to_string())
                            .filter(|t| !t.is_empty())
                            .collect();
                        changed = true;
                    }
                    let mut source = q.source.clone().unwrap_or_default();
                    if text_row(ui, "Source", &mut source, false, None) {
                        q.source = (!source.trim().is_empty()).then_some(source);
                        changed = true;
                    }
                });
        });
        self.edited(changed);
    }
}

/// The question's record: reviews, lapses, stability and next due.
fn question_stats(ui: &mut egui::Ui, study: &Study, today: i64, key: &CardKey) {
    let text = match study.state(key) {
        None => "Not studied yet.".to_string(),
        Some(s) => {
            let due = s.due_day - today;
            let when = match due {
                d if d <= 0 => "due now".to_string(),
                d => format!("due in {}", format_interval(d)),
            };
            format!(
                "{} review{} · {} lapse{} · stability {:.1} days · {when}",
                s.reps,
                if s.reps == 1 { "" } else { "s" },
                s.lapses,
                if s.lapses == 1 { "" } else { "s" },
                s.stability
            )
        }
    };
    ui.label(RichText::new(text).weak());
}

/// A labelled text field (multi-line when `multiline`) with its problem
/// under it. Returns whether the text changed.
fn text_row(
    ui: &mut egui::Ui,
    name: &str,
    value: &mut String,
    multiline: bool,
    problem: Option<String>,
) -> bool {
    let label = ui.label(name);
    let changed = ui
        .vertical(|ui| {
            // As wide as the form allows, up to a readable line.
            let width = ui.available_width().clamp(200.0, 560.0);
            let edit = if multiline {
                egui::TextEdit::multiline(value)
                    .desired_rows(3)
                    .desired_width(width)
            } else {
                egui::TextEdit::singleline(value).desired_width(width)
            };
            let changed = ui.add(edit).labelled_by(label.id).changed();
            field_problem(ui, problem);
            changed
        })
        .inner;
    ui.end_row();
    changed
}

/// One entry of a list field (an option, an accepted answer): its label, its
/// text, as wide as the row allows up to `max_width`, and a *Remove* button.
/// Returns whether the text changed and whether *Remove* was clicked.
fn list_entry(ui: &mut egui::Ui, name: &str, value: &mut String, max_width: f32) -> (bool, bool) {
    let label = ui.label(name);
    let width = (ui.available_width() - REMOVE_WIDTH).clamp(120.0, max_width);
    let changed = ui
        .add(egui::TextEdit::singleline(value).desired_width(width))
        .labelled_by(label.id)
        .changed();
    (changed, ui.small_button("Remove").clicked())
}

fn field_problem(ui: &mut egui::Ui, problem: Option<String>) {
    if let Some(message) = problem {
        ui.label(
            RichText::new(message)
                .color(ui.visuals().error_fg_color)
                .size(13.0),
        );
    }
}

/// The form for the kind's own fields. Returns whether anything changed.
fn kind_form(
    ui: &mut egui::Ui,
    kind: &mut QuestionKind,
    problem: &dyn Fn(Field) -> Option<String>,
) -> bool {
    let mut changed = false;
    match kind {
        QuestionKind::Flashcard { answer } => {
            egui::Grid::new("kind-form").num_columns(2).show(ui, |ui| {
                changed |= text_row(ui, "Answer", answer, true, problem(Field::Kind("answer")));
            });
        }
        QuestionKind::MultipleChoice { options, correct } => {
            ui.label(RichText::new("Options (tick every right one)").strong());
            let mut remove = None;
            for (n, option) in options.iter_mut().enumerate() {
                ui.horizontal(|ui| {
                    let mut right = correct.contains(&n);
                    if ui
                        .checkbox(&mut right, format!("Correct {}", n + 1))
                        .on_hover_text("Tick if this option is a right answer")
                        .changed()
                    {
                        if right {
                            correct.push(n);
                            correct.sort_unstable();
                        } else {
                            correct.retain(|&c| c != n);
                        }
                        changed = true;
                    }
                    let (edited, removed) =
                        list_entry(ui, &format!("Option {}", n + 1), option, 420.0);
                    changed |= edited;
                    if removed {
                        remove = Some(n);
                    }
                });
            }
            if let Some(n) = remove {
                options.remove(n);
                *correct = correct
                    .iter()
                    .filter(|&&c| c != n)
                    .map(|&c| if c > n { c - 1 } else { c })
                    .collect();
                changed = true;
            }
            if ui.button("Add option").clicked() {
                options.push(String::new());
                changed = true;
            }
            field_problem(ui, problem(Field::Kind("options")));
            field_problem(ui, problem(Field::Kind("correct")));
        }
        QuestionKind::TrueFalse { answer } => {
            ui.horizontal(|ui| {
                ui.label("The statement is");
                changed |= ui.radio_value(answer, true, "True").changed();
                changed |= ui.radio_value(answer, false, "False").changed();
            });
        }
        QuestionKind::TypedAnswer { accepted } => {
            ui.label(RichText::new("Accepted answers (any one counts)").strong());
            let mut remove = None;
            for (n, answer) in accepted.iter_mut().enumerate() {
                ui.horizontal(|ui| {
                    let (edited, removed) =
                        list_entry(ui, &format!("Accepted answer {}", n + 1), answer, 360.0);
                    changed |= edited;
                    if removed {
                        remove = Some(n);
                    }
                });
            }
            if let Some(n) = remove {
                accepted.remove(n);
                changed = true;
            }
            if ui.button("Add accepted answer").clicked() {
                accepted.push(String::new());
                changed = true;
            }
            field_problem(ui, problem(Field::Kind("accepted")));
        }
        QuestionKind::Cloze { text } => {
            egui::Grid::new("kind-form").num_columns(2).show(ui, |ui| {
                changed |= text_row(ui, "Cloze text", text, true, problem(Field::Kind("text")));
            });
            ui.label(
                RichText::new("Mark each blank as {{answer}}; {{a|b}} accepts either.").weak(),
            );
            cloze_preview(ui, text);
        }
    }
    changed
}

/// How the learner will see a cloze: blanks as gaps, with their answers listed.
fn cloze_preview(ui: &mut egui::Ui, text: &str) {
    let Ok(parts) = cloze_parts(text) else { return };
    let mut shown = String::new();
    let mut answers = Vec::new();
    for part in parts {
        match part {
            ClozePart::Text(t) => shown.push_str(&t),
            ClozePart::Blank(accepted) => {
                answers.push(accepted.join(" or "));
                shown.push_str(&format!("[ {} ]", answers.len()));
            }
        }
    }
    egui::Frame::group(ui.style()).show(ui, |ui| {
        ui.label(RichText::new("Preview").weak());
        ui.label(RichText::new(shown).size(16.0));
        for (n, a) in answers.iter().enumerate() {
            ui.label(
                RichText::new(format!("{}: {a}", n + 1))
                    .color(super::theme::palette(ui.visuals()).correct),
            );
        }
    });
}

fn empty_kind(kind: &str) -> QuestionKind {
    match kind {
        "MultipleChoice" => QuestionKind::MultipleChoice {
            options: vec![String::new(), String::new()],
            correct: Vec::new(),
        },
        "TrueFalse" => QuestionKind::TrueFalse { answer: true },
        "TypedAnswer" => QuestionKind::TypedAnswer {
            accepted: vec![String::new()],
        },
        "Cloze" => QuestionKind::Cloze {
            text: String::new(),
        },
        _ => QuestionKind::Flashcard {
            answer: String::new(),
        },
    }
}

/// `kind` turned into the kind `to`, keeping the answer text where it fits.
fn converted(kind: &QuestionKind, to: &str) -> QuestionKind {
    let answer = answers(kind);
    match (empty_kind(to), answer.is_empty()) {
        (QuestionKind::Flashcard { .. }, false) => QuestionKind::Flashcard { answer },
        (QuestionKind::TypedAnswer { .. }, false) => QuestionKind::TypedAnswer {
            accepted: vec![answer],
        },
        (other, _) => other,
    }
}

/// The answer text of a kind, for search and conversion.
fn answers(kind: &QuestionKind) -> String {
    match kind {
        QuestionKind::Flashcard { answer } => answer.clone(),
        QuestionKind::MultipleChoice { options, .. } => options.join(" "),
        QuestionKind::TrueFalse { .. } => String::new(),
        QuestionKind::TypedAnswer { accepted } => accepted.join(" "),
        QuestionKind::Cloze { text } => text.clone(),
    }
}

fn kind_label_of(kind: &QuestionKind) -> &'static str {
    KINDS
        .iter()
        .find(|(n, _)| *n == kind.name())
        .map_or("", |(_, l)| l)
}

/// The first line of `text`, cut to about `max` characters.
fn first_line(text: &str, max: usize) -> String {
    let line = text
        .lines()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("(empty prompt)");
    if line.chars().count() > max {
        let cut: String = line.chars().take(max).collect();
        format!("{}…", cut.trim_end())
    } else {
        line.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn deck_with(prompt: &str) -> EditorScreen {
        let mut editor = EditorScreen::new_deck();
        editor.add_question("TypedAnswer");
        editor.deck.questions[0].prompt = prompt.to_string();
        editor.deck.questions[0].kind = QuestionKind::TypedAnswer {
            accepted: vec!["مرحبا".into(), "👩‍💻".into()],
        };
        editor
    }

    #[test]
    fn search_and_list_labels_take_any_unicode() {
        let inputs = [
            "שלום עולם",
            "e\u{301}\u{301}\u{301}",
            "👩‍👩‍👧‍👦🏳️‍🌈",
            "\u{202e}reversed\u{202c}",
            "İstanbul ß ﬃ",
            "",
            "\u{0}",
        ];
        for prompt in inputs {
            let mut editor = deck_with(&"ж".repeat(70));
            editor.deck.questions[0].prompt = format!("{prompt}{}", "é".repeat(80));
            for needle in inputs {
                editor.search = needle.to_string();
                let found = editor.matches(&editor.deck.questions[0]);
                if needle.is_empty() {
                    assert!(found);
                }
            }
            let label = first_line(&editor.deck.questions[0].prompt, 60);
            assert!(label.chars().count() <= 61, "{label}");
        }
        let mut editor = deck_with("Say hello");
        editor.search = "مرحبا".into();
        assert!(
            editor.matches(&editor.deck.questions[0]),
            "answers are searched"
        );
        editor.search = "👩‍💻".into();
        assert!(editor.matches(&editor.deck.questions[0]));
    }
}
