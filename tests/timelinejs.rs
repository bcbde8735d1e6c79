//! TimelineJS import and export: the fixtures, round trips both ways, and
//! broken files reported at their line and column.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use mapline::io::DatasetErrors;
use mapline::io::export::{ExportFormat, View, export};
use mapline::io::import::{Format, Opened, open};
use mapline::model::time::{DatePrecision, Precision};
use mapline::model::{Dataset, Day, EventIdx, EventRef};
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

fn by_id<'a>(ds: &'a Dataset, id: &str) -> EventRef<'a> {
    let idx = ds
        .event_by_id(id)
        .unwrap_or_else(|| panic!("no event {id}"));
    ds.event(idx)
}

fn by_title<'a>(ds: &'a Dataset, title: &str) -> EventRef<'a> {
    ds.events
        .iter()
        .find(|e| e.title() == title)
        .unwrap_or_else(|| panic!("no event titled {title:?}"))
}

fn day(y: i64, m: u32, d: u32) -> Option<Day> {
    let day = Day::from_ymd(y, m, d);
    assert!(day.is_some(), "{y}-{m}-{d} is a day");
    day
}

/// Exports every event of `ds` as TimelineJS into `dir` and returns the path.
fn export_all(ds: &Dataset, dir: &Path, name: &str) -> PathBuf {
    let all: Vec<EventIdx> = ds.event_indices().collect();
    let out = dir.join(name);
    let summary = export(
        &View {
            dataset: ds,
            events: &all,
        },
        ExportFormat::TimelineJs,
        &out,
    )
    .unwrap();
    assert_eq!(summary.events, ds.events.len());
    out
}

fn read_json(path: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// Headline → (`start_date`, `end_date`) of every event slide.
fn slide_dates(doc: &Value) -> BTreeMap<String, (Value, Option<Value>)> {
    doc["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["text"]["headline"].as_str().unwrap().to_owned(),
                (e["start_date"].clone(), e.get("end_date").cloned()),
            )
        })
        .collect()
}

