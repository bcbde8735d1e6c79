//! Hit-testing on the map: the nearest marker within a few pixels, and
//! nothing farther, found through the spatial index.
#![cfg(feature = "gui")]
#![allow(clippy::unwrap_used, missing_docs)]

use egui::{Rect, pos2, vec2};
use geo::Coord;
use mapline::io;
use mapline::map::hit::pick_place;
use mapline::state::MapCamera;

#[test]
fn picks_the_nearest_marker_within_a_few_pixels_and_nothing_farther() {
    let ds = io::load_embedded().unwrap().dataset;
    let rect = Rect::from_min_size(pos2(0.0, 0.0), vec2(1200.0, 800.0));
    let camera = MapCamera::fit(
        rect,
        Coord { x: 12.0, y: 28.0 },
        Coord { x: 62.0, y: 48.0 },
        40.0,
    );
    let at = |id: &str| {
        let p = ds.place(ds.place_by_id(id).unwrap());
        camera.lonlat_to_screen(rect, Coord { x: p.lon, y: p.lat })
    };
    let sarajevo = ds.place_by_id("sarajevo").unwrap();
    let tehran = ds.place_by_id("tehran").unwrap();
    assert_eq!(
        pick_place(&ds, &camera, rect, at("sarajevo"), 8.0),
        Some(sarajevo)
    );
    assert_eq!(
        pick_place(&ds, &camera, rect, at("sarajevo") + vec2(5.0, -3.0), 8.0),
        Some(sarajevo)
    );
    assert_eq!(
        pick_place(&ds, &camera, rect, at("tehran") + vec2(-4.0, 4.0), 8.0),
        Some(tehran)
    );
    assert_eq!(
        pick_place(&ds, &camera, rect, at("sarajevo") + vec2(30.0, 0.0), 8.0),
        None,
        "30 px is too far"
    );
    assert_eq!(
        pick_place(&ds, &camera, rect, pos2(5.0, 790.0), 8.0),
        None,
        "open sea"
    );
    // Between two nearby markers, the nearer one wins.
    let (a, b) = (at("tirana"), at("manez"));
    let near_a = a + (b - a) * 0.3;
    let near_b = a + (b - a) * 0.7;
    let radius = (b - a).length();
    assert_eq!(
        pick_place(&ds, &camera, rect, near_a, radius),
        ds.place_by_id("tirana")
    );
    assert_eq!(
        pick_place(&ds, &camera, rect, near_b, radius),
        ds.place_by_id("manez")
    );
}
