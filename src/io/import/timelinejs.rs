//! TimelineJS: the JSON format (<https://timeline.knightlab.com/docs/json-format.html>)
//! and the Google-spreadsheet template saved as CSV.
//!
//! - The `title` slide (or the spreadsheet row of Type `title`) gives the
//!   dataset's title and description; `events` (rows of any other Type) become
//!   events of category `other`, without places; `eras` (rows of Type `era`)
//!   become the dataset's eras, never events.
//! - Dates keep their precision: a `year` alone is a year (`2022`), with a
//!   `month` a month (`2022-07`), with a `day` a day (`2022-07-15`), with an
//!   `hour` a date-time (`2022-07-15T10:30:00`); a negative year is BCE in
//!   astronomical numbering (`-500` → `-0500`); an `end_date` makes an
//!   interval. No month or day is ever invented: a day without a month is an
//!   error, a time of day without a day is ignored (with a warning). Values may
//!   be numbers or strings (`"2022"`); years beyond ±9999 are refused.
//! - The `start_date` / `end_date` objects are kept as read, so that an export
//!   gives them back field for field. For a CSV row they are built the way
//!   TimelineJS's own spreadsheet reader builds them: `year`, `month` and
//!   `day` as the cells' text (whitespace and thousands commas removed), the
//!   Time column split into numeric `hour`, `minute`, `second` and
//!   `millisecond`; empty cells are left out.
//! - HTML in headlines, texts, captions and credits is reduced to its text.
//!   Media are kept as links (never fetched); thumbnails, slide backgrounds
//!   and `autolink` have no place in mapline and are dropped (one warning says
//!   how many).
//! - Ids: `unique_id` (duplicates are errors), else a slug of the headline
//!   and the event's number.
//! - An event written by mapline's own export carries a `mapline` object (see
//!   `MaplineEvent` below) with the exact EDTF time, id, category, places, actors
//!   and links; they are taken from it, so that a native → TimelineJS →
//!   native round trip keeps them. When the TimelineJS dates were edited
//!   since, the edited dates win (with a warning).
//!
//! Every problem is reported at its line and column in the imported file,
//! with the item (`event 3 ("Headline…")`); all of them, not just the first.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt::Write as _;
use std::path::Path;

use serde::{Deserialize, Serialize};
use serde_json::Value;
use serde_json::value::RawValue;

use super::csv_pos::{field_starts, skip_line_ends};
use super::{Imported, empty_manifest, one_error};
use crate::io::diagnostic::{DatasetErrors, Diagnostic, TextPos};
use crate::io::format::{
    ActorEntry, EraEntry, EventEntry, EventPlaceEntry, LinkEntry, MediaEntry, PlaceEntry,
    TimelineJsDates,
};
use crate::model::time::{MONTHS, YEAR_RANGE};
use crate::model::{Category, Day, FuzzyTime, LocationPrecision, PlaceKind, PlaceRole};

/// The width html2text lays text out in: wide enough never to wrap a paragraph.
const TEXT_WIDTH: usize = 100_000;

/// Longest headline shown in an item label.
const LABEL_CHARS: usize = 40;

/// Longest start of a text used as a title when the headline is empty.
const TITLE_CHARS: usize = 60;

// ---------------------------------------------------------------------------
// The `mapline` object of mapline's own export.

/// The `mapline` object that mapline's TimelineJS export adds to each event,
/// so that reading the file back loses nothing TimelineJS cannot hold:
///
/// ```json
/// "mapline": {
///   "id": "cyberattack-2022-07-15",
///   "time": "2022-07-15",
///   "time_note": "AP, teleSUR and the US statement agree on the day.",
///   "category": "cyber",
///   "places": [{"id": "tirana", "name": "Tirana", "lon": 19.82, "lat": 41.33,
///               "kind": "city", "precision": "city", "country": "Albania",
///               "role": "target"}],
///   "actors": [{"id": "iran", "name": "Iran", "kind": "state"}],
///   "links": [{"relation": "responds-to", "event": "earlier-event-id"}],
///   "event_type": "…", "attribution": "…"
/// }
/// ```
///
/// Places are the native place entries plus the `role` the place plays in
/// the event; actors are native actor entries. Both are de-duplicated by id
/// on import (the first description wins).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub(crate) struct MaplineEvent {
    /// The event's id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) id: Option<String>,
    /// The exact EDTF time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) time: Option<String>,
    /// How the time was read from the sources.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) time_note: Option<String>,
    /// The category.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) category: Option<Category>,
    /// Places, each with its role.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(crate) places: Vec<MaplinePlace>,
    /// Actors.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(crate) actors: Vec<ActorEntry>,
    /// Links to earlier events (by id).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(crate) links: Vec<LinkEntry>,
    /// The imported type words.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) event_type: Option<String>,
    /// The imported attribution.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) attribution: Option<String>,
}

/// A place of an event in the `mapline` object: the native place entry and
/// the place's role in the event.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct MaplinePlace {
    /// Unique id.
    pub(crate) id: String,
    /// Display name.
    pub(crate) name: String,
    /// Other names.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(crate) aliases: Vec<String>,
    /// Longitude.
    pub(crate) lon: f64,
    /// Latitude.
    pub(crate) lat: f64,
    /// What kind of place.
    pub(crate) kind: PlaceKind,
    /// How precise the coordinates are.
    pub(crate) precision: LocationPrecision,
    /// Its country.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) country: Option<String>,
    /// A note.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) note: Option<String>,
    /// Its role in the event.
    pub(crate) role: PlaceRole,
}

impl MaplinePlace {
    /// The place of `entry` in the role `role`.
    pub(crate) fn new(entry: PlaceEntry, role: PlaceRole) -> Self {
        Self {
            id: entry.id,
            name: entry.name,
            aliases: entry.aliases,
            lon: entry.lon,
            lat: entry.lat,
            kind: entry.kind,
            precision: entry.precision,
            country: entry.country,
            note: entry.note,
            role,
        }
    }

    fn entry(&self) -> PlaceEntry {
        PlaceEntry {
            id: self.id.clone(),
            name: self.name.clone(),
            aliases: self.aliases.clone(),
            lon: self.lon,
            lat: self.lat,
            kind: self.kind,
            precision: self.precision,
            country: self.country.clone(),
            note: self.note.clone(),
        }
    }
}

/// The `mapline` object of an exported era: its exact EDTF time.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct MaplineEra {
    /// The exact EDTF time.
    pub(crate) time: String,
}

// ---------------------------------------------------------------------------
// Dates.

/// A TimelineJS date object as numbers (only what it gives).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct DateFields {
    /// The year (astronomical: 0 is 1 BCE, -500 is 501 BCE).
    pub(crate) year: i32,
    /// 1–12.
    pub(crate) month: Option<u32>,
    /// 1–31.
    pub(crate) day: Option<u32>,
    /// 0–23.
    pub(crate) hour: Option<u32>,
    /// 0–59.
    pub(crate) minute: Option<u32>,
    /// 0–59.
    pub(crate) second: Option<u32>,
    /// 0–999.
    pub(crate) millisecond: Option<u32>,
}

/// The fields of a date object, in order, with what each must be.
const FIELDS: [(&str, &str, i64, i64); 7] = [
    ("year", "a year", -9999, 9999),
    ("month", "a month (1–12)", 1, 12),
    ("day", "a day of the month (1–31)", 1, 31),
    ("hour", "an hour (0–23)", 0, 23),
    ("minute", "a minute (0–59)", 0, 59),
    ("second", "a second (0–59)", 0, 59),
    ("millisecond", "a millisecond (0–999)", 0, 999),
];

