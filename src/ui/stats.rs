//! Statistics: reviews per day as a calendar heatmap, the due forecast, true
//! retention per week, mastery by topic and category, session scores over
//! time, and the leeches. Every figure is computed once when the screen opens
//! or its filter changes ([`StatsView::build`]); frames only draw.

use egui::{Color32, RichText, Sense};
use egui_plot::{Bar, BarChart, HLine, HoverPosition, Line, Plot, Points};

use super::Action;
use crate::clock::{DayClock, Timestamp};
use crate::model::Category;
use crate::stats::history::{
    Scope, SessionScore, WeekRetention, due_forecast, reviews_per_day, session_scores,
    weekly_retention,
};
use crate::stats::mastery::{Standing, TopicStanding};
use crate::study::Study;

/// The most topic bars drawn over several decks; one deck shows all of its topics.
const TOPICS_SHOWN: usize = 30;
/// The most leeches listed, most lapses first.
const LEECHES_SHOWN: usize = 25;

/// Days in the heatmap.
const HEATMAP_DAYS: usize = 365;
/// Days in the due forecast.
const FORECAST_DAYS: usize = 30;
/// Weeks of true retention.
const RETENTION_WEEKS: usize = 26;

/// A leech, with what the list shows of its question.
#[derive(Debug, Clone)]
pub struct LeechRow {
    /// The deck's title.
    pub deck: String,
    /// The question's prompt.
    pub prompt: String,
    /// The question's explanation.
    pub explanation: String,
    /// Its lapses.
    pub lapses: u32,
    /// Its reviews.
    pub reps: u32,
    /// Its current retrievability.
    pub retrievability: f32,
}

/// The statistics screen's figures for one filter.
#[derive(Debug, Clone)]
pub struct StatsView {
    /// The decks the figures cover.
    pub scope: Scope,
    scopes: Vec<(Scope, String)>,
    clock: DayClock,
    today: i64,
    /// Consecutive days studied.
    pub streak: u32,
    /// Reviews per day, oldest first, ending today.
    pub per_day: Vec<u32>,
    /// Cards due on each of the next days (today includes overdue).
    pub forecast: Vec<u32>,
    /// True retention per week, oldest first.
    pub retention: Vec<WeekRetention>,
    desired_retention: f64,
    /// Every topic in scope.
    pub topics: Vec<TopicStanding>,
    /// The topics the chart draws, as indexes into `topics`.
    charted: Vec<usize>,
    /// How many topics the chart could draw: all of one deck's, or the started ones.
    started: usize,
    /// Each category in scope.
    pub categories: Vec<(Category, Standing)>,
    /// Session scores, oldest first.
    pub sessions: Vec<SessionScore>,
    /// The leeches in scope with the most lapses, up to [`LEECHES_SHOWN`]:
    /// only those are listed, so only their text is read.
    pub leeches: Vec<LeechRow>,
    /// How many leeches are in scope.
    pub leech_count: usize,
}

