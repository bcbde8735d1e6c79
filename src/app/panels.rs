//! The top of the window: the bar (title, File menu, search, panel
//! toggles, filter chips, theme), and under it a load's progress, the
//! errors of a failed load and notices.

use egui::{Frame, Margin, Panel, RichText, Ui};

use super::files::JobKind;
use super::{App, Notice};
use crate::io::{
    self,
    import::{Format, Opened},
};
use crate::state::{Action, Dialog, ExportChoice};

impl App {
    /// The bar at the top.
    pub(super) fn top_bar(&mut self, ui: &mut Ui) {
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
                    let (mut claims, mut filters) =
                        (self.state.show_claims, self.state.show_filters);
                    ui.toggle_value(&mut claims, "Claims").on_hover_text(
                        "List every claim about the events in the window, contested ones first",
                    );
                    ui.toggle_value(&mut filters, "Filters").on_hover_text(
                        "Filter by outlet, perspective, category, actor and place kind",
                    );
                    if claims != self.state.show_claims {
                        top_actions.push(Action::ShowClaims(claims));
                    }
                    if filters != self.state.show_filters {
                        top_actions.push(Action::ShowFilters(filters));
                    }
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
    }

    /// The File menu: open, recent, reload, the embedded dataset, export.
    pub(super) fn file_menu(&mut self, ui: &mut Ui) {
        ui.menu_button("File", |ui| {
            if ui
                .button("Open…")
                .on_hover_text("Open a dataset folder or a TimelineJS, ACLED or GeoJSON file")
                .clicked()
            {
                self.apply(Action::OpenDialog(Dialog::Open));
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
            ui.separator();
            self.story_menu(ui);
            ui.separator();
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
                && self.may_leave_story()
            {
                match io::load_embedded() {
                    Ok(loaded) => {
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
                    // A broken build: listed like any failed load, the data on screen kept.
                    Err(errors) => {
                        self.load_errors = Some(("the embedded dataset".into(), errors.0));
                    }
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
                self.apply(Action::OpenDialog(Dialog::Export(self.export_dialog.choice)));
                ui.close();
            }
            if ui
                .button("Export briefing…")
                .on_hover_text(
                    "Write what the view shows as a document for a desk: the events, the claims with each stance's verbatim quote and numbered citations, the map and the strip",
                )
                .clicked()
            {
                self.apply(Action::OpenDialog(Dialog::Export(ExportChoice::Briefing)));
                ui.close();
            }
        });
    }

    /// The File menu's story items: new, edit, save, undo, redo, discard.
    fn story_menu(&mut self, ui: &mut Ui) {
        if ui
            .button("New story…")
            .on_hover_text("Start a story of your own in a new folder")
            .clicked()
        {
            self.apply(Action::OpenDialog(Dialog::NewStory));
            ui.close();
        }
        let editable = self.authoring.is_none()
            && self.format == Format::Native
            && self.origin.as_deref().is_some_and(std::path::Path::is_dir);
        if ui
            .add_enabled(editable, egui::Button::new("Edit this story"))
            .on_hover_text("Add sources, cite their passages, and save; Ctrl+Z undoes")
            .clicked()
        {
            if let Err(e) = self.start_editing() {
                self.notice = Some(e.into());
            }
            ui.close();
        }
        if ui
            .add_enabled(self.authoring.is_some(), egui::Button::new("Add a source…"))
            .on_hover_text(
                "An article's text, pasted or from a .txt file, and where it was published",
            )
            .clicked()
        {
            self.apply(Action::OpenDialog(Dialog::AddSource));
            ui.close();
        }
        if ui
            .add_enabled(
                self.authoring.is_none() && !editable,
                egui::Button::new("Save as a story folder…"),
            )
            .on_hover_text("Copy the embedded story or an imported file into a mapline folder, and edit it there")
            .clicked()
        {
            self.apply(Action::OpenDialog(Dialog::SaveAs));
            ui.close();
        }
        let (dirty, undo, redo) = self.authoring.as_ref().map_or((false, false, false), |a| {
            (a.dirty, a.history.can_undo(), a.history.can_redo())
        });
        if ui
            .add_enabled(dirty, egui::Button::new("Save story  (Ctrl+S)"))
            .clicked()
        {
            if let Err(e) = self.save_story() {
                self.notice = Some(e.into());
            }
            ui.close();
        }
        if ui
            .add_enabled(undo, egui::Button::new("Undo  (Ctrl+Z)"))
            .clicked()
        {
            self.undo();
        }
        if ui
            .add_enabled(redo, egui::Button::new("Redo  (Ctrl+Shift+Z)"))
            .clicked()
        {
            self.redo();
        }
        if ui
            .add_enabled(dirty, egui::Button::new("Discard edits"))
            .on_hover_text("Drop the unsaved edits and read the story's folder again")
            .clicked()
        {
            self.discard_edits();
            ui.close();
        }
    }

    /// Under the top bar: a load's progress, the errors of a failed load
    /// (the last good data stays shown), and notices.
    pub(super) fn status_panels(&mut self, ui: &mut Ui) {
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
        if let Some(problems) = self.authoring.as_ref().and_then(|a| a.problems.as_ref()) {
            Panel::top("mapline-story-problems")
                .resizable(true)
                .max_size(220.0)
                .frame(Frame::side_top_panel(ui.style()).inner_margin(Margin::symmetric(10, 8)))
                .show(ui, |ui| {
                    ui.colored_label(
                        ui.visuals().warn_fg_color,
                        RichText::new(format!(
                            "The story does not pass the checks ({} problem(s)): the map and the timeline show its last version that did, and Save waits until they are mended.",
                            problems.0.len()
                        ))
                        .strong(),
                    );
                    egui::ScrollArea::vertical()
                        .id_salt("story-problems")
                        .show(ui, |ui| {
                            for d in problems.0.iter().take(crate::io::MAX_DIAGNOSTICS) {
                                ui.label(RichText::new(d.to_string()).monospace().size(12.0));
                            }
                        });
                });
        }
        let mut discard = false;
        let mut recover = None;
        if let Some(notice) = &self.notice {
            Panel::top("mapline-notice")
                .frame(Frame::side_top_panel(ui.style()).inner_margin(Margin::symmetric(10, 6)))
                .show(ui, |ui| {
                    ui.horizontal(|ui| {
                        ui.colored_label(ui.visuals().warn_fg_color, notice.to_string());
                        if let Notice::Recoverable { journal, .. } = notice {
                            if ui
                                .button("Restore")
                                .on_hover_text("Open the story with every unsaved edit replayed")
                                .clicked()
                            {
                                recover = Some((true, journal.clone()));
                            }
                            if ui
                                .button("Discard")
                                .on_hover_text("Drop the unsaved edits for good")
                                .clicked()
                            {
                                recover = Some((false, journal.clone()));
                            }
                        }
                        if matches!(notice, Notice::ChangedUnderEdits(_))
                            && ui
                                .button("Discard edits")
                                .on_hover_text("Drop the unsaved edits and load the files")
                                .clicked()
                        {
                            discard = true;
                        }
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
        if discard {
            self.notice = None;
            self.discard_edits();
        }
        match recover {
            Some((true, journal)) => {
                self.notice = None;
                if let Err(e) = self.restore_journal(&journal) {
                    self.notice = Some(e.into());
                }
            }
            Some((false, journal)) => {
                self.notice = None;
                self.discard_journal(&journal);
            }
            None => {}
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
