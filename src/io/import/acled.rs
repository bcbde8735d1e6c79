//! ACLED-style event CSV: one row per event, with the columns of an ACLED
//! export (`event_id_cnty`, `event_date`, `time_precision`, `event_type`,
//! `sub_event_type`, `actor1`, `actor2`, `country`, `location`, `latitude`,
//! `longitude`, `geo_precision`, `source`, `notes`, `fatalities`, …).
//!
//! Header names are matched case-insensitively and in any order; only
//! `event_date`, `latitude` and `longitude` are required (rows without an
//! `event_id_cnty` get `row-N` ids). Every problem is reported at the line and
//! column of its cell, with the item `row N (event_id_cnty X)`; a broken row is
//! skipped and the rest still checked.
//!
//! - `time_precision` 1 is the day; 2 ("within a week of it") becomes the
//!   interval of that day ± 7 days; 3 ("within its month") becomes the month.
//!   Both say so in the event's `time_note`.
//! - Places are de-duplicated by (location name, coordinates); their kind and
//!   precision follow `geo_precision`.
//! - `actor1`, `actor2` and the associated actors become actors, de-duplicated
//!   by name; state forces (`inter` 1, or "Military/Police Forces of …") are
//!   government bodies, everyone else a group.
//! - `notes` (with `Fatalities: N` and the tags after it) is the event's text,
//!   `event_type / sub_event_type` its type, `source` its attribution and
//!   `disorder_type` its group.

use std::collections::HashSet;
use std::path::Path;

use chrono::{Datelike as _, NaiveDate, TimeDelta};
use csv::StringRecord;
use rustc_hash::FxHashMap;

use super::csv_pos::skip_line_ends;
use super::{Imported, empty_manifest, one_error};
use crate::io::diagnostic::{DatasetErrors, Diagnostic, TextPos};
use crate::io::format::{ActorEntry, EventEntry, EventPlaceEntry, PlaceEntry};
use crate::model::time::MONTHS;
use crate::model::{ActorKind, Category, FuzzyTime, LocationPrecision, PlaceKind, PlaceRole};

/// Columns an ACLED CSV must have.
const REQUIRED: [&str; 3] = ["event_date", "latitude", "longitude"];

