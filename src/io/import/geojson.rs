//! GeoJSON: a FeatureCollection (or a single Feature or geometry).
//!
//! - A feature with a `time` property (EDTF), or `"feature": "event"`, is an
//!   event; its `places` property (`[{"place": id, "role": …}]` or plain ids)
//!   links it to the place features by id, as mapline's own GeoJSON export
//!   writes it, so that a dataset survives the round trip. An event without
//!   `places` gets a place of its own at each point of its geometry.
//! - Any other feature is a place: `name` (or `title`), `id` (or the feature's
//!   `id`), `kind`, `precision`, `country`, `aliases`, `note`.
//! - A place whose geometry is not a point (a polygon, a line) stands at a
//!   representative point inside it ([`geo::InteriorPoint`]), with a warning;
//!   a place feature without geometry is skipped, with a warning.
//! - Coordinates must be finite, longitude in -180..180 and latitude in
//!   -90..90; each bad one is an error at its number in the file.
//! - The title is the top-level `title` or `name` member, else the file name.
//!
//! Excerpts in event features are not imported as excerpts (their articles
//! are not in the file, so they cannot be proven); their outlets are kept as
//! the event's attribution.

use std::collections::HashMap;
use std::path::Path;

use geo::InteriorPoint as _;
use serde::Deserialize;
use serde_json::value::RawValue;
use serde_json::{Map, Value};

use super::acled::{UniqueIds, slug};
use super::{Imported, empty_manifest};
use crate::io::diagnostic::DatasetErrors;
use crate::io::format::{
    ActorEntry, EraEntry, EventEntry, EventPlaceEntry, LinkEntry, MediaEntry, PlaceEntry,
    TimelineJsDates,
};
use crate::model::{
    ActorKind, Category, FuzzyTime, LinkRelation, LocationPrecision, PlaceKind, PlaceRole,
};

/// Geometry types that may stand alone at the top of a file.
const GEOMETRY_TYPES: [&str; 7] = [
    "Point",
    "MultiPoint",
    "LineString",
    "MultiLineString",
    "Polygon",
    "MultiPolygon",
    "GeometryCollection",
];

