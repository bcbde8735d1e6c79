//! TimelineJS dates: the `start_date` / `end_date` objects and the
//! spreadsheet's date cells read to the precision they give, and EDTF
//! written back as those objects. Shared by the readers and the writer.

use std::fmt::Write as _;

use serde_json::Value;

use crate::model::time::{DatePrecision, MAX_YEARS, MONTHS, Precision};
use crate::model::{Day, TimeBounds, TimeRef};

use crate::io::imported::Found as Cx;

pub(crate) use super::clock::parse_time;

// ---------------------------------------------------------------------------
// Dates.

/// A TimelineJS date object as numbers (only what it gives).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct DateFields {
    /// The year, astronomical as in EDTF (0 is 1 BCE, -499 is 500 BCE);
    /// TimelineJS's own numbering is met in [`astronomical_year`] and
    /// [`timelinejs_year`] only.
    pub(crate) year: i64,
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
pub(crate) const FIELDS: [(&str, &str, i64, i64); 7] = [
    ("year", "a year", -MAX_YEARS, MAX_YEARS),
    ("month", "a month (1–12)", 1, 12),
    ("day", "a day of the month (1–31)", 1, 31),
    ("hour", "an hour (0–23)", 0, 23),
    ("minute", "a minute (0–59)", 0, 59),
    ("second", "a second (0–59)", 0, 59),
    ("millisecond", "a millisecond (0–999)", 0, 999),
];

/// One value of a date, with the name to show it under and where it stands.
#[derive(Clone, Debug)]
pub(crate) struct Cell {
    pub(crate) name: std::borrow::Cow<'static, str>,
    pub(crate) value: Value,
    pub(crate) at: usize,
}

impl Cell {
    /// The value as written (JSON: `"abc"`, `13`).
    pub(crate) fn shown(&self) -> String {
        serde_json::to_string(&self.value).unwrap_or_default()
    }
}

/// The cells of one date, in [`FIELDS`] order.
pub(crate) type DateCells = [Option<Cell>; 7];

