//! Recall's small design system: the type scale, spacing and rounding, a calm
//! palette for light and dark, the colours of right and wrong, and one colour
//! per category, used the same way on every screen.

use egui::{Color32, FontFamily, FontId, Stroke, Style, TextStyle, Visuals};

use crate::model::Category;

/// The prompt: large and readable.
pub const PROMPT: f32 = 22.0;
/// Body text: options, answers, labels.
pub const BODY: f32 = 16.0;
/// Explanations and secondary text.
pub const SECONDARY: f32 = 15.0;
/// Small print: hints, sources, captions.
pub const SMALL: f32 = 13.0;
/// Section headings.
pub const SECTION: f32 = 18.0;
/// Screen titles.
pub const TITLE: f32 = 28.0;
/// Line height as a multiple of the font size, for running text.
pub const LINE_HEIGHT: f32 = 1.45;
/// The widest a column of running text gets: about 70 characters of the
/// prompt's size.
pub const READABLE_WIDTH: f32 = 720.0;
/// Corner rounding of frames and buttons.
pub const ROUNDING: u8 = 6;

/// The colours that carry meaning.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Palette {
    /// A right answer, a strong topic.
    pub correct: Color32,
    /// A wrong answer, a weak topic, a leech.
    pub wrong: Color32,
    /// Links, the progress bar, charts' main series.
    pub accent: Color32,
    /// New cards.
    pub new: Color32,
    /// Cards due.
    pub due: Color32,
    /// Cards learned.
    pub learned: Color32,
}

/// The palette for light or dark visuals.
pub fn palette(visuals: &Visuals) -> Palette {
    if visuals.dark_mode {
        Palette {
            correct: Color32::from_rgb(104, 190, 140),
            wrong: Color32::from_rgb(230, 128, 104),
            accent: Color32::from_rgb(110, 160, 230),
            new: Color32::from_rgb(110, 160, 230),
            due: Color32::from_rgb(230, 150, 90),
            learned: Color32::from_rgb(104, 190, 140),
        }
    } else {
        Palette {
            correct: Color32::from_rgb(30, 130, 76),
            wrong: Color32::from_rgb(192, 64, 40),
            accent: Color32::from_rgb(40, 100, 190),
            new: Color32::from_rgb(40, 100, 190),
            due: Color32::from_rgb(184, 96, 20),
            learned: Color32::from_rgb(30, 130, 76),
        }
    }
}

/// The colour of a category, the same on Home, in the editor and in charts.
pub fn category_color(category: Category, visuals: &Visuals) -> Color32 {
    let (dark, light) = match category {
        Category::Coursework => ((120, 150, 235), (50, 80, 180)),
        Category::Tools => ((90, 190, 180), (20, 120, 110)),
        Category::Trends => ((205, 140, 230), (130, 60, 160)),
        Category::Practice => ((235, 180, 90), (160, 100, 10)),
        Category::Custom => ((170, 170, 170), (90, 90, 90)),
    };
    let (r, g, b) = if visuals.dark_mode { dark } else { light };
    Color32::from_rgb(r, g, b)
}

