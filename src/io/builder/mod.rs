//! The one builder: every reader (native, TimelineJS, ACLED, GeoJSON)
//! yields typed entries, each with where it stands in its file, and
//! [`build_checked`] checks them (ids, references, coordinates, EDTF times,
//! links, quotes proven against their articles) and builds the dataset.

use std::collections::{HashMap, HashSet};

use crate::io::diagnostic::{DatasetErrors, Diagnostic, LineIndex, Severity};
use crate::io::format::{
    ActorEntry, ClaimEntry, EraEntry, EventEntry, Manifest, PlaceEntry, SourceEntry,
};
pub(crate) use crate::io::json_at::Step;
use crate::model::{
    Actor, ActorIdx, Claim, Dataset, EventIdx, EventPlace, Events, FuzzyTime, Place, PlaceIdx,
    Source,
};
pub(crate) mod quotes;
pub(crate) mod resolve;
pub(crate) mod stream;

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

/// Where an entry stands: the file it was read from and its bytes there,
/// taken while it was read. An imported row's span is empty at its start
/// (its text is not JSON, or no longer held): what is inside it is then
/// located at the entry.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Span {
    start: usize,
    len: u32,
    file: u32,
}

impl Span {
    /// The bytes `start..end` of file `file` (as the builder's context
    /// numbers them); a span longer than 4 GiB is cut to its start.
    #[must_use]
    pub fn new(file: usize, start: usize, end: usize) -> Self {
        Self {
            start,
            len: u32::try_from(end.saturating_sub(start)).unwrap_or(0),
            file: u32::try_from(file).unwrap_or(u32::MAX),
        }
    }

    /// Only the start of an entry: where it begins in file `file`.
    #[must_use]
    pub fn at(file: usize, start: usize) -> Self {
        Self::new(file, start, start)
    }

    /// Where it starts.
    pub(crate) fn loc(self) -> Loc {
        Loc {
            file: self.file as usize,
            offset: self.start,
        }
    }

    /// Its bytes, as offsets.
    pub(crate) fn range(self) -> std::ops::Range<usize> {
        self.start..self.start + self.len as usize
    }
}

/// One entry as the builder names and locates it: its kind, its typed id,
/// its position in its list and its span.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Item<'e> {
    pub(crate) id: &'e str,
    pub(crate) span: Span,
    pub(crate) kind: &'static str,
    pub(crate) index: usize,
}

impl<'e> Item<'e> {
    pub(crate) fn new(kind: &'static str, index: usize, id: &'e str, span: Span) -> Self {
        Self {
            id,
            span,
            kind,
            index,
        }
    }

    /// `event cyberattack-2022-07-15`, or `event #3` when its id is empty.
    pub(crate) fn label(&self) -> String {
        if self.id.is_empty() {
            format!("{} #{}", self.kind, self.index + 1)
        } else {
            format!("{} {}", self.kind, self.id)
        }
    }