/// Imports an ACLED-style CSV.
///
/// # Errors
/// Every problem found (a missing column, a row with the wrong number of
/// fields, a bad date, coordinate or `time_precision`, a duplicate event id),
/// each at the line and column of its cell.
pub fn import(text: &str, label: &str) -> Result<Imported, DatasetErrors> {
    let body = text.strip_prefix('\u{feff}').unwrap_or(text);
    let base = text.len() - body.len();
    let mut cx = Cx::new(label, text);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(body.as_bytes());
    let mut header = StringRecord::new();
    match reader.read_record(&mut header) {
        Ok(false) => {
            return Err(one_error(
                label,
                TextPos::START,
                "the file is empty: an ACLED CSV starts with a header row (event_id_cnty, event_date, …, latitude, longitude, …)",
            ));
        }
        Err(e) => return Err(DatasetErrors(vec![cx.csv_error(base, &e)])),
        Ok(true) => {}
    }
    let mut columns: FxHashMap<String, usize> = FxHashMap::default();
    for (i, name) in header.iter().enumerate() {
        columns.entry(name.trim().to_ascii_lowercase()).or_insert(i);
    }
    let header_at = header.position().map_or(base, |p| base + p.byte() as usize);
    if super::csv_pos::duplicate_column(&mut cx, &header, header_at, |n| {
        n.trim().trim_start_matches('\u{feff}').to_ascii_lowercase()
    }) {
        return Err(DatasetErrors(cx.errors));
    }
    let missing: Vec<&str> = REQUIRED
        .iter()
        .copied()
        .filter(|c| !columns.contains_key(*c))
        .collect();
    if !missing.is_empty() {
        return Err(DatasetErrors(vec![Diagnostic::error(
            label,
            cx.lines.pos(header_at),
            "header",
            format!(
                "missing column(s) {}: an ACLED CSV needs event_date, latitude and longitude",
                missing.join(", ")
            ),
        )]));
    }
    let has_ids = columns.contains_key("event_id_cnty");
    let mut state = State::default();
    // One record and one list of cell positions, reused for every row.
    let mut record = StringRecord::new();
    let mut starts = Vec::new();
    let mut row_number = 0;
    loop {
        row_number += 1;
        match reader.read_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => {
                let d = cx.csv_error(base, &e);
                cx.errors.push(d);
                continue;
            }
        }
        if record.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        let start = record.position().map_or(base, |p| base + p.byte() as usize);
        let end = super::csv_pos::field_starts_into(text, start, &mut starts);
        let row = Row {
            number: row_number,
            record: &record,
            columns: &columns,
            starts: &starts,
            end,
        };
        read_row(&mut cx, &mut state, &row, header.len(), has_ids);
    }
    if !cx.errors.is_empty() {
        return Err(DatasetErrors(cx.errors));
    }
    if state.events.is_empty() {
        cx.warnings.push(Diagnostic::warning(
            label,
            cx.lines.pos(header_at),
            "dataset",
            "the file has a header but no event rows",
        ));
    }
    let name = file_name(label);
    let mut manifest = empty_manifest(format!("{name} (ACLED)"));
    manifest.description = format!(
        "Imported from the ACLED-style CSV {name}: {} event(s) at {} place(s).",
        state.events.len(),
        state.places.len()
    );
    manifest.places = state.places;
    manifest.actors = state.actors;
    manifest.events = state.events;
    let offsets = std::mem::take(&mut state.offsets);
    Ok(Imported {
        manifest,
        offsets,
        warnings: cx.warnings,
    })
}

/// The file name of a label that is a path (the label itself otherwise).
fn file_name(label: &str) -> String {
    Path::new(label)
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or(label)
        .to_owned()
}

type Cx<'t> = super::Found<'t>;

impl Cx<'_> {
    /// A CSV reader error, at the record it happened in.
    fn csv_error(&self, base: usize, e: &csv::Error) -> Diagnostic {
        let at = e.position().map_or(base, |p| base + p.byte() as usize);
        let at = skip_line_ends(self.text, at);
        Diagnostic::error(self.label, self.lines.pos(at), "file", e.to_string())
    }
}

/// What the rows made so far.
#[derive(Default)]
struct State {
    events: Vec<EventEntry>,
    places: Vec<PlaceEntry>,
    actors: Vec<ActorEntry>,
    /// Event id → the line it was first seen on.
    event_ids: FxHashMap<String, usize>,
    /// (name, lat bits, lon bits) → place id.
    place_keys: FxHashMap<(String, u64, u64), String>,
    place_ids: UniqueIds,
    /// Actor name → actor id.
    actor_names: FxHashMap<String, String>,
    actor_ids: UniqueIds,
    /// Where each entry was first seen.
    offsets: crate::io::native::EntryOffsets,
}

/// One data row, its cells and where each stands in the file.
struct Row<'r> {
    /// 1-based, not counting the header.
    number: usize,
    record: &'r StringRecord,
    columns: &'r FxHashMap<String, usize>,
    /// Byte offset of each field's content in the file.
    starts: &'r [usize],
    /// Byte offset where the record ends.
    end: usize,
}

impl Row<'_> {
    /// The trimmed cell of a column; empty when the column or cell is missing.
    fn get(&self, column: &str) -> &str {
        self.columns
            .get(column)
            .and_then(|&i| self.record.get(i))
            .map_or("", str::trim)
    }

    /// Where a column's cell starts (the end of the row when it has none).
    fn at(&self, column: &str) -> usize {
        self.columns
            .get(column)
            .and_then(|&i| self.starts.get(i))
            .copied()
            .unwrap_or(self.end)
    }

    /// Where the row starts.
    fn start(&self) -> usize {
        self.starts.first().copied().unwrap_or(self.end)
    }
}

