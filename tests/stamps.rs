//! Timestamps as feeds write them: a GeoJSON feed in the USGS layout (Unix
//! epoch milliseconds, `title`, `place`, `mag`), the same features with
//! `toISOString()` times, epoch seconds, and ACLED CSV with ISO date-times
//! and epoch numbers, each opened, shown and written back.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use mapline::io::export::{ExportFormat, View, export};
use mapline::io::import::{self, ReadOptions, TimeUnit};
use mapline::io::{Diagnostic, Severity};
use mapline::model::time::{DatePrecision, Precision};
use mapline::model::{Dataset, Day};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/usgs")
        .join(name)
}

fn open(path: &Path) -> import::Opened {
    import::open(path, None).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// An event as (id, EDTF, title, place names, text).
type Seen = (String, String, String, Vec<String>, Option<String>);

/// The events, each as [`Seen`].
fn events(ds: &Dataset) -> Vec<Seen> {
    ds.event_indices()
        .map(|i| {
            let e = ds.event(i);
            (
                e.id().to_owned(),
                e.time().edtf().to_owned(),
                e.title().to_owned(),
                e.places()
                    .iter()
                    .map(|p| ds.place(p.place).name.clone())
                    .collect(),
                e.text().map(str::to_owned),
            )
        })
        .collect()
}

fn unit_warnings(warnings: &[Diagnostic]) -> Vec<String> {
    warnings
        .iter()
        .filter(|w| w.severity == Severity::Warning && w.message.contains("Unix epoch"))
        .map(ToString::to_string)
        .collect()
}

/// The four quakes of the fixtures: id, time to the second, day.
const QUAKES: [(&str, &str, (i64, u32, u32)); 4] = [
    ("ml0001", "2017-01-21T20:26:52Z", (2017, 1, 21)),
    ("ml0002", "2017-01-22T20:26:40Z", (2017, 1, 22)),
    // 20:26:39.999: cut to the second, never rounded up.
    ("ml0003", "2017-01-23T20:26:39Z", (2017, 1, 23)),
    // Midnight UTC: the day it starts, not the one before.
    ("ml0004", "2020-01-01T00:00:00Z", (2020, 1, 1)),
];

#[test]
fn a_usgs_feed_opens_with_every_event_on_its_day_and_time() {
    let path = fixture("quakes-epoch.geojson");
    let opened = open(&path);
    let ds = &opened.loaded.dataset;
    assert_eq!(ds.title, "Mapline test quakes, USGS layout");
    assert_eq!(ds.event_indices().count(), 4);
    for (id, edtf, (y, m, d)) in QUAKES {
        let e = ds.event(ds.event_by_id(id).unwrap());
        assert_eq!(e.time().edtf(), edtf, "{id}");
        assert_eq!(e.time().earliest(), Day::from_ymd(y, m, d), "{id}");
        assert_eq!(e.time().latest(), Day::from_ymd(y, m, d), "{id}");
        assert_eq!(e.time().precision(), Precision::Date(DatePrecision::Day));
    }
    let first = ds.event(ds.event_by_id("ml0001").unwrap());
    assert_eq!(first.title(), "M 6.5 - 23 km SW of Durres, Albania");
    let place = ds.place(first.places()[0].place);
    assert_eq!(place.name, "23 km SW of Durres, Albania");
    assert!((place.lon - 19.2958).abs() < 1e-9 && (place.lat - 41.1703).abs() < 1e-9);
    // The feed's other properties are in the event's text, its `updated`
    // as the date-time it is; nulls and the consumed ones are not.
    let text = first.text().unwrap();
    for line in [
        "mag: 6.5",
        "magType: mww",
        "sig: 650",
        "tsunami: 0",
        "type: earthquake",
        "updated: 2017-01-21T20:36:52Z",
        "url: https://example.org/quakes/ml0001",
    ] {
        assert!(text.lines().any(|l| l == line), "{line:?} in\n{text}");
    }
    for gone in ["felt:", "title:", "time:", "place:", "tz:"] {
        assert!(
            !text.lines().any(|l| l.starts_with(gone)),
            "{gone} in\n{text}"
        );
    }
    // One warning for the whole file says which unit it took, at the first number.
    let said = unit_warnings(&opened.loaded.warnings);
    assert_eq!(
        said,
        vec![format!(
            "{}:17:13: dataset: warning: 4 time(s) are Unix epoch numbers, read as milliseconds by their size (10^11 or more is milliseconds): the first, 1485030412340, is 2017-01-21T20:26:52Z; --time-unit s reads them as seconds",
            path.display()
        )]
    );
}

#[test]
fn the_same_features_with_iso_times_open_identically() {
    let epoch = open(&fixture("quakes-epoch.geojson"));
    let iso = open(&fixture("quakes-iso.geojson"));
    let (a, b) = (&epoch.loaded.dataset, &iso.loaded.dataset);
    assert_eq!(events(a), events(b));
    assert_eq!(a.events, b.events);
    assert_eq!(a.places, b.places);
    assert_eq!(a.title, b.title);
    assert!(unit_warnings(&iso.loaded.warnings).is_empty());
}

#[test]
fn a_geojson_round_trip_keeps_every_time() {
    let opened = open(&fixture("quakes-epoch.geojson"));
    let ds = &opened.loaded.dataset;
    let all: Vec<_> = ds.event_indices().collect();
    let view = View {
        dataset: ds,
        events: &all,
    };
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("back.geojson");
    export(&view, ExportFormat::GeoJson, &out).unwrap();
    let written: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    let times: Vec<&str> = written["features"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["properties"]["feature"] == "event")
        .map(|f| f["properties"]["time"].as_str().unwrap())
        .collect();
    assert_eq!(times.len(), 4);
    for (_, edtf, _) in QUAKES {
        assert!(times.contains(&edtf), "{edtf} in {times:?}");
    }
    let back = open(&out);
    assert_eq!(events(&back.loaded.dataset), events(ds));
    // And once more: nothing grows or changes on a second trip.
    let ds2 = &back.loaded.dataset;
    let all2: Vec<_> = ds2.event_indices().collect();
    let out2 = dir.path().join("again.geojson");
    export(
        &View {
            dataset: ds2,
            events: &all2,
        },
        ExportFormat::GeoJson,
        &out2,
    )
    .unwrap();
    assert_eq!(events(&open(&out2).loaded.dataset), events(ds));
}

/// A one-feature feed whose `time` is `time`, in a temporary folder.
fn feed(time: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("feed.geojson");
    std::fs::write(
        &path,
        format!(
            r#"{{"type": "FeatureCollection", "features": [
  {{"type": "Feature", "id": "q1", "geometry": {{"type": "Point", "coordinates": [19.8, 41.3, 5]}},
   "properties": {{"title": "M 4.0 - Tirana", "place": "Tirana", "mag": 4.0, "time": {time}}}}}
]}}"#
        ),
    )
    .unwrap();
    (dir, path)
}

