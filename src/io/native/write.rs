//! Native export: the view as a dataset folder (`dataset.json` and
//! `sources/*.txt`) that `mapline` opens again.
//!
//! - Sources: those the view's excerpts and kept claims quote, with their
//!   full text and a fresh SHA-256.
//! - Places and actors: those the view's events (and kept claims) use.
//!   A view of every event is a copy: all sources, actors and places are kept.
//! - Events: the view's, each quote written as the verbatim text of its
//!   excerpt's span, with the `occurrence` that makes the loader resolve it to
//!   the same span; links to events outside the view are dropped; imported
//!   fields (media, group, …) are kept.
//! - Claims: kept when at least one of their events is in the view, with only
//!   the events in the view (a claim about no event at all is kept only when
//!   the view is the whole dataset); others are dropped.
//! - Eras: all kept.
//!
//! The folder is written into a temporary folder beside `out`, loaded again
//! to prove it, and only then renamed into place. An existing `out` is
//! replaced only when it is an empty folder or a mapline dataset.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::io;
use std::path::{Component, Path};

use sha2::{Digest as _, Sha256};

use crate::io::atomic::write_atomic;
use crate::io::format::{
    ActorEntry, ClaimEntry, EraEntry, EventEntry, EventPlaceEntry, ExcerptEntry, LinkEntry,
    Manifest, MediaEntry, PlaceEntry, SourceEntry, StanceEntry, TimelineJsDates,
};
use crate::io::native::{MANIFEST, load_dir};
use crate::io::quote::{FoldedText, QuoteQuery, QuoteResult, find_quotes, fold_quote};
use crate::io::view::{ExportSummary, View};
use crate::model::{
    ActorIdx, Claim, Dataset, EventIdx, EventRef, Excerpt, ExcerptSpan, ExtraRef, PlaceIdx,
    SourceIdx,
};

/// Views with more events than this write them to `events.jsonl`.
const INLINE_EVENTS: usize = 10_000;

/// Writes the view as a native dataset folder at `out`.
///
/// # Errors
/// An I/O error, `out` being a file or a folder that is not a mapline
/// dataset, or the written dataset failing to load again; `out` is then left
/// as it was and nothing else is left behind.
pub fn write(view: &View<'_>, out: &Path) -> io::Result<ExportSummary> {
    check_target(out)?;
    let (manifest, files) = build(view)?;
    let places = manifest.places.len();
    let parent = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let tmp = tempfile::Builder::new()
        .prefix(".mapline-export-")
        .tempdir_in(parent)?;
    for (rel, bytes) in &files {
        let path = tmp.path().join(rel);
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        write_atomic(&path, bytes)?;
    }
    load_dir(tmp.path()).map_err(|e| {
        io::Error::other(format!(
            "the exported dataset does not load again, so it was not written: {e}"
        ))
    })?;
    open_permissions(tmp.path())?;
    replace(tmp, out, parent)?;
    Ok(ExportSummary {
        events: view.events.len(),
        places,
    })
}

/// Refuses an `out` that must not be replaced.
fn check_target(out: &Path) -> io::Result<()> {
    let meta = match std::fs::symlink_metadata(out) {
        Ok(m) => m,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(e),
    };
    let refuse = |why: &str| {
        Err(io::Error::new(
            io::ErrorKind::AlreadyExists,
            format!("{} {why}; nothing was written", out.display()),
        ))
    };
    if meta.file_type().is_symlink() {
        return refuse("is a symbolic link; export the dataset to a new folder");
    }
    if !meta.is_dir() {
        return refuse("is a file; a native export writes a folder");
    }
    if std::fs::read_dir(out)?.next().is_none() {
        return Ok(());
    }
    if !is_mapline_dataset(out) {
        return refuse(
            "is a folder that is not a mapline dataset (no dataset.json with sources and places); it is not replaced",
        );
    }
    if let Some(other) = foreign_file(out)? {
        return refuse(&format!(
            "holds {other}, which is not part of a mapline dataset; the folder is not replaced, so nothing in it is lost"
        ));
    }
    Ok(())
}

