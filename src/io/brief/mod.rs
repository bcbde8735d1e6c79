//! A briefing of what the view shows: the events in the window that the
//! filters let through (narrowed to the selection), the claims about them
//! with every stance's verbatim quote and a numbered citation, and the
//! sources. Written as self-contained HTML ([`html`]) or Markdown
//! ([`markdown`]); both escape every dataset string.
//!
//! The document is built in two steps: [`Brief::new`] decides what goes in
//! (and numbers the citations in reading order), the writers only lay it out.

mod compose;
pub mod html;
pub mod markdown;

pub use compose::events_of;

use std::fmt::Write as _;

use crate::model::{
    Claim, Dataset, EventIdx, Excerpt, FuzzyTime, PlaceIdx, SourceIdx, StanceWord, TimeWindow,
    WindowRule,
};

/// What the view is narrowed to.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Focus {
    /// Nothing selected: every event in the window.
    #[default]
    None,
    /// A place: its events in the window.
    Place(PlaceIdx),
    /// One event.
    Event(EventIdx),
}

/// The view a briefing is made of.
pub struct Scope<'a> {
    /// The time window.
    pub window: TimeWindow,
    /// Which events count as in it.
    pub rule: WindowRule,
    /// Windows by when events were first reported rather than when they happened.
    pub reported_clock: bool,
    /// The selection.
    pub focus: Focus,
    /// The filters in words ("without Tehran Times"), empty for none.
    pub filters: Vec<String>,
    /// Does the event pass the filters?
    pub admits: &'a dyn Fn(EventIdx) -> bool,
}

impl Scope<'_> {
    /// The whole story, nothing selected or filtered (the window covers the
    /// dataset's time extent).
    #[must_use]
    pub fn whole(ds: &Dataset) -> Scope<'static> {
        Scope {
            window: ds
                .time_extent()
                .unwrap_or_else(|| TimeWindow::new(crate::model::Day(0), crate::model::Day(0))),
            rule: WindowRule::Overlaps,
            reported_clock: false,
            focus: Focus::None,
            filters: Vec::new(),
            admits: &|_| true,
        }
    }
}

/// Where and when the briefing was made.
#[derive(Clone, Debug)]
pub struct Provenance {
    /// When, in words with its offset ("2026-12-03 15:02 +00:00").
    pub made_at: String,
    /// The dataset it was made from: a path, or "the embedded dataset".
    pub origin: String,
}

impl Provenance {
    /// Now, from `origin`.
    #[must_use]
    pub fn now(origin: String) -> Self {
        Self {
            made_at: chrono::Local::now()
                .format("%Y-%m-%d %H:%M %:z")
                .to_string(),
            origin,
        }
    }
}

/// The map and the strip as PNG files' bytes.
#[derive(Clone, Debug, Default)]
pub struct Pictures {
    /// The map.
    pub map: Option<Picture>,
    /// The time strip.
    pub strip: Option<Picture>,
}

/// One PNG picture.
#[derive(Clone, Debug)]
pub struct Picture {
    /// The PNG file's bytes.
    pub png: Vec<u8>,
    /// Its size in pixels.
    pub size: [u32; 2],
    /// Its size on the page, in CSS pixels (the PNG is drawn at a higher density).
    pub display_size: [u32; 2],
}

/// One stance on a claim, ready to print.
#[derive(Clone, Debug)]
pub struct StanceLine {
    /// Who.
    pub actor: String,
    /// The stance and its time ("asserts", "asserted until 2012").
    pub words: String,
    /// Which side.
    pub stance: StanceWord,
    /// Still held in the window?
    pub current: bool,
    /// The verbatim quote, exactly as the article has it.
    pub quote: String,
    /// The citation.
    pub cite: usize,
    /// The outlet that carries the quote.
    pub outlet: String,
    /// Why the attribution lints do not apply, if the dataset says.
    pub note: Option<String>,
}

/// A claim, ready to print.
#[derive(Clone, Debug)]
pub struct ClaimEntry {
    /// Its id.
    pub id: String,
    /// The statement.
    pub statement: String,
    /// Contested in the window.
    pub contested: bool,
    /// The events it is about that the briefing lists (time, title).
    pub about: Vec<String>,
    /// The place it says an act came from (a claim, never a fact).
    pub alleged_origin: Option<String>,
    /// Who takes which side, in words: "Asserted by Albania, the US ·
    /// Denied by Iran" (stances still held only).
    pub sides: String,
    /// Its stances, those still held first.
    pub stances: Vec<StanceLine>,
}

/// A quote behind an event.
#[derive(Clone, Debug)]
pub struct QuoteLine {
    /// Exactly as the article has it.
    pub quote: String,
    /// The citation.
    pub cite: usize,
    /// The outlet.
    pub outlet: String,
    /// The dataset's note on the passage, if any.
    pub note: Option<String>,
}