impl StatsView {
    /// Computes every figure for `scope` at `now`.
    pub fn build(study: &mut Study, scope: Scope, now: Timestamp) -> crate::Result<StatsView> {
        let clock = study.day_clock(now);
        let today = clock.day(now);
        let report = study.mastery(&scope, now)?;
        let all_leeches = study.leeches(&scope, now);
        let leech_count = all_leeches.len();
        let leeches = all_leeches
            .into_iter()
            .take(LEECHES_SHOWN)
            .filter_map(|l| {
                let question = study.library.question(&l.key)?;
                let deck = study
                    .library
                    .decks
                    .iter()
                    .find(|d| d.deck.id == l.key.deck)?;
                Some(LeechRow {
                    deck: deck.deck.title.clone(),
                    prompt: question.prompt.clone(),
                    explanation: question.explanation.clone(),
                    lapses: l.lapses,
                    reps: l.reps,
                    retrievability: l.retrievability,
                })
            })
            .collect();
        let streak = study.streak(now)?;
        let library = &study.library;
        let forecast = due_forecast(
            study.studied(),
            |deck| scope.includes(library, deck),
            today,
            FORECAST_DAYS,
        );
        let mut scopes = vec![(Scope::All, Scope::All.label(library))];
        for category in Category::ALL {
            if library.decks.iter().any(|d| d.deck.category == category) {
                scopes.push((Scope::Category(category), category.label().to_string()));
            }
        }
        for d in &library.decks {
            scopes.push((
                Scope::Deck(d.deck.id.clone()),
                format!("  {}", d.deck.title),
            ));
        }
        let desired_retention = f64::from(study.settings.desired_retention);
        let (per_day, retention, sessions) = study.with_history(now, |library, history| {
            let mask = history.in_scope(library, &scope);
            (
                reviews_per_day(history, &mask, today, HEATMAP_DAYS),
                weekly_retention(history, &mask, today, RETENTION_WEEKS),
                session_scores(history, &mask),
            )
        })?;
        let (charted, started) = charted_topics(&report.topics, &scope);
        Ok(StatsView {
            charted,
            started,
            per_day,
            retention,
            sessions,
            scope,
            scopes,
            clock,
            today,
            streak,
            forecast,
            desired_retention,
            topics: report.topics,
            categories: report.categories,
            leeches,
            leech_count,
        })
    }

