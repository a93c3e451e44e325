//! The session screen: one question at a time, an answer widget for its kind,
//! then feedback with the explanation and rating buttons that show each
//! rating's next interval. Keyboard first: Space/Enter, 1–4, T/F, U, Esc.

use std::collections::BTreeSet;

use egui::{Color32, Key, Modifiers, RichText};
use rand::rngs::StdRng;

use super::{Action, Screen, column, markdown};
use crate::clock::Timestamp;
use crate::grade::{Answer, ClozePart, Verdict, cloze_parts, expected_answer};
use crate::model::{Question, QuestionKind, Rating};
use crate::scheduler::format_interval;
use crate::session::{Graded, Session, option_order};
use crate::study::Study;

/// Where the current question is in its life.
#[derive(Debug, Clone, PartialEq)]
pub enum Phase {
    /// Waiting for an answer.
    Asking,
    /// A flashcard's answer is shown; waiting for a self-rating (nothing stored yet).
    Revealed(Box<Graded>),
    /// An auto-graded answer is stored; its feedback is shown.
    Feedback,
}

/// The session screen's state.
pub struct SessionScreen {
    /// The session being studied.
    pub session: Session,
    /// Where the current question is.
    pub phase: Phase,
    /// The display order of the current question's options.
    order: Vec<usize>,
    /// Options ticked so far (multi-answer questions), as deck indexes.
    ticked: BTreeSet<usize>,
    typed: String,
    blanks: Vec<String>,
    /// The options picked in the last multiple-choice answer, for its feedback.
    chosen: Vec<usize>,
    /// Focus the text field on the next frame.
    focus_input: bool,
}

impl SessionScreen {
    /// A screen for `session`, showing its first question.
    pub fn new(study: &Study, session: Session, rng: &mut StdRng) -> SessionScreen {
        let mut screen = SessionScreen {
            session,
            phase: Phase::Asking,
            order: Vec::new(),
            ticked: BTreeSet::new(),
            typed: String::new(),
            blanks: Vec::new(),
            chosen: Vec::new(),
            focus_input: true,
        };
        screen.reset_inputs(study, rng);
        screen
    }

    fn reset_inputs(&mut self, study: &Study, rng: &mut StdRng) {
        self.phase = Phase::Asking;
        self.ticked.clear();
        self.typed.clear();
        self.focus_input = true;
        let question = study.question(&self.session);
        let question = question.as_deref();
        self.order = question.map(|q| option_order(q, rng)).unwrap_or_default();
        self.blanks = match question.map(|q| &q.kind) {
            Some(QuestionKind::Cloze { text }) => {
                let n = cloze_parts(text)
                    .unwrap_or_default()
                    .iter()
                    .filter(|p| matches!(p, ClozePart::Blank(_)))
                    .count();
                vec![String::new(); n]
            }
            _ => Vec::new(),
        };
    }

    /// Applies a session action; returns the next screen when it changes.
    pub(super) fn apply(
        &mut self,
        study: &mut Study,
        action: Action,
        now: Timestamp,
        rng: &mut StdRng,
    ) -> crate::Result<Option<Screen>> {
        match (action, &self.phase) {
            (Action::Reveal, Phase::Asking) => {
                let graded = study.grade(&self.session, &Answer::Revealed, now)?;
                self.phase = Phase::Revealed(Box::new(graded));
            }
            (Action::Submit(answer), Phase::Asking) => {
                if let Answer::Choices(chosen) = &answer {
                    self.chosen = chosen.clone();
                }
                let graded = study.grade(&self.session, &answer, now)?;
                let given = self.describe(study, &answer);
                let correct = graded.verdict.is_correct();
                study.answer(
                    &mut self.session,
                    &graded,
                    graded.default_rating,
                    correct,
                    given,
                    now,
                )?;
                self.phase = Phase::Feedback;
            }
            (Action::Rate(rating), Phase::Revealed(graded)) => {
                let graded = graded.as_ref().clone();
                let given = String::new();
                study.answer(
                    &mut self.session,
                    &graded,
                    rating,
                    rating != Rating::Again,
                    given,
                    now,
                )?;
                return self.next(study, now, rng);
            }
            (Action::Rate(rating), Phase::Feedback) => {
                if let Some(last) = self.session.answered().last()
                    && last.correct
                    && last.rating != rating
                {
                    study.rerate(&mut self.session, rating, rating != Rating::Again)?;
                }
                return self.next(study, now, rng);
            }
            (Action::CountAsCorrect, Phase::Feedback) => {
                study.rerate(&mut self.session, Rating::Good, true)?;
            }
            (Action::Continue, Phase::Feedback) => return self.next(study, now, rng),
            (Action::Undo, _) => {
                study.undo(&mut self.session, now)?;
                self.reset_inputs(study, rng);
            }
            (Action::EndSession, _) => return self.end(study, now),
            _ => {}
        }
        Ok(None)
    }

