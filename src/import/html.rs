//! Anki fields are HTML. Recall shows markdown, so imports turn the common
//! tags into markdown (`<b>` → `**`, `<i>` → `*`, `<code>` → backticks,
//! `<br>`, `<div>` and `<p>` → line breaks, list items → `- `) and drop the
//! rest, decoding entities.

/// The markdown for an HTML fragment.
pub fn to_markdown(html: &str) -> String {
    let mut out = String::new();
    let mut rest = html;
    while let Some(start) = rest.find('<') {
        out.push_str(&decode_entities(&rest[..start]));
        let Some(end) = rest[start..].find('>') else {
            out.push_str(&decode_entities(&rest[start..]));
            rest = "";
            break;
        };
        let tag = &rest[start + 1..start + end];
        rest = &rest[start + end + 1..];
        let closing = tag.starts_with('/');
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        match (name.as_str(), closing) {
            ("b" | "strong", _) => out.push_str("**"),
            ("i" | "em", _) => out.push('*'),
            ("code", _) => out.push('`'),
            ("br", _) => out.push('\n'),
            ("div" | "p" | "ul" | "ol" | "pre", _) | ("li", true)
                if !out.is_empty() && !out.ends_with('\n') =>
            {
                out.push('\n');
            }
            ("li", false) => {
                if !out.is_empty() && !out.ends_with('\n') {
                    out.push('\n');
                }
                out.push_str("- ");
            }
            _ => {}
        }
    }
    out.push_str(&decode_entities(rest));
    tidy(&out)
}

/// Decodes the named entities Anki writes and numeric ones.
fn decode_entities(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let after = &rest[amp..];
        let Some(semi) = after.find(';').filter(|&i| i <= 10) else {
            out.push('&');
            rest = &after[1..];
            continue;
        };
        let entity = &after[1..semi];
        let decoded = match entity {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" | "#39" => Some('\''),
            "nbsp" => Some(' '),
            _ => NAMED
                .iter()
                .find(|(name, _)| *name == entity)
                .map(|(_, c)| *c)
                .or_else(|| {
                    entity
                        .strip_prefix("#x")
                        .and_then(|h| u32::from_str_radix(h, 16).ok())
                        .and_then(char::from_u32)
                })
                .or_else(|| {
                    entity
                        .strip_prefix('#')
                        .and_then(|d| d.parse().ok())
                        .and_then(char::from_u32)
                }),
        };
        match decoded {
            Some(c) => {
                out.push(c);
                rest = &after[semi + 1..];
            }
            None => {
                out.push('&');
                rest = &after[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Named entities beyond the basic five that Anki fields commonly hold.
const NAMED: &[(&str, char)] = &[
    ("aacute", 'á'),
    ("eacute", 'é'),
    ("iacute", 'í'),
    ("oacute", 'ó'),
    ("uacute", 'ú'),
    ("Aacute", 'Á'),
    ("Eacute", 'É'),
    ("Iacute", 'Í'),
    ("Oacute", 'Ó'),
    ("Uacute", 'Ú'),
    ("agrave", 'à'),
    ("egrave", 'è'),
    ("igrave", 'ì'),
    ("ograve", 'ò'),
    ("ugrave", 'ù'),
    ("acirc", 'â'),
    ("ecirc", 'ê'),
    ("icirc", 'î'),
    ("ocirc", 'ô'),
    ("ucirc", 'û'),
    ("auml", 'ä'),
    ("euml", 'ë'),
    ("iuml", 'ï'),
    ("ouml", 'ö'),
    ("uuml", 'ü'),
    ("Auml", 'Ä'),
    ("Ouml", 'Ö'),
    ("Uuml", 'Ü'),
    ("szlig", 'ß'),
    ("ntilde", 'ñ'),
    ("Ntilde", 'Ñ'),
    ("ccedil", 'ç'),
    ("Ccedil", 'Ç'),
    ("aring", 'å'),
    ("oslash", 'ø'),
    ("aelig", 'æ'),
    ("iexcl", '¡'),
    ("iquest", '¿'),
    ("laquo", '«'),
    ("raquo", '»'),
    ("hellip", '…'),
    ("mdash", '—'),
    ("ndash", '–'),
    ("lsquo", '‘'),
    ("rsquo", '’'),
    ("ldquo", '“'),
    ("rdquo", '”'),
    ("bull", '•'),
    ("middot", '·'),
    ("deg", '°'),
    ("times", '×'),
    ("divide", '÷'),
    ("plusmn", '±'),
    ("le", '≤'),
    ("ge", '≥'),
    ("ne", '≠'),
    ("asymp", '≈'),
    ("rarr", '→'),
    ("larr", '←'),
    ("harr", '↔'),
    ("rArr", '⇒'),
    ("infin", '∞'),
    ("sum", '∑'),
    ("radic", '√'),
    ("alpha", 'α'),
    ("beta", 'β'),
    ("gamma", 'γ'),
    ("delta", 'δ'),
    ("epsilon", 'ε'),
    ("theta", 'θ'),
    ("lambda", 'λ'),
    ("mu", 'μ'),
    ("pi", 'π'),
    ("sigma", 'σ'),
    ("Sigma", 'Σ'),
    ("copy", '©'),
    ("reg", '®'),
    ("euro", '€'),
    ("pound", '£'),
    ("sect", '§'),
];

/// Trims each line's end and the whole text, and collapses blank-line runs.
fn tidy(text: &str) -> String {
    let mut out = String::new();
    let mut blank = 0;
    for line in text.lines() {
        let line = line.trim_end();
        if line.trim().is_empty() {
            blank += 1;
            continue;
        }
        if !out.is_empty() {
            out.push_str(if blank > 0 { "\n\n" } else { "\n" });
        }
        blank = 0;
        out.push_str(line);
    }
    out.trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::to_markdown;

    #[test]
    fn common_tags_become_markdown() {
        assert_eq!(
            to_markdown("<b>Bold</b> and <i>it</i> &amp; <code>x&lt;y</code>"),
            "**Bold** and *it* & `x<y`"
        );
        assert_eq!(
            to_markdown("line one<br>line two<br/>"),
            "line one\nline two"
        );
        assert_eq!(
            to_markdown("<div>Intro</div><ul><li>one</li><li>two</li></ul>"),
            "Intro\n- one\n- two"
        );
        assert_eq!(
            to_markdown(r#"<span style="color: red">red</span>&nbsp;text &#955; &#x3bb;"#),
            "red text λ λ"
        );
        assert_eq!(to_markdown("canci&oacute;n &rarr; &Sigma;"), "canción → Σ");
        assert_eq!(to_markdown("a & b < c"), "a & b < c");
        assert_eq!(to_markdown("<img src=\"x.png\">"), "");
    }
}
