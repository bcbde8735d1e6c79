//! Pixel snapshots of the explorer, rendered with wgpu (a software Vulkan
//! or GL driver is enough). Behind the `snapshots` feature: `.ci/run`
//! installs Mesa's drivers and runs `cargo test --features snapshots --test snapshots`.
//!
//! To accept a deliberate change: `UPDATE_SNAPSHOTS=1 cargo test --features snapshots --test snapshots`,
//! then look at `tests/snapshots/*.png` before committing them.
#![cfg(feature = "snapshots")]
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use egui_kittest::kittest::Queryable as _;
use egui_kittest::{Harness, SnapshotOptions};
use mapline::app::App;

/// Software rasterisers differ slightly between CPUs in anti-aliasing:
/// a small colour tolerance per pixel, and 150 pixels of a million may exceed
/// it (a missing word of text fails; see the note in the closing comment).
fn options() -> SnapshotOptions {
    SnapshotOptions::new().threshold(1.0).max_failed_pixels(150)
}

fn harness() -> Harness<'static, App> {
    harness_at(1280.0, 800.0)
}

fn harness_at(width: f32, height: f32) -> Harness<'static, App> {
    let mut h = Harness::builder()
        .with_size(egui::vec2(width, height))
        .wgpu()
        .build_eframe(|_cc| App::embedded().expect("the embedded dataset loads"));
    h.run();
    h
}

#[test]
fn start_view() {
    let mut h = harness();
    h.snapshot_options("start-view", &options());
}

/// The first sight at the size the issues try it at: story time, the strip
/// grown to give its marks titles.
#[test]
fn start_view_1600() {
    let mut h = harness_at(1600.0, 1000.0);
    h.run();
    h.snapshot_options("start-view-1600", &options());
}

#[test]
fn tirana_selected() {
    let mut h = harness();
    let tirana = h.state().dataset().place_by_id("tirana").unwrap();
    h.state_mut()
        .apply(mapline::state::Action::SelectPlace(tirana));
    h.run();
    assert!(
        h.query_all_by_label_contains("Select event:")
            .next()
            .is_some()
    );
    h.snapshot_options("tirana-selected", &options());
}

#[test]
fn claims_view() {
    let mut h = harness();
    h.get_by_label("Claims").click();
    h.run();
    h.snapshot_options("claims-view", &options());
}
