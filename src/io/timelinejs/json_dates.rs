//! The `start_date` and `end_date` objects of a TimelineJS JSON slide:
//! their fields read where they stand, and the EDTF they make.

use serde_json::Value;
use serde_json::value::RawValue;

use crate::io::format::TimelineJsDates;

use super::collect::Cx;
use super::dates::{
    Cell, ComposeError, DateCells, DateFields, DateRead, Timed, compose_time, read_date,
};
use super::raw::{members, raw_member, value_of};

/// The cells of a date object in the file.
pub(crate) fn json_cells(
    cx: &Cx<'_>,
    names: &[&'static str; 7],
    object: &DateObject<'_>,
) -> DateCells {
    let fields = [
        object.year,
        object.month,
        object.day,
        object.hour,
        object.minute,
        object.second,
        object.millisecond,
    ];
    std::array::from_fn(|i| {
        let raw = fields[i]?;
        Some(Cell {
            name: names[i].into(),
            // A number serde cannot hold (1e400) is shown as written.
            value: serde_json::from_str(raw.get())
                .unwrap_or_else(|_| Value::String(raw.get().to_owned())),
            at: cx.raw_offset(raw),
        })
    })
}

/// The fields of a date object, in the order of [`super::dates::FIELDS`], each raw.
#[derive(serde::Deserialize)]
pub(crate) struct DateObject<'t> {
    #[serde(borrow, default, deserialize_with = "raw_member")]
    year: Option<&'t RawValue>,
    #[serde(borrow, default, deserialize_with = "raw_member")]
    month: Option<&'t RawValue>,
    #[serde(borrow, default, deserialize_with = "raw_member")]
    day: Option<&'t RawValue>,
    #[serde(borrow, default, deserialize_with = "raw_member")]
    hour: Option<&'t RawValue>,
    #[serde(borrow, default, deserialize_with = "raw_member")]
    minute: Option<&'t RawValue>,
    #[serde(borrow, default, deserialize_with = "raw_member")]
    second: Option<&'t RawValue>,
    #[serde(borrow, default, deserialize_with = "raw_member")]
    millisecond: Option<&'t RawValue>,
}

/// The names date fields are shown under.
pub(crate) const START_NAMES: [&str; 7] = [
    "start_date.year",
    "start_date.month",
    "start_date.day",
    "start_date.hour",
    "start_date.minute",
    "start_date.second",
    "start_date.millisecond",
];

pub(crate) const END_NAMES: [&str; 7] = [
    "end_date.year",
    "end_date.month",
    "end_date.day",
    "end_date.hour",
    "end_date.minute",
    "end_date.second",
    "end_date.millisecond",
];

/// Reads the `start_date` and `end_date` of a slide or era: the fields, the
/// objects as written, and the EDTF. `None` when broken (reported).
pub(crate) fn json_dates(
    cx: &mut Cx<'_>,
    item: &str,
    (start_date, end_date): (Option<&RawValue>, Option<&RawValue>),
    at: usize,
) -> Option<((DateFields, Option<DateFields>), TimelineJsDates, Timed)> {
    let Some(start_raw) = start_date else {
        cx.error(
            at,
            item,
            "start_date is missing: TimelineJS needs one, with at least a year",
        );
        return None;
    };
    let start_at = cx.raw_offset(start_raw);
    let Some(start_obj) = members::<DateObject<'_>>(start_raw) else {
        cx.error(
            start_at,
            item,
            "start_date must be an object ({\"year\": …, \"month\": …, \"day\": …})",
        );
        return None;
    };
    let start_cells = json_cells(cx, &START_NAMES, &start_obj);
    let start = read_date(cx, item, "start_date", &start_cells);
    let (end_raw, end) = match end_date {
        None => (None, None),
        Some(raw) if value_of(raw).is_null() => (None, None),
        Some(raw) => match members::<DateObject<'_>>(raw) {
            None => {
                cx.error(
                    cx.raw_offset(raw),
                    item,
                    "end_date must be an object ({\"year\": …, \"month\": …, \"day\": …})",
                );
                return None;
            }
            Some(obj) => {
                let cells = json_cells(cx, &END_NAMES, &obj);
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
    let edtf = match compose_time(&start, end.as_ref()) {
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
        end_date: end_raw.map(value_of),
    };
    Some(((start, end), dates, edtf))
}
