//! What every writer is handed and answers: a view of a dataset (its
//! events in time order) and what was written. Below `export`, which picks
//! the writer.

use std::collections::BTreeSet;

use crate::model::{Dataset, EventIdx, PlaceIdx};

/// What to export: a dataset and the events of the view, in time order.
#[derive(Clone, Copy, Debug)]
pub struct View<'a> {
    /// The dataset.
    pub dataset: &'a Dataset,
    /// The events to write (a subset of `dataset.events`, ascending).
    pub events: &'a [EventIdx],
}

impl View<'_> {
    /// Every place the view's events touch, ascending.
    #[must_use]
    pub fn places(&self) -> Vec<PlaceIdx> {
        let set: BTreeSet<PlaceIdx> = self
            .events
            .iter()
            .flat_map(|&e| self.dataset.event(e).places().iter().map(|p| p.place))
            .collect();
        set.into_iter().collect()
    }
}

/// What an export wrote.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExportSummary {
    /// Events written.
    pub events: usize,
    /// Places written.
    pub places: usize,
}
