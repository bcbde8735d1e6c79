//! Who says what: the claims view, corroboration, search and facets, on the
//! real `App` and the embedded dataset.
#![cfg(feature = "gui")]
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT as _, Queryable as _};
use mapline::app::App;
use mapline::io;
use mapline::state::{Action, Selection};

fn harness() -> Harness<'static, App> {
    let mut h = Harness::builder()
        .with_size(egui::vec2(1600.0, 1000.0))
        .build_eframe(|_cc| App::embedded().expect("the embedded dataset loads"));
    h.run();
    h
}

#[test]
fn the_july_15_attack_shows_who_asserts_and_who_denies_with_quotes_and_outlets() {
    let mut h = harness();
    let attack = h
        .state()
        .dataset()
        .event_by_id("cyberattack-2022-07-15")
        .unwrap();
    h.state_mut().apply(Action::SelectEvent(attack));
    h.run();
    assert!(
        h.query_by_label_contains("Iran orchestrated and sponsored the July 2022 cyberattack")
            .is_some()
    );
    for (who, word, outlet) in [
        ("Government of Albania", "asserts", "The Associated Press"),
        (
            "Government of the United States",
            "asserts",
            "The Associated Press",
        ),
        (
            "Government of Iran (Islamic Republic of Iran)",
            "denies",
            "teleSUR",
        ),
        (
            "Government of Iran (Islamic Republic of Iran)",
            "denies",
            "Middle East Institute",
        ),
    ] {
        let line = format!("{who} {word} — per {outlet}");
        assert!(
            h.query_all_by_label_contains(&line).next().is_some(),
            "missing stance line {line:?}"
        );
    }
    // Each stance carries its verbatim excerpt.
    assert!(
        h.query_all_by_label_contains("such accusations are \"unfounded.\"")
            .next()
            .is_some()
    );
    assert!(
        h.query_all_by_label_contains("orchestrated and sponsored by the Islamic Republic of Iran")
            .next()
            .is_some()
    );
    assert!(
        h.query_by_label_contains("Reported by 4 outlets: ")
            .is_some()
    );
    // MEI reports Tirana's charge; it does not assert it in its own voice
    // (where its own words lean, it suggests).
    assert!(
        h.query_all_by_label_contains("Middle East Institute asserts")
            .next()
            .is_none(),
        "MEI must not assert the July attack's attribution"
    );
    // At a glance, a line a side: who asserts, who denies, and on whose
    // word (each outlet named).
    let line = |start: &str| {
        h.query_all_by_label_contains(start)
            .next()
            .and_then(|n| {
                let node = n.accesskit_node();
                node.label().or_else(|| node.value())
            })
            .unwrap_or_else(|| panic!("no glance line starting {start:?}"))
    };
    let asserts = line("asserts: Albania (per AP");
    assert!(asserts.contains("US (per AP"), "{asserts}");
    assert!(!asserts.contains("MEI ("), "MEI does not assert: {asserts}");
    let denies = line("denies: Iran (per ");
    assert!(denies.contains("teleSUR"), "{denies}");
}

#[test]
fn a_lapsed_stance_reads_as_lapsed_with_its_time() {
    let mut h = harness();
    let ds = h.state().dataset();
    let claim = ds
        .claims
        .iter()
        .find(|c| c.id == "mek-is-terrorist-organisation")
        .expect("the MEK-terrorist claim");
    let event = claim.events[0];
    h.state_mut().apply(Action::SelectEvent(event));
    h.run();
    let line = "Government of the United States asserted until 2012 — per The Associated Press";
    assert!(
        h.query_all_by_label_contains(line).next().is_some(),
        "missing lapsed stance line {line:?}"
    );
    assert!(
        h.query_all_by_label_contains("no longer held (")
            .next()
            .is_some(),
        "lapsed stances stand apart"
    );
    assert!(
        h.query_all_by_label_contains("no longer held: US (asserted until 2012, per AP)")
            .next()
            .is_some(),
        "the glance line gives the lapsed stance its time and outlet"
    );
    // Not drawn as a present assertion.
    assert!(
        h.query_all_by_label_contains(
            "Government of the United States asserts — per The Associated Press"
        )
        .next()
        .is_none()
    );
}

#[test]
fn corroboration_counts_distinct_outlets_from_the_articles() {
    let ds = io::load_embedded().unwrap().dataset;
    let attack = ds.event_by_id("cyberattack-2022-07-15").unwrap();
    assert_eq!(ds.event_sources(attack).len(), 4);
    assert_eq!(
        ds.corroboration(attack),
        "4 outlets: Washington think tank, US wire, Iranian state-aligned, Latin American state"
    );
    let vote = ds.event_by_id("bosnia-un-sanctions-vote").unwrap();
    assert_eq!(ds.event_sources(vote).len(), 1);
    assert_eq!(ds.corroboration(vote), "1 outlet: Washington think tank");
}