#[test]
fn json_fixture_imports_with_its_precision() {
    let opened = open_ok(&fixture("sky-watchers.json"));
    assert_eq!(opened.format, Format::TimelineJsJson);
    let ds = &opened.loaded.dataset;
    assert_eq!(ds.title, "From Babylon to Hubble");
    assert!(ds.description.starts_with("Milestones in watching the sky"));
    assert_eq!(ds.events.len(), 7);
    assert!(ds.places.is_empty(), "TimelineJS has no places");

    // A year alone stays a year, never New Year's day.
    let copernicus = by_id(ds, "de-revolutionibus");
    assert_eq!(copernicus.time().edtf(), "1543");
    assert_eq!(
        copernicus.time().precision(),
        Precision::Date(DatePrecision::Year)
    );
    assert_eq!(copernicus.time().earliest(), day(1543, 1, 1));
    assert_eq!(copernicus.time().latest(), day(1543, 12, 31));
    assert_eq!(
        copernicus.title(),
        "Copernicus publishes De revolutionibus",
        "tags dropped from the headline"
    );
    assert_eq!(
        copernicus.text(),
        Some(
            "Nicolaus Copernicus puts the Sun, not the Earth, at the centre.\n\nThe book appears in Nuremberg in the year of his death."
        )
    );

    // BCE: a negative year, as a string too. TimelineJS counts no year 0:
    // its -652 is 652 BCE, astronomical (EDTF) -651.
    let diaries = by_id(ds, "babylonian-diaries");
    assert_eq!(diaries.time().edtf(), "-0651");
    assert_eq!(diaries.time().earliest(), day(-651, 1, 1));
    assert_eq!(diaries.time().latest(), day(-651, 12, 31));
    assert_eq!(diaries.time().display(), "652 BCE");
    let hipparchus = by_id(ds, "hipparchus-catalogue");
    assert_eq!(hipparchus.time().edtf(), "-0128");
    assert_eq!(hipparchus.time().display(), "129 BCE");
    let extra = hipparchus.extra().unwrap();
    assert_eq!(extra.display_date(), Some("c. 129 BCE"));
    assert!(
        hipparchus.text().unwrap().contains("850 stars — the"),
        "entities decoded: {:?}",
        hipparchus.text()
    );

    // A month; a day with its time; an interval of days.
    let galileo = by_id(ds, "galilean-moons");
    assert_eq!(galileo.time().edtf(), "1610-01");
    assert_eq!(
        galileo.time().precision(),
        Precision::Date(DatePrecision::Month)
    );
    let sputnik = by_id(ds, "sputnik-1");
    assert_eq!(sputnik.time().edtf(), "1957-10-04T19:28:34");
    assert!(sputnik.time().is_single_day());
    let apollo = by_id(ds, "apollo-11");
    assert_eq!(apollo.time().edtf(), "1969-07-16/1969-07-24");
    assert_eq!(apollo.time().earliest(), day(1969, 7, 16));
    assert_eq!(apollo.time().latest(), day(1969, 7, 24));

    // HTML stripped, media kept as links with plain captions and credits.
    let text = apollo.text().unwrap();
    assert!(!text.contains('<') && !text.contains("&amp;"), "{text}");
    assert!(text.contains("Neil Armstrong & Buzz Aldrin"), "{text}");
    let media = apollo.extra().unwrap().media().unwrap();
    assert_eq!(
        media.url,
        "https://upload.wikimedia.org/wikipedia/commons/9/98/Aldrin_Apollo_11_original.jpg"
    );
    assert_eq!(media.caption.as_deref(), Some("Buzz Aldrin on the Moon"));
    assert_eq!(media.credit.as_deref(), Some("NASA / Neil Armstrong"));
    let diaries_media = diaries.extra().unwrap().media().unwrap();
    assert_eq!(
        diaries_media.caption.as_deref(),
        Some("Astronomical diary, clay tablet")
    );
    assert_eq!(
        diaries_media.credit.as_deref(),
        Some("The Trustees of the British Museum")
    );
    assert_eq!(apollo.extra().unwrap().group(), Some("Spaceflight"));

    // No unique_id: a slug of the headline and the event's number.
    let hubble = by_title(ds, "Hubble goes up");
    assert_eq!(hubble.id(), "hubble-goes-up-7");
    assert_eq!(hubble.time().edtf(), "1990-04-24");

    // The era is an era, not an event.
    assert_eq!(ds.eras.len(), 1);
    assert_eq!(ds.eras[0].title, "The Space Race");
    assert_eq!(ds.eras[0].time.edtf(), "1957-10/1975-07");
    assert_eq!(
        ds.eras[0].text.as_deref(),
        Some("From Sputnik to the Apollo–Soyuz handshake.")
    );
    assert!(ds.events.iter().all(|e| e.title() != "The Space Race"));

    // The dropped background and thumbnail are said once.
    let warnings: Vec<String> = opened
        .loaded
        .warnings
        .iter()
        .map(ToString::to_string)
        .collect();
    assert!(
        warnings
            .iter()
            .any(|w| w.contains("slide backgrounds (1)") && w.contains("media thumbnails (1)")),
        "{warnings:#?}"
    );
}

