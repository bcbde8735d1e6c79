//! The explorer window: panels, wiring the widgets' actions to the state,
//! and the derived-view caches.
//!
//! [`App::show`] draws the whole UI into any `Ui`, so tests and the
//! benchmark run the real UI without eframe's window.

pub mod bench;
pub mod briefing;
pub mod dialogs;
mod facets;
pub mod files;
pub mod raster;
mod search;
pub mod settings;
mod view_state;

use std::path::{Path, PathBuf};
use std::time::Instant;

use egui::{CentralPanel, Frame, Key, Margin, Panel, RichText, Ui};

use crate::io::import::{Format, Opened};
use crate::io::{self, DatasetErrors, Diagnostic};
use crate::map::{MapCache, MapCamera, MapView, core_region, fit_places};
use crate::model::{Dataset, PlaceIdx};
use crate::model::{Day, EventIdx, FuzzyTime, TimeWindow};
use crate::reader::Reader;
use crate::state::{Action, AppState, ArticleView, Clock, Selection, WindowView};
use crate::timeline::{TimeStrip, TimelineState};
use dialogs::{ExportChoice, ExportDialog, OpenDialog};
use files::{JobKind, LoadJob, Watch};
use settings::{Settings, SettingsStore};

/// The explorer: one dataset, its view state and caches.
// Independent UI toggles, not a state machine.
#[allow(clippy::struct_excessive_bools)]
pub struct App {
    ds: Dataset,
    warnings: Vec<Diagnostic>,
    state: AppState,
    camera: MapCamera,
    /// The map's rect when the camera was last fitted; `None` until the
    /// first frame tells us the map's size.
    fitted_for: Option<egui::Rect>,
    map_cache: MapCache,
    timeline: TimelineState,
    view: WindowView,
    /// "Fit to data" was asked for; done when the map knows its size.
    fit_requested: bool,
    search: search::SearchState,
    show_filters: bool,
    /// The reader lists every claim in the window (when nothing is selected).
    show_claims: bool,
    /// Where the dataset came from (`None`: the embedded one).
    origin: Option<PathBuf>,
    /// The files the open dataset was read from (the manifest, the files it
    /// names): what the watcher watches.
    origin_files: Vec<PathBuf>,
    /// Its format.
    format: Format,
    /// A load or import under way.
    job: Option<LoadJob>,
    /// Select this id once the pending load is done (`--select`).
    pending_select: Option<String>,
    /// Watches the open dataset's files.
    watch: Option<Watch>,
    /// The last load that failed: where, and every problem. The last good
    /// data stays on screen meanwhile.
    load_errors: Option<(PathBuf, Vec<Diagnostic>)>,
    /// A message for the user (settings file broken, watcher unavailable…).
    notice: Option<String>,
    /// What is remembered across runs.
    settings: Settings,
    /// Where it is remembered (`None`: not at all, as in tests).
    store: Option<SettingsStore>,
    last_save: Option<Instant>,
    theme_applied: bool,
    open_dialog: OpenDialog,
    export_dialog: ExportDialog,
    /// A PNG export waiting for its screenshot.
    png: Option<view_state::PngJob>,
    /// Where the map and the timeline were drawn last frame (for the PNG).
    map_rect: Option<egui::Rect>,
    timeline_rect: Option<egui::Rect>,
    /// The strip has had its one first-start growth to fit its titles.
    strip_grown: bool,
    /// The camera came from the settings: keep it on the first frame.
    camera_restored: bool,
    /// The title last given to the window.
    window_title: String,
}

/// The time strip's height at first start, and its least.
const STRIP_HEIGHT: f32 = 250.0;
const STRIP_MIN_HEIGHT: f32 = 150.0;

impl App {
    /// The explorer on a loaded dataset, in its start state: the window
    /// covers the whole story, the map fits its core region, nothing selected.
    #[must_use]
    pub fn new(loaded: io::Loaded) -> Self {
        let ds = loaded.dataset;
        let state = AppState::new(&ds);
        let timeline = TimelineState::new(state.window);
        let mut view = WindowView::default();
        view.update(&ds, state.window, state.rule, state.clock, &state.filter);
        Self {
            ds,
            warnings: loaded.warnings,
            state,
            camera: MapCamera::default(),
            fitted_for: None,
            map_cache: MapCache::default(),
            timeline,
            view,
            fit_requested: false,
            search: search::SearchState::default(),
            show_filters: false,
            show_claims: false,
            origin: None,
            origin_files: Vec::new(),
            format: Format::Native,
            job: None,
            pending_select: None,
            watch: None,
            load_errors: None,
            notice: None,
            settings: Settings::default(),
            store: None,
            last_save: None,
            theme_applied: false,
            open_dialog: OpenDialog::default(),
            export_dialog: ExportDialog::default(),
            png: None,
            map_rect: None,
            timeline_rect: None,
            strip_grown: false,
            camera_restored: false,
            window_title: String::new(),
        }
    }

