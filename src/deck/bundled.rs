//! The curriculum shipped inside the binary, so Recall runs from any folder.

/// `(file name, RON text)` of every deck under `decks/`.
pub const BUNDLED: &[(&str, &str)] = &[
    (
        "linear-algebra.ron",
        include_str!("../../decks/linear-algebra.ron"),
    ),
    (
        "ml-fundamentals.ron",
        include_str!("../../decks/ml-fundamentals.ron"),
    ),
    (
        "python-for-ml.ron",
        include_str!("../../decks/python-for-ml.ron"),
    ),
    ("mlops.ron", include_str!("../../decks/mlops.ron")),
    (
        "ml-system-design.ron",
        include_str!("../../decks/ml-system-design.ron"),
    ),
];
