//! The careful reading of a native dataset: every item of the manifest and
//! the events file kept with its position, read one by one, so that every
//! problem is reported where it stands; then the one builder.

use std::collections::HashSet;

use crate::io::blocks::{Blocks, MAX_LINE_BYTES, Stop, line_end};
use crate::io::builder::resolve::utf8_or_error;
use crate::io::builder::{Ctx, Entries, Span, Step, build_checked, duplicate_keys_found};
use crate::io::diagnostic::{DatasetErrors, Diagnostic};
use crate::io::format::{ActorEntry, ClaimEntry, EventEntry, PlaceEntry, SourceEntry};
use crate::io::native::{
    DatasetFiles, LoadOptions, Loaded, Loc, MANIFEST, MAX_FILE_BYTES, RawManifest,
};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::value::RawValue;

/// The manifest read as far as its items, each kept as its JSON text:
/// what both ways of reading a native folder start from.
pub(crate) struct Head<'t> {
    pub(crate) ctx: Ctx<'t>,
    pub(crate) raw: RawManifest<'t>,
    /// The manifest's number among the context's files.
    pub(crate) file: usize,
    /// Where its JSON starts (past a BOM).
    pub(crate) base: usize,
}

/// Reads the manifest `text` (shown as `label`) as far as its items: one
/// object with no key twice, each list's items kept as JSON text.
///
/// # Errors
/// A manifest that is an array, holds a key twice or is not the
/// manifest's shape, located.
pub(crate) fn read_head(label: String, text: &str) -> Result<Head<'_>, DatasetErrors> {
    let mut ctx = Ctx {
        files: Vec::new(),
        diags: Vec::new(),
    };
    let manifest_file = ctx.add_file(label, text);
    let body = text.strip_prefix('\u{feff}').unwrap_or(text);
    let base = text.len() - body.len();
    if body.trim_start().starts_with('[') {
        let at = base + (body.len() - body.trim_start().len());
        ctx.error(
            Loc {
                file: manifest_file,
                offset: at,
            },
            "dataset",
            format!(
                "{MANIFEST} holds a JSON array; a mapline manifest is one object: {{\"title\": …, \"sources\": […], \"places\": […], \"events\": […]}}"
            ),
        );
        return Err(DatasetErrors(ctx.diags));
    }
    if duplicate_keys_found(&mut ctx, manifest_file, base) {
        return Err(DatasetErrors(ctx.diags));
    }
    let mut de = serde_json::Deserializer::from_str(body);
    let parsed = serde_path_to_error::deserialize::<_, RawManifest<'_>>(&mut de)
        .map_err(|e| (e.path().to_string(), e.into_inner()))
        .and_then(|m| de.end().map(|()| m).map_err(|e| (".".to_owned(), e)));
    let raw = match parsed {
        Ok(m) => m,
        Err((path, e)) => {
            let (loc, message) = ctx.json_error_loc(manifest_file, base, &e);
            let item = if path == "." {
                "dataset".to_owned()
            } else {
                path
            };
            ctx.error(loc, &item, message);
            return Err(DatasetErrors(ctx.diags));
        }
    };
    Ok(Head {
        ctx,
        raw,
        file: manifest_file,
        base,
    })
}

/// The careful loader: holds every item with its position, and reports
/// every problem with file, line, column and item.
pub(crate) fn load_careful(
    files: &dyn DatasetFiles,
    options: &LoadOptions<'_>,
) -> Result<Loaded, DatasetErrors> {
    read_careful(files, options, |ctx, entries, _| {
        build_checked(ctx, files, entries, options)
    })
}