/// One value of a date, with the name to show it under and where it stands.
#[derive(Clone, Debug)]
struct Cell {
    name: String,
    value: Value,
    at: usize,
}

impl Cell {
    /// The value as written (JSON: `"abc"`, `13`).
    fn shown(&self) -> String {
        serde_json::to_string(&self.value).unwrap_or_default()
    }
}

/// The cells of one date, in [`FIELDS`] order.
type DateCells = [Option<Cell>; 7];

/// What reading a date object gave.
enum DateRead {
    Fields(DateFields),
    /// No year; `other` when other fields were given.
    NoYear {
        other: bool,
    },
    /// Broken (reported).
    Broken,
}

/// The whole number of a date field: `Ok(None)` when empty; `Err(true)` for
/// a whole number too large to hold, `Err(false)` for anything else.
fn whole_number(v: &Value) -> Result<Option<i64>, bool> {
    match v {
        Value::Null => Ok(None),
        Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                return Ok(Some(i));
            }
            match n.as_f64() {
                Some(f) if f.is_finite() && f.fract().abs() < f64::EPSILON => {
                    if f.abs() < 1.0e15 {
                        Ok(Some(f as i64))
                    } else {
                        Err(true)
                    }
                }
                _ => Err(false),
            }
        }
        Value::String(s) => {
            let cleaned = clean_integer(s);
            if cleaned.is_empty() {
                return Ok(None);
            }
            cleaned.parse::<i64>().map(Some).map_err(|_| {
                let digits = cleaned.strip_prefix(['-', '+']).unwrap_or(&cleaned);
                !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())
            })
        }
        _ => Err(false),
    }
}

/// A number cell as TimelineJS's spreadsheet reader cleans it: without
/// whitespace and thousands commas.
fn clean_integer(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace() && *c != ',')
        .collect()
}

fn beyond_years(cell: &Cell) -> String {
    format!(
        "{}: {} is beyond the years mapline supports ({} to {})",
        cell.name,
        cell.shown(),
        YEAR_RANGE.start(),
        YEAR_RANGE.end()
    )
}

/// Reads one date's cells, reporting each problem at its cell.
fn read_date(cx: &mut Cx<'_>, item: &str, what: &str, cells: &DateCells) -> DateRead {
    let mut values: [Option<i64>; 7] = [None; 7];
    let mut broken = false;
    for ((slot, cell), (key, noun, lo, hi)) in values.iter_mut().zip(cells).zip(FIELDS) {
        let Some(cell) = cell else { continue };
        match whole_number(&cell.value) {
            Ok(v) => *slot = v,
            Err(too_big) => {
                broken = true;
                let message = if too_big && key == "year" {
                    beyond_years(cell)
                } else {
                    format!("{}: {} is not {noun}", cell.name, cell.shown())
                };
                cx.error(cell.at, item, message);
                continue;
            }
        }
        if let Some(v) = *slot
            && !(lo..=hi).contains(&v)
        {
            broken = true;
            let message = if key == "year" {
                beyond_years(cell)
            } else {
                format!("{}: {} is not {noun}", cell.name, cell.shown())
            };
            cx.error(cell.at, item, message);
        }
    }
    if broken {
        return DateRead::Broken;
    }
    let [year, month, day, hour, minute, second, millisecond] = values;
    let Some(year) = year else {
        return DateRead::NoYear {
            other: values.iter().any(Option::is_some),
        };
    };
    let [_, _, day_cell, hour_cell, minute_cell, second_cell, ms_cell] = cells;
    let year = year as i32;
    let month = month.map(|m| m as u32);
    let day = day.map(|d| d as u32);
    if let (Some(d), Some(cell)) = (day, day_cell) {
        match month {
            None => {
                cx.error(
                    cell.at,
                    item,
                    format!(
                        "{}: {} is a day without a month; give the month too (mapline never guesses one)",
                        cell.name,
                        cell.shown()
                    ),
                );
                return DateRead::Broken;
            }
            Some(m) if Day::from_ymd(year, m, d).is_none() => {
                let month_name = MONTHS
                    .get(m.saturating_sub(1) as usize)
                    .copied()
                    .unwrap_or("that month");
                cx.error(
                    cell.at,
                    item,
                    format!(
                        "{}: {} is not a day of {month_name} {year}",
                        cell.name,
                        cell.shown()
                    ),
                );
                return DateRead::Broken;
            }
            Some(_) => {}
        }
    }
    let mut time = [hour, minute, second, millisecond].map(|v| v.map(|x| x as u32));
    if hour.is_none() {
        let stray = [minute_cell, second_cell, ms_cell]
            .into_iter()
            .zip([minute, second, millisecond])
            .find_map(|(c, v)| v.and(c.as_ref()));
        if let Some(cell) = stray {
            cx.warn(
                cell.at,
                item,
                format!("{}: {} without an hour is ignored", cell.name, cell.shown()),
            );
        }
        time = [None; 4];
    } else if day.is_none() {
        if let Some(cell) = hour_cell {
            cx.warn(
                cell.at,
                item,
                format!("{what} has a time of day but no day: the time is ignored"),
            );
        }
        time = [None; 4];
    }
    let [hour, minute, second, millisecond] = time;
    DateRead::Fields(DateFields {
        year,
        month,
        day,
        hour,
        minute,
        second,
        millisecond,
    })
}

/// A year as EDTF: four digits, a minus sign before BCE years.
fn year_text(year: i32) -> String {
    if year < 0 {
        format!("-{:04}", -i64::from(year))
    } else {
        format!("{year:04}")
    }
}

/// The EDTF of one date, to its precision; with the time of day when it has
/// one and `with_time`.
fn date_text(f: &DateFields, with_time: bool) -> String {
    let mut s = year_text(f.year);
    if let Some(m) = f.month {
        let _ = write!(s, "-{m:02}");
        if let Some(d) = f.day {
            let _ = write!(s, "-{d:02}");
            if with_time && let Some(h) = f.hour {
                let _ = write!(
                    s,
                    "T{h:02}:{:02}:{:02}",
                    f.minute.unwrap_or(0),
                    f.second.unwrap_or(0)
                );
            }
        }
    }
    s
}

/// Where composing an EDTF failed: at the start or the end date.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum ComposeError {
    /// The start date is refused.
    Start(String),
    /// The end date, or the interval, is refused.
    End(String),
}

/// The EDTF of a TimelineJS start (and end) date: a single date, or an
/// interval `start/end`. A time of day is kept where EDTF allows it (single
/// dates); intervals are written to the day.
///
/// # Errors
/// What [`FuzzyTime::parse`] refuses, and on which side.
pub(crate) fn compose(
    start: &DateFields,
    end: Option<&DateFields>,
) -> Result<String, ComposeError> {
    let single = |f: &DateFields| {
        let t = date_text(f, true);
        if FuzzyTime::parse(&t).is_ok() {
            t
        } else {
            date_text(f, false)
        }
    };
    let s = single(start);
    FuzzyTime::parse(&s).map_err(|e| ComposeError::Start(e.message))?;
    let Some(end) = end else { return Ok(s) };
    let e = single(end);
    FuzzyTime::parse(&e).map_err(|e| ComposeError::End(e.message))?;
    if e == s {
        return Ok(s);
    }
    let (s_day, e_day) = (date_text(start, false), date_text(end, false));
    if s_day == e_day {
        return Ok(s_day);
    }
    let interval = format!("{s_day}/{e_day}");
    FuzzyTime::parse(&interval)
        .map(|_| interval.clone())
        .map_err(|e| ComposeError::End(e.message))
}