    /// The explorer on a dataset opened from a path (watched for changes).
    #[must_use]
    pub fn from_opened(opened: Opened, path: &Path) -> Self {
        let mut app = Self::new(opened.loaded);
        app.origin = Some(path.to_path_buf());
        app.origin_files = opened.files;
        app.format = opened.format;
        app
    }

    /// Remembers the view and recent files in `store`, starting from what
    /// it holds (a broken file gives defaults and a notice on screen).
    pub fn use_settings(&mut self, mut store: SettingsStore) {
        let (settings, notice) = store.load();
        self.settings = settings;
        self.export_dialog.csv.excel = self.settings.csv_excel;
        if notice.is_some() {
            self.notice = notice;
        }
        self.theme_applied = false;
        if self.origin == self.settings.last_dataset
            && let Some(view) = self.settings.view.clone()
        {
            self.restore_view(&view);
        }
        self.store = Some(store);
    }

    /// Starts opening `path` (a dataset folder or importable file) off the
    /// UI thread; the current data stays on screen until it is ready.
    pub fn open(&mut self, path: PathBuf) {
        self.start_job(path, JobKind::Open, None);
    }

    fn start_job(&mut self, path: PathBuf, kind: JobKind, ctx: Option<egui::Context>) {
        self.job = Some(LoadJob::spawn(path, kind, ctx));
    }

    /// Cancels the load under way, if any: the data on screen stays, and a
    /// notice says so.
    pub fn cancel_load(&mut self) {
        if let Some(job) = self.job.take() {
            job.progress.cancel();
            let name = job.path.display();
            self.notice = Some(format!(
                "Loading {name} was cancelled; the data on screen is unchanged."
            ));
        }
    }

    /// Is a load or import under way?
    #[must_use]
    pub fn is_loading(&self) -> bool {
        self.job.is_some()
    }

    /// The problems of the last load that failed, if it is still shown.
    #[must_use]
    pub fn load_errors(&self) -> Option<&[Diagnostic]> {
        self.load_errors.as_ref().map(|(_, d)| d.as_slice())
    }

    /// The path the dataset was opened from (`None`: embedded).
    #[must_use]
    pub fn origin(&self) -> Option<&Path> {
        self.origin.as_deref()
    }

    /// The notice shown at the top, if any.
    #[must_use]
    pub fn notice(&self) -> Option<&str> {
        self.notice.as_deref()
    }

    /// Select `id` when the pending load completes.
    pub fn select_when_loaded(&mut self, id: String) {
        self.pending_select = Some(id);
    }

    /// The explorer on the embedded dataset.
    ///
    /// # Errors
    /// Only if the embedded dataset is broken.
    pub fn embedded() -> Result<Self, DatasetErrors> {
        io::load_embedded().map(Self::new)
    }

    /// The dataset shown.
    #[must_use]
    pub fn dataset(&self) -> &Dataset {
        &self.ds
    }

    /// The view state.
    #[must_use]
    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// The map camera.
    #[must_use]
    pub fn camera(&self) -> &MapCamera {
        &self.camera
    }

    /// The time strip's state.
    #[must_use]
    pub fn timeline(&self) -> &TimelineState {
        &self.timeline
    }

    /// Events in the window per place (the map's counts).
    #[must_use]
    pub fn place_count(&self, place: PlaceIdx) -> u32 {
        self.view
            .place_counts
            .get(place.index())
            .copied()
            .unwrap_or(0)
    }

    /// Selects the event or place with this id, as if chosen from the
    /// search, and brings it into view.
    ///
    /// # Errors
    /// A message when no event or place has that id.
    pub fn select_by_id(&mut self, id: &str) -> Result<(), String> {
        use crate::model::search::SearchTarget;
        let target = match (self.ds.event_by_id(id), self.ds.place_by_id(id)) {
            (Some(e), _) => SearchTarget::Event(e),
            (None, Some(p)) => SearchTarget::Place(p),
            (None, None) => return Err(format!("no event or place has the id {id:?}")),
        };
        self.apply(Action::Reveal(target));
        Ok(())
    }

