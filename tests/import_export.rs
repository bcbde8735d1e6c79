//! Importing ACLED CSV and GeoJSON, and exporting CSV, GeoJSON and native
//! dataset folders, through the public API.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::path::{Path, PathBuf};
use std::str::FromStr as _;

use mapline::io::diagnostic::Diagnostic;
use mapline::io::export::{ExportFormat, View, export};
use mapline::io::import::{self, Format};
use mapline::io::{self, Severity};
use mapline::model::{
    ActorKind, Category, Dataset, Day, EventIdx, LocationPrecision, PlaceKind, TimeWindow,
    WindowRule,
};

fn fixture(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join("fixtures")
        .join(rel)
}

fn event<'d>(ds: &'d Dataset, id: &str) -> mapline::model::EventRef<'d> {
    ds.event(
        ds.event_by_id(id)
            .unwrap_or_else(|| panic!("event {id} is missing")),
    )
}

fn all_events(ds: &Dataset) -> Vec<EventIdx> {
    ds.event_indices().collect()
}

/// Exports all of `ds` as `format` to `name` in a new temporary folder.
fn export_all(
    ds: &Dataset,
    format: ExportFormat,
    name: &str,
) -> (
    tempfile::TempDir,
    PathBuf,
    mapline::io::export::ExportSummary,
) {
    let events = all_events(ds);
    let view = View {
        dataset: ds,
        events: &events,
    };
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join(name);
    let summary = export(&view, format, &out).unwrap();
    (dir, out, summary)
}

/// The 1-based line and column (in characters) where `needle` stands in line
/// `line` of `text`.
fn pos_in(text: &str, line: usize, needle: &str) -> (usize, usize) {
    let l = text.lines().nth(line - 1).unwrap();
    let byte = l
        .find(needle)
        .unwrap_or_else(|| panic!("{needle:?} not in line {line}"));
    (line, l[..byte].chars().count() + 1)
}

fn find<'a>(errors: &'a [Diagnostic], item: &str) -> &'a Diagnostic {
    errors
        .iter()
        .find(|d| d.item == item)
        .unwrap_or_else(|| panic!("no diagnostic for {item}: {errors:#?}"))
}