/// The cells of a date object given as a JSON value (no positions).
fn cells_of_value(what: &str, v: &Value) -> Option<DateCells> {
    let map = v.as_object()?;
    Some(FIELDS.map(|(key, ..)| {
        map.get(key).map(|value| Cell {
            name: format!("{what}.{key}"),
            value: value.clone(),
            at: 0,
        })
    }))
}

/// The dates that TimelineJS `start_date` / `end_date` objects give, as the
/// importer reads them (an `end_date` without a year counts as none);
/// `None` when they are broken.
pub(crate) fn read_objects(
    start: &Value,
    end: Option<&Value>,
) -> Option<(DateFields, Option<DateFields>)> {
    let mut cx = Cx::new("", "");
    let DateRead::Fields(s) = read_date(
        &mut cx,
        "",
        "start_date",
        &cells_of_value("start_date", start)?,
    ) else {
        return None;
    };
    let e = match end {
        None => None,
        Some(v) => match read_date(&mut cx, "", "end_date", &cells_of_value("end_date", v)?) {
            DateRead::Fields(f) => Some(f),
            DateRead::NoYear { .. } => None,
            DateRead::Broken => return None,
        },
    };
    Some((s, e))
}

/// The EDTF that TimelineJS `start_date` / `end_date` objects describe, as
/// the importer would read it; `None` when they are broken.
pub(crate) fn edtf_of_objects(start: &Value, end: Option<&Value>) -> Option<String> {
    let (s, e) = read_objects(start, end)?;
    compose(&s, e.as_ref()).ok()
}

/// A time of day as the spreadsheet's Time column has it: `10:30`,
/// `10:30:15`, `10:30:15.250`, `1030`, `10.30`, `10:30 PM`.
fn parse_time(text: &str) -> Option<[Option<u32>; 4]> {
    let lower = text.trim().to_ascii_lowercase();
    let mut core = lower.as_str();
    let mut period = None;
    for (suffix, p) in [
        ("a.m.", 'a'),
        ("p.m.", 'p'),
        ("a.m", 'a'),
        ("p.m", 'p'),
        ("am.", 'a'),
        ("pm.", 'p'),
        ("am", 'a'),
        ("pm", 'p'),
    ] {
        if let Some(rest) = core.strip_suffix(suffix) {
            core = rest.trim_end();
            period = Some(p);
            break;
        }
    }
    let digits = |s: &str| !s.is_empty() && s.len() <= 2 && s.bytes().all(|b| b.is_ascii_digit());
    let parts: Vec<&str> =
        if (3..=4).contains(&core.len()) && core.bytes().all(|b| b.is_ascii_digit()) {
            let (h, m) = core.split_at(core.len() - 2);
            vec![h, m]
        } else if core.contains(':') {
            core.split(':').collect()
        } else {
            core.split('.').collect()
        };
    let (hour, rest) = parts.split_first()?;
    if !digits(hour) || rest.len() > 2 {
        return None;
    }
    let mut hour: u32 = hour.parse().ok()?;
    match period {
        Some(p) => {
            if !(1..=12).contains(&hour) {
                return None;
            }
            hour = match (p, hour) {
                ('a', 12) => 0,
                ('p', 12) | ('a', _) => hour,
                _ => hour + 12,
            };
        }
        None if hour > 23 => return None,
        None => {}
    }
    let minute = match rest.first() {
        None => None,
        Some(m) if digits(m) => Some(m.parse::<u32>().ok().filter(|m| *m <= 59)?),
        Some(_) => return None,
    };
    let (second, millisecond) = match rest.get(1) {
        None => (None, None),
        Some(s) => {
            let (whole, fraction) = match s.split_once(['.', ',']) {
                Some((w, f)) => (w, Some(f)),
                None => (*s, None),
            };
            if !digits(whole) {
                return None;
            }
            let second = whole.parse::<u32>().ok().filter(|s| *s <= 59)?;
            let ms = match fraction {
                None => None,
                Some(f) if !f.is_empty() && f.bytes().all(|b| b.is_ascii_digit()) => {
                    let three: String = f.chars().chain("000".chars()).take(3).collect();
                    Some(three.parse::<u32>().ok()?)
                }
                Some(_) => return None,
            };
            (Some(second), ms)
        }
    };
    Some([Some(hour), minute, second, millisecond])
}

// ---------------------------------------------------------------------------
// Text.

/// The text of a bit of TimelineJS HTML: tags dropped, entities decoded,
/// paragraphs separated by a blank line.
pub(crate) fn strip_html(html: &str) -> String {
    if !html.contains(['<', '&']) {
        return collapse(html);
    }
    let rendered = html2text::config::with_decorator(html2text::render::TrivialDecorator::new())
        .allow_width_overflow()
        .string_from_read(html.as_bytes(), TEXT_WIDTH);
    match rendered {
        Ok(text) => tidy(&text),
        Err(_) => collapse(html),
    }
}

/// Runs of whitespace as one space, as HTML shows them.
fn collapse(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Rendered text without trailing spaces, runs of blank lines, or blank ends.
fn tidy(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut blank = 0usize;
    for line in text.lines() {
        let line = line.trim_end();
        if line.trim().is_empty() {
            blank += 1;
            continue;
        }
        if !out.is_empty() {
            out.push_str(if blank > 0 { "\n\n" } else { "\n" });
        }
        blank = 0;
        out.push_str(line);
    }
    out
}

/// The start of a text, at most `max` characters, cut at a word with `…`.
fn short(text: &str, max: usize) -> String {
    let text = collapse(text);
    if text.chars().count() <= max {
        return text;
    }
    let cut: String = text.chars().take(max).collect();
    let cut = match cut.rfind(' ') {
        Some(i) if i > max / 2 => cut.get(..i).unwrap_or(&cut).to_owned(),
        _ => cut,
    };
    format!("{}…", cut.trim_end())
}

/// A lower-case id of the letters and digits of `text`, joined by `-`.
fn slug(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
        if out.chars().count() >= 40 {
            break;
        }
    }
    let trimmed = out.trim_matches('-');
    if trimmed.is_empty() {
        "event".to_owned()
    } else {
        trimmed.to_owned()
    }
}

/// `event 3 ("Headline…")`, or `event 3` without a headline.
fn item_label(kind: &str, n: usize, headline: &str) -> String {
    if headline.trim().is_empty() {
        format!("{kind} {n}")
    } else {
        format!("{kind} {n} ({:?})", short(headline, LABEL_CHARS))
    }
}

/// The file name of a label that is a path.
fn file_stem(label: &str) -> String {
    Path::new(label)
        .file_stem()
        .and_then(|n| n.to_str())
        .filter(|n| !n.trim().is_empty())
        .unwrap_or("Imported timeline")
        .to_owned()
}

fn non_empty(s: &str) -> Option<String> {
    let t = s.trim();
    (!t.is_empty()).then(|| t.to_owned())
}

// ---------------------------------------------------------------------------
// Reporting.

type Cx<'t> = super::Found<'t>;

impl Cx<'_> {
    /// Byte offset of a raw JSON value (a slice of the text).
    fn raw_offset(&self, raw: &RawValue) -> usize {
        self.offset_of(raw.get())
    }

    /// Where a `serde_json` error inside the value at `base` stands, and its
    /// message without serde's position suffix.
    fn json_error(&self, base: usize, e: &serde_json::Error) -> (usize, String) {
        let at = self.lines.offset_of_json_pos(base, e.line(), e.column());
        let text = e.to_string();
        let message = text
            .rsplit_once(" at line ")
            .map_or(text.as_str(), |(m, _)| m)
            .to_owned();
        (at, message)
    }
}

