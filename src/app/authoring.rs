//! Writing a story in the window: the story being edited, its undo history
//! and journal, and the dataset rebuilt from it after each edit.
//!
//! An edit goes to the story ([`crate::io::story`]), is journaled, and the
//! story is rebuilt by the one builder. When it passes the checks the map,
//! the strip and the reader show it at once, keeping the view; when it does
//! not, they keep its last version that did, and the problems are listed.
//! Nothing is written to the folder until *Save* (Ctrl+S), and only a story
//! that passes `mapline check` is saved.

use std::path::{Path, PathBuf};

use super::{App, GuiError, Notice};
use crate::io::DatasetErrors;
use crate::io::import::{Format, Opened};
use crate::io::story::{Edit, History, Journal, Step, Story};
use crate::state::Action;

/// Datasets larger than this open read-only: an edit rebuilds the whole
/// story, and at this size that is no longer a keystroke's work.
pub const MAX_EDITABLE_EVENTS: usize = 100_000;

/// The story being written.
#[derive(Debug)]
pub struct Authoring {
    /// The document.
    pub story: Story,
    /// Undo and redo.
    pub history: History,
    /// Where it is saved.
    pub folder: PathBuf,
    /// Every step, for recovery after a crash (`None`: no config folder).
    journal: Option<Journal>,
    /// Edits not yet saved.
    pub dirty: bool,
    /// What keeps the story as it is now from passing the checks (the
    /// window shows its last version that did).
    pub problems: Option<DatasetErrors>,
}

impl App {
    /// The story being written, if any.
    #[must_use]
    pub fn authoring(&self) -> Option<&Authoring> {
        self.authoring.as_ref()
    }

    /// Starts editing the dataset on screen, opened from a native folder.
    ///
    /// # Errors
    /// The dataset is embedded or imported (save it as a folder first), too
    /// large to edit, or its folder no longer loads.
    pub fn start_editing(&mut self) -> Result<(), GuiError> {
        let folder = match (&self.origin, self.format) {
            (Some(p), Format::Native) if p.is_dir() => p.clone(),
            _ => {
                return Err(GuiError::NotEditable(
                    "only a dataset opened from a mapline folder can be edited; export this one as a mapline dataset folder and open that"
                        .to_owned(),
                ));
            }
        };
        if self.ds.events.len() > MAX_EDITABLE_EVENTS {
            return Err(GuiError::NotEditable(format!(
                "it holds {} events, more than the {MAX_EDITABLE_EVENTS} that can be edited; it stays read-only",
                self.ds.events.len()
            )));
        }
        let story = Story::open(&folder).map_err(GuiError::Embedded)?;
        self.begin(story, folder)
    }

    /// *File → New story*: an empty story called `title`, saved at once in
    /// `folder` (which must not exist yet, or be empty), opened and edited.
    ///
    /// # Errors
    /// The folder holds files already, or cannot be written.
    pub fn new_story(&mut self, folder: &Path, title: &str) -> Result<(), GuiError> {
        self.leave_story()?;
        empty_folder(folder, "a new story starts in")?;
        let mut story = Story::new(title.trim());
        story.save(folder).map_err(GuiError::Save)?;
        let loaded = story.build().map_err(GuiError::Embedded)?;
        self.show_folder(loaded, folder);
        self.settings.remember(folder);
        self.begin(story, folder.to_path_buf())
    }

    /// *Save as a story folder*: the dataset on screen (the embedded story,
    /// an imported file) written whole as a mapline folder, opened from
    /// there and edited.
    ///
    /// # Errors
    /// The folder holds files already, or cannot be written, or is too
    /// large to edit.
    pub fn save_as_story(&mut self, folder: &Path) -> Result<(), GuiError> {
        empty_folder(folder, "the copy goes into")?;
        let events: Vec<crate::model::EventIdx> = self.ds.event_indices().collect();
        let view = crate::io::export::View {
            dataset: &self.ds,
            events: &events,
        };
        crate::io::export::export_with(
            &view,
            crate::io::export::ExportFormat::Native,
            folder,
            crate::io::export::ExportOptions::default(),
        )
        .map_err(|source| GuiError::Write {
            path: folder.to_path_buf(),
            source,
        })?;
        let opened = crate::io::import::open(folder, None).map_err(GuiError::Embedded)?;
        self.swap_dataset(opened, true);
        self.origin = Some(folder.to_path_buf());
        self.format = Format::Native;
        self.load_errors = None;
        self.settings.remember(folder);
        self.start_editing()
    }

    /// Shows `loaded`, built from the story kept in `folder`, as the dataset
    /// opened from that folder (a fresh view).
    fn show_folder(&mut self, loaded: crate::io::Loaded, folder: &Path) {
        self.swap_dataset(
            Opened {
                loaded,
                format: Format::Native,
                files: vec![folder.join(crate::io::files::MANIFEST)],
            },
            false,
        );
        self.origin = Some(folder.to_path_buf());
        self.load_errors = None;
    }

