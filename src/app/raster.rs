//! A CPU rasterizer for egui's tessellated output, so that pictures of the
//! map and the time strip can be made without a GPU (`mapline brief` on a
//! machine with no display).
//!
//! It draws what egui-wgpu 0.37 draws: vertex positions in points times
//! `pixels_per_point`, sampled at pixel centres; each mesh cut to its clip
//! rect rounded to whole pixels as egui-wgpu rounds its scissor; the colour
//! is the vertex colour times the texture sample, both premultiplied sRGBA
//! used as plain numbers (egui's textures are `Rgba8Unorm`, not sRGB-aware,
//! and its preferred framebuffer is not sRGB either), blended
//! `dst = src + dst × (1 − src.a)` in that gamma space and rounded to `u8`
//! after each triangle. egui-wgpu's optional dithering is not copied.
//!
//! Coverage is exact: vertices are snapped to 1/256 pixel and the edge
//! functions are evaluated in integers with a top-left fill rule, so two
//! triangles sharing an edge cover each pixel centre on it exactly once.
//! Each row's covered span is solved for directly, so a long thin triangle
//! costs its rows, not its bounding box.

use std::collections::HashMap;

use egui::epaint::textures::{TextureFilter, TextureOptions, TextureWrapMode, TexturesDelta};
use egui::epaint::{
    ClippedPrimitive, Color32, ColorImage, ImageData, ImageDelta, Primitive, Rect, TextureId,
    Vertex,
};
use rayon::prelude::*;

/// Sub-pixel precision of snapped vertex positions: 8 bits, as GPUs use.
const SUBPIXEL: i64 = 256;

/// Snapped coordinates are clamped to this (2^40 pixels), so that the edge
/// functions fit `i128` whatever the input.
const MAX_FIXED: f64 = (1_i64 << 48) as f64;

/// Rows per band: bands are drawn in parallel, each with every triangle
/// that reaches it, in order.
const BAND_ROWS: usize = 32;

/// One uploaded texture: premultiplied sRGBA texels as egui sent them.
struct Texture {
    size: [usize; 2],
    pixels: Vec<Color32>,
    options: TextureOptions,
}

/// Draws egui's tessellated output into an image on the CPU.
///
/// Holds the textures egui has uploaded (by [`TextureId`], premultiplied
/// RGBA, with their [`TextureOptions`]); feed it every frame's
/// [`TexturesDelta`] with [`SoftRenderer::update_textures`] before
/// [`SoftRenderer::render`].
#[derive(Default)]
pub struct SoftRenderer {
    textures: HashMap<TextureId, Texture>,
    /// Textures the last delta freed: egui frees them *after* the frame
    /// that delta came with is painted, so they go at the next update.
    pending_free: Vec<TextureId>,
}

impl SoftRenderer {
    /// A renderer with no textures yet.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Applies egui's texture uploads (whole and partial, `pos: Some`) and frees.
    ///
    /// Uploads take effect at once. Frees take effect at the next call, as
    /// egui means them ("free after painting"): the frame that came with
    /// `delta` may still draw with a texture it frees. A partial upload to
    /// a texture that does not exist, or an image whose pixel count does
    /// not match its size, is ignored.
    ///
    /// `delta` is only read: the caller still has to `clear()` it, as
    /// egui 0.37 debug-asserts that a `TexturesDelta` is empty when dropped.
    pub fn update_textures(&mut self, delta: &TexturesDelta) {
        for id in self.pending_free.drain(..) {
            self.textures.remove(&id);
        }
        for (&id, deltas) in &delta.set {
            for image_delta in deltas {
                self.set_texture(id, image_delta);
            }
        }
        self.pending_free.extend(delta.free.iter().copied());
    }

    fn set_texture(&mut self, id: TextureId, delta: &ImageDelta) {
        let ImageData::Color(image) = &delta.image;
        let [w, h] = image.size;
        if image.pixels.len() != w * h {
            return;
        }
        match delta.pos {
            None => {
                self.textures.insert(
                    id,
                    Texture {
                        size: image.size,
                        pixels: image.pixels.clone(),
                        options: delta.options,
                    },
                );
            }
            Some([x, y]) => {
                let Some(tex) = self.textures.get_mut(&id) else {
                    return;
                };
                let [tw, th] = tex.size;
                let cols = w.min(tw.saturating_sub(x));
                let rows = h.min(th.saturating_sub(y));
                for row in 0..rows {
                    let src = &image.pixels[row * w..row * w + cols];
                    let start = (y + row) * tw + x;
                    tex.pixels[start..start + cols].copy_from_slice(src);
                }
                tex.options = delta.options;
            }
        }
    }

