//! The streaming fast path for a clean native dataset: the events file read
//! in pieces and parsed in parallel, ids resolved at once, each distinct quote
//! proven once. At the first doubt it gives up, and the careful reading and
//! the one builder report every problem where it stands.

use std::collections::{HashMap, HashSet};

use super::careful::{parse_items, raw_items_of};
use super::event_line::{BuiltLines, Lookups, build_events};
use crate::io::builder::resolve::{index_ids, resolve_eras, resolve_place, resolve_source};
use crate::io::builder::{Ctx, Item, Span, items_of};
use crate::io::format::{ActorEntry, ClaimEntry, PlaceEntry, SourceEntry};
use crate::io::native::{DatasetFiles, LoadOptions, Loaded, Loc, MANIFEST, RawManifest};
use crate::io::progress::Progress;
use crate::io::quote::{FoldedText, fold_quote};
use crate::model::ExcerptSpan;
use crate::model::{
    Actor, ActorIdx, Claim, Dataset, EventIdx, EventLink, Events, Excerpt, Place, PlaceIdx, Source,
    SourceIdx, Stance,
};
use serde::Deserialize;

// ---------------------------------------------------------------------------
// The streaming loader for clean datasets.
//
// It reads the events file piece by piece, parses each line in parallel
// straight into an `Event` (ids resolved at once), proves every distinct
// quote once, and gives up (returns `None`) at the first problem of any kind:
// the careful loader then reports every problem exactly where it stands.
// ---------------------------------------------------------------------------

pub(crate) type FxMap<K, V> = rustc_hash::FxHashMap<K, V>;

/// A quote's hash (`FxHash`: quotes are not chosen by an adversary, and
/// `SipHash` costs too much here).
pub(crate) fn fx_hash(bytes: &[u8]) -> u64 {
    use std::hash::BuildHasher as _;
    rustc_hash::FxBuildHasher.hash_one(bytes)
}

/// The distinct folded quotes of one article.
#[derive(Default)]
pub(crate) struct SourceQuotes {
    pub(crate) by_hash: HashMap<u64, u32, nohash_hasher::BuildNoHashHasher<u64>>,
    /// Quotes whose hash another quote already has (rare).
    pub(crate) collided: FxMap<Box<str>, u32>,
    pub(crate) patterns: Vec<Box<str>>,
    /// The furthest occurrence asked for, per pattern.
    pub(crate) wanted: Vec<usize>,
}

impl SourceQuotes {
    /// The pattern number of a quote, adding it when new.
    pub(crate) fn intern(&mut self, hash: u64, folded: &str, occurrence: usize) -> u32 {
        let next = self.patterns.len() as u32;
        let id = match self.by_hash.entry(hash) {
            std::collections::hash_map::Entry::Vacant(v) => {
                v.insert(next);
                next
            }
            std::collections::hash_map::Entry::Occupied(o) => {
                let id = *o.get();
                if &*self.patterns[id as usize] == folded {
                    id
                } else {
                    *self.collided.entry(folded.into()).or_insert(next)
                }
            }
        };
        if id == next {
            self.patterns.push(folded.into());
            self.wanted.push(0);
        }
        let w = &mut self.wanted[id as usize];
        *w = (*w).max(occurrence);
        id
    }
}

/// Every quote to prove: the distinct ones per article.
pub(crate) struct QuoteBook {
    pub(crate) sources: Vec<SourceQuotes>,
}

impl QuoteBook {
    /// The pattern number of a quote of `source`.
    pub(crate) fn add(&mut self, source: u32, hash: u64, folded: &str, occurrence: u32) -> u32 {
        self.sources[source as usize].intern(hash, folded, occurrence as usize)
    }
}

/// An excerpt not yet proven: its span holds the number of its quote's
/// pattern in the article's book and the occurrence meant, until
/// [`Found::span`] gives the real one. Two excerpts of an article are the
/// same passage exactly when they hold the same pattern and occurrence, so
/// the store shares them as they stream in.
fn pending(source: u32, pattern: u32, occurrence: u32) -> Excerpt {
    Excerpt::new(SourceIdx(source), pattern as usize..occurrence as usize)
}

/// The longest event line the fast path reads: an event names its excerpts,
/// it does not hold its articles, so a line past this is not an event.
const MAX_LINE_BYTES: usize = 16 << 20;

