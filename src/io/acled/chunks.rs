//! Reading an ACLED file in chunks, in parallel, and merging them in order
//! into what one pass over the whole file would make: the same ids, the same
//! place and actor order, the same diagnostics in the same order, whatever
//! the number of threads or where the chunks fall.
//!
//! A chunk ends at a line break outside quotes (a notes cell may hold line
//! breaks), found by one fast scan of the quotes and line breaks. Each chunk
//! is read with its own row numbers, places and actors; its problems keep
//! their row as a number ([`super::notes`]). The merge makes their text with
//! the row's number in the whole file, gives places and actors their ids in
//! order of first appearance, and checks event ids across chunks.

use csv::StringRecord;
use rayon::prelude::*;
use rustc_hash::FxHashMap;

use super::notes::{Note, Notes};
use super::{Cols, Row, State, UniqueIds, read_row, slug};
use crate::io::csv::pos::{field_starts, skip_line_ends};
use crate::io::diagnostic::TextPos;
use crate::io::diagnostic::{Diagnostic, LineIndex};

/// A chunk is about this many bytes (a small file is one chunk).
pub const CHUNK_BYTES: usize = 4 << 20;

/// Byte ranges of `text` from `start`, each about `size` bytes, each ending
/// just after a line break that stands outside quotes (or at the end).
#[must_use]
pub fn record_chunks(text: &str, start: usize, size: usize) -> Vec<std::ops::Range<usize>> {
    record_byte_chunks(text.as_bytes(), start, size)
}

/// [`record_chunks`] of bytes: each range ends just after a line break, so
/// a range of UTF-8 text is UTF-8 text.
#[must_use]
pub fn record_byte_chunks(bytes: &[u8], start: usize, size: usize) -> Vec<std::ops::Range<usize>> {
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
    /// Where the row's record starts in the block, and its line.
    offset: usize,
    line: usize,
    /// Did the row become an event?
    pushed: bool,
}

/// What one chunk made.
pub(crate) struct Part {
    state: State,
    rows: usize,
    seen: Vec<SeenId>,
    /// Each error and warning, with the local row it is about as a number.
    errors: Vec<Note>,
    warnings: Vec<Note>,
    /// The key of each local place, in order.
    place_keys: Vec<(String, u64, u64)>,
    /// The positions of the local events', places' and actors' offsets,
    /// found here, on every core, rather than in the merge.
    positions: [Vec<TextPos>; 3],
}

/// The header's facts every chunk needs.
pub(crate) struct Header<'h> {
    pub(crate) cols: &'h Cols,
    pub(crate) width: usize,
    pub(crate) has_ids: bool,
    /// How epoch numbers in `event_date` are read.
    pub(crate) time_unit: crate::io::stamp::TimeUnit,
}

