SELECT c.deck_id, c.question_id, s.state
FROM card_state AS s JOIN cards AS c ON c.id = s.card
