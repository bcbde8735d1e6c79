//! The one builder: every reader (native, TimelineJS, ACLED, GeoJSON)
//! yields typed entries, each with where it stands in its file, and
//! [`build_checked`] checks them (ids, references, coordinates, EDTF times,
//! links, quotes proven against their articles) and builds the dataset.

use std::collections::{HashMap, HashSet};

use crate::io::diagnostic::{DatasetErrors, Diagnostic, LineIndex, Severity};
use crate::io::format::{
    ActorEntry, ClaimEntry, EraEntry, EventEntry, Manifest, PlaceEntry, SourceEntry,
};
use crate::model::{
    Actor, ActorIdx, Claim, Dataset, EventIdx, EventPlace, Events, FuzzyTime, Place, PlaceIdx,
    Source,
};
use serde::Deserialize;
use serde::de::DeserializeOwned;
pub(crate) mod quotes;
pub(crate) mod resolve;

use crate::io::builder::quotes::prove_quotes;
use crate::io::builder::resolve::{
    Body, Refs, Resolver, index_ids, resolve_claim, resolve_eras, resolve_event, resolve_place,
    resolve_source,
};
use crate::io::files::{DatasetFiles, LoadOptions, Loaded};

/// A position in one of the loaded text files.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Loc {
    pub(crate) file: usize,
    pub(crate) offset: usize,
}

/// One item of the dataset as it stands in its file.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Item<'t> {
    pub(crate) raw: &'t str,
    pub(crate) loc: Loc,
    pub(crate) kind: &'static str,
    pub(crate) index: usize,
}

impl Item<'_> {
    /// `event cyberattack-2022-07-15`, or `event #3` when it has no id.
    /// Made only when a diagnostic needs it: reading the id costs a parse.
    pub(crate) fn label(&self) -> String {
        item_label(self.kind, self.index, self.raw)
    }

    /// Where a JSON string value (or, failing that, the item) stands.
    pub(crate) fn value_loc(&self, value: &str) -> Loc {
        let needle = serde_json::to_string(value).unwrap_or_default();
        self.raw.find(&needle).map_or(self.loc, |i| Loc {
            file: self.loc.file,
            offset: self.loc.offset + i,
        })
    }

    /// Where a JSON string value stands after `key` (or the item): a link's
    /// target, not the event's own id that may read the same.
    pub(crate) fn value_loc_after(&self, key: &str, value: &str) -> Loc {
        self.value_loc_nth(key, value, 0)
    }

    /// Where the `nth` (from 0) occurrence of a JSON string value stands
    /// after `key` (or the item): the third of three stances quoting the
    /// same words.
    pub(crate) fn value_loc_nth(&self, key: &str, value: &str, nth: usize) -> Loc {
        let key = serde_json::to_string(key).unwrap_or_default();
        let needle = serde_json::to_string(value).unwrap_or_default();
        let mut from = self.raw.find(&key).unwrap_or(0);
        for _ in 0..=nth {
            match self.raw[from..].find(&needle) {
                Some(i) => from += i + 1,
                None => return self.loc,
            }
        }
        Loc {
            file: self.loc.file,
            offset: self.loc.offset + from - 1,
        }
    }

    /// Where a key stands (or the item).
    pub(crate) fn key_loc(&self, key: &str) -> Loc {
        self.value_loc(key)
    }
}

pub(crate) struct Ctx<'t> {
    pub(crate) files: Vec<(String, &'t str, LineIndex<'t>)>,
    pub(crate) diags: Vec<Diagnostic>,
}

impl<'t> Ctx<'t> {
    pub(crate) fn add_file(&mut self, label: String, text: &'t str) -> usize {
        self.files.push((label, text, LineIndex::new(text)));
        self.files.len() - 1
    }

    pub(crate) fn report(&mut self, severity: Severity, at: Loc, item: &str, message: String) {
        let (label, _, index) = &self.files[at.file];
        let pos = index.pos(at.offset);
        let d = Diagnostic::error(label.clone(), pos, item, message);
        self.diags.push(Diagnostic { severity, ..d });
    }

    pub(crate) fn error(&mut self, at: Loc, item: &str, message: impl Into<String>) {
        self.report(Severity::Error, at, item, message.into());
    }

    pub(crate) fn warn(&mut self, at: Loc, item: &str, message: impl Into<String>) {
        self.report(Severity::Warning, at, item, message.into());
    }