/// Reads one row into `state`, reporting its problems.
fn read_row(cx: &mut Cx<'_>, state: &mut State, row: &Row<'_>, width: usize, has_ids: bool) {
    let given_id = row.get("event_id_cnty");
    let item = if given_id.is_empty() {
        format!("row {}", row.number)
    } else {
        format!("row {} (event_id_cnty {given_id})", row.number)
    };
    let len = row.record.len();
    if len != width {
        let (at, what) = if let Some(open) = unclosed_quote(cx.text, row) {
            (
                open,
                "the quote that opens this field is never closed, so the field runs to the end of the file (is the file cut short, or a closing quote missing?)",
            )
        } else if len < width {
            (
                row.end,
                "a field is missing (or a line break in a field is not quoted)",
            )
        } else {
            (
                row.starts.get(width).copied().unwrap_or(row.end),
                "a comma inside a field is probably not quoted",
            )
        };
        cx.error(
            at,
            &item,
            format!("the row has {len} field(s) but the header has {width}: {what}"),
        );
        return;
    }
    let errors_before = cx.errors.len();
    let id = if given_id.is_empty() {
        if has_ids {
            cx.warn(
                row.at("event_id_cnty"),
                &item,
                format!(
                    "event_id_cnty is empty; the event is called row-{}",
                    row.number
                ),
            );
        }
        format!("row-{}", row.number)
    } else {
        given_id.to_owned()
    };
    let line = cx.lines.pos(row.start()).line;
    if let Some(&first) = state.event_ids.get(&id) {
        cx.error(
            row.at("event_id_cnty"),
            &item,
            format!("duplicate event id {id:?} (first on line {first})"),
        );
    } else {
        state.event_ids.insert(id.clone(), line);
    }
    let time = read_time(cx, row, &item);
    let lat = read_coordinate(cx, row, &item, "latitude", 90.0);
    let lon = read_coordinate(cx, row, &item, "longitude", 180.0);
    let (kind, precision) = read_geo_precision(cx, row, &item);
    let fatalities = row.get("fatalities");
    if !fatalities.is_empty() && fatalities.parse::<u64>().is_err() {
        let message = if fatalities.parse::<i64>().is_ok() {
            format!(
                "fatalities {fatalities:?} is negative: a count of deaths is 0 or more; it is kept as written"
            )
        } else {
            format!(
                "fatalities {fatalities:?} is not a whole number (a count of deaths: 0, 1, 2, …); it is kept as written"
            )
        };
        cx.warn(row.at("fatalities"), &item, message);
    }
    let (Some((time, time_note)), Some(lat), Some(lon)) = (time, lat, lon) else {
        return;
    };
    if cx.errors.len() > errors_before {
        return;
    }
    let (place, location) = place_for(cx, state, row, &item, (lon, lat), (kind, precision));
    let actors = actors_for(state, row);
    state.offsets.events.push(row.start());
    state.events.push(EventEntry {
        id,
        title: title(row.get("event_type"), row.get("sub_event_type"), &location),
        time,
        time_note,
        category: category(row.get("event_type")),
        places: vec![EventPlaceEntry {
            place,
            role: PlaceRole::Location,
        }],
        actors,
        excerpts: Vec::new(),
        text: event_text(row),
        links: Vec::new(),
        media: None,
        group: non_empty(row.get("disorder_type")),
        display_date: None,
        event_type: event_type(row),
        attribution: non_empty(row.get("source")),
        timelinejs: None,
    });
}

