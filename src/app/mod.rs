//! The explorer window: wiring. Input becomes [`Action`]s, panels are laid
//! out around the widgets, and every action goes to the one reducer,
//! [`AppState::apply`]; what the app itself keeps is what the state does
//! not: the dataset and where it came from, loads under way and the
//! watcher, settings, the dialogs' typed text and the widgets' memory.
//!
//! [`App::show`] draws the whole UI into any `Ui`, so tests and the
//! benchmark run the real UI without eframe's window.

mod authoring;
pub mod bench;
pub mod briefing;
pub mod dialogs;
pub mod error;
pub mod event_form;
mod facets;
pub mod files;
mod keys;
mod layout;
mod panels;
pub mod raster;
mod search;
pub mod settings;
pub mod source_form;
mod view_state;

use std::path::{Path, PathBuf};
use std::time::Instant;

use egui::Ui;

use crate::io::import::{Format, Opened};
use crate::io::{self, DatasetErrors, Diagnostic};
use crate::map::MapCache;
use crate::model::{Dataset, PlaceIdx};
use crate::state::{Action, AppState, Dialog, MapCamera};
use crate::timeline::TimelineState;
pub use authoring::{Authoring, MAX_EDITABLE_EVENTS};
use dialogs::{ExportDialog, NewStoryDialog, OpenDialog};
pub use error::{GuiError, Notice};
use files::{JobKind, LoadJob, Watch};
use settings::{Settings, SettingsStore};

/// The explorer: one dataset, its view state and caches.
// Independent UI toggles, not a state machine.
#[allow(clippy::struct_excessive_bools)]
pub struct App {
    ds: Dataset,
    warnings: Vec<Diagnostic>,
    /// The view state, changed only through [`AppState::apply`].
    state: AppState,
    /// The map's drawing caches.
    map_cache: MapCache,
    /// The strip's memory (a drag under way, typed dates, its caches).
    timeline: TimelineState,
    search: search::SearchState,
    /// Where the dataset came from (`None`: the embedded one).
    origin: Option<PathBuf>,
    /// The files the open dataset was read from (the manifest, the files it
    /// names): what the watcher watches.
    origin_files: Vec<PathBuf>,
    /// Its format.
    format: Format,
    /// A load or import under way.
    job: Option<LoadJob>,
    /// Select this id once the pending load is done (`--select`).
    pending_select: Option<String>,
    /// Watches the open dataset's files.
    watch: Option<Watch>,
    /// The last load that failed: where, and every problem. The last good
    /// data stays on screen meanwhile.
    load_errors: Option<(PathBuf, Vec<Diagnostic>)>,
    /// A message for the user (settings file broken, watcher unavailable…).
    notice: Option<Notice>,
    /// What is remembered across runs.
    settings: Settings,
    /// Where it is remembered (`None`: not at all, as in tests).
    store: Option<SettingsStore>,
    last_save: Option<Instant>,
    theme_applied: bool,
    open_dialog: OpenDialog,
    export_dialog: ExportDialog,
    new_story_dialog: NewStoryDialog,
    source_window: source_form::SourceWindow,
    event_window: event_form::EventWindow,
    /// The dialog the windows were last opened for (the state says which
    /// is shown; a window opens on its choice when that changes).
    dialog_shown: Option<Dialog>,
    /// A PNG export waiting for its screenshot.
    png: Option<view_state::PngJob>,
    /// Where the map and the timeline were drawn last frame (for the PNG).
    map_rect: Option<egui::Rect>,
    timeline_rect: Option<egui::Rect>,
    /// The strip has had its one first-start growth to fit its titles.
    strip_grown: bool,
    /// The title last given to the window.
    window_title: String,
    /// The story being written, when the dataset is being edited.
    authoring: Option<Authoring>,
    /// The user chose to close with unsaved edits dropped.
    close_anyway: bool,
}

