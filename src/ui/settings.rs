//! Settings: desired retention, daily limits, quick-quiz length, the hour
//! days roll over, and the theme. Edits a draft; *Save* applies it.

use egui::RichText;

use super::Action;
use crate::settings::{RETENTION_RANGE, Settings, Theme};
use crate::study::Study;

/// Draws the settings form over `draft`.
pub fn ui(ui: &mut egui::Ui, study: &Study, draft: &mut Settings, actions: &mut Vec<Action>) {
    if ui.input_mut(|i| i.consume_key(egui::Modifiers::NONE, egui::Key::Escape)) {
        actions.push(Action::Home);
    }
    if ui.input_mut(|i| i.consume_key(egui::Modifiers::COMMAND, egui::Key::S)) {
        actions.push(Action::SaveSettings(draft.clone()));
    }
    ui.heading("Settings");
    ui.add_space(12.0);
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
                "Quick quiz questions",
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
