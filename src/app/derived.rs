//! Views derived from (dataset, state), cached and keyed by what they
//! depend on, so they are not recomputed every frame.
//!
//! When only the window moves, the view is updated incrementally: an event
//! can only enter or leave the window if one of its bounds lies between the
//! old and the new edge, and those events are found by binary search in the
//! events sorted by start and by end. The cost is that of the events that
//! cross an edge, not of the dataset.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};

use crate::model::{
    Dataset, Event, EventIdx, FuzzyTime, PlaceIdx, PlaceRole, TimeWindow, WindowRule,
};
use crate::state::{Clock, Filter};

/// Two places an arc joins.
pub type PlacePair = (PlaceIdx, PlaceIdx);

/// Generations unique across every view of the process, so that a cache
/// keyed by one never mistakes a new dataset's view for an old one.
static GENERATION: AtomicU64 = AtomicU64::new(1);

fn next_generation() -> u64 {
    GENERATION.fetch_add(1, Ordering::Relaxed)
}

/// Is the event a movement (an origin and a destination)?
#[must_use]
pub fn is_movement(event: &Event) -> bool {
    event.places.iter().any(|p| p.role == PlaceRole::Origin)
        && event
            .places
            .iter()
            .any(|p| p.role == PlaceRole::Destination)
}

/// The arcs an event draws: origin → destination (directed), else from its
/// first place to each other one (undirected).
pub fn event_pairs(event: &Event, mut f: impl FnMut(PlaceIdx, PlaceIdx, bool)) {
    let origin = event.places.iter().find(|p| p.role == PlaceRole::Origin);
    let dest = event
        .places
        .iter()
        .find(|p| p.role == PlaceRole::Destination);
    match (origin, dest) {
        (Some(o), Some(d)) if o.place != d.place => f(o.place, d.place, true),
        _ => {
            if let Some(first) = event.places.first().map(|p| p.place) {
                for p in event.places.iter().skip(1) {
                    if p.place != first {
                        f(first, p.place, false);
                    }
                }
            }
        }
    }
}

/// Each event's bounds on one clock as whole days (open ends as
/// `i32::MIN` / `i32::MAX`; an undated event as `(MAX, MIN)`), and the
/// events sorted by each bound.
#[derive(Debug)]
struct ClockIndex {
    clock: Clock,
    start: Vec<i32>,
    end: Vec<i32>,
    by_start: Vec<u32>,
    by_end: Vec<u32>,
}

impl ClockIndex {
    fn new(clock: Clock, times: impl Iterator<Item = Option<FuzzyTime>>) -> Self {
        let (start, end): (Vec<i32>, Vec<i32>) = times
            .map(|t| match t {
                Some(t) => (
                    t.earliest().map_or(i32::MIN, |d| d.0),
                    t.latest().map_or(i32::MAX, |d| d.0),
                ),
                None => (i32::MAX, i32::MIN),
            })
            .unzip();
        let mut by_start: Vec<u32> = (0..start.len() as u32).collect();
        by_start.sort_by_key(|&i| start[i as usize]);
        let mut by_end: Vec<u32> = (0..end.len() as u32).collect();
        by_end.sort_by_key(|&i| end[i as usize]);
        Self {
            clock,
            start,
            end,
            by_start,
            by_end,
        }
    }

    /// Does event `i` count as in `w` under `rule`? (As [`WindowRule::admits`].)
    fn admits(&self, i: usize, rule: WindowRule, w: TimeWindow) -> bool {
        let (s, e) = (self.start[i], self.end[i]);
        match rule {
            WindowRule::Overlaps => s <= w.end.0 && e >= w.start.0,
            WindowRule::Inside => {
                s <= e && s != i32::MIN && e != i32::MAX && s >= w.start.0 && e <= w.end.0
            }
        }
    }

    /// Events with a start (`ends` false) or end in `lo..=hi`.
    fn with_bound_in(&self, ends: bool, lo: i32, hi: i32) -> &[u32] {
        let (order, key) = if ends {
            (&self.by_end, &self.end)
        } else {
            (&self.by_start, &self.start)
        };
        let a = order.partition_point(|&i| key[i as usize] < lo);
        let b = order.partition_point(|&i| key[i as usize] <= hi);
        &order[a..b.max(a)]
    }
}

/// The events in the time window and the per-place counts the map shows.
#[derive(Debug, Default)]
pub struct WindowView {
    key: Option<(TimeWindow, WindowRule, Clock, usize)>,
    filter_key: Option<Filter>,
    /// Per event: does it pass the facet filters (whatever the window)?
    pub passes: Vec<bool>,
    /// Per event: does it count as in the window?
    pub in_window: Vec<bool>,
    /// Events in the window, in time order: only current after
    /// [`WindowView::ensure_events`] (built on demand, not every frame).
    pub events: Vec<EventIdx>,
    events_current: bool,
    /// Per place: events in the window touching it.
    pub place_counts: Vec<u32>,
    /// Per place: events in the window touching it that a contested claim is about.
    pub contested_counts: Vec<u32>,
    /// Events in the window (through the filters).
    pub in_count: usize,
    /// Events through the filters.
    pub pass_count: usize,
    /// Changes whenever `passes` is recomputed (unique in the process).
    pub filter_gen: u64,
    /// Changes whenever the set of events in the window changes (unique in the process).
    pub window_gen: u64,
    /// Movements in the window per pair of places: (directed ones, all).
    pub arcs: HashMap<PlacePair, (u32, u32)>,
    /// Per event: when it was first reported (computed once, on first use).
    reported: Option<Vec<Option<FuzzyTime>>>,
    index: Option<ClockIndex>,
}

