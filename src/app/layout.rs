//! The explorer's body: the facet panel, the time strip, the reader and
//! the map, laid out around each other; each widget's actions go to the
//! state.

use egui::{CentralPanel, Frame, Margin, Panel, RichText, Ui};

use super::{App, STRIP_HEIGHT, STRIP_MIN_HEIGHT, facets};
use crate::map::MapView;
use crate::reader::Reader;
use crate::state::{Action, Clock, Selection};
use crate::timeline::TimeStrip;

impl App {
    /// Everything under the top bar and the status panels.
    pub(super) fn body(&mut self, ui: &mut Ui) {
        if self.state.show_filters {
            let in_window = self.state.derived.facet_events(&self.ds);
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
        // A story being written keeps its map: its first place may be a click on it.
        let placeless = self.ds.places.is_empty() && self.authoring.is_none();
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

        if placeless
            || self.state.selection != Selection::None
            || self.state.article.is_some()
            || self.state.show_claims
        {
            self.state.derived.ensure_events();
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
                                actions.push(Action::ShowClaims(false));
                            }
                        });
                    });
                    ui.separator();
                    actions.extend(
                        Reader::new(
                            &self.ds,
                            self.state.selection,
                            &self.state.derived.events,
                            self.state.article.as_ref(),
                        )
                        .with_window(story_window)
                        .as_slides(placeless && !self.state.show_claims)
                        .citing(self.authoring.is_some())
                        .pending(
                            self.event_window
                                .passage
                                .as_ref()
                                .filter(|_| self.event_window.open)
                                .filter(|(s, _)| {
                                    self.state.article.as_ref().is_some_and(|a| a.source == *s)
                                })
                                .map(|(_, span)| span.clone()),
                        )
                        .show(ui),
                    );
                    actions
                })
                .inner;
            self.apply_all(actions);
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
            self.apply(Action::MapArea(rect));
            let actions = MapView::new(
                &self.ds,
                self.state.selection,
                &self.state.derived,
                &self.state.camera,
                &mut self.map_cache,
            )
            .show(ui);
            // Picking a new event's place: the click is the place, and the
            // selection stays.
            let point = actions.iter().find_map(|a| match a {
                Action::MapPoint { lon, lat } => Some((*lon, *lat)),
                _ => None,
            });
            if self.event_window.picking
                && let Some((lon, lat)) = point
            {
                self.event_window.set_point(lon, lat);
                return;
            }
            self.apply_all(actions);
        });
    }

    /// The time strip, in whatever room it is given.
    fn strip_ui(&mut self, ui: &mut Ui) -> Vec<Action> {
        // Computed once per dataset by the state's refresh, then borrowed.
        let reported = match self.state.clock {
            Clock::Reported => self.state.derived.reported_times(),
            Clock::Happened => None,
        };
        TimeStrip::new(
            &self.ds,
            &self.state,
            &self.state.derived.in_window,
            &self.state.derived.passes,
            reported,
            &mut self.timeline,
        )
        .with_counts(
            self.state.derived.in_count,
            self.state.derived.pass_count,
            self.state.derived.filter_gen,
        )
        .show(ui)
    }
}
