//! Home: what is due today, the decks by category with their counts, the
//! buttons that start a session, and any decks that failed to load.

use std::collections::{BTreeSet, HashMap};

use egui::{Color32, RichText};

use super::Action;
use crate::clock::Timestamp;
use crate::deck::{LoadedDeck, Origin};
use crate::model::Category;
use crate::session::Mode;
use crate::stats::DeckCounts;
use crate::stats::history::Scope;
use crate::stats::mastery::TopicStanding;
use crate::study::Study;

/// Home's numbers, computed when something changes rather than every frame.
#[derive(Debug, Clone, Default)]
pub struct HomeView {
    /// Cards in today's *Study due* queue for the selected decks.
    pub due_now: usize,
    /// Reviews made since today's rollover.
    pub reviews_today: i64,
    /// Consecutive days studied.
    pub streak: u32,
    /// New, due and learned counts by deck id.
    pub counts: HashMap<String, DeckCounts>,
    /// Mastery (0–1) by deck id.
    pub mastery: HashMap<String, f64>,
    /// The three weakest topics.
    pub weakest: Vec<TopicStanding>,
    /// Whether anything has been studied, so *Weak areas* has cards to draw.
    pub any_studied: bool,
    /// Mastery and the weakest topics wait for the review log, which is
    /// still being read on another thread; the counts are already right.
    pub mastery_pending: bool,
}

impl HomeView {
    /// Computes Home's numbers at `now`. With `early`, while the review log
    /// is still being read in the background, mastery is left out and marked
    /// pending, so Home can show at once; build again once
    /// [`Study::history_ready`]. Without, it waits for the log.
    pub fn build(
        study: &mut Study,
        selected: &BTreeSet<String>,
        now: Timestamp,
        early: bool,
    ) -> crate::Result<HomeView> {
        let report = if !early || study.history_ready() {
            Some(study.mastery(&Scope::All, now)?)
        } else {
            None
        };
        Ok(HomeView {
            due_now: crate::timed("today's queue", || study.due(selected, now))?.len(),
            reviews_today: study.reviews_today(now)?,
            streak: crate::timed("streak", || study.streak(now))?,
            counts: crate::timed("deck counts", || study.counts(now)),
            mastery: report
                .iter()
                .flat_map(|r| &r.decks)
                .map(|(id, s)| (id.clone(), s.mastery()))
                .collect(),
            weakest: report
                .iter()
                .flat_map(|r| r.weakest().into_iter().take(3).cloned())
                .collect(),
            any_studied: study.any_studied(),
            mastery_pending: report.is_none(),
        })
    }

