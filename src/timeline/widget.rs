//! The time strip widget: ruler, event marks, and the time window.
//!
//! It draws on a copy of the state's [`TimeAxis`] and returns what the user
//! asked for: a new window ([`Action::SetWindow`]), the moved axis
//! ([`Action::Axis`]), the lanes, the clock, story time. Its own memory
//! ([`TimelineState`]) is what the state does not hold: a drag under way,
//! the typed dates, what was drawn last frame, drawing caches.
//!
//! Input contract: drag on the empty track draws a new window; drag inside
//! the window moves it, except while the window holds the whole story (as
//! at first start) or the whole strip, when it draws a new one, so the
//! first drag scrubs; drag either edge resizes it; drag on the ruler pans
//! the strip; the wheel zooms the strip around the pointer; double-click on
//! the ruler shows the whole story again. The window's bounds can also be
//! typed (EDTF or ISO) in the From / To fields.

use egui::{
    Align2, Color32, CornerRadius, FontId, Rect, Role, Sense, Stroke, StrokeKind, TextEdit, Ui,
    WidgetInfo, pos2, vec2,
};

use super::index::{SpanIndex, span_days};
use super::ticks::{TickUnit, ticks, unit_for};
use crate::model::{
    Category, Dataset, Day, EventIdx, EventRef, FuzzyTime, TimeBounds, TimeRef, TimeWindow,
    WindowRule,
};
use crate::state::axis::TimeAxis;
use crate::state::{Action, AppState, Clock, LaneMode, Playback, Selection};

/// What a drag on the strip is doing.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Drag {
    NewWindow { anchor: f64 },
    Move { grab: f64, len: f64 },
    ResizeStart,
    ResizeEnd,
    Pan,
}

/// The strip's own state, kept by the app between frames.
#[derive(Clone, Debug)]
// Independent view toggles (legend, titles, picture, measuring), not a state machine.
#[allow(clippy::struct_excessive_bools)]
pub struct TimelineState {
    drag: Option<Drag>,
    /// Show the legend of the marks.
    pub show_legend: bool,
    /// The lanes drawn in the last frame, with their events (for tests and
    /// the accessible description).
    pub lanes_shown: Vec<(String, Vec<EventIdx>)>,
    from_text: String,
    to_text: String,
    field_error: Option<String>,
    shown_window: Option<TimeWindow>,
    /// The lanes' events indexed by span, until the data, the filters, the
    /// lanes or the clock change.
    index: Option<std::sync::Arc<LaneIndex>>,
    /// The labels drawn in the last frame: event and rectangle (for tests
    /// and the accessible tree).
    pub labels_shown: Vec<(EventIdx, Rect, bool)>,
    /// Drawn for a picture (a briefing): the marks and the ruler, without
    /// the grip, the fields and the buttons.
    pub picture: bool,
    /// Draw titles on the strip (the *Titles* toggle; the bench turns them
    /// off to compare).
    pub titles: bool,
    /// How large the titles on the strip are, as a share of their usual
    /// size: 1 beside the map; larger when the strip has the map's room
    /// (a dataset without places), so that the titles read as a list does.
    pub text_scale: f32,
    /// The strip panel's height asked for from the keyboard or the grip,
    /// applied on the next frame.
    pub height_request: Option<f32>,
    /// The strip panel's height in the last frame (set by the app).
    pub panel_height: f32,
    /// How much taller the strip would need to be to give every mark in
    /// view a title row (`None`: titles off, or not measured: see
    /// [`Self::measure_room`]).
    pub room_wanted: Option<f32>,
    /// Measure [`Self::room_wanted`] this frame (the app asks only until
    /// the strip has grown once: it costs a third packing per lane).
    pub measure_room: bool,
    /// The density titles' candidates per lane, kept while the lanes, the
    /// axis and the lane's place stay the same (a scrub moves only the
    /// window, so its frames skip the search for each slot's event).
    density_cache: std::cell::RefCell<Vec<DensityCandidates>>,
}

/// What a lane's density titles may show: for each slot the event starting
/// in it with the most excerpts, as (weight, row, x, event).
#[derive(Clone, Debug)]
struct DensityCandidates {
    key: (LaneKey, [u32; 4], usize),
    axis: TimeAxis,
    list: Vec<(usize, usize, f32, EventIdx)>,
}

/// What [`LaneIndex`] was built for: the dataset's generation, lanes,
/// clock, filter generation.
type LaneKey = (u64, LaneMode, Clock, u64);

/// Every lane's events (and all of them, for the ruler's band) by span.
#[derive(Debug)]
struct LaneIndex {
    key: LaneKey,
    /// All events through the filters; `None` when the one lane holds them.
    all: Option<SpanIndex>,
    lanes: Vec<SpanIndex>,
}

impl LaneIndex {
    fn all(&self) -> Option<&SpanIndex> {
        self.all.as_ref().or(self.lanes.first())
    }
}

impl Default for TimelineState {
    fn default() -> Self {
        Self::new()
    }
}

impl TimelineState {
    /// The strip's memory before its first frame: titles on, no legend.
    #[must_use]
    pub fn new() -> Self {
        Self {
            drag: None,
            show_legend: false,
            lanes_shown: Vec::new(),
            from_text: String::new(),
            to_text: String::new(),
            field_error: None,
            shown_window: None,
            index: None,
            labels_shown: Vec::new(),
            titles: true,
            text_scale: 1.0,
            picture: false,
            height_request: None,
            panel_height: 0.0,
            room_wanted: None,
            measure_room: false,
            density_cache: std::cell::RefCell::new(Vec::new()),
        }
    }
}

/// The unit the ruler labels use at `axis`'s zoom, for a strip `width` wide.
#[must_use]
pub fn tick_unit(axis: &TimeAxis, width: f32) -> TickUnit {
    unit_for(axis, width, LABEL_MIN_PX)
}

const LABEL_MIN_PX: f32 = 64.0;
/// The size of the titles on the strip.
const LABEL_FONT: f32 = 10.5;
/// At most this much room is kept beside a mark for its title when packing.
const LABEL_ROOM: f32 = 150.0;
/// A title shorter than this (ellipsised) is not drawn.
const LABEL_MIN_W: f32 = 34.0;
const RULER_H: f32 = 22.0;
const ROW_H: f32 = 15.0;
/// Room above a lane's first row.
const LANE_PAD: f32 = 5.0;
const EDGE_GRAB_PX: f32 = 6.0;
/// How many marks the strip draws one by one (each a widget with an
/// accessible name) at most; a lane with more in view shows their density.
const MAX_MARKS: usize = 600;

/// The time strip, shown with [`TimeStrip::show`].
pub struct TimeStrip<'a> {
    ds: &'a Dataset,
    app: &'a AppState,
    in_window: &'a [bool],
    /// Per event: does it pass the facet filters?
    passes: &'a [bool],
    /// When each event was first reported (for the "reported" clock).
    reported: Option<&'a [Option<FuzzyTime>]>,
    /// The strip's own memory between frames.
    memory: &'a mut TimelineState,
    /// The axis this frame draws on: the state's, moved by this frame's
    /// drag, wheel or typed dates (returned as [`Action::Axis`] when moved).
    axis: TimeAxis,
    /// Events in the window and through the filters, if known.
    counts: Option<(usize, usize)>,
    /// Changes whenever `passes` changes (0: unknown, rebuild every frame).
    filter_gen: u64,
}

impl TimeStrip<'_> {
    /// The size of the titles on the strip.
    fn label_font(&self) -> f32 {
        LABEL_FONT * self.memory.text_scale.clamp(1.0, 2.0)
    }

    /// The height of one row of marks and titles.
    fn row_h(&self) -> f32 {
        ROW_H * self.memory.text_scale.clamp(1.0, 2.0)
    }

    /// At most this much room is kept beside a mark for its title.
    fn label_room(&self) -> f32 {
        LABEL_ROOM * self.memory.text_scale.clamp(1.0, 2.0)
    }
}

/// The (start, end) day range a time is drawn over; open ends reach the
/// strip's edge (`lo`, `hi`).
fn draw_range(t: &TimeBounds, lo: f64, hi: f64) -> (f64, f64) {
    let start = t.earliest().map_or(lo, Day::as_f64);
    let end = t.latest().map_or(hi, |d| d.as_f64() + 1.0);
    (start, end)
}

impl<'a> TimeStrip<'a> {
    /// A strip for `ds` showing the app's window, selection, lanes and clock;
    /// `reported` holds each event's reported time (needed for that clock).
    #[must_use]
    pub fn new(
        ds: &'a Dataset,
        app: &'a AppState,
        in_window: &'a [bool],
        passes: &'a [bool],
        reported: Option<&'a [Option<FuzzyTime>]>,
        memory: &'a mut TimelineState,
    ) -> Self {
        Self {
            ds,
            app,
            in_window,
            passes,
            reported,
            memory,
            axis: app.axis.clone(),
            counts: None,
            filter_gen: 0,
        }
    }

