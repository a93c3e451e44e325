//! The egui app. Screens draw from state and return [`Action`]s; [`App`]
//! applies them in one place ([`App::apply`]) after the frame is drawn. The app
//! repaints only on input: idle, it uses no CPU.

mod decks;
mod editor;
mod help;
mod home;
mod markdown;
mod results;
mod session;
mod settings;
mod starting;
mod stats;
mod theme;
mod watch;
#[cfg(target_os = "linux")]
mod x11_focus;

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::mpsc::{Receiver, TryRecvError};

use rand::SeedableRng;
use rand::rngs::StdRng;

use crate::clock::Timestamp;
use crate::grade::Answer;
use crate::model::{CardKey, Deck, Rating};
use crate::scheduler::training::Optimized;
use crate::session::{Mode, Summary};
use crate::settings::{Settings, Theme};
use crate::stats::history::Scope;
use crate::store::Store;
use crate::study::{Paths, Study};

pub use decks::{DecksDialog, DecksScreen, FilePicker};
pub use editor::EditorScreen;
pub use home::HomeView;
pub use session::{Phase, SessionScreen};
pub use settings::{Optimizer, SettingsScreen};
pub use starting::{Opening, Starting};
pub use stats::StatsView;

/// Everything a screen can ask the app to do.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// Start a session of this mode over the selected decks.
    Start(Mode),
    /// Study exactly these cards (the ones just missed).
    Retry(Vec<CardKey>),
    /// Include or exclude a deck from the selection.
    ToggleDeck(String),
    /// Study every deck.
    SelectAllDecks,
    /// Show a flashcard's answer.
    Reveal,
    /// Answer the current question.
    Submit(Answer),
    /// Rate the current answer and move on.
    Rate(Rating),
    /// Count a wrong typed answer as right.
    CountAsCorrect,
    /// Move on after feedback, keeping the rating shown.
    Continue,
    /// Take back the last answer.
    Undo,
    /// Leave the session; what was answered is saved.
    EndSession,
    /// Drill one topic's weakest cards.
    Drill {
        /// The deck's id.
        deck: String,
        /// The topic's name.
        topic: String,
    },
    /// Show the statistics screen.
    OpenStats,
    /// Narrow the statistics to a deck or category.
    StatsScope(Scope),
    /// Run *Optimize from my history* in the background.
    Optimize,
    /// The optimizer finished with this outcome.
    Optimized(Result<Optimized, String>),
    /// Go back to the crate's default FSRS parameters.
    ResetParameters,
    /// Show the settings form.
    OpenSettings,
    /// Save and apply the settings, then go Home.
    SaveSettings(Settings),
    /// Go back to Home.
    Home,
    /// Load the decks again from disk.
    ReloadDecks,
    /// Show the Decks screen.
    OpenDecks,
    /// Open the editor on a deck, or on a new one.
    OpenEditor(Option<String>),
    /// Save the editor's deck.
    SaveDeck(Deck),
    /// Copy a bundled deck into the learner's decks and edit the copy.
    CopyDeck(String),
    /// Choose where to export a deck (CSV or RON).
    ExportDeck {
        /// The deck's id.
        id: String,
        /// CSV rather than RON.
        csv: bool,
    },
    /// Write a deck's export to a file.
    WriteExport {
        /// The deck's id.
        id: String,
        /// CSV rather than RON.
        csv: bool,
        /// Where.
        path: PathBuf,
    },
    /// Read a file for import (from the picker or dropped on the window).
    ReadImport(PathBuf),
    /// Go ahead with an import that replaces existing decks.
    ConfirmImport,
    /// Back the database up now.
    BackUpNow,
    /// Replace the database with this backup (the current one is moved aside).
    RestoreBackup(PathBuf),
    /// The database is damaged: move it aside and start a fresh one.
    StartFresh,
    /// Remember the interface zoom.
    SaveZoom(f32),
    /// Close the welcome, ticking the suggested deck when given.
    DismissWelcome(Option<String>),
}

/// What is on screen.
#[allow(clippy::large_enum_variant)]
pub enum Screen {
    /// The decks and the buttons that start a session.
    Home,
    /// A session in progress.
    Session(SessionScreen),
    /// The score of the session just finished.
    Results(Summary),
    /// The settings form, editing a draft.
    Settings(Box<SettingsScreen>),
    /// Charts of the learner's progress, computed when opened.
    Stats(Box<StatsView>),
    /// Every deck, with import and the way to the editor.
    Decks(DecksScreen),
    /// The deck editor.
    Editor(Box<EditorScreen>),
}