/// Reads every item of the manifest and the events file into its typed
/// entry with its span, reporting each one that does not read (and going
/// on with the rest), then hands the entries to `then` with the context
/// that locates them and the manifest's `$schema`.
///
/// # Errors
/// A manifest or events file that cannot be read at all; what `then` says.
pub(crate) fn read_careful<R>(
    files: &dyn DatasetFiles,
    options: &LoadOptions<'_>,
    then: impl FnOnce(&mut Ctx<'_>, Entries, Option<String>) -> Result<R, DatasetErrors>,
) -> Result<R, DatasetErrors> {
    let progress = options.progress;
    if let Some(p) = progress {
        p.stage("Reading the manifest", 0);
    }
    let manifest_label = files.display_path(MANIFEST);
    let manifest_bytes = files.read(MANIFEST).map_err(|message| {
        DatasetErrors(vec![Diagnostic::error(
            manifest_label.clone(),
            crate::io::diagnostic::TextPos::START,
            "dataset",
            message,
        )])
    })?;
    let manifest_text =
        utf8_or_error(&manifest_label, &manifest_bytes).map_err(|d| DatasetErrors(vec![d]))?;
    let Head {
        mut ctx,
        raw,
        file: manifest_file,
        base,
    } = read_head(manifest_label, manifest_text)?;

    let source_items = raw_items_of(&ctx, manifest_file, "source", &raw.sources);
    let actor_items = raw_items_of(&ctx, manifest_file, "actor", &raw.actors);
    let place_items = raw_items_of(&ctx, manifest_file, "place", &raw.places);
    let mut event_items = raw_items_of(&ctx, manifest_file, "event", &raw.events);
    let claim_items = raw_items_of(&ctx, manifest_file, "claim", &raw.claims);

    // Events may also stand in a JSON Lines file, one event a line.
    let events_file_text;
    if let Some(rel) = &raw.events_file {
        let label = files.display_path(rel);
        // Streamed, so held to the larger limit of a streamed file.
        let whole = files.open(rel).and_then(|(mut reader, len)| {
            read_event_lines(&mut *reader, len.min(MAX_FILE_BYTES) as usize)
                .map_err(|e| crate::io::guard::describe(&e))
        });
        let bytes = match whole {
            Ok(Ok(b)) => Some(b),
            Ok(Err(stray)) => {
                ctx.diags.push(stray.diagnostic(label));
                return Err(DatasetErrors(ctx.diags));
            }
            Err(message) => {
                let manifest = Span::new(manifest_file, base, manifest_text.len());
                let at = ctx.value_at(manifest, &[Step::Key("events_file")]);
                ctx.error(at, "dataset", format!("events_file {rel}: {message}"));
                None
            }
        };
        events_file_text = bytes.map(|b| (label, b));
    } else {
        events_file_text = None;
    }
    let events_text = match &events_file_text {
        Some((label, bytes)) => match utf8_or_error(label, bytes) {
            Ok(t) => Some((label.clone(), t)),
            Err(d) => {
                ctx.diags.push(d);
                None
            }
        },
        None => None,
    };
    if let Some((label, text)) = events_text {
        let file = ctx.add_file(label, text);
        if duplicate_keys_found(&mut ctx, file, 0) {
            return Err(DatasetErrors(ctx.diags));
        }
        let mut offset = 0;
        for line in text.split_inclusive('\n') {
            let content = line.trim_end_matches(['\n', '\r']);
            let trimmed = content.trim_start_matches('\u{feff}');
            if !trimmed.trim().is_empty() {
                let index = event_items.len();
                let start = offset + (content.len() - trimmed.len());
                event_items.push(RawItem {
                    raw: trimmed,
                    span: Span::new(file, start, start + trimmed.len()),
                    kind: "event",
                    index,
                });
            }
            offset += line.len();
        }
    }

    if let Some(p) = progress {
        p.stage("Reading items", event_items.len());
    }
    // Each item on its own: a broken one is reported and the rest still checked.
    let mut broken: HashSet<String> = HashSet::new();

    let sources: Vec<(SourceEntry, Span)> = parse_items(&mut ctx, &source_items, &mut broken);
    let actors: Vec<(ActorEntry, Span)> = parse_items(&mut ctx, &actor_items, &mut broken);
    let places: Vec<(PlaceEntry, Span)> = parse_items(&mut ctx, &place_items, &mut broken);
    let events: Vec<(EventEntry, Span)> = parse_items(&mut ctx, &event_items, &mut broken);
    let claims: Vec<(ClaimEntry, Span)> = parse_items(&mut ctx, &claim_items, &mut broken);
    drop(event_items);

    let (event_entries, event_spans): (Vec<EventEntry>, Vec<Span>) = events.into_iter().unzip();
    then(
        &mut ctx,
        Entries {
            title: raw.title,
            description: raw.description,
            sources,
            actors,
            places,
            events: event_entries,
            event_spans,
            claims,
            eras: raw.eras,
            eras_at: Span::new(manifest_file, base, manifest_text.len()),
            dataset_at: Loc {
                file: manifest_file,
                offset: 0,
            },
            broken,
        },
        raw.schema,
    )
}

/// One item of the manifest or the events file as it stands in its file,
/// before it is read into its typed entry.
#[derive(Clone, Copy, Debug)]
pub(crate) struct RawItem<'t> {
    pub(crate) raw: &'t str,
    pub(crate) span: Span,
    pub(crate) kind: &'static str,
    pub(crate) index: usize,
}

impl RawItem<'_> {
    /// `event cyberattack-2022-07-15`, or `event #3` when it has no id
    /// (made only when a diagnostic needs it: reading the id costs a parse).
    pub(crate) fn label(&self) -> String {
        match item_id(self.raw) {
            Some(id) if !id.is_empty() => format!("{} {id}", self.kind),
            _ => format!("{} #{}", self.kind, self.index + 1),
        }
    }
}

