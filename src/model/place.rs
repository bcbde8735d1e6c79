//! Places: where events happen, as points on the map.

use super::{index_type, word_enum};

index_type!(
    /// Index of a [`Place`] in [`super::Dataset::places`].
    PlaceIdx
);

word_enum!(
    /// What kind of place this is.
    PlaceKind {
        /// A city or town.
        City => "city",
        /// A site: a camp, a building, an institution's seat.
        Site => "site",
        /// A country (its marker stands at a representative point).
        Country => "country",
        /// A region spanning several countries.
        Region => "region",
        /// A sea.
        Sea => "sea",
    }
);

word_enum!(
    /// How precisely the place's coordinates locate it.
    LocationPrecision {
        /// A known point.
        Exact => "exact",
        /// Within a few kilometres.
        Locality => "locality",
        /// Somewhere in the city.
        City => "city",
        /// Somewhere in the region.
        Region => "region",
        /// A country's representative point stands for it.
        Country => "country",
    }
);

/// A named place with coordinates (WGS84 degrees).
///
/// Invariant: `lon` in -180..=180, `lat` in -90..=90, both finite.
#[derive(Clone, Debug, PartialEq)]
pub struct Place {
    /// Stable id, unique among places.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Other names ("Ashraf 3" for Manez).
    pub aliases: Vec<String>,
    /// Longitude in degrees east.
    pub lon: f64,
    /// Latitude in degrees north.
    pub lat: f64,
    /// What kind of place.
    pub kind: PlaceKind,
    /// How precise the coordinates are.
    pub precision: LocationPrecision,
    /// The country it lies in, if named.
    pub country: Option<String>,
    /// Optional note.
    pub note: Option<String>,
}

impl Place {
    /// The position as a `geo` point (x = lon, y = lat).
    #[must_use]
    pub fn point(&self) -> geo::Point<f64> {
        geo::Point::new(self.lon, self.lat)
    }

    /// Does `needle` (lower-case) occur in the name or an alias?
    #[must_use]
    pub fn matches_name(&self, needle_lower: &str) -> bool {
        std::iter::once(&self.name)
            .chain(&self.aliases)
            .any(|n| n.to_lowercase().contains(needle_lower))
    }
}