/// The Recall app.
pub struct App {
    study: Result<Study, String>,
    screen: Screen,
    clock: Box<dyn Fn() -> Timestamp>,
    rng: StdRng,
    selected: BTreeSet<String>,
    home: HomeView,
    optimizer: Optimizer,
    /// A message for the learner, shown until the next action.
    notice: Option<String>,
    applied_theme: Option<Theme>,
    /// Frames left in which to offer the window keyboard focus (see `x11_focus`).
    focus_tries: u8,
    /// Watches the deck folders for live reload, once started.
    watcher: Option<watch::DeckWatcher>,
    /// Decks changed on disk during a session; reloaded when it ends.
    reload_pending: bool,
    /// Whether the window had focus last frame (regaining it re-scans the
    /// decks); `None` until it first has focus.
    had_focus: Option<bool>,
    /// When the database is damaged: where it is, to restore a backup or start afresh.
    recovery: Option<Paths>,
    /// Whether the shortcut help is open.
    help_open: bool,
    /// Whether the first-launch welcome is showing.
    welcome_open: bool,
    /// Whether the saved zoom has been applied to the window yet.
    zoom_applied: bool,
    /// When the process started, and what to log with the time taken on
    /// the app's first frame (see [`Starting`]).
    launched: Option<(std::time::Instant, &'static str)>,
    /// Messages from work started in the background (today's backup).
    background_notices: Option<Receiver<String>>,
    /// Home shows before the review log is read (see [`App::starting`]).
    early_home: bool,
}

impl App {
    /// The app over `study` (or the error that kept it from opening), reading
    /// the time from `clock`.
    pub fn new(study: Result<Study, String>, clock: Box<dyn Fn() -> Timestamp>) -> App {
        App::open(study, clock, false)
    }

    /// The app as the window starts it: like [`App::new`], but Home shows
    /// its counts before the review log, still being read on another thread,
    /// is in, and fills in mastery when it arrives.
    pub fn starting(study: Result<Study, String>, clock: Box<dyn Fn() -> Timestamp>) -> App {
        App::open(study, clock, true)
    }

    fn open(
        study: Result<Study, String>,
        clock: Box<dyn Fn() -> Timestamp>,
        early_home: bool,
    ) -> App {
        let seed = clock().0 as u64;
        let mut app = App {
            study,
            screen: Screen::Home,
            clock,
            rng: StdRng::seed_from_u64(seed),
            selected: BTreeSet::new(),
            home: HomeView::default(),
            optimizer: Optimizer::default(),
            notice: None,
            applied_theme: None,
            focus_tries: 20,
            watcher: None,
            reload_pending: false,
            had_focus: None,
            recovery: None,
            help_open: false,
            welcome_open: false,
            zoom_applied: false,
            launched: None,
            background_notices: None,
            early_home,
        };
        crate::timed("prepare Home", || app.refresh());
        app
    }

    /// Starts watching the deck folders, so edits on disk show up at once.
    /// Without a data folder (tests over an in-memory library) it does nothing.
    pub fn watch_decks(&mut self, ctx: &egui::Context) {
        let Some(paths) = self.study().and_then(Study::paths) else {
            return;
        };
        let user = paths.user_decks();
        let mut folders = vec![user.clone()];
        folders.extend(paths.extra_decks.iter().cloned());
        match watch::DeckWatcher::new(&folders, &user, ctx.clone()) {
            Ok(watcher) => self.watcher = Some(watcher),
            Err(e) => {
                self.notice = Some(format!(
                    "Cannot watch your deck folder ({e}); edits show up when the window regains focus."
                ))
            }
        }
    }

    /// Shows the welcome if this data folder has never seen it.
    pub fn offer_welcome(&mut self) {
        self.welcome_open = self.study().is_some_and(|s| !s.settings.welcome_seen);
    }

    /// Whether the shortcut help is open.
    pub fn help_open(&self) -> bool {
        self.help_open
    }

    /// Whether the first-launch welcome is showing.
    pub fn welcome_open(&self) -> bool {
        self.welcome_open
    }

