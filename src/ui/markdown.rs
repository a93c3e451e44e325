//! A small markdown renderer for prompts, answers and explanations:
//! paragraphs, bulleted and numbered lists, fenced code blocks with syntax
//! highlighting (through `syntect`: Python, SQL, Scala, Bash, YAML, R, Java
//! and more), inline `code`, **bold** and *italic*. Enough for deck text; no
//! HTML. Highlighted blocks are cached per frame, so idle frames cost nothing.

use std::sync::OnceLock;

use egui::cache::{ComputerMut, FrameCache};
use egui::text::{LayoutJob, TextFormat};
use egui::{Color32, FontId};
use syntect::easy::HighlightLines;
use syntect::highlighting::ThemeSet;
use syntect::parsing::SyntaxSet;
use syntect::util::LinesWithEndings;

/// One block of a markdown text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    /// Ordinary text, with inline markup.
    Paragraph(String),
    /// A fenced code block: its language (may be empty) and body.
    Code {
        /// The fence's language tag, such as `python`.
        language: String,
        /// The code.
        code: String,
    },
    /// A list: its items, numbered or bulleted.
    List {
        /// Whether the items are numbered (`1.`) rather than bulleted (`-`).
        numbered: bool,
        /// Each item's text, with inline markup.
        items: Vec<String>,
    },
}

/// A list item's text, if `line` starts one: `- `, `* `, `+ ` or `1. `.
fn list_item(line: &str) -> Option<(bool, &str)> {
    let t = line.trim_start();
    if let Some(rest) = ["- ", "* ", "+ "].iter().find_map(|m| t.strip_prefix(m)) {
        return Some((false, rest));
    }
    let digits = t.chars().take_while(char::is_ascii_digit).count();
    if digits > 0 && digits < 4 {
        return t[digits..].strip_prefix(". ").map(|rest| (true, rest));
    }
    None
}

/// Splits markdown into paragraphs, lists and fenced code blocks.
pub fn blocks(text: &str) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut paragraph: Vec<&str> = Vec::new();
    let mut list: Option<(bool, Vec<String>)> = None;
    let mut code: Option<(String, Vec<&str>)> = None;
    let flush = |paragraph: &mut Vec<&str>,
                 list: &mut Option<(bool, Vec<String>)>,
                 blocks: &mut Vec<Block>| {
        if !paragraph.is_empty() {
            blocks.push(Block::Paragraph(paragraph.join("\n")));
            paragraph.clear();
        }
        if let Some((numbered, items)) = list.take() {
            blocks.push(Block::List { numbered, items });
        }
    };
    for line in text.lines() {
        let fence = line.trim_start().strip_prefix("```");
        match (&mut code, fence) {
            (Some((language, lines)), Some(_)) => {
                blocks.push(Block::Code {
                    language: std::mem::take(language),
                    code: lines.join("\n"),
                });
                code = None;
            }
            (Some((_, lines)), None) => lines.push(line),
            (None, Some(language)) => {
                flush(&mut paragraph, &mut list, &mut blocks);
                code = Some((language.trim().to_string(), Vec::new()));
            }
            (None, None) if line.trim().is_empty() => flush(&mut paragraph, &mut list, &mut blocks),
            (None, None) => match (list_item(line), &mut list) {
                (Some((numbered, item)), Some((kind, items))) if *kind == numbered => {
                    items.push(item.to_string())
                }
                (Some((numbered, item)), _) => {
                    flush(&mut paragraph, &mut list, &mut blocks);
                    list = Some((numbered, vec![item.to_string()]));
                }
                // A continuation line of the last item.
                (None, Some((_, items))) if line.starts_with("  ") => {
                    if let Some(last) = items.last_mut() {
                        last.push(' ');
                        last.push_str(line.trim());
                    }
                }
                (None, _) => {
                    if list.is_some() {
                        flush(&mut paragraph, &mut list, &mut blocks);
                    }
                    paragraph.push(line)
                }
            },
        }
    }
    if let Some((language, lines)) = code {
        blocks.push(Block::Code {
            language,
            code: lines.join("\n"),
        });
    }
    flush(&mut paragraph, &mut list, &mut blocks);
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

fn show_in(ui: &mut egui::Ui, text: &str, size: f32, color: Color32) {
    for block in blocks(text) {
        match block {
            Block::Paragraph(p) => {
                ui.label(inline(ui, &p, size, color));
            }
            Block::List { numbered, items } => {
                for (n, item) in items.iter().enumerate() {
                    ui.horizontal_top(|ui| {
                        ui.add_space(size * 0.6);
                        let marker = if numbered {
                            format!("{}.", n + 1)
                        } else {
                            "•".to_string()
                        };
                        ui.label(egui::RichText::new(marker).size(size).color(color));
                        ui.label(inline(ui, item, size, color));
                    });
                }
            }
            Block::Code { language, code } => {
                egui::Frame::new()
                    .fill(ui.visuals().code_bg_color)
                    .inner_margin(10.0)
                    .corner_radius(6.0)
                    .show(ui, |ui| {
                        ui.set_width(ui.available_width());
                        let dark = ui.visuals().dark_mode;
                        let font = (size * 0.85 * 10.0).round() as u32;
                        let job = ui.ctx().memory_mut(|m| {
                            m.caches
                                .cache::<HighlightCache>()
                                .get((code.as_str(), language.as_str(), dark, font))
                                .clone()
                        });
                        ui.add(egui::Label::new(job).wrap_mode(egui::TextWrapMode::Extend));
                    });
            }
        }
        ui.add_space(size * 0.4);
    }
}

type HighlightCache = FrameCache<LayoutJob, Highlighter>;