#[test]
fn acled_csv_imports_with_places_deduplicated_and_precisions_kept() {
    let opened = import::open(&fixture("acled/albania-2022.csv"), None).unwrap();
    assert_eq!(opened.format, Format::AcledCsv);
    let ds = &opened.loaded.dataset;
    assert_eq!(ds.events.len(), 10);
    // Three rows at Tirana (41.3275, 19.8189) share one place; another
    // "Tirana" at other coordinates is a place of its own.
    assert_eq!(ds.places.len(), 8, "{:#?}", ds.places);
    let tiranas: Vec<_> = ds.places.iter().filter(|p| p.name == "Tirana").collect();
    assert_eq!(tiranas.len(), 2);
    let tirana = ds.place_by_id("tirana").unwrap();
    assert_eq!(ds.events_at(tirana).len(), 3);
    assert!(ds.place_by_id("tirana-2").is_some());
    assert_eq!(ds.place(tirana).country.as_deref(), Some("Albania"));
    assert_eq!(ds.place(tirana).kind, PlaceKind::City);

    // time_precision 2: the day ± 7 days, said in the note.
    let week = event(ds, "ALB1003");
    assert_eq!(week.time().edtf(), "2022-07-11/2022-07-25");
    assert_eq!(week.time().earliest().unwrap().iso(), "2022-07-11");
    assert_eq!(week.time().latest().unwrap().iso(), "2022-07-25");
    assert_eq!(
        week.time_note(),
        Some("ACLED time_precision 2: within a week of 2022-07-18")
    );
    // time_precision 3: the month.
    let month = event(ds, "ALB1004");
    assert_eq!(month.time().edtf(), "2022-08");
    assert_eq!(month.time().precision().as_str(), "month");
    assert!(
        month
            .time_note()
            .unwrap()
            .starts_with("ACLED time_precision 3: within the month of 2022-08-03")
    );
    // The other date forms.
    assert_eq!(event(ds, "ALB1002").time().edtf(), "2022-07-15");
    assert_eq!(event(ds, "ALB1009").time().edtf(), "2022-09-12");
    assert!(event(ds, "ALB1001").time_note().is_none());

    // Notes kept verbatim as text (quotes and commas included), fatalities after.
    let first = event(ds, "ALB1001");
    assert_eq!(first.title(), "Protests: Peaceful protest in Tirana");
    let text = first.text().unwrap();
    assert!(
        text.starts_with("On 15 July 2022, around 200 people, mostly students and workers,"),
        "{text}"
    );
    assert!(text.contains("chanting \"No to poverty\"."), "{text}");
    assert!(text.contains("\n\nFatalities: 0"), "{text}");
    let extra = first.extra().unwrap();
    assert_eq!(extra.event_type(), Some("Protests / Peaceful protest"));
    assert_eq!(extra.attribution(), Some("Top Channel; Balkan Insight"));
    assert!(first.excerpts().is_empty());
    assert!(
        event(ds, "ALB1007")
            .text()
            .unwrap()
            .contains("Fatalities: 1")
    );

    // Categories from the event type.
    for (id, category) in [
        ("ALB1001", Category::Political),
        ("ALB1002", Category::Political),
        ("ALB1003", Category::Violence),
        ("ALB1007", Category::Violence),
        ("ALB1008", Category::Military),
        ("ALB1009", Category::Violence),
    ] {
        assert_eq!(event(ds, id).category(), category, "{id}");
    }

    // geo_precision: 2 is a locality, 3 a region.
    let manez = ds.place(ds.place_by_id("manez").unwrap());
    assert_eq!(manez.precision, LocationPrecision::Locality);
    let fier = ds.place(ds.place_by_id("fier").unwrap());
    assert_eq!(fier.kind, PlaceKind::Region);

    // Actors, de-duplicated by name; state forces are government bodies.
    let police: Vec<_> = ds
        .actors
        .iter()
        .filter(|a| a.name == "Police Forces of Albania (2021-)")
        .collect();
    assert_eq!(police.len(), 1);
    assert_eq!(police[0].kind, ActorKind::GovernmentBody);
    let protesters = ds
        .actors
        .iter()
        .find(|a| a.name == "Protesters (Albania)")
        .unwrap();
    assert_eq!(protesters.kind, ActorKind::Group);
    assert!(ds.actors.iter().any(|a| a.name == "Students (Albania)"));
}

#[test]
fn broken_acled_rows_are_each_reported_at_their_cell() {
    let path = fixture("acled/broken.csv");
    let text = std::fs::read_to_string(&path).unwrap();
    let errors = import::open(&path, None).unwrap_err().0;
    assert!(errors.iter().all(|d| d.severity == Severity::Error));
    assert!(errors.iter().all(|d| d.file.ends_with("broken.csv")));

    let short = find(&errors, "row 2 (event_id_cnty ALB2002)");
    let line2 = text.lines().nth(2).unwrap();
    assert_eq!((short.line, short.column), (3, line2.chars().count() + 1));
    assert!(short.message.contains("the header has 31"), "{short}");

    let nan = find(&errors, "row 3 (event_id_cnty ALB2003)");
    assert_eq!((nan.line, nan.column), pos_in(&text, 4, "NaN"));
    assert!(
        nan.message.contains("latitude \"NaN\" is not a number"),
        "{nan}"
    );

    let date = find(&errors, "row 4 (event_id_cnty ALB2004)");
    assert_eq!((date.line, date.column), pos_in(&text, 5, "2022-13-40"));
    assert!(date.message.contains("event_date"), "{date}");

    let precision = find(&errors, "row 5 (event_id_cnty ALB2005)");
    // The cell starts after the comma.
    let (line, comma) = pos_in(&text, 6, ",4,");
    assert_eq!((precision.line, precision.column), (line, comma + 1));
    assert!(
        precision.message.contains("time_precision \"4\""),
        "{precision}"
    );

    let duplicate = find(&errors, "row 6 (event_id_cnty ALB1001)");
    assert_eq!((duplicate.line, duplicate.column), (7, 1));
    assert!(
        duplicate.message.contains("duplicate event id"),
        "{duplicate}"
    );

    let lon = find(&errors, "row 7 (event_id_cnty ALB2007)");
    let (line, comma) = pos_in(&text, 8, ",200,");
    assert_eq!((lon.line, lon.column), (line, comma + 1));
    assert!(lon.message.contains("longitude 200 is outside"), "{lon}");
    assert_eq!(errors.len(), 6, "{errors:#?}");
}

