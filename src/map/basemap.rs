//! The schematic basemap: Natural Earth country outlines from the
//! `world-atlas` `TopoJSON` files shipped in `assets/basemap/`.
//!
//! `TopoJSON` stores each shared border once, as an "arc" of quantized,
//! delta-encoded points. We decode the arcs, simplify them for a calm look,
//! classify each as coast (used by one country) or border (shared), and
//! triangulate the land once per level of detail. Drawing then only moves
//! what was built here; nothing is fetched.

use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

use egui::epaint::{Mesh, Vertex, WHITE_UV};
use egui::{Color32, Pos2, Rect, Shape, Stroke};
use geo::{Coord, LineString, Polygon, Simplify as _, TriangulateEarcut as _};
use serde::Deserialize;

use crate::model::projection::project;
use crate::state::MapCamera;

const COUNTRIES_110M: &str = include_str!("../../assets/basemap/countries-110m.json");
const COUNTRIES_50M: &str = include_str!("../../assets/basemap/countries-50m.json");

#[derive(Deserialize)]
struct Topology {
    transform: Option<Transform>,
    arcs: Vec<Vec<[f64; 2]>>,
    objects: HashMap<String, TopoObject>,
}

#[derive(Deserialize)]
struct Transform {
    scale: [f64; 2],
    translate: [f64; 2],
}

#[derive(Deserialize)]
struct TopoObject {
    #[serde(default)]
    geometries: Vec<TopoGeometry>,
    #[serde(rename = "type")]
    kind: String,
    #[serde(default)]
    arcs: serde_json::Value,
}

#[derive(Deserialize)]
struct TopoGeometry {
    #[serde(rename = "type")]
    kind: String,
    #[serde(default)]
    arcs: serde_json::Value,
}

/// One decoded arc (a coastline or border segment) in world coordinates.
#[derive(Debug)]
struct ArcLine {
    points: Vec<Coord<f64>>,
    min: Coord<f64>,
    max: Coord<f64>,
    coast: bool,
}

/// Triangulated land, in world coordinates, with its bounding box.
#[derive(Debug)]
struct LandPiece {
    vertices: Vec<Coord<f64>>,
    indices: Vec<u32>,
    min: Coord<f64>,
    max: Coord<f64>,
}

/// One level of detail.
#[derive(Debug, Default)]
struct Level {
    arcs: Vec<ArcLine>,
    land: Vec<LandPiece>,
}

/// A basemap file that could not be decoded: the map is drawn without it
/// and says so.
#[derive(Debug, thiserror::Error)]
#[error("the basemap {file} could not be read: {reason}")]
pub struct BasemapError {
    /// The file, as shipped in `assets/basemap/`.
    pub file: &'static str,
    /// What is wrong in it (with its line and column when the JSON is broken).
    pub reason: String,
}

/// The decoded basemap at two levels of detail (1:110m and 1:50m).
#[derive(Debug)]
pub struct Basemap {
    coarse: Level,
    fine: Level,
    /// The files that could not be decoded (their level is empty).
    problems: Vec<BasemapError>,
}

/// Colours for drawing the basemap.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct BasemapStyle {
    /// Land fill.
    pub land: Color32,
    /// Coastline stroke.
    pub coast: Stroke,
    /// Border stroke.
    pub border: Stroke,
}

/// The drawn basemap for one camera, kept until the camera moves.
#[derive(Default)]
pub struct BasemapCache {
    key: Option<(MapCamera, [f32; 4], u32)>,
    shapes: Vec<Shape>,
}

