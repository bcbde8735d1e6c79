//! The facet panel: outlet, perspective, category, actor and place kind,
//! with counts of the events in the window, and the corroboration filters.

use egui::{RichText, Ui};

use crate::model::{ActorIdx, Category, Dataset, EventIdx, PlaceKind, SourceIdx};
use crate::state::{Action, Filter, FilterChange};

/// One facet value: a checkbox that is on while the value is shown; toggling
/// it asks for `show` or `hide`.
fn facet(
    ui: &mut Ui,
    label: String,
    on: bool,
    show: FilterChange,
    hide: FilterChange,
    actions: &mut Vec<Action>,
) {
    let mut checked = on;
    if ui.checkbox(&mut checked, label).changed() {
        actions.push(Action::Filter(if checked { show } else { hide }));
    }
}

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
                    .filter(|&&e| ds.event(e).excerpts().iter().any(|x| x.source == idx))
                    .count();
                facet(
                    ui,
                    format!("{} ({n})", s.outlet),
                    !filter.hidden_sources.contains(&idx),
                    FilterChange::ShowSource(idx),
                    FilterChange::HideSource(idx),
                    &mut actions,
                );
            }

            ui.add_space(6.0);
            ui.label(RichText::new("Perspectives").strong());
            // Each perspective once, in source order (two outlets may share one).
            let mut perspectives: Vec<&str> = Vec::new();
            for s in &ds.sources {
                if !perspectives.contains(&s.perspective.as_str()) {
                    perspectives.push(&s.perspective);
                }
            }
            for p in perspectives {
                let n = in_window
                    .iter()
                    .filter(|&&e| ds.event_perspectives(e).contains(&p))
                    .count();
                facet(
                    ui,
                    format!("{p} ({n})"),
                    !filter.hidden_perspectives.contains(p),
                    FilterChange::ShowPerspective(p.to_owned()),
                    FilterChange::HidePerspective(p.to_owned()),
                    &mut actions,
                );
            }

            ui.add_space(6.0);
            ui.label(RichText::new("Categories").strong());
            for &c in Category::ALL {
                let n = in_window
                    .iter()
                    .filter(|&&e| ds.event(e).category() == c)
                    .count();
                let total = ds.events.iter().filter(|e| e.category() == c).count();
                if total == 0 {
                    continue;
                }
                facet(
                    ui,
                    format!("{c} ({n})"),
                    !filter.hidden_categories.contains(&c),
                    FilterChange::ShowCategory(c),
                    FilterChange::HideCategory(c),
                    &mut actions,
                );
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
                            .places()
                            .iter()
                            .any(|p| ds.place(p.place).kind == k)
                    })
                    .count();
                facet(
                    ui,
                    format!("{k} ({n})"),
                    !filter.hidden_place_kinds.contains(&k),
                    FilterChange::ShowPlaceKind(k),
                    FilterChange::HidePlaceKind(k),
                    &mut actions,
                );
            }

            ui.add_space(6.0);
            ui.label(RichText::new("Actors").strong());
            for (i, a) in ds.actors.iter().enumerate() {
                let idx = ActorIdx(i as u32);
                let n = in_window
                    .iter()
                    .filter(|&&e| ds.event(e).actors().contains(&idx))
                    .count();
                facet(
                    ui,
                    format!("{} ({n})", a.name),
                    !filter.hidden_actors.contains(&idx),
                    FilterChange::ShowActor(idx),
                    FilterChange::HideActor(idx),
                    &mut actions,
                );
            }
        });
    actions
}
