//! The TimelineJS JSON reader's slides: an event's or era's slide read
//! into a pending entry (its text, media, ids, and the `mapline` object of
//! mapline's own export), each problem at its place in the file.

use serde_json::Value;
use serde_json::value::RawValue;

use crate::io::format::{EraEntry, MediaEntry};
use crate::model::TimeRef;

use super::collect::{Collected, Cx, Pending, item_label, non_empty, settle_time, strip_html};
use super::json_dates::json_dates;
use super::raw::{TextMember, members, object_of, raw_member, text_in, text_of, value_of};
use super::{MaplineEra, MaplineEvent};

/// The members of a slide or era that mapline reads, each raw; the rest of
/// the object is passed over. Read in one pass, where a map of every member
/// would allocate each key.
#[derive(Default, serde::Deserialize)]
pub(crate) struct Slide<'t> {
    #[serde(borrow, default, deserialize_with = "raw_member")]
    pub(crate) start_date: Option<&'t RawValue>,
    #[serde(borrow, default, deserialize_with = "raw_member")]
    pub(crate) end_date: Option<&'t RawValue>,
    #[serde(borrow, default, deserialize_with = "raw_member")]
    pub(crate) text: Option<&'t RawValue>,
    #[serde(borrow, default, deserialize_with = "raw_member")]
    pub(crate) media: Option<&'t RawValue>,
    #[serde(borrow, default, deserialize_with = "raw_member")]
    pub(crate) background: Option<&'t RawValue>,
    #[serde(borrow, default, deserialize_with = "raw_member")]
    pub(crate) group: Option<&'t RawValue>,
    #[serde(borrow, default, deserialize_with = "raw_member")]
    pub(crate) display_date: Option<&'t RawValue>,
    #[serde(borrow, default, deserialize_with = "raw_member")]
    pub(crate) unique_id: Option<&'t RawValue>,
    #[serde(borrow, default, deserialize_with = "raw_member")]
    pub(crate) mapline: Option<&'t RawValue>,
}

/// The `text` object of a slide.
#[derive(Default, serde::Deserialize)]
pub(crate) struct SlideText<'t> {
    #[serde(borrow, default, deserialize_with = "raw_member")]
    headline: Option<&'t RawValue>,
    #[serde(borrow, default, deserialize_with = "raw_member")]
    text: Option<&'t RawValue>,
}

/// The `text` object of a slide, its members read in the same pass.
#[derive(serde::Deserialize)]
struct SlideTextRead<'t> {
    #[serde(borrow, default)]
    headline: TextMember<'t>,
    #[serde(borrow, default)]
    text: TextMember<'t>,
}

/// The headline and text of a slide, as plain text.
pub(crate) fn slide_text(cx: &mut Cx<'_>, slide: &Slide<'_>, item: &str) -> (String, String) {
    let Some(raw) = slide.text else {
        return (String::new(), String::new());
    };
    // One pass; what it cannot read (a number serde cannot hold, a member
    // twice) is read again member by member, as before, to say so.
    if raw.get().starts_with('{')
        && let Ok(text) = serde_json::from_str::<SlideTextRead<'_>>(raw.get())
    {
        let plain = |t: TextMember<'_>| t.0.map_or_else(String::new, |t| strip_html(&t));
        return (plain(text.headline), plain(text.text));
    }
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

pub(crate) fn read_json_event(
    cx: &mut Cx<'_>,
    collected: &mut Collected,
    number: usize,
    raw: &RawValue,
) -> Option<Pending> {
    let at = cx.raw_offset(raw);
    let Some(slide) = members::<Slide<'_>>(raw) else {
        cx.error(
            at,
            &format!("event {number}"),
            "an event must be a slide object ({\"start_date\": …, \"text\": …})",
        );
        return None;
    };
    let (headline, text) = slide_text(cx, &slide, &format!("event {number}"));
    let item = item_label("event", number, &headline);

    let mapline = slide.mapline.and_then(|m| read_mapline(cx, &item, m));
    let (time_at, id_at) = mapline
        .as_ref()
        .map_or((None, None), |(_, _, time_at, id_at)| (*time_at, *id_at));
    let mapline = mapline.map(|(m, m_at, ..)| (m, m_at));

    let dates = json_dates(cx, &item, (slide.start_date, slide.end_date), at);
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
        return None;
    };
    Some(Pending {
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
    })
}

pub(crate) fn read_json_era(
    cx: &mut Cx<'_>,
    collected: &mut Collected,
    number: usize,
    raw: &RawValue,
) {
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
    let Some((fields, _, edtf)) = json_dates(cx, &item, (slide.start_date, slide.end_date), at)
    else {
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
pub(crate) struct MaplineEraRead<'t> {
    #[serde(borrow)]
    time: &'t RawValue,
}

/// The `mapline` object of an event, its id and time kept raw (where they
/// stand); read in the same pass as the rest.
#[derive(serde::Deserialize)]
pub(crate) struct MaplineEventRead<'t> {
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
pub(crate) fn read_mapline(
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
