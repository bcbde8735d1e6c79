//! Opening any dataset PATH: a native folder, or a file in a format mapline
//! imports (TimelineJS JSON or spreadsheet CSV, ACLED-style CSV, GeoJSON).
//!
//! The format is detected from the content, not the file name. Each importer
//! reads its file into the native [`Manifest`] (reporting problems at their
//! line and column in *that* file), and the native loader then builds the
//! dataset from it, so imported data passes the same checks as native data.

/// The ACLED reader (it lives in [`crate::io::acled`]).
pub use super::acled;
/// The GeoJSON reader (it lives in [`crate::io::geojson`]).
pub use super::geojson;
/// The TimelineJS readers (they live in [`crate::io::timelinejs`]).
pub use super::timelinejs;

use std::path::{Path, PathBuf};

use serde::Deserialize;
use serde::de::IgnoredAny;

use super::diagnostic::{DatasetErrors, LineIndex, TextPos};
pub use super::imported::{Format, Imported, build, empty_manifest, one_error};
use super::native::{self, DatasetFiles, LoadOptions, Loaded, MANIFEST, MAX_FILE_BYTES};
use super::progress::Progress;
pub use super::stamp::{ReadOptions, TimeUnit};

/// A dataset opened from a PATH.
#[derive(Debug)]
pub struct Opened {
    /// The dataset and its warnings.
    pub loaded: Loaded,
    /// The format it was read from.
    pub format: Format,
    /// The files it was read from (to watch for changes).
    pub files: Vec<PathBuf>,
}

/// Opens a native dataset folder or an importable file, detecting the format.
///
/// # Errors
/// Every problem found, each with file, line, column and item.
pub fn open(path: &Path, progress: Option<&Progress>) -> Result<Opened, DatasetErrors> {
    open_with(path, progress, ReadOptions::default())
}

/// [`open`], reading an imported file as `options` say (`--time-unit`).
///
/// # Errors
/// As [`open`].
// stamps hook: `open` with the read options threaded to the readers.
pub fn open_with(
    path: &Path,
    progress: Option<&Progress>,
    options: ReadOptions,
) -> Result<Opened, DatasetErrors> {
    if let Some(p) = progress {
        p.stage(&format!("Opening {}", path.display()), 0);
    }
    let label = path.display().to_string();
    // `metadata` follows symlinks and never opens the file: a named pipe is
    // not opened here (that would block), and is refused below by its kind.
    let meta = match std::fs::metadata(path) {
        Ok(m) => m,
        // Most likely a dataset folder: the native loader explains what is missing.
        Err(_) if path.extension().is_none() => {
            return open_native_dir(path, progress);
        }
        Err(e) => {
            return Err(one_error(
                &label,
                TextPos::START,
                match e.kind() {
                    std::io::ErrorKind::NotFound => "no such file or folder".to_owned(),
                    _ => super::guard::describe(&e),
                },
            ));
        }
    };
    if meta.is_dir() {
        return open_native_dir(path, progress);
    }
    if let Some(loaded) = open_acled(path, &label, (progress, options))? {
        return Ok(Opened {
            loaded,
            format: Format::AcledCsv,
            files: vec![std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf())],
        });
    }
    let bytes = read_limited(path, &label)?;
    let text = utf8(&label, &bytes)?;
    // A JSON file's duplicate-key scan runs beside the format probe: both
    // pass over the whole text.
    let body = text.strip_prefix('\u{feff}').unwrap_or(text);
    let (sniffed, duplicates) = if body.trim_start().starts_with('{') {
        let (sniffed, duplicates) = rayon::join(
            || sniff(&label, text),
            || super::json_keys::duplicate_keys(body, super::MAX_DIAGNOSTICS),
        );
        (sniffed, Some(duplicates))
    } else {
        (sniff(&label, text), None)
    };
    let (format, top) = sniffed?;
    if format != Format::Native
        && let Some(p) = progress
    {
        p.stage(&format!("Importing {}", format.name()), 0);
    }
    let imported = match format {
        Format::TimelineJsJson => timelinejs::json::import_json_top(text, &label, top, duplicates)?,
        Format::TimelineJsCsv => timelinejs::import_csv(text, &label)?,
        Format::AcledCsv => acled::import_with_progress(text, &label, progress, options)?,
        Format::GeoJson => geojson::import_scanned(text, &label, duplicates, options)?,
        // A native manifest: its folder is the dataset.
        Format::Native => {
            return match path.file_name().and_then(|n| n.to_str()) {
                Some(MANIFEST) => {
                    open_native_dir(path.parent().unwrap_or(Path::new(".")), progress)
                }
                _ => Err(one_error(
                    &label,
                    TextPos::START,
                    format!(
                        "this looks like a mapline manifest; open the folder that holds it (it must be named {MANIFEST})"
                    ),
                )),
            };
        }
    };
    let loaded = if imported.positions.is_some() {
        // The importer found every position the builder can report at: the
        // file (half a gigabyte for a million ACLED rows) goes now.
        drop(bytes);
        build(imported, &label, "", format, progress)?
    } else {
        build(imported, &label, text, format, progress)?
    };
    Ok(Opened {
        loaded,
        format,
        files: vec![std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf())],
    })
}