    /// Tells the strip how many events are in the window and through the
    /// filters, and the generation of `passes` (so that its indexes are
    /// rebuilt only when the filters change).
    #[must_use]
    pub fn with_counts(mut self, in_window: usize, shown: usize, filter_gen: u64) -> Self {
        self.counts = Some((in_window, shown));
        self.filter_gen = filter_gen;
        self
    }

    /// The time of an event on the strip's clock (`None`: not reported with a date).
    fn time_of(&self, i: usize) -> Option<TimeRef<'a>> {
        match self.app.clock {
            Clock::Happened => self
                .ds
                .events
                .try_get(EventIdx(i as u32))
                .map(EventRef::time),
            Clock::Reported => self
                .reported
                .and_then(|r| r.get(i))
                .and_then(Option::as_ref)
                .map(FuzzyTime::as_ref),
        }
    }

    /// The lanes' names and members (in index order), and their indexes,
    /// rebuilt only when the data, the filters, the lanes or the clock change.
    fn lane_index(&mut self) -> std::sync::Arc<LaneIndex> {
        let key: LaneKey = (
            self.ds.generation(),
            self.app.lanes,
            self.app.clock,
            self.filter_gen,
        );
        if let Some(index) = &self.memory.index
            && index.key == key
            && self.filter_gen != 0
        {
            return index.clone();
        }
        let names: Vec<String> = match self.app.lanes {
            LaneMode::None => vec![String::new()],
            LaneMode::Source => self
                .ds
                .sources
                .iter()
                .map(|source| format!("{} ({})", source.outlet, source.perspective))
                .collect(),
            LaneMode::Category => Category::ALL
                .iter()
                .map(|c| c.as_str().to_owned())
                .collect(),
        };
        let mut members: Vec<Vec<EventIdx>> = vec![Vec::new(); names.len()];
        for e in self.ds.event_indices() {
            if !self.passes.get(e.index()).copied().unwrap_or(true) {
                continue;
            }
            let event = self.ds.event(e);
            match self.app.lanes {
                LaneMode::None => members[0].push(e),
                LaneMode::Source => {
                    for (s, lane) in members.iter_mut().enumerate() {
                        if event.excerpts().iter().any(|x| x.source.index() == s) {
                            lane.push(e);
                        }
                    }
                }
                LaneMode::Category => {
                    if let Some(k) = Category::ALL.iter().position(|&c| c == event.category()) {
                        members[k].push(e);
                    }
                }
            }
        }
        let weight =
            |e: EventIdx| self.ds.event(e).excerpts().len().min(usize::from(u16::MAX)) as u16;
        let spans = |list: &[EventIdx]| {
            SpanIndex::weighted(
                list.iter()
                    .filter_map(|&e| self.time_of(e.index()).map(|t| (e, span_days(&t)))),
                weight,
            )
        };
        let mut shown = Vec::with_capacity(names.len());
        let mut lanes = Vec::with_capacity(names.len());
        for (name, list) in names.into_iter().zip(members) {
            if self.app.lanes == LaneMode::Category && list.is_empty() {
                continue;
            }
            lanes.push(spans(&list));
            shown.push((name, list));
        }
        let all = (self.app.lanes != LaneMode::None).then(|| {
            SpanIndex::new(self.ds.event_indices().filter_map(|e| {
                if !self.passes.get(e.index()).copied().unwrap_or(true) {
                    return None;
                }
                self.time_of(e.index()).map(|t| (e, span_days(&t)))
            }))
        });
        self.memory.lanes_shown = shown;
        let index = std::sync::Arc::new(LaneIndex { key, all, lanes });
        self.memory.index = Some(index.clone());
        index
    }

    /// Draws the strip and returns what the user asked for.
    pub fn show(mut self, ui: &mut Ui) -> Vec<Action> {
        let mut actions = self.draw(ui);
        if self.axis != self.app.axis {
            actions.push(Action::Axis(self.axis));
        }
        actions
    }

    /// Draws the strip; the axis it moved stays in `self.axis`.
    fn draw(&mut self, ui: &mut Ui) -> Vec<Action> {
        let mut actions = Vec::new();
        if self.memory.picture {
            ui.add_space(4.0);
        } else {
            self.grip(ui);
            self.fields(ui, &mut actions);
            self.controls(ui, &mut actions);
            ui.add_space(4.0);
        }
        let rect = ui.available_rect_before_wrap();
        let rect = Rect::from_min_max(
            rect.min,
            pos2(rect.max.x, rect.max.y.max(rect.min.y + 60.0)),
        );
        ui.allocate_rect(rect, Sense::hover());
        // Lanes are named in a gutter left of the track, never over the marks.
        let lane_index = self.lane_index();
        let gutter = if self.app.lanes == LaneMode::None {
            0.0
        } else {
            let widest = self
                .memory
                .lanes_shown
                .iter()
                .map(|(name, _)| {
                    ui.painter()
                        .layout_no_wrap(name.clone(), FontId::proportional(11.0), Color32::WHITE)
                        .size()
                        .x
                })
                .fold(0.0, f32::max);
            (widest + 14.0).clamp(60.0, (rect.width() * 0.2).clamp(60.0, 220.0))
        };
        let full = rect;
        let rect = Rect::from_min_max(pos2(full.min.x + gutter, full.min.y), full.max);
        let (left, right) = (rect.left() + 8.0, rect.right() - 8.0);
        let ruler = Rect::from_min_max(rect.min, pos2(rect.max.x, rect.min.y + RULER_H));
        let track = Rect::from_min_max(pos2(rect.min.x, ruler.max.y), rect.max);
        let visuals = ui.visuals().clone();
        let dark = visuals.dark_mode;
        let accent = crate::style::accent(dark);
        let highlight = crate::style::highlight(dark);
        let dim = visuals.weak_text_color();
        let text = visuals.text_color();
        let id = ui.scope_id().with("time-strip");

        // The strip's own interaction, under the marks.
        // The ruler's node for a screen reader, under the strip's own
        // interaction (which stays on top for the pointer); its words are
        // given once the ticks are drawn.
        let ruler_node = ui.interact(ruler, id.with("ruler"), Sense::hover());
        let strip = ui.interact(rect, id, Sense::click_and_drag());
        let (ws, we) = (
            self.axis
                .x_from_time(self.app.window.start.as_f64(), left, right),
            self.axis
                .x_from_time(self.app.window.end.as_f64() + 1.0, left, right),
        );
        let window_label = format!(
            "Time window from {} to {}: drag the track to draw a new window, drag inside to move it (while it holds the whole story, a drag draws a new one), drag its edges to resize; drag the ruler to pan",
            self.app.window.start.label(),
            self.app.window.end.label()
        );
        strip.widget_info(|| WidgetInfo::labeled(Role::Slider, true, &window_label));
        // A window that holds the whole story (as at first start) or the
        // whole visible strip cannot usefully move: a drag inside it draws
        // a new window, so that the first drag scrubs.
        let holds_everything = (ws <= left + 1.0 && we >= right - 1.0)
            || self
                .ds
                .time_extent()
                .is_some_and(|x| self.app.window.start <= x.start && self.app.window.end >= x.end);
        if strip.drag_started()
            && let Some(origin) = ui.input(|i| i.pointer.press_origin())
        {
            let t = self.axis.time_from_x(origin.x, left, right);
            self.memory.drag = Some(if ruler.contains(origin) {
                Drag::Pan
            } else if (origin.x - ws).abs() <= EDGE_GRAB_PX {
                Drag::ResizeStart
            } else if (origin.x - we).abs() <= EDGE_GRAB_PX {
                Drag::ResizeEnd
            } else if origin.x > ws && origin.x < we && !holds_everything {
                Drag::Move {
                    grab: t - self.app.window.start.as_f64(),
                    len: (self.app.window.end.0 - self.app.window.start.0) as f64,
                }
            } else {
                Drag::NewWindow { anchor: t }
            });
        }
        if strip.dragged()
            && let (Some(drag), Some(pos)) = (self.memory.drag, strip.interact_pointer_pos())
        {
            let t = self.axis.time_from_x(pos.x, left, right);
            let day = Day::at;
            let new_window = match drag {
                Drag::Pan => {
                    self.axis.pan(strip.drag_delta().x, right - left);
                    None
                }
                Drag::NewWindow { anchor } => Some(TimeWindow::new(day(anchor), day(t))),
                Drag::Move { grab, len } => {
                    let start = t - grab;
                    Some(TimeWindow::new(day(start), day(start + len)))
                }
                Drag::ResizeStart => Some(TimeWindow::new(day(t), self.app.window.end)),
                Drag::ResizeEnd => Some(TimeWindow::new(self.app.window.start, day(t))),
            };
            if let Some(w) = new_window {
                actions.push(Action::SetWindow(w));
            }
        }
        if strip.drag_stopped() {
            self.memory.drag = None;
        }
        if let Some(hover) = strip.hover_pos() {
            let scroll = ui.input(|i| i.smooth_scroll_delta().y);
            let zoom = ui.input(egui::InputState::zoom_delta);
            let factor = f64::from(zoom) * (f64::from(scroll) / 200.0).exp();
            if (factor - 1.0).abs() > 1e-4 {
                self.axis.zoom_at(hover.x, factor, left, right);
            }
        }
        if strip.double_clicked()
            && strip
                .interact_pointer_pos()
                .is_some_and(|p| ruler.contains(p))
        {
            self.axis = self.app.home.clone();
        }

        let painter = ui.painter_at(rect);
        let gutter_painter = ui.painter_at(full);
        gutter_painter.rect_filled(full, CornerRadius::same(4), visuals.faint_bg_color);
        painter.rect_filled(rect, CornerRadius::same(4), visuals.extreme_bg_color);
        painter.rect_filled(ruler, CornerRadius::same(4), visuals.faint_bg_color);

        // Eras (named spans of time, as TimelineJS has them): shaded bands
        // behind the marks, named at their top left.
        for (i, era) in self.ds.eras.iter().enumerate() {
            let (lo, hi) = draw_range(&era.time, self.axis.start, self.axis.end);
            let x0 = self.axis.x_from_time(lo, left, right).max(rect.left());
            let x1 = self
                .axis
                .x_from_time(hi + 1.0, left, right)
                .min(rect.right());
            if x1 <= x0 {
                continue;
            }
            let band = Rect::from_min_max(pos2(x0, track.min.y), pos2(x1, track.max.y));
            let tint = if i % 2 == 0 {
                Color32::from_rgb(110, 140, 200)
            } else {
                Color32::from_rgb(170, 130, 200)
            };
            painter.rect_filled(band, 0.0, tint.gamma_multiply(0.12));
            let galley = painter.layout_no_wrap(
                era.title.clone(),
                FontId::proportional(11.0),
                visuals.weak_text_color(),
            );
            if galley.size().x + 6.0 < band.width() {
                painter.galley(band.min + vec2(3.0, 2.0), galley, visuals.weak_text_color());
            }
        }

        // Ticks, piece by piece: each linear stretch of the axis gets the
        // unit its own scale can label (plus the next finer unit fading in);
        // story time's squeezed stretches get a break mark instead, and the
        // first label after a break names its year, so every jump is read.
        let mut last_label_end = f32::NEG_INFINITY;
        let mut after_break = false;
        let mut breaks_named = 0;
        let mut last_jump_label = String::new();
        // The labels drawn on the ruler, for the accessible description.
        let mut ruler_words: Vec<String> = Vec::new();
        for piece in self.axis.pieces() {
            let x0 = self.axis.x_from_time(piece.from, left, right);
            let x1 = self.axis.x_from_time(piece.to, left, right);
            if piece.squeezed {
                after_break = true;
                if breaks_named < 64 {
                    breaks_named += 1;
                    Self::break_mark(ui, &painter, (x0, x1), (ruler, track), piece, id);
                }
                // Where the axis has jumped to: the year of the day after
                // the break (an event's start), so the jump is never silent.
                if x1 > last_label_end + 4.0
                    && x1 >= left - 2.0
                    && x1 < right - 24.0
                    && piece.to < self.axis.end
                {
                    let year = super::ticks::year_label(Day::at(piece.to).year());
                    if year != last_jump_label {
                        let r = painter.text(
                            pos2(x1 + 2.0, ruler.center().y),
                            Align2::LEFT_CENTER,
                            &year,
                            FontId::proportional(11.0),
                            text.gamma_multiply(0.75),
                        );
                        last_label_end = r.max.x;
                        ruler_words.push(format!("after a break, {year}"));
                        last_jump_label = year;
                    }
                }
                continue;
            }
            // A linear axis over the piece, at the piece's own scale.
            let sub = TimeAxis::new(piece.from, piece.to);
            let px_per_day = f64::from((x1 - x0).max(1.0)) / (piece.to - piece.from).max(1e-9);
            let unit = unit_for(&sub, (px_per_day * sub.span_days()) as f32, LABEL_MIN_PX);
            let inside = |d: Day| d.as_f64() >= piece.from && d.as_f64() < piece.to;
            let finer = unit.finer();
            if let Some(f) = finer {
                let spacing = (f.approx_days() * px_per_day) as f32;
                let alpha = ((spacing - 4.0) / 30.0).clamp(0.0, 1.0);
                if alpha > 0.0 {
                    for t in ticks(&sub, f, 1).into_iter().filter(|t| inside(t.day)) {
                        let x = self.axis.x_from_time(t.day.as_f64(), left, right);
                        painter.line_segment(
                            [pos2(x, ruler.max.y - 5.0), pos2(x, ruler.max.y)],
                            Stroke::new(1.0, dim.gamma_multiply(alpha * 0.6)),
                        );
                    }
                }
            }
            let spacing = (unit.approx_days() * px_per_day) as f32;
            let label_alpha =
                ((spacing - LABEL_MIN_PX * 0.8) / (LABEL_MIN_PX * 0.4)).clamp(0.35, 1.0);
            for t in ticks(&sub, unit, 1).into_iter().filter(|t| inside(t.day)) {
                let x = self.axis.x_from_time(t.day.as_f64(), left, right);
                painter.line_segment(
                    [pos2(x, ruler.min.y + 3.0), pos2(x, rect.max.y)],
                    Stroke::new(1.0, dim.gamma_multiply(0.18)),
                );
                painter.line_segment(
                    [pos2(x, ruler.max.y - 8.0), pos2(x, ruler.max.y)],
                    Stroke::new(1.0, dim),
                );
                if x > last_label_end + 4.0 && x >= left - 2.0 {
                    let label = if after_break && unit == TickUnit::Day {
                        format!("{} {}", t.label, super::ticks::year_label(t.day.year()))
                    } else {
                        t.label.clone()
                    };
                    let r = painter.text(
                        pos2(x + 3.0, ruler.center().y),
                        Align2::LEFT_CENTER,
                        &label,
                        FontId::proportional(11.5),
                        text.gamma_multiply(label_alpha),
                    );
                    last_label_end = r.max.x;
                    after_break = false;
                    ruler_words.push(label);
                }
            }
        }

        // The ruler as a screen reader hears it: its labels, left to right.
        let ruler_words = format!(
            "Time ruler, in {}: {}",
            tick_unit(&self.axis, right - left).as_str(),
            ruler_words.join("; ")
        );
        ruler_node.widget_info(|| WidgetInfo::labeled(Role::Label, true, &ruler_words));

        // Density: how many events (on this clock, through the filters) touch
        // each column, log-scaled, along the foot of the ruler. Readable at
        // 30 events and at a million: the marks above give way to it when
        // they no longer fit.
        {
            let width_px = (right - left).max(1.0) as usize;
            let mut counts = Vec::with_capacity(width_px);
            if let Some(all) = lane_index.all() {
                all.columns(&self.axis, (left, right), width_px, &mut counts);
            }
            let peak = counts.iter().copied().max().unwrap_or(0);
            if peak > 0 {
                let band_h = 6.0;
                let base = ruler.max.y - 1.0;
                bars(
                    &painter,
                    &counts,
                    (left, base),
                    |c| band_h * ((c as f32).ln_1p() / (peak as f32).ln_1p()).max(0.15),
                    accent.gamma_multiply(0.45),
                );
            }
        }

        // Outside the window: shaded. The window: edges with grips.
        let shade = if dark {
            Color32::from_black_alpha(110)
        } else {
            Color32::from_black_alpha(28)
        };
        let (cws, cwe) = (
            ws.clamp(rect.left(), rect.right()),
            we.clamp(rect.left(), rect.right()),
        );
        painter.rect_filled(
            Rect::from_min_max(track.min, pos2(cws, track.max.y)),
            0.0,
            shade,
        );
        painter.rect_filled(
            Rect::from_min_max(pos2(cwe, track.min.y), track.max),
            0.0,
            shade,
        );
        let window_rect = Rect::from_min_max(pos2(cws, track.min.y), pos2(cwe, track.max.y));
        painter.rect_stroke(
            window_rect,
            2.0,
            Stroke::new(1.5, highlight.gamma_multiply(0.9)),
            StrokeKind::Inside,
        );
        for x in [ws, we] {
            if x >= rect.left() && x <= rect.right() {
                let grip = Rect::from_center_size(pos2(x, track.center().y), vec2(6.0, 22.0));
                painter.rect_filled(grip, 2.0, highlight);
            }
        }

        // Marks, packed into rows so that none hides another; rows shrink
        // (down to a few points) rather than letting marks overlap.
        // Lanes: one track, or one per source / category; each lane packs
        // its marks into rows (at least 4 points high), and what finds no
        // row is counted into a density band at the lane's foot.
        let lane_count = lane_index.lanes.len();
        let lane_h = track.height() / lane_count.max(1) as f32;
        let mut marks_at: std::collections::HashMap<EventIdx, Rect> =
            std::collections::HashMap::new();
        let mark_limit = (MAX_MARKS / lane_count.max(1)).max(40);
        let mut labels: Vec<(EventIdx, Rect, bool)> = Vec::new();
        let mut rows_wanted = 0;
        for (lane_no, spans) in lane_index.lanes.iter().enumerate() {
            let lane_name = self
                .memory
                .lanes_shown
                .get(lane_no)
                .map(|(name, _)| name.clone())
                .unwrap_or_default();
            let lane = Rect::from_min_max(
                pos2(track.min.x, track.min.y + lane_no as f32 * lane_h),
                pos2(track.max.x, track.min.y + (lane_no + 1) as f32 * lane_h),
            );
            if lane_no > 0 {
                painter.line_segment(
                    [lane.left_top(), lane.right_top()],
                    Stroke::new(1.0, dim.gamma_multiply(0.4)),
                );
            }
            rows_wanted = rows_wanted.max(self.lane_marks(
                ui,
                &painter,
                lane,
                (left, right),
                (spans, mark_limit),
                &mut marks_at,
                &mut labels,
                &mut actions,
            ));
            if !lane_name.is_empty() {
                let area = Rect::from_min_max(
                    pos2(full.min.x + 4.0, lane.min.y + 3.0),
                    pos2(rect.min.x - 4.0, lane.max.y - 2.0),
                );
                let mut job = egui::text::LayoutJob::single_section(
                    lane_name.clone(),
                    egui::TextFormat::simple(FontId::proportional(11.0), text),
                );
                job.wrap = egui::text::TextWrapping {
                    max_width: area.width(),
                    max_rows: ((area.height() / 13.0).floor() as usize).max(1),
                    break_anywhere: false,
                    overflow_character: Some('…'),
                };
                let galley = gutter_painter.layout_job(job);
                gutter_painter.galley(area.min, galley, text);
                let r = ui.interact(area, id.with(("lane", lane_no)), Sense::hover());
                r.widget_info(|| {
                    WidgetInfo::labeled(Role::Label, true, format!("Lane: {lane_name}"))
                });
            }
        }

        // How much taller the strip would have to be for a title row for
        // every mark in every lane (the app grows it so at first start).
        self.memory.room_wanted = (rows_wanted > 0).then(|| {
            let lane_wants = rows_wanted as f32 * self.row_h() + LANE_PAD + 3.0;
            (lane_wants * lane_count.max(1) as f32 - track.height()).max(0.0)
        });

        // Cause → response links of the selected event, as arrows between marks.
        if let Selection::Event(sel) = self.app.selection {
            for (from, to) in self.ds.links_of(sel) {
                if let (Some(cause), Some(effect)) = (marks_at.get(&from), marks_at.get(&to)) {
                    let (pa, pb) = (cause.center_top(), effect.center_top());
                    let rise = vec2(0.0, -((pb.x - pa.x).abs() * 0.15).clamp(8.0, 30.0));
                    let control = pos2(f32::midpoint(pa.x, pb.x), pa.y.min(pb.y)) + rise;
                    let curve = egui::epaint::QuadraticBezierShape::from_points_stroke(
                        [pa, control, pb],
                        false,
                        Color32::TRANSPARENT,
                        Stroke::new(1.5, highlight),
                    );
                    let points = curve.flatten(Some(0.5));
                    painter.add(egui::Shape::line(
                        points.clone(),
                        Stroke::new(1.5, highlight),
                    ));
                    if points.len() >= 2 {
                        let tip = points[points.len() - 1];
                        let dir = (tip - points[points.len().saturating_sub(4)]).normalized();
                        let across = vec2(-dir.y, dir.x);
                        painter.add(egui::Shape::convex_polygon(
                            vec![
                                tip,
                                tip - dir * 7.0 + across * 3.5,
                                tip - dir * 7.0 - across * 3.5,
                            ],
                            highlight,
                            Stroke::NONE,
                        ));
                    }
                }
            }
        }

        self.memory.labels_shown = labels;
        if self.memory.show_legend {
            legend(&painter, track, &visuals, accent);
        }
        actions
    }

    /// Over a density band: the titles of the best-attested event starting
    /// in each stretch of the strip, in `rows` rows of text, staggered, none
    /// touching another; each is a button that selects its event.
    fn density_labels(
        &self,
        ui: &mut Ui,
        painter: &egui::Painter,
        (area, rows, band_top): (Rect, usize, f32),
        (spans, note): (&SpanIndex, Rect),
        labels: &mut Vec<(EventIdx, Rect, bool)>,
        actions: &mut Vec<Action>,
    ) {
        const SLOT: f32 = 100.0;
        let visuals = ui.visuals().clone();
        let (left, right) = (area.left(), area.right());
        let axis = &self.axis;
        let highlight = crate::style::highlight(visuals.dark_mode);
        let accent = crate::style::accent(visuals.dark_mode);
        // Candidates: (selected?, weight, row, x of the event, event).
        let key = self
            .memory
            .index
            .as_ref()
            .filter(|_| self.filter_gen != 0)
            .map(|index| {
                let place = [left, right, area.min.y, band_top].map(f32::to_bits);
                (index.key, place, rows)
            });
        let mut cache = self.memory.density_cache.borrow_mut();
        let cached = key.and_then(|key| {
            cache
                .iter()
                .find(|c| c.key == key && c.axis == *axis)
                .map(|c| c.list.clone())
        });
        let list = cached.unwrap_or_else(|| {
            let mut list = Vec::new();
            for row in 0..rows {
                let mut x = left + row as f32 * SLOT / rows as f32 - SLOT;
                while x < right {
                    let (t0, t1) = (
                        axis.time_from_x(x.max(left), left, right),
                        axis.time_from_x((x + SLOT).min(right), left, right),
                    );
                    if let Some((e, start)) = spans.heaviest_starting(t0, t1) {
                        let ex = axis.x_from_time(start as f64, left, right);
                        list.push((self.ds.event(e).excerpts().len(), row, ex, e));
                    }
                    x += SLOT;
                }
            }
            if let Some(key) = key {
                // One entry per lane place; an old axis's entry is replaced.
                cache.retain(|c| c.key != key);
                if cache.len() >= 16 {
                    cache.remove(0);
                }
                cache.push(DensityCandidates {
                    key,
                    axis: axis.clone(),
                    list: list.clone(),
                });
            }
            list
        });
        drop(cache);
        let mut candidates: Vec<(bool, usize, usize, f32, EventIdx)> = list
            .into_iter()
            .map(|(weight, row, ex, e)| {
                (
                    self.app.selection == Selection::Event(e),
                    weight,
                    row,
                    ex,
                    e,
                )
            })
            .collect();
        candidates.sort_by(|a, b| b.0.cmp(&a.0).then(b.1.cmp(&a.1)).then(a.3.total_cmp(&b.3)));
        let mut taken: Vec<Vec<(f32, f32)>> = vec![Vec::new(); rows];
        taken[0].push((note.min.x - 4.0, note.max.x));
        let mut named: std::collections::HashSet<EventIdx> = std::collections::HashSet::new();
        let id = ui
            .scope_id()
            .with("time-strip-titles")
            .with(area.min.y as i32);
        for (selected, _, row, ex, e) in candidates {
            if named.contains(&e) {
                continue;
            }
            let x = ex + 3.0;
            let limit = taken[row]
                .iter()
                .filter(|o| o.1 > x - 4.0)
                .map(|o| o.0.max(x))
                .fold(right, f32::min)
                - 4.0;
            if taken[row].iter().any(|o| o.0 < x && o.1 > x - 4.0) {
                continue;
            }
            let event = self.ds.event(e);
            let galley = elided(
                painter,
                (event.title(), self.label_font()),
                (limit - x).min(self.label_room()),
            );
            if galley.size().x < LABEL_MIN_W.min(limit - x) || limit - x < LABEL_MIN_W {
                continue;
            }
            let whole = !galley.elided;
            let y = area.min.y + row as f32 * self.row_h();
            let r = Rect::from_min_size(pos2(x, y), vec2(galley.size().x, self.row_h() - 1.0));
            taken[row].push((ex - 2.0, r.max.x));
            named.insert(e);
            let color = if selected {
                highlight
            } else {
                visuals.text_color()
            };
            painter.line_segment(
                [pos2(ex, r.center().y), pos2(ex, band_top)],
                Stroke::new(1.0, accent.gamma_multiply(0.5)),
            );
            painter.circle_filled(pos2(ex, r.center().y), 2.0, accent);
            painter.galley_with_override_text_color(
                pos2(x, r.center().y - galley.size().y / 2.0),
                galley,
                color,
            );
            let hit = r.union(Rect::from_center_size(
                pos2(ex, r.center().y),
                vec2(5.0, 5.0),
            ));
            let resp = ui.interact(hit, id.with(e.index()), Sense::click());
            let time = event.time().display();
            crate::style::name_button(
                &resp,
                &format!("Event: {}, {time}", event.title()),
                selected,
            );
            if resp.has_focus() {
                full_title(
                    painter,
                    &visuals,
                    hit,
                    &format!("{} · {time}", event.title()),
                );
            }
            let resp = resp.on_hover_text(format!("{} · {time}", event.title()));
            if resp.clicked() {
                actions.push(Action::SelectEvent(e));
            }
            labels.push((e, r, whole));
        }
    }

    /// A squeezed stretch of story time: two slanted strokes on the ruler,
    /// a dashed line down the track, and its length in words (on hover, and
    /// for a screen reader).
    fn break_mark(
        ui: &Ui,
        painter: &egui::Painter,
        (x0, x1): (f32, f32),
        (ruler, track): (Rect, Rect),
        piece: crate::state::axis::Piece,
        id: egui::Id,
    ) {
        let visuals = ui.visuals();
        let dim = visuals.weak_text_color();
        let cx = f32::midpoint(x0, x1);
        let bg = visuals.faint_bg_color;
        let gap = Rect::from_min_max(
            pos2(cx - 4.0, ruler.min.y + 2.0),
            pos2(cx + 4.0, ruler.max.y),
        );
        painter.rect_filled(gap, 0.0, bg);
        for dx in [-3.0, 2.0] {
            painter.line_segment(
                [
                    pos2(cx + dx - 2.0, ruler.max.y - 3.0),
                    pos2(cx + dx + 2.0, ruler.min.y + 5.0),
                ],
                Stroke::new(1.3, dim),
            );
        }
        let mut y = track.min.y;
        while y < track.max.y {
            painter.line_segment(
                [pos2(cx, y), pos2(cx, (y + 3.0).min(track.max.y))],
                Stroke::new(1.0, dim.gamma_multiply(0.5)),
            );
            y += 6.0;
        }
        let (from, to) = (Day::at(piece.from), Day::at(piece.to.ceil()));
        let words = format!(
            "Break in story time: no event starts between {} and {} ({}), squeezed",
            from.label(),
            to.label(),
            human_span(piece.to - piece.from)
        );
        let hit = Rect::from_min_max(pos2(cx - 5.0, ruler.min.y), pos2(cx + 5.0, ruler.max.y));
        let r = ui.interact(hit, id.with(("break", from.0)), Sense::hover());
        r.widget_info(|| WidgetInfo::labeled(Role::Label, true, &words));
        r.on_hover_text(words);
    }

    /// Draws one lane's marks (and its density band when they overflow),
    /// recording where each mark stands for the link arrows.
    #[allow(
        clippy::too_many_arguments,
        reason = "the lane, its x range, its members and the two outputs are each needed"
    )]
    fn lane_marks(
        &self,
        ui: &mut Ui,
        painter: &egui::Painter,
        lane: Rect,
        (left, right): (f32, f32),
        (spans, limit): (&SpanIndex, usize),
        marks_at: &mut std::collections::HashMap<EventIdx, Rect>,
        labels: &mut Vec<(EventIdx, Rect, bool)>,
        actions: &mut Vec<Action>,
    ) -> usize {
        let visuals = ui.visuals().clone();
        let dark = visuals.dark_mode;
        let accent = crate::style::accent(dark);
        let highlight = crate::style::highlight(dark);
        let dim = visuals.weak_text_color();
        let text = visuals.text_color();
        let text_color = |inside: bool| if inside { text } else { dim };
        let id = ui.scope_id().with("time-strip").with(lane.min.y as i32);
        let (lo, hi) = (self.axis.start, self.axis.end);
        let band_h = 12.0_f32.min(lane.height() * 0.3);
        let top_pad = LANE_PAD;
        let rows_space = (lane.height() - top_pad - band_h - 4.0).max(4.0);
        let max_rows = ((rows_space / 4.0).floor() as usize).max(1);
        let width_px = (right - left).max(1.0) as usize;
        // Columns covered by the marks that found no row; the marks placed
        // (event, left, right, a point?, row); each row's right end.
        let overflowing: Vec<(usize, usize)>;
        let placed: Vec<(usize, f32, f32, bool, usize)>;
        let row_end: Vec<f32>;
        // Too many in view to draw one by one: the lane shows their density.
        let in_view = spans.count_between(lo, hi);
        if in_view > limit {
            // Titles of the best-attested events in view along the top,
            // the density below them.
            let title_rows = if self.memory.titles {
                (((lane.height() - top_pad) * 0.55 / self.row_h()).floor() as usize).min(4)
            } else {
                0
            };
            let rows_bottom = lane.min.y + top_pad + title_rows as f32 * self.row_h();
            let band = Rect::from_min_max(pos2(left, rows_bottom), pos2(right, lane.max.y - 2.0));
            let mut counts = Vec::with_capacity(width_px);
            spans.columns(&self.axis, (left, right), width_px, &mut counts);
            let peak = counts.iter().copied().max().unwrap_or(1).max(1) as f32;
            bars(
                painter,
                &counts,
                (left, band.max.y),
                |c| band.height() * ((c as f32).ln_1p() / peak.ln_1p()).max(0.05),
                accent.gamma_multiply(0.55),
            );
            let note = format!("{in_view} events in view: zoom in to see each (density)");
            // A screen reader lists the band too, with the same words.
            let r = ui.interact(band, id.with("density"), Sense::hover());
            r.widget_info(|| WidgetInfo::labeled(Role::Label, true, &note));
            let note_rect = painter.text(
                pos2(right - 4.0, lane.min.y + 2.0),
                Align2::RIGHT_TOP,
                note,
                FontId::proportional(10.5),
                dim,
            );
            if title_rows > 0 {
                let rows =
                    Rect::from_min_max(pos2(left, lane.min.y + top_pad), pos2(right, rows_bottom));
                self.density_labels(
                    ui,
                    painter,
                    (rows, title_rows, band.min.y),
                    (spans, note_rect),
                    labels,
                    actions,
                );
            }
            return 0;
        }
        let mut members = Vec::with_capacity(in_view + 8);
        spans.between(lo, hi, &mut members);
        // Pack in event order (when it happened, then id), as the strip
        // always has: the index's own order would favour early starts, and
        // under the reported clock open-ended spans would crowd out the days.
        members.sort_unstable();
        // Each mark's extent, and the room its title wants to its right.
        let title_font = FontId::proportional(self.label_font());
        let mut geometry: Vec<(usize, f32, f32, bool, f32)> = Vec::with_capacity(members.len());
        for &e in &members {
            let i = e.index();
            let Some(time) = self.time_of(i) else {
                continue;
            };
            let (from_day, to_day) = draw_range(&time, lo - 1.0, hi + 1.0);
            if from_day > hi || to_day < lo {
                continue;
            }
            let x0 = self.axis.x_from_time(from_day, left, right);
            let x1 = self.axis.x_from_time(to_day, left, right);
            let point = time.is_single_day() || x1 - x0 < 5.0;
            let (a, b) = if point {
                (f32::midpoint(x0, x1) - 3.0, f32::midpoint(x0, x1) + 3.0)
            } else {
                (x0, x1)
            };
            let title_w = if self.memory.titles {
                painter
                    .layout_no_wrap(self.ds.event(e).title().to_owned(), title_font.clone(), dim)
                    .size()
                    .x
            } else {
                0.0
            };
            geometry.push((i, a, b, point, title_w));
        }
        // Rows of text height with room for each title, when they all fit;
        // else rows as thin as needed for the marks alone (titles then go
        // only where there is room).
        let text_rows = ((lane.height() - top_pad - 3.0) / self.row_h()).floor() as usize;
        let pack = |room: bool, max_rows: usize| {
            let mut overflowing: Vec<(usize, usize)> = Vec::new();
            let mut placed: Vec<(usize, f32, f32, bool, usize)> = Vec::new();
            let mut row_end: Vec<f32> = Vec::new();
            for &(i, a, b, point, title_w) in &geometry {
                let end = if room {
                    b.max(label_x(a, b, point, title_w, left) + title_w.min(self.label_room()))
                } else {
                    b
                };
                let row = match row_end.iter().position(|&end| a > end + 2.0) {
                    Some(r) => r,
                    None if row_end.len() < max_rows => {
                        row_end.push(f32::NEG_INFINITY);
                        row_end.len() - 1
                    }
                    None => {
                        overflowing
                            .push(((a - left).max(0.0) as usize, (b - left).max(0.0) as usize));
                        continue;
                    }
                };
                row_end[row] = row_end[row].max(end);
                placed.push((i, a, b, point, row));
            }
            (overflowing, placed, row_end)
        };
        // Three tries, best first: rows of text height with room for every
        // title; rows of text height for the marks, titles where they fit;
        // rows as thin as the marks need, no titles.
        let titled = self.memory.titles && text_rows > 0;
        let roomy = titled.then(|| pack(true, text_rows));
        // The rows a title for every mark would need: the app grows the
        // strip to them at first start. When the roomy packing fitted, it
        // is that packing (first fit places the same with or without a
        // cap it never reached).
        let rows_wanted = match &roomy {
            Some(p) if p.0.is_empty() => p.2.len(),
            Some(_) if self.memory.measure_room => pack(true, usize::MAX).2.len(),
            _ => 0,
        };
        // With the map's room (a dataset without places) and few enough
        // events, each gets a row of its own, down the strip in time order,
        // so that the titles read as a list and none waits for a zoom.
        let staircase = titled && self.memory.text_scale > 1.0 && geometry.len() <= text_rows;
        (overflowing, placed, row_end) = if staircase {
            (
                Vec::new(),
                geometry
                    .iter()
                    .enumerate()
                    .map(|(row, &(i, a, b, point, _))| (i, a, b, point, row))
                    .collect(),
                geometry
                    .iter()
                    .map(|&(_, a, b, point, w)| b.max(label_x(a, b, point, w, left) + w))
                    .collect(),
            )
        } else {
            match roomy {
                Some(p) if p.0.is_empty() => p,
                _ => match titled.then(|| pack(false, text_rows)) {
                    Some(p) if p.0.is_empty() => p,
                    _ => pack(false, max_rows),
                },
            }
        };
        let overflow = overflowing.len();
        if overflow > 0 {
            let band = Rect::from_min_max(
                pos2(left, lane.max.y - band_h - 2.0),
                pos2(right, lane.max.y - 2.0),
            );
            let counts = crate::style::column_counts(width_px, overflowing.iter().copied());
            let peak = counts.iter().copied().max().unwrap_or(1).max(1) as f32;
            for (px, &c) in counts.iter().enumerate() {
                if c > 0 {
                    let h = band.height() * ((c as f32).ln_1p() / peak.ln_1p()).max(0.08);
                    let x = left + px as f32;
                    painter.line_segment(
                        [pos2(x, band.max.y), pos2(x, band.max.y - h)],
                        Stroke::new(1.0, accent.gamma_multiply(0.7)),
                    );
                }
            }
            painter.text(
                pos2(right - 4.0, band.min.y - 1.0),
                Align2::RIGHT_BOTTOM,
                format!("+{overflow} more events (density)"),
                FontId::proportional(10.5),
                dim,
            );
        }
        let rows_h = if overflow > 0 {
            rows_space
        } else {
            lane.height() - top_pad - 3.0
        };
        let tallest = if staircase {
            self.row_h() * 2.5
        } else {
            self.row_h()
        };
        let row_height = (rows_h / row_end.len().max(1) as f32).clamp(4.0, tallest);
        let row_top = |row: usize| lane.min.y + top_pad + row as f32 * row_height;
        // Titles: the selected event first, then the best attested, each
        // where it fits beside its mark without touching another mark or
        // title (ellipsised to the room there is).
        let mut label_of: std::collections::HashMap<
            usize,
            (Rect, std::sync::Arc<egui::Galley>, bool),
        > = std::collections::HashMap::new();
        if self.memory.titles {
            // A title is a line of text high; in rows thinner than that it
            // spans the rows below its own, and must find room in each.
            let text_h = self.label_font() + 2.0;
            let span = if row_height >= text_h {
                1
            } else {
                (text_h / row_height).ceil() as usize
            };
            let mut taken: Vec<Vec<(f32, f32)>> = vec![Vec::new(); row_end.len()];
            for &(_, a, b, _, row) in &placed {
                taken[row].push((a, b.max(a + 2.0)));
            }
            let width_of: std::collections::HashMap<usize, f32> =
                geometry.iter().map(|g| (g.0, g.4)).collect();
            let mut order: Vec<usize> = (0..placed.len()).collect();
            order.sort_by_key(|&k| {
                let e = EventIdx(placed[k].0 as u32);
                (
                    self.app.selection != Selection::Event(e),
                    std::cmp::Reverse(self.ds.event(e).excerpts().len()),
                    k,
                )
            });
            for k in order {
                let (idx, from, to, point, row) = placed[k];
                if row + span > row_end.len() && row_top(row) + text_h > lane.max.y - 1.0 {
                    continue;
                }
                let rows = row..(row + span).min(row_end.len());
                let title_w = width_of.get(&idx).copied().unwrap_or(0.0);
                // Inside a bar only when the bar is a line of text high.
                let start_x = if span == 1 {
                    label_x(from, to, point, title_w, left)
                } else {
                    to.max(from + 2.0) + 3.0
                };
                let own = (from, to.max(from + 2.0));
                let limit = rows
                    .clone()
                    .flat_map(|r| taken[r].iter())
                    .filter(|&&o| o != own && o.1 > start_x)
                    .map(|o| o.0.max(start_x))
                    .fold(right, f32::min)
                    - 3.0;
                let mut room = limit - start_x;
                // A point short of room on its right (at the story's end,
                // say) takes its left instead when there is more there.
                let mut on_left = false;
                if point && room < title_w {
                    let end_x = from - 3.0;
                    let floor = rows
                        .clone()
                        .flat_map(|r| taken[r].iter())
                        .filter(|&&o| o != own && o.0 < end_x)
                        .map(|o| o.1.min(end_x))
                        .fold(left, f32::max)
                        + 3.0;
                    if end_x - floor > room {
                        room = end_x - floor;
                        on_left = true;
                    }
                }
                if room < title_w.min(LABEL_MIN_W) {
                    continue;
                }
                let galley = elided(
                    painter,
                    (
                        self.ds.event(EventIdx(idx as u32)).title(),
                        self.label_font(),
                    ),
                    room.min(title_w + 1.0),
                );
                let x = if on_left {
                    from - 3.0 - galley.size().x
                } else {
                    start_x
                };
                let height = if span == 1 {
                    galley.size().y.min(row_height - 1.0)
                } else {
                    text_h - 1.0
                };
                let rect =
                    Rect::from_min_size(pos2(x, row_top(row)), vec2(galley.size().x, height));
                for r in rows {
                    taken[r].push((rect.min.x, rect.max.x));
                }
                let whole = !galley.elided;
                label_of.insert(idx, (rect, galley, whole));
            }
        }
        for (i, a, b, point, row) in placed {
            let event = self.ds.events.get(EventIdx(i as u32));
            let e = EventIdx(i as u32);
            let Some(time) = self.time_of(i) else {
                continue;
            };
            let y = row_top(row);
            let inside = self.in_window.get(i).copied().unwrap_or(false);
            let selected = self.app.selection == Selection::Event(e);
            let touches_selected_place =
                matches!(self.app.selection, Selection::Place(p) if event.touches(p));
            let color = if inside {
                accent
            } else {
                dim.gamma_multiply(0.8)
            };
            let mark = Rect::from_min_max(
                pos2(a, y),
                pos2(b.max(a + 2.0), y + (row_height - 2.0).max(2.0)),
            );
            if point {
                painter.line_segment(
                    [
                        pos2(mark.center().x, mark.min.y),
                        pos2(mark.center().x, mark.max.y),
                    ],
                    Stroke::new(2.0, color),
                );
                painter.circle_filled(
                    pos2(mark.center().x, mark.min.y + 1.5),
                    (row_height * 0.25).clamp(1.5, 2.6),
                    color,
                );
            } else {
                let soft = time.is_approximate() || time.is_uncertain();
                let alpha = if soft { 0.35 } else { 0.55 };
                painter.rect_filled(mark, 3.0, color.gamma_multiply(alpha));
                if soft {
                    painter.rect_filled(
                        mark.expand2(vec2(4.0, 0.0)),
                        3.0,
                        color.gamma_multiply(0.12),
                    );
                } else {
                    painter.rect_stroke(mark, 3.0, Stroke::new(1.0, color), StrokeKind::Inside);
                }
                // Open ends fade out towards the open side.
                for (open, edge, dir) in [
                    (time.earliest().is_none(), mark.left(), 1.0),
                    (time.latest().is_none(), mark.right(), -1.0),
                ] {
                    if open {
                        for k in 0..6 {
                            let x = edge + dir * k as f32 * 6.0;
                            let seg = Rect::from_min_max(
                                pos2(x.min(x + dir * 6.0), mark.min.y),
                                pos2(x.max(x + dir * 6.0), mark.max.y),
                            );
                            painter.rect_filled(
                                seg,
                                0.0,
                                visuals
                                    .extreme_bg_color
                                    .gamma_multiply(0.9 - k as f32 * 0.15),
                            );
                        }
                    }
                }
            }
            if selected || touches_selected_place {
                let stroke = Stroke::new(if selected { 2.5 } else { 1.5 }, highlight);
                painter.rect_stroke(mark.expand(2.0), 3.0, stroke, StrokeKind::Outside);
            }
            marks_at.entry(e).or_insert(mark);
            let mut hit = if point {
                mark.expand2(vec2(2.0, 0.5))
            } else {
                mark.expand2(vec2(0.0, 0.5))
            };
            if let Some((r, galley, whole)) = label_of.remove(&i) {
                // Inside its bar, a title sits on the bar's middle in the
                // strongest text colour, to read against the fill.
                let within = !point && r.min.x >= mark.min.x && r.max.x <= mark.max.x;
                let y = if within {
                    mark.center().y
                } else {
                    r.center().y
                } - galley.size().y / 2.0;
                let color = if selected {
                    highlight
                } else if within && inside {
                    visuals.strong_text_color()
                } else {
                    text_color(inside)
                };
                painter.galley_with_override_text_color(pos2(r.min.x, y), galley, color);
                labels.push((e, r, whole));
                hit = hit.union(r);
            }
            let r = ui.interact(hit.intersect(lane), id.with(("event", i)), Sense::click());
            let contested = self.ds.is_contested(e);
            if contested {
                // A small diamond over the mark: the sources disagree here.
                let c = pos2(mark.center().x, mark.min.y - 1.0);
                let warn = crate::style::alleged(dark);
                painter.add(egui::Shape::convex_polygon(
                    vec![
                        c + vec2(0.0, -3.5),
                        c + vec2(3.5, 0.0),
                        c + vec2(0.0, 3.5),
                        c + vec2(-3.5, 0.0),
                    ],
                    warn,
                    Stroke::NONE,
                ));
            }
            let name = format!(
                "Event: {}, {}{}",
                event.title(),
                time.display(),
                if contested { ", contested" } else { "" }
            );
            crate::style::name_button(&r, &name, selected);
            if r.has_focus() {
                painter.rect_stroke(
                    hit.expand(1.0),
                    2.0,
                    visuals.selection.stroke,
                    StrokeKind::Outside,
                );
                // Keyboard focus shows what hover shows: the whole title and time.
                full_title(
                    painter,
                    &visuals,
                    hit,
                    &format!("{} · {}", event.title(), time.display()),
                );
            }
            let r = r.on_hover_ui(|ui| {
                ui.strong(event.title());
                ui.label(event.time().display());
                if let Some(note) = event.time_note() {
                    ui.weak(note);
                }
                if self.app.clock == Clock::Reported {
                    ui.label(format!("first reported {}", time.display()));
                }
                ui.label(format!(
                    "{} · {} source(s)",
                    event.category(),
                    self.ds.event_sources(e).len()
                ));
            });
            if r.clicked() {
                actions.push(Action::SelectEvent(e));
            }
        }
        rows_wanted
    }

    /// The divider's handle, at the top of the strip: drag it, or focus it
    /// (Tab) and press Up / Down, to give the strip more or less room.
    fn grip(&mut self, ui: &mut Ui) {
        let (rect, r) =
            ui.allocate_exact_size(vec2(ui.available_width(), 7.0), Sense::click_and_drag());
        let visuals = ui.visuals();
        let hot = r.hovered() || r.dragged() || r.has_focus();
        let color = if hot {
            visuals.strong_text_color()
        } else {
            visuals.weak_text_color().gamma_multiply(0.7)
        };
        let pill = Rect::from_center_size(rect.center() - vec2(0.0, 1.0), vec2(44.0, 4.0));
        ui.painter().rect_filled(pill, 2.0, color);
        if r.has_focus() {
            ui.painter().rect_stroke(
                pill.expand(3.0),
                3.0,
                visuals.selection.stroke,
                StrokeKind::Outside,
            );
        }
        let height = self.memory.panel_height;
        let name = format!(
            "Divider between map and time strip, strip {height:.0} points high: drag, or press Up or Down"
        );
        r.widget_info(|| WidgetInfo::labeled(Role::Splitter, true, &name));
        let r = r
            .on_hover_cursor(egui::CursorIcon::ResizeVertical)
            .on_hover_text(
                "Drag to give the time strip more or less room (or focus it and press Up / Down)",
            );
        if r.dragged() && r.drag_delta().y.abs() > 0.0 {
            self.memory.height_request = Some(height - r.drag_delta().y);
        }
        if r.has_focus() {
            let (up, down) = ui.input_mut(|i| {
                (
                    i.consume_key(egui::Modifiers::NONE, egui::Key::ArrowUp),
                    i.consume_key(egui::Modifiers::NONE, egui::Key::ArrowDown),
                )
            });
            if up {
                self.memory.height_request = Some(height + 24.0);
            }
            if down {
                self.memory.height_request = Some(height - 24.0);
            }
        }
    }

    /// Playback, the window rule, lanes, clock and legend.
    fn controls(&mut self, ui: &mut Ui, actions: &mut Vec<Action>) {
        ui.horizontal_wrapped(|ui| {
            let pb = self.app.playback;
            let play = if pb.playing { "Pause" } else { "Play" };
            if ui
                .button(play)
                .on_hover_text("Move the window through time (Space when nothing else has focus)")
                .clicked()
            {
                actions.push(Action::TogglePlay);
            }
            let mut speed = pb.speed;
            egui::ComboBox::from_id_salt("speed")
                .selected_text(format!("{speed}×"))
                .width(58.0)
                .show_ui(ui, |ui| {
                    for s in Playback::SPEEDS {
                        ui.selectable_value(&mut speed, s, format!("{s}×"));
                    }
                })
                .response
                .on_hover_text(
                    "Playback speed: at 1× the window moves one visible width every 10 seconds",
                )
                .widget_info(|| {
                    WidgetInfo::labeled(Role::ComboBox, true, format!("Playback speed {speed}×"))
                });
            if (speed - pb.speed).abs() > f64::EPSILON {
                actions.push(Action::SetSpeed(speed));
            }
            let mut looping = pb.looping;
            if ui.checkbox(&mut looping, "Loop").changed() {
                actions.push(Action::SetLooping(looping));
            }
            ui.separator();
            ui.label("In window:");
            let mut rule = self.app.rule;
            ui.selectable_value(&mut rule, WindowRule::Overlaps, "overlaps")
                .on_hover_text("An event counts when any part of its time falls in the window");
            ui.selectable_value(&mut rule, WindowRule::Inside, "inside")
                .on_hover_text("An event counts only when all of its time falls in the window");
            if rule != self.app.rule {
                actions.push(Action::SetRule(rule));
            }
            ui.separator();
            ui.label("Lanes:");
            let mut lanes = self.app.lanes;
            ui.selectable_value(&mut lanes, LaneMode::None, "none");
            ui.selectable_value(&mut lanes, LaneMode::Source, "per source")
                .on_hover_text("One lane per outlet: who reports what");
            ui.selectable_value(&mut lanes, LaneMode::Category, "per category");
            if lanes != self.app.lanes {
                actions.push(Action::SetLanes(lanes));
            }
            ui.separator();
            ui.label("Clock:");
            let mut clock = self.app.clock;
            ui.selectable_value(&mut clock, Clock::Happened, "when it happened");
            ui.selectable_value(&mut clock, Clock::Reported, "when it was reported")
                .on_hover_text("The earliest publication date among the sources that report it");
            if clock != self.app.clock {
                actions.push(Action::SetClock(clock));
            }
            if self.app.clock == Clock::Reported
                && let Some(r) = self.reported
            {
                let undated = r.iter().filter(|t| t.is_none()).count();
                if undated > 0 {
                    ui.weak(format!(
                        "{undated} event(s) have no known report date and are not on the strip"
                    ));
                }
            }
            ui.separator();
            ui.label("Axis:");
            let story = self.axis.is_story();
            let pick = ui.selectable_label(story, "story time");
            crate::style::name_button(&pick, "Axis: story time", story);
            if pick
                .on_hover_text(
                    "Long stretches with no event are squeezed to a marked break, so the busy months get the room",
                )
                .clicked()
                && !story
            {
                actions.push(Action::SetStripMode(Some(true)));
            }
            let pick = ui.selectable_label(!story, "linear");
            crate::style::name_button(&pick, "Axis: linear", !story);
            if pick
                .on_hover_text("Equal time, equal width")
                .clicked()
                && story
            {
                actions.push(Action::SetStripMode(Some(false)));
            }

        });
    }

    /// The From / To fields and the whole-story button.
    fn fields(&mut self, ui: &mut Ui, actions: &mut Vec<Action>) {
        let editing = ui.ctx().text_edit_focused();
        if self.memory.shown_window != Some(self.app.window) && !editing {
            self.memory.from_text = self.app.window.start.edtf();
            self.memory.to_text = self.app.window.end.edtf();
            self.memory.shown_window = Some(self.app.window);
        }
        ui.horizontal(|ui| {
            let label = ui.label("From");
            let from = ui.add(
                TextEdit::singleline(&mut self.memory.from_text)
                    .desired_width(96.0)
                    .hint_text("EDTF, e.g. 1990"),
            );
            let from = from.labelled_by(label.id);
            let label = ui.label("To");
            let to = ui.add(
                TextEdit::singleline(&mut self.memory.to_text)
                    .desired_width(96.0)
                    .hint_text("EDTF, e.g. 1999"),
            );
            let to = to.labelled_by(label.id);
            let submitted = |r: &egui::Response| {
                r.lost_focus() || (r.has_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter)))
            };
            if submitted(&from) || submitted(&to) {
                match parse_bounds(&self.memory.from_text, &self.memory.to_text) {
                    Ok(w) => {
                        self.memory.field_error = None;
                        self.memory.shown_window = None;
                        // Show what was typed: the strip zooms to the window.
                        let margin = ((w.end.0 - w.start.0) as f64 * 0.08).max(2.0);
                        self.axis =
                            TimeAxis::new(w.start.as_f64() - margin, w.end.as_f64() + 1.0 + margin);
                        actions.push(Action::SetWindow(w));
                    }
                    Err(e) => self.memory.field_error = Some(e),
                }
            }
            if ui
                .button("Whole story")
                .on_hover_text("Set the window to the whole story and show it all")
                .clicked()
            {
                self.axis = self.app.home.clone();
                if let Some(w) = self.ds.time_extent() {
                    actions.push(Action::SetWindow(w));
                }
            }
            let (in_window, shown) = self.counts.unwrap_or_else(|| {
                (
                    self.in_window.iter().filter(|b| **b).count(),
                    self.passes.iter().filter(|b| **b).count(),
                )
            });
            if shown == self.ds.events.len() {
                ui.label(format!(
                    "{in_window} of {} events in the window",
                    self.ds.events.len()
                ));
            } else {
                ui.label(format!(
                    "{in_window} of {shown} filtered events in the window ({} in all)",
                    self.ds.events.len()
                ));
            }
            if let Some(err) = &self.memory.field_error {
                ui.colored_label(ui.visuals().error_fg_color, err);
            }
            // The strip's own view toggles, at the right of the first row.
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                ui.toggle_value(&mut self.memory.show_legend, "Legend");
                ui.toggle_value(&mut self.memory.titles, "Titles")
                    .on_hover_text("Each mark's title beside it, where it fits");
            });
        });
    }
}