fn read_part(
    text: &str,
    lines: &LineIndex<'_>,
    range: std::ops::Range<usize>,
    header: &Header<'_>,
) -> Part {
    let mut notes = Notes::new(lines);
    let mut state = State {
        time_unit: header.time_unit,
        ..State::default()
    };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text[range.clone()].as_bytes());
    let mut record = StringRecord::new();
    let mut rows = 0;
    // At most a row a line: reserved once, not grown by doubling (a grown
    // list holds up to twice what it needs, and copies it on the way).
    let most = memchr::memchr_iter(b'\n', &text.as_bytes()[range.clone()]).count() + 1;
    state.events.reserve_exact(most);
    state.offsets.events.reserve_exact(most);
    let mut seen = Vec::with_capacity(most);
    loop {
        rows += 1;
        match reader.read_record(&mut record) {
            Ok(true) => {}
            Ok(false) => {
                rows -= 1;
                break;
            }
            Err(e) => {
                notes.csv_error(rows, text, range.start, &e);
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
            read_row(&mut notes, &mut state, &row, header.width, header.has_ids)
        {
            seen.push(SeenId {
                id,
                generated,
                row: rows,
                offset,
                line: lines.pos(skip_line_ends(text, offset)).line,
                pushed: state.events.len() > events_before,
            });
        }
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
    let at = |offsets: &[usize]| lines.positions(offsets);
    let positions = [
        at(&state.offsets.events),
        at(&state.offsets.places),
        at(&state.offsets.actors),
    ];
    Part {
        state,
        rows,
        seen,
        errors: notes.errors,
        warnings: notes.warnings,
        place_keys,
        positions,
    }
}

/// What the blocks read so far make, merged in file order.
#[derive(Default)]
pub(crate) struct Merger {
    /// Events, places and actors with their ids, and their file offsets.
    pub(crate) state: State,
    pub(crate) errors: Vec<Diagnostic>,
    pub(crate) warnings: Vec<Diagnostic>,
    /// The position of each entry's offset, found while its block is held.
    pub(crate) positions: Vec<(usize, TextPos)>,
    /// Rows merged so far.
    rows: usize,
    /// Each event id seen, and the line of the row it was first seen on.
    first_line: FxHashMap<Box<str>, usize>,
    place_ids: UniqueIds,
    actor_ids: UniqueIds,
    place_keys: FxHashMap<(String, u64, u64), String>,
    actor_names: FxHashMap<String, String>,
}

/// A block of whole records of the file, read and waiting to be merged:
/// its bytes (UTF-8, checked), where it starts in the file (byte and line),
/// and the chunks read from it.
pub(crate) struct Block {
    pub(crate) bytes: Vec<u8>,
    pub(crate) base: usize,
    pub(crate) line_base: usize,
    pub(crate) parts: Vec<Part>,
}

/// Reads the records of `text` (a block, `lines` its index) from `start` in
/// chunks of about `size` bytes, in parallel.
pub(crate) fn read_parts(
    (text, lines): (&str, &LineIndex<'_>),
    start: usize,
    size: usize,
    header: &Header<'_>,
) -> Vec<Part> {
    record_chunks(text, start, size)
        .into_par_iter()
        .map(|range| read_part(text, lines, range, header))
        .collect()
}

/// How many events the chunks made.
pub(crate) fn events_in(parts: &[Part]) -> usize {
    parts.iter().map(|p| p.state.events.len()).sum()
}

impl Merger {
    /// Makes room for `events` events in all.
    pub(crate) fn expect(&mut self, events: usize) {
        let more = events.saturating_sub(self.state.events.len());
        self.state.events.reserve_exact(more);
        self.state.offsets.events.reserve_exact(more);
        self.positions.reserve_exact(more);
    }

    /// Merges the chunks of `block`, in order; gives back its buffer.
    pub(crate) fn merge_block(
        &mut self,
        label: &str,
        block: Block,
        header: &Header<'_>,
    ) -> Vec<u8> {
        let Block {
            bytes,
            base,
            line_base,
            parts,
        } = block;
        let events = events_in(&parts);
        self.state.events.reserve(events);
        self.state.offsets.events.reserve(events);
        self.positions.reserve(events);
        {
            // Checked when the block was read.
            let text = std::str::from_utf8(&bytes).unwrap_or_default();
            // Only a duplicate id needs the block's lines again: made then.
            let lines = std::cell::OnceCell::new();
            let at = BlockText {
                text,
                base,
                lines: &lines,
                line_base,
            };
            for part in parts {
                self.merge(label, &at, header, part);
            }
        }
        bytes
    }

    /// Merges one chunk: places and actors get their ids in order of first
    /// appearance, event ids are checked against every earlier row, and the
    /// diagnostics come in row order with each duplicate's error first in its row.
    fn merge(&mut self, label: &str, block: &BlockText<'_>, header: &Header<'_>, part: Part) {
        let Part {
            state: local,
            rows,
            seen,
            errors,
            warnings,
            place_keys: keys,
            positions: [event_pos, place_pos, actor_pos],
        } = part;
        let (text, base) = (block.text, block.base);
        let offset = self.rows;
        self.state.epochs.merge(local.epochs);
        let mut place_of: FxHashMap<String, String> = FxHashMap::default();
        let places = local.places.into_iter().zip(keys);
        for ((mut p, key), (at, pos)) in places.zip(local.offsets.places.into_iter().zip(place_pos))
        {
            if let Some(id) = self.place_keys.get(&key) {
                place_of.insert(p.id, id.clone());
                continue;
            }
            let id = self.place_ids.fresh(&slug(&p.name, "place"));
            self.place_keys.insert(key, id.clone());
            let local_id = std::mem::replace(&mut p.id, id.clone());
            place_of.insert(local_id, id);
            self.state.offsets.places.push(base + at);
            self.positions.push((base + at, pos));
            self.state.places.push(p);
        }
        let mut actor_of: FxHashMap<String, String> = FxHashMap::default();
        let actors = local.actors.into_iter();
        for (mut a, (at, pos)) in actors.zip(local.offsets.actors.into_iter().zip(actor_pos)) {
            if let Some(id) = self.actor_names.get(&a.name) {
                actor_of.insert(a.id, id.clone());
                continue;
            }
            let id = self.actor_ids.fresh(&slug(&a.name, "actor"));
            self.actor_names.insert(a.name.clone(), id.clone());
            let local_id = std::mem::replace(&mut a.id, id.clone());
            actor_of.insert(local_id, id);
            self.state.offsets.actors.push(base + at);
            self.positions.push((base + at, pos));
            self.state.actors.push(a);
        }
        let mut errors = errors.into_iter().peekable();
        let mut events = local
            .events
            .into_iter()
            .zip(local.offsets.events.into_iter().zip(event_pos));
        for s in seen {
            while let Some(note) = errors.next_if(|note| note.row < s.row) {
                self.errors.push(note.diagnostic(label, offset, true));
            }
            let row = s.row + offset;
            let id = if s.generated {
                format!("row-{row}")
            } else {
                s.id
            };
            let event = if s.pushed { events.next() } else { None };
            if let Some(&first) = self.first_line.get(id.as_str()) {
                let item = if s.generated {
                    format!("row {row}")
                } else {
                    format!("row {row} (event_id_cnty {id})")
                };
                let (starts, end) = field_starts(text, s.offset);
                let at = header
                    .cols
                    .index("event_id_cnty")
                    .and_then(|i| starts.get(i).copied())
                    .unwrap_or(end);
                self.errors.push(Diagnostic::error(
                    label,
                    block.lines().pos(at),
                    item,
                    format!("duplicate event id {id:?} (first on line {first})"),
                ));
                continue;
            }
            self.first_line.insert(id.as_str().into(), s.line);
            if let Some((mut e, (at, pos))) = event {
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
                self.state.offsets.events.push(base + at);
                self.positions.push((base + at, pos));
                self.state.events.push(e);
            }
        }
        self.errors
            .extend(errors.map(|note| note.diagnostic(label, offset, true)));
        self.warnings.extend(
            warnings
                .into_iter()
                .map(|note| note.diagnostic(label, offset, false)),
        );
        self.rows += rows;
    }
}

/// A block's text in the merge, its line index made only when needed.
struct BlockText<'b> {
    text: &'b str,
    base: usize,
    lines: &'b std::cell::OnceCell<LineIndex<'b>>,
    line_base: usize,
}

impl<'b> BlockText<'b> {
    fn lines(&self) -> &LineIndex<'b> {
        self.lines
            .get_or_init(|| LineIndex::with_base_line(self.text, self.line_base))
    }
}

/// The longest record a streamed CSV may hold. A real ACLED row is a few
/// kilobytes: a "record" past this is a quote never closed, or not CSV text
/// at all (a file padded with zeros), and the read stops there rather than
/// holding ever more of it.
pub const MAX_RECORD_BYTES: usize = 1 << 20;

/// How many records end in `bytes` (line ends outside quotes), which starts
/// at a record's start.
#[must_use]
pub fn records_in(bytes: &[u8]) -> usize {
    let mut in_quotes = false;
    let mut ends = 0;
    for at in memchr::memchr2_iter(b'"', b'\n', bytes) {
        if bytes[at] == b'"' {
            in_quotes = !in_quotes;
        } else if !in_quotes {
            ends += 1;
        }
    }
    ends
}

/// Where the last record of `bytes` that is whole ends: just after its
/// last line break outside quotes (`None` if there is none).
#[must_use]
pub fn last_record_end(bytes: &[u8]) -> Option<usize> {
    let mut in_quotes = false;
    let mut last = None;
    for at in memchr::memchr2_iter(b'"', b'\n', bytes) {
        if bytes[at] == b'"' {
            in_quotes = !in_quotes;
        } else if !in_quotes {
            last = Some(at + 1);
        }
    }
    last
}
