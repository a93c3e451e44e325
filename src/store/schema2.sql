-- Schema 2: cards get integer ids, and the review log and card states refer
-- to them instead of repeating the deck and question ids as text in every
-- row; review kinds are numbered the same way. It halves the bytes per review
-- and lets the log be read without decoding text. Run in one transaction,
-- after a backup of the schema-1 file.
CREATE TABLE cards (
    id          INTEGER PRIMARY KEY,
    deck_id     TEXT    NOT NULL,
    question_id TEXT    NOT NULL,
    UNIQUE (deck_id, question_id)
);
INSERT INTO cards (deck_id, question_id)
    SELECT deck_id, question_id FROM review_log
    UNION
    SELECT deck_id, question_id FROM card_state;

-- The question kind's name at the time of each review (`Flashcard`, ...).
CREATE TABLE kinds (
    id   INTEGER PRIMARY KEY,
    name TEXT    NOT NULL UNIQUE
);
INSERT INTO kinds (name) SELECT DISTINCT kind FROM review_log ORDER BY kind;

-- Append-only: one row per answer. Undo removes the row it added.
CREATE TABLE review_log_2 (
    id          INTEGER PRIMARY KEY,
    card        INTEGER NOT NULL REFERENCES cards (id),
    reviewed_at INTEGER NOT NULL,             -- ms since the Unix epoch, UTC
    rating      INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 4),
    correct     INTEGER NOT NULL CHECK (correct IN (0, 1)),
    duration_ms INTEGER NOT NULL,
    kind        INTEGER NOT NULL REFERENCES kinds (id),
    session_id  INTEGER REFERENCES sessions (id)
);
INSERT INTO review_log_2 (id, card, reviewed_at, rating, correct, duration_ms, kind, session_id)
    SELECT r.id, c.id, r.reviewed_at, r.rating, r.correct, r.duration_ms, k.id, r.session_id
    FROM review_log AS r
    JOIN cards AS c ON c.deck_id = r.deck_id AND c.question_id = r.question_id
    JOIN kinds AS k ON k.name = r.kind
    ORDER BY r.id;
DROP TABLE review_log;
ALTER TABLE review_log_2 RENAME TO review_log;
CREATE INDEX review_log_card ON review_log (card, reviewed_at);
CREATE INDEX review_log_time ON review_log (reviewed_at);

CREATE TABLE card_state_2 (
    card        INTEGER PRIMARY KEY REFERENCES cards (id),
    stability   REAL    NOT NULL,
    difficulty  REAL    NOT NULL,
    due_day     INTEGER NOT NULL,             -- study day number
    last_review INTEGER NOT NULL,             -- ms since the Unix epoch, UTC
    last_day    INTEGER NOT NULL,             -- study day of last_review
    reps        INTEGER NOT NULL,
    lapses      INTEGER NOT NULL
);
INSERT INTO card_state_2 (card, stability, difficulty, due_day, last_review, last_day, reps, lapses)
    SELECT c.id, s.stability, s.difficulty, s.due_day, s.last_review, s.last_day, s.reps, s.lapses
    FROM card_state AS s
    JOIN cards AS c ON c.deck_id = s.deck_id AND c.question_id = s.question_id;
DROP TABLE card_state;
ALTER TABLE card_state_2 RENAME TO card_state;
