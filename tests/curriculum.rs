//! The curriculum's quality rules, checked on every deck under `decks/` so an
//! edit cannot quietly break them: the 22 decks and their categories, the
//! counts, the mix of kinds and topics, unique ids and prompts, explanations
//! that teach in a few sentences, sane multiple-choice options and typed
//! answers, and sources that name a reference rather than a link.
//!
//! Each test gathers every problem before failing, so one run lists them all.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use recall::deck::parse_deck;
use recall::model::{Category, Deck, QuestionKind};

/// The curriculum: `(id, title, category)`, in the order Home lists them.
const CURRICULUM: [(&str, &str, Category); 22] = [
    (
        "probability-statistics",
        "Probability & Statistics",
        Category::Coursework,
    ),
    ("linear-algebra", "Linear Algebra", Category::Coursework),
    (
        "calculus-optimization",
        "Calculus & Optimization",
        Category::Coursework,
    ),
    (
        "data-structures-algorithms",
        "Data Structures & Algorithms",
        Category::Coursework,
    ),
    (
        "ml-fundamentals",
        "Machine Learning Fundamentals",
        Category::Coursework,
    ),
    ("deep-learning", "Deep Learning", Category::Coursework),
    (
        "reinforcement-learning",
        "Reinforcement Learning",
        Category::Coursework,
    ),
    ("ai-foundations", "AI Foundations", Category::Coursework),
    ("python-for-ml", "Python for ML", Category::Tools),
    (
        "pandas-data-handling",
        "Pandas & Data Handling",
        Category::Tools,
    ),
    ("apache-spark", "Apache Spark", Category::Tools),
    ("r-and-java", "R and Java in ML", Category::Tools),
    ("cloud-ml-platforms", "Cloud ML Platforms", Category::Tools),
    (
        "model-deployment",
        "Model Deployment & Serving",
        Category::Tools,
    ),
    ("model-monitoring", "Model Monitoring", Category::Tools),
    ("mlops", "MLOps & Automation", Category::Trends),
    (
        "responsible-ai",
        "Responsible & Ethical AI",
        Category::Trends,
    ),
    ("edge-iot", "Edge Computing & IoT", Category::Trends),
    ("generative-ai", "Generative AI", Category::Trends),
    (
        "adaptive-transfer-learning",
        "Adaptive Systems & Transfer Learning",
        Category::Trends,
    ),
    ("ml-system-design", "ML System Design", Category::Practice),
    (
        "ml-architect-career",
        "The ML Architect Career",
        Category::Practice,
    ),
];

const MIN_QUESTIONS: usize = 25;
const MIN_TOPICS: usize = 4;
/// A topic needs a few questions before its score says anything.
const MIN_PER_TOPIC: usize = 3;

/// Every deck file under `decks/`, parsed, keyed by id.
fn decks() -> BTreeMap<String, Deck> {
    let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("decks");
    let mut decks = BTreeMap::new();
    for entry in std::fs::read_dir(&folder).expect("decks/ is readable") {
        let path = entry.expect("decks/ entry").path();
        if path.extension().is_none_or(|e| e != "ron") {
            continue;
        }
        let label = path.display().to_string();
        let text = std::fs::read_to_string(&path).expect("deck file is readable");
        match parse_deck(&label, &text) {
            Ok(deck) => {
                decks.insert(deck.id.clone(), deck);
            }
            Err(errors) => {
                let lines: Vec<String> = errors.iter().map(ToString::to_string).collect();
                panic!("{label} does not load:\n{}", lines.join("\n"))
            }
        }
    }
    decks
}

/// Panics with every problem, one per line, if there are any.
fn assert_none(what: &str, problems: Vec<String>) {
    assert!(
        problems.is_empty(),
        "{what}: {} problem(s)\n{}",
        problems.len(),
        problems.join("\n")
    );
}

