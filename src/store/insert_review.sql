INSERT INTO review_log (card, reviewed_at, rating, correct, duration_ms, kind, session_id)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