    /// Rasterizes `primitives` (positions in points) into a `size_px` image at
    /// `pixels_per_point`, over an opaque `background`. Paint callbacks are skipped.
    ///
    /// The image is premultiplied sRGBA, like everything in egui; over an
    /// opaque background every pixel stays opaque. Meshes whose texture is
    /// unknown are skipped, as egui-wgpu skips them.
    #[must_use]
    pub fn render(
        &self,
        primitives: &[ClippedPrimitive],
        size_px: [usize; 2],
        pixels_per_point: f32,
        background: Color32,
    ) -> ColorImage {
        let [width, height] = size_px;
        let mut pixels = vec![background; width * height];
        if width == 0 || height == 0 {
            return ColorImage::new(size_px, pixels);
        }
        let mut tris = Vec::new();
        for clipped in primitives {
            let Primitive::Mesh(mesh) = &clipped.primitive else {
                continue;
            };
            let Some(texture) = self.textures.get(&mesh.texture_id) else {
                continue;
            };
            let scissor = scissor(clipped.clip_rect, pixels_per_point, size_px);
            if scissor.x0 >= scissor.x1 || scissor.y0 >= scissor.y1 {
                continue;
            }
            for index in mesh.indices.chunks_exact(3) {
                let vertex = |i: u32| mesh.vertices.get(i as usize);
                let (Some(a), Some(b), Some(c)) =
                    (vertex(index[0]), vertex(index[1]), vertex(index[2]))
                else {
                    continue;
                };
                if let Some(tri) = Tri::new([a, b, c], pixels_per_point, scissor, texture) {
                    tris.push(tri);
                }
            }
        }
        pixels
            .par_chunks_mut(width * BAND_ROWS)
            .enumerate()
            .for_each(|(band, rows)| {
                let y0 = band * BAND_ROWS;
                let y1 = y0 + rows.len() / width;
                for tri in &tris {
                    tri.draw(rows, width, y0, y1);
                }
            });
        ColorImage::new(size_px, pixels)
    }
}

/// A pixel rectangle, `x0..x1` × `y0..y1`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct PixelRect {
    x0: usize,
    y0: usize,
    x1: usize,
    y1: usize,
}

/// The clip rect in physical pixels, rounded and clamped as egui-wgpu
/// rounds its scissor rect.
fn scissor(clip: Rect, pixels_per_point: f32, [width, height]: [usize; 2]) -> PixelRect {
    // `max` of NaN is the other operand, so NaN clips to 0 as `as u32` does.
    let px =
        |v: f32, limit: usize| (v * pixels_per_point).round().max(0.0).min(limit as f32) as usize;
    let x0 = px(clip.min.x, width);
    let y0 = px(clip.min.y, height);
    PixelRect {
        x0,
        y0,
        x1: px(clip.max.x, width).max(x0),
        y1: px(clip.max.y, height).max(y0),
    }
}

/// An edge function `E(X, Y) = a·X + b·Y + c` in fixed-point pixel
/// coordinates, positive inside; `c` includes the fill-rule bias, so a
/// pixel centre is covered when `E ≥ 0` for all three edges.
#[derive(Clone, Copy, Debug)]
struct Edge {
    a: i128,
    b: i128,
    c: i128,
}

impl Edge {
    /// The edge from `p` to `q` of a triangle wound so that its area is
    /// positive.
    fn new(p: [i64; 2], q: [i64; 2]) -> Self {
        let dx = i128::from(q[0] - p[0]);
        let dy = i128::from(q[1] - p[1]);
        // Top-left rule (y down): with this winding a top edge runs to +x
        // and a left edge runs to -y. A shared edge runs the other way in
        // the neighbouring triangle, so exactly one of the two owns it.
        let top_left = dy < 0 || (dy == 0 && dx > 0);
        let c = dy * i128::from(p[0]) - dx * i128::from(p[1]);
        Self {
            a: -dy,
            b: dx,
            c: if top_left { c } else { c - 1 },
        }
    }

