//! Proving quotes against their article: every excerpt must stand verbatim
//! in the text it quotes, allowing only runs of whitespace to differ.
//!
//! All the quotes of one article are found in one pass over its text with an
//! Aho–Corasick automaton, rather than one search per quote.

use std::collections::HashMap;

use aho_corasick::AhoCorasick;

use crate::model::ExcerptSpan;

/// An article's text with every run of whitespace folded to one space, and a
/// map back to byte offsets in the original.
#[derive(Debug)]
pub struct FoldedText {
    folded: String,
    /// For each byte of `folded`, the offset of the byte it came from.
    origin: Vec<u32>,
}

impl FoldedText {
    /// Folds `text`.
    #[must_use]
    pub fn new(text: &str) -> Self {
        let mut folded = String::with_capacity(text.len());
        let mut origin = Vec::with_capacity(text.len());
        let mut in_space = false;
        for (i, c) in text.char_indices() {
            if c.is_whitespace() {
                if !in_space {
                    folded.push(' ');
                    origin.push(i as u32);
                    in_space = true;
                }
            } else {
                in_space = false;
                folded.push(c);
                origin.extend((0..c.len_utf8() as u32).map(|k| i as u32 + k));
            }
        }
        Self { folded, origin }
    }

    /// The folded text.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.folded
    }

    /// The original span of a folded range that starts and ends on a
    /// non-space character.
    pub(crate) fn original_span(&self, start: usize, end: usize) -> ExcerptSpan {
        let first = self.origin[start] as usize;
        let last = self.origin[end - 1] as usize + 1;
        first..last
    }
}

/// Folds a quote the same way: whitespace runs to one space, ends trimmed.
#[must_use]
pub fn fold_quote(quote: &str) -> String {
    quote.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// One quote to find: its folded text and which occurrence is meant (1-based).
#[derive(Clone, Debug)]
pub struct QuoteQuery {
    /// The quote, folded with [`fold_quote`].
    pub folded: String,
    /// Which occurrence, 1 for the first.
    pub occurrence: usize,
}

/// What came of looking for one quote.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum QuoteResult {
    /// Found: its span in the original text and how often the quote occurs.
    Found {
        /// Byte span in the original article text.
        span: ExcerptSpan,
        /// How many times the quote occurs in all.
        count: usize,
    },
    /// Found fewer times than the occurrence asked for.
    TooFewOccurrences {
        /// How many times it occurs.
        count: usize,
    },
    /// Not in the article; the closest passage and how much of it agrees.
    NotFound(Closest),
    /// The quote is empty.
    Empty,
}

/// The passage of an article nearest to a quote that is not in it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Closest {
    /// The passage, folded, about as long as the quote.
    pub passage: String,
    /// How many characters of the quote agree with it, from its start (or
    /// from its end when `from_end`).
    pub agreeing_chars: usize,
    /// The agreement was counted backwards from the quote's end.
    pub from_end: bool,
    /// The quote's character where they part, and the article's.
    pub parting: Option<(char, Option<char>)>,
}

/// Finds every query in `text` in one pass.
///
/// ```
/// use mapline::io::quote::{FoldedText, QuoteQuery, QuoteResult, find_quotes, fold_quote};
/// let text = FoldedText::new("A  cyberattack\nshut down   services.");
/// let q = QuoteQuery { folded: fold_quote("cyberattack shut down"), occurrence: 1 };
/// let [QuoteResult::Found { ref span, count }] = find_quotes(&text, &[q])[..] else { panic!() };
/// assert_eq!((span.start, span.end, count), (3, 24, 1));
/// ```
#[must_use]
pub fn find_quotes(text: &FoldedText, queries: &[QuoteQuery]) -> Vec<QuoteResult> {
    // One pattern per distinct quote; remember the furthest occurrence asked for.
    let mut pattern_of: HashMap<&str, usize> = HashMap::new();
    let mut patterns: Vec<&str> = Vec::new();
    let mut wanted: Vec<usize> = Vec::new();
    for q in queries.iter().filter(|q| !q.folded.is_empty()) {
        let id = *pattern_of.entry(q.folded.as_str()).or_insert_with(|| {
            patterns.push(q.folded.as_str());
            wanted.push(0);
            patterns.len() - 1
        });
        wanted[id] = wanted[id].max(q.occurrence);
    }
    let PatternHits { counts, positions } = find_patterns(text, &patterns, &wanted);
    queries
        .iter()
        .map(|q| {
            if q.folded.is_empty() {
                return QuoteResult::Empty;
            }
            let id = pattern_of[q.folded.as_str()];
            match positions[id].get(q.occurrence.max(1) - 1) {
                Some(&start) => QuoteResult::Found {
                    span: text.original_span(start, start + q.folded.len()),
                    count: counts[id],
                },
                None if counts[id] > 0 => QuoteResult::TooFewOccurrences { count: counts[id] },
                None => QuoteResult::NotFound(closest_passage(text.as_str(), &q.folded)),
            }
        })
        .collect()
}