#[test]
fn csv_fixture_imports_with_its_precision() {
    let opened = open_ok(&fixture("writing-and-printing.csv"));
    assert_eq!(opened.format, Format::TimelineJsCsv);
    let ds = &opened.loaded.dataset;
    assert_eq!(ds.title, "A short history of writing and printing");
    assert!(ds.description.starts_with("From clay tablets"));
    assert_eq!(ds.events.len(), 7, "the title and era rows are not events");

    let cuneiform = by_title(ds, "Cuneiform in Uruk");
    // The sheet's -3200 is 3200 BCE (TimelineJS has no year 0): EDTF -3199.
    assert_eq!(cuneiform.time().edtf(), "-3199");
    assert_eq!(cuneiform.time().display(), "3200 BCE");
    assert_eq!(
        cuneiform.time().precision(),
        Precision::Date(DatePrecision::Year)
    );
    assert_eq!(cuneiform.time().earliest(), day(-3199, 1, 1));
    let extra = cuneiform.extra().unwrap();
    assert_eq!(extra.display_date(), Some("c. 3200 BCE"));
    assert_eq!(extra.group(), Some("Writing"));

    let sutra = by_title(ds, "The Diamond Sutra");
    assert_eq!(sutra.time().edtf(), "0868-05-11");
    let media = sutra.extra().unwrap().media().unwrap();
    assert_eq!(
        media.url,
        "https://www.bl.uk/collection-items/the-diamond-sutra"
    );
    assert_eq!(media.credit.as_deref(), Some("The British Library"));
    assert_eq!(
        media.caption.as_deref(),
        Some("The Diamond Sutra scroll, Or.8210/P.2")
    );

    let bible = by_title(ds, "The Gutenberg Bible");
    assert_eq!(bible.time().edtf(), "1454/1455");
    assert!(bible.text().unwrap().contains("movable metal type & an"));

    let caxton = by_title(ds, "Caxton's press at Westminster");
    assert_eq!(
        caxton.time().precision(),
        Precision::Date(DatePrecision::Year)
    );
    let encyclopedie = by_title(ds, "The first volume of the Encyclopédie");
    assert_eq!(encyclopedie.time().edtf(), "1751-06");
    assert_eq!(
        by_title(ds, "The Times on a steam press").time().edtf(),
        "1814-11-29",
        "cells are trimmed"
    );
    let arpanet = by_title(ds, "The first ARPANET message");
    assert_eq!(arpanet.time().edtf(), "1969-10-29T22:30:00");
    let (start, end) = arpanet
        .extra()
        .unwrap()
        .timelinejs_dates()
        .cloned()
        .unwrap();
    assert_eq!(
        start,
        json!({"year": "1969", "month": "10", "day": "29", "hour": 22, "minute": 30})
    );
    assert_eq!(end, None);
    assert!(
        arpanet
            .text()
            .unwrap()
            .contains("sends \"LO\" to the Stanford")
    );

    assert_eq!(ds.eras.len(), 1);
    assert_eq!(ds.eras[0].title, "Incunabula");
    assert_eq!(ds.eras[0].time.edtf(), "1450/1500");
    assert!(ds.events.iter().all(|e| e.title() != "Incunabula"));
}

#[test]
fn timelinejs_round_trip_keeps_headlines_and_date_objects() {
    let dir = tempfile::tempdir().unwrap();
    let path = fixture("sky-watchers.json");
    let original = read_json(&path);
    let first = open_ok(&path);
    let out = export_all(&first.loaded.dataset, dir.path(), "again.json");
    let exported = read_json(&out);

    let mut want = slide_dates(&original);
    let got = slide_dates(&exported);
    // Markup inside a headline is the one thing not kept: mapline titles are text.
    let italic = want
        .remove("Copernicus publishes <i>De revolutionibus</i>")
        .unwrap();
    want.insert("Copernicus publishes De revolutionibus".to_owned(), italic);
    assert_eq!(
        want.keys().collect::<Vec<_>>(),
        got.keys().collect::<Vec<_>>(),
        "every headline comes back"
    );
    for (headline, dates) in &want {
        assert_eq!(&got[headline], dates, "dates of {headline:?}");
    }
    // Not a month or day added to a year-only date.
    let copernicus = &got["Copernicus publishes De revolutionibus"];
    assert_eq!(
        copernicus.0,
        json!({"year": "1543", "month": "", "day": ""})
    );
    let original_eras = &original["eras"][0];
    let exported_eras = &exported["eras"][0];
    assert_eq!(exported_eras["start_date"]["year"], json!(1957));
    assert_eq!(exported_eras["start_date"]["month"], json!(10));
    assert_eq!(exported_eras["end_date"], json!({"year": 1975, "month": 7}));
    assert_eq!(
        exported_eras["text"]["headline"],
        original_eras["text"]["headline"]
    );
    assert_eq!(
        exported["title"]["text"]["headline"],
        json!("From Babylon to Hubble")
    );

    // Media, groups, display dates and ids go out too.
    let slides = exported["events"].as_array().unwrap();
    let apollo = slides
        .iter()
        .find(|s| s["unique_id"] == json!("apollo-11"))
        .unwrap();
    assert_eq!(apollo["group"], json!("Spaceflight"));
    assert_eq!(apollo["media"]["caption"], json!("Buzz Aldrin on the Moon"));
    let hipparchus = slides
        .iter()
        .find(|s| s["unique_id"] == json!("hipparchus-catalogue"))
        .unwrap();
    assert_eq!(hipparchus["display_date"], json!("c. 129 BCE"));

    // And reading the export again gives the same times.
    let second = open_ok(&out);
    let times = |ds: &Dataset| -> BTreeMap<String, String> {
        ds.events
            .iter()
            .map(|e| (e.id().to_owned(), e.time().edtf().to_owned()))
            .collect()
    };
    assert_eq!(times(&first.loaded.dataset), times(&second.loaded.dataset));
    assert_eq!(second.loaded.dataset.eras, first.loaded.dataset.eras);
}