    /// The covered `k` of pixels `x0 + k`, `k` in `0..n`, on the row whose
    /// centre is at fixed-point `y`: a range `lo..hi`.
    fn span(&self, x0: usize, y: i128, n: i64) -> (i64, i64) {
        let sub = i128::from(SUBPIXEL);
        let e = self.a * (x0 as i128 * sub + sub / 2) + self.b * y + self.c;
        let step = self.a * sub;
        let clamp = |k: i128| k.clamp(0, i128::from(n)) as i64;
        if e >= 0 {
            if step >= 0 {
                (0, n)
            } else {
                // e + step·k ≥ 0  ⇔  k ≤ e / −step
                (0, clamp(e / -step + 1))
            }
        } else if step > 0 {
            // k ≥ ⌈−e / step⌉
            (clamp((-e + step - 1) / step), n)
        } else {
            (0, 0)
        }
    }
}

/// An attribute's plane over the triangle, in pixels: value `f0` at `p0`.
#[derive(Clone, Copy, Debug)]
struct Plane {
    f0: f64,
    dx: f64,
    dy: f64,
}

impl Plane {
    /// The plane through `f` at the three positions `p`.
    fn new(p: [[f64; 2]; 3], f: [f64; 3]) -> Self {
        let (e1x, e1y) = (p[1][0] - p[0][0], p[1][1] - p[0][1]);
        let (e2x, e2y) = (p[2][0] - p[0][0], p[2][1] - p[0][1]);
        let det = e1x * e2y - e1y * e2x;
        let (d1, d2) = (f[1] - f[0], f[2] - f[0]);
        Self {
            f0: f[0],
            dx: (d1 * e2y - d2 * e1y) / det,
            dy: (d2 * e1x - d1 * e2x) / det,
        }
    }

    /// The value at pixel centre (`x` + ½, `y` + ½), `p0` being the first
    /// vertex.
    fn at(&self, p0: [f64; 2], x: usize, y: usize) -> f32 {
        (self.f0 + self.dx * (x as f64 + 0.5 - p0[0]) + self.dy * (y as f64 + 0.5 - p0[1])) as f32
    }
}

/// How a triangle's source colour varies over it.
#[derive(Clone, Copy, Debug)]
enum Shade {
    /// One premultiplied colour (0–255) everywhere.
    Flat([f32; 4]),
    /// The colour varies; one texel (0–1) for all of it.
    Colour([Plane; 4], [f32; 4]),
    /// The texture coordinates (in texels) vary; the colour too unless
    /// `None`, the constant colour then being the second field.
    Textured {
        colour: Option<[Plane; 4]>,
        flat: [f32; 4],
        uv: [Plane; 2],
        filter: TextureFilter,
    },
}

/// A triangle set up for drawing.
struct Tri<'a> {
    /// Its pixel bounding box, cut to the clip rect and the image.
    rect: PixelRect,
    edges: [Edge; 3],
    /// The first vertex, in (snapped) pixels: the planes' origin.
    p0: [f64; 2],
    shade: Shade,
    texture: &'a Texture,
}

