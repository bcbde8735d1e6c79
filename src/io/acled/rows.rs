//! One row of an ACLED file: its cells, where each stands, and the rules
//! that check them, shared by the careful reader and the streaming path.

use csv::StringRecord;

use super::cells::{
    actors_for, category, event_text, event_type, place_for, read_coordinate, read_geo_precision,
    read_time, title,
};
use super::notes::{Notes, RowItem};
use super::{Cols, State};
use crate::io::csv::pos::skip_line_ends;
use crate::io::format::{EventEntry, EventPlaceEntry};
use crate::model::PlaceRole;

/// One data row, its cells and where each stands in the file.
pub(crate) struct Row<'r> {
    /// 1-based, not counting the header.
    pub(crate) number: usize,
    pub(crate) record: &'r StringRecord,
    pub(crate) cols: &'r Cols,
    /// The whole file, and where the record starts in it.
    pub(crate) text: &'r str,
    pub(crate) offset: usize,
    /// Where each field's content starts and where the record ends, found
    /// only when a diagnostic needs them (a clean row never does).
    pub(crate) layout: std::cell::OnceCell<(Vec<usize>, usize)>,
}

impl<'r> Row<'r> {
    /// A row read from `text` at byte `offset`.
    pub(crate) fn new(
        number: usize,
        record: &'r StringRecord,
        cols: &'r Cols,
        text: &'r str,
        offset: usize,
    ) -> Self {
        Self {
            number,
            record,
            cols,
            text,
            offset,
            layout: std::cell::OnceCell::new(),
        }
    }

    /// The trimmed cell of a column; empty when the column or cell is missing.
    #[inline]
    pub(crate) fn get(&self, column: &str) -> &'r str {
        self.cols
            .index(column)
            .and_then(|i| self.record.get(i))
            .map_or("", str::trim)
    }

    fn layout(&self) -> &(Vec<usize>, usize) {
        self.layout
            .get_or_init(|| crate::io::csv::pos::field_starts(self.text, self.offset))
    }

    /// Byte offset of each field's content in the file.
    pub(crate) fn starts(&self) -> &[usize] {
        &self.layout().0
    }

    /// Byte offset where the record ends.
    pub(crate) fn end(&self) -> usize {
        self.layout().1
    }

    /// Where a column's cell starts (the end of the row when it has none).
    pub(crate) fn at(&self, column: &str) -> usize {
        self.cols
            .index(column)
            .and_then(|i| self.starts().get(i).copied())
            .unwrap_or_else(|| self.end())
    }

    /// The row as its problems name it.
    pub(crate) fn item(&self) -> RowItem<'r> {
        RowItem {
            number: self.number,
            given_id: self.get("event_id_cnty"),
        }
    }

    /// Where the row's first field's content starts.
    pub(crate) fn start(&self) -> usize {
        let at = skip_line_ends(self.text, self.offset);
        if self.text.as_bytes().get(at) == Some(&b'"') {
            at + 1
        } else {
            at
        }
    }
}

/// A row's event id: its `event_id_cnty`, or `row-N` (then `true`) when it has none.
pub(crate) fn event_id<'r>(row: &Row<'r>) -> RowId<'r> {
    match row.get("event_id_cnty") {
        "" => (format!("row-{}", row.number).into(), true),
        given => (given.into(), false),
    }
}

/// A row's event id, and whether it was made from the row number.
pub(crate) type RowId<'r> = (std::borrow::Cow<'r, str>, bool);

/// What a row with nothing wrong makes its event of, beside its id.
pub(crate) struct Checked<'r> {
    /// The EDTF time, how it was read, and what it means.
    pub(crate) time: String,
    pub(crate) time_note: Option<String>,
    pub(crate) bounds: crate::model::TimeBounds,
    /// The place, an index into the state's places, and its name.
    pub(crate) place: u32,
    pub(crate) location: &'r str,
}