#[test]
fn csv_round_trip_keeps_the_spreadsheet_dates() {
    let dir = tempfile::tempdir().unwrap();
    let first = open_ok(&fixture("writing-and-printing.csv"));
    let out = export_all(&first.loaded.dataset, dir.path(), "printing.json");
    let got = slide_dates(&read_json(&out));
    assert_eq!(got.len(), 7);
    assert_eq!(
        got["Cuneiform in Uruk"],
        (json!({"year": "-3200"}), None),
        "a year stays a year"
    );
    assert_eq!(
        got["The Gutenberg Bible"],
        (json!({"year": "1454"}), Some(json!({"year": "1455"})))
    );
    assert_eq!(
        got["The first volume of the Encyclopédie"],
        (json!({"year": "1751", "month": "6"}), None)
    );
    let second = open_ok(&out);
    for e in &first.loaded.dataset.events {
        let again = by_id(&second.loaded.dataset, e.id());
        assert_eq!(again.time().edtf(), e.time().edtf(), "{}", e.id());
        assert_eq!(again.title(), e.title());
    }
}

#[test]
fn native_round_trip_through_timelinejs_keeps_every_time() {
    let native = mapline::io::load_embedded().unwrap();
    let ds = &native.dataset;
    assert_eq!(ds.events.len(), 46);
    let dir = tempfile::tempdir().unwrap();
    let out = export_all(ds, dir.path(), "albania-iran.json");

    // What TimelineJS sees: the nearest dates, and words for the rest.
    let doc = read_json(&out);
    let slides = doc["events"].as_array().unwrap();
    let slide = |id: &str| {
        slides
            .iter()
            .find(|s| s["unique_id"] == json!(id))
            .unwrap()
            .clone()
    };
    let decade = slide("mek-founded");
    assert_eq!(decade["start_date"], json!({"year": 1960}));
    assert_eq!(decade["end_date"], json!({"year": 1969}));
    assert_eq!(decade["display_date"], json!("the 1960s"));
    let open_end = slide("mek-settles-in-albania");
    assert_eq!(open_end["start_date"], json!({"year": 2013}));
    assert!(open_end.get("end_date").is_none());
    assert_eq!(open_end["display_date"], json!("from 2013"));
    let day_slide = slide("cyberattack-2022-07-15");
    assert_eq!(
        day_slide["start_date"],
        json!({"year": 2022, "month": 7, "day": 15})
    );
    assert!(day_slide.get("display_date").is_none());
    let quoted = day_slide["text"]["text"].as_str().unwrap();
    assert!(
        quoted.contains("<blockquote>") && quoted.contains("<cite>"),
        "{quoted}"
    );
    assert_eq!(
        slide("mek-falls-out-with-clerics")["display_date"],
        json!("about 1979")
    );

    let back = open_ok(&out);
    let again = &back.loaded.dataset;
    let summary = |ds: &Dataset| -> BTreeMap<String, (String, String)> {
        ds.events
            .iter()
            .map(|e| {
                (
                    e.id().to_owned(),
                    (e.time().edtf().to_owned(), e.title().to_owned()),
                )
            })
            .collect()
    };
    assert_eq!(summary(ds), summary(again));
    for e in &ds.events {
        let a = by_id(again, e.id());
        assert_eq!(a.category(), e.category(), "{}", e.id());
        assert_eq!(a.time_note(), e.time_note(), "{}", e.id());
        let places = |ds: &Dataset, ev: EventRef<'_>| -> Vec<(String, String)> {
            ev.places()
                .iter()
                .map(|p| (ds.place(p.place).id.clone(), p.role.to_string()))
                .collect()
        };
        assert_eq!(places(again, a), places(ds, e), "{}", e.id());
        let actors = |ds: &Dataset, ev: EventRef<'_>| -> Vec<String> {
            ev.actors()
                .iter()
                .map(|x| ds.actor(*x).id.clone())
                .collect()
        };
        assert_eq!(actors(again, a), actors(ds, e), "{}", e.id());
        let links = |ds: &Dataset, ev: EventRef<'_>| -> Vec<String> {
            ev.links()
                .iter()
                .map(|l| format!("{} {}", l.relation, ds.event(l.event).id()))
                .collect()
        };
        assert_eq!(links(again, a), links(ds, e), "{}", e.id());
        if !e.excerpts().is_empty() {
            let text = a.text().unwrap_or("");
            assert!(
                !text.is_empty(),
                "{}: the excerpts come back as text",
                e.id()
            );
        }
        assert!(
            a.extra().is_none_or(|x| x.display_date().is_none()),
            "{}: a computed display date is not read back as the event's own",
            e.id()
        );
    }
    let place = |ds: &Dataset, id: &str| ds.places.iter().find(|p| p.id == id).cloned().unwrap();
    for p in &again.places {
        assert_eq!(*p, place(ds, &p.id));
    }
    let dropped: Vec<_> = ds
        .places
        .iter()
        .filter(|p| again.places.iter().all(|q| q.id != p.id))
        .map(|p| p.id.clone())
        .collect();
    assert!(
        dropped
            .iter()
            .all(|id| ds.events_at(ds.place_by_id(id).unwrap()).is_empty()),
        "only places no event touches are left out: {dropped:?}"
    );
}