    /// Applies an action to the state (as the widgets' responses do).
    pub fn apply(&mut self, action: Action) {
        match action {
            Action::SelectPlace(p) => {
                self.state.selection = Selection::Place(p);
                self.state.article = None;
            }
            Action::SelectEvent(e) => {
                self.state.selection = Selection::Event(e);
                self.state.article = None;
            }
            Action::ClearSelection => {
                self.state.selection = Selection::None;
                self.state.article = None;
            }
            Action::SetWindow(w) => self.state.window = w,
            Action::ShowArticle(source, span) => {
                self.state.article = Some(ArticleView {
                    source,
                    span,
                    scroll_pending: true,
                });
            }
            Action::CloseArticle => self.state.article = None,
            Action::PanTo(p) => self.pan_to(p),
            Action::FitToData => self.fit_requested = true,
            Action::SetRule(rule) => self.state.rule = rule,
            Action::Filter(change) => self.state.filter.apply(change),
            Action::Reveal(target) => self.reveal(&target),
            Action::SetLanes(lanes) => self.state.lanes = lanes,
            Action::SetClock(clock) => {
                self.state.clock = clock;
                // Show the story on its new clock: window and strip cover it all.
                let extent = match clock {
                    Clock::Happened => self.ds.time_extent(),
                    Clock::Reported => extent_of(self.view.reported(&self.ds).iter().flatten()),
                };
                if let Some(w) = extent {
                    self.state.window = w;
                    self.timeline = TimelineState::new(w);
                }
            }
            Action::TogglePlay => {
                self.state.playback.playing = !self.state.playback.playing;
                self.state.playback.carry_days = 0.0;
            }
            Action::SetSpeed(speed) => self.state.playback.speed = speed.clamp(0.25, 8.0),
            Action::SetLooping(looping) => self.state.playback.looping = looping,
            Action::SelectFirst
            | Action::SelectLast
            | Action::SelectPrevious
            | Action::SelectNext => {
                self.step_selection(&action);
            }
        }
        self.refresh_view();
    }

    /// Brings the derived view up to date with the state (a no-op when
    /// nothing it depends on changed).
    fn refresh_view(&mut self) {
        self.view.update(
            &self.ds,
            self.state.window,
            self.state.rule,
            self.state.clock,
            &self.state.filter,
        );
    }

    fn apply_all(&mut self, actions: Vec<Action>) {
        for a in actions {
            self.apply(a);
        }
    }

    /// Global keys, only when no text field has focus (so typing a date
    /// never clears the selection). Esc clears the selection, or closes the
    /// article first.
    fn handle_keys(&mut self, ui: &Ui) {
        if ui.input_mut(|i| i.consume_key(egui::Modifiers::COMMAND, Key::F)) {
            ui.ctx().memory_mut(|m| m.request_focus(search::field_id()));
            self.search.open = !self.search.query.trim().is_empty();
        }
        if ui.ctx().text_edit_focused() {
            return;
        }
        if ui.input_mut(|i| i.consume_key(egui::Modifiers::NONE, Key::Escape)) {
            if self.job.is_some() {
                self.cancel_load();
            } else if self.state.article.is_some() {
                self.apply(Action::CloseArticle);
            } else {
                self.apply(Action::ClearSelection);
            }
        }
        let keys = [
            (Key::ArrowRight, Action::SelectNext),
            (Key::ArrowLeft, Action::SelectPrevious),
            (Key::Home, Action::SelectFirst),
            (Key::End, Action::SelectLast),
        ];
        for (key, action) in keys {
            if ui.input_mut(|i| i.consume_key(egui::Modifiers::NONE, key)) {
                self.apply(action);
            }
        }
        // Space plays and pauses, unless a focused widget (a button) claims it.
        let focused = ui.ctx().memory(|m| m.focused().is_some());
        if !focused && ui.input_mut(|i| i.consume_key(egui::Modifiers::NONE, Key::Space)) {
            self.apply(Action::TogglePlay);
        }
        let (zoom_in, zoom_out) = ui.input_mut(|i| {
            (
                i.consume_key(egui::Modifiers::NONE, Key::Plus)
                    || i.consume_key(egui::Modifiers::NONE, Key::Equals)
                    || i.consume_key(egui::Modifiers::SHIFT, Key::Equals),
                i.consume_key(egui::Modifiers::NONE, Key::Minus),
            )
        });
        if zoom_in || zoom_out {
            let axis = &mut self.timeline.axis;
            let factor = if zoom_in { 2.0 } else { 0.5 };
            // Zoom around the selected event, else the window's centre, when in
            // view; else around the strip's centre.
            let selected = match self.state.selection {
                Selection::Event(e) => Some(self.ds.event(e).time().anchor().as_f64()),
                _ => None,
            };
            let mid = (self.state.window.start.0 + self.state.window.end.0) as f64 / 2.0;
            let anchor = [selected, Some(mid)]
                .into_iter()
                .flatten()
                .find(|t| *t > axis.start && *t < axis.end)
                .unwrap_or_else(|| f64::midpoint(axis.start, axis.end));
            let x = axis.position(anchor) as f32;
            axis.zoom_at(x, factor, 0.0, 1.0);
        }
    }

