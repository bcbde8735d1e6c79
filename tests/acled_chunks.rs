//! The ACLED reader reads its rows in chunks, in parallel: wherever the
//! chunks fall (inside a notes cell's quoted line break, or one row each)
//! and however many threads read them, the result is what one pass makes,
//! errors and their line:column included.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use mapline::io::acled::{chunks, generate, import_in_chunks};

/// A generated ACLED file of `rows` rows (notes with quoted commas, quotes
/// and line breaks).
fn acled(rows: usize) -> String {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("acled.csv");
    generate::generate(&path, rows, 9).unwrap();
    std::fs::read_to_string(path).unwrap()
}

/// What an import made, as text to compare: every entry and offset, or every diagnostic.
fn outcome(text: &str, chunk_bytes: usize) -> String {
    match import_in_chunks(text, "acled.csv", chunk_bytes) {
        Ok(imported) => format!(
            "{}\n{:?}\n{:?}",
            serde_json::to_string(&imported.manifest).unwrap(),
            imported.offsets,
            imported.warnings
        ),
        Err(errors) => errors.to_string(),
    }
}

const SIZES: [usize; 5] = [1, 100, 997, 20_000, usize::MAX];

#[test]
fn any_chunk_size_reads_a_clean_file_as_one_pass() {
    let text = acled(1500);
    assert!(text.contains(".\nA second report"), "quoted line breaks");
    let whole = outcome(&text, usize::MAX);
    assert!(whole.starts_with('{'), "{}", &whole[..whole.len().min(300)]);
    for size in SIZES {
        assert_eq!(outcome(&text, size), whole, "chunks of {size} bytes");
    }
    // Chunk boundaries stand after a line break outside quotes, never inside a notes cell.
    let body = text.find('\n').unwrap() + 1;
    let ranges = chunks::record_chunks(&text, body, 1);
    assert!(ranges.len() >= 1500, "one row a chunk: {}", ranges.len());
    for r in &ranges {
        let quotes = text[body..r.end].matches('"').count();
        assert_eq!(quotes % 2, 0, "a boundary inside quotes at {}", r.end);
    }
}

#[test]
fn errors_after_a_quoted_line_break_keep_their_place_in_any_chunks() {
    let text = acled(600);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text.as_bytes());
    let mut rows: Vec<Vec<String>> = reader
        .records()
        .map(|r| r.unwrap().iter().map(str::to_owned).collect())
        .collect();
    // After the first notes cell with a line break: a latitude of 95, a row
    // without an id, and, far away (another chunk), an id used again.
    let after = rows
        .iter()
        .position(|r| r[21].contains("\nA second report"))
        .unwrap()
        + 2;
    rows[after][16] = "95.5".to_owned();
    rows[after + 1][0].clear();
    let first_id = rows[1][0].clone();
    let last = rows.len() - 1;
    rows[last][0].clone_from(&first_id);
    let mut out = csv::Writer::from_writer(Vec::new());
    for r in &rows {
        out.write_record(r).unwrap();
    }
    let text = String::from_utf8(out.into_inner().unwrap()).unwrap();
    // The line of the broken row, counting the line breaks inside notes.
    let line = {
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(text.as_bytes());
        let mut record = csv::StringRecord::new();
        for _ in 0..=after {
            reader.read_record(&mut record).unwrap();
        }
        record.position().unwrap().line()
    };
    let whole = outcome(&text, usize::MAX);
    assert!(
        whole.contains("latitude 95.5 is outside -90..90"),
        "{whole}"
    );
    assert!(
        whole.contains(&format!("duplicate event id {first_id:?}")),
        "{whole}"
    );
    assert!(
        whole.contains(&format!("acled.csv:{line}:")) && line > after as u64 + 1,
        "{whole}"
    );
    for size in SIZES {
        assert_eq!(outcome(&text, size), whole, "chunks of {size} bytes");
    }
}

#[test]
fn one_thread_or_four_give_the_same_ids_and_order() {
    let text = acled(3000);
    let run = |threads: usize| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap()
            .install(|| outcome(&text, 5_000))
    };
    let one = run(1);
    assert_eq!(run(4), one);
    assert_eq!(outcome(&text, usize::MAX), one);
}