    /// Offers to restore a backup or start a fresh database, for a data
    /// folder whose database is damaged.
    pub fn offer_recovery(&mut self, paths: Paths) {
        self.recovery = Some(paths);
    }

    /// Opens the data folder again (after a restore or a fresh start).
    fn reopen(&mut self, paths: &Paths) {
        self.study = Study::open_exclusive(paths).map_err(|e| e.to_string());
        self.recovery = None;
        self.screen = Screen::Home;
        self.refresh();
    }

    /// Restores `backup` (or, with `None`, starts afresh) over the damaged or
    /// current database, having closed it, then opens the folder again.
    fn replace_database(&mut self, paths: &Paths, backup: Option<&std::path::Path>, reason: &str) {
        let now = (self.clock)();
        // Close the database (and release the folder's lock) before moving files.
        self.study = Err("Replacing the database…".to_string());
        let db = paths.database();
        let moved = match backup {
            Some(file) => crate::backup::restore_over(file, &db, reason, now),
            None => crate::backup::move_aside(&db, reason, now),
        };
        self.reopen(paths);
        self.notice = Some(match (moved, backup) {
            (Ok(Some(old)), Some(file)) => format!(
                "Restored {}. The previous database is kept as {}.",
                file.display(),
                old.display()
            ),
            (Ok(_), Some(file)) => format!("Restored {}.", file.display()),
            (Ok(Some(old)), None) => format!(
                "Started a fresh database. The damaged one is kept as {}.",
                old.display()
            ),
            (Ok(None), None) => "Started a fresh database.".to_string(),
            (Err(e), _) => format!("Nothing was replaced: {e}"),
        });
    }

    /// The study state, when the data folder opened.
    pub fn study(&self) -> Option<&Study> {
        self.study.as_ref().ok()
    }

    /// The study state, to change it from outside a frame (tests, imports).
    pub fn study_mut(&mut self) -> Option<&mut Study> {
        self.study.as_mut().ok()
    }

    /// The screen shown now.
    pub fn screen(&self) -> &Screen {
        &self.screen
    }

    fn refresh(&mut self) {
        let now = (self.clock)();
        if let Ok(study) = &mut self.study {
            match HomeView::build(study, &self.selected, now, self.early_home) {
                Ok(view) => self.home = view,
                Err(e) => self.notice = Some(e.to_string()),
            }
        }
    }

