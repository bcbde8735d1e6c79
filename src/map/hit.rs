//! Hit-testing places on the map through the dataset's spatial index.

use egui::{Pos2, Rect};
use geo::Coord;
use rstar::{AABB, Envelope as _};

use crate::model::{Dataset, PlaceIdx};
use crate::state::MapCamera;

/// The place whose marker centre is nearest to `pointer`, if it is within
/// `radius_px` screen points; `None` when nothing is that close.
///
/// Only places in the spatial index's envelope around the pointer are
/// looked at, never every place.
#[must_use]
pub fn pick_place(
    ds: &Dataset,
    camera: &MapCamera,
    rect: Rect,
    pointer: Pos2,
    radius_px: f32,
) -> Option<PlaceIdx> {
    let a = camera.to_lonlat(rect, pointer - egui::vec2(radius_px, radius_px));
    let b = camera.to_lonlat(rect, pointer + egui::vec2(radius_px, radius_px));
    let envelope = AABB::from_corners([a.x.min(b.x), a.y.min(b.y)], [a.x.max(b.x), a.y.max(b.y)]);
    ds.spatial()
        .locate_in_envelope(&envelope)
        .map(|p| {
            let [lon, lat] = *p.geom();
            let screen = camera.lonlat_to_screen(rect, Coord { x: lon, y: lat });
            (screen.distance(pointer), p.data)
        })
        .filter(|(d, _)| *d <= radius_px)
        .min_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, idx)| idx)
}

/// Places inside the (lon, lat) view of `camera` in `rect`, from the index;
/// when the view holds every place, all of them without a walk of the index.
pub fn places_in_view<'a>(
    ds: &'a Dataset,
    camera: &MapCamera,
    rect: Rect,
) -> Box<dyn Iterator<Item = PlaceIdx> + 'a> {
    let a = camera.to_lonlat(rect, rect.left_top());
    let b = camera.to_lonlat(rect, rect.right_bottom());
    let envelope = AABB::from_corners([a.x.min(b.x), a.y.min(b.y)], [a.x.max(b.x), a.y.max(b.y)]);
    if envelope.contains_envelope(&ds.spatial().root().envelope()) {
        Box::new((0..ds.places.len() as u32).map(PlaceIdx))
    } else {
        Box::new(ds.spatial().locate_in_envelope(&envelope).map(|p| p.data))
    }
}
