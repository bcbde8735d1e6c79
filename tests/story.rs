//! Writing a story: the document and its edits, without the window. An
//! article is added from its text, a selected passage is cited as an
//! event's excerpt, the folder is saved and passes `mapline check`; every
//! edit undoes to the byte and redoes; bad input keeps the edit.
#![allow(clippy::unwrap_used, missing_docs)]

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use mapline::io::format::{ActorEntry, ClaimEntry, EventEntry, PlaceEntry};
use mapline::io::story::{Edit, EditError, Entry, History, Kind, SaveError, SourceForm, Story};

const ARTICLE: &str = "The fire started at the harbour of Durrës on Tuesday night.\n\n\
Officials said the fire was contained by morning. Witnesses said the fire spread fast \
along the quay.\n";

fn span_of(text: &str, passage: &str, nth: usize) -> std::ops::Range<usize> {
    let start = text.match_indices(passage).nth(nth).unwrap().0;
    start..start + passage.len()
}

fn place(id: &str, name: &str, lon: f64, lat: f64) -> PlaceEntry {
    serde_json::from_value(serde_json::json!({
        "id": id, "name": name, "lon": lon, "lat": lat,
        "kind": "city", "precision": "city", "country": "Albania"
    }))
    .unwrap()
}

fn event(title: &str, time: &str, place: &str) -> EventEntry {
    EventEntry {
        title: title.to_owned(),
        time: time.to_owned(),
        category: mapline::model::Category::Other,
        places: vec![mapline::io::format::EventPlaceEntry {
            place: place.to_owned(),
            role: mapline::model::PlaceRole::Location,
        }],
        ..EventEntry::default()
    }
}

/// Every file under `dir`, by its path inside it.
fn folder_bytes(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(root, &p, out);
            } else {
                let rel = p.strip_prefix(root).unwrap().display().to_string();
                out.insert(rel, std::fs::read(&p).unwrap());
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

/// A new story with one article, one place and one event citing the
/// article's first sentence, saved in `dir`.
fn first_story(dir: &Path) -> Story {
    let mut story = Story::new("A fire at the harbour");
    let add = story.add_source(
        SourceForm {
            outlet: "Test Wire".into(),
            title: "Fire at the harbour".into(),
            authors: vec!["A. Reporter".into()],
            published: Some("2022-07-12".into()),
            perspective: "wire".into(),
            licence: "CC BY 4.0".into(),
            url: Some("https://example.org/fire".into()),
        },
        ARTICLE,
    );
    story.apply(add).unwrap();
    let source = story.manifest.sources[0].id.clone();
    assert_eq!(source, "test-wire-fire-at-the-harbour");
    assert_eq!(
        story.manifest.sources[0].file,
        format!("sources/{source}.txt")
    );
    story
        .apply(Edit::Insert {
            at: 0,
            entry: Entry::Place(place("durres", "Durrës", 19.45, 41.32)),
        })
        .unwrap();
    let sentence = "The fire started at the harbour of Durrës on Tuesday night.";
    let cite = story
        .new_event_citing(
            event("Fire at the harbour of Durrës", "2022-07", "durres"),
            &source,
            span_of(ARTICLE, sentence, 0),
        )
        .unwrap();
    story.apply(cite).unwrap();
    story.save(dir).unwrap();
    story
}

#[test]
fn a_new_story_is_saved_checked_and_read_back_with_its_quote_verified() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("fire");
    let story = first_story(&dir);
    assert_eq!(story.manifest.events[0].id, "fire-at-the-harbour-of-durres");

    // `mapline check` on the folder passes and counts the excerpt.
    let out = Command::new(env!("CARGO_BIN_EXE_mapline"))
        .arg("check")
        .arg(&dir)
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{said}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(said.contains("A fire at the harbour: ok"), "{said}");
    assert!(
        said.contains("1 sources, 0 actors, 1 places, 1 events, 1 excerpts"),
        "{said}"
    );

    // Read back: the quote is the sentence, proven at its place in the article.
    let ds = mapline::io::load_dir(&dir).unwrap().dataset;
    let e = ds.event(mapline::model::EventIdx(0));
    let x = e.excerpts().iter().next().unwrap();
    let source = ds.source(x.source);
    let span = x.span();
    assert_eq!(
        &source.text[span.start as usize..span.end as usize],
        "The fire started at the harbour of Durrës on Tuesday night."
    );
    assert_eq!(source.url.as_deref(), Some("https://example.org/fire"));
    assert_eq!(e.time().display(), "July 2022");
    assert_eq!(ds.events_at(ds.place_by_id("durres").unwrap()).len(), 1);
    // The hash was computed, never typed.
    let sha = &Story::open(&dir).unwrap().manifest.sources[0].sha256;
    assert_eq!(sha.len(), 64);
}