/// The first entry of a dataset folder that an export would not write
/// again (anything but the manifest, an events file and `sources/*.txt`).
fn foreign_file(dir: &Path) -> io::Result<Option<String>> {
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let name = entry.file_name().to_string_lossy().into_owned();
        let kind = entry.file_type()?;
        match name.as_str() {
            MANIFEST | "events.jsonl" if kind.is_file() => {}
            "sources" if kind.is_dir() => {
                for source in std::fs::read_dir(entry.path())? {
                    let source = source?;
                    let file = source.file_name().to_string_lossy().into_owned();
                    if !(source.file_type()?.is_file()
                        && std::path::Path::new(&file)
                            .extension()
                            .is_some_and(|e| e == "txt"))
                    {
                        return Ok(Some(format!("sources/{file}")));
                    }
                }
            }
            _ => return Ok(Some(name)),
        }
    }
    Ok(None)
}

/// Does `dir` hold a mapline manifest?
fn is_mapline_dataset(dir: &Path) -> bool {
    #[derive(serde::Deserialize)]
    struct Probe {
        #[allow(dead_code)]
        sources: serde::de::IgnoredAny,
        #[allow(dead_code)]
        places: serde::de::IgnoredAny,
    }
    std::fs::read(dir.join(MANIFEST))
        .ok()
        .and_then(|bytes| serde_json::from_slice::<Probe>(&bytes).ok())
        .is_some()
}

/// Folders made by `tempfile` are private; a dataset folder is not.
fn open_permissions(dir: &Path) -> io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o755))?;
        let sources = dir.join("sources");
        if sources.is_dir() {
            std::fs::set_permissions(&sources, std::fs::Permissions::from_mode(0o755))?;
        }
    }
    #[cfg(not(unix))]
    let _ = dir;
    Ok(())
}

/// Renames the finished folder to `out`; an existing `out` is moved aside
/// first, put back if the rename fails, and deleted once it succeeded.
fn replace(tmp: tempfile::TempDir, out: &Path, parent: &Path) -> io::Result<()> {
    if std::fs::symlink_metadata(out).is_err() {
        std::fs::rename(tmp.path(), out)?;
        let _ = tmp.keep();
        return Ok(());
    }
    let aside = tempfile::Builder::new()
        .prefix(".mapline-old-")
        .tempdir_in(parent)?;
    let old = aside.path().join("old");
    std::fs::rename(out, &old)?;
    if let Err(e) = std::fs::rename(tmp.path(), out) {
        std::fs::rename(&old, out)?;
        return Err(e);
    }
    let _ = tmp.keep();
    // Dropping `aside` deletes the old dataset.
    drop(aside);
    Ok(())
}

/// The files of a dataset folder: relative path, bytes.
type Files = Vec<(String, Vec<u8>)>;