/// The EDTF time and its note, from `event_date` and `time_precision`.
fn read_time(cx: &mut Cx<'_>, row: &Row<'_>, item: &str) -> Option<(String, Option<String>)> {
    let raw = row.get("event_date");
    let date = if raw.is_empty() {
        cx.error(row.at("event_date"), item, "event_date is empty");
        None
    } else {
        let parsed = parse_date(raw);
        if parsed.is_none() {
            let message = match impossible_day(raw) {
                Some(why) => format!("event_date {raw:?} is not a day: {why}"),
                None => format!(
                    "event_date {raw:?} is not a date: expected 2022-07-15, 15 July 2022, 15-July-2022 or 15 Jul 2022"
                ),
            };
            cx.error(row.at("event_date"), item, message);
        }
        parsed
    };
    let precision = row.get("time_precision");
    let level = match precision {
        "" | "1" => Some(1),
        "2" => Some(2),
        "3" => Some(3),
        other => {
            cx.error(
                row.at("time_precision"),
                item,
                format!(
                    "time_precision {other:?} is not 1, 2 or 3 (1: the day; 2: within a week of it; 3: within its month)"
                ),
            );
            None
        }
    };
    let year = row.get("year");
    if let (Some(d), Ok(y)) = (date, year.parse::<i32>())
        && y != d.year()
    {
        cx.warn(
            row.at("year"),
            item,
            format!("year {y} disagrees with event_date {raw:?}; the date is used"),
        );
    }
    let (date, level) = (date?, level?);
    let iso = |d: NaiveDate| d.format("%Y-%m-%d").to_string();
    let (edtf, note) = match level {
        2 => {
            let week = TimeDelta::days(7);
            let from = date.checked_sub_signed(week).unwrap_or(date);
            let to = date.checked_add_signed(week).unwrap_or(date);
            (
                format!("{}/{}", iso(from), iso(to)),
                Some(format!(
                    "ACLED time_precision 2: within a week of {}",
                    iso(date)
                )),
            )
        }
        3 => (
            date.format("%Y-%m").to_string(),
            Some(format!(
                "ACLED time_precision 3: within the month of {}",
                iso(date)
            )),
        ),
        _ => (iso(date), None),
    };
    match FuzzyTime::parse(&edtf) {
        Ok(_) => Some((edtf, note)),
        Err(e) => {
            cx.error(
                row.at("event_date"),
                item,
                format!("event_date {raw:?} gives the time {edtf:?}: {}", e.message),
            );
            None
        }
    }
}

/// A date as ACLED writes it: `2022-07-15`, `15 July 2022`, `15-July-2022`,
/// `15 Jul 2022`, `15-Jul-2022` or `15/Jul/2022`.
fn parse_date(raw: &str) -> Option<NaiveDate> {
    let s = raw.trim();
    let ymd = |y: &str, m: u32, d: &str| -> Option<NaiveDate> {
        let year: i32 = y.parse().ok()?;
        if y.len() != 4 || !(1..=9999).contains(&year) {
            return None;
        }
        NaiveDate::from_ymd_opt(year, m, d.parse().ok()?)
    };
    let parts: Vec<&str> = s.split(['-', ' ', '/']).filter(|p| !p.is_empty()).collect();
    match parts.as_slice() {
        [y, m, d] if y.len() == 4 && m.chars().all(|c| c.is_ascii_digit()) => {
            ymd(y, m.parse().ok()?, d)
        }
        [d, m, y] => ymd(y, month(m)?, d),
        _ => None,
    }
}

/// Why a date in one of [`parse_date`]'s forms names no real day
/// ("February 2022 has 28 days"), or `None` if it is not in those forms.
fn impossible_day(raw: &str) -> Option<String> {
    let parts: Vec<&str> = raw
        .trim()
        .split(['-', ' ', '/'])
        .filter(|p| !p.is_empty())
        .collect();
    let (y, m, d) = match parts.as_slice() {
        [y, m, d] if y.len() == 4 && m.chars().all(|c| c.is_ascii_digit()) => (
            y.parse::<i32>().ok()?,
            m.parse::<u32>().ok()?,
            d.parse::<u32>().ok()?,
        ),
        [d, m, y] if y.len() == 4 => (y.parse().ok()?, month(m)?, d.parse().ok()?),
        _ => return None,
    };
    if !(1..=9999).contains(&y) || !(1..=12).contains(&m) {
        return None;
    }
    let first = NaiveDate::from_ymd_opt(y, m, 1)?;
    let days = first
        .checked_add_months(chrono::Months::new(1))?
        .signed_duration_since(first)
        .num_days();
    if d == 0 || i64::from(d) > days {
        let name = MONTHS.get(m as usize - 1).copied().unwrap_or_default();
        let leap = if m == 2 && days == 28 {
            format!(" ({y} is not a leap year)")
        } else {
            String::new()
        };
        return Some(format!("{name} {y} has {days} days{leap}"));
    }
    None
}