#[test]
fn a_passage_that_stands_twice_is_cited_at_the_occurrence_selected() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("fire");
    let mut story = first_story(&dir);
    let source = story.manifest.sources[0].id.clone();
    let event = story.manifest.events[0].id.clone();
    // "the fire" stands twice (the article's first words are "The fire").
    let second = story
        .cite(&event, &source, span_of(ARTICLE, "the fire", 1))
        .unwrap();
    story.apply(second).unwrap();
    let x = story.manifest.events[0].excerpts.last().unwrap().clone();
    assert_eq!((x.quote.as_str(), x.occurrence), ("the fire", Some(2)));
    let ds = story.build().unwrap().dataset;
    let found = ds
        .event(mapline::model::EventIdx(0))
        .excerpts()
        .iter()
        .nth(1)
        .unwrap();
    assert_eq!(
        found.span().start as usize,
        span_of(ARTICLE, "the fire", 1).start
    );
    // A selection with white space around it cites its words; one of
    // nothing but white space, or across a character, is refused.
    let padded = story
        .excerpt_at(&source, span_of(ARTICLE, " Witnesses said ", 0))
        .unwrap();
    assert_eq!(
        (padded.quote.as_str(), padded.occurrence),
        ("Witnesses said", None)
    );
    assert_eq!(
        story.excerpt_at(&source, span_of(ARTICLE, "\n\n", 0)),
        Err(EditError::EmptySelection)
    );
    let inside_e = ARTICLE.find('ë').unwrap() + 1;
    assert!(matches!(
        story.excerpt_at(&source, 0..inside_e),
        Err(EditError::NotInArticle { .. })
    ));
}

