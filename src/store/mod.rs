//! Progress on disk, in SQLite: the append-only review log, each card's FSRS
//! state, study sessions and settings. One answer is one transaction, so a
//! killed process loses at most the answer being typed. SQL lives in the
//! `.sql` files beside this one.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use rusqlite::{Connection, OpenFlags, OptionalExtension, Row, Transaction, params};

use crate::clock::{DayClock, Timestamp};
use crate::deck::Library;
use crate::model::{CardKey, CardRef, Rating};
use crate::scheduler::{CardState, CardStates};
use crate::settings::Settings;
use crate::stats::history::History;
use crate::{Error, Result};

/// One card's reviews, oldest first.
const REVIEWS_OF_CARD: &str = concat!(
    include_str!("reviews.sql"),
    "WHERE c.deck_id = ?1 AND c.question_id = ?2 ORDER BY r.reviewed_at"
);

/// A card's database id, from its deck and question ids.
const FIND_CARD: &str = "SELECT id FROM cards WHERE deck_id = ?1 AND question_id = ?2";

/// The newest schema this build knows.
pub const SCHEMA_VERSION: i64 = 5;

/// Where, beside the database, an older file is copied before it is
/// upgraded to [`SCHEMA_VERSION`].
pub const BEFORE_UPGRADE: &str = "backups/recall-before-schema-5.sqlite3";

/// The file name of the database inside the data folder.
pub const DB_FILE: &str = "recall.sqlite3";

/// One answer as the review log stores it.
#[derive(Debug, Clone, PartialEq)]
pub struct Review {
    /// The card that was answered.
    pub key: CardKey,
    /// When it was answered.
    pub reviewed_at: Timestamp,
    /// The FSRS rating the answer was given.
    pub rating: Rating,
    /// Whether the answer counted as right.
    pub correct: bool,
    /// How long the learner took, from seeing the question to answering, in milliseconds.
    pub duration_ms: i64,
    /// The question kind's name (`Flashcard`, `Cloze`, ...).
    pub kind: String,
    /// The study session it was given in, if any.
    pub session: Option<i64>,
}

/// A finished or running study session, as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredSession {
    /// The session's id.
    pub id: i64,
    /// The study mode's stored name (`due`, `quick` or `retry`).
    pub mode: String,
    /// When the session began.
    pub started_at: Timestamp,
    /// When it was finished; `None` while it runs or if it was never closed.
    pub ended_at: Option<Timestamp>,
    /// How many questions were answered; 0 until the session is finished.
    pub question_count: i64,
    /// How many of them were right; 0 until the session is finished.
    pub correct_count: i64,
    /// The share answered right, 0–1; `None` if unfinished or nothing was answered.
    pub score: Option<f64>,
}

/// The open database.
pub struct Store {
    conn: Connection,
    path: Option<PathBuf>,
}

