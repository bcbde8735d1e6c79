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
mod tests;
