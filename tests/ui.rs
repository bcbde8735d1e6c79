//! The explorer through `egui_kittest`: the real `App` on the embedded
//! dataset, driven the way a user (or a screen reader) drives it.
#![cfg(feature = "gui")]
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

mod common;

use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT as _, Queryable as _};
use mapline::app::App;
use mapline::model::PlaceIdx;
use mapline::state::Selection;

/// The AP's sentence on the July 15 attack, shown as a quote in the reader.
const JULY_15_AP: &str = "On July 15, a cyberattack temporarily shut down numerous Albanian government digital services and websites.";
const AP_OUTLET: &str = "The Associated Press (via NBC News)";

fn harness() -> Harness<'static, App> {
    let mut h = Harness::builder()
        .with_size(egui::vec2(1600.0, 1000.0))
        .build_eframe(|_cc| App::embedded().expect("the embedded dataset loads"));
    h.run();
    h
}

/// In the open Export window: types `out` as the path and presses Export.
fn export_to(h: &mut Harness<'_, App>, out: &std::path::Path) {
    let field = h.get_by_label(mapline::app::dialogs::EXPORT_PATH_LABEL);
    field.focus();
    h.run();
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.get_by_label(mapline::app::dialogs::EXPORT_PATH_LABEL)
        .type_text(out.to_str().unwrap());
    h.run();
    h.get_by_label("Export").click();
    h.run();
}

fn place(h: &Harness<'_, App>, id: &str) -> PlaceIdx {
    h.state().dataset().place_by_id(id).unwrap()
}

fn set_window(h: &mut Harness<'_, App>, from: &str, to: &str) {
    for (field, value) in [("From", from), ("To", to)] {
        let node = h.get_by_label(field);
        node.focus();
        h.run();
        h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
        h.get_by_label(field).type_text(value);
        h.key_press(egui::Key::Enter);
        h.run();
    }
}

/// The map marker of a place, by its name (not "…Embassy in Tirana").
fn marker<'t>(h: &'t Harness<'_, App>, name: &'t str) -> egui_kittest::Node<'t> {
    h.get_by(move |n| {
        n.role() == Role::Button
            && n.label().is_some_and(|l| {
                l.starts_with(&format!("{name}, ")) && !l.contains("outside the view")
            })
    })
}

/// Does the reader list this event (as a card one can select)?
fn lists(h: &Harness<'_, App>, title: &str) -> bool {
    h.query_by_label(&format!("Select event: {title}"))
        .is_some()
}

fn shows(h: &Harness<'_, App>, text: &str) -> bool {
    h.query_all_by_label_contains(text).next().is_some()
}

#[test]
fn clicking_a_place_shows_its_excerpts_and_another_place_replaces_them() {
    let mut h = harness();
    assert_eq!(
        h.state().state().selection,
        Selection::None,
        "nothing is selected at start"
    );
    assert!(!shows(&h, JULY_15_AP), "no excerpt before a click");

    marker(&h, "Tirana").click();
    h.run();
    assert_eq!(
        h.state().state().selection,
        Selection::Place(place(&h, "tirana"))
    );
    assert!(
        shows(&h, JULY_15_AP),
        "the July 15 excerpt appears for Tirana"
    );
    assert!(shows(&h, AP_OUTLET), "with its outlet");

    marker(&h, "Tehran").click();
    h.run();
    assert_eq!(
        h.state().state().selection,
        Selection::Place(place(&h, "tehran"))
    );
    assert!(
        !shows(&h, JULY_15_AP),
        "Tehran is only the alleged origin: the attack is not listed there"
    );
}

#[test]
fn the_start_window_covers_the_whole_story() {
    let h = harness();
    let extent = h.state().dataset().time_extent().unwrap();
    assert_eq!(h.state().state().window, extent);
    let tirana = h.state().dataset().events_at(place(&h, "tirana")).len() as u32;
    assert_eq!(h.state().place_count(place(&h, "tirana")), tirana);
    // The place's accessible name carries its count.
    assert!(shows(&h, &format!("Tirana, {tirana} events in window")));
}