impl Store {
    /// Opens (or creates) the database at `path`, upgrading its schema. A file
    /// that is not a Recall database, or is from a newer Recall, is refused
    /// and left untouched.
    pub fn open(path: &Path) -> Result<Store> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(crate::file_error(dir))?;
        }
        let corrupt = |e: rusqlite::Error| Error::CorruptDatabase {
            path: path.to_path_buf(),
            reason: e.to_string(),
        };
        let conn = Connection::open(path).map_err(corrupt)?;
        // Reading the schema first makes SQLite notice a damaged file before we write anything.
        conn.query_row("SELECT COUNT(*) FROM sqlite_master", [], |r| {
            r.get::<_, i64>(0)
        })
        .map_err(corrupt)?;
        let mut store = Store {
            conn,
            path: Some(path.to_path_buf()),
        };
        store.prepare().map_err(|e| match e {
            Error::Database(db) => corrupt(db),
            other => other,
        })?;
        Ok(store)
    }

    /// A second, read-only connection to the database at `path`, already
    /// opened (and upgraded) by [`Store::open`]: to read on another thread
    /// while the first connection goes on. It never writes.
    pub fn open_reader(path: &Path) -> Result<Store> {
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        Ok(Store {
            conn,
            path: Some(path.to_path_buf()),
        })
    }

    /// A fresh in-memory database, for tests.
    pub fn open_in_memory() -> Result<Store> {
        let mut store = Store {
            conn: Connection::open_in_memory()?,
            path: None,
        };
        store.prepare()?;
        Ok(store)
    }

    /// Copies the whole database to `path` with SQLite's online backup API,
    /// a consistent snapshot even while it is in use.
    pub fn backup_to(&self, path: &Path) -> Result<()> {
        self.conn.backup(
            rusqlite::MAIN_DB,
            path,
            None::<fn(rusqlite::backup::Progress)>,
        )?;
        Ok(())
    }

    /// Where the database lives, if on disk.
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    fn prepare(&mut self) -> Result<()> {
        let version: i64 = self
            .conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))?;
        if version > SCHEMA_VERSION {
            return Err(Error::NewerDatabase {
                path: self.path.clone().unwrap_or_default(),
                found: version,
                known: SCHEMA_VERSION,
            });
        }
        self.conn.busy_timeout(std::time::Duration::from_secs(5))?;
        self.conn
            .query_row("PRAGMA journal_mode = WAL", [], |r| r.get::<_, String>(0))?;
        self.conn
            .execute_batch("PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;")?;
        if version == SCHEMA_VERSION {
            return Ok(());
        }
        let upgrading = (1..SCHEMA_VERSION).contains(&version);
        if upgrading && let Some(db) = &self.path {
            // The upgrade is one transaction, but a copy of the old file
            // costs little and protects against a mistake in it.
            let copy = db.with_file_name(BEFORE_UPGRADE);
            if let Some(dir) = copy.parent() {
                std::fs::create_dir_all(dir).map_err(crate::file_error(dir))?;
            }
            if !copy.exists() {
                crate::timed("copy the database before upgrading it", || {
                    self.backup_to(&copy)
                })?;
            }
        }
        let tx = self.conn.transaction()?;
        if version < 1 {
            tx.execute_batch(include_str!("schema1.sql"))?;
        }
        if version < 2 {
            crate::timed("upgrade the database to schema 2", || {
                tx.execute_batch(include_str!("schema2.sql"))
            })?;
        }
        if version < 3 {
            crate::timed("upgrade the database to schema 3", || {
                tx.execute_batch(include_str!("schema3.sql"))
            })?;
        }
        if version < 4 {
            crate::timed("upgrade the database to schema 4", || upgrade_to_4(&tx))?;
        }
        if version < 5 {
            crate::timed("upgrade the database to schema 5", || upgrade_to_5(&tx))?;
        }
        tx.pragma_update(None, "user_version", SCHEMA_VERSION)?;
        tx.commit()?;
        if upgrading {
            // The old tables' pages are free now; give them back to the disk.
            crate::timed("compact the upgraded database", || {
                self.conn.execute_batch("VACUUM")
            })?;
        }
        Ok(())
    }

    /// Every card's state.
    pub fn card_states(&self) -> Result<CardStates> {
        let mut by_card = HashMap::new();
        for_each_stored_state(&self.conn, |card, _, state| {
            by_card.insert(card, state);
        })?;
        let mut stmt = self
            .conn
            .prepare_cached("SELECT id, deck_id, question_id FROM cards")?;
        let mut rows = stmt.query([])?;
        let mut states = CardStates::new();
        while let Some(r) = rows.next()? {
            if let Some(state) = by_card.remove(&r.get::<_, i64>(0)?) {
                states.insert(CardKey::new(text_at(r, 1)?, text_at(r, 2)?), state);
            }
        }
        Ok(states)
    }

    /// Every card's state, split as [`crate::stats::place`] does: those of
    /// the cards of `library` in its order, and the others. Each state finds
    /// its card by its key's hash; only the others' keys are read as text.
    pub fn card_states_in(
        &self,
        library: &Library,
    ) -> Result<(Vec<Option<CardState>>, CardStates)> {
        let mut slots = vec![None; library.card_count()];
        let mut unplaced = Vec::new();
        for_each_stored_state(&self.conn, |card, hash, state| {
            match library
                .position_of_hash(hash)
                .and_then(|p| slots.get_mut(p))
            {
                Some(slot) => *slot = Some(state),
                None => unplaced.push((card, state)),
            }
        })?;
        let mut orphans = CardStates::new();
        let mut key_of = self
            .conn
            .prepare_cached("SELECT deck_id, question_id FROM cards WHERE id = ?1")?;
        for (card, state) in unplaced {
            // A state whose card id has no row in `cards` (blocks carry no
            // foreign key, so only a hand edit makes one) is of no use, but
            // stays on disk.
            let Some(key) = key_of
                .query_row([card], |r| Ok(CardKey::new(text_at(r, 0)?, text_at(r, 1)?)))
                .optional()?
            else {
                continue;
            };
            match library
                .position(key.borrowed())
                .and_then(|p| slots.get_mut(p))
            {
                Some(slot) => *slot = Some(state),
                None => {
                    orphans.insert(key, state);
                }
            }
        }
        Ok((slots, orphans))
    }

    /// A transaction that holds the write lock from its start: a card's
    /// state is read and written back within it (see `put_in_block`), so no
    /// other connection may write in between.
    fn write_transaction(&mut self) -> Result<Transaction<'_>> {
        Ok(self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?)
    }

    /// Records one answer and the card's new state in one transaction. A
    /// review is known by its card and its millisecond, so a second answer
    /// to the same card at the same millisecond is refused.
    pub fn record_answer(&mut self, review: &Review, state: &CardState) -> Result<()> {
        let tx = self.write_transaction()?;
        insert_answer(&tx, review, state)?;
        tx.commit()?;
        Ok(())
    }

    /// Takes back the stored answer `review` (its card and time pick it out)
    /// and puts the card back to `previous` (`None`: it was new), in one
    /// transaction.
    pub fn undo_answer(&mut self, review: &Review, previous: Option<&CardState>) -> Result<()> {
        let tx = self.write_transaction()?;
        remove_answer(&tx, review, previous)?;
        tx.commit()?;
        Ok(())
    }

    /// Replaces the stored answer with `review`'s card and time by `review`
    /// (the learner changed the rating), and stores the card's new `state`,
    /// in one transaction.
    pub fn replace_answer(
        &mut self,
        previous: Option<&CardState>,
        review: &Review,
        state: &CardState,
    ) -> Result<()> {
        let tx = self.write_transaction()?;
        remove_answer(&tx, review, previous)?;
        insert_answer(&tx, review, state)?;
        tx.commit()?;
        Ok(())
    }

    /// Every review of one card, oldest first.
    pub fn reviews_of(&self, key: &CardKey) -> Result<Vec<Review>> {
        let mut stmt = self.conn.prepare_cached(REVIEWS_OF_CARD)?;
        let rows = stmt.query_map(params![key.deck, key.question], row_to_review)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Every review, oldest first.
    pub fn all_reviews(&self) -> Result<Vec<Review>> {
        let mut stmt = self.conn.prepare_cached(concat!(
            include_str!("reviews.sql"),
            "ORDER BY r.reviewed_at, r.card"
        ))?;
        let rows = stmt.query_map([], row_to_review)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Adds the reviews in `reviews` that are not in the log yet (the same
    /// card at the same millisecond counts as the same review), then rebuilds
    /// the state of every card that gained one with `rebuild`, which gets the
    /// card's whole log oldest first. One transaction: all or nothing.
    /// Returns how many reviews were added.
    pub fn import_reviews(
        &mut self,
        reviews: &[Review],
        rebuild: impl Fn(&[Review]) -> Result<Option<CardState>>,
    ) -> Result<usize> {
        // The file's reviews card by card, each card's in file order.
        let mut by_card: HashMap<&CardKey, Vec<&Review>> = HashMap::new();
        let mut cards: Vec<&CardKey> = Vec::new();
        for review in reviews {
            by_card
                .entry(&review.key)
                .or_insert_with(|| {
                    cards.push(&review.key);
                    Vec::new()
                })
                .push(review);
        }
        let tx = self.write_transaction()?;
        let mut kinds: HashMap<&str, i64> = HashMap::new();
        // The new rows as (time, card, kind, review), stored at the end in
        // the table's own order, so its pages fill up in turn.
        let mut fresh: Vec<(i64, i64, i64, &Review)> = Vec::new();
        for key in cards {
            let mut log: Vec<Review> = tx
                .prepare_cached(REVIEWS_OF_CARD)?
                .query_map(params![key.deck, key.question], row_to_review)?
                .collect::<rusqlite::Result<_>>()?;
            let stored = log.len();
            let mut seen: HashSet<i64> = log.iter().map(|r| r.reviewed_at.0).collect();
            let mut card = None;
            for &review in by_card.get(key).into_iter().flatten() {
                if seen.insert(review.reviewed_at.0) {
                    let card = match card {
                        Some(card) => card,
                        None => *card.insert(card_id(&tx, key)?),
                    };
                    let kind = match kinds.get(review.kind.as_str()) {
                        Some(&kind) => kind,
                        None => {
                            let kind = kind_id(&tx, &review.kind)?;
                            kinds.insert(&review.kind, kind);
                            kind
                        }
                    };
                    fresh.push((review.reviewed_at.0, card, kind, review));
                    log.push(review.clone());
                }
            }
            if log.len() == stored {
                continue;
            }
            // The order of `ORDER BY reviewed_at`, without asking the database again.
            log.sort_by_key(|r| r.reviewed_at.0);
            if let (Some(state), Some(card)) = (rebuild(&log)?, card) {
                write_state(&tx, card, key, &state)?;
            }
        }
        fresh.sort_unstable_by_key(|&(at, card, ..)| (at, card));
        for &(_, card, kind, review) in &fresh {
            insert_review(&tx, card, kind, review)?;
        }
        tx.commit()?;
        Ok(fresh.len())
    }

    /// The whole review log in the compact form the statistics use, its
    /// days counted with `clock`.
    pub fn history(&self, clock: DayClock) -> Result<History> {
        let mut history = History::new(clock);
        let count: i64 = self
            .conn
            .query_row("SELECT COUNT(*) FROM review_log", [], |r| r.get(0))?;
        history.reserve(usize::try_from(count).unwrap_or(0));
        // Each database card's index in the history.
        let mut cards: hashbrown::HashMap<i64, u32> = hashbrown::HashMap::new();
        let mut stmt = self
            .conn
            .prepare_cached("SELECT id, deck_id, question_id FROM cards")?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let key = CardRef {
                deck: text_at(r, 1)?,
                question: text_at(r, 2)?,
            };
            cards.insert(r.get(0)?, history.card_index(key));
        }
        // The table is kept in this order, so SQLite reads it front to back.
        let mut stmt = self.conn.prepare_cached(
            "SELECT card, reviewed_at, correct, session_id FROM review_log ORDER BY reviewed_at, card",
        )?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let id: i64 = r.get(0)?;
            let card = *cards.get(&id).ok_or_else(|| Error::CorruptDatabase {
                path: self.path.clone().unwrap_or_default(),
                reason: format!("a review names card {id}, which has no row in cards"),
            })?;
            history.push_card(card, Timestamp(r.get(1)?), r.get(2)?, r.get(3)?);
        }
        Ok(history)
    }

    /// Calls `f` with each review's card number, time and rating, oldest
    /// first: what the optimizer learns from.
    pub fn each_rating(&self, mut f: impl FnMut(i64, Timestamp, Rating)) -> Result<()> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT card, reviewed_at, rating FROM review_log ORDER BY reviewed_at, card",
        )?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            f(r.get(0)?, Timestamp(r.get(1)?), rating_at(r, 2)?);
        }
        Ok(())
    }

    /// How many reviews were made at or after `since`.
    pub fn reviews_since(&self, since: Timestamp) -> Result<i64> {
        Ok(self.conn.query_row(
            "SELECT COUNT(*) FROM review_log WHERE reviewed_at >= ?1",
            [since.0],
            |r| r.get(0),
        )?)
    }

    /// How many cards had their first review at or after `since`.
    pub fn new_cards_since(&self, since: Timestamp) -> Result<i64> {
        Ok(self
            .conn
            .query_row(include_str!("new_cards_since.sql"), [since.0], |r| r.get(0))?)
    }

    /// Whether any review was made at or after `from` and before `to`.
    pub fn reviewed_between(&self, from: Timestamp, to: Timestamp) -> Result<bool> {
        Ok(self.conn.query_row(
            "SELECT EXISTS (SELECT 1 FROM review_log WHERE reviewed_at >= ?1 AND reviewed_at < ?2)",
            [from.0, to.0],
            |r| r.get(0),
        )?)
    }

    /// Starts a study session and returns its id.
    pub fn start_session(&mut self, mode: &str, started_at: Timestamp) -> Result<i64> {
        self.conn.execute(
            "INSERT INTO sessions (mode, started_at) VALUES (?1, ?2)",
            params![mode, started_at.0],
        )?;
        Ok(self.conn.last_insert_rowid())
    }

    /// Closes a session with its counts and score.
    pub fn finish_session(
        &mut self,
        id: i64,
        ended_at: Timestamp,
        questions: i64,
        correct: i64,
    ) -> Result<()> {
        let score = (questions > 0).then(|| correct as f64 / questions as f64);
        self.conn.execute(
            "UPDATE sessions SET ended_at = ?2, question_count = ?3, correct_count = ?4, score = ?5 WHERE id = ?1",
            params![id, ended_at.0, questions, correct, score],
        )?;
        Ok(())
    }

    /// All sessions, oldest first.
    pub fn sessions(&self) -> Result<Vec<StoredSession>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, mode, started_at, ended_at, question_count, correct_count, score FROM sessions ORDER BY id",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok(StoredSession {
                id: r.get(0)?,
                mode: r.get(1)?,
                started_at: Timestamp(r.get(2)?),
                ended_at: r.get::<_, Option<i64>>(3)?.map(Timestamp),
                question_count: r.get(4)?,
                correct_count: r.get(5)?,
                score: r.get(6)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The saved settings (defaults for anything missing).
    pub fn settings(&self) -> Result<Settings> {
        Ok(Settings::from_pairs(&self.setting_pairs()?))
    }

    /// The settings whose stored values could not be read and fell back to
    /// their defaults (they stay stored until the learner saves).
    pub fn unreadable_settings(&self) -> Result<Vec<String>> {
        Ok(Settings::unreadable(&self.setting_pairs()?))
    }

    fn setting_pairs(&self) -> Result<HashMap<String, String>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT key, value FROM settings")?;
        let pairs = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<HashMap<String, String>>>()?;
        Ok(pairs)
    }

    /// Saves the settings in one transaction.
    pub fn save_settings(&mut self, settings: &Settings) -> Result<()> {
        let tx = self.conn.transaction()?;
        for (key, value) in settings.to_pairs() {
            tx.execute(
                "INSERT INTO settings (key, value) VALUES (?1, ?2)
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                params![key, value],
            )?;
        }
        tx.commit()?;
        Ok(())
    }
}