    /// Applies one action: the only place where state changes.
    pub fn apply(&mut self, action: Action) {
        let now = (self.clock)();
        match (
            &action,
            self.recovery.clone(),
            self.study().and_then(|s| s.paths().cloned()),
        ) {
            (Action::StartFresh, Some(paths), _) => {
                return self.replace_database(&paths, None, "corrupt");
            }
            (Action::RestoreBackup(file), Some(paths), _) => {
                return self.replace_database(&paths, Some(file), "corrupt");
            }
            (Action::RestoreBackup(file), None, Some(paths)) => {
                return self.replace_database(&paths, Some(file), "replaced");
            }
            _ => {}
        }
        let Ok(study) = &mut self.study else { return };
        // Background events keep the message on screen; the learner's actions replace it.
        if !matches!(
            action,
            Action::ReloadDecks | Action::Optimized(_) | Action::SaveZoom(_)
        ) {
            self.notice = None;
        }
        let result = match action {
            Action::Start(mode) => study
                .queue(mode, &self.selected, now, &mut self.rng)
                .and_then(|queue| start(study, mode, queue, now, &mut self.rng)),
            Action::Retry(keys) => start(study, Mode::Retry, keys, now, &mut self.rng),
            Action::Drill { deck, topic } => {
                let queue = study.weak_queue(&[(deck.as_str(), topic.as_str())], now);
                start(study, Mode::Weak, queue, now, &mut self.rng)
            }
            Action::OpenStats => {
                crate::timed("statistics", || StatsView::build(study, Scope::All, now))
                    .map(|view| Some(Screen::Stats(Box::new(view))))
            }
            Action::StatsScope(scope) => {
                crate::timed("statistics", || StatsView::build(study, scope, now))
                    .map(|view| Some(Screen::Stats(Box::new(view))))
            }
            Action::ToggleDeck(id) => {
                if !self.selected.remove(&id) {
                    self.selected.insert(id);
                }
                Ok(None)
            }
            Action::SelectAllDecks => {
                self.selected.clear();
                Ok(None)
            }
            Action::OpenSettings => study.training_count(now).map(|items| {
                Some(Screen::Settings(Box::new(SettingsScreen {
                    draft: study.settings.clone(),
                    training_items: items,
                    backups: study
                        .paths()
                        .map(|p| crate::backup::list(&p.backups()))
                        .unwrap_or_default(),
                    confirm_restore: None,
                })))
            }),
            Action::BackUpNow => match study.paths() {
                Some(paths) => {
                    crate::backup::backup_now(&study.store, &paths.backups(), now).map(|path| {
                        self.notice = Some(format!("Backed up to {}", path.display()));
                        if let Screen::Settings(form) = &mut self.screen {
                            form.backups = crate::backup::list(&paths.backups());
                        }
                        None
                    })
                }
                None => Ok(None),
            },
            Action::RestoreBackup(_) | Action::StartFresh => Ok(None),
            Action::SaveZoom(zoom) => {
                let settings = Settings {
                    zoom,
                    ..study.settings.clone()
                };
                study.save_settings(settings).map(|()| None)
            }
            Action::DismissWelcome(deck) => {
                self.welcome_open = false;
                if let Some(id) = deck.filter(|id| study.library.deck(id).is_some()) {
                    self.selected = [id].into();
                }
                let settings = Settings {
                    welcome_seen: true,
                    ..study.settings.clone()
                };
                study.save_settings(settings).map(|()| None)
            }
            Action::SaveSettings(settings) => {
                // Parameters change only through the optimizer or a reset.
                let settings = Settings {
                    parameters: study.settings.parameters.clone(),
                    ..settings
                };
                study.save_settings(settings).map(|()| Some(Screen::Home))
            }
            Action::Optimize => Optimizer::start(study, now).map(|job| {
                self.optimizer = job;
                None
            }),
            Action::Optimized(outcome) => {
                let saved = match &outcome {
                    Ok(result) if result.is_better() => {
                        study.save_parameters(result.parameters.clone())
                    }
                    _ => Ok(()),
                };
                self.optimizer = Optimizer::Done(outcome);
                saved.map(|()| None)
            }
            Action::ResetParameters => study.save_parameters(Vec::new()).map(|()| {
                self.optimizer = Optimizer::Idle;
                None
            }),
            Action::Home => Ok(Some(Screen::Home)),
            Action::OpenDecks => Ok(Some(Screen::Decks(DecksScreen::default()))),
            Action::OpenEditor(None) => {
                Ok(Some(Screen::Editor(Box::new(EditorScreen::new_deck()))))
            }
            Action::OpenEditor(Some(id)) => match study.library.deck(&id) {
                Some(d) => {
                    let read_only = d.origin == crate::deck::Origin::Bundled;
                    d.full().map_err(crate::Error::DeckText).map(|deck| {
                        Some(Screen::Editor(Box::new(EditorScreen::open(
                            deck, read_only,
                        ))))
                    })
                }
                None => Ok(None),
            },
            Action::SaveDeck(deck) => {
                let is_new = matches!(&self.screen, Screen::Editor(e) if e.is_new);
                study.save_deck(&deck, is_new).map(|path| {
                    if let Screen::Editor(editor) = &mut self.screen {
                        editor.saved();
                    }
                    self.notice = Some(format!("Saved {}", path.display()));
                    None
                })
            }
            Action::CopyDeck(id) => study.copy_deck(&id).and_then(|path| {
                self.notice = Some(format!("Copied to {}; edit it freely.", path.display()));
                let deck = study.full_deck(&id)?;
                Ok(Some(Screen::Editor(Box::new(EditorScreen::open(
                    deck, false,
                )))))
            }),
            Action::ExportDeck { id, csv } => {
                let mut screen = DecksScreen::default();
                screen.export(&id, csv);
                Ok(Some(Screen::Decks(screen)))
            }
            Action::WriteExport { id, csv, path } => study.export_deck(&id, csv, &path).map(|n| {
                Some(Screen::Decks(DecksScreen {
                    dialog: DecksDialog::Report(vec![format!(
                        "wrote {n} questions of {id} to {}",
                        path.display()
                    )]),
                }))
            }),
            Action::ReadImport(path) => study.read_import(&path, None).and_then(|plan| {
                if plan.existing.is_empty() {
                    let report = study.apply_import(plan, now)?;
                    Ok(Some(Screen::Decks(DecksScreen::reporting(&report))))
                } else {
                    Ok(Some(Screen::Decks(DecksScreen {
                        dialog: DecksDialog::Confirm(Box::new(plan)),
                    })))
                }
            }),
            Action::ConfirmImport => match &mut self.screen {
                Screen::Decks(decks) => match std::mem::take(&mut decks.dialog) {
                    DecksDialog::Confirm(plan) => study
                        .apply_import(*plan, now)
                        .map(|report| Some(Screen::Decks(DecksScreen::reporting(&report)))),
                    _ => Ok(None),
                },
                _ => Ok(None),
            },
            Action::ReloadDecks => {
                study.reload_decks();
                self.reload_pending = false;
                self.selected.retain(|id| study.library.deck(id).is_some());
                Ok(None)
            }
            session_action => match &mut self.screen {
                Screen::Session(screen) => screen.apply(study, session_action, now, &mut self.rng),
                _ => Ok(None),
            },
        };
        match result {
            Ok(Some(screen)) => self.screen = screen,
            Ok(None) => {}
            Err(e) => self.notice = Some(e.to_string()),
        }
        // Home's numbers are only needed on Home; a session does not pay for them.
        if matches!(self.screen, Screen::Home) {
            self.refresh();
        }
    }

