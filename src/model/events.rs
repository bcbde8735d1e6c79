//! The events of a dataset held as columns: one arena for all the ids, one
//! for the titles, one for the EDTF texts; a 16-byte [`TimeBounds`] per
//! event; flat lists of small indexes for each event's places, actors,
//! excerpts and links. A million events are a dozen buffers, not a million
//! structs each owning six allocations.
//!
//! [`EventRef`] is the borrowed view every reader of the data goes through
//! (`dataset.event(i).title()`); [`Event`] is the owned form a builder makes
//! and [`Events::push_owned`] or [`Events::push_parts`] takes apart.

use std::fmt;

use rustc_hash::FxHashMap;

use super::time::{InlineEdtf, TimeBounds, TimeRef};
use super::{
    ActorIdx, Category, Event, EventExtra, EventIdx, EventLink, EventPlace, Excerpt, Media,
    PlaceIdx,
};

use super::columns::{BoundsColumn, Lists, OptBoxes, OptStrs, SparseLists, Strs, Words, to_u32};

/// An event's parts, borrowed, for [`Events::push_parts`].
pub struct EventParts<'p> {
    /// Stable id.
    pub id: &'p str,
    /// A neutral title.
    pub title: &'p str,
    /// When.
    pub time: TimeRef<'p>,
    /// How the time was read.
    pub time_note: Option<&'p str>,
    /// What kind of event.
    pub category: Category,
    /// Places it touches.
    pub places: &'p [EventPlace],
    /// Actors involved.
    pub actors: &'p [ActorIdx],
    /// Verified excerpts.
    pub excerpts: &'p [Excerpt],
    /// Free text of an import.
    pub text: Option<std::borrow::Cow<'p, str>>,
    /// Links to earlier events.
    pub links: &'p [EventLink],
    /// The words an imported format carries for most of its events,
    /// borrowed (a reader need not make a string of each); a word of
    /// `extra` wins over the same word here.
    pub words: EventWords<'p>,
    /// What an imported format carries beyond the native fields.
    pub extra: Option<EventExtra>,
}

/// An imported event's words, borrowed, for [`Events::push_parts`].
#[derive(Clone, Copy, Debug, Default)]
pub struct EventWords<'p> {
    /// [`EventExtra::group`].
    pub group: Option<&'p str>,
    /// [`EventExtra::display_date`].
    pub display_date: Option<&'p str>,
    /// [`EventExtra::event_type`].
    pub event_type: Option<&'p str>,
    /// [`EventExtra::attribution`].
    pub attribution: Option<&'p str>,
}

/// The events, in time order once a dataset holds them.
#[derive(Clone, Default)]
pub struct Events {
    ids: Strs,
    titles: Strs,
    /// The EDTF text of each time its bounds do not spell exactly
    /// ([`TimeBounds::canonical_edtf`]): most times need none.
    edtf: OptStrs,
    bounds: BoundsColumn,
    categories: Vec<Category>,
    places: Lists<EventPlace>,
    actors: Lists<ActorIdx>,
    /// Each event's excerpts as 4-byte numbers into `quotes`.
    excerpts: Lists<u32>,
    /// The distinct excerpts (article and span): many events quote the same
    /// passage. Until [`Events::compact`] each event's excerpts are its own
    /// entries, in event order, so that a loader can fill in their spans.
    quotes: Vec<Excerpt>,
    /// Has [`Events::compact`] shared the entries of `quotes`?
    compacted: bool,
    links: SparseLists<EventLink>,
    time_notes: OptStrs,
    texts: OptBoxes,
    /// What imported formats carry beyond the native fields: the words of
    /// most imported events as columns…
    groups: Words,
    display_dates: Words,
    event_types: Words,
    attributions: Words,
    /// …and the rare rest (media, TimelineJS date objects): the events that
    /// have some, ascending, and theirs (their words are in the columns).
    extra_at: Vec<u32>,
    extras: Vec<EventExtra>,
}

impl Events {
    /// The most bytes one column's strings may take (its ends are `u32`).
    pub const MAX_COLUMN_BYTES: usize = u32::MAX as usize;

    /// No events, with room for `events` of them and `text_bytes` of titles.
    #[must_use]
    pub fn with_capacity(events: usize, text_bytes: usize) -> Self {
        Self {
            ids: Strs::with_capacity(events, events * 12),
            titles: Strs::with_capacity(events, text_bytes),
            bounds: BoundsColumn::with_capacity(events),
            categories: Vec::with_capacity(events),
            places: Lists {
                items: Vec::with_capacity(events),
                ends: Vec::with_capacity(events),
            },
            actors: Lists {
                items: Vec::new(),
                ends: Vec::with_capacity(events),
            },
            excerpts: Lists {
                items: Vec::new(),
                ends: Vec::with_capacity(events),
            },
            ..Self::default()
        }
    }

    /// How many events.
    #[must_use]
    pub fn len(&self) -> usize {
        self.bounds.len()
    }

