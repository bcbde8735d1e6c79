//! `mapline bench`: load time, peak memory and frame times of the real UI,
//! headless, on generated datasets.

use std::path::{Path, PathBuf};
use std::time::Instant;

use egui::{Context, RawInput, Rect, pos2, vec2};

use super::App;
use crate::io::{self, generate};
use crate::model::{Day, TimeWindow};
use crate::state::Action;

/// Frame times of one interaction.
#[derive(Clone, Debug)]
pub struct FrameStats {
    /// What was done: `scrub 1%`, `scrub 10%`, `scrub 100%`, `map zoom`, `timeline zoom`.
    pub scenario: String,
    /// Was AccessKit (the screen-reader tree) built every frame?
    pub accesskit: bool,
    /// Median frame time, ms.
    pub median_ms: f64,
    /// 99th percentile frame time, ms.
    pub p99_ms: f64,
}

/// Figures for one dataset size.
#[derive(Clone, Debug)]
pub struct BenchResult {
    /// Events in the dataset.
    pub events: usize,
    /// Seconds to load and validate it.
    pub load_s: f64,
    /// Peak resident memory of the process so far, MB.
    pub peak_rss_mb: f64,
    /// Frame times per interaction, AccessKit off and on.
    pub frames: Vec<FrameStats>,
    /// Seconds to build the search index (once, on first search).
    pub search_index_s: f64,
    /// Median time of one search, per keystroke, ms.
    pub search_ms_median: f64,
    /// Slowest search of all keystrokes, ms.
    pub search_ms_max: f64,
}

impl BenchResult {
    /// The median frame of a scenario with AccessKit off.
    #[must_use]
    pub fn median_of(&self, scenario: &str) -> Option<f64> {
        self.frames
            .iter()
            .find(|f| f.scenario == scenario && !f.accesskit)
            .map(|f| f.median_ms)
    }
}

/// Peak resident set size of this process (Linux `VmHWM`), in MB (NaN elsewhere).
#[must_use]
pub fn peak_rss_mb() -> f64 {
    crate::io::progress::peak_rss_mb().unwrap_or(f64::NAN)
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let idx = ((sorted.len() - 1) as f64 * p).round() as usize;
    sorted[idx.min(sorted.len() - 1)]
}

/// What one timed frame does before it is drawn.
#[derive(Clone, Copy, Debug)]
enum Scenario {
    /// The window, this fraction of the span wide, moves across the data.
    Scrub(f64),
    /// The wheel zooms the map in and out around its centre.
    MapZoom,
    /// The wheel zooms the time strip in and out.
    TimelineZoom,
}

impl Scenario {
    fn name(self) -> String {
        match self {
            Self::Scrub(w) => format!("scrub {}%", (w * 100.0).round()),
            Self::MapZoom => "map zoom".to_owned(),
            Self::TimelineZoom => "timeline zoom".to_owned(),
        }
    }
}

const SCREEN: Rect = Rect {
    min: pos2(0.0, 0.0),
    max: pos2(1600.0, 1000.0),
};

/// Runs one frame of `scenario` at `t` (0..1 through it) on `ctx`; its time
/// in ms, from the user's action to the tessellated frame.
fn one_frame(app: &mut App, ctx: &Context, scenario: Scenario, t: f64, frame: usize) -> f64 {
    let extent = app.dataset().time_extent();
    let mut events = Vec::new();
    // The frame is timed from the user's action: a scrub moves the
    // window (and updates the counts) as part of the frame it is seen in.
    let begin = Instant::now();
    match scenario {
        Scenario::Scrub(width) => {
            if let Some(extent) = extent {
                let span = (extent.end.0 - extent.start.0) as f64;
                let w = span * width;
                let start = extent.start.as_f64() + t * (span - w);
                app.apply(Action::SetWindow(TimeWindow::new(
                    Day(start as i64),
                    Day((start + w) as i64),
                )));
            }
        }
        Scenario::MapZoom | Scenario::TimelineZoom => {
            let at = match scenario {
                Scenario::MapZoom => pos2(700.0, 400.0),
                _ => pos2(800.0, 920.0),
            };
            // Ten frames in, ten out, so the view stays in the data.
            let dir = if (frame / 10).is_multiple_of(2) {
                1.0
            } else {
                -1.0
            };
            events.push(egui::Event::PointerMoved(at));
            events.push(egui::Event::MouseWheel {
                unit: egui::MouseWheelUnit::Point,
                delta: vec2(0.0, 60.0 * dir),
                phase: egui::TouchPhase::Move,
                source: egui::MouseWheelSource::Unknown,
                modifiers: egui::Modifiers::NONE,
            });
        }
    }
    let input = RawInput {
        screen_rect: Some(SCREEN),
        time: Some(frame as f64 / 60.0),
        events,
        ..Default::default()
    };
    let mut output = ctx.run_ui(input, |ui| app.show(ui));
    // No GPU here: the texture updates are dropped on purpose.
    output.textures_delta.clear();
    let primitives = ctx.tessellate(output.shapes, output.pixels_per_point);
    std::hint::black_box(primitives);
    std::hint::black_box(output.platform_output);
    begin.elapsed().as_secs_f64() * 1000.0
}

