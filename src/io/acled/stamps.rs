//! An `event_date` in none of ACLED's own forms: an ISO 8601 date-time or a
//! Unix epoch number ([`crate::io::stamp`]), read only when ACLED's forms
//! fail, so that a plain `2022-07-15` or `15 July 2022` costs what it did.

use chrono::NaiveDate;

use super::cells::impossible_day;
use super::notes::{Notes, RowItem};
use super::{Row, State};
use crate::io::stamp;

/// The day of an `event_date` ACLED's forms refused, and the EDTF date-time
/// it gives when it is a timestamp; an error (and `None`) otherwise. An
/// epoch number whose unit was guessed is counted in `state.epochs`, for the
/// file's one warning.
pub(crate) fn unusual_date(
    notes: &mut Notes<'_>,
    state: &mut State,
    row: &Row<'_>,
    item: RowItem<'_>,
    raw: &str,
) -> Option<(NaiveDate, String)> {
    match stamp::read_cell(raw, state.time_unit) {
        Some(Ok(s)) => {
            if s.epoch.is_some() {
                let pos = notes.pos(row.at("event_date"));
                state.epochs.count(pos, raw, &s);
            }
            Some((s.date, s.edtf))
        }
        Some(Err(e)) => {
            let at = row.at("event_date") + lead(row) + e.offset;
            let number = raw
                .bytes()
                .all(|b| b.is_ascii_digit() || b == b'-' || b == b'.');
            let message = if number {
                format!("event_date {}", e.message)
            } else {
                format!("event_date {raw:?}: {}", e.message)
            };
            notes.error(at, item, message);
            None
        }
        None => {
            let message = match impossible_day(raw) {
                Some(why) => format!("event_date {raw:?} is not a day: {why}"),
                None => format!(
                    "event_date {raw:?} is not a date: expected 2022-07-15, 15 July 2022, 15-July-2022, 15 Jul 2022, an ISO 8601 date-time (2022-07-15T10:30:00Z) or a Unix epoch number"
                ),
            };
            notes.error(row.at("event_date"), item, message);
            None
        }
    }
}

/// The spaces before the cell's text (it is read trimmed).
fn lead(row: &Row<'_>) -> usize {
    row.cols
        .index("event_date")
        .and_then(|i| row.record.get(i))
        .map_or(0, |cell| cell.len() - cell.trim_start().len())
}
