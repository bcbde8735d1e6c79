//! Views derived from (dataset, state), cached and keyed by what they
//! depend on (the dataset's [`Dataset::generation`], the window, rule,
//! clock and filters), so they are not recomputed every frame:
//! [`super::AppState::refresh`] brings them up to date after each action.
//!
//! When only the window moves, the view is updated incrementally: an event
//! can only enter or leave the window if one of its bounds lies between the
//! old and the new edge, and those events are found by binary search in the
//! events sorted by start and by end. The cost is that of the events that
//! cross an edge, not of the dataset.

use std::sync::atomic::{AtomicU64, Ordering};

use super::{Clock, Filter};
use crate::model::{Dataset, EventIdx, FuzzyTime, PlaceIdx, TimeWindow, WindowRule};

/// Two places an arc joins.
pub type PlacePair = (PlaceIdx, PlaceIdx);

/// Generations unique across every view of the process, so that a cache
/// keyed by one never mistakes a new dataset's view for an old one.
static GENERATION: AtomicU64 = AtomicU64::new(1);

fn next_generation() -> u64 {
    GENERATION.fetch_add(1, Ordering::Relaxed)
}

/// Each event's bounds on one clock as whole days (open ends as
/// `i64::MIN` / `i64::MAX`; an undated event as `(MAX, MIN)`), and the
/// events sorted by each bound.
#[derive(Debug)]
struct ClockIndex {
    clock: Clock,
    /// The dataset's generation.
    generation: u64,
    start: Vec<i64>,
    end: Vec<i64>,
    by_start: Vec<u32>,
    by_end: Vec<u32>,
}