    /// Selects a search hit and brings it into view on map and strip.
    fn reveal(&mut self, target: &crate::model::search::SearchTarget) {
        use crate::model::search::SearchTarget;
        let event_for = |ds: &Dataset, pred: &dyn Fn(EventIdx) -> bool| {
            ds.event_indices().rev().find(|&e| pred(e))
        };
        let event = match target {
            SearchTarget::Place(p) => {
                self.state.selection = Selection::Place(*p);
                self.state.article = None;
                self.pan_to(*p);
                // A place with nothing in the window: show the whole story.
                if self.place_count(*p) == 0
                    && let Some(w) = self.ds.time_extent()
                {
                    self.state.window = w;
                    self.timeline.axis = self.timeline.home.clone();
                }
                return;
            }
            SearchTarget::Actor(a) => {
                event_for(&self.ds, &|e| self.ds.event(e).actors().contains(a))
            }
            SearchTarget::Event(e) | SearchTarget::Excerpt(e, _) => Some(*e),
            SearchTarget::Claim(c) => self.ds.claims[c.index()].events.first().copied(),
            SearchTarget::Article(source, span) => {
                if let Some(e) = event_for(&self.ds, &|e| {
                    self.ds
                        .event(e)
                        .excerpts()
                        .iter()
                        .any(|x| x.source == *source)
                }) {
                    self.state.selection = Selection::Event(e);
                }
                self.state.article = Some(ArticleView {
                    source: *source,
                    span: span.clone(),
                    scroll_pending: true,
                });
                return;
            }
        };
        if let Some(e) = event {
            self.state.selection = Selection::Event(e);
            self.state.article = None;
            self.keep_in_view(e);
            if let Some(p) = self.ds.event(e).places().first() {
                self.pan_to(p.place);
            }
        }
    }

    fn pan_to(&mut self, p: PlaceIdx) {
        let place = self.ds.place(p);
        self.camera.center = crate::map::projection::project(geo::Coord {
            x: place.lon,
            y: place.lat,
        });
    }

    /// Left/Right/Home/End: the previous/next/first/last event in time
    /// order (earliest, latest, id); the window moves to keep it in view.
    fn step_selection(&mut self, action: &Action) {
        // Only events the filters let through can be stepped to.
        let visible: Vec<u32> = (0..self.ds.events.len() as u32)
            .filter(|&i| self.view.passes.get(i as usize).copied().unwrap_or(true))
            .collect();
        let (Some(&first), Some(&last)) = (visible.first(), visible.last()) else {
            return;
        };
        let current = match self.state.selection {
            Selection::Event(e) => Some(e.0),
            _ => None,
        };
        let next = match (action, current) {
            (Action::SelectFirst, _) | (Action::SelectNext, None) => first,
            (Action::SelectLast, _) | (Action::SelectPrevious, None) => last,
            (Action::SelectNext, Some(c)) => {
                visible.iter().copied().find(|&i| i > c).unwrap_or(last)
            }
            (Action::SelectPrevious, Some(c)) => visible
                .iter()
                .rev()
                .copied()
                .find(|&i| i < c)
                .unwrap_or(first),
            _ => return,
        };
        let e = EventIdx(next);
        self.state.selection = Selection::Event(e);
        self.state.article = None;
        self.keep_in_view(e);
    }

    /// Moves the window (keeping its width) and the strip so that `e` shows.
    fn keep_in_view(&mut self, e: EventIdx) {
        let time = match self.state.clock {
            Clock::Happened => Some(self.ds.event(e).time().to_fuzzy()),
            Clock::Reported => self.view.reported(&self.ds)[e.index()].clone(),
        };
        let Some(time) = time else { return };
        let w = self.state.window;
        if !self.state.rule.admits(&time, &w) {
            let width = w.end.0 - w.start.0;
            let anchor = time.anchor().0;
            let start = anchor - width / 2;
            self.state.window = TimeWindow::new(Day(start), Day(start + width));
        }
        let axis = &mut self.timeline.axis;
        let a = time.anchor().as_f64();
        if a < axis.start || a > axis.end {
            axis.center_on(a);
        }
    }

    /// Advances the window while playing: one visible axis width every
    /// 10 seconds at 1×, at a steady pace on screen in either axis mode
    /// (story time's squeezed stretches pass quickly), keeping its width
    /// in days; loops or stops at the end.
    fn advance_playback(&mut self, dt_secs: f64) {
        if !self.state.playback.playing {
            return;
        }
        let pb = &mut self.state.playback;
        // A nominal strip 1000 points wide: the pace is a share of the width.
        let width = 1000.0_f32;
        let px = f64::from(width) / crate::state::Playback::SECONDS_PER_WIDTH * pb.speed * dt_secs;
        let w = self.state.window;
        let from = w.start.as_f64() + pb.carry_days;
        let to = self.timeline.axis.shift_by_px(from, px, width);
        let moved = to - w.start.as_f64();
        let whole = moved.floor();
        pb.carry_days = moved - whole;
        if whole < 1.0 {
            return;
        }
        let width_days = w.end.0 - w.start.0;
        let mut start = w.start.0 + whole as i64;
        let end_of_story = self.ds.time_extent().map_or(w.end.0, |x| x.end.0);
        if start > end_of_story {
            pb.carry_days = 0.0;
            if pb.looping {
                start = self.ds.time_extent().map_or(start, |x| x.start.0);
            } else {
                pb.playing = false;
                return;
            }
        }
        self.state.window = TimeWindow::new(Day(start), Day(start + width_days));
        // The strip follows the window a page at a time.
        let axis = &mut self.timeline.axis;
        let (ws, we) = (start as f64, (start + width_days) as f64);
        if we > axis.end || ws < axis.start {
            axis.place_at(ws, 0.05);
        }
        self.refresh_view();
    }