    /// Ticks or unticks an option of a select-all-that-apply question.
    fn toggle(&mut self, option: usize) {
        if !self.ticked.remove(&option) {
            self.ticked.insert(option);
        }
    }

    fn next(
        &mut self,
        study: &mut Study,
        now: Timestamp,
        rng: &mut StdRng,
    ) -> crate::Result<Option<Screen>> {
        if self.session.current().is_none() {
            return self.end(study, now);
        }
        self.session.show(now);
        self.reset_inputs(study, rng);
        Ok(None)
    }

    fn end(&mut self, study: &mut Study, now: Timestamp) -> crate::Result<Option<Screen>> {
        let summary = study.finish(&self.session, now)?;
        Ok(Some(if summary.answered == 0 {
            Screen::Home
        } else {
            Screen::Results(summary)
        }))
    }

    /// What the learner answered, in words.
    fn describe(&self, study: &Study, answer: &Answer) -> String {
        let question = study.question(&self.session);
        match (answer, question.as_deref().map(|q| &q.kind)) {
            (Answer::Choices(chosen), Some(QuestionKind::MultipleChoice { options, .. })) => chosen
                .iter()
                .filter_map(|&i| options.get(i).cloned())
                .collect::<Vec<_>>()
                .join(" · "),
            (Answer::Bool(b), _) => if *b { "True" } else { "False" }.to_string(),
            (Answer::Text(text), _) => text.clone(),
            (Answer::Blanks(blanks), _) => blanks.join(" · "),
            _ => String::new(),
        }
    }

    /// Draws the screen and pushes what the learner did.
    pub fn ui(&mut self, ui: &mut egui::Ui, study: &Study, actions: &mut Vec<Action>) {
        let question = study.question(&self.session);
        let question = question.as_deref();
        self.shortcuts(ui, study, question, actions);
        self.header(ui, actions);
        if self.phase == Phase::Feedback {
            self.feedback_ui(ui, study, actions);
            return;
        }
        let Some(question) = question else { return };
        egui::ScrollArea::vertical()
            .auto_shrink([false, false])
            .show(ui, |ui| {
                column(ui, super::theme::READABLE_WIDTH, |ui| {
                    let deck = self
                        .session
                        .current()
                        .and_then(|key| study.library.deck(&key.deck))
                        .map_or("", |d| d.deck.title.as_str());
                    ui.label(RichText::new(format!("{deck} · {}", question.topic)).weak());
                    ui.add_space(8.0);
                    markdown::show_strong(ui, &question.prompt, super::theme::PROMPT);
                    ui.add_space(16.0);
                    match &self.phase {
                        Phase::Asking => self.input_ui(ui, question, actions),
                        Phase::Revealed(graded) => {
                            fade_in(
                                ui,
                                (self.session.id, self.session.answered().len(), "reveal"),
                            );
                            answer_box(ui, &expected_answer(&question.kind));
                            explanation_ui(ui, question);
                            ui.add_space(12.0);
                            ui.label("How well did you remember?");
                            rating_buttons(ui, graded, None, actions);
                        }
                        Phase::Feedback => {}
                    }
                });
            });
    }

