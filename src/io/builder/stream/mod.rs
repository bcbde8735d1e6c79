//! The streaming builder for a dataset with nothing wrong in it: its
//! events read in pieces and built in parallel straight into the event
//! store (ids resolved at once), each distinct quote proven once. The same
//! rules as [`super::build_checked`]; at the first doubt it gives up
//! (`None`), and the careful reading through the one builder reports every
//! problem where it stands. A test holds the two to the same dataset and
//! the same diagnostics on the whole broken corpus and on generated data.

use std::collections::HashMap;

mod book;
pub(crate) mod line;

use self::book::{Found, QuoteBook, SourceQuotes, fx_hash, pending};
use self::line::{BuiltLines, Lookups, build_events};
use crate::io::blocks::{event_lines, for_each_piece};
use crate::io::builder::resolve::{index_ids, resolve_eras, resolve_place, resolve_source};
use crate::io::builder::{Ctx, Entries, Item, items_of, rules, unsourced_note};
use crate::io::files::{DatasetFiles, LoadOptions, Loaded};
use crate::io::progress::Progress;
use crate::io::quote::fold_quote;
use crate::model::{
    Actor, ActorIdx, Claim, Dataset, EventIdx, EventLink, Events, Excerpt, Place, PlaceIdx, Source,
    SourceIdx, Stance,
};

pub(crate) use self::book::FxMap;

/// The events of a clean dataset, as its reader hands them over.
pub(crate) struct CleanEvents<'t, 'f> {
    /// The events standing in the manifest, each its JSON text.
    pub(crate) inline: Vec<&'t str>,
    /// The events file (JSON Lines) and its length, to be read in pieces.
    pub(crate) file: Option<(Box<dyn std::io::Read + 'f>, u64)>,
    /// The events file is read in pieces of about this many bytes.
    pub(crate) piece: usize,
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

/// The ids of a list of items, with their positions.
pub(crate) fn ids_of<'a>(list: &[Item<'a>]) -> FxMap<&'a str, u32> {
    list.iter()
        .enumerate()
        .map(|(i, item)| (item.id, i as u32))
        .collect()
}

/// Builds a dataset that has no problem at all from its reader's entries
/// (`entries.events` empty: the events come as text in `events`); `None` at
/// the first problem (or the first warning, but the one that says imported
/// events have no excerpt).
pub(crate) fn build_clean(
    ctx: &mut Ctx<'_>,
    files: &dyn DatasetFiles,
    entries: Entries,
    events: CleanEvents<'_, '_>,
    options: &LoadOptions<'_>,
) -> Option<Loaded> {
    use rayon::prelude::*;
    let progress = options.progress;
    let Entries {
        title,
        description,
        sources,
        actors,
        places,
        claims,
        eras,
        eras_at,
        dataset_at,
        ..
    } = entries;
    let source_list = items_of("source", &sources, |e| &e.id);
    let actor_list = items_of("actor", &actors, |e| &e.id);
    let place_list = items_of("place", &places, |e| &e.id);
    let claim_list = items_of("claim", &claims, |e| &e.id);
    index_ids(ctx, "source", &source_list);
    index_ids(ctx, "actor", &actor_list);
    index_ids(ctx, "place", &place_list);
    index_ids(ctx, "claim", &claim_list);
    let mut sources_resolved: Vec<Source> = sources
        .iter()
        .zip(&source_list)
        .map(|((entry, _), item)| resolve_source(ctx, files, entry, item))
        .collect();
    let places_resolved: Vec<Place> = places
        .iter()
        .zip(&place_list)
        .map(|((e, _), item)| resolve_place(ctx, e, item))
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
    sink.take(&events.inline, &lookups)?;
    if let Some((mut reader, len)) = events.file {
        let piece = events.piece;
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
        rules::stances_given(entry.stances.len()).ok()?;
        for s in &entry.stances {
            lookups.actors.get(s.actor.as_str())?;
            let source = *lookups.sources.get(s.source.as_str())?;
            let occurrence = u32::try_from(rules::occurrence(s.occurrence).ok()?).ok()?;
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
    let eras = resolve_eras(ctx, eras_at, &eras);
    if !ctx.diags.is_empty() {
        return None;
    }
    if let Some(format) = options.imported_from
        && unsourced > 0
    {
        ctx.warn(dataset_at, "dataset", unsourced_note(unsourced, format));
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
        title,
        description,
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
        warnings: std::mem::take(&mut ctx.diags),
    })
}

/// The events in time order (earliest, latest, id: ids are unique, so the
/// order is total), and the order: the `k`th event is `order[k]` of those given.
pub(crate) fn into_time_order(events: Events) -> (Events, Vec<u32>) {
    use rayon::prelude::*;
    let n = events.len();
    // Days with the sign bit flipped order as unsigned numbers; an open
    // start is 0 and an open end u64::MAX (no day reaches either).
    let day_key =
        |d: Option<crate::model::Day>, open: u64| d.map_or(open, |d| (d.0 as u64) ^ (1 << 63));
    // The first eight bytes of the id order ids as their bytes do; only
    // equal prefixes need the whole ids compared.
    let id_prefix = crate::io::builder::id_prefix;
    let id = |i: u32| events.get(EventIdx(i)).id();
    let mut keyed: Vec<(u64, u64, u64, u32)> = (0..n as u32)
        .into_par_iter()
        .map(|i| {
            let t = events.bounds_of(i as usize);
            let (early, late) = (day_key(t.earliest(), 0), day_key(t.latest(), u64::MAX));
            (early, late, id_prefix(id(i)), i)
        })
        .collect();
    keyed.par_sort_unstable_by(|a, b| {
        (a.0, a.1, a.2)
            .cmp(&(b.0, b.1, b.2))
            .then_with(|| id(a.3).cmp(id(b.3)))
    });
    // A new vector, not the sort keys' room reused (eight times the size).
    let order: Vec<u32> = keyed.iter().map(|&(_, _, _, i)| i).collect();
    drop(keyed);
    let events = events.permuted(&order);
    (events, order)
}
