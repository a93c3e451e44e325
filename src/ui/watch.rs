//! Live reload: a file-system watcher on the deck folders. It only raises a
//! flag and asks for a repaint; the app reloads the decks on its next frame
//! (or, during a session, when the session ends). No polling: idle costs
//! nothing.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use notify::Watcher;

/// Watches deck folders and files for changes to `.ron` files.
pub struct DeckWatcher {
    changed: Arc<AtomicBool>,
    /// Kept alive: dropping it stops the watching.
    _watcher: notify::RecommendedWatcher,
}

impl DeckWatcher {
    /// Watches `paths` (folders recursively; missing ones are created if they
    /// are the user's deck folder, `create`), waking `ctx` on each change.
    pub fn new(paths: &[PathBuf], create: &PathBuf, ctx: egui::Context) -> notify::Result<Self> {
        let changed = Arc::new(AtomicBool::new(false));
        let flag = changed.clone();
        let mut watcher =
            notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
                let Ok(event) = event else { return };
                let touches_deck = event
                    .paths
                    .iter()
                    .any(|p| p.extension().is_some_and(|e| e == "ron") || p.is_dir());
                if touches_deck && !event.kind.is_access() {
                    flag.store(true, Ordering::Release);
                    ctx.request_repaint();
                }
            })?;
        std::fs::create_dir_all(create)?;
        for path in paths {
            if path.exists() {
                watcher.watch(path, notify::RecursiveMode::Recursive)?;
            }
        }
        Ok(DeckWatcher {
            changed,
            _watcher: watcher,
        })
    }

    /// Whether a deck changed since the last call.
    pub fn take_change(&self) -> bool {
        self.changed.swap(false, Ordering::AcqRel)
    }
}
