//! The TimelineJS JSON reader.

use std::collections::BTreeMap;

use serde_json::Value;
use serde_json::value::RawValue;

use crate::io::diagnostic::{DatasetErrors, Diagnostic, LineIndex};
use crate::io::format::{EraEntry, MediaEntry, TimelineJsDates};
use crate::io::imported::{Imported, one_error};
use crate::io::json_keys::DuplicateKey;
use crate::model::TimeRef;

use super::collect::{
    Collected, Cx, Pending, finish, item_label, non_empty, settle_time, strip_html,
};
use super::dates::{
    Cell, ComposeError, DateCells, DateFields, DateRead, Timed, compose_time, read_date,
};
use super::{MaplineEra, MaplineEvent, MaplineStory};

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
pub(crate) fn text_of(raw: Option<&RawValue>) -> Option<String> {
    text_in(raw).map(std::borrow::Cow::into_owned)
}

/// [`text_of`], borrowed from the file where the string has no escapes.
pub(crate) fn text_in(raw: Option<&RawValue>) -> Option<std::borrow::Cow<'_, str>> {
    let raw = raw?;
    if raw.get().starts_with('"') {
        // A `&str` is read only when the string needs no unescaping.
        return serde_json::from_str::<&str>(raw.get())
            .map(std::borrow::Cow::Borrowed)
            .ok()
            .or_else(|| {
                serde_json::from_str::<String>(raw.get())
                    .ok()
                    .map(Into::into)
            });
    }
    match value_of(raw) {
        Value::Number(n) => Some(n.to_string().into()),
        _ => None,
    }
}

/// A member kept raw, `null` too (`Option`'s own reading would make a null absent).
fn raw_member<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<&'de RawValue>, D::Error> {
    <&RawValue as serde::Deserialize>::deserialize(d).map(Some)
}

/// The members of a slide or era that mapline reads, each raw; the rest of
/// the object is passed over. Read in one pass, where a map of every member
/// would allocate each key.
#[derive(Default, serde::Deserialize)]
struct Slide<'t> {
    #[serde(borrow, default, deserialize_with = "raw_member")]
    start_date: Option<&'t RawValue>,
    #[serde(borrow, default, deserialize_with = "raw_member")]
    end_date: Option<&'t RawValue>,
    #[serde(borrow, default, deserialize_with = "raw_member")]
    text: Option<&'t RawValue>,
    #[serde(borrow, default, deserialize_with = "raw_member")]
    media: Option<&'t RawValue>,
    #[serde(borrow, default, deserialize_with = "raw_member")]
    background: Option<&'t RawValue>,
    #[serde(borrow, default, deserialize_with = "raw_member")]
    group: Option<&'t RawValue>,
    #[serde(borrow, default, deserialize_with = "raw_member")]
    display_date: Option<&'t RawValue>,
    #[serde(borrow, default, deserialize_with = "raw_member")]
    unique_id: Option<&'t RawValue>,
    #[serde(borrow, default, deserialize_with = "raw_member")]
    mapline: Option<&'t RawValue>,
}

/// The `text` object of a slide.
#[derive(Default, serde::Deserialize)]
struct SlideText<'t> {
    #[serde(borrow, default, deserialize_with = "raw_member")]
    headline: Option<&'t RawValue>,
    #[serde(borrow, default, deserialize_with = "raw_member")]
    text: Option<&'t RawValue>,
}

/// The object `raw` holds, read as `T`; `None` if it is not an object
/// (serde would read an array as the fields in order).
fn members<'t, T: serde::Deserialize<'t>>(raw: &'t RawValue) -> Option<T> {
    if !raw.get().starts_with('{') {
        return None;
    }
    serde_json::from_str(raw.get()).ok()
}

/// The top of a TimelineJS file: the members mapline reads, the slides
/// listed in the same pass.
#[derive(serde::Deserialize)]
pub(crate) struct Top<'t> {
    #[serde(borrow, default)]
    pub(crate) scale: Option<&'t RawValue>,
    #[serde(borrow, default)]
    pub(crate) title: Option<&'t RawValue>,
    #[serde(borrow, default)]
    pub(crate) eras: Option<&'t RawValue>,
    #[serde(borrow, default)]
    pub(crate) events: Slides<'t>,
}

