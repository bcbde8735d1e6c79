//! The app's life across datasets: finishing loads, reloading on change
//! while keeping the view, remembering the view between runs, and writing
//! exports and the PNG.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

use super::files::{JobKind, Watch};
use super::settings::{FilterSettings, ViewSettings};
use super::{App, GuiError, Notice};
use crate::io::DatasetErrors;
use crate::io::export::{self, ExportFormat};
use crate::io::import::Opened;
use crate::io::story::Story;
use crate::model::{Category, Dataset, Day, PlaceKind, TimeWindow, WindowRule};
use crate::state::{
    Action, AppState, Clock, Dialog, ExportChoice, Filter, LaneMode, MapCamera, SavedView,
};
use crate::timeline::TimelineState;

/// Settings are written at most this often while the view changes.
const SAVE_EVERY: Duration = Duration::from_secs(2);

/// A PNG export waiting for the screenshot of the next frame.
#[derive(Debug)]
pub struct PngJob {
    path: PathBuf,
    rx: Receiver<Arc<egui::ColorImage>>,
}

impl App {
    /// Per frame: finish a load, notice changes on disk, take dropped files,
    /// write a pending PNG, remember the view.
    pub(super) fn poll_io(&mut self, ctx: &egui::Context) {
        if !self.theme_applied {
            self.theme_applied = true;
            let pref = match self.settings.theme.as_deref() {
                Some("dark") => Some(egui::ThemePreference::Dark),
                Some("light") => Some(egui::ThemePreference::Light),
                Some("system") => Some(egui::ThemePreference::System),
                _ => None,
            };
            if let Some(p) = pref {
                ctx.set_theme(p);
            }
        }
        if let Some(job) = &self.job {
            if let Some(result) = job.poll() {
                let (path, kind) = (job.path.clone(), job.kind);
                self.job = None;
                self.finish_load(result, &path, kind);
            } else {
                ctx.request_repaint_after(Duration::from_millis(100));
            }
        }
        // Watch the open dataset; (re)start the watcher when it changed.
        if self.watch.as_ref().map(|w| w.path.as_path()) != self.origin.as_deref() {
            self.watch = None;
            if let Some(origin) = &self.origin {
                match Watch::new(origin, &self.origin_files, Some(ctx.clone())) {
                    Ok(w) => self.watch = Some(w),
                    Err(e) => self.notice = Some(e.into()),
                }
            }
        }
        if let Some(w) = &mut self.watch {
            if w.settled_change() && self.job.is_none() {
                let path = w.path.clone();
                if self.authoring.as_ref().is_some_and(|a| a.dirty) {
                    // The files changed under unsaved edits: the edits stay
                    // on screen, and the user is told.
                    self.notice = Some(Notice::ChangedUnderEdits(path));
                } else {
                    self.start_job(path, JobKind::Reload, Some(ctx.clone()));
                }
            } else if w.pending() {
                ctx.request_repaint_after(super::files::SETTLE);
            }
        }
        let dropped: Vec<PathBuf> = ctx.input(|i| {
            i.raw
                .dropped_files
                .iter()
                .map(|f| f.path().to_path_buf())
                .filter(|p| !p.as_os_str().is_empty())
                .collect()
        });
        if let Some(path) = dropped.into_iter().next() {
            self.start_job(path, JobKind::Open, Some(ctx.clone()));
        }
        if let Some(png) = &self.png
            && let Ok(image) = png.rx.try_recv()
        {
            let path = png.path.clone();
            self.png = None;
            let rect = match (self.map_rect, self.timeline_rect) {
                (Some(a), Some(b)) => Some(a.union(b)),
                (a, b) => a.or(b),
            };
            let outcome = write_png(&image, rect, ctx.pixels_per_point(), &path);
            // The Export window comes back with the outcome.
            self.apply(Action::OpenDialog(Dialog::Export(ExportChoice::Png)));
            self.dialog_shown = self.state.dialog;
            self.export_dialog.message = Some(outcome);
            self.export_dialog.open = true;
        }
        // The title comes from the file: escaped before it reaches the window manager.
        let unsaved = if self.authoring.as_ref().is_some_and(|a| a.dirty) {
            " • unsaved changes"
        } else {
            ""
        };
        let title = format!(
            "mapline — {}{unsaved}",
            crate::io::escape::escaped(&self.ds.title)
        );
        if self.window_title != title {
            ctx.send_viewport_cmd(egui::ViewportCommand::Title(title.clone()));
            self.window_title = title;
        }
        self.save_settings(false);
    }

