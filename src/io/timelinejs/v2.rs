//! TimelineJS 2 JSON: `{"timeline": {"headline", "type", "text",
//! "startDate", "asset", "date": […], "era": […]}}` (the format TimelineJS
//! used before version 3, in a `.json` file or as JSONP). The `timeline`
//! object is the title slide, each `date` item an event, each `era` an era;
//! their dates are read in [`super::v2_dates`].

use serde_json::value::RawValue;

use crate::io::format::{EraEntry, MediaEntry, TimelineJsDates};

use super::collect::{Collected, Cx, Pending, item_label, non_empty, strip_html};
use super::dates::{
    ComposeError, DateFields, DateRead, Timed, compose_time, date_object, read_date,
};
use super::raw::{members, raw_member, text_in, value_of};
use super::v2_dates::{FORMS, V2Date, v2_date};

/// The members of the `timeline` object that mapline reads, each raw.
#[derive(Default, serde::Deserialize)]
struct Timeline<'t> {
    #[serde(borrow, default, deserialize_with = "raw_member")]
    headline: Option<&'t RawValue>,
    #[serde(borrow, default, deserialize_with = "raw_member")]
    text: Option<&'t RawValue>,
    #[serde(borrow, default, rename = "type", deserialize_with = "raw_member")]
    kind: Option<&'t RawValue>,
    #[serde(borrow, default, deserialize_with = "raw_member")]
    date: Option<&'t RawValue>,
    #[serde(borrow, default, deserialize_with = "raw_member")]
    era: Option<&'t RawValue>,
}

/// The members of a `date` or `era` item that mapline reads, each raw.
#[derive(Default, serde::Deserialize)]
struct Item<'t> {
    #[serde(borrow, default, rename = "startDate", deserialize_with = "raw_member")]
    start_date: Option<&'t RawValue>,
    #[serde(borrow, default, rename = "endDate", deserialize_with = "raw_member")]
    end_date: Option<&'t RawValue>,
    #[serde(borrow, default, deserialize_with = "raw_member")]
    headline: Option<&'t RawValue>,
    #[serde(borrow, default, deserialize_with = "raw_member")]
    text: Option<&'t RawValue>,
    #[serde(borrow, default, deserialize_with = "raw_member")]
    tag: Option<&'t RawValue>,
    #[serde(borrow, default, deserialize_with = "raw_member")]
    asset: Option<&'t RawValue>,
}

/// The `asset` object of an item.
#[derive(Default, serde::Deserialize)]
struct Asset<'t> {
    #[serde(borrow, default, deserialize_with = "raw_member")]
    media: Option<&'t RawValue>,
    #[serde(borrow, default, deserialize_with = "raw_member")]
    thumbnail: Option<&'t RawValue>,
    #[serde(borrow, default, deserialize_with = "raw_member")]
    credit: Option<&'t RawValue>,
    #[serde(borrow, default, deserialize_with = "raw_member")]
    caption: Option<&'t RawValue>,
}

/// How many ISO times gave a time shift that is not kept, and where the
/// first stands.
#[derive(Default)]
pub(crate) struct Shifts {
    pub(crate) count: usize,
    pub(crate) first: Option<usize>,
}

impl Shifts {
    /// One warning for all of them.
    pub(crate) fn report(&self, cx: &mut Cx<'_>) {
        if let Some(at) = self.first {
            cx.warn(
                at,
                "dataset",
                format!(
                    "time shifts (Z, +hh:mm) not kept: the times of day are read as written ({} date(s))",
                    self.count
                ),
            );
        }
    }
}

/// Reads the `timeline` object of a TimelineJS 2 file into `collected`.
pub(crate) fn read_v2(cx: &mut Cx<'_>, collected: &mut Collected, timeline: &RawValue) {
    let at = cx.raw_offset(timeline);
    let Some(top) = members::<Timeline<'_>>(timeline) else {
        cx.error(
            at,
            "timeline",
            "the timeline must be an object ({\"headline\": …, \"date\": […]})",
        );
        return;
    };
    let plain = |raw: Option<&RawValue>| text_in(raw).map(|t| strip_html(&t));
    collected.title = plain(top.headline).and_then(|t| non_empty(&t));
    collected.description = plain(top.text).and_then(|t| non_empty(&t));
    if let Some(raw) = top.kind
        && let Some(kind) = value_of(raw).as_str()
        && kind != "default"
    {
        cx.warn(
            cx.raw_offset(raw),
            "timeline",
            format!(
                "type {kind:?}: mapline reads the dates the file holds (\"date\"), as for type \"default\"; it fetches nothing"
            ),
        );
    }
    let mut shifts = Shifts::default();
    for (list, name) in [(top.date, "date"), (top.era, "era")] {
        let Some(raw) = list else { continue };
        let Ok(items) = serde_json::from_str::<Vec<&RawValue>>(raw.get()) else {
            if !is_null(raw) {
                cx.error(
                    cx.raw_offset(raw),
                    "timeline",
                    format!("\"{name}\" must be an array of {name} items ({{\"startDate\": …, \"headline\": …}})"),
                );
            }
            continue;
        };
        for (i, item) in items.into_iter().enumerate() {
            if name == "date" {
                let pending = read_item(cx, collected, &mut shifts, i + 1, item);
                collected.events.push(pending);
            } else {
                read_era(cx, collected, &mut shifts, i + 1, item);
            }
        }
    }
    shifts.report(cx);
}