/// The id of the row `select` finds with `values`, or else of the row
/// `insert` adds with them.
fn find_or_add(
    tx: &Transaction<'_>,
    select: &str,
    insert: &str,
    values: &[&dyn rusqlite::ToSql],
) -> Result<i64> {
    let found = tx
        .prepare_cached(select)?
        .query_row(values, |r| r.get(0))
        .optional()?;
    if let Some(id) = found {
        return Ok(id);
    }
    tx.prepare_cached(insert)?.execute(values)?;
    Ok(tx.last_insert_rowid())
}

/// The database id of the card `key`, given one if it has none yet.
fn card_id(tx: &Transaction<'_>, key: &CardKey) -> Result<i64> {
    find_or_add(
        tx,
        FIND_CARD,
        "INSERT INTO cards (deck_id, question_id) VALUES (?1, ?2)",
        params![key.deck, key.question],
    )
}

/// The database id of the question kind `name`, given one if it has none yet.
fn kind_id(tx: &Transaction<'_>, name: &str) -> Result<i64> {
    find_or_add(
        tx,
        "SELECT id FROM kinds WHERE name = ?1",
        "INSERT INTO kinds (name) VALUES (?1)",
        params![name],
    )
}

/// Adds `review` of the card with database id `card` and the kind with id
/// `kind` to the log.
fn insert_review(tx: &Transaction<'_>, card: i64, kind: i64, review: &Review) -> Result<()> {
    tx.prepare_cached(include_str!("insert_review.sql"))?
        .execute(params![
            card,
            review.reviewed_at.0,
            review.rating.number(),
            review.correct,
            review.duration_ms,
            kind,
            review.session,
        ])?;
    Ok(())
}

