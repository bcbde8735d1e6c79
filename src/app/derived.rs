//! Views derived from (dataset, state), cached and keyed by what they
//! depend on, so they are not recomputed every frame.

use crate::model::{Dataset, EventIdx, FuzzyTime, TimeWindow, WindowRule};
use crate::state::{Clock, Filter};

/// The events in the time window and the per-place counts the map shows.
#[derive(Debug, Default)]
pub struct WindowView {
    key: Option<(TimeWindow, WindowRule, Clock, usize)>,
    filter_key: Option<Filter>,
    /// Per event: does it pass the facet filters (whatever the window)?
    pub passes: Vec<bool>,
    /// Per event: does it count as in the window?
    pub in_window: Vec<bool>,
    /// Events in the window, in time order.
    pub events: Vec<EventIdx>,
    /// Per place: events in the window touching it.
    pub place_counts: Vec<u32>,
    /// Per event: when it was first reported (computed once, on first use).
    reported: Option<Vec<Option<FuzzyTime>>>,
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
        let key = (window, rule, clock, ds.events.len());
        let filter_current =
            self.filter_key.as_ref() == Some(filter) && self.passes.len() == ds.events.len();
        if self.key == Some(key) && filter_current {
            return false;
        }
        if !filter_current {
            self.passes = ds.event_indices().map(|e| filter.admits(ds, e)).collect();
            self.filter_key = Some(filter.clone());
        }
        self.key = Some(key);
        self.in_window.clear();
        self.in_window.resize(ds.events.len(), false);
        self.events.clear();
        self.place_counts.clear();
        self.place_counts.resize(ds.places.len(), 0);
        let selected: Vec<EventIdx> = match clock {
            Clock::Happened => ds.events_in(window, rule).collect(),
            Clock::Reported => {
                let reported = self.reported(ds);
                ds.event_indices()
                    .filter(|e| {
                        reported[e.index()]
                            .as_ref()
                            .is_some_and(|t| rule.admits(t, &window))
                    })
                    .collect()
            }
        };
        for e in selected {
            if !self.passes[e.index()] {
                continue;
            }
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