    /// [`Self::may_leave_story`] as an error for a caller that must stop.
    fn leave_story(&mut self) -> Result<(), GuiError> {
        if self.may_leave_story() {
            Ok(())
        } else {
            Err(GuiError::NotEditable(
                "the story open now has unsaved edits: save or discard them first".to_owned(),
            ))
        }
    }

    fn begin(&mut self, story: Story, folder: PathBuf) -> Result<(), GuiError> {
        let journal = match self.journal_path(&folder) {
            Some(path) => {
                Some(Journal::start(&path, &story, Some(&folder)).map_err(GuiError::Journal)?)
            }
            None => None,
        };
        self.authoring = Some(Authoring {
            story,
            history: History::default(),
            folder,
            journal,
            dirty: false,
            problems: None,
        });
        Ok(())
    }

    /// Where the journals are kept: beside the settings (never in a
    /// dataset's folder, which the watcher reads).
    fn journal_dir(&self) -> Option<PathBuf> {
        let store = self.store.as_ref()?;
        Some(store.path().with_file_name("journals"))
    }

    /// The journal of the story in `folder`: one per folder, so that one
    /// left behind is never overwritten by editing another story.
    fn journal_path(&self, folder: &Path) -> Option<PathBuf> {
        use sha2::Digest as _;
        let key = sha2::Sha256::digest(folder.as_os_str().as_encoded_bytes());
        let name = format!("{key:x}")[..16].to_owned();
        Some(self.journal_dir()?.join(format!("{name}.jsonl")))
    }

    /// Applies an edit to the story being written, journals it and shows the
    /// result.
    ///
    /// # Errors
    /// No story is being written, or the edit does not fit it (nothing changes).
    pub fn edit(&mut self, edit: Edit) -> Result<(), GuiError> {
        let a = self.authoring.as_mut().ok_or_else(not_editing)?;
        let step = Step::Edit {
            edit: Box::new(edit.clone()),
        };
        a.history
            .apply(&mut a.story, edit)
            .map_err(GuiError::Edit)?;
        self.after_step(&step);
        Ok(())
    }

    /// Cites `span` (bytes) of `source`'s article as the excerpt of the
    /// selected event.
    ///
    /// # Errors
    /// No story is being written, no event is selected, the article on
    /// screen is not the story's, or the selection is not a passage.
    pub fn cite_selection(
        &mut self,
        source: crate::model::SourceIdx,
        span: std::ops::Range<usize>,
    ) -> Result<(), GuiError> {
        let a = self.authoring.as_ref().ok_or_else(not_editing)?;
        let crate::state::Selection::Event(e) = self.state.selection else {
            return Err(GuiError::NotEditable(
                "select the event the passage is evidence for first".to_owned(),
            ));
        };
        let shown = self.ds.source(source);
        let same_text = a
            .story
            .position(crate::io::story::Kind::Source, &shown.id)
            .and_then(|i| a.story.article(&a.story.manifest.sources[i].file))
            == Some(shown.text.as_str());
        if !same_text {
            return Err(GuiError::NotEditable(format!(
                "the article of {} on screen is not the story's own text",
                shown.id
            )));
        }
        let edit = a
            .story
            .cite(self.ds.event(e).id(), &shown.id, span)
            .map_err(GuiError::Edit)?;
        self.edit(edit)
    }

    /// Ctrl+Z: undoes the latest edit; `false` when there is none.
    pub fn undo(&mut self) -> bool {
        let Some(a) = self.authoring.as_mut() else {
            return false;
        };
        let done = a.history.undo(&mut a.story);
        if done {
            self.after_step(&Step::Undo);
        }
        done
    }

    /// Ctrl+Shift+Z: redoes the latest edit undone; `false` when there is none.
    pub fn redo(&mut self) -> bool {
        let Some(a) = self.authoring.as_mut() else {
            return false;
        };
        let done = a.history.redo(&mut a.story);
        if done {
            self.after_step(&Step::Redo);
        }
        done
    }

    /// After a step: journal it, rebuild, show.
    fn after_step(&mut self, step: &Step) {
        let Some(a) = self.authoring.as_mut() else {
            return;
        };
        a.dirty = true;
        if let Some(journal) = &mut a.journal
            && let Err(e) = journal.record(step)
        {
            self.notice = Some(Notice::Problem(GuiError::Journal(e)));
        }
        self.rebuild_story();
    }