impl WindowView {
    /// When each event was first reported, computed once per dataset.
    pub fn reported(&mut self, ds: &Dataset) -> &[Option<FuzzyTime>] {
        if self
            .reported
            .as_ref()
            .is_none_or(|r| r.len() != ds.events.len())
        {
            self.reported = Some(
                ds.event_indices()
                    .map(|e| ds.reported_time(e).cloned())
                    .collect(),
            );
        }
        self.reported.as_deref().unwrap_or_default()
    }

    /// The reported times, if computed.
    #[must_use]
    pub fn reported_times(&self) -> Option<&[Option<FuzzyTime>]> {
        self.reported.as_deref()
    }

    /// Makes [`WindowView::events`] current (a walk over the flags, only
    /// when the window changed since the last call).
    pub fn ensure_events(&mut self) {
        if self.events_current {
            return;
        }
        self.events.clear();
        self.events.extend(
            self.in_window
                .iter()
                .enumerate()
                .filter(|(_, b)| **b)
                .map(|(i, _)| EventIdx(i as u32)),
        );
        self.events_current = true;
    }

    /// Adds (`add`) or removes event `i` from the window's counts.
    fn count_event(&mut self, ds: &Dataset, i: usize, add: bool) {
        let event = &ds.events[i];
        let contested = ds.is_contested(EventIdx(i as u32));
        let places = &event.places;
        for (k, p) in places.iter().enumerate() {
            // A place in two roles is still one event there.
            if !places[..k].iter().any(|q| q.place == p.place) {
                let at = p.place.index();
                if add {
                    self.place_counts[at] += 1;
                    if contested {
                        self.contested_counts[at] += 1;
                    }
                } else {
                    self.place_counts[at] -= 1;
                    if contested {
                        self.contested_counts[at] -= 1;
                    }
                }
            }
        }
        if is_movement(event) {
            let arcs = &mut self.arcs;
            event_pairs(event, |a, b, directed| {
                if add {
                    let entry = arcs.entry((a, b)).or_insert((0, 0));
                    entry.0 += u32::from(directed);
                    entry.1 += 1;
                } else if let Some(entry) = arcs.get_mut(&(a, b)) {
                    entry.0 -= u32::from(directed);
                    entry.1 -= 1;
                    if entry.1 == 0 {
                        arcs.remove(&(a, b));
                    }
                }
            });
        }
        if add {
            self.in_count += 1;
        } else {
            self.in_count -= 1;
        }
    }

    /// Recomputes if the window, the rule, the clock or the dataset changed;
    /// returns whether it did.
    pub fn update(
        &mut self,
        ds: &Dataset,
        window: TimeWindow,
        rule: WindowRule,
        clock: Clock,
        filter: &Filter,
    ) -> bool {
        let n = ds.events.len();
        let key = (window, rule, clock, n);
        let filter_current = self.filter_key.as_ref() == Some(filter) && self.passes.len() == n;
        if self.key == Some(key) && filter_current {
            return false;
        }
        if !filter_current {
            self.passes.clear();
            self.passes
                .extend(ds.event_indices().map(|e| filter.admits(ds, e)));
            self.pass_count = self.passes.iter().filter(|b| **b).count();
            self.filter_key = Some(filter.clone());
            self.filter_gen = next_generation();
        }
        if self
            .index
            .as_ref()
            .is_none_or(|x| x.clock != clock || x.start.len() != n)
        {
            self.index = Some(match clock {
                Clock::Happened => {
                    ClockIndex::new(clock, ds.events.iter().map(|e| Some(e.time.clone())))
                }
                Clock::Reported => {
                    let reported = self.reported(ds).to_vec();
                    ClockIndex::new(clock, reported.into_iter())
                }
            });
        }
        let old = self.key.replace(key);
        self.window_gen = next_generation();
        self.events_current = false;
        let Some(index) = self.index.take() else {
            return true;
        };
        // Only the window moved: update from the events near its edges.
        if let Some((old_window, old_rule, old_clock, old_n)) = old
            && filter_current
            && (old_rule, old_clock, old_n) == (rule, clock, n)
            && self.in_window.len() == n
        {
            let edges = [
                (old_window.start.0, window.start.0),
                (old_window.end.0, window.end.0),
            ];
            let mut slices: Vec<&[u32]> = Vec::with_capacity(4);
            for (a, b) in edges {
                if a != b {
                    let (lo, hi) = (a.min(b).saturating_sub(1), a.max(b).saturating_add(1));
                    slices.push(index.with_bound_in(false, lo, hi));
                    slices.push(index.with_bound_in(true, lo, hi));
                }
            }
            let candidates: usize = slices.iter().map(|s| s.len()).sum();
            if candidates <= n / 3 {
                for &i in slices.iter().flat_map(|s| s.iter()) {
                    let i = i as usize;
                    let now = self.passes[i] && index.admits(i, rule, window);
                    if now != self.in_window[i] {
                        self.in_window[i] = now;
                        self.count_event(ds, i, now);
                    }
                }
                self.index = Some(index);
                return true;
            }
        }
        self.in_window.clear();
        self.in_window.resize(n, false);
        self.place_counts.clear();
        self.place_counts.resize(ds.places.len(), 0);
        self.contested_counts.clear();
        self.contested_counts.resize(ds.places.len(), 0);
        self.arcs.clear();
        self.in_count = 0;
        for i in 0..n {
            if self.passes[i] && index.admits(i, rule, window) {
                self.in_window[i] = true;
                self.count_event(ds, i, true);
            }
        }
        self.index = Some(index);
        true
    }
}
