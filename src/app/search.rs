//! The search field (Ctrl+F) and its results, listed with the matching
//! words highlighted; choosing one selects it and brings it into view.

use egui::text::{LayoutJob, TextFormat};
use egui::{Align2, FontId, Id, Key, Order, Role, Sense, TextEdit, Ui, WidgetInfo};

use crate::model::Dataset;
use crate::model::search::{SearchHit, SearchIndex};
use crate::state::Action;

/// The search box's state.
#[derive(Default)]
pub struct SearchState {
    /// What is typed.
    pub query: String,
    index: Option<SearchIndex>,
    searched: Option<String>,
    /// The hits for the query.
    pub hits: Vec<SearchHit>,
    /// The result list is showing.
    pub open: bool,
}

/// The id of the search field, to focus it with Ctrl+F.
#[must_use]
pub fn field_id() -> Id {
    Id::unique("mapline-search-field")
}

impl SearchState {
    /// Runs the query if it changed since the last search.
    pub fn refresh(&mut self, ds: &Dataset) {
        if self.searched.as_deref() == Some(self.query.as_str()) {
            return;
        }
        self.searched = Some(self.query.clone());
        if self.query.trim().is_empty() {
            // No index is built until the first real query.
            self.hits.clear();
            return;
        }
        let index = self.index.get_or_insert_with(|| SearchIndex::new(ds));
        self.hits = index.search(ds, &self.query, 60);
    }

    /// Draws the field (and, under it, the results); returns what to do.
    pub fn show(&mut self, ui: &mut Ui, ds: &Dataset) -> Vec<Action> {
        let mut actions = Vec::new();
        let label = ui.label("Search");
        let field = ui
            .add(
                TextEdit::singleline(&mut self.query)
                    .id(field_id())
                    .desired_width(240.0)
                    .hint_text("places, events, quotes… (Ctrl+F)"),
            )
            .labelled_by(label.id);
        if field.changed() {
            self.open = !self.query.trim().is_empty();
        }
        if field.gained_focus() && !self.query.trim().is_empty() {
            self.open = true;
        }
        self.refresh(ds);
        let enter = field.lost_focus() && ui.input(|i| i.key_pressed(Key::Enter));
        if enter && let Some(first) = self.hits.first() {
            actions.push(Action::Reveal(first.target.clone()));
            self.open = false;
        }
        if self.open && !self.query.trim().is_empty() {
            let at = field.rect.left_bottom() + egui::vec2(0.0, 4.0);
            let dark = ui.visuals().dark_mode;
            let mark = if dark {
                egui::Color32::from_rgb(0x6b, 0x55, 0x12)
            } else {
                egui::Color32::from_rgb(0xff, 0xe5, 0x8f)
            };
            let text_color = ui.visuals().text_color();
            let weak = ui.visuals().weak_text_color();
            let area = egui::Area::new(Id::unique("mapline-search-results"))
                .order(Order::Foreground)
                .pivot(Align2::LEFT_TOP)
                .fixed_pos(at)
                .show(ui.ctx(), |ui| {
                    egui::Frame::popup(ui.style()).show(ui, |ui| {
                        ui.set_width(520.0);
                        if self.hits.is_empty() {
                            ui.weak(format!("Nothing matches “{}”.", self.query.trim()));
                            return;
                        }
                        ui.weak(format!(
                            "{} result(s){}",
                            self.hits.len(),
                            if self.hits.len() >= 60 {
                                " (the first 60)"
                            } else {
                                ""
                            }
                        ));
                        egui::ScrollArea::vertical()
                            .max_height(420.0)
                            .show(ui, |ui| {
                                for hit in &self.hits {
                                    let mut job = LayoutJob::default();
                                    job.wrap.max_width = 500.0;
                                    let font = FontId::proportional(13.0);
                                    job.append(
                                        &format!("{}  ", hit.target.kind()),
                                        0.0,
                                        TextFormat::simple(FontId::proportional(11.0), weak),
                                    );
                                    let mut pos = 0;
                                    for m in &hit.matches {
                                        job.append(
                                            &hit.text[pos..m.start],
                                            0.0,
                                            TextFormat::simple(font.clone(), text_color),
                                        );
                                        job.append(
                                            &hit.text[m.clone()],
                                            0.0,
                                            TextFormat {
                                                background: mark,
                                                ..TextFormat::simple(font.clone(), text_color)
                                            },
                                        );
                                        pos = m.end;
                                    }
                                    job.append(
                                        &hit.text[pos..],
                                        0.0,
                                        TextFormat::simple(font.clone(), text_color),
                                    );
                                    let r = ui.add(egui::Label::new(job).sense(Sense::click()));
                                    let name = format!("{}: {}", hit.target.kind(), hit.text);
                                    r.widget_info(|| {
                                        WidgetInfo::labeled(Role::Button, true, &name)
                                    });
                                    if r.hovered() || r.has_focus() {
                                        ui.painter().rect_stroke(
                                            r.rect.expand(2.0),
                                            3.0,
                                            ui.visuals().selection.stroke,
                                            egui::StrokeKind::Outside,
                                        );
                                    }
                                    if r.clicked() {
                                        actions.push(Action::Reveal(hit.target.clone()));
                                    }
                                    ui.add_space(3.0);
                                }
                            });
                    });
                });
            if !actions.is_empty() {
                self.open = false;
            }
            // Clicking elsewhere closes the list.
            let clicked_elsewhere = ui.input(|i| i.pointer.any_pressed())
                && !field.hovered()
                && !area
                    .response
                    .rect
                    .contains(ui.input(|i| i.pointer.interact_pos().unwrap_or_default()));
            if clicked_elsewhere {
                self.open = false;
            }
        }
        actions
    }
}