impl<'a> Tri<'a> {
    /// Sets up a triangle, or `None` if it covers no pixel centre for sure
    /// (zero area, outside the clip rect, not finite).
    fn new(
        v: [&Vertex; 3],
        pixels_per_point: f32,
        clip: PixelRect,
        texture: &'a Texture,
    ) -> Option<Self> {
        let mut fixed = [[0_i64; 2]; 3];
        for (f, vertex) in fixed.iter_mut().zip(v) {
            for (c, coord) in f.iter_mut().zip([vertex.pos.x, vertex.pos.y]) {
                let scaled = f64::from(coord) * f64::from(pixels_per_point) * SUBPIXEL as f64;
                if !scaled.is_finite() {
                    return None;
                }
                *c = scaled.round().clamp(-MAX_FIXED, MAX_FIXED) as i64;
            }
        }
        let mut v = v;
        let cross = |f: &[[i64; 2]; 3]| {
            i128::from(f[1][0] - f[0][0]) * i128::from(f[2][1] - f[0][1])
                - i128::from(f[1][1] - f[0][1]) * i128::from(f[2][0] - f[0][0])
        };
        let area = cross(&fixed);
        if area == 0 {
            return None;
        }
        if area < 0 {
            fixed.swap(1, 2);
            v.swap(1, 2);
        }

        let min = |i: usize| fixed.iter().map(|f| f[i]).min().unwrap_or(0);
        let max = |i: usize| fixed.iter().map(|f| f[i]).max().unwrap_or(0);
        // Pixel x is covered only if x + ½ lies in the triangle's range,
        // so x ∈ ⌊min⌋ ..= ⌊max⌋ is a safe superset.
        let lo = |f: i64, limit: usize| f.div_euclid(SUBPIXEL).clamp(0, limit as i64) as usize;
        let hi =
            |f: i64, limit: usize| (f.div_euclid(SUBPIXEL) + 1).clamp(0, limit as i64) as usize;
        let rect = PixelRect {
            x0: lo(min(0), clip.x1).max(clip.x0),
            y0: lo(min(1), clip.y1).max(clip.y0),
            x1: hi(max(0), clip.x1),
            y1: hi(max(1), clip.y1),
        };
        if rect.x0 >= rect.x1 || rect.y0 >= rect.y1 {
            return None;
        }

        let edges = [
            Edge::new(fixed[0], fixed[1]),
            Edge::new(fixed[1], fixed[2]),
            Edge::new(fixed[2], fixed[0]),
        ];
        let p = fixed.map(|f| f.map(|c| c as f64 / SUBPIXEL as f64));
        let [tw, th] = texture.size.map(|s| s as f64);
        let plane = |f: &dyn Fn(&Vertex) -> f64| Plane::new(p, v.map(f));

        let flat_colour = v[0].color == v[1].color && v[0].color == v[2].color;
        let colour = if flat_colour {
            None
        } else {
            Some([0, 1, 2, 3].map(|i| plane(&|vx: &Vertex| f64::from(vx.color[i]))))
        };
        let flat = v[0].color.to_array().map(f32::from);
        let shade = if v[0].uv == v[1].uv && v[0].uv == v[2].uv {
            // Untextured shapes use the font atlas's white texel: one sample.
            let texel = texture.sample(
                texture.options.magnification,
                v[0].uv.x * tw as f32,
                v[0].uv.y * th as f32,
            );
            let texel = texel.map(|t| t / 255.0);
            match colour {
                None => Shade::Flat([0, 1, 2, 3].map(|i| flat[i] * texel[i])),
                Some(planes) => Shade::Colour(planes, texel),
            }
        } else {
            let uv = [
                plane(&|vx: &Vertex| f64::from(vx.uv.x) * tw),
                plane(&|vx: &Vertex| f64::from(vx.uv.y) * th),
            ];
            // Texels per pixel, as the GPU picks between its filters:
            // minification when a pixel spans more than one texel.
            let rho2 =
                (uv[0].dx.powi(2) + uv[1].dx.powi(2)).max(uv[0].dy.powi(2) + uv[1].dy.powi(2));
            let filter = if rho2 > 1.0 {
                texture.options.minification
            } else {
                texture.options.magnification
            };
            Shade::Textured {
                colour,
                flat,
                uv,
                filter,
            }
        };
        Some(Self {
            rect,
            edges,
            p0: p[0],
            shade,
            texture,
        })
    }

    /// Draws the rows `y0..y1` of the triangle into `rows` (the image's
    /// rows `y0..y1`, `width` pixels each).
    fn draw(&self, rows: &mut [Color32], width: usize, y0: usize, y1: usize) {
        let r = self.rect;
        let n = (r.x1 - r.x0) as i64;
        let sub = i128::from(SUBPIXEL);
        for y in r.y0.max(y0)..r.y1.min(y1) {
            let fy = y as i128 * sub + sub / 2;
            let (mut lo, mut hi) = (0, n);
            for edge in &self.edges {
                let (l, h) = edge.span(r.x0, fy, n);
                lo = lo.max(l);
                hi = hi.min(h);
            }
            if lo >= hi {
                continue;
            }
            let start = (y - y0) * width + r.x0;
            let row = &mut rows[start + lo as usize..start + hi as usize];
            self.shade_row(row, r.x0 + lo as usize, y);
        }
    }