    /// Draws Home.
    pub fn ui(
        &self,
        ui: &mut egui::Ui,
        study: &Study,
        selected: &BTreeSet<String>,
        actions: &mut Vec<Action>,
    ) {
        let Self {
            due_now,
            reviews_today,
            streak,
            counts,
            mastery,
            weakest,
            any_studied,
            mastery_pending,
        } = self;
        // Enter and Space start studying unless a control has focus (then they press it).
        let free = ui.memory(|m| m.focused().is_none());
        let start_due = free
            && (ui.input_mut(|i| i.consume_key(egui::Modifiers::NONE, egui::Key::Enter))
                || ui.input_mut(|i| i.consume_key(egui::Modifiers::NONE, egui::Key::Space)));
        if start_due && *due_now > 0 {
            actions.push(Action::Start(Mode::Due));
        }
        if ui.input_mut(|i| i.consume_key(egui::Modifiers::NONE, egui::Key::Q)) {
            actions.push(Action::Start(Mode::Quick));
        }
        if *any_studied && ui.input_mut(|i| i.consume_key(egui::Modifiers::NONE, egui::Key::W)) {
            actions.push(Action::Start(Mode::Weak));
        }
        if ui.input_mut(|i| i.consume_key(egui::Modifiers::NONE, egui::Key::S)) {
            actions.push(Action::OpenStats);
        }
        if ui.input_mut(|i| i.consume_key(egui::Modifiers::NONE, egui::Key::D)) {
            actions.push(Action::OpenDecks);
        }

        ui.horizontal(|ui| {
            ui.heading(RichText::new("Recall").strong().size(super::theme::TITLE));
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                if ui.button("Settings").clicked() {
                    actions.push(Action::OpenSettings);
                }
                if ui
                    .button("Decks")
                    .on_hover_text("Browse, edit, create and import decks (D)")
                    .clicked()
                {
                    actions.push(Action::OpenDecks);
                }
                if ui
                    .button("Statistics")
                    .on_hover_text("Charts of your progress (S)")
                    .clicked()
                {
                    actions.push(Action::OpenStats);
                }
            });
        });
        let streak_text = match streak {
            0 => String::new(),
            1 => " · 1-day streak".to_string(),
            n => format!(" · {n}-day streak"),
        };
        ui.label(format!(
            "Today: {reviews_today} review{}{streak_text}",
            if *reviews_today == 1 { "" } else { "s" }
        ));
        ui.add_space(12.0);

        ui.horizontal(|ui| {
            let due_button =
                egui::Button::new(RichText::new(format!("Study due ({due_now})")).size(18.0))
                    .min_size(egui::vec2(180.0, 40.0));
            if ui.add_enabled(*due_now > 0, due_button).clicked() {
                actions.push(Action::Start(Mode::Due));
            }
            let weak = egui::Button::new(RichText::new("Weak areas").size(18.0))
                .min_size(egui::vec2(140.0, 40.0));
            let hint = if *any_studied {
                "The weakest cards of your weakest topics, due or not (W)"
            } else {
                "Study some cards first: weak areas come from your answers"
            };
            if ui
                .add_enabled(*any_studied, weak)
                .on_hover_text(hint)
                .on_disabled_hover_text(hint)
                .clicked()
            {
                actions.push(Action::Start(Mode::Weak));
            }
            let quick = egui::Button::new(RichText::new("Quick quiz").size(18.0))
                .min_size(egui::vec2(140.0, 40.0));
            if ui
                .add(quick)
                .on_hover_text("Random questions from the selected decks (Q)")
                .clicked()
            {
                actions.push(Action::Start(Mode::Quick));
            }
        });
        ui.add_space(6.0);
        if *due_now == 0 {
            ui.label(
                RichText::new("Nothing due — come back tomorrow, or run a quick quiz.").italics(),
            );
        } else {
            ui.label(RichText::new("Press Enter to study what is due, W for weak areas, Q for a quick quiz, S for statistics, D for decks.").weak());
        }
        if *mastery_pending && *any_studied {
            ui.add_space(8.0);
            ui.label(
                RichText::new("Weakest topics")
                    .strong()
                    .size(super::theme::SECTION),
            );
            ui.label(RichText::new("Reading your review history…").weak());
        }
        if !weakest.is_empty() {
            ui.add_space(8.0);
            ui.label(
                RichText::new("Weakest topics")
                    .strong()
                    .size(super::theme::SECTION),
            );
            for topic in weakest.iter() {
                weak_topic_row(ui, topic, actions);
            }
        }
        ui.add_space(6.0);
        ui.horizontal(|ui| {
            let scope = if selected.is_empty() {
                "Studying all decks. Tick decks below to study only those.".to_string()
            } else {
                format!(
                    "Studying {} of {} decks.",
                    selected.len(),
                    study.library.decks.len()
                )
            };
            ui.label(RichText::new(scope).weak());
            if !selected.is_empty() && ui.small_button("Study all decks").clicked() {
                actions.push(Action::SelectAllDecks);
            }
        });
        ui.separator();

        egui::ScrollArea::vertical()
            .auto_shrink([false, false])
            .show(ui, |ui| {
                egui::Grid::new("decks")
                    .num_columns(5)
                    .spacing([28.0, 8.0])
                    .show(ui, |ui| {
                        for category in Category::ALL {
                            let decks: Vec<_> = study
                                .library
                                .decks
                                .iter()
                                .filter(|d| d.deck.category == category)
                                .collect();
                            if decks.is_empty() {
                                continue;
                            }
                            ui.label(
                                RichText::new(category.label())
                                    .strong()
                                    .size(super::theme::SECTION)
                                    .color(super::theme::category_color(category, ui.visuals())),
                            );
                            ui.end_row();
                            for loaded in decks {
                                let c = counts.get(&loaded.deck.id).copied().unwrap_or_default();
                                let m = if *mastery_pending {
                                    None
                                } else {
                                    Some(mastery.get(&loaded.deck.id).copied().unwrap_or(0.0))
                                };
                                deck_row(ui, loaded, selected, c, m, actions);
                            }
                        }
                    });
                if study.library.decks.is_empty() {
                    ui.label(
                        "No decks loaded. Put .ron deck files in your data folder's decks/ folder.",
                    );
                }
                if !study.library.errors.is_empty() {
                    ui.add_space(16.0);
                    let files: std::collections::BTreeSet<&str> = study
                        .library
                        .errors
                        .iter()
                        .map(|e| e.path.as_str())
                        .collect();
                    let title = format!("Decks with errors ({})", files.len());
                    egui::CollapsingHeader::new(
                        RichText::new(title).color(ui.visuals().error_fg_color),
                    )
                    .default_open(true)
                    .show(ui, |ui| {
                        for error in &study.library.errors {
                            ui.label(RichText::new(error.to_string()).monospace());
                        }
                        ui.label(
                            RichText::new(
                                "Fix them and save: Recall reloads deck files as they change. `recall check` shows the same list.",
                            )
                            .weak(),
                        );
                    });
                }
            });
    }
}