    fn header(&self, ui: &mut egui::Ui, actions: &mut Vec<Action>) {
        let (done, total) = self.session.progress();
        ui.horizontal(|ui| {
            ui.label(
                RichText::new(self.session.mode.title())
                    .strong()
                    .size(super::theme::SECTION),
            );
            ui.label(format!(
                "{} of {total}",
                (done + usize::from(self.phase != Phase::Feedback)).min(total)
            ));
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                if ui
                    .button("End session")
                    .on_hover_text("Esc — your answers are saved")
                    .clicked()
                {
                    actions.push(Action::EndSession);
                }
                let undo = ui.add_enabled(
                    !self.session.answered().is_empty(),
                    egui::Button::new("Undo"),
                );
                if undo.on_hover_text("U or Ctrl+Z").clicked() {
                    actions.push(Action::Undo);
                }
            });
        });
        let fraction = if total == 0 {
            1.0
        } else {
            done as f32 / total as f32
        };
        // The bar glides to its new length (and stops repainting when there).
        let id = egui::Id::unique(("session-progress", self.session.id));
        let shown = ui.ctx().animate_value_with_time(id, fraction, 0.3);
        ui.add(egui::ProgressBar::new(shown).desired_height(6.0));
        ui.add_space(12.0);
    }

    fn shortcuts(
        &mut self,
        ui: &mut egui::Ui,
        study: &Study,
        question: Option<&Question>,
        actions: &mut Vec<Action>,
    ) {
        let pressed =
            |ui: &mut egui::Ui, key: Key| ui.input_mut(|i| i.consume_key(Modifiers::NONE, key));
        if pressed(ui, Key::Escape) {
            actions.push(Action::EndSession);
            return;
        }
        let typing = ui.ctx().egui_wants_keyboard_input();
        if !typing
            && (pressed(ui, Key::U) || ui.input_mut(|i| i.consume_key(Modifiers::COMMAND, Key::Z)))
        {
            actions.push(Action::Undo);
            return;
        }
        let number = [
            Key::Num1,
            Key::Num2,
            Key::Num3,
            Key::Num4,
            Key::Num5,
            Key::Num6,
            Key::Num7,
            Key::Num8,
            Key::Num9,
        ]
        .into_iter()
        .position(|k| !typing && pressed(ui, k));
        let confirm = pressed(ui, Key::Enter) || (!typing && pressed(ui, Key::Space));
        match (&self.phase, question.map(|q| &q.kind)) {
            (Phase::Asking, Some(QuestionKind::Flashcard { .. })) if confirm => {
                actions.push(Action::Reveal)
            }
            (Phase::Asking, Some(QuestionKind::MultipleChoice { correct, .. })) => {
                if let Some(&option) = number.and_then(|n| self.order.get(n)) {
                    if correct.len() == 1 {
                        actions.push(Action::Submit(Answer::Choices(vec![option])));
                    } else {
                        self.toggle(option);
                    }
                } else if confirm && correct.len() > 1 && !self.ticked.is_empty() {
                    actions.push(Action::Submit(Answer::Choices(
                        self.ticked.iter().copied().collect(),
                    )));
                }
            }
            (Phase::Asking, Some(QuestionKind::TrueFalse { .. })) => {
                if pressed(ui, Key::T) {
                    actions.push(Action::Submit(Answer::Bool(true)));
                } else if pressed(ui, Key::F) {
                    actions.push(Action::Submit(Answer::Bool(false)));
                }
            }
            (Phase::Asking, Some(QuestionKind::TypedAnswer { .. }))
                if confirm && !self.typed.trim().is_empty() =>
            {
                actions.push(Action::Submit(Answer::Text(self.typed.clone())));
            }
            (Phase::Asking, Some(QuestionKind::Cloze { .. }))
                if confirm && self.blanks.iter().any(|b| !b.trim().is_empty()) =>
            {
                actions.push(Action::Submit(Answer::Blanks(self.blanks.clone())));
            }
            (Phase::Revealed(_), _) => {
                if let Some(rating) = number.and_then(|n| Rating::from_number(n as u8 + 1)) {
                    actions.push(Action::Rate(rating));
                } else if confirm {
                    actions.push(Action::Rate(Rating::Good));
                }
            }
            (Phase::Feedback, _) => self.feedback_shortcuts(ui, study, number, confirm, actions),
            _ => {}
        }
    }

    fn feedback_shortcuts(
        &self,
        ui: &mut egui::Ui,
        study: &Study,
        number: Option<usize>,
        confirm: bool,
        actions: &mut Vec<Action>,
    ) {
        let Some(last) = self.session.answered().last() else {
            return;
        };
        if let Some(rating) = number.and_then(|n| Rating::from_number(n as u8 + 1)) {
            if last.correct {
                actions.push(Action::Rate(rating));
            }
        } else if confirm {
            actions.push(Action::Continue);
        } else if !last.correct
            && matches!(last.verdict, Verdict::Wrong)
            && study
                .library
                .question(&last.key)
                .is_some_and(|q| q.kind.accepts_override())
            && ui.input_mut(|i| i.consume_key(Modifiers::NONE, Key::O))
        {
            actions.push(Action::CountAsCorrect);
        }
    }

    fn input_ui(&mut self, ui: &mut egui::Ui, question: &Question, actions: &mut Vec<Action>) {
        match &question.kind {
            QuestionKind::Flashcard { .. } => {
                if big_button(ui, "Show answer")
                    .on_hover_text("Space or Enter")
                    .clicked()
                {
                    actions.push(Action::Reveal);
                }
            }
            QuestionKind::MultipleChoice { options, correct } => {
                let multi = correct.len() > 1;
                if multi {
                    ui.label(
                        RichText::new(format!(
                            "Select all that apply ({} correct), then press Enter.",
                            correct.len()
                        ))
                        .weak(),
                    );
                }
                let mut clicked = None;
                for (n, &index) in self.order.iter().enumerate() {
                    let text = format!("{}.  {}", n + 1, options[index]);
                    let ticked = self.ticked.contains(&index);
                    let job = markdown::inline(ui, &text, 17.0, ui.visuals().text_color());
                    let button = egui::Button::selectable(ticked, job)
                        .frame_when_inactive(true)
                        .min_size(egui::vec2(ui.available_width(), 36.0));
                    if ui.add(button).clicked() {
                        clicked = Some(index);
                    }
                }
                match clicked {
                    Some(index) if multi => self.toggle(index),
                    Some(index) => actions.push(Action::Submit(Answer::Choices(vec![index]))),
                    None => {}
                }
                if multi {
                    ui.add_space(8.0);
                    let submit =
                        ui.add_enabled(!self.ticked.is_empty(), egui::Button::new("Submit"));
                    if submit.clicked() {
                        actions.push(Action::Submit(Answer::Choices(
                            self.ticked.iter().copied().collect(),
                        )));
                    }
                }
            }
            QuestionKind::TrueFalse { .. } => {
                ui.horizontal(|ui| {
                    if big_button(ui, "True").on_hover_text("T").clicked() {
                        actions.push(Action::Submit(Answer::Bool(true)));
                    }
                    if big_button(ui, "False").on_hover_text("F").clicked() {
                        actions.push(Action::Submit(Answer::Bool(false)));
                    }
                });
            }
            QuestionKind::TypedAnswer { .. } => {
                let label = ui.label("Your answer");
                let edit = egui::TextEdit::singleline(&mut self.typed)
                    .hint_text("Type it, then press Enter")
                    .font(egui::TextStyle::Heading)
                    .desired_width(ui.available_width().min(480.0));
                let response = ui.add(edit).labelled_by(label.id);
                if std::mem::take(&mut self.focus_input) {
                    response.request_focus();
                }
                ui.add_space(8.0);
                if ui
                    .add_enabled(!self.typed.trim().is_empty(), egui::Button::new("Submit"))
                    .clicked()
                {
                    actions.push(Action::Submit(Answer::Text(self.typed.clone())));
                }
            }
            QuestionKind::Cloze { text } => {
                let parts = cloze_parts(text).unwrap_or_default();
                let focus = std::mem::take(&mut self.focus_input);
                ui.horizontal_wrapped(|ui| {
                    let mut blank = 0;
                    for part in &parts {
                        match part {
                            ClozePart::Text(t) => {
                                ui.label(RichText::new(t).size(18.0));
                            }
                            ClozePart::Blank(_) => {
                                if let Some(value) = self.blanks.get_mut(blank) {
                                    let edit = egui::TextEdit::singleline(value)
                                        .desired_width(180.0)
                                        .font(egui::FontId::proportional(18.0));
                                    let response = ui.add(edit);
                                    response.widget_info(|| {
                                        egui::WidgetInfo::labeled(
                                            egui::Role::TextInput,
                                            true,
                                            format!("Blank {}", blank + 1),
                                        )
                                    });
                                    if focus && blank == 0 {
                                        response.request_focus();
                                    }
                                }
                                blank += 1;
                            }
                        }
                    }
                });
                ui.add_space(8.0);
                ui.label(RichText::new("Tab moves between blanks; Enter submits.").weak());
                if ui.button("Submit").clicked() {
                    actions.push(Action::Submit(Answer::Blanks(self.blanks.clone())));
                }
            }
        }
    }

    fn feedback_ui(&self, ui: &mut egui::Ui, study: &Study, actions: &mut Vec<Action>) {
        let Some(last) = self.session.answered().last() else {
            return;
        };
        let Some(question) = study.library.question(&last.key) else {
            return;
        };
        egui::ScrollArea::vertical()
            .auto_shrink([false, false])
            .show(ui, |ui| {
                column(ui, super::theme::READABLE_WIDTH, |ui| {
                    let deck = study
                        .library
                        .deck(&last.key.deck)
                        .map_or("", |d| d.deck.title.as_str());
                    ui.label(RichText::new(format!("{deck} · {}", question.topic)).weak());
                    ui.add_space(8.0);
                    markdown::show_strong(ui, &question.prompt, super::theme::PROMPT);
                    ui.add_space(12.0);
                    fade_in(
                        ui,
                        (self.session.id, self.session.answered().len(), "feedback"),
                    );
                    let (text, color) = match (&last.verdict, last.correct) {
                        (Verdict::Correct, _) => ("Correct".to_string(), good_color(ui)),
                        (Verdict::CorrectWithTypo(expected), _) => (
                            format!("Correct — mind the spelling: {expected}"),
                            good_color(ui),
                        ),
                        (_, true) => ("Counted as correct".to_string(), good_color(ui)),
                        _ => ("Not quite".to_string(), bad_color(ui)),
                    };
                    ui.label(RichText::new(text).size(22.0).strong().color(color));
                    match &question.kind {
                        QuestionKind::MultipleChoice { options, correct } => {
                            self.options_feedback(ui, options, correct);
                        }
                        kind => {
                            if !last.given.is_empty() {
                                markdown::show(ui, &format!("Your answer: {}", last.given), 15.0);
                            }
                            answer_box(ui, &expected_answer(kind));
                        }
                    }
                    explanation_ui(ui, &question);
                    ui.add_space(12.0);
                    let graded = Graded {
                        verdict: last.verdict.clone(),
                        preview: last.preview.clone(),
                        default_rating: last.rating,
                    };
                    if last.correct {
                        ui.label("Press Enter to keep the rating, or 1–4 to change it.");
                        rating_buttons(ui, &graded, Some(last.rating), actions);
                    } else {
                        let again = last.preview.outcome(Rating::Again).interval_days;
                        ui.label(format!(
                            "Rated Again: you will see it in {}.",
                            format_interval(again)
                        ));
                        ui.horizontal(|ui| {
                            if big_button(ui, "Next")
                                .on_hover_text("Space or Enter")
                                .clicked()
                            {
                                actions.push(Action::Continue);
                            }
                            if question.kind.accepts_override()
                                && ui
                                    .button("Count as correct")
                                    .on_hover_text("O — my answer was right")
                                    .clicked()
                            {
                                actions.push(Action::CountAsCorrect);
                            }
                        });
                    }
                });
            });
    }
}

