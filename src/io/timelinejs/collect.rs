//! What the two TimelineJS readers share: the slides collected into typed
//! entries, their times settled, ids, places and actors made into a
//! manifest (texts, labels and ids are made in [`super::text`]).

use rustc_hash::{FxHashMap, FxHashSet};

use serde_json::value::RawValue;

use crate::io::diagnostic::DatasetErrors;
use crate::io::format::{
    ActorEntry, EraEntry, EventEntry, EventPlaceEntry, LinkEntry, MediaEntry, PlaceEntry,
    TimelineJsDates,
};
use crate::io::imported::{Imported, empty_manifest};
use crate::model::{Category, TimeBounds, TimeRef};

use super::dates::{DateFields, Timed};
use super::{MaplineEvent, MaplineStory, TITLE_CHARS};

pub(crate) use super::text::{
    file_stem, item_label, non_empty, non_empty_owned, short, slug, strip_html,
};

// ---------------------------------------------------------------------------
// Reporting.

pub(crate) type Cx<'t> = crate::io::imported::Found<'t>;

impl Cx<'_> {
    /// Byte offset of a raw JSON value (a slice of the text).
    pub(crate) fn raw_offset(&self, raw: &RawValue) -> usize {
        self.offset_of(raw.get())
    }

    /// Where a `serde_json` error inside the value at `base` stands, and its
    /// message without serde's position suffix.
    pub(crate) fn json_error(&self, base: usize, e: &serde_json::Error) -> (usize, String) {
        let at = self.lines.offset_of_json_pos(base, e.line(), e.column());
        (at, crate::io::diagnostic::strip_position(e))
    }
}

// ---------------------------------------------------------------------------
// What both readers make.

/// An event's id, as [`finish`] settles it.
enum Id {
    /// Its `unique_id` (or `mapline` id).
    Given,
    /// A slug of its headline and number, for an event that gives none.
    Slug(String),
    /// It repeats an earlier event's id (reported).
    Refused,
}

/// An event read from the file, before ids are settled.
pub(crate) struct Pending {
    /// 1-based among the events.
    pub(crate) number: usize,
    /// Where the slide or row starts in the file.
    pub(crate) at: usize,
    pub(crate) item: String,
    /// `unique_id` or the `mapline` id, and where it stands.
    pub(crate) given_id: Option<(String, usize)>,
    pub(crate) headline: String,
    pub(crate) text: String,
    pub(crate) time: String,
    /// What `time` means: [`TimeBounds::parse`] of it, as the reader found.
    pub(crate) bounds: TimeBounds,
    pub(crate) dates: TimelineJsDates,
    pub(crate) media: Option<MediaEntry>,
    pub(crate) group: Option<String>,
    pub(crate) display_date: Option<String>,
    pub(crate) event_type: Option<String>,
    pub(crate) mapline: Option<(MaplineEvent, usize)>,
}

/// Everything read, to be turned into a manifest.
#[derive(Default)]
pub(crate) struct Collected {
    pub(crate) title: Option<String>,
    pub(crate) description: Option<String>,
    /// In file order; `None` for a slide or row that gave none (reported).
    pub(crate) events: Vec<Option<Pending>>,
    pub(crate) eras: Vec<EraEntry>,
    pub(crate) dropped_backgrounds: usize,
    pub(crate) dropped_thumbnails: usize,
    /// Where the first dropped field stands.
    pub(crate) first_dropped: Option<usize>,
    /// The title slide's `mapline` object, and where it stands.
    pub(crate) story: Option<(MaplineStory, usize)>,
}

impl Collected {
    /// Adds what a later part of the file gave (its events after these).
    pub(crate) fn merge(&mut self, mut later: Collected) {
        self.events.append(&mut later.events);
        self.eras.append(&mut later.eras);
        self.dropped_backgrounds += later.dropped_backgrounds;
        self.dropped_thumbnails += later.dropped_thumbnails;
        if self.first_dropped.is_none() {
            self.first_dropped = later.first_dropped;
        }
    }

    pub(crate) fn dropped(&mut self, at: usize, background: bool) {
        if background {
            self.dropped_backgrounds += 1;
        } else {
            self.dropped_thumbnails += 1;
        }
        self.first_dropped.get_or_insert(at);
    }
}