/// Writes `text` to a file named `name` and opens it, expecting errors.
fn open_broken(name: &str, text: &str) -> (DatasetErrors, Vec<String>) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    std::fs::write(&path, text).unwrap();
    let Err(errors) = open(&path, None) else {
        panic!("{name} should not open")
    };
    let shown = errors
        .0
        .iter()
        .map(|d| {
            let s = d.to_string();
            // Without the temp folder, which changes every run.
            s.strip_prefix(&path.display().to_string())
                .map_or(s.clone(), |rest| format!("{name}{rest}"))
        })
        .collect();
    (errors, shown)
}

/// Line and column (1-based, characters) of the first `needle` in `text`.
fn pos_of(text: &str, needle: &str) -> (usize, usize) {
    let at = text.find(needle).unwrap();
    let before = &text[..at];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().unwrap().chars().count() + 1;
    (line, column)
}

#[test]
fn a_year_that_is_not_a_number_is_reported_where_it_stands() {
    let text = r#"{
  "title": {"text": {"headline": "Broken"}},
  "events": [
    {
      "start_date": {"year": 2022, "month": 7},
      "text": {"headline": "Fine"}
    },
    {
      "start_date": {"year": "abc"},
      "text": {"headline": "Bad year"}
    },
    {
      "start_date": {"year": 2022, "month": 13, "day": 40},
      "text": {"headline": "Bad month and day"}
    }
  ]
}
"#;
    let (errors, shown) = open_broken("bad-year.json", text);
    assert_eq!(pos_of(text, "\"abc\""), (9, 30));
    assert!(
        shown.contains(
            &"bad-year.json:9:30: event 2 (\"Bad year\"): start_date.year: \"abc\" is not a year"
                .to_owned()
        ),
        "{shown:#?}"
    );
    let (line, column) = pos_of(text, "13,");
    assert!(
        shown.contains(&format!(
            "bad-year.json:{line}:{column}: event 3 (\"Bad month and day\"): start_date.month: 13 is not a month (1–12)"
        )),
        "{shown:#?}"
    );
    assert_eq!(
        errors.0.len(),
        3,
        "every error, not just the first: {shown:#?}"
    );
}

