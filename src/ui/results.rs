//! Results: the score, the time taken, accuracy per topic, and each missed
//! question with its right answer and explanation.

use egui::RichText;

use super::{Action, markdown};
use crate::grade::expected_answer;
use crate::session::Summary;
use crate::study::Study;

/// Formats milliseconds as `1m 05s` or `42s`.
pub fn format_duration(ms: i64) -> String {
    let secs = ms / 1000;
    if secs >= 60 {
        format!("{}m {:02}s", secs / 60, secs % 60)
    } else {
        format!("{secs}s")
    }
}

/// Draws the results of `summary`.
pub fn ui(ui: &mut egui::Ui, study: &Study, summary: &Summary, actions: &mut Vec<Action>) {
    if ui.input_mut(|i| i.consume_key(egui::Modifiers::NONE, egui::Key::Enter))
        || ui.input_mut(|i| i.consume_key(egui::Modifiers::NONE, egui::Key::Escape))
    {
        actions.push(Action::Home);
    }
    let missed: Vec<_> = summary.missed.iter().map(|a| a.key.clone()).collect();
    if !missed.is_empty() && ui.input_mut(|i| i.consume_key(egui::Modifiers::NONE, egui::Key::R)) {
        actions.push(Action::Retry(missed.clone()));
    }
    egui::ScrollArea::vertical()
        .auto_shrink([false, false])
        .show(ui, |ui| {
            ui.vertical_centered(|ui| {
                ui.label(RichText::new(format!("{} finished", summary.mode.title())).size(18.0));
                ui.label(
                    RichText::new(format!("{}%", summary.score_percent()))
                        .size(56.0)
                        .strong(),
                );
                ui.label(format!(
                    "{} of {} right · {}",
                    summary.correct,
                    summary.answered,
                    format_duration(summary.duration_ms)
                ));
                ui.add_space(8.0);
                if ui.button("Back to Home").on_hover_text("Enter").clicked() {
                    actions.push(Action::Home);
                }
                if !missed.is_empty()
                    && ui
                        .button("Review the missed ones now")
                        .on_hover_text("R")
                        .clicked()
                {
                    actions.push(Action::Retry(missed.clone()));
                }
            });
            ui.add_space(16.0);
            ui.label(
                RichText::new("Accuracy by topic")
                    .strong()
                    .size(super::theme::SECTION),
            );
            let compares = summary.by_topic.iter().any(|t| t.before.is_some());
            egui::Grid::new("by-topic")
                .num_columns(if compares { 4 } else { 3 })
                .spacing([16.0, 6.0])
                .show(ui, |ui| {
                    for t in &summary.by_topic {
                        let share = t.correct as f64 / t.answered.max(1) as f64;
                        ui.label(&t.topic);
                        ui.add(egui::ProgressBar::new(share as f32).desired_width(200.0));
                        ui.label(format!("{} / {}", t.correct, t.answered));
                        if compares {
                            let palette = super::theme::palette(ui.visuals());
                            ui.label(before_label(share, t.before, palette));
                        }
                        ui.end_row();
                    }
                });
            if !summary.missed.is_empty() {
                ui.add_space(16.0);
                ui.label(
                    RichText::new(format!("Missed ({})", summary.missed.len()))
                        .strong()
                        .size(17.0),
                );
                for answered in &summary.missed {
                    let Some(question) = study.library.question(&answered.key) else {
                        continue;
                    };
                    egui::Frame::group(ui.style())
                        .inner_margin(12.0)
                        .show(ui, |ui| {
                            ui.set_width(ui.available_width());
                            ui.label(RichText::new(&question.topic).weak());
                            markdown::show(ui, &question.prompt, 16.0);
                            if !answered.given.is_empty() {
                                let given = format!("Your answer: {}", answered.given);
                                markdown::show(ui, &given, 15.0);
                            }
                            let expected =
                                format!("Correct answer: {}", expected_answer(&question.kind));
                            markdown::show_strong(ui, &expected, 15.0);
                            markdown::show(ui, &question.explanation, super::theme::SECONDARY);
                        });
                    ui.add_space(6.0);
                }
            }
        });
}

/// How a topic's score compares with its record before the session.
fn before_label(share: f64, before: Option<f64>, palette: super::theme::Palette) -> RichText {
    let Some(before) = before else {
        return RichText::new("first answers").weak();
    };
    let points = ((share - before) * 100.0).round() as i64;
    let text = format!("before: {:.0}% ({points:+} points)", before * 100.0);
    match points {
        p if p > 0 => RichText::new(text).color(palette.correct),
        p if p < 0 => RichText::new(text).color(palette.wrong),
        _ => RichText::new(text),
    }
}

#[cfg(test)]
mod tests {
    use super::format_duration;

    #[test]
    fn durations_read_naturally() {
        assert_eq!(format_duration(42_900), "42s");
        assert_eq!(format_duration(65_000), "1m 05s");
    }
}