#[test]
fn keeping_one_outlet_hides_what_it_does_not_report_on_map_and_strip() {
    let mut h = harness();
    h.get_by_label("Filters").click();
    h.run();
    let ds = h.state().dataset();
    let mei = ds.sources.iter().position(|s| s.id == "mei").unwrap();
    let others: Vec<String> = ds
        .sources
        .iter()
        .filter(|s| s.id != "mei")
        .map(|s| s.outlet.clone())
        .collect();
    for outlet in &others {
        // The outlet facet comes first; an actor may share the outlet's name.
        h.get_all_by(|n| {
            n.role() == Role::CheckBox && n.label().is_some_and(|l| l.starts_with(outlet.as_str()))
        })
        .next()
        .unwrap()
        .click();
        h.run();
    }
    let ds = h.state().dataset();
    assert_eq!(h.state().state().filter.hidden_sources.len(), 3);
    // The map: Tirana counts only MEI-reported events.
    let tirana = ds.place_by_id("tirana").unwrap();
    let mei_at_tirana = ds
        .events_at(tirana)
        .iter()
        .filter(|&&e| ds.event_sources(e).iter().any(|s| s.index() == mei))
        .count() as u32;
    assert!(
        mei_at_tirana < ds.events_at(tirana).len() as u32,
        "the filter must hide something at Tirana"
    );
    assert_eq!(h.state().place_count(tirana), mei_at_tirana);
    // The strip: an AP-only event has no mark; an MEI one has.
    let ap_only = ds
        .event(ds.event_by_id("mek-founded").unwrap())
        .title()
        .to_owned();
    let mei_event = ds
        .event(ds.event_by_id("bosnia-un-sanctions-vote").unwrap())
        .title()
        .to_owned();
    assert!(
        h.query_by_label_contains(&format!("Event: {ap_only}"))
            .is_none()
    );
    assert!(
        h.query_by_label_contains(&format!("Event: {mei_event}"))
            .is_some()
    );
    // The chips show the filters, and removing one brings its events back.
    let chip = format!("without {} ×", others[0]);
    h.get_by_label(&chip).click();
    h.run();
    assert_eq!(h.state().state().filter.hidden_sources.len(), 2);
}

#[test]
fn searching_ashraf_lists_manez_and_choosing_it_selects_it_and_moves_the_map() {
    let mut h = harness();
    let before = h.state().camera().center;
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::F);
    h.run();
    h.get_by_label("Search").type_text("Ashraf");
    h.run();
    let hit = h.get_by(|n| {
        n.role() == Role::Button && n.label().is_some_and(|l| l.starts_with("Place: Manez"))
    });
    hit.click();
    h.run();
    let manez = h.state().dataset().place_by_id("manez").unwrap();
    assert_eq!(h.state().state().selection, Selection::Place(manez));
    let center = h.state().camera().center;
    assert_ne!(center, before, "the map moved");
    let want = mapline::model::projection::project(geo::Coord { x: 19.60, y: 41.43 });
    assert!(
        (center.x - want.x).abs() < 1e-6 && (center.y - want.y).abs() < 1e-6,
        "centred on Manez"
    );
}

#[test]
fn search_finds_quotes_and_article_text_with_the_match_marked() {
    let ds = io::load_embedded().unwrap().dataset;
    let index = mapline::model::search::SearchIndex::new(&ds);
    let hits = index.search(&ds, "unfounded", 20);
    assert!(hits.iter().any(|h| h.target.kind() == "Excerpt"));
    for hit in &hits {
        assert!(!hit.matches.is_empty());
        for m in &hit.matches {
            assert_eq!(hit.text[m.clone()].to_ascii_lowercase(), "unfounded");
        }
    }
    assert!(index.search(&ds, "zzzz-nothing", 20).is_empty());
    let places = index.search(&ds, "ashraf", 20);
    assert!(matches!(
        places[0].target,
        mapline::model::search::SearchTarget::Place(_)
    ));
}

