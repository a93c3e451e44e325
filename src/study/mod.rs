//! Ties the core together for the app and the CLI: the loaded decks, the
//! store, the settings and the scheduler, and the steps of a study session
//! (start, grade, answer, re-rate, undo, finish). Every answer is committed
//! to the store before the session moves on.

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rand::Rng;

use crate::atomic::write_atomically;
use crate::clock::{DayClock, Timestamp};
use crate::deck::Library;
use crate::exchange::{read_reviews, write_cards, write_reviews};
use crate::grade::Answer;
use crate::model::{CardKey, CardRef, Question, Rating};
use crate::scheduler::training::{ItemCount, training_items};
use crate::scheduler::{CardState, CardStates, Scheduler};
use crate::session::{
    Allowance, Answered, Graded, Mode, Session, Summary, due_queue, quick_queue, weak_queue,
};
use crate::settings::Settings;
use crate::stats::history::{History, Scope};
use crate::stats::mastery::{Leech, MasteryReport, TopicStanding, leeches, mastery};
use crate::stats::{DeckCounts, deck_counts, place_into, streak};
use crate::store::{DB_FILE, Store};
use crate::{Error, Result};

mod decks;

pub use decks::{ImportPlan, ImportReport};

/// Where Recall keeps its data and finds decks.
#[derive(Debug, Clone)]
pub struct Paths {
    /// The data folder: the database and `decks/`.
    pub data_dir: PathBuf,
    /// Extra deck folders or files from `--decks`.
    pub extra_decks: Vec<PathBuf>,
}

impl Paths {
    /// `data_dir` if given, else the platform data folder.
    pub fn resolve(data_dir: Option<PathBuf>, extra_decks: Vec<PathBuf>) -> Result<Paths> {
        let data_dir = match data_dir {
            Some(dir) => dir,
            None => directories::ProjectDirs::from("", "", "recall")
                .ok_or(Error::NoDataDir)?
                .data_dir()
                .to_path_buf(),
        };
        Ok(Paths {
            data_dir,
            extra_decks,
        })
    }

    /// The database file.
    pub fn database(&self) -> PathBuf {
        self.data_dir.join(DB_FILE)
    }

    /// Where backups of the database go.
    pub fn backups(&self) -> PathBuf {
        self.data_dir.join("backups")
    }

    /// The lock file that keeps two writers off one data folder.
    pub fn lock_file(&self) -> PathBuf {
        self.data_dir.join("recall.lock")
    }

    /// Takes the exclusive lock on the data folder, or says Recall is already open.
    pub fn lock(&self) -> Result<std::fs::File> {
        let dir = &self.data_dir;
        std::fs::create_dir_all(dir).map_err(crate::file_error(dir))?;
        let path = self.lock_file();
        let file = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(crate::file_error(&path))?;
        match file.try_lock() {
            Ok(()) => Ok(file),
            Err(std::fs::TryLockError::WouldBlock) => Err(Error::AlreadyOpen(dir.clone())),
            Err(std::fs::TryLockError::Error(e)) => Err(crate::file_error(&path)(e)),
        }
    }

    /// Where parsed deck files are kept between runs (see [`crate::deck`]'s cache).
    pub fn deck_cache(&self) -> PathBuf {
        self.data_dir.join("cache").join("decks")
    }

    /// The user's own decks.
    pub fn user_decks(&self) -> PathBuf {
        self.data_dir.join("decks")
    }

    /// The bundled decks, the user's decks and any `--decks`.
    pub fn load_library(&self) -> Library {
        let library = crate::timed("load and check the decks", || {
            Library::load_cached(
                true,
                &self.extra_decks,
                &[self.user_decks()],
                &self.deck_cache(),
            )
        });
        log::debug!(
            "{} decks, {} questions, {} deck errors",
            library.decks.len(),
            library.question_count(),
            library.errors.len()
        );
        library
    }
}

