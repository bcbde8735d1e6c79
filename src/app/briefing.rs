//! The briefing of the view: what the screen shows (window, filters,
//! selection) as a document, with pictures of the map and the strip.
//!
//! The pictures are the app's own rendering: the same `App::show` drawn in
//! a headless egui context and rasterized on the CPU ([`super::raster`]), so
//! the GUI and `mapline brief` on a machine with no display or GPU make the
//! same pictures. In the GUI the view (state, camera, axis, strip height,
//! window size) is copied into the headless app, so the pictures show what
//! the user sees.

use std::path::Path;

use egui::{Pos2, RawInput, Rect, Vec2, ViewportId};

use super::App;
use super::raster::SoftRenderer;
use crate::io::brief::{self, Brief, Focus, Picture, Pictures, Provenance, Scope};
use crate::model::search::SearchTarget;
use crate::model::{Dataset, TimeWindow};
use crate::state::{Action, Clock, Selection};

/// The window size the command line draws its pictures at, in points.
pub const CLI_SIZE: Vec2 = Vec2::new(1200.0, 900.0);
/// Pixels per point of the pictures: sharp on paper and on dense screens.
const PIXELS_PER_POINT: f32 = 2.0;
/// Frames drawn before the picture: the first lays out fonts and fits the
/// camera, the strip grows once to give each mark a title row.
const FRAMES: usize = 8;

impl App {
    /// The briefing of the view as it is: window, rule, clock, filters and
    /// selection.
    #[must_use]
    pub fn briefing(&self) -> Brief {
        let ds = &self.ds;
        let filter = &self.state.filter;
        let admits = |e| filter.admits(ds, e);
        let scope = Scope {
            window: self.state.window,
            rule: self.state.rule,
            reported_clock: self.state.clock == Clock::Reported,
            focus: match self.state.selection {
                Selection::None => Focus::None,
                Selection::Place(p) => Focus::Place(p),
                Selection::Event(e) => Focus::Event(e),
            },
            filters: filter.chips(ds).into_iter().map(|(w, _)| w).collect(),
            admits: &admits,
        };
        let origin = match &self.origin {
            Some(p) => p.display().to_string(),
            None => "the embedded dataset".to_owned(),
        };
        Brief::new(ds, &scope, Provenance::now(origin))
    }

    /// Writes the briefing of the view to `path` (`.html` or `.md`), with
    /// pictures of the map and the strip as they are on screen.
    pub(super) fn write_briefing(
        &mut self,
        path: &Path,
        screen: Vec2,
    ) -> Result<String, super::GuiError> {
        let brief = self.briefing();
        let pictures = self.view_pictures(screen);
        let files = brief::write_files(&brief, &pictures, path).map_err(|source| {
            super::GuiError::Write {
                path: path.to_path_buf(),
                source,
            }
        })?;
        Ok(format!(
            "Wrote a briefing of {} to {}",
            brief.counts(),
            files
                .iter()
                .map(|f| f.display().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        ))
    }

    /// The map and the strip of this view, drawn headless at `screen`
    /// (points). The dataset is lent to the headless app and taken back.
    fn view_pictures(&mut self, screen: Vec2) -> Pictures {
        let ds = std::mem::replace(&mut self.ds, empty_dataset());
        let mut twin = App::new(crate::io::Loaded {
            dataset: ds,
            warnings: Vec::new(),
        });
        // The same view: window, filters, strip, panels; still, with no
        // dialog over it, and the camera kept as it is.
        twin.state = self.state.clone();
        if twin.state.playback.playing {
            twin.apply(Action::TogglePlay);
        }
        twin.apply(Action::CloseDialog);
        twin.apply(Action::RestoreCamera(self.state.camera));
        twin.settings.strip_height = Some(self.timeline.panel_height.max(super::STRIP_MIN_HEIGHT));
        twin.timeline.titles = self.timeline.titles;
        twin.timeline.show_legend = self.timeline.show_legend;
        let pictures = render(&mut twin, screen);
        self.ds = std::mem::replace(&mut twin.ds, empty_dataset());
        pictures
    }
}

/// The pictures `mapline brief` embeds: the story's window and focus drawn
/// at [`CLI_SIZE`] in a headless app.
#[must_use]
pub fn pictures_of(loaded: crate::io::Loaded, window: TimeWindow, focus: Focus) -> Pictures {
    let mut app = App::new(loaded);
    app.apply(Action::SetWindow(window));
    match focus {
        Focus::None => {}
        Focus::Place(p) => app.apply(Action::Reveal(SearchTarget::Place(p))),
        Focus::Event(e) => app.apply(Action::Reveal(SearchTarget::Event(e))),
    }
    render(&mut app, CLI_SIZE)
}

fn empty_dataset() -> Dataset {
    Dataset::new(
        String::new(),
        String::new(),
        Vec::new(),
        Vec::new(),
        Vec::new(),
        Vec::<crate::model::Event>::new(),
        Vec::new(),
    )
}

/// Draws `app` headless at `screen` points in the light theme and crops the
/// map and the strip out of the frame.
fn render(app: &mut App, screen: Vec2) -> Pictures {
    app.timeline.picture = true;
    app.map_cache.picture = true;
    let ctx = egui::Context::default();
    ctx.set_theme(egui::Theme::Light);
    ctx.all_styles_mut(|style| style.animation_time = 0.0);
    // The picture is of the view, not of the user's theme choice.
    app.theme_applied = true;
    let mut renderer = SoftRenderer::new();
    let mut last = None;
    for frame in 0..FRAMES {
        let mut input = RawInput {
            screen_rect: Some(Rect::from_min_size(Pos2::ZERO, screen)),
            time: Some(frame as f64 * 0.5),
            ..Default::default()
        };
        if let Some(v) = input.viewports.get_mut(&ViewportId::ROOT) {
            v.native_pixels_per_point = Some(PIXELS_PER_POINT);
        }
        let mut output = ctx.run_ui(input, |ui| app.show(ui));
        renderer.update_textures(&output.textures_delta);
        output.textures_delta.clear();
        last = Some(output);
    }
    let Some(output) = last else {
        return Pictures::default();
    };
    let ppp = output.pixels_per_point;
    let primitives = ctx.tessellate(output.shapes, ppp);
    let size = [
        (screen.x * ppp).round() as usize,
        (screen.y * ppp).round() as usize,
    ];
    let background = ctx.style_of(egui::Theme::Light).visuals.panel_fill;
    let image = renderer.render(&primitives, size, ppp, background);
    let crop = |rect: Option<Rect>| -> Option<Picture> {
        let rect = rect?;
        let (png, size) = super::view_state::crop_png(&image, Some(rect), ppp).ok()?;
        Some(Picture {
            png,
            size,
            display_size: [rect.width().round() as u32, rect.height().round() as u32],
        })
    };
    Pictures {
        map: crop(app.map_rect),
        strip: crop(app.timeline_rect),
    }
}