#[test]
fn precision_column_points_inside_the_cell() {
    // `pos_in(",4,")` finds the comma; the cell is one further.
    let text =
        "event_id_cnty,event_date,time_precision,latitude,longitude\nA1,2022-07-15,9,41,19\n";
    let errors = import::acled::import(text, "t.csv").unwrap_err().0;
    assert_eq!(errors.len(), 1);
    assert_eq!((errors[0].line, errors[0].column), (2, 15));
    assert_eq!(errors[0].item, "row 1 (event_id_cnty A1)");
}

#[test]
fn acled_without_ids_or_optional_columns_still_imports() {
    let text = "\u{feff}Event_Date,LATITUDE,longitude,location,notes\n\
                15 Jul 2022,41.3275,19.8189,Tirana,\"a, b\"\n\
                2022-07-16,41.3275,19.8189,Tirana,\n";
    let imported = import::acled::import(text, "min.csv").unwrap();
    let m = &imported.manifest;
    assert_eq!(m.events.len(), 2);
    assert_eq!(m.places.len(), 1);
    assert_eq!(m.events[0].id, "row-1");
    assert_eq!(m.events[0].time, "2022-07-15");
    assert_eq!(m.events[0].text.as_deref(), Some("a, b"));
    assert_eq!(m.events[1].category, Category::Other);
    let missing = import::acled::import("event_date,latitude\n2022-01-01,1\n", "x.csv")
        .unwrap_err()
        .0;
    assert!(missing[0].message.contains("longitude"), "{missing:?}");
}

#[test]
fn truncated_inputs_never_panic() {
    let csv = std::fs::read_to_string(fixture("acled/albania-2022.csv")).unwrap();
    let geo = std::fs::read_to_string(fixture("geojson/places.geojson")).unwrap();
    for (text, geojson) in [(&csv, false), (&geo, true)] {
        let mut cut = 0;
        while cut < text.len() {
            if text.is_char_boundary(cut) {
                let part = &text[..cut];
                let _ = if geojson {
                    import::geojson::import(part, "part")
                } else {
                    import::acled::import(part, "part")
                };
            }
            cut += 17;
        }
    }
    // Odd shapes.
    for text in ["", "\n\n", "event_date,latitude,longitude", "\"", "a,\"b\n"] {
        let _ = import::acled::import(text, "odd.csv");
    }
    for text in [
        "{}",
        "[]",
        "null",
        "{\"type\":\"Point\"}",
        "{\"type\":\"FeatureCollection\",\"features\":{}}",
    ] {
        let _ = import::geojson::import(text, "odd.geojson");
    }
}

#[test]
fn geojson_points_import_as_places() {
    let opened = import::open(&fixture("geojson/places.geojson"), None).unwrap();
    assert_eq!(opened.format, Format::GeoJson);
    let ds = &opened.loaded.dataset;
    assert_eq!(ds.title, "Places of the Albania–Iran story");
    assert!(ds.events.is_empty());
    assert_eq!(ds.places.len(), 5, "{:#?}", ds.places);
    let tirana = ds.place(ds.place_by_id("tirana").unwrap());
    assert_eq!(
        (tirana.name.as_str(), tirana.lon, tirana.lat),
        ("Tirana", 19.8189, 41.3275)
    );
    assert_eq!(tirana.kind, PlaceKind::City);
    assert_eq!(tirana.aliases, vec!["Tiranë".to_owned()]);
    assert_eq!(tirana.country.as_deref(), Some("Albania"));
    let manez = ds.place(ds.place_by_id("manez").unwrap());
    assert_eq!(manez.kind, PlaceKind::Site);
    assert!(manez.matches_name("ashraf"));
    // The feature id, and `title` for the name; kind words in any case.
    let tehran = ds.place(ds.place_by_id("tehran").unwrap());
    assert_eq!(
        (tehran.name.as_str(), tehran.kind),
        ("Tehran", PlaceKind::City)
    );
    // No id: one is made from the name; an unknown kind is a city, with a warning.
    let washington = ds.place(ds.place_by_id("washington").unwrap());
    assert_eq!(washington.kind, PlaceKind::City);
    // A polygon stands at a point inside it, with a warning.
    let albania = ds.place(ds.place_by_id("albania").unwrap());
    assert_eq!(albania.kind, PlaceKind::Country);
    assert!((19.3..=21.1).contains(&albania.lon) && (39.6..=42.7).contains(&albania.lat));
    let warnings = &opened.loaded.warnings;
    assert!(
        warnings.iter().any(|w| w.message.contains("capital")),
        "{warnings:#?}"
    );
    assert!(
        warnings
            .iter()
            .any(|w| w.message.contains("Polygon is not a point"))
    );
    assert!(
        warnings
            .iter()
            .any(|w| w.message.contains("without geometry"))
    );
}

