//! Facet filters: which events the map, the strip, the lanes and the reader
//! show. Everything is on by default; a facet value switched off hides the
//! events that only it would admit.

use std::collections::BTreeSet;

use crate::model::{ActorIdx, Category, Dataset, EventIdx, PlaceKind, SourceIdx};

/// The active filters (all empty: nothing filtered).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Filter {
    /// Outlets switched off: an event shows if some outlet still on reports it.
    pub hidden_sources: BTreeSet<SourceIdx>,
    /// Perspectives switched off: an event shows if a perspective still on reports it.
    pub hidden_perspectives: BTreeSet<String>,
    /// Categories switched off.
    pub hidden_categories: BTreeSet<Category>,
    /// Actors switched off: an event shows unless all of its actors are off.
    pub hidden_actors: BTreeSet<ActorIdx>,
    /// Place kinds switched off: an event shows if one of its places is of a kind still on.
    pub hidden_place_kinds: BTreeSet<PlaceKind>,
    /// Only events that exactly one outlet reports.
    pub single_outlet_only: bool,
    /// Only events that exactly one perspective reports.
    pub single_perspective_only: bool,
}

impl Filter {
    /// Nothing is filtered.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }

    /// Does the event pass every facet?
    #[must_use]
    pub fn admits(&self, ds: &Dataset, e: EventIdx) -> bool {
        if self.is_empty() {
            return true;
        }
        let event = ds.event(e);
        let sources = ds.event_sources(e);
        if !sources.is_empty()
            && !self.hidden_sources.is_empty()
            && sources.iter().all(|s| self.hidden_sources.contains(s))
        {
            return false;
        }
        let perspectives = ds.event_perspectives(e);
        if !perspectives.is_empty()
            && !self.hidden_perspectives.is_empty()
            && perspectives
                .iter()
                .all(|p| self.hidden_perspectives.contains(*p))
        {
            return false;
        }
        if self.hidden_categories.contains(&event.category()) {
            return false;
        }
        if !event.actors().is_empty()
            && event
                .actors()
                .iter()
                .all(|a| self.hidden_actors.contains(a))
        {
            return false;
        }
        if !event.places().is_empty()
            && !self.hidden_place_kinds.is_empty()
            && event
                .places()
                .iter()
                .all(|p| self.hidden_place_kinds.contains(&ds.place(p.place).kind))
        {
            return false;
        }
        if self.single_outlet_only && sources.len() != 1 {
            return false;
        }
        if self.single_perspective_only && perspectives.len() != 1 {
            return false;
        }
        true
    }

    /// The active filters in words, each with the change that removes it.
    #[must_use]
    pub fn chips(&self, ds: &Dataset) -> Vec<(String, FilterChange)> {
        let mut out = Vec::new();
        for s in &self.hidden_sources {
            out.push((
                format!("without {}", ds.source(*s).outlet),
                FilterChange::ShowSource(*s),
            ));
        }
        for p in &self.hidden_perspectives {
            out.push((
                format!("without {p}"),
                FilterChange::ShowPerspective(p.clone()),
            ));
        }
        for c in &self.hidden_categories {
            out.push((format!("without {c}"), FilterChange::ShowCategory(*c)));
        }
        for a in &self.hidden_actors {
            out.push((
                format!("without {}", ds.actor(*a).name),
                FilterChange::ShowActor(*a),
            ));
        }
        for k in &self.hidden_place_kinds {
            out.push((
                format!("without {k} places"),
                FilterChange::ShowPlaceKind(*k),
            ));
        }
        if self.single_outlet_only {
            out.push((
                "only single-outlet events".to_owned(),
                FilterChange::SingleOutlet(false),
            ));
        }
        if self.single_perspective_only {
            out.push((
                "only single-perspective events".to_owned(),
                FilterChange::SinglePerspective(false),
            ));
        }
        out
    }

    /// Applies a change.
    pub fn apply(&mut self, change: FilterChange) {
        match change {
            FilterChange::HideSource(s) => drop(self.hidden_sources.insert(s)),
            FilterChange::ShowSource(s) => drop(self.hidden_sources.remove(&s)),
            FilterChange::HidePerspective(p) => drop(self.hidden_perspectives.insert(p)),
            FilterChange::ShowPerspective(p) => drop(self.hidden_perspectives.remove(&p)),
            FilterChange::HideCategory(c) => drop(self.hidden_categories.insert(c)),
            FilterChange::ShowCategory(c) => drop(self.hidden_categories.remove(&c)),
            FilterChange::HideActor(a) => drop(self.hidden_actors.insert(a)),
            FilterChange::ShowActor(a) => drop(self.hidden_actors.remove(&a)),
            FilterChange::HidePlaceKind(k) => drop(self.hidden_place_kinds.insert(k)),
            FilterChange::ShowPlaceKind(k) => drop(self.hidden_place_kinds.remove(&k)),
            FilterChange::SingleOutlet(on) => self.single_outlet_only = on,
            FilterChange::SinglePerspective(on) => self.single_perspective_only = on,
            FilterChange::Clear => *self = Self::default(),
        }
    }
}

/// One change to the filters.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FilterChange {
    /// Switch an outlet off.
    HideSource(SourceIdx),
    /// Switch an outlet on.
    ShowSource(SourceIdx),
    /// Switch a perspective off.
    HidePerspective(String),
    /// Switch a perspective on.
    ShowPerspective(String),
    /// Switch a category off.
    HideCategory(Category),
    /// Switch a category on.
    ShowCategory(Category),
    /// Switch an actor off.
    HideActor(ActorIdx),
    /// Switch an actor on.
    ShowActor(ActorIdx),
    /// Switch a place kind off.
    HidePlaceKind(PlaceKind),
    /// Switch a place kind on.
    ShowPlaceKind(PlaceKind),
    /// Only events one outlet reports, or not.
    SingleOutlet(bool),
    /// Only events one perspective reports, or not.
    SinglePerspective(bool),
    /// Remove every filter.
    Clear,
}