fn time_of(opened: &import::Opened) -> String {
    let ds = &opened.loaded.dataset;
    ds.event(ds.event_by_id("q1").unwrap())
        .time()
        .edtf()
        .to_owned()
}

#[test]
fn epoch_seconds_are_taken_as_seconds_and_the_unit_can_be_told() {
    let (_dir, path) = feed("1485030412");
    let opened = open(&path);
    assert_eq!(time_of(&opened), "2017-01-21T20:26:52Z");
    let said = unit_warnings(&opened.loaded.warnings);
    assert_eq!(said.len(), 1, "{said:?}");
    assert!(
        said[0].contains("1 time(s) are Unix epoch numbers, read as seconds"),
        "{said:?}"
    );
    // Told the unit: read so, and nothing to warn about.
    let told = |unit| import::open_with(&path, None, ReadOptions { time_unit: unit });
    let ms = told(TimeUnit::Milliseconds).unwrap();
    assert_eq!(time_of(&ms), "1970-01-18T04:30:30Z");
    assert!(unit_warnings(&ms.loaded.warnings).is_empty());
    let s = told(TimeUnit::Seconds).unwrap();
    assert_eq!(time_of(&s), "2017-01-21T20:26:52Z");
    assert!(unit_warnings(&s.loaded.warnings).is_empty());
    // Milliseconds told to be seconds are past the year 9999: said, located.
    let (_dir, path) = feed("1485030412340");
    let err = import::open_with(
        &path,
        None,
        ReadOptions {
            time_unit: TimeUnit::Seconds,
        },
    )
    .unwrap_err();
    assert_eq!(
        err.0[0].to_string(),
        format!(
            "{}:3:85: feature 1 (id q1): time 1485030412340 is out of range: as Unix epoch seconds it is past the year 9999 (a date-time has the years 0000 to 9999)",
            path.display()
        )
    );
}

