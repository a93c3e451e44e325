SELECT c.deck_id, c.question_id, s.stability, s.difficulty, s.due_day, s.last_review, s.last_day, s.reps, s.lapses
FROM card_state AS s JOIN cards AS c ON c.id = s.card
