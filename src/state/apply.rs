//! The reducer: [`AppState::apply`], the one place the view state changes.

use super::{Action, AppState, ArticleView, Clock, MapCamera, Playback, Selection, TimeAxis};
use crate::model::search::SearchTarget;
use crate::model::{Dataset, Day, EventIdx, FuzzyTime, PlaceIdx, TimeWindow};

/// The margin kept around the places a camera is fitted to (points).
const FIT_MARGIN: f32 = 60.0;

impl AppState {
    /// Applies one action, then brings the derived data up to date (only
    /// what the change touched is recomputed).
    ///
    /// ```
    /// use mapline::state::{Action, AppState, Selection};
    /// let ds = mapline::io::load_embedded().map_err(|e| e.to_string())?.dataset;
    /// let mut state = AppState::new(&ds);
    /// state.apply(&ds, Action::SelectFirst);
    /// assert!(matches!(state.selection, Selection::Event(_)));
    /// # Ok::<(), String>(())
    /// ```
    pub fn apply(&mut self, ds: &Dataset, action: Action) {
        match action {
            Action::SelectPlace(p) => self.select(Selection::Place(p)),
            Action::SelectEvent(e) => self.select(Selection::Event(e)),
            Action::ClearSelection => self.select(Selection::None),
            Action::SetWindow(w) => self.window = w,
            Action::ShowArticle(source, span) => {
                self.article = Some(ArticleView {
                    source,
                    span,
                    scroll_pending: true,
                });
            }
            Action::ArticleScrolled => {
                if let Some(a) = &mut self.article {
                    a.scroll_pending = false;
                }
            }
            Action::CloseArticle => self.article = None,
            // A request to the story (the app's authoring): no view change.
            Action::CiteSelection { .. }
            | Action::CiteAsNewEvent { .. }
            | Action::MapPoint { .. } => {}
            Action::PanTo(p) => self.pan_to(ds, p),
            Action::FitToData => self.map_fit.requested = true,
            Action::SetRule(rule) => self.rule = rule,
            Action::Filter(change) => self.filter.apply(change),
            Action::Reveal(target) => self.reveal(ds, &target),
            Action::SetLanes(lanes) => self.lanes = lanes,
            Action::SetClock(clock) => self.set_clock(ds, clock),
            Action::TogglePlay => {
                self.playback.playing = !self.playback.playing;
                self.playback.carry_days = 0.0;
            }
            Action::SetSpeed(speed) => self.playback.speed = speed.clamp(0.25, 8.0),
            Action::SetLooping(looping) => self.playback.looping = looping,
            Action::Tick(dt_secs) => self.advance_playback(ds, dt_secs),
            Action::SelectFirst
            | Action::SelectLast
            | Action::SelectPrevious
            | Action::SelectNext => self.step_selection(ds, &action),
            Action::Camera(camera) => self.camera = camera,
            Action::MapArea(rect) => self.fit_camera(ds, rect),
            Action::RestoreCamera(camera) => self.restore_camera(camera),
            Action::Axis(axis) => self.axis = axis,
            Action::ZoomTime(factor) => self.zoom_time(ds, factor),
            Action::HomeAxis => self.axis = self.home.clone(),
            Action::SetStripMode(mode) => self.strip_mode = mode,
            Action::ShowFilters(on) => self.show_filters = on,
            Action::ShowClaims(on) => self.show_claims = on,
            Action::OpenDialog(dialog) => self.dialog = Some(dialog),
            Action::CloseDialog => self.dialog = None,
            Action::Restore(view) => self.restore(ds, *view),
        }
        self.refresh(ds);
    }

    /// Applies each action in turn.
    pub fn apply_all(&mut self, ds: &Dataset, actions: impl IntoIterator<Item = Action>) {
        for a in actions {
            self.apply(ds, a);
        }
    }

    fn select(&mut self, selection: Selection) {
        self.selection = selection;
        self.article = None;
    }

    /// Shows the story on its new clock: the window and the strip cover it all.
    fn set_clock(&mut self, ds: &Dataset, clock: Clock) {
        self.clock = clock;
        let extent = match clock {
            Clock::Happened => ds.time_extent(),
            Clock::Reported => extent_of(self.derived.reported(ds).iter().flatten()),
        };
        if let Some(w) = extent {
            self.window = w;
            // The strip starts over on the new clock: its mode chosen from
            // the data again, its whole-story view built afresh.
            self.axis = TimeAxis::around(w);
            self.home = self.axis.clone();
            self.strip_mode = None;
            self.warp_for = None;
        }
    }

