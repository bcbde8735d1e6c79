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

use serde::Deserialize;
use serde_json::value::RawValue;
use serde_json::{Map, Value};
use std::collections::HashMap;
use std::path::Path;

use crate::io::diagnostic::DatasetErrors;
use crate::io::format::LinkEntry;
use crate::io::imported::{Imported, empty_manifest};
pub(crate) mod entries;
pub(crate) mod geometry;
pub mod write;

use entries::{Builder, read_eras, read_event, read_place};
use geometry::parse_feature;

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
    import_scanned(text, label, None)
}

/// [`import`] of a file whose duplicate keys were looked for already (the
/// scan that runs beside the format probe), if they were.
pub(crate) fn import_scanned(
    text: &str,
    label: &str,
    duplicates: Option<Vec<crate::io::json_keys::DuplicateKey>>,
) -> Result<Imported, DatasetErrors> {
    let body = text.strip_prefix('\u{feff}').unwrap_or(text);
    let base = text.len() - body.len();
    let mut cx = Cx::new(label, text);
    let duplicates = duplicates
        .unwrap_or_else(|| crate::io::json_keys::duplicate_keys(body, crate::io::MAX_DIAGNOSTICS));
    if cx.report_duplicate_keys(base, &duplicates) {
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
        positions: None,
        articles: std::collections::HashMap::new(),
    })
}

/// An event's position, its links with where each stands, and its item label.
pub(crate) type PendingLinks = (usize, Vec<(LinkEntry, usize)>, String);

pub(crate) use crate::io::diagnostic::strip_position;

pub(crate) type Cx<'t> = crate::io::imported::Found<'t>;

impl Cx<'_> {}

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
pub(crate) struct Parsed<'t> {
    /// 1-based position in the file.
    pub(crate) index: usize,
    pub(crate) raw: &'t str,
    /// Where the feature starts in the file.
    pub(crate) at: usize,
    pub(crate) props: Map<String, Value>,
    /// The explicit id and where it stands.
    pub(crate) id: Option<(String, usize)>,
    pub(crate) geometry: Option<geojson::Value>,
    /// Where the geometry starts.
    pub(crate) geometry_at: usize,
    pub(crate) is_event: bool,
}

impl Parsed<'_> {
    /// `feature 3 (id tirana)`.
    pub(crate) fn item(&self) -> String {
        match &self.id {
            Some((id, _)) => format!("feature {} (id {id})", self.index),
            None => format!("feature {}", self.index),
        }
    }

    /// Where a property's value stands (or the feature).
    pub(crate) fn value_at(&self, value: &Value) -> usize {
        let needle = serde_json::to_string(value).unwrap_or_default();
        self.raw.find(&needle).map_or(self.at, |i| self.at + i)
    }

    /// Where a property's key stands (or the feature).
    pub(crate) fn key_at(&self, key: &str) -> usize {
        self.value_at(&Value::String(key.to_owned()))
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
