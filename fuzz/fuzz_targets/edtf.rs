//! `FuzzyTime::parse` on arbitrary text; what parses must describe itself
//! and have `earliest <= latest`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mapline::model::FuzzyTime;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(t) = FuzzyTime::parse(text) {
        let _ = t.display();
        let earliest = t.earliest();
        let latest = t.latest();
        let _ = t.anchor();
        if let (Some(a), Some(b)) = (earliest, latest) {
            assert!(a <= b, "{text:?}: earliest {a:?} > latest {b:?}");
        }
    }
});