/// The learner's decks and progress, ready to study.
pub struct Study {
    /// Every deck that loaded, and the ones that failed.
    pub library: Library,
    /// The database holding the learner's progress.
    pub store: Store,
    /// The learner's preferences.
    pub settings: Settings,
    /// Each card's state in [`Library::cards`] order (`None`: not studied
    /// yet), mirrored from the store.
    slots: Vec<Option<CardState>>,
    /// The states of studied cards the library does not hold (a question
    /// deleted, or its deck failing to load); they come back with the card.
    orphans: CardStates,
    scheduler: Scheduler,
    /// The review log, loaded when first needed and kept in step with answers.
    history: ReviewLog,
    /// The last mastery report, with its scope and study day: worked out
    /// again only after something it depends on changed (see
    /// [`Study::progress_changed`]).
    mastery: Option<(Scope, i64, MasteryReport)>,
    /// Where the decks and database live, when opened from a data folder.
    paths: Option<Paths>,
    /// The data folder's lock, held while this study may write.
    lock: Option<std::fs::File>,
}

impl Study {
    /// Opens the data folder: loads the decks and the database.
    pub fn open(paths: &Paths) -> Result<Study> {
        let store = crate::timed("open the database", || Store::open(&paths.database()))?;
        let library = paths.load_library();
        let mut study = Study::new(library, store)?;
        // Mastery and the statistics need the review log. It is read on
        // another thread from here on, so Home can show its counts first;
        // started any sooner, it would slow the decks and the card states
        // down on a 2-core machine.
        let clock = study.day_clock(Timestamp::now());
        study.history = ReviewLog::read_in_background(&paths.database(), clock);
        study.paths = Some(paths.clone());
        Ok(study)
    }

    /// Opens the data folder for studying: like [`Study::open`], but first
    /// takes the folder's lock, so a second window or `recall quiz` on the
    /// same folder is told that Recall is already open instead of racing
    /// this one's writes. The lock goes with the process, even on a crash.
    pub fn open_exclusive(paths: &Paths) -> Result<Study> {
        let lock = paths.lock()?;
        let mut study = Study::open(paths)?;
        study.lock = Some(lock);
        Ok(study)
    }

    /// The data folder's paths, when opened from one.
    pub fn paths(&self) -> Option<&Paths> {
        self.paths.as_ref()
    }

    /// Loads the decks again from disk (after an edit or a `git pull`).
    /// Progress is keyed by id, so nothing else changes.
    pub fn reload_decks(&mut self) {
        let Some(paths) = self.paths.clone() else {
            return;
        };
        crate::timed("reload the decks", || {
            let library = std::mem::take(&mut self.library);
            // Where each old deck's cards were in `slots`.
            let mut ranges = Vec::with_capacity(library.decks.len());
            let mut start = 0;
            for loaded in &library.decks {
                let end = start + loaded.deck.len();
                ranges.push(start..end);
                start = end;
            }
            let (library, reloaded) =
                library.reload_tracked(true, &paths.extra_decks, &[paths.user_decks()]);
            self.library = library;
            // The usual case, on each return to the window: the same cards in
            // the same order, so nothing else changes.
            if reloaded.unchanged() {
                return;
            }
            let old = std::mem::take(&mut self.slots);
            let mut slots = vec![None; self.library.card_count()];
            // A deck taken over keeps its cards' states as they were...
            let mut start = 0;
            for (loaded, kept) in self.library.decks.iter().zip(&reloaded.kept) {
                let end = start + loaded.deck.len();
                let from = kept
                    .and_then(|i| ranges.get(i))
                    .and_then(|r| old.get(r.clone()));
                if let (Some(from), Some(to)) = (from, slots.get_mut(start..end))
                    && from.len() == to.len()
                {
                    to.copy_from_slice(from);
                }
                start = end;
            }
            // ...and the others' studied cards are found again by key.
            let mut states = std::mem::take(&mut self.orphans);
            for (i, deck) in &reloaded.retired {
                let Some(slots) = ranges.get(*i).and_then(|r| old.get(r.clone())) else {
                    continue;
                };
                for (question, slot) in deck.questions().zip(slots) {
                    if let Some(state) = slot {
                        states.insert(CardKey::new(&deck.id, question.id), *state);
                    }
                }
            }
            self.orphans = place_into(&self.library, states, &mut slots);
            self.slots = slots;
            self.progress_changed();
        });
    }

