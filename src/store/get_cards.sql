SELECT deck_id, question_id, stability, difficulty, due_day, last_review, last_day, reps, lapses
FROM card_state
