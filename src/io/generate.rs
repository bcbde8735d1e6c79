//! `mapline generate`: a deterministic synthetic dataset in the native format,
//! shaped like real data, for tests and benchmarks.
//!
//! Every time form appears (day to decade, intervals, open ends, `~`, `?`);
//! places cluster around a few dozen centres worldwide; each event has 1–3
//! places and 1–3 excerpts; the sources' texts really contain every quote,
//! and the quotes are distinct (one per eight events, so 125,000 at a million).

use std::io::Write as _;
use std::path::Path;

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use sha2::{Digest as _, Sha256};

use super::atomic::write_atomic;
use super::format::{
    ActorEntry, ClaimEntry, EventEntry, EventPlaceEntry, ExcerptEntry, LinkEntry, Manifest,
    PlaceEntry, SourceEntry, StanceEntry,
};
use crate::model::{
    ActorKind, Category, LinkRelation, LocationPrecision, PlaceKind, PlaceRole, StanceWord,
};

/// How big a synthetic dataset to make.
#[derive(Clone, Copy, Debug)]
pub struct GenerateOptions {
    /// Number of events.
    pub events: usize,
    /// Seed; the same seed gives the same files.
    pub seed: u64,
}

/// What was generated.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Generated {
    /// Events written.
    pub events: usize,
    /// Places written.
    pub places: usize,
    /// Distinct quotes in the sources.
    pub quotes: usize,
    /// Sources written.
    pub sources: usize,
}

const SYLLABLES: [&str; 24] = [
    "ka", "ro", "vel", "ti", "ra", "man", "ez", "sa", "je", "vo", "bag", "dad", "te", "her", "al",
    "ban", "is", "or", "un", "mir", "da", "lo", "ske", "nu",
];
pub(crate) const WORDS: [&str; 32] = [
    "officials",
    "noted",
    "the",
    "ministry",
    "reported",
    "an",
    "attack",
    "on",
    "networks",
    "delegation",
    "visited",
    "talks",
    "in",
    "statement",
    "denied",
    "claims",
    "investigators",
    "found",
    "evidence",
    "of",
    "sanctions",
    "against",
    "embassy",
    "staff",
    "were",
    "ordered",
    "to",
    "leave",
    "government",
    "services",
    "disrupted",
    "region",
];
const PERSPECTIVES: [&str; 8] = [
    "US wire",
    "Washington think tank",
    "Iranian state-aligned",
    "Latin American state",
    "European public broadcaster",
    "Gulf state-owned",
    "Russian state",
    "Independent regional",
];

