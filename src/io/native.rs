//! Loading the native format: a folder with `dataset.json`, `sources/*.txt`
//! and optionally an events JSON Lines file.
//!
//! The loader proves every excerpt against its article, checks every
//! reference, and reports *every* problem it finds with its file, line,
//! column and item, never panicking on bad input.

use std::collections::{HashMap, HashSet};
use std::path::{Component, Path, PathBuf};

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
use crate::model::{
    Actor, ActorIdx, Claim, Dataset, Era, Event, EventExtra, EventIdx, EventLink, EventPlace,
    Excerpt, FuzzyTime, Media, Place, PlaceIdx, Source, SourceIdx, Stance,
};

/// The manifest's file name inside a dataset folder.
pub const MANIFEST: &str = "dataset.json";

/// Files larger than this are refused before they are read.
pub const MAX_FILE_BYTES: u64 = 512 * 1024 * 1024;

/// Where a dataset's files come from: a folder on disk, or the copy embedded
/// in the binary.
pub trait DatasetFiles {
    /// How to name a file (relative to the dataset) in a diagnostic.
    fn display_path(&self, rel: &str) -> String;
    /// Reads a file (relative to the dataset); the error says why not.
    ///
    /// # Errors
    /// A message for a missing, unreadable or oversized file.
    fn read(&self, rel: &str) -> Result<Vec<u8>, String>;
}

/// A dataset folder on disk.
#[derive(Clone, Debug)]
pub struct DirFiles {
    root: PathBuf,
}

impl DirFiles {
    /// The folder at `root`.
    #[must_use]
    pub fn new(root: impl Into<PathBuf>) -> Self {
        Self { root: root.into() }
    }
}

impl DatasetFiles for DirFiles {
    fn display_path(&self, rel: &str) -> String {
        self.root.join(rel).display().to_string()
    }

    fn read(&self, rel: &str) -> Result<Vec<u8>, String> {
        let rel_path = Path::new(rel);
        if rel_path
            .components()
            .any(|c| !matches!(c, Component::Normal(_) | Component::CurDir))
        {
            return Err(format!(
                "the path {rel:?} must stay inside the dataset folder (no '..', no absolute path)"
            ));
        }
        let path = self.root.join(rel_path);
        let meta = std::fs::metadata(&path).map_err(|e| describe_io_error(&e, &self.root, rel))?;
        if meta.is_dir() {
            return Err(format!("{rel} is a folder, not a file"));
        }
        if meta.len() > MAX_FILE_BYTES {
            return Err(format!(
                "the file is {} bytes, over the limit of {MAX_FILE_BYTES} bytes; it was not read",
                meta.len()
            ));
        }
        std::fs::read(&path).map_err(|e| describe_io_error(&e, &self.root, rel))
    }
}

fn describe_io_error(e: &std::io::Error, root: &Path, rel: &str) -> String {
    if e.kind() == std::io::ErrorKind::NotFound && rel == MANIFEST {
        let empty = std::fs::read_dir(root).is_ok_and(|mut d| d.next().is_none());
        if !root.exists() {
            return "no such folder".to_owned();
        }
        if empty {
            return format!(
                "the folder is empty: a mapline dataset folder holds {MANIFEST} and the articles under sources/"
            );
        }
        return format!(
            "no {MANIFEST} in this folder: a mapline dataset folder holds {MANIFEST} and sources/*.txt"
        );
    }
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file".to_owned(),
        _ => format!("cannot read it: {e}"),
    }
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

/// Suggests the nearest known id for a misspelt one.
fn did_you_mean<'a>(wanted: &str, known: impl Iterator<Item = &'a String>) -> String {
    known
        .map(|k| (strsim::jaro_winkler(wanted, k), k))
        .filter(|(score, _)| *score > 0.85)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map_or_else(String::new, |(_, k)| format!(" (did you mean {k:?}?)"))
}

/// Unique ids of one kind, reporting duplicates.
fn index_ids<'a>(
    ctx: &mut Ctx<'_>,
    kind: &str,
    items: &[(&'a str, &Item<'_>)],
) -> HashMap<&'a str, u32> {
    let mut ids: HashMap<&str, u32> = HashMap::with_capacity(items.len());
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

struct Resolver<'t, 'c> {
    ctx: &'c mut Ctx<'t>,
    /// Ids of items that are broken themselves (already reported): a
    /// reference to one is not reported again as unknown.
    broken: HashSet<String>,
    source_ids: HashMap<&'t str, u32>,
    actor_ids: HashMap<&'t str, u32>,
    place_ids: HashMap<&'t str, u32>,
    event_ids: HashMap<&'t str, u32>,
    pending: Vec<PendingQuote<'t>>,
}

