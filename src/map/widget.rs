//! The map widget: basemap, event arcs, alleged-origin arcs, place markers
//! with non-overlapping labels, and edge pointers for places out of view.
//!
//! It draws from the dataset, the selection and the window's derived view,
//! and changes nothing of them: a drag, the wheel or a zoom button moves a
//! copy of the state's camera that this frame is drawn with, returned as
//! [`Action::Camera`]; a click returns the place or event chosen. Its own
//! memory ([`MapCache`]) holds only drawing caches.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use egui::epaint::QuadraticBezierShape;
use egui::{
    Align2, Color32, FontId, Id, Pos2, Rect, Role, Sense, Shape, Stroke, StrokeKind, Ui, Vec2,
    WidgetInfo, pos2, vec2,
};
use geo::Coord;

use super::basemap::{Basemap, BasemapCache, BasemapStyle};
use super::hit::{pick_place, places_in_view};
use super::labels::{LabelRequest, place_labels};
use crate::model::{Dataset, EventIdx, PlaceIdx, PlaceKind, PlaceRole, StanceWord};
use crate::state::MapCamera;
use crate::state::{Action, Selection, WindowView};

/// What the map keeps between frames besides the camera (drawing caches).
#[derive(Default)]
pub struct MapCache {
    basemap: BasemapCache,
    /// The busiest movement arcs of the window, for `arcs_gen`.
    arcs_top: Vec<(PlacePair, (u32, u32))>,
    arcs_gen: u64,
    /// Whether `arcs_top` holds every arc of the window.
    arcs_all: bool,
    /// Every place projected to world coordinates, for the dataset of
    /// generation `world_of`: projecting is trigonometry, done once.
    world: Vec<Coord<f64>>,
    world_of: u64,
    /// Drawn for a picture (a briefing): no buttons over the map.
    pub picture: bool,
}

/// The map, shown with [`MapView::show`].
pub struct MapView<'a> {
    ds: &'a Dataset,
    selection: Selection,
    /// Events in the window, per place.
    counts: &'a [u32],
    /// The window's derived view (flags, contested counts, movement arcs).
    view: &'a WindowView,
    /// The camera this frame draws with: the state's, moved by this frame's
    /// drag, wheel or buttons (returned as [`Action::Camera`] when moved).
    camera: MapCamera,
    /// The state's camera.
    asked: MapCamera,
    cache: &'a mut MapCache,
    /// The countries drawn under everything.
    basemap: &'a Basemap,
}

struct Palette {
    water: Color32,
    basemap: BasemapStyle,
    marker: Color32,
    marker_dim: Color32,
    highlight: Color32,
    text: Color32,
    text_dim: Color32,
    halo: Color32,
    arc: Color32,
    alleged: Color32,
}

impl Palette {
    fn new(dark: bool) -> Self {
        if dark {
            Self {
                water: Color32::from_rgb(0x17, 0x1f, 0x29),
                basemap: BasemapStyle {
                    land: Color32::from_rgb(0x2a, 0x2f, 0x35),
                    coast: Stroke::new(0.9, Color32::from_rgb(0x5d, 0x6b, 0x78)),
                    border: Stroke::new(0.6, Color32::from_rgb(0x47, 0x4f, 0x58)),
                },
                marker: crate::style::accent(true),
                marker_dim: Color32::from_rgb(0x70, 0x76, 0x7d),
                highlight: crate::style::highlight(true),
                text: Color32::from_rgb(0xe8, 0xea, 0xed),
                text_dim: Color32::from_rgb(0x8a, 0x90, 0x96),
                halo: Color32::from_rgba_unmultiplied(0x17, 0x1f, 0x29, 200),
                arc: Color32::from_rgba_unmultiplied(0xb3, 0x9d, 0xdb, 200),
                alleged: crate::style::alleged(true),
            }
        } else {
            Self {
                water: Color32::from_rgb(0xdc, 0xe6, 0xee),
                basemap: BasemapStyle {
                    land: Color32::from_rgb(0xf6, 0xf3, 0xec),
                    coast: Stroke::new(0.9, Color32::from_rgb(0x8f, 0x9f, 0xac)),
                    border: Stroke::new(0.6, Color32::from_rgb(0xc4, 0xc6, 0xc4)),
                },
                marker: crate::style::accent(false),
                marker_dim: Color32::from_rgb(0xa3, 0xa8, 0xad),
                highlight: crate::style::highlight(false),
                text: Color32::from_rgb(0x1d, 0x23, 0x29),
                text_dim: Color32::from_rgb(0x7d, 0x84, 0x8b),
                halo: Color32::from_rgba_unmultiplied(0xf6, 0xf3, 0xec, 210),
                arc: Color32::from_rgba_unmultiplied(0x6a, 0x4c, 0x93, 190),
                alleged: crate::style::alleged(false),
            }
        }
    }
}

