//! The bad-input corpus: every case under `tests/broken`, and the cases too big
//! or too odd to commit (deep nesting, symlink loops, sparse files past the size
//! limit), each checked by running `mapline check` in a child process under a
//! 1 GiB address-space limit. A case must give its diagnostics, exit with 1 (0
//! when it only warns), and never panic, hang or die by a signal.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::ffi::OsStr;
use std::fmt::Write as _;
use std::os::unix::fs::symlink;
use std::os::unix::process::ExitStatusExt as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use mapline::io::native::{MAX_FILE_BYTES, MAX_STREAM_BYTES};

/// The address-space limit of every run (`ulimit -v`, KiB): 1 GiB.
const LIMIT_KIB: u32 = 1_048_576;

/// A run that takes longer than this has hung.
const HANG: Duration = Duration::from_mins(1);

/// Every case must be answered within this time.
const QUICK: Duration = Duration::from_secs(5);

/// Nesting depth of the generated deep-JSON cases.
const DEPTH: usize = 100_000;

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// `mapline check [PATH]` in a child process under the memory limit, run from
/// the repository root (so relative paths print as given).
fn check(path: Option<&Path>) -> Output {
    match path {
        Some(p) => run(&[OsStr::new("check"), p.as_os_str()]),
        None => run(&[OsStr::new("check")]),
    }
}

/// What a run printed, after asserting that it ended by itself, without a
/// panic, with `code`, and (on errors) with a count matching its lines.
fn finished(path: &Path, out: &Output, code: i32) -> String {
    let stdout = String::from_utf8(out.stdout.clone()).unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    let case = path.display();
    assert_eq!(
        out.status.signal(),
        None,
        "{case}: killed by a signal\n{stdout}{stderr}"
    );
    assert!(!stderr.contains("panicked"), "{case}: {stderr}");
    assert_eq!(
        out.status.code(),
        Some(code),
        "{case}: exit code\n{stdout}{stderr}"
    );
    if code == 1 {
        assert_eq!(
            stderr,
            format!("mapline check: {} error(s)\n", stdout.lines().count()),
            "{case}"
        );
    }
    stdout
}

/// `file:line:column: item: message`, with the file under `prefix` and the
/// line and column counted from 1.
fn assert_located(line: &str, prefix: &str) {
    let rest = line
        .strip_prefix(prefix)
        .unwrap_or_else(|| panic!("{line:?} does not start with {prefix:?}"));
    let mut parts = rest.splitn(4, ':');
    let _file = parts.next();
    for what in ["line", "column"] {
        let n: usize = parts
            .next()
            .and_then(|n| n.parse().ok())
            .unwrap_or_else(|| panic!("{line:?}: no {what}"));
        assert!(n >= 1, "{line:?}: {what} {n}");
    }
    assert!(
        parts.next().is_some_and(|m| !m.trim().is_empty()),
        "{line:?}"
    );
}

/// The path (relative to the repository) a case is checked by: the folder of
/// a native dataset, or the one input file of an importer case.
fn case_path(dir: &Path) -> PathBuf {
    if repo().join(dir).join("dataset.json").exists() {
        return dir.to_path_buf();
    }
    let inputs: Vec<PathBuf> = std::fs::read_dir(repo().join(dir))
        .unwrap()
        .map(|e| dir.join(e.unwrap().file_name()))
        .filter(|p| p.file_name() != Some(OsStr::new("expected.txt")))
        .collect();
    assert_eq!(
        inputs.len(),
        1,
        "{}: an importer case holds one input file and expected.txt",
        dir.display()
    );
    inputs.into_iter().next().unwrap()
}

#[test]
fn the_memory_limit_lets_the_valid_embedded_dataset_pass() {
    let out = check(None);
    let text = finished(Path::new("(embedded)"), &out, 0);
    assert!(text.contains(": ok"), "{text}");
}