// ---------------------------------------------------------------------------
// What both readers make.

/// An event read from the file, before ids are settled.
struct Pending {
    /// 1-based among the events.
    number: usize,
    /// Where the slide or row starts in the file.
    at: usize,
    item: String,
    /// `unique_id` or the `mapline` id, and where it stands.
    given_id: Option<(String, usize)>,
    headline: String,
    text: String,
    time: String,
    dates: TimelineJsDates,
    media: Option<MediaEntry>,
    group: Option<String>,
    display_date: Option<String>,
    event_type: Option<String>,
    mapline: Option<(MaplineEvent, usize)>,
}

/// Everything read, to be turned into a manifest.
#[derive(Default)]
struct Collected {
    title: Option<String>,
    description: Option<String>,
    events: Vec<Pending>,
    eras: Vec<EraEntry>,
    dropped_backgrounds: usize,
    dropped_thumbnails: usize,
    /// Where the first dropped field stands.
    first_dropped: Option<usize>,
}

impl Collected {
    fn dropped(&mut self, at: usize, background: bool) {
        if background {
            self.dropped_backgrounds += 1;
        } else {
            self.dropped_thumbnails += 1;
        }
        self.first_dropped.get_or_insert(at);
    }
}

/// The time of an event: its dates' EDTF, or the exact EDTF of the
/// `mapline` object when the dates still say the same.
fn settle_time(
    cx: &mut Cx<'_>,
    item: &str,
    dates_edtf: String,
    fields: (DateFields, Option<DateFields>),
    mapline: Option<&(MaplineEvent, usize)>,
    raw: Option<&RawValue>,
) -> Option<String> {
    let Some((m, at)) = mapline else {
        return Some(dates_edtf);
    };
    let Some(time) = &m.time else {
        return Some(dates_edtf);
    };
    let time_at = raw
        .and_then(|r| {
            let quoted = serde_json::to_string(time).unwrap_or_default();
            r.get().find(&quoted)
        })
        .map_or(*at, |i| at + i);
    match FuzzyTime::parse(time) {
        Err(e) => {
            cx.error(
                time_at + 1 + e.offset,
                item,
                format!("mapline.time {time:?}: {}", e.message),
            );
            None
        }
        Ok(parsed) => {
            if *time == dates_edtf || crate::io::export::timelinejs::derive_dates(&parsed) == fields
            {
                Some(time.clone())
            } else {
                cx.warn(
                    time_at,
                    item,
                    format!(
                        "mapline.time {time:?} no longer matches start_date/end_date ({dates_edtf}); the TimelineJS dates are used"
                    ),
                );
                Some(dates_edtf)
            }
        }
    }
}

/// Settles ids, places and actors, and makes the manifest.
fn finish(cx: Cx<'_>, label: &str, collected: Collected) -> Result<Imported, DatasetErrors> {
    let mut cx = cx;
    if let (Some(at), true) = (
        collected.first_dropped,
        collected.dropped_backgrounds + collected.dropped_thumbnails > 0,
    ) {
        let mut parts = Vec::new();
        if collected.dropped_backgrounds > 0 {
            parts.push(format!(
                "slide backgrounds ({})",
                collected.dropped_backgrounds
            ));
        }
        if collected.dropped_thumbnails > 0 {
            parts.push(format!(
                "media thumbnails ({})",
                collected.dropped_thumbnails
            ));
        }
        cx.warn(
            at,
            "dataset",
            format!(
                "not kept, mapline has no place for them: {}",
                parts.join(", ")
            ),
        );
    }

    // Ids: the given ones first (duplicates are errors), then slugs.
    let mut taken: HashMap<String, usize> = HashMap::new();
    let mut ids: Vec<Option<String>> = Vec::with_capacity(collected.events.len());
    for p in &collected.events {
        let Some((id, at)) = &p.given_id else {
            ids.push(None);
            continue;
        };
        if let Some(first) = taken.get(id) {
            let line = cx.lines.pos(*first).line;
            cx.error(
                *at,
                &p.item,
                format!("duplicate unique_id {id:?} (first used at line {line})"),
            );
            ids.push(None);
        } else {
            taken.insert(id.clone(), *at);
            ids.push(Some(id.clone()));
        }
    }
    let mut used: HashSet<String> = taken.into_keys().collect();
    for (slot, p) in ids.iter_mut().zip(&collected.events) {
        if slot.is_some() || p.given_id.is_some() {
            continue;
        }
        let source = if p.headline.is_empty() {
            &p.text
        } else {
            &p.headline
        };
        let base = format!("{}-{}", slug(source), p.number);
        let mut id = base.clone();
        let mut n = 2usize;
        while used.contains(&id) {
            id = format!("{base}-{n}");
            n += 1;
        }
        used.insert(id.clone());
        *slot = Some(id);
    }

    let mut places: Vec<PlaceEntry> = Vec::new();
    let mut place_index: HashMap<String, usize> = HashMap::new();
    let mut actors: Vec<ActorEntry> = Vec::new();
    let mut actor_index: HashMap<String, usize> = HashMap::new();
    let mut events: Vec<(EventEntry, &Pending)> = Vec::with_capacity(collected.events.len());
    for (id, p) in ids.into_iter().zip(&collected.events) {
        let Some(id) = id else { continue };
        let title = if !p.headline.is_empty() {
            p.headline.clone()
        } else if !p.text.is_empty() {
            short(&p.text, TITLE_CHARS)
        } else {
            format!("Untitled event {}", p.number)
        };
        let mut entry = EventEntry {
            id,
            title,
            time: p.time.clone(),
            time_note: None,
            category: Category::Other,
            places: Vec::new(),
            actors: Vec::new(),
            excerpts: Vec::new(),
            text: non_empty(&p.text),
            links: Vec::new(),
            media: p.media.clone(),
            group: p.group.clone(),
            display_date: p.display_date.clone(),
            event_type: p.event_type.clone(),
            attribution: None,
            timelinejs: Some(p.dates.clone()),
        };
        if let Some((m, at)) = &p.mapline {
            entry.time_note.clone_from(&m.time_note);
            entry.category = m.category.unwrap_or(Category::Other);
            if m.event_type.is_some() {
                entry.event_type.clone_from(&m.event_type);
            }
            entry.attribution.clone_from(&m.attribution);
            for place in &m.places {
                let new = place.entry();
                match place_index.get(&place.id).and_then(|&i| places.get(i)) {
                    Some(known) if *known != new => cx.warn(
                        *at,
                        &p.item,
                        format!(
                            "mapline: place {:?} is described differently than in an earlier event; the first description is kept",
                            place.id
                        ),
                    ),
                    Some(_) => {}
                    None => {
                        place_index.insert(place.id.clone(), places.len());
                        places.push(new);
                    }
                }
                entry.places.push(EventPlaceEntry {
                    place: place.id.clone(),
                    role: place.role,
                });
            }
            for actor in &m.actors {
                match actor_index.get(&actor.id).and_then(|&i| actors.get(i)) {
                    Some(known) if known != actor => cx.warn(
                        *at,
                        &p.item,
                        format!(
                            "mapline: actor {:?} is described differently than in an earlier event; the first description is kept",
                            actor.id
                        ),
                    ),
                    Some(_) => {}
                    None => {
                        actor_index.insert(actor.id.clone(), actors.len());
                        actors.push(actor.clone());
                    }
                }
                entry.actors.push(actor.id.clone());
            }
            entry.links.clone_from(&m.links);
        }
        events.push((entry, p));
    }
    // Links may only point at events of this file.
    let known: HashSet<String> = events.iter().map(|(e, _)| e.id.clone()).collect();
    for (e, p) in &mut events {
        let before = e.links.len();
        e.links
            .retain(|l| known.contains(&l.event) && l.event != e.id);
        if e.links.len() < before
            && let Some((_, at)) = &p.mapline
        {
            cx.warn(
                *at,
                &p.item,
                "mapline: links to events that are not in this file are dropped",
            );
        }
    }

    // In file order, whatever order the checks ran in.
    cx.errors.sort_by_key(|d| (d.line, d.column));
    cx.warnings.sort_by_key(|d| (d.line, d.column));
    if !cx.errors.is_empty() {
        return Err(DatasetErrors(cx.errors));
    }
    let title = collected
        .title
        .filter(|t| !t.trim().is_empty())
        .unwrap_or_else(|| file_stem(label));
    let mut manifest = empty_manifest(title);
    manifest.description = collected.description.unwrap_or_default();
    manifest.places = places;
    manifest.actors = actors;
    let offsets = crate::io::native::EntryOffsets {
        events: events.iter().map(|(_, p)| p.at).collect(),
        ..Default::default()
    };
    manifest.events = events.into_iter().map(|(e, _)| e).collect();
    manifest.eras = collected.eras;
    Ok(Imported {
        offsets,
        manifest,
        warnings: cx.warnings,
    })
}