    /// Studies `library` with the progress in `store`.
    pub fn new(library: Library, store: Store) -> Result<Study> {
        let settings = store.settings()?;
        let (slots, orphans) =
            crate::timed("read the card states", || store.card_states_in(&library))?;
        let scheduler = scheduler_for(&settings)?;
        Ok(Study {
            slots,
            orphans,
            library,
            store,
            settings,
            scheduler,
            history: ReviewLog::default(),
            mastery: None,
            paths: None,
            lock: None,
        })
    }

    /// Whether the review log can be had without waiting for the thread
    /// reading it: [`Study::mastery`] and [`Study::with_history`] will not block
    /// on it (they may still read a log that is not loaded yet).
    pub fn history_ready(&self) -> bool {
        self.history.ready()
    }

    /// Reads the review log on another thread that starts only once
    /// the returned sender sends or is dropped: the state of a slow start-up,
    /// held for as long as a test needs.
    #[cfg(test)]
    pub(crate) fn hold_history(&mut self) -> std::sync::mpsc::Sender<()> {
        let (send, receive) = std::sync::mpsc::channel::<()>();
        let path = self.store.path().map(Path::to_path_buf);
        let clock = self.day_clock(Timestamp::now());
        let reader = std::thread::spawn(move || {
            let _ = receive.recv();
            match path {
                Some(path) => Store::open_reader(&path)?.history(clock),
                None => Ok(History::new(clock)),
            }
        });
        self.history = ReviewLog {
            loaded: None,
            reader: Some(reader),
        };
        send
    }

    /// Calls `f` with the decks and the review log (loaded once, then kept
    /// up to date), its days counted with the day clock at `now`.
    pub fn with_history<R>(
        &mut self,
        now: Timestamp,
        f: impl FnOnce(&Library, &History) -> R,
    ) -> Result<R> {
        let clock = self.day_clock(now);
        let history = self.history.get(&self.store, clock)?;
        Ok(f(&self.library, history))
    }

    /// The current retrievability of a studied card on study day `today`.
    pub fn retrievability(&self, state: &CardState, today: i64) -> f32 {
        self.scheduler.retrievability(state, today)
    }

    /// Mastery of every topic, deck and category in `scope` at `now`. The
    /// report is kept until the decks, a card's state, the log, the settings
    /// or the study day change, so Home, *Weak areas* and Statistics share it.
    pub fn mastery(&mut self, scope: &Scope, now: Timestamp) -> Result<MasteryReport> {
        let today = self.today(now);
        if let Some((kept_scope, day, report)) = &self.mastery
            && kept_scope == scope
            && *day == today
        {
            return Ok(report.clone());
        }
        let history = self.history.get(&self.store, self.day_clock(now))?;
        let report = crate::timed("mastery", || {
            mastery(
                &self.library,
                &self.slots,
                history,
                |s| self.scheduler.retrievability(s, today),
                f64::from(self.settings.desired_retention),
                scope,
            )
        });
        self.mastery = Some((scope.clone(), today, report.clone()));
        Ok(report)
    }

    /// Drops what was worked out from the decks, the states, the log and the
    /// settings, after one of them changed.
    fn progress_changed(&mut self) {
        self.mastery = None;
    }

    /// The leeches in `scope`, most lapses first.
    pub fn leeches(&self, scope: &Scope, now: Timestamp) -> Vec<Leech> {
        let today = self.today(now);
        leeches(
            &self.library,
            &self.slots,
            |s| self.scheduler.retrievability(s, today),
            scope,
        )
    }

    /// The *Weak areas* queue over `topics` (`(deck id, topic)`, weakest first).
    pub fn weak_queue(&self, topics: &[(&str, &str)], now: Timestamp) -> Vec<CardKey> {
        let today = self.today(now);
        weak_queue(
            &self.library,
            &self.slots,
            topics,
            |s| self.scheduler.retrievability(s, today),
            self.settings.quick_quiz_len as usize,
        )
    }

    /// The topics a *Weak areas* session over `decks` draws from, weakest
    /// first: the weak ones, or every studied one when none is weak.
    pub fn weak_topics(
        &mut self,
        decks: &BTreeSet<String>,
        now: Timestamp,
    ) -> Result<Vec<(String, String)>> {
        let report = self.mastery(&Scope::All, now)?;
        let in_scope = |t: &&TopicStanding| decks.is_empty() || decks.contains(&t.deck);
        let mut topics: Vec<&TopicStanding> =
            report.weakest().into_iter().filter(in_scope).collect();
        if topics.is_empty() {
            topics = report.ranked().into_iter().filter(in_scope).collect();
        }
        Ok(topics
            .into_iter()
            .map(|t| (t.deck.clone(), t.topic.clone()))
            .collect())
    }