    /// Draws the whole explorer into `ui`.
    pub fn show(&mut self, ui: &mut Ui) {
        let ctx = ui.ctx().clone();
        self.poll_io(&ctx);
        if let Some(path) = self.open_dialog.show(&ctx, &self.settings.recent) {
            self.start_job(path, JobKind::Open, Some(ctx.clone()));
        }
        if let Some((choice, path)) = self.export_dialog.show(&ctx, self.view.in_count) {
            self.view.ensure_events();
            self.export_view(choice, path, &ctx);
        }
        self.handle_keys(ui);
        if self.state.playback.playing {
            let dt = f64::from(ui.input(|i| i.stable_dt)).min(0.25);
            self.advance_playback(dt);
            ui.ctx().request_repaint();
        }

        let mut top_actions: Vec<Action> = Vec::new();
        Panel::top("mapline-top")
            .frame(Frame::side_top_panel(ui.style()).inner_margin(Margin::symmetric(10, 6)))
            .show(ui, |ui| {
                ui.horizontal(|ui| {
                    ui.label(RichText::new("mapline").strong().size(16.0));
                    self.file_menu(ui);
                    ui.separator();
                    ui.label(RichText::new(&self.ds.title).size(14.0))
                        .on_hover_text(match &self.origin {
                            Some(p) => format!("{} ({})", p.display(), self.format),
                            None => "The embedded dataset".to_owned(),
                        });
                    ui.separator();
                    let found = self.search.show(ui, &self.ds);
                    top_actions.extend(found);
                    ui.toggle_value(&mut self.show_claims, "Claims")
                        .on_hover_text(
                            "List every claim about the events in the window, contested ones first",
                        );
                    ui.toggle_value(&mut self.show_filters, "Filters")
                        .on_hover_text(
                            "Filter by outlet, perspective, category, actor and place kind",
                        );
                    for (chip, change) in self.state.filter.chips(&self.ds) {
                        if ui
                            .small_button(format!("{chip} ×"))
                            .on_hover_text("Remove this filter")
                            .clicked()
                        {
                            top_actions.push(Action::Filter(change));
                        }
                    }
                    ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                        theme_buttons(ui);
                        if !self.warnings.is_empty() {
                            ui.colored_label(
                                ui.visuals().warn_fg_color,
                                format!("{} warning(s)", self.warnings.len()),
                            )
                            .on_hover_text(
                                self.warnings
                                    .iter()
                                    .take(20)
                                    .map(ToString::to_string)
                                    .collect::<Vec<_>>()
                                    .join("\n"),
                            );
                        }
                        // The hint only where it fits: never over the buttons.
                        if ui.available_width() > 260.0 {
                            ui.weak("Click a place or an event · Esc clears");
                        }
                    });
                });
            });

        self.apply_all(top_actions);
        self.status_panels(ui);

        if self.show_filters {
            let in_window = self.view.facet_events(&self.ds);
            let actions = Panel::left("mapline-facets")
                .resizable(true)
                .default_size(260.0)
                .frame(Frame::side_top_panel(ui.style()).inner_margin(Margin::same(10)))
                .show(ui, |ui| {
                    facets::show(ui, &self.ds, &self.state.filter, in_window)
                })
                .inner;
            self.apply_all(actions);
        }

        // A dataset without places gives the map's room to the strip and
        // the reader (the map comes back when places exist).
        let placeless = self.ds.places.is_empty();
        // With the map's room, the strip's titles are set larger.
        self.timeline.text_scale = if placeless { 1.45 } else { 1.0 };
        if placeless {
            // The strip fills the centre: no panel height to ask for or keep.
            self.timeline.height_request = None;
            Panel::top("mapline-no-places")
                .frame(Frame::side_top_panel(ui.style()).inner_margin(Margin::symmetric(10, 4)))
                .show(ui, |ui| {
                    ui.weak(
                        "This dataset names no places, so the map is set aside: the timeline and \
                         the reader have its room. The left and right arrow keys walk the events in time order.",
                    );
                });
        } else {
            let mut strip_panel = Panel::bottom("mapline-timeline")
                .resizable(true)
                .default_size(self.settings.strip_height.unwrap_or(STRIP_HEIGHT))
                .min_size(STRIP_MIN_HEIGHT)
                .max_size((ui.available_height() - 160.0).max(STRIP_MIN_HEIGHT));
            // First start (no height saved): the strip grows once, up to 40% of
            // the window, so that the story's marks get a title row each.
            if self.settings.strip_height.is_none()
                && !self.strip_grown
                && self.timeline.panel_height > 0.0
                && let Some(more) = self.timeline.room_wanted
            {
                self.strip_grown = true;
                let most = (ui.available_height() * 0.4).max(STRIP_HEIGHT);
                if more > 0.5 {
                    self.timeline.height_request =
                        Some((self.timeline.panel_height + more).min(most));
                }
            }
            self.timeline.measure_room = self.settings.strip_height.is_none() && !self.strip_grown;
            if let Some(h) = self.timeline.height_request.take() {
                let most = (ui.available_height() - 160.0).max(STRIP_MIN_HEIGHT);
                strip_panel = strip_panel.exact_size(h.clamp(STRIP_MIN_HEIGHT, most));
            }
            let timeline_panel = strip_panel
                .frame(Frame::side_top_panel(ui.style()).inner_margin(Margin::symmetric(10, 8)))
                .show(ui, |ui| self.strip_ui(ui));
            self.timeline_rect = Some(timeline_panel.response.rect);
            let height = timeline_panel.response.rect.height();
            self.timeline.panel_height = height;
            if self
                .settings
                .strip_height
                .is_none_or(|h| (h - height).abs() > 0.5)
                && (self.settings.strip_height.is_some() || (height - STRIP_HEIGHT).abs() > 0.5)
            {
                self.settings.strip_height = Some(height);
            }
            self.apply_all(timeline_panel.inner);
        }

        let mut close_reader = false;
        if placeless
            || self.state.selection != Selection::None
            || self.state.article.is_some()
            || self.show_claims
        {
            self.view.ensure_events();
            // Stances are judged in the window when it is narrower than the
            // story, else over the whole story.
            let story_window = Some(self.state.window).filter(|w| {
                self.ds
                    .time_extent()
                    .is_none_or(|all| w.start > all.start || w.end < all.end)
            });
            let actions = Panel::right("mapline-reader")
                .resizable(true)
                .default_size(if placeless {
                    (ui.available_width() * 0.4).max(430.0)
                } else {
                    430.0
                })
                .min_size(300.0)
                .frame(Frame::side_top_panel(ui.style()).inner_margin(Margin::same(12)))
                .show(ui, |ui| {
                    let mut actions = Vec::new();
                    ui.horizontal(|ui| {
                        ui.label(RichText::new("What the sources say").size(13.0).weak());
                        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                            if ui
                                .button("Close")
                                .on_hover_text("Clear the selection (Esc) and close the reader")
                                .clicked()
                            {
                                actions.push(Action::ClearSelection);
                                close_reader = true;
                            }
                        });
                    });
                    ui.separator();
                    actions.extend(
                        Reader::new(
                            &self.ds,
                            self.state.selection,
                            &self.view.events,
                            self.state.article.as_mut(),
                        )
                        .with_window(story_window)
                        .as_slides(placeless && !self.show_claims)
                        .show(ui),
                    );
                    actions
                })
                .inner;
            self.apply_all(actions);
        }
        if close_reader {
            self.show_claims = false;
        }

        if placeless {
            self.map_rect = None;
            let panel = CentralPanel::default()
                .frame(Frame::side_top_panel(ui.style()).inner_margin(Margin::symmetric(10, 8)))
                .show(ui, |ui| self.strip_ui(ui));
            self.timeline_rect = Some(panel.response.rect);
            self.timeline.panel_height = panel.response.rect.height();
            self.apply_all(panel.inner);
            return;
        }
        CentralPanel::default().frame(Frame::NONE).show(ui, |ui| {
            let rect = ui.available_rect_before_wrap();
            self.map_rect = Some(rect);
            let fit_requested = std::mem::take(&mut self.fit_requested);
            if let Some(before) = self.fitted_for
                && before.size() != rect.size()
            {
                // The map was resized (the reader opened or closed): keep
                // what was in view in view.
                let ratio = (rect.width() / before.width()).min(rect.height() / before.height());
                self.camera.scale = (self.camera.scale * f64::from(ratio))
                    .clamp(MapCamera::MIN_SCALE, MapCamera::MAX_SCALE);
                self.fitted_for = Some(rect);
            }
            if self.fitted_for.is_none() {
                if std::mem::take(&mut self.camera_restored) {
                    // Keep the remembered camera.
                } else if let Some((min, max)) = core_region(&self.ds) {
                    self.camera = MapCamera::fit(rect, min, max, 60.0);
                }
                self.fitted_for = Some(rect);
            } else if fit_requested {
                let mut places: Vec<PlaceIdx> = (0..self.ds.places.len() as u32)
                    .map(PlaceIdx)
                    .filter(|&p| self.place_count(p) > 0)
                    .collect();
                if places.is_empty() {
                    places = (0..self.ds.places.len() as u32).map(PlaceIdx).collect();
                }
                if let Some((min, max)) = fit_places(&self.ds, &places) {
                    self.camera = MapCamera::fit(rect, min, max, 60.0);
                }
            }
            let actions = MapView::new(
                &self.ds,
                self.state.selection,
                &self.view,
                &mut self.camera,
                &mut self.map_cache,
            )
            .show(ui);
            self.apply_all(actions);
        });
    }
}