/// The time of an event: its dates' EDTF, or the exact EDTF of the
/// `mapline` object when the dates still say the same; with what it means
/// (its [`TimeBounds`], as parsing it found).
///
/// `time_at` is where the `mapline` object's time stands in the file (its
/// opening quote), if it gives one.
pub(crate) fn settle_time(
    cx: &mut Cx<'_>,
    item: &str,
    (dates_edtf, dates_bounds): Timed,
    fields: (DateFields, Option<DateFields>),
    mapline: Option<&(MaplineEvent, usize)>,
    time_at: Option<usize>,
) -> Option<Timed> {
    let Some((m, at)) = mapline else {
        return Some((dates_edtf, dates_bounds));
    };
    let Some(time) = &m.time else {
        return Some((dates_edtf, dates_bounds));
    };
    let time_at = time_at.unwrap_or(*at);
    match TimeBounds::parse(time) {
        Err(e) => {
            cx.error(
                time_at + 1 + e.offset,
                item,
                format!("mapline.time {time:?}: {}", e.message),
            );
            None
        }
        Ok(bounds) => {
            if *time == dates_edtf {
                Some((dates_edtf, dates_bounds))
            } else if super::dates::derive_dates(TimeRef::new(time, bounds)) == fields {
                Some((time.clone(), bounds))
            } else {
                cx.warn(
                    time_at,
                    item,
                    format!(
                        "mapline.time {time:?} no longer matches start_date/end_date ({dates_edtf}); the TimelineJS dates are used"
                    ),
                );
                Some((dates_edtf, dates_bounds))
            }
        }
    }
}

