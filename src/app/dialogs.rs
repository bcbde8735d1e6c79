//! The Open and Export windows. Each has a typed path field, so that they
//! work where the system file dialog (an xdg desktop portal) is missing; the
//! Browse buttons use the system dialog when there is one.

use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

use egui::RichText;

use super::GuiError;
use crate::io::export::ExportFormat;
use crate::state::ExportChoice;

/// A system dialog that answers "nothing" this fast was never shown.
const NO_DIALOG_WITHIN: Duration = Duration::from_millis(400);

/// A system file dialog running on its own thread.
#[derive(Debug)]
struct Browse {
    rx: Receiver<Option<PathBuf>>,
    started: Instant,
}

impl Browse {
    fn spawn(pick: impl FnOnce() -> Option<PathBuf> + Send + 'static, ctx: &egui::Context) -> Self {
        let (tx, rx) = channel();
        let ctx = ctx.clone();
        let _ = std::thread::Builder::new()
            .name("mapline-file-dialog".into())
            .spawn(move || {
                let _ = tx.send(pick());
                ctx.request_repaint();
            });
        Self {
            rx,
            started: Instant::now(),
        }
    }

    /// `Some(Ok(Some(path)))` when one was chosen, `Some(Ok(None))` when
    /// the user cancelled, `Some(Err(_))` when no dialog could be shown.
    fn poll(&self) -> Option<Result<Option<PathBuf>, GuiError>> {
        let answer = self.rx.try_recv().ok()?;
        Some(match answer {
            Some(p) => Ok(Some(p)),
            None if self.started.elapsed() < NO_DIALOG_WITHIN => Err(GuiError::NoFileDialog),
            None => Ok(None),
        })
    }
}

/// The accessible label of the Open window's path field.
pub const OPEN_PATH_LABEL: &str = "Path of the dataset to open";
/// The accessible label of the Export window's path field.
pub const EXPORT_PATH_LABEL: &str = "Path to export to";

/// The Open window.
#[derive(Debug, Default)]
pub struct OpenDialog {
    /// Is it shown?
    pub open: bool,
    /// The typed path.
    pub path_text: String,
    message: Option<GuiError>,
    browse: Option<Browse>,
}