#[test]
fn iso_times_with_offsets_keep_their_offset_and_day() {
    for (written, kept) in [
        (
            "\"2017-01-21T20:26:52.340+0200\"",
            "2017-01-21T20:26:52+02:00",
        ),
        ("\"2017-01-21T23:26:52-05\"", "2017-01-21T23:26:52-05"),
        ("\"2017-01-21 20:26:52Z\"", "2017-01-21T20:26:52Z"),
        // An epoch number written as a string is still one.
        ("\"1485030412340\"", "2017-01-21T20:26:52Z"),
        // EDTF as it was: kept exactly.
        ("\"2017-01-21\"", "2017-01-21"),
        ("\"2017-01-21T20:26:52+02\"", "2017-01-21T20:26:52+02"),
    ] {
        let (_dir, path) = feed(written);
        let opened = open(&path);
        assert_eq!(time_of(&opened), kept, "{written}");
        let ds = &opened.loaded.dataset;
        let e = ds.event(ds.event_by_id("q1").unwrap());
        assert_eq!(e.time().earliest(), Day::from_ymd(2017, 1, 21), "{written}");
    }
}

#[cfg(feature = "gui")]
#[test]
fn the_reader_shows_the_time_of_day() {
    use egui_kittest::kittest::Queryable as _;
    let path = fixture("quakes-epoch.geojson");
    let mut app = Some(mapline::app::App::from_opened(open(&path), &path));
    let mut h = egui_kittest::Harness::builder()
        .with_size(egui::vec2(1600.0, 1000.0))
        .build_eframe(move |_cc| app.take().expect("built once"));
    h.run();
    h.state_mut().select_by_id("ml0001").unwrap();
    h.run();
    assert!(h.query_by_label("January 21, 2017").is_some(), "the day");
    assert!(
        h.query_by_label("Time of day: 20:26:52 UTC").is_some(),
        "the reader shows the time"
    );
    assert!(
        h.query_all_by_label_contains("mag: 6.5").next().is_some(),
        "and the magnitude, in the text"
    );
    h.state_mut().select_by_id("ml0004").unwrap();
    h.run();
    assert!(h.query_by_label("Time of day: 00:00:00 UTC").is_some());
    assert!(h.query_by_label("Time of day: 20:26:52 UTC").is_none());
}

/// An ACLED file whose `event_date`s are `dates`, one row each.
fn acled(dates: &[&str]) -> String {
    let mut text = "event_id_cnty,event_date,time_precision,event_type,actor1,country,location,latitude,longitude,notes\n".to_owned();
    for (i, d) in dates.iter().enumerate() {
        writeln!(
            text,
            "ALB{i},{d},1,Protests,Protesters (Albania),Albania,Tirana,41.3275,19.8189,Row {i}."
        )
        .unwrap();
    }
    text
}

fn acled_times(text: &str, read: ReadOptions) -> Result<(Vec<String>, Vec<String>), String> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("acled.csv");
    std::fs::write(&path, text).unwrap();
    let opened = import::open_with(&path, None, read).map_err(|e| e.to_string())?;
    let ds = &opened.loaded.dataset;
    let mut times: Vec<(String, String)> = ds
        .event_indices()
        .map(|i| {
            let e = ds.event(i);
            (e.id().to_owned(), e.time().edtf().to_owned())
        })
        .collect();
    times.sort();
    Ok((
        times.into_iter().map(|(_, t)| t).collect(),
        unit_warnings(&opened.loaded.warnings),
    ))
}

