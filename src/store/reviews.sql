-- Reviews with their card's deck and question ids and their kind's name.
SELECT c.deck_id, c.question_id, r.reviewed_at, r.rating, r.correct, r.duration_ms, k.name, r.session_id
FROM review_log AS r
JOIN cards AS c ON c.id = r.card
JOIN kinds AS k ON k.id = r.kind