impl OpenDialog {
    /// Shows the window; returns a path to open.
    pub fn show(&mut self, ctx: &egui::Context, recent: &[PathBuf]) -> Option<PathBuf> {
        if !self.open {
            return None;
        }
        if let Some(answer) = self.browse.as_ref().and_then(Browse::poll) {
            self.browse = None;
            match answer {
                Ok(Some(p)) => self.path_text = p.display().to_string(),
                Ok(None) => {}
                Err(m) => self.message = Some(m),
            }
        }
        let mut chosen = None;
        let mut open = self.open;
        egui::Window::new("Open a dataset")
            .open(&mut open)
            .collapsible(false)
            .resizable(false)
            .default_width(520.0)
            .anchor(egui::Align2::CENTER_TOP, [0.0, 80.0])
            .show(ctx, |ui| {
                ui.label(
                    "A mapline dataset folder, or a TimelineJS (JSON or spreadsheet CSV), \
                     ACLED CSV or GeoJSON file. The format is read from the content.",
                );
                ui.add_space(6.0);
                let label = ui.label("Path");
                let field = ui.add(
                    egui::TextEdit::singleline(&mut self.path_text)
                        .desired_width(f32::INFINITY)
                        .hint_text("/path/to/dataset-folder or timeline.json"),
                );
                field.widget_info(|| {
                    {
                        // Named for a screen reader; its value is the path.
                        let mut info =
                            egui::WidgetInfo::text_edit(true, &self.path_text, &self.path_text, "");
                        info.label = Some(OPEN_PATH_LABEL.to_owned());
                        info
                    }
                });
                let _ = label;
                let submitted = field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
                ui.horizontal(|ui| {
                    let typed = self.path_text.trim();
                    if ui
                        .add_enabled(!typed.is_empty(), egui::Button::new("Open"))
                        .clicked()
                        || (submitted && !typed.is_empty())
                    {
                        chosen = Some(PathBuf::from(typed));
                    }
                    let busy = self.browse.is_some();
                    if ui
                        .add_enabled(!busy, egui::Button::new("Browse files…"))
                        .on_hover_text("Choose a file with the system dialog")
                        .clicked()
                    {
                        self.message = None;
                        self.browse = Some(Browse::spawn(
                            || {
                                rfd::FileDialog::new()
                                    .set_title("Open a dataset file")
                                    .add_filter("Datasets", &["json", "geojson", "csv"])
                                    .pick_file()
                            },
                            ui.ctx(),
                        ));
                    }
                    if ui
                        .add_enabled(!busy, egui::Button::new("Browse folders…"))
                        .on_hover_text("Choose a mapline dataset folder with the system dialog")
                        .clicked()
                    {
                        self.message = None;
                        self.browse = Some(Browse::spawn(
                            || {
                                rfd::FileDialog::new()
                                    .set_title("Open a dataset folder")
                                    .pick_folder()
                            },
                            ui.ctx(),
                        ));
                    }
                    if busy {
                        ui.spinner();
                    }
                });
                if let Some(m) = &self.message {
                    ui.colored_label(ui.visuals().warn_fg_color, m.to_string());
                }
                if !recent.is_empty() {
                    ui.add_space(6.0);
                    ui.label(RichText::new("Recent").strong());
                    for p in recent {
                        if ui
                            .button(p.display().to_string())
                            .on_hover_text("Open this dataset again")
                            .clicked()
                        {
                            chosen = Some(p.clone());
                        }
                    }
                }
            });
        self.open = open && chosen.is_none();
        chosen
    }
}

impl ExportChoice {
    /// The words on the radio button.
    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            Self::Data(ExportFormat::Csv) => "CSV (one row per event)",
            Self::Data(ExportFormat::GeoJson) => "GeoJSON (places and events)",
            Self::Data(ExportFormat::TimelineJs) => "TimelineJS JSON",
            Self::Data(ExportFormat::Native) => "mapline dataset folder",
            Self::Png => "PNG picture of the map and the timeline",
            Self::Briefing => "Briefing: events, claims and quotes with citations (.html or .md)",
        }
    }

    /// The default file name.
    #[must_use]
    pub fn default_name(self) -> &'static str {
        match self {
            Self::Data(ExportFormat::Csv) => "mapline-view.csv",
            Self::Data(ExportFormat::GeoJson) => "mapline-view.geojson",
            Self::Data(ExportFormat::TimelineJs) => "mapline-view.json",
            Self::Data(ExportFormat::Native) => "mapline-view",
            Self::Png => "mapline-view.png",
            Self::Briefing => "mapline-briefing.html",
        }
    }
}

/// The Export window.
#[derive(Debug)]
pub struct ExportDialog {
    /// Is it shown?
    pub open: bool,
    /// What to write.
    pub choice: ExportChoice,
    /// The typed path.
    pub path_text: String,
    /// The last outcome, shown under the buttons.
    pub message: Option<Result<String, GuiError>>,
    /// How a CSV is written (the app remembers `excel`).
    pub csv: crate::io::csv::CsvOptions,
    browse: Option<Browse>,
}

impl Default for ExportDialog {
    fn default() -> Self {
        let choice = ExportChoice::Data(ExportFormat::Csv);
        Self {
            open: false,
            choice,
            path_text: default_path(choice),
            message: None,
            csv: crate::io::csv::CsvOptions::default(),
            browse: None,
        }
    }
}

fn default_path(choice: ExportChoice) -> String {
    let dir = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
    dir.join(choice.default_name()).display().to_string()
}