#[test]
fn acled_csv_with_iso_date_times_and_epoch_numbers_opens() {
    let text = acled(&[
        "2017-01-21T20:26:52.340Z",
        "2017-01-21 20:26:52+02:00",
        "15 July 2022",
        "2022-07-15",
    ]);
    let (times, said) = acled_times(&text, ReadOptions::default()).unwrap();
    assert_eq!(
        times,
        [
            "2017-01-21T20:26:52Z",
            "2017-01-21T20:26:52+02:00",
            "2022-07-15",
            "2022-07-15"
        ]
    );
    assert!(said.is_empty());
    // The streaming path takes the file as it is, and builds what the careful one does.
    let fast = mapline::io::acled::load_clean_text(&text, "acled.csv", 64).expect("clean");
    let careful = mapline::io::acled::import(&text, "acled.csv").unwrap();
    let careful =
        import::build(careful, "acled.csv", &text, import::Format::AcledCsv, None).unwrap();
    assert_eq!(fast.dataset.events, careful.dataset.events);
    assert_eq!(fast.dataset.places, careful.dataset.places);

    let epochs = acled(&["1485030412340", "1485030412", "2022-07-15"]);
    let (times, said) = acled_times(&epochs, ReadOptions::default()).unwrap();
    assert_eq!(
        times,
        ["2017-01-21T20:26:52Z", "2017-01-21T20:26:52Z", "2022-07-15"]
    );
    assert_eq!(said.len(), 1, "one warning for the file: {said:?}");
    assert!(
        said[0].contains(":2:6: dataset: warning: 2 time(s) are Unix epoch numbers of two sizes"),
        "{said:?}"
    );
    // A guessed unit is a warning: the streaming path leaves it to the careful one.
    assert!(mapline::io::acled::load_clean_text(&epochs, "acled.csv", 64).is_none());
    let (times, said) = acled_times(
        &acled(&["1485030412", "1485116800"]),
        ReadOptions {
            time_unit: TimeUnit::Seconds,
        },
    )
    .unwrap();
    assert_eq!(times, ["2017-01-21T20:26:52Z", "2017-01-22T20:26:40Z"]);
    assert!(said.is_empty());
    // A week (time_precision 2) of a date-time is a week of its day.
    let week = acled(&["2017-01-21T20:26:52Z"]).replace(",1,Protests", ",2,Protests");
    let (times, _) = acled_times(&week, ReadOptions::default()).unwrap();
    assert_eq!(times, ["2017-01-14/2017-01-28"]);
}

#[test]
fn broken_acled_timestamps_are_located() {
    let text = acled(&["2017-01-21T2x:26:52Z", "1485030412.5", "2022"]);
    let err = acled_times(&text, ReadOptions::default()).unwrap_err();
    assert!(
        err.contains("acled.csv:2:17: row 1 (event_id_cnty ALB0): event_date \"2017-01-21T2x:26:52Z\": the hour \"2x\" is not two digits"),
        "{err}"
    );
    assert!(
        err.contains("acled.csv:3:6: row 2 (event_id_cnty ALB1): event_date 1485030412.5 is not a whole number: Unix epoch time is whole seconds or milliseconds"),
        "{err}"
    );
    assert!(
        err.contains("acled.csv:4:6: row 3 (event_id_cnty ALB2): event_date 2022 is too small a number to tell its unit"),
        "{err}"
    );
}

#[test]
fn the_unit_warning_is_the_same_in_any_chunks() {
    let mut dates: Vec<String> = (0..40)
        .map(|i| format!("2022-07-{:02}", i % 28 + 1))
        .collect();
    // The first epoch numbers stand in later rows: seconds, then milliseconds.
    dates[17] = "1485030412".to_owned();
    dates[31] = "1485030412340".to_owned();
    dates[35] = "1485116800".to_owned();
    let refs: Vec<&str> = dates.iter().map(String::as_str).collect();
    let text = acled(&refs);
    let warnings = |size| {
        let imported = mapline::io::acled::import_in_chunks(&text, "acled.csv", size).unwrap();
        unit_warnings(&imported.warnings)
    };
    let whole = warnings(usize::MAX);
    assert_eq!(
        whole,
        [
            "acled.csv:19:7: dataset: warning: 3 time(s) are Unix epoch numbers of two sizes: 1 read as milliseconds (the first, 1485030412340, is 2017-01-21T20:26:52Z) and 2 as seconds (the first, 1485030412, is 2017-01-21T20:26:52Z), by their size (10^11 or more is milliseconds); if they are all one unit, say which with --time-unit s or ms"
        ]
    );
    for size in [1, 50, 300, 2000] {
        assert_eq!(warnings(size), whole, "chunks of {size} bytes");
    }
}
