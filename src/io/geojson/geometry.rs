//! GeoJSON geometries: each feature parsed with its position in the file,
//! its coordinates checked where they stand, and a point chosen for shapes.

use geo::InteriorPoint as _;
use serde::Deserialize;
use serde_json::Value;
use serde_json::value::RawValue;

use super::{Cx, FeatureRaw, Parsed, id_of};

/// Reads one feature with the `geojson` crate and checks its coordinates.
pub(crate) fn parse_feature<'t>(
    cx: &mut Cx<'t>,
    index: usize,
    raw: FeatureRaw<'t>,
) -> Option<Parsed<'t>> {
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
pub(crate) fn non_number_coordinate(cx: &Cx<'_>, geometry_raw: &str) -> Option<(usize, String)> {
    pub(crate) fn first_non_number(v: &Value) -> Option<&Value> {
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
pub(crate) fn coordinates_ok(
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