/// Runs `frames` timed frames (after 5 warm-up frames) of `scenario`.
fn time_frames(app: &mut App, scenario: Scenario, accesskit: bool, frames: usize) -> FrameStats {
    let ctx = Context::default();
    if accesskit {
        ctx.enable_accesskit();
    }
    let mut times = Vec::with_capacity(frames);
    for frame in 0..frames + 5 {
        let t = frame as f64 / frames.max(1) as f64;
        let ms = one_frame(app, &ctx, scenario, t, frame);
        // The first frames lay out fonts and the basemap: warm-up, not timed.
        if frame >= 5 {
            times.push(ms);
        }
    }
    times.sort_by(f64::total_cmp);
    FrameStats {
        scenario: scenario.name(),
        accesskit,
        median_ms: percentile(&times, 0.5),
        p99_ms: percentile(&times, 0.99),
    }
}

/// The formats `mapline bench` loads, as `mapline generate --format` names them.
pub const FORMATS: [&str; 3] = ["native", "acled", "timelinejs"];

/// Writes a dataset of `format` with `events` events into `dir` (not
/// timed); the path to open.
///
/// # Errors
/// A message if it cannot be written.
pub fn generate_format(dir: &Path, format: &str, events: usize) -> Result<PathBuf, String> {
    let path = match format {
        "native" => {
            let path = dir.join(format!("native-{events}"));
            generate::generate(&path, generate::GenerateOptions { events, seed: 1 }).map(|_| path)
        }
        "acled" => {
            let path = dir.join(format!("acled-{events}.csv"));
            crate::io::acled::generate::generate(&path, events, 1).map(|_| path)
        }
        "timelinejs" | "timelinejs-min" | "timelinejs-sheet" | "geojson" | "geojson-min" => {
            let (shape, ext) = match format {
                "timelinejs" => (generate::Shape::TimelineJs, "json"),
                "timelinejs-min" => (generate::Shape::TimelineJsMinified, "json"),
                "timelinejs-sheet" => (generate::Shape::TimelineJsSheet, "csv"),
                "geojson" => (generate::Shape::GeoJson, "geojson"),
                _ => (generate::Shape::GeoJsonMinified, "geojson"),
            };
            let path = dir.join(format!("{format}-{events}.{ext}"));
            generate::shaped(&path, shape, events, 1).map(|_| path)
        }
        other => return Err(format!("no format {other:?}")),
    };
    path.map_err(|e| e.to_string())
}

/// Every format and shape the scaling bench reads, by the name
/// [`generate_format`] takes.
pub const SCALING_FORMATS: [&str; 7] = [
    "native",
    "timelinejs",
    "timelinejs-min",
    "timelinejs-sheet",
    "acled",
    "geojson",
    "geojson-min",
];

/// How one format's read time grows with its size.
#[derive(Clone, Debug)]
pub struct Scaling {
    /// The format's name, as [`generate_format`] takes it.
    pub format: String,
    /// `(items, median seconds of the read, microseconds per item)`, by size.
    pub sizes: Vec<(usize, f64, f64)>,
}

impl Scaling {
    /// Microseconds per item at the largest size over those at the
    /// smallest: 1.0 is linear, and a quadratic read grows with the size.
    #[must_use]
    pub fn ratio(&self) -> f64 {
        match (self.sizes.first(), self.sizes.last()) {
            (Some(small), Some(large)) if small.2 > 0.0 => large.2 / small.2,
            _ => f64::NAN,
        }
    }
}

/// Reads `format` at each of `sizes` items, `runs` times each, every read
/// in a fresh child process, and keeps the median read of each size.
///
/// # Errors
/// A message if a file cannot be written or does not open.
pub fn scaling(format: &str, sizes: &[usize], runs: usize) -> Result<Scaling, String> {
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let mut measured = Vec::with_capacity(sizes.len());
    for &n in sizes {
        let path = generate_format(dir.path(), format, n)?;
        let mut reads = (0..runs.max(1))
            .map(|_| load_in_child(&path).map(|f| f.load_s))
            .collect::<Result<Vec<_>, _>>()?;
        reads.sort_by(f64::total_cmp);
        let median = reads[reads.len() / 2];
        measured.push((n, median, median * 1e6 / n.max(1) as f64));
        if path.is_dir() {
            let _ = std::fs::remove_dir_all(&path);
        } else {
            let _ = std::fs::remove_file(&path);
        }
    }
    Ok(Scaling {
        format: format.to_owned(),
        sizes: measured,
    })
}

