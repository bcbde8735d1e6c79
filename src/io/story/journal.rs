//! The journal: every edit, undo and redo written as a JSON line the
//! moment it is made, to a file in the config folder (never the dataset
//! folder, which the watcher reads), so that a crash or a kill loses
//! nothing. A save starts it afresh; the next start finds a journal left
//! behind and offers to replay it on the story it began from.
//!
//! Each line is flushed and synced before the edit counts as made. A last
//! line cut short by a kill is left out of the replay; every line before it
//! is whole.

use std::io::{BufRead as _, Read as _, Write as _};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest as _, Sha256};

use super::{Edit, History, Story};

/// What the journal's first line says: which story the steps apply to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct JournalHead {
    /// The story's folder (`None`: a new story not yet saved).
    pub folder: Option<PathBuf>,
    /// A new story's title, when there is no folder to open.
    pub title: String,
    /// SHA-256 of the folder's `dataset.json` when the journal began (so a
    /// folder changed since can be told).
    pub manifest_sha256: Option<String>,
}

/// One step of the journal.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", tag = "step")]
pub enum Step {
    /// An edit made.
    Edit {
        /// The edit.
        edit: Box<Edit>,
    },
    /// The latest edit undone.
    Undo,
    /// The latest undone edit redone.
    Redo,
}

/// Why a journal could not be written or read.
#[derive(Debug, thiserror::Error)]
pub enum JournalError {
    /// The file could not be written or read.
    #[error("the journal {} could not be used: {source}", path.display())]
    Io {
        /// The journal file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The file is not a journal (its first line is not a head).
    #[error("{} is not a mapline journal: {reason}", path.display())]
    NotAJournal {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        reason: String,
    },
    /// The story the journal began from cannot be opened any more.
    #[error("the story the journal began from cannot be opened: {0}")]
    Story(crate::io::DatasetErrors),
}

/// A journal being written.
#[derive(Debug)]
pub struct Journal {
    path: PathBuf,
    file: std::fs::File,
}

/// A journal left behind: the story it began from and the steps made.
#[derive(Clone, Debug)]
pub struct Recovery {
    /// Which story.
    pub head: JournalHead,
    /// The steps, in order (a last line cut short left out).
    pub steps: Vec<Step>,
    /// The folder's `dataset.json` changed since the journal began.
    pub folder_changed: bool,
}

impl Journal {
    /// Starts a journal at `path` for `story`, kept in `folder` (`None`:
    /// not saved yet): any journal there is replaced.
    ///
    /// # Errors
    /// The file cannot be written.
    pub fn start(path: &Path, story: &Story, folder: Option<&Path>) -> Result<Self, JournalError> {
        let failed = |source| JournalError::Io {
            path: path.to_path_buf(),
            source,
        };
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(failed)?;
        }
        let head = JournalHead {
            folder: folder.map(Path::to_path_buf),
            title: story.manifest.title.clone(),
            manifest_sha256: folder.and_then(manifest_sha256),
        };
        let mut line = serde_json::to_vec(&head).map_err(|e| failed(std::io::Error::other(e)))?;
        line.push(b'\n');
        crate::io::atomic::write_atomic(path, &line).map_err(failed)?;
        let file = std::fs::OpenOptions::new()
            .append(true)
            .open(path)
            .map_err(failed)?;
        Ok(Self {
            path: path.to_path_buf(),
            file,
        })
    }

    /// Goes on writing the journal at `path` (after its steps were replayed).
    ///
    /// # Errors
    /// The file cannot be opened for writing.
    pub fn resume(path: &Path) -> Result<Self, JournalError> {
        let file = std::fs::OpenOptions::new()
            .append(true)
            .open(path)
            .map_err(|source| JournalError::Io {
                path: path.to_path_buf(),
                source,
            })?;
        Ok(Self {
            path: path.to_path_buf(),
            file,
        })
    }

