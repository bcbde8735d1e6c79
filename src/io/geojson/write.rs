//! GeoJSON export: a FeatureCollection of the view's places and events.
//!
//! - Every place the view's events touch is a Point feature with properties
//!   `feature: "place"`, `id`, `name`, `kind`, `precision`, `country`,
//!   `aliases` (and `note`).
//! - Every event is a feature whose geometry is a Point (one place), a
//!   MultiPoint (several) or null (none), with properties `feature: "event"`,
//!   `id`, `title`, `time` (the EDTF exactly: an imported ISO 8601 or epoch
//!   timestamp as the EDTF date-time it was read as, `2017-01-21T20:26:52Z`,
//!   so that a GeoJSON round trip keeps every time), `earliest`/`latest` (ISO days,
//!   null for an open end), `precision`, `category`, `places` (`[{"place": id,
//!   "role": …}]`), `actors` (`[{"id", "name", "short", "kind"}]`), `text`, `excerpts`
//!   (`[{"source", "outlet", "quote"}]`, the quote verbatim), `claims` and the
//!   imported fields the event carries.
//! - An event's `claims` are the claims about it: `[{"id", "statement",
//!   "alleged_origin" (a place id or null), "contested" (over the whole
//!   story), "stances": [{"actor", "actor_name", "stance" (`asserts`,
//!   `suggests`, `denies`, `disputes`), "source", "outlet", "quote" (verbatim),
//!   "time" (EDTF, when the stance was taken or held) and "note", where the
//!   stance has them}]}]`. The GeoJSON importer passes over them (their
//!   articles are not in the file).
//! - The top level carries `title`, `description` and the `eras`.
//!
//! The GeoJSON importer reads this back: places keep their ids, names and
//! coordinates, events their EDTF times and places.

use std::path::Path;

use serde_json::{Map, Value, json};

use crate::io::atomic::write_atomic;
use crate::io::view::{ExportSummary, View};
use crate::model::{Claim, Dataset, Day, EventIdx, Place};

/// Writes the view as a GeoJSON FeatureCollection to `out`, atomically.
///
/// # Errors
/// An I/O error; `out` is then left as it was.
pub fn write(view: &View<'_>, out: &Path) -> std::io::Result<ExportSummary> {
    let places = view.places();
    let bytes = serde_json::to_vec_pretty(&to_value(view)).map_err(std::io::Error::other)?;
    write_atomic(out, &bytes)?;
    Ok(ExportSummary {
        events: view.events.len(),
        places: places.len(),
    })
}

/// The view as a GeoJSON FeatureCollection.
#[must_use]
pub fn to_value(view: &View<'_>) -> Value {
    let ds = view.dataset;
    let mut features: Vec<Value> = Vec::with_capacity(view.events.len() + 64);
    features.extend(
        view.places()
            .into_iter()
            .map(|p| place_feature(ds.place(p))),
    );
    features.extend(view.events.iter().map(|&e| event_feature(ds, e)));
    let eras: Vec<Value> = ds
        .eras
        .iter()
        .map(|era| {
            let mut o = Map::new();
            o.insert("title".into(), json!(era.title));
            o.insert("time".into(), json!(era.time.edtf()));
            if let Some(text) = &era.text {
                o.insert("text".into(), json!(text));
            }
            Value::Object(o)
        })
        .collect();
    let mut top = Map::new();
    top.insert("type".into(), json!("FeatureCollection"));
    top.insert("title".into(), json!(ds.title));
    top.insert("description".into(), json!(ds.description));
    if !eras.is_empty() {
        top.insert("eras".into(), Value::Array(eras));
    }
    top.insert("features".into(), Value::Array(features));
    Value::Object(top)
}

fn place_feature(p: &Place) -> Value {
    let mut props = Map::new();
    props.insert("feature".into(), json!("place"));
    props.insert("id".into(), json!(p.id));
    props.insert("name".into(), json!(p.name));
    props.insert("kind".into(), json!(p.kind.as_str()));
    props.insert("precision".into(), json!(p.precision.as_str()));
    props.insert("country".into(), json!(p.country));
    props.insert("aliases".into(), json!(p.aliases));
    if let Some(note) = &p.note {
        props.insert("note".into(), json!(note));
    }
    json!({
        "type": "Feature",
        "id": p.id,
        "geometry": {"type": "Point", "coordinates": [p.lon, p.lat]},
        "properties": props,
    })
}