impl App {
    /// The time strip, in whatever room it is given.
    fn strip_ui(&mut self, ui: &mut Ui) -> Vec<Action> {
        // Computed once per dataset, then borrowed: no per-frame copy.
        if self.state.clock == Clock::Reported {
            self.view.reported(&self.ds);
        }
        let reported = match self.state.clock {
            Clock::Reported => self.view.reported_times(),
            Clock::Happened => None,
        };
        TimeStrip::new(
            &self.ds,
            &self.state,
            &self.view.in_window,
            &self.view.passes,
            reported,
            &mut self.timeline,
        )
        .with_counts(
            self.view.in_count,
            self.view.pass_count,
            self.view.filter_gen,
        )
        .show(ui)
    }

    /// The File menu: open, recent, reload, the embedded dataset, export.
    fn file_menu(&mut self, ui: &mut Ui) {
        ui.menu_button("File", |ui| {
            if ui
                .button("Open…")
                .on_hover_text("Open a dataset folder or a TimelineJS, ACLED or GeoJSON file")
                .clicked()
            {
                self.open_dialog.open = true;
                ui.close();
            }
            let recent = self.settings.recent.clone();
            ui.add_enabled_ui(!recent.is_empty(), |ui| {
                ui.menu_button("Open recent", |ui| {
                    for p in recent {
                        if ui.button(p.display().to_string()).clicked() {
                            self.start_job(p, JobKind::Open, Some(ui.ctx().clone()));
                            ui.close();
                        }
                    }
                });
            });
            if ui
                .add_enabled(
                    self.origin.is_some() && self.job.is_none(),
                    egui::Button::new("Reload"),
                )
                .on_hover_text(
                    "Read the dataset again from disk (done by itself when its files change)",
                )
                .clicked()
                && let Some(p) = self.origin.clone()
            {
                self.start_job(p, JobKind::Reload, Some(ui.ctx().clone()));
                ui.close();
            }
            if ui
                .add_enabled(
                    self.origin.is_some(),
                    egui::Button::new("Open the embedded dataset"),
                )
                .on_hover_text("The 2022 Albania–Iran story that ships with mapline")
                .clicked()
            {
                if let Ok(loaded) = io::load_embedded() {
                    self.swap_dataset(
                        Opened {
                            loaded,
                            format: Format::Native,
                            files: Vec::new(),
                        },
                        false,
                    );
                    self.origin = None;
                    self.load_errors = None;
                }
                ui.close();
            }
            ui.separator();
            if ui
                .button("Export the view…")
                .on_hover_text(
                    "Write the events in the window that the filters let through, or a PNG",
                )
                .clicked()
            {
                self.export_dialog.open = true;
                ui.close();
            }
            if ui
                .button("Export briefing…")
                .on_hover_text(
                    "Write what the view shows as a document for a desk: the events, the claims with each stance's verbatim quote and numbered citations, the map and the strip",
                )
                .clicked()
            {
                self.export_dialog.open_on(ExportChoice::Briefing);
                ui.close();
            }
        });
    }

