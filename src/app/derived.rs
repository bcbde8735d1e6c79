//! Views derived from (dataset, state), cached and keyed by what they
//! depend on, so they are not recomputed every frame.

use crate::model::{Dataset, EventIdx, TimeWindow, WindowRule};

/// The events in the time window and the per-place counts the map shows.
#[derive(Debug, Default)]
pub struct WindowView {
    key: Option<(TimeWindow, WindowRule, usize)>,
    /// Per event: does it count as in the window?
    pub in_window: Vec<bool>,
    /// Events in the window, in time order.
    pub events: Vec<EventIdx>,
    /// Per place: events in the window touching it.
    pub place_counts: Vec<u32>,
}

impl WindowView {
    /// Recomputes if the window, the rule or the dataset changed; returns
    /// whether it did.
    pub fn update(&mut self, ds: &Dataset, window: TimeWindow, rule: WindowRule) -> bool {
        let key = (window, rule, ds.events.len());
        if self.key == Some(key) {
            return false;
        }
        self.key = Some(key);
        self.in_window.clear();
        self.in_window.resize(ds.events.len(), false);
        self.events.clear();
        self.place_counts.clear();
        self.place_counts.resize(ds.places.len(), 0);
        for e in ds.events_in(window, rule) {
            self.in_window[e.index()] = true;
            self.events.push(e);
            let places = &ds.event(e).places;
            for (k, p) in places.iter().enumerate() {
                // A place in two roles is still one event there.
                if !places[..k].iter().any(|q| q.place == p.place) {
                    self.place_counts[p.place.index()] += 1;
                }
            }
        }
        true
    }
}
