//! Loading the native format: a folder with `dataset.json`, `sources/*.txt`
//! and optionally an events JSON Lines file.
//!
//! The loader proves every excerpt against its article, checks every
//! reference, and reports *every* problem it finds with its file, line,
//! column and item, never panicking on bad input.

use std::collections::{HashMap, HashSet};
use std::io::Read as _;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::value::RawValue;
use sha2::{Digest as _, Sha256};

use super::diagnostic::{DatasetErrors, Diagnostic, LineIndex, Severity};
use super::format::{
    ActorEntry, ClaimEntry, EraEntry, EventEntry, Manifest, PlaceEntry, SourceEntry,
};
use super::progress::Progress;
use super::quote::{FoldedText, QuoteQuery, QuoteResult, find_quotes, fold_quote};
use super::suggest::Suggester;
use crate::model::{
    Actor, ActorIdx, Claim, Dataset, Era, Event, EventExtra, EventIdx, EventLink, EventPlace,
    Excerpt, FuzzyTime, Media, Place, PlaceIdx, Source, SourceIdx, Stance,
};

/// The manifest's file name inside a dataset folder.
pub const MANIFEST: &str = "dataset.json";

pub use super::guard::{MAX_FILE_BYTES, MAX_STREAM_BYTES};

/// Where a dataset's files come from: a folder on disk, or the copy embedded
/// in the binary.
pub trait DatasetFiles {
    /// How to name a file (relative to the dataset) in a diagnostic.
    fn display_path(&self, rel: &str) -> String;
    /// Reads a file (relative to the dataset) whole, up to
    /// [`MAX_FILE_BYTES`]; the error says why not.
    ///
    /// # Errors
    /// A message for a missing, unreadable, oversized or refused file.
    fn read(&self, rel: &str) -> Result<Vec<u8>, String>;

    /// Opens a file (relative to the dataset) to be read piece by piece, up
    /// to [`MAX_STREAM_BYTES`], with the length it reports. By default the
    /// whole file is read at once.
    ///
    /// # Errors
    /// A message for a missing, unreadable, oversized or refused file.
    fn open(&self, rel: &str) -> Result<(Box<dyn std::io::Read + '_>, u64), String> {
        let bytes = self.read(rel)?;
        let len = bytes.len() as u64;
        Ok((Box::new(std::io::Cursor::new(bytes)), len))
    }

    /// The files on disk read so far, resolved (to watch for changes).
    fn files_read(&self) -> Vec<PathBuf> {
        Vec::new()
    }
}

/// A dataset folder on disk: every file it names is resolved inside the
/// folder and read through [`super::guard`].
#[derive(Debug)]
pub struct DirFiles {
    root: PathBuf,
    read: std::sync::Mutex<Vec<PathBuf>>,
}

impl DirFiles {
    /// The folder at `root`.
    #[must_use]
    pub fn new(root: impl Into<PathBuf>) -> Self {
        Self {
            root: root.into(),
            read: std::sync::Mutex::new(Vec::new()),
        }
    }

    /// The resolved path of `rel`, once it is known to stay inside the
    /// folder, and remembered as read.
    fn checked_path(&self, rel: &str) -> Result<PathBuf, String> {
        let path = match super::guard::resolve_inside(&self.root, rel) {
            Ok(p) => p,
            Err(e) if e == "no such file" => {
                // Watched all the same: the file may be added later.
                let root = std::fs::canonicalize(&self.root).unwrap_or_else(|_| self.root.clone());
                self.remember(root.join(rel));
                return Err(if rel == MANIFEST {
                    describe_missing_manifest(&self.root)
                } else {
                    e
                });
            }
            Err(e) => return Err(e),
        };
        self.remember(path.clone());
        Ok(path)
    }

    fn remember(&self, path: PathBuf) {
        if let Ok(mut read) = self.read.lock()
            && !read.contains(&path)
        {
            read.push(path);
        }
    }
}

impl DatasetFiles for DirFiles {
    fn display_path(&self, rel: &str) -> String {
        self.root.join(rel).display().to_string()
    }

    fn read(&self, rel: &str) -> Result<Vec<u8>, String> {
        let path = self.checked_path(rel)?;
        super::guard::read_file(&path, MAX_FILE_BYTES)
    }

    fn open(&self, rel: &str) -> Result<(Box<dyn std::io::Read + '_>, u64), String> {
        let path = self.checked_path(rel)?;
        let open = super::guard::open_regular(&path, MAX_STREAM_BYTES)?;
        let len = open.len;
        Ok((
            Box::new(super::guard::Bounded::new(open.file, MAX_STREAM_BYTES)),
            len,
        ))
    }

    fn files_read(&self) -> Vec<PathBuf> {
        self.read.lock().map(|r| r.clone()).unwrap_or_default()
    }
}

/// Why a folder has no manifest to read, in words.
fn describe_missing_manifest(root: &Path) -> String {
    if !root.exists() {
        return "no such folder".to_owned();
    }
    if std::fs::read_dir(root).is_ok_and(|mut d| d.next().is_none()) {
        return format!(
            "the folder is empty: a mapline dataset folder holds {MANIFEST} and the articles under sources/"
        );
    }
    format!(
        "no {MANIFEST} in this folder: a mapline dataset folder holds {MANIFEST} and sources/*.txt"
    )
}

/// The dataset compiled into the binary (a folder's files, by relative path).
#[derive(Clone, Copy, Debug)]
pub struct EmbeddedFiles {
    dir: &'static include_dir::Dir<'static>,
    shown_as: &'static str,
}

impl EmbeddedFiles {
    /// Embedded files, shown in diagnostics under the folder name `shown_as`.
    #[must_use]
    pub const fn new(dir: &'static include_dir::Dir<'static>, shown_as: &'static str) -> Self {
        Self { dir, shown_as }
    }
}

impl DatasetFiles for EmbeddedFiles {
    fn display_path(&self, rel: &str) -> String {
        format!("{}/{rel}", self.shown_as)
    }

    fn read(&self, rel: &str) -> Result<Vec<u8>, String> {
        self.dir
            .get_file(rel)
            .map(|f| f.contents().to_vec())
            .ok_or_else(|| "no such file in the embedded dataset".to_owned())
    }
}

/// A loaded dataset and the warnings that did not stop it.
#[derive(Debug)]
pub struct Loaded {
    /// The dataset.
    pub dataset: Dataset,
    /// Warnings (unsourced events, quotes that occur twice…).
    pub warnings: Vec<Diagnostic>,
}

/// Loads the dataset folder at `path`.
///
/// # Errors
/// Every problem found, each with file, line, column and item.
pub fn load_dir(path: &Path) -> Result<Loaded, DatasetErrors> {
    load(&DirFiles::new(path))
}

/// A position in one of the loaded text files.
#[derive(Clone, Copy, Debug)]
struct Loc {
    file: usize,
    offset: usize,
}

/// One item of the dataset as it stands in its file.
#[derive(Clone, Copy, Debug)]
struct Item<'t> {
    raw: &'t str,
    loc: Loc,
    kind: &'static str,
    index: usize,
}

impl Item<'_> {
    /// `event cyberattack-2022-07-15`, or `event #3` when it has no id.
    /// Made only when a diagnostic needs it: reading the id costs a parse.
    fn label(&self) -> String {
        item_label(self.kind, self.index, self.raw)
    }

    /// Where a JSON string value (or, failing that, the item) stands.
    fn value_loc(&self, value: &str) -> Loc {
        let needle = serde_json::to_string(value).unwrap_or_default();
        self.raw.find(&needle).map_or(self.loc, |i| Loc {
            file: self.loc.file,
            offset: self.loc.offset + i,
        })
    }

    /// Where a JSON string value stands after `key` (or the item): a link's
    /// target, not the event's own id that may read the same.
    fn value_loc_after(&self, key: &str, value: &str) -> Loc {
        let key = serde_json::to_string(key).unwrap_or_default();
        let needle = serde_json::to_string(value).unwrap_or_default();
        let from = self.raw.find(&key).unwrap_or(0);
        self.raw[from..].find(&needle).map_or(self.loc, |i| Loc {
            file: self.loc.file,
            offset: self.loc.offset + from + i,
        })
    }

    /// Where a key stands (or the item).
    fn key_loc(&self, key: &str) -> Loc {
        self.value_loc(key)
    }
}

struct Ctx<'t> {
    files: Vec<(String, &'t str, LineIndex<'t>)>,
    diags: Vec<Diagnostic>,
}

impl<'t> Ctx<'t> {
    fn add_file(&mut self, label: String, text: &'t str) -> usize {
        self.files.push((label, text, LineIndex::new(text)));
        self.files.len() - 1
    }

    fn report(&mut self, severity: Severity, at: Loc, item: &str, message: String) {
        let (label, _, index) = &self.files[at.file];
        let pos = index.pos(at.offset);
        let d = Diagnostic::error(label.clone(), pos, item, message);
        self.diags.push(Diagnostic { severity, ..d });
    }