    /// No events at all?
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.bounds.len() == 0
    }

    /// The event at `idx`.
    ///
    /// # Panics
    /// If `idx` is not an event of this store (as indexing a slice would).
    #[must_use]
    pub fn get(&self, idx: EventIdx) -> EventRef<'_> {
        assert!(idx.index() < self.len(), "no event {}", idx.0);
        EventRef {
            events: self,
            i: idx.index(),
        }
    }

    /// The event at `idx`, if there is one.
    #[must_use]
    pub fn try_get(&self, idx: EventIdx) -> Option<EventRef<'_>> {
        (idx.index() < self.len()).then(|| self.get(idx))
    }

    /// Every event, in order.
    #[must_use]
    pub fn iter(&self) -> Iter<'_> {
        Iter {
            events: self,
            range: 0..self.len(),
        }
    }

    /// The `i`th event's time bounds.
    #[must_use]
    pub fn bounds_of(&self, i: usize) -> TimeBounds {
        self.bounds.get(i)
    }

    /// Every event's time bounds, in order.
    #[must_use]
    pub fn bounds(&self) -> impl ExactSizeIterator<Item = TimeBounds> + '_ {
        (0..self.bounds.len()).map(|i| self.bounds.get(i))
    }

    /// How many events, from the first, have bounds for which `pred` holds,
    /// when it holds for a prefix of them (as [`slice::partition_point`]).
    #[must_use]
    pub fn partition_bounds(&self, pred: impl Fn(&TimeBounds) -> bool) -> usize {
        let (mut lo, mut hi) = (0, self.bounds.len());
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            if pred(&self.bounds.get(mid)) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        lo
    }

    /// Adds an event at the end, taking it apart into the columns; what it
    /// carries beyond the native fields moves rather than being copied.
    pub fn push_owned(&mut self, mut e: Event) {
        let extra = e.extra.take().map(|x| *x);
        self.push_parts(EventParts {
            id: &e.id,
            title: &e.title,
            time: e.time.as_ref(),
            time_note: e.time_note.as_deref(),
            category: e.category,
            places: &e.places,
            actors: &e.actors,
            excerpts: &e.excerpts,
            text: e.text.take().map(std::borrow::Cow::Owned),
            links: &e.links,
            words: EventWords::default(),
            extra,
        });
    }

    /// Makes room in the arenas for `more` bytes of ids, titles and time
    /// notes, and for `texts` more texts: one allocation each, not a
    /// doubling that copies and leaves half the room unused.
    pub fn reserve_text(&mut self, ids: usize, titles: usize, texts: usize, time_notes: usize) {
        self.ids.text.reserve_exact(ids);
        self.titles.text.reserve_exact(titles);
        self.texts.items.reserve_exact(texts);
        self.time_notes.strs.text.reserve_exact(time_notes);
    }

    /// Adds an event at the end from borrowed parts (a loader that reads
    /// them from a line need not make an owned [`Event`] first).
    pub fn push_parts(&mut self, e: EventParts<'_>) {
        let i = self.len();
        self.ids.push(e.id);
        self.titles.push(e.title);
        let text = e.time.edtf();
        // A plain day, month or year is spelled back as written.
        let kept = super::time::plain_date(text).is_none()
            && e.time.canonical_edtf().as_ref().map(InlineEdtf::as_str) != Some(text);
        self.edtf.push(kept.then_some(text));
        self.bounds.push(e.time.bounds());
        self.categories.push(e.category);
        self.places.push(e.places);
        self.actors.push(e.actors);
        let first = to_u32(self.quotes.len());
        self.quotes.extend_from_slice(e.excerpts);
        self.excerpts
            .items
            .extend((0..to_u32(e.excerpts.len())).map(|k| first.saturating_add(k)));
        self.excerpts.ends.push(to_u32(self.excerpts.items.len()));
        self.links.push(e.links);
        self.time_notes.push(e.time_note);
        self.texts.push(e.text);
        let mut extra = e.extra.unwrap_or_default();
        let words = e.words;
        let group = extra.group.take();
        self.groups.push(group.as_deref().or(words.group));
        let display_date = extra.display_date.take();
        self.display_dates
            .push(display_date.as_deref().or(words.display_date));
        let event_type = extra.event_type.take();
        self.event_types
            .push(event_type.as_deref().or(words.event_type));
        let attribution = extra.attribution.take();
        self.attributions
            .push(attribution.as_deref().or(words.attribution));
        if extra.media.is_some() || extra.timelinejs_dates.is_some() {
            self.extra_at.push(to_u32(i));
            self.extras.push(extra);
        }
    }

    /// Adds the events of `other` at the end, in order.
    pub fn append(&mut self, mut other: Self) {
        self.append_with(&mut other, None);
    }

    /// [`Self::append`], but each of `other`'s excerpts that equals one the
    /// store holds is shared, not added: `seen` maps every excerpt of the
    /// store to its entry (start it empty on an empty store and pass it to
    /// every call). The store is then compact as it grows.
    pub(crate) fn append_sharing(&mut self, mut other: Self, seen: &mut FxHashMap<Excerpt, u32>) {
        debug_assert_eq!(seen.len(), self.quotes.len());
        self.append_with(&mut other, Some(seen));
    }

    /// [`Self::append`], leaving `other` empty with its room kept: a reader
    /// that fills one part of a file after another reuses the same buffers
    /// rather than asking for fresh memory each time.
    pub(crate) fn append_emptying(&mut self, other: &mut Self) {
        self.append_with(other, None);
        other.clear();
    }

    /// No events, every buffer's room kept.
    fn clear(&mut self) {
        self.ids.clear();
        self.titles.clear();
        self.edtf.clear();
        self.bounds.clear();
        self.categories.clear();
        self.places.clear();
        self.actors.clear();
        self.excerpts.clear();
        self.quotes.clear();
        self.compacted = false;
        self.links.presence.clear();
        self.links.lists.clear();
        self.time_notes.clear();
        self.texts.presence.clear();
        self.texts.items.clear();
        for w in [
            &mut self.groups,
            &mut self.display_dates,
            &mut self.event_types,
            &mut self.attributions,
        ] {
            w.clear();
        }
        self.extra_at.clear();
        self.extras.clear();
    }

    /// Renumbers every event's places and actors: place `i` becomes
    /// `places[i]`, actor `j` becomes `actors[j]` (a reader that numbered
    /// them in one part of a file gives them their numbers in the whole).
    /// `None`, and nothing changed, when a number has no new one.
    pub(crate) fn renumber_refs(&mut self, places: &[u32], actors: &[u32]) -> Option<()> {
        let known = |n: usize, len: usize| n < len;
        if !self
            .places
            .items
            .iter()
            .all(|p| known(p.place.index(), places.len()))
            || !self
                .actors
                .items
                .iter()
                .all(|a| known(a.index(), actors.len()))
        {
            return None;
        }
        for p in &mut self.places.items {
            p.place = PlaceIdx(places[p.place.index()]);
        }
        for a in &mut self.actors.items {
            *a = ActorIdx(actors[a.index()]);
        }
        Some(())
    }

    fn append_with(&mut self, other: &mut Self, seen: Option<&mut FxHashMap<Excerpt, u32>>) {
        fn strs(to: &mut Strs, from: &Strs) {
            let base = to_u32(to.text.len());
            to.text.push_str(&from.text);
            to.ends
                .extend(from.ends.iter().map(|e| e.saturating_add(base)));
        }
        fn lists<T: Copy>(to: &mut Lists<T>, from: &Lists<T>) {
            let base = to_u32(to.items.len());
            to.items.extend_from_slice(&from.items);
            to.ends
                .extend(from.ends.iter().map(|e| e.saturating_add(base)));
        }
        let base = to_u32(self.len());
        strs(&mut self.ids, &other.ids);
        strs(&mut self.titles, &other.titles);
        self.bounds.extend(&other.bounds);
        self.categories.extend_from_slice(&other.categories);
        lists(&mut self.places, &other.places);
        lists(&mut self.actors, &other.actors);
        let quotes_base = to_u32(self.quotes.len());
        let before = self.excerpts.items.len();
        lists(&mut self.excerpts, &other.excerpts);
        if let Some(seen) = seen {
            let quotes = &mut self.quotes;
            for id in &mut self.excerpts.items[before..] {
                let x = other.quotes[*id as usize];
                *id = *seen.entry(x).or_insert_with(|| {
                    quotes.push(x);
                    to_u32(quotes.len() - 1)
                });
            }
            self.compacted = true;
        } else {
            for id in &mut self.excerpts.items[before..] {
                *id = id.saturating_add(quotes_base);
            }
            self.quotes.extend_from_slice(&other.quotes);
            self.compacted |= other.compacted;
        }
        for i in 0..other.len() {
            self.links.push(other.links.get(i));
        }
        for i in 0..other.len() {
            self.edtf.push(other.edtf.get(i));
            self.time_notes.push(other.time_notes.get(i));
        }
        self.groups.append(&other.groups);
        self.display_dates.append(&other.display_dates);
        self.event_types.append(&other.event_types);
        self.attributions.append(&other.attributions);
        // The texts move across.
        let mut before = self.texts.items.len();
        for i in 0..other.len() {
            let there = other.texts.presence.slot(i).is_some();
            self.texts.presence.push(there, before);
            before += usize::from(there);
        }
        self.texts.items.append(&mut other.texts.items);
        self.extra_at
            .extend(other.extra_at.iter().map(|i| i.saturating_add(base)));
        self.extras.append(&mut other.extras);
    }

    /// Makes room for `more` events (their per-event columns).
    pub fn reserve(&mut self, more: usize) {
        self.ids.ends.reserve(more);
        self.titles.ends.reserve(more);
        self.bounds.reserve(more);
        self.categories.reserve(more);
        self.places.ends.reserve(more);
        self.actors.ends.reserve(more);
        self.excerpts.ends.reserve(more);
    }

    /// Makes room for the store to grow to `factor` times its size, every
    /// buffer at once (a loader that has read the first part of a file
    /// knows about how much the rest will add): no doubling that copies
    /// and leaves room unused.
    pub fn reserve_like(&mut self, factor: f64) {
        fn more(len: usize, factor: f64) -> usize {
            ((len as f64 * (factor - 1.0)).max(0.0)) as usize
        }
        self.reserve(more(self.len(), factor));
        self.ids
            .text
            .reserve_exact(more(self.ids.text.len(), factor));
        self.titles
            .text
            .reserve_exact(more(self.titles.text.len(), factor));
        self.places
            .items
            .reserve_exact(more(self.places.items.len(), factor));
        self.actors
            .items
            .reserve_exact(more(self.actors.items.len(), factor));
        self.excerpts
            .items
            .reserve_exact(more(self.excerpts.items.len(), factor));
        // Shared passages do not grow with the events.
        if !self.compacted {
            self.quotes.reserve_exact(more(self.quotes.len(), factor));
        }
    }

    /// Every event's excerpts, end to end in event order, to be changed in
    /// place (a loader fills in the spans it proves); `None` once
    /// [`Self::compact`] has shared them.
    pub(crate) fn all_excerpts_mut(&mut self) -> Option<&mut [Excerpt]> {
        (!self.compacted).then_some(&mut self.quotes[..])
    }

    /// Every distinct excerpt the store holds, to be changed in place: a
    /// change reaches every event that cites it.
    pub(crate) fn distinct_excerpts_mut(&mut self) -> &mut [Excerpt] {
        &mut self.quotes
    }

    /// The excerpts of one event, to be changed in place; `None` once
    /// [`Self::compact`] has shared them.
    pub(crate) fn excerpts_mut(&mut self, idx: EventIdx) -> Option<&mut [Excerpt]> {
        if self.compacted {
            return None;
        }
        let ids = self.excerpts.get(idx.index());
        let (&first, &last) = (ids.first()?, ids.last()?);
        self.quotes.get_mut(first as usize..=last as usize)
    }

    /// Shares each distinct excerpt (article and span) among the events that
    /// quote it: 4 bytes an excerpt, and one 12-byte entry a passage.
    pub fn compact(&mut self) {
        if self.compacted {
            return;
        }
        let mut seen: rustc_hash::FxHashMap<Excerpt, u32> = rustc_hash::FxHashMap::default();
        let mut quotes: Vec<Excerpt> = Vec::new();
        for id in &mut self.excerpts.items {
            let x = self.quotes[*id as usize];
            *id = *seen.entry(x).or_insert_with(|| {
                quotes.push(x);
                to_u32(quotes.len() - 1)
            });
        }
        quotes.shrink_to_fit();
        self.quotes = quotes;
        self.compacted = true;
    }

    /// Gives every event the links `links` name for it (owner, link), in
    /// the order given; what links the events had before is let go.
    pub(crate) fn set_links(&mut self, mut links: Vec<(u32, EventLink)>) {
        links.sort_by_key(|&(owner, _)| owner);
        let mut out = SparseLists::default();
        let mut next = links.into_iter().peekable();
        let mut list = Vec::new();
        for i in 0..self.len() {
            list.clear();
            while let Some((_, link)) = next.next_if(|&(owner, _)| owner as usize == i) {
                list.push(link);
            }
            out.push(&list);
        }
        self.links = out;
    }

    /// The events in the order of `order` (each index of `self` once).
    #[must_use]
    pub fn permuted(mut self, order: &[u32]) -> Self {
        fn strs(src: &Strs, order: &[u32]) -> Strs {
            use rayon::prelude::*;
            let len = |k: u32| to_u32(src.range(k as usize).len());
            // The ends in the new order first; then the bytes, gathered into
            // one buffer by runs of the order on every core (reading a
            // million strings in another order waits on memory), so that
            // the column is held twice at most, never three times.
            let mut ends = Vec::with_capacity(order.len());
            let mut total = 0u32;
            for &k in order {
                total = total.saturating_add(len(k));
                ends.push(total);
            }
            let mut bytes = vec![0u8; total as usize];
            let run = order
                .len()
                .div_ceil(rayon::current_num_threads())
                .max(1 << 14);
            let mut runs: Vec<(&[u32], &mut [u8])> = Vec::new();
            let mut rest: &mut [u8] = &mut bytes;
            let mut done = 0usize;
            for part in order.chunks(run) {
                let end = ends[done + part.len() - 1] as usize;
                let start = if done == 0 {
                    0
                } else {
                    ends[done - 1] as usize
                };
                let (head, tail) = std::mem::take(&mut rest).split_at_mut(end - start);
                runs.push((part, head));
                rest = tail;
                done += part.len();
            }
            runs.into_par_iter().for_each(|(part, out)| {
                let mut at = 0;
                for &k in part {
                    let s = src.get(k as usize).as_bytes();
                    out[at..at + s.len()].copy_from_slice(s);
                    at += s.len();
                }
            });
            // Whole strings copied end to end are UTF-8; the lossy form
            // is never taken.
            let text = String::from_utf8(bytes)
                .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
            Strs { text, ends }
        }
        fn opt_strs(src: &OptStrs, order: &[u32]) -> OptStrs {
            // Which are there, in the new order; then the ones there, gathered.
            let mut out = OptStrs::default();
            let mut there: Vec<u32> = Vec::with_capacity(src.strs.ends.len());
            for &k in order {
                let slot = src.presence.slot(k as usize);
                out.presence.push(slot.is_some(), there.len());
                there.extend(slot.map(to_u32));
            }
            out.strs = strs(&src.strs, &there);
            out
        }
        fn lists<T: Copy>(src: &Lists<T>, order: &[u32]) -> Lists<T> {
            let mut out = Lists {
                items: Vec::with_capacity(src.items.len()),
                ends: Vec::with_capacity(order.len()),
            };
            for &k in order {
                out.push(src.get(k as usize));
            }
            out
        }
        fn column<T: Copy>(src: &[T], order: &[u32]) -> Vec<T> {
            order.iter().map(|&k| src[k as usize]).collect()
        }
        // The gathered events' excerpts are no longer in event order.
        self.compact();
        let mut extras: Vec<Option<EventExtra>> = Vec::new();
        if !self.extras.is_empty() {
            extras.resize_with(self.len(), || None);
            for (at, x) in self.extra_at.drain(..).zip(self.extras.drain(..)) {
                extras[at as usize] = Some(x);
            }
        }
        // One column at a time on each of two sides, each let go once
        // gathered: the gather holds the store once and two columns twice at
        // most, not the store twice (an import's notes are most of it).
        let mut s = self;
        let take = |c: &mut OptStrs| std::mem::take(c);
        let (edtf, time_notes) = (take(&mut s.edtf), take(&mut s.time_notes));
        let (groups, display_dates, event_types, attributions) = (
            std::mem::take(&mut s.groups),
            std::mem::take(&mut s.display_dates),
            std::mem::take(&mut s.event_types),
            std::mem::take(&mut s.attributions),
        );
        let (ids, titles, texts) = (
            std::mem::take(&mut s.ids),
            std::mem::take(&mut s.titles),
            std::mem::take(&mut s.texts),
        );
        let (places, actors, excerpts, links) = (
            std::mem::take(&mut s.places),
            std::mem::take(&mut s.actors),
            std::mem::take(&mut s.excerpts),
            std::mem::take(&mut s.links),
        );
        let (bounds, categories) = (
            std::mem::take(&mut s.bounds),
            std::mem::take(&mut s.categories),
        );
        let (
            (ids, titles, edtf, texts, time_notes, places, links),
            (
                groups,
                display_dates,
                event_types,
                attributions,
                actors,
                excerpts,
                bounds,
                categories,
            ),
        ) = rayon::join(
            move || {
                // Taken by value: each column goes as soon as it is gathered.
                let gather_strs = |src: Strs| strs(&src, order);
                let gather_opt = |src: OptStrs| opt_strs(&src, order);
                let gather_lists = |src: Lists<EventPlace>| lists(&src, order);
                let links = {
                    let mut out = SparseLists::default();
                    for &k in order {
                        out.push(links.get(k as usize));
                    }
                    out
                };
                (
                    gather_strs(ids),
                    gather_strs(titles),
                    gather_opt(edtf),
                    texts.permuted(order),
                    gather_opt(time_notes),
                    gather_lists(places),
                    links,
                )
            },
            move || {
                let gather_actors = |src: Lists<ActorIdx>| lists(&src, order);
                let gather_excerpts = |src: Lists<u32>| lists(&src, order);
                (
                    groups.permuted(order),
                    display_dates.permuted(order),
                    event_types.permuted(order),
                    attributions.permuted(order),
                    gather_actors(actors),
                    gather_excerpts(excerpts),
                    bounds.permuted(order),
                    column(&categories, order),
                )
            },
        );
        let mut out = Self {
            ids,
            titles,
            edtf,
            bounds,
            categories,
            places,
            actors,
            excerpts,
            links,
            time_notes,
            texts,
            groups,
            display_dates,
            event_types,
            attributions,
            extra_at: Vec::new(),
            extras: Vec::new(),
            quotes: Vec::new(),
            compacted: true,
        };
        out.quotes = std::mem::take(&mut s.quotes);
        drop(s);
        if !extras.is_empty() {
            for (i, &k) in order.iter().enumerate() {
                if let Some(x) = extras[k as usize].take() {
                    out.extra_at.push(to_u32(i));
                    out.extras.push(x);
                }
            }
        }
        out.shrink();
        out
    }

    /// Lets go of the room reserved and not used.
    pub fn shrink(&mut self) {
        self.ids.shrink();
        self.titles.shrink();
        self.edtf.shrink();
        self.bounds.shrink_to_fit();
        self.categories.shrink_to_fit();
        self.places.shrink();
        self.actors.shrink();
        self.excerpts.shrink();
        self.quotes.shrink_to_fit();
        self.links.shrink();
        self.time_notes.shrink();
        self.texts.shrink();
        self.groups.shrink();
        self.display_dates.shrink();
        self.event_types.shrink();
        self.attributions.shrink();
        self.extra_at.shrink_to_fit();
        self.extras.shrink_to_fit();
    }

    /// The bytes the store holds: every buffer by its capacity, arenas
    /// included, and what the extras own.
    #[must_use]
    pub fn heap_bytes(&self) -> usize {
        self.column_bytes().iter().map(|(_, n)| n).sum()
    }

    /// [`Self::heap_bytes`] column by column, to see where they go.
    #[must_use]
    pub fn column_bytes(&self) -> Vec<(&'static str, usize)> {
        let extras: usize = self.extras.iter().map(EventExtra::heap_bytes).sum();
        vec![
            ("ids", self.ids.bytes()),
            ("titles", self.titles.bytes()),
            ("edtf", self.edtf.bytes()),
            ("bounds", self.bounds.bytes()),
            (
                "categories",
                self.categories.capacity() * size_of::<Category>(),
            ),
            ("places", self.places.bytes()),
            ("actors", self.actors.bytes()),
            (
                "excerpts",
                self.excerpts.bytes() + self.quotes.capacity() * size_of::<Excerpt>(),
            ),
            ("links", self.links.bytes()),
            ("time_notes", self.time_notes.bytes()),
            ("texts", self.texts.bytes()),
            (
                "extras",
                self.groups.bytes()
                    + self.display_dates.bytes()
                    + self.event_types.bytes()
                    + self.attributions.bytes()
                    + self.extra_at.capacity() * 4
                    + self.extras.capacity() * size_of::<EventExtra>()
                    + extras,
            ),
        ]
    }
}