/// One deck's row: a checkbox to study it (hover: description and file),
/// its counts, and its mastery (`None` while the review log is being read).
fn deck_row(
    ui: &mut egui::Ui,
    loaded: &LoadedDeck,
    selected: &BTreeSet<String>,
    counts: DeckCounts,
    mastery: Option<f64>,
    actions: &mut Vec<Action>,
) {
    let deck = &loaded.deck;
    let mut ticked = selected.contains(&deck.id);
    let response = ui.checkbox(&mut ticked, RichText::new(&deck.title).size(16.0));
    let hover = match &loaded.origin {
        Origin::Bundled => deck.description.clone(),
        Origin::File(path) => format!("{}\n\nYour deck: {}", deck.description, path.display()),
    };
    let response = if hover.trim().is_empty() {
        response
    } else {
        response.on_hover_text(hover.trim())
    };
    if response.changed() {
        actions.push(Action::ToggleDeck(deck.id.clone()));
    }
    let palette = super::theme::palette(ui.visuals());
    count_label(ui, counts.new, "new", palette.new);
    count_label(ui, counts.due, "due", palette.due);
    count_label(ui, counts.learned, "learned", palette.learned);
    match mastery {
        Some(mastery) => {
            let percent = (mastery * 100.0).round();
            let text = RichText::new(format!("{percent:.0}% mastered"));
            ui.label(if percent == 0.0 { text.weak() } else { text })
                .on_hover_text("Coverage × (recall now + recent accuracy) / 2; see Statistics");
        }
        None => {
            ui.label(RichText::new("…% mastered").weak())
                .on_hover_text("Reading your review history");
        }
    }
    ui.end_row();
}

/// A weak topic: its name and deck, why it is weak, and a button to drill it.
fn weak_topic_row(ui: &mut egui::Ui, topic: &TopicStanding, actions: &mut Vec<Action>) {
    let s = &topic.standing;
    let recall = s.retrievability().unwrap_or(0.0) * 100.0;
    let detail = match s.recent_accuracy() {
        Some(a) => format!(
            "recall {recall:.0}% · recent {:.0}% right · {} lapses",
            a * 100.0,
            s.lapses
        ),
        None => format!("recall {recall:.0}%"),
    };
    // Name, deck and why on the left; the drill button stays at the right
    // edge and the text wraps, so a narrow window loses nothing.
    ui.horizontal(|ui| {
        let button_width = 150.0;
        ui.vertical(|ui| {
            ui.set_max_width((ui.available_width() - button_width).max(160.0));
            ui.horizontal_wrapped(|ui| {
                ui.label(RichText::new(&topic.topic).strong());
                ui.label(RichText::new(&topic.deck_title).weak());
            });
            ui.label(RichText::new(detail).weak().size(super::theme::SMALL));
        });
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            let button = ui
                .button(format!("Drill {}", topic.topic))
                .on_hover_text("Study this topic's weakest cards now");
            if button.clicked() {
                actions.push(Action::Drill {
                    deck: topic.deck.clone(),
                    topic: topic.topic.clone(),
                });
            }
        });
    });
}