/// The whole title and time of the focused mark, in a box above it (below
/// it when there is no room above), kept inside the strip.
fn full_title(painter: &egui::Painter, visuals: &egui::Visuals, mark: Rect, words: &str) {
    let galley = painter.layout_no_wrap(
        words.to_owned(),
        FontId::proportional(11.5),
        visuals.text_color(),
    );
    let clip = painter.clip_rect();
    let size = galley.size() + vec2(10.0, 6.0);
    let mut at = pos2(mark.min.x, mark.min.y - size.y - 2.0);
    if at.y < clip.min.y {
        at.y = mark.max.y + 2.0;
    }
    at.x = at.x.min(clip.max.x - size.x).max(clip.min.x);
    let r = Rect::from_min_size(at, size);
    painter.rect_filled(r, 4.0, visuals.window_fill);
    painter.rect_stroke(r, 4.0, visuals.window_stroke, StrokeKind::Inside);
    painter.galley(r.min + vec2(5.0, 3.0), galley, visuals.text_color());
}

/// `title` on one line in at most `max_w` points, ellipsised when longer.
fn elided(
    painter: &egui::Painter,
    (title, size): (&str, f32),
    max_w: f32,
) -> std::sync::Arc<egui::Galley> {
    let mut job = egui::text::LayoutJob::single_section(
        title.to_owned(),
        egui::TextFormat::simple(FontId::proportional(size), Color32::PLACEHOLDER),
    );
    job.wrap = egui::text::TextWrapping {
        max_width: max_w,
        max_rows: 1,
        break_anywhere: true,
        overflow_character: Some('…'),
    };
    painter.layout_job(job)
}

