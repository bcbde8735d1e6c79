//! GeoJSON: a FeatureCollection (or a single Feature or geometry).
//!
//! - A feature with a `time` property, or `"feature": "event"`, is an
//!   event. Its `time` is EDTF (kept as written), an ISO 8601 / RFC 3339
//!   date-time (`2017-01-21T20:26:52.340Z`, `toISOString()`), or a Unix epoch
//!   number in seconds or milliseconds (the USGS feeds' `1485030412340`, or
//!   the same digits as a string):
//!   both become an EDTF date-time to the second (`2017-01-21T20:26:52Z`),
//!   which the export writes back ([`crate::io::stamp`] has the rules, the
//!   unit heuristic and `--time-unit`; one warning per file says which unit
//!   it took). Its title is `title`, else `name`, else `headline`; its text
//!   `text`, else `description`. Its `places` property (`[{"place": id, "role": …}]` or plain ids)
//!   links it to the place features by id, as mapline's own GeoJSON export
//!   writes it, so that a dataset survives the round trip. An event without
//!   `places` gets a place of its own at each point of its geometry, named
//!   by its `location`, else its `place` (USGS: "23 km SW of Tirana"), else
//!   its title. Its other properties, which mapline has no field for (USGS
//!   `mag`, `url`, `tsunami`, `sig`, …), are shown after its text, a
//!   `name: value` line each, a number named for time (`updated`) as the
//!   date-time it is; lists, objects and nulls are left out.
//! - Any other feature is a place: `name` (or `title`, or `place`), `id` (or the feature's
//!   `id`), `kind`, `precision`, `country`, `aliases`, `note`.
//! - A place whose geometry is not a point (a polygon, a line) stands at a
//!   representative point inside it ([`geo::InteriorPoint`]), with a warning;
//!   a place feature without geometry is skipped, with a warning.
//! - Coordinates must be finite, longitude in -180..180 and latitude in
//!   -90..90; each bad one is an error at its number in the file.
//! - The title is the top-level `title` or `name` member, else a feed's
//!   `metadata.title` (as the USGS feeds give it), else the file name.
//!
//! Excerpts in event features are not imported as excerpts (their articles
//! are not in the file, so they cannot be proven); their outlets are kept as
//! the event's attribution.

use serde::Deserialize;
use serde_json::value::RawValue;
use serde_json::{Map, Value};
use std::collections::HashMap;
use std::path::Path;

use crate::io::diagnostic::DatasetErrors;
use crate::io::format::LinkEntry;
use crate::io::imported::{Imported, empty_manifest};
use crate::io::stamp::ReadOptions;
pub(crate) mod entries;
pub(crate) mod geometry;
mod skip;
mod times;
pub mod write;

use crate::io::json_at::{self as members, Step};
use entries::{Builder, read_eras, read_eras_json, read_event, read_place};
use geometry::{FeatureJson, parse_feature, read_feature};

/// Geometry types that may stand alone at the top of a file.
pub(crate) const GEOMETRY_TYPES: [&str; 7] = [
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
    import_scanned(text, label, None, ReadOptions::default())
}

