//! The ACLED CSV importer on arbitrary UTF-8 text, then the native checks on
//! what it made; and the streaming path beside it: whatever it accepts, the
//! careful path must accept and build the same dataset from (read in chunks
//! of 64 bytes, so that places, actors and ids meet across chunks).
#![no_main]

use libfuzzer_sys::fuzz_target;
use mapline::io::import::{self, Format};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let careful = import::acled::import(text, "fuzz.csv")
        .and_then(|imported| import::build(imported, "fuzz.csv", text, Format::AcledCsv, None));
    if let Some(fast) = import::acled::load_clean_text(text, "fuzz.csv", 64) {
        let Ok(careful) = careful else {
            panic!("the streaming path accepted what the careful path refuses");
        };
        let (a, b) = (&fast.dataset, &careful.dataset);
        assert_eq!(a.title, b.title);
        assert_eq!(a.description, b.description);
        assert_eq!(a.places, b.places);
        assert_eq!(a.actors, b.actors);
        assert_eq!(a.events, b.events);
        assert_eq!(fast.warnings, careful.warnings);
    }
});
