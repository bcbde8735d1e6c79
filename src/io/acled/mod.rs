//! ACLED-style event CSV: one row per event, with the columns of an ACLED
//! export (`event_id_cnty`, `event_date`, `time_precision`, `event_type`,
//! `sub_event_type`, `actor1`, `actor2`, `country`, `location`, `latitude`,
//! `longitude`, `geo_precision`, `source`, `notes`, `fatalities`, …).
//!
//! Header names are matched case-insensitively and in any order; only
//! `event_date`, `latitude` and `longitude` are required (rows without an
//! `event_id_cnty` get `row-N` ids). Every problem is reported at the line and
//! column of its cell, with the item `row N (event_id_cnty X)`; a broken row is
//! skipped and the rest still checked.
//!
//! - `event_date` is a day in one of ACLED's forms (`2022-07-15`,
//!   `15 July 2022`, `15-July-2022`, `15 Jul 2022`), or else a timestamp as
//!   feeds write them: an ISO 8601 date-time (`2022-07-15T10:30:00Z`, any
//!   fraction and offset) or a Unix epoch number in seconds or milliseconds,
//!   kept as an EDTF date-time to the second ([`crate::io::stamp`]: the unit
//!   rule, `--time-unit`, and the one warning that says which unit was taken).
//! - `time_precision` 1 is the day (or the date-time); 2 ("within a week of
//!   it") becomes the interval of that day ± 7 days; 3 ("within its month")
//!   becomes the month.
//!   Both say so in the event's `time_note`.
//! - Places are de-duplicated by (location name, coordinates); their kind and
//!   precision follow `geo_precision`.
//! - `actor1`, `actor2` and the associated actors become actors, de-duplicated
//!   by name; state forces (`inter` 1, or "Military/Police Forces of …") are
//!   government bodies, everyone else a group.
//! - `notes` (with `Fatalities: N` and the tags after it) is the event's text,
//!   `event_type / sub_event_type` its type, `source` its attribution and
//!   `disorder_type` its group.

use csv::StringRecord;
use rustc_hash::FxHashMap;
use std::path::Path;

use crate::io::csv::pos::skip_line_ends;
use crate::io::diagnostic::{DatasetErrors, Diagnostic, LineIndex, TextPos};
use crate::io::format::{ActorEntry, EventEntry, PlaceEntry};
pub(crate) use crate::io::ids::{UniqueIds, slug};
use crate::io::imported::{Imported, empty_manifest, one_error};
use crate::io::stamp::{ReadOptions, TimeUnit};
pub(crate) mod cells;
pub mod chunks;
mod cols;
pub(crate) mod fast;
pub mod generate;
mod notes;
mod rows;
mod stamps;

pub(crate) use cols::Cols;
pub(crate) use rows::{Row, check_row, non_empty, read_row};

/// Columns an ACLED CSV must have.
pub(crate) const REQUIRED: [&str; 3] = ["event_date", "latitude", "longitude"];

/// Imports an ACLED-style CSV.
///
/// # Errors
/// Every problem found (a missing column, a row with the wrong number of
/// fields, a bad date, coordinate or `time_precision`, a duplicate event id),
/// each at the line and column of its cell.
pub fn import(text: &str, label: &str) -> Result<Imported, DatasetErrors> {
    import_in_chunks(text, label, chunks::CHUNK_BYTES)
}

/// [`import`], reading the rows in chunks of about `chunk_bytes` bytes in
/// parallel; any chunk size gives the same result.
///
/// # Errors
/// As [`import`].
pub fn import_in_chunks(
    text: &str,
    label: &str,
    chunk_bytes: usize,
) -> Result<Imported, DatasetErrors> {
    import_with(text, label, chunk_bytes, None, ReadOptions::default())
}

