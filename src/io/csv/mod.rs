//! CSV export: a header and one row per event of the view.
//!
//! Columns: `id`, `title`, `time` (EDTF, exactly as the dataset has it),
//! `earliest` and `latest` (ISO days; empty for an open end), `precision`,
//! `category`, `place_ids`, `place_names`, `lon` and `lat` (of the first
//! place), `actors`, `outlets` (of the excerpts), `excerpts` (their count) and
//! `text`. Lists are joined with `"; "`.

use std::path::Path;

use crate::io::atomic::write_atomic;
use crate::io::export::{ExportSummary, View};

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

/// Writes the view's events as CSV to `out`, atomically.
///
/// # Errors
/// An I/O error; `out` is then left as it was.
pub fn write(view: &View<'_>, out: &Path) -> std::io::Result<ExportSummary> {
    let bytes = to_bytes(view)?;
    write_atomic(out, &bytes)?;
    Ok(ExportSummary {
        events: view.events.len(),
        places: view.places().len(),
    })
}

/// The CSV text of the view.
///
/// # Errors
/// Only if the CSV writer fails (it writes to memory).
pub fn to_bytes(view: &View<'_>) -> std::io::Result<Vec<u8>> {
    let ds = view.dataset;
    let mut w = csv::Writer::from_writer(Vec::new());
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
        w.write_record([
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
        ])?;
    }
    w.into_inner()
        .map_err(|e| std::io::Error::other(e.to_string()))
}