/// Reads `reader` in pieces of about `piece` bytes cut after a newline, and
/// hands each piece (valid UTF-8) to `f`; `None` when the text is not UTF-8,
/// holds a NUL byte or a line past [`MAX_LINE_BYTES`], or `f` gives up.
pub(crate) fn for_each_piece(
    reader: &mut dyn std::io::Read,
    piece: usize,
    mut f: impl FnMut(&str) -> Option<()>,
) -> Option<()> {
    let mut buf = vec![0u8; piece];
    let mut filled = 0;
    loop {
        let mut eof = false;
        let from = filled;
        while filled < buf.len() {
            match reader.read(&mut buf[filled..]) {
                Ok(0) => {
                    eof = true;
                    break;
                }
                Ok(n) => filled += n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(_) => return None,
            }
        }
        // A NUL byte is never JSON text (a file padded with zeros): the
        // careful reading says where, and holds none of the rest.
        if memchr::memchr(0, &buf[from..filled]).is_some() {
            return None;
        }
        let last_line = memchr::memrchr(b'\n', &buf[..filled]).map_or(0, |i| i + 1);
        if filled - last_line > MAX_LINE_BYTES {
            return None; // a line longer than any event's: the careful reading
        }
        let cut = if eof {
            filled
        } else if last_line == 0 {
            // One line longer than a piece: read on with more room.
            buf.resize(buf.len() * 2, 0);
            continue;
        } else {
            last_line
        };
        f(std::str::from_utf8(&buf[..cut]).ok()?)?;
        if eof {
            return Some(());
        }
        buf.copy_within(cut..filled, 0);
        filled -= cut;
    }
}

/// The JSON texts of the events in a piece of a JSON Lines file, as the
/// careful loader cuts them.
pub(crate) fn event_lines(text: &str) -> Vec<&str> {
    text.split_inclusive('\n')
        .filter_map(|line| {
            let content = line.trim_end_matches(['\n', '\r']);
            let trimmed = content.trim_start_matches('\u{feff}');
            (!trimmed.trim().is_empty()).then_some(trimmed)
        })
        .collect()
}

/// Events read so far, in file order.
pub(crate) struct EventSink {
    /// Their excerpts [`pending`], shared.
    pub(crate) events: Events,
    /// Every pending excerpt of `events`, with its entry.
    pub(crate) seen: rustc_hash::FxHashMap<Excerpt, u32>,
    pub(crate) links: Vec<(u32, crate::model::LinkRelation, Box<str>)>,
    pub(crate) quotes: QuoteBook,
}

impl EventSink {
    /// Builds the events of `raws` in parallel, in runs of lines that each
    /// fill their own columns, and keeps them in order.
    pub(crate) fn take(&mut self, raws: &[&str], lk: &Lookups<'_>) -> Option<()> {
        self.merge(build_runs(raws, lk))
    }

    /// Keeps built runs, in order: their quotes interned, their excerpts
    /// made [`pending`] and shared, their links noted.
    pub(crate) fn merge(&mut self, built: Vec<Option<BuiltLines>>) -> Option<()> {
        let events: usize = built.iter().flatten().map(|b| b.events.len()).sum();
        self.events.reserve(events);
        for b in built {
            let mut b = b?;
            let base = u32::try_from(self.events.len()).ok()?;
            // A run's excerpts are end to end in its order, as its quotes are.
            let mut excerpts = std::mem::take(&mut b.events);
            let xs = excerpts.all_excerpts_mut()?;
            if xs.len() != b.quotes.len() {
                return None;
            }
            for (x, q) in xs.iter_mut().zip(&b.quotes) {
                let pattern = self.quotes.add(q.source, q.hash, b.folded(q), q.occurrence);
                *x = pending(q.source, pattern, q.occurrence);
            }
            for (owner, relation, id) in b.links {
                self.links.push((base + owner, relation, id));
            }
            self.events.append_sharing(excerpts, &mut self.seen);
        }
        Some(())
    }
}

/// Builds event lines in parallel, in runs that each fill their own columns.
pub(crate) fn build_runs(raws: &[&str], lk: &Lookups<'_>) -> Vec<Option<BuiltLines>> {
    use rayon::prelude::*;
    raws.par_chunks(LINES_PER_TASK)
        .map(|run| build_events(run, lk))
        .collect()
}

/// Event lines are built in runs of this many, each run on one core.
const LINES_PER_TASK: usize = 512;