    fn error(&mut self, at: Loc, item: &str, message: impl Into<String>) {
        self.report(Severity::Error, at, item, message.into());
    }

    fn warn(&mut self, at: Loc, item: &str, message: impl Into<String>) {
        self.report(Severity::Warning, at, item, message.into());
    }

    fn has_errors(&self) -> bool {
        self.diags.iter().any(|d| d.severity == Severity::Error)
    }

    /// Byte offset of `inner` (a slice of file `file`'s text).
    fn offset_in(&self, file: usize, inner: &str) -> usize {
        (inner.as_ptr() as usize).saturating_sub(self.files[file].1.as_ptr() as usize)
    }

    /// Turns a `serde_json` error inside the text starting at `base` into a
    /// location and a message without serde's own position suffix.
    fn json_error_loc(&self, file: usize, base: usize, err: &serde_json::Error) -> (Loc, String) {
        let offset = self.files[file]
            .2
            .offset_of_json_pos(base, err.line(), err.column());
        let text = err.to_string();
        let message = text
            .rsplit_once(" at line ")
            .map_or(text.as_str(), |(m, _)| m)
            .to_owned();
        (Loc { file, offset }, message)
    }
}

/// Reports every key that stands twice in one object of file `file` (from
/// `base`), at the second, naming the first; `true` if any.
fn duplicate_keys_found(ctx: &mut Ctx<'_>, file: usize, base: usize) -> bool {
    let text = ctx.files[file].1.get(base..).unwrap_or_default();
    let found = super::json_keys::duplicate_keys(text, super::MAX_DIAGNOSTICS);
    for d in &found {
        let first = ctx.files[file].2.pos(base + d.first);
        ctx.error(
            Loc {
                file,
                offset: base + d.second,
            },
            &d.path,
            super::json_keys::message(d, first),
        );
    }
    !found.is_empty()
}

/// Reads one item on its own, reporting a failure at its exact position.
fn parse_item<T: DeserializeOwned>(ctx: &mut Ctx<'_>, item: &Item<'_>) -> Option<T> {
    let mut de = serde_json::Deserializer::from_str(item.raw);
    match serde_path_to_error::deserialize::<_, T>(&mut de) {
        Ok(v) => Some(v),
        Err(e) => {
            let path = e.path().to_string();
            let (loc, message) = ctx.json_error_loc(item.loc.file, item.loc.offset, e.inner());
            // serde notices a missing field at the item's end; its start is where to look.
            let loc = if message.starts_with("missing field") {
                item.loc
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

/// Reads every item of a list, remembering the labels of the broken ones.
fn parse_items<'i, 't, T: DeserializeOwned>(
    ctx: &mut Ctx<'t>,
    items: &'i [Item<'t>],
    broken: &mut HashSet<String>,
) -> Vec<(T, &'i Item<'t>)> {
    items
        .iter()
        .filter_map(|it| {
            let parsed = parse_item(ctx, it);
            if parsed.is_none() {
                broken.insert(it.label());
            }
            parsed.map(|e| (e, it))
        })
        .collect()
}

/// The id of an item, even when the rest of it is broken.
fn item_id(raw: &str) -> Option<String> {
    #[derive(Deserialize)]
    struct IdOnly {
        id: Option<String>,
    }
    if let Ok(IdOnly { id }) = serde_json::from_str::<IdOnly>(raw) {
        return id;
    }
    // Broken JSON: read the string after the first `"id":`.
    let after = raw.find("\"id\"")? + 4;
    let rest = raw[after..].trim_start().strip_prefix(':')?;
    serde_json::Deserializer::from_str(rest.trim_start())
        .into_iter::<String>()
        .next()?
        .ok()
}

/// The label of an item: its kind and id, or its position when it has none.
fn item_label(kind: &str, index: usize, raw: &str) -> String {
    match item_id(raw) {
        Some(id) => format!("{kind} {id}"),
        None => format!("{kind} #{}", index + 1),
    }
}

/// Unique ids of one kind, reporting duplicates.
fn index_ids<'a>(
    ctx: &mut Ctx<'_>,
    kind: &str,
    items: &[(&'a str, &Item<'_>)],
) -> FxMap<&'a str, u32> {
    let mut ids: FxMap<&str, u32> = FxMap::default();
    ids.reserve(items.len());
    for (i, (id, item)) in items.iter().enumerate() {
        if id.is_empty() {
            ctx.error(
                item.key_loc("id"),
                &item.label(),
                format!("{kind} id is empty"),
            );
        } else if let Some(&first) = ids.get(id) {
            let (_, first_item) = items[first as usize];
            let first_line = ctx.files[first_item.loc.file]
                .2
                .pos(first_item.loc.offset)
                .line;
            ctx.error(
                item.value_loc(id),
                &item.label(),
                format!("duplicate {kind} id {id:?} (first defined at line {first_line})"),
            );
        } else {
            ids.insert(id, i as u32);
        }
    }
    ids
}

/// A quote waiting to be proven, and where its result goes.
struct PendingQuote<'t> {
    source: SourceIdx,
    query: QuoteQuery,
    /// The item quoting, which part of it ("excerpt", 2), and the quote as
    /// written: enough to say where, when something is wrong.
    item: Item<'t>,
    what: (&'static str, usize),
    quote: String,
    /// `occurrence` was written out (so a quote that stands twice is meant).
    explicit: bool,
    target: QuoteTarget,
}

impl PendingQuote<'_> {
    fn label(&self) -> String {
        format!("{} {} {}", self.item.label(), self.what.0, self.what.1)
    }

    fn loc(&self) -> Loc {
        self.item.value_loc(&self.quote)
    }
}

#[derive(Clone, Copy)]
enum QuoteTarget {
    Excerpt { event: usize, slot: usize },
    Stance { claim: usize, slot: usize },
}

/// Resolves references: `'t` is the files' text, `'e` the entries' ids.
struct Resolver<'t, 'e, 'c> {
    ctx: &'c mut Ctx<'t>,
    /// Ids of items that are broken themselves (already reported): a
    /// reference to one is not reported again as unknown.
    broken: HashSet<String>,
    source_ids: FxMap<&'e str, u32>,
    actor_ids: FxMap<&'e str, u32>,
    place_ids: FxMap<&'e str, u32>,
    event_ids: FxMap<&'e str, u32>,
    /// "Did you mean" indexes of the source, actor, place and event ids,
    /// built at the first unknown reference of each kind.
    suggesters: [Option<Suggester<'e>>; 4],
    pending: Vec<PendingQuote<'t>>,
}

impl<'t, 'e> Resolver<'t, 'e, '_> {
    #[allow(clippy::too_many_arguments)]
    fn lookup<T: Copy>(
        ctx: &mut Ctx<'_>,
        broken: &HashSet<String>,
        ids: &FxMap<&'e str, u32>,
        suggester: &mut Option<Suggester<'e>>,
        make: impl Fn(u32) -> T,
        kind: &str,
        id: &str,
        item: &Item<'_>,
    ) -> Option<T> {
        if let Some(&i) = ids.get(id) {
            return Some(make(i));
        }
        if broken.contains(&format!("{kind} {id}")) {
            return None;
        }
        let hint = suggester
            .get_or_insert_with(|| Suggester::new(ids.keys().copied()))
            .nearest(id)
            .map_or_else(String::new, |k| format!(" (did you mean {k:?}?)"));
        ctx.error(
            item.value_loc(id),
            &item.label(),
            format!("unknown {kind} id {id:?}{hint}"),
        );
        None
    }

    fn place(&mut self, id: &str, item: &Item<'_>) -> Option<PlaceIdx> {
        Self::lookup(
            self.ctx,
            &self.broken,
            &self.place_ids,
            &mut self.suggesters[2],
            PlaceIdx,
            "place",
            id,
            item,
        )
    }

    fn actor(&mut self, id: &str, item: &Item<'_>) -> Option<ActorIdx> {
        Self::lookup(
            self.ctx,
            &self.broken,
            &self.actor_ids,
            &mut self.suggesters[1],
            ActorIdx,
            "actor",
            id,
            item,
        )
    }

    fn event(&mut self, id: &str, item: &Item<'_>) -> Option<EventIdx> {
        Self::lookup(
            self.ctx,
            &self.broken,
            &self.event_ids,
            &mut self.suggesters[3],
            EventIdx,
            "event",
            id,
            item,
        )
    }

    /// Queues a quote for proof; the excerpt's span is filled in afterwards.
    fn quote(
        &mut self,
        entry: (&str, &str, Option<usize>),
        item: &Item<'t>,
        what: (&'static str, usize),
        target: QuoteTarget,
    ) -> Option<Excerpt> {
        let (source_id, quote, occurrence) = entry;
        let source = Self::lookup(
            self.ctx,
            &self.broken,
            &self.source_ids,
            &mut self.suggesters[0],
            SourceIdx,
            "source",
            source_id,
            item,
        )?;
        if occurrence == Some(0) {
            let label = format!("{} {} {}", item.label(), what.0, what.1);
            self.ctx.error(
                item.key_loc("occurrence"),
                &label,
                "occurrence counts from 1",
            );
            return None;
        }
        if let Some(concern) = super::lint::quote_concern(quote) {
            let label = format!("{} {} {}", item.label(), what.0, what.1);
            self.ctx.warn(item.value_loc(quote), &label, concern);
        }
        self.pending.push(PendingQuote {
            source,
            query: QuoteQuery {
                folded: fold_quote(quote),
                occurrence: occurrence.unwrap_or(1),
            },
            item: *item,
            what,
            quote: quote.to_owned(),
            explicit: occurrence.is_some(),
            target,
        });
        Some(Excerpt { source, span: 0..0 })
    }
}

