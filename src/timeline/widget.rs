//! The time strip widget: ruler, event marks, and the time window.
//!
//! Input contract: drag on the empty track draws a new window; drag inside
//! the window moves it; drag either edge resizes it; drag on the ruler pans
//! the strip; the wheel zooms the strip around the pointer; double-click on
//! the ruler shows the whole story again. The window's bounds can also be
//! typed (EDTF or ISO) in the From / To fields.

use egui::{
    Align2, Color32, CornerRadius, FontId, Rect, Role, Sense, Stroke, StrokeKind, TextEdit, Ui,
    WidgetInfo, pos2, vec2,
};

use super::axis::TimeAxis;
use super::ticks::{TickUnit, ticks, unit_for};
use crate::model::{Dataset, Day, EventIdx, FuzzyTime, TimeWindow};
use crate::state::{Action, Selection};

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
pub struct TimelineState {
    /// The visible time range.
    pub axis: TimeAxis,
    /// The axis that shows the whole story (double-click on the ruler).
    pub home: TimeAxis,
    drag: Option<Drag>,
    from_text: String,
    to_text: String,
    field_error: Option<String>,
    shown_window: Option<TimeWindow>,
}

impl TimelineState {
    /// A strip showing `window` with a margin.
    #[must_use]
    pub fn new(window: TimeWindow) -> Self {
        let span = f64::from(window.end.0 - window.start.0).max(30.0);
        let margin = span * 0.03;
        let axis = TimeAxis::new(
            f64::from(window.start.0) - margin,
            f64::from(window.end.0) + 1.0 + margin,
        );
        Self {
            axis,
            home: axis,
            drag: None,
            from_text: String::new(),
            to_text: String::new(),
            field_error: None,
            shown_window: None,
        }
    }

    /// The unit the ruler labels use at this zoom, for a strip `width` wide.
    #[must_use]
    pub fn tick_unit(&self, width: f32) -> TickUnit {
        unit_for(&self.axis, width, LABEL_MIN_PX)
    }
}

const LABEL_MIN_PX: f32 = 64.0;
const RULER_H: f32 = 22.0;
const ROW_H: f32 = 13.0;
const EDGE_GRAB_PX: f32 = 6.0;

/// The time strip, shown with [`TimeStrip::show`].
pub struct TimeStrip<'a> {
    ds: &'a Dataset,
    window: TimeWindow,
    selection: Selection,
    in_window: &'a [bool],
    state: &'a mut TimelineState,
}

/// The (start, end) day range a time is drawn over; open ends reach the
/// strip's edge (`lo`, `hi`).
fn draw_range(t: &FuzzyTime, lo: f64, hi: f64) -> (f64, f64) {
    let start = t.earliest().map_or(lo, |d| f64::from(d.0));
    let end = t.latest().map_or(hi, |d| f64::from(d.0) + 1.0);
    (start, end)
}

impl<'a> TimeStrip<'a> {
    /// A strip for `ds` with the current window and selection.
    #[must_use]
    pub fn new(
        ds: &'a Dataset,
        window: TimeWindow,
        selection: Selection,
        in_window: &'a [bool],
        state: &'a mut TimelineState,
    ) -> Self {
        Self {
            ds,
            window,
            selection,
            in_window,
            state,
        }
    }