/// The `events` member: the slides, or (reported from a second reading)
/// anything else.
#[derive(Default)]
pub(crate) enum Slides<'t> {
    #[default]
    Absent,
    List(Vec<&'t RawValue>),
    NotAList,
}

impl<'de: 't, 't> serde::Deserialize<'de> for Slides<'t> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visit<'t>(std::marker::PhantomData<&'t ()>);
        impl<'de: 't, 't> serde::de::Visitor<'de> for Visit<'t> {
            type Value = Slides<'t>;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("an array of slides")
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> Result<Self::Value, A::Error> {
                let mut list = Vec::with_capacity(seq.size_hint().unwrap_or(0));
                while let Some(raw) = seq.next_element::<&'de RawValue>()? {
                    list.push(raw);
                }
                Ok(Slides::List(list))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<Self::Value, A::Error> {
                while map
                    .next_entry::<serde::de::IgnoredAny, serde::de::IgnoredAny>()?
                    .is_some()
                {}
                Ok(Slides::NotAList)
            }
            fn visit_unit<E>(self) -> Result<Self::Value, E> {
                Ok(Slides::NotAList)
            }
            fn visit_bool<E>(self, _: bool) -> Result<Self::Value, E> {
                Ok(Slides::NotAList)
            }
            fn visit_i64<E>(self, _: i64) -> Result<Self::Value, E> {
                Ok(Slides::NotAList)
            }
            fn visit_u64<E>(self, _: u64) -> Result<Self::Value, E> {
                Ok(Slides::NotAList)
            }
            fn visit_f64<E>(self, _: f64) -> Result<Self::Value, E> {
                Ok(Slides::NotAList)
            }
            fn visit_str<E>(self, _: &str) -> Result<Self::Value, E> {
                Ok(Slides::NotAList)
            }
        }
        d.deserialize_any(Visit(std::marker::PhantomData))
    }
}

/// Slides read on one thread before the next are taken.
const SLIDES_PER_TASK: usize = 256;

/// Imports a TimelineJS JSON file.
///
/// # Errors
/// Every problem found (JSON syntax, a date field that is not a number, a
/// month 13, a year beyond ±9999, a duplicate `unique_id`, …), each at its
/// line and column in the file.
pub fn import_json(text: &str, label: &str) -> Result<Imported, DatasetErrors> {
    let body = text.strip_prefix('\u{feff}').unwrap_or(text);
    let top = || {
        body.trim_start()
            .starts_with('{')
            .then(|| serde_json::from_str::<Top<'_>>(body).ok())
            .flatten()
    };
    read_json(text, label, (None, None), top)
}

/// [`import_json`] of a file whose top was read already (`None`: it is not
/// a TimelineJS object, which the reader explains), and whose duplicate
/// keys were looked for already, if they were.
pub(crate) fn import_json_top<'t>(
    text: &'t str,
    label: &str,
    top: Option<Top<'t>>,
    duplicates: Option<Vec<DuplicateKey>>,
) -> Result<Imported, DatasetErrors> {
    read_json(text, label, (top, duplicates), || None)
}

/// Reads the file from `top`, or from what `parse` reads when there is none.
fn read_json<'t>(
    text: &'t str,
    label: &str,
    (top, duplicates): (Option<Top<'t>>, Option<Vec<DuplicateKey>>),
    parse: impl FnOnce() -> Option<Top<'t>> + Send,
) -> Result<Imported, DatasetErrors> {
    let body = text.strip_prefix('\u{feff}').unwrap_or(text);
    let base = text.len() - body.len();
    // The duplicate-key scan passes over the whole text beside the reading,
    // which it stops only if it finds a key twice.
    let (duplicates, read) = rayon::join(
        || {
            duplicates.unwrap_or_else(|| {
                crate::io::json_keys::duplicate_keys(body, crate::io::MAX_DIAGNOSTICS)
            })
        },
        || {
            let (lines, parsed) = rayon::join(|| LineIndex::new(text), parse);
            read_top(
                Cx::with_lines(label, text, &lines),
                body,
                base,
                top.or(parsed),
            )
        },
    );
    if !duplicates.is_empty() {
        let lines = LineIndex::new(text);
        let mut cx = Cx::with_lines(label, text, &lines);
        cx.report_duplicate_keys(base, &duplicates);
        return Err(DatasetErrors(cx.errors));
    }
    read
}