pub(crate) fn name(rng: &mut ChaCha8Rng, syllables: usize) -> String {
    let mut s = String::new();
    for _ in 0..syllables {
        s.push_str(SYLLABLES[rng.random_range(0..SYLLABLES.len())]);
    }
    let mut chars = s.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// A random EDTF time of any form, mostly recent, mostly days.
fn random_time(rng: &mut ChaCha8Rng) -> String {
    let year = if rng.random_bool(0.7) {
        rng.random_range(2000..=2023)
    } else {
        rng.random_range(1960..=1999)
    };
    let month = rng.random_range(1..=12u32);
    let day = rng.random_range(1..=28u32);
    match rng.random_range(0..100) {
        0..50 => format!("{year:04}-{month:02}-{day:02}"),
        50..65 => format!("{year:04}-{month:02}"),
        65..73 => format!("{year:04}"),
        73..77 => format!("{}X", year / 10),
        77..85 => {
            let end = (year + rng.random_range(0..4)).min(2023);
            let end_month = if end == year {
                rng.random_range(month..=12)
            } else {
                rng.random_range(1..=12)
            };
            format!("{year:04}-{month:02}/{end:04}-{end_month:02}")
        }
        85..89 => format!("{year:04}-{month:02}/.."),
        89..92 => format!("../{year:04}"),
        92..96 => format!("{year:04}-{month:02}-{day:02}~"),
        _ => format!("{year:04}?"),
    }
}

/// Writes a synthetic dataset of `opts.events` events into `out`.
///
/// # Errors
/// Any I/O error while writing.
pub fn generate(out: &Path, opts: GenerateOptions) -> std::io::Result<Generated> {
    generate_with_sources(out, opts, 8)
}

/// [`generate`] with `source_count` articles (at least one) instead of eight.
///
/// # Errors
/// Any I/O error while writing.
pub fn generate_with_sources(
    out: &Path,
    opts: GenerateOptions,
    source_count: usize,
) -> std::io::Result<Generated> {
    let source_count = source_count.max(1);
    let mut rng = ChaCha8Rng::seed_from_u64(opts.seed);
    let n = opts.events;
    std::fs::create_dir_all(out.join("sources"))?;

    // Places clustered around centres, as real story places are.
    let place_count = (n / 4).clamp(200, 5000);
    let centres: Vec<(f64, f64)> = (0..40)
        .map(|_| {
            (
                rng.random_range(-170.0..170.0),
                rng.random_range(-50.0..65.0),
            )
        })
        .collect();
    let places: Vec<PlaceEntry> = (0..place_count)
        .map(|i| {
            let (clon, clat) = centres[rng.random_range(0..centres.len())];
            let spread = rng.random_range(0.2..6.0);
            let kind = match rng.random_range(0..10) {
                0 => PlaceKind::Country,
                1 => PlaceKind::Site,
                _ => PlaceKind::City,
            };
            PlaceEntry {
                id: format!("p{i}"),
                name: format!("{} {i}", name(&mut rng, 2 + i % 2)),
                aliases: if i % 7 == 0 {
                    vec![name(&mut rng, 3)]
                } else {
                    Vec::new()
                },
                lon: (clon + rng.random_range(-spread..spread)).clamp(-180.0, 180.0),
                lat: (clat + rng.random_range(-spread..spread) * 0.6).clamp(-85.0, 85.0),
                kind,
                precision: if kind == PlaceKind::Country {
                    LocationPrecision::Country
                } else {
                    LocationPrecision::City
                },
                country: None,
                note: None,
            }
        })
        .collect();

    // Distinct quotes, each in one source's text. "Item 12:" never stands
    // inside "Item 112:", so every quote occurs exactly once.
    let quote_count = (n / 8).max(50);
    let mut quotes: Vec<(usize, String)> = Vec::with_capacity(quote_count);
    let mut texts: Vec<String> = vec![String::new(); source_count];
    for q in 0..quote_count {
        let source = q % source_count;
        let mut sentence = format!("Item {q}:");
        for _ in 0..rng.random_range(6..14) {
            sentence.push(' ');
            sentence.push_str(WORDS[rng.random_range(0..WORDS.len())]);
        }
        sentence.push('.');
        let text = &mut texts[source];
        text.push_str(&sentence);
        text.push(if q % 5 == 4 { '\n' } else { ' ' });
        quotes.push((source, sentence));
    }
    let mut sources = Vec::with_capacity(source_count);
    for (i, text) in texts.iter().enumerate() {
        let file = format!("sources/s{i}.txt");
        write_atomic(&out.join(&file), text.as_bytes())?;
        sources.push(SourceEntry {
            id: format!("s{i}"),
            outlet: format!("Synthetic Outlet {i}"),
            title: format!("Synthetic article {i}"),
            authors: vec![name(&mut rng, 2)],
            published: Some(format!("2023-0{}-1{}", 1 + i % 9, i % 10)),
            published_note: None,
            perspective: PERSPECTIVES[i % PERSPECTIVES.len()].to_owned(),
            actor: None,
            url: None,
            licence: "Synthetic text generated by mapline; no rights reserved.".to_owned(),
            file,
            sha256: format!("{:x}", Sha256::digest(text.as_bytes())),
        });
    }
    let actors: Vec<ActorEntry> = (0..20)
        .map(|i| ActorEntry {
            id: format!("a{i}"),
            name: name(&mut rng, 3),
            short: None,
            kind: ActorKind::ALL[i % ActorKind::ALL.len()],
            aliases: Vec::new(),
            note: None,
        })
        .collect();

    // The events go straight to the file, a line at a time: a million of
    // them would otherwise sit in memory (and in a benchmark's peak) at once.
    let mut tmp = tempfile::NamedTempFile::new_in(out)?;
    let mut lines = std::io::BufWriter::with_capacity(1 << 20, tmp.as_file_mut());
    let roles = [
        PlaceRole::Location,
        PlaceRole::Target,
        PlaceRole::Origin,
        PlaceRole::Destination,
        PlaceRole::Seat,
    ];
    let mut earliest: Vec<Option<crate::model::Day>> = Vec::with_capacity(n);
    for i in 0..n {
        let category = Category::ALL[rng.random_range(0..Category::ALL.len())];
        let place_list: Vec<EventPlaceEntry> = (0..rng.random_range(1..=3))
            .map(|k| EventPlaceEntry {
                place: format!("p{}", rng.random_range(0..place_count)),
                role: roles[(k + i) % roles.len()],
            })
            .collect();
        let excerpts: Vec<ExcerptEntry> = (0..rng.random_range(1..=3))
            .map(|_| {
                let (source, quote) = &quotes[rng.random_range(0..quote_count)];
                ExcerptEntry {
                    source: format!("s{source}"),
                    quote: quote.clone(),
                    occurrence: None,
                    note: None,
                }
            })
            .collect();
        let time = random_time(&mut rng);
        let bounds = crate::model::FuzzyTime::parse(&time)
            .map(|t| (t.earliest(), t.latest()))
            .unwrap_or_default();
        // A response names an event that begins no later than it ends, as
        // the loader expects (it warns about a cause after its effect).
        let mut event_links = Vec::new();
        if i > 0 && rng.random_bool(0.05) {
            for _ in 0..8 {
                let j = rng.random_range(0..i);
                let fits = match (earliest[j], bounds.1) {
                    (Some(cause), Some(effect)) => cause <= effect,
                    _ => true,
                };
                if fits {
                    event_links.push(LinkEntry {
                        relation: LinkRelation::RespondsTo,
                        event: format!("e{j}"),
                    });
                    break;
                }
            }
        }
        earliest.push(bounds.0);
        let event = EventEntry {
            id: format!("e{i}"),
            title: format!(
                "{} {} event near {}",
                name(&mut rng, 2),
                category,
                place_list[0].place
            ),
            time,
            time_note: None,
            category,
            places: place_list,
            actors: vec![format!("a{}", rng.random_range(0..20))],
            excerpts,
            links: event_links,
            ..EventEntry::default()
        };
        serde_json::to_writer(&mut lines, &event).map_err(std::io::Error::other)?;
        lines.write_all(b"\n")?;
    }
    lines.flush()?;
    drop(lines);
    tmp.as_file().sync_all()?;
    tmp.persist(out.join("events.jsonl")).map_err(|e| e.error)?;

    let claims: Vec<ClaimEntry> = (0..(n / 100).clamp(1, 1000))
        .map(|c| {
            let stances = (0..3)
                .map(|k| {
                    let (source, quote) = &quotes[rng.random_range(0..quote_count)];
                    StanceEntry {
                        actor: format!("a{}", (c + k) % 20),
                        stance: [
                            StanceWord::Asserts,
                            StanceWord::Denies,
                            StanceWord::Disputes,
                        ][k],
                        source: format!("s{source}"),
                        quote: quote.clone(),
                        occurrence: None,
                        time: None,
                        // A random sentence is no one's words: the
                        // attribution lints do not apply.
                        note: Some(
                            "Generated: a synthetic sentence, not an attribution.".to_owned(),
                        ),
                    }
                })
                .collect();
            ClaimEntry {
                id: format!("c{c}"),
                statement: format!("Synthetic claim {c}"),
                events: if n > 0 {
                    vec![format!("e{}", rng.random_range(0..n))]
                } else {
                    Vec::new()
                },
                alleged_origin: Some(format!("p{}", rng.random_range(0..place_count))),
                stances,
            }
        })
        .collect();
    let manifest: Manifest = Manifest {
        schema: None,
        title: format!("Synthetic dataset ({n} events, seed {})", opts.seed),
        description: "Generated by `mapline generate` for tests and benchmarks; not real events."
            .to_owned(),
        sources,
        actors,
        places,
        events: Vec::new(),
        events_file: Some("events.jsonl".to_owned()),
        claims,
        eras: Vec::new(),
    };
    let json = serde_json::to_vec_pretty(&manifest).map_err(std::io::Error::other)?;
    write_atomic(&out.join(super::native::MANIFEST), &json)?;
    Ok(Generated {
        events: n,
        places: place_count,
        quotes: quote_count,
        sources: source_count,
    })
}

/// The shapes a file of generated events can take besides the native
/// folder: each is the native dataset's events, written as a file of that
/// format (the scaling bench reads each at several sizes).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shape {
    /// TimelineJS JSON, pretty-printed (as mapline exports it).
    TimelineJs,
    /// TimelineJS JSON as a minifier leaves it: the whole file on one line.
    TimelineJsMinified,
    /// A TimelineJS spreadsheet (the template's columns) as CSV.
    TimelineJsSheet,
    /// GeoJSON, pretty-printed (as mapline exports it).
    GeoJson,
    /// GeoJSON on one line.
    GeoJsonMinified,
}

