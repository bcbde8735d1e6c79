//! Reading an ACLED row's cells: the date and its precision, the
//! coordinates and their precision, the place, the actors, the title.

use chrono::{Datelike as _, NaiveDate, TimeDelta};

use super::notes::{Notes, RowItem};
use super::{Row, State, non_empty, slug};
use crate::io::format::{ActorEntry, PlaceEntry};
use crate::model::time::MONTHS;
use crate::model::{ActorKind, Category, Day, FuzzyTime, LocationPrecision, PlaceKind, TimeBounds};

/// A row's time: its EDTF text, its note, and what it means (the bounds the
/// builder would read from the text, found from the date already read).
pub(crate) type RowTime = (String, Option<String>, TimeBounds);

/// The EDTF time, its note and its bounds, from `event_date` and `time_precision`
/// (a timestamp's date-time at precision 1; at 2 and 3, its day).
pub(crate) fn read_time(
    notes: &mut Notes<'_>,
    state: &mut State,
    row: &Row<'_>,
    item: RowItem<'_>,
) -> Option<RowTime> {
    let raw = row.get("event_date");
    let (date, stamped) = if raw.is_empty() {
        notes.error(row.at("event_date"), item, "event_date is empty");
        (None, None)
    } else if let Some(date) = parse_date(raw) {
        (Some(date), None)
    } else {
        super::stamps::unusual_date(notes, state, row, item, raw)
            .map_or((None, None), |(date, edtf)| (Some(date), Some(edtf)))
    };
    let precision = row.get("time_precision");
    let level = match precision {
        "" | "1" => Some(1),
        "2" => Some(2),
        "3" => Some(3),
        other => {
            notes.error(
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
        notes.warn(
            row.at("year"),
            item,
            format!("year {y} disagrees with event_date {raw:?}; the date is used"),
        );
    }
    let (date, level, timed) = (date?, level?, stamped.is_some());
    let day = iso_day(date);
    let said = |what: &str, day: &str| {
        let mut note = String::with_capacity(what.len() + day.len());
        note.push_str(what);
        note.push_str(day);
        Some(note)
    };
    let (edtf, note) = match level {
        2 => {
            let week = TimeDelta::days(7);
            let from = date.checked_sub_signed(week).unwrap_or(date);
            let to = date.checked_add_signed(week).unwrap_or(date);
            let mut edtf = iso_day(from);
            edtf.push('/');
            edtf.push_str(&iso_day(to));
            (
                edtf,
                said("ACLED time_precision 2: within a week of ", &day),
            )
        }
        3 => (
            day.get(..7).unwrap_or_default().to_owned(),
            said("ACLED time_precision 3: within the month of ", &day),
        ),
        _ => (stamped.unwrap_or(day), None),
    };
    // A day of the years 2–9998, and a week either side of it, is always
    // good EDTF; only a week reaching past year 1 or 9999 can fail.
    if (2..=9998).contains(&date.year()) {
        // A day's bounds are the day; a week or a month is read from its text.
        let bounds = match level {
            2 | 3 => TimeBounds::parse(&edtf).ok(),
            _ if timed => TimeBounds::parse(&edtf).ok(),
            _ => Some(TimeBounds::day(Day::from_date(date))),
        };
        if let Some(bounds) = bounds {
            return Some((edtf, note, bounds));
        }
    }
    match FuzzyTime::parse(&edtf) {
        Ok(t) => Some((edtf, note, t.bounds())),
        Err(e) => {
            notes.error(
                row.at("event_date"),
                item,
                format!("event_date {raw:?} gives the time {edtf:?}: {}", e.message),
            );
            None
        }
    }
}

/// The last `width` decimal digits of `n`, zero-padded, pushed onto `out`.
fn digits(out: &mut String, n: u32, width: u32) {
    for k in (0..width).rev() {
        out.push(char::from(b'0' + (n / 10u32.pow(k) % 10) as u8));
    }
}

/// `2022-07-15`: a day of the years 1–9999 (the only ones [`parse_date`]
/// gives), spelled without the formatting machinery, which is most of the
/// cost of a row's time when a million rows are read.
pub(crate) fn iso_day(d: NaiveDate) -> String {
    if !(0..=9999).contains(&d.year()) {
        // A week past year 9999 (or before year 0): as chrono spells it, for its error.
        return format!("{:04}-{:02}-{:02}", d.year(), d.month(), d.day());
    }
    let mut out = String::with_capacity(10);
    digits(&mut out, d.year().unsigned_abs(), 4);
    out.push('-');
    digits(&mut out, d.month(), 2);
    out.push('-');
    digits(&mut out, d.day(), 2);
    out
}

/// A date as ACLED writes it: `2022-07-15`, `15 July 2022`, `15-July-2022`,
/// `15 Jul 2022`, `15-Jul-2022` or `15/Jul/2022`.
pub(crate) fn parse_date(raw: &str) -> Option<NaiveDate> {
    let s = raw.trim();
    // The common form, 2022-07-15, without splitting.
    if let [y0, y1, y2, y3, b'-', m0, m1, b'-', d0, d1] = *s.as_bytes()
        && [y0, y1, y2, y3, m0, m1, d0, d1]
            .iter()
            .all(u8::is_ascii_digit)
    {
        let n = |digits: &[u8]| {
            digits
                .iter()
                .fold(0u32, |acc, d| acc * 10 + u32::from(d - b'0'))
        };
        let year = i32::try_from(n(&[y0, y1, y2, y3])).ok()?;
        if year == 0 {
            return None;
        }
        return NaiveDate::from_ymd_opt(year, n(&[m0, m1]), n(&[d0, d1]));
    }
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
pub(crate) fn impossible_day(raw: &str) -> Option<String> {
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
pub(crate) fn month(word: &str) -> Option<u32> {
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
pub(crate) fn read_coordinate(
    notes: &mut Notes<'_>,
    row: &Row<'_>,
    item: RowItem<'_>,
    column: &str,
    limit: f64,
) -> Option<f64> {
    let raw = row.get(column);
    if raw.is_empty() {
        notes.error(row.at(column), item, format!("{column} is empty"));
        return None;
    }
    match raw.parse::<f64>() {
        Ok(v) if v.is_finite() && (-limit..=limit).contains(&v) => Some(v),
        Ok(v) if v.is_finite() => {
            notes.error(
                row.at(column),
                item,
                format!("{column} {raw} is outside -{limit}..{limit}"),
            );
            None
        }
        _ => {
            notes.error(
                row.at(column),
                item,
                format!("{column} {raw:?} is not a number (expected decimal degrees)"),
            );
            None
        }
    }
}

/// Kind and precision of the place from `geo_precision`.
pub(crate) fn read_geo_precision(
    notes: &mut Notes<'_>,
    row: &Row<'_>,
    item: RowItem<'_>,
) -> (PlaceKind, LocationPrecision) {
    match row.get("geo_precision") {
        "" | "1" => (PlaceKind::City, LocationPrecision::City),
        "2" => (PlaceKind::City, LocationPrecision::Locality),
        "3" => (PlaceKind::Region, LocationPrecision::Region),
        other => {
            notes.warn(
                row.at("geo_precision"),
                item,
                format!("geo_precision {other:?} is not 1, 2 or 3; the place is taken as a town"),
            );
            (PlaceKind::City, LocationPrecision::City)
        }
    }
}

/// The row's place (its index in `state.places`) and name, made on first
/// sight of (name, coordinates).
pub(crate) fn place_for<'r>(
    notes: &mut Notes<'_>,
    state: &mut State,
    row: &Row<'r>,
    item: RowItem<'_>,
    (lon, lat): (f64, f64),
    (kind, precision): (PlaceKind, LocationPrecision),
) -> (u32, &'r str) {
    let name = ["location", "admin3", "admin2", "admin1", "country"]
        .iter()
        .map(|c| row.get(c))
        .find(|v| !v.is_empty())
        .unwrap_or_else(|| {
            notes.warn(
                row.at("location"),
                item,
                "the row names no location (nor admin area or country); the place is called \"Unnamed location\"",
            );
            "Unnamed location"
        });
    // -0.0 and 0.0 are the same coordinate.
    let (lat_bits, lon_bits) = ((lat + 0.0).to_bits(), (lon + 0.0).to_bits());
    if let Some(same_name) = state.place_keys.get(name)
        && let Some((_, _, index)) = same_name
            .iter()
            .find(|(a, o, _)| *a == lat_bits && *o == lon_bits)
    {
        return (*index, name);
    }
    let index = u32::try_from(state.places.len()).unwrap_or(u32::MAX);
    let id = state.place_ids.fresh(&slug(name, "place"));
    let admin: Vec<&str> = ["admin1", "admin2", "admin3"]
        .iter()
        .map(|c| row.get(c))
        .filter(|v| !v.is_empty())
        .collect();
    state.offsets.places.push(row.start());
    state.places.push(PlaceEntry {
        id,
        name: name.to_owned(),
        aliases: Vec::new(),
        lon,
        lat,
        kind,
        precision,
        country: non_empty(row.get("country")),
        note: (!admin.is_empty()).then(|| format!("ACLED admin areas: {}", admin.join(" / "))),
    });
    state
        .place_keys
        .entry(name.to_owned())
        .or_default()
        .push((lat_bits, lon_bits, index));
    (index, name)
}

/// The row's actors (actor1, its associates, actor2, its associates), as
/// indexes in `state.actors` into `ids` (emptied first), making each on
/// first sight of its name.
pub(crate) fn actors_for(state: &mut State, row: &Row<'_>, ids: &mut Vec<u32>) {
    ids.clear();
    for (actor, inter, assoc) in [
        ("actor1", "inter1", "assoc_actor_1"),
        ("actor2", "inter2", "assoc_actor_2"),
    ] {
        let names = std::iter::once((row.get(actor), row.get(inter)))
            .chain(row.get(assoc).split(';').map(str::trim).map(|n| (n, "")));
        for (name, inter) in names.filter(|(n, _)| !n.is_empty()) {
            let index = if let Some(&index) = state.actor_names.get(name) {
                index
            } else {
                let index = u32::try_from(state.actors.len()).unwrap_or(u32::MAX);
                let id = state.actor_ids.fresh(&slug(name, "actor"));
                let inter_name = inter_label(inter);
                state.offsets.actors.push(row.start());
                state.actors.push(ActorEntry {
                    id,
                    name: name.to_owned(),
                    short: None,
                    kind: actor_kind(name, inter_name),
                    aliases: Vec::new(),
                    note: inter_name.map(|t| format!("ACLED actor type: {t}")),
                });
                state.actor_names.insert(name.to_owned(), index);
                index
            };
            if !ids.contains(&index) {
                ids.push(index);
            }
        }
    }
}

/// ACLED's actor type for an `inter` code (old numeric or new worded form).
pub(crate) fn inter_label(inter: &str) -> Option<&'static str> {
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
pub(crate) fn actor_kind(name: &str, inter: Option<&str>) -> ActorKind {
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
pub(crate) fn title(event_type: &str, sub_event_type: &str, location: &str) -> String {
    let mut out = String::new();
    title_into(&mut out, event_type, sub_event_type, location);
    out
}

/// [`title`], written into `out` (emptied first).
pub(crate) fn title_into(out: &mut String, event_type: &str, sub_event_type: &str, location: &str) {
    out.clear();
    out.reserve(event_type.len() + sub_event_type.len() + location.len() + 8);
    match (event_type, sub_event_type) {
        ("", "") => out.push_str("Event"),
        (t, "") | ("", t) => out.push_str(t),
        (t, s) => {
            out.push_str(t);
            out.push_str(": ");
            out.push_str(s);
        }
    }
    if !location.is_empty() {
        out.push_str(" in ");
        out.push_str(location);
    }
}

/// The category of an ACLED event type.
pub(crate) fn category(event_type: &str) -> Category {
    let t = event_type.trim();
    let is = |name: &str| t.eq_ignore_ascii_case(name);
    if is("battles") || is("explosions/remote violence") {
        Category::Military
    } else if is("violence against civilians") || is("riots") {
        Category::Violence
    } else if is("protests") || is("strategic developments") {
        Category::Political
    } else {
        Category::Other
    }
}

/// `event_type / sub_event_type`, and whether civilians were targeted.
pub(crate) fn event_type(row: &Row<'_>) -> Option<String> {
    let mut out = String::new();
    event_type_into(&mut out, row).then_some(out)
}

/// [`event_type`], written into `out` (emptied first); false when the row
/// names no type.
pub(crate) fn event_type_into(out: &mut String, row: &Row<'_>) -> bool {
    out.clear();
    match (row.get("event_type"), row.get("sub_event_type")) {
        ("", "") => return false,
        (w, "") | ("", w) => out.push_str(w),
        (t, s) => {
            out.reserve(t.len() + s.len() + 25);
            out.push_str(t);
            out.push_str(" / ");
            out.push_str(s);
        }
    }
    if !row.get("civilian_targeting").is_empty() {
        out.push_str(" (civilian targeting)");
    }
    true
}

/// The notes, then `Fatalities: N` and the tags, each in its own paragraph.
pub(crate) fn event_text(row: &Row<'_>) -> Option<String> {
    let parts = [
        ("", row.get("notes")),
        ("Fatalities: ", row.get("fatalities")),
        ("Tags: ", row.get("tags")),
    ];
    // Exactly the room it takes: the text is kept as a box of its length.
    let (len, count) = parts
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .fold((0usize, 0usize), |(len, n), (l, v)| {
            (len + l.len() + v.len(), n + 1)
        });
    let mut out = String::with_capacity(len + 2 * count.saturating_sub(1));
    for (label, value) in parts {
        if value.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push_str("\n\n");
        }
        out.push_str(label);
        out.push_str(value);
    }
    (!out.is_empty()).then_some(out)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use chrono::{Datelike as _, NaiveDate};
    use csv::StringRecord;
    use rustc_hash::FxHashMap;

    use super::read_time;
    use crate::io::acled::notes::Notes;
    use crate::io::acled::{Cols, Row};
    use crate::io::diagnostic::LineIndex;
    use crate::model::TimeBounds;

    const LONG: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];

    /// Every way ACLED writes a day.
    fn forms(d: NaiveDate) -> Vec<String> {
        let (y, m, day) = (d.year(), d.month(), d.day());
        let long = LONG[m as usize - 1];
        let short = &long[..3];
        vec![
            format!("{y:04}-{m:02}-{day:02}"),
            format!("{day} {long} {y:04}"),
            format!("{day}-{long}-{y:04}"),
            format!("{day} {short} {y:04}"),
            format!("{day}-{short}-{y:04}"),
            format!("{day}/{}/{y:04}", short.to_lowercase()),
        ]
    }

    /// The bounds the reader hands over are those the builder would read
    /// from the time's text, for every date form and every `time_precision`.
    #[test]
    fn a_rows_bounds_are_its_texts_bounds() {
        let mut columns = FxHashMap::default();
        columns.insert("event_date".to_owned(), 0);
        columns.insert("time_precision".to_owned(), 1);
        let cols = Cols::of(&columns);
        let mut days: Vec<NaiveDate> = Vec::new();
        let mut d = NaiveDate::from_ymd_opt(2019, 12, 1).unwrap();
        for _ in 0..800 {
            days.push(d);
            d = d.succ_opt().unwrap();
        }
        for (y, m, day) in [
            (1, 1, 1),
            (1, 1, 8),
            (1, 12, 31),
            (2, 1, 3),
            (999, 6, 30),
            (1900, 2, 28),
            (2000, 2, 29),
            (9998, 12, 28),
            (9999, 12, 24),
            (9999, 12, 31),
        ] {
            days.push(NaiveDate::from_ymd_opt(y, m, day).unwrap());
        }
        let mut checked = 0;
        for d in days {
            for form in forms(d) {
                for precision in ["", "1", "2", "3"] {
                    let text = format!("{form},{precision}\n");
                    let mut reader = csv::ReaderBuilder::new()
                        .has_headers(false)
                        .from_reader(text.as_bytes());
                    let mut record = StringRecord::new();
                    assert!(reader.read_record(&mut record).unwrap());
                    let row = Row::new(1, &record, &cols, &text, 0);
                    let lines = LineIndex::new(&text);
                    let mut notes = Notes::new(&lines);
                    let mut state = crate::io::acled::State::default();
                    let Some((edtf, _, bounds)) =
                        read_time(&mut notes, &mut state, &row, row.item())
                    else {
                        // Only a week reaching before year 1 or past 9999.
                        assert!(
                            precision == "2" && !(2..=9998).contains(&d.year()),
                            "{text}"
                        );
                        assert!(TimeBounds::parse(&super::iso_day(d)).is_ok());
                        continue;
                    };
                    assert_eq!(
                        bounds,
                        TimeBounds::parse(&edtf).unwrap(),
                        "{text} -> {edtf}"
                    );
                    checked += 1;
                }
            }
        }
        assert!(checked > 800 * 6 * 4, "{checked}");
    }
}
