//! The streaming path for an ACLED file with nothing wrong in it: each chunk
//! of rows goes straight into the event store's columns, checked by the
//! same cell rules as the careful path ([`super::check_row`]), and the
//! chunks are appended in file order with their places and actors numbered
//! in the whole. No typed entry is made for an event, so a million rows are
//! never held twice.
//!
//! At the first problem of any kind (an error, a warning, a row without an
//! `event_id_cnty`, a duplicate id, an epoch number whose unit is guessed,
//! which the careful path's warning names) it gives up, and the careful path reads
//! the file again to say what and where. A test proves that both paths
//! build the same dataset from the same clean file.

use csv::StringRecord;
use rayon::prelude::*;
use rustc_hash::FxHashMap;

use super::cells::{category, event_text, event_type_into, title_into};
use super::chunks::{Header, MAX_RECORD_BYTES, last_record_end, record_byte_chunks};
use super::{Row, State, UniqueIds, check_row, file_name, read_header, slug};
use crate::io::diagnostic::{Diagnostic, LineIndex};
use crate::io::format::{ActorEntry, PlaceEntry};
use crate::io::native::Loaded;
use crate::io::progress::Progress;
use crate::model::time::TimeRef;
use crate::model::{
    Actor, ActorIdx, Dataset, EventParts, EventPlace, EventWords, Events, Place, PlaceIdx,
    PlaceRole,
};

/// What one chunk of rows makes: its events in columns, their places and
/// actors numbered in the chunk, in order of first sight.
struct Part {
    events: Events,
    places: Vec<PlaceEntry>,
    actors: Vec<ActorEntry>,
}

/// Emptied event buffers, kept for the next chunk.
type Pool = std::sync::Mutex<Vec<Events>>;

/// Reads the rows of one chunk (whole records) into a [`Part`], its events
/// in buffers from `pool`; `None` at any problem (text that is not UTF-8
/// among them: a chunk ends at a line break, so it is checked on its own).
fn read_part(bytes: &[u8], header: &Header<'_>, pool: &Pool) -> Option<Part> {
    let text = std::str::from_utf8(bytes).ok()?;
    // Diagnostics are only counted here: the careful path places them.
    let no_lines = LineIndex::new("");
    let mut notes = super::notes::Notes::new(&no_lines);
    let mut state = State {
        time_unit: header.time_unit,
        ..State::default()
    };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(bytes);
    let mut record = StringRecord::new();
    let mut events = pool
        .lock()
        .ok()
        .and_then(|mut p| p.pop())
        .unwrap_or_default();
    events.reserve(memchr::memchr_iter(b'\n', bytes).count() + 1);
    let (mut actors, mut actor_idxs) = (Vec::new(), Vec::new());
    // Room reused from one row to the next.
    let (mut title, mut type_words) = (String::new(), String::new());
    let mut rows = 0;
    while reader.read_record(&mut record).ok()? {
        rows += 1;
        if record.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        let offset = record.position().map_or(0, |p| p.byte() as usize);
        let row = Row::new(rows, &record, header.cols, text, offset);
        let ((id, generated), checked) = check_row(
            &mut notes,
            &mut state,
            &row,
            (header.width, header.has_ids),
            &mut actors,
        )?;
        let c = checked?;
        if generated || !notes.is_empty() || !state.epochs.is_empty() {
            return None;
        }
        let event_type_cell = row.get("event_type");
        actor_idxs.clear();
        actor_idxs.extend(actors.iter().map(|&a| ActorIdx(a)));
        title_into(
            &mut title,
            event_type_cell,
            row.get("sub_event_type"),
            c.location,
        );
        let has_type = event_type_into(&mut type_words, &row);
        events.push_parts(EventParts {
            id: &id,
            title: &title,
            time: TimeRef::new(&c.time, c.bounds),
            time_note: c.time_note.as_deref(),
            category: category(event_type_cell),
            places: &[EventPlace {
                place: PlaceIdx(c.place),
                role: PlaceRole::Location,
            }],
            actors: &actor_idxs,
            excerpts: &[],
            text: event_text(&row).map(std::borrow::Cow::Owned),
            links: &[],
            words: EventWords {
                group: Some(row.get("disorder_type")).filter(|w| !w.is_empty()),
                display_date: None,
                event_type: has_type.then_some(type_words.as_str()),
                attribution: Some(row.get("source")).filter(|w| !w.is_empty()),
            },
            extra: None,
        });
    }
    Some(Part {
        events,
        places: state.places,
        actors: state.actors,
    })
}