impl<'t> Resolver<'t, '_> {
    fn lookup<T: Copy>(
        ctx: &mut Ctx<'_>,
        broken: &HashSet<String>,
        ids: &HashMap<&str, u32>,
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
        let known: Vec<String> = ids.keys().map(|k| (*k).to_owned()).collect();
        let hint = did_you_mean(id, known.iter());
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
        self.pending.push(PendingQuote {
            source,
            query: QuoteQuery {
                folded: fold_quote(quote),
                occurrence: occurrence.unwrap_or(1),
            },
            item: *item,
            what,
            quote: quote.to_owned(),
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
/// # Errors
/// Every problem found, each with file, line, column and item.
pub fn load_with(
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
        let bytes = match files.read(rel) {
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

    let source_ids = index_ids(
        &mut ctx,
        "source",
        &sources
            .iter()
            .map(|(e, it)| (e.id.as_str(), *it))
            .collect::<Vec<_>>(),
    );
    let actor_ids = index_ids(
        &mut ctx,
        "actor",
        &actors
            .iter()
            .map(|(e, it)| (e.id.as_str(), *it))
            .collect::<Vec<_>>(),
    );
    let place_ids = index_ids(
        &mut ctx,
        "place",
        &places
            .iter()
            .map(|(e, it)| (e.id.as_str(), *it))
            .collect::<Vec<_>>(),
    );
    let claim_id_list: Vec<(&str, &Item<'_>)> =
        claims.iter().map(|(e, it)| (e.id.as_str(), *it)).collect();
    index_ids(&mut ctx, "claim", &claim_id_list);

    let sources_resolved: Vec<Source> = sources
        .iter()
        .map(|(entry, item)| resolve_source(&mut ctx, files, entry, item))
        .collect();
    let actors_resolved: Vec<Actor> = actors
        .iter()
        .map(|(e, _)| Actor {
            id: e.id.clone(),
            name: e.name.clone(),
            short: e.short.clone(),
            kind: e.kind,
            aliases: e.aliases.clone(),
            note: e.note.clone(),
        })
        .collect();
    let places_resolved: Vec<Place> = places
        .iter()
        .map(|(e, item)| resolve_place(&mut ctx, e, item))
        .collect();

    // Events in time order (earliest, latest, id): parse times first.
    let mut timed: Vec<(FuzzyTime, &EventEntry, &Item<'_>)> = events
        .iter()
        .filter_map(|(entry, item)| match FuzzyTime::parse(&entry.time) {
            Ok(t) => Some((t, entry, *item)),
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
        &mut ctx,
        "event",
        &timed
            .iter()
            .map(|(_, e, it)| (e.id.as_str(), *it))
            .collect::<Vec<_>>(),
    );

    let mut resolver = Resolver {
        ctx: &mut ctx,
        broken,
        source_ids,
        actor_ids,
        place_ids,
        event_ids,
        pending: Vec::new(),
    };
    if let Some(p) = progress {
        p.stage("Resolving events", timed.len());
    }
    let mut events_resolved: Vec<Event> = Vec::with_capacity(timed.len());
    let mut unsourced = 0usize;
    for (index, (time, entry, item)) in timed.into_iter().enumerate() {
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
        events_resolved.push(resolve_event(&mut resolver, index, time, entry, item));
        if index % 4096 == 0
            && let Some(p) = progress
        {
            p.set_done(index);
        }
    }
    if let Some(format) = options.imported_from
        && unsourced > 0
    {
        resolver.ctx.warn(
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
    let mut claims_resolved: Vec<Claim> = Vec::with_capacity(claims.len());
    for (index, (entry, item)) in claims.iter().enumerate() {
        claims_resolved.push(resolve_claim(&mut resolver, index, entry, item));
    }
    let pending = std::mem::take(&mut resolver.pending);
    if let Some(p) = progress {
        p.stage("Verifying quotes against the articles", pending.len());
    }
    prove_quotes(
        &mut ctx,
        &sources_resolved,
        pending,
        &mut events_resolved,
        &mut claims_resolved,
    );

    let eras = resolve_eras(&mut ctx, manifest_file, body, base, &raw.eras);
    if ctx.has_errors() {
        let mut errors: Vec<Diagnostic> = ctx.diags;
        errors.retain(|d| d.severity == Severity::Error);
        return Err(DatasetErrors(errors));
    }
    if let Some(p) = progress {
        p.stage("Building indexes", 0);
    }
    let mut dataset = Dataset::new(
        raw.title,
        raw.description,
        sources_resolved,
        actors_resolved,
        places_resolved,
        events_resolved,
        claims_resolved,
    );
    dataset.eras = eras;
    Ok(Loaded {
        dataset,
        warnings: ctx.diags,
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
            if !actual.eq_ignore_ascii_case(&e.sha256) {
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
    r: &mut Resolver<'t, '_>,
    index: usize,
    time: FuzzyTime,
    e: &EventEntry,
    item: &Item<'t>,
) -> Event {
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
    if e.title.trim().is_empty() {
        r.ctx
            .error(item.key_loc("title"), &item.label(), "title is empty");
    }
    Event {
        id: e.id.clone(),
        title: e.title.clone(),
        time,
        time_note: e.time_note.clone(),
        category: e.category,
        places,
        actors,
        excerpts,
        text: e.text.clone(),
        links,
        extra: event_extra(e),
    }
}

/// The imported fields of an event, boxed, or `None` when it has none.
fn event_extra(e: &EventEntry) -> Option<Box<EventExtra>> {
    let extra = EventExtra {
        media: e.media.as_ref().map(|m| Media {
            url: m.url.clone(),
            caption: m.caption.clone(),
            credit: m.credit.clone(),
        }),
        group: e.group.clone(),
        display_date: e.display_date.clone(),
        event_type: e.event_type.clone(),
        attribution: e.attribution.clone(),
        timelinejs_dates: e
            .timelinejs
            .as_ref()
            .map(|d| (d.start_date.clone(), d.end_date.clone())),
    };
    (extra != EventExtra::default()).then(|| Box::new(extra))
}

fn resolve_claim<'t>(
    r: &mut Resolver<'t, '_>,
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
                    if count > 1 && p.query.occurrence == 1 {
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
