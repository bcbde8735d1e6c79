//! Deep time, end to end: a dataset from the Big Bang to a day in 2022 opens,
//! its strip zooms from the whole span to one day with honest labels at every
//! level (read as a screen reader reads the ruler), and a native → TimelineJS
//! → native round trip keeps every time, with and without the `mapline` block.
#![cfg(feature = "gui")]
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::path::{Path, PathBuf};

use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT as _, Queryable as _};

use mapline::app::App;
use mapline::io::export::{ExportFormat, View, export};
use mapline::io::import::open;
use mapline::model::{Dataset, Day};
use mapline::timeline::ticks::TickUnit;

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/deep-time")
}

fn harness() -> Harness<'static, App> {
    let path = fixture();
    let opened = open(&path, None).expect("the deep-time dataset opens");
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

/// The ruler's labels, as the accessibility tree gives them.
fn ruler(h: &Harness<'_, App>) -> (String, Vec<String>) {
    let ruler = |l: Option<String>| l.is_some_and(|l| l.starts_with("Time ruler"));
    let node = h.get_by(|n| ruler(n.label()) || ruler(n.value()));
    let node = node.accesskit_node();
    let label = node
        .label()
        .filter(|l| l.starts_with("Time ruler"))
        .or(node.value())
        .unwrap();
    let (unit, words) = label
        .strip_prefix("Time ruler, in ")
        .and_then(|rest| rest.split_once(": "))
        .unwrap_or_else(|| panic!("{label}"));
    (
        unit.to_owned(),
        words
            .split("; ")
            .filter(|w| !w.is_empty())
            .map(str::to_owned)
            .collect(),
    )
}

/// The astronomical year a ruler label names, when it names one.
fn year_of(label: &str) -> Option<f64> {
    let number = |s: &str| s.replace(',', "").parse::<f64>().ok();
    let label = label.strip_prefix("after a break, ").unwrap_or(label);
    if let Some(ago) = label.strip_suffix(" years ago") {
        let (n, scale) = match ago.rsplit_once(' ') {
            Some((n, "billion")) => (n, 1e9),
            Some((n, "million")) => (n, 1e6),
            Some((n, "trillion")) => (n, 1e12),
            _ => (ago, 1.0),
        };
        return number(n).map(|n| -n * scale);
    }
    if let Some(bce) = label.strip_suffix(" BCE") {
        return number(bce.trim_end_matches('s')).map(|n| 1.0 - n);
    }
    number(label.trim_end_matches('s'))
}

#[test]
fn the_strip_zooms_from_the_big_bang_to_one_day_in_2022_with_honest_labels() {
    zoom_down(false);
}

#[test]
fn in_story_time_too() {
    zoom_down(true);
}

/// Zooms at July 15, 2022, from the whole span down to a day, reading the
/// ruler at every step, in story time or on a linear axis.
fn zoom_down(story: bool) {
    let mut h = harness();
    if !story {
        h.get_by_label("Axis: linear").click();
        h.run();
    }
    assert_eq!(h.state().state().axis.is_story(), story);
    let ds: &Dataset = h.state().dataset();
    assert_eq!(ds.events.len(), 5);
    let attack = Day::from_ymd(2022, 7, 15).unwrap().as_f64() + 0.5;
    let rect = strip_rect(&h);
    let (left, right) = (rect.left() + 8.0, rect.right() - 8.0);
    // The whole span first: billions of years.
    let (unit, words) = ruler(&h);
    assert!(
        words.iter().any(|w| w.ends_with("billion years ago")),
        "{unit}: {words:?}"
    );
    let mut units = vec![unit];
    let mut seen: Vec<String> = Vec::new();
    for _ in 0..80 {
        let x = h.state().state().axis.x_from_time(attack, left, right);
        h.hover_at(egui::pos2(x, rect.center().y));
        h.event(egui::Event::MouseWheel {
            unit: egui::MouseWheelUnit::Point,
            delta: egui::vec2(0.0, 400.0),
            phase: egui::TouchPhase::Move,
            source: egui::MouseWheelSource::Unknown,
            modifiers: egui::Modifiers::NONE,
        });
        h.run_steps(8);
        let (unit, words) = ruler(&h);
        // Honest: the labels name times in order, and those that name a year
        // stand where that year is (within the width of one label's unit).
        let years: Vec<f64> = words.iter().filter_map(|w| year_of(w)).collect();
        assert!(
            years.windows(2).all(|p| p[0] < p[1]),
            "{unit}: labels out of order: {words:?}"
        );
        let axis = &h.state().state().axis;
        let (first, last) = (Day::at(axis.start).year(), Day::at(axis.end).year());
        for (w, y) in words.iter().zip(&years) {
            if !w.starts_with("after a break") {
                assert!(
                    *y >= first as f64 - 1.0 && *y <= last as f64 + 1.0,
                    "{unit}: {w:?} is outside the view {first}..{last}"
                );
            }
        }
        if units.last() != Some(&unit) {
            units.push(unit);
        }
        seen.extend(words);
        if h.state().state().axis.span_days() <= 3.0 {
            break;
        }
    }
    let axis = &h.state().state().axis;
    assert!(
        axis.span_days() <= 3.0,
        "not down to a day: {}",
        axis.span_days()
    );
    assert!(
        axis.start <= attack && attack <= axis.end,
        "the zoom drifted away from July 15, 2022: {}..{}",
        axis.start,
        axis.end
    );
    // Every unit on the way down is finer than the one before, from billions
    // of years through millions, thousands, years and months to days.
    let rank = |name: &String| TickUnit::ALL.iter().position(|u| u.as_str() == name);
    let ranks: Vec<usize> = units.iter().map(|u| rank(u).unwrap()).collect();
    assert!(ranks.windows(2).all(|p| p[0] > p[1]), "{units:?}");
    for u in [
        TickUnit::Deep(9),
        TickUnit::Year,
        TickUnit::Month,
        TickUnit::Day,
    ] {
        assert!(
            units.iter().any(|x| x == u.as_str()),
            "never ruled in {}: {units:?}",
            u.as_str()
        );
    }
    assert!(seen.iter().any(|w| w == "15 Jul"), "{seen:?}");
    if !story {
        // On a linear axis the way down passes every depth.
        assert!(
            seen.iter().any(|w| w.ends_with("million years ago")),
            "{seen:?}"
        );
        assert!(seen.iter().any(|w| w.ends_with(" BCE")), "{seen:?}");
    }
}

