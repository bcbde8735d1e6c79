//! A briefing of what the view shows: the events in the window that the
//! filters let through (narrowed to the selection), the claims about them
//! with every stance's verbatim quote and a numbered citation, and the
//! sources. Written as self-contained HTML ([`html`]) or Markdown
//! ([`markdown`]); both escape every dataset string.
//!
//! The document is built in two steps: [`Brief::new`] decides what goes in
//! (and numbers the citations in reading order), the writers only lay it out.

pub mod html;
pub mod markdown;

use std::collections::HashSet;
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

/// The events a scope shows, in time order.
#[must_use]
pub fn events_of(ds: &Dataset, scope: &Scope<'_>) -> Vec<EventIdx> {
    let mut out: Vec<EventIdx> = ds
        .event_indices()
        .filter(|&e| {
            let in_window = if scope.reported_clock {
                ds.reported_time(e)
                    .is_some_and(|t| scope.rule.admits(&t.bounds(), &scope.window))
            } else {
                scope.rule.admits(&ds.event(e).bounds(), &scope.window)
            };
            in_window && (scope.admits)(e)
        })
        .collect();
    match scope.focus {
        Focus::None => {}
        Focus::Place(p) => out.retain(|&e| ds.event(e).touches(p)),
        Focus::Event(e) => out = vec![e],
    }
    out
}

/// "Asserted by A, B · Denied by C": each side's actors, once each, in
/// the order asserts, suggests, denies, disputes.
fn sides_in_words(stances: &[StanceLine]) -> String {
    let mut parts = Vec::new();
    for word in [
        StanceWord::Asserts,
        StanceWord::Suggests,
        StanceWord::Denies,
        StanceWord::Disputes,
    ] {
        let mut who: Vec<&str> = Vec::new();
        for s in stances.iter().filter(|s| s.current && s.stance == word) {
            if !who.contains(&s.actor.as_str()) {
                who.push(&s.actor);
            }
        }
        if !who.is_empty() {
            let past = word.past();
            let mut verb = past[..1].to_ascii_uppercase();
            verb.push_str(&past[1..]);
            parts.push(format!("{verb} by {}", who.join(", ")));
        }
    }
    parts.join(" · ")
}

/// A day in words ("July 15, 2022").
fn day_words(d: crate::model::Day) -> String {
    FuzzyTime::day(d).display()
}

/// The citation numbers, given in reading order.
struct Citations {
    order: Vec<SourceIdx>,
}

impl Citations {
    fn cite(&mut self, s: SourceIdx) -> usize {
        if let Some(i) = self.order.iter().position(|x| *x == s) {
            i + 1
        } else {
            self.order.push(s);
            self.order.len()
        }
    }
}

