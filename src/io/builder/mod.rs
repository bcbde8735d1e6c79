//! The one builder: every reader (native, TimelineJS, ACLED, GeoJSON)
//! yields typed entries, each with where it stands in its file, and
//! [`build_checked`] checks them (ids, references, coordinates, EDTF times,
//! links, quotes proven against their articles) and builds the dataset.

use std::collections::HashMap;

use crate::io::diagnostic::{DatasetErrors, Diagnostic, Severity};
use crate::io::format::EventEntry;
pub(crate) use crate::io::json_at::Step;
use crate::model::{
    Actor, ActorIdx, Claim, Dataset, EventIdx, EventPlace, Events, FuzzyTime, Place, PlaceIdx,
    Source,
};
pub(crate) mod ctx;
pub(crate) mod entries;
pub(crate) mod quotes;
pub(crate) mod resolve;
pub(crate) mod rules;
pub(crate) mod stream;

pub(crate) use ctx::{Ctx, Item, Loc, Span, duplicate_keys_found};
pub(crate) use entries::{Entries, items_of};
pub use entries::{EntryOffsets, build_imported, build_imported_with, rebuild};

use crate::io::builder::quotes::prove_quotes;
use crate::io::builder::resolve::{
    Body, Refs, Resolver, index_ids, resolve_claim, resolve_eras, resolve_event, resolve_place,
    resolve_source,
};
use crate::io::files::{DatasetFiles, LoadOptions, Loaded};

/// An event entry waiting to be resolved.
enum Pending {
    /// Every reference found: only what moves into the event is kept.
    Found { body: Body, refs: Refs },
    /// Kept whole (excerpts, links or a reference not found).
    Whole(Box<EventEntry>),
}

/// The first eight bytes of an id, ordered as the id's bytes are.
pub(crate) fn id_prefix(id: &str) -> u64 {
    let mut b = [0u8; 8];
    let n = id.len().min(8);
    b[..n].copy_from_slice(&id.as_bytes()[..n]);
    u64::from_be_bytes(b)
}

/// What to say when the events' strings of one column come to more than the
/// event store holds in one arena ([`Events::MAX_COLUMN_BYTES`]); `None`
/// when all fit.
fn oversized_column(columns: &[(&str, usize)]) -> Option<String> {
    columns
        .iter()
        .find(|(_, bytes)| *bytes > Events::MAX_COLUMN_BYTES)
        .map(|(name, bytes)| {
            format!(
                "the events' {name} come to {bytes} bytes, more than the {} bytes mapline keeps in one column: open a part of the file",
                Events::MAX_COLUMN_BYTES
            )
        })
}

/// The events' ids, end to end in one buffer.
struct IdList {
    text: String,
    ends: Vec<usize>,
}

impl IdList {
    /// Takes each entry's id (leaving it empty).
    fn taken_from(entries: &mut [EventEntry]) -> Self {
        let bytes = entries.iter().map(|e| e.id.len()).sum();
        let mut list = Self {
            text: String::with_capacity(bytes),
            ends: Vec::with_capacity(entries.len()),
        };
        for e in entries {
            list.text.push_str(&std::mem::take(&mut e.id));
            list.ends.push(list.text.len());
        }
        list
    }

    fn get(&self, k: usize) -> &str {
        let start = if k == 0 { 0 } else { self.ends[k - 1] };
        self.text.get(start..self.ends[k]).unwrap_or_default()
    }
}

/// What is said of `n` events imported from `format` that cite no
/// verified excerpt (said once, of the dataset).
pub(crate) fn unsourced_note(n: usize, format: &str) -> String {
    format!("{n} event(s) imported from {format} have no verified excerpt; the reader says so")
}

