//! Grading answers. Choices are exact; typed text and cloze blanks forgive
//! case, accents, punctuation, extra spaces and small typos, but never a wrong
//! number.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

use crate::model::QuestionKind;

/// One piece of a cloze sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ClozePart {
    /// Plain text shown as is.
    Text(String),
    /// A blank and the answers it accepts (`{{a|b}}`).
    Blank(Vec<String>),
}

/// Splits a cloze sentence into text and blanks, or says what is malformed.
pub fn cloze_parts(text: &str) -> Result<Vec<ClozePart>, String> {
    let mut parts = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find("{{") {
        if open > 0 {
            parts.push(ClozePart::Text(rest[..open].to_string()));
        }
        let after = &rest[open + 2..];
        let close = after
            .find("}}")
            .ok_or_else(|| "a blank opened with {{ is never closed".to_string())?;
        let answers: Vec<String> = after[..close]
            .split('|')
            .map(|a| a.trim().to_string())
            .filter(|a| !a.is_empty())
            .collect();
        if answers.is_empty() {
            return Err("a blank {{}} has no answer inside".to_string());
        }
        parts.push(ClozePart::Blank(answers));
        rest = &after[close + 2..];
    }
    if rest.contains("}}") {
        return Err("a blank is closed with }} but never opened".to_string());
    }
    if !rest.is_empty() {
        parts.push(ClozePart::Text(rest.to_string()));
    }
    Ok(parts)
}

/// What the learner gave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answer {
    /// A flashcard was revealed; the learner grades it.
    Revealed,
    /// The chosen options, as indexes into the deck's option list.
    Choices(Vec<usize>),
    /// True or false.
    Bool(bool),
    /// Typed text.
    Text(String),
    /// One entry per cloze blank.
    Blanks(Vec<String>),
}

/// The verdict on one answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// Right (for flashcards: the learner rates it themselves).
    Correct,
    /// Right, allowing for a small typo; holds the expected spelling.
    CorrectWithTypo(String),
    /// Wrong.
    Wrong,
    /// A flashcard: the learner grades it.
    SelfGraded,
}

impl Verdict {
    /// Whether the answer counts as right.
    pub fn is_correct(&self) -> bool {
        matches!(self, Verdict::Correct | Verdict::CorrectWithTypo(_))
    }
}

/// Grades `answer` against a question's kind.
pub fn grade(kind: &QuestionKind, answer: &Answer) -> Verdict {
    match (kind, answer) {
        (QuestionKind::Flashcard { .. }, _) => Verdict::SelfGraded,
        (QuestionKind::MultipleChoice { correct, .. }, Answer::Choices(chosen)) => {
            let mut chosen = chosen.clone();
            let mut correct = correct.clone();
            chosen.sort_unstable();
            chosen.dedup();
            correct.sort_unstable();
            correct.dedup();
            verdict(chosen == correct)
        }
        (QuestionKind::TrueFalse { answer }, Answer::Bool(given)) => verdict(answer == given),
        (QuestionKind::TypedAnswer { accepted }, Answer::Text(given)) => {
            match_text(given, accepted)
        }
        (QuestionKind::Cloze { text }, Answer::Blanks(given)) => {
            let blanks: Vec<Vec<String>> = cloze_parts(text)
                .unwrap_or_default()
                .into_iter()
                .filter_map(|p| match p {
                    ClozePart::Blank(answers) => Some(answers),
                    ClozePart::Text(_) => None,
                })
                .collect();
            if blanks.len() != given.len() {
                return Verdict::Wrong;
            }
            let mut expected = Vec::new();
            let mut typo = false;
            for (blank, given) in blanks.iter().zip(given) {
                match match_text(given, blank) {
                    Verdict::Correct => expected.push(blank[0].clone()),
                    Verdict::CorrectWithTypo(spelling) => {
                        typo = true;
                        expected.push(spelling);
                    }
                    _ => return Verdict::Wrong,
                }
            }
            if typo {
                Verdict::CorrectWithTypo(expected.join(" · "))
            } else {
                Verdict::Correct
            }
        }
        _ => Verdict::Wrong,
    }
}

fn verdict(right: bool) -> Verdict {
    if right {
        Verdict::Correct
    } else {
        Verdict::Wrong
    }
}