impl FromIterator<Event> for Events {
    fn from_iter<I: IntoIterator<Item = Event>>(iter: I) -> Self {
        let iter = iter.into_iter();
        let mut events = Self::with_capacity(iter.size_hint().0, 0);
        for e in iter {
            events.push_owned(e);
        }
        events.shrink();
        events
    }
}

impl From<Vec<Event>> for Events {
    fn from(events: Vec<Event>) -> Self {
        let titles = events.iter().map(|e| e.title.len()).sum();
        let mut out = Self::with_capacity(events.len(), titles);
        for e in events {
            out.push_owned(e);
        }
        out.shrink();
        out
    }
}

impl fmt::Debug for Events {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl<'a> IntoIterator for &'a Events {
    type Item = EventRef<'a>;
    type IntoIter = Iter<'a>;
    fn into_iter(self) -> Iter<'a> {
        self.iter()
    }
}

/// The events of a store, in order.
#[derive(Clone)]
pub struct Iter<'a> {
    events: &'a Events,
    range: std::ops::Range<usize>,
}

impl<'a> Iterator for Iter<'a> {
    type Item = EventRef<'a>;
    fn next(&mut self) -> Option<EventRef<'a>> {
        self.range.next().map(|i| EventRef {
            events: self.events,
            i,
        })
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.range.size_hint()
    }

    fn nth(&mut self, n: usize) -> Option<EventRef<'a>> {
        self.range.nth(n).map(|i| EventRef {
            events: self.events,
            i,
        })
    }
}

