//! The curriculum shipped in the binary: every file under `decks/` is
//! embedded, loads without errors, and together they use every question kind.

use std::collections::BTreeSet;

use recall::deck::{BUNDLED, Library, parse_deck};

#[test]
fn every_bundled_deck_loads_cleanly() {
    let library = Library::load(true, &[], &[]);
    assert!(library.errors.is_empty(), "{:#?}", library.errors);
    assert_eq!(library.decks.len(), BUNDLED.len());
    assert!(library.decks.len() >= 4);
    let mut kinds = BTreeSet::new();
    for loaded in &library.decks {
        let deck = &loaded.deck;
        assert!(
            deck.len() >= 12,
            "{} has only {} questions",
            deck.id,
            deck.len()
        );
        assert!(
            !deck.description.trim().is_empty(),
            "{} has no description",
            deck.id
        );
        for q in deck.questions() {
            kinds.insert(q.kind);
        }
    }
    assert_eq!(kinds.len(), 5, "kinds used: {kinds:?}");
}

#[test]
fn every_file_in_the_decks_folder_is_embedded_verbatim() {
    let folder = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("decks");
    let mut on_disk: Vec<String> = std::fs::read_dir(&folder)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".ron"))
        .collect();
    on_disk.sort();
    let mut embedded: Vec<String> = BUNDLED.iter().map(|(name, _)| name.to_string()).collect();
    embedded.sort();
    assert_eq!(on_disk, embedded);
    for (name, text) in BUNDLED {
        assert_eq!(std::fs::read_to_string(folder.join(name)).unwrap(), *text);
        let deck = parse_deck(name, text).unwrap();
        assert_eq!(
            format!("{}.ron", deck.id),
            *name,
            "a deck's file is named after its id"
        );
    }
}