// ---------------------------------------------------------------------------
// JSON.

/// A JSON object's members, each kept raw with its position.
type Object<'t> = BTreeMap<String, &'t RawValue>;

fn object_of(raw: &RawValue) -> Option<Object<'_>> {
    serde_json::from_str(raw.get()).ok()
}

fn value_of(raw: &RawValue) -> Value {
    serde_json::from_str(raw.get()).unwrap_or(Value::Null)
}

/// A string member, or a number's text; `None` for null or absent.
fn text_of(raw: Option<&&RawValue>) -> Option<String> {
    match raw.map(|r| value_of(r)) {
        Some(Value::String(s)) => Some(s),
        Some(Value::Number(n)) => Some(n.to_string()),
        _ => None,
    }
}

/// Imports a TimelineJS JSON file.
///
/// # Errors
/// Every problem found (JSON syntax, a date field that is not a number, a
/// month 13, a year beyond ±9999, a duplicate `unique_id`, …), each at its
/// line and column in the file.
pub fn import_json(text: &str, label: &str) -> Result<Imported, DatasetErrors> {
    let body = text.strip_prefix('\u{feff}').unwrap_or(text);
    let base = text.len() - body.len();
    let mut cx = Cx::new(label, text);
    if cx.duplicate_keys(base) {
        return Err(DatasetErrors(cx.errors));
    }
    let top: Object<'_> = match serde_json::from_str(body) {
        Ok(top) => top,
        Err(e) => {
            let (at, message) = cx.json_error(base, &e);
            let message = if body.trim_start().starts_with('{') {
                format!("not valid JSON: {message}")
            } else {
                "expected a TimelineJS object ({\"title\": …, \"events\": […]})".to_owned()
            };
            return Err(one_error(label, cx.lines.pos(at), message));
        }
    };
    let mut collected = Collected::default();

    if let Some(scale) = top.get("scale") {
        match value_of(scale).as_str() {
            Some("human") | None => {}
            Some("cosmological") => cx.warn(
                cx.raw_offset(scale),
                "dataset",
                "scale \"cosmological\": mapline reads years -9999 to 9999 only; dates beyond them are refused",
            ),
            Some(other) => cx.warn(
                cx.raw_offset(scale),
                "dataset",
                format!("unknown scale {other:?} (TimelineJS knows \"human\" and \"cosmological\"); read as \"human\""),
            ),
        }
    }

    if let Some(title) = top.get("title") {
        match object_of(title) {
            Some(slide) => {
                let (headline, body_text) = slide_text(&mut cx, &slide, "title");
                collected.title = non_empty(&headline);
                collected.description = non_empty(&body_text);
            }
            None if value_of(title).is_null() => {}
            None => cx.error(
                cx.raw_offset(title),
                "title",
                "the title must be a slide object ({\"text\": {\"headline\": …, \"text\": …}})",
            ),
        }
    }

    let events: Vec<&RawValue> = match top.get("events") {
        None => Vec::new(),
        Some(raw) => match serde_json::from_str(raw.get()) {
            Ok(list) => list,
            Err(_) if value_of(raw).is_null() => {
                cx.error(
                    cx.raw_offset(raw),
                    "dataset",
                    "\"events\" is null: TimelineJS lists the slides as an array (\"events\": [{\"start_date\": …, \"text\": …}, …]); write [] for none",
                );
                Vec::new()
            }
            Err(_) => {
                cx.error(
                    cx.raw_offset(raw),
                    "dataset",
                    "\"events\" must be an array of slides",
                );
                Vec::new()
            }
        },
    };
    let texts = stripped_texts(&events);
    for (i, (raw, text)) in events.into_iter().zip(texts).enumerate() {
        read_json_event(&mut cx, &mut collected, i + 1, raw, text);
    }

    if let Some(raw) = top.get("eras") {
        match serde_json::from_str::<Vec<&RawValue>>(raw.get()) {
            Ok(list) => {
                for (i, era) in list.into_iter().enumerate() {
                    read_json_era(&mut cx, &mut collected, i + 1, era);
                }
            }
            Err(_) if value_of(raw).is_null() => {}
            Err(_) => cx.error(
                cx.raw_offset(raw),
                "dataset",
                "\"eras\" must be an array of eras",
            ),
        }
    }
    finish(cx, label, collected)
}

/// The headline and text of each event slide as plain text, worked out in
/// parallel before the events are read in order: reducing HTML is most of
/// the work of an import. `None` where the slide is not shaped as it should
/// be; [`slide_text`] then reads it and says what is wrong.
fn stripped_texts(events: &[&RawValue]) -> Vec<Option<(String, String)>> {
    use rayon::prelude::*;
    events
        .par_iter()
        .with_min_len(64)
        .map(|raw| {
            let slide = object_of(raw)?;
            let text = object_of(slide.get("text")?)?;
            let strip = |key| text_of(text.get(key)).map_or_else(String::new, |h| strip_html(&h));
            Some((strip("headline"), strip("text")))
        })
        .collect()
}

/// The headline and text of a slide, as plain text.
fn slide_text(cx: &mut Cx<'_>, slide: &Object<'_>, item: &str) -> (String, String) {
    let Some(raw) = slide.get("text") else {
        return (String::new(), String::new());
    };
    let Some(text) = object_of(raw) else {
        if !value_of(raw).is_null() {
            cx.error(
                cx.raw_offset(raw),
                item,
                "text must be an object ({\"headline\": …, \"text\": …})",
            );
        }
        return (String::new(), String::new());
    };
    let headline = text_of(text.get("headline")).map_or_else(String::new, |h| strip_html(&h));
    let body = text_of(text.get("text")).map_or_else(String::new, |t| strip_html(&t));
    (headline, body)
}

/// The cells of a date object in the file.
fn json_cells(cx: &Cx<'_>, what: &str, object: &Object<'_>) -> DateCells {
    FIELDS.map(|(key, ..)| {
        object.get(key).map(|raw| Cell {
            name: format!("{what}.{key}"),
            // A number serde cannot hold (1e400) is shown as written.
            value: serde_json::from_str(raw.get())
                .unwrap_or_else(|_| Value::String(raw.get().to_owned())),
            at: cx.raw_offset(raw),
        })
    })
}

