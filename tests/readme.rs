//! The README's deck example is a valid deck, so the documentation stays true.

use recall::deck::parse_deck;

#[test]
fn the_readme_deck_example_parses_and_shows_every_kind() {
    let readme = include_str!("../README.md");
    let start = readme
        .find("```ron\n")
        .expect("README has a ```ron example")
        + "```ron\n".len();
    let rest = &readme[start..];
    // The example's last line is the deck's closing parenthesis.
    let end = rest.find("\n)\n").expect("the example ends with `)`") + 2;
    let deck = parse_deck("README.md", &rest[..end]).unwrap_or_else(|errors| {
        panic!("README example is invalid: {errors:#?}");
    });
    let kinds: std::collections::BTreeSet<&str> =
        deck.questions.iter().map(|q| q.kind.name()).collect();
    assert_eq!(kinds.len(), 5, "{kinds:?}");
    assert!(
        deck.questions
            .iter()
            .any(|q| q.prompt.contains("```python"))
    );
}