    /// Blends the triangle's colour into `row`, the pixels from `x` on at
    /// row `y`.
    fn shade_row(&self, row: &mut [Color32], x: usize, y: usize) {
        // Each plane's value at the row's first pixel, and its step per pixel.
        let start = |plane: &Plane| (plane.at(self.p0, x, y), plane.dx as f32);
        let colour_at = |planes: &[(f32, f32); 4], k: f32| {
            planes.map(|(base, step)| (base + step * k).clamp(0.0, 255.0))
        };
        match &self.shade {
            Shade::Flat(src) => {
                for dst in row {
                    blend(dst, *src);
                }
            }
            Shade::Colour(planes, texel) => {
                let colour = planes.map(|p| start(&p));
                for (k, dst) in row.iter_mut().enumerate() {
                    let col = colour_at(&colour, k as f32);
                    blend(dst, [0, 1, 2, 3].map(|i| col[i] * texel[i]));
                }
            }
            Shade::Textured {
                colour,
                flat,
                uv,
                filter,
            } => {
                let colour = colour.map(|planes| planes.map(|p| start(&p)));
                let [(u0, du), (v0, dv)] = uv.map(|p| start(&p));
                for (k, dst) in row.iter_mut().enumerate() {
                    let kf = k as f32;
                    let col = colour
                        .as_ref()
                        .map_or(*flat, |planes| colour_at(planes, kf));
                    let texel = self.texture.sample(*filter, u0 + du * kf, v0 + dv * kf);
                    blend(dst, [0, 1, 2, 3].map(|i| col[i] * texel[i] / 255.0));
                }
            }
        }
    }
}

impl Texture {
    /// The texel at `(x, y)` after the wrap mode, as 0–255 floats.
    fn texel(&self, x: i64, y: i64) -> [f32; 4] {
        let [w, h] = self.size;
        let mode = self.options.wrap_mode;
        let (x, y) = (wrap(x, w, mode), wrap(y, h, mode));
        self.pixels
            .get(y * w + x)
            .map_or([0.0; 4], |t| t.to_array().map(f32::from))
    }

    /// The texture at `(u, v)` in texels (0 at the left edge), filtered,
    /// as 0–255 floats.
    fn sample(&self, filter: TextureFilter, u: f32, v: f32) -> [f32; 4] {
        if self.pixels.is_empty() {
            return [0.0; 4];
        }
        match filter {
            TextureFilter::Nearest => self.texel(u.floor() as i64, v.floor() as i64),
            TextureFilter::Linear => {
                let (u, v) = (u - 0.5, v - 0.5);
                let (fu, fv) = (u.floor(), v.floor());
                let (tu, tv) = (u - fu, v - fv);
                let (x, y) = (fu as i64, fv as i64);
                let t00 = self.texel(x, y);
                let t10 = self.texel(x + 1, y);
                let t01 = self.texel(x, y + 1);
                let t11 = self.texel(x + 1, y + 1);
                [0, 1, 2, 3].map(|i| {
                    let top = t00[i] + (t10[i] - t00[i]) * tu;
                    let bottom = t01[i] + (t11[i] - t01[i]) * tu;
                    top + (bottom - top) * tv
                })
            }
        }
    }
}

/// A texel index wrapped into `0..n` (`n` > 0) as `mode` says.
fn wrap(i: i64, n: usize, mode: TextureWrapMode) -> usize {
    let n = n as i64;
    let i = match mode {
        TextureWrapMode::ClampToEdge => i.clamp(0, n - 1),
        TextureWrapMode::Repeat => i.rem_euclid(n),
        TextureWrapMode::MirroredRepeat => {
            let phase = i.rem_euclid(2 * n);
            phase.min(2 * n - 1 - phase)
        }
    };
    i as usize
}

/// Premultiplied "over" in gamma space, as egui-wgpu's blend state
/// (colour: `One, OneMinusSrcAlpha`; alpha: `OneMinusDstAlpha, One`),
/// rounded to the nearest `u8`. `src` is 0–255.
#[inline]
fn blend(dst: &mut Color32, src: [f32; 4]) {
    // Fully transparent, not additive: nothing to do.
    if src.iter().all(|&c| c <= 0.0) {
        return;
    }
    let d = dst.to_array().map(f32::from);
    let keep = 1.0 - src[3] / 255.0;
    let round = |x: f32| (x + 0.5) as u8;
    *dst = Color32::from_rgba_premultiplied(
        round(src[0] + d[0] * keep),
        round(src[1] + d[1] * keep),
        round(src[2] + d[2] * keep),
        round(src[3] * (1.0 - d[3] / 255.0) + d[3]),
    );
}

#[cfg(test)]
mod tests {
    use egui::epaint::{Mesh, TextureId, pos2};
    use egui::{Context, RawInput, ViewportId, ViewportInfo, vec2};

    use super::*;

    /// A renderer with a 1×1 white "font atlas" as `TextureId::default()`.
    fn white_renderer() -> SoftRenderer {
        let mut delta = TexturesDelta::default();
        delta.set.insert(
            TextureId::default(),
            [ImageDelta::full(
                ColorImage::filled([1, 1], Color32::WHITE),
                TextureOptions::LINEAR,
            )]
            .into(),
        );
        let mut r = SoftRenderer::new();
        r.update_textures(&delta);
        delta.clear();
        r
    }

