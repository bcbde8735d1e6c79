//! The builder on entries made in code, and its column limit.

#![allow(clippy::unwrap_used)]

use super::*;
use std::collections::{HashMap, HashSet};

use crate::io::diagnostic::LineIndex;
use crate::io::diagnostic::TextPos;
use crate::io::format::EventPlaceEntry;
use crate::io::format::PlaceEntry;
use crate::model::{LocationPrecision, PlaceKind, PlaceRole};

fn place(id: &str, lat: f64) -> PlaceEntry {
    PlaceEntry {
        id: id.to_owned(),
        name: "Tirana".to_owned(),
        aliases: Vec::new(),
        lon: 19.82,
        lat,
        kind: PlaceKind::City,
        precision: LocationPrecision::City,
        country: None,
        note: None,
    }
}

fn event(id: &str, time: &str, place: &str) -> EventEntry {
    EventEntry {
        id: id.to_owned(),
        title: format!("Event {id}"),
        time: time.to_owned(),
        places: vec![EventPlaceEntry {
            place: place.to_owned(),
            role: PlaceRole::Location,
        }],
        ..EventEntry::default()
    }
}

/// Entries made in code, with no file text at all: what they hold is
/// checked by the one builder, and each diagnostic stands where its
/// entry's span says (a line index made of positions alone).
#[test]
fn entries_made_in_code_are_checked_and_located_by_their_spans() {
    let pos = |line, column| TextPos { line, column };
    let positions = LineIndex::from_positions(vec![
        (100, pos(4, 3)),
        (250, pos(9, 3)),
        (400, pos(15, 5)),
        (520, pos(21, 5)),
    ]);
    let mut ctx = Ctx {
        files: vec![("story (made in code)".to_owned(), "", positions)],
        diags: Vec::new(),
    };
    let entries = Entries {
        title: "In code".to_owned(),
        description: String::new(),
        sources: Vec::new(),
        actors: Vec::new(),
        places: vec![
            (place("tirana", 41.33), Span::new(0, 100, 180)),
            (place("tirana", 141.0), Span::new(0, 250, 330)),
        ],
        events: vec![
            event("a", "2022-07-15", "tirana"),
            event("b", "2022-13-40", "durres"),
            event("c", "2022-09", "tiran"),
        ],
        event_spans: vec![Span::at(0, 400), Span::at(0, 520), Span::at(0, 600)],
        claims: Vec::new(),
        eras: Vec::new(),
        eras_at: Span::at(0, 0),
        dataset_at: Loc { file: 0, offset: 0 },
        broken: HashSet::new(),
    };
    let options = LoadOptions {
        progress: None,
        imported_from: Some("code"),
    };
    let Err(errors) = build_checked(
        &mut ctx,
        &crate::io::files::MemFiles {
            label: "story".to_owned(),
            files: HashMap::new(),
        },
        entries,
        &options,
    ) else {
        panic!("a duplicate id, a bad latitude, a bad time and unknown places are errors");
    };
    let said: Vec<(String, usize, usize, String)> = errors
        .0
        .iter()
        .map(|d| (d.item.clone(), d.line, d.column, d.message.clone()))
        .collect();
    let has = |item: &str, line: usize, column: usize, start: &str| {
        said.iter()
            .any(|(i, l, c, m)| i == item && *l == line && *c == column && m.starts_with(start))
    };
    assert!(
        has(
            "place tirana",
            9,
            3,
            "duplicate place id \"tirana\" (first defined at line 4)"
        ),
        "{said:#?}"
    );
    assert!(
        has("place tirana", 9, 3, "latitude 141 is outside -90..90"),
        "{said:#?}"
    );
    assert!(has("event b", 21, 5, "time \"2022-13-40\""), "{said:#?}");
    // The last span carries on from the last position known before it.
    assert!(
        has(
            "event c",
            21,
            5,
            "unknown place id \"tiran\" (did you mean \"tirana\"?)"
        ),
        "{said:#?}"
    );
    assert_eq!(said.len(), 4, "{said:#?}");
}

#[test]
fn a_column_past_what_the_store_holds_is_refused_by_name() {
    let fits = [("ids", 10), ("titles", Events::MAX_COLUMN_BYTES)];
    assert_eq!(oversized_column(&fits), None);
    let over = [("ids", 10), ("titles", Events::MAX_COLUMN_BYTES + 1)];
    let said = oversized_column(&over).unwrap_or_default();
    assert!(
        said.starts_with("the events' titles come to 4294967296 bytes"),
        "{said}"
    );
}
