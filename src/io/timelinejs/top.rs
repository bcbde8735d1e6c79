//! The shape of a TimelineJS JSON file, told from its top: version 3
//! (`{"title", "events", "eras"}`), version 3 wrapped in a `timeline`
//! object (`{"timeline": {"events" | "slides": […]}}`), or version 2
//! (`{"timeline": {"headline", "date": […], "era": […]}}`), as a `.json`
//! file or as JSONP (see [`super::jsonp`]).

use serde_json::value::RawValue;

use super::json::{Slides, Top};
use super::jsonp;
use super::raw::members;

/// A TimelineJS JSON document, its top read.
pub(crate) struct Doc<'t> {
    /// The JSON text, a slice of the file: the file without its BOM, or
    /// the object of a JSONP file.
    pub(crate) json: &'t str,
    /// The version 3 top (for a wrapped file, the wrapped object's).
    pub(crate) top: Top<'t>,
    pub(crate) form: Form<'t>,
}

/// Which TimelineJS JSON a document is.
#[derive(Clone, Copy)]
pub(crate) enum Form<'t> {
    /// Version 3: `{"title", "events", "eras"}`.
    Plain,
    /// Version 3 inside `{"timeline": …}` (this object); `slides` read as
    /// `events`.
    Wrapped(&'t RawValue),
    /// Version 2: the `timeline` object.
    Version2(&'t RawValue),
}

/// The members of a `timeline` object that tell what it holds.
#[derive(serde::Deserialize)]
struct Inner<'t> {
    #[serde(borrow, default)]
    scale: Option<&'t RawValue>,
    #[serde(borrow, default)]
    title: Option<&'t RawValue>,
    #[serde(borrow, default)]
    eras: Option<&'t RawValue>,
    #[serde(borrow, default)]
    events: Slides<'t>,
    #[serde(borrow, default)]
    slides: Slides<'t>,
    #[serde(borrow, default)]
    date: Option<&'t RawValue>,
    #[serde(borrow, default)]
    era: Option<&'t RawValue>,
    #[serde(borrow, default)]
    headline: Option<&'t RawValue>,
    #[serde(borrow, default, rename = "startDate")]
    start_date: Option<&'t RawValue>,
}

impl<'t> Doc<'t> {
    /// The document whose top, read from `json`, is `top`; `None` when it
    /// is no TimelineJS JSON.
    pub(crate) fn new(json: &'t str, top: Top<'t>) -> Option<Self> {
        if !matches!(top.events, Slides::Absent) {
            return Some(Self {
                json,
                top,
                form: Form::Plain,
            });
        }
        if let Some(timeline) = top.timeline {
            let inner = members::<Inner<'_>>(timeline)?;
            let wrapped =
                !matches!(inner.events, Slides::Absent) || !matches!(inner.slides, Slides::Absent);
            if wrapped {
                let events = match inner.events {
                    Slides::Absent => inner.slides,
                    events => events,
                };
                let top = Top {
                    scale: inner.scale,
                    title: inner.title,
                    eras: inner.eras,
                    events,
                    timeline: None,
                };
                return Some(Self {
                    json,
                    top,
                    form: Form::Wrapped(timeline),
                });
            }
            let version2 = inner.date.is_some()
                || inner.era.is_some()
                || inner.headline.is_some()
                || inner.start_date.is_some();
            return version2.then_some(Self {
                json,
                top,
                form: Form::Version2(timeline),
            });
        }
        (top.title.is_some() && top.eras.is_some()).then_some(Self {
            json,
            top,
            form: Form::Plain,
        })
    }

    /// Reads the top of the file `text` (a BOM, JSONP allowed); `None` when
    /// it is no TimelineJS JSON (the reader then says why).
    pub(crate) fn read(text: &'t str) -> Option<Self> {
        let json = json_of(text);
        if !json.trim_start().starts_with('{') {
            return None;
        }
        Self::new(json, serde_json::from_str::<Top<'_>>(json).ok()?)
    }
}

/// The JSON of the file `text`: the text without its BOM, or the object a
/// JSONP file assigns (the whole text when its wrapper is broken, which the
/// reader then reports).
pub(crate) fn json_of(text: &str) -> &str {
    let body = text.strip_prefix('\u{feff}').unwrap_or(text);
    if jsonp::looks_like(body) {
        return jsonp::object(text, body).unwrap_or(body);
    }
    body
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    /// The form a text's top reads as: `plain`, `wrapped`, `v2`, or `none`.
    fn form(text: &str) -> &'static str {
        match Doc::read(text).map(|d| d.form) {
            Some(Form::Plain) => "plain",
            Some(Form::Wrapped(_)) => "wrapped",
            Some(Form::Version2(_)) => "v2",
            None => "none",
        }
    }

    #[test]
    fn tells_each_form_from_its_content() {
        assert_eq!(form(r#"{"events": []}"#), "plain");
        assert_eq!(form(r#"{"title": {}, "eras": []}"#), "plain");
        assert_eq!(form(r#"{"timeline": {"events": []}}"#), "wrapped");
        assert_eq!(form(r#"{"timeline": {"slides": []}}"#), "wrapped");
        assert_eq!(form(r#"{"timeline": {"slides": null}}"#), "wrapped");
        assert_eq!(form(r#"{"timeline": {"headline": "x", "date": []}}"#), "v2");
        assert_eq!(form(r#"{"timeline": {"era": []}}"#), "v2");
        assert_eq!(
            form("storyjs_jsonp_data = {\"timeline\": {\"date\": []}};"),
            "v2"
        );
        assert_eq!(form("\u{feff}{\"timeline\": {\"date\": []}}"), "v2");
        // Events at the top win over a `timeline` member.
        assert_eq!(form(r#"{"events": [], "timeline": {"date": []}}"#), "plain");
        assert_eq!(form(r#"{"timeline": {"other": 1}}"#), "none");
        assert_eq!(form(r#"{"timeline": "2011"}"#), "none");
        assert_eq!(form(r#"{"type": "FeatureCollection"}"#), "none");
        assert_eq!(form("storyjs_jsonp_data {}"), "none");
    }

    #[test]
    fn a_wrapped_file_reads_its_slides_and_title_inside() {
        let text = r#"{"timeline": {"title": {"text": {"headline": "T"}}, "slides": [{}, {}], "eras": []}}"#;
        let doc = Doc::read(text).unwrap();
        assert!(matches!(doc.top.events, Slides::List(ref l) if l.len() == 2));
        assert!(doc.top.title.is_some() && doc.top.eras.is_some());
    }
}
