//! Backups of the database and recovery from a damaged one. Backups use
//! SQLite's online backup API into `<data>/backups/`, at most once a day on
//! start-up, keeping the newest [`KEEP`]. A database is never overwritten:
//! before a restore or a fresh start, the current file (with its `-wal` and
//! `-shm` companions) is moved aside with a timestamp in its name.

use std::path::{Path, PathBuf};

use crate::clock::Timestamp;
use crate::store::{SCHEMA_VERSION, Store};
use crate::{Error, Result};

/// How many backups are kept.
pub const KEEP: usize = 7;

const PREFIX: &str = "recall-";
const SUFFIX: &str = ".sqlite3";

/// One backup file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Backup {
    /// The file.
    pub path: PathBuf,
    /// When it was taken, from its name (`recall-YYYYMMDD-HHMMSS.sqlite3`, UTC).
    pub taken: Timestamp,
}

impl Backup {
    /// When it was taken, as local `YYYY-MM-DD HH:MM`.
    pub fn label(&self) -> String {
        use chrono::TimeZone;
        chrono::Local
            .timestamp_millis_opt(self.taken.0)
            .single()
            .map_or_else(
                || self.path.display().to_string(),
                |t| t.format("%Y-%m-%d %H:%M").to_string(),
            )
    }
}

/// The backups in `dir`, newest first.
pub fn list(dir: &Path) -> Vec<Backup> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut backups: Vec<Backup> = entries
        .flatten()
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            let stamp = name.strip_prefix(PREFIX)?.strip_suffix(SUFFIX)?;
            let taken = chrono::NaiveDateTime::parse_from_str(stamp, "%Y%m%d-%H%M%S").ok()?;
            Some(Backup {
                path: e.path(),
                taken: Timestamp(taken.and_utc().timestamp_millis()),
            })
        })
        .collect();
    backups.sort_by_key(|b| std::cmp::Reverse(b.taken));
    backups
}

/// Backs `store` up into `dir` now (through a temporary file, so a crash
/// never leaves half a backup) and keeps the newest [`KEEP`].
pub fn backup_now(store: &Store, dir: &Path, now: Timestamp) -> Result<PathBuf> {
    std::fs::create_dir_all(dir).map_err(crate::file_error(dir))?;
    let stamp = chrono::DateTime::from_timestamp_millis(now.0).map_or_else(
        || now.0.to_string(),
        |t| t.format("%Y%m%d-%H%M%S").to_string(),
    );
    let path = dir.join(format!("{PREFIX}{stamp}{SUFFIX}"));
    let temp = tempfile::Builder::new()
        .prefix(".backup-")
        .tempfile_in(dir)
        .map_err(crate::file_error(dir))?;
    store.backup_to(temp.path())?;
    temp.as_file()
        .sync_all()
        .map_err(crate::file_error(temp.path()))?;
    temp.persist(&path)
        .map_err(|e| crate::file_error(&path)(e.error))?;
    for old in list(dir).into_iter().skip(KEEP) {
        // A backup that cannot be removed is only clutter; keep going.
        let _ = std::fs::remove_file(&old.path);
    }
    Ok(path)
}

/// Takes a backup unless one was already taken in the last 20 hours (so at
/// most about once a day, on start-up). Returns the new backup, if any.
pub fn daily(store: &Store, dir: &Path, now: Timestamp) -> Result<Option<PathBuf>> {
    const DAY_ISH_MS: i64 = 20 * 3_600_000;
    match list(dir).first() {
        Some(newest) if now.0 - newest.taken.0 < DAY_ISH_MS => Ok(None),
        _ => backup_now(store, dir, now).map(Some),
    }
}