    /// Each topic's share of right answers over the whole log, by topic name,
    /// for the topics of `keys`.
    fn topic_record(&mut self, keys: &[CardKey], now: Timestamp) -> Result<HashMap<String, f64>> {
        let clock = self.day_clock(now);
        let library = &self.library;
        let topic_of = |key: &CardKey| library.indexed(key.borrowed()).map(|q| q.topic);
        let wanted: BTreeSet<&str> = keys.iter().filter_map(topic_of).collect();
        let history = self.history.get(&self.store, clock)?;
        let mut counts: HashMap<&str, (u32, u32)> = HashMap::new();
        for (position, right) in history.newest_first(library) {
            if let Some(topic) = position
                .and_then(|p| library.indexed_at(p))
                .map(|q| q.topic)
                && wanted.contains(topic)
            {
                let entry = counts.entry(topic).or_default();
                entry.0 += u32::from(right);
                entry.1 += 1;
            }
        }
        Ok(counts
            .into_iter()
            .map(|(t, (c, n))| (t.to_string(), f64::from(c) / f64::from(n.max(1))))
            .collect())
    }

    /// Sets (or, with `None`, forgets) the in-memory state of `key`, in
    /// `slots` (or, for a card the library lacks, `orphans`), and returns
    /// the state it had.
    fn set_state(&mut self, key: &CardKey, state: Option<CardState>) -> Option<CardState> {
        self.progress_changed();
        if let Some(slot) = self
            .library
            .position(key.borrowed())
            .and_then(|p| self.slots.get_mut(p))
        {
            return std::mem::replace(slot, state);
        }
        match state {
            Some(state) => self.orphans.insert(key.clone(), state),
            None => self.orphans.remove(key),
        }
    }

    /// The state of the card `key`, if it has been studied.
    pub fn state(&self, key: &CardKey) -> Option<&CardState> {
        match self.library.position(key.borrowed()) {
            Some(position) => self.slots.get(position)?.as_ref(),
            None => self.orphans.get(key),
        }
    }

    /// Every studied card with its state: the library's in order, then
    /// those it does not hold.
    pub fn studied(&self) -> impl Iterator<Item = (CardRef<'_>, &CardState)> {
        let placed = self
            .library
            .cards()
            .zip(&self.slots)
            .filter_map(|((key, _), slot)| Some((key, slot.as_ref()?)));
        placed.chain(
            self.orphans
                .iter()
                .map(|(key, state)| (key.borrowed(), state)),
        )
    }

    /// Whether any card has been studied.
    pub fn any_studied(&self) -> bool {
        !self.orphans.is_empty() || self.slots.iter().any(Option::is_some)
    }

    /// Where the database lives, if on disk.
    pub fn database_path(&self) -> Option<&Path> {
        self.store.path()
    }

    /// The day clock for the settings' rollover hour at `now`.
    pub fn day_clock(&self, now: Timestamp) -> DayClock {
        DayClock::local(self.settings.rollover_hour, now)
    }

    /// The study day `now` falls in.
    pub fn today(&self, now: Timestamp) -> i64 {
        self.day_clock(now).day(now)
    }

    /// Reviews made so far today.
    pub fn reviews_today(&self, now: Timestamp) -> Result<i64> {
        let clock = self.day_clock(now);
        self.store.reviews_since(clock.day_start(clock.day(now)))
    }

    /// Consecutive days studied, up to today.
    pub fn streak(&self, now: Timestamp) -> Result<u32> {
        let clock = self.day_clock(now);
        streak(
            |day| {
                self.store
                    .reviewed_between(clock.day_start(day), clock.day_start(day + 1))
            },
            clock.day(now),
        )
    }

    /// New, due and learned counts per deck id.
    pub fn counts(&self, now: Timestamp) -> HashMap<String, DeckCounts> {
        deck_counts(&self.library, &self.slots, self.today(now))
    }