/// Imports a GeoJSON file.
///
/// # Errors
/// Every problem found (invalid JSON, a feature that is not GeoJSON, a bad
/// coordinate or time, a duplicate id, an unknown place id), each at its
/// line and column in the file.
pub fn import(text: &str, label: &str) -> Result<Imported, DatasetErrors> {
    let body = text.strip_prefix('\u{feff}').unwrap_or(text);
    let base = text.len() - body.len();
    let mut cx = Cx::new(label, text);
    if cx.duplicate_keys(base) {
        return Err(DatasetErrors(cx.errors));
    }
    let top: Value = match serde_json::from_str(body) {
        Ok(v) => v,
        Err(e) => {
            let at = cx.lines.offset_of_json_pos(base, e.line(), e.column());
            cx.error(
                at,
                "file",
                format!("not valid JSON: {}", strip_position(&e)),
            );
            return Err(DatasetErrors(cx.errors));
        }
    };
    let Some(top_obj) = top.as_object() else {
        cx.error(
            base,
            "file",
            "GeoJSON is an object with a \"type\" (FeatureCollection, Feature or a geometry)",
        );
        return Err(DatasetErrors(cx.errors));
    };
    let raws = feature_raws(&mut cx, top_obj, body, base)?;
    let mut parsed: Vec<Parsed<'_>> = Vec::with_capacity(raws.len());
    for (index, raw) in raws.into_iter().enumerate() {
        if let Some(p) = parse_feature(&mut cx, index + 1, raw) {
            parsed.push(p);
        }
    }
    let mut b = Builder::default();
    // Explicit ids first, so that made-up ids never take one.
    for p in &parsed {
        if let Some((id, at)) = &p.id {
            let taken = if p.is_event {
                b.event_ids.take(id)
            } else {
                b.place_ids.take(id)
            };
            if !taken {
                let kind = if p.is_event { "event" } else { "place" };
                cx.error(*at, &p.item(), format!("duplicate {kind} id {id:?}"));
            }
        }
    }
    for p in parsed.iter().filter(|p| !p.is_event) {
        read_place(&mut cx, &mut b, p);
    }
    let place_index: HashMap<String, usize> = b
        .places
        .iter()
        .enumerate()
        .map(|(i, p)| (p.id.clone(), i))
        .collect();
    let mut pending_links: Vec<PendingLinks> = Vec::new();
    for p in parsed.iter().filter(|p| p.is_event) {
        if let Some(links) = read_event(&mut cx, &mut b, &place_index, p) {
            pending_links.push((b.events.len() - 1, links, p.item()));
        }
    }
    let event_ids: std::collections::HashSet<String> =
        b.events.iter().map(|e| e.id.clone()).collect();
    for (event, links, item) in pending_links {
        for (link, at) in links {
            if event_ids.contains(&link.event) {
                if let Some(e) = b.events.get_mut(event) {
                    e.links.push(link);
                }
            } else {
                cx.warn(
                    at,
                    &item,
                    format!(
                        "link to event {:?}, which is not in the file; the link is dropped",
                        link.event
                    ),
                );
            }
        }
    }
    if b.excerpts_dropped > 0 {
        cx.warn(
            base,
            "dataset",
            format!(
                "{} excerpt(s) of event features were not imported as excerpts: their articles are not in the file, so they cannot be proven; their outlets are kept as attribution",
                b.excerpts_dropped
            ),
        );
    }
    let eras = read_eras(&mut cx, top_obj, body, base);
    if !cx.errors.is_empty() {
        return Err(DatasetErrors(cx.errors));
    }
    let name = Path::new(label)
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or(label)
        .to_owned();
    let title = ["title", "name"]
        .iter()
        .find_map(|k| top_obj.get(*k).and_then(Value::as_str))
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map_or_else(|| name.clone(), str::to_owned);
    let mut manifest = empty_manifest(title);
    manifest.description = top_obj
        .get("description")
        .and_then(Value::as_str)
        .map_or_else(
            || {
                format!(
                    "Imported from the GeoJSON file {name}: {} place(s), {} event(s).",
                    b.places.len(),
                    b.events.len()
                )
            },
            str::to_owned,
        );
    let offsets = std::mem::take(&mut b.offsets);
    manifest.places = b.places;
    manifest.actors = b.actors;
    manifest.events = b.events;
    manifest.eras = eras;
    Ok(Imported {
        offsets,
        manifest,
        warnings: cx.warnings,
    })
}

/// An event's position, its links with where each stands, and its item label.
type PendingLinks = (usize, Vec<(LinkEntry, usize)>, String);

/// `serde_json`'s message without its " at line L column C" suffix.
fn strip_position(e: &serde_json::Error) -> String {
    let text = e.to_string();
    text.rsplit_once(" at line ")
        .map_or(text.as_str(), |(m, _)| m)
        .to_owned()
}

type Cx<'t> = super::Found<'t>;

impl Cx<'_> {}

/// One feature as it stands in the file: its JSON, and for a bare geometry
/// the geometry's JSON.
#[derive(Clone, Copy)]
enum FeatureRaw<'t> {
    Feature(&'t str),
    Geometry(&'t str),
}

/// The features of the file, each as its raw JSON.
fn feature_raws<'t>(
    cx: &mut Cx<'t>,
    top: &Map<String, Value>,
    body: &'t str,
    base: usize,
) -> Result<Vec<FeatureRaw<'t>>, DatasetErrors> {
    #[derive(Deserialize)]
    struct Collection<'a> {
        #[serde(borrow)]
        features: Vec<&'a RawValue>,
    }
    match top.get("type").and_then(Value::as_str) {
        Some("FeatureCollection") => match serde_json::from_str::<Collection<'t>>(body) {
            Ok(c) => Ok(c
                .features
                .into_iter()
                .map(|r| FeatureRaw::Feature(r.get()))
                .collect()),
            Err(e) => {
                let at = cx.lines.offset_of_json_pos(base, e.line(), e.column());
                cx.error(
                    at,
                    "file",
                    format!(
                        "a FeatureCollection needs a \"features\" array: {}",
                        strip_position(&e)
                    ),
                );
                Err(DatasetErrors(std::mem::take(&mut cx.errors)))
            }
        },
        Some("Feature") => Ok(vec![FeatureRaw::Feature(body.trim())]),
        Some(t) if GEOMETRY_TYPES.contains(&t) => Ok(vec![FeatureRaw::Geometry(body.trim())]),
        other => {
            let found = other.map_or_else(|| "no \"type\"".to_owned(), |t| format!("type {t:?}"));
            cx.error(
                base,
                "file",
                format!(
                    "GeoJSON of {found}: expected a FeatureCollection, a Feature or a geometry"
                ),
            );
            Err(DatasetErrors(std::mem::take(&mut cx.errors)))
        }
    }
}

