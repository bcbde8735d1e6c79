//! An event feature's `time`, as EDTF, an ISO 8601 date-time or a Unix
//! epoch number ([`crate::io::stamp`]), and the feature's other properties,
//! shown in its text.

use serde_json::Value;

use super::entries::Builder;
use super::{Cx, Parsed};
use crate::io::stamp::{self, TimeUnit};
use crate::model::{FuzzyTime, TimeBounds};

/// The properties the GeoJSON reader reads or mapline's GeoJSON export
/// writes: any other is shown in the event's text ([`other_properties`]).
const KNOWN: [&str; 30] = [
    "feature",
    "id",
    "title",
    "name",
    "headline",
    "time",
    "time_note",
    "earliest",
    "latest",
    "precision",
    "category",
    "places",
    "place",
    "location",
    "country",
    "actors",
    "text",
    "description",
    "excerpts",
    "claims",
    "links",
    "media",
    "group",
    "display_date",
    "event_type",
    "attribution",
    "timelinejs",
    "kind",
    "aliases",
    "note",
];

/// The event's time from its `time` property: its EDTF text and bounds.
/// An EDTF string is kept as written; a string EDTF refuses that is an ISO
/// 8601 date-time or an epoch number (`"1485030412340"`), and an epoch
/// number, become an EDTF date-time; an epoch number whose unit was guessed
/// is counted in `b.epochs`.
pub(crate) fn event_time(
    cx: &mut Cx<'_>,
    b: &mut Builder,
    p: &Parsed<'_>,
) -> Option<(String, TimeBounds)> {
    let item = p.item();
    let stamp = match p.props.get("time") {
        Some(Value::String(t)) => {
            // Past the quote and the spaces trimmed, to the character.
            let lead = t.len() - t.trim_start().len();
            let at = p.prop_at("time") + 1 + lead;
            let text = t.trim();
            let e = match FuzzyTime::parse(text) {
                Ok(parsed) => return Some((text.to_owned(), parsed.bounds())),
                Err(e) => e,
            };
            // Not EDTF: a date-time, or an epoch number written as a string.
            let Some(read) = stamp::read_cell(text, b.time_unit) else {
                cx.error(at + e.offset, &item, format!("time {t:?}: {}", e.message));
                return None;
            };
            read.inspect(|s| b.epochs.count(at, text, s))
                .map_err(|e| cx.error(at + e.offset, &item, format!("time {t:?}: {}", e.message)))
        }
        Some(Value::Number(n)) => stamp::read_json_number(n, b.time_unit)
            .inspect(|s| b.epochs.count(p.prop_at("time"), &n.to_string(), s))
            .map_err(|e| cx.error(p.prop_at("time"), &item, format!("time {}", e.message))),
        Some(_) => {
            cx.error(
                p.prop_at("time"),
                &item,
                "time must be an EDTF string (2022-07-15, 2022-07, 199X, 1980/2003, …), an ISO 8601 date-time (2017-01-21T20:26:52.340Z) or a Unix epoch number",
            );
            return None;
        }
        None => {
            cx.error(
                p.at,
                &item,
                "an event feature needs a \"time\" (EDTF: 2022-07-15, 2022-07, 199X, 1980/2003, …)",
            );
            return None;
        }
    };
    let stamp = stamp.ok()?;
    match FuzzyTime::parse(&stamp.edtf) {
        Ok(t) => Some((stamp.edtf, t.bounds())),
        Err(e) => {
            cx.error(
                p.prop_at("time"),
                &item,
                format!("time gives {:?}: {}", stamp.edtf, e.message),
            );
            None
        }
    }
}

/// The feature's properties that mapline has no field for (USGS `mag`,
/// `url`, `tsunami`, …), one `name: value` line each in the file's order
/// (alphabetical, as read): strings, numbers and true/false; a number
/// named for time ([`stamp::is_time_name`]: `updated`) as the date-time it
/// is, by the same unit rule as `time` (not counted in the file's warning). Empty strings, nulls, lists and
/// objects are left out. A date-time string named for time is shown as
/// the EDTF it reads as, so that a feed's epoch numbers and its ISO strings
/// show the same text.
pub(crate) fn other_properties(p: &Parsed<'_>, unit: TimeUnit) -> Option<String> {
    let mut lines: Vec<String> = Vec::new();
    for (key, value) in &p.props {
        if KNOWN.contains(&key.as_str()) {
            continue;
        }
        let shown = match value {
            Value::String(s)
                if stamp::is_time_name(key) && stamp::looks_like_date_time(s.trim()) =>
            {
                stamp::read_iso(s.trim()).map_or_else(|_| s.trim().to_owned(), |s| s.edtf)
            }
            Value::String(s) if !s.trim().is_empty() => s.trim().to_owned(),
            Value::Number(n) if stamp::is_time_name(key) => {
                stamp::read_json_number(n, unit).map_or_else(|_| n.to_string(), |s| s.edtf)
            }
            Value::Number(n) => n.to_string(),
            Value::Bool(v) => v.to_string(),
            _ => continue,
        };
        lines.push(format!("{key}: {shown}"));
    }
    (!lines.is_empty()).then(|| lines.join("\n"))
}