fn event_feature(ds: &Dataset, idx: EventIdx) -> Value {
    let e = ds.event(idx);
    let mut points: Vec<[f64; 2]> = Vec::with_capacity(e.places().len());
    for p in e.places() {
        let place = ds.place(p.place);
        let point = [place.lon, place.lat];
        if !points.contains(&point) {
            points.push(point);
        }
    }
    let geometry = match points.as_slice() {
        [] => Value::Null,
        [one] => json!({"type": "Point", "coordinates": one}),
        many => json!({"type": "MultiPoint", "coordinates": many}),
    };
    let mut props = Map::new();
    props.insert("feature".into(), json!("event"));
    props.insert("id".into(), json!(e.id()));
    props.insert("title".into(), json!(e.title()));
    props.insert("time".into(), json!(e.time().edtf()));
    if let Some(note) = e.time_note() {
        props.insert("time_note".into(), json!(note));
    }
    props.insert("earliest".into(), json!(e.time().earliest().map(Day::iso)));
    props.insert("latest".into(), json!(e.time().latest().map(Day::iso)));
    props.insert("precision".into(), json!(e.time().precision().as_str()));
    props.insert("category".into(), json!(e.category().as_str()));
    let places: Vec<Value> = e
        .places()
        .iter()
        .map(|p| json!({"place": ds.place(p.place).id, "role": p.role.as_str()}))
        .collect();
    props.insert("places".into(), Value::Array(places));
    let actors: Vec<Value> = e
        .actors()
        .iter()
        .map(|&a| {
            let actor = ds.actor(a);
            let mut o = Map::new();
            o.insert("id".into(), json!(actor.id));
            o.insert("name".into(), json!(actor.name));
            if let Some(short) = &actor.short {
                o.insert("short".into(), json!(short));
            }
            o.insert("kind".into(), json!(actor.kind.as_str()));
            Value::Object(o)
        })
        .collect();
    props.insert("actors".into(), Value::Array(actors));
    props.insert("text".into(), json!(e.text()));
    let excerpts: Vec<Value> = e
        .excerpts()
        .iter()
        .map(|x| {
            let source = ds.source(x.source);
            json!({"source": source.id, "outlet": source.outlet, "quote": x.text(&ds.sources)})
        })
        .collect();
    props.insert("excerpts".into(), Value::Array(excerpts));
    let claims: Vec<Value> = ds.claims_about(idx).map(|c| claim_value(ds, c)).collect();
    props.insert("claims".into(), Value::Array(claims));
    if !e.links().is_empty() {
        let links: Vec<Value> = e
            .links()
            .iter()
            .map(|l| json!({"relation": l.relation.as_str(), "event": ds.event(l.event).id()}))
            .collect();
        props.insert("links".into(), Value::Array(links));
    }
    if let Some(extra) = e.extra() {
        if let Some(m) = &extra.media() {
            props.insert(
                "media".into(),
                json!({"url": m.url, "caption": m.caption, "credit": m.credit}),
            );
        }
        for (key, value) in [
            ("group", &extra.group()),
            ("display_date", &extra.display_date()),
            ("event_type", &extra.event_type()),
            ("attribution", &extra.attribution()),
        ] {
            if let Some(v) = value {
                props.insert(key.into(), json!(v));
            }
        }
        if let Some((start, end)) = extra.timelinejs_dates() {
            let mut dates = Map::new();
            dates.insert("start_date".into(), start.clone());
            if let Some(end) = end {
                dates.insert("end_date".into(), end.clone());
            }
            props.insert("timelinejs".into(), Value::Object(dates));
        }
    }
    json!({
        "type": "Feature",
        "id": e.id(),
        "geometry": geometry,
        "properties": props,
    })
}

/// A claim about an event: its id, statement, alleged origin (a place id or
/// null), whether it is contested over the whole story, and its stances,
/// each with who takes it, how strongly, on which outlet's word (the quote
/// verbatim), and its time and note where it has them.
fn claim_value(ds: &Dataset, c: &Claim) -> Value {
    let stances: Vec<Value> = c
        .stances
        .iter()
        .map(|s| {
            let actor = ds.actor(s.actor);
            let source = ds.source(s.excerpt.source);
            let mut o = Map::new();
            o.insert("actor".into(), json!(actor.id));
            o.insert("actor_name".into(), json!(actor.name));
            o.insert("stance".into(), json!(s.stance.as_str()));
            o.insert("source".into(), json!(source.id));
            o.insert("outlet".into(), json!(source.outlet));
            o.insert("quote".into(), json!(s.excerpt.text(&ds.sources)));
            if let Some(time) = &s.time {
                o.insert("time".into(), json!(time.edtf()));
            }
            if let Some(note) = &s.note {
                o.insert("note".into(), json!(note));
            }
            Value::Object(o)
        })
        .collect();
    json!({
        "id": c.id,
        "statement": c.statement,
        "alleged_origin": c.alleged_origin.map(|p| &ds.place(p).id),
        "contested": ds.claim_contested(c),
        "stances": stances,
    })
}
