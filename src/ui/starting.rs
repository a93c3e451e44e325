//! The window while the data folder opens. Opening usually ends before the
//! window and its GL context are made, and then the app's first frame is
//! Home. When it takes longer (deck files parsed again after an update or
//! with the deck cache deleted, a database upgrade, a slow disk), the window
//! shows that Recall is opening instead of staying blank, and the app takes
//! over as soon as the folder is open.

use std::sync::{Arc, Mutex, PoisonError};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use super::App;
use crate::settings::Settings;

/// After this long, the opening screen says why it may take a while.
const SLOW: Duration = Duration::from_secs(2);

/// Work done on a thread of its own, whose result the window takes. The
/// thread wakes the window when it is done, so the window draws nothing
/// while it waits (on two cores, even a spinner slowed the opening down).
pub struct Opening<T> {
    slot: Arc<Mutex<Slot<T>>>,
    thread: JoinHandle<()>,
}

enum Slot<T> {
    /// Not done; the window to wake when it is, once one asked.
    Waiting(Option<egui::Context>),
    Done(T),
    Taken,
}

impl<T: Send + 'static> Opening<T> {
    /// Starts `work` on a new thread called `name`.
    pub fn spawn(
        name: &str,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> std::io::Result<Opening<T>> {
        let slot = Arc::new(Mutex::new(Slot::Waiting(None)));
        let theirs = Arc::clone(&slot);
        let thread = std::thread::Builder::new()
            .name(name.to_string())
            .spawn(move || {
                let done = work();
                let was = std::mem::replace(&mut *lock(&theirs), Slot::Done(done));
                if let Slot::Waiting(Some(ctx)) = was {
                    ctx.request_repaint();
                }
            })?;
        Ok(Opening { slot, thread })
    }

    /// Whether the work is done and its result not yet taken.
    pub fn is_done(&self) -> bool {
        matches!(*lock(&self.slot), Slot::Done(_))
    }

    /// The result if the work is done; if not, `ctx` is woken when it is.
    fn take(&self, ctx: &egui::Context) -> Option<T> {
        let mut slot = lock(&self.slot);
        match std::mem::replace(&mut *slot, Slot::Taken) {
            Slot::Done(done) => Some(done),
            Slot::Waiting(_) => {
                *slot = Slot::Waiting(Some(ctx.clone()));
                None
            }
            Slot::Taken => None,
        }
    }
}

fn lock<T>(slot: &Mutex<Slot<T>>) -> std::sync::MutexGuard<'_, Slot<T>> {
    slot.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Turns what the opening thread gave into the app, on the window's thread.
type Finish<T> = Box<dyn FnOnce(T, &egui::Context) -> App>;

/// The window's app: the opening screen until the thread opening the data
/// folder is done, then the [`App`] made from what it gave.
pub struct Starting<T: Send + 'static> {
    state: State<T>,
    /// When the process started, for the debug log.
    launched: Option<Instant>,
    /// Whether the opening screen has been drawn.
    shown: bool,
}

enum State<T> {
    Opening {
        opening: Opening<T>,
        finish: Finish<T>,
        since: Instant,
    },
    Open(Box<App>),
    /// Only while one state is turned into the next.
    Between,
}

impl<T: Send + 'static> Starting<T> {
    /// Waits for `opening` without blocking the window; `finish` makes the
    /// app from what it gives. If it is done already, the app is made at
    /// once and the opening screen is never drawn. `launched` is when the
    /// process started, to log when the first frame and the app were drawn.
    pub fn new(
        opening: Opening<T>,
        finish: impl FnOnce(T, &egui::Context) -> App + 'static,
        ctx: &egui::Context,
        launched: Option<Instant>,
    ) -> Starting<T> {
        let mut starting = Starting {
            state: State::Opening {
                opening,
                finish: Box::new(finish),
                since: Instant::now(),
            },
            launched,
            shown: false,
        };
        starting.take_if_open(ctx);
        starting
    }

    /// Applies the learner's theme and zoom to the opening screen, so the
    /// window does not change its look when the app takes over.
    pub fn with_look(self, settings: &Settings, ctx: &egui::Context) -> Starting<T> {
        if matches!(self.state, State::Opening { .. }) {
            super::apply_look(ctx, settings.theme);
            ctx.set_zoom_factor(settings.zoom);
        }
        self
    }

    /// The app, once the data folder is open.
    pub fn app(&self) -> Option<&App> {
        match &self.state {
            State::Open(app) => Some(app),
            _ => None,
        }
    }

    /// Makes the app if the opening thread is done.
    fn take_if_open(&mut self, ctx: &egui::Context) {
        let State::Opening { opening, .. } = &self.state else {
            return;
        };
        // Asked first: a thread that had ended and left no result panicked.
        let ended = opening.thread.is_finished();
        let taken = opening.take(ctx);
        let state = match (&taken, ended) {
            (None, false) => return,
            _ => std::mem::replace(&mut self.state, State::Between),
        };
        let State::Opening {
            opening, finish, ..
        } = state
        else {
            return;
        };
        let Some(opened) = taken else {
            if let Err(panic) = opening.thread.join() {
                std::panic::resume_unwind(panic);
            }
            return;
        };
        let mut app = finish(opened, ctx);
        let label = match self.shown {
            true => "the data folder shown",
            false => "first frame drawn",
        };
        app.launched = self.launched.take().map(|at| (at, label));
        self.state = State::Open(Box::new(app));
    }
}

impl<T: Send + 'static> eframe::App for Starting<T> {
    fn ui(&mut self, ui: &mut egui::Ui, frame: &mut eframe::Frame) {
        self.take_if_open(ui.ctx());
        match &mut self.state {
            State::Open(app) => eframe::App::ui(app.as_mut(), ui, frame),
            State::Opening { since, .. } => {
                let waited = since.elapsed();
                opening_ui(ui, waited);
                if let Some(left) = SLOW.checked_sub(waited) {
                    ui.ctx().request_repaint_after(left);
                }
                if !self.shown {
                    self.shown = true;
                    if let Some(launched) = self.launched {
                        log::debug!(
                            "first frame drawn {:.1} ms after start, the data folder still opening",
                            launched.elapsed().as_secs_f64() * 1000.0
                        );
                    }
                }
            }
            State::Between => {}
        }
    }

    fn on_exit(&mut self, gl: Option<&eframe::glow::Context>) {
        // Closing while the folder opens leaves the thread to be stopped with
        // the process: the store's upgrades and writes are transactions, and
        // the deck cache is written by renaming whole files.
        if let State::Open(app) = &mut self.state {
            eframe::App::on_exit(app.as_mut(), gl);
        }
    }
}

/// What is happening, centred.
fn opening_ui(ui: &mut egui::Ui, waited: Duration) {
    egui::CentralPanel::default().show(ui, |ui| {
        ui.vertical_centered(|ui| {
            ui.add_space((ui.available_height() * 0.35).max(0.0));
            ui.heading("Recall");
            ui.add_space(12.0);
            ui.label("Opening your decks and progress…");
            if waited >= SLOW {
                ui.add_space(6.0);
                ui.label(
                    egui::RichText::new(
                        "Deck files that changed, or every deck after an update of Recall, \
                         are read and checked again. A big library takes a few seconds.",
                    )
                    .weak(),
                );
            }
        });
    });
}
