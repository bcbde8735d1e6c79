//! The `mapline` command: opens the window, or runs a subcommand.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use mapline::io::{self, generate};
use mapline::model::{Day, EventIdx, FuzzyTime, TimeWindow, WindowRule};

/// A map-and-timeline explorer for contested stories, with verified excerpts.
#[derive(Parser, Debug)]
#[command(
    name = "mapline",
    version,
    about,
    args_conflicts_with_subcommands = true
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    /// A dataset folder or importable file (TimelineJS JSON or CSV, ACLED CSV,
    /// GeoJSON) to open; the embedded Albania–Iran dataset if omitted.
    path: Option<PathBuf>,
    /// Start with this event or place (by id) selected and in view.
    #[arg(long, value_name = "ID")]
    select: Option<String>,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Open the window on a dataset folder or importable file.
    Open {
        /// The dataset folder or file (the format is detected from its content).
        path: PathBuf,
    },
    /// Validate a dataset: every reference, every date, every quote against its article.
    Check {
        /// Print the whole dataset as JSON instead of a summary.
        #[arg(long)]
        json: bool,
        /// Print how long each stage of the load took, to standard error.
        #[arg(long)]
        timings: bool,
        /// How Unix epoch numbers in a time field are read: s (seconds), ms
        /// (milliseconds) or auto (by their size: 10^11 or more is
        /// milliseconds; `check` says which it took).
        #[arg(long, value_enum, value_name = "UNIT", default_value_t = TimeUnitArg::Auto)]
        time_unit: TimeUnitArg,
        /// The dataset folder or importable file (the embedded dataset if omitted).
        path: Option<PathBuf>,
    },
    /// Write a dataset (or the part of it in a time window) as CSV, GeoJSON,
    /// TimelineJS JSON or a native dataset folder. The write is atomic.
    Export {
        /// csv, geojson, timelinejs or native.
        #[arg(long, value_name = "FORMAT")]
        format: io::export::ExportFormat,
        /// Only events from this time on (EDTF: 2022, 2022-07, 2022-07-15).
        #[arg(long, value_name = "EDTF")]
        from: Option<String>,
        /// Only events until this time (EDTF).
        #[arg(long, value_name = "EDTF")]
        to: Option<String>,
        /// Keep only events lying wholly inside the window (default: any overlap).
        #[arg(long)]
        inside: bool,
        /// CSV: write every cell as it is. By default a text cell that
        /// begins with =, +, -, @, a tab or a carriage return gets a leading '
        /// so that no spreadsheet runs it as a formula (plain numbers stay).
        #[arg(long)]
        csv_raw: bool,
        /// CSV: for spreadsheets, UTF-8 with a byte order mark and CRLF line
        /// ends (non-Latin text opens intact).
        #[arg(long)]
        excel: bool,
        /// How Unix epoch numbers in a time field are read: s (seconds), ms
        /// (milliseconds) or auto (by their size: 10^11 or more is
        /// milliseconds; `check` says which it took).
        #[arg(long, value_enum, value_name = "UNIT", default_value_t = TimeUnitArg::Auto)]
        time_unit: TimeUnitArg,
        /// `[PATH] OUT`: the dataset folder or importable file (the embedded
        /// dataset if omitted), then the file (or folder, for native) to write.
        #[arg(num_args = 1..=2, required = true, value_name = "PATH")]
        paths: Vec<PathBuf>,
    },
    /// Write a briefing of the story (or of a time window, a place or an
    /// event in it) as one self-contained HTML file, or as Markdown with the
    /// map and the time strip beside it as PNGs: the events in time order,
    /// the claims with each stance's verbatim quote and numbered citations,
    /// contested claims first, and the sources.
    Brief {
        /// Only events from this time on (EDTF: 2022, 2022-07, 2022-07-15).
        #[arg(long, value_name = "EDTF")]
        from: Option<String>,
        /// Only events until this time (EDTF).
        #[arg(long, value_name = "EDTF")]
        to: Option<String>,
        /// Focus on this place (by id): its events in the window.
        #[arg(long, value_name = "ID", conflicts_with = "event")]
        place: Option<String>,
        /// Focus on this event (by id).
        #[arg(long, value_name = "ID")]
        event: Option<String>,
        /// How Unix epoch numbers in a time field are read: s (seconds), ms
        /// (milliseconds) or auto (by their size: 10^11 or more is
        /// milliseconds; `check` says which it took).
        #[arg(long, value_enum, value_name = "UNIT", default_value_t = TimeUnitArg::Auto)]
        time_unit: TimeUnitArg,
        /// `[PATH] OUT`: the dataset folder or importable file (the embedded
        /// dataset if omitted), then the briefing to write: OUT.html or OUT.md.
        #[arg(num_args = 1..=2, required = true, value_name = "PATH")]
        paths: Vec<PathBuf>,
    },
    /// Write a deterministic synthetic dataset for tests and benchmarks.
    Generate {
        /// Number of events.
        #[arg(long)]
        events: usize,
        /// native (a dataset folder), acled (an ACLED-shaped CSV file),
        /// timelinejs (a TimelineJS JSON file; -min on one line, -sheet the
        /// spreadsheet CSV) or geojson (-min on one line).
        #[arg(long, value_enum, default_value_t = GenerateFormat::Native)]
        format: GenerateFormat,
        /// Output folder (created if missing), or file for acled.
        #[arg(long)]
        out: PathBuf,
        /// Random seed; the same seed writes the same files.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// acled: the number of distinct locations (default: a sixth of the
        /// rows, 50 to 16,000).
        #[arg(long, value_name = "N")]
        locations: Option<usize>,
        /// acled: the number of countries they lie in (1 to 12).
        #[arg(long, value_name = "N", default_value_t = 12)]
        countries: usize,
        /// acled: the notes' length in characters, `MIN-MAX`.
        #[arg(long, value_name = "MIN-MAX", default_value = "50-500", value_parser = note_lengths)]
        notes: (usize, usize),
    },
    /// Print the JSON Schema of the dataset manifest (as in data/schema.json).
    Schema,
    /// Measure load time, peak memory and UI frame times on generated datasets (headless).
    #[cfg(feature = "gui")]
    Bench {
        /// Dataset sizes in events (default 1000 and 100000; with
        /// `--scaling`, 10000, 30000 and 100000).
        #[arg(long, num_args = 1..)]
        events: Vec<usize>,
        /// Frames to time per size.
        #[arg(long, default_value_t = 300)]
        frames: usize,
        /// The formats whose loading is timed, each size in a fresh child process.
        #[arg(long, num_args = 1.., default_values_t = ["native".to_owned(), "acled".to_owned(), "timelinejs".to_owned()])]
        formats: Vec<String>,
        /// Only how each format's read grows with its size: every format and
        /// shape at 10k, 30k and 100k items (or `--events`), each read in a
        /// fresh process, the median of three.
        #[arg(long)]
        scaling: bool,
    },
    /// Loads PATH once and prints `load_s` and `peak_rss_mb` (run by `bench`
    /// in a fresh process, so each load's peak memory is its own).
    #[cfg(feature = "gui")]
    #[command(hide = true)]
    BenchLoad {
        /// The dataset folder or file.
        path: PathBuf,
    },
}

