//! A timeline without places gets the room: the map steps aside, the strip
//! and the reader fill the window, and the reader reads like a slide.
#![cfg(feature = "gui")]
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::path::{Path, PathBuf};

use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;

use mapline::app::App;
use mapline::io::import::open;
use mapline::state::Selection;

fn sky_watchers() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/timelinejs/sky-watchers.json")
}

fn harness(path: PathBuf) -> Harness<'static, App> {
    let opened = open(&path, None).expect("the file opens");
    let mut h = Harness::builder()
        .with_size(egui::vec2(1600.0, 1000.0))
        .with_step_dt(1.0 / 60.0)
        .build_eframe(move |_cc| App::from_opened(opened, &path));
    h.run();
    h
}

fn strip_rect(h: &Harness<'_, App>) -> egui::Rect {
    h.get_by(|n| {
        n.role() == Role::Slider && n.label().is_some_and(|l| l.starts_with("Time window from"))
    })
    .rect()
}

fn shows(h: &Harness<'_, App>, text: &str) -> bool {
    h.query_all_by(|n| {
        n.label().is_some_and(|l| l.contains(text)) || n.value().is_some_and(|v| v.contains(text))
    })
    .next()
    .is_some()
}

#[test]
fn a_timeline_without_places_gives_the_strip_and_the_reader_the_window() {
    let mut h = harness(sky_watchers());
    assert!(h.state().dataset().places.is_empty());
    let strip = strip_rect(&h);
    assert!(
        strip.height() >= 500.0,
        "the strip is {} of 1000 points high",
        strip.height()
    );
    assert!(
        shows(&h, "This dataset names no places"),
        "the bar says why"
    );
    // The reader opens on the title slide, then walks the events in time order.
    assert!(shows(&h, "From Babylon to Hubble"));
    h.key_press(egui::Key::ArrowRight);
    h.run();
    assert_eq!(
        h.state().state().selection,
        Selection::Event(mapline::model::EventIdx(0))
    );
    assert!(shows(&h, "Babylonian astronomical diaries"));
    assert!(shows(&h, "Credit: The Trustees of the British Museum"));
    assert!(shows(&h, "Caption: ") || shows(&h, "Astronomical diary, clay tablet"));
    h.key_press(egui::Key::ArrowRight);
    h.run();
    assert!(shows(&h, "Hipparchus catalogues the stars"));
    h.key_press(egui::Key::ArrowLeft);
    h.run();
    assert!(shows(&h, "Babylonian astronomical diaries"));
}

#[test]
fn the_embedded_story_keeps_its_map() {
    let mut h = Harness::builder()
        .with_size(egui::vec2(1600.0, 1000.0))
        .build_eframe(|_cc| App::embedded().expect("the embedded dataset loads"));
    h.run();
    let strip = strip_rect(&h);
    assert!(strip.height() < 500.0, "{}", strip.height());
    assert!(!shows(&h, "This dataset names no places"));
}
