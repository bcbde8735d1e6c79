//! Writing the current view (events in the time window that the filters let
//! through) in formats other tools read: CSV, GeoJSON, TimelineJS JSON, and
//! the native dataset folder. Every write is atomic: a failed export never
//! leaves a half-written file.

use std::fmt;
use std::path::Path;
use std::str::FromStr;

pub use crate::io::view::{ExportSummary, View};

/// The formats mapline writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ExportFormat {
    /// One row per event.
    Csv,
    /// A FeatureCollection: places as points, events as features with EDTF and ISO bounds.
    GeoJson,
    /// TimelineJS JSON, with the exact EDTF under a `mapline` key.
    TimelineJs,
    /// A native dataset folder (`dataset.json` and `sources/`).
    Native,
}

impl ExportFormat {
    /// Every format, in menu order.
    pub const ALL: [Self; 4] = [Self::Csv, Self::GeoJson, Self::TimelineJs, Self::Native];

    /// The word used on the command line.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Csv => "csv",
            Self::GeoJson => "geojson",
            Self::TimelineJs => "timelinejs",
            Self::Native => "native",
        }
    }

    /// The usual file extension (none for a folder).
    #[must_use]
    pub fn extension(self) -> Option<&'static str> {
        match self {
            Self::Csv => Some("csv"),
            Self::GeoJson => Some("geojson"),
            Self::TimelineJs => Some("json"),
            Self::Native => None,
        }
    }
}

impl fmt::Display for ExportFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for ExportFormat {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|f| f.as_str().eq_ignore_ascii_case(s))
            .ok_or_else(|| {
                format!("unknown format {s:?}: expected csv, geojson, timelinejs or native")
            })
    }
}

/// Writes `view` in `format` to `out` (a file, or a folder for `Native`).
///
/// # Errors
/// An I/O error; `out` is then left as it was.
pub fn export(view: &View<'_>, format: ExportFormat, out: &Path) -> std::io::Result<ExportSummary> {
    export_with(view, format, out, ExportOptions::default())
}

/// How the formats that have choices are written.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ExportOptions {
    /// CSV: raw cells, and for spreadsheets.
    pub csv: crate::io::csv::CsvOptions,
}

/// Writes `view` in `format` to `out`, as `options` say.
///
/// # Errors
/// An I/O error; `out` is then left as it was.
pub fn export_with(
    view: &View<'_>,
    format: ExportFormat,
    out: &Path,
    options: ExportOptions,
) -> std::io::Result<ExportSummary> {
    match format {
        ExportFormat::Csv => crate::io::csv::write_with(view, out, options.csv),
        ExportFormat::GeoJson => crate::io::geojson::write::write(view, out),
        ExportFormat::TimelineJs => crate::io::timelinejs::write::write(view, out),
        ExportFormat::Native => crate::io::native::write::write(view, out),
    }
}