/// Reads the file from its top: the scale, the title slide, the slides and the eras.
fn read_top<'t>(
    mut cx: Cx<'t>,
    body: &'t str,
    base: usize,
    top: Option<Top<'t>>,
) -> Result<Imported, DatasetErrors> {
    let label = cx.label;
    let Some(top) = top else {
        return Err(top_error(&cx, body, base));
    };
    let mut collected = Collected::default();

    if let Some(scale) = top.scale {
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

    if let Some(title) = top.title {
        match members::<Slide<'_>>(title) {
            Some(slide) => {
                let (headline, body_text) = slide_text(&mut cx, &slide, "title");
                collected.title = non_empty(&headline);
                collected.description = non_empty(&body_text);
                if let Some(raw) = slide.mapline {
                    let at = cx.raw_offset(raw);
                    match serde_json::from_str::<MaplineStory>(raw.get()) {
                        Ok(story) => collected.story = Some((story, at)),
                        Err(e) => {
                            let (err_at, message) = cx.json_error(at, &e);
                            cx.error(err_at, "title", format!("mapline: {message}"));
                        }
                    }
                }
            }
            None if value_of(title).is_null() => {}
            None => cx.error(
                cx.raw_offset(title),
                "title",
                "the title must be a slide object ({\"text\": {\"headline\": …, \"text\": …}})",
            ),
        }
    }

    let events = match top.events {
        Slides::Absent => Vec::new(),
        Slides::List(list) => list,
        Slides::NotAList => {
            // Read again, as members, to say where it stands.
            let raw = serde_json::from_str::<Object<'_>>(body)
                .ok()
                .and_then(|o| o.get("events").copied());
            let at = raw.map_or(base, |r| cx.raw_offset(r));
            if raw.is_some_and(|r| value_of(r).is_null()) {
                cx.error(
                    at,
                    "dataset",
                    "\"events\" is null: TimelineJS lists the slides as an array (\"events\": [{\"start_date\": …, \"text\": …}, …]); write [] for none",
                );
            } else {
                cx.error(at, "dataset", "\"events\" must be an array of slides");
            }
            Vec::new()
        }
    };
    read_slides(&mut cx, &mut collected, &events);

    if let Some(raw) = top.eras {
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

/// Why the top of the file is not a TimelineJS object, where it says so.
fn top_error(cx: &Cx<'_>, body: &str, base: usize) -> DatasetErrors {
    let Err(e) = serde_json::from_str::<Object<'_>>(body) else {
        // Read as members (cannot be: the top reads whatever they hold).
        return one_error(
            cx.label,
            cx.lines.pos(base),
            "expected a TimelineJS object ({\"title\": …, \"events\": […]})",
        );
    };
    let (at, message) = cx.json_error(base, &e);
    let message = if body.trim_start().starts_with('{') {
        format!("not valid JSON: {message}")
    } else {
        "expected a TimelineJS object ({\"title\": …, \"events\": […]})".to_owned()
    };
    one_error(cx.label, cx.lines.pos(at), message)
}

/// Reads the slides in file order, in parallel batches, each batch
/// reporting on its own; the reports are merged in order.
fn read_slides<'t>(cx: &mut Cx<'t>, collected: &mut Collected, events: &[&'t RawValue]) {
    use rayon::prelude::*;
    let (label, text, lines) = (cx.label, cx.text, &*cx.lines);
    let parts: Vec<(Collected, Vec<Diagnostic>, Vec<Diagnostic>)> = events
        .par_chunks(SLIDES_PER_TASK)
        .enumerate()
        .map(|(task, slides)| {
            let mut part_cx = Cx::with_lines(label, text, lines);
            let mut part = Collected::default();
            for (i, raw) in slides.iter().enumerate() {
                read_json_event(&mut part_cx, &mut part, task * SLIDES_PER_TASK + i + 1, raw);
            }
            (part, part_cx.errors, part_cx.warnings)
        })
        .collect();
    collected
        .events
        .reserve(parts.iter().map(|(part, ..)| part.events.len()).sum());
    for (part, mut errors, mut warnings) in parts {
        collected.merge(part);
        cx.errors.append(&mut errors);
        cx.warnings.append(&mut warnings);
    }
}

/// The headline and text of a slide, as plain text.
fn slide_text(cx: &mut Cx<'_>, slide: &Slide<'_>, item: &str) -> (String, String) {
    let Some(raw) = slide.text else {
        return (String::new(), String::new());
    };
    let Some(text) = members::<SlideText<'_>>(raw) else {
        if !value_of(raw).is_null() {
            cx.error(
                cx.raw_offset(raw),
                item,
                "text must be an object ({\"headline\": …, \"text\": …})",
            );
        }
        return (String::new(), String::new());
    };
    let headline = text_in(text.headline).map_or_else(String::new, |h| strip_html(&h));
    let body = text_in(text.text).map_or_else(String::new, |t| strip_html(&t));
    (headline, body)
}