/// What one load measured.
#[derive(Clone, Debug)]
pub struct LoadFigures {
    /// Seconds to open, check and build.
    pub load_s: f64,
    /// The process's peak resident memory, MB.
    pub peak_rss_mb: f64,
    /// The event store's buffers (by capacity) and the indexes kept per
    /// event, divided by the number of events.
    pub store_bytes_per_event: f64,
    /// The event store's bytes per event column by column (`ids=16.0,…`).
    pub store_columns: String,
}

/// Opens `path` in this process, timed. Run by a fresh child (`mapline
/// bench-load PATH`), so the peak is the load's own.
///
/// # Errors
/// A message if it does not open.
pub fn load_here(path: &Path) -> Result<LoadFigures, String> {
    let started = Instant::now();
    let opened = io::import::open(path, None).map_err(|e| e.to_string())?;
    let load_s = started.elapsed().as_secs_f64();
    let peak = peak_rss_mb();
    let ds = &opened.loaded.dataset;
    let per_event = |bytes: usize| bytes as f64 / ds.events.len().max(1) as f64;
    let store_bytes_per_event = per_event(ds.event_store_bytes());
    let store_columns = ds
        .events
        .column_bytes()
        .into_iter()
        .map(|(name, bytes)| format!("{name}={:.1}", per_event(bytes)))
        .chain(std::iter::once(format!(
            "indexes={:.1}",
            per_event(ds.event_store_bytes() - ds.events.heap_bytes())
        )))
        .collect::<Vec<_>>()
        .join(",");
    // Freeing a million events is not part of loading them.
    std::mem::forget(opened);
    Ok(LoadFigures {
        load_s,
        peak_rss_mb: peak,
        store_bytes_per_event,
        store_columns,
    })
}

/// Opens `path` in a fresh child process and reads what it measured.
///
/// # Errors
/// A message if the child cannot run or the file does not open.
pub fn load_in_child(path: &Path) -> Result<LoadFigures, String> {
    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    let out = std::process::Command::new(exe)
        .arg("bench-load")
        .arg(path)
        .output()
        .map_err(|e| e.to_string())?;
    let text = String::from_utf8_lossy(&out.stdout);
    let figure = |name: &str| -> Option<f64> {
        let mut words = text.split_whitespace();
        words.find(|w| *w == name)?;
        words.next()?.parse().ok()
    };
    match (
        out.status.success(),
        figure("load_s"),
        figure("peak_rss_mb"),
        figure("store_bytes_per_event"),
    ) {
        (true, Some(load_s), Some(peak_rss_mb), Some(store_bytes_per_event)) => Ok(LoadFigures {
            load_s,
            peak_rss_mb,
            store_bytes_per_event,
            store_columns: text
                .split_whitespace()
                .skip_while(|w| *w != "store_columns")
                .nth(1)
                .unwrap_or_default()
                .to_owned(),
        }),
        _ => Err(format!(
            "the child did not load {}: {}",
            path.display(),
            String::from_utf8_lossy(&out.stderr)
        )),
    }
}