/// Reads the `start_date` and `end_date` of a slide or era: the fields, the
/// objects as written, and the EDTF. `None` when broken (reported).
fn json_dates(
    cx: &mut Cx<'_>,
    item: &str,
    slide: &Object<'_>,
    at: usize,
) -> Option<((DateFields, Option<DateFields>), TimelineJsDates, String)> {
    let Some(start_raw) = slide.get("start_date") else {
        cx.error(
            at,
            item,
            "start_date is missing: TimelineJS needs one, with at least a year",
        );
        return None;
    };
    let start_at = cx.raw_offset(start_raw);
    let Some(start_obj) = object_of(start_raw) else {
        cx.error(
            start_at,
            item,
            "start_date must be an object ({\"year\": …, \"month\": …, \"day\": …})",
        );
        return None;
    };
    let start_cells = json_cells(cx, "start_date", &start_obj);
    let start = read_date(cx, item, "start_date", &start_cells);
    let (end_raw, end) = match slide.get("end_date") {
        None => (None, None),
        Some(raw) if value_of(raw).is_null() => (None, None),
        Some(raw) => match object_of(raw) {
            None => {
                cx.error(
                    cx.raw_offset(raw),
                    item,
                    "end_date must be an object ({\"year\": …, \"month\": …, \"day\": …})",
                );
                return None;
            }
            Some(obj) => {
                let cells = json_cells(cx, "end_date", &obj);
                (Some(raw), Some(read_date(cx, item, "end_date", &cells)))
            }
        },
    };
    let start = match start {
        DateRead::Fields(f) => f,
        DateRead::NoYear { .. } => {
            cx.error(
                start_at,
                item,
                "start_date has no year: TimelineJS needs at least a year",
            );
            return None;
        }
        DateRead::Broken => return None,
    };
    let end = match end {
        None => None,
        Some(DateRead::Fields(f)) => Some(f),
        Some(DateRead::NoYear { other }) => {
            if other && let Some(raw) = end_raw {
                cx.warn(
                    cx.raw_offset(raw),
                    item,
                    "end_date has no year: it is ignored, as TimelineJS does",
                );
            }
            None
        }
        Some(DateRead::Broken) => return None,
    };
    let edtf = match compose(&start, end.as_ref()) {
        Ok(edtf) => edtf,
        Err(ComposeError::Start(message)) => {
            cx.error(start_at, item, format!("start_date: {message}"));
            return None;
        }
        Err(ComposeError::End(message)) => {
            let at = end_raw.map_or(start_at, |r| cx.raw_offset(r));
            cx.error(at, item, format!("end_date: {message}"));
            return None;
        }
    };
    let dates = TimelineJsDates {
        start_date: value_of(start_raw),
        end_date: end_raw.map(|r| value_of(r)),
    };
    Some(((start, end), dates, edtf))
}

fn read_json_event(
    cx: &mut Cx<'_>,
    collected: &mut Collected,
    number: usize,
    raw: &RawValue,
    stripped: Option<(String, String)>,
) {
    let at = cx.raw_offset(raw);
    let Some(slide) = object_of(raw) else {
        cx.error(
            at,
            &format!("event {number}"),
            "an event must be a slide object ({\"start_date\": …, \"text\": …})",
        );
        return;
    };
    let (headline, text) =
        stripped.unwrap_or_else(|| slide_text(cx, &slide, &format!("event {number}")));
    let item = item_label("event", number, &headline);

    let mapline = slide.get("mapline").and_then(|m| {
        let m_at = cx.raw_offset(m);
        match serde_json::from_str::<MaplineEvent>(m.get()) {
            Ok(parsed) => Some((parsed, m_at, *m)),
            Err(e) => {
                let (err_at, message) = cx.json_error(m_at, &e);
                cx.error(err_at, &item, format!("mapline: {message}"));
                None
            }
        }
    });
    let mapline_raw = mapline.as_ref().map(|(_, _, r)| *r);
    let mapline = mapline.map(|(m, m_at, _)| (m, m_at));

    let dates = json_dates(cx, &item, &slide, at);
    let time = dates.as_ref().and_then(|(fields, _, edtf)| {
        settle_time(
            cx,
            &item,
            edtf.clone(),
            *fields,
            mapline.as_ref(),
            mapline_raw,
        )
    });

    let mut given_id = None;
    if let Some(raw) = slide.get("unique_id") {
        match value_of(raw) {
            Value::String(s) if !s.trim().is_empty() => {
                given_id = Some((s.trim().to_owned(), cx.raw_offset(raw)));
            }
            Value::Number(n) => given_id = Some((n.to_string(), cx.raw_offset(raw))),
            Value::Null | Value::String(_) => {}
            _ => cx.error(cx.raw_offset(raw), &item, "unique_id must be a string"),
        }
    }
    if let Some((m, m_at)) = &mapline
        && let Some(id) = m.id.as_deref().filter(|id| !id.trim().is_empty())
    {
        let id_at = mapline_raw
            .and_then(|r| r.get().find(&serde_json::to_string(id).unwrap_or_default()))
            .map_or(*m_at, |i| m_at + i);
        given_id = Some((id.to_owned(), id_at));
    }

    let media = slide.get("media").and_then(|raw| {
        let m_at = cx.raw_offset(raw);
        let Some(media) = object_of(raw) else {
            if !value_of(raw).is_null() {
                cx.error(
                    m_at,
                    &item,
                    "media must be an object ({\"url\": …, \"caption\": …, \"credit\": …})",
                );
            }
            return None;
        };
        if text_of(media.get("thumbnail")).is_some_and(|t| !t.trim().is_empty()) {
            collected.dropped(m_at, false);
        }
        let url = text_of(media.get("url")).and_then(|u| non_empty(&u));
        let caption = text_of(media.get("caption")).and_then(|c| non_empty(&strip_html(&c)));
        let credit = text_of(media.get("credit")).and_then(|c| non_empty(&strip_html(&c)));
        if url.is_none() && (caption.is_some() || credit.is_some()) {
            cx.warn(m_at, &item, "media has no url: it is not kept");
        }
        url.map(|url| MediaEntry {
            url,
            caption,
            credit,
        })
    });
    if let Some(raw) = slide.get("background")
        && !value_of(raw).is_null()
    {
        collected.dropped(cx.raw_offset(raw), true);
    }
    let group = text_of(slide.get("group")).and_then(|g| non_empty(&g));
    let display_date = text_of(slide.get("display_date")).and_then(|d| non_empty(&d));
    // The display date mapline's export computed is not the file's own.
    let display_date = match (&mapline, &time, display_date) {
        (Some(_), Some(t), Some(d))
            if FuzzyTime::parse(t)
                .ok()
                .and_then(|t| crate::io::export::timelinejs::computed_display_date(&t))
                .as_deref()
                == Some(d.as_str()) =>
        {
            None
        }
        (_, _, d) => d,
    };

    let (Some(time), Some((_, dates, _))) = (time, dates) else {
        return;
    };
    collected.events.push(Pending {
        number,
        at,
        item,
        given_id,
        headline,
        text,
        time,
        dates,
        media,
        group,
        display_date,
        event_type: None,
        mapline,
    });
}