fn insert_answer(tx: &Transaction<'_>, review: &Review, state: &CardState) -> Result<()> {
    let card = card_id(tx, &review.key)?;
    insert_review(tx, card, kind_id(tx, &review.kind)?, review)?;
    write_state(tx, card, &review.key, state)
}

/// Deletes the stored review with `review`'s card and time, and puts the
/// card back to `previous`.
fn remove_answer(
    tx: &Transaction<'_>,
    review: &Review,
    previous: Option<&CardState>,
) -> Result<()> {
    let card: Option<i64> = tx
        .prepare_cached(FIND_CARD)?
        .query_row(params![review.key.deck, review.key.question], |r| r.get(0))
        .optional()?;
    let removed = match card {
        Some(card) => tx
            .prepare_cached("DELETE FROM review_log WHERE reviewed_at = ?1 AND card = ?2")?
            .execute(params![review.reviewed_at.0, card])?,
        None => 0,
    };
    let (Some(card), 1) = (card, removed) else {
        return Err(Error::NothingToUndo);
    };
    match previous {
        Some(state) => write_state(tx, card, &review.key, state),
        None => put_in_block(tx, card, None),
    }
}

/// Stores the state of the card `key`, whose database id is `card`.
fn write_state(tx: &Transaction<'_>, card: i64, key: &CardKey, s: &CardState) -> Result<()> {
    put_in_block(tx, card, Some((key.borrowed().key_hash(), s)))
}