/// Frames while `path` loads on the app's worker thread (the embedded story
/// on screen, the window scrubbing): `(frames drawn, median ms, p99 ms,
/// seconds the load took)`.
///
/// # Errors
/// A message if the load fails.
pub fn frames_while_loading(path: &Path) -> Result<(usize, f64, f64, f64), String> {
    let mut app = App::embedded().map_err(|e| e.to_string())?;
    let ctx = Context::default();
    for frame in 0..5 {
        one_frame(&mut app, &ctx, Scenario::Scrub(0.1), 0.0, frame);
    }
    let started = Instant::now();
    app.open(path.to_path_buf());
    let mut times = Vec::new();
    let mut frame = 5;
    while app.is_loading() {
        let t = (frame % 120) as f64 / 120.0;
        times.push(one_frame(&mut app, &ctx, Scenario::Scrub(0.1), t, frame));
        frame += 1;
        // About 60 frames a second, as a display asks for them.
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    let load_s = started.elapsed().as_secs_f64();
    if let Some(errors) = app.load_errors() {
        return Err(format!("{} did not load: {}", path.display(), errors.len()));
    }
    times.sort_by(f64::total_cmp);
    Ok((
        times.len(),
        percentile(&times, 0.5),
        percentile(&times, 0.99),
        load_s,
    ))
}

/// Generates a dataset of `events` events (not timed), loads it (timed),
/// then runs the real UI headless at 1600×1000: scrubbing with windows 1%,
/// 10% and 100% of the data's span wide, zooming the map and zooming the
/// time strip, each with AccessKit off and on; then the search.
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
    let peak_after_load = peak_rss_mb();
    let mut app = App::new(loaded);
    if app.dataset().time_extent().is_none() {
        return Err("the generated dataset has no dated events".to_owned());
    }
    let mut stats = Vec::new();
    for scenario in [
        Scenario::Scrub(0.01),
        Scenario::Scrub(0.1),
        Scenario::Scrub(1.0),
        Scenario::MapZoom,
        Scenario::TimelineZoom,
    ] {
        for accesskit in [false, true] {
            stats.push(time_frames(&mut app, scenario, accesskit, frames));
        }
    }
    // The strip's titles cost: the 10% scrub again with them off, then on,
    // right after one another (so the machine's drift touches both alike).
    for (titles, name) in [(false, "scrub 10% untitled"), (true, "scrub 10% titled")] {
        app.timeline.titles = titles;
        let mut s = time_frames(&mut app, Scenario::Scrub(0.1), false, frames);
        name.clone_into(&mut s.scenario);
        stats.push(s);
    }
    app.timeline.titles = true;

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
        peak_rss_mb: peak_after_load.max(peak_rss_mb()),
        frames: stats,
    })
}

/// Seconds to read a TimelineJS file of `events` events and to write it
/// out as a native dataset folder (`mapline export --format native FILE OUT`).
///
/// # Errors
/// A message if a step fails.
pub fn timelinejs_round(events: usize) -> Result<(f64, f64), String> {
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let native = dir.path().join("native");
    generate::generate(&native, generate::GenerateOptions { events, seed: 7 })
        .map_err(|e| e.to_string())?;
    let loaded = io::load_dir(&native).map_err(|e| e.to_string())?;
    let all: Vec<_> = loaded.dataset.event_indices().collect();
    let file = dir.path().join("timeline.json");
    io::export::export(
        &io::export::View {
            dataset: &loaded.dataset,
            events: &all,
        },
        io::export::ExportFormat::TimelineJs,
        &file,
    )
    .map_err(|e| e.to_string())?;
    drop(loaded);
    let started = Instant::now();
    let opened = io::import::open(&file, None).map_err(|e| e.to_string())?;
    let read_s = started.elapsed().as_secs_f64();
    let all: Vec<_> = opened.loaded.dataset.event_indices().collect();
    let started = Instant::now();
    io::export::export(
        &io::export::View {
            dataset: &opened.loaded.dataset,
            events: &all,
        },
        io::export::ExportFormat::Native,
        &dir.path().join("out"),
    )
    .map_err(|e| e.to_string())?;
    Ok((read_s, started.elapsed().as_secs_f64()))
}

/// Rebuilding a small story from its entries, as an edit does: a generated
/// dataset of `events` events and `articles` articles, read into entries and
/// articles in memory (not timed), then rebuilt `runs` times (every check,
/// every quote proven again). The median and slowest rebuild, ms.
///
/// # Errors
/// A message if the dataset cannot be made or rebuilt.
pub fn rebuild_ms(events: usize, articles: usize, runs: usize) -> Result<(f64, f64), String> {
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    generate::generate_with_sources(
        dir.path(),
        generate::GenerateOptions { events, seed: 1 },
        articles,
    )
    .map_err(|e| e.to_string())?;
    let disk = io::native::DirFiles::new(dir.path());
    let entries = io::native::entries_of(&disk).map_err(|e| e.to_string())?;
    let mut files = std::collections::HashMap::new();
    for s in &entries.sources {
        files.insert(
            s.file.clone(),
            io::native::DatasetFiles::read(&disk, &s.file)?,
        );
    }
    let memory = io::import::MemFiles {
        label: "bench".to_owned(),
        files,
    };
    let mut times = Vec::with_capacity(runs);
    for _ in 0..runs {
        let doc = entries.clone();
        let begin = Instant::now();
        let rebuilt = io::native::rebuild("bench", doc, &memory).map_err(|e| e.to_string())?;
        times.push(begin.elapsed().as_secs_f64() * 1000.0);
        std::hint::black_box(rebuilt);
    }
    times.sort_by(f64::total_cmp);
    Ok((
        percentile(&times, 0.5),
        times.last().copied().unwrap_or(f64::NAN),
    ))
}