/// The headline and text of an item, as plain text.
fn item_text(item: &Item<'_>) -> (String, String) {
    let plain = |raw: Option<&RawValue>| text_in(raw).map_or_else(String::new, |t| strip_html(&t));
    (plain(item.headline), plain(item.text))
}

/// Reads one `date` item as an event.
fn read_item(
    cx: &mut Cx<'_>,
    collected: &mut Collected,
    shifts: &mut Shifts,
    number: usize,
    raw: &RawValue,
) -> Option<Pending> {
    let at = cx.raw_offset(raw);
    let Some(item) = members::<Item<'_>>(raw) else {
        cx.error(
            at,
            &format!("date {number}"),
            "a date item must be an object ({\"startDate\": …, \"headline\": …})",
        );
        return None;
    };
    let (headline, text) = item_text(&item);
    let label = item_label("date", number, &headline);
    let dates = json_v2_dates(cx, shifts, &label, (item.start_date, item.end_date), at);
    let media = item.asset.and_then(|raw| asset(cx, collected, &label, raw));
    let group = text_in(item.tag).and_then(|g| non_empty(&g));
    let (_, dates, (time, bounds)) = dates?;
    Some(Pending {
        number,
        at,
        item: label,
        given_id: None,
        headline,
        text,
        time,
        bounds,
        dates,
        media,
        group,
        display_date: None,
        event_type: None,
        mapline: None,
    })
}

/// Reads one `era` item.
fn read_era(
    cx: &mut Cx<'_>,
    collected: &mut Collected,
    shifts: &mut Shifts,
    number: usize,
    raw: &RawValue,
) {
    let at = cx.raw_offset(raw);
    let Some(item) = members::<Item<'_>>(raw) else {
        cx.error(
            at,
            &format!("era {number}"),
            "an era must be an object ({\"startDate\": …, \"endDate\": …, \"headline\": …})",
        );
        return;
    };
    let (headline, text) = item_text(&item);
    let label = item_label("era", number, &headline);
    let Some((_, _, (time, _))) =
        json_v2_dates(cx, shifts, &label, (item.start_date, item.end_date), at)
    else {
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

/// The media of an `asset` object, kept as a link with its credit and
/// caption; a thumbnail is counted among what is not kept.
fn asset(
    cx: &mut Cx<'_>,
    collected: &mut Collected,
    label: &str,
    raw: &RawValue,
) -> Option<MediaEntry> {
    let at = cx.raw_offset(raw);
    let Some(asset) = members::<Asset<'_>>(raw) else {
        if !is_null(raw) {
            cx.error(
                at,
                label,
                "asset must be an object ({\"media\": …, \"credit\": …, \"caption\": …})",
            );
        }
        return None;
    };
    if text_in(asset.thumbnail).is_some_and(|t| !t.trim().is_empty()) {
        collected.dropped(at, false);
    }
    let url = text_in(asset.media).and_then(|u| non_empty(&u));
    let caption = text_in(asset.caption).and_then(|c| non_empty(&strip_html(&c)));
    let credit = text_in(asset.credit).and_then(|c| non_empty(&strip_html(&c)));
    if url.is_none() && (caption.is_some() || credit.is_some()) {
        cx.warn(
            at,
            label,
            "asset has no media: its credit and caption are not kept",
        );
    }
    url.map(|url| MediaEntry {
        url,
        caption,
        credit,
    })
}

/// A date string of the JSON where it stands: its text, and where each of
/// its bytes stands in the file (exactly when the string has no escapes).
fn json_date<'t>(
    cx: &mut Cx<'_>,
    item: &str,
    name: &str,
    raw: &'t RawValue,
) -> Option<(std::borrow::Cow<'t, str>, usize, bool)> {
    let at = cx.raw_offset(raw);
    let Some(text) = text_in(Some(raw)) else {
        if !is_null(raw) {
            cx.error(at, item, format!("{name} must be a string: {FORMS}"));
        }
        return None;
    };
    // Where the text starts: after the quote, when the string is as written.
    let exact = raw.get().len() == text.len() + 2 && raw.get().get(1..=text.len()) == Some(&text);
    let start = if exact { at + 1 } else { at };
    Some((text, start, exact))
}

