//! The quotes of a clean dataset, each distinct one kept once per article
//! ("pattern"), and where each stands once the article is searched.

use std::collections::HashMap;

use crate::io::quote::FoldedText;
use crate::model::{Excerpt, ExcerptSpan, SourceIdx};

pub(crate) type FxMap<K, V> = rustc_hash::FxHashMap<K, V>;

/// A quote's hash (`FxHash`: quotes are not chosen by an adversary, and
/// `SipHash` costs too much here).
pub(crate) fn fx_hash(bytes: &[u8]) -> u64 {
    use std::hash::BuildHasher as _;
    rustc_hash::FxBuildHasher.hash_one(bytes)
}

/// The distinct folded quotes of one article.
#[derive(Default)]
pub(crate) struct SourceQuotes {
    pub(crate) by_hash: HashMap<u64, u32, nohash_hasher::BuildNoHashHasher<u64>>,
    /// Quotes whose hash another quote already has (rare).
    pub(crate) collided: FxMap<Box<str>, u32>,
    pub(crate) patterns: Vec<Box<str>>,
    /// The furthest occurrence asked for, per pattern.
    pub(crate) wanted: Vec<usize>,
}

impl SourceQuotes {
    /// The pattern number of a quote, adding it when new.
    pub(crate) fn intern(&mut self, hash: u64, folded: &str, occurrence: usize) -> u32 {
        let next = self.patterns.len() as u32;
        let id = match self.by_hash.entry(hash) {
            std::collections::hash_map::Entry::Vacant(v) => {
                v.insert(next);
                next
            }
            std::collections::hash_map::Entry::Occupied(o) => {
                let id = *o.get();
                if &*self.patterns[id as usize] == folded {
                    id
                } else {
                    *self.collided.entry(folded.into()).or_insert(next)
                }
            }
        };
        if id == next {
            self.patterns.push(folded.into());
            self.wanted.push(0);
        }
        let w = &mut self.wanted[id as usize];
        *w = (*w).max(occurrence);
        id
    }
}

/// Every quote to prove: the distinct ones per article.
pub(crate) struct QuoteBook {
    pub(crate) sources: Vec<SourceQuotes>,
}

impl QuoteBook {
    /// The pattern number of a quote of `source`.
    pub(crate) fn add(&mut self, source: u32, hash: u64, folded: &str, occurrence: u32) -> u32 {
        self.sources[source as usize].intern(hash, folded, occurrence as usize)
    }
}

/// An excerpt not yet proven: its span holds the number of its quote's
/// pattern in the article's book and the occurrence meant, until
/// [`Found::span`] gives the real one. Two excerpts of an article are the
/// same passage exactly when they hold the same pattern and occurrence, so
/// the store shares them as they stream in.
pub(crate) fn pending(source: u32, pattern: u32, occurrence: u32) -> Excerpt {
    Excerpt::new(SourceIdx(source), pattern as usize..occurrence as usize)
}

/// Where one article's distinct quotes stand: for each pattern, how often it
/// occurs and the original spans of the occurrences asked for. The folded
/// article is let go once they are known.
pub(crate) struct Found {
    counts: Vec<u32>,
    /// Pattern `i`'s spans are `spans[starts[i]..starts[i + 1]]`.
    starts: Vec<u32>,
    spans: Vec<ExcerptSpan>,
}

impl Found {
    /// Finds the book's patterns in `text`; `None` when it has none.
    pub(crate) fn search(text: &str, book: &SourceQuotes) -> Option<Self> {
        if book.patterns.is_empty() {
            return None;
        }
        let folded = FoldedText::new(text);
        let hits = crate::io::quote::find_patterns(&folded, &book.patterns, &book.wanted);
        let mut starts = Vec::with_capacity(book.patterns.len() + 1);
        let mut spans = Vec::with_capacity(book.patterns.len());
        starts.push(0);
        for (pattern, positions) in book.patterns.iter().zip(&hits.positions) {
            spans.extend(
                positions
                    .iter()
                    .map(|&start| folded.original_span(start, start + pattern.len())),
            );
            starts.push(u32::try_from(spans.len()).ok()?);
        }
        let counts = hits
            .counts
            .iter()
            .map(|&c| u32::try_from(c).unwrap_or(u32::MAX))
            .collect();
        Some(Self {
            counts,
            starts,
            spans,
        })
    }

    /// The span of one occurrence of a pattern; `None` when it is not there,
    /// or when a first occurrence is taken of a quote found more than once
    /// (a warning the careful loader says).
    pub(crate) fn span(&self, pattern: u32, occurrence: u32) -> Option<ExcerptSpan> {
        let p = pattern as usize;
        if *self.counts.get(p)? > 1 && occurrence == 1 {
            return None;
        }
        let (from, to) = (
            *self.starts.get(p)? as usize,
            *self.starts.get(p + 1)? as usize,
        );
        let at = from + (occurrence as usize).checked_sub(1)?;
        (at < to).then(|| self.spans[at].clone())
    }
}