#[test]
fn sarajevo_in_the_1990s_lists_the_arms_event_not_the_2010_vote() {
    let mut h = harness();
    marker(&h, "Sarajevo").click();
    h.run();
    set_window(&mut h, "1990", "1999");
    let w = h.state().state().window;
    assert_eq!(
        (w.start.iso(), w.end.iso()),
        ("1990-01-01".to_owned(), "1999-12-31".to_owned())
    );
    assert_eq!(
        h.state().state().selection,
        Selection::Place(place(&h, "sarajevo")),
        "typing a date keeps the selection"
    );
    assert!(lists(&h, "Iran provides funds and arms to the Bosnians"));
    assert!(!lists(
        &h,
        "Bosnia-Herzegovina votes at the UN Security Council to tighten sanctions on Iran"
    ));
    // And with the whole story again, the vote is listed too: the test can fail.
    h.get_by_label("Whole story").click();
    h.run();
    assert!(lists(
        &h,
        "Bosnia-Herzegovina votes at the UN Security Council to tighten sanctions on Iran"
    ));
}

#[test]
fn tirana_in_july_2022_lists_july_15_not_7_september() {
    let mut h = harness();
    marker(&h, "Tirana").click();
    h.run();
    set_window(&mut h, "2022-07", "2022-07");
    assert!(lists(
        &h,
        "Cyberattack shuts down Albanian government services and websites"
    ));
    assert!(shows(&h, "July 15, 2022"));
    let break_title = "Albania cuts diplomatic relations with Iran and orders Iranian embassy staff out within 24 hours";
    assert!(!lists(&h, break_title));
    set_window(&mut h, "2022-07", "2022-09");
    assert!(lists(&h, break_title));
}

#[test]
fn selecting_a_timeline_mark_selects_the_event_and_its_places() {
    let mut h = harness();
    h.get_by_label_contains("Event: Cyberattack shuts down Albanian government services")
        .click();
    h.run();
    let ds = h.state().dataset();
    let attack = ds.event_by_id("cyberattack-2022-07-15").unwrap();
    assert_eq!(h.state().state().selection, Selection::Event(attack));
    let highlighted = h.state().state().highlighted_places(ds);
    assert!(highlighted.contains(&place(&h, "tirana")));
    assert!(!highlighted.contains(&place(&h, "tehran")));
    // The reader shows the event with its claim, stances spelled out.
    assert!(shows(&h, JULY_15_AP));
    assert!(shows(
        &h,
        "Iran orchestrated and sponsored the July 2022 cyberattack"
    ));
    assert!(
        h.query_all_by_label_contains(" denies — per ")
            .next()
            .is_some(),
        "a stance spelled out"
    );
}

#[test]
fn show_in_article_opens_the_text_with_the_excerpt_and_esc_goes_back() {
    let mut h = harness();
    marker(&h, "Tirana").click();
    h.run();
    // The AP's passage is below the reader's fold: reached by keyboard,
    // which scrolls it into view.
    h.get_all_by_label(&format!("Show in article: {AP_OUTLET}"))
        .next()
        .unwrap()
        .focus();
    h.run();
    h.key_press(egui::Key::Enter);
    h.run();
    assert!(h.state().state().article.is_some());
    assert!(shows(&h, "Article text of The Associated Press"));
    h.key_press(egui::Key::Escape);
    h.run();
    assert!(
        h.state().state().article.is_none(),
        "Esc closes the article first"
    );
    assert_eq!(
        h.state().state().selection,
        Selection::Place(place(&h, "tirana"))
    );
    h.key_press(egui::Key::Escape);
    h.run();
    assert_eq!(
        h.state().state().selection,
        Selection::None,
        "then clears the selection"
    );
}

#[test]
fn places_are_buttons_a_keyboard_can_press() {
    let mut h = harness();
    let buttons: Vec<String> = h
        .get_all_by_role(Role::Button)
        .filter_map(|n| n.accesskit_node().label())
        .filter(|l| l.contains(" in window"))
        .collect();
    for name in ["Tirana", "Manez", "Tehran", "Sarajevo", "Baghdad"] {
        assert!(
            buttons.iter().any(|b| b.starts_with(name)),
            "{name} is listed: {buttons:?}"
        );
    }
    assert!(
        buttons
            .iter()
            .any(|b| b.starts_with("Washington, outside the view")),
        "Washington is an edge pointer"
    );
    marker(&h, "Manez").focus();
    h.run();
    h.key_press(egui::Key::Enter);
    h.run();
    assert_eq!(
        h.state().state().selection,
        Selection::Place(place(&h, "manez"))
    );
    assert!(shows(&h, "Ashraf 3"));
}

