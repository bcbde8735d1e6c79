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

/// The excerpts of one article, sorted by where they start, for finding
/// the excerpts a match in the article lies inside.
#[derive(Default)]
struct ArticleExcerpts {
    /// (start, end, event) byte spans; an article is at most 512 MiB, so
    /// offsets fit in `u32`.
    spans: Vec<(u32, u32, EventIdx)>,
    /// The longest span: no excerpt starting further back can hold a match.
    longest: u32,
}

/// The search index of one dataset.
///
/// It holds no copy of what it finds: the names, titles and statements are
/// kept once, lower-cased, in one haystack, and the excerpts are found
/// through the (lower-cased) articles they are spans of, so a million
/// events cost tens of megabytes, not hundreds.
pub struct SearchIndex {
    /// Where the places, actors, events and claims end among the entries.
    ends: [usize; 4],
    /// Every name (with aliases), title and statement lower-cased, one after
    /// another, each followed by a NUL (which no query contains): one
    /// contiguous scan finds them all.
    haystack: Vec<u8>,
    /// Where each entry starts in `haystack`.
    starts: Vec<usize>,
    /// Lower-cased article texts (ASCII lower-casing keeps byte offsets).
    articles: Vec<Vec<u8>>,
    /// Per article: its excerpts.
    excerpts: Vec<ArticleExcerpts>,
}

/// A name as the search shows it: with its aliases ("Ashraf" finds Manez).
fn with_aliases(name: &str, aliases: &[String]) -> String {
    if aliases.is_empty() {
        name.to_owned()
    } else {
        format!("{name} (also {})", aliases.join(", "))
    }
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

/// A hit on `target` whose text `shown` matches at byte `at`: a snippet
/// around the match when the text is long.
fn hit(target: SearchTarget, shown: &str, at: usize, needle: &[u8]) -> SearchHit {
    let text = if shown.len() > 160 {
        snippet(shown, at, needle.len(), 70)
    } else {
        shown.to_owned()
    };
    let matches = ranges(&text, needle);
    SearchHit {
        target,
        text,
        matches,
    }
}

impl SearchIndex {
    /// Builds the index (once per dataset).
    #[must_use]
    pub fn new(ds: &Dataset) -> Self {
        let mut haystack = Vec::new();
        let mut starts = Vec::with_capacity(
            ds.places.len() + ds.actors.len() + ds.events.len() + ds.claims.len(),
        );
        let mut push = |text: &str| {
            starts.push(haystack.len());
            haystack.extend(text.bytes().map(|b| b.to_ascii_lowercase()));
            haystack.push(0);
        };
        for p in &ds.places {
            push(&with_aliases(&p.name, &p.aliases));
        }
        for a in &ds.actors {
            push(&with_aliases(&a.name, &a.aliases));
        }
        for e in &ds.events {
            push(e.title());
        }
        for c in &ds.claims {
            push(&c.statement);
        }
        let ends = [
            ds.places.len(),
            ds.places.len() + ds.actors.len(),
            ds.places.len() + ds.actors.len() + ds.events.len(),
            starts.len(),
        ];
        let mut excerpts: Vec<ArticleExcerpts> = ds
            .sources
            .iter()
            .map(|_| ArticleExcerpts::default())
            .collect();
        for (i, e) in ds.events.iter().enumerate() {
            for x in e.excerpts() {
                if let Some(article) = excerpts.get_mut(x.source.index()) {
                    let span = (
                        x.span().start as u32,
                        x.span().end as u32,
                        EventIdx(i as u32),
                    );
                    article.longest = article.longest.max(span.1 - span.0);
                    article.spans.push(span);
                }
            }
        }
        for article in &mut excerpts {
            article.spans.sort_unstable_by_key(|s| s.0);
        }
        Self {
            ends,
            haystack,
            starts,
            articles: ds.sources.iter().map(|s| lower(&s.text)).collect(),
            excerpts,
        }
    }

    /// What entry `k` of the haystack points at, and its text as shown.
    fn entry(&self, ds: &Dataset, k: usize) -> (SearchTarget, String) {
        let [places, actors, events, _] = self.ends;
        if k < places {
            let p = ds.place(PlaceIdx(k as u32));
            (
                SearchTarget::Place(PlaceIdx(k as u32)),
                with_aliases(&p.name, &p.aliases),
            )
        } else if k < actors {
            let i = ActorIdx((k - places) as u32);
            let a = ds.actor(i);
            (SearchTarget::Actor(i), with_aliases(&a.name, &a.aliases))
        } else if k < events {
            let i = EventIdx((k - actors) as u32);
            (SearchTarget::Event(i), ds.event(i).title().to_owned())
        } else {
            let i = ClaimIdx((k - events) as u32);
            (
                SearchTarget::Claim(i),
                ds.claims[i.index()].statement.clone(),
            )
        }
    }

    /// The first `limit` hits for `query` (case-insensitive for ASCII), in
    /// the order places, actors, events, claims, excerpts (by article, then
    /// place in it), article passages.
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
            let (target, shown) = self.entry(ds, k);
            hits.push(hit(target, &shown, pos - self.starts[k], &needle));
        }
        // Excerpts: the spans that hold a match in their article; one hit each.
        for (s, (article, book)) in self.articles.iter().zip(&self.excerpts).enumerate() {
            let source = SourceIdx(s as u32);
            let mut listed: Vec<usize> = Vec::new();
            for at in finder.find_iter(article) {
                let end = (at + needle.len()) as u64;
                let from = book
                    .spans
                    .partition_point(|x| u64::from(x.0) + u64::from(book.longest) < end);
                let to = book.spans.partition_point(|x| x.0 as usize <= at);
                for k in from..to {
                    let (start, stop, event) = book.spans[k];
                    if u64::from(stop) < end || listed.contains(&k) {
                        continue;
                    }
                    if hits.len() >= limit {
                        return hits;
                    }
                    listed.push(k);
                    let text = ds.sources[s]
                        .text
                        .get(start as usize..stop as usize)
                        .unwrap_or("");
                    hits.push(hit(
                        SearchTarget::Excerpt(event, source),
                        text,
                        at - start as usize,
                        &needle,
                    ));
                }
            }
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