#[test]
fn the_reader_says_deep_times_as_people_write_them() {
    let mut h = harness();
    h.state_mut().select_by_id("big-bang").unwrap();
    h.run();
    h.get_by_label("about 13.8 billion years ago (3 significant digits)");
    h.state_mut().select_by_id("dinosaurs").unwrap();
    h.run();
    h.get_by_label("66 million years ago");
    h.state_mut().select_by_id("first-cities").unwrap();
    h.run();
    h.get_by_label("about 3500 BCE");
}

/// Every event's title with the years of its earliest and latest day.
fn years(ds: &Dataset) -> Vec<(String, Option<i64>, Option<i64>)> {
    let mut all: Vec<_> = ds
        .events
        .iter()
        .map(|e| {
            (
                e.title().to_owned(),
                e.time().earliest().map(Day::year),
                e.time().latest().map(Day::year),
            )
        })
        .collect();
    all.sort();
    all
}

/// `ds`, every event, exported as TimelineJS to `out`.
fn export_timelinejs(ds: &Dataset, out: &Path) {
    let all: Vec<mapline::model::EventIdx> = ds.event_indices().collect();
    let view = View {
        dataset: ds,
        events: &all,
    };
    export(&view, ExportFormat::TimelineJs, out).unwrap();
}

/// Every event's id and EDTF time.
fn times(ds: &Dataset) -> Vec<(String, String)> {
    let mut all: Vec<(String, String)> = ds
        .events
        .iter()
        .map(|e| (e.id().to_owned(), e.time().edtf().to_owned()))
        .collect();
    all.sort();
    all
}

#[test]
fn native_to_timelinejs_and_back_keeps_every_deep_time_even_without_the_mapline_block() {
    let native = open(&fixture(), None).unwrap().loaded.dataset;
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("deep.json");
    export_timelinejs(&native, &out);
    let back = open(&out, None).unwrap().loaded.dataset;
    assert_eq!(times(&back), times(&native));

    // Without the `mapline` blocks, the TimelineJS fields alone carry each
    // time: the years exactly (as TimelineJS reads them), the estimate's
    // year as its value.
    let mut json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    // TimelineJS3 draws years before 271,821 BCE only on this scale.
    assert_eq!(json["scale"], "cosmological");
    let sun = json["events"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["text"]["headline"] == "The Sun forms")
        .unwrap();
    assert_eq!(sun["start_date"]["year"], -4_600_000_000_i64);
    // A story of our own era stays on TimelineJS's human scale.
    let embedded = mapline::io::load_path_or_embedded(None).unwrap().dataset;
    let human = dir.path().join("human.json");
    export_timelinejs(&embedded, &human);
    let human: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&human).unwrap()).unwrap();
    assert!(human.get("scale").is_none(), "{:?}", human.get("scale"));
    strip_mapline(&mut json);
    let bare = dir.path().join("bare.json");
    std::fs::write(&bare, serde_json::to_string_pretty(&json).unwrap()).unwrap();
    let plain = open(&bare, None).unwrap().loaded.dataset;
    assert_eq!(years(&plain), years(&native));
    let display: Vec<String> = plain.events.iter().map(|e| e.time().display()).collect();
    assert!(
        display.contains(&"66 million years ago".to_owned()),
        "{display:?}"
    );
    assert!(display.contains(&"July 15, 2022".to_owned()), "{display:?}");
}

fn strip_mapline(v: &mut serde_json::Value) {
    match v {
        serde_json::Value::Object(map) => {
            map.remove("mapline");
            map.values_mut().for_each(strip_mapline);
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(strip_mapline),
        _ => {}
    }
}