/// Applies the type scale, spacing, rounding and calmer colours to `style`.
pub fn apply(style: &mut Style) {
    style.text_styles = [
        (
            TextStyle::Small,
            FontId::new(SMALL, FontFamily::Proportional),
        ),
        (
            TextStyle::Body,
            FontId::new(BODY - 1.0, FontFamily::Proportional),
        ),
        (
            TextStyle::Button,
            FontId::new(BODY - 1.0, FontFamily::Proportional),
        ),
        (
            TextStyle::Heading,
            FontId::new(TITLE - 4.0, FontFamily::Proportional),
        ),
        (
            TextStyle::Monospace,
            FontId::new(SMALL + 1.0, FontFamily::Monospace),
        ),
    ]
    .into();
    style.spacing.item_spacing = egui::vec2(10.0, 8.0);
    style.spacing.button_padding = egui::vec2(12.0, 6.0);
    style.spacing.interact_size.y = 28.0;
    let dark = style.visuals.dark_mode;
    let visuals = &mut style.visuals;
    let rounding = egui::CornerRadius::same(ROUNDING);
    for widget in [
        &mut visuals.widgets.noninteractive,
        &mut visuals.widgets.inactive,
        &mut visuals.widgets.hovered,
        &mut visuals.widgets.active,
        &mut visuals.widgets.open,
    ] {
        widget.corner_radius = rounding;
    }
    visuals.window_corner_radius = egui::CornerRadius::same(ROUNDING + 4);
    let accent = palette(visuals).accent;
    visuals.selection.bg_fill = accent.gamma_multiply(if dark { 0.55 } else { 0.85 });
    visuals.selection.stroke = Stroke::new(1.5, if dark { Color32::WHITE } else { accent });
    // Keyboard focus must be obvious: a clear accent outline on the focused widget.
    visuals.widgets.hovered.bg_stroke = Stroke::new(1.5, accent);
    visuals.widgets.active.bg_stroke = Stroke::new(2.0, accent);
    visuals.hyperlink_color = accent;
    // Secondary text stays readable: about 5:1 on the panel in both themes.
    visuals.weak_text_color = Some(if dark {
        Color32::from_rgb(150, 155, 162)
    } else {
        Color32::from_rgb(100, 100, 100)
    });
    if dark {
        visuals.panel_fill = Color32::from_rgb(28, 30, 34);
        visuals.window_fill = Color32::from_rgb(34, 37, 42);
        visuals.extreme_bg_color = Color32::from_rgb(20, 22, 25);
        visuals.faint_bg_color = Color32::from_rgb(36, 39, 44);
        visuals.code_bg_color = Color32::from_rgb(40, 44, 52);
    } else {
        visuals.panel_fill = Color32::from_rgb(248, 247, 244);
        visuals.window_fill = Color32::from_rgb(252, 251, 249);
        visuals.extreme_bg_color = Color32::WHITE;
        visuals.faint_bg_color = Color32::from_rgb(240, 238, 233);
        visuals.code_bg_color = Color32::from_rgb(238, 236, 230);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// WCAG contrast ratio between two colours.
    fn contrast(a: Color32, b: Color32) -> f32 {
        let lum = |c: Color32| {
            let f = |v: u8| {
                let v = f32::from(v) / 255.0;
                if v <= 0.03928 {
                    v / 12.92
                } else {
                    ((v + 0.055) / 1.055).powf(2.4)
                }
            };
            0.2126 * f(c.r()) + 0.7152 * f(c.g()) + 0.0722 * f(c.b())
        };
        let (x, y) = (lum(a), lum(b));
        (x.max(y) + 0.05) / (x.min(y) + 0.05)
    }

    #[test]
    fn meaning_colours_are_readable_on_both_backgrounds() {
        for dark in [false, true] {
            let mut style = Style {
                visuals: if dark {
                    Visuals::dark()
                } else {
                    Visuals::light()
                },
                ..Style::default()
            };
            apply(&mut style);
            let p = palette(&style.visuals);
            let bg = style.visuals.panel_fill;
            for (name, c) in [
                ("correct", p.correct),
                ("wrong", p.wrong),
                ("accent", p.accent),
                ("due", p.due),
            ] {
                assert!(
                    contrast(c, bg) >= 3.0,
                    "{name} on {} has contrast {:.2}",
                    if dark { "dark" } else { "light" },
                    contrast(c, bg)
                );
            }
            let weak = style.visuals.weak_text_color();
            assert!(contrast(weak, bg) >= 4.5, "secondary text ({dark})");
            for category in Category::ALL {
                let c = category_color(category, &style.visuals);
                assert!(contrast(c, bg) >= 3.0, "{category:?} ({dark})");
            }
        }
    }
}