/// Syntax-highlights code blocks with `syntect`'s bundled grammars and themes.
#[derive(Default)]
struct Highlighter;

/// `syntect`'s grammars and themes, loaded once, on the first code block.
fn syntect_defaults() -> &'static (SyntaxSet, ThemeSet) {
    static DEFAULTS: OnceLock<(SyntaxSet, ThemeSet)> = OnceLock::new();
    DEFAULTS.get_or_init(|| {
        (
            SyntaxSet::load_defaults_newlines(),
            ThemeSet::load_defaults(),
        )
    })
}

impl ComputerMut<(&str, &str, bool, u32), LayoutJob> for Highlighter {
    fn compute(&mut self, (code, language, dark, size): (&str, &str, bool, u32)) -> LayoutJob {
        highlight(code, language, dark, size as f32 / 10.0)
    }
}

/// The fence tags deck authors write, mapped to `syntect`'s grammar tokens.
fn grammar_token(language: &str) -> &str {
    match language.to_ascii_lowercase().as_str() {
        "python" | "py" | "python3" => "py",
        "bash" | "sh" | "shell" | "console" | "zsh" => "sh",
        "yaml" | "yml" => "yaml",
        "sql" | "postgresql" | "mysql" => "sql",
        "scala" => "scala",
        "java" => "java",
        "r" => "r",
        "rust" | "rs" => "rs",
        "json" => "json",
        "javascript" | "js" => "js",
        _ => "",
    }
}

/// The code laid out in `size`-point monospace, coloured by its grammar when
/// the language is known, plain otherwise.
pub fn highlight(code: &str, language: &str, dark: bool, size: f32) -> LayoutJob {
    let font = FontId::monospace(size);
    let plain = if dark {
        Color32::from_rgb(220, 223, 228)
    } else {
        Color32::from_rgb(40, 42, 46)
    };
    // A trailing newline would add an empty line at the bottom of the frame.
    let code = code.strip_suffix('\n').unwrap_or(code);
    let mut job = LayoutJob::default();
    let token = grammar_token(language);
    let (syntaxes, themes) = syntect_defaults();
    let syntax = (!token.is_empty())
        .then(|| syntaxes.find_syntax_by_extension(token))
        .flatten();
    let theme = themes.themes.get(if dark {
        "base16-ocean.dark"
    } else {
        "InspiredGitHub"
    });
    let (Some(syntax), Some(theme)) = (syntax, theme) else {
        job.append(code, 0.0, TextFormat::simple(font, plain));
        return job;
    };
    let mut lines = HighlightLines::new(syntax, theme);
    for line in LinesWithEndings::from(code) {
        let Ok(ranges) = lines.highlight_line(line, syntaxes) else {
            job.append(line, 0.0, TextFormat::simple(font.clone(), plain));
            continue;
        };
        for (style, text) in ranges {
            let c = style.foreground;
            let format = TextFormat {
                font_id: font.clone(),
                color: Color32::from_rgb(c.r, c.g, c.b),
                italics: style
                    .font_style
                    .contains(syntect::highlighting::FontStyle::ITALIC),
                ..Default::default()
            };
            job.append(text, 0.0, format);
        }
    }
    job
}

/// Lays out one paragraph's inline markup (`code`, **bold**, *italic*).
pub fn inline(ui: &egui::Ui, text: &str, size: f32, color: Color32) -> LayoutJob {
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
                Color32::TRANSPARENT
            },
            line_height: Some(size * super::theme::LINE_HEIGHT),
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
                Block::Code {
                    language: "python".into(),
                    code: "a = 1\n\nb = 2".into()
                },
                Block::Paragraph("After.".into()),
            ]
        );
    }

    #[test]
    fn an_unclosed_fence_keeps_its_code() {
        assert_eq!(
            blocks("```\nx"),
            vec![Block::Code {
                language: String::new(),
                code: "x".into()
            }]
        );
    }

    #[test]
    fn lists_are_bulleted_or_numbered_with_continuations() {
        let text = "Steps:\n1. fit\n2. predict the\n   test set\n\n- one\n* two\nAfter.";
        assert_eq!(
            blocks(text),
            vec![
                Block::Paragraph("Steps:".into()),
                Block::List {
                    numbered: true,
                    items: vec!["fit".into(), "predict the test set".into()]
                },
                Block::List {
                    numbered: false,
                    items: vec!["one".into(), "two".into()]
                },
                Block::Paragraph("After.".into()),
            ]
        );
    }

    #[test]
    fn known_languages_are_coloured_and_others_stay_plain() {
        let python = highlight("def f(x):\n    return x  # done\n", "python", true, 14.0);
        let colours: std::collections::HashSet<_> =
            python.sections.iter().map(|s| s.format.color).collect();
        assert!(
            colours.len() >= 3,
            "keywords, names and comments differ: {colours:?}"
        );
        assert_eq!(python.text, "def f(x):\n    return x  # done");
        assert!(
            python
                .sections
                .iter()
                .all(|s| s.format.font_id.family == egui::FontFamily::Monospace),
            "code is drawn in the monospace font"
        );
        for (language, code) in [
            ("sql", "SELECT id FROM t -- all"),
            ("scala", "val x = 1 // one"),
            ("bash", "echo \"$HOME\" # home"),
            ("yaml", "key: value # note"),
        ] {
            let job = highlight(code, language, false, 14.0);
            assert!(job.sections.len() > 1, "{language} is highlighted");
            assert_eq!(job.text, code);
        }
        let plain = highlight("whatever", "klingon", false, 14.0);
        assert_eq!(plain.sections.len(), 1);
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
        for (key, _) in library.cards() {
            let question = library.question(&key.to_key()).unwrap();
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
