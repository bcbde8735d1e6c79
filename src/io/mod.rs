//! Reading and writing datasets: the native format with its provenance
//! checks, the embedded default dataset, reports and the synthetic generator.

pub mod atomic;
pub(crate) mod build;
pub mod diagnostic;
pub mod escape;
pub mod export;
pub mod format;
pub mod generate;
pub mod guard;
pub mod import;
pub mod json_keys;
pub mod lint;
pub mod native;
pub mod progress;
pub mod quote;
pub mod report;
pub mod suggest;
pub mod timelinejs;

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
    match path {
        Some(p) => import::open(p, None).map(|o| o.loaded),
        None => load_embedded(),
    }
}
