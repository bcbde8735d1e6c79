//! The rasterizer held to what it must draw: coverage, blending, clipping,
//! textures, and a whole frame of the app.

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
