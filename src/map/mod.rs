//! The schematic map: basemap, hit-testing, labels and the map widget
//! with its layers (arcs, alleged arcs, markers, labels, edge pointers).

pub mod basemap;
pub mod hit;
pub mod labels;
mod widget;

pub use widget::{MapCache, MapView};