/// The time strip's height at first start, and its least.
const STRIP_HEIGHT: f32 = 250.0;
const STRIP_MIN_HEIGHT: f32 = 150.0;

impl App {
    /// The explorer on a loaded dataset, in its start state: the window
    /// covers the whole story, the map fits its core region, nothing selected.
    #[must_use]
    pub fn new(loaded: io::Loaded) -> Self {
        let ds = loaded.dataset;
        let state = AppState::new(&ds);
        Self {
            ds,
            warnings: loaded.warnings,
            state,
            map_cache: MapCache::default(),
            timeline: TimelineState::new(),
            search: search::SearchState::default(),
            origin: None,
            origin_files: Vec::new(),
            format: Format::Native,
            job: None,
            pending_select: None,
            watch: None,
            load_errors: None,
            notice: None,
            settings: Settings::default(),
            store: None,
            last_save: None,
            theme_applied: false,
            open_dialog: OpenDialog::default(),
            export_dialog: ExportDialog::default(),
            new_story_dialog: NewStoryDialog::default(),
            source_window: source_form::SourceWindow::default(),
            event_window: event_form::EventWindow::default(),
            dialog_shown: None,
            png: None,
            map_rect: None,
            timeline_rect: None,
            strip_grown: false,
            window_title: String::new(),
            authoring: None,
            close_anyway: false,
        }
    }

    /// The explorer on a dataset opened from a path (watched for changes).
    #[must_use]
    pub fn from_opened(opened: Opened, path: &Path) -> Self {
        let mut app = Self::new(opened.loaded);
        app.origin = Some(path.to_path_buf());
        app.origin_files = opened.files;
        app.format = opened.format;
        app
    }

    /// Remembers the view and recent files in `store`, starting from what
    /// it holds (a broken file gives defaults and a notice on screen).
    pub fn use_settings(&mut self, mut store: SettingsStore) {
        let (settings, notice) = store.load();
        self.settings = settings;
        self.export_dialog.csv.excel = self.settings.csv_excel;
        if let Some(problem) = notice {
            self.notice = Some(Notice::Problem(problem));
        }
        self.theme_applied = false;
        if self.origin == self.settings.last_dataset
            && let Some(view) = self.settings.view.clone()
        {
            self.restore_view(&view);
        }
        self.store = Some(store);
        self.offer_recovery();
    }

    /// Starts opening `path` (a dataset folder or importable file) off the
    /// UI thread; the current data stays on screen until it is ready.
    pub fn open(&mut self, path: PathBuf) {
        self.start_job(path, JobKind::Open, None);
    }

    fn start_job(&mut self, path: PathBuf, kind: JobKind, ctx: Option<egui::Context>) {
        // Unsaved edits are never dropped by opening something else.
        if kind == JobKind::Open && !self.may_leave_story() {
            return;
        }
        self.job = Some(LoadJob::spawn(path, kind, ctx));
    }

    /// Cancels the load under way, if any: the data on screen stays, and a
    /// notice says so.
    pub fn cancel_load(&mut self) {
        if let Some(job) = self.job.take() {
            job.progress.cancel();
            self.notice = Some(Notice::Cancelled(job.path));
        }
    }

    /// Is a load or import under way?
    #[must_use]
    pub fn is_loading(&self) -> bool {
        self.job.is_some()
    }

    /// The problems of the last load that failed, if it is still shown.
    #[must_use]
    pub fn load_errors(&self) -> Option<&[Diagnostic]> {
        self.load_errors.as_ref().map(|(_, d)| d.as_slice())
    }

    /// The path the dataset was opened from (`None`: embedded).
    #[must_use]
    pub fn origin(&self) -> Option<&Path> {
        self.origin.as_deref()
    }

    /// The notice shown at the top, if any.
    #[must_use]
    pub fn notice(&self) -> Option<&Notice> {
        self.notice.as_ref()
    }

