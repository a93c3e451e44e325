-- Schema 1: the review log, card states, study sessions and settings.
CREATE TABLE sessions (
    id             INTEGER PRIMARY KEY,
    mode           TEXT    NOT NULL,
    started_at     INTEGER NOT NULL,          -- ms since the Unix epoch, UTC
    ended_at       INTEGER,
    question_count INTEGER NOT NULL DEFAULT 0,
    correct_count  INTEGER NOT NULL DEFAULT 0,
    score          REAL                       -- correct / questions, 0..1
);

-- Append-only: one row per answer. Undo removes the row it added.
CREATE TABLE review_log (
    id          INTEGER PRIMARY KEY,
    deck_id     TEXT    NOT NULL,
    question_id TEXT    NOT NULL,
    reviewed_at INTEGER NOT NULL,             -- ms since the Unix epoch, UTC
    rating      INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 4),
    correct     INTEGER NOT NULL CHECK (correct IN (0, 1)),
    duration_ms INTEGER NOT NULL,
    kind        TEXT    NOT NULL,
    session_id  INTEGER REFERENCES sessions(id)
);
CREATE INDEX review_log_card ON review_log (deck_id, question_id, reviewed_at);
CREATE INDEX review_log_time ON review_log (reviewed_at);

CREATE TABLE card_state (
    deck_id     TEXT    NOT NULL,
    question_id TEXT    NOT NULL,
    stability   REAL    NOT NULL,
    difficulty  REAL    NOT NULL,
    due_day     INTEGER NOT NULL,             -- study day number
    last_review INTEGER NOT NULL,             -- ms since the Unix epoch, UTC
    last_day    INTEGER NOT NULL,             -- study day of last_review
    reps        INTEGER NOT NULL,
    lapses      INTEGER NOT NULL,
    PRIMARY KEY (deck_id, question_id)
) WITHOUT ROWID;

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;