    /// Under the top bar: a load's progress, the errors of a failed load
    /// (the last good data stays shown), and notices.
    fn status_panels(&mut self, ui: &mut Ui) {
        let mut cancel = false;
        if let Some(job) = &self.job
            && job.show_progress()
        {
            let (stage, fraction) = job.progress.snapshot();
            let name = job.path.file_name().map_or_else(
                || job.path.display().to_string(),
                |n| n.to_string_lossy().into_owned(),
            );
            Panel::top("mapline-progress")
                .frame(Frame::side_top_panel(ui.style()).inner_margin(Margin::symmetric(10, 6)))
                .show(ui, |ui| {
                    ui.horizontal(|ui| {
                        ui.label(format!("Loading {name}: {stage}"));
                        let bar = match fraction {
                            Some(f) => egui::ProgressBar::new(f).show_percentage(),
                            None => egui::ProgressBar::new(0.0).animate(true),
                        };
                        ui.add(bar.desired_width(260.0));
                        cancel = ui
                            .button("Cancel")
                            .on_hover_text("Stop loading (Esc); the data on screen stays")
                            .clicked();
                    });
                });
        }
        if cancel {
            self.cancel_load();
        }
        let mut dismiss = false;
        let mut retry = None;
        if let Some((path, errors)) = &self.load_errors {
            Panel::top("mapline-load-errors")
                .resizable(true)
                .max_size(260.0)
                .frame(Frame::side_top_panel(ui.style()).inner_margin(Margin::symmetric(10, 8)))
                .show(ui, |ui| {
                    ui.horizontal(|ui| {
                        ui.colored_label(
                            ui.visuals().error_fg_color,
                            RichText::new(format!(
                                "{} could not be loaded: {} problem(s). Still showing the last good data.",
                                path.display(),
                                errors.len()
                            ))
                            .strong(),
                        );
                        if ui.button("Try again").clicked() {
                            retry = Some(path.clone());
                        }
                        if ui.button("Dismiss").clicked() {
                            dismiss = true;
                        }
                    });
                    egui::ScrollArea::vertical()
                        .id_salt("load-errors")
                        .show(ui, |ui| {
                            for d in errors.iter().take(crate::io::MAX_DIAGNOSTICS) {
                                ui.label(RichText::new(d.to_string()).monospace().size(12.0));
                            }
                            if errors.len() > crate::io::MAX_DIAGNOSTICS {
                                ui.weak(format!(
                                    "… and {} more problem(s) not listed",
                                    errors.len() - crate::io::MAX_DIAGNOSTICS
                                ));
                            }
                        });
                });
        }
        if let Some(notice) = &self.notice {
            Panel::top("mapline-notice")
                .frame(Frame::side_top_panel(ui.style()).inner_margin(Margin::symmetric(10, 6)))
                .show(ui, |ui| {
                    ui.horizontal(|ui| {
                        ui.colored_label(ui.visuals().warn_fg_color, notice);
                        if ui
                            .button("OK")
                            .on_hover_text("Dismiss this notice")
                            .clicked()
                        {
                            dismiss = true;
                        }
                    });
                });
            if dismiss {
                self.notice = None;
                dismiss = false;
            }
        }
        if dismiss {
            self.load_errors = None;
        }
        if let Some(path) = retry {
            self.start_job(path, JobKind::Reload, Some(ui.ctx().clone()));
        }
        let hovering = ui.input(|i| !i.raw.hovered_files.is_empty());
        if hovering {
            egui::Area::new(egui::Id::unique("mapline-drop-hint"))
                .anchor(egui::Align2::CENTER_CENTER, [0.0, 0.0])
                .show(ui.ctx(), |ui| {
                    Frame::popup(ui.style()).show(ui, |ui| {
                        ui.label(RichText::new("Drop to open this dataset").size(20.0));
                    });
                });
        }
    }
}