/// How many markers at most get a widget of their own (the busiest, drawn
/// last); the others are picked through the spatial index, reached by
/// zooming in, or found by the search. As many as labels can be placed: a
/// screen with more overlaps them into clumps anyway.
const MAX_MARKER_WIDGETS: usize = MAX_LABELS;

/// The order markers draw in, last on top: highlighted, then busiest, then
/// the earlier place.
type MarkerRank = (bool, u32, std::cmp::Reverse<PlaceIdx>);

/// Two places an arc joins.
type PlacePair = (PlaceIdx, PlaceIdx);
/// An arc's (directed, selected, number of events).
type ArcInfo = (bool, bool, u32);

/// How many arcs are drawn at most.
const MAX_ARCS: usize = 250;

/// How many places outside the view get an edge pointer at most.
const MAX_EDGE_POINTERS: usize = 12;

/// How many place labels are laid out at most per frame.
const MAX_LABELS: usize = 300;

/// Radius of a marker holding `count` events in the window.
fn marker_radius(count: u32, kind: PlaceKind) -> f32 {
    let base = match kind {
        PlaceKind::Country | PlaceKind::Region | PlaceKind::Sea => 4.0,
        PlaceKind::City | PlaceKind::Site => 4.5,
    };
    if count == 0 {
        base - 1.0
    } else {
        (base + 2.2 * (count as f32).sqrt()).min(16.0)
    }
}

/// The accessible name of a place marker.
fn place_name(ds: &Dataset, place: PlaceIdx, count: u32) -> String {
    let p = ds.place(place);
    let events = if count == 1 { "event" } else { "events" };
    format!("{}, {count} {events} in window", p.name)
}

impl<'a> MapView<'a> {
    /// A map of `ds` showing the window's `view` (events in the window per
    /// place, movements).
    #[must_use]
    pub fn new(
        ds: &'a Dataset,
        selection: Selection,
        view: &'a WindowView,
        camera: &MapCamera,
        cache: &'a mut MapCache,
    ) -> Self {
        Self {
            ds,
            selection,
            counts: &view.place_counts,
            view,
            camera: *camera,
            asked: *camera,
            cache,
            basemap: Basemap::shared(),
        }
    }

    /// Draws `basemap` under the map instead of the one mapline ships.
    #[must_use]
    pub fn with_basemap(mut self, basemap: &'a Basemap) -> Self {
        self.basemap = basemap;
        self
    }

    /// Events in the window at `place` that a contested claim is about.
    fn contested_at(&self, place: PlaceIdx) -> usize {
        self.view
            .contested_counts
            .get(place.index())
            .copied()
            .unwrap_or(0) as usize
    }

    fn in_window(&self, e: EventIdx) -> bool {
        self.view.in_window.get(e.index()).copied().unwrap_or(false)
    }

    /// The events at `place` that are in the window, in time order.
    fn events_in_window_at(&self, place: PlaceIdx) -> Vec<EventIdx> {
        self.ds
            .events_at(place)
            .iter()
            .copied()
            .filter(|&e| self.in_window(e))
            .collect()
    }