/// The manifest with every item kept as raw JSON, to be read one by one.
type RawManifest<'a> =
    Manifest<&'a RawValue, &'a RawValue, &'a RawValue, &'a RawValue, &'a RawValue>;

/// Loads a dataset from `files`.
///
/// # Errors
/// Every problem found, each with file, line, column and item.
pub fn load(files: &dyn DatasetFiles) -> Result<Loaded, DatasetErrors> {
    load_with(files, &LoadOptions::default())
}

/// How to load: what to report progress to, and whether the data was imported.
#[derive(Clone, Copy, Debug, Default)]
pub struct LoadOptions<'p> {
    /// Where to report the stages and item counts (shown by the UI).
    pub progress: Option<&'p Progress>,
    /// The format the data was imported from (`"TimelineJS"`): its events are
    /// expected to have no excerpts, so that is said once, not per event.
    pub imported_from: Option<&'static str>,
}

/// Loads a dataset from `files`, reporting progress.
///
/// A clean dataset is loaded in one streaming pass (see [`load_clean`]); at
/// the first sign of a problem the careful loader reads it all again to
/// report every problem with its exact place.
///
/// # Errors
/// Every problem found, each with file, line, column and item.
pub fn load_with(
    files: &dyn DatasetFiles,
    options: &LoadOptions<'_>,
) -> Result<Loaded, DatasetErrors> {
    if let Some(loaded) = load_clean(files, options) {
        return Ok(loaded);
    }
    load_careful(files, options)
}