/// What `mapline generate` writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
enum GenerateFormat {
    /// A native dataset folder with articles and proven quotes.
    Native,
    /// An ACLED-shaped CSV file (the 25 columns of an ACLED export).
    Acled,
    /// A TimelineJS JSON file (the native dataset's events as slides).
    Timelinejs,
    /// The same TimelineJS JSON on one line, as a minifier leaves it.
    TimelinejsMin,
    /// A TimelineJS spreadsheet (the template's columns) as CSV.
    TimelinejsSheet,
    /// A GeoJSON FeatureCollection, as mapline exports it.
    Geojson,
    /// The same GeoJSON on one line.
    GeojsonMin,
}

/// `--time-unit`.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
enum TimeUnitArg {
    /// Seconds since 1970-01-01T00:00:00Z.
    S,
    /// Milliseconds since 1970-01-01T00:00:00Z.
    Ms,
    /// By the number's size.
    Auto,
}

impl TimeUnitArg {
    /// The read options it gives.
    fn options(self) -> io::stamp::ReadOptions {
        io::stamp::ReadOptions {
            time_unit: match self {
                Self::S => io::stamp::TimeUnit::Seconds,
                Self::Ms => io::stamp::TimeUnit::Milliseconds,
                Self::Auto => io::stamp::TimeUnit::Auto,
            },
        }
    }
}

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        None => open_window(cli.path.as_deref(), cli.select.as_deref()),
        Some(Command::Open { path }) => open_window(Some(&path), cli.select.as_deref()),
        Some(Command::Check {
            json,
            timings,
            time_unit,
            path,
        }) => check((json, timings), path.as_deref(), time_unit.options()),
        Some(Command::Export {
            format,
            from,
            to,
            inside,
            csv_raw,
            excel,
            time_unit,
            paths,
        }) => export(
            format,
            (from.as_deref(), to.as_deref(), inside),
            io::export::ExportOptions {
                csv: io::csv::CsvOptions {
                    raw: csv_raw,
                    excel,
                },
            },
            &paths,
            time_unit.options(),
        ),
        Some(Command::Brief {
            from,
            to,
            place,
            event,
            time_unit,
            paths,
        }) => brief(
            (from.as_deref(), to.as_deref()),
            (place.as_deref(), event.as_deref()),
            &paths,
            time_unit.options(),
        ),
        Some(Command::Generate {
            events,
            format:
                format @ (GenerateFormat::Acled
                | GenerateFormat::Timelinejs
                | GenerateFormat::TimelinejsMin
                | GenerateFormat::TimelinejsSheet
                | GenerateFormat::Geojson
                | GenerateFormat::GeojsonMin),
            out,
            seed,
            locations,
            countries,
            notes,
        }) => {
            let shape = match format {
                GenerateFormat::TimelinejsMin => generate::Shape::TimelineJsMinified,
                GenerateFormat::TimelinejsSheet => generate::Shape::TimelineJsSheet,
                GenerateFormat::Geojson => generate::Shape::GeoJson,
                GenerateFormat::GeojsonMin => generate::Shape::GeoJsonMinified,
                _ => generate::Shape::TimelineJs,
            };
            let written = if format == GenerateFormat::Acled {
                let acled = io::acled::generate::AcledShape {
                    locations,
                    countries,
                    notes,
                };
                io::acled::generate::generate_shaped(&out, events, seed, acled)
                    .map(|locations| format!("{events} ACLED rows at {locations} locations"))
            } else {
                generate::shaped(&out, shape, events, seed)
                    .map(|_| format!("{events} events as {shape:?}"))
            };
            match written {
                Ok(what) => {
                    println!("wrote {what} to {}", out.display());
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("mapline generate: cannot write {}: {e}", out.display());
                    ExitCode::FAILURE
                }
            }
        }
        Some(Command::Generate {
            events,
            format: GenerateFormat::Native,
            out,
            seed,
            ..
        }) => match generate::generate(&out, generate::GenerateOptions { events, seed }) {
            Ok(g) => {
                println!(
                    "wrote {} events, {} places, {} distinct quotes in {} sources to {}",
                    g.events,
                    g.places,
                    g.quotes,
                    g.sources,
                    out.display()
                );
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("mapline generate: cannot write {}: {e}", out.display());
                ExitCode::FAILURE
            }
        },
        #[cfg(feature = "gui")]
        Some(Command::Bench {
            events,
            frames,
            formats,
            scaling,
        }) => {
            if scaling {
                let sizes = if events.is_empty() {
                    vec![10_000, 30_000, 100_000]
                } else {
                    events
                };
                bench_scaling(&sizes)
            } else {
                let sizes = if events.is_empty() {
                    vec![1_000, 100_000]
                } else {
                    events
                };
                bench(&sizes, frames, &formats)
            }
        }
        #[cfg(feature = "gui")]
        Some(Command::BenchLoad { path }) => match mapline::app::bench::load_here(&path) {
            Ok(f) => {
                println!(
                    "load_s {:.3} peak_rss_mb {:.1} store_bytes_per_event {:.1} store_columns {}",
                    f.load_s, f.peak_rss_mb, f.store_bytes_per_event, f.store_columns
                );
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("mapline bench-load: {e}");
                ExitCode::FAILURE
            }
        },
        Some(Command::Schema) => {
            println!(
                "{}",
                serde_json::to_string_pretty(&io::format::manifest_schema()).unwrap_or_default()
            );
            ExitCode::SUCCESS
        }
    }
}

