INSERT INTO card_state (card, stability, difficulty, due_day, last_review, last_day, reps, lapses)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
ON CONFLICT (card) DO UPDATE SET
    stability = excluded.stability,
    difficulty = excluded.difficulty,
    due_day = excluded.due_day,
    last_review = excluded.last_review,
    last_day = excluded.last_day,
    reps = excluded.reps,
    lapses = excluded.lapses