/// The window from the earliest to the latest known day of some times.
fn extent_of<'a>(times: impl Iterator<Item = &'a FuzzyTime>) -> Option<TimeWindow> {
    let mut lo: Option<Day> = None;
    let mut hi: Option<Day> = None;
    for t in times {
        let (a, b) = (t.earliest().or(t.latest()), t.latest().or(t.earliest()));
        lo = match (lo, a) {
            (Some(x), Some(y)) => Some(x.min(y)),
            (x, y) => x.or(y),
        };
        hi = match (hi, b) {
            (Some(x), Some(y)) => Some(x.max(y)),
            (x, y) => x.or(y),
        };
    }
    Some(TimeWindow::new(lo?, hi?))
}

/// Light / Dark / System, as text (the default emoji icons need a font we
/// do not ship).
fn theme_buttons(ui: &mut Ui) {
    let mut pref = ui.ctx().options(|o| o.theme_preference);
    let before = pref;
    for (value, label) in [
        (egui::ThemePreference::Dark, "Dark"),
        (egui::ThemePreference::Light, "Light"),
        (egui::ThemePreference::System, "System"),
    ]
    .into_iter()
    .rev()
    {
        ui.selectable_value(&mut pref, value, label)
            .on_hover_text(format!("{label} theme"));
    }
    if pref != before {
        ui.ctx().set_theme(pref);
    }
}

impl eframe::App for App {
    fn ui(&mut self, ui: &mut Ui, _frame: &mut eframe::Frame) {
        self.show(ui);
    }

    fn on_exit(&mut self) {
        self.save_settings(true);
    }
}

/// Opens the window: the embedded dataset at once, then `path` (or the
/// dataset open last time) loading in the background.
///
/// # Errors
/// A window that cannot be opened.
pub fn run(path: Option<&std::path::Path>, select: Option<&str>) -> Result<(), String> {
    let loaded = io::load_embedded().map_err(|e| e.to_string())?;
    let mut app = App::new(loaded);
    if let Some(store) = SettingsStore::platform() {
        app.use_settings(store);
    }
    let target = path
        .map(Path::to_path_buf)
        .or_else(|| app.settings.last_dataset.clone());
    match (target, select) {
        (Some(p), select) => {
            if let Some(id) = select {
                app.select_when_loaded(id.to_owned());
            }
            app.open(p);
        }
        (None, Some(id)) => app.select_by_id(id)?,
        (None, None) => {}
    }
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title("mapline")
            .with_inner_size([1440.0, 900.0])
            .with_min_inner_size([900.0, 600.0])
            .with_drag_and_drop(true),
        ..Default::default()
    };
    eframe::run_native("mapline", options, Box::new(move |_cc| Ok(Box::new(app))))
        .map_err(|e| format!("cannot open the window: {e}"))
}
