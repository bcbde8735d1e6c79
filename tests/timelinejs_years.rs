//! The year numbering every TimelineJS version shares (no year 0: `-500` is
//! 500 BCE), read from JSON and sheets and written back, so that a round
//! trip keeps every time, with and without the export's `mapline` objects.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;
use std::path::Path;

use mapline::io::export::{ExportFormat, View, export};
use mapline::io::import::{Opened, open};
use mapline::model::{Dataset, EventIdx, EventRef};
use serde_json::{Value, json};

fn open_ok(path: &Path) -> Opened {
    match open(path, None) {
        Ok(o) => o,
        Err(e) => panic!("{} should open:\n{e}", path.display()),
    }
}

fn by_title<'a>(ds: &'a Dataset, title: &str) -> EventRef<'a> {
    ds.events
        .iter()
        .find(|e| e.title() == title)
        .unwrap_or_else(|| panic!("no event titled {title:?}"))
}

/// Title → EDTF of every event.
fn times(ds: &Dataset) -> BTreeMap<String, String> {
    ds.events
        .iter()
        .map(|e| (e.title().to_owned(), e.time().edtf().to_owned()))
        .collect()
}

/// Writes `text` to a file named `name` and opens it.
fn open_text(dir: &Path, name: &str, text: &str) -> Result<Opened, Vec<String>> {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    open(&path, None).map_err(|errors| {
        errors
            .0
            .iter()
            .map(|d| {
                let s = d.to_string();
                s.strip_prefix(&path.display().to_string())
                    .map_or(s.clone(), |rest| format!("{name}{rest}"))
            })
            .collect()
    })
}

fn export_all(ds: &Dataset, out: &Path) {
    let all: Vec<EventIdx> = ds.event_indices().collect();
    export(
        &View {
            dataset: ds,
            events: &all,
        },
        ExportFormat::TimelineJs,
        out,
    )
    .unwrap();
}

#[test]
fn timelinejs_year_minus_500_is_500_bce_in_json_and_sheet() {
    let dir = tempfile::tempdir().unwrap();
    let json = r#"{"events": [{"start_date": {"year": -500}, "text": {"headline": "Marathon is ten years off"}}]}"#;
    let opened = open_text(dir.path(), "v3.json", json).unwrap();
    let e = by_title(&opened.loaded.dataset, "Marathon is ten years off");
    assert_eq!(e.time().edtf(), "-0499");
    assert_eq!(e.time().display(), "500 BCE");

    let csv = "Year,Month,Day,Headline\n-500,,,Marathon is ten years off\n-1,12,31,The last day BCE\n1,1,1,The first day CE\n";
    let opened = open_text(dir.path(), "v3.csv", csv).unwrap();
    let ds = &opened.loaded.dataset;
    assert_eq!(
        by_title(ds, "Marathon is ten years off").time().display(),
        "500 BCE"
    );
    let last = by_title(ds, "The last day BCE");
    assert_eq!(last.time().edtf(), "0000-12-31");
    let first = by_title(ds, "The first day CE");
    assert_eq!(first.time().edtf(), "0001-01-01");
    assert_eq!(
        first.time().earliest().unwrap().0 - last.time().earliest().unwrap().0,
        1,
        "no year between 1 BCE and 1 CE"
    );
}

#[test]
fn year_zero_is_read_as_1_bce_with_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    let json = r#"{"events": [{"start_date": {"year": 0}, "text": {"headline": "Zero"}}]}"#;
    let opened = open_text(dir.path(), "zero.json", json).unwrap();
    assert_eq!(
        by_title(&opened.loaded.dataset, "Zero").time().edtf(),
        "0000"
    );
    let warnings: Vec<String> = opened
        .loaded
        .warnings
        .iter()
        .map(ToString::to_string)
        .collect();
    assert!(
        warnings
            .iter()
            .any(|w| w.contains("start_date.year: 0 is no year in TimelineJS")),
        "{warnings:#?}"
    );
}

/// Removes every `mapline` member of the export, so that only the
/// TimelineJS fields carry the times.
fn without_mapline(value: &mut Value) {
    match value {
        Value::Object(map) => {
            map.remove("mapline");
            map.values_mut().for_each(without_mapline);
        }
        Value::Array(list) => list.iter_mut().for_each(without_mapline),
        _ => {}
    }
}