#[test]
fn broken_geojson_is_reported_where_it_breaks() {
    let path = fixture("geojson/bad-coordinate.geojson");
    let text = std::fs::read_to_string(&path).unwrap();
    let errors = import::open(&path, None).unwrap_err().0;
    assert_eq!(errors.len(), 1, "{errors:#?}");
    let line = text
        .lines()
        .position(|l| l.contains("[200, 41.3]"))
        .unwrap()
        + 1;
    assert_eq!(
        (errors[0].line, errors[0].column),
        pos_in(&text, line, "200")
    );
    assert_eq!(errors[0].item, "feature 2 (id nowhere)");
    assert!(
        errors[0]
            .message
            .contains("longitude 200 is outside -180..180")
    );

    // Truncated: located at the end, both through `open` and the importer.
    let path = fixture("geojson/truncated.geojson");
    let text = std::fs::read_to_string(&path).unwrap();
    let last_line = text.lines().count();
    let errors = import::open(&path, None).unwrap_err().0;
    assert_eq!(errors[0].line, last_line, "{errors:#?}");
    let errors = import::geojson::import(&text, "truncated.geojson")
        .unwrap_err()
        .0;
    assert_eq!(errors[0].line, last_line);
    assert!(errors[0].message.contains("not valid JSON"), "{errors:#?}");

    // A bad time and an unknown place id in an event feature.
    let text = r#"{"type": "FeatureCollection", "features": [
{"type": "Feature", "geometry": {"type": "Point", "coordinates": [1, 2]}, "properties": {"id": "a", "name": "A"}},
{"type": "Feature", "geometry": null, "properties": {"id": "e1", "title": "E", "time": "2022-02-30", "places": ["a"]}},
{"type": "Feature", "geometry": null, "properties": {"id": "e2", "title": "E", "time": "2022", "places": ["b"]}}
]}"#;
    let errors = import::geojson::import(text, "events.geojson")
        .unwrap_err()
        .0;
    assert_eq!(errors.len(), 2, "{errors:#?}");
    assert_eq!(errors[0].item, "feature 2 (id e1)");
    assert_eq!(errors[0].line, 3);
    assert!(errors[0].message.contains("2022-02-30"));
    assert_eq!(errors[1].item, "feature 3 (id e2)");
    assert_eq!((errors[1].line, errors[1].column), pos_in(text, 4, "\"b\""));
}