/// The streaming path alone ([`fast`]): the dataset of a file with no
/// problem at all, its rows read in chunks of about `chunk_bytes`; `None` at
/// the first problem, which [`import`] then reports. For tests and the
/// fuzzer, which hold it to what the careful path builds.
#[must_use]
pub fn load_clean_text(
    text: &str,
    label: &str,
    chunk_bytes: usize,
) -> Option<crate::io::native::Loaded> {
    fast::load_clean(
        text.as_bytes(),
        label,
        text.len() as u64,
        chunk_bytes,
        (None, ReadOptions::default()),
    )
}

/// [`import`], reporting how many of its chunks are read to `progress`,
/// read as `options` say (the unit of epoch times).
///
/// # Errors
/// As [`import`].
pub fn import_with_progress(
    text: &str,
    label: &str,
    progress: Option<&crate::io::progress::Progress>,
    options: ReadOptions,
) -> Result<Imported, DatasetErrors> {
    import_with(text, label, chunks::CHUNK_BYTES, progress, options)
}

fn import_with(
    text: &str,
    label: &str,
    chunk_bytes: usize,
    progress: Option<&crate::io::progress::Progress>,
    options: ReadOptions,
) -> Result<Imported, DatasetErrors> {
    import_from(
        text.as_bytes(),
        label,
        text.len() as u64,
        chunk_bytes,
        (progress, options),
    )
}

/// The header's facts, read from the first block.
struct HeaderFacts {
    cols: Cols,
    width: usize,
    has_ids: bool,
    /// Where the header stands.
    at: usize,
    pos: TextPos,
}

/// Reads the header of the first block `text` (which may start with a
/// BOM); the header's facts and where the rows start.
fn read_header(label: &str, text: &str) -> Result<(HeaderFacts, usize), DatasetErrors> {
    let body = text.strip_prefix('\u{feff}').unwrap_or(text);
    let base = text.len() - body.len();
    let mut cx = Cx::new(label, text);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(body.as_bytes());
    let mut header = StringRecord::new();
    match reader.read_record(&mut header) {
        Ok(false) => {
            return Err(one_error(
                label,
                TextPos::START,
                "the file is empty: an ACLED CSV starts with a header row (event_id_cnty, event_date, …, latitude, longitude, …)",
            ));
        }
        Err(e) => return Err(DatasetErrors(vec![cx.csv_error(base, &e)])),
        Ok(true) => {}
    }
    let mut columns: FxHashMap<String, usize> = FxHashMap::default();
    for (i, name) in header.iter().enumerate() {
        columns.entry(name.trim().to_ascii_lowercase()).or_insert(i);
    }
    let header_at = header.position().map_or(base, |p| base + p.byte() as usize);
    if crate::io::csv::pos::duplicate_column(&mut cx, &header, header_at, |n| {
        n.trim().trim_start_matches('\u{feff}').to_ascii_lowercase()
    }) {
        return Err(DatasetErrors(cx.errors));
    }
    let missing: Vec<&str> = REQUIRED
        .iter()
        .copied()
        .filter(|c| !columns.contains_key(*c))
        .collect();
    if !missing.is_empty() {
        return Err(DatasetErrors(vec![Diagnostic::error(
            label,
            cx.lines.pos(header_at),
            "header",
            format!(
                "missing column(s) {}: an ACLED CSV needs event_date, latitude and longitude",
                missing.join(", ")
            ),
        )]));
    }
    let facts = HeaderFacts {
        cols: Cols::of(&columns),
        width: header.len(),
        has_ids: columns.contains_key("event_id_cnty"),
        at: header_at,
        pos: cx.lines.pos(header_at),
    };
    Ok((facts, base + reader.position().byte() as usize))
}