#[test]
fn every_kind_of_edit_undoes_to_the_byte_and_redoes() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("fire");
    first_story(&dir);
    let before = folder_bytes(&dir);
    let mut story = Story::open(&dir).unwrap();
    let mut history = History::default();
    let source = story.manifest.sources[0].id.clone();
    let mut edits = 0;
    let mut edit = |story: &mut Story, e: Edit| {
        history.apply(story, e).unwrap();
        edits += 1;
    };
    edit(
        &mut story,
        Edit::SetTitle {
            title: "The harbour fire".into(),
        },
    );
    edit(
        &mut story,
        Edit::SetDescription {
            description: "What one wire said.".into(),
        },
    );
    // A second article, its entry and text together.
    let second = story.add_source(
        SourceForm {
            outlet: "Other Paper".into(),
            title: "Harbour blaze".into(),
            perspective: "local".into(),
            licence: "all rights reserved".into(),
            ..SourceForm::default()
        },
        "A blaze at the port of Durrës was put out by dawn, the mayor of Durrës said.",
    );
    edit(&mut story, second);
    let other = story.manifest.sources[1].id.clone();
    let actor: ActorEntry = serde_json::from_value(serde_json::json!({
        "id": "mayor", "name": "Mayor of Durrës", "kind": "person"
    }))
    .unwrap();
    edit(
        &mut story,
        Edit::Insert {
            at: 0,
            entry: Entry::Actor(actor.clone()),
        },
    );
    edit(
        &mut story,
        Edit::Replace {
            at: 0,
            entry: Entry::Actor(ActorEntry {
                short: Some("Mayor".into()),
                ..actor
            }),
        },
    );
    edit(
        &mut story,
        Edit::Insert {
            at: 1,
            entry: Entry::Place(place("tirana", "Tirana", 19.82, 41.33)),
        },
    );
    edit(
        &mut story,
        Edit::Insert {
            at: 2,
            entry: Entry::Place(place("vlore", "Vlorë", 19.49, 40.47)),
        },
    );
    edit(
        &mut story,
        Edit::Replace {
            at: 2,
            entry: Entry::Place(place("vlore", "Vlora", 19.49, 40.47)),
        },
    );
    edit(
        &mut story,
        Edit::Remove {
            kind: Kind::Place,
            at: 2,
        },
    );
    let blaze = story
        .new_event_citing(
            event("The blaze is put out", "2022-07-13", "durres"),
            &other,
            0..45,
        )
        .unwrap();
    edit(&mut story, blaze);
    let first_event = story.manifest.events[0].id.clone();
    let cite = story
        .cite(&first_event, &source, span_of(ARTICLE, "the fire", 1))
        .unwrap();
    edit(&mut story, cite);
    let mut moved = story.manifest.events[1].clone();
    moved.places[0].place = "tirana".into();
    moved.actors = vec!["mayor".into()];
    edit(
        &mut story,
        Edit::Replace {
            at: 1,
            entry: Entry::Event(Box::new(moved)),
        },
    );
    let claim: ClaimEntry = serde_json::from_value(serde_json::json!({
        "id": "put-out-by-dawn",
        "statement": "The fire was out by dawn",
        "events": [story.manifest.events[1].id],
        "stances": [{
            "actor": "mayor", "stance": "asserts", "source": other,
            "quote": "A blaze at the port of Durrës was put out by dawn"
        }]
    }))
    .unwrap();
    edit(
        &mut story,
        Edit::Insert {
            at: 0,
            entry: Entry::Claim(claim.clone()),
        },
    );
    edit(
        &mut story,
        Edit::Replace {
            at: 0,
            entry: Entry::Claim(ClaimEntry {
                statement: "The fire was put out by dawn".into(),
                ..claim
            }),
        },
    );
    // One gesture of several edits, undone in one step.
    edit(
        &mut story,
        Edit::Group {
            edits: vec![
                Edit::SetTitle {
                    title: "Fire and blaze".into(),
                },
                Edit::Insert {
                    at: 2,
                    entry: Entry::Place(place("shkoder", "Shkodër", 19.51, 42.07)),
                },
            ],
        },
    );
    edit(
        &mut story,
        Edit::Remove {
            kind: Kind::Place,
            at: 2,
        },
    );
    let article = story
        .article(&story.manifest.sources[1].file.clone())
        .unwrap()
        .to_owned();
    edit(
        &mut story,
        Edit::SetArticle {
            file: "sources/notes.txt".into(),
            text: Some(format!("{article}\nA note.")),
        },
    );
    edit(
        &mut story,
        Edit::SetArticle {
            file: "sources/notes.txt".into(),
            text: None,
        },
    );
    edit(
        &mut story,
        Edit::SetDescription {
            description: "Two papers.".into(),
        },
    );
    edit(
        &mut story,
        Edit::Remove {
            kind: Kind::Claim,
            at: 0,
        },
    );
    let crew: ActorEntry = serde_json::from_value(serde_json::json!({
        "id": "firefighters", "name": "Firefighters of Durrës", "kind": "organisation"
    }))
    .unwrap();
    edit(
        &mut story,
        Edit::Insert {
            at: 1,
            entry: Entry::Actor(crew),
        },
    );
    edit(
        &mut story,
        Edit::Remove {
            kind: Kind::Actor,
            at: 1,
        },
    );
    assert!(edits >= 20, "{edits} edits");
    let forward = story.files().unwrap();
    // Everything undone, then saved: the folder is as it was, to the byte.
    let mut undone = 0;
    while history.undo(&mut story) {
        undone += 1;
    }
    assert_eq!(undone, edits);
    story.save(&dir).unwrap();
    assert_eq!(
        folder_bytes(&dir),
        before,
        "undone and saved, byte for byte"
    );
    // Redo brings every edit back.
    let mut redone = 0;
    while history.redo(&mut story) {
        redone += 1;
    }
    assert_eq!(redone, edits);
    assert_eq!(story.files().unwrap(), forward);
    // And it saves, and the saved second article is where its entry says.
    story.save(&dir).unwrap();
    let ds = mapline::io::load_dir(&dir).unwrap().dataset;
    assert_eq!(ds.title, "Fire and blaze");
    assert_eq!(ds.sources.len(), 2);
    assert_eq!(ds.events.len(), 2);
    assert_eq!(folder_bytes(&dir).len(), 3, "two articles and the manifest");
    // Undone again after that save: the article the story wrote is removed
    // with the rest, and the folder is the first one again.
    while history.undo(&mut story) {}
    story.save(&dir).unwrap();
    assert_eq!(folder_bytes(&dir), before);
}

