//! TimelineJS 2's spreadsheet, saved as CSV: the columns `Start Date`, `End
//! Date`, `Headline`, `Text`, `Media`, `Media Credit`, `Media Caption`,
//! `Media Thumbnail`, `Type` and `Tag` (TimelineJS 3 still reads it). The
//! rows are read as the version 3 template's are (see [`super::sheet`]);
//! only the dates differ: each is one cell, in TimelineJS 2's forms (see
//! [`super::v2_dates`]).

use crate::io::format::TimelineJsDates;

use super::collect::Cx;
use super::dates::Timed;
use super::sheet::Row;
use super::v2::{Read, Shifts, compose_v2, read_v2_date};
use super::v2_dates::FORMS;

/// The columns of TimelineJS 2's spreadsheet that differ from version 3's, lower-case.
pub(crate) mod col {
    pub(crate) const START_DATE: &str = "start date";
    pub(crate) const END_DATE: &str = "end date";
    pub(crate) const TAG: &str = "tag";
}

/// The start and end of a TimelineJS 2 row: the version 3 date objects they
/// make and the EDTF; `None` when broken (reported).
pub(crate) fn sheet_dates(
    cx: &mut Cx<'_>,
    shifts: &mut Shifts,
    item: &str,
    row: &Row<'_>,
) -> Option<(TimelineJsDates, Timed)> {
    let mut read = |cx: &mut Cx<'_>, column: &str| {
        // Where each byte of the trimmed cell stands: the cell's content
        // (after its opening quote) and the blanks before it.
        let raw = row
            .columns
            .get(column)
            .and_then(|(i, _)| row.record.get(*i))
            .unwrap_or_default();
        let lead = raw.len() - raw.trim_start().len();
        let at = row.at(column) + lead;
        let text = row.get(column);
        let name = row.name(column);
        let read = read_v2_date(cx, shifts, item, &name, text, &|i| at + i);
        (read, at, text)
    };
    let (start, start_at, start_text) = read(cx, col::START_DATE);
    let (end, end_at, end_text) = read(cx, col::END_DATE);
    let end = match end {
        Read::Date(f) => Some(f),
        Read::Empty => None,
        Read::Broken => return None,
    };
    let start = match start {
        Read::Date(f) => f,
        Read::Broken => return None,
        Read::Empty => {
            cx.error(
                start_at,
                item,
                format!(
                    "{} is empty: every event needs a date ({FORMS})",
                    row.name(col::START_DATE)
                ),
            );
            return None;
        }
    };
    let names = [row.name(col::START_DATE), row.name(col::END_DATE)];
    let (_, dates, edtf) = compose_v2(
        cx,
        (item, [&names[0], &names[1]]),
        (start, start_at),
        (end, end_at),
        [Some(start_text), Some(end_text).filter(|t| !t.is_empty())],
    )?;
    Some((dates, edtf))
}