#[test]
fn slides_read_in_batches_are_numbered_and_reported_in_file_order() {
    // 1,000 slides, read in parallel batches of a few hundred, each slide
    // on its own line (line n + 1). Broken: every 137th has month 13, and
    // slide 700 repeats the unique_id of slide 3.
    let file = |broken: bool| -> String {
        let slides: Vec<String> = (1..=1000)
            .map(|n| {
                let month = if broken && n % 137 == 0 { 13 } else { 1 + n % 12 };
                let id = if broken && n == 700 { 3 } else { n };
                format!(
                    r#"  {{"start_date": {{"year": 2000, "month": {month}}}, "text": {{"headline": "Slide {n}", "text": "<p>Said <b>{n}</b></p>"}}, "unique_id": "s{id}"}}"#
                )
            })
            .collect();
        format!("{{\"events\": [\n{}\n]}}\n", slides.join(",\n"))
    };
    let text = file(true);
    let (_, shown) = open_broken("batches.json", &text);
    let line_of = |n: usize| text.lines().nth(n).unwrap();
    let column = |line: &str, needle: &str| line.find(needle).unwrap() + 1;
    let mut expected: Vec<(usize, String)> = (1..=1000)
        .filter(|n| n % 137 == 0)
        .map(|n| {
            (
                n + 1,
                format!(
                    "batches.json:{}:{}: event {n} (\"Slide {n}\"): start_date.month: 13 is not a month (1–12)",
                    n + 1,
                    column(line_of(n), "13}")
                ),
            )
        })
        .collect();
    expected.push((
        701,
        format!(
            "batches.json:701:{}: event 700 (\"Slide 700\"): duplicate unique_id \"s3\" (first used at line 4)",
            column(line_of(700), "\"s3\"")
        ),
    ));
    expected.sort();
    let expected: Vec<String> = expected.into_iter().map(|(_, e)| e).collect();
    assert_eq!(shown, expected);

    // Unbroken, every slide is an event with its id, headline and text.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("batches.json");
    std::fs::write(&path, file(false)).unwrap();
    let opened = open_ok(&path);
    let ds = &opened.loaded.dataset;
    assert_eq!(ds.events.len(), 1000);
    for n in [1, 255, 256, 257, 512, 700, 1000] {
        let e = by_id(ds, &format!("s{n}"));
        assert_eq!(e.title(), format!("Slide {n}"));
        assert_eq!(e.text(), Some(format!("Said {n}").as_str()));
    }
}

#[test]
fn truncated_json_is_reported_at_its_end() {
    let text = "{\n  \"events\": [\n    {\"start_date\": {\"year\": 2022},\n";
    let (errors, shown) = open_broken("truncated.json", text);
    assert_eq!(errors.0.len(), 1);
    assert!(shown[0].starts_with("truncated.json:4:"), "{shown:#?}");
    assert!(shown[0].contains("not valid JSON"), "{shown:#?}");
}

#[test]
fn duplicate_unique_ids_are_errors_at_the_second() {
    let text = r#"{"events": [
  {"start_date": {"year": 2001}, "text": {"headline": "One"}, "unique_id": "same"},
  {"start_date": {"year": 2002}, "text": {"headline": "Two"}, "unique_id": "same"}
]}
"#;
    let (_, shown) = open_broken("duplicates.json", text);
    assert_eq!(
        shown,
        vec![
            "duplicates.json:3:76: event 2 (\"Two\"): duplicate unique_id \"same\" (first used at line 2)"
                .to_owned()
        ]
    );
}

#[test]
fn years_beyond_a_trillion_are_refused_where_they_stand() {
    let text = r#"{"scale": "cosmological", "events": [
  {"start_date": {"year": 2000000000000}, "text": {"headline": "Far future"}},
  {"start_date": {"year": "-13800000000000"}, "text": {"headline": "Before it all"}},
  {"start_date": {"year": 2022}, "end_date": {"year": 2020}, "text": {"headline": "Backwards"}}
]}
"#;
    let (errors, shown) = open_broken("far.json", text);
    assert_eq!(errors.0.len(), 3, "{shown:#?}");
    assert_eq!(
        shown[0],
        "far.json:2:27: event 1 (\"Far future\"): start_date.year: 2000000000000 is beyond the years mapline holds (a trillion years either way)",
    );
    assert!(
        shown[1].starts_with(
            "far.json:3:27: event 2 (\"Before it all\"): start_date.year: \"-13800000000000\" is beyond"
        ),
        "{shown:#?}"
    );
    assert!(
        shown[2].starts_with("far.json:4:46: event 3 (\"Backwards\"): end_date:"),
        "{shown:#?}"
    );
}

#[test]
fn deep_time_opens_on_the_cosmological_scale_and_keeps_its_years() {
    let text = r#"{"scale": "cosmological", "events": [
  {"start_date": {"year": "-13800000000"}, "text": {"headline": "Big Bang"}},
  {"start_date": {"year": -4600000000}, "text": {"headline": "The Sun forms"}},
  {"start_date": {"year": 12000}, "text": {"headline": "Far future"}},
  {"start_date": {"year": 2022, "month": 7, "day": 15}, "text": {"headline": "The attack"}}
]}
"#;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("deep.json");
    std::fs::write(&path, text).unwrap();
    let loaded = open_ok(&path).loaded;
    let ds = &loaded.dataset;
    let shown: Vec<(String, String)> = ds
        .events
        .iter()
        .map(|e| (e.title().to_owned(), e.time().display()))
        .collect();
    assert_eq!(
        shown,
        [
            ("Big Bang".to_owned(), "13.8 billion years ago".to_owned()),
            (
                "The Sun forms".to_owned(),
                "4.6 billion years ago".to_owned()
            ),
            ("The attack".to_owned(), "July 15, 2022".to_owned()),
            ("Far future".to_owned(), "12,000".to_owned()),
        ]
    );
    assert!(
        loaded
            .warnings
            .iter()
            .all(|w| !w.to_string().contains("cosmological")),
        "{:?}",
        loaded.warnings
    );
}