/// Lower case with runs of whitespace and punctuation collapsed, so prompts
/// that differ only in spacing or emphasis count as the same.
fn normalized(text: &str) -> String {
    text.to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Sentences in prose: a `.`, `!` or `?` that ends the text or is followed by
/// a space and a capital letter, a digit, or markup that opens a sentence.
/// Code spans and blocks are skipped; "e.g. the" is one sentence.
fn sentences(text: &str) -> usize {
    let prose: String = text
        .split('`')
        .enumerate()
        .map(|(i, part)| if i % 2 == 0 { part } else { "code" })
        .collect();
    let chars: Vec<char> = prose.trim_end().chars().collect();
    let mut count = 0;
    for (i, c) in chars.iter().enumerate() {
        if !matches!(c, '.' | '!' | '?') {
            continue;
        }
        match chars.get(i + 1) {
            None => count += 1,
            Some(' ') | Some('\n') => {
                let next = chars[i + 1..].iter().find(|c| !c.is_whitespace());
                if next.is_some_and(|n| n.is_uppercase() || n.is_ascii_digit() || *n == '*') {
                    count += 1;
                }
            }
            _ => {}
        }
    }
    count.max(1)
}

#[test]
fn the_curriculum_has_its_22_decks_in_their_categories() {
    let decks = decks();
    let mut problems = Vec::new();
    for (id, title, category) in CURRICULUM {
        match decks.get(id) {
            None => problems.push(format!("{id}: missing (decks/{id}.ron)")),
            Some(deck) => {
                if deck.title != title {
                    problems.push(format!("{id}: title {:?}, expected {title:?}", deck.title));
                }
                if deck.category != category {
                    problems.push(format!(
                        "{id}: category {:?}, expected {category:?}",
                        deck.category
                    ));
                }
                if deck.description.trim().len() < 40 {
                    problems.push(format!("{id}: the description is missing or too short"));
                }
            }
        }
    }
    for id in decks.keys() {
        if !CURRICULUM.iter().any(|(known, _, _)| known == id) {
            problems.push(format!(
                "{id}: not part of the curriculum list in this test"
            ));
        }
    }
    let total: usize = decks.values().map(|d| d.questions.len()).sum();
    if total < 600 {
        problems.push(format!("{total} questions in all, expected at least 600"));
    }
    assert_none("curriculum", problems);
}

#[test]
fn every_deck_has_enough_questions_topics_and_a_mix_of_kinds() {
    let mut problems = Vec::new();
    for deck in decks().values() {
        let n = deck.questions.len();
        if n < MIN_QUESTIONS {
            problems.push(format!(
                "{}: {n} questions, expected at least {MIN_QUESTIONS}",
                deck.id
            ));
        }
        let mut topics: BTreeMap<&str, usize> = BTreeMap::new();
        let mut kinds: HashMap<&str, usize> = HashMap::new();
        for q in &deck.questions {
            *topics.entry(q.topic.as_str()).or_default() += 1;
            *kinds.entry(q.kind.name()).or_default() += 1;
        }
        if topics.len() < MIN_TOPICS {
            problems.push(format!(
                "{}: {} topics, expected at least {MIN_TOPICS}",
                deck.id,
                topics.len()
            ));
        }
        for (topic, count) in &topics {
            if *count < MIN_PER_TOPIC {
                problems.push(format!(
                    "{}: topic {topic:?} has {count} question(s), expected at least {MIN_PER_TOPIC}",
                    deck.id
                ));
            }
        }
        let count = |names: &[&str]| -> usize {
            names
                .iter()
                .map(|k| kinds.get(k).copied().unwrap_or(0))
                .sum()
        };
        let shares = [
            ("multiple choice", count(&["MultipleChoice"]), 40),
            ("true/false", count(&["TrueFalse"]), 10),
            (
                "typed answer or cloze",
                count(&["TypedAnswer", "Cloze"]),
                10,
            ),
            ("flashcard", count(&["Flashcard"]), 10),
        ];
        for (label, have, percent) in shares {
            if have * 100 < n * percent {
                problems.push(format!(
                    "{}: {have} {label} of {n} questions, expected at least {percent}%",
                    deck.id
                ));
            }
        }
    }
    assert_none("counts and mix", problems);
}

#[test]
fn ids_are_slugs_and_prompts_are_unique_across_all_decks() {
    let mut problems = Vec::new();
    let mut seen: HashMap<String, String> = HashMap::new();
    for deck in decks().values() {
        for q in &deck.questions {
            let slug =
                q.id.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
            if !slug {
                problems.push(format!(
                    "{}/{}: ids use a-z, 0-9 and '-' only",
                    deck.id, q.id
                ));
            }
            let key = normalized(&q.prompt);
            let here = format!("{}/{}", deck.id, q.id);
            if let Some(first) = seen.insert(key, here.clone()) {
                problems.push(format!("{here}: same prompt as {first}"));
            }
        }
    }
    assert_none("ids and prompts", problems);
}

#[test]
fn explanations_teach_in_one_to_four_sentences() {
    let mut problems = Vec::new();
    for deck in decks().values() {
        for q in &deck.questions {
            let text = q.explanation.trim();
            let n = sentences(text);
            if !(1..=4).contains(&n) {
                problems.push(format!(
                    "{}/{}: explanation has {n} sentences, expected 1–4",
                    deck.id, q.id
                ));
            }
            if text.chars().count() < 60 {
                problems.push(format!(
                    "{}/{}: explanation is too short to say why",
                    deck.id, q.id
                ));
            }
            if text.chars().count() > 700 {
                problems.push(format!(
                    "{}/{}: explanation is over 700 characters",
                    deck.id, q.id
                ));
            }
        }
    }
    assert_none("explanations", problems);
}

#[test]
fn multiple_choice_options_are_sane() {
    let mut problems = Vec::new();
    for deck in decks().values() {
        for q in &deck.questions {
            let QuestionKind::MultipleChoice { options, correct } = &q.kind else {
                continue;
            };
            let at = format!("{}/{}", deck.id, q.id);
            if !(3..=6).contains(&options.len()) {
                problems.push(format!("{at}: {} options, expected 3 to 6", options.len()));
            }
            if correct.len() >= options.len() {
                problems.push(format!("{at}: every option is correct"));
            }
            for option in options {
                let lower = option.to_lowercase();
                if ["all of the above", "none of the above", "both of the above"]
                    .iter()
                    .any(|p| lower.contains(p))
                {
                    problems.push(format!("{at}: option {option:?} is not allowed"));
                }
            }
            // Distractors about as long as the answer: the right option must
            // not give itself away by length.
            let lengths: Vec<usize> = options.iter().map(|o| o.chars().count()).collect();
            let distractors: Vec<usize> = (0..options.len())
                .filter(|i| !correct.contains(i))
                .map(|i| lengths[i])
                .collect();
            let (Some(&shortest), Some(&longest)) =
                (distractors.iter().min(), distractors.iter().max())
            else {
                continue;
            };
            for &i in correct {
                let len = lengths.get(i).copied().unwrap_or(0);
                if len > longest * 2 + 20 || len * 2 + 20 < shortest {
                    problems.push(format!(
                        "{at}: the correct option is {len} characters, the others {shortest}–{longest}"
                    ));
                }
            }
        }
    }
    assert_none("multiple choice", problems);
}

#[test]
fn typed_answers_are_short_and_sources_name_references() {
    let mut problems = Vec::new();
    for deck in decks().values() {
        let mut sourced = 0;
        for q in &deck.questions {
            let at = format!("{}/{}", deck.id, q.id);
            if let QuestionKind::TypedAnswer { accepted } = &q.kind {
                for answer in accepted {
                    if answer.chars().count() > 40 {
                        problems.push(format!(
                            "{at}: accepted answer {answer:?} is too long to type"
                        ));
                    }
                }
            }
            if let Some(source) = &q.source {
                sourced += 1;
                if source.contains("http") || source.contains("www.") {
                    problems.push(format!(
                        "{at}: sources name a reference, not a link: {source:?}"
                    ));
                }
            }
        }
        if sourced * 3 < deck.questions.len() {
            problems.push(format!(
                "{}: {sourced} of {} questions name a source, expected at least a third",
                deck.id,
                deck.questions.len()
            ));
        }
    }
    assert_none("typed answers and sources", problems);
}

#[test]
fn sentence_counting_follows_prose_not_abbreviations_or_code() {
    assert_eq!(sentences("One. Two! Three? Four."), 4);
    assert_eq!(sentences("Use a scaler, e.g. the standard one."), 1);
    assert_eq!(
        sentences("Call `df.groupby(...).agg()`. It returns a frame."),
        2
    );
    assert_eq!(sentences("A value of 0.5 is chance. 2 is more."), 2);
    assert_eq!(sentences("No final stop"), 1);
}
