//! Anki's card templates and field text: which fields a template shows, and
//! field HTML turned into Recall's markdown, cloze blanks and plain answers.

use crate::import::html::to_markdown;

/// A field a card template shows, and how.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Reference<'a> {
    /// `{{Field}}` or `{{filter:Field}}`: the field's text.
    Show(&'a str),
    /// `{{type:Field}}`: a box to type the field's text into.
    TypeIn(&'a str),
    /// `{{cloze:Field}}`: the field's cloze deletions.
    Cloze(&'a str),
}

/// The fields `template` refers to, in order. Section tags (`{{#F}}`,
/// `{{^F}}`, `{{/F}}`) only test a field, and text-to-speech only reads it
/// aloud, so neither counts. Special names such as `FrontSide` come back as
/// [`Reference::Show`]; they match no field.
pub(super) fn references(template: &str) -> Vec<Reference<'_>> {
    let mut found = Vec::new();
    let mut rest = template;
    while let Some(open) = rest.find("{{") {
        let after = &rest[open + 2..];
        let Some(close) = after.find("}}") else {
            break;
        };
        let tag = after[..close].trim();
        rest = &after[close + 2..];
        if tag.starts_with(['#', '^', '/']) {
            continue;
        }
        let (filters, name) = tag.rsplit_once(':').unwrap_or(("", tag));
        let filters: Vec<&str> = filters.split(':').map(str::trim).collect();
        let name = name.trim();
        if filters.iter().any(|f| f.starts_with("tts")) {
            continue;
        }
        found.push(if filters.contains(&"cloze") {
            Reference::Cloze(name)
        } else if filters.contains(&"type") {
            Reference::TypeIn(name)
        } else {
            Reference::Show(name)
        });
    }
    found
}

/// A field's HTML as markdown, without images or `[sound:...]` tags.
pub(super) fn markdown(html: &str) -> String {
    let mut text = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(start) = rest.find("[sound:") {
        text.push_str(&rest[..start]);
        match rest[start..].find(']') {
            Some(end) => rest = &rest[start + end + 1..],
            None => rest = "",
        }
    }
    text.push_str(rest);
    to_markdown(&text)
}

/// Markdown as a plain one-line answer: emphasis and code marks dropped,
/// whitespace collapsed.
pub(super) fn plain(markdown: &str) -> String {
    markdown
        .replace(['*', '`'], "")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// `text` with Anki's cloze deletions (`{{c1::answer}}`,
/// `{{c2::answer::hint}}`) as Recall blanks (`{{answer}}`), hints dropped.
/// A deletion nested in another becomes part of the outer blank's answer.
pub(super) fn cloze_to_blanks(text: &str) -> String {
    rewrite_clozes(text, true)
}

fn rewrite_clozes(text: &str, as_blanks: bool) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some((open, body)) = cloze_open(rest) {
        let Some(close) = depth_zero(&rest[body..], "}}") else {
            break;
        };
        let inner = &rest[body..body + close];
        let answer = match depth_zero(inner, "::") {
            Some(hint) => &inner[..hint],
            None => inner,
        };
        let answer = rewrite_clozes(answer, false);
        out.push_str(&rest[..open]);
        if as_blanks {
            out.push_str("{{");
            out.push_str(&plain(&answer));
            out.push_str("}}");
        } else {
            out.push_str(&answer);
        }
        rest = &rest[body + close + 2..];
    }
    out.push_str(rest);
    out
}

/// Where the next `{{cN::` starts, and where its body starts.
fn cloze_open(text: &str) -> Option<(usize, usize)> {
    let mut from = 0;
    while let Some(found) = text[from..].find("{{c") {
        let at = from + found;
        let digits = text[at + 3..]
            .bytes()
            .take_while(u8::is_ascii_digit)
            .count();
        let after = at + 3 + digits;
        if digits > 0 && text[after..].starts_with("::") {
            return Some((at, after + 2));
        }
        from = at + 3;
    }
    None
}

/// The first `needle` in `text` outside any nested `{{...}}`.
fn depth_zero(text: &str, needle: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut depth = 0usize;
    let mut i = 0;
    while i < bytes.len() {
        let here = &bytes[i..];
        if depth == 0 && here.starts_with(needle.as_bytes()) {
            return Some(i);
        }
        if here.starts_with(b"{{") {
            depth += 1;
            i += 2;
        } else if here.starts_with(b"}}") && depth > 0 {
            depth -= 1;
            i += 2;
        } else {
            i += 1;
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_name_their_fields() {
        assert_eq!(
            references("{{Front}}\n\n{{type:Back}}"),
            [Reference::Show("Front"), Reference::TypeIn("Back")]
        );
        assert_eq!(
            references("{{cloze:Text}}<br>{{#Back Extra}}{{ Back Extra }}{{/Back Extra}}"),
            [Reference::Cloze("Text"), Reference::Show("Back Extra")]
        );
        assert_eq!(
            references("{{type:cloze:Text}}{{text:hint:Notes}}{{tts en_US:Front}}{{FrontSide}}"),
            [
                Reference::Cloze("Text"),
                Reference::Show("Notes"),
                Reference::Show("FrontSide")
            ]
        );
        assert_eq!(references("no fields {{broken"), []);
    }

    #[test]
    fn fields_lose_sounds_and_images() {
        assert_eq!(
            markdown("A <b>ROC</b> curve<br><img src=\"x.png\">[sound:roc.mp3]"),
            "A **ROC** curve"
        );
        assert_eq!(markdown("cut [sound:off"), "cut");
        assert_eq!(plain("**Paris**\n`x`  y"), "Paris x y");
    }

    #[test]
    fn clozes_become_blanks() {
        assert_eq!(
            cloze_to_blanks("{{c1::Adam}} uses {{c2::RMSProp::an adaptive method}}."),
            "{{Adam}} uses {{RMSProp}}."
        );
        assert_eq!(
            cloze_to_blanks("{{c1::**bold** answer}} and {{c12::x}}"),
            "{{bold answer}} and {{x}}"
        );
        assert_eq!(
            cloze_to_blanks("{{c1::outer {{c2::inner::hint}} part::outer hint}}!"),
            "{{outer inner part}}!"
        );
        assert_eq!(
            cloze_to_blanks("{{c::no}} {{cx::no}}"),
            "{{c::no}} {{cx::no}}"
        );
        assert_eq!(
            cloze_to_blanks("never closed {{c1::oops"),
            "never closed {{c1::oops"
        );
        assert_eq!(cloze_to_blanks("café {{c1::naïve}}"), "café {{naïve}}");
    }
}