    /// Called when the window closes: a session in progress is ended and
    /// scored (its answers are already stored).
    pub fn close(&mut self) {
        if matches!(self.screen, Screen::Session(_)) {
            self.apply(Action::EndSession);
        }
    }

    /// Draws one frame and applies what it asked for.
    pub fn frame(&mut self, ui: &mut egui::Ui) {
        self.apply_theme(ui.ctx());
        let focused = ui.input(|i| i.focused);
        // The window's first focus is not a return to it: the decks were
        // just loaded, and the watcher reports changes from then on.
        let regained_focus = focused && self.had_focus == Some(false);
        if focused || self.had_focus.is_some() {
            self.had_focus = Some(focused);
        }
        if self
            .watcher
            .as_ref()
            .is_some_and(watch::DeckWatcher::take_change)
            || regained_focus
        {
            self.reload_pending = true;
        }
        // Files dropped on the window are imported, from any screen but a session.
        let dropped: Vec<PathBuf> = ui.input(|i| {
            i.raw
                .dropped_files
                .iter()
                .map(|f| f.path().to_path_buf())
                .collect()
        });
        for path in dropped {
            if matches!(self.screen, Screen::Session(_)) {
                self.notice = Some(format!(
                    "Finish or end the session to import {}.",
                    path.display()
                ));
            } else {
                self.apply(Action::ReadImport(path));
            }
        }
        // A session keeps the decks it started with; the reload waits for its end.
        if self.reload_pending && !matches!(self.screen, Screen::Session(_)) {
            self.apply(Action::ReloadDecks);
        }
        if let Some(notices) = &self.background_notices {
            match notices.try_recv() {
                Ok(message) => self.notice = Some(message),
                Err(TryRecvError::Disconnected) => self.background_notices = None,
                Err(TryRecvError::Empty) => {}
            }
        }
        // Home's mastery fills in once the review log, read on another
        // thread at start-up, is in; until then, look again shortly.
        if self.home.mastery_pending && matches!(self.screen, Screen::Home) {
            if self.study().is_some_and(Study::history_ready) {
                self.refresh();
            } else {
                ui.ctx()
                    .request_repaint_after(std::time::Duration::from_millis(25));
            }
        }
        if ui.input_mut(|i| i.consume_key(egui::Modifiers::COMMAND, egui::Key::Q)) {
            ui.ctx().send_viewport_cmd(egui::ViewportCommand::Close);
        }
        let mut actions = Vec::new();
        let now = (self.clock)();
        let Self {
            study,
            screen,
            home,
            notice,
            selected,
            optimizer,
            ..
        } = self;
        if let Some(outcome) = optimizer.poll() {
            actions.push(Action::Optimized(outcome));
        } else if optimizer.is_running() {
            // Only while the optimizer runs: its progress bar needs redrawing.
            ui.ctx()
                .request_repaint_after(std::time::Duration::from_millis(150));
        }
        let study = match study {
            Ok(study) => study,
            Err(message) => {
                let recovery = self.recovery.as_ref();
                egui::CentralPanel::default()
                    .show(ui, |ui| failed_ui(ui, message, recovery, &mut actions));
                for action in actions {
                    self.apply(action);
                }
                return;
            }
        };
        let today = study.today(now);
        // The saved zoom on the first frame; after that, remember changes
        // made with Ctrl + / Ctrl − / Ctrl 0 (egui handles the keys).
        let ctx = ui.ctx().clone();
        if !self.zoom_applied {
            ctx.set_zoom_factor(study.settings.zoom);
            self.zoom_applied = true;
        } else {
            let range = crate::settings::ZOOM_RANGE;
            let zoom = ctx.zoom_factor().clamp(*range.start(), *range.end());
            if zoom != ctx.zoom_factor() {
                ctx.set_zoom_factor(zoom);
            }
            if (zoom - study.settings.zoom).abs() > 0.001 {
                actions.push(Action::SaveZoom(zoom));
            }
        }
        // `?` types into a focused text field; F1 works there too.
        let typing = ctx.egui_wants_keyboard_input();
        if ui.input(|i| {
            (!typing && i.key_pressed(egui::Key::Questionmark)) || i.key_pressed(egui::Key::F1)
        }) {
            self.help_open = !self.help_open;
        }
        if self.help_open && !help::help_ui(&ctx, screen) {
            self.help_open = false;
        }
        if self.welcome_open {
            help::welcome_ui(&ctx, &mut actions);
        }
        // A dialog on top has the keyboard: the screen below must not act on
        // the Enter or Esc meant for it.
        if self.help_open || self.welcome_open {
            ctx.input_mut(|i| {
                i.events
                    .retain(|e| !matches!(e, egui::Event::Key { .. } | egui::Event::Text(_)))
            });
        }
        if let Some(message) = notice.as_deref() {
            egui::Panel::bottom("notice").show(ui, |ui| {
                ui.colored_label(ui.visuals().warn_fg_color, message);
            });
        }
        let frame =
            egui::Frame::central_panel(ui.style()).inner_margin(egui::Margin::symmetric(24, 16));
        egui::CentralPanel::default()
            .frame(frame)
            .show(ui, |ui| match screen {
                Screen::Home => home.ui(ui, study, selected, &mut actions),
                Screen::Session(s) => s.ui(ui, study, &mut actions),
                Screen::Results(summary) => results::ui(ui, study, summary, &mut actions),
                Screen::Settings(form) => settings::ui(ui, study, form, optimizer, &mut actions),
                Screen::Stats(view) => view.ui(ui, study, &mut actions),
                Screen::Decks(decks) => decks.ui(ui, study, &mut actions),
                Screen::Editor(editor) => editor.ui(ui, study, today, &mut actions),
            });
        for action in actions {
            self.apply(action);
        }
    }