/// The manifest and every file of the folder.
fn build(view: &View<'_>) -> io::Result<(Manifest, Files)> {
    let ds = view.dataset;
    let in_view: HashSet<EventIdx> = view.events.iter().copied().collect();
    let whole = in_view.len() == ds.events.len();
    let claims: Vec<(&Claim, Vec<EventIdx>)> = ds
        .claims
        .iter()
        .filter_map(|c| {
            let events: Vec<EventIdx> = c
                .events
                .iter()
                .copied()
                .filter(|e| in_view.contains(e))
                .collect();
            let keep = !events.is_empty() || (c.events.is_empty() && whole);
            keep.then_some((c, events))
        })
        .collect();

    let mut source_set: BTreeSet<SourceIdx> = BTreeSet::new();
    let mut actor_set: BTreeSet<ActorIdx> = BTreeSet::new();
    let mut place_set: BTreeSet<PlaceIdx> = view.places().into_iter().collect();
    if whole {
        // A view of every event is a copy: keep what no event uses, too.
        source_set.extend((0..ds.sources.len() as u32).map(SourceIdx));
        actor_set.extend((0..ds.actors.len() as u32).map(ActorIdx));
        place_set.extend((0..ds.places.len() as u32).map(PlaceIdx));
    }
    let mut excerpts: Vec<Excerpt> = Vec::new();
    for &e in view.events {
        let event = ds.event(e);
        actor_set.extend(event.actors().iter().copied());
        source_set.extend(event.excerpts().iter().map(|x| x.source));
        excerpts.extend(event.excerpts().iter());
    }
    for (c, _) in &claims {
        place_set.extend(c.alleged_origin);
        for s in &c.stances {
            actor_set.insert(s.actor);
            source_set.insert(s.excerpt.source);
            excerpts.push(s.excerpt);
        }
    }
    // The outlets' own actors go with their sources.
    actor_set.extend(source_set.iter().filter_map(|&s| ds.source(s).actor));
    let occurrences = occurrences(ds, &excerpts);
    let quote = |x: &Excerpt| -> (String, Option<usize>) {
        let text = x.text(&ds.sources).to_owned();
        let n = occurrences
            .get(&(x.source, x.span().start, x.span().end))
            .copied();
        (text, n.filter(|&n| n > 1))
    };

    let mut files: Files = Vec::new();
    let mut used_files: HashSet<String> = HashSet::new();
    let mut sources: Vec<SourceEntry> = Vec::with_capacity(source_set.len());
    for &s in &source_set {
        let src = ds.source(s);
        let file = source_file(&src.file, &src.id, &mut used_files);
        let bytes = src.text.as_bytes().to_vec();
        let sha256 = format!("{:x}", Sha256::digest(&bytes));
        sources.push(source_entry(ds, src, file.clone(), sha256));
        files.push((file, bytes));
    }
    let actors: Vec<ActorEntry> = actor_set
        .iter()
        .map(|&a| ActorEntry::from(ds.actor(a)))
        .collect();
    let places: Vec<PlaceEntry> = place_set
        .iter()
        .map(|&p| PlaceEntry::from(ds.place(p)))
        .collect();
    let events: Vec<EventEntry> = view
        .events
        .iter()
        .map(|&e| event_entry(ds, ds.event(e), &in_view, &quote))
        .collect();
    let claims: Vec<ClaimEntry> = claims
        .iter()
        .map(|(c, events)| claim_entry(ds, c, events, &quote))
        .collect();
    let eras: Vec<EraEntry> = ds
        .eras
        .iter()
        .map(|e| EraEntry {
            title: e.title.clone(),
            time: e.time.edtf().to_owned(),
            text: e.text.clone(),
        })
        .collect();
    let mut manifest = Manifest {
        schema: None,
        title: ds.title.clone(),
        description: ds.description.clone(),
        sources,
        actors,
        places,
        events: Vec::new(),
        events_file: None,
        claims,
        eras,
    };
    if events.len() > INLINE_EVENTS {
        let mut lines: Vec<u8> = Vec::with_capacity(events.len() * 300);
        for e in &events {
            serde_json::to_writer(&mut lines, e).map_err(io::Error::other)?;
            lines.push(b'\n');
        }
        manifest.events_file = Some("events.jsonl".to_owned());
        files.push(("events.jsonl".to_owned(), lines));
    } else {
        manifest.events = events;
    }
    let json = serde_json::to_vec_pretty(&manifest).map_err(io::Error::other)?;
    files.push((MANIFEST.to_owned(), json));
    Ok((manifest, files))
}

fn event_entry(
    ds: &Dataset,
    e: EventRef<'_>,
    in_view: &HashSet<EventIdx>,
    quote: &impl Fn(&Excerpt) -> (String, Option<usize>),
) -> EventEntry {
    let extra = e.extra();
    EventEntry {
        id: e.id().to_owned(),
        title: e.title().to_owned(),
        time: e.time().edtf().to_owned(),
        time_bounds: Some(e.time().bounds()),
        time_note: e.time_note().map(str::to_owned),
        category: e.category(),
        places: e
            .places()
            .iter()
            .map(|p| EventPlaceEntry {
                place: ds.place(p.place).id.clone(),
                role: p.role,
            })
            .collect(),
        actors: e.actors().iter().map(|&a| ds.actor(a).id.clone()).collect(),
        excerpts: e
            .excerpts()
            .iter()
            .map(|x| {
                let (quote, occurrence) = quote(&x);
                ExcerptEntry {
                    source: ds.source(x.source).id.clone(),
                    quote,
                    occurrence,
                    note: ds.excerpt_notes.get(&x).cloned(),
                }
            })
            .collect(),
        text: e.text().map(str::to_owned),
        links: e
            .links()
            .iter()
            .filter(|l| in_view.contains(&l.event))
            .map(|l| LinkEntry {
                relation: l.relation,
                event: ds.event(l.event).id().to_owned(),
            })
            .collect(),
        media: extra
            .and_then(ExtraRef::media)
            .map(|m| MediaEntry {
                url: m.url.clone(),
                caption: m.caption.clone(),
                credit: m.credit.clone(),
            })
            .map(Box::new),
        group: extra.and_then(|x| x.group().map(str::to_owned)),
        display_date: extra.and_then(|x| x.display_date().map(str::to_owned)),
        event_type: extra.and_then(|x| x.event_type().map(str::to_owned)),
        attribution: extra.and_then(|x| x.attribution().map(str::to_owned)),
        timelinejs: extra
            .and_then(ExtraRef::timelinejs_dates)
            .map(|(start, end)| TimelineJsDates {
                start_date: start.clone(),
                end_date: end.clone(),
            })
            .map(Box::new),
    }
}