/// How many cards' states one row of `card_states` holds (see `schema5.sql`).
const BLOCK_CARDS: i64 = 64;

/// How many bytes one card takes in a block: its key's hash and its state.
const SLOT_BYTES: usize = 8 + STATE_BYTES;

/// How many bytes a block of `card_states` takes: the used-slot bits, then
/// the slots.
const BLOCK_BYTES: usize = 8 + BLOCK_CARDS as usize * SLOT_BYTES;

/// One row of `card_states`, as bytes.
type Block = [u8; BLOCK_BYTES];

/// The block of `card_states` that holds the card with database id `card`,
/// and its slot there.
fn block_of(card: i64) -> (i64, usize) {
    // `rem_euclid` is in 0..64, so the cast is exact.
    (
        card.div_euclid(BLOCK_CARDS),
        card.rem_euclid(BLOCK_CARDS) as usize,
    )
}

/// The used-slot bits of `block`.
fn used_slots(block: &Block) -> u64 {
    let (bits, _) = block.split_first_chunk().unwrap_or((&[0; 8], &[]));
    u64::from_le_bytes(*bits)
}

/// Puts the key's hash and state of `entry` in `slot` of `block`, or
/// (given `None`) empties the slot.
fn set_slot(block: &mut Block, slot: usize, entry: Option<(u64, &CardState)>) {
    let mut bits = used_slots(block);
    let start = 8 + slot * SLOT_BYTES;
    let place = &mut block[start..start + SLOT_BYTES];
    match entry {
        Some((hash, state)) => {
            bits |= 1 << slot;
            place[..8].copy_from_slice(&hash.to_le_bytes());
            place[8..].copy_from_slice(&encode_state(state));
        }
        None => {
            bits &= !(1 << slot);
            place.fill(0);
        }
    }
    block[..8].copy_from_slice(&bits.to_le_bytes());
}