    /// How many more new cards and reviews today's limits allow.
    pub fn allowance(&self, now: Timestamp) -> Result<Allowance> {
        let clock = self.day_clock(now);
        let start = clock.day_start(clock.day(now));
        let new_today = self.store.new_cards_since(start)?;
        let reviews_today = self.store.reviews_since(start)? - new_today;
        let left = |limit: u32, used: i64| usize::try_from(i64::from(limit) - used).unwrap_or(0);
        Ok(Allowance {
            new: left(self.settings.new_per_day, new_today),
            reviews: left(self.settings.reviews_per_day, reviews_today),
        })
    }

    /// Today's *Study due* queue over `decks` (all decks when empty).
    pub fn due(&self, decks: &BTreeSet<String>, now: Timestamp) -> Result<Vec<CardKey>> {
        Ok(due_queue(
            &self.library,
            &self.slots,
            &self.scheduler,
            self.today(now),
            |d: &str| decks.is_empty() || decks.contains(d),
            self.allowance(now)?,
        ))
    }

    /// The queue for `mode` over `decks` (all decks when empty).
    pub fn queue(
        &mut self,
        mode: Mode,
        decks: &BTreeSet<String>,
        now: Timestamp,
        rng: &mut impl Rng,
    ) -> Result<Vec<CardKey>> {
        Ok(match mode {
            Mode::Due => self.due(decks, now)?,
            Mode::Quick => quick_queue(
                &self.library,
                |d: &str| decks.is_empty() || decks.contains(d),
                self.settings.quick_quiz_len as usize,
                rng,
            ),
            Mode::Weak => {
                let topics = self.weak_topics(decks, now)?;
                let topics: Vec<(&str, &str)> = topics
                    .iter()
                    .map(|(d, t)| (d.as_str(), t.as_str()))
                    .collect();
                self.weak_queue(&topics, now)
            }
            Mode::Retry => Vec::new(),
        })
    }

    /// Starts and stores a session over `queue`.
    pub fn start(&mut self, mode: Mode, queue: Vec<CardKey>, now: Timestamp) -> Result<Session> {
        let baseline = if mode == Mode::Weak {
            self.topic_record(&queue, now)?
        } else {
            HashMap::new()
        };
        let id = self.store.start_session(mode.name(), now)?;
        let mut session = Session::new(mode, id, queue, now);
        session.set_baseline(baseline);
        Ok(session)
    }

    /// The current question of `session`.
    pub fn question(&self, session: &Session) -> Option<Arc<Question>> {
        self.library.question(session.current()?)
    }

    /// Grades `answer` to the current question of `session`.
    pub fn grade(&self, session: &Session, answer: &Answer, now: Timestamp) -> Result<Graded> {
        let key = session.current().ok_or(Error::SessionOver)?;
        let question = self
            .library
            .question(key)
            .ok_or_else(|| Error::UnknownCard(key.clone()))?;
        session.grade(
            &question,
            self.state(key),
            answer,
            &self.scheduler,
            now,
            self.today(now),
        )
    }

    /// Stores the answer to the current question with `rating`, then moves
    /// `session` on. `given` describes the answer for the results screen.
    pub fn answer(
        &mut self,
        session: &mut Session,
        graded: &Graded,
        rating: Rating,
        correct: bool,
        given: String,
        now: Timestamp,
    ) -> Result<()> {
        let key = session.current().ok_or(Error::SessionOver)?.clone();
        let question = self
            .library
            .question(&key)
            .ok_or_else(|| Error::UnknownCard(key.clone()))?;
        let topic = question.topic.clone();
        let (review, state) = session
            .review(&question, graded, rating, correct, now)
            .ok_or(Error::SessionOver)?;
        self.store.record_answer(&review, &state)?;
        if let Some(history) = self.history.loaded_mut() {
            history.push(
                key.borrowed(),
                review.reviewed_at,
                review.correct,
                review.session,
            );
        }
        let previous = self.set_state(&key, Some(state));
        session.commit(Answered {
            key,
            topic,
            verdict: graded.verdict.clone(),
            correct,
            rating,
            given,
            previous,
            state,
            review,
            preview: graded.preview.clone(),
        });
        Ok(())
    }