    fn apply_theme(&mut self, ctx: &egui::Context) {
        let theme = self
            .study
            .as_ref()
            .map_or(Theme::System, |s| s.settings.theme);
        if self.applied_theme != Some(theme) {
            apply_look(ctx, theme);
            self.applied_theme = Some(theme);
        }
    }
}

/// Gives the window the light or dark look `theme` asks for, with Recall's
/// text sizes and colours.
fn apply_look(ctx: &egui::Context, theme: Theme) {
    ctx.set_theme(match theme {
        Theme::System => egui::ThemePreference::System,
        Theme::Light => egui::ThemePreference::Light,
        Theme::Dark => egui::ThemePreference::Dark,
    });
    ctx.all_styles_mut(theme::apply);
}

/// Installs Recall's fonts: egui's defaults, then DejaVu Sans (and Mono) as
/// fallbacks so the maths and arrows in decks (σ², Σ, ∂, →, ≤, ᵀ) render.
pub fn setup(ctx: &egui::Context) {
    let mut fonts = egui::FontDefinitions::default();
    for (name, bytes, family) in [
        (
            "DejaVuSans",
            &include_bytes!("../../assets/fonts/DejaVuSans.ttf")[..],
            egui::FontFamily::Proportional,
        ),
        (
            "DejaVuSansMono",
            &include_bytes!("../../assets/fonts/DejaVuSansMono.ttf")[..],
            egui::FontFamily::Monospace,
        ),
    ] {
        fonts.font_data.insert(
            name.to_string(),
            std::sync::Arc::new(egui::FontData::from_static(bytes)),
        );
        fonts
            .families
            .entry(family)
            .or_default()
            .push(name.to_string());
    }
    // Monospace falls back to DejaVu Sans too, for symbols the mono face lacks.
    fonts
        .families
        .entry(egui::FontFamily::Monospace)
        .or_default()
        .push("DejaVuSans".to_string());
    ctx.set_fonts(fonts);
}

/// A centred column of readable width.
pub(crate) fn column(ui: &mut egui::Ui, max_width: f32, add: impl FnOnce(&mut egui::Ui)) {
    let width = ui.available_width().min(max_width);
    let margin = ((ui.available_width() - width) / 2.0).max(0.0);
    ui.horizontal_top(|ui| {
        ui.add_space(margin);
        ui.vertical(|ui| {
            ui.set_width(width);
            add(ui);
        });
    });
}

fn start(
    study: &mut Study,
    mode: Mode,
    queue: Vec<CardKey>,
    now: Timestamp,
    rng: &mut StdRng,
) -> crate::Result<Option<Screen>> {
    if queue.is_empty() {
        return Ok(None);
    }
    let session = study.start(mode, queue, now)?;
    Ok(Some(Screen::Session(SessionScreen::new(
        study, session, rng,
    ))))
}

/// Moves a window-layout file that is not readable RON aside as `.bak`
/// (eframe would silently drop it), returning where it went.
fn set_aside_if_unreadable(file: &std::path::Path) -> Option<PathBuf> {
    let text = std::fs::read(file).ok()?;
    let readable = std::str::from_utf8(&text)
        .ok()
        .is_some_and(|t| ron::from_str::<ron::Value>(t).is_ok());
    if readable {
        return None;
    }
    let bak = file.with_extension("ron.bak");
    std::fs::rename(file, &bak).ok().map(|()| bak)
}

fn failed_ui(
    ui: &mut egui::Ui,
    message: &str,
    recovery: Option<&Paths>,
    actions: &mut Vec<Action>,
) {
    ui.vertical_centered(|ui| {
        ui.add_space(80.0);
        ui.heading("Recall could not open your data");
        ui.add_space(12.0);
        ui.label(message);
        ui.add_space(12.0);
        let Some(paths) = recovery else {
            ui.label("Nothing was changed. Close the other Recall, or start Recall with --data-dir DIR to use another folder.");
            return;
        };
        ui.label(
            "Nothing was changed yet. Either choice keeps the damaged file: it is renamed with “.corrupt-” and the time, never deleted.",
        );
        ui.add_space(12.0);
        let backups = crate::backup::list(&paths.backups());
        match backups.first() {
            Some(newest) => {
                if ui
                    .button(format!("Restore the newest backup ({})", newest.label()))
                    .clicked()
                {
                    actions.push(Action::RestoreBackup(newest.path.clone()));
                }
            }
            None => {
                ui.label(egui::RichText::new("There is no backup to restore.").weak());
            }
        }
        if ui.button("Start a fresh database").clicked() {
            actions.push(Action::StartFresh);
        }
    });
}

impl eframe::App for App {
    fn ui(&mut self, ui: &mut egui::Ui, frame: &mut eframe::Frame) {
        #[cfg(target_os = "linux")]
        if self.focus_tries > 0 {
            // The window may not be mapped on the first frames; retry briefly, then stop.
            if x11_focus::focus_without_window_manager(frame) {
                self.focus_tries = 0;
            } else {
                self.focus_tries -= 1;
                ui.ctx()
                    .request_repaint_after(std::time::Duration::from_millis(100));
            }
        }
        #[cfg(not(target_os = "linux"))]
        let _ = frame;
        self.frame(ui);
        if let Some((launched, what)) = self.launched.take() {
            log::debug!(
                "{what} {:.1} ms after start",
                launched.elapsed().as_secs_f64() * 1000.0
            );
        }
    }