    pub(crate) fn has_errors(&self) -> bool {
        self.diags.iter().any(|d| d.severity == Severity::Error)
    }

    /// Byte offset of `inner` (a slice of file `file`'s text).
    pub(crate) fn offset_in(&self, file: usize, inner: &str) -> usize {
        (inner.as_ptr() as usize).saturating_sub(self.files[file].1.as_ptr() as usize)
    }

    /// Turns a `serde_json` error inside the text starting at `base` into a
    /// location and a message without serde's own position suffix.
    pub(crate) fn json_error_loc(
        &self,
        file: usize,
        base: usize,
        err: &serde_json::Error,
    ) -> (Loc, String) {
        let offset = self.files[file]
            .2
            .offset_of_json_pos(base, err.line(), err.column());
        (
            Loc { file, offset },
            crate::io::diagnostic::strip_position(err),
        )
    }
}

/// Reports every key that stands twice in one object of file `file` (from
/// `base`), at the second, naming the first; `true` if any.
pub(crate) fn duplicate_keys_found(ctx: &mut Ctx<'_>, file: usize, base: usize) -> bool {
    let text = ctx.files[file].1.get(base..).unwrap_or_default();
    let found = crate::io::json_keys::duplicate_keys(text, crate::io::MAX_DIAGNOSTICS);
    for d in &found {
        let first = ctx.files[file].2.pos(base + d.first);
        ctx.error(
            Loc {
                file,
                offset: base + d.second,
            },
            &d.path,
            crate::io::json_keys::message(d, first),
        );
    }
    !found.is_empty()
}