    /// Changes the rating of the last answer (in the store too).
    pub fn rerate(&mut self, session: &mut Session, rating: Rating, correct: bool) -> Result<()> {
        let Some(answer) = session.rerated(rating, correct) else {
            return Err(Error::NothingToUndo);
        };
        self.store
            .replace_answer(answer.previous.as_ref(), &answer.review, &answer.state)?;
        self.set_state(&answer.key, Some(answer.state));
        let review = &answer.review;
        self.history
            .update(|h| h.rerate(&review.key, review.reviewed_at, review.session, correct));
        session.replace_last(answer);
        Ok(())
    }

    /// Takes back the last answer of `session`, in the store too.
    pub fn undo(&mut self, session: &mut Session, now: Timestamp) -> Result<Answered> {
        let last = session.answered().last().ok_or(Error::NothingToUndo)?;
        self.store
            .undo_answer(&last.review, last.previous.as_ref())?;
        let last = session.undo(now).ok_or(Error::NothingToUndo)?;
        let review = &last.review;
        self.history
            .update(|h| h.remove(&review.key, review.reviewed_at, review.session));
        self.set_state(&last.key, last.previous);
        Ok(last)
    }

    /// Ends `session`, storing its score, and returns its summary.
    pub fn finish(&mut self, session: &Session, now: Timestamp) -> Result<Summary> {
        let summary = session.summary(now);
        self.store.finish_session(
            session.id,
            now,
            summary.answered as i64,
            summary.correct as i64,
        )?;
        Ok(summary)
    }

    /// Writes the whole review log to `path` as CSV (atomically). Returns the row count.
    pub fn export_reviews(&self, path: &Path) -> Result<usize> {
        let reviews = self.store.all_reviews()?;
        write_atomically(path, |out| write_reviews(&reviews, out))
    }

    /// Writes every card's state to `path` as CSV (atomically). Returns the row count.
    pub fn export_cards(&self, path: &Path, now: Timestamp) -> Result<usize> {
        let clock = self.day_clock(now);
        write_atomically(path, |out| {
            write_cards(
                self.studied(),
                &clock,
                clock.day(now),
                |s, today| self.scheduler.retrievability(s, today),
                out,
            )
        })
    }

    /// Adds the reviews in the CSV file at `path` that are not in the log
    /// yet, and rebuilds the state of each card that gained some from its
    /// whole log. Importing the same file again adds nothing. Returns
    /// `(added, already there)`.
    pub fn import_reviews(&mut self, path: &Path, now: Timestamp) -> Result<(usize, usize)> {
        let file = std::fs::File::open(path).map_err(crate::file_error(path))?;
        let kinds: HashMap<CardKey, &str> = self
            .library
            .cards()
            .map(|(k, q)| (k.to_key(), q.kind))
            .collect();
        let reviews =
            read_reviews(std::io::BufReader::new(file), &kinds).map_err(|e| Error::BadFile {
                path: path.to_path_buf(),
                reason: e.to_string(),
            })?;
        let added = self.add_reviews(&reviews, now)?;
        Ok((added, reviews.len() - added))
    }

    /// Adds the reviews not in the log yet, rebuilding each touched card's
    /// state from its whole log (see [`Store::import_reviews`]). Returns how
    /// many were added.
    fn add_reviews(&mut self, reviews: &[crate::store::Review], now: Timestamp) -> Result<usize> {
        let clock = self.day_clock(now);
        let scheduler = &self.scheduler;
        let added = self.store.import_reviews(reviews, |log| {
            let days: Vec<(Timestamp, i64, Rating)> = log
                .iter()
                .map(|r| (r.reviewed_at, clock.day(r.reviewed_at), r.rating))
                .collect();
            scheduler.rebuild(&days)
        })?;
        (self.slots, self.orphans) = self.store.card_states_in(&self.library)?;
        self.progress_changed();
        self.history.forget();
        Ok(added)
    }

    /// The optimizer's training set from the review log in the database
    /// (see [`crate::scheduler::training::training_items`]).
    pub fn training_set(&mut self, now: Timestamp) -> Result<(Vec<fsrs::FSRSItem>, Vec<i64>)> {
        let clock = self.day_clock(now);
        let mut reviews = Vec::new();
        self.store
            .each_rating(|card, at, rating| reviews.push((card, clock.day(at), rating)))?;
        Ok(training_items(reviews))
    }