/// Where a mark's title starts: inside a span wide enough to hold it (in
/// the part of it right of the strip's left edge, `left`), else just right
/// of the mark.
fn label_x(a: f32, b: f32, point: bool, title_w: f32, left: f32) -> f32 {
    let a = if point { a } else { a.max(left) };
    if !point && b - a >= title_w + 8.0 {
        a + 4.0
    } else {
        b + 3.0
    }
}

/// A length of time in words: "19 years", "5 months", "12 days".
fn human_span(days: f64) -> String {
    let plural = |n: f64, unit: &str| {
        let n = n.round() as i64;
        format!("{n} {unit}{}", if n == 1 { "" } else { "s" })
    };
    let years = days / 365.2425;
    // Deep time: a gap's length to three figures, in words.
    for (unit, word) in [(1e9, "billion"), (1e6, "million")] {
        if years >= unit {
            let n = years / unit;
            let shown = if n >= 100.0 {
                format!("{n:.0}")
            } else if n >= 10.0 {
                format!("{n:.1}")
            } else {
                format!("{n:.2}")
            };
            let shown = if shown.contains('.') {
                shown.trim_end_matches('0').trim_end_matches('.').to_owned()
            } else {
                shown
            };
            return format!("about {shown} {word} years");
        }
    }
    if years >= 10_000.0 {
        return format!(
            "about {} years",
            crate::model::time::grouped(years.round() as u64, true)
        );
    }
    if days >= 730.0 {
        plural(days / 365.25, "year")
    } else if days >= 60.0 {
        plural(days / 30.44, "month")
    } else {
        plural(days, "day")
    }
}