impl Basemap {
    /// The basemap, decoded once per process.
    #[must_use]
    pub fn shared() -> &'static Self {
        static BASEMAP: OnceLock<Basemap> = OnceLock::new();
        BASEMAP.get_or_init(|| {
            Self::from_topojson(
                ("countries-110m.json", COUNTRIES_110M),
                ("countries-50m.json", COUNTRIES_50M),
            )
        })
    }

    /// A basemap from world-atlas `TopoJSON` texts, coarse and fine, each
    /// with its file name; a text that does not decode leaves its level
    /// empty and is listed in [`Self::problems`].
    #[must_use]
    pub fn from_topojson(
        (coarse_file, coarse): (&'static str, &str),
        (fine_file, fine): (&'static str, &str),
    ) -> Self {
        let mut problems = Vec::new();
        let mut level = |file: &'static str, json: &str, epsilon: f64| {
            decode(json, epsilon).unwrap_or_else(|reason| {
                problems.push(BasemapError { file, reason });
                Level::default()
            })
        };
        let coarse = level(coarse_file, coarse, 0.03);
        let fine = level(fine_file, fine, 0.005);
        Self {
            coarse,
            fine,
            problems,
        }
    }

    /// The files that could not be decoded.
    #[must_use]
    pub fn problems(&self) -> &[BasemapError] {
        &self.problems
    }

    /// Number of (coarse, fine) arcs, for tests.
    #[must_use]
    pub fn arc_counts(&self) -> (usize, usize) {
        (self.coarse.arcs.len(), self.fine.arcs.len())
    }

    /// The shapes that draw the basemap for `camera` in `rect`, rebuilt only
    /// when the camera, the view or the style changed.
    pub fn shapes(
        &self,
        cache: &mut BasemapCache,
        camera: &MapCamera,
        rect: Rect,
        style: &BasemapStyle,
    ) -> Vec<Shape> {
        let style_key = u32::from_le_bytes(style.land.to_array())
            ^ u32::from_le_bytes(style.coast.color.to_array());
        let key = (
            *camera,
            [rect.min.x, rect.min.y, rect.max.x, rect.max.y],
            style_key,
        );
        if cache.key != Some(key) {
            // Tessellated once into one shared mesh: a frame that reuses it
            // copies a pointer, not every coastline.
            let mut tessellator = egui::epaint::Tessellator::new(
                1.0,
                egui::epaint::TessellationOptions::default(),
                [1, 1],
                Vec::new(),
            );
            let mut mesh = Mesh::default();
            for shape in self.build(camera, rect, style) {
                match shape {
                    Shape::Mesh(m) => mesh.append_ref(&m),
                    other => tessellator.tessellate_shape(other, &mut mesh),
                }
            }
            cache.shapes = vec![Shape::mesh(mesh)];
            cache.key = Some(key);
        }
        cache.shapes.clone()
    }

    fn build(&self, camera: &MapCamera, rect: Rect, style: &BasemapStyle) -> Vec<Shape> {
        // The coarse level suits continent-wide views; the fine one, closer looks.
        let level = if camera.scale > 9_000.0 {
            &self.fine
        } else {
            &self.coarse
        };
        let (vmin, vmax) = camera.world_bounds(rect.expand(4.0));
        let visible = |min: Coord<f64>, max: Coord<f64>| {
            !(max.x < vmin.x || min.x > vmax.x || max.y < vmin.y || min.y > vmax.y)
        };
        let mut mesh = Mesh::default();
        for piece in level.land.iter().filter(|p| visible(p.min, p.max)) {
            let base = mesh.vertices.len() as u32;
            mesh.vertices.extend(piece.vertices.iter().map(|&w| Vertex {
                pos: camera.to_screen(rect, w),
                uv: WHITE_UV,
                color: style.land,
            }));
            mesh.indices.extend(piece.indices.iter().map(|i| base + i));
        }
        let mut shapes = vec![Shape::mesh(Arc::new(mesh))];
        for arc in level.arcs.iter().filter(|a| visible(a.min, a.max)) {
            let points: Vec<Pos2> = arc
                .points
                .iter()
                .map(|&w| camera.to_screen(rect, w))
                .collect();
            let stroke = if arc.coast { style.coast } else { style.border };
            shapes.push(Shape::line(points, stroke));
        }
        shapes
    }
}

fn bbox(points: &[Coord<f64>]) -> (Coord<f64>, Coord<f64>) {
    points.iter().fold(
        (
            Coord {
                x: f64::INFINITY,
                y: f64::INFINITY,
            },
            Coord {
                x: f64::NEG_INFINITY,
                y: f64::NEG_INFINITY,
            },
        ),
        |(lo, hi), p| {
            (
                Coord {
                    x: lo.x.min(p.x),
                    y: lo.y.min(p.y),
                },
                Coord {
                    x: hi.x.max(p.x),
                    y: hi.y.max(p.y),
                },
            )
        },
    )
}

