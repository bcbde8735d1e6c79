//! Search across everything a dataset says: places with their aliases,
//! actors, event titles, claims, excerpts and the articles' full text.
//!
//! The index keeps an ASCII-lower-cased copy of every text, built once, and
//! each query is one SIMD substring scan (`memchr::memmem`) per text, fast
//! enough to run on every keystroke.

use memchr::memmem;

use super::{ActorIdx, ClaimIdx, Dataset, EventIdx, PlaceIdx, SourceIdx};

/// What a hit points at.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SearchTarget {
    /// A place (by name or alias).
    Place(PlaceIdx),
    /// An actor.
    Actor(ActorIdx),
    /// An event (by title).
    Event(EventIdx),
    /// A claim's statement.
    Claim(ClaimIdx),
    /// A verified excerpt of an event.
    Excerpt(EventIdx, SourceIdx),
    /// A passage of an article: its byte span.
    Article(SourceIdx, std::ops::Range<usize>),
}

impl SearchTarget {
    /// "Place", "Actor", "Event", "Claim", "Excerpt", "Article".
    #[must_use]
    pub fn kind(&self) -> &'static str {
        match self {
            Self::Place(_) => "Place",
            Self::Actor(_) => "Actor",
            Self::Event(_) => "Event",
            Self::Claim(_) => "Claim",
            Self::Excerpt(..) => "Excerpt",
            Self::Article(..) => "Article",
        }
    }
}

/// One hit: what it points at, the text to show, and where the query
/// matches in that text (byte ranges).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SearchHit {
    /// What choosing the hit selects.
    pub target: SearchTarget,
    /// The text shown for it (a snippet for long texts).
    pub text: String,
    /// Byte ranges of `text` that match the query.
    pub matches: Vec<std::ops::Range<usize>>,
}

struct Entry {
    target: SearchTarget,
    shown: String,
}

/// The search index of one dataset.
pub struct SearchIndex {
    entries: Vec<Entry>,
    /// Every entry's lower-cased text, one after another, each followed by a
    /// NUL (which no query contains): one contiguous scan finds them all.
    haystack: Vec<u8>,
    /// Where each entry starts in `haystack`.
    starts: Vec<usize>,
    /// Lower-cased article texts, searched for passages outside excerpts.
    articles: Vec<Vec<u8>>,
}

fn lower(s: &str) -> Vec<u8> {
    s.as_bytes().to_ascii_lowercase()
}

/// The match ranges of `needle` (already lower-cased) in `text`.
fn ranges(text: &str, needle: &[u8]) -> Vec<std::ops::Range<usize>> {
    if needle.is_empty() {
        return Vec::new();
    }
    memmem::find_iter(&lower(text), needle)
        .filter(|&i| text.is_char_boundary(i) && text.is_char_boundary(i + needle.len()))
        .map(|i| i..i + needle.len())
        .collect()
}

/// A window of about `radius` bytes around `at` in `text`, on char boundaries.
fn snippet(text: &str, at: usize, len: usize, radius: usize) -> String {
    let mut start = at.saturating_sub(radius);
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    let mut end = (at + len + radius).min(text.len());
    while !text.is_char_boundary(end) {
        end += 1;
    }
    let mut out = String::new();
    if start > 0 {
        out.push('…');
    }
    out.push_str(&text[start..end].replace(['\n', '\r'], " "));
    if end < text.len() {
        out.push('…');
    }
    out
}

impl SearchIndex {
    /// Builds the index (once per dataset).
    #[must_use]
    pub fn new(ds: &Dataset) -> Self {
        let mut entries = Vec::new();
        // A name is found by any of its aliases too ("Ashraf" finds Manez).
        let with_aliases = |name: &str, aliases: &[String]| {
            if aliases.is_empty() {
                name.to_owned()
            } else {
                format!("{name} (also {})", aliases.join(", "))
            }
        };
        for (i, p) in ds.places.iter().enumerate() {
            entries.push(Entry {
                target: SearchTarget::Place(PlaceIdx(i as u32)),
                shown: with_aliases(&p.name, &p.aliases),
            });
        }
        for (i, a) in ds.actors.iter().enumerate() {
            entries.push(Entry {
                target: SearchTarget::Actor(ActorIdx(i as u32)),
                shown: with_aliases(&a.name, &a.aliases),
            });
        }
        for (i, e) in ds.events.iter().enumerate() {
            entries.push(Entry {
                target: SearchTarget::Event(EventIdx(i as u32)),
                shown: e.title.clone(),
            });
        }
        for (i, c) in ds.claims.iter().enumerate() {
            entries.push(Entry {
                target: SearchTarget::Claim(ClaimIdx(i as u32)),
                shown: c.statement.clone(),
            });
        }
        for (i, e) in ds.events.iter().enumerate() {
            for x in &e.excerpts {
                let text = x.text(&ds.sources).to_owned();
                entries.push(Entry {
                    target: SearchTarget::Excerpt(EventIdx(i as u32), x.source),
                    shown: text,
                });
            }
        }
        let articles = ds.sources.iter().map(|s| lower(&s.text)).collect();
        let mut haystack = Vec::with_capacity(entries.iter().map(|e| e.shown.len() + 1).sum());
        let mut starts = Vec::with_capacity(entries.len());
        for e in &entries {
            starts.push(haystack.len());
            haystack.extend(e.shown.bytes().map(|b| b.to_ascii_lowercase()));
            haystack.push(0);
        }
        Self {
            entries,
            haystack,
            starts,
            articles,
        }
    }

    /// The first `limit` hits for `query` (case-insensitive for ASCII), in
    /// the order places, actors, events, claims, excerpts, article passages.
    #[must_use]
    pub fn search(&self, ds: &Dataset, query: &str, limit: usize) -> Vec<SearchHit> {
        let needle = lower(query.trim());
        if needle.is_empty() {
            return Vec::new();
        }
        let finder = memmem::Finder::new(&needle);
        let mut hits = Vec::new();
        let mut last_entry = None;
        for pos in finder.find_iter(&self.haystack) {
            if hits.len() >= limit {
                return hits;
            }
            // The entry holding this match; one hit per entry.
            let k = self.starts.partition_point(|&s| s <= pos) - 1;
            if last_entry == Some(k) {
                continue;
            }
            last_entry = Some(k);
            let entry = &self.entries[k];
            let at = pos - self.starts[k];
            let text = if entry.shown.len() > 160 {
                snippet(&entry.shown, at, needle.len(), 70)
            } else {
                entry.shown.clone()
            };
            let matches = ranges(&text, &needle);
            hits.push(SearchHit {
                target: entry.target.clone(),
                text,
                matches,
            });
        }
        // Passages of the articles outside the excerpts already listed.
        for (s, article) in self.articles.iter().enumerate() {
            for at in finder.find_iter(article) {
                if hits.len() >= limit {
                    return hits;
                }
                let source = &ds.sources[s];
                if !source.text.is_char_boundary(at)
                    || !source.text.is_char_boundary(at + needle.len())
                {
                    continue;
                }
                let text = snippet(&source.text, at, needle.len(), 70);
                let matches = ranges(&text, &needle);
                hits.push(SearchHit {
                    target: SearchTarget::Article(SourceIdx(s as u32), at..at + needle.len()),
                    text: format!("{}: {text}", source.outlet),
                    matches: matches
                        .into_iter()
                        .map(|r| r.start + source.outlet.len() + 2..r.end + source.outlet.len() + 2)
                        .collect(),
                });
            }
        }
        hits
    }
}