/// An event, ready to print.
#[derive(Clone, Debug)]
pub struct EventEntry {
    /// Its id.
    pub id: String,
    /// Its title.
    pub title: String,
    /// Its time as the sources give it ("July 2022", "September 7, 2022").
    pub time: String,
    /// How the time was established, if the dataset says.
    pub time_note: Option<String>,
    /// Its category.
    pub category: String,
    /// Its places with their roles ("Tirana (target)").
    pub places: Vec<String>,
    /// Its actors.
    pub actors: Vec<String>,
    /// Which outlets report it, in words.
    pub corroboration: String,
    /// Its description, if any.
    pub text: Option<String>,
    /// The quotes behind it.
    pub quotes: Vec<QuoteLine>,
    /// The numbers (1-based, in the claims section) of the claims about it.
    pub claims: Vec<usize>,
}

/// A source in the closing list.
#[derive(Clone, Debug)]
pub struct SourceEntry {
    /// Its citation number.
    pub number: usize,
    /// The outlet.
    pub outlet: String,
    /// The headline (or the dataset's bracketed description).
    pub title: String,
    /// Its authors.
    pub authors: Vec<String>,
    /// When it was published, in words, or "date unknown".
    pub published: String,
    /// How that date was established.
    pub published_note: Option<String>,
    /// Its perspective tag.
    pub perspective: String,
    /// Its web address as the dataset gives it.
    pub url: Option<String>,
    /// The address again when it is one that may be linked (http or https).
    pub link: Option<String>,
    /// The article file in the dataset and its SHA-256.
    pub file: String,
    /// Its SHA-256.
    pub sha256: String,
    /// Its licence note.
    pub licence: String,
}

/// Everything a briefing holds.
#[derive(Clone, Debug)]
pub struct Brief {
    /// The document's title.
    pub title: String,
    /// The dataset's title.
    pub dataset: String,
    /// The dataset's description.
    pub description: String,
    /// Where and when.
    pub provenance: Provenance,
    /// The window in words ("July 15, 2022 – September 7, 2022, events that overlap it").
    pub window: String,
    /// The selection in words, if any.
    pub focus: Option<String>,
    /// The filters in words.
    pub filters: Vec<String>,
    /// The events, in time order (at most [`MAX_EVENTS`]).
    pub events: Vec<EventEntry>,
    /// How many more events the view holds than the briefing lists.
    pub more_events: usize,
    /// The claims, contested first.
    pub claims: Vec<ClaimEntry>,
    /// The cited sources, by citation number.
    pub sources: Vec<SourceEntry>,
}

/// The most events a briefing lists: a document for a person, not a data
/// export (the view's first ones in time order; the rest are counted).
pub const MAX_EVENTS: usize = 500;

/// Bidirectional embeddings, overrides and isolates: a string holding one
/// could make the text after it (a citation, an outlet's name) read in
/// another order. The briefing shows them as visible code points; marks
/// (LRM, RLM, ALM) and joiners, which scripts need, stay.
#[must_use]
pub fn is_bidi_override(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// `s` with each bidi override written as a visible `[U+202E]`.
#[must_use]
pub fn show_overrides(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.chars().any(is_bidi_override) {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        if is_bidi_override(c) {
            let _ = write!(out, "[U+{:04X}]", c as u32);
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

/// The kind of document a path asks for, from its extension.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BriefFormat {
    /// `.html` or `.htm`: one self-contained file.
    Html,
    /// `.md` or `.markdown`: the text, with the pictures beside it.
    Markdown,
}

impl BriefFormat {
    /// The format `path`'s extension names, if it names one.
    #[must_use]
    pub fn of(path: &std::path::Path) -> Option<Self> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "html" | "htm" => Some(Self::Html),
            "md" | "markdown" => Some(Self::Markdown),
            _ => None,
        }
    }
}

/// Writes the briefing to `out` (HTML or Markdown, by its extension), each
/// file atomically; for Markdown the pictures go beside it as
/// `STEM-map.png` and `STEM-strip.png`. Returns the files written.
///
/// # Errors
/// An extension that names no format, or a write that failed.
pub fn write_files(
    brief: &Brief,
    pictures: &Pictures,
    out: &std::path::Path,
) -> std::io::Result<Vec<std::path::PathBuf>> {
    let format = BriefFormat::of(out).ok_or_else(|| {
        std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            format!("{}: a briefing is written as .html or .md", out.display()),
        )
    })?;
    match format {
        BriefFormat::Html => {
            crate::io::atomic::write_atomic(out, html::write(brief, pictures).as_bytes())?;
            Ok(vec![out.to_path_buf()])
        }
        BriefFormat::Markdown => {
            let stem = out
                .file_stem()
                .and_then(|s| s.to_str())
                .unwrap_or("briefing")
                .to_owned();
            let mut written = Vec::new();
            let mut names: [Option<String>; 2] = [None, None];
            for (i, (pic, which)) in [(&pictures.map, "map"), (&pictures.strip, "strip")]
                .into_iter()
                .enumerate()
            {
                if let Some(p) = pic {
                    let name = format!("{stem}-{which}.png");
                    let path = out.with_file_name(&name);
                    crate::io::atomic::write_atomic(&path, &p.png)?;
                    written.push(path);
                    names[i] = Some(name);
                }
            }
            let text = markdown::write(brief, [names[0].as_deref(), names[1].as_deref()]);
            crate::io::atomic::write_atomic(out, text.as_bytes())?;
            written.insert(0, out.to_path_buf());
            Ok(written)
        }
    }
}