/// The items of one list in the manifest, each with its span.
pub(crate) fn raw_items_of<'t>(
    ctx: &Ctx<'t>,
    file: usize,
    kind: &'static str,
    raws: &[&'t RawValue],
) -> Vec<RawItem<'t>> {
    raws.iter()
        .enumerate()
        .map(|(i, r)| {
            let start = ctx.offset_in(file, r.get());
            RawItem {
                raw: r.get(),
                span: Span::new(file, start, start + r.get().len()),
                kind,
                index: i,
            }
        })
        .collect()
}

/// Reads one item on its own, reporting a failure at its exact position.
pub(crate) fn parse_item<T: DeserializeOwned>(ctx: &mut Ctx<'_>, item: &RawItem<'_>) -> Option<T> {
    let mut de = serde_json::Deserializer::from_str(item.raw);
    match serde_path_to_error::deserialize::<_, T>(&mut de) {
        Ok(v) => Some(v),
        Err(e) => {
            let path = e.path().to_string();
            let start = item.span.loc();
            let (loc, message) = ctx.json_error_loc(start.file, start.offset, e.inner());
            // serde notices a missing field at the item's end; its start is where to look.
            let loc = if message.starts_with("missing field") {
                start
            } else {
                loc
            };
            let message = if path == "." || path == "?" {
                message
            } else {
                format!("{path}: {message}")
            };
            ctx.error(loc, &item.label(), message);
            None
        }
    }
}

/// Reads every item of a list into its typed entry with its span,
/// remembering the labels of the broken ones.
pub(crate) fn parse_items<T: DeserializeOwned>(
    ctx: &mut Ctx<'_>,
    items: &[RawItem<'_>],
    broken: &mut HashSet<String>,
) -> Vec<(T, Span)> {
    items
        .iter()
        .filter_map(|it| {
            let parsed = parse_item(ctx, it);
            if parsed.is_none() {
                broken.insert(it.label());
            }
            parsed.map(|e| (e, it.span))
        })
        .collect()
}

/// The id of an item, even when the rest of it is broken.
pub(crate) fn item_id(raw: &str) -> Option<String> {
    #[derive(Deserialize)]
    struct IdOnly {
        id: Option<String>,
    }
    if let Ok(IdOnly { id }) = serde_json::from_str::<IdOnly>(raw) {
        return id;
    }
    // Broken JSON: the string after the first `"id":`.
    let after = raw.find("\"id\"")? + 4;
    let rest = raw[after..].trim_start().strip_prefix(':')?;
    serde_json::Deserializer::from_str(rest.trim_start())
        .into_iter::<String>()
        .next()?
        .ok()
}

/// Where an events file stopped making sense as JSON Lines text.
struct StrayLine {
    /// The text read up to and including the stray part.
    bytes: Vec<u8>,
    /// The byte the stray part starts at.
    at: usize,
    message: String,
}

impl StrayLine {
    /// Located at its line and column, naming the line.
    fn diagnostic(&self, label: String) -> Diagnostic {
        let pos = crate::io::diagnostic::TextPos::of_byte(&self.bytes, self.at);
        let item = format!("line {}", pos.line);
        Diagnostic::error(label, pos, item, self.message.clone())
    }
}

/// Reads a JSON Lines events file whole (room planned for `expect` bytes),
/// in blocks of whole lines, stopping at the first NUL byte (never text: a
/// file padded with zeros) or at a line longer than [`MAX_LINE_BYTES`],
/// rather than holding gigabytes of it.
///
/// # Errors
/// A read error.
fn read_event_lines(
    reader: &mut dyn std::io::Read,
    expect: usize,
) -> std::io::Result<Result<Vec<u8>, StrayLine>> {
    const STEP: usize = 8 << 20;
    let mut bytes = Vec::with_capacity(expect);
    let mut blocks = Blocks::new(reader, STEP, MAX_LINE_BYTES, line_end);
    let mut block = Vec::new();
    loop {
        let base = bytes.len();
        let stop = match blocks.next_into(&mut block) {
            Ok(true) => {
                bytes.extend_from_slice(&block);
                continue;
            }
            Ok(false) => return Ok(Ok(bytes)),
            Err(Stop::Read(e)) => return Err(e),
            Err(stop) => stop,
        };
        bytes.extend_from_slice(&block);
        let (at, message) = match stop {
            Stop::Nul(at) => (
                base + at,
                format!(
                    "a NUL byte at byte offset {}: this is not JSON Lines text (a file cut short and padded with zeros, or not text at all); reading stopped here",
                    base + at
                ),
            ),
            Stop::TooLong(start) => (
                base + start,
                format!(
                    "the line that starts at byte offset {} runs past {MAX_LINE_BYTES} bytes: no event line is that long; reading stopped here",
                    base + start
                ),
            ),
            Stop::Read(e) => return Err(e),
        };
        return Ok(Err(StrayLine { bytes, at, message }));
    }
}