/// Reads one item on its own, reporting a failure at its exact position.
pub(crate) fn parse_item<T: DeserializeOwned>(ctx: &mut Ctx<'_>, item: &Item<'_>) -> Option<T> {
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
pub(crate) fn parse_items<'i, 't, T: DeserializeOwned>(
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
pub(crate) fn item_id(raw: &str) -> Option<String> {
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
pub(crate) fn item_label(kind: &str, index: usize, raw: &str) -> String {
    match item_id(raw) {
        Some(id) => format!("{kind} {id}"),
        None => format!("{kind} #{}", index + 1),
    }
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
    build_imported_with(
        label,
        (text, LineIndex::new(text)),
        (manifest, HashMap::new()),
        offsets,
        options,
    )
}

/// [`build_imported`] with the file's line index given: for a file no
/// longer held, `("", positions)`, the positions of the entries' offsets
/// that the importer found while it held the file; with the articles the
/// file carries (by the file names its sources give), if any.
///
/// # Errors
/// Every problem the builder finds.
pub fn build_imported_with<'t>(
    label: &str,
    text_and_lines: (&'t str, LineIndex<'t>),
    (manifest, articles): (Manifest, HashMap<String, Vec<u8>>),
    offsets: &EntryOffsets,
    options: &LoadOptions<'_>,
) -> Result<Loaded, DatasetErrors> {
    let files = crate::io::files::MemFiles {
        label: label.to_owned(),
        files: articles,
    };
    build_entries(label, text_and_lines, manifest, offsets, &files, options)
}

/// Rebuilds a dataset from its typed entries, the document an editor
/// changes: the same checks as a load, the articles read from `articles`
/// and proven again. Diagnostics name the entries and stand at the start of
/// `label` (an edit has no line in a file yet).
///
/// # Errors
/// Every problem the builder finds.
pub fn rebuild(
    label: &str,
    manifest: Manifest,
    articles: &dyn DatasetFiles,
) -> Result<Loaded, DatasetErrors> {
    build_entries(
        label,
        ("", LineIndex::new("")),
        manifest,
        &EntryOffsets::default(),
        articles,
        &LoadOptions::default(),
    )
}

/// The typed entries of a manifest through the builder, each located at its
/// offset in `text` (the file's start when it has none).
fn build_entries<'t>(
    label: &str,
    (text, lines): (&'t str, LineIndex<'t>),
    manifest: Manifest,
    offsets: &EntryOffsets,
    articles: &dyn DatasetFiles,
    options: &LoadOptions<'_>,
) -> Result<Loaded, DatasetErrors> {
    let mut ctx = Ctx {
        files: Vec::new(),
        diags: Vec::new(),
    };
    // Offsets stand in the text, or (a file no longer held) anywhere.
    let len = if text.is_empty() {
        usize::MAX
    } else {
        text.len()
    };
    ctx.files.push((label.to_owned(), text, lines));
    let file = ctx.files.len() - 1;
    // Each item stands for its entry as a tiny JSON object holding its id, so
    // that it is named "event ID" and located at its entry's offset.
    let source_raws = StandIns::of(manifest.sources.iter().map(|e| e.id.as_str()));
    let actor_raws = StandIns::of(manifest.actors.iter().map(|e| e.id.as_str()));
    let place_raws = StandIns::of(manifest.places.iter().map(|e| e.id.as_str()));
    let event_raws = StandIns::of(manifest.events.iter().map(|e| e.id.as_str()));
    let claim_raws = StandIns::of(manifest.claims.iter().map(|e| e.id.as_str()));
    let items = |raws, at, kind| stand_in_items(raws, at, kind, file, len);
    let source_items = items(&source_raws, &[], "source");
    let actor_items = items(&actor_raws, &offsets.actors, "actor");
    let place_items = items(&place_raws, &offsets.places, "place");
    let event_items = items(&event_raws, &offsets.events, "event");
    let claim_items = items(&claim_raws, &[], "claim");
    build_checked(
        &mut ctx,
        articles,
        Entries {
            title: manifest.title,
            description: manifest.description,
            sources: manifest.sources.into_iter().zip(&source_items).collect(),
            actors: manifest.actors.into_iter().zip(&actor_items).collect(),
            places: manifest.places.into_iter().zip(&place_items).collect(),
            events: manifest.events,
            event_items: event_items.iter().collect(),
            claims: manifest.claims.into_iter().zip(&claim_items).collect(),
            eras: manifest.eras,
            eras_at: (file, text, 0),
            dataset_at: Loc { file, offset: 0 },
            broken: HashSet::new(),
        },
        options,
    )
}

/// An event entry waiting to be resolved.
enum Pending {
    /// Every reference found: only what moves into the event is kept.
    Found { body: Body, refs: Refs },
    /// Kept whole (excerpts, links or a reference not found).
    Whole(Box<EventEntry>),
}

/// The first eight bytes of an id, ordered as the id's bytes are.
pub(crate) fn id_prefix(id: &str) -> u64 {
    let mut b = [0u8; 8];
    let n = id.len().min(8);
    b[..n].copy_from_slice(&id.as_bytes()[..n]);
    u64::from_be_bytes(b)
}

/// Stand-ins for typed entries: each its id as a tiny JSON object
/// (`{"id":"…"}`), all of them in one buffer (a million events make one
/// allocation, not a million).
pub(crate) struct StandIns {
    text: String,
    ends: Vec<usize>,
}

impl StandIns {
    pub(crate) fn of<'e>(ids: impl ExactSizeIterator<Item = &'e str>) -> Self {
        let mut ends = Vec::with_capacity(ids.len());
        let mut text = String::new();
        for id in ids {
            text.push_str("{\"id\":");
            // serde_json escapes quotes, backslashes and control characters only.
            if id.bytes().any(|b| b == b'"' || b == b'\\' || b < 0x20) {
                text.push_str(&serde_json::to_string(id).unwrap_or_default());
            } else {
                text.push('"');
                text.push_str(id);
                text.push('"');
            }
            text.push('}');
            ends.push(text.len());
        }
        Self { text, ends }
    }

    fn iter(&self) -> impl Iterator<Item = &str> {
        let starts = std::iter::once(0).chain(self.ends.iter().copied());
        starts
            .zip(self.ends.iter().copied())
            .map(|(a, b)| &self.text[a..b])
    }
}

/// Items standing for imported entries: each its id as JSON, at its offset.
pub(crate) fn stand_in_items<'a>(
    raws: &'a StandIns,
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
pub(crate) struct Entries<'t, 'i> {
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

/// What to say when the events' strings of one column come to more than the
/// event store holds in one arena ([`Events::MAX_COLUMN_BYTES`]); `None`
/// when all fit.
fn oversized_column(columns: &[(&str, usize)]) -> Option<String> {
    columns
        .iter()
        .find(|(_, bytes)| *bytes > Events::MAX_COLUMN_BYTES)
        .map(|(name, bytes)| {
            format!(
                "the events' {name} come to {bytes} bytes, more than the {} bytes mapline keeps in one column: open a part of the file",
                Events::MAX_COLUMN_BYTES
            )
        })
}

/// The events' ids, end to end in one buffer.
struct IdList {
    text: String,
    ends: Vec<usize>,
}

impl IdList {
    /// Takes each entry's id (leaving it empty).
    fn taken_from(entries: &mut [EventEntry]) -> Self {
        let bytes = entries.iter().map(|e| e.id.len()).sum();
        let mut list = Self {
            text: String::with_capacity(bytes),
            ends: Vec::with_capacity(entries.len()),
        };
        for e in entries {
            list.text.push_str(&std::mem::take(&mut e.id));
            list.ends.push(list.text.len());
        }
        list
    }

