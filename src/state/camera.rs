//! The map camera: which part of the world is on screen, as plain state
//! (changed only through [`super::AppState::apply`]), and the boxes it is
//! fitted to.

use egui::{Pos2, Rect, Vec2, pos2};
use geo::Coord;

use crate::model::{Dataset, PlaceIdx};

use crate::model::projection::{project, unproject};

/// Where the map looks: a centre in world coordinates and a scale in screen
/// points per world unit (the whole world is `scale` points wide).
///
/// Invariant: `scale` lies in [`MapCamera::MIN_SCALE`, `MapCamera::MAX_SCALE`].
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct MapCamera {
    /// World coordinate at the centre of the view.
    pub center: Coord<f64>,
    /// Screen points per world unit.
    pub scale: f64,
}

impl Default for MapCamera {
    fn default() -> Self {
        Self {
            center: Coord { x: 0.5, y: 0.5 },
            scale: 1000.0,
        }
    }
}

impl MapCamera {
    /// The whole world a little wider than a thumbnail.
    pub const MIN_SCALE: f64 = 200.0;
    /// A city block or so.
    pub const MAX_SCALE: f64 = 5.0e6;

    /// Screen position of a world coordinate in a view `rect`.
    #[must_use]
    pub fn to_screen(&self, rect: Rect, w: Coord<f64>) -> Pos2 {
        let c = rect.center();
        pos2(
            (f64::from(c.x) + (w.x - self.center.x) * self.scale) as f32,
            (f64::from(c.y) + (w.y - self.center.y) * self.scale) as f32,
        )
    }

    /// Screen position of a (lon, lat) coordinate.
    #[must_use]
    pub fn lonlat_to_screen(&self, rect: Rect, lonlat: Coord<f64>) -> Pos2 {
        self.to_screen(rect, project(lonlat))
    }

    /// World coordinate under a screen position.
    #[must_use]
    pub fn to_world(&self, rect: Rect, p: Pos2) -> Coord<f64> {
        let c = rect.center();
        Coord {
            x: self.center.x + f64::from(p.x - c.x) / self.scale,
            y: self.center.y + f64::from(p.y - c.y) / self.scale,
        }
    }

    /// (lon, lat) under a screen position.
    #[must_use]
    pub fn to_lonlat(&self, rect: Rect, p: Pos2) -> Coord<f64> {
        unproject(self.to_world(rect, p))
    }

    /// Moves the view by a screen-space drag.
    pub fn pan(&mut self, delta: Vec2) {
        self.center.x -= f64::from(delta.x) / self.scale;
        self.center.y -= f64::from(delta.y) / self.scale;
        self.center.y = self.center.y.clamp(0.0, 1.0);
    }

    /// Zooms by `factor` keeping the world point under `anchor` fixed.
    pub fn zoom_at(&mut self, rect: Rect, anchor: Pos2, factor: f64) {
        let before = self.to_world(rect, anchor);
        self.scale = (self.scale * factor).clamp(Self::MIN_SCALE, Self::MAX_SCALE);
        let after = self.to_world(rect, anchor);
        self.center.x += before.x - after.x;
        self.center.y += before.y - after.y;
    }

    /// A camera showing the (lon, lat) bounding box in `rect`, with a margin
    /// in points on each side.
    #[must_use]
    pub fn fit(rect: Rect, min: Coord<f64>, max: Coord<f64>, margin: f32) -> Self {
        let a = project(Coord { x: min.x, y: max.y });
        let b = project(Coord { x: max.x, y: min.y });
        let width = (b.x - a.x).abs().max(1e-6);
        let height = (b.y - a.y).abs().max(1e-6);
        let avail_w = f64::from((rect.width() - 2.0 * margin).max(50.0));
        let avail_h = f64::from((rect.height() - 2.0 * margin).max(50.0));
        let scale = (avail_w / width)
            .min(avail_h / height)
            .clamp(Self::MIN_SCALE, 40_000.0);
        Self {
            center: Coord {
                x: f64::midpoint(a.x, b.x),
                y: f64::midpoint(a.y, b.y),
            },
            scale,
        }
    }

    /// The world rectangle on screen: (min, max) world coordinates.
    #[must_use]
    pub fn world_bounds(&self, rect: Rect) -> (Coord<f64>, Coord<f64>) {
        (self.to_world(rect, rect.min), self.to_world(rect, rect.max))
    }
}

/// The (lon, lat) box of the places given, if any.
#[must_use]
pub fn fit_places(ds: &Dataset, places: &[PlaceIdx]) -> Option<(Coord<f64>, Coord<f64>)> {
    let mut it = places.iter().map(|&p| ds.place(p));
    let first = it.next()?;
    let mut min = Coord {
        x: first.lon,
        y: first.lat,
    };
    let mut max = min;
    for p in it {
        min.x = min.x.min(p.lon);
        min.y = min.y.min(p.lat);
        max.x = max.x.max(p.lon);
        max.y = max.y.max(p.lat);
    }
    Some((min, max))
}

/// The story's core region: the places holding most of its events, without
/// the far-off few (Washington for a Balkan story), which then show as edge
/// pointers. Weighted by events; keeps the nearest places that hold 85% of
/// all event–place references around the weighted centre.
#[must_use]
pub fn core_region(ds: &Dataset) -> Option<(Coord<f64>, Coord<f64>)> {
    let weights: Vec<(PlaceIdx, f64)> = (0..ds.places.len())
        .map(|i| PlaceIdx(i as u32))
        .map(|p| (p, ds.events_at(p).len() as f64))
        .filter(|(_, w)| *w > 0.0)
        .collect();
    let total: f64 = weights.iter().map(|(_, w)| w).sum();
    if total == 0.0 {
        let all: Vec<PlaceIdx> = (0..ds.places.len()).map(|i| PlaceIdx(i as u32)).collect();
        return fit_places(ds, &all);
    }
    let cx = weights
        .iter()
        .map(|(p, w)| ds.place(*p).lon * w)
        .sum::<f64>()
        / total;
    let cy = weights
        .iter()
        .map(|(p, w)| ds.place(*p).lat * w)
        .sum::<f64>()
        / total;
    let mut by_distance: Vec<(f64, PlaceIdx, f64)> = weights
        .iter()
        .map(|&(p, w)| {
            let pl = ds.place(p);
            ((pl.lon - cx).hypot(pl.lat - cy), p, w)
        })
        .collect();
    by_distance.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut kept = Vec::new();
    let mut acc = 0.0;
    for (_, p, w) in by_distance {
        if acc >= 0.85 * total {
            break;
        }
        acc += w;
        kept.push(p);
    }
    fit_places(ds, &kept)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zooming_keeps_the_point_under_the_pointer() {
        let rect = Rect::from_min_size(Pos2::ZERO, egui::vec2(800.0, 600.0));
        let mut cam = MapCamera::fit(
            rect,
            Coord { x: 12.0, y: 28.0 },
            Coord { x: 62.0, y: 48.0 },
            20.0,
        );
        let anchor = pos2(600.0, 150.0);
        let before = cam.to_lonlat(rect, anchor);
        cam.zoom_at(rect, anchor, 2.5);
        let after = cam.to_lonlat(rect, anchor);
        assert!((before.x - after.x).abs() < 1e-6 && (before.y - after.y).abs() < 1e-6);
        let tirana = Coord { x: 19.82, y: 41.33 };
        let p = cam.lonlat_to_screen(rect, tirana);
        let back = cam.to_lonlat(rect, p);
        assert!((back.x - tirana.x).abs() < 1e-3 && (back.y - tirana.y).abs() < 1e-3);
    }
}