/// The one builder: checks the entries (unique ids, references, coordinates,
/// EDTF times, links, quotes proven against their articles) and builds the
/// dataset, reporting every problem at its item.
pub(crate) fn build_checked(
    ctx: &mut Ctx<'_>,
    files: &dyn DatasetFiles,
    entries: Entries,
    options: &LoadOptions<'_>,
) -> Result<Loaded, DatasetErrors> {
    let progress = options.progress;
    let Entries {
        title,
        description,
        sources,
        actors,
        places,
        events,
        event_spans,
        claims,
        eras,
        eras_at,
        dataset_at,
        broken,
    } = entries;
    let mut broken = broken;
    // Each entry named by its typed id, located by its span.
    let source_items = items_of("source", &sources, |e| &e.id);
    let actor_items = items_of("actor", &actors, |e| &e.id);
    let place_items = items_of("place", &places, |e| &e.id);
    let claim_items = items_of("claim", &claims, |e| &e.id);
    let source_ids = index_ids(ctx, "source", &source_items);
    let actor_ids = index_ids(ctx, "actor", &actor_items);
    let place_ids = index_ids(ctx, "place", &place_items);
    index_ids(ctx, "claim", &claim_items);

    let sources_resolved: Vec<Source> = sources
        .iter()
        .zip(&source_items)
        .map(|((entry, _), item)| resolve_source(ctx, files, entry, item))
        .collect();
    let actors_resolved: Vec<Actor> = actors.iter().map(|(e, _)| Actor::from(e)).collect();
    let places_resolved: Vec<Place> = places
        .iter()
        .zip(&place_items)
        .map(|((e, _), item)| resolve_place(ctx, e, item))
        .collect();

    // Events in time order (earliest, latest, id): parse times first.
    // The ids move out of the entries first, so that each entry can give up
    // its title and text (an ACLED note is hundreds of bytes) to its event
    // as it is made, while the ids are looked up.
    let mut events = events;
    // In one buffer: a million small strings kept to the end would pin
    // the pages the entries' titles and notes share with them.
    let ids = IdList::taken_from(&mut events);
    // An event is named by its id, kept in `ids` from here on.
    let event_item = |k: usize| Item::new("event", k, ids.get(k), event_spans[k]);
    if let Some(p) = progress {
        p.stage("Reading the times", 0);
    }
    // Parsing a million EDTF times is work for every core.
    let parsed: Vec<_> = {
        use rayon::prelude::*;
        events
            .par_iter_mut()
            .with_min_len(4096)
            .map(|e| {
                // A reader that parsed the time already hands over what it means.
                let time = match e.time_bounds.take() {
                    Some(bounds) => Ok(FuzzyTime::from_parts(&e.time, bounds)),
                    None => FuzzyTime::parse(&e.time),
                };
                // The parsed time keeps its text; a bad one's is kept for its error.
                if time.is_ok() {
                    e.time = String::new();
                }
                time
            })
            .collect()
    };
    // The places and actors of each event whose every reference is known,
    // looked up on every core; the rest (and any event with excerpts or
    // links) are resolved one by one below, with their diagnostics.
    let looked_up: Vec<Option<Refs>> = {
        use rayon::prelude::*;
        events
            .par_iter_mut()
            .with_min_len(4096)
            .map(|e| {
                if !e.excerpts.is_empty() || !e.links.is_empty() {
                    return None;
                }
                let places = e
                    .places
                    .iter()
                    .map(|p| {
                        place_ids.get(p.place.as_str()).map(|&i| EventPlace {
                            place: PlaceIdx(i),
                            role: p.role,
                        })
                    })
                    .collect::<Option<Vec<_>>>()?;
                let actors = e
                    .actors
                    .iter()
                    .map(|a| actor_ids.get(a.as_str()).map(|&i| ActorIdx(i)))
                    .collect::<Option<Vec<_>>>()?;
                // Their ids are not needed again: their memory goes now.
                e.places = Vec::new();
                e.actors = Vec::new();
                Some(Refs { places, actors })
            })
            .collect()
    };
    let mut times: Vec<Option<FuzzyTime>> = Vec::with_capacity(events.len());
    for (k, (entry, time)) in events.iter().zip(parsed).enumerate() {
        match time {
            Ok(t) => times.push(Some(t)),
            Err(e) => {
                let item = event_item(k);
                let at = ctx.value_at(item.span, &[Step::Key("time")]);
                let at = Loc {
                    offset: at.offset + 1 + e.offset,
                    ..at
                };
                ctx.error(
                    at,
                    &item.label(),
                    format!("time {:?}: {}", entry.time, e.message),
                );
                broken.insert(item.label());
                times.push(None);
            }
        }
    }
    // Each entry whose references are all found gives up what its event
    // needs and goes (an entry is 336 bytes); the rest stay whole, to be
    // resolved one by one with their diagnostics.
    let mut waiting: Vec<Pending> = events
        .into_iter()
        .zip(looked_up)
        .map(|(mut entry, refs)| match refs {
            Some(refs) => Pending::Found {
                body: Body::take(&mut entry),
                refs,
            },
            None => Pending::Whole(Box::new(entry)),
        })
        .collect();
    if let Some(p) = progress {
        p.stage("Sorting the events by time", 0);
    }
    // By (earliest, latest, id): small keys sorted, ids compared only when
    // their first eight bytes tie; the entry's position breaks a tie of
    // equal ids, as a stable sort would.
    let mut keys: Vec<((i64, i64), u64, u32)> = times
        .iter()
        .enumerate()
        .filter_map(|(k, t)| {
            t.as_ref()
                .map(|time| (time.bounds_key(), id_prefix(ids.get(k)), k as u32))
        })
        .collect();
    {
        use rayon::prelude::*;
        keys.par_sort_unstable_by(|a, b| {
            (a.0, a.1)
                .cmp(&(b.0, b.1))
                .then_with(|| ids.get(a.2 as usize).cmp(ids.get(b.2 as usize)))
                .then(a.2.cmp(&b.2))
        });
    }
    // The entry of each event, in time order.
    let order: Vec<usize> = keys.into_iter().map(|(_, _, k)| k as usize).collect();
    let event_ids = index_ids(
        ctx,
        "event",
        &order.iter().map(|&k| event_item(k)).collect::<Vec<_>>(),
    );

    let mut resolver = Resolver {
        ctx,
        broken,
        source_ids,
        actor_ids,
        place_ids,
        event_ids,
        suggesters: [None, None, None, None],
        pending: Vec::new(),
    };
    let mut sources_resolved = sources_resolved;
    for (((entry, _), item), source) in sources.iter().zip(&source_items).zip(&mut sources_resolved)
    {
        if let Some(id) = &entry.actor {
            source.actor = resolver.actor(id, item, &[Step::Key("actor")]);
        }
    }
    if let Some(p) = progress {
        p.stage("Resolving events", order.len());
    }
    // Each event goes into the columns as soon as it is made, into arenas
    // sized once for all of them.
    let mut events_resolved = Events::with_capacity(order.len(), 0);
    {
        let (mut titles, mut texts, mut notes) = (0, 0, 0);
        // The imported words: group, display date, type words, attribution.
        let mut words = [0usize; 4];
        let len = |s: &Option<String>| s.as_ref().map_or(0, String::len);
        for w in &waiting {
            let (title, text, note, imported) = match w {
                Pending::Found { body, .. } => (
                    &body.title,
                    &body.text,
                    &body.time_note,
                    body.extra
                        .as_deref()
                        .map(|x| [&x.group, &x.display_date, &x.event_type, &x.attribution]),
                ),
                Pending::Whole(entry) => (
                    &entry.title,
                    &entry.text,
                    &entry.time_note,
                    Some([
                        &entry.group,
                        &entry.display_date,
                        &entry.event_type,
                        &entry.attribution,
                    ]),
                ),
            };
            for (n, s) in words.iter_mut().zip(imported.into_iter().flatten()) {
                *n += len(s);
            }
            titles += title.len();
            texts += usize::from(text.is_some());
            notes += len(note);
        }
        let ids_bytes = ids.text.len();
        let columns = [
            ("ids", ids_bytes),
            ("titles", titles),
            ("time notes", notes),
            ("groups", words[0]),
            ("display dates", words[1]),
            ("type words", words[2]),
            ("attributions", words[3]),
        ];
        if let Some(message) = oversized_column(&columns) {
            resolver.ctx.error(dataset_at, "dataset", message);
            let mut errors: Vec<Diagnostic> = std::mem::take(&mut resolver.ctx.diags);
            errors.retain(|d| d.severity == Severity::Error);
            return Err(DatasetErrors(errors));
        }
        events_resolved.reserve_text(ids_bytes, titles, texts, notes);
    }
    let mut unsourced = 0usize;
    // Stands for an entry already let go.
    let blank = EventEntry::default();
    let cancelled = || Err(crate::io::progress::cancelled());
    // Imported data whose every event was looked up ahead (no excerpts, no
    // links, a title each, nothing wrong so far) can say nothing more as it
    // is resolved: it is made in file order, so that each entry's strings go
    // in the order they were read and their memory empties page by page,
    // and then put in time order by one gather of the columns.
    let in_file_order = options.imported_from.is_some()
        && !resolver.ctx.has_errors()
        && order.len() == waiting.len()
        && waiting.iter().all(
            |w| matches!(w, Pending::Found { body, .. } if rules::says_something(&body.title)),
        );
    if in_file_order {
        for k in 0..waiting.len() {
            let (Some(time), Pending::Found { body, refs }) = (times[k].take(), &mut waiting[k])
            else {
                continue;
            };
            let (body, refs) = (std::mem::take(body), std::mem::take(refs));
            unsourced += 1;
            events_resolved.push_owned(resolve_event(
                &mut resolver,
                (k, time),
                (ids.get(k), &blank),
                (body, Some(refs)),
                &event_item(k),
            ));
            if k % 4096 == 0
                && let Some(p) = progress
            {
                if p.is_cancelled() {
                    return cancelled();
                }
                p.set_done(k);
            }
        }
        waiting = Vec::new();
        let order: Vec<u32> = order.iter().map(|&k| k as u32).collect();
        events_resolved = events_resolved.permuted(&order);
    } else {
        for (index, &k) in order.iter().enumerate() {
            let item = event_item(k);
            let Some(time) = times[k].take() else {
                continue;
            };
            let (entry, body, refs) = match &mut waiting[k] {
                Pending::Found { body, refs } => {
                    (&blank, std::mem::take(body), Some(std::mem::take(refs)))
                }
                Pending::Whole(entry) => {
                    let body = Body::take(entry);
                    (&**entry, body, None)
                }
            };
            if entry.excerpts.is_empty() {
                unsourced += 1;
                if !rules::unsourced_allowed(options.imported_from.is_some()) {
                    let at = resolver.ctx.key_at(item.span, &[Step::Key("id")]);
                    resolver.ctx.warn(
                        at,
                        &item.label(),
                        "unsourced: the event has no excerpt (only imported data may lack them)",
                    );
                }
            }
            events_resolved.push_owned(resolve_event(
                &mut resolver,
                (index, time),
                (ids.get(k), entry),
                (body, refs),
                &item,
            ));
            if index % 4096 == 0
                && let Some(p) = progress
            {
                if p.is_cancelled() {
                    return cancelled();
                }
                p.set_done(index);
            }
        }
    }
    drop(times);
    if let Some(format) = options.imported_from
        && unsourced > 0
    {
        resolver
            .ctx
            .warn(dataset_at, "dataset", unsourced_note(unsourced, format));
    }
    for concern in crate::io::lint::link_concerns(&events_resolved) {
        let k = order[concern.event];
        // Only an event with links has link concerns, and it was kept whole.
        let Pending::Whole(entry) = &waiting[k] else {
            continue;
        };
        let item = event_item(k);
        // Links that failed to resolve were dropped: find the written link by its target.
        let owner = events_resolved.get(EventIdx(concern.event as u32));
        let target = events_resolved.get(owner.links()[concern.link].event).id();
        let n = entry
            .links
            .iter()
            .position(|l| l.event == target)
            .unwrap_or(concern.link);
        let at = resolver.ctx.value_at(
            item.span,
            &[Step::Key("links"), Step::Index(n), Step::Key("event")],
        );
        resolver.ctx.warn(
            at,
            &format!("{} link {}", item.label(), n + 1),
            concern.message,
        );
    }
    let mut claims_resolved: Vec<Claim> = Vec::with_capacity(claims.len());
    for (index, ((entry, _), item)) in claims.iter().zip(&claim_items).enumerate() {
        claims_resolved.push(resolve_claim(&mut resolver, index, entry, item));
    }
    let pending = std::mem::take(&mut resolver.pending);
    if let Some(p) = progress {
        p.stage("Verifying quotes against the articles", pending.len());
    }
    prove_quotes(
        ctx,
        &sources_resolved,
        pending,
        &mut events_resolved,
        &mut claims_resolved,
    );

    // The notes on event excerpts, by passage (once the spans are proven).
    let mut excerpt_notes: HashMap<crate::model::Excerpt, String> = HashMap::new();
    for (i, &k) in order.iter().enumerate() {
        if let Some(Pending::Whole(entry)) = waiting.get(k) {
            let proven = events_resolved.get(EventIdx(i as u32)).excerpts();
            for (x, written) in proven.iter().zip(&entry.excerpts) {
                if let Some(note) = &written.note {
                    excerpt_notes.insert(x, note.clone());
                }
            }
        }
    }
    if !ctx.has_errors() {
        let (stances, excerpts) = crate::io::lint::attribution_concerns(crate::io::lint::Parts {
            sources: &sources_resolved,
            actors: &actors_resolved,
            events: &events_resolved,
            claims: &claims_resolved,
            excerpt_notes: &excerpt_notes,
        });
        for (c, k, message) in stances {
            let Some(item) = claim_items.get(c) else {
                continue;
            };
            let path = [Step::Key("stances"), Step::Index(k), Step::Key("quote")];
            let at = ctx.value_at(item.span, &path);
            ctx.warn(at, &format!("{} stance {}", item.label(), k + 1), message);
        }
        for (i, k, message) in excerpts {
            let Some(&kk) = order.get(i) else {
                continue;
            };
            let item = event_item(kk);
            let path = [Step::Key("excerpts"), Step::Index(k), Step::Key("quote")];
            let at = ctx.value_at(item.span, &path);
            ctx.warn(at, &format!("{} excerpt {}", item.label(), k + 1), message);
        }
    }
    let eras = resolve_eras(ctx, eras_at, &eras);
    // What is left of the entries goes before the indexes are built.
    drop(waiting);
    drop(ids);
    if ctx.has_errors() {
        let mut errors: Vec<Diagnostic> = std::mem::take(&mut ctx.diags);
        errors.retain(|d| d.severity == Severity::Error);
        return Err(DatasetErrors(errors));
    }
    if let Some(p) = progress {
        p.stage("Building indexes", 0);
    }
    let mut dataset = Dataset::new(
        title,
        description,
        sources_resolved,
        actors_resolved,
        places_resolved,
        events_resolved,
        claims_resolved,
    );
    dataset.eras = eras;
    dataset.excerpt_notes = excerpt_notes;
    Ok(Loaded {
        dataset,
        warnings: std::mem::take(&mut ctx.diags),
    })
}

#[cfg(test)]
mod tests;