/// The events file is read in pieces of about this many bytes.
pub(crate) const EVENTS_PIECE: usize = 8 << 20;

/// The ids of a list of items, with their positions.
pub(crate) fn ids_of<'a>(list: &[Item<'a>]) -> FxMap<&'a str, u32> {
    list.iter()
        .enumerate()
        .map(|(i, item)| (item.id, i as u32))
        .collect()
}

/// Where one article's distinct quotes stand: for each pattern, how often it
/// occurs and the original spans of the occurrences asked for. The folded
/// article is let go once they are known.
pub(crate) struct Found {
    counts: Vec<u32>,
    /// Pattern `i`'s spans are `spans[starts[i]..starts[i + 1]]`.
    starts: Vec<u32>,
    spans: Vec<ExcerptSpan>,
}

impl Found {
    /// Finds the book's patterns in `text`; `None` when it has none.
    fn search(text: &str, book: &SourceQuotes) -> Option<Self> {
        if book.patterns.is_empty() {
            return None;
        }
        let folded = FoldedText::new(text);
        let hits = crate::io::quote::find_patterns(&folded, &book.patterns, &book.wanted);
        let mut starts = Vec::with_capacity(book.patterns.len() + 1);
        let mut spans = Vec::with_capacity(book.patterns.len());
        starts.push(0);
        for (pattern, positions) in book.patterns.iter().zip(&hits.positions) {
            spans.extend(
                positions
                    .iter()
                    .map(|&start| folded.original_span(start, start + pattern.len())),
            );
            starts.push(u32::try_from(spans.len()).ok()?);
        }
        let counts = hits
            .counts
            .iter()
            .map(|&c| u32::try_from(c).unwrap_or(u32::MAX))
            .collect();
        Some(Self {
            counts,
            starts,
            spans,
        })
    }

    /// The span of one occurrence of a pattern; `None` when it is not there,
    /// or when a first occurrence is taken of a quote found more than once
    /// (a warning the careful loader says).
    fn span(&self, pattern: u32, occurrence: u32) -> Option<ExcerptSpan> {
        let p = pattern as usize;
        if *self.counts.get(p)? > 1 && occurrence == 1 {
            return None;
        }
        let (from, to) = (
            *self.starts.get(p)? as usize,
            *self.starts.get(p + 1)? as usize,
        );
        let at = from + (occurrence as usize).checked_sub(1)?;
        (at < to).then(|| self.spans[at].clone())
    }
}

/// Loads a dataset that has no problem at all, streaming its events file;
/// `None` at the first problem (or the first warning, but the one that says
/// imported events have no excerpt).
pub(crate) fn load_clean(files: &dyn DatasetFiles, options: &LoadOptions<'_>) -> Option<Loaded> {
    load_clean_in(files, options, EVENTS_PIECE)
}