fn check(
    (json, timings): (bool, bool),
    path: Option<&std::path::Path>,
    read: io::stamp::ReadOptions,
) -> ExitCode {
    let progress = io::progress::Progress::new();
    let result = match path {
        Some(p) => io::import::open_with(p, Some(&progress), read).map(|o| o.loaded),
        None => io::load_embedded(),
    };
    progress.finish();
    if timings {
        eprintln!("  stage s  peak MB  stage");
        for (stage, took, peak) in progress.timings() {
            let peak = peak.map_or_else(|| "-".to_owned(), |mb| format!("{mb:.0}"));
            eprintln!(
                "{:>9.3}  {peak:>7}  {}",
                took.as_secs_f64(),
                io::escape::escaped(&stage)
            );
        }
    }
    match result {
        Ok(loaded) => {
            if json {
                let doc = io::report::dataset_json(&loaded.dataset, &loaded.warnings);
                println!("{}", serde_json::to_string_pretty(&doc).unwrap_or_default());
            } else {
                // Titles and ids come from the file: escaped, line by line.
                for line in io::report::summary(&loaded.dataset, &loaded.warnings).lines() {
                    println!("{}", io::escape::escaped(line));
                }
            }
            // The process ends here: freeing a million events one by one
            // would only add to the check's time.
            std::mem::forget(loaded);
            ExitCode::SUCCESS
        }
        Err(errors) => {
            if json {
                let doc = io::report::failure_json(&errors.0);
                println!("{}", serde_json::to_string_pretty(&doc).unwrap_or_default());
            } else {
                print_errors(&errors.0);
            }
            eprintln!("mapline check: {} error(s)", errors.0.len());
            ExitCode::FAILURE
        }
    }
}

