//! TimelineJS files of every age: TimelineJS 2 JSON, its JSONP form and its
//! spreadsheet, version 3 slides wrapped in `{"timeline": …}`, and the year
//! numbering TimelineJS shares across versions (no year 0: `-500` is
//! 500 BCE), kept through a round trip with and without the export's
//! `mapline` objects.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use mapline::io::export::{ExportFormat, View, export};
use mapline::io::import::{Format, Opened, open};
use mapline::model::time::{DatePrecision, Precision};
use mapline::model::{Dataset, EventIdx, EventRef};
use serde_json::{Value, json};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/timelinejs")
        .join(name)
}

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

/// Title → (EDTF, precision of a single date or `None` for an interval).
fn times(ds: &Dataset) -> BTreeMap<String, String> {
    ds.events
        .iter()
        .map(|e| (e.title().to_owned(), e.time().edtf().to_owned()))
        .collect()
}

fn precision(e: EventRef<'_>) -> Option<DatePrecision> {
    match e.time().precision() {
        Precision::Date(p) => Some(p),
        Precision::Interval { .. } => None,
    }
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

/// Line and column (1-based, characters) of the first `needle` in `text`.
fn pos_of(text: &str, needle: &str) -> (usize, usize) {
    let at = text.find(needle).unwrap();
    let before = &text[..at];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().unwrap().chars().count() + 1;
    (line, column)
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
fn timelinejs2_json_opens_with_every_date_text_and_credit() {
    let opened = open_ok(&fixture("signals-v2.json"));
    assert_eq!(opened.format, Format::TimelineJsJson);
    let ds = &opened.loaded.dataset;
    assert_eq!(
        ds.title, "Signals at a distance",
        "the title slide, HTML dropped"
    );
    assert_eq!(
        ds.description,
        "From beacon fires to a phone in the hand: how messages learnt to outrun messengers."
    );
    assert_eq!(
        ds.events.len(),
        9,
        "every date item, the title not among them"
    );
    assert!(
        ds.events
            .iter()
            .all(|e| e.title() != "Signals at a distance")
    );

    let want: BTreeMap<String, String> = [
        ("A chain of beacons on stage", "-0457"),
        ("Cooke and Wheatstone patent a telegraph", "1837-06-10"),
        ("What hath God wrought", "1844-05"),
        ("Cables under the Atlantic", "1858/1866"),
        ("Mr. Watson, come here", "1876-03-10"),
        ("The first exchange", "1878-01"),
        ("Coast to coast", "1915-01-25T16:30:00"),
        ("LO", "1969-10-29T22:30:00"),
        ("A call from a street in Manhattan", "1973-04-03T12:00:00"),
    ]
    .into_iter()
    .map(|(t, e)| (t.to_owned(), e.to_owned()))
    .collect();
    assert_eq!(times(ds), want);

    // The precision each form gives, never more.
    let p = |title: &str| precision(by_title(ds, title));
    assert_eq!(p("A chain of beacons on stage"), Some(DatePrecision::Year));
    assert_eq!(p("What hath God wrought"), Some(DatePrecision::Month));
    assert_eq!(p("The first exchange"), Some(DatePrecision::Month));
    assert_eq!(p("Mr. Watson, come here"), Some(DatePrecision::Day));
    assert_eq!(p("Cables under the Atlantic"), None);
    assert_eq!(
        by_title(ds, "A chain of beacons on stage").time().display(),
        "458 BCE",
        "TimelineJS2's -458 is 458 BCE"
    );

    // Every text, from HTML as for version 3.
    let texts: BTreeMap<&str, &str> = ds
        .events
        .iter()
        .map(|e| (e.title(), e.text().unwrap_or("")))
        .collect();
    assert_eq!(
        texts,
        BTreeMap::from([
            (
                "A chain of beacons on stage",
                "Aeschylus's Agamemnon opens with a watchman waiting for the beacon that brings news of Troy's fall."
            ),
            (
                "Cooke and Wheatstone patent a telegraph",
                "Five needles point at the letters of a board."
            ),
            (
                "What hath God wrought",
                "Morse's line from Washington to Baltimore carries its first message."
            ),
            (
                "Cables under the Atlantic",
                "The first cable fails within weeks; a lasting one is laid eight years later."
            ),
            (
                "Mr. Watson, come here",
                "Bell speaks the first words heard over a telephone — to his assistant in the next room."
            ),
            (
                "The first exchange",
                "A switchboard in New Haven connects twenty-one subscribers."
            ),
            (
                "Coast to coast",
                "The first call across the continent, New York to San Francisco."
            ),
            (
                "LO",
                "A message between two computers: the system fails after two letters."
            ),
            (
                "A call from a street in Manhattan",
                "The first call from a handheld mobile phone."
            ),
        ])
    );
    // Tags as groups.
    let watson = by_title(ds, "Mr. Watson, come here");
    assert_eq!(
        watson.text(),
        Some(
            "Bell speaks the first words heard over a telephone — to his assistant in the next room."
        )
    );
    let extra = watson.extra().unwrap();
    assert_eq!(extra.group(), Some("Telephone"));
    let media = extra.media().unwrap();
    assert_eq!(media.url, "https://example.org/signals/notebook.jpg");
    assert_eq!(media.credit.as_deref(), Some("Example Library"));
    assert_eq!(
        media.caption.as_deref(),
        Some("Bell's notebook, 10 March 1876")
    );

    let patent = by_title(ds, "Cooke and Wheatstone patent a telegraph");
    let media = patent.extra().unwrap().media().unwrap();
    assert_eq!(media.credit.as_deref(), Some("Example Science Collection"));
    assert_eq!(media.caption.as_deref(), Some("The five-needle telegraph"));
    assert_eq!(patent.extra().unwrap().group(), Some("Telegraph"));
    let mobile = by_title(ds, "A call from a street in Manhattan");
    let media = mobile.extra().unwrap().media().unwrap();
    assert_eq!(media.credit.as_deref(), Some("Example Photo Agency"));
    assert_eq!(media.caption, None);

    // Eras.
    let eras: Vec<(&str, &str)> = ds
        .eras
        .iter()
        .map(|e| (e.title.as_str(), e.time.edtf()))
        .collect();
    assert_eq!(
        eras,
        [
            ("The telegraph age", "1837/1876"),
            ("Voices on wires", "1876-03/1973-04")
        ]
    );
    assert_eq!(ds.eras[0].text.as_deref(), Some("Wires before voices."));

    // What is not kept is said: the thumbnail, the time shifts.
    let warnings: Vec<String> = opened
        .loaded
        .warnings
        .iter()
        .map(ToString::to_string)
        .collect();
    assert!(
        warnings.iter().any(|w| w.contains("media thumbnails (1)")),
        "{warnings:#?}"
    );
    assert!(
        warnings
            .iter()
            .any(|w| w.contains("time shifts (Z, +hh:mm) not kept") && w.contains("(2 date(s))")),
        "{warnings:#?}"
    );
}

#[test]
fn timelinejs2_jsonp_opens_as_its_json_would() {
    let opened = open_ok(&fixture("lighthouses-v2.jsonp"));
    assert_eq!(opened.format, Format::TimelineJsJson);
    let ds = &opened.loaded.dataset;
    assert_eq!(ds.title, "Lights on the coast");
    assert_eq!(
        ds.description,
        "Four lighthouses, four ways of keeping ships off the rocks."
    );
    let want: BTreeMap<String, String> = [
        ("The Pharos of Alexandria", "-0279/-0246"),
        ("Winstanley's Eddystone", "1698/1703-11-27"),
        ("Fresnel's lens is lit", "1823-07-25"),
        ("The last keeper leaves North Foreland", "1998-11"),
    ]
    .into_iter()
    .map(|(t, e)| (t.to_owned(), e.to_owned()))
    .collect();
    assert_eq!(times(ds), want);
    let pharos = by_title(ds, "The Pharos of Alexandria");
    assert_eq!(pharos.time().display(), "280 BCE – 247 BCE");
    let media = pharos.extra().unwrap().media().unwrap();
    assert_eq!(media.credit.as_deref(), Some("Drawing: Example Atlas"));
    assert_eq!(media.caption.as_deref(), Some("A reconstruction"));
    let lens = by_title(ds, "Fresnel's lens is lit").extra().unwrap();
    assert_eq!(
        lens.media().unwrap().caption,
        None,
        "an empty caption is none"
    );
    assert_eq!(lens.group(), Some("Optics"));
    assert_eq!(
        by_title(ds, "The last keeper leaves North Foreland").text(),
        Some("Automation ends the keepers' watch.")
    );

    // The positions are the file's own, past the wrapper: a broken date in
    // the same file is reported where it stands.
    let text = std::fs::read_to_string(fixture("lighthouses-v2.jsonp"))
        .unwrap()
        .replace("\"1823,7,25\"", "\"1823,7,32\"");
    let dir = tempfile::tempdir().unwrap();
    let errors = open_text(dir.path(), "lights.jsonp", &text).unwrap_err();
    let (line, column) = pos_of(&text, "32\"");
    assert_eq!(
        errors,
        [format!(
            "lights.jsonp:{line}:{column}: date 3 (\"Fresnel's lens is lit\"): startDate \"1823,7,32\": 32 is not a day of the month (1–31)"
        )]
    );
}

#[test]
fn timelinejs2_sheet_opens_with_its_rows() {
    let opened = open_ok(&fixture("bridges-v2.csv"));
    assert_eq!(opened.format, Format::TimelineJsCsv);
    let ds = &opened.loaded.dataset;
    assert_eq!(ds.title, "Spans across rivers");
    assert_eq!(ds.description, "Iron, steel and concrete over water.");
    let want: BTreeMap<String, String> = [
        ("The Iron Bridge opens", "1781-01-01"),
        ("Caesar bridges the Rhine", "-0054"),
        ("Brooklyn Bridge", "1883-05-24"),
        ("The Forth Bridge", "1890-03"),
        ("The Golden Gate Bridge", "1933/1937"),
        ("Pedestrian day", "1937-05-27T06:00:00"),
    ]
    .into_iter()
    .map(|(t, e)| (t.to_owned(), e.to_owned()))
    .collect();
    assert_eq!(times(ds), want, "the title and era rows are no events");
    let texts: BTreeMap<&str, &str> = ds
        .events
        .iter()
        .map(|e| (e.title(), e.text().unwrap_or("")))
        .collect();
    assert_eq!(
        texts,
        BTreeMap::from([
            (
                "The Iron Bridge opens",
                "Cast iron spans the Severn at Coalbrookdale."
            ),
            (
                "Caesar bridges the Rhine",
                "A timber bridge built in ten days."
            ),
            (
                "Brooklyn Bridge",
                "A steel-wire suspension bridge across the East River."
            ),
            ("The Forth Bridge", "Cantilevers of steel, opened in March."),
            ("The Golden Gate Bridge", "Four years of building."),
            (
                "Pedestrian day",
                "The bridge opens to people on foot, at six in the morning."
            ),
        ])
    );
    let caesar = by_title(ds, "Caesar bridges the Rhine");
    assert_eq!(caesar.time().display(), "55 BCE");
    assert_eq!(precision(caesar), Some(DatePrecision::Year));
    assert_eq!(
        precision(by_title(ds, "The Forth Bridge")),
        Some(DatePrecision::Month)
    );
    let iron = by_title(ds, "The Iron Bridge opens");
    assert_eq!(
        iron.text(),
        Some("Cast iron spans the Severn at Coalbrookdale.")
    );
    let extra = iron.extra().unwrap();
    assert_eq!(extra.group(), Some("Iron"), "the Tag column is the group");
    let media = extra.media().unwrap();
    assert_eq!(media.url, "https://example.org/bridges/iron.jpg");
    assert_eq!(media.credit.as_deref(), Some("Example Heritage"));
    assert_eq!(media.caption.as_deref(), Some("The Iron Bridge"));
    assert_eq!(
        by_title(ds, "Brooklyn Bridge")
            .extra()
            .unwrap()
            .media()
            .unwrap()
            .credit
            .as_deref(),
        Some("Example City Archive")
    );
    assert_eq!(ds.eras.len(), 1);
    assert_eq!(ds.eras[0].title, "The age of iron and steel");
    assert_eq!(ds.eras[0].time.edtf(), "1850/1900");
    assert_eq!(ds.eras[0].text.as_deref(), Some("Railways need bridges."));
}

#[test]
fn a_bad_sheet_date_is_reported_at_its_cell() {
    let text = "Start Date,End Date,Headline,Text,Media,Media Credit,Media Caption,Media Thumbnail,Type,Tag\n\
                1883,,Fine,,,,,,,\n\
                \"1883,13,1\",,Month 13,,,,,,,\n\
                1937,1933,Backwards,,,,,,,\n";
    let dir = tempfile::tempdir().unwrap();
    let errors = open_text(dir.path(), "bad.csv", text).unwrap_err();
    let (line, column) = pos_of(text, "13,1");
    let (back_line, back_column) = pos_of(text, "1933");
    assert_eq!(
        errors,
        [
            format!(
                "bad.csv:{line}:{column}: event 2 (\"Month 13\"): Start Date \"1883,13,1\": 13 is not a month (1–12)"
            ),
            format!(
                "bad.csv:{back_line}:{back_column}: event 3 (\"Backwards\"): End Date \"1933\" is before Start Date \"1937\": an interval cannot end before it starts"
            ),
        ]
    );
}

#[test]
fn wrapped_slides_open_as_events() {
    let opened = open_ok(&fixture("wrapped-slides.json"));
    assert_eq!(opened.format, Format::TimelineJsJson);
    let ds = &opened.loaded.dataset;
    assert_eq!(ds.title, "Coins of the ancient world");
    let want: BTreeMap<String, String> = [
        ("Electrum coins of Lydia", "-0599"),
        ("Athenian owls", "-0499"),
        ("The first denarius", "-0210"),
        ("Nero debases the coinage", "0064-07"),
    ]
    .into_iter()
    .map(|(t, e)| (t.to_owned(), e.to_owned()))
    .collect();
    assert_eq!(times(ds), want);
    let owls = by_title(ds, "Athenian owls");
    assert_eq!(
        owls.time().display(),
        "500 BCE",
        "TimelineJS's -500 is 500 BCE"
    );
    assert_eq!(
        owls.extra().unwrap().media().unwrap().credit.as_deref(),
        Some("Example Numismatic Collection")
    );
    assert_eq!(owls.extra().unwrap().group(), Some("Greece"));
    assert_eq!(ds.eras.len(), 1);
    assert_eq!(ds.eras[0].time.edtf(), "-0599/0000", "-1 is 1 BCE");

    // `events` inside the wrapper reads the same.
    let text = std::fs::read_to_string(fixture("wrapped-slides.json"))
        .unwrap()
        .replace("\"slides\"", "\"events\"");
    let dir = tempfile::tempdir().unwrap();
    let again = open_text(dir.path(), "events.json", &text).unwrap();
    assert_eq!(times(&again.loaded.dataset), want);
}

#[test]
fn a_wrapped_file_with_events_and_slides_is_refused() {
    let text = r#"{"timeline": {
  "events": [{"start_date": {"year": 2000}, "text": {"headline": "A"}}],
  "slides": [{"start_date": {"year": 2001}, "text": {"headline": "B"}}]
}}"#;
    let dir = tempfile::tempdir().unwrap();
    let errors = open_text(dir.path(), "both.json", text).unwrap_err();
    let (line, column) = pos_of(text, "[{\"start_date\": {\"year\": 2001}");
    assert_eq!(
        errors,
        [format!(
            "both.json:{line}:{column}: timeline: the timeline gives both \"events\" and \"slides\": mapline cannot tell which holds the slides; keep one"
        )]
    );
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
        i64::from(first.time().earliest().unwrap().0)
            - i64::from(last.time().earliest().unwrap().0),
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