    /// A load ended: show the new data, or keep the old and list the errors.
    fn finish_load(&mut self, result: Result<Opened, DatasetErrors>, path: &Path, kind: JobKind) {
        match result {
            Ok(opened) => {
                self.load_errors = None;
                if kind == JobKind::Reload
                    && let Some(a) = &self.authoring
                    && a.folder == path
                    && !a.dirty
                    && Story::open(path)
                        .ok()
                        .is_none_or(|disk| disk.files().ok() != a.story.files().ok())
                {
                    // Changed on disk by someone else, with nothing unsaved
                    // here: the story is the files' again.
                    match Story::open(path) {
                        Ok(story) => {
                            if let Some(a) = self.authoring.as_mut() {
                                a.story = story;
                                a.history = crate::io::story::History::default();
                            }
                        }
                        Err(_) => self.authoring = None,
                    }
                }
                self.settings.remember(path);
                let restore = (kind == JobKind::Open
                    && self.settings.last_dataset.as_deref() == Some(path))
                .then(|| self.settings.view.clone())
                .flatten();
                self.swap_dataset(opened, kind == JobKind::Reload);
                self.origin = Some(path.to_path_buf());
                if let Some(view) = restore {
                    self.restore_view(&view);
                }
                if let Some(id) = self.pending_select.take()
                    && let Err(e) = self.select_by_id(&id)
                {
                    self.notice = Some(e.into());
                }
                self.save_settings(true);
            }
            Err(errors) => {
                for d in &errors.0 {
                    eprintln!("{d}");
                }
                self.load_errors = Some((path.to_path_buf(), errors.0));
            }
        }
    }

    /// Replaces the dataset. On a reload the view survives: window, lanes,
    /// camera and strip as they were; the selection, filters and the open
    /// article where their items still exist.
    pub(super) fn swap_dataset(&mut self, opened: Opened, keep_view: bool) {
        let old = std::mem::replace(&mut self.ds, opened.loaded.dataset);
        if opened.files != self.origin_files {
            self.origin_files = opened.files;
            // Watch the files this version names (an article may have been added).
            self.watch = None;
        }
        self.warnings = opened.loaded.warnings;
        self.format = opened.format;
        self.search = super::search::SearchState::default();
        if keep_view {
            let filter = filter_from_settings(&self.ds, &filter_settings(&old, &self.state.filter));
            self.state.reload(&old, &self.ds, filter);
        } else {
            self.state = AppState::new(&self.ds);
            self.timeline = TimelineState::new();
        }
    }

    /// The view as remembered between runs.
    #[must_use]
    pub(super) fn view_settings(&self) -> ViewSettings {
        ViewSettings {
            camera: Some([
                self.state.camera.center.x,
                self.state.camera.center.y,
                self.state.camera.scale,
            ]),
            window: Some([self.state.window.start.0, self.state.window.end.0]),
            axis: Some([self.state.axis.start, self.state.axis.end]),
            rule: Some(
                match self.state.rule {
                    WindowRule::Overlaps => "overlaps",
                    WindowRule::Inside => "inside",
                }
                .to_owned(),
            ),
            lanes: Some(
                match self.state.lanes {
                    LaneMode::None => "none",
                    LaneMode::Source => "source",
                    LaneMode::Category => "category",
                }
                .to_owned(),
            ),
            clock: Some(
                match self.state.clock {
                    Clock::Happened => "happened",
                    Clock::Reported => "reported",
                }
                .to_owned(),
            ),
            strip_mode: self
                .state
                .strip_mode
                .map(|story| if story { "story" } else { "linear" }.to_owned()),
            filters: filter_settings(&self.ds, &self.state.filter),
        }
    }