    /// The arcs to draw: the window's movements, plus the events the
    /// selection involves; the selected ones and the busiest others first.
    /// `at_place`: the window's events at the selected place, if a place is
    /// selected.
    fn arcs(
        &mut self,
        selected_event: Option<EventIdx>,
        at_place: &[EventIdx],
    ) -> Vec<(PlacePair, ArcInfo)> {
        // The events the selection involves, in the window.
        let mut involved: Vec<EventIdx> = at_place.to_vec();
        if let Some(e) = selected_event
            && self.in_window(e)
            && !involved.contains(&e)
        {
            involved.push(e);
        }
        // (directed, selected, extra events) per pair, beyond the movements.
        let mut extra: BTreeMap<PlacePair, ArcInfo> = BTreeMap::new();
        for &e in &involved {
            let event = self.ds.event(e);
            let movement = event.is_movement();
            let selected = selected_event == Some(e);
            event.for_each_arc(|a, b, directed| {
                let entry = extra.entry((a, b)).or_insert((false, false, 0));
                entry.0 |= directed;
                entry.1 |= selected;
                // A movement is counted already.
                entry.2 += u32::from(!movement);
            });
        }
        // The busiest movements, cached while the window's events stay the
        // same: enough of them that no pair the selection adds to can push
        // one of the final few out unseen.
        let want = MAX_ARCS + extra.len();
        if self.cache.arcs_gen != self.view.window_gen
            || (!self.cache.arcs_all && self.cache.arcs_top.len() < want)
        {
            let top = &mut self.cache.arcs_top;
            top.clear();
            top.extend(self.view.arcs.iter().map(|(k, v)| (*k, *v)));
            let order = |a: &(PlacePair, (u32, u32))| (std::cmp::Reverse(a.1.1), a.0);
            let keep = want.max(MAX_ARCS + 64);
            self.cache.arcs_all = top.len() <= keep;
            if !self.cache.arcs_all {
                top.select_nth_unstable_by_key(keep, order);
                top.truncate(keep);
            }
            top.sort_unstable_by_key(order);
            self.cache.arcs_gen = self.view.window_gen;
        }
        let mut arcs: BTreeMap<PlacePair, ArcInfo> = self
            .cache
            .arcs_top
            .iter()
            .map(|&(pair, (directed, n))| (pair, (directed > 0, false, n)))
            .collect();
        for (pair, (directed, selected, n)) in extra {
            let entry = arcs.entry(pair).or_insert_with(|| {
                let (d, m) = self.view.arcs.get(&pair).copied().unwrap_or((0, 0));
                (d > 0, false, m)
            });
            entry.0 |= directed;
            entry.1 |= selected;
            entry.2 += n;
        }
        let mut arcs: Vec<(PlacePair, ArcInfo)> = arcs.into_iter().collect();
        arcs.sort_by_key(|(pair, (_, selected, n))| (!*selected, std::cmp::Reverse(*n), *pair));
        arcs.truncate(MAX_ARCS);
        arcs
    }

    fn count(&self, place: PlaceIdx) -> u32 {
        self.counts.get(place.index()).copied().unwrap_or(0)
    }

    /// Places the selection highlights: the selected place, or the selected
    /// event's places.
    fn highlighted(&self) -> Vec<PlaceIdx> {
        crate::state::AppState::highlighted_for(self.ds, self.selection)
    }

    /// Draws the map and returns what the user asked for.
    pub fn show(mut self, ui: &mut Ui) -> Vec<Action> {
        let mut actions = self.draw(ui);
        if self.camera != self.asked {
            actions.push(Action::Camera(self.camera));
        }
        actions
    }