/// Checks that `path` is a healthy Recall database this build can open,
/// without changing it: SQLite's integrity check, and a schema no newer than
/// this build's.
pub fn check(path: &Path) -> Result<()> {
    let bad = |reason: String| Error::CorruptDatabase {
        path: path.to_path_buf(),
        reason,
    };
    let conn = rusqlite::Connection::open_with_flags(
        path,
        rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(|e| bad(e.to_string()))?;
    let integrity: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .map_err(|e| bad(e.to_string()))?;
    if integrity != "ok" {
        return Err(bad(integrity));
    }
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .map_err(|e| bad(e.to_string()))?;
    if version > SCHEMA_VERSION {
        return Err(Error::NewerDatabase {
            path: path.to_path_buf(),
            found: version,
            known: SCHEMA_VERSION,
        });
    }
    let tables: i64 = conn
        .query_row(
            "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'review_log'",
            [],
            |r| r.get(0),
        )
        .map_err(|e| bad(e.to_string()))?;
    if tables == 0 {
        return Err(bad("it has no review log: not a Recall database".into()));
    }
    Ok(())
}

/// Moves the database at `db` (and its `-wal` and `-shm` files) aside as
/// `<name>.<reason>-<timestamp>`, so nothing is overwritten or lost. Returns
/// the new name of the main file, or `None` when there was no database.
pub fn move_aside(db: &Path, reason: &str, now: Timestamp) -> Result<Option<PathBuf>> {
    if !db.exists() {
        return Ok(None);
    }
    let stamp = chrono::DateTime::from_timestamp_millis(now.0).map_or_else(
        || now.0.to_string(),
        |t| t.format("%Y%m%d-%H%M%S").to_string(),
    );
    let mut moved = None;
    for companion in ["", "-wal", "-shm"] {
        let from = PathBuf::from(format!("{}{companion}", db.display()));
        if !from.exists() {
            continue;
        }
        let to = PathBuf::from(format!("{}{companion}.{reason}-{stamp}", db.display()));
        std::fs::rename(&from, &to).map_err(crate::file_error(&from))?;
        if companion.is_empty() {
            moved = Some(to);
        }
    }
    Ok(moved)
}

/// Puts `backup` in place of the database at `db`: checks the backup, moves
/// the current database aside, and copies the backup in (temp file, fsync,
/// rename). Returns where the previous database went. The caller must have
/// closed its connection to `db`.
pub fn restore(backup: &Path, db: &Path, now: Timestamp) -> Result<Option<PathBuf>> {
    restore_over(backup, db, "replaced", now)
}

/// [`restore`], naming the file moved aside `<name>.<reason>-<timestamp>`
/// (`corrupt` when the current database is damaged).
pub fn restore_over(
    backup: &Path,
    db: &Path,
    reason: &str,
    now: Timestamp,
) -> Result<Option<PathBuf>> {
    check(backup)?;
    let dir = db.parent().unwrap_or(Path::new("."));
    let temp = tempfile::Builder::new()
        .prefix(".restore-")
        .tempfile_in(dir)
        .map_err(crate::file_error(dir))?;
    std::fs::copy(backup, temp.path()).map_err(crate::file_error(backup))?;
    temp.as_file()
        .sync_all()
        .map_err(crate::file_error(temp.path()))?;
    let moved = move_aside(db, reason, now)?;
    temp.persist(db)
        .map_err(|e| crate::file_error(db)(e.error))?;
    Ok(moved)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{CardKey, Rating};
    use crate::scheduler::CardState;
    use crate::store::Review;

    fn review(q: &str, at: i64) -> (Review, CardState) {
        (
            Review {
                key: CardKey::new("d", q),
                reviewed_at: Timestamp(at),
                rating: Rating::Good,
                correct: true,
                duration_ms: 100,
                kind: "TrueFalse".into(),
                session: None,
            },
            CardState {
                stability: 2.0,
                difficulty: 5.0,
                due_day: 3,
                last_review: Timestamp(at),
                last_day: 1,
                reps: 1,
                lapses: 0,
            },
        )
    }

    const DAY: i64 = 86_400_000;
    const T0: i64 = 1_780_000_000_000;

    #[test]
    fn daily_backups_are_taken_once_a_day_and_the_newest_seven_kept() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("recall.sqlite3");
        let mut store = Store::open(&db).unwrap();
        let (r, s) = review("a", T0);
        store.record_answer(&r, &s).unwrap();
        let backups = dir.path().join("backups");
        assert!(daily(&store, &backups, Timestamp(T0)).unwrap().is_some());
        assert!(
            daily(&store, &backups, Timestamp(T0 + 3_600_000))
                .unwrap()
                .is_none()
        );
        for day in 1..10 {
            assert!(
                daily(&store, &backups, Timestamp(T0 + day * DAY))
                    .unwrap()
                    .is_some()
            );
        }
        let kept = list(&backups);
        assert_eq!(kept.len(), KEEP);
        assert_eq!(kept[0].taken, Timestamp(T0 + 9 * DAY));
        // A backup is a complete, healthy database with the answers.
        check(&kept[0].path).unwrap();
        let copy = Store::open(&kept[0].path).unwrap();
        assert_eq!(copy.all_reviews().unwrap().len(), 1);
    }

    #[test]
    fn restore_moves_the_current_database_aside_and_puts_the_backup_in_place() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("recall.sqlite3");
        let backups = dir.path().join("backups");
        let backup = {
            let mut store = Store::open(&db).unwrap();
            let (r, s) = review("a", T0);
            store.record_answer(&r, &s).unwrap();
            let backup = backup_now(&store, &backups, Timestamp(T0)).unwrap();
            let (r, s) = review("b", T0 + 1);
            store.record_answer(&r, &s).unwrap();
            backup
        };
        let moved = restore(&backup, &db, Timestamp(T0 + 5)).unwrap().unwrap();
        assert!(moved.to_string_lossy().contains("recall.sqlite3.replaced-"));
        assert_eq!(Store::open(&moved).unwrap().all_reviews().unwrap().len(), 2);
        assert_eq!(Store::open(&db).unwrap().all_reviews().unwrap().len(), 1);
    }

    #[test]
    fn garbage_and_newer_databases_fail_the_check_untouched() {
        let dir = tempfile::tempdir().unwrap();
        let junk = dir.path().join("junk.sqlite3");
        std::fs::write(&junk, vec![7u8; 5000]).unwrap();
        assert!(matches!(check(&junk), Err(Error::CorruptDatabase { .. })));
        assert_eq!(std::fs::read(&junk).unwrap(), vec![7u8; 5000]);
        let newer = dir.path().join("newer.sqlite3");
        {
            let conn = rusqlite::Connection::open(&newer).unwrap();
            conn.execute_batch("CREATE TABLE review_log (id INTEGER); PRAGMA user_version = 99;")
                .unwrap();
        }
        assert!(matches!(check(&newer), Err(Error::NewerDatabase { .. })));
        let db = dir.path().join("recall.sqlite3");
        assert!(restore(&junk, &db, Timestamp(T0)).is_err());
        assert!(!db.exists(), "a bad backup is not put in place");
    }
}