    /// Writes `step` and syncs it to the disk before returning.
    ///
    /// # Errors
    /// The file cannot be written: the step is then not journaled (the
    /// caller says so; the edit itself stands).
    pub fn record(&mut self, step: &Step) -> Result<(), JournalError> {
        let failed = |source| JournalError::Io {
            path: self.path.clone(),
            source,
        };
        let mut line = serde_json::to_vec(step).map_err(|e| failed(std::io::Error::other(e)))?;
        line.push(b'\n');
        self.file.write_all(&line).map_err(failed)?;
        self.file.sync_data().map_err(failed)
    }

    /// The story was saved (or closed): nothing is left to recover.
    ///
    /// # Errors
    /// The file cannot be removed.
    pub fn finish(self) -> Result<(), JournalError> {
        match std::fs::remove_file(&self.path) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(source) => Err(JournalError::Io {
                path: self.path,
                source,
            }),
        }
    }
}

impl Recovery {
    /// The journal at `path`, if one was left behind.
    ///
    /// # Errors
    /// It cannot be read, or is not a journal.
    pub fn find(path: &Path) -> Result<Option<Self>, JournalError> {
        let file = match std::fs::File::open(path) {
            Ok(f) => f,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(source) => {
                return Err(JournalError::Io {
                    path: path.to_path_buf(),
                    source,
                });
            }
        };
        // A journal is the size of a session's edits: bounded all the same.
        let reader = std::io::BufReader::new(file.take(crate::io::files::MAX_FILE_BYTES));
        let mut lines = reader.split(b'\n');
        let not_a_journal = |reason: String| JournalError::NotAJournal {
            path: path.to_path_buf(),
            reason,
        };
        let head = match lines.next() {
            Some(Ok(line)) => serde_json::from_slice::<JournalHead>(&line)
                .map_err(|e| not_a_journal(e.to_string()))?,
            Some(Err(source)) => {
                return Err(JournalError::Io {
                    path: path.to_path_buf(),
                    source,
                });
            }
            None => return Err(not_a_journal("it is empty".to_owned())),
        };
        let mut steps = Vec::new();
        for line in lines {
            let Ok(line) = line else { break };
            if line.is_empty() {
                continue;
            }
            // A line that does not parse can only be the last one, cut short.
            let Ok(step) = serde_json::from_slice::<Step>(&line) else {
                break;
            };
            steps.push(step);
        }
        let folder_changed = head
            .folder
            .as_deref()
            .is_some_and(|f| manifest_sha256(f) != head.manifest_sha256);
        Ok(Some(Self {
            head,
            steps,
            folder_changed,
        }))
    }

    /// The story as it was when the journal stopped: the folder it began
    /// from (or a new story) with every step replayed, the history those
    /// steps leave (so undo goes on where it was), and how many steps no
    /// longer fitted the story (a folder changed since) and were left out.
    ///
    /// # Errors
    /// The folder cannot be opened.
    pub fn replay(&self) -> Result<(Story, History, usize), JournalError> {
        let mut story = match &self.head.folder {
            Some(f) if f.join(crate::io::files::MANIFEST).exists() => {
                Story::open(f).map_err(JournalError::Story)?
            }
            _ => Story::new(&self.head.title),
        };
        let mut history = History::default();
        let mut left_out = 0;
        for step in &self.steps {
            let fitted = match step {
                Step::Edit { edit } => history.apply(&mut story, (**edit).clone()).is_ok(),
                Step::Undo => history.undo(&mut story),
                Step::Redo => history.redo(&mut story),
            };
            left_out += usize::from(!fitted);
        }
        Ok((story, history, left_out))
    }
}

/// SHA-256 of `folder`'s `dataset.json`, if it can be read.
fn manifest_sha256(folder: &Path) -> Option<String> {
    let bytes = std::fs::read(folder.join(crate::io::files::MANIFEST)).ok()?;
    Some(format!("{:x}", Sha256::digest(&bytes)))
}
