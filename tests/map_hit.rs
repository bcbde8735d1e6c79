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

#[test]
fn a_basemap_that_does_not_decode_says_so_on_the_map() {
    use egui_kittest::kittest::Queryable as _;
    use mapline::map::basemap::Basemap;
    use mapline::map::{MapCache, MapView};
    use mapline::state::{Selection, WindowView};

    let broken = Basemap::from_topojson(
        (
            "countries-110m.json",
            "{\"type\": \"Topology\", \"arcs\": [[1, 2",
        ),
        (
            "countries-50m.json",
            "{\"type\": \"Topology\", \"arcs\": [], \"objects\": {}}",
        ),
    );
    let words: Vec<String> = broken.problems().iter().map(ToString::to_string).collect();
    assert_eq!(words.len(), 2, "{words:?}");
    assert!(
        words[0].starts_with("the basemap countries-110m.json could not be read: ")
            && words[0].contains("line 1 column"),
        "where in the file: {}",
        words[0]
    );
    assert_eq!(
        words[1],
        "the basemap countries-50m.json could not be read: it has no \"countries\" object"
    );
    assert!(
        Basemap::shared().problems().is_empty(),
        "the shipped one decodes"
    );

    let ds = io::load_embedded().unwrap().dataset;
    let mut view = WindowView::default();
    view.update(
        &ds,
        ds.time_extent().unwrap(),
        mapline::model::WindowRule::Overlaps,
        mapline::state::Clock::Happened,
        &mapline::state::Filter::default(),
    );
    let camera = MapCamera::default();
    let mut cache = MapCache::default();
    let mut harness = egui_kittest::Harness::new_ui(|ui| {
        let _ = MapView::new(&ds, Selection::None, &view, &camera, &mut cache)
            .with_basemap(&broken)
            .show(ui);
    });
    harness.run();
    let shown = harness
        .query_all_by_label_contains("The countries are not drawn: the basemap countries-110m.json")
        .count();
    assert_eq!(shown, 1, "the map says why it has no countries");
}