    fn get(&self, k: usize) -> &str {
        let start = if k == 0 { 0 } else { self.ends[k - 1] };
        self.text.get(start..self.ends[k]).unwrap_or_default()
    }
}

/// The one builder: checks the entries (unique ids, references, coordinates,
/// EDTF times, links, quotes proven against their articles) and builds the
/// dataset, reporting every problem at its item.
pub(crate) fn build_checked<'t>(
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
    // The ids move out of the entries first, so that each entry can give up
    // its title and text (an ACLED note is hundreds of bytes) to its event
    // as it is made, while the ids are looked up.
    let mut events = events;
    // In one buffer: a million small strings kept to the end would pin
    // the pages the entries' titles and notes share with them.
    let ids = IdList::taken_from(&mut events);
    if let Some(p) = progress {
        p.stage("Reading the times", 0);
    }
    // Parsing a million EDTF times is work for every core.
    let parsed: Vec<_> = {
        use rayon::prelude::*;
        events
            .par_iter_mut()
            .with_min_len(4096)
            .map(|e| {
                // A reader that parsed the time already hands over what it means.
                let time = match e.time_bounds.take() {
                    Some(bounds) => Ok(FuzzyTime::from_parts(&e.time, bounds)),
                    None => FuzzyTime::parse(&e.time),
                };
                // The parsed time keeps its text; a bad one's is kept for its error.
                if time.is_ok() {
                    e.time = String::new();
                }
                time
            })
            .collect()
    };
    // The places and actors of each event whose every reference is known,
    // looked up on every core; the rest (and any event with excerpts or
    // links) are resolved one by one below, with their diagnostics.
    let looked_up: Vec<Option<Refs>> = {
        use rayon::prelude::*;
        events
            .par_iter_mut()
            .with_min_len(4096)
            .map(|e| {
                if !e.excerpts.is_empty() || !e.links.is_empty() {
                    return None;
                }
                let places = e
                    .places
                    .iter()
                    .map(|p| {
                        place_ids.get(p.place.as_str()).map(|&i| EventPlace {
                            place: PlaceIdx(i),
                            role: p.role,
                        })
                    })
                    .collect::<Option<Vec<_>>>()?;
                let actors = e
                    .actors
                    .iter()
                    .map(|a| actor_ids.get(a.as_str()).map(|&i| ActorIdx(i)))
                    .collect::<Option<Vec<_>>>()?;
                // Their ids are not needed again: their memory goes now.
                e.places = Vec::new();
                e.actors = Vec::new();
                Some(Refs { places, actors })
            })
            .collect()
    };
    let mut times: Vec<Option<FuzzyTime>> = Vec::with_capacity(events.len());
    for ((entry, item), time) in events.iter().zip(&event_items).zip(parsed) {
        match time {
            Ok(t) => times.push(Some(t)),
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
                times.push(None);
            }
        }
    }
    // Each entry whose references are all found gives up what its event
    // needs and goes (an entry is 336 bytes); the rest stay whole, to be
    // resolved one by one with their diagnostics.
    let mut waiting: Vec<Pending> = events
        .into_iter()
        .zip(looked_up)
        .map(|(mut entry, refs)| match refs {
            Some(refs) => Pending::Found {
                body: Body::take(&mut entry),
                refs,
            },
            None => Pending::Whole(Box::new(entry)),
        })
        .collect();
    if let Some(p) = progress {
        p.stage("Sorting the events by time", 0);
    }
    // By (earliest, latest, id): small keys sorted, ids compared only when
    // their first eight bytes tie; the entry's position breaks a tie of
    // equal ids, as a stable sort would.
    let mut keys: Vec<((i64, i64), u64, u32)> = times
        .iter()
        .enumerate()
        .filter_map(|(k, t)| {
            t.as_ref()
                .map(|time| (time.bounds_key(), id_prefix(ids.get(k)), k as u32))
        })
        .collect();
    {
        use rayon::prelude::*;
        keys.par_sort_unstable_by(|a, b| {
            (a.0, a.1)
                .cmp(&(b.0, b.1))
                .then_with(|| ids.get(a.2 as usize).cmp(ids.get(b.2 as usize)))
                .then(a.2.cmp(&b.2))
        });
    }
    // The entry of each event, in time order.
    let order: Vec<usize> = keys.into_iter().map(|(_, _, k)| k as usize).collect();
    let event_ids = index_ids(
        ctx,
        "event",
        &order
            .iter()
            .map(|&k| (ids.get(k), event_items[k]))
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
    let mut sources_resolved = sources_resolved;
    for ((entry, item), source) in sources.iter().zip(&mut sources_resolved) {
        if let Some(id) = &entry.actor {
            source.actor = resolver.actor(id, item);
        }
    }
    if let Some(p) = progress {
        p.stage("Resolving events", order.len());
    }
    // Each event goes into the columns as soon as it is made, into arenas
    // sized once for all of them.
    let mut events_resolved = Events::with_capacity(order.len(), 0);
    {
        let (mut titles, mut texts, mut notes) = (0, 0, 0);
        // The imported words: group, display date, type words, attribution.
        let mut words = [0usize; 4];
        let len = |s: &Option<String>| s.as_ref().map_or(0, String::len);
        for w in &waiting {
            let (title, text, note, imported) = match w {
                Pending::Found { body, .. } => (
                    &body.title,
                    &body.text,
                    &body.time_note,
                    body.extra
                        .as_deref()
                        .map(|x| [&x.group, &x.display_date, &x.event_type, &x.attribution]),
                ),
                Pending::Whole(entry) => (
                    &entry.title,
                    &entry.text,
                    &entry.time_note,
                    Some([
                        &entry.group,
                        &entry.display_date,
                        &entry.event_type,
                        &entry.attribution,
                    ]),
                ),
            };
            for (n, s) in words.iter_mut().zip(imported.into_iter().flatten()) {
                *n += len(s);
            }
            titles += title.len();
            texts += usize::from(text.is_some());
            notes += len(note);
        }
        let ids_bytes = ids.text.len();
        let columns = [
            ("ids", ids_bytes),
            ("titles", titles),
            ("time notes", notes),
            ("groups", words[0]),
            ("display dates", words[1]),
            ("type words", words[2]),
            ("attributions", words[3]),
        ];
        if let Some(message) = oversized_column(&columns) {
            resolver.ctx.error(dataset_at, "dataset", message);
            let mut errors: Vec<Diagnostic> = std::mem::take(&mut resolver.ctx.diags);
            errors.retain(|d| d.severity == Severity::Error);
            return Err(DatasetErrors(errors));
        }
        events_resolved.reserve_text(ids_bytes, titles, texts, notes);
    }
    let mut unsourced = 0usize;
    // Stands for an entry already let go.
    let blank = EventEntry::default();
    let cancelled = || Err(crate::io::progress::cancelled());
    // Imported data whose every event was looked up ahead (no excerpts, no
    // links, a title each, nothing wrong so far) can say nothing more as it
    // is resolved: it is made in file order, so that each entry's strings go
    // in the order they were read and their memory empties page by page,
    // and then put in time order by one gather of the columns.
    let in_file_order = options.imported_from.is_some()
        && !resolver.ctx.has_errors()
        && order.len() == waiting.len()
        && waiting
            .iter()
            .all(|w| matches!(w, Pending::Found { body, .. } if !body.title.trim().is_empty()));
    if in_file_order {
        for k in 0..waiting.len() {
            let (Some(time), Pending::Found { body, refs }) = (times[k].take(), &mut waiting[k])
            else {
                continue;
            };
            let (body, refs) = (std::mem::take(body), std::mem::take(refs));
            unsourced += 1;
            events_resolved.push_owned(resolve_event(
                &mut resolver,
                (k, time),
                (ids.get(k), &blank),
                (body, Some(refs)),
                event_items[k],
            ));
            if k % 4096 == 0
                && let Some(p) = progress
            {
                if p.is_cancelled() {
                    return cancelled();
                }
                p.set_done(k);
            }
        }
        waiting = Vec::new();
        let order: Vec<u32> = order.iter().map(|&k| k as u32).collect();
        events_resolved = events_resolved.permuted(&order);
    } else {
        for (index, &k) in order.iter().enumerate() {
            let item = event_items[k];
            let Some(time) = times[k].take() else {
                continue;
            };
            let (entry, body, refs) = match &mut waiting[k] {
                Pending::Found { body, refs } => {
                    (&blank, std::mem::take(body), Some(std::mem::take(refs)))
                }
                Pending::Whole(entry) => {
                    let body = Body::take(entry);
                    (&**entry, body, None)
                }
            };
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
            events_resolved.push_owned(resolve_event(
                &mut resolver,
                (index, time),
                (ids.get(k), entry),
                (body, refs),
                item,
            ));
            if index % 4096 == 0
                && let Some(p) = progress
            {
                if p.is_cancelled() {
                    return cancelled();
                }
                p.set_done(index);
            }
        }
    }
    drop(times);
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
    for concern in crate::io::lint::link_concerns(&events_resolved) {
        let k = order[concern.event];
        // Only an event with links has link concerns, and it was kept whole.
        let Pending::Whole(entry) = &waiting[k] else {
            continue;
        };
        let item = event_items[k];
        // Links that failed to resolve were dropped: find the written link by its target.
        let owner = events_resolved.get(EventIdx(concern.event as u32));
        let target = events_resolved.get(owner.links()[concern.link].event).id();
        let n = entry
            .links
            .iter()
            .position(|l| l.event == target)
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

    // The notes on event excerpts, by passage (once the spans are proven).
    let mut excerpt_notes: HashMap<crate::model::Excerpt, String> = HashMap::new();
    for (i, &k) in order.iter().enumerate() {
        if let Some(Pending::Whole(entry)) = waiting.get(k) {
            let proven = events_resolved.get(EventIdx(i as u32)).excerpts();
            for (x, written) in proven.iter().zip(&entry.excerpts) {
                if let Some(note) = &written.note {
                    excerpt_notes.insert(x, note.clone());
                }
            }
        }
    }
    if !ctx.has_errors() {
        let (stances, excerpts) = crate::io::lint::attribution_concerns(crate::io::lint::Parts {
            sources: &sources_resolved,
            actors: &actors_resolved,
            events: &events_resolved,
            claims: &claims_resolved,
            excerpt_notes: &excerpt_notes,
        });
        for (c, k, message) in stances {
            let Some((entry, item)) = claims.get(c) else {
                continue;
            };
            let at = entry.stances.get(k).map_or(item.loc, |s| {
                let before = entry.stances[..k].iter().filter(|o| o.quote == s.quote);
                item.value_loc_nth("stances", &s.quote, before.count())
            });
            ctx.warn(at, &format!("{} stance {}", item.label(), k + 1), message);
        }
        for (i, k, message) in excerpts {
            let Some(&item) = order.get(i).and_then(|&kk| event_items.get(kk)) else {
                continue;
            };
            let kk = order[i];
            let at = match waiting.get(kk) {
                Some(Pending::Whole(entry)) => entry.excerpts.get(k).map_or(item.loc, |x| {
                    let before = entry.excerpts[..k].iter().filter(|o| o.quote == x.quote);
                    item.value_loc_nth("excerpts", &x.quote, before.count())
                }),
                _ => item.loc,
            };
            ctx.warn(at, &format!("{} excerpt {}", item.label(), k + 1), message);
        }
    }
    let eras = resolve_eras(ctx, eras_at.0, eras_at.1, eras_at.2, &eras);
    // What is left of the entries goes before the indexes are built.
    drop(waiting);
    drop(ids);
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
    dataset.excerpt_notes = excerpt_notes;
    Ok(Loaded {
        dataset,
        warnings: std::mem::take(&mut ctx.diags),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_column_past_what_the_store_holds_is_refused_by_name() {
        let fits = [("ids", 10), ("titles", Events::MAX_COLUMN_BYTES)];
        assert_eq!(oversized_column(&fits), None);
        let over = [("ids", 10), ("titles", Events::MAX_COLUMN_BYTES + 1)];
        let said = oversized_column(&over).unwrap_or_default();
        assert!(
            said.starts_with("the events' titles come to 4294967296 bytes"),
            "{said}"
        );
    }
}