#[test]
fn an_edge_pointer_pans_the_map_there() {
    let mut h = harness();
    let before = *h.state().camera();
    h.get_by_label_contains("Washington, outside the view")
        .click();
    h.run();
    assert_ne!(h.state().camera().center, before.center);
    assert!(
        shows(&h, "Washington, 4 events in window")
            || h.query_by_label_contains("Washington, ").is_some()
    );
    assert!(
        h.query_by_label_contains("Washington, outside the view")
            .is_none(),
        "Washington is now in view"
    );
}

#[test]
fn the_app_can_start_on_an_event_or_place_by_id() {
    let mut app = App::embedded().unwrap();
    app.select_by_id("cyberattack-2022-07-15").unwrap();
    let attack = app.dataset().event_by_id("cyberattack-2022-07-15").unwrap();
    assert_eq!(app.state().selection, Selection::Event(attack));
    app.select_by_id("manez").unwrap();
    assert_eq!(
        app.state().selection,
        Selection::Place(app.dataset().place_by_id("manez").unwrap())
    );
    let err = app.select_by_id("atlantis").unwrap_err();
    assert_eq!(err.to_string(), "no event or place has the id \"atlantis\"");
}

#[test]
fn a_crowded_map_names_only_the_busiest_markers_and_the_rest_stay_reachable() {
    let mut h = common::generated_app(4000, 3);
    let ds = h.state().dataset();
    assert_eq!(ds.places.len(), 1000);
    let named: Vec<String> = h
        .query_all_by(|n| {
            n.role() == Role::Button
                && n.label()
                    .is_some_and(|l| l.contains(" in window") && !l.contains("outside the view"))
        })
        .filter_map(|n| n.accesskit_node().label())
        .collect();
    assert_eq!(named.len(), 300, "as many marker widgets as labels");
    // The busiest place is one of them; the quietest is not, but the search
    // (a screen reader's way in) still reaches and selects it.
    let by_count = |p: &PlaceIdx| (h.state().place_count(*p), std::cmp::Reverse(*p));
    let places: Vec<PlaceIdx> = (0..1000).map(PlaceIdx).collect();
    let busiest = *places.iter().max_by_key(|p| by_count(p)).unwrap();
    let quietest = *places.iter().min_by_key(|p| by_count(p)).unwrap();
    let name_of = |p: PlaceIdx| h.state().dataset().place(p).name.clone();
    let (busiest_name, quietest_name) = (name_of(busiest), name_of(quietest));
    assert!(
        named
            .iter()
            .any(|l| l.starts_with(&format!("{busiest_name}, "))),
        "{busiest_name} is named"
    );
    assert!(
        !named
            .iter()
            .any(|l| l.starts_with(&format!("{quietest_name}, "))),
        "{quietest_name} is drawn in the quiet mesh"
    );
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::F);
    h.run();
    h.get_by_label("Search").type_text(&quietest_name);
    h.run();
    h.get_by(|n| {
        n.role() == Role::Button
            && n.label()
                .is_some_and(|l| l.starts_with(&format!("Place: {quietest_name}")))
    })
    .click();
    h.run();
    assert_eq!(h.state().state().selection, Selection::Place(quietest));
}

#[test]
fn the_export_window_writes_a_spreadsheet_csv_when_asked() {
    let mut h = harness();
    h.get_by_label("File").click();
    h.run();
    h.get_by_label("Export the view…").click();
    h.run();
    let safe = h.get_by_label("Spreadsheet-safe cells");
    assert_eq!(
        safe.accesskit_node().toggled(),
        Some(egui::accesskit::Toggled::True),
        "spreadsheet-safe by default"
    );
    h.get_by_label("For spreadsheets: UTF-8 with a byte order mark, CRLF line ends")
        .click();
    h.run();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("view.csv");
    export_to(&mut h, &out);
    let bytes = std::fs::read(&out).expect("the CSV is written");
    assert!(
        bytes.starts_with("\u{feff}".as_bytes()),
        "a byte order mark"
    );
    assert!(bytes.windows(2).any(|w| w == b"\r\n"), "CRLF line ends");
}