#[test]
fn search_lists_each_excerpt_holding_the_query_once_and_no_other() {
    use mapline::model::search::{SearchIndex, SearchTarget};
    let ds = io::load_embedded().unwrap().dataset;
    let index = SearchIndex::new(&ds);
    for query in ["iran", "Albania", "cyber", "the", "said"] {
        let needle = query.to_ascii_lowercase();
        // Every excerpt whose own text holds the query, found the slow way.
        let mut want: Vec<(u32, u32)> = Vec::new();
        for e in ds.event_indices() {
            for x in ds.event(e).excerpts() {
                if x.text(&ds.sources).to_ascii_lowercase().contains(&needle) {
                    want.push((e.0, x.source.0));
                }
            }
        }
        let mut got: Vec<(u32, u32)> = index
            .search(&ds, query, 100_000)
            .iter()
            .filter_map(|h| match h.target {
                SearchTarget::Excerpt(e, s) => Some((e.0, s.0)),
                _ => None,
            })
            .collect();
        want.sort_unstable();
        got.sort_unstable();
        assert!(!want.is_empty(), "{query}: the dataset quotes it");
        assert_eq!(got, want, "{query}: the excerpt hits");
        // The limit holds, and the first hits come first.
        let few = index.search(&ds, query, 3);
        assert_eq!(few.len(), 3, "{query}");
        assert_eq!(few, index.search(&ds, query, 100_000)[..3].to_vec());
    }
}

#[test]
fn the_claims_view_lists_every_claim_in_the_window_contested_first() {
    let mut h = harness();
    h.get_by_label("Claims").click();
    h.run();
    assert!(h.query_by_label("Claims in the window").is_some());
    let ds = h.state().dataset();
    let contested = ds.claims.iter().filter(|c| ds.claim_contested(c)).count();
    let summary = format!("{} claim(s), {contested} contested", ds.claims.len());
    assert!(h.query_by_label_contains(&summary).is_some());
    // Choosing an event from a claim selects it (as a screen reader does:
    // the link may be scrolled out of sight).
    let link = "Select event: Cyberattack shuts down Albanian government services and websites";
    h.get_all_by_label(link).next().unwrap().click_accesskit();
    h.run();
    let attack = h
        .state()
        .dataset()
        .event_by_id("cyberattack-2022-07-15")
        .unwrap();
    assert_eq!(h.state().state().selection, Selection::Event(attack));
    // Contested events say so to a screen reader, on the strip and the map.
    let mark = "Cyberattack shuts down Albanian government services and websites, July 15, 2022, contested";
    assert!(h.query_by_label_contains(mark).is_some());
    assert!(h.query_all_by_label_contains(" contested").count() >= 2);
}

#[test]
fn arrow_keys_step_only_through_events_the_filters_let_through() {
    let mut h = harness();
    let ds = h.state().dataset();
    let ap = ds.sources.iter().position(|s| s.id == "ap").unwrap();
    let others: Vec<usize> = (0..ds.sources.len()).filter(|&i| i != ap).collect();
    for i in others {
        h.state_mut()
            .apply(Action::Filter(mapline::state::FilterChange::HideSource(
                mapline::model::SourceIdx(i as u32),
            )));
    }
    h.run();
    for _ in 0..6 {
        h.key_press(egui::Key::ArrowRight);
        h.run();
        let Selection::Event(e) = h.state().state().selection else {
            panic!("an event is selected")
        };
        let ds = h.state().dataset();
        assert!(
            ds.event_sources(e).iter().any(|s| s.index() == ap),
            "{} is not reported by AP",
            ds.event(e).id()
        );
    }
}

#[test]
fn a_stance_stands_where_its_time_overlaps_the_window_and_contest_needs_standing_sides() {
    use mapline::model::{Day, StanceWord, TimeWindow};
    let ds = io::load_embedded().unwrap().dataset;
    let claim = |id: &str| ds.claims.iter().find(|c| c.id == id).unwrap();
    let mek = claim("mek-is-terrorist-organisation");
    let actor = |id: &str| {
        mapline::model::ActorIdx(ds.actors.iter().position(|a| a.id == id).unwrap() as u32)
    };
    let us = actor("us");
    let us_stance = mek.stances.iter().find(|s| s.actor == us).unwrap();
    assert_eq!(us_stance.words(), "asserted until 2012");
    let latest = mek.latest_publication(&ds.sources);
    // Over the whole story (at the latest publication, 2022) it has lapsed;
    // in a window of the 2000s it stands.
    assert!(!us_stance.is_current(None, latest));
    let noughties = TimeWindow::new(
        Day::from_ymd(2000, 1, 1).unwrap(),
        Day::from_ymd(2009, 12, 31).unwrap(),
    );
    assert!(us_stance.is_current(Some(&noughties), latest));
    // The July attack: standing assertions against standing denials.
    let july = claim("iran-orchestrated-july-attack");
    assert!(ds.claim_contested(july));
    assert!(july.is_contested(&ds.sources, Some(&noughties)));
    // Suggestions are on the asserting side, but weaker: MEI only suggests.
    let mei = actor("mei");
    let words: Vec<StanceWord> = july
        .stances
        .iter()
        .filter(|s| s.actor == mei)
        .map(|s| s.stance)
        .collect();
    assert!(words.contains(&StanceWord::Suggests), "{words:?}");
    assert!(!words.contains(&StanceWord::Asserts), "{words:?}");
}