/// The slot, key's hash and state of every used slot of `block`.
fn slots_of(block: &Block) -> impl Iterator<Item = (usize, u64, CardState)> + '_ {
    let mut bits = used_slots(block);
    std::iter::from_fn(move || {
        while bits != 0 {
            let slot = bits.trailing_zeros() as usize;
            bits &= bits - 1;
            let start = 8 + slot * SLOT_BYTES;
            let (hash, state) = block[start..start + SLOT_BYTES].split_first_chunk()?;
            if let Some(state) = decode_state(state) {
                return Some((slot, u64::from_le_bytes(*hash), state));
            }
        }
        None
    })
}

/// The block number and block in columns 0 and 1, refusing a blob of
/// another length.
fn block_at<'r>(r: &'r Row<'_>) -> rusqlite::Result<(i64, &'r Block)> {
    let number: i64 = r.get(0)?;
    let bytes = r.get_ref(1)?.as_blob().map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(1, rusqlite::types::Type::Blob, Box::new(e))
    })?;
    let block = bytes.try_into().map_err(|_| {
        rusqlite::Error::FromSqlConversionFailure(
            1,
            rusqlite::types::Type::Blob,
            format!(
                "card states block {number} has {} bytes, not {BLOCK_BYTES}",
                bytes.len()
            )
            .into(),
        )
    })?;
    Ok((number, block))
}

