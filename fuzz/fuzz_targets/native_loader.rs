//! The native loader on an arbitrary `dataset.json`, next to one fixed
//! article (`sources/wire.txt`, the article of `tests/broken/*`).
#![no_main]

use std::collections::HashMap;

use libfuzzer_sys::fuzz_target;
use mapline::io::import::MemFiles;

const WIRE: &[u8] = include_bytes!("wire.txt");

fuzz_target!(|data: &[u8]| {
    let files = MemFiles {
        label: "fuzz".to_owned(),
        files: HashMap::from([
            ("dataset.json".to_owned(), data.to_vec()),
            ("sources/wire.txt".to_owned(), WIRE.to_vec()),
        ]),
    };
    let _ = mapline::io::native::load(&files);
});