/// Settles ids, places and actors, and makes the manifest.
pub(crate) fn finish(
    cx: Cx<'_>,
    label: &str,
    collected: Collected,
) -> Result<Imported, DatasetErrors> {
    let mut cx = cx;
    if let (Some(at), true) = (
        collected.first_dropped,
        collected.dropped_backgrounds + collected.dropped_thumbnails > 0,
    ) {
        let mut parts = Vec::new();
        if collected.dropped_backgrounds > 0 {
            parts.push(format!(
                "slide backgrounds ({})",
                collected.dropped_backgrounds
            ));
        }
        if collected.dropped_thumbnails > 0 {
            parts.push(format!(
                "media thumbnails ({})",
                collected.dropped_thumbnails
            ));
        }
        cx.warn(
            at,
            "dataset",
            format!(
                "not kept, mapline has no place for them: {}",
                parts.join(", ")
            ),
        );
    }

    // Ids: the given ones first (duplicates are errors), then slugs.
    let pending = || collected.events.iter().flatten();
    let n = pending().count();
    let mut taken: FxHashMap<&str, usize> = FxHashMap::default();
    taken.reserve(n);
    let mut ids: Vec<Id> = Vec::with_capacity(n);
    for p in pending() {
        let Some((id, at)) = &p.given_id else {
            ids.push(Id::Slug(String::new()));
            continue;
        };
        if let Some(first) = taken.get(id.as_str()) {
            let line = cx.lines.pos(*first).line;
            cx.error(
                *at,
                &p.item,
                format!("duplicate unique_id {id:?} (first used at line {line})"),
            );
            ids.push(Id::Refused);
        } else {
            taken.insert(id, *at);
            ids.push(Id::Given);
        }
    }
    let mut slugs: FxHashSet<String> = FxHashSet::default();
    for (slot, p) in ids.iter_mut().zip(pending()) {
        let Id::Slug(slot) = slot else {
            continue;
        };
        let source = if p.headline.is_empty() {
            &p.text
        } else {
            &p.headline
        };
        let base = format!("{}-{}", slug(source), p.number);
        let mut id = base.clone();
        let mut n = 2usize;
        while taken.contains_key(id.as_str()) || slugs.contains(&id) {
            id = format!("{base}-{n}");
            n += 1;
        }
        slugs.insert(id.clone());
        *slot = id;
    }
    drop(taken);
    drop(slugs);

    let mut places: Vec<PlaceEntry> = Vec::new();
    let mut place_index: FxHashMap<String, usize> = FxHashMap::default();
    let mut actors: Vec<ActorEntry> = Vec::new();
    let mut actor_index: FxHashMap<String, usize> = FxHashMap::default();
    // Each event; and where it stands, its item, and where its `mapline`
    // object stands (apart, so that the events become the manifest's as
    // they are).
    let mut events: Vec<EventEntry> = Vec::with_capacity(n);
    let mut spots: Vec<(usize, String, Option<usize>)> = Vec::with_capacity(n);
    for (id, p) in ids.into_iter().zip(collected.events.into_iter().flatten()) {
        let Pending {
            number,
            at,
            item,
            given_id,
            headline,
            text,
            time,
            bounds,
            dates,
            media,
            group,
            display_date,
            event_type,
            mapline,
        } = p;
        let id = match (id, given_id) {
            (Id::Given, Some((id, _))) | (Id::Slug(id), _) => id,
            (Id::Refused | Id::Given, _) => continue,
        };
        let title = if !headline.is_empty() {
            headline
        } else if !text.is_empty() {
            short(&text, TITLE_CHARS)
        } else {
            format!("Untitled event {number}")
        };
        let mut entry = EventEntry {
            id,
            title,
            time,
            time_bounds: Some(bounds),
            category: Category::Other,
            text: non_empty_owned(text),
            media: media.map(Box::new),
            group,
            display_date,
            event_type,
            timelinejs: Some(Box::new(dates)),
            ..EventEntry::default()
        };
        let mapline_at = mapline.as_ref().map(|(_, at)| *at);
        if let Some((m, m_at)) = mapline {
            entry.time_note = m.time_note;
            entry.category = m.category.unwrap_or(Category::Other);
            if m.event_type.is_some() {
                entry.event_type = m.event_type;
            }
            entry.attribution = m.attribution;
            for place in m.places {
                let (new, role) = place.into_entry();
                match place_index.get(&new.id).and_then(|&i| places.get(i)) {
                    Some(known) if *known != new => cx.warn(
                        m_at,
                        &item,
                        format!(
                            "mapline: place {:?} is described differently than in an earlier event; the first description is kept",
                            new.id
                        ),
                    ),
                    Some(_) => {}
                    None => {
                        place_index.insert(new.id.clone(), places.len());
                        entry.places.push(EventPlaceEntry {
                            place: new.id.clone(),
                            role,
                        });
                        places.push(new);
                        continue;
                    }
                }
                entry.places.push(EventPlaceEntry {
                    place: new.id,
                    role,
                });
            }
            for actor in m.actors {
                match actor_index.get(&actor.id).and_then(|&i| actors.get(i)) {
                    Some(known) if *known != actor => cx.warn(
                        m_at,
                        &item,
                        format!(
                            "mapline: actor {:?} is described differently than in an earlier event; the first description is kept",
                            actor.id
                        ),
                    ),
                    Some(_) => {}
                    None => {
                        actor_index.insert(actor.id.clone(), actors.len());
                        entry.actors.push(actor.id.clone());
                        actors.push(actor);
                        continue;
                    }
                }
                entry.actors.push(actor.id);
            }
            entry.links = m.links;
        }
        events.push(entry);
        spots.push((at, item, mapline_at));
    }
    // Links may only point at events of this file.
    let known: FxHashSet<&str> = events.iter().map(|e| e.id.as_str()).collect();
    let kept: Vec<(usize, Vec<LinkEntry>)> = events
        .iter()
        .enumerate()
        .filter_map(|(i, e)| {
            let good = |l: &&LinkEntry| known.contains(l.event.as_str()) && l.event != e.id;
            (!e.links.iter().all(|l| good(&l)))
                .then(|| (i, e.links.iter().filter(good).cloned().collect()))
        })
        .collect();
    drop(known);
    for (i, links) in kept {
        if let (Some(e), Some((_, item, mapline_at))) = (events.get_mut(i), spots.get(i)) {
            e.links = links;
            if let Some(at) = mapline_at {
                cx.warn(
                    *at,
                    item,
                    "mapline: links to events that are not in this file are dropped",
                );
            }
        }
    }

    let (sources, claims, articles) = match collected.story {
        Some((story, at)) => read_story(
            &mut cx,
            story,
            at,
            (&mut places, &mut place_index),
            (&mut actors, &mut actor_index),
            &events.iter().map(|e| e.id.as_str()).collect(),
        ),
        None => Default::default(),
    };

    // In file order, whatever order the checks ran in.
    cx.errors.sort_by_key(|d| (d.line, d.column));
    cx.warnings.sort_by_key(|d| (d.line, d.column));
    if !cx.errors.is_empty() {
        return Err(DatasetErrors(cx.errors));
    }
    let title = collected
        .title
        .filter(|t| !t.trim().is_empty())
        .unwrap_or_else(|| file_stem(label));
    let mut manifest = empty_manifest(title);
    manifest.description = collected.description.unwrap_or_default();
    manifest.places = places;
    manifest.actors = actors;
    manifest.sources = sources;
    manifest.claims = claims;
    let offsets = crate::io::native::EntryOffsets {
        events: spots.iter().map(|(at, ..)| *at).collect(),
        ..Default::default()
    };
    // The builder reports at the events' offsets only: their positions,
    // so that the file need not be held (or its lines found) again.
    // One pass over the file, however long its lines (a minified file is one).
    let positions = offsets
        .events
        .iter()
        .copied()
        .zip(cx.lines.positions(&offsets.events))
        .collect();
    drop(spots);
    manifest.events = events;
    manifest.eras = collected.eras;
    Ok(Imported {
        offsets,
        manifest,
        warnings: cx.warnings,
        positions: Some(crate::io::diagnostic::LineIndex::from_positions(positions)),
        articles,
    })
}