    /// How many items [`Study::training_set`] would give, counted without
    /// building them.
    pub fn training_count(&self, now: Timestamp) -> Result<usize> {
        let clock = self.day_clock(now);
        let mut count = ItemCount::default();
        crate::timed("count the training items", || {
            self.store
                .each_rating(|card, at, _| count.add(card, clock.day(at)))
        })?;
        Ok(count.items)
    }

    /// Uses and saves FSRS `parameters` (empty: the crate's defaults), and
    /// reschedules nothing: cards keep their due dates until next reviewed.
    pub fn save_parameters(&mut self, parameters: Vec<f32>) -> Result<()> {
        let settings = Settings {
            parameters,
            ..self.settings.clone()
        };
        self.save_settings(settings)
    }

    /// Saves new settings and applies them.
    pub fn save_settings(&mut self, settings: Settings) -> Result<()> {
        let settings = settings.clamped();
        self.scheduler = scheduler_for(&settings)?;
        self.store.save_settings(&settings)?;
        self.settings = settings;
        self.progress_changed();
        Ok(())
    }
}

/// The review log, once read: read when first needed, or on another thread
/// from the start.
#[derive(Default)]
struct ReviewLog {
    loaded: Option<History>,
    /// The thread reading it, when one was started and not yet joined.
    reader: Option<std::thread::JoinHandle<Result<History>>>,
}

impl ReviewLog {
    /// Starts reading the log of the database at `path` on another thread,
    /// over a read-only connection of its own, its days counted with
    /// `clock`. If no thread can be started, the log is read when first
    /// needed.
    fn read_in_background(path: &Path, clock: DayClock) -> ReviewLog {
        let path = path.to_path_buf();
        let reader = std::thread::Builder::new()
            .name("review log".to_string())
            .spawn(move || {
                let store = Store::open_reader(&path)?;
                crate::timed("read the review log (in the background)", || {
                    store.history(clock)
                })
            })
            .ok();
        ReviewLog {
            loaded: None,
            reader,
        }
    }

    /// Whether [`ReviewLog::get`] would not wait for a thread.
    fn ready(&self) -> bool {
        self.loaded.is_some()
            || self
                .reader
                .as_ref()
                .is_none_or(std::thread::JoinHandle::is_finished)
    }

    /// The log, its days counted with `clock`: the one read in the
    /// background if there is one (waiting for it), or else read from
    /// `store` now. A background read that failed is done again here, so its
    /// error is the one `store` gives; a log counted with another clock (a
    /// new rollover hour, or a change of time zone) is read again.
    fn get(&mut self, store: &Store, clock: DayClock) -> Result<&History> {
        if self.loaded.is_none()
            && let Some(reader) = self.reader.take()
        {
            self.loaded = crate::timed("wait for the review log", || reader.join())
                .ok()
                .and_then(Result::ok);
        }
        if self.loaded.as_ref().is_some_and(|h| h.clock() != clock) {
            self.loaded = None;
        }
        if self.loaded.is_none() {
            self.loaded = Some(crate::timed("read the review log", || {
                store.history(clock)
            })?);
        }
        Ok(self.loaded.get_or_insert_with(History::default))
    }

    /// The log, to append an answer just stored, if it has been read. A read
    /// still running on another thread may or may not have seen that answer,
    /// so it is dropped, and the log is read again when next needed.
    fn loaded_mut(&mut self) -> Option<&mut History> {
        self.reader = None;
        self.loaded.as_mut()
    }

    /// Changes the loaded log with `change` (an undo or a re-rating, just
    /// stored), which tells whether it found what it changes. A log not
    /// loaded yet, or one `change` could not match, is forgotten instead.
    fn update(&mut self, change: impl FnOnce(&mut History) -> bool) {
        if !self.loaded_mut().is_some_and(change) {
            self.forget();
        }
    }

    /// Forgets the log (after an import changed it); it is read again when
    /// next needed.
    fn forget(&mut self) {
        *self = ReviewLog::default();
    }
}

/// The scheduler for `settings`: the learner's parameters, or the crate's
/// defaults when the saved ones are refused.
fn scheduler_for(settings: &Settings) -> Result<Scheduler> {
    Scheduler::new(&settings.parameters, settings.desired_retention)
        .or_else(|_| Scheduler::new(&[], settings.desired_retention))
}