/// Puts the card with database id `card` in its block with its key's hash
/// and its state, or (given `None`) takes it out, deleting a block left
/// empty.
fn put_in_block(conn: &Connection, card: i64, entry: Option<(u64, &CardState)>) -> Result<()> {
    let (number, slot) = block_of(card);
    let mut block = conn
        .prepare_cached("SELECT block, cards FROM card_states WHERE block = ?1")?
        .query_row([number], |r| block_at(r).map(|(_, block)| *block))
        .optional()?
        .unwrap_or([0; BLOCK_BYTES]);
    set_slot(&mut block, slot, entry);
    if used_slots(&block) == 0 {
        conn.prepare_cached("DELETE FROM card_states WHERE block = ?1")?
            .execute([number])?;
    } else {
        conn.prepare_cached(
            "INSERT INTO card_states (block, cards) VALUES (?1, ?2)
             ON CONFLICT (block) DO UPDATE SET cards = excluded.cards",
        )?
        .execute(params![number, &block[..]])?;
    }
    Ok(())
}

/// Calls `f` with the database id, the key's hash and the state of every
/// stored card, in database id order.
fn for_each_stored_state(conn: &Connection, mut f: impl FnMut(i64, u64, CardState)) -> Result<()> {
    let mut stmt = conn.prepare_cached("SELECT block, cards FROM card_states ORDER BY block")?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let (number, block) = block_at(r)?;
        for (slot, hash, state) in slots_of(block) {
            // A slot is below 64, so the cast is exact.
            f(number * BLOCK_CARDS + slot as i64, hash, state);
        }
    }
    Ok(())
}

/// Moves every card's state from schema 3's seven columns into schema 4's
/// packed table (see `schema4.sql`).
fn upgrade_to_4(tx: &Transaction<'_>) -> Result<()> {
    tx.execute_batch(include_str!("schema4.sql"))?;
    {
        let mut read = tx.prepare(
            "SELECT s.card, c.deck_id, c.question_id, s.stability, s.difficulty, s.due_day,
                    s.last_review, s.last_day, s.reps, s.lapses
             FROM card_state AS s JOIN cards AS c ON c.id = s.card",
        )?;
        let mut write =
            tx.prepare("INSERT INTO card_state_4 (card, key_hash, state) VALUES (?1, ?2, ?3)")?;
        let mut rows = read.query([])?;
        while let Some(r) = rows.next()? {
            let key = CardRef {
                deck: text_at(r, 1)?,
                question: text_at(r, 2)?,
            };
            write.execute(params![
                r.get::<_, i64>(0)?,
                key.key_hash().cast_signed(),
                encode_state(&state_at(r, 3)?)
            ])?;
        }
    }
    tx.execute_batch(include_str!("schema4_end.sql"))?;
    Ok(())
}

/// Moves every card's state from schema 4's table, one row per card, into
/// schema 5's blocks of 64 (see `schema5.sql`), keeping each stored hash.
fn upgrade_to_5(tx: &Transaction<'_>) -> Result<()> {
    tx.execute_batch(include_str!("schema5.sql"))?;
    {
        let mut read = tx.prepare("SELECT card, key_hash, state FROM card_state ORDER BY card")?;
        let mut write = tx.prepare("INSERT INTO card_states (block, cards) VALUES (?1, ?2)")?;
        let mut rows = read.query([])?;
        let mut filling: Option<(i64, Block)> = None;
        while let Some(r) = rows.next()? {
            let (number, slot) = block_of(r.get(0)?);
            let hash = r.get::<_, i64>(1)?.cast_unsigned();
            let state = packed_state_at(r, 2)?;
            if let Some((done, block)) = filling.take_if(|(n, _)| *n != number) {
                write.execute(params![done, &block[..]])?;
            }
            let (_, block) = filling.get_or_insert((number, [0; BLOCK_BYTES]));
            set_slot(block, slot, Some((hash, &state)));
        }
        if let Some((number, block)) = filling {
            write.execute(params![number, &block[..]])?;
        }
    }
    tx.execute_batch("DROP TABLE card_state;")?;
    Ok(())
}

