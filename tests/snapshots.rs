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

/// The README's picture of writing a story (run by hand, not compared):
/// `cargo test --features snapshots --test snapshots -- --ignored readme_authoring_picture`
/// writes `assets/screenshots/authoring.png`.
#[test]
#[ignore = "writes the README's picture; run by hand"]
fn readme_authoring_picture() {
    use mapline::io::story::SourceForm;
    let tmp = tempfile::tempdir().unwrap();
    let folder = tmp.path().join("my-reading");
    let mut h = harness_at(1600.0, 1000.0);
    let text = std::fs::read_to_string("data/albania-iran/sources/ap.txt").unwrap();
    let app = h.state_mut();
    app.new_story(&folder, "My reading of the AP report")
        .unwrap();
    let add = app.authoring().unwrap().story.add_source(
        SourceForm {
            outlet: "The Associated Press (via NBC News)".into(),
            title: "Albania cuts diplomatic ties with Iran over July cyberattack".into(),
            published: Some("2022-09-07".into()),
            perspective: "US wire".into(),
            licence: "quoted for analysis".into(),
            ..SourceForm::default()
        },
        &text,
    );
    app.edit(add).unwrap();
    app.apply(mapline::state::Action::ShowArticle(
        mapline::model::SourceIdx(0),
        0..0,
    ));
    h.run();
    h.run();
    // Select a sentence by keys, then ask to cite it as a new event.
    let label = mapline::reader::article::text_label("The Associated Press (via NBC News)");
    h.get_by_label(&label).focus();
    h.run();
    h.key_press_modifiers(
        egui::Modifiers::CTRL | egui::Modifiers::COMMAND,
        egui::Key::Home,
    );
    let start = "Albania cut diplomatic ties";
    let at = text.find(start).unwrap();
    for _ in 0..text[..at].chars().count() {
        h.key_press(egui::Key::ArrowRight);
    }
    let sentence = "Albania cut diplomatic ties with Iran and expelled the country’s embassy staff";
    for _ in 0..sentence.chars().count() {
        h.key_press_modifiers(egui::Modifiers::SHIFT, egui::Key::ArrowRight);
    }
    h.run();
    h.get_by_label("Cite as a new event…").click();
    h.run();
    for (field, value) in [
        (
            mapline::app::event_form::TITLE,
            "Albania cuts diplomatic ties with Iran",
        ),
        (mapline::app::event_form::TIME, "2022-09-07"),
        (mapline::app::event_form::PLACE_NAME, "Tirana"),
        (mapline::app::event_form::LON, "19.8187"),
        (mapline::app::event_form::LAT, "41.3275"),
    ] {
        h.get_by_label(field).focus();
        h.run();
        h.get_by_label(field).type_text(value);
        h.run();
    }
    h.run();
    let image = h.render().unwrap();
    image.save("assets/screenshots/authoring.png").unwrap();
}
