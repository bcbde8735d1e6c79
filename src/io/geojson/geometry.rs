//! GeoJSON geometries: each feature parsed with its position in the file,
//! its coordinates checked where they stand, and a point chosen for shapes.

use geo::InteriorPoint as _;
use serde::Deserialize;
use serde_json::value::RawValue;
use serde_json::{Map, Value};
use std::ops::Not as _;

use super::skip;
use super::{Cx, FeatureRaw, Parsed, id_of, json_error};
use crate::io::diagnostic::DatasetErrors;
use crate::io::json_at::{self as members, Step};

/// The members of a feature the `geojson` crate reads, each as it stands
/// (`null` too: the crate tells a missing geometry from a null one); any
/// other is skipped ([`skip::Skipped`]), never made into a value.
#[derive(Default)]
struct FeatureMembers<'t> {
    kind: Option<Value>,
    /// Left as text, so that where it stands is known.
    geometry: Option<&'t RawValue>,
    properties: Option<Value>,
    id: Option<Value>,
    bbox: Option<Value>,
}

impl<'de: 't, 't> Deserialize<'de> for FeatureMembers<'t> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Members<'t>(std::marker::PhantomData<&'t ()>);
        impl<'de: 't, 't> serde::de::Visitor<'de> for Members<'t> {
            type Value = FeatureMembers<'t>;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a GeoJSON feature")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                map: A,
            ) -> Result<Self::Value, A::Error> {
                let mut m = FeatureMembers::default();
                skip::members(map, |key, map| {
                    match key {
                        "type" => m.kind = Some(map.next_value()?),
                        "geometry" => m.geometry = Some(map.next_value()?),
                        "properties" => m.properties = Some(map.next_value()?),
                        "id" => m.id = Some(map.next_value()?),
                        "bbox" => m.bbox = Some(map.next_value()?),
                        _ => return Ok(false),
                    }
                    Ok(true)
                })?;
                Ok(m)
            }
        }
        d.deserialize_map(Members(std::marker::PhantomData))
    }
}

/// A feature's JSON, read: its text, its geometry's text, and the object
/// the `geojson` crate makes a feature of (or the value that is no object).
pub(crate) struct FeatureJson<'t> {
    text: &'t str,
    geometry_raw: Option<&'t str>,
    object: Result<Map<String, Value>, Value>,
}

/// Reads one feature's JSON (a part of the file):
/// each part once, the geometry from its own text so that where it stands
/// is known. A number JSON cannot hold (`1e999`) is an error of the file.
pub(crate) fn read_feature<'t>(
    cx: &mut Cx<'t>,
    raw: FeatureRaw<'t>,
) -> Result<FeatureJson<'t>, DatasetErrors> {
    let value_of = |cx: &mut Cx<'t>, text: &'t str| {
        let from = cx.offset_of(text);
        serde_json::from_str::<Value>(text).map_err(|e| json_error(cx, from, &e))
    };
    match raw {
        FeatureRaw::Geometry(text) => {
            let mut object = Map::new();
            object.insert("type".to_owned(), Value::String("Feature".to_owned()));
            object.insert("geometry".to_owned(), value_of(cx, text)?);
            object.insert("properties".to_owned(), Value::Null);
            Ok(FeatureJson {
                text,
                geometry_raw: Some(text),
                object: Ok(object),
            })
        }
        FeatureRaw::Feature(text) if !text.starts_with('{') => Ok(FeatureJson {
            text,
            geometry_raw: None,
            object: Err(value_of(cx, text)?),
        }),
        FeatureRaw::Feature(text) => {
            let from = cx.offset_of(text);
            let m = serde_json::from_str::<FeatureMembers<'t>>(text)
                .map_err(|e| json_error(cx, from, &e))?;
            let geometry_raw = m.geometry.map(RawValue::get);
            let geometry = match geometry_raw {
                Some("null") => Some(Value::Null),
                Some(g) => Some(value_of(cx, g)?),
                None => None,
            };
            let mut object = Map::new();
            let members = [
                ("type", m.kind),
                ("geometry", geometry),
                ("properties", m.properties),
                ("id", m.id),
                ("bbox", m.bbox),
            ];
            for (key, value) in members {
                if let Some(v) = value {
                    object.insert(key.to_owned(), v);
                }
            }
            Ok(FeatureJson {
                text,
                geometry_raw: geometry_raw.filter(|g| *g != "null"),
                object: Ok(object),
            })
        }
    }
}