    /// Draws the screen.
    pub fn ui(&self, ui: &mut egui::Ui, study: &Study, actions: &mut Vec<Action>) {
        if ui.input_mut(|i| i.consume_key(egui::Modifiers::NONE, egui::Key::Escape)) {
            actions.push(Action::Home);
        }
        ui.horizontal(|ui| {
            ui.heading(
                RichText::new("Statistics")
                    .strong()
                    .size(super::theme::TITLE),
            );
            ui.add_space(16.0);
            let mut chosen = self.scope.clone();
            egui::ComboBox::from_label("Show")
                .selected_text(self.scope.label(&study.library))
                .width(260.0)
                .show_ui(ui, |ui| {
                    for (scope, label) in &self.scopes {
                        ui.selectable_value(&mut chosen, scope.clone(), label);
                    }
                });
            if chosen != self.scope {
                actions.push(Action::StatsScope(chosen));
            }
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                if ui.button("Back").on_hover_text("Esc").clicked() {
                    actions.push(Action::Home);
                }
            });
        });
        ui.separator();
        egui::ScrollArea::vertical()
            .auto_shrink([false, false])
            .show(ui, |ui| {
                keyboard_scroll(ui);
                self.activity(ui);
                self.forecast_chart(ui);
                self.retention_chart(ui);
                self.mastery_charts(ui);
                self.session_chart(ui);
                self.leech_list(ui);
            });
    }

    /// The calendar date a study day starts on, in local time.
    fn calendar(&self, day: i64) -> Option<chrono::NaiveDate> {
        let start = self.clock.day_start(day).0 + i64::from(self.clock.utc_offset_secs) * 1000;
        chrono::DateTime::from_timestamp_millis(start).map(|d| d.date_naive())
    }

    fn date(&self, day: i64) -> String {
        self.calendar(day)
            .map_or_else(String::new, |d| d.format("%a %-d %b %Y").to_string())
    }

    fn activity(&self, ui: &mut egui::Ui) {
        let total: u32 = self.per_day.iter().sum();
        section(ui, "Reviews per day");
        let days_studied = self.per_day.iter().filter(|&&n| n > 0).count();
        ui.label(format!(
            "{total} reviews on {days_studied} days in the last year · current streak: {} day{}",
            self.streak,
            if self.streak == 1 { "" } else { "s" }
        ));
        if total == 0 {
            empty(
                ui,
                "No reviews yet. Study a deck from Home and each day you study lights up here.",
            );
            return;
        }
        heatmap(ui, &self.per_day, self.today, |day| self.calendar(day));
    }

    fn forecast_chart(&self, ui: &mut egui::Ui) {
        let palette = super::theme::palette(ui.visuals());
        section(ui, "Due in the next 30 days");
        if self.forecast.iter().all(|&n| n == 0) {
            empty(
                ui,
                "Nothing scheduled yet. Cards you study get a due date and show up here.",
            );
            return;
        }
        let bars: Vec<Bar> = self
            .forecast
            .iter()
            .enumerate()
            .map(|(i, &n)| {
                let when = match i {
                    0 => "today (with overdue)".to_string(),
                    1 => "tomorrow".to_string(),
                    _ => self.date(self.today + i as i64),
                };
                Bar::new(i as f64, f64::from(n))
                    .name(when)
                    .fill(palette.accent)
            })
            .collect();
        let chart = BarChart::new("Due", bars)
            .width(0.8)
            .element_formatter(Box::new(|bar, _| {
                format!("{}: {} due", bar.name, bar.value)
            }));
        chart_plot("forecast", 160.0)
            .x_axis_formatter(|mark, _| format!("+{}d", mark.value))
            .show(ui, |plot| plot.bar_chart(chart));
    }

    fn retention_chart(&self, ui: &mut egui::Ui) {
        let palette = super::theme::palette(ui.visuals());
        section(ui, "True retention per week");
        let points: Vec<[f64; 2]> = self
            .retention
            .iter()
            .enumerate()
            .filter_map(|(i, w)| Some([i as f64, w.share()? * 100.0]))
            .collect();
        if points.is_empty() {
            empty(
                ui,
                "True retention counts reviews of cards you had seen before. Come back after your first reviews.",
            );
            return;
        }
        ui.label(
            RichText::new(format!(
                "The share of reviews (not first sightings) answered right, against your desired retention of {:.0}%.",
                self.desired_retention * 100.0
            ))
            .weak(),
        );
        let weeks = self.retention.clone();
        let dates: Vec<String> = weeks.iter().map(|w| self.date(w.start_day)).collect();
        let label_dates = dates.clone();
        chart_plot("retention", 170.0)
            .include_y(0.0)
            .include_y(100.0)
            .x_axis_formatter(move |mark, _| {
                let i = mark.value.round() as usize;
                label_dates.get(i).cloned().unwrap_or_default()
            })
            .label_formatter(move |hover| {
                let i = near_point(hover)?;
                let w = weeks.get(i)?;
                let share = w.share()? * 100.0;
                Some(format!(
                    "week of {}: {share:.0}% ({} of {})",
                    dates.get(i).cloned().unwrap_or_default(),
                    w.correct,
                    w.total
                ))
            })
            .show(ui, |plot| {
                plot.hline(
                    HLine::new("Desired retention", self.desired_retention * 100.0)
                        .color(palette.wrong)
                        .style(egui_plot::LineStyle::dashed_dense()),
                );
                plot.line(
                    Line::new("True retention", points.clone())
                        .color(palette.accent)
                        .width(2.0),
                );
                plot.points(
                    Points::new("Weeks", points)
                        .radius(3.0)
                        .color(palette.accent),
                );
            });
    }

    fn mastery_charts(&self, ui: &mut egui::Ui) {
        section(ui, "Mastery by category");
        if self.categories.iter().all(|(_, s)| s.studied == 0) {
            empty(
                ui,
                "Mastery grows as you study: it combines how much of a topic you have seen, how well you remember it now, and how you answered lately.",
            );
            return;
        }
        let rows: Vec<(String, f64, Color32)> = self
            .categories
            .iter()
            .map(|(c, s)| {
                let colour = super::theme::category_color(*c, ui.visuals());
                (c.label().to_string(), s.mastery(), colour)
            })
            .collect();
        mastery_bars(ui, "categories", &rows);
        section(ui, "Mastery by topic");
        let weak = self.topics.iter().filter(|t| t.weak).count();
        ui.label(
            RichText::new(format!(
                "{weak} weak topic{} marked in orange: low recall, many lapses, or wrong answers lately.",
                if weak == 1 { "" } else { "s" }
            ))
            .weak(),
        );
        let palette = super::theme::palette(ui.visuals());
        let shown: Vec<&TopicStanding> = self.charted.iter().map(|&i| &self.topics[i]).collect();
        let not_started = self.topics.len() - self.started;
        if self.started > shown.len() {
            ui.label(
                RichText::new(format!(
                    "The {} weakest of {} started topics, weakest first.",
                    shown.len(),
                    self.started
                ))
                .weak(),
            );
        }
        if not_started > 0 {
            ui.label(
                RichText::new(format!(
                    "{not_started} topic{} not started yet; pick one deck above to see all of its topics.",
                    if not_started == 1 { "" } else { "s" }
                ))
                .weak(),
            );
        }
        let rows: Vec<(String, f64, Color32)> = shown
            .iter()
            .map(|t| {
                let name = match &self.scope {
                    Scope::Deck(_) => t.topic.clone(),
                    _ => format!("{} · {}", t.topic, t.deck_title),
                };
                let name = if t.weak {
                    format!("{name} (weak)")
                } else {
                    name
                };
                let colour = if t.weak {
                    palette.wrong
                } else {
                    palette.correct
                };
                (name, t.standing.mastery(), colour)
            })
            .collect();
        mastery_bars(ui, "topics", &rows);
    }

    fn session_chart(&self, ui: &mut egui::Ui) {
        let palette = super::theme::palette(ui.visuals());
        section(ui, "Session scores");
        if self.sessions.is_empty() {
            empty(ui, "Each finished session's score is kept and drawn here.");
            return;
        }
        let points: Vec<[f64; 2]> = self
            .sessions
            .iter()
            .enumerate()
            .map(|(i, s)| [i as f64, s.share() * 100.0])
            .collect();
        let sessions = self.sessions.clone();
        let dates: Vec<String> = sessions
            .iter()
            .map(|s| self.date(self.clock.day(s.at)))
            .collect();
        chart_plot("sessions", 170.0)
            .include_y(0.0)
            .include_y(100.0)
            .x_axis_formatter(|mark, _| format!("#{}", mark.value.round() as i64 + 1))
            .label_formatter(move |hover| {
                let i = near_point(hover)?;
                let s = sessions.get(i)?;
                Some(format!(
                    "session {} on {}: {:.0}% ({} of {})",
                    i + 1,
                    dates.get(i).cloned().unwrap_or_default(),
                    s.share() * 100.0,
                    s.correct,
                    s.total
                ))
            })
            .show(ui, |plot| {
                plot.line(
                    Line::new("Score", points.clone())
                        .color(palette.correct)
                        .width(2.0),
                );
                plot.points(
                    Points::new("Sessions", points)
                        .radius(3.0)
                        .color(palette.correct),
                );
            });
    }

    fn leech_list(&self, ui: &mut egui::Ui) {
        let palette = super::theme::palette(ui.visuals());
        section(ui, "Leeches");
        if self.leeches.is_empty() {
            empty(
                ui,
                "No leeches. A card that you forget 8 times, or that never sticks past a day after 5 reviews, is listed here so you can rewrite or study it.",
            );
            return;
        }
        ui.label(
            RichText::new("Cards that keep slipping. Rewrite them in your own words, or study their explanation.")
                .weak(),
        );
        if self.leech_count > LEECHES_SHOWN {
            ui.label(
                RichText::new(format!(
                    "{} leeches in all; the {LEECHES_SHOWN} with the most lapses are shown. Pick a deck above to narrow the list, or run `recall stats` to list every one.",
                    self.leech_count
                ))
                .weak(),
            );
        }
        for leech in &self.leeches {
            egui::Frame::group(ui.style())
                .inner_margin(10.0)
                .show(ui, |ui| {
                    ui.set_width(ui.available_width());
                    ui.label(
                        RichText::new(format!(
                            "{} · {} lapses in {} reviews · recall now {:.0}%",
                            leech.deck,
                            leech.lapses,
                            leech.reps,
                            leech.retrievability * 100.0
                        ))
                        .color(palette.wrong),
                    );
                    super::markdown::show_strong(ui, &leech.prompt, 15.0);
                    super::markdown::show(ui, &leech.explanation, super::theme::SECONDARY);
                });
        }
    }
}