    /// Selects a search hit and brings it into view on map and strip.
    fn reveal(&mut self, ds: &Dataset, target: &SearchTarget) {
        let event_for =
            |pred: &dyn Fn(EventIdx) -> bool| ds.event_indices().rev().find(|&e| pred(e));
        let event = match target {
            SearchTarget::Place(p) => {
                self.select(Selection::Place(*p));
                self.pan_to(ds, *p);
                // A place with nothing in the window: show the whole story.
                if self.place_count(*p) == 0
                    && let Some(w) = ds.time_extent()
                {
                    self.window = w;
                    self.axis = self.home.clone();
                }
                return;
            }
            SearchTarget::Actor(a) => event_for(&|e| ds.event(e).actors().contains(a)),
            SearchTarget::Event(e) | SearchTarget::Excerpt(e, _) => Some(*e),
            SearchTarget::Claim(c) => ds.claims[c.index()].events.first().copied(),
            SearchTarget::Article(source, span) => {
                if let Some(e) =
                    event_for(&|e| ds.event(e).excerpts().iter().any(|x| x.source == *source))
                {
                    self.selection = Selection::Event(e);
                }
                self.article = Some(ArticleView {
                    source: *source,
                    span: span.clone(),
                    scroll_pending: true,
                });
                return;
            }
        };
        if let Some(e) = event {
            self.select(Selection::Event(e));
            self.keep_in_view(ds, e);
            if let Some(p) = ds.event(e).places().first() {
                self.pan_to(ds, p.place);
            }
        }
    }

    /// Events in the window touching `place` (the map's count).
    fn place_count(&self, place: PlaceIdx) -> u32 {
        self.derived
            .place_counts
            .get(place.index())
            .copied()
            .unwrap_or(0)
    }

    fn pan_to(&mut self, ds: &Dataset, p: PlaceIdx) {
        let place = ds.place(p);
        self.camera.center = crate::model::projection::project(geo::Coord {
            x: place.lon,
            y: place.lat,
        });
    }

