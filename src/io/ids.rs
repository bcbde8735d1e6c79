//! Ids made from names, for the readers that make their own (ACLED and
//! GeoJSON): a slug, and a set that never hands out one twice.

use std::collections::HashSet;

/// A lower-case id made of the letters and digits of `name`, joined by `-`.
pub(crate) fn slug(name: &str, fallback: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for c in name.chars() {
        if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    let trimmed = out.trim_end_matches('-');
    if trimmed.is_empty() {
        fallback.to_owned()
    } else {
        trimmed.to_owned()
    }
}

/// Hands out ids that were not handed out before (`tirana`, `tirana-2`, …).
#[derive(Debug, Default)]
pub(crate) struct UniqueIds {
    pub(crate) used: HashSet<String>,
}

impl UniqueIds {
    /// Marks `id` as taken; false when it already was.
    pub(crate) fn take(&mut self, id: &str) -> bool {
        self.used.insert(id.to_owned())
    }

    /// `base`, or `base-2`, `base-3`, … whichever is free first; now taken.
    pub(crate) fn fresh(&mut self, base: &str) -> String {
        if self.take(base) {
            return base.to_owned();
        }
        let mut n = 2usize;
        loop {
            let id = format!("{base}-{n}");
            if self.take(&id) {
                return id;
            }
            n += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_and_unique_ids() {
        assert_eq!(slug("Tirana - Qendër", "place"), "tirana-qendër");
        assert_eq!(slug("!!", "place"), "place");
        let mut ids = UniqueIds::default();
        assert_eq!(ids.fresh("a"), "a");
        assert_eq!(ids.fresh("a"), "a-2");
        assert!(!ids.take("a-2"));
    }
}
