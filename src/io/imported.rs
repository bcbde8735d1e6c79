//! What every importer shares, below the dispatcher in `import`: the
//! formats, what an importer finds ([`Found`]) and makes ([`Imported`]),
//! and the step from its typed entries through the one builder.

use std::collections::HashMap;
use std::fmt;

use super::diagnostic::{DatasetErrors, Diagnostic, LineIndex, TextPos};
use super::files::{LoadOptions, Loaded};
use super::format::Manifest;
use super::progress::Progress;

/// The formats mapline reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Format {
    /// A native dataset folder (`dataset.json` and `sources/`).
    Native,
    /// A TimelineJS JSON file.
    TimelineJsJson,
    /// A TimelineJS spreadsheet saved as CSV.
    TimelineJsCsv,
    /// An ACLED-style event CSV.
    AcledCsv,
    /// GeoJSON (points become places; features with a `time` become events).
    GeoJson,
}

impl Format {
    /// The name shown to the user.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Self::Native => "mapline dataset",
            Self::TimelineJsJson => "TimelineJS JSON",
            Self::TimelineJsCsv => "TimelineJS spreadsheet CSV",
            Self::AcledCsv => "ACLED CSV",
            Self::GeoJson => "GeoJSON",
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// What an importer made of its file: a native manifest (without sources,
/// but for the articles mapline's own TimelineJS export carries for its
/// claims), and warnings located in the file.
#[derive(Debug)]
pub struct Imported {
    /// The data, in the native shape.
    pub manifest: Manifest,
    /// Where each entry stands in the file, for the builder's diagnostics.
    pub offsets: crate::io::builder::EntryOffsets,
    /// Problems that did not stop the import, located in the imported file.
    pub warnings: Vec<Diagnostic>,
    /// The positions of the entries' offsets, when the importer found them
    /// so that the builder need not hold the file (a large ACLED CSV).
    pub positions: Option<LineIndex<'static>>,
    /// The articles the file carries (mapline's TimelineJS export), by the
    /// file name its sources give: the builder proves the quotes against them.
    pub articles: HashMap<String, Vec<u8>>,
}

/// What an importer finds in its file, each problem located by line and
/// column: shared by the importers.
pub(crate) struct Found<'t> {
    pub(crate) label: &'t str,
    pub(crate) text: &'t str,
    pub(crate) lines: std::borrow::Cow<'t, LineIndex<'t>>,
    pub(crate) errors: Vec<Diagnostic>,
    pub(crate) warnings: Vec<Diagnostic>,
}

impl<'t> Found<'t> {
    pub(crate) fn new(label: &'t str, text: &'t str) -> Self {
        Self {
            label,
            text,
            lines: std::borrow::Cow::Owned(LineIndex::new(text)),
            errors: Vec::new(),
            warnings: Vec::new(),
        }
    }

    /// A collector for one part of `text` whose line index is made already.
    pub(crate) fn with_lines(label: &'t str, text: &'t str, lines: &'t LineIndex<'t>) -> Self {
        Self {
            label,
            text,
            lines: std::borrow::Cow::Borrowed(lines),
            errors: Vec::new(),
            warnings: Vec::new(),
        }
    }

    pub(crate) fn error(&mut self, at: usize, item: &str, message: impl Into<String>) {
        let pos = self.lines.pos(at);
        self.errors
            .push(Diagnostic::error(self.label, pos, item, message));
    }

    pub(crate) fn warn(&mut self, at: usize, item: &str, message: impl Into<String>) {
        let pos = self.lines.pos(at);
        self.warnings
            .push(Diagnostic::warning(self.label, pos, item, message));
    }

    /// Reports every key that stands twice in one JSON object of the text
    /// (`found`, offsets from `base`, past a BOM), at the second, naming the
    /// first; `true` if any.
    pub(crate) fn report_duplicate_keys(
        &mut self,
        base: usize,
        found: &[super::json_keys::DuplicateKey],
    ) -> bool {
        for d in found {
            let first = self.lines.pos(base + d.first);
            self.error(
                base + d.second,
                &d.path,
                super::json_keys::message(d, first),
            );
        }
        !found.is_empty()
    }

    /// Byte offset of `inner`, a slice of the file's text.
    pub(crate) fn offset_of(&self, inner: &str) -> usize {
        (inner.as_ptr() as usize)
            .saturating_sub(self.text.as_ptr() as usize)
            .min(self.text.len())
    }
}

/// A manifest with a title and nothing else, for importers to fill.
#[must_use]
pub fn empty_manifest(title: String) -> Manifest {
    Manifest {
        schema: None,
        title,
        description: String::new(),
        sources: Vec::new(),
        actors: Vec::new(),
        places: Vec::new(),
        events: Vec::new(),
        events_file: None,
        claims: Vec::new(),
        eras: Vec::new(),
    }
}

/// Builds the dataset from an importer's typed entries with the one builder
/// that native data goes through, reporting at the entries' places in `text`,
/// the imported file (no second reading of the data).
///
/// # Errors
/// Only if the importer let through something the builder's checks refuse.
pub fn build(
    imported: Imported,
    label: &str,
    text: &str,
    format: Format,
    progress: Option<&Progress>,
) -> Result<Loaded, DatasetErrors> {
    if let Some(p) = progress {
        p.stage("Checking the imported data", 0);
    }
    let format_name = match format {
        Format::TimelineJsJson | Format::TimelineJsCsv => "TimelineJS",
        Format::AcledCsv => "ACLED CSV",
        Format::GeoJson => "GeoJSON",
        Format::Native => "a mapline dataset",
    };
    let options = LoadOptions {
        progress,
        imported_from: Some(format_name),
    };
    let lines = match imported.positions {
        Some(positions) => ("", positions),
        None => (text, LineIndex::new(text)),
    };
    let mut loaded = crate::io::builder::build_imported_with(
        label,
        lines,
        (imported.manifest, imported.articles),
        &imported.offsets,
        &options,
    )?;
    let mut warnings = imported.warnings;
    warnings.append(&mut loaded.warnings);
    loaded.warnings = warnings;
    Ok(loaded)
}

/// One error at a position in a file.
#[must_use]
pub fn one_error(label: &str, pos: TextPos, message: impl Into<String>) -> DatasetErrors {
    DatasetErrors(vec![Diagnostic::error(label, pos, "file", message)])
}
