//! TimelineJS JSON (<https://timeline.knightlab.com/docs/json-format.html>)
//! of the view's events.
//!
//! - The `title` slide holds the dataset's title and description; each event
//!   is a slide with `start_date` (and `end_date`), `text.headline` (the
//!   title), `text.text` (the event's text, then its verified excerpts as
//!   block quotes naming the outlet), `media`, `group`, `display_date` and
//!   `unique_id` (the id). The dataset's eras are `eras`.
//! - Dates are the nearest TimelineJS can say: a year gives only `year`, a
//!   month `year` and `month`, a day all three (and the time of day, if any);
//!   an interval gives `start_date` and `end_date`; decades and centuries
//!   become year ranges. Whatever the fields cannot say (an open end, "the
//!   1990s", "about", "uncertain") is said in `display_date`, in words.
//! - An event imported from TimelineJS gets its `start_date` / `end_date`
//!   objects back exactly as read, as long as they still describe its time.
//! - Every event also carries a `mapline` object (see
//!   [`crate::io::timelinejs`]) with the exact EDTF, id, category,
//!   places, actors and links, so that mapline reads the file back without
//!   loss. TimelineJS ignores it.
//! - The title slide carries a `mapline` object too (see
//!   [`crate::io::timelinejs::MaplineStory`]): the claims about the view's
//!   events in the native shape (stances with their strength, time and
//!   note, each quote verbatim), with the articles they quote (whole, so
//!   that the quotes can be proven again), the actors and the alleged
//!   origins they name.

use std::collections::{BTreeSet, HashSet};
use std::fmt::Write as _;
use std::path::Path;

use serde_json::{Map, Value};

use crate::io::atomic::write_atomic;
use crate::io::format::{ActorEntry, LinkEntry, PlaceEntry};
use crate::io::timelinejs::dates::{
    CALENDAR_YEARS, DateFields, computed_display_date, date_object, derive_dates, edtf_of_objects,
    timelinejs_year,
};
use crate::io::timelinejs::{MaplineEra, MaplineEvent, MaplinePlace, MaplineSource, MaplineStory};
use crate::io::view::{ExportSummary, View};
use crate::model::{
    ActorIdx, Claim, Dataset, EventIdx, EventRef, Excerpt, ExtraRef, PlaceIdx, SourceIdx,
};

/// Writes the view as TimelineJS JSON to `out`, atomically.
///
/// # Errors
/// An I/O error; `out` is then left as it was.
pub fn write(view: &View<'_>, out: &Path) -> std::io::Result<ExportSummary> {
    let doc = document(view);
    let mut bytes = serde_json::to_vec_pretty(&doc).map_err(std::io::Error::other)?;
    bytes.push(b'\n');
    write_atomic(out, &bytes)?;
    Ok(ExportSummary {
        events: view.events.len(),
        places: view.places().len(),
    })
}

/// The whole TimelineJS document.
fn document(view: &View<'_>) -> Value {
    let ds = view.dataset;
    let in_view: HashSet<&str> = view
        .events
        .iter()
        .filter_map(|e| ds.events.try_get(*e))
        .map(EventRef::id)
        .collect();
    let mut doc = Map::new();
    let mut title = Map::new();
    title.insert(
        "text".to_owned(),
        text_object(&ds.title, &paragraphs(&ds.description)),
    );
    let story = story(view);
    if !story.is_empty() {
        title.insert(
            "mapline".to_owned(),
            serde_json::to_value(story).unwrap_or(Value::Null),
        );
    }
    doc.insert("title".to_owned(), Value::Object(title));
    let events: Vec<Value> = view
        .events
        .iter()
        .filter_map(|e| ds.events.try_get(*e))
        .map(|e| event_slide(ds, e, &in_view))
        .collect();
    doc.insert("events".to_owned(), Value::Array(events));
    // TimelineJS3 draws years beyond JavaScript's dates (before 271,821 BCE
    // or after 275,759) only on its cosmological scale, which reads years
    // alone: said when any event in the view needs it.
    let deep = view
        .events
        .iter()
        .filter_map(|e| ds.events.try_get(*e))
        .flat_map(|e| [e.time().earliest(), e.time().latest()])
        .flatten()
        .any(|d| !(-(CALENDAR_YEARS - 1)..=275_759).contains(&d.year()));
    if deep {
        doc.insert("scale".to_owned(), Value::from("cosmological"));
    }
    if !ds.eras.is_empty() {
        let eras: Vec<Value> = ds
            .eras
            .iter()
            .map(|era| {
                let (start, end) = derive_dates(era.time.as_ref());
                let mut slide = Map::new();
                slide.insert("start_date".to_owned(), date_object(&start));
                slide.insert("end_date".to_owned(), date_object(&end.unwrap_or(start)));
                slide.insert(
                    "text".to_owned(),
                    text_object(&era.title, &paragraphs(era.text.as_deref().unwrap_or(""))),
                );
                let mapline = MaplineEra {
                    time: era.time.edtf().to_owned(),
                };
                slide.insert(
                    "mapline".to_owned(),
                    serde_json::to_value(mapline).unwrap_or(Value::Null),
                );
                Value::Object(slide)
            })
            .collect();
        doc.insert("eras".to_owned(), Value::Array(eras));
    }
    Value::Object(doc)
}