/// Reads a `startDate` (and `endDate`) of a TimelineJS 2 item: the fields,
/// the version 3 date objects they make, and the EDTF. `None` when broken
/// (reported).
fn json_v2_dates(
    cx: &mut Cx<'_>,
    shifts: &mut Shifts,
    item: &str,
    (start, end): (Option<&RawValue>, Option<&RawValue>),
    at: usize,
) -> Option<((DateFields, Option<DateFields>), TimelineJsDates, Timed)> {
    let Some(start) = start.filter(|r| !is_null(r)) else {
        cx.error(at, item, format!("startDate is missing: {FORMS}"));
        return None;
    };
    let (start_text, start_at, exact) = json_date(cx, item, "startDate", start)?;
    let end = match end.filter(|r| !is_null(r)) {
        None => None,
        Some(raw) => Some(json_date(cx, item, "endDate", raw)?),
    };
    let read =
        |cx: &mut Cx<'_>, shifts: &mut Shifts, name: &str, text: &str, at: usize, exact: bool| {
            let lead = text.len() - text.trim_start().len();
            let place = move |i: usize| if exact { at + lead + i } else { at };
            read_v2_date(cx, shifts, item, name, text.trim(), &place)
        };
    let start_fields = read(cx, shifts, "startDate", &start_text, start_at, exact);
    let end_fields = match &end {
        None => Read::Empty,
        Some((text, at, exact)) => read(cx, shifts, "endDate", text, *at, *exact),
    };
    let end_fields = match end_fields {
        Read::Date(f) => Some(f),
        Read::Empty => None,
        Read::Broken => return None,
    };
    let start_fields = match start_fields {
        Read::Date(f) => f,
        Read::Empty => {
            cx.error(start_at, item, format!("startDate is empty: {FORMS}"));
            return None;
        }
        Read::Broken => return None,
    };
    let end_at = end.as_ref().map_or(start_at, |(_, at, _)| *at);
    compose_v2(
        cx,
        (item, ["startDate", "endDate"]),
        (start_fields, start_at),
        (end_fields, end_at),
        [Some(&*start_text), end.as_ref().map(|(text, ..)| &**text)],
    )
}

/// What reading one TimelineJS 2 date string gave.
pub(crate) enum Read {
    Date(DateFields),
    /// An empty string.
    Empty,
    /// Broken (reported).
    Broken,
}

/// Reads one date string.
pub(crate) fn read_v2_date(
    cx: &mut Cx<'_>,
    shifts: &mut Shifts,
    item: &str,
    name: &str,
    text: &str,
    place: &dyn Fn(usize) -> usize,
) -> Read {
    match v2_date(name, text, place) {
        V2Date::Empty => Read::Empty,
        V2Date::NotADate(message) => {
            cx.error(place(0), item, message);
            Read::Broken
        }
        V2Date::Cells { cells, offset } => {
            if offset {
                shifts.count += 1;
                shifts.first.get_or_insert(place(0));
            }
            match read_date(cx, item, name, &cells) {
                DateRead::Fields(f) => Read::Date(f),
                DateRead::NoYear { .. } => {
                    cx.error(
                        place(0),
                        item,
                        format!("{name} {text:?} has no year: TimelineJS needs at least a year"),
                    );
                    Read::Broken
                }
                DateRead::Broken => Read::Broken,
            }
        }
    }
}

/// The EDTF of a TimelineJS 2 start (and end), and the version 3 date
/// objects that say the same; `texts` are the start and the end as
/// written, and `names` their names, for the messages.
pub(crate) fn compose_v2(
    cx: &mut Cx<'_>,
    (item, [start_name, end_name]): (&str, [&str; 2]),
    (start, start_at): (DateFields, usize),
    (end, end_at): (Option<DateFields>, usize),
    [start_text, end_text]: [Option<&str>; 2],
) -> Option<((DateFields, Option<DateFields>), TimelineJsDates, Timed)> {
    let edtf = match compose_time(&start, end.as_ref()) {
        Ok(edtf) => edtf,
        Err(ComposeError::Start(message)) => {
            cx.error(start_at, item, format!("{start_name}: {message}"));
            return None;
        }
        Err(ComposeError::End(message)) => {
            let shown = |t: Option<&str>| t.map(|t| format!(" {:?}", t.trim())).unwrap_or_default();
            let (start_shown, end_shown) = (shown(start_text), shown(end_text));
            // The end alone is a date: the interval runs backwards.
            let backwards = end.as_ref().is_some_and(|e| compose_time(e, None).is_ok());
            let message = if backwards {
                format!(
                    "{end_name}{end_shown} is before {start_name}{start_shown}: an interval cannot end before it starts"
                )
            } else {
                format!("{end_name}{end_shown}: {message}")
            };
            cx.error(end_at, item, message);
            return None;
        }
    };
    let dates = TimelineJsDates {
        start_date: date_object(&start),
        end_date: end.as_ref().map(date_object),
    };
    Some(((start, end), dates, edtf))
}

/// Is the value `null`? (Read from its text: a value too deep for
/// `serde_json::Value` is not null, and is reported as what it is.)
fn is_null(raw: &RawValue) -> bool {
    raw.get() == "null"
}
