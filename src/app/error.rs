//! What can go wrong in the window, as types: each error is shown where it
//! happened (the notice bar, the Export or Open window, the map), none is
//! dropped. A dataset that fails to load keeps its own type, the io
//! layer's [`crate::io::Diagnostic`]s, listed in the load-errors panel.

use std::path::PathBuf;

/// An error of the window (not of a dataset: those are diagnostics).
#[derive(Debug, thiserror::Error)]
pub enum GuiError {
    /// A file the user asked for could not be written (it is left as it was).
    #[error("Could not write {}: {source}", path.display())]
    Write {
        /// The file or folder.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The PNG encoder failed.
    #[error("Could not encode the PNG: {0}")]
    EncodePng(#[from] image::ImageError),
    /// A PNG was asked for while neither the map nor the strip was drawn.
    #[error("Nothing to write: the map and timeline are not on screen")]
    NothingOnScreen,
    /// The system file dialog answered at once with nothing: there is none.
    #[error("No system file dialog is available here (no desktop portal). Type the path instead.")]
    NoFileDialog,
    /// `--select` or a caller named an id the dataset does not have.
    #[error("no event or place has the id {0:?}")]
    UnknownId(String),
    /// The open dataset's files cannot be watched for changes.
    #[error("Changes to {} will not be noticed: {reason}", path.display())]
    Watch {
        /// The dataset.
        path: PathBuf,
        /// The watcher's words.
        reason: String,
    },
    /// The settings file could not be read (the defaults are used).
    #[error("Could not read the settings file {}: {source}. Using the defaults.", path.display())]
    ReadSettings {
        /// The settings file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The settings file is not valid (the defaults are used; the file is
    /// set aside when it can be).
    #[error("The settings file {} is broken ({reason}); using the defaults. {}", path.display(), match kept_as {
        Some(p) => format!("It was kept as {}.", p.display()),
        None => "It was left in place.".to_owned(),
    })]
    BrokenSettings {
        /// The settings file.
        path: PathBuf,
        /// What is wrong in it.
        reason: serde_json::Error,
        /// Where it was set aside, if it could be.
        kept_as: Option<PathBuf>,
    },
    /// The settings could not be saved.
    #[error("Could not save the settings to {}: {source}", path.display())]
    SaveSettings {
        /// The settings file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The window could not be opened.
    #[error("cannot open the window: {0}")]
    Window(#[from] eframe::Error),
    /// The embedded dataset failed its own checks (a broken build), or a
    /// story's folder no longer loads.
    #[error("the dataset does not load: {0}")]
    Embedded(#[from] crate::io::DatasetErrors),
    /// This dataset cannot be edited, or nothing is being edited.
    #[error("Cannot edit: {0}")]
    NotEditable(String),
    /// An edit does not fit the story (it was not made).
    #[error("That edit was not made: {0}")]
    Edit(crate::io::story::EditError),
    /// The story was not saved (the edits are kept).
    #[error("The story was not saved: {0}")]
    Save(crate::io::story::SaveError),
    /// The journal that keeps unsaved edits safe could not be written.
    #[error("Unsaved edits are not journaled: {0}")]
    Journal(crate::io::story::JournalError),
}

/// A message on the notice bar: a problem, or news of what the app did.
#[derive(Debug)]
pub enum Notice {
    /// Something went wrong; the app carries on.
    Problem(GuiError),
    /// A load was cancelled; the data on screen is unchanged.
    Cancelled(PathBuf),
    /// The story's files changed on disk while edits were unsaved.
    ChangedUnderEdits(PathBuf),
    /// Something else was asked to be opened while edits were unsaved.
    SaveFirst(PathBuf),
    /// Edits of a story were left unsaved by a run that ended (a crash, a
    /// kill): they can be restored.
    Recoverable {
        /// The journal.
        journal: PathBuf,
        /// The story's folder (`None`: a new story never saved).
        folder: Option<PathBuf>,
        /// How many steps the journal holds.
        steps: usize,
        /// The folder was saved since (restoring replays over the new files).
        changed: bool,
    },
}

impl std::fmt::Display for Notice {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Problem(e) => e.fmt(f),
            Self::Cancelled(path) => write!(
                f,
                "Loading {} was cancelled; the data on screen is unchanged.",
                path.display()
            ),
            Self::ChangedUnderEdits(path) => write!(
                f,
                "The files of {} changed on disk while you have unsaved edits. Your edits stay on screen; Save writes them over the files, Discard edits loads the files.",
                path.display()
            ),
            Self::Recoverable {
                folder,
                steps,
                changed,
                ..
            } => write!(
                f,
                "{steps} unsaved edit(s) of the story {} were left when mapline last stopped.{}",
                folder.as_ref().map_or_else(
                    || "never saved".to_owned(),
                    |p| format!("in {}", p.display())
                ),
                if *changed {
                    " Its files were saved since, so some may no longer fit."
                } else {
                    ""
                }
            ),
            Self::SaveFirst(path) => write!(
                f,
                "The story in {} has unsaved edits: save them (Ctrl+S) or discard them before opening something else.",
                path.display()
            ),
        }
    }
}

impl From<GuiError> for Notice {
    fn from(e: GuiError) -> Self {
        Self::Problem(e)
    }
}