    /// Restores a remembered view; values that make no sense are skipped.
    pub(super) fn restore_view(&mut self, v: &ViewSettings) {
        let camera = v.camera.and_then(|[x, y, scale]| {
            (x.is_finite() && y.is_finite() && scale.is_finite()).then_some(MapCamera {
                center: geo::Coord { x, y },
                scale,
            })
        });
        let view = SavedView {
            camera,
            window: v.window.map(|[a, b]| TimeWindow::new(Day(a), Day(b))),
            axis: v
                .axis
                .and_then(|[a, b]| (a.is_finite() && b.is_finite() && b > a).then_some((a, b))),
            rule: Some(match v.rule.as_deref() {
                Some("inside") => WindowRule::Inside,
                _ => WindowRule::Overlaps,
            }),
            lanes: Some(match v.lanes.as_deref() {
                Some("source") => LaneMode::Source,
                Some("category") => LaneMode::Category,
                _ => LaneMode::None,
            }),
            clock: Some(match v.clock.as_deref() {
                Some("reported") => Clock::Reported,
                _ => Clock::Happened,
            }),
            strip_mode: Some(match v.strip_mode.as_deref() {
                Some("story") => Some(true),
                Some("linear") => Some(false),
                _ => None,
            }),
            filter: Some(filter_from_settings(&self.ds, &v.filters)),
        };
        self.apply(Action::Restore(Box::new(view)));
    }

    /// Writes the settings now (as on exit).
    pub fn save_now(&mut self) {
        self.save_settings(true);
    }

    /// Writes the settings if they changed (throttled unless `now`).
    pub(super) fn save_settings(&mut self, now: bool) {
        if self.store.is_none() {
            return;
        }
        if !now && self.last_save.is_some_and(|t| t.elapsed() < SAVE_EVERY) {
            return;
        }
        self.last_save = Some(Instant::now());
        self.settings.last_dataset.clone_from(&self.origin);
        self.settings.view = Some(self.view_settings());
        if let Some(store) = &mut self.store
            && let Err(e) = store.save(&self.settings)
        {
            self.notice = Some(Notice::Problem(GuiError::SaveSettings {
                path: store.path().to_path_buf(),
                source: e,
            }));
        }
    }

    /// Writes the current view (window + filters) to `path`.
    pub(super) fn export_view(&mut self, choice: ExportChoice, path: PathBuf, ctx: &egui::Context) {
        match choice {
            ExportChoice::Data(format) => {
                let options = export::ExportOptions {
                    csv: self.export_dialog.csv,
                };
                if format == ExportFormat::Csv && self.settings.csv_excel != options.csv.excel {
                    self.settings.csv_excel = options.csv.excel;
                    self.save_settings(true);
                }
                let outcome = export_data(
                    &self.ds,
                    &self.state.derived.events,
                    (format, options),
                    &path,
                );
                self.export_dialog.message = Some(outcome);
            }
            ExportChoice::Briefing => {
                let screen = ctx.content_rect().size();
                let outcome = self.write_briefing(&path, screen);
                self.export_dialog.message = Some(outcome);
            }
            ExportChoice::Png => {
                let (tx, rx) = channel();
                let repaint = ctx.clone();
                ctx.request_screenshot(move |image| {
                    let _ = tx.send(image);
                    repaint.request_repaint();
                });
                // The window closes so that the picture shows only the map and timeline.
                self.apply(Action::CloseDialog);
                self.png = Some(PngJob { path, rx });
            }
        }
    }
}

fn export_data(
    ds: &Dataset,
    events: &[crate::model::EventIdx],
    (format, options): (ExportFormat, export::ExportOptions),
    path: &Path,
) -> Result<String, GuiError> {
    let view = export::View {
        dataset: ds,
        events,
    };
    export::export_with(&view, format, path, options)
        .map(|s| {
            format!(
                "Wrote {} event(s) and {} place(s) as {format} to {}",
                s.events,
                s.places,
                path.display()
            )
        })
        .map_err(|source| GuiError::Write {
            path: path.to_path_buf(),
            source,
        })
}

/// Crops the screenshot to `rect` (points) and writes it as PNG, atomically.
fn write_png(
    image: &egui::ColorImage,
    rect: Option<egui::Rect>,
    pixels_per_point: f32,
    path: &Path,
) -> Result<String, GuiError> {
    let (png, [cw, ch]) = crop_png(image, rect, pixels_per_point)?;
    crate::io::atomic::write_atomic(path, &png).map_err(|source| GuiError::Write {
        path: path.to_path_buf(),
        source,
    })?;
    Ok(format!(
        "Wrote a {cw}×{ch} PNG of the map and timeline to {}",
        path.display()
    ))
}