    /// Left/Right/Home/End: the previous/next/first/last event in time
    /// order (earliest, latest, id); the window moves to keep it in view.
    fn step_selection(&mut self, ds: &Dataset, action: &Action) {
        // Only events the filters let through can be stepped to.
        let passes = &self.derived.passes;
        let visible: Vec<u32> = (0..ds.events.len() as u32)
            .filter(|&i| passes.get(i as usize).copied().unwrap_or(true))
            .collect();
        let (Some(&first), Some(&last)) = (visible.first(), visible.last()) else {
            return;
        };
        let current = match self.selection {
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
        self.select(Selection::Event(e));
        self.keep_in_view(ds, e);
    }

    /// Moves the window (keeping its width) and the strip so that `e` shows.
    fn keep_in_view(&mut self, ds: &Dataset, e: EventIdx) {
        let time = match self.clock {
            Clock::Happened => Some(ds.event(e).time().to_fuzzy()),
            Clock::Reported => self.derived.reported(ds)[e.index()].clone(),
        };
        let Some(time) = time else { return };
        let w = self.window;
        if !self.rule.admits(&time, &w) {
            let width = w.end.0 - w.start.0;
            let start = time.anchor().0 - width / 2;
            self.window = TimeWindow::new(Day(start), Day(start + width));
        }
        let a = time.anchor().as_f64();
        if a < self.axis.start || a > self.axis.end {
            self.axis.center_on(a);
        }
    }

    /// Advances the window while playing: one visible axis width every
    /// 10 seconds at 1×, at a steady pace on screen in either axis mode
    /// (story time's squeezed stretches pass quickly), keeping its width
    /// in days; loops or stops at the end.
    fn advance_playback(&mut self, ds: &Dataset, dt_secs: f64) {
        if !self.playback.playing {
            return;
        }
        let pb = &mut self.playback;
        // A nominal strip 1000 points wide: the pace is a share of the width.
        let width = 1000.0_f32;
        let px = f64::from(width) / Playback::SECONDS_PER_WIDTH * pb.speed * dt_secs;
        let w = self.window;
        let from = w.start.as_f64() + pb.carry_days;
        let to = self.axis.shift_by_px(from, px, width);
        let moved = to - w.start.as_f64();
        let whole = moved.floor();
        pb.carry_days = moved - whole;
        if whole < 1.0 {
            return;
        }
        let width_days = w.end.0 - w.start.0;
        let mut start = w.start.0 + whole as i64;
        let end_of_story = ds.time_extent().map_or(w.end.0, |x| x.end.0);
        if start > end_of_story {
            pb.carry_days = 0.0;
            if pb.looping {
                start = ds.time_extent().map_or(start, |x| x.start.0);
            } else {
                pb.playing = false;
                return;
            }
        }
        self.window = TimeWindow::new(Day(start), Day(start + width_days));
        // The strip follows the window a page at a time.
        let (ws, we) = (start as f64, (start + width_days) as f64);
        if we > self.axis.end || ws < self.axis.start {
            self.axis.place_at(ws, 0.05);
        }
    }

    /// `+` / `-`: zooms the strip around the selected event, else the
    /// window's centre, when in view; else around the strip's centre.
    fn zoom_time(&mut self, ds: &Dataset, factor: f64) {
        let axis = &mut self.axis;
        let selected = match self.selection {
            Selection::Event(e) => Some(ds.event(e).time().anchor().as_f64()),
            _ => None,
        };
        let mid = (self.window.start.0 + self.window.end.0) as f64 / 2.0;
        let anchor = [selected, Some(mid)]
            .into_iter()
            .flatten()
            .find(|t| *t > axis.start && *t < axis.end)
            .unwrap_or_else(|| f64::midpoint(axis.start, axis.end));
        let x = axis.position(anchor) as f32;
        axis.zoom_at(x, factor, 0.0, 1.0);
    }

    /// The map is `rect` this frame: fit the camera on the first frame
    /// (unless it was restored), keep what was in view when the map is
    /// resized (the reader opened or closed), fit the data when asked.
    fn fit_camera(&mut self, ds: &Dataset, rect: egui::Rect) {
        let requested = std::mem::take(&mut self.map_fit.requested);
        if let Some(before) = self.map_fit.area
            && before.size() != rect.size()
        {
            let ratio = (rect.width() / before.width()).min(rect.height() / before.height());
            self.camera.scale = (self.camera.scale * f64::from(ratio))
                .clamp(MapCamera::MIN_SCALE, MapCamera::MAX_SCALE);
            self.map_fit.area = Some(rect);
        }
        if self.map_fit.area.is_none() {
            if std::mem::take(&mut self.map_fit.keep) {
                // Keep the remembered camera.
            } else if let Some((min, max)) = super::camera::core_region(ds) {
                self.camera = MapCamera::fit(rect, min, max, FIT_MARGIN);
            }
            self.map_fit.area = Some(rect);
        } else if requested {
            let mut places: Vec<PlaceIdx> = (0..ds.places.len() as u32)
                .map(PlaceIdx)
                .filter(|&p| self.place_count(p) > 0)
                .collect();
            if places.is_empty() {
                places = (0..ds.places.len() as u32).map(PlaceIdx).collect();
            }
            if let Some((min, max)) = super::camera::fit_places(ds, &places) {
                self.camera = MapCamera::fit(rect, min, max, FIT_MARGIN);
            }
        }
    }

    fn restore_camera(&mut self, camera: MapCamera) {
        self.camera = MapCamera {
            center: camera.center,
            scale: camera
                .scale
                .clamp(MapCamera::MIN_SCALE, MapCamera::MAX_SCALE),
        };
        // The camera is set: do not fit it to the data on the first frame.
        self.map_fit.area = None;
        self.map_fit.keep = true;
    }

    /// A remembered view; the strip's mode first, so that the remembered
    /// axis is spread as the mode wants.
    fn restore(&mut self, ds: &Dataset, v: super::SavedView) {
        if let Some(camera) = v.camera {
            self.restore_camera(camera);
        }
        if let Some(w) = v.window {
            self.window = w;
        }
        if let Some(mode) = v.strip_mode {
            self.strip_mode = mode;
            self.fit_warp(ds);
        }
        if let Some((a, b)) = v.axis {
            self.axis = TimeAxis::new(a, b).with_warp(self.home.warp.clone());
        }
        if let Some(rule) = v.rule {
            self.rule = rule;
        }
        if let Some(lanes) = v.lanes {
            self.lanes = lanes;
        }
        if let Some(clock) = v.clock {
            self.clock = clock;
        }
        if let Some(filter) = v.filter {
            self.filter = filter;
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