impl DoubleEndedIterator for Iter<'_> {
    fn next_back(&mut self) -> Option<Self::Item> {
        self.range.next_back().map(|i| EventRef {
            events: self.events,
            i,
        })
    }
}

impl ExactSizeIterator for Iter<'_> {}

/// One event of a store, borrowed: what happened, when, where, and the
/// excerpts that report it.
#[derive(Clone, Copy)]
pub struct EventRef<'a> {
    events: &'a Events,
    i: usize,
}

impl<'a> EventRef<'a> {
    /// Its index in the dataset (time order).
    #[must_use]
    pub fn index(self) -> EventIdx {
        EventIdx(to_u32(self.i))
    }

    /// Stable id, unique among events.
    #[must_use]
    pub fn id(self) -> &'a str {
        self.events.ids.get(self.i)
    }

    /// A neutral title.
    #[must_use]
    pub fn title(self) -> &'a str {
        self.events.titles.get(self.i)
    }

    /// When, as precisely as the sources give it.
    #[must_use]
    pub fn time(self) -> TimeRef<'a> {
        let bounds = self.bounds();
        match self.events.edtf.get(self.i) {
            Some(text) => TimeRef::new(text, bounds),
            // Kept without a text only because the bounds spell it.
            None => TimeRef::spelled(bounds.canonical_edtf().unwrap_or_default(), bounds),
        }
    }

    /// When, without the text: the bounds, precision and marks.
    #[must_use]
    pub fn bounds(self) -> TimeBounds {
        self.events.bounds.get(self.i)
    }

    /// How the time was read from the sources.
    #[must_use]
    pub fn time_note(self) -> Option<&'a str> {
        self.events.time_notes.get(self.i)
    }

    /// What kind of event.
    #[must_use]
    pub fn category(self) -> Category {
        self.events.categories[self.i]
    }

    /// Places it touches, with roles.
    #[must_use]
    pub fn places(self) -> &'a [EventPlace] {
        self.events.places.get(self.i)
    }

    /// Actors involved.
    #[must_use]
    pub fn actors(self) -> &'a [ActorIdx] {
        self.events.actors.get(self.i)
    }

    /// Verified excerpts; empty only for imported events (reported as unsourced).
    #[must_use]
    pub fn excerpts(self) -> ExcerptsOf<'a> {
        ExcerptsOf {
            ids: self.events.excerpts.get(self.i),
            quotes: &self.events.quotes,
        }
    }

    /// Free text from an importer that has no excerpts (never shown as a quote).
    #[must_use]
    pub fn text(self) -> Option<&'a str> {
        self.events.texts.get(self.i)
    }

    /// Links to earlier events.
    #[must_use]
    pub fn links(self) -> &'a [EventLink] {
        self.events.links.get(self.i)
    }

    /// What an imported format carries beyond the native fields, if any.
    #[must_use]
    pub fn extra(self) -> Option<ExtraRef<'a>> {
        let i = to_u32(self.i);
        let rare = self
            .events
            .extra_at
            .binary_search(&i)
            .ok()
            .map(|k| &self.events.extras[k]);
        let x = ExtraRef {
            events: self.events,
            i: self.i,
            rare,
        };
        (rare.is_some()
            || x.group().is_some()
            || x.display_date().is_some()
            || x.event_type().is_some()
            || x.attribution().is_some())
        .then_some(x)
    }

    /// Does the event touch `place`?
    #[must_use]
    pub fn touches(self, place: PlaceIdx) -> bool {
        self.places().iter().any(|p| p.place == place)
    }

    /// An owned copy.
    #[must_use]
    pub fn to_event(self) -> Event {
        Event {
            id: self.id().to_owned(),
            title: self.title().to_owned(),
            time: self.time().to_fuzzy(),
            time_note: self.time_note().map(str::to_owned),
            category: self.category(),
            places: self.places().to_vec(),
            actors: self.actors().to_vec(),
            excerpts: self.excerpts().iter().collect(),
            text: self.text().map(str::to_owned),
            links: self.links().to_vec(),
            extra: self.extra().map(|x| Box::new(x.to_extra())),
        }
    }
}