/// The index of the data point under the pointer, if any.
fn near_point(hover: &HoverPosition<'_>) -> Option<usize> {
    match hover {
        HoverPosition::NearDataPoint { position, .. } => Some(position.x.round() as usize),
        HoverPosition::Elsewhere { .. } => None,
    }
}

/// Page Up / Page Down and the arrow keys scroll the page, so the charts can
/// be read without a mouse.
pub(crate) fn keyboard_scroll(ui: &mut egui::Ui) {
    let page = ui.clip_rect().height() * 0.8;
    let delta = ui.input(|i| {
        let mut delta = 0.0;
        if i.key_pressed(egui::Key::PageDown) {
            delta -= page;
        }
        if i.key_pressed(egui::Key::PageUp) {
            delta += page;
        }
        if i.key_pressed(egui::Key::ArrowDown) {
            delta -= 40.0;
        }
        if i.key_pressed(egui::Key::ArrowUp) {
            delta += 40.0;
        }
        delta
    });
    if delta != 0.0 {
        ui.scroll_with_delta(egui::vec2(0.0, delta));
    }
}

fn section(ui: &mut egui::Ui, title: &str) {
    ui.add_space(14.0);
    ui.label(RichText::new(title).strong().size(super::theme::SECTION));
}

fn empty(ui: &mut egui::Ui, text: &str) {
    ui.label(RichText::new(text).italics().weak());
}