/// The careful loader: holds every item with its position, and reports
/// every problem with file, line, column and item.
fn load_careful(
    files: &dyn DatasetFiles,
    options: &LoadOptions<'_>,
) -> Result<Loaded, DatasetErrors> {
    let progress = options.progress;
    if let Some(p) = progress {
        p.stage("Reading the manifest", 0);
    }
    let manifest_label = files.display_path(MANIFEST);
    let manifest_bytes = files.read(MANIFEST).map_err(|message| {
        DatasetErrors(vec![Diagnostic::error(
            manifest_label.clone(),
            super::diagnostic::TextPos::START,
            "dataset",
            message,
        )])
    })?;
    let manifest_text =
        utf8_or_error(&manifest_label, &manifest_bytes).map_err(|d| DatasetErrors(vec![d]))?;
    let mut ctx = Ctx {
        files: Vec::new(),
        diags: Vec::new(),
    };
    let manifest_file = ctx.add_file(manifest_label, manifest_text);
    let body = manifest_text
        .strip_prefix('\u{feff}')
        .unwrap_or(manifest_text);
    let base = manifest_text.len() - body.len();
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

    let source_items = items_of(&ctx, manifest_file, "source", &raw.sources);
    let actor_items = items_of(&ctx, manifest_file, "actor", &raw.actors);
    let place_items = items_of(&ctx, manifest_file, "place", &raw.places);
    let mut event_items = items_of(&ctx, manifest_file, "event", &raw.events);
    let claim_items = items_of(&ctx, manifest_file, "claim", &raw.claims);

    // Events may also stand in a JSON Lines file, one event a line.
    let events_file_text;
    if let Some(rel) = &raw.events_file {
        let label = files.display_path(rel);
        // Streamed, so held to the larger limit of a streamed file.
        let whole = files.open(rel).and_then(|(mut reader, len)| {
            let mut bytes = Vec::with_capacity(len.min(MAX_FILE_BYTES) as usize);
            reader
                .read_to_end(&mut bytes)
                .map(|_| bytes)
                .map_err(|e| super::guard::describe(&e))
        });
        let bytes = match whole {
            Ok(b) => Some(b),
            Err(message) => {
                let at = Loc {
                    file: manifest_file,
                    offset: body.find(&format!("{rel:?}")).map_or(base, |i| base + i),
                };
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
                event_items.push(Item {
                    raw: trimmed,
                    loc: Loc {
                        file,
                        offset: offset + (content.len() - trimmed.len()),
                    },
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

    let sources: Vec<(SourceEntry, &Item<'_>)> = parse_items(&mut ctx, &source_items, &mut broken);
    let actors: Vec<(ActorEntry, &Item<'_>)> = parse_items(&mut ctx, &actor_items, &mut broken);
    let places: Vec<(PlaceEntry, &Item<'_>)> = parse_items(&mut ctx, &place_items, &mut broken);
    let events: Vec<(EventEntry, &Item<'_>)> = parse_items(&mut ctx, &event_items, &mut broken);
    let claims: Vec<(ClaimEntry, &Item<'_>)> = parse_items(&mut ctx, &claim_items, &mut broken);

    let (event_entries, event_entry_items): (Vec<EventEntry>, Vec<&Item<'_>>) =
        events.into_iter().unzip();
    build_checked(
        &mut ctx,
        files,
        Entries {
            title: raw.title,
            description: raw.description,
            sources,
            actors,
            places,
            events: event_entries,
            event_items: event_entry_items,
            claims,
            eras: raw.eras,
            eras_at: (manifest_file, body, base),
            dataset_at: Loc {
                file: manifest_file,
                offset: 0,
            },
            broken,
        },
        options,
    )
}

/// Where an importer found its entries in its file (byte offsets, one per
/// entry in order; a missing one counts as the file's start).
#[derive(Clone, Debug, Default)]
pub struct EntryOffsets {
    /// One per actor.
    pub actors: Vec<usize>,
    /// One per place.
    pub places: Vec<usize>,
    /// One per event.
    pub events: Vec<usize>,
}

/// Builds a dataset from an importer's typed entries through the one builder,
/// reporting each problem at its entry's place in `text`, the imported file.
///
/// # Errors
/// Every problem the builder finds.
pub fn build_imported(
    label: &str,
    text: &str,
    manifest: Manifest,
    offsets: &EntryOffsets,
    options: &LoadOptions<'_>,
) -> Result<Loaded, DatasetErrors> {
    let mut ctx = Ctx {
        files: Vec::new(),
        diags: Vec::new(),
    };
    let file = ctx.add_file(label.to_owned(), text);
    // Each item stands for its entry as a tiny JSON object holding its id, so
    // that it is named "event ID" and located at its entry's offset.
    let stand_in = |id: &str| {
        format!(
            "{{\"id\":{}}}",
            serde_json::to_string(id).unwrap_or_default()
        )
    };
    let actor_raws: Vec<String> = manifest.actors.iter().map(|e| stand_in(&e.id)).collect();
    let place_raws: Vec<String> = manifest.places.iter().map(|e| stand_in(&e.id)).collect();
    let event_raws: Vec<String> = manifest.events.iter().map(|e| stand_in(&e.id)).collect();
    let items = |raws, at, kind| stand_in_items(raws, at, kind, file, text.len());
    let actor_items = items(&actor_raws, &offsets.actors, "actor");
    let place_items = items(&place_raws, &offsets.places, "place");
    let event_items = items(&event_raws, &offsets.events, "event");
    let files = super::import::MemFiles {
        label: label.to_owned(),
        files: HashMap::new(),
    };
    build_checked(
        &mut ctx,
        &files,
        Entries {
            title: manifest.title,
            description: manifest.description,
            sources: Vec::new(),
            actors: manifest.actors.into_iter().zip(&actor_items).collect(),
            places: manifest.places.into_iter().zip(&place_items).collect(),
            events: manifest.events,
            event_items: event_items.iter().collect(),
            claims: Vec::new(),
            eras: manifest.eras,
            eras_at: (file, text, 0),
            dataset_at: Loc { file, offset: 0 },
            broken: HashSet::new(),
        },
        options,
    )
}

/// Items standing for imported entries: each its id as JSON, at its offset.
fn stand_in_items<'a>(
    raws: &'a [String],
    at: &[usize],
    kind: &'static str,
    file: usize,
    len: usize,
) -> Vec<Item<'a>> {
    raws.iter()
        .enumerate()
        .map(|(index, raw)| Item {
            raw,
            loc: Loc {
                file,
                offset: at.get(index).copied().unwrap_or(0).min(len),
            },
            kind,
            index,
        })
        .collect()
}

/// The entries of a dataset, each with the item it was read from: what
/// every reader yields, and what [`build_checked`] checks and builds.
struct Entries<'t, 'i> {
    /// The dataset's title.
    pub title: String,
    /// Its description.
    pub description: String,
    /// The articles.
    pub sources: Vec<(SourceEntry, &'i Item<'t>)>,
    /// Who acts and speaks.
    pub actors: Vec<(ActorEntry, &'i Item<'t>)>,
    /// Where.
    pub places: Vec<(PlaceEntry, &'i Item<'t>)>,
    /// What happened.
    pub events: Vec<EventEntry>,
    /// The item of each event (apart, so a million imported events are not
    /// moved into a second list beside them).
    pub event_items: Vec<&'i Item<'t>>,
    /// Who says what.
    pub claims: Vec<(ClaimEntry, &'i Item<'t>)>,
    /// Named spans of time.
    pub eras: Vec<EraEntry>,
    /// Where the eras stand: the file, its text and where its JSON starts.
    pub eras_at: (usize, &'t str, usize),
    /// Where a note about the whole dataset is located.
    pub dataset_at: Loc,
    /// Labels of items that were broken already (reported): a reference to
    /// one is not reported again.
    pub broken: HashSet<String>,
}

/// The one builder: checks the entries (unique ids, references, coordinates,
/// EDTF times, links, quotes proven against their articles) and builds the
/// dataset, reporting every problem at its item.
fn build_checked<'t>(
    ctx: &mut Ctx<'t>,
    files: &dyn DatasetFiles,
    entries: Entries<'t, '_>,
    options: &LoadOptions<'_>,
) -> Result<Loaded, DatasetErrors> {
    let progress = options.progress;
    let Entries {
        title,
        description,
        sources,
        actors,
        places,
        events,
        event_items,
        claims,
        eras,
        eras_at,
        dataset_at,
        broken,
    } = entries;
    let mut broken = broken;
    let source_ids = index_ids(
        ctx,
        "source",
        &sources
            .iter()
            .map(|(e, it)| (e.id.as_str(), *it))
            .collect::<Vec<_>>(),
    );
    let actor_ids = index_ids(
        ctx,
        "actor",
        &actors
            .iter()
            .map(|(e, it)| (e.id.as_str(), *it))
            .collect::<Vec<_>>(),
    );
    let place_ids = index_ids(
        ctx,
        "place",
        &places
            .iter()
            .map(|(e, it)| (e.id.as_str(), *it))
            .collect::<Vec<_>>(),
    );
    let claim_id_list: Vec<(&str, &Item<'_>)> =
        claims.iter().map(|(e, it)| (e.id.as_str(), *it)).collect();
    index_ids(ctx, "claim", &claim_id_list);

    let sources_resolved: Vec<Source> = sources
        .iter()
        .map(|(entry, item)| resolve_source(ctx, files, entry, item))
        .collect();
    let actors_resolved: Vec<Actor> = actors.iter().map(|(e, _)| Actor::from(e)).collect();
    let places_resolved: Vec<Place> = places
        .iter()
        .map(|(e, item)| resolve_place(ctx, e, item))
        .collect();

    // Events in time order (earliest, latest, id): parse times first.
    // Titles and texts (an ACLED note is hundreds of bytes) move into the
    // events rather than being copied.
    let mut events = events;
    let mut bodies: Vec<Body> = events
        .iter_mut()
        .map(|e| Body {
            title: std::mem::take(&mut e.title),
            text: e.text.take(),
            extra: event_extra(e),
        })
        .collect();
    let mut timed: Vec<(FuzzyTime, &EventEntry, &Item<'_>, usize)> = events
        .iter()
        .zip(&event_items)
        .enumerate()
        .filter_map(|(k, (entry, item))| match FuzzyTime::parse(&entry.time) {
            Ok(t) => Some((t, entry, *item, k)),
            Err(e) => {
                let at = item.value_loc(&entry.time);
                let at = Loc {
                    offset: at.offset + 1 + e.offset,
                    ..at
                };
                ctx.error(
                    at,
                    &item.label(),
                    format!("time {:?}: {}", entry.time, e.message),
                );
                broken.insert(item.label());
                None
            }
        })
        .collect();
    timed.sort_by(|a, b| a.0.cmp_bounds(&b.0).then_with(|| a.1.id.cmp(&b.1.id)));
    let event_ids = index_ids(
        ctx,
        "event",
        &timed
            .iter()
            .map(|(_, e, it, _)| (e.id.as_str(), *it))
            .collect::<Vec<_>>(),
    );

    let mut resolver = Resolver {
        ctx,
        broken,
        source_ids,
        actor_ids,
        place_ids,
        event_ids,
        suggesters: [None, None, None, None],
        pending: Vec::new(),
    };
    if let Some(p) = progress {
        p.stage("Resolving events", timed.len());
    }
    let mut events_resolved: Vec<Event> = Vec::with_capacity(timed.len());
    let mut event_entries: Vec<(&EventEntry, &Item<'_>)> = Vec::with_capacity(timed.len());
    let mut unsourced = 0usize;
    for (index, (time, entry, item, k)) in timed.into_iter().enumerate() {
        event_entries.push((entry, item));
        if entry.excerpts.is_empty() {
            unsourced += 1;
            if options.imported_from.is_none() {
                resolver.ctx.warn(
                    item.key_loc("id"),
                    &item.label(),
                    "unsourced: the event has no excerpt (only imported data may lack them)",
                );
            }
        }
        let body = std::mem::take(&mut bodies[k]);
        events_resolved.push(resolve_event(
            &mut resolver,
            (index, time),
            entry,
            body,
            item,
        ));
        if index % 4096 == 0
            && let Some(p) = progress
        {
            if p.is_cancelled() {
                return Err(DatasetErrors(vec![Diagnostic::error(
                    "(cancelled)",
                    super::diagnostic::TextPos::START,
                    "dataset",
                    "the load was cancelled",
                )]));
            }
            p.set_done(index);
        }
    }
    if let Some(format) = options.imported_from
        && unsourced > 0
    {
        resolver.ctx.warn(
            dataset_at,
            "dataset",
            format!(
                "{unsourced} event(s) imported from {format} have no verified excerpt; the reader says so"
            ),
        );
    }
    for concern in super::lint::link_concerns(&events_resolved) {
        let (entry, item) = event_entries[concern.event];
        // Links that failed to resolve were dropped: find the written link by its target.
        let target = &events_resolved[events_resolved[concern.event].links[concern.link]
            .event
            .index()]
        .id;
        let n = entry
            .links
            .iter()
            .position(|l| l.event == *target)
            .map_or(concern.link + 1, |n| n + 1);
        resolver.ctx.warn(
            item.value_loc_after("links", target),
            &format!("{} link {n}", item.label()),
            concern.message,
        );
    }
    let mut claims_resolved: Vec<Claim> = Vec::with_capacity(claims.len());
    for (index, (entry, item)) in claims.iter().enumerate() {
        claims_resolved.push(resolve_claim(&mut resolver, index, entry, item));
    }
    let pending = std::mem::take(&mut resolver.pending);
    if let Some(p) = progress {
        p.stage("Verifying quotes against the articles", pending.len());
    }
    prove_quotes(
        ctx,
        &sources_resolved,
        pending,
        &mut events_resolved,
        &mut claims_resolved,
    );

    let eras = resolve_eras(ctx, eras_at.0, eras_at.1, eras_at.2, &eras);
    if ctx.has_errors() {
        let mut errors: Vec<Diagnostic> = std::mem::take(&mut ctx.diags);
        errors.retain(|d| d.severity == Severity::Error);
        return Err(DatasetErrors(errors));
    }
    if let Some(p) = progress {
        p.stage("Building indexes", 0);
    }
    let mut dataset = Dataset::new(
        title,
        description,
        sources_resolved,
        actors_resolved,
        places_resolved,
        events_resolved,
        claims_resolved,
    );
    dataset.eras = eras;
    Ok(Loaded {
        dataset,
        warnings: std::mem::take(&mut ctx.diags),
    })
}

/// Reads the eras: each needs a title and an EDTF time.
fn resolve_eras(
    ctx: &mut Ctx<'_>,
    file: usize,
    body: &str,
    base: usize,
    entries: &[EraEntry],
) -> Vec<Era> {
    let mut eras = Vec::with_capacity(entries.len());
    for (n, e) in entries.iter().enumerate() {
        let label = format!("era {} ({:?})", n + 1, e.title);
        let quoted = serde_json::to_string(&e.time).unwrap_or_default();
        let at = Loc {
            file,
            offset: body.find(&quoted).map_or(base, |i| base + i),
        };
        match FuzzyTime::parse(&e.time) {
            Ok(time) => eras.push(Era {
                title: e.title.clone(),
                time,
                text: e.text.clone(),
            }),
            Err(err) => ctx.error(at, &label, format!("time {:?}: {}", e.time, err.message)),
        }
    }
    eras
}

/// The items of one list in the manifest, each with its position.
fn items_of<'t>(
    ctx: &Ctx<'t>,
    file: usize,
    kind: &'static str,
    raws: &[&'t RawValue],
) -> Vec<Item<'t>> {
    raws.iter()
        .enumerate()
        .map(|(i, r)| Item {
            raw: r.get(),
            loc: Loc {
                file,
                offset: ctx.offset_in(file, r.get()),
            },
            kind,
            index: i,
        })
        .collect()
}

/// The text of a file, or an error at the first byte that is not UTF-8.
fn utf8_or_error<'b>(label: &str, bytes: &'b [u8]) -> Result<&'b str, Diagnostic> {
    std::str::from_utf8(bytes).map_err(|e| {
        let valid = std::str::from_utf8(&bytes[..e.valid_up_to()]).unwrap_or_default();
        let pos = LineIndex::new(valid).pos(valid.len());
        Diagnostic::error(
            label,
            pos,
            "file",
            format!(
                "not UTF-8: byte 0x{:02x} at offset {} is not valid UTF-8 text",
                bytes.get(e.valid_up_to()).copied().unwrap_or(0),
                e.valid_up_to()
            ),
        )
    })
}

fn resolve_source(
    ctx: &mut Ctx<'_>,
    files: &dyn DatasetFiles,
    e: &SourceEntry,
    item: &Item<'_>,
) -> Source {
    let published = e
        .published
        .as_deref()
        .and_then(|p| match FuzzyTime::parse(p) {
            Ok(t) => Some(t),
            Err(err) => {
                let at = item.value_loc(p);
                ctx.error(
                    Loc {
                        offset: at.offset + 1 + err.offset,
                        ..at
                    },
                    &item.label(),
                    format!("published {p:?}: {}", err.message),
                );
                None
            }
        });
    let label = files.display_path(&e.file);
    let text = match files.read(&e.file) {
        Err(message) => {
            ctx.error(
                item.value_loc(&e.file),
                &item.label(),
                format!("article {}: {message}", e.file),
            );
            String::new()
        }
        Ok(bytes) => {
            let actual = format!("{:x}", Sha256::digest(&bytes));
            let is_hash = e.sha256.len() == 64 && e.sha256.bytes().all(|b| b.is_ascii_hexdigit());
            if !e.sha256.is_empty() && !is_hash {
                ctx.error(
                    item.value_loc(&e.sha256),
                    &item.label(),
                    format!(
                        "sha256 {:?} is not a SHA-256 hash (64 hexadecimal digits); the article {} has sha256 {actual}",
                        e.sha256, e.file
                    ),
                );
            } else if !actual.eq_ignore_ascii_case(&e.sha256) {
                let at = if e.sha256.is_empty() {
                    item.key_loc("sha256")
                } else {
                    item.value_loc(&e.sha256)
                };
                let message = if e.sha256.is_empty() {
                    format!(
                        "sha256 is missing; the article {} has sha256 {actual}",
                        e.file
                    )
                } else {
                    format!(
                        "the article {} was changed after its hash was taken: the manifest says sha256 {}, the file has {actual}",
                        e.file, e.sha256
                    )
                };
                ctx.error(at, &item.label(), message);
            }
            match utf8_or_error(&label, &bytes) {
                Ok(t) => t.to_owned(),
                Err(d) => {
                    ctx.diags.push(Diagnostic {
                        item: item.label(),
                        ..d
                    });
                    String::new()
                }
            }
        }
    };
    Source {
        id: e.id.clone(),
        outlet: e.outlet.clone(),
        title: e.title.clone(),
        authors: e.authors.clone(),
        published,
        published_note: e.published_note.clone(),
        perspective: e.perspective.clone(),
        licence: e.licence.clone(),
        file: e.file.clone(),
        sha256: e.sha256.to_ascii_lowercase(),
        text,
    }
}

fn resolve_place(ctx: &mut Ctx<'_>, e: &PlaceEntry, item: &Item<'_>) -> Place {
    if !e.lon.is_finite() || !(-180.0..=180.0).contains(&e.lon) {
        ctx.error(
            item.key_loc("lon"),
            &item.label(),
            format!("longitude {} is outside -180..180", e.lon),
        );
    }
    if !e.lat.is_finite() || !(-90.0..=90.0).contains(&e.lat) {
        ctx.error(
            item.key_loc("lat"),
            &item.label(),
            format!("latitude {} is outside -90..90", e.lat),
        );
    }
    if e.name.trim().is_empty() {
        ctx.error(item.key_loc("name"), &item.label(), "name is empty");
    }
    Place {
        id: e.id.clone(),
        name: e.name.clone(),
        aliases: e.aliases.clone(),
        lon: e.lon,
        lat: e.lat,
        kind: e.kind,
        precision: e.precision,
        country: e.country.clone(),
        note: e.note.clone(),
    }
}

fn resolve_event<'t>(
    r: &mut Resolver<'t, '_, '_>,
    (index, time): (usize, FuzzyTime),
    e: &EventEntry,
    body: Body,
    item: &Item<'t>,
) -> Event {
    let Body { title, text, extra } = body;
    let places = e
        .places
        .iter()
        .filter_map(|p| {
            r.place(&p.place, item).map(|place| EventPlace {
                place,
                role: p.role,
            })
        })
        .collect();
    let actors = e.actors.iter().filter_map(|a| r.actor(a, item)).collect();
    let mut excerpts: Vec<Excerpt> = Vec::with_capacity(e.excerpts.len());
    for (n, x) in e.excerpts.iter().enumerate() {
        let target = QuoteTarget::Excerpt {
            event: index,
            slot: excerpts.len(),
        };
        if let Some(excerpt) = r.quote(
            (&x.source, &x.quote, x.occurrence),
            item,
            ("excerpt", n + 1),
            target,
        ) {
            excerpts.push(excerpt);
        }
    }
    let links = e
        .links
        .iter()
        .filter_map(|l| {
            r.event(&l.event, item).map(|event| EventLink {
                relation: l.relation,
                event,
            })
        })
        .collect();
    if title.trim().is_empty() {
        r.ctx
            .error(item.key_loc("title"), &item.label(), "title is empty");
    }
    Event {
        id: e.id.clone(),
        title,
        time,
        time_note: e.time_note.clone(),
        category: e.category,
        places,
        actors,
        excerpts,
        text,
        links,
        extra,
    }
}

/// What moves from an event's entry into the event: its title, its text (an
/// ACLED note is hundreds of bytes) and its imported fields.
#[derive(Default)]
struct Body {
    title: String,
    text: Option<String>,
    extra: Option<Box<EventExtra>>,
}

/// The imported fields of an event, boxed, or `None` when it has none.
fn event_extra(e: &mut EventEntry) -> Option<Box<EventExtra>> {
    let extra = EventExtra {
        media: e.media.take().map(|m| Media {
            url: m.url,
            caption: m.caption,
            credit: m.credit,
        }),
        group: e.group.take(),
        display_date: e.display_date.take(),
        event_type: e.event_type.take(),
        attribution: e.attribution.take(),
        timelinejs_dates: e.timelinejs.take().map(|d| (d.start_date, d.end_date)),
    };
    (extra != EventExtra::default()).then(|| Box::new(extra))
}

fn resolve_claim<'t>(
    r: &mut Resolver<'t, '_, '_>,
    index: usize,
    e: &ClaimEntry,
    item: &Item<'t>,
) -> Claim {
    let events = e.events.iter().filter_map(|id| r.event(id, item)).collect();
    let alleged_origin = e.alleged_origin.as_deref().and_then(|p| r.place(p, item));
    if e.stances.is_empty() {
        r.ctx.error(
            item.key_loc("stances"),
            &item.label(),
            "a claim needs at least one stance",
        );
    }
    // A failed lookup is an error that stops the load, so the slot of each
    // queued quote is simply the stance's position in the output.
    let mut stances: Vec<Stance> = Vec::with_capacity(e.stances.len());
    for (n, s) in e.stances.iter().enumerate() {
        let actor = r.actor(&s.actor, item);
        let excerpt = r.quote(
            (&s.source, &s.quote, s.occurrence),
            item,
            ("stance", n + 1),
            QuoteTarget::Stance {
                claim: index,
                slot: stances.len(),
            },
        );
        if let (Some(actor), Some(excerpt)) = (actor, excerpt) {
            stances.push(Stance {
                actor,
                stance: s.stance,
                excerpt,
            });
        }
    }
    Claim {
        id: e.id.clone(),
        statement: e.statement.clone(),
        events,
        alleged_origin,
        stances,
    }
}

/// Proves every pending quote, one pass per article, and fills in spans.
fn prove_quotes(
    ctx: &mut Ctx<'_>,
    sources: &[Source],
    pending: Vec<PendingQuote<'_>>,
    events: &mut [Event],
    claims: &mut [Claim],
) {
    let mut by_source: Vec<Vec<PendingQuote>> = (0..sources.len()).map(|_| Vec::new()).collect();
    for p in pending {
        by_source[p.source.index()].push(p);
    }
    for (source, quotes) in sources.iter().zip(by_source) {
        if quotes.is_empty() || source.text.is_empty() {
            continue;
        }
        let folded = FoldedText::new(&source.text);
        let queries: Vec<QuoteQuery> = quotes.iter().map(|p| p.query.clone()).collect();
        for (p, result) in quotes.iter().zip(find_quotes(&folded, &queries)) {
            match result {
                QuoteResult::Found { span, count } => {
                    if count > 1 && !p.explicit {
                        ctx.warn(
                            p.loc(),
                            &p.label(),
                            format!(
                                "the quote occurs {count} times in source {:?}; resolved to the first (add \"occurrence\" to choose another)",
                                source.id
                            ),
                        );
                    }
                    let excerpt = match p.target {
                        QuoteTarget::Excerpt { event, slot } => {
                            events.get_mut(event).and_then(|e| e.excerpts.get_mut(slot))
                        }
                        QuoteTarget::Stance { claim, slot } => claims
                            .get_mut(claim)
                            .and_then(|c| c.stances.get_mut(slot))
                            .map(|s| &mut s.excerpt),
                    };
                    if let Some(x) = excerpt {
                        x.span = span;
                    }
                }
                QuoteResult::TooFewOccurrences { count } => ctx.error(
                    p.loc(),
                    &p.label(),
                    format!(
                        "occurrence {} asked for, but the quote occurs only {count} time(s) in source {:?}",
                        p.query.occurrence, source.id
                    ),
                ),
                QuoteResult::NotFound(closest) => {
                    let mut shown: String = p.query.folded.chars().take(80).collect();
                    if p.query.folded.chars().count() > 80 {
                        shown.push('…');
                    }
                    ctx.error(
                        p.loc(),
                        &p.label(),
                        format!(
                            "quote not found in source {:?} ({}): «{shown}»; {}",
                            source.id,
                            source.file,
                            closest.describe()
                        ),
                    );
                }
                QuoteResult::Empty => ctx.error(p.loc(), &p.label(), "the quote is empty"),
            }
        }
    }
}

// ---------------------------------------------------------------------------
// The streaming loader for clean datasets.
//
// It reads the events file piece by piece, parses each line in parallel
// straight into an `Event` (ids resolved at once), proves every distinct
// quote once, and gives up (returns `None`) at the first problem of any kind:
// the careful loader then reports every problem exactly where it stands.
// ---------------------------------------------------------------------------

/// `FxHash` (as in rustc), with a final mix so that every bit counts: ids
/// and quotes are not chosen by an adversary, and `SipHash` costs too much here.
#[derive(Clone, Copy, Default)]
struct FxHasher {
    hash: u64,
}

impl FxHasher {
    fn add(&mut self, word: u64) {
        self.hash = (self.hash.rotate_left(5) ^ word).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

impl std::hash::Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut word = [0u8; 8];
            word.copy_from_slice(c);
            self.add(u64::from_le_bytes(word));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut word = [0u8; 8];
            word[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(word) ^ (rest.len() as u64) << 59);
        }
    }

    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }

    fn write_u64(&mut self, i: u64) {
        self.add(i);
    }

    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }

    fn finish(&self) -> u64 {
        let mut h = self.hash;
        h ^= h >> 33;
        h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
        h ^ (h >> 33)
    }
}

type FxBuild = std::hash::BuildHasherDefault<FxHasher>;
type FxMap<K, V> = HashMap<K, V, FxBuild>;

fn fx_hash(bytes: &[u8]) -> u64 {
    use std::hash::Hasher as _;
    let mut h = FxHasher::default();
    h.write(bytes);
    h.finish()
}

/// A JSON string, borrowed from the line when it has no escapes.
#[derive(Deserialize)]
struct Text<'a>(#[serde(borrow)] std::borrow::Cow<'a, str>);

/// An event line as [`EventEntry`] reads it (same fields, same rules), but
/// borrowing its strings.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct EventLine<'a> {
    #[serde(borrow)]
    id: Text<'a>,
    #[serde(borrow)]
    title: Text<'a>,
    #[serde(borrow)]
    time: Text<'a>,
    #[serde(default)]
    time_note: Option<String>,
    category: crate::model::Category,
    #[serde(default, borrow)]
    places: Vec<PlaceLine<'a>>,
    #[serde(default, borrow)]
    actors: Vec<Text<'a>>,
    #[serde(default, borrow)]
    excerpts: Vec<ExcerptLine<'a>>,
    #[serde(default)]
    text: Option<String>,
    #[serde(default, borrow)]
    links: Vec<LinkLine<'a>>,
    #[serde(default)]
    media: Option<super::format::MediaEntry>,
    #[serde(default)]
    group: Option<String>,
    #[serde(default)]
    display_date: Option<String>,
    #[serde(default)]
    event_type: Option<String>,
    #[serde(default)]
    attribution: Option<String>,
    #[serde(default)]
    timelinejs: Option<super::format::TimelineJsDates>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PlaceLine<'a> {
    #[serde(borrow)]
    place: Text<'a>,
    role: crate::model::PlaceRole,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ExcerptLine<'a> {
    #[serde(borrow)]
    source: Text<'a>,
    #[serde(borrow)]
    quote: Text<'a>,
    #[serde(default)]
    occurrence: Option<usize>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LinkLine<'a> {
    relation: crate::model::LinkRelation,
    #[serde(borrow)]
    event: Text<'a>,
}

/// The ids every event line is resolved against.
struct Lookups<'m> {
    sources: FxMap<&'m str, u32>,
    actors: FxMap<&'m str, u32>,
    places: FxMap<&'m str, u32>,
    /// Imported data may have events without excerpts.
    imported: bool,
}

/// A quote of an event line, folded, waiting to be interned.
struct LineQuote<'a> {
    source: u32,
    hash: u64,
    folded: std::borrow::Cow<'a, str>,
    occurrence: u32,
}