/// Loads the file at `path` if its first line is an ACLED header (`None`
/// for any other file): straight into the event store when nothing in it is
/// wrong ([`acled::fast`]); otherwise, or at the first problem, read again
/// by the careful reader, whose typed entries the builder checks, to say
/// what is wrong and where.
///
/// # Errors
/// The file cannot be opened, or the import's errors.
fn open_acled(
    path: &Path,
    label: &str,
    (progress, options): (Option<&Progress>, ReadOptions),
) -> Result<Option<Loaded>, DatasetErrors> {
    let Some((reader, len)) = acled_reader(path, label)? else {
        return Ok(None);
    };
    if let Some(p) = progress {
        p.stage(&format!("Importing {}", Format::AcledCsv.name()), 0);
    }
    let read = (progress, options);
    if let Some(loaded) =
        acled::fast::load_clean(reader, label, len, acled::chunks::CHUNK_BYTES, read)
    {
        return Ok(Some(loaded));
    }
    // Cancelled: the careful reader would only stop at its first block.
    if progress.is_some_and(Progress::is_cancelled) {
        return Err(super::progress::cancelled());
    }
    let Some((reader, len)) = acled_reader(path, label)? else {
        return Ok(None);
    };
    let imported = acled::import_from(reader, label, len, acled::chunks::CHUNK_BYTES, read)?;
    build(imported, label, "", Format::AcledCsv, progress).map(Some)
}

/// The file at `path`, opened through [`super::guard`] to be read in blocks
/// (up to [`super::guard::MAX_STREAM_BYTES`]: the file is never held whole),
/// and its length, if its first line is an ACLED header; `None` for any
/// other file.
///
/// # Errors
/// The file cannot be opened or read.
fn acled_reader(
    path: &Path,
    label: &str,
) -> Result<Option<(impl std::io::Read + use<>, u64)>, DatasetErrors> {
    use std::io::Read as _;
    const HEAD: u64 = 64 * 1024;
    let open = super::guard::open_regular(path, super::guard::MAX_STREAM_BYTES)
        .map_err(|message| one_error(label, TextPos::START, message))?;
    // Room is planned by what the file holds, never by what it says.
    let len = open.held;
    let mut reader = super::guard::Bounded::new(open.file, super::guard::MAX_STREAM_BYTES);
    let mut head = Vec::new();
    (&mut reader)
        .take(HEAD)
        .read_to_end(&mut head)
        .map_err(|e| one_error(label, TextPos::START, super::guard::describe(&e)))?;
    let first = &head[..memchr::memchr(b'\n', &head).unwrap_or(head.len())];
    let is_acled = std::str::from_utf8(first).is_ok_and(|line| {
        let line = line.strip_prefix('\u{feff}').unwrap_or(line).trim_start();
        !line.starts_with(['{', '[']) && detect(label, line).ok() == Some(Format::AcledCsv)
    });
    if !is_acled {
        return Ok(None);
    }
    Ok(Some((std::io::Cursor::new(head).chain(reader), len)))
}