    fn prim(mesh: Mesh, clip: Rect) -> ClippedPrimitive {
        ClippedPrimitive {
            clip_rect: clip,
            primitive: Primitive::Mesh(mesh),
        }
    }

    fn everywhere() -> Rect {
        Rect::EVERYTHING
    }

    #[test]
    fn rect_fills_exactly_its_pixels_without_seam() {
        let r = white_renderer();
        let red = Color32::from_rgba_premultiplied(200, 0, 0, 255);
        // A rect at fractional-free pixel edges, 2 triangles, and a
        // half-transparent one, where a double-blended diagonal would show.
        let half = Color32::from_rgba_premultiplied(0, 0, 100, 128);
        let mut mesh = Mesh::default();
        mesh.add_colored_rect(Rect::from_min_max(pos2(2.0, 3.0), pos2(12.0, 9.0)), red);
        let mut translucent = Mesh::default();
        translucent.add_colored_rect(Rect::from_min_max(pos2(15.0, 1.0), pos2(29.0, 19.0)), half);
        // Also the other winding.
        let mut flipped = Mesh::default();
        flipped.add_colored_rect(Rect::from_min_max(pos2(2.0, 12.0), pos2(12.0, 18.0)), red);
        for tri in flipped.indices.chunks_exact_mut(3) {
            tri.swap(1, 2);
        }
        let img = r.render(
            &[
                prim(mesh, everywhere()),
                prim(translucent, everywhere()),
                prim(flipped, everywhere()),
            ],
            [32, 20],
            1.0,
            Color32::WHITE,
        );
        // 100 + 255·(1 − 128/255) = 227
        let blended = Color32::from_rgba_premultiplied(127, 127, 227, 255);
        for y in 0..20 {
            for x in 0..32 {
                let inside_red = ((2..12).contains(&x) && (3..9).contains(&y))
                    || ((2..12).contains(&x) && (12..18).contains(&y));
                let inside_half = (15..29).contains(&x) && (1..19).contains(&y);
                let want = if inside_red {
                    red
                } else if inside_half {
                    blended
                } else {
                    Color32::WHITE
                };
                assert_eq!(img[(x, y)], want, "pixel ({x}, {y})");
            }
        }
    }

    #[test]
    fn half_transparent_triangle_blends_over_background() {
        let r = white_renderer();
        let src = Color32::from_rgba_premultiplied(64, 0, 0, 128);
        let mut mesh = Mesh::default();
        mesh.colored_vertex(pos2(0.0, 0.0), src);
        mesh.colored_vertex(pos2(10.0, 0.0), src);
        mesh.colored_vertex(pos2(0.0, 10.0), src);
        mesh.add_triangle(0, 1, 2);
        let bg = Color32::from_rgb(100, 200, 255);
        let img = r.render(&[prim(mesh, everywhere())], [10, 10], 1.0, bg);
        // dst = src + dst·(1 − 128/255), rounded
        let keep = 1.0 - 128.0 / 255.0;
        let want = Color32::from_rgba_premultiplied(
            (64.0 + 100.0 * keep + 0.5) as u8,
            (200.0 * keep + 0.5) as u8,
            (255.0 * keep + 0.5) as u8,
            255,
        );
        assert_eq!(want, Color32::from_rgba_premultiplied(114, 100, 127, 255));
        assert_eq!(img[(1, 1)], want);
        assert_eq!(img[(5, 3)], want);
        // The hypotenuse runs through (5, 5); (4.5, 4.5) is on it.
        assert_eq!(img[(6, 6)], bg);
        assert_eq!(img[(9, 9)], bg);
    }

    #[test]
    fn clip_rect_cuts_shape() {
        let r = white_renderer();
        let mut mesh = Mesh::default();
        mesh.add_colored_rect(
            Rect::from_min_max(pos2(0.0, 0.0), pos2(20.0, 20.0)),
            Color32::BLACK,
        );
        // At 2 pixels per point: clip (2.2, 3.3)–(6.1, 20) points is
        // (4.4, 6.6)–(12.2, 40) pixels, rounded (4, 7)–(12, 40).
        let clip = Rect::from_min_max(pos2(2.2, 3.3), pos2(6.1, 20.0));
        let img = r.render(&[prim(mesh, clip)], [40, 40], 2.0, Color32::WHITE);
        for y in 0..40 {
            for x in 0..40 {
                let inside = (4..12).contains(&x) && (7..40).contains(&y);
                let want = if inside {
                    Color32::BLACK
                } else {
                    Color32::WHITE
                };
                assert_eq!(img[(x, y)], want, "pixel ({x}, {y})");
            }
        }
    }

