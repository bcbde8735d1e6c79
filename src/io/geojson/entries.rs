//! GeoJSON features made into typed entries: places, events at their
//! places, actors and eras.

use serde_json::Value;
use serde_json::value::RawValue;
use std::collections::HashMap;

use super::geometry::representative;
use super::{Cx, Parsed, id_of, json_error};
use crate::io::diagnostic::DatasetErrors;
use crate::io::format::{
    ActorEntry, EraEntry, EventEntry, EventPlaceEntry, LinkEntry, MediaEntry, PlaceEntry,
    TimelineJsDates,
};
use crate::io::ids::{UniqueIds, slug};
use crate::io::json_at::Step;
use crate::model::{
    ActorKind, Category, FuzzyTime, LinkRelation, LocationPrecision, PlaceKind, PlaceRole,
};

/// What the features made so far.
#[derive(Default)]
pub(crate) struct Builder {
    pub(crate) places: Vec<PlaceEntry>,
    pub(crate) events: Vec<EventEntry>,
    pub(crate) actors: Vec<ActorEntry>,
    pub(crate) place_ids: UniqueIds,
    pub(crate) event_ids: UniqueIds,
    pub(crate) actor_ids: UniqueIds,
    /// `id:X` or `name:X` → actor id.
    pub(crate) actor_keys: HashMap<String, String>,
    pub(crate) excerpts_dropped: usize,
    /// Where each place and event's feature stands.
    pub(crate) offsets: crate::io::native::EntryOffsets,
    /// How epoch numbers are read.
    pub(crate) time_unit: crate::io::stamp::TimeUnit,
    /// The epoch numbers whose unit was guessed, at their place in the file.
    pub(crate) epochs: crate::io::stamp::Tally<usize>,
}

/// A word of an enum, matched case-insensitively.
pub(crate) fn word<T: Copy>(all: &[T], as_str: impl Fn(T) -> &'static str, w: &str) -> Option<T> {
    all.iter()
        .copied()
        .find(|v| as_str(*v).eq_ignore_ascii_case(w.trim()))
}

/// A list of strings: a JSON array, or one string with `;` between items.
pub(crate) fn string_list(value: Option<&Value>) -> Vec<String> {
    match value {
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(Value::as_str)
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect(),
        Some(Value::String(s)) => s
            .split(';')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect(),
        _ => Vec::new(),
    }
}

pub(crate) fn read_place(cx: &mut Cx<'_>, b: &mut Builder, p: &Parsed<'_>) {
    let item = p.item();
    let Some(geometry) = &p.geometry else {
        cx.warn(
            p.at,
            &item,
            "a feature without geometry and without a \"time\" is neither a place nor an event; skipped",
        );
        return;
    };
    let Some((lon, lat)) = representative(geometry) else {
        cx.warn(
            p.geometry_at,
            &item,
            format!(
                "the {} has no point to stand for it (it is empty); skipped",
                geometry.type_name()
            ),
        );
        return;
    };
    let is_point = matches!(geometry, geojson::Value::Point(_));
    if !is_point {
        cx.warn(
            p.geometry_at,
            &item,
            format!(
                "a {} is not a point: the place stands at a point inside it ({lon}, {lat})",
                geometry.type_name()
            ),
        );
    }
    let name = p
        .str_prop("name")
        .or_else(|| p.str_prop("title"))
        .or_else(|| p.str_prop("place"))
        .map(str::to_owned)
        .or_else(|| p.id.clone());
    let name = name.unwrap_or_else(|| {
        cx.warn(
            p.at,
            &item,
            format!(
                "the place has no \"name\"; it is called \"Place {}\"",
                p.index
            ),
        );
        format!("Place {}", p.index)
    });
    let kind = match p.str_prop("kind") {
        Some(k) => word(PlaceKind::ALL, PlaceKind::as_str, k).unwrap_or_else(|| {
            cx.warn(
                p.prop_at("kind"),
                &item,
                format!(
                    "kind {k:?} is not one of {}; taken as a city",
                    words(PlaceKind::ALL, PlaceKind::as_str)
                ),
            );
            PlaceKind::City
        }),
        None if is_point => PlaceKind::City,
        None => PlaceKind::Region,
    };
    let precision = match p.str_prop("precision") {
        Some(w) => {
            word(LocationPrecision::ALL, LocationPrecision::as_str, w).unwrap_or_else(|| {
                cx.warn(
                    p.prop_at("precision"),
                    &item,
                    format!(
                        "precision {w:?} is not one of {}; taken from the kind",
                        words(LocationPrecision::ALL, LocationPrecision::as_str)
                    ),
                );
                precision_of(kind)
            })
        }
        None => precision_of(kind),
    };
    let id = match &p.id {
        Some(id) => id.clone(),
        None => b.place_ids.fresh(&slug(&name, "place")),
    };
    b.offsets.places.push(p.at);
    b.places.push(PlaceEntry {
        id,
        name,
        aliases: string_list(p.props.get("aliases")),
        lon,
        lat,
        kind,
        precision,
        country: p.str_prop("country").map(str::to_owned),
        note: p
            .str_prop("note")
            .or_else(|| p.str_prop("description"))
            .map(str::to_owned),
    });
}