/// Each folder under tests/broken gives exactly the output in its expected.txt.
#[test]
fn every_broken_case_gives_its_exact_output_in_a_limited_child() {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(repo().join("tests/broken"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    let (mut native, mut imported, mut warning_only) = (0, 0, 0);
    for dir in &dirs {
        let name = dir.file_name().unwrap().to_str().unwrap();
        let expected = std::fs::read_to_string(dir.join("expected.txt")).unwrap();
        let rel = Path::new("tests/broken").join(name);
        let path = case_path(&rel);
        if path == rel {
            native += 1;
        } else {
            imported += 1;
        }
        let ok = expected.lines().next().is_some_and(|l| l.ends_with(": ok"));
        let started = Instant::now();
        let out = check(Some(&path));
        assert!(
            started.elapsed() < QUICK,
            "case {name} took {:?}",
            started.elapsed()
        );
        let got = finished(&path, &out, i32::from(!ok));
        assert_eq!(got, expected, "case {name}");
        let prefix = format!("tests/broken/{name}/");
        if ok {
            warning_only += 1;
            let warnings: Vec<&str> = got
                .lines()
                .filter_map(|l| l.trim_start().strip_prefix(&prefix))
                .collect();
            assert!(
                !warnings.is_empty() && warnings.iter().all(|w| w.contains(": warning: ")),
                "case {name}: a warning-only case lists its warnings\n{got}"
            );
        } else {
            for line in got.lines() {
                assert_located(line, &prefix);
                assert!(!line.contains(": warning: "), "case {name}: {line}");
            }
        }
    }
    assert!(
        dirs.len() >= 40,
        "at least 40 committed cases, found {}",
        dirs.len()
    );
    assert!(native >= 30 && imported >= 15 && warning_only >= 1);
}

/// The BOM and line-ending cases hold what they say (no tool normalised them).
#[test]
fn the_bom_and_crlf_cases_keep_their_bytes() {
    for file in [
        "tests/broken/bom-crlf-manifest/dataset.json",
        "tests/broken/acled-bom-crlf/input.csv",
    ] {
        let bytes = std::fs::read(repo().join(file)).unwrap();
        assert!(bytes.starts_with(b"\xef\xbb\xbf"), "{file}: a BOM");
        let crlf = bytes.windows(2).filter(|w| w == b"\r\n").count();
        let lf = memchr::memchr_iter(b'\n', &bytes).count();
        assert!(crlf > 0, "{file}: CRLF line ends");
        if file.ends_with("dataset.json") {
            assert!(lf > crlf, "{file}: mixed CRLF and LF line ends");
        }
    }
}

/// A valid small dataset (the broken-data base case) in `dir`.
fn write_valid_dataset(dir: &Path) {
    let src = repo().join("tests/broken/occurrence-too-high");
    std::fs::create_dir_all(dir.join("sources")).unwrap();
    std::fs::copy(src.join("sources/wire.txt"), dir.join("sources/wire.txt")).unwrap();
    let manifest = std::fs::read_to_string(src.join("dataset.json"))
        .unwrap()
        .replace("\"occurrence\": 3", "\"occurrence\": 1");
    std::fs::write(dir.join("dataset.json"), manifest).unwrap();
}

/// Runs a generated case, expecting errors that contain every one of `wanted`.
fn assert_errors(path: &Path, wanted: &[&str]) -> String {
    let out = check(Some(path));
    let got = finished(path, &out, 1);
    for w in wanted {
        assert!(
            got.contains(w),
            "{}: wanted {w:?} in\n{got}",
            path.display()
        );
    }
    for line in got.lines() {
        assert_located(line, "");
    }
    got
}

#[test]
fn the_valid_base_passes_so_generated_cases_break_one_thing() {
    let tmp = tempfile::tempdir().unwrap();
    write_valid_dataset(tmp.path());
    let out = check(Some(tmp.path()));
    let text = finished(tmp.path(), &out, 0);
    assert!(text.contains(": ok"), "{text}");
}

#[test]
fn deeply_nested_json_is_refused_without_a_stack_overflow() {
    let tmp = tempfile::tempdir().unwrap();
    let open = "[".repeat(DEPTH);
    let close = "]".repeat(DEPTH);

    // Native: 100,000 `[` that never close, and the same closed.
    let native = tmp.path().join("native-open");
    std::fs::create_dir(&native).unwrap();
    std::fs::write(
        native.join("dataset.json"),
        format!("{{\"title\": \"Deep\", \"sources\": [], \"places\": {open}\n"),
    )
    .unwrap();
    assert_errors(
        &native,
        &["dataset.json:2:1: places[0]: EOF while parsing a list"],
    );
    let native = tmp.path().join("native-closed");
    std::fs::create_dir(&native).unwrap();
    std::fs::write(
        native.join("dataset.json"),
        format!("{{\"title\": \"Deep\", \"sources\": [], \"places\": [{open}{close}]}}\n"),
    )
    .unwrap();
    assert_errors(&native, &["dataset.json:1:", ": place #1: "]);

    // TimelineJS: the events array opened 100,000 times, then the same closed.
    let tl = tmp.path().join("timeline-open.json");
    std::fs::write(
        &tl,
        format!("{{\"title\": {{\"text\": {{\"headline\": \"Deep\"}}}}, \"events\": {open}\n"),
    )
    .unwrap();
    assert_errors(
        &tl,
        &["timeline-open.json:2:1: file: not valid JSON: EOF while parsing a list"],
    );
    let tl = tmp.path().join("timeline-closed.json");
    std::fs::write(
        &tl,
        format!(
            "{{\"title\": {{\"text\": {{\"headline\": \"Deep\"}}}}, \"events\": {open}{close}}}\n"
        ),
    )
    .unwrap();
    assert_errors(
        &tl,
        &["timeline-closed.json:1:", "an event must be a slide object"],
    );

    // GeoJSON: coordinates nested 100,000 deep.
    let geo = tmp.path().join("deep.geojson");
    std::fs::write(
        &geo,
        format!("{{\"type\": \"FeatureCollection\", \"features\": [{{\"type\": \"Feature\", \"geometry\": {{\"type\": \"Point\", \"coordinates\": {open}{close}}}}}]}}\n"),
    )
    .unwrap();
    assert_errors(&geo, &["deep.geojson:1:", "recursion limit exceeded"]);
}

#[test]
fn symlink_loops_are_reported_and_nothing_hangs() {
    let tmp = tempfile::tempdir().unwrap();
    // An article that is a loop of two links, in a folder that links to itself,
    // in a dataset folder that holds a link back to itself.
    let dir = tmp.path().join("looped");
    write_valid_dataset(&dir);
    std::fs::remove_file(dir.join("sources/wire.txt")).unwrap();
    symlink("loop.txt", dir.join("sources/wire.txt")).unwrap();
    symlink("wire.txt", dir.join("sources/loop.txt")).unwrap();
    symlink(".", dir.join("sources/self")).unwrap();
    symlink("../looped", dir.join("again")).unwrap();
    let started = Instant::now();
    assert_errors(
        &dir,
        &[
            "dataset.json:12:15: source wire: article sources/wire.txt: cannot read it: Too many levels of symbolic links",
        ],
    );
    // The same dataset reached through the folder's link to itself.
    assert_errors(
        &dir.join("again/again/sources/self/.."),
        &["article sources/wire.txt: cannot read it: Too many levels of symbolic links"],
    );

    // A manifest that links to itself; a folder that links to itself; an
    // import file in a loop of two links.
    let dir = tmp.path().join("manifest-loop");
    std::fs::create_dir(&dir).unwrap();
    symlink("dataset.json", dir.join("dataset.json")).unwrap();
    assert_errors(
        &dir,
        &["dataset.json:1:1: dataset: cannot read it: Too many levels of symbolic links"],
    );
    let dir = tmp.path().join("folder-loop");
    symlink("folder-loop", &dir).unwrap();
    assert_errors(
        &dir,
        &[
            "folder-loop/dataset.json:1:1: dataset: cannot read it: Too many levels of symbolic links",
        ],
    );
    symlink("b.json", tmp.path().join("a.json")).unwrap();
    symlink("a.json", tmp.path().join("b.json")).unwrap();
    assert_errors(
        &tmp.path().join("a.json"),
        &["a.json:1:1: file: cannot read it: Too many levels of symbolic links"],
    );
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "{:?}",
        started.elapsed()
    );
}

#[test]
fn files_past_the_size_limit_are_refused_before_they_are_read() {
    let tmp = tempfile::tempdir().unwrap();
    let size = MAX_FILE_BYTES + 1;
    let sparse = |path: &Path| {
        std::fs::File::create(path).unwrap().set_len(size).unwrap();
    };
    let too_big = format!(
        "the file is {size} bytes, over the limit of {MAX_FILE_BYTES} bytes; it was not read"
    );
    let quick = |path: &Path, wanted: &[&str]| {
        let started = Instant::now();
        assert_errors(path, wanted);
        let took = started.elapsed();
        assert!(
            took < Duration::from_secs(1),
            "{}: took {took:?}",
            path.display()
        );
    };

    // Native: the events JSON Lines file, then the manifest itself.
    let dir = tmp.path().join("big-events");
    std::fs::create_dir(&dir).unwrap();
    let src = repo().join("tests/broken/broken-events-jsonl");
    std::fs::create_dir(dir.join("sources")).unwrap();
    std::fs::copy(src.join("sources/wire.txt"), dir.join("sources/wire.txt")).unwrap();
    std::fs::copy(src.join("dataset.json"), dir.join("dataset.json")).unwrap();
    // A streamed events file may be larger than a file read whole, up to its own limit.
    let events = dir.join("events.jsonl");
    std::fs::File::create(&events)
        .unwrap()
        .set_len(MAX_STREAM_BYTES + 1)
        .unwrap();
    quick(
        &dir,
        &[&format!(
            "dataset.json:121:18: dataset: events_file events.jsonl: the file is {} bytes, over the limit of {MAX_STREAM_BYTES} bytes; it was not read",
            MAX_STREAM_BYTES + 1
        )],
    );
    let dir = tmp.path().join("big-manifest");
    std::fs::create_dir(&dir).unwrap();
    sparse(&dir.join("dataset.json"));
    quick(&dir, &[&format!("dataset.json:1:1: dataset: {too_big}")]);

    // Import files.
    for name in ["big.geojson", "big.csv"] {
        let file = tmp.path().join(name);
        sparse(&file);
        quick(&file, &[&format!("{name}:1:1: file: {too_big}")]);
    }
}

/// A streamed file whose records stop making sense is refused where they
/// do, at its row and byte offset, within seconds and under the memory limit:
/// a file that says it is 2 GiB and is zeros after its first row, and a
/// "record" longer than any real one. No room is planned from the 2 GiB.
#[test]
fn a_streamed_file_that_is_mostly_nothing_is_refused_where_it_stops_being_text() {
    const TWO_GIB: u64 = 2 << 30;
    let tmp = tempfile::tempdir().unwrap();
    let within = |path: &Path, wanted: &[&str]| {
        let started = Instant::now();
        let got = assert_errors(path, wanted);
        assert!(
            started.elapsed() < QUICK,
            "{}: took {:?}",
            path.display(),
            started.elapsed()
        );
        assert_eq!(got.lines().count(), 1, "one error:\n{got}");
    };
    // ACLED: the header and one row of a committed case, then zeros.
    let acled =
        std::fs::read_to_string(repo().join("tests/broken/acled-latitude-95/input.csv")).unwrap();
    let head: String = acled.split_inclusive('\n').take(2).collect();
    let zeros = tmp.path().join("zeros.csv");
    std::fs::write(&zeros, &head).unwrap();
    std::fs::OpenOptions::new()
        .write(true)
        .open(&zeros)
        .unwrap()
        .set_len(TWO_GIB)
        .unwrap();
    within(
        &zeros,
        &[&format!(
            "zeros.csv:3:1: row 2: a NUL byte at byte offset {}: this is not CSV text",
            head.len()
        )],
    );
    // ACLED: a quote opened on row 2 that never closes, 3 MiB on.
    let open_quote = tmp.path().join("open-quote.csv");
    let row = head.lines().nth(1).unwrap();
    let mut text = format!("{head}{row}\n\"");
    text.push_str(&"x".repeat(3 << 20));
    std::fs::write(&open_quote, &text).unwrap();
    within(
        &open_quote,
        &[&format!(
            "open-quote.csv:4:1: row 3: the record that starts at byte offset {} runs past 1048576 bytes without ending",
            head.len() + row.len() + 1
        )],
    );
    // Native: a generated folder whose events file is zeros after its lines.
    let dir = tmp.path().join("gen");
    let made = run(&[
        OsStr::new("generate"),
        OsStr::new("--events"),
        OsStr::new("3"),
        OsStr::new("--out"),
        dir.as_os_str(),
    ]);
    assert!(made.status.success(), "{made:?}");
    let events = dir.join("events.jsonl");
    let lines = std::fs::read_to_string(&events).unwrap();
    let file = std::fs::OpenOptions::new()
        .write(true)
        .open(&events)
        .unwrap();
    file.set_len(TWO_GIB).unwrap();
    within(
        &dir,
        &[&format!(
            "events.jsonl:{}:1: line {}: a NUL byte at byte offset {}: this is not JSON Lines text",
            lines.lines().count() + 1,
            lines.lines().count() + 1,
            lines.len()
        )],
    );
}

/// `mapline ARGS…` in a limited child, from the repository root.
fn run(args: &[&OsStr]) -> Output {
    let mut cmd = Command::new("sh");
    cmd.arg("-c")
        .arg(format!("ulimit -v {LIMIT_KIB}; exec \"$@\""))
        .arg("sh")
        .arg(env!("CARGO_BIN_EXE_mapline"))
        .args(args);
    let child = cmd
        .current_dir(repo())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let pid = child.id();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || tx.send(child.wait_with_output()));
    if let Ok(out) = rx.recv_timeout(HANG) {
        out.unwrap()
    } else {
        let _ = Command::new("kill").arg("-9").arg(pid.to_string()).status();
        panic!("mapline {args:?} hung for over {HANG:?}");
    }
}

