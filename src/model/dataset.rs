//! The loaded dataset and the indexes built once beside it.

use std::collections::HashMap;

use rstar::RTree;
use rstar::primitives::GeomWithData;

use super::Excerpt;
use super::time::{FuzzyTime, TimeWindow, WindowRule};
use super::{
    Actor, ActorIdx, Claim, EventIdx, EventRef, Events, Place, PlaceIdx, Source, SourceIdx,
};

/// A named span of time drawn as a shaded band on the timeline (TimelineJS
/// `eras`); not an event.
#[derive(Clone, Debug, PartialEq)]
pub struct Era {
    /// Its name.
    pub title: String,
    /// When.
    pub time: FuzzyTime,
    /// Optional text.
    pub text: Option<String>,
}

/// A hash of an event id (`FxHash` words, finally mixed), the first key of
/// the id index.
#[must_use]
pub(crate) fn id_hash(id: &str) -> u64 {
    let mut h: u64 = id.len() as u64;
    let mut chunks = id.as_bytes().chunks_exact(8);
    for c in &mut chunks {
        let mut word = [0u8; 8];
        word.copy_from_slice(c);
        h = (h.rotate_left(5) ^ u64::from_le_bytes(word)).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
    let rest = chunks.remainder();
    let mut word = [0u8; 8];
    word[..rest.len()].copy_from_slice(rest);
    h = (h.rotate_left(5) ^ u64::from_le_bytes(word)).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^ (h >> 33)
}

/// Event indices sorted by (id hash, id), and whether two events share an
/// id; `id(i)` is the id of event `i` of `n`.
#[must_use]
pub(crate) fn order_by_id<'e>(n: usize, id: impl Fn(usize) -> &'e str + Sync) -> (Vec<u32>, bool) {
    use rayon::prelude::*;
    let mut keyed: Vec<(u64, u32)> = (0..n)
        .into_par_iter()
        .map(|i| (id_hash(id(i)), i as u32))
        .collect();
    keyed.par_sort_unstable_by(|a, b| {
        a.0.cmp(&b.0)
            .then_with(|| id(a.1 as usize).cmp(id(b.1 as usize)))
    });
    let duplicate = keyed
        .windows(2)
        .any(|w| w[0].0 == w[1].0 && id(w[0].1 as usize) == id(w[1].1 as usize));
    (keyed.into_iter().map(|(_, i)| i).collect(), duplicate)
}

/// The event with `id`, through an index in [`order_by_id`]; `id_of(i)` is
/// the id of event `i`.
#[must_use]
pub(crate) fn find_by_id<'e>(
    id_of: impl Fn(usize) -> &'e str,
    by_id: &[u32],
    id: &str,
) -> Option<u32> {
    let h = id_hash(id);
    by_id
        .binary_search_by(|&i| {
            let e = id_of(i as usize);
            id_hash(e).cmp(&h).then_with(|| e.cmp(id))
        })
        .ok()
        .map(|k| by_id[k])
}

/// The window from the earliest known day to the latest known day of all
/// events; `None` without events.
fn extent_of(events: &Events) -> Option<TimeWindow> {
    let start = events
        .bounds()
        .filter_map(|t| t.earliest().or(t.latest()))
        .min()?;
    let end = events
        .bounds()
        .filter_map(|t| t.latest().or(t.earliest()))
        .max()?;
    Some(TimeWindow::new(start, end))
}

/// A place's position (lon, lat) in the spatial index, carrying its index.
pub type PlacePoint = GeomWithData<[f64; 2], PlaceIdx>;

/// A whole dataset, immutable once loaded.
///
/// Invariants (established by the loader): ids are unique per kind; every
/// index points into its vector; `events` are sorted by earliest, then
/// latest, then id, so an [`EventIdx`] order is time order; every excerpt's
/// span lies in its source's text.
#[derive(Debug)]
pub struct Dataset {
    /// The dataset's title.
    pub title: String,
    /// A short description.
    pub description: String,
    /// The articles.
    pub sources: Vec<Source>,
    /// Who acts and speaks.
    pub actors: Vec<Actor>,
    /// Where.
    pub places: Vec<Place>,
    /// What happened, in time order, held as columns.
    pub events: Events,
    /// Who says what.
    pub claims: Vec<Claim>,
    /// Named spans of time, shaded on the timeline.
    pub eras: Vec<Era>,
    /// Notes on event excerpts (by passage): why the attribution lints do
    /// not apply to them.
    pub excerpt_notes: HashMap<Excerpt, String>,
    place_by_id: HashMap<String, PlaceIdx>,
    /// Event indices sorted by id (a binary search finds one; no copy of
    /// the ids is kept).
    event_by_id: Vec<u32>,
    place_events: Vec<Vec<EventIdx>>,
    spatial: RTree<PlacePoint>,
    contested: Vec<bool>,
    /// [`Self::time_extent`], found once.
    extent: Option<TimeWindow>,
    generation: u64,
}