/// The title slide's `mapline` object: the claims about the view's events
/// (as the native export keeps them: a claim with at least one event in the
/// view, with only those events; one about no event only when the view is
/// the whole dataset), the articles their stances quote, the actors of the
/// stances and of those articles, and the claims' alleged origins.
fn story(view: &View<'_>) -> MaplineStory {
    let ds = view.dataset;
    let in_view: HashSet<EventIdx> = view
        .events
        .iter()
        .copied()
        .filter(|&e| ds.events.try_get(e).is_some())
        .collect();
    let whole = in_view.len() == ds.events.len();
    let claims: Vec<(&Claim, Vec<EventIdx>)> = ds
        .claims
        .iter()
        .filter_map(|c| {
            let events: Vec<EventIdx> = c
                .events
                .iter()
                .copied()
                .filter(|e| in_view.contains(e))
                .collect();
            let keep = !events.is_empty() || (c.events.is_empty() && whole);
            keep.then_some((c, events))
        })
        .collect();
    let mut sources: BTreeSet<SourceIdx> = BTreeSet::new();
    let mut actors: BTreeSet<ActorIdx> = BTreeSet::new();
    let mut places: BTreeSet<PlaceIdx> = BTreeSet::new();
    let mut excerpts: Vec<Excerpt> = Vec::new();
    for (c, _) in &claims {
        places.extend(c.alleged_origin);
        for s in &c.stances {
            actors.insert(s.actor);
            sources.insert(s.excerpt.source);
            excerpts.push(s.excerpt);
        }
    }
    actors.extend(sources.iter().filter_map(|&s| ds.source(s).actor));
    let occurrences = crate::io::native::write::occurrences(ds, &excerpts);
    // Every occurrence is written, the first too: the reader then resolves
    // each quote where it stood without a warning.
    let quote = |x: &Excerpt| -> (String, Option<usize>) {
        let span = x.span();
        (
            x.text(&ds.sources).to_owned(),
            occurrences.get(&(x.source, span.start, span.end)).copied(),
        )
    };
    MaplineStory {
        sources: sources
            .iter()
            .map(|&s| {
                let src = ds.source(s);
                let entry = crate::io::native::write::source_entry(
                    ds,
                    src,
                    src.file.clone(),
                    src.sha256.clone(),
                );
                MaplineSource::new(entry, src.text.clone())
            })
            .collect(),
        actors: actors
            .iter()
            .map(|&a| ActorEntry::from(ds.actor(a)))
            .collect(),
        places: places
            .iter()
            .map(|&p| PlaceEntry::from(ds.place(p)))
            .collect(),
        claims: claims
            .iter()
            .map(|(c, events)| crate::io::native::write::claim_entry(ds, c, events, &quote))
            .collect(),
    }
}

