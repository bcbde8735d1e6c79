//! Loading the native format: a folder with `dataset.json`, `sources/*.txt`
//! and optionally an events JSON Lines file.
//!
//! The loader proves every excerpt against its article, checks every
//! reference, and reports *every* problem it finds with its file, line,
//! column and item, never panicking on bad input.

use std::path::{Path, PathBuf};

pub use crate::io::builder::{EntryOffsets, build_imported, rebuild};
use crate::io::builder::{Loc, Span};
use crate::io::diagnostic::DatasetErrors;
use crate::io::format::Manifest;
use serde_json::value::RawValue;

pub(crate) mod careful;
pub(crate) mod fast;
pub mod write;

use careful::load_careful;
use fast::load_clean;

pub use crate::io::files::{
    DatasetFiles, LoadOptions, Loaded, MANIFEST, MAX_FILE_BYTES, MAX_STREAM_BYTES,
};

/// A dataset folder on disk: every file it names is resolved inside the
/// folder and read through [`super::guard`].
#[derive(Debug)]
pub struct DirFiles {
    root: PathBuf,
    read: std::sync::Mutex<Vec<PathBuf>>,
}

impl DirFiles {
    /// The folder at `root`.
    #[must_use]
    pub fn new(root: impl Into<PathBuf>) -> Self {
        Self {
            root: root.into(),
            read: std::sync::Mutex::new(Vec::new()),
        }
    }

    /// The resolved path of `rel`, once it is known to stay inside the
    /// folder, and remembered as read.
    fn checked_path(&self, rel: &str) -> Result<PathBuf, String> {
        let path = match super::guard::resolve_inside(&self.root, rel) {
            Ok(p) => p,
            Err(e) if e == "no such file" => {
                // Watched all the same: the file may be added later.
                let root = std::fs::canonicalize(&self.root).unwrap_or_else(|_| self.root.clone());
                self.remember(root.join(rel));
                return Err(if rel == MANIFEST {
                    describe_missing_manifest(&self.root)
                } else {
                    e
                });
            }
            Err(e) => return Err(e),
        };
        self.remember(path.clone());
        Ok(path)
    }

    fn remember(&self, path: PathBuf) {
        if let Ok(mut read) = self.read.lock()
            && !read.contains(&path)
        {
            read.push(path);
        }
    }
}

impl DatasetFiles for DirFiles {
    fn display_path(&self, rel: &str) -> String {
        self.root.join(rel).display().to_string()
    }

    fn read(&self, rel: &str) -> Result<Vec<u8>, String> {
        let path = self.checked_path(rel)?;
        super::guard::read_file(&path, MAX_FILE_BYTES)
    }

    fn open(&self, rel: &str) -> Result<(Box<dyn std::io::Read + '_>, u64), String> {
        let path = self.checked_path(rel)?;
        let open = super::guard::open_regular(&path, MAX_STREAM_BYTES)?;
        let len = open.held;
        Ok((
            Box::new(super::guard::Bounded::new(open.file, MAX_STREAM_BYTES)),
            len,
        ))
    }

    fn files_read(&self) -> Vec<PathBuf> {
        self.read.lock().map(|r| r.clone()).unwrap_or_default()
    }
}

/// Why a folder has no manifest to read, in words.
fn describe_missing_manifest(root: &Path) -> String {
    if !root.exists() {
        return "no such folder".to_owned();
    }
    if std::fs::read_dir(root).is_ok_and(|mut d| d.next().is_none()) {
        return format!(
            "the folder is empty: a mapline dataset folder holds {MANIFEST} and the articles under sources/"
        );
    }
    format!(
        "no {MANIFEST} in this folder: a mapline dataset folder holds {MANIFEST} and sources/*.txt"
    )
}

/// The dataset compiled into the binary (a folder's files, by relative path).
#[derive(Clone, Copy, Debug)]
pub struct EmbeddedFiles {
    dir: &'static include_dir::Dir<'static>,
    shown_as: &'static str,
}

impl EmbeddedFiles {
    /// Embedded files, shown in diagnostics under the folder name `shown_as`.
    #[must_use]
    pub const fn new(dir: &'static include_dir::Dir<'static>, shown_as: &'static str) -> Self {
        Self { dir, shown_as }
    }
}

impl DatasetFiles for EmbeddedFiles {
    fn display_path(&self, rel: &str) -> String {
        format!("{}/{rel}", self.shown_as)
    }

    fn read(&self, rel: &str) -> Result<Vec<u8>, String> {
        self.dir
            .get_file(rel)
            .map(|f| f.contents().to_vec())
            .ok_or_else(|| "no such file in the embedded dataset".to_owned())
    }
}

/// Loads the dataset folder at `path`.
///
/// # Errors
/// Every problem found, each with file, line, column and item.
pub fn load_dir(path: &Path) -> Result<Loaded, DatasetErrors> {
    load(&DirFiles::new(path))
}

/// The manifest with every item kept as raw JSON, to be read one by one.
type RawManifest<'a> =
    Manifest<&'a RawValue, &'a RawValue, &'a RawValue, &'a RawValue, &'a RawValue>;

/// Loads a dataset from `files`.
///
/// # Errors
/// Every problem found, each with file, line, column and item.
pub fn load(files: &dyn DatasetFiles) -> Result<Loaded, DatasetErrors> {
    load_with(files, &LoadOptions::default())
}

/// Loads a dataset from `files`, reporting progress.
///
/// A clean dataset is loaded in one streaming pass (see [`load_clean`]); at
/// the first sign of a problem the careful loader reads it all again to
/// report every problem with its exact place.
///
/// # Errors
/// Every problem found, each with file, line, column and item.
pub fn load_with(
    files: &dyn DatasetFiles,
    options: &LoadOptions<'_>,
) -> Result<Loaded, DatasetErrors> {
    if let Some(loaded) = load_clean(files, options) {
        return Ok(loaded);
    }
    load_careful(files, options)
}

/// The typed entries of a native dataset, the document an editor changes:
/// the manifest with the events of its events file appended (and
/// `events_file` cleared), ready for [`rebuild`]. Read by the careful
/// reading, the one way every item of a folder is read into its entry.
///
/// # Errors
/// Every problem, as the careful loader reports it, when an item does not
/// read.
pub fn entries_of(files: &dyn DatasetFiles) -> Result<Manifest, DatasetErrors> {
    fn entries_only<E>(list: Vec<(E, Span)>) -> Vec<E> {
        list.into_iter().map(|(e, _)| e).collect()
    }
    let options = LoadOptions::default();
    careful::read_careful(files, &options, |ctx, entries, schema| {
        if ctx.has_errors() {
            // Every problem, as a load would report it.
            let reading = DatasetErrors(std::mem::take(&mut ctx.diags));
            return Err(load_careful(files, &options).err().unwrap_or(reading));
        }
        Ok(Manifest {
            schema,
            title: entries.title,
            description: entries.description,
            sources: entries_only(entries.sources),
            actors: entries_only(entries.actors),
            places: entries_only(entries.places),
            events: entries.events,
            events_file: None,
            claims: entries_only(entries.claims),
            eras: entries.eras,
        })
    })
}