    /// Draws the map; the camera it moved stays in `self.camera`.
    fn draw(&mut self, ui: &mut Ui) -> Vec<Action> {
        let mut actions = Vec::new();
        let rect = ui.available_rect_before_wrap();
        let palette = Palette::new(ui.visuals().dark_mode);
        let map_id = ui.scope_id().with("map");
        let response = ui.interact(rect, map_id, Sense::click_and_drag());
        response.widget_info(|| {
            WidgetInfo::labeled(
                Role::Canvas,
                true,
                "Map: drag to pan, scroll or pinch to zoom, double-click to zoom in",
            )
        });
        // Pan and zoom.
        if response.dragged() {
            self.camera.pan(response.drag_delta());
        }
        if let Some(hover) = response.hover_pos() {
            let (scroll, zoom) = ui.input(|i| (i.smooth_scroll_delta().y, i.zoom_delta()));
            let factor = f64::from(zoom) * (f64::from(scroll) / 300.0).exp();
            if (factor - 1.0).abs() > 1e-4 {
                self.camera.zoom_at(rect, hover, factor);
            }
        }
        if response.double_clicked()
            && let Some(pos) = response.interact_pointer_pos()
        {
            self.camera.zoom_at(rect, pos, 2.0);
        }

        let base_painter = ui.painter_at(rect);
        base_painter.rect_filled(rect, 0.0, palette.water);
        for shape in self.basemap.shapes(
            &mut self.cache.basemap,
            &self.camera,
            rect,
            &palette.basemap,
        ) {
            base_painter.add(shape);
        }
        // What goes over the basemap is clipped a hundredth of a point
        // inside it: the same pixels, but a clip rect of its own, so egui
        // tessellates it into a mesh of its own rather than growing the
        // basemap's (each growth copied every coastline, every frame).
        let painter = base_painter.with_clip_rect(base_painter.clip_rect().shrink(0.01));

        if self.cache.world_of != self.ds.generation()
            || self.cache.world.len() != self.ds.places.len()
        {
            self.cache.world = self
                .ds
                .places
                .iter()
                .map(|p| crate::model::projection::project(Coord { x: p.lon, y: p.lat }))
                .collect();
            self.cache.world_of = self.ds.generation();
        }
        let world = std::mem::take(&mut self.cache.world);
        let screen_of = |camera: &MapCamera, p: PlaceIdx| camera.to_screen(rect, world[p.index()]);
        let selected_event = match self.selection {
            Selection::Event(e) => Some(e),
            _ => None,
        };

        // Arcs: movements (an origin and a destination) in the window are
        // always drawn, directed; other events that join places only when
        // they are selected or touch the selected place, to keep the map calm.
        // The selected arcs and the busiest others; a few hundred curves say
        // all a map can say.
        // The window's events at the selected place: for the arcs and the
        // alleged origins below.
        let at_place = match self.selection {
            Selection::Place(p) => self.events_in_window_at(p),
            _ => Vec::new(),
        };
        let arcs = self.arcs(selected_event, &at_place);
        for &((a, b), (directed, selected, _)) in &arcs {
            let (pa, pb) = (screen_of(&self.camera, a), screen_of(&self.camera, b));
            let color = if selected {
                palette.highlight
            } else {
                palette.arc
            };
            let width = if selected { 2.6 } else { 1.4 };
            draw_arc(&painter, pa, pb, Stroke::new(width, color), directed, false);
        }

        // Alleged origins: only for the selected event (or the selected
        // place's events), dashed, and labelled with who alleges them.
        let claim_events: Vec<EventIdx> = match self.selection {
            Selection::Event(e) => vec![e],
            Selection::Place(_) => at_place,
            Selection::None => Vec::new(),
        };
        let mut alleged_drawn: Vec<(PlaceIdx, PlaceIdx)> = Vec::new();
        let mut alleged_labels: Vec<(Pos2, String, Color32)> = Vec::new();
        for &e in &claim_events {
            let event = self.ds.event(e);
            let Some(target) = event
                .places()
                .iter()
                .find(|p| matches!(p.role, PlaceRole::Target | PlaceRole::Location))
                .or_else(|| event.places().first())
            else {
                continue;
            };
            for claim in self.ds.claims_about(e) {
                let Some(origin) = claim.alleged_origin else {
                    continue;
                };
                if origin == target.place || alleged_drawn.contains(&(origin, target.place)) {
                    continue;
                }
                alleged_drawn.push((origin, target.place));
                // Alleged by those who assert it; where only suggestions
                // carry it, "suggested by", drawn lighter.
                let suggested = claim.only_suggested();
                let carried_by = if suggested {
                    StanceWord::Suggests
                } else {
                    StanceWord::Asserts
                };
                let mut who: Vec<&str> = claim
                    .stances
                    .iter()
                    .filter(|s| s.stance == carried_by)
                    .map(|s| self.ds.actor(s.actor).short_name())
                    .collect();
                who.sort_unstable();
                who.dedup();
                let (stroke, label) = if suggested {
                    (
                        Stroke::new(1.5, palette.alleged.gamma_multiply(0.55)),
                        "suggested by",
                    )
                } else {
                    (Stroke::new(2.0, palette.alleged), "alleged by")
                };
                let (pa, pb) = (
                    screen_of(&self.camera, origin),
                    screen_of(&self.camera, target.place),
                );
                let mid = draw_arc(&painter, pa, pb, stroke, true, true);
                alleged_labels.push((mid, format!("{label} {}", who.join(", ")), stroke.color));
            }
        }

        // Cause → response links of the selected event, from the earlier
        // event's place to the later one's, in the highlight colour, dotted.
        if let Some(sel) = selected_event {
            let place_of = |e: EventIdx| {
                let event = self.ds.event(e);
                event
                    .places()
                    .iter()
                    .find(|p| {
                        matches!(
                            p.role,
                            PlaceRole::Location | PlaceRole::Target | PlaceRole::Seat
                        )
                    })
                    .or_else(|| event.places().first())
                    .map(|p| p.place)
            };
            for (from, to) in self.ds.links_of(sel) {
                if let (Some(a), Some(b)) = (place_of(from), place_of(to))
                    && a != b
                {
                    let (pa, pb) = (screen_of(&self.camera, a), screen_of(&self.camera, b));
                    draw_arc(
                        &painter,
                        pa,
                        pb,
                        Stroke::new(1.8, palette.highlight.gamma_multiply(0.8)),
                        true,
                        true,
                    );
                }
            }
        }

        // Markers: places in view from the spatial index, most events last
        // so they draw on top.
        let highlighted = self.highlighted();
        let view = rect.shrink(2.0);
        let mut in_view: Vec<(MarkerRank, PlaceIdx)> = places_in_view(self.ds, &self.camera, rect)
            .filter(|&p| view.contains(screen_of(&self.camera, p)))
            .map(|p| {
                (
                    (
                        highlighted.contains(&p),
                        self.count(p),
                        std::cmp::Reverse(p),
                    ),
                    p,
                )
            })
            .collect();
        // Only the busiest get drawn one by one, so only they need an order;
        // the quiet rest go first, into one mesh.
        let busy_from = in_view.len().saturating_sub(MAX_MARKER_WIDGETS);
        if busy_from > 0 {
            in_view.select_nth_unstable_by_key(busy_from, |x| x.0);
        }
        in_view[busy_from..].sort_unstable_by_key(|x| x.0);
        let in_view: Vec<PlaceIdx> = in_view.into_iter().map(|(_, p)| p).collect();
        // Places at (almost) the same spot, such as a site known only to the
        // city, are fanned out a little around it so each stays clickable.
        let mut centers: Vec<Pos2> = in_view
            .iter()
            .map(|&p| screen_of(&self.camera, p))
            .collect();
        // Twins are found on a 3-point grid, not by comparing every pair.
        let mut seen: rustc_hash::FxHashMap<(i32, i32), u32> = rustc_hash::FxHashMap::default();
        seen.reserve(centers.len());
        for c in &mut centers {
            let cell = ((c.x / 3.0).round() as i32, (c.y / 3.0).round() as i32);
            let twins = seen.entry(cell).or_insert(0);
            if *twins > 0 {
                let angle =
                    std::f32::consts::FRAC_PI_4 + *twins as f32 * std::f32::consts::FRAC_PI_2;
                *c += vec2(angle.cos(), angle.sin()) * 11.0;
            }
            *twins += 1;
        }
        let mut marker_rects: Vec<Rect> = Vec::with_capacity(in_view.len());
        // The many quiet places under the busiest are one mesh of small
        // octagons, under the rest: cheap to tessellate however many there are.
        let minor_slot = painter.add(Shape::Noop);
        let mut minor_mesh = egui::Mesh::default();
        // Nine vertices and eight triangles an octagon, reserved at once.
        minor_mesh.vertices.reserve(in_view.len() * 9);
        minor_mesh.indices.reserve(in_view.len() * 24);
        for (k, &p) in in_view.iter().enumerate() {
            let place = self.ds.place(p);
            let count = self.count(p);
            let center = centers[k];
            let radius = marker_radius(count, place.kind);
            let hot = highlighted.contains(&p);
            let fill = if count > 0 {
                palette.marker
            } else {
                palette.marker_dim
            };
            let minor = k + MAX_MARKER_WIDGETS < in_view.len();
            match place.kind {
                // The many quiet places under the busiest: one fill each.
                _ if minor => {
                    push_octagon(&mut minor_mesh, center, radius, fill.gamma_multiply(0.8));
                }
                PlaceKind::Country | PlaceKind::Region | PlaceKind::Sea => {
                    // Fill and ring as one shape: one tessellation, not two.
                    painter.circle(
                        center,
                        radius,
                        fill.gamma_multiply(0.35),
                        Stroke::new(1.5, fill),
                    );
                }
                PlaceKind::City | PlaceKind::Site => {
                    painter.circle(center, radius, fill, Stroke::new(1.0, palette.halo));
                }
            }
            if count > 1 && radius >= 8.0 && k + MAX_MARKER_WIDGETS >= in_view.len() {
                painter.text(
                    center,
                    Align2::CENTER_CENTER,
                    count.to_string(),
                    FontId::proportional(10.5),
                    // Filled markers carry white digits; hollow (country, region) ones, the text colour.
                    if matches!(place.kind, PlaceKind::City | PlaceKind::Site) {
                        Color32::WHITE
                    } else {
                        palette.text
                    },
                );
            }
            if hot {
                painter.circle_stroke(center, radius + 3.0, Stroke::new(2.5, palette.highlight));
            }
            if k + MAX_MARKER_WIDGETS >= in_view.len() && self.contested_at(p) > 0 {
                // Where sources disagree: a small diamond on the marker's shoulder.
                let c = center + vec2(radius * 0.75, -radius * 0.75);
                painter.add(Shape::convex_polygon(
                    vec![
                        c + vec2(0.0, -4.0),
                        c + vec2(4.0, 0.0),
                        c + vec2(0.0, 4.0),
                        c + vec2(-4.0, 0.0),
                    ],
                    palette.alleged,
                    Stroke::new(1.0, palette.halo),
                ));
            }
            let hit = Rect::from_center_size(center, Vec2::splat(2.0 * radius + 4.0));
            marker_rects.push(hit);
            // Only the busiest places get a widget (and an accessible node) of
            // their own; the rest are reached through the spatial index.
            if k + MAX_MARKER_WIDGETS < in_view.len() {
                continue;
            }
            let r = ui.interact(hit, map_id.with(("place", p.0)), Sense::click());
            // Named only when a screen reader (AccessKit) or an output event asks.
            r.widget_info(|| {
                let mut name = place_name(self.ds, p, count);
                let contested = self.contested_at(p);
                if contested > 0 {
                    let _ = write!(name, ", {contested} contested");
                }
                let mut info = WidgetInfo::labeled(Role::Button, true, name);
                info.selected = Some(self.selection == Selection::Place(p));
                info
            });
            if r.has_focus() {
                painter.rect_stroke(
                    hit.expand(2.0),
                    3.0,
                    ui.visuals().selection.stroke,
                    StrokeKind::Outside,
                );
            }
            let r = r.on_hover_ui(|ui| place_tooltip(ui, self.ds, p, count));
            if r.clicked() {
                actions.push(Action::SelectPlace(p));
            }
        }

        painter.set(minor_slot, Shape::mesh(minor_mesh));

        // Labels, most important first, never overlapping.
        let label_rank = |i: usize| {
            let p = in_view[i];
            let kind_rank = match self.ds.place(p).kind {
                PlaceKind::City => 0,
                PlaceKind::Site => 1,
                PlaceKind::Country => 2,
                PlaceKind::Region | PlaceKind::Sea => 3,
            };
            (
                !highlighted.contains(&p),
                std::cmp::Reverse(self.count(p)),
                kind_rank,
                p,
            )
        };
        let mut order: Vec<usize> = (0..in_view.len()).collect();
        if order.len() > MAX_LABELS {
            order.select_nth_unstable_by_key(MAX_LABELS, |&i| label_rank(i));
            order.truncate(MAX_LABELS);
        }
        order.sort_unstable_by_key(|&i| label_rank(i));
        let galleys: Vec<_> = order
            .iter()
            .map(|&i| {
                let p = in_view[i];
                let place = self.ds.place(p);
                let color = if self.count(p) > 0 || highlighted.contains(&p) {
                    palette.text
                } else {
                    palette.text_dim
                };
                let size = if self.count(p) > 0 { 13.0 } else { 11.5 };
                painter.layout_no_wrap(place.name.clone(), FontId::proportional(size), color)
            })
            .collect();
        let requests: Vec<LabelRequest> = order
            .iter()
            .zip(&galleys)
            .map(|(&i, g)| LabelRequest {
                marker: marker_rects[i],
                size: g.size() + vec2(4.0, 0.0),
            })
            .collect();
        let mut label_rects: Vec<Rect> = Vec::new();
        for (slot, galley) in place_labels(&requests, &marker_rects, view)
            .into_iter()
            .zip(galleys)
        {
            if let Some(r) = slot {
                label_rects.push(r);
                painter.rect_filled(r, 3.0, palette.halo);
                painter.galley(r.min + vec2(2.0, 0.0), galley, palette.text);
            }
        }

        // "Alleged by" labels on top, kept clear of markers and place labels.
        for (mid, text, color) in alleged_labels {
            let galley = painter.layout_no_wrap(text, FontId::proportional(12.0), color);
            let size = galley.size() + vec2(6.0, 2.0);
            let spot = [
                vec2(0.0, -14.0),
                vec2(0.0, 14.0),
                vec2(0.0, -34.0),
                vec2(0.0, 34.0),
            ]
            .into_iter()
            .map(|d| Rect::from_center_size(mid + d, size))
            .find(|r| {
                !marker_rects
                    .iter()
                    .chain(&label_rects)
                    .any(|m| m.intersects(*r))
            })
            .unwrap_or_else(|| Rect::from_center_size(mid + vec2(0.0, -14.0), size));
            painter.rect_filled(spot, 3.0, palette.halo);
            painter.galley(spot.min + vec2(3.0, 1.0), galley, color);
        }

        // Places out of view: pointers along the edge, nudged apart.
        self.edge_pointers(ui, rect, &world, &palette, map_id, &mut actions);

        // Near misses on the background go to the nearest marker, found
        // through the spatial index.
        if response.clicked()
            && let Some(pos) = response.interact_pointer_pos().or(response.hover_pos())
        {
            if let Some(p) = pick_place(self.ds, &self.camera, rect, pos, 10.0) {
                actions.push(Action::SelectPlace(p));
            } else {
                let at = self.camera.to_lonlat(rect, pos);
                actions.push(Action::MapPoint {
                    lon: at.x,
                    lat: at.y,
                });
                actions.push(Action::ClearSelection);
            }
        } else if response.hovered()
            && let Some(pos) = response.hover_pos()
            && let Some(p) = pick_place(self.ds, &self.camera, rect, pos, 10.0)
        {
            let count = self.count(p);
            response.on_hover_ui_at_pointer(|ui| place_tooltip(ui, self.ds, p, count));
        }
        self.cache.world = world;

        // A basemap that did not decode says so, at the map's foot.
        if !self.basemap.problems().is_empty() {
            let words = self
                .basemap
                .problems()
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("; ");
            let note = Rect::from_min_max(
                pos2(rect.left() + 10.0, rect.bottom() - 60.0),
                pos2(rect.right() - 10.0, rect.bottom() - 8.0),
            );
            ui.scope_builder(egui::UiBuilder::new().max_rect(note), |ui| {
                egui::Frame::popup(ui.style()).show(ui, |ui| {
                    ui.colored_label(
                        ui.visuals().error_fg_color,
                        format!("The countries are not drawn: {words}"),
                    );
                });
            });
        }
        // Map controls (none in a picture).
        if self.cache.picture {
            return actions;
        }
        let controls = Rect::from_min_size(rect.left_top() + vec2(10.0, 10.0), vec2(110.0, 26.0));
        ui.scope_builder(egui::UiBuilder::new().max_rect(controls), |ui| {
            ui.horizontal(|ui| {
                if ui
                    .button("Fit to data")
                    .on_hover_text("Show every place with events in the window")
                    .clicked()
                {
                    actions.push(Action::FitToData);
                }
                if ui.button(" + ").on_hover_text("Zoom in").clicked() {
                    self.camera.zoom_at(rect, rect.center(), 1.6);
                }
                if ui.button(" - ").on_hover_text("Zoom out").clicked() {
                    self.camera.zoom_at(rect, rect.center(), 1.0 / 1.6);
                }
            });
        });
        actions
    }

