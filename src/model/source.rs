//! Sources (the articles) and the excerpts proven against them.

use std::ops::Range;

use super::index_type;
use super::time::FuzzyTime;

index_type!(
    /// Index of a [`Source`] in [`super::Dataset::sources`].
    SourceIdx
);

/// An article: who published it, from what perspective, and its full text.
#[derive(Clone, Debug, PartialEq)]
pub struct Source {
    /// Stable id, unique among sources.
    pub id: String,
    /// The outlet as the text shows it.
    pub outlet: String,
    /// The headline, or a bracketed description where the text has none.
    pub title: String,
    /// Named authors, if any.
    pub authors: Vec<String>,
    /// When it was published, as precisely as known; `None` if unknown.
    pub published: Option<FuzzyTime>,
    /// How the publication date was established.
    pub published_note: Option<String>,
    /// A short perspective tag ("US wire", "Iranian state-aligned").
    pub perspective: String,
    /// The actor that is the outlet speaking for itself, if the dataset
    /// names one: its stances are the outlet's own voice.
    pub actor: Option<super::ActorIdx>,
    /// Where the article was published on the web, if the dataset says
    /// (shown and linked only when it is an `http`/`https` URL).
    pub url: Option<String>,
    /// Licence or copyright note.
    pub licence: String,
    /// The article file, relative to the dataset folder.
    pub file: String,
    /// SHA-256 of the article file, lower-case hex.
    pub sha256: String,
    /// The full article text.
    pub text: String,
}

/// An `http://` or `https://` address with a host: the only kind of URL a
/// briefing links (never `javascript:`, `data:` or `file:`).
#[must_use]
pub fn is_web_url(url: &str) -> bool {
    let scheme_end = url.find("://").unwrap_or(0);
    let scheme = &url[..scheme_end];
    let rest = &url[scheme_end..];
    (scheme.eq_ignore_ascii_case("https") || scheme.eq_ignore_ascii_case("http"))
        && rest.len() > 3
        && !rest[3..].starts_with('/')
        && !url.chars().any(|c| c.is_whitespace() || c.is_control())
}

impl Source {
    /// The article's web address, when it is one a document may link.
    #[must_use]
    pub fn web_url(&self) -> Option<&str> {
        self.url.as_deref().filter(|u| is_web_url(u))
    }
}

/// Where a quote was found: a byte range of the article text.
pub type ExcerptSpan = Range<usize>;

/// A verbatim quote from a source, with the span that proves it.
///
/// Invariant: `span` is a char-boundary range of the source's text whose
/// content equals the quote up to runs of whitespace. 12 bytes: an article is
/// at most 512 MiB (the read limit), so both ends fit in a `u32`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Excerpt {
    /// The article quoted.
    pub source: SourceIdx,
    start: u32,
    end: u32,
}

impl Excerpt {
    /// A quote of `source` at `span` (ends past `u32::MAX` cannot come from
    /// an article within the read limit; they are clamped, never wrapped).
    #[must_use]
    pub fn new(source: SourceIdx, span: ExcerptSpan) -> Self {
        let clamp = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
        Self {
            source,
            start: clamp(span.start),
            end: clamp(span.end),
        }
    }

    /// Where in the article text the quote stands.
    #[must_use]
    pub fn span(self) -> ExcerptSpan {
        self.start as usize..self.end as usize
    }

    /// Moves the quote to `span` (once it has been proven there).
    pub fn set_span(&mut self, span: ExcerptSpan) {
        *self = Self::new(self.source, span);
    }

    /// The quoted passage exactly as the article has it.
    #[must_use]
    pub fn text<'a>(&self, sources: &'a [Source]) -> &'a str {
        sources
            .get(self.source.index())
            .and_then(|s| s.text.get(self.span()))
            .unwrap_or("")
    }
}
