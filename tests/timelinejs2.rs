//! TimelineJS files of every age: TimelineJS 2 JSON, its JSONP form and its
//! spreadsheet, and version 3 slides wrapped in `{"timeline": …}` (the year
//! numbering they share is tested in `timelinejs_years.rs`).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use mapline::io::import::{Format, Opened, open};
use mapline::model::time::{DatePrecision, Precision};
use mapline::model::{Dataset, EventRef};

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

/// Title → EDTF of every event.
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