/// One event as a TimelineJS slide.
fn event_slide(ds: &Dataset, ev: EventRef<'_>, in_view: &HashSet<&str>) -> Value {
    let extra = ev.extra();
    let mut slide = Map::new();
    let stored = extra
        .and_then(ExtraRef::timelinejs_dates)
        .filter(|(s, e)| edtf_of_objects(s, e.as_ref()).as_deref() == Some(ev.time().edtf()));
    let (start, end) = if let Some((s, e)) = stored {
        (s.clone(), e.clone())
    } else {
        let (s, e) = derive_dates(ev.time());
        (date_object(&s), e.as_ref().map(date_object))
    };
    slide.insert("start_date".to_owned(), start);
    if let Some(end) = end {
        slide.insert("end_date".to_owned(), end);
    }
    slide.insert(
        "text".to_owned(),
        text_object(ev.title(), &event_html(ds, ev)),
    );
    if let Some(media) = extra.and_then(ExtraRef::media) {
        let mut m = Map::new();
        m.insert("url".to_owned(), Value::String(media.url.clone()));
        if let Some(caption) = &media.caption {
            m.insert("caption".to_owned(), Value::String(escape(caption)));
        }
        if let Some(credit) = &media.credit {
            m.insert("credit".to_owned(), Value::String(escape(credit)));
        }
        slide.insert("media".to_owned(), Value::Object(m));
    }
    if let Some(group) = extra.and_then(ExtraRef::group) {
        slide.insert("group".to_owned(), Value::String(group.to_owned()));
    }
    let display_date = extra
        .and_then(|x| x.display_date().map(str::to_owned))
        .or_else(|| computed_display_date(ev.time()));
    if let Some(display) = display_date {
        slide.insert("display_date".to_owned(), Value::String(display));
    }
    slide.insert("unique_id".to_owned(), Value::String(ev.id().to_owned()));
    let mapline = MaplineEvent {
        id: Some(ev.id().to_owned()),
        time: Some(ev.time().edtf().to_owned()),
        time_note: ev.time_note().map(str::to_owned),
        category: Some(ev.category()),
        places: ev
            .places()
            .iter()
            .filter_map(|p| {
                let place = ds.places.get(p.place.index())?;
                Some(MaplinePlace::new(PlaceEntry::from(place), p.role))
            })
            .collect(),
        actors: ev
            .actors()
            .iter()
            .filter_map(|a| ds.actors.get(a.index()))
            .map(ActorEntry::from)
            .collect(),
        links: ev
            .links()
            .iter()
            .filter_map(|l| {
                let target = ds.events.try_get(l.event)?;
                in_view.contains(target.id()).then(|| LinkEntry {
                    relation: l.relation,
                    event: target.id().to_owned(),
                })
            })
            .collect(),
        event_type: extra.and_then(|x| x.event_type().map(str::to_owned)),
        attribution: extra.and_then(|x| x.attribution().map(str::to_owned)),
    };
    slide.insert(
        "mapline".to_owned(),
        serde_json::to_value(mapline).unwrap_or(Value::Null),
    );
    Value::Object(slide)
}

/// The event's text as HTML paragraphs, then each verified excerpt as a
/// block quote with its outlet, headline and date.
fn event_html(ds: &Dataset, ev: EventRef<'_>) -> String {
    let mut html = paragraphs(ev.text().unwrap_or(""));
    for x in ev.excerpts() {
        let Some(source) = ds.sources.get(x.source.index()) else {
            continue;
        };
        let mut cite = format!("<cite>{}</cite>", escape(&source.outlet));
        if !source.title.trim().is_empty() {
            let _ = write!(cite, ", “{}”", escape(&source.title));
        }
        if let Some(published) = &source.published {
            let _ = write!(cite, ", {}", escape(&published.display()));
        }
        let _ = write!(
            html,
            "<blockquote><p>{}</p><p>— {cite}</p></blockquote>",
            escape(x.text(&ds.sources))
        );
    }
    html
}

/// `{"headline": …, "text": …}` (the text left out when empty).
fn text_object(headline: &str, html: &str) -> Value {
    let mut text = Map::new();
    text.insert("headline".to_owned(), Value::String(escape(headline)));
    if !html.is_empty() {
        text.insert("text".to_owned(), Value::String(html.to_owned()));
    }
    Value::Object(text)
}

/// Plain text as HTML paragraphs: blank lines part paragraphs, single line
/// breaks become `<br>`.
fn paragraphs(text: &str) -> String {
    let mut html = String::new();
    let mut lines: Vec<String> = Vec::new();
    for line in text.lines().chain(std::iter::once("")) {
        let line = line.trim();
        if line.is_empty() {
            if !lines.is_empty() {
                let _ = write!(html, "<p>{}</p>", lines.join("<br>"));
                lines.clear();
            }
        } else {
            lines.push(escape(line));
        }
    }
    html
}

/// Text made safe to stand in HTML (`&`, `<`, `>`).
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            _ => out.push(c),
        }
    }
    out
}