#[test]
fn a_csv_month_13_is_reported_at_its_cell() {
    let text = "Year,Month,Day,Time,End Year,End Month,End Day,End Time,Display Date,Headline,Text,Media,Media Credit,Media Caption,Media Thumbnail,Type,Group,Background\n\
                2022,7,15,,,,,,,Fine,,,,,,,,\n\
                2022,13,1,,,,,,,\"Bad, month\",,,,,,,,\n\
                2000000000000,,,,,,,,,Too far,,,,,,,,\n\
                2022,2,30,25:00,,,,,,No such day,,,,,,,,\n";
    let (errors, shown) = open_broken("bad.csv", text);
    assert_eq!(
        shown,
        vec![
            "bad.csv:3:6: event 2 (\"Bad, month\"): Month: \"13\" is not a month (1–12)".to_owned(),
            "bad.csv:4:1: event 3 (\"Too far\"): Year: \"2000000000000\" is beyond the years mapline holds (a trillion years either way)".to_owned(),
            "bad.csv:5:8: event 4 (\"No such day\"): Day: \"30\" is not a day of February 2022".to_owned(),
            "bad.csv:5:11: event 4 (\"No such day\"): Time: \"25:00\" is not a time of day (like 10:30, 10:30:15 or 10:30 PM)".to_owned(),
        ]
    );
    assert_eq!(errors.0.len(), 4);
}

#[test]
fn odd_inputs_give_errors_not_panics() {
    let cases = [
        r#"{"events": [1, null, "x", [], {"start_date": []}]}"#,
        r#"{"events": [{"start_date": {"year": 1e400}}]}"#,
        r#"{"events": [{"start_date": {"year": 2022, "day": 3}}]}"#,
        r#"{"events": [{"start_date": {"year": true}, "end_date": 5, "text": 7, "media": []}]}"#,
        r#"{"events": [{"start_date": {"year": 2022}, "mapline": {"time": "not edtf"}}]}"#,
        r#"{"events": [{"start_date": {"year": 2022}, "mapline": {"category": "nonsense"}}]}"#,
        r#"{"events": {"start_date": 1}}"#,
        r#"{"events": [], "eras": [{"text": {"headline": "No dates"}}]}"#,
        "{\"events\": [{\"start_date\": {\"year\": \"\u{1F600}\"}}]}",
    ];
    for (i, text) in cases.iter().enumerate() {
        let (errors, shown) = open_broken(&format!("odd-{i}.json"), text);
        assert!(!errors.0.is_empty());
        for s in &shown {
            assert!(s.starts_with(&format!("odd-{i}.json:1:")), "{s}");
        }
    }
    // Fine but odd: an end date without a year is ignored, an hour without a day too.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("odd-ok.json");
    std::fs::write(
        &path,
        r#"{"events": [{"start_date": {"year": 2022, "hour": 10}, "end_date": {"month": 3}, "text": {"text": "<p>No headline here, only a rather long text that goes on and on.</p>"}}]}"#,
    )
    .unwrap();
    let opened = open_ok(&path);
    let e = opened.loaded.dataset.events.get(EventIdx(0));
    assert_eq!(e.time().edtf(), "2022");
    assert_eq!(
        e.title(),
        "No headline here, only a rather long text that goes on and…"
    );
    assert!(opened.loaded.warnings.len() >= 2);
}

