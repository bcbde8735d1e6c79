//! What several UI test files share.

use egui_kittest::Harness;
use mapline::app::App;

/// The real `App` at 1600×1000 on a generated dataset of `events` events
/// (the same `seed` gives the same data), after its first frame.
pub fn generated_app(events: usize, seed: u64) -> Harness<'static, App> {
    let tmp = tempfile::tempdir().expect("a temporary folder");
    mapline::io::generate::generate(
        tmp.path(),
        mapline::io::generate::GenerateOptions { events, seed },
    )
    .expect("the dataset is generated");
    let loaded = mapline::io::load_dir(tmp.path()).expect("the generated dataset loads");
    let mut h = Harness::builder()
        .with_size(egui::vec2(1600.0, 1000.0))
        .build_eframe(move |_cc| App::new(loaded));
    h.run();
    h
}