/// `bytes`, a block of the file starting at byte `base` and after
/// `line_base` lines, as text, or where it is not UTF-8.
fn utf8_block<'b>(
    label: &str,
    bytes: &'b [u8],
    base: usize,
    line_base: usize,
) -> Result<&'b str, DatasetErrors> {
    std::str::from_utf8(bytes).map_err(|e| {
        let valid = std::str::from_utf8(&bytes[..e.valid_up_to()]).unwrap_or_default();
        one_error(
            label,
            LineIndex::with_base_line(valid, line_base).pos(valid.len()),
            format!(
                "the file is not UTF-8 text (invalid byte at byte offset {})",
                base + e.valid_up_to()
            ),
        )
    })
}

/// The error for a record that stops making sense at `at` in `buf`, which
/// starts after `line_base` lines and `records` records of the file: at its
/// line and column, naming its row.
fn stray_record(
    label: &str,
    buf: &[u8],
    (line_base, records): (usize, usize),
    at: usize,
    message: &str,
) -> DatasetErrors {
    let before = &buf[..at];
    let pos = TextPos::of_byte(buf, at);
    let pos = TextPos {
        line: line_base + pos.line,
        ..pos
    };
    let row = records + chunks::records_in(before);
    let item = if row == 0 {
        "header".to_owned()
    } else {
        format!("row {row}")
    };
    DatasetErrors(vec![Diagnostic::error(label, pos, item, message)])
}