/// A chart that keeps still: no zoom, drag or scroll, so the page scrolls.
fn chart_plot(id: &str, height: f32) -> Plot<'_> {
    Plot::new(id)
        .height(height)
        .allow_zoom(false)
        .allow_drag(false)
        .allow_scroll(false)
        .allow_boxed_zoom(false)
        .allow_double_click_reset(false)
        .show_x(false)
        .show_y(false)
}

/// Horizontal mastery bars, 0–100%, each in its row's colour.
/// Which topics the mastery chart draws, and out of how many: over several
/// decks only the started ones, and at most the [`TOPICS_SHOWN`] weakest
/// (hundreds of bars help no one); one deck shows all of its topics in order.
fn charted_topics(topics: &[TopicStanding], scope: &Scope) -> (Vec<usize>, usize) {
    if matches!(scope, Scope::Deck(_)) {
        return ((0..topics.len()).collect(), topics.len());
    }
    let mut started: Vec<usize> = (0..topics.len())
        .filter(|&i| topics[i].standing.studied > 0)
        .collect();
    let count = started.len();
    if count > TOPICS_SHOWN {
        let weakness = |i: usize| topics[i].standing.weakness().unwrap_or(0.0);
        started.sort_by(|&a, &b| weakness(b).total_cmp(&weakness(a)));
        started.truncate(TOPICS_SHOWN);
    }
    (started, count)
}

fn mastery_bars(ui: &mut egui::Ui, id: &str, rows: &[(String, f64, Color32)]) {
    let n = rows.len();
    let bars: Vec<Bar> = rows
        .iter()
        .enumerate()
        .map(|(i, (name, mastery, colour))| {
            Bar::new((n - 1 - i) as f64, mastery * 100.0)
                .name(name)
                .fill(*colour)
        })
        .collect();
    let chart = BarChart::new("Mastery", bars)
        .horizontal()
        .width(0.7)
        .element_formatter(Box::new(|bar, _| {
            format!("{}: {:.0}% mastered", bar.name, bar.value)
        }));
    let names: Vec<String> = rows.iter().map(|(name, _, _)| name.clone()).collect();
    chart_plot(id, 24.0 * n as f32 + 40.0)
        .default_x_bounds(0.0, 100.0)
        .default_y_bounds(-0.6, n as f64 - 0.4)
        .y_axis_min_width(220.0)
        .y_grid_spacer(move |_| {
            (0..n)
                .map(|i| egui_plot::GridMark {
                    value: i as f64,
                    step_size: 1.0,
                })
                .collect()
        })
        .y_axis_formatter(move |mark, _| {
            let i = mark.value.round() as i64;
            usize::try_from(n as i64 - 1 - i)
                .ok()
                .and_then(|i| names.get(i))
                .cloned()
                .unwrap_or_default()
        })
        .x_axis_formatter(|mark, _| format!("{}%", mark.value))
        .show(ui, |plot| plot.bar_chart(chart));
}