/// One event line, resolved but for its links and its excerpts' spans.
struct BuiltEvent<'a> {
    event: Event,
    quotes: Vec<LineQuote<'a>>,
    links: Vec<(crate::model::LinkRelation, Box<str>)>,
}

/// Is `quote` already what [`fold_quote`] makes of it?
fn is_folded(quote: &str) -> bool {
    // Starting as if after a space refuses a leading space.
    let mut previous_space = true;
    if quote.is_ascii() {
        for &b in quote.as_bytes() {
            if b == b' ' {
                if previous_space {
                    return false;
                }
                previous_space = true;
            } else if b.is_ascii_whitespace() || b == 0x0b {
                return false;
            } else {
                previous_space = false;
            }
        }
    } else {
        for c in quote.chars() {
            if c.is_whitespace() {
                if c != ' ' || previous_space {
                    return false;
                }
                previous_space = true;
            } else {
                previous_space = false;
            }
        }
    }
    !previous_space || quote.is_empty()
}

/// Reads one event (its JSON text) into an [`Event`]; `None` at any problem.
fn build_event<'a>(raw: &'a str, lk: &Lookups<'_>) -> Option<BuiltEvent<'a>> {
    let line: EventLine<'a> = serde_json::from_str(raw).ok()?;
    // Typed fields refuse a repeated key themselves; the kept TimelineJS
    // date objects are free JSON, so they are scanned (the careful loader
    // reports what it finds).
    if line.timelinejs.is_some() && !super::json_keys::duplicate_keys(raw, 1).is_empty() {
        return None;
    }
    if line.id.0.is_empty() || line.title.0.trim().is_empty() {
        return None;
    }
    let time = FuzzyTime::parse(&line.time.0).ok()?;
    let mut places = Vec::with_capacity(line.places.len());
    for p in &line.places {
        places.push(EventPlace {
            place: PlaceIdx(*lk.places.get(&*p.place.0)?),
            role: p.role,
        });
    }
    let mut actors = Vec::with_capacity(line.actors.len());
    for a in &line.actors {
        actors.push(ActorIdx(*lk.actors.get(&*a.0)?));
    }
    if line.excerpts.is_empty() && !lk.imported {
        return None;
    }
    let mut excerpts = Vec::with_capacity(line.excerpts.len());
    let mut quotes = Vec::with_capacity(line.excerpts.len());
    for x in line.excerpts {
        let source = *lk.sources.get(&*x.source.0)?;
        let occurrence = match x.occurrence {
            Some(0) => return None,
            Some(n) => u32::try_from(n).ok()?,
            None => 1,
        };
        if super::lint::quote_concern(&x.quote.0).is_some() {
            return None; // a warning: the careful loader says it
        }
        let folded = match x.quote.0 {
            std::borrow::Cow::Borrowed(q) if is_folded(q) => std::borrow::Cow::Borrowed(q),
            q => std::borrow::Cow::Owned(fold_quote(&q)),
        };
        if folded.is_empty() {
            return None;
        }
        excerpts.push(Excerpt {
            source: SourceIdx(source),
            span: 0..0,
        });
        quotes.push(LineQuote {
            source,
            hash: fx_hash(folded.as_bytes()),
            folded,
            occurrence,
        });
    }
    let links = line
        .links
        .into_iter()
        .map(|l| (l.relation, Box::<str>::from(&*l.event.0)))
        .collect();
    let extra = EventExtra {
        media: line.media.map(|m| Media {
            url: m.url,
            caption: m.caption,
            credit: m.credit,
        }),
        group: line.group,
        display_date: line.display_date,
        event_type: line.event_type,
        attribution: line.attribution,
        timelinejs_dates: line.timelinejs.map(|d| (d.start_date, d.end_date)),
    };
    let event = Event {
        id: line.id.0.into_owned(),
        title: line.title.0.into_owned(),
        time,
        time_note: line.time_note,
        category: line.category,
        places,
        actors,
        excerpts,
        text: line.text,
        links: Vec::new(),
        extra: (extra != EventExtra::default()).then(|| Box::new(extra)),
    };
    Some(BuiltEvent {
        event,
        quotes,
        links,
    })
}

