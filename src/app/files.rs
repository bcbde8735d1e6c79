//! Opening datasets off the UI thread, and watching the open one for changes.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::mpsc::{Receiver, TryRecvError, channel};
use std::time::{Duration, Instant};

use notify::{RecursiveMode, Watcher as _};

use crate::io::DatasetErrors;
use crate::io::import::{self, Opened};
use crate::io::progress::Progress;

/// After this long a load shows its progress bar.
pub const PROGRESS_AFTER: Duration = Duration::from_millis(500);

/// Changes on disk are read once they have settled for this long (an editor
/// may write a file in several steps).
pub const SETTLE: Duration = Duration::from_millis(300);

/// Why a dataset is being loaded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum JobKind {
    /// The user opened it: a new view.
    Open,
    /// It changed on disk: keep the view.
    Reload,
}

/// A load or import running on its own thread.
#[derive(Debug)]
pub struct LoadJob {
    /// What is being loaded.
    pub path: PathBuf,
    /// Why.
    pub kind: JobKind,
    /// Its progress, shared with the worker.
    pub progress: Arc<Progress>,
    /// When it started.
    pub started: Instant,
    rx: Receiver<Result<Opened, DatasetErrors>>,
}

impl LoadJob {
    /// Starts loading `path` on a new thread; `ctx` is asked to repaint when it ends.
    #[must_use]
    pub fn spawn(path: PathBuf, kind: JobKind, ctx: Option<egui::Context>) -> Self {
        let (tx, rx) = channel();
        let progress = Arc::new(Progress::new());
        let worker_progress = Arc::clone(&progress);
        let worker_path = path.clone();
        let spawned = std::thread::Builder::new()
            .name("mapline-load".into())
            .spawn(move || {
                // The load may use every core but one: the UI keeps one to draw.
                let threads = std::thread::available_parallelism()
                    .map_or(1, |n| n.get().saturating_sub(1).max(1));
                let open = || import::open(&worker_path, Some(&worker_progress));
                let result = match rayon::ThreadPoolBuilder::new().num_threads(threads).build() {
                    Ok(pool) => pool.install(open),
                    Err(_) => open(),
                };
                worker_progress.finish();
                let _ = tx.send(result);
                if let Some(ctx) = ctx {
                    ctx.request_repaint();
                }
            });
        if let Err(e) = spawned {
            progress.finish();
            // No thread: report it as a load failure, in the panel like the rest.
            let (tx, failed) = channel();
            let _ = tx.send(Err(import::one_error(
                &path.display().to_string(),
                crate::io::diagnostic::TextPos::START,
                format!("cannot start loading: {e}"),
            )));
            return Self {
                path,
                kind,
                progress,
                started: Instant::now(),
                rx: failed,
            };
        }
        Self {
            path,
            kind,
            progress,
            started: Instant::now(),
            rx,
        }
    }

    /// The result once the worker is done.
    #[must_use]
    pub fn poll(&self) -> Option<Result<Opened, DatasetErrors>> {
        match self.rx.try_recv() {
            Ok(r) => Some(r),
            Err(TryRecvError::Empty) => None,
            Err(TryRecvError::Disconnected) => Some(Err(import::one_error(
                &self.path.display().to_string(),
                crate::io::diagnostic::TextPos::START,
                "the loader stopped without a result",
            ))),
        }
    }

    /// Should the progress bar show yet?
    #[must_use]
    pub fn show_progress(&self) -> bool {
        self.started.elapsed() >= PROGRESS_AFTER
    }
}

/// Watches the files of the open dataset: the manifest and the files it
/// names (or the one imported file), never the whole folder tree, so a
/// dataset folder holding a large or linked tree costs nothing to watch.
pub struct Watch {
    _watcher: notify::RecommendedWatcher,
    rx: Receiver<notify::Result<notify::Event>>,
    /// The watched dataset path.
    pub path: PathBuf,
    /// The files whose change means a reload.
    files: Vec<PathBuf>,
    changed_at: Option<Instant>,
}

impl std::fmt::Debug for Watch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Watch")
            .field("path", &self.path)
            .field("files", &self.files)
            .finish_non_exhaustive()
    }
}

impl Watch {
    /// Watches `files`, the files the dataset at `path` was read from, each
    /// through its folder (not recursively), since editors often replace a
    /// file by renaming another onto it. With no files, `path` itself is
    /// watched the same way.
    ///
    /// # Errors
    /// The platform's watcher cannot be set up.
    pub fn new(
        path: &Path,
        files: &[PathBuf],
        ctx: Option<egui::Context>,
    ) -> Result<Self, super::GuiError> {
        let failed = |reason: String| super::GuiError::Watch {
            path: path.to_path_buf(),
            reason,
        };
        let (tx, rx) = channel();
        let handler = move |event: notify::Result<notify::Event>| {
            let _ = tx.send(event);
            if let Some(ctx) = &ctx {
                ctx.request_repaint_after(SETTLE);
            }
        };
        let mut watcher =
            notify::recommended_watcher(handler).map_err(|e| failed(e.to_string()))?;
        let files: Vec<PathBuf> = if files.is_empty() {
            vec![std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf())]
        } else {
            files.to_vec()
        };
        let mut folders: Vec<&Path> = files
            .iter()
            .map(|f| match f.parent() {
                Some(p) if !p.as_os_str().is_empty() => p,
                _ => Path::new("."),
            })
            .collect();
        folders.sort_unstable();
        folders.dedup();
        let mut folders_watched = 0;
        let mut last_error = None;
        for folder in folders {
            // A folder named by a file that is missing may be missing too.
            match watcher.watch(folder, RecursiveMode::NonRecursive) {
                Ok(()) => folders_watched += 1,
                Err(e) => last_error = Some(e.to_string()),
            }
        }
        if folders_watched == 0 {
            return Err(failed(
                last_error.unwrap_or_else(|| "nothing to watch".to_owned()),
            ));
        }
        Ok(Self {
            _watcher: watcher,
            rx,
            path: path.to_path_buf(),
            files,
            changed_at: None,
        })
    }

    /// Reads the watcher's news; `true` once a change to one of the files
    /// has settled.
    pub fn settled_change(&mut self) -> bool {
        while let Ok(event) = self.rx.try_recv() {
            let Ok(event) = event else { continue };
            if event.kind.is_access() {
                continue;
            }
            if event.paths.iter().any(|p| self.files.contains(p)) {
                self.changed_at = Some(Instant::now());
            }
        }
        match self.changed_at {
            Some(t) if t.elapsed() >= SETTLE => {
                self.changed_at = None;
                true
            }
            _ => false,
        }
    }

    /// Is a change waiting to settle?
    #[must_use]
    pub fn pending(&self) -> bool {
        self.changed_at.is_some()
    }
}