    fn edge_pointers(
        &self,
        ui: &mut Ui,
        rect: Rect,
        world: &[Coord<f64>],
        palette: &Palette,
        map_id: Id,
        actions: &mut Vec<Action>,
    ) {
        let inner = rect.shrink(14.0);
        let center = rect.center();
        let mut pointers: Vec<(PlaceIdx, Pos2, Vec2)> = Vec::new();
        let highlighted = self.highlighted();
        for (i, &w) in world.iter().enumerate() {
            let p = PlaceIdx(i as u32);
            if self.count(p) == 0 && !highlighted.contains(&p) {
                continue;
            }
            let screen = self.camera.to_screen(rect, w);
            if rect.shrink(2.0).contains(screen) {
                continue;
            }
            let dir = (screen - center).normalized();
            // Where the ray from the centre leaves the inner rect.
            let tx = if dir.x.abs() > 1e-6 {
                (inner.width() / 2.0) / dir.x.abs()
            } else {
                f32::INFINITY
            };
            let ty = if dir.y.abs() > 1e-6 {
                (inner.height() / 2.0) / dir.y.abs()
            } else {
                f32::INFINITY
            };
            let at = center + dir * tx.min(ty);
            pointers.push((p, at, dir));
        }
        // The busiest few, so the edge stays readable; the rest are a pan away.
        let rank = |(p, _, _): &(PlaceIdx, Pos2, Vec2)| (std::cmp::Reverse(self.count(*p)), *p);
        if pointers.len() > MAX_EDGE_POINTERS {
            pointers.select_nth_unstable_by_key(MAX_EDGE_POINTERS, rank);
            pointers.truncate(MAX_EDGE_POINTERS);
        }
        pointers.sort_unstable_by_key(rank);
        pointers.sort_by(|a, b| a.1.y.total_cmp(&b.1.y).then(a.1.x.total_cmp(&b.1.x)));
        let mut taken: Vec<Rect> = Vec::new();
        let painter = ui.painter_at(rect);
        for (p, at, dir) in pointers {
            let place = self.ds.place(p);
            let count = self.count(p);
            let label = format!("{} ({count})", place.name);
            let galley = painter.layout_no_wrap(label, FontId::proportional(12.0), palette.text);
            // Room for the text and, on the side it points to, an arrow head.
            let size = galley.size() + vec2(24.0, 6.0);
            // Anchor the label inside the edge, then nudge it clear of others.
            let anchor = match (dir.x.abs() > dir.y.abs(), dir.x > 0.0, dir.y > 0.0) {
                (true, true, _) => Align2::RIGHT_CENTER,
                (true, false, _) => Align2::LEFT_CENTER,
                (false, _, true) => Align2::CENTER_BOTTOM,
                (false, _, false) => Align2::CENTER_TOP,
            };
            let mut r = anchor.anchor_size(at, size);
            r = r.translate(vec2(
                (rect.left() + 4.0 - r.left()).max(0.0) + (rect.right() - 4.0 - r.right()).min(0.0),
                (rect.top() + 40.0 - r.top()).max(0.0)
                    + (rect.bottom() - 4.0 - r.bottom()).min(0.0),
            ));
            let mut guard = 0;
            while taken.iter().any(|t| t.intersects(r)) && guard < 40 {
                r = r.translate(vec2(0.0, size.y + 2.0));
                if r.bottom() > rect.bottom() {
                    r = r.translate(vec2(0.0, -(r.top() - rect.top() - 40.0)));
                    r = r.translate(vec2(-(size.x + 4.0) * dir.x.signum(), 0.0));
                }
                guard += 1;
            }
            taken.push(r);
            let resp = ui.interact(r, map_id.with(("edge", p.0)), Sense::click());
            let name = format!(
                "{}, outside the view, {count} events in window: pan there",
                place.name
            );
            resp.widget_info(|| WidgetInfo::labeled(Role::Button, true, &name));
            let fill = if resp.hovered() || resp.has_focus() {
                palette.highlight.gamma_multiply(0.25)
            } else {
                palette.halo
            };
            painter.rect_filled(r, 4.0, fill);
            painter.rect_stroke(
                r,
                4.0,
                Stroke::new(1.0, palette.marker.gamma_multiply(0.7)),
                StrokeKind::Inside,
            );
            let arrow_on_left = dir.x < 0.0 && dir.x.abs() >= dir.y.abs();
            let text_at = if arrow_on_left {
                r.min + vec2(19.0, 3.0)
            } else {
                r.min + vec2(5.0, 3.0)
            };
            painter.galley(text_at, galley, palette.text);
            // A small triangle pointing at the place.
            let tip_center = if arrow_on_left {
                pos2(r.left() + 9.0, r.center().y)
            } else {
                pos2(r.right() - 9.0, r.center().y)
            };
            let across = vec2(-dir.y, dir.x);
            painter.add(Shape::convex_polygon(
                vec![
                    tip_center + dir * 6.0,
                    tip_center - dir * 4.0 + across * 5.0,
                    tip_center - dir * 4.0 - across * 5.0,
                ],
                palette.marker,
                Stroke::NONE,
            ));
            let resp = resp.on_hover_text(format!(
                "{} is outside the view: click to pan there",
                place.name
            ));
            if resp.clicked() {
                actions.push(Action::PanTo(p));
            }
        }
    }
}