/// "a, b or c".
pub(crate) fn words<T: Copy>(all: &[T], as_str: impl Fn(T) -> &'static str) -> String {
    all.iter()
        .map(|v| as_str(*v))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The precision a place of this kind has when the file does not say.
pub(crate) fn precision_of(kind: PlaceKind) -> LocationPrecision {
    match kind {
        PlaceKind::City => LocationPrecision::City,
        PlaceKind::Site => LocationPrecision::Exact,
        PlaceKind::Country => LocationPrecision::Country,
        PlaceKind::Region | PlaceKind::Sea => LocationPrecision::Region,
    }
}

/// Reads an event feature; returns its links (checked once all events are
/// known), each with its index in the feature's `links`.
pub(crate) fn read_event(
    cx: &mut Cx<'_>,
    b: &mut Builder,
    place_index: &HashMap<String, usize>,
    p: &Parsed<'_>,
) -> Option<Vec<(LinkEntry, usize)>> {
    let item = p.item();
    let (time, bounds) = super::times::event_time(cx, b, p)?;
    let title = ["title", "name", "headline"]
        .iter()
        .find_map(|k| p.str_prop(k))
        .map_or_else(
            || {
                cx.warn(
                    p.at,
                    &item,
                    format!(
                        "the event has no \"title\"; it is called \"Event {}\"",
                        p.index
                    ),
                );
                format!("Event {}", p.index)
            },
            str::to_owned,
        );
    let id = match &p.id {
        Some(id) => id.clone(),
        None => b.event_ids.fresh(&slug(&title, "event")),
    };
    let category = match p.str_prop("category") {
        Some(w) => word(Category::ALL, Category::as_str, w).unwrap_or_else(|| {
            cx.warn(
                p.prop_at("category"),
                &item,
                format!("category {w:?} is not one of mapline's; taken as other"),
            );
            Category::Other
        }),
        None => Category::Other,
    };
    let places = event_places(cx, b, place_index, p, &id, &title)?;
    let actors = event_actors(b, p);
    let excerpts = p
        .props
        .get("excerpts")
        .and_then(Value::as_array)
        .map_or(&[][..], Vec::as_slice);
    b.excerpts_dropped += excerpts.len();
    let mut outlets: Vec<&str> = Vec::new();
    for o in excerpts
        .iter()
        .filter_map(|x| x.get("outlet").and_then(Value::as_str))
    {
        if !outlets.contains(&o) {
            outlets.push(o);
        }
    }
    let attribution = p
        .str_prop("attribution")
        .map(str::to_owned)
        .or_else(|| (!outlets.is_empty()).then(|| outlets.join("; ")));
    let media = p.props.get("media").and_then(|m| {
        serde_json::from_value::<MediaEntry>(m.clone())
            .map_err(|e| {
                cx.warn(p.prop_key_at("media"), &item, format!("media ignored: {e}"));
            })
            .ok()
    });
    let timelinejs = p.props.get("timelinejs").and_then(|m| {
        serde_json::from_value::<TimelineJsDates>(m.clone())
            .map_err(|e| {
                cx.warn(
                    p.prop_key_at("timelinejs"),
                    &item,
                    format!("timelinejs ignored: {e}"),
                );
            })
            .ok()
    });
    let links = p
        .props
        .get("links")
        .and_then(Value::as_array)
        .map_or(&[][..], Vec::as_slice)
        .iter()
        .enumerate()
        .filter_map(|(k, l)| {
            let relation = word(
                LinkRelation::ALL,
                LinkRelation::as_str,
                l.get("relation")?.as_str()?,
            )?;
            let event = l.get("event").and_then(id_of)?;
            Some((LinkEntry { relation, event }, k))
        })
        .collect();
    let text = p.str_prop("text").or_else(|| p.str_prop("description"));
    let text = match (text, super::times::other_properties(p, b.time_unit)) {
        (Some(t), Some(more)) => Some(format!("{t}\n\n{more}")),
        (t, more) => t.map(str::to_owned).or(more),
    };
    b.offsets.events.push(p.at);
    b.events.push(EventEntry {
        id,
        title,
        time,
        time_bounds: Some(bounds),
        time_note: p.str_prop("time_note").map(str::to_owned),
        category,
        places,
        actors,
        excerpts: Vec::new(),
        text,
        links: Vec::new(),
        media: media.map(Box::new),
        group: p.str_prop("group").map(str::to_owned),
        display_date: p.str_prop("display_date").map(str::to_owned),
        event_type: p.str_prop("event_type").map(str::to_owned),
        attribution,
        timelinejs: timelinejs.map(Box::new),
    });
    Some(links)
}

/// The event's places: its `places` property linked to the place features
/// by id, or else places of its own at the points of its geometry.
pub(crate) fn event_places(
    cx: &mut Cx<'_>,
    b: &mut Builder,
    place_index: &HashMap<String, usize>,
    p: &Parsed<'_>,
    event_id: &str,
    title: &str,
) -> Option<Vec<EventPlaceEntry>> {
    let item = p.item();
    if let Some(list) = p.props.get("places") {
        let Some(list) = list.as_array() else {
            cx.error(
                p.prop_key_at("places"),
                &item,
                "places must be a list of place ids or of {\"place\": id, \"role\": …}",
            );
            return None;
        };
        let mut out = Vec::with_capacity(list.len());
        let mut ok = true;
        for (k, entry) in list.iter().enumerate() {
            let at = |inner: &[Step<'_>]| {
                let mut path = vec![Step::Key("properties"), Step::Key("places"), Step::Index(k)];
                path.extend_from_slice(inner);
                p.at_path(&path)
            };
            let (id, id_key, role) = match entry {
                Value::Object(o) => {
                    let key = if o.get("place").is_some() {
                        "place"
                    } else {
                        "id"
                    };
                    (
                        o.get(key).and_then(id_of),
                        Some(key),
                        o.get("role").and_then(Value::as_str),
                    )
                }
                other => (id_of(other), None, None),
            };
            let Some(id) = id else {
                cx.error(at(&[]), &item, "a place of an event needs a place id");
                ok = false;
                continue;
            };
            if !place_index.contains_key(&id) {
                let key: Vec<Step<'_>> = id_key.into_iter().map(Step::Key).collect();
                cx.error(
                    at(&key),
                    &item,
                    format!("unknown place id {id:?}: no place feature has it"),
                );
                ok = false;
                continue;
            }
            let role = match role {
                None => PlaceRole::Location,
                Some(r) => word(PlaceRole::ALL, PlaceRole::as_str, r).unwrap_or_else(|| {
                    cx.warn(
                        at(&[Step::Key("role")]),
                        &item,
                        format!("role {r:?} is not one of mapline's; taken as location"),
                    );
                    PlaceRole::Location
                }),
            };
            out.push(EventPlaceEntry { place: id, role });
        }
        return ok.then_some(out);
    }
    let Some(geometry) = &p.geometry else {
        return Some(Vec::new());
    };
    let points: Vec<(f64, f64)> = match geometry {
        geojson::Value::MultiPoint(ps) => ps
            .iter()
            .filter_map(|q| Some((*q.first()?, *q.get(1)?)))
            .collect(),
        g => {
            let point = representative(g);
            if point.is_some() && !matches!(g, geojson::Value::Point(_)) {
                cx.warn(
                    p.geometry_at,
                    &item,
                    format!(
                        "a {} is not a point: the event's place stands at a point inside it",
                        g.type_name()
                    ),
                );
            }
            point.into_iter().collect()
        }
    };
    let name = p
        .str_prop("location")
        .or_else(|| p.str_prop("place"))
        .unwrap_or(title)
        .to_owned();
    Some(
        points
            .into_iter()
            .map(|(lon, lat)| {
                let id = b
                    .place_ids
                    .fresh(&format!("{}-place", slug(event_id, "event")));
                b.offsets.places.push(p.geometry_at);
                b.places.push(PlaceEntry {
                    id: id.clone(),
                    name: name.clone(),
                    aliases: Vec::new(),
                    lon,
                    lat,
                    kind: PlaceKind::Site,
                    precision: LocationPrecision::Exact,
                    country: p.str_prop("country").map(str::to_owned),
                    note: Some(format!(
                        "The point of event {event_id} in the GeoJSON file."
                    )),
                });
                EventPlaceEntry {
                    place: id,
                    role: PlaceRole::Location,
                }
            })
            .collect(),
    )
}

/// The event's actors: names, or `{"id", "name", "kind"}` objects.
pub(crate) fn event_actors(b: &mut Builder, p: &Parsed<'_>) -> Vec<String> {
    let list = p
        .props
        .get("actors")
        .and_then(Value::as_array)
        .map_or(&[][..], Vec::as_slice);
    let mut ids: Vec<String> = Vec::new();
    for entry in list {
        let (id, name, kind, short) = match entry {
            Value::String(name) => (None, name.trim().to_owned(), None, None),
            Value::Object(o) => {
                let id = o.get("id").and_then(id_of);
                let name = o
                    .get("name")
                    .and_then(Value::as_str)
                    .map(str::trim)
                    .filter(|n| !n.is_empty())
                    .map(str::to_owned)
                    .or_else(|| id.clone())
                    .unwrap_or_default();
                let kind = o
                    .get("kind")
                    .and_then(Value::as_str)
                    .and_then(|k| word(ActorKind::ALL, ActorKind::as_str, k));
                let short = o.get("short").and_then(Value::as_str).map(str::to_owned);
                (id, name, kind, short)
            }
            _ => continue,
        };
        if name.is_empty() {
            continue;
        }
        let key = id
            .as_ref()
            .map_or_else(|| format!("name:{name}"), |id| format!("id:{id}"));
        let actor_id = if let Some(known) = b.actor_keys.get(&key) {
            known.clone()
        } else {
            let actor_id = match &id {
                Some(id) if b.actor_ids.take(id) => id.clone(),
                _ => b.actor_ids.fresh(&slug(&name, "actor")),
            };
            b.actors.push(ActorEntry {
                id: actor_id.clone(),
                name,
                short,
                kind: kind.unwrap_or(ActorKind::Group),
                aliases: Vec::new(),
                note: None,
            });
            b.actor_keys.insert(key, actor_id.clone());
            actor_id
        };
        if !ids.contains(&actor_id) {
            ids.push(actor_id);
        }
    }
    ids
}

/// The top-level `eras` member (as mapline's export writes it), read: each
/// era's value and its text. A number JSON cannot hold is an error of the file.
pub(crate) fn read_eras_json<'t>(
    cx: &mut Cx<'t>,
    eras: Option<&'t RawValue>,
) -> Result<Vec<(Value, &'t str)>, DatasetErrors> {
    let Some(raw) = eras else {
        return Ok(Vec::new());
    };
    let from = cx.offset_of(raw.get());
    let Ok(list) = serde_json::from_str::<Vec<&'t RawValue>>(raw.get()) else {
        // Not a list: no eras, as before (unless it is no JSON value).
        return match serde_json::from_str::<Value>(raw.get()) {
            Ok(_) => Ok(Vec::new()),
            Err(e) => Err(json_error(cx, from, &e)),
        };
    };
    list.into_iter()
        .map(|era| {
            let text = era.get();
            serde_json::from_str::<Value>(text)
                .map(|v| (v, text))
                .map_err(|e| json_error(cx, cx.offset_of(text), &e))
        })
        .collect()
}

/// The eras read by [`read_eras_json`], checked.
pub(crate) fn read_eras(cx: &mut Cx<'_>, list: Vec<(Value, &str)>) -> Vec<EraEntry> {
    let mut eras = Vec::with_capacity(list.len());
    for (n, (v, text)) in list.into_iter().enumerate() {
        let label = format!("era {}", n + 1);
        let start = cx.offset_of(text);
        match serde_json::from_value::<EraEntry>(v) {
            Ok(era) => match FuzzyTime::parse(&era.time) {
                Ok(_) => eras.push(era),
                Err(e) => {
                    let at = crate::io::json_at::value_at(text, &[Step::Key("time")])
                        .map_or(start, |i| start + i);
                    cx.error(at, &label, format!("time {:?}: {}", era.time, e.message));
                }
            },
            Err(e) => cx.error(start, &label, format!("not an era: {e}")),
        }
    }
    eras
}