/// A count in its colour, muted when zero.
fn count_label(ui: &mut egui::Ui, n: usize, what: &str, color: Color32) {
    let text = RichText::new(format!("{n} {what}"));
    ui.label(if n == 0 {
        text.weak()
    } else {
        text.color(color)
    });
}

#[cfg(test)]
mod tests {
    use std::time::{Duration, Instant};

    use egui_kittest::kittest::Queryable;

    use crate::clock::Timestamp;
    use crate::deck::Library;
    use crate::model::{CardKey, Rating};
    use crate::scheduler::CardState;
    use crate::stats::history::Scope;
    use crate::store::{Review, Store};
    use crate::study::Study;
    use crate::ui::App;

    const NOW: Timestamp = Timestamp(1_795_773_600_000);

    const DECK: &str = r#"(
        id: "d",
        title: "One deck",
        category: Custom,
        description: "",
        questions: [
            (id: "a", topic: "T", prompt: "A is true.", kind: TrueFalse(answer: true), explanation: "It is."),
            (id: "b", topic: "T", prompt: "B is true.", kind: TrueFalse(answer: true), explanation: "It is."),
        ],
    )"#;

    #[test]
    fn home_shows_its_counts_before_the_review_log_is_read_then_fills_in_mastery() {
        let dir = tempfile::tempdir().unwrap();
        let decks = dir.path().join("decks");
        std::fs::create_dir_all(&decks).unwrap();
        std::fs::write(decks.join("d.ron"), DECK).unwrap();
        let mut store = Store::open(&dir.path().join("recall.sqlite3")).unwrap();
        let state = CardState {
            stability: 30.0,
            difficulty: 5.0,
            due_day: 20_800,
            last_review: Timestamp(NOW.0 - 86_400_000),
            last_day: 20_783,
            reps: 1,
            lapses: 0,
        };
        let review = Review {
            key: CardKey::new("d", "a"),
            reviewed_at: state.last_review,
            rating: Rating::Good,
            correct: true,
            duration_ms: 2_000,
            kind: "TrueFalse".to_string(),
            session: None,
        };
        store.record_answer(&review, &state).unwrap();
        let mut study = Study::new(Library::load(false, &[decks], &[]), store).unwrap();
        let gate = study.hold_history();
        assert!(!study.history_ready());

        let app = App::starting(Ok(study), Box::new(|| NOW));
        let mut h = egui_kittest::Harness::builder()
            .with_size(egui::vec2(1100.0, 700.0))
            .build_eframe(|cc| {
                crate::ui::setup(&cc.egui_ctx);
                app
            });
        h.step();
        assert!(h.state().home.mastery_pending);
        h.get_by_label("1 new");
        h.get_by_label("1 learned");
        h.get_by_label("…% mastered");
        h.get_by_label("Reading your review history…");

        drop(gate);
        let waited = Instant::now();
        while !h.state().study().is_some_and(Study::history_ready) {
            assert!(
                waited.elapsed() < Duration::from_secs(30),
                "the log is never read"
            );
            std::thread::sleep(Duration::from_millis(5));
        }
        h.run();
        assert!(!h.state().home.mastery_pending);
        assert!(h.query_by_label("…% mastered").is_none());
        let expected = h
            .state_mut()
            .study_mut()
            .unwrap()
            .mastery(&Scope::All, NOW)
            .unwrap()
            .decks
            .iter()
            .find(|(id, _)| id == "d")
            .map(|(_, standing)| standing.mastery())
            .unwrap();
        assert!(expected > 0.0);
        h.get_by_label(&format!("{:.0}% mastered", (expected * 100.0).round()));
    }
}