/// A month's number from its English name or three-letter abbreviation.
fn month(word: &str) -> Option<u32> {
    let w = word.trim_end_matches('.').to_lowercase();
    MONTHS
        .iter()
        .position(|m| {
            let prefix = m.get(..w.len()).is_some_and(|p| p.eq_ignore_ascii_case(&w));
            (prefix && m.len() == w.len())
                || (w.len() >= 3 && prefix && (w.len() == 3 || w == "sept"))
        })
        .map(|i| i as u32 + 1)
}

/// A coordinate from its cell, finite and within ±`limit`.
fn read_coordinate(
    cx: &mut Cx<'_>,
    row: &Row<'_>,
    item: &str,
    column: &str,
    limit: f64,
) -> Option<f64> {
    let raw = row.get(column);
    let at = row.at(column);
    if raw.is_empty() {
        cx.error(at, item, format!("{column} is empty"));
        return None;
    }
    match raw.parse::<f64>() {
        Ok(v) if v.is_finite() && (-limit..=limit).contains(&v) => Some(v),
        Ok(v) if v.is_finite() => {
            cx.error(
                at,
                item,
                format!("{column} {raw} is outside -{limit}..{limit}"),
            );
            None
        }
        _ => {
            cx.error(
                at,
                item,
                format!("{column} {raw:?} is not a number (expected decimal degrees)"),
            );
            None
        }
    }
}

/// Kind and precision of the place from `geo_precision`.
fn read_geo_precision(
    cx: &mut Cx<'_>,
    row: &Row<'_>,
    item: &str,
) -> (PlaceKind, LocationPrecision) {
    match row.get("geo_precision") {
        "" | "1" => (PlaceKind::City, LocationPrecision::City),
        "2" => (PlaceKind::City, LocationPrecision::Locality),
        "3" => (PlaceKind::Region, LocationPrecision::Region),
        other => {
            cx.warn(
                row.at("geo_precision"),
                item,
                format!("geo_precision {other:?} is not 1, 2 or 3; the place is taken as a town"),
            );
            (PlaceKind::City, LocationPrecision::City)
        }
    }
}

/// The id and name of the row's place, made on first sight of (name, coordinates).
fn place_for(
    cx: &mut Cx<'_>,
    state: &mut State,
    row: &Row<'_>,
    item: &str,
    (lon, lat): (f64, f64),
    (kind, precision): (PlaceKind, LocationPrecision),
) -> (String, String) {
    let name = ["location", "admin3", "admin2", "admin1", "country"]
        .iter()
        .map(|c| row.get(c))
        .find(|v| !v.is_empty())
        .map_or_else(
            || {
                cx.warn(
                    row.at("location"),
                    item,
                    "the row names no location (nor admin area or country); the place is called \"Unnamed location\"",
                );
                "Unnamed location".to_owned()
            },
            str::to_owned,
        );
    // -0.0 and 0.0 are the same coordinate.
    let key = (name.clone(), (lat + 0.0).to_bits(), (lon + 0.0).to_bits());
    if let Some(id) = state.place_keys.get(&key) {
        return (id.clone(), name);
    }
    let id = state.place_ids.fresh(&slug(&name, "place"));
    let admin: Vec<&str> = ["admin1", "admin2", "admin3"]
        .iter()
        .map(|c| row.get(c))
        .filter(|v| !v.is_empty())
        .collect();
    state.offsets.places.push(row.start());
    state.places.push(PlaceEntry {
        id: id.clone(),
        name: name.clone(),
        aliases: Vec::new(),
        lon,
        lat,
        kind,
        precision,
        country: non_empty(row.get("country")),
        note: (!admin.is_empty()).then(|| format!("ACLED admin areas: {}", admin.join(" / "))),
    });
    state.place_keys.insert(key, id.clone());
    (id, name)
}