impl SessionScreen {
    /// The options as they were shown, marking the right ones and a wrong pick.
    fn options_feedback(&self, ui: &mut egui::Ui, options: &[String], correct: &[usize]) {
        for (n, &index) in self.order.iter().enumerate() {
            let right = correct.contains(&index);
            let picked = self.chosen.contains(&index);
            let (mark, color) = match (right, picked) {
                (true, _) => ("✓", good_color(ui)),
                (false, true) => ("✗", bad_color(ui)),
                (false, false) => (" ", ui.visuals().weak_text_color()),
            };
            let suffix = if picked { "   (your answer)" } else { "" };
            let text = format!("{mark}  {}.  {}{suffix}", n + 1, options[index]);
            ui.label(markdown::inline(ui, &text, 17.0, color));
        }
        ui.add_space(4.0);
    }
}

/// Fades what `ui` draws next in over a fifth of a second, the first time
/// `key` is shown; repaints only while fading.
fn fade_in(ui: &mut egui::Ui, key: impl std::hash::Hash + std::fmt::Debug) {
    const SECONDS: f64 = 0.2;
    let id = egui::Id::unique(key);
    let now = ui.input(|i| i.time);
    let start = ui
        .ctx()
        .data_mut(|d| *d.get_temp_mut_or_insert_with(id, || now));
    let t = ((now - start) / SECONDS).clamp(0.0, 1.0) as f32;
    if t < 1.0 {
        ui.ctx().request_repaint();
    }
    ui.multiply_opacity(1.0 - (1.0 - t) * (1.0 - t));
}

