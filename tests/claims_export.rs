//! Claims in the exports: the native folder and the TimelineJS file carry
//! every claim with its stances' strength, time and note, and give them
//! back; GeoJSON puts the claims about each event on its feature (issue 16).
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use mapline::io;
use mapline::io::export::{ExportFormat, View, export};
use mapline::io::format::{
    ActorEntry, ClaimEntry, EventEntry, EventPlaceEntry, Manifest, PlaceEntry, SourceEntry,
};
use mapline::io::import;
use mapline::model::{Dataset, EventIdx, StanceWord};
use serde_json::{Value, json};
use sha2::{Digest as _, Sha256};

/// One stance as compared: actor id, word, source id, the quoted passage,
/// its time (EDTF) and its note.
type StanceView = (
    String,
    StanceWord,
    String,
    String,
    Option<String>,
    Option<String>,
);

/// One claim as compared: statement, event ids, alleged origin (place id)
/// and stances.
type ClaimView = (String, Vec<String>, Option<String>, Vec<StanceView>);

/// Every claim of `ds` by id, with everything a round trip must keep.
fn claims(ds: &Dataset) -> BTreeMap<String, ClaimView> {
    ds.claims
        .iter()
        .map(|c| {
            let stances = c
                .stances
                .iter()
                .map(|s| {
                    (
                        ds.actor(s.actor).id.clone(),
                        s.stance,
                        ds.source(s.excerpt.source).id.clone(),
                        s.excerpt.text(&ds.sources).to_owned(),
                        s.time.as_ref().map(|t| t.edtf().to_owned()),
                        s.note.clone(),
                    )
                })
                .collect();
            let events = c
                .events
                .iter()
                .map(|&e| ds.event(e).id().to_owned())
                .collect();
            let origin = c.alleged_origin.map(|p| ds.place(p).id.clone());
            (c.id.clone(), (c.statement.clone(), events, origin, stances))
        })
        .collect()
}

/// Every source of `ds` by id, with the id of its own actor.
fn source_actors(ds: &Dataset) -> BTreeMap<String, Option<String>> {
    ds.sources
        .iter()
        .map(|s| (s.id.clone(), s.actor.map(|a| ds.actor(a).id.clone())))
        .collect()
}

/// The stances a comparison would lose if `suggests`, stance times or
/// notes were ever dropped: there must be one of each, or the test proves
/// nothing.
fn assert_has_strength_time_and_note(ds: &Dataset, what: &str) {
    let stances: Vec<_> = ds.claims.iter().flat_map(|c| &c.stances).collect();
    assert!(
        stances.iter().any(|s| s.stance == StanceWord::Suggests),
        "{what}: no `suggests` stance to compare"
    );
    assert!(
        stances.iter().any(|s| s.time.is_some()),
        "{what}: no stance with a time to compare"
    );
    assert!(
        stances.iter().any(|s| s.note.is_some()),
        "{what}: no stance with a note to compare"
    );
    assert!(
        ds.sources.iter().any(|s| s.actor.is_some()),
        "{what}: no source with its own actor to compare"
    );
}

fn all_events(ds: &Dataset) -> Vec<EventIdx> {
    ds.event_indices().collect()
}

/// Exports every event of `ds` as `format` to `name` in `dir`.
fn export_all(ds: &Dataset, format: ExportFormat, dir: &Path, name: &str) -> PathBuf {
    let events = all_events(ds);
    let out = dir.join(name);
    let summary = export(
        &View {
            dataset: ds,
            events: &events,
        },
        format,
        &out,
    )
    .unwrap();
    assert_eq!(summary.events, ds.events.len());
    out
}

