//! Reading and writing datasets, one folder per format with its reader and
//! writer side by side, and the shared parts beside them:
//!
//! - `native/` (the dataset folder: its files, the careful reading, the
//!   streaming fast path, the writer), `timelinejs/` (JSON and the
//!   spreadsheet CSV, their dates, the writer), `acled/` (the reader and the
//!   generator), `geojson/` (reader and writer), `csv/` (mapline's CSV export
//!   and cell positions for the CSV readers);
//! - `builder/`, the one builder every reader feeds its typed entries to;
//! - `import` and `export` pick the format; `guard` opens a stranger's files;
//!   `diagnostic`, `escape`, `json_keys`, `lint`, `quote`, `stamp` (timestamps
//!   as feeds write them: ISO 8601 and Unix epoch numbers) and `suggest` are
//!   the rules and messages every reader shares.

pub mod acled;
pub mod atomic;
pub(crate) mod blocks;
pub mod brief;
pub(crate) mod builder;
pub mod csv;
pub mod diagnostic;
pub mod escape;
pub mod export;
pub mod files;
pub mod format;
pub mod generate;
pub mod geojson;
pub mod guard;
pub(crate) mod ids;
pub mod import;
pub mod imported;
pub(crate) mod json_at;
pub mod json_keys;
pub mod lint;
pub mod native;
pub mod progress;
pub mod quote;
pub mod report;
pub mod stamp;
pub mod story;
pub mod suggest;
pub mod timelinejs;
pub mod view;

pub use diagnostic::{DatasetErrors, Diagnostic, Severity};
pub use native::{Loaded, load, load_dir};

use std::path::Path;

/// At most this many diagnostics are listed (by `mapline check` and the
/// error panel); past it, how many more there are is said in one line.
pub const MAX_DIAGNOSTICS: usize = 1000;

/// The default dataset (the 2022 Albania–Iran break), compiled into the binary.
static EMBEDDED_DIR: include_dir::Dir<'static> =
    include_dir::include_dir!("$CARGO_MANIFEST_DIR/data/albania-iran");

/// The files of the embedded default dataset.
#[must_use]
pub fn embedded_files() -> native::EmbeddedFiles {
    native::EmbeddedFiles::new(&EMBEDDED_DIR, "data/albania-iran")
}

/// Loads the embedded default dataset.
///
/// # Errors
/// Only if the embedded copy is broken, which the test suite rules out.
pub fn load_embedded() -> Result<Loaded, DatasetErrors> {
    load(&embedded_files())
}

/// Loads `path` (a dataset folder or any importable file) if given, the
/// embedded dataset otherwise.
///
/// # Errors
/// Every problem found in the dataset.
pub fn load_path_or_embedded(path: Option<&Path>) -> Result<Loaded, DatasetErrors> {
    load_path_or_embedded_with(path, stamp::ReadOptions::default())
}

/// [`load_path_or_embedded`], an imported file read as `options` say.
///
/// # Errors
/// Every problem found in the dataset.
pub fn load_path_or_embedded_with(
    path: Option<&Path>,
    options: stamp::ReadOptions,
) -> Result<Loaded, DatasetErrors> {
    match path {
        Some(p) => import::open_with(p, None, options).map(|o| o.loaded),
        None => load_embedded(),
    }
}