/// The ids of the row's actors (actor1, its associates, actor2, its
/// associates), making each on first sight of its name.
fn actors_for(state: &mut State, row: &Row<'_>) -> Vec<String> {
    let mut ids: Vec<String> = Vec::new();
    for (actor, inter, assoc) in [
        ("actor1", "inter1", "assoc_actor_1"),
        ("actor2", "inter2", "assoc_actor_2"),
    ] {
        let names = std::iter::once((row.get(actor), row.get(inter)))
            .chain(row.get(assoc).split(';').map(str::trim).map(|n| (n, "")));
        for (name, inter) in names.filter(|(n, _)| !n.is_empty()) {
            let id = if let Some(id) = state.actor_names.get(name) {
                id.clone()
            } else {
                let id = state.actor_ids.fresh(&slug(name, "actor"));
                let inter_name = inter_label(inter);
                state.offsets.actors.push(row.start());
                state.actors.push(ActorEntry {
                    id: id.clone(),
                    name: name.to_owned(),
                    short: None,
                    kind: actor_kind(name, inter_name),
                    aliases: Vec::new(),
                    note: inter_name.map(|t| format!("ACLED actor type: {t}")),
                });
                state.actor_names.insert(name.to_owned(), id.clone());
                id
            };
            if !ids.contains(&id) {
                ids.push(id);
            }
        }
    }
    ids
}

/// ACLED's actor type for an `inter` code (old numeric or new worded form).
fn inter_label(inter: &str) -> Option<&'static str> {
    const TYPES: [&str; 8] = [
        "State forces",
        "Rebel group",
        "Political militia",
        "Identity militia",
        "Rioters",
        "Protesters",
        "Civilians",
        "External/Other forces",
    ];
    let inter = inter.trim();
    if let Ok(code) = inter.parse::<usize>() {
        return code.checked_sub(1).and_then(|i| TYPES.get(i)).copied();
    }
    let lower = inter.to_lowercase();
    TYPES
        .iter()
        .find(|t| {
            let t = t.to_lowercase();
            lower == t || lower.trim_end_matches('s') == t.trim_end_matches('s')
        })
        .copied()
}

/// State forces are government bodies; everyone else is a group.
fn actor_kind(name: &str, inter: Option<&str>) -> ActorKind {
    let lower = name.to_lowercase();
    let state_force = inter == Some("State forces")
        || ["military forces of", "police forces of", "government of"]
            .iter()
            .any(|p| lower.starts_with(p));
    if state_force {
        ActorKind::GovernmentBody
    } else {
        ActorKind::Group
    }
}

/// "Protests: Peaceful protest in Tirana".
fn title(event_type: &str, sub_event_type: &str, location: &str) -> String {
    let what = match (event_type, sub_event_type) {
        ("", "") => "Event".to_owned(),
        (t, "") | ("", t) => t.to_owned(),
        (t, s) => format!("{t}: {s}"),
    };
    if location.is_empty() {
        what
    } else {
        format!("{what} in {location}")
    }
}

/// The category of an ACLED event type.
fn category(event_type: &str) -> Category {
    match event_type.trim().to_lowercase().as_str() {
        "battles" | "explosions/remote violence" => Category::Military,
        "violence against civilians" | "riots" => Category::Violence,
        "protests" | "strategic developments" => Category::Political,
        _ => Category::Other,
    }
}