/// Prints at most [`io::MAX_DIAGNOSTICS`] diagnostics, then how many more.
fn print_errors(errors: &[io::Diagnostic]) {
    for d in errors.iter().take(io::MAX_DIAGNOSTICS) {
        println!("{d}");
    }
    if errors.len() > io::MAX_DIAGNOSTICS {
        println!(
            "… and {} more error(s) not listed",
            errors.len() - io::MAX_DIAGNOSTICS
        );
    }
}

/// The dataset at `path` (the embedded one if `None`), or every error
/// printed with how many there were, for `mapline CMD`.
fn load_or_say(
    cmd: &str,
    path: Option<&std::path::Path>,
    read: io::stamp::ReadOptions,
) -> Option<io::Loaded> {
    match io::load_path_or_embedded_with(path, read) {
        Ok(l) => Some(l),
        Err(errors) => {
            print_errors(&errors.0);
            eprintln!("mapline {cmd}: {} error(s) in the dataset", errors.0.len());
            None
        }
    }
}

/// `--notes MIN-MAX`.
fn note_lengths(text: &str) -> Result<(usize, usize), String> {
    let (a, b) = text
        .split_once('-')
        .ok_or_else(|| format!("{text:?}: give MIN-MAX, as 100-400"))?;
    let parse = |t: &str| {
        t.trim()
            .parse::<usize>()
            .map_err(|e| format!("{t:?} in {text:?}: {e}"))
    };
    let (min, max) = (parse(a)?, parse(b)?);
    if min > max || max > 100_000 {
        return Err(format!(
            "{text:?}: MIN must be at most MAX, and MAX at most 100000"
        ));
    }
    Ok((min, max))
}

/// `--from` and `--to` parsed, checked to be in order.
fn window_bounds(
    from: Option<&str>,
    to: Option<&str>,
) -> Result<(Option<FuzzyTime>, Option<FuzzyTime>), String> {
    let bound = |text: Option<&str>, which: &str| -> Result<Option<FuzzyTime>, String> {
        text.map(|t| FuzzyTime::parse(t).map_err(|e| format!("--{which} {t:?}: {}", e.message)))
            .transpose()
    };
    let (from, to) = (bound(from, "from")?, bound(to, "to")?);
    if let (Some(f), Some(t)) = (&from, &to)
        && let (Some(start), Some(end)) = (f.earliest().or(f.latest()), t.latest().or(t.earliest()))
        && start > end
    {
        return Err("--from is after --to".to_owned());
    }
    Ok((from, to))
}