/// The chunks merged so far, in file order.
#[derive(Default)]
struct Merged {
    events: Events,
    places: Vec<PlaceEntry>,
    actors: Vec<ActorEntry>,
    place_ids: UniqueIds,
    actor_ids: UniqueIds,
    /// Location name → (lat bits, lon bits, place) of each place so named.
    place_keys: FxHashMap<String, Vec<(u64, u64, u32)>>,
    /// Actor name → actor.
    actor_names: FxHashMap<String, u32>,
}

impl Merged {
    /// Appends one chunk: places and actors not seen before get their ids
    /// in order of first sight, as one pass over the file gives them.
    fn merge(&mut self, part: Part, pool: &Pool) -> Option<()> {
        let Part {
            mut events,
            places,
            actors,
        } = part;
        let mut place_of = Vec::with_capacity(places.len());
        for mut p in places {
            let bits = ((p.lat + 0.0).to_bits(), (p.lon + 0.0).to_bits());
            let same = self
                .place_keys
                .get(&p.name)
                .and_then(|same| same.iter().find(|(a, o, _)| (*a, *o) == bits));
            if let Some(&(_, _, global)) = same {
                place_of.push(global);
                continue;
            }
            let global = u32::try_from(self.places.len()).ok()?;
            p.id = self.place_ids.fresh(&slug(&p.name, "place"));
            self.place_keys
                .entry(p.name.clone())
                .or_default()
                .push((bits.0, bits.1, global));
            self.places.push(p);
            place_of.push(global);
        }
        let mut actor_of = Vec::with_capacity(actors.len());
        for mut a in actors {
            if let Some(&global) = self.actor_names.get(&a.name) {
                actor_of.push(global);
                continue;
            }
            let global = u32::try_from(self.actors.len()).ok()?;
            a.id = self.actor_ids.fresh(&slug(&a.name, "actor"));
            self.actor_names.insert(a.name.clone(), global);
            self.actors.push(a);
            actor_of.push(global);
        }
        events.renumber_refs(&place_of, &actor_of)?;
        self.events.append_emptying(&mut events);
        if let Ok(mut p) = pool.lock() {
            p.push(events);
        }
        Some(())
    }
}

/// Reads the parts of one block (whole records, from `start`) in parallel.
fn read_parts(
    block: &[u8],
    start: usize,
    chunk_bytes: usize,
    header: &Header<'_>,
    pool: &Pool,
) -> Vec<Option<Part>> {
    record_byte_chunks(block, start, chunk_bytes)
        .into_par_iter()
        .map(|range| read_part(block.get(range)?, header, pool))
        .collect()
}

