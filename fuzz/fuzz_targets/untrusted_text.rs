//! The helpers that guard against a stranger's files, on arbitrary input: the
//! bounded reader, the duplicate-key scan, output escaping, the quote lint
//! and "did you mean".
#![no_main]

use std::io::Read as _;

use libfuzzer_sys::fuzz_target;
use mapline::io::{escape, guard, json_keys, lint, suggest};

fuzz_target!(|data: &[u8]| {
    // The bounded reader never hands out more than its limit, and fails
    // exactly when there is more.
    let limit = data.len() / 2;
    let mut out = Vec::new();
    let read = guard::Bounded::new(data, limit as u64).read_to_end(&mut out);
    assert!(out.len() <= limit);
    assert_eq!(read.is_err(), data.len() > limit);

    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    for d in json_keys::duplicate_keys(text, 100) {
        assert!(d.first < d.second);
        assert!(text[d.first..].starts_with('"') && text[d.second..].starts_with('"'));
    }
    let shown = escape::escaped(text);
    assert!(!shown.chars().any(|c| c.is_control() || escape::is_invisible_control(c)));
    let _ = lint::quote_concern(text);
    let ids: Vec<&str> = text.split('\n').collect();
    let s = suggest::Suggester::new(ids.iter().copied());
    for wanted in ids.iter().take(8) {
        // A suggestion is always one of the known ids.
        assert!(s.nearest(wanted).is_none_or(|k| ids.contains(&k)));
    }
});