/// A filled octagon (a small marker) into `mesh`.
fn push_octagon(mesh: &mut egui::Mesh, center: Pos2, radius: f32, color: Color32) {
    let base = mesh.vertices.len() as u32;
    mesh.colored_vertex(center, color);
    for k in 0..8 {
        let a = k as f32 * std::f32::consts::FRAC_PI_4;
        mesh.colored_vertex(center + vec2(a.cos(), a.sin()) * radius, color);
    }
    for k in 0..8 {
        mesh.add_triangle(base, base + 1 + k, base + 1 + (k + 1) % 8);
    }
}

/// Draws a gently curved arc from `a` to `b` (dashed if `dashed`, with an
/// arrow head at `b` if `directed`); returns its midpoint.
fn draw_arc(
    painter: &egui::Painter,
    a: Pos2,
    b: Pos2,
    stroke: Stroke,
    directed: bool,
    dashed: bool,
) -> Pos2 {
    let d = b - a;
    let normal = vec2(-d.y, d.x) * 0.18;
    let control = a + d * 0.5 + normal;
    let curve = QuadraticBezierShape::from_points_stroke(
        [a, control, b],
        false,
        Color32::TRANSPARENT,
        stroke,
    );
    let points = curve.flatten(Some(0.5));
    if dashed {
        painter.extend(Shape::dashed_line(&points, stroke, 7.0, 5.0));
    } else {
        painter.add(Shape::line(points.clone(), stroke));
    }
    if directed && points.len() >= 2 {
        let tip = points[points.len() - 1];
        let back = points[points.len().saturating_sub(4)];
        let dir = (tip - back).normalized();
        let across = vec2(-dir.y, dir.x);
        let head = 7.0 + stroke.width;
        painter.add(Shape::convex_polygon(
            vec![
                tip,
                tip - dir * head + across * head * 0.45,
                tip - dir * head - across * head * 0.45,
            ],
            stroke.color,
            Stroke::NONE,
        ));
    }
    curve.sample(0.5)
}

fn place_tooltip(ui: &mut Ui, ds: &Dataset, p: PlaceIdx, count: u32) {
    let place = ds.place(p);
    ui.strong(&place.name);
    let mut kind = place.kind.as_str().to_owned();
    if let Some(country) = &place.country
        && !country.is_empty()
        && *country != place.name
    {
        kind = format!("{kind} in {country}");
    }
    ui.label(kind);
    if !place.aliases.is_empty() {
        ui.label(format!("also: {}", place.aliases.join(", ")));
    }
    ui.label(format!(
        "{count} event{} in window",
        if count == 1 { "" } else { "s" }
    ));
}