    /// Draws the strip and returns what the user asked for.
    pub fn show(mut self, ui: &mut Ui) -> Vec<Action> {
        let mut actions = Vec::new();
        self.fields(ui, &mut actions);
        ui.add_space(4.0);
        let rect = ui.available_rect_before_wrap();
        let rect = Rect::from_min_max(
            rect.min,
            pos2(rect.max.x, rect.max.y.max(rect.min.y + 60.0)),
        );
        ui.allocate_rect(rect, Sense::hover());
        let (left, right) = (rect.left() + 8.0, rect.right() - 8.0);
        let ruler = Rect::from_min_max(rect.min, pos2(rect.max.x, rect.min.y + RULER_H));
        let track = Rect::from_min_max(pos2(rect.min.x, ruler.max.y), rect.max);
        let visuals = ui.visuals().clone();
        let dark = visuals.dark_mode;
        let accent = if dark {
            Color32::from_rgb(0xf0, 0x7b, 0x5a)
        } else {
            Color32::from_rgb(0xc0, 0x3a, 0x2b)
        };
        let highlight = if dark {
            Color32::from_rgb(0x6c, 0xb6, 0xff)
        } else {
            Color32::from_rgb(0x1f, 0x5f, 0xc9)
        };
        let dim = visuals.weak_text_color();
        let text = visuals.text_color();
        let id = ui.scope_id().with("time-strip");

        // The strip's own interaction, under the marks.
        let strip = ui.interact(rect, id, Sense::click_and_drag());
        let (ws, we) = (
            self.state
                .axis
                .x_from_time(f64::from(self.window.start.0), left, right),
            self.state
                .axis
                .x_from_time(f64::from(self.window.end.0) + 1.0, left, right),
        );
        let window_label = format!(
            "Time window from {} to {}: drag the track to draw a new window, drag inside to move it, drag its edges to resize; drag the ruler to pan",
            self.window.start.iso(),
            self.window.end.iso()
        );
        strip.widget_info(|| WidgetInfo::labeled(Role::Slider, true, &window_label));
        if strip.drag_started()
            && let Some(origin) = ui.input(|i| i.pointer.press_origin())
        {
            let t = self.state.axis.time_from_x(origin.x, left, right);
            self.state.drag = Some(if ruler.contains(origin) {
                Drag::Pan
            } else if (origin.x - ws).abs() <= EDGE_GRAB_PX {
                Drag::ResizeStart
            } else if (origin.x - we).abs() <= EDGE_GRAB_PX {
                Drag::ResizeEnd
            } else if origin.x > ws && origin.x < we {
                Drag::Move {
                    grab: t - f64::from(self.window.start.0),
                    len: f64::from(self.window.end.0 - self.window.start.0),
                }
            } else {
                Drag::NewWindow { anchor: t }
            });
        }
        if strip.dragged()
            && let (Some(drag), Some(pos)) = (self.state.drag, strip.interact_pointer_pos())
        {
            let t = self.state.axis.time_from_x(pos.x, left, right);
            let day = |t: f64| Day(t.floor().clamp(-4_000_000.0, 4_000_000.0) as i32);
            let new_window = match drag {
                Drag::Pan => {
                    self.state.axis.pan(strip.drag_delta().x, right - left);
                    None
                }
                Drag::NewWindow { anchor } => Some(TimeWindow::new(day(anchor), day(t))),
                Drag::Move { grab, len } => {
                    let start = t - grab;
                    Some(TimeWindow::new(day(start), day(start + len)))
                }
                Drag::ResizeStart => Some(TimeWindow::new(day(t), self.window.end)),
                Drag::ResizeEnd => Some(TimeWindow::new(self.window.start, day(t))),
            };
            if let Some(w) = new_window {
                actions.push(Action::SetWindow(w));
            }
        }
        if strip.drag_stopped() {
            self.state.drag = None;
        }
        if let Some(hover) = strip.hover_pos() {
            let scroll = ui.input(|i| i.smooth_scroll_delta().y);
            let zoom = ui.input(egui::InputState::zoom_delta);
            let factor = f64::from(zoom) * (f64::from(scroll) / 200.0).exp();
            if (factor - 1.0).abs() > 1e-4 {
                self.state.axis.zoom_at(hover.x, factor, left, right);
            }
        }
        if strip.double_clicked()
            && strip
                .interact_pointer_pos()
                .is_some_and(|p| ruler.contains(p))
        {
            self.state.axis = self.state.home;
        }

        let painter = ui.painter_at(rect);
        painter.rect_filled(rect, CornerRadius::same(4), visuals.extreme_bg_color);
        painter.rect_filled(ruler, CornerRadius::same(4), visuals.faint_bg_color);

        // Ticks: labelled unit, plus the next finer unit fading in.
        let width = right - left;
        let unit = unit_for(&self.state.axis, width, LABEL_MIN_PX);
        let px_per_day = f64::from(width) / self.state.axis.span_days();
        let finer = match unit {
            TickUnit::Decade => Some(TickUnit::Year),
            TickUnit::Year => Some(TickUnit::Month),
            TickUnit::Month => Some(TickUnit::Day),
            TickUnit::Day => None,
        };
        if let Some(f) = finer {
            let spacing = (f.approx_days() * px_per_day) as f32;
            let alpha = ((spacing - 4.0) / 30.0).clamp(0.0, 1.0);
            if alpha > 0.0 {
                for t in ticks(&self.state.axis, f, 1) {
                    let x = self.state.axis.x_from_time(f64::from(t.day.0), left, right);
                    painter.line_segment(
                        [pos2(x, ruler.max.y - 5.0), pos2(x, ruler.max.y)],
                        Stroke::new(1.0, dim.gamma_multiply(alpha * 0.6)),
                    );
                }
            }
        }
        let spacing = (unit.approx_days() * px_per_day) as f32;
        let label_alpha = ((spacing - LABEL_MIN_PX * 0.8) / (LABEL_MIN_PX * 0.4)).clamp(0.35, 1.0);
        let mut last_label_end = f32::NEG_INFINITY;
        for t in ticks(&self.state.axis, unit, 1) {
            let x = self.state.axis.x_from_time(f64::from(t.day.0), left, right);
            painter.line_segment(
                [pos2(x, ruler.min.y + 3.0), pos2(x, rect.max.y)],
                Stroke::new(1.0, dim.gamma_multiply(0.18)),
            );
            painter.line_segment(
                [pos2(x, ruler.max.y - 8.0), pos2(x, ruler.max.y)],
                Stroke::new(1.0, dim),
            );
            if x > last_label_end + 4.0 {
                let r = painter.text(
                    pos2(x + 3.0, ruler.center().y),
                    Align2::LEFT_CENTER,
                    &t.label,
                    FontId::proportional(11.5),
                    text.gamma_multiply(label_alpha),
                );
                last_label_end = r.max.x;
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
        let (lo, hi) = (self.state.axis.start, self.state.axis.end);
        // Rows are at least 4 points high; events that find no free row are
        // not drawn one by one but counted into a density band at the foot.
        let band_h = 16.0;
        let max_rows = (((track.height() - 10.0 - band_h) / 4.0).floor() as usize).max(1);
        let width_px = (right - left).max(1.0) as usize;
        let mut density = vec![0i64; width_px + 2];
        let mut overflow = 0usize;
        let mut placed: Vec<(usize, f32, f32, bool, usize)> = Vec::new();
        let mut row_end: Vec<f32> = Vec::new();
        for (i, event) in self.ds.events.iter().enumerate() {
            let (from_day, to_day) = draw_range(&event.time, lo - 1.0, hi + 1.0);
            if from_day > hi {
                // Events are sorted by their earliest day: the rest start later.
                break;
            }
            if to_day < lo {
                continue;
            }
            let x0 = self.state.axis.x_from_time(from_day, left, right);
            let x1 = self.state.axis.x_from_time(to_day, left, right);
            let point = event.time.is_single_day() || x1 - x0 < 5.0;
            let (a, b) = if point {
                (f32::midpoint(x0, x1) - 3.0, f32::midpoint(x0, x1) + 3.0)
            } else {
                (x0, x1)
            };
            let free = row_end.iter().position(|&end| a > end + 2.0);
            let row = match free {
                Some(r) => r,
                None if row_end.len() < max_rows => {
                    row_end.push(f32::NEG_INFINITY);
                    row_end.len() - 1
                }
                None => {
                    let from = ((a - left).max(0.0) as usize).min(width_px);
                    let to = ((b - left).max(0.0) as usize).min(width_px);
                    density[from] += 1;
                    density[to + 1] -= 1;
                    overflow += 1;
                    continue;
                }
            };
            row_end[row] = row_end[row].max(b);
            placed.push((i, a, b, point, row));
        }
        if overflow > 0 {
            let band = Rect::from_min_max(
                pos2(left, track.max.y - band_h - 2.0),
                pos2(right, track.max.y - 2.0),
            );
            let mut running = 0i64;
            let counts: Vec<i64> = density[..width_px]
                .iter()
                .map(|d| {
                    running += d;
                    running
                })
                .collect();
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
            track.height() - 10.0 - band_h
        } else {
            track.height() - 8.0
        };
        let row_height = (rows_h / row_end.len().max(1) as f32).clamp(4.0, ROW_H);
        for (i, a, b, point, row) in placed {
            let event = &self.ds.events[i];
            let e = EventIdx(i as u32);
            let y = track.min.y + 5.0 + row as f32 * row_height;
            if y > track.max.y {
                continue;
            }
            let inside = self.in_window.get(i).copied().unwrap_or(false);
            let selected = self.selection == Selection::Event(e);
            let touches_selected_place =
                matches!(self.selection, Selection::Place(p) if event.touches(p));
            let color = if inside {
                accent
            } else {
                dim.gamma_multiply(0.8)
            };
            let mark = Rect::from_min_max(
                pos2(a, y),
                pos2(b.max(a + 2.0), y + (row_height - 3.0).max(2.0)),
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
                let soft = event.time.is_approximate() || event.time.is_uncertain();
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
                    (event.time.earliest().is_none(), mark.left(), 1.0),
                    (event.time.latest().is_none(), mark.right(), -1.0),
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
            let hit = if point {
                mark.expand2(vec2(2.0, 0.5))
            } else {
                mark.expand2(vec2(0.0, 0.5))
            };
            let r = ui.interact(hit.intersect(rect), id.with(("event", i)), Sense::click());
            let name = format!("Event: {}, {}", event.title, event.time.display());
            r.widget_info(|| {
                let mut info = WidgetInfo::labeled(Role::Button, true, &name);
                info.selected = Some(selected);
                info
            });
            if r.has_focus() {
                painter.rect_stroke(
                    hit.expand(1.0),
                    2.0,
                    visuals.selection.stroke,
                    StrokeKind::Outside,
                );
            }
            let r = r.on_hover_ui(|ui| {
                ui.strong(&event.title);
                ui.label(event.time.display());
                if let Some(note) = &event.time_note {
                    ui.weak(note);
                }
                ui.label(format!(
                    "{} · {} source(s)",
                    event.category,
                    self.ds.event_sources(e).len()
                ));
            });
            if r.clicked() {
                actions.push(Action::SelectEvent(e));
            }
        }
        actions
    }

    /// The From / To fields and the whole-story button.
    fn fields(&mut self, ui: &mut Ui, actions: &mut Vec<Action>) {
        let editing = ui.ctx().text_edit_focused();
        if self.state.shown_window != Some(self.window) && !editing {
            self.state.from_text = self.window.start.iso();
            self.state.to_text = self.window.end.iso();
            self.state.shown_window = Some(self.window);
        }
        ui.horizontal(|ui| {
            let label = ui.label("From");
            let from = ui.add(
                TextEdit::singleline(&mut self.state.from_text)
                    .desired_width(96.0)
                    .hint_text("EDTF, e.g. 1990"),
            );
            let from = from.labelled_by(label.id);
            let label = ui.label("To");
            let to = ui.add(
                TextEdit::singleline(&mut self.state.to_text)
                    .desired_width(96.0)
                    .hint_text("EDTF, e.g. 1999"),
            );
            let to = to.labelled_by(label.id);
            let submitted = |r: &egui::Response| {
                r.lost_focus() || (r.has_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter)))
            };
            if submitted(&from) || submitted(&to) {
                match parse_bounds(&self.state.from_text, &self.state.to_text) {
                    Ok(w) => {
                        self.state.field_error = None;
                        self.state.shown_window = None;
                        actions.push(Action::SetWindow(w));
                    }
                    Err(e) => self.state.field_error = Some(e),
                }
            }
            if ui
                .button("Whole story")
                .on_hover_text("Set the window to the whole story and show it all")
                .clicked()
            {
                self.state.axis = self.state.home;
                if let Some(w) = self.ds.time_extent() {
                    actions.push(Action::SetWindow(w));
                }
            }
            let in_window = self.in_window.iter().filter(|b| **b).count();
            ui.label(format!(
                "{in_window} of {} events in the window",
                self.ds.events.len()
            ));
            if let Some(err) = &self.state.field_error {
                ui.colored_label(ui.visuals().error_fg_color, err);
            }
        });
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
