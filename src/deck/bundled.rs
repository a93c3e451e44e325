//! The curriculum shipped inside the binary, so Recall runs from any folder.
//! Listed in the order Home shows them within each category.

/// `(file name, RON text)` of every deck under `decks/`.
pub const BUNDLED: &[(&str, &str)] = &[
    (
        "probability-statistics.ron",
        include_str!("../../decks/probability-statistics.ron"),
    ),
    (
        "linear-algebra.ron",
        include_str!("../../decks/linear-algebra.ron"),
    ),
    (
        "calculus-optimization.ron",
        include_str!("../../decks/calculus-optimization.ron"),
    ),
    (
        "data-structures-algorithms.ron",
        include_str!("../../decks/data-structures-algorithms.ron"),
    ),
    (
        "ml-fundamentals.ron",
        include_str!("../../decks/ml-fundamentals.ron"),
    ),
    (
        "deep-learning.ron",
        include_str!("../../decks/deep-learning.ron"),
    ),
    (
        "reinforcement-learning.ron",
        include_str!("../../decks/reinforcement-learning.ron"),
    ),
    (
        "ai-foundations.ron",
        include_str!("../../decks/ai-foundations.ron"),
    ),
    (
        "python-for-ml.ron",
        include_str!("../../decks/python-for-ml.ron"),
    ),
    (
        "pandas-data-handling.ron",
        include_str!("../../decks/pandas-data-handling.ron"),
    ),
    (
        "apache-spark.ron",
        include_str!("../../decks/apache-spark.ron"),
    ),
    ("r-and-java.ron", include_str!("../../decks/r-and-java.ron")),
    (
        "cloud-ml-platforms.ron",
        include_str!("../../decks/cloud-ml-platforms.ron"),
    ),
    (
        "model-deployment.ron",
        include_str!("../../decks/model-deployment.ron"),
    ),
    (
        "model-monitoring.ron",
        include_str!("../../decks/model-monitoring.ron"),
    ),
    ("mlops.ron", include_str!("../../decks/mlops.ron")),
    (
        "responsible-ai.ron",
        include_str!("../../decks/responsible-ai.ron"),
    ),
    ("edge-iot.ron", include_str!("../../decks/edge-iot.ron")),
    (
        "generative-ai.ron",
        include_str!("../../decks/generative-ai.ron"),
    ),
    (
        "adaptive-transfer-learning.ron",
        include_str!("../../decks/adaptive-transfer-learning.ron"),
    ),
    (
        "ml-system-design.ron",
        include_str!("../../decks/ml-system-design.ron"),
    ),
    (
        "ml-architect-career.ron",
        include_str!("../../decks/ml-architect-career.ron"),
    ),
];