    /// Builds the story and shows it if it passes the checks; else keeps
    /// the last version that did and lists what is wrong.
    fn rebuild_story(&mut self) {
        let Some(a) = self.authoring.as_mut() else {
            return;
        };
        match a.story.build() {
            Ok(loaded) => {
                a.problems = None;
                let files = vec![a.folder.join(crate::io::files::MANIFEST)];
                // A window that held the whole story follows it as it grows
                // (a first event lands in view, not outside a window of today).
                let window = self.state.window;
                let whole = self
                    .ds
                    .time_extent()
                    .is_none_or(|x| window.start <= x.start && window.end >= x.end);
                self.swap_dataset(
                    Opened {
                        loaded,
                        format: Format::Native,
                        files,
                    },
                    true,
                );
                if whole && let Some(extent) = self.ds.time_extent() {
                    self.apply(Action::SetWindow(extent));
                    self.apply(Action::HomeAxis);
                }
            }
            Err(errors) => a.problems = Some(errors),
        }
    }

    /// Ctrl+S: writes the story into its folder if it passes the checks.
    ///
    /// # Errors
    /// No story is being written; it does not pass (its problems are listed,
    /// the edits kept); or a file cannot be written.
    pub fn save_story(&mut self) -> Result<(), GuiError> {
        let a = self.authoring.as_mut().ok_or_else(not_editing)?;
        a.story.save(&a.folder).map_err(GuiError::Save)?;
        a.dirty = false;
        // Saved: the journal starts again from the folder as it now is.
        let folder = a.folder.clone();
        if let Some(old) = a.journal.take() {
            old.finish().map_err(GuiError::Journal)?;
        }
        if let Some(path) = self.journal_path(&folder)
            && let Some(a) = self.authoring.as_mut()
        {
            a.journal =
                Some(Journal::start(&path, &a.story, Some(&folder)).map_err(GuiError::Journal)?);
        }
        Ok(())
    }
}

impl App {
    /// May the story being written be left (for another dataset)? Not
    /// while it has unsaved edits: a notice says so instead.
    pub(super) fn may_leave_story(&mut self) -> bool {
        match &self.authoring {
            Some(a) if a.dirty => {
                self.notice = Some(Notice::SaveFirst(a.folder.clone()));
                false
            }
            Some(_) => {
                if let Some(a) = self.authoring.take()
                    && let Some(journal) = a.journal
                    && let Err(e) = journal.finish()
                {
                    self.notice = Some(Notice::Problem(GuiError::Journal(e)));
                }
                true
            }
            None => true,
        }
    }

    /// *Discard edits*: the story's unsaved edits are dropped and its
    /// folder read again.
    pub fn discard_edits(&mut self) {
        if let Some(a) = self.authoring.take() {
            if let Some(journal) = a.journal
                && let Err(e) = journal.finish()
            {
                self.notice = Some(Notice::Problem(GuiError::Journal(e)));
            }
            self.start_job(a.folder, super::files::JobKind::Reload, None);
        }
    }
}

impl App {
    /// At start: a journal left behind by a run that ended with unsaved
    /// edits is offered for restoring (a notice with *Restore* and *Discard*).
    pub(super) fn offer_recovery(&mut self) {
        let Some(dir) = self.journal_dir() else {
            return;
        };
        let Ok(entries) = std::fs::read_dir(&dir) else {
            // No journal was ever written here.
            return;
        };
        let mut paths: Vec<PathBuf> = entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "jsonl"))
            .collect();
        paths.sort();
        for path in paths {
            match crate::io::story::Recovery::find(&path) {
                Ok(Some(found)) if !found.steps.is_empty() => {
                    self.notice = Some(Notice::Recoverable {
                        journal: path,
                        folder: found.head.folder.clone(),
                        steps: found.steps.len(),
                        changed: found.folder_changed,
                    });
                    return;
                }
                Ok(_) => {}
                Err(e) => self.notice = Some(Notice::Problem(GuiError::Journal(e))),
            }
        }
    }

    /// *Restore*: the story the journal began from, every step replayed,
    /// shown and edited, unsaved.
    ///
    /// # Errors
    /// The journal or the story's folder cannot be read.
    pub fn restore_journal(&mut self, path: &Path) -> Result<(), GuiError> {
        self.leave_story()?;
        let gone = || GuiError::NotEditable(format!("the journal {} is gone", path.display()));
        let found = crate::io::story::Recovery::find(path)
            .map_err(GuiError::Journal)?
            .ok_or_else(gone)?;
        let folder =
            found.head.folder.clone().ok_or_else(|| {
                GuiError::NotEditable("the journal names no story folder".to_owned())
            })?;
        let (story, history, _left_out) = found.replay().map_err(GuiError::Journal)?;
        // Shown as far as it passes the checks; its problems listed otherwise.
        let (loaded, problems) = match story.build() {
            Ok(l) => (l, None),
            Err(e) => (
                Story::new(&story.manifest.title)
                    .build()
                    .map_err(GuiError::Embedded)?,
                Some(e),
            ),
        };
        self.show_folder(loaded, &folder);
        self.authoring = Some(Authoring {
            story,
            history,
            folder,
            journal: Some(Journal::resume(path).map_err(GuiError::Journal)?),
            dirty: true,
            problems,
        });
        Ok(())
    }

    /// *Discard* the journal left behind: its edits are dropped.
    pub fn discard_journal(&mut self, path: &Path) {
        if let Err(e) = std::fs::remove_file(path)
            && e.kind() != std::io::ErrorKind::NotFound
        {
            self.notice = Some(Notice::Problem(GuiError::Journal(
                crate::io::story::JournalError::Io {
                    path: path.to_path_buf(),
                    source: e,
                },
            )));
        }
    }
}