/// A file opened from disk is read in blocks and never held whole: it
/// gives the dataset the whole text gives, and an invalid byte far into it
/// is reported at its line, counted across the blocks before it.
#[test]
fn a_file_read_in_blocks_is_the_file_read_whole() {
    use mapline::io::import;
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("acled.csv");
    generate::generate(&path, 30_000, 4).unwrap();
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.len() > 2 * chunks::CHUNK_BYTES, "more than one block");
    let label = path.display().to_string();

    let opened = import::open(&path, None).unwrap().loaded;
    let whole = import::acled::import(&text, &label).unwrap();
    let whole = import::build(whole, &label, &text, import::Format::AcledCsv, None).unwrap();
    let ids = |d: &mapline::model::Dataset| -> Vec<String> {
        d.events.iter().map(|e| e.id().to_owned()).collect()
    };
    let places = |d: &mapline::model::Dataset| -> Vec<String> {
        d.places
            .iter()
            .map(|p| format!("{} {}", p.id, p.name))
            .collect()
    };
    assert_eq!(opened.dataset.events.len(), 30_000);
    assert_eq!(ids(&opened.dataset), ids(&whole.dataset));
    assert_eq!(places(&opened.dataset), places(&whole.dataset));
    let warnings = |w: &[mapline::io::Diagnostic]| -> Vec<String> {
        w.iter().map(ToString::to_string).collect()
    };
    assert_eq!(warnings(&opened.warnings), warnings(&whole.warnings));

    // An invalid byte at the start of a record three quarters in.
    let mut bytes = text.into_bytes();
    let at = chunks::last_record_end(&bytes[..bytes.len() * 3 / 4]).unwrap();
    let line = memchr::memchr_iter(b'\n', &bytes[..at]).count() + 1;
    bytes.insert(at, 0xff);
    std::fs::write(&path, &bytes).unwrap();
    let errors = import::open(&path, None).unwrap_err().to_string();
    assert!(
        errors.contains(&format!(
            ":{line}:1: file: the file is not UTF-8 text (invalid byte at byte offset {at})"
        )),
        "{errors}"
    );
}

/// A file written out by hand: row `r` stands on line `r + 1`, one more
/// after row 3's notes (a quoted line break) and one more after the blank
/// line that follows row 10 (a blank line is no row).
fn hand_written(change: impl Fn(usize, &mut [String; 6])) -> String {
    let mut text = "event_id_cnty,event_date,latitude,longitude,notes,location\n".to_owned();
    for r in 1..=60 {
        let notes = if r == 3 {
            "\"two\nlines\"".to_owned()
        } else {
            format!("note {r}")
        };
        let mut cells = [
            format!("X{r}"),
            "2022-07-15".to_owned(),
            "10.5".to_owned(),
            "20.5".to_owned(),
            notes,
            format!("Town {}", r % 7),
        ];
        change(r, &mut cells);
        text.push_str(&cells.join(","));
        text.push('\n');
        if r == 10 {
            text.push('\n');
        }
    }
    text
}

/// A problem in a later chunk is named by its row in the whole file, at
/// its line and column, however small the chunks: the chunk's own row
/// number never shows.
#[test]
fn a_problem_in_a_later_chunk_names_its_row_in_the_file() {
    let text = hand_written(|r, cells| {
        if r == 50 {
            cells[2] = "95.5".to_owned();
        }
    });
    let body = text.find('\n').unwrap() + 1;
    assert!(chunks::record_chunks(&text, body, 100).len() > 10);
    for size in SIZES {
        let errors = import_in_chunks(&text, "acled.csv", size)
            .err()
            .unwrap()
            .to_string();
        assert_eq!(
            errors,
            "1 error(s) in the dataset:\nacled.csv:53:16: row 50 (event_id_cnty X50): latitude 95.5 is outside -90..90",
            "chunks of {size} bytes"
        );
    }

    let text = hand_written(|r, cells| {
        if r == 55 {
            cells[0].clear();
        }
    });
    for size in SIZES {
        let imported = import_in_chunks(&text, "acled.csv", size).unwrap();
        let warnings: Vec<String> = imported.warnings.iter().map(ToString::to_string).collect();
        assert_eq!(
            warnings,
            ["acled.csv:58:1: row 55: warning: event_id_cnty is empty; the event is called row-55"],
            "chunks of {size} bytes"
        );
        let ids: Vec<&str> = imported
            .manifest
            .events
            .iter()
            .map(|e| e.id.as_str())
            .collect();
        assert_eq!(ids.len(), 60);
        assert_eq!(ids[54], "row-55", "chunks of {size} bytes");
        assert_eq!(ids[53], "X54");
    }
}