/// Writes a file of `events` synthetic events to `out` in `shape`: a native
/// dataset is generated (in a temporary folder), loaded and exported, so the
/// file carries every time form the generator makes; the number of places.
///
/// # Errors
/// Any I/O error, or a generated dataset that does not load (a bug).
pub fn shaped(out: &Path, shape: Shape, events: usize, seed: u64) -> std::io::Result<usize> {
    use super::export::ExportFormat;
    let dir = tempfile::tempdir()?;
    generate(dir.path(), GenerateOptions { events, seed })?;
    let loaded = super::load_dir(dir.path()).map_err(std::io::Error::other)?;
    let all: Vec<_> = loaded.dataset.event_indices().collect();
    let view = super::export::View {
        dataset: &loaded.dataset,
        events: &all,
    };
    let format = match shape {
        Shape::TimelineJsSheet => {
            super::timelinejs::write::write_sheet(&view, out)?;
            return Ok(loaded.dataset.places.len());
        }
        Shape::TimelineJs | Shape::TimelineJsMinified => ExportFormat::TimelineJs,
        Shape::GeoJson | Shape::GeoJsonMinified => ExportFormat::GeoJson,
    };
    super::export::export(&view, format, out).map_err(|e| std::io::Error::other(e.to_string()))?;
    if matches!(shape, Shape::TimelineJsMinified | Shape::GeoJsonMinified) {
        let pretty = std::fs::read(out)?;
        write_atomic(out, &minified_json(&pretty))?;
    }
    Ok(loaded.dataset.places.len())
}