impl ExportDialog {
    /// Opens the window on `choice` (its default file name in the folder of
    /// the path typed before).
    pub fn open_on(&mut self, choice: ExportChoice) {
        if self.choice != choice {
            let old = Path::new(&self.path_text);
            let dir = old.parent().map(Path::to_path_buf).unwrap_or_default();
            self.path_text = dir.join(choice.default_name()).display().to_string();
            self.choice = choice;
        }
        self.message = None;
        self.open = true;
    }

    /// Shows the window; returns what to write where when asked to.
    pub fn show(
        &mut self,
        ctx: &egui::Context,
        events_in_view: usize,
    ) -> Option<(ExportChoice, PathBuf)> {
        if !self.open {
            return None;
        }
        if let Some(answer) = self.browse.as_ref().and_then(Browse::poll) {
            self.browse = None;
            match answer {
                Ok(Some(p)) => self.path_text = p.display().to_string(),
                Ok(None) => {}
                Err(m) => self.message = Some(Err(m)),
            }
        }
        let mut go = None;
        let mut open = self.open;
        egui::Window::new("Export the current view")
            .open(&mut open)
            .collapsible(false)
            .resizable(false)
            .default_width(520.0)
            .anchor(egui::Align2::CENTER_TOP, [0.0, 80.0])
            .show(ctx, |ui| {
                ui.label(format!(
                    "{events_in_view} event(s): those in the time window that the filters let through."
                ));
                if self.choice == ExportChoice::Briefing {
                    ui.weak("The briefing narrows them to the selection, and adds the claims about them with every stance's verbatim quote, and pictures of the map and the strip. A name ending in .md writes Markdown with the pictures beside it.");
                }
                ui.add_space(4.0);
                for choice in ExportChoice::ALL {
                    let before = self.choice;
                    if ui
                        .radio_value(&mut self.choice, choice, choice.label())
                        .clicked()
                        && before != choice
                    {
                        // Follow the format with the file name's extension.
                        let old = Path::new(&self.path_text);
                        let dir = old.parent().map(Path::to_path_buf).unwrap_or_default();
                        self.path_text = dir.join(choice.default_name()).display().to_string();
                    }
                }
                if self.choice == ExportChoice::Data(ExportFormat::Csv) {
                    ui.add_space(4.0);
                    let mut safe = !self.csv.raw;
                    ui.checkbox(&mut safe, "Spreadsheet-safe cells")
                        .on_hover_text(
                            "A text cell that begins with =, +, -, @, a tab or a carriage return gets a leading ' so that no spreadsheet runs it as a formula; plain numbers stay numbers. Off: every cell as it is, for tools that are not spreadsheets.",
                        );
                    self.csv.raw = !safe;
                    ui.checkbox(
                        &mut self.csv.excel,
                        "For spreadsheets: UTF-8 with a byte order mark, CRLF line ends",
                    )
                    .on_hover_text(
                        "Spreadsheets then open Persian, Arabic and Albanian text intact; other tools may show the mark.",
                    );
                }
                ui.add_space(6.0);
                ui.label("Path");
                let field = ui.add(
                    egui::TextEdit::singleline(&mut self.path_text).desired_width(f32::INFINITY),
                );
                field.widget_info(|| {
                    {
                        // Named for a screen reader; its value is the path.
                        let mut info =
                            egui::WidgetInfo::text_edit(true, &self.path_text, &self.path_text, "");
                        info.label = Some(EXPORT_PATH_LABEL.to_owned());
                        info
                    }
                });
                ui.horizontal(|ui| {
                    let typed = self.path_text.trim();
                    if ui
                        .add_enabled(!typed.is_empty(), egui::Button::new("Export"))
                        .clicked()
                    {
                        go = Some((self.choice, PathBuf::from(typed)));
                    }
                    let busy = self.browse.is_some();
                    if ui
                        .add_enabled(!busy, egui::Button::new("Browse…"))
                        .on_hover_text("Choose where to write with the system dialog")
                        .clicked()
                    {
                        self.message = None;
                        let name = self.choice.default_name();
                        let folder = matches!(self.choice, ExportChoice::Data(ExportFormat::Native));
                        self.browse = Some(Browse::spawn(
                            move || {
                                let d = rfd::FileDialog::new().set_title("Export to");
                                if folder {
                                    d.pick_folder()
                                } else {
                                    d.set_file_name(name).save_file()
                                }
                            },
                            ui.ctx(),
                        ));
                    }
                    if busy {
                        ui.spinner();
                    }
                });
                match &self.message {
                    Some(Ok(m)) => {
                        ui.label(m);
                    }
                    Some(Err(m)) => {
                        ui.colored_label(ui.visuals().error_fg_color, m.to_string());
                    }
                    None => {}
                }
            });
        self.open = open;
        go
    }
}

