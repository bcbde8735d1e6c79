//! The facet panel: outlet, perspective, category, actor and place kind,
//! with counts of the events in the window, and the corroboration filters.

use egui::{RichText, Ui};

use crate::model::{ActorIdx, Category, Dataset, EventIdx, PlaceKind, SourceIdx};
use crate::state::{Action, Filter, FilterChange};

/// Draws the facets; `in_window` are the events in the time window (before
/// the facet filters), which the counts describe.
pub fn show(ui: &mut Ui, ds: &Dataset, filter: &Filter, in_window: &[EventIdx]) -> Vec<Action> {
    let mut actions = Vec::new();
    ui.heading("Filters");
    ui.weak("Counts are events in the time window.");
    if !filter.is_empty() && ui.button("Clear all filters").clicked() {
        actions.push(Action::Filter(FilterChange::Clear));
    }
    egui::ScrollArea::vertical()
        .auto_shrink([false, false])
        .show(ui, |ui| {
            ui.add_space(6.0);
            ui.label(RichText::new("Corroboration").strong());
            let mut single = filter.single_outlet_only;
            if ui
                .checkbox(&mut single, "only events one outlet reports")
                .changed()
            {
                actions.push(Action::Filter(FilterChange::SingleOutlet(single)));
            }
            let mut single_p = filter.single_perspective_only;
            if ui
                .checkbox(&mut single_p, "only events one perspective reports")
                .changed()
            {
                actions.push(Action::Filter(FilterChange::SinglePerspective(single_p)));
            }

            ui.add_space(6.0);
            ui.label(RichText::new("Outlets").strong());
            for (i, s) in ds.sources.iter().enumerate() {
                let idx = SourceIdx(i as u32);
                let n = in_window
                    .iter()
                    .filter(|&&e| ds.event(e).excerpts.iter().any(|x| x.source == idx))
                    .count();
                let mut on = !filter.hidden_sources.contains(&idx);
                if ui
                    .checkbox(&mut on, format!("{} ({n})", s.outlet))
                    .changed()
                {
                    actions.push(Action::Filter(if on {
                        FilterChange::ShowSource(idx)
                    } else {
                        FilterChange::HideSource(idx)
                    }));
                }
            }

            ui.add_space(6.0);
            ui.label(RichText::new("Perspectives").strong());
            let mut perspectives: Vec<&str> =
                ds.sources.iter().map(|s| s.perspective.as_str()).collect();
            perspectives.dedup();
            for p in perspectives {
                let n = in_window
                    .iter()
                    .filter(|&&e| ds.event_perspectives(e).contains(&p))
                    .count();
                let mut on = !filter.hidden_perspectives.contains(p);
                if ui.checkbox(&mut on, format!("{p} ({n})")).changed() {
                    let p = p.to_owned();
                    actions.push(Action::Filter(if on {
                        FilterChange::ShowPerspective(p)
                    } else {
                        FilterChange::HidePerspective(p)
                    }));
                }
            }

            ui.add_space(6.0);
            ui.label(RichText::new("Categories").strong());
            for &c in Category::ALL {
                let n = in_window
                    .iter()
                    .filter(|&&e| ds.event(e).category == c)
                    .count();
                let total = ds.events.iter().filter(|e| e.category == c).count();
                if total == 0 {
                    continue;
                }
                let mut on = !filter.hidden_categories.contains(&c);
                if ui.checkbox(&mut on, format!("{c} ({n})")).changed() {
                    actions.push(Action::Filter(if on {
                        FilterChange::ShowCategory(c)
                    } else {
                        FilterChange::HideCategory(c)
                    }));
                }
            }

            ui.add_space(6.0);
            ui.label(RichText::new("Place kinds").strong());
            for &k in PlaceKind::ALL {
                if !ds.places.iter().any(|p| p.kind == k) {
                    continue;
                }
                let n = in_window
                    .iter()
                    .filter(|&&e| {
                        ds.event(e)
                            .places
                            .iter()
                            .any(|p| ds.place(p.place).kind == k)
                    })
                    .count();
                let mut on = !filter.hidden_place_kinds.contains(&k);
                if ui.checkbox(&mut on, format!("{k} ({n})")).changed() {
                    actions.push(Action::Filter(if on {
                        FilterChange::ShowPlaceKind(k)
                    } else {
                        FilterChange::HidePlaceKind(k)
                    }));
                }
            }

            ui.add_space(6.0);
            ui.label(RichText::new("Actors").strong());
            for (i, a) in ds.actors.iter().enumerate() {
                let idx = ActorIdx(i as u32);
                let n = in_window
                    .iter()
                    .filter(|&&e| ds.event(e).actors.contains(&idx))
                    .count();
                let mut on = !filter.hidden_actors.contains(&idx);
                if ui.checkbox(&mut on, format!("{} ({n})", a.name)).changed() {
                    actions.push(Action::Filter(if on {
                        FilterChange::ShowActor(idx)
                    } else {
                        FilterChange::HideActor(idx)
                    }));
                }
            }
        });
    actions
}