#[test]
fn bad_input_says_what_is_wrong_and_keeps_the_edit() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("fire");
    let mut story = first_story(&dir);
    let saved = folder_bytes(&dir);
    // An impossible month: the edit is kept, the build names the event, the
    // save refuses and leaves the folder as it was.
    let mut bad = story.manifest.events[0].clone();
    bad.time = "2022-13".into();
    story
        .apply(Edit::Replace {
            at: 0,
            entry: Entry::Event(Box::new(bad)),
        })
        .unwrap();
    assert_eq!(story.manifest.events[0].time, "2022-13");
    let errors = story.build().unwrap_err().to_string();
    assert!(errors.contains("fire-at-the-harbour-of-durres"), "{errors}");
    assert!(matches!(story.save(&dir), Err(SaveError::Invalid(_))));
    assert_eq!(folder_bytes(&dir), saved);
    // A place with no coordinates is not a place entry at all: refused
    // where it is read, before it reaches the story.
    let no_coordinates = serde_json::from_value::<PlaceEntry>(serde_json::json!({
        "id": "nowhere", "name": "Nowhere", "kind": "city", "precision": "city"
    }));
    assert!(
        no_coordinates
            .unwrap_err()
            .to_string()
            .contains("missing field `lon`")
    );
    // A place far off the globe is a place the checks refuse by name.
    let mut story = Story::open(&dir).unwrap();
    story
        .apply(Edit::Insert {
            at: 1,
            entry: Entry::Place(place("off-globe", "Off the globe", 500.0, 41.0)),
        })
        .unwrap();
    let errors = story.build().unwrap_err().to_string();
    assert!(errors.contains("off-globe"), "{errors}");
    // A duplicate id, or a position beyond the list, changes nothing.
    let before = story.files().unwrap();
    assert_eq!(
        story.apply(Edit::Insert {
            at: 0,
            entry: Entry::Place(place("durres", "Durrës", 19.45, 41.32))
        }),
        Err(EditError::DuplicateId {
            kind: Kind::Place,
            id: "durres".into()
        })
    );
    assert!(matches!(
        story.apply(Edit::Remove {
            kind: Kind::Claim,
            at: 3
        }),
        Err(EditError::NoSuchPosition { .. })
    ));
    // A group that fails part way leaves the story as it was.
    let group = Edit::Group {
        edits: vec![
            Edit::SetTitle {
                title: "Half done".into(),
            },
            Edit::Remove {
                kind: Kind::Actor,
                at: 9,
            },
        ],
    };
    assert!(story.apply(group).is_err());
    assert_eq!(story.files().unwrap(), before);
    // An article outside sources/ is refused.
    assert!(matches!(
        story.apply(Edit::SetArticle {
            file: "../escape.txt".into(),
            text: Some("x".into())
        }),
        Err(EditError::ArticlePath(_))
    ));
    // A save into a folder that cannot be made says where, and keeps the story.
    let blocked = tmp.path().join("a-file");
    std::fs::write(&blocked, "not a folder").unwrap();
    let mut good = Story::open(&dir).unwrap();
    let err = good.save(&blocked.join("story")).unwrap_err();
    assert!(matches!(err, SaveError::Write { .. }), "{err}");
    assert!(err.to_string().contains("a-file"), "{err}");
    assert_eq!(good.manifest.events.len(), 1);
}