fn read_json_era(cx: &mut Cx<'_>, collected: &mut Collected, number: usize, raw: &RawValue) {
    let at = cx.raw_offset(raw);
    let Some(slide) = object_of(raw) else {
        cx.error(
            at,
            &format!("era {number}"),
            "an era must be an object ({\"start_date\": …, \"end_date\": …, \"text\": …})",
        );
        return;
    };
    let (headline, text) = slide_text(cx, &slide, &format!("era {number}"));
    let item = item_label("era", number, &headline);
    let Some((fields, _, edtf)) = json_dates(cx, &item, &slide, at) else {
        return;
    };
    let mapline = slide.get("mapline").and_then(|m| {
        let m_at = cx.raw_offset(m);
        match serde_json::from_str::<MaplineEra>(m.get()) {
            Ok(era) => Some((
                MaplineEvent {
                    time: Some(era.time),
                    ..MaplineEvent::default()
                },
                m_at,
                *m,
            )),
            Err(e) => {
                let (err_at, message) = cx.json_error(m_at, &e);
                cx.error(err_at, &item, format!("mapline: {message}"));
                None
            }
        }
    });
    let mapline_raw = mapline.as_ref().map(|(_, _, r)| *r);
    let mapline = mapline.map(|(m, m_at, _)| (m, m_at));
    let Some(time) = settle_time(cx, &item, edtf, fields, mapline.as_ref(), mapline_raw) else {
        return;
    };
    collected.eras.push(EraEntry {
        title: if headline.is_empty() {
            format!("Era {number}")
        } else {
            headline
        },
        time,
        text: non_empty(&text),
    });
}

// ---------------------------------------------------------------------------
// CSV.

/// The columns of the TimelineJS spreadsheet template, lower-case.
mod col {
    pub(super) const YEAR: &str = "year";
    pub(super) const MONTH: &str = "month";
    pub(super) const DAY: &str = "day";
    pub(super) const TIME: &str = "time";
    pub(super) const END_YEAR: &str = "end year";
    pub(super) const END_MONTH: &str = "end month";
    pub(super) const END_DAY: &str = "end day";
    pub(super) const END_TIME: &str = "end time";
    pub(super) const DISPLAY_DATE: &str = "display date";
    pub(super) const HEADLINE: &str = "headline";
    pub(super) const TEXT: &str = "text";
    pub(super) const MEDIA: &str = "media";
    pub(super) const MEDIA_CREDIT: &str = "media credit";
    pub(super) const MEDIA_CAPTION: &str = "media caption";
    pub(super) const MEDIA_THUMBNAIL: &str = "media thumbnail";
    pub(super) const TYPE: &str = "type";
    pub(super) const GROUP: &str = "group";
    pub(super) const BACKGROUND: &str = "background";
}

/// One data row, its cells and where each stands in the file.
struct Row<'r> {
    record: &'r csv::StringRecord,
    columns: &'r HashMap<String, (usize, String)>,
    /// Byte offset of each field's content in the file.
    starts: Vec<usize>,
    /// Where the record ends.
    end: usize,
}

impl Row<'_> {
    /// The trimmed cell of a column; empty when the column or cell is missing.
    fn get(&self, column: &str) -> &str {
        self.columns
            .get(column)
            .and_then(|(i, _)| self.record.get(*i))
            .map_or("", str::trim)
    }

    /// Where a column's cell starts (the end of the row when it has none).
    fn at(&self, column: &str) -> usize {
        self.columns
            .get(column)
            .and_then(|(i, _)| self.starts.get(*i))
            .copied()
            .unwrap_or(self.end)
    }

    /// The header as the file writes it (`End Month`).
    fn name(&self, column: &str) -> String {
        self.columns
            .get(column)
            .map_or_else(|| column.to_owned(), |(_, n)| n.clone())
    }

    /// A cell as a date value, or `None` when it is empty.
    fn cell(&self, column: &str) -> Option<Cell> {
        let text = self.get(column);
        (!text.is_empty()).then(|| Cell {
            name: self.name(column),
            value: Value::String(text.to_owned()),
            at: self.at(column),
        })
    }
}

/// Imports the TimelineJS spreadsheet template saved as CSV.
///
/// # Errors
/// Every problem found (a missing Year or Headline column, a bad month,
/// day, time or year, …), each at the line and column of its cell.
pub fn import_csv(text: &str, label: &str) -> Result<Imported, DatasetErrors> {
    let body = text.strip_prefix('\u{feff}').unwrap_or(text);
    let base = text.len() - body.len();
    let mut cx = Cx::new(label, text);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(body.as_bytes());
    let mut records = reader.records();
    let csv_error = |cx: &Cx<'_>, e: &csv::Error| {
        let at = e.position().map_or(base, |p| base + p.byte() as usize);
        let at = skip_line_ends(text, at);
        Diagnostic::error(label, cx.lines.pos(at), "file", e.to_string())
    };
    let header = match records.next() {
        None => {
            return Err(one_error(
                label,
                TextPos::START,
                "the file is empty: a TimelineJS spreadsheet starts with a header row (Year, Month, Day, …, Headline, Text, …)",
            ));
        }
        Some(Err(e)) => return Err(DatasetErrors(vec![csv_error(&cx, &e)])),
        Some(Ok(h)) => h,
    };
    let mut columns: HashMap<String, (usize, String)> = HashMap::new();
    for (i, name) in header.iter().enumerate() {
        let name = name.trim().trim_start_matches('\u{feff}');
        columns
            .entry(name.to_ascii_lowercase())
            .or_insert((i, name.to_owned()));
    }
    let header_at = header.position().map_or(base, |p| base + p.byte() as usize);
    if super::csv_pos::duplicate_column(&mut cx, &header, header_at, |n| {
        n.trim().trim_start_matches('\u{feff}').to_ascii_lowercase()
    }) {
        return Err(DatasetErrors(cx.errors));
    }
    let missing: Vec<&str> = [("Year", col::YEAR), ("Headline", col::HEADLINE)]
        .into_iter()
        .filter(|(_, c)| !columns.contains_key(*c))
        .map(|(n, _)| n)
        .collect();
    if !missing.is_empty() {
        return Err(DatasetErrors(vec![Diagnostic::error(
            label,
            cx.lines.pos(header_at),
            "header",
            format!(
                "missing column(s) {}: the TimelineJS template has Year, Month, Day, Time, End Year, End Month, End Day, End Time, Display Date, Headline, Text, Media, Media Credit, Media Caption, Media Thumbnail, Type, Group, Background",
                missing.join(", ")
            ),
        )]));
    }
    let mut collected = Collected::default();
    let (mut events, mut eras, mut seen_title) = (0usize, 0usize, false);
    for result in records {
        let record = match result {
            Ok(r) => r,
            Err(e) => {
                let d = csv_error(&cx, &e);
                cx.errors.push(d);
                continue;
            }
        };
        if record.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        let start = record.position().map_or(base, |p| base + p.byte() as usize);
        let (starts, end) = field_starts(text, start);
        let row = Row {
            record: &record,
            columns: &columns,
            starts,
            end,
        };
        let kind = row.get(col::TYPE).to_ascii_lowercase();
        let headline = strip_html(row.get(col::HEADLINE));
        let body_text = strip_html(row.get(col::TEXT));
        if kind == "title" && !seen_title {
            seen_title = true;
            collected.title = non_empty(&headline);
            collected.description = non_empty(&body_text);
            continue;
        }
        if kind == "era" {
            eras += 1;
            let item = item_label("era", eras, &headline);
            if let Some((_, edtf)) = csv_dates(&mut cx, &item, &row) {
                collected.eras.push(EraEntry {
                    title: if headline.is_empty() {
                        format!("Era {eras}")
                    } else {
                        headline
                    },
                    time: edtf,
                    text: non_empty(&body_text),
                });
            }
            continue;
        }
        events += 1;
        let item = item_label("event", events, &headline);
        if kind == "title" {
            cx.warn(
                row.at(col::TYPE),
                &item,
                "a second title row: read as an event, as TimelineJS does",
            );
        }
        let dates = csv_dates(&mut cx, &item, &row);
        let media = non_empty(row.get(col::MEDIA)).map(|url| MediaEntry {
            url,
            caption: non_empty(&strip_html(row.get(col::MEDIA_CAPTION))),
            credit: non_empty(&strip_html(row.get(col::MEDIA_CREDIT))),
        });
        if !row.get(col::MEDIA_THUMBNAIL).is_empty() {
            collected.dropped(row.at(col::MEDIA_THUMBNAIL), false);
        }
        if !row.get(col::BACKGROUND).is_empty() {
            collected.dropped(row.at(col::BACKGROUND), true);
        }
        let event_type = match kind.as_str() {
            "" | "title" | "event" => None,
            _ => non_empty(row.get(col::TYPE)),
        };
        let Some((dates, time)) = dates else {
            continue;
        };
        collected.events.push(Pending {
            number: events,
            at: row.starts.first().copied().unwrap_or(row.end),
            item,
            given_id: None,
            headline,
            text: body_text,
            time,
            dates,
            media,
            group: non_empty(row.get(col::GROUP)),
            display_date: non_empty(row.get(col::DISPLAY_DATE)),
            event_type,
            mapline: None,
        });
    }
    finish(cx, label, collected)
}