impl Dataset {
    /// Builds the indexes. The caller (the loader) guarantees the invariants.
    #[must_use]
    pub fn new(
        title: String,
        description: String,
        sources: Vec<Source>,
        actors: Vec<Actor>,
        places: Vec<Place>,
        events: impl Into<Events>,
        claims: Vec<Claim>,
    ) -> Self {
        let events = events.into();
        let (by_id, _) = Self::event_order_by_id(&events);
        Self::with_event_ids(
            title,
            description,
            sources,
            actors,
            places,
            events,
            claims,
            by_id,
        )
    }

    /// Builds the indexes, given the event indices in [`order_by_id`] (the
    /// loader has them already).
    #[must_use]
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn with_event_ids(
        title: String,
        description: String,
        sources: Vec<Source>,
        actors: Vec<Actor>,
        places: Vec<Place>,
        events: impl Into<Events>,
        claims: Vec<Claim>,
        event_by_id: Vec<u32>,
    ) -> Self {
        let mut events: Events = events.into();
        events.compact();
        let place_by_id = places
            .iter()
            .enumerate()
            .map(|(i, p)| (p.id.clone(), PlaceIdx(i as u32)))
            .collect();
        let mut place_events = vec![Vec::new(); places.len()];
        for (i, event) in events.iter().enumerate() {
            for p in event.places() {
                let list: &mut Vec<EventIdx> = &mut place_events[p.place.index()];
                if list.last() != Some(&EventIdx(i as u32)) {
                    list.push(EventIdx(i as u32));
                }
            }
        }
        let spatial = RTree::bulk_load(
            places
                .iter()
                .enumerate()
                .map(|(i, p)| PlacePoint::new([p.lon, p.lat], PlaceIdx(i as u32)))
                .collect(),
        );
        let mut contested = vec![false; events.len()];
        for claim in claims.iter().filter(|c| c.is_contested(&sources, None)) {
            for e in &claim.events {
                if let Some(flag) = contested.get_mut(e.index()) {
                    *flag = true;
                }
            }
        }
        let extent = extent_of(&events);
        Self {
            title,
            description,
            sources,
            actors,
            places,
            events,
            claims,
            eras: Vec::new(),
            excerpt_notes: HashMap::new(),
            place_by_id,
            event_by_id,
            place_events,
            spatial,
            contested,
            extent,
            generation: {
                static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
                NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
            },
        }
    }

    /// The bytes the events take: the store's buffers by capacity (arenas
    /// included) and the indexes kept beside them per event (by id, by
    /// place, contested).
    #[must_use]
    pub fn event_store_bytes(&self) -> usize {
        let by_place: usize = self
            .place_events
            .iter()
            .map(|l| l.capacity() * size_of::<EventIdx>())
            .sum::<usize>()
            + self.place_events.capacity() * size_of::<Vec<EventIdx>>();
        self.events.heap_bytes()
            + self.event_by_id.capacity() * 4
            + self.contested.capacity()
            + by_place
    }

    /// A number no other dataset of this process has: caches of derived
    /// data (the map's projected places) are keyed by it.
    #[must_use]
    pub fn generation(&self) -> u64 {
        self.generation
    }

    /// Event indices sorted by (id hash, id), and whether two events share
    /// an id: the order [`Self::with_event_ids`] wants.
    #[must_use]
    pub(crate) fn event_order_by_id(events: &Events) -> (Vec<u32>, bool) {
        order_by_id(events.len(), |i| events.get(EventIdx(i as u32)).id())
    }

    /// The event with `id`, through indices in [`Self::event_order_by_id`].
    #[must_use]
    pub(crate) fn find_event_id(events: &Events, by_id: &[u32], id: &str) -> Option<u32> {
        find_by_id(|i| events.get(EventIdx(i as u32)).id(), by_id, id)
    }

    /// The place with this id.
    #[must_use]
    pub fn place_by_id(&self, id: &str) -> Option<PlaceIdx> {
        self.place_by_id.get(id).copied()
    }

    /// The event with this id.
    #[must_use]
    pub fn event_by_id(&self, id: &str) -> Option<EventIdx> {
        find_by_id(
            |i| self.events.get(EventIdx(i as u32)).id(),
            &self.event_by_id,
            id,
        )
        .map(EventIdx)
    }

    /// The place at an index.
    #[must_use]
    pub fn place(&self, idx: PlaceIdx) -> &Place {
        &self.places[idx.index()]
    }

