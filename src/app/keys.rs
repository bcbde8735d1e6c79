//! The explorer's own keys, turned into actions.

use egui::{Key, Modifiers, Ui};

use super::{App, search};
use crate::state::Action;

impl App {
    /// Global keys, only when no text field has focus (so typing a date
    /// never clears the selection). Esc cancels a load, else closes the
    /// article, else clears the selection.
    pub(super) fn handle_keys(&mut self, ui: &Ui) {
        if ui.input_mut(|i| i.consume_key(Modifiers::COMMAND, Key::F)) {
            ui.ctx().memory_mut(|m| m.request_focus(search::field_id()));
            self.search.open = !self.search.query.trim().is_empty();
        }
        if self.authoring.is_some()
            && ui.input_mut(|i| i.consume_key(Modifiers::COMMAND, Key::S))
            && let Err(e) = self.save_story()
        {
            self.notice = Some(e.into());
        }
        if ui.ctx().text_edit_focused() {
            return;
        }
        // Undo and redo of the story's edits (a text field keeps its own).
        if self.authoring.is_some() {
            let (redo, undo) = ui.input_mut(|i| {
                (
                    i.consume_key(Modifiers::COMMAND | Modifiers::SHIFT, Key::Z)
                        || i.consume_key(Modifiers::COMMAND, Key::Y),
                    i.consume_key(Modifiers::COMMAND, Key::Z),
                )
            });
            if redo {
                self.redo();
            } else if undo {
                self.undo();
            }
        }
        if ui.input_mut(|i| i.consume_key(Modifiers::NONE, Key::Escape)) {
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
            if ui.input_mut(|i| i.consume_key(Modifiers::NONE, key)) {
                self.apply(action);
            }
        }
        // Space plays and pauses, unless a focused widget (a button) claims it.
        let focused = ui.ctx().memory(|m| m.focused().is_some());
        if !focused && ui.input_mut(|i| i.consume_key(Modifiers::NONE, Key::Space)) {
            self.apply(Action::TogglePlay);
        }
        let (zoom_in, zoom_out) = ui.input_mut(|i| {
            (
                i.consume_key(Modifiers::NONE, Key::Plus)
                    || i.consume_key(Modifiers::NONE, Key::Equals)
                    || i.consume_key(Modifiers::SHIFT, Key::Equals),
                i.consume_key(Modifiers::NONE, Key::Minus),
            )
        });
        if zoom_in || zoom_out {
            self.apply(Action::ZoomTime(if zoom_in { 2.0 } else { 0.5 }));
        }
    }
}
