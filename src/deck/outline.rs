//! Finds where things are in a deck's RON text, so validation errors can point
//! at the exact `line:col` of a question or field. serde's data model has no
//! spans, so this is a small scanner that understands just enough RON
//! (strings, raw strings, comments, brackets and `name:` fields).

use std::collections::HashMap;

/// A 1-based line and column (columns count characters).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Pos {
    /// The line, counting from 1.
    pub line: usize,
    /// The column, counting characters from 1.
    pub col: usize,
}

/// Where the parts of one question are.
#[derive(Debug, Clone, Default)]
pub struct QuestionOutline {
    /// The question's opening parenthesis.
    pub start: Pos,
    /// Its own fields (`id`, `prompt`, `kind`, ...).
    pub fields: HashMap<String, Pos>,
    /// The fields inside its `kind` (`options`, `correct`, `text`, ...).
    pub kind_fields: HashMap<String, Pos>,
}

impl QuestionOutline {
    /// The position of a question field, falling back to the question start.
    pub fn field(&self, name: &str) -> Pos {
        self.fields.get(name).copied().unwrap_or(self.start)
    }

    /// The position of a field inside `kind`, falling back to `kind` itself.
    pub fn kind_field(&self, name: &str) -> Pos {
        self.kind_fields
            .get(name)
            .copied()
            .unwrap_or_else(|| self.field("kind"))
    }
}

/// Where the deck's fields and questions are.
#[derive(Debug, Clone, Default)]
pub struct Outline {
    /// The deck's own fields (`id`, `title`, `questions`, ...).
    pub fields: HashMap<String, Pos>,
    /// Each question's parts, in file order.
    pub questions: Vec<QuestionOutline>,
}

impl Outline {
    /// The position of a deck field, or the top of the file.
    pub fn field(&self, name: &str) -> Pos {
        self.fields
            .get(name)
            .copied()
            .unwrap_or(Pos { line: 1, col: 1 })
    }

    /// Scans `text`. It never fails: on odd input it simply finds less.
    pub fn scan(text: &str) -> Outline {
        let mut outline = Outline::default();
        let chars: Vec<char> = text.chars().collect();
        let mut positions = Vec::with_capacity(chars.len());
        let (mut line, mut col) = (1, 1);
        for &c in &chars {
            positions.push(Pos { line, col });
            if c == '\n' {
                line += 1;
                col = 1;
            } else {
                col += 1;
            }
        }
        let mut depth: Vec<char> = Vec::new();
        let mut deck_field = String::new();
        let mut question_field = String::new();
        let mut i = 0;
        while i < chars.len() {
            let c = chars[i];
            match c {
                '/' if chars.get(i + 1) == Some(&'/') => {
                    while i < chars.len() && chars[i] != '\n' {
                        i += 1;
                    }
                }
                '/' if chars.get(i + 1) == Some(&'*') => {
                    let mut nesting = 0;
                    while i < chars.len() {
                        if chars[i] == '/' && chars.get(i + 1) == Some(&'*') {
                            nesting += 1;
                            i += 2;
                        } else if chars[i] == '*' && chars.get(i + 1) == Some(&'/') {
                            nesting -= 1;
                            i += 2;
                            if nesting == 0 {
                                break;
                            }
                        } else {
                            i += 1;
                        }
                    }
                    continue;
                }
                '"' => i = skip_string(&chars, i),
                'r' if matches!(chars.get(i + 1), Some('#') | Some('"')) => {
                    i = skip_raw_string(&chars, i)
                }
                '(' | '[' | '{' => {
                    depth.push(c);
                    if c == '(' && depth.len() == 3 && deck_field == "questions" {
                        outline.questions.push(QuestionOutline {
                            start: positions[i],
                            ..QuestionOutline::default()
                        });
                    }
                }
                ')' | ']' | '}' => {
                    depth.pop();
                }
                c if c.is_alphabetic() || c == '_' => {
                    let start = i;
                    while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
                        i += 1;
                    }
                    let mut j = i;
                    while j < chars.len() && chars[j].is_whitespace() {
                        j += 1;
                    }
                    if chars.get(j) == Some(&':') {
                        let name: String = chars[start..i].iter().collect();
                        let pos = positions[start];
                        match depth.len() {
                            1 => {
                                outline.fields.insert(name.clone(), pos);
                                deck_field = name;
                            }
                            3 if deck_field == "questions" => {
                                if let Some(q) = outline.questions.last_mut() {
                                    q.fields.insert(name.clone(), pos);
                                }
                                question_field = name;
                            }
                            4 if deck_field == "questions" && question_field == "kind" => {
                                if let Some(q) = outline.questions.last_mut() {
                                    q.kind_fields.insert(name, pos);
                                }
                            }
                            _ => {}
                        }
                    }
                    continue;
                }
                _ => {}
            }
            i += 1;
        }
        outline
    }
}

/// Returns the index of the closing quote of the string starting at `i`.
fn skip_string(chars: &[char], mut i: usize) -> usize {
    i += 1;
    while i < chars.len() {
        match chars[i] {
            '\\' => i += 2,
            '"' => return i,
            _ => i += 1,
        }
    }
    i
}

/// Returns the index of the last character of the raw string starting at `i`.
fn skip_raw_string(chars: &[char], mut i: usize) -> usize {
    i += 1;
    let mut hashes = 0;
    while chars.get(i) == Some(&'#') {
        hashes += 1;
        i += 1;
    }
    if chars.get(i) != Some(&'"') {
        return i.saturating_sub(1);
    }
    i += 1;
    while i < chars.len() {
        if chars[i] == '"' && (1..=hashes).all(|k| chars.get(i + k) == Some(&'#')) {
            return i + hashes;
        }
        i += 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = r##"// a deck
(
    id: "d",
    title: "T", /* note: not a field */
    questions: [
        (
            id: "q1",
            prompt: "has: a colon and \"quotes\"",
            kind: MultipleChoice(options: ["a", "b"], correct: [0]),
        ),
        (
            id: "q2",
            prompt: r#"raw "string" with id: inside"#,
            kind: Cloze(
                text: "x",
            ),
        ),
    ],
)
"##;

    #[test]
    fn finds_deck_fields_questions_and_kind_fields() {
        let o = Outline::scan(TEXT);
        assert_eq!(o.field("id"), Pos { line: 3, col: 5 });
        assert_eq!(o.field("questions"), Pos { line: 5, col: 5 });
        assert!(!o.fields.contains_key("note"));
        assert_eq!(o.questions.len(), 2);
        assert_eq!(o.questions[0].start, Pos { line: 6, col: 9 });
        assert_eq!(o.questions[0].field("prompt"), Pos { line: 8, col: 13 });
        assert_eq!(
            o.questions[0].kind_field("correct"),
            Pos { line: 9, col: 55 }
        );
        assert_eq!(o.questions[1].field("id"), Pos { line: 12, col: 13 });
        assert_eq!(o.questions[1].fields.len(), 3);
        assert_eq!(o.questions[1].kind_field("text"), Pos { line: 15, col: 17 });
    }

    #[test]
    fn missing_fields_fall_back_to_the_enclosing_item() {
        let o = Outline::scan(TEXT);
        assert_eq!(o.questions[0].field("explanation"), o.questions[0].start);
        assert_eq!(
            o.questions[1].kind_field("options"),
            o.questions[1].field("kind")
        );
        assert_eq!(Outline::scan("").field("id"), Pos { line: 1, col: 1 });
    }
}