/// A calendar: one column per week (Monday on top), one row per weekday, the
/// colour by reviews that day, month names above; hovering shows the date
/// and the count. `date(day)` gives a study day's calendar date.
fn heatmap(
    ui: &mut egui::Ui,
    per_day: &[u32],
    today: i64,
    date: impl Fn(i64) -> Option<chrono::NaiveDate>,
) {
    let strong = super::theme::palette(ui.visuals()).correct;
    use chrono::Datelike;
    let cell = 12.0;
    let gap = 2.0;
    let step = cell + gap;
    let first_day = today - per_day.len() as i64 + 1;
    // Empty cells before the first day, so every row is one weekday.
    let lead = date(first_day).map_or(0, |d| d.weekday().num_days_from_monday() as usize);
    let weeks = (lead + per_day.len()).div_ceil(7);
    let label_width = 32.0;
    let month_height = 16.0;
    let size = egui::vec2(label_width + weeks as f32 * step, month_height + 7.0 * step);
    let (rect, response) = ui.allocate_exact_size(size, Sense::hover());
    let painter = ui.painter_at(rect);
    let text_color = ui.visuals().weak_text_color();
    let font = egui::FontId::proportional(11.0);
    let grid = rect.min + egui::vec2(label_width, month_height);
    for (row, name) in [(0, "Mon"), (2, "Wed"), (4, "Fri")] {
        painter.text(
            egui::pos2(rect.min.x, grid.y + row as f32 * step + cell / 2.0),
            egui::Align2::LEFT_CENTER,
            name,
            font.clone(),
            text_color,
        );
    }
    let max = per_day.iter().copied().max().unwrap_or(1).max(1);
    let empty_fill = ui.visuals().faint_bg_color.gamma_multiply(2.0);
    let mut hovered = None;
    for (i, &n) in per_day.iter().enumerate() {
        let (week, weekday) = ((lead + i) / 7, (lead + i) % 7);
        let day = first_day + i as i64;
        let calendar = date(day);
        if let Some(d) = calendar.filter(|d| d.day() == 1) {
            painter.text(
                egui::pos2(grid.x + week as f32 * step, rect.min.y),
                egui::Align2::LEFT_TOP,
                d.format("%b").to_string(),
                font.clone(),
                text_color,
            );
        }
        let min = grid + egui::vec2(week as f32 * step, weekday as f32 * step);
        let cell_rect = egui::Rect::from_min_size(min, egui::vec2(cell, cell));
        let fill = if n == 0 {
            empty_fill
        } else {
            let t = 0.3 + 0.7 * (n as f32 / max as f32).sqrt();
            strong.gamma_multiply(t)
        };
        painter.rect_filled(cell_rect, 2.0, fill);
        if response
            .hover_pos()
            .is_some_and(|p| cell_rect.expand(gap / 2.0).contains(p))
        {
            hovered = Some((calendar, n));
        }
    }
    if let Some((calendar, n)) = hovered {
        let when = calendar.map_or_else(String::new, |d| d.format("%a %-d %b %Y").to_string());
        response.on_hover_text(format!(
            "{when}: {n} review{}",
            if n == 1 { "" } else { "s" }
        ));
    }
}