/// Where distinct patterns stand in a folded text: for each pattern, how
/// often it occurs in all and the starts (in the folded text) of its first
/// occurrences, as many as asked for.
#[derive(Clone, Debug, Default)]
pub struct PatternHits {
    /// Occurrences of each pattern (overlapping ones count).
    pub counts: Vec<usize>,
    /// Starts of the first `wanted[i]` occurrences of pattern `i`.
    pub positions: Vec<Vec<usize>>,
}

/// Patterns at least this long are found by their first bytes in a hash
/// table; shorter ones by an Aho–Corasick automaton.
const PREFIX: usize = 16;

/// The first [`PREFIX`] bytes of `bytes` as one key.
fn prefix_key(bytes: &[u8]) -> u128 {
    let mut key = [0u8; PREFIX];
    key.copy_from_slice(&bytes[..PREFIX]);
    u128::from_le_bytes(key)
}

/// A well-mixed 64-bit hash of a prefix key.
fn mix(key: u128) -> u64 {
    let mut h = (key as u64) ^ ((key >> 64) as u64).rotate_left(29);
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^= h >> 33;
    h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    h ^ (h >> 33)
}

/// Finds every pattern (none empty) in `text` in one pass, keeping the
/// starts of the first `wanted[i]` occurrences of pattern `i`.
///
/// Every occurrence counts, overlapping ones too. Long patterns (most
/// quotes) are looked up by their first 16 bytes at every position of the
/// text and then compared in full; building an automaton for a hundred
/// thousand long quotes would cost more than the search.
#[must_use]
pub fn find_patterns<P: AsRef<str>>(
    text: &FoldedText,
    patterns: &[P],
    wanted: &[usize],
) -> PatternHits {
    let mut positions: Vec<Vec<usize>> = vec![Vec::new(); patterns.len()];
    let mut counts = vec![0usize; patterns.len()];
    let mut found = |id: usize, start: usize| {
        counts[id] += 1;
        if positions[id].len() < wanted.get(id).copied().unwrap_or(0) {
            positions[id].push(start);
        }
    };
    let hay = text.as_str().as_bytes();
    let (long, short): (Vec<usize>, Vec<usize>) =
        (0..patterns.len()).partition(|&i| patterns[i].as_ref().len() >= PREFIX);
    if !short.is_empty()
        && let Ok(automaton) =
            AhoCorasick::new(short.iter().map(|&i| patterns[i].as_ref().as_bytes()))
    {
        for m in automaton.find_overlapping_iter(hay) {
            found(short[m.pattern().as_usize()], m.start());
        }
    }
    if !long.is_empty() && hay.len() >= PREFIX {
        // A bit per hash bucket filters out almost every position at once.
        let bits = (long.len() * 16).next_power_of_two().max(1 << 12);
        let mut filter = vec![0u64; bits / 64];
        let mut by_prefix: HashMap<u128, Vec<u32>> = HashMap::with_capacity(long.len());
        for &i in &long {
            let key = prefix_key(patterns[i].as_ref().as_bytes());
            let slot = (mix(key) as usize) & (bits - 1);
            filter[slot / 64] |= 1 << (slot % 64);
            by_prefix.entry(key).or_default().push(i as u32);
        }
        for start in 0..=hay.len() - PREFIX {
            let key = prefix_key(&hay[start..]);
            let slot = (mix(key) as usize) & (bits - 1);
            if filter[slot / 64] & (1 << (slot % 64)) == 0 {
                continue;
            }
            if let Some(ids) = by_prefix.get(&key) {
                for &id in ids {
                    if hay[start..].starts_with(patterns[id as usize].as_ref().as_bytes()) {
                        found(id as usize, start);
                    }
                }
            }
        }
    }
    // Both searches report each pattern's occurrences in text order.
    PatternHits { counts, positions }
}

