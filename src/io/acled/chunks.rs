//! Reading an ACLED file in chunks, in parallel, and merging them in order
//! into what one pass over the whole file would make: the same ids, the same
//! place and actor order, the same diagnostics in the same order, whatever
//! the number of threads or where the chunks fall.
//!
//! A chunk ends at a line break outside quotes (a notes cell may hold line
//! breaks), found by one fast scan of the quotes and line breaks. Each chunk
//! is read with its own row numbers, places and actors; the merge renumbers
//! the rows, gives places and actors their ids in order of first appearance,
//! and checks event ids across chunks.

use csv::StringRecord;
use rayon::prelude::*;
use rustc_hash::FxHashMap;

use super::{Cols, Cx, Row, State, UniqueIds, read_row, slug};
use crate::io::csv::pos::{field_starts, skip_line_ends};
use crate::io::diagnostic::{Diagnostic, LineIndex};

/// A chunk is about this many bytes (a small file is one chunk).
pub const CHUNK_BYTES: usize = 4 << 20;

/// Byte ranges of `text` from `start`, each about `size` bytes, each ending
/// just after a line break that stands outside quotes (or at the end).
#[must_use]
pub fn record_chunks(text: &str, start: usize, size: usize) -> Vec<std::ops::Range<usize>> {
    let bytes = text.as_bytes();
    let size = size.max(1);
    let mut chunks = Vec::new();
    let mut from = start.min(bytes.len());
    let mut in_quotes = false;
    let mut i = from;
    while i < bytes.len() {
        let Some(j) = memchr::memchr2(b'"', b'\n', &bytes[i..]) else {
            break;
        };
        let at = i + j;
        if bytes[at] == b'"' {
            // "" inside a quoted field toggles twice: the parity stays right.
            in_quotes = !in_quotes;
        } else if !in_quotes && at + 1 - from >= size {
            chunks.push(from..at + 1);
            from = at + 1;
        }
        i = at + 1;
    }
    if from < bytes.len() || chunks.is_empty() {
        chunks.push(from..bytes.len());
    }
    chunks
}

/// The event id of a row of a chunk.
struct SeenId {
    id: String,
    /// Made from the row number (`row-N`), so renumbered in the merge.
    generated: bool,
    /// The local row number.
    row: usize,
    /// Where the row's record starts in the file.
    offset: usize,
    /// Did the row become an event?
    pushed: bool,
}

/// What one chunk made.
struct Part {
    state: State,
    rows: usize,
    seen: Vec<SeenId>,
    /// Each error and warning with the local row it is about.
    errors: Vec<(usize, Diagnostic)>,
    warnings: Vec<(usize, Diagnostic)>,
    /// The key of each local place, in order.
    place_keys: Vec<(String, u64, u64)>,
}

/// The header's facts every chunk needs.
pub(crate) struct Header<'h> {
    pub(crate) cols: &'h Cols,
    pub(crate) width: usize,
    pub(crate) has_ids: bool,
}