/// Loads an ACLED file with no problem at all from `reader` (about
/// `size_hint` bytes), in blocks of whole records: each block's chunks of
/// about `chunk_bytes` are read in parallel while the block before is
/// merged and the one after is read from the file; `None` at the first
/// problem, or when cancelled. Progress goes to `progress`; epoch times are
/// read as `options` say.
pub(crate) fn load_clean(
    reader: impl std::io::Read + Send,
    label: &str,
    size_hint: u64,
    chunk_bytes: usize,
    (progress, options): (Option<&Progress>, crate::io::stamp::ReadOptions),
) -> Option<Loaded> {
    let chunk_bytes = chunk_bytes.max(1);
    let block_bytes = chunk_bytes.saturating_mul(rayon::current_num_threads().max(1));
    let size = usize::try_from(size_hint).unwrap_or(usize::MAX);
    if let Some(p) = progress {
        p.stage("Reading the rows", size / block_bytes + 1);
    }
    let mut blocks =
        crate::io::blocks::Blocks::new(reader, block_bytes, MAX_RECORD_BYTES, last_record_end);
    let (mut block, mut next) = (Vec::new(), Vec::new());
    if !blocks.next_into(&mut block).ok()? {
        return None; // an empty file: the careful path says so
    }
    let (facts, mut start) = read_header(label, std::str::from_utf8(&block).ok()?).ok()?;
    if !facts.has_ids {
        return None; // ids made from row numbers: the careful path
    }
    let cols = Header {
        cols: &facts.cols,
        width: facts.width,
        has_ids: facts.has_ids,
        time_unit: options.time_unit,
    };
    let mut merged = Merged::default();
    let pool = Pool::default();
    let mut waiting: Vec<Option<Part>> = Vec::new();
    let (mut read, mut done, mut reserved) = (0usize, 0, false);
    // Bytes of the blocks merged, and of the one waiting to be.
    let (mut merged_bytes, mut waiting_bytes) = (0usize, 0usize);
    loop {
        read += block.len();
        // Every column's words are fewer bytes than the rows they come
        // from: a file that fits one column's arena fits them all.
        if read > Events::MAX_COLUMN_BYTES || progress.is_some_and(Progress::is_cancelled) {
            return None;
        }
        let previous = std::mem::take(&mut waiting);
        let (parts, (merged_ok, more)) = rayon::join(
            || read_parts(&block, start, chunk_bytes, &cols, &pool),
            || {
                let merged_ok = previous
                    .into_iter()
                    .try_for_each(|p| merged.merge(p?, &pool));
                (merged_ok, blocks.next_into(&mut next).ok())
            },
        );
        merged_ok?;
        merged_bytes += waiting_bytes;
        if !reserved && !merged.events.is_empty() && merged_bytes > 0 {
            // Room for all the events at once, judged from the blocks merged:
            // no column grows by doubling, copying and leaving room unused.
            reserved = true;
            merged
                .events
                .reserve_like(size_hint as f64 / merged_bytes as f64 * 1.02);
        }
        waiting = parts;
        waiting_bytes = block.len();
        done += 1;
        if let Some(p) = progress {
            p.set_done(done);
        }
        std::mem::swap(&mut block, &mut next);
        start = 0;
        if !more? {
            break;
        }
    }
    waiting
        .into_iter()
        .try_for_each(|p| merged.merge(p?, &pool))?;
    drop(pool);
    finish(label, merged, progress)
}

/// The dataset of the merged chunks: places checked by the builder's rules,
/// events in time order, ids proven unique.
fn finish(label: &str, merged: Merged, progress: Option<&Progress>) -> Option<Loaded> {
    let Merged {
        events,
        places,
        actors,
        ..
    } = merged;
    if events.is_empty() {
        return None; // a warning: the careful path says it
    }
    let name = file_name(label);
    let description = format!(
        "Imported from the ACLED-style CSV {name}: {} event(s) at {} place(s).",
        events.len(),
        places.len()
    );
    let places = resolve_places(&places)?;
    let actors: Vec<Actor> = actors.iter().map(Actor::from).collect();
    let unsourced = events.len();
    if let Some(p) = progress {
        p.stage("Sorting the events by time", 0);
    }
    let (events, _) = crate::io::builder::stream::into_time_order(events);
    let (by_id, duplicate) = Dataset::event_order_by_id(&events);
    if duplicate {
        return None;
    }
    if let Some(p) = progress {
        p.stage("Building indexes", 0);
    }
    let dataset = Dataset::with_event_ids(
        format!("{name} (ACLED)"),
        description,
        Vec::new(),
        actors,
        places,
        events,
        Vec::new(),
        by_id,
    );
    Some(Loaded {
        dataset,
        warnings: vec![Diagnostic::warning(
            label,
            crate::io::diagnostic::TextPos::START,
            "dataset",
            format!(
                "{unsourced} event(s) imported from ACLED CSV have no verified excerpt; the reader says so"
            ),
        )],
    })
}