/// `mapline check PATH`, which must give errors containing each of `wanted`
/// within [`QUICK`].
fn refused(path: &Path, wanted: &[&str]) -> String {
    let started = Instant::now();
    let got = assert_errors(path, wanted);
    assert!(
        started.elapsed() < QUICK,
        "{}: took {:?}",
        path.display(),
        started.elapsed()
    );
    got
}

#[test]
fn a_symlink_out_of_the_folder_is_never_read_nor_exported() {
    let tmp = tempfile::tempdir().unwrap();
    // The outside file has the article's very bytes, so its hash and quotes
    // match: only the link gives it away.
    let outside = tmp.path().join("outside.txt");
    std::fs::copy(
        repo().join("tests/broken/occurrence-too-high/sources/wire.txt"),
        &outside,
    )
    .unwrap();
    let dir = tmp.path().join("linked-out");
    write_valid_dataset(&dir);
    std::fs::remove_file(dir.join("sources/wire.txt")).unwrap();
    symlink(&outside, dir.join("sources/wire.txt")).unwrap();
    let real = std::fs::canonicalize(&outside).unwrap();
    refused(
        &dir,
        &[&format!(
            "dataset.json:12:15: source wire: article sources/wire.txt: sources/wire.txt is a link to {}, outside the dataset folder; mapline reads only files inside it",
            real.display()
        )],
    );
    // Relative links that climb out, and links to system files, the same.
    std::fs::remove_file(dir.join("sources/wire.txt")).unwrap();
    symlink("../../outside.txt", dir.join("sources/wire.txt")).unwrap();
    refused(&dir, &["outside the dataset folder"]);
    std::fs::remove_file(dir.join("sources/wire.txt")).unwrap();
    symlink("/etc/passwd", dir.join("sources/wire.txt")).unwrap();
    let got = refused(
        &dir,
        &["sources/wire.txt is a link to /etc/passwd, outside the dataset folder"],
    );
    assert!(
        !got.contains("root:"),
        "nothing of the file is shown:\n{got}"
    );

    // The export is refused, and its output path never made.
    let out_dir = tmp.path().join("exported");
    let out = run(&[
        OsStr::new("export"),
        OsStr::new("--format"),
        OsStr::new("native"),
        dir.as_os_str(),
        out_dir.as_os_str(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("outside the dataset folder"),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert!(
        std::fs::symlink_metadata(&out_dir).is_err(),
        "no export was made"
    );

    // A link that stays inside the folder is followed, and a dataset folder
    // reached through a link opens: inside is judged where it really is.
    std::fs::remove_file(dir.join("sources/wire.txt")).unwrap();
    std::fs::create_dir(dir.join("articles")).unwrap();
    std::fs::copy(&outside, dir.join("articles/wire.txt")).unwrap();
    symlink("../articles/wire.txt", dir.join("sources/wire.txt")).unwrap();
    let alias = tmp.path().join("alias");
    symlink(&dir, &alias).unwrap();
    for path in [&dir, &alias] {
        let out = check(Some(path));
        let text = finished(path, &out, 0);
        assert!(text.contains(": ok"), "{text}");
    }
}

/// Makes a named pipe at `path`.
fn mkfifo(path: &Path) {
    let status = Command::new("mkfifo").arg(path).status().unwrap();
    assert!(status.success(), "mkfifo {}", path.display());
}

#[test]
fn pipes_and_devices_are_refused_by_their_kind_without_blocking() {
    let tmp = tempfile::tempdir().unwrap();
    let pipe = "it is a named pipe (FIFO), not a regular file; mapline reads only regular files";
    let device = "it is a character device, not a regular file; mapline reads only regular files";

    // A pipe or a device given as the file to open.
    let fifo = tmp.path().join("pipe.json");
    mkfifo(&fifo);
    refused(&fifo, &[&format!("pipe.json:1:1: file: {pipe}")]);
    refused(
        Path::new("/dev/zero"),
        &[&format!("/dev/zero:1:1: file: {device}")],
    );

    // A manifest, an article and an events file that are pipes.
    let dir = tmp.path().join("manifest-pipe");
    std::fs::create_dir(&dir).unwrap();
    mkfifo(&dir.join("dataset.json"));
    refused(&dir, &[&format!("dataset.json:1:1: dataset: {pipe}")]);

    let dir = tmp.path().join("article-pipe");
    write_valid_dataset(&dir);
    std::fs::remove_file(dir.join("sources/wire.txt")).unwrap();
    mkfifo(&dir.join("sources/wire.txt"));
    refused(
        &dir,
        &[&format!(
            "dataset.json:12:15: source wire: article sources/wire.txt: {pipe}"
        )],
    );

    let dir = tmp.path().join("events-pipe");
    std::fs::create_dir(&dir).unwrap();
    let src = repo().join("tests/broken/broken-events-jsonl");
    std::fs::create_dir(dir.join("sources")).unwrap();
    std::fs::copy(src.join("sources/wire.txt"), dir.join("sources/wire.txt")).unwrap();
    std::fs::copy(src.join("dataset.json"), dir.join("dataset.json")).unwrap();
    mkfifo(&dir.join("events.jsonl"));
    refused(
        &dir,
        &[&format!(
            "dataset.json:121:18: dataset: events_file events.jsonl: {pipe}"
        )],
    );

    // An article linked to a device is outside the folder, and never read.
    let dir = tmp.path().join("article-device");
    write_valid_dataset(&dir);
    std::fs::remove_file(dir.join("sources/wire.txt")).unwrap();
    symlink("/dev/zero", dir.join("sources/wire.txt")).unwrap();
    refused(
        &dir,
        &[
            "article sources/wire.txt: sources/wire.txt is a link to /dev/zero, outside the dataset folder",
        ],
    );
}

#[test]
fn twenty_thousand_unknown_references_each_get_their_suggestion_quickly() {
    const N: usize = 20_000;
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("many-unknown");
    std::fs::create_dir(&dir).unwrap();
    let mut text = String::from("{\"title\": \"Many unknown\", \"sources\": [], \"places\": [\n");
    for i in 0..N {
        let sep = if i + 1 < N { "," } else { "" };
        let _ = writeln!(
            text,
            "{{\"id\": \"place-{i:05}\", \"name\": \"Place {i}\", \"lon\": 1.0, \"lat\": 2.0, \"kind\": \"city\", \"precision\": \"city\"}}{sep}"
        );
    }
    text.push_str("], \"events\": [\n");
    for i in 0..N {
        let sep = if i + 1 < N { "," } else { "" };
        // A typo at the start of the id: its end stays intact.
        let _ = writeln!(
            text,
            "{{\"id\": \"event-{i}\", \"title\": \"Event {i}\", \"time\": \"2022-07-15\", \"category\": \"cyber\", \"places\": [{{\"place\": \"plase-{i:05}\", \"role\": \"location\"}}]}}{sep}"
        );
    }
    text.push_str("]}\n");
    std::fs::write(dir.join("dataset.json"), text).unwrap();

    let started = Instant::now();
    let out = run(&[OsStr::new("check"), OsStr::new("--json"), dir.as_os_str()]);
    let took = started.elapsed();
    assert_eq!(out.status.code(), Some(1));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["ok"], false);
    let diagnostics = doc["diagnostics"].as_array().unwrap();
    assert_eq!(diagnostics.len(), N);
    let mut seen = vec![false; N];
    for d in diagnostics {
        // Listed in time order, then by id: find which event each one is about.
        let i: usize = d["item"]
            .as_str()
            .and_then(|item| item.strip_prefix("event event-"))
            .and_then(|n| n.parse().ok())
            .unwrap_or_else(|| panic!("{d}"));
        assert!(!std::mem::replace(&mut seen[i], true), "{d}");
        assert_eq!(
            d["message"].as_str().unwrap(),
            format!("unknown place id \"plase-{i:05}\" (did you mean \"place-{i:05}\"?)"),
        );
        assert_eq!(d["line"], N + 3 + i);
        assert_eq!(d["severity"], "error");
    }
    assert!(seen.iter().all(|s| *s));
    assert!(took < QUICK, "took {took:?}");

    // The plain listing stops at 1,000 and says how many more there are.
    let out = check(Some(&dir));
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_eq!(stdout.lines().count(), 1001);
    assert_eq!(
        stdout.lines().last(),
        Some(format!("… and {} more error(s) not listed", N - 1000).as_str())
    );
}

#[test]
fn check_json_reports_every_diagnostic_with_its_place_on_failure_and_success() {
    let out = run(&[
        OsStr::new("check"),
        OsStr::new("--json"),
        OsStr::new("tests/broken/several-errors"),
    ]);
    assert_eq!(out.status.code(), Some(1));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["ok"], false);
    let diagnostics = doc["diagnostics"].as_array().unwrap();
    assert!(diagnostics.len() >= 3, "{doc}");
    for d in diagnostics {
        for key in ["file", "item", "message"] {
            assert!(d[key].is_string(), "{key} in {d}");
        }
        assert!(d["line"].as_u64().unwrap() >= 1 && d["column"].as_u64().unwrap() >= 1);
        assert_eq!(d["severity"], "error");
    }
    // Success: the dataset, with the warnings as diagnostics.
    let out = run(&[
        OsStr::new("check"),
        OsStr::new("--json"),
        OsStr::new("tests/broken/self-link"),
    ]);
    assert_eq!(out.status.code(), Some(0));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["title"], "Broken-data base case");
    let diagnostics = doc["diagnostics"].as_array().unwrap();
    assert_eq!(diagnostics.len(), 1, "{doc}");
    assert_eq!(diagnostics[0]["severity"], "warning");
    assert_eq!(diagnostics[0]["item"], "event attack link 1");
}

#[test]
fn an_explicit_first_occurrence_is_not_warned_about() {
    let tmp = tempfile::tempdir().unwrap();
    // The base case quotes a sentence that stands twice, with "occurrence": 1.
    write_valid_dataset(tmp.path());
    let out = check(Some(tmp.path()));
    let text = finished(tmp.path(), &out, 0);
    assert!(!text.contains("warning"), "{text}");
}