/// The passage of `text` that agrees with the longest prefix (or, failing a
/// good prefix, suffix) of `quote`.
#[must_use]
pub fn closest_passage(text: &str, quote: &str) -> Closest {
    let quote_chars: Vec<char> = quote.chars().collect();
    let mut best = (0usize, 0usize); // (agreeing chars, byte start)
    for (start, _) in text.char_indices() {
        let agree = text[start..]
            .chars()
            .zip(&quote_chars)
            .take_while(|(a, b)| a == *b)
            .count();
        if agree > best.0 {
            best = (agree, start);
        }
    }
    // A wrong first word hides a good match: try aligning the ends too.
    let mut best_suffix = (0usize, 0usize); // (agreeing chars, byte end)
    for (idx, c) in text.char_indices() {
        let end = idx + c.len_utf8();
        let agree = text[..end]
            .chars()
            .rev()
            .zip(quote_chars.iter().rev())
            .take_while(|(a, b)| a == *b)
            .count();
        if agree > best_suffix.0 {
            best_suffix = (agree, end);
        }
    }
    let passage_from =
        |start: usize| -> String { text[start..].chars().take(quote_chars.len()).collect() };
    if best_suffix.0 > best.0 {
        let (agree, end) = best_suffix;
        let before: Vec<char> = text[..end].chars().collect();
        let from = before.len().saturating_sub(quote_chars.len());
        let passage: String = before[from..].iter().collect();
        return Closest {
            passage,
            agreeing_chars: agree,
            from_end: true,
            parting: quote_chars.len().checked_sub(agree + 1).map(|i| {
                (
                    quote_chars[i],
                    before.len().checked_sub(agree + 1).map(|j| before[j]),
                )
            }),
        };
    }
    let (agree, start) = best;
    let passage = passage_from(start);
    Closest {
        parting: quote_chars
            .get(agree)
            .map(|&q| (q, passage.chars().nth(agree))),
        passage,
        agreeing_chars: agree,
        from_end: false,
    }
}

impl Closest {
    /// A one-line description for an error message.
    #[must_use]
    pub fn describe(&self) -> String {
        let mut passage: String = self.passage.chars().take(160).collect();
        if self.passage.chars().count() > 160 {
            passage.push('…');
        }
        let parting = match self.parting {
            Some((q, Some(a))) => {
                format!("; they part where the quote has {q:?} and the article has {a:?}")
            }
            Some((q, None)) => {
                format!("; they part where the quote has {q:?} and the article ends")
            }
            None => String::new(),
        };
        let side = if self.from_end { "last" } else { "first" };
        format!(
            "closest passage: «{passage}» (the {side} {} characters agree{parting})",
            self.agreeing_chars
        )
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn query(q: &str, occurrence: usize) -> QuoteQuery {
        QuoteQuery {
            folded: fold_quote(q),
            occurrence,
        }
    }

    #[test]
    fn finds_quotes_across_whitespace_differences() {
        let original = "Rama said:\n“The  deep investigation”\tput at our disposal.";
        let text = FoldedText::new(original);
        let results = find_quotes(&text, &[query("“The deep\ninvestigation” put", 1)]);
        let QuoteResult::Found { span, count } = &results[0] else {
            panic!("{results:?}")
        };
        assert_eq!(&original[span.clone()], "“The  deep investigation”\tput");
        assert_eq!(*count, 1);
    }

    #[test]
    fn picks_the_occurrence_asked_for() {
        let original = "Iran denied. Tirana said so. Iran denied.";
        let text = FoldedText::new(original);
        let results = find_quotes(
            &text,
            &[
                query("Iran denied.", 1),
                query("Iran denied.", 2),
                query("Iran denied.", 3),
            ],
        );
        assert_eq!(
            results[0],
            QuoteResult::Found {
                span: 0..12,
                count: 2
            }
        );
        assert_eq!(
            results[1],
            QuoteResult::Found {
                span: 29..41,
                count: 2
            }
        );
        assert_eq!(results[2], QuoteResult::TooFewOccurrences { count: 2 });
    }

    #[test]
    fn a_missing_quote_names_the_closest_passage() {
        let text = FoldedText::new("The cyberattack temporarily shut down numerous services.");
        let results = find_quotes(
            &text,
            &[
                query("cyberattack permanently shut down", 1),
                query("  ", 1),
            ],
        );
        let QuoteResult::NotFound(closest) = &results[0] else {
            panic!("{results:?}")
        };
        assert_eq!(closest.agreeing_chars, 12);
        assert!(closest.passage.starts_with("cyberattack temporarily"));
        assert_eq!(closest.parting, Some(('p', Some('t'))));
        assert_eq!(results[1], QuoteResult::Empty);
        let wrong_start = closest_passage(text.as_str(), "A cyberattack temporarily shut down");
        assert!(
            wrong_start.passage.ends_with("temporarily shut down"),
            "{wrong_start:?}"
        );
    }
}