/// Hours on both ends: the time stays the days (EDTF intervals take no
/// hours), the date objects are kept field for field, the reader shows the
/// hours, and the export writes them back.
#[test]
fn hours_on_both_ends_are_kept_shown_and_written_back() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("hours.json");
    let doc = json!({
        "title": {"text": {"headline": "Hours"}},
        "events": [
            {
                "start_date": {"year": 2022, "month": 7, "day": 15, "hour": 10, "minute": 30},
                "end_date": {"year": 2022, "month": 7, "day": 15, "hour": 14},
                "text": {"headline": "Same day"},
                "unique_id": "same-day"
            },
            {
                "start_date": {"year": "2022", "month": "7", "day": "15", "hour": "22"},
                "end_date": {"year": "2022", "month": "7", "day": "16", "hour": "6", "minute": "15"},
                "text": {"headline": "Overnight"},
                "unique_id": "overnight"
            }
        ]
    });
    std::fs::write(&path, serde_json::to_string_pretty(&doc).unwrap()).unwrap();
    let opened = open_ok(&path);
    let ds = &opened.loaded.dataset;
    let same = by_id(ds, "same-day");
    assert_eq!(same.time().edtf(), "2022-07-15");
    assert_eq!(same.time().precision(), Precision::Date(DatePrecision::Day));
    let extra = same.extra().unwrap();
    assert_eq!(extra.clock_times().as_deref(), Some("10:30 – 14:00"));
    let overnight = by_id(ds, "overnight");
    assert_eq!(overnight.time().edtf(), "2022-07-15/2022-07-16");
    assert_eq!(
        overnight.extra().unwrap().clock_times().as_deref(),
        Some("22:00 – 06:15")
    );

    let out = export_all(ds, dir.path(), "out.json");
    let dates = slide_dates(&read_json(&out));
    let original = slide_dates(&doc);
    assert_eq!(dates["Same day"], original["Same day"]);
    assert_eq!(dates["Overnight"], original["Overnight"]);

    #[cfg(feature = "gui")]
    {
        use egui_kittest::kittest::Queryable as _;
        let mut app = Some(mapline::app::App::from_opened(opened, &path));
        let mut h = egui_kittest::Harness::builder()
            .with_size(egui::vec2(1600.0, 1000.0))
            .build_eframe(move |_cc| app.take().expect("built once"));
        h.run();
        h.state_mut().select_by_id("same-day").unwrap();
        h.run();
        assert!(
            h.query_by_label("Time of day in the file: 10:30 – 14:00")
                .is_some(),
            "the reader shows the hours"
        );
    }
}

#[test]
fn a_sheet_year_holding_a_whole_timestamp_is_read_as_that_date_time() {
    let text = "Year,Month,Day,Time,End Year,End Month,End Day,End Time,Display Date,Headline,Text,Media,Media Credit,Media Caption,Media Thumbnail,Type,Group,Background\n\
                2017-01-21T20:26:52.340Z,,,,,,,,,Quake,,,,,,,,\n\
                2017-01-21 08:15+02:00,,,,,,,,,Local,,,,,,,,\n\
                2022,7,15,,,,,,,Plain,,,,,,,,\n";
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("stamps.csv");
    std::fs::write(&path, text).unwrap();
    let ds = open_ok(&path).loaded.dataset;
    assert_eq!(by_title(&ds, "Quake").time().edtf(), "2017-01-21T20:26:52Z");
    assert_eq!(
        by_title(&ds, "Local").time().edtf(),
        "2017-01-21T08:15:00+02:00"
    );
    assert_eq!(by_title(&ds, "Plain").time().edtf(), "2022-07-15");
    assert_eq!(
        by_title(&ds, "Quake").time().earliest(),
        Day::from_ymd(2017, 1, 21)
    );
    let bad = "Year,Month,Day,Time,End Year,End Month,End Day,End Time,Display Date,Headline,Text,Media,Media Credit,Media Caption,Media Thumbnail,Type,Group,Background\n\
               2017-02-30T00:00:00Z,,,,,,,,,No such day,,,,,,,,\n\
               2017-01-21T2x:26:52Z,,,,,,,,,Letters,,,,,,,,\n\
               2017-01-21T20:26:52Z,3,,,,,,,,Both,,,,,,,,\n";
    let (errors, shown) = open_broken("bad-stamps.csv", bad);
    assert_eq!(errors.0.len(), 3, "{shown:#?}");
    assert!(shown[0].starts_with("bad-stamps.csv:2:1: event 1 (\"No such day\"): Year: \"2017-02-30T00:00:00Z\": there is no day 30 in February 2017"), "{shown:#?}");
    assert!(
        shown[1].contains("\"2017-01-21T2x:26:52Z\": the hour \"2x\" is not two digits"),
        "{shown:#?}"
    );
    assert!(
        shown[2].contains("is a whole date-time: leave Month empty"),
        "{shown:#?}"
    );
}