/// Projects a line of (lon, lat) points, unwrapping longitudes so that a
/// line crossing the antimeridian (Chukotka in the stitched land polygon)
/// continues past ±180° instead of streaking across the whole map.
fn unwrap_and_project(points: &[Coord<f64>]) -> Vec<Coord<f64>> {
    let mut shift = 0.0;
    let mut prev: Option<f64> = None;
    points
        .iter()
        .map(|c| {
            if let Some(p) = prev {
                let jump = c.x + shift - p;
                if jump > 180.0 {
                    shift -= 360.0;
                } else if jump < -180.0 {
                    shift += 360.0;
                }
            }
            let lon = c.x + shift;
            prev = Some(lon);
            project(Coord { x: lon, y: c.y })
        })
        .collect()
}

/// Polygons of a geometry's `arcs` value: a list of rings (`Polygon`) or a list
/// of lists of rings (`MultiPolygon`); each ring is a list of arc indices.
fn polygons_of(kind: &str, arcs: &serde_json::Value) -> Vec<Vec<Vec<i64>>> {
    let parse = |v: &serde_json::Value| {
        serde_json::from_value::<Vec<Vec<i64>>>(v.clone()).unwrap_or_default()
    };
    match kind {
        "Polygon" => vec![parse(arcs)],
        "MultiPolygon" => arcs
            .as_array()
            .map(|a| a.iter().map(parse).collect())
            .unwrap_or_default(),
        _ => Vec::new(),
    }
}