fn open_native_dir(dir: &Path, progress: Option<&Progress>) -> Result<Opened, DatasetErrors> {
    let files = native::DirFiles::new(dir);
    let loaded = native::load_with(
        &files,
        &LoadOptions {
            progress,
            imported_from: None,
        },
    )?;
    Ok(Opened {
        loaded,
        format: Format::Native,
        files: files.files_read(),
    })
}

pub use crate::io::files::MemFiles;

/// Reads an import file whole through [`super::guard`]: a regular file of at
/// most [`MAX_FILE_BYTES`], refused by its kind or size before it is read.
///
/// # Errors
/// The file is missing, unreadable, not a regular file or over the limit.
pub fn read_limited(path: &Path, label: &str) -> Result<Vec<u8>, DatasetErrors> {
    super::guard::read_file(path, MAX_FILE_BYTES)
        .map_err(|message| one_error(label, TextPos::START, message))
}

/// The file as UTF-8 (a leading BOM is kept: positions count it), or where it is not.
fn utf8<'b>(label: &str, bytes: &'b [u8]) -> Result<&'b str, DatasetErrors> {
    std::str::from_utf8(bytes).map_err(|e| {
        let valid = &bytes[..e.valid_up_to()];
        let text = std::str::from_utf8(valid).unwrap_or_default();
        let pos = LineIndex::new(text).pos(text.len());
        one_error(
            label,
            pos,
            format!(
                "the file is not UTF-8 text (invalid byte at byte offset {})",
                e.valid_up_to()
            ),
        )
    })
}

/// Which format `text` is in, from its content.
///
/// # Errors
/// Unreadable JSON, or content in no format mapline reads.
pub fn detect(label: &str, text: &str) -> Result<Format, DatasetErrors> {
    sniff(label, text).map(|(format, _)| format)
}

/// [`detect`], and for TimelineJS JSON the top of the file as read while
/// detecting it (its slides listed), so that the reader need not pass over
/// the file again.
fn sniff<'t>(
    label: &str,
    text: &'t str,
) -> Result<(Format, Option<timelinejs::top::Doc<'t>>), DatasetErrors> {
    let body = text.strip_prefix('\u{feff}').unwrap_or(text);
    let trimmed = body.trim_start();
    if trimmed.is_empty() {
        return Err(one_error(
            label,
            TextPos::START,
            "the file is empty: expected TimelineJS JSON, GeoJSON, a TimelineJS spreadsheet CSV or an ACLED CSV",
        ));
    }
    // TimelineJS 2's JSONP: its object, where it stands in the file (its
    // JSON checked by the unwrapping).
    if timelinejs::jsonp::looks_like(body) {
        let lines = || LineIndex::new(text);
        let json = timelinejs::jsonp::object(text, body)
            .map_err(|e| one_error(label, lines().pos(e.at), e.message))?;
        let doc = serde_json::from_str::<timelinejs::json::Top<'t>>(json)
            .ok()
            .and_then(|top| timelinejs::top::Doc::new(json, top));
        return match doc {
            Some(doc) => Ok((Format::TimelineJsJson, Some(doc))),
            None => Err(one_error(
                label,
                lines().pos(json.as_ptr() as usize - text.as_ptr() as usize),
                "the JSONP object holds no TimelineJS timeline ({\"timeline\": {\"headline\": …, \"date\": […]}})",
            )),
        };
    }
    if trimmed.starts_with('{') || trimmed.starts_with('[') {
        return sniff_json(label, body);
    }
    sniff_csv(label, body)
}

