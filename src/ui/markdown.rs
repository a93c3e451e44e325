//! A small markdown renderer for prompts, answers and explanations:
//! paragraphs, fenced code blocks (monospaced, in a frame), inline `code`,
//! **bold** and *italic*. Enough for deck text; no HTML.

use egui::text::{LayoutJob, TextFormat};
use egui::{FontId, RichText};

/// One block of a markdown text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    /// Ordinary text, with inline markup.
    Paragraph(String),
    /// The body of a fenced code block.
    Code(String),
}

/// Splits markdown into paragraphs and fenced code blocks.
pub fn blocks(text: &str) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut paragraph: Vec<&str> = Vec::new();
    let mut code: Option<Vec<&str>> = None;
    let flush = |paragraph: &mut Vec<&str>, blocks: &mut Vec<Block>| {
        if !paragraph.is_empty() {
            blocks.push(Block::Paragraph(paragraph.join("\n")));
            paragraph.clear();
        }
    };
    for line in text.lines() {
        let fence = line.trim_start().strip_prefix("```");
        match (&mut code, fence) {
            (Some(lines), Some(_)) => {
                blocks.push(Block::Code(lines.join("\n")));
                code = None;
            }
            (Some(lines), None) => lines.push(line),
            (None, Some(_language)) => {
                flush(&mut paragraph, &mut blocks);
                code = Some(Vec::new());
            }
            (None, None) if line.trim().is_empty() => flush(&mut paragraph, &mut blocks),
            (None, None) => paragraph.push(line),
        }
    }
    if let Some(lines) = code {
        blocks.push(Block::Code(lines.join("\n")));
    }
    flush(&mut paragraph, &mut blocks);
    blocks
}

/// Shows markdown `text` at body size `size`.
pub fn show(ui: &mut egui::Ui, text: &str, size: f32) {
    show_in(ui, text, size, ui.visuals().text_color());
}

/// Shows markdown `text` in the strong text colour, for prompts.
pub fn show_strong(ui: &mut egui::Ui, text: &str, size: f32) {
    show_in(ui, text, size, ui.visuals().strong_text_color());
}

fn show_in(ui: &mut egui::Ui, text: &str, size: f32, color: egui::Color32) {
    for block in blocks(text) {
        match block {
            Block::Paragraph(p) => {
                ui.label(inline(ui, &p, size, color));
            }
            Block::Code(code) => {
                egui::Frame::new()
                    .fill(ui.visuals().code_bg_color)
                    .inner_margin(10.0)
                    .corner_radius(6.0)
                    .show(ui, |ui| {
                        ui.set_width(ui.available_width());
                        ui.label(RichText::new(code).monospace().size(size * 0.85));
                    });
            }
        }
        ui.add_space(size * 0.4);
    }
}

/// Lays out one paragraph's inline markup (`code`, **bold**, *italic*).
pub fn inline(ui: &egui::Ui, text: &str, size: f32, color: egui::Color32) -> LayoutJob {
    let strong = ui.visuals().strong_text_color();
    let mut job = LayoutJob::default();
    job.wrap.max_width = ui.available_width();
    let (mut bold, mut italic, mut code) = (false, false, false);
    let mut buffer = String::new();
    let push = |job: &mut LayoutJob, buffer: &mut String, bold: bool, italic: bool, code: bool| {
        if buffer.is_empty() {
            return;
        }
        let format = TextFormat {
            font_id: if code {
                FontId::monospace(size * 0.9)
            } else {
                FontId::proportional(size)
            },
            color: if bold { strong } else { color },
            italics: italic,
            background: if code {
                ui.visuals().code_bg_color
            } else {
                egui::Color32::TRANSPARENT
            },
            line_height: Some(size * 1.4),
            ..Default::default()
        };
        job.append(buffer, 0.0, format);
        buffer.clear();
    };
    let mut chars = text.chars().peekable();
    let mut prev = ' ';
    while let Some(c) = chars.next() {
        let opens = prev.is_whitespace() || prev == '(';
        prev = c;
        match c {
            '`' => {
                push(&mut job, &mut buffer, bold, italic, code);
                code = !code;
            }
            '*' if !code && chars.peek() == Some(&'*') => {
                chars.next();
                push(&mut job, &mut buffer, bold, italic, code);
                bold = !bold;
            }
            '*' if !code
                && (italic || (opens && chars.peek().is_some_and(|n| !n.is_whitespace()))) =>
            {
                push(&mut job, &mut buffer, bold, italic, code);
                italic = !italic;
            }
            _ => buffer.push(c),
        }
    }
    push(&mut job, &mut buffer, bold, italic, code);
    job
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_paragraphs_and_fenced_code() {
        let text = "What is `c`?\nSecond line.\n\n```python\na = 1\n\nb = 2\n```\nAfter.";
        assert_eq!(
            blocks(text),
            vec![
                Block::Paragraph("What is `c`?\nSecond line.".into()),
                Block::Code("a = 1\n\nb = 2".into()),
                Block::Paragraph("After.".into()),
            ]
        );
    }

    #[test]
    fn an_unclosed_fence_keeps_its_code() {
        assert_eq!(blocks("```\nx"), vec![Block::Code("x".into())]);
    }
}

#[cfg(test)]
mod glyph_tests {
    use crate::deck::Library;
    use crate::grade::expected_answer;
    use crate::model::QuestionKind;

    /// kittest panics on a glyph no installed font has, so this renders every
    /// bundled question's text with Recall's fonts.
    #[test]
    fn every_bundled_question_renders_with_the_bundled_fonts() {
        let library = Library::load(true, &[], &[]);
        assert!(library.errors.is_empty());
        for (_, question) in library.cards() {
            let mut texts = vec![
                question.prompt.clone(),
                question.explanation.clone(),
                expected_answer(&question.kind),
                question.source.clone().unwrap_or_default(),
            ];
            if let QuestionKind::MultipleChoice { options, .. } = &question.kind {
                texts.extend(options.iter().cloned());
            }
            let mut harness = egui_kittest::Harness::builder()
                .with_size(egui::vec2(800.0, 2000.0))
                .with_context_setup(crate::ui::setup)
                .build_ui(|ui| {
                    for text in &texts {
                        super::show(ui, text, 16.0);
                        super::show_strong(ui, text, 20.0);
                    }
                });
            harness.run();
        }
    }
}
