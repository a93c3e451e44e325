//! Anki packages (`.apkg`). Written by a helper; see the module's tests.