/// Makes one feature read ([`read_feature`]) a `geojson` feature and
/// checks its coordinates.
pub(crate) fn parse_feature<'t>(
    cx: &mut Cx<'t>,
    index: usize,
    json: FeatureJson<'t>,
) -> Option<Parsed<'t>> {
    let FeatureJson {
        text,
        geometry_raw,
        object,
    } = json;
    let at = cx.offset_of(text);
    let item = format!("feature {index}");
    let read = match object {
        Ok(object) => geojson::Feature::from_json_object(object),
        Err(value) => geojson::Feature::from_json_value(value),
    };
    let feature = match read {
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
    let from_props = props.get("id").and_then(id_of);
    let id_in_props = from_props.is_some();
    let id = from_props.or_else(|| {
        feature.id.as_ref().map(|id| match id {
            geojson::feature::Id::String(s) => s.clone(),
            geojson::feature::Id::Number(n) => n.to_string(),
        })
    });
    let parsed = Parsed {
        index,
        raw: text,
        at,
        props,
        id,
        id_in_props,
        geometry: feature.geometry.map(|g| g.value),
        geometry_at,
        is_event,
    };
    if let Some(g) = &parsed.geometry
        && !coordinates_ok(cx, &parsed, g, geometry_raw)
    {
        return None;
    }
    Some(parsed)
}

/// The first coordinate of a geometry that is not a number (`"NaN"`, `null`…),
/// where it stands and how it is written.
pub(crate) fn non_number_coordinate(cx: &Cx<'_>, geometry_raw: &str) -> Option<(usize, String)> {
    /// The path to the first value that is not a number, and the value.
    fn first_non_number<'v>(v: &'v Value, path: &mut Vec<usize>) -> Option<&'v Value> {
        match v {
            Value::Array(items) => items.iter().enumerate().find_map(|(i, item)| {
                path.push(i);
                let found = first_non_number(item, path);
                if found.is_none() {
                    path.pop();
                }
                found
            }),
            Value::Number(_) => None,
            other => Some(other),
        }
    }
    let raw = members::value_text(geometry_raw, &[Step::Key("coordinates")])?;
    let value: Value = serde_json::from_str(raw).ok()?;
    let mut path = Vec::new();
    let bad = first_non_number(&value, &mut path)?.to_string();
    let steps: Vec<Step<'_>> = path.into_iter().map(Step::Index).collect();
    let base = cx.offset_of(raw);
    let at = members::value_at(raw, &steps).map_or(base, |i| base + i);
    Some((at, bad))
}

/// Checks every position of a geometry, reporting each bad number where it stands.
pub(crate) fn coordinates_ok(
    cx: &mut Cx<'_>,
    p: &Parsed<'_>,
    geometry: &geojson::Value,
    geometry_raw: Option<&str>,
) -> bool {
    let mut positions: Vec<&[f64]> = Vec::new();
    collect_positions(geometry, &mut positions);
    let bad = |v: f64, limit: f64| !v.is_finite() || !(-limit..=limit).contains(&v);
    let all_good = positions.iter().all(|p| {
        bad(p.first().copied().unwrap_or(f64::NAN), 180.0).not()
            && bad(p.get(1).copied().unwrap_or(f64::NAN), 90.0).not()
    });
    if all_good {
        return true;
    }
    // Where each number stands, found only now that one is wrong.
    let mut offsets: Vec<Vec<usize>> = Vec::new();
    if let Some(raw) = geometry_raw
        && let Some(coords) = members::value_text(raw, &[Step::Key("coordinates")])
            .or_else(|| members::value_text(raw, &[Step::Key("geometries")]))
    {
        scan_positions(coords, cx.offset_of(coords), &mut offsets);
    }
    let located = offsets.len() == positions.len();
    let mut ok = true;
    for (k, position) in positions.iter().enumerate() {
        for (axis, (name, limit)) in [("longitude", 180.0), ("latitude", 90.0)]
            .into_iter()
            .enumerate()
        {
            let v = position.get(axis).copied().unwrap_or(f64::NAN);
            if bad(v, limit) {
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
pub(crate) fn collect_positions<'g>(geometry: &'g geojson::Value, out: &mut Vec<&'g [f64]>) {
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
pub(crate) fn scan_positions(raw: &str, base: usize, out: &mut Vec<Vec<usize>>) {
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
pub(crate) fn representative(geometry: &geojson::Value) -> Option<(f64, f64)> {
    if let geojson::Value::Point(p) = geometry {
        return Some((*p.first()?, *p.get(1)?));
    }
    // Coordinates are checked (two numbers each) before this conversion.
    let g: geo::Geometry<f64> = geo::Geometry::try_from(geometry).ok()?;
    let p = g.interior_point()?;
    (p.x().is_finite() && p.y().is_finite()).then(|| (p.x(), p.y()))
}