/// The window from `--from` to `--to`; an open side is `extent`'s (or unbounded).
fn window_of(
    from: Option<&FuzzyTime>,
    to: Option<&FuzzyTime>,
    extent: Option<TimeWindow>,
) -> TimeWindow {
    let start = from
        .and_then(|t| t.earliest().or(t.latest()))
        .or(extent.map(|w| w.start))
        .unwrap_or(Day::at(f64::NEG_INFINITY));
    let end = to
        .and_then(|t| t.latest().or(t.earliest()))
        .or(extent.map(|w| w.end))
        .unwrap_or(Day::at(f64::INFINITY));
    TimeWindow::new(start, end)
}

/// `mapline brief`: the briefing of a window, a place or an event.
fn brief(
    (from, to): (Option<&str>, Option<&str>),
    (place, event): (Option<&str>, Option<&str>),
    paths: &[PathBuf],
    read: io::stamp::ReadOptions,
) -> ExitCode {
    use io::brief::{Brief, Focus, Provenance, Scope};
    let (path, out) = match paths {
        [out] => (None, out),
        [path, out] => (Some(path.as_path()), out),
        _ => {
            eprintln!("mapline brief: give [PATH] OUT.html or OUT.md");
            return ExitCode::FAILURE;
        }
    };
    if io::brief::BriefFormat::of(out).is_none() {
        eprintln!(
            "mapline brief: {}: name the briefing OUT.html (one self-contained file) or OUT.md (Markdown, its pictures beside it)",
            out.display()
        );
        return ExitCode::FAILURE;
    }
    let (from, to) = match window_bounds(from, to) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("mapline brief: {e}");
            return ExitCode::FAILURE;
        }
    };
    let Some(loaded) = load_or_say("brief", path, read) else {
        return ExitCode::FAILURE;
    };
    let ds = &loaded.dataset;
    let focus = if let Some(id) = place {
        let Some(p) = ds.place_by_id(id) else {
            eprintln!("mapline brief: no place has the id {id:?}");
            return ExitCode::FAILURE;
        };
        Focus::Place(p)
    } else if let Some(id) = event {
        let Some(e) = ds.event_by_id(id) else {
            eprintln!("mapline brief: no event has the id {id:?}");
            return ExitCode::FAILURE;
        };
        Focus::Event(e)
    } else {
        Focus::None
    };
    let mut scope = Scope::whole(ds);
    scope.window = window_of(from.as_ref(), to.as_ref(), ds.time_extent());
    scope.focus = focus;
    let origin = path.map_or_else(
        || "the embedded dataset".to_owned(),
        |p| p.display().to_string(),
    );
    let brief = Brief::new(ds, &scope, Provenance::now(origin));
    #[cfg(feature = "gui")]
    let pictures = mapline::app::briefing::pictures_of(loaded, scope.window, focus);
    #[cfg(not(feature = "gui"))]
    let pictures = {
        eprintln!("mapline brief: this build has no GUI, so the briefing has no pictures");
        io::brief::Pictures::default()
    };
    match io::brief::write_files(&brief, &pictures, out) {
        Ok(files) => {
            let names: Vec<String> = files.iter().map(|f| f.display().to_string()).collect();
            println!(
                "wrote a briefing of {} to {}",
                brief.counts(),
                names.join(", ")
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("mapline brief: cannot write {}: {e}", out.display());
            ExitCode::FAILURE
        }
    }
}