/// Checks one row's cells, reporting its problems: the row's event id (and
/// whether it was made from the row number) when the row has the header's
/// width, and with it what its event is made of when nothing is wrong. The
/// row's place and actors are made in `state` on first sight; its actors'
/// indexes go into `actors`.
pub(crate) fn check_row<'r>(
    notes: &mut Notes<'_>,
    state: &mut State,
    row: &Row<'r>,
    (width, has_ids): (usize, bool),
    actors: &mut Vec<u32>,
) -> Option<(RowId<'r>, Option<Checked<'r>>)> {
    let item = row.item();
    let len = row.record.len();
    if len != width {
        let (at, what) = if let Some(open) = unclosed_quote(row.text, row) {
            (
                open,
                "the quote that opens this field is never closed, so the field runs to the end of the file (is the file cut short, or a closing quote missing?)",
            )
        } else if len < width {
            (
                row.end(),
                "a field is missing (or a line break in a field is not quoted)",
            )
        } else {
            (
                row.starts()
                    .get(width)
                    .copied()
                    .unwrap_or_else(|| row.end()),
                "a comma inside a field is probably not quoted",
            )
        };
        notes.error(
            at,
            item,
            format!("the row has {len} field(s) but the header has {width}: {what}"),
        );
        return None;
    }
    let errors_before = notes.errors.len();
    let (id, generated) = event_id(row);
    if generated && has_ids {
        notes.empty_id(row.at("event_id_cnty"), item);
    }
    let time = read_time(notes, state, row, item);
    let lat = read_coordinate(notes, row, item, "latitude", 90.0);
    let lon = read_coordinate(notes, row, item, "longitude", 180.0);
    let (kind, precision) = read_geo_precision(notes, row, item);
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
        notes.warn(row.at("fatalities"), item, message);
    }
    let (Some((time, time_note, bounds)), Some(lat), Some(lon)) = (time, lat, lon) else {
        return Some(((id, generated), None));
    };
    if notes.errors.len() > errors_before {
        return Some(((id, generated), None));
    }
    let (place, location) = place_for(notes, state, row, item, (lon, lat), (kind, precision));
    actors_for(state, row, actors);
    let checked = Checked {
        time,
        time_note,
        bounds,
        place,
        location,
    };
    Some(((id, generated), Some(checked)))
}

/// Reads one row into `state`, reporting its problems; the row's event id
/// (and whether it was made from the row number) when the row has the
/// header's width. The event, if the row makes one, is pushed with an empty
/// id: ids are checked across the whole file, and given, when chunks merge.
pub(crate) fn read_row(
    notes: &mut Notes<'_>,
    state: &mut State,
    row: &Row<'_>,
    width: usize,
    has_ids: bool,
) -> Option<(String, bool)> {
    let mut actors = Vec::new();
    let ((id, generated), checked) = check_row(notes, state, row, (width, has_ids), &mut actors)?;
    let id = (id.into_owned(), generated);
    let Some(c) = checked else {
        return Some(id);
    };
    let place = state.places[c.place as usize].id.clone();
    let actors = actors
        .iter()
        .map(|&a| state.actors[a as usize].id.clone())
        .collect();
    state.offsets.events.push(row.start());
    state.events.push(EventEntry {
        id: String::new(),
        title: title(row.get("event_type"), row.get("sub_event_type"), c.location),
        time: c.time,
        time_bounds: Some(c.bounds),
        time_note: c.time_note,
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
    Some(id)
}

pub(crate) fn non_empty(s: &str) -> Option<String> {
    (!s.is_empty()).then(|| s.to_owned())
}

/// Where the row's last field opens a quote that is never closed (the field
/// then runs to the end of the file), if it does.
pub(crate) fn unclosed_quote(text: &str, row: &Row<'_>) -> Option<usize> {
    let last = *row.starts().last()?;
    let open = last.checked_sub(1)?;
    if row.end() < text.len() || text.as_bytes().get(open) != Some(&b'"') {
        return None;
    }
    // Inside a quoted field quotes come in pairs; a closed one adds one more.
    let quotes = text.get(last..)?.bytes().filter(|&b| b == b'"').count();
    (quotes % 2 == 0).then_some(open)
}