/// What an imported format carries beyond the native fields, for one event.
#[derive(Clone, Copy)]
pub struct ExtraRef<'a> {
    events: &'a Events,
    i: usize,
    rare: Option<&'a EventExtra>,
}

impl<'a> ExtraRef<'a> {
    /// A picture or page the file links to; never fetched.
    #[must_use]
    pub fn media(self) -> Option<&'a Media> {
        self.rare.and_then(|x| x.media.as_deref())
    }

    /// The file's own grouping (TimelineJS `group`).
    #[must_use]
    pub fn group(self) -> Option<&'a str> {
        self.events.groups.get(self.i)
    }

    /// How the file wants the date shown (TimelineJS `display_date`).
    #[must_use]
    pub fn display_date(self) -> Option<&'a str> {
        self.events.display_dates.get(self.i)
    }

    /// The file's own type words (ACLED `event_type / sub_event_type`).
    #[must_use]
    pub fn event_type(self) -> Option<&'a str> {
        self.events.event_types.get(self.i)
    }

    /// The sources the file cites (ACLED `source`): not verified excerpts.
    #[must_use]
    pub fn attribution(self) -> Option<&'a str> {
        self.events.attributions.get(self.i)
    }

    /// The TimelineJS `start_date` and `end_date` objects exactly as read.
    #[must_use]
    pub fn timelinejs_dates(self) -> Option<&'a (serde_json::Value, Option<serde_json::Value>)> {
        self.rare.and_then(|x| x.timelinejs_dates.as_deref())
    }

    /// The times of day the kept TimelineJS date objects give: see
    /// [`EventExtra::clock_times`].
    #[must_use]
    pub fn clock_times(self) -> Option<String> {
        self.rare.and_then(EventExtra::clock_times)
    }

    /// An owned copy.
    #[must_use]
    pub fn to_extra(self) -> EventExtra {
        EventExtra {
            media: self.rare.and_then(|x| x.media.clone()),
            group: self.group().map(str::to_owned),
            display_date: self.display_date().map(str::to_owned),
            event_type: self.event_type().map(str::to_owned),
            attribution: self.attribution().map(str::to_owned),
            timelinejs_dates: self.rare.and_then(|x| x.timelinejs_dates.clone()),
        }
    }
}

