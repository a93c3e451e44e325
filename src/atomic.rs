//! Atomic file writes: a temporary file in the same folder, written, fsynced
//! and renamed over the target, so a crash leaves either the old file or the
//! new one, never half of one.

use std::path::Path;

use crate::{Error, Result};

/// Writes a file through `write`, then fsyncs and renames it over `path`, so
/// a crash leaves either the old file or the new one, never half of one.
pub fn write_atomically<T, E: std::fmt::Display>(
    path: &Path,
    write: impl FnOnce(&mut std::io::BufWriter<&std::fs::File>) -> std::result::Result<T, E>,
) -> Result<T> {
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    let temp = tempfile::NamedTempFile::new_in(dir).map_err(|e| {
        // tempfile's message names its random temporary file; the folder is what matters.
        let reason = match e.kind() {
            std::io::ErrorKind::NotFound => "the folder does not exist".to_string(),
            std::io::ErrorKind::PermissionDenied => "no permission to write there".to_string(),
            _ => e.to_string(),
        };
        crate::file_error(dir)(std::io::Error::new(e.kind(), reason))
    })?;
    let mut out = std::io::BufWriter::new(temp.as_file());
    let value = write(&mut out).map_err(|e| Error::BadFile {
        path: path.to_path_buf(),
        reason: e.to_string(),
    })?;
    out.into_inner()
        .map_err(|e| e.into_error())
        .and_then(std::fs::File::sync_all)
        .map_err(crate::file_error(path))?;
    temp.persist(path)
        .map_err(|e| crate::file_error(path)(e.error))?;
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn a_failed_write_leaves_the_old_file_and_no_temp_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("deck.ron");
        std::fs::write(&path, "old").unwrap();
        let failed = write_atomically(&path, |out| {
            out.write_all(b"half of the new")
                .map_err(|e| e.to_string())?;
            Err::<(), _>("the disk filled up".to_string())
        });
        assert!(
            failed
                .unwrap_err()
                .to_string()
                .contains("the disk filled up")
        );
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "old");
        let files: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(files.len(), 1, "the temporary file was removed");

        write_atomically(&path, |out| out.write_all(b"new")).unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "new");

        let missing = dir.path().join("nowhere");
        let refused = write_atomically(&missing.join("deck.ron"), |out| out.write_all(b"x"));
        assert_eq!(
            refused.unwrap_err().to_string(),
            format!("{}: the folder does not exist", missing.display())
        );
    }
}
