//! CSV export: a header and one row per event of the view.
//!
//! Columns: `id`, `title`, `time` (EDTF, exactly as the dataset has it),
//! `earliest` and `latest` (ISO days; empty for an open end), `precision`,
//! `category`, `place_ids`, `place_names`, `lon` and `lat` (of the first
//! place), `actors`, `outlets` (of the excerpts), `excerpts` (their count) and
//! `text`. Lists are joined with `"; "`.
//!
//! Every dataset is a stranger's, and a spreadsheet runs a cell that begins
//! with `=`, `+`, `-`, `@`, a tab or a carriage return as a formula (OWASP
//! "CSV Injection", CWE-1236). Such a text cell is written with a leading
//! `'`, which spreadsheets show as text; a cell that is a plain number (a
//! longitude of `-13.26`) stays a number. [`CsvOptions::raw`] writes every
//! cell as it is, for tools that are not spreadsheets;
//! [`CsvOptions::excel`] writes a byte order mark and CRLF line ends, so
//! that spreadsheets read the UTF-8 (Persian, Albanian ë and ç) as UTF-8.

use std::path::Path;

use crate::io::atomic::write_atomic;
use crate::io::view::{ExportSummary, View};

pub(crate) mod pos;

/// The header row.
pub const HEADER: [&str; 15] = [
    "id",
    "title",
    "time",
    "earliest",
    "latest",
    "precision",
    "category",
    "place_ids",
    "place_names",
    "lon",
    "lat",
    "actors",
    "outlets",
    "excerpts",
    "text",
];

/// How a CSV file is written.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CsvOptions {
    /// Every cell as it is, formula-like or not (for tools that are not
    /// spreadsheets).
    pub raw: bool,
    /// A byte order mark and CRLF line ends, for spreadsheets.
    pub excel: bool,
}

/// `cell`, made safe to open in a spreadsheet: a text that a spreadsheet
/// would run as a formula gets a leading `'`; plain numbers stay.
///
/// ```
/// use mapline::io::csv::neutralise;
/// assert_eq!(neutralise("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
/// assert_eq!(neutralise("-13.26"), "-13.26");
/// assert_eq!(neutralise("Tirana"), "Tirana");
/// ```
#[must_use]
pub fn neutralise(cell: &str) -> std::borrow::Cow<'_, str> {
    let risky = cell
        .chars()
        .next()
        .is_some_and(|c| matches!(c, '=' | '+' | '-' | '@' | '\t' | '\r'));
    let number = cell.parse::<f64>().is_ok_and(f64::is_finite)
        && cell
            .bytes()
            .all(|b| b.is_ascii_digit() || matches!(b, b'-' | b'+' | b'.' | b'e' | b'E'));
    if risky && !number {
        std::borrow::Cow::Owned(format!("'{cell}"))
    } else {
        std::borrow::Cow::Borrowed(cell)
    }
}

/// Writes the view's events as CSV to `out`, atomically, with spreadsheet-
/// safe cells and plain UTF-8 (the defaults of [`CsvOptions`]).
///
/// # Errors
/// An I/O error; `out` is then left as it was.
pub fn write(view: &View<'_>, out: &Path) -> std::io::Result<ExportSummary> {
    write_with(view, out, CsvOptions::default())
}

/// Writes the view's events as CSV to `out`, atomically, as `options` say.
///
/// # Errors
/// An I/O error; `out` is then left as it was.
pub fn write_with(
    view: &View<'_>,
    out: &Path,
    options: CsvOptions,
) -> std::io::Result<ExportSummary> {
    let bytes = to_bytes_with(view, options)?;
    write_atomic(out, &bytes)?;
    Ok(ExportSummary {
        events: view.events.len(),
        places: view.places().len(),
    })
}

/// The CSV text of the view, with the default [`CsvOptions`].
///
/// # Errors
/// Only if the CSV writer fails (it writes to memory).
pub fn to_bytes(view: &View<'_>) -> std::io::Result<Vec<u8>> {
    to_bytes_with(view, CsvOptions::default())
}

/// The CSV text of the view, as `options` say.
///
/// # Errors
/// Only if the CSV writer fails (it writes to memory).
pub fn to_bytes_with(view: &View<'_>, options: CsvOptions) -> std::io::Result<Vec<u8>> {
    let ds = view.dataset;
    let mut start = Vec::new();
    if options.excel {
        start.extend_from_slice("\u{feff}".as_bytes());
    }
    let mut w = csv::WriterBuilder::new()
        .terminator(if options.excel {
            csv::Terminator::CRLF
        } else {
            csv::Terminator::Any(b'\n')
        })
        .from_writer(start);
    w.write_record(HEADER)?;
    for &idx in view.events {
        let e = ds.event(idx);
        let places: Vec<_> = e.places().iter().map(|p| ds.place(p.place)).collect();
        let join = |items: Vec<&str>| items.join("; ");
        let mut outlets: Vec<&str> = Vec::new();
        for x in e.excerpts() {
            let outlet = ds.source(x.source).outlet.as_str();
            if !outlets.contains(&outlet) {
                outlets.push(outlet);
            }
        }
        let day = |d: Option<crate::model::Day>| d.map(crate::model::Day::iso).unwrap_or_default();
        let first = places.first();
        let row = [
            e.id().to_owned(),
            e.title().to_owned(),
            e.time().edtf().to_owned(),
            day(e.time().earliest()),
            day(e.time().latest()),
            e.time().precision().as_str().to_owned(),
            e.category().as_str().to_owned(),
            join(places.iter().map(|p| p.id.as_str()).collect()),
            join(places.iter().map(|p| p.name.as_str()).collect()),
            first.map(|p| p.lon.to_string()).unwrap_or_default(),
            first.map(|p| p.lat.to_string()).unwrap_or_default(),
            join(
                e.actors()
                    .iter()
                    .map(|&a| ds.actor(a).name.as_str())
                    .collect(),
            ),
            join(outlets),
            e.excerpts().len().to_string(),
            e.text().map(str::to_owned).unwrap_or_default(),
        ];
        if options.raw {
            w.write_record(&row)?;
        } else {
            w.write_record(row.iter().map(|c| neutralise(c).into_owned()))?;
        }
    }
    w.into_inner()
        .map_err(|e| std::io::Error::other(e.to_string()))
}