/// The window typed in the From / To fields: From's earliest day to To's
/// latest day, each an EDTF date (so "1990" to "1999" is the whole decade).
///
/// # Errors
/// A message naming the field that is not a date.
pub fn parse_bounds(from: &str, to: &str) -> Result<TimeWindow, String> {
    let parse = |text: &str, which: &str| {
        FuzzyTime::parse(text.trim()).map_err(|e| {
            format!(
                "{which} “{}” is not an EDTF date ({}); try 2022-07 or 199X",
                text.trim(),
                e.message
            )
        })
    };
    let from = parse(from, "From")?;
    let to = parse(to, "To")?;
    let start = from
        .earliest()
        .or(from.latest())
        .ok_or("From has no known start")?;
    let end = to.latest().or(to.earliest()).ok_or("To has no known end")?;
    Ok(TimeWindow::new(start, end))
}

/// A density band: one bar a column wide per non-zero count, `height(count)`
/// high, standing on `base` from `x0`; one mesh, cheap at any width.
fn bars<T: Copy + Default + PartialEq>(
    painter: &egui::Painter,
    counts: &[T],
    (x0, base): (f32, f32),
    height: impl Fn(T) -> f32,
    color: Color32,
) {
    let mut mesh = egui::Mesh::default();
    for (px, &c) in counts.iter().enumerate() {
        if c != T::default() {
            let x = x0 + px as f32 - 0.5;
            let h = height(c);
            mesh.add_colored_rect(
                Rect::from_min_max(pos2(x, base - h), pos2(x + 1.0, base)),
                color,
            );
        }
    }
    painter.add(egui::Shape::mesh(mesh));
}

