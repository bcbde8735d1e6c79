//! The GeoJSON importer on arbitrary UTF-8 text, then the native checks on what it made.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mapline::io::import::{self, Format};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(imported) = import::geojson::import(text, "fuzz.geojson") {
        let _ = import::build(imported, "fuzz.geojson", text, Format::GeoJson, None);
    }
});