/// [`sniff`] of a JSON file, `json` (without its BOM).
fn sniff_json<'t>(
    label: &str,
    json: &'t str,
) -> Result<(Format, Option<timelinejs::top::Doc<'t>>), DatasetErrors> {
    #[derive(Deserialize)]
    struct Probe<'t> {
        #[serde(rename = "type")]
        kind: Option<String>,
        // Present even when null: `"events": null` is a broken TimelineJS
        // file, which its reader explains.
        #[serde(borrow, default)]
        events: timelinejs::json::Slides<'t>,
        sources: Option<IgnoredAny>,
        places: Option<IgnoredAny>,
        #[serde(borrow)]
        title: Option<&'t serde_json::value::RawValue>,
        #[serde(borrow)]
        eras: Option<&'t serde_json::value::RawValue>,
        #[serde(borrow)]
        scale: Option<&'t serde_json::value::RawValue>,
        // A wrapped or a TimelineJS2 file's.
        #[serde(borrow)]
        timeline: Option<&'t serde_json::value::RawValue>,
    }
    let trimmed = json.trim_start();
    let probe: Probe<'t> = serde_json::from_str(json).map_err(|e| {
        let pos = TextPos {
            line: e.line().max(1),
            column: e.column().max(1),
        };
        let message = if trimmed.starts_with('[') {
            "a JSON array is not a dataset: expected a TimelineJS object with \"events\", GeoJSON, or a mapline manifest".to_owned()
        } else {
            // The position is given already.
            format!(
                "not valid JSON: {}",
                crate::io::diagnostic::strip_position(&e)
            )
        };
        one_error(label, pos, message)
    })?;
    let geojson = probe.kind.as_deref().is_some_and(|kind| {
        matches!(
            kind,
            "FeatureCollection"
                | "Feature"
                | "Point"
                | "MultiPoint"
                | "GeometryCollection"
                | "LineString"
                | "MultiLineString"
                | "Polygon"
                | "MultiPolygon"
        )
    });
    if geojson {
        return Ok((Format::GeoJson, None));
    }
    if probe.sources.is_some() && probe.places.is_some() {
        return Ok((Format::Native, None));
    }
    let top = timelinejs::json::Top {
        scale: probe.scale,
        title: probe.title,
        eras: probe.eras,
        events: probe.events,
        timeline: probe.timeline,
    };
    match timelinejs::top::Doc::new(json, top) {
        Some(doc) => Ok((Format::TimelineJsJson, Some(doc))),
        None => Err(one_error(
            label,
            TextPos::START,
            "JSON in no format mapline reads: expected a TimelineJS object with \"events\" (or TimelineJS2's {\"timeline\": {\"date\": […]}}), GeoJSON with \"type\", or a mapline manifest with \"sources\" and \"places\"",
        )),
    }
}

/// [`sniff`] of a file that is no JSON: a CSV told by its header.
fn sniff_csv<'t>(
    label: &str,
    body: &str,
) -> Result<(Format, Option<timelinejs::top::Doc<'t>>), DatasetErrors> {
    let header = body.lines().next().unwrap_or_default();
    // A header is short: look at no more than its first 64 KiB.
    let header = &header[..header.floor_char_boundary(64 * 1024)];
    let columns: Vec<String> = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(header.as_bytes())
        .records()
        .next()
        .and_then(Result::ok)
        .map(|r| r.iter().map(|c| c.trim().to_ascii_lowercase()).collect())
        .unwrap_or_default();
    let has = |name: &str| columns.iter().any(|c| c == name);
    if has("event_id_cnty") || (has("event_date") && has("latitude") && has("longitude")) {
        return Ok((Format::AcledCsv, None));
    }
    // TimelineJS's template, or TimelineJS2's (Start Date, …, Headline).
    if (has("year") || has("start date")) && has("headline") {
        return Ok((Format::TimelineJsCsv, None));
    }
    Err(one_error(
        label,
        TextPos::START,
        "not a format mapline reads: expected a dataset folder, TimelineJS JSON, GeoJSON, a TimelineJS spreadsheet CSV (columns Year, Month, Day, …, Headline) or an ACLED CSV (columns event_id_cnty, event_date, …, latitude, longitude)",
    ))
}