impl Brief {
    /// The briefing of `scope` over `ds`.
    #[must_use]
    pub fn new(ds: &Dataset, scope: &Scope<'_>, provenance: Provenance) -> Self {
        let mut events = events_of(ds, scope);
        let more_events = events.len().saturating_sub(MAX_EVENTS);
        events.truncate(MAX_EVENTS);
        let listed: HashSet<EventIdx> = events.iter().copied().collect();
        let whole = ds.time_extent();
        // Stances are judged in the window only when it is narrower than the
        // story (as the reader does).
        let judge_in = whole
            .filter(|w| scope.window.start > w.start || scope.window.end < w.end)
            .map(|_| scope.window);

        // The claims: contested first, then in the order of their first listed event.
        let mut claims: Vec<(usize, &Claim, bool)> = ds
            .claims
            .iter()
            .filter(|c| c.events.iter().any(|e| listed.contains(e)))
            .map(|c| {
                let first = c
                    .events
                    .iter()
                    .filter(|e| listed.contains(e))
                    .map(|e| e.index())
                    .min()
                    .unwrap_or(usize::MAX);
                (first, c, c.is_contested(&ds.sources, judge_in.as_ref()))
            })
            .collect();
        claims.sort_by_key(|(first, _, contested)| (!contested, *first));

        let mut cites = Citations { order: Vec::new() };
        let quote_of = |x: &Excerpt| x.text(&ds.sources).to_owned();

        let event_entries: Vec<EventEntry> = events
            .iter()
            .map(|&e| {
                let ev = ds.event(e);
                let mut time = ev.time().display();
                if let Some(shown) = ev.extra().and_then(crate::model::ExtraRef::display_date)
                    && shown != time
                {
                    let _ = write!(time, " (shown as “{shown}”)");
                }
                let quotes = ev
                    .excerpts()
                    .iter()
                    .map(|x| QuoteLine {
                        quote: quote_of(&x),
                        cite: cites.cite(x.source),
                        outlet: ds.source(x.source).outlet.clone(),
                        note: ds.excerpt_notes.get(&x).cloned(),
                    })
                    .collect();
                let claim_numbers = claims
                    .iter()
                    .enumerate()
                    .filter(|(_, (_, c, _))| c.events.contains(&e))
                    .map(|(i, _)| i + 1)
                    .collect();
                EventEntry {
                    id: ev.id().to_owned(),
                    title: ev.title().to_owned(),
                    time,
                    time_note: ev.time_note().map(str::to_owned),
                    category: ev.category().to_string(),
                    places: ev
                        .places()
                        .iter()
                        .map(|p| format!("{} ({})", ds.place(p.place).name, p.role))
                        .collect(),
                    actors: ev
                        .actors()
                        .iter()
                        .map(|a| ds.actor(*a).name.clone())
                        .collect(),
                    corroboration: ds.corroboration(e),
                    text: ev.text().map(str::to_owned),
                    quotes,
                    claims: claim_numbers,
                }
            })
            .collect();

        let claim_entries: Vec<ClaimEntry> = claims
            .iter()
            .map(|(_, c, contested)| {
                let latest = c.latest_publication(&ds.sources);
                let mut stances: Vec<StanceLine> = c
                    .stances
                    .iter()
                    .map(|s| StanceLine {
                        actor: ds.actor(s.actor).name.clone(),
                        words: s.words(),
                        stance: s.stance,
                        current: s.is_current(judge_in.as_ref(), latest),
                        quote: quote_of(&s.excerpt),
                        cite: cites.cite(s.excerpt.source),
                        outlet: ds.source(s.excerpt.source).outlet.clone(),
                        note: s.note.clone(),
                    })
                    .collect();
                stances.sort_by_key(|s| !s.current);
                let sides = sides_in_words(&stances);
                ClaimEntry {
                    id: c.id.clone(),
                    statement: c.statement.clone(),
                    contested: *contested,
                    about: c
                        .events
                        .iter()
                        .filter(|e| listed.contains(e))
                        .map(|&e| {
                            let ev = ds.event(e);
                            format!("{} ({})", ev.title(), ev.time().display())
                        })
                        .collect(),
                    alleged_origin: c.alleged_origin.map(|p| ds.place(p).name.clone()),
                    sides,
                    stances,
                }
            })
            .collect();

        let sources = cites
            .order
            .iter()
            .enumerate()
            .map(|(i, &s)| {
                let src = ds.source(s);
                SourceEntry {
                    number: i + 1,
                    outlet: src.outlet.clone(),
                    title: src.title.clone(),
                    authors: src.authors.clone(),
                    published: src
                        .published
                        .as_ref()
                        .map_or_else(|| "date unknown".to_owned(), FuzzyTime::display),
                    published_note: src.published_note.clone(),
                    perspective: src.perspective.clone(),
                    url: src.url.clone(),
                    link: src.web_url().map(str::to_owned),
                    file: src.file.clone(),
                    sha256: src.sha256.clone(),
                    licence: src.licence.clone(),
                }
            })
            .collect();

        let rule = match scope.rule {
            WindowRule::Overlaps => "events that overlap it",
            WindowRule::Inside => "events that lie wholly inside it",
        };
        let clock = if scope.reported_clock {
            ", by when they were first reported"
        } else {
            ""
        };
        let span = if judge_in.is_none() {
            "the whole story, "
        } else {
            ""
        };
        let window = format!(
            "{span}{} – {} ({rule}{clock})",
            day_words(scope.window.start),
            day_words(scope.window.end)
        );
        let focus = match scope.focus {
            Focus::None => None,
            Focus::Place(p) => {
                let place = ds.place(p);
                Some(match &place.country {
                    Some(c) if *c != place.name => format!("the place {} ({c})", place.name),
                    _ => format!("the place {}", place.name),
                })
            }
            Focus::Event(e) => Some(format!("the event “{}”", ds.event(e).title())),
        };
        let title = match &focus {
            Some(f) => format!("Briefing: {}, {f}", ds.title),
            None => format!("Briefing: {}", ds.title),
        };
        Self {
            title,
            dataset: ds.title.clone(),
            description: ds.description.clone(),
            provenance,
            window,
            focus,
            filters: scope.filters.clone(),
            events: event_entries,
            more_events,
            claims: claim_entries,
            sources,
        }
    }

    /// The counts in words: "3 events, 4 claims (2 contested), 4 sources".
    #[must_use]
    pub fn counts(&self) -> String {
        let contested = self.claims.iter().filter(|c| c.contested).count();
        let plural =
            |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
        let events = if self.more_events > 0 {
            format!(
                "the first {} of {} events",
                self.events.len(),
                self.events.len() + self.more_events
            )
        } else {
            plural(self.events.len(), "event", "events")
        };
        format!(
            "{events}, {} ({contested} contested), {}",
            plural(self.claims.len(), "claim", "claims"),
            plural(self.sources.len(), "source", "sources"),
        )
    }
}

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