    /// Select `id` when the pending load completes.
    pub fn select_when_loaded(&mut self, id: String) {
        self.pending_select = Some(id);
    }

    /// The explorer on the embedded dataset.
    ///
    /// # Errors
    /// Only if the embedded dataset is broken.
    pub fn embedded() -> Result<Self, DatasetErrors> {
        io::load_embedded().map(Self::new)
    }

    /// The dataset shown.
    #[must_use]
    pub fn dataset(&self) -> &Dataset {
        &self.ds
    }

    /// The view state.
    #[must_use]
    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// The map camera.
    #[must_use]
    pub fn camera(&self) -> &MapCamera {
        &self.state.camera
    }

    /// The time strip's memory (what it drew last frame, its toggles).
    #[must_use]
    pub fn timeline(&self) -> &TimelineState {
        &self.timeline
    }

    /// Events in the window per place (the map's counts).
    #[must_use]
    pub fn place_count(&self, place: PlaceIdx) -> u32 {
        self.state
            .derived
            .place_counts
            .get(place.index())
            .copied()
            .unwrap_or(0)
    }

    /// Selects the event or place with this id, as if chosen from the
    /// search, and brings it into view.
    ///
    /// # Errors
    /// A message when no event or place has that id.
    pub fn select_by_id(&mut self, id: &str) -> Result<(), GuiError> {
        use crate::model::search::SearchTarget;
        let target = match (self.ds.event_by_id(id), self.ds.place_by_id(id)) {
            (Some(e), _) => SearchTarget::Event(e),
            (None, Some(p)) => SearchTarget::Place(p),
            (None, None) => return Err(GuiError::UnknownId(id.to_owned())),
        };
        self.apply(Action::Reveal(target));
        Ok(())
    }

    /// Applies an action to the state (as the widgets' responses do).
    pub fn apply(&mut self, action: Action) {
        if let Action::CiteAsNewEvent { source, span } = &action {
            self.event_window.open_for(*source, span.clone());
            self.state
                .apply(&self.ds, Action::OpenDialog(Dialog::NewEvent));
            self.dialog_shown = self.state.dialog;
        }
        if let Action::CiteSelection { source, span } = &action {
            // A request to the story being written, made as an edit.
            if let Err(e) = self.cite_selection(*source, span.clone()) {
                self.notice = Some(e.into());
            }
        }
        self.state.apply(&self.ds, action);
    }

    fn apply_all(&mut self, actions: Vec<Action>) {
        for a in actions {
            self.apply(a);
        }
    }

    /// Draws the whole explorer into `ui`.
    pub fn show(&mut self, ui: &mut Ui) {
        let ctx = ui.ctx().clone();
        self.poll_io(&ctx);
        self.dialogs(&ctx);
        self.handle_keys(ui);
        if self.state.playback.playing {
            let dt = f64::from(ui.input(|i| i.stable_dt)).min(0.25);
            self.apply(Action::Tick(dt));
            ui.ctx().request_repaint();
        }
        self.guard_close(&ctx);
        self.top_bar(ui);
        self.status_panels(ui);
        self.body(ui);
    }