/// What the title slide's `mapline` object gives: the sources (their
/// articles by file name, for the loader to prove the quotes against) and
/// the claims; its actors and places join those of the events (the first
/// description of an id wins). A claim's events that are not in the file
/// are dropped, with a warning.
fn read_story(
    cx: &mut Cx<'_>,
    story: MaplineStory,
    at: usize,
    (places, place_index): (&mut Vec<PlaceEntry>, &mut FxHashMap<String, usize>),
    (actors, actor_index): (&mut Vec<ActorEntry>, &mut FxHashMap<String, usize>),
    events: &FxHashSet<&str>,
) -> (
    Vec<crate::io::format::SourceEntry>,
    Vec<crate::io::format::ClaimEntry>,
    std::collections::HashMap<String, Vec<u8>>,
) {
    let differs = |cx: &mut Cx<'_>, kind: &str, id: &str| {
        cx.warn(
            at,
            "title",
            format!(
                "mapline: {kind} {id:?} is described differently than in an event; the first description is kept"
            ),
        );
    };
    for place in story.places {
        match place_index.get(&place.id).and_then(|&i| places.get(i)) {
            Some(known) if *known != place => differs(cx, "place", &place.id),
            Some(_) => {}
            None => {
                place_index.insert(place.id.clone(), places.len());
                places.push(place);
            }
        }
    }
    for actor in story.actors {
        match actor_index.get(&actor.id).and_then(|&i| actors.get(i)) {
            Some(known) if *known != actor => differs(cx, "actor", &actor.id),
            Some(_) => {}
            None => {
                actor_index.insert(actor.id.clone(), actors.len());
                actors.push(actor);
            }
        }
    }
    let mut articles = std::collections::HashMap::new();
    let mut sources = Vec::with_capacity(story.sources.len());
    for source in story.sources {
        let (entry, text) = source.into_entry();
        if articles.contains_key(&entry.file) {
            cx.error(
                at,
                "title",
                format!(
                    "mapline: source {:?} gives the file {:?} of an earlier source; each article needs a file of its own",
                    entry.id, entry.file
                ),
            );
            continue;
        }
        articles.insert(entry.file.clone(), text.into_bytes());
        sources.push(entry);
    }
    let mut dropped = 0usize;
    let mut claims = story.claims;
    for claim in &mut claims {
        let before = claim.events.len();
        claim.events.retain(|e| events.contains(e.as_str()));
        dropped += before - claim.events.len();
    }
    if dropped > 0 {
        cx.warn(
            at,
            "title",
            format!(
                "mapline: {dropped} event(s) that claims are about are not in this file; they are dropped from the claims"
            ),
        );
    }
    (sources, claims, articles)
}
