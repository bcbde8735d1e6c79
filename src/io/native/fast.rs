//! The streaming way into a native folder with nothing wrong in it: the
//! manifest read as the careful way reads it, the events file handed to
//! the builder's streaming path ([`crate::io::builder::stream`]) in blocks
//! of whole lines. At the first doubt it gives up, and the careful reading
//! reports every problem where it stands.

use std::collections::HashSet;

use super::careful::{Head, parse_items, raw_items_of, read_head};
use crate::io::builder::stream::{CleanEvents, build_clean};
use crate::io::builder::{Entries, Loc, Span};
use crate::io::format::{ActorEntry, ClaimEntry, PlaceEntry, SourceEntry};
use crate::io::native::{DatasetFiles, LoadOptions, Loaded, MANIFEST};

/// The events file is read in pieces of about this many bytes.
pub(crate) const EVENTS_PIECE: usize = 8 << 20;

/// Loads a dataset that has no problem at all, streaming its events file;
/// `None` at the first problem (or the first warning, but the one that says
/// imported events have no excerpt).
pub(crate) fn load_clean(files: &dyn DatasetFiles, options: &LoadOptions<'_>) -> Option<Loaded> {
    load_clean_in(files, options, EVENTS_PIECE)
}

/// [`load_clean`], reading the events file in pieces of about `piece` bytes.
fn load_clean_in(
    files: &dyn DatasetFiles,
    options: &LoadOptions<'_>,
    piece: usize,
) -> Option<Loaded> {
    if let Some(p) = options.progress {
        p.stage("Reading the manifest", 0);
    }
    let manifest_label = files.display_path(MANIFEST);
    let manifest_bytes = files.read(MANIFEST).ok()?;
    let manifest_text = std::str::from_utf8(&manifest_bytes).ok()?;
    let Head {
        mut ctx,
        raw,
        file,
        base,
    } = read_head(manifest_label, manifest_text).ok()?;
    let source_items = raw_items_of(&ctx, file, "source", &raw.sources);
    let actor_items = raw_items_of(&ctx, file, "actor", &raw.actors);
    let place_items = raw_items_of(&ctx, file, "place", &raw.places);
    let claim_items = raw_items_of(&ctx, file, "claim", &raw.claims);
    let mut broken: HashSet<String> = HashSet::new();
    let sources: Vec<(SourceEntry, Span)> = parse_items(&mut ctx, &source_items, &mut broken);
    let actors: Vec<(ActorEntry, Span)> = parse_items(&mut ctx, &actor_items, &mut broken);
    let places: Vec<(PlaceEntry, Span)> = parse_items(&mut ctx, &place_items, &mut broken);
    let claims: Vec<(ClaimEntry, Span)> = parse_items(&mut ctx, &claim_items, &mut broken);
    if !ctx.diags.is_empty() {
        return None;
    }
    let events_file = match &raw.events_file {
        Some(rel) => Some(files.open(rel).ok()?),
        None => None,
    };
    let entries = Entries {
        title: raw.title,
        description: raw.description,
        sources,
        actors,
        places,
        events: Vec::new(),
        event_spans: Vec::new(),
        claims,
        eras: raw.eras,
        eras_at: Span::new(file, base, manifest_text.len()),
        dataset_at: Loc { file, offset: 0 },
        broken,
    };
    let events = CleanEvents {
        inline: raw.events.iter().map(|r| r.get()).collect(),
        file: events_file,
        piece,
    };
    build_clean(&mut ctx, files, entries, events, options)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use crate::io::native::{DirFiles, LoadOptions, careful::load_careful};

    /// The streaming path and the careful loader build the same dataset
    /// from the same clean files: the same events in the same order, each
    /// excerpt at the same passage.
    fn both_agree(files: &dyn DatasetFiles, piece: usize) {
        let options = LoadOptions::default();
        let fast =
            load_clean_in(files, &options, piece).expect("a clean dataset takes the fast path");
        let careful = load_careful(files, &options).unwrap();
        let (ds, other) = (&fast.dataset, &careful.dataset);
        assert_eq!(ds.title, other.title);
        assert_eq!(ds.sources, other.sources);
        assert_eq!(ds.actors, other.actors);
        assert_eq!(ds.places, other.places);
        assert_eq!(ds.events, other.events);
        assert_eq!(ds.claims, other.claims);
        assert_eq!(format!("{:?}", ds.eras), format!("{:?}", other.eras));
        assert_eq!(fast.warnings, careful.warnings);
        let cited = ds
            .events
            .iter()
            .flat_map(|e| e.excerpts().iter().collect::<Vec<_>>())
            .count();
        assert!(cited > ds.events.len(), "events cite their passages");
    }

    #[test]
    fn the_fast_path_builds_what_the_careful_loader_builds() {
        // The embedded story: quotes cited by several events, an occurrence
        // past the first, stances.
        both_agree(
            &DirFiles::new(concat!(env!("CARGO_MANIFEST_DIR"), "/data/albania-iran")),
            EVENTS_PIECE,
        );
        // A generated dataset with an events file: many events share each
        // passage, read in more than one run, in one piece and in about
        // twenty (each built while the one before is merged).
        let dir = tempfile::tempdir().unwrap();
        crate::io::generate::generate(
            dir.path(),
            crate::io::generate::GenerateOptions {
                events: 3000,
                seed: 11,
            },
        )
        .unwrap();
        both_agree(&DirFiles::new(dir.path()), EVENTS_PIECE);
        both_agree(&DirFiles::new(dir.path()), 64 << 10);
    }

    /// What a load gave, in a form two loads can be compared by: the
    /// dataset's parts and the warnings, or the errors.
    fn outcome(loaded: Result<&Loaded, &crate::io::DatasetErrors>) -> String {
        match loaded {
            Ok(l) => {
                let ds = &l.dataset;
                format!(
                    "ok {:?} {:?} {:?} {:?} {:?} {:?} {:?} {:?}",
                    ds.title,
                    ds.sources,
                    ds.actors,
                    ds.places,
                    ds.events,
                    ds.claims,
                    ds.eras,
                    l.warnings
                )
            }
            Err(e) => format!("err {:?}", e.0),
        }
    }

    /// Loads `files` both ways: whenever the streaming path builds a
    /// dataset, the careful reading builds the same one with the same
    /// warnings, and the load as the app does it (streaming, else careful)
    /// says exactly what the careful reading says. `true` when the
    /// streaming path built it.
    fn same_both_ways(files: &dyn DatasetFiles, what: &str) -> bool {
        let options = LoadOptions::default();
        let careful = load_careful(files, &options);
        let streamed = load_clean_in(files, &options, 64 << 10);
        if let Some(s) = &streamed {
            assert!(
                careful.is_ok(),
                "{what}: streamed, but the careful reading refuses it"
            );
            assert_eq!(outcome(Ok(s)), outcome(careful.as_ref()), "{what}");
        }
        assert_eq!(
            outcome(crate::io::native::load_with(files, &options).as_ref()),
            outcome(careful.as_ref()),
            "{what}"
        );
        streamed.is_some()
    }

    #[test]
    fn both_paths_agree_on_the_whole_broken_corpus_and_on_generated_data() {
        let corpus = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/broken");
        let mut cases: Vec<_> = std::fs::read_dir(&corpus)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.join(MANIFEST).is_file())
            .collect();
        cases.sort();
        assert!(
            cases.len() >= 40,
            "the native cases of the corpus: {}",
            cases.len()
        );
        for case in &cases {
            same_both_ways(&DirFiles::new(case), &case.display().to_string());
        }
        // Generated data, clean and then broken in one event line (an
        // unknown place, a quote not in its article, a bad time), and with
        // a warning (an imported-style event with no excerpt).
        let dir = tempfile::tempdir().unwrap();
        crate::io::generate::generate(
            dir.path(),
            crate::io::generate::GenerateOptions {
                events: 3000,
                seed: 5,
            },
        )
        .unwrap();
        let files = DirFiles::new(dir.path());
        assert!(
            same_both_ways(&files, "generated"),
            "a clean dataset streams"
        );
        let events = dir.path().join("events.jsonl");
        let clean = std::fs::read_to_string(&events).unwrap();
        let line = clean.lines().nth(1700).unwrap().to_owned();
        let first_quote = |l: &str| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            v["excerpts"][0]["quote"].as_str().unwrap().to_owned()
        };
        let quote = serde_json::to_string(&first_quote(&line)).unwrap();
        let time = {
            let v: serde_json::Value = serde_json::from_str(&line).unwrap();
            serde_json::to_string(v["time"].as_str().unwrap()).unwrap()
        };
        for (what, broken) in [
            (
                "unknown place",
                line.replacen("\"place\":\"", "\"place\":\"nowhere-", 1),
            ),
            (
                "quote not in its article",
                line.replacen(&quote, "\"words no article holds\"", 1),
            ),
            ("bad time", line.replacen(&time, "\"2022-13-45\"", 1)),
            ("no excerpt", {
                let mut v: serde_json::Value = serde_json::from_str(&line).unwrap();
                v["excerpts"] = serde_json::json!([]);
                v.to_string()
            }),
        ] {
            assert_ne!(broken, line, "{what}: the line was changed");
            std::fs::write(&events, clean.replacen(&line, &broken, 1)).unwrap();
            assert!(
                !same_both_ways(&files, what),
                "{what}: the streaming path gives up"
            );
        }
    }
}