#[test]
fn bce_times_survive_a_round_trip_without_the_mapline_objects() {
    let dir = tempfile::tempdir().unwrap();
    // A native-like set of times: BCE years, months and days, 1 BCE, an
    // interval across the era boundary, and modern dates.
    let csv = "Year,Month,Day,Time,End Year,End Month,End Day,End Time,Display Date,Headline\n\
               -3200,,,,,,,,,Tablets\n\
               -44,3,15,,,,,,,Ides\n\
               -1,,,,,,,,,One BCE\n\
               -5,,,,10,,,,,Across\n\
               -500,7,,,-499,2,,,,Months BCE\n\
               1,,,,,,,,,One CE\n\
               2022,7,15,10:30,,,,,,Timed\n";
    let first = open_text(dir.path(), "first.csv", csv).unwrap();
    let ds = &first.loaded.dataset;
    let want = times(ds);
    assert_eq!(want["Tablets"], "-3199");
    assert_eq!(want["Ides"], "-0043-03-15");
    assert_eq!(want["One BCE"], "0000");
    assert_eq!(want["Across"], "-0004/0010");
    assert_eq!(want["Months BCE"], "-0499-07/-0498-02");

    // Native → TimelineJS: the years TimelineJS shows are the author's.
    let out = dir.path().join("out.json");
    export_all(ds, &out);
    let mut doc: Value = serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    let ides = doc["events"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["text"]["headline"] == json!("Ides"))
        .unwrap()
        .clone();
    assert_eq!(ides["start_date"]["year"], json!("-44"));

    // Through the native format (the dates derived from the EDTF, not kept
    // as read), then TimelineJS without its `mapline` objects.
    let native = dir.path().join("dataset");
    mapline::io::export::export(
        &View {
            dataset: ds,
            events: &ds.event_indices().collect::<Vec<_>>(),
        },
        ExportFormat::Native,
        &native,
    )
    .unwrap();
    // A native dataset of its own: without the TimelineJS dates as read.
    let manifest = native.join("dataset.json");
    let mut entries: Value =
        serde_json::from_str(&std::fs::read_to_string(&manifest).unwrap()).unwrap();
    let mut kept = 0;
    for event in entries["events"].as_array_mut().unwrap() {
        kept += usize::from(
            event
                .as_object_mut()
                .unwrap()
                .remove("timelinejs")
                .is_some(),
        );
    }
    assert_eq!(kept, want.len(), "the import kept the dates as read");
    std::fs::write(&manifest, serde_json::to_vec_pretty(&entries).unwrap()).unwrap();
    let reopened = open_ok(&native);
    assert_eq!(times(&reopened.loaded.dataset), want);
    let out = dir.path().join("derived.json");
    export_all(&reopened.loaded.dataset, &out);
    doc = serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    let slides = doc["events"].as_array().unwrap();
    let year_of = |headline: &str| {
        slides
            .iter()
            .find(|s| s["text"]["headline"] == json!(headline))
            .unwrap()["start_date"]["year"]
            .clone()
    };
    assert_eq!(year_of("One BCE"), json!(-1));
    assert_eq!(year_of("One CE"), json!(1));
    assert_eq!(year_of("Tablets"), json!(-3200));
    without_mapline(&mut doc);
    assert!(!doc.to_string().contains("\"mapline\""));
    let stripped = dir.path().join("stripped.json");
    std::fs::write(&stripped, serde_json::to_vec_pretty(&doc).unwrap()).unwrap();
    let back = open_ok(&stripped);
    assert_eq!(
        times(&back.loaded.dataset),
        want,
        "the TimelineJS fields alone keep every time"
    );
}

#[test]
fn the_embedded_dataset_keeps_its_times_through_timelinejs_fields_alone() {
    let native = mapline::io::load_embedded().unwrap();
    let ds = &native.dataset;
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("albania-iran.json");
    export_all(ds, &out);
    let mut doc: Value = serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    without_mapline(&mut doc);
    // The times the TimelineJS fields say exactly (no `display_date` in
    // words for what they cannot say: an open end, a decade, "about").
    let exact: Vec<String> = doc["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s.get("display_date").is_none())
        .map(|s| s["unique_id"].as_str().unwrap().to_owned())
        .collect();
    assert!(exact.len() >= ds.events.len() / 3, "{}", exact.len());
    let stripped = dir.path().join("stripped.json");
    std::fs::write(&stripped, serde_json::to_vec_pretty(&doc).unwrap()).unwrap();
    let back = open_ok(&stripped);
    let again = &back.loaded.dataset;
    for id in &exact {
        let before = ds.event(ds.event_by_id(id).unwrap());
        let after = again.event(again.event_by_id(id).unwrap());
        assert_eq!(after.time().edtf(), before.time().edtf(), "{id}");
    }
    assert_eq!(again.eras.len(), ds.eras.len());
}