fn export(
    format: io::export::ExportFormat,
    (from, to, inside): (Option<&str>, Option<&str>, bool),
    options: io::export::ExportOptions,
    paths: &[PathBuf],
    read: io::stamp::ReadOptions,
) -> ExitCode {
    let (path, out) = match paths {
        [out] => (None, out),
        [path, out] => (Some(path.as_path()), out),
        _ => {
            eprintln!("mapline export: give [PATH] OUT");
            return ExitCode::FAILURE;
        }
    };
    let (from, to) = match window_bounds(from, to) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("mapline export: {e}");
            return ExitCode::FAILURE;
        }
    };
    let Some(loaded) = load_or_say("export", path, read) else {
        return ExitCode::FAILURE;
    };
    let ds = &loaded.dataset;
    let events: Vec<EventIdx> = if from.is_none() && to.is_none() {
        ds.event_indices().collect()
    } else {
        let rule = if inside {
            WindowRule::Inside
        } else {
            WindowRule::Overlaps
        };
        ds.events_in(window_of(from.as_ref(), to.as_ref(), None), rule)
            .collect()
    };
    let view = io::export::View {
        dataset: ds,
        events: &events,
    };
    match io::export::export_with(&view, format, out, options) {
        Ok(summary) => {
            println!(
                "wrote {} events and {} places as {format} to {}",
                summary.events,
                summary.places,
                out.display()
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("mapline export: cannot write {}: {e}", out.display());
            ExitCode::FAILURE
        }
    }
}

/// How each format's read time grows with its size (`bench --scaling`).
#[cfg(feature = "gui")]
fn bench_scaling(sizes: &[usize]) -> ExitCode {
    use mapline::app::bench;
    let header: Vec<String> = sizes.iter().map(|n| format!("{n:>9}")).collect();
    println!(
        "scaling: µs per item read (median of 3 fresh processes), by size; ratio = largest/smallest"
    );
    println!("{:<17}{}  ratio", "format", header.join(""));
    let mut worst: f64 = 0.0;
    let mut all = Vec::new();
    for format in bench::SCALING_FORMATS {
        match bench::scaling(format, sizes, 3) {
            Ok(s) => {
                let cells: Vec<String> = s
                    .sizes
                    .iter()
                    .map(|(_, _, us)| format!("{us:>9.2}"))
                    .collect();
                let ratio = s.ratio();
                worst = worst.max(ratio);
                let flag = if ratio > 1.3 {
                    "  WARNING: over 1.3, the read grows faster than the file"
                } else {
                    ""
                };
                println!("{format:<17}{}  {ratio:.2}{flag}", cells.join(""));
                let secs: Vec<String> = s
                    .sizes
                    .iter()
                    .map(|(n, secs, _)| format!("{n}: {secs:.3} s"))
                    .collect();
                println!("  {}", secs.join(", "));
                all.push(s);
            }
            Err(e) => {
                eprintln!("mapline bench --scaling: {format}: {e}");
                return ExitCode::FAILURE;
            }
        }
    }
    // A file on one line against the same file pretty-printed, size by size.
    for (pretty, minified) in [("timelinejs", "timelinejs-min"), ("geojson", "geojson-min")] {
        let find = |name: &str| all.iter().find(|s| s.format == name);
        if let (Some(p), Some(m)) = (find(pretty), find(minified)) {
            let ratios: Vec<String> = p
                .sizes
                .iter()
                .zip(&m.sizes)
                .map(|((n, ps, _), (_, ms, _))| format!("{n}: {:.2}", ms / ps))
                .collect();
            println!("{minified} over {pretty}: {}", ratios.join(", "));
        }
    }
    println!("scaling worst ratio {worst:.2}");
    ExitCode::SUCCESS
}

