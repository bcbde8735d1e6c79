//! Progress of a load or import running off the UI thread: what it is doing
//! and how far it is, readable from the UI at any time.

use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// What a load stopped by [`Progress::cancel`] gives instead of its dataset.
#[must_use]
pub(crate) fn cancelled() -> crate::io::diagnostic::DatasetErrors {
    crate::io::diagnostic::DatasetErrors(vec![crate::io::diagnostic::Diagnostic::error(
        "(cancelled)",
        crate::io::diagnostic::TextPos::START,
        "dataset",
        "the load was cancelled",
    )])
}

/// Shared progress of one job. The worker writes, the UI reads.
#[derive(Debug, Default)]
pub struct Progress {
    stage: Mutex<String>,
    done: AtomicUsize,
    total: AtomicUsize,
    finished: AtomicBool,
    cancelled: AtomicBool,
    /// Each stage, when it began and the peak memory then (MB), kept for
    /// [`Progress::timings`].
    began: Mutex<Vec<(String, Instant, Option<f64>)>>,
}

impl Progress {
    /// A new job with no stage yet.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Starts a stage of `total` steps (0 when unknown).
    pub fn stage(&self, what: &str, total: usize) {
        if let Ok(mut stage) = self.stage.lock() {
            what.clone_into(&mut stage);
        }
        if let Ok(mut began) = self.began.lock() {
            began.push((what.to_owned(), Instant::now(), peak_rss_mb()));
        }
        self.done.store(0, Ordering::Relaxed);
        self.total.store(total, Ordering::Relaxed);
    }

    /// Steps done in the current stage.
    pub fn set_done(&self, done: usize) {
        self.done.store(done, Ordering::Relaxed);
    }

    /// Marks the job as over (success or failure).
    pub fn finish(&self) {
        self.finished.store(true, Ordering::Release);
        if let Ok(mut began) = self.began.lock() {
            began.push((String::new(), Instant::now(), peak_rss_mb()));
        }
    }

    /// How long each stage took, in the order they ran (the last one up to
    /// [`Progress::finish`], or to now while the job runs), and the process's
    /// peak memory in MB when it ended (Linux only).
    #[must_use]
    pub fn timings(&self) -> Vec<(String, Duration, Option<f64>)> {
        let began = self.began.lock().map(|b| b.clone()).unwrap_or_default();
        let now = (Instant::now(), peak_rss_mb());
        began
            .iter()
            .enumerate()
            .filter(|(_, (what, _, _))| !what.is_empty())
            .map(|(i, (what, at, _))| {
                let (end, peak) = began.get(i + 1).map_or(now, |(_, t, m)| (*t, *m));
                (what.clone(), end.duration_since(*at), peak)
            })
            .collect()
    }

    /// Is the job over?
    #[must_use]
    pub fn is_finished(&self) -> bool {
        self.finished.load(Ordering::Acquire)
    }

    /// Asks the job to stop: the user cancelled it. The worker stops at its
    /// next check; its result is not used either way.
    pub fn cancel(&self) {
        self.cancelled.store(true, Ordering::Release);
    }

    /// Has the job been asked to stop?
    #[must_use]
    pub fn is_cancelled(&self) -> bool {
        self.cancelled.load(Ordering::Acquire)
    }

    /// The current stage, and the fraction done when it is known.
    #[must_use]
    pub fn snapshot(&self) -> (String, Option<f32>) {
        let stage = self.stage.lock().map(|s| s.clone()).unwrap_or_default();
        let total = self.total.load(Ordering::Relaxed);
        let done = self.done.load(Ordering::Relaxed);
        let fraction = (total > 0).then(|| (done as f32 / total as f32).clamp(0.0, 1.0));
        (stage, fraction)
    }
}

/// Peak resident set size of this process so far (Linux `VmHWM`), in MB.
#[must_use]
pub fn peak_rss_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let kb: f64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))?
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .ok()?;
    Some(kb / 1024.0)
}
