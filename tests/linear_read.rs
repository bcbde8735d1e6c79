//! A read's cost grows with the file, whatever its shape. In a test binary
//! of its own, so that no other test shares the machine while it is timed
//! (cargo runs test binaries one after another).
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

/// A minified file (the whole of it one line, as tools export it) reads in
/// time that grows with its length, not with its slides times its length:
/// 30,000 slides in under 5 s even in the debug build (it took 11.5 s in a
/// release build when every slide's column was counted from the line's start).
#[test]
fn a_minified_file_of_30000_slides_reads_in_linear_time() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("minified.json");
    mapline::io::generate::shaped(
        &path,
        mapline::io::generate::Shape::TimelineJsMinified,
        30_000,
        1,
    )
    .unwrap();
    let bytes = std::fs::read(&path).unwrap();
    assert!(bytes.len() > 10_000_000, "{} bytes", bytes.len());
    assert_eq!(
        memchr::memchr_iter(b'\n', &bytes).count(),
        0,
        "the file is one line"
    );
    let started = std::time::Instant::now();
    let opened = mapline::io::import::open(&path, None).unwrap();
    let took = started.elapsed();
    assert_eq!(opened.loaded.dataset.events.len(), 30_000);
    eprintln!("30,000 minified slides read in {took:?}");
    assert!(took < std::time::Duration::from_secs(5), "took {took:?}");
}