fn read_part(
    label: &str,
    text: &str,
    lines: &LineIndex<'_>,
    range: std::ops::Range<usize>,
    header: &Header<'_>,
) -> Part {
    let mut cx = Cx::with_lines(label, text, lines);
    let mut state = State::default();
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text[range.clone()].as_bytes());
    let mut record = StringRecord::new();
    let mut rows = 0;
    // At most a row a line: reserved once, not grown by doubling (a grown
    // list holds up to twice what it needs, and copies it on the way).
    let lines = memchr::memchr_iter(b'\n', &text.as_bytes()[range.clone()]).count() + 1;
    state.events.reserve_exact(lines);
    state.offsets.events.reserve_exact(lines);
    let mut seen = Vec::with_capacity(lines);
    let mut errors = Vec::new();
    let mut warnings = Vec::new();
    loop {
        rows += 1;
        let (e0, w0) = (cx.errors.len(), cx.warnings.len());
        match reader.read_record(&mut record) {
            Ok(true) => {}
            Ok(false) => {
                rows -= 1;
                break;
            }
            Err(e) => {
                let d = cx.csv_error(range.start, &e);
                cx.errors.push(d);
                errors.extend(cx.errors.drain(e0..).map(|d| (rows, d)));
                continue;
            }
        }
        if record.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        let offset = record
            .position()
            .map_or(range.start, |p| range.start + p.byte() as usize);
        let row = Row::new(rows, &record, header.cols, text, offset);
        let events_before = state.events.len();
        if let Some((id, generated)) =
            read_row(&mut cx, &mut state, &row, header.width, header.has_ids)
        {
            seen.push(SeenId {
                id,
                generated,
                row: rows,
                offset,
                pushed: state.events.len() > events_before,
            });
        }
        errors.extend(cx.errors.drain(e0..).map(|d| (rows, d)));
        warnings.extend(cx.warnings.drain(w0..).map(|d| (rows, d)));
    }
    let place_keys = state
        .places
        .iter()
        .map(|p| {
            (
                p.name.clone(),
                (p.lat + 0.0).to_bits(),
                (p.lon + 0.0).to_bits(),
            )
        })
        .collect();
    Part {
        state,
        rows,
        seen,
        errors,
        warnings,
        place_keys,
    }
}

/// `row N…` with the local row number made global.
fn renumber(text: &str, local: usize, offset: usize) -> String {
    let old = format!("row {local}");
    match text.strip_prefix(&old) {
        Some(rest) if rest.is_empty() || rest.starts_with(' ') => {
            format!("row {}{rest}", local + offset)
        }
        _ => text.to_owned(),
    }
}

/// Reads the body of an ACLED file (`start..`, after the header) in chunks
/// of about `size` bytes, in parallel, into `cx` and a merged [`State`].
pub(crate) fn read_body(
    cx: &mut Cx<'_>,
    start: usize,
    size: usize,
    header: &Header<'_>,
    progress: Option<&crate::io::progress::Progress>,
) -> State {
    let (label, text) = (cx.label, cx.text);
    let lines = &cx.lines;
    let ranges = record_chunks(text, start, size);
    if let Some(p) = progress {
        p.stage("Reading the rows", ranges.len());
    }
    let done = std::sync::atomic::AtomicUsize::new(0);
    let parts: Vec<Part> = ranges
        .into_par_iter()
        .map(|range| {
            let part = read_part(label, text, lines, range, header);
            if let Some(p) = progress {
                p.set_done(done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1);
            }
            part
        })
        .collect();
    if let Some(p) = progress {
        p.stage("Merging the rows", 0);
    }
    let mut parts = parts;
    let duplicates = duplicate_ids(&mut parts);
    let mut state = State::default();
    let events: usize = parts.iter().map(|p| p.state.events.len()).sum();
    state.events.reserve_exact(events);
    state.offsets.events.reserve_exact(events);
    let mut place_ids = UniqueIds::default();
    let mut actor_ids = UniqueIds::default();
    let mut place_keys: FxHashMap<(String, u64, u64), String> = FxHashMap::default();
    let mut actor_names: FxHashMap<String, String> = FxHashMap::default();
    let mut offset = 0;
    for (n, part) in parts.into_iter().enumerate() {
        let Part {
            state: local,
            rows,
            seen,
            errors,
            warnings,
            place_keys: keys,
        } = part;
        // Places and actors get their ids in order of first appearance.
        let mut place_of: FxHashMap<String, String> = FxHashMap::default();
        for ((mut p, key), at) in local.places.into_iter().zip(keys).zip(local.offsets.places) {
            let id = if let Some(id) = place_keys.get(&key) {
                id.clone()
            } else {
                let id = place_ids.fresh(&slug(&p.name, "place"));
                place_keys.insert(key, id.clone());
                let local_id = std::mem::replace(&mut p.id, id.clone());
                place_of.insert(local_id, id.clone());
                state.offsets.places.push(at);
                state.places.push(p);
                continue;
            };
            place_of.insert(p.id, id);
        }
        let mut actor_of: FxHashMap<String, String> = FxHashMap::default();
        for (mut a, at) in local.actors.into_iter().zip(local.offsets.actors) {
            let id = if let Some(id) = actor_names.get(&a.name) {
                id.clone()
            } else {
                let id = actor_ids.fresh(&slug(&a.name, "actor"));
                actor_names.insert(a.name.clone(), id.clone());
                let local_id = std::mem::replace(&mut a.id, id.clone());
                actor_of.insert(local_id, id.clone());
                state.offsets.actors.push(at);
                state.actors.push(a);
                continue;
            };
            actor_of.insert(a.id, id);
        }
        // Event ids across chunks, and the diagnostics in row order with
        // each duplicate's error first in its row.
        let mut errors = errors.into_iter().peekable();
        let mut events = local.events.into_iter().zip(local.offsets.events);
        for (k, s) in seen.into_iter().enumerate() {
            while let Some((_, d)) = errors.next_if(|(row, _)| *row < s.row) {
                cx.errors.push(relabel(d, offset));
            }
            let id = s.id;
            let event = if s.pushed { events.next() } else { None };
            if let Some(&first) = duplicates.get(&(n, k)) {
                let row = s.row + offset;
                let item = if s.generated {
                    format!("row {row}")
                } else {
                    format!("row {row} (event_id_cnty {id})")
                };
                let first = cx.lines.pos(skip_line_ends(text, first)).line;
                let (starts, end) = field_starts(text, s.offset);
                let at = header
                    .cols
                    .index("event_id_cnty")
                    .and_then(|i| starts.get(i).copied())
                    .unwrap_or(end);
                cx.errors.push(Diagnostic::error(
                    label,
                    cx.lines.pos(at),
                    item,
                    format!("duplicate event id {id:?} (first on line {first})"),
                ));
                continue;
            }
            if let Some((mut e, at)) = event {
                e.id = id;
                for p in &mut e.places {
                    if let Some(global) = place_of.get(&p.place) {
                        p.place.clone_from(global);
                    }
                }
                for a in &mut e.actors {
                    if let Some(global) = actor_of.get(a) {
                        a.clone_from(global);
                    }
                }
                state.offsets.events.push(at);
                state.events.push(e);
            }
        }
        cx.errors.extend(errors.map(|(_, d)| relabel(d, offset)));
        cx.warnings
            .extend(warnings.into_iter().map(|(_, d)| relabel(d, offset)));
        offset += rows;
    }
    state
}

