//! `mapline generate --format acled`: an ACLED-shaped CSV as ACLED exports
//! it, for benchmarks against what a data person would use (`DuckDB`).
//!
//! The 25 columns of an ACLED export; thousands of distinct locations (up
//! to 16,000), each with its admin1, country and ISO code; `time_precision`
//! 1, 2 and 3 mixed as in real exports; notes of 50–500 characters, some
//! with quoted commas, quotes and line breaks.

use std::path::Path;

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::io::atomic::write_atomic_with;
use crate::io::generate::{WORDS, name};

/// The columns, in ACLED's order.
pub const COLUMNS: [&str; 25] = [
    "event_id_cnty",
    "event_date",
    "year",
    "time_precision",
    "disorder_type",
    "event_type",
    "sub_event_type",
    "actor1",
    "assoc_actor_1",
    "actor2",
    "assoc_actor_2",
    "iso",
    "region",
    "country",
    "admin1",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "source",
    "source_scale",
    "notes",
    "fatalities",
    "tags",
    "timestamp",
];

/// (disorder type, event type, sub-event types) as ACLED names them.
const TYPES: [(&str, &str, &[&str]); 6] = [
    (
        "Demonstrations",
        "Protests",
        &[
            "Peaceful protest",
            "Protest with intervention",
            "Excessive force against protesters",
        ],
    ),
    (
        "Demonstrations",
        "Riots",
        &["Violent demonstration", "Mob violence"],
    ),
    (
        "Political violence",
        "Battles",
        &[
            "Armed clash",
            "Government regains territory",
            "Non-state actor overtakes territory",
        ],
    ),
    (
        "Political violence",
        "Violence against civilians",
        &[
            "Attack",
            "Abduction/forced disappearance",
            "Sexual violence",
        ],
    ),
    (
        "Political violence",
        "Explosions/Remote violence",
        &[
            "Shelling/artillery/missile attack",
            "Air/drone strike",
            "Remote explosive/landmine/IED",
        ],
    ),
    (
        "Strategic developments",
        "Strategic developments",
        &[
            "Agreement",
            "Arrests",
            "Change to group/activity",
            "Looting/property destruction",
        ],
    ),
];

/// (ISO code, country, region, centre lon, centre lat) for the locations.
const COUNTRIES: [(u32, &str, &str, f64, f64); 12] = [
    (8, "Albania", "Europe", 20.0, 41.2),
    (364, "Iran", "Middle East", 53.7, 32.4),
    (368, "Iraq", "Middle East", 43.7, 33.2),
    (70, "Bosnia and Herzegovina", "Europe", 17.7, 43.9),
    (804, "Ukraine", "Europe", 31.2, 48.4),
    (566, "Nigeria", "Western Africa", 8.7, 9.1),
    (356, "India", "South Asia", 78.9, 22.6),
    (484, "Mexico", "Central America", -102.5, 23.6),
    (76, "Brazil", "South America", -51.9, -14.2),
    (608, "Philippines", "Southeast Asia", 121.8, 12.9),
    (887, "Yemen", "Middle East", 48.5, 15.6),
    (729, "Sudan", "Northern Africa", 30.2, 12.9),
];

const SOURCES: [&str; 6] = [
    "Reuters",
    "Associated Press",
    "Local media",
    "Twitter; Local media",
    "Human Rights Watch",
    "Government statement",
];

const SCALES: [&str; 4] = [
    "National",
    "International",
    "Subnational",
    "National-International",
];

struct Location {
    country: usize,
    admin1: String,
    name: String,
    lat: f64,
    lon: f64,
    geo_precision: u8,
}

/// The shape of a generated ACLED file: how many distinct locations, in
/// how many countries, and how long its notes are.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AcledShape {
    /// Distinct locations (`None`: a sixth of the rows, from 50 to 16,000).
    pub locations: Option<usize>,
    /// Countries they lie in (1 to 12).
    pub countries: usize,
    /// Shortest and longest note, in characters (a note can run a few
    /// characters past the longest to finish its last word).
    pub notes: (usize, usize),
}

impl Default for AcledShape {
    /// The bench's file: thousands of locations in 12 countries, notes of
    /// 50–500 characters.
    fn default() -> Self {
        Self {
            locations: None,
            countries: COUNTRIES.len(),
            notes: (50, 500),
        }
    }
}

/// Notes of `lengths` characters; about one in ten holds a quoted phrase with
/// a comma, and one in twenty a line break, as real notes do.
fn notes(rng: &mut ChaCha8Rng, day: &str, location: &str, lengths: (usize, usize)) -> String {
    let target = rng.random_range(lengths.0..=lengths.1.max(lengths.0));
    let mut s = format!("On {day}, in {location},");
    while s.len() < target {
        s.push(' ');
        s.push_str(WORDS[rng.random_range(0..WORDS.len())]);
    }
    if rng.random_bool(0.1) {
        s.push_str(", chanting \"no to poverty, no to war\"");
    }
    if rng.random_bool(0.05) {
        s.push_str(".\nA second report gives a different count");
    }
    s.push('.');
    s
}

