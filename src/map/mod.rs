//! The schematic map: projection, camera, basemap, hit-testing and the map
//! widget with its layers (arcs, alleged arcs, markers, labels, edge pointers).

pub mod basemap;
pub mod camera;
pub mod hit;
pub mod labels;
pub mod projection;
mod widget;

pub use camera::MapCamera;
pub use widget::{MapCache, MapView, core_region, fit_places};
