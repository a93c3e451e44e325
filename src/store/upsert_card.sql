INSERT INTO card_state (deck_id, question_id, stability, difficulty, due_day, last_review, last_day, reps, lapses)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
ON CONFLICT (deck_id, question_id) DO UPDATE SET
    stability = excluded.stability,
    difficulty = excluded.difficulty,
    due_day = excluded.due_day,
    last_review = excluded.last_review,
    last_day = excluded.last_day,
    reps = excluded.reps,
    lapses = excluded.lapses