fn good_color(ui: &egui::Ui) -> Color32 {
    super::theme::palette(ui.visuals()).correct
}

fn bad_color(ui: &egui::Ui) -> Color32 {
    super::theme::palette(ui.visuals()).wrong
}

fn big_button(ui: &mut egui::Ui, text: &str) -> egui::Response {
    ui.add(egui::Button::new(RichText::new(text).size(18.0)).min_size(egui::vec2(140.0, 40.0)))
}

fn answer_box(ui: &mut egui::Ui, answer: &str) {
    egui::Frame::group(ui.style())
        .inner_margin(12.0)
        .show(ui, |ui| {
            ui.set_width(ui.available_width());
            ui.label(RichText::new("Answer").weak());
            markdown::show(ui, answer, 17.0);
        });
}

fn explanation_ui(ui: &mut egui::Ui, question: &Question) {
    ui.add_space(8.0);
    markdown::show(ui, &question.explanation, super::theme::SECONDARY);
    if let Some(source) = &question.source {
        ui.label(RichText::new(format!("Source: {source}")).weak().italics());
    }
}

/// The four rating buttons, each with its next interval; `chosen` is highlighted.
fn rating_buttons(
    ui: &mut egui::Ui,
    graded: &Graded,
    chosen: Option<Rating>,
    actions: &mut Vec<Action>,
) {
    ui.horizontal(|ui| {
        for rating in Rating::ALL {
            let interval = format_interval(graded.preview.outcome(rating).interval_days);
            let text = format!("{} {} · {interval}", rating.number(), rating.label());
            let button = egui::Button::new(RichText::new(text).size(16.0))
                .selected(chosen == Some(rating))
                .min_size(egui::vec2(120.0, 38.0));
            let hover = format!("Press {} — next review in {interval}", rating.number());
            if ui.add(button).on_hover_text(hover).clicked() {
                actions.push(Action::Rate(rating));
            }
        }
    });
}