impl App {
    /// Closing the window with unsaved edits asks first: the close is held
    /// and a window offers to save, to close without saving, or to stay.
    pub(super) fn guard_close(&mut self, ctx: &egui::Context) {
        let dirty = self.authoring.as_ref().is_some_and(|a| a.dirty);
        if dirty && !self.close_anyway && ctx.input(|i| i.viewport().close_requested()) {
            ctx.send_viewport_cmd(egui::ViewportCommand::CancelClose);
            self.apply(Action::OpenDialog(crate::state::Dialog::UnsavedClose));
        }
        if self.state.dialog != Some(crate::state::Dialog::UnsavedClose) {
            return;
        }
        let folder = self
            .authoring
            .as_ref()
            .map(|a| a.folder.display().to_string())
            .unwrap_or_default();
        let mut choice = None;
        egui::Window::new("Unsaved edits")
            .collapsible(false)
            .resizable(false)
            .anchor(egui::Align2::CENTER_CENTER, [0.0, 0.0])
            .show(ctx, |ui| {
                ui.label(format!(
                    "The story in {folder} has edits that are not saved."
                ));
                ui.horizontal(|ui| {
                    if ui.button("Save and close").clicked() {
                        choice = Some(0);
                    }
                    if ui
                        .button("Close without saving")
                        .on_hover_text("The edits are dropped")
                        .clicked()
                    {
                        choice = Some(1);
                    }
                    if ui.button("Keep editing").clicked() {
                        choice = Some(2);
                    }
                });
            });
        match choice {
            Some(0) => match self.save_story() {
                Ok(()) => ctx.send_viewport_cmd(egui::ViewportCommand::Close),
                Err(e) => {
                    self.notice = Some(e.into());
                    self.apply(Action::CloseDialog);
                }
            },
            Some(1) => {
                if let Some(journal) = self.authoring.take().and_then(|a| a.journal)
                    && let Err(e) = journal.finish()
                {
                    self.notice = Some(Notice::Problem(GuiError::Journal(e)));
                }
                self.close_anyway = true;
                ctx.send_viewport_cmd(egui::ViewportCommand::Close);
            }
            Some(_) => self.apply(Action::CloseDialog),
            None => {}
        }
    }
}

impl App {
    /// The *Cite as a new event* window, while it is open: its edit made
    /// when created, and the new event selected.
    pub(super) fn event_form(&mut self, ctx: &egui::Context) {
        let Some((source, span)) = self.event_window.passage.clone() else {
            return;
        };
        let Some(a) = &self.authoring else {
            self.event_window.open = false;
            return;
        };
        let Some(shown) = self.ds.sources.get(source.index()) else {
            self.event_window.open = false;
            return;
        };
        let quote = shown.text.get(span).unwrap_or_default().to_owned();
        let source_id = shown.id.clone();
        let Some(edit) = self.event_window.show(ctx, &a.story, &quote, &source_id) else {
            return;
        };
        match self.edit(edit) {
            Ok(()) => {
                let id = self
                    .authoring
                    .as_ref()
                    .and_then(|a| a.story.manifest.events.last().map(|e| e.id.clone()));
                if let Some(e) = id.and_then(|id| self.ds.event_by_id(&id)) {
                    self.apply(Action::SelectEvent(e));
                }
            }
            Err(e) => {
                self.event_window.open = true;
                self.event_window.message = Some(e.to_string());
            }
        }
    }
}

/// A story is only written into a folder that is new or empty: nothing of
/// someone's is overwritten (`what` says what would go there).
fn empty_folder(folder: &Path, what: &str) -> Result<(), GuiError> {
    if std::fs::read_dir(folder).is_ok_and(|mut d| d.next().is_some()) {
        return Err(GuiError::NotEditable(format!(
            "{} is not empty: {what} a new or empty folder",
            folder.display()
        )));
    }
    Ok(())
}

fn not_editing() -> GuiError {
    GuiError::NotEditable("no story is being edited (File → Edit this story)".to_owned())
}
