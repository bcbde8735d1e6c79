//! What every reader, the builder and the loaders share: where a dataset's
//! files come from ([`DatasetFiles`]: a folder, the embedded copy, or files
//! held in memory), how to load ([`LoadOptions`]) and what a load gives
//! ([`Loaded`]). It sits below the readers and the dispatchers, so that the
//! builder needs neither `native/` nor `import.rs`.

use std::collections::HashMap;
use std::path::PathBuf;

use crate::io::diagnostic::Diagnostic;
pub use crate::io::guard::{MAX_FILE_BYTES, MAX_STREAM_BYTES};
use crate::io::progress::Progress;
use crate::model::Dataset;

/// The manifest's file name inside a dataset folder.
pub const MANIFEST: &str = "dataset.json";

/// Where a dataset's files come from: a folder on disk, or the copy embedded
/// in the binary.
pub trait DatasetFiles {
    /// How to name a file (relative to the dataset) in a diagnostic.
    fn display_path(&self, rel: &str) -> String;
    /// Reads a file (relative to the dataset) whole, up to
    /// [`MAX_FILE_BYTES`]; the error says why not.
    ///
    /// # Errors
    /// A message for a missing, unreadable, oversized or refused file.
    fn read(&self, rel: &str) -> Result<Vec<u8>, String>;

    /// Opens a file (relative to the dataset) to be read piece by piece, up
    /// to [`MAX_STREAM_BYTES`], with the bytes it holds (its length, or less
    /// for a sparse file: room is planned by it). By default the
    /// whole file is read at once.
    ///
    /// # Errors
    /// A message for a missing, unreadable, oversized or refused file.
    fn open(&self, rel: &str) -> Result<(Box<dyn std::io::Read + '_>, u64), String> {
        let bytes = self.read(rel)?;
        let len = bytes.len() as u64;
        Ok((Box::new(std::io::Cursor::new(bytes)), len))
    }

    /// The files on disk read so far, resolved (to watch for changes).
    fn files_read(&self) -> Vec<PathBuf> {
        Vec::new()
    }
}

/// A loaded dataset and the warnings that did not stop it.
#[derive(Debug)]
pub struct Loaded {
    /// The dataset.
    pub dataset: Dataset,
    /// Warnings (unsourced events, quotes that occur twice…).
    pub warnings: Vec<Diagnostic>,
}

/// How to load: what to report progress to, and whether the data was imported.
#[derive(Clone, Copy, Debug, Default)]
pub struct LoadOptions<'p> {
    /// Where to report the stages and item counts (shown by the UI).
    pub progress: Option<&'p Progress>,
    /// The format the data was imported from (`"TimelineJS"`): its events are
    /// expected to have no excerpts, so that is said once, not per event.
    pub imported_from: Option<&'static str>,
}

/// Files held in memory (an import's manifest), shown under a label.
#[derive(Debug)]
pub struct MemFiles {
    /// Shown as the folder in diagnostics.
    pub label: String,
    /// Relative path → contents.
    pub files: HashMap<String, Vec<u8>>,
}

impl DatasetFiles for MemFiles {
    fn display_path(&self, rel: &str) -> String {
        if rel == MANIFEST {
            self.label.clone()
        } else {
            format!("{}/{rel}", self.label)
        }
    }

    fn read(&self, rel: &str) -> Result<Vec<u8>, String> {
        self.files
            .get(rel)
            .cloned()
            .ok_or_else(|| "no such file".to_owned())
    }
}