/// A feature read with the `geojson` crate, and where its parts stand.
struct Parsed<'t> {
    /// 1-based position in the file.
    index: usize,
    raw: &'t str,
    /// Where the feature starts in the file.
    at: usize,
    props: Map<String, Value>,
    /// The explicit id and where it stands.
    id: Option<(String, usize)>,
    geometry: Option<geojson::Value>,
    /// Where the geometry starts.
    geometry_at: usize,
    is_event: bool,
}

impl Parsed<'_> {
    /// `feature 3 (id tirana)`.
    fn item(&self) -> String {
        match &self.id {
            Some((id, _)) => format!("feature {} (id {id})", self.index),
            None => format!("feature {}", self.index),
        }
    }

    /// Where a property's value stands (or the feature).
    fn value_at(&self, value: &Value) -> usize {
        let needle = serde_json::to_string(value).unwrap_or_default();
        self.raw.find(&needle).map_or(self.at, |i| self.at + i)
    }

    /// Where a property's key stands (or the feature).
    fn key_at(&self, key: &str) -> usize {
        self.value_at(&Value::String(key.to_owned()))
    }

    fn str_prop(&self, key: &str) -> Option<&str> {
        self.props
            .get(key)
            .and_then(Value::as_str)
            .map(str::trim)
            .filter(|s| !s.is_empty())
    }
}

/// An id given as a string or a number.
fn id_of(value: &Value) -> Option<String> {
    match value {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_owned()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// Reads one feature with the `geojson` crate and checks its coordinates.
fn parse_feature<'t>(cx: &mut Cx<'t>, index: usize, raw: FeatureRaw<'t>) -> Option<Parsed<'t>> {
    #[derive(Deserialize)]
    struct GeometryOf<'a> {
        #[serde(borrow, default)]
        geometry: Option<&'a RawValue>,
    }
    let (text, geometry_raw, value) = match raw {
        FeatureRaw::Feature(text) => {
            let geometry_raw = serde_json::from_str::<GeometryOf<'t>>(text)
                .ok()
                .and_then(|g| g.geometry)
                .map(RawValue::get);
            let value: Value = serde_json::from_str(text).unwrap_or(Value::Null);
            (text, geometry_raw, value)
        }
        FeatureRaw::Geometry(text) => {
            let geometry: Value = serde_json::from_str(text).unwrap_or(Value::Null);
            let value =
                serde_json::json!({"type": "Feature", "geometry": geometry, "properties": null});
            (text, Some(text), value)
        }
    };
    let at = cx.offset_of(text);
    let item = format!("feature {index}");
    let feature = match geojson::Feature::from_json_value(value) {
        Ok(f) => f,
        Err(geojson::Error::ExpectedF64Value)
            if let Some((bad_at, bad)) =
                geometry_raw.and_then(|g| non_number_coordinate(cx, g)) =>
        {
            cx.error(
                bad_at,
                &item,
                format!("a coordinate must be a number, not {bad}"),
            );
            return None;
        }
        Err(e) => {
            cx.error(at, &item, format!("not a GeoJSON feature: {e}"));
            return None;
        }
    };
    let props = feature.properties.unwrap_or_default();
    let is_event = match props.get("feature").and_then(Value::as_str) {
        Some("event") => true,
        Some("place") => false,
        _ => props.contains_key("time"),
    };
    let geometry_at = geometry_raw.map_or(at, |g| cx.offset_of(g));
    let mut parsed = Parsed {
        index,
        raw: text,
        at,
        props,
        id: None,
        geometry: feature.geometry.map(|g| g.value),
        geometry_at,
        is_event,
    };
    let id = parsed.props.get("id").and_then(id_of).or_else(|| {
        feature.id.as_ref().map(|id| match id {
            geojson::feature::Id::String(s) => s.clone(),
            geojson::feature::Id::Number(n) => n.to_string(),
        })
    });
    parsed.id = id.map(|id| {
        let at = parsed.value_at(&Value::String(id.clone()));
        (id, at)
    });
    if let Some(g) = &parsed.geometry
        && !coordinates_ok(cx, &parsed, g, geometry_raw)
    {
        return None;
    }
    Some(parsed)
}

/// The first coordinate of a geometry that is not a number (`"NaN"`, `null`…),
/// where it stands and how it is written.
fn non_number_coordinate(cx: &Cx<'_>, geometry_raw: &str) -> Option<(usize, String)> {
    fn first_non_number(v: &Value) -> Option<&Value> {
        match v {
            Value::Array(items) => items.iter().find_map(first_non_number),
            Value::Number(_) => None,
            other => Some(other),
        }
    }
    #[derive(Deserialize)]
    struct CoordinatesOf<'a> {
        #[serde(borrow)]
        coordinates: &'a RawValue,
    }
    let raw = serde_json::from_str::<CoordinatesOf<'_>>(geometry_raw)
        .ok()?
        .coordinates
        .get();
    let value: Value = serde_json::from_str(raw).ok()?;
    let bad = first_non_number(&value)?.to_string();
    let at = raw
        .find(&bad)
        .map_or(cx.offset_of(raw), |i| cx.offset_of(raw) + i);
    Some((at, bad))
}

