//! Format detection on arbitrary UTF-8 text.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let _ = mapline::io::import::detect("fuzz", text);
});