/// The distinct folded quotes of one article.
#[derive(Default)]
struct SourceQuotes {
    by_hash: HashMap<u64, u32, std::hash::BuildHasherDefault<IdentityHasher>>,
    /// Quotes whose hash another quote already has (rare).
    collided: FxMap<Box<str>, u32>,
    patterns: Vec<Box<str>>,
    /// The furthest occurrence asked for, per pattern.
    wanted: Vec<usize>,
}

/// Passes an already mixed `u64` hash through.
#[derive(Clone, Copy, Default)]
struct IdentityHasher(u64);

impl std::hash::Hasher for IdentityHasher {
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 << 8) | u64::from(b);
        }
    }

    fn write_u64(&mut self, i: u64) {
        self.0 = i;
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

impl SourceQuotes {
    /// The pattern number of a quote, adding it when new.
    fn intern(&mut self, hash: u64, folded: &str, occurrence: usize) -> u32 {
        let next = self.patterns.len() as u32;
        let id = match self.by_hash.entry(hash) {
            std::collections::hash_map::Entry::Vacant(v) => {
                v.insert(next);
                next
            }
            std::collections::hash_map::Entry::Occupied(o) => {
                let id = *o.get();
                if &*self.patterns[id as usize] == folded {
                    id
                } else {
                    *self.collided.entry(folded.into()).or_insert(next)
                }
            }
        };
        if id == next {
            self.patterns.push(folded.into());
            self.wanted.push(0);
        }
        let w = &mut self.wanted[id as usize];
        *w = (*w).max(occurrence);
        id
    }
}

/// Every quote to prove: the distinct ones per article, and for each excerpt
/// (events in file order, then the claims' stances) its pattern and occurrence.
struct QuoteBook {
    sources: Vec<SourceQuotes>,
    refs: Vec<(u32, u32)>,
}

impl QuoteBook {
    fn add(&mut self, source: u32, hash: u64, folded: &str, occurrence: u32) {
        let pattern = self.sources[source as usize].intern(hash, folded, occurrence as usize);
        self.refs.push((pattern, occurrence));
    }
}

/// Reads `reader` in pieces of about `piece` bytes cut after a newline, and
/// hands each piece (valid UTF-8) to `f`; `None` when the text is not UTF-8
/// or `f` gives up.
fn for_each_piece(
    reader: &mut dyn std::io::Read,
    piece: usize,
    mut f: impl FnMut(&str) -> Option<()>,
) -> Option<()> {
    let mut buf = vec![0u8; piece];
    let mut filled = 0;
    loop {
        let mut eof = false;
        while filled < buf.len() {
            match reader.read(&mut buf[filled..]) {
                Ok(0) => {
                    eof = true;
                    break;
                }
                Ok(n) => filled += n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(_) => return None,
            }
        }
        let cut = if eof {
            filled
        } else {
            let Some(i) = memchr::memrchr(b'\n', &buf[..filled]) else {
                // One line longer than a piece: read on with more room.
                buf.resize(buf.len() * 2, 0);
                continue;
            };
            i + 1
        };
        f(std::str::from_utf8(&buf[..cut]).ok()?)?;
        if eof {
            return Some(());
        }
        buf.copy_within(cut..filled, 0);
        filled -= cut;
    }
}

/// The JSON texts of the events in a piece of a JSON Lines file, as the
/// careful loader cuts them.
fn event_lines(text: &str) -> Vec<&str> {
    text.split_inclusive('\n')
        .filter_map(|line| {
            let content = line.trim_end_matches(['\n', '\r']);
            let trimmed = content.trim_start_matches('\u{feff}');
            (!trimmed.trim().is_empty()).then_some(trimmed)
        })
        .collect()
}

/// Events read so far, in file order.
struct EventSink {
    events: Vec<Event>,
    links: Vec<(u32, crate::model::LinkRelation, Box<str>)>,
    quotes: QuoteBook,
}

impl EventSink {
    /// Builds the events of `raws` in parallel and keeps them in order.
    fn take(&mut self, raws: &[&str], lk: &Lookups<'_>) -> Option<()> {
        use rayon::prelude::*;
        let built: Vec<Option<BuiltEvent<'_>>> = raws
            .par_iter()
            .with_min_len(256)
            .map(|raw| build_event(raw, lk))
            .collect();
        self.events.reserve(built.len());
        for b in built {
            let b = b?;
            let index = self.events.len() as u32;
            for q in &b.quotes {
                self.quotes.add(q.source, q.hash, &q.folded, q.occurrence);
            }
            for (relation, id) in b.links {
                self.links.push((index, relation, id));
            }
            self.events.push(b.event);
        }
        Some(())
    }
}

/// The events file is read in pieces of about this many bytes.
const EVENTS_PIECE: usize = 8 << 20;

/// The ids of a list of items, with their positions.
fn ids_of<'a>(list: &[(&'a str, &Item<'_>)]) -> FxMap<&'a str, u32> {
    list.iter()
        .enumerate()
        .map(|(i, (id, _))| (*id, i as u32))
        .collect()
}

/// Loads a dataset that has no problem at all, streaming its events file;
/// `None` at the first problem (or the first warning, but the one that says
/// imported events have no excerpt).
fn load_clean(files: &dyn DatasetFiles, options: &LoadOptions<'_>) -> Option<Loaded> {
    use rayon::prelude::*;
    let progress = options.progress;
    if let Some(p) = progress {
        p.stage("Reading the manifest", 0);
    }
    let manifest_label = files.display_path(MANIFEST);
    let manifest_bytes = files.read(MANIFEST).ok()?;
    let manifest_text = std::str::from_utf8(&manifest_bytes).ok()?;
    let mut ctx = Ctx {
        files: Vec::new(),
        diags: Vec::new(),
    };
    let manifest_file = ctx.add_file(manifest_label, manifest_text);
    let body = manifest_text
        .strip_prefix('\u{feff}')
        .unwrap_or(manifest_text);
    let base = manifest_text.len() - body.len();
    let mut de = serde_json::Deserializer::from_str(body);
    let raw = RawManifest::deserialize(&mut de).ok()?;
    de.end().ok()?;

    let source_items = items_of(&ctx, manifest_file, "source", &raw.sources);
    let actor_items = items_of(&ctx, manifest_file, "actor", &raw.actors);
    let place_items = items_of(&ctx, manifest_file, "place", &raw.places);
    let claim_items = items_of(&ctx, manifest_file, "claim", &raw.claims);
    let mut broken: HashSet<String> = HashSet::new();
    let sources: Vec<(SourceEntry, &Item<'_>)> = parse_items(&mut ctx, &source_items, &mut broken);
    let actors: Vec<(ActorEntry, &Item<'_>)> = parse_items(&mut ctx, &actor_items, &mut broken);
    let places: Vec<(PlaceEntry, &Item<'_>)> = parse_items(&mut ctx, &place_items, &mut broken);
    let claims: Vec<(ClaimEntry, &Item<'_>)> = parse_items(&mut ctx, &claim_items, &mut broken);
    if !ctx.diags.is_empty() {
        return None;
    }
    let source_list: Vec<(&str, &Item<'_>)> =
        sources.iter().map(|(e, it)| (e.id.as_str(), *it)).collect();
    let actor_list: Vec<(&str, &Item<'_>)> =
        actors.iter().map(|(e, it)| (e.id.as_str(), *it)).collect();
    let place_list: Vec<(&str, &Item<'_>)> =
        places.iter().map(|(e, it)| (e.id.as_str(), *it)).collect();
    let claim_list: Vec<(&str, &Item<'_>)> =
        claims.iter().map(|(e, it)| (e.id.as_str(), *it)).collect();
    index_ids(&mut ctx, "source", &source_list);
    index_ids(&mut ctx, "actor", &actor_list);
    index_ids(&mut ctx, "place", &place_list);
    index_ids(&mut ctx, "claim", &claim_list);
    let sources_resolved: Vec<Source> = sources
        .iter()
        .map(|(entry, item)| resolve_source(&mut ctx, files, entry, item))
        .collect();
    let places_resolved: Vec<Place> = places
        .iter()
        .map(|(e, item)| resolve_place(&mut ctx, e, item))
        .collect();
    if !ctx.diags.is_empty() {
        return None;
    }
    let actors_resolved: Vec<Actor> = actors.iter().map(|(e, _)| Actor::from(e)).collect();
    let lookups = Lookups {
        sources: ids_of(&source_list),
        actors: ids_of(&actor_list),
        places: ids_of(&place_list),
        imported: options.imported_from.is_some(),
    };

    if let Some(p) = progress {
        p.stage("Reading items", 0);
    }
    let mut sink = EventSink {
        events: Vec::new(),
        links: Vec::new(),
        quotes: QuoteBook {
            sources: (0..sources_resolved.len())
                .map(|_| SourceQuotes::default())
                .collect(),
            refs: Vec::new(),
        },
    };
    let manifest_events: Vec<&str> = raw.events.iter().map(|r| r.get()).collect();
    sink.take(&manifest_events, &lookups)?;
    if let Some(rel) = &raw.events_file {
        let (mut reader, len) = files.open(rel).ok()?;
        let mut first = true;
        for_each_piece(&mut *reader, EVENTS_PIECE, |text| {
            let lines = event_lines(text);
            if first && !text.is_empty() {
                // Room for all the events at once, estimated from the first piece.
                first = false;
                let estimate =
                    (len as f64 / text.len() as f64 * lines.len() as f64 * 1.02) as usize;
                sink.events.reserve(estimate);
                sink.quotes.refs.reserve(estimate * 2);
            }
            if progress.is_some_and(Progress::is_cancelled) {
                return None;
            }
            sink.take(&lines, &lookups)?;
            if let Some(p) = progress {
                p.set_done(sink.events.len());
            }
            Some(())
        })?;
    }
    let EventSink {
        mut events,
        links,
        mut quotes,
    } = sink;
    let unsourced = events.iter().filter(|e| e.excerpts.is_empty()).count();

    // The claims' stances: their quotes join the book after the events'.
    let event_refs = quotes.refs.len();
    for (entry, _) in &claims {
        if entry.stances.is_empty() {
            return None;
        }
        for s in &entry.stances {
            lookups.actors.get(s.actor.as_str())?;
            let source = *lookups.sources.get(s.source.as_str())?;
            let occurrence = match s.occurrence {
                Some(0) => return None,
                Some(n) => u32::try_from(n).ok()?,
                None => 1,
            };
            let folded = fold_quote(&s.quote);
            if folded.is_empty() || super::lint::quote_concern(&s.quote).is_some() {
                return None;
            }
            quotes.add(source, fx_hash(folded.as_bytes()), &folded, occurrence);
        }
    }

    // Prove every distinct quote, one pass per article.
    if let Some(p) = progress {
        p.stage("Verifying quotes against the articles", quotes.refs.len());
    }
    let hits: Vec<Option<(FoldedText, super::quote::PatternHits)>> = sources_resolved
        .par_iter()
        .zip(&quotes.sources)
        .map(|(source, book)| {
            if book.patterns.is_empty() {
                return None;
            }
            let folded = FoldedText::new(&source.text);
            let hits = super::quote::find_patterns(&folded, &book.patterns, &book.wanted);
            Some((folded, hits))
        })
        .collect();
    let span_of = |source: SourceIdx, (pattern, occurrence): (u32, u32)| {
        let (folded, hits) = hits.get(source.index())?.as_ref()?;
        let count = hits.counts[pattern as usize];
        if count > 1 && occurrence == 1 {
            return None; // a warning: the careful loader says it
        }
        let start = *hits.positions[pattern as usize].get(occurrence as usize - 1)?;
        let len = quotes.sources[source.index()].patterns[pattern as usize].len();
        Some(folded.original_span(start, start + len))
    };
    let mut next_ref = quotes.refs.iter();
    for e in &mut events {
        for x in &mut e.excerpts {
            x.span = span_of(x.source, *next_ref.next()?)?;
        }
    }
    let mut stance_spans = Vec::with_capacity(quotes.refs.len() - event_refs);
    for (entry, _) in &claims {
        for s in &entry.stances {
            let source = SourceIdx(*lookups.sources.get(s.source.as_str())?);
            stance_spans.push(Excerpt {
                source,
                span: span_of(source, *next_ref.next()?)?,
            });
        }
    }
    drop(hits);
    drop(quotes);

    // Time order: earliest, latest, id (ids are unique, so the order is total).
    if let Some(p) = progress {
        p.stage("Building indexes", 0);
    }
    let n = events.len();
    // Days lie within ±9999 years, far inside i32: biased to u32 they leave
    // 0 for an open start and u32::MAX for an open end.
    let day_key = |d: Option<crate::model::Day>, open: u32| {
        d.map_or(open, |d| (i64::from(d.0) + (1i64 << 31)) as u32)
    };
    // The first eight bytes of the id, zero-padded, order ids as their bytes
    // do; only equal prefixes need the whole ids compared.
    let id_prefix = |id: &str| {
        let mut word = [0u8; 8];
        let n = id.len().min(8);
        word[..n].copy_from_slice(&id.as_bytes()[..n]);
        u64::from_be_bytes(word)
    };
    let mut order: Vec<(u64, u64, u32)> = events
        .par_iter()
        .enumerate()
        .map(|(i, e)| {
            let key = u64::from(day_key(e.time.earliest(), 0)) << 32
                | u64::from(day_key(e.time.latest(), u32::MAX));
            (key, id_prefix(&e.id), i as u32)
        })
        .collect();
    order.par_sort_unstable_by(|a, b| {
        (a.0, a.1)
            .cmp(&(b.0, b.1))
            .then_with(|| events[a.2 as usize].id.cmp(&events[b.2 as usize].id))
    });
    let mut rank = vec![0u32; n];
    for (k, &(_, _, i)) in order.iter().enumerate() {
        rank[i as usize] = k as u32;
    }
    drop(order);
    let mut place_at = rank.clone();
    for i in 0..n {
        while place_at[i] as usize != i {
            let to = place_at[i] as usize;
            events.swap(i, to);
            place_at.swap(i, to);
        }
    }
    drop(place_at);
    let (by_id, duplicate) = Dataset::event_order_by_id(&events);
    if duplicate {
        return None;
    }
    let find_event = |id: &str| Dataset::find_event_id(&events, &by_id, id);
    let mut resolved_links: Vec<(u32, EventLink)> = Vec::with_capacity(links.len());
    for (owner, relation, id) in &links {
        resolved_links.push((
            rank[*owner as usize],
            EventLink {
                relation: *relation,
                event: EventIdx(find_event(id)?),
            },
        ));
    }
    let mut stance_spans = stance_spans.into_iter();
    let mut claims_resolved: Vec<Claim> = Vec::with_capacity(claims.len());
    for (entry, _) in &claims {
        let mut events_of = Vec::with_capacity(entry.events.len());
        for id in &entry.events {
            events_of.push(EventIdx(find_event(id)?));
        }
        let alleged_origin = match &entry.alleged_origin {
            Some(p) => Some(PlaceIdx(*lookups.places.get(p.as_str())?)),
            None => None,
        };
        let mut stances = Vec::with_capacity(entry.stances.len());
        for s in &entry.stances {
            stances.push(Stance {
                actor: ActorIdx(*lookups.actors.get(s.actor.as_str())?),
                stance: s.stance,
                excerpt: stance_spans.next()?,
            });
        }
        claims_resolved.push(Claim {
            id: entry.id.clone(),
            statement: entry.statement.clone(),
            events: events_of,
            alleged_origin,
            stances,
        });
    }
    drop(rank);
    for (owner, link) in resolved_links {
        events[owner as usize].links.push(link);
    }
    if !super::lint::link_concerns(&events).is_empty() {
        return None; // warnings: the careful loader locates them
    }
    let eras = resolve_eras(&mut ctx, manifest_file, body, base, &raw.eras);
    if !ctx.diags.is_empty() {
        return None;
    }
    if let Some(format) = options.imported_from
        && unsourced > 0
    {
        ctx.warn(
            Loc {
                file: manifest_file,
                offset: 0,
            },
            "dataset",
            format!(
                "{unsourced} event(s) imported from {format} have no verified excerpt; the reader says so"
            ),
        );
    }
    let mut dataset = Dataset::with_event_ids(
        raw.title,
        raw.description,
        sources_resolved,
        actors_resolved,
        places_resolved,
        events,
        claims_resolved,
        by_id,
    );
    dataset.eras = eras;
    Some(Loaded {
        dataset,
        warnings: ctx.diags,
    })
}