/// The embedded story in a folder of its own, each source given a web
/// address (a test fixture: the seed articles carry none).
fn embedded_with_addresses(dir: &std::path::Path) {
    let src = std::path::Path::new("data/albania-iran");
    std::fs::create_dir_all(dir.join("sources")).unwrap();
    for f in std::fs::read_dir(src.join("sources")).unwrap() {
        let f = f.unwrap();
        std::fs::copy(f.path(), dir.join("sources").join(f.file_name())).unwrap();
    }
    let mut manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(src.join("dataset.json")).unwrap()).unwrap();
    for s in manifest["sources"].as_array_mut().unwrap() {
        let id = s["id"].as_str().unwrap().to_owned();
        s["url"] = format!("https://example.org/articles/{id}").into();
    }
    std::fs::write(dir.join("dataset.json"), manifest.to_string()).unwrap();
}

/// HTML text back to the characters it escapes.
fn unescape_html(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

#[test]
fn export_briefing_with_tirana_selected_writes_its_claims_quotes_and_citations() {
    let dir = tempfile::tempdir().unwrap();
    embedded_with_addresses(dir.path());
    let loaded = mapline::io::load_dir(dir.path()).unwrap();
    let mut h = Harness::builder()
        .with_size(egui::vec2(1600.0, 1000.0))
        .build_eframe(move |_cc| App::new(loaded));
    h.run();
    marker(&h, "Tirana").click();
    h.run();
    let tirana = place(&h, "tirana");
    assert_eq!(h.state().state().selection, Selection::Place(tirana));

    h.get_by_label("File").click();
    h.run();
    h.get_by_label("Export briefing…").click();
    h.run();
    let out = dir.path().join("brief.html");
    export_to(&mut h, &out);
    let html = std::fs::read_to_string(&out).expect("the briefing is written");
    assert!(
        h.state().dataset().places.len() > 10,
        "the dataset came back from the pictures"
    );
    assert!(shows(&h, "Wrote a briefing of"), "the window says so");

    assert!(html.contains("Focus: <bdi>the place Tirana (Albania)</bdi>"));
    assert!(
        html.contains("data:image/png;base64,"),
        "map and strip are embedded"
    );
    // The July cyberattack's claim, with an asserting and a denying stance.
    let statement = "Iran orchestrated and sponsored the July 2022 cyberattack on Albania";
    let at = html.find(statement).expect("the July attack's claim");
    let claim = &html[at..at + html[at..].find("</article>").unwrap()];
    let ds = h.state().dataset();
    let mut sides = (0, 0);
    for stance in claim.split("<div class=\"stance").skip(1) {
        let side = if stance.starts_with(" asserts") || stance.starts_with(" suggests") {
            &mut sides.0
        } else {
            &mut sides.1
        };
        *side += 1;
        let quote_html =
            &stance[stance.find("<blockquote").unwrap()..stance.find("</blockquote>").unwrap()];
        let quote: String = quote_html
            .split("<p dir=\"auto\">")
            .skip(1)
            .map(|p| unescape_html(p.trim_end_matches("</p>")))
            .collect::<Vec<_>>()
            .join(" ");
        assert!(quote.len() > 40, "a quote: {quote}");
        // Its citation resolves to a source entry with the article's address.
        let cite_at = stance.find("href=\"#source-").unwrap() + "href=\"#source-".len();
        let n: usize = stance[cite_at..]
            .split('"')
            .next()
            .unwrap()
            .parse()
            .unwrap();
        let entry_at = html.find(&format!("<li id=\"source-{n}\">")).unwrap();
        let entry = &html[entry_at..entry_at + html[entry_at..].find("</li>").unwrap()];
        let source = ds
            .sources
            .iter()
            .find(|s| entry.contains(&format!("<code>{}</code>", s.file)))
            .expect("the entry names its article");
        assert!(entry.contains(&format!(
            "<a href=\"https://example.org/articles/{}\"",
            source.id
        )));
        assert!(
            stance.contains(&format!("— <bdi>{}</bdi>", unescape_html(&source.outlet)))
                || stance.contains(&source.outlet.replace('&', "&amp;"))
        );
        let fold = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(
            fold(&source.text).contains(&fold(&quote)),
            "verbatim in {}: {quote}",
            source.id
        );
    }
    assert!(
        sides.0 >= 1 && sides.1 >= 1,
        "asserting and denying stances: {sides:?}"
    );
}