impl fmt::Debug for ExtraRef<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.to_extra().fmt(f)
    }
}

/// The excerpts of one event, read through the shared table.
#[derive(Clone, Copy)]
pub struct ExcerptsOf<'a> {
    ids: &'a [u32],
    quotes: &'a [Excerpt],
}

impl<'a> ExcerptsOf<'a> {
    /// How many.
    #[must_use]
    pub fn len(self) -> usize {
        self.ids.len()
    }

    /// None at all?
    #[must_use]
    pub fn is_empty(self) -> bool {
        self.ids.is_empty()
    }

    /// The `k`-th.
    #[must_use]
    pub fn get(self, k: usize) -> Option<Excerpt> {
        self.ids
            .get(k)
            .and_then(|&id| self.quotes.get(id as usize))
            .copied()
    }

    /// The first.
    #[must_use]
    pub fn first(self) -> Option<Excerpt> {
        self.get(0)
    }

    /// Each in order.
    #[must_use]
    pub fn iter(self) -> ExcerptIter<'a> {
        ExcerptIter {
            ids: self.ids.iter(),
            quotes: self.quotes,
        }
    }
}

impl<'a> IntoIterator for ExcerptsOf<'a> {
    type Item = Excerpt;
    type IntoIter = ExcerptIter<'a>;
    fn into_iter(self) -> ExcerptIter<'a> {
        self.iter()
    }
}

