//! The ways into the builder: the typed entries every reader yields, an
//! importer's entries located by their offsets, and an editor's document
//! rebuilt.

use std::collections::{HashMap, HashSet};

use super::build_checked;
use super::ctx::{Ctx, Item, Loc, Span};
use crate::io::diagnostic::{DatasetErrors, LineIndex};
use crate::io::files::{DatasetFiles, LoadOptions, Loaded};
use crate::io::format::{
    ActorEntry, ClaimEntry, EraEntry, EventEntry, Manifest, PlaceEntry, SourceEntry,
};

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
