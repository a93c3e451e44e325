//! Settings: desired retention, daily limits, quick-quiz length, the hour
//! days roll over, the theme, and the scheduler's parameters with *Optimize
//! from my history*. Edits a draft; *Save* applies it. The optimizer runs in
//! a background thread ([`Optimizer`]) that outlives the screen.

use std::sync::mpsc;

use egui::RichText;

use super::Action;
use crate::clock::Timestamp;
use crate::scheduler::training::{MIN_TRAINING_ITEMS, Optimized, Progress, optimize};
use crate::settings::{RETENTION_RANGE, Settings, Theme};
use crate::study::Study;

/// The settings screen's state.
#[derive(Debug, Clone)]
pub struct SettingsScreen {
    /// The values being edited.
    pub draft: Settings,
    /// Training items in the review log, counted when the screen opened.
    pub training_items: usize,
    /// The database's backups, newest first.
    pub backups: Vec<crate::backup::Backup>,
    /// A backup waiting for the learner to confirm the restore.
    pub confirm_restore: Option<std::path::PathBuf>,
}

/// *Optimize from my history*: idle, running in the background, or done.
#[derive(Default)]
pub enum Optimizer {
    /// Not run since the app started.
    #[default]
    Idle,
    /// Running; `progress` is shared with the worker thread.
    Running {
        /// How far the crate's optimizer has got.
        progress: Progress,
        /// Where the worker sends its outcome.
        outcome: mpsc::Receiver<Result<Optimized, String>>,
    },
    /// Finished: the outcome, and whether the new parameters were saved.
    Done(Result<Optimized, String>),
}

impl Optimizer {
    /// Starts the optimizer on the learner's history in a background thread.
    pub fn start(study: &mut Study, now: Timestamp) -> crate::Result<Optimizer> {
        let (items, card_ids) = study.training_set(now)?;
        let current = study.settings.parameters.clone();
        let retention = study.settings.desired_retention;
        let progress: Progress = fsrs::CombinedProgressState::new_shared();
        let (send, outcome) = mpsc::channel();
        let worker_progress = progress.clone();
        std::thread::spawn(move || {
            let result = optimize(items, card_ids, &current, retention, worker_progress)
                .map_err(|e| e.to_string());
            // The receiver is gone only if the app closed; nothing to report then.
            let _ = send.send(result);
        });
        Ok(Optimizer::Running { progress, outcome })
    }

    /// The outcome, once the worker has sent it (checked without blocking).
    pub fn poll(&self) -> Option<Result<Optimized, String>> {
        match self {
            Optimizer::Running { outcome, .. } => match outcome.try_recv() {
                Ok(result) => Some(result),
                Err(mpsc::TryRecvError::Empty) => None,
                Err(mpsc::TryRecvError::Disconnected) => {
                    Some(Err("the optimizer stopped unexpectedly".to_string()))
                }
            },
            _ => None,
        }
    }

    /// Whether it is running.
    pub fn is_running(&self) -> bool {
        matches!(self, Optimizer::Running { .. })
    }
}

/// Draws the settings form.
pub fn ui(
    ui: &mut egui::Ui,
    study: &Study,
    screen: &mut SettingsScreen,
    optimizer: &Optimizer,
    actions: &mut Vec<Action>,
) {
    let SettingsScreen {
        draft,
        training_items,
        backups,
        confirm_restore,
    } = screen;
    if ui.input_mut(|i| i.consume_key(egui::Modifiers::NONE, egui::Key::Escape)) {
        actions.push(Action::Home);
    }
    if ui.input_mut(|i| i.consume_key(egui::Modifiers::COMMAND, egui::Key::S)) {
        actions.push(Action::SaveSettings(draft.clone()));
    }
    ui.heading("Settings");
    ui.add_space(12.0);
    egui::ScrollArea::vertical()
        .auto_shrink([false, false])
        .show(ui, |ui| {
            egui::Grid::new("settings")
                .num_columns(2)
                .spacing([24.0, 12.0])
                .show(ui, |ui| {
                    let label = ui.label("Desired retention");
                    ui.add(
                        egui::Slider::new(&mut draft.desired_retention, RETENTION_RANGE)
                            .fixed_decimals(2)
                            .step_by(0.01),
                    )
                    .labelled_by(label.id)
                    .on_hover_text(
                        "The chance of remembering a card when it comes due. Higher means more reviews.",
                    );
                    ui.end_row();

                    number_row(ui, "New cards per day", &mut draft.new_per_day, 0..=9999);
                    number_row(ui, "Reviews per day", &mut draft.reviews_per_day, 0..=9999);
                    number_row(
                        ui,
                        "Questions per quiz or drill",
                        &mut draft.quick_quiz_len,
                        1..=500,
                    );

                    let label = ui.label("New day starts at");
                    ui.add(
                        egui::DragValue::new(&mut draft.rollover_hour)
                            .range(0..=23)
                            .suffix(":00"),
                    )
                    .labelled_by(label.id);
                    ui.end_row();

                    ui.label("Theme");
                    ui.horizontal(|ui| {
                        for theme in Theme::ALL {
                            ui.radio_value(&mut draft.theme, theme, theme.label());
                        }
                    });
                    ui.end_row();

                    ui.label("Database");
                    let path = study
                        .database_path()
                        .map_or_else(|| "in memory".to_string(), |p| p.display().to_string());
                    ui.label(RichText::new(path).monospace());
                    ui.end_row();
                });
            ui.add_space(16.0);
            ui.horizontal(|ui| {
                if ui.button("Save").on_hover_text("Ctrl+S").clicked() {
                    actions.push(Action::SaveSettings(draft.clone()));
                }
                if ui.button("Cancel").on_hover_text("Esc").clicked() {
                    actions.push(Action::Home);
                }
            });
            ui.add_space(20.0);
            ui.separator();
            scheduler_section(ui, study, *training_items, optimizer, actions);
            ui.add_space(20.0);
            ui.separator();
            backup_section(ui, backups, confirm_restore, actions);
        });
}