/// What the marks mean, drawn over the top right of the track.
fn legend(painter: &egui::Painter, track: Rect, visuals: &egui::Visuals, accent: Color32) {
    let text = visuals.text_color();
    let rows: [(&str, u8); 6] = [
        ("a day", 0),
        ("a month, year or decade", 1),
        ("approximate (~) or uncertain (?)", 2),
        ("open end (from / until)", 3),
        ("outside the window", 4),
        ("too many to draw: density", 5),
    ];
    let size = vec2(250.0, 8.0 + rows.len() as f32 * 16.0);
    let r = Rect::from_min_size(pos2(track.right() - size.x - 10.0, track.top() + 4.0), size);
    painter.rect_filled(r, 4.0, visuals.window_fill);
    painter.rect_stroke(r, 4.0, visuals.window_stroke, StrokeKind::Inside);
    for (k, (label, kind)) in rows.iter().enumerate() {
        let y = r.top() + 6.0 + k as f32 * 16.0;
        let swatch = Rect::from_min_size(pos2(r.left() + 8.0, y + 3.0), vec2(34.0, 8.0));
        match kind {
            0 => {
                painter.line_segment(
                    [
                        pos2(swatch.center().x, swatch.min.y),
                        pos2(swatch.center().x, swatch.max.y),
                    ],
                    Stroke::new(2.0, accent),
                );
                painter.circle_filled(pos2(swatch.center().x, swatch.min.y + 1.5), 2.5, accent);
            }
            1 => {
                painter.rect_filled(swatch, 3.0, accent.gamma_multiply(0.55));
                painter.rect_stroke(swatch, 3.0, Stroke::new(1.0, accent), StrokeKind::Inside);
            }
            2 => {
                painter.rect_filled(swatch, 3.0, accent.gamma_multiply(0.35));
                painter.rect_filled(
                    swatch.expand2(vec2(4.0, 0.0)),
                    3.0,
                    accent.gamma_multiply(0.12),
                );
            }
            3 => {
                painter.rect_filled(swatch, 3.0, accent.gamma_multiply(0.55));
                for i in 0..6 {
                    let x = swatch.right() - i as f32 * 4.0;
                    let seg =
                        Rect::from_min_max(pos2(x - 4.0, swatch.min.y), pos2(x, swatch.max.y));
                    painter.rect_filled(
                        seg,
                        0.0,
                        visuals.window_fill.gamma_multiply(0.9 - i as f32 * 0.15),
                    );
                }
            }
            4 => {
                painter.rect_filled(swatch, 3.0, visuals.weak_text_color().gamma_multiply(0.45));
            }
            _ => {
                for i in 0..34 {
                    let h = 2.0 + ((i as f32 * 0.7).sin().abs() * 6.0);
                    let x = swatch.left() + i as f32;
                    painter.line_segment(
                        [pos2(x, swatch.max.y), pos2(x, swatch.max.y - h)],
                        Stroke::new(1.0, accent.gamma_multiply(0.7)),
                    );
                }
            }
        }
        painter.text(
            pos2(swatch.right() + 10.0, y + 7.0),
            Align2::LEFT_CENTER,
            label,
            FontId::proportional(11.5),
            text,
        );
    }
}