    /// The event at an index.
    #[must_use]
    pub fn event(&self, idx: EventIdx) -> EventRef<'_> {
        self.events.get(idx)
    }

    /// The source at an index.
    #[must_use]
    pub fn source(&self, idx: SourceIdx) -> &Source {
        &self.sources[idx.index()]
    }

    /// The actor at an index.
    #[must_use]
    pub fn actor(&self, idx: ActorIdx) -> &Actor {
        &self.actors[idx.index()]
    }

    /// Events touching a place, in time order.
    #[must_use]
    pub fn events_at(&self, place: PlaceIdx) -> &[EventIdx] {
        self.place_events
            .get(place.index())
            .map_or(&[], Vec::as_slice)
    }

    /// The spatial index of places, in (lon, lat) degrees.
    #[must_use]
    pub fn spatial(&self) -> &RTree<PlacePoint> {
        &self.spatial
    }

    /// All event indices in time order.
    pub fn event_indices(
        &self,
    ) -> impl DoubleEndedIterator<Item = EventIdx> + ExactSizeIterator + '_ {
        (0..self.events.len() as u32).map(EventIdx)
    }

    /// Events that count as in `window` under `rule`, in time order.
    pub fn events_in(
        &self,
        window: TimeWindow,
        rule: WindowRule,
    ) -> impl Iterator<Item = EventIdx> + '_ {
        // Events are sorted by earliest: everything after the first event
        // starting past the window's end is out.
        let events = &self.events;
        let end = events.partition_bounds(|t| t.earliest().is_none_or(|d| d <= window.end));
        (0..end as u32)
            .map(EventIdx)
            .filter(move |&i| rule.admits(&events.bounds_of(i.index()), &window))
    }

    /// The window from the earliest known day to the latest known day of all
    /// events; `None` for a dataset without events.
    #[must_use]
    pub fn time_extent(&self) -> Option<TimeWindow> {
        self.extent
    }

    /// The distinct sources an event's excerpts come from, in source order.
    #[must_use]
    pub fn event_sources(&self, event: EventIdx) -> Vec<SourceIdx> {
        let mut sources: Vec<SourceIdx> = self
            .event(event)
            .excerpts()
            .iter()
            .map(|x| x.source)
            .collect();
        sources.sort_unstable();
        sources.dedup();
        sources
    }

    /// Is some claim about this event contested over the whole story (a
    /// current assertion or suggestion against a current denial or
    /// dispute; see [`Claim::is_contested`])?
    #[must_use]
    pub fn is_contested(&self, event: EventIdx) -> bool {
        self.contested.get(event.index()).copied().unwrap_or(false)
    }

    /// Is `claim` contested over the whole story?
    #[must_use]
    pub fn claim_contested(&self, claim: &Claim) -> bool {
        claim.is_contested(&self.sources, None)
    }

    /// The distinct perspectives of the sources that report an event.
    #[must_use]
    pub fn event_perspectives(&self, event: EventIdx) -> Vec<&str> {
        let mut out: Vec<&str> = self
            .event_sources(event)
            .into_iter()
            .map(|s| self.source(s).perspective.as_str())
            .collect();
        out.sort_unstable();
        out.dedup();
        out
    }

    /// Corroboration in words: "4 outlets: US wire, Washington think tank, …"
    /// (perspectives in source order), or "1 outlet: …".
    #[must_use]
    pub fn corroboration(&self, event: EventIdx) -> String {
        let sources = self.event_sources(event);
        let mut tags: Vec<&str> = Vec::new();
        for s in &sources {
            let tag = self.source(*s).perspective.as_str();
            if !tags.contains(&tag) {
                tags.push(tag);
            }
        }
        match sources.len() {
            0 => "no outlet: imported without excerpts".to_owned(),
            1 => format!("1 outlet: {}", tags.join(", ")),
            n => format!("{n} outlets: {}", tags.join(", ")),
        }
    }

    /// When an event was first reported: the earliest publication time among
    /// the sources that report it; `None` when no reporting source is dated.
    #[must_use]
    pub fn reported_time(&self, event: EventIdx) -> Option<&FuzzyTime> {
        self.event_sources(event)
            .into_iter()
            .filter_map(|s| self.source(s).published.as_ref())
            .min_by(|a, b| a.cmp_bounds(b))
    }

    /// Claims about an event.
    pub fn claims_about(&self, event: EventIdx) -> impl Iterator<Item = &Claim> + '_ {
        self.claims
            .iter()
            .filter(move |c| c.events.contains(&event))
    }

    /// The cause → response links that touch an event: its own links to
    /// earlier events and the links of later events to it, as
    /// (earlier, later) pairs.
    #[must_use]
    pub fn links_of(&self, event: EventIdx) -> Vec<(EventIdx, EventIdx)> {
        let mut out: Vec<(EventIdx, EventIdx)> = self
            .event(event)
            .links()
            .iter()
            .map(|l| (l.event, event))
            .collect();
        for (i, e) in self.events.iter().enumerate() {
            if e.links().iter().any(|l| l.event == event) {
                out.push((event, EventIdx(i as u32)));
            }
        }
        out
    }

    /// Events without any excerpt (only possible for imported data).
    pub fn unsourced_events(&self) -> impl Iterator<Item = EventRef<'_>> + '_ {
        self.events.iter().filter(|e| e.excerpts().is_empty())
    }
}