/// The cells of a date object in the file.
fn json_cells(cx: &Cx<'_>, names: &[&'static str; 7], object: &DateObject<'_>) -> DateCells {
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
struct DateObject<'t> {
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
const START_NAMES: [&str; 7] = [
    "start_date.year",
    "start_date.month",
    "start_date.day",
    "start_date.hour",
    "start_date.minute",
    "start_date.second",
    "start_date.millisecond",
];
const END_NAMES: [&str; 7] = [
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
fn json_dates(
    cx: &mut Cx<'_>,
    item: &str,
    slide: &Slide<'_>,
    at: usize,
) -> Option<((DateFields, Option<DateFields>), TimelineJsDates, Timed)> {
    let Some(start_raw) = slide.start_date else {
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
    let (end_raw, end) = match slide.end_date {
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

fn read_json_event(cx: &mut Cx<'_>, collected: &mut Collected, number: usize, raw: &RawValue) {
    let at = cx.raw_offset(raw);
    let Some(slide) = members::<Slide<'_>>(raw) else {
        cx.error(
            at,
            &format!("event {number}"),
            "an event must be a slide object ({\"start_date\": …, \"text\": …})",
        );
        return;
    };
    let (headline, text) = slide_text(cx, &slide, &format!("event {number}"));
    let item = item_label("event", number, &headline);

    let mapline = slide.mapline.and_then(|m| read_mapline(cx, &item, m));
    let (time_at, id_at) = mapline
        .as_ref()
        .map_or((None, None), |(_, _, time_at, id_at)| (*time_at, *id_at));
    let mapline = mapline.map(|(m, m_at, ..)| (m, m_at));

    let dates = json_dates(cx, &item, &slide, at);
    let time = dates.as_ref().and_then(|(fields, _, edtf)| {
        settle_time(cx, &item, edtf.clone(), *fields, mapline.as_ref(), time_at)
    });

    let mut given_id = None;
    if let Some(raw) = slide.unique_id {
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
        given_id = Some((id.to_owned(), id_at.unwrap_or(*m_at)));
    }

    let media = slide.media.and_then(|raw| {
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
        if text_of(media.get("thumbnail").copied()).is_some_and(|t| !t.trim().is_empty()) {
            collected.dropped(m_at, false);
        }
        let url = text_of(media.get("url").copied()).and_then(|u| non_empty(&u));
        let caption =
            text_of(media.get("caption").copied()).and_then(|c| non_empty(&strip_html(&c)));
        let credit = text_of(media.get("credit").copied()).and_then(|c| non_empty(&strip_html(&c)));
        if url.is_none() && (caption.is_some() || credit.is_some()) {
            cx.warn(m_at, &item, "media has no url: it is not kept");
        }
        url.map(|url| MediaEntry {
            url,
            caption,
            credit,
        })
    });
    if let Some(raw) = slide.background
        && !value_of(raw).is_null()
    {
        collected.dropped(cx.raw_offset(raw), true);
    }
    let group = text_of(slide.group).and_then(|g| non_empty(&g));
    let display_date = text_of(slide.display_date).and_then(|d| non_empty(&d));
    // The display date mapline's export computed is not the file's own.
    let display_date = match (&mapline, &time, display_date) {
        (Some(_), Some((t, bounds)), Some(d))
            if super::dates::computed_display_date(TimeRef::new(t, *bounds)).as_deref()
                == Some(d.as_str()) =>
        {
            None
        }
        (_, _, d) => d,
    };

    let (Some((time, bounds)), Some((_, dates, _))) = (time, dates) else {
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
        bounds,
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
    let Some(slide) = members::<Slide<'_>>(raw) else {
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
    let mapline = slide.mapline.and_then(|m| {
        let m_at = cx.raw_offset(m);
        let read = serde_json::from_str::<MaplineEraRead<'_>>(m.get())
            .ok()
            .and_then(|era| {
                let time = serde_json::from_str::<String>(era.time.get()).ok()?;
                Some((time, cx.raw_offset(era.time)))
            });
        let Some((time, time_at)) = read else {
            // Read again as the type, for serde's own account of what is wrong.
            if let Err(e) = serde_json::from_str::<MaplineEra>(m.get()) {
                let (err_at, message) = cx.json_error(m_at, &e);
                cx.error(err_at, &item, format!("mapline: {message}"));
            }
            return None;
        };
        let event = MaplineEvent {
            time: Some(time),
            ..MaplineEvent::default()
        };
        Some((event, m_at, time_at))
    });
    let time_at = mapline.as_ref().map(|(_, _, time_at)| *time_at);
    let mapline = mapline.map(|(m, m_at, _)| (m, m_at));
    let Some((time, _)) = settle_time(cx, &item, edtf, fields, mapline.as_ref(), time_at) else {
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

/// The `mapline` object of an era, its time kept raw (where it stands).
#[derive(serde::Deserialize)]
struct MaplineEraRead<'t> {
    #[serde(borrow)]
    time: &'t RawValue,
}

/// The `mapline` object of an event, its id and time kept raw (where they
/// stand); read in the same pass as the rest.
#[derive(serde::Deserialize)]
struct MaplineEventRead<'t> {
    #[serde(borrow, default)]
    id: Option<&'t RawValue>,
    #[serde(borrow, default)]
    time: Option<&'t RawValue>,
    #[serde(default)]
    time_note: Option<String>,
    #[serde(default)]
    category: Option<crate::model::Category>,
    #[serde(default)]
    places: Vec<super::MaplinePlace>,
    #[serde(default)]
    actors: Vec<crate::io::format::ActorEntry>,
    #[serde(default)]
    links: Vec<crate::io::format::LinkEntry>,
    #[serde(default)]
    event_type: Option<String>,
    #[serde(default)]
    attribution: Option<String>,
}

/// Reads an event's `mapline` object: the object, where it stands, and where
/// its time and id stand (their opening quotes). `None` when it is broken
/// (reported at serde's position).
fn read_mapline(
    cx: &mut Cx<'_>,
    item: &str,
    m: &RawValue,
) -> Option<(MaplineEvent, usize, Option<usize>, Option<usize>)> {
    let m_at = cx.raw_offset(m);
    let read = serde_json::from_str::<MaplineEventRead<'_>>(m.get())
        .ok()
        .and_then(|r| {
            let text = |raw: Option<&RawValue>| match raw {
                None => Some(None),
                Some(raw) => serde_json::from_str::<String>(raw.get()).ok().map(Some),
            };
            let event = MaplineEvent {
                id: text(r.id)?,
                time: text(r.time)?,
                time_note: r.time_note,
                category: r.category,
                places: r.places,
                actors: r.actors,
                links: r.links,
                event_type: r.event_type,
                attribution: r.attribution,
            };
            let time_at = r.time.map(|raw| cx.raw_offset(raw));
            let id_at = r.id.map(|raw| cx.raw_offset(raw));
            Some((event, m_at, time_at, id_at))
        });
    if read.is_none() {
        // Read again as the type, for serde's own account of what is wrong
        // (the first problem in the object, as the type reads it).
        match serde_json::from_str::<MaplineEvent>(m.get()) {
            Err(e) => {
                let (err_at, message) = cx.json_error(m_at, &e);
                cx.error(err_at, item, format!("mapline: {message}"));
            }
            Ok(event) => return Some((event, m_at, None, None)),
        }
    }
    read
}
