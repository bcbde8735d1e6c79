//! The TimelineJS JSON reader: the document (its top, as the format probe
//! or this reader reads it, the title slide, the list of slides and the
//! eras), the slides read in parallel batches beside the duplicate-key scan.
//! A slide itself is read in [`super::slide`].

use serde_json::value::RawValue;

use crate::io::diagnostic::{DatasetErrors, Diagnostic, LineIndex};
use crate::io::imported::{Imported, one_error};
use crate::io::json_keys::DuplicateKey;

use super::MaplineStory;
use super::collect::{Collected, Cx, Pending, finish, non_empty};
use super::raw::{Object, members, value_of};
use super::slide::{Slide, read_json_era, read_json_event, slide_text};
use super::top::{Doc, Form, json_of};

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
    /// The `timeline` object of a wrapped or a TimelineJS 2 file.
    #[serde(borrow, default)]
    pub(crate) timeline: Option<&'t RawValue>,
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
    read_json(text, label, (None, None), || Doc::read(text))
}

/// [`import_json`] of a file whose top was read already (`None`: it is not
/// a TimelineJS object, which the reader explains), and whose duplicate
/// keys were looked for already (in the document's JSON), if they were.
pub(crate) fn import_json_top<'t>(
    text: &'t str,
    label: &str,
    top: Option<Doc<'t>>,
    duplicates: Option<Vec<DuplicateKey>>,
) -> Result<Imported, DatasetErrors> {
    read_json(text, label, (top, duplicates), || None)
}

/// Reads the file from `top`, or from what `parse` reads when there is none.
fn read_json<'t>(
    text: &'t str,
    label: &str,
    (top, duplicates): (Option<Doc<'t>>, Option<Vec<DuplicateKey>>),
    parse: impl FnOnce() -> Option<Doc<'t>> + Send,
) -> Result<Imported, DatasetErrors> {
    // The JSON: the file but its BOM, or a JSONP file's object.
    let body = top.as_ref().map_or_else(|| json_of(text), |d| d.json);
    let base = (body.as_ptr() as usize).saturating_sub(text.as_ptr() as usize);
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

/// Reads the file from its top: the scale, the title slide, the slides and
/// the eras (or, for TimelineJS 2, its `timeline` object).
fn read_top<'t>(
    mut cx: Cx<'t>,
    body: &'t str,
    base: usize,
    doc: Option<Doc<'t>>,
) -> Result<Imported, DatasetErrors> {
    let label = cx.label;
    let Some(Doc { top, form, .. }) = doc else {
        return Err(top_error(&cx, body, base));
    };
    let mut collected = Collected::default();
    // The object that holds the slides: the file's, or the `timeline` it wraps.
    let (holder, holder_at) = match form {
        Form::Plain => (body, base),
        Form::Wrapped(inner) => (inner.get(), cx.raw_offset(inner)),
        Form::Version2(timeline) => {
            super::v2::read_v2(&mut cx, &mut collected, timeline);
            return finish(cx, label, collected);
        }
    };
    if let Form::Wrapped(inner) = form {
        both_events_and_slides(&mut cx, inner);
    }

    if let Some(scale) = top.scale {
        match value_of(scale).as_str() {
            // Deep time is held as any other (years to a trillion either way).
            Some("human" | "cosmological") | None => {}
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
            let members = serde_json::from_str::<Object<'_>>(holder).ok();
            let (name, raw) = ["events", "slides"]
                .into_iter()
                .find_map(|n| Some((n, *members.as_ref()?.get(n)?)))
                .map_or(("events", None), |(n, r)| (n, Some(r)));
            let at = raw.map_or(holder_at, |r| cx.raw_offset(r));
            if raw.is_some_and(|r| value_of(r).is_null()) {
                cx.error(
                    at,
                    "dataset",
                    format!("\"{name}\" is null: TimelineJS lists the slides as an array (\"{name}\": [{{\"start_date\": …, \"text\": …}}, …]); write [] for none"),
                );
            } else {
                cx.error(
                    at,
                    "dataset",
                    format!("\"{name}\" must be an array of slides"),
                );
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

/// A wrapped file that gives both `events` and `slides`: an error at
/// `slides` (which of the two lists is the timeline cannot be told).
fn both_events_and_slides(cx: &mut Cx<'_>, inner: &RawValue) {
    let Ok(members) = serde_json::from_str::<Object<'_>>(inner.get()) else {
        return;
    };
    if let (Some(_), Some(slides)) = (members.get("events"), members.get("slides")) {
        cx.error(
            cx.raw_offset(slides),
            "timeline",
            "the timeline gives both \"events\" and \"slides\": mapline cannot tell which holds the slides; keep one",
        );
    }
}

/// Why the top of the file is not a TimelineJS object, where it says so.
fn top_error(cx: &Cx<'_>, body: &str, base: usize) -> DatasetErrors {
    let file = cx.text.strip_prefix('\u{feff}').unwrap_or(cx.text);
    if super::jsonp::looks_like(file) {
        return match super::jsonp::object(cx.text, file) {
            Err(e) => one_error(cx.label, cx.lines.pos(e.at), e.message),
            Ok(_) => one_error(
                cx.label,
                cx.lines.pos(base),
                "the JSONP object holds no TimelineJS timeline ({\"timeline\": {\"headline\": …, \"date\": […]}})",
            ),
        };
    }
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

/// Reads the slides in file order, in parallel batches, each slide
/// reporting on its own; the events stand in file order where they are
/// read (no batch's list copied into the whole), the reports are merged in
/// order.
fn read_slides<'t>(cx: &mut Cx<'t>, collected: &mut Collected, events: &[&'t RawValue]) {
    use rayon::prelude::*;
    let (label, text, lines) = (cx.label, cx.text, &*cx.lines);
    let (pending, reports): (Vec<Option<Pending>>, Vec<SlideReport>) = events
        .par_iter()
        .enumerate()
        .with_min_len(SLIDES_PER_TASK)
        .map(|(i, raw)| {
            let mut slide_cx = Cx::with_lines(label, text, lines);
            let mut part = Collected::default();
            let pending = read_json_event(&mut slide_cx, &mut part, i + 1, raw);
            let report = (slide_cx.errors, slide_cx.warnings, part);
            (pending, report)
        })
        .unzip();
    collected.events = pending;
    for (mut errors, mut warnings, part) in reports {
        collected.merge(part);
        cx.errors.append(&mut errors);
        cx.warnings.append(&mut warnings);
    }
}

/// What reading a slide reported: its errors, its warnings, and what it
/// dropped.
type SlideReport = (Vec<Diagnostic>, Vec<Diagnostic>, Collected);