    /// The Open and Export windows: shown while the state says so; closing
    /// one is an action.
    fn dialogs(&mut self, ctx: &egui::Context) {
        if self.state.dialog != self.dialog_shown {
            self.dialog_shown = self.state.dialog;
            self.open_dialog.open = self.state.dialog == Some(Dialog::Open);
            self.new_story_dialog.open =
                matches!(self.state.dialog, Some(Dialog::NewStory | Dialog::SaveAs));
            self.new_story_dialog.save_as = self.state.dialog == Some(Dialog::SaveAs);
            if self.new_story_dialog.save_as {
                self.new_story_dialog.title.clone_from(&self.ds.title);
            }
            self.new_story_dialog.message = None;
            self.source_window.open = self.state.dialog == Some(Dialog::AddSource);
            match self.state.dialog {
                Some(Dialog::Export(choice)) => self.export_dialog.open_on(choice),
                _ => self.export_dialog.open = false,
            }
        }
        if let Some(path) = self.open_dialog.show(ctx, &self.settings.recent) {
            self.start_job(path, JobKind::Open, Some(ctx.clone()));
        }
        if let Some((choice, path)) = self.export_dialog.show(ctx, self.state.derived.in_count) {
            self.state.derived.ensure_events();
            self.export_view(choice, path, ctx);
        }
        if let Some((title, folder)) = self.new_story_dialog.show(ctx) {
            let made = if self.new_story_dialog.save_as {
                self.save_as_story(&folder).and_then(|()| {
                    if title == self.ds.title {
                        Ok(())
                    } else {
                        self.edit(crate::io::story::Edit::SetTitle { title })
                    }
                })
            } else {
                self.new_story(&folder, &title)
            };
            match made {
                Ok(()) => self.new_story_dialog.open = false,
                Err(e) => self.new_story_dialog.message = Some(e),
            }
        }
        if let Some((form, text)) = self.source_window.show(ctx) {
            let edit = self
                .authoring
                .as_ref()
                .map(|a| a.story.add_source(form, &text));
            match edit.map(|e| self.edit(e)) {
                Some(Ok(())) => {
                    // The new article opens, ready for its passages to be cited.
                    let id = self
                        .authoring
                        .as_ref()
                        .and_then(|a| a.story.manifest.sources.last().map(|s| s.id.clone()));
                    if let Some(i) =
                        id.and_then(|id| self.ds.sources.iter().position(|s| s.id == id))
                    {
                        self.apply(Action::ShowArticle(crate::model::SourceIdx(i as u32), 0..0));
                    }
                }
                Some(Err(e)) => self.notice = Some(e.into()),
                None => {
                    self.notice =
                        Some(GuiError::NotEditable("no story is being written".to_owned()).into());
                }
            }
        }
        self.event_form(ctx);
        let still_open = match self.state.dialog {
            Some(Dialog::Open) => self.open_dialog.open,
            Some(Dialog::NewStory | Dialog::SaveAs) => self.new_story_dialog.open,
            Some(Dialog::Export(_)) => self.export_dialog.open,
            Some(Dialog::AddSource) => self.source_window.open,
            Some(Dialog::NewEvent) => self.event_window.open,
            // The close guard's window is closed by its own buttons.
            Some(Dialog::UnsavedClose) | None => true,
        };
        if !still_open {
            self.apply(Action::CloseDialog);
            self.dialog_shown = None;
        }
    }
}

impl eframe::App for App {
    fn ui(&mut self, ui: &mut Ui, _frame: &mut eframe::Frame) {
        self.show(ui);
    }

    fn on_exit(&mut self) {
        self.save_settings(true);
    }
}

/// Opens the window: the embedded dataset at once, then `path` (or the
/// dataset open last time) loading in the background.
///
/// # Errors
/// A window that cannot be opened.
pub fn run(path: Option<&std::path::Path>, select: Option<&str>) -> Result<(), GuiError> {
    let loaded = io::load_embedded()?;
    let mut app = App::new(loaded);
    if let Some(store) = SettingsStore::platform() {
        app.use_settings(store);
    }
    let target = path
        .map(Path::to_path_buf)
        .or_else(|| app.settings.last_dataset.clone());
    match (target, select) {
        (Some(p), select) => {
            if let Some(id) = select {
                app.select_when_loaded(id.to_owned());
            }
            app.open(p);
        }
        (None, Some(id)) => app.select_by_id(id)?,
        (None, None) => {}
    }
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title("mapline")
            .with_inner_size([1440.0, 900.0])
            .with_min_inner_size([900.0, 600.0])
            .with_drag_and_drop(true),
        ..Default::default()
    };
    eframe::run_native("mapline", options, Box::new(move |_cc| Ok(Box::new(app))))?;
    Ok(())
}