/// The excerpts of one event, in order.
#[derive(Clone)]
pub struct ExcerptIter<'a> {
    ids: std::slice::Iter<'a, u32>,
    quotes: &'a [Excerpt],
}

impl Iterator for ExcerptIter<'_> {
    type Item = Excerpt;
    fn next(&mut self) -> Option<Excerpt> {
        self.ids.next().map(|&id| self.quotes[id as usize])
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.ids.size_hint()
    }
}

impl DoubleEndedIterator for ExcerptIter<'_> {
    fn next_back(&mut self) -> Option<Excerpt> {
        self.ids.next_back().map(|&id| self.quotes[id as usize])
    }
}

impl ExactSizeIterator for ExcerptIter<'_> {}

impl PartialEq for ExcerptsOf<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.iter().eq(other.iter())
    }
}

impl fmt::Debug for ExcerptsOf<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl PartialEq for Events {
    /// The same events in the same order, however their buffers are laid out.
    fn eq(&self, other: &Self) -> bool {
        self.len() == other.len() && self.iter().zip(other.iter()).all(|(a, b)| a == b)
    }
}

impl fmt::Debug for EventRef<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.to_event().fmt(f)
    }
}

impl PartialEq for EventRef<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.to_event() == other.to_event()
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::model::time::FuzzyTime;
    use crate::model::{LinkRelation, PlaceRole, SourceIdx};

    fn event(id: &str, note: Option<&str>, extra: bool) -> Event {
        Event {
            id: id.to_owned(),
            title: format!("Title of {id}"),
            time: FuzzyTime::parse("2022-07/2022-09").unwrap(),
            time_note: note.map(str::to_owned),
            category: Category::Cyber,
            places: vec![EventPlace {
                place: PlaceIdx(3),
                role: PlaceRole::Target,
            }],
            actors: vec![ActorIdx(1), ActorIdx(2)],
            excerpts: vec![Excerpt::new(SourceIdx(0), 10..20)],
            text: note.map(|n| format!("The text of {id}, {n}")),
            links: vec![EventLink {
                relation: LinkRelation::CausedBy,
                event: EventIdx(0),
            }],
            extra: extra.then(|| {
                Box::new(EventExtra {
                    group: Some("g".to_owned()),
                    ..EventExtra::default()
                })
            }),
        }
    }

    #[test]
    fn events_come_back_from_the_columns_as_they_went_in() {
        let given: Vec<Event> = (0..200)
            .map(|i| event(&format!("e{i}"), (i % 3 == 0).then_some(""), i % 7 == 0))
            .collect();
        let events = Events::from(given.clone());
        assert_eq!(events.len(), 200);
        for (i, e) in given.iter().enumerate() {
            let got = events.get(EventIdx(i as u32));
            assert_eq!(got.to_event(), *e);
            assert_eq!(got.index(), EventIdx(i as u32));
        }
        // An empty note is there, and not the same as none.
        assert_eq!(events.get(EventIdx(0)).time_note(), Some(""));
        assert_eq!(events.get(EventIdx(1)).time_note(), None);
        assert!(events.get(EventIdx(7)).extra().is_some());
        assert!(events.get(EventIdx(8)).extra().is_none());
        assert_eq!(events.iter().next_back().unwrap().id(), "e199");
        assert!(events.try_get(EventIdx(200)).is_none());
    }

    #[test]
    fn every_time_comes_back_as_written_whether_its_text_is_kept_or_spelled() {
        let texts = [
            "2022-07-15",
            "2022-07",
            "2022",
            "199X",
            "19XX",
            "1980/2003-05",
            "2022~",
            "2022?",
            "-0652",
            "0868-05-11",
            "2022-21",
            "../2012",
            "2022-09/..",
            "1957-10-04T19:28:34",
            "2022-07-08/2022-07-22",
        ];
        let given: Vec<Event> = texts
            .iter()
            .map(|t| Event {
                time: FuzzyTime::parse(t).unwrap(),
                ..event(t, None, false)
            })
            .collect();
        let events = Events::from(given);
        for (i, t) in texts.iter().enumerate() {
            let time = events.get(EventIdx(i as u32)).time();
            assert_eq!(time.edtf(), *t);
            assert_eq!(time.to_fuzzy(), FuzzyTime::parse(t).unwrap());
        }
        // Only the times the bounds do not spell keep a text.
        assert_eq!(events.edtf.strs.ends.len(), 7, "{:?}", events.edtf);
    }

    #[test]
    fn appended_stores_are_one_store_in_order() {
        let given: Vec<Event> = (0..400)
            .map(|i| event(&format!("e{i}"), (i % 5 == 0).then_some("n"), i % 3 == 0))
            .collect();
        let mut whole = Events::from(given[..70].to_vec());
        // Parts longer than the 64 events a presence word covers, so that
        // texts past the first word of a part are found by their rank.
        whole.append(Events::from(given[70..300].to_vec()));
        whole.append(Events::from(given[300..].to_vec()));
        assert_eq!(whole, Events::from(given.clone()));
        for i in [75, 200, 255, 300, 395] {
            assert_eq!(whole.get(EventIdx(i)).to_event(), given[i as usize]);
        }
    }

    #[test]
    fn a_part_appended_and_emptied_is_filled_again_from_scratch() {
        let given: Vec<Event> = (0..300)
            .map(|i| event(&format!("e{i}"), (i % 4 == 0).then_some("n"), i % 9 == 0))
            .collect();
        let mut whole = Events::default();
        let mut part = Events::default();
        for run in given.chunks(130) {
            for e in run {
                part.push_owned(e.clone());
            }
            whole.append_emptying(&mut part);
            assert!(part.is_empty());
            assert_eq!(part, Events::default());
        }
        assert_eq!(whole, Events::from(given));
    }

    #[test]
    fn places_and_actors_are_renumbered_or_left_alone() {
        let mut events = Events::from(vec![event("a", None, false)]);
        // Place 3 and actors 1, 2 of a part are place 7 and actors 5, 4 of the whole.
        events.renumber_refs(&[0, 0, 0, 7], &[0, 5, 4]).unwrap();
        let e = events.get(EventIdx(0));
        assert_eq!(e.places()[0].place, PlaceIdx(7));
        assert_eq!(e.actors(), &[ActorIdx(5), ActorIdx(4)]);
        // A number with no new one changes nothing.
        assert!(events.renumber_refs(&[0, 1], &[0, 1, 2, 3, 4, 5]).is_none());
        assert_eq!(events.get(EventIdx(0)).places()[0].place, PlaceIdx(7));
    }

    #[test]
    fn a_permutation_reorders_every_column() {
        let events = Events::from(vec![event("a", None, false), event("b", Some("n"), true)]);
        let swapped = events.permuted(&[1, 0]);
        assert_eq!(swapped.get(EventIdx(0)).id(), "b");
        assert_eq!(swapped.get(EventIdx(0)).time_note(), Some("n"));
        assert_eq!(swapped.get(EventIdx(0)).text(), Some("The text of b, n"));
        assert_eq!(swapped.get(EventIdx(1)).text(), None);
        assert!(swapped.get(EventIdx(0)).extra().is_some());
        assert!(swapped.get(EventIdx(1)).extra().is_none());
        assert_eq!(swapped.get(EventIdx(1)).id(), "a");
    }
}
