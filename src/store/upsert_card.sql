INSERT INTO card_state (card, key_hash, state)
VALUES (?1, ?2, ?3)
ON CONFLICT (card) DO UPDATE SET
    key_hash = excluded.key_hash,
    state = excluded.state