#[test]
fn native_to_geojson_parses_and_reimports_places_and_times() {
    let loaded = io::load_embedded().unwrap();
    let ds = &loaded.dataset;
    let (_dir, out, summary) = export_all(ds, ExportFormat::GeoJson, "story.geojson");
    assert_eq!(summary.events, ds.events.len());
    let events = all_events(ds);
    let view = View {
        dataset: ds,
        events: &events,
    };
    assert_eq!(summary.places, view.places().len());

    let text = std::fs::read_to_string(&out).unwrap();
    let parsed = geojson::GeoJson::from_str(&text).unwrap();
    let geojson::GeoJson::FeatureCollection(fc) = parsed else {
        panic!("not a FeatureCollection")
    };
    assert_eq!(fc.features.len(), view.places().len() + ds.events.len());
    let first_event = fc
        .features
        .iter()
        .find(|f| f.property("feature").and_then(|v| v.as_str()) == Some("event"))
        .unwrap();
    for key in [
        "time",
        "earliest",
        "latest",
        "precision",
        "category",
        "places",
        "excerpts",
    ] {
        assert!(first_event.contains_property(key), "{key}");
    }

    let opened = import::open(&out, None).unwrap();
    assert_eq!(opened.format, Format::GeoJson);
    let back = &opened.loaded.dataset;
    assert_eq!(back.title, ds.title);
    assert_eq!(back.places.len(), view.places().len());
    for p in view.places() {
        let p = ds.place(p);
        let q = back.place(back.place_by_id(&p.id).unwrap());
        assert_eq!(
            (&q.name, q.lon, q.lat, q.kind, q.precision),
            (&p.name, p.lon, p.lat, p.kind, p.precision),
            "{}",
            p.id
        );
        assert_eq!(q.aliases, p.aliases);
    }
    assert_eq!(back.events.len(), ds.events.len());
    for e in &ds.events {
        let f = event(back, e.id());
        assert_eq!(f.time().edtf(), e.time().edtf(), "{}", e.id());
        assert_eq!(f.category(), e.category());
        let ids = |ds: &Dataset, ev: mapline::model::EventRef<'_>| -> Vec<String> {
            ev.places()
                .iter()
                .map(|p| ds.place(p.place).id.clone())
                .collect()
        };
        assert_eq!(ids(back, f), ids(ds, e), "{}", e.id());
        assert_eq!(f.links().len(), e.links().len(), "{}", e.id());
    }
    assert_eq!(back.eras.len(), ds.eras.len());
}

#[test]
fn native_to_native_round_trips_times_and_excerpts() {
    let loaded = io::load_embedded().unwrap();
    let ds = &loaded.dataset;
    let (dir, out, summary) = export_all(ds, ExportFormat::Native, "copy");
    assert_eq!(summary.events, ds.events.len());
    let back = io::load_dir(&out).unwrap();
    let b = &back.dataset;
    assert_eq!(b.sources.len(), ds.sources.len());
    assert_eq!(b.events.len(), ds.events.len());
    assert_eq!(b.claims.len(), ds.claims.len());
    assert_eq!(b.actors.len(), ds.actors.len());
    assert_eq!(b.places.len(), ds.places.len());
    for e in &ds.events {
        let f = event(b, e.id());
        assert_eq!(f.time().edtf(), e.time().edtf(), "{}", e.id());
        let texts = |d: &Dataset, ev: mapline::model::EventRef<'_>| -> Vec<String> {
            ev.excerpts()
                .iter()
                .map(|x| x.text(&d.sources).to_owned())
                .collect()
        };
        assert_eq!(texts(b, f), texts(ds, e), "{}", e.id());
        // The same spans, so a quote standing twice resolves to the same one.
        let spans = |ev: mapline::model::EventRef<'_>| -> Vec<_> {
            ev.excerpts()
                .iter()
                .map(mapline::model::Excerpt::span)
                .collect()
        };
        assert_eq!(spans(f), spans(e), "{}", e.id());
    }
    for c in &ds.claims {
        let d = b.claims.iter().find(|d| d.id == c.id).unwrap();
        let texts: Vec<_> = c.stances.iter().map(|s| s.excerpt.span()).collect();
        let back_texts: Vec<_> = d.stances.iter().map(|s| s.excerpt.span()).collect();
        assert_eq!(back_texts, texts, "{}", c.id);
    }
    // No temporary folder is left beside it.
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);

    // Exporting again over a mapline dataset replaces it.
    let one = [EventIdx(0)];
    let small = View {
        dataset: ds,
        events: &one,
    };
    export(&small, ExportFormat::Native, &out).unwrap();
    assert_eq!(io::load_dir(&out).unwrap().dataset.events.len(), 1);
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);

    // A folder that is not a dataset is never replaced.
    let other = dir.path().join("notes");
    std::fs::create_dir(&other).unwrap();
    std::fs::write(other.join("todo.txt"), "keep me").unwrap();
    let events = all_events(ds);
    let view = View {
        dataset: ds,
        events: &events,
    };
    let err = export(&view, ExportFormat::Native, &other).unwrap_err();
    assert!(err.to_string().contains("not a mapline dataset"), "{err}");
    assert_eq!(
        std::fs::read_to_string(other.join("todo.txt")).unwrap(),
        "keep me"
    );
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 2);
}