/// Decodes a world-atlas `TopoJSON` file; `epsilon` simplifies arcs (in degrees).
fn decode(json: &str, epsilon: f64) -> Result<Level, String> {
    let topo: Topology = serde_json::from_str(json).map_err(|e| e.to_string())?;
    let (scale, translate) = topo
        .transform
        .as_ref()
        .map_or(([1.0, 1.0], [0.0, 0.0]), |t| (t.scale, t.translate));
    // Decode every arc to (lon, lat) and simplify it; projection comes later,
    // after longitudes are unwrapped across the antimeridian.
    let arcs: Vec<Vec<Coord<f64>>> = topo
        .arcs
        .iter()
        .map(|arc| {
            let (mut x, mut y) = (0.0, 0.0);
            let line: LineString<f64> = arc
                .iter()
                .map(|d| {
                    if topo.transform.is_some() {
                        x += d[0];
                        y += d[1];
                    } else {
                        (x, y) = (d[0], d[1]);
                    }
                    Coord {
                        x: x * scale[0] + translate[0],
                        y: y * scale[1] + translate[1],
                    }
                })
                .collect();
            line.simplify(epsilon).0
        })
        .collect();
    // How many countries use each arc: one means coast, two a border.
    let mut uses = vec![0u8; arcs.len()];
    let countries = topo
        .objects
        .get("countries")
        .ok_or("it has no \"countries\" object")?;
    for g in &countries.geometries {
        for poly in polygons_of(&g.kind, &g.arcs) {
            for ring in poly {
                for i in ring {
                    let idx = if i < 0 { !i } else { i } as usize;
                    if let Some(u) = uses.get_mut(idx) {
                        *u = u.saturating_add(1);
                    }
                }
            }
        }
    }
    let ring_of = |indices: &[i64]| -> Vec<Coord<f64>> {
        let mut ring: Vec<Coord<f64>> = Vec::new();
        for &i in indices {
            let Some(arc) = arcs.get(if i < 0 { !i } else { i } as usize) else {
                continue;
            };
            let mut pts = arc.clone();
            if i < 0 {
                pts.reverse();
            }
            let skip = usize::from(!ring.is_empty());
            ring.extend(pts.into_iter().skip(skip));
        }
        unwrap_and_project(&ring)
    };
    // Land: the merged "land" object where present, else all countries.
    let land_polys: Vec<Vec<Vec<i64>>> = match topo.objects.get("land") {
        Some(land) if land.kind == "GeometryCollection" => land
            .geometries
            .iter()
            .flat_map(|g| polygons_of(&g.kind, &g.arcs))
            .collect(),
        Some(land) => polygons_of(&land.kind, &land.arcs),
        None => countries
            .geometries
            .iter()
            .flat_map(|g| polygons_of(&g.kind, &g.arcs))
            .collect(),
    };
    let land = land_polys
        .iter()
        .filter_map(|rings| {
            let mut rings = rings.iter().map(|r| LineString::new(ring_of(r)));
            let exterior = rings.next()?;
            if exterior.0.len() < 4 {
                return None;
            }
            let polygon = Polygon::new(exterior, rings.filter(|r| r.0.len() >= 4).collect());
            let raw = polygon.earcut_triangles_raw();
            let vertices: Vec<Coord<f64>> = raw
                .vertices
                .iter()
                .map(|v| Coord { x: v[0], y: v[1] })
                .collect();
            let (min, max) = bbox(&vertices);
            Some(LandPiece {
                indices: raw.triangle_indices.iter().map(|&i| i as u32).collect(),
                vertices,
                min,
                max,
            })
        })
        .collect();
    let arcs = arcs
        .iter()
        .map(|a| unwrap_and_project(a))
        .zip(uses)
        .filter(|(pts, uses)| pts.len() >= 2 && *uses > 0)
        .map(|(points, uses)| {
            let (min, max) = bbox(&points);
            ArcLine {
                points,
                min,
                max,
                coast: uses == 1,
            }
        })
        .collect();
    Ok(Level { arcs, land })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_levels_decode_with_coasts_and_borders() {
        let map = Basemap::shared();
        let (coarse, fine) = map.arc_counts();
        assert!(coarse > 400 && fine > coarse, "{coarse} {fine}");
        assert!(
            map.coarse.arcs.iter().any(|a| a.coast) && map.coarse.arcs.iter().any(|a| !a.coast)
        );
        assert!(!map.coarse.land.is_empty() && !map.fine.land.is_empty());
        // Albania is land: some land triangle's box holds Tirana.
        let tirana = project(Coord { x: 19.82, y: 41.33 });
        assert!(map.fine.land.iter().any(|p| p.min.x <= tirana.x
            && tirana.x <= p.max.x
            && p.min.y <= tirana.y
            && tirana.y <= p.max.y));
    }
}

#[cfg(test)]
mod water_tests {
    use super::*;

    fn in_land(level: &Level, lon: f64, lat: f64) -> bool {
        let p = project(Coord { x: lon, y: lat });
        level.land.iter().any(|piece| {
            piece.indices.chunks(3).any(|t| {
                let [a, b, c] = [0, 1, 2].map(|k| piece.vertices[t[k] as usize]);
                let d1 = (p.x - b.x) * (a.y - b.y) - (a.x - b.x) * (p.y - b.y);
                let d2 = (p.x - c.x) * (b.y - c.y) - (b.x - c.x) * (p.y - c.y);
                let d3 = (p.x - a.x) * (c.y - a.y) - (c.x - a.x) * (p.y - a.y);
                let neg = d1 < 0.0 || d2 < 0.0 || d3 < 0.0;
                let pos = d1 > 0.0 || d2 > 0.0 || d3 > 0.0;
                !(neg && pos)
            })
        })
    }

    #[test]
    fn seas_are_water_and_land_is_land() {
        for (name, level) in [
            ("coarse", &Basemap::shared().coarse),
            ("fine", &Basemap::shared().fine),
        ] {
            assert!(in_land(level, 19.82, 41.33), "{name}: Tirana is on land");
            assert!(in_land(level, 51.39, 35.69), "{name}: Tehran is on land");
            assert!(
                !in_land(level, 34.0, 43.0),
                "{name}: the Black Sea is water"
            );
            assert!(!in_land(level, 50.5, 42.0), "{name}: the Caspian is water");
            assert!(
                !in_land(level, 18.0, 35.0),
                "{name}: the Mediterranean is water"
            );
        }
    }
}