fn read_json(path: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

// ---------------------------------------------------------------------------
// A small dataset of its own: every stance word, a stance with a time and a
// note, a quote that stands twice in its article, a source that is its
// outlet's own voice, and a claim about two events.

const ARTICLE: &str = "Test Wire, 7 September 2022.\n\n\
Albania cut ties with Iran on Wednesday. Officials in Tirana blamed Iran.\n\
Iran denied it. The attack was apparently the work of a state, the Wire\n\
said in 2022. A spokesman questioned the findings. Officials in Tirana\n\
blamed Iran.\n\n\
The embassy staff were ordered to leave.\n";

fn small_dataset(dir: &Path) -> PathBuf {
    let root = dir.join("small");
    std::fs::create_dir_all(root.join("sources")).unwrap();
    std::fs::write(root.join("sources/wire.txt"), ARTICLE).unwrap();
    let sha = format!("{:x}", Sha256::digest(ARTICLE.as_bytes()));
    let manifest = json!({
        "title": "Claims, small",
        "sources": [{
            "id": "wire", "outlet": "Test Wire", "title": "Test article",
            "published": "2022-09-07", "perspective": "test", "actor": "the-wire",
            "licence": "test", "file": "sources/wire.txt", "sha256": sha
        }],
        "actors": [
            {"id": "albania", "name": "Government of Albania", "kind": "state"},
            {"id": "iran", "name": "Government of Iran", "kind": "state"},
            {"id": "the-wire", "name": "Test Wire", "kind": "outlet"},
            {"id": "spokesman", "name": "A spokesman", "kind": "person"}
        ],
        "places": [
            {"id": "tirana", "name": "Tirana", "lon": 19.82, "lat": 41.33, "kind": "city", "precision": "city"},
            {"id": "tehran", "name": "Tehran", "lon": 51.39, "lat": 35.69, "kind": "city", "precision": "city"}
        ],
        "events": [
            {"id": "attack", "title": "Cyberattack", "time": "2022-07-15", "category": "cyber",
             "places": [{"place": "tirana", "role": "target"}], "actors": ["albania"],
             "excerpts": [{"source": "wire", "quote": "Albania cut ties with Iran on Wednesday."}]},
            {"id": "break", "title": "Break of relations", "time": "2022-09-07", "category": "diplomatic",
             "places": [{"place": "tirana", "role": "seat"}], "actors": ["albania"],
             "excerpts": [{"source": "wire", "quote": "The embassy staff were ordered to leave."}],
             "links": [{"relation": "responds-to", "event": "attack"}]}
        ],
        "claims": [{
            "id": "iran-did-it",
            "statement": "Iran carried out the attack",
            "events": ["attack", "break"],
            "alleged_origin": "tehran",
            "stances": [
                {"actor": "albania", "stance": "asserts", "source": "wire",
                 "quote": "Officials in Tirana blamed Iran.", "occurrence": 2},
                {"actor": "iran", "stance": "denies", "source": "wire", "quote": "Iran denied it."},
                {"actor": "the-wire", "stance": "suggests", "source": "wire",
                 "quote": "The attack was apparently the work of a state, the Wire said in 2022.",
                 "time": "2022", "note": "The Wire's own words: \"apparently the work of a state\"."},
                {"actor": "spokesman", "stance": "disputes", "source": "wire",
                 "quote": "A spokesman questioned the findings."}
            ]
        }]
    });
    std::fs::write(
        root.join("dataset.json"),
        serde_json::to_vec_pretty(&manifest).unwrap(),
    )
    .unwrap();
    root
}

/// The embedded dataset, and the small one in `dir`.
fn both(dir: &Path) -> [(&'static str, Dataset); 2] {
    let embedded = io::load_embedded().unwrap().dataset;
    let small = io::load_dir(&small_dataset(dir)).unwrap().dataset;
    assert_has_strength_time_and_note(&small, "the small dataset");
    [("embedded", embedded), ("small", small)]
}

// ---------------------------------------------------------------------------
// Native.

#[test]
fn native_export_round_trips_every_claim_with_strength_time_and_note() {
    let tmp = tempfile::tempdir().unwrap();
    let embedded = io::load_embedded().unwrap().dataset;
    assert_has_strength_time_and_note(&embedded, "the embedded dataset");
    for (what, ds) in both(tmp.path()) {
        let out = export_all(
            &ds,
            ExportFormat::Native,
            tmp.path(),
            &format!("{what}-copy"),
        );
        let back = io::load_dir(&out).unwrap().dataset;
        assert!(!ds.claims.is_empty(), "{what}");
        assert_eq!(claims(&back), claims(&ds), "{what}");
        assert_eq!(source_actors(&back), source_actors(&ds), "{what}");
        // The same passages, so a quote standing twice resolves to the one meant.
        let spans = |d: &Dataset| -> Vec<_> {
            d.claims
                .iter()
                .flat_map(|c| c.stances.iter().map(|s| s.excerpt.span()))
                .collect()
        };
        assert_eq!(spans(&back), spans(&ds), "{what}");
        // What the written manifest says, word for word.
        let manifest: Manifest =
            serde_json::from_value(read_json(&out.join("dataset.json"))).unwrap();
        let written: Vec<_> = manifest
            .claims
            .iter()
            .flat_map(|c| &c.stances)
            .map(|s| s.stance)
            .collect();
        assert!(written.contains(&StanceWord::Suggests), "{what}");
    }
}

#[test]
fn the_small_dataset_quotes_the_second_occurrence_and_keeps_it() {
    let tmp = tempfile::tempdir().unwrap();
    let ds = io::load_dir(&small_dataset(tmp.path())).unwrap().dataset;
    let claim = &ds.claims[0];
    let second = ARTICLE.rfind("Officials in Tirana").unwrap();
    assert_eq!(claim.stances[0].excerpt.span().start, second);
    let out = export_all(&ds, ExportFormat::Native, tmp.path(), "copy");
    let back = io::load_dir(&out).unwrap().dataset;
    assert_eq!(back.claims[0].stances[0].excerpt.span().start, second);
    let tj = export_all(&ds, ExportFormat::TimelineJs, tmp.path(), "small.json");
    let story = &read_json(&tj)["title"]["mapline"];
    assert_eq!(story["claims"][0]["stances"][0]["occurrence"], json!(2));
    assert!(story["claims"][0]["stances"][1].get("occurrence").is_none());
}

// ---------------------------------------------------------------------------
// TimelineJS.

/// The title slide's `mapline` object of an exported file.
fn story(doc: &Value) -> &Value {
    let story = &doc["title"]["mapline"];
    assert!(story.is_object(), "no mapline object on the title slide");
    story
}

/// A native dataset folder made only of what the TimelineJS file carries
/// under its `mapline` keys: the slides' events, places and actors, and
/// the title slide's sources (with their articles), actors, places and
/// claims. It loads only if every quote stands in its article.
fn rebuild_from_timelinejs(doc: &Value, root: &Path) -> Dataset {
    let story = story(doc);
    std::fs::create_dir_all(root.join("sources")).unwrap();
    let mut places: BTreeMap<String, PlaceEntry> = BTreeMap::new();
    let mut actors: BTreeMap<String, ActorEntry> = BTreeMap::new();
    let mut events: Vec<EventEntry> = Vec::new();
    for slide in doc["events"].as_array().unwrap() {
        let m = &slide["mapline"];
        let mut entry = EventEntry {
            id: m["id"].as_str().unwrap().to_owned(),
            title: slide["text"]["headline"].as_str().unwrap().to_owned(),
            time: m["time"].as_str().unwrap().to_owned(),
            category: serde_json::from_value(m["category"].clone()).unwrap(),
            ..EventEntry::default()
        };
        for p in m["places"].as_array().into_iter().flatten() {
            let mut place = p.clone();
            let role = place.as_object_mut().unwrap().remove("role").unwrap();
            let place: PlaceEntry = serde_json::from_value(place).unwrap();
            entry.places.push(EventPlaceEntry {
                place: place.id.clone(),
                role: serde_json::from_value(role).unwrap(),
            });
            places.entry(place.id.clone()).or_insert(place);
        }
        for a in m["actors"].as_array().into_iter().flatten() {
            let actor: ActorEntry = serde_json::from_value(a.clone()).unwrap();
            entry.actors.push(actor.id.clone());
            actors.entry(actor.id.clone()).or_insert(actor);
        }
        events.push(entry);
    }
    for p in story["places"].as_array().into_iter().flatten() {
        let place: PlaceEntry = serde_json::from_value(p.clone()).unwrap();
        places.entry(place.id.clone()).or_insert(place);
    }
    for a in story["actors"].as_array().into_iter().flatten() {
        let actor: ActorEntry = serde_json::from_value(a.clone()).unwrap();
        actors.entry(actor.id.clone()).or_insert(actor);
    }
    let mut sources: Vec<SourceEntry> = Vec::new();
    for s in story["sources"].as_array().unwrap() {
        let mut s = s.clone();
        let text = s.as_object_mut().unwrap().remove("text").unwrap();
        let text = text.as_str().unwrap();
        let entry: SourceEntry = serde_json::from_value(s).unwrap();
        // The article under a name of its own; the hash is the one written.
        let file = format!("sources/{}.txt", entry.id);
        std::fs::write(root.join(&file), text).unwrap();
        sources.push(SourceEntry { file, ..entry });
    }
    let claims: Vec<ClaimEntry> = serde_json::from_value(story["claims"].clone()).unwrap();
    let manifest = Manifest {
        schema: None,
        title: "rebuilt".to_owned(),
        description: String::new(),
        sources,
        actors: actors.into_values().collect(),
        places: places.into_values().collect(),
        events,
        events_file: None,
        claims,
        eras: Vec::new(),
    };
    std::fs::write(
        root.join("dataset.json"),
        serde_json::to_vec_pretty(&manifest).unwrap(),
    )
    .unwrap();
    match io::load_dir(root) {
        Ok(loaded) => loaded.dataset,
        Err(e) => panic!("what the TimelineJS file carries does not load:\n{e}"),
    }
}

#[test]
fn timelinejs_export_carries_every_claim_and_the_loader_proves_it_again() {
    let tmp = tempfile::tempdir().unwrap();
    for (what, ds) in both(tmp.path()) {
        let out = export_all(
            &ds,
            ExportFormat::TimelineJs,
            tmp.path(),
            &format!("{what}.json"),
        );
        let doc = read_json(&out);
        let written = story(&doc);
        assert_eq!(
            written["claims"].as_array().unwrap().len(),
            ds.claims.len(),
            "{what}"
        );
        // Each source carries its own actor and its whole article, hashed.
        for s in written["sources"].as_array().unwrap() {
            let text = s["text"].as_str().unwrap();
            assert_eq!(
                s["sha256"].as_str().unwrap(),
                format!("{:x}", Sha256::digest(text.as_bytes())),
                "{what}: {}",
                s["id"]
            );
        }
        let back = rebuild_from_timelinejs(&doc, &tmp.path().join(format!("{what}-rebuilt")));
        assert_eq!(claims(&back), claims(&ds), "{what}");
        // Every source the claims quote, with its own actor.
        let quoted: BTreeMap<String, Option<String>> = source_actors(&ds)
            .into_iter()
            .filter(|(id, _)| {
                ds.claims
                    .iter()
                    .flat_map(|c| &c.stances)
                    .any(|s| ds.source(s.excerpt.source).id == *id)
            })
            .collect();
        assert_eq!(source_actors(&back), quoted, "{what}");
    }
}

#[test]
fn timelinejs_export_round_trips_every_claim_with_strength_time_and_note() {
    let tmp = tempfile::tempdir().unwrap();
    for (what, ds) in both(tmp.path()) {
        let out = export_all(
            &ds,
            ExportFormat::TimelineJs,
            tmp.path(),
            &format!("{what}.json"),
        );
        let opened = import::open(&out, None)
            .unwrap_or_else(|e| panic!("{what}: the export opens again:\n{e}"));
        assert_eq!(opened.format, import::Format::TimelineJsJson);
        let back = &opened.loaded.dataset;
        assert_eq!(back.events.len(), ds.events.len(), "{what}");
        assert!(!back.claims.is_empty(), "{what}");
        assert_eq!(claims(back), claims(&ds), "{what}");
        // The same passages: a quote standing twice resolves to the one meant.
        let spans = |d: &Dataset| -> BTreeMap<String, Vec<_>> {
            d.claims
                .iter()
                .map(|c| {
                    (
                        c.id.clone(),
                        c.stances.iter().map(|s| s.excerpt.span()).collect(),
                    )
                })
                .collect()
        };
        assert_eq!(spans(back), spans(&ds), "{what}");
        // Every source the claims quote comes back, with its own actor.
        let quoted: BTreeMap<String, Option<String>> = source_actors(&ds)
            .into_iter()
            .filter(|(id, _)| {
                ds.claims
                    .iter()
                    .flat_map(|c| &c.stances)
                    .any(|s| ds.source(s.excerpt.source).id == *id)
            })
            .collect();
        assert_eq!(source_actors(back), quoted, "{what}");
        assert_eq!(
            back.claims
                .iter()
                .filter(|c| back.claim_contested(c))
                .count(),
            ds.claims.iter().filter(|c| ds.claim_contested(c)).count(),
            "{what}"
        );
    }
}

#[test]
fn an_edited_article_in_a_timelinejs_file_is_caught() {
    let tmp = tempfile::tempdir().unwrap();
    let ds = io::load_dir(&small_dataset(tmp.path())).unwrap().dataset;
    let out = export_all(&ds, ExportFormat::TimelineJs, tmp.path(), "small.json");
    let mut doc = read_json(&out);
    let text = doc["title"]["mapline"]["sources"][0]["text"]
        .as_str()
        .unwrap()
        .replace("Iran denied it.", "Iran did not deny it.");
    doc["title"]["mapline"]["sources"][0]["text"] = json!(text);
    std::fs::write(&out, serde_json::to_vec_pretty(&doc).unwrap()).unwrap();
    let errors = import::open(&out, None).unwrap_err().0;
    assert!(
        errors
            .iter()
            .any(|d| d.item == "source wire"
                && d.message.contains("changed after its hash was taken")),
        "{errors:#?}"
    );
    assert!(
        errors.iter().any(
            |d| d.item == "claim iran-did-it stance 2" && d.message.contains("quote not found")
        ),
        "{errors:#?}"
    );
}

#[test]
fn a_timelinejs_export_of_part_of_the_story_keeps_only_its_claims() {
    let ds = io::load_embedded().unwrap().dataset;
    let attack = ds.event_by_id("cyberattack-2022-07-15").unwrap();
    let one = [attack];
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("attack.json");
    export(
        &View {
            dataset: &ds,
            events: &one,
        },
        ExportFormat::TimelineJs,
        &out,
    )
    .unwrap();
    let doc = read_json(&out);
    let written: Vec<ClaimEntry> = serde_json::from_value(story(&doc)["claims"].clone()).unwrap();
    let about: Vec<&str> = ds.claims_about(attack).map(|c| c.id.as_str()).collect();
    assert!(!about.is_empty());
    assert_eq!(
        written.iter().map(|c| c.id.as_str()).collect::<Vec<_>>(),
        about
    );
    for c in &written {
        assert_eq!(
            c.events,
            vec!["cyberattack-2022-07-15".to_owned()],
            "{}",
            c.id
        );
    }
    // It still rebuilds: every source, actor and place the claims name is there.
    let back = rebuild_from_timelinejs(&doc, &tmp.path().join("rebuilt"));
    assert_eq!(back.claims.len(), about.len());
}

// ---------------------------------------------------------------------------
// GeoJSON.

/// Checks a claim written on a GeoJSON feature against the model, stance
/// by stance.
fn assert_geojson_claim(ds: &Dataset, written: &Value, model: &mapline::model::Claim) {
    let id = &model.id;
    assert_eq!(written["id"], json!(id));
    assert_eq!(written["statement"], json!(model.statement), "{id}");
    assert_eq!(
        written["alleged_origin"],
        json!(model.alleged_origin.map(|p| &ds.place(p).id)),
        "{id}"
    );
    assert_eq!(
        written["contested"],
        json!(ds.claim_contested(model)),
        "{id}"
    );
    let stances = written["stances"].as_array().unwrap();
    assert_eq!(stances.len(), model.stances.len(), "{id}");
    for (w, s) in stances.iter().zip(&model.stances) {
        let actor = ds.actor(s.actor);
        let source = ds.source(s.excerpt.source);
        assert_eq!(w["actor"], json!(actor.id), "{id}");
        assert_eq!(w["actor_name"], json!(actor.name), "{id}");
        assert_eq!(w["stance"], json!(s.stance.as_str()), "{id}");
        assert_eq!(w["source"], json!(source.id), "{id}");
        assert_eq!(w["outlet"], json!(source.outlet), "{id}");
        let quote = w["quote"].as_str().unwrap();
        assert!(!quote.is_empty(), "{id}");
        assert_eq!(quote, s.excerpt.text(&ds.sources), "{id}");
        assert!(source.text.contains(quote), "{id}: the quote is verbatim");
        assert_eq!(
            w.get("time").cloned(),
            s.time.as_ref().map(|t| json!(t.edtf())),
            "{id}"
        );
        assert_eq!(
            w.get("note").cloned(),
            s.note.as_ref().map(|n| json!(n)),
            "{id}"
        );
    }
}

#[test]
fn geojson_event_features_carry_the_claims_about_them() {
    let tmp = tempfile::tempdir().unwrap();
    for (what, ds) in both(tmp.path()) {
        let out = export_all(
            &ds,
            ExportFormat::GeoJson,
            tmp.path(),
            &format!("{what}.geojson"),
        );
        let doc = read_json(&out);
        let features = doc["features"].as_array().unwrap();
        // Every event feature has the member: the claims about the event, in
        // order, empty when there is none.
        let mut stances = 0;
        for e in ds.event_indices() {
            let id = ds.event(e).id();
            let f = features
                .iter()
                .find(|f| f["id"] == json!(id) && f["properties"]["feature"] == json!("event"))
                .unwrap();
            let written = f["properties"]["claims"].as_array().unwrap();
            let about: Vec<_> = ds.claims_about(e).collect();
            assert_eq!(written.len(), about.len(), "{what}: {id}");
            for (w, c) in written.iter().zip(about) {
                assert_geojson_claim(&ds, w, c);
                stances += c.stances.len();
            }
        }
        assert!(stances > 0, "{what}");
        // The GeoJSON importer passes over them.
        let back = import::open(&out, None).unwrap().loaded.dataset;
        assert_eq!(back.events.len(), ds.events.len(), "{what}");
    }
}

#[test]
fn the_cyberattack_feature_says_who_asserts_suggests_and_denies_it() {
    let tmp = tempfile::tempdir().unwrap();
    let ds = io::load_embedded().unwrap().dataset;
    let out = export_all(&ds, ExportFormat::GeoJson, tmp.path(), "story.geojson");
    let doc = read_json(&out);
    let feature = doc["features"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["id"] == json!("cyberattack-2022-07-15"))
        .unwrap();
    let claim = feature["properties"]["claims"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == json!("iran-orchestrated-july-attack"))
        .expect("the claim that Iran orchestrated the July attack");
    assert_eq!(claim["contested"], json!(true));
    let said: Vec<(&str, &str)> = claim["stances"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (s["actor"].as_str().unwrap(), s["stance"].as_str().unwrap()))
        .collect();
    for (who, word) in [
        ("albania", "asserts"),
        ("us", "asserts"),
        ("mei", "suggests"),
        ("iran", "denies"),
    ] {
        assert!(said.contains(&(who, word)), "{who} {word}: {said:?}");
    }
    assert!(
        !said.contains(&("mei", "asserts")),
        "MEI reports Tirana's charge, it does not assert it: {said:?}"
    );
}

// ---------------------------------------------------------------------------
// CSV.

#[test]
fn csv_export_is_unchanged_by_claims() {
    let tmp = tempfile::tempdir().unwrap();
    let ds = io::load_embedded().unwrap().dataset;
    let out = export_all(&ds, ExportFormat::Csv, tmp.path(), "events.csv");
    let mut reader = csv::Reader::from_path(&out).unwrap();
    let header: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_owned)
        .collect();
    assert_eq!(header, mapline::io::csv::HEADER.to_vec());
    assert!(
        header
            .iter()
            .all(|h| !h.contains("claim") && !h.contains("stance"))
    );
    assert_eq!(reader.records().count(), ds.events.len());
}
