-- Schema 4: each card's state is one blob beside its key's hash. Every
-- state is read when the database opens; as seven columns, decoding them
-- cost more than the rest of the read, and matching each card to its
-- question needed its key's text from `cards`. The hash is
-- `CardRef::key_hash` (XXH3 of the deck and question ids); the key's text
-- stays in `cards`. The rows are copied over by Rust, which packs the
-- states (see `encode_state`), between this file and `schema4_end.sql`.
CREATE TABLE card_state_4 (
    card     INTEGER PRIMARY KEY REFERENCES cards (id),
    key_hash INTEGER NOT NULL,                -- the key's hash, as i64
    state    BLOB    NOT NULL                 -- 40 bytes: see `encode_state`
);
