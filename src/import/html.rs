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
            _ => entity
                .strip_prefix("#x")
                .and_then(|h| u32::from_str_radix(h, 16).ok())
                .or_else(|| entity.strip_prefix('#').and_then(|d| d.parse().ok()))
                .and_then(char::from_u32),
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
        assert_eq!(to_markdown("a & b < c"), "a & b < c");
        assert_eq!(to_markdown("<img src=\"x.png\">"), "");
    }
}