    #[test]
    fn interpolates_colour_and_samples_texture() {
        let mut r = white_renderer();
        // A 2×1 texture, black | white, nearest and linear.
        let image = ColorImage::new([2, 1], vec![Color32::BLACK, Color32::WHITE]);
        let nearest = TextureId::User(1);
        let linear = TextureId::User(2);
        let mut delta = TexturesDelta::default();
        delta.set.insert(
            nearest,
            [ImageDelta::full(image.clone(), TextureOptions::NEAREST)].into(),
        );
        delta.set.insert(
            linear,
            [ImageDelta::full(image, TextureOptions::LINEAR)].into(),
        );
        r.update_textures(&delta);
        delta.clear();
        let quad = |id| {
            let mut mesh = Mesh::with_texture(id);
            mesh.add_rect_with_uv(
                Rect::from_min_max(pos2(0.0, 0.0), pos2(8.0, 1.0)),
                Rect::from_min_max(pos2(0.0, 0.0), pos2(1.0, 1.0)),
                Color32::WHITE,
            );
            prim(mesh, everywhere())
        };
        let img = r.render(&[quad(nearest)], [8, 1], 1.0, Color32::RED);
        let grey: Vec<u8> = (0..8).map(|x| img[(x, 0)].r()).collect();
        assert_eq!(grey, [0, 0, 0, 0, 255, 255, 255, 255]);
        let img = r.render(&[quad(linear)], [8, 1], 1.0, Color32::RED);
        let grey: Vec<u8> = (0..8).map(|x| img[(x, 0)].r()).collect();
        // u·2 − ½ at pixel centres: −0.375, −0.125, 0.125 … 1.375, clamped.
        assert_eq!(grey, [0, 0, 32, 96, 159, 223, 255, 255]);

        // A horizontal colour ramp, black to white over 0..=10 pixels.
        let mut mesh = Mesh::default();
        for (x, c) in [(0.0, Color32::BLACK), (10.0, Color32::WHITE)] {
            mesh.colored_vertex(pos2(x, 0.0), c);
            mesh.colored_vertex(pos2(x, 1.0), c);
        }
        mesh.add_triangle(0, 2, 1);
        mesh.add_triangle(1, 2, 3);
        let img = r.render(&[prim(mesh, everywhere())], [10, 1], 1.0, Color32::RED);
        let ramp: Vec<u8> = (0..10).map(|x| img[(x, 0)].g()).collect();
        assert_eq!(ramp, [13, 38, 64, 89, 115, 140, 166, 191, 217, 242]);
    }

    #[test]
    fn partial_updates_and_deferred_frees() {
        let mut r = SoftRenderer::new();
        let id = TextureId::Managed(7);
        let mut delta = TexturesDelta::default();
        delta.set.insert(
            id,
            [ImageDelta::full(
                ColorImage::filled([4, 4], Color32::BLACK),
                TextureOptions::NEAREST,
            )]
            .into(),
        );
        r.update_textures(&delta);
        delta.clear();
        let mut delta = TexturesDelta::default();
        delta.set.insert(
            id,
            [ImageDelta::partial(
                [2, 1],
                ColorImage::filled([3, 2], Color32::WHITE),
                TextureOptions::NEAREST,
            )]
            .into(),
        );
        delta.free.insert(id);
        r.update_textures(&delta);
        delta.clear();
        let tex = r
            .textures
            .get(&id)
            .map(|t| t.pixels.clone())
            .unwrap_or_default();
        let white: Vec<bool> = tex.iter().map(|&c| c == Color32::WHITE).collect();
        let want = [
            false, false, false, false, //
            false, false, true, true, //
            false, false, true, true, //
            false, false, false, false,
        ];
        assert_eq!(white, want);
        // Freed only at the next update, after the frame was painted.
        r.update_textures(&TexturesDelta::default());
        assert!(r.textures.is_empty());
    }

