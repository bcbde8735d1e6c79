//! Tests that the times the TimelineJS readers hand the builder carry their
//! meaning (`EventEntry::time_bounds`) exactly as parsing their text gives it.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::io::imported::Imported;
use crate::model::TimeBounds;

use super::dates::{DateFields, compose, compose_time};

fn date(year: i64, month: Option<u32>, day: Option<u32>, hms: Option<(u32, u32)>) -> DateFields {
    DateFields {
        year,
        month,
        day,
        hour: hms.map(|(h, _)| h),
        minute: hms.map(|(_, m)| m),
        ..DateFields::default()
    }
}

/// Every shape of date the readers compose: years (BCE and deep time too),
/// months, days, times of day, and ranges between any two of them.
fn shapes() -> Vec<DateFields> {
    let mut out = Vec::new();
    for year in [2022, 1960, 0, 1, -1, -500, -9999, 9999, 476] {
        out.push(date(year, None, None, None));
        out.push(date(year, Some(7), None, None));
        out.push(date(year, Some(12), Some(31), None));
        out.push(date(year, Some(2), Some(28), Some((10, 30))));
    }
    out.push(date(2024, Some(2), Some(29), None));
    out.push(date(2022, Some(7), Some(15), Some((0, 0))));
    out.push(DateFields {
        second: Some(59),
        millisecond: Some(250),
        ..date(2022, Some(7), Some(15), Some((23, 59)))
    });
    out
}

#[test]
fn composed_times_carry_the_bounds_their_text_parses_to() {
    let shapes = shapes();
    let mut checked = 0;
    for start in &shapes {
        for end in std::iter::once(None).chain(shapes.iter().map(Some)) {
            match compose_time(start, end) {
                Ok((text, bounds)) => {
                    assert_eq!(
                        Ok(bounds),
                        TimeBounds::parse(&text).map_err(|e| e.message),
                        "{start:?} .. {end:?} gave {text}"
                    );
                    assert_eq!(compose(start, end).as_ref(), Ok(&text));
                    checked += 1;
                }
                Err(_) => assert!(end.is_some(), "a single date composes: {start:?}"),
            }
        }
    }
    // Ranges backwards are refused; most of the rest compose.
    assert!(checked > shapes.len() * shapes.len() / 3, "{checked}");
}

/// Each event's `time_bounds` is what parsing its `time` gives.
fn assert_bounds_match(imported: &Imported) {
    assert!(!imported.manifest.events.is_empty());
    for e in &imported.manifest.events {
        let bounds = e
            .time_bounds
            .unwrap_or_else(|| panic!("{}: no bounds for {:?}", e.id, e.time));
        assert_eq!(
            TimeBounds::parse(&e.time).ok(),
            Some(bounds),
            "{}: {}",
            e.id,
            e.time
        );
    }
}

fn fixture(name: &str) -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/timelinejs")
        .join(name);
    std::fs::read_to_string(path).unwrap()
}

#[test]
fn the_fixtures_times_carry_their_bounds() {
    let json = fixture("sky-watchers.json");
    assert_bounds_match(&super::import_json(&json, "sky-watchers.json").unwrap());
    let csv = fixture("writing-and-printing.csv");
    assert_bounds_match(&super::import_csv(&csv, "writing-and-printing.csv").unwrap());
}

#[test]
fn exact_mapline_times_carry_their_bounds() {
    // The `mapline` object's exact times (open, approximate, a decade, a
    // season) where the dates still say the same, and one they no longer do.
    // (The export writes -0500, 501 BCE, as TimelineJS's year -501.)
    let text = r#"{"events": [
      {"start_date": {"year": 1960}, "text": {"headline": "Open"},
       "mapline": {"time": "../1960"}},
      {"start_date": {"year": 2022, "month": 7}, "text": {"headline": "About"},
       "mapline": {"time": "2022-07~"}},
      {"start_date": {"year": 1960}, "end_date": {"year": 1969},
       "text": {"headline": "Decade"}, "mapline": {"time": "196X"}},
      {"start_date": {"year": -501}, "end_date": {"year": -401, "month": 3},
       "text": {"headline": "BCE"}, "mapline": {"time": "-0500/-0400-03"}},
      {"start_date": {"year": 2022, "month": 7, "day": 15, "hour": 10, "minute": 30},
       "text": {"headline": "Timed"}, "mapline": {"time": "2022-07-15T10:30:00"}},
      {"start_date": {"year": 2023}, "text": {"headline": "Edited"},
       "mapline": {"time": "2022-07-15"}}
    ]}"#;
    let imported = super::import_json(text, "t.json").unwrap();
    assert_bounds_match(&imported);
    let times: Vec<&str> = imported
        .manifest
        .events
        .iter()
        .map(|e| e.time.as_str())
        .collect();
    assert_eq!(
        times,
        [
            "../1960",
            "2022-07~",
            "196X",
            "-0500/-0400-03",
            "2022-07-15T10:30:00",
            "2023"
        ]
    );
}

#[test]
fn generated_files_times_carry_their_bounds() {
    let dir = tempfile::tempdir().unwrap();
    for shape in [
        crate::io::generate::Shape::TimelineJs,
        crate::io::generate::Shape::TimelineJsSheet,
    ] {
        let out = dir.path().join("t");
        crate::io::generate::shaped(&out, shape, 300, 7).unwrap();
        let text = std::fs::read_to_string(&out).unwrap();
        let imported = if matches!(shape, crate::io::generate::Shape::TimelineJs) {
            super::import_json(&text, "t.json").unwrap()
        } else {
            super::import_csv(&text, "t.csv").unwrap()
        };
        assert_bounds_match(&imported);
    }
}

#[test]
fn timelinejs2_files_cut_anywhere_give_errors_not_panics() {
    for name in [
        "signals-v2.json",
        "lighthouses-v2.jsonp",
        "wrapped-slides.json",
    ] {
        let text = fixture(name);
        let cuts: Vec<usize> = (0..text.len())
            .step_by(7)
            .filter(|&i| text.is_char_boundary(i))
            .collect();
        for cut in cuts {
            let _ = super::import_json(&text[..cut], name);
        }
        assert_bounds_match(&super::import_json(&text, name).unwrap());
    }
    let csv = fixture("bridges-v2.csv");
    for cut in (0..csv.len()).filter(|&i| csv.is_char_boundary(i)) {
        let _ = super::import_csv(&csv[..cut], "bridges-v2.csv");
    }
    assert_bounds_match(&super::import_csv(&csv, "bridges-v2.csv").unwrap());
}
