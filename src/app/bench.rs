//! `mapline bench`: load time, peak memory and frame times of the real UI,
//! headless, on generated datasets.

use std::time::Instant;

use egui::{Context, RawInput, Rect, pos2, vec2};

use super::App;
use crate::io::{self, generate};
use crate::model::{Day, TimeWindow};
use crate::state::Action;

/// Figures for one dataset size.
#[derive(Clone, Debug)]
pub struct BenchResult {
    /// Events in the dataset.
    pub events: usize,
    /// Seconds to load and validate it.
    pub load_s: f64,
    /// Peak resident memory of the process so far, MB.
    pub peak_rss_mb: f64,
    /// Median frame time while scrubbing, ms.
    pub frame_ms_median: f64,
    /// 99th percentile frame time while scrubbing, ms.
    pub frame_ms_p99: f64,
    /// Seconds to build the search index (once, on first search).
    pub search_index_s: f64,
    /// Median time of one search, per keystroke, ms.
    pub search_ms_median: f64,
    /// Slowest search of all keystrokes, ms.
    pub search_ms_max: f64,
}

/// Peak resident set size of this process (Linux `VmHWM`), in MB.
#[must_use]
pub fn peak_rss_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines().find(|l| l.starts_with("VmHWM:")).and_then(|l| {
                l.split_whitespace()
                    .nth(1)
                    .and_then(|kb| kb.parse::<f64>().ok())
            })
        })
        .map_or(f64::NAN, |kb| kb / 1024.0)
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let idx = ((sorted.len() - 1) as f64 * p).round() as usize;
    sorted[idx.min(sorted.len() - 1)]
}

/// Generates a dataset of `events` events (not timed), loads it (timed),
/// then runs `frames` frames of the real UI at 1600×1000 while the time
/// window, a tenth of the data's span wide, is dragged across the data.
///
/// # Errors
/// A message if the dataset cannot be generated or loaded.
pub fn run_one(events: usize, frames: usize) -> Result<BenchResult, String> {
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    generate::generate(dir.path(), generate::GenerateOptions { events, seed: 1 })
        .map_err(|e| e.to_string())?;
    let started = Instant::now();
    let loaded = io::load_dir(dir.path()).map_err(|e| e.to_string())?;
    let load_s = started.elapsed().as_secs_f64();
    let mut app = App::new(loaded);
    let extent = app
        .dataset()
        .time_extent()
        .ok_or_else(|| "the generated dataset has no dated events".to_owned())?;
    let span = f64::from(extent.end.0 - extent.start.0);
    let width = span * 0.1;

    let ctx = Context::default();
    let screen = Rect::from_min_size(pos2(0.0, 0.0), vec2(1600.0, 1000.0));
    let mut times = Vec::with_capacity(frames);
    for frame in 0..frames + 5 {
        let t = frame as f64 / frames.max(1) as f64;
        let start = f64::from(extent.start.0) + t * (span - width);
        app.apply(Action::SetWindow(TimeWindow::new(
            Day(start as i32),
            Day((start + width) as i32),
        )));
        let input = RawInput {
            screen_rect: Some(screen),
            time: Some(frame as f64 / 60.0),
            ..Default::default()
        };
        let begin = Instant::now();
        let output = ctx.run_ui(input, |ui| app.show(ui));
        let primitives = ctx.tessellate(output.shapes, output.pixels_per_point);
        std::hint::black_box(primitives);
        // The first frames lay out fonts and the basemap: warm-up, not timed.
        if frame >= 5 {
            times.push(begin.elapsed().as_secs_f64() * 1000.0);
        }
    }
    times.sort_by(f64::total_cmp);

    // Search as the user types: a phrase the data holds (results come
    // early) and one it does not (every text is scanned), a keystroke at a time.
    let ds = app.dataset();
    let built = Instant::now();
    let index = crate::model::search::SearchIndex::new(ds);
    let search_index_s = built.elapsed().as_secs_f64();
    let mut search_times = Vec::new();
    for phrase in ["delegation visited", "no such phrase here"] {
        for end in 1..=phrase.len() {
            let query = &phrase[..end];
            let begin = Instant::now();
            std::hint::black_box(index.search(ds, query, 60));
            search_times.push(begin.elapsed().as_secs_f64() * 1000.0);
        }
    }
    search_times.sort_by(f64::total_cmp);
    Ok(BenchResult {
        search_index_s,
        search_ms_median: percentile(&search_times, 0.5),
        search_ms_max: search_times.last().copied().unwrap_or(f64::NAN),
        events,
        load_s,
        peak_rss_mb: peak_rss_mb(),
        frame_ms_median: percentile(&times, 0.5),
        frame_ms_p99: percentile(&times, 0.99),
    })
}