/// Where a source's text goes: `sources/` and its original file name when
/// that is a plain, unused name; `sources/<id>.txt` otherwise.
fn source_file(original: &str, id: &str, used: &mut HashSet<String>) -> String {
    let name = Path::new(original)
        .components()
        .next_back()
        .and_then(|c| match c {
            Component::Normal(n) => n.to_str(),
            _ => None,
        })
        .filter(|n| !n.starts_with('.'));
    if let Some(name) = name {
        let file = format!("sources/{name}");
        if used.insert(file.clone()) {
            return file;
        }
    }
    let stem: String = id
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect();
    let stem = if stem.is_empty() {
        "source".to_owned()
    } else {
        stem
    };
    let mut n = 1usize;
    loop {
        let file = if n == 1 {
            format!("sources/{stem}.txt")
        } else {
            format!("sources/{stem}-{n}.txt")
        };
        if used.insert(file.clone()) {
            return file;
        }
        n += 1;
    }
}

/// The entry of a source whose article is written as `file` with `sha256`.
pub(crate) fn source_entry(
    ds: &Dataset,
    src: &crate::model::Source,
    file: String,
    sha256: String,
) -> SourceEntry {
    SourceEntry {
        id: src.id.clone(),
        outlet: src.outlet.clone(),
        title: src.title.clone(),
        authors: src.authors.clone(),
        published: src.published.as_ref().map(|t| t.edtf().to_owned()),
        published_note: src.published_note.clone(),
        perspective: src.perspective.clone(),
        actor: src.actor.map(|a| ds.actor(a).id.clone()),
        url: src.url.clone(),
        licence: src.licence.clone(),
        file,
        sha256,
    }
}

/// The entry of a claim about `events`; `quote` gives each stance's quote
/// and the occurrence to write with it.
pub(crate) fn claim_entry(
    ds: &Dataset,
    c: &Claim,
    events: &[EventIdx],
    quote: &dyn Fn(&Excerpt) -> (String, Option<usize>),
) -> ClaimEntry {
    ClaimEntry {
        id: c.id.clone(),
        statement: c.statement.clone(),
        events: events
            .iter()
            .map(|&e| ds.event(e).id().to_owned())
            .collect(),
        alleged_origin: c.alleged_origin.map(|p| ds.place(p).id.clone()),
        stances: c
            .stances
            .iter()
            .map(|s| {
                let (quote, occurrence) = quote(&s.excerpt);
                StanceEntry {
                    actor: ds.actor(s.actor).id.clone(),
                    stance: s.stance,
                    source: ds.source(s.excerpt.source).id.clone(),
                    quote,
                    occurrence,
                    time: s.time.as_ref().map(|t| t.edtf().to_owned()),
                    note: s.note.clone(),
                }
            })
            .collect(),
    }
}

/// For every excerpt whose quote stands more than once in its article, the
/// occurrence (1-based) its span is, keyed by (source, span start, span end).
/// All the quotes of one article are looked up together.
pub(crate) fn occurrences(
    ds: &Dataset,
    excerpts: &[Excerpt],
) -> HashMap<(SourceIdx, usize, usize), usize> {
    let mut by_source: HashMap<SourceIdx, BTreeSet<String>> = HashMap::new();
    for x in excerpts {
        by_source
            .entry(x.source)
            .or_default()
            .insert(fold_quote(x.text(&ds.sources)));
    }
    let mut out = HashMap::new();
    for (source, quotes) in by_source {
        let folded = FoldedText::new(&ds.source(source).text);
        let firsts: Vec<QuoteQuery> = quotes
            .iter()
            .map(|q| QuoteQuery {
                folded: q.clone(),
                occurrence: 1,
            })
            .collect();
        let mut again: Vec<QuoteQuery> = Vec::new();
        for (q, result) in quotes.iter().zip(find_quotes(&folded, &firsts)) {
            if let QuoteResult::Found { count, .. } = result
                && count > 1
            {
                again.extend((1..=count).map(|occurrence| QuoteQuery {
                    folded: q.clone(),
                    occurrence,
                }));
            }
        }
        for (q, result) in again.iter().zip(find_quotes(&folded, &again)) {
            if let QuoteResult::Found {
                span: ExcerptSpan { start, end },
                ..
            } = result
            {
                out.insert((source, start, end), q.occurrence);
            }
        }
    }
    out
}