/// Imports an ACLED-style CSV read from `reader` (about `size_hint` bytes)
/// in blocks of whole records: each block's rows are read in chunks of about
/// `chunk_bytes` in parallel, merged, and the block let go, so a file of
/// millions of rows is never held whole. Any chunk size gives the same result.
/// Progress is reported to `progress`; epoch times read as `options` say.
///
/// # Errors
/// As [`import`], and a read error or text that is not UTF-8.
pub fn import_from(
    reader: impl std::io::Read,
    label: &str,
    size_hint: u64,
    chunk_bytes: usize,
    (progress, options): (Option<&crate::io::progress::Progress>, ReadOptions),
) -> Result<Imported, DatasetErrors> {
    let chunk_bytes = chunk_bytes.max(1);
    let block_bytes = chunk_bytes.saturating_mul(rayon::current_num_threads().max(1));
    let blocks = usize::try_from(size_hint).unwrap_or(usize::MAX) / block_bytes + 1;
    if let Some(p) = progress {
        p.stage("Reading the rows", blocks);
    }
    let mut records = crate::io::blocks::Blocks::new(
        reader,
        block_bytes,
        chunks::MAX_RECORD_BYTES,
        chunks::last_record_end,
    );
    let mut buf: Vec<u8> = Vec::new();
    // The file offset and line number where `buf` starts.
    let (mut base, mut line_base) = (0usize, 0usize);
    let mut header: Option<HeaderFacts> = None;
    let mut merger = chunks::Merger::default();
    // A block read and waiting to be merged.
    let mut waiting: Option<chunks::Block> = None;
    let mut spare: Option<Vec<u8>> = None;
    let mut done = 0;
    // Records (the header's among them) before `buf`.
    let mut records_base = 0usize;
    loop {
        use crate::io::blocks::Stop;
        let stray = |buf: &[u8], at: usize, message: &str| {
            stray_record(label, buf, (line_base, records_base), at, message)
        };
        match records.next_into(&mut buf) {
            Ok(true) => {}
            Ok(false) => break,
            Err(Stop::Read(e)) => {
                return Err(one_error(
                    label,
                    TextPos::START,
                    crate::io::guard::describe(&e),
                ));
            }
            // Text never holds a NUL byte: a file padded with zeros (or not
            // text at all) stops here, not after gigabytes of them.
            Err(Stop::Nul(at)) => {
                return Err(stray(
                    &buf,
                    at,
                    &format!(
                        "a NUL byte at byte offset {}: this is not CSV text (a file cut short and padded with zeros, or not a CSV at all); reading stopped here",
                        base + at
                    ),
                ));
            }
            Err(Stop::TooLong(record_start)) => {
                return Err(stray(
                    &buf,
                    record_start,
                    &format!(
                        "the record that starts at byte offset {} runs past {} bytes without ending (no real row is that long): is a quote never closed? Reading stopped here",
                        base + record_start,
                        chunks::MAX_RECORD_BYTES
                    ),
                ));
            }
        }
        let cut = buf.len();
        records_base += chunks::records_in(&buf);
        // The block goes out of `buf`, which takes the buffer of the block
        // merged last (a buffer for each block would be fresh memory each
        // time, and slower than reusing one).
        let bytes = std::mem::replace(&mut buf, spare.take().unwrap_or_default());
        let start = if header.is_none() {
            let text = utf8_block(label, &bytes, base, line_base)?;
            let (facts, start) = read_header(label, text)?;
            header = Some(facts);
            start
        } else {
            0
        };
        let Some(facts) = header.as_ref() else {
            return Err(one_error(
                label,
                TextPos::START,
                "the file has no header row",
            ));
        };
        let cols = chunks::Header {
            cols: &facts.cols,
            width: facts.width,
            has_ids: facts.has_ids,
            time_unit: options.time_unit,
        };
        // This block's rows are read while the one before is merged.
        let (read, ()) = rayon::join(
            || {
                let text = utf8_block(label, &bytes, base, line_base)?;
                let lines = LineIndex::with_base_line(text, line_base);
                let parts = chunks::read_parts((text, &lines), start, chunk_bytes, &cols);
                Ok::<_, DatasetErrors>((parts, lines.line_breaks()))
            },
            || {
                if let Some(block) = waiting.take() {
                    spare = Some(merger.merge_block(label, block, &cols));
                }
            },
        );
        let (parts, breaks) = read?;
        if base == 0 && !records.read_all() && cut > 0 {
            // Room for the whole file's events, judged from the first block.
            let per_byte = chunks::events_in(&parts) as f64 / cut as f64;
            // A file's reported size is a stranger's word: never room for
            // more than two million events ahead (the lists grow past that).
            let events = (per_byte * size_hint as f64 * 1.05) as usize;
            merger.expect(events.min(2_000_000));
        }
        waiting = Some(chunks::Block {
            bytes,
            base,
            line_base,
            parts,
        });
        done += 1;
        if let Some(p) = progress {
            if p.is_cancelled() {
                return Err(crate::io::progress::cancelled());
            }
            p.set_done(done);
        }
        line_base += breaks;
        base += cut;
    }
    let Some(facts) = header else {
        return Err(one_error(
            label,
            TextPos::START,
            "the file has no header row",
        ));
    };
    if let Some(block) = waiting {
        merger.merge_block(
            label,
            block,
            &chunks::Header {
                cols: &facts.cols,
                width: facts.width,
                has_ids: facts.has_ids,
                time_unit: options.time_unit,
            },
        );
    }
    let chunks::Merger {
        state,
        errors,
        mut warnings,
        mut positions,
        ..
    } = merger;
    if !errors.is_empty() {
        return Err(DatasetErrors(errors));
    }
    if let Some((pos, message)) = state.epochs.warning() {
        warnings.push(Diagnostic::warning(label, pos, "dataset", message));
    }
    if state.events.is_empty() {
        warnings.push(Diagnostic::warning(
            label,
            facts.pos,
            "dataset",
            "the file has a header but no event rows",
        ));
    }
    let name = file_name(label);
    let mut manifest = empty_manifest(format!("{name} (ACLED)"));
    manifest.description = format!(
        "Imported from the ACLED-style CSV {name}: {} event(s) at {} place(s).",
        state.events.len(),
        state.places.len()
    );
    manifest.places = state.places;
    manifest.actors = state.actors;
    manifest.events = state.events;
    // The builder reports at the entries' offsets only: their positions,
    // found while each block was held, stand in for the file.
    positions.push((facts.at, facts.pos));
    Ok(Imported {
        manifest,
        offsets: state.offsets,
        warnings,
        positions: Some(LineIndex::from_positions(positions)),
        articles: std::collections::HashMap::new(),
    })
}

