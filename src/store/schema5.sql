-- Schema 5: card states are kept 64 to a row. Every state is read when the
-- database opens, and with one row per card SQLite's per-row work was most
-- of that read. Card `id` lives in block `id / 64`, at slot `id % 64`. A
-- block is 8 bytes of which-slots-are-used bits (slot i is bit i, little-
-- endian), then 64 slots of 48 bytes: the key's hash (`CardRef::key_hash`,
-- little-endian) and the packed state (see `encode_state`). An unused slot
-- is zeros; a block with no used slot is deleted. The rows are copied over
-- by Rust (`upgrade_to_5`), after which the old table is dropped.
CREATE TABLE card_states (
    block INTEGER PRIMARY KEY,
    cards BLOB    NOT NULL
);