    fn input(size: egui::Vec2, pixels_per_point: f32) -> RawInput {
        let mut input = RawInput {
            screen_rect: Some(Rect::from_min_size(pos2(0.0, 0.0), size)),
            ..Default::default()
        };
        input.viewports.insert(
            ViewportId::ROOT,
            ViewportInfo {
                native_pixels_per_point: Some(pixels_per_point),
                ..Default::default()
            },
        );
        input
    }

    #[test]
    fn renders_an_egui_label() {
        let ctx = Context::default();
        ctx.set_visuals(egui::Visuals::light());
        let mut renderer = SoftRenderer::new();
        let mut label_rect = Rect::NOTHING;
        let mut primitives = Vec::new();
        let mut ppp = 1.0;
        for _ in 0..2 {
            let mut output = ctx.run_ui(input(vec2(200.0, 60.0), 1.0), |ui| {
                label_rect = ui.label("Tirana").rect;
            });
            renderer.update_textures(&output.textures_delta);
            output.textures_delta.clear();
            ppp = output.pixels_per_point;
            primitives = ctx.tessellate(output.shapes, ppp);
        }
        assert!((ppp - 1.0).abs() < f32::EPSILON);
        assert!(
            renderer.textures.contains_key(&TextureId::default()),
            "no font atlas"
        );
        let img = renderer.render(&primitives, [200, 60], ppp, Color32::WHITE);
        assert!(
            label_rect.width() > 10.0 && label_rect.height() > 5.0,
            "{label_rect:?}"
        );
        let mut dark_inside = 0;
        let mut drawn_far = Vec::new();
        let near = label_rect.expand(2.0);
        for y in 0..60 {
            for x in 0..200 {
                let c = img[(x, y)];
                assert_eq!(c.a(), 255);
                let p = pos2(x as f32 + 0.5, y as f32 + 0.5);
                if label_rect.contains(p) && c.r() < 128 && c.g() < 128 && c.b() < 128 {
                    dark_inside += 1;
                }
                if !near.contains(p) && c != Color32::WHITE {
                    drawn_far.push((x, y, c));
                }
            }
        }
        assert!(
            dark_inside >= 20,
            "only {dark_inside} dark pixels in {label_rect:?}"
        );
        assert!(
            drawn_far.is_empty(),
            "drawn away from the label: {:?}",
            &drawn_far[..drawn_far.len().min(10)]
        );
    }

    /// A full-size frame of the real UI (the embedded dataset) at 2800×1800,
    /// timed. `cargo test --release --lib app::raster::tests::full_frame_timing -- --ignored --nocapture`
    #[test]
    #[ignore = "timing; run in release"]
    #[allow(clippy::print_stdout)]
    fn full_frame_timing() {
        let Ok(mut app) = crate::app::App::embedded() else {
            return;
        };
        let ctx = Context::default();
        let mut renderer = SoftRenderer::new();
        let mut primitives = Vec::new();
        for frame in 0..5 {
            let mut raw = input(vec2(1400.0, 900.0), 2.0);
            raw.time = Some(f64::from(frame) / 60.0);
            let mut output = ctx.run_ui(raw, |ui| app.show(ui));
            renderer.update_textures(&output.textures_delta);
            output.textures_delta.clear();
            primitives = ctx.tessellate(output.shapes, output.pixels_per_point);
        }
        let triangles: usize = primitives
            .iter()
            .map(|p| match &p.primitive {
                Primitive::Mesh(m) => m.indices.len() / 3,
                Primitive::Callback(_) => 0,
            })
            .sum();
        let mut best = f64::INFINITY;
        let mut img = ColorImage::default();
        for _ in 0..5 {
            let begin = std::time::Instant::now();
            img = renderer.render(&primitives, [2800, 1800], 2.0, Color32::WHITE);
            best = best.min(begin.elapsed().as_secs_f64());
        }
        let changed = img.pixels.iter().filter(|&&c| c != Color32::WHITE).count();
        println!(
            "2800×1800: {} primitives, {triangles} triangles, {changed} pixels drawn, best of 5 {:.1} ms on {} threads",
            primitives.len(),
            best * 1000.0,
            rayon::current_num_threads()
        );
        if let Ok(dir) = std::env::var("RASTER_PNG_DIR") {
            let bytes: Vec<u8> = img.pixels.iter().flat_map(Color32::to_array).collect();
            let _ = image::save_buffer(
                std::path::Path::new(&dir).join("raster-full-frame.png"),
                &bytes,
                2800,
                1800,
                image::ExtendedColorType::Rgba8,
            );
        }
    }
}