/// The file name of a label that is a path (the label itself otherwise).
pub(crate) fn file_name(label: &str) -> String {
    Path::new(label)
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or(label)
        .to_owned()
}

pub(crate) type Cx<'t> = crate::io::imported::Found<'t>;

impl Cx<'_> {
    /// A CSV reader error, at the record it happened in.
    pub(crate) fn csv_error(&self, base: usize, e: &csv::Error) -> Diagnostic {
        let at = e.position().map_or(base, |p| base + p.byte() as usize);
        let at = skip_line_ends(self.text, at);
        Diagnostic::error(self.label, self.lines.pos(at), "file", e.to_string())
    }
}

/// What the rows made so far.
#[derive(Default)]
pub(crate) struct State {
    pub(crate) events: Vec<EventEntry>,
    pub(crate) places: Vec<PlaceEntry>,
    pub(crate) actors: Vec<ActorEntry>,
    /// Location name → (lat bits, lon bits, index in `places`) of each
    /// place so named.
    pub(crate) place_keys: FxHashMap<String, Vec<(u64, u64, u32)>>,
    pub(crate) place_ids: UniqueIds,
    /// Actor name → index in `actors`.
    pub(crate) actor_names: FxHashMap<String, u32>,
    pub(crate) actor_ids: UniqueIds,
    /// Where each entry was first seen.
    pub(crate) offsets: crate::io::native::EntryOffsets,
    /// How epoch numbers in `event_date` are read.
    pub(crate) time_unit: TimeUnit,
    /// The epoch numbers whose unit was guessed, for the file's one warning.
    pub(crate) epochs: crate::io::stamp::Tally<TextPos>,
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::cells::parse_date;
    use chrono::{Datelike as _, NaiveDate};

    #[test]
    fn dates_in_every_documented_form() {
        let d = NaiveDate::from_ymd_opt(2022, 7, 15);
        for s in [
            "2022-07-15",
            "15 July 2022",
            "15-July-2022",
            "15 Jul 2022",
            "15-Jul-2022",
            "15/jul/2022",
        ] {
            assert_eq!(parse_date(s), d, "{s}");
        }
        for s in [
            "2022-02-30",
            "32 July 2022",
            "July 15 2022",
            "15 Juli 2022",
            "15-07-22",
            "",
        ] {
            assert_eq!(parse_date(s), None, "{s}");
        }
    }

    #[test]
    fn days_are_spelled_as_chrono_spells_them() {
        let spelled = |d: NaiveDate| format!("{:04}-{:02}-{:02}", d.year(), d.month(), d.day());
        let mut d = NaiveDate::from_ymd_opt(2021, 12, 25).unwrap();
        for _ in 0..800 {
            assert_eq!(super::cells::iso_day(d), spelled(d));
            d = d.succ_opt().unwrap();
        }
        for (y, m, day) in [
            (1, 1, 1),
            (9, 2, 3),
            (999, 10, 31),
            (9999, 12, 31),
            (0, 12, 28),
        ] {
            let d = NaiveDate::from_ymd_opt(y, m, day).unwrap();
            assert_eq!(super::cells::iso_day(d), spelled(d));
        }
        // Past year 9999 and before year 0, as chrono spells them (for the error).
        for d in [
            NaiveDate::from_ymd_opt(10000, 1, 4).unwrap(),
            NaiveDate::from_ymd_opt(-1, 12, 28).unwrap(),
        ] {
            assert_eq!(super::cells::iso_day(d), spelled(d));
        }
    }

    #[test]
    fn field_starts_skip_quotes() {
        let text = "a,\"b, \"\"c\"\"\",d\nx";
        let (starts, end) = crate::io::csv::pos::field_starts(text, 0);
        assert_eq!(starts, vec![0, 3, 13]);
        assert_eq!(end, 14);
    }
}