/// Checks every position of a geometry, reporting each bad number where it stands.
fn coordinates_ok(
    cx: &mut Cx<'_>,
    p: &Parsed<'_>,
    geometry: &geojson::Value,
    geometry_raw: Option<&str>,
) -> bool {
    #[derive(Deserialize)]
    struct CoordinatesOf<'a> {
        #[serde(borrow, default)]
        coordinates: Option<&'a RawValue>,
        #[serde(borrow, default)]
        geometries: Option<&'a RawValue>,
    }
    let mut positions: Vec<&[f64]> = Vec::new();
    collect_positions(geometry, &mut positions);
    let mut offsets: Vec<Vec<usize>> = Vec::new();
    if let Some(raw) = geometry_raw
        && let Ok(c) = serde_json::from_str::<CoordinatesOf<'_>>(raw)
        && let Some(coords) = c.coordinates.or(c.geometries)
    {
        scan_positions(coords.get(), cx.offset_of(coords.get()), &mut offsets);
    }
    let located = offsets.len() == positions.len();
    let mut ok = true;
    for (k, position) in positions.iter().enumerate() {
        for (axis, (name, limit)) in [("longitude", 180.0), ("latitude", 90.0)]
            .into_iter()
            .enumerate()
        {
            let v = position.get(axis).copied().unwrap_or(f64::NAN);
            if !v.is_finite() || !(-limit..=limit).contains(&v) {
                let at = if located {
                    offsets
                        .get(k)
                        .and_then(|o| o.get(axis))
                        .copied()
                        .unwrap_or(p.geometry_at)
                } else {
                    p.geometry_at
                };
                cx.error(
                    at,
                    &p.item(),
                    format!("{name} {v} is outside -{limit}..{limit}"),
                );
                ok = false;
            }
        }
    }
    ok
}

/// Every position of a geometry, in the order the file writes them.
fn collect_positions<'g>(geometry: &'g geojson::Value, out: &mut Vec<&'g [f64]>) {
    use geojson::Value as G;
    match geometry {
        G::Point(p) => out.push(p),
        G::MultiPoint(ps) | G::LineString(ps) => out.extend(ps.iter().map(Vec::as_slice)),
        G::MultiLineString(ls) | G::Polygon(ls) => {
            out.extend(ls.iter().flatten().map(Vec::as_slice));
        }
        G::MultiPolygon(polys) => {
            out.extend(polys.iter().flatten().flatten().map(Vec::as_slice));
        }
        G::GeometryCollection(gs) => {
            for g in gs {
                collect_positions(&g.value, out);
            }
        }
    }
}

