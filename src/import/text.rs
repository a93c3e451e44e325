//! CSV/TSV and Anki plain-text exports. Written by a helper.