/// The date object TimelineJS's spreadsheet reader builds from the cells:
/// year, month and day as the cells' text, the time as numbers.
fn csv_date_object(cells: &DateCells) -> Value {
    let mut map = serde_json::Map::new();
    for (cell, (key, ..)) in cells.iter().zip(FIELDS) {
        let Some(cell) = cell else { continue };
        let value = match &cell.value {
            Value::String(s) => Value::String(clean_integer(s)),
            other => other.clone(),
        };
        map.insert(key.to_owned(), value);
    }
    Value::Object(map)
}

/// The cells of one date of a row: its year, month, day and time columns.
/// A broken time is reported and left out (with `false`), so that the rest
/// of the date is still checked.
fn csv_cells(cx: &mut Cx<'_>, item: &str, row: &Row<'_>, columns: [&str; 4]) -> (DateCells, bool) {
    let [year, month, day, time] = columns;
    let mut cells: DateCells = [
        row.cell(year),
        row.cell(month),
        row.cell(day),
        None,
        None,
        None,
        None,
    ];
    let time_text = row.get(time);
    if !time_text.is_empty() {
        let Some(parts) = parse_time(time_text) else {
            cx.error(
                row.at(time),
                item,
                format!(
                    "{}: {time_text:?} is not a time of day (like 10:30, 10:30:15 or 10:30 PM)",
                    row.name(time)
                ),
            );
            return (cells, false);
        };
        for (slot, part) in cells.iter_mut().skip(3).zip(parts) {
            *slot = part.map(|v| Cell {
                name: row.name(time),
                value: Value::from(v),
                at: row.at(time),
            });
        }
    }
    (cells, true)
}

/// The start and end of a row: the date objects and the EDTF.
fn csv_dates(cx: &mut Cx<'_>, item: &str, row: &Row<'_>) -> Option<(TimelineJsDates, String)> {
    let start_cells = csv_cells(cx, item, row, [col::YEAR, col::MONTH, col::DAY, col::TIME]);
    let end_cells = csv_cells(
        cx,
        item,
        row,
        [col::END_YEAR, col::END_MONTH, col::END_DAY, col::END_TIME],
    );
    let ((start_cells, start_ok), (end_cells, end_ok)) = (start_cells, end_cells);
    let start = read_date(cx, item, "the start", &start_cells);
    let end = if end_cells[0].is_some() {
        Some(read_date(cx, item, "the end", &end_cells))
    } else {
        if let Some(cell) = end_cells.iter().flatten().next() {
            cx.warn(
                cell.at,
                item,
                format!(
                    "{} without an End Year is ignored, as TimelineJS does",
                    cell.name
                ),
            );
        }
        None
    };
    let start = match start {
        DateRead::Fields(f) => f,
        DateRead::NoYear { .. } => {
            cx.error(
                row.at(col::YEAR),
                item,
                format!("{} is empty: every event needs a year", row.name(col::YEAR)),
            );
            return None;
        }
        DateRead::Broken => return None,
    };
    let end = match end {
        None | Some(DateRead::NoYear { .. }) => None,
        Some(DateRead::Fields(f)) => Some(f),
        Some(DateRead::Broken) => return None,
    };
    if !(start_ok && end_ok) {
        return None;
    }
    let edtf = match compose(&start, end.as_ref()) {
        Ok(edtf) => edtf,
        Err(ComposeError::Start(message)) => {
            cx.error(row.at(col::YEAR), item, format!("start: {message}"));
            return None;
        }
        Err(ComposeError::End(message)) => {
            cx.error(row.at(col::END_YEAR), item, format!("end: {message}"));
            return None;
        }
    };
    let dates = TimelineJsDates {
        start_date: csv_date_object(&start_cells),
        end_date: end.map(|_| csv_date_object(&end_cells)),
    };
    Some((dates, edtf))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn fields(year: i32, month: Option<u32>, day: Option<u32>) -> DateFields {
        DateFields {
            year,
            month,
            day,
            ..DateFields::default()
        }
    }

    #[test]
    fn composes_edtf_to_the_given_precision() {
        assert_eq!(compose(&fields(2022, None, None), None).unwrap(), "2022");
        assert_eq!(
            compose(&fields(2022, Some(7), None), None).unwrap(),
            "2022-07"
        );
        assert_eq!(
            compose(&fields(2022, Some(7), Some(15)), None).unwrap(),
            "2022-07-15"
        );
        assert_eq!(compose(&fields(-500, None, None), None).unwrap(), "-0500");
        let mut timed = fields(2022, Some(7), Some(15));
        timed.hour = Some(10);
        timed.minute = Some(30);
        assert_eq!(compose(&timed, None).unwrap(), "2022-07-15T10:30:00");
        assert_eq!(
            compose(&timed, Some(&fields(2022, Some(9), None))).unwrap(),
            "2022-07-15/2022-09"
        );
        assert!(matches!(
            compose(&fields(2022, None, None), Some(&fields(2020, None, None))),
            Err(ComposeError::End(_))
        ));
    }

    #[test]
    fn reads_spreadsheet_times() {
        assert_eq!(parse_time("10:30"), Some([Some(10), Some(30), None, None]));
        assert_eq!(
            parse_time("10:30:15.25"),
            Some([Some(10), Some(30), Some(15), Some(250)])
        );
        assert_eq!(parse_time("1030"), Some([Some(10), Some(30), None, None]));
        assert_eq!(parse_time("2:05 PM"), Some([Some(14), Some(5), None, None]));
        assert_eq!(parse_time("12 a.m."), Some([Some(0), None, None, None]));
        assert_eq!(parse_time("25:00"), None);
        assert_eq!(parse_time("10:61"), None);
        assert_eq!(parse_time("noon"), None);
        assert_eq!(parse_time(""), None);
    }

    #[test]
    fn strips_html_to_text() {
        assert_eq!(
            strip_html("<p>Hello <b>world</b> &amp; <a href='x'>you</a></p><p>Two</p>"),
            "Hello world & you\n\nTwo"
        );
        assert_eq!(strip_html("  plain\n text "), "plain text");
        assert_eq!(slug("Ada Lovelace, née Byron!"), "ada-lovelace-née-byron");
        assert_eq!(short("one two three four", 9), "one two…");
    }
}