/// Folds text for comparison: no accents, lower case, dots and apostrophes
/// dropped (`s.v.d.` is `svd`), `+` and `#` kept (`C++`), other punctuation
/// as spaces, single spaces.
pub fn normalize(text: &str) -> String {
    let folded: String = text
        .nfkd()
        .filter(|c| !is_combining_mark(*c) && !matches!(c, '.' | '\'' | '’'))
        .flat_map(char::to_lowercase)
        .map(|c| {
            if c.is_alphanumeric() || matches!(c, '+' | '#') {
                c
            } else {
                ' '
            }
        })
        .collect();
    folded.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// How many edits a typo may take for an answer of `len` characters: none up
/// to 3 (`SVD` is not `SGD`), one up to 8, two beyond.
fn allowed_edits(len: usize) -> usize {
    match len {
        0..=3 => 0,
        4..=8 => 1,
        _ => 2,
    }
}

fn digits(s: &str) -> String {
    s.chars().filter(char::is_ascii_digit).collect()
}

fn match_text(given: &str, accepted: &[String]) -> Verdict {
    let given_norm = normalize(given);
    if given_norm.is_empty() {
        // Only symbols ("→", "…") or nothing: right only if an answer made of
        // symbols alone is typed literally.
        let literal = !given.trim().is_empty() && accepted.iter().any(|a| a.trim() == given.trim());
        return verdict(literal);
    }
    let mut best: Option<(usize, &String)> = None;
    for answer in accepted {
        let norm = normalize(answer);
        if norm.is_empty() {
            // Matched literally above, or not at all.
            continue;
        }
        if norm == given_norm {
            return Verdict::Correct;
        }
        // Numbers must be exact: 42 is not a typo of 43.
        if digits(&norm) != digits(&given_norm) {
            continue;
        }
        let distance = strsim::levenshtein(&norm, &given_norm);
        if distance <= allowed_edits(norm.chars().count()) && best.is_none_or(|(d, _)| distance < d)
        {
            best = Some((distance, answer));
        }
    }
    match best {
        Some((_, answer)) => Verdict::CorrectWithTypo(answer.clone()),
        None => Verdict::Wrong,
    }
}

/// The right answer in words, for feedback and results.
pub fn expected_answer(kind: &QuestionKind) -> String {
    match kind {
        QuestionKind::Flashcard { answer } => answer.clone(),
        QuestionKind::MultipleChoice { options, correct } => correct
            .iter()
            .filter_map(|&i| options.get(i).cloned())
            .collect::<Vec<_>>()
            .join(" · "),
        QuestionKind::TrueFalse { answer } => if *answer { "True" } else { "False" }.to_string(),
        QuestionKind::TypedAnswer { accepted } => accepted.first().cloned().unwrap_or_default(),
        QuestionKind::Cloze { text } => cloze_parts(text)
            .unwrap_or_default()
            .into_iter()
            .map(|p| match p {
                ClozePart::Text(t) => t,
                ClozePart::Blank(answers) => answers.into_iter().next().unwrap_or_default(),
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn typed(accepted: &[&str]) -> QuestionKind {
        QuestionKind::TypedAnswer {
            accepted: accepted.iter().map(|s| s.to_string()).collect(),
        }
    }

    #[test]
    fn typed_answers_table() {
        use Verdict::*;
        let table: &[(&[&str], &str, Verdict)] = &[
            (&["Euclidean norm"], "euclidean norm", Correct),
            (&["Euclidean norm"], "  Euclidean   Norm. ", Correct),
            (
                &["Euclidean norm"],
                "euclidian norm",
                CorrectWithTypo("Euclidean norm".into()),
            ),
            (
                &["Euclidean norm"],
                "eucldean nrm",
                CorrectWithTypo("Euclidean norm".into()),
            ),
            (&["Euclidean norm"], "euclid nrm", Wrong),
            (&["naïve Bayes"], "naive bayes", Correct),
            (&["Adam"], "adma", Wrong),
            (&["Adam"], "adan", CorrectWithTypo("Adam".into())),
            (&["Adam"], "adaam", CorrectWithTypo("Adam".into())),
            (&["SVD"], "SGD", Wrong),
            (&["SVD"], "s.v.d.", Correct),
            (&["gradient", "grad"], "grad", Correct),
            (&["(3, 4)"], "3,4", Correct),
            (&["(3, 4)"], "(3, 5)", Wrong),
            (&["42"], "43", Wrong),
            (&["1000 ms"], "1000ms", CorrectWithTypo("1000 ms".into())),
            (&["0.5"], "0,6", Wrong),
            (&["don't repeat yourself"], "dont repeat yourself", Correct),
            (&["1000 ms"], "1000 ms.", Correct),
            (&["C++"], "c", Wrong),
            (&["x"], "", Wrong),
            (&["x"], "   ", Wrong),
            // Symbols alone match only literally.
            (&["→"], "→", Correct),
            (&["x", " … "], "…", Correct),
            (&["…"], "...", Wrong),
            (&["→", "x"], "", Wrong),
        ];
        for (accepted, given, expected) in table {
            assert_eq!(
                grade(&typed(accepted), &Answer::Text(given.to_string())),
                *expected,
                "{given:?} against {accepted:?}"
            );
        }
    }

    #[test]
    fn multiple_choice_is_exact_and_order_free() {
        let kind = QuestionKind::MultipleChoice {
            options: vec!["a".into(), "b".into(), "c".into()],
            correct: vec![0, 2],
        };
        assert_eq!(grade(&kind, &Answer::Choices(vec![2, 0])), Verdict::Correct);
        assert_eq!(grade(&kind, &Answer::Choices(vec![0])), Verdict::Wrong);
        assert_eq!(
            grade(&kind, &Answer::Choices(vec![0, 1, 2])),
            Verdict::Wrong
        );
        assert_eq!(grade(&kind, &Answer::Bool(true)), Verdict::Wrong);
    }

    #[test]
    fn true_false_and_flashcards() {
        let tf = QuestionKind::TrueFalse { answer: false };
        assert_eq!(grade(&tf, &Answer::Bool(false)), Verdict::Correct);
        assert_eq!(grade(&tf, &Answer::Bool(true)), Verdict::Wrong);
        let card = QuestionKind::Flashcard { answer: "x".into() };
        assert_eq!(grade(&card, &Answer::Revealed), Verdict::SelfGraded);
        assert!(!Verdict::SelfGraded.is_correct());
    }

    #[test]
    fn cloze_grades_every_blank_with_alternatives() {
        let kind = QuestionKind::Cloze {
            text: "The {{maximum|largest}} {{variance}} direction.".into(),
        };
        let blanks = |a: &str, b: &str| Answer::Blanks(vec![a.into(), b.into()]);
        assert_eq!(
            grade(&kind, &blanks("Largest", "variance")),
            Verdict::Correct
        );
        assert_eq!(
            grade(&kind, &blanks("maximum", "varience")),
            Verdict::CorrectWithTypo("maximum · variance".into())
        );
        assert_eq!(grade(&kind, &blanks("minimum", "variance")), Verdict::Wrong);
        assert_eq!(
            grade(&kind, &Answer::Blanks(vec!["maximum".into()])),
            Verdict::Wrong
        );
    }

    #[test]
    fn cloze_answers_may_hold_asterisks() {
        let kind = QuestionKind::Cloze {
            text: "Python collects {{*args}} and {{**kwargs}}.".into(),
        };
        let blanks = |a: &str, b: &str| Answer::Blanks(vec![a.into(), b.into()]);
        assert_eq!(grade(&kind, &blanks("*args", "**kwargs")), Verdict::Correct);
        assert_eq!(
            grade(&kind, &blanks("*args", "**kwarg")),
            Verdict::CorrectWithTypo("*args · **kwargs".into())
        );
    }

    #[test]
    fn expected_answers_read_naturally() {
        let cloze = QuestionKind::Cloze {
            text: "A {{b|c}} d {{e}}.".into(),
        };
        assert_eq!(expected_answer(&cloze), "A b d e.");
        let mcq = QuestionKind::MultipleChoice {
            options: vec!["x".into(), "y".into(), "z".into()],
            correct: vec![0, 2],
        };
        assert_eq!(expected_answer(&mcq), "x · z");
        assert_eq!(
            expected_answer(&QuestionKind::TrueFalse { answer: false }),
            "False"
        );
    }

    #[test]
    fn cloze_parts_split_text_and_blanks() {
        assert_eq!(
            cloze_parts("a {{b|c}} d").unwrap(),
            vec![
                ClozePart::Text("a ".into()),
                ClozePart::Blank(vec!["b".into(), "c".into()]),
                ClozePart::Text(" d".into()),
            ]
        );
        assert!(cloze_parts("a {{ }} b").is_err());
        assert!(cloze_parts("a }} b").is_err());
    }
}
