//! The TimelineJS spreadsheet template, saved as CSV.

use std::collections::HashMap;

use serde_json::Value;

use crate::io::csv::pos::{field_starts, skip_line_ends};
use crate::io::diagnostic::{DatasetErrors, Diagnostic, TextPos};
use crate::io::format::{EraEntry, MediaEntry, TimelineJsDates};
use crate::io::imported::{Imported, one_error};

use super::collect::{Collected, Cx, Pending, finish, item_label, non_empty, strip_html};
use super::dates::{
    Cell, ComposeError, DateCells, DateRead, FIELDS, clean_integer, compose_time, parse_time,
    read_date,
};
use super::v2::Shifts;
use super::v2_sheet::{col as v2_col, sheet_dates};

// ---------------------------------------------------------------------------
// CSV.

/// The columns of the TimelineJS spreadsheet template, lower-case.
pub(crate) mod col {
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
pub(crate) struct Row<'r> {
    pub(crate) record: &'r csv::StringRecord,
    pub(crate) columns: &'r HashMap<String, (usize, String)>,
    /// Byte offset of each field's content in the file.
    pub(crate) starts: Vec<usize>,
    /// Where the record ends.
    pub(crate) end: usize,
}

impl Row<'_> {
    /// The trimmed cell of a column; empty when the column or cell is missing.
    pub(crate) fn get(&self, column: &str) -> &str {
        self.columns
            .get(column)
            .and_then(|(i, _)| self.record.get(*i))
            .map_or("", str::trim)
    }

    /// Where a column's cell starts (the end of the row when it has none).
    pub(crate) fn at(&self, column: &str) -> usize {
        self.columns
            .get(column)
            .and_then(|(i, _)| self.starts.get(*i))
            .copied()
            .unwrap_or(self.end)
    }

    /// The header as the file writes it (`End Month`).
    pub(crate) fn name(&self, column: &str) -> String {
        self.columns
            .get(column)
            .map_or_else(|| column.to_owned(), |(_, n)| n.clone())
    }

    /// A cell as a date value, or `None` when it is empty.
    pub(crate) fn cell(&self, column: &str) -> Option<Cell> {
        let text = self.get(column);
        (!text.is_empty()).then(|| Cell {
            name: self.name(column).into(),
            value: Value::String(text.to_owned()),
            at: self.at(column),
        })
    }
}

/// Imports the TimelineJS spreadsheet template saved as CSV, or
/// TimelineJS 2's (Start Date, End Date, Headline, …, Type, Tag).
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
    if crate::io::csv::pos::duplicate_column(&mut cx, &header, header_at, |n| {
        n.trim().trim_start_matches('\u{feff}').to_ascii_lowercase()
    }) {
        return Err(DatasetErrors(cx.errors));
    }
    // TimelineJS2's sheet gives its dates in Start Date and End Date.
    let version2 = !columns.contains_key(col::YEAR) && columns.contains_key(v2_col::START_DATE);
    let required = if version2 {
        [
            ("Start Date", v2_col::START_DATE),
            ("Headline", col::HEADLINE),
        ]
    } else {
        [("Year", col::YEAR), ("Headline", col::HEADLINE)]
    };
    let missing: Vec<&str> = required
        .into_iter()
        .filter(|(_, c)| !columns.contains_key(*c))
        .map(|(n, _)| n)
        .collect();
    if !missing.is_empty() {
        return Err(DatasetErrors(vec![Diagnostic::error(
            label,
            cx.lines.pos(header_at),
            "header",
            if version2 {
                format!(
                    "missing column(s) {}: the TimelineJS2 spreadsheet has Start Date, End Date, Headline, Text, Media, Media Credit, Media Caption, Media Thumbnail, Type, Tag",
                    missing.join(", ")
                )
            } else {
                format!(
                    "missing column(s) {}: the TimelineJS template has Year, Month, Day, Time, End Year, End Month, End Day, End Time, Display Date, Headline, Text, Media, Media Credit, Media Caption, Media Thumbnail, Type, Group, Background",
                    missing.join(", ")
                )
            },
        )]));
    }
    let mut collected = Collected::default();
    let mut shifts = Shifts::default();
    let mut dates_of = |cx: &mut Cx<'_>, item: &str, row: &Row<'_>| {
        if version2 {
            sheet_dates(cx, &mut shifts, item, row)
        } else {
            csv_dates(cx, item, row)
        }
    };
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
        // TimelineJS2 names its title row `title` or `start`.
        let title_row = kind == "title" || (version2 && kind == "start");
        if title_row && !seen_title {
            seen_title = true;
            collected.title = non_empty(&headline);
            collected.description = non_empty(&body_text);
            continue;
        }
        if kind == "era" {
            eras += 1;
            let item = item_label("era", eras, &headline);
            if let Some((_, (edtf, _))) = dates_of(&mut cx, &item, &row) {
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
        if title_row {
            cx.warn(
                row.at(col::TYPE),
                &item,
                "a second title row: read as an event, as TimelineJS does",
            );
        }
        let dates = dates_of(&mut cx, &item, &row);
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
            "start" if version2 => None,
            _ => non_empty(row.get(col::TYPE)),
        };
        let Some((dates, (time, bounds))) = dates else {
            continue;
        };
        collected.events.push(Some(Pending {
            number: events,
            at: row.starts.first().copied().unwrap_or(row.end),
            item,
            given_id: None,
            headline,
            text: body_text,
            time,
            bounds,
            dates,
            media,
            group: non_empty(row.get(if version2 { v2_col::TAG } else { col::GROUP })),
            display_date: non_empty(row.get(col::DISPLAY_DATE)),
            event_type,
            mapline: None,
        }));
    }
    shifts.report(&mut cx);
    finish(cx, label, collected)
}

