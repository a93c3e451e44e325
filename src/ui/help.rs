//! The shortcut help (`?` or F1 on every screen) and the first-launch
//! welcome. Both are modal and close with Esc.

use egui::RichText;

use super::{Action, Screen};

/// The keys that work everywhere.
const EVERYWHERE: &[(&str, &str)] = &[
    ("? or F1", "show or hide this help"),
    (
        "Ctrl + / Ctrl − / Ctrl 0",
        "zoom in, out, back to 100% (remembered)",
    ),
    (
        "Tab / Shift+Tab",
        "move the keyboard focus; Space or Enter presses",
    ),
    ("Ctrl+Q", "quit (a session in progress is saved and scored)"),
];

/// The keys of `screen`, with what they do.
fn screen_keys(screen: &Screen) -> (&'static str, &'static [(&'static str, &'static str)]) {
    match screen {
        Screen::Home => (
            "Home",
            &[
                ("Enter or Space", "study what is due"),
                ("W", "weak areas"),
                ("Q", "quick quiz"),
                ("S", "statistics"),
                ("D", "decks: yours, the editor, import"),
            ],
        ),
        Screen::Session(_) => (
            "A session",
            &[
                (
                    "Space or Enter",
                    "show a flashcard's answer, submit, or go on",
                ),
                ("1–9", "pick an option"),
                ("1–4", "rate: Again, Hard, Good, Easy"),
                ("T / F", "true / false"),
                ("O", "count a wrong typed answer as right"),
                ("U or Ctrl+Z", "undo the last answer"),
                ("Esc", "end the session (answers are saved)"),
            ],
        ),
        Screen::Results(_) => (
            "Results",
            &[
                ("Enter or Esc", "back to Home"),
                ("R", "review the missed questions now"),
            ],
        ),
        Screen::Settings(_) => ("Settings", &[("Ctrl+S", "save"), ("Esc", "cancel")]),
        Screen::Stats(_) => (
            "Statistics",
            &[
                ("Page Up / Page Down, ↑ / ↓", "scroll"),
                ("Esc", "back to Home"),
            ],
        ),
        Screen::Decks(_) => ("Decks", &[("Esc", "back to Home")]),
        Screen::Editor(_) => (
            "The deck editor",
            &[
                ("Ctrl+S", "save (when the deck has no problems)"),
                ("Esc", "back to Decks"),
            ],
        ),
    }
}

/// A modal with room to breathe.
pub fn dialog(id: &str, ctx: &egui::Context) -> egui::Modal {
    egui::Modal::new(egui::Id::unique(id))
        .frame(egui::Frame::popup(&ctx.global_style()).inner_margin(24.0))
}

/// Draws the help over `screen`; returns false when the learner closes it.
pub fn help_ui(ctx: &egui::Context, screen: &Screen) -> bool {
    let mut open = true;
    let (name, keys) = screen_keys(screen);
    let response = dialog("recall-help", ctx).show(ctx, |ui| {
        ui.set_width(520.0);
        ui.heading("Keyboard shortcuts");
        ui.add_space(6.0);
        for (title, rows) in [(name, keys), ("Everywhere", EVERYWHERE)] {
            ui.label(RichText::new(title).strong().size(super::theme::SECTION));
            egui::Grid::new(title)
                .num_columns(2)
                .spacing([24.0, 6.0])
                .show(ui, |ui| {
                    for (key, does) in rows {
                        ui.label(RichText::new(*key).monospace().strong());
                        ui.label(*does);
                        ui.end_row();
                    }
                });
            ui.add_space(8.0);
        }
        if ui.button("Close").on_hover_text("Esc").clicked() {
            open = false;
        }
    });
    if response.should_close() {
        open = false;
    }
    open
}

/// The deck suggested to a newcomer.
pub const FIRST_DECK: (&str, &str) = ("ml-fundamentals", "Machine Learning Fundamentals");

/// Draws the first-launch welcome; pushes [`Action::DismissWelcome`] when it closes.
pub fn welcome_ui(ctx: &egui::Context, actions: &mut Vec<Action>) {
    let response = dialog("recall-welcome", ctx).show(ctx, |ui| {
        ui.set_width(560.0);
        ui.heading("Welcome to Recall");
        ui.add_space(6.0);
        ui.label(
            "Recall is a study companion for the road to Machine Learning Architect: 22 decks \
             from statistics to ML system design, and room for your own.",
        );
        ui.add_space(8.0);
        ui.label(RichText::new("How spaced repetition works").strong());
        ui.label(
            "Each question comes back just before you would forget it. Answer it right and the \
             gap grows, from days to months; miss it and it returns soon. A few minutes a day keep \
             everything you have learned within reach.",
        );
        ui.add_space(8.0);
        ui.label(RichText::new("The keys that matter").strong());
        egui::Grid::new("welcome-keys")
            .num_columns(2)
            .spacing([24.0, 4.0])
            .show(ui, |ui| {
                for (key, does) in [
                    ("Enter", "study what is due, submit, go on"),
                    ("1–4", "pick an option, or rate your recall"),
                    ("?", "every shortcut, on every screen"),
                ] {
                    ui.label(RichText::new(key).monospace().strong());
                    ui.label(does);
                    ui.end_row();
                }
            });
        ui.add_space(10.0);
        ui.horizontal(|ui| {
            if ui
                .button(format!("Start with {}", FIRST_DECK.1))
                .on_hover_text("Tick that deck on Home; press Enter to begin")
                .clicked()
            {
                actions.push(Action::DismissWelcome(Some(FIRST_DECK.0.to_string())));
            }
            if ui.button("Look around first").clicked() {
                actions.push(Action::DismissWelcome(None));
            }
        });
    });
    if response.should_close() {
        actions.push(Action::DismissWelcome(None));
    }
}