/// The offsets of the numbers of each innermost array (a position) in `raw`,
/// which starts at `base` in the file.
fn scan_positions(raw: &str, base: usize, out: &mut Vec<Vec<usize>>) {
    let bytes = raw.as_bytes();
    let mut stack: Vec<Vec<usize>> = Vec::new();
    let mut in_string = false;
    let mut i = 0;
    while let Some(&c) = bytes.get(i) {
        if in_string {
            match c {
                b'\\' => i += 1,
                b'"' => in_string = false,
                _ => {}
            }
        } else {
            match c {
                b'"' => in_string = true,
                b'[' => stack.push(Vec::new()),
                b']' => {
                    if let Some(numbers) = stack.pop()
                        && !numbers.is_empty()
                    {
                        out.push(numbers);
                    }
                }
                b'-' | b'0'..=b'9' => {
                    if let Some(top) = stack.last_mut() {
                        top.push(base + i);
                    }
                    while matches!(
                        bytes.get(i + 1),
                        Some(b'0'..=b'9' | b'.' | b'e' | b'E' | b'+' | b'-')
                    ) {
                        i += 1;
                    }
                }
                _ => {}
            }
        }
        i += 1;
    }
}

/// A point standing for a geometry: the point itself, or one inside it.
fn representative(geometry: &geojson::Value) -> Option<(f64, f64)> {
    if let geojson::Value::Point(p) = geometry {
        return Some((*p.first()?, *p.get(1)?));
    }
    // Coordinates are checked (two numbers each) before this conversion.
    let g: geo::Geometry<f64> = geo::Geometry::try_from(geometry).ok()?;
    let p = g.interior_point()?;
    (p.x().is_finite() && p.y().is_finite()).then(|| (p.x(), p.y()))
}

/// What the features made so far.
#[derive(Default)]
struct Builder {
    places: Vec<PlaceEntry>,
    events: Vec<EventEntry>,
    actors: Vec<ActorEntry>,
    place_ids: UniqueIds,
    event_ids: UniqueIds,
    actor_ids: UniqueIds,
    /// `id:X` or `name:X` → actor id.
    actor_keys: HashMap<String, String>,
    excerpts_dropped: usize,
    /// Where each place and event's feature stands.
    offsets: crate::io::native::EntryOffsets,
}

/// A word of an enum, matched case-insensitively.
fn word<T: Copy>(all: &[T], as_str: impl Fn(T) -> &'static str, w: &str) -> Option<T> {
    all.iter()
        .copied()
        .find(|v| as_str(*v).eq_ignore_ascii_case(w.trim()))
}

