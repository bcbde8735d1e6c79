//! Movements: an event with an origin and a destination, and the arcs any
//! event draws between its places. Read by the window's counts and the map.

use super::{EventRef, PlaceIdx, PlaceRole};

impl EventRef<'_> {
    /// Is the event a movement (an origin and a destination)?
    #[must_use]
    pub fn is_movement(self) -> bool {
        let places = self.places();
        places.iter().any(|p| p.role == PlaceRole::Origin)
            && places.iter().any(|p| p.role == PlaceRole::Destination)
    }

    /// The arcs the event draws, as `f(from, to, directed)`: origin →
    /// destination (directed), else from its first place to each other one
    /// (undirected).
    pub fn for_each_arc(self, mut f: impl FnMut(PlaceIdx, PlaceIdx, bool)) {
        let places = self.places();
        let origin = places.iter().find(|p| p.role == PlaceRole::Origin);
        let dest = places.iter().find(|p| p.role == PlaceRole::Destination);
        match (origin, dest) {
            (Some(o), Some(d)) if o.place != d.place => f(o.place, d.place, true),
            _ => {
                if let Some(first) = places.first().map(|p| p.place) {
                    for p in places.iter().skip(1) {
                        if p.place != first {
                            f(first, p.place, false);
                        }
                    }
                }
            }
        }
    }
}
