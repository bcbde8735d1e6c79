//! The TimelineJS JSON importer on arbitrary UTF-8 text, then the native checks on what it made.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mapline::io::import::{self, Format};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(imported) = import::timelinejs::import_json(text, "fuzz.json") {
        let _ = import::build(imported, "fuzz.json", text, Format::TimelineJsJson, None);
    }
});