/// The TimelineJS spreadsheet template's columns, in its order.
pub const SHEET_HEADER: [&str; 18] = [
    "Year",
    "Month",
    "Day",
    "Time",
    "End Year",
    "End Month",
    "End Day",
    "End Time",
    "Display Date",
    "Headline",
    "Text",
    "Media",
    "Media Credit",
    "Media Caption",
    "Media Thumbnail",
    "Type",
    "Group",
    "Background",
];

/// Writes the view's events as a TimelineJS spreadsheet (the template's
/// columns, as a Google Sheet downloads to CSV) to `out`, atomically: each
/// event's dates as [`derive_dates`] gives them, its title as the headline
/// and its text. What the template has no column for (places, excerpts) is
/// not written: the sheet is what a TimelineJS author holds.
///
/// # Errors
/// An I/O error; `out` is then left as it was.
pub fn write_sheet(view: &View<'_>, out: &Path) -> std::io::Result<ExportSummary> {
    let ds = view.dataset;
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record(SHEET_HEADER)?;
    let number = |v: Option<u32>| v.map(|v| v.to_string()).unwrap_or_default();
    let time = |f: &DateFields| {
        f.hour.map_or_else(String::new, |h| {
            format!(
                "{h:02}:{:02}:{:02}",
                f.minute.unwrap_or(0),
                f.second.unwrap_or(0)
            )
        })
    };
    // The year as TimelineJS numbers it (see `timelinejs_year`).
    let year = |f: &DateFields| timelinejs_year(f.year).to_string();
    let mut events = 0;
    for e in view.events.iter().filter_map(|e| ds.events.try_get(*e)) {
        let (start, end) = derive_dates(e.time());
        let (end_year, end_month, end_day, end_time) = end.as_ref().map_or_else(
            || (String::new(), String::new(), String::new(), String::new()),
            |f| (year(f), number(f.month), number(f.day), time(f)),
        );
        writer.write_record([
            year(&start),
            number(start.month),
            number(start.day),
            time(&start),
            end_year,
            end_month,
            end_day,
            end_time,
            String::new(),
            e.title().to_owned(),
            e.text().unwrap_or_default().to_owned(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
        ])?;
        events += 1;
    }
    let bytes = writer
        .into_inner()
        .map_err(csv::IntoInnerError::into_error)?;
    write_atomic(out, &bytes)?;
    Ok(ExportSummary { events, places: 0 })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::model::FuzzyTime;

    fn derived(edtf: &str) -> (Value, Option<Value>, Option<String>) {
        let t = FuzzyTime::parse(edtf).unwrap();
        let (s, e) = derive_dates(t.as_ref());
        (
            date_object(&s),
            e.as_ref().map(date_object),
            computed_display_date(t.as_ref()),
        )
    }

    #[test]
    fn dates_are_as_precise_as_the_time() {
        let y = |y: i32| serde_json::json!({ "year": y });
        assert_eq!(derived("2022"), (y(2022), None, None));
        assert_eq!(
            derived("2022-07"),
            (serde_json::json!({"year": 2022, "month": 7}), None, None)
        );
        assert_eq!(
            derived("2022-07-15T10:30:00"),
            (
                serde_json::json!({"year": 2022, "month": 7, "day": 15, "hour": 10, "minute": 30, "second": 0}),
                None,
                None
            )
        );
        // TimelineJS counts no year 0: astronomical -500 (501 BCE) is its
        // -501, -0499 (500 BCE) its -500, 0000 (1 BCE) its -1.
        assert_eq!(derived("-0500"), (y(-501), None, None));
        assert_eq!(derived("-0499"), (y(-500), None, None));
        assert_eq!(derived("0000"), (y(-1), None, None));
        assert_eq!(derived("0001"), (y(1), None, None));
        assert_eq!(
            derived("199X"),
            (y(1990), Some(y(1999)), Some("the 1990s".to_owned()))
        );
        assert_eq!(
            derived("2022-09/.."),
            (
                serde_json::json!({"year": 2022, "month": 9}),
                None,
                Some("from September 2022".to_owned())
            )
        );
        assert_eq!(
            derived("../2012"),
            (y(2012), None, Some("until 2012".to_owned()))
        );
        assert_eq!(
            derived("1979~"),
            (y(1979), None, Some("about 1979".to_owned()))
        );
        assert_eq!(derived("1980/2003"), (y(1980), Some(y(2003)), None));
    }

    #[test]
    fn escapes_text_for_html() {
        assert_eq!(
            paragraphs("a < b & c\nd\n\ne"),
            "<p>a &lt; b &amp; c<br>d</p><p>e</p>"
        );
    }
}