/// The parameters in use, *Optimize from my history* and *Reset to defaults*.
fn scheduler_section(
    ui: &mut egui::Ui,
    study: &Study,
    training_items: usize,
    optimizer: &Optimizer,
    actions: &mut Vec<Action>,
) {
    ui.label(
        RichText::new("Scheduler")
            .strong()
            .size(super::theme::SECTION),
    );
    let parameters = &study.settings.parameters;
    if parameters.is_empty() {
        ui.label("FSRS-6 with its default parameters.");
    } else {
        ui.label("FSRS-6 with parameters learned from your history:");
        let shown: Vec<String> = parameters.iter().map(|p| format!("{p:.4}")).collect();
        ui.label(RichText::new(shown.join("  ")).monospace().size(12.0));
    }
    ui.add_space(6.0);
    ui.horizontal(|ui| {
        let enough = training_items >= MIN_TRAINING_ITEMS;
        let hint = if enough {
            format!(
                "Fit FSRS to your {training_items} reviews made a day or more after the previous one"
            )
        } else {
            format!(
                "Needs {MIN_TRAINING_ITEMS} reviews made a day or more after the card's previous review; you have {training_items}"
            )
        };
        let button = ui
            .add_enabled(
                enough && !optimizer.is_running(),
                egui::Button::new("Optimize from my history"),
            )
            .on_hover_text(&hint)
            .on_disabled_hover_text(&hint);
        if button.clicked() {
            actions.push(Action::Optimize);
        }
        if ui
            .add_enabled(
                !parameters.is_empty() && !optimizer.is_running(),
                egui::Button::new("Reset to defaults"),
            )
            .clicked()
        {
            actions.push(Action::ResetParameters);
        }
        if !enough {
            ui.label(RichText::new(hint).weak());
        }
    });
    match optimizer {
        Optimizer::Idle => {}
        Optimizer::Running { progress, .. } => {
            let (current, total) = progress.lock().map_or((0, 0), |p| (p.current(), p.total()));
            let share = if total == 0 {
                0.0
            } else {
                current as f32 / total as f32
            };
            ui.add(
                egui::ProgressBar::new(share)
                    .show_percentage()
                    .desired_width(320.0),
            );
            ui.label(RichText::new("Optimizing in the background; you can keep studying.").weak());
        }
        Optimizer::Done(Ok(result)) => {
            let verdict = if result.is_better() {
                "The new parameters fit your history better and are now in use."
            } else {
                "The new parameters did not fit your history better, so the current ones were kept."
            };
            ui.label(verdict);
            egui::Grid::new("evaluation")
                .num_columns(3)
                .spacing([24.0, 4.0])
                .show(ui, |ui| {
                    ui.label("");
                    ui.label(RichText::new("log loss").strong());
                    ui.label(RichText::new("RMSE").strong());
                    ui.end_row();
                    for (name, (loss, rmse)) in
                        [("Before", result.before), ("Optimized", result.after)]
                    {
                        ui.label(name);
                        ui.label(format!("{loss:.4}"));
                        ui.label(format!("{rmse:.4}"));
                        ui.end_row();
                    }
                });
            ui.label(RichText::new("Lower is better; measured on your own reviews.").weak());
        }
        Optimizer::Done(Err(message)) => {
            ui.colored_label(
                ui.visuals().warn_fg_color,
                format!("Optimizing failed: {message}"),
            );
        }
    }
}

/// The backups, *Back up now*, and *Restore* with a confirmation.
fn backup_section(
    ui: &mut egui::Ui,
    backups: &[crate::backup::Backup],
    confirm_restore: &mut Option<std::path::PathBuf>,
    actions: &mut Vec<Action>,
) {
    ui.label(
        RichText::new("Backups")
            .strong()
            .size(super::theme::SECTION),
    );
    ui.label(
        RichText::new(format!(
            "Recall backs your database up once a day when it starts, keeping the newest {}. A restore never deletes anything: the current database is kept beside it, renamed with the time.",
            crate::backup::KEEP
        ))
        .weak(),
    );
    if ui.button("Back up now").clicked() {
        actions.push(Action::BackUpNow);
    }
    if backups.is_empty() {
        ui.label(RichText::new("No backups yet.").italics().weak());
    }
    for backup in backups {
        ui.horizontal(|ui| {
            ui.label(backup.label());
            ui.label(
                RichText::new(backup.path.display().to_string())
                    .weak()
                    .size(12.0),
            );
            if confirm_restore.as_ref() == Some(&backup.path) {
                ui.colored_label(
                    ui.visuals().warn_fg_color,
                    "Replace your database with this backup?",
                );
                if ui.button("Yes, restore").clicked() {
                    actions.push(Action::RestoreBackup(backup.path.clone()));
                }
                if ui.button("Cancel").clicked() {
                    *confirm_restore = None;
                }
            } else if ui
                .button("Restore")
                .on_hover_text(format!("Restore the backup of {}", backup.label()))
                .clicked()
            {
                *confirm_restore = Some(backup.path.clone());
            }
        });
    }
}

fn number_row(
    ui: &mut egui::Ui,
    name: &str,
    value: &mut u32,
    range: std::ops::RangeInclusive<u32>,
) {
    let label = ui.label(name);
    ui.add(egui::DragValue::new(value).range(range))
        .labelled_by(label.id);
    ui.end_row();
}