    fn on_exit(&mut self, _gl: Option<&eframe::glow::Context>) {
        self.close();
    }
}

/// What opening the data folder gives the window: the study (or why it did
/// not open), and what the learner should be told about it.
type Opened = (crate::Result<Study>, Vec<String>);

/// Opens the data folder for the window.
fn open_data(paths: &Paths) -> Opened {
    let mut notices = Vec::new();
    let opened = Study::open_exclusive(paths);
    if let Ok(study) = &opened {
        match study.store.unreadable_settings() {
            Ok(keys) if !keys.is_empty() => notices.push(format!(
                "Some settings could not be read ({}) and use their defaults until you save Settings.",
                keys.join(", ")
            )),
            _ => {}
        }
    }
    (opened, notices)
}

/// Takes today's backup, if none was taken yet, on another thread over a
/// read-only connection of its own, so the first frame does not wait for it.
/// A failure comes back as a notice, and wakes the window to show it.
fn start_daily_backup(paths: &Paths, ctx: &egui::Context) -> Option<Receiver<String>> {
    let (send, receive) = std::sync::mpsc::channel();
    let (database, folder) = (paths.database(), paths.backups());
    let ctx = ctx.clone();
    std::thread::Builder::new()
        .name("daily backup".to_string())
        .spawn(move || {
            let taken = crate::timed("daily backup (in the background)", || {
                Store::open_reader(&database)
                    .and_then(|store| crate::backup::daily(&store, &folder, Timestamp::now()))
            });
            if let Err(e) = taken {
                // The window may be closed already; then nobody needs to hear.
                let _ = send.send(format!("The daily backup failed: {e}"));
                ctx.request_repaint();
            }
        })
        .ok()?;
    Some(receive)
}

/// Opens the app window on `paths`.
pub fn run(paths: Paths) -> ExitCode {
    let launched = std::time::Instant::now();
    let window_file = paths.data_dir.join("window.ron");
    let mut notices = Vec::new();
    if let Some(kept) = set_aside_if_unreadable(&window_file) {
        notices.push(format!(
            "The window layout file could not be read; it is kept as {} and the layout starts afresh.",
            kept.display()
        ));
    }
    // The decks and the database open on another thread while the window
    // and its GL context are made; the app takes them when it starts.
    let opening = {
        let paths = paths.clone();
        Opening::spawn("open", move || open_data(&paths))
    };
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title("Recall")
            .with_app_id("recall")
            .with_inner_size([1100.0, 760.0])
            .with_min_inner_size([640.0, 480.0])
            .with_icon(std::sync::Arc::new(
                eframe::icon_data::from_png_bytes(include_bytes!("../../assets/icon.png"))
                    .unwrap_or_default(),
            ))
            .with_active(true),
        // Window size and position live with the rest of the learner's data, so --data-dir keeps everything in one place.
        persistence_path: Some(window_file),
        ..Default::default()
    };
    let result = eframe::run_native(
        "Recall",
        options,
        Box::new(move |cc| {
            setup(&cc.egui_ctx);
            let database = paths.database();
            let unthreaded = paths.clone();
            let mut finish = move |(opened, more): Opened, ctx: &egui::Context| {
                notices.extend(more);
                let damaged = matches!(opened, Err(crate::Error::CorruptDatabase { .. }));
                let backup = opened
                    .is_ok()
                    .then(|| start_daily_backup(&paths, ctx))
                    .flatten();
                let study = opened.map_err(|e| e.to_string());
                if let Err(message) = &study {
                    eprintln!("recall: {message}");
                }
                let mut app = App::starting(study, Box::new(Timestamp::now));
                app.watch_decks(ctx);
                app.offer_welcome();
                if damaged {
                    app.offer_recovery(paths.clone());
                }
                if !notices.is_empty() {
                    app.notice = Some(notices.join(" "));
                }
                app.background_notices = backup;
                app
            };
            let ctx = &cc.egui_ctx;
            Ok(match opening {
                Ok(opening) => {
                    let starting = Starting::new(opening, finish, ctx, Some(launched));
                    // Only read when the opening screen will show; a folder
                    // without a readable database opens in the system's look.
                    match starting.app() {
                        Some(_) => Box::new(starting),
                        None => match Store::open_reader(&database).and_then(|s| s.settings()) {
                            Ok(settings) => Box::new(starting.with_look(&settings, ctx)),
                            Err(_) => Box::new(starting),
                        },
                    }
                }
                Err(_) => {
                    let mut app = finish(open_data(&unthreaded), ctx);
                    app.launched = Some((launched, "first frame drawn"));
                    Box::new(app)
                }
            })
        }),
    );
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("recall: cannot open a window: {e}");
            ExitCode::FAILURE
        }
    }
}