/// Gives the rows without an `event_id_cnty` their ids (`row-N`, N counted
/// over the whole file), and finds each row whose id an earlier row has:
/// (part, its index among the part's ids) → where that earlier row starts.
fn duplicate_ids(parts: &mut [Part]) -> FxHashMap<(usize, usize), usize> {
    let mut offset = 0;
    for part in parts.iter_mut() {
        for s in part.seen.iter_mut().filter(|s| s.generated) {
            s.id = format!("row-{}", s.row + offset);
        }
        offset += part.rows;
    }
    let total: usize = parts.iter().map(|p| p.seen.len()).sum();
    let mut first: FxHashMap<&str, usize> = FxHashMap::default();
    first.reserve(total);
    let mut duplicates = FxHashMap::default();
    for (n, part) in parts.iter().enumerate() {
        for (k, s) in part.seen.iter().enumerate() {
            match first.entry(s.id.as_str()) {
                std::collections::hash_map::Entry::Occupied(o) => {
                    duplicates.insert((n, k), *o.get());
                }
                std::collections::hash_map::Entry::Vacant(v) => {
                    v.insert(s.offset);
                }
            }
        }
    }
    duplicates
}

/// A chunk's diagnostic with its row numbers made global.
fn relabel(mut d: Diagnostic, offset: usize) -> Diagnostic {
    if offset == 0 {
        return d;
    }
    if let Some(n) = d
        .item
        .strip_prefix("row ")
        .and_then(|r| r.split(' ').next())
        .and_then(|n| n.parse::<usize>().ok())
    {
        d.item = renumber(&d.item, n, offset);
        let old = format!("called row-{n}");
        if d.message.contains(&old) {
            d.message = d
                .message
                .replace(&old, &format!("called row-{}", n + offset));
        }
    }
    d
}