#[cfg(feature = "gui")]
fn bench(sizes: &[usize], frames: usize, formats: &[String]) -> ExitCode {
    use mapline::app::bench;
    // Loading each format at each size, each in a fresh child process.
    let Ok(dir) = tempfile::tempdir() else {
        eprintln!("mapline bench: no temporary folder");
        return ExitCode::FAILURE;
    };
    let mut largest_acled = None;
    for format in formats {
        for &n in sizes {
            // A TimelineJS file takes about 1.5 KB an event: past 300,000
            // events it is over the 512 MiB that a file read whole may hold.
            if format == "timelinejs" && n > 300_000 {
                println!("load {format} {n}: skipped (such a file is over the 512 MiB read limit)");
                continue;
            }
            let measured = bench::generate_format(dir.path(), format, n).and_then(|path| {
                let figures = bench::load_in_child(&path)?;
                if format == "acled" {
                    largest_acled = Some(path);
                } else if path.is_dir() {
                    let _ = std::fs::remove_dir_all(&path);
                } else {
                    let _ = std::fs::remove_file(&path);
                }
                Ok(figures)
            });
            match measured {
                Ok(f) => {
                    println!(
                        "load {format} {n}: load_s {:.3}  peak_rss_mb {:.1}  store_bytes_per_event {:.1}",
                        f.load_s, f.peak_rss_mb, f.store_bytes_per_event
                    );
                    println!("  store bytes per event by column: {}", f.store_columns);
                }
                Err(e) => {
                    eprintln!("mapline bench: {format} {n}: {e}");
                    return ExitCode::FAILURE;
                }
            }
        }
    }
    match bench::rebuild_ms(500, 10, 50) {
        Ok((median, max)) => println!(
            "rebuild 500 events, 10 articles: rebuild_ms_median {median:.3}  rebuild_ms_max {max:.3}"
        ),
        Err(e) => {
            eprintln!("mapline bench: rebuild: {e}");
            return ExitCode::FAILURE;
        }
    }
    let mut results = Vec::new();
    for &n in sizes {
        match bench::run_one(n, frames) {
            Ok(r) => {
                println!(
                    "events {}: load_s {:.3}  peak_rss_mb {:.1}  search_index_s {:.3}  search_ms_median {:.3}  search_ms_max {:.3}",
                    r.events,
                    r.load_s,
                    r.peak_rss_mb,
                    r.search_index_s,
                    r.search_ms_median,
                    r.search_ms_max
                );
                println!(
                    "  {:<19} {:<10} {:>15} {:>12}",
                    "interaction", "accesskit", "frame_ms_median", "frame_ms_p99"
                );
                for f in &r.frames {
                    println!(
                        "  {:<19} {:<10} {:>15.3} {:>12.3}",
                        f.scenario,
                        if f.accesskit { "on" } else { "off" },
                        f.median_ms,
                        f.p99_ms
                    );
                }
                if let (Some(on), Some(off)) = (
                    r.median_of("scrub 10% titled"),
                    r.median_of("scrub 10% untitled"),
                ) {
                    println!(
                        "  titles on/off, scrub 10% median: {on:.3} / {off:.3} ms, ratio {:.2}",
                        on / off
                    );
                }
                results.push(r);
            }
            Err(e) => {
                eprintln!("mapline bench: {n} events: {e}");
                return ExitCode::FAILURE;
            }
        }
    }
    match bench::timelinejs_round(30_000) {
        Ok((read_s, write_s)) => println!(
            "timelinejs 30000 events: read_s {read_s:.3}  write_native_s {write_s:.3}  total_s {:.3}",
            read_s + write_s
        ),
        Err(e) => {
            eprintln!("mapline bench: TimelineJS round: {e}");
            return ExitCode::FAILURE;
        }
    }
    // The window keeps drawing while the largest ACLED file loads (last, as
    // it loads in this process and would raise the peaks printed above).
    if let Some(path) = &largest_acled {
        match bench::frames_while_loading(path) {
            Ok((count, median, p99, load_s)) => println!(
                "while loading {}: frames {count}  frame_ms_median {median:.3}  frame_ms_p99 {p99:.3}  load_s {load_s:.3}",
                path.file_name().unwrap_or_default().to_string_lossy()
            ),
            Err(e) => {
                eprintln!("mapline bench: frames while loading: {e}");
                return ExitCode::FAILURE;
            }
        }
    }
    // Median scrub frame (window 10% of the span, AccessKit off), largest N over smallest N.
    let smallest = results.iter().min_by_key(|r| r.events);
    let largest = results.iter().max_by_key(|r| r.events);
    if let (Some(a), Some(b)) = (smallest, largest)
        && let (Some(x), Some(y)) = (a.median_of("scrub 10%"), b.median_of("scrub 10%"))
    {
        println!("ratio: {:.2}", y / x);
    }
    ExitCode::SUCCESS
}

#[cfg(feature = "gui")]
fn open_window(path: Option<&std::path::Path>, select: Option<&str>) -> ExitCode {
    match mapline::app::run(path, select) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("mapline: {e}");
            ExitCode::FAILURE
        }
    }
}

#[cfg(not(feature = "gui"))]
fn open_window(_path: Option<&std::path::Path>, _select: Option<&str>) -> ExitCode {
    eprintln!(
        "mapline was built without the `gui` feature; use `mapline check`, `generate` or `schema`."
    );
    ExitCode::FAILURE
}