/// Writes a TimelineJS JSON file of `events` synthetic events to `out`
/// (pretty-printed, [`Shape::TimelineJs`]).
///
/// # Errors
/// Any I/O error, or a generated dataset that does not load (a bug).
pub fn timelinejs(out: &Path, events: usize, seed: u64) -> std::io::Result<usize> {
    shaped(out, Shape::TimelineJs, events, seed)
}

/// JSON text without the white space between its tokens, keys in their
/// order (`serde_json::Value` would sort them): what a minifier writes.
#[must_use]
pub fn minified_json(text: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(text.len());
    let (mut in_string, mut escaped) = (false, false);
    for &b in text {
        if in_string {
            out.push(b);
            if escaped {
                escaped = false;
            } else if b == b'\\' {
                escaped = true;
            } else if b == b'"' {
                in_string = false;
            }
        } else if !matches!(b, b' ' | b'\t' | b'\n' | b'\r') {
            in_string = b == b'"';
            out.push(b);
        }
    }
    out
}

#[cfg(test)]
mod shape_tests {
    use super::*;

    #[test]
    fn minified_json_is_the_same_value_on_one_line() {
        let pretty = "{\n  \"a b\": [1, 2],\n  \"t\": \"x \\\" y\\\\\",\n  \"z\": {}\n}\n";
        let small = minified_json(pretty.as_bytes());
        assert_eq!(
            String::from_utf8_lossy(&small),
            r#"{"a b":[1,2],"t":"x \" y\\","z":{}}"#
        );
        let a: serde_json::Value = serde_json::from_str(pretty).unwrap_or_default();
        let b: serde_json::Value = serde_json::from_slice(&small).unwrap_or_default();
        assert_eq!(a, b);
    }
}
