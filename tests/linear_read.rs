//! A read's cost grows with the file, whatever its shape. In a test binary
//! of its own, so that no other test shares the machine while it is timed
//! (cargo runs test binaries one after another).
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

/// A minified file (the whole of it one line, as tools export it) reads in
/// time that grows with its length, not with its slides times its length
/// (it took 11.5 s in a release build when every slide's column was counted
/// from the line's start). Timed as a ratio, so that a slow machine does not
/// fail it: three times the slides may take at most five times as long
/// (linear gives about 3, the quadratic read gave about 9).
#[test]
fn a_minified_file_of_30000_slides_reads_in_linear_time() {
    let tmp = tempfile::tempdir().unwrap();
    let read = |slides: usize| {
        let path = tmp.path().join(format!("minified-{slides}.json"));
        mapline::io::generate::shaped(
            &path,
            mapline::io::generate::Shape::TimelineJsMinified,
            slides,
            1,
        )
        .unwrap();
        let bytes = std::fs::read(&path).unwrap();
        assert_eq!(
            memchr::memchr_iter(b'\n', &bytes).count(),
            0,
            "the file is one line"
        );
        let started = std::time::Instant::now();
        let opened = mapline::io::import::open(&path, None).unwrap();
        let took = started.elapsed();
        assert_eq!(opened.loaded.dataset.events.len(), slides);
        (bytes.len(), took)
    };
    // The first read warms what a first read pays once (the page cache,
    // the allocator).
    let _ = read(2_000);
    let (small_bytes, small) = read(10_000);
    let (big_bytes, big) = read(30_000);
    assert!(big_bytes > 10_000_000, "{big_bytes} bytes");
    let ratio = big.as_secs_f64() / small.as_secs_f64().max(1e-6);
    let size_ratio = big_bytes as f64 / small_bytes as f64;
    eprintln!(
        "minified slides: 10,000 read in {small:?}, 30,000 in {big:?} ({size_ratio:.2}x the bytes): {ratio:.2}x the time"
    );
    assert!(ratio < 5.0, "3x the slides took {ratio:.2}x the time");
}