    /// Where the entry starts.
    pub(crate) fn loc(&self) -> Loc {
        self.span.loc()
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

    /// The member `path` leads to inside the text of `span`, found again
    /// from the span (only when a diagnostic needs it).
    fn member(&self, span: Span, path: &[Step]) -> Option<(Loc, Option<Loc>)> {
        let text = self.files.get(span.file as usize)?.1.get(span.range())?;
        let m = crate::io::json_at::find(text, path)?;
        let loc = |at: usize| Loc {
            file: span.file as usize,
            offset: span.start + at,
        };
        Some((loc(m.value), m.key.map(loc)))
    }

    /// Where the value at `path` inside `span` stands (the span's start
    /// when it is not found there).
    pub(crate) fn value_at(&self, span: Span, path: &[Step]) -> Loc {
        self.member(span, path)
            .map_or(span.loc(), |(value, _)| value)
    }

    /// Where the key of the member at `path` inside `span` stands (its
    /// value's, for an element of a list; the span's start when neither is
    /// found).
    pub(crate) fn key_at(&self, span: Span, path: &[Step]) -> Loc {
        self.member(span, path)
            .map_or(span.loc(), |(value, key)| key.unwrap_or(value))
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
    // An imported entry is located at its start: its row or object is not
    // the native JSON that a member's path walks.
    let spans = |n: usize, at: &[usize]| -> Vec<Span> {
        (0..n)
            .map(|i| Span::at(file, at.get(i).copied().unwrap_or(0).min(len)))
            .collect()
    };
    let with_spans = |n: usize, at: &[usize]| spans(n, at).into_iter();
    let sources = with_spans(manifest.sources.len(), &[]);
    let actors = with_spans(manifest.actors.len(), &offsets.actors);
    let places = with_spans(manifest.places.len(), &offsets.places);
    let claims = with_spans(manifest.claims.len(), &[]);
    build_checked(
        &mut ctx,
        articles,
        Entries {
            title: manifest.title,
            description: manifest.description,
            event_spans: spans(manifest.events.len(), &offsets.events),
            sources: manifest.sources.into_iter().zip(sources).collect(),
            actors: manifest.actors.into_iter().zip(actors).collect(),
            places: manifest.places.into_iter().zip(places).collect(),
            events: manifest.events,
            claims: manifest.claims.into_iter().zip(claims).collect(),
            eras: manifest.eras,
            eras_at: Span::at(file, 0),
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

/// The typed entries of a dataset, each with its span: what every reader
/// yields, and what [`build_checked`] checks and builds.
pub(crate) struct Entries {
    /// The dataset's title.
    pub title: String,
    /// Its description.
    pub description: String,
    /// The articles.
    pub sources: Vec<(SourceEntry, Span)>,
    /// Who acts and speaks.
    pub actors: Vec<(ActorEntry, Span)>,
    /// Where.
    pub places: Vec<(PlaceEntry, Span)>,
    /// What happened.
    pub events: Vec<EventEntry>,
    /// The span of each event (apart, so a million imported events are not
    /// moved into a second list beside them).
    pub event_spans: Vec<Span>,
    /// Who says what.
    pub claims: Vec<(ClaimEntry, Span)>,
    /// Named spans of time.
    pub eras: Vec<EraEntry>,
    /// The span of the object whose `eras` list they are (the manifest).
    pub eras_at: Span,
    /// Where a note about the whole dataset is located.
    pub dataset_at: Loc,
    /// Labels of entries that were broken already (reported by their
    /// reader): a reference to one is not reported again.
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

/// What is said of `n` events imported from `format` that cite no
/// verified excerpt (said once, of the dataset).
pub(crate) fn unsourced_note(n: usize, format: &str) -> String {
    format!("{n} event(s) imported from {format} have no verified excerpt; the reader says so")
}

/// The items of one list of entries: each named by its id and located by
/// its span.
pub(crate) fn items_of<'e, E>(
    kind: &'static str,
    entries: &'e [(E, Span)],
    id: impl Fn(&'e E) -> &'e str,
) -> Vec<Item<'e>> {
    entries
        .iter()
        .enumerate()
        .map(|(i, (e, span))| Item::new(kind, i, id(e), *span))
        .collect()
}

/// The one builder: checks the entries (unique ids, references, coordinates,
/// EDTF times, links, quotes proven against their articles) and builds the
/// dataset, reporting every problem at its item.
pub(crate) fn build_checked(
    ctx: &mut Ctx<'_>,
    files: &dyn DatasetFiles,
    entries: Entries,
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
        event_spans,
        claims,
        eras,
        eras_at,
        dataset_at,
        broken,
    } = entries;
    let mut broken = broken;
    // Each entry named by its typed id, located by its span.
    let source_items = items_of("source", &sources, |e| &e.id);
    let actor_items = items_of("actor", &actors, |e| &e.id);
    let place_items = items_of("place", &places, |e| &e.id);
    let claim_items = items_of("claim", &claims, |e| &e.id);
    let source_ids = index_ids(ctx, "source", &source_items);
    let actor_ids = index_ids(ctx, "actor", &actor_items);
    let place_ids = index_ids(ctx, "place", &place_items);
    index_ids(ctx, "claim", &claim_items);

    let sources_resolved: Vec<Source> = sources
        .iter()
        .zip(&source_items)
        .map(|((entry, _), item)| resolve_source(ctx, files, entry, item))
        .collect();
    let actors_resolved: Vec<Actor> = actors.iter().map(|(e, _)| Actor::from(e)).collect();
    let places_resolved: Vec<Place> = places
        .iter()
        .zip(&place_items)
        .map(|((e, _), item)| resolve_place(ctx, e, item))
        .collect();

    // Events in time order (earliest, latest, id): parse times first.
    // The ids move out of the entries first, so that each entry can give up
    // its title and text (an ACLED note is hundreds of bytes) to its event
    // as it is made, while the ids are looked up.
    let mut events = events;
    // In one buffer: a million small strings kept to the end would pin
    // the pages the entries' titles and notes share with them.
    let ids = IdList::taken_from(&mut events);
    // An event is named by its id, kept in `ids` from here on.
    let event_item = |k: usize| Item::new("event", k, ids.get(k), event_spans[k]);
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
    for (k, (entry, time)) in events.iter().zip(parsed).enumerate() {
        match time {
            Ok(t) => times.push(Some(t)),
            Err(e) => {
                let item = event_item(k);
                let at = ctx.value_at(item.span, &[Step::Key("time")]);
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
        &order.iter().map(|&k| event_item(k)).collect::<Vec<_>>(),
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
    for (((entry, _), item), source) in sources.iter().zip(&source_items).zip(&mut sources_resolved)
    {
        if let Some(id) = &entry.actor {
            source.actor = resolver.actor(id, item, &[Step::Key("actor")]);
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
                &event_item(k),
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
            let item = event_item(k);
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
                    let at = resolver.ctx.key_at(item.span, &[Step::Key("id")]);
                    resolver.ctx.warn(
                        at,
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
                &item,
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
        resolver
            .ctx
            .warn(dataset_at, "dataset", unsourced_note(unsourced, format));
    }
    for concern in crate::io::lint::link_concerns(&events_resolved) {
        let k = order[concern.event];
        // Only an event with links has link concerns, and it was kept whole.
        let Pending::Whole(entry) = &waiting[k] else {
            continue;
        };
        let item = event_item(k);
        // Links that failed to resolve were dropped: find the written link by its target.
        let owner = events_resolved.get(EventIdx(concern.event as u32));
        let target = events_resolved.get(owner.links()[concern.link].event).id();
        let n = entry
            .links
            .iter()
            .position(|l| l.event == target)
            .unwrap_or(concern.link);
        let at = resolver.ctx.value_at(
            item.span,
            &[Step::Key("links"), Step::Index(n), Step::Key("event")],
        );
        resolver.ctx.warn(
            at,
            &format!("{} link {}", item.label(), n + 1),
            concern.message,
        );
    }
    let mut claims_resolved: Vec<Claim> = Vec::with_capacity(claims.len());
    for (index, ((entry, _), item)) in claims.iter().zip(&claim_items).enumerate() {
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
            let Some(item) = claim_items.get(c) else {
                continue;
            };
            let path = [Step::Key("stances"), Step::Index(k), Step::Key("quote")];
            let at = ctx.value_at(item.span, &path);
            ctx.warn(at, &format!("{} stance {}", item.label(), k + 1), message);
        }
        for (i, k, message) in excerpts {
            let Some(&kk) = order.get(i) else {
                continue;
            };
            let item = event_item(kk);
            let path = [Step::Key("excerpts"), Step::Index(k), Step::Key("quote")];
            let at = ctx.value_at(item.span, &path);
            ctx.warn(at, &format!("{} excerpt {}", item.label(), k + 1), message);
        }
    }
    let eras = resolve_eras(ctx, eras_at, &eras);
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
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::io::diagnostic::TextPos;
    use crate::io::format::EventPlaceEntry;
    use crate::model::{LocationPrecision, PlaceKind, PlaceRole};

    fn place(id: &str, lat: f64) -> PlaceEntry {
        PlaceEntry {
            id: id.to_owned(),
            name: "Tirana".to_owned(),
            aliases: Vec::new(),
            lon: 19.82,
            lat,
            kind: PlaceKind::City,
            precision: LocationPrecision::City,
            country: None,
            note: None,
        }
    }

    fn event(id: &str, time: &str, place: &str) -> EventEntry {
        EventEntry {
            id: id.to_owned(),
            title: format!("Event {id}"),
            time: time.to_owned(),
            places: vec![EventPlaceEntry {
                place: place.to_owned(),
                role: PlaceRole::Location,
            }],
            ..EventEntry::default()
        }
    }

    /// Entries made in code, with no file text at all: what they hold is
    /// checked by the one builder, and each diagnostic stands where its
    /// entry's span says (a line index made of positions alone).
    #[test]
    fn entries_made_in_code_are_checked_and_located_by_their_spans() {
        let pos = |line, column| TextPos { line, column };
        let positions = LineIndex::from_positions(vec![
            (100, pos(4, 3)),
            (250, pos(9, 3)),
            (400, pos(15, 5)),
            (520, pos(21, 5)),
        ]);
        let mut ctx = Ctx {
            files: vec![("story (made in code)".to_owned(), "", positions)],
            diags: Vec::new(),
        };
        let entries = Entries {
            title: "In code".to_owned(),
            description: String::new(),
            sources: Vec::new(),
            actors: Vec::new(),
            places: vec![
                (place("tirana", 41.33), Span::new(0, 100, 180)),
                (place("tirana", 141.0), Span::new(0, 250, 330)),
            ],
            events: vec![
                event("a", "2022-07-15", "tirana"),
                event("b", "2022-13-40", "durres"),
                event("c", "2022-09", "tiran"),
            ],
            event_spans: vec![Span::at(0, 400), Span::at(0, 520), Span::at(0, 600)],
            claims: Vec::new(),
            eras: Vec::new(),
            eras_at: Span::at(0, 0),
            dataset_at: Loc { file: 0, offset: 0 },
            broken: HashSet::new(),
        };
        let options = LoadOptions {
            progress: None,
            imported_from: Some("code"),
        };
        let Err(errors) = build_checked(
            &mut ctx,
            &crate::io::files::MemFiles {
                label: "story".to_owned(),
                files: HashMap::new(),
            },
            entries,
            &options,
        ) else {
            panic!("a duplicate id, a bad latitude, a bad time and unknown places are errors");
        };
        let said: Vec<(String, usize, usize, String)> = errors
            .0
            .iter()
            .map(|d| (d.item.clone(), d.line, d.column, d.message.clone()))
            .collect();
        let has = |item: &str, line: usize, column: usize, start: &str| {
            said.iter()
                .any(|(i, l, c, m)| i == item && *l == line && *c == column && m.starts_with(start))
        };
        assert!(
            has(
                "place tirana",
                9,
                3,
                "duplicate place id \"tirana\" (first defined at line 4)"
            ),
            "{said:#?}"
        );
        assert!(
            has("place tirana", 9, 3, "latitude 141 is outside -90..90"),
            "{said:#?}"
        );
        assert!(has("event b", 21, 5, "time \"2022-13-40\""), "{said:#?}");
        // The last span carries on from the last position known before it.
        assert!(
            has(
                "event c",
                21,
                5,
                "unknown place id \"tiran\" (did you mean \"tirana\"?)"
            ),
            "{said:#?}"
        );
        assert_eq!(said.len(), 4, "{said:#?}");
    }

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