/// A list of strings: a JSON array, or one string with `;` between items.
fn string_list(value: Option<&Value>) -> Vec<String> {
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

fn read_place(cx: &mut Cx<'_>, b: &mut Builder, p: &Parsed<'_>) {
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
        .map(str::to_owned)
        .or_else(|| p.id.as_ref().map(|(id, _)| id.clone()));
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
                p.value_at(&Value::String(k.to_owned())),
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
                    p.value_at(&Value::String(w.to_owned())),
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
        Some((id, _)) => id.clone(),
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
fn words<T: Copy>(all: &[T], as_str: impl Fn(T) -> &'static str) -> String {
    all.iter()
        .map(|v| as_str(*v))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The precision a place of this kind has when the file does not say.
fn precision_of(kind: PlaceKind) -> LocationPrecision {
    match kind {
        PlaceKind::City => LocationPrecision::City,
        PlaceKind::Site => LocationPrecision::Exact,
        PlaceKind::Country => LocationPrecision::Country,
        PlaceKind::Region | PlaceKind::Sea => LocationPrecision::Region,
    }
}

/// Reads an event feature; returns its links (checked once all events are known).
fn read_event(
    cx: &mut Cx<'_>,
    b: &mut Builder,
    place_index: &HashMap<String, usize>,
    p: &Parsed<'_>,
) -> Option<Vec<(LinkEntry, usize)>> {
    let item = p.item();
    let time = match p.props.get("time") {
        Some(Value::String(t)) => match FuzzyTime::parse(t.trim()) {
            Ok(_) => t.trim().to_owned(),
            Err(e) => {
                let at = p.value_at(&Value::String(t.clone())) + 1 + e.offset;
                cx.error(at, &item, format!("time {t:?}: {}", e.message));
                return None;
            }
        },
        Some(other) => {
            cx.error(
                p.value_at(other),
                &item,
                "time must be an EDTF string (2022-07-15, 2022-07, 199X, 1980/2003, …)",
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
        Some((id, _)) => id.clone(),
        None => b.event_ids.fresh(&slug(&title, "event")),
    };
    let category = match p.str_prop("category") {
        Some(w) => word(Category::ALL, Category::as_str, w).unwrap_or_else(|| {
            cx.warn(
                p.value_at(&Value::String(w.to_owned())),
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
                cx.warn(p.key_at("media"), &item, format!("media ignored: {e}"));
            })
            .ok()
    });
    let timelinejs = p.props.get("timelinejs").and_then(|m| {
        serde_json::from_value::<TimelineJsDates>(m.clone())
            .map_err(|e| {
                cx.warn(
                    p.key_at("timelinejs"),
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
        .filter_map(|l| {
            let relation = word(
                LinkRelation::ALL,
                LinkRelation::as_str,
                l.get("relation")?.as_str()?,
            )?;
            let event = l.get("event").and_then(id_of)?;
            let at = p.value_at(&Value::String(event.clone()));
            Some((LinkEntry { relation, event }, at))
        })
        .collect();
    let text = p
        .str_prop("text")
        .or_else(|| p.str_prop("description"))
        .map(str::to_owned);
    b.offsets.events.push(p.at);
    b.events.push(EventEntry {
        id,
        title,
        time,
        time_note: p.str_prop("time_note").map(str::to_owned),
        category,
        places,
        actors,
        excerpts: Vec::new(),
        text,
        links: Vec::new(),
        media,
        group: p.str_prop("group").map(str::to_owned),
        display_date: p.str_prop("display_date").map(str::to_owned),
        event_type: p.str_prop("event_type").map(str::to_owned),
        attribution,
        timelinejs,
    });
    Some(links)
}

/// The event's places: its `places` property linked to the place features
/// by id, or else places of its own at the points of its geometry.
fn event_places(
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
                p.key_at("places"),
                &item,
                "places must be a list of place ids or of {\"place\": id, \"role\": …}",
            );
            return None;
        };
        let mut out = Vec::with_capacity(list.len());
        let mut ok = true;
        for entry in list {
            let (id, role) = match entry {
                Value::Object(o) => (
                    o.get("place").or_else(|| o.get("id")).and_then(id_of),
                    o.get("role").and_then(Value::as_str),
                ),
                other => (id_of(other), None),
            };
            let Some(id) = id else {
                cx.error(
                    p.value_at(entry),
                    &item,
                    "a place of an event needs a place id",
                );
                ok = false;
                continue;
            };
            let at = p.value_at(&Value::String(id.clone()));
            if !place_index.contains_key(&id) {
                cx.error(
                    at,
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
                        p.value_at(&Value::String(r.to_owned())),
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
    let name = p.str_prop("location").unwrap_or(title).to_owned();
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
fn event_actors(b: &mut Builder, p: &Parsed<'_>) -> Vec<String> {
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

/// The top-level `eras` member (as mapline's export writes it), if any.
fn read_eras(cx: &mut Cx<'_>, top: &Map<String, Value>, body: &str, base: usize) -> Vec<EraEntry> {
    let Some(list) = top.get("eras").and_then(Value::as_array) else {
        return Vec::new();
    };
    let mut eras = Vec::with_capacity(list.len());
    for (n, v) in list.iter().enumerate() {
        let label = format!("era {}", n + 1);
        let at = |v: &Value| {
            let needle = serde_json::to_string(v).unwrap_or_default();
            body.find(&needle).map_or(base, |i| base + i)
        };
        match serde_json::from_value::<EraEntry>(v.clone()) {
            Ok(era) => match FuzzyTime::parse(&era.time) {
                Ok(_) => eras.push(era),
                Err(e) => cx.error(
                    at(&Value::String(era.time.clone())),
                    &label,
                    format!("time {:?}: {}", era.time, e.message),
                ),
            },
            Err(e) => cx.error(at(v), &label, format!("not an era: {e}")),
        }
    }
    eras
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_are_found_where_they_stand() {
        let raw = "[[1, -2.5], [30e1,4]]";
        let mut out = Vec::new();
        scan_positions(raw, 10, &mut out);
        assert_eq!(out, vec![vec![12, 15], vec![23, 28]]);
    }
}