impl ClockIndex {
    fn new(clock: Clock, generation: u64, times: impl Iterator<Item = Option<FuzzyTime>>) -> Self {
        let (start, end): (Vec<i64>, Vec<i64>) = times
            .map(|t| match t {
                Some(t) => (
                    t.earliest().map_or(i64::MIN, |d| d.0),
                    t.latest().map_or(i64::MAX, |d| d.0),
                ),
                None => (i64::MAX, i64::MIN),
            })
            .unzip();
        let mut by_start: Vec<u32> = (0..start.len() as u32).collect();
        by_start.sort_by_key(|&i| start[i as usize]);
        let mut by_end: Vec<u32> = (0..end.len() as u32).collect();
        by_end.sort_by_key(|&i| end[i as usize]);
        Self {
            clock,
            generation,
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
                s <= e && s != i64::MIN && e != i64::MAX && s >= w.start.0 && e <= w.end.0
            }
        }
    }

    /// Events with a start (`ends` false) or end in `lo..=hi`.
    fn with_bound_in(&self, ends: bool, lo: i64, hi: i64) -> &[u32] {
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

/// What each event adds to the window's counts, laid out flat and built
/// once per dataset: moving the window touches a few contiguous bytes per
/// event crossing an edge instead of chasing each event's own lists.
#[derive(Debug, Default)]
struct EventCounts {
    /// The dataset these are for ([`Dataset::generation`]).
    generation: u64,
    /// Event `i`'s distinct places are `places[starts[i]..starts[i + 1]]`.
    starts: Vec<u32>,
    places: Vec<PlaceIdx>,
    /// Event `i`'s movement arcs are `arcs[arc_starts[i]..arc_starts[i + 1]]`.
    arc_starts: Vec<u32>,
    arcs: Vec<(PlaceIdx, PlaceIdx, bool)>,
    /// Is a contested claim about event `i`?
    contested: Vec<bool>,
}

impl EventCounts {
    fn new(ds: &Dataset) -> Self {
        let n = ds.events.len();
        let mut counts = Self {
            generation: ds.generation(),
            starts: Vec::with_capacity(n + 1),
            places: Vec::new(),
            arc_starts: Vec::with_capacity(n + 1),
            arcs: Vec::new(),
            contested: Vec::with_capacity(n),
        };
        counts.starts.push(0);
        counts.arc_starts.push(0);
        for (i, event) in ds.events.iter().enumerate() {
            let first = counts.places.len();
            for p in event.places() {
                // A place in two roles is still one event there.
                if !counts.places[first..].contains(&p.place) {
                    counts.places.push(p.place);
                }
            }
            counts.starts.push(counts.places.len() as u32);
            if event.is_movement() {
                event.for_each_arc(|a, b, directed| counts.arcs.push((a, b, directed)));
            }
            counts.arc_starts.push(counts.arcs.len() as u32);
            counts.contested.push(ds.is_contested(EventIdx(i as u32)));
        }
        counts
    }
}

/// What the window's derived data is for: window, rule, clock and the
/// dataset's generation.
type WindowKey = (TimeWindow, WindowRule, Clock, u64);

/// The events in the time window and the per-place counts the map shows.
#[derive(Debug, Default)]
pub struct WindowView {
    /// What the window's flags and counts are for.
    key: Option<WindowKey>,
    /// The filter and the dataset's generation `passes` is for.
    filter_key: Option<(Filter, u64)>,
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
    pub arcs: rustc_hash::FxHashMap<PlacePair, (u32, u32)>,
    /// Per event: when it was first reported (computed once per dataset
    /// generation, on first use).
    reported: Option<(u64, Vec<Option<FuzzyTime>>)>,
    index: Option<ClockIndex>,
    counts: EventCounts,
    /// The events the facet panel counts, and the key they are for.
    facet_events: Option<(WindowKey, Vec<EventIdx>)>,
}

impl WindowView {
    /// When each event was first reported, computed once per dataset.
    pub fn reported(&mut self, ds: &Dataset) -> &[Option<FuzzyTime>] {
        let generation = ds.generation();
        if self.reported.as_ref().is_none_or(|r| r.0 != generation) {
            self.reported = Some((
                generation,
                ds.event_indices()
                    .map(|e| ds.reported_time(e).cloned())
                    .collect(),
            ));
        }
        self.reported.as_ref().map_or(&[], |r| r.1.as_slice())
    }

    /// The reported times, if computed.
    #[must_use]
    pub fn reported_times(&self) -> Option<&[Option<FuzzyTime>]> {
        self.reported.as_ref().map(|r| r.1.as_slice())
    }

    /// The events the facet panel counts its values over: on the story's
    /// own clock every event in the window whatever the filters (so that a
    /// value switched off still shows its count); on the reported clock
    /// the window's events. Computed when the window changes, not per frame.
    pub fn facet_events(&mut self, ds: &Dataset) -> &[EventIdx] {
        let Some(key) = self.key else {
            return &[];
        };
        if self.facet_events.as_ref().is_none_or(|(k, _)| *k != key) {
            let (window, rule, clock, _) = key;
            let events = match clock {
                Clock::Happened => ds.events_in(window, rule).collect(),
                Clock::Reported => {
                    self.ensure_events();
                    self.events.clone()
                }
            };
            self.facet_events = Some((key, events));
        }
        self.facet_events
            .as_ref()
            .map_or(&[], |(_, e)| e.as_slice())
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
    fn count_event(&mut self, i: usize, add: bool) {
        let flat = &self.counts;
        let contested = flat.contested[i];
        let places = &flat.places[flat.starts[i] as usize..flat.starts[i + 1] as usize];
        for p in places {
            let at = p.index();
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
        let arcs = &flat.arcs[flat.arc_starts[i] as usize..flat.arc_starts[i + 1] as usize];
        for &(a, b, directed) in arcs {
            if add {
                let entry = self.arcs.entry((a, b)).or_insert((0, 0));
                entry.0 += u32::from(directed);
                entry.1 += 1;
            } else if let Some(entry) = self.arcs.get_mut(&(a, b)) {
                entry.0 -= u32::from(directed);
                entry.1 -= 1;
                if entry.1 == 0 {
                    self.arcs.remove(&(a, b));
                }
            }
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
        let generation = ds.generation();
        let key = (window, rule, clock, generation);
        let filter_current = self
            .filter_key
            .as_ref()
            .is_some_and(|(f, g)| f == filter && *g == generation);
        if self.key == Some(key) && filter_current {
            return false;
        }
        if !filter_current {
            self.passes.clear();
            self.passes
                .extend(ds.event_indices().map(|e| filter.admits(ds, e)));
            self.pass_count = self.passes.iter().filter(|b| **b).count();
            self.filter_key = Some((filter.clone(), generation));
            self.filter_gen = next_generation();
        }
        if self
            .index
            .as_ref()
            .is_none_or(|x| x.clock != clock || x.generation != generation)
        {
            self.index = Some(match clock {
                Clock::Happened => ClockIndex::new(
                    clock,
                    generation,
                    ds.events.iter().map(|e| Some(e.time().to_fuzzy())),
                ),
                Clock::Reported => {
                    let reported = self.reported(ds).to_vec();
                    ClockIndex::new(clock, generation, reported.into_iter())
                }
            });
        }
        if self.counts.generation != generation {
            self.counts = EventCounts::new(ds);
        }
        let old = self.key.replace(key);
        self.window_gen = next_generation();
        self.events_current = false;
        let Some(index) = self.index.take() else {
            return true;
        };
        // Only the window moved: update from the events near its edges.
        if let Some((old_window, old_rule, old_clock, old_generation)) = old
            && filter_current
            && (old_rule, old_clock, old_generation) == (rule, clock, generation)
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
                        self.count_event(i, now);
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
                self.count_event(i, true);
            }
        }
        self.index = Some(index);
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Day;

    /// Everything the window's counts hold: flags, per-place counts,
    /// contested counts, events in the window, arcs.
    type Counts = (
        Vec<bool>,
        Vec<u32>,
        Vec<u32>,
        usize,
        Vec<(PlacePair, (u32, u32))>,
    );

    fn counts(v: &WindowView) -> Counts {
        let mut arcs: Vec<_> = v.arcs.iter().map(|(k, x)| (*k, *x)).collect();
        arcs.sort_unstable();
        (
            v.in_window.clone(),
            v.place_counts.clone(),
            v.contested_counts.clone(),
            v.in_count,
            arcs,
        )
    }

    #[test]
    fn a_moving_window_counts_as_a_fresh_count_would() {
        let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        crate::io::generate::generate(
            tmp.path(),
            crate::io::generate::GenerateOptions {
                events: 3000,
                seed: 11,
            },
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let ds = crate::io::load_dir(tmp.path())
            .unwrap_or_else(|e| panic!("{e}"))
            .dataset;
        let extent = ds.time_extent().unwrap_or_else(|| panic!("dated events"));
        let (start, span) = (extent.start.0, extent.end.0 - extent.start.0);
        let filter = Filter::default();
        let mut moving = WindowView::default();
        // Windows that slide, jump, widen and narrow, under both rules.
        let (mut seen_arcs, mut busiest) = (false, 0);
        for k in 0..80i64 {
            // Forty small slides (counted from the events crossing an edge),
            // then jumps (counted afresh).
            let (from, width) = if k < 40 {
                (start + span * k / 100, span / 10 + span * (k % 3) / 100)
            } else {
                (
                    start + span * ((k * 37) % 100) / 100,
                    span * (1 + (k * 13) % 30) / 100,
                )
            };
            let window = TimeWindow::new(Day(from), Day(from + width));
            let rule = if k % 7 == 6 {
                WindowRule::Inside
            } else {
                WindowRule::Overlaps
            };
            moving.update(&ds, window, rule, Clock::Happened, &filter);
            let mut fresh = WindowView::default();
            fresh.update(&ds, window, rule, Clock::Happened, &filter);
            assert_eq!(counts(&moving), counts(&fresh), "window {k}");
            // And both agree with the events themselves.
            let mut places = vec![0u32; ds.places.len()];
            let mut contested = vec![0u32; ds.places.len()];
            let mut arcs: std::collections::HashMap<PlacePair, (u32, u32)> =
                std::collections::HashMap::new();
            for (i, _) in fresh.in_window.iter().enumerate().filter(|(_, b)| **b) {
                let event = ds.events.get(EventIdx(i as u32));
                let mut distinct: Vec<PlaceIdx> = event.places().iter().map(|p| p.place).collect();
                distinct.sort_unstable();
                distinct.dedup();
                for p in distinct {
                    places[p.index()] += 1;
                    if ds.is_contested(EventIdx(i as u32)) {
                        contested[p.index()] += 1;
                    }
                }
                if event.is_movement() {
                    event.for_each_arc(|a, b, directed| {
                        let entry = arcs.entry((a, b)).or_insert((0, 0));
                        entry.0 += u32::from(directed);
                        entry.1 += 1;
                    });
                }
            }
            let mut arcs: Vec<_> = arcs.into_iter().collect();
            arcs.sort_unstable();
            let (_, p, c, n, a) = counts(&fresh);
            assert_eq!((p, c, a), (places, contested, arcs), "window {k}");
            assert_eq!(n, fresh.in_window.iter().filter(|b| **b).count());
            seen_arcs |= !moving.arcs.is_empty();
            busiest = busiest.max(moving.in_count);
        }
        assert!(seen_arcs, "the windows hold movements");
        assert!(busiest > 300, "the windows hold events: {busiest}");
    }
}