/// [`load_clean`], reading the events file in pieces of about `piece` bytes.
fn load_clean_in(
    files: &dyn DatasetFiles,
    options: &LoadOptions<'_>,
    piece: usize,
) -> Option<Loaded> {
    use rayon::prelude::*;
    let progress = options.progress;
    if let Some(p) = progress {
        p.stage("Reading the manifest", 0);
    }
    let manifest_label = files.display_path(MANIFEST);
    let manifest_bytes = files.read(MANIFEST).ok()?;
    let manifest_text = std::str::from_utf8(&manifest_bytes).ok()?;
    let mut ctx = Ctx {
        files: Vec::new(),
        diags: Vec::new(),
    };
    let manifest_file = ctx.add_file(manifest_label, manifest_text);
    let body = manifest_text
        .strip_prefix('\u{feff}')
        .unwrap_or(manifest_text);
    let base = manifest_text.len() - body.len();
    let mut de = serde_json::Deserializer::from_str(body);
    let raw = RawManifest::deserialize(&mut de).ok()?;
    de.end().ok()?;

    let source_items = raw_items_of(&ctx, manifest_file, "source", &raw.sources);
    let actor_items = raw_items_of(&ctx, manifest_file, "actor", &raw.actors);
    let place_items = raw_items_of(&ctx, manifest_file, "place", &raw.places);
    let claim_items = raw_items_of(&ctx, manifest_file, "claim", &raw.claims);
    let mut broken: HashSet<String> = HashSet::new();
    let sources: Vec<(SourceEntry, Span)> = parse_items(&mut ctx, &source_items, &mut broken);
    let actors: Vec<(ActorEntry, Span)> = parse_items(&mut ctx, &actor_items, &mut broken);
    let places: Vec<(PlaceEntry, Span)> = parse_items(&mut ctx, &place_items, &mut broken);
    let claims: Vec<(ClaimEntry, Span)> = parse_items(&mut ctx, &claim_items, &mut broken);
    if !ctx.diags.is_empty() {
        return None;
    }
    let source_list = items_of("source", &sources, |e| &e.id);
    let actor_list = items_of("actor", &actors, |e| &e.id);
    let place_list = items_of("place", &places, |e| &e.id);
    let claim_list = items_of("claim", &claims, |e| &e.id);
    index_ids(&mut ctx, "source", &source_list);
    index_ids(&mut ctx, "actor", &actor_list);
    index_ids(&mut ctx, "place", &place_list);
    index_ids(&mut ctx, "claim", &claim_list);
    let mut sources_resolved: Vec<Source> = sources
        .iter()
        .zip(&source_list)
        .map(|((entry, _), item)| resolve_source(&mut ctx, files, entry, item))
        .collect();
    let places_resolved: Vec<Place> = places
        .iter()
        .zip(&place_list)
        .map(|((e, _), item)| resolve_place(&mut ctx, e, item))
        .collect();
    if !ctx.diags.is_empty() {
        return None;
    }
    let actors_resolved: Vec<Actor> = actors.iter().map(|(e, _)| Actor::from(e)).collect();
    let lookups = Lookups {
        sources: ids_of(&source_list),
        actors: ids_of(&actor_list),
        places: ids_of(&place_list),
        imported: options.imported_from.is_some(),
    };
    for ((entry, _), source) in sources.iter().zip(&mut sources_resolved) {
        if let Some(id) = &entry.actor {
            // An unknown actor: the careful loader says where.
            source.actor = Some(ActorIdx(*lookups.actors.get(id.as_str())?));
        }
    }

    if let Some(p) = progress {
        p.stage("Reading items", 0);
    }
    let mut sink = EventSink {
        events: Events::default(),
        seen: rustc_hash::FxHashMap::default(),
        links: Vec::new(),
        quotes: QuoteBook {
            sources: (0..sources_resolved.len())
                .map(|_| SourceQuotes::default())
                .collect(),
        },
    };
    let manifest_events: Vec<&str> = raw.events.iter().map(|r| r.get()).collect();
    sink.take(&manifest_events, &lookups)?;
    if let Some(rel) = &raw.events_file {
        let (mut reader, len) = files.open(rel).ok()?;
        // Each piece's lines are built while the piece before is merged
        // (its quotes interned, its excerpts shared), which is work for one
        // core only.
        let mut waiting: Option<Vec<Option<BuiltLines>>> = None;
        let mut first_piece: Option<usize> = None;
        let mut reserved = false;
        for_each_piece(&mut *reader, piece, |text| {
            let lines = event_lines(text);
            if progress.is_some_and(Progress::is_cancelled) {
                return None;
            }
            let (built, merged) = rayon::join(
                || build_runs(&lines, &lookups),
                || waiting.take().map_or(Some(()), |b| sink.merge(b)),
            );
            merged?;
            waiting = Some(built);
            first_piece = first_piece.or((!text.is_empty()).then_some(text.len()));
            if !reserved
                && !sink.events.is_empty()
                && let Some(first) = first_piece
            {
                // Room for all the events at once, estimated from the first piece.
                reserved = true;
                let factor = len as f64 / first as f64 * 1.02;
                sink.events.reserve_like(factor);
            }
            if let Some(p) = progress {
                p.set_done(sink.events.len());
            }
            Some(())
        })?;
        if let Some(b) = waiting.take() {
            sink.merge(b)?;
        }
    }
    let EventSink {
        mut events,
        seen,
        links,
        mut quotes,
    } = sink;
    drop(seen);
    let unsourced = events.iter().filter(|e| e.excerpts().is_empty()).count();

    // The claims' stances: their quotes join the book after the events'.
    let mut stance_refs: Vec<(SourceIdx, u32, u32)> = Vec::new();
    for (entry, _) in &claims {
        if entry.stances.is_empty() {
            return None;
        }
        for s in &entry.stances {
            lookups.actors.get(s.actor.as_str())?;
            let source = *lookups.sources.get(s.source.as_str())?;
            let occurrence = match s.occurrence {
                Some(0) => return None,
                Some(n) => u32::try_from(n).ok()?,
                None => 1,
            };
            let folded = fold_quote(&s.quote);
            if folded.is_empty() || crate::io::lint::quote_concern(&s.quote).is_some() {
                return None;
            }
            let pattern = quotes.add(source, fx_hash(folded.as_bytes()), &folded, occurrence);
            stance_refs.push((SourceIdx(source), pattern, occurrence));
        }
    }

    // Prove every distinct quote, one pass per article.
    if let Some(p) = progress {
        p.stage("Verifying quotes against the articles", 0);
    }
    let found: Vec<Option<Found>> = sources_resolved
        .par_iter()
        .zip(&quotes.sources)
        .map(|(source, book)| Found::search(&source.text, book))
        .collect();
    let span_of = |source: SourceIdx, pattern: u32, occurrence: u32| {
        found
            .get(source.index())?
            .as_ref()?
            .span(pattern, occurrence)
    };
    // Each distinct passage once, for every event that cites it.
    for x in events.distinct_excerpts_mut() {
        let (pattern, occurrence) = (x.span().start as u32, x.span().end as u32);
        x.set_span(span_of(x.source, pattern, occurrence)?);
    }
    let mut stance_spans = Vec::with_capacity(stance_refs.len());
    for (source, pattern, occurrence) in stance_refs {
        stance_spans.push(Excerpt::new(source, span_of(source, pattern, occurrence)?));
    }
    drop(found);
    drop(quotes);

    // Time order: earliest, latest, id (ids are unique, so the order is total).
    if let Some(p) = progress {
        p.stage("Building indexes", 0);
    }
    let (mut events, order) = into_time_order(events);
    let mut rank = vec![0u32; order.len()];
    for (k, &i) in order.iter().enumerate() {
        rank[i as usize] = k as u32;
    }
    drop(order);
    let (by_id, duplicate) = Dataset::event_order_by_id(&events);
    if duplicate {
        return None;
    }
    let find_event = |id: &str| Dataset::find_event_id(&events, &by_id, id);
    let mut resolved_links: Vec<(u32, EventLink)> = Vec::with_capacity(links.len());
    for (owner, relation, id) in &links {
        resolved_links.push((
            rank[*owner as usize],
            EventLink {
                relation: *relation,
                event: EventIdx(find_event(id)?),
            },
        ));
    }
    let mut stance_spans = stance_spans.into_iter();
    let mut claims_resolved: Vec<Claim> = Vec::with_capacity(claims.len());
    for (entry, _) in &claims {
        let mut events_of = Vec::with_capacity(entry.events.len());
        for id in &entry.events {
            events_of.push(EventIdx(find_event(id)?));
        }
        let alleged_origin = match &entry.alleged_origin {
            Some(p) => Some(PlaceIdx(*lookups.places.get(p.as_str())?)),
            None => None,
        };
        let mut stances = Vec::with_capacity(entry.stances.len());
        for s in &entry.stances {
            stances.push(Stance {
                actor: ActorIdx(*lookups.actors.get(s.actor.as_str())?),
                stance: s.stance,
                excerpt: stance_spans.next()?,
                // A bad time: the careful loader says where.
                time: match &s.time {
                    Some(t) => Some(crate::model::FuzzyTime::parse(t).ok()?),
                    None => None,
                },
                note: s.note.clone(),
            });
        }
        claims_resolved.push(Claim {
            id: entry.id.clone(),
            statement: entry.statement.clone(),
            events: events_of,
            alleged_origin,
            stances,
        });
    }
    drop(rank);
    events.set_links(resolved_links);
    if !crate::io::lint::link_concerns(&events).is_empty() {
        return None; // warnings: the careful loader locates them
    }
    let manifest_span = Span::new(manifest_file, base, base + body.len());
    let eras = resolve_eras(&mut ctx, manifest_span, &raw.eras);
    if !ctx.diags.is_empty() {
        return None;
    }
    if let Some(format) = options.imported_from
        && unsourced > 0
    {
        ctx.warn(
            Loc {
                file: manifest_file,
                offset: 0,
            },
            "dataset",
            format!(
                "{unsourced} event(s) imported from {format} have no verified excerpt; the reader says so"
            ),
        );
    }
    // Attribution concerns: the careful loader says where each stands.
    // (This loader reads no note on an event excerpt: an excerpt with one
    // is an unknown field to it, and the careful loader reads the file.)
    let (stance_concerns, excerpt_concerns) =
        crate::io::lint::attribution_concerns(crate::io::lint::Parts {
            sources: &sources_resolved,
            actors: &actors_resolved,
            events: &events,
            claims: &claims_resolved,
            excerpt_notes: &HashMap::new(),
        });
    if !stance_concerns.is_empty() || !excerpt_concerns.is_empty() {
        return None;
    }
    let mut dataset = Dataset::with_event_ids(
        raw.title,
        raw.description,
        sources_resolved,
        actors_resolved,
        places_resolved,
        events,
        claims_resolved,
        by_id,
    );
    dataset.eras = eras;
    Some(Loaded {
        dataset,
        warnings: ctx.diags,
    })
}