/// The accessible label of the New story window's title field.
pub const NEW_STORY_TITLE_LABEL: &str = "Title of the new story";
/// The accessible label of the New story window's folder field.
pub const NEW_STORY_FOLDER_LABEL: &str = "Folder of the new story";

/// The *New story* window: a title and the folder to keep it in.
#[derive(Debug, Default)]
pub struct NewStoryDialog {
    /// Is it shown?
    pub open: bool,
    /// The typed title.
    pub title: String,
    /// The typed folder.
    pub folder_text: String,
    /// Why the last try failed.
    pub message: Option<GuiError>,
    /// *Save as a story folder*: the dataset on screen is copied there
    /// (its title is kept) instead of a new story being started.
    pub save_as: bool,
}

impl NewStoryDialog {
    /// Shows the window; returns the title and folder to create when asked.
    pub fn show(&mut self, ctx: &egui::Context) -> Option<(String, PathBuf)> {
        if !self.open {
            return None;
        }
        let mut chosen = None;
        let mut open = self.open;
        egui::Window::new(if self.save_as {
            "Save as a story folder"
        } else {
            "New story"
        })
        .open(&mut open)
        .collapsible(false)
        .resizable(false)
        .default_width(520.0)
        .anchor(egui::Align2::CENTER_TOP, [0.0, 80.0])
        .show(ctx, |ui| {
            ui.label(if self.save_as {
                "The dataset on screen, copied into a new mapline folder, where it can be \
                     edited: add articles, cite their passages, save."
            } else {
                "A story of your own: add articles, cite their passages as the evidence \
                     for events, and save it as a mapline dataset folder."
            });
            ui.add_space(6.0);
            let named = |response: egui::Response, label: &str, value: &str| {
                response.widget_info(|| {
                    let mut info = egui::WidgetInfo::text_edit(true, value, value, "");
                    info.label = Some(label.to_owned());
                    info
                });
            };
            ui.label("Title");
            let title = ui.add(
                egui::TextEdit::singleline(&mut self.title)
                    .desired_width(f32::INFINITY)
                    .hint_text("What the story is about"),
            );
            named(title, NEW_STORY_TITLE_LABEL, &self.title);
            ui.label("Folder");
            let folder = ui.add(
                egui::TextEdit::singleline(&mut self.folder_text)
                    .desired_width(f32::INFINITY)
                    .hint_text("/path/to/a-new-folder"),
            );
            let submitted = folder.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
            named(folder, NEW_STORY_FOLDER_LABEL, &self.folder_text);
            let ready = !self.title.trim().is_empty() && !self.folder_text.trim().is_empty();
            if ui.add_enabled(ready, egui::Button::new("Create")).clicked() || (submitted && ready)
            {
                chosen = Some((
                    self.title.trim().to_owned(),
                    PathBuf::from(self.folder_text.trim()),
                ));
            }
            if let Some(m) = &self.message {
                ui.colored_label(ui.visuals().error_fg_color, m.to_string());
            }
        });
        self.open = open;
        chosen
    }
}