#[test]
fn a_subset_of_events_exports_only_those() {
    let loaded = io::load_embedded().unwrap();
    let ds = &loaded.dataset;
    let year = TimeWindow::new(
        Day::from_ymd(2022, 1, 1).unwrap(),
        Day::from_ymd(2022, 12, 31).unwrap(),
    );
    let events: Vec<EventIdx> = ds.events_in(year, WindowRule::Inside).collect();
    assert!(!events.is_empty() && events.len() < ds.events.len());
    let view = View {
        dataset: ds,
        events: &events,
    };
    let dir = tempfile::tempdir().unwrap();

    let out = dir.path().join("2022");
    let summary = export(&view, ExportFormat::Native, &out).unwrap();
    assert_eq!(summary.events, events.len());
    let back = io::load_dir(&out).unwrap().dataset;
    assert_eq!(back.events.len(), events.len());
    for e in &back.events {
        assert!(
            e.time().lies_inside(&year),
            "{} {}",
            e.id(),
            e.time().edtf()
        );
    }
    for c in &back.claims {
        assert!(!c.events.is_empty(), "claim {} kept without events", c.id);
    }
    // Only the places those events (and their claims) use.
    assert!(back.places.len() < ds.places.len());
    for idx in view.places() {
        assert!(back.place_by_id(&ds.place(idx).id).is_some());
    }

    let csv_out = dir.path().join("2022.csv");
    export(&view, ExportFormat::Csv, &csv_out).unwrap();
    let rows = csv::Reader::from_path(&csv_out).unwrap().records().count();
    assert_eq!(rows, events.len());

    let geo_out = dir.path().join("2022.geojson");
    export(&view, ExportFormat::GeoJson, &geo_out).unwrap();
    let back = import::open(&geo_out, None).unwrap().loaded.dataset;
    assert_eq!(back.events.len(), events.len());
}

#[test]
fn csv_export_has_a_header_and_one_row_per_event() {
    let loaded = io::load_embedded().unwrap();
    let ds = &loaded.dataset;
    let (dir, out, summary) = export_all(ds, ExportFormat::Csv, "events.csv");
    assert_eq!(summary.events, ds.events.len());
    let mut reader = csv::Reader::from_path(&out).unwrap();
    let header: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_owned)
        .collect();
    assert_eq!(header, mapline::io::csv::HEADER.to_vec());
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), ds.events.len());
    for (row, e) in rows.iter().zip(&ds.events) {
        assert_eq!(row.len(), header.len());
        assert_eq!(&row[0], e.id());
        assert_eq!(&row[2], e.time().edtf());
        assert_eq!(
            &row[3],
            e.time().earliest().map(Day::iso).unwrap_or_default()
        );
        assert_eq!(&row[6], e.category().as_str());
        assert_eq!(row[13].parse::<usize>().unwrap(), e.excerpts().len());
        if let Some(first) = e.places().first() {
            let p = ds.place(first.place);
            assert_eq!(&row[9], p.lon.to_string());
            assert!(row[7].starts_with(&p.id));
        }
    }
    // An imported dataset's text (quotes and commas) survives too.
    let acled = import::open(&fixture("acled/albania-2022.csv"), None)
        .unwrap()
        .loaded
        .dataset;
    let events = all_events(&acled);
    let out = dir.path().join("acled.csv");
    export(
        &View {
            dataset: &acled,
            events: &events,
        },
        ExportFormat::Csv,
        &out,
    )
    .unwrap();
    let rows: Vec<csv::StringRecord> = csv::Reader::from_path(&out)
        .unwrap()
        .records()
        .map(Result::unwrap)
        .collect();
    let row = rows.iter().find(|r| &r[0] == "ALB1001").unwrap();
    assert!(row[14].contains("chanting \"No to poverty\"."));
}