/// [`import`] of a file whose duplicate keys were looked for already (the
/// scan that runs beside the format probe), if they were, read as `options`
/// say (the unit of epoch times).
pub(crate) fn import_scanned(
    text: &str,
    label: &str,
    duplicates: Option<Vec<crate::io::json_keys::DuplicateKey>>,
    options: ReadOptions,
) -> Result<Imported, DatasetErrors> {
    let body = text.strip_prefix('\u{feff}').unwrap_or(text);
    let base = text.len() - body.len();
    let mut cx = Cx::new(label, text);
    let duplicates = duplicates
        .unwrap_or_else(|| crate::io::json_keys::duplicate_keys(body, crate::io::MAX_DIAGNOSTICS));
    if cx.report_duplicate_keys(base, &duplicates) {
        return Err(DatasetErrors(cx.errors));
    }
    let top = read_top(&mut cx, body, base)?;
    let raws = feature_raws(&mut cx, &top, body, base)?;
    // Every feature's JSON first, as one reading of the whole file would:
    // a number out of range stops the read before any feature is checked.
    let mut read: Vec<FeatureJson<'_>> = Vec::with_capacity(raws.len());
    for raw in raws {
        read.push(read_feature(&mut cx, raw)?);
    }
    let eras_json = read_eras_json(&mut cx, top.eras)?;
    let mut parsed: Vec<Parsed<'_>> = Vec::with_capacity(read.len());
    for (index, json) in read.into_iter().enumerate() {
        if let Some(p) = parse_feature(&mut cx, index + 1, json) {
            parsed.push(p);
        }
    }
    let mut b = Builder {
        time_unit: options.time_unit,
        ..Builder::default()
    };
    // Explicit ids first, so that made-up ids never take one.
    for p in &parsed {
        if let Some(id) = &p.id {
            let taken = if p.is_event {
                b.event_ids.take(id)
            } else {
                b.place_ids.take(id)
            };
            if !taken {
                let kind = if p.is_event { "event" } else { "place" };
                cx.error(p.id_at(), &p.item(), format!("duplicate {kind} id {id:?}"));
            }
        }
    }
    // Each feature's properties are let go once its entry is made.
    for p in parsed.iter_mut().filter(|p| !p.is_event) {
        read_place(&mut cx, &mut b, p);
        drop(std::mem::take(&mut p.props));
    }
    let place_index: HashMap<String, usize> = b
        .places
        .iter()
        .enumerate()
        .map(|(i, p)| (p.id.clone(), i))
        .collect();
    let mut pending_links: Vec<PendingLinks> = Vec::new();
    for (i, p) in parsed.iter_mut().enumerate().filter(|(_, p)| p.is_event) {
        if let Some(links) = read_event(&mut cx, &mut b, &place_index, p) {
            pending_links.push((b.events.len() - 1, links, i));
        }
        drop(std::mem::take(&mut p.props));
    }
    let event_ids: std::collections::HashSet<String> =
        b.events.iter().map(|e| e.id.clone()).collect();
    for (event, links, i) in pending_links {
        let Some(p) = parsed.get(i) else { continue };
        for (link, k) in links {
            if event_ids.contains(&link.event) {
                if let Some(e) = b.events.get_mut(event) {
                    e.links.push(link);
                }
            } else {
                let at = p.at_path(&[
                    Step::Key("properties"),
                    Step::Key("links"),
                    Step::Index(k),
                    Step::Key("event"),
                ]);
                cx.warn(
                    at,
                    &p.item(),
                    format!(
                        "link to event {:?}, which is not in the file; the link is dropped",
                        link.event
                    ),
                );
            }
        }
    }
    if let Some((at, message)) = b.epochs.warning() {
        cx.warn(at, "dataset", message);
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
    let eras = read_eras(&mut cx, eras_json);
    if !cx.errors.is_empty() {
        return Err(DatasetErrors(cx.errors));
    }
    let name = Path::new(label)
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or(label)
        .to_owned();
    let feed_title = top
        .metadata
        .and_then(|m| serde_json::from_str::<FeedMetadata>(m.get()).ok())
        .and_then(|m| m.title);
    let title = [&top.title, &top.name, &feed_title]
        .iter()
        .find_map(|v| v.as_ref().and_then(Value::as_str))
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map_or_else(|| name.clone(), str::to_owned);
    let mut manifest = empty_manifest(title);
    manifest.description = top
        .description
        .as_ref()
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
        positions: None,
        articles: std::collections::HashMap::new(),
    })
}

/// An event's position, its links with the index of each in the feature's
/// `links` (where it stands is found only for a warning), and its feature's
/// index among the features read.
pub(crate) type PendingLinks = (usize, Vec<(LinkEntry, usize)>, usize);

pub(crate) use crate::io::diagnostic::strip_position;

pub(crate) type Cx<'t> = crate::io::imported::Found<'t>;

impl Cx<'_> {}

/// The members of the top object that mapline reads, read in one pass
/// over the file: the features stay text, each read on its own after; any
/// other member is skipped ([`skip::Skipped`]).
#[derive(Default)]
pub(crate) struct Top<'t> {
    kind: Option<Value>,
    features: Option<&'t RawValue>,
    title: Option<Value>,
    name: Option<Value>,
    description: Option<Value>,
    eras: Option<&'t RawValue>,
    /// A feed's `metadata` (USGS: its `title`), left as text.
    metadata: Option<&'t RawValue>,
}

impl<'de: 't, 't> Deserialize<'de> for Top<'t> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Members<'t>(std::marker::PhantomData<&'t ()>);
        impl<'de: 't, 't> serde::de::Visitor<'de> for Members<'t> {
            type Value = Top<'t>;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a GeoJSON object")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                map: A,
            ) -> Result<Self::Value, A::Error> {
                let mut top = Top::default();
                skip::members(map, |key, map| {
                    match key {
                        "type" => top.kind = Some(map.next_value()?),
                        "features" => top.features = Some(map.next_value()?),
                        "title" => top.title = Some(map.next_value()?),
                        "name" => top.name = Some(map.next_value()?),
                        "description" => top.description = Some(map.next_value()?),
                        "eras" => top.eras = Some(map.next_value()?),
                        "metadata" => top.metadata = Some(map.next_value()?),
                        _ => return Ok(false),
                    }
                    Ok(true)
                })?;
                Ok(top)
            }
        }
        d.deserialize_map(Members(std::marker::PhantomData))
    }
}

/// The part of a feed's `metadata` that mapline reads.
#[derive(Deserialize)]
struct FeedMetadata {
    title: Option<Value>,
}