/// `event_type / sub_event_type`, and whether civilians were targeted.
fn event_type(row: &Row<'_>) -> Option<String> {
    let words: Vec<&str> = [row.get("event_type"), row.get("sub_event_type")]
        .into_iter()
        .filter(|w| !w.is_empty())
        .collect();
    if words.is_empty() {
        return None;
    }
    let mut out = words.join(" / ");
    if !row.get("civilian_targeting").is_empty() {
        out.push_str(" (civilian targeting)");
    }
    Some(out)
}

/// The notes, then `Fatalities: N` and the tags, each in its own paragraph.
fn event_text(row: &Row<'_>) -> Option<String> {
    let mut parts: Vec<String> = Vec::new();
    if !row.get("notes").is_empty() {
        parts.push(row.get("notes").to_owned());
    }
    if !row.get("fatalities").is_empty() {
        parts.push(format!("Fatalities: {}", row.get("fatalities")));
    }
    if !row.get("tags").is_empty() {
        parts.push(format!("Tags: {}", row.get("tags")));
    }
    (!parts.is_empty()).then(|| parts.join("\n\n"))
}

fn non_empty(s: &str) -> Option<String> {
    (!s.is_empty()).then(|| s.to_owned())
}

/// Where the row's last field opens a quote that is never closed (the field
/// then runs to the end of the file), if it does.
fn unclosed_quote(text: &str, row: &Row<'_>) -> Option<usize> {
    let last = *row.starts.last()?;
    let open = last.checked_sub(1)?;
    if row.end < text.len() || text.as_bytes().get(open) != Some(&b'"') {
        return None;
    }
    // Inside a quoted field quotes come in pairs; a closed one adds one more.
    let quotes = text.get(last..)?.bytes().filter(|&b| b == b'"').count();
    (quotes % 2 == 0).then_some(open)
}

/// A lower-case id made of the letters and digits of `name`, joined by `-`.
pub(super) fn slug(name: &str, fallback: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for c in name.chars() {
        if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    let trimmed = out.trim_end_matches('-');
    if trimmed.is_empty() {
        fallback.to_owned()
    } else {
        trimmed.to_owned()
    }
}

/// Hands out ids that were not handed out before (`tirana`, `tirana-2`, …).
#[derive(Debug, Default)]
pub(super) struct UniqueIds {
    used: HashSet<String>,
}

impl UniqueIds {
    /// Marks `id` as taken; false when it already was.
    pub(super) fn take(&mut self, id: &str) -> bool {
        self.used.insert(id.to_owned())
    }

    /// `base`, or `base-2`, `base-3`, … whichever is free first; now taken.
    pub(super) fn fresh(&mut self, base: &str) -> String {
        if self.take(base) {
            return base.to_owned();
        }
        let mut n = 2usize;
        loop {
            let id = format!("{base}-{n}");
            if self.take(&id) {
                return id;
            }
            n += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_in_every_documented_form() {
        let d = NaiveDate::from_ymd_opt(2022, 7, 15);
        for s in [
            "2022-07-15",
            "15 July 2022",
            "15-July-2022",
            "15 Jul 2022",
            "15-Jul-2022",
            "15/jul/2022",
        ] {
            assert_eq!(parse_date(s), d, "{s}");
        }
        for s in [
            "2022-02-30",
            "32 July 2022",
            "July 15 2022",
            "15 Juli 2022",
            "15-07-22",
            "",
        ] {
            assert_eq!(parse_date(s), None, "{s}");
        }
    }

    #[test]
    fn field_starts_skip_quotes() {
        let text = "a,\"b, \"\"c\"\"\",d\nx";
        let (starts, end) = super::super::csv_pos::field_starts(text, 0);
        assert_eq!(starts, vec![0, 3, 13]);
        assert_eq!(end, 14);
    }

    #[test]
    fn slugs_and_unique_ids() {
        assert_eq!(slug("Tirana - Qendër", "place"), "tirana-qendër");
        assert_eq!(slug("!!", "place"), "place");
        let mut ids = UniqueIds::default();
        assert_eq!(ids.fresh("a"), "a");
        assert_eq!(ids.fresh("a"), "a-2");
        assert!(!ids.take("a-2"));
    }
}