/// The events in time order (earliest, latest, id: ids are unique, so the
/// order is total), and the order: the `k`th event is `order[k]` of those given.
pub(crate) fn into_time_order(events: Events) -> (Events, Vec<u32>) {
    use rayon::prelude::*;
    let n = events.len();
    // Days lie within ±9999 years, far inside i32: biased to u32 they leave
    // 0 for an open start and u32::MAX for an open end.
    let day_key = |d: Option<crate::model::Day>, open: u32| {
        d.map_or(open, |d| (i64::from(d.0) + (1i64 << 31)) as u32)
    };
    // The first eight bytes of the id order ids as their bytes do; only
    // equal prefixes need the whole ids compared.
    let id_prefix = crate::io::builder::id_prefix;
    let id = |i: u32| events.get(EventIdx(i)).id();
    let mut keyed: Vec<(u64, u64, u32)> = (0..n as u32)
        .into_par_iter()
        .map(|i| {
            let t = events.bounds()[i as usize];
            let key = u64::from(day_key(t.earliest(), 0)) << 32
                | u64::from(day_key(t.latest(), u32::MAX));
            (key, id_prefix(id(i)), i)
        })
        .collect();
    keyed.par_sort_unstable_by(|a, b| {
        (a.0, a.1)
            .cmp(&(b.0, b.1))
            .then_with(|| id(a.2).cmp(id(b.2)))
    });
    // A new vector, not the sort keys' room reused (six times the size).
    let order: Vec<u32> = keyed.iter().map(|&(_, _, i)| i).collect();
    drop(keyed);
    let events = events.permuted(&order);
    (events, order)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use crate::io::native::{DirFiles, LoadOptions, careful::load_careful};

    /// The streaming path and the careful loader build the same dataset
    /// from the same clean files: the same events in the same order, each
    /// excerpt at the same passage.
    fn both_agree(files: &dyn DatasetFiles, piece: usize) {
        let options = LoadOptions::default();
        let fast =
            load_clean_in(files, &options, piece).expect("a clean dataset takes the fast path");
        let careful = load_careful(files, &options).unwrap();
        let (ds, other) = (&fast.dataset, &careful.dataset);
        assert_eq!(ds.title, other.title);
        assert_eq!(ds.sources, other.sources);
        assert_eq!(ds.actors, other.actors);
        assert_eq!(ds.places, other.places);
        assert_eq!(ds.events, other.events);
        assert_eq!(ds.claims, other.claims);
        assert_eq!(format!("{:?}", ds.eras), format!("{:?}", other.eras));
        assert_eq!(fast.warnings, careful.warnings);
        let cited = ds
            .events
            .iter()
            .flat_map(|e| e.excerpts().iter().collect::<Vec<_>>())
            .count();
        assert!(cited > ds.events.len(), "events cite their passages");
    }

    #[test]
    fn the_fast_path_builds_what_the_careful_loader_builds() {
        // The embedded story: quotes cited by several events, an occurrence
        // past the first, stances.
        both_agree(
            &DirFiles::new(concat!(env!("CARGO_MANIFEST_DIR"), "/data/albania-iran")),
            EVENTS_PIECE,
        );
        // A generated dataset with an events file: many events share each
        // passage, read in more than one run, in one piece and in about
        // twenty (each built while the one before is merged).
        let dir = tempfile::tempdir().unwrap();
        crate::io::generate::generate(
            dir.path(),
            crate::io::generate::GenerateOptions {
                events: 3000,
                seed: 11,
            },
        )
        .unwrap();
        both_agree(&DirFiles::new(dir.path()), EVENTS_PIECE);
        both_agree(&DirFiles::new(dir.path()), 64 << 10);
    }
}