/// A JSON error in `text`, a part of the file that starts at `base` in it,
/// at its line and column in the file.
pub(crate) fn json_error(cx: &mut Cx<'_>, base: usize, e: &serde_json::Error) -> DatasetErrors {
    let at = cx.lines.offset_of_json_pos(base, e.line(), e.column());
    cx.error(at, "file", format!("not valid JSON: {}", strip_position(e)));
    DatasetErrors(std::mem::take(&mut cx.errors))
}

/// Reads the top object of the file (`body`, at `base`).
fn read_top<'t>(cx: &mut Cx<'t>, body: &'t str, base: usize) -> Result<Top<'t>, DatasetErrors> {
    if !body.trim_start().starts_with('{') {
        // Not an object: whether it is JSON at all is said first.
        if let Err(e) = serde_json::from_str::<Value>(body) {
            return Err(json_error(cx, base, &e));
        }
        cx.error(
            base,
            "file",
            "GeoJSON is an object with a \"type\" (FeatureCollection, Feature or a geometry)",
        );
        return Err(DatasetErrors(std::mem::take(&mut cx.errors)));
    }
    serde_json::from_str::<Top<'t>>(body).map_err(|e| json_error(cx, base, &e))
}

/// One feature as it stands in the file: its JSON, and for a bare geometry
/// the geometry's JSON.
#[derive(Clone, Copy)]
pub(crate) enum FeatureRaw<'t> {
    Feature(&'t str),
    Geometry(&'t str),
}

/// The features of the file, each as its raw JSON.
pub(crate) fn feature_raws<'t>(
    cx: &mut Cx<'t>,
    top: &Top<'t>,
    body: &'t str,
    base: usize,
) -> Result<Vec<FeatureRaw<'t>>, DatasetErrors> {
    #[derive(Deserialize)]
    struct Collection<'a> {
        #[serde(borrow)]
        features: Vec<&'a RawValue>,
    }
    match top.kind.as_ref().and_then(Value::as_str) {
        Some("FeatureCollection") => {
            let features = top
                .features
                .and_then(|f| serde_json::from_str::<Vec<&'t RawValue>>(f.get()).ok());
            if let Some(features) = features {
                return Ok(features
                    .into_iter()
                    .map(|r| FeatureRaw::Feature(r.get()))
                    .collect());
            }
            // No "features" array: the file read as a collection says why,
            // and where (the end of the file for a missing member).
            let e = match serde_json::from_str::<Collection<'t>>(body) {
                Err(e) => e,
                Ok(c) => {
                    return Ok(c
                        .features
                        .into_iter()
                        .map(|r| FeatureRaw::Feature(r.get()))
                        .collect());
                }
            };
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
pub(crate) struct Parsed<'t> {
    /// 1-based position in the file.
    pub(crate) index: usize,
    pub(crate) raw: &'t str,
    /// Where the feature starts in the file.
    pub(crate) at: usize,
    pub(crate) props: Map<String, Value>,
    /// The explicit id (where it stands: [`Parsed::id_at`]).
    pub(crate) id: Option<String>,
    /// Is the id the `id` property (rather than the feature's `id`)?
    pub(crate) id_in_props: bool,
    pub(crate) geometry: Option<geojson::Value>,
    /// Where the geometry starts.
    pub(crate) geometry_at: usize,
    pub(crate) is_event: bool,
}

impl Parsed<'_> {
    /// `feature 3 (id tirana)`.
    pub(crate) fn item(&self) -> String {
        match &self.id {
            Some(id) => format!("feature {} (id {id})", self.index),
            None => format!("feature {}", self.index),
        }
    }

    /// Where the value at `path` in the feature stands (or the feature).
    pub(crate) fn at_path(&self, path: &[Step<'_>]) -> usize {
        members::value_at(self.raw, path).map_or(self.at, |i| self.at + i)
    }

    /// Where a property's value stands (or the feature).
    pub(crate) fn prop_at(&self, key: &str) -> usize {
        self.at_path(&[Step::Key("properties"), Step::Key(key)])
    }

    /// Where a property's key stands (or the feature).
    pub(crate) fn prop_key_at(&self, key: &str) -> usize {
        members::key_at(self.raw, &[Step::Key("properties")], key).map_or(self.at, |i| self.at + i)
    }

    /// Where the explicit id stands (or the feature).
    pub(crate) fn id_at(&self) -> usize {
        if self.id_in_props {
            self.prop_at("id")
        } else {
            self.at_path(&[Step::Key("id")])
        }
    }

    pub(crate) fn str_prop(&self, key: &str) -> Option<&str> {
        self.props
            .get(key)
            .and_then(Value::as_str)
            .map(str::trim)
            .filter(|s| !s.is_empty())
    }
}

/// An id given as a string or a number.
pub(crate) fn id_of(value: &Value) -> Option<String> {
    match value {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_owned()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::geometry::scan_positions;

    #[test]
    fn positions_are_found_where_they_stand() {
        let raw = "[[1, -2.5], [30e1,4]]";
        let mut out = Vec::new();
        scan_positions(raw, 10, &mut out);
        assert_eq!(out, vec![vec![12, 15], vec![23, 28]]);
    }
}