/// Writes `rows` ACLED-shaped rows to `out` (atomically); the number of
/// distinct locations.
///
/// # Errors
/// Any I/O error while writing.
pub fn generate(out: &Path, rows: usize, seed: u64) -> std::io::Result<usize> {
    generate_shaped(out, rows, seed, AcledShape::default())
}

/// [`generate`] in another shape (the default shape writes the same file).
///
/// # Errors
/// Any I/O error while writing.
pub fn generate_shaped(
    out: &Path,
    rows: usize,
    seed: u64,
    shape: AcledShape,
) -> std::io::Result<usize> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let location_count = shape
        .locations
        .unwrap_or((rows / 6).clamp(50, 16_000))
        .max(1);
    let countries = shape.countries.clamp(1, COUNTRIES.len());
    let locations: Vec<Location> = (0..location_count)
        .map(|_| {
            let country = rng.random_range(0..countries);
            let (_, _, _, lon, lat) = COUNTRIES[country];
            Location {
                country,
                admin1: name(&mut rng, 2),
                name: name(&mut rng, 3),
                lat: (lat + rng.random_range(-4.0..4.0f64)).clamp(-89.0, 89.0),
                lon: (lon + rng.random_range(-4.0..4.0f64)).clamp(-179.0, 179.0),
                geo_precision: rng.random_range(1..=3),
            }
        })
        .collect();
    let actors: Vec<String> = (0..400)
        .map(|i| match i % 4 {
            0 => format!("Protesters ({})", COUNTRIES[i % COUNTRIES.len()].1),
            1 => format!("Military Forces of {}", COUNTRIES[i % COUNTRIES.len()].1),
            2 => format!("{} Militia", name(&mut rng, 2)),
            _ => format!("Civilians ({})", COUNTRIES[i % COUNTRIES.len()].1),
        })
        .collect();
    write_atomic_with(out, |file| {
        let mut w =
            csv::WriterBuilder::new().from_writer(std::io::BufWriter::with_capacity(1 << 20, file));
        w.write_record(COLUMNS)?;
        for i in 0..rows {
            let loc = &locations[rng.random_range(0..locations.len())];
            let (iso, country, region, _, _) = COUNTRIES[loc.country];
            let year = rng.random_range(2018..=2024);
            let month = rng.random_range(1..=12u32);
            let day = rng.random_range(1..=28u32);
            let date = format!("{year:04}-{month:02}-{day:02}");
            let precision = match rng.random_range(0..100) {
                0..85 => "1",
                85..95 => "2",
                _ => "3",
            };
            let (disorder, event_type, subs) = TYPES[rng.random_range(0..TYPES.len())];
            let sub = subs[rng.random_range(0..subs.len())];
            let first_actor = &actors[rng.random_range(0..actors.len())];
            let second_actor = if rng.random_bool(0.6) {
                actors[rng.random_range(0..actors.len())].as_str()
            } else {
                ""
            };
            let assoc = if rng.random_bool(0.3) {
                actors[rng.random_range(0..actors.len())].as_str()
            } else {
                ""
            };
            let fatalities = if event_type == "Protests" {
                0
            } else {
                rng.random_range(0..12u32)
            };
            let tags = if event_type == "Protests" && rng.random_bool(0.5) {
                format!("crowd size=around {}", rng.random_range(2..50) * 10)
            } else {
                String::new()
            };
            w.write_record([
                format!("{}{}", &country[..3].to_ascii_uppercase(), 100_000 + i),
                date.clone(),
                year.to_string(),
                precision.to_owned(),
                disorder.to_owned(),
                event_type.to_owned(),
                sub.to_owned(),
                first_actor.clone(),
                assoc.to_owned(),
                second_actor.to_owned(),
                String::new(),
                iso.to_string(),
                region.to_owned(),
                country.to_owned(),
                loc.admin1.clone(),
                loc.name.clone(),
                format!("{:.4}", loc.lat),
                format!("{:.4}", loc.lon),
                loc.geo_precision.to_string(),
                SOURCES[rng.random_range(0..SOURCES.len())].to_owned(),
                SCALES[rng.random_range(0..SCALES.len())].to_owned(),
                notes(&mut rng, &date, &loc.name, shape.notes),
                fatalities.to_string(),
                tags,
                (1_600_000_000 + i as u64 * 17).to_string(),
            ])?;
        }
        w.flush()?;
        Ok(())
    })?;
    Ok(location_count)
}