/// The places through the builder's own check; `None` if it says anything.
fn resolve_places(entries: &[PlaceEntry]) -> Option<Vec<Place>> {
    use crate::io::builder::{Ctx, Item, Span, resolve::resolve_place};
    let mut ctx = Ctx {
        files: vec![(String::new(), "", LineIndex::new(""))],
        diags: Vec::new(),
    };
    let places = entries
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let item = Item::new("place", i, &p.id, Span::at(0, 0));
            resolve_place(&mut ctx, p, &item)
        })
        .collect();
    ctx.diags.is_empty().then_some(places)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    /// The careful path: the reader's typed entries through the one builder.
    fn careful(text: &str, label: &str) -> Loaded {
        let imported = super::super::import(text, label).unwrap();
        crate::io::imported::build(
            imported,
            label,
            text,
            crate::io::imported::Format::AcledCsv,
            None,
        )
        .unwrap()
    }

    fn both_agree(text: &str, chunk_bytes: usize) {
        let label = "/data/acled.csv";
        let options = crate::io::stamp::ReadOptions::default();
        let fast = load_clean(
            text.as_bytes(),
            label,
            text.len() as u64,
            chunk_bytes,
            (None, options),
        )
        .expect("a clean file takes the fast path");
        let careful = careful(text, label);
        let (ds, other) = (&fast.dataset, &careful.dataset);
        assert_eq!(ds.title, other.title);
        assert_eq!(ds.description, other.description);
        assert_eq!(ds.actors, other.actors);
        assert_eq!(ds.places, other.places);
        assert_eq!(ds.events, other.events);
        assert_eq!(fast.warnings, careful.warnings);
        assert!(ds.events.len() > 100 && ds.places.len() > 10 && ds.actors.len() > 10);
    }

    #[test]
    fn the_fast_path_builds_what_the_careful_path_builds() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("acled.csv");
        super::super::generate::generate(&path, 3000, 5).unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        // One chunk; and chunks of 16 KiB, many to a block, each block's
        // read while the one before is merged, places and actors first seen
        // in later chunks and again in earlier ones.
        both_agree(&text, super::super::chunks::CHUNK_BYTES);
        both_agree(&text, 16 << 10);
        // A byte order mark before the header.
        both_agree(&format!("\u{feff}{text}"), 16 << 10);
    }

    #[test]
    fn any_problem_leaves_the_file_to_the_careful_path() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("acled.csv");
        super::super::generate::generate(&path, 200, 5).unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        let options = crate::io::stamp::ReadOptions::default();
        let fast =
            |t: &str| load_clean(t.as_bytes(), "a.csv", t.len() as u64, 4096, (None, options));
        assert!(fast(&text).is_some());
        let mut lines: Vec<&str> = text.lines().collect();
        let header = lines[0];
        let first_id = header
            .split(',')
            .position(|c| c == "event_id_cnty")
            .unwrap();
        assert_eq!(first_id, 0, "the generator writes the id first");
        // A duplicate id, in a later chunk than the first.
        let last = lines.len() - 1;
        let first_row_id = lines[1].split(',').next().unwrap().to_owned();
        let dup = lines[last].replacen(lines[last].split(',').next().unwrap(), &first_row_id, 1);
        lines[last] = &dup;
        assert!(fast(&(lines.join("\n") + "\n")).is_none(), "duplicate id");
        // A warning (year disagrees), an error (bad date), no ids at all.
        let bad_year = text.replacen(",2022,", ",1999,", 1);
        if bad_year != text {
            assert!(fast(&bad_year).is_none(), "a warning");
        }
        assert!(
            fast(&text.replacen(",20", ",x20", 1)).is_none(),
            "a bad date"
        );
        let no_ids = text.replacen("event_id_cnty", "event_id", 1);
        assert!(fast(&no_ids).is_none(), "rows named by their number");
        assert!(fast(header).is_none(), "a header and no rows");
    }
}