/// The date object TimelineJS's spreadsheet reader builds from the cells:
/// year, month and day as the cells' text, the time as numbers.
pub(crate) fn csv_date_object(cells: &DateCells) -> Value {
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

/// What a row's Year cell holds: a year (for the template's own columns),
/// or a whole date-time, read or refused.
enum Stamped {
    Year,
    Refused,
    Read(TimelineJsDates, (String, crate::model::TimeBounds)),
}

/// A Year cell holding a whole ISO 8601 date-time, as a feed or a script
/// writes one (`2017-01-21T20:26:52.340Z`), read as that date-time to the
/// second, as GeoJSON's and ACLED's timestamps are (refused with the reason
/// at the cell). Epoch numbers are not read here: in a Year column a number
/// is a year (deep time has them large).
fn stamped_year(cx: &mut Cx<'_>, item: &str, row: &Row<'_>) -> Stamped {
    let text = row.get(col::YEAR).trim();
    if !crate::io::stamp::looks_like_date_time(text) {
        return Stamped::Year;
    }
    let at = row.at(col::YEAR);
    let year = row.name(col::YEAR);
    if let Some(other) = [col::MONTH, col::DAY, col::TIME, col::END_YEAR]
        .into_iter()
        .find(|c| !row.get(c).trim().is_empty())
    {
        cx.error(
            row.at(other),
            item,
            format!(
                "{year} {text:?} is a whole date-time: leave {} empty (or write the year alone)",
                row.name(other)
            ),
        );
        return Stamped::Refused;
    }
    let stamp = match crate::io::stamp::read_iso(text) {
        Ok(stamp) => stamp,
        Err(e) => {
            cx.error(at, item, format!("{year}: {text:?}: {}", e.message));
            return Stamped::Refused;
        }
    };
    match crate::model::TimeBounds::parse(&stamp.edtf) {
        Ok(bounds) => Stamped::Read(
            TimelineJsDates {
                start_date: serde_json::json!({ "year": text }),
                end_date: None,
            },
            (stamp.edtf, bounds),
        ),
        Err(e) => {
            cx.error(at, item, format!("{year}: {text:?}: {}", e.message));
            Stamped::Refused
        }
    }
}

/// The cells of one date of a row: its year, month, day and time columns.
/// A broken time is reported and left out (with `false`), so that the rest
/// of the date is still checked.
pub(crate) fn csv_cells(
    cx: &mut Cx<'_>,
    item: &str,
    row: &Row<'_>,
    columns: [&str; 4],
) -> (DateCells, bool) {
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
                name: row.name(time).into(),
                value: Value::from(v),
                at: row.at(time),
            });
        }
    }
    (cells, true)
}

/// The start and end of a row: the date objects and the EDTF.
pub(crate) fn csv_dates(
    cx: &mut Cx<'_>,
    item: &str,
    row: &Row<'_>,
) -> Option<(TimelineJsDates, (String, crate::model::TimeBounds))> {
    match stamped_year(cx, item, row) {
        Stamped::Year => {}
        Stamped::Refused => return None,
        Stamped::Read(dates, time) => return Some((dates, time)),
    }
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
    let edtf = match compose_time(&start, end.as_ref()) {
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