/// What reading a date object gave.
pub(crate) enum DateRead {
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
pub(crate) fn whole_number(v: &Value) -> Result<Option<i64>, bool> {
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
pub(crate) fn clean_integer(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace() && *c != ',')
        .collect()
}

pub(crate) fn beyond_years(cell: &Cell) -> String {
    format!(
        "{}: {} is beyond the years mapline holds (a trillion years either way)",
        cell.name,
        cell.shown(),
    )
}

/// Reads one date's cells, reporting each problem at its cell.
pub(crate) fn read_date(cx: &mut Cx<'_>, item: &str, what: &str, cells: &DateCells) -> DateRead {
    let mut values: [Option<i64>; 7] = [None; 7];
    let mut broken = false;
    for ((slot, cell), (key, noun, lo, hi)) in values.iter_mut().zip(cells).zip(FIELDS) {
        let Some(cell) = cell else { continue };
        match whole_number(&cell.value) {
            // The year as mapline counts it (see `astronomical_year`).
            Ok(v) if key == "year" => *slot = v.map(astronomical_year),
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
    let [
        year_cell,
        _,
        day_cell,
        hour_cell,
        minute_cell,
        second_cell,
        ms_cell,
    ] = cells;
    if let Some(cell) = year_cell
        && whole_number(&cell.value) == Ok(Some(0))
    {
        cx.warn(
            cell.at,
            item,
            format!(
                "{}: 0 is no year in TimelineJS (1 BCE is -1, 1 CE is 1); read as 1 BCE",
                cell.name
            ),
        );
    }
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
                        "{}: {} is not a day of {month_name} {}",
                        cell.name,
                        cell.shown(),
                        year_words(year)
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
    // EDTF writes a year beyond ±9999 alone (`Y12000`): a month or day given
    // with one is said to be dropped, never silently.
    let (month, day) = if (-9999..=9999).contains(&year) {
        (month, day)
    } else {
        if let Some(cell) = [&cells[1], &cells[2]].into_iter().flatten().next()
            && month.is_some()
        {
            cx.warn(
                cell.at,
                item,
                format!(
                    "{what}: year {year} is beyond ±9999, which EDTF writes as a year alone (Y{year}); its month and day are dropped"
                ),
            );
        }
        (None, None)
    };
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

// ---------------------------------------------------------------------------
// Years: the one place where TimelineJS's numbering meets EDTF's.
//
// TimelineJS (versions 2 and 3 alike) shows a year -500 as "500 BCE": it
// counts no year 0, so its -1 is 1 BCE. EDTF, like mapline, counts
// astronomically: 0 is 1 BCE, -499 is 500 BCE. Every year read from a
// TimelineJS file goes through `astronomical_year`, every year written to one
// through `timelinejs_year`, and `year_text` writes the EDTF; nothing else
// converts a year.

/// How far back `TimelineJS3` counts years on its calendar (JavaScript's
/// `Date` reaches 271,821 BCE); before that it draws its cosmological
/// scale, where a year is a plain number of years ago ("13.8 billion years
/// ago" is `-13800000000`) and there is no calendar to lack a year 0. So
/// the shift below applies on the calendar only, and deep years are read
/// and written as they stand. (One year, astronomical -271,821, has no
/// TimelineJS spelling: the `mapline` block of the export carries it.)
pub(crate) const CALENDAR_YEARS: i64 = 271_821;

/// The astronomical year (EDTF's, mapline's) of a year as TimelineJS writes
/// it: on the calendar, a year y ≤ -1 is y + 1 (`-500`, 500 BCE, is
/// `-499`); the rest stay (deep years, see [`CALENDAR_YEARS`]).
/// TimelineJS has no year 0: read as 1 BCE (astronomical 0), as -1 is.
pub(crate) const fn astronomical_year(timelinejs: i64) -> i64 {
    if timelinejs < 0 && timelinejs >= -CALENDAR_YEARS {
        timelinejs + 1
    } else {
        timelinejs
    }
}

/// The year TimelineJS writes for an astronomical year: on the calendar, a
/// year a ≤ 0 is a - 1 (0, 1 BCE, is `-1`; -499 is `-500`); the rest stay.
pub(crate) const fn timelinejs_year(astronomical: i64) -> i64 {
    if astronomical <= 0 && astronomical > -CALENDAR_YEARS {
        astronomical.saturating_sub(1)
    } else {
        astronomical
    }
}

/// An astronomical year as people read it in a message: `2022`, `500 BCE`,
/// `66 million years ago`.
pub(crate) use crate::model::time::year_words;

/// An astronomical year as EDTF: four digits, a minus sign before years
/// before 1 BCE (`-0499` is 500 BCE); beyond ±9999, EDTF's long-year form
/// (`Y-13800000000`).
pub(crate) fn year_text(year: i64) -> String {
    if !(-9999..=9999).contains(&year) {
        format!("Y{year}")
    } else if year < 0 {
        format!("-{:04}", year.unsigned_abs())
    } else {
        format!("{year:04}")
    }
}

/// The EDTF of one date, to its precision; with the time of day when it has
/// one and `with_time`.
pub(crate) fn date_text(f: &DateFields, with_time: bool) -> String {
    let mut s = year_text(f.year);
    // EDTF's long years take no month or day (ISO 8601-2 §4.7.2).
    if let Some(m) = f.month.filter(|_| (-9999..=9999).contains(&f.year)) {
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

/// An EDTF time and what it means: [`TimeBounds::parse`] of the text, as
/// the reader found it.
pub(crate) type Timed = (String, TimeBounds);

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
    compose_time(start, end).map(|(text, _)| text)
}

/// [`compose`], with what the EDTF means as parsing it found: exactly
/// [`TimeBounds::parse`] of the text, so that the builder need not parse it
/// again.
///
/// # Errors
/// What [`FuzzyTime::parse`] refuses, and on which side.
pub(crate) fn compose_time(
    start: &DateFields,
    end: Option<&DateFields>,
) -> Result<Timed, ComposeError> {
    let single = |f: &DateFields| {
        let t = date_text(f, true);
        if let Ok(bounds) = TimeBounds::parse(&t) {
            return Ok((t, bounds));
        }
        // Without its time of day (a date EDTF cannot time), or refused.
        let t = date_text(f, false);
        TimeBounds::parse(&t).map(|bounds| (t, bounds))
    };
    let (s, s_bounds) = single(start).map_err(|e| ComposeError::Start(e.message))?;
    let Some(end) = end else {
        return Ok((s, s_bounds));
    };
    let (e, _) = single(end).map_err(|e| ComposeError::End(e.message))?;
    if e == s {
        return Ok((s, s_bounds));
    }
    let (s_day, e_day) = (date_text(start, false), date_text(end, false));
    if s_day == e_day {
        if s_day == s {
            return Ok((s, s_bounds));
        }
        let bounds = TimeBounds::parse(&s_day).map_err(|e| ComposeError::Start(e.message))?;
        return Ok((s_day, bounds));
    }
    let interval = format!("{s_day}/{e_day}");
    TimeBounds::parse(&interval)
        .map(|bounds| (interval, bounds))
        .map_err(|e| ComposeError::End(e.message))
}

/// The cells of a date object given as a JSON value (no positions).
pub(crate) fn cells_of_value(what: &str, v: &Value) -> Option<DateCells> {
    let map = v.as_object()?;
    Some(FIELDS.map(|(key, ..)| {
        map.get(key).map(|value| Cell {
            name: format!("{what}.{key}").into(),
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

/// The TimelineJS fields of a day, to a precision (decades and centuries are
/// years, seasons months).
pub(crate) fn fields_at(day: Day, precision: DatePrecision) -> DateFields {
    let (year, m, d) = day.civil();
    let (month, day) = match precision {
        DatePrecision::Day => (Some(m), Some(d)),
        DatePrecision::Month | DatePrecision::Season => (Some(m), None),
        DatePrecision::Year
        | DatePrecision::Decade
        | DatePrecision::Century
        | DatePrecision::Significant => (None, None),
    };
    DateFields {
        year,
        month,
        day,
        ..DateFields::default()
    }
}

/// The nearest TimelineJS `start_date` (and `end_date`) of a time: the
/// earliest day at the start's precision, the latest at the end's; a single
/// date whose ends agree gives no end; an open start gives the end as the
/// only date.
pub(crate) fn derive_dates(time: TimeRef<'_>) -> (DateFields, Option<DateFields>) {
    let (start_precision, end_precision) = match time.precision() {
        Precision::Date(p) => (Some(p), Some(p)),
        Precision::Interval { start, end } => (start, end),
    };
    let start = time
        .earliest()
        .zip(start_precision)
        .map(|(d, p)| fields_at(d, p));
    let end = time
        .latest()
        .zip(end_precision)
        .map(|(d, p)| fields_at(d, p));
    let (mut start, end) = match (start, end) {
        (Some(s), Some(e)) if s == e => (s, None),
        (Some(s), e) => (s, e),
        (None, Some(e)) => (e, None),
        (None, None) => (
            DateFields {
                year: time.anchor().year(),
                ..DateFields::default()
            },
            None,
        ),
    };
    if let Ok(edtf_core::Edtf::DateTime(dt)) = edtf_core::Edtf::parse(time.edtf()) {
        start.hour = Some(u32::from(dt.time.hour));
        start.minute = Some(u32::from(dt.time.minute));
        start.second = Some(u32::from(dt.time.second));
    }
    (start, end)
}

/// The `display_date` the export writes for a time whose TimelineJS dates
/// cannot say it exactly (an open end, a decade, `~`, `?`): the time in
/// words; `None` when the dates say it all.
pub(crate) fn computed_display_date(time: TimeRef<'_>) -> Option<String> {
    let (start, end) = derive_dates(time);
    (compose(&start, end.as_ref()).ok().as_deref() != Some(time.edtf())).then(|| time.display())
}

/// A TimelineJS date object with the fields `f` has, as numbers, its year
/// as TimelineJS numbers it.
pub(crate) fn date_object(f: &DateFields) -> Value {
    let mut m = serde_json::Map::new();
    m.insert("year".to_owned(), Value::from(timelinejs_year(f.year)));
    for (key, value) in [
        ("month", f.month),
        ("day", f.day),
        ("hour", f.hour),
        ("minute", f.minute),
        ("second", f.second),
        ("millisecond", f.millisecond),
    ] {
        if let Some(v) = value {
            m.insert(key.to_owned(), Value::from(v));
        }
    }
    Value::Object(m)
}