/// The part of `image` under `rect` (points; `None`: all of it) as PNG
/// bytes, with its size in pixels.
pub(super) fn crop_png(
    image: &egui::ColorImage,
    rect: Option<egui::Rect>,
    pixels_per_point: f32,
) -> Result<(Vec<u8>, [u32; 2]), GuiError> {
    let [w, h] = image.size;
    let (x0, y0, x1, y1) = match rect {
        Some(r) => (
            ((r.min.x * pixels_per_point).floor().max(0.0) as usize).min(w),
            ((r.min.y * pixels_per_point).floor().max(0.0) as usize).min(h),
            ((r.max.x * pixels_per_point).ceil().max(0.0) as usize).min(w),
            ((r.max.y * pixels_per_point).ceil().max(0.0) as usize).min(h),
        ),
        None => (0, 0, w, h),
    };
    if x1 <= x0 || y1 <= y0 {
        return Err(GuiError::NothingOnScreen);
    }
    let mut rgba = Vec::with_capacity((x1 - x0) * (y1 - y0) * 4);
    for y in y0..y1 {
        for px in &image.pixels[y * w + x0..y * w + x1] {
            rgba.extend_from_slice(&px.to_array());
        }
    }
    let (cw, ch) = ((x1 - x0) as u32, (y1 - y0) as u32);
    let mut png = Vec::new();
    image::ImageEncoder::write_image(
        image::codecs::png::PngEncoder::new(&mut png),
        &rgba,
        cw,
        ch,
        image::ExtendedColorType::Rgba8,
    )?;
    Ok((png, [cw, ch]))
}

/// Filters by id and word.
fn filter_settings(ds: &Dataset, f: &Filter) -> FilterSettings {
    FilterSettings {
        hidden_sources: f
            .hidden_sources
            .iter()
            .filter_map(|s| ds.sources.get(s.index()).map(|x| x.id.clone()))
            .collect(),
        hidden_perspectives: f.hidden_perspectives.iter().cloned().collect(),
        hidden_categories: f
            .hidden_categories
            .iter()
            .map(|c| c.as_str().to_owned())
            .collect(),
        hidden_actors: f
            .hidden_actors
            .iter()
            .filter_map(|a| ds.actors.get(a.index()).map(|x| x.id.clone()))
            .collect(),
        hidden_place_kinds: f
            .hidden_place_kinds
            .iter()
            .map(|k| k.as_str().to_owned())
            .collect(),
        single_outlet_only: f.single_outlet_only,
        single_perspective_only: f.single_perspective_only,
    }
}

/// Filters for `ds` from ids and words; unknown ones are dropped.
fn filter_from_settings(ds: &Dataset, f: &FilterSettings) -> Filter {
    Filter {
        hidden_sources: f
            .hidden_sources
            .iter()
            .filter_map(|id| {
                ds.sources
                    .iter()
                    .position(|s| &s.id == id)
                    .map(|i| crate::model::SourceIdx(i as u32))
            })
            .collect(),
        hidden_perspectives: f
            .hidden_perspectives
            .iter()
            .filter(|p| ds.sources.iter().any(|s| &s.perspective == *p))
            .cloned()
            .collect(),
        hidden_categories: f
            .hidden_categories
            .iter()
            .filter_map(|w| Category::ALL.iter().copied().find(|c| c.as_str() == w))
            .collect(),
        hidden_actors: f
            .hidden_actors
            .iter()
            .filter_map(|id| {
                ds.actors
                    .iter()
                    .position(|a| &a.id == id)
                    .map(|i| crate::model::ActorIdx(i as u32))
            })
            .collect(),
        hidden_place_kinds: f
            .hidden_place_kinds
            .iter()
            .filter_map(|w| PlaceKind::ALL.iter().copied().find(|k| k.as_str() == w))
            .collect(),
        single_outlet_only: f.single_outlet_only,
        single_perspective_only: f.single_perspective_only,
    }
}
