//! The one reducer, driven without egui: each action's effect on the
//! selection, the window, the camera and the strip's axis.

use mapline::model::search::SearchTarget;
use mapline::model::{Dataset, Day, EventIdx, TimeWindow};
use mapline::state::{Action, AppState, MapCamera, Selection, TimeAxis};

fn embedded() -> Dataset {
    mapline::io::load_embedded()
        .unwrap_or_else(|e| panic!("{e}"))
        .dataset
}

fn day(y: i64, m: u32, d: u32) -> Day {
    Day::from_ymd(y, m, d).unwrap_or_else(|| panic!("{y}-{m}-{d}"))
}

/// Where the camera looks, and how the strip shows time: to compare.
fn views(state: &AppState) -> (MapCamera, TimeAxis) {
    (state.camera, state.axis.clone())
}

#[test]
fn select_tirana_move_the_window_to_july_2022_and_step_to_the_next_event() {
    let ds = embedded();
    let mut state = AppState::new(&ds);
    let story = ds.time_extent().unwrap_or_else(|| panic!("a dated story"));
    assert_eq!(state.selection, Selection::None);
    assert_eq!(state.window, story, "the window starts on the whole story");
    assert_eq!(
        state.axis, state.home,
        "the strip starts on the whole story"
    );
    let (camera0, axis0) = views(&state);

    // Select Tirana as the search does: the camera centres on it; the
    // window and the strip stay, since Tirana has events in the window.
    let tirana = ds.place_by_id("tirana").unwrap_or_else(|| panic!("Tirana"));
    state.apply(&ds, Action::Reveal(SearchTarget::Place(tirana)));
    assert_eq!(state.selection, Selection::Place(tirana));
    assert_eq!(state.window, story);
    let place = ds.place(tirana);
    let want = mapline::model::projection::project(geo::Coord {
        x: place.lon,
        y: place.lat,
    });
    assert!(
        (state.camera.center.x - want.x).abs() < 1e-12
            && (state.camera.center.y - want.y).abs() < 1e-12,
        "the camera looks at Tirana: {:?} vs {want:?}",
        state.camera.center
    );
    assert!(
        (state.camera.scale - camera0.scale).abs() < 1e-12,
        "centred, not zoomed"
    );
    assert_eq!(state.axis, axis0, "the strip is not moved by a place");
    let counted = |state: &AppState| state.derived.place_counts[tirana.index()] as usize;
    let rule = state.rule;
    let at_tirana_in = |w: TimeWindow| {
        ds.events_in(w, rule)
            .filter(|&e| ds.event(e).places().iter().any(|p| p.place == tirana))
            .count()
    };
    assert_eq!(counted(&state), at_tirana_in(story));

    // Move the window to July 2022, as typing the dates in the strip's
    // fields does: the window and the axis change; selection and camera stay.
    let july = TimeWindow::new(day(2022, 7, 1), day(2022, 7, 31));
    let july_axis = TimeAxis::new(july.start.as_f64() - 3.0, july.end.as_f64() + 4.0);
    let camera1 = state.camera;
    state.apply(&ds, Action::SetWindow(july));
    state.apply(&ds, Action::Axis(july_axis.clone()));
    assert_eq!(state.selection, Selection::Place(tirana));
    assert_eq!(state.window, july);
    assert_eq!(state.camera, camera1);
    assert_eq!(state.axis, july_axis);
    let in_july = at_tirana_in(july);
    assert!(in_july >= 1, "the cyberattack of 15 July is at Tirana");
    assert_eq!(
        counted(&state),
        in_july,
        "the map's count follows the window"
    );
    assert!(in_july < at_tirana_in(story));

    // Step to the next event: with a place selected that is the first event
    // in time order, the Shah-era Balkan ties (`../1979`: open before 1979,
    // so first). The window keeps its
    // 30 days and moves to it; the strip keeps its zoom and centres on it.
    state.apply(&ds, Action::SelectNext);
    let first = EventIdx(0);
    assert_eq!(ds.event(first).id(), "shah-era-balkan-ties");
    assert_eq!(state.selection, Selection::Event(first));
    let anchor = ds.event(first).time().anchor();
    assert_eq!(
        state.window.end.0 - state.window.start.0,
        30,
        "its width kept"
    );
    assert_eq!(state.window.start.0, anchor.0 - 15);
    assert!(state.window.end < day(1981, 1, 1), "{:?}", state.window);
    let t = ds.event(first).time().to_fuzzy();
    assert!(state.rule.admits(&t, &state.window), "{:?}", state.window);
    assert_eq!(state.camera, camera1, "stepping does not move the map");
    let mid = f64::midpoint(state.axis.start, state.axis.end);
    assert!(
        (mid - anchor.as_f64()).abs() < 1e-6,
        "the strip centres on it"
    );
    assert!(
        ((state.axis.end - state.axis.start) - (july_axis.end - july_axis.start)).abs() < 1e-6,
        "the strip keeps its zoom"
    );

    // And on: the next event is the second in time order, with the window
    // following it.
    state.apply(&ds, Action::SelectNext);
    assert_eq!(state.selection, Selection::Event(EventIdx(1)));
    let t = ds.event(EventIdx(1)).time().to_fuzzy();
    assert!(state.rule.admits(&t, &state.window), "{:?}", state.window);
}

#[test]
fn the_camera_is_fitted_once_kept_when_restored_and_scaled_when_the_map_resizes() {
    let ds = embedded();
    let mut state = AppState::new(&ds);
    let area = egui::Rect::from_min_size(egui::pos2(0.0, 0.0), egui::vec2(1000.0, 600.0));
    let before = state.camera;
    state.apply(&ds, Action::MapArea(area));
    let fitted = state.camera;
    assert_ne!(
        fitted, before,
        "the first frame fits the story's core region"
    );
    // The same area again: nothing moves.
    state.apply(&ds, Action::MapArea(area));
    assert_eq!(state.camera, fitted);
    // Half as wide (the reader opened): the scale follows, the centre stays.
    let half = egui::Rect::from_min_size(egui::pos2(0.0, 0.0), egui::vec2(500.0, 600.0));
    state.apply(&ds, Action::MapArea(half));
    assert_eq!(state.camera.center, fitted.center);
    assert!((state.camera.scale - fitted.scale / 2.0).abs() < 1e-9);
    // A restored camera is kept on the next first frame.
    let kept = MapCamera {
        center: geo::Coord { x: 0.3, y: 0.4 },
        scale: 4321.0,
    };
    state.apply(&ds, Action::RestoreCamera(kept));
    state.apply(&ds, Action::MapArea(area));
    assert_eq!(state.camera, kept);
    // Fit to data: the places with events in the window.
    state.apply(&ds, Action::FitToData);
    assert_eq!(state.camera, kept, "done when the map's area is next known");
    state.apply(&ds, Action::MapArea(area));
    assert_ne!(state.camera, kept);
}