#[test]
fn acled_import_exports_to_native_and_geojson_and_back() {
    let ds = import::open(&fixture("acled/albania-2022.csv"), None)
        .unwrap()
        .loaded
        .dataset;
    let events = all_events(&ds);
    let view = View {
        dataset: &ds,
        events: &events,
    };
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("acled");
    export(&view, ExportFormat::Native, &out).unwrap();
    let back = io::load_dir(&out).unwrap().dataset;
    assert_eq!(back.events.len(), 10);
    let e = event(&back, "ALB1003");
    assert_eq!(e.time().edtf(), "2022-07-11/2022-07-25");
    assert_eq!(
        e.extra().and_then(mapline::model::ExtraRef::event_type),
        Some("Riots / Violent demonstration")
    );
    let geo = dir.path().join("acled.geojson");
    export(&view, ExportFormat::GeoJson, &geo).unwrap();
    let back = import::open(&geo, None).unwrap().loaded.dataset;
    let e = event(&back, "ALB1001");
    assert_eq!(
        e.extra().and_then(mapline::model::ExtraRef::attribution),
        Some("Top Channel; Balkan Insight")
    );
    assert_eq!(e.time_note(), None);
    assert_eq!(
        event(&back, "ALB1003").time_note(),
        Some("ACLED time_precision 2: within a week of 2022-07-18")
    );
}

#[test]
fn a_failing_export_leaves_nothing_behind() {
    let loaded = io::load_embedded().unwrap();
    let ds = &loaded.dataset;
    let events = all_events(ds);
    let view = View {
        dataset: ds,
        events: &events,
    };
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("no-such-folder");
    for (format, name) in [
        (ExportFormat::Csv, "out.csv"),
        (ExportFormat::GeoJson, "out.geojson"),
        (ExportFormat::Native, "out"),
    ] {
        let result = export(&view, format, &missing.join(name));
        assert!(result.is_err(), "{format}");
        assert!(!missing.exists(), "{format}");
        assert_eq!(
            std::fs::read_dir(dir.path()).unwrap().count(),
            0,
            "{format} left something behind"
        );
    }
    // A file where the folder should go is refused, and left alone.
    let file = dir.path().join("taken");
    std::fs::write(&file, "x").unwrap();
    assert!(export(&view, ExportFormat::Native, &file).is_err());
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "x");
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
}

#[test]
fn a_large_view_exports_its_events_as_json_lines() {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("big");
    io::generate::generate(
        &src,
        io::generate::GenerateOptions {
            events: 12_000,
            seed: 7,
        },
    )
    .unwrap();
    let ds = io::load_dir(&src).unwrap().dataset;
    let events = all_events(&ds);
    let view = View {
        dataset: &ds,
        events: &events,
    };
    let out = dir.path().join("copy");
    export(&view, ExportFormat::Native, &out).unwrap();
    assert!(out.join("events.jsonl").is_file());
    let back = io::load_dir(&out).unwrap().dataset;
    assert_eq!(back.events.len(), ds.events.len());
    for (a, b) in ds.events.iter().zip(&back.events) {
        assert_eq!((a.id(), a.time().edtf()), (b.id(), b.time().edtf()));
        let spans = |e: mapline::model::EventRef<'_>| -> Vec<_> {
            e.excerpts()
                .iter()
                .map(mapline::model::Excerpt::span)
                .collect()
        };
        assert_eq!(spans(a), spans(b), "{}", a.id());
    }
}

#[test]
fn a_native_export_never_replaces_a_folder_holding_other_files() {
    let ds = io::load_embedded().unwrap().dataset;
    let events = all_events(&ds);
    let view = View {
        dataset: &ds,
        events: &events,
    };
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("story");
    export(&view, ExportFormat::Native, &out).unwrap();
    std::fs::write(out.join("notes.md"), "my notes").unwrap();
    let err = export(&view, ExportFormat::Native, &out).unwrap_err();
    assert!(err.to_string().contains("notes.md"), "{err}");
    assert_eq!(
        std::fs::read_to_string(out.join("notes.md")).unwrap(),
        "my notes"
    );
}
