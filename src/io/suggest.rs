//! "Did you mean …?" for a misspelt id, in time that grows gently with the
//! number of unknown references.
//!
//! A scan of every known id per unknown one is quadratic (20,000 unknown
//! references against 20,000 places took minutes). Instead the known ids are
//! sorted twice, as written and reversed: one typo leaves the text before it
//! or the text after it intact, so the id meant sits near the misspelt one in
//! one of the two orders. A few neighbours on each side in each order are
//! scored with Jaro–Winkler, as a scan would score them; a list of at most
//! `4 × NEIGHBOURS` ids is scored whole, exactly as a scan. (In a long list
//! of ids alike, a typo may find an equally near id rather than the one a
//! scan keeps, and typos at both ends may find none.)

use std::cmp::Ordering;

/// How many neighbours on each side, in each order, are scored.
const NEIGHBOURS: usize = 16;

/// Below this Jaro–Winkler similarity nothing is suggested.
const MIN_SCORE: f64 = 0.85;

/// The known ids of one kind, indexed for suggestions.
#[derive(Debug)]
pub struct Suggester<'a> {
    /// The ids, sorted.
    forward: Vec<&'a str>,
    /// Each id reversed (by characters) with its index in `forward`, sorted.
    backward: Vec<(String, u32)>,
}

impl<'a> Suggester<'a> {
    /// Indexes `known` (duplicates are harmless).
    pub fn new(known: impl IntoIterator<Item = &'a str>) -> Self {
        let mut forward: Vec<&str> = known.into_iter().collect();
        forward.sort_unstable();
        forward.dedup();
        let mut backward: Vec<(String, u32)> = forward
            .iter()
            .enumerate()
            .map(|(i, id)| (id.chars().rev().collect(), i as u32))
            .collect();
        backward.sort_unstable();
        Self { forward, backward }
    }

    /// The known id nearest to `wanted`, if one is near enough.
    ///
    /// ```
    /// use mapline::io::suggest::Suggester;
    /// let s = Suggester::new(["tirana", "tehran", "baghdad"]);
    /// assert_eq!(s.nearest("tiranna"), Some("tirana"));
    /// assert_eq!(s.nearest("zzz"), None);
    /// ```
    #[must_use]
    pub fn nearest(&self, wanted: &str) -> Option<&'a str> {
        let n = self.forward.len();
        let mut best: Option<(f64, &'a str)> = None;
        let mut consider = |id: &'a str| {
            let score = strsim::jaro_winkler(wanted, id);
            let better = match best {
                None => true,
                // The higher score; on a tie, the first in sorted order, as a
                // scan over the sorted ids would keep it.
                Some((s, b)) => match score.total_cmp(&s) {
                    Ordering::Greater => true,
                    Ordering::Equal => id < b,
                    Ordering::Less => false,
                },
            };
            if better {
                best = Some((score, id));
            }
        };
        if n <= 4 * NEIGHBOURS {
            self.forward.iter().for_each(|id| consider(id));
        } else {
            let at = self.forward.partition_point(|id| *id < wanted);
            for id in &self.forward[at.saturating_sub(NEIGHBOURS)..(at + NEIGHBOURS).min(n)] {
                consider(id);
            }
            let reversed: String = wanted.chars().rev().collect();
            let at = self
                .backward
                .partition_point(|(r, _)| r.as_str() < reversed.as_str());
            for (_, i) in &self.backward[at.saturating_sub(NEIGHBOURS)..(at + NEIGHBOURS).min(n)] {
                consider(self.forward[*i as usize]);
            }
        }
        best.filter(|(score, _)| *score > MIN_SCORE)
            .map(|(_, id)| id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_typo_anywhere_in_a_long_list_finds_its_id() {
        let ids: Vec<String> = (0..20_000).map(|i| format!("place-{i:05}")).collect();
        let s = Suggester::new(ids.iter().map(String::as_str));
        // A typo at the start, in the middle and at the end.
        assert_eq!(s.nearest("plase-12345"), Some("place-12345"));
        assert_eq!(s.nearest("place_12345"), Some("place-12345"));
        assert_eq!(s.nearest("xyz"), None);
        // As good a suggestion as scoring every id (among equals the scan may
        // keep another: "place-1234x" scores the same against 01234 and 12334).
        for wanted in [
            "plase-12345",
            "place_12345",
            "place-1234x",
            "pace-00042",
            "place-199999",
        ] {
            let best = ids
                .iter()
                .map(|k| strsim::jaro_winkler(wanted, k))
                .fold(0.0, f64::max);
            let ours = s.nearest(wanted).map(|k| strsim::jaro_winkler(wanted, k));
            assert_eq!(ours, Some(best), "{wanted}");
        }
    }

    #[test]
    fn a_short_list_is_scored_whole_like_a_scan() {
        let ids = ["tirana", "tehran", "manez-ashraf-3", "sarajevo"];
        let s = Suggester::new(ids);
        for wanted in ["tirna", "teheran", "ashraf-3", "sarajevo-bih", "q"] {
            let scan = ids
                .iter()
                .map(|k| (strsim::jaro_winkler(wanted, k), *k))
                .filter(|(score, _)| *score > MIN_SCORE)
                .max_by(|a, b| a.0.total_cmp(&b.0).then_with(|| b.1.cmp(a.1)))
                .map(|(_, k)| k);
            assert_eq!(s.nearest(wanted), scan, "{wanted}");
        }
    }
}
