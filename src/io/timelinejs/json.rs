//! The TimelineJS JSON reader.

use std::collections::BTreeMap;

use serde_json::Value;
use serde_json::value::RawValue;

use crate::io::diagnostic::DatasetErrors;
use crate::io::format::{EraEntry, MediaEntry, TimelineJsDates};
use crate::io::import::{Imported, one_error};
use crate::model::FuzzyTime;

use super::collect::{
    Collected, Cx, Pending, finish, item_label, non_empty, settle_time, strip_html,
};
use super::dates::{
    Cell, ComposeError, DateCells, DateFields, DateRead, FIELDS, compose, read_date,
};
use super::{MaplineEra, MaplineEvent};

// ---------------------------------------------------------------------------
// JSON.

/// A JSON object's members, each kept raw with its position.
pub(crate) type Object<'t> = BTreeMap<String, &'t RawValue>;

pub(crate) fn object_of(raw: &RawValue) -> Option<Object<'_>> {
    serde_json::from_str(raw.get()).ok()
}

pub(crate) fn value_of(raw: &RawValue) -> Value {
    serde_json::from_str(raw.get()).unwrap_or(Value::Null)
}

/// A string member, or a number's text; `None` for null or absent.
pub(crate) fn text_of(raw: Option<&&RawValue>) -> Option<String> {
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
                .and_then(|t| super::dates::computed_display_date(&t))
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