/// How many bytes a stored card state takes (see [`encode_state`]).
const STATE_BYTES: usize = 40;

/// A card state as schema 4 stores it, little-endian: stability and
/// difficulty as f32, then the due day, the last review (ms since the Unix
/// epoch) and its study day as i64, then reps and lapses as u32.
fn encode_state(s: &CardState) -> [u8; STATE_BYTES] {
    let mut out = [0; STATE_BYTES];
    let fields: [&[u8]; 7] = [
        &s.stability.to_le_bytes(),
        &s.difficulty.to_le_bytes(),
        &s.due_day.to_le_bytes(),
        &s.last_review.0.to_le_bytes(),
        &s.last_day.to_le_bytes(),
        &s.reps.to_le_bytes(),
        &s.lapses.to_le_bytes(),
    ];
    let mut at = 0;
    for field in fields {
        out[at..at + field.len()].copy_from_slice(field);
        at += field.len();
    }
    out
}

/// The card state [`encode_state`] wrote, or `None` if `bytes` are not one.
fn decode_state(bytes: &[u8]) -> Option<CardState> {
    let (stability, rest) = bytes.split_first_chunk()?;
    let (difficulty, rest) = rest.split_first_chunk()?;
    let (due_day, rest) = rest.split_first_chunk()?;
    let (last_review, rest) = rest.split_first_chunk()?;
    let (last_day, rest) = rest.split_first_chunk()?;
    let (reps, rest) = rest.split_first_chunk()?;
    let (lapses, rest) = rest.split_first_chunk()?;
    rest.is_empty().then(|| CardState {
        stability: f32::from_le_bytes(*stability),
        difficulty: f32::from_le_bytes(*difficulty),
        due_day: i64::from_le_bytes(*due_day),
        last_review: Timestamp(i64::from_le_bytes(*last_review)),
        last_day: i64::from_le_bytes(*last_day),
        reps: u32::from_le_bytes(*reps),
        lapses: u32::from_le_bytes(*lapses),
    })
}

/// The packed card state in column `i`, refusing anything else.
fn packed_state_at(r: &Row<'_>, i: usize) -> rusqlite::Result<CardState> {
    let bytes = r.get_ref(i)?.as_blob()?;
    decode_state(bytes).ok_or_else(|| {
        rusqlite::Error::FromSqlConversionFailure(
            i,
            rusqlite::types::Type::Blob,
            format!("a card state of {} bytes, not {STATE_BYTES}", bytes.len()).into(),
        )
    })
}

/// The card state in the seven columns from `i` on (schema 3 and older).
fn state_at(r: &Row<'_>, i: usize) -> rusqlite::Result<CardState> {
    Ok(CardState {
        stability: r.get(i)?,
        difficulty: r.get(i + 1)?,
        due_day: r.get(i + 2)?,
        last_review: Timestamp(r.get(i + 3)?),
        last_day: r.get(i + 4)?,
        reps: r.get(i + 5)?,
        lapses: r.get(i + 6)?,
    })
}

/// The text in column `i`, borrowed from the row.
fn text_at<'r>(r: &'r Row<'_>, i: usize) -> rusqlite::Result<&'r str> {
    r.get_ref(i)?.as_str().map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(i, rusqlite::types::Type::Text, Box::new(e))
    })
}

/// The rating in column `i`, refusing a number outside 1–4.
fn rating_at(r: &Row<'_>, i: usize) -> rusqlite::Result<Rating> {
    let rating: u8 = r.get(i)?;
    Rating::from_number(rating).ok_or_else(|| {
        rusqlite::Error::FromSqlConversionFailure(
            i,
            rusqlite::types::Type::Integer,
            "rating out of range".into(),
        )
    })
}

fn row_to_review(r: &Row<'_>) -> rusqlite::Result<Review> {
    Ok(Review {
        key: CardKey::new(r.get::<_, String>(0)?, r.get::<_, String>(1)?),
        reviewed_at: Timestamp(r.get(2)?),
        rating: rating_at(r, 3)?,
        correct: r.get(4)?,
        duration_ms: r.get(5)?,
        kind: r.get(6)?,
        session: r.get(7)?,
    })
}

#[cfg(test)]
mod tests;
